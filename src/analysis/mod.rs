//! Text analysis shared by indexing and querying: folding, jieba segmentation and the
//! character-gram recall field.
//!
//! Indexing and querying must cut text identically, so both go through the tokenizers
//! registered here; [`register`] has to run on every opened index, or tantivy fails at
//! query and commit time with an unknown tokenizer.

pub mod dictionary;
pub mod grams;
pub mod normalize;
pub mod tokenizer;

pub use grams::GramTokenizer;
pub use normalize::{fold, Folded};
pub use tokenizer::JiebaTokenizer;

use std::sync::Arc;

use jieba_rs::Jieba;

/// Tokenizer name of the word (jieba) fields.
pub const WORDS: &str = "tongbao_words";
/// Tokenizer name of the character-gram recall field.
pub const GRAMS: &str = "tongbao_grams";

/// Register tongbao's tokenizers on an index.
pub fn register(index: &tantivy::Index, jieba: Arc<Jieba>) {
    let manager = index.tokenizers();
    manager.register(WORDS, JiebaTokenizer::new(jieba));
    manager.register(GRAMS, GramTokenizer);
}

/// True for characters that never form a searchable token: whitespace, punctuation,
/// symbols and control characters.
#[inline]
pub fn is_separator(c: char) -> bool {
    // Fast paths for the bulk of bulletin text; both agree with `is_alphanumeric`, whose
    // table search for non-ASCII characters showed up in indexing profiles.
    if c.is_ascii() {
        return !c.is_ascii_alphanumeric();
    }
    if is_common_han(c) {
        return false;
    }
    !c.is_alphanumeric()
}

/// The CJK Unified Ideographs of Unicode 1.1 (U+4E00–U+9FA5): all assigned letters, never
/// upper case, never folded by width. Most characters of a bulletin are here.
#[inline]
pub fn is_common_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FA5}').contains(&c)
}

/// True for CJK ideographs (the characters that jieba segments and grams are cut from).
#[inline]
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x3007)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_paths_agree_with_unicode_tables() {
        for c in ('\u{0}'..='\u{2FFFF}').filter(|c| !c.is_control()) {
            assert_eq!(is_separator(c), !c.is_alphanumeric(), "{c:?}");
            if is_common_han(c) {
                assert!(!c.is_uppercase() && c.is_alphanumeric());
                assert_eq!(normalize::fold_width_case(c), c);
            }
        }
    }
}

//! Text analysis shared by indexing and querying: folding, jieba segmentation, character
//! grams, and the one positional stream of grams and long words that the text fields hold.
//!
//! Indexing and querying must cut text identically: a document's indexed fields receive
//! its fold (made once per bulletin, see [`Folds`]) and the registered tokenizers segment
//! it; a query goes through [`fold`] and the same segmentation ([`tokenizer::segment`],
//! [`grams::grams`]). [`register`] has to run on every opened index, or tantivy fails at
//! query and commit time with an unknown tokenizer.

pub mod dictionary;
pub mod grams;
pub mod normalize;
pub mod text;
pub mod tokenizer;

pub use grams::GramTokenizer;
pub use normalize::{fold, Folded, Folds};
pub use text::TextTokenizer;
pub use tokenizer::JiebaTokenizer;

use std::sync::Arc;

use jieba_rs::Jieba;

/// Tokenizer name of the indexed text fields (`title`, `body`): grams and long words in
/// one positional stream ([`text`]).
pub(crate) const TEXT: &str = "tongbao_text";

/// Register tongbao's tokenizer on an index.
pub(crate) fn register(index: &tantivy::Index, jieba: Arc<Jieba>) {
    index.tokenizers().register(TEXT, TextTokenizer::new(jieba));
}

/// True for characters that never form a searchable token: whitespace, punctuation,
/// symbols and control characters.
#[inline]
pub(crate) fn is_separator(c: char) -> bool {
    // Fast paths for the bulk of bulletin text; both agree with `is_alphanumeric`, whose
    // table search for non-ASCII characters showed up in indexing profiles.
    if c.is_ascii() {
        return !c.is_ascii_alphanumeric();
    }
    if crate::chars::is_common_han(c) {
        return false;
    }
    !c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_paths_agree_with_unicode_tables() {
        for c in ('\u{0}'..='\u{2FFFF}').filter(|c| !c.is_control()) {
            assert_eq!(is_separator(c), !c.is_alphanumeric(), "{c:?}");
            if crate::chars::is_common_han(c) {
                assert!(!c.is_uppercase() && c.is_alphanumeric());
                assert_eq!(normalize::case::lower(normalize::width::narrow(c)), c);
            }
        }
    }
}

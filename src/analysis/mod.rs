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
pub fn is_separator(c: char) -> bool {
    !(c.is_alphanumeric())
}

/// True for CJK ideographs (the characters that jieba segments and grams are cut from).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x3007)
}

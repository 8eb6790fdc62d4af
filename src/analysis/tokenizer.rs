//! The word tokenizer: jieba search-mode segmentation of folded text.
//!
//! Positions are character offsets of the token start, not token counts. Search mode emits
//! overlapping tokens (电信网络诈骗 and also 电信, 网络, 诈骗), so counting tokens would give
//! the same word different positions in the query and in a document; character offsets
//! are the same wherever the text is the same, which keeps phrase queries exact.

use std::sync::Arc;

use jieba_rs::{Jieba, TokenizeMode};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::normalize::Folded;

/// A word as jieba cut it, in folded form, with positions in characters and bytes of the
/// original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub char_start: usize,
    pub char_end: usize,
    pub byte_start: usize,
    pub byte_end: usize,
}

/// Segment `text` (after folding) into words; `search` adds jieba's search-mode sub-words.
/// Separators (whitespace, punctuation) are dropped; words are sorted by offset.
pub fn segment(jieba: &Jieba, text: &str, search: bool) -> Vec<Word> {
    let folded = Folded::new(text);
    let mode = if search { TokenizeMode::Search } else { TokenizeMode::Default };
    let mut words: Vec<Word> = jieba
        .tokenize(&folded.text, mode, true)
        .into_iter()
        .filter(|t| t.word.chars().any(|c| !super::is_separator(c)))
        .map(|t| Word {
            text: t.word.to_string(),
            char_start: t.start,
            char_end: t.end,
            byte_start: folded.orig_byte(t.start),
            byte_end: folded.orig_byte(t.end),
        })
        .collect();
    words.sort_by_key(|w| (w.char_start, w.char_end));
    words
}

/// tantivy tokenizer over [`segment`] in search mode.
#[derive(Clone)]
pub struct JiebaTokenizer {
    jieba: Arc<Jieba>,
}

impl JiebaTokenizer {
    pub fn new(jieba: Arc<Jieba>) -> Self {
        JiebaTokenizer { jieba }
    }
}

/// Tokens computed up front; jieba works on whole texts.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl VecTokenStream {
    pub fn new(tokens: Vec<Token>) -> Self {
        VecTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next.saturating_sub(1).min(self.tokens.len().saturating_sub(1))]
    }
    fn token_mut(&mut self) -> &mut Token {
        let i = self.next.saturating_sub(1).min(self.tokens.len().saturating_sub(1));
        &mut self.tokens[i]
    }
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = segment(&self.jieba, text, true)
            .into_iter()
            // Overlong "words" (base64 blobs, long digit runs) only bloat the term dictionary.
            .filter(|w| w.text.len() <= 64)
            .map(|w| Token {
                offset_from: w.byte_start,
                offset_to: w.byte_end,
                position: w.char_start,
                text: w.text,
                position_length: 1,
            })
            .collect();
        VecTokenStream::new(tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::dictionary::build_jieba;

    fn jieba() -> Arc<Jieba> {
        crate::analysis::dictionary::shared(include_str!("../../index-schema/dictionary.txt"))
    }

    fn tokens(text: &str) -> Vec<Token> {
        let mut t = JiebaTokenizer::new(jieba());
        let mut stream = t.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().clone());
        }
        out
    }

    #[test]
    fn offsets_are_char_boundaries_into_original_and_sorted() {
        for text in [
            "广西公安机关破獲電信網絡詐騙案件１２起，抓获犯罪嫌疑人ＡＢＣ等。",
            "8 月 15 日，清远市公安举办“百日行动”新闻发布会",
            "養老詐騙 追贓挽損",
        ] {
            let toks = tokens(text);
            assert!(!toks.is_empty());
            let mut last = (0, 0);
            for t in &toks {
                assert!(text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to));
                assert!(t.offset_from < t.offset_to);
                let key = (t.position, t.offset_to);
                assert!(key >= last, "not sorted: {:?}", toks);
                last = key;
                // The original slice folds to the token text.
                assert_eq!(crate::analysis::fold(&text[t.offset_from..t.offset_to]), t.text);
            }
        }
    }

    #[test]
    fn traditional_text_gives_simplified_words() {
        let words: Vec<String> = tokens("破獲詐騙案件，打擊電信網絡詐騙").into_iter().map(|t| t.text).collect();
        assert!(words.contains(&"诈骗".to_string()), "{words:?}");
        assert!(words.contains(&"电信网络诈骗".to_string()), "{words:?}");
        assert!(!words.iter().any(|w| w.contains('獲')));
    }

    #[test]
    fn punctuation_and_space_are_dropped() {
        let words: Vec<String> = tokens("“百日行动” ，。！ ？").into_iter().map(|t| t.text).collect();
        assert!(words.iter().all(|w| w.chars().all(|c| c.is_alphanumeric())), "{words:?}");
    }

    #[test]
    fn search_mode_offers_parts_and_whole() {
        let words: Vec<String> = tokens("打击电信网络诈骗").into_iter().map(|t| t.text).collect();
        for w in ["电信网络诈骗", "电信", "网络", "诈骗"] {
            assert!(words.contains(&w.to_string()), "{w} missing from {words:?}");
        }
        let _ = build_jieba; // build_jieba is exercised in dictionary tests
    }
}

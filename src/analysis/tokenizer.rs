//! The word tokenizer: jieba search-mode segmentation of folded text.
//!
//! Positions are character offsets of the token start, not token counts. Search mode emits
//! overlapping tokens (电信网络诈骗 and also 电信, 网络, 诈骗), so counting tokens would give
//! the same word different positions in the query and in a document; character offsets
//! are the same wherever the text is the same, which keeps phrase queries exact.
//!
//! The tantivy tokenizer is handed folded text (the indexed fields hold each bulletin's
//! fold, made once when it was read), so it segments and never folds; [`segment`] folds
//! its input first, for queries and tests.

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
    word_spans(jieba, folded.text(), search)
        .into_iter()
        .map(|s| Word {
            text: folded.text()[s.from..s.to].to_string(),
            char_start: s.position,
            char_end: s.char_end,
            byte_start: folded.original_byte(s.from),
            byte_end: folded.original_byte(s.to),
        })
        .collect()
}

/// A token as a span of a folded text: no string of its own until it is handed out.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    /// Character offset of the start (the token position).
    pub position: usize,
    pub char_end: usize,
    /// Byte range in the folded text.
    pub from: usize,
    pub to: usize,
    /// Handed out with [`GRAM_MARK`] in front: a bigram that is not a word there.
    pub marked: bool,
}

/// Put in front of a bigram that the bulletin's segmentation did not cut as a word at
/// that position (see [`super::text`]). A separator, so no gram or word ever holds it.
pub const GRAM_MARK: char = '|';

/// jieba's words of a folded text as spans, separators dropped, sorted by offset.
pub(crate) fn word_spans(jieba: &Jieba, folded: &str, search: bool) -> Vec<Span> {
    let mode = if search { TokenizeMode::Search } else { TokenizeMode::Default };
    let mut spans: Vec<Span> = jieba
        .tokenize(folded, mode, true)
        .into_iter()
        .filter(|t| t.word.chars().any(|c| !super::is_separator(c)))
        .map(|t| Span { position: t.start, char_end: t.end, from: t.byte_start, to: t.byte_end, marked: false })
        .collect();
    // Search mode emits a word's parts before the word; order by start, then end.
    spans.sort_by_key(|s| (s.position, s.char_end));
    spans
}

/// tantivy tokenizer: jieba search mode over text that is already folded.
#[derive(Clone)]
pub struct JiebaTokenizer {
    jieba: Arc<Jieba>,
}

impl JiebaTokenizer {
    pub fn new(jieba: Arc<Jieba>) -> Self {
        JiebaTokenizer { jieba }
    }
}

/// Tokens as spans of a folded text, written one at a time into a single reused
/// [`Token`]: a bulletin yields thousands of tokens, and a `String` allocation for each
/// was a measurable share of indexing time. Offsets are bytes of the folded text (tantivy
/// keeps none; highlighting maps matches back through [`Folded`] itself).
pub struct SpanTokenStream<'a> {
    folded: &'a str,
    spans: Vec<Span>,
    next: usize,
    token: Token,
}

impl<'a> SpanTokenStream<'a> {
    pub fn new(folded: &'a str, spans: Vec<Span>) -> Self {
        SpanTokenStream { folded, spans, next: 0, token: Token::default() }
    }
}

impl TokenStream for SpanTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(&s) = self.spans.get(self.next) else { return false };
        self.next += 1;
        self.token.text.clear();
        if s.marked {
            self.token.text.push(GRAM_MARK);
        }
        self.token.text.push_str(&self.folded[s.from..s.to]);
        self.token.position = s.position;
        self.token.offset_from = s.from;
        self.token.offset_to = s.to;
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = SpanTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, folded: &'a str) -> SpanTokenStream<'a> {
        let mut spans = word_spans(&self.jieba, folded, true);
        // Overlong "words" (base64 blobs, long digit runs) only bloat the term dictionary.
        spans.retain(|s| s.to - s.from <= 64);
        SpanTokenStream::new(folded, spans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fold;

    fn jieba() -> Arc<Jieba> {
        crate::analysis::dictionary::shared(include_str!("../../index-schema/dictionary.txt"))
    }

    /// The tantivy tokenizer's tokens for `text`, handed its fold as indexing does.
    fn tokens(text: &str) -> Vec<Token> {
        let folded = fold(text);
        let mut t = JiebaTokenizer::new(jieba());
        let mut stream = t.token_stream(&folded);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().clone());
        }
        out
    }

    #[test]
    fn segment_offsets_are_char_boundaries_into_original_and_sorted() {
        for text in [
            "广西公安机关破獲電信網絡詐騙案件１２起，抓获犯罪嫌疑人ＡＢＣ等。",
            "8 月 15 日，清远市公安举办“百日行动”新闻发布会",
            "養老詐騙 追贓挽損",
            "打擊養(yǎng)老詐騙專(zhuān)項行動",
        ] {
            let words = segment(&jieba(), text, true);
            assert!(!words.is_empty());
            let mut last = (0, 0);
            for w in &words {
                assert!(text.is_char_boundary(w.byte_start) && text.is_char_boundary(w.byte_end));
                assert!(w.byte_start < w.byte_end);
                let key = (w.char_start, w.byte_end);
                assert!(key >= last, "not sorted: {words:?}");
                last = key;
                // The original slice folds to the word.
                assert_eq!(fold(&text[w.byte_start..w.byte_end]), w.text);
            }
        }
    }

    /// The reused-token stream over a fold hands out what `segment` computes from the
    /// original: the same words at the same positions.
    #[test]
    fn stream_matches_segment() {
        for text in ["ＡＢＣ公司破獲詐騙案１２起，Émile 报警", "清远市公安局通报：8月15日", "養(yǎng)老詐騙", "", "。。"] {
            let folded = fold(text);
            let from_stream: Vec<(String, usize)> = tokens(text).into_iter().map(|t| (t.text, t.position)).collect();
            let from_segment: Vec<(String, usize)> = segment(&jieba(), text, true).into_iter().map(|w| (w.text, w.char_start)).collect();
            assert_eq!(from_stream, from_segment, "{text}");
            for t in tokens(text) {
                assert_eq!(&folded[t.offset_from..t.offset_to], t.text);
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
    }
}

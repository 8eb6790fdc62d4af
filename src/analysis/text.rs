//! The indexed text fields' tokenizer: one positional stream of character grams and
//! words, at character positions.
//!
//! Recall needs every character in a positional gram stream (see [`super::grams`]);
//! ranking needs words. Indexing both as separate streams put every character into the
//! index twice. But most Chinese words are two characters long, and a two-character word
//! *is* the bigram at its position: one token can serve both. So the stream holds one
//! token per character position:
//!
//! * the bigram there, written as it is where jieba (search mode) cut a two-character word
//!   at that position (`诈骗`), and with [`GRAM_MARK`] in front where it did not (`|骗保`
//!   inside 打盗骗保民安): a word query looks up the plain term and keeps word semantics
//!   (a bigram across two words is not the word), a literal query takes either form;
//! * each run's last character alone, as in [`super::grams`];
//!
//! plus, at their start positions, jieba's words of three or more characters, which no
//! bigram spells. About 1.1 tokens per character instead of 1.7, in one term dictionary.
//! One-character words get no token of their own (that would be a unigram per
//! character); a query finds them as a prefix over the grams they begin.

use std::sync::Arc;

use jieba_rs::Jieba;
use tantivy::tokenizer::Tokenizer;

use super::grams::{gram_spans, Side};
pub use super::tokenizer::GRAM_MARK;
use super::tokenizer::{word_spans, Span, SpanTokenStream};

/// Longest word kept as a token, in bytes: longer "words" (base64 blobs, long digit runs)
/// only bloat the term dictionary, and their grams find them anyway.
pub(crate) const MAX_WORD_BYTES: usize = 64;

/// Whether a word of a query has a plain token of its own in the stream: a word of three
/// or more characters, or a two-character one without separators, where the bulletin's
/// segmentation cut it. Anything else is found through its grams only.
pub(crate) fn is_token(word: &str) -> bool {
    let mut chars = word.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(_), Some(_), Some(_)) => word.len() <= MAX_WORD_BYTES,
        (Some(a), Some(b), None) => !super::is_separator(a) && !super::is_separator(b),
        _ => false,
    }
}

/// The spans of the stream over a folded text, ordered by position and then end.
fn spans(jieba: &Jieba, folded: &str) -> Vec<Span> {
    let grams = gram_spans(folded, Side::Document);
    let mut out = Vec::with_capacity(grams.len() + grams.len() / 8);
    // Words of two characters mark their bigram as a word; longer ones are tokens.
    let mut words = word_spans(jieba, folded, true).into_iter().filter(|s| s.char_end - s.position >= 2 && s.to - s.from <= MAX_WORD_BYTES).peekable();
    // Both lists are sorted by (position, end); merge them.
    for mut g in grams {
        let key = (g.position, g.char_end);
        let mut word_here = false;
        while let Some(w) = words.next_if(|w| (w.position, w.char_end) <= key) {
            if (w.position, w.char_end) == key {
                word_here = true;
            } else if w.char_end - w.position >= 3 {
                out.push(w);
            }
        }
        g.marked = g.char_end - g.position == 2 && !word_here;
        out.push(g);
    }
    out.extend(words.filter(|w| w.char_end - w.position >= 3));
    out
}

/// tantivy tokenizer: the grams and long words of text that is already folded.
#[derive(Clone)]
pub struct TextTokenizer {
    jieba: Arc<Jieba>,
}

impl TextTokenizer {
    pub fn new(jieba: Arc<Jieba>) -> Self {
        TextTokenizer { jieba }
    }
}

impl Tokenizer for TextTokenizer {
    type TokenStream<'a> = SpanTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, folded: &'a str) -> SpanTokenStream<'a> {
        let spans = spans(&self.jieba, folded);
        SpanTokenStream::new(folded, spans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fold;
    use tantivy::tokenizer::TokenStream;

    fn jieba() -> Arc<Jieba> {
        crate::analysis::dictionary::shared(include_str!("../../index-schema/dictionary.txt"))
    }

    fn tokens(text: &str) -> Vec<(String, usize)> {
        let folded = fold(text);
        let mut t = TextTokenizer::new(jieba());
        let mut stream = t.token_stream(&folded);
        let mut out = Vec::new();
        while stream.advance() {
            let tok = stream.token();
            assert_eq!(&folded[tok.offset_from..tok.offset_to], tok.text.trim_start_matches(GRAM_MARK));
            out.push((tok.text.clone(), tok.position));
        }
        out
    }

    #[test]
    fn one_token_per_position_words_plain_other_bigrams_marked() {
        let got = tokens("打击电信网络诈骗，抓获3人");
        let has = |t: &str, p: usize| got.iter().any(|(x, q)| x == t && *q == p);
        // Bigrams that are words where they stand are plain; the others are marked.
        for (i, g) in ["打击", "|击电", "电信", "|信网", "网络", "|络诈", "诈骗"].iter().enumerate() {
            assert!(has(g, i), "{g} at {i} missing from {got:?}");
        }
        assert!(has("骗", 7), "{got:?}");
        // The long word at its start; its two-character parts are the bigrams already there.
        assert!(has("电信网络诈骗", 2), "{got:?}");
        assert_eq!(got.iter().filter(|(t, _)| t.trim_start_matches(GRAM_MARK) == "电信").count(), 1, "{got:?}");
        assert!(has("抓获", 9) && has("|获3", 10) && has("|3人", 11) && has("人", 12), "{got:?}");
        // No one-character tokens besides run ends.
        assert!(!got.iter().any(|(t, p)| t.chars().count() == 1 && ![7, 12].contains(p)), "{got:?}");
    }

    #[test]
    fn a_bigram_across_two_words_is_not_the_word() {
        // 骗保 is a word in 打击骗保, not in 打盗骗保民安 (盗骗 … 保民).
        let across = tokens("打盗骗保民安冬季行动");
        let word = tokens("严厉打击骗保行为");
        let plain = |v: &[(String, usize)]| v.iter().any(|(t, _)| t == "骗保");
        let marked = |v: &[(String, usize)]| v.iter().any(|(t, _)| t == "|骗保");
        assert!(marked(&across) && !plain(&across), "{across:?}");
        assert!(plain(&word) && !marked(&word), "{word:?}");
    }

    #[test]
    fn tokens_are_ordered_by_position_then_length() {
        let got = tokens("中华人民共和国公安部通报");
        let keys: Vec<(usize, usize)> = got.iter().map(|(t, p)| (*p, t.trim_start_matches(GRAM_MARK).chars().count())).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert!(got.contains(&("中华人民共和国".to_string(), 0)) && got.contains(&("共和国".to_string(), 4)), "{got:?}");
    }

    #[test]
    fn overlong_words_are_left_to_their_grams() {
        let blob = "a".repeat(80);
        let got = tokens(&blob);
        assert!(got.iter().all(|(t, _)| t.trim_start_matches(GRAM_MARK).len() <= 2), "{got:?}");
    }

    #[test]
    fn query_words_with_tokens() {
        for (word, want) in [("诈骗", true), ("电信网络诈骗", true), ("抢", false), ("a.", false), ("3.5", true), ("ab", true)] {
            assert_eq!(is_token(word), want, "{word}");
        }
        assert!(!is_token(&"x".repeat(65)));
    }
}

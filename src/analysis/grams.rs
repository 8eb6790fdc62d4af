//! The recall field's tokenizer: overlapping CJK character bigrams with real positions.
//!
//! Word segmentation misses a literal match whenever the query is cut differently from the
//! text (市公安局 inside 深圳市公安局, 盗窃 inside 盗窃案 …). Bigrams at character positions
//! make every literal string findable as a phrase of its bigrams. tantivy's NgramTokenizer
//! would put every gram at position 0 and break phrases, hence this tokenizer.
//!
//! A run is any stretch of letters, digits and ideographs between separators, so Latin,
//! digits and mixed text get the same treatment: `2022-0915`, `ICP`, `12起` and a
//! fragment of a long case number are all phrases of bigrams, i.e. plain substring search.
//! The last character of each run is also emitted alone, so every character begins some
//! gram: a one-character query is a prefix search over this field.

use tantivy::tokenizer::Tokenizer;

use super::normalize::Folded;
use super::is_separator;
use super::tokenizer::{Span, SpanTokenStream};

/// A gram with its character position in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gram {
    pub text: String,
    pub char_pos: usize,
    pub byte_start: usize,
    pub byte_end: usize,
}

/// Cut text into grams. `run_ends` adds the lone last character of each CJK run (wanted in
/// documents; in queries it would demand a run boundary the document need not have).
pub fn grams(text: &str, run_ends: bool) -> Vec<Gram> {
    let folded = Folded::new(text);
    gram_spans(&folded.text, run_ends)
        .into_iter()
        .map(|s| Gram {
            text: folded.text[s.from..s.to].to_string(),
            char_pos: s.position,
            byte_start: folded.orig_of(s.from),
            byte_end: folded.orig_of(s.to),
        })
        .collect()
}

/// The grams of a folded text as spans (byte ranges of the folded text).
fn gram_spans(folded: &str, run_ends: bool) -> Vec<Span> {
    // Byte offset of every character, and the text's length at the end.
    let chars: Vec<(usize, char)> = folded.char_indices().collect();
    let byte = |i: usize| chars.get(i).map_or(folded.len(), |&(b, _)| b);
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if is_separator(chars[i].1) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && !is_separator(chars[i].1) {
            i += 1;
        }
        let end = i;
        for p in start..end {
            let gram_end = if p + 1 < end {
                p + 2
            } else if run_ends || end - start == 1 {
                p + 1
            } else {
                break;
            };
            out.push(Span { position: p, char_end: gram_end, from: byte(p), to: byte(gram_end) });
        }
    }
    out
}

/// tantivy tokenizer over [`grams`] for documents.
#[derive(Clone, Default)]
pub struct GramTokenizer;

impl Tokenizer for GramTokenizer {
    type TokenStream<'a> = SpanTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SpanTokenStream {
        let folded = Folded::cached(text);
        let spans = gram_spans(&folded.text, true);
        SpanTokenStream::new(folded, spans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(v: &[Gram]) -> Vec<(&str, usize)> {
        v.iter().map(|g| (g.text.as_str(), g.char_pos)).collect()
    }

    #[test]
    fn stream_matches_grams() {
        use tantivy::tokenizer::TokenStream;
        for text in ["ＡＢＣ公司破獲詐騙案１２起，Émile 报警", "盗窃案，抢", ""] {
            let mut t = GramTokenizer;
            let mut stream = t.token_stream(text);
            let mut got = Vec::new();
            while stream.advance() {
                let tok = stream.token();
                got.push((tok.text.clone(), tok.position, tok.offset_from, tok.offset_to));
            }
            let want: Vec<_> = grams(text, true).into_iter().map(|g| (g.text, g.char_pos, g.byte_start, g.byte_end)).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn document_grams_have_positions_and_run_ends() {
        assert_eq!(
            texts(&grams("盗窃案，抢", true)),
            vec![("盗窃", 0), ("窃案", 1), ("案", 2), ("抢", 4)]
        );
    }

    #[test]
    fn query_grams_skip_run_end_unless_single() {
        assert_eq!(texts(&grams("市公安局", false)), vec![("市公", 0), ("公安", 1), ("安局", 2)]);
        assert_eq!(texts(&grams("抢", false)), vec![("抢", 0)]);
    }

    #[test]
    fn latin_digits_and_ideographs_share_runs_and_traditional_is_folded() {
        assert_eq!(
            texts(&grams("ICP备20-2号詐騙", true)),
            vec![
                ("ic", 0), ("cp", 1), ("p备", 2), ("备2", 3), ("20", 4), ("0", 5),
                ("2号", 7), ("号诈", 8), ("诈骗", 9), ("骗", 10)
            ]
        );
    }
}

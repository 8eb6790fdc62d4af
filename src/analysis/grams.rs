//! Character grams with real positions: what makes every literal string findable (the text
//! fields' stream, [`super::text`], holds them beside the words).
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
//! gram: a one-character query is a prefix search over this field, and a query's lone
//! character followed by punctuation (`案，抢劫`) is exact, since it ends a run there too.
//!
//! Like the word tokenizer, the tantivy tokenizer is handed folded text and never folds;
//! [`grams`] folds its input first.

use tantivy::tokenizer::Tokenizer;

use super::is_separator;
use super::normalize::Folded;
use super::tokenizer::{Span, SpanTokenStream};

/// A gram with its character position in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gram {
    pub text: String,
    pub char_pos: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    /// A query's lone character that is not followed by punctuation: it stands for every
    /// gram it begins, since the bulletin's run may go on after it.
    pub prefix: bool,
}

/// Which side of the field a text is cut for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// A bulletin: bigrams plus each run's last character alone.
    Document,
    /// A query: bigrams only, except for a run of one character, which is looked up alone:
    /// exact when punctuation follows it (a bulletin's run ends there as well), a prefix
    /// at the end of the query. Run-end unigrams elsewhere would demand a run boundary
    /// that the bulletin need not have.
    Query,
}

/// Cut text into grams.
pub fn grams(text: &str, side: Side) -> Vec<Gram> {
    // Spaces around a query mean nothing; offsets stay those of the text as given.
    let (lead, text) = match side {
        Side::Query => (text.len() - text.trim_start().len(), text.trim()),
        Side::Document => (0, text),
    };
    let folded = Folded::new(text);
    let spans = gram_spans(folded.text(), side);
    let len = folded.text().len();
    spans
        .into_iter()
        .map(|s| Gram {
            prefix: side == Side::Query && s.char_end == s.position + 1 && s.to == len,
            text: folded.text()[s.from..s.to].to_string(),
            char_pos: s.position,
            byte_start: lead + folded.original_byte(s.from),
            byte_end: lead + folded.original_byte(s.to),
        })
        .collect()
}

/// The grams of a folded text as spans (byte ranges of the folded text), ordered by
/// position and then length.
pub(crate) fn gram_spans(folded: &str, side: Side) -> Vec<Span> {
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
        let mut push = |p: usize, e: usize| out.push(Span { position: p, char_end: e, from: byte(p), to: byte(e), marked: false });
        for p in start..end.saturating_sub(1) {
            push(p, p + 2);
        }
        if side == Side::Document || end - start == 1 {
            push(end - 1, end);
        }
    }
    out
}

/// tantivy tokenizer: a document's grams of text that is already folded.
#[derive(Clone, Default)]
pub struct GramTokenizer;

impl Tokenizer for GramTokenizer {
    type TokenStream<'a> = SpanTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, folded: &'a str) -> SpanTokenStream<'a> {
        SpanTokenStream::new(folded, gram_spans(folded, Side::Document))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(v: &[Gram]) -> Vec<(&str, usize)> {
        v.iter().map(|g| (g.text.as_str(), g.char_pos)).collect()
    }

    /// The stream over a fold hands out what `grams` computes from the original.
    #[test]
    fn stream_matches_grams() {
        use tantivy::tokenizer::TokenStream;
        for text in ["ＡＢＣ公司破獲詐騙案１２起，Émile 报警", "盗窃案，抢", "養(yǎng)老", ""] {
            let folded = crate::analysis::fold(text);
            let mut t = GramTokenizer;
            let mut stream = t.token_stream(&folded);
            let mut got = Vec::new();
            while stream.advance() {
                let tok = stream.token();
                assert_eq!(&folded[tok.offset_from..tok.offset_to], tok.text);
                got.push((tok.text.clone(), tok.position));
            }
            let want: Vec<_> = grams(text, Side::Document).into_iter().map(|g| (g.text, g.char_pos)).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn document_grams_have_positions_and_run_ends() {
        assert_eq!(texts(&grams("盗窃案，抢", Side::Document)), vec![("盗窃", 0), ("窃案", 1), ("案", 2), ("抢", 4)]);
    }

    #[test]
    fn query_lone_characters_are_exact_before_punctuation_and_prefixes_at_the_end() {
        assert_eq!(texts(&grams("市公安局", Side::Query)), vec![("市公", 0), ("公安", 1), ("安局", 2)]);
        let prefix = |t: &str| grams(t, Side::Query).iter().map(|g| g.prefix).collect::<Vec<_>>();
        assert_eq!(texts(&grams(" 抢 ", Side::Query)), vec![("抢", 0)]);
        assert_eq!(prefix(" 抢 "), vec![true]);
        // 案 ends a run of any bulletin that has 案，抢劫: its run-end unigram is exact.
        assert_eq!(texts(&grams("案，抢劫", Side::Query)), vec![("案", 0), ("抢劫", 2)]);
        assert_eq!(prefix("案，抢劫"), vec![false, false]);
        assert_eq!(prefix("打、防、治"), vec![false, false, true]);
        // 开 may go on (开展): every gram it begins.
        assert_eq!(texts(&grams("行动，开", Side::Query)), vec![("行动", 0), ("开", 3)]);
        assert_eq!(prefix("行动，开"), vec![false, true]);
        assert_eq!(grams(" 抢 ", Side::Query)[0].byte_start, 1);
    }

    #[test]
    fn latin_digits_and_ideographs_share_runs_and_traditional_is_folded() {
        assert_eq!(
            texts(&grams("ICP备20-2号詐騙", Side::Document)),
            vec![("ic", 0), ("cp", 1), ("p备", 2), ("备2", 3), ("20", 4), ("0", 5), ("2号", 7), ("号诈", 8), ("诈骗", 9), ("骗", 10)]
        );
    }
}

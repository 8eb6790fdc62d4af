//! Literal strings whose punctuation matters: case and operation codes.
//!
//! `4·28`, `7·15专案`, `A12345` and `(2023)粤0304刑初123号` are one string each: the mid-dot,
//! hyphen or bracket inside binds the code together, and a bulletin that has 4 in one place
//! and 28 in another is not about the 4·28 case. The text fields' grams cover runs of letters,
//! digits and ideographs, never punctuation, so its phrase for `4·28` (the gram 4, then 28
//! two characters on) also matches `4、28`. [`Verified`] narrows such a phrase to the
//! bulletins whose stored title or body really contains the string, punctuation included,
//! after folding and with the few interchangeable spellings of a dot, dash or bracket made
//! one ([`canonical`]). The phrase keeps the candidates few, so reading their stored text is
//! cheap, and the check works whatever the layout of the grams.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, Value};
use tantivy::store::StoreReader;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyDocument, TantivyError, TERMINATED};

use crate::analysis::{fold, is_separator};

/// The form a code is compared in: folded, every dot-like mark one `·`, every dash one `-`,
/// every bracket one `(` or `)`; spaces kept (what grep would see).
pub fn canonical(text: &str) -> String {
    fold(text)
        .chars()
        .map(|c| match c {
            '·' | '•' | '‧' | '・' | '∙' | '⋅' | '．' | '.' | '｡' | '･' => '·',
            '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '－' | '﹣' | '−' => '-',
            // Not 【】 or 〖〗: they mark headlines and labels (【百日行动】), not codes.
            '(' | '（' | '[' | '［' | '〔' | '﹝' => '(',
            ')' | '）' | ']' | '］' | '〕' | '﹞' => ')',
            c => c,
        })
        .collect()
}

/// Whether a literal string needs its punctuation checked: it has a binding mark (a dot,
/// dash or bracket, as in `4·28`, `2022-0915`, `(2023)粤…`) between two searchable
/// characters. Commas, 、 and spaces separate rather than bind: a phrase across them is
/// left to the grams, which treat every separator alike, and costs no reading of
/// stored text (a quoted "预防,全" can match hundreds of bulletins).
pub(crate) fn binds_punctuation(text: &str) -> bool {
    let t = canonical(text);
    let t = t.trim_matches(is_separator);
    t.chars().any(|c| matches!(c, '·' | '-' | '(' | ')'))
}

/// A query narrowed to the documents whose stored title or body contains `needle`
/// (already [`canonical`]).
#[derive(Debug)]
pub(crate) struct Verified {
    pub inner: Box<dyn Query>,
    pub needle: String,
    pub fields: [Field; 2],
}

impl Clone for Verified {
    fn clone(&self) -> Self {
        Verified { inner: self.inner.box_clone(), needle: self.needle.clone(), fields: self.fields }
    }
}

impl Query for Verified {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(VerifiedWeight { inner: self.inner.weight(scoring)?, needle: self.needle.clone(), fields: self.fields }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct VerifiedWeight {
    inner: Box<dyn Weight>,
    needle: String,
    fields: [Field; 2],
}

impl Weight for VerifiedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let store = reader.get_store_reader(4)?;
        let mut s = VerifiedScorer { inner: self.inner.scorer(reader, boost)?, store, needle: self.needle.clone(), fields: self.fields };
        s.settle();
        Ok(Box::new(s))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!("document #{doc} does not contain {}", self.needle)));
        }
        let mut e = Explanation::new_with_string(format!("contains {} as written", self.needle), scorer.score());
        e.add_detail(self.inner.explain(reader, doc)?);
        Ok(e)
    }
}

struct VerifiedScorer {
    inner: Box<dyn Scorer>,
    store: StoreReader,
    needle: String,
    fields: [Field; 2],
}

impl VerifiedScorer {
    fn contains(&self, doc: DocId) -> bool {
        let Ok(stored) = self.store.get::<TantivyDocument>(doc) else { return false };
        self.fields.iter().filter_map(|f| stored.get_first(*f).and_then(|v| v.as_str())).any(|text| canonical(text).contains(&self.needle))
    }

    /// Move to the first candidate at or after the current one that passes the check.
    fn settle(&mut self) -> DocId {
        loop {
            let doc = self.inner.doc();
            if doc == TERMINATED || self.contains(doc) {
                return doc;
            }
            self.inner.advance();
        }
    }
}

impl DocSet for VerifiedScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance();
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.inner.doc() < target {
            self.inner.seek(target);
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for VerifiedScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_compare_in_one_spelling() {
        let cases = [
            ("4·28", "4·28"),
            ("4•28", "4·28"),
            ("4・28", "4·28"),
            ("７·１５专案", "7·15专案"),
            ("（2023）粤0304刑初123号", "(2023)粤0304刑初123号"),
            ("〔2023〕粤0304刑初123号", "(2023)粤0304刑初123号"),
            ("Ａ12345", "a12345"),
            ("2022—0915", "2022-0915"),
            ("“雷霆2023”", "“雷霆2023”"),
        ];
        for (text, want) in cases {
            assert_eq!(canonical(text), want, "{text}");
        }
    }

    #[test]
    fn only_inner_punctuation_binds() {
        let cases = [
            ("4·28", true),
            ("7·15专案", true),
            ("(2023)粤0304刑初123号", true),
            ("2022-0915", true),
            ("A12345", false),
            ("雷霆2023", false),
            ("“雷霆2023”", false),
            ("养老诈骗", false),
            ("号，深", false),
            ("预防,全", false),
            ("打击盗窃、诈骗", false),
            ("2.8亿", true),
            ("百日行动】锡林", false),
        ];
        for (text, want) in cases {
            assert_eq!(binds_punctuation(text), want, "{text}");
        }
    }
}

//! Partial matches worth showing: bulletins covering enough of the query's information.
//!
//! A question phrased differently from the bulletin (诈骗医保基金 where it says 诈骗医保资金)
//! deserves the bulletins that have most of it. "Most" is measured in information, not in
//! words: matching 的, 不 and 在 of 不存在的XYZ, or the 某某 of a name, says nothing about a
//! bulletin, while the one rare word of a query says nearly everything. Each unit of the
//! query (a word, a part of a long word, an OR group) weighs what finding it tells:
//! its inverse document frequency in the index, as BM25 computes it, and nothing at all
//! for stop characters and the placeholders of anonymised names. A bulletin is a partial
//! match when the units it contains weigh at least [`MIN_SHARE`] of the query's total;
//! its score is the sum of their scores.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, TantivyError, TERMINATED};

use crate::analysis::{fold, is_separator};

/// Share of the query's information a partial match must cover. Half: a bulletin with the
/// query's rarer half is worth a look; one with only its common words is not.
pub(crate) const MIN_SHARE: f32 = 0.5;

/// Function characters that say nothing on their own in a bulletin: particles,
/// prepositions, conjunctions, copulas and negations that occur in nearly every text.
const STOP_CHARACTERS: &str = "的地得了着过是在有和与及或而并且也都就又还才不没无非未把被将对于从向以为之其所这那此该个们等吗呢吧啊";

/// The placeholder of anonymised names (秦某某, 李某): the common part of thousands of names.
const NAME_PLACEHOLDER: char = '某';

/// Whether a unit of the query carries no information: nothing in it but stop characters,
/// name placeholders and punctuation.
pub(crate) fn uninformative(text: &str) -> bool {
    fold(text).chars().all(|c| is_separator(c) || c == NAME_PLACEHOLDER || STOP_CHARACTERS.contains(c))
}

/// Inverse document frequency of something found in `df` of `n` documents (BM25's form:
/// never negative, highest for what no document has).
pub(crate) fn idf(df: usize, n: usize) -> f32 {
    let (df, n) = (df as f32, n.max(df) as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// One unit of a query for partial matching.
pub struct Unit {
    /// As typed (folded), to tell stop characters and name placeholders.
    pub text: String,
    pub query: Box<dyn Query>,
}

/// The units' weights in this index; `None` when the query carries no information at all
/// (only stop characters and name placeholders).
pub(crate) fn weigh(searcher: &Searcher, units: &[Unit]) -> tantivy::Result<Option<Vec<f32>>> {
    let n = searcher.num_docs() as usize;
    let mut weights = Vec::with_capacity(units.len());
    for u in units {
        if uninformative(&u.text) {
            weights.push(0.0);
        } else {
            weights.push(idf(u.query.count(searcher)?, n));
        }
    }
    if weights.iter().sum::<f32>() <= 0.0 {
        return Ok(None);
    }
    Ok(Some(weights))
}

/// Documents whose matching units weigh at least `min`.
pub(crate) struct Coverage {
    pub units: Vec<(Box<dyn Query>, f32)>,
    pub min: f32,
}

impl Clone for Coverage {
    fn clone(&self) -> Self {
        Coverage { units: self.units.iter().map(|(q, w)| (q.box_clone(), *w)).collect(), min: self.min }
    }
}

impl std::fmt::Debug for Coverage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Coverage(min={}, units={})", self.min, self.units.len())
    }
}

impl Query for Coverage {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut units = Vec::with_capacity(self.units.len());
        for (q, w) in &self.units {
            units.push((q.weight(scoring)?, *w));
        }
        Ok(Box::new(CoverageWeight { units, min: self.min }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        for (q, _) in &self.units {
            q.query_terms(visitor);
        }
    }
}

struct CoverageWeight {
    units: Vec<(Box<dyn Weight>, f32)>,
    min: f32,
}

impl Weight for CoverageWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut units = Vec::with_capacity(self.units.len());
        for (w, info) in &self.units {
            units.push((w.scorer(reader, boost)?, *info));
        }
        let mut s = CoverageScorer { units, min: self.min, doc: 0, score: 0.0 };
        s.next_match();
        Ok(Box::new(s))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!("document #{doc} covers too little of the query")));
        }
        let mut e = Explanation::new("partial match", scorer.score());
        for (w, _) in &self.units {
            if let Ok(d) = w.explain(reader, doc) {
                e.add_detail(d);
            }
        }
        Ok(e)
    }
}

struct CoverageScorer {
    units: Vec<(Box<dyn Scorer>, f32)>,
    min: f32,
    doc: DocId,
    score: Score,
}

impl CoverageScorer {
    /// The first document at or after the units' current positions that covers enough;
    /// leaves every unit past it.
    fn next_match(&mut self) -> DocId {
        loop {
            let doc = self.units.iter().map(|(s, _)| s.doc()).min().unwrap_or(TERMINATED);
            if doc == TERMINATED {
                self.doc = TERMINATED;
                return TERMINATED;
            }
            let (mut covered, mut score) = (0.0f32, 0.0f32);
            for (s, info) in self.units.iter_mut() {
                if s.doc() == doc {
                    covered += *info;
                    score += s.score();
                    s.advance();
                }
            }
            if covered >= self.min {
                self.doc = doc;
                self.score = score;
                return doc;
            }
        }
    }
}

impl DocSet for CoverageScorer {
    fn advance(&mut self) -> DocId {
        self.next_match()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for (s, _) in self.units.iter_mut() {
            if s.doc() < target {
                s.seek(target);
            }
        }
        self.next_match()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.units.iter().map(|(s, _)| s.size_hint()).max().unwrap_or(0)
    }
}

impl Scorer for CoverageScorer {
    fn score(&mut self) -> Score {
        self.score
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_characters_and_name_placeholders_say_nothing() {
        let cases = [
            ("的", true),
            ("不", true),
            ("在", true),
            ("某某", true),
            ("某", true),
            ("不在", true),
            ("、", true),
            ("存在", false),
            ("xyz", false),
            ("崔", false),
            ("秦某某", false),
            ("诈骗", false),
            ("醫保", false),
        ];
        for (text, want) in cases {
            assert_eq!(uninformative(text), want, "{text}");
        }
    }

    #[test]
    fn rarer_units_weigh_more() {
        let n = 1000;
        assert!(idf(0, n) > idf(3, n));
        assert!(idf(3, n) > idf(300, n));
        assert!(idf(n, n) >= 0.0 && idf(n, n) < 0.01);
        // A word nobody has outweighs many common ones.
        assert!(idf(0, n) > 3.0 * idf(400, n));
    }
}

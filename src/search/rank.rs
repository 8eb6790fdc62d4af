//! Ranking by the kind of evidence, and counting hits per kind, in one pass.
//!
//! A journalist quoting a result needs to know whether a bulletin says what was typed or
//! was found through an expansion, and wants the first kind first. So hits are ordered by
//! [`MatchKind`] before score: every bulletin containing the query as typed ranks above
//! every one that only has its words apart (电信…诈骗 for 电信诈骗), then those found only
//! through a synonym (another name for the same thing), then those found only through a
//! category a query word names (the same kind of thing). Within a kind, hits rank by score:
//! for synonym and category hits that is the evidence each carries, the synonym's words or
//! the category's cue words scored BM25, not a flat constant.
//!
//! The kind of a matching document is decided by checking it against narrower plans of the
//! same query (literal, typed words, typed words plus synonyms), each a subset of the full
//! one, while the collector walks the matches in document order; the same walk counts the
//! matches of each kind, so the totals a header prints cost no extra pass.

use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{Scorer, Weight};
use tantivy::{DateTime, DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader};

use super::{MatchKind, SortBy};
use crate::index::schema::name;

/// The narrower plans that tell a match's kind. `None` for a plan equal to the next wider
/// one (or to the full plan): a document matching the wider one matches it too.
pub(crate) struct Tiers {
    /// Every item as typed, characters in a row.
    pub literal: Arc<dyn Weight>,
    /// The typed words (no synonyms, no categories).
    pub typed: Option<Arc<dyn Weight>>,
    /// The typed words and their synonyms (no categories).
    pub worded: Option<Arc<dyn Weight>>,
    /// The full plan used synonyms (else only categories widened it).
    pub synonyms: bool,
}

/// How the collector names the kind of each match.
#[derive(Clone)]
pub(crate) enum Kinds {
    /// Every match has this kind (`None` when browsing, `Partial` for the relaxed plan).
    Fixed(Option<MatchKind>),
    /// Decided per document against the narrower plans.
    Tiered(Arc<Tiers>),
}

/// A ranked match.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate {
    pub kind: Option<MatchKind>,
    pub score: Score,
    /// Seconds since the epoch; `i64::MIN` when undated.
    pub date: i64,
    pub address: DocAddress,
}

/// What a ranking pass yields.
#[derive(Debug, Default)]
pub(crate) struct Ranking {
    pub total: usize,
    /// Matches per kind: literal, words, synonym, category (partial and browsing ones are
    /// only in `total`).
    pub counts: Counts,
    /// The best `n`, in order.
    pub top: Vec<Candidate>,
}

/// Matches per kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    pub literal: usize,
    pub words: usize,
    pub synonym: usize,
    pub category: usize,
}

impl Counts {
    fn add(&mut self, kind: Option<MatchKind>) {
        match kind {
            Some(MatchKind::Literal) => self.literal += 1,
            Some(MatchKind::Words) => self.words += 1,
            Some(MatchKind::Synonym) => self.synonym += 1,
            Some(MatchKind::Category) => self.category += 1,
            Some(MatchKind::Partial) | None => {}
        }
    }

    fn merge(&mut self, o: Counts) {
        self.literal += o.literal;
        self.words += o.words;
        self.synonym += o.synonym;
        self.category += o.category;
    }
}

/// Rank of a kind in the result order: what was typed, its words, a synonym, a category,
/// then partial matches.
pub(crate) fn tier(kind: Option<MatchKind>) -> u8 {
    match kind {
        Some(MatchKind::Literal) | None => 0,
        Some(MatchKind::Words) => 1,
        Some(MatchKind::Synonym) => 2,
        Some(MatchKind::Category) => 3,
        Some(MatchKind::Partial) => 4,
    }
}

/// Result order: by relevance, kind tier first, then score, newer first among equals;
/// by date, newest (or oldest) first with undated ones last, then as by relevance.
pub(crate) fn order(sort: SortBy) -> impl Fn(&Candidate, &Candidate) -> std::cmp::Ordering + Copy {
    move |a: &Candidate, b: &Candidate| {
        let relevance = tier(a.kind).cmp(&tier(b.kind)).then(b.score.partial_cmp(&a.score).unwrap_or(std::cmp::Ordering::Equal)).then(b.date.cmp(&a.date));
        let tie = (a.address.segment_ord, a.address.doc_id).cmp(&(b.address.segment_ord, b.address.doc_id));
        match sort {
            SortBy::Relevance => relevance.then(tie),
            // Undated is i64::MIN: last when newest come first by itself.
            SortBy::Date => b.date.cmp(&a.date).then(relevance).then(tie),
            SortBy::DateOldestFirst => {
                let undated = |c: &Candidate| c.date == i64::MIN;
                undated(a).cmp(&undated(b)).then(a.date.cmp(&b.date)).then(relevance).then(tie)
            }
        }
    }
}

/// Collects the best `limit` matches in `sort` order with their kinds, and counts them.
pub(crate) struct Ranker {
    pub kinds: Kinds,
    pub sort: SortBy,
    pub limit: usize,
}

pub(crate) struct SegmentRanker {
    segment: SegmentOrdinal,
    kinds: Kinds,
    reader: SegmentReader,
    scorers: [Option<Box<dyn Scorer>>; 3],
    /// The last document each scorer was asked about.
    asked: [Option<DocId>; 3],
    dates: Option<Column<DateTime>>,
    sort: SortBy,
    limit: usize,
    total: usize,
    counts: Counts,
    top: Vec<Candidate>,
}

impl Collector for Ranker {
    type Fruit = Ranking;
    type Child = SegmentRanker;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentRanker> {
        let mut scorers: [Option<Box<dyn Scorer>>; 3] = [None, None, None];
        if let Kinds::Tiered(t) = &self.kinds {
            scorers[0] = Some(t.literal.scorer(reader, 1.0)?);
            if let Some(w) = &t.typed {
                scorers[1] = Some(w.scorer(reader, 1.0)?);
            }
            if let Some(w) = &t.worded {
                scorers[2] = Some(w.scorer(reader, 1.0)?);
            }
        }
        Ok(SegmentRanker {
            segment,
            kinds: self.kinds.clone(),
            reader: reader.clone(),
            scorers,
            asked: [None; 3],
            dates: reader.fast_fields().date(name::DATE).ok(),
            sort: self.sort,
            limit: self.limit.max(1),
            total: 0,
            counts: Counts::default(),
            top: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == SortBy::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<Ranking>) -> tantivy::Result<Ranking> {
        let mut out = Ranking::default();
        for f in fruits {
            out.total += f.total;
            out.counts.merge(f.counts);
            out.top.extend(f.top);
        }
        out.top.sort_by(order(self.sort));
        out.top.truncate(self.limit.max(1));
        Ok(out)
    }
}

impl SegmentRanker {
    /// Whether scorer `i` (of the narrower plans) matches `doc`. Documents arrive in
    /// increasing order, so each scorer only moves forward; should one ever arrive out of
    /// order, the scorer is made again rather than give a wrong answer.
    fn matches(&mut self, i: usize, doc: DocId) -> bool {
        let Kinds::Tiered(t) = &self.kinds else { return false };
        let Some(scorer) = &mut self.scorers[i] else { return false };
        // A scorer past `doc` has simply not matched it; only a document before the last
        // one asked about means the order broke.
        let backwards = self.asked[i].is_some_and(|last| doc < last);
        self.asked[i] = Some(doc);
        if backwards {
            let weight = match i {
                0 => Some(&t.literal),
                1 => t.typed.as_ref(),
                _ => t.worded.as_ref(),
            };
            match weight.map(|w| w.scorer(&self.reader, 1.0)) {
                Some(Ok(s)) => *scorer = s,
                _ => return false,
            }
        }
        if scorer.doc() < doc {
            scorer.seek(doc);
        }
        scorer.doc() == doc
    }

    fn kind(&mut self, doc: DocId) -> Option<MatchKind> {
        let (synonyms, typed, worded) = match &self.kinds {
            Kinds::Fixed(k) => return *k,
            Kinds::Tiered(t) => (t.synonyms, t.typed.is_some(), t.worded.is_some()),
        };
        if self.matches(0, doc) {
            return Some(MatchKind::Literal);
        }
        // Without a typed plan the full plan is the typed one.
        if !typed || self.matches(1, doc) {
            return Some(MatchKind::Words);
        }
        if worded {
            return Some(if self.matches(2, doc) { MatchKind::Synonym } else { MatchKind::Category });
        }
        Some(if synonyms { MatchKind::Synonym } else { MatchKind::Category })
    }
}

impl SegmentCollector for SegmentRanker {
    type Fruit = Ranking;

    fn collect(&mut self, doc: DocId, score: Score) {
        let kind = self.kind(doc);
        self.total += 1;
        self.counts.add(kind);
        let date = self.dates.as_ref().and_then(|c| c.first(doc)).map(|d| d.into_timestamp_secs()).unwrap_or(i64::MIN);
        self.top.push(Candidate { kind, score, date, address: DocAddress::new(self.segment, doc) });
        // Keep about twice the page: selecting the best half now and then keeps the work
        // linear in the number of matches.
        if self.top.len() >= 2 * self.limit + 64 {
            let order = order(self.sort);
            self.top.select_nth_unstable_by(self.limit - 1, order);
            self.top.truncate(self.limit);
        }
    }

    fn harvest(mut self) -> Ranking {
        self.top.sort_by(order(self.sort));
        self.top.truncate(self.limit);
        Ranking { total: self.total, counts: self.counts, top: self.top }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(kind: MatchKind, score: f32, date: i64, doc: u32) -> Candidate {
        Candidate { kind: Some(kind), score, date, address: DocAddress::new(0, doc) }
    }

    #[test]
    fn kinds_rank_before_scores_and_dates_break_ties() {
        let mut v = vec![
            c(MatchKind::Partial, 9.0, 5, 0),
            c(MatchKind::Category, 0.8, 5, 1),
            c(MatchKind::Synonym, 0.6, 5, 2),
            c(MatchKind::Words, 20.0, 5, 3),
            c(MatchKind::Literal, 1.0, 1, 4),
            c(MatchKind::Literal, 1.0, 9, 5),
        ];
        v.sort_by(order(SortBy::Relevance));
        let docs: Vec<u32> = v.iter().map(|c| c.address.doc_id).collect();
        // Literal first (newer of two equal scores first), then words, synonym, category,
        // partial last.
        assert_eq!(docs, [5, 4, 3, 2, 1, 0]);
        v.sort_by(order(SortBy::Date));
        assert_eq!(v[0].address.doc_id, 5);
        assert_eq!(v.last().map(|c| c.address.doc_id), Some(4));
        v.push(Candidate { kind: Some(MatchKind::Literal), score: 1.0, date: i64::MIN, address: DocAddress::new(0, 6) });
        v.sort_by(order(SortBy::DateOldestFirst));
        assert_eq!(v[0].address.doc_id, 4, "oldest first");
        assert_eq!(v.last().map(|c| c.address.doc_id), Some(6), "undated last");
    }
}

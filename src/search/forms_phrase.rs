//! A phrase whose every position accepts any of a few given terms.
//!
//! The text fields hold a bigram in one of two forms (plain or marked, see
//! [`crate::analysis::text`]), so a literal string is a phrase whose positions each take
//! either. tantivy says that only as a regex phrase, which builds an automaton per position
//! and walks the term dictionary with it in every segment: for a query naming a category,
//! whose few dozen cue words are each such a phrase in title and body, that walk was most
//! of the search. The forms are known, so this query looks each one up directly, merges
//! their postings per position and counts where the positions line up. Only exact phrases
//! (no slop): what literal strings need; a phrase with slop keeps tantivy's regex phrase,
//! whose scorer decides what a slop match is.
//!
//! BM25 sums, per position, the IDF of its commonest form: the frequency of the characters
//! whichever way the bulletins' segmentation wrote them (see [`super::spelled`]).

use std::collections::HashMap;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

/// An exact phrase of positions (character offsets), each matched by any of its terms.
#[derive(Debug, Clone)]
pub(crate) struct FormsPhrase {
    field: Field,
    positions: Vec<(usize, Vec<Term>)>,
}

impl FormsPhrase {
    /// `positions` as (offset, terms of `field`), at least two, none without terms.
    pub fn new(field: Field, mut positions: Vec<(usize, Vec<Term>)>) -> FormsPhrase {
        positions.sort_by_key(|(offset, _)| *offset);
        debug_assert!(positions.len() >= 2 && positions.iter().all(|(_, forms)| !forms.is_empty()));
        FormsPhrase { field, positions }
    }
}

impl Query for FormsPhrase {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match scoring {
            EnableScoring::Enabled { statistics_provider, .. } => {
                // One term stands for each position, with the frequency of its commonest form.
                let mut df = HashMap::new();
                let mut stand_ins = Vec::with_capacity(self.positions.len());
                for (_, forms) in &self.positions {
                    let mut most = 0;
                    for t in forms {
                        most = most.max(statistics_provider.doc_freq(t)?);
                    }
                    let stand_in = forms[0].clone();
                    let known = df.entry(stand_in.clone()).or_insert(most);
                    *known = (*known).max(most);
                    stand_ins.push(stand_in);
                }
                Some(Bm25Weight::for_terms(&Commonest { inner: statistics_provider, df }, &stand_ins)?)
            }
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(FormsPhraseWeight { phrase: self.clone(), bm25 }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (_, forms) in &self.positions {
            for t in forms {
                visitor(t, true);
            }
        }
    }
}

/// Index statistics with each position's stand-in term given its commonest form's frequency.
struct Commonest<'a> {
    inner: &'a dyn Bm25StatisticsProvider,
    df: HashMap<Term, u64>,
}

impl Bm25StatisticsProvider for Commonest<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.inner.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.inner.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        match self.df.get(term) {
            Some(&df) => Ok(df),
            None => self.inner.doc_freq(term),
        }
    }
}

struct FormsPhraseWeight {
    phrase: FormsPhrase,
    bm25: Option<Bm25Weight>,
}

impl FormsPhraseWeight {
    /// The phrase's scorer in one segment; `None` where some position has no form at all.
    fn phrase_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Option<FormsPhraseScorer>> {
        let field = self.phrase.field;
        let inverted = reader.inverted_index(field)?;
        let last = self.phrase.positions.last().map_or(0, |(offset, _)| *offset);
        let mut lists = Vec::with_capacity(self.phrase.positions.len());
        for (offset, forms) in &self.phrase.positions {
            let mut postings = Vec::with_capacity(forms.len());
            for t in forms {
                if let Some(p) = inverted.read_postings(t, IndexRecordOption::WithFreqsAndPositions)? {
                    postings.push(p);
                }
            }
            if postings.is_empty() {
                return Ok(None);
            }
            // Shifted so that a phrase's positions all read as the position of its end.
            lists.push(((last - offset) as u32, Forms::new(postings)));
        }
        let fieldnorms = match (&self.bm25, reader.fieldnorms_readers().get_field(field)?) {
            (Some(_), Some(norms)) => norms,
            _ => FieldNormReader::constant(reader.max_doc(), 1),
        };
        let bm25 = self.bm25.as_ref().map(|w| w.boost_by(boost));
        let mut scorer = FormsPhraseScorer { lists, bm25, fieldnorms, doc: 0, count: 0, left: Vec::new(), right: Vec::new() };
        scorer.find(0);
        Ok(Some(scorer))
    }
}

impl Weight for FormsPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.phrase_scorer(reader, boost)? {
            Some(s) => Box::new(s),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let no_match = || TantivyError::InvalidArgument(format!("document #({doc}) does not match"));
        let mut scorer = self.phrase_scorer(reader, 1.0)?.ok_or_else(no_match)?;
        if scorer.seek(doc) != doc {
            return Err(no_match());
        }
        let mut explanation = Explanation::new("phrase of term forms", scorer.score());
        if let Some(bm25) = &self.bm25 {
            explanation.add_detail(bm25.explain(scorer.fieldnorms.fieldnorm_id(doc), scorer.count));
        }
        Ok(explanation)
    }
}

/// Documents where every position's forms line up, with how many times they do.
struct FormsPhraseScorer {
    /// Each position's postings, with the shift that aligns it on the phrase's end.
    lists: Vec<(u32, Forms)>,
    bm25: Option<Bm25Weight>,
    fieldnorms: FieldNormReader,
    doc: DocId,
    /// Occurrences of the phrase in `doc`.
    count: u32,
    left: Vec<u32>,
    right: Vec<u32>,
}

impl FormsPhraseScorer {
    /// Settle on the first document at or after `target` that holds the phrase.
    fn find(&mut self, mut target: DocId) -> DocId {
        'candidates: loop {
            // Every position's postings at one document (leapfrog).
            let mut doc = target;
            loop {
                let mut agreed = true;
                for (_, forms) in &mut self.lists {
                    let d = if forms.doc() < doc { forms.seek(doc) } else { forms.doc() };
                    if d > doc {
                        doc = d;
                        agreed = false;
                    }
                }
                if doc == TERMINATED {
                    self.doc = TERMINATED;
                    self.count = 0;
                    return TERMINATED;
                }
                if agreed {
                    break;
                }
            }
            let count = self.occurrences();
            if count > 0 {
                self.doc = doc;
                self.count = count;
                return doc;
            }
            target = doc + 1;
            continue 'candidates;
        }
    }

    /// How many end positions every position's forms share in the current document.
    fn occurrences(&mut self) -> u32 {
        let Some(((shift, first), rest)) = self.lists.split_first_mut() else { return 0 };
        self.left.clear();
        first.append_positions_with_offset(*shift, &mut self.left);
        for (shift, forms) in rest {
            self.right.clear();
            forms.append_positions_with_offset(*shift, &mut self.right);
            keep_common(&mut self.left, &self.right);
            if self.left.is_empty() {
                return 0;
            }
        }
        self.left.len() as u32
    }
}

/// Keep in `left` (sorted) the values `right` (sorted) also holds.
fn keep_common(left: &mut Vec<u32>, right: &[u32]) {
    let mut j = 0;
    left.retain(|&v| {
        while j < right.len() && right[j] < v {
            j += 1;
        }
        j < right.len() && right[j] == v
    });
}

impl DocSet for FormsPhraseScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.find(self.doc + 1)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if target <= self.doc {
            return self.doc;
        }
        self.find(target)
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.lists.iter().map(|(_, f)| f.size_hint()).min().unwrap_or(0)
    }
}

impl Scorer for FormsPhraseScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(bm25) => bm25.score(self.fieldnorms.fieldnorm_id(self.doc), self.count),
            None => 1.0,
        }
    }
}

/// The postings of a position's forms merged into one: a document has the position where
/// it has any form, with their frequencies added and positions in order.
pub(crate) struct Forms {
    postings: Vec<SegmentPostings>,
    doc: DocId,
}

impl Forms {
    fn new(postings: Vec<SegmentPostings>) -> Forms {
        let doc = postings.iter().map(DocSet::doc).min().unwrap_or(TERMINATED);
        Forms { postings, doc }
    }

    fn settle(&mut self) -> DocId {
        self.doc = self.postings.iter().map(DocSet::doc).min().unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for Forms {
    fn advance(&mut self) -> DocId {
        let doc = self.doc;
        for p in &mut self.postings {
            if p.doc() == doc {
                p.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        for p in &mut self.postings {
            if p.doc() < target {
                p.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.postings.iter().map(DocSet::size_hint).sum()
    }
}

impl Postings for Forms {
    fn term_freq(&self) -> u32 {
        self.postings.iter().filter(|p| p.doc() == self.doc).map(|p| p.term_freq()).sum()
    }

    fn append_positions_with_offset(&mut self, offset: u32, output: &mut Vec<u32>) {
        let (start, doc) = (output.len(), self.doc);
        let mut parts = 0;
        for p in &mut self.postings {
            if p.doc() == doc {
                p.append_positions_with_offset(offset, output);
                parts += 1;
            }
        }
        if parts > 1 {
            output[start..].sort_unstable();
        }
    }
}

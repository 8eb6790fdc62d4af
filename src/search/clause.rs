//! The query plan as a tree of engine-neutral clauses, and its translation to tantivy.
//!
//! tongbao searches either its own tantivy index or a Solr collection holding the same
//! token stream (issue 18). Everything from the user's query to the plan, and from the
//! ranked ids to passages, highlights and output, is the same code for both; what differs
//! is only how a plan is run. So the planner does not build tantivy queries: it builds this
//! tree, which says what to match and how to weigh it in the terms of our schema (a word's
//! token, a phrase at character offsets whose positions each accept a few forms, a prefix,
//! a constant score, a boost, a boolean with required and optional parts, the best of
//! several fields). [`Clause::local`] turns it into exactly the tantivy queries the planner
//! built before there was a second engine; `cluster::query` turns it into Solr's JSON
//! Query DSL. A clause that one engine cannot score like the other is named here once
//! (sloppy phrases, the forms of a literal bigram), so each translator decides for itself
//! how close it comes.

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery, Occur as TantivyOccur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::exact::Verified;
use super::spelled::{self, Position};
use crate::analysis::grams::Gram;
use crate::index::Fields;

/// Phrases with slop score a constant in both stores (see `spelled::sloppy_constant`).
pub const SLOPPY_CONSTANT: bool = true;

/// The two indexed text fields (one positional stream each, see `analysis::text`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TextField {
    Title,
    Body,
}

impl TextField {
    /// The field's name in both engines' schemas.
    pub fn name(self) -> &'static str {
        match self {
            TextField::Title => crate::index::schema::name::TITLE,
            TextField::Body => crate::index::schema::name::BODY,
        }
    }

    fn field(self, f: &Fields) -> Field {
        match self {
            TextField::Title => f.title,
            TextField::Body => f.body,
        }
    }
}

/// How a clause of a [`Clause::Bool`] takes part: as in tantivy and Lucene, optional
/// clauses are needed (one of them) only where nothing is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occur {
    Must,
    Should,
    MustNot,
}

/// One node of a plan.
#[derive(Debug, Clone)]
pub enum Clause {
    /// Matches nothing.
    Nothing,
    /// Matches every bulletin, score 1.
    Everything,
    /// A token of a text field, BM25.
    Term { field: TextField, text: String },
    /// Bulletins classified under a category path (`/诈骗/养老诈骗`), a parent matching its
    /// children; score 1, meant to sit under [`Clause::Const`].
    Category(String),
    /// Tokens at character offsets (relative to the smallest), within `slop` as tantivy
    /// counts it (the sum of the moves), BM25 over their IDFs. At least two.
    Phrase { field: TextField, terms: Vec<(usize, String)>, slop: u32 },
    /// Positions that each accept the forms of what they spell (a bigram plain or marked, a
    /// prefix), scored by the IDF of the commoner form per position: see `spelled`.
    Spelled { field: TextField, positions: Vec<Position>, slop: u32 },
    /// A text's query grams, characters in a row (see `spelled::literal`): a phrase of
    /// bigrams in either form, one bigram in either form, or a lone last character as a
    /// constant-score prefix.
    Literal { field: TextField, grams: Vec<Gram> },
    /// `inner`, narrowed to bulletins whose stored title or body contains `needle`
    /// (already `exact::canonical`), punctuation included.
    Verified { inner: Box<Clause>, needle: String },
    /// Score × the factor.
    Boost(Box<Clause>, f32),
    /// The inner clause's matches, each scored the constant.
    Const(Box<Clause>, f32),
    /// Required, optional and excluded parts; the score sums the matching scored parts.
    Bool(Vec<(Occur, Clause)>),
    /// The best part's score plus the tie-breaker share of the others'.
    DisMax(Vec<Clause>, f32),
}

impl Clause {
    /// A boolean of optional parts: one of them must match.
    pub fn any(parts: impl IntoIterator<Item = Clause>) -> Clause {
        Clause::Bool(parts.into_iter().map(|c| (Occur::Should, c)).collect())
    }

    /// Scaled by `w`, left as it is for a weight of one (as the planner always did, so the
    /// local queries are the same).
    pub fn boosted(self, w: f32) -> Clause {
        if (w - 1.0).abs() < f32::EPSILON {
            self
        } else {
            Clause::Boost(Box::new(self), w)
        }
    }

    /// The tantivy query of this clause over the local index.
    pub fn local(&self, f: &Fields) -> Box<dyn Query> {
        match self {
            Clause::Nothing => Box::new(EmptyQuery),
            Clause::Everything => Box::new(AllQuery),
            Clause::Term { field, text } => Box::new(TermQuery::new(Term::from_field_text(field.field(f), text), IndexRecordOption::WithFreqsAndPositions)),
            Clause::Category(path) => match tantivy::schema::Facet::from_text(path) {
                Ok(facet) => Box::new(TermQuery::new(Term::from_facet(f.category, &facet), IndexRecordOption::Basic)),
                Err(_) => Box::new(EmptyQuery),
            },
            Clause::Phrase { field, terms, slop } => {
                let field = field.field(f);
                let base = terms.iter().map(|(p, _)| *p).min().unwrap_or(0);
                let terms: Vec<(usize, Term)> = terms.iter().map(|(p, t)| (p - base, Term::from_field_text(field, t))).collect();
                let words: Vec<Term> = terms.iter().map(|t| t.1.clone()).collect();
                let q = Box::new(PhraseQuery::new_with_offset_and_slop(terms, *slop));
                if *slop > 0 && SLOPPY_CONSTANT {
                    return spelled::sloppy_words(q, words);
                }
                q
            }
            Clause::Spelled { field, positions, slop } if *slop > 0 && SLOPPY_CONSTANT => spelled::sloppy_constant(field.field(f), positions, *slop),
            Clause::Spelled { field, positions, slop } => spelled::phrase(field.field(f), positions, *slop),
            Clause::Literal { field, grams } => spelled::literal(field.field(f), grams).unwrap_or_else(|| Box::new(EmptyQuery)),
            Clause::Verified { inner, needle } => Box::new(Verified { inner: inner.local(f), needle: needle.clone(), fields: [f.title_text, f.body_text] }),
            Clause::Boost(inner, w) => Box::new(BoostQuery::new(inner.local(f), *w)),
            Clause::Const(inner, w) => Box::new(ConstScoreQuery::new(inner.local(f), *w)),
            Clause::Bool(parts) => Box::new(BooleanQuery::new(
                parts
                    .iter()
                    .map(|(o, c)| {
                        let o = match o {
                            Occur::Must => TantivyOccur::Must,
                            Occur::Should => TantivyOccur::Should,
                            Occur::MustNot => TantivyOccur::MustNot,
                        };
                        (o, c.local(f))
                    })
                    .collect(),
            )),
            Clause::DisMax(parts, tie) => Box::new(DisjunctionMaxQuery::with_tie_breaker(parts.iter().map(|c| c.local(f)).collect(), *tie)),
        }
    }
}

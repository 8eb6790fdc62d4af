//! Characters in a row over the text fields' one positional stream, scored by what they
//! spell rather than by how the index wrote them.
//!
//! The title and body fields hold each bigram in one of two forms (see
//! [`crate::analysis::text`]): plain where the bulletin's segmentation cut it as a word,
//! marked elsewhere. A literal string is therefore a phrase whose every position takes
//! either form, which tantivy can only say as a regex phrase (`(\|)?诈骗` per position).
//! That matches the right bulletins but weighs them wrongly: tantivy's regex phrase takes
//! its BM25 IDF from the pattern strings as if they were terms, and no document holds a
//! pattern, so every position scores as the rarest term there could be. Literal matches, the
//! phrase and nearness bonuses and the category evidence weighed two to five times what
//! the separate gram field gave them, enough to reorder hits (`追赃挽损 养老诈骗` on
//! corpus-samples put a bulletin with the two terms once each, close together, above one
//! whose title is the query's subject). The marked form of a common word is also rare in
//! its own right, so even a single bigram's term query weighed the wrong frequency.
//!
//! [`Spelled`] keeps a query's matches and scales its score so that each position weighs
//! the IDF of the characters it spells: that of the commoner of their indexed forms. That is
//! a lower bound of the bulletins holding either form (the true count lies between it and
//! the sum), and close to it, since most bigrams are nearly always one form or nearly always
//! the other. A lone character at the end of a query (a prefix over every gram it begins)
//! keeps the pattern's own weight, as the gram field's prefix patterns had.

use tantivy::query::{BooleanQuery, BoostWeight, ConstScoreQuery, EnableScoring, Occur, Query, RegexPhraseQuery, RegexQuery, TermQuery, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::coverage::idf;
use super::forms_phrase::FormsPhrase;
use crate::analysis::grams::Gram;
use crate::analysis::text::GRAM_MARK;

/// Cap on the expansions of a one-character regex term, so `人` stays cheap.
pub(crate) const MAX_REGEX_EXPANSIONS: u32 = 1 << 16;

/// One position of a phrase over the text fields.
#[derive(Debug, Clone)]
pub struct Position {
    /// Character offset in the query.
    pub offset: usize,
    /// Regex over the field's terms that the position accepts.
    pub pattern: String,
    /// Indexed forms whose frequency the position stands for; empty: the pattern's own.
    pub forms: Vec<String>,
    /// For a lone last character, the character: the position takes every gram it begins
    /// (either form) and the character alone.
    pub prefix: Option<String>,
}

impl Position {
    /// A query gram: a bigram in either form, a run-end character as itself, a prefix
    /// over every gram a lone last character begins.
    pub(crate) fn gram(offset: usize, g: &Gram) -> Position {
        let forms = if g.prefix { Vec::new() } else { gram_forms(&g.text) };
        Position { offset, pattern: gram_pattern(g), forms, prefix: g.prefix.then(|| g.text.clone()) }
    }

    /// A word with a token of its own (see [`crate::analysis::text::is_token`]).
    pub fn word(offset: usize, word: &str) -> Position {
        Position { offset, pattern: regex::escape(word), forms: vec![word.to_string()], prefix: None }
    }
}

/// A phrase of positions in one field (`slop` as tantivy's), scored by what it spells.
/// Offsets are taken relative to the first position. An exact phrase whose positions all
/// name their forms looks them up directly ([`FormsPhrase`]); one with a prefix or a slop
/// takes tantivy's regex phrase, rescaled.
pub(crate) fn phrase(field: Field, positions: &[Position], slop: u32) -> Box<dyn Query> {
    let base = positions.iter().map(|p| p.offset).min().unwrap_or(0);
    if slop == 0 && positions.len() >= 2 && positions.iter().all(|p| !p.forms.is_empty()) {
        let forms = positions.iter().map(|p| (p.offset - base, spelled_forms(field, p))).collect();
        return Box::new(FormsPhrase::new(field, forms));
    }
    let patterns = positions.iter().map(|p| (p.offset - base, p.pattern.clone())).collect();
    let mut q = RegexPhraseQuery::new_with_offset_and_slop(field, patterns, slop);
    q.set_max_expansions(MAX_REGEX_EXPANSIONS);
    let scored_as = q.phrase_terms();
    let forms = positions.iter().map(|p| spelled_forms(field, p)).collect();
    Box::new(Spelled { inner: Box::new(q), scored_as, forms })
}

/// A text's grams in one field, in either of their indexed forms: a phrase of them, both
/// forms of a single bigram, a run-end character, or a prefix over every gram a lone last
/// character begins. `None` when the text has no grams.
pub fn literal(field: Field, grams: &[Gram]) -> Option<Box<dyn Query>> {
    Some(match grams {
        [] => return None,
        [one] if one.prefix => {
            let q = RegexQuery::from_pattern(&gram_pattern(one), field).ok()?;
            // Constant: a prefix over many grams has no meaningful term frequency.
            Box::new(ConstScoreQuery::new(Box::new(q), 1.0))
        }
        [one] => {
            let spelled: Vec<Term> = gram_forms(&one.text).iter().map(|t| Term::from_field_text(field, t)).collect();
            let forms = spelled
                .iter()
                .map(|t| -> (Occur, Box<dyn Query>) {
                    let q = Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs));
                    (Occur::Should, Box::new(Spelled { inner: q, scored_as: vec![t.clone()], forms: vec![spelled.clone()] }))
                })
                .collect();
            Box::new(BooleanQuery::new(forms))
        }
        _ => {
            let positions: Vec<Position> = grams.iter().map(|g| Position::gram(g.char_pos, g)).collect();
            phrase(field, &positions, 0)
        }
    })
}

/// The indexed forms of a query gram: a bigram plain and marked, a character as itself.
pub fn gram_forms(gram: &str) -> Vec<String> {
    if gram.chars().count() == 2 {
        vec![gram.to_string(), format!("{GRAM_MARK}{gram}")]
    } else {
        vec![gram.to_string()]
    }
}

/// A query gram as a regex over the text fields' terms: a bigram in either form, a
/// run-end character as itself, a prefix as every gram it begins (either form) and the
/// character alone.
fn gram_pattern(g: &Gram) -> String {
    let mark = regex::escape(&GRAM_MARK.to_string());
    let text = regex::escape(&g.text);
    if g.prefix {
        format!("({mark})?{text}.?")
    } else if g.text.chars().count() == 2 {
        format!("({mark})?{text}")
    } else {
        text
    }
}

/// The terms a position's frequency is read from: its forms, or its pattern as tantivy
/// reads it.
fn spelled_forms(field: Field, p: &Position) -> Vec<Term> {
    if p.forms.is_empty() {
        vec![Term::from_field_text(field, &p.pattern)]
    } else {
        p.forms.iter().map(|f| Term::from_field_text(field, f)).collect()
    }
}

/// A phrase with slop, scored as a constant: what the phrase would score found once in a
/// bulletin of average length, the sum of its positions' IDFs (each position's commoner
/// form, a prefix as a term no bulletin has). tantivy and Lucene count a sloppy match
/// differently (1 against 1/(1 + distance), and the distance of three or more terms), so a
/// BM25 score here could not be the same in a SolrCloud collection; this one is.
pub fn sloppy_constant(field: Field, positions: &[Position], slop: u32) -> Box<dyn Query> {
    let inner = phrase(field, positions, slop);
    let forms = positions.iter().map(|p| spelled_forms(field, p)).collect();
    Box::new(Sloppy { inner, forms })
}

/// The words of a sloppy words phrase (one form each), scored as [`sloppy_constant`].
pub fn sloppy_words(inner: Box<dyn Query>, terms: Vec<Term>) -> Box<dyn Query> {
    Box::new(Sloppy { inner, forms: terms.into_iter().map(|t| vec![t]).collect() })
}

#[derive(Debug)]
struct Sloppy {
    inner: Box<dyn Query>,
    forms: Vec<Vec<Term>>,
}

impl Clone for Sloppy {
    fn clone(&self) -> Self {
        Sloppy { inner: self.inner.box_clone(), forms: self.forms.clone() }
    }
}

impl Query for Sloppy {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let EnableScoring::Enabled { statistics_provider: stats, .. } = scoring else { return self.inner.weight(scoring) };
        let n = stats.total_num_docs()? as usize;
        let mut sum = 0.0;
        for forms in &self.forms {
            let mut df = 0;
            for t in forms {
                df = df.max(stats.doc_freq(t)?);
            }
            sum += idf(df as usize, n);
        }
        ConstScoreQuery::new(self.inner.box_clone(), sum).weight(scoring)
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

/// A query whose BM25 score is rescaled from the IDF of the terms tantivy scores it by to
/// the IDF of what they spell.
#[derive(Debug)]
pub(crate) struct Spelled {
    inner: Box<dyn Query>,
    /// The terms the inner query's BM25 weight sums the IDF of, as tantivy reads them.
    scored_as: Vec<Term>,
    /// Per position, the indexed forms it stands for: it weighs the commonest one's IDF.
    forms: Vec<Vec<Term>>,
}

impl Clone for Spelled {
    fn clone(&self) -> Self {
        Spelled { inner: self.inner.box_clone(), scored_as: self.scored_as.clone(), forms: self.forms.clone() }
    }
}

impl Query for Spelled {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.inner.weight(scoring)?;
        let EnableScoring::Enabled { statistics_provider: stats, .. } = scoring else { return Ok(inner) };
        let n = stats.total_num_docs()? as usize;
        let mut typed = 0.0;
        for t in &self.scored_as {
            typed += idf(stats.doc_freq(t)? as usize, n);
        }
        let mut spelled = 0.0;
        for forms in &self.forms {
            let mut df = 0;
            for t in forms {
                df = df.max(stats.doc_freq(t)?);
            }
            spelled += idf(df as usize, n);
        }
        if typed <= 0.0 {
            return Ok(inner);
        }
        // BM25 is linear in its IDF: scaling the score replaces one sum by the other.
        Ok(Box::new(BoostWeight::new(inner, spelled / typed)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::grams::{grams, Side};
    use tantivy::collector::TopDocs;
    use tantivy::query::PhraseQuery;
    use tantivy::schema::{Schema, TextFieldIndexing, TextOptions};
    use tantivy::{doc, Index};

    /// An index of one text field whose tokens are written out, so each test says exactly
    /// which form every bigram has: whitespace-separated tokens at consecutive positions.
    fn index(docs: &[&str]) -> (Index, Field) {
        let mut b = Schema::builder();
        let opts = TextOptions::default()
            .set_indexing_options(TextFieldIndexing::default().set_tokenizer("whitespace").set_index_option(IndexRecordOption::WithFreqsAndPositions));
        let field = b.add_text_field("body", opts);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).expect("writer");
        for d in docs {
            w.add_document(doc!(field => *d)).expect("add");
        }
        w.commit().expect("commit");
        (index, field)
    }

    fn top_score(index: &Index, q: &dyn Query) -> f32 {
        let searcher = index.reader().expect("reader").searcher();
        let top: Vec<(f32, tantivy::DocAddress)> = searcher.search(q, &TopDocs::with_limit(1).order_by_score()).expect("search");
        top.first().map_or(0.0, |t| t.0)
    }

    // Tokens as the text stream writes them: 追赃 | 赃挽 挽损 … (one per character position).
    const PLAIN: &str = "追赃 |赃挽 挽损 损 ，";
    const FILLER: [&str; 4] = ["召开 |开会 会议", "通报 |报案 案情", "挽损 |损失", "|追赃 |赃款 款"];

    #[test]
    fn a_phrase_of_either_form_scores_as_the_phrase_of_its_forms_found() {
        // Where every position has one form in the index, the regex phrase over both forms
        // must score exactly what the plain phrase of those terms scores.
        let mut docs = vec![PLAIN];
        docs.extend(FILLER);
        let (index, field) = index(&docs);
        let g = grams("追赃挽损", Side::Query);
        let ours = literal(field, &g).expect("grams");
        let t = |s: &str| Term::from_field_text(field, s);
        let plain = PhraseQuery::new_with_offset(vec![(0, t("追赃")), (1, t("|赃挽")), (2, t("挽损"))]);
        let (ours, plain) = (top_score(&index, ours.as_ref()), top_score(&index, &plain));
        assert!(plain > 0.0 && (ours - plain).abs() < 1e-4 * plain, "ours {ours}, plain phrase {plain}");
        // Without the rescaling, tantivy weighs every pattern as a term no bulletin has.
        let mut raw = RegexPhraseQuery::new_with_offset(field, vec![(0, "(\\|)?追赃".into()), (1, "(\\|)?赃挽".into()), (2, "(\\|)?挽损".into())]);
        raw.set_max_expansions(MAX_REGEX_EXPANSIONS);
        assert!(top_score(&index, &raw) > 1.5 * plain, "the regex phrase alone is no longer inflated: test is stale");
    }

    #[test]
    fn forms_looked_up_directly_match_and_score_as_the_regex_phrase() {
        // Bulletins holding 追赃挽损 with each bigram in either form, twice, broken (a gram
        // missing) or not at all: the direct lookup must find the same ones, with the same
        // scores, as the rescaled regex phrase over the same forms.
        let grams_of = ["追赃", "赃挽", "挽损"];
        let noise = ["民警 |警开", "召开 |开会 会议", "通报", ""];
        let mut docs = Vec::new();
        for i in 0..48usize {
            let spelled: Vec<String> = grams_of.iter().enumerate().map(|(k, g)| if i >> k & 1 == 1 { format!("|{g}") } else { g.to_string() }).collect();
            let mut tokens = vec![noise[i % 4].to_string()];
            match i % 6 {
                0 => tokens.extend(spelled.iter().cloned().chain(["损".into(), "，".into()]).chain(spelled.iter().cloned())),
                1 => tokens.extend([spelled[0].clone(), spelled[2].clone()]),
                2 => tokens.push(noise[(i + 1) % 4].to_string()),
                _ => tokens.extend(spelled.iter().cloned()),
            }
            tokens.push(noise[(i + 2) % 4].to_string());
            docs.push(tokens.join(" "));
        }
        let refs: Vec<&str> = docs.iter().map(String::as_str).collect();
        let (index, field) = index(&refs);
        let searcher = index.reader().expect("reader").searcher();
        for text in ["追赃挽损", "追赃挽", "赃挽损"] {
            let g = grams(text, Side::Query);
            let positions: Vec<Position> = g.iter().map(|g| Position::gram(g.char_pos, g)).collect();
            let direct = phrase(field, &positions, 0);
            let patterns = positions.iter().map(|p| (p.offset, p.pattern.clone())).collect();
            let regex = RegexPhraseQuery::new_with_offset(field, patterns);
            let scored_as = regex.phrase_terms();
            let forms = positions.iter().map(|p| spelled_forms(field, p)).collect();
            let regex = Spelled { inner: Box::new(regex), scored_as, forms };
            let all = |q: &dyn Query| {
                let mut hits: Vec<(u32, f32)> = searcher
                    .search(q, &TopDocs::with_limit(100).order_by_score())
                    .expect("search")
                    .into_iter()
                    .map(|(s, a): (f32, tantivy::DocAddress)| (a.doc_id, s))
                    .collect();
                hits.sort_by_key(|h| h.0);
                hits
            };
            let (d, r) = (all(direct.as_ref()), all(&regex));
            assert!(d.len() >= 16, "{text}: {d:?}");
            assert_eq!(d.iter().map(|h| h.0).collect::<Vec<_>>(), r.iter().map(|h| h.0).collect::<Vec<_>>(), "{text}");
            for ((doc, a), (_, b)) in d.iter().zip(&r) {
                assert!((a - b).abs() < 1e-4 * b, "{text} in #{doc}: direct {a}, regex {b}");
            }
            assert_eq!(searcher.search(direct.as_ref(), &tantivy::collector::Count).expect("count"), d.len());
        }
    }

    #[test]
    fn a_position_weighs_its_commoner_form() {
        // 追赃 is marked in one bulletin and plain in two: the position weighs the
        // frequency of the commoner form, whichever form a bulletin has, so two bulletins
        // alike but for the form score alike.
        let docs = ["|追赃 |赃挽", "追赃 赃挽", "追赃 |赃款", "召开 会议", "通报 案情", "会议 通报"];
        let (index, field) = index(&docs);
        let searcher = index.reader().expect("reader").searcher();
        let q = literal(field, &grams("追赃", Side::Query)).expect("grams");
        let hits: Vec<(f32, tantivy::DocAddress)> = searcher.search(q.as_ref(), &TopDocs::with_limit(10).order_by_score()).expect("search");
        assert_eq!(hits.len(), 3, "{hits:?}");
        let score = |doc: u32| hits.iter().find(|h| h.1.doc_id == doc).map(|h| h.0).expect("found");
        assert!((score(0) - score(1)).abs() < 1e-4 * score(1), "marked {} against plain {}", score(0), score(1));
        // The forms' own term queries do not: the rarer marked form weighs more.
        let own = |form: &str, doc: u32| {
            let q = TermQuery::new(Term::from_field_text(field, form), IndexRecordOption::WithFreqs);
            q.explain(&searcher, tantivy::DocAddress::new(0, doc)).expect("explain").value()
        };
        assert!(own("|追赃", 0) > 1.2 * own("追赃", 1), "forms weigh alike: test is stale");
    }
}

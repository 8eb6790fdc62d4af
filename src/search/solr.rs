//! A plan in Solr's JSON Query DSL: the other translation of [`Clause`] (the first is
//! [`Clause::local`]), for a collection that holds the local index's token stream.
//!
//! Solr scores with the same BM25 as tantivy (k1 1.2, b 0.75, the same IDF, document
//! lengths counting stacked tokens, one-byte norms from the same table) but without
//! tantivy's constant factor 1 + k1, so every BM25 leaf is boosted by [`BM25_SCALE`] and a
//! constant-score leaf is not: then scores are equal, not just in the same order
//! (`cluster/DESIGN.md` §5 shows it term by term). What Lucene weighs differently is
//! corrected here from document frequencies the caller fetched first ([`Needs`] says which,
//! [`Stats`] holds them):
//!
//! * a position that accepts either form of a bigram is a stacked position of a
//!   MultiPhraseQuery, whose IDF sums every form's; tantivy's weighs the commoner form's
//!   (see `spelled`), so the phrase is boosted by the ratio of the two sums;
//! * one bigram in either form is each form's term, boosted by the same ratio;
//! * a prefix position (a lone last character) lists the terms it expands to, and tantivy
//!   weighs it as a term no bulletin has; the same ratio again.
//!
//! Where a position stacks several terms, the ratio is a function each shard evaluates:
//! Lucene leaves a term out of a shard's weight when that shard has no document with it,
//! so the shard rebuilds the sum from the terms it has (`Translation::per_shard_boost`).
//!
//! Sloppy phrases (the parts of a long word within a few characters, all items near each
//! other) cannot be corrected: Lucene counts a match as 1/(1 + distance) and tantivy as 1,
//! and measures the distance of three or more terms differently. Both stores therefore
//! score them as the same constant (`spelled::sloppy_constant`). What remains is a
//! code's punctuation ([`Clause::Verified`]), which Solr cannot check against the stored
//! text, so the caller checks the phrase's candidates' stored text first and the phrase
//! is sent narrowed to the ids that passed ([`Stats::verified`]). `tests/cluster.rs`
//! measures what the rest changes.
//!
//! Nested parts that only Lucene syntax can combine (the best of several fields,
//! `maxscore`) are sent as named queries (`queries`) and referenced by parameter, so no
//! value is ever escaped into local-params syntax.

use std::collections::{BTreeSet, HashMap};

use serde_json::{json, Map, Value};

use super::clause::{Clause, Occur, TextField, SLOPPY_CONSTANT};
use super::coverage::idf;
use super::spelled::{gram_forms, Position};
use super::Filters;
use crate::analysis::grams::Gram;

/// Lucene's BM25 is tantivy's divided by 1 + k1.
pub const BM25_SCALE: f32 = 2.2;

/// A bulletin id no bulletin has (ids are hexadecimal).
const NO_ID: &str = "-";

/// What a plan's translation needs to know of the collection.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Needs {
    /// Terms whose document frequencies correct a score.
    pub terms: BTreeSet<(TextField, String)>,
    /// Characters whose prefix expansions a phrase position lists.
    pub prefixes: BTreeSet<(TextField, String)>,
}

/// The collection's statistics a translation reads.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// Bulletins in the collection.
    pub docs: u64,
    /// Document frequency per field and term (absent: 0).
    pub df: HashMap<(TextField, String), u64>,
    /// Per field and character, the terms of the field that `(|)?X.?` matches, with their
    /// document frequencies.
    pub expansions: HashMap<(TextField, String), Vec<(String, u64)>>,
    /// Per code (a [`Clause::Verified`] needle), the ids of the bulletins whose stored
    /// text contains it as written; absent: not checked (the bare phrase is sent).
    pub verified: HashMap<String, Vec<String>>,
}

impl Stats {
    fn df(&self, field: TextField, term: &str) -> u64 {
        self.df.get(&(field, term.to_string())).copied().unwrap_or(0)
    }

    fn idf(&self, df: u64) -> f32 {
        idf(df as usize, self.docs as usize)
    }
}

/// A prefix's terms are those the local regex `(\|)?X.?` takes: X alone, X and one more
/// character, either form.
pub fn prefix_matches(prefix: &str, term: &str) -> bool {
    let rest = term.strip_prefix(crate::analysis::text::GRAM_MARK).unwrap_or(term);
    rest.strip_prefix(prefix).is_some_and(|tail| tail.chars().count() <= 1)
}

impl Clause {
    /// What translating this clause for Solr needs to know first.
    pub fn solr_needs(&self) -> Needs {
        let mut needs = Needs::default();
        self.collect_needs(&mut needs);
        needs
    }

    /// The codes whose punctuation must be checked against stored text, each with the
    /// phrase that finds its candidates (first occurrence of each code).
    pub fn codes(&self) -> Vec<(&str, &Clause)> {
        let mut out: Vec<(&str, &Clause)> = Vec::new();
        self.collect_codes(&mut out);
        out
    }

    fn collect_codes<'c>(&'c self, out: &mut Vec<(&'c str, &'c Clause)>) {
        match self {
            Clause::Verified { inner, needle } if !out.iter().any(|(n, _)| n == needle) => out.push((needle, inner)),
            Clause::Boost(inner, _) | Clause::Const(inner, _) => inner.collect_codes(out),
            Clause::Bool(parts) => parts.iter().for_each(|(_, c)| c.collect_codes(out)),
            Clause::DisMax(parts, _) => parts.iter().for_each(|c| c.collect_codes(out)),
            _ => {}
        }
    }

    fn collect_needs(&self, n: &mut Needs) {
        match self {
            Clause::Spelled { field, positions, .. } => {
                for p in positions {
                    if let Some(c) = &p.prefix {
                        n.prefixes.insert((*field, c.clone()));
                    }
                    n.terms.extend(p.forms.iter().map(|f| (*field, f.clone())));
                }
            }
            Clause::Literal { field, grams } => {
                for g in grams {
                    if g.prefix {
                        n.prefixes.insert((*field, g.text.clone()));
                    } else {
                        n.terms.extend(gram_forms(&g.text).into_iter().map(|f| (*field, f)));
                    }
                }
            }
            Clause::Verified { inner, .. } | Clause::Boost(inner, _) | Clause::Const(inner, _) => inner.collect_needs(n),
            Clause::Bool(parts) => parts.iter().for_each(|(_, c)| c.collect_needs(n)),
            Clause::DisMax(parts, _) => parts.iter().for_each(|c| c.collect_needs(n)),
            Clause::Phrase { field, terms, slop } if *slop > 0 => n.terms.extend(terms.iter().map(|(_, t)| (*field, t.clone()))),
            Clause::Nothing | Clause::Everything | Clause::Term { .. } | Clause::Category(_) | Clause::Phrase { .. } => {}
        }
    }
}

/// A translation in progress: the named sub-queries and parameters that references
/// point to.
pub struct Translation<'a> {
    stats: &'a Stats,
    /// Named queries (`q0`, `q1`, …) for the request's `queries`.
    pub queries: Map<String, Value>,
    /// Terms that functions name (`t0`, `t1`, …), for the request's `params`.
    pub params: Map<String, Value>,
    /// Terms of the phrases sent, whose statistics the request must name (see
    /// [`Translation::named_statistics`]).
    phrase_terms: BTreeSet<(TextField, String)>,
}

impl<'a> Translation<'a> {
    pub fn new(stats: &'a Stats) -> Translation<'a> {
        Translation { stats, queries: Map::new(), params: Map::new(), phrase_terms: BTreeSet::new() }
    }

    /// The request's query, made to carry the collection's statistics of every phrase term.
    ///
    /// Solr's ExactStatsCache gathers the collection's statistics for the terms of term
    /// and synonym queries, but not for those of phrases: a phrase alone on a two-shard
    /// collection is weighed with its shard's own counts (measured: N 43 where the
    /// collection has 80), unless the same terms also occur as terms elsewhere in the
    /// request. So the terms are named once more, in an optional clause that never matches
    /// (it requires a bulletin id no bulletin has): it costs nothing to run, adds nothing
    /// to a score, and makes their statistics the collection's.
    pub fn named_statistics(&self, query: Value) -> Value {
        if self.phrase_terms.is_empty() {
            return query;
        }
        let terms: Vec<Value> = self.phrase_terms.iter().map(|(f, t)| term(f.name(), t)).collect();
        let never = json!({ "bool": { "must": [{ "bool": { "should": terms } }, term(crate::index::schema::name::ID, NO_ID)] } });
        json!({ "bool": { "must": [query], "should": [never] } })
    }

    fn note_phrase(&mut self, field: TextField, positions: &[(usize, Vec<String>)]) {
        self.phrase_terms.extend(positions.iter().flat_map(|(_, terms)| terms.iter().map(move |t| (field, t.clone()))));
    }

    /// A term as a request parameter, referenced as `$name` in a function; the name is
    /// returned (one per distinct term). Functions analyse a text field's term with the
    /// field's query analyzer, so the term is written as one pre-analyzed token.
    fn param(&mut self, text: &str) -> String {
        let value = tokens(&[(0, vec![text.to_string()])]);
        if let Some((name, _)) = self.params.iter().find(|(_, v)| v.as_str() == Some(value.as_str())) {
            return name.clone();
        }
        let name = format!("t{}", self.params.len());
        self.params.insert(name.clone(), json!(value));
        name
    }

    /// A named query, referenced as `$name`; the name is returned.
    pub fn name(&mut self, q: Value) -> String {
        let name = format!("q{}", self.queries.len());
        self.queries.insert(name.clone(), q);
        name
    }

    /// The clause as a JSON Query DSL query, its scores × `scale`.
    pub fn clause(&mut self, c: &Clause, scale: f32) -> Value {
        match c {
            Clause::Nothing => nothing(),
            Clause::Everything => boosted(json!("*:*"), scale),
            Clause::Term { field, text } => boosted(term(field.name(), text), scale * BM25_SCALE),
            Clause::Category(path) => term(crate::index::schema::name::CATEGORY, path),
            Clause::Phrase { field, terms, slop } => {
                let positions: Vec<(usize, Vec<String>)> = terms.iter().map(|(p, t)| (*p, vec![t.clone()])).collect();
                self.note_phrase(*field, &positions);
                if *slop > 0 && SLOPPY_CONSTANT {
                    let sum: f32 = terms.iter().map(|(_, t)| self.stats.idf(self.stats.df(*field, t))).sum();
                    return constant(phrase(*field, &positions, *slop), scale * sum);
                }
                boosted(phrase(*field, &positions, *slop), scale * BM25_SCALE)
            }
            Clause::Spelled { field, positions, slop } => self.spelled(*field, positions, *slop, scale),
            Clause::Literal { field, grams } => self.literal(*field, grams, scale),
            Clause::Verified { inner, needle } => {
                let inner = self.clause(inner, scale);
                match self.stats.verified.get(needle) {
                    // Scored by the phrase, narrowed to the bulletins that passed the check.
                    Some(ids) if !ids.is_empty() => {
                        json!({ "bool": { "must": [inner], "filter": [{ "terms": { "f": crate::index::schema::name::ID, "query": ids.join(",") } }] } })
                    }
                    Some(_) => nothing(),
                    None => inner,
                }
            }
            Clause::Boost(inner, w) => self.clause(inner, scale * w),
            Clause::Const(inner, w) => {
                let inner = self.clause(inner, 1.0);
                constant(inner, scale * w)
            }
            Clause::Bool(parts) => {
                let mut out = Map::new();
                for (occur, part) in parts {
                    let key = match occur {
                        Occur::Must => "must",
                        Occur::Should => "should",
                        Occur::MustNot => "must_not",
                    };
                    let q = self.clause(part, scale);
                    if let Some(list) = out.entry(key).or_insert_with(|| json!([])).as_array_mut() {
                        list.push(q);
                    }
                }
                json!({ "bool": out })
            }
            Clause::DisMax(parts, tie) => {
                if parts.is_empty() {
                    return nothing();
                }
                let refs: Vec<String> = parts
                    .iter()
                    .map(|p| {
                        let q = self.clause(p, scale);
                        format!("{{!v=${}}}", self.name(q))
                    })
                    .collect();
                json!({ "maxscore": { "query": refs.join(" "), "tie": tie } })
            }
        }
    }

    /// Positions each accepting some terms, scored by the IDF of the commoner form per
    /// position (see the module's opening).
    fn spelled(&mut self, field: TextField, positions: &[Position], slop: u32, scale: f32) -> Value {
        let mut stacked: Vec<(usize, Vec<(String, u64)>)> = Vec::with_capacity(positions.len());
        let mut ours = 0.0;
        for p in positions {
            let terms: Vec<(String, u64)> = match &p.prefix {
                Some(c) => self.stats.expansions.get(&(field, c.clone())).cloned().unwrap_or_default(),
                None => p.forms.iter().map(|f| (f.clone(), self.stats.df(field, f))).collect(),
            };
            let terms: Vec<(String, u64)> = terms.into_iter().filter(|(_, df)| *df > 0).collect();
            let Some(most) = terms.iter().map(|t| t.1).max() else { return nothing() };
            ours += if p.prefix.is_some() { self.stats.idf(0) } else { self.stats.idf(most) };
            stacked.push((p.offset, terms));
        }
        let theirs: f32 = match stacked.as_slice() {
            // One position is a SynonymQuery, which weighs its commonest term's IDF.
            [(_, terms)] => self.stats.idf(terms.iter().map(|t| t.1).max().unwrap_or(0)),
            // A MultiPhraseQuery sums the IDF of every term it names.
            _ => stacked.iter().flat_map(|(_, terms)| terms.iter()).map(|(_, df)| self.stats.idf(*df)).sum(),
        };
        let ratio = if theirs > 0.0 { ours / theirs } else { 1.0 };
        let per_shard = self.per_shard_boost(field, &stacked, scale * BM25_SCALE * ours);
        let stacked: Vec<(usize, Vec<String>)> = stacked.into_iter().map(|(o, terms)| (o, terms.into_iter().map(|t| t.0).collect())).collect();
        self.note_phrase(field, &stacked);
        if slop > 0 && SLOPPY_CONSTANT && stacked.len() > 1 {
            return constant(phrase(field, &stacked, slop), scale * ours);
        }
        let q = match stacked.as_slice() {
            [(_, terms)] => self.any_term(field, terms, 1.0),
            _ => phrase(field, &stacked, slop),
        };
        match per_shard {
            Some(b) => json!({ "boost": { "query": q, "b": b } }),
            None => boosted(q, scale * BM25_SCALE * ratio),
        }
    }

    /// For positions that stack several terms, the boost as a function each shard
    /// evaluates for itself: `weight` over the IDF Lucene gives the positions there.
    ///
    /// Lucene weighs a stacked position with the collection's statistics of each term
    /// (ExactStatsCache) but only of the terms the answering shard has a document with; a
    /// form that the collection has and one shard lacks is left out of that shard's
    /// weight. A shard knows which of its terms it has (`docfreq`), so the sum of IDFs (a
    /// MultiPhraseQuery) or the smallest one (a SynonymQuery, one position) is rebuilt
    /// there from the collection's IDFs sent as constants. `None` when nothing is stacked:
    /// then every shard that matches has every term and a constant boost is exact.
    fn per_shard_boost(&mut self, field: TextField, stacked: &[(usize, Vec<(String, u64)>)], weight: f32) -> Option<String> {
        if stacked.iter().all(|(_, terms)| terms.len() < 2) {
            return None;
        }
        let one_position = stacked.len() == 1;
        let mut fixed = 0.0;
        let mut parts = Vec::new();
        for (_, terms) in stacked {
            if let ([(_, df)], false) = (terms.as_slice(), one_position) {
                // A lone term: a shard without it matches nothing here.
                fixed += self.stats.idf(*df);
                continue;
            }
            for (text, df) in terms {
                let name = self.param(text);
                let missing = if one_position { "1000000000" } else { "0" };
                parts.push(format!("if(docfreq({},${name}),{},{missing})", field.name(), self.stats.idf(*df)));
            }
        }
        let theirs = if one_position { format!("min({})", parts.join(",")) } else { format!("sum({fixed},{})", parts.join(",")) };
        // A shard with none of the terms matches nothing; the floor keeps the function finite.
        Some(format!("div({weight},max({theirs},0.000001))"))
    }

    /// A text's grams (see `spelled::literal`).
    fn literal(&mut self, field: TextField, grams: &[Gram], scale: f32) -> Value {
        match grams {
            [] => nothing(),
            [one] if one.prefix => {
                let terms: Vec<String> = self.stats.expansions.get(&(field, one.text.clone())).into_iter().flatten().map(|t| t.0.clone()).collect();
                if terms.is_empty() {
                    return nothing();
                }
                constant(self.any_term(field, &terms, 1.0), scale)
            }
            [one] => {
                // Each form scored on its own, weighing the commoner form's IDF.
                let forms: Vec<(String, u64)> = gram_forms(&one.text).into_iter().map(|f| (f.clone(), self.stats.df(field, &f))).filter(|f| f.1 > 0).collect();
                let Some(most) = forms.iter().map(|f| f.1).max() else { return nothing() };
                let should: Vec<Value> =
                    forms.iter().map(|(f, df)| boosted(term(field.name(), f), scale * BM25_SCALE * self.stats.idf(most) / self.stats.idf(*df))).collect();
                json!({ "bool": { "should": should } })
            }
            _ => {
                let positions: Vec<Position> = grams.iter().map(|g| Position::gram(g.char_pos, g)).collect();
                let base = positions.iter().map(|p| p.offset).min().unwrap_or(0);
                let positions: Vec<Position> = positions.into_iter().map(|p| Position { offset: p.offset - base, ..p }).collect();
                self.spelled(field, &positions, 0, scale)
            }
        }
    }

    /// Any of some terms of a field, scored by BM25 as one stacked position.
    fn any_term(&mut self, field: TextField, terms: &[String], boost: f32) -> Value {
        if terms.len() == 1 {
            return boosted(term(field.name(), &terms[0]), boost);
        }
        boosted(phrase(field, &[(0, terms.to_vec())], 0), boost)
    }
}

/// A request's filters as Solr filter queries (unscored, cached apart from the query).
pub fn filters(f: &Filters) -> Vec<Value> {
    use crate::index::schema::name;
    let mut out = Vec::new();
    let any = |field: &str, paths: &[String]| json!({ "bool": { "should": paths.iter().map(|p| term(field, p)).collect::<Vec<_>>() } });
    if !f.regions.is_empty() {
        out.push(any(name::REGION, &f.regions));
    }
    if !f.categories.is_empty() {
        out.push(any(name::CATEGORY, &f.categories));
    }
    if f.from.is_some() || f.to.is_some() {
        let day = |d: Option<chrono::NaiveDate>| d.map_or("*".to_string(), |d| format!("{}T00:00:00Z", d.format("%Y-%m-%d")));
        let range = format!("{}:[{} TO {}]", name::DATE, day(f.from), day(f.to));
        let q = if f.include_undated { format!("({range}) OR (*:* -{}:[* TO *])", name::DATE) } else { range };
        out.push(json!({ "lucene": { "query": q } }));
    }
    out
}

fn nothing() -> Value {
    json!({ "bool": { "must_not": ["*:*"] } })
}

fn term(field: &str, text: &str) -> Value {
    json!({ "term": { "f": field, "query": text } })
}

fn boosted(q: Value, b: f32) -> Value {
    if (b - 1.0).abs() < f32::EPSILON {
        q
    } else {
        json!({ "boost": { "query": q, "b": b } })
    }
}

/// Every match of `q` scored `w`.
fn constant(q: Value, w: f32) -> Value {
    boosted(json!({ "bool": { "must": ["*:*"], "filter": [q] } }), w)
}

/// The pre-analyzed token list of a phrase: positions as character offsets (relative to
/// the first), several terms at one position stacked.
pub fn tokens(positions: &[(usize, Vec<String>)]) -> String {
    let mut sorted: Vec<&(usize, Vec<String>)> = positions.iter().collect();
    sorted.sort_by_key(|p| p.0);
    let base = sorted.first().map_or(0, |p| p.0);
    let mut out = Vec::new();
    let mut at = base;
    for (i, (offset, terms)) in sorted.into_iter().enumerate() {
        for (k, t) in terms.iter().enumerate() {
            let inc = if k > 0 {
                0
            } else if i == 0 {
                1
            } else {
                offset - at
            };
            out.push(json!({ "t": t, "i": inc }));
        }
        at = *offset;
    }
    json!({ "v": "1", "tokens": out }).to_string()
}

/// A phrase over a field's positions; `slop` as tantivy's (the sum of the moves). Exact
/// phrases go to the `field` parser, sloppy ones to the `lucene` parser, which applies
/// `~slop` to what the field's pre-analyzed parser makes of the quoted tokens.
fn phrase(field: TextField, positions: &[(usize, Vec<String>)], slop: u32) -> Value {
    let tokens = tokens(positions);
    if slop == 0 {
        return json!({ "field": { "f": field.name(), "query": tokens } });
    }
    let quoted = tokens.replace('\\', "\\\\").replace('"', "\\\"");
    json!({ "lucene": { "query": format!("{}:\"{}\"~{}", field.name(), quoted, slop) } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_increments_from_character_offsets_with_stacked_forms() {
        let t = tokens(&[(3, vec!["破获".into()]), (0, vec!["公安局".into(), "公安".into()])]);
        assert_eq!(t, r#"{"tokens":[{"i":1,"t":"公安局"},{"i":0,"t":"公安"},{"i":3,"t":"破获"}],"v":"1"}"#);
    }

    #[test]
    fn a_bigram_in_either_form_weighs_the_commoner_form() {
        let mut stats = Stats { docs: 100, ..Default::default() };
        stats.df.insert((TextField::Body, "诈骗".into()), 40);
        stats.df.insert((TextField::Body, "|诈骗".into()), 2);
        let grams = crate::analysis::grams::grams("诈骗", crate::analysis::grams::Side::Query);
        let c = Clause::Literal { field: TextField::Body, grams };
        assert_eq!(c.solr_needs().terms.len(), 2);
        let mut t = Translation::new(&stats);
        let q = t.clause(&c, 1.0);
        let should = q["bool"]["should"].as_array().expect("should");
        let boost =
            |form: &str| should.iter().find(|s| s["boost"]["query"]["term"]["query"] == form).map(|s| s["boost"]["b"].as_f64().unwrap_or(0.0)).unwrap_or(0.0);
        // The plain form keeps its own IDF (× 2.2); the rare marked form is brought down to it.
        assert!((boost("诈骗") - 2.2).abs() < 1e-4, "{q}");
        let expected = 2.2 * f64::from(idf(40, 100) / idf(2, 100));
        assert!((boost("|诈骗") - expected).abs() < 1e-4, "{q}");
    }

    #[test]
    fn stacked_positions_are_weighed_by_each_shard_from_the_terms_it_has() {
        let mut stats = Stats { docs: 100, ..Default::default() };
        for (t, df) in [("诈骗", 40), ("|诈骗", 2), ("骗案", 9), ("案件", 5)] {
            stats.df.insert((TextField::Body, t.into()), df);
        }
        let positions = vec![Position { forms: vec!["诈骗".into(), "|诈骗".into()], ..Position::word(0, "诈骗") }, Position::word(1, "骗案")];
        let c = Clause::Spelled { field: TextField::Body, positions, slop: 0 };
        let mut t = Translation::new(&stats);
        let q = t.clause(&c, 1.0);
        let b = q["boost"]["b"].as_str().expect("a function boost");
        // Our weight: the commoner form's IDF plus the lone term's, × 2.2.
        let ours = 2.2 * (idf(40, 100) + idf(9, 100));
        assert!(b.starts_with(&format!("div({ours},max(sum({},", idf(9, 100))), "{b}");
        // Each stacked form counts only where the shard has it, named by parameter.
        assert!(b.contains(&format!("if(docfreq(body,$t0),{},0)", idf(40, 100))), "{b}");
        assert!(b.contains(&format!("if(docfreq(body,$t1),{},0)", idf(2, 100))), "{b}");
        assert_eq!(t.params["t1"].as_str(), Some(r#"{"tokens":[{"i":1,"t":"|诈骗"}],"v":"1"}"#));
        // Nothing stacked: a constant.
        let plain = Clause::Spelled { field: TextField::Body, positions: vec![Position::word(0, "骗案"), Position::word(1, "案件")], slop: 0 };
        assert!(Translation::new(&stats).clause(&plain, 1.0)["boost"]["b"].is_number());
    }

    #[test]
    fn phrase_terms_are_named_again_in_a_clause_that_never_matches() {
        let mut stats = Stats { docs: 10, ..Default::default() };
        stats.df.insert((TextField::Title, "警察".into()), 3);
        stats.df.insert((TextField::Title, "|察节".into()), 1);
        let positions = vec![Position::word(0, "警察"), Position::word(1, "|察节")];
        let mut t = Translation::new(&stats);
        let phrase = t.clause(&Clause::Spelled { field: TextField::Title, positions, slop: 0 }, 1.0);
        let q = t.named_statistics(phrase.clone());
        assert_eq!(q["bool"]["must"][0], phrase);
        let never = &q["bool"]["should"][0]["bool"]["must"];
        let named: Vec<&str> = never[0]["bool"]["should"].as_array().expect("terms").iter().filter_map(|v| v["term"]["query"].as_str()).collect();
        assert_eq!(named, ["|察节", "警察"]);
        assert_eq!(never[1]["term"]["f"], "id");
        // Terms alone need nothing more.
        let mut t = Translation::new(&stats);
        let term = t.clause(&Clause::Term { field: TextField::Title, text: "警察".into() }, 1.0);
        assert_eq!(t.named_statistics(term.clone()), term);
    }

    #[test]
    fn the_best_of_two_fields_is_a_maxscore_over_named_queries() {
        let stats = Stats { docs: 10, ..Default::default() };
        let c = Clause::DisMax(
            vec![Clause::Term { field: TextField::Body, text: "诈骗".into() }, Clause::Term { field: TextField::Title, text: "诈骗".into() }],
            0.4,
        );
        let mut t = Translation::new(&stats);
        let q = t.clause(&c.boosted(2.0), 1.0);
        assert_eq!(q["maxscore"]["query"], "{!v=$q0} {!v=$q1}");
        assert_eq!(t.queries["q1"]["boost"]["query"]["term"]["f"], "title");
        assert!((t.queries["q0"]["boost"]["b"].as_f64().unwrap_or(0.0) - 4.4).abs() < 1e-4);
    }

    #[test]
    fn prefixes_take_one_more_character_in_either_form() {
        assert!(prefix_matches("诈", "诈"));
        assert!(prefix_matches("诈", "诈骗"));
        assert!(prefix_matches("诈", "|诈骗"));
        assert!(!prefix_matches("诈", "诈骗案"));
        assert!(!prefix_matches("诈", "欺诈"));
    }
}

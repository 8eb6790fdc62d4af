//! Turning a parsed query into a tantivy query, and the list of strings to highlight.
//!
//! Each word the user typed is required, and it is satisfied by any of: the word itself
//! (in title or body), its parts close together (电信诈骗 → 电信 … 诈骗, so it finds
//! 电信网络诈骗), or its literal characters in the gram field (so 市公安局 finds 深圳市公安局
//! however jieba cut it). Word matches score above literal ones; the whole item as a
//! phrase, and title matches, add to the score. Unbroken Chinese is never handed to
//! tantivy's QueryParser, which would turn it into one exact phrase (tantivy#718).

use jieba_rs::Jieba;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::query::{Item, ParsedQuery};
use crate::analysis::{self, grams::grams, tokenizer::segment};
use crate::index::Fields;

/// Weights of the ways a word can match.
#[derive(Debug, Clone, Copy)]
pub struct Weights {
    pub title: f32,
    pub body: f32,
    /// The word's parts close together.
    pub parts: f32,
    /// Literal characters only (recall field).
    pub literal: f32,
    /// The whole item as an exact phrase.
    pub phrase: f32,
    /// Expansions from the synonyms file, relative to the user's own words.
    pub expansion: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights { title: 2.5, body: 1.0, parts: 0.6, literal: 0.3, phrase: 1.5, expansion: 0.5 }
    }
}

/// The query plan: what to run and what to highlight.
pub struct Plan {
    pub query: Box<dyn Query>,
    /// Folded strings whose occurrences are highlighted, longest first.
    pub highlight: Vec<String>,
}

/// Builds plans for one index.
pub struct Planner<'a> {
    pub jieba: &'a Jieba,
    pub fields: Fields,
    pub weights: Weights,
}

/// Largest character distance between the parts of a word for them to count as the word.
const PARTS_SLOP: u32 = 6;

impl Planner<'_> {
    /// Plan a parsed query. `expansions[i]` lists alternative phrasings for the i-th
    /// positive item (from the synonyms file), matched with a lower weight.
    pub fn plan(&self, q: &ParsedQuery, expansions: &[Vec<String>]) -> Plan {
        let mut highlight = Vec::new();
        let mut must = Vec::new();
        let mut item_index = 0;
        for group in &q.groups {
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for item in group {
                alternatives.push((Occur::Should, self.item_query(item, true, &mut highlight)));
                for alt in expansions.get(item_index).into_iter().flatten() {
                    let alt_item = Item { text: alt.clone(), phrase: false };
                    let q = self.item_query(&alt_item, true, &mut highlight);
                    alternatives.push((Occur::Should, Box::new(BoostQuery::new(q, self.weights.expansion))));
                }
                item_index += 1;
            }
            must.push((Occur::Must, Box::new(BooleanQuery::new(alternatives)) as Box<dyn Query>));
        }
        for item in &q.excluded {
            let mut ignore = Vec::new();
            must.push((Occur::MustNot, self.item_query(item, false, &mut ignore)));
        }
        highlight.sort_by_key(|s: &String| std::cmp::Reverse(s.chars().count()));
        highlight.dedup();
        let query: Box<dyn Query> = if must.iter().any(|(o, _)| *o == Occur::Must) {
            Box::new(BooleanQuery::new(must))
        } else {
            Box::new(EmptyQuery)
        };
        Plan { query, highlight }
    }

    /// The query for one item; `scored` adds the phrase and title boosts.
    fn item_query(&self, item: &Item, scored: bool, highlight: &mut Vec<String>) -> Box<dyn Query> {
        let folded = analysis::fold(&item.text);
        let words = segment(self.jieba, &item.text, false);
        if words.is_empty() {
            return Box::new(EmptyQuery);
        }
        let whole: String = literal_key(&folded);
        highlight.push(whole.clone());
        if item.phrase {
            // As written: the words in order (word fields) or the literal string (grams).
            let mut should: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, self.literal(&item.text, self.weights.literal))];
            if words.len() > 1 {
                for (field, w) in [(self.fields.body, self.weights.body), (self.fields.title, self.weights.title)] {
                    should.push((Occur::Should, boost(phrase(field, &words, 0), w * self.weights.phrase)));
                }
            } else {
                should.push((Occur::Should, self.word(&words[0].text)));
            }
            return Box::new(BooleanQuery::new(should));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for w in &words {
            highlight.push(w.text.clone());
            clauses.push((Occur::Must, self.word_alternatives(&w.text, highlight)));
        }
        if scored && words.len() > 1 {
            for (field, weight) in [(self.fields.body, self.weights.body), (self.fields.title, self.weights.title)] {
                clauses.push((Occur::Should, boost(phrase(field, &words, 0), weight * self.weights.phrase)));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// A word as itself in title or body.
    fn word(&self, word: &str) -> Box<dyn Query> {
        let clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Should, boost(term(self.fields.body, word), self.weights.body)),
            (Occur::Should, boost(term(self.fields.title, word), self.weights.title)),
        ];
        Box::new(BooleanQuery::new(clauses))
    }

    /// Everything that counts as one required word.
    fn word_alternatives(&self, word: &str, highlight: &mut Vec<String>) -> Box<dyn Query> {
        let mut should: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, self.word(word))];
        let parts = cover(self.jieba, word);
        if parts.len() > 1 {
            for p in &parts {
                highlight.push(p.text.clone());
            }
            for (field, w) in [(self.fields.body, self.weights.body), (self.fields.title, self.weights.title)] {
                should.push((Occur::Should, boost(phrase(field, &parts, PARTS_SLOP), w * self.weights.parts)));
            }
        }
        should.push((Occur::Should, self.literal(word, self.weights.literal)));
        Box::new(BooleanQuery::new(should))
    }

    /// The text's characters, literally, in the recall field.
    fn literal(&self, text: &str, weight: f32) -> Box<dyn Query> {
        let g = grams(text, false);
        let field = self.fields.grams;
        match g.len() {
            0 => Box::new(EmptyQuery),
            1 if g[0].text.chars().count() == 1 && analysis::is_cjk(g[0].text.chars().next().unwrap_or(' ')) => {
                // One character: every gram starting with it (each character begins one).
                let pattern = format!("{}.?", regex_escape(&g[0].text));
                match RegexQuery::from_pattern(&pattern, field) {
                    Ok(q) => Box::new(ConstScoreQuery::new(Box::new(q), weight)),
                    Err(_) => Box::new(EmptyQuery),
                }
            }
            1 => boost(term(field, &g[0].text), weight),
            _ => {
                let terms: Vec<(usize, Term)> = g
                    .iter()
                    .filter(|g| !(g.text.chars().count() == 1 && analysis::is_cjk(g.text.chars().next().unwrap_or(' '))))
                    .map(|g| (g.char_pos, Term::from_field_text(field, &g.text)))
                    .collect();
                let terms = rebase(terms);
                match terms.len() {
                    0 => Box::new(EmptyQuery),
                    1 => boost(Box::new(TermQuery::new(terms[0].1.clone(), IndexRecordOption::WithFreqs)), weight),
                    _ => boost(Box::new(PhraseQuery::new_with_offset(terms)), weight),
                }
            }
        }
    }
}

/// The literal form of an item used for highlighting: folded, without separators.
fn literal_key(folded: &str) -> String {
    folded.trim().to_string()
}

/// Split a word into the non-overlapping dictionary parts jieba's search mode knows
/// (电信诈骗 → 电信, 诈骗); a word with no such cover yields itself.
pub fn cover(jieba: &Jieba, word: &str) -> Vec<analysis::tokenizer::Word> {
    let n = word.chars().count();
    if n < 3 {
        return Vec::new();
    }
    let mut subs: Vec<_> = segment(jieba, word, true)
        .into_iter()
        .filter(|w| w.char_end - w.char_start < n && w.char_end - w.char_start >= 2)
        .collect();
    // Longest first at each start: greedy left-to-right cover.
    subs.sort_by_key(|w| (w.char_start, std::cmp::Reverse(w.char_end)));
    let mut out = Vec::new();
    let mut at = 0;
    for w in subs {
        if w.char_start >= at {
            at = w.char_end;
            out.push(w);
        }
    }
    let covered: usize = out.iter().map(|w| w.char_end - w.char_start).sum();
    if covered * 2 < n || out.len() < 2 {
        return Vec::new();
    }
    out
}

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqsAndPositions))
}

fn boost(q: Box<dyn Query>, w: f32) -> Box<dyn Query> {
    if (w - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, w))
    }
}

/// Phrase over words at their character offsets (so positions match the index's).
fn phrase(field: Field, words: &[analysis::tokenizer::Word], slop: u32) -> Box<dyn Query> {
    if words.len() == 1 {
        return term(field, &words[0].text);
    }
    // Only the words that tile the text: overlapping search-mode words would demand
    // tokens the document need not have at those exact offsets.
    let mut terms = Vec::new();
    let mut at = 0;
    for w in words {
        if w.char_start >= at {
            terms.push((w.char_start, Term::from_field_text(field, &w.text)));
            at = w.char_end;
        }
    }
    let terms = rebase(terms);
    if terms.len() == 1 {
        return Box::new(TermQuery::new(terms[0].1.clone(), IndexRecordOption::WithFreqsAndPositions));
    }
    Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop))
}

fn rebase(mut terms: Vec<(usize, Term)>) -> Vec<(usize, Term)> {
    let base = terms.iter().map(|(p, _)| *p).min().unwrap_or(0);
    for (p, _) in terms.iter_mut() {
        *p -= base;
    }
    terms
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_splits_compound_words() {
        let jieba = crate::analysis::dictionary::shared(include_str!("../../index-schema/dictionary.txt"));
        let parts: Vec<String> = cover(&jieba, "电信诈骗").into_iter().map(|w| w.text).collect();
        assert_eq!(parts, vec!["电信", "诈骗"]);
        assert!(cover(&jieba, "诈骗").is_empty());
    }
}

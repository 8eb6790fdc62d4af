//! Turning a parsed query into a tantivy query, and the list of strings to highlight.
//!
//! Each word the user typed is required, and it is satisfied by any of: the word itself
//! (in title or body), its parts close together (电信诈骗 → 电信 … 诈骗, so it finds
//! 电信网络诈骗), or its literal characters, as grams (so 市公安局 finds 深圳市公安局
//! however jieba cut it, and 022-09 finds a case number 2022-0915). A phrase from the
//! synonyms file inside an item may instead be satisfied by one of its alternatives
//! (喝酒开车 → 酒驾, 醉驾), scored below the user's own words.
//!
//! Word matches score above literal ones; the whole item as a phrase, all the query's
//! words within a sentence's reach of each other, and title matches add to the score.
//! Every scored leaf is also kept as a labelled [`Component`], so `--explain` can say
//! exactly what a hit's score is made of (scores only add up in this plan).
//!
//! Besides the strict plan (every item required) there are the units of a relaxed one
//! (words, long words split into their parts, OR groups), which search weighs by the
//! information they carry (see `coverage`). Search uses it only to fill a page the strict
//! plan leaves short, ranked after every strict hit, so a
//! question phrased differently from the bulletin (诈骗医保基金 vs 诈骗医保资金) still finds
//! it. Unbroken Chinese is never handed to tantivy's QueryParser, which would turn it into
//! one exact phrase (tantivy#718).

use super::clause::{Clause, Occur, TextField};
use super::exact::{binds_punctuation, canonical};
use super::query::{Item, ParsedQuery};
use super::spelled::Position;
use super::synonyms::{Synonyms, MAX_EXPANSIONS_PER_QUERY};
use crate::analysis::{self, grams::grams, grams::Side, tokenizer::segment, tokenizer::Word};
use jieba_rs::Jieba;

/// Weights of the ways a word can match.
#[derive(Debug, Clone, Copy)]
pub struct Weights {
    pub title: f32,
    pub body: f32,
    /// The word's parts close together.
    pub parts: f32,
    /// Literal characters only (grams). Below any word match, so a bulletin that
    /// has the word as a word outranks one where the characters merely occur in a row.
    pub literal: f32,
    /// The whole item as an exact phrase.
    pub phrase: f32,
    /// All of the query's items within [`NEAR_SLOP`] characters of each other.
    pub near: f32,
    /// Expansions from the synonyms file, relative to the user's own words.
    pub expansion: f32,
    /// Weight of the evidence for the category a query word names (its cue words' literal
    /// scores); such hits rank after every other full match whatever their score.
    pub category: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights { title: 2.5, body: 1.0, parts: 0.6, literal: 0.3, phrase: 1.5, near: 1.5, expansion: 0.5, category: 0.5 }
    }
}

/// One scored leaf of a plan, with what it stands for.
pub struct Component {
    /// For people: `酒驾 · word · title`, `→ 醉驾 · literal`.
    pub label: String,
    /// The leaf exactly as it sits in the plan, boosts included.
    pub query: Clause,
    /// Which of the two plans the leaf is part of.
    pub scope: Scope,
    /// The items enclosing the leaf: it adds to a score only where they match, since a
    /// leaf of an alternative that failed as a whole adds nothing. The flag marks the
    /// item of a synonym alternative, which must match in either plan.
    pub guards: Vec<(bool, Clause)>,
}

/// Where a component is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    Both,
    /// Only the strict plan (phrase and nearness bonuses).
    Strict,
    /// Only the relaxed plan (the parts of a long word counted separately).
    Relaxed,
}

impl Component {
    /// Whether the leaf is part of the plan that found a hit (`partial`: the relaxed one).
    pub(crate) fn in_plan(&self, partial: bool) -> bool {
        match self.scope {
            Scope::Both => true,
            Scope::Strict => !partial,
            Scope::Relaxed => partial,
        }
    }
}

/// The query plan: what to run and what to highlight.
pub struct Plan {
    /// Every positive item required.
    pub query: Clause,
    /// The units a partial match is measured in; `None` when the query has a single one.
    pub relaxed: Option<Relaxed>,
    /// Folded strings whose occurrences are highlighted, longest first.
    pub highlight: Vec<String>,
    /// Alternatives added to the query (synonyms), folded.
    pub expanded: Vec<String>,
    /// Every scored leaf; their scores sum to a hit's score.
    pub components: Vec<Component>,
    /// Category paths that query words named: bulletins classified under them match too.
    pub categories: Vec<String>,
}

/// What partial matching works with: the query's units and its exclusions. Search weighs
/// the units by the information they carry in the index (see `coverage`).
pub struct Relaxed {
    pub units: Vec<PartialUnit>,
    /// Exclusions hold for partial matches too.
    pub excluded: Vec<Clause>,
}

/// One unit of a partial match (see `coverage`): as typed (folded), and its clause.
pub struct PartialUnit {
    pub text: String,
    pub query: Clause,
}

/// Builds plans.
pub struct Planner<'a> {
    pub jieba: &'a Jieba,
    pub weights: Weights,
    /// Synonyms to expand with; `None` searches only what was typed.
    pub synonyms: Option<&'a Synonyms>,
    /// Category rules: a query word that names a category also matches the bulletins
    /// classified under it (scored by its cue words); `None` turns that off.
    pub categories: Option<&'a crate::extract::CategoryRules>,
}

/// Largest character distance between the parts of a word for them to count as the word.
const PARTS_SLOP: u32 = 6;
/// Character slop for "the query's words near each other": about a sentence.
const NEAR_SLOP: u32 = 30;
/// Share of the other field's score added to the best field's (see [`either_field`]).
const OTHER_FIELD_SHARE: f32 = 0.4;
/// The near clause is skipped for longer queries (it is a costly positional check).
const NEAR_MAX_GRAMS: usize = 16;
/// Score a bulletin gets for being classified under a category a query word names, before
/// the evidence of its cue words.
const CATEGORY_BASE: f32 = 0.1;
/// Cue words scored per category (a parent such as /诈骗 gathers its children's): enough
/// for every rule in the file, a bound on the cost of one that grows.
const MAX_CATEGORY_CUES: usize = 48;
/// Share of the other cue words' scores added to the best one's.
const CUE_TIE_BREAKER: f32 = 0.1;

/// What one plan accumulates while it is built.
#[derive(Default)]
struct Build {
    highlight: Vec<String>,
    expanded: Vec<String>,
    components: Vec<Component>,
    /// The positive items (folded), in order, for the near clause.
    near_words: Vec<String>,
    /// Units the relaxed plan counts.
    relaxed_units: Vec<PartialUnit>,
    /// Category paths matched through the words that name them.
    categories: Vec<String>,
}

/// How the clauses being built are scored and labelled. It holds for a stretch of the
/// plan (an exclusion, a synonym alternative, a phrase bonus) and is handed down by value,
/// so a nested stretch changes its own copy and nothing has to be put back afterwards.
#[derive(Clone, Copy)]
struct Mode {
    /// Score multiplier (alternatives score lower).
    scale: f32,
    /// Label prefix (`→ ` inside an alternative).
    prefix: &'static str,
    /// False for exclusions and cue words: no scores, no components.
    scored: bool,
    /// Inside an alternative: its own synonyms are not expanded again.
    expanding: bool,
    /// The plan the leaves belong to.
    scope: Scope,
}

impl Mode {
    /// Clauses that only select: exclusions, and cue words scored as one category leaf.
    const UNSCORED: Mode = Mode { scale: 1.0, prefix: "", scored: false, expanding: false, scope: Scope::Both };
    /// The query's own items.
    const TYPED: Mode = Mode { scored: true, ..Mode::UNSCORED };

    fn in_scope(self, scope: Scope) -> Mode {
        Mode { scope, ..self }
    }
}

impl Planner<'_> {
    /// Plan a parsed query: its items, their synonym alternatives (matched with a lower
    /// weight) and the categories they name.
    pub fn plan(&self, q: &ParsedQuery) -> Plan {
        let mut b = Build::default();
        let m = Mode::TYPED;
        let mut must: Vec<(Occur, Clause)> = Vec::new();
        for group in &q.groups {
            let single = group.len() == 1;
            let units_before = b.relaxed_units.len();
            let mut alternatives: Vec<(Occur, Clause)> = Vec::new();
            for item in group {
                alternatives.push((Occur::Should, self.item_query(item, &mut b, m)));
                if let Some(q) = self.category_alternative(item, &mut b, m) {
                    alternatives.push((Occur::Should, q));
                }
            }
            let group_query: Clause = Clause::Bool(alternatives);
            if !single {
                // An OR group counts once in the relaxed plan.
                b.relaxed_units.truncate(units_before);
                let text = group.iter().map(|i| analysis::fold(&i.text)).collect::<Vec<_>>().join(" OR ");
                b.relaxed_units.push(PartialUnit { text, query: group_query.clone() });
            }
            must.push((Occur::Must, group_query));
        }
        let mut excluded = Vec::new();
        for item in &q.excluded {
            let mut ignore = Build::default();
            excluded.push((Occur::MustNot, self.item_query(item, &mut ignore, Mode::UNSCORED)));
        }
        let near = self.near(&mut b, m.in_scope(Scope::Strict));
        let mut highlight = std::mem::take(&mut b.highlight);
        highlight.retain(|s| !s.is_empty());
        highlight.sort_by_key(|s: &String| std::cmp::Reverse(s.chars().count()));
        highlight.dedup();

        let relaxed = if b.relaxed_units.len() >= 2 && !must.is_empty() {
            Some(Relaxed { units: std::mem::take(&mut b.relaxed_units), excluded: excluded.iter().map(|(_, q)| q.clone()).collect() })
        } else {
            None
        };
        let query: Clause = if must.is_empty() {
            Clause::Nothing
        } else {
            must.extend(excluded);
            if let Some(near) = near {
                must.push((Occur::Should, near));
            }
            Clause::Bool(must)
        };
        b.expanded.dedup();
        Plan { query, relaxed, highlight, expanded: b.expanded, components: b.components, categories: b.categories }
    }

    /// Build clauses for an alternative phrasing: scaled down, labelled with an arrow.
    fn scaled(&self, b: &mut Build, m: Mode, f: impl FnOnce(&Self, &mut Build, Mode) -> Clause) -> Clause {
        let alternative = Mode { scale: m.scale * self.weights.expansion, prefix: "→ ", expanding: true, ..m };
        let units_before = b.relaxed_units.len();
        let near_before = b.near_words.len();
        let q = f(self, b, alternative);
        // Alternatives are not units or near-words of their own.
        b.relaxed_units.truncate(units_before);
        b.near_words.truncate(near_before);
        q
    }

    /// Bulletins classified under the category an unquoted item names (偷渡 → the
    /// 妨害国边境 facet), for bulletins that report the crime in other words.
    ///
    /// Such a bulletin is scored by the evidence for the category in it: the best of its
    /// cue words' literal scores (BM25 of their grams), plus a little of the others',
    /// so one saying 电信网络诈骗 five times ranks above one that mentions 刷单 once in a
    /// list. The classification alone adds a small constant, so a bulletin classified
    /// through a spelling the cues miss still ranks by date among its kind.
    fn category_alternative(&self, item: &Item, b: &mut Build, m: Mode) -> Option<Clause> {
        if item.phrase || literal_only(&analysis::fold(&item.text)) {
            return None;
        }
        let rules = self.categories?;
        let path = rules.named(&item.text)?;
        tantivy::schema::Facet::from_text(&path).ok()?;
        if m.scored && !b.categories.contains(&path) {
            b.categories.push(path.clone());
        }
        let classified = Clause::Const(Box::new(Clause::Category(path.clone())), CATEGORY_BASE);
        let mut cues: Vec<Clause> = Vec::new();
        if m.scored {
            // Cue queries are built outside the plan's components: the category's leaf
            // stands for them all in `--explain`.
            let mut quiet = Build::default();
            for cue in rules.cue_words(&path).iter().take(MAX_CATEGORY_CUES) {
                if let Some(q) = self.literal_weighted(cue, &mut quiet, Mode::UNSCORED, 1.0) {
                    cues.push(q);
                }
            }
        }
        let q: Clause = if cues.is_empty() {
            classified
        } else {
            let evidence = Clause::DisMax(cues, CUE_TIE_BREAKER);
            Clause::Bool(vec![(Occur::Must, classified), (Occur::Should, evidence)])
        };
        Some(self.leaf(b, m, format!("category {path} (cue words)"), q, self.weights.category))
    }

    /// A scored leaf: boosted by `weight` times the current scale, recorded as a component.
    fn leaf(&self, b: &mut Build, m: Mode, label: String, q: Clause, weight: f32) -> Clause {
        if !m.scored {
            return q;
        }
        let q = boost(q, weight * m.scale);
        b.components.push(Component { label: format!("{}{label}", m.prefix), query: q.clone(), scope: m.scope, guards: Vec::new() });
        q
    }

    /// An alternative phrasing (a bulletin term from the synonyms file): its words close
    /// together in order, or its literal characters. Looser matching would let 打击拐卖
    /// match any bulletin with 打击 in one place and 拐卖 in another.
    fn alternative(&self, text: &str, b: &mut Build, m: Mode) -> Clause {
        let before = b.components.len();
        let words = segment(self.jieba, text, false);
        let mut should: Vec<(Occur, Clause)> = Vec::new();
        match words.len() {
            0 => return Clause::Nothing,
            1 => should.push((Occur::Should, self.word(&words[0].text, b, m))),
            _ => {
                let joined = words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join("…");
                for (field, name, w) in [(TextField::Body, "body", self.weights.body), (TextField::Title, "title", self.weights.title)] {
                    if let Some(p) = phrase(field, &words, PARTS_SLOP) {
                        should.push((Occur::Should, self.leaf(b, m, format!("{joined} · words · {name}"), p, w)));
                    }
                }
            }
        }
        // Two characters in a row collide too often across word boundaries (骗保 in
        // 打盗骗保民安) for a word the user did not type; longer terms are safe literally.
        if text.chars().count() > 2 {
            if let Some(l) = self.literal(text, b, m) {
                should.push((Occur::Should, l));
            }
        }
        let q: Clause = Clause::Bool(should);
        for c in &mut b.components[before..] {
            c.guards.push((true, q.clone()));
        }
        q
    }

    /// The query for one item; its leaves are guarded by it (see [`Component::guards`]).
    fn item_query(&self, item: &Item, b: &mut Build, m: Mode) -> Clause {
        let before = b.components.len();
        let q = self.item_query_inner(item, b, m);
        for c in &mut b.components[before..] {
            c.guards.push((m.expanding, q.clone()));
        }
        q
    }

    fn item_query_inner(&self, item: &Item, b: &mut Build, m: Mode) -> Clause {
        let folded = analysis::fold(&item.text);
        let words = segment(self.jieba, &item.text, false);
        if words.is_empty() {
            return Clause::Nothing;
        }
        b.highlight.push(folded.trim().to_string());
        if item.phrase {
            // As written: the literal string (grams). A multi-word phrase is scored from the
            // grams alone, at the weight a words phrase in the body would get: the words
            // phrase matches a subset of the same bulletins, so evaluating it too doubled
            // the cost of long phrases found in thousands of bulletins for no change in
            // what matches. The title keeps its words phrase (short field, cheap) so a
            // phrase in the headline still ranks first.
            let mut should: Vec<(Occur, Clause)> = Vec::new();
            let literal_weight = if words.len() > 1 { self.weights.body * self.weights.phrase } else { self.weights.literal };
            if let Some(l) = self.literal_weighted(&item.text, b, m, literal_weight) {
                should.push((Occur::Should, l));
            }
            if words.len() > 1 {
                let (field, w) = (TextField::Title, self.weights.title * self.weights.phrase);
                if let Some(p) = phrase(field, &words, 0) {
                    should.push((Occur::Should, self.leaf(b, m, format!("{} · phrase · title", folded.trim()), p, w)));
                }
            } else {
                should.push((Occur::Should, self.word(&words[0].text, b, m)));
            }
            let q: Clause = Clause::Bool(should);
            b.relaxed_units.push(PartialUnit { text: folded.trim().to_string(), query: q.clone() });
            b.near_words.push(folded);
            return q;
        }
        if literal_only(&folded) {
            // A name or a code means that string: its parts elsewhere in a bulletin (秦 …
            // 某某, 4 … 28) are another name or number, not a weaker match.
            let Some(q) = self.literal_weighted(&item.text, b, m, self.weights.body) else { return Clause::Nothing };
            b.relaxed_units.push(PartialUnit { text: folded.trim().to_string(), query: q.clone() });
            b.near_words.push(folded);
            return q;
        }
        let mut clauses: Vec<(Occur, Clause)> = Vec::new();
        for unit in self.units(&folded, &words, m.expanding) {
            clauses.push((Occur::Must, self.unit_query(&folded, &words, &unit, b, m)));
        }
        if words.len() > 1 {
            clauses.extend(self.phrase_boosts(&words, &folded, b, m.in_scope(Scope::Strict)));
        }
        b.near_words.push(folded);
        Clause::Bool(clauses)
    }

    /// The item's words grouped into required units: a run of words covered by a synonym
    /// phrase is one unit (with the phrase's alternatives); any other word is a unit alone.
    fn units<'s>(&'s self, folded: &str, words: &[Word], expanding: bool) -> Vec<Unit<'s>> {
        let found = match self.synonyms {
            Some(s) if !expanding => s.find(folded),
            _ => Vec::new(),
        };
        let mut units: Vec<Unit> = Vec::new();
        let mut wi = 0;
        for f in found {
            // Words that overlap the phrase join its unit; the unit's text may be longer
            // than the phrase (反电诈 for 电诈), and alternatives keep the extra characters.
            let first = words.iter().position(|w| w.char_end > f.start);
            let last = words.iter().rposition(|w| w.char_start < f.end);
            let (Some(first), Some(last)) = (first, last) else { continue };
            if first < wi || first > last {
                continue;
            }
            units.extend((wi..first).map(|i| Unit { words: i..i + 1, phrase: None, alternatives: &[] }));
            units.push(Unit { words: first..last + 1, phrase: Some((f.start, f.end)), alternatives: f.alternatives });
            wi = last + 1;
        }
        units.extend((wi..words.len()).map(|i| Unit { words: i..i + 1, phrase: None, alternatives: &[] }));
        units
    }

    /// One required unit: its words (each with its own alternatives), or a synonym.
    fn unit_query(&self, folded: &str, words: &[Word], unit: &Unit, b: &mut Build, m: Mode) -> Clause {
        let ws = &words[unit.words.clone()];
        // Relaxed matching counts the parts of a long word separately
        // (侵犯公民个人信息 → 侵犯, 公民, 个人信息).
        let parts = if ws.len() == 1 && unit.phrase.is_none() && m.scored && !m.expanding { cover(self.jieba, &ws[0].text) } else { Vec::new() };
        // A long word counted by its parts: the whole word's clauses are the strict plan's.
        let whole = if parts.len() > 1 { m.in_scope(Scope::Strict) } else { m };
        let before = b.components.len();
        let mut own: Vec<(Occur, Clause)> = Vec::new();
        for w in ws {
            b.highlight.push(w.text.clone());
            own.push((Occur::Must, self.word_alternatives(&w.text, b, whole)));
        }
        let word_queries: Vec<Clause> = own.iter().map(|(_, q)| q.clone()).collect();
        let own: Clause = if own.len() == 1 { own.remove(0).1 } else { Clause::Bool(own) };
        if unit.phrase.is_some() {
            // The typed words are one alternative among the synonyms: in the strict plan
            // they count only where they match together.
            for c in &mut b.components[before..] {
                c.guards.push((false, own.clone()));
            }
        }
        let Some((ps, pe)) = unit.phrase else {
            if parts.len() > 1 {
                for p in &parts {
                    let q = self.word_and_literal(&p.text, b, m.in_scope(Scope::Relaxed));
                    b.relaxed_units.push(PartialUnit { text: p.text.clone(), query: q });
                }
            } else {
                let text = ws.iter().map(|w| w.text.as_str()).collect::<String>();
                b.relaxed_units.push(PartialUnit { text, query: own.clone() });
            }
            return own;
        };
        let chars: Vec<char> = folded.chars().collect();
        let (us, ue) = (ws[0].char_start, ws[ws.len() - 1].char_end);
        let mut alternatives: Vec<Clause> = Vec::new();
        let typed: String = chars[ps.min(chars.len())..pe.min(chars.len())].iter().collect();
        for alt in unit.alternatives {
            // An alternative containing what was typed (涉养老诈骗 for 养老诈骗) finds
            // nothing the typed words do not, and would only clutter "also matched".
            if !typed.is_empty() && alt.contains(typed.as_str()) {
                continue;
            }
            if b.expanded.len() >= MAX_EXPANSIONS_PER_QUERY {
                break;
            }
            let text = super::synonyms::substitute(&chars, us..ue, ps..pe, alt);
            b.expanded.push(alt.clone());
            b.highlight.push(alt.clone());
            alternatives.push(self.scaled(b, m, |p, b, m| p.alternative(&text, b, m)));
        }
        // Relaxed: each typed word is a unit that any alternative satisfies as well, so an
        // alternative counts as all the words and a bulletin with some words still counts.
        for (w, wq) in ws.iter().zip(word_queries) {
            let mut any = vec![(Occur::Should, wq)];
            any.extend(alternatives.iter().map(|a| (Occur::Should, a.clone())));
            b.relaxed_units.push(PartialUnit { text: w.text.clone(), query: Clause::Bool(any) });
        }
        let mut should = vec![(Occur::Should, own)];
        should.extend(alternatives.into_iter().map(|a| (Occur::Should, a)));
        Clause::Bool(should)
    }

    /// Bonus clauses for a multi-word item found as written (words adjacent, in order).
    fn phrase_boosts(&self, words: &[Word], folded: &str, b: &mut Build, m: Mode) -> Vec<(Occur, Clause)> {
        let mut out = Vec::new();
        for (field, name, w) in [(TextField::Body, "body", self.weights.body), (TextField::Title, "title", self.weights.title)] {
            if let Some(p) = phrase(field, words, 0) {
                let q = self.leaf(b, m, format!("{} · phrase · {name}", folded.trim()), p, w * self.weights.phrase);
                out.push((Occur::Should, q));
            }
        }
        out
    }

    /// Bonus for all of the query's items close together (same sentence, roughly), as
    /// grams: how jieba cut each bulletin must not decide which one is "near".
    fn near(&self, b: &mut Build, m: Mode) -> Option<Clause> {
        let items = std::mem::take(&mut b.near_words);
        if items.len() < 2 {
            return None;
        }
        // Lay the items end to end, one character apart, as if typed with a space.
        let mut terms: Vec<(usize, crate::analysis::grams::Gram)> = Vec::new();
        let mut offset = 0;
        for item in &items {
            let item = item.trim();
            terms.extend(grams(item, Side::Query).into_iter().map(|g| (offset + g.char_pos, g)));
            offset += item.chars().count() + 1;
        }
        if terms.len() < 2 || terms.len() > NEAR_MAX_GRAMS {
            return None;
        }
        let positions: Vec<Position> = terms.iter().map(|(p, g)| Position::gram(*p, g)).collect();
        let fields =
            [TextField::Body, TextField::Title].into_iter().map(|field| Clause::Spelled { field, positions: positions.clone(), slop: NEAR_SLOP }).collect();
        let q = either_field(fields)?;
        Some(self.leaf(b, m, "all items near each other".to_string(), q, self.weights.near))
    }

    /// A word as itself in title or body: its token (a two-character word is the bigram
    /// at its position; a longer one, the word where the bulletin's segmentation cut it).
    /// A word without a token of its own (one character) is matched by its grams, at a
    /// word's weight.
    fn word(&self, word: &str, b: &mut Build, m: Mode) -> Clause {
        let clauses: Vec<(Occur, Clause)> = if analysis::text::is_token(word) {
            vec![
                (Occur::Should, self.leaf(b, m, format!("{word} · word · body"), term(TextField::Body, word), self.weights.body)),
                (Occur::Should, self.leaf(b, m, format!("{word} · word · title"), term(TextField::Title, word), self.weights.title)),
            ]
        } else {
            self.grams_leaves(word, b, m, "word", self.weights.body, self.weights.title).into_iter().map(|q| (Occur::Should, q)).collect()
        };
        Clause::Bool(clauses)
    }

    /// The word's characters in a row, below a word match, when that can match where the
    /// word's token does not (a word without a token is matched by its grams already).
    fn literal_beside_word(&self, word: &str, b: &mut Build, m: Mode) -> Option<Clause> {
        if !analysis::text::is_token(word) {
            return None;
        }
        self.literal(word, b, m)
    }

    /// A word as itself or literally (for the relaxed plan's parts).
    fn word_and_literal(&self, word: &str, b: &mut Build, m: Mode) -> Clause {
        let mut should = vec![(Occur::Should, self.word(word, b, m))];
        if let Some(l) = self.literal_beside_word(word, b, m) {
            should.push((Occur::Should, l));
        }
        Clause::Bool(should)
    }

    /// Everything that counts as one required word.
    fn word_alternatives(&self, word: &str, b: &mut Build, m: Mode) -> Clause {
        let mut should: Vec<(Occur, Clause)> = vec![(Occur::Should, self.word(word, b, m))];
        let parts = cover(self.jieba, word);
        if parts.len() > 1 {
            for p in &parts {
                b.highlight.push(p.text.clone());
            }
            let joined = parts.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("…");
            for (field, name, w) in [(TextField::Body, "body", self.weights.body), (TextField::Title, "title", self.weights.title)] {
                if let Some(p) = phrase(field, &parts, PARTS_SLOP) {
                    should.push((Occur::Should, self.leaf(b, m, format!("{joined} · parts · {name}"), p, w * self.weights.parts)));
                }
            }
        }
        if let Some(l) = self.literal_beside_word(word, b, m) {
            should.push((Occur::Should, l));
        }
        Clause::Bool(should)
    }

    /// The text's characters, literally, in title or body: a phrase of its bigrams at
    /// their character offsets. A lone character followed by punctuation is the unigram
    /// that ends a run; one at the end of the text is a prefix term (`抢.?`), since every
    /// indexed character begins some gram.
    fn literal(&self, text: &str, b: &mut Build, m: Mode) -> Option<Clause> {
        self.literal_weighted(text, b, m, self.weights.literal)
    }

    fn literal_weighted(&self, text: &str, b: &mut Build, m: Mode, weight: f32) -> Option<Clause> {
        let q = self.literal_query(text)?;
        let label = format!("{} · literal", analysis::fold(text).trim());
        Some(self.leaf(b, m, label, q, weight))
    }

    /// The unscored literal query of a text (see [`Planner::literal`]); a text with
    /// punctuation inside (a code: 4·28) is checked against the stored text as written.
    fn literal_query(&self, text: &str) -> Option<Clause> {
        let q = self.gram_phrase(text)?;
        if !binds_punctuation(text) {
            return Some(q);
        }
        Some(Clause::Verified { inner: Box::new(q), needle: canonical(text.trim()) })
    }

    /// Every positive item as typed, characters in a row: the plan whose matches are the
    /// `literal` kind. Items of a group are alternatives, groups are all required.
    pub(crate) fn literal_plan(&self, q: &ParsedQuery) -> Clause {
        let mut must: Vec<(Occur, Clause)> = Vec::new();
        for group in &q.groups {
            let alternatives: Vec<(Occur, Clause)> = group.iter().filter_map(|item| self.literal_query(&item.text)).map(|q| (Occur::Should, q)).collect();
            if alternatives.is_empty() {
                return Clause::Nothing;
            }
            must.push((Occur::Must, Clause::Bool(alternatives)));
        }
        if must.is_empty() {
            return Clause::Nothing;
        }
        Clause::Bool(must)
    }

    /// The text's characters in a row in title or body (see [`super::spelled::literal`]), scored
    /// as [`either_field`].
    fn gram_phrase(&self, text: &str) -> Option<Clause> {
        let g = grams(text, Side::Query);
        let fields: Vec<Clause> = [TextField::Body, TextField::Title].into_iter().filter_map(|field| literal(field, &g)).collect();
        either_field(fields)
    }

    /// Scored leaves for the text's grams in the body and in the title, labelled
    /// `text · what · field`; none when the text has no grams.
    fn grams_leaves(&self, text: &str, b: &mut Build, m: Mode, what: &str, body: f32, title: f32) -> Vec<Clause> {
        let g = grams(text, Side::Query);
        let folded = analysis::fold(text);
        let mut out = Vec::new();
        for (field, name, weight) in [(TextField::Body, "body", body), (TextField::Title, "title", title)] {
            if let Some(q) = literal(field, &g) {
                out.push(self.leaf(b, m, format!("{} · {what} · {name}", folded.trim()), q, weight));
            }
        }
        out
    }
}

/// Items matched only as written: codes (anything with a digit: 4·28, A12345, 雷霆2023,
/// (2023)粤0304刑初123号) and anonymised names (秦某某, 陈某森, 李某). Their parts are not
/// evidence, synonyms and categories do not apply, and a partial match needs the string.
pub(crate) fn literal_only(folded: &str) -> bool {
    let t = folded.trim();
    t.chars().any(|c| c.is_ascii_digit()) || is_anonymised_name(t)
}

/// 秦某某, 陈某森, 李某, 欧阳某某: a surname of one or two characters and the placeholder 某
/// for the rest of the name.
fn is_anonymised_name(t: &str) -> bool {
    let chars: Vec<char> = t.chars().collect();
    (2..=4).contains(&chars.len())
        && chars.iter().all(|c| crate::chars::is_cjk(*c))
        && chars[0] != '某'
        && chars[1..].contains(&'某')
        && chars.iter().take_while(|c| **c != '某').count() <= 2
}

/// One score for characters found in title, body or both: the best field's, plus a share
/// of the other's. Literal strings and nearness were read from one gram field that held
/// title and body, where a second occurrence in the other part added about that much under
/// BM25's saturation; summing the two fields' scores would double them instead. `None`
/// when there is no field query.
fn either_field(fields: Vec<Clause>) -> Option<Clause> {
    match fields.len() {
        0 => None,
        1 => fields.into_iter().next(),
        _ => Some(Clause::DisMax(fields, OTHER_FIELD_SHARE)),
    }
}

/// Words of an item that a synonym phrase (or nothing) groups into one required unit.
struct Unit<'s> {
    words: std::ops::Range<usize>,
    /// Character range of the synonym phrase in the item, if any.
    phrase: Option<(usize, usize)>,
    alternatives: &'s [String],
}

/// Split a word into the non-overlapping dictionary parts jieba's search mode knows
/// (电信诈骗 → 电信, 诈骗); a word with no such cover yields itself.
pub(crate) fn cover(jieba: &Jieba, word: &str) -> Vec<Word> {
    let n = word.chars().count();
    if n < 3 {
        return Vec::new();
    }
    let mut subs: Vec<_> = segment(jieba, word, true).into_iter().filter(|w| w.char_end - w.char_start < n && w.char_end - w.char_start >= 2).collect();
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

fn term(field: TextField, text: &str) -> Clause {
    Clause::Term { field, text: text.to_string() }
}

fn boost(q: Clause, w: f32) -> Clause {
    if (w - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Clause::Boost(Box::new(q), w)
    }
}

/// Phrase over words at their character offsets (so positions match the index's). A word
/// without a token of its own (one character) stands for every gram it begins.
fn phrase(field: TextField, words: &[Word], slop: u32) -> Option<Clause> {
    let words = tile(words);
    if words.iter().all(|w| analysis::text::is_token(&w.text)) {
        let terms: Vec<(usize, String)> = words.iter().map(|w| (w.char_start, w.text.clone())).collect();
        return match terms.len() {
            0 => None,
            1 => Some(term(field, &terms[0].1)),
            _ => Some(Clause::Phrase { field, terms: rebase(terms), slop }),
        };
    }
    let positions: Vec<Position> = words
        .iter()
        .map(|w| {
            if analysis::text::is_token(&w.text) {
                return Some(Position::word(w.char_start, &w.text));
            }
            let mut g = grams(&w.text, Side::Query).into_iter().next()?;
            g.prefix = true;
            Some(Position::gram(w.char_start, &g))
        })
        .collect::<Option<_>>()?;
    Some(Clause::Spelled { field, positions, slop })
}

/// A text's grams in one field (see [`super::spelled::literal`]); `None` without grams.
fn literal(field: TextField, grams: &[crate::analysis::grams::Gram]) -> Option<Clause> {
    (!grams.is_empty()).then(|| Clause::Literal { field, grams: grams.to_vec() })
}

/// Positions relative to the first term (a phrase may start after a separator).
fn rebase<T>(mut terms: Vec<(usize, T)>) -> Vec<(usize, T)> {
    let base = terms.iter().map(|(p, _)| *p).min().unwrap_or(0);
    for (p, _) in terms.iter_mut() {
        *p -= base;
    }
    terms
}

/// The words that tile a text left to right (search-mode words overlap; a phrase can only
/// demand one token per offset).
fn tile(words: &[Word]) -> Vec<Word> {
    let mut out = Vec::new();
    let mut at = 0;
    for w in words {
        if w.char_start >= at {
            at = w.char_end;
            out.push(w.clone());
        }
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

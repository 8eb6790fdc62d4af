//! Searching: from a query string and filters to ranked hits with passages and facets.
//!
//! `query` parses the user's syntax, `plan` turns it into a tantivy query and the strings
//! to highlight, `passage` picks and marks the best sentences. This module runs them and
//! applies the filters; it never prints (see `render`).

pub mod clause;
pub mod coverage;
pub mod exact;
pub mod facets;
pub mod filters;
pub mod forms_phrase;
pub mod passage;
pub mod plan;
pub mod query;
mod rank;
pub(crate) use rank::tier;
pub mod solr;
pub mod spelled;
pub mod synonyms;
#[cfg(test)]
mod tests;
pub mod view;

use std::ops::Bound;
use std::sync::Arc;

use chrono::NaiveDate;
use jieba_rs::Jieba;
use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, ExistsQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::{DateTime, DocAddress, Searcher, TantivyDocument, Term};

use rank::{Candidate, Kinds, Ranker, Ranking, Tiers};

pub use facets::{facet_counts, facet_table, FacetCounts, FacetKind, FacetTable};
pub use passage::Passage;
pub use plan::{Plan, Planner, Weights};
pub use query::{parse, ParsedQuery};
pub use synonyms::Synonyms;
pub use view::{view, BulletinView};

use crate::index::{IndexError, IndexHandle};

/// Filters, already resolved to canonical facet paths and dates. Several values of one
/// kind are alternatives (OR); different kinds must all hold (AND).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Region facet paths: `/广西壮族自治区`, `/广东省/清远市`.
    pub regions: Vec<String>,
    /// Category facet paths: `/诈骗`, `/诈骗/养老诈骗`.
    pub categories: Vec<String>,
    /// Inclusive date bounds. Undated bulletins pass a date filter only with
    /// `include_undated`.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Let undated bulletins through the date bounds.
    pub include_undated: bool,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.regions.is_empty() && self.categories.is_empty() && self.from.is_none() && self.to.is_none()
    }
}

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortBy {
    #[default]
    Relevance,
    /// Newest first; undated bulletins last.
    Date,
    /// Oldest first; undated bulletins still last.
    DateOldestFirst,
}

/// Hits on a page when not told: the CLI's `-n`, the API's `limit` and [`SearchRequest`]
/// default to it.
pub const DEFAULT_LIMIT: usize = 10;

/// Passages shown per hit when not told (text and page output; a CSV row shows one).
pub const DEFAULT_PASSAGES: usize = 3;

/// One search.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub filters: Filters,
    pub limit: usize,
    pub offset: usize,
    pub sort: SortBy,
    /// Passages per hit.
    pub passages: usize,
    /// Count hits per province, category and year.
    pub facets: bool,
    /// Synonyms to expand the query with; `None` searches only what was typed.
    pub synonyms: Option<Arc<Synonyms>>,
    /// Fill a page the strict query leaves short with bulletins covering part of it (at
    /// least half of its information, see `coverage`), ranked after every full match.
    pub partial: bool,
    /// Say for each hit which terms, fields and boosts made up its score.
    pub explain: bool,
    /// Category rules, so a query word naming a category also finds bulletins classified
    /// under it; `None` matches words only.
    pub categories: Option<Arc<crate::extract::CategoryRules>>,
    /// Show every copy of a republished bulletin instead of one hit per group.
    pub all_copies: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            filters: Filters::default(),
            limit: DEFAULT_LIMIT,
            offset: 0,
            sort: SortBy::Relevance,
            passages: DEFAULT_PASSAGES,
            facets: false,
            synonyms: None,
            partial: true,
            explain: false,
            categories: None,
            all_copies: false,
        }
    }
}

/// One ranked bulletin.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub rank: usize,
    pub path: String,
    pub id: String,
    pub score: f32,
    pub title: String,
    pub date: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub categories: Vec<String>,
    pub url: Option<String>,
    pub passages: Vec<Passage>,
    /// Title highlight spans (character offsets into `title`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub title_highlights: Vec<[usize; 2]>,
    /// How the bulletin matched; `None` when browsing without a query.
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub match_kind: Option<MatchKind>,
    /// Alternatives from the synonyms file that occur in this bulletin (folded).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expanded: Vec<String>,
    /// Matches only part of the query (a partial match filling a short page).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// What the score is made of, largest first (with `explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Vec<Contribution>>,
    /// Near-duplicate group (16 hex digits; a string so JSON readers keep every bit).
    pub group: Option<String>,
    /// Paths of the other copies of this bulletin (republished elsewhere), sorted; at most
    /// [`MAX_DUPLICATES_LISTED`] of them.
    pub duplicates: Vec<String>,
    /// How many other copies there are in all.
    pub duplicates_total: usize,
}

/// How a hit matched the query, from the strongest evidence to the weakest; hits are
/// ordered by it before score (literal, words, synonym, category, partial).
///
/// There is no separate `phrase` kind: a quoted phrase matches only as written, so its
/// hits are `literal`, like those of an unquoted query found as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// It contains every item as typed (characters in a row, after folding script, width
    /// and case; a code's punctuation included): what grep would find.
    Literal,
    /// It has the typed words, but some item only apart (电信…诈骗 in 电信网络诈骗 for
    /// 电信诈骗; 命案 and 积案 in different sentences for 命案积案).
    Words,
    /// Only through an alternative from the synonyms file (喝酒开车 → 酒驾).
    Synonym,
    /// Only because it is classified under a category a query word names.
    Category,
    /// It covers part of the query (a partial match filling a short page).
    Partial,
}

impl MatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Literal => "literal",
            MatchKind::Words => "words",
            MatchKind::Synonym => "synonym",
            MatchKind::Category => "category",
            MatchKind::Partial => "partial",
        }
    }
}

/// Copies listed per hit. A bulletin copied thousands of times (a wire story, a mirror)
/// would otherwise repeat its whole list in every hit: output, and time, quadratic in the
/// size of the group.
pub(crate) const MAX_DUPLICATES_LISTED: usize = 50;

/// One part of a hit's score.
#[derive(Debug, Clone, Serialize)]
pub struct Contribution {
    /// The term or phrase, how it matched and where: `酒驾 · word · title`.
    pub what: String,
    pub score: f32,
}

/// What a search returns.
///
/// The totals split `total` by [`MatchKind`]: `literal_total + words_total +
/// synonym_total + category_total == total` for a search with words (a blank query
/// browses and counts everything as literal). `partial_total` is beyond `total`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchResults {
    /// Bulletins matching the whole query (every kind but partial).
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Option<FacetCounts>,
    /// Query items dropped for being too many or too long.
    pub truncated: bool,
    /// Alternatives the query was expanded with (synonyms), folded.
    pub expanded: Vec<String>,
    /// Bulletins matching only part of the query, beyond `total`.
    pub partial_total: usize,
    /// Of `total`, those containing every item as typed ([`MatchKind::Literal`]).
    pub literal_total: usize,
    /// Of `total`, those with the typed words but some only apart ([`MatchKind::Words`]).
    pub words_total: usize,
    /// Of `total`, those found only through synonyms ([`MatchKind::Synonym`]).
    pub synonym_total: usize,
    /// Of `total`, those found only through a category a query word names
    /// ([`MatchKind::Category`]); the categories are in `categories`.
    pub category_total: usize,
    /// Category paths that query words named (`刷单` → `/诈骗/电信网络诈骗`): bulletins
    /// classified under them match too.
    pub categories: Vec<String>,
    /// With a date filter: bulletins that would match but have no date, so the filter
    /// left them out.
    pub undated_left_out: Option<usize>,
}

/// Errors a search can end with.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the query has nothing to search for (only punctuation or exclusions); type at least one word")]
    EmptyQuery,
    #[error(transparent)]
    Index(#[from] IndexError),
    /// A store other than the local index failed (a SolrCloud collection): its one-line
    /// message.
    #[error("{0}")]
    Store(String),
}

/// The date field, as fast-field lookups and `ExistsQuery` name it.
pub(crate) const DATE_FIELD: &str = crate::index::schema::name::DATE;

/// Factor on the scores of partial matches before they merge with full ones: a bulletin
/// missing some of the words must match the rest about twice as well to rank above one
/// that has them all.
pub(crate) const PARTIAL_DISCOUNT: f32 = 0.5;

/// Longest result page served; deeper pages cost memory for nothing a person reads.
pub const MAX_LIMIT: usize = 10_000;

/// Run a search on a fresh view of the index (what a one-shot process wants).
pub fn search(handle: &IndexHandle, jieba: &Jieba, req: &SearchRequest) -> Result<SearchResults, SearchError> {
    let reader = handle.index.reader().map_err(|e| handle.tantivy_error(e))?;
    search_in(handle, &reader.searcher(), jieba, req)
}

/// Run a search on a given view of the index. A long-running process (the HTTP server)
/// keeps one reader that follows the index's commits and searches its current view,
/// instead of opening every segment again per search.
///
/// A blank query browses: every bulletin passing the filters, newest first, without
/// passages chosen by matches or match kinds.
pub fn search_in(handle: &IndexHandle, searcher: &Searcher, jieba: &Jieba, req: &SearchRequest) -> Result<SearchResults, SearchError> {
    let parsed = parse(&req.query);
    let browsing = req.query.trim().is_empty();
    if parsed.is_empty() && !browsing {
        return Err(SearchError::EmptyQuery);
    }
    let plan = if browsing { everything() } else { planner(jieba, req).plan(&parsed) };
    // Browsing has no relevance to order by: newest first, unless asked for oldest first.
    let sort = if browsing && req.sort == SortBy::Relevance { SortBy::Date } else { req.sort };
    let query = with_filters(handle, plan.query.local(&handle.fields), &req.filters);
    let err = |e| SearchError::Index(handle.tantivy_error(e));

    let limit = req.limit.clamp(1, MAX_LIMIT);
    let offset = req.offset.min(1_000_000);
    let want = offset + limit;
    let kinds = tiers(handle, searcher, kind_plans(jieba, req, &parsed, &plan)).map_err(err)?;
    let strict = page(searcher, &query, &kinds, sort, want, req.all_copies).map_err(err)?;
    let (total, counts) = (strict.total, strict.counts);
    let mut top = strict.top;
    let mut partial_total = 0;
    if let (SortBy::Relevance, true, true, Some(relaxed)) = (sort, req.partial, top.len() < want, &plan.relaxed) {
        // Too few full matches: the rest of the page comes from partial ones, if the query
        // has enough information for a partial match to mean something.
        if let Some(relaxed) = relaxed_query(searcher, &handle.fields, relaxed).map_err(err)? {
            let relaxed = with_filters(handle, relaxed, &req.filters);
            let strict: std::collections::HashSet<DocAddress> = top.iter().map(|c| c.address).collect();
            let strict_groups: std::collections::HashSet<u64> = top.iter().map(|c| group_of(searcher, c.address)).filter(|g| *g != 0).collect();
            let partial_kinds = Kinds::Fixed(Some(MatchKind::Partial));
            let more = page(searcher, &relaxed, &partial_kinds, sort, want + top.len(), req.all_copies).map_err(err)?;
            partial_total = more.total.saturating_sub(total);
            let room = want - top.len();
            // A partial match with strong words may outscore a full match that only a weak
            // synonym satisfied; partial scores are discounted all the same, and every
            // full match ranks before every partial one.
            top.extend(
                more.top
                    .into_iter()
                    .filter(|c| !strict.contains(&c.address) && (req.all_copies || !strict_groups.contains(&group_of(searcher, c.address))))
                    .take(room)
                    .map(|c| Candidate { score: c.score * PARTIAL_DISCOUNT, ..c }),
            );
        }
    }
    let page: Vec<Candidate> = top.into_iter().skip(offset).take(limit).collect();

    let mut hits = Vec::with_capacity(page.len());
    // Each group's members are looked up once per search, however many of its copies
    // are on the page (with `all_copies`, all of them may be).
    let mut members: std::collections::HashMap<u64, Vec<String>> = std::collections::HashMap::new();
    for (i, c) in page.into_iter().enumerate() {
        let address = c.address;
        let doc: TantivyDocument = searcher.doc(address).map_err(err)?;
        let mut hit = make_hit(Stored::local(handle, &doc), offset + i + 1, c.score, &plan.highlight, &plan.expanded, req.passages);
        hit.partial = c.kind == Some(MatchKind::Partial);
        hit.match_kind = c.kind;
        if req.explain {
            hit.explain = Some(explain(searcher, &handle.fields, &plan, address, hit.partial));
        }
        let group = group_of(searcher, address);
        if group != 0 {
            hit.group = Some(format!("{group:016x}"));
            let all = match members.entry(group) {
                std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
                std::collections::hash_map::Entry::Vacant(slot) => slot.insert(group_members(searcher, handle, group).map_err(err)?),
            };
            // Sorted members: finding this hit among them, and listing the first few
            // others, costs no pass over the whole group.
            let listed_itself = all.binary_search(&hit.path).is_ok();
            hit.duplicates_total = all.len() - usize::from(listed_itself);
            hit.duplicates = all.iter().filter(|p| **p != hit.path).take(MAX_DUPLICATES_LISTED).cloned().collect();
        }
        hits.push(hit);
    }
    let undated_left_out = if (req.filters.from.is_some() || req.filters.to.is_some()) && !req.filters.include_undated {
        Some(undated(handle, searcher, &plan, &req.filters).map_err(err)?)
    } else {
        None
    };
    let facets = if req.facets { Some(facet_counts(searcher, &query).map_err(err)?) } else { None };
    // Browsing counts everything as what was asked for.
    let literal_total = if browsing { total } else { counts.literal };
    Ok(SearchResults {
        total,
        hits,
        facets,
        truncated: parsed.truncated,
        expanded: plan.expanded,
        partial_total,
        literal_total,
        words_total: counts.words,
        synonym_total: counts.synonym,
        category_total: counts.category,
        categories: plan.categories,
        undated_left_out,
    })
}

/// Every text the planner will segment for a request: the query and each query item with
/// a synonym put in place of the phrase it replaces (built by [`synonyms::substitute`], as
/// the planner builds them). A front end that loads
/// a jieba knowing only these texts (`analysis::dictionary::for_texts`) segments the query
/// exactly as the full dictionary would.
pub fn segmented_texts(req: &SearchRequest) -> Vec<String> {
    let mut out = vec![req.query.clone()];
    let Some(synonyms) = &req.synonyms else { return out };
    for item in parse(&req.query).items() {
        let folded = crate::analysis::fold(&item.text);
        let chars: Vec<char> = folded.chars().collect();
        for found in synonyms.find(&folded) {
            let whole = 0..chars.len();
            out.extend(found.alternatives.iter().map(|alt| synonyms::substitute(&chars, whole.clone(), found.start..found.end, alt)));
        }
    }
    out
}

/// The planner for a request's options.
pub fn planner<'a>(jieba: &'a Jieba, req: &'a SearchRequest) -> Planner<'a> {
    Planner { jieba, weights: Weights::default(), synonyms: req.synonyms.as_deref(), categories: req.categories.as_deref() }
}

/// The plan of a blank query: every bulletin, nothing to highlight.
pub fn everything() -> Plan {
    Plan { query: clause::Clause::Everything, relaxed: None, highlight: Vec::new(), expanded: Vec::new(), components: Vec::new(), categories: Vec::new() }
}

/// The narrower plans that tell each match's [`MatchKind`] (see `rank`), as clauses: the
/// query as typed, characters in a row; planned as typed (no synonyms, no categories); and
/// with synonyms but no categories. Each matches a subset of the next, and of the full
/// plan. A plan that would equal the full one is not built. Both stores run these.
pub enum KindPlans {
    /// Every match is of this kind.
    Fixed(Option<MatchKind>),
    Tiered {
        literal: clause::Clause,
        typed: Option<clause::Clause>,
        worded: Option<clause::Clause>,
        /// The full plan used synonyms (else only categories widened it).
        synonyms: bool,
    },
}

/// The [`KindPlans`] of a request's query.
pub fn kind_plans(jieba: &Jieba, req: &SearchRequest, parsed: &ParsedQuery, plan: &Plan) -> KindPlans {
    if req.query.trim().is_empty() {
        return KindPlans::Fixed(None);
    }
    let synonyms = !plan.expanded.is_empty();
    let categories = !plan.categories.is_empty();
    // Quoted phrases, codes and names match only as written: nothing to tell apart, and
    // no second check of a code against the stored text.
    let as_written = parsed.items().all(|i| i.phrase || plan::literal_only(&crate::analysis::fold(&i.text)));
    if as_written && !synonyms && !categories {
        return KindPlans::Fixed(Some(MatchKind::Literal));
    }
    let base = planner(jieba, req);
    let literal = base.literal_plan(parsed);
    let (mut typed, mut worded) = (None, None);
    if synonyms || categories {
        typed = Some(Planner { synonyms: None, categories: None, ..planner(jieba, req) }.plan(parsed).query);
        if synonyms && categories {
            worded = Some(Planner { categories: None, ..planner(jieba, req) }.plan(parsed).query);
        }
    }
    KindPlans::Tiered { literal, typed, worded, synonyms }
}

/// The kind plans over the local index.
fn tiers(handle: &IndexHandle, searcher: &Searcher, kinds: KindPlans) -> tantivy::Result<Kinds> {
    let (literal, typed, worded, synonyms) = match kinds {
        KindPlans::Fixed(k) => return Ok(Kinds::Fixed(k)),
        KindPlans::Tiered { literal, typed, worded, synonyms } => (literal, typed, worded, synonyms),
    };
    let scoring = tantivy::query::EnableScoring::disabled_from_searcher(searcher);
    let f = &handle.fields;
    let weight = |c: &clause::Clause| -> tantivy::Result<Arc<dyn tantivy::query::Weight>> { Ok(Arc::from(c.local(f).weight(scoring)?)) };
    let literal = weight(&literal)?;
    let typed = typed.as_ref().map(weight).transpose()?;
    let worded = worded.as_ref().map(weight).transpose()?;
    Ok(Kinds::Tiered(Arc::new(Tiers { literal, typed, worded, synonyms })))
}

/// The partial-match query: units weighed by the information they carry here, at least
/// [`coverage::MIN_SHARE`] of the whole required; `None` when the query carries none.
fn relaxed_query(searcher: &Searcher, f: &crate::index::Fields, relaxed: &plan::Relaxed) -> tantivy::Result<Option<Box<dyn Query>>> {
    let units: Vec<coverage::Unit> = relaxed.units.iter().map(|u| coverage::Unit { text: u.text.clone(), query: u.query.local(f) }).collect();
    let Some(weights) = coverage::weigh(searcher, &units)? else { return Ok(None) };
    let total: f32 = weights.iter().sum();
    let units = units.into_iter().zip(weights).map(|(u, w)| (u.query, w)).collect();
    let coverage: Box<dyn Query> = Box::new(coverage::Coverage { units, min: coverage::MIN_SHARE * total });
    if relaxed.excluded.is_empty() {
        return Ok(Some(coverage));
    }
    let mut clauses = vec![(Occur::Must, coverage)];
    clauses.extend(relaxed.excluded.iter().map(|q| (Occur::MustNot, q.local(f))));
    Ok(Some(Box::new(BooleanQuery::new(clauses))))
}

/// Bulletins that match the plan and every filter but the dates, and have no date: what a
/// date filter leaves out besides the bulletins dated outside it.
fn undated(handle: &IndexHandle, searcher: &Searcher, plan: &Plan, filters: &Filters) -> tantivy::Result<usize> {
    let undated_filters = Filters { from: None, to: None, include_undated: false, ..filters.clone() };
    let query = BooleanQuery::new(vec![
        (Occur::Must, with_filters(handle, plan.query.local(&handle.fields), &undated_filters)),
        (Occur::MustNot, Box::new(ExistsQuery::new(DATE_FIELD.to_string(), false)) as Box<dyn Query>),
    ]);
    searcher.search(&query, &Count)
}

/// How many documents match (per kind), and the best `want` in the requested order;
/// unless `all_copies`, one per near-duplicate group (the best-ranked copy stands for its
/// group). Collapsing ranks more candidates than the page needs, widening the window
/// until the page is full or the matches run out.
fn page(searcher: &Searcher, query: &dyn Query, kinds: &Kinds, sort: SortBy, want: usize, all_copies: bool) -> tantivy::Result<Ranking> {
    let rank = |limit: usize| searcher.search(query, &Ranker { kinds: kinds.clone(), sort, limit });
    if all_copies {
        return rank(want);
    }
    let mut fetch = (want * 3).max(want + 20);
    loop {
        let mut ranking = rank(fetch)?;
        let exhausted = ranking.top.len() < fetch || fetch >= MAX_CANDIDATES;
        let mut seen = std::collections::HashSet::new();
        ranking.top.retain(|c| {
            let g = group_of(searcher, c.address);
            g == 0 || seen.insert(g)
        });
        if ranking.top.len() >= want || exhausted {
            ranking.top.truncate(want);
            return Ok(ranking);
        }
        fetch = (fetch * 4).min(MAX_CANDIDATES);
    }
}

/// The expansions that occur in a bulletin (folded substring match, as highlighting).
pub(crate) fn occurring(expanded: &[String], title: &str, body: &str) -> Vec<String> {
    if expanded.is_empty() {
        return Vec::new();
    }
    let (title, body) = (crate::analysis::fold(title), crate::analysis::fold(body));
    expanded
        .iter()
        .filter(|e| {
            let e: &str = e;
            title.contains(e) || body.contains(e)
        })
        .cloned()
        .collect()
}

/// The plan's leaves that scored on this document, largest first. Plans only sum scores,
/// so these add up to the hit's score.
fn explain(searcher: &Searcher, f: &crate::index::Fields, plan: &Plan, address: DocAddress, partial: bool) -> Vec<Contribution> {
    let matches = |q: &clause::Clause| q.local(f).explain(searcher, address).is_ok();
    let mut out: Vec<Contribution> = plan
        .components
        .iter()
        .filter(|c| c.in_plan(partial))
        .filter(|c| c.guards.iter().all(|(alternative, g)| (partial && !alternative) || matches(g)))
        .filter_map(|c| {
            let v = c.query.local(f).explain(searcher, address).ok()?.value();
            (v > 0.0).then(|| Contribution { what: c.label.clone(), score: v })
        })
        .collect();
    out.sort_by(|a, b| b.score.partial_cmp(&a.score).unwrap_or(std::cmp::Ordering::Equal));
    if partial {
        let sum: f32 = out.iter().map(|c| c.score).sum();
        out.push(Contribution { what: format!("partial match: score ×{PARTIAL_DISCOUNT}"), score: sum * (PARTIAL_DISCOUNT - 1.0) });
    }
    out
}

/// Most candidates looked at to fill a page with distinct groups.
const MAX_CANDIDATES: usize = 50_000;

/// Group id of a document; 0 when it has none.
pub(crate) fn group_of(searcher: &Searcher, a: DocAddress) -> u64 {
    let seg = searcher.segment_reader(a.segment_ord);
    seg.fast_fields().u64(crate::index::schema::name::GROUP).ok().and_then(|c| c.first(a.doc_id)).unwrap_or(0)
}

/// Paths of every live document in `group`, sorted.
fn group_members(searcher: &Searcher, handle: &IndexHandle, group: u64) -> tantivy::Result<Vec<String>> {
    let query = TermQuery::new(Term::from_field_u64(handle.fields.group, group), IndexRecordOption::Basic);
    let members = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
    let mut paths = Vec::with_capacity(members.len());
    let mut path = String::new();
    for a in members {
        let Some(column) = searcher.segment_reader(a.segment_ord).fast_fields().str(crate::index::schema::name::PATH)? else { continue };
        let ord = column.term_ords(a.doc_id).next();
        if let Some(ord) = ord {
            if column.ord_to_str(ord, &mut path)? {
                paths.push(path.clone());
            }
        }
    }
    paths.sort();
    Ok(paths)
}

/// Add the filters to a query as required, unscored clauses.
pub(crate) fn with_filters(handle: &IndexHandle, query: Box<dyn Query>, filters: &Filters) -> Box<dyn Query> {
    if filters.is_empty() {
        return query;
    }
    let f = handle.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
    let facet_any = |field, paths: &[String]| -> Box<dyn Query> {
        let alts: Vec<(Occur, Box<dyn Query>)> = paths
            .iter()
            .filter_map(|p| Facet::from_text(p).ok())
            .map(|facet| (Occur::Should, Box::new(TermQuery::new(Term::from_facet(field, &facet), IndexRecordOption::Basic)) as Box<dyn Query>))
            .collect();
        Box::new(BooleanQuery::new(alts))
    };
    if !filters.regions.is_empty() {
        clauses.push((Occur::Must, unscored(facet_any(f.region, &filters.regions))));
    }
    if !filters.categories.is_empty() {
        clauses.push((Occur::Must, unscored(facet_any(f.category, &filters.categories))));
    }
    if filters.from.is_some() || filters.to.is_some() {
        // Both ends are days, stored at midnight: a day's bulletins are at its timestamp.
        let bound = |d: Option<NaiveDate>| match d {
            None => Bound::Unbounded,
            Some(d) => {
                let secs = d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(0);
                let t = Term::from_field_date_for_search(f.date, DateTime::from_timestamp_secs(secs));
                Bound::Included(t)
            }
        };
        let mut dates: Box<dyn Query> = Box::new(RangeQuery::new(bound(filters.from), bound(filters.to)));
        if filters.include_undated {
            let undated: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, Box::new(ExistsQuery::new(DATE_FIELD.to_string(), false))),
            ]));
            dates = Box::new(BooleanQuery::new(vec![(Occur::Should, dates), (Occur::Should, undated)]));
        }
        clauses.push((Occur::Must, unscored(dates)));
    }
    Box::new(BooleanQuery::new(clauses))
}

fn unscored(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

pub(crate) fn stored_str(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<&str> {
    doc.get_first(field).and_then(|v| v.as_str())
}

pub(crate) fn stored_facets(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<String> {
    doc.get_all(field).filter_map(|v| v.as_facet().map(decode_facet)).collect()
}

/// A stored facet is its segments joined by NUL; give it back as `/a/b`.
fn decode_facet(encoded: &str) -> String {
    let mut out = String::new();
    for seg in encoded.split('\0').filter(|s| !s.is_empty()) {
        out.push('/');
        out.push_str(seg);
    }
    out
}

/// When and where a stored bulletin was published.
pub(crate) struct Place {
    pub date: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
}

pub(crate) fn place(doc: &TantivyDocument, f: &crate::index::Fields) -> Place {
    let date = doc
        .get_first(f.date)
        .and_then(|v| v.as_datetime())
        .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
        .map(|d| d.date_naive().to_string());
    let region = stored_facets(doc, f.region).into_iter().next().unwrap_or_default();
    let mut parts = region.trim_start_matches('/').split('/').filter(|s| !s.is_empty());
    let province = parts.next().map(str::to_string);
    let city = parts.next().map(str::to_string);
    Place { date, province, city }
}

/// What a hit shows of a stored bulletin, whichever store it came from.
#[derive(Debug, Clone, Default)]
pub struct Stored {
    pub id: String,
    pub path: String,
    /// Title and clean text as published.
    pub title: String,
    pub body: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    /// Category paths (`/诈骗/养老诈骗`).
    pub categories: Vec<String>,
    pub url: Option<String>,
}

impl Stored {
    fn local(handle: &IndexHandle, doc: &TantivyDocument) -> Stored {
        let f = handle.fields;
        let Place { date, province, city } = place(doc, &f);
        Stored {
            id: stored_str(doc, f.id).unwrap_or("").to_string(),
            path: stored_str(doc, f.path).unwrap_or("").to_string(),
            title: stored_str(doc, f.title_text).unwrap_or("").to_string(),
            body: stored_str(doc, f.body_text).unwrap_or("").to_string(),
            date,
            province,
            city,
            categories: stored_facets(doc, f.category),
            url: stored_str(doc, f.url).map(str::to_string),
        }
    }
}

/// A hit of a stored bulletin: its passages and title highlights for the plan's strings.
pub fn make_hit(doc: Stored, rank: usize, score: f32, highlight: &[String], expanded: &[String], passages: usize) -> Hit {
    let highlight = passage::patterns_for(&[&doc.title, &doc.body], highlight, expanded);
    let highlight = highlight.as_slice();
    Hit {
        rank,
        path: doc.path,
        id: doc.id,
        score,
        title_highlights: passage::find_spans(&doc.title, highlight),
        passages: passage::best_passages(&doc.body, highlight, passages),
        expanded: occurring(expanded, &doc.title, &doc.body),
        title: doc.title,
        date: doc.date,
        province: doc.province,
        city: doc.city,
        categories: doc.categories,
        url: doc.url,
        partial: false,
        match_kind: None,
        explain: None,
        group: None,
        duplicates: Vec::new(),
        duplicates_total: 0,
    }
}

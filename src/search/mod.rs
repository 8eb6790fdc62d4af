//! Searching: from a query string and filters to ranked hits with passages and facets.
//!
//! `query` parses the user's syntax, `plan` turns it into a tantivy query and the strings
//! to highlight, `passage` picks and marks the best sentences. This module runs them and
//! applies the filters; it never prints (see `render`).

pub mod passage;
pub mod plan;
pub mod query;

use std::ops::Bound;

use chrono::NaiveDate;
use jieba_rs::Jieba;
use serde::Serialize;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::{DateTime, DocAddress, Searcher, TantivyDocument, Term};

pub use passage::Passage;
pub use plan::{Plan, Planner, Weights};
pub use query::{parse, ParsedQuery};

use crate::index::{IndexError, IndexHandle};

/// Filters, already resolved to canonical facet paths and dates. Several values of one
/// kind are alternatives (OR); different kinds must all hold (AND).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Region facet paths: `/广西壮族自治区`, `/广东省/清远市`.
    pub regions: Vec<String>,
    /// Category facet paths: `/诈骗`, `/诈骗/养老诈骗`.
    pub categories: Vec<String>,
    /// Inclusive date bounds. Undated bulletins never pass a date filter.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
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
}

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
    /// Alternative phrasings per positive query item (synonym expansion).
    pub expansions: Vec<Vec<String>>,
    /// Show every copy of a republished bulletin instead of one hit per group.
    pub all_copies: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            filters: Filters::default(),
            limit: 10,
            offset: 0,
            sort: SortBy::Relevance,
            passages: 3,
            facets: false,
            expansions: Vec::new(),
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
    /// Title highlight spans (character offsets).
    #[serde(skip)]
    pub title_highlights: Vec<[usize; 2]>,
    /// Near-duplicate group (16 hex digits; a string so JSON readers keep every bit).
    pub group: Option<String>,
    /// Paths of the other copies of this bulletin (republished elsewhere).
    pub duplicates: Vec<String>,
}

/// Counts per facet value over a result set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FacetCounts {
    pub province: Vec<(String, u64)>,
    pub city: Vec<(String, u64)>,
    pub category: Vec<(String, u64)>,
    pub year: Vec<(String, u64)>,
}

/// What a search returns.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Option<FacetCounts>,
    /// Query items dropped for being too many or too long.
    pub truncated: bool,
}

/// Errors a search can end with.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the query has nothing to search for (only punctuation or exclusions); type at least one word")]
    EmptyQuery,
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// Longest result page served; deeper pages cost memory for nothing a person reads.
pub const MAX_LIMIT: usize = 10_000;

/// Run a search.
pub fn search(handle: &IndexHandle, jieba: &Jieba, req: &SearchRequest) -> Result<SearchResults, SearchError> {
    let parsed = parse(&req.query);
    if parsed.is_empty() {
        return Err(SearchError::EmptyQuery);
    }
    let planner = Planner { jieba, fields: handle.fields, weights: Weights::default() };
    let plan = planner.plan(&parsed, &req.expansions);
    let query = with_filters(handle, plan.query.box_clone(), &req.filters);
    let reader = handle.index.reader().map_err(|e| handle.tantivy_error(e))?;
    let searcher = reader.searcher();
    let err = |e| SearchError::Index(handle.tantivy_error(e));

    let limit = req.limit.clamp(1, MAX_LIMIT);
    let offset = req.offset.min(1_000_000);
    let total = searcher.search(&query, &Count).map_err(err)?;
    let addresses = if req.all_copies {
        top_docs(&searcher, &query, req.sort, limit, offset).map_err(err)?
    } else {
        one_per_group(&searcher, &query, req.sort, limit, offset).map_err(err)?
    };

    let mut hits = Vec::with_capacity(addresses.len());
    for (i, (score, address)) in addresses.into_iter().enumerate() {
        let doc: TantivyDocument = searcher.doc(address).map_err(err)?;
        let mut hit = make_hit(handle, &doc, offset + i + 1, score, &plan.highlight, req.passages);
        let group = group_of(&searcher, address);
        if group != 0 {
            hit.group = Some(format!("{group:016x}"));
            hit.duplicates = group_members(&searcher, handle, group).map_err(err)?;
            hit.duplicates.retain(|p| *p != hit.path);
        }
        hits.push(hit);
    }
    let facets = if req.facets { Some(facet_counts(&searcher, &query).map_err(err)?) } else { None };
    Ok(SearchResults { total, hits, facets, truncated: parsed.truncated })
}

/// Most candidates looked at to fill a page with distinct groups.
const MAX_CANDIDATES: usize = 50_000;

/// A page of hits with one bulletin per near-duplicate group: the best-ranked copy stands
/// for the group. Ranks more candidates than the page needs and collapses them, widening
/// the window until the page is full or the matches run out.
fn one_per_group(
    searcher: &Searcher,
    query: &dyn Query,
    sort: SortBy,
    limit: usize,
    offset: usize,
) -> tantivy::Result<Vec<(f32, DocAddress)>> {
    let want = offset + limit;
    let mut fetch = (want * 3).max(want + 20);
    loop {
        let candidates = top_docs(searcher, query, sort, fetch, 0)?;
        let exhausted = candidates.len() < fetch || fetch >= MAX_CANDIDATES;
        let mut seen = std::collections::HashSet::new();
        let collapsed: Vec<(f32, DocAddress)> = candidates
            .into_iter()
            .filter(|(_, a)| {
                let g = group_of(searcher, *a);
                g == 0 || seen.insert(g)
            })
            .collect();
        if collapsed.len() >= want || exhausted {
            return Ok(collapsed.into_iter().skip(offset).take(limit).collect());
        }
        fetch = (fetch * 4).min(MAX_CANDIDATES);
    }
}

/// Group id of a document; 0 when it has none.
fn group_of(searcher: &Searcher, a: DocAddress) -> u64 {
    let seg = searcher.segment_reader(a.segment_ord);
    seg.fast_fields().u64("group").ok().and_then(|c| c.first(a.doc_id)).unwrap_or(0)
}

/// Paths of every live document in `group`, sorted.
fn group_members(searcher: &Searcher, handle: &IndexHandle, group: u64) -> tantivy::Result<Vec<String>> {
    let query = TermQuery::new(Term::from_field_u64(handle.fields.group, group), IndexRecordOption::Basic);
    let members = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
    let mut paths = Vec::with_capacity(members.len());
    let mut path = String::new();
    for a in members {
        let Some(column) = searcher.segment_reader(a.segment_ord).fast_fields().str("path")? else { continue };
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

/// The `offset`..`offset + limit` best documents in the requested order.
fn top_docs(
    searcher: &Searcher,
    query: &dyn Query,
    sort: SortBy,
    limit: usize,
    offset: usize,
) -> tantivy::Result<Vec<(f32, DocAddress)>> {
    Ok(match sort {
        SortBy::Relevance => {
            let mut top = searcher.search(query, &TopDocs::with_limit(limit).and_offset(offset).order_by_score())?;
            // Newer first among equal scores.
            let dates: Vec<i64> = top.iter().map(|(_, a)| date_of(searcher, *a)).collect();
            let mut idx: Vec<usize> = (0..top.len()).collect();
            idx.sort_by(|&a, &b| {
                top[b].0.partial_cmp(&top[a].0).unwrap_or(std::cmp::Ordering::Equal).then(dates[b].cmp(&dates[a]))
            });
            let sorted = idx.iter().map(|&i| top[i]).collect();
            top.clear();
            sorted
        }
        SortBy::Date => {
            let top: Vec<(Option<DateTime>, DocAddress)> = searcher.search(
                query,
                &TopDocs::with_limit(limit).and_offset(offset).order_by_fast_field::<DateTime>("date", tantivy::Order::Desc),
            )?;
            top.into_iter().map(|(_, a)| (0.0, a)).collect()
        }
    })
}

fn date_of(searcher: &Searcher, a: DocAddress) -> i64 {
    let seg = searcher.segment_reader(a.segment_ord);
    seg.fast_fields()
        .date("date")
        .ok()
        .and_then(|c| c.first(a.doc_id))
        .map(|d| d.into_timestamp_secs())
        .unwrap_or(i64::MIN)
}

/// Add the filters to a query as required, unscored clauses.
pub fn with_filters(handle: &IndexHandle, query: Box<dyn Query>, filters: &Filters) -> Box<dyn Query> {
    if filters.is_empty() {
        return query;
    }
    let f = handle.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
    let facet_any = |field, paths: &[String]| -> Box<dyn Query> {
        let alts: Vec<(Occur, Box<dyn Query>)> = paths
            .iter()
            .filter_map(|p| Facet::from_text(p).ok())
            .map(|facet| {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(Term::from_facet(field, &facet), IndexRecordOption::Basic)) as Box<dyn Query>,
                )
            })
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
        let bound = |d: Option<NaiveDate>, end: bool| match d {
            None => Bound::Unbounded,
            Some(d) => {
                let secs = d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(0);
                let t = Term::from_field_date_for_search(f.date, DateTime::from_timestamp_secs(secs));
                if end { Bound::Included(t) } else { Bound::Included(t) }
            }
        };
        clauses.push((Occur::Must, unscored(Box::new(RangeQuery::new(bound(filters.from, false), bound(filters.to, true))))));
    }
    Box::new(BooleanQuery::new(clauses))
}

fn unscored(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

fn stored_str<'a>(doc: &'a TantivyDocument, field: tantivy::schema::Field) -> Option<&'a str> {
    doc.get_first(field).and_then(|v| v.as_str())
}

fn stored_facets(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_facet().map(decode_facet))
        .collect()
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

fn make_hit(
    handle: &IndexHandle,
    doc: &TantivyDocument,
    rank: usize,
    score: f32,
    highlight: &[String],
    passages: usize,
) -> Hit {
    let f = handle.fields;
    let body = stored_str(doc, f.body).unwrap_or("");
    let title = stored_str(doc, f.title).unwrap_or("").to_string();
    let date = doc
        .get_first(f.date)
        .and_then(|v| v.as_datetime())
        .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
        .map(|d| d.date_naive().to_string());
    let region = stored_facets(doc, f.region).into_iter().next().unwrap_or_default();
    let mut parts = region.trim_start_matches('/').split('/').filter(|s| !s.is_empty());
    let province = parts.next().map(str::to_string);
    let city = parts.next().map(str::to_string);
    Hit {
        rank,
        path: stored_str(doc, f.path).unwrap_or("").to_string(),
        id: stored_str(doc, f.id).unwrap_or("").to_string(),
        score,
        title_highlights: passage::find_spans(&title, highlight),
        title,
        date,
        province,
        city,
        categories: stored_facets(doc, f.category),
        url: stored_str(doc, f.url).map(str::to_string),
        passages: passage::best_passages(body, highlight, passages),
        group: None,
        duplicates: Vec::new(),
    }
}

/// Counts per province, city, category and year over every document matching `query`.
/// Two passes: the first finds the provinces and top categories present, the second
/// counts their children (tantivy counts one level below each requested facet).
pub fn facet_counts(searcher: &Searcher, query: &dyn Query) -> tantivy::Result<FacetCounts> {
    let collector = |field: &str, roots: &[String]| {
        let mut c = FacetCollector::for_field(field);
        for r in roots {
            c.add_facet(r.as_str());
        }
        c
    };
    let root = vec!["/".to_string()];
    let (r, c, y) = searcher.search(query, &(collector("region", &root), collector("category", &root), collector("year", &root)))?;
    let list = |counts: &tantivy::collector::FacetCounts, roots: &[String]| -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> =
            roots.iter().flat_map(|root| counts.get(root.as_str()).map(|(f, n)| (f.to_path_string(), n))).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    let province = list(&r, &root);
    let top_categories = list(&c, &root);
    let provinces: Vec<String> = province.iter().map(|(p, _)| p.clone()).collect();
    let tops: Vec<String> = top_categories.iter().map(|(p, _)| p.clone()).collect();
    let (city, category) = if provinces.is_empty() && tops.is_empty() {
        (Vec::new(), top_categories.clone())
    } else {
        let (r2, c2) = searcher.search(query, &(collector("region", &provinces), collector("category", &tops)))?;
        let mut category = top_categories.clone();
        category.extend(list(&c2, &tops));
        category.sort_by(|a, b| a.0.cmp(&b.0));
        (list(&r2, &provinces), category)
    };
    let mut years = list(&y, &root);
    years.sort_by(|a, b| b.0.cmp(&a.0));
    let strip = |v: Vec<(String, u64)>| -> Vec<(String, u64)> { v };
    Ok(FacetCounts { province: strip(province), city, category, year: years })
}

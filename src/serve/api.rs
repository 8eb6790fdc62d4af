//! The JSON API: `/api/search`, `/api/bulletin/{id}`, `/api/facets`, `/api/health`.
//!
//! Each handler reads its parameters, resolves filters with the library's
//! `search::filters` (the CLI's code and messages), and runs the library's search, view
//! or facet counts on a worker. Hits are the library's `Hit`s, serialized exactly as
//! `search --json` prints them. Errors are `{"error": …, "parameter": …}` with 400 for a
//! bad parameter, 404 for an unknown bulletin or path, 503 when the server is busy or its
//! SolrCloud store cannot answer. The handlers ask the catalog's [`Store`](super::store::Store)
//! and never branch on which store it is.

use std::collections::BTreeMap;
use std::time::Instant;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jieba_rs::Jieba;
use serde::Serialize;
use tongbao::search::{self, filters, FacetCounts, Filters, Hit, SearchError};

use super::params::{self, BadParameter};
use super::Server;

/// An API error: the status and the one-line JSON body that explains it.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    parameter: Option<String>,
}

impl ApiError {
    pub fn busy(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::SERVICE_UNAVAILABLE, message: message.into(), parameter: None }
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::INTERNAL_SERVER_ERROR, message: message.into(), parameter: None }
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::NOT_FOUND, message: message.into(), parameter: None }
    }
}

impl From<BadParameter> for ApiError {
    fn from(e: BadParameter) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, message: e.message, parameter: Some(e.parameter) }
    }
}

impl From<filters::FilterError> for ApiError {
    fn from(e: filters::FilterError) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, message: e.to_string(), parameter: Some(e.parameter().to_string()) }
    }
}

impl From<SearchError> for ApiError {
    fn from(e: SearchError) -> ApiError {
        match e {
            SearchError::EmptyQuery => ApiError { status: StatusCode::BAD_REQUEST, message: e.to_string(), parameter: Some("q".into()) },
            SearchError::Index(e) => ApiError::internal(e.to_string()),
            // A store other than the local index (a SolrCloud) could not answer: the server
            // is fine and the next request tries again.
            SearchError::Store(e) => ApiError::busy(e.clone()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body {
            error: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            parameter: Option<String>,
        }
        json(self.status, &Body { error: self.message, parameter: self.parameter })
    }
}

/// A JSON answer that is never cached (the index changes under it).
pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            let mut r = (status, bytes).into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "cannot encode the answer").into_response(),
    }
}

/// How many of the matches are of which kind.
#[derive(Debug, Serialize)]
struct Totals {
    /// Bulletins that contain what was typed, as typed.
    literal: usize,
    /// Bulletins with the typed words, some only apart.
    words: usize,
    /// Bulletins found only through synonyms or a category a query word names.
    expanded: usize,
    /// Bulletins matching only part of the query (shown after every full match).
    partial: usize,
    /// With a date filter: matching bulletins without a date, which it leaves out.
    #[serde(skip_serializing_if = "Option::is_none")]
    undated_left_out: Option<usize>,
}

/// The filters as the library resolved them (canonical facet paths and dates).
#[derive(Debug, Serialize)]
struct ResolvedFilters {
    regions: Vec<String>,
    categories: Vec<String>,
    from: Option<String>,
    to: Option<String>,
}

impl From<&Filters> for ResolvedFilters {
    fn from(f: &Filters) -> Self {
        ResolvedFilters { regions: f.regions.clone(), categories: f.categories.clone(), from: f.from.map(|d| d.to_string()), to: f.to.map(|d| d.to_string()) }
    }
}

/// The answer of `/api/search`.
#[derive(Debug, Serialize)]
struct SearchAnswer {
    query: String,
    /// Bulletins matching every word (one per group of copies), within the filters.
    total: usize,
    totals: Totals,
    filters: ResolvedFilters,
    sort: &'static str,
    offset: usize,
    limit: usize,
    /// Synonyms the query was expanded with (folded).
    expanded: Vec<String>,
    /// Query items were dropped for being too many or too long.
    truncated: bool,
    hits: Vec<Hit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    facets: Option<FacetCounts>,
    /// Per hit id, where its title may break a line (see [`word_starts`]).
    title_breaks: BTreeMap<String, Vec<usize>>,
    took_ms: f64,
}

/// The character offsets (past 0) where the words of `title` start, cut by the index's own
/// jieba. The page allows line breaks in a title only there: Chinese has no spaces, and a
/// browser left to itself breaks 养老诈骗 or 专项行动 in the middle.
fn word_starts(jieba: &Jieba, title: &str) -> Vec<usize> {
    tongbao::analysis::tokenizer::segment(jieba, title, false).into_iter().map(|w| w.char_start).filter(|s| *s > 0).collect()
}

pub async fn search(State(server): State<Server>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let started = Instant::now();
    let p = params::search(raw.as_deref())?;
    let answer = server
        .workers
        .run(server.catalog.clone(), move |catalog| {
            let filters = filters::resolve(&catalog.extractor, &p.filters)?;
            let req = catalog.request(&p, filters);
            let results = catalog.store.search(&catalog.jieba, &req)?;
            let title_breaks = results.hits.iter().map(|h| (h.id.clone(), word_starts(&catalog.jieba, &h.title))).collect();
            let sort = match req.sort {
                search::SortBy::DateOldestFirst => "oldest",
                search::SortBy::Date => "date",
                search::SortBy::Relevance if req.query.trim().is_empty() => "date",
                search::SortBy::Relevance => "relevance",
            };
            Ok(SearchAnswer {
                query: req.query.clone(),
                total: results.total,
                totals: Totals {
                    literal: results.literal_total,
                    words: results.words_total,
                    expanded: results.synonym_total + results.category_total,
                    partial: results.partial_total,
                    undated_left_out: results.undated_left_out,
                },
                filters: ResolvedFilters::from(&req.filters),
                sort,
                offset: req.offset,
                limit: req.limit,
                expanded: results.expanded,
                truncated: results.truncated,
                hits: results.hits,
                facets: results.facets,
                title_breaks,
                took_ms: 0.0,
            })
        })
        .await?;
    let answer = SearchAnswer { took_ms: (started.elapsed().as_secs_f64() * 1e4).round() / 10.0, ..answer };
    Ok(json(StatusCode::OK, &answer))
}

pub async fn bulletin(State(server): State<Server>, id: Result<Path<String>, PathRejection>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    // A segment that does not even decode is no id either: 404 like any other stranger.
    let id = id.map(|Path(id)| id).unwrap_or_default();
    if !params::is_bulletin_id(&id) {
        return Err(not_a_bulletin(&id));
    }
    let p = params::view(raw.as_deref())?;
    let view = server
        .workers
        .run(server.catalog.clone(), move |catalog| {
            let req = catalog.view_request(&p);
            let view = catalog.store.view(&catalog.jieba, &id, req.as_ref())?.ok_or_else(|| not_a_bulletin(&id))?;
            let title_breaks = word_starts(&catalog.jieba, &view.title);
            Ok(ViewAnswer { view, title_breaks })
        })
        .await?;
    Ok(json(StatusCode::OK, &view))
}

/// The answer of `/api/bulletin/{id}`: the library's view, and where its title may break.
#[derive(Debug, Serialize)]
struct ViewAnswer {
    #[serde(flatten)]
    view: search::BulletinView,
    title_breaks: Vec<usize>,
}

fn not_a_bulletin(id: &str) -> ApiError {
    let shown: String = tongbao::sanitize::sanitize(id).chars().take(40).collect();
    ApiError::not_found(format!("no bulletin with id {shown:?} in the index"))
}

/// The answer of `/api/facets`.
#[derive(Debug, Serialize)]
struct FacetAnswer {
    total: u64,
    facets: FacetCounts,
}

pub async fn facets(State(server): State<Server>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    params::none(raw.as_deref())?;
    let answer = server
        .workers
        .run(server.catalog.clone(), |catalog| {
            let (total, facets) = catalog.store.facets(&catalog.jieba)?;
            Ok(FacetAnswer { total, facets })
        })
        .await?;
    Ok(json(StatusCode::OK, &answer))
}

/// The answer of `/api/health`.
#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    /// The index folder, or the `solr:` URL of the collection searched.
    index: String,
    documents: u64,
    /// Segments searched (null for a SolrCloud store).
    segments: Option<usize>,
    /// When the commit being searched was made (the time of `meta.json`), RFC 3339; null
    /// for a SolrCloud store.
    last_commit: Option<String>,
    /// Folders the server's own watcher keeps the index current with.
    watching: Vec<String>,
    /// Search workers free right now.
    idle_workers: usize,
}

/// How long `/api/health` waits for its figures (a SolrCloud store is asked for its count).
const HEALTH_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Answered without a search worker: a busy server still says it is alive. A SolrCloud
/// store that cannot answer makes it a 503 saying why.
pub async fn health(State(server): State<Server>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    params::none(raw.as_deref())?;
    let catalog = server.catalog.clone();
    let figures = tokio::task::spawn_blocking(move || catalog.store.figures());
    let figures = match tokio::time::timeout(HEALTH_WAIT, figures).await {
        Ok(Ok(answer)) => answer?,
        Ok(Err(_)) => return Err(ApiError::internal("reading the index's figures failed")),
        Err(_) => return Err(ApiError::busy(format!("the store did not give its figures within {} s", HEALTH_WAIT.as_secs()))),
    };
    let catalog = &server.catalog;
    let health = Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        index: catalog.store.name(),
        documents: figures.documents,
        segments: figures.segments,
        last_commit: figures.last_commit,
        watching: catalog.watching.iter().map(|p| p.display().to_string()).collect(),
        idle_workers: server.workers.idle(),
    };
    Ok(json(StatusCode::OK, &health))
}

/// Any other path under `/api/`.
pub async fn unknown_endpoint() -> ApiError {
    ApiError::not_found("no such endpoint; the API has /api/search, /api/bulletin/{id}, /api/facets and /api/health")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_one_json_object_naming_the_parameter() {
        let e: ApiError = BadParameter::new("limit", "limit must be at most 100, not 500").into();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.parameter.as_deref(), Some("limit"));
        let e: ApiError = SearchError::EmptyQuery.into();
        assert_eq!((e.status, e.parameter.as_deref()), (StatusCode::BAD_REQUEST, Some("q")));
        // A SolrCloud that cannot answer is the store's trouble, not the server's: 503.
        let e: ApiError = SearchError::Store("cannot reach SolrCloud for c/query after 9 tries over 8s (last: connection refused)".into()).into();
        assert_eq!((e.status, e.parameter), (StatusCode::SERVICE_UNAVAILABLE, None));
        assert!(e.message.starts_with("cannot reach SolrCloud"), "{}", e.message);
        assert_eq!(not_a_bulletin("\u{1b}[2J../x").message, "no bulletin with id \"[2J../x\" in the index");
    }
}

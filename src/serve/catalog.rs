//! What the server searches, and the bounded pool of workers that search it.
//!
//! [`Catalog`] holds the [`Store`] searched (the local index, or a SolrCloud collection
//! connected to at startup), plus the data a query is planned with: the full jieba
//! dictionary, synonyms and category rules, loaded once.
//!
//! Searching is CPU work on blocking threads. [`Workers`] lets at most one search per core
//! run at a time, makes the rest wait in line for a bounded time, and gives up waiting for
//! an answer after a bounded time, so one heavy request cannot stall the others: pages,
//! assets and `/api/health` never wait for a worker at all.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use jieba_rs::Jieba;
use tokio::sync::Semaphore;
use tongbao::extract::{CategoryRules, Extractor};
use tongbao::search::{SearchRequest, Synonyms};

use super::api::ApiError;
use super::params::{SearchParams, ViewParams};
use super::store::Store;

/// The store searched and everything a query is planned with.
pub struct Catalog {
    pub store: Store,
    pub jieba: Arc<Jieba>,
    /// Resolves filter words (provinces, cities, categories) as the CLI does.
    pub extractor: Extractor,
    pub synonyms: Arc<Synonyms>,
    pub categories: Arc<CategoryRules>,
    /// Folders a `--watch` keeps the index current with.
    pub watching: Vec<PathBuf>,
}

impl Catalog {
    pub fn new(store: Store, jieba: Arc<Jieba>, extractor: Extractor, synonyms: Arc<Synonyms>, watching: Vec<PathBuf>) -> Catalog {
        let categories = extractor.category_rules();
        Catalog { store, jieba, extractor, synonyms, categories, watching }
    }

    /// The library request for a search, with the CLI's options: synonyms, category
    /// matching and partial matches unless `exact`, three passages per hit.
    pub fn request(&self, p: &SearchParams, filters: tongbao::search::Filters) -> SearchRequest {
        SearchRequest {
            query: p.q.clone(),
            filters,
            limit: p.limit,
            offset: p.offset,
            sort: p.sort,
            passages: tongbao::search::DEFAULT_PASSAGES,
            facets: p.facets,
            synonyms: if p.exact { None } else { Some(self.synonyms.clone()) },
            partial: !p.exact,
            explain: false,
            all_copies: false,
            categories: if p.exact { None } else { Some(self.categories.clone()) },
        }
    }

    /// The request whose matches a bulletin view marks.
    pub fn view_request(&self, p: &ViewParams) -> Option<SearchRequest> {
        let q = p.q.clone()?;
        Some(SearchRequest {
            query: q,
            synonyms: if p.exact { None } else { Some(self.synonyms.clone()) },
            categories: if p.exact { None } else { Some(self.categories.clone()) },
            ..Default::default()
        })
    }
}

/// How long a request waits for a free worker before the answer is 503 (busy).
pub const QUEUE_WAIT: Duration = Duration::from_secs(10);
/// How long a request waits for its search; then the answer is 503 (too slow). The search
/// itself runs to its end on its worker (tantivy cannot be interrupted), which stays taken
/// meanwhile, so a flood of heavy queries makes others wait but never piles up work.
pub const WORK_LIMIT: Duration = Duration::from_secs(20);

/// A fixed number of blocking workers shared by every request.
#[derive(Clone)]
pub struct Workers {
    permits: Arc<Semaphore>,
}

impl Workers {
    /// One worker per core (at least two, so one slow search leaves another lane).
    pub fn new() -> Workers {
        let n = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).max(2);
        Workers { permits: Arc::new(Semaphore::new(n)) }
    }

    /// Workers free right now.
    pub fn idle(&self) -> usize {
        self.permits.available_permits()
    }

    /// Run `work` on a worker. A panic inside (a damaged index that slipped past the
    /// library's own checks) is a 500 for this request only.
    pub async fn run<T: Send + 'static>(
        &self,
        catalog: Arc<Catalog>,
        work: impl FnOnce(&Catalog) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = match tokio::time::timeout(QUEUE_WAIT, self.permits.clone().acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            _ => return Err(ApiError::busy("every search worker stayed busy; try again in a moment")),
        };
        let task = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            tongbao::guard::catch(|| work(&catalog))
        });
        match tokio::time::timeout(WORK_LIMIT, task).await {
            Ok(Ok(Ok(answer))) => answer,
            Ok(Ok(Err(panic))) => Err(ApiError::internal(format!("the search failed: {}", tongbao::sanitize::sanitize(&panic)))),
            Ok(Err(_)) => Err(ApiError::internal("the search failed")),
            Err(_) => Err(ApiError::busy(format!("the search took longer than {} s; narrow it with more words or filters", WORK_LIMIT.as_secs()))),
        }
    }
}

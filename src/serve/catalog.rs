//! What the server searches, and the bounded pool of workers that search it.
//!
//! [`Catalog`] holds the opened index with one tantivy reader that follows the index's
//! commits (tantivy polls `meta.json` and reloads, so a commit by `index`, `watch` or this
//! process's own watcher is searched within about half a second), plus the data a query is
//! planned with: the full jieba dictionary, synonyms and category rules, loaded once.
//!
//! Searching is CPU work on blocking threads. [`Workers`] lets at most one search per core
//! run at a time, makes the rest wait in line for a bounded time, and gives up waiting for
//! an answer after a bounded time, so one heavy request cannot stall the others: pages,
//! assets and `/api/health` never wait for a worker at all.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use jieba_rs::Jieba;
use tantivy::{IndexReader, ReloadPolicy, Searcher};
use tokio::sync::Semaphore;
use tongbao::extract::{CategoryRules, Extractor};
use tongbao::index::IndexHandle;
use tongbao::search::{SearchRequest, Synonyms};

use super::api::ApiError;
use super::params::{SearchParams, ViewParams};

/// The opened index and everything a query is planned with.
pub struct Catalog {
    pub handle: Arc<IndexHandle>,
    reader: IndexReader,
    pub jieba: Arc<Jieba>,
    /// Resolves filter words (provinces, cities, categories) as the CLI does.
    pub extractor: Extractor,
    pub synonyms: Arc<Synonyms>,
    pub categories: Arc<CategoryRules>,
    /// Folders a `--watch` keeps the index current with.
    pub watching: Vec<PathBuf>,
}

impl Catalog {
    pub fn new(
        handle: Arc<IndexHandle>,
        jieba: Arc<Jieba>,
        extractor: Extractor,
        synonyms: Arc<Synonyms>,
        watching: Vec<PathBuf>,
    ) -> Result<Catalog, tongbao::index::IndexError> {
        // OnCommitWithDelay: tantivy watches meta.json (polling every 500 ms) and reloads
        // after each commit, whichever process made it.
        let reader = handle.index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).try_into().map_err(|e| handle.tantivy_error(e))?;
        let categories = extractor.category_rules();
        Ok(Catalog { handle, reader, jieba, extractor, synonyms, categories, watching })
    }

    /// The index as of its last commit seen.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
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

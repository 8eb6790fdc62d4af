//! Where the server's searches run: the local index or a SolrCloud collection (`--store`).
//!
//! The handlers ask a [`Store`] for a search, a bulletin, whole-index counts or health
//! figures, and never look at which store it is: both give the library's own types
//! (`SearchResults`, `BulletinView`, `FacetCounts`), so every answer has one JSON shape.
//!
//! A cluster is connected to, and its schema checked, once when the server starts; after
//! that each request is only the search's own Solr requests. Its client retries over the
//! live nodes as the CLI's does, but within a budget shorter than a request's time limit
//! ([`serving_policy`]), so while the cluster cannot answer, a request ends in a 503 that
//! says so instead of waiting out the CLI's minute; the next request tries again, and the
//! server answers again as soon as the cluster does.

use std::sync::Arc;
use std::time::Duration;

use jieba_rs::Jieba;
use tantivy::query::AllQuery;
use tantivy::{IndexReader, ReloadPolicy};
use tongbao::cluster::client::RetryPolicy;
use tongbao::cluster::{configset, ClusterError, Solr, SolrUrl};
use tongbao::index::{IndexError, IndexHandle, IndexMeta};
use tongbao::search::{self, BulletinView, FacetCounts, SearchError, SearchRequest, SearchResults};

/// Longest a failing Solr request is retried while serving: well within a request's
/// `WORK_LIMIT` (20 s), so a cluster that cannot answer gives its own error, not a timeout.
pub const SERVE_RETRY: Duration = Duration::from_secs(8);
/// Longest one Solr request may take while serving.
pub const SERVE_REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// The retry policy of the server's Solr client: the environment's
/// (`TONGBAO_SOLR_RETRY_SECS`, `TONGBAO_SOLR_TIMEOUT_SECS`), capped for serving.
pub fn serving_policy(from_env: RetryPolicy) -> RetryPolicy {
    RetryPolicy { budget: from_env.budget.min(SERVE_RETRY), request_timeout: from_env.request_timeout.min(SERVE_REQUEST_TIMEOUT) }
}

/// What the server searches.
pub enum Store {
    /// The local index, with one reader that follows its commits (tantivy polls
    /// `meta.json` and reloads, so a commit by `index`, `watch` or this process's own
    /// watcher is searched within about half a second).
    Local { handle: Arc<IndexHandle>, reader: IndexReader },
    /// A SolrCloud collection, connected to and checked at startup.
    Cluster(Solr),
}

/// What `/api/health` reports of a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreFigures {
    pub documents: u64,
    /// Segments searched (the local index only).
    pub segments: Option<usize>,
    /// When the commit being searched was made, RFC 3339 (the local index only).
    pub last_commit: Option<String>,
}

impl Store {
    pub fn local(handle: Arc<IndexHandle>) -> Result<Store, IndexError> {
        // OnCommitWithDelay: tantivy watches meta.json (polling every 500 ms) and reloads
        // after each commit, whichever process made it.
        let reader = handle.index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).try_into().map_err(|e| handle.tantivy_error(e))?;
        Ok(Store::Local { handle, reader })
    }

    /// Connect to the collection and check that it was made for this binary's analysis.
    pub fn cluster(url: &SolrUrl, meta: &IndexMeta) -> Result<Store, ClusterError> {
        let solr = Solr::connect_with(url, serving_policy(RetryPolicy::from_env()))?;
        configset::check(&solr, meta)?;
        Ok(Store::Cluster(solr))
    }

    /// The local index, which a `--watch` keeps current; none for a cluster.
    pub fn local_handle(&self) -> Option<&Arc<IndexHandle>> {
        match self {
            Store::Local { handle, .. } => Some(handle),
            Store::Cluster(_) => None,
        }
    }

    /// The index folder or the `solr:` URL, as the startup line and health show it.
    pub fn name(&self) -> String {
        match self {
            Store::Local { handle, .. } => tongbao::paths::absolute(&handle.dir).display().to_string(),
            Store::Cluster(solr) => tongbao::sanitize::sanitize(&solr.store().to_string()),
        }
    }

    /// A search, as `tongbao search` runs it against the same store.
    pub fn search(&self, jieba: &Jieba, req: &SearchRequest) -> Result<SearchResults, SearchError> {
        match self {
            Store::Local { handle, reader } => search::search_in(handle, &reader.searcher(), jieba, req),
            Store::Cluster(solr) => tongbao::cluster::search::search(solr, jieba, req),
        }
    }

    /// One whole bulletin by id, with the matches of `query` marked.
    pub fn view(&self, jieba: &Jieba, id: &str, query: Option<&SearchRequest>) -> Result<Option<BulletinView>, SearchError> {
        match self {
            Store::Local { handle, reader } => search::view(handle, &reader.searcher(), jieba, id, query),
            Store::Cluster(solr) => tongbao::cluster::view::view(solr, jieba, id, query),
        }
    }

    /// The number of bulletins and the counts over all of them (`/api/facets`).
    pub fn facets(&self, jieba: &Jieba) -> Result<(u64, FacetCounts), SearchError> {
        match self {
            Store::Local { handle, reader } => {
                let searcher = reader.searcher();
                let facets = search::facet_counts(&searcher, &AllQuery).map_err(|e| SearchError::Index(handle.tantivy_error(e)))?;
                Ok((searcher.num_docs(), facets))
            }
            Store::Cluster(solr) => whole_collection_facets(solr, jieba),
        }
    }

    /// Documents and, locally, segments and the last commit. Blocking: a cluster is asked.
    pub fn figures(&self) -> Result<StoreFigures, SearchError> {
        match self {
            Store::Local { handle, reader } => {
                let searcher = reader.searcher();
                let last_commit = std::fs::metadata(handle.dir.join("meta.json"))
                    .and_then(|m| m.modified())
                    .ok()
                    .map(|t| chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
                Ok(StoreFigures { documents: searcher.num_docs(), segments: Some(searcher.segment_readers().len()), last_commit })
            }
            Store::Cluster(solr) => {
                let documents = tongbao::cluster::status::documents(solr).map_err(store_error)?;
                Ok(StoreFigures { documents, segments: None, last_commit: None })
            }
        }
    }
}

/// The collection's counts by province, city, category, year and month, as `/api/facets`
/// gives them locally: the counts `facets --store` prints (`cluster::facets`).
pub fn whole_collection_facets(solr: &Solr, _jieba: &Jieba) -> Result<(u64, FacetCounts), SearchError> {
    tongbao::cluster::facets::facet_counts(solr).map_err(store_error)
}

fn store_error(e: ClusterError) -> SearchError {
    SearchError::Store(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serving_caps_the_retries_within_a_requests_time_limit() {
        let cli = RetryPolicy { budget: Duration::from_secs(60), request_timeout: Duration::from_secs(120) };
        let p = serving_policy(cli);
        assert_eq!((p.budget, p.request_timeout), (SERVE_RETRY, SERVE_REQUEST_TIMEOUT));
        assert!(SERVE_RETRY < super::super::catalog::WORK_LIMIT, "a cluster that cannot answer must say so before the request times out");
        // A shorter budget from the environment (tests, an impatient deployment) stays.
        let short = RetryPolicy { budget: Duration::from_secs(2), request_timeout: Duration::from_secs(3) };
        let p = serving_policy(short);
        assert_eq!((p.budget, p.request_timeout), (Duration::from_secs(2), Duration::from_secs(3)));
    }
}

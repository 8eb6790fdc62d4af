//! A SolrCloud collection as the store of tongbao's index, beside the local tantivy one.
//!
//! One machine's index stops where one machine's disk and cores do. A SolrCloud collection
//! spreads the same bulletins over shards and keeps replicas of each, so indexing and
//! searching go on when a node goes down. Solr analyses nothing here: tongbao reads files
//! and tokenises them exactly as for the local index (the same reading stage, the same
//! tokenizer) and sends the tokens pre-analyzed, so both stores hold the same terms at the
//! same positions and score with the same BM25. `cluster/DESIGN.md` records every request
//! this module makes, as verified against a real cluster.
//!
//! * [`client`]: HTTP to the nodes, with bounded retries across them;
//! * [`configset`]: the embedded schema and config, uploaded by `cluster init`, and the
//!   check that a collection was made for this binary's analysis;
//! * [`document`]: a bulletin as a Solr document;
//! * [`ingest`]: incremental indexing into the collection, as `index::build` does locally;
//! * [`status`]: shards, replicas, live nodes and document counts, for `cluster status`;
//! * [`search`]: the local plan run against the collection (`search --store`);
//! * [`view`]: one whole bulletin by id, marked as locally (`serve --store`'s bulletin page);
//! * [`facets`]: counts by province, city, category, year and month, and two-way tables,
//!   equal to the local index's (`facets --store`, `search --store --facets`);
//! * [`check`]: whether the collection is sound (`check --store`).

pub mod check;
pub mod client;
pub mod configset;
pub mod document;
pub mod facets;
pub mod ingest;
pub mod search;
pub mod status;
pub mod view;

use std::fmt;
use std::str::FromStr;

pub use client::Solr;

/// Where `--store` (or `TONGBAO_STORE`) points: a collection of a SolrCloud, written
/// `solr:http://host:8983/solr/COLLECTION`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolrUrl {
    /// The node's Solr root, without a trailing slash: `http://host:8983/solr`.
    pub base: String,
    /// The collection's name.
    pub collection: String,
}

/// The scheme prefix of a `--store` value that names a SolrCloud collection.
pub const SOLR_PREFIX: &str = "solr:";

impl SolrUrl {
    /// The URL of a handler of the collection on the given node root (`…/solr/COLL/update`).
    pub fn handler_on(&self, node: &str, handler: &str) -> String {
        format!("{}/{}/{}", node.trim_end_matches('/'), self.collection, handler.trim_start_matches('/'))
    }
}

impl fmt::Display for SolrUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{SOLR_PREFIX}{}/{}", self.base, self.collection)
    }
}

impl FromStr for SolrUrl {
    type Err = ClusterError;

    fn from_str(s: &str) -> Result<SolrUrl, ClusterError> {
        let bad = |why: &str| ClusterError::BadStore(s.to_string(), why.to_string());
        let Some(url) = s.strip_prefix(SOLR_PREFIX) else {
            return Err(bad("a store is written solr:http://HOST:PORT/solr/COLLECTION"));
        };
        if url.starts_with("https://") {
            return Err(bad("this build talks plain HTTP to Solr; put TLS in front of it with a proxy on the same host, or use http://"));
        }
        let Some(rest) = url.strip_prefix("http://") else {
            return Err(bad("the Solr URL must start with http://"));
        };
        let rest = rest.trim_end_matches('/');
        let Some((root, collection)) = rest.rsplit_once('/') else {
            return Err(bad("no collection: end the URL with /solr/COLLECTION"));
        };
        let host = root.split('/').next().unwrap_or("");
        if host.is_empty() || root == host {
            return Err(bad("no collection: end the URL with /solr/COLLECTION"));
        }
        if !is_collection_name(collection) {
            return Err(bad(&format!("{collection:?} is not a collection name (letters, digits, '_', '-' and '.', not starting with '-')")));
        }
        if url.contains(['?', '#', ' ']) {
            return Err(bad("no query string or spaces in the store URL"));
        }
        Ok(SolrUrl { base: format!("http://{root}"), collection: collection.to_string() })
    }
}

/// Solr's rule for collection names (and so for the configset named after one).
fn is_collection_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('-') && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Errors talking to a SolrCloud. Each is one line that says what happened and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("--store {0:?} is not usable: {1}")]
    BadStore(String, String),
    /// Every node tried failed in a way that retrying might fix, until the budget ran out.
    #[error(
        "cannot reach SolrCloud for {what} after {tries} tries over {secs:.0}s (last: {last}); check that the nodes are up, or raise TONGBAO_SOLR_RETRY_SECS"
    )]
    Unreachable { what: String, tries: u32, secs: f64, last: String },
    /// Solr refused the request (a 4xx): retrying would not help.
    #[error("SolrCloud refused {what}: {status} {message}")]
    Refused { what: String, status: u16, message: String },
    #[error("collection {collection} does not exist at {base}; create it with `tongbao cluster init --store {store}`")]
    NoCollection { collection: String, base: String, store: String },
    #[error("collection {collection} was made for another version of tongbao (schema {found}; this binary needs {wanted}); index into a new collection (`tongbao cluster init --store solr:…/NEW`), or recreate this one with `tongbao cluster init --recreate --store {store}` and index again")]
    Mismatch { collection: String, found: String, wanted: String, store: String },
    #[error("SolrCloud answered {what} with something tongbao cannot read: {detail}")]
    BadAnswer { what: String, detail: String },
    #[error("{0}")]
    Other(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_urls_parse_and_print_back() {
        let u: SolrUrl = "solr:http://10.0.0.5:8983/solr/bulletins".parse().unwrap();
        assert_eq!(u, SolrUrl { base: "http://10.0.0.5:8983/solr".into(), collection: "bulletins".into() });
        assert_eq!(u.to_string(), "solr:http://10.0.0.5:8983/solr/bulletins");
        assert_eq!(u.handler_on("http://h:1/solr/", "/update"), "http://h:1/solr/bulletins/update");
        let trailing: SolrUrl = "solr:http://h:1/solr/c_1.x/".parse().unwrap();
        assert_eq!(trailing.collection, "c_1.x");
        // A proxy that mounts Solr deeper keeps its path.
        let deep: SolrUrl = "solr:http://h/a/solr/c".parse().unwrap();
        assert_eq!(deep.base, "http://h/a/solr");
    }

    #[test]
    fn bad_store_urls_say_why() {
        for (s, why) in [
            ("http://h:8983/solr/c", "solr:http"),
            ("solr:https://h/solr/c", "plain HTTP"),
            ("solr:ftp://h/solr/c", "http://"),
            ("solr:http://h:8983", "no collection"),
            ("solr:http://h:8983/solr/", "no collection"),
            ("solr:http://h/solr/a b", "not a collection name"),
            ("solr:http://h/solr/-c", "not a collection name"),
            ("solr:http://h/solr/c?x=1", "not a collection name"),
        ] {
            let e = s.parse::<SolrUrl>().unwrap_err().to_string();
            assert!(e.contains(why), "{s}: {e}");
        }
    }
}

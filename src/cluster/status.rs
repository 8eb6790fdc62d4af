//! What `tongbao cluster status` shows: the collection's shards and their replicas (state,
//! leader, documents and index size per core), the live nodes, and the committed document
//! count. Read from CLUSTERSTATUS, one query, and each live core's own status, so an
//! operator sees at a glance whether every shard has a leader and the replicas agree.

use serde::Serialize;
use serde_json::Value;

use super::client::node_root;
use super::{configset, ClusterError, Solr};

#[derive(Debug, Clone, Serialize)]
pub struct ClusterStatus {
    pub collection: String,
    /// The schema name the collection carries (`tongbao-<version>-<fingerprint>`).
    pub schema: String,
    /// Whether it was made for this binary's schema and analysis.
    pub schema_matches: bool,
    pub live_nodes: Vec<String>,
    pub shards: Vec<ShardStatus>,
    /// Committed documents, as a search counts them.
    pub documents: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShardStatus {
    pub name: String,
    pub state: String,
    /// Hash range of the ids it holds.
    pub range: String,
    pub replicas: Vec<ReplicaStatus>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReplicaStatus {
    pub name: String,
    pub core: String,
    /// Node root (`http://host:port/solr`).
    pub node: String,
    pub state: String,
    pub leader: bool,
    /// Committed documents in this core (absent when its node is down).
    pub documents: Option<u64>,
    /// Bytes of its Lucene index on disk.
    pub index_bytes: Option<u64>,
}

impl ClusterStatus {
    /// Sum of the index sizes of the leaders: the collection's size without its copies.
    pub fn leader_index_bytes(&self) -> u64 {
        self.shards.iter().flat_map(|s| &s.replicas).filter(|r| r.leader).filter_map(|r| r.index_bytes).sum()
    }

    /// Sum over every replica: what the collection takes on the cluster's disks.
    pub fn total_index_bytes(&self) -> u64 {
        self.shards.iter().flat_map(|s| &s.replicas).filter_map(|r| r.index_bytes).sum()
    }
}

/// The status of the store's collection. `wanted_schema` is this binary's schema name.
pub fn status(solr: &Solr, wanted_schema: &str) -> Result<ClusterStatus, ClusterError> {
    let collection = solr.store().collection.clone();
    let no_collection = || ClusterError::NoCollection { collection: collection.clone(), base: solr.store().base.clone(), store: solr.store().to_string() };
    // Solr 9 answers a status of a collection it does not have with a 400.
    let answer = match solr.admin_get("admin/collections", &[("action", "CLUSTERSTATUS"), ("collection", &collection)]) {
        Err(ClusterError::Refused { status: 400, message, .. }) if message.contains("not found") => return Err(no_collection()),
        other => other?,
    };
    let scheme = solr.store().base.split("://").next().unwrap_or("http").to_string();
    let live: Vec<String> = answer["cluster"]["live_nodes"].as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect();
    let coll = &answer["cluster"]["collections"][&collection];
    if coll.is_null() {
        return Err(no_collection());
    }
    let mut shards = Vec::new();
    for (name, shard) in coll["shards"].as_object().into_iter().flatten() {
        let mut replicas = Vec::new();
        for (rname, r) in shard["replicas"].as_object().into_iter().flatten() {
            let node_name = r["node_name"].as_str().unwrap_or("");
            let node = r["base_url"].as_str().map(str::to_string).unwrap_or_else(|| node_root(node_name, &scheme));
            let core = r["core"].as_str().unwrap_or("").to_string();
            let state = r["state"].as_str().unwrap_or("unknown").to_string();
            let (documents, index_bytes) =
                if live.iter().any(|n| n == node_name) && !core.is_empty() { core_figures(solr, &node, &core).unwrap_or((None, None)) } else { (None, None) };
            replicas.push(ReplicaStatus {
                name: rname.clone(),
                core,
                node,
                state,
                leader: r["leader"].as_str() == Some("true") || r["leader"].as_bool() == Some(true),
                documents,
                index_bytes,
            });
        }
        replicas.sort_by(|a, b| a.core.cmp(&b.core));
        shards.push(ShardStatus {
            name: name.clone(),
            state: shard["state"].as_str().unwrap_or("unknown").to_string(),
            range: shard["range"].as_str().unwrap_or("").to_string(),
            replicas,
        });
    }
    shards.sort_by(|a, b| a.name.cmp(&b.name));
    let schema = configset::found_schema_name(solr)?;
    let documents = documents(solr)?;
    let live_nodes = live.iter().map(|n| node_root(n, &scheme)).collect();
    Ok(ClusterStatus { collection, schema_matches: schema == wanted_schema, schema, live_nodes, shards, documents })
}

/// The collection's committed documents: one cheap request (no rows).
pub fn documents(solr: &Solr) -> Result<u64, ClusterError> {
    let answer = solr.get_json("select", &[("q", "*:*"), ("rows", "0")])?;
    answer["response"]["numFound"].as_u64().ok_or_else(|| ClusterError::BadAnswer { what: "a count".into(), detail: "no numFound".into() })
}

/// A core's committed documents and index bytes, from its node's CoreAdmin.
fn core_figures(solr: &Solr, node: &str, core: &str) -> Result<(Option<u64>, Option<u64>), ClusterError> {
    let answer = solr.get_on_node(node, "admin/cores", &[("action", "STATUS"), ("core", core)])?;
    let index = &answer["status"][core]["index"];
    Ok((index["numDocs"].as_u64(), index["sizeInBytes"].as_u64()))
}

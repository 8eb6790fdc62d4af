//! `tongbao check --store`: whether a SolrCloud collection is sound, and how to fix what
//! is not.
//!
//! A collection has no segment files or checksums for tongbao to read: Solr keeps those.
//! What goes wrong is at the level tongbao sees: the collection is not there or does not
//! answer; it was made for another version (its tokens would not match this binary's
//! queries); a shard has no active leader (its bulletins can be neither searched nor
//! written); a replica is down or holds other documents than its leader (a search routed
//! to it misses bulletins); documents lack the bookkeeping an incremental `index` reads
//! (sent by something other than tongbao, or edited by hand). Every problem comes with a
//! fix, as the local check's do, and the report has the local one's shape (`documents`,
//! `problems` of `what` and `fix`). Problems are reported rather than raised: a check that
//! cannot reach the cluster has found its problem.

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::document::field;
use super::status::{self, ClusterStatus};
use super::{ClusterError, Solr, SolrUrl};
use crate::index::check::Problem;

/// Examples named per problem of documents, so a report stays short on a large collection.
const EXAMPLES: usize = 3;

/// The fields every document tongbao sends has, and what each is. (`id` and `path` are
/// required by the schema: Solr refuses a document without them.)
const BOOKKEEPING: [(&str, &str); 4] =
    [(field::HASH, "its content hash"), (field::SIZE, "its file size"), (field::MTIME, "its file's modification time"), (field::IDHASH, "its partition key")];

/// What a check of a collection found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ClusterCheck {
    /// Committed bulletins, as a search counts them.
    pub documents: u64,
    pub shards: usize,
    pub replicas: usize,
    pub problems: Vec<Problem>,
}

impl ClusterCheck {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Check the collection `store` names; `wanted_schema` is this binary's schema name
/// (`configset::schema_name`).
pub fn check(store: &SolrUrl, wanted_schema: &str) -> ClusterCheck {
    let mut report = ClusterCheck::default();
    let unanswered = |report: &mut ClusterCheck, e: ClusterError| report.problems.push(problem_of(store, e));
    let solr = match Solr::connect(store) {
        Ok(s) => s,
        Err(e) => {
            unanswered(&mut report, e);
            return report;
        }
    };
    let st = match status::status(&solr, wanted_schema) {
        Ok(st) => st,
        Err(e) => {
            unanswered(&mut report, e);
            return report;
        }
    };
    report.documents = st.documents;
    report.shards = st.shards.len();
    report.replicas = st.shards.iter().map(|s| s.replicas.len()).sum();
    if !st.schema_matches {
        let e =
            ClusterError::Mismatch { collection: st.collection.clone(), found: st.schema.clone(), wanted: wanted_schema.to_string(), store: store.to_string() };
        report.problems.push(problem_of(store, e));
    }
    report.problems.extend(shard_problems(&st));
    match bookkeeping(&solr) {
        Ok(lacking) => report.problems.extend(lacking.into_iter().map(|l| l.problem(store))),
        Err(e) => unanswered(&mut report, e),
    }
    report
}

/// An error talking to the collection as a problem with its fix.
fn problem_of(store: &SolrUrl, e: ClusterError) -> Problem {
    let fix = match &e {
        ClusterError::Unreachable { .. } => {
            format!("start the Solr nodes (or correct --store {store}); TONGBAO_SOLR_RETRY_SECS waits longer for nodes that are starting")
        }
        ClusterError::NoCollection { .. } => format!("create it with `tongbao --store {store} cluster init`, then index into it"),
        ClusterError::Mismatch { .. } => format!(
            "index into a new collection (`tongbao --store solr:…/NEW cluster init`), or recreate this one with `tongbao --store {store} cluster init --recreate` and index again"
        ),
        _ => "look in the Solr nodes' logs for the cause, and run `tongbao check --store` again".to_string(),
    };
    // The mismatch's own message ends in its fix; the problem says only what is wrong.
    let what = match &e {
        ClusterError::Mismatch { collection, found, wanted, .. } => {
            format!("collection {collection} was made for another version of tongbao (schema {found}; this binary needs {wanted})")
        }
        _ => e.to_string(),
    };
    Problem { what, fix }
}

/// Shards without an active leader, replicas down, and replicas that hold another number
/// of documents than their shard's leader.
pub fn shard_problems(st: &ClusterStatus) -> Vec<Problem> {
    let mut out = Vec::new();
    let live = |node: &str| st.live_nodes.iter().any(|n| n == node);
    for shard in st.shards.iter().filter(|s| s.state != "inactive") {
        let up = |r: &&status::ReplicaStatus| r.state == "active" && live(&r.node) && r.documents.is_some();
        let leader = shard.replicas.iter().find(|r| r.leader && up(r));
        let where_ = |r: &status::ReplicaStatus| format!("{} on {}", r.core, r.node);
        if leader.is_none() {
            let nodes: Vec<String> = shard.replicas.iter().map(|r| r.node.clone()).collect();
            let replicas: Vec<String> =
                shard.replicas.iter().map(|r| format!("{} {}", where_(r), if live(&r.node) { &r.state } else { "(node down)" })).collect();
            out.push(Problem {
                what: format!("shard {} has no active leader: its bulletins can be neither searched nor indexed (replicas: {})", shard.name, list(&replicas)),
                fix: format!("start the nodes its replicas live on ({}); Solr elects a leader among them once one is up", list(&nodes)),
            });
        }
        for r in shard.replicas.iter().filter(|r| !up(r) && leader.is_some()) {
            let state = match (live(&r.node), r.state.as_str()) {
                (false, _) => "down (its node is not live)",
                (true, "active") => "not answering for its core",
                (true, state) => state,
            };
            out.push(Problem {
                what: format!("replica {} of shard {} is {state}: searches it would have answered go to the other replicas", where_(r), shard.name),
                fix: format!(
                    "start the node {}; the replica copies what it missed from its leader on its own (`tongbao cluster status` shows it active)",
                    r.node
                ),
            });
        }
        let Some(leader) = leader else { continue };
        for r in shard.replicas.iter().filter(|r| up(r) && !r.leader && r.documents != leader.documents) {
            out.push(Problem {
                what: format!(
                    "replica {} of shard {} holds {} documents, its leader {} holds {}: searches answered by one of them miss bulletins",
                    where_(r),
                    shard.name,
                    r.documents.unwrap_or(0),
                    where_(leader),
                    leader.documents.unwrap_or(0)
                ),
                fix: format!(
                    "if no indexing is running, have it copy its leader: curl '{}/admin/cores?action=REQUESTRECOVERY&core={}'",
                    r.node.trim_end_matches('/'),
                    r.core
                ),
            });
        }
    }
    out
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

/// Documents lacking one bookkeeping field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lacking {
    pub field: &'static str,
    pub count: u64,
    /// Up to [`EXAMPLES`] of them: (id, path when it has one).
    pub examples: Vec<(String, Option<String>)>,
}

impl Lacking {
    fn problem(&self, store: &SolrUrl) -> Problem {
        let why = BOOKKEEPING.iter().find(|(f, _)| *f == self.field).map_or("", |(_, why)| why);
        let examples: Vec<String> = self.examples.iter().map(|(id, path)| path.as_ref().map_or_else(|| id.clone(), |p| format!("{p} (id {id})"))).collect();
        let more = if self.count > self.examples.len() as u64 { ", …" } else { "" };
        let noun = if self.count == 1 { "document has" } else { "documents have" };
        let what = format!(
            "{} {noun} no `{}` ({why}), which tongbao writes into every document and an incremental `index` reads: {}{more}",
            self.count,
            self.field,
            list(&examples)
        );
        let fix = {
            let paths: Vec<&str> = self.examples.iter().filter_map(|(_, p)| p.as_deref()).collect();
            if more.is_empty() && !paths.is_empty() {
                format!("send their files again: `tongbao --store {store} index --full {}`", paths.join(" "))
            } else {
                format!("send their files again: `tongbao --store {store} index --full FOLDER…` with the folders they were read from")
            }
        };
        Problem { what, fix }
    }
}

/// The query facets counting documents without each bookkeeping field.
fn lacking_request() -> Map<String, Value> {
    BOOKKEEPING.iter().map(|(f, _)| (format!("no_{f}"), json!({ "type": "query", "q": format!("*:* -{f}:[* TO *]") }))).collect()
}

/// Per bookkeeping field, how many documents lack it (one request), and a few of them.
fn bookkeeping(solr: &Solr) -> Result<Vec<Lacking>, ClusterError> {
    let answer = solr.post_json("query", &json!({ "query": "*:*", "limit": 0, "facet": lacking_request() }))?;
    let mut out = Vec::new();
    for (f, _) in BOOKKEEPING {
        let count = answer["facets"][format!("no_{f}")]["count"].as_u64().unwrap_or(0);
        if count == 0 {
            continue;
        }
        let some = solr.post_json(
            "query",
            &json!({ "query": format!("*:* -{f}:[* TO *]"), "limit": EXAMPLES, "sort": format!("{} asc", field::ID), "fields": format!("{},{}", field::ID, field::PATH) }),
        )?;
        let examples = some["response"]["docs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| Some((d[field::ID].as_str()?.to_string(), d[field::PATH].as_str().map(str::to_string))))
            .collect();
        out.push(Lacking { field: f, count, examples });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::status::{ReplicaStatus, ShardStatus};

    fn replica(core: &str, node: &str, state: &str, leader: bool, documents: Option<u64>) -> ReplicaStatus {
        ReplicaStatus { name: format!("r_{core}"), core: core.into(), node: node.into(), state: state.into(), leader, documents, index_bytes: None }
    }

    fn status(shards: Vec<(&str, Vec<ReplicaStatus>)>) -> ClusterStatus {
        ClusterStatus {
            collection: "c".into(),
            schema: "tongbao-x".into(),
            schema_matches: true,
            live_nodes: vec!["http://a:1/solr".into(), "http://b:1/solr".into()],
            shards: shards
                .into_iter()
                .map(|(name, replicas)| ShardStatus { name: name.into(), state: "active".into(), range: String::new(), replicas })
                .collect(),
            documents: 0,
        }
    }

    const A: &str = "http://a:1/solr";
    const B: &str = "http://b:1/solr";
    const GONE: &str = "http://gone:1/solr";

    #[test]
    fn sound_shards_have_no_problems() {
        let st = status(vec![
            ("shard1", vec![replica("c_s1_r1", A, "active", true, Some(10)), replica("c_s1_r2", B, "active", false, Some(10))]),
            ("shard2", vec![replica("c_s2_r1", A, "active", false, Some(7)), replica("c_s2_r2", B, "active", true, Some(7))]),
        ]);
        assert_eq!(shard_problems(&st), []);
    }

    #[test]
    fn leaderless_shards_down_replicas_and_disagreeing_counts_are_problems() {
        let st = status(vec![
            // The leader's node is gone and the other replica is still recovering.
            ("shard1", vec![replica("c_s1_r1", GONE, "active", true, None), replica("c_s1_r2", B, "recovering", false, Some(3))]),
            // A replica down, and one behind its leader.
            (
                "shard2",
                vec![
                    replica("c_s2_r1", A, "active", true, Some(9)),
                    replica("c_s2_r2", B, "down", false, None),
                    replica("c_s2_r3", B, "active", false, Some(8)),
                ],
            ),
            // Active in the cluster state, but its core does not say how many it holds.
            ("shard3", vec![replica("c_s3_r1", A, "active", true, Some(4)), replica("c_s3_r2", B, "active", false, None)]),
        ]);
        let p = shard_problems(&st);
        assert_eq!(p.len(), 4, "{p:#?}");
        assert!(p[0].what.starts_with("shard shard1 has no active leader"), "{}", p[0].what);
        assert!(
            p[0].what.contains("c_s1_r1 on http://gone:1/solr (node down)") && p[0].what.contains("c_s1_r2 on http://b:1/solr recovering"),
            "{}",
            p[0].what
        );
        assert!(p[0].fix.contains("http://gone:1/solr, http://b:1/solr"), "{}", p[0].fix);
        assert!(p[1].what.starts_with("replica c_s2_r2 on http://b:1/solr of shard shard2 is down"), "{}", p[1].what);
        assert!(p[2].what.contains("holds 8 documents, its leader c_s2_r1 on http://a:1/solr holds 9"), "{}", p[2].what);
        assert_eq!(p[2].fix, "if no indexing is running, have it copy its leader: curl 'http://b:1/solr/admin/cores?action=REQUESTRECOVERY&core=c_s2_r3'");
        assert!(p[3].what.starts_with("replica c_s3_r2 on http://b:1/solr of shard shard3 is not answering for its core"), "{}", p[3].what);
    }

    #[test]
    fn documents_without_bookkeeping_name_examples_and_the_fix() {
        let store: SolrUrl = "solr:http://h:8983/solr/bulletins".parse().unwrap();
        let hash = Lacking { field: field::HASH, count: 5, examples: vec![("aa".into(), Some("/b/1.txt".into())), ("bb".into(), Some("/b/2.txt".into()))] };
        let p = hash.problem(&store);
        assert_eq!(p.what, "5 documents have no `hash` (its content hash), which tongbao writes into every document and an incremental `index` reads: /b/1.txt (id aa), /b/2.txt (id bb), …");
        assert_eq!(
            p.fix,
            "send their files again: `tongbao --store solr:http://h:8983/solr/bulletins index --full FOLDER…` with the folders they were read from"
        );
        let few = Lacking { count: 2, ..hash };
        assert_eq!(few.problem(&store).fix, "send their files again: `tongbao --store solr:http://h:8983/solr/bulletins index --full /b/1.txt /b/2.txt`");
        let req = lacking_request();
        assert_eq!(req["no_mtime"]["q"], "*:* -mtime:[* TO *]");
        assert_eq!(req.len(), BOOKKEEPING.len());
    }

    #[test]
    fn errors_become_problems_with_fixes() {
        let store: SolrUrl = "solr:http://h:8983/solr/bulletins".parse().unwrap();
        let e = ClusterError::NoCollection { collection: "bulletins".into(), base: store.base.clone(), store: store.to_string() };
        assert_eq!(problem_of(&store, e).fix, "create it with `tongbao --store solr:http://h:8983/solr/bulletins cluster init`, then index into it");
        let e =
            ClusterError::Mismatch { collection: "bulletins".into(), found: "tongbao-1-00".into(), wanted: "tongbao-5-ff".into(), store: store.to_string() };
        let p = problem_of(&store, e);
        assert_eq!(p.what, "collection bulletins was made for another version of tongbao (schema tongbao-1-00; this binary needs tongbao-5-ff)");
        assert!(p.fix.contains("cluster init --recreate"), "{}", p.fix);
    }
}

//! HTTP to a SolrCloud: JSON in, JSON out, with bounded retries across the nodes.
//!
//! A cluster is several nodes, any of which can take any request (it forwards to the
//! shard leaders). So a request that fails in a way a retry may fix — connection refused
//! or reset, a timeout, a 5xx (no leader during an election, a node shutting down) — is
//! sent again to the next node after a growing pause, until a time budget runs out; then
//! the caller gets one clear line. A 4xx is Solr saying no (bad field, missing
//! collection) and fails at once with Solr's own message. The nodes are the `--store`
//! URL's plus the cluster's live nodes as ZooKeeper knew them when we connected.
//!
//! Retrying is safe for everything tongbao sends: updates are upserts and deletes by id,
//! commits and admin reads are idempotent, and `cluster init` checks before it creates.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::RwLock;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{ClusterError, SolrUrl};

/// How long requests are retried before giving up: long enough for a leader election
/// (seconds) or a node restart, short enough that a dead cluster is reported.
pub const DEFAULT_RETRY_SECS: f64 = 60.0;
/// First pause between tries; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_millis(3200);
/// Retry budget of a request that only one node can answer.
const NODE_BUDGET: Duration = Duration::from_secs(3);
/// A request that takes longer than this is abandoned and retried. Generous: a batch of
/// updates waits for both replicas of its shards.
pub const DEFAULT_REQUEST_SECS: f64 = 120.0;

/// How hard to try. `TONGBAO_SOLR_RETRY_SECS` and `TONGBAO_SOLR_TIMEOUT_SECS` override
/// the defaults (tests shorten them; a slow deployment lengthens them).
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Total time over which a failing request is retried.
    pub budget: Duration,
    /// Time limit of one try.
    pub request_timeout: Duration,
}

impl RetryPolicy {
    pub fn from_env() -> RetryPolicy {
        let secs = |name: &str, default: f64| {
            let v = std::env::var(name).ok().and_then(|v| v.trim().parse::<f64>().ok()).filter(|v| v.is_finite() && *v >= 0.0).unwrap_or(default);
            Duration::from_secs_f64(v)
        };
        RetryPolicy { budget: secs("TONGBAO_SOLR_RETRY_SECS", DEFAULT_RETRY_SECS), request_timeout: secs("TONGBAO_SOLR_TIMEOUT_SECS", DEFAULT_REQUEST_SECS) }
    }
}

/// The pause before try number `attempt` (0 is the first retry).
fn backoff(attempt: u32) -> Duration {
    FIRST_BACKOFF.saturating_mul(1 << attempt.min(8)).min(MAX_BACKOFF)
}

/// A connection to one collection of a SolrCloud. Cheap to share between threads.
pub struct Solr {
    store: SolrUrl,
    agent: ureq::Agent,
    /// Node roots (`http://host:port/solr`), the `--store` one first.
    nodes: RwLock<Vec<String>>,
    /// The node that answered last: tried first next time.
    current: AtomicUsize,
    policy: RetryPolicy,
}

/// Where a request goes, relative to a node's Solr root.
#[derive(Debug, Clone, Copy)]
enum Target<'a> {
    /// A handler of the collection: `update`, `select`, `schema/name`.
    Collection(&'a str),
    /// A path under the root: `admin/collections`, `admin/configs`.
    Root(&'a str),
}

/// A request body.
enum Body<'a> {
    None,
    Json(Vec<u8>),
    Bytes(&'a [u8]),
}

/// What one try came to.
enum Try {
    Done(Value),
    /// Worth another try (on another node), with what went wrong.
    Again(String),
    Fatal(ClusterError),
}

impl Solr {
    /// Connect to the cluster behind `url` (retrying while it is unreachable) and learn its
    /// live nodes. The collection need not exist yet (`cluster init` creates it).
    pub fn connect(url: &SolrUrl) -> Result<Solr, ClusterError> {
        Self::connect_with(url, RetryPolicy::from_env())
    }

    pub fn connect_with(url: &SolrUrl, policy: RetryPolicy) -> Result<Solr, ClusterError> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(5).min(policy.request_timeout.max(Duration::from_millis(100)))))
            .timeout_global(Some(policy.request_timeout))
            .max_idle_connections_per_host(8)
            .build()
            .into();
        let solr = Solr { store: url.clone(), agent, nodes: RwLock::new(vec![url.base.clone()]), current: AtomicUsize::new(0), policy };
        solr.refresh_nodes()?;
        Ok(solr)
    }

    /// The store this connection was made for.
    pub fn store(&self) -> &SolrUrl {
        &self.store
    }

    /// The node roots requests may go to.
    pub fn nodes(&self) -> Vec<String> {
        self.nodes.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Ask the cluster which nodes are live and add them to the ones requests may go to.
    pub fn refresh_nodes(&self) -> Result<Vec<String>, ClusterError> {
        let answer = self.admin_get("admin/collections", &[("action", "CLUSTERSTATUS")])?;
        let live = live_node_roots(&answer, &self.store.base);
        let mut nodes = self.nodes.write().unwrap_or_else(|e| e.into_inner());
        for n in &live {
            if !nodes.contains(n) {
                nodes.push(n.clone());
            }
        }
        Ok(live)
    }

    /// POST a JSON body to a handler of the collection (`update`, `query`).
    pub fn post_json(&self, handler: &str, body: &Value) -> Result<Value, ClusterError> {
        let bytes = serde_json::to_vec(body).map_err(|e| ClusterError::Other(format!("cannot encode a request for {handler}: {e}")))?;
        self.post_json_bytes(handler, &[], bytes)
    }

    /// POST JSON already encoded (a batch of documents) to a handler of the collection.
    pub fn post_json_bytes(&self, handler: &str, params: &[(&str, &str)], body: Vec<u8>) -> Result<Value, ClusterError> {
        self.request(Target::Collection(handler), params, Body::Json(body))
    }

    /// GET a handler of the collection (`select`, `terms`, `schema/name`).
    pub fn get_json(&self, handler: &str, params: &[(&str, &str)]) -> Result<Value, ClusterError> {
        self.request(Target::Collection(handler), params, Body::None)
    }

    /// GET an admin path under the Solr root (`admin/collections`, `admin/configs`).
    pub fn admin_get(&self, path: &str, params: &[(&str, &str)]) -> Result<Value, ClusterError> {
        self.request(Target::Root(path), params, Body::None)
    }

    /// POST raw bytes to an admin path (a configset file).
    pub fn admin_post_bytes(&self, path: &str, params: &[(&str, &str)], bytes: &[u8]) -> Result<Value, ClusterError> {
        self.request(Target::Root(path), params, Body::Bytes(bytes))
    }

    /// GET `path` on one given node root only (a core's own status), retried on that node
    /// for a few seconds at most: the answer is about that node, no other can give it.
    pub fn get_on_node(&self, node: &str, path: &str, params: &[(&str, &str)]) -> Result<Value, ClusterError> {
        let url = format!("{}/{}", node.trim_end_matches('/'), path.trim_start_matches('/'));
        self.with_retries(path, 1, self.policy.budget.min(NODE_BUDGET), |_| self.try_once(&url, params, &Body::None, path))
    }

    fn request(&self, target: Target, params: &[(&str, &str)], body: Body) -> Result<Value, ClusterError> {
        let what = match target {
            Target::Collection(h) => format!("{}/{h}", self.store.collection),
            Target::Root(p) => p.to_string(),
        };
        let nodes = self.nodes();
        let start = self.current.load(Ordering::Relaxed);
        self.with_retries(&what, nodes.len(), self.policy.budget, |attempt| {
            let i = (start + attempt as usize) % nodes.len();
            let url = match target {
                Target::Collection(h) => self.store.handler_on(&nodes[i], h),
                Target::Root(p) => format!("{}/{}", nodes[i].trim_end_matches('/'), p),
            };
            let outcome = self.try_once(&url, params, &body, &what);
            if matches!(outcome, Try::Done(_)) {
                self.current.store(i, Ordering::Relaxed);
            }
            outcome
        })
    }

    /// Run `one` (given the try's number) until it is done, fails for good, or the budget
    /// is spent. `spread` is how many nodes the tries rotate over: a pause comes after each
    /// round, not after each node, so a dead node costs one refused connection.
    fn with_retries(&self, what: &str, spread: usize, budget: Duration, mut one: impl FnMut(u32) -> Try) -> Result<Value, ClusterError> {
        let started = Instant::now();
        let mut attempt = 0u32;
        let mut pauses = 0u32;
        loop {
            let last = match one(attempt) {
                Try::Done(v) => return Ok(v),
                Try::Fatal(e) => return Err(e),
                Try::Again(why) => why,
            };
            attempt += 1;
            let pause = if (attempt as usize).is_multiple_of(spread.max(1)) {
                pauses += 1;
                backoff(pauses - 1)
            } else {
                Duration::ZERO
            };
            if started.elapsed() + pause > budget {
                return Err(ClusterError::Unreachable { what: what.to_string(), tries: attempt, secs: started.elapsed().as_secs_f64(), last });
            }
            std::thread::sleep(pause);
        }
    }

    fn try_once(&self, url: &str, params: &[(&str, &str)], body: &Body, what: &str) -> Try {
        let payload: Option<(&[u8], &str)> = match body {
            Body::None => None,
            Body::Json(b) => Some((&b[..], "application/json")),
            Body::Bytes(b) => Some((b, "application/octet-stream")),
        };
        let result = match payload {
            None => {
                let mut req = self.agent.get(url).query("wt", "json");
                for (k, v) in params {
                    req = req.query(*k, *v);
                }
                req.call()
            }
            Some((bytes, content_type)) => {
                let mut req = self.agent.post(url).query("wt", "json").header("Content-Type", content_type);
                for (k, v) in params {
                    req = req.query(*k, *v);
                }
                req.send(bytes)
            }
        };
        let mut response = match result {
            Ok(r) => r,
            Err(e) => return Try::Again(format!("{}: {}", node_of(url), transport_reason(&e))),
        };
        let status = response.status().as_u16();
        let text = match response.body_mut().with_config().limit(1 << 32).read_to_string() {
            Ok(t) => t,
            Err(e) => return Try::Again(format!("{}: reading the answer: {}", node_of(url), transport_reason(&e))),
        };
        let json: Option<Value> = serde_json::from_str(&text).ok();
        if (200..300).contains(&status) {
            return match json {
                Some(v) => Try::Done(v),
                None => Try::Fatal(ClusterError::BadAnswer { what: what.to_string(), detail: format!("not JSON: {}", excerpt(&text)) }),
            };
        }
        let message = json.as_ref().and_then(solr_error_message).unwrap_or_else(|| excerpt(&text));
        if status >= 500 {
            return Try::Again(format!("{}: {status} {message}", node_of(url)));
        }
        if status == 404 && what.starts_with(&format!("{}/", self.store.collection)) {
            return Try::Fatal(ClusterError::NoCollection {
                collection: self.store.collection.clone(),
                base: self.store.base.clone(),
                store: self.store.to_string(),
            });
        }
        Try::Fatal(ClusterError::Refused { what: what.to_string(), status, message })
    }
}

/// Live nodes from a CLUSTERSTATUS answer as node roots. ZooKeeper names a node
/// `host:port_solr` (the context path with `/` as `_`); the scheme is the `--store` one.
pub fn live_node_roots(clusterstatus: &Value, store_base: &str) -> Vec<String> {
    let scheme = store_base.split("://").next().unwrap_or("http");
    clusterstatus["cluster"]["live_nodes"].as_array().into_iter().flatten().filter_map(Value::as_str).map(|name| node_root(name, scheme)).collect()
}

/// `127.0.0.1:8983_solr` → `http://127.0.0.1:8983/solr`.
pub fn node_root(node_name: &str, scheme: &str) -> String {
    match node_name.split_once('_') {
        Some((host, context)) => format!("{scheme}://{host}/{}", context.replace('_', "/")),
        None => format!("{scheme}://{node_name}"),
    }
}

/// Solr's own words for an error: `{"error":{"msg":…}}`.
fn solr_error_message(v: &Value) -> Option<String> {
    let msg = v["error"]["msg"].as_str().or_else(|| v["error"].as_str())?;
    Some(one_line(msg))
}

fn transport_reason(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
            std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => "connection reset".into(),
            std::io::ErrorKind::TimedOut => "timed out".into(),
            _ => one_line(&io.to_string()),
        },
        ureq::Error::Timeout(_) => "timed out".into(),
        other => one_line(&other.to_string()),
    }
}

fn node_of(url: &str) -> &str {
    let rest = url.strip_prefix("http://").unwrap_or(url);
    rest.split('/').next().unwrap_or(rest)
}

fn one_line(s: &str) -> String {
    let line = s.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
    excerpt(&line)
}

fn excerpt(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 300 {
        s.chars().take(300).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    #[test]
    fn node_names_become_roots() {
        assert_eq!(node_root("127.0.0.1:45231_solr", "http"), "http://127.0.0.1:45231/solr");
        assert_eq!(node_root("h:1_a_solr", "http"), "http://h:1/a/solr");
        let status = serde_json::json!({"cluster": {"live_nodes": ["10.0.0.1:8983_solr", "10.0.0.2:8983_solr"]}});
        assert_eq!(live_node_roots(&status, "http://x/solr"), ["http://10.0.0.1:8983/solr", "http://10.0.0.2:8983/solr"]);
    }

    #[test]
    fn backoff_doubles_to_a_cap() {
        assert_eq!(backoff(0), Duration::from_millis(200));
        assert_eq!(backoff(2), Duration::from_millis(800));
        assert_eq!(backoff(30), MAX_BACKOFF);
    }

    /// A port nothing listens on: bound, then released.
    fn dead_port() -> u16 {
        TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
    }

    /// A one-shot server answering each connection with the next canned response.
    fn serve(answers: Vec<(u16, &'static str)>) -> (u16, std::thread::JoinHandle<Vec<String>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let handle = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for (status, body) in answers {
                let (mut s, _) = listener.accept().unwrap();
                let mut buf = [0u8; 65536];
                let n = s.read(&mut buf).unwrap_or(0);
                seen.push(String::from_utf8_lossy(&buf[..n]).lines().next().unwrap_or("").to_string());
                let reason = if status == 200 { "OK" } else { "X" };
                let _ = write!(
                    s,
                    "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
            seen
        });
        (port, handle)
    }

    fn quick() -> RetryPolicy {
        RetryPolicy { budget: Duration::from_secs(5), request_timeout: Duration::from_secs(5) }
    }

    #[test]
    fn a_refused_node_and_a_503_are_retried_on_the_next_node() {
        let status = r#"{"cluster":{"live_nodes":[]}}"#;
        let (port, server) = serve(vec![(200, status), (503, r#"{"error":{"msg":"No registered leader was found"}}"#), (200, r#"{"ok":1}"#)]);
        let url: SolrUrl = format!("solr:http://127.0.0.1:{port}/solr/c").parse().unwrap();
        let solr = Solr::connect_with(&url, quick()).unwrap();
        // A dead node in the rotation: its refusal costs no pause.
        solr.nodes.write().unwrap().push(format!("http://127.0.0.1:{}/solr", dead_port()));
        let v = solr.get_json("select", &[("q", "*:*")]).unwrap();
        assert_eq!(v["ok"], 1);
        let seen = server.join().unwrap();
        assert!(seen[1].starts_with("GET /solr/c/select?wt=json&q=*%3A*"), "{seen:?}");
    }

    #[test]
    fn a_4xx_fails_at_once_with_solrs_message() {
        let (port, server) = serve(vec![
            (200, r#"{"cluster":{"live_nodes":[]}}"#),
            (400, r#"{"error":{"msg":"ERROR: [doc=x] unknown field 'bogus'","code":400}}"#),
            (404, "<html>not found</html>"),
        ]);
        let url: SolrUrl = format!("solr:http://127.0.0.1:{port}/solr/c").parse().unwrap();
        let solr = Solr::connect_with(&url, quick()).unwrap();
        let e = solr.post_json("update", &serde_json::json!([{"id": "x", "bogus": 1}])).unwrap_err().to_string();
        assert_eq!(e, "SolrCloud refused c/update: 400 ERROR: [doc=x] unknown field 'bogus'");
        let e = solr.get_json("select", &[]).unwrap_err().to_string();
        assert!(e.starts_with("collection c does not exist at http://127.0.0.1:"), "{e}");
        assert!(e.ends_with(&format!("create it with `tongbao cluster init --store solr:http://127.0.0.1:{port}/solr/c`")), "{e}");
        server.join().unwrap();
    }

    #[test]
    fn an_unreachable_cluster_is_one_line_after_the_budget() {
        let url: SolrUrl = format!("solr:http://127.0.0.1:{}/solr/c", dead_port()).parse().unwrap();
        let started = Instant::now();
        let policy = RetryPolicy { budget: Duration::from_millis(700), request_timeout: Duration::from_secs(2) };
        let e = Solr::connect_with(&url, policy).err().unwrap().to_string();
        assert!(started.elapsed() < Duration::from_secs(3));
        assert!(e.starts_with("cannot reach SolrCloud for admin/collections after "), "{e}");
        assert!(e.contains("connection refused"), "{e}");
        assert!(!e.contains('\n'));
    }
}

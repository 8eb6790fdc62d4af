//! tongbao against a real SolrCloud: the harness in cluster/harness (2 Jetty nodes and an
//! embedded ZooKeeper, started once for this test binary), collections of 2 shards × 2
//! replicas made by `tongbao cluster init`, and the same corpus indexed locally and into
//! the cluster. The cluster must hold the same bulletins, with the same terms.
//!
//! The harness jar is built by `mvn -B -q -f cluster/harness/pom.xml package` (CI does it).
//! Without it these tests print a note and pass, unless TONGBAO_CLUSTER_TESTS=require,
//! which makes a missing jar (or Java) a failure.

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Output, Stdio};
use std::sync::{Mutex, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use serde_json::Value;
use tongbao::cluster::{ingest, Solr, SolrUrl};

const BUILD: &str = "mvn -B -q -f cluster/harness/pom.xml package";

/// The running harness.
struct Harness {
    nodes: Vec<String>,
    stdin: Mutex<ChildStdin>,
    stdout: Mutex<BufReader<ChildStdout>>,
    _child: Child,
}

static HARNESS: OnceLock<Option<Harness>> = OnceLock::new();
/// Tests that stop nodes take this for writing; the others for reading, so that no test
/// sees a node go down that it did not stop.
static NODES: RwLock<()> = RwLock::new(());

fn required() -> bool {
    std::env::var("TONGBAO_CLUSTER_TESTS").is_ok_and(|v| v == "require")
}

fn start_harness() -> Option<Harness> {
    let jar = Path::new(env!("CARGO_MANIFEST_DIR")).join("cluster/harness/target/harness.jar");
    if !jar.exists() {
        let note = format!("the SolrCloud harness is not built ({} is missing); build it with `{BUILD}`", jar.display());
        assert!(!required(), "{note} (TONGBAO_CLUSTER_TESTS=require)");
        eprintln!("note: skipping the cluster tests: {note}");
        return None;
    }
    let spawned = Command::new("java").arg("-jar").arg(&jar).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => {
            let note = format!("cannot run java for the SolrCloud harness: {e}");
            assert!(!required(), "{note} (TONGBAO_CLUSTER_TESTS=require)");
            eprintln!("note: skipping the cluster tests: {note}");
            return None;
        }
    };
    let stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let ready: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("harness said {line:?}: {e}"));
    assert_eq!(ready["ready"], true, "the harness did not start: {line}");
    let nodes = ready["nodes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect();
    Some(Harness { nodes, stdin: Mutex::new(stdin), stdout: Mutex::new(stdout), _child: child })
}

/// The harness and a shared hold on its nodes, or None (after a note) when it is not built.
fn cluster() -> Option<(&'static Harness, RwLockReadGuard<'static, ()>)> {
    let h = HARNESS.get_or_init(start_harness).as_ref()?;
    Some((h, NODES.read().unwrap_or_else(|e| e.into_inner())))
}

/// The harness with its nodes to this test alone (to stop and start them).
fn cluster_alone() -> Option<(&'static Harness, RwLockWriteGuard<'static, ()>)> {
    let h = HARNESS.get_or_init(start_harness).as_ref()?;
    Some((h, NODES.write().unwrap_or_else(|e| e.into_inner())))
}

impl Harness {
    /// Send a command (`stop 1`, `start 1`) and return the harness's answer.
    fn tell(&self, command: &str) -> Value {
        let mut stdin = self.stdin.lock().unwrap();
        writeln!(stdin, "{command}").unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        self.stdout.lock().unwrap().read_line(&mut line).unwrap();
        let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("harness said {line:?} to {command}: {e}"));
        assert!(v.get("error").is_none(), "{command}: {line}");
        v
    }

    fn store(&self, node: usize, collection: &str) -> String {
        format!("solr:{}/{collection}", self.nodes[node])
    }
}

fn tongbao(store: &str) -> Command {
    let mut c = Command::new(support::binary());
    c.env_remove("TONGBAO_INDEX").env_remove("TONGBAO_SCHEMA").env_remove("TONGBAO_STORE").arg("--store").arg(store);
    c
}

fn ok(mut c: Command) -> Output {
    let o = c.output().expect("spawn tongbao");
    assert!(o.status.success(), "{c:?} failed: {}", support::stderr(&o));
    o
}

fn init(store: &str) {
    let o = ok({
        let mut c = tongbao(store);
        c.args(["cluster", "init", "--shards", "2", "--replicas", "2"]);
        c
    });
    assert!(support::stderr(&o).contains("created collection"), "{}", support::stderr(&o));
}

fn index_into(store: &str, paths: &[&Path], extra: &[&str]) -> Output {
    let mut c = tongbao(store);
    c.arg("index").args(extra).args(paths);
    ok(c)
}

fn index_locally(ix: &Path, paths: &[&Path]) -> Output {
    let mut c = support::tongbao(ix);
    c.arg("index").args(paths);
    ok(c)
}

fn connect(store: &str) -> Solr {
    Solr::connect(&store.parse::<SolrUrl>().unwrap()).unwrap()
}

/// id → (content hash, group) of every committed document of a collection.
fn cluster_docs(store: &str) -> BTreeMap<String, (String, u64)> {
    ingest::known(&connect(store)).unwrap().into_iter().map(|(id, k)| (id, (k.hash, k.group))).collect()
}

/// The local index as id → (path, group), read through the library.
fn local_docs(ix: &Path) -> BTreeMap<String, (PathBuf, u64)> {
    let handle = open_local(ix);
    tongbao::index::build::known_files(&handle).unwrap().into_iter().map(|(path, k)| (tongbao::bulletin::id_for_path(&path), (path, k.group))).collect()
}

fn open_local(ix: &Path) -> tongbao::index::IndexHandle {
    let resources = tongbao::resources::Resources::embedded();
    let meta = tongbao::index::IndexMeta::current(&tongbao::read::fingerprint(&resources));
    let jieba = tongbao::analysis::dictionary::shared(&resources.get("dictionary.txt").unwrap());
    tongbao::index::IndexHandle::open(ix, jieba, &meta).unwrap()
}

/// Which documents share a group, as sets of ids (the group values themselves depend on
/// which copy was fingerprinted first).
fn grouping<'a>(groups: impl Iterator<Item = (&'a String, u64)>) -> BTreeSet<BTreeSet<String>> {
    let mut by: HashMap<u64, BTreeSet<String>> = HashMap::new();
    for (id, g) in groups {
        by.entry(g).or_default().insert(id.clone());
    }
    by.into_values().filter(|s| s.len() > 1).collect()
}

/// corpus-samples plus `generated` bulletins from the benchmark's generator, under `dir`.
fn corpus(dir: &Path, generated: usize) -> PathBuf {
    let root = dir.join("corpus");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus-samples");
    std::fs::create_dir_all(root.join("samples")).unwrap();
    for e in std::fs::read_dir(&samples).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), root.join("samples").join(e.file_name())).unwrap();
        }
    }
    if generated > 0 {
        tongbao::bench::corpus::generate(&root.join("generated"), generated, 7, Some(&samples), &|_| {}).unwrap();
    }
    root
}

/// Committed documents of a collection.
fn count(store: &str) -> u64 {
    connect(store).get_json("select", &[("q", "*:*"), ("rows", "0")]).unwrap()["response"]["numFound"].as_u64().unwrap()
}

fn status(store: &str) -> Value {
    let o = ok({
        let mut c = tongbao(store);
        c.args(["cluster", "status", "--json"]);
        c
    });
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn init_creates_two_shards_of_two_replicas_and_status_shows_them() {
    let Some((h, _nodes)) = cluster() else { return };
    let store = h.store(0, "t_init");
    init(&store);
    // Again: the collection is there, made for this version.
    let again = ok({
        let mut c = tongbao(&store);
        c.args(["cluster", "init"]);
        c
    });
    assert!(support::stderr(&again).contains("nothing to do"), "{}", support::stderr(&again));

    let st = status(&store);
    assert_eq!(st["collection"], "t_init");
    assert_eq!(st["schema_matches"], true, "{st}");
    assert_eq!(st["documents"], 0);
    let mut live: Vec<&str> = st["live_nodes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    live.sort();
    let mut want: Vec<&str> = h.nodes.iter().map(String::as_str).collect();
    want.sort();
    assert_eq!(live, want);
    let shards = st["shards"].as_array().unwrap();
    assert_eq!(shards.len(), 2, "{st}");
    for shard in shards {
        let replicas = shard["replicas"].as_array().unwrap();
        assert_eq!(replicas.len(), 2, "{shard}");
        assert_eq!(replicas.iter().filter(|r| r["leader"] == true).count(), 1, "{shard}");
        assert!(replicas.iter().all(|r| r["state"] == "active" && r["documents"] == 0), "{shard}");
        // One copy on each node.
        let nodes: BTreeSet<&str> = replicas.iter().map(|r| r["node"].as_str().unwrap()).collect();
        assert_eq!(nodes.len(), 2, "{shard}");
    }
    let text = ok({
        let mut c = tongbao(&store);
        c.args(["cluster", "status"]);
        c
    });
    let text = support::stdout(&text);
    assert!(text.contains("shard1 active") && text.contains("shard2 active") && text.contains(", leader"), "{text}");

    // Through the other node, the same collection.
    assert_eq!(status(&h.store(1, "t_init"))["shards"], st["shards"]);
}

#[test]
fn a_collection_made_for_another_analysis_is_refused_until_recreated() {
    let Some((h, _nodes)) = cluster() else { return };
    let store = h.store(0, "t_other");
    // Made by hand as another tongbao would have made it: another schema name.
    let solr = connect(&store);
    let schema = tongbao::cluster::configset::stamped_schema("tongbao-1-0000000000000000");
    for (file, text) in [("schema.xml", schema.as_str()), ("solrconfig.xml", tongbao::cluster::configset::SOLRCONFIG_XML)] {
        solr.admin_post_bytes("admin/configs", &[("action", "UPLOAD"), ("name", "old.t_other"), ("filePath", file), ("overwrite", "true")], text.as_bytes())
            .unwrap();
    }
    let params = [
        ("action", "CREATE"),
        ("name", "t_other"),
        ("collection.configName", "old.t_other"),
        ("numShards", "1"),
        ("replicationFactor", "1"),
        ("waitForFinalState", "true"),
    ];
    solr.admin_get("admin/collections", &params).unwrap();

    let tmp = tempfile::tempdir().unwrap();
    let samples = corpus(tmp.path(), 0);
    let o = tongbao(&store).arg("index").arg(&samples).output().unwrap();
    let err = support::stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("collection t_other was made for another version of tongbao (schema tongbao-1-0000000000000000"), "{err}");
    assert!(err.contains("cluster init --recreate"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let o = tongbao(&store).args(["cluster", "init"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", support::stderr(&o));

    let o = ok({
        let mut c = tongbao(&store);
        c.args(["cluster", "init", "--recreate"]);
        c
    });
    assert!(support::stderr(&o).contains("deleted and created collection t_other"), "{}", support::stderr(&o));
    index_into(&store, &[&samples], &[]);
    assert!(count(&store) > 30);

    // No collection at all: one line naming the way out.
    let o = tongbao(&h.store(0, "t_nothing")).arg("index").arg(&samples).output().unwrap();
    let err = support::stderr(&o);
    assert!(err.contains("collection t_nothing does not exist") && err.contains("tongbao cluster init --store"), "{err}");
}

#[test]
fn the_cluster_holds_what_the_local_index_holds_and_follows_changes() {
    let Some((h, _nodes)) = cluster() else { return };
    let store = h.store(1, "t_same");
    init(&store);
    let tmp = tempfile::tempdir().unwrap();
    let root = corpus(tmp.path(), 3000);
    let ix = tmp.path().join("ix");
    index_locally(&ix, &[&root]);
    let o = index_into(&store, &[&root], &[]);
    let said = support::stderr(&o);
    let local = local_docs(&ix);
    assert!(local.len() > 3000, "{}", local.len());
    assert!(said.contains(&format!("{} added, 0 updated, 0 removed", local.len())), "{said}");
    let remote = cluster_docs(&store);
    assert_eq!(count(&store), local.len() as u64);
    assert_eq!(remote.keys().collect::<Vec<_>>(), local.keys().collect::<Vec<_>>());
    // Near-duplicates grouped alike.
    let local_groups = grouping(local.iter().map(|(id, (_, g))| (id, *g)));
    let remote_groups = grouping(remote.iter().map(|(id, (_, g))| (id, *g)));
    assert_eq!(local_groups, remote_groups);

    // The same terms: document frequencies of every token of some bulletins, as the local
    // index counts them and as Solr's terms component sums them over the shards.
    same_document_frequencies(&ix, &store, &root);

    // Every replica holds its shard's documents.
    let st = status(&store);
    for shard in st["shards"].as_array().unwrap() {
        let counts: Vec<&Value> = shard["replicas"].as_array().unwrap().iter().map(|r| &r["documents"]).collect();
        assert_eq!(counts[0], counts[1], "{shard}");
    }
    assert_eq!(st["documents"].as_u64().unwrap(), local.len() as u64);

    // A second run changes nothing.
    let o = index_into(&store, &[&root], &[]);
    assert!(support::stderr(&o).contains(&format!("0 added, 0 updated, 0 removed, {} unchanged", local.len())), "{}", support::stderr(&o));

    // Change one file, remove one, add one: both stores follow.
    let changed = root.join("samples/chongqing-yubei-bangjia-2020-05.txt");
    let mut text = std::fs::read_to_string(&changed).unwrap();
    text.push_str("\n补充通报：另有两名嫌疑人于次日落网。\n");
    std::fs::write(&changed, text).unwrap();
    let removed = root.join("samples/anhui-hefei-diandongche-daoqie-undated.txt");
    std::fs::remove_file(&removed).unwrap();
    let added = root.join("samples/new-2024-guangxi.txt");
    std::fs::write(&added, "南宁警方通报一起养老诈骗案\n2024年3月5日，南宁市公安局破获一起以投资养老项目为名的诈骗案，抓获犯罪嫌疑人3名。").unwrap();
    let before = cluster_docs(&store);
    let o = index_into(&store, &[&root], &[]);
    assert!(support::stderr(&o).contains("1 added, 1 updated, 1 removed"), "{}", support::stderr(&o));
    index_locally(&ix, &[&root]);
    let local = local_docs(&ix);
    let after = cluster_docs(&store);
    assert_eq!(after.keys().collect::<Vec<_>>(), local.keys().collect::<Vec<_>>());
    let id = |p: &Path| tongbao::bulletin::id_for_path(&tongbao::paths::identity(p));
    assert_ne!(after[&id(&changed)].0, before[&id(&changed)].0, "the changed file's content hash");
    assert!(!after.contains_key(&tongbao::bulletin::id_for_path(&removed)) && after.contains_key(&id(&added)));
}

/// For the tokens of a few bulletins, the number of documents holding each in `body` is
/// the same in the local index and in the collection.
fn same_document_frequencies(ix: &Path, store: &str, root: &Path) {
    use tantivy::tokenizer::{TokenStream, Tokenizer};
    let handle = open_local(ix);
    let searcher = handle.index.reader().unwrap().searcher();
    let resources = tongbao::resources::Resources::embedded();
    let jieba = tongbao::analysis::dictionary::shared(&resources.get("dictionary.txt").unwrap());
    let mut terms = BTreeSet::new();
    for name in ["gansu-lanzhou-yanglao-zhapian-2023-09.md", "chongqing-yubei-bangjia-2020-05.txt"] {
        let text = std::fs::read_to_string(root.join("samples").join(name)).unwrap();
        let folded = tongbao::analysis::fold(&text);
        let mut tokenizer = tongbao::analysis::TextTokenizer::new(jieba.clone());
        let mut stream = tokenizer.token_stream(&folded);
        while stream.advance() {
            terms.insert(stream.token().text.clone());
        }
    }
    let terms: Vec<String> = terms.into_iter().filter(|t| !t.contains(',')).collect();
    assert!(terms.len() > 200, "{}", terms.len());
    let solr = connect(store);
    let mut compared = 0;
    for chunk in terms.chunks(100) {
        let list = chunk.join(",");
        let answer = solr.get_json("terms", &[("terms.fl", "body"), ("terms.list", &list), ("terms.limit", "-1"), ("json.nl", "map")]).unwrap();
        let solr_df = &answer["terms"]["body"];
        for t in chunk {
            let local_df = searcher.doc_freq(&tantivy::Term::from_field_text(handle.fields.body, t)).unwrap();
            let remote_df = solr_df[t.as_str()].as_u64().unwrap_or(0);
            assert_eq!(remote_df, local_df, "documents holding {t:?} in body");
            compared += (local_df > 0) as usize;
        }
    }
    assert!(compared > 200, "{compared}");
}

/// Ids of the bulletins a corpus yields, as the local index holds them.
fn ids_of(ix: &Path) -> Vec<String> {
    local_docs(ix).into_keys().collect()
}

/// Wait for a child with a deadline; panics (killing it) when it runs over.
fn wait_for(mut child: Child, limit: Duration) -> Output {
    let started = std::time::Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let o = child.wait_with_output().unwrap();
            panic!("tongbao ran over {limit:?}: {}", support::stderr(&o));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// How many of `ids` the collection holds, committed or not (real-time get).
fn present(store: &str, ids: &[String]) -> usize {
    let solr = connect(store);
    let mut n = 0;
    for chunk in ids.chunks(200) {
        let list = chunk.join(",");
        let v = solr.get_json("get", &[("ids", &list), ("fl", "id")]).unwrap();
        n += v["response"]["docs"].as_array().map_or(0, Vec::len);
    }
    n
}

#[test]
fn an_unreachable_cluster_is_one_clear_line() {
    // No harness needed: nothing listens on the port.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let store = format!("solr:http://127.0.0.1:{port}/solr/x");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus-samples");
    let started = std::time::Instant::now();
    let o = tongbao(&store).env("TONGBAO_SOLR_RETRY_SECS", "2").arg("index").arg(&samples).output().unwrap();
    let err = support::stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.starts_with("tongbao: cannot reach SolrCloud for admin/collections after ") && err.contains("connection refused"), "{err}");
    // Parts of one collection need the collection.
    let o = support::tongbao(&std::env::temp_dir().join("tongbao-no-index-here")).args(["index", "--partition", "0/2"]).arg(&samples).output().unwrap();
    assert!(
        support::stderr(&o).contains("--partition splits the work of several indexers into one SolrCloud collection: it needs --store"),
        "{}",
        support::stderr(&o)
    );
    // A store that is not a Solr URL is refused by the flag parser, naming the form.
    let o = tongbao("http://h/solr/x").args(["cluster", "status"]).output().unwrap();
    assert!(support::stderr(&o).contains("solr:http://HOST:PORT/solr/COLLECTION"), "{}", support::stderr(&o));
}

#[test]
fn indexing_goes_on_while_a_node_is_down() {
    let Some((h, _alone)) = cluster_alone() else { return };
    let store = h.store(0, "t_down");
    init(&store);
    let tmp = tempfile::tempdir().unwrap();
    let root = corpus(tmp.path(), 2500);
    let ix = tmp.path().join("ix");
    index_locally(&ix, &[&root]);
    let ids = ids_of(&ix);

    // Through node 0, which goes down while the run sends its batches: the client moves to
    // node 1 (a live node it learnt at connect), waits out the leader election, and finishes.
    let child = tongbao(&store).env("TONGBAO_SOLR_RETRY_SECS", "120").arg("index").arg(&root).stderr(Stdio::piped()).spawn().unwrap();
    let started = std::time::Instant::now();
    while present(&store, &ids[..400.min(ids.len())]) == 0 {
        assert!(started.elapsed() < Duration::from_secs(120), "no document arrived");
        std::thread::sleep(Duration::from_millis(200));
    }
    h.tell("stop 0");
    std::thread::sleep(Duration::from_secs(3));
    let mut child = child;
    let still_running = child.try_wait().unwrap().is_none();
    h.tell("start 0");
    let o = wait_for(child, Duration::from_secs(600));
    assert!(o.status.success(), "{}", support::stderr(&o));
    assert!(still_running, "the run ended before the node came back; the test needs a larger corpus");
    let remote = cluster_docs(&store);
    assert_eq!(remote.keys().cloned().collect::<Vec<_>>(), ids);
    // Node 0's replicas recovered what they missed.
    let started = std::time::Instant::now();
    loop {
        let st = status(&store);
        let agree = st["shards"].as_array().unwrap().iter().all(|s| {
            let r = s["replicas"].as_array().unwrap();
            r.iter().all(|x| x["state"] == "active") && r[0]["documents"] == r[1]["documents"]
        });
        if agree {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "replicas did not recover: {st}");
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[test]
fn a_killed_run_leaves_nothing_doubled_and_the_next_one_completes() {
    let Some((h, _nodes)) = cluster() else { return };
    let store = h.store(1, "t_kill");
    init(&store);
    let tmp = tempfile::tempdir().unwrap();
    let root = corpus(tmp.path(), 2000);
    let ix = tmp.path().join("ix");
    index_locally(&ix, &[&root]);
    let ids = ids_of(&ix);

    let mut child = tongbao(&store).arg("index").arg(&root).stderr(Stdio::piped()).spawn().unwrap();
    let started = std::time::Instant::now();
    while present(&store, &ids) < 200 {
        assert!(child.try_wait().unwrap().is_none(), "the run ended before it could be killed");
        assert!(started.elapsed() < Duration::from_secs(120), "no document arrived");
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let sent = present(&store, &ids);
    assert!(sent < ids.len(), "killed after everything was sent ({sent})");
    // Nothing committed yet: searches still see the collection as before the run.
    assert_eq!(count(&store), 0);

    let o = index_into(&store, &[&root], &[]);
    assert!(support::stderr(&o).contains(&format!("{} added", ids.len())), "{}", support::stderr(&o));
    assert_eq!(count(&store), ids.len() as u64);
    assert_eq!(cluster_docs(&store).into_keys().collect::<Vec<_>>(), ids);

    // Killed in the middle of a run that sends every document again (upserts of documents
    // the collection holds): still one document per file once the next run commits.
    let mut child = tongbao(&store).args(["index", "--full"]).arg(&root).stderr(Stdio::piped()).spawn().unwrap();
    std::thread::sleep(Duration::from_secs(4));
    child.kill().unwrap();
    child.wait().unwrap();
    let o = index_into(&store, &[&root], &[]);
    assert!(support::stderr(&o).contains(&format!("0 added, 0 updated, 0 removed, {} unchanged", ids.len())), "{}", support::stderr(&o));
    assert_eq!(count(&store), ids.len() as u64);
    assert_eq!(cluster_docs(&store).into_keys().collect::<Vec<_>>(), ids);
}

#[test]
fn partitioned_indexers_at_once_make_the_collection_one_indexer_makes() {
    let Some((h, _nodes)) = cluster() else { return };
    let (one, parts) = (h.store(0, "t_one"), h.store(1, "t_parts"));
    init(&one);
    init(&parts);
    let tmp = tempfile::tempdir().unwrap();
    let root = corpus(tmp.path(), 1500);
    index_into(&one, &[&root], &[]);
    let children: Vec<Child> =
        (0..2).map(|i| tongbao(&parts).arg("index").arg("--partition").arg(format!("{i}/2")).arg(&root).stderr(Stdio::piped()).spawn().unwrap()).collect();
    let mut added = 0;
    for child in children {
        let o = wait_for(child, Duration::from_secs(600));
        let err = support::stderr(&o);
        assert!(o.status.success(), "{err}");
        let n: usize = err.split(" added").next().and_then(|s| s.rsplit(' ').next()).and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{err}"));
        assert!(n > 500, "each part takes about half: {err}");
        added += n;
    }
    let a = cluster_docs(&one);
    let b = cluster_docs(&parts);
    assert_eq!(added, a.len());
    let hashes = |m: &BTreeMap<String, (String, u64)>| m.iter().map(|(id, (h, _))| (id.clone(), h.clone())).collect::<Vec<_>>();
    assert_eq!(hashes(&a), hashes(&b));
    // Groups: the same wherever the copies fell into one part (two new copies in two parts
    // indexed at once cannot see each other; see src/cluster/ingest.rs).
    let part = |id: &str| tongbao::cluster::document::idhash(id) % 2;
    for group in grouping(a.iter().map(|(id, (_, g))| (id, *g))) {
        if group.iter().all(|id| part(id) == part(group.first().unwrap())) {
            let gs: BTreeSet<u64> = group.iter().map(|id| b[id].1).collect();
            assert_eq!(gs.len(), 1, "{group:?} split in the partitioned collection");
        }
    }
    // A second partitioned pass finds nothing to do.
    let o = index_into(&parts, &[&root], &["--partition", "1/2"]);
    assert!(support::stderr(&o).contains("0 added, 0 updated, 0 removed"), "{}", support::stderr(&o));
}

/// A search request as `tongbao search` builds it (synonyms, category rules and partial
/// matches on).
fn request(query: &str, filters: tongbao::search::Filters, facets: bool) -> tongbao::search::SearchRequest {
    let resources = tongbao::resources::Resources::embedded();
    let extractor = tongbao::extract::Extractor::for_search(None).unwrap();
    tongbao::search::SearchRequest {
        query: query.to_string(),
        filters,
        limit: 10,
        facets,
        synonyms: Some(std::sync::Arc::new(tongbao::search::Synonyms::load(&resources).unwrap())),
        categories: Some(extractor.category_rules()),
        partial: true,
        ..Default::default()
    }
}

/// The eval sets' queries (dev and dev2) with their filters as the evaluation passes them.
fn eval_queries() -> Vec<(String, tongbao::search::SearchRequest)> {
    let extractor = tongbao::extract::Extractor::for_search(None).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval");
    let mut out = Vec::new();
    for set in ["dev", "dev2"] {
        let text = std::fs::read_to_string(root.join(set).join("queries.jsonl")).unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let q: Value = serde_json::from_str(line).unwrap();
            let s = |k: &str| q[k].as_str().map(str::to_string);
            let words = tongbao::search::filters::FilterWords {
                provinces: s("province").into_iter().collect(),
                categories: s("category").into_iter().collect(),
                from: s("from"),
                to: s("to"),
                ..Default::default()
            };
            let filters = tongbao::search::filters::resolve(&extractor, &words).unwrap();
            let query = s("query").unwrap();
            out.push((format!("{set}/{} {query}", s("qid").unwrap()), request(&query, filters, true)));
        }
    }
    out
}

fn scores_agree(a: f32, b: f32) -> bool {
    (a - b).abs() <= 1e-4 * a.abs().max(b.abs()).max(1.0)
}

/// The corpus of the search tests: corpus-samples, generated bulletins and the eval sets'
/// bulletins (which their queries are about).
fn search_corpus(dir: &Path, generated: usize) -> PathBuf {
    let root = corpus(dir, generated);
    let eval = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval");
    for set in ["dev", "dev2"] {
        let to = root.join(set);
        std::fs::create_dir_all(&to).unwrap();
        for e in std::fs::read_dir(eval.join(set).join("docs")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    // Codes whose punctuation decides the match: the phrase of 4·28 also finds 4、28.
    let codes = root.join("codes");
    std::fs::create_dir_all(&codes).unwrap();
    for (name, text) in [
        ("a.txt", "某市公安局侦破“4·28”专案\n2023年5月10日，某市公安局通报：“4·28”专案告破，抓获犯罪嫌疑人12名。"),
        ("b.txt", "某县公安局通报两起盗窃案\n2023年6月2日，某县公安局通报：4、28日分别发生两起盗窃案，均已告破。"),
        ("c.txt", "某区公安分局通报（2023）粤0304刑初123号案件\n2023年7月3日，某区公安分局通报（2023）粤0304刑初123号案件的审理情况。"),
    ] {
        std::fs::write(codes.join(name), text).unwrap();
    }
    root
}

/// Every eval query, and each with a province, a category and a date range added.
fn search_cases() -> Vec<(String, tongbao::search::SearchRequest)> {
    let mut cases = eval_queries();
    let extra: Vec<(String, tongbao::search::SearchRequest)> = cases
        .iter()
        .flat_map(|(name, req)| {
            let filters = [
                ("广东省", tongbao::search::Filters { regions: vec!["/广东省".into()], ..Default::default() }),
                ("/诈骗", tongbao::search::Filters { categories: vec!["/诈骗".into()], ..Default::default() }),
                (
                    "2021..2023",
                    tongbao::search::Filters {
                        from: chrono::NaiveDate::from_ymd_opt(2021, 1, 1),
                        to: chrono::NaiveDate::from_ymd_opt(2023, 12, 31),
                        ..Default::default()
                    },
                ),
            ];
            filters
                .into_iter()
                .map(|(what, filters)| (format!("{name} [{what}]"), tongbao::search::SearchRequest { filters, ..req.clone() }))
                .collect::<Vec<_>>()
        })
        .collect();
    cases.extend(extra);
    cases.push(("browsing".into(), request("", Default::default(), true)));
    for code in ["4·28", "“4·28”专案", "（2023）粤0304刑初123号", "4-28"] {
        cases.push((format!("code {code}"), request(code, Default::default(), true)));
    }
    // Words no bulletin has together: the page is filled by partial matches.
    cases.push(("partial".into(), request("养老诈骗 追赃挽损 无人机黑飞", Default::default(), true)));
    cases
}

/// Search every case in both stores. Everything but the order of the top ten must agree
/// for every case (asserted here); the cases whose top ten differ in order or scores are
/// returned, described.
fn compare_searches(ix: &Path, store: &str) -> (usize, Vec<String>, Vec<String>) {
    let handle = open_local(ix);
    let solr = connect(store);
    let resources = tongbao::resources::Resources::embedded();
    let jieba = tongbao::analysis::dictionary::shared(&resources.get("dictionary.txt").unwrap());
    let cases = search_cases();
    let (mut differing, mut problems) = (Vec::new(), Vec::new());
    // Everything that must agree is collected, so one run reports every case.
    macro_rules! agree {
        ($a:expr, $b:expr, $($what:tt)+) => {
            if $a != $b {
                problems.push(format!("{}: cluster {:?} local {:?}", format!($($what)+), $a, $b));
            }
        };
    }
    for (i, (name, req)) in cases.iter().enumerate() {
        // Every eighth case also explains its scores, leaf by leaf.
        let req = &tongbao::search::SearchRequest { explain: i % 8 == 0, ..req.clone() };
        let local = tongbao::search::search(&handle, &jieba, req).unwrap();
        let remote = tongbao::cluster::search::search(&solr, &jieba, req).unwrap_or_else(|e| panic!("{name}: {e}"));
        agree!(remote.total, local.total, "{name}: bulletins matching");
        agree!(
            (remote.literal_total, remote.words_total, remote.synonym_total, remote.category_total),
            (local.literal_total, local.words_total, local.synonym_total, local.category_total),
            "{name}: matches per kind"
        );
        let (lf, rf) = (local.facets.as_ref().unwrap(), remote.facets.as_ref().unwrap());
        agree!(rf, lf, "{name}: facets (every kind, months and undated too)");
        agree!(remote.hits.len(), local.hits.len(), "{name}: hits on the page");
        agree!((remote.partial_total, remote.undated_left_out), (local.partial_total, local.undated_left_out), "{name}: partial matches, undated left out");
        let row = |h: &tongbao::search::Hit| format!("{}:{:.4}", &h.id[..8], h.score);
        let (lrows, rrows): (Vec<String>, Vec<String>) = (local.hits.iter().map(row).collect(), remote.hits.iter().map(row).collect());
        // Browsing orders by date; bulletins of one day tie, broken by document address
        // locally and by id in Solr, so only the dates' order can agree.
        let browsing = req.query.trim().is_empty();
        // Bulletins whose scores are equal (to float rounding) may come in either order.
        let tied = |hits: &[tongbao::search::Hit], s: f32| hits.iter().filter(|h| scores_agree(h.score, s)).map(|h| h.id.clone()).collect::<BTreeSet<_>>();
        let same = local.hits.iter().zip(&remote.hits).all(|(l, r)| {
            if browsing {
                l.date == r.date
            } else {
                scores_agree(l.score, r.score) && (l.id == r.id || tied(&local.hits, l.score) == tied(&remote.hits, r.score))
            }
        });
        if !same {
            differing.push(format!("{name}: local {lrows:?} cluster {rrows:?}"));
        }
        for r in &remote.hits {
            let Some(l) = local.hits.iter().find(|l| l.id == r.id) else { continue };
            agree!((r.match_kind, r.partial), (l.match_kind, l.partial), "{name}: kind of {}", l.path);
            agree!((&r.path, &r.title, &r.date, &r.province, &r.city, &r.group), (&l.path, &l.title, &l.date, &l.province, &l.city, &l.group), "{name}");
            let passages = |h: &tongbao::search::Hit| h.passages.iter().map(|p| (p.text.clone(), p.highlights.clone())).collect::<Vec<_>>();
            agree!(passages(r), passages(l), "{name}: passages of {}", l.path);
            agree!((&r.title_highlights, &r.expanded), (&l.title_highlights, &l.expanded), "{name}: {}", l.path);
            let parts = |h: &tongbao::search::Hit| h.explain.iter().flatten().map(|c| c.what.clone()).collect::<Vec<_>>();
            agree!(parts(r), parts(l), "{name}: what the score of {} is made of", l.path);
            let scores = |h: &tongbao::search::Hit| h.explain.iter().flatten().map(|c| c.score).collect::<Vec<_>>();
            let (rs, ls) = (scores(r), scores(l));
            if rs.len() == ls.len() && !rs.iter().zip(&ls).all(|(a, b)| scores_agree(*a, *b)) {
                problems.push(format!("{name}: explained scores of {}: cluster {rs:?} local {ls:?}", l.path));
            }
        }
    }
    (cases.len(), differing, problems)
}

#[test]
fn searching_the_cluster_finds_what_the_local_index_finds() {
    // Stops a node at the end: no other test may see it go down.
    let Some((h, _nodes)) = cluster_alone() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let root = search_corpus(tmp.path(), 2000);
    let ix = tmp.path().join("ix");
    index_locally(&ix, &[&root]);

    // One shard (two replicas): every statistic Lucene reads per shard is the collection's,
    // so the same plan gives the same page, order and scores (to float rounding).
    let single = h.store(0, "t_search1");
    ok({
        let mut c = tongbao(&single);
        c.args(["cluster", "init", "--shards", "1", "--replicas", "2"]);
        c
    });
    index_into(&single, &[&root], &[]);
    let (n, single_differing, single_problems) = compare_searches(&ix, &single);
    assert!(n > 150, "{n}");
    eprintln!("one shard: {} of {n} searches in the same order with the same scores; differing: {single_differing:#?}", n - single_differing.len());

    // Two shards: the same again. Each shard weighs a phrase over both forms of a bigram
    // from the forms it has (`Translation::per_shard_boost`), so where a shard lacks a
    // form the collection has, scores still agree.
    let sharded = h.store(0, "t_search2");
    init(&sharded);
    index_into(&sharded, &[&root], &[]);
    let (n, differing, problems) = compare_searches(&ix, &sharded);
    eprintln!("two shards: {} of {n} searches in the same order with the same scores; differing: {differing:#?}", n - differing.len());

    // A node stops while searches run through it: the client moves on to the other node,
    // and the other replica of each shard answers.
    let solr = connect(&h.store(1, "t_search2"));
    let resources = tongbao::resources::Resources::embedded();
    let jieba = tongbao::analysis::dictionary::shared(&resources.get("dictionary.txt").unwrap());
    let req = request("养老诈骗", Default::default(), false);
    let before = tongbao::cluster::search::search(&solr, &jieba, &req).unwrap();
    let searching = std::sync::atomic::AtomicBool::new(true);
    std::thread::scope(|s| {
        let searcher = s.spawn(|| {
            let mut runs = 0;
            while searching.load(std::sync::atomic::Ordering::Relaxed) || runs < 5 {
                let r = tongbao::cluster::search::search(&solr, &jieba, &req).unwrap_or_else(|e| panic!("search {runs} with a node down: {e}"));
                assert_eq!(r.total, before.total);
                runs += 1;
            }
            runs
        });
        std::thread::sleep(Duration::from_millis(300));
        h.tell("stop 1");
        std::thread::sleep(Duration::from_secs(2));
        searching.store(false, std::sync::atomic::Ordering::Relaxed);
        let runs = searcher.join().unwrap();
        assert!(runs >= 5, "{runs}");
    });
    let during = tongbao::cluster::search::search(&solr, &jieba, &req).unwrap();
    assert_eq!(during.hits.iter().map(|h| &h.id).collect::<Vec<_>>(), before.hits.iter().map(|h| &h.id).collect::<Vec<_>>());
    h.tell("start 1");

    // And through the command line, with the same output as the local index's.
    let args = ["search", "养老诈骗", "--json", "--no-partial"];
    let local = support::stdout(&support::ok(&ix, &args));
    let remote = support::stdout(&ok({
        let mut c = tongbao(&single);
        c.args(args);
        c
    }));
    let paths = |out: &str| {
        out.lines().filter_map(|l| serde_json::from_str::<Value>(l).ok()).filter_map(|v| v["path"].as_str().map(str::to_string)).collect::<Vec<_>>()
    };
    let (lp, rp) = (paths(&local), paths(&remote));
    assert!(lp.len() >= 5, "{local}");
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(sorted(rp), sorted(lp));

    eprintln!("problems: one shard {single_problems:#?}, two shards {problems:#?}");
    assert!(single_problems.is_empty(), "one shard: {single_problems:#?}");
    assert!(problems.is_empty(), "two shards: {problems:#?}");
    assert!(single_differing.is_empty(), "{} of {n} searches differ in order or score on one shard: {single_differing:#?}", single_differing.len());
    assert!(differing.is_empty(), "{} of {n} searches differ in order or score on two shards: {differing:#?}", differing.len());
}

// facets and check against a cluster (issue 18).

/// `tongbao ARGS` against the local index and against the store: (local stdout, store stdout).
fn both(ix: &Path, store: &str, args: &[&str]) -> (String, String) {
    (
        support::stdout(&support::ok(ix, args)),
        support::stdout(&ok({
            let mut c = tongbao(store);
            c.args(args);
            c
        })),
    )
}

/// Text output past its first line (which names the index or the store).
fn past_first_line(out: &str) -> &str {
    out.split_once('\n').map_or("", |(_, rest)| rest)
}

#[test]
fn facets_from_the_cluster_are_the_local_ones() {
    let Some((h, _nodes)) = cluster() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let root = search_corpus(tmp.path(), 600);
    let ix = tmp.path().join("ix");
    index_locally(&ix, &[&root]);
    // Every collection has a replica on both nodes: the harness cannot restart a node
    // that holds none of some collection's replicas (a NullPointerException in `start`).
    let single = h.store(1, "t_facets1");
    ok({
        let mut c = tongbao(&single);
        c.args(["cluster", "init", "--shards", "1", "--replicas", "2"]);
        c
    });
    let sharded = h.store(0, "t_facets2");
    init(&sharded);
    for store in [&single, &sharded] {
        index_into(store, &[&root], &[]);
    }

    // The counts are worth comparing: every kind has values, some bulletins are undated.
    let local = support::stdout(&support::ok(&ix, &["facets", "--json"]));
    let whole: Value = serde_json::from_str(local.trim()).unwrap();
    for kind in ["province", "city", "category", "year"] {
        assert!(whole["facets"][kind].as_array().unwrap().len() >= 5, "{kind}: {local}");
    }
    assert!(whole["facets"]["month"].as_array().unwrap().len() >= 12, "{local}");
    assert!(whole["facets"]["undated"].as_u64().unwrap() >= 1, "{local}");

    let runs: [&[&str]; 12] = [
        &["facets"],
        &["facets", "--json"],
        &["facets", "--by", "month"],
        &["facets", "--by", "month", "--json"],
        &["facets", "--by", "city,category"],
        &["facets", "--by", "province,year"],
        &["facets", "--by", "province,year", "--json"],
        &["facets", "--by", "category,month", "--json"],
        &["facets", "--by", "month,province"],
        &["facets", "--by", "year,city", "--json"],
        &["facets", "--by", "city,month"],
        &["facets", "--by", "category,year"],
    ];
    for store in [&single, &sharded] {
        for args in runs {
            let (local, remote) = both(&ix, store, args);
            if args.contains(&"--json") {
                assert_eq!(remote, local, "{store} {args:?}");
            } else {
                let total = local.lines().next().unwrap().split(' ').next().unwrap().to_string();
                assert_eq!(remote.lines().next().unwrap(), format!("{total} bulletins in {store}"), "{store} {args:?}");
                assert_eq!(past_first_line(&remote), past_first_line(&local), "{store} {args:?}");
            }
        }
        let (local, _) = both(&ix, store, &["facets", "--by", "province,year", "--json"]);
        let table: Value = serde_json::from_str(local.trim()).unwrap();
        assert!(table["rows"].as_array().unwrap().len() >= 5 && table["undated"].as_array().is_some(), "{local}");

        // Searches with counts: the facets record of the same query and filters is the same.
        let searches: [&[&str]; 5] = [
            &["search", "诈骗", "--province", "广东"],
            &["search", "--from", "2022", "--to", "2023-06"],
            &["search", "酒驾", "--from", "2021-03", "--include-undated"],
            &["search", "--category", "/诈骗"],
            &["search", "盗窃", "--city", "深圳"],
        ];
        for search in searches {
            let mut args = search.to_vec();
            args.extend(["--json", "--no-partial", "--facets", "province,city,category,year,month"]);
            let (local, remote) = both(&ix, store, &args);
            let facets = |out: &str| out.lines().find(|l| l.contains(r#""type":"facets""#)).map(str::to_string);
            let lf = facets(&local).unwrap_or_else(|| panic!("{args:?}: no facets record: {local}"));
            assert_eq!(facets(&remote).as_deref(), Some(lf.as_str()), "{store} {args:?}");
        }
    }
}

#[test]
fn checking_the_cluster_finds_what_is_wrong_and_says_how_to_fix_it() {
    let Some((h, _nodes)) = cluster() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let samples = corpus(tmp.path(), 0);
    let store = h.store(0, "t_check");
    init(&store);
    index_into(&store, &[&samples], &[]);
    let documents = count(&store);
    let check = |args: &[&str]| {
        let mut c = tongbao(&store);
        c.arg("check").args(args);
        c.output().unwrap()
    };

    // Sound: exit 0, one line, and the report in the local check's shape.
    let o = check(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", support::stderr(&o));
    assert_eq!(
        support::stdout(&o),
        format!("{store}: OK ({documents} bulletins in 2 shards, 4 replicas; schema, leaders, replicas and bookkeeping verified)\n")
    );
    let o = check(&["--json"]);
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((report["documents"].as_u64(), report["shards"].as_u64(), report["replicas"].as_u64()), (Some(documents), Some(2), Some(4)), "{report}");
    assert_eq!(report["problems"], serde_json::json!([]));
    // Nothing to repair in place: refused in one line.
    let o = check(&["--repair"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(support::stderr(&o).trim().lines().count(), 1, "{}", support::stderr(&o));
    assert!(support::stderr(&o).contains("--repair"), "{}", support::stderr(&o));

    // A document overwritten by hand without its bookkeeping: exit 1, the problem, the fix.
    let solr = connect(&store);
    let victim = ingest::known(&solr).unwrap().into_iter().map(|(id, k)| (id, k.path)).min().unwrap();
    let path = victim.1.to_string_lossy().to_string();
    let bare = serde_json::to_vec(&serde_json::json!([{ "id": victim.0, "path": path }])).unwrap();
    solr.post_json_bytes("update", &[("commit", "true")], bare).unwrap();
    let o = check(&[]);
    let out = support::stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.starts_with(&format!("{store}: 4 problem(s)\n")), "{out}");
    for f in ["hash", "size", "mtime", "idhash"] {
        assert!(out.contains(&format!("  - 1 document has no `{f}` (")), "{f}: {out}");
    }
    let fix = format!("    fix: send their files again: `tongbao --store {store} index --full {path}`");
    assert_eq!(out.matches(&fix).count(), 4, "{out}");
    let report: Value = serde_json::from_slice(&check(&["--json"]).stdout).unwrap();
    assert_eq!(report["problems"].as_array().unwrap().len(), 4, "{report}");
    assert!(report["problems"][0]["what"].as_str().unwrap().contains(&victim.0), "{report}");

    // Following the fix makes the collection sound again.
    index_into(&store, &[&victim.1], &["--full"]);
    let o = check(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", support::stdout(&o));

    // Made for another version: the mismatch and the way out.
    let other = h.store(1, "t_check_other");
    let solr = connect(&other);
    let schema = tongbao::cluster::configset::stamped_schema("tongbao-1-0000000000000000");
    for (file, text) in [("schema.xml", schema.as_str()), ("solrconfig.xml", tongbao::cluster::configset::SOLRCONFIG_XML)] {
        solr.admin_post_bytes(
            "admin/configs",
            &[("action", "UPLOAD"), ("name", "old.t_check_other"), ("filePath", file), ("overwrite", "true")],
            text.as_bytes(),
        )
        .unwrap();
    }
    let params = [
        ("action", "CREATE"),
        ("name", "t_check_other"),
        ("collection.configName", "old.t_check_other"),
        ("numShards", "1"),
        ("replicationFactor", "2"),
        ("waitForFinalState", "true"),
    ];
    solr.admin_get("admin/collections", &params).unwrap();
    let o = tongbao(&other).args(["check", "--json"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", support::stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{report}");
    assert!(
        problems[0]["what"]
            .as_str()
            .unwrap()
            .starts_with("collection t_check_other was made for another version of tongbao (schema tongbao-1-0000000000000000;"),
        "{report}"
    );
    assert!(problems[0]["fix"].as_str().unwrap().contains(&format!("tongbao --store {other} cluster init --recreate")), "{report}");

    // No such collection: a problem too, with the command that makes it.
    let o = tongbao(&h.store(0, "t_check_nothing")).arg("check").output().unwrap();
    let out = support::stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("collection t_check_nothing does not exist") && out.contains("fix: create it with `tongbao --store"), "{out}");
}

/// A `tongbao serve` process on an ephemeral port, killed when dropped.
struct Serving {
    child: Child,
    url: String,
}

impl Serving {
    fn start(mut command: Command) -> Serving {
        let mut child = command.args(["serve", "--listen", "127.0.0.1:0"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("start tongbao serve");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).expect("startup line");
        let url =
            first.split_whitespace().find(|w| w.starts_with("http://")).unwrap_or_else(|| panic!("no URL in {first:?}")).trim_end_matches('/').to_string();
        Serving { child, url }
    }

    /// Status and body of a GET.
    fn get(&self, path_and_query: &str) -> (u16, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(120))).build().into();
        let url = format!("{}{path_and_query}", self.url);
        let mut r = agent.get(&url).call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap_or_default())
    }

    fn json(&self, path_and_query: &str) -> Value {
        let (status, body) = self.get(path_and_query);
        assert_eq!(status, 200, "{} {path_and_query}: {body}", self.url);
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path_and_query}: {e}: {body}"))
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn enc(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// An `/api/search` answer with what may differ between the stores set aside: the time
/// taken, scores (compared to float rounding by the caller) and month counts (not counted
/// by the cluster yet).
fn comparable(mut answer: Value) -> (Value, Vec<f64>) {
    let a = answer.as_object_mut().unwrap();
    a.remove("took_ms");
    if let Some(f) = a.get_mut("facets").and_then(Value::as_object_mut) {
        f.remove("month");
    }
    let hits = a["hits"].as_array_mut().unwrap();
    let scores = hits.iter_mut().map(|h| h.as_object_mut().unwrap().remove("score").unwrap().as_f64().unwrap()).collect();
    (answer, scores)
}

#[test]
fn serving_the_cluster_answers_as_serving_the_local_index() {
    // Stops a node at the end: no other test may see it go down.
    let Some((h, _nodes)) = cluster_alone() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let root = search_corpus(tmp.path(), 1000);
    // A bulletin republished elsewhere, so that one view lists copies.
    let original = std::fs::read_dir(root.join("dev")).unwrap().map(|e| e.unwrap().path()).min().unwrap();
    std::fs::create_dir_all(root.join("republished")).unwrap();
    std::fs::copy(&original, root.join("republished").join(original.file_name().unwrap())).unwrap();
    let ix = tmp.path().join("ix");
    index_locally(&ix, &[&root]);
    // One shard: the same page, order and scores as locally (see the search test).
    let store = h.store(0, "t_serve");
    ok({
        let mut c = tongbao(&store);
        c.args(["cluster", "init", "--shards", "1", "--replicas", "2"]);
        c
    });
    index_into(&store, &[&root], &[]);

    let local = Serving::start(support::tongbao(&ix));
    let remote = Serving::start(tongbao(&store));

    let queries = [
        format!("q={}", enc("养老诈骗")),
        format!("q={}&facets=true", enc("诈骗")),
        format!("q={}&limit=5&offset=5", enc("电信网络诈骗")),
        format!("q={}&province={}", enc("诈骗"), enc("广东")),
        format!("q={}&category={}&from=2021-01-01&to=2023-12-31&facets=1", enc("公安"), enc("诈骗")),
        format!("q={}&sort=date&limit=20", enc("扫黑除恶")),
        format!("q={}&exact=true", enc("酒驾醉驾 整治")),
        format!("q={}", enc("喝酒开车")),
        format!("q={}&city={}", enc("民警"), enc("广西壮族自治区/南宁市")),
    ];
    let mut compared_hits = 0;
    for q in &queries {
        let path = format!("/api/search?{q}");
        let (l, r) = (local.json(&path), remote.json(&path));
        let ((l, lscores), (r, rscores)) = (comparable(l), comparable(r));
        assert_eq!(r, l, "{path}: the cluster's answer differs from the local one");
        assert!(lscores.iter().zip(&rscores).all(|(a, b)| scores_agree(*a as f32, *b as f32)), "{path}: scores local {lscores:?} cluster {rscores:?}");
        compared_hits += rscores.len();
    }
    assert!(compared_hits >= 50, "too few hits compared ({compared_hits}): the corpus does not exercise the comparison");

    // Browsing (no words) orders by date: bulletins of one day tie, broken by document
    // address locally and by id in Solr, so only the counts and the dates' order agree.
    let browse = format!("/api/search?province={}&facets=true", enc("广东"));
    let (l, r) = (local.json(&browse), remote.json(&browse));
    assert_eq!((&r["total"], &r["totals"], &r["sort"]), (&l["total"], &l["totals"], &l["sort"]), "{browse}");
    let dates = |a: &Value| a["hits"].as_array().unwrap().iter().map(|h| h["date"].clone()).collect::<Vec<_>>();
    assert_eq!(dates(&r), dates(&l), "{browse}");

    // A whole bulletin, marked for a query, and one with copies elsewhere.
    let first = local.json(&format!("/api/search?q={}&limit=1", enc("养老诈骗")));
    let id = first["hits"][0]["id"].as_str().unwrap().to_string();
    let view = format!("/api/bulletin/{id}?q={}", enc("养老诈骗"));
    let (lv, rv) = (local.json(&view), remote.json(&view));
    assert!(!lv["highlights"].as_array().unwrap().is_empty(), "{lv}");
    assert_eq!(rv, lv, "{view}");
    let groups = grouping(local_docs(&ix).iter().map(|(id, (_, g))| (id, *g)));
    let with_copies = groups.iter().next().and_then(|g| g.iter().next()).expect("a bulletin with copies in the corpus");
    let view = format!("/api/bulletin/{with_copies}");
    let (lv, rv) = (local.json(&view), remote.json(&view));
    assert!(!lv["copies"].as_array().unwrap().is_empty(), "{lv}");
    assert_eq!(rv, lv, "{view}");

    // Counts over everything.
    let (mut lf, mut rf) = (local.json("/api/facets"), remote.json("/api/facets"));
    for f in [&mut lf, &mut rf] {
        f["facets"].as_object_mut().unwrap().remove("month");
    }
    assert_eq!(rf, lf, "/api/facets");
    let (lh, rh) = (local.json("/api/health"), remote.json("/api/health"));
    assert_eq!((&rh["status"], &rh["documents"]), (&lh["status"], &lh["documents"]));
    assert_eq!(rh["index"], store.as_str());
    assert!(rh["segments"].is_null() && lh["segments"].as_u64().unwrap() >= 1, "{rh} {lh}");

    // The page and its assets.
    for page in ["/", &format!("/bulletin/{id}"), "/assets/app.js"] {
        let (status, body) = remote.get(page);
        assert_eq!(status, 200, "{page}");
        assert_eq!(body, local.get(page).1, "{page}");
    }

    // Errors are the local server's, status and body.
    for bad in [
        "/api/search?q=x&limit=500".to_string(),
        format!("/api/search?q=x&provnice={}", enc("广东")),
        format!("/api/search?q=x&province={}", enc("火星")),
        "/api/search?q=x&from=2023-13-01".to_string(),
        format!("/api/search?q={}", enc("。，！")),
        "/api/bulletin/0123456789abcdef".to_string(),
        "/api/facets?x=1".to_string(),
        "/api/nothing".to_string(),
    ] {
        let (l, r) = (local.get(&bad), remote.get(&bad));
        assert!((400..500).contains(&l.0), "{bad}: {l:?}");
        assert_eq!(r, l, "{bad}");
    }
    drop((local, remote));

    // A store that cannot answer: a collection with a single replica whose node stops.
    // The server stays up, says so in a 503, and answers again once the node is back.
    let single = h.store(0, "t_serve_down");
    ok({
        let mut c = tongbao(&single);
        c.args(["cluster", "init", "--shards", "1", "--replicas", "1"]);
        c
    });
    index_into(&single, &[&root.join("samples")], &[]);
    let replica_node = status(&single)["shards"][0]["replicas"][0]["node"].as_str().unwrap().to_string();
    let node = h.nodes.iter().position(|n| *n == replica_node).unwrap_or_else(|| panic!("{replica_node} is not among {:?}", h.nodes));
    let server = Serving::start({
        let mut c = tongbao(&h.store(1 - node, "t_serve_down"));
        c.env("TONGBAO_SOLR_RETRY_SECS", "2");
        c
    });
    let query = format!("/api/search?q={}", enc("诈骗"));
    let before = server.json(&query);
    assert!(before["total"].as_u64().unwrap() > 0, "{before}");
    h.tell(&format!("stop {node}"));
    let started = std::time::Instant::now();
    let (status, body) = server.get(&query);
    assert!(started.elapsed() < Duration::from_secs(15), "{:?}", started.elapsed());
    assert_eq!(status, 503, "{body}");
    let error: Value = serde_json::from_str(&body).unwrap();
    assert!(error["error"].as_str().unwrap().starts_with("cannot reach SolrCloud for t_serve_down/"), "{body}");
    let (status, body) = server.get("/api/health");
    assert_eq!(status, 503, "{body}");
    assert_eq!(server.get("/").0, 200, "the page is served while the store is down");
    let back = h.tell(&format!("start {node}"));
    assert_eq!(back["active"], true, "{back}");
    let started = std::time::Instant::now();
    let after = loop {
        let (status, body) = server.get(&query);
        if status == 200 {
            break serde_json::from_str::<Value>(&body).unwrap();
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the server did not recover: {status} {body}");
        std::thread::sleep(Duration::from_millis(500));
    };
    assert_eq!(comparable(after).0, comparable(before).0);
}

#[test]
fn serving_a_cluster_refuses_watch_in_one_line() {
    // Refused before any connection: no harness needed.
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus-samples");
    let o = tongbao("solr:http://127.0.0.1:9/solr/x").args(["serve", "--listen", "127.0.0.1:0", "--watch"]).arg(&samples).output().unwrap();
    let err = support::stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("`tongbao serve --watch` keeps a local index current and does not work with a SolrCloud store"), "{err}");
}

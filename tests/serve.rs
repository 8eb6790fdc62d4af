//! End to end: `tongbao serve` on an ephemeral port over a generated index. Every endpoint,
//! every parameter error, the page's security headers and id-only bulletin lookup,
//! answers identical to `search --json`, readers that never fail while a writer commits,
//! and a clean shutdown.

mod support;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::*;

/// A `tongbao serve` process, killed when dropped.
struct Served {
    child: Child,
    url: String,
    /// Its stderr, collected until it exits.
    log: Option<std::thread::JoinHandle<String>>,
}

impl Served {
    fn start(index: &Path, extra: &[&str]) -> Served {
        let mut child = tongbao(index)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start tongbao serve");
        let stderr = child.stderr.take().unwrap();
        let log = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).expect("startup line");
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in the startup line {first:?}"))
            .trim_end_matches('/')
            .to_string();
        Served { child, url, log: Some(log) }
    }

    fn port(&self) -> u16 {
        self.url.rsplit(':').next().unwrap().parse().unwrap()
    }

    fn get(&self, path_and_query: &str) -> Answer {
        get(&format!("{}{path_and_query}", self.url))
    }

    fn json(&self, path_and_query: &str) -> Value {
        let a = self.get(path_and_query);
        assert_eq!(a.status, 200, "{path_and_query}: {}", a.body);
        serde_json::from_str(&a.body).unwrap_or_else(|e| panic!("{path_and_query}: {e}: {}", a.body))
    }

    /// Send a signal and wait for the process; returns whether it exited successfully, and
    /// its stderr.
    fn stop(mut self, signal: &str) -> (bool, String) {
        let sent = std::process::Command::new("kill").args([signal, &self.child.id().to_string()]).status().unwrap();
        assert!(sent.success());
        let start = Instant::now();
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "serve did not stop on {signal}");
            std::thread::sleep(Duration::from_millis(20));
        };
        let log = self.log.take().unwrap().join().unwrap();
        (status.success(), log)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn error(&self) -> (String, String) {
        let v: Value = serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body));
        (v["parameter"].as_str().unwrap_or("").to_string(), v["error"].as_str().unwrap_or("").to_string())
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(60))).build().into()
}

fn get(url: &str) -> Answer {
    let mut r = agent().get(url).call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let headers = r.headers().iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string())).collect();
    let status = r.status().as_u16();
    let body = r.body_mut().read_to_string().unwrap_or_default();
    Answer { status, headers, body }
}

/// A request written byte for byte (paths a client library would normalise, other Host
/// headers). Returns the status line's code and the whole answer.
fn raw(port: u16, request_line_target: &str, host: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "GET {request_line_target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let code = answer.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (code, answer)
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// corpus-samples plus generated bulletins: a republished one (two identical copies),
/// one whose title and source address are markup, one whose body holds a script tag.
fn corpus(root: &Path) -> PathBuf {
    let docs = root.join("docs");
    fs::create_dir_all(docs.join("mirror")).unwrap();
    for e in fs::read_dir(samples_dir()).unwrap().flatten() {
        fs::copy(e.path(), docs.join(e.file_name())).unwrap();
    }
    let copy = "---\ntitle: 荔湾警方捣毁一个制售假酒窝点\ndate: 2024-02-06\nprovince: 广东\ncity: 广州\n---\n2月6日，广州市公安局荔湾区分局通报，民警在城中村一出租屋内捣毁一个制售假酒窝点，现场查获假冒白酒六百余瓶。\n\n经查，犯罪嫌疑人从网上购买空酒瓶和包装盒，灌装廉价散酒后冒充名酒销售。目前，犯罪嫌疑人已被依法刑事拘留。\n";
    fs::write(docs.join("liwan-jiajiu-2024-02.md"), copy).unwrap();
    fs::write(docs.join("mirror/liwan-jiajiu-2024-02-copy.md"), copy).unwrap();
    fs::write(
        docs.join("xss-title.md"),
        "---\ntitle: \"<img src=x onerror=alert(1)>警方通报跨境赌博案\"\ndate: 2023-03-02\nurl: \"javascript:alert(3)\"\n---\n3月2日，某市公安局通报一起跨境赌博案件，抓获犯罪嫌疑人12名。\n",
    )
    .unwrap();
    fs::write(
        docs.join("xss-body.txt"),
        "某市警方通报网络赌博案件侦破情况\n\n2023年4月5日，某市公安局召开新闻发布会，通报网络赌博案件。涉案网站在页面中嵌入<script>alert(document.cookie)</script>代码诱导用户下载赌博软件。\n",
    )
    .unwrap();
    docs
}

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus-samples")
}

/// A temporary folder with the corpus indexed into `ix`.
fn indexed() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let docs = corpus(tmp.path());
    let index = tmp.path().join("ix");
    ok(&index, &["index", docs.to_str().unwrap()]);
    (tmp, docs, index)
}

/// NDJSON hit lines of a CLI search.
fn cli_hits(index: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    let o = run(index, &all);
    stdout(&o)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["type"] == "hit")
        // The API's hits are the same objects, without the record type of the NDJSON stream.
        .map(|mut v| {
            v.as_object_mut().map(|o| o.remove("type"));
            v
        })
        .collect()
}

#[test]
fn search_answers_with_the_hits_of_search_json() {
    let (_tmp, _docs, index) = indexed();
    let s = Served::start(&index, &[]);
    let cases: &[(&str, &[&str])] = &[
        ("q=养老诈骗", &["养老诈骗"]),
        ("q=喝酒开车&limit=3", &["喝酒开车", "-n", "3"]),
        ("q=刷单&limit=20", &["刷单", "-n", "20"]),
        ("q=公安&province=广西&category=/诈骗&sort=date", &["公安", "--province", "广西", "--category", "/诈骗", "--sort", "date"]),
        ("q=诈骗 -澳门&offset=5&limit=5", &["诈骗 -澳门", "--offset", "5", "-n", "5"]),
        ("q=电诈&exact=true", &["电诈", "--exact"]),
        ("q=公安机关&from=2022-06&to=2022-08", &["公安机关", "--from", "2022-06", "--to", "2022-08"]),
    ];
    for (api, cli) in cases {
        let q: String = api.split('&').map(|kv| kv.split_once('=').map(|(k, v)| format!("{k}={}", enc(v))).unwrap_or_default()).collect::<Vec<_>>().join("&");
        let answer = s.json(&format!("/api/search?{q}"));
        let want = cli_hits(&index, cli);
        let got = answer["hits"].as_array().unwrap();
        assert!(!want.is_empty(), "{api}: the CLI found nothing, so the comparison proves nothing");
        assert_eq!(got, &want, "{api}: the API's hits differ from search --json");
        let t = &answer["totals"];
        let parts = ["literal", "words", "expanded"].map(|k| t[k].as_u64().unwrap());
        assert_eq!(parts.iter().sum::<u64>(), answer["total"].as_u64().unwrap(), "{api}: {t}");
    }
    // Titles come with the places a line may break: where jieba starts a word.
    let a = s.json(&format!("/api/search?q={}&limit=3", enc("养老诈骗")));
    for h in a["hits"].as_array().unwrap() {
        let title: Vec<char> = h["title"].as_str().unwrap().chars().collect();
        let breaks: Vec<usize> = a["title_breaks"][h["id"].as_str().unwrap()].as_array().unwrap().iter().map(|b| b.as_u64().unwrap() as usize).collect();
        assert!(breaks.len() >= 3 && breaks.windows(2).all(|w| w[0] < w[1]) && breaks.iter().all(|b| *b > 0 && *b < title.len()), "{breaks:?}");
        let at: String = title.iter().collect();
        let word = at.find("养老诈骗").map(|byte| at[..byte].chars().count());
        if let Some(start) = word {
            assert!(!breaks.iter().any(|b| *b > start && *b < start + 4), "养老诈骗 may be broken in {at}: {breaks:?}");
        }
    }
    // 刷单 is also a category word: both kinds are counted and marked.
    let a = s.json(&format!("/api/search?q={}&limit=50", enc("刷单")));
    let kinds: Vec<&str> = a["hits"].as_array().unwrap().iter().filter_map(|h| h["match"].as_str()).collect();
    assert!(kinds.contains(&"literal") && kinds.contains(&"category"), "{kinds:?}");
    let literal = kinds.iter().filter(|k| **k == "literal").count() as u64;
    assert_eq!(a["totals"]["literal"].as_u64(), Some(literal), "every literal hit is on this page, so the count is theirs");
}

#[test]
fn filters_sorting_paging_facets_and_browsing() {
    let (_tmp, _docs, index) = indexed();
    let s = Served::start(&index, &[]);
    // Short names resolve as in the CLI; repeated values are alternatives.
    let a = s.json(&format!("/api/search?q={}&province={}&province={}&limit=100", enc("公安"), enc("桂"), enc("广东")));
    assert_eq!(a["filters"]["regions"], serde_json::json!(["/广西壮族自治区", "/广东省"]));
    let provinces: std::collections::BTreeSet<&str> = a["hits"].as_array().unwrap().iter().filter_map(|h| h["province"].as_str()).collect();
    assert_eq!(provinces.into_iter().collect::<Vec<_>>(), vec!["广东省", "广西壮族自治区"]);
    // A city given as its facet path (what the page sends).
    let a = s.json(&format!("/api/search?q={}&city={}", enc("养老诈骗"), enc("广西壮族自治区/南宁市")));
    assert!(a["total"].as_u64().unwrap() >= 1);
    assert!(a["hits"].as_array().unwrap().iter().all(|h| h["city"] == "南宁市"));

    // Date filters: hits inside the range, undated bulletins counted as left out.
    let a = s.json(&format!("/api/search?q={}&from=2022&to=2022&limit=100", enc("公安")));
    for h in a["hits"].as_array().unwrap() {
        assert!(h["date"].as_str().is_some_and(|d| d.starts_with("2022")), "{h}");
    }
    let undated = a["totals"]["undated_left_out"].as_u64().expect("undated_left_out with a date filter");
    assert!(undated >= 2, "corpus-samples has undated bulletins that say 公安: {undated}");
    let b = s.json(&format!("/api/search?q={}", enc("公安")));
    assert!(b["totals"].get("undated_left_out").is_none(), "no date filter, nothing left out");
    // include_undated lets them through: the same dated hits plus exactly those left out.
    let c = s.json(&format!("/api/search?q={}&from=2022&to=2022&limit=100&include_undated=true", enc("公安")));
    assert_eq!(c["total"].as_u64().unwrap(), a["total"].as_u64().unwrap() + undated, "{c}");
    assert_eq!(c["hits"].as_array().unwrap().iter().filter(|h| h["date"].is_null()).count() as u64, undated);

    // Newest first; pages continue each other.
    let a = s.json(&format!("/api/search?q={}&sort=date&limit=100", enc("公安")));
    let dates: Vec<&str> = a["hits"].as_array().unwrap().iter().filter_map(|h| h["date"].as_str()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let a = s.json(&format!("/api/search?q={}&sort=oldest&limit=100", enc("公安")));
    assert_eq!(a["sort"], "oldest");
    let oldest: Vec<&str> = a["hits"].as_array().unwrap().iter().filter_map(|h| h["date"].as_str()).collect();
    assert!(oldest.len() >= 3 && oldest.windows(2).all(|w| w[0] <= w[1]), "{oldest:?}");
    assert_eq!(oldest, dates.iter().rev().copied().collect::<Vec<_>>(), "oldest first is newest first reversed");
    let all = s.json(&format!("/api/search?q={}&limit=10", enc("公安")));
    let second = s.json(&format!("/api/search?q={}&limit=5&offset=5", enc("公安")));
    let ids = |v: &Value| -> Vec<String> { v["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect() };
    assert_eq!(ids(&second), ids(&all)[5..].to_vec());
    assert_eq!(second["hits"][0]["rank"], 6);

    // Facets and months for the result set.
    let a = s.json(&format!("/api/search?q={}&facets=true", enc("养老诈骗")));
    let f = &a["facets"];
    let months: u64 = f["month"].as_array().unwrap().iter().map(|m| m[1].as_u64().unwrap()).sum();
    let years: u64 = f["year"].as_array().unwrap().iter().map(|y| y[1].as_u64().unwrap()).sum();
    assert_eq!(months, years, "every dated bulletin is in one month and one year");
    assert!(f["month"].as_array().unwrap().iter().any(|m| m[0] == "2022-07"), "{}", f["month"]);
    assert!(f["province"].as_array().unwrap().iter().any(|p| p[0] == "/广西壮族自治区"));
    assert!(s.json(&format!("/api/search?q={}", enc("养老诈骗"))).get("facets").is_none(), "facets only when asked");

    // No words: browse what passes the filters, newest first, with no match kinds.
    let a = s.json(&format!("/api/search?province={}&limit=100", enc("广西")));
    assert_eq!(a["sort"], "date");
    let hits = a["hits"].as_array().unwrap();
    assert_eq!(hits.len() as u64, a["total"].as_u64().unwrap());
    assert!(hits.len() >= 5 && hits.iter().all(|h| h["province"] == "广西壮族自治区" && h.get("match").is_none()));
    let everything = s.json("/api/search");
    assert_eq!(everything["total"], s.json("/api/health")["documents"]);
}

#[test]
fn every_bad_parameter_is_a_400_that_names_it() {
    let (_tmp, _docs, index) = indexed();
    let s = Served::start(&index, &[]);
    // The CLI's own words for the same mistakes.
    let cli_error = |args: &[&str]| -> String {
        let mut all = vec!["search", "公安"];
        all.extend_from_slice(args);
        let o = run(&index, &all);
        assert!(!o.status.success());
        stderr(&o).trim().trim_start_matches("tongbao: ").to_string()
    };
    let same_as_cli: &[(&str, &[&str], &str)] = &[
        ("province=火星", &["--province", "火星"], "province"),
        ("city=不存在市", &["--city", "不存在市"], "city"),
        ("category=星际走私", &["--category", "星际走私"], "category"),
        ("from=2023-02-30", &["--from", "2023-02-30"], "from"),
        ("to=昨天", &["--to", "昨天"], "to"),
        ("from=2023&to=2022", &["--from", "2023", "--to", "2022"], "from"),
    ];
    for (params, cli, parameter) in same_as_cli {
        let encoded: String = params.split('&').map(|kv| kv.split_once('=').map(|(k, v)| format!("{k}={}", enc(v))).unwrap()).collect::<Vec<_>>().join("&");
        let a = s.get(&format!("/api/search?q={}&{encoded}", enc("公安")));
        assert_eq!(a.status, 400, "{params}: {}", a.body);
        assert!(a.header("content-type").unwrap_or("").starts_with("application/json"), "{params}");
        let (named, message) = a.error();
        assert_eq!(&named, parameter, "{params}");
        assert_eq!(message, cli_error(cli), "{params}: the API and the CLI word it differently");
    }
    let long = "诈".repeat(501);
    let others: Vec<(String, &str, &str)> = vec![
        ("limit=0".into(), "limit", "between 1 and 100"),
        ("limit=101".into(), "limit", "at most 100"),
        ("limit=ten".into(), "limit", "whole number"),
        ("offset=10001".into(), "offset", "at most 10000"),
        ("offset=-5".into(), "offset", "whole number"),
        ("sort=newest".into(), "sort", "relevance, date or oldest"),
        ("include_undated=perhaps".into(), "include_undated", "true or false"),
        ("facets=perhaps".into(), "facets", "true or false"),
        ("exact=2".into(), "exact", "true or false"),
        ("provnice=x".into(), "provnice", "unknown parameter"),
        ("q=a&q=b".into(), "q", "given twice"),
        (format!("q={}", enc(&long)), "q", "too long"),
        (format!("q={}", enc("，。！")), "q", "nothing to search for"),
        (format!("q={}", enc("-诈骗")), "q", "nothing to search for"),
    ];
    for (params, parameter, words) in others {
        let a = s.get(&format!("/api/search?{params}"));
        assert_eq!(a.status, 400, "{params}: {}", a.body);
        let (named, message) = a.error();
        assert_eq!(named, parameter, "{params}");
        assert!(message.contains(words), "{params}: {message}");
    }
    for (path, parameter) in [("/api/facets?x=1", "x"), ("/api/health?verbose=1", "verbose"), ("/api/bulletin/0123456789abcdef?path=/etc/passwd", "path")] {
        let a = s.get(path);
        assert_eq!((a.status, a.error().0.as_str()), (400, parameter), "{path}");
    }
}

#[test]
fn bulletins_are_served_by_index_id_only() {
    let (tmp, docs, index) = indexed();
    let s = Served::start(&index, &[]);
    let hit = &s.json(&format!("/api/search?q={}", enc("追赃挽损 养老诈骗")))["hits"][0];
    let id = hit["id"].as_str().unwrap();
    let b = s.json(&format!("/api/bulletin/{id}?q={}", enc("养老诈骗")));
    assert_eq!(b["title"], hit["title"]);
    assert_eq!(b["path"], hit["path"]);
    assert_eq!(b["url"], hit["url"]);
    let text: Vec<char> = b["text"].as_str().unwrap().chars().collect();
    let marks: Vec<String> =
        b["highlights"].as_array().unwrap().iter().map(|s| text[s[0].as_u64().unwrap() as usize..s[1].as_u64().unwrap() as usize].iter().collect()).collect();
    // Traditional-script bulletins match the simplified query too.
    assert!(marks.len() >= 3 && marks.iter().all(|m| m == "养老诈骗" || m == "養老詐騙"), "{marks:?}");
    assert!(text.len() > 300, "the whole text, not a passage");
    let plain = s.json(&format!("/api/bulletin/{id}"));
    assert_eq!(plain["highlights"], serde_json::json!([]));
    assert!(plain["title_breaks"].as_array().unwrap().len() >= 3);

    // A republished bulletin lists its other copy, by id.
    let dup = &s.json(&format!("/api/search?q={}", enc("假酒窝点")))["hits"][0];
    assert_eq!(dup["duplicates"].as_array().unwrap().len(), 1, "{dup}");
    let b = s.json(&format!("/api/bulletin/{}", dup["id"].as_str().unwrap()));
    let copy = &b["copies"][0];
    assert_eq!(copy["path"], dup["duplicates"][0]);
    let other = s.json(&format!("/api/bulletin/{}", copy["id"].as_str().unwrap()));
    assert_eq!(other["copies"][0]["id"], dup["id"]);

    // Paths, traversal and encodings are not ids: 404 without looking anything up.
    let secret = tmp.path().join("secret.txt");
    fs::write(&secret, "不该被读到的内容").unwrap();
    let tricks = [
        "/api/bulletin/..".to_string(),
        "/api/bulletin/../../etc/passwd".to_string(),
        "/api/bulletin/%2e%2e%2f%2e%2e%2fetc%2fpasswd".to_string(),
        format!("/api/bulletin/{}", enc(&secret.display().to_string())),
        format!("/api/bulletin/{}", secret.display()),
        "/api/bulletin//etc/passwd".to_string(),
        "/api/bulletin/%2Fetc%2Fpasswd".to_string(),
        "/api/bulletin/%FF%FE".to_string(),
        format!("/api/bulletin/{id}%00"),
        format!("/api/bulletin/{}", id.to_uppercase()),
        format!("/api/bulletin/{id}/../{id}"),
        "/api/bulletin/0000000000000000".to_string(),
        "/bulletin/..%2f..%2fetc%2fpasswd".to_string(),
        "/bulletin/not-an-id".to_string(),
        "/assets/../Cargo.toml".to_string(),
        "/assets/%2e%2e%2fCargo.toml".to_string(),
        "/assets/app.js%00".to_string(),
        "/web/app.js".to_string(),
        format!("/{}", docs.join("xss-body.txt").display()),
    ];
    for path in &tricks {
        let (code, answer) = raw(s.port(), path, &format!("127.0.0.1:{}", s.port()));
        assert_eq!(code, 404, "{path}: {answer}");
        assert!(!answer.contains("不该被读到") && !answer.contains("root:"), "{path} leaked a file");
    }
    // Unknown API paths are JSON 404s, page paths plain ones.
    let a = s.get("/api/bulletins");
    assert_eq!(a.status, 404);
    assert!(a.error().1.contains("/api/search"));
    assert_eq!(s.get(&format!("/bulletin/{id}")).status, 200, "the page for a bulletin");
}

#[test]
fn the_page_and_its_assets_come_with_strict_headers_and_no_cors() {
    let (_tmp, _docs, index) = indexed();
    let s = Served::start(&index, &[]);
    let page = s.get("/");
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    assert!(page.body.contains(r#"<script type="module" src="/assets/app.js">"#));
    for (path, kind) in [
        ("/", "text/html"),
        ("/assets/app.js", "text/javascript"),
        ("/assets/style.css", "text/css"),
        ("/api/search?q=%E8%AF%88%E9%AA%97", "application/json"),
        ("/api/search?limit=0", "application/json"),
        ("/api/health", "application/json"),
        ("/nothing-here", "text/plain"),
    ] {
        let a = s.get(path);
        assert!(a.header("content-type").unwrap_or("").starts_with(kind), "{path}: {:?}", a.header("content-type"));
        let csp = a.header("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'") && csp.contains("style-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe"), "{path}: {csp}");
        assert_eq!(a.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert!(a.header("access-control-allow-origin").is_none(), "{path}: CORS");
    }
    // Even a cross-origin request gets no CORS grant.
    let mut r = agent().get(&format!("{}/api/health", s.url)).header("Origin", "http://evil.example").call().unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
    let _ = r.body_mut().read_to_string();
    // DNS rebinding: a loopback server answers only to its own names.
    let port = s.port();
    assert_eq!(raw(port, "/api/health", &format!("evil.example:{port}")).0, 421);
    assert_eq!(raw(port, "/api/health", &format!("localhost:{port}")).0, 200);
    // Only GET (and HEAD).
    let a = agent().post(&format!("{}/api/search", s.url)).send("q=x").unwrap();
    assert_eq!(a.status().as_u16(), 405);
}

#[test]
fn facets_and_health_describe_the_whole_index() {
    let (_tmp, _docs, index) = indexed();
    let s = Served::start(&index, &[]);
    let health = s.json("/api/health");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(health["documents"].as_u64(), Some(doc_count(&index)));
    assert!(health["index"].as_str().unwrap().ends_with("ix"));
    let commit = health["last_commit"].as_str().unwrap();
    assert!(commit.len() == 20 && commit.ends_with('Z'), "{commit}");
    let facets = s.json("/api/facets");
    let mut cli: Value = serde_json::from_str(stdout(&ok(&index, &["facets", "--json"])).trim()).unwrap();
    assert_eq!(cli.as_object_mut().and_then(|o| o.remove("type")), Some(Value::from("facets")));
    assert_eq!(facets, cli, "the API and `facets --json` count the same way");
    assert!(!facets["facets"]["month"].as_array().unwrap().is_empty());
}

#[test]
fn startup_says_what_is_exposed_and_mistakes_are_one_line() {
    let (_tmp, _docs, index) = indexed();
    let mut child = tongbao(&index).args(["serve", "--listen", "127.0.0.1:0"]).stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains("this machine only") && line.contains("http://127.0.0.1:"), "{line}");
    assert!(line.contains("bulletins from"), "{line}");

    let mut child = tongbao(&index).args(["serve", "--listen", "0.0.0.0:0"]).stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains("EXPOSED"), "{line}");

    // A port in use, and no index: one line each, no panic.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let o = run(&index, &["serve", "--listen", &addr]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.starts_with("tongbao: cannot listen on") && e.trim().lines().count() == 1, "{e}");
    let o = run(&index.with_file_name("nothing"), &["serve", "--listen", "127.0.0.1:0"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("no index at") && e.trim().lines().count() == 1 && !e.contains("panicked"), "{e}");
}

/// Readers never fail while another process commits, and see each commit quickly.
#[test]
fn concurrent_readers_see_a_writers_commits_without_a_failed_request() {
    let (tmp, _docs, index) = indexed();
    let s = Served::start(&index, &[]);
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..4)
        .map(|i| {
            let (url, stop) = (s.url.clone(), stop.clone());
            std::thread::spawn(move || {
                let queries = ["养老诈骗", "公安机关", "电信网络诈骗", "警方提醒"];
                let mut done = 0;
                while !stop.load(Ordering::SeqCst) {
                    let q = queries[(i + done) % queries.len()];
                    let a = get(&format!("{url}/api/search?q={}&facets=true&limit=20", enc(q)));
                    assert_eq!(a.status, 200, "a reader's request failed during a commit: {}", a.body);
                    serde_json::from_str::<Value>(&a.body).expect("a whole JSON answer");
                    done += 1;
                }
                done
            })
        })
        .collect();
    let fresh = tmp.path().join("fresh");
    fs::create_dir_all(&fresh).unwrap();
    let mut waits = Vec::new();
    for n in 0..4u64 {
        let word = ["玳瑁走私", "翡翠盗掘", "鹦鹉贩运", "珊瑚盗采"][n as usize];
        let file = fresh.join(format!("new-{n}.txt"));
        fs::write(&file, bulletin_text(100 + n, 6) + &format!("民警当场查获{word}案涉案物品。\n")).unwrap();
        // `index` commits before it exits; from then on the server must see it.
        ok(&index, &["-q", "index", file.to_str().unwrap()]);
        let committed = Instant::now();
        loop {
            let a = s.json(&format!("/api/search?q={}", enc(word)));
            if a["total"] == 1 {
                break;
            }
            assert!(committed.elapsed() < Duration::from_secs(2), "{word}: not searchable 2 s after the commit");
            std::thread::sleep(Duration::from_millis(25));
        }
        waits.push(committed.elapsed());
    }
    stop.store(true, Ordering::SeqCst);
    let requests: usize = readers.into_iter().map(|r| r.join().expect("a reader failed")).sum();
    eprintln!("{requests} reader requests during 4 commits; visible after {waits:?}");
    assert!(requests >= 8, "the readers hardly ran ({requests} requests)");
}

#[test]
fn serve_watch_indexes_new_files_and_commits_on_shutdown() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(docs.join("first.txt"), bulletin_text(1, 8)).unwrap();
    let index = tmp.path().join("ix");
    // No index yet: --watch creates it and catches up.
    let s = Served::start(&index, &["--watch", docs.to_str().unwrap()]);
    let start = Instant::now();
    while s.json("/api/health")["documents"] != 1 {
        assert!(start.elapsed() < Duration::from_secs(20), "catch-up never showed");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(s.json("/api/health")["watching"][0], std::path::absolute(&docs).unwrap().display().to_string());
    fs::write(docs.join("second.txt"), bulletin_text(2, 8) + "白鹭湖畔发现可疑人员\n").unwrap();
    let written = Instant::now();
    while s.json(&format!("/api/search?q={}", enc("白鹭湖畔")))["total"] != 1 {
        // Two looks 250 ms apart, a commit, then the reader's reload.
        assert!(written.elapsed() < Duration::from_secs(5), "a watched file was not searchable within 5 s");
        std::thread::sleep(Duration::from_millis(25));
    }
    eprintln!("watched file searchable {:?} after it was written", written.elapsed());
    // A file landing just before SIGTERM is committed on the way out.
    fs::write(docs.join("last.txt"), bulletin_text(3, 8) + "青石巷口盗窃电动车\n").unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let (ok_exit, log) = s.stop("-TERM");
    assert!(ok_exit, "serve exited with an error: {log}");
    assert!(log.contains("stopped; everything is committed"), "{log}");
    assert!(hit_paths(&index, "青石巷口").iter().any(|p| p.ends_with("last.txt")), "{log}");
    // The writer lock went with the process.
    ok(&index, &["index", docs.to_str().unwrap()]);
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let (_tmp, _docs, index) = indexed();
    let s = Served::start(&index, &[]);
    assert_eq!(s.get("/api/health").status, 200);
    let (ok_exit, log) = s.stop("-INT");
    assert!(ok_exit, "{log}");
    assert!(log.contains("tongbao: stopped"), "{log}");
}

#[test]
fn a_request_in_flight_when_the_signal_comes_is_answered() {
    let (_tmp, _docs, index) = indexed();
    let s = Served::start(&index, &[]);
    let port = s.port();
    // The request has begun (its first lines are read) when SIGTERM arrives; it ends after.
    let mut conn = TcpStream::connect(("127.0.0.1", port)).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(conn, "GET /api/search?q={} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n", enc("养老诈骗")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let pid = s.child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    std::thread::sleep(Duration::from_millis(300));
    write!(conn, "Connection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let body = &answer[answer.find("\r\n\r\n").unwrap() + 4..];
    let v: Value = serde_json::from_str(body).expect("a whole JSON answer");
    assert!(v["total"].as_u64().unwrap() >= 5);
    let (ok_exit, log) = s.stop("-TERM");
    assert!(ok_exit, "{log}");
}

/// Whether some process holds an flock on `path` (Linux: /proc/locks lists them by inode).
fn flocked(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(inode) = fs::metadata(path).map(|m| m.ino()) else { return false };
    let table = fs::read_to_string("/proc/locks").unwrap_or_default();
    table.lines().any(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        f.get(1) == Some(&"FLOCK") && f.get(5).and_then(|d| d.rsplit(':').next()).and_then(|i| i.parse::<u64>().ok()) == Some(inode)
    })
}

#[test]
fn a_second_writer_is_refused_before_the_server_starts() {
    let (_tmp, docs, index) = indexed();
    let first = Served::start(&index, &["--watch", docs.to_str().unwrap()]);
    // The watcher takes the writer lock (an flock on a file that stays) after the URL line;
    // the kernel's lock table says when, without the test touching the lock itself.
    let start = Instant::now();
    while !flocked(&index.join(".tantivy-writer.lock")) {
        assert!(start.elapsed() < Duration::from_secs(20), "the first server's watcher never took the lock");
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut second = tongbao(&index)
        .args(["serve", "--listen", "127.0.0.1:0", "--watch", docs.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = second.kill();
            panic!("a second writer started serving");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    second.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(!status.success());
    assert!(err.contains("another tongbao process is writing"), "{err}");
    // Serving without a watcher works meanwhile.
    let reader = Served::start(&index, &[]);
    assert_eq!(reader.get("/api/health").status, 200);
    drop(first);
}

//! Query cost at scale (ignored by default; run with `cargo test --release --test
//! query_cost -- --ignored --nocapture`). Indexes `TONGBAO_COST_DOCS` (default 20 000)
//! variants of the sample bulletins and prints the median and worst in-process latency,
//! passages included, of queries that stress the planner: one character, digits,
//! synonym-heavy and long queries.

use std::path::Path;
use std::time::Instant;

use tongbao::analysis::{dictionary, Folds};
use tongbao::bulletin::{Bulletin, Format, Region};
use tongbao::index::{to_document, FileStamp, IndexHandle, IndexMeta};
use tongbao::resources::Resources;
use tongbao::search::{self, SearchRequest, Synonyms};

#[test]
#[ignore]
fn query_latency_at_scale() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> = Vec::new();
    for dir in [root.join("corpus-samples"), root.join("../shared/eval/dev/docs")] {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            if let Ok(t) = std::fs::read_to_string(e.path()) {
                texts.push(t);
            }
        }
    }
    assert!(!texts.is_empty());
    let n: usize = std::env::var("TONGBAO_COST_DOCS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let resources = Resources::embedded();
    let jieba = dictionary::shared(&resources.get("dictionary.txt").expect("dictionary"));
    let dir = tempfile::tempdir().expect("tempdir");
    let handle = IndexHandle::create(dir.path(), jieba.clone(), &IndexMeta::current("cost")).expect("create");
    let mut writer = handle.index.writer_with_num_threads(2, 256 << 20).expect("writer");
    let t = Instant::now();
    for i in 0..n {
        let text = &texts[i % texts.len()];
        // Vary each copy so terms and lengths differ a little.
        let cut = (i * 7919) % (text.chars().count().max(1));
        let body: String = text.chars().skip(cut / 2).collect();
        let b = Bulletin {
            id: format!("{i}"),
            path: format!("/cost/{i}.txt").into(),
            format: Format::Text,
            encoding: "UTF-8".into(),
            title: format!("第{i}号通报"),
            body: format!("案号{i}-{}。{body}", i * 31 % 9973),
            date: None,
            date_source: None,
            region: Region::default(),
            categories: Vec::new(),
            author: None,
            url: None,
            content_hash: format!("{i}"),
        };
        writer.add_document(to_document(&b, &Folds::new(&b.title, &b.body), FileStamp::default(), &handle.fields)).expect("add");
    }
    writer.commit().expect("commit");
    eprintln!("indexed {n} docs in {:.1}s", t.elapsed().as_secs_f64());
    let synonyms = std::sync::Arc::new(Synonyms::load(&resources).expect("synonyms"));
    let queries = [
        "电信网络诈骗",
        "养老诈骗 追赃挽损",
        "抢",
        "人",
        "1",
        "2022",
        "022-0",
        "黄赌毒",
        "喝酒开车",
        "两抢一盗",
        "侵犯公民个人信息",
        "打拐 找回被拐儿童",
        "诈骗医保基金",
        "市公安局",
        "公安机关 严厉打击 电信网络诈骗 违法犯罪 保护 群众 财产安全",
    ];
    let mut all = Vec::new();
    for q in queries {
        let req = SearchRequest { query: q.into(), synonyms: Some(synonyms.clone()), ..Default::default() };
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            let r = search::search(&handle, &jieba, &req).expect("search");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(r);
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        eprintln!("{:>9.2} ms  {q}", times[2]);
        all.push(times[2]);
    }
    all.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    eprintln!("median {:.2} ms, worst {:.2} ms over {} queries", all[all.len() / 2], all[all.len() - 1], all.len());
}

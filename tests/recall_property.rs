//! Property: search never misses what grep finds.
//!
//! Real bulletins (corpus-samples/, and ../shared/seeds and the dev set when the shared
//! folder sits beside the repository) are indexed through the library; random substrings
//! of their folded text — one character, or two to eight — are searched with a page large
//! enough for everything, and every bulletin whose folded title or body contains the
//! substring must be among the hits, however jieba cut the text or the query.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use tantivy::collector::TopDocs;
use tantivy::query::AllQuery;
use tantivy::schema::Value;
use tantivy::TantivyDocument;
use tongbao::analysis::{dictionary, fold};
use tongbao::extract::Extractor;
use tongbao::index::build::{self, BuildOptions};
use tongbao::index::{IndexHandle, IndexMeta};
use tongbao::resources::Resources;
use tongbao::search::{self, SearchRequest, MAX_LIMIT};

/// An indexed bulletin as the index stores it: path, folded title, folded body.
struct Stored {
    path: String,
    title: Vec<char>,
    body: Vec<char>,
}

struct Corpus {
    _dir: tempfile::TempDir,
    handle: IndexHandle,
    docs: Vec<Stored>,
}

fn sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = vec![root.join("corpus-samples"), root.join("../shared/seeds")];
    // A handful of the dev set: enough variety (traditional script, page chrome) to matter.
    if let Ok(entries) = std::fs::read_dir(root.join("../shared/eval/dev/docs")) {
        let mut dev: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        dev.sort();
        paths.extend(dev.into_iter().step_by(4));
    }
    paths.into_iter().filter(|p| p.exists()).collect()
}

fn corpus() -> Option<&'static Corpus> {
    static CORPUS: OnceLock<Option<Corpus>> = OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let paths = sources();
            if paths.is_empty() {
                eprintln!("recall_property: no corpus found; skipping");
                return None;
            }
            let resources = Resources::embedded();
            let dict = resources.get("dictionary.txt").expect("embedded dictionary");
            let jieba = dictionary::shared(&dict);
            let dir = tempfile::tempdir().expect("tempdir");
            let meta = IndexMeta::current(&tongbao::read::fingerprint(&resources));
            let handle = IndexHandle::create(dir.path(), jieba, &meta).expect("create index");
            let extractor = Extractor::load(None).expect("extraction rules");
            build::update(&handle, &paths, &tongbao::read::Reader::new(&extractor, Default::default()), &BuildOptions::default(), &|_| {})
                .expect("index corpus");
            let reader = handle.index.reader().expect("reader");
            let searcher = reader.searcher();
            let top = searcher.search(&AllQuery, &TopDocs::with_limit(100_000).order_by_score()).expect("all docs");
            let f = handle.fields;
            let text = |d: &TantivyDocument, field| -> String { d.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string() };
            let docs = top
                .into_iter()
                .map(|(_, a)| {
                    let d: TantivyDocument = searcher.doc(a).expect("stored doc");
                    Stored {
                        path: text(&d, f.path),
                        title: fold(&text(&d, f.title_text)).chars().collect(),
                        body: fold(&text(&d, f.body_text)).chars().collect(),
                    }
                })
                .collect::<Vec<_>>();
            assert!(docs.len() >= 5, "corpus too small: {} documents", docs.len());
            Some(Corpus { _dir: dir, handle, docs })
        })
        .as_ref()
}

/// A substring a person could type as one query item: no whitespace or quotes, not an
/// exclusion or the OR keyword, something searchable in it.
fn typable(s: &str) -> bool {
    !s.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || matches!(c, '"' | '“' | '”' | '「' | '」'))
        && !s.starts_with(['-', '－'])
        && !matches!(s, "OR" | "或" | "|")
        && s.chars().any(|c| c.is_alphanumeric())
}

fn contains(hay: &[char], needle: &[char]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn check(c: &Corpus, query: &str) -> Result<(), TestCaseError> {
    let needle: Vec<char> = query.chars().collect();
    let want: Vec<&str> = c.docs.iter().filter(|d| contains(&d.title, &needle) || contains(&d.body, &needle)).map(|d| d.path.as_str()).collect();
    let jieba = dictionary::shared(&Resources::embedded().get("dictionary.txt").expect("dictionary"));
    let req = SearchRequest { query: query.to_string(), limit: MAX_LIMIT, passages: 0, partial: false, all_copies: true, ..Default::default() };
    let results = search::search(&c.handle, &jieba, &req).map_err(|e| TestCaseError::fail(format!("{query:?}: {e}")))?;
    let got: std::collections::HashSet<&str> = results.hits.iter().map(|h| h.path.as_str()).collect();
    let missed: Vec<&&str> = want.iter().filter(|p| !got.contains(**p)).collect();
    prop_assert!(missed.is_empty(), "query {query:?} missed {} of {} literal matches: {missed:?}", missed.len(), want.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_literal_match_is_found(doc in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(),
                                    in_title in prop::bool::weighted(0.15),
                                    len in prop_oneof![Just(1usize), Just(2usize), 2usize..=8]) {
        let Some(c) = corpus() else { return Ok(()) };
        let d = &c.docs[doc.index(c.docs.len())];
        let text = if in_title && d.title.len() >= len { &d.title } else { &d.body };
        prop_assume!(text.len() >= len);
        let start = at.index(text.len() - len + 1);
        let query: String = text[start..start + len].iter().collect();
        prop_assume!(typable(&query));
        check(c, &query)?;
    }
}

/// Shapes that segmentation gets wrong, spelled out (each present in the corpus or not:
/// the property is the same either way).
#[test]
fn known_hard_shapes() {
    let Some(c) = corpus() else { return };
    for q in [
        "市公安局",
        "公安局",
        "电信网络诈骗",
        "诈骗",
        "盗窃",
        "抢",
        "窃",
        "2022",
        "202",
        "022",
        "icp",
        "12起",
        "万元",
        "a",
        "1",
        // A lone character beside punctuation is looked up as a run's first or last.
        "，抢",
        "局，",
        "日，",
        "，公",
        "：2",
        "案。",
        "、诈骗、",
    ] {
        check(c, q).unwrap_or_else(|e| panic!("{e}"));
    }
}

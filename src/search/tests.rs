//! Ranking and expansion on small hand-made collections: each test builds a few bulletins,
//! indexes them in a temporary folder and checks the order of the hits.

use std::sync::Arc;

use chrono::NaiveDate;

use super::*;
use crate::analysis::{dictionary, Folds};
use crate::bulletin::{Bulletin, Format, Region};
use crate::index::{to_document, FileStamp, IndexMeta};
use crate::resources::Resources;

fn jieba() -> Arc<Jieba> {
    dictionary::shared(include_str!("../../index-schema/dictionary.txt"))
}

fn bulletin(name: &str, title: &str, body: &str, date: Option<&str>) -> Bulletin {
    Bulletin {
        id: name.to_string(),
        path: format!("/t/{name}.txt").into(),
        format: Format::Text,
        encoding: "UTF-8".into(),
        title: title.into(),
        body: body.into(),
        date: date.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        region: Region::default(),
        categories: Vec::new(),
        author: None,
        url: None,
        content_hash: name.to_string(),
    }
}

fn index(docs: &[Bulletin]) -> (tempfile::TempDir, IndexHandle) {
    let dir = tempfile::tempdir().expect("tempdir");
    let handle = IndexHandle::create(dir.path(), jieba(), &IndexMeta::current("test")).expect("create");
    let mut writer = handle.index.writer_with_num_threads(1, 20 << 20).expect("writer");
    for b in docs {
        writer.add_document(to_document(b, &Folds::new(&b.title, &b.body), FileStamp::default(), &handle.fields)).expect("add");
    }
    writer.commit().expect("commit");
    (dir, handle)
}

fn synonyms() -> Arc<Synonyms> {
    Arc::new(Synonyms::load(&Resources::embedded()).expect("synonyms"))
}

fn run(handle: &IndexHandle, query: &str, expand: bool) -> SearchResults {
    let req = SearchRequest {
        query: query.into(),
        limit: 50,
        synonyms: expand.then(synonyms),
        partial: expand,
        explain: true,
        ..Default::default()
    };
    search(handle, &jieba(), &req).expect("search")
}

fn names(r: &SearchResults) -> Vec<String> {
    r.hits.iter().map(|h| h.path.trim_start_matches("/t/").trim_end_matches(".txt").to_string()).collect()
}

const FILLER: &str = "今年以来，全市公安机关持续加强社会治安防控，深入开展矛盾纠纷排查化解工作，群众安全感不断提升。";

#[test]
fn exact_phrase_in_title_outranks_words_far_apart_in_body() {
    let (_d, h) = index(&[
        bulletin("far", "工作通报", &format!("依法打击养老问题。{FILLER}{FILLER}各类诈骗案件下降。"), None),
        bulletin("title", "严厉打击养老诈骗", &format!("{FILLER}破获一批案件。"), None),
        bulletin("body", "工作通报", &format!("{FILLER}破获养老诈骗案件3起。"), None),
    ]);
    let r = run(&h, "养老 诈骗", false);
    assert_eq!(names(&r), ["title", "body", "far"], "{:#?}", r.hits.iter().map(|h| &h.explain).collect::<Vec<_>>());
}

#[test]
fn query_words_near_each_other_outrank_words_far_apart() {
    let (_d, h) = index(&[
        bulletin("apart", "通报", &format!("民警追赃。{FILLER}{FILLER}{FILLER}挽损工作。"), None),
        bulletin("near", "通报", &format!("{FILLER}民警追赃挽损。"), None),
    ]);
    assert_eq!(names(&run(&h, "追赃 挽损", false)), ["near", "apart"]);
}

#[test]
fn word_match_outranks_literal_only_match() {
    // 安局 is a word nowhere, but 公安局 holds it literally; 安局 typed alone must find
    // both, and 局 as a word (in 该局) outranks mere characters.
    let (_d, h) = index(&[
        bulletin("literal", "通报", "市公安局召开会议。", None),
        bulletin("word", "通报", "该局召开会议，局领导出席。", None),
    ]);
    assert_eq!(names(&run(&h, "局", false)), ["word", "literal"]);
    let r = run(&h, "安局", false);
    assert_eq!(names(&r), ["literal"]);
}

#[test]
fn newer_first_on_equal_scores() {
    let body = "破获盗窃案件一起。";
    let (_d, h) = index(&[
        bulletin("old", "通报", body, Some("2019-03-01")),
        bulletin("undated", "通报", body, None),
        bulletin("new", "通报", body, Some("2024-05-01")),
    ]);
    assert_eq!(names(&run(&h, "盗窃", false)), ["new", "old", "undated"]);
}

#[test]
fn colloquial_queries_find_bulletin_language_below_own_words() {
    let (_d, h) = index(&[
        bulletin("jiujia", "交警严查酒驾", "开展酒后驾驶集中整治，查处醉驾2起。", None),
        bulletin("own", "通报", "有人喝酒开车被查处。", None),
        bulletin("other", "通报", "开展禁毒宣传。", None),
    ]);
    let r = run(&h, "喝酒开车", true);
    assert_eq!(names(&r), ["own", "jiujia"], "the user's own words rank first");
    assert!(r.hits[1].expanded.contains(&"酒驾".to_string()), "{:?}", r.hits[1].expanded);
    assert!(r.expanded.contains(&"醉驾".to_string()));
    // Inside a longer item, and in traditional script.
    let r = run(&h, "查处喝酒開車", true);
    assert_eq!(r.total, 2, "{:?}", names(&r));
    // Expansion off: only the literal words.
    assert_eq!(names(&run(&h, "喝酒开车", false)), ["own"]);
}

#[test]
fn expansions_keep_the_rest_of_the_word() {
    // 反电诈 contains 电诈; its alternative is 反 + 电信网络诈骗, not 电信网络诈骗 alone.
    let (_d, h) = index(&[
        bulletin("fan", "通报", "开展反电信网络诈骗宣传。", None),
        bulletin("plain", "通报", "破获电信网络诈骗案件。", None),
    ]);
    assert_eq!(names(&run(&h, "反电诈", true)), ["fan"]);
}

#[test]
fn partial_matches_fill_a_short_page_after_full_ones() {
    let (_d, h) = index(&[
        bulletin("full", "通报", "破获侵犯公民个人信息案件。", None),
        bulletin("part", "通报", "防范公民个人信息泄露。", None),
        bulletin("none", "通报", "开展禁毒宣传。", None),
    ]);
    let r = run(&h, "侵犯公民个人信息", true);
    assert_eq!(names(&r), ["full", "part"]);
    assert!(!r.hits[0].partial && r.hits[1].partial);
    assert_eq!((r.total, r.partial_total), (1, 1));
    assert!(run(&h, "侵犯公民个人信息", false).hits.len() == 1);
}

#[test]
fn explanations_add_up_to_the_score() {
    let (_d, h) = index(&[bulletin("a", "严厉打击养老诈骗", "破获养老诈骗案件3起，追赃挽损。", None)]);
    for q in ["养老诈骗 追赃挽损", "骗老人", "养老"] {
        let r = run(&h, q, true);
        let hit = &r.hits[0];
        let parts = hit.explain.as_ref().expect("explain");
        let sum: f32 = parts.iter().map(|c| c.score).sum();
        assert!((sum - hit.score).abs() < 1e-3 * hit.score.max(1.0), "{q}: {sum} vs {} in {parts:#?}", hit.score);
        assert!(parts.iter().any(|c| c.what.contains("title")), "{q}: {parts:#?}");
    }
}

#[test]
fn literal_substrings_of_runs_and_mixed_text_are_found() {
    let (_d, h) = index(&[bulletin(
        "a",
        "通报",
        "案号2022-0915，网站ICP备12345678号，深圳市公安局破获案件12起，抢劫一起。",
        None,
    )]);
    for q in ["022-09", "2022-0915", "icp", "ICP备", "345", "公安局", "市公安", "2起", "号，深", "抢", "4"] {
        assert_eq!(names(&run(&h, q, false)), ["a"], "{q}");
    }
    for q in ["2022-0916", "icq", "公安厅"] {
        assert!(run(&h, q, false).hits.is_empty(), "{q}");
    }
}

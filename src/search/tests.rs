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
        date_source: None,
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
    let req = SearchRequest { query: query.into(), limit: 50, synonyms: expand.then(synonyms), partial: expand, explain: true, ..Default::default() };
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
fn the_report_headlined_with_the_query_outranks_passing_mentions() {
    // A folder on one subject: every bulletin says 养老诈骗 and 追赃挽损, the report whose
    // headline they are says them most. The literal and nearness bonuses, read from grams,
    // must weigh how common the characters are (here: in every bulletin, so little); weighed
    // as the rarest terms there could be, they outgrew the headline and put the passing
    // mentions, close together in short bodies, first.
    let (_d, h) = index(&[
        bulletin(
            "report",
            "市公安局通报打击整治养老诈骗专项行动阶段战果：追赃挽损1.37亿元",
            &format!(
                "7月14日，市公安局召开新闻发布会，通报打击整治养老诈骗专项行动开展以来的工作成效。{FILLER}截至7月10日，\
                 全市共破获养老诈骗案件126起，打掉犯罪团伙19个，抓获犯罪嫌疑人342名，已向1800余名受害老人返还被骗资金4160余万元，\
                 追赃挽损共计1.37亿元。{FILLER}{FILLER}民警提醒老年朋友，警惕以“养老服务”“以房养老”为名的诈骗，守好养老钱。"
            ),
            None,
        ),
        bulletin(
            "raid",
            "警方捣毁一“保健品”诈骗窝点",
            "9月12日，民警捣毁一个以销售保健品为名骗取老人钱财的窝点。今年以来共破获养老诈骗案件46起，追赃挽损1760余万元。",
            None,
        ),
        bulletin(
            "court",
            "一起“以房养老”骗局宣判",
            &format!("法院对一起以房养老骗局作出一审判决。{FILLER}该案系养老诈骗专项行动中破获，追赃挽损300余万元。"),
            None,
        ),
        bulletin("village", "民警进村开展反诈宣传", &format!("{FILLER}民警讲解养老诈骗常见套路，通报追赃挽损工作进展。{FILLER}"), None),
        bulletin("social", "警惕冒充社保工作人员的诈骗电话", &format!("{FILLER}骗子冒充社保局工作人员，以养老金资格认证为名套取银行卡信息。{FILLER}"), None),
        bulletin("theft", "警方破获系列盗窃电动车案", &format!("{FILLER}{FILLER}抓获犯罪嫌疑人2名，追回电动车9辆。{FILLER}"), None),
    ]);
    let r = run(&h, "追赃挽损 养老诈骗", true);
    let got = names(&r);
    assert_eq!(got.first().map(String::as_str), Some("report"), "{got:?}\n{:#?}", r.hits.iter().map(|h| &h.explain).collect::<Vec<_>>());
    let mut rest = got[1..].to_vec();
    rest.sort();
    assert_eq!(rest, ["court", "raid", "village"], "{got:?}");
}

#[test]
fn word_match_outranks_literal_only_match() {
    // 安局 is a word nowhere, but 公安局 holds it literally; 安局 typed alone finds it.
    // 局 finds both (one-character words have no token of their own: it is a prefix over
    // the grams it begins, scored alike). 骗保 as a word (打击骗保) outranks the same two
    // characters across two words (打盗骗保民安: 盗骗 … 保民), which only literal finds.
    let (_d, h) = index(&[
        bulletin("literal", "通报", "市公安局召开会议。开展打盗骗保民安行动。", None),
        bulletin("word", "通报", "该局召开会议，局领导出席。严厉打击骗保行为。", None),
    ]);
    let mut both = names(&run(&h, "局", false));
    both.sort();
    assert_eq!(both, ["literal", "word"]);
    assert_eq!(names(&run(&h, "安局", false)), ["literal"]);
    let r = run(&h, "骗保", false);
    assert_eq!(names(&r), ["word", "literal"], "{:#?}", r.hits.iter().map(|h| &h.explain).collect::<Vec<_>>());
}

#[test]
fn newer_first_on_equal_scores() {
    let body = "破获盗窃案件一起。";
    let (_d, h) =
        index(&[bulletin("old", "通报", body, Some("2019-03-01")), bulletin("undated", "通报", body, None), bulletin("new", "通报", body, Some("2024-05-01"))]);
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
    let (_d, h) = index(&[bulletin("fan", "通报", "开展反电信网络诈骗宣传。", None), bulletin("plain", "通报", "破获电信网络诈骗案件。", None)]);
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
    let (_d, h) = index(&[bulletin("a", "通报", "案号2022-0915，网站ICP备12345678号，深圳市公安局破获案件12起，抢劫一起。", None)]);
    for q in ["022-09", "2022-0915", "icp", "ICP备", "345", "公安局", "市公安", "2起", "号，深", "抢", "4"] {
        assert_eq!(names(&run(&h, q, false)), ["a"], "{q}");
    }
    for q in ["2022-0916", "icq", "公安厅"] {
        assert!(run(&h, q, false).hits.is_empty(), "{q}");
    }
}

fn classified(mut b: Bulletin, categories: &[&str]) -> Bulletin {
    b.categories = categories.iter().map(|c| c.to_string()).collect();
    b
}

fn category_rules() -> Arc<crate::extract::CategoryRules> {
    let text = Resources::embedded().get("categories.toml").expect("categories");
    Arc::new(crate::extract::CategoryRules::parse(&text).expect("rules"))
}

fn kinds(r: &SearchResults) -> Vec<(String, Option<MatchKind>)> {
    r.hits.iter().map(|h| (h.path.trim_start_matches("/t/").trim_end_matches(".txt").to_string(), h.match_kind)).collect()
}

#[test]
fn each_hit_says_how_it_matched_and_totals_separate_the_kinds() {
    let (_d, h) = index(&[
        bulletin("typed", "夜查行动", &format!("{FILLER}共查处酒驾违法行为87起。"), None),
        bulletin("synonym", "夜查通报", &format!("{FILLER}查处酒后驾驶机动车违法行为42起。"), None),
        classified(bulletin("category", "专项整治", &format!("{FILLER}查处交通违法行为一批。"), None), &["/交通/酒驾醉驾"]),
        bulletin("unrelated", "社区通报", FILLER, None),
    ]);
    let req = SearchRequest {
        // 酒驾 has synonyms (酒后驾驶) and names a category (/交通/酒驾醉驾).
        query: "酒驾".into(),
        limit: 50,
        synonyms: Some(synonyms()),
        categories: Some(category_rules()),
        partial: false,
        ..Default::default()
    };
    let r = search(&h, &jieba(), &req).expect("search");
    let mut got = kinds(&r);
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        vec![
            ("category".to_string(), Some(MatchKind::Category)),
            ("synonym".to_string(), Some(MatchKind::Synonym)),
            ("typed".to_string(), Some(MatchKind::Literal)),
        ],
        "{:?}",
        r.expanded
    );
    assert_eq!((r.total, r.literal_total), (3, 1));
    // Searching only what was typed: every hit is literal, nothing extra is counted.
    let exact = search(&h, &jieba(), &SearchRequest { synonyms: None, categories: None, ..req.clone() }).expect("search");
    assert_eq!(kinds(&exact), vec![("typed".to_string(), Some(MatchKind::Literal))]);
    assert_eq!((exact.total, exact.literal_total), (1, 1));
}

#[test]
fn partial_hits_are_marked_partial_and_need_the_informative_words() {
    let (_d, h) = index(&[
        bulletin("both", "通报", &format!("{FILLER}破获盗窃电动车案件。"), None),
        bulletin("rare-half", "通报", &format!("{FILLER}查获一批来历不明的电动车。"), None),
        bulletin("common-half", "通报", &format!("{FILLER}破获盗窃案件一起。"), None),
        bulletin("theft-1", "通报", &format!("{FILLER}抓获盗窃嫌疑人2名。"), None),
        bulletin("theft-2", "通报", &format!("{FILLER}盗窃案件同比下降。"), None),
        bulletin("other", "通报", FILLER, None),
    ]);
    // 电动车 is rarer than 盗窃 here: a bulletin with it alone covers most of the query's
    // information; one with 盗窃 alone covers too little to be shown.
    let r = run(&h, "盗窃 电动车", true);
    assert_eq!(kinds(&r), vec![("both".to_string(), Some(MatchKind::Literal)), ("rare-half".to_string(), Some(MatchKind::Partial))]);
    assert_eq!((r.total, r.literal_total, r.partial_total), (1, 1, 1));
    let off = search(&h, &jieba(), &SearchRequest { query: "盗窃 电动车".into(), partial: false, ..Default::default() }).expect("search");
    assert_eq!((names(&off), off.partial_total), (vec!["both".to_string()], 0));
}

#[test]
fn partial_matches_never_rest_on_stop_characters_or_name_placeholders() {
    let (_d, h) = index(&[
        bulletin("a", "通报", "不法分子在网上发布的信息不存在真实性。", None),
        bulletin("b", "通报", "犯罪嫌疑人李某某、王某某被抓获。", None),
        bulletin("c", "通报", "崔某某等人被依法刑事拘留。", None),
    ]);
    for q in ["不存在的XYZ", "的了在不", "张某某", "秦某某 诈骗"] {
        let r = run(&h, q, true);
        assert!(r.hits.is_empty() && r.partial_total == 0, "{q}: {:?}", kinds(&r));
    }
    // A name is matched as written: 崔 and 某某 elsewhere are somebody else.
    let r = run(&h, "崔某某", true);
    assert_eq!(kinds(&r), vec![("c".to_string(), Some(MatchKind::Literal))]);
}

#[test]
fn what_was_typed_ranks_before_its_words_apart_and_expansions_after() {
    let (_d, h) = index(&[
        // Said many times, but only with 网络 in between: the words, not what was typed.
        bulletin("apart", "打击电信网络诈骗", &format!("{FILLER}电信网络诈骗案件下降。电信网络诈骗高发。电信网络诈骗手法翻新。"), None),
        bulletin("typed", "通报", &format!("{FILLER}{FILLER}破获电信诈骗案件1起。"), None),
        bulletin("synonym", "通报", &format!("{FILLER}破获电诈案件3起。"), None),
        classified(bulletin("category", "通报", &format!("{FILLER}开展断卡行动，打击两卡犯罪。"), None), &["/诈骗/电信网络诈骗"]),
    ]);
    let req = SearchRequest { query: "电信诈骗".into(), limit: 50, synonyms: Some(synonyms()), categories: Some(category_rules()), ..Default::default() };
    let r = search(&h, &jieba(), &req).expect("search");
    assert_eq!(
        kinds(&r),
        vec![
            ("typed".to_string(), Some(MatchKind::Literal)),
            ("apart".to_string(), Some(MatchKind::Words)),
            ("synonym".to_string(), Some(MatchKind::Synonym)),
            ("category".to_string(), Some(MatchKind::Category)),
        ]
    );
    assert!(r.hits[1].score > r.hits[0].score, "the order is by kind first, whatever the scores");
    assert_eq!((r.total, r.literal_total, r.words_total, r.synonym_total, r.category_total), (4, 1, 1, 1, 1));
    assert_eq!(r.categories, ["/诈骗/电信网络诈骗"]);
}

#[test]
fn category_only_hits_rank_by_their_cue_words() {
    let fraud = ["/诈骗/电信网络诈骗"];
    let (_d, h) = index(&[
        classified(bulletin("once", "通报", &format!("{FILLER}{FILLER}{FILLER}其中涉及断卡行动。"), Some("2024-05-01")), &fraud),
        classified(bulletin("strong", "打击治理电信网络诈骗", &format!("{FILLER}电信网络诈骗案件下降。依法打击电信网络诈骗。"), Some("2019-01-01")), &fraud),
        classified(bulletin("none", "通报", FILLER, Some("2023-01-01")), &fraud),
    ]);
    let req = SearchRequest { query: "杀猪盘".into(), limit: 50, categories: Some(category_rules()), ..Default::default() };
    let r = search(&h, &jieba(), &req).expect("search");
    assert!(r.hits.iter().all(|h| h.match_kind == Some(MatchKind::Category)), "{:?}", kinds(&r));
    assert_eq!(names(&r), ["strong", "once", "none"], "{:?}", r.hits.iter().map(|h| h.score).collect::<Vec<_>>());
    assert!(r.hits[0].score > r.hits[1].score && r.hits[1].score > r.hits[2].score);
    assert_eq!((r.total, r.literal_total, r.category_total), (3, 0, 3));
}

#[test]
fn codes_are_one_literal_string() {
    let (_d, h) = index(&[
        bulletin("case", "侦破“4·28”专案", "成功侦破“4·28”特大电信网络诈骗案，“雷霆2023”行动同步推进，嫌疑人A12345在逃。", None),
        bulletin("court", "判决", "（2023）粤0304刑初123号判决书已生效。7·15专案告破。", None),
        bulletin("apart", "通报", "4月28日，全市破获案件28起，抓获4人。雷霆行动2023年启动。案件A1234567已移送。", None),
        bulletin("other-dot", "通报", "“4·29”专案告破，刑初1230号。", None),
    ]);
    let cases: &[(&str, &[&str])] = &[
        ("4·28", &["case"]),
        ("4•28", &["case"]),
        ("7·15专案", &["court"]),
        ("“雷霆2023”", &["case"]),
        ("A12345", &["apart", "case"]),
        ("(2023)粤0304刑初123号", &["court"]),
        ("〔2023〕粤0304刑初123号", &["court"]),
        ("4·27", &[]),
    ];
    for (q, want) in cases {
        for expand in [true, false] {
            let r = run(&h, q, expand);
            let mut got = names(&r);
            got.sort();
            assert_eq!(got, *want, "{q} (expand {expand})");
            assert!(r.hits.iter().all(|h| h.match_kind == Some(MatchKind::Literal)), "{q}: {:?}", kinds(&r));
        }
    }
}

#[test]
fn a_blank_query_browses_newest_first_and_date_filters_count_the_undated() {
    let (_d, h) = index(&[
        bulletin("old", "通报一", FILLER, Some("2019-03-01")),
        bulletin("new", "通报二", FILLER, Some("2024-05-20")),
        bulletin("mid", "通报三", FILLER, Some("2022-07-14")),
        bulletin("undated", "通报四", FILLER, None),
    ]);
    let browse =
        |filters: Filters| search(&h, &jieba(), &SearchRequest { query: "  ".into(), filters, sort: SortBy::Relevance, ..Default::default() }).expect("browse");
    let all = browse(Filters::default());
    assert_eq!(names(&all), ["new", "mid", "old", "undated"], "newest first whatever the sort asked");
    assert!(all.hits.iter().all(|h| h.match_kind.is_none() && h.passages.len() == 1));
    assert_eq!((all.total, all.undated_left_out), (4, None));
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let since = browse(Filters { from: d("2020-01-01"), ..Default::default() });
    assert_eq!(names(&since), ["new", "mid"]);
    assert_eq!(since.undated_left_out, Some(1));
    let worded =
        search(&h, &jieba(), &SearchRequest { query: "公安机关".into(), filters: Filters { to: d("2020-12-31"), ..Default::default() }, ..Default::default() })
            .expect("search");
    assert_eq!((names(&worded), worded.undated_left_out), (vec!["old".to_string()], Some(1)));
}

#[test]
fn facet_counts_include_months() {
    let (_d, h) = index(&[
        bulletin("a", "通报一", FILLER, Some("2022-07-01")),
        bulletin("b", "通报二", FILLER, Some("2022-07-31")),
        bulletin("c", "通报三", FILLER, Some("2023-01-15")),
        bulletin("d", "通报四", FILLER, None),
    ]);
    let reader = h.index.reader().expect("reader");
    let f = facet_counts(&reader.searcher(), &tantivy::query::AllQuery).expect("facets");
    assert_eq!(f.month, vec![("2023-01".to_string(), 1), ("2022-07".to_string(), 2)]);
    assert_eq!(f.year, vec![("/2023".to_string(), 1), ("/2022".to_string(), 2)]);
}

#[test]
fn a_bulletin_is_viewed_whole_by_id_with_every_match_marked() {
    let body = format!("{FILLER}破获养老诈骗案件3起。{FILLER}提醒老年人警惕养老诈骗。");
    let (_d, h) = index(&[bulletin("one", "打击养老诈骗", &body, Some("2022-07-14")), bulletin("two", "通报", FILLER, None)]);
    let reader = h.index.reader().expect("reader");
    let searcher = reader.searcher();
    let req = SearchRequest { query: "养老诈骗".into(), ..Default::default() };
    let v = view(&h, &searcher, &jieba(), "one", Some(&req)).expect("view").expect("found");
    assert_eq!(v.text, body, "the whole text");
    let chars: Vec<char> = v.text.chars().collect();
    let marked: Vec<String> = v.highlights.iter().map(|[s, e]| chars[*s..*e].iter().collect()).collect();
    assert_eq!(marked, ["养老诈骗", "养老诈骗"]);
    assert_eq!(v.title_highlights, vec![[2, 6]]);
    assert_eq!(v.date.as_deref(), Some("2022-07-14"));
    let plain = view(&h, &searcher, &jieba(), "one", None).expect("view").expect("found");
    assert!(plain.highlights.is_empty());
    for missing in ["three", "", "../one", "/t/one.txt"] {
        assert!(view(&h, &searcher, &jieba(), missing, None).expect("view").is_none(), "{missing}");
    }
}

/// The query-only jieba must cut everything the planner segments exactly as the full
/// dictionary does, synonyms put into the query included; otherwise colloquial queries
/// would quietly match less. Compared hit by hit, scores included, on corpus-samples.
#[test]
fn query_only_jieba_gives_the_same_hits_as_the_full_dictionary() {
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus-samples");
    let tmp = tempfile::tempdir().unwrap();
    let resources = Resources::with_overrides(None);
    let dict = resources.get("dictionary.txt").unwrap();
    let full = dictionary::shared(&dict);
    let meta = IndexMeta::current(&crate::read::fingerprint(&resources));
    let handle = IndexHandle::create(&tmp.path().join("ix"), full.clone(), &meta).unwrap();
    let extractor = crate::extract::Extractor::load(None).unwrap();
    crate::index::build::update(&handle, &[samples], &crate::read::Reader::new(&extractor, Default::default()), &Default::default(), &|_| {}).unwrap();
    let synonyms = Arc::new(Synonyms::load(&resources).unwrap());
    for query in ["喝酒开车", "骗老人 追赃挽损", "黑社会 团伙", "电诈 OR 偷东西", "拐孩子", "吸毒贩毒", "查处酒后开车"] {
        let req = SearchRequest {
            query: query.to_string(),
            limit: 50,
            synonyms: Some(synonyms.clone()),
            categories: Some(extractor.category_rules()),
            ..Default::default()
        };
        let texts = segmented_texts(&req);
        assert!(texts.len() > 1 || query == "黑社会 团伙", "{query}: no synonyms found");
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let quick = dictionary::for_texts(&dict, &texts);
        let a = search(&handle, &full, &req).unwrap();
        let b = search(&handle, &quick, &req).unwrap();
        let key = |r: &SearchResults| -> Vec<(String, String)> { r.hits.iter().map(|h| (h.path.clone(), format!("{:.4}", h.score))).collect() };
        assert_eq!(key(&a), key(&b), "{query}");
        assert_eq!(a.total, b.total, "{query}");
    }
}

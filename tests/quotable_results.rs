//! End-to-end: results a journalist can quote (issue 15). What was typed ranks first and
//! says so; expansions come after and are marked; partial matches never rest on stop
//! characters or the 某某 of a name; codes are one literal string; police abbreviations
//! find their long forms; page chrome stays out of passages and titles.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;
use tongbao::analysis::fold;

const KINDS: [&str; 5] = ["literal", "words", "synonym", "category", "partial"];

fn kind(hit: &Value) -> usize {
    KINDS.iter().position(|k| hit["match"] == *k).unwrap_or_else(|| panic!("unknown match kind in {hit}"))
}

fn folded_file(hit: &Value) -> String {
    let path = hit["path"].as_str().expect("path");
    let bytes = std::fs::read(path).expect("read hit");
    let (text, _, _) = encoding_rs::BIG5.decode(&bytes);
    let utf8 = String::from_utf8(bytes.clone()).ok();
    fold(utf8.as_deref().unwrap_or(&text))
}

/// Index generated bulletins (name, text) in a temporary folder.
struct Generated {
    dir: tempfile::TempDir,
}

impl Generated {
    fn new(docs: &[(&str, &str)]) -> Generated {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("docs")).expect("mkdir");
        for (name, text) in docs {
            std::fs::write(dir.path().join("docs").join(name), text).expect("write");
        }
        let g = Generated { dir };
        g.reindex();
        g
    }

    fn index(&self) -> String {
        self.dir.path().join("ix").to_string_lossy().into_owned()
    }

    fn docs(&self) -> &Path {
        self.dir.path()
    }

    fn reindex(&self) {
        let docs = self.dir.path().join("docs");
        let o = run(&["--index", &self.index(), "--quiet", "index", docs.to_str().expect("utf-8")]);
        assert!(o.status.success(), "index: {}", stderr(&o));
    }

    fn hits(&self, args: &[&str]) -> Vec<Value> {
        let ix = self.index();
        let mut all = vec!["--index", ix.as_str(), "search", "--json", "-n", "100"];
        all.extend_from_slice(args);
        let o = run(&all);
        assert!(o.status.code().is_some_and(|c| c <= 1), "search {args:?}: {}", stderr(&o));
        stdout(&o).lines().filter_map(|l| serde_json::from_str::<Value>(l).ok()).filter(|v| v.get("path").is_some()).collect()
    }

    fn names(&self, args: &[&str]) -> Vec<String> {
        let mut n = file_names(&self.hits(args));
        n.sort();
        n
    }
}

#[test]
fn what_was_typed_ranks_first_and_every_hit_says_how_it_matched() {
    let ix = SampleIndex::build();
    for query in ["电信诈骗", "刷单", "养老诈骗", "杀猪盘"] {
        let hits = ix.hits(&[query]);
        assert!(!hits.is_empty(), "{query}");
        let kinds: Vec<usize> = hits.iter().map(kind).collect();
        assert!(kinds.windows(2).all(|w| w[0] <= w[1]), "{query}: kinds out of order {kinds:?}");
        for h in &hits {
            let has = folded_file(h).contains(&fold(query));
            // Literal hits contain the query as typed (folded); no other kind does.
            assert_eq!(kind(h) == 0, has, "{query}: {} is {} but contains it: {has}", h["path"], h["match"]);
        }
    }
    // 电信诈骗: the bulletins saying exactly that come before those saying 电信网络诈骗.
    let hits = ix.hits(&["电信诈骗"]);
    let first_other = hits.iter().position(|h| kind(h) != 0).expect("some words-only hits");
    assert!(first_other >= 4, "{first_other}");
    assert_eq!(kind(&hits[first_other]), 1, "电信网络诈骗 has the words apart");
    // 杀猪盘 is in no sample: every hit is an expansion, ranked by its evidence (scores
    // differ and fall within each kind), not a flat score.
    let hits = ix.hits(&["杀猪盘"]);
    assert!(hits.iter().all(|h| kind(h) >= 2));
    let category: Vec<f64> = hits.iter().filter(|h| h["match"] == "category").map(|h| h["score"].as_f64().unwrap_or(0.0)).collect();
    assert!(category.len() >= 3, "{category:?}");
    assert!(category.windows(2).all(|w| w[0] >= w[1]) && category.first() > category.last(), "{category:?}");
}

#[test]
fn the_heading_and_the_summary_separate_what_contains_the_query_from_expansions() {
    let ix = SampleIndex::build();
    let o = ix.search(&["刷单", "--json", "-n", "100"]);
    let records: Vec<Value> = stdout(&o).lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let summary = records.iter().find(|r| r["type"] == "summary").expect("a summary record");
    let hits: Vec<&Value> = records.iter().filter(|r| r["type"] == "hit").collect();
    let n = |k: &str| summary[k].as_u64().unwrap_or_else(|| panic!("{k} in {summary}")) as usize;
    assert_eq!(n("literal") + n("words") + n("synonym") + n("category"), n("total"), "{summary}");
    assert_eq!(n("literal"), hits.iter().filter(|h| h["match"] == "literal").count());
    assert_eq!(n("category"), hits.iter().filter(|h| h["match"] == "category").count());
    assert!(n("literal") >= 2 && n("category") >= 5, "{summary}");
    assert_eq!(summary["categories"], serde_json::json!(["/诈骗/电信网络诈骗"]));
    let o = ix.search(&["刷单", "-n", "100", "--color", "never"]);
    let text = stdout(&o);
    let heading = text.lines().next().unwrap_or("");
    let want = format!("{} bulletins match: {} contain “刷单”; {} more are classified /诈骗/电信网络诈骗;", n("total"), n("literal"), n("category"));
    assert!(heading.starts_with(&want), "{heading}\nwanted {want}");
    // Each hit found only by its category says so under its title.
    assert_eq!(text.matches("by its category (words not in it)").count(), n("category"), "{text}");
    // All literal: nothing to separate.
    let o = ix.search(&["养老诈骗", "--exact", "--color", "never"]);
    assert!(stdout(&o).lines().next().is_some_and(|l| !l.contains("contain")), "{}", stdout(&o));
}

#[test]
fn partial_matches_never_rest_on_stop_characters_or_a_name_placeholder() {
    let ix = SampleIndex::build();
    for query in ["不存在的XYZ", "秦某某某", "崔某某 XYZ"] {
        let o = ix.search(&[query]);
        assert!(stdout(&o).contains("No bulletins match"), "{query}: {}", stdout(&o));
        assert_eq!(o.status.code(), Some(1), "{query}: nothing matched");
        assert!(ix.hits(&[query]).is_empty(), "{query}");
    }
    // A name matches only as written: one bulletin names 崔某某.
    let hits = ix.hits(&["崔某某"]);
    assert_eq!(file_names(&hits), ["jilin-yanbian-yanglao-zhapian-2022-05.md"]);
    assert_eq!(hits[0]["match"], "literal");
}

#[test]
fn a_deleted_name_is_gone_and_partial_matches_can_be_turned_off() {
    let g = Generated::new(&[
        ("qin.txt", "桂林警方打掉以秦某某为首的涉黑组织\n2019年4月，桂林市公安局打掉以秦某某为首的黑社会性质组织，抓获犯罪嫌疑人12名。\n"),
        ("li.txt", "南宁警方破获盗窃案\n2022年5月，南宁警方抓获盗窃嫌疑人李某某、王某某。\n"),
        ("ebike.txt", "查获来历不明电动车\n2023年3月，民警查获一批来历不明的电动车，正在核查。\n"),
        ("theft-1.txt", "盗窃案件下降\n今年以来，盗窃案件同比下降。\n"),
        ("theft-2.txt", "抓获盗窃嫌疑人\n民警抓获盗窃嫌疑人2名。\n"),
        ("both.txt", "破获盗窃电动车案\n民警破获盗窃电动车案件3起。\n"),
    ]);
    assert_eq!(g.names(&["秦某某"]), ["qin.txt"]);
    std::fs::remove_file(g.docs().join("docs/qin.txt")).expect("delete");
    g.reindex();
    assert!(g.hits(&["秦某某"]).is_empty(), "no partial hits on 某某 once the only 秦某某 is gone");
    // 电动车 carries most of the query's information here: a bulletin with it alone is a
    // partial match worth showing; --no-partial (and --exact) show only full matches.
    let hits = g.hits(&["盗窃 电动车"]);
    assert_eq!(file_names(&hits), ["both.txt", "ebike.txt"]);
    assert_eq!((hits[0]["match"].as_str(), hits[1]["match"].as_str()), (Some("literal"), Some("partial")));
    assert_eq!(g.names(&["盗窃 电动车", "--no-partial"]), ["both.txt"]);
    assert_eq!(g.names(&["盗窃 电动车", "--exact"]), ["both.txt"]);
}

#[test]
fn codes_are_one_literal_string_as_grep_sees_them() {
    let g = Generated::new(&[
        ("case.txt", "侦破“4·28”专案\n2023年，警方成功侦破“4·28”特大电信网络诈骗案，“雷霆2023”行动同步推进，嫌疑人代号A12345。\n"),
        ("court.txt", "判决生效\n（2023）粤0304刑初123号判决书已生效，7·15专案告破。\n"),
        ("apart.txt", "通报\n4月28日，全市破获案件28起，抓获4人；雷霆行动2023年启动；案件A1234567已移送。\n"),
        ("near.txt", "通报\n“4·29”专案告破，（2023）粤0304刑初1234号。\n"),
    ]);
    let cases: &[(&str, &[&str])] = &[
        ("4·28", &["case.txt"]),
        ("7·15专案", &["court.txt"]),
        ("“雷霆2023”", &["case.txt"]),
        ("A12345", &["apart.txt", "case.txt"]),
        ("(2023)粤0304刑初123号", &["court.txt"]),
        ("粤0304刑初123", &["court.txt", "near.txt"]),
        ("4·27", &[]),
    ];
    for (q, want) in cases {
        assert_eq!(g.names(&[q]), *want, "{q}");
        assert_eq!(g.names(&[q, "--exact"]), *want, "{q} --exact");
        assert!(g.hits(&[q]).iter().all(|h| h["match"] == "literal"), "{q}");
    }
}

#[test]
fn police_abbreviations_and_long_forms_find_each_other() {
    let g = Generated::new(&[
        ("short.txt", "破获贩毒案\n民警破获一起贩毒案件，查获假药一批，对2人依法刑拘。\n"),
        ("long.txt", "破获贩卖毒品案\n民警破获一起贩卖毒品案件，查获假冒药品一批，对3人依法刑事拘留。\n"),
        ("other.txt", "交通整治\n交警开展夜查行动。\n"),
    ]);
    for (a, b) in [("贩毒", "贩卖毒品"), ("假药", "假冒药品"), ("刑拘", "刑事拘留")] {
        for q in [a, b] {
            assert_eq!(g.names(&[q]), ["long.txt", "short.txt"], "{q}");
            assert_eq!(g.hits(&[q])[0]["match"], "literal", "{q}: the form typed first");
        }
    }
}

#[test]
fn print_font_and_share_chrome_stays_out_and_a_masthead_is_no_title() {
    let page = "濠江時報　內地新聞　2024年5月17日　星期五\n\n珠海警方搗毀跨境賭博團夥\n\n【本報訊】據珠海市公安局5月16日通報，珠海警方近日成功偵破一宗特大跨境賭博案，抓獲犯罪嫌疑人46名。\n\n【字體：大 中 小】 【列印】\n分享到：Facebook WhatsApp Telegram\n\n警方提醒市民切勿輕信「免費旅遊」的招攬，以免人財兩空。\n";
    let g = Generated::new(&[("macau.txt", page)]);
    let hits = g.hits(&["珠海"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["title"], "珠海警方搗毀跨境賭博團夥");
    assert_eq!(hits[0]["date"], "2024-05-17");
    let o = run(&["extract", "--json", g.docs().join("docs/macau.txt").to_str().expect("utf-8")]);
    let x: Value = serde_json::from_str(stdout(&o).lines().next().expect("a line")).expect("json");
    assert_eq!(x["title"], "珠海警方搗毀跨境賭博團夥");
    for q in ["列印", "WhatsApp", "字體"] {
        assert!(g.hits(&[q, "--exact"]).is_empty(), "{q} is chrome, not bulletin text");
    }
    // The sample with that masthead gets its headline too.
    let sample = samples().join("guangdong-zhuhai-kuajing-dubo-big5-2024-05.txt");
    let o = run(&["extract", "--json", sample.to_str().expect("utf-8")]);
    let x: Value = serde_json::from_str(stdout(&o).lines().next().expect("a line")).expect("json");
    assert!(x["title"].as_str().is_some_and(|t| t.starts_with("珠海警方")), "{}", x["title"]);
    assert_eq!(x["date"], "2024-05-17");
}

//! End-to-end tests of the core commands on corpus-samples/.

mod common;

use common::*;

#[test]
fn search_yanglao_zhapian_returns_every_bulletin_that_mentions_it_with_highlights() {
    let ix = SampleIndex::build();
    let hits = ix.hits(&["养老诈骗"]);
    let names = file_names(&hits);
    for expected in [
        "guangxi-nanning-yanglao-zhapian-2022-07.md",
        "jilin-yanbian-yanglao-zhapian-2022-05.md",
        "gansu-lanzhou-yanglao-zhapian-2023-09.md",
        "fujian-xiamen-yanglao-zhapian-trad-2023-04.txt", // traditional: 養老詐騙
    ] {
        assert!(names.contains(&expected.to_string()), "{expected} missing from {names:?}");
    }
    // Every hit has a passage whose highlight covers 养老诈骗 (or its traditional form).
    for h in &hits {
        let passages = h["passages"].as_array().expect("passages");
        let highlighted: Vec<String> = passages
            .iter()
            .flat_map(|p| {
                let chars: Vec<char> = p["text"].as_str().unwrap().chars().collect();
                p["highlights"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(move |span| {
                        let s = span[0].as_u64().unwrap() as usize;
                        let e = span[1].as_u64().unwrap() as usize;
                        chars[s..e].iter().collect::<String>()
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        assert!(highlighted.iter().any(|t| tongbao::analysis::fold(t).contains("养老诈骗")), "{}: highlights {highlighted:?}", h["path"]);
    }
}

#[test]
fn text_output_marks_matches_when_piped_and_asked_to() {
    let ix = SampleIndex::build();
    let o = ix.search(&["养老诈骗", "追赃挽损", "--marks", "【,】"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("【养老诈骗】"), "{out}");
    assert!(out.contains("【追赃挽损】"), "{out}");
    assert!(!out.contains('\x1b'), "no escape codes when piped");
    let o = ix.search(&["养老诈骗", "--color", "always"]);
    assert!(stdout(&o).contains("\x1b[1;31m"));
}

#[test]
fn dianxin_zhapian_finds_dianxin_wangluo_zhapian() {
    let ix = SampleIndex::build();
    let names = file_names(&ix.hits(&["电信诈骗"]));
    // This bulletin says 电信网络诈骗 and never 电信诈骗.
    assert!(names.contains(&"gonganbu-fabuhui-dianxin-wangluo-zhapian-2025-01.html".to_string()), "{names:?}");
    let text = std::fs::read_to_string(samples().join("gonganbu-fabuhui-dianxin-wangluo-zhapian-2025-01.html")).unwrap();
    assert!(!text.contains("电信诈骗"));
}

#[test]
fn traditional_query_finds_simplified_text() {
    let ix = SampleIndex::build();
    let names = file_names(&ix.hits(&["養老詐騙"]));
    assert!(names.contains(&"guangxi-nanning-yanglao-zhapian-2022-07.md".to_string()), "{names:?}");
}

#[test]
fn json_lines_follow_the_contract() {
    let ix = SampleIndex::build();
    let hits = ix.hits(&["禁毒"]);
    assert!(!hits.is_empty());
    // Ordered by kind of match (what was typed first), then by score within a kind.
    let kinds = ["literal", "words", "synonym", "category", "partial"];
    let mut last = (0, f64::INFINITY);
    for h in &hits {
        for key in ["path", "id", "score", "title", "date", "province", "city", "categories", "passages", "match"] {
            assert!(h.get(key).is_some(), "{key} missing in {h}");
        }
        let kind = kinds.iter().position(|k| h["match"] == *k).expect("a known match kind");
        let score = h["score"].as_f64().unwrap();
        if kind == last.0 {
            assert!(score <= last.1 + 1e-6, "not sorted by score within {}", kinds[kind]);
        }
        assert!(kind >= last.0, "{} after {}", kinds[kind], kinds[last.0]);
        last = (kind, score);
        for p in h["passages"].as_array().unwrap() {
            let n = p["text"].as_str().unwrap().chars().count() as u64;
            for span in p["highlights"].as_array().unwrap() {
                assert!(span[0].as_u64().unwrap() < span[1].as_u64().unwrap());
                assert!(span[1].as_u64().unwrap() <= n);
            }
        }
    }
}

#[test]
fn limit_and_offset_page_through_results() {
    let ix = SampleIndex::build();
    let all = file_names(&ix.hits(&["公安机关"]));
    assert!(all.len() > 4);
    let o = ix.search(&["公安机关", "--json", "--limit", "2", "--offset", "2"]);
    let page: Vec<serde_json::Value> =
        stdout(&o).lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()).filter(|v| v["type"] == "hit").collect();
    assert_eq!(file_names(&page), all[2..4].to_vec());
}

#[test]
fn no_hits_is_said_and_exits_one() {
    let ix = SampleIndex::build();
    let o = ix.search(&["完全不存在的词语组合鸭嘴兽"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("No bulletins match"), "{}", stdout(&o));
    let o = ix.search(&["完全不存在的词语组合鸭嘴兽", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let only: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("one summary record");
    assert_eq!((only["type"].as_str(), only["total"].as_u64()), (Some("summary"), Some(0)));
}

#[test]
fn missing_index_says_how_to_build_one() {
    let dir = tempfile::tempdir().unwrap();
    let ix = dir.path().join("none");
    let o = run(&["--index", ix.to_str().unwrap(), "search", "诈骗"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no index at") && err.contains("tongbao --index"), "{err}");
}

#[test]
fn first_search_builds_the_default_index_from_corpus_samples() {
    let dir = tempfile::tempdir().unwrap();
    let samples_copy = dir.path().join("corpus-samples");
    std::fs::create_dir(&samples_copy).unwrap();
    for name in ["guangxi-nanning-yanglao-zhapian-2022-07.md", "dalian-bairi-xingdong-jieduan-zhanguo-2022.txt"] {
        std::fs::copy(samples().join(name), samples_copy.join(name)).unwrap();
    }
    let o = bin().current_dir(dir.path()).args(["search", "养老诈骗"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("building one from corpus-samples"), "{}", stderr(&o));
    assert!(stdout(&o).contains("guangxi-nanning-yanglao-zhapian-2022-07.md"), "{}", stdout(&o));
    assert!(dir.path().join(".tongbao").join("meta.json").exists());
    // The second search uses it without rebuilding.
    let o = bin().current_dir(dir.path()).args(["search", "养老诈骗"]).output().unwrap();
    assert!(!stderr(&o).contains("building"), "{}", stderr(&o));
}

#[test]
fn empty_query_is_a_clear_error() {
    let ix = SampleIndex::build();
    let o = ix.search(&["，。！"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("nothing to search for"), "{}", stderr(&o));
}

#[test]
fn extract_json_prints_one_object_per_file() {
    let files = [samples().join("guangxi-nanning-yanglao-zhapian-2022-07.md"), samples().join("dalian-bairi-xingdong-jieduan-zhanguo-2022.txt")];
    let o = run(&["extract", "--json", files[0].to_str().unwrap(), files[1].to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    for (l, f) in lines.iter().zip(&files) {
        assert_eq!(l["path"].as_str().unwrap(), f.to_str().unwrap());
        assert!(!l["title"].as_str().unwrap().is_empty());
        assert!(l["body_chars"].as_u64().unwrap() > 200);
        for key in ["date", "date_source", "province", "city", "categories"] {
            assert!(l.get(key).is_some(), "{key}");
        }
    }
    // The date says where it came from, so it can be audited; an undated one has no source.
    assert_eq!((lines[0]["date"].as_str(), lines[0]["date_source"].as_str()), (Some("2022-07-14"), Some("front-matter")));
    assert_eq!((lines[1]["date"].as_str(), lines[1]["date_source"].as_str()), (None, None));
}

#[test]
fn extract_names_the_evidence_of_a_text_year() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.txt");
    std::fs::write(&f, "示例网南宁1月30日电 1月30日，自治区公安厅介绍，2023年，全区共破获电信网络诈骗案件1.2万起。\n").unwrap();
    let o = run(&["extract", "--json", f.to_str().unwrap()]);
    let l: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!((l["date"].as_str(), l["date_source"].as_str()), (Some("2024-01-30"), Some("text-year")));
    let o = run(&["extract", f.to_str().unwrap()]);
    assert!(stdout(&o).contains("date:       2024-01-30 (from text-year)"), "{}", stdout(&o));
}

#[test]
fn unreadable_file_is_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::copy(samples().join("guangxi-nanning-yanglao-zhapian-2022-07.md"), docs.join("good.md")).unwrap();
    std::fs::write(docs.join("empty.txt"), b"").unwrap();
    let ix = dir.path().join("ix");
    let o = run(&["--index", ix.to_str().unwrap(), "index", docs.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.lines().any(|l| l.contains("empty.txt") && l.contains("skipped")), "{err}");
    assert!(err.contains("1 added"), "{err}");
}

#[test]
fn formats_without_room_for_counts_refuse_facets_for_either_store() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    let ix = ix.to_str().unwrap();
    // Refused before any index or cluster is opened: neither exists here.
    let stores: [&[&str]; 2] = [&["--index", ix], &["--store", "solr:http://127.0.0.1:9/solr/nothing"]];
    for store in stores {
        for (format, said) in [
            (&["--format", "csv"][..], "'--format csv' cannot be used with '--facets'"),
            (&["-c"], "'--count' cannot be used"),
            (&["-l"], "cannot be used with"),
        ] {
            let mut args = store.to_vec();
            args.extend(["search", "诈骗"]);
            args.extend(format);
            args.extend(["--facets", "province"]);
            let o = run(&args);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.contains(said), "{args:?}: {err}");
            assert!(o.stdout.is_empty(), "{args:?}");
        }
    }
    // Without --facets, CSV goes on to look for the index.
    let o = run(&["--index", ix, "search", "诈骗", "--format", "csv"]);
    assert!(!stderr(&o).contains("--facets"), "{}", stderr(&o));
}

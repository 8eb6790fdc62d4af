//! End-to-end tests of what `tongbao search` and friends print for people and programs:
//! record types, CSV, counts and path lists, highlight marks, browsing, undated bulletins,
//! facet tables, exit statuses, closed pipes, removing vanished files, completions and help.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use common::*;

fn records(o: &std::process::Output) -> Vec<serde_json::Value> {
    stdout(o).lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
}

#[test]
fn json_output_is_typed_records_ending_with_a_summary() {
    let ix = SampleIndex::build();
    let o = ix.search(&["养老诈骗", "--json", "--from", "2022", "--facets"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let recs = records(&o);
    let (last, rest) = recs.split_last().expect("records");
    assert_eq!(last["type"], "summary", "{last}");
    for key in ["total", "literal", "expanded", "undated_left_out", "elapsed_ms"] {
        assert!(last.get(key).is_some(), "summary lacks {key}: {last}");
    }
    let hits: Vec<_> = rest.iter().filter(|r| r["type"] == "hit").collect();
    assert!(!hits.is_empty());
    for h in &hits {
        assert!(h["path"].is_string() && h["score"].is_number(), "{h}");
    }
    assert!(last["undated_left_out"].as_u64().is_some_and(|n| n >= 1), "{last}");
    // `--facets --json` and `facets --json` give the same record shape.
    let facets = rest.iter().find(|r| r["type"] == "facets").expect("a facets record");
    let whole = records(&run(&["--index", &ix.path(), "facets", "--json"]));
    assert_eq!(whole.len(), 1);
    let keys = |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(facets), keys(&whole[0]));
    assert_eq!(keys(&facets["facets"]), keys(&whole[0]["facets"]));
    assert!(whole[0]["facets"]["undated"].as_u64().is_some_and(|n| n >= 1), "{}", whole[0]);
}

#[test]
fn csv_count_and_path_lists_agree_with_the_json_hits() {
    let ix = SampleIndex::build();
    let json = ix.hits(&["诈骗"]);
    let o = ix.search(&["诈骗", "--format", "csv", "-n", "100"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    let header = reader.headers().expect("header").clone();
    assert_eq!(header.iter().collect::<Vec<_>>(), tongbao::render::csv::COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len(), json.len());
    for (row, hit) in rows.iter().zip(&json) {
        assert_eq!(&row[9], hit["path"].as_str().unwrap());
        assert_eq!(&row[3], hit["title"].as_str().unwrap());
        assert!(!row[15].is_empty(), "first passage of {}", &row[9]);
    }

    let o = ix.search(&["诈骗", "--count"]);
    assert!(o.status.success());
    let total: usize = stdout(&o).trim().parse().expect("a number");
    assert_eq!(total, json.len());

    let o = ix.search(&["诈骗", "-l"]);
    // Paths are shown as from the current folder (the tests run in the source folder).
    let listed: Vec<String> = stdout(&o).lines().map(|l| std::fs::canonicalize(l).expect("an existing file").display().to_string()).collect();
    let paths: Vec<String> = json.iter().map(|h| h["path"].as_str().unwrap().to_string()).collect();
    assert_eq!(listed, paths);

    let o = ix.search(&["没有这个词语的通报", "--count"]);
    assert_eq!(o.status.code(), Some(1), "nothing matched");
    assert_eq!(stdout(&o).trim(), "0");
}

#[test]
fn highlights_are_bare_in_a_pipe_marked_on_request_and_urls_shown() {
    let ix = SampleIndex::build();
    let plain = stdout(&ix.search(&["养老诈骗", "-n", "3"]));
    let json = ix.hits(&["养老诈骗"]);
    let passage = json[0]["passages"][0]["text"].as_str().unwrap().replace('\n', " ");
    assert!(plain.contains(&passage), "piped passages are the bulletin's own text:\n{plain}");
    let marked = stdout(&ix.search(&["养老诈骗", "-n", "3", "--marks", "«,»"]));
    assert!(marked.contains("«养老诈骗»"), "{marked}");
    let url = json.iter().find_map(|h| h["url"].as_str()).expect("a hit with a URL");
    let shown = stdout(&ix.search(&["养老诈骗", "-n", "100"]));
    assert!(shown.contains(url), "{url} not shown:\n{shown}");
    let o = ix.search(&["养老诈骗", "--marks", "«»"]);
    assert_eq!(o.status.code(), Some(2));
}

fn dates(hits: &[serde_json::Value]) -> Vec<Option<String>> {
    hits.iter().map(|h| h["date"].as_str().map(str::to_string)).collect()
}

#[test]
fn browsing_without_words_lists_newest_or_oldest_first() {
    let ix = SampleIndex::build();
    let hits = ix.hits(&["--province", "广西", "--category", "养老诈骗"]);
    assert!(!hits.is_empty());
    for h in &hits {
        assert_eq!(h["province"], "广西壮族自治区");
    }
    let all = dates(&ix.hits(&["--category", "诈骗"]));
    let dated: Vec<&String> = all.iter().flatten().collect();
    assert!(dated.windows(2).all(|w| w[0] >= w[1]), "newest first: {all:?}");
    let reversed = dates(&ix.hits(&["--category", "诈骗", "--reverse"]));
    let dated: Vec<&String> = reversed.iter().flatten().collect();
    assert!(dated.windows(2).all(|w| w[0] <= w[1]), "oldest first: {reversed:?}");
    if let Some(first_undated) = reversed.iter().position(Option::is_none) {
        assert!(reversed[first_undated..].iter().all(Option::is_none), "undated last: {reversed:?}");
    }
    let sorted = dates(&ix.hits(&["诈骗", "--sort", "date", "--reverse"]));
    let dated: Vec<&String> = sorted.iter().flatten().collect();
    assert!(dated.windows(2).all(|w| w[0] <= w[1]), "{sorted:?}");
    let o = ix.search(&["诈骗", "--reverse"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--sort date"), "{}", stderr(&o));
}

#[test]
fn date_filters_say_how_many_undated_bulletins_they_leave_out() {
    let ix = SampleIndex::build();
    let o = ix.search(&["诈骗", "--from", "2022"]);
    let text = stdout(&o);
    let json = records(&ix.search(&["诈骗", "--from", "2022", "--json"]));
    let summary = json.last().unwrap();
    let left_out = summary["undated_left_out"].as_u64().unwrap();
    assert!(left_out > 0);
    assert!(text.contains(&format!("{left_out} undated bulletins not shown; --include-undated to add them")), "{text}");
    let with = records(&ix.search(&["诈骗", "--from", "2022", "--include-undated", "--json"]));
    let with = with.last().unwrap();
    assert_eq!(with["total"].as_u64().unwrap(), summary["total"].as_u64().unwrap() + left_out);
    assert!(with["undated_left_out"].is_null(), "{with}");
}

#[test]
fn facets_show_months_undated_counts_and_a_province_by_year_table() {
    let ix = SampleIndex::build();
    let text = stdout(&run(&["--index", &ix.path(), "facets"]));
    let years = text.split("By year").nth(1).expect("a year section");
    assert!(years.lines().any(|l| l.trim_start().starts_with("undated")), "{text}");
    assert!(text.contains('█'), "bars: {text}");
    let months = stdout(&ix.search(&["诈骗", "--facets", "month"]));
    let section = months.split("By month").nth(1).expect("a month section");
    assert!(section.lines().any(|l| l.trim_start().starts_with("2022-07")), "{months}");
    let o = run(&["--index", &ix.path(), "facets", "--by", "province,year"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = stdout(&o);
    let head = table.lines().nth(1).expect("a header");
    assert!(head.contains("province") && head.contains("2022") && head.contains("undated") && head.ends_with("total"), "{table}");
    let guangxi = table.lines().find(|l| l.contains("广西壮族自治区")).expect("广西 row");
    let numbers: Vec<u64> = guangxi.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    let (total, cells) = numbers.split_last().unwrap();
    assert_eq!(cells.iter().sum::<u64>(), *total, "{guangxi}");
    let json = records(&run(&["--index", &ix.path(), "facets", "--by", "province,year", "--json"]));
    assert_eq!(json[0]["type"], "table");
}

#[test]
fn exit_status_closed_pipes_and_the_hit_cap() {
    let ix = SampleIndex::build();
    assert_eq!(ix.search(&["养老诈骗"]).status.code(), Some(0));
    assert_eq!(ix.search(&["完全不存在的词语组合鸭嘴兽"]).status.code(), Some(1));
    assert_eq!(ix.search(&["诈骗", "--from", "昨天"]).status.code(), Some(2));
    assert_eq!(ix.search(&["诈骗", "--province", "火星"]).status.code(), Some(2));

    let o = ix.search(&["诈骗", "-n", "20000", "--count"]);
    assert!(stderr(&o).contains("-n 20000 is more than the 10000"), "{}", stderr(&o));

    let mut child =
        bin().args(["--index", &ix.path(), "search", "诈骗", "-n", "5000", "--all"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).expect("a line");
    let o = child.wait_with_output().expect("wait");
    assert!(o.status.success(), "a closed pipe ends quietly: {:?} {}", o.status, stderr(&o));
    assert!(!stderr(&o).contains("Broken pipe"), "{}", stderr(&o));
}

#[test]
fn missing_and_vanished_files_named_to_index() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    let ix = ix.to_str().unwrap();
    let folder = tmp.path().join("b");
    std::fs::create_dir(&folder).unwrap();
    for name in ["guangxi-nanning-yanglao-zhapian-2022-07.md", "hubei-xiangyang-mingan-jian-2020-10.txt", "sichuan-liangshan-jindu-2019-06.htm"] {
        std::fs::copy(samples().join(name), folder.join(name)).unwrap();
    }
    let (a, b, c) = (
        folder.join("guangxi-nanning-yanglao-zhapian-2022-07.md"),
        folder.join("hubei-xiangyang-mingan-jian-2020-10.txt"),
        folder.join("sichuan-liangshan-jindu-2019-06.htm"),
    );
    let o = run(&["--index", ix, "index", "missing.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).trim(), "tongbao: cannot index missing.txt: no such file or folder");
    assert!(!std::path::Path::new(ix).exists(), "no index made for nothing");

    for f in [&a, &b, &c] {
        assert!(run(&["--index", ix, "-q", "index", f.to_str().unwrap()]).status.success());
    }
    let count = || -> String { stdout(&run(&["--index", ix, "search", "--count"])).trim().to_string() };
    assert_eq!(count(), "3");
    std::fs::remove_file(&a).unwrap();
    let o = run(&["--index", ix, "index", a.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("it no longer exists"), "{}", stderr(&o));
    assert_eq!(count(), "2");

    std::fs::remove_file(&b).unwrap();
    let check = stdout(&run(&["--index", ix, "check"]));
    assert!(check.contains("remove --gone") && !check.contains("on their folders"), "{check}");
    assert!(run(&["--index", ix, "-q", "remove", "--gone"]).status.success());
    assert_eq!(count(), "1");
    assert!(run(&["--index", ix, "check"]).status.success());
    let o = run(&["--index", ix, "-q", "remove", c.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(count(), "0");
    let o = run(&["--index", ix, "remove", c.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "not in the index any more");
}

#[test]
fn category_filters_take_the_words_that_name_a_category() {
    let ix = SampleIndex::build();
    for (word, path) in [("扫黑除恶", "/涉黑涉恶"), ("偷渡", "/妨害国边境")] {
        let hits = ix.hits(&["--category", word]);
        assert!(!hits.is_empty(), "{word}");
        for h in &hits {
            let cats: Vec<&str> = h["categories"].as_array().unwrap().iter().filter_map(|c| c.as_str()).collect();
            assert!(cats.iter().any(|c| c.starts_with(path)), "{word}: {cats:?}");
        }
    }
}

#[test]
fn completions_man_page_and_help() {
    for shell in ["bash", "zsh", "fish"] {
        let o = run(&["completions", shell]);
        assert!(o.status.success() && stdout(&o).contains("tongbao") && stdout(&o).contains("files-with-matches"), "{shell}");
    }
    let man = stdout(&run(&["man"]));
    assert!(man.starts_with(".ie") || man.contains(".TH tongbao"), "{}", &man[..200.min(man.len())]);
    let help = stdout(&run(&["--help"]));
    assert!(help.contains(".tongbao") && help.contains("Exit status") && help.contains("Examples"), "{help}");
    assert!(stdout(&run(&["search", "--help"])).contains("tongbao search 酒驾 --count"));
    // Every option has a description: no flag alone on its help line.
    for cmd in ["extract", "facets", "check", "search", "index", "remove"] {
        let help = stdout(&run(&[cmd, "-h"]));
        for line in help.lines().filter(|l| l.trim_start().starts_with("--") || l.trim_start().starts_with("-")) {
            let words: Vec<&str> = line.split_whitespace().collect();
            let described = words.iter().any(|w| !w.starts_with('-') && !w.starts_with('<') && !w.ends_with(','));
            assert!(described, "{cmd}: bare help line {line:?}");
        }
    }
}

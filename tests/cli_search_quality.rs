//! End-to-end: synonym expansion, `--exact` and `--explain` through the binary.

use std::path::Path;
use std::process::Command;

fn tongbao(index: &Path, args: &[&str]) -> (String, String, bool) {
    let out =
        Command::new(env!("CARGO_BIN_EXE_tongbao")).arg("--index").arg(index).args(["--quiet", "--color", "never"]).args(args).output().expect("run tongbao");
    // Exit 1 is "nothing matched": the search worked.
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned(), matches!(out.status.code(), Some(0 | 1)))
}

fn indexed() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::write(docs.join("jiujia.txt"), "交警严查酒驾醉驾\n2023年6月1日，某市交警开展酒后驾驶集中整治，查处酒驾5起、醉驾2起。\n").expect("write");
    std::fs::write(docs.join("jindu.txt"), "禁毒宣传进社区\n民警开展禁毒宣传活动。\n").expect("write");
    let index = dir.path().join("index");
    let (_, err, ok) = tongbao(&index, &["index", docs.to_str().expect("utf-8 path")]);
    assert!(ok, "index failed: {err}");
    (dir, index)
}

#[test]
fn colloquial_query_says_what_it_also_matched() {
    let (_d, index) = indexed();
    let (out, err, ok) = tongbao(&index, &["search", "喝酒开车"]);
    assert!(ok, "{err}");
    assert!(out.contains("jiujia.txt"), "{out}");
    let also = out.lines().find(|l| l.starts_with("also matched: ")).unwrap_or_else(|| panic!("no also-matched line in {out}"));
    assert!(also.contains("酒驾") && also.contains("醉驾"), "{also}");
    assert!(!out.contains("jindu.txt"), "{out}");
}

#[test]
fn exact_turns_expansion_off() {
    let (_d, index) = indexed();
    let (out, err, ok) = tongbao(&index, &["search", "喝酒开车", "--exact"]);
    assert!(ok, "{err}");
    assert!(!out.contains("jiujia.txt") && !out.contains("also matched"), "{out}");
    assert!(out.contains("No bulletins match"), "{out}");
}

#[test]
fn json_hits_carry_the_expansions_one_object_per_line() {
    let (_d, index) = indexed();
    let (out, err, ok) = tongbao(&index, &["search", "喝酒開車", "--json", "--explain"]);
    assert!(ok, "{err}");
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(lines[1]["type"], "summary", "{out}");
    let hit = &lines[0];
    assert!(hit["path"].as_str().is_some_and(|p| p.ends_with("jiujia.txt")));
    let expanded: Vec<&str> = hit["expanded"].as_array().expect("expanded").iter().filter_map(|v| v.as_str()).collect();
    assert!(expanded.contains(&"酒驾"), "{expanded:?}");
    assert!(hit["explain"].as_array().is_some_and(|a| !a.is_empty()), "{hit}");
}

#[test]
fn explain_prints_the_parts_of_the_score() {
    let (_d, index) = indexed();
    let (out, err, ok) = tongbao(&index, &["search", "酒驾", "--explain"]);
    assert!(ok, "{err}");
    assert!(out.contains("score ") && out.contains("酒驾 · word · title"), "{out}");
}

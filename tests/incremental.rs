//! End to end: incremental `index` runs, rebuilds, version changes, the single-writer lock
//! and near-duplicate grouping, through the built binary.

mod support;

use std::fs;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, SystemTime};

use support::*;

fn summary(o: &std::process::Output) -> String {
    stderr(o).lines().filter(|l| l.contains("indexed into")).collect::<Vec<_>>().join("\n")
}

#[test]
fn add_change_touch_remove_rename_and_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("idx");
    fs::create_dir_all(docs.join("sub")).unwrap();
    for i in 0..4 {
        fs::write(docs.join(format!("b{i}.txt")), bulletin_text(i, 12)).unwrap();
    }
    fs::write(docs.join("sub/b9.txt"), bulletin_text(9, 12)).unwrap();

    let o = ok(&index, &["index", docs.to_str().unwrap()]);
    assert!(summary(&o).contains("5 added, 0 updated, 0 removed, 0 unchanged, 0 skipped"), "{}", stderr(&o));
    let o = ok(&index, &["index", docs.to_str().unwrap()]);
    assert!(summary(&o).contains("0 added, 0 updated, 0 removed, 5 unchanged"), "{}", stderr(&o));

    // Changed content: replaced, not doubled.
    fs::write(docs.join("b0.txt"), bulletin_text(100, 12) + "新增内容鸬鹚捕鱼\n").unwrap();
    // Same content, new mtime: unchanged.
    let f = fs::File::options().write(true).open(docs.join("b1.txt")).unwrap();
    f.set_modified(SystemTime::now() + Duration::from_secs(60)).unwrap();
    drop(f);
    let o = ok(&index, &["index", docs.to_str().unwrap()]);
    assert!(summary(&o).contains("0 added, 1 updated, 0 removed, 4 unchanged"), "{}", stderr(&o));
    assert_eq!(hit_paths(&index, "鸬鹚捕鱼").len(), 1);
    // The refreshed stamp means the touched file is now skipped without reading.
    let o = ok(&index, &["index", docs.to_str().unwrap()]);
    assert!(summary(&o).contains("0 added, 0 updated, 0 removed, 5 unchanged"), "{}", stderr(&o));

    // Removed and renamed files.
    fs::remove_file(docs.join("b2.txt")).unwrap();
    fs::rename(docs.join("sub/b9.txt"), docs.join("b9-renamed.txt")).unwrap();
    let o = ok(&index, &["index", docs.to_str().unwrap()]);
    assert!(summary(&o).contains("1 added, 0 updated, 2 removed, 3 unchanged"), "{}", stderr(&o));
    assert_eq!(doc_count(&index), 4);
    let paths = hit_paths(&index, "公安机关");
    assert_eq!(paths.len(), 4, "{paths:?}");
    assert!(paths.iter().any(|p| p.ends_with("b9-renamed.txt")));
    assert!(!paths.iter().any(|p| p.ends_with("b2.txt") || p.ends_with("sub/b9.txt")));

    // Indexing another folder leaves this one alone.
    let other = tmp.path().join("other");
    fs::create_dir_all(&other).unwrap();
    fs::write(other.join("o.txt"), bulletin_text(50, 12)).unwrap();
    ok(&index, &["index", other.to_str().unwrap()]);
    assert_eq!(doc_count(&index), 5);

    // --full rebuilds from scratch, from every folder the index records: naming one of
    // them does not drop the other's bulletins.
    let o = ok(&index, &["index", "--full", docs.to_str().unwrap()]);
    assert!(summary(&o).contains("5 added"), "{}", stderr(&o));
    assert_eq!(doc_count(&index), 5);
}

#[test]
fn empty_files_are_skipped_with_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(docs.join("good.txt"), bulletin_text(1, 8)).unwrap();
    fs::write(docs.join("empty.txt"), "").unwrap();
    let o = ok(&tmp.path().join("idx"), &["index", docs.to_str().unwrap()]);
    assert!(summary(&o).contains("1 added") && summary(&o).contains("1 skipped (1 empty file)"), "{}", stderr(&o));
    assert!(stderr(&o).contains("skipped") && stderr(&o).contains("empty.txt"));
}

#[test]
fn another_version_is_rebuilt_by_index_and_explained_by_search() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("idx");
    fs::create_dir_all(&docs).unwrap();
    for i in 0..3 {
        fs::write(docs.join(format!("b{i}.txt")), bulletin_text(i, 8)).unwrap();
    }
    ok(&index, &["index", docs.to_str().unwrap()]);
    let meta_path = index.join("tongbao.json");
    let mut meta: serde_json::Value = serde_json::from_str(&fs::read_to_string(&meta_path).unwrap()).unwrap();
    meta["schema_version"] = serde_json::json!(0);
    fs::write(&meta_path, meta.to_string()).unwrap();

    let o = run(&index, &["search", "诈骗"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    let abs_docs = std::path::absolute(&docs).unwrap();
    let command = format!("tongbao --index {} index {}", index.display(), abs_docs.display());
    assert!(err.contains("another version of tongbao") && err.contains(&command), "{err}");

    let o = ok(&index, &["index", docs.to_str().unwrap()]);
    assert!(stderr(&o).contains("rebuilding it from"), "{}", stderr(&o));
    assert!(summary(&o).contains("3 added"), "{}", stderr(&o));
    assert_eq!(doc_count(&index), 3);
    ok(&index, &["search", "诈骗"]);
}

#[test]
fn a_second_writer_gets_one_clear_line_while_search_keeps_working() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("idx");
    fs::create_dir_all(&docs).unwrap();
    fs::write(docs.join("a.txt"), bulletin_text(1, 8)).unwrap();
    let mut watcher = tongbao(&index).args(["watch", docs.to_str().unwrap()]).stderr(Stdio::piped()).spawn().unwrap();
    let mut lines = BufReader::new(watcher.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.contains("watching"), "{first}");

    let o = run(&index, &["index", docs.to_str().unwrap()]);
    assert!(!o.status.success());
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("another tongbao process is writing to the index"), "{}", stderr(&o));
    let o = run(&index, &["watch", docs.to_str().unwrap()]);
    assert!(!o.status.success() && stderr(&o).contains("another tongbao process is writing"), "{}", stderr(&o));
    assert_eq!(hit_paths(&index, "公安机关").len(), 1);

    interrupt(&watcher);
    let status = watcher.wait().unwrap();
    assert!(status.success(), "watch exited with {status}");
    // The lock died with the watcher.
    ok(&index, &["index", docs.to_str().unwrap()]);
}

/// Ctrl-C, as a terminal would send it.
pub fn interrupt(child: &std::process::Child) {
    let status = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
}

#[test]
fn republished_copies_are_one_hit_listing_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("idx");
    fs::create_dir_all(docs.join("city")).unwrap();
    fs::create_dir_all(docs.join("news")).unwrap();
    let body = "2023年3月以来，清远市公安局针对养老诈骗违法犯罪多发的情况，组织开展专项打击行动，共破获养老诈骗案件12起，抓获犯罪嫌疑人35名，追缴涉案资金300余万元。\n\
        经查，犯罪嫌疑人以举办健康讲座、免费体检为名，向老年人推销所谓具有神奇疗效的保健品，骗取老人钱财，部分受害人被骗金额高达十余万元。\n\
        警方提醒广大老年朋友，凡是以高额回报为诱饵推销保健品、投资理财的，都要提高警惕，谨防上当受骗，如遇可疑情况请及时拨打110报警。\n";
    fs::write(docs.join("city/a.txt"), format!("清远警方破获系列养老诈骗案\n发布时间：2023-05-10 来源：清远市公安局\n{body}")).unwrap();
    fs::write(
        docs.join("news/b.txt"),
        format!("转载｜清远：打掉养老诈骗团伙 追缴300余万元\n清远日报 2023-05-11 编辑：王五 分享到：微信 微博\n{body}（责任编辑：赵六）\n"),
    )
    .unwrap();
    fs::write(docs.join("c.txt"), bulletin_text(7, 12)).unwrap();
    ok(&index, &["index", docs.to_str().unwrap()]);

    let o = ok(&index, &["search", "--color", "never", "养老诈骗"]);
    let text = stdout(&o);
    assert!(text.contains("also published at 1 other place:"), "{text}");
    let hits: Vec<serde_json::Value> = stdout(&ok(&index, &["search", "--json", "养老诈骗"]))
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "hit")
        .collect();
    let grouped: Vec<_> =
        hits.iter().filter(|h| h["path"].as_str().unwrap().contains("/docs/city/") || h["path"].as_str().unwrap().contains("/docs/news/")).collect();
    assert_eq!(grouped.len(), 1, "{hits:?}");
    let dup = grouped[0]["duplicates"].as_array().unwrap();
    assert_eq!(dup.len(), 1);
    assert!(grouped[0]["group"].as_str().is_some_and(|g| g.len() == 16));
    assert_ne!(dup[0].as_str().unwrap(), grouped[0]["path"].as_str().unwrap());

    let all = hit_paths(&index, "养老诈骗");
    assert!(all.iter().any(|p| p.ends_with("city/a.txt")) && all.iter().any(|p| p.ends_with("news/b.txt")), "{all:?}");
}

//! End to end: tongbao never deletes a user's file and never drops or doubles indexed
//! bulletins (issue 12, parts A and B).
//!
//! Each test sets up what a careless or unlucky user does — an index folder that also
//! holds their files, a rebuild after an upgrade, GBK file names, a folder they cannot
//! read for a moment, one folder typed three ways — and checks the files on disk and the
//! bulletins in the index afterwards.

mod support;

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use support::*;

fn summary(o: &std::process::Output) -> String {
    stderr(o).lines().filter(|l| l.contains("indexed into")).collect::<Vec<_>>().join("\n")
}

/// A folder of `n` generated bulletins named `prefix-i.txt`.
fn bulletins(dir: &Path, prefix: &str, n: u64, seed: u64) {
    fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        fs::write(dir.join(format!("{prefix}-{i}.txt")), bulletin_text(seed + i, 10)).unwrap();
    }
}

/// A `--schema-dir` whose dictionary has one more word: analysis data that differs from
/// the built-in one, as after an upgrade, so an index built without it must be rebuilt.
fn other_analysis(tmp: &Path) -> PathBuf {
    let dir = tmp.join("schema");
    fs::create_dir_all(&dir).unwrap();
    let mut dict = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("index-schema/dictionary.txt")).unwrap();
    dict.push_str("\n反诈宣传月 5 n\n");
    fs::write(dir.join("dictionary.txt"), dict).unwrap();
    dir
}

fn with_schema<'a>(schema: &'a Path, args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["--schema-dir", schema.to_str().unwrap()];
    all.extend_from_slice(args);
    all
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn a_rebuild_never_deletes_a_users_files_in_the_index_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("ix");
    bulletins(&docs, "b", 4, 0);
    ok(&index, &["index", docs.to_str().unwrap()]);
    // The user keeps notes in the index folder, and a folder of drafts.
    fs::write(index.join("我的笔记.txt"), "下周核对南宁的通报").unwrap();
    fs::create_dir_all(index.join("草稿")).unwrap();
    fs::write(index.join("草稿/一.md"), "# 草稿\n").unwrap();
    let mine = ["我的笔记.txt", "草稿"];

    // An upgrade changed the analysis data: the next run rebuilds.
    let schema = other_analysis(tmp.path());
    let o = ok(&index, &with_schema(&schema, &["index", docs.to_str().unwrap()]));
    assert!(stderr(&o).contains("rebuilding it"), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(index.join("我的笔记.txt")).unwrap(), "下周核对南宁的通报");
    assert_eq!(fs::read_to_string(index.join("草稿/一.md")).unwrap(), "# 草稿\n");
    let o = ok(&index, &with_schema(&schema, &["facets", "--json"]));
    assert!(stdout(&o).contains("\"total\":4"), "{}", stdout(&o));

    // `--full` (back to the built-in data) rebuilds in place too, and spares them again.
    let o = ok(&index, &["index", "--full", docs.to_str().unwrap()]);
    assert!(summary(&o).contains("4 added"), "{}", stderr(&o));
    assert_eq!(doc_count(&index), 4);
    let left = names_in(&index);
    for m in mine {
        assert!(left.iter().any(|n| n == m), "{m} is gone: {left:?}");
    }
    // Nothing of the rebuilds is left behind: no second index, no rebuild folder.
    assert_eq!(names_in(tmp.path()), ["docs", "ix", "schema"], "{:?}", names_in(tmp.path()));
    let segments = left.iter().filter(|n| n.ends_with(".store")).count();
    assert!((1..=2).contains(&segments), "old segments left behind: {left:?}");
}

#[test]
fn the_index_folder_is_kept_apart_from_the_bulletins() {
    let tmp = tempfile::tempdir().unwrap();
    // Inside an indexed folder: never walked, so its files are neither bulletins nor
    // reported as binaries.
    let docs = tmp.path().join("docs");
    bulletins(&docs, "d", 2, 10);
    let inner = docs.join("idx");
    let o = ok(&inner, &["index", docs.to_str().unwrap()]);
    assert!(summary(&o).contains("2 added, 0 updated, 0 removed, 0 unchanged, 0 skipped"), "{}", stderr(&o));
    let o = ok(&inner, &["index", docs.to_str().unwrap()]);
    assert!(summary(&o).contains("0 added, 0 updated, 0 removed, 2 unchanged, 0 skipped"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("idx/"), "{}", stderr(&o));
    assert_eq!(doc_count(&inner), 2);

    // The index folder as the folder to index: refused, with the reason, nothing touched.
    let ix = tmp.path().join("ix");
    ok(&ix, &["index", docs.to_str().unwrap()]);
    fs::write(ix.join("放错位置的通报.txt"), bulletin_text(99, 5)).unwrap();
    let before = names_in(&ix);
    for target in [ix.clone(), ix.join(".")] {
        let o = run(&ix, &["index", target.to_str().unwrap()]);
        assert!(!o.status.success());
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("index folder") && err.contains("being indexed") && err.contains("--index"), "{err}");
    }
    // Or holding it.
    let o = run(&ix, &["index", ix.join("sub").to_str().unwrap()]);
    assert!(!o.status.success() && stderr(&o).contains("being indexed"), "{}", stderr(&o));
    assert_eq!(names_in(&ix), before);
    assert_eq!(doc_count(&ix), 2);
}

#[test]
fn a_rebuild_reads_every_recorded_folder_and_survives_kill_9() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let index = tmp.path().join("ix");
    // Enough text that a rebuild takes a moment to kill.
    bulletins(&a, "a", 1500, 0);
    bulletins(&b, "b", 500, 5000);
    ok(&index, &["index", a.to_str().unwrap()]);
    ok(&index, &["index", b.to_str().unwrap()]);
    assert_eq!(doc_count(&index), 2000);
    let schema = other_analysis(tmp.path());

    // Killed in the middle of the rebuild: the old index is whole (it still opens with
    // the analysis that built it).
    let start = Instant::now();
    let mut child = tongbao(&index).args(with_schema(&schema, &["-q", "index", a.to_str().unwrap()])).spawn().unwrap();
    let staging = tmp.path().join(".ix.tongbao-rebuild");
    while start.elapsed() < Duration::from_secs(20) && child.try_wait().unwrap().is_none() {
        // Once the rebuild has written segments, it is well under way.
        if fs::read_dir(&staging).is_ok_and(|d| d.flatten().any(|e| e.file_name().to_string_lossy().ends_with(".store"))) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let finished_first = child.try_wait().unwrap().is_some();
    child.kill().unwrap();
    child.wait().unwrap();
    eprintln!("killed after {:?} (finished before the kill: {finished_first})", start.elapsed());
    if !finished_first {
        assert_eq!(doc_count(&index), 2000, "the old index must survive a killed rebuild");
    }

    // Run again, naming only `a`: the rebuild still reads `b`, which the index records.
    let o = ok(&index, &with_schema(&schema, &["index", a.to_str().unwrap()]));
    assert!(stderr(&o).contains(b.file_name().unwrap().to_str().unwrap()), "{}", stderr(&o));
    let o = ok(&index, &with_schema(&schema, &["facets", "--json"]));
    assert!(stdout(&o).contains("\"total\":2000"), "{}", stdout(&o));
    assert!(!staging.exists(), "the rebuild folder is removed once swapped in");
    let o = ok(&index, &with_schema(&schema, &["search", "--json", "--exact", "-n", "5", "第5003号警情"]));
    assert!(stdout(&o).contains("b-3.txt"), "{}", stdout(&o));
}

#[test]
fn file_names_that_are_not_utf8_are_distinct_files() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("ix");
    fs::create_dir_all(&docs).unwrap();
    // 南宁.txt, 柳州.txt, 桂林.txt as a GBK system writes them: not UTF-8, and all three
    // decode lossily to the same "����.txt".
    let gbk = |s: &str| encoding_rs::GBK.encode(s).0.into_owned();
    let names: Vec<PathBuf> = ["南宁.txt", "柳州.txt", "桂林.txt"].iter().map(|n| docs.join(OsStr::from_bytes(&gbk(n)))).collect();
    for (i, (p, city)) in names.iter().zip(["南宁", "柳州", "桂林"]).enumerate() {
        fs::write(p, format!("{city}市公安局通报\n{}{city}警方破获案件{i}起。\n", bulletin_text(i as u64, 4))).unwrap();
    }
    let o = ok(&index, &["index", docs.to_str().unwrap()]);
    assert!(summary(&o).contains("3 added"), "{}", stderr(&o));
    for _ in 0..2 {
        let o = ok(&index, &["index", docs.to_str().unwrap()]);
        assert!(summary(&o).contains("0 added, 0 updated, 0 removed, 3 unchanged"), "{}", stderr(&o));
    }
    assert_eq!(doc_count(&index), 3);
    for city in ["南宁", "柳州", "桂林"] {
        assert_eq!(hit_paths(&index, &format!("{city}警方破获")).len(), 1, "{city}");
    }
    // Deleting one removes exactly that one.
    fs::remove_file(&names[1]).unwrap();
    let o = ok(&index, &["index", docs.to_str().unwrap()]);
    assert!(summary(&o).contains("0 added, 0 updated, 1 removed, 2 unchanged"), "{}", stderr(&o));
    assert_eq!(hit_paths(&index, "柳州警方破获").len(), 0);
    assert_eq!(hit_paths(&index, "南宁警方破获").len() + hit_paths(&index, "桂林警方破获").len(), 2);
    let o = ok(&index, &["check"]);
    assert!(stdout(&o).contains("OK (2 bulletins"), "{}", stdout(&o));
}

#[test]
fn one_file_reached_by_several_spellings_is_one_bulletin() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("ix");
    bulletins(&docs, "s", 5, 20);
    std::os::unix::fs::symlink(&docs, tmp.path().join("link")).unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    let spellings = [
        docs.to_str().unwrap().to_string(),
        format!("{}/../docs", docs.display()),
        tmp.path().join("link").to_str().unwrap().to_string(),
        format!("{}/./s-0.txt", docs.display()),
    ];
    for (i, s) in spellings.iter().enumerate() {
        let o = ok(&index, &["index", s]);
        let want = if i == 0 { "5 added" } else { "0 added, 0 updated, 0 removed" };
        assert!(summary(&o).contains(want), "{s}: {}", stderr(&o));
    }
    // A relative path typed in another folder.
    let o = tongbao(&index).current_dir(&elsewhere).args(["index", "../docs"]).output().unwrap();
    assert!(o.status.success() && summary(&o).contains("0 added, 0 updated, 0 removed, 5 unchanged"), "{}", stderr(&o));
    assert_eq!(doc_count(&index), 5);
    let paths = hit_paths(&index, "公安机关");
    assert_eq!(paths.len(), 5, "{paths:?}");
    assert_eq!(paths.iter().collect::<HashSet<_>>().len(), 5);
}

#[test]
fn a_file_replaced_by_a_folder_fifo_or_device_leaves_the_index() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("ix");
    fs::create_dir_all(&docs).unwrap();
    for (name, word) in [("folder.txt", "翠湖路口"), ("fifo.txt", "银杏大道"), ("device.txt", "梧桐小区"), ("kept.txt", "枫林渡口")] {
        fs::write(docs.join(name), format!("{word}警情通报\n{}{word}发生一起盗窃案件。\n", bulletin_text(1, 4))).unwrap();
    }
    ok(&index, &["index", docs.to_str().unwrap()]);
    assert_eq!(doc_count(&index), 4);

    fs::remove_file(docs.join("folder.txt")).unwrap();
    fs::create_dir(docs.join("folder.txt")).unwrap();
    fs::write(docs.join("folder.txt/inside.txt"), bulletin_text(7, 4)).unwrap();
    fs::remove_file(docs.join("fifo.txt")).unwrap();
    let fifo = std::ffi::CString::new(docs.join("fifo.txt").as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file system entry.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    fs::remove_file(docs.join("device.txt")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", docs.join("device.txt")).unwrap();

    let o = ok(&index, &["index", docs.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(summary(&o).contains("1 added, 0 updated, 3 removed, 1 unchanged"), "{err}");
    assert!(err.lines().any(|l| l.contains("skipped") && l.contains("fifo.txt") && l.contains("FIFO")), "{err}");
    assert!(err.lines().any(|l| l.contains("skipped") && l.contains("device.txt") && l.contains("/dev")), "{err}");
    for gone in ["翠湖路口", "银杏大道", "梧桐小区"] {
        assert!(hit_paths(&index, gone).is_empty(), "{gone} is still searchable");
    }
    assert_eq!(hit_paths(&index, "枫林渡口").len(), 1);
    assert_eq!(doc_count(&index), 2);
}

#[test]
fn edits_to_files_dated_before_1970_are_seen() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("ix");
    fs::create_dir_all(&docs).unwrap();
    let file = docs.join("archive.txt");
    let set_mtime = |years_before_1970: u64| {
        let t = SystemTime::UNIX_EPOCH - Duration::from_secs(years_before_1970 * 365 * 86_400);
        fs::File::options().write(true).open(&file).unwrap().set_modified(t).unwrap();
    };
    fs::write(&file, "档案通报\n1965年，某县公安局破获一起盗窃耕牛案件。\n").unwrap();
    set_mtime(10);
    ok(&index, &["index", docs.to_str().unwrap()]);
    // The same number of bytes, other words, another (also pre-1970) date.
    fs::write(&file, "档案通报\n1966年，某县公安局破获一起盗窃粮食案件。\n").unwrap();
    set_mtime(5);
    let o = ok(&index, &["index", docs.to_str().unwrap()]);
    assert!(summary(&o).contains("1 updated"), "{}", stderr(&o));
    assert_eq!(hit_paths(&index, "盗窃粮食").len(), 1);
    assert!(hit_paths(&index, "盗窃耕牛").is_empty());
    let o = ok(&index, &["index", docs.to_str().unwrap()]);
    assert!(summary(&o).contains("1 unchanged"), "{}", stderr(&o));
}

#[test]
fn a_folder_that_cannot_be_read_keeps_its_bulletins() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    open_to_all(tmp.path());
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("ix");
    bulletins(&docs, "top", 2, 30);
    bulletins(&docs.join("sub"), "sub", 5, 40);
    let Some(mut first) = unprivileged(&index) else { return };
    let o = first.args(["index", docs.to_str().unwrap()]).output().unwrap();
    assert!(o.status.success() && summary(&o).contains("7 added"), "{}", stderr(&o));

    fs::set_permissions(docs.join("sub"), fs::Permissions::from_mode(0o000)).unwrap();
    let o = unprivileged(&index).unwrap().args(["index", docs.to_str().unwrap()]).output().unwrap();
    fs::set_permissions(docs.join("sub"), fs::Permissions::from_mode(0o755)).unwrap();
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(summary(&o).contains("0 removed"), "{err}");
    assert!(err.lines().any(|l| l.contains("skipped") && l.contains("sub") && l.contains("ermission denied")), "{err}");
    assert_eq!(doc_count(&index), 7);

    // Readable again: nothing to do, nothing was lost.
    let o = unprivileged(&index).unwrap().args(["index", docs.to_str().unwrap()]).output().unwrap();
    assert!(summary(&o).contains("0 added, 0 updated, 0 removed, 7 unchanged"), "{}", stderr(&o));
}

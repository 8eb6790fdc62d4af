//! End to end: `tongbao watch` makes new, changed and removed bulletins searchable from
//! another process, reports bad files without stopping, and exits cleanly on Ctrl-C.

mod support;

use std::fs;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::*;

/// Generous bound so a loaded machine does not make the test flaky; the target (2 s) is
/// measured by the benchmark, not asserted here.
const PATIENCE: Duration = Duration::from_secs(10);

fn wait_until(what: &str, mut cond: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < PATIENCE, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
    start.elapsed()
}

fn found(index: &Path, query: &str, file: &str) -> bool {
    hit_paths(index, query).iter().any(|p| p.ends_with(file))
}

#[test]
fn watch_indexes_new_changed_and_removed_files_and_stops_on_ctrl_c() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("idx");
    fs::create_dir_all(&docs).unwrap();
    fs::write(docs.join("old.txt"), bulletin_text(1, 8)).unwrap();
    let mut watcher = tongbao(&index).args(["watch", docs.to_str().unwrap()]).stderr(Stdio::piped()).spawn().unwrap();
    let stderr_pipe = watcher.stderr.take().unwrap();
    let log = std::thread::spawn(move || std::io::read_to_string(stderr_pipe).unwrap_or_default());

    // Initial catch-up.
    wait_until("catch-up", || index.join("meta.json").exists() && found(&index, "公安机关", "old.txt"));

    // New file.
    fs::write(docs.join("new.txt"), bulletin_text(2, 8) + "白鹭湖畔发现可疑人员\n").unwrap();
    let took = wait_until("new file", || found(&index, "白鹭湖畔", "new.txt"));
    eprintln!("new file searchable after {took:?}");

    // A bad (empty) file is reported and skipped; the watch goes on.
    fs::write(docs.join("empty.txt"), "").unwrap();
    // A file in a new subfolder.
    fs::create_dir_all(docs.join("2024")).unwrap();
    fs::write(docs.join("2024/sub.txt"), bulletin_text(3, 8) + "翡翠山庄聚众赌博\n").unwrap();
    wait_until("file in new folder", || found(&index, "翡翠山庄", "sub.txt"));

    // Changed file: the new text replaces the old, no copy left behind.
    fs::write(docs.join("new.txt"), bulletin_text(4, 8) + "青石巷口盗窃电动车\n").unwrap();
    wait_until("changed file", || found(&index, "青石巷口", "new.txt") && !found(&index, "白鹭湖畔", "new.txt"));

    // Removed file.
    fs::remove_file(docs.join("old.txt")).unwrap();
    wait_until("removed file", || !found(&index, "公安机关", "old.txt"));
    assert_eq!(doc_count(&index), 2);

    // Ctrl-C: commits and exits 0.
    let status = std::process::Command::new("kill").args(["-INT", &watcher.id().to_string()]).status().unwrap();
    assert!(status.success());
    let status = watcher.wait().unwrap();
    let log = log.join().unwrap();
    assert!(status.success(), "watch exited with {status}: {log}");
    assert!(log.contains("empty.txt") && log.contains("skipped"), "{log}");
    assert!(log.contains("stopped; everything is committed"), "{log}");
}

/// `watch` removes a file replaced by a FIFO (and says what stands there now), and keeps
/// the bulletins of a folder that merely cannot be read for a while.
#[test]
fn watch_tells_gone_from_unreadable() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    open_to_all(tmp.path());
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("idx");
    fs::create_dir_all(docs.join("sub")).unwrap();
    fs::write(docs.join("pipe.txt"), bulletin_text(1, 6) + "紫荆花园发生入室盗窃\n").unwrap();
    for i in 0..3 {
        fs::write(docs.join(format!("sub/s{i}.txt")), bulletin_text(10 + i, 6)).unwrap();
    }
    // Permissions are what this test is about: as root, run the watch as `nobody`. Its
    // user builds the index first, so that the lock files in it are that user's (a search
    // run by root could otherwise create one the watch cannot open).
    let can_deny = unprivileged(&index).is_some();
    let user = || unprivileged(&index).unwrap_or_else(|| tongbao(&index));
    let o = user().args(["index", docs.to_str().unwrap()]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let mut command = user();
    let mut watcher = Running(command.args(["watch", docs.to_str().unwrap()]).stderr(Stdio::piped()).spawn().unwrap());
    let stderr_pipe = watcher.0.stderr.take().unwrap();
    let log = std::thread::spawn(move || std::io::read_to_string(stderr_pipe).unwrap_or_default());
    wait_until("catch-up", || index.join("meta.json").exists() && found(&index, "紫荆花园", "pipe.txt"));
    assert_eq!(doc_count(&index), 4);

    fs::remove_file(docs.join("pipe.txt")).unwrap();
    let fifo = std::ffi::CString::new(docs.join("pipe.txt").to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file system entry.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    wait_until("FIFO replacing a file", || !found(&index, "紫荆花园", "pipe.txt"));

    if can_deny {
        fs::set_permissions(docs.join("sub"), fs::Permissions::from_mode(0o000)).unwrap();
        // A new bulletin after the change, to know the watch has looked at both.
        std::thread::sleep(Duration::from_millis(600));
        fs::write(docs.join("later.txt"), bulletin_text(20, 6) + "丁香路口查获醉驾\n").unwrap();
        wait_until("a later file", || found(&index, "丁香路口", "later.txt"));
        assert_eq!(doc_count(&index), 4, "the unreadable folder's bulletins must stay");
        fs::set_permissions(docs.join("sub"), fs::Permissions::from_mode(0o755)).unwrap();
    }

    let status = std::process::Command::new("kill").args(["-INT", &watcher.0.id().to_string()]).status().unwrap();
    assert!(status.success());
    let status = watcher.0.wait().unwrap();
    let log = log.join().unwrap();
    assert!(status.success(), "watch exited with {status}: {log}");
    assert!(log.lines().any(|l| l.contains("pipe.txt") && l.contains("FIFO")), "{log}");
    if can_deny {
        assert!(log.lines().any(|l| l.contains("sub") && l.contains("ermission denied")), "{log}");
    }
}

/// Merges rewrite `meta.json` after a commit; the copy `check --repair` restores from must
/// follow, or it would name segments that were merged away.
#[test]
fn the_saved_commit_follows_merges_during_watch() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("idx");
    fs::create_dir_all(&docs).unwrap();
    fs::write(docs.join("first.txt"), bulletin_text(1, 6)).unwrap();
    let mut watcher = Running(tongbao(&index).args(["-q", "watch", docs.to_str().unwrap()]).spawn().unwrap());
    wait_until("catch-up", || index.join("meta.json").exists() && found(&index, "公安机关", "first.txt"));
    // One commit (one segment) per file: the eighth segment makes the merge policy act,
    // after that commit, and no commit follows to save the merged state by chance.
    for i in 0..7u64 {
        fs::write(docs.join(format!("n{i}.txt")), bulletin_text(200 + i, 6) + &format!("第{i}批次通报\n")).unwrap();
        wait_until("a file", || found(&index, &format!("第{i}批次通报"), &format!("n{i}.txt")));
    }
    let segments = |file: &str| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_slice(&fs::read(index.join(file)).unwrap()).unwrap();
        v["segments"].as_array().unwrap().iter().map(|s| s["segment_id"].as_str().unwrap().replace('-', "")).collect()
    };
    wait_until("the merge", || segments("meta.json").len() < 8);
    // Once the merges are done, the saved copy names exactly the segments in use.
    wait_until("the saved copy to follow", || segments("meta.json.last-commit") == segments("meta.json"));
    for id in segments("meta.json.last-commit") {
        assert!(index.join(format!("{id}.store")).exists(), "the saved copy names a segment that is gone: {id}");
    }
    let _ = std::process::Command::new("kill").args(["-INT", &watcher.0.id().to_string()]).status();
    assert!(watcher.0.wait().unwrap().success());
}

//! End to end: what tongbao says when something is wrong (issue 12, part D). Paths reach
//! the terminal defused, causes are named (a read-only index folder, a lost record, a
//! damaged `meta.json`), a lasting failure in `watch` is said once, special files and
//! links into the kernel's folders are reported instead of read, notes stay one short
//! line, and odd encodings decode to the bulletin's text.

mod support;

use std::ffi::OsStr;
use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::*;

fn docs_with(dir: &Path, n: u64) -> PathBuf {
    let docs = dir.join("docs");
    fs::create_dir_all(&docs).unwrap();
    for i in 0..n {
        fs::write(docs.join(format!("b{i}.txt")), bulletin_text(i, 6)).unwrap();
    }
    docs
}

/// Bulletins and an index built from them by an unprivileged user (see
/// [`unprivileged`]); `None` when no such user can run the binary here.
fn built_unprivileged(tmp: &Path, bulletins: u64) -> Option<(PathBuf, PathBuf)> {
    open_to_all(tmp);
    let docs = docs_with(tmp, bulletins);
    let index = tmp.join("ix");
    let status = unprivileged(&index)?.args(["index", docs.to_str().unwrap()]).status().unwrap();
    assert!(status.success());
    Some((docs, index))
}

fn assert_defused(what: &str, text: &str) {
    assert!(!text.contains('\u{1b}') && !text.contains('\u{07}'), "{what} reached the terminal raw: {text:?}");
}

fn wait_for(what: &str, patience: Duration, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < patience, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn an_index_folder_named_with_escapes_is_shown_defused() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = docs_with(tmp.path(), 2);
    let index = tmp.path().join(OsStr::from_bytes(b"ix\x1b]0;pwned\x07"));
    // The summary.
    let o = ok(&index, &["index", docs.to_str().unwrap()]);
    assert!(stderr(&o).contains("indexed into"), "{}", stderr(&o));
    assert_defused("summary", &stderr(&o));
    // The rebuild line (other analysis data).
    let schema = tmp.path().join("schema");
    fs::create_dir_all(&schema).unwrap();
    let dict = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("index-schema/dictionary.txt")).unwrap();
    fs::write(schema.join("dictionary.txt"), dict + "\n反诈宣传月 5 n\n").unwrap();
    let o = ok(&index, &["--schema-dir", schema.to_str().unwrap(), "index", docs.to_str().unwrap()]);
    assert!(stderr(&o).contains("rebuilding"), "{}", stderr(&o));
    assert_defused("rebuild line", &stderr(&o));
    // The line `watch` starts with, and `check`.
    let mut watch =
        Running(tongbao(&index).args(["--schema-dir", schema.to_str().unwrap(), "watch", docs.to_str().unwrap()]).stderr(Stdio::piped()).spawn().unwrap());
    let first = BufReader::new(watch.0.stderr.take().unwrap()).lines().next().unwrap().unwrap();
    drop(watch);
    assert!(first.contains("watching"), "{first}");
    assert_defused("watch line", &first);
    let o = run(&index, &["--schema-dir", schema.to_str().unwrap(), "check"]);
    assert_defused("check", &stdout(&o));
}

#[test]
fn a_read_only_index_folder_is_named_as_the_cause() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let Some((docs, index)) = built_unprivileged(tmp.path(), 2) else { return };
    fs::set_permissions(&index, fs::Permissions::from_mode(0o555)).unwrap();
    fs::write(docs.join("new.txt"), bulletin_text(9, 6)).unwrap();
    let o = unprivileged(&index).unwrap().args(["index", docs.to_str().unwrap()]).output().unwrap();
    fs::set_permissions(&index, fs::Permissions::from_mode(0o755)).unwrap();
    let err = stderr(&o);
    assert!(!o.status.success());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot write to the index") && err.contains("ermission denied"), "{err}");
    assert!(!err.contains("killed") && !err.contains("panicked") && !err.contains("another tongbao process"), "{err}");
    assert_eq!(doc_count(&index), 2, "searching still works and nothing was lost");
}

#[test]
fn watch_reports_a_lasting_failure_once_and_recovers() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let Some((docs, index)) = built_unprivileged(tmp.path(), 1) else { return };
    let mut watcher = Running(unprivileged(&index).unwrap().args(["watch", docs.to_str().unwrap()]).stderr(Stdio::piped()).spawn().unwrap());
    let mut lines = BufReader::new(watcher.0.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.contains("watching"), "{first}");
    let log = std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>().join("\n"));

    // The index folder cannot be written for a while; bulletins keep arriving.
    fs::set_permissions(&index, fs::Permissions::from_mode(0o555)).unwrap();
    for i in 0..4 {
        fs::write(docs.join(format!("late{i}.txt")), bulletin_text(100 + i, 6) + &format!("迟到的通报{i}号\n")).unwrap();
        std::thread::sleep(Duration::from_millis(900));
    }
    fs::set_permissions(&index, fs::Permissions::from_mode(0o755)).unwrap();
    wait_for("the late bulletins", Duration::from_secs(40), || doc_count(&index) == 5);

    let _ = std::process::Command::new("kill").args(["-INT", &watcher.0.id().to_string()]).status();
    assert!(watcher.0.wait().unwrap().success());
    let log = log.join().unwrap();
    let failures = log.lines().filter(|l| l.contains("cannot write to the index")).count();
    assert_eq!(failures, 1, "the same failure must be said once: {log}");
    assert!(log.contains("works again"), "{log}");
}

#[test]
fn a_lost_record_is_explained_and_full_rebuilds_it() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = docs_with(tmp.path(), 3);
    let index = tmp.path().join("ix");
    ok(&index, &["index", docs.to_str().unwrap()]);
    fs::remove_file(index.join("tongbao.json")).unwrap();
    let o = run(&index, &["search", "公安机关"]);
    let err = stderr(&o);
    assert!(!o.status.success() && err.contains("tongbao.json is missing") && err.contains("index --full"), "{err}");
    // The fix it names works.
    let o = ok(&index, &["index", "--full", docs.to_str().unwrap()]);
    assert!(stderr(&o).contains("3 added"), "{}", stderr(&o));
    assert_eq!(hit_paths(&index, "公安机关").len(), 3);
}

#[test]
fn check_finds_damage_and_names_fixes_that_work() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = docs_with(tmp.path(), 3);
    let index = tmp.path().join("ix");
    ok(&index, &["index", docs.to_str().unwrap()]);
    // A meta.json of `{}` is damage the saved copy repairs.
    fs::write(index.join("meta.json"), "{}").unwrap();
    let o = run(&index, &["check"]);
    assert!(!o.status.success() && stdout(&o).contains("damaged") && stdout(&o).contains("check --repair"), "{}", stdout(&o));
    let o = ok(&index, &["check", "--repair"]);
    assert!(stdout(&o).contains("repaired") && stdout(&o).contains("OK (3 bulletins"), "{}", stdout(&o));
    assert_eq!(hit_paths(&index, "公安机关").len(), 3);

    // A file, or a folder of other files such as `/`: the fix is another folder, not a
    // rebuild into it (which would fail the same way).
    let file = tmp.path().join("a-file");
    fs::write(&file, "x").unwrap();
    for target in [file.as_path(), Path::new("/")] {
        let o = run(target, &["check"]);
        let out = stdout(&o);
        assert!(!o.status.success() && out.contains("fix: point --index at"), "{out}");
        assert!(!out.contains("--full"), "{out}");
    }
}

#[test]
fn special_files_and_links_into_system_folders_get_a_skipped_line() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = docs_with(tmp.path(), 1);
    let index = tmp.path().join("ix");
    let fifo = std::ffi::CString::new(docs.join("pipe.txt").as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file system entry.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let _socket = std::os::unix::net::UnixListener::bind(docs.join("socket.txt")).unwrap();
    std::os::unix::fs::symlink("/proc/self/environ", docs.join("environ.txt")).unwrap();
    std::os::unix::fs::symlink("/sys/kernel", docs.join("kernel")).unwrap();
    let o = run_guarded(
        {
            let mut c = tongbao(&index);
            c.args(["index", docs.to_str().unwrap()]);
            c
        },
        Duration::from_secs(120),
    );
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    for (file, why) in [("pipe.txt", "FIFO"), ("socket.txt", "socket"), ("environ.txt", "/proc"), ("kernel", "/sys")] {
        assert!(err.lines().any(|l| l.starts_with("tongbao: skipped") && l.contains(file) && l.contains(why)), "{file}: {err}");
    }
    assert!(err.contains("1 added"), "{err}");
    assert_eq!(doc_count(&index), 1);
    // Named directly, the link is not read either.
    let o = run(&index, &["extract", docs.join("environ.txt").to_str().unwrap()]);
    assert!(stderr(&o).contains("skipped") && stderr(&o).contains("/proc") && stdout(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn a_note_is_one_short_line_however_long_its_cause() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = docs_with(tmp.path(), 1);
    let index = tmp.path().join("ix");
    // A sidecar whose one line is 60 000 characters of nonsense: its parse error quotes it.
    fs::write(docs.join("b0.meta.toml"), format!("title = 通报{}\n", "错".repeat(20_000))).unwrap();
    let o = ok(&index, &["index", docs.to_str().unwrap()]);
    let err = stderr(&o);
    let note: Vec<&str> = err.lines().filter(|l| l.starts_with("tongbao: note")).collect();
    assert_eq!(note.len(), 1, "{err}");
    assert!(note[0].contains("sidecar") && note[0].chars().count() < 500, "{} characters", note[0].chars().count());
}

#[test]
fn pages_labelled_x_user_defined_and_short_texts_with_stray_bytes_decode() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    let gbk = |s: &str| encoding_rs::GBK.encode(s).0.into_owned();
    let mut page = b"<html><head><meta charset=\"x-user-defined\"><title>".to_vec();
    page.extend(gbk("兴宁区警方通报"));
    page.extend(b"</title></head><body><p>");
    page.extend(gbk("兴宁区公安分局破获一起盗窃电动车案件，抓获犯罪嫌疑人两名。"));
    page.extend(b"</p></body></html>");
    fs::write(docs.join("xud.html"), page).unwrap();
    let mut short = "邕宁警方通报\n蒲庙镇派出所破获盗窃案".as_bytes().to_vec();
    short.push(0xFF);
    short.extend("一起。".as_bytes());
    fs::write(docs.join("short.txt"), short).unwrap();

    let o = ok(Path::new("unused"), &["extract", "--json", docs.join("xud.html").to_str().unwrap(), docs.join("short.txt").to_str().unwrap()]);
    let recs: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(recs[0]["title"], "兴宁区警方通报", "{}", stdout(&o));
    assert!(recs[0]["body_chars"].as_u64().unwrap() > 20, "{}", stdout(&o));
    assert_eq!(recs[1]["title"], "邕宁警方通报", "{}", stdout(&o));
    assert_eq!(recs[1]["encoding"], "UTF-8", "{}", stdout(&o));
    let index = tmp.path().join("ix");
    ok(&index, &["index", docs.to_str().unwrap()]);
    assert_eq!(hit_paths(&index, "盗窃电动车").len(), 1);
    assert_eq!(hit_paths(&index, "蒲庙镇派出所").len(), 1);
}

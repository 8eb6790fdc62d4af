//! Index faults, injected: a disk that fills up during a commit, damaged and missing
//! segment files, a lost or garbled `meta.json`, a folder that is not an index, a second
//! writer. Each must end in a clear error that says how to recover, and wherever a good
//! commit existed it must still open and answer searches afterwards.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use jieba_rs::Jieba;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, TerminatingWrite, WatchCallback, WatchHandle, WritePtr};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::build::{self, BuildOptions};
use super::{check, IndexError, IndexHandle, IndexMeta, META_BACKUP};
use crate::extract::Extractor;
use crate::resources::Resources;

/// A directory on a disk with `left` bytes free: writes past that fail with ENOSPC, the
/// way a real full disk answers, while reads and deletes keep working.
#[derive(Clone, Debug)]
struct FullDisk {
    inner: MmapDirectory,
    left: Arc<AtomicI64>,
}

impl FullDisk {
    fn new(dir: &Path, free_bytes: i64) -> FullDisk {
        FullDisk { inner: MmapDirectory::open(dir).expect("mmap dir"), left: Arc::new(AtomicI64::new(free_bytes)) }
    }

    fn spend(&self, n: usize) -> io::Result<()> {
        let n = n as i64;
        if self.left.fetch_sub(n, Ordering::SeqCst) < n {
            self.left.fetch_add(n, Ordering::SeqCst);
            return Err(io::Error::new(io::ErrorKind::StorageFull, "No space left on device (simulated)"));
        }
        Ok(())
    }
}

struct Metered {
    inner: WritePtr,
    disk: FullDisk,
}

impl Write for Metered {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.disk.spend(buf.len())?;
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl TerminatingWrite for Metered {
    fn terminate_ref(&mut self, token: AntiCallToken) -> io::Result<()> {
        self.inner.terminate_ref(token)
    }
}

impl Directory for FullDisk {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let inner = self.inner.open_write(path)?;
        Ok(BufWriter::new(Box::new(Metered { inner, disk: self.clone() })))
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        // Checked before writing: a real atomic write leaves the old file on ENOSPC.
        self.spend(data.len())?;
        self.inner.atomic_write(path, data)
    }
    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }
    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

fn jieba() -> Arc<Jieba> {
    crate::analysis::dictionary::shared(include_str!("../../index-schema/dictionary.txt"))
}

fn meta() -> IndexMeta {
    IndexMeta::current(&crate::read::fingerprint(&Resources::embedded()))
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus-samples")
}

/// Two folders of three sample bulletins each, and an index built from the first.
struct Fixture {
    _tmp: tempfile::TempDir,
    ix: PathBuf,
    a: PathBuf,
    b: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        std::fs::create_dir_all(&a).expect("mkdir");
        std::fs::create_dir_all(&b).expect("mkdir");
        let copy = |name: &str, to: &Path| {
            std::fs::copy(samples().join(name), to.join(name)).expect("copy sample");
        };
        copy("guangxi-nanning-yanglao-zhapian-2022-07.md", &a);
        copy("chongqing-yubei-bangjia-2020-05.txt", &a);
        copy("guangxi-liuzhou-bairi-xingdong-2022-08.html", &a);
        copy("gansu-lanzhou-yanglao-zhapian-2023-09.md", &b);
        copy("jilin-yanbian-yanglao-zhapian-2022-05.md", &b);
        copy("henan-luoyang-hetong-zhapian-2020-09.txt", &b);
        let ix = tmp.path().join("ix");
        let h = IndexHandle::create(&ix, jieba(), &meta()).expect("create");
        update(&h, std::slice::from_ref(&a)).expect("first build");
        Fixture { _tmp: tmp, ix, a, b }
    }

    fn open(&self) -> Result<IndexHandle, IndexError> {
        IndexHandle::open(&self.ix, jieba(), &meta())
    }

    /// The first file of the segment with the given extension.
    fn segment_file(&self, ext: &str) -> PathBuf {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.ix)
            .expect("read index dir")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        files.sort();
        files.into_iter().next().expect("a segment file")
    }
}

fn update(h: &IndexHandle, paths: &[PathBuf]) -> Result<build::BuildReport, IndexError> {
    let ex = Extractor::load(None).expect("extractor");
    let reader = crate::read::Reader::new(&ex, Default::default());
    let opts = BuildOptions { threads: 1, memory_budget: 16 << 20, ..BuildOptions::default() };
    build::update(h, paths, &reader, &opts, &|_| {})
}

/// Live documents, and how many of them contain the word 诈骗 (all six samples do,
/// except the kidnapping and the 百日行动 report).
fn docs_and_hits(h: &IndexHandle) -> (u64, usize) {
    let reader = h.index.reader().expect("reader");
    let searcher = reader.searcher();
    let q = TermQuery::new(Term::from_field_text(h.fields.body, "诈骗"), IndexRecordOption::Basic);
    let hits = searcher.search(&q, &tantivy::collector::Count).expect("search");
    (searcher.num_docs(), hits)
}

#[test]
fn disk_full_during_commit_keeps_the_previous_commit() {
    let fx = Fixture::new();
    let before = docs_and_hits(&fx.open().expect("open"));
    assert_eq!(before.0, 3);
    // From no space at all to nearly enough: wherever the writes stop, the run fails
    // cleanly or (with enough space) succeeds, and never leaves a half-written index.
    let mut failed = Vec::new();
    for free in [0i64, 100, 4_000, 30_000, 120_000, 300_000, 10_000_000] {
        let disk = FullDisk::new(&fx.ix, free);
        let h = IndexHandle::open_with(&fx.ix, Box::new(disk), jieba(), &meta()).expect("open through full disk");
        let result = update(&h, &[fx.a.clone(), fx.b.clone()]);
        drop(h);
        let h = fx.open().expect("index opens after the failed run");
        match result {
            Err(e) => {
                assert!(matches!(e, IndexError::DiskFull { .. }), "free={free}: {e}");
                let msg = e.to_string();
                assert!(msg.contains("no space left") && msg.contains("previous commit"), "{msg}");
                assert_eq!(docs_and_hits(&h), before, "free={free}: previous commit intact and searchable");
                failed.push(free);
            }
            Ok(_) => {
                assert_eq!(docs_and_hits(&h).0, 6, "free={free}: a successful run commits everything");
                // Larger budgets would only succeed again.
                break;
            }
        }
        let report = check::check(&fx.ix, jieba(), &meta(), false);
        assert!(report.ok(), "free={free}: {:?}", report.problems);
    }
    assert!(failed.contains(&0) && failed.len() >= 3, "too few runs hit the full disk: {failed:?}");
    // With space again, the same run succeeds.
    let h = fx.open().expect("open");
    update(&h, &[fx.a.clone(), fx.b.clone()]).expect("update after space is freed");
    assert_eq!(docs_and_hits(&h).0, 6);
}

#[test]
fn missing_meta_json_is_restored_from_the_last_commit() {
    let fx = Fixture::new();
    let before = docs_and_hits(&fx.open().expect("open"));
    std::fs::remove_file(fx.ix.join("meta.json")).expect("remove meta.json");
    let e = fx.open().err().expect("open fails without meta.json");
    assert!(e.to_string().contains("check --repair"), "{e}");
    let report = check::check(&fx.ix, jieba(), &meta(), false);
    assert!(!report.ok() && report.problems[0].fix.contains("--repair"), "{report:?}");
    assert_repair_restores(&fx, before);
}

/// `check --repair` fixes the index, and it then holds what the last commit held.
fn assert_repair_restores(fx: &Fixture, before: (u64, usize)) {
    let report = check::check(&fx.ix, jieba(), &meta(), true);
    assert!(report.ok() && !report.repaired.is_empty(), "{report:?}");
    assert_eq!(docs_and_hits(&fx.open().expect("open after repair")), before);
}

/// Garbled JSON, and JSON that is no commit record (`{}` is well-formed but lists no
/// segments): both are damage the saved copy repairs.
#[test]
fn damaged_meta_json_is_restored_from_the_last_commit() {
    for damage in [&b"{\"segments\": [ garbage"[..], b"{}", b"[]"] {
        let fx = Fixture::new();
        let before = docs_and_hits(&fx.open().expect("open"));
        std::fs::write(fx.ix.join("meta.json"), damage).expect("damage meta.json");
        let e = fx.open().err().expect("open fails on a damaged meta.json");
        assert!(e.to_string().contains("check --repair"), "{e}");
        let report = check::check(&fx.ix, jieba(), &meta(), false);
        assert!(!report.ok() && report.problems[0].what.contains("damaged"), "{report:?}");
        assert_repair_restores(&fx, before);
    }
}

#[test]
fn damaged_segment_files_are_reported_with_the_way_out() {
    for (ext, how) in [("store", "truncate"), ("idx", "truncate"), ("term", "empty"), ("pos", "delete"), ("fast", "flip"), ("store", "flip")] {
        let fx = Fixture::new();
        let f = fx.segment_file(ext);
        let mut bytes = std::fs::read(&f).expect("read segment file");
        match how {
            "truncate" => bytes.truncate(bytes.len() / 2),
            "empty" => bytes.clear(),
            "flip" => {
                let n = bytes.len();
                for b in &mut bytes[n / 3..(n / 3 + 64).min(n - 8)] {
                    *b ^= 0x5a;
                }
            }
            _ => {}
        }
        if how == "delete" {
            std::fs::remove_file(&f).expect("delete");
        } else {
            std::fs::write(&f, &bytes).expect("write damaged file");
        }
        // Opening and searching never panic; when they fail, the message names the way out.
        let outcome = fx.open().and_then(|h| h.index.reader().map(|r| r.searcher().num_docs()).map_err(|e| h.tantivy_error(e)));
        if let Err(e) = outcome {
            let msg = e.to_string();
            assert!(msg.contains("damaged") && msg.contains("index --full"), "{ext} {how}: {msg}");
        }
        // check always finds it, in one line, and says how to rebuild.
        let report = check::check(&fx.ix, jieba(), &meta(), false);
        assert!(!report.ok(), "{ext} {how}: check must notice");
        for p in &report.problems {
            assert!(!p.what.contains('\n') && p.what.chars().count() < 300, "{ext} {how}: {}", p.what);
            assert!(p.fix.contains("index --full") || p.fix.contains("tongbao index"), "{ext} {how}: {}", p.fix);
        }
    }
}

#[test]
fn folders_that_are_not_indexes_are_refused_clearly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // A folder of other files.
    let docs = tmp.path().join("docs");
    std::fs::create_dir_all(&docs).expect("mkdir");
    std::fs::write(docs.join("notes.txt"), "not an index").expect("write");
    let e = IndexHandle::open(&docs, jieba(), &meta()).err().expect("refused");
    assert!(matches!(e, IndexError::Occupied(..)), "{e}");
    let e = IndexHandle::create(&docs, jieba(), &meta()).err().expect("never written into");
    assert!(e.to_string().contains("holds other files"), "{e}");
    assert!(docs.join("notes.txt").exists() && !docs.join("meta.json").exists());
    // A file where the folder should be.
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").expect("write");
    let e = IndexHandle::open(&file, jieba(), &meta()).err().expect("refused");
    assert!(e.to_string().contains("not a folder"), "{e}");
    // A tantivy index that tongbao did not make.
    let foreign = tmp.path().join("foreign");
    std::fs::create_dir_all(&foreign).expect("mkdir");
    tantivy::Index::create_in_dir(&foreign, tantivy::schema::Schema::builder().build()).expect("foreign index");
    let e = IndexHandle::open(&foreign, jieba(), &meta()).err().expect("refused");
    assert!(e.to_string().contains("not made by tongbao"), "{e}");
    // An empty or missing folder is simply no index yet.
    assert!(matches!(IndexHandle::open(&tmp.path().join("new"), jieba(), &meta()), Err(IndexError::NotFound(_))));
}

#[test]
fn a_second_writer_is_told_to_wait() {
    let fx = Fixture::new();
    let h = fx.open().expect("open");
    let _writer = build::open_writer(&h, &BuildOptions::default()).expect("first writer");
    let other = fx.open().expect("open again");
    let e = update(&other, std::slice::from_ref(&fx.b)).expect_err("second writer refused");
    assert!(matches!(e, IndexError::Locked(_)), "{e}");
    assert!(e.to_string().contains("searching works meanwhile"), "{e}");
}

#[test]
fn meta_backup_is_only_written_after_a_successful_commit() {
    let fx = Fixture::new();
    let saved = std::fs::read(fx.ix.join(META_BACKUP)).expect("backup after the first commit");
    let h = IndexHandle::open_with(&fx.ix, Box::new(FullDisk::new(&fx.ix, 0)), jieba(), &meta()).expect("open");
    assert!(update(&h, std::slice::from_ref(&fx.b)).is_err());
    assert_eq!(std::fs::read(fx.ix.join(META_BACKUP)).expect("backup"), saved);
}

/// Data files tantivy recorded in the folder that no committed segment uses: what a failed
/// run would leave behind to fill the disk again.
fn unreferenced_files(ix: &Path) -> Vec<String> {
    let meta: serde_json::Value = serde_json::from_slice(&std::fs::read(ix.join("meta.json")).expect("meta.json")).expect("meta json");
    let live: Vec<String> = meta["segments"].as_array().expect("segments").iter().map(|s| s["segment_id"].as_str().unwrap_or("").replace('-', "")).collect();
    let mut left: Vec<String> = std::fs::read_dir(ix)
        .expect("read index dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.len() > 33 && n.as_bytes()[32] == b'.' && !live.iter().any(|id| n.starts_with(id.as_str())))
        .collect();
    left.sort();
    left
}

#[test]
fn a_run_that_fails_on_a_full_disk_removes_what_it_wrote() {
    let fx = Fixture::new();
    let mut failed = 0;
    for free in [4_000i64, 30_000, 60_000] {
        let h = IndexHandle::open_with(&fx.ix, Box::new(FullDisk::new(&fx.ix, free)), jieba(), &meta()).expect("open");
        let result = update(&h, &[fx.a.clone(), fx.b.clone()]);
        drop(h);
        let Err(e) = result else { break };
        failed += 1;
        assert!(matches!(e, IndexError::DiskFull { .. }), "free={free}: {e}");
        assert_eq!(unreferenced_files(&fx.ix), Vec::<String>::new(), "free={free}: partial segment files left behind");
    }
    assert!(failed >= 2, "too few runs hit the full disk");
}

#[test]
fn meta_json_that_lost_a_segment_is_reported_and_repaired() {
    let fx = Fixture::new();
    // A second commit, so the index has two segments.
    update(&fx.open().expect("open"), std::slice::from_ref(&fx.b)).expect("second commit");
    let before = docs_and_hits(&fx.open().expect("open"));
    assert_eq!(before.0, 6);
    let path = fx.ix.join("meta.json");
    let mut meta_json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    let segments = meta_json["segments"].as_array_mut().expect("segments");
    assert!(segments.len() >= 2, "{segments:?}");
    segments.remove(0);
    std::fs::write(&path, meta_json.to_string()).expect("write");
    // The index still opens, with fewer bulletins: only the check can tell.
    assert!(docs_and_hits(&fx.open().expect("opens")).0 < 6);
    let report = check::check(&fx.ix, jieba(), &meta(), false);
    assert!(!report.ok() && report.problems[0].what.contains("fewer than the last commit"), "{report:?}");
    assert!(report.problems[0].fix.contains("--repair"), "{report:?}");
    assert_repair_restores(&fx, before);
}

#[test]
fn fixes_name_a_way_out_that_works_for_the_folder_given() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("index-file");
    std::fs::write(&file, "not a folder").expect("write");
    let docs = tmp.path().join("docs");
    std::fs::create_dir_all(&docs).expect("mkdir");
    std::fs::write(docs.join("a.txt"), "通报").expect("write");
    for (dir, want) in [
        (file.as_path(), "point --index at a folder"),
        (docs.as_path(), "point --index at the index folder"),
        (Path::new("/"), "point --index at the index folder"),
    ] {
        let report = check::check(dir, jieba(), &meta(), false);
        let p = &report.problems[0];
        assert!(p.fix.contains(want) && !p.fix.contains("--full"), "{}: {p:?}", dir.display());
    }
}

//! Watch mode: keep an index current while bulletins land in, change in and leave watched
//! folders.
//!
//! [`watch`] holds the index writer (and so the single-writer lock) for the whole session.
//! It first catches up with an ordinary incremental update, then turns file-system events
//! (notify) into small batches: every [`WatchOptions::tick`] it looks at the paths events
//! named, indexes the files whose size and mtime were the same at two successive looks (so
//! a file still being copied in is not read half-written), deletes what disappeared, and
//! commits. Other processes see each commit at their next search. Problems with single
//! files or with the watcher are reported and the watch goes on; when `stop` is raised
//! (Ctrl-C) it indexes what is pending, commits and returns.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecursiveMode, Watcher};
use rayon::prelude::*;

use super::build::{stamp_of, BuildOptions, BuildReport, Event, Outcome, Updater};
use super::{FileStamp, IndexError, IndexHandle};
use crate::paths;
use crate::read::Reading;

/// Knobs for a watch session.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    pub build: BuildOptions,
    /// Time between two looks at a changed file; a file is indexed once it looked the same
    /// twice, so a new bulletin is searchable about two ticks after it stops changing.
    pub tick: Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions { build: BuildOptions::default(), tick: Duration::from_millis(250) }
    }
}

/// Something a watch session reports as it happens.
#[derive(Debug)]
pub enum WatchEvent<'a> {
    /// The initial incremental update is committed; watching starts.
    CaughtUp(&'a BuildReport),
    /// A batch of changes is committed and searchable.
    Committed(&'a BuildReport),
    /// A file could not be indexed.
    Skipped(&'a Path, &'a str),
    /// A transient problem (watcher error, failed commit); the session goes on and the
    /// affected files are tried again. A failure that repeats (a full disk) is reported
    /// once, then retried less and less often until it clears.
    Error(String),
    /// Writing works again after failures.
    Resumed,
}

/// Errors that end a watch session before it starts.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("cannot watch {path}: {source}")]
    Watcher { path: String, source: notify::Error },
}

/// Watch `paths` and keep `handle` current until `stop` is raised. Returns the totals of
/// the whole session.
pub fn watch(
    handle: &IndexHandle,
    paths: &[PathBuf],
    reading: &dyn Reading,
    opts: &WatchOptions,
    stop: &AtomicBool,
    on_event: &(dyn Fn(WatchEvent) + Sync),
) -> Result<BuildReport, WatchError> {
    // The writer first: a second writer fails here, before it watches anything.
    let mut updater = Updater::open(handle, reading, &opts.build)?;

    // Watching starts before the catch-up, so nothing landing during it is missed; files
    // seen by both are simply found unchanged the second time.
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |res| {
        let _ = tx.send(res);
    })
    .map_err(|source| WatchError::Watcher { path: String::new(), source })?;
    let roots: Vec<PathBuf> = paths.iter().filter(|p| p.exists()).map(|p| paths::identity(p)).collect();
    for root in &roots {
        watcher.watch(root, RecursiveMode::Recursive).map_err(|source| WatchError::Watcher { path: root.display().to_string(), source })?;
    }

    let on_build = |e: Event| {
        if let Event::Skipped(p, r) = e {
            on_event(WatchEvent::Skipped(p, r));
        }
    };
    let mut total = updater.sync(&roots, &on_build)?;
    updater.commit()?;
    on_event(WatchEvent::CaughtUp(&total));

    let excluded = updater.excluded().to_vec();
    let index_dir = excluded.first().cloned().unwrap_or_else(|| paths::identity(&handle.dir));
    let mut pending: HashMap<PathBuf, Option<FileStamp>> = HashMap::new();
    let mut next_tick = Instant::now() + opts.tick;
    let mut trouble = Trouble::default();
    loop {
        let stopping = stop.load(Ordering::SeqCst);
        let wait = next_tick.saturating_duration_since(Instant::now());
        match rx.recv_timeout(if stopping { Duration::ZERO } else { wait }) {
            Ok(res) => {
                note_event(res, &roots, &index_dir, &mut pending, on_event);
                while let Ok(res) = rx.try_recv() {
                    note_event(res, &roots, &index_dir, &mut pending, on_event);
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                on_event(WatchEvent::Error("the file watcher stopped".into()));
                break;
            }
        }
        if !stopping && Instant::now() < next_tick {
            continue;
        }
        next_tick = Instant::now() + opts.tick;
        // Background merges rewrite meta.json at any time; the saved copy follows, or
        // `check --repair` would restore segments that were merged away.
        super::refresh_backup(&handle.dir);
        if !stopping && trouble.waiting() {
            continue;
        }
        let batch = take_ready(reading, &mut pending, &roots, &index_dir, stopping);
        for (path, reason) in &batch.unreadable {
            on_event(WatchEvent::Skipped(path, reason));
        }
        if !batch.is_empty() {
            match apply(&mut updater, &batch, &mut pending, on_event) {
                Ok(Some(report)) => {
                    if trouble.cleared() {
                        on_event(WatchEvent::Resumed);
                    }
                    on_event(WatchEvent::Committed(&report));
                    add_into(&mut total, report);
                }
                Ok(None) => {}
                Err(message) => {
                    if let Some(line) = trouble.failed(message) {
                        on_event(WatchEvent::Error(line));
                    }
                    if stopping {
                        // Ctrl-C while the index cannot be written: what is pending stays
                        // for the next run, which finds it by the files' stamps.
                        break;
                    }
                }
            }
        }
        if stopping && pending.is_empty() {
            break;
        }
    }
    drop(watcher);
    updater.finish();
    Ok(total)
}

/// What one tick found to do.
#[derive(Debug, Default)]
struct Batch {
    /// Files stable since the last look.
    files: Vec<PathBuf>,
    /// Paths that no longer exist (files, or folders whose files all went), or that now
    /// name something other than a file.
    gone: Vec<PathBuf>,
    /// Paths that could not be looked at (permission denied, I/O error), with the reason:
    /// reported, and their bulletins kept.
    unreadable: Vec<(PathBuf, String)>,
}

impl Batch {
    fn is_empty(&self) -> bool {
        self.files.is_empty() && self.gone.is_empty()
    }
}

/// Queue the paths an event names for the next look.
fn note_event(
    res: notify::Result<notify::Event>,
    roots: &[PathBuf],
    index_dir: &Path,
    pending: &mut HashMap<PathBuf, Option<FileStamp>>,
    on_event: &(dyn Fn(WatchEvent) + Sync),
) {
    let event = match res {
        Ok(e) => e,
        Err(e) => {
            on_event(WatchEvent::Error(format!("file watcher: {e}")));
            return;
        }
    };
    // Opening and reading (including our own reads) change nothing.
    if let EventKind::Access(kind) = event.kind {
        if kind != AccessKind::Close(AccessMode::Write) {
            return;
        }
    }
    for path in event.paths {
        if watched(&path, roots, index_dir) {
            pending.entry(path).or_insert(None);
        }
    }
}

/// True for paths under a watched root that are not hidden and not inside the index.
fn watched(path: &Path, roots: &[PathBuf], index_dir: &Path) -> bool {
    if path.starts_with(index_dir) {
        return false;
    }
    roots.iter().any(|root| match path.strip_prefix(root) {
        Ok(rel) => !rel.components().any(|c| matches!(c, Component::Normal(n) if n.to_string_lossy().starts_with('.'))),
        Err(_) => false,
    })
}

/// Look at every pending path once: files whose stamp did not move since the previous look
/// (or all of them when stopping) are ready; folders are expanded into their files. Paths
/// are put in their identity form, which is how the index knows them.
fn take_ready(reading: &dyn Reading, pending: &mut HashMap<PathBuf, Option<FileStamp>>, roots: &[PathBuf], index_dir: &Path, stopping: bool) -> Batch {
    let mut batch = Batch::default();
    let mut folders = Vec::new();
    pending.retain(|path, last| match std::fs::metadata(path) {
        Err(e) if paths::is_absence(&e) => {
            batch.gone.push(paths::identity(path));
            false
        }
        Err(e) => {
            batch.unreadable.push((path.clone(), format!("cannot read: {}; its bulletin stays indexed", crate::paths::brief_io(&e))));
            false
        }
        Ok(m) if m.is_dir() => {
            folders.push(path.clone());
            false
        }
        Ok(m) if !m.is_file() => {
            // A FIFO or device now stands where a file was: ready at once, since reading
            // is not what happens to it (index_file removes the old bulletin).
            batch.files.push(paths::identity(path));
            false
        }
        Ok(m) => {
            let now = stamp_of(&m);
            if stopping || *last == Some(now) {
                batch.files.push(paths::identity(path));
                false
            } else {
                *last = Some(now);
                true
            }
        }
    });
    // A folder moved or copied in brings files no event named; one moved out leaves
    // documents behind, which `gone` handles. A folder that stands where a file was
    // removes that file's bulletin the same way.
    for folder in folders {
        let found = reading.find(std::slice::from_ref(&folder), &[index_dir.to_path_buf()]);
        for (path, reason) in found.skipped {
            batch.unreadable.push((path, reason.to_string()));
        }
        for f in found.files.into_iter().filter(|f| watched(f, roots, index_dir)) {
            if stopping {
                batch.files.push(f);
            } else {
                pending.entry(f).or_insert(None);
            }
        }
        batch.gone.push(paths::identity(&folder));
    }
    batch
}

/// Failures of the index writer in a row, so that a lasting one (a full disk) is reported
/// once and retried with growing pauses instead of every tick.
#[derive(Debug, Default)]
struct Trouble {
    /// The last failure reported, the pause before the next try, and when that is.
    last: Option<(String, Duration, Instant)>,
}

/// First pause after a failure; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);

impl Trouble {
    /// True while pausing after a failure.
    fn waiting(&self) -> bool {
        self.last.as_ref().is_some_and(|(_, _, at)| Instant::now() < *at)
    }

    /// Note a failure; returns the line to report, or `None` when it repeats the last one.
    fn failed(&mut self, message: String) -> Option<String> {
        let (repeat, pause) = match &self.last {
            Some((m, pause, _)) if *m == message => (true, (*pause * 2).min(MAX_BACKOFF)),
            _ => (false, FIRST_BACKOFF),
        };
        self.last = Some((message.clone(), pause, Instant::now() + pause));
        (!repeat).then(|| format!("{message}; will try again, less and less often (up to every {} s), until it works", MAX_BACKOFF.as_secs()))
    }

    /// Note a success; true when it ends a run of failures.
    fn cleared(&mut self) -> bool {
        self.last.take().is_some()
    }
}

/// Index one batch and commit it. On a failure the batch is rolled back (with the files it
/// wrote) and queued again, and the failure is returned. Returns what was committed, or
/// `None` when there was nothing to commit.
fn apply(
    updater: &mut Updater,
    batch: &Batch,
    pending: &mut HashMap<PathBuf, Option<FileStamp>>,
    on_event: &(dyn Fn(WatchEvent) + Sync),
) -> Result<Option<BuildReport>, String> {
    let mut report = BuildReport::default();
    for path in &batch.gone {
        report.removed += updater.remove_missing_under(path);
    }
    let outcomes: Vec<Outcome> = {
        let u = &*updater;
        batch.files.par_iter().map(|p| u.index_file(p)).collect()
    };
    let mut failure = None;
    let mut dirty = report.removed > 0;
    for (path, outcome) in batch.files.iter().zip(outcomes) {
        dirty |= !matches!(outcome, Outcome::Unchanged | Outcome::Skipped(_) | Outcome::Gone(_));
        if let Some(reason) = outcome.skip_reason() {
            on_event(WatchEvent::Skipped(path, &reason.to_string()));
        }
        for note in outcome.notes() {
            on_event(WatchEvent::Skipped(path, &format!("indexed, but {note}")));
        }
        if let Err(reason) = updater.record(path, outcome, &mut report) {
            failure = Some(reason);
        }
    }
    dirty |= report.removed > 0;
    let result = match failure {
        Some(reason) => {
            let err = super::writer_failure(updater.dir(), &reason, "");
            let _ = updater.rollback();
            Err(err.to_string())
        }
        None if dirty => updater.commit().map_err(|e| e.to_string()),
        None => return Ok(None),
    };
    match result {
        Ok(()) => Ok(Some(report)),
        Err(message) => {
            // A failed commit was rolled back by `commit`; reload what the index holds.
            let _ = updater.rollback();
            for p in batch.files.iter().chain(&batch.gone) {
                pending.entry(p.clone()).or_insert(None);
            }
            Err(message)
        }
    }
}

fn add_into(total: &mut BuildReport, r: BuildReport) {
    total.added += r.added;
    total.updated += r.updated;
    total.removed += r.removed;
    total.unchanged += r.unchanged;
    total.text_bytes += r.text_bytes;
    total.skipped.extend(r.skipped);
    total.unreadable.extend(r.unreadable);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_files_and_the_index_are_not_watched() {
        let roots = vec![PathBuf::from("/data/bulletins")];
        let index = Path::new("/data/bulletins/.tongbao");
        assert!(watched(Path::new("/data/bulletins/a.txt"), &roots, index));
        assert!(watched(Path::new("/data/bulletins/2024/a.html"), &roots, index));
        assert!(!watched(Path::new("/data/bulletins/.a.txt.swp"), &roots, index));
        assert!(!watched(Path::new("/data/bulletins/.git/HEAD"), &roots, index));
        assert!(!watched(Path::new("/data/bulletins/.tongbao/meta.json"), &roots, index));
        assert!(!watched(Path::new("/elsewhere/a.txt"), &roots, index));
    }

    #[test]
    fn a_lasting_failure_is_reported_once_then_retried_less_often() {
        let mut t = Trouble::default();
        assert!(!t.waiting());
        let full = "no space left on the disk while writing the index at ix".to_string();
        let line = t.failed(full.clone()).expect("the first failure is reported");
        assert!(line.starts_with(&full) && line.contains("try again"), "{line}");
        assert!(t.waiting(), "a pause follows a failure");
        let mut pauses = Vec::new();
        for _ in 0..10 {
            assert!(t.failed(full.clone()).is_none(), "the same failure is not repeated");
            pauses.push(t.last.as_ref().expect("failing").1);
        }
        assert!(pauses.windows(2).all(|w| w[0] <= w[1]) && pauses[9] == MAX_BACKOFF, "{pauses:?}");
        assert!(t.failed("the index folder is read-only".into()).is_some(), "a new cause is reported");
        assert!(t.cleared() && !t.cleared() && !t.waiting());
    }

    #[test]
    fn a_file_is_ready_after_two_equal_looks() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let file = root.join("a.txt");
        std::fs::write(&file, "通报").unwrap();
        let roots = vec![root.clone()];
        let index = root.join(".idx");
        let extractor = crate::extract::Extractor::load(None).unwrap();
        let reader = crate::read::Reader::new(&extractor, Default::default());
        let mut pending = HashMap::from([(file.clone(), None)]);
        let first = take_ready(&reader, &mut pending, &roots, &index, false);
        assert!(first.files.is_empty(), "one look is not enough");
        let second = take_ready(&reader, &mut pending, &roots, &index, false);
        assert_eq!(second.files, vec![file.clone()]);
        std::fs::remove_file(&file).unwrap();
        let mut pending = HashMap::from([(file.clone(), None)]);
        assert_eq!(take_ready(&reader, &mut pending, &roots, &index, false).gone, vec![file]);
    }
}

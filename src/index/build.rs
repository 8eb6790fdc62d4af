//! Building and updating an index from bulletin files.
//!
//! One run: walk the given paths, compare each file with what the index holds (size and
//! mtime first, so unchanged files are never read), read and extract the new and changed
//! ones in parallel, delete what disappeared from an indexed folder, and commit once. A
//! crash before the commit leaves the index at its previous commit; the next run redoes
//! the work, and replacing by id means nothing is ever doubled.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use tantivy::collector::TopDocs;
use tantivy::indexer::LogMergePolicy;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

use super::schema::name;
use super::simhash::{self, GroupMap};
use super::{to_document, FileStamp, IndexError, IndexHandle};
use crate::analysis::Folds;
use crate::bulletin::{id_for_path, path_from_bytes, Bulletin};
use crate::paths;
use crate::read::{Read, Reading, SkipReason};

/// Writer memory when not told (`--writer-mb`): enough for two threads to build segments
/// of a useful size, small beside the ~300 MB the rest of the process needs.
pub const DEFAULT_MEMORY_BUDGET: usize = 128 << 20;

/// Knobs for one indexing run.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Writer memory budget in bytes, shared by the writer threads.
    pub memory_budget: usize,
    /// Writer threads (tokenising and building postings).
    pub threads: usize,
    /// Folders never walked besides the index's own (identity paths): a rebuild writing
    /// into a folder beside the index names the index here.
    pub exclude: Vec<PathBuf>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions { memory_budget: DEFAULT_MEMORY_BUDGET, threads: 2, exclude: Vec::new() }
    }
}

/// What a run did, for the summary line.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Files that could not be indexed, with the reason.
    pub skipped: Vec<(PathBuf, SkipReason)>,
    /// Of those, the files and folders that exist but could not be read now (permission
    /// denied, an I/O error): what the index holds from them was kept.
    pub unreadable: Vec<(PathBuf, String)>,
    /// Bytes of clean text indexed.
    pub text_bytes: u64,
}

impl BuildReport {
    /// Record the files the walk skipped, telling `on_event` of each; those whose reason
    /// keeps what is indexed of them (an unreadable file) are listed as unreadable too.
    pub(crate) fn skip_all(&mut self, skipped: Vec<(PathBuf, SkipReason)>, on_event: &(dyn Fn(Event) + Sync)) {
        for (path, reason) in skipped {
            let line = reason.to_string();
            on_event(Event::Skipped(&path, &line));
            if reason.keeps_indexed() {
                self.unreadable.push((path.clone(), line));
            }
            self.skipped.push((path, reason));
        }
    }
}

impl BuildReport {
    pub fn summary(&self) -> String {
        let mut reasons: HashMap<&str, usize> = HashMap::new();
        for (_, r) in &self.skipped {
            *reasons.entry(r.kind()).or_default() += 1;
        }
        let mut reasons: Vec<_> = reasons.into_iter().collect();
        reasons.sort();
        let detail =
            if reasons.is_empty() { String::new() } else { format!(" ({})", reasons.iter().map(|(r, n)| format!("{n} {r}")).collect::<Vec<_>>().join(", ")) };
        format!(
            "{} added, {} updated, {} removed, {} unchanged, {} skipped{}",
            self.added,
            self.updated,
            self.removed,
            self.unchanged,
            self.skipped.len(),
            detail
        )
    }
}

/// Something that happened while indexing, reported as it happens.
pub enum Event<'a> {
    /// The number of files found, once the walk is done.
    Found(usize),
    /// One file dealt with (indexed, unchanged or skipped).
    Progress,
    /// A file skipped, with the reason.
    Skipped(&'a Path, &'a str),
    /// A file indexed despite a problem (broken front matter, text cut at the size cap).
    Note(&'a Path, &'a str),
}

/// What the index knows about a file it holds.
#[derive(Debug, Clone)]
pub struct Known {
    pub stamp: FileStamp,
    /// SimHash of the body (0 when the body was too short to fingerprint).
    pub simhash: u64,
    /// Near-duplicate group (0 for documents indexed before grouping existed).
    pub group: u64,
}

/// Read the per-file bookkeeping (path → size, mtime, fingerprint) of every live
/// document, from fast fields only: no stored document is decompressed, so this stays
/// cheap for large indexes. Paths are the raw bytes the index stores (see `schema`).
pub fn known_files(handle: &IndexHandle) -> Result<HashMap<PathBuf, Known>, IndexError> {
    let reader = handle.index.reader().map_err(|e| handle.tantivy_error(e))?;
    known_in(handle, &reader.searcher())
}

fn known_in(handle: &IndexHandle, searcher: &Searcher) -> Result<HashMap<PathBuf, Known>, IndexError> {
    let mut out = HashMap::with_capacity(searcher.num_docs() as usize);
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let err = |e| handle.tantivy_error(e);
        let Some(paths) = fast.bytes(name::PATH_BYTES).map_err(err)? else { continue };
        let sizes = fast.u64(name::SIZE).map_err(err)?;
        let mtimes = fast.i64(name::MTIME).map_err(err)?;
        let simhashes = fast.u64(name::SIMHASH).map_err(err)?;
        let groups = fast.u64(name::GROUP).map_err(err)?;
        // One sequential pass over the path dictionary: looking up each document's path by
        // ordinal would decode a dictionary block per document (seconds at 100k).
        let mut by_ord: Vec<PathBuf> = Vec::with_capacity(paths.num_terms());
        let mut stream = paths.dictionary().stream().map_err(|e| handle.tantivy_error(e.into()))?;
        while stream.advance() {
            by_ord.push(path_from_bytes(stream.key()));
        }
        for doc in segment.doc_ids_alive() {
            let Some(path) = paths.term_ords(doc).next().and_then(|ord| by_ord.get(ord as usize)) else { continue };
            let stamp = FileStamp { size: sizes.first(doc).unwrap_or(0), mtime: mtimes.first(doc).unwrap_or(0) };
            let known = Known { stamp, simhash: simhashes.first(doc).unwrap_or(0), group: groups.first(doc).unwrap_or(0) };
            out.insert(path.clone(), known);
        }
    }
    Ok(out)
}

/// The path of every live document, duplicates included (for `check`).
pub fn known_files_all(handle: &IndexHandle) -> Result<Vec<PathBuf>, IndexError> {
    let reader = handle.index.reader().map_err(|e| handle.tantivy_error(e))?;
    let searcher = reader.searcher();
    let mut out = Vec::new();
    for segment in searcher.segment_readers() {
        let Some(paths) = segment.fast_fields().bytes(name::PATH_BYTES).map_err(|e| handle.tantivy_error(e))? else { continue };
        let mut path = Vec::new();
        for doc in segment.doc_ids_alive() {
            if let Some(ord) = paths.term_ords(doc).next() {
                if paths.ord_to_bytes(ord, &mut path).unwrap_or(false) {
                    out.push(path_from_bytes(&path));
                }
            }
        }
    }
    Ok(out)
}

/// Size and modification time (signed nanoseconds since the epoch) of a file. Times
/// before 1970 are negative, not 0: archives restored with their original dates keep
/// distinct stamps, so an edit to such a file is still seen.
pub(crate) fn stamp_of(meta: &std::fs::Metadata) -> FileStamp {
    let mtime = meta.modified().ok().map(nanos_since_epoch).unwrap_or(0);
    FileStamp { size: meta.len(), mtime }
}

/// A time as signed nanoseconds since 1970, saturating outside the years 1678–2262.
fn nanos_since_epoch(t: std::time::SystemTime) -> i64 {
    let clamp = |n: u128| i64::try_from(n).unwrap_or(i64::MAX);
    match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => clamp(after.as_nanos()),
        Err(before) => -clamp(before.duration().as_nanos()),
    }
}

/// Share of deleted documents in a segment that makes it worth merging on its own.
pub(crate) const DEL_DOCS_RATIO: f32 = 0.3;

/// Open a writer with a merge policy that also merges away deleted documents, which
/// tantivy's default ignores: an update-heavy index would otherwise keep growing.
pub fn open_writer(handle: &IndexHandle, opts: &BuildOptions) -> Result<IndexWriter<TantivyDocument>, IndexError> {
    let threads = opts.threads.max(1);
    let budget = opts.memory_budget.max((threads * 16) << 20);
    let writer = handle.index.writer_with_num_threads(threads, budget).map_err(|e| handle.tantivy_error(e))?;
    let mut policy = LogMergePolicy::default();
    policy.set_del_docs_ratio_before_merge(DEL_DOCS_RATIO);
    writer.set_merge_policy(Box::new(policy));
    Ok(writer)
}

/// Index `paths` into `handle`: add new files, replace changed ones, delete files gone from
/// the given folders, and commit once. On any failure nothing of the run is committed and
/// the files it had written are removed again.
pub fn update(
    handle: &IndexHandle,
    paths: &[PathBuf],
    reading: &dyn Reading,
    opts: &BuildOptions,
    on_event: &(dyn Fn(Event) + Sync),
) -> Result<BuildReport, IndexError> {
    let mut updater = Updater::open(handle, reading, opts)?;
    // One batch and done: nothing looks the files of this run up again, so their
    // bookkeeping need not be kept (about 170 bytes a file, 170 MB for a fresh 1M index).
    updater.remember_new = false;
    let report = updater.sync(paths, on_event)?;
    updater.commit()?;
    updater.finish();
    Ok(report)
}

/// The writing side of an index held open across several batches: the writer (and with
/// it the index's single-writer lock), the per-file bookkeeping and the near-duplicate
/// band map. `update` uses it for one batch; `watch` keeps it for a whole session and
/// commits after each batch of file events.
pub struct Updater<'a> {
    handle: &'a IndexHandle,
    /// Where files are found and read into bulletins.
    reading: &'a dyn Reading,
    writer: IndexWriter<TantivyDocument>,
    /// Sees the last commit; used to look up the stored content hash of changed files.
    reader: IndexReader,
    /// Keyed by each file's identity path (see [`paths::identity`]), byte for byte.
    known: HashMap<PathBuf, Known>,
    /// Built from `known` on first need, so a run that adds nothing never pays for it.
    groups: Mutex<Option<GroupMap>>,
    /// Whether files written by this updater join `known`. Needed when the updater serves
    /// several batches (`watch`); a single run only needs what the last commit held.
    pub remember_new: bool,
    /// Folders never walked: the index itself and [`BuildOptions::exclude`].
    exclude: Vec<PathBuf>,
    /// Keeps the pages of segments being merged from piling up in the resident set.
    _trimmer: super::resident::Trimmer,
}

/// The result of looking at one file.
#[derive(Debug)]
pub enum Outcome {
    /// A new file, indexed.
    Added(Indexed),
    /// A changed file, replaced.
    Updated(Indexed),
    /// Stamp changed but the content is the same (touched, copied over itself): re-added
    /// so the stored stamp is current and the next run skips it without reading.
    Refreshed(Indexed),
    /// Size and mtime match the index: not read.
    Unchanged,
    /// Not indexable, with the reason. An indexed bulletin of the file stays.
    Skipped(SkipReason),
    /// No longer a file (deleted, or replaced by a folder, FIFO or device): its bulletin,
    /// if indexed, is removed. The reason is reported when something else stands there.
    Gone(Option<SkipReason>),
    /// The index writer refused the document: the run must not commit.
    WriterFailed(String),
}

/// Bookkeeping for a file just written to the index.
#[derive(Debug)]
pub struct Indexed {
    pub key: PathBuf,
    pub known: Known,
    /// Bytes of clean text.
    pub bytes: u64,
    /// Things worth telling about the file that did not stop it (broken front matter,
    /// text cut at the size cap).
    pub notes: Vec<String>,
}

impl Outcome {
    /// Notes of an indexed file; none for other outcomes.
    pub fn notes(&self) -> &[String] {
        match self {
            Outcome::Added(i) | Outcome::Updated(i) | Outcome::Refreshed(i) => &i.notes,
            _ => &[],
        }
    }

    /// Why a file was not indexed; none for a file indexed, unchanged or simply gone.
    pub(crate) fn skip_reason(&self) -> Option<&SkipReason> {
        match self {
            Outcome::Skipped(r) | Outcome::Gone(Some(r)) => Some(r),
            _ => None,
        }
    }
}

impl<'a> Updater<'a> {
    /// Take the writer (failing with [`IndexError::Locked`] when another process has it)
    /// and load the bookkeeping. The lock is taken first so the bookkeeping cannot be
    /// changed by someone else while this updater relies on it.
    pub fn open(handle: &'a IndexHandle, reading: &'a dyn Reading, opts: &BuildOptions) -> Result<Updater<'a>, IndexError> {
        let writer = open_writer(handle, opts)?;
        let reader = handle.index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(|e| handle.tantivy_error(e))?;
        let known = handle.guarded(|| known_in(handle, &reader.searcher()))?;
        let trimmer = super::resident::Trimmer::start(handle.mapped.clone(), trim_interval());
        let mut exclude = vec![paths::identity(&handle.dir)];
        exclude.extend(opts.exclude.iter().cloned());
        Ok(Updater { handle, reading, writer, reader, known, groups: Mutex::new(None), remember_new: true, exclude, _trimmer: trimmer })
    }

    /// What the index holds: as of the last commit, plus this updater's own changes when
    /// [`Updater::remember_new`] is set.
    pub fn known(&self) -> &HashMap<PathBuf, Known> {
        &self.known
    }

    /// The index folder this updater writes.
    pub fn dir(&self) -> &Path {
        &self.handle.dir
    }

    /// Folders this updater never walks (the index itself first).
    pub fn excluded(&self) -> &[PathBuf] {
        &self.exclude
    }

    /// The reading stage this updater takes its bulletins from.
    pub fn reading(&self) -> &'a dyn Reading {
        self.reading
    }

    /// Bring the index in line with `paths`: index new and changed files, delete files gone
    /// from the given folders. Does not commit; on a writer failure, rolls back.
    pub fn sync(&mut self, paths: &[PathBuf], on_event: &(dyn Fn(Event) + Sync)) -> Result<BuildReport, IndexError> {
        let walked = self.reading.find(paths, &self.exclude);
        on_event(Event::Found(walked.files.len()));
        let mut report = BuildReport::default();
        report.skip_all(walked.skipped, on_event);
        let files = walked.files;
        // Files are read in bounded batches and each batch is recorded before the next is
        // read: the per-file results never pile up, so memory stays flat however many files
        // a run holds. Files already seen are remembered by a 64-bit hash of their path,
        // not by the path itself (8 bytes a file instead of ~100).
        let mut seen: HashSet<u64> = HashSet::with_capacity(files.len());
        if self.remember_new {
            // Room for every file up front: growing a million-entry map doubles it in one
            // step, briefly holding the old and the new table.
            self.known.reserve(files.len().saturating_sub(self.known.len()));
        }
        let mut failure = None;
        for batch in files.chunks(BATCH_FILES) {
            let outcomes: Vec<Outcome> = {
                let this = &*self;
                batch
                    .par_iter()
                    .map(|path| {
                        let outcome = this.index_file(path);
                        if let Some(reason) = outcome.skip_reason() {
                            on_event(Event::Skipped(path, &reason.to_string()));
                        }
                        for note in outcome.notes() {
                            on_event(Event::Note(path, note));
                        }
                        on_event(Event::Progress);
                        outcome
                    })
                    .collect()
            };
            for (outcome, path) in outcomes.into_iter().zip(batch) {
                seen.insert(key_hash(path));
                if let Err(reason) = self.record(path, outcome, &mut report) {
                    failure = Some(reason);
                }
            }
            if failure.is_some() {
                break;
            }
        }
        if let Some(reason) = failure {
            // The writer itself broke (disk full, I/O error): keep the last commit intact.
            // The worker that died holds the real cause (tantivy only says "killed");
            // preparing a commit joins the workers and returns it, and nothing is committed.
            let cause = match self.writer.prepare_commit() {
                Err(e) => format!("{e:?}"),
                Ok(prepared) => {
                    let _ = prepared.abort();
                    String::new()
                }
            };
            self.discard();
            return Err(super::writer_failure(&self.handle.dir, &reason, &cause));
        }

        // Files that disappeared from the folders (or files) this run was given. Only a
        // path that names nothing (or something that is not a file) is gone: one that
        // cannot be looked at now (permission denied, an I/O error) keeps its bulletin.
        let roots = &walked.roots;
        let gone: Vec<PathBuf> = self
            .known
            .keys()
            .filter(|k| !seen.contains(&key_hash(k)))
            .filter(|k| roots.iter().any(|root| k.starts_with(root)) && paths::is_gone(k))
            .cloned()
            .collect();
        for key in gone {
            if self.remove(&key) {
                report.removed += 1;
            }
        }
        Ok(report)
    }

    /// Look at one file and, when it is new or changed, write it to the index (not yet
    /// committed). `path` is the file's identity (as [`Reading::find`] returns it, or
    /// [`paths::identity`]), which is its bookkeeping key. Safe to call from several
    /// threads; the caller passes the outcome to [`Updater::record`].
    pub(crate) fn index_file(&self, path: &Path) -> Outcome {
        let meta = match std::fs::metadata(path) {
            Ok(m) if m.is_file() => m,
            Ok(m) => {
                let reason = (!m.is_dir()).then(|| SkipReason::NotAFile(paths::special_kind(m.file_type())));
                return Outcome::Gone(reason);
            }
            Err(e) if paths::is_absence(&e) => return Outcome::Gone(None),
            Err(e) => return Outcome::Skipped(e.into()),
        };
        let stamp = stamp_of(&meta);
        let previous = self.known.get(path);
        if previous.is_some_and(|k| k.stamp == stamp) {
            return Outcome::Unchanged;
        }
        let Read { bulletin, folds, notes } = match self.reading.read(path) {
            Ok(read) => read,
            Err(reason) => return Outcome::Skipped(reason),
        };
        let bytes = (bulletin.title.len() + bulletin.body.len()) as u64;
        let same_content = previous.is_some() && self.stored_hash(&bulletin.id).as_deref() == Some(bulletin.content_hash.as_str());
        let (simhash, group) = self.fingerprint(&bulletin, &folds, previous);
        if previous.is_some() {
            self.writer.delete_term(Term::from_field_text(self.handle.fields.id, &bulletin.id));
        }
        let mut doc = to_document(&bulletin, &folds, stamp, &self.handle.fields);
        doc.add_u64(self.handle.fields.simhash, simhash);
        doc.add_u64(self.handle.fields.group, group);
        if let Err(e) = self.writer.add_document(doc) {
            return Outcome::WriterFailed(e.to_string());
        }
        let indexed = Indexed { key: path.to_path_buf(), known: Known { stamp, simhash, group }, bytes, notes };
        match previous {
            None => Outcome::Added(indexed),
            Some(_) if same_content => Outcome::Refreshed(indexed),
            Some(_) => Outcome::Updated(indexed),
        }
    }

    /// Fingerprint and group of a bulletin about to be written. A changed file keeps its
    /// group while its text stays near its old fingerprint (the band map still holds it).
    fn fingerprint(&self, bulletin: &Bulletin, folds: &Folds, previous: Option<&Known>) -> (u64, u64) {
        let Some(hash) = simhash::simhash(folds.body.text()) else {
            // Too short to compare: a group of its own, derived from the id so it is stable.
            let own = u64::from_str_radix(&bulletin.id, 16).unwrap_or(1);
            return (0, simhash::own_group(own));
        };
        if let Some(k) = previous {
            if k.group != 0 && k.simhash != 0 && simhash::distance(k.simhash, hash) <= simhash::MAX_DISTANCE {
                return (hash, k.group);
            }
        }
        let mut groups = self.groups.lock().unwrap_or_else(|e| e.into_inner());
        let map = groups.get_or_insert_with(|| {
            let mut map = GroupMap::new();
            for k in self.known.values() {
                if k.simhash != 0 && k.group != 0 {
                    map.insert(k.simhash, k.group);
                }
            }
            map
        });
        (hash, map.assign(hash))
    }

    /// The content hash stored for document `id` at the last commit.
    fn stored_hash(&self, id: &str) -> Option<String> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(Term::from_field_text(self.handle.fields.id, id), IndexRecordOption::Basic);
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score()).ok()?;
        let (_, address) = top.first()?;
        let doc: TantivyDocument = searcher.doc(*address).ok()?;
        doc.get_first(self.handle.fields.hash).and_then(|v| v.as_str()).map(str::to_string)
    }

    /// Count an outcome in `report` and update the bookkeeping. `Err` when the writer
    /// failed, in which case the batch must be rolled back.
    pub fn record(&mut self, path: &Path, outcome: Outcome, report: &mut BuildReport) -> Result<(), String> {
        match outcome {
            Outcome::Added(i) => {
                report.added += 1;
                report.text_bytes += i.bytes;
                self.remember(i);
            }
            Outcome::Updated(i) => {
                report.updated += 1;
                report.text_bytes += i.bytes;
                self.remember(i);
            }
            Outcome::Refreshed(i) => {
                report.unchanged += 1;
                self.remember(i);
            }
            Outcome::Unchanged => report.unchanged += 1,
            Outcome::Skipped(reason) => {
                if reason.keeps_indexed() {
                    report.unreadable.push((path.to_path_buf(), reason.to_string()));
                }
                report.skipped.push((path.to_path_buf(), reason));
            }
            Outcome::Gone(reason) => {
                if self.remove(path) {
                    report.removed += 1;
                }
                if let Some(reason) = reason {
                    report.skipped.push((path.to_path_buf(), reason));
                }
            }
            Outcome::WriterFailed(reason) => return Err(reason),
        }
        Ok(())
    }

    fn remember(&mut self, i: Indexed) {
        if self.remember_new {
            self.known.insert(i.key, i.known);
        } else if let Some(k) = self.known.get_mut(&i.key) {
            // A changed file: keep the entry current without growing the map.
            *k = i.known;
        }
    }

    /// Delete the document of file `key` (an identity path). False when none is indexed.
    pub fn remove(&mut self, key: &Path) -> bool {
        match self.known.remove(key) {
            Some(_) => {
                // The id is derived from the path, so the bookkeeping need not hold it.
                self.writer.delete_term(Term::from_field_text(self.handle.fields.id, &id_for_path(key)));
                true
            }
            None => false,
        }
    }

    /// Delete the documents of every indexed file at or under `path` that is gone (a
    /// removed file, one replaced by a folder or a FIFO, a folder deleted or moved away).
    /// A folder that cannot be read keeps its bulletins. Returns how many were deleted.
    pub(crate) fn remove_missing_under(&mut self, path: &Path) -> usize {
        let root = paths::identity(path);
        let root_gone = paths::is_gone(&root);
        if !root_gone && !root.is_dir() {
            return 0;
        }
        // A single file is found directly; only a folder needs a scan of the bookkeeping.
        if root_gone && self.remove(&root) {
            return 1;
        }
        let gone: Vec<PathBuf> = self.known.keys().filter(|k| k.starts_with(&root) && paths::is_gone(k)).cloned().collect();
        gone.iter().filter(|k| self.remove(k)).count()
    }

    /// Commit everything written since the last commit, and let lookups see it. A failed
    /// commit is rolled back and the files it wrote are deleted (see [`Updater::rollback`]).
    pub fn commit(&mut self) -> Result<(), IndexError> {
        if let Err(e) = self.writer.commit() {
            let detail = format!("{e:?}");
            let err = super::writer_failure(&self.handle.dir, &e.to_string(), &detail);
            let _ = self.rollback();
            return Err(err);
        }
        super::backup_commit(&self.handle.dir);
        self.reader.reload().map_err(|e| self.handle.tantivy_error(e))
    }

    /// Drop what was written since the last commit, and delete the segment files it left:
    /// a run that failed on a full disk must not leave the disk full for the next one.
    /// tantivy records every file before creating it, so only its own files are deleted.
    pub(crate) fn rollback(&mut self) -> Result<(), IndexError> {
        self.writer.rollback().map(|_| ()).map_err(|e| self.handle.tantivy_error(e))?;
        let _ = self.writer.garbage_collect_files().wait();
        // The bookkeeping may now be ahead of the index; reload it from the last commit.
        self.known = known_in(self.handle, &self.reader.searcher())?;
        *self.groups.lock().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    }

    /// Roll back after a failure, keeping the failure as the error to report.
    fn discard(&mut self) {
        let _ = self.rollback();
    }

    /// Wait for background merges, then release the writer (and the lock).
    pub fn finish(self) {
        let dir = self.handle.dir.clone();
        let _ = self.writer.wait_merging_threads();
        // Merges rewrite meta.json; keep the saved copy in step.
        super::backup_commit(&dir);
    }
}

/// How often an updater releases the mapped pages of segments (see [`super::resident`]).
/// A merge reads its segments at hundreds of megabytes a second, so the interval bounds
/// how far the resident set can climb between two trims. `TONGBAO_TRIM_MS` overrides it
/// (0 turns trimming off), for measuring what it costs.
fn trim_interval() -> Option<std::time::Duration> {
    let ms = std::env::var("TONGBAO_TRIM_MS").ok().and_then(|v| v.parse::<u64>().ok()).unwrap_or(100);
    (ms > 0).then(|| std::time::Duration::from_millis(ms))
}

/// Files read (in parallel) before their results are recorded: enough to keep both cores
/// busy across uneven file sizes, few enough that a batch's documents are a few megabytes.
const BATCH_FILES: usize = 512;

/// A path's identity for "was this file seen in this run". 64 bits: a collision would at
/// worst keep one deleted file's document until the next run, at odds of about n²/2⁶⁵.
fn key_hash(key: &Path) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::hash::DefaultHasher>::default().hash_one(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_policy_merges_deleted_documents() {
        // The policy is not readable back from the writer; check the one we build.
        let mut policy = LogMergePolicy::default();
        policy.set_del_docs_ratio_before_merge(DEL_DOCS_RATIO);
        assert!(format!("{policy:?}").contains("0.3"), "{policy:?}");
    }

    /// Runs longer than one read batch: every file is indexed once, and files removed from
    /// any batch (first, middle, last) are found gone on the next run, with or without the
    /// run keeping its own bookkeeping.
    #[test]
    fn runs_across_batches_add_and_remove_every_file() {
        let tmp = tempfile::tempdir().unwrap();
        let docs = tmp.path().join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        let n = BATCH_FILES * 2 + 37;
        for i in 0..n {
            let body = format!("第{i}号通报\n2023年5月{}日，某县公安局破获电信网络诈骗案件{i}起，抓获犯罪嫌疑人{}名。", i % 28 + 1, i % 9 + 1);
            std::fs::write(docs.join(format!("{i:05}.txt")), body).unwrap();
        }
        let jieba = crate::analysis::dictionary::shared(include_str!("../../index-schema/dictionary.txt"));
        let resources = crate::resources::Resources::embedded();
        let meta = super::super::IndexMeta::current(&crate::read::fingerprint(&resources));
        let handle = IndexHandle::create(&tmp.path().join("ix"), jieba, &meta).unwrap();
        let extractor = crate::extract::Extractor::from_resources(&resources).unwrap();
        let reader = crate::read::Reader::new(&extractor, Default::default());
        let opts = BuildOptions::default();

        let first = update(&handle, std::slice::from_ref(&docs), &reader, &opts, &|_| {}).unwrap();
        assert_eq!((first.added, first.removed, first.skipped.len()), (n, 0, 0));
        assert_eq!(known_files(&handle).unwrap().len(), n);

        let gone = [0, BATCH_FILES - 1, BATCH_FILES, BATCH_FILES + 300, n - 1];
        for i in gone {
            std::fs::remove_file(docs.join(format!("{i:05}.txt"))).unwrap();
        }
        let second = update(&handle, std::slice::from_ref(&docs), &reader, &opts, &|_| {}).unwrap();
        assert_eq!((second.added, second.removed, second.unchanged), (0, gone.len(), n - gone.len()));
        let known = known_files(&handle).unwrap();
        assert_eq!(known.len(), n - gone.len());
        for i in gone {
            let key = paths::identity(&docs.join(format!("{i:05}.txt")));
            assert!(!known.contains_key(&key), "{} should be gone", key.display());
        }

        // The same through an updater that keeps its bookkeeping (as `watch` does).
        std::fs::remove_file(docs.join(format!("{:05}.txt", BATCH_FILES + 1))).unwrap();
        let mut updater = Updater::open(&handle, &reader, &opts).unwrap();
        assert!(updater.remember_new);
        let third = updater.sync(std::slice::from_ref(&docs), &|_| {}).unwrap();
        assert_eq!((third.removed, third.unchanged), (1, n - gone.len() - 1));
        assert_eq!(updater.known().len(), n - gone.len() - 1);
        updater.commit().unwrap();
        updater.finish();
    }

    #[test]
    fn summary_groups_skip_reasons() {
        use crate::source::{Problem, SourceError};
        let mut r = BuildReport { added: 2, unchanged: 5, ..Default::default() };
        assert_eq!(r.summary(), "2 added, 0 updated, 0 removed, 5 unchanged, 0 skipped");
        r.skipped.push(("a".into(), SkipReason::Source(SourceError::Empty)));
        r.skipped.push(("b".into(), std::io::Error::from(std::io::ErrorKind::PermissionDenied).into()));
        r.skipped.push(("c".into(), SkipReason::Source(SourceError::Empty)));
        // The walk's and the reader's "cannot read" are one reason; a binary's kind has no
        // colon to split at, and one leading into a system folder no path in its count.
        r.skipped.push(("d".into(), SkipReason::Passed(Problem::Unreadable(std::io::ErrorKind::Other.into()))));
        r.skipped.push(("e".into(), SkipReason::Source(SourceError::Binary("PNG image"))));
        r.skipped.push(("f".into(), SkipReason::Passed(Problem::SystemFolder("/proc/self".into()))));
        assert_eq!(
            r.summary(),
            "2 added, 0 updated, 0 removed, 5 unchanged, 6 skipped (1 binary file, 2 cannot read, 2 empty file, 1 leads into a system folder)"
        );
    }
}

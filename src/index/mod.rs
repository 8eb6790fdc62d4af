//! The on-disk index: schema, opening and creating, and turning bulletins into documents.
//!
//! An index folder holds tantivy's files plus `tongbao.json`, which records the schema
//! version and a fingerprint of the analysis data (dictionary, rules) it was built with, so
//! that a binary with different analysis refuses to mix segmentations.

pub mod build;
pub mod check;
#[cfg(test)]
mod faults;
pub mod folder;
pub mod rebuild;
pub mod resident;
pub mod schema;
pub mod simhash;
pub mod watch;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jieba_rs::Jieba;
use serde::{Deserialize, Serialize};
use tantivy::schema::Facet;
use tantivy::{DateTime, Index, TantivyDocument};

pub use schema::{Fields, SCHEMA_VERSION};

use crate::analysis::Folds;
use crate::bulletin::Bulletin;

/// Name of tongbao's own record in an index folder.
pub const META_FILE: &str = crate::paths::INDEX_RECORD;
/// Copy of tantivy's `meta.json` taken after every commit, so a lost or damaged
/// `meta.json` can be restored to the last commit (`tongbao check --repair`).
pub(crate) const META_BACKUP: &str = "meta.json.last-commit";

/// Errors opening or writing an index. Each says what happened and what to do.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {0}; build one with `tongbao --index {0} index PATH...`")]
    NotFound(String),
    #[error("{0} is not usable as a tongbao index: {1}")]
    NotAnIndex(String, String),
    #[error("{0} is not usable as a tongbao index: it is a file, not a folder; point --index at an index folder, or at a new one to build an index there")]
    NotAFolder(String),
    /// A folder of other files and no index: tongbao never writes into one.
    #[error("{0} is not usable as a tongbao index: the folder holds other files but no index; point --index at an index folder, or at a new or empty one to build an index there")]
    Occupied(String),
    #[error(
        "index at {dir} was built by another version of tongbao ({found}; this binary needs {wanted}); rebuild it with `tongbao --index {dir} index {paths}`"
    )]
    VersionMismatch { dir: String, found: String, wanted: String, paths: String },
    #[error("another tongbao process is writing to the index at {0}; wait for it to finish (searching works meanwhile)")]
    Locked(String),
    #[error(
        "index at {dir} is damaged ({}); `tongbao --index {dir} check` tells what is wrong, and `tongbao --index {dir} index --full PATH...` rebuilds it",
        brief(cause)
    )]
    Tantivy { dir: String, cause: tantivy::TantivyError },
    #[error("index at {dir}: {cause}")]
    Io { dir: String, cause: std::io::Error },
    /// A write failed for lack of space. tantivy commits by switching `meta.json` last, so
    /// the previous commit is still what the index holds.
    #[error("no space left on the disk while writing the index at {dir}; nothing from this run was committed and the index still holds its previous commit; free some space and run the same command again")]
    DiskFull { dir: String },
    /// A rebuild could not read everything the index holds bulletins from.
    #[error("cannot rebuild the index at {dir}: {path} could not be read ({cause}){more}; the rebuilt index would have lost its bulletins, so the index was left as it was; make it readable (or move it out of the indexed folders) and run again")]
    RebuildBlocked { dir: String, path: String, cause: String, more: String },
    /// The folder cannot be written (read-only file system, no permission).
    #[error("cannot write to the index at {dir}: {cause}; nothing was changed, and searching it still works; make the folder writable, or point --index at a folder you can write")]
    ReadOnly { dir: String, cause: String },
}

/// The clear error for a writer that failed, from what tantivy said (`reason`, and the
/// worker's `detail` when one died) and from a probe of the folder: tantivy reports a
/// worker that hit a full disk or a read-only folder only as "killed".
pub(crate) fn writer_failure(dir: &Path, reason: &str, detail: &str) -> IndexError {
    let d = dir.display().to_string();
    if is_disk_full(&reason) || is_disk_full(&detail) {
        return IndexError::DiskFull { dir: d };
    }
    if mentions_read_only(&reason) || mentions_read_only(&detail) {
        return read_only(dir);
    }
    match probe_writable(dir) {
        Err(e) if is_disk_full(&e) => IndexError::DiskFull { dir: d },
        Err(e) if is_read_only(&e) => read_only(dir),
        _ => IndexError::Io {
            dir: d,
            cause: std::io::Error::other(format!(
                "the index writer failed ({}); nothing from this run was committed, the previous state is intact",
                reason.lines().next().unwrap_or(reason)
            )),
        },
    }
}

/// The error for a folder that refused a write, with the cause a probe finds now (so that
/// the same trouble always reads the same).
fn read_only(dir: &Path) -> IndexError {
    let cause = match probe_writable(dir) {
        Err(e) => crate::paths::brief_io(&e),
        Ok(()) => "permission denied or read-only file system".into(),
    };
    IndexError::ReadOnly { dir: dir.display().to_string(), cause }
}

/// Name of the file a write probe creates and deletes at once (see [`probe_writable`]).
pub(crate) const PROBE_FILE: &str = ".tongbao-write-probe";

/// Whether a file can be created, written and deleted in `dir`.
pub(crate) fn probe_writable(dir: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let path = dir.join(PROBE_FILE);
    let result = std::fs::File::create(&path).and_then(|mut f| f.write_all(&[0u8; 4096]).and_then(|_| f.sync_all()));
    let _ = std::fs::remove_file(&path);
    result
}

/// True for the errors of a folder that cannot be written: read-only file system
/// (EROFS, 30) or no permission.
pub(crate) fn is_read_only(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::PermissionDenied || e.kind() == std::io::ErrorKind::ReadOnlyFilesystem || e.raw_os_error() == Some(30)
}

/// True when an error (however deeply tantivy wrapped it) comes from a full disk or quota.
pub(crate) fn is_disk_full(e: &dyn std::fmt::Debug) -> bool {
    let text = format!("{e:?}");
    // ENOSPC is 28 and EDQUOT 122 on Linux; kinds cover other systems.
    ["StorageFull", "QuotaExceeded", "No space left on device", "os error 28", "Disk quota exceeded"].iter().any(|needle| text.contains(needle))
}

/// True when an error (however deeply tantivy wrapped it) comes from a folder that may
/// not be written: EACCES (13), EPERM (1) or EROFS (30).
pub(crate) fn mentions_read_only(e: &dyn std::fmt::Debug) -> bool {
    let text = format!("{e:?}");
    ["PermissionDenied", "ReadOnlyFilesystem", "os error 13", "os error 30", "Read-only file system"].iter().any(|needle| text.contains(needle))
}

/// tantivy's errors nest their causes verbosely; one short clause is enough for a person.
pub(crate) fn brief(e: &tantivy::TantivyError) -> String {
    use tantivy::directory::error::OpenReadError;
    let text = match e {
        tantivy::TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
            format!("{}: {}", filepath.display(), io_error.to_string().split('.').next().unwrap_or(""))
        }
        tantivy::TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(p)) => format!("{} is missing", p.display()),
        other => other.to_string(),
    };
    let line = text.lines().next().unwrap_or("").to_string();
    if line.chars().count() > 200 {
        line.chars().take(200).collect::<String>() + "…"
    } else {
        line
    }
}

/// What `tongbao.json` records.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndexMeta {
    pub schema_version: u32,
    /// Fingerprint of dictionary and rules (see `Resources::fingerprint`).
    pub analysis: String,
    pub created_by: String,
    /// Files and folders indexed so far (resolved paths): a rebuild re-reads every one of
    /// them, and a message can give the exact command that rebuilds this index.
    #[serde(default)]
    pub roots: Vec<StoredPath>,
}

/// A path in `tongbao.json`: text when it is UTF-8, else its raw bytes, so that a folder
/// with a GBK name is rebuilt from the folder it was, not from a lossy look-alike.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum StoredPath {
    Text(String),
    Bytes { bytes: Vec<u8> },
}

impl StoredPath {
    pub fn new(path: &Path) -> StoredPath {
        match path.to_str() {
            Some(s) => StoredPath::Text(s.to_string()),
            None => StoredPath::Bytes { bytes: crate::bulletin::path_bytes(path).to_vec() },
        }
    }

    pub fn path(&self) -> PathBuf {
        match self {
            StoredPath::Text(s) => PathBuf::from(s),
            StoredPath::Bytes { bytes } => crate::bulletin::path_from_bytes(bytes),
        }
    }
}

impl IndexMeta {
    pub fn current(analysis_fingerprint: &str) -> IndexMeta {
        IndexMeta {
            schema_version: SCHEMA_VERSION,
            analysis: analysis_fingerprint.to_string(),
            created_by: format!("tongbao {}", env!("CARGO_PKG_VERSION")),
            roots: Vec::new(),
        }
    }

    fn describe(&self) -> String {
        format!("schema v{}, analysis {}", self.schema_version, self.analysis)
    }

    /// The recorded roots as paths.
    pub(crate) fn root_paths(&self) -> Vec<PathBuf> {
        self.roots.iter().map(StoredPath::path).collect()
    }

    /// The recorded roots as one line for a message or a command.
    pub(crate) fn roots_line(&self) -> String {
        if self.roots.is_empty() {
            return "PATH...".to_string();
        }
        self.root_paths().iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" ")
    }

    /// Add the identity of each path not recorded yet.
    pub(crate) fn add_roots(&mut self, paths: &[PathBuf]) {
        for p in paths {
            let root = StoredPath::new(&crate::paths::identity(p));
            if !self.roots.contains(&root) {
                self.roots.push(root);
            }
        }
    }
}

/// The record in `dir`, when there is a readable one.
pub(crate) fn read_record(dir: &Path) -> Option<IndexMeta> {
    let text = std::fs::read(dir.join(META_FILE)).ok()?;
    serde_json::from_slice(&text).ok()
}

/// An opened index with its fields resolved and tokenizers registered.
pub struct IndexHandle {
    pub dir: PathBuf,
    pub index: Index,
    pub fields: Fields,
    /// The files this handle's directory has mapped, for [`resident::Trimmer`].
    pub mapped: resident::MappedFiles,
}

impl IndexHandle {
    /// Open an existing index for searching or updating. `expected` is the meta this binary
    /// would write; a different one is a [`IndexError::VersionMismatch`].
    pub fn open(dir: &Path, jieba: Arc<Jieba>, expected: &IndexMeta) -> Result<IndexHandle, IndexError> {
        let d = dir.display().to_string();
        if dir.exists() && !dir.is_dir() {
            return Err(IndexError::NotAFolder(d));
        }
        if !dir.join("meta.json").exists() {
            if dir.join(META_BACKUP).exists() {
                // A committed index lost its meta.json: its segments are still there.
                return Err(IndexError::NotAnIndex(d.clone(), format!("meta.json is missing; `tongbao --index {d} check --repair` restores the last commit")));
            }
            // A folder of other files is no index, and `create` refuses it too; our record
            // alone is an index whose creation was interrupted (`create` writes tantivy's
            // meta.json last): creating it again is safe.
            if folder::holds_more_than_a_start(dir) {
                return Err(IndexError::Occupied(d));
            }
            return Err(IndexError::NotFound(d));
        }
        if !is_tantivy_meta(&dir.join("meta.json")) && is_tantivy_meta(&dir.join(META_BACKUP)) {
            return Err(IndexError::NotAnIndex(d.clone(), format!("meta.json is damaged; `tongbao --index {d} check --repair` restores the last commit")));
        }
        let found: IndexMeta = match std::fs::read_to_string(dir.join(META_FILE)) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                IndexError::NotAnIndex(
                    d.clone(),
                    format!("its record {META_FILE} is damaged ({e}); rebuild it with `tongbao --index {d} index --full PATH...`"),
                )
            })?,
            Err(_) if folder::is_tantivy_index(dir) => {
                return Err(IndexError::NotAnIndex(
                    d.clone(),
                    format!("its record {META_FILE} is missing, so tongbao cannot tell which version built it; rebuild it with `tongbao --index {d} index --full PATH...`"),
                ))
            }
            Err(_) => {
                return Err(IndexError::NotAnIndex(
                    d,
                    format!("it has no {META_FILE}, so it was not made by tongbao; point --index at another folder"),
                ))
            }
        };
        if found.schema_version != expected.schema_version || found.analysis != expected.analysis {
            let paths = found.roots_line();
            return Err(IndexError::VersionMismatch { dir: d, found: found.describe(), wanted: expected.describe(), paths });
        }
        let directory = resident::TrackedDirectory::open(dir).map_err(|e| IndexError::Io { dir: d.clone(), cause: std::io::Error::other(e.to_string()) })?;
        let mapped = directory.mapped();
        let mut handle = Self::open_with(dir, Box::new(directory), jieba, expected)?;
        handle.mapped = mapped;
        Ok(handle)
    }

    /// Open the index in `dir` through another tantivy [`Directory`](tantivy::directory::Directory)
    /// — a wrapper that injects faults in tests, or another storage. `dir` names the index in
    /// messages; unlike [`IndexHandle::open`], `tongbao.json` is not checked.
    pub fn open_with(
        dir: &Path,
        directory: Box<dyn tantivy::directory::Directory>,
        jieba: Arc<Jieba>,
        expected: &IndexMeta,
    ) -> Result<IndexHandle, IndexError> {
        let d = dir.display().to_string();
        let index = Index::open(directory).map_err(|source| IndexError::Tantivy { dir: d.clone(), cause: source })?;
        if index.schema() != schema::build() {
            return Err(IndexError::VersionMismatch { dir: d, found: "a different schema".into(), wanted: expected.describe(), paths: "PATH...".to_string() });
        }
        Self::wrap(dir, index, jieba)
    }

    /// Create a new, empty index in `dir`, which must be missing or empty: tongbao never
    /// writes an index into a folder that holds other files.
    pub fn create(dir: &Path, jieba: Arc<Jieba>, meta: &IndexMeta) -> Result<IndexHandle, IndexError> {
        let d = dir.display().to_string();
        if dir.exists() {
            std::fs::read_dir(dir).map_err(|source| IndexError::Io { dir: d.clone(), cause: source })?;
            if folder::holds_more_than_a_start(dir) {
                return Err(IndexError::Occupied(d));
            }
        }
        std::fs::create_dir_all(dir).map_err(|source| IndexError::Io { dir: d.clone(), cause: source })?;
        // Our record first, tantivy's meta.json last: a process killed in between leaves a
        // folder that `open` reports as no index yet, never one without its record.
        let text = serde_json::to_string_pretty(meta).unwrap_or_default();
        write_atomic(&dir.join(META_FILE), text.as_bytes()).map_err(|source| IndexError::Io { dir: d.clone(), cause: source })?;
        let directory = resident::TrackedDirectory::open(dir).map_err(|e| IndexError::Io { dir: d.clone(), cause: std::io::Error::other(e.to_string()) })?;
        let mapped = directory.mapped();
        let index = Index::create(directory, schema::build(), index_settings()).map_err(|source| IndexError::Tantivy { dir: d.clone(), cause: source })?;
        let mut handle = Self::wrap(dir, index, jieba)?;
        handle.mapped = mapped;
        Ok(handle)
    }

    fn wrap(dir: &Path, index: Index, jieba: Arc<Jieba>) -> Result<IndexHandle, IndexError> {
        crate::analysis::register(&index, jieba);
        let fields = Fields::new(&index.schema()).map_err(|source| IndexError::Tantivy { dir: dir.display().to_string(), cause: source })?;
        Ok(IndexHandle { dir: dir.to_path_buf(), index, fields, mapped: resident::MappedFiles::default() })
    }

    /// Run code that reads the index's data structures. tantivy trusts its files and may
    /// panic on damaged ones whose footers still look right; that becomes a "damaged" error
    /// naming the way out instead of a crash.
    pub fn guarded<T>(&self, f: impl FnOnce() -> Result<T, IndexError>) -> Result<T, IndexError> {
        crate::guard::catch(f).unwrap_or_else(|msg| Err(self.damaged(&msg)))
    }

    /// The error for an index whose data failed a consistency check.
    pub fn damaged(&self, what: &str) -> IndexError {
        IndexError::Tantivy {
            dir: self.dir.display().to_string(),
            cause: tantivy::TantivyError::DataCorruption(tantivy::error::DataCorruption::comment_only(what)),
        }
    }

    pub fn tantivy_error(&self, source: tantivy::TantivyError) -> IndexError {
        let dir = self.dir.display().to_string();
        match source {
            tantivy::TantivyError::LockFailure(tantivy::directory::error::LockError::LockBusy, _) => IndexError::Locked(dir),
            // Not busy: the lock file itself could not be made (read-only folder, full disk).
            tantivy::TantivyError::LockFailure(..) => writer_failure(&self.dir, "cannot take the writer lock", ""),
            cause if is_disk_full(&cause) => IndexError::DiskFull { dir },
            // A write refused by the folder is no damage to the index.
            cause if mentions_read_only(&cause) => read_only(&self.dir),
            cause => IndexError::Tantivy { dir, cause },
        }
    }
}

/// True when the file is a tantivy commit record (`meta.json` or its saved copy): JSON
/// with the list of segments, the schema and the operation stamp. `{}` is well-formed JSON
/// but no index, and counts as damage.
pub(crate) fn is_tantivy_meta(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|b| {
        matches!(serde_json::from_slice::<serde_json::Value>(&b), Ok(serde_json::Value::Object(m))
            if m.get("segments").is_some_and(serde_json::Value::is_array) && m.contains_key("schema") && m.contains_key("opstamp"))
    })
}

/// Save a copy of the committed `meta.json` (see [`META_BACKUP`]). Best effort: failing
/// to save the copy must not fail a commit that succeeded.
pub(crate) fn backup_commit(dir: &Path) {
    refresh_backup(dir);
}

/// Bring the saved copy of `meta.json` up to date when `meta.json` is sound and differs
/// from it. Merges rewrite `meta.json` after a commit (in `watch`, at any time), and a
/// copy naming segments that were merged away would restore nothing. Returns whether the
/// copy was written.
pub(crate) fn refresh_backup(dir: &Path) -> bool {
    let meta = dir.join("meta.json");
    let Ok(bytes) = std::fs::read(&meta) else { return false };
    if std::fs::read(dir.join(META_BACKUP)).is_ok_and(|saved| saved == bytes) || !is_tantivy_meta(&meta) {
        return false;
    }
    write_atomic(&dir.join(META_BACKUP), &bytes).is_ok()
}

/// Add `paths` to the roots recorded in the index's `tongbao.json`. Best effort: a run
/// that indexed its paths must not fail for the record (the next run adds them again).
pub fn record_roots(dir: &Path, paths: &[PathBuf]) {
    let Some(mut meta) = read_record(dir) else { return };
    let before = meta.roots.clone();
    let existing: Vec<PathBuf> = paths.iter().filter(|p| p.exists()).cloned().collect();
    meta.add_roots(&existing);
    if meta.roots != before {
        if let Ok(text) = serde_json::to_string_pretty(&meta) {
            let _ = write_atomic(&dir.join(META_FILE), text.as_bytes());
        }
    }
}

/// Settings of a new index: the doc store (a third of the index) compressed with zstd,
/// which packs Chinese text about half as small as tantivy's default lz4 at a similar
/// decompression cost per hit. Existing indexes keep the compressor they were built with.
pub(crate) fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor { compression_level: Some(3) }),
        ..Default::default()
    }
}

/// Write a file so that readers see the old or the new content, never a torn one.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// File facts stored beside a bulletin for incremental updates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileStamp {
    pub size: u64,
    pub mtime: i64,
}

/// Turn a bulletin into a tantivy document: the text as published goes to the stored
/// fields, its fold (`folds`, of `b.title` and `b.body`, made once when the bulletin was
/// read) to the indexed ones, whose tokenizers take folded text.
pub fn to_document(b: &Bulletin, folds: &Folds, stamp: FileStamp, f: &Fields) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &b.id);
    doc.add_text(f.path, b.path.to_string_lossy());
    doc.add_bytes(f.path_bytes, crate::bulletin::path_bytes(&b.path));
    doc.add_text(f.title_text, &b.title);
    doc.add_text(f.body_text, &b.body);
    doc.add_text(f.title, folds.title.text());
    doc.add_text(f.body, folds.body.text());
    if let Some(date) = b.date {
        let secs = date.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(0);
        doc.add_date(f.date, DateTime::from_timestamp_secs(secs));
        doc.add_facet(f.year, Facet::from_path([format!("{}", chrono::Datelike::year(&date))]));
    }
    if let Some(path) = b.region.facet_path() {
        if let Ok(facet) = Facet::from_text(&path) {
            doc.add_facet(f.region, facet);
        }
    }
    for c in &b.categories {
        if let Ok(facet) = Facet::from_text(c) {
            doc.add_facet(f.category, facet);
        }
    }
    doc.add_text(f.hash, &b.content_hash);
    doc.add_u64(f.size, stamp.size);
    doc.add_i64(f.mtime, stamp.mtime);
    doc.add_text(f.format, b.format.as_str());
    doc.add_text(f.encoding, &b.encoding);
    if let Some(url) = &b.url {
        doc.add_text(f.url, url);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_saved_commit_follows_sound_records_only() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let record = |segments: &str| format!(r#"{{"index_settings":{{}},"segments":[{segments}],"schema":[],"opstamp":7}}"#);
        let cases: &[(&str, bool)] = &[
            (&record(r#"{"segment_id":"a","max_doc":3,"deletes":null}"#), true),
            // Merged: another record, same commit.
            (&record(r#"{"segment_id":"b","max_doc":3,"deletes":null}"#), true),
            // Unchanged: nothing to write.
            (&record(r#"{"segment_id":"b","max_doc":3,"deletes":null}"#), false),
            ("{}", false),
            ("{\"segments\": [ garb", false),
        ];
        for (meta, written) in cases {
            std::fs::write(dir.join("meta.json"), meta).unwrap();
            assert_eq!(refresh_backup(dir), *written, "{meta}");
            assert!(is_tantivy_meta(&dir.join(META_BACKUP)));
        }
        assert!(std::fs::read_to_string(dir.join(META_BACKUP)).unwrap().contains(r#""segment_id":"b""#));
    }
}

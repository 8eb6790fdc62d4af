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
use tantivy::indexer::LogMergePolicy;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::{to_document, FileStamp, IndexError, IndexHandle};
use crate::bulletin::{content_hash, id_for_path, Bulletin};
use crate::extract::Extractor;
use crate::source::{self, ReadOptions, SourceDoc};

/// Knobs for one indexing run.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Writer memory budget in bytes, shared by the writer threads.
    pub memory_budget: usize,
    /// Writer threads (tokenising and building postings).
    pub threads: usize,
    pub read: ReadOptions,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions { memory_budget: 256 << 20, threads: 2, read: ReadOptions::default() }
    }
}

/// What a run did, for the summary line.
#[derive(Debug, Default, Clone)]
pub struct BuildReport {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Files that could not be indexed, with the reason.
    pub skipped: Vec<(PathBuf, String)>,
    /// Bytes of clean text indexed.
    pub text_bytes: u64,
}

impl BuildReport {
    pub fn summary(&self) -> String {
        let mut reasons: HashMap<&str, usize> = HashMap::new();
        for (_, r) in &self.skipped {
            *reasons.entry(reason_kind(r)).or_default() += 1;
        }
        let mut reasons: Vec<_> = reasons.into_iter().collect();
        reasons.sort();
        let detail = if reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", reasons.iter().map(|(r, n)| format!("{n} {r}")).collect::<Vec<_>>().join(", "))
        };
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

fn reason_kind(reason: &str) -> &str {
    reason.split(|c| c == ':' || c == '(').next().unwrap_or(reason).trim()
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
    pub id: String,
    pub stamp: FileStamp,
}

/// Read the per-file bookkeeping (path → id, size, mtime) of every live document.
pub fn known_files(handle: &IndexHandle) -> Result<HashMap<String, Known>, IndexError> {
    let reader = handle.index.reader().map_err(|e| handle.tantivy_error(e))?;
    let searcher = reader.searcher();
    let mut out = HashMap::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let err = |e| handle.tantivy_error(e);
        let Some(paths) = fast.str("path").map_err(err)? else { continue };
        let sizes = fast.u64("size").map_err(err)?;
        let mtimes = fast.i64("mtime").map_err(err)?;
        let mut path = String::new();
        for doc in segment.doc_ids_alive() {
            let Some(ord) = paths.term_ords(doc).next() else { continue };
            if !paths.ord_to_str(ord, &mut path).unwrap_or(false) {
                continue;
            }
            let stamp = FileStamp {
                size: sizes.first(doc).unwrap_or(0),
                mtime: mtimes.first(doc).unwrap_or(0),
            };
            let id = id_for_path(Path::new(&path));
            out.insert(path.clone(), Known { id, stamp });
        }
    }
    Ok(out)
}

/// The path of every live document, duplicates included (for `check`).
pub fn known_files_all(handle: &IndexHandle) -> Result<Vec<String>, IndexError> {
    let reader = handle.index.reader().map_err(|e| handle.tantivy_error(e))?;
    let searcher = reader.searcher();
    let mut out = Vec::new();
    for segment in searcher.segment_readers() {
        let Some(paths) = segment.fast_fields().str("path").map_err(|e| handle.tantivy_error(e))? else { continue };
        let mut path = String::new();
        for doc in segment.doc_ids_alive() {
            if let Some(ord) = paths.term_ords(doc).next() {
                if paths.ord_to_str(ord, &mut path).unwrap_or(false) {
                    out.push(path.clone());
                }
            }
        }
    }
    Ok(out)
}

/// Size and modification time (nanoseconds since the epoch) of a file.
pub fn stamp_of(meta: &std::fs::Metadata) -> FileStamp {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0);
    FileStamp { size: meta.len(), mtime }
}

/// Read one file into a bulletin: the single place where `source` and `extract` meet.
pub fn read_bulletin(path: &Path, extractor: &Extractor, read: &ReadOptions) -> Result<Bulletin, String> {
    read_bulletin_noted(path, extractor, read).map(|(b, _)| b)
}

/// [`read_bulletin`], also returning the reader's warnings for the caller to report.
pub fn read_bulletin_noted(
    path: &Path,
    extractor: &Extractor,
    read: &ReadOptions,
) -> Result<(Bulletin, Vec<String>), String> {
    // A bug in a reader or extractor costs this file, not the run.
    crate::guard::catch(|| {
        let mut doc = source::read_file_with(path, read).map_err(|e| e.to_string())?;
        let warnings = std::mem::take(&mut doc.warnings);
        Ok((assemble(doc, extractor), warnings))
    })
    .unwrap_or_else(|msg| Err(format!("internal error while reading ({msg}); please report it")))
}

/// Combine a read document with its extracted metadata.
pub fn assemble(doc: SourceDoc, extractor: &Extractor) -> Bulletin {
    let meta = extractor.extract(&doc);
    let abs = std::path::absolute(&doc.path).unwrap_or_else(|_| doc.path.clone());
    let title = if doc.title.trim().is_empty() { fallback_title(&doc.body) } else { doc.title.clone() };
    let hash = content_hash(&title, &doc.body);
    Bulletin {
        id: id_for_path(&abs),
        path: abs,
        format: doc.format,
        encoding: doc.encoding,
        title,
        body: doc.body,
        date: meta.date,
        region: meta.region,
        categories: meta.categories,
        author: doc.hints.author,
        url: doc.hints.url,
        content_hash: hash,
    }
}

/// A page with no headline line is named by its first sentence, cut short: a hit list
/// needs something to show, and the opening sentence of a bulletin says what it is about.
pub fn fallback_title(body: &str) -> String {
    let first = body.lines().map(str::trim).find(|l| l.chars().any(char::is_alphanumeric)).unwrap_or("");
    let sentence: String = first.chars().take_while(|c| !matches!(c, '。' | '！' | '？' | '；')).collect();
    if sentence.chars().count() > 40 {
        sentence.chars().take(40).collect::<String>() + "…"
    } else {
        sentence
    }
}

/// Open a writer with a merge policy that also merges away deleted documents, which
/// tantivy's default ignores: an update-heavy index would otherwise keep growing.
pub fn open_writer(handle: &IndexHandle, opts: &BuildOptions) -> Result<IndexWriter<TantivyDocument>, IndexError> {
    let threads = opts.threads.max(1);
    let budget = opts.memory_budget.max(threads * 16 << 20);
    let writer = handle.index.writer_with_num_threads(threads, budget).map_err(|e| handle.tantivy_error(e))?;
    let mut policy = LogMergePolicy::default();
    policy.set_del_docs_ratio_before_merge(0.3);
    writer.set_merge_policy(Box::new(policy));
    Ok(writer)
}

/// Index `paths` into `handle`: add new files, replace changed ones, delete files gone from
/// the given folders, and commit once.
pub fn update(
    handle: &IndexHandle,
    paths: &[PathBuf],
    extractor: &Extractor,
    opts: &BuildOptions,
    on_event: &(dyn Fn(Event) + Sync),
) -> Result<BuildReport, IndexError> {
    let known = handle.guarded(|| known_files(handle))?;
    let mut writer = open_writer(handle, opts)?;
    let (files, walk_errors) = source::walk(paths);
    on_event(Event::Found(files.len()));
    let report = Mutex::new(BuildReport::default());
    {
        let mut r = report.lock().unwrap_or_else(|e| e.into_inner());
        for (path, reason) in walk_errors {
            on_event(Event::Skipped(&path, &reason));
            r.skipped.push((path, reason));
        }
    }
    let seen: Mutex<HashSet<String>> = Mutex::new(HashSet::with_capacity(files.len()));
    let failed: Mutex<Option<String>> = Mutex::new(None);
    let fields = handle.fields;

    files.par_iter().for_each(|path| {
        let outcome = index_one(path, &known, extractor, opts, &writer, &fields, &seen, on_event);
        let mut r = report.lock().unwrap_or_else(|e| e.into_inner());
        match outcome {
            Outcome::Added(n) => {
                r.added += 1;
                r.text_bytes += n;
            }
            Outcome::Updated(n) => {
                r.updated += 1;
                r.text_bytes += n;
            }
            Outcome::Unchanged => r.unchanged += 1,
            Outcome::Skipped(reason) => {
                on_event(Event::Skipped(path, &reason));
                r.skipped.push((path.clone(), reason));
            }
            Outcome::WriterFailed(reason) => {
                failed.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(reason);
            }
        }
        drop(r);
        on_event(Event::Progress);
    });

    let mut report = report.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(reason) = failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        // The writer itself broke (disk full, I/O error): keep the last commit intact.
        // The worker that died holds the real cause (tantivy only says "killed");
        // preparing a commit joins the workers and returns it, and nothing is committed.
        let cause = match writer.prepare_commit() {
            Err(e) => format!("{e:?}"),
            Ok(prepared) => {
                let _ = prepared.abort();
                String::new()
            }
        };
        let _ = writer.rollback();
        if super::is_disk_full(&reason) || super::is_disk_full(&cause) {
            return Err(IndexError::DiskFull { dir: handle.dir.display().to_string() });
        }
        return Err(IndexError::Io {
            dir: handle.dir.display().to_string(),
            cause: std::io::Error::other(format!(
                "the index writer failed ({reason}); nothing from this run was committed, the previous state is intact"
            )),
        });
    }

    // Files that disappeared from the folders (or files) this run was given.
    let seen = seen.into_inner().unwrap_or_else(|e| e.into_inner());
    let roots: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.exists())
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
        .collect();
    for (path, k) in &known {
        if seen.contains(path) {
            continue;
        }
        let p = Path::new(path);
        if roots.iter().any(|root| p.starts_with(root)) && !p.exists() {
            writer.delete_term(Term::from_field_text(fields.id, &k.id));
            report.removed += 1;
        }
    }

    writer.commit().map_err(|e| handle.tantivy_error(e))?;
    let _ = writer.wait_merging_threads();
    // After merges, which rewrite meta.json too.
    super::backup_commit(&handle.dir);
    Ok(report)
}

enum Outcome {
    Added(u64),
    Updated(u64),
    Unchanged,
    Skipped(String),
    WriterFailed(String),
}

#[allow(clippy::too_many_arguments)]
fn index_one(
    path: &Path,
    known: &HashMap<String, Known>,
    extractor: &Extractor,
    opts: &BuildOptions,
    writer: &IndexWriter<TantivyDocument>,
    fields: &super::Fields,
    seen: &Mutex<HashSet<String>>,
    on_event: &(dyn Fn(Event) + Sync),
) -> Outcome {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let key = abs.to_string_lossy().into_owned();
    seen.lock().unwrap_or_else(|e| e.into_inner()).insert(key.clone());
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return Outcome::Skipped(format!("cannot read: {e}")),
    };
    let stamp = stamp_of(&meta);
    let previous = known.get(&key);
    if let Some(k) = previous {
        if k.stamp == stamp {
            return Outcome::Unchanged;
        }
    }
    let bulletin = match read_bulletin_noted(path, extractor, &opts.read) {
        Ok((b, notes)) => {
            for n in &notes {
                on_event(Event::Note(path, n));
            }
            b
        }
        Err(reason) => return Outcome::Skipped(reason),
    };
    let bytes = (bulletin.title.len() + bulletin.body.len()) as u64;
    if let Some(k) = previous {
        writer.delete_term(Term::from_field_text(fields.id, &k.id));
    }
    match writer.add_document(to_document(&bulletin, stamp, fields)) {
        Ok(_) if previous.is_some() => Outcome::Updated(bytes),
        Ok(_) => Outcome::Added(bytes),
        Err(e) => Outcome::WriterFailed(e.to_string()),
    }
}

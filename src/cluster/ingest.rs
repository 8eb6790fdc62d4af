//! Indexing into a SolrCloud collection, incrementally, as `index::build` does locally.
//!
//! A run lists what the collection holds (id → path, size, mtime, content hash,
//! fingerprint, group: the bookkeeping fields, read with a cursor so any size pages
//! through), walks the given paths with the library's reading stage, reads only files
//! whose size or mtime changed, sends their documents as upserts by id in batches, deletes
//! the documents of files gone from the given folders, and commits once at the end.
//!
//! Why this is safe to kill at any point: every write is an upsert or a delete by the
//! bulletin's id, so nothing sent twice is ever doubled, and what a search sees changes
//! only at the commit. A run killed before its commit leaves upserts that Solr holds
//! uncommitted (its update log keeps them; the next commit by anyone shows them — they
//! are correct documents); the next run does not see them in its listing, so it reads and
//! sends those files again, harmlessly, and commits.
//!
//! `--partition I/N` splits the files by the id's partition key ([`document::idhash`]) so
//! that N indexers fill one collection at once, each reading and deleting only its part.
//! Near-duplicate groups are assigned as locally: a new bulletin joins the group of an
//! indexed one within [`simhash::MAX_DISTANCE`] bits, else starts its own. The fingerprints
//! come from the listing, which covers the whole collection, so within one indexer the
//! groups are the local ones; two partitioned indexers running at once do not see each
//! other's new bulletins, and two near-copies that are both new, in two parts, start two
//! groups (the next run does not regroup them).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Mutex;

use rayon::prelude::*;
use serde_json::Value;

use super::document::{self, field, DocumentMaker};
use super::{ClusterError, Solr};
use crate::bulletin::id_for_path;
use crate::index::build::{stamp_of, BuildReport, Event};
use crate::index::simhash::{self, GroupMap};
use crate::index::FileStamp;
use crate::paths;
use crate::read::{Read, Reading, SkipReason};

/// Which part of the corpus an indexer takes: the files whose id's partition key is `index`
/// modulo `count`. `0/1` is everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub index: u32,
    pub count: u32,
}

impl Default for Partition {
    fn default() -> Self {
        Partition { index: 0, count: 1 }
    }
}

impl Partition {
    /// Whether the bulletin with `id` belongs to this part.
    pub fn holds(&self, id: &str) -> bool {
        self.count <= 1 || document::idhash(id) as u64 % self.count as u64 == self.index as u64
    }
}

impl FromStr for Partition {
    type Err = String;

    fn from_str(s: &str) -> Result<Partition, String> {
        let bad = || format!("{s:?} is not a partition: write I/N with 0 ≤ I < N ≤ 1024, as in 0/4");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (i.trim().parse::<u32>().map_err(|_| bad())?, n.trim().parse::<u32>().map_err(|_| bad())?);
        if count == 0 || count > 1024 || index >= count {
            return Err(bad());
        }
        Ok(Partition { index, count })
    }
}

impl std::fmt::Display for Partition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Knobs of one run.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub partition: Partition,
    /// Read and send every file again, whatever its size and mtime (as after a change the
    /// fingerprint does not catch); files gone are deleted as always.
    pub full: bool,
    /// Documents per update request at most.
    pub batch_docs: usize,
    /// Bytes per update request at most (a bulletin of 2,000 characters is ~100 KB
    /// pre-analyzed).
    pub batch_bytes: usize,
    /// Folders never walked (identity paths).
    pub exclude: Vec<PathBuf>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions { partition: Partition::default(), full: false, batch_docs: 200, batch_bytes: 8 << 20, exclude: Vec::new() }
    }
}

/// What the collection holds about one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownDoc {
    pub path: PathBuf,
    pub stamp: FileStamp,
    pub hash: String,
    pub simhash: u64,
    pub group: u64,
}

/// Documents listed per request.
const PAGE_ROWS: usize = 5000;

/// The bookkeeping of every committed document of the collection, by id.
pub fn known(solr: &Solr) -> Result<HashMap<String, KnownDoc>, ClusterError> {
    let fl = [field::ID, field::PATH, field::SIZE, field::MTIME, field::HASH, field::SIMHASH, field::GROUP].join(",");
    let rows = PAGE_ROWS.to_string();
    let mut out = HashMap::new();
    let mut cursor = "*".to_string();
    loop {
        let page = solr.get_json("select", &[("q", "*:*"), ("fl", &fl), ("sort", "id asc"), ("rows", &rows), ("cursorMark", &cursor)])?;
        let docs = page["response"]["docs"].as_array().ok_or_else(|| bad_listing(&page))?;
        for d in docs {
            let Some(id) = d[field::ID].as_str() else { continue };
            let group = d[field::GROUP].as_str().and_then(|g| u64::from_str_radix(g, 16).ok()).unwrap_or(0);
            out.insert(
                id.to_string(),
                KnownDoc {
                    path: PathBuf::from(d[field::PATH].as_str().unwrap_or("")),
                    stamp: FileStamp { size: d[field::SIZE].as_u64().unwrap_or(0), mtime: d[field::MTIME].as_i64().unwrap_or(0) },
                    hash: d[field::HASH].as_str().unwrap_or("").to_string(),
                    simhash: d[field::SIMHASH].as_i64().unwrap_or(0) as u64,
                    group,
                },
            );
        }
        let next = page["nextCursorMark"].as_str().ok_or_else(|| bad_listing(&page))?.to_string();
        if next == cursor {
            return Ok(out);
        }
        cursor = next;
    }
}

fn bad_listing(page: &Value) -> ClusterError {
    ClusterError::BadAnswer { what: "the listing of documents".into(), detail: page.to_string().chars().take(200).collect() }
}

/// Files read (in parallel) before their documents are sent: as locally.
const BATCH_FILES: usize = 512;

/// The result of looking at one file.
enum Look {
    /// Its document, to send; `new` false for a changed file, `same` for one whose stamp
    /// changed but content did not.
    Send {
        id: String,
        doc: Vec<u8>,
        new: bool,
        same: bool,
        bytes: u64,
        notes: Vec<String>,
    },
    Unchanged,
    Skipped(SkipReason),
    Gone(Option<SkipReason>),
}

/// One run into the collection behind `solr`. `paths` are walked with `reading`, as
/// `index::build::update` walks them.
pub fn update(
    solr: &Solr,
    paths: &[PathBuf],
    reading: &dyn Reading,
    maker: &DocumentMaker,
    opts: &IngestOptions,
    on_event: &(dyn Fn(Event) + Sync),
) -> Result<BuildReport, ClusterError> {
    let known = known(solr)?;
    let mut groups = GroupMap::new();
    for k in known.values() {
        if k.simhash != 0 && k.group != 0 {
            groups.insert(k.simhash, k.group);
        }
    }
    let groups = Mutex::new(groups);
    let walked = reading.find(paths, &opts.exclude);
    let mut report = BuildReport::default();
    report.skip_all(walked.skipped, on_event);
    let files: Vec<PathBuf> = walked.files.into_iter().filter(|p| opts.partition.holds(&id_for_path(p))).collect();
    on_event(Event::Found(files.len()));
    let mut seen: HashSet<String> = HashSet::with_capacity(files.len());
    let looker = Looker { known: &known, groups: &groups, reading, maker, full: opts.full };

    // Reading and sending overlap: a sender thread posts the batches while the next
    // files are read. A failed post stops the run with the client's error.
    std::thread::scope(|scope| -> Result<BuildReport, ClusterError> {
        let (tx, rx) = sync_channel::<Vec<u8>>(2);
        let sender = scope.spawn(move || -> Result<(), ClusterError> {
            for body in rx {
                solr.post_json_bytes("update", &[], body)?;
            }
            Ok(())
        });
        let mut batch = Batcher::new(tx, opts);
        let mut deletes: Vec<String> = Vec::new();
        let mut failed = false;
        for chunk in files.chunks(BATCH_FILES) {
            let looks: Vec<Look> = chunk
                .par_iter()
                .map(|path| {
                    let look = looker.look(path);
                    match &look {
                        Look::Skipped(reason) | Look::Gone(Some(reason)) => on_event(Event::Skipped(path, &reason.to_string())),
                        Look::Send { notes, .. } => notes.iter().for_each(|n| on_event(Event::Note(path, n))),
                        _ => {}
                    }
                    on_event(Event::Progress);
                    look
                })
                .collect();
            for (look, path) in looks.into_iter().zip(chunk) {
                let id = id_for_path(path);
                match look {
                    Look::Send { id, doc, new, same, bytes, .. } => {
                        match (new, same) {
                            (true, _) => report.added += 1,
                            (false, true) => report.unchanged += 1,
                            (false, false) => report.updated += 1,
                        }
                        if !same {
                            report.text_bytes += bytes;
                        }
                        if !batch.push(&doc) {
                            failed = true;
                        }
                        seen.insert(id);
                    }
                    Look::Unchanged => {
                        report.unchanged += 1;
                        seen.insert(id);
                    }
                    Look::Skipped(reason) => {
                        // As locally, an indexed bulletin of a file that cannot be indexed
                        // now stays: only a file that is gone leaves.
                        if reason.keeps_indexed() {
                            report.unreadable.push((path.clone(), reason.to_string()));
                        }
                        report.skipped.push((path.clone(), reason));
                        seen.insert(id);
                    }
                    Look::Gone(reason) => {
                        if let Some(reason) = reason {
                            report.skipped.push((path.clone(), reason));
                        }
                    }
                }
            }
            if failed {
                break;
            }
        }
        if !failed {
            // Documents of this part that are gone from the given folders (or files).
            let roots = &walked.roots;
            for (id, k) in &known {
                if seen.contains(id) || !opts.partition.holds(id) {
                    continue;
                }
                let key = paths::identity(&k.path);
                if roots.iter().any(|root| key.starts_with(root) || k.path.starts_with(root)) && paths::is_gone(&k.path) {
                    deletes.push(id.clone());
                }
            }
            deletes.sort();
            report.removed = deletes.len();
            for ids in deletes.chunks(1000) {
                let body = serde_json::json!({ "delete": ids });
                if !batch.flush() || !batch.send(body.to_string().into_bytes()) {
                    failed = true;
                    break;
                }
            }
        }
        if !failed {
            failed = !batch.flush() || !batch.send(br#"{"commit":{}}"#.to_vec());
        }
        drop(batch);
        let sent = sender.join().unwrap_or_else(|_| Err(ClusterError::Other("the thread sending updates to Solr stopped unexpectedly".into())));
        sent?;
        if failed {
            return Err(ClusterError::Other("sending updates to Solr stopped unexpectedly".into()));
        }
        Ok(report)
    })
}

/// What looking at a file needs.
struct Looker<'a> {
    known: &'a HashMap<String, KnownDoc>,
    groups: &'a Mutex<GroupMap>,
    reading: &'a dyn Reading,
    maker: &'a DocumentMaker,
    full: bool,
}

impl Looker<'_> {
    fn look(&self, path: &Path) -> Look {
        let id = id_for_path(path);
        let meta = match std::fs::metadata(path) {
            Ok(m) if m.is_file() => m,
            Ok(m) => return Look::Gone((!m.is_dir()).then(|| SkipReason::NotAFile(paths::special_kind(m.file_type())))),
            Err(e) if paths::is_absence(&e) => return Look::Gone(None),
            Err(e) => return Look::Skipped(e.into()),
        };
        let stamp = stamp_of(&meta);
        let previous = self.known.get(&id);
        if !self.full && previous.is_some_and(|k| k.stamp == stamp) {
            return Look::Unchanged;
        }
        let Read { bulletin, folds, notes } = match self.reading.read(path) {
            Ok(read) => read,
            Err(reason) => return Look::Skipped(reason),
        };
        let (simhash, group) = self.fingerprint(&bulletin.id, folds.body.text(), previous);
        let doc = self.maker.document(&bulletin, &folds, stamp, simhash, group);
        let same = previous.is_some_and(|k| k.hash == bulletin.content_hash);
        Look::Send {
            doc: serde_json::to_vec(&doc).unwrap_or_default(),
            new: previous.is_none(),
            same,
            bytes: (bulletin.title.len() + bulletin.body.len()) as u64,
            notes,
            id: bulletin.id,
        }
    }

    /// Fingerprint and group, as `index::build` decides them.
    fn fingerprint(&self, id: &str, folded_body: &str, previous: Option<&KnownDoc>) -> (u64, u64) {
        let Some(hash) = simhash::simhash(folded_body) else {
            let own = u64::from_str_radix(id, 16).unwrap_or(1);
            return (0, simhash::own_group(own));
        };
        if let Some(k) = previous {
            if k.group != 0 && k.simhash != 0 && simhash::distance(k.simhash, hash) <= simhash::MAX_DISTANCE {
                return (hash, k.group);
            }
        }
        let mut groups = self.groups.lock().unwrap_or_else(|e| e.into_inner());
        (hash, groups.assign(hash))
    }
}

/// Gathers documents into update requests of bounded size and hands them to the sender.
struct Batcher {
    tx: SyncSender<Vec<u8>>,
    body: Vec<u8>,
    docs: usize,
    max_docs: usize,
    max_bytes: usize,
}

impl Batcher {
    fn new(tx: SyncSender<Vec<u8>>, opts: &IngestOptions) -> Batcher {
        Batcher { tx, body: Vec::new(), docs: 0, max_docs: opts.batch_docs.max(1), max_bytes: opts.batch_bytes.max(1) }
    }

    /// Add one document; false when the sender has stopped.
    fn push(&mut self, doc: &[u8]) -> bool {
        if self.docs > 0 && (self.docs >= self.max_docs || self.body.len() + doc.len() > self.max_bytes) && !self.flush() {
            return false;
        }
        self.body.push(if self.docs == 0 { b'[' } else { b',' });
        self.body.extend_from_slice(doc);
        self.docs += 1;
        true
    }

    /// Send what is gathered; false when the sender has stopped.
    fn flush(&mut self) -> bool {
        if self.docs == 0 {
            return true;
        }
        self.body.push(b']');
        self.docs = 0;
        let body = std::mem::take(&mut self.body);
        self.send(body)
    }

    fn send(&self, body: Vec<u8>) -> bool {
        self.tx.send(body).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_parse_and_split_every_id_once() {
        assert_eq!("1/4".parse::<Partition>().unwrap(), Partition { index: 1, count: 4 });
        for bad in ["4/4", "1", "a/2", "0/0", "-1/2", "0/5000"] {
            assert!(bad.parse::<Partition>().unwrap_err().contains("is not a partition"), "{bad}");
        }
        let parts: Vec<Partition> = (0..3).map(|i| Partition { index: i, count: 3 }).collect();
        for i in 0..500 {
            let id = id_for_path(Path::new(&format!("/x/{i}.md")));
            assert_eq!(parts.iter().filter(|p| p.holds(&id)).count(), 1, "{id}");
            assert!(Partition::default().holds(&id));
        }
    }

    #[test]
    fn batches_respect_both_limits_and_are_json_arrays() {
        let (tx, rx) = sync_channel(100);
        let opts = IngestOptions { batch_docs: 3, batch_bytes: 40, ..Default::default() };
        let mut b = Batcher::new(tx, &opts);
        for i in 0..5 {
            assert!(b.push(format!(r#"{{"id":"{i}"}}"#).as_bytes()));
        }
        assert!(b.push(format!(r#"{{"id":"{}"}}"#, "x".repeat(50)).as_bytes()));
        assert!(b.flush());
        drop(b);
        let bodies: Vec<Value> = rx.iter().map(|v| serde_json::from_slice(&v).unwrap()).collect();
        let sizes: Vec<usize> = bodies.iter().map(|v| v.as_array().unwrap().len()).collect();
        assert_eq!(sizes, [3, 2, 1]);
    }
}

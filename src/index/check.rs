//! `tongbao check`: verify an index and say how to recover from what is wrong.
//!
//! Checks, cheapest first: `meta.json` is present, sound (not just well-formed JSON) and
//! not behind the copy kept after every commit (a record that lost segments whose files
//! are still here is restorable); the folder is an index of this version; every segment
//! opens; every file passes tantivy's checksum; and the bookkeeping matches the disk (no
//! file indexed twice, no indexed file that has since vanished). Every problem comes with
//! a fix that works for the folder as it is — a file, a folder of other files, `/`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jieba_rs::Jieba;
use serde::Serialize;

use super::{IndexError, IndexHandle, IndexMeta, META_BACKUP};

/// One finding of a check.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Problem {
    pub what: String,
    /// The command or action that fixes it.
    pub fix: String,
}

/// Result of checking an index.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    pub documents: u64,
    pub segments: usize,
    pub problems: Vec<Problem>,
    /// Things repaired (with `repair`).
    pub repaired: Vec<String>,
}

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// A tantivy commit record (`meta.json` or the copy saved at the last commit), as far as
/// a check needs it.
#[derive(Debug)]
struct Commit {
    opstamp: u64,
    /// Segment ids as their files are named (hex without dashes), with live documents.
    segments: Vec<(String, u64)>,
}

impl Commit {
    fn read(path: &Path) -> Option<Commit> {
        if !super::is_tantivy_meta(path) {
            return None;
        }
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        let segments = v["segments"]
            .as_array()?
            .iter()
            .map(|s| {
                let id = s["segment_id"].as_str().unwrap_or("").replace('-', "");
                let max = s["max_doc"].as_u64().unwrap_or(0);
                let deleted = s["deletes"]["num_deleted_docs"].as_u64().unwrap_or(0);
                (id, max.saturating_sub(deleted))
            })
            .collect();
        Some(Commit { opstamp: v["opstamp"].as_u64().unwrap_or(0), segments })
    }

    fn documents(&self) -> u64 {
        self.segments.iter().map(|(_, n)| n).sum()
    }

    /// Whether every segment it names still has its files in `dir`.
    fn files_present(&self, dir: &Path) -> bool {
        self.segments.iter().all(|(id, _)| ["idx", "store"].iter().all(|ext| dir.join(format!("{id}.{ext}")).is_file()))
    }

    /// How `self` (the current record) falls short of `saved` (the last commit's), when
    /// the saved one can still be restored: the segments missing from it and the
    /// bulletins they hold. An older record, or one that lists fewer live bulletins
    /// because segments were dropped from it, is damage; one that merges rewrote is not.
    fn lost_against(&self, saved: &Commit, dir: &Path) -> Option<(usize, u64)> {
        if saved.opstamp < self.opstamp || !saved.files_present(dir) {
            return None;
        }
        let missing = saved.segments.iter().filter(|(id, _)| !self.segments.iter().any(|(own, _)| own == id)).count();
        let fewer = saved.documents().saturating_sub(self.documents());
        let damaged = saved.opstamp > self.opstamp || (missing > 0 && fewer > 0);
        damaged.then_some((missing, fewer))
    }
}

/// Check the index in `dir`. With `repair`, restore a missing, damaged or shortened
/// `meta.json` from the copy saved at the last commit.
pub fn check(dir: &Path, jieba: Arc<Jieba>, expected: &IndexMeta, repair: bool) -> CheckReport {
    let mut report = CheckReport::default();
    let d = dir.display().to_string();
    let roots = super::read_record(dir).map_or_else(|| "PATH...".to_string(), |m| m.roots_line());
    let rebuild = format!("rebuild with `tongbao --index {d} index --full {roots}`");
    let meta = dir.join("meta.json");
    let backup = dir.join(META_BACKUP);
    let current = Commit::read(&meta);
    let saved = Commit::read(&backup);
    let restore = |report: &mut CheckReport, what: String| match super::write_atomic(&meta, &std::fs::read(&backup).unwrap_or_default()) {
        Ok(()) => report.repaired.push(format!("{what}: restored meta.json from the copy saved at the last commit")),
        Err(e) => report.problems.push(Problem { what: format!("{what}, and restoring it failed: {e}"), fix: rebuild.clone() }),
    };
    match (&current, &saved) {
        (None, Some(saved)) if dir.is_dir() => {
            let state = if meta.exists() { "damaged" } else { "missing" };
            let what = format!("meta.json (the index's list of committed segments) is {state}");
            if !saved.files_present(dir) {
                report
                    .problems
                    .push(Problem { what: format!("{what}, and the copy saved at the last commit names segments that are no longer here"), fix: rebuild });
                return report;
            }
            if !repair {
                report.problems.push(Problem { what, fix: format!("`tongbao --index {d} check --repair` restores the last commit from its saved copy") });
                return report;
            }
            restore(&mut report, what);
        }
        (Some(current), Some(saved)) => {
            if let Some((segments, bulletins)) = current.lost_against(saved, dir) {
                let what = format!(
                    "meta.json lists {bulletins} bulletins fewer than the last commit ({segments} of its segments are missing from it, though their files are here)"
                );
                if repair {
                    restore(&mut report, what);
                } else {
                    report.problems.push(Problem { what, fix: format!("`tongbao --index {d} check --repair` restores the last commit from its saved copy") });
                    return report;
                }
            }
        }
        _ => {}
    }
    let handle = match IndexHandle::open(dir, jieba, expected) {
        Ok(h) => h,
        Err(e) => {
            let new_index = "`tongbao --index NEW_FOLDER index PATH...` builds a new index";
            let fix = match &e {
                IndexError::NotFound(_) => format!("build one with `tongbao --index {d} index PATH...`"),
                IndexError::NotAFolder(_) => format!("point --index at a folder; {new_index}"),
                IndexError::Occupied(_) => format!("point --index at the index folder; {new_index}"),
                IndexError::VersionMismatch { paths, .. } => {
                    format!("`tongbao --index {d} index {paths}` rebuilds it (any `index` run does)")
                }
                IndexError::Locked(_) => "wait for the other tongbao process to finish".to_string(),
                IndexError::ReadOnly { .. } | IndexError::Io { .. } => "make the folder readable, then check again".to_string(),
                _ => rebuild.clone(),
            };
            report.problems.push(Problem { what: e.to_string(), fix });
            return report;
        }
    };
    match handle.index.searchable_segment_metas() {
        Ok(metas) => report.segments = metas.len(),
        Err(e) => report.problems.push(Problem { what: format!("cannot list segments: {}", super::brief(&e)), fix: rebuild.clone() }),
    }
    match handle.index.validate_checksum() {
        Ok(damaged) => {
            let mut damaged: Vec<PathBuf> = damaged.into_iter().collect();
            damaged.sort();
            for f in damaged {
                report.problems.push(Problem { what: format!("{} fails its checksum (damaged on disk)", f.display()), fix: rebuild.clone() });
            }
        }
        Err(e) => report.problems.push(Problem { what: format!("cannot verify checksums: {}", super::brief(&e)), fix: rebuild.clone() }),
    }
    let reader = match handle.index.reader() {
        Ok(r) => r,
        Err(e) => {
            report.problems.push(Problem { what: format!("segments do not open: {}", super::brief(&e)), fix: rebuild });
            return report;
        }
    };
    let searcher = reader.searcher();
    report.documents = searcher.num_docs();
    match handle.guarded(|| super::build::known_files_all(&handle)) {
        Ok(paths) => {
            let mut counts: HashMap<&Path, usize> = HashMap::new();
            for p in &paths {
                *counts.entry(p.as_path()).or_default() += 1;
            }
            let doubled = counts.values().filter(|&&n| n > 1).count();
            if doubled > 0 {
                report.problems.push(Problem { what: format!("{doubled} files are indexed more than once"), fix: rebuild.clone() });
            }
            let mut gone: Vec<&Path> = counts.keys().copied().filter(|p| crate::paths::is_gone(p)).collect();
            if !gone.is_empty() {
                gone.sort();
                let sample: Vec<String> = gone.iter().take(3).map(|p| p.display().to_string()).collect();
                report.problems.push(Problem {
                    what: format!("{} indexed files no longer exist on disk (e.g. {})", gone.len(), sample.join(", ")),
                    // Never "index their folder": a bulletin named on its own may sit in a
                    // folder of unrelated files.
                    fix: format!("`tongbao --index {d} remove --gone` removes every indexed file that no longer exists"),
                });
            }
        }
        Err(e) => report.problems.push(Problem { what: format!("cannot read bookkeeping: {}", brief_index_error(&e)), fix: rebuild }),
    }
    report
}

/// One line for an index error inside a check report.
fn brief_index_error(e: &IndexError) -> String {
    match e {
        IndexError::Tantivy { cause, .. } => super::brief(cause),
        other => other.to_string(),
    }
}

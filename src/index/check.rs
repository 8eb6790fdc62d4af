//! `tongbao check`: verify an index and say how to recover from what is wrong.
//!
//! Checks, cheapest first: the folder is an index of this version; `meta.json` is present
//! (or restorable from the copy kept after every commit); every segment opens; every file
//! passes tantivy's checksum; and the bookkeeping matches the disk (no file indexed twice,
//! no indexed file that has since vanished).

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

/// Check the index in `dir`. With `repair`, restore a missing `meta.json` from its backup.
pub fn check(dir: &Path, jieba: Arc<Jieba>, expected: &IndexMeta, repair: bool) -> CheckReport {
    let mut report = CheckReport::default();
    let rebuild = format!("rebuild with `tongbao --index {} index --full PATH...`", dir.display());
    let meta = dir.join("meta.json");
    let backup = dir.join(META_BACKUP);
    let meta_lost = !meta.exists() || !super::is_json_file(&meta);
    if meta_lost && super::is_json_file(&backup) {
        let state = if meta.exists() { "damaged" } else { "missing" };
        if repair {
            match super::write_atomic(&meta, &std::fs::read(&backup).unwrap_or_default()) {
                Ok(_) => report.repaired.push(format!("restored {state} meta.json from the copy saved at the last commit")),
                Err(e) => report.problems.push(Problem {
                    what: format!("meta.json is missing and restoring it failed: {e}"),
                    fix: rebuild.clone(),
                }),
            }
        } else {
            report.problems.push(Problem {
                what: format!("meta.json is {state} (the index's list of committed segments)"),
                fix: format!("`tongbao --index {} check --repair` restores the last commit from its saved copy", dir.display()),
            });
            return report;
        }
    }
    let handle = match IndexHandle::open(dir, jieba, expected) {
        Ok(h) => h,
        Err(e) => {
            let fix = match &e {
                IndexError::NotFound(_) => "build one with `tongbao index PATH...`".to_string(),
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
                report.problems.push(Problem {
                    what: format!("{} fails its checksum (damaged on disk)", f.display()),
                    fix: rebuild.clone(),
                });
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
                report.problems.push(Problem {
                    what: format!("{doubled} files are indexed more than once"),
                    fix: rebuild.clone(),
                });
            }
            let mut gone: Vec<&Path> = counts.keys().copied().filter(|p| crate::source::is_gone(p)).collect();
            if !gone.is_empty() {
                gone.sort();
                let sample: Vec<String> = gone.iter().take(3).map(|p| p.display().to_string()).collect();
                report.problems.push(Problem {
                    what: format!("{} indexed files no longer exist on disk (e.g. {})", gone.len(), sample.join(", ")),
                    fix: "re-run `tongbao index` on their folders to remove them".into(),
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

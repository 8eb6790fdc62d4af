//! Rebuilding an index without ever being without one.
//!
//! An index must be rebuilt when this binary analyses text differently from the one that
//! built it (a new version, other `--schema-dir` data), or when asked (`index --full`).
//! The rebuild reads every root the index records — not only the paths of this run, or
//! bulletins from the other folders would vanish — into a fresh folder beside the index,
//! and [`folder::swap_in`] moves it into place only when it is complete and committed.
//! Until then the old index is untouched, so a rebuild killed half-way costs nothing but
//! the time; and one that could not read a folder the index holds bulletins from is not
//! swapped in at all, since it would have dropped them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jieba_rs::Jieba;

use super::build::{self, BuildOptions, BuildReport, Event};
use super::{folder, IndexError, IndexHandle, IndexMeta};
use crate::read::Reading;

/// Rebuild the index in `dir` from `roots` (the caller passes every recorded root plus
/// the paths of this run). `record` is the new `tongbao.json`; the roots that exist are
/// added to it. Holds the folder's writer lock throughout.
pub fn rebuild(
    dir: &Path,
    roots: &[PathBuf],
    jieba: Arc<Jieba>,
    record: &IndexMeta,
    reading: &dyn Reading,
    opts: &BuildOptions,
    on_event: &(dyn Fn(Event) + Sync),
) -> Result<BuildReport, IndexError> {
    let _lock = folder::lock(dir)?;
    let staging = folder::staging_path(dir)?;
    folder::create_staging(&staging)?;
    let mut record = record.clone();
    let existing: Vec<PathBuf> = roots.iter().filter(|p| p.exists()).cloned().collect();
    record.add_roots(&existing);
    let built = (|| {
        let handle = IndexHandle::create(&staging, jieba, &record)?;
        let mut opts = opts.clone();
        opts.exclude.push(crate::paths::identity(dir));
        let report = build::update(&handle, roots, reading, &opts, on_event)?;
        if let Some((path, cause)) = report.unreadable.first() {
            let more = match report.unreadable.len() {
                1 => String::new(),
                n => format!(", and {} more", n - 1),
            };
            return Err(IndexError::RebuildBlocked {
                dir: dir.display().to_string(),
                path: path.display().to_string(),
                cause: cause.split(';').next().unwrap_or(cause).to_string(),
                more,
            });
        }
        Ok(report)
    })();
    match built {
        Ok(report) => {
            folder::swap_in(dir, &staging, &record)?;
            Ok(report)
        }
        Err(e) => {
            let _ = folder::remove_own(&staging, true);
            Err(e)
        }
    }
}

/// The roots a rebuild of `dir` reads: those its record names, then `paths`.
pub fn roots_for(dir: &Path, paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = super::read_record(dir).map(|m| m.root_paths()).unwrap_or_default();
    for p in paths {
        let id = crate::paths::identity(p);
        if !roots.contains(&id) {
            roots.push(p.clone());
        }
    }
    roots
}

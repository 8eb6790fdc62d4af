//! The index folder as a place on the user's disk: which files in it are tongbao's, and
//! how a rebuilt index takes its place.
//!
//! A user may point `--index` at any folder, including one that holds their bulletins, and
//! may later put their own files into an index folder. So tongbao never deletes a folder
//! wholesale. It deletes only files it can show are its own: its fixed record files
//! ([`OWN_FILES`]) and the files listed in tantivy's `.managed.json`, which tantivy writes
//! *before* creating each file — that list is the manifest of the index's data files — and
//! only when their names are the ones tantivy gives (a 32-digit hex id and an extension,
//! or `meta.json`). It removes only the folders it created for a rebuild, and only once
//! they are empty.
//!
//! A rebuild (another version's index, or `--full`) is written into a fresh folder beside
//! the index ([`staging_path`]) and moved in by [`swap_in`]: its data files are renamed
//! into the index folder, tantivy's `meta.json` is replaced in one rename — the moment the
//! new index becomes the index — and only then are the old data files deleted. A process
//! killed at any point leaves the old index whole or the new one whole.

use std::collections::BTreeSet;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use super::{IndexError, META_BACKUP, META_FILE, PROBE_FILE};

/// tantivy's list of the files it created.
pub(crate) const MANAGED_FILE: &str = ".managed.json";
/// tantivy's committed state: the list of live segments.
pub(crate) const TANTIVY_META: &str = "meta.json";
/// tantivy's lock files; tongbao takes the writer lock too while it rebuilds.
pub const WRITER_LOCK: &str = ".tantivy-writer.lock";
pub(crate) const META_LOCK: &str = ".tantivy-meta.lock";
/// Marks a folder as a rebuild in progress, written first when the folder is created.
pub(crate) const REBUILD_MARK: &str = ".tongbao-rebuild";

/// Files tongbao itself (or tantivy, under fixed names) writes in an index folder,
/// including the temporary names of `write_atomic`.
pub(crate) const OWN_FILES: &[&str] =
    &[META_FILE, META_BACKUP, TANTIVY_META, MANAGED_FILE, WRITER_LOCK, META_LOCK, REBUILD_MARK, PROBE_FILE, "tongbao.tmp", "meta.json.tmp", "meta.tmp"];

/// True for the names tantivy gives its data files: `<32 hex digits>.<ext>` and
/// `<32 hex digits>.<opstamp>.del`.
fn is_tantivy_data_name(name: &str) -> bool {
    let Some((id, rest)) = name.split_once('.') else { return false };
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) && !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
}

/// The data files tantivy recorded as its own in `dir` (its manifest), names only. A
/// missing or unreadable manifest lists nothing, so nothing is deleted on its word.
pub(crate) fn managed_files(dir: &Path) -> BTreeSet<String> {
    let Ok(bytes) = std::fs::read(dir.join(MANAGED_FILE)) else { return BTreeSet::new() };
    let Ok(names) = serde_json::from_slice::<Vec<String>>(&bytes) else { return BTreeSet::new() };
    names.into_iter().filter(|n| n == TANTIVY_META || is_tantivy_data_name(n)).collect()
}

/// True when `dir` holds a tongbao index whose own record is lost: tantivy's manifest and
/// a `meta.json` whose schema is tongbao's. Such a folder is tongbao's to rebuild; one
/// whose `meta.json` is anything else (another program's index, a user's file) is not.
pub(crate) fn is_tantivy_index(dir: &Path) -> bool {
    let Ok(bytes) = std::fs::read(dir.join(TANTIVY_META)) else { return false };
    let Ok(serde_json::Value::Object(meta)) = serde_json::from_slice::<serde_json::Value>(&bytes) else { return false };
    let ours = serde_json::to_value(super::schema::build()).ok();
    meta.contains_key("segments") && meta.get("schema") == ours.as_ref() && dir.join(MANAGED_FILE).is_file()
}

/// True when tongbao may rebuild the index in `dir` in place: its record is there and
/// readable, or tantivy's files of a tongbao index are (the record was lost).
pub fn is_ours(dir: &Path) -> bool {
    super::read_record(dir).is_some() || is_tantivy_index(dir)
}

fn save_managed(dir: &Path, names: &BTreeSet<String>) -> io::Result<()> {
    let mut text = serde_json::to_vec(names).map_err(io::Error::other)?;
    text.push(b'\n');
    super::write_atomic(&dir.join(MANAGED_FILE), &text)
}

/// Every file in `dir` that tongbao may delete: its fixed files and tantivy's recorded data
/// files, those that exist.
pub(crate) fn own_files(dir: &Path) -> Vec<PathBuf> {
    let mut names: BTreeSet<String> = OWN_FILES.iter().map(|s| s.to_string()).collect();
    names.extend(managed_files(dir));
    names.into_iter().map(|n| dir.join(n)).filter(|p| p.symlink_metadata().is_ok()).collect()
}

/// Delete tongbao's own files in `dir` (see [`own_files`]) and then the folder, which
/// must be one tongbao created for a rebuild (`created`) and must be empty by then: a
/// folder holding anything else is left where it is, and that is said. In a rebuild
/// folder, tantivy's half-written temporary files (`.tmp` and six letters, left when the
/// rebuild was killed during an atomic write) are its own too. The folder's mark goes
/// last, so a removal cut short can be finished by the next run.
pub(crate) fn remove_own(dir: &Path, created: bool) -> io::Result<()> {
    let mut files = own_files(dir);
    if created {
        if let Ok(entries) = std::fs::read_dir(dir) {
            files.extend(entries.flatten().map(|e| e.path()).filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(is_temp_name)));
        }
    }
    let mark = dir.join(REBUILD_MARK);
    files.retain(|f| *f != mark);
    files.push(mark);
    for file in files {
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    if !created {
        return Ok(());
    }
    std::fs::remove_dir(dir).map_err(|e| {
        if e.kind() == io::ErrorKind::DirectoryNotEmpty || e.raw_os_error() == Some(39) {
            io::Error::other(format!("{} holds files tongbao did not write; they were left in place", dir.display()))
        } else {
            e
        }
    })
}

/// True when `dir` holds anything besides what an index creation that was cut short
/// leaves (tongbao's record, tantivy's empty manifest, lock and temporary files, the mark
/// of a rebuild folder): then it is not tongbao's to build an index in.
pub(crate) fn holds_more_than_a_start(dir: &Path) -> bool {
    let start = [META_FILE, "tongbao.tmp", MANAGED_FILE, REBUILD_MARK, PROBE_FILE, WRITER_LOCK, META_LOCK];
    let Ok(entries) = std::fs::read_dir(dir) else { return false };
    entries.flatten().any(|e| {
        let name = e.file_name();
        let name = name.to_string_lossy();
        !(start.contains(&name.as_ref()) || name.starts_with(".tantivy-") || is_temp_name(&name))
    })
}

/// The names of tantivy's temporary files (the `tempfile` crate's `.tmpXXXXXX`).
fn is_temp_name(name: &str) -> bool {
    name.strip_prefix(".tmp").is_some_and(|rest| rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The index folder's writer lock, held while tongbao works on the folder without a
/// tantivy writer (a rebuild): the same advisory lock tantivy takes, so `watch` and other
/// `index` runs wait their turn, and it dies with the process.
pub struct FolderLock(#[allow(dead_code)] File);

/// Take the writer lock of the index in `dir`.
pub fn lock(dir: &Path) -> Result<FolderLock, IndexError> {
    let d = dir.display().to_string();
    let file = std::fs::OpenOptions::new().write(true).create(true).truncate(false).open(dir.join(WRITER_LOCK)).map_err(|e| folder_error(dir, e))?;
    match file.try_lock() {
        Ok(()) => Ok(FolderLock(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(IndexError::Locked(d)),
        Err(std::fs::TryLockError::Error(e)) => Err(folder_error(dir, e)),
    }
}

/// The error for an I/O failure on the index folder itself, named by its cause.
pub(crate) fn folder_error(dir: &Path, e: io::Error) -> IndexError {
    let d = dir.display().to_string();
    if super::is_disk_full(&e) {
        IndexError::DiskFull { dir: d }
    } else if super::is_read_only(&e) {
        IndexError::ReadOnly { dir: d, cause: crate::paths::brief_io(&e) }
    } else {
        IndexError::Io { dir: d, cause: e }
    }
}

/// Where a rebuild of the index in `dir` is written: a hidden folder beside it (on the
/// same file system, so its files can be renamed into place).
pub(crate) fn staging_path(dir: &Path) -> Result<PathBuf, IndexError> {
    let real = crate::paths::identity(dir);
    match (real.parent(), real.file_name()) {
        (Some(parent), Some(name)) => {
            let mut staged = std::ffi::OsString::from(".");
            staged.push(name);
            staged.push(".tongbao-rebuild");
            Ok(parent.join(staged))
        }
        _ => Err(IndexError::NotAnIndex(
            dir.display().to_string(),
            "an index in the root folder cannot be rebuilt (tongbao rebuilds beside the index folder); point --index at a folder of its own".into(),
        )),
    }
}

/// Create the rebuild folder, clearing one left by a rebuild that was killed. A folder of
/// that name that tongbao did not mark as its own is refused, not touched.
pub(crate) fn create_staging(path: &Path) -> Result<(), IndexError> {
    if path.symlink_metadata().is_ok() {
        if !path.join(REBUILD_MARK).is_file() {
            return Err(IndexError::NotAnIndex(
                path.display().to_string(),
                "tongbao rebuilds the index here, but this folder was not made by tongbao; move it away and run again".into(),
            ));
        }
        remove_own(path, true).map_err(|e| folder_error(path, e))?;
    }
    std::fs::create_dir(path).map_err(|e| folder_error(path, e))?;
    std::fs::write(path.join(REBUILD_MARK), b"a tongbao rebuild; deleted when it is swapped in\n").map_err(|e| folder_error(path, e))
}

/// Move the complete index in `staging` into `dir`, replacing the index there (see the
/// module documentation for the order of steps and why each is safe to be killed in).
/// `record` is the new `tongbao.json`. The folder `staging` is removed afterwards.
pub(crate) fn swap_in(dir: &Path, staging: &Path, record: &super::IndexMeta) -> Result<(), IndexError> {
    let fail = |e: io::Error| folder_error(dir, e);
    let new_files = managed_files(staging);
    let old_files = managed_files(dir);
    // 1. The new data files, beside the old ones (fresh ids: names never collide).
    for name in new_files.iter().filter(|n| *n != TANTIVY_META) {
        let target = dir.join(name);
        if target.symlink_metadata().is_ok() {
            return Err(fail(io::Error::other(format!("{} already exists", target.display()))));
        }
        std::fs::rename(staging.join(name), &target).map_err(fail)?;
    }
    // 2. Both sets in tantivy's manifest, so whichever meta.json wins, the other set is
    //    cleaned up by tantivy's own garbage collection if this process dies.
    let both: BTreeSet<String> = old_files.union(&new_files).cloned().collect();
    save_managed(dir, &both).map_err(fail)?;
    sync_dir(dir);
    // 3. The switch.
    std::fs::rename(staging.join(TANTIVY_META), dir.join(TANTIVY_META)).map_err(fail)?;
    sync_dir(dir);
    // 4. The record that says which analysis built it, and the saved copy of meta.json.
    let text = serde_json::to_string_pretty(record).map_err(|e| fail(io::Error::other(e)))?;
    super::write_atomic(&dir.join(META_FILE), text.as_bytes()).map_err(fail)?;
    super::backup_commit(dir);
    // 5. The old data files, which nothing refers to now.
    let mut kept = new_files.clone();
    for name in old_files.difference(&new_files).filter(|n| *n != TANTIVY_META) {
        match std::fs::remove_file(dir.join(name)) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(_) => {
                kept.insert(name.clone());
            }
        }
    }
    kept.insert(TANTIVY_META.to_string());
    save_managed(dir, &kept).map_err(fail)?;
    remove_own(staging, true).map_err(|e| folder_error(staging, e))
}

fn sync_dir(dir: &Path) {
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tantivy_names_count_as_its_data_files() {
        for ok in ["0123456789abcdef0123456789abcdef.store", "0123456789ABCDEF0123456789abcdef.12.del"] {
            assert!(is_tantivy_data_name(ok), "{ok}");
        }
        for user in ["notes.txt", "meta.json.bak", "0123.store", "南宁.txt", "0123456789abcdef0123456789abcdef", "../0123456789abcdef0123456789abcdef.x"] {
            assert!(!is_tantivy_data_name(user), "{user}");
        }
    }

    #[test]
    fn removing_an_index_spares_what_tongbao_did_not_write() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("ix");
        std::fs::create_dir(&dir).unwrap();
        let data = "0123456789abcdef0123456789abcdef.idx";
        for name in [data, META_FILE, TANTIVY_META, "关于诈骗的通报.txt", "notes.md"] {
            std::fs::write(dir.join(name), "x").unwrap();
        }
        // A manifest that (by damage or by hand) names a user's file: not deleted.
        std::fs::write(dir.join(MANAGED_FILE), format!(r#"["{data}","meta.json","notes.md"]"#)).unwrap();
        let err = remove_own(&dir, true).unwrap_err();
        assert!(err.to_string().contains("did not write"), "{err}");
        let mut left: Vec<String> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, ["notes.md", "关于诈骗的通报.txt"]);
    }

    #[test]
    fn a_folder_not_marked_as_a_rebuild_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let staged = tmp.path().join(".ix.tongbao-rebuild");
        std::fs::create_dir(&staged).unwrap();
        std::fs::write(staged.join("mine.txt"), "x").unwrap();
        assert!(create_staging(&staged).is_err());
        assert!(staged.join("mine.txt").exists());
        // One left by a killed rebuild is cleared and made again, its temporary files too.
        std::fs::remove_file(staged.join("mine.txt")).unwrap();
        std::fs::write(staged.join(REBUILD_MARK), "").unwrap();
        std::fs::write(staged.join(META_FILE), "{}").unwrap();
        std::fs::write(staged.join(".tmpv4C4ah"), "{").unwrap();
        create_staging(&staged).unwrap();
        assert!(!staged.join(META_FILE).exists() && staged.join(REBUILD_MARK).exists());
        assert_eq!(std::fs::read_dir(&staged).unwrap().count(), 1);
    }
}

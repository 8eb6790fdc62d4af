//! Which file a path names, and whether it is still there.
//!
//! The index keys a bulletin by its file, and several stages ask about the same file: the
//! walk finds it, the index keeps its bookkeeping under it and later asks whether it is
//! gone, the watcher hears of it by another spelling. They must agree on one name for it
//! ([`identity`]) and on what "gone" means (absent, never merely unreadable), so those
//! answers live here, below every stage, rather than in any one of them.

use std::ffi::OsStr;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The file tongbao keeps beside tantivy's `meta.json` in an index folder: the schema
/// version, the rules fingerprint and every file's bookkeeping.
pub(crate) const INDEX_RECORD: &str = "tongbao.json";

/// A folder holding tongbao's record and tantivy's `meta.json` is an index. The walk
/// must not read one as bulletins (its JSON would pass for text, its segments for
/// binaries) and the index refuses to build into one it did not make; both ask here.
pub(crate) fn is_index_folder(dir: &Path) -> bool {
    dir.join(INDEX_RECORD).is_file() && dir.join("meta.json").is_file()
}

/// `path` made absolute against the current folder, as typed otherwise (no `..` resolved,
/// no symlink followed). Only a missing current folder makes that impossible, and then the
/// path is kept as it was: a message naming it is still right.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The one path tongbao knows a file or folder by: absolute, without `.` or `..`, with
/// every symlink resolved. A path that does not exist (a deleted file) keeps its name under
/// the resolved form of its nearest existing ancestor, which is what the same path resolved
/// to while it existed.
pub fn identity(path: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(path) {
        return c;
    }
    let abs = lexical_absolute(path);
    let mut tail: Vec<&OsStr> = Vec::new();
    let mut at: &Path = &abs;
    while let (Some(parent), Some(name)) = (at.parent(), at.file_name()) {
        tail.push(name);
        if let Ok(mut c) = std::fs::canonicalize(parent) {
            c.extend(tail.iter().rev());
            return c;
        }
        at = parent;
    }
    abs
}

/// An absolute form of `path` with `.` and `..` resolved by name.
pub(crate) fn lexical_absolute(path: &Path) -> PathBuf {
    let abs = absolute(path);
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// True when the file a path named is no longer there as a file: not found, a path
/// through something that is no longer a folder, a symlink that now loops, or now a folder,
/// FIFO, socket or device. Any other failure (permission denied, an I/O error) says
/// nothing about the file, so it is *not* gone.
pub fn is_gone(path: &Path) -> bool {
    match std::fs::metadata(path) {
        Ok(m) => !m.is_file(),
        Err(e) => is_absence(&e),
    }
}

/// Errors that say a path names nothing (rather than that it cannot be looked at).
pub(crate) fn is_absence(e: &io::Error) -> bool {
    // ENOTDIR (20) and ELOOP (40) on Linux; kinds cover the rest.
    matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) || matches!(e.raw_os_error(), Some(20) | Some(40))
}

/// What kind of special file a file type is, for messages.
#[cfg(unix)]
pub(crate) fn special_kind(t: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a FIFO"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
pub(crate) fn special_kind(_: std::fs::FileType) -> &'static str {
    "a special file"
}

/// An I/O error without the "(os error 13)" tail, which says nothing to a person.
pub(crate) fn brief_io(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_resolves_spellings_and_keeps_missing_names() {
        let tmp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tmp.path()).unwrap();
        std::fs::create_dir_all(root.join("docs/sub")).unwrap();
        std::fs::write(root.join("docs/a.txt"), "通报").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("docs"), root.join("link")).unwrap();
        let want = root.join("docs/a.txt");
        let spellings = [
            root.join("docs/a.txt"),
            root.join("docs/../docs/a.txt"),
            root.join("docs/./sub/../a.txt"),
            #[cfg(unix)]
            root.join("link/a.txt"),
        ];
        for s in spellings {
            assert_eq!(identity(&s), want, "{}", s.display());
        }
        // Missing: the name stays under the resolved parent, through `..` and links.
        assert_eq!(identity(&root.join("docs/sub/../gone.txt")), root.join("docs/gone.txt"));
        #[cfg(unix)]
        assert_eq!(identity(&root.join("link/gone.txt")), root.join("docs/gone.txt"));
        assert_eq!(identity(&root.join("nowhere/x/y.txt")), root.join("nowhere/x/y.txt"));
    }

    #[test]
    fn gone_means_absent_not_unreadable() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a.txt");
        std::fs::write(&file, "通报").unwrap();
        assert!(!is_gone(&file));
        assert!(is_gone(&tmp.path().join("missing.txt")));
        // A path through a file: ENOTDIR, the folder it named is gone.
        assert!(is_gone(&file.join("inside.txt")));
        // Replaced by a folder.
        std::fs::remove_file(&file).unwrap();
        std::fs::create_dir(&file).unwrap();
        assert!(is_gone(&file));
        assert!(is_absence(&io::Error::from(io::ErrorKind::NotFound)));
        assert!(!is_absence(&io::Error::from(io::ErrorKind::PermissionDenied)));
        assert!(!is_absence(&io::Error::from_raw_os_error(5)), "EIO is trouble, not absence");
    }
}

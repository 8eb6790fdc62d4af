//! Finding bulletin files under the paths a user names, each under one identity.
//!
//! The index keys a bulletin by its file, so the walk owns the question "which file is
//! this": one file reached by several spellings (`docs`, `docs/../docs`, a symlink to the
//! folder, a relative path typed in another folder) must come back once and under the same
//! path every run. Roots are resolved once ([`identity`]), so files found under them carry
//! canonical paths for free; only entries reached through a followed symlink are resolved
//! one by one (five system calls a file, which a plain folder never pays). Paths stay
//! [`OsStr`](std::ffi::OsStr): file names from GBK or Windows archives are not UTF-8, and a
//! lossy string would make different files one.
//!
//! The walk also says *why* it passed over anything it did not return, as a typed
//! [`Problem`]: the caller must tell "this folder is gone" (its bulletins leave the index)
//! from "this folder cannot be read right now" (they stay), and must report special files
//! (FIFOs, devices) rather than silently ignore them. It never enters the index folder
//! itself (given in [`WalkOptions::exclude`]), another tongbao index, or — through a
//! symlink — the kernel's `/proc`, `/sys` and `/dev`, whose "files" never end or change
//! the machine when read.

use std::cell::{Cell, RefCell};
use std::ffi::OsStr;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::sidecar;
use crate::paths::{brief_io, identity, is_absence, special_kind};

/// What to leave out of a walk.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Folders never entered, as [`identity`] paths: the index being written and its
    /// rebuild folder. Left out silently, since they are tongbao's own.
    pub exclude: Vec<PathBuf>,
}

/// Why the walk passed over a path without returning it.
#[derive(Debug)]
pub enum Problem {
    /// A root that does not exist.
    Missing,
    /// A folder or root that exists but cannot be read now (permission denied, an I/O
    /// error). What the index holds from it must be kept.
    Unreadable(io::Error),
    /// A symlink that leads back to one of its own ancestors.
    Loop(PathBuf),
    /// A symlink that resolves to itself.
    SelfLink,
    /// A symlink whose target does not exist.
    BrokenLink,
    /// A FIFO, socket or device: reading would block or never end.
    Special(&'static str),
    /// A path that leads into `/proc`, `/sys` or `/dev`.
    SystemFolder(PathBuf),
    /// Another tongbao index inside an indexed folder.
    IndexFolder,
}

impl Problem {
    /// The count word for a path that leads into a system folder (the walk's and the
    /// reader's are the same reason).
    pub(crate) const SYSTEM_FOLDER: &'static str = "leads into a system folder";

    /// True when the files behind the path may still exist: their bulletins stay indexed.
    pub(crate) fn keeps_indexed(&self) -> bool {
        matches!(self, Problem::Unreadable(_))
    }

    /// The reason without its particulars, for a summary that counts paths by reason.
    pub fn kind(&self) -> &'static str {
        match self {
            Problem::Missing => "no such file or folder",
            Problem::Unreadable(_) => "cannot read",
            Problem::Loop(_) | Problem::SelfLink => "symlink loop",
            Problem::BrokenLink => "broken symlink",
            Problem::Special(_) => "not a regular file",
            Problem::SystemFolder(_) => Problem::SYSTEM_FOLDER,
            Problem::IndexFolder => "tongbao index folder",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Missing => write!(f, "no such file or folder"),
            Problem::Unreadable(e) => write!(f, "cannot read: {}; what the index holds from it is kept", brief_io(e)),
            Problem::Loop(to) => write!(f, "symlink loop (points back to {})", to.display()),
            Problem::SelfLink => write!(f, "symlink loop (the link resolves to itself)"),
            Problem::BrokenLink => write!(f, "broken symlink (its target does not exist)"),
            Problem::Special(kind) => write!(f, "not a regular file ({kind})"),
            Problem::SystemFolder(to) => write!(f, "leads into {}, a system folder; not read", to.display()),
            Problem::IndexFolder => write!(f, "a tongbao index folder, not bulletins"),
        }
    }
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walked {
    /// Bulletin candidates, as [`identity`] paths, sorted, each once.
    pub files: Vec<PathBuf>,
    /// Paths passed over, with the reason.
    pub problems: Vec<(PathBuf, Problem)>,
    /// Every root as an identity path, the missing ones included (their bulletins are
    /// gone), but not those that could not be read.
    pub roots: Vec<PathBuf>,
}

/// The kernel's pseudo-file systems: reading them never ends (`/dev/zero`), blocks
/// (`/dev/tty`) or has effects, and they are never bulletins.
const SYSTEM_FOLDERS: &[&str] = &["/proc", "/sys", "/dev"];

fn is_system(p: &Path) -> bool {
    SYSTEM_FOLDERS.iter().any(|s| p.starts_with(s))
}

/// Where `path` leads when that is inside `/proc`, `/sys` or `/dev`: the path itself, or
/// the target of a symlink. For a file named directly (`extract`), which no walk resolved.
pub(crate) fn system_target(path: &Path) -> Option<PathBuf> {
    if is_system(path) {
        return Some(path.to_path_buf());
    }
    let linked = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let real = if linked { std::fs::canonicalize(path).ok()? } else { return None };
    is_system(&real).then_some(real)
}

/// Every bulletin file under `paths` (see the module documentation).
///
/// A root given explicitly is used even if hidden; below it, hidden entries are skipped,
/// and so are a folder's own notes (README, LICENSE …) and sidecar files. Every other
/// regular file is a candidate: reading refuses binaries by content, not by name.
pub fn walk_with(paths: &[PathBuf], opts: &WalkOptions) -> Walked {
    let mut out = Walked::default();
    let problems = RefCell::new(Vec::new());
    for given in paths {
        let root = identity(given);
        let meta = match std::fs::metadata(given) {
            Ok(m) => m,
            Err(e) if is_absence(&e) => {
                let is_link = std::fs::symlink_metadata(given).is_ok_and(|m| m.file_type().is_symlink());
                problems.borrow_mut().push((given.clone(), if is_link { Problem::BrokenLink } else { Problem::Missing }));
                out.roots.push(root);
                continue;
            }
            Err(e) if e.raw_os_error() == Some(40) => {
                problems.borrow_mut().push((given.clone(), Problem::SelfLink));
                continue;
            }
            Err(e) => {
                problems.borrow_mut().push((given.clone(), Problem::Unreadable(e)));
                continue;
            }
        };
        if is_system(&root) {
            problems.borrow_mut().push((given.clone(), Problem::SystemFolder(root)));
            continue;
        }
        if opts.exclude.iter().any(|x| root.starts_with(x)) {
            continue;
        }
        out.roots.push(root.clone());
        if !meta.is_dir() {
            if meta.is_file() {
                out.files.push(root);
            } else {
                problems.borrow_mut().push((given.clone(), Problem::Special(special_kind(meta.file_type()))));
            }
            continue;
        }
        // Depth of the shallowest followed symlink above the current entry: entries below
        // it have non-canonical paths and are resolved one by one.
        let link_depth: Cell<Option<usize>> = Cell::new(None);
        let resolved = |e: &walkdir::DirEntry| -> Option<PathBuf> {
            if link_depth.get().is_some_and(|d| e.depth() <= d) {
                link_depth.set(None);
            }
            if e.path_is_symlink() && link_depth.get().is_none() && e.file_type().is_dir() {
                link_depth.set(Some(e.depth()));
            }
            (e.path_is_symlink() || link_depth.get().is_some()).then(|| identity(e.path()))
        };
        let keep = |e: &walkdir::DirEntry| -> bool {
            if e.depth() == 0 {
                return true;
            }
            if is_hidden(e.file_name()) {
                return false;
            }
            let real = resolved(e);
            let real_path = real.as_deref().unwrap_or(e.path());
            if is_system(real_path) {
                problems.borrow_mut().push((e.path().to_path_buf(), Problem::SystemFolder(real_path.to_path_buf())));
                return false;
            }
            if e.file_type().is_dir() {
                if opts.exclude.iter().any(|x| real_path == x) {
                    return false;
                }
                if crate::paths::is_index_folder(e.path()) {
                    problems.borrow_mut().push((e.path().to_path_buf(), Problem::IndexFolder));
                    return false;
                }
            }
            true
        };
        let walker = walkdir::WalkDir::new(&root).follow_links(true).sort_by_file_name().into_iter().filter_entry(keep);
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) if e.file_type().is_file() => {
                    if is_folder_notes(e.file_name()) || sidecar::is_sidecar(e.path()) {
                        continue;
                    }
                    let linked = e.path_is_symlink() || link_depth.get().is_some();
                    out.files.push(if linked { identity(e.path()) } else { e.into_path() });
                }
                Ok(e) => {
                    let kind = special_kind(e.file_type());
                    problems.borrow_mut().push((e.into_path(), Problem::Special(kind)));
                }
                Err(e) => {
                    let path = e.path().unwrap_or(&root).to_path_buf();
                    let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
                    let problem = match (e.loop_ancestor(), e.io_error()) {
                        (Some(anc), _) => Problem::Loop(anc.to_path_buf()),
                        (None, Some(io)) if is_link && io.kind() == io::ErrorKind::NotFound => Problem::BrokenLink,
                        (None, Some(io)) if is_link && io.raw_os_error() == Some(40) => Problem::SelfLink,
                        // Vanished between listing and looking: nothing to report or keep.
                        (None, Some(io)) if io.kind() == io::ErrorKind::NotFound => continue,
                        (None, Some(io)) => Problem::Unreadable(io::Error::new(io.kind(), io.to_string())),
                        (None, None) => Problem::Unreadable(io::Error::other(e.to_string())),
                    };
                    problems.borrow_mut().push((path, problem));
                }
            }
        }
    }
    // Overlapping roots and links reach one file more than once; identity paths make the
    // copies equal. Sorting in place costs no second set of paths.
    out.files.sort();
    out.files.dedup();
    out.problems = problems.into_inner();
    out
}

/// [`walk_with`] without exclusions, problems as one-line reasons.
pub fn walk(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let walked = walk_with(paths, &WalkOptions::default());
    let errors = walked.problems.into_iter().map(|(p, why)| (p, why.to_string())).collect();
    (walked.files, errors)
}

/// A folder's own notes (README.md, LICENSE …) describe the collection; they are not
/// bulletins. Given explicitly, such a file is still read.
fn is_folder_notes(name: &OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    matches!(stem.as_str(), "README" | "LICENSE" | "LICENCE" | "CHANGELOG" | "COPYING" | "NOTICE")
}

fn is_hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.') && name != "." && name != ".."
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_names_are_bytes() {
        assert!(is_hidden(OsStr::new(".git")));
        assert!(!is_hidden(OsStr::new("..")));
        assert!(!is_hidden(OsStr::new("通报.txt")));
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            assert!(is_hidden(OsStr::from_bytes(b".\xc4\xcf\xc4\xfe")));
            assert!(!is_hidden(OsStr::from_bytes(b"\xc4\xcf\xc4\xfe.txt")));
        }
    }
}

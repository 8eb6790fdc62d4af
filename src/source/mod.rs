//! Finding bulletin files and turning each into clean text plus raw metadata hints.
//!
//! (Interface fixed by the lead; the implementation is being written.)

use std::path::{Path, PathBuf};

use crate::bulletin::Format;

/// Metadata a file states about itself (front matter, HTML `<meta>`, a sidecar file).
/// Values are raw strings: `extract` interprets and validates them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hints {
    pub title: Option<String>,
    /// Raw date string as written (`2022-08-16`, `Tue, 16 Aug 2022 23:09:09 GMT`, …).
    pub date: Option<String>,
    /// Front-matter `categories`/`tags` verbatim (may be site sections, not crime categories).
    pub tags: Vec<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    /// Explicit overrides (front matter or sidecar `NAME.meta.toml`/`.json`).
    pub province: Option<String>,
    pub city: Option<String>,
    pub categories: Vec<String>,
}

/// A file read and cleaned, before metadata extraction.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    pub path: PathBuf,
    pub format: Format,
    pub encoding: String,
    /// Best title found by the reader (may be empty).
    pub title: String,
    /// Clean body text: paragraphs separated by `\n`, chrome removed.
    pub body: String,
    pub hints: Hints,
}

/// Why a file could not become a bulletin. One line each, naming the reason.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("empty file")]
    Empty,
    #[error("{0}")]
    Unsupported(String),
}

/// Limits applied while reading.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub max_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { max_bytes: 20 << 20 }
    }
}

/// Read one file with limits.
pub fn read_file_with(path: &Path, _opts: &ReadOptions) -> Result<SourceDoc, SourceError> {
    read_file(path)
}

/// Read one file into a `SourceDoc`.
pub fn read_file(path: &Path) -> Result<SourceDoc, SourceError> {
    let bytes = std::fs::read(path)?;
    if bytes.is_empty() {
        return Err(SourceError::Empty);
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let title = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string();
    Ok(SourceDoc {
        path: path.to_path_buf(),
        format: Format::Text,
        encoding: "UTF-8".into(),
        title,
        body: text,
        hints: Hints::default(),
    })
}

/// Every bulletin file under the given paths (files are taken as given; folders walked,
/// hidden entries skipped, symlink loops safe). Errors while walking are returned beside
/// the files so the caller can report them and go on.
pub fn walk(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        for entry in walkdir::WalkDir::new(root).follow_links(true) {
            match entry {
                Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
                Ok(_) => {}
                Err(e) => errors.push((e.path().unwrap_or(root).to_path_buf(), e.to_string())),
            }
        }
    }
    files.sort();
    (files, errors)
}

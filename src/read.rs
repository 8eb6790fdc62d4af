//! The reading stage: a path on disk becomes a [`Bulletin`], or a typed reason it cannot.
//!
//! This is the one place where `source` (finding files, cleaning their text) and `extract`
//! (title, date, region, categories) meet. The index sees the stage only through the small
//! [`Reading`] trait: it asks which files some paths hold and for each file's bulletin, and
//! never learns how files are read or what rules extraction used. Why a file was not
//! indexed stays a value ([`SkipReason`]) until the edge that prints it: a summary counts
//! files by [`SkipReason::kind`] and the index keeps a file's bulletin when
//! [`SkipReason::keeps_indexed`] says it may still be fine, neither by reading words back
//! out of a message.

use std::path::{Path, PathBuf};

use crate::analysis::{Folded, Folds};
use crate::bulletin::{content_hash, id_for_path, Bulletin};
use crate::extract::Extractor;
use crate::resources::Resources;
use crate::source::{self, Problem, ReadOptions, SourceDoc, SourceError, WalkOptions};

/// A file read into a bulletin.
#[derive(Debug)]
pub struct Read {
    pub bulletin: Bulletin,
    /// The folded title and body, made once here: extraction read them, and SimHash and
    /// the index's document use them again.
    pub folds: Folds,
    /// Things worth telling about the file that did not stop it (broken front matter,
    /// text cut at the size cap), one line each.
    pub notes: Vec<String>,
}

/// Why a path was not indexed.
#[derive(Debug)]
pub enum SkipReason {
    /// The walk passed over it (a missing root, a folder that cannot be read, a loop).
    Passed(Problem),
    /// The reader refused the file or could not read it.
    Source(SourceError),
    /// A FIFO, socket or device stands where a file was: what kind.
    NotAFile(&'static str),
    /// A bug in a reader or extractor, caught so that it costs this file, not the run.
    Internal(String),
}

impl SkipReason {
    /// The reason without its particulars ("too large", "empty file"), for a summary that
    /// counts files by reason.
    pub fn kind(&self) -> &'static str {
        match self {
            SkipReason::Passed(p) => p.kind(),
            SkipReason::Source(e) => e.kind(),
            SkipReason::NotAFile(_) => "not a regular file",
            SkipReason::Internal(_) => "internal error while reading",
        }
    }

    /// True when the file may be fine and only could not be read now (permission denied,
    /// an I/O error): what the index holds for it must stay.
    pub(crate) fn keeps_indexed(&self) -> bool {
        match self {
            SkipReason::Passed(p) => p.keeps_indexed(),
            SkipReason::Source(SourceError::Io(e)) => !crate::paths::is_absence(e),
            _ => false,
        }
    }
}

/// A file that could not be looked at.
impl From<std::io::Error> for SkipReason {
    fn from(e: std::io::Error) -> Self {
        SkipReason::Source(SourceError::Io(e))
    }
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Passed(p) => write!(f, "{p}"),
            SkipReason::Source(e) => write!(f, "{e}"),
            SkipReason::NotAFile(what) => write!(f, "not a regular file ({what})"),
            SkipReason::Internal(msg) => write!(f, "internal error while reading ({msg}); please report it"),
        }
    }
}

/// What a look for bulletin files under some paths found.
#[derive(Debug, Default)]
pub struct Found {
    /// Bulletin candidates, as identity paths ([`crate::paths::identity`]), sorted, each once.
    pub files: Vec<PathBuf>,
    /// Paths passed over, with the reason.
    pub skipped: Vec<(PathBuf, SkipReason)>,
    /// Every root as an identity path, the missing ones included (their bulletins are
    /// gone), but not those that could not be read.
    pub roots: Vec<PathBuf>,
}

/// The stage before the index, as the index sees it.
pub trait Reading: Sync {
    /// The bulletin files under `paths`, never entering a folder in `exclude` (identity
    /// paths).
    fn find(&self, paths: &[PathBuf], exclude: &[PathBuf]) -> Found;
    /// One file read into a bulletin. Safe to call from several threads at once.
    fn read(&self, path: &Path) -> Result<Read, SkipReason>;
}

/// tongbao's own reading stage: `source` walks and reads, `extract` finds the metadata.
#[derive(Clone)]
pub struct Reader<'a> {
    extractor: &'a Extractor,
    options: ReadOptions,
}

impl<'a> Reader<'a> {
    pub fn new(extractor: &'a Extractor, options: ReadOptions) -> Reader<'a> {
        Reader { extractor, options }
    }
}

impl Reading for Reader<'_> {
    fn find(&self, paths: &[PathBuf], exclude: &[PathBuf]) -> Found {
        let walked = source::walk_with(paths, &WalkOptions { exclude: exclude.to_vec() });
        Found { files: walked.files, skipped: walked.problems.into_iter().map(|(p, why)| (p, SkipReason::Passed(why))).collect(), roots: walked.roots }
    }

    fn read(&self, path: &Path) -> Result<Read, SkipReason> {
        read_noted(path, self.extractor, &self.options)
    }
}

/// A fingerprint of everything that decides what a file yields, recorded in the index so
/// that a change of cleaning, folding, rules or data is noticed and the files re-read,
/// instead of old and new readings mixing in one index. It lives in the reading stage
/// because that is where `source`, the fold and `extract` meet.
pub fn fingerprint(resources: &Resources) -> String {
    let mut h = blake3::Hasher::new();
    // The text a file yields: a new cleaning step must re-read files that size and mtime
    // would otherwise call unchanged.
    h.update(&source::TEXT_VERSION.to_le_bytes());
    // The fold every field and rule matches on.
    h.update(&crate::analysis::normalize::VERSION.to_le_bytes());
    // The metadata rules: new date or region rules must re-extract old files.
    h.update(&crate::extract::RULES_VERSION.to_le_bytes());
    resources.hash_index_data(&mut h);
    h.finalize().to_hex()[..16].to_string()
}

/// Read one file into a bulletin.
pub(crate) fn read_bulletin(path: &Path, extractor: &Extractor, read: &ReadOptions) -> Result<Bulletin, SkipReason> {
    read_noted(path, extractor, read).map(|r| r.bulletin)
}

/// [`read_bulletin`], also returning the bulletin's fold (for SimHash and the document)
/// and the reader's warnings for the caller to report.
pub fn read_noted(path: &Path, extractor: &Extractor, read: &ReadOptions) -> Result<Read, SkipReason> {
    // A bug in a reader or extractor costs this file, not the run.
    crate::guard::catch(|| {
        // One budget for reading and extracting: no single file holds a run up.
        let budget = source::Budget::starting_now(read.time_budget, read.max_text_bytes);
        let mut doc = source::read_file_within(path, read, &budget).map_err(SkipReason::Source)?;
        let notes = std::mem::take(&mut doc.warnings);
        let (bulletin, folds) = assemble(doc, extractor);
        budget.check().map_err(SkipReason::Source)?;
        Ok(Read { bulletin, folds, notes })
    })
    .unwrap_or_else(|msg| Err(SkipReason::Internal(msg)))
}

/// Combine a read document with its extracted metadata. The title and body are folded
/// here, once: extraction reads the fold, and it is returned for SimHash and the document.
pub fn assemble(doc: SourceDoc, extractor: &Extractor) -> (Bulletin, Folds) {
    let mut folds = Folds::new(&doc.title, &doc.body);
    let meta = extractor.extract_folded(&doc, &folds);
    let abs = crate::paths::absolute(&doc.path);
    let title = if doc.title.trim().is_empty() {
        let title = fallback_title(&doc.body);
        folds.title = Folded::new(&title);
        title
    } else {
        doc.title.clone()
    };
    let hash = content_hash(&title, &doc.body);
    let bulletin = Bulletin {
        id: id_for_path(&abs),
        path: abs,
        format: doc.format,
        encoding: doc.encoding,
        title,
        body: doc.body,
        date: meta.date,
        date_source: meta.date_source,
        region: meta.region,
        categories: meta.categories,
        author: doc.hints.author,
        url: doc.hints.url,
        content_hash: hash,
    };
    (bulletin, folds)
}

/// A page with no headline line is named by its first sentence, cut short: a hit list
/// needs something to show, and the opening sentence of a bulletin says what it is about.
pub(crate) fn fallback_title(body: &str) -> String {
    let first = body.lines().map(str::trim).find(|l| l.chars().any(char::is_alphanumeric)).unwrap_or("");
    let sentence: String = first.chars().take_while(|c| !matches!(c, '。' | '！' | '？' | '；')).collect();
    if sentence.chars().count() > 40 {
        sentence.chars().take(40).collect::<String>() + "…"
    } else {
        sentence
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each way a file is refused counts under its own short reason, and only a file
    /// that could not be looked at now keeps what the index holds for it.
    #[test]
    fn skip_reasons_count_by_kind_and_say_what_stays() {
        use std::io::{Error, ErrorKind};
        let cases: Vec<(SkipReason, &str, bool, &str)> = vec![
            (Error::from(ErrorKind::PermissionDenied).into(), "cannot read", true, "cannot read: permission denied"),
            (Error::from(ErrorKind::NotFound).into(), "cannot read", false, "cannot read: entity not found"),
            (SkipReason::Source(SourceError::Empty), "empty file", false, "empty file"),
            (SkipReason::Source(SourceError::Binary("PNG image")), "binary file", false, "binary file (PNG image)"),
            (
                SkipReason::Source(SourceError::TooLarge { size: 30 << 20, limit: 20 << 20 }),
                "too large",
                false,
                "too large: 30 MB is over the 20 MB limit (see --max-file-mb)",
            ),
            (SkipReason::Source(SourceError::TooSlow { seconds: 5.0 }), "too slow", false, "too slow: not read within 5 s (see --max-file-seconds)"),
            (SkipReason::Source(SourceError::NoText), "no bulletin text", false, "no bulletin text (only markup or page chrome)"),
            (
                SkipReason::Source(SourceError::SystemFolder("/proc/self".into())),
                "leads into a system folder",
                false,
                "leads into /proc/self, a system folder; not read",
            ),
            (SkipReason::Passed(Problem::Missing), "no such file or folder", false, "no such file or folder"),
            (SkipReason::Passed(Problem::BrokenLink), "broken symlink", false, "broken symlink (its target does not exist)"),
            (
                SkipReason::Passed(Problem::Unreadable(Error::from(ErrorKind::PermissionDenied))),
                "cannot read",
                true,
                "cannot read: permission denied; what the index holds from it is kept",
            ),
            (SkipReason::NotAFile("a FIFO"), "not a regular file", false, "not a regular file (a FIFO)"),
            (
                SkipReason::Internal("index out of range".into()),
                "internal error while reading",
                false,
                "internal error while reading (index out of range); please report it",
            ),
        ];
        for (reason, kind, keeps, line) in cases {
            assert_eq!((reason.kind(), reason.keeps_indexed(), reason.to_string().as_str()), (kind, keeps, line));
        }
    }

    #[test]
    fn a_page_without_headline_is_named_by_its_first_sentence() {
        let cases = [
            ("\n  \n近日，城关派出所破获一起电信诈骗案。民警提醒群众注意防范。", "近日，城关派出所破获一起电信诈骗案"),
            ("——\n警情通报！", "警情通报"),
            ("", ""),
        ];
        for (body, title) in cases {
            assert_eq!(fallback_title(body), title, "{body:?}");
        }
        let long = "2024年3月以来，市公安局刑侦支队会同网安、技侦等部门，对辖区内多起以投资理财为名实施的电信网络诈骗案件开展集中研判";
        let cut = fallback_title(long);
        assert_eq!(cut.chars().count(), 41, "{cut}");
        assert!(cut.ends_with('…'));
    }

    /// The stage reads through the trait as the index will: the bulletin, its fold and
    /// its notes, or the typed reason for a file that is no bulletin.
    #[test]
    fn reader_yields_bulletins_and_typed_refusals() {
        let tmp = tempfile::tempdir().unwrap();
        let good = tmp.path().join("通报.txt");
        std::fs::write(&good, "关于破获一起养老诈骗案的通报\n2023年6月2日，某县公安局破获一起以养老为名的诈骗案。").unwrap();
        let empty = tmp.path().join("empty.txt");
        std::fs::write(&empty, "").unwrap();
        let extractor = Extractor::load(None).unwrap();
        let reader = Reader::new(&extractor, ReadOptions::default());
        let stage: &dyn Reading = &reader;

        let found = stage.find(&[tmp.path().to_path_buf(), tmp.path().join("missing")], &[]);
        assert_eq!(found.files.len(), 2);
        assert_eq!(found.skipped.len(), 1);
        assert_eq!(found.skipped[0].1.kind(), "no such file or folder");

        let read = stage.read(&good).unwrap();
        assert_eq!(read.bulletin.title, "关于破获一起养老诈骗案的通报");
        assert!(read.folds.body.text().contains("养老"));
        assert!(read.notes.is_empty());
        assert_eq!(stage.read(&empty).unwrap_err().kind(), "empty file");
    }
}

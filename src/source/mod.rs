//! Finding bulletin files and turning each into clean text plus raw metadata hints.
//!
//! This module owns everything between a path on disk and a [`SourceDoc`]: walking folders
//! ([`walk`]), refusing what is not text (binaries, huge files, undecodable bytes),
//! detecting the encoding (`decode`), recognising the format, and cleaning each format into
//! a headline and body text without page chrome (`html`, `markdown`, `text`, all finished by
//! the hygiene of `tidy`). Metadata the file states about itself — `<meta>` tags, front
//! matter, a sidecar `NAME.meta.toml` — is collected as raw [`Hints`]; interpreting it is
//! `extract`'s job.
//!
//! ```no_run
//! use std::path::PathBuf;
//! let (files, errors) = tongbao::source::walk(&[PathBuf::from("bulletins")]);
//! for (path, why) in errors {
//!     eprintln!("{}: {why}", path.display());
//! }
//! for path in files {
//!     match tongbao::source::read_file(&path) {
//!         Ok(doc) => println!("{} [{}] {}", path.display(), doc.encoding, doc.title),
//!         Err(e) => eprintln!("{}: {e}", path.display()),
//!     }
//! }
//! ```

mod budget;
mod decode;
mod html;
mod markdown;
mod sidecar;
mod text;
mod tidy;
mod walk;

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::bulletin::Format;

pub use crate::paths::{identity, is_gone};
pub use budget::Budget;
pub use walk::{walk, walk_with, Problem, WalkOptions};

/// Files larger than this are refused by [`read_file`]: no bulletin is 20 MB of text, and
/// reading a stray video into memory would only slow indexing down.
pub const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;

/// Version of the text cleaning: bump it when a change to the readers changes the text a
/// file yields (as removing converter pinyin did, and recognising page chrome on folded
/// lines did), so existing indexes are rebuilt by the next `index` run instead of keeping
/// the old text of unchanged files.
pub(crate) const TEXT_VERSION: u32 = 3;

/// Metadata a file states about itself (front matter, HTML `<meta>`, a sidecar file).
/// Values are raw strings: `extract` interprets and validates them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hints {
    pub title: Option<String>,
    /// Raw date string as written (`2022-08-16`, `Tue, 16 Aug 2022 23:09:09 GMT`, …).
    pub date: Option<String>,
    /// Which of the file's statements the date came from (reported as the date's source).
    pub date_origin: Option<HintOrigin>,
    /// Front-matter `categories`/`tags` verbatim (may be site sections, not crime categories).
    pub tags: Vec<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    /// Explicit overrides (front matter or sidecar `NAME.meta.toml`/`.json`).
    pub province: Option<String>,
    pub city: Option<String>,
    pub categories: Vec<String>,
    /// Breadcrumb lines naming the page's channel (`首页 > 内蒙古发布 > 正文`), which the
    /// reader removes from the text; they may say whose page it is.
    pub channel: Vec<String>,
}

/// Where a hint was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HintOrigin {
    /// A Markdown file's YAML front matter.
    FrontMatter,
    /// An HTML page's `<meta>` tags or `<time datetime>`.
    Meta,
    /// A sidecar `NAME.meta.toml`/`.json`.
    Sidecar,
}

/// A file read and cleaned, before metadata extraction.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    pub path: PathBuf,
    pub format: Format,
    pub encoding: String,
    /// Best title found by the reader (may be empty). It is not repeated as the first line
    /// of `body`.
    pub title: String,
    /// Clean body text: paragraphs separated by `\n`, chrome removed.
    pub body: String,
    pub hints: Hints,
    /// Problems that did not stop the file from being read (broken front matter, broken
    /// sidecar), one line each, for the caller to print.
    pub warnings: Vec<String>,
}

/// Why a file could not become a bulletin. One line each, naming the reason; [`kind`]
/// names the reason alone, for counting.
///
/// [`kind`]: SourceError::kind
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("empty file")]
    Empty,
    #[error("is a directory")]
    Folder,
    /// A FIFO, socket or device: reading would block or never end.
    #[error("not a regular file")]
    NotRegular,
    /// A path into `/proc`, `/sys` or `/dev` (itself or through a symlink).
    #[error("{}", walk::Problem::SystemFolder(.0.clone()))]
    SystemFolder(PathBuf),
    /// Bytes that are no text: what they look like ("PNG image").
    #[error("binary file ({0})")]
    Binary(&'static str),
    #[error("too large: {} is over the {} limit (see --max-file-mb)", over_limit(*size, *limit), mb(*limit))]
    TooLarge { size: u64, limit: u64 },
    /// Bytes that decode to mostly replacement or control characters.
    #[error("{0}")]
    Undecodable(String),
    /// Text that is all markup or page chrome once cleaned.
    #[error("no bulletin text (only markup or page chrome)")]
    NoText,
    /// Not read within the time budget.
    #[error("too slow: not read within {seconds} s (see --max-file-seconds)")]
    TooSlow { seconds: f64 },
}

impl SourceError {
    /// The reason without its particulars, for a summary that counts files by reason.
    pub fn kind(&self) -> &'static str {
        match self {
            SourceError::Io(_) => "cannot read",
            SourceError::Empty => "empty file",
            SourceError::Folder => "is a directory",
            SourceError::NotRegular => "not a regular file",
            SourceError::SystemFolder(_) => walk::Problem::SYSTEM_FOLDER,
            SourceError::Binary(_) => "binary file",
            SourceError::TooLarge { .. } => "too large",
            SourceError::Undecodable(_) => "undecodable text",
            SourceError::NoText => "no bulletin text",
            SourceError::TooSlow { .. } => "too slow",
        }
    }
}

fn mb(bytes: u64) -> String {
    let v = bytes as f64 / (1024.0 * 1024.0);
    if bytes.is_multiple_of(1024 * 1024) {
        format!("{v:.0} MB")
    } else {
        format!("{v:.1} MB")
    }
}

/// A size just over the limit must not print as the limit itself ("20.0 MB, over the
/// 20 MB limit"): then the exact byte count says what is wrong.
fn over_limit(size: u64, limit: u64) -> String {
    let (s, l) = (mb(size), mb(limit));
    let round = |t: &str| t.trim_end_matches(" MB").parse::<f64>().unwrap_or(0.0);
    if round(&s) <= round(&l) {
        format!("{size} bytes")
    } else {
        s
    }
}

/// Clean text indexed per file. Real bulletins are a few kilobytes; a body of megabytes is
/// a log or a dump, and tokenizing it costs about 50 bytes of memory per byte of text,
/// so the rest is left out (with a warning) rather than risking the machine's memory.
pub(crate) const DEFAULT_MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;

/// Time one file may take to read and clean. Real bulletins take milliseconds and a
/// 20 MB page about a second; a file still being read after this is skipped with a
/// reason, so that no single file holds a run up.
pub const DEFAULT_TIME_BUDGET: std::time::Duration = std::time::Duration::from_secs(5);

/// Limits for [`read_file_with`].
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Largest file read, in bytes.
    pub max_bytes: u64,
    /// Time one file may take to read, clean and extract (see [`DEFAULT_TIME_BUDGET`]).
    pub time_budget: std::time::Duration,
    /// Longest body kept, in bytes of clean text; longer ones are cut at a line break
    /// and a warning says so.
    pub max_text_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { max_bytes: DEFAULT_MAX_BYTES, time_budget: DEFAULT_TIME_BUDGET, max_text_bytes: DEFAULT_MAX_TEXT_BYTES }
    }
}

/// Read one file into a `SourceDoc`, with the default limits.
pub fn read_file(path: &Path) -> Result<SourceDoc, SourceError> {
    read_file_with(path, &ReadOptions::default())
}

/// Read one file into a `SourceDoc`: size check, read, [`parse_bytes`], then the sidecar.
pub(crate) fn read_file_with(path: &Path, opts: &ReadOptions) -> Result<SourceDoc, SourceError> {
    read_file_within(path, opts, &Budget::starting_now(opts.time_budget, opts.max_text_bytes))
}

/// [`read_file_with`] against a budget the caller started (and may check again later).
pub(crate) fn read_file_within(path: &Path, opts: &ReadOptions, budget: &Budget) -> Result<SourceDoc, SourceError> {
    if let Some(target) = walk::system_target(path) {
        return Err(SourceError::SystemFolder(target));
    }
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(SourceError::Folder);
    }
    if !meta.is_file() {
        // FIFOs and devices would block or never end.
        return Err(SourceError::NotRegular);
    }
    if meta.len() > opts.max_bytes {
        return Err(SourceError::TooLarge { size: meta.len(), limit: opts.max_bytes });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)?.take(opts.max_bytes.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > opts.max_bytes {
        // The file grew between the size check and the read.
        return Err(SourceError::TooLarge { size: bytes.len() as u64, limit: opts.max_bytes });
    }
    let mut doc = parse_bytes_within(path, &bytes, budget)?;
    drop(bytes);
    cap_body(&mut doc, opts.max_text_bytes);
    apply_sidecar(&mut doc);
    budget.check()?;
    Ok(doc)
}

/// Cut an overlong body at the last line break before `max` bytes (or at a character
/// boundary when a single line is that long) and say so in the warnings.
fn cap_body(doc: &mut SourceDoc, max: usize) {
    if doc.body.len() <= max {
        return;
    }
    let total = doc.body.len();
    let cut = line_cut(&doc.body, max);
    doc.body.truncate(cut);
    doc.body.shrink_to_fit();
    doc.warnings.push(cut_warning(total, cut));
}

/// Where to cut `text` to at most `max` bytes: at the last line break in the second half
/// of that prefix, else at the last character boundary.
fn line_cut(text: &str, max: usize) -> usize {
    let cut = crate::chars::floor_boundary(text, max);
    match text[..cut].rfind('\n') {
        Some(nl) if nl >= cut / 2 => nl,
        _ => cut,
    }
}

fn cut_warning(total: usize, kept: usize) -> String {
    format!("text is {}; only its first {} are indexed", mb(total as u64), mb(kept as u64))
}

/// Turn a file's bytes into a `SourceDoc` without touching the file system (no sidecar).
/// `path` names the document and its extension hints the format.
pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<SourceDoc, SourceError> {
    parse_bytes_within(path, bytes, &Budget::unlimited())
}

/// [`parse_bytes`] within a budget: no more text than its cap is cleaned, and the work
/// stops with [`SourceError::TooSlow`] past its deadline.
///
/// The phases: decode the bytes, take the front matter off, settle the format, read the
/// body by its format, then settle the headline between the front matter and the reader.
pub(crate) fn parse_bytes_within(path: &Path, bytes: &[u8], budget: &Budget) -> Result<SourceDoc, SourceError> {
    let decoded = decode_text(bytes, budget)?;
    let named = Named::by_extension(path);
    let mut warnings = Vec::new();
    let front = markdown::split_front_matter(&decoded.text);
    let (mut hints, front_title, body_src) = match &front {
        Some(split) => {
            let hints = front_matter_hints(split.yaml, &mut warnings);
            let title = hints.title.clone();
            (hints, title, split.body)
        }
        None => (Hints::default(), None, decoded.text.as_str()),
    };

    let is_html = named == Named::Html || (named != Named::Markdown && html::looks_like_html(body_src)) || (front.is_some() && html::looks_like_html(body_src));
    let format = if named == Named::Html {
        Format::Html
    } else if named == Named::Markdown || front.is_some() {
        Format::Markdown
    } else if is_html {
        Format::Html
    } else {
        Format::Text
    };

    let (title, lines) = if is_html {
        let h = html::read_with(body_src, budget)?;
        merge_missing(&mut hints, h.hints);
        warnings.extend(h.warnings);
        (h.title, h.lines)
    } else {
        // Text that is not markup is cut to the text cap before cleaning: every step after
        // this costs memory per line, and no more than the cap is kept anyway.
        let body_src = cap_plain_text(body_src, budget.max_text_bytes, &mut warnings);
        read_plain(body_src, format == Format::Markdown, &mut hints)
    };
    let (title, lines) = settle_title(title, lines, front_title, &hints);
    finish(path, format, decoded.encoding.name(), title, lines, hints, warnings)
}

/// The bytes as text, refused when empty, binary or in no encoding we can tell.
fn decode_text(bytes: &[u8], budget: &Budget) -> Result<decode::Decoded, SourceError> {
    if bytes.is_empty() {
        return Err(SourceError::Empty);
    }
    if let Some(kind) = decode::sniff_binary(bytes) {
        return Err(SourceError::Binary(kind));
    }
    let decoded = decode::decode(bytes).map_err(SourceError::Undecodable)?;
    budget.check()?;
    if decoded.text.trim().is_empty() {
        return Err(SourceError::Empty);
    }
    Ok(decoded)
}

/// The format a file's extension names, before its content has a say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    Html,
    Markdown,
    Other,
}

impl Named {
    fn by_extension(path: &Path) -> Named {
        let ext = path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()).unwrap_or_default();
        match ext.as_str() {
            "html" | "htm" | "shtml" | "xhtml" | "xht" | "asp" | "aspx" | "php" | "jsp" => Named::Html,
            "md" | "markdown" | "mdown" | "mkd" | "mkdn" => Named::Markdown,
            _ => Named::Other,
        }
    }
}

/// Hints from a front matter block; YAML that does not parse is reported and only a title
/// is salvaged from it.
fn front_matter_hints(yaml: &str, warnings: &mut Vec<String>) -> Hints {
    match markdown::parse_front_matter(yaml) {
        Ok(mut hints) => {
            if hints.date.is_some() {
                hints.date_origin = Some(HintOrigin::FrontMatter);
            }
            hints
        }
        Err(e) => {
            warnings.push(format!("front matter ignored, not valid YAML: {e}"));
            Hints { title: markdown::salvage_title(yaml), ..Hints::default() }
        }
    }
}

/// `text` cut to `max` bytes (see [`line_cut`]), with a warning when it was longer.
fn cap_plain_text<'a>(text: &'a str, max: usize, warnings: &mut Vec<String>) -> &'a str {
    if text.len() <= max {
        return text;
    }
    let end = line_cut(text, max);
    warnings.push(cut_warning(text.len(), end));
    &text[..end]
}

/// Headline and lines of plain text or Markdown; a URL and channel found in the text fill
/// the hints.
fn read_plain(body_src: &str, markdown: bool, hints: &mut Hints) -> (String, Vec<String>) {
    let mut c = if markdown {
        let plain = markdown::strip_markdown(body_src);
        match markdown::first_heading(body_src) {
            // A `# heading` is the author's own headline: trust it over the text heuristic.
            Some(h) => {
                let mut c = text::remove_chrome(tidy::tidy_lines(&plain));
                if let Some(i) = c.lines.iter().take(5).position(|l| text::clean_title(l) == h) {
                    c.lines.remove(i);
                }
                c.title = h;
                c
            }
            None => text::clean(tidy::tidy_lines(&plain)),
        }
    } else {
        text::clean(tidy::tidy_lines(body_src))
    };
    if hints.url.is_none() {
        hints.url = c.url.take();
    }
    hints.channel = std::mem::take(&mut c.channel);
    (c.title, c.lines)
}

/// The headline: a front-matter title wins (the body's copy of it leaves the lines, and a
/// different line the reader took as headline goes back to them); otherwise the reader's,
/// or the hints' title when the reader found none.
fn settle_title(title: String, mut lines: Vec<String>, front_title: Option<String>, hints: &Hints) -> (String, Vec<String>) {
    if let Some(ft) = front_title {
        let ft_clean = front_matter_title(&ft);
        if let Some(i) = lines.iter().take(5).position(|l| text::clean_title(l) == ft_clean) {
            // The body repeats the front-matter title as its first line.
            lines.remove(i);
        } else if !title.is_empty() && title != ft_clean {
            // The reader took a different line as headline; it is body text after all.
            lines.insert(0, title);
        }
        return (ft_clean, lines);
    }
    if title.is_empty() {
        if let Some(t) = &hints.title {
            return (text::clean_title(t), lines);
        }
    }
    (title, lines)
}

/// A front-matter title as a headline: exporters replace quotes and spaces with `_`
/// ("清远公安_大案__小案_一起抓"), so runs of `_` become one space.
fn front_matter_title(raw: &str) -> String {
    let t = text::clean_title(raw);
    if !(t.chars().any(crate::chars::is_cjk) && t.contains('_')) {
        return t;
    }
    let mut out = String::new();
    for part in t.split('_').map(str::trim).filter(|p| !p.is_empty()) {
        // No space next to Chinese punctuation: "一起抓，百日行动", not "一起抓， 百日行动".
        let after_punct = out.ends_with(|c: char| is_cjk_punct(c));
        let before_punct = part.starts_with(is_cjk_punct);
        if !out.is_empty() && !after_punct && !before_punct {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

fn is_cjk_punct(c: char) -> bool {
    matches!(c, '，' | '。' | '、' | '；' | '：' | '！' | '？' | '“' | '”' | '《' | '》' | '（' | '）')
}

fn finish(
    path: &Path,
    format: Format,
    encoding: &str,
    title: String,
    lines: Vec<String>,
    hints: Hints,
    warnings: Vec<String>,
) -> Result<SourceDoc, SourceError> {
    let body = lines.join("\n");
    if body.trim().is_empty() && title.trim().is_empty() {
        return Err(SourceError::NoText);
    }
    Ok(SourceDoc { path: path.to_path_buf(), format, encoding: encoding.to_string(), title, body, hints, warnings })
}

/// Fill the hints the front matter left empty from what the HTML body says.
fn merge_missing(base: &mut Hints, from: Hints) {
    base.title = base.title.take().or(from.title);
    if base.date.is_none() && from.date.is_some() {
        base.date = from.date;
        base.date_origin = Some(HintOrigin::Meta);
    }
    base.author = base.author.take().or(from.author);
    base.url = base.url.take().or(from.url);
    base.province = base.province.take().or(from.province);
    base.city = base.city.take().or(from.city);
    if base.tags.is_empty() {
        base.tags = from.tags;
    }
    if base.categories.is_empty() {
        base.categories = from.categories;
    }
    if base.channel.is_empty() {
        base.channel = from.channel;
    }
}

/// Apply `NAME.meta.toml`/`.json` beside the file, if any.
fn apply_sidecar(doc: &mut SourceDoc) {
    let Some(side) = sidecar::find(&doc.path) else {
        return;
    };
    match sidecar::load(&side) {
        Ok((over, warnings)) => {
            if let Some(t) = &over.title {
                doc.title = t.clone();
            }
            sidecar::merge(&mut doc.hints, over);
            doc.warnings.extend(warnings);
        }
        Err(e) => doc.warnings.push(format!("sidecar {} ignored: {e}", side.display())),
    }
}

#[cfg(test)]
mod tests;

//! The `Bulletin`: one police bulletin as the rest of tongbao sees it.
//!
//! Everything downstream of reading files works on this plain struct, so tests can build
//! one by hand and nothing after `source` re-reads a file or re-parses HTML.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

/// The on-disk format a bulletin was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Html,
    Markdown,
    Text,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Text => "text",
        }
    }
}

/// Issuing region as facet parts: `province` is a canonical full name (`广西壮族自治区`)
/// or `全国` for national bulletins; `city` a canonical prefecture-level name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Region {
    pub province: Option<String>,
    pub city: Option<String>,
}

impl Region {
    /// Facet path `/省/市`, `/省` or `None` when unknown.
    pub(crate) fn facet_path(&self) -> Option<String> {
        let p = self.province.as_deref()?;
        Some(match self.city.as_deref() {
            Some(c) => format!("/{p}/{c}"),
            None => format!("/{p}"),
        })
    }
}

/// Where a publication date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateSource {
    /// The file's front matter (`date:`).
    FrontMatter,
    /// A sidecar `NAME.meta.toml`/`.json` beside the file.
    Sidecar,
    /// The page's `<meta>` tags or `<time datetime>`.
    Meta,
    /// A dateline or publication stamp at the top of the text.
    Dateline,
    /// The date under the issuing unit at the end of an official notice.
    Signature,
    /// The lead's full date of a press conference or announcement.
    Lead,
    /// The dateline's month-day with a year the text's own evidence settles.
    TextYear,
    /// The page's URL (front matter, sidecar, canonical link, `og:url`).
    Url,
    /// The file's path.
    Path,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::FrontMatter => "front-matter",
            DateSource::Sidecar => "sidecar",
            DateSource::Meta => "meta",
            DateSource::Dateline => "dateline",
            DateSource::Signature => "signature",
            DateSource::Lead => "lead",
            DateSource::TextYear => "text-year",
            DateSource::Url => "url",
            DateSource::Path => "path",
        }
    }
}

/// One bulletin: clean text plus the metadata extracted from it.
#[derive(Debug, Clone, Serialize)]
pub struct Bulletin {
    /// Stable id derived from the path, so re-indexing a file replaces it.
    pub id: String,
    pub path: PathBuf,
    pub format: Format,
    /// Name of the encoding the file was decoded from (`UTF-8`, `GBK`, `Big5` …).
    pub encoding: String,
    pub title: String,
    /// Clean text: paragraphs separated by `\n`, page chrome removed.
    pub body: String,
    /// Publication date; `None` when the document does not determine its year.
    pub date: Option<NaiveDate>,
    /// The evidence the date came from, so a reader can audit it.
    pub date_source: Option<DateSource>,
    pub region: Region,
    /// Category facet paths such as `/诈骗/养老诈骗`.
    pub categories: Vec<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    /// Hash of title and body, used to skip unchanged files and spot copies.
    pub content_hash: String,
}

/// Stable document id for a path: hex of a hash of its absolute form's raw bytes. Raw,
/// because names that are not UTF-8 (GBK archives) would collide once decoded lossily; for
/// UTF-8 paths the bytes are the text, so ids are what they always were.
pub fn id_for_path(path: &std::path::Path) -> String {
    let abs = crate::paths::absolute(path);
    let h = blake3::hash(abs.as_os_str().as_encoded_bytes());
    h.to_hex()[..16].to_string()
}

/// Raw bytes of a path, as stored in the index (lossless; see `index::schema`).
pub(crate) fn path_bytes(path: &std::path::Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// The path stored as [`path_bytes`].
#[cfg(unix)]
pub(crate) fn path_from_bytes(bytes: &[u8]) -> std::path::PathBuf {
    use std::os::unix::ffi::OsStrExt;
    std::path::PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

/// The path stored as [`path_bytes`] (on systems without byte paths, stored text).
#[cfg(not(unix))]
pub(crate) fn path_from_bytes(bytes: &[u8]) -> std::path::PathBuf {
    std::path::PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// Hash of the text a bulletin contributes to the index.
pub fn content_hash(title: &str, body: &str) -> String {
    let mut h = blake3::Hasher::new();
    h.update(title.as_bytes());
    h.update(&[0]);
    h.update(body.as_bytes());
    h.finalize().to_hex()[..32].to_string()
}

//! The commands of the `tongbao` binary: each takes the flags `args` parsed into plain
//! option structs, calls the library, and prints through a `tongbao::render` printer.
//!
//! This is the binary's edge: errors from the library (thiserror types) get their context
//! here as `anyhow` errors, and the exit status is decided here ([`Outcome`]). The HTTP
//! front end (`serve`) opens the index through the same calls.

pub mod args;
pub mod check;
pub mod cluster;
pub mod extract;
pub mod facets;
pub mod index;
pub mod search;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, Result};
use jieba_rs::Jieba;
use tongbao::analysis::dictionary;
use tongbao::extract::Extractor;
use tongbao::index::{IndexError, IndexHandle, IndexMeta};
use tongbao::render::Style;
use tongbao::resources::Resources;
use tongbao::sanitize::{cap_line, sanitize};

pub use index::{open_for_writing, watch_event_line, Opened};
pub use search::open_for_search;

/// Folder used when neither `--index` nor `TONGBAO_INDEX` names one.
pub const DEFAULT_INDEX: &str = ".tongbao";

/// How a command ended, as the exit status says it (ripgrep's convention): 0 something
/// matched (or the command did its work), 1 nothing matched (or `check` found a problem),
/// 2 an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Found,
    NothingFound,
}

/// Settings every command shares.
#[derive(Debug, Clone)]
pub struct Context {
    pub index_dir: PathBuf,
    /// A SolrCloud collection to use instead of the local index (`--store`).
    pub store: Option<tongbao::cluster::SolrUrl>,
    /// True when the index folder is the default one (enables the first-run build).
    pub default_index: bool,
    pub schema_dir: Option<PathBuf>,
    pub quiet: bool,
    pub color: ColorChoice,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

impl Context {
    pub fn resources(&self) -> Resources {
        Resources::with_overrides(self.schema_dir.as_deref())
    }

    pub fn jieba(&self) -> Result<Arc<Jieba>> {
        let dict = self.resources().get("dictionary.txt")?;
        Ok(dictionary::shared(&dict))
    }

    pub fn extractor(&self) -> Result<Extractor> {
        Extractor::load(self.schema_dir.as_deref()).context("loading extraction rules")
    }

    pub fn meta(&self) -> IndexMeta {
        IndexMeta::current(&tongbao::read::fingerprint(&self.resources()))
    }

    /// Colour for stdout: asked for, or a terminal without NO_COLOR.
    pub fn color(&self) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn style(&self) -> Style {
        Style { color: self.color(), marks: None }
    }

    /// A jieba that segments only `texts` (a query and its expansions) like [`Self::jieba`]
    /// does, built in well under a millisecond instead of the ~90 ms full load that would
    /// otherwise dominate a `tongbao search` process. See `analysis::dictionary`.
    pub fn query_jieba(&self, texts: &[&str]) -> Result<Arc<Jieba>> {
        let dict = self.resources().get("dictionary.txt")?;
        Ok(dictionary::for_texts(&dict, texts))
    }

    /// Open the index with a given jieba (a query-only one when the process only searches).
    fn open_with(&self, jieba: Arc<Jieba>) -> Result<IndexHandle, IndexError> {
        IndexHandle::open(&self.index_dir, jieba, &self.meta())
    }

    /// The index folder as shown in messages.
    fn shown_index(&self) -> String {
        shown(&self.index_dir)
    }
}

/// A path as shown in a message: control characters removed.
pub fn shown(path: &Path) -> String {
    sanitize(&path.display().to_string())
}

/// The line said on stderr about one file (`skipped`, `note`, `removed`), in one place so
/// every command words it alike: the path and the reason both cleaned, the reason capped.
pub fn file_line(what: &str, path: &Path, message: &str) -> String {
    format!("tongbao: {what} {}: {}", shown(path), sanitize(&cap_line(message)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_lines_are_clean_and_capped() {
        let long = "坏".repeat(400);
        let cases = [
            ("skipped", "a\x1b[2J.txt", "no such file or folder", "tongbao: skipped a[2J.txt: no such file or folder".to_string()),
            ("note", "b.html", "title\nfrom <h1>", "tongbao: note b.html: title from <h1>".to_string()),
            ("skipped", "c.md", long.as_str(), format!("tongbao: skipped c.md: {}…", "坏".repeat(300))),
        ];
        for (what, path, message, want) in cases {
            assert_eq!(file_line(what, Path::new(path), message), want);
        }
    }
}

//! The domain data in `index-schema/`: embedded in the binary, overridable per file.
//!
//! A user who knows better (a local dictionary, an extra category, a renamed county) puts a
//! file of the same name in a folder and passes `--schema-dir`; everything else keeps the
//! embedded version, so a partial override never leaves the tool without data.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// Files that make up the schema data, with their embedded defaults.
const EMBEDDED: &[(&str, &str)] = &[
    ("dictionary.txt", include_str!("../index-schema/dictionary.txt")),
    ("categories.toml", include_str!("../index-schema/categories.toml")),
    ("regions.csv", include_str!("../index-schema/regions.csv")),
    ("synonyms.toml", include_str!("../index-schema/synonyms.toml")),
    ("occasions.csv", include_str!("../index-schema/occasions.csv")),
    ("mastheads.csv", include_str!("../index-schema/mastheads.csv")),
];

/// Error reading an override file.
#[derive(Debug, thiserror::Error)]
pub enum ResourceError {
    #[error("{path}: cannot read schema override: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{name}: {reason}")]
    Invalid { name: String, reason: String },
    #[error("unknown schema file {0}")]
    Unknown(String),
}

/// Where schema data comes from: embedded files, optionally shadowed by a folder.
#[derive(Debug, Clone, Default)]
pub struct Resources {
    dir: Option<PathBuf>,
}

impl Resources {
    pub fn embedded() -> Self {
        Resources { dir: None }
    }

    pub fn with_overrides(dir: Option<&Path>) -> Self {
        Resources { dir: dir.map(Path::to_path_buf) }
    }

    /// Contents of schema file `name`: the override if one exists, else the embedded copy.
    pub fn get(&self, name: &str) -> Result<Cow<'static, str>, ResourceError> {
        if let Some(dir) = &self.dir {
            let path = dir.join(name);
            if path.exists() {
                return std::fs::read_to_string(&path).map(Cow::Owned).map_err(|source| ResourceError::Read { path, source });
            }
        }
        EMBEDDED.iter().find(|(n, _)| *n == name).map(|(_, s)| Cow::Borrowed(*s)).ok_or_else(|| ResourceError::Unknown(name.to_string()))
    }

    /// Feed every data file that shapes what an index holds to `h`, for the reading
    /// stage's fingerprint (`read::fingerprint`). Synonyms only shape queries; editing them
    /// must not force a re-index.
    pub(crate) fn hash_index_data(&self, h: &mut blake3::Hasher) {
        for (name, _) in EMBEDDED.iter().filter(|(n, _)| *n != "synonyms.toml") {
            h.update(name.as_bytes());
            if let Ok(text) = self.get(name) {
                h.update(text.as_bytes());
            }
        }
    }
}

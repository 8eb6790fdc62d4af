//! Metadata extraction: issuing region, publication date, crime categories.
//!
//! (Interface fixed by the lead; the implementation is being written.)

use chrono::NaiveDate;

use crate::bulletin::Region;
use crate::source::SourceDoc;

/// What extraction found for one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    pub date: Option<NaiveDate>,
    pub region: Region,
    pub categories: Vec<String>,
}

/// Holds the loaded gazetteer and category rules; build once, share across threads.
#[derive(Debug, Default)]
pub struct Extractor {}

impl Extractor {
    /// Extractor from the embedded `index-schema/` data, with files in `overrides`
    /// (if given) replacing the embedded ones.
    pub fn load(_overrides: Option<&std::path::Path>) -> anyhow::Result<Self> {
        Ok(Extractor {})
    }

    pub fn extract(&self, _doc: &SourceDoc) -> Metadata {
        Metadata::default()
    }
}

/// A filter value that names no known province, city or category.
#[derive(Debug, thiserror::Error)]
#[error("unknown {kind} {given:?}{}", if suggestions.is_empty() { String::new() } else { format!("; did you mean {}?", suggestions.join(", ")) })]
pub struct UnknownName {
    pub kind: &'static str,
    pub given: String,
    pub suggestions: Vec<String>,
}

impl Extractor {
    /// Region facet path for a province given by full name, short name or abbreviation.
    pub fn resolve_province(&self, given: &str) -> Result<String, UnknownName> {
        Ok(format!("/{}", given.trim()))
    }

    /// Region facet path for a prefecture-level city.
    pub fn resolve_city(&self, given: &str) -> Result<String, UnknownName> {
        Err(UnknownName { kind: "city", given: given.to_string(), suggestions: vec![] })
    }

    /// Category facet path for a path or a leaf name.
    pub fn resolve_category(&self, given: &str) -> Result<String, UnknownName> {
        Ok(if given.starts_with('/') { given.to_string() } else { format!("/{given}") })
    }
}

//! Metadata extraction: issuing region, publication date, crime categories.
//!
//! An [`Extractor`] is built once from the schema data in `index-schema/` (the gazetteer
//! `regions.csv` and the rules `categories.toml`, either embedded or overridden from a
//! folder) and then shared by all indexing threads: everything expensive (automata,
//! regular expressions) is compiled in [`Extractor::load`], and [`Extractor::extract`] only
//! reads the text. Region and date look at a bounded prefix of the document, categories at
//! all of it; all matching is done on text folded to simplified script and half-width
//! digits ([`fold`]), so traditional-script bulletins and full-width dates work the same.
//!
//! Metadata the file states about itself (`SourceDoc::hints`) wins over extraction when it
//! makes sense: a hint date that parses, a hint province or city the gazetteer knows, hint
//! categories that name a known facet path.

pub mod category;
pub mod date;
pub mod region;

use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;

use crate::bulletin::Region;
use crate::resources::{ResourceError, Resources};
use crate::source::SourceDoc;

pub use category::CategoryRules;
pub use date::DateFinder;
pub use region::{Gazetteer, NATIONAL};

/// How much of the body region and date extraction read (bytes). The issuing authority,
/// the dateline and the lead sit at the top; reading further costs time and adds noise
/// (related-article lists, footers).
const PREFIX_BYTES: usize = 8192;

/// What extraction found for one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    pub date: Option<NaiveDate>,
    pub region: Region,
    pub categories: Vec<String>,
}

/// Holds the loaded gazetteer, category rules and date patterns; build once, share across
/// threads.
#[derive(Debug)]
pub struct Extractor {
    gazetteer: Gazetteer,
    categories: CategoryRules,
    dates: DateFinder,
}

impl Extractor {
    /// Extractor from the embedded `index-schema/` data, with files in `overrides`
    /// (if given) replacing the embedded ones.
    pub fn load(overrides: Option<&Path>) -> Result<Self, ResourceError> {
        Self::from_resources(&Resources::with_overrides(overrides))
    }

    /// Extractor from already chosen schema resources.
    pub fn from_resources(res: &Resources) -> Result<Self, ResourceError> {
        Ok(Extractor {
            gazetteer: Gazetteer::parse(&res.get("regions.csv")?)?,
            categories: CategoryRules::parse(&res.get("categories.toml")?)?,
            dates: DateFinder::new(),
        })
    }

    /// The gazetteer, for resolving `--province`/`--city` arguments.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The category rules, for resolving `--category` arguments and listing facets.
    pub fn categories(&self) -> &CategoryRules {
        &self.categories
    }

    pub fn extract(&self, doc: &SourceDoc) -> Metadata {
        let title = fold(&doc.title);
        let body = fold(&doc.body);
        let mut text = String::with_capacity(title.len() + 1 + body.len());
        text.push_str(&title);
        text.push('\n');
        text.push_str(&body);
        let title_end = title.len();
        let prefix = &text[..floor_char(&text, (title_end + 1 + PREFIX_BYTES).min(text.len()))];
        let lead = lead_range(prefix, title_end + 1);

        let hints = &doc.hints;
        let date = hints
            .date
            .as_deref()
            .and_then(|d| self.dates.parse_hint(d))
            .or_else(|| self.dates.find(prefix, lead.clone()));

        let hinted = self.gazetteer.resolve_hint(hints.province.as_deref(), hints.city.as_deref());
        let region = match hinted {
            Some(r) => r,
            None => self.gazetteer.locate(prefix, title_end, lead.end),
        };

        let mut categories = self.categories.classify(&text);
        for c in hints.categories.iter().filter_map(|c| self.categories.resolve(c)) {
            if !categories.contains(&c) {
                categories.push(c);
            }
        }
        Metadata { date, region, categories }
    }
}

/// Fold text for matching: traditional → simplified (fast2s, character by character) and
/// full-width ASCII (digits, colons, slashes) → half-width, ideographic space → space.
/// Byte offsets change, so every rule works on folded text only.
pub fn fold(s: &str) -> String {
    let simplified = fast2s::convert(s);
    let needs_work = simplified
        .chars()
        .any(|c| ('\u{FF01}'..='\u{FF5E}').contains(&c) || c == '\u{3000}' || c == '(');
    if !needs_work {
        return simplified;
    }
    let mut out = String::with_capacity(simplified.len());
    let mut rest = simplified.as_str();
    let mut prev_cjk = false;
    while let Some(c) = rest.chars().next() {
        // Pages run through a converter carry pinyin after characters: 養(yǎng)老詐騙.
        if c == '(' && prev_cjk {
            if let Some(len) = pinyin_annotation(rest) {
                rest = &rest[len..];
                continue;
            }
        }
        prev_cjk = is_cjk(c);
        out.push(fold_width(c));
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Byte length of a `(pinyin)` annotation at the start of `s`, if it is one.
fn pinyin_annotation(s: &str) -> Option<usize> {
    let mut letters = 0;
    let mut vowel = false;
    for (i, c) in s.char_indices().skip(1).take(8) {
        if c == ')' {
            return (letters > 0 && vowel).then_some(i + 1);
        }
        let toned = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü".contains(c);
        if !(c.is_ascii_lowercase() || toned) {
            return None;
        }
        letters += 1;
        vowel |= toned || "aeiou".contains(c);
    }
    None
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

fn fold_width(c: char) -> char {
    match c {
        // Chinese sentence punctuation stays; the rest (digits, ：, ／, －) goes half-width.
        '\u{FF01}'..='\u{FF5E}' if !"，；？！（）".contains(c) => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// The first real paragraph after `from`: a line of at least 40 characters with sentence
/// punctuation (navigation, bylines and titles have none). Falls back to the next 600 bytes.
fn lead_range(text: &str, from: usize) -> Range<usize> {
    let mut pos = from.min(text.len());
    for line in text[pos..].split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.chars().count() >= 40 && trimmed.contains(['，', ',', '。', '；']) {
            return pos..pos + line.len();
        }
        pos += line.len();
    }
    let start = from.min(text.len());
    start..floor_char(text, (start + 600).min(text.len()))
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

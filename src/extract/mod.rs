//! Metadata extraction: issuing region, publication date, crime categories.
//!
//! An [`Extractor`] is built once from the schema data in `index-schema/` (the gazetteer
//! `regions.csv` and the rules `categories.toml`, either embedded or overridden from a
//! folder) and then shared by all indexing threads: everything expensive (automata,
//! regular expressions) is compiled in [`Extractor::load`], and [`Extractor::extract`] only
//! reads the text. Region and date look at a bounded prefix of the document, categories at
//! all of it; all matching is done on folded text (simplified script, half-width, lower
//! case, converter pinyin dropped: [`fold`](crate::analysis::fold)), so traditional-script bulletins and
//! full-width dates work the same, and rules are written in that form.
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

// The one fold (the submodules use it as `super::fold`).
use crate::analysis::{fold, Folds};
use crate::bulletin::Region;
use crate::chars::floor_boundary;
use crate::resources::{ResourceError, Resources};
use crate::source::{HintOrigin, SourceDoc};

pub use category::CategoryRules;
pub use date::{DateFinder, DateSource, Dated};
pub use region::Gazetteer;

/// Version of the metadata rules (dates, regions, categories in code): part of the index
/// fingerprint, so an index extracted by older rules is rebuilt rather than kept with
/// dates and regions the current rules would not give.
pub(crate) const RULES_VERSION: u32 = 2;

/// How much of the body region and date extraction read (bytes). The issuing authority,
/// the dateline and the lead sit at the top; reading further costs time and adds noise
/// (related-article lists, footers).
const PREFIX_BYTES: usize = 8192;

/// What extraction found for one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    pub date: Option<NaiveDate>,
    /// Where the date came from (`None` when undated).
    pub date_source: Option<DateSource>,
    pub region: Region,
    pub categories: Vec<String>,
}

/// Holds the loaded gazetteer, category rules and date patterns; build once, share across
/// threads.
#[derive(Debug)]
pub struct Extractor {
    gazetteer: Gazetteer,
    categories: std::sync::Arc<CategoryRules>,
    dates: DateFinder,
}

impl Extractor {
    /// Extractor from the embedded `index-schema/` data, with files in `overrides`
    /// (if given) replacing the embedded ones.
    pub fn load(overrides: Option<&Path>) -> Result<Self, ResourceError> {
        Self::from_resources(&Resources::with_overrides(overrides))
    }

    /// An extractor for resolving search filters and category names: the same data, but
    /// the automata that scan document text are built only if it is asked to extract,
    /// which a search never does (they cost tens of milliseconds per process).
    pub fn for_search(overrides: Option<&Path>) -> Result<Self, ResourceError> {
        let res = Resources::with_overrides(overrides);
        Ok(Extractor {
            gazetteer: Gazetteer::parse_names(&res.get("regions.csv")?)?,
            categories: std::sync::Arc::new(CategoryRules::parse(&res.get("categories.toml")?)?),
            dates: DateFinder::default(),
        })
    }

    /// Extractor from already chosen schema resources.
    pub(crate) fn from_resources(res: &Resources) -> Result<Self, ResourceError> {
        Ok(Extractor {
            gazetteer: Gazetteer::parse_with_mastheads(&res.get("regions.csv")?, &res.get("mastheads.csv")?)?,
            categories: std::sync::Arc::new(CategoryRules::parse(&res.get("categories.toml")?)?),
            dates: DateFinder::new(date::parse_occasions(&res.get("occasions.csv")?)?),
        })
    }

    /// The gazetteer, for resolving `--province`/`--city` arguments.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The date rules (with the numbered occasions loaded).
    pub fn dates(&self) -> &DateFinder {
        &self.dates
    }

    /// The category rules, for resolving `--category` arguments and listing facets.
    pub fn categories(&self) -> &CategoryRules {
        &self.categories
    }

    /// The category rules, shared (search keeps them for the length of a query).
    pub fn category_rules(&self) -> std::sync::Arc<CategoryRules> {
        self.categories.clone()
    }

    /// Metadata of a read document.
    pub fn extract(&self, doc: &SourceDoc) -> Metadata {
        self.extract_folded(doc, &Folds::new(&doc.title, &doc.body))
    }

    /// Metadata of a read document whose title and body are already folded (indexing folds
    /// once and shares the fold with SimHash and the indexed fields).
    pub(crate) fn extract_folded(&self, doc: &SourceDoc, folds: &Folds) -> Metadata {
        let (title, body) = (folds.title.text(), folds.body.text());
        let mut text = String::with_capacity(title.len() + 1 + body.len());
        text.push_str(title);
        text.push('\n');
        text.push_str(body);
        let title_end = title.len();
        let prefix = &text[..floor_boundary(&text, title_end + 1 + PREFIX_BYTES)];
        let lead = lead_range(prefix, title_end + 1);

        let hints = &doc.hints;
        let stated = hints.date.as_deref().and_then(|d| self.dates.parse_hint(d)).map(|date| Dated {
            date,
            source: match hints.date_origin {
                Some(HintOrigin::Sidecar) => DateSource::Sidecar,
                Some(HintOrigin::Meta) => DateSource::Meta,
                Some(HintOrigin::FrontMatter) | None => DateSource::FrontMatter,
            },
        });
        let outside = date::Outside { url: hints.url.as_deref(), path: Some(doc.path.as_path()) };
        let dated = stated.or_else(|| self.dates.find(prefix, lead.clone(), outside));

        let hinted = self.gazetteer.resolve_hint(hints.province.as_deref(), hints.city.as_deref());
        let region = match hinted {
            Some(r) => r,
            None => self.gazetteer.locate(prefix, title_end, lead.end, &hints.channel),
        };

        let mut categories = self.categories.classify(&text);
        for c in hints.categories.iter().filter_map(|c| self.categories.resolve(c)) {
            if !categories.contains(&c) {
                categories.push(c);
            }
        }
        Metadata { date: dated.map(|d| d.date), date_source: dated.map(|d| d.source), region, categories }
    }
}

/// The first real paragraph after `from`: a line of at least 40 characters with sentence
/// punctuation (navigation, bylines and titles have none). Falls back to the next 600 bytes.
fn lead_range(text: &str, from: usize) -> Range<usize> {
    let mut pos = from.min(text.len());
    for line in text[pos..].split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.chars().count() >= 40 && trimmed.contains([',', '。', ';']) {
            return pos..pos + line.len();
        }
        pos += line.len();
    }
    let start = from.min(text.len());
    start..floor_boundary(text, start + 600)
}

/// Shared fixtures for the extractor tests: one `Extractor` from the embedded schema data
/// (building the automata once keeps the tests fast) and documents built by hand.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::PathBuf;

    use std::sync::LazyLock;

    use super::Extractor;
    use crate::bulletin::Format;
    use crate::source::{Hints, SourceDoc};

    pub(crate) static EXTRACTOR: LazyLock<Extractor> = LazyLock::new(|| Extractor::load(None).expect("embedded schema data loads"));

    pub fn doc(title: &str, body: &str) -> SourceDoc {
        SourceDoc {
            path: PathBuf::from("test.txt"),
            format: Format::Text,
            encoding: "UTF-8".into(),
            title: title.into(),
            body: body.into(),
            hints: Hints::default(),
            warnings: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{doc, EXTRACTOR};
    use super::*;

    /// Rules match the fold: traditional script, full-width digits and punctuation, Latin
    /// capitals (an `O` for zero in a year) and converter pinyin all read as written in
    /// simplified, half-width lower case.
    #[test]
    fn rules_read_folded_text() {
        let cases = [
            (
                "英德市公安局通報",
                "發布時間：２０２２－０８－２８\n近日，英德市公安局破獲一起詐騙案件，抓獲犯罪嫌疑人３名，追繳贓款１２萬元。",
                Some("2022-08-28"),
                "/广东省/清远市",
                "/诈骗",
            ),
            (
                "",
                "清遠市公安局\n二OO八年五月十二日\n清遠市公安局打擊整治養(yǎng)老詐騙專(zhuān)項行動取得階段性成效，破獲案件１２起。",
                Some("2008-05-12"),
                "/广东省/清远市",
                "/诈骗/养老诈骗",
            ),
        ];
        for (title, body, date, region, category) in cases {
            let m = EXTRACTOR.extract(&doc(title, body));
            assert_eq!(m.date.map(|d| d.to_string()).as_deref(), date, "{body}");
            assert_eq!(m.region.facet_path().as_deref(), Some(region), "{body}");
            assert!(m.categories.iter().any(|c| c.starts_with(category)), "{body}: {:?}", m.categories);
        }
    }

    #[test]
    fn hints_override_extraction() {
        let mut d = doc("福州公安紧急提醒", "福州市公安局提醒：谨防电信网络诈骗。");
        d.hints.date = Some("Tue, 16 Aug 2022 23:09:09 GMT".into());
        d.hints.province = Some("桂".into());
        d.hints.city = Some("梧州".into());
        d.hints.categories = vec!["毒品".into(), "本站新闻".into()];
        let m = EXTRACTOR.extract(&d);
        assert_eq!(m.date, NaiveDate::from_ymd_opt(2022, 8, 16));
        assert_eq!(m.region.province.as_deref(), Some("广西壮族自治区"));
        assert_eq!(m.region.city.as_deref(), Some("梧州市"));
        assert_eq!(m.categories, vec!["/诈骗/电信网络诈骗".to_string(), "/毒品".to_string()]);
    }

    #[test]
    fn overrides_replace_embedded_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("categories.toml"), "[[category]]\npath = \"/测试\"\ncues = [\"演练\"]\n").expect("write override");
        let ex = Extractor::load(Some(dir.path())).expect("override loads");
        let m = ex.extract(&doc("", "英德市公安局开展反恐演练。"));
        assert_eq!(m.categories, vec!["/测试".to_string()]);
        assert_eq!(m.region.facet_path().as_deref(), Some("/广东省/清远市"));

        std::fs::write(dir.path().join("categories.toml"), "[[category]]\npath = 1").expect("write override");
        let err = Extractor::load(Some(dir.path())).expect_err("invalid override").to_string();
        assert!(err.starts_with("categories.toml:"), "{err}");
    }

    #[test]
    fn unresolvable_hints_fall_back_to_the_text() {
        let mut d = doc("", "近日，英德市公安局破获一起盗窃案。");
        d.hints.province = Some("火星".into());
        d.hints.date = Some("sometime".into());
        let m = EXTRACTOR.extract(&d);
        assert_eq!(m.region.facet_path().as_deref(), Some("/广东省/清远市"));
        assert_eq!(m.date, None);
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
    pub(crate) fn resolve_province(&self, given: &str) -> Result<String, UnknownName> {
        match self.gazetteer.resolve_province(given) {
            Some(p) => Ok(format!("/{p}")),
            None => Err(UnknownName { kind: "province", given: given.to_string(), suggestions: self.gazetteer.suggest_province(given) }),
        }
    }

    /// Region facet path for a prefecture-level city (`清远`, `广东/清远`, `英德市`).
    /// A municipality given as a city (`北京`) filters the municipality.
    pub(crate) fn resolve_city(&self, given: &str) -> Result<String, UnknownName> {
        if let Some((p, c)) = self.gazetteer.resolve_city(given) {
            return Ok(format!("/{p}/{c}"));
        }
        if let Some(p) = self.gazetteer.resolve_province(given) {
            if p.ends_with('市') {
                return Ok(format!("/{p}"));
            }
        }
        if let Some((name, province)) = self.gazetteer.direct_province(given) {
            return Err(UnknownName {
                kind: "city",
                given: given.to_string(),
                suggestions: vec![format!("--province {province} ({name} is run by {province} directly, with no prefecture above it)")],
            });
        }
        Err(UnknownName {
            kind: "city",
            given: given.to_string(),
            suggestions: vec!["a prefecture-level name such as 清远 or 广东/清远 (ambiguous names need the province)".into()],
        })
    }

    /// Category facet path for a path or a leaf name.
    pub(crate) fn resolve_category(&self, given: &str) -> Result<String, UnknownName> {
        self.categories.resolve(given).ok_or_else(|| {
            let key = fold(given.trim().trim_matches('/'));
            let all = self.categories.all_paths();
            let mut suggestions: Vec<String> = all.iter().filter(|p| key.chars().any(|c| p.contains(c))).take(5).cloned().collect();
            if suggestions.is_empty() {
                suggestions = all.iter().filter(|p| p.matches('/').count() == 1).cloned().collect();
            }
            UnknownName { kind: "category", given: given.to_string(), suggestions }
        })
    }
}

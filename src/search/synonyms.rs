//! Synonyms and police jargon: how people ask versus how bulletins say it.
//!
//! People type 喝酒开车, 电诈, 偷东西 or 黑社会; bulletins write 酒驾/醉驾, 电信网络诈骗, 盗窃
//! and 涉黑/黑恶势力. `index-schema/synonyms.toml` (format documented at its top) lists
//! such phrasings; this module loads it and finds its entries inside a query item, also
//! where the phrase is only part of what was typed (昨晚喝酒开车被查 contains 喝酒开车).
//! Everything is folded first, so traditional-script and full-width queries hit the same
//! entries. Expansion is query-time only: editing the file never needs a re-index.

use std::collections::HashMap;

use serde::Deserialize;

use crate::analysis::fold;
use crate::resources::{ResourceError, Resources};

/// Alternatives kept per entry; more would make every query a large OR.
pub(crate) const MAX_ALTERNATIVES: usize = 8;
/// Alternatives added to one query in all, so a pasted paragraph stays cheap.
pub(crate) const MAX_EXPANSIONS_PER_QUERY: usize = 24;

const FILE: &str = "synonyms.toml";

/// The loaded synonyms: folded phrase → folded alternatives (never including itself).
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    map: HashMap<String, Vec<String>>,
    /// Longest key in characters, bounding the substring search.
    longest: usize,
}

/// An entry found in a query text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'a> {
    /// Character range of the phrase in the folded text.
    pub start: usize,
    pub end: usize,
    pub alternatives: &'a [String],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    equivalent: Vec<Vec<String>>,
    #[serde(default)]
    colloquial: HashMap<String, Vec<String>>,
    #[serde(default)]
    abbreviations: HashMap<String, Vec<String>>,
}

impl Synonyms {
    /// Parse the TOML text of a synonyms file.
    pub fn parse(text: &str) -> Result<Synonyms, ResourceError> {
        let file: File = toml::from_str(text).map_err(|e| ResourceError::Invalid { name: FILE.to_string(), reason: e.to_string() })?;
        let mut s = Synonyms::default();
        for group in &file.equivalent {
            for member in group {
                s.add(member, group.iter().filter(|m| *m != member));
            }
        }
        // Sorted so that the file's HashMap order never changes which alternatives survive.
        let mut abbreviations: Vec<_> = file.abbreviations.iter().collect();
        abbreviations.sort();
        for (short, longs) in abbreviations {
            if let Some(long) = longs.iter().find(|l| !abbreviates(short, l)) {
                return Err(ResourceError::Invalid {
                    name: FILE.to_string(),
                    reason: format!(
                        "[abbreviations] {short:?} does not abbreviate {long:?}: its characters must all occur in the long form, in order, and it must be shorter (put other pairs under `equivalent`)"
                    ),
                });
            }
            let group: Vec<String> = std::iter::once(short).chain(longs).cloned().collect();
            for member in &group {
                s.add(member, group.iter().filter(|m| *m != member));
            }
        }
        let mut colloquial: Vec<_> = file.colloquial.iter().collect();
        colloquial.sort();
        for (key, alts) in colloquial {
            s.add(key, alts.iter());
        }
        Ok(s)
    }

    /// The synonyms in force: the override in `--schema-dir` or the embedded file.
    pub fn load(resources: &Resources) -> Result<Synonyms, ResourceError> {
        Synonyms::parse(&resources.get(FILE)?)
    }

    fn add<'a>(&mut self, key: &str, alts: impl Iterator<Item = &'a String>) {
        let key = fold(key.trim());
        // One character is already a prefix search over everything it begins.
        if key.chars().count() < 2 {
            return;
        }
        let entry = self.map.entry(key.clone()).or_default();
        for alt in alts {
            let alt = fold(alt.trim());
            if !alt.is_empty() && alt != key && !entry.contains(&alt) && entry.len() < MAX_ALTERNATIVES {
                entry.push(alt);
            }
        }
        self.longest = self.longest.max(key.chars().count());
    }

    /// Number of phrases with alternatives.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Alternatives of exactly this phrase (folded or not).
    pub fn get(&self, phrase: &str) -> Option<&[String]> {
        self.map.get(&fold(phrase)).map(Vec::as_slice).filter(|a| !a.is_empty())
    }

    /// Entries occurring in `folded` (already folded), longest first at each position,
    /// left to right, not overlapping.
    pub fn find(&self, folded: &str) -> Vec<Found<'_>> {
        let chars: Vec<char> = folded.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let mut hit = None;
            let max = self.longest.min(chars.len() - i);
            for len in (2..=max).rev() {
                let piece: String = chars[i..i + len].iter().collect();
                if let Some(alts) = self.map.get(&piece).filter(|a| !a.is_empty()) {
                    hit = Some((len, alts.as_slice()));
                    break;
                }
            }
            match hit {
                Some((len, alternatives)) => {
                    out.push(Found { start: i, end: i + len, alternatives });
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }
}

/// The characters `keep` of `chars` with the found phrase at `phrase` (inside `keep`)
/// replaced by `alternative`: the text that is segmented for an alternative. The planner
/// builds its alternative queries from it, and the query-only dictionary is built from the
/// same texts, so both always agree on what gets segmented. Indices are in characters and
/// clamped to the text.
pub(crate) fn substitute(chars: &[char], keep: std::ops::Range<usize>, phrase: std::ops::Range<usize>, alternative: &str) -> String {
    let len = chars.len();
    let (ps, pe) = (phrase.start.min(len), phrase.end.min(len));
    let (ks, ke) = (keep.start.min(ps), keep.end.clamp(pe, len.max(pe)));
    let mut out = String::with_capacity((ke - ks) * 3 + alternative.len());
    out.extend(&chars[ks..ps]);
    out.push_str(alternative);
    out.extend(&chars[pe..ke]);
    out
}

/// Whether `short` is an abbreviation of `long` the way police write them: shorter, and
/// made of the long form's characters in their order (贩毒 ← 贩卖毒品, 电诈 ← 电信网络诈骗).
pub(crate) fn abbreviates(short: &str, long: &str) -> bool {
    let (short, long) = (fold(short.trim()), fold(long.trim()));
    if short.chars().count() < 2 || short.chars().count() >= long.chars().count() {
        return false;
    }
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|l| l == c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitute_replaces_the_phrase_and_keeps_what_is_asked() {
        let chars: Vec<char> = "严查喝酒开车行为".chars().collect();
        let cases: &[(std::ops::Range<usize>, std::ops::Range<usize>, &str, &str)] = &[
            (0..8, 2..6, "酒驾", "严查酒驾行为"),
            (2..6, 2..6, "醉驾", "醉驾"),
            (1..7, 2..6, "酒驾", "查酒驾行"),
            // A keep range narrower than the phrase still keeps the whole alternative.
            (3..4, 2..6, "酒驾", "酒驾"),
            // Out-of-range indices are clamped, never a panic.
            (0..99, 6..99, "。", "严查喝酒开车。"),
        ];
        for (keep, phrase, alt, want) in cases {
            assert_eq!(substitute(&chars, keep.clone(), phrase.clone(), alt), *want, "{keep:?} {phrase:?}");
        }
    }

    fn embedded() -> Synonyms {
        Synonyms::load(&Resources::embedded()).expect("embedded synonyms.toml parses")
    }

    #[test]
    fn embedded_file_is_broad() {
        let s = embedded();
        assert!(s.len() >= 100, "only {} entries", s.len());
    }

    #[test]
    fn colloquial_and_short_forms_reach_bulletin_language() {
        let s = embedded();
        let cases = [
            ("喝酒开车", "酒驾"),
            ("喝酒开车", "醉驾"),
            ("电诈", "电信网络诈骗"),
            ("骗老人", "养老诈骗"),
            ("黑社会", "涉黑"),
            ("偷东西", "盗窃"),
            ("拐孩子", "拐卖儿童"),
            ("吸毒贩毒", "涉毒"),
            ("网赌", "网络赌博"),
            ("两抢一盗", "抢劫"),
            // Equivalence runs both ways.
            ("电信网络诈骗", "电诈"),
            // Traditional script folds to the same entry.
            ("電詐", "电信网络诈骗"),
        ];
        for (query, want) in cases {
            let alts = s.get(query).unwrap_or_else(|| panic!("no entry for {query}"));
            assert!(alts.iter().any(|a| a == want), "{query} → {alts:?} lacks {want}");
            assert!(!alts.iter().any(|a| a == &fold(query)), "{query} lists itself");
        }
    }

    #[test]
    fn finds_phrases_inside_longer_text_longest_first() {
        let s = Synonyms::parse("equivalent = [[\"电诈\", \"电信网络诈骗\"]]\n[colloquial]\n\"喝酒开车\" = [\"酒驾\", \"醉驾\"]\n\"喝酒\" = [\"饮酒\"]\n")
            .expect("parses");
        let found = s.find("昨晚喝酒开车被查");
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].start, found[0].end), (2, 6));
        assert_eq!(found[0].alternatives, ["酒驾", "醉驾"]);
        let found = s.find("喝酒和电诈");
        assert_eq!(found.iter().map(|f| (f.start, f.end)).collect::<Vec<_>>(), vec![(0, 2), (3, 5)]);
        assert!(s.find("养老诈骗").is_empty());
    }

    #[test]
    fn police_abbreviations_and_long_forms_find_each_other() {
        let s = embedded();
        let pairs = [
            ("贩毒", "贩卖毒品"),
            ("假药", "假冒药品"),
            ("入室盗窃", "入户盗窃"),
            ("电诈", "电信网络诈骗"),
            ("刑拘", "刑事拘留"),
            ("网暴", "网络暴力"),
            ("醉驾", "醉酒驾驶"),
            ("帮信", "帮助信息网络犯罪活动"),
        ];
        for (a, b) in pairs {
            for (from, to) in [(a, b), (b, a)] {
                let alts = s.get(from).unwrap_or_else(|| panic!("no entry for {from}"));
                assert!(alts.iter().any(|x| x == to), "{from} → {alts:?} lacks {to}");
            }
        }
        // Shorthand for several crimes reaches each of them (one way).
        for (short, want) in [("两抢一盗", "抢劫"), ("两抢一盗", "盗窃"), ("黄赌毒", "涉赌"), ("盗抢骗", "诈骗")] {
            let alts = s.get(short).unwrap_or_else(|| panic!("no entry for {short}"));
            assert!(alts.iter().any(|x| x == want), "{short} → {alts:?} lacks {want}");
        }
    }

    #[test]
    fn an_abbreviation_is_the_long_forms_characters_in_order() {
        let cases = [
            ("贩毒", "贩卖毒品", true),
            ("电诈", "电信网络诈骗", true),
            ("假药", "假冒药品", true),
            ("網暴", "网络暴力", true),
            ("入室盗窃", "入户盗窃", false),
            ("毒贩", "贩卖毒品", false),
            ("贩卖毒品", "贩毒", false),
            ("药", "假冒药品", false),
        ];
        for (short, long, want) in cases {
            assert_eq!(abbreviates(short, long), want, "{short} / {long}");
        }
        let err = Synonyms::parse("[abbreviations]\n\"毒贩\" = [\"贩卖毒品\"]\n").unwrap_err().to_string();
        assert!(err.contains("毒贩") && err.contains("equivalent"), "{err}");
        let ok = Synonyms::parse("[abbreviations]\n\"刑拘\" = [\"刑事拘留\"]\n").expect("parses");
        assert_eq!(ok.get("刑事拘留"), Some(&["刑拘".to_string()][..]));
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let err = Synonyms::parse("equivalent = \"not a list\"").unwrap_err().to_string();
        assert!(err.contains("synonyms.toml"), "{err}");
        assert!(Synonyms::parse("").expect("empty is fine").is_empty());
    }
}

//! The issuing region: the gazetteer (`index-schema/regions.csv`) and the rules that find
//! the *publishing authority's* region in a bulletin.
//!
//! A bulletin names many places: where a crime happened, where a suspect came from, the
//! reporter's dateline, street names in the page chrome. The facet wants the place of the
//! authority that issued it, so the rules look for places written as part of a police unit
//! (`连云港市公安局`, `周口公安`, `铁西警方`, `苍梧交警大队`, `公安东丽分局`) and take the
//! first such authority; national bodies (`公安部`, `国家禁毒办`) give `全国`. Only when no
//! authority is named does the most prominent place (title, then the lead) decide. A unit
//! written without its place (`市公安局`) is the page's own: its breadcrumb channel, wire
//! dateline or credited regional paper (`index-schema/mastheads.csv`) says where.
//!
//! County short names are often everyday words (公安县 → 公安, 平安区 → 平安), so a county
//! counts only by its full name or right before a police unit, and names shared by several
//! places (鼓楼区 ×4, 铁西区 ×3, 吉林 province and city) are settled by the places named
//! next to them or elsewhere in the text.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, MatchKind};

use crate::bulletin::Region;
use crate::resources::ResourceError;

use super::fold;

/// Name of the national pseudo-province.
pub(crate) const NATIONAL: &str = "全国";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Province,
    City,
    County,
}

/// One line of `regions.csv`, by column (see the comment header of that file).
#[derive(Debug, serde::Deserialize)]
struct Row {
    code: String,
    level: RowLevel,
    name: String,
    short: String,
    aliases: String,
    province: String,
    city: String,
    #[serde(default)]
    flags: String,
}

/// The `level` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum RowLevel {
    Province,
    City,
    County,
    Former,
}

/// A `ResourceError` naming a line of one of the gazetteer's files.
fn invalid_line(file: &str, line: u64, reason: impl std::fmt::Display) -> ResourceError {
    ResourceError::Invalid { name: file.into(), reason: format!("line {line}: {reason}") }
}

/// The rows of `regions.csv` with their line numbers, each read when asked for. The header
/// row is optional (an override may leave it out), so rows are read by position and a
/// first row that names the columns is skipped.
fn region_rows(csv: &str) -> impl Iterator<Item = Result<(u64, Row), ResourceError>> + '_ {
    let invalid = |line: u64, reason: String| invalid_line("regions.csv", line, reason);
    let reader = ::csv::ReaderBuilder::new().has_headers(false).comment(Some(b'#')).flexible(true).trim(::csv::Trim::All).from_reader(csv.as_bytes());
    reader.into_records().enumerate().filter_map(move |(i, record)| {
        let record = match record {
            Ok(r) => r,
            Err(e) => return Some(Err(invalid(e.position().map_or(0, |p| p.line()), e.to_string()))),
        };
        if i == 0 && record.get(0) == Some("code") {
            return None;
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.len() < 7 {
            return Some(Err(invalid(line, "expected 8 columns: code,level,name,short,aliases,province,city,flags".into())));
        }
        Some(record.deserialize(None).map(|row| (line, row)).map_err(|e| invalid(line, e.to_string())))
    })
}

impl Row {
    /// The unit's level, and whether it is a former name whose successor is coded as a
    /// prefecture (襄樊 → 襄阳): such a name behaves like a city, other former names like
    /// a county (or a province, for a province's code).
    fn level(&self) -> (Level, bool) {
        match self.level {
            RowLevel::Province => (Level::Province, false),
            RowLevel::City => (Level::City, false),
            RowLevel::County => (Level::County, false),
            RowLevel::Former => {
                let city_like = self.code.ends_with("00") && !self.city.is_empty();
                let level = if self.code.ends_with("0000") {
                    Level::Province
                } else if city_like {
                    Level::City
                } else {
                    Level::County
                };
                (level, city_like)
            }
        }
    }
}

/// The units of `regions.csv` as they are read, with the names that resolve to them.
#[derive(Default)]
struct Places {
    units: Vec<Unit>,
    /// Every folded name (full, short, alias, former) → units, for resolving user input.
    names: HashMap<String, Vec<usize>>,
    /// The names looked for in text, with the form each is written in.
    text_names: HashMap<String, Vec<(usize, Form)>>,
}

impl Places {
    /// Add one row: its unit, and its full name, short name and aliases.
    fn add(&mut self, row: Row) -> Result<(), &'static str> {
        let flags: Vec<&str> = row.flags.split('|').collect();
        let (level, city_level_successor) = row.level();
        let former = row.level == RowLevel::Former;
        let name = fold(&row.name);
        let province = fold(&row.province);
        if name.is_empty() || province.is_empty() {
            return Err("empty name or province");
        }
        // A county-level city or county run by the province itself (济源, 仙桃, 琼海)
        // is no prefecture: its bulletins have the province and no city.
        let province_direct = flags.contains(&"province_direct");
        let city = Some(fold(&row.city)).filter(|c| !c.is_empty() && !province_direct);
        let idx = self.units.len();
        self.units.push(Unit { level, name: name.clone(), province, city, province_direct });

        let word = flags.contains(&"word");
        let zone = flags.contains(&"zone");
        self.names.entry(name.clone()).or_default().push(idx);
        // Full names of two characters (城区, 郊区, 矿区) are everyday words too.
        let full_form = if level == Level::County && name.chars().count() <= 2 { Form::AuthorityOnly } else { Form::Full };
        self.text_names.entry(name).or_default().push((idx, full_form));
        let short = fold(&row.short);
        if short.chars().count() >= 2 && !zone {
            self.names.entry(short.clone()).or_default().push(idx);
            let form = match level {
                Level::Province => Form::Short,
                Level::City if !word && (!former || city_level_successor) => Form::Short,
                _ => Form::AuthorityOnly,
            };
            self.text_names.entry(short).or_default().push((idx, form));
        }
        for alias in row.aliases.split('|').map(fold).filter(|a| !a.is_empty()) {
            self.names.entry(alias.clone()).or_default().push(idx);
            if alias.chars().count() >= 2 {
                self.text_names.entry(alias).or_default().push((idx, Form::Full));
            }
        }
        Ok(())
    }
}

/// The strings the automaton looks for and what each means: the place names, then the
/// national bodies, police units and noise words whose spelling no place name took.
fn scan_patterns(text_names: HashMap<String, Vec<(usize, Form)>>) -> (Vec<String>, Vec<Pattern>) {
    let mut strings: Vec<String> = Vec::new();
    let mut patterns = Vec::new();
    let mut taken: HashSet<String> = HashSet::new();
    for (s, entries) in text_names {
        taken.insert(s.clone());
        strings.push(s);
        patterns.push(Pattern::Place(entries));
    }
    let fixed = NATIONAL_STRONG
        .iter()
        .map(|s| (*s, Pattern::National { strong: true }))
        .chain(NATIONAL_WEAK.iter().map(|s| (*s, Pattern::National { strong: false })))
        .chain(["公安厅", "省公安厅"].map(|s| (s, Pattern::Police { provincial: true })))
        .chain(
            [("全省公安机关", false), ("我省公安机关", false), ("全省公安", false), ("全区公安机关", true), ("我区公安机关", true), ("全区公安", true)]
                .map(|(s, autonomous_only)| (s, Pattern::Collective { autonomous_only })),
        )
        .chain(["公安局", "公安分局", "公安机关"].map(|s| (s, Pattern::Police { provincial: false })))
        .chain(NOISE.iter().map(|s| (*s, Pattern::Noise)));
    for (s, p) in fixed {
        // A place name wins over a noise word of the same spelling.
        if taken.insert(s.to_string()) {
            strings.push(s.to_string());
            patterns.push(p);
        }
    }
    (strings, patterns)
}

/// One unit of the gazetteer.
#[derive(Debug, Clone)]
struct Unit {
    level: Level,
    name: String,
    province: String,
    /// Prefecture of the facet (`None` for provinces, municipal districts and the
    /// county-level units a province runs directly).
    city: Option<String>,
    /// Run by the province directly (济源, 仙桃, 琼海): no prefecture above it.
    province_direct: bool,
}

/// How a string names a unit; decides where the string may be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// Full or long name, trusted anywhere.
    Full,
    /// Short name trusted in running text (广东, 清远).
    Short,
    /// Short name that is an everyday word or a county's: only before a police unit.
    AuthorityOnly,
}

/// What a pattern of the text automaton stands for.
#[derive(Debug, Clone)]
enum Pattern {
    Place(Vec<(usize, Form)>),
    /// A national body (`公安部`); the flag says whether it is strong enough to override a
    /// local authority named later (`全国公安机关` is not).
    National {
        strong: bool,
    },
    /// A police unit word standing on its own (`省公安厅`, `市公安局`).
    Police {
        provincial: bool,
    },
    /// The police of a whole province as a body (`全省公安机关`, `全区公安机关`): the
    /// province speaks only when the news comes from that body, and `全区` is a whole
    /// province only in an autonomous region (elsewhere it is a district).
    Collective {
        autonomous_only: bool,
    },
    /// A regional paper or news site (`mastheads.csv`): credited as the story's source,
    /// it is the page's own place.
    Masthead {
        province: String,
        city: Option<String>,
    },
    /// Longer words that contain a name or a police word but mean something else
    /// (`公安部门`, `长治久安`); matching them hides the shorter match.
    Noise,
}

/// Words that make the place right before them a police authority.
const POLICE_SUFFIXES: &[&str] = &[
    "公安",
    "警方",
    "分局",
    "交警",
    "交巡警",
    "刑警",
    "特警",
    "巡警",
    "警察",
    "民警",
    "禁毒委",
    "禁毒办",
    "网警",
    "警务",
    // Border police units under the immigration administration (德宏边境管理支队).
    "边境管理",
];

/// Modifiers allowed between a place and its police unit (`北京便衣警方`, `上海铁路公安`).
const POLICE_GAPS: &[&str] = &["便衣", "铁路", "交管", "边防", "森林", "机场", "市", "县", "区", "省"];

const NATIONAL_STRONG: &[&str] = &["公安部", "国家禁毒委", "国家禁毒委员会", "国家禁毒办", "国家移民管理局", "国务院联席办", "最高人民检察院", "最高人民法院"];
const NATIONAL_WEAK: &[&str] = &["全国公安机关", "全国公安", "全国各级公安机关"];
const NOISE: &[&str] =
    &["公安部门", "公安部队", "长治久安", "大同小异", "三明治", "中山装", "中山大学", "平安健康", "新华社", "中国", "江山", "黄山松", "阿里巴巴"];

/// The gazetteer: every province, prefecture and county with its names, and one
/// automaton over all names that can appear in text. Build once with [`Gazetteer::parse`].
#[derive(Debug)]
pub struct Gazetteer {
    units: Vec<Unit>,
    /// Folded name (full, short, alias, former) → units, for resolving user input.
    names: HashMap<String, Vec<usize>>,
    /// The automaton over `strings`, built on first use: it costs tens of milliseconds,
    /// which a `search` (that only resolves names) should not pay on every run.
    ac: std::sync::OnceLock<Result<AhoCorasick, String>>,
    strings: Vec<String>,
    patterns: Vec<Pattern>,
}

impl Gazetteer {
    /// Parse `regions.csv` (see the comment header of that file for the columns) and build
    /// the automaton that finds names in text.
    pub fn parse(csv: &str) -> Result<Self, ResourceError> {
        Self::parse_names(csv)?.checked()
    }

    /// The gazetteer of `regions.csv` that also knows the papers of `mastheads.csv`, with
    /// its automaton built.
    pub(crate) fn parse_with_mastheads(csv: &str, mastheads: &str) -> Result<Self, ResourceError> {
        Self::parse_names(csv)?.with_mastheads(mastheads)?.checked()
    }

    /// Build the automaton now: bad data fails here, not in the middle of an indexing run.
    fn checked(self) -> Result<Self, ResourceError> {
        self.automaton().map_err(|e| ResourceError::Invalid { name: "regions.csv".into(), reason: format!("cannot build name automaton: {e}") })?;
        Ok(self)
    }

    /// Add the regional papers of `mastheads.csv` (columns `name,province,city`), each
    /// placed by this gazetteer: an unknown province or city is an error naming the line.
    fn with_mastheads(mut self, csv: &str) -> Result<Self, ResourceError> {
        #[derive(serde::Deserialize)]
        struct MastheadRow {
            name: String,
            province: String,
            #[serde(default)]
            city: String,
        }
        let invalid = |line: u64, reason: String| invalid_line("mastheads.csv", line, reason);
        let mut reader = ::csv::ReaderBuilder::new().comment(Some(b'#')).trim(::csv::Trim::All).from_reader(csv.as_bytes());
        let headers = reader.headers().map_err(|e| invalid(1, e.to_string()))?.clone();
        for record in reader.records() {
            let record = record.map_err(|e| invalid(e.position().map_or(0, |p| p.line()), e.to_string()))?;
            let line = record.position().map_or(0, |p| p.line());
            let row: MastheadRow = record.deserialize(Some(&headers)).map_err(|e| invalid(line, e.to_string()))?;
            let name = fold(&row.name);
            let province = self
                .resolve_province(&row.province)
                .filter(|p| *p != NATIONAL)
                .ok_or_else(|| invalid(line, format!("unknown province {}", row.province)))?
                .to_string();
            let city = if row.city.is_empty() {
                None
            } else {
                let (p, c) = self.resolve_city(&format!("{}/{}", row.province, row.city)).ok_or_else(|| invalid(line, format!("unknown city {}", row.city)))?;
                debug_assert_eq!(p, province);
                Some(c.to_string())
            };
            if name.chars().count() < 2 {
                return Err(invalid(line, format!("name too short: {}", row.name)));
            }
            // A masthead is longer than any place inside it, so the automaton's leftmost-
            // longest match reads it as the paper.
            self.strings.push(name);
            self.patterns.push(Pattern::Masthead { province, city });
        }
        self.ac = std::sync::OnceLock::new();
        Ok(self)
    }

    /// Parse without building the text-scanning automaton, for callers that only resolve
    /// names (`--province`, `--city`); [`Gazetteer::locate`] builds it when first needed.
    pub(crate) fn parse_names(csv: &str) -> Result<Self, ResourceError> {
        let mut places = Places::default();
        for row in region_rows(csv) {
            let (line, row) = row?;
            places.add(row).map_err(|reason| invalid_line("regions.csv", line, reason))?;
        }
        if places.units.is_empty() {
            return Err(invalid_line("regions.csv", 0, "no rows"));
        }
        let (strings, patterns) = scan_patterns(places.text_names);
        Ok(Gazetteer { units: places.units, names: places.names, ac: std::sync::OnceLock::new(), strings, patterns })
    }

    fn automaton(&self) -> Result<&AhoCorasick, String> {
        self.ac
            .get_or_init(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .build(&self.strings)
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Canonical province for a full name, short name or one-character abbreviation
    /// (广西壮族自治区 / 广西 / 桂 → 广西壮族自治区); `全国` for national. Traditional script
    /// and surrounding slashes are accepted.
    pub(crate) fn resolve_province(&self, input: &str) -> Option<&str> {
        let key = fold(input.trim().trim_matches('/').trim());
        if matches!(key.as_str(), "全国" | "national" | "中国" | "国家") {
            return Some(NATIONAL);
        }
        self.names.get(&key)?.iter().map(|&i| &self.units[i]).find(|u| u.level == Level::Province).map(|u| u.province.as_str())
    }

    /// Province and prefecture for a city given as `清远`, `清远市`, `/广东省/清远市`,
    /// `广东/清远`, a former name (`襄樊`) or a county-level name (`英德市` → 清远市).
    /// `None` when unknown, ambiguous, or a municipality (which has no city part).
    pub(crate) fn resolve_city(&self, input: &str) -> Option<(&str, &str)> {
        let key = fold(input.trim());
        let parts: Vec<&str> = key.split('/').map(str::trim).filter(|p| !p.is_empty()).collect();
        let (prov, name) = match parts.as_slice() {
            [name] => (None, *name),
            [prov, name] => (Some(self.resolve_province(prov)?), *name),
            _ => return None,
        };
        let candidates: Vec<&Unit> = self
            .names
            .get(name)?
            .iter()
            .map(|&i| &self.units[i])
            .filter(|u| u.level != Level::Province && u.city.is_some())
            .filter(|u| prov.is_none_or(|p| u.province == p))
            .collect();
        // Prefer prefecture-level rows (吉林 the city over any county of that name).
        let best = candidates.iter().map(|u| u.level).min()?;
        let mut found: Vec<(&str, &str)> =
            candidates.iter().filter(|u| u.level == best).filter_map(|u| Some((u.province.as_str(), u.city.as_deref()?))).collect();
        found.sort();
        found.dedup();
        match found.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// The province that runs a county-level unit directly (`济源` → 河南省), for
    /// explaining why it is no city facet.
    pub(crate) fn direct_province(&self, input: &str) -> Option<(&str, &str)> {
        let key = fold(input.trim());
        self.names.get(&key)?.iter().map(|&i| &self.units[i]).find(|u| u.province_direct).map(|u| (u.name.as_str(), u.province.as_str()))
    }

    /// Province names that look like `input`, best first, for "did you mean" messages.
    pub(crate) fn suggest_province(&self, input: &str) -> Vec<String> {
        let key = fold(input.trim());
        let chars: Vec<char> = key.chars().collect();
        let mut scored: Vec<(usize, &str)> = self
            .units
            .iter()
            .filter(|u| u.level == Level::Province && u.city.is_none() && u.name == u.province)
            .map(|u| {
                let shared = chars.iter().filter(|c| u.name.contains(**c)).count();
                (shared, u.name.as_str())
            })
            .filter(|(s, _)| *s > 0)
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        scored.into_iter().take(3).map(|(_, n)| n.to_string()).collect()
    }

    /// Region for hints written by the document itself (front matter, sidecar).
    pub(crate) fn resolve_hint(&self, province: Option<&str>, city: Option<&str>) -> Option<Region> {
        let prov = province.and_then(|p| self.resolve_province(p));
        let city = city.and_then(|c| match prov {
            Some(p) if p != NATIONAL => self.resolve_city(&format!("{p}/{c}")),
            _ => self.resolve_city(c),
        });
        match (prov, city) {
            (_, Some((p, c))) => Some(Region { province: Some(p.into()), city: Some(c.into()) }),
            (Some(p), None) => Some(Region { province: Some(p.into()), city: None }),
            (None, None) => None,
        }
    }

    /// The issuing authority's region in `text` (folded: title, a newline, the start of
    /// the body). `title_end` and `lead_end` are byte offsets that mark the title and the
    /// first real paragraph, which weigh more when no authority is named.
    ///
    /// `channel` holds the page's breadcrumb lines (`首页 > 内蒙古发布 > 正文`): an authority
    /// written without its place (`自治区公安厅`, `市公安局`) takes its region from them or
    /// from the wire dateline (`中新网北海5月8日电`) before any place the story names.
    pub fn locate(&self, text: &str, title_end: usize, lead_end: usize, channel: &[String]) -> Region {
        let scan = self.scan(text, title_end);
        let own = self.own_place(&scan, channel);
        self.decide(text, &scan, title_end, lead_end, own)
    }

    /// The page's own place: a single province (and city) named by its breadcrumb, else the
    /// place of its wire dateline, else the regional paper credited as its source.
    fn own_place(&self, scan: &Scan, channel: &[String]) -> Option<Resolved> {
        let crumbs = channel.iter().map(|c| fold(c)).collect::<Vec<_>>().join("\n");
        let from_channel = if crumbs.is_empty() {
            None
        } else {
            let s = self.scan(&crumbs, 0);
            let found: Vec<Resolved> = (0..s.places.len()).filter_map(|i| self.resolve_mention(&s, i)).collect();
            match found.as_slice() {
                [] => None,
                [first, rest @ ..] if rest.iter().all(|r| r.province == first.province) => {
                    let same_city = rest.iter().all(|r| r.city == first.city);
                    Some(Resolved { province: first.province.clone(), city: if same_city { first.city.clone() } else { None }, level: first.level })
                }
                _ => None,
            }
        };
        from_channel
            .or_else(|| {
                let i = scan.places.iter().position(|p| p.dateline)?;
                self.resolve_mention(scan, i)
            })
            .or_else(|| scan.press.clone())
    }

    fn scan(&self, text: &str, title_end: usize) -> Scan {
        let mut scan = Scan::default();
        let Ok(ac) = self.automaton() else { return scan };
        let mut at = 0;
        while let Some(m) = ac.find(aho_corasick::Input::new(text).span(at..text.len())) {
            let (start, end) = (m.start(), m.end());
            // The next search starts after this match; a name this match turns out not to
            // be (`从江` in `记者从江西…获悉`) resumes one character on instead, so the
            // overlapping name (`江西`) is still found.
            at = end;
            let retry = text[start..].chars().next().map_or(end, |c| start + c.len_utf8());
            match &self.patterns[m.pattern().as_usize()] {
                Pattern::Noise => {}
                Pattern::Masthead { province, city } => {
                    if scan.press.is_none() && is_credit(text, start, end) {
                        scan.press = Some(Resolved {
                            province: province.clone(),
                            city: city.clone(),
                            level: if city.is_some() { Level::City } else { Level::Province },
                        });
                    }
                }
                Pattern::National { strong } => {
                    let demoted = *strong && national_is_reference(text, start, end);
                    scan.events.push(Event::National { pos: start, strong: *strong && !demoted });
                }
                Pattern::Collective { autonomous_only } => {
                    if start < title_end || is_news_source(text, start, end) {
                        scan.events.push(Event::Unnamed { pos: start, provincial: true, autonomous_only: *autonomous_only });
                    }
                }
                Pattern::Police { provincial } => {
                    // `X市公安局` after a named place is part of that place's authority.
                    let named = scan.places.last().is_some_and(|p| p.end == start);
                    if !named {
                        let provincial = *provincial || text[..start].ends_with('省') || text[..start].ends_with("自治区");
                        scan.events.push(Event::Unnamed { pos: start, provincial, autonomous_only: false });
                    }
                }
                Pattern::Place(entries) => {
                    // A province's police as one body (`湖南公安机关`, `湖南省公安机关`) are
                    // no unit: like `全省公安机关`, they issue only as the news source.
                    let collective = entries.iter().all(|(u, _)| self.units[*u].level == Level::Province)
                        && ["公安机关", "省公安机关"].iter().any(|w| text[end..].starts_with(w))
                        && start >= title_end
                        && !is_news_source(text, start, end);
                    let authority = !collective && is_authority(text, start, end);
                    // A wire dateline's place is written as a place (`北海5月8日电`).
                    let dateline = is_wire_dateline(&text[end..]);
                    let chained = scan.places.last().filter(|p| p.end == start).map(|_| scan.places.len() - 1);
                    let candidates: Vec<usize> = entries.iter().filter(|(_, f)| authority || dateline || *f != Form::AuthorityOnly).map(|(u, _)| *u).collect();
                    if candidates.is_empty() || (!authority && is_not_a_place(&text[end..])) {
                        at = retry;
                        continue;
                    }
                    if let Some(prev) = chained {
                        // 湖北省公安县公安局: the authority is the last place of the chain.
                        scan.places[prev].authority = false;
                    }
                    scan.places.push(PlaceMention { start, end, candidates, authority, dateline, chained });
                }
            }
        }
        // Context: provinces and cities named unambiguously anywhere in the text.
        for p in &scan.places {
            if let [u] = p.candidates.as_slice() {
                let unit = &self.units[*u];
                scan.ctx_provinces.push(unit.province.clone());
                if let Some(c) = &unit.city {
                    scan.ctx_cities.push(c.clone());
                }
            }
        }
        scan
    }

    /// Pick one unit for a mention, or `None` when the text cannot tell.
    fn resolve_mention(&self, scan: &Scan, i: usize) -> Option<Resolved> {
        let m = &scan.places[i];
        let mut cands: Vec<usize> = m.candidates.clone();
        if cands.len() > 1 {
            // A place written right before it (成都武侯, 广东怀集县) settles it.
            if let Some(prev) = m.chained {
                let prev_units: Vec<&Unit> = scan.places[prev].candidates.iter().map(|&u| &self.units[u]).collect();
                let narrowed: Vec<usize> = cands
                    .iter()
                    .copied()
                    .filter(|&c| {
                        let u = &self.units[c];
                        prev_units.iter().any(|p| {
                            (p.level == Level::Province && p.province == u.province) || (p.level != Level::Province && p.city.is_some() && p.city == u.city)
                        })
                    })
                    .collect();
                if !narrowed.is_empty() {
                    cands = narrowed;
                }
            }
        }
        if cands.len() > 1 {
            let by_city: Vec<usize> = cands.iter().copied().filter(|&c| self.units[c].city.as_ref().is_some_and(|x| scan.ctx_cities.contains(x))).collect();
            if !by_city.is_empty() {
                cands = by_city;
            } else {
                let by_prov: Vec<usize> = cands.iter().copied().filter(|&c| scan.ctx_provinces.contains(&self.units[c].province)).collect();
                if !by_prov.is_empty() {
                    cands = by_prov;
                }
            }
        }
        if cands.len() > 1 {
            // Names at several levels (吉林, 海南): the higher level is the usual reading.
            let top = cands.iter().map(|&c| self.units[c].level).min()?;
            cands.retain(|&c| self.units[c].level == top);
        }
        let first = &self.units[*cands.first()?];
        if cands.iter().all(|&c| self.units[c].province == first.province && self.units[c].city == first.city) {
            return Some(Resolved { province: first.province.clone(), city: first.city.clone(), level: first.level });
        }
        if cands.iter().all(|&c| self.units[c].province == first.province) {
            return Some(Resolved { province: first.province.clone(), city: None, level: Level::Province });
        }
        None
    }

    fn decide(&self, text: &str, scan: &Scan, title_end: usize, lead_end: usize, own: Option<Resolved>) -> Region {
        // The first named authority that the text lets us place.
        let authority = scan.places.iter().enumerate().filter(|(_, p)| p.authority).find_map(|(i, p)| Some((p.start, self.resolve_mention(scan, i)?)));
        let first_strong_national = scan.events.iter().find_map(|e| match e {
            Event::National { pos, strong: true } => Some(*pos),
            _ => None,
        });
        let any_national = scan.events.iter().any(|e| matches!(e, Event::National { .. }));

        if let Some(nat) = first_strong_national {
            if authority.as_ref().is_none_or(|(pos, _)| nat < *pos) {
                return national();
            }
        }
        // A nationwide story (`全国已查处…`): local examples do not make it theirs.
        let title_authority = authority.as_ref().is_some_and(|(pos, _)| *pos < title_end);
        if is_nationwide_title(&text[..title_end.min(text.len())]) && !title_authority {
            return national();
        }
        // The first provincial unit named without its place (`省公安厅`, `自治区公安厅`, the
        // province's police speaking as one body), if it can apply to `province`.
        let provincial_at = |province: &str| {
            scan.events.iter().find_map(|e| match e {
                Event::Unnamed { pos, provincial: true, autonomous_only } if !*autonomous_only || province.ends_with("自治区") => Some(*pos),
                _ => None,
            })
        };
        let first_unnamed = scan.events.iter().find_map(|e| match e {
            Event::Unnamed { pos, .. } => Some(*pos),
            _ => None,
        });
        if let Some((pos, r)) = authority {
            // `省公安厅` before the first named authority: the province issued it and the
            // named unit is one it talks about.
            let provincial_first = provincial_at(&r.province).is_some_and(|u| u < pos);
            let city = if r.level == Level::Province || provincial_first { None } else { r.city };
            return Region { province: Some(r.province), city };
        }
        // An authority without its place (`自治区公安厅`, `市公安局`) is the page's own:
        // its channel or dateline says where, not the first place the story names.
        let placed = |r: Resolved| {
            let provincial = provincial_at(&r.province).is_some();
            Region { province: Some(r.province), city: if provincial { None } else { r.city } }
        };
        if first_unnamed.is_some() {
            if let Some(r) = own.clone() {
                return placed(r);
            }
        }
        if let Some(r) = self.prominent(scan, title_end, lead_end).or(own) {
            return placed(r);
        }
        if any_national && !text.is_empty() {
            return national();
        }
        Region::default()
    }

    /// The most prominent place: title mentions weigh 3, the lead 2, the rest 1.
    fn prominent(&self, scan: &Scan, title_end: usize, lead_end: usize) -> Option<Resolved> {
        let mut scores: Vec<(Resolved, usize, usize)> = Vec::new();
        for (i, m) in scan.places.iter().enumerate() {
            let Some(r) = self.resolve_mention(scan, i) else {
                continue;
            };
            let w = if m.start < title_end {
                3
            } else if m.start < lead_end {
                2
            } else {
                1
            };
            match scores.iter_mut().find(|(x, _, _)| x.province == r.province && x.city == r.city) {
                Some(e) => e.1 += w,
                None => scores.push((r, w, m.start)),
            }
        }
        // A city's score also counts for its province, so 北京 ×3 beats 哈尔滨 ×1 and
        // 山东 + 济宁 together outweigh 河南.
        let prov_score = |p: &str| scores.iter().filter(|(x, _, _)| x.province == p).map(|e| e.1).sum::<usize>();
        let best_prov = scores.iter().map(|(r, _, pos)| (prov_score(&r.province), std::cmp::Reverse(*pos), r.province.clone())).max()?.2;
        let best = scores.iter().filter(|(r, _, _)| r.province == best_prov).max_by_key(|(r, s, pos)| (*s, r.city.is_none(), std::cmp::Reverse(*pos)))?;
        Some(best.0.clone())
    }
}

fn national() -> Region {
    Region { province: Some(NATIONAL.into()), city: None }
}

/// `公安部` mentioned as the superior that ordered or supervises something
/// (`按照公安部部署`, `公安部挂牌督办`, `在公安部的领导下`) rather than as the speaker.
fn national_is_reference(text: &str, start: usize, end: usize) -> bool {
    let before: String = text[..start].chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    let after = &text[end..];
    ["按照", "根据", "落实", "贯彻", "在", "经", "和", "及", "、", "省委", "部署"].iter().any(|w| before.ends_with(w))
        || ["部署", "统一", "挂牌", "督办", "的", "和", "、", "关于", "要求", "刑侦局", "党委"].iter().any(|w| after.starts_with(w))
}

/// A title that reports a nationwide figure or campaign (`全国已查处违法案件6500余起`),
/// not a local first (`全国首例`).
fn is_nationwide_title(title: &str) -> bool {
    title.match_indices("全国").any(|(i, w)| {
        let after = &title[i + w.len()..];
        ["已", "共", "累计", "公安", "各地", "范围", "破获", "查处", "抓获", "打掉", "侦破", "开展", "部署", "统一", "集中"]
            .iter()
            .any(|x| after.starts_with(x))
    })
}

/// Whether the news comes from the body named at `start..end` (`记者从全区公安机关…新闻发布会
/// 上获悉`, `据全省公安机关通报`) rather than naming it in passing.
fn is_news_source(text: &str, start: usize, end: usize) -> bool {
    let before: String = text[..start].chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    let rest = &text[end..];
    let sentence = &rest[..rest.find(['。', ',']).unwrap_or(rest.len())];
    ["从", "据", "向"].iter().any(|w| before.ends_with(w)) || ["新闻发布会", "发布会", "获悉", "通报", "召开"].iter().any(|w| sentence.contains(w))
}

/// Whether the paper named at `start..end` is credited as the story's source: `（三峡日报
/// 记者…）`, `来源：大河网`, `据齐鲁晚报报道`, `钱江晚报讯`, not named in passing.
fn is_credit(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', '\u{3000}']);
    let after = text[end..].trim_start_matches([' ', '\u{3000}']);
    ["(", "（", "来源:", "来源：", "稿源:", "稿源：", "据", "转自"].iter().any(|w| before.ends_with(w))
        || ["记者", "讯", "全媒体记者", "融媒体记者", "通讯员", "消息", "报道", ")", "）"].iter().any(|w| after.starts_with(w))
}

/// Whether a place is followed by a wire dateline's month-day (`北海5月8日电`).
fn is_wire_dateline(after: &str) -> bool {
    static WIRE: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"^\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|讯|消息)").expect("constant pattern"));
    WIRE.is_match(after)
}

/// Whether the place ending at `end` is written as (part of) a police authority.
fn is_authority(text: &str, start: usize, end: usize) -> bool {
    let mut rest = &text[end..];
    for gap in POLICE_GAPS {
        if let Some(r) = rest.strip_prefix(gap) {
            if POLICE_SUFFIXES.iter().any(|s| r.starts_with(s)) {
                rest = r;
                break;
            }
        }
    }
    POLICE_SUFFIXES.iter().any(|s| rest.starts_with(s))
        // Beijing and Tianjin write districts inside the unit: 公安东丽分局.
        || (text[..start].ends_with("公安") && rest.starts_with("分局"))
}

/// Names followed by these are streets, schools or a person's origin, not a location.
fn is_not_a_place(after: &str) -> bool {
    ["路", "街", "大道", "大街", "大学", "籍", "道路"].iter().any(|w| after.starts_with(w))
}

#[derive(Debug, Clone)]
struct Resolved {
    province: String,
    city: Option<String>,
    level: Level,
}

#[derive(Debug)]
struct PlaceMention {
    start: usize,
    end: usize,
    candidates: Vec<usize>,
    authority: bool,
    /// Followed by a wire dateline's month-day.
    dateline: bool,
    /// Index of the place mention written immediately before this one.
    chained: Option<usize>,
}

#[derive(Debug)]
enum Event {
    National {
        pos: usize,
        strong: bool,
    },
    Unnamed {
        pos: usize,
        provincial: bool,
        /// Provincial only if the province is an autonomous region (`全区公安机关`).
        autonomous_only: bool,
    },
}

#[derive(Debug, Default)]
struct Scan {
    places: Vec<PlaceMention>,
    events: Vec<Event>,
    ctx_provinces: Vec<String>,
    ctx_cities: Vec<String>,
    /// The first regional paper credited as the story's source.
    press: Option<Resolved>,
}

#[cfg(test)]
mod tests {
    use crate::extract::testing::{doc, EXTRACTOR};

    /// (title, body, expected facet path or None).
    fn check(cases: &[(&str, &str, Option<&str>)]) {
        for (title, body, want) in cases {
            let got = EXTRACTOR.extract(&doc(title, body)).region.facet_path();
            assert_eq!(got.as_deref(), *want, "title {title:?} body {body:?}");
        }
    }

    #[test]
    fn authority_patterns() {
        check(&[
            ("", "12月20日上午,连云港市公安局向社会通报近年来全市防范打击电信网络诈骗犯罪的工作情况。", Some("/江苏省/连云港市")),
            (
                "周口公安重拳打击治理养老诈骗违法犯罪",
                "全国打击整治养老诈骗专项行动开展以来，周口市公安机关牢固树立以人民为中心的发展思想。",
                Some("/河南省/周口市"),
            ),
            ("", "8月7日，记者从安徽省公安厅采访获悉，在中央政法委及省委省政府、公安部的坚强领导下，全省公安机关取得阶段性胜利。", Some("/安徽省")),
            ("", "1月28日晚，苍梧交警大队与长洲交警大队开展交叉执法严查酒后驾驶违法行为集中整治。", Some("/广西壮族自治区/梧州市")),
            ("", "2月7日上午，公安东丽分局丰年村派出所接分局情报技术支队提供线索，该人于2018年12月份被山西省公安机关网上追逃。", Some("/天津市")),
            ("", "截至昨晚，北京便衣警方已陆续在朝阳黎各庄大集、顺义高丽营站等地破获扒窃现案6起。", Some("/北京市")),
            ("", "近日，呼和浩特市玉泉区公安分局接到群众报警称，工地发生一起持刀抢劫案件。", Some("/内蒙古自治区/呼和浩特市")),
            ("", "近日，现实版《我是刑警》在杭州富阳上演。富阳警方在云南抓获了犯罪嫌疑人魏某。", Some("/浙江省/杭州市")),
        ]);
    }

    #[test]
    fn national_bulletins() {
        check(&[
            ("", "公安部27日通报，打击缅北涉我犯罪专项工作取得了重大战果，4.9万名电诈犯罪嫌疑人被移交我方。", Some("/全国")),
            ("", "新华社北京3月5日电 记者从公安部获悉，今年以来，全国公安机关共破获电信网络诈骗案件10万起。", Some("/全国")),
            ("", "6月19日，国家禁毒办召开新闻发布会，通报2023年以来全国禁毒工作成效。云南查缴非列管化学品3556吨。", Some("/全国")),
            // 公安部 as the superior that ordered the operation does not make it national.
            ("", "按照公安部统一部署，广州市公安局开展“团圆”行动，找回被拐儿童23人。", Some("/广东省/广州市")),
            ("", "云南省公安厅14日发布消息称，自今年2月公安部部署打击治理跨境赌博工作以来，共破获案件613起。", Some("/云南省")),
        ]);
    }

    #[test]
    fn dateline_and_later_places_do_not_win() {
        check(&[
            ("", "中新网昆明5月7日电 云南省公安厅党委委员介绍，云南全省公安机关依法从严打击跨境赌博犯罪。", Some("/云南省")),
            ("", "中新网银川1月10日电 当天，宁夏公安厅召开新闻发布会。海南越冬水鸟调查顺利结束。", Some("/宁夏回族自治区")),
            ("", "家住哈尔滨的张某在云南旅游时被骗，昆明市公安局五华分局立案侦查。", Some("/云南省/昆明市")),
            // A provincial bureau speaking about one of its cities.
            ("", "昨日，省公安厅召开新闻发布会，通报深圳市公安局联合珠海警方破获特大走私案。广东公安机关缴获毒品4.1吨。", Some("/广东省")),
            ("", "日前，自治区公安厅召开新闻发布会，通报广西公安机关夏季治安打击整治行动成果。", Some("/广西壮族自治区")),
        ]);
    }

    #[test]
    fn a_province_speaks_as_one_body_only_as_the_source() {
        check(&[
            // The news comes from the whole region's police: the region, not a city in it.
            (
                "",
                "记者从全区公安机关冬季治安打击整治行动新闻发布会上获悉，我区将开展为期三个月的集中行动。\n当晚，包头市公安局出动警力1200人开展统一清查。",
                Some("/内蒙古自治区"),
            ),
            // Named in passing, the province's police do not outrank the unit that acted.
            ("", "近年来，全省公安机关深入推进打击拐卖妇女儿童犯罪专项行动。日前，邵阳市公安局组织认亲仪式，帮助失散30年的母子团聚。", Some("/湖南省/邵阳市")),
            ("", "团圆是江西公安机关的不懈追求。今年以来，赣州市公安局依托DNA比对，帮助12个家庭实现团聚。", Some("/江西省/赣州市")),
            ("", "近年来，浙江省公安机关持续推进命案积案攻坚。日前，温州市公安局破获一起28年前的命案。", Some("/浙江省/温州市")),
            // As the source of the news, the province's police issue it.
            ("", "记者从江西公安机关获悉，今年以来赣州、吉安等地警方共抓获电信网络诈骗嫌疑人560名。", Some("/江西省")),
            // Outside an autonomous region, 全区 is a district.
            ("", "记者从全区公安机关工作会议上获悉，沈阳市公安局铁西分局今年破获电信网络诈骗案件320起。", Some("/辽宁省/沈阳市")),
        ]);
    }

    #[test]
    fn nationwide_stories_are_national() {
        check(&[
            (
                "全国已破获养老诈骗案件4.2万起",
                "专项行动开展以来，按照公安部部署，各地公安机关重拳出击。近日，深圳市公安局破获一起以投资养老项目为名的诈骗案。",
                Some("/全国"),
            ),
            // A local first is not a nationwide story.
            ("全国首例！昆明警方破获利用AI换脸诈骗案", "近日，昆明市公安局破获一起利用AI换脸技术实施诈骗的案件。", Some("/云南省/昆明市")),
        ]);
    }

    #[test]
    fn an_authority_without_its_place_takes_the_pages_own() {
        let cases: &[(&[&str], &str, Option<&str>)] = &[
            (&["首页 > 宁夏新闻 > 正文"], "1月9日，自治区公安厅召开新闻发布会，通报全区公安机关打击电信网络诈骗工作成效。", Some("/宁夏回族自治区")),
            (
                &["您的位置：首页 > 桂林新闻 > 本地要闻"],
                "昨日，市公安局召开新闻发布会，通报今年以来全市禁毒工作情况。南宁、柳州等地警方也派员参加。",
                Some("/广西壮族自治区/桂林市"),
            ),
            // The wire dateline is the page's own place too.
            (&[], "示例网北海5月8日电 市公安局8日介绍，民警在一家火锅店内将一伙传销人员一网打尽，其中16人来自甘肃、陕西等地。", Some("/广西壮族自治区/北海市")),
            // A named authority is the issuer whatever the channel says.
            (&["首页 > 宁夏新闻 > 正文"], "近日，兰州市公安局破获一起特大贩毒案。", Some("/甘肃省/兰州市")),
        ];
        for (channel, body, want) in cases {
            let mut d = doc("", body);
            d.hints.channel = channel.iter().map(|c| c.to_string()).collect();
            let got = EXTRACTOR.extract(&d).region.facet_path();
            assert_eq!(got.as_deref(), *want, "{channel:?} {body}");
        }
    }

    #[test]
    fn a_credited_regional_paper_is_the_pages_own_place() {
        check(&[
            // The paper credited at the end places an authority written without its place.
            ("", "昨日上午，市公安局在滨江广场开展反诈宣传活动，向市民发放宣传手册三千余份。（长江日报 记者王某 通讯员李某）", Some("/湖北省/武汉市")),
            ("", "来源：齐鲁晚报\n近日，省公安厅通报今年以来全省打击养老诈骗工作情况。", Some("/山东省")),
            ("", "钱江晚报讯 市公安局交警支队昨晚在城区开展酒驾醉驾集中整治。", Some("/浙江省")),
            ("", "据大河报报道，市公安局近日破获一起跨省电信网络诈骗案。", Some("/河南省")),
            // A named authority outranks the paper (a provincial paper reports a city's news).
            ("", "近日，黄冈市公安局破获一起网络赌博案。（楚天都市报 记者张某）", Some("/湖北省/黄冈市")),
            // A paper named in passing is no credit: the story's own place decides.
            ("", "近日，南宁市民在阅读南方日报时发现一则虚假投资广告，随即报警，市公安局立案侦查。", Some("/广西壮族自治区/南宁市")),
            // Without a credit or any place, nothing places the unnamed authority.
            ("", "昨日下午，市公安局召开新闻发布会，通报今年以来打击电信网络诈骗工作情况。", None),
        ]);
    }

    #[test]
    fn mastheads_csv_rows_are_placed_by_the_gazetteer() {
        use super::Gazetteer;
        let regions = "440000,province,广东省,广东,粤,广东省,,\n441800,city,清远市,清远,,广东省,清远市,\n";
        let g = Gazetteer::parse_with_mastheads(regions, "name,province,city\n北江晚报,广东,清远\n南粤网,广东省,\n").expect("valid rows");
        let at = |text: &str| g.locate(text, 0, text.len(), &[]).facet_path();
        assert_eq!(at("市公安局昨日通报。（北江晚报 记者某）").as_deref(), Some("/广东省/清远市"));
        assert_eq!(at("来源：南粤网 省公安厅昨日通报。").as_deref(), Some("/广东省"));
        let bad = [
            ("name,province,city\n北江晚报,火星省,\n", "line 2: unknown province"),
            ("name,province,city\n北江晚报,广东省,韶关\n", "line 2: unknown city"),
            ("name,province,city\n报,广东省,\n", "line 2: name too short"),
        ];
        for (csv, want) in bad {
            let err = Gazetteer::parse_with_mastheads(regions, csv).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.starts_with("mastheads.csv: ") && err.contains(want), "{csv:?}: {err}");
        }
    }

    #[test]
    fn regions_csv_faults_name_the_first_bad_line() {
        use super::Gazetteer;
        let good = "440000,province,广东省,广东,粤,广东省,,\n";
        let bad = [
            (format!("{good}441800,city,清远市\n"), "line 2: expected 8 columns"),
            (format!("{good}441800,city,,清远,,广东省,清远市,\n"), "line 2: empty name or province"),
            (format!("{good}441800,capital,清远市,清远,,广东省,清远市,\n"), "line 2: "),
            // Rows are checked in order: the empty name on line 2 is reported, not the short row after it.
            (format!("{good}441800,city,,清远,,广东省,清远市,\n441900,city\n"), "line 2: empty name or province"),
            ("code,level,name,short,aliases,province,city,flags\n".to_string(), "line 0: no rows"),
        ];
        for (csv, want) in &bad {
            let err = Gazetteer::parse_names(csv).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.starts_with("regions.csv: ") && err.contains(want), "{csv:?}: {err}");
        }
        // The header row is optional; with or without it the same places resolve.
        for csv in [good.to_string(), format!("code,level,name,short,aliases,province,city,flags\n{good}")] {
            let g = Gazetteer::parse_names(&csv).expect("valid rows");
            assert_eq!(g.resolve_province("粤"), Some("广东省"), "{csv:?}");
        }
    }

    #[test]
    fn border_police_units_are_authorities() {
        check(&[("", "近日，云南普洱边境管理支队成功破获一起组织他人偷越国境案，抓获“蛇头”3名。", Some("/云南省/普洱市"))]);
    }

    #[test]
    fn county_short_names_that_are_words() {
        check(&[
            // 公安 (公安县) and 平安 (平安区) are words here.
            ("", "近日，西宁市公安局城北分局民警在平安大道开展巡逻，公安民警提醒群众注意防范。", Some("/青海省/西宁市")),
            ("", "为建设更高水平的平安中国，公安民警坚守岗位，公安分局全员上岗。", None),
            // A county's short name that is no place here (从江 in 记者从江西…) does not
            // hide the name overlapping it.
            ("", "记者从江西警方获悉，今年以来南昌市公安局共破获电信网络诈骗案件300余起。", Some("/江西省")),
            ("", "民警从江苏一路追踪至浙江，在杭州市公安局配合下将嫌疑人抓获。", Some("/浙江省/杭州市")),
            // As full names, or right before a police unit, they count.
            ("", "湖北省公安县公安局近日破获一起非法采砂案。", Some("/湖北省/荆州市")),
            ("", "青海平安区公安分局开展打击整治枪爆违法犯罪专项行动。", Some("/青海省/海东市")),
            // 长治 in 长治久安, 大庆 in 迎大庆 are not the cities.
            ("", "河南省公安厅要求全省公安机关确保社会长治久安。", Some("/河南省")),
            ("", "市公安局举行“警民牵手110，共创平安迎大庆”主题活动。", None),
        ]);
    }

    #[test]
    fn duplicate_and_multi_level_names() {
        check(&[
            ("", "近日，鼓楼警方成功破获一起入室盗窃案。据了解，徐州市民李女士报警称家中被盗。", Some("/江苏省/徐州市")),
            ("", "福州市鼓楼区公安分局破获一起电信网络诈骗案。", Some("/福建省/福州市")),
            (
                "前沿资讯!铁西警方抓获35名涉诈嫌疑人",
                "沈阳晚报讯 6月21日记者获悉，沈阳市公安局铁西分局开展集中抓捕“断卡”犯罪嫌疑人专项行动。",
                Some("/辽宁省/沈阳市"),
            ),
            ("", "北京朝阳警方通报：一男子在三里屯盗窃手机被抓获。", Some("/北京市")),
            ("", "吉林省公安厅召开新闻发布会，通报“打盗骗保民安”行动成果。", Some("/吉林省")),
            ("", "吉林警方破获一起特大盗窃案。", Some("/吉林省")),
            ("", "吉林市公安局船营分局破获一起盗窃案。", Some("/吉林省/吉林市")),
            ("", "海南省公安厅通报：海口警方破获一起电诈案。", Some("/海南省")),
        ]);
    }

    #[test]
    fn prefectures_of_every_kind() {
        check(&[
            ("", "近日，英德市公安局成功破获一起盗窃电动车案。", Some("/广东省/清远市")),
            ("", "锡林郭勒盟公安局召开新闻发布会通报冬季治安打击整治成果。", Some("/内蒙古自治区/锡林郭勒盟")),
            ("", "延边州公安局破获一起跨境电信网络诈骗案。", Some("/吉林省/延边朝鲜族自治州")),
            ("", "延边朝鲜族自治州公安局通报：抓获犯罪嫌疑人12名。", Some("/吉林省/延边朝鲜族自治州")),
            ("", "凉山州公安局通报，今年以来共破获毒品案件300余起。", Some("/四川省/凉山彝族自治州")),
            ("", "襄樊市公安局昨日召开新闻发布会，通报打击盗抢犯罪成果。", Some("/湖北省/襄阳市")),
            // Run by the province directly: no prefecture, so no city facet.
            ("", "济源市公安局破获一起特大电信网络诈骗案。", Some("/河南省")),
            ("", "琼海市公安局民警在博鳌镇开展夜间巡逻。", Some("/海南省")),
            ("", "本报讯 昨日，记者从邢台市公安局获悉，宁晋县公安局破获一起抢夺案。", Some("/河北省/邢台市")),
            ("", "寧晉縣公安局晝夜奮戰34小時，成功破獲一起搶奪案。", Some("/河北省/邢台市")),
        ]);
    }

    #[test]
    fn resolve_province_accepts_all_forms() {
        let g = EXTRACTOR.gazetteer();
        let cases = [
            ("广西", Some("广西壮族自治区")),
            ("桂", Some("广西壮族自治区")),
            ("广西壮族自治区", Some("广西壮族自治区")),
            ("廣西", Some("广西壮族自治区")),
            ("/广东省", Some("广东省")),
            ("北京", Some("北京市")),
            ("内蒙古", Some("内蒙古自治区")),
            ("蜀", Some("四川省")),
            ("黔", Some("贵州省")),
            ("全国", Some("全国")),
            ("吉林", Some("吉林省")),
            ("清远", None),
            ("火星", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(g.resolve_province(input), want, "{input}");
        }
    }

    #[test]
    fn resolve_city_accepts_all_forms() {
        let g = EXTRACTOR.gazetteer();
        let cases = [
            ("清远", Some(("广东省", "清远市"))),
            ("清远市", Some(("广东省", "清远市"))),
            ("/广东省/清远市", Some(("广东省", "清远市"))),
            ("广东/清远", Some(("广东省", "清远市"))),
            ("英德市", Some(("广东省", "清远市"))),
            ("襄樊", Some(("湖北省", "襄阳市"))),
            ("延边州", Some(("吉林省", "延边朝鲜族自治州"))),
            ("锡林郭勒盟", Some(("内蒙古自治区", "锡林郭勒盟"))),
            ("吉林", Some(("吉林省", "吉林市"))),
            ("江苏/鼓楼区", None),
            ("福建/鼓楼区", Some(("福建省", "福州市"))),
            ("鼓楼区", None),
            ("北京", None),
            ("广西/清远", None),
            ("济源", None),
        ];
        for (input, want) in cases {
            assert_eq!(g.resolve_city(input), want, "{input}");
        }
    }

    #[test]
    fn regions_csv_rows_are_checked_by_column() {
        use super::Gazetteer;
        let header = "code,level,name,short,aliases,province,city,flags\n";
        let ok = [
            format!("{header}440000,province,广东省,广东,粤,广东省,,\n441800,city,清远市,清远,,广东省,清远市,\n"),
            // Without the header, with quotes and a comment.
            "# a hand-made file\n440000,province,广东省,广东,粤,广东省,,\n\"441800\",city,\"清远市\",清远,,广东省,清远市\n".to_string(),
        ];
        for csv in &ok {
            let g = Gazetteer::parse_names(csv).expect("valid rows");
            assert_eq!(g.resolve_city("清远"), Some(("广东省", "清远市")), "{csv}");
        }
        let bad = [
            (format!("{header}440000,state,广东省,广东,粤,广东省,,\n"), "line 2: "),
            (format!("{header}440000,province,广东省\n"), "line 2: expected 8 columns"),
            (format!("{header}440000,province,,广东,粤,广东省,,\n"), "line 2: empty name"),
            ("# nothing\n".to_string(), "no rows"),
        ];
        for (csv, want) in &bad {
            let err = Gazetteer::parse_names(csv).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.starts_with("regions.csv: ") && err.contains(want), "{csv:?}: {err}");
        }
    }

    #[test]
    fn suggest_province_for_typos() {
        let g = EXTRACTOR.gazetteer();
        let s = g.suggest_province("广栖");
        assert!(s.contains(&"广西壮族自治区".to_string()) && s.contains(&"广东省".to_string()), "{s:?}");
        assert!(g.suggest_province("xyz").is_empty());
    }
}

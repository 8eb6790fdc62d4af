//! The year of a month-day dateline (`中新网北海5月8日电`, `记者6月4日从…获悉`, `1月8日，
//! 自治区公安厅召开…`), weighed from the evidence the document carries instead of refused.
//!
//! Each kind of evidence votes for a year with a weight; one kind votes once per year, so a
//! year written ten times is still one statement. Two bounds cut the candidates first:
//! the publication cannot precede what the text reports as past (`2021年至2024年…`, an
//! event dated `2018年12月`), and it cannot follow a mirror's crawl stamp or a forum footer's
//! render time. The year wins only with enough weight and twice any rival's, counting the
//! rivals the bounds ruled out (they are evidence that conflicts): conflicting or thin
//! evidence leaves the bulletin undated, because a wrong date is worse than none.
//!
//! | evidence | votes for | weight |
//! |---|---|---|
//! | numbered occasion near the month-day (`第三个中国人民警察节`, `首个…`) | its year | settles |
//! | the page's address dated on or just after the month-day | that year | settles |
//! | operation named after a year (`净网2023`, `昆仑-2022`, `“獴猎”行动—2024`) | that year (Jan–Feb: also the next) | supports |
//! | the same with a relative year in its clause (`在去年开展的“昆仑-2023”`) | that year plus the shift | supports |
//! | dated event up to four months before | the year that puts it before the month-day | supports |
//! | the same in a case's own story (`2024年3月，被害人王某…`) | that year | corroborates only |
//! | dated event of the same year, up to a year before | that year | suggests |
//! | year summaries (`2023年，全省…`, `截至2023年底`, `2021年度`, `2025年上半年`) | the year or the next, by the month-day | suggests |
//! | a year beside `今年`/`去年` (`去年（2022年）`) | the year it says | supports |
//! | other years the text states (`北海市举办了2020年创建…`), not early in a year | that year | suggests |
//! | an old crime's date and its age (`2005年…`, `尘封20年`) | date + age | corroborates only |
//!
//! Not evidence, only lower bounds: periods up to now (`Y年以来`, `2019年9月至今`), the start
//! of a closed period, a case named by its day (`“2008.7.30”故意杀人案`), a year in a case's
//! own story (`2016年，犯罪嫌疑人张某…`; dated to the month or day, it only corroborates), a
//! unit's record or honours, a case named by the year it was solved (`2019年侦破的…案`), a
//! year's tally in mid-year, an operation inside a period begun last year (`去年以来，在
//! “云剑-2023”行动中`) or an earlier round (`上一轮“净网2023”`). Not evidence at all: plans
//! (`到2025年`, `将于…`), titles in `《》`, years of birth, copyright lines. In a court story
//! only recent dates vote: trials come months or years after the crime and the operation.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

use super::address::AddressDate;
use super::parse::{cjk_number, num, ymd, Found, YEARS};

/// Vote weights (in halves, so corroboration can be weaker than the threshold).
const CORROBORATES: u32 = 1;
const SUGGESTS: u32 = 2;
const SUPPORTS: u32 = 4;
const SETTLES: u32 = 6;

/// How close (days) a numbered occasion must be to the month-day to settle its year.
const OCCASION_DAYS: i64 = 62;

/// An event at most this many days before the month-day supports its year.
const RECENT_DAYS: i64 = 120;

/// The kinds of evidence, weakest first (the strongest names a year's source).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Cue {
    Age,
    Statement,
    Event,
    Operation,
    Occasion,
    Path,
    Url,
}

/// A numbered annual occasion (a row of `occasions.csv`): the `n`-th falls in
/// `first + n - 1` on (month, day).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Occasion {
    pub name: String,
    /// Year of the first occasion.
    pub first: i32,
    pub month: u32,
    pub day: u32,
}

/// The month-day whose year is sought.
#[derive(Debug, Clone, Copy)]
pub(super) struct Anchor {
    pub month: u32,
    pub day: u32,
}

impl Anchor {
    fn in_year(self, year: i32) -> Option<NaiveDate> {
        ymd(year, self.month, self.day)
    }
}

/// Votes per year and the bounds on the year.
#[derive(Debug, Default)]
pub(super) struct Ballot {
    votes: BTreeMap<i32, BTreeMap<Cue, u32>>,
    lower: Option<i32>,
    upper: Option<i32>,
}

impl Ballot {
    pub(crate) fn vote(&mut self, year: i32, cue: Cue, weight: u32) {
        if !YEARS.contains(&year) {
            return;
        }
        let w = self.votes.entry(year).or_default().entry(cue).or_default();
        *w = (*w).max(weight);
    }

    /// The publication is in `year` or later.
    pub(crate) fn at_least(&mut self, year: i32) {
        if YEARS.contains(&year) {
            self.lower = Some(self.lower.map_or(year, |l| l.max(year)));
        }
    }

    /// The publication is in `year` or earlier.
    pub(crate) fn at_most(&mut self, year: i32) {
        if YEARS.contains(&year) {
            self.upper = Some(self.upper.map_or(year, |u| u.min(year)));
        }
    }

    pub fn lower(&self) -> Option<i32> {
        self.lower
    }

    pub(crate) fn upper(&self) -> Option<i32> {
        self.upper
    }

    /// The year with enough weight and twice any rival's, and its strongest cue.
    pub(crate) fn decide(&self) -> Option<(i32, Cue)> {
        let allowed = |y: i32| self.lower.is_none_or(|l| y >= l) && self.upper.is_none_or(|u| y <= u);
        let mut totals: Vec<(u32, i32, Cue)> = self
            .votes
            .iter()
            .filter_map(|(y, cues)| {
                let strongest = cues.keys().next_back().copied()?;
                Some((cues.values().sum(), *y, strongest))
            })
            .collect();
        totals.sort_by_key(|t| std::cmp::Reverse(t.0));
        let (best, year, cue) = *totals.iter().find(|t| allowed(t.1))?;
        // A year the bounds rule out still speaks against the winner: the evidence conflicts.
        let rival = totals.iter().filter(|t| t.1 != year).map(|t| t.0).max().unwrap_or(0);
        (best >= SUGGESTS && best >= 2 * rival).then_some((year, cue))
    }
}

/// Compiled patterns for year evidence.
#[derive(Debug)]
pub(super) struct YearRules {
    occasions: Vec<Occasion>,
    occasion: Option<Regex>,
    operation: Regex,
    operation_dash: Regex,
    year_month: Regex,
    /// A day written as a case code right after a year (`2021年“7·20”特大暴雨`).
    coded_day: Regex,
    year: Regex,
    age: Regex,
}

impl YearRules {
    pub fn new(occasions: Vec<Occasion>) -> Self {
        let re = |p: &str| Regex::new(p).expect("constant year pattern");
        // Quotes may sit anywhere in a name (`全国“110”宣传日`), and a holiday's own date may
        // precede it (`第十五个“5·15”打击和防范经济犯罪宣传日`).
        let names: Vec<String> =
            occasions.iter().map(|o| o.name.chars().map(|c| regex::escape(&c.to_string())).collect::<Vec<_>>().join(r#"[“”"「」]?"#)).collect();
        let occasion = (!names.is_empty()).then(|| {
            re(&format!(
                r#"(?:第([一二三四五六七八九十百\d]+)个|首个)\s*[“"《「]?(?:中国|全国)?[“"「]?(?:\d{{1,2}}\s*[·•.]\s*\d{{1,2}}[”"」]?)?({})"#,
                names.join("|")
            ))
        });
        YearRules {
            occasions,
            occasion,
            // A quoted name holding a year: `“净网2023”`, `“云剑-2020”`, `“2017-311A”`.
            operation: re(r#"[“"「]([^”"」\n]{0,12}?)((?:19|20)\d{2})([^”"」\n]{0,10})[”"」]"#),
            operation_dash: re(r"行动\s*[-—－]\s*((?:19|20)\d{2})"),
            year_month: re(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月"),
            coded_day: re(r#"^[“"]?(\d{1,2})\s*[·•.]\s*(\d{1,2})[”"]?"#),
            year: re(r"((?:19|20)\d{2})\s*年"),
            // Only the forms led by a word: `N年前` is found by its literal (a regex led by
            // the number would try every position of the text).
            age: re(r"(?:尘封|潜逃|逃亡|在逃|失踪|失散|时隔|相隔|追逃)\s*(?:了)?\s*(\d{1,2}|[一二三四五六七八九十两]{1,3})\s*(?:多|余)?年"),
        }
    }

    /// Gather every vote and bound the text gives for the year of `anchor`. `events` are
    /// the text's full dates that are not stamps; `skip` says whether a byte offset lies in
    /// page chrome (copyright lines), which only bounds the year.
    pub fn collect(&self, text: &str, anchor: Anchor, events: &[Found], skip: &dyn Fn(usize) -> bool, ballot: &mut Ballot) {
        self.occasions(text, anchor, skip, ballot);
        self.operations(text, anchor, skip, ballot);
        let ages = self.ages(text);
        self.events(text, anchor, events, &ages, skip, ballot);
        self.statements(text, Some(anchor), skip, ballot);
    }

    /// Bounds only, for a text without a month-day: what it reports as past.
    pub(crate) fn bounds(&self, text: &str, events: &[Found], skip: &dyn Fn(usize) -> bool, ballot: &mut Ballot) {
        for f in events {
            if !skip(f.start) && !is_future(text, f.start, f.end) {
                ballot.at_least(f.date.year());
            }
        }
        self.statements(text, None, skip, ballot);
    }

    /// `第三个中国人民警察节` near the month-day settles the year.
    fn occasions(&self, text: &str, anchor: Anchor, skip: &dyn Fn(usize) -> bool, ballot: &mut Ballot) {
        let Some(re) = &self.occasion else { return };
        for c in re.captures_iter(text) {
            let Some(whole) = c.get(0) else { continue };
            if skip(whole.start()) {
                continue;
            }
            let n = match c.get(1) {
                Some(m) => cjk_number(m.as_str()),
                None => Some(1), // 首个
            };
            let (Some(n), Some(name)) = (n, c.get(2)) else {
                continue;
            };
            let written: String = name.as_str().chars().filter(|c| !"“”\"「」".contains(*c)).collect();
            let Some(o) = self.occasions.iter().find(|o| o.name == written) else {
                continue;
            };
            let year = o.first + n as i32 - 1;
            let (Some(occ), Some(md)) = (ymd(year, o.month, o.day), anchor.in_year(year)) else {
                continue;
            };
            let weight = if (md - occ).num_days().abs() <= OCCASION_DAYS { SETTLES } else { SUGGESTS };
            ballot.vote(year, Cue::Occasion, weight);
        }
    }

    /// Operations named after their year: `“净网2023”`, `“昆仑-2022”`, `“獴猎”行动—2024`.
    fn operations(&self, text: &str, anchor: Anchor, skip: &dyn Fn(usize) -> bool, ballot: &mut Ballot) {
        let mut years: Vec<(u32, Told)> = Vec::new();
        for c in self.operation.captures_iter(text) {
            let (Some(whole), Some(y)) = (c.get(0), c.get(2)) else {
                continue;
            };
            let before = c.get(1).map_or("", |m| m.as_str());
            let after = c.get(3).map_or("", |m| m.as_str());
            // `“2018年…”` is a year's report or slogan, a digit next to the year a case number,
            // and `“2008.7.30”故意杀人案` a case named by the day of the crime.
            let digit_next = before.ends_with(|ch: char| ch.is_ascii_digit()) || after.starts_with(|ch: char| ch.is_ascii_digit());
            if skip(whole.start()) || digit_next || after.trim_start().starts_with('年') || is_date_code(after) {
                continue;
            }
            if before.is_empty() && after.is_empty() {
                continue; // a bare quoted year
            }
            years.extend(num(Some(y)).map(|y| (y, told_when(text, whole.start()))));
        }
        for c in self.operation_dash.captures_iter(text) {
            if let Some(whole) = c.get(0) {
                if !skip(whole.start()) && !text[whole.end()..].starts_with(|ch: char| ch.is_ascii_digit()) {
                    // The words before the quoted name that precedes `行动—2024`.
                    let name = text[..whole.start()].rfind(['“', '"', '「']).filter(|&q| whole.start() - q <= 24).unwrap_or(whole.start());
                    years.extend(num(c.get(1)).map(|y| (y, told_when(text, name))));
                }
            }
        }
        // A court story tries a case an operation broke, often a year or more later.
        let court = is_court_story(text);
        for (y, told) in years {
            let y = y as i32;
            match told {
                Told::Plain => {}
                // `在去年开展的“昆仑-2023”`: the text says how far back the operation is.
                Told::Back(back) if back >= 0 && !court => {
                    ballot.vote(y + back, Cue::Operation, SUPPORTS);
                    ballot.at_least(y + back);
                    continue;
                }
                // A plan (`明年将开展…`) dates nothing.
                Told::Back(_) => continue,
                // `去年以来，在“云剑-2023”行动中`, `上一轮“净网2023”`: the operation is
                // over or still running, so the publication is that year or later.
                Told::Since | Told::Earlier => {
                    ballot.at_least(y);
                    continue;
                }
            }
            if court {
                ballot.at_least(y);
            } else if anchor.month <= 2 {
                // January press conferences report last year's operation as often as they
                // launch this year's.
                ballot.vote(y, Cue::Operation, SUGGESTS);
                ballot.vote(y + 1, Cue::Operation, SUGGESTS);
            } else {
                ballot.vote(y, Cue::Operation, SUPPORTS);
            }
        }
    }

    /// Ages of an old case (`尘封20年`, `27年前`): the story is that many years after it.
    fn ages(&self, text: &str) -> Vec<i32> {
        let led = self.age.captures_iter(text).filter_map(|c| c.get(1).and_then(|m| cjk_number(m.as_str())));
        // `27年前`, `二十多年前`: the number right before.
        let ago = text.match_indices("年前").filter_map(|(i, _)| {
            let before = text[..i].trim_end_matches(['多', '余', ' ']);
            let digits: String = before
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_digit() || "一二三四五六七八九十两".contains(*c))
                .take(3)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            cjk_number(&digits)
        });
        let mut out: Vec<i32> = led.chain(ago).map(|n| n as i32).filter(|n| (2..=80).contains(n)).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Dated events: the publication comes after them. A recent one supports its year; in
    /// a story about an old case, the oldest dates are the case's and only corroborate
    /// their year plus the age.
    fn events(&self, text: &str, anchor: Anchor, events: &[Found], ages: &[i32], skip: &dyn Fn(usize) -> bool, ballot: &mut Ballot) {
        // (date, whether only the month is known, whether a period starts there, whether
        // the sentence tells the case)
        // A date in quotes names a case (`“2008.7.30”故意杀人案`): the crime's day, which
        // may be years before the case is solved and reported. It only bounds the year.
        let named = |f: &Found| text[..f.start].ends_with(['“', '"', '「']) && text[f.end..].starts_with(['”', '"', '」']);
        let mut dated: Vec<(NaiveDate, bool, bool, bool)> = events
            .iter()
            .filter(|f| !skip(f.start) && !is_future(text, f.start, f.end))
            .map(|f| {
                let narrative = in_case_narrative(text, f.start);
                (f.date, false, opens_period(&text[f.end..]) || named(f), narrative)
            })
            .collect();
        for c in self.year_month.captures_iter(text) {
            let Some(whole) = c.get(0) else { continue };
            if skip(whole.start()) || is_future(text, whole.start(), whole.end()) || after_digit(text, whole.start()) {
                continue;
            }
            // Full dates were taken above.
            if events.iter().any(|f| f.start == whole.start()) {
                continue;
            }
            if let (Some(y), Some(m)) = (num(c.get(1)), num(c.get(2))) {
                if let Some(d) = ymd(y as i32, m, 1) {
                    let narrative = in_case_narrative(text, whole.start());
                    dated.push((d, true, opens_period(&text[whole.end()..]), narrative));
                }
            }
        }
        // `2021年“7·20”特大暴雨`: the day a case or disaster is named by, with its year.
        for c in self.year.captures_iter(text) {
            let (Some(whole), Some(y)) = (c.get(0), num(c.get(1))) else { continue };
            if skip(whole.start()) || after_digit(text, whole.start()) {
                continue;
            }
            if let Some(code) = self.coded_day.captures(&text[whole.end()..]) {
                if let Some(d) = ymd(y as i32, num(code.get(1)).unwrap_or(0), num(code.get(2)).unwrap_or(0)) {
                    dated.push((d, false, false, false));
                }
            }
        }
        let oldest = dated.iter().map(|(d, ..)| d.year()).min();
        let youngest_age = ages.iter().copied().min();
        // A court story reports a crime of months or years before: only a recent date
        // says when it is told.
        let court = is_court_story(text);
        for (event, month_only, open_ended, narrative) in dated {
            let y = event.year();
            let reached = if month_only { anchor.month >= event.month() } else { (anchor.month, anchor.day) >= (event.month(), event.day()) };
            let year = if reached { y } else { y + 1 };
            ballot.at_least(year);
            let Some(story) = anchor.in_year(year) else {
                continue;
            };
            let gap = (story - event).num_days();
            if let (Some(age), Some(oldest)) = (youngest_age, oldest) {
                // The old case's own dates: no date in the story is an age older than them.
                if y - oldest < age - 1 {
                    for age in ages {
                        ballot.vote(y + age, Cue::Age, CORROBORATES);
                    }
                    continue;
                }
            }
            // `2019年9月至今`, `2018年6月至2020年6月`: the start of a period; or a case name.
            if open_ended {
                continue;
            }
            // A case's own story (`2016年3月，犯罪嫌疑人张某…`) dates the crime, which may be
            // told when it is solved years later: alone it dates nothing.
            if narrative {
                if gap <= RECENT_DAYS {
                    ballot.vote(year, Cue::Event, CORROBORATES);
                }
            } else if gap <= RECENT_DAYS {
                ballot.vote(year, Cue::Event, SUPPORTS);
            } else if year == y && gap <= 366 && !court {
                ballot.vote(year, Cue::Event, SUGGESTS);
            }
        }
    }

    /// Years the text states without a month: summaries, periods, plain statements.
    fn statements(&self, text: &str, anchor: Option<Anchor>, skip: &dyn Fn(usize) -> bool, ballot: &mut Ballot) {
        for c in self.year.captures_iter(text) {
            let (Some(whole), Some(y)) = (c.get(0), num(c.get(1))) else {
                continue;
            };
            let y = y as i32;
            let (start, end) = (whole.start(), whole.end());
            if skip(start) || after_digit(text, start) {
                continue;
            }
            let after = text[end..].trim_start();
            if after.starts_with(|ch: char| ch.is_ascii_digit()) || self.coded_day.is_match(after) {
                continue; // `2018年3月`, `2021年“7·20”`: an event, weighed above
            }
            let before = tail_chars(&text[..start], 6);
            if let Some(back) = relative_year(&before) {
                // `去年（2022年）`: the text says outright how far back the year is.
                if anchor.is_some() {
                    ballot.vote(y + back, Cue::Statement, SUPPORTS);
                }
                ballot.at_least(y + back.min(0));
                continue;
            }
            match statement_kind(&before, after, text, start) {
                Statement::Ignored => {}
                Statement::Bound => ballot.at_least(y),
                Statement::YearEnd => {
                    ballot.at_least(y);
                    if anchor.is_some_and(|a| a.month != 12) {
                        ballot.vote(y + 1, Cue::Statement, SUGGESTS);
                    }
                }
                Statement::Annual => {
                    ballot.at_least(y);
                    match anchor.map(|a| a.month) {
                        Some(1..=4) => ballot.vote(y + 1, Cue::Statement, SUGGESTS),
                        Some(10..=12) => ballot.vote(y, Cue::Statement, SUGGESTS),
                        _ => {}
                    }
                }
                Statement::Part(last_month) => {
                    ballot.at_least(y);
                    if let Some(a) = anchor {
                        let year = if a.month > last_month { y } else { y + 1 };
                        ballot.vote(year, Cue::Statement, SUGGESTS);
                    }
                }
                Statement::Tally => {
                    ballot.at_least(y);
                    match anchor.map(|a| a.month) {
                        Some(1..=3) => ballot.vote(y + 1, Cue::Statement, SUGGESTS),
                        Some(12) => ballot.vote(y, Cue::Statement, SUGGESTS),
                        _ => {}
                    }
                }
                Statement::Summary => {
                    ballot.at_least(y);
                    match anchor.map(|a| a.month) {
                        Some(1..=3) => ballot.vote(y + 1, Cue::Statement, SUGGESTS),
                        Some(_) => ballot.vote(y, Cue::Statement, SUGGESTS),
                        None => {}
                    }
                }
                Statement::Plain => {
                    ballot.at_least(y);
                    // Early in a year a bare year is as often the last one's.
                    if anchor.is_some_and(|a| a.month > 3) {
                        ballot.vote(y, Cue::Statement, SUGGESTS);
                    }
                }
            }
        }
        // Ranges end in their later year: `2021年至2024年`, `2021—2024年`.
        static RANGE: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年?\s*(?:至|到|-|—|－|~)\s*((?:19|20)\d{2})\s*年").expect("constant range pattern"));
        for c in RANGE.captures_iter(text) {
            if let (Some(whole), Some(y)) = (c.get(0), num(c.get(2))) {
                let before = tail_chars(&text[..whole.start()], 6);
                if !skip(whole.start()) && !is_future_before(&before) && !before.ends_with('《') {
                    ballot.at_least(y as i32);
                }
            }
        }
    }
}

/// What a stated year (`Y年` without a month) means.
#[derive(Debug, PartialEq, Eq)]
enum Statement {
    /// Not about the publication: a plan, a birth year, a document title.
    Ignored,
    /// The start of a period up to now (`2018年以来`): the publication is not earlier.
    Bound,
    /// `截至2019年底`, `2019年全年`: reported in a later year.
    YearEnd,
    /// `2021年度`: reported at the end of that year or early in the next.
    Annual,
    /// Part of a year ending in the given month (`上半年` → 6).
    Part(u32),
    /// `2022年全县共发生…`: a whole year's figures, told early in the next or at its end.
    Tally,
    /// `2023年，全省…`: a year summed up.
    Summary,
    /// Any other year the text states as past or present.
    Plain,
}

fn statement_kind(before: &str, after: &str, text: &str, start: usize) -> Statement {
    // `到2025年，全省…` is a target; `《2018年中国毒品形势报告》` a title.
    let target = before.ends_with('到') && !before.ends_with("以来到");
    if before.ends_with('《') || before.ends_with("《中国") || is_future_before(before) || target {
        return Statement::Ignored;
    }
    if ["生", "出生", "毕业", "入伍", "参军", "入警", "参加工作", "刑满", "入狱", "结婚"].iter().any(|w| after.starts_with(w))
        || ["前", "将", "要", "底前", "内"].iter().any(|w| after.starts_with(w))
    {
        return Statement::Ignored;
    }
    if before.ends_with("截至") || before.ends_with("截止") {
        return if after.starts_with('底') || after.starts_with('末') { Statement::YearEnd } else { Statement::Bound };
    }
    // Range ends are bounds (weighed with the ranges); range starts and `以来` too.
    if ["至", "到", "-", "—", "－", "~"].iter().any(|w| before.ends_with(w))
        || ["以来", "至今", "起", "开始", "以后", "之后", "后", "至", "到", "-", "—", "－", "~"].iter().any(|w| after.starts_with(w))
        || before.ends_with('于')
        || (["自", "从"].iter().any(|w| before.ends_with(w)) && ["起", "开始", "以来", "至", "到", "始"].iter().any(|w| head(after, 8).contains(w)))
    {
        return Statement::Bound;
    }
    if in_backstory(text, start) || in_case_narrative(text, start) {
        return Statement::Bound;
    }
    if ["底", "末", "全年"].iter().any(|w| after.starts_with(w)) {
        return Statement::YearEnd;
    }
    if after.starts_with('度') {
        return Statement::Annual;
    }
    for (word, last) in [("上半年", 6), ("一季度", 3), ("第一季度", 3), ("前三季度", 9), ("三季度", 9), ("前两个月", 2), ("前三个月", 3)]
    {
        if after.starts_with(word) {
            return Statement::Part(last);
        }
    }
    // `2019年侦破的…案`: a past case named by its year.
    let clause = head(after, 8);
    let clause = &clause[..clause.find([',', '。', ';']).unwrap_or(clause.len())];
    if clause.contains('的') {
        return Statement::Bound;
    }
    // `2022年，全县共发生…`, `2022年全市公安工作情况`: a whole year's tally.
    let sentence = head(after, 24);
    let sentence = &sentence[..sentence.find('。').unwrap_or(sentence.len())];
    if ["共", "累计", "全年", "工作情况", "工作成效", "总结", "成绩单", "回顾"].iter().any(|w| sentence.contains(w)) {
        return Statement::Tally;
    }
    if after.starts_with(',') {
        return Statement::Summary;
    }
    Statement::Plain
}

/// `.7.30`, `·7·30`, `-07-30`: the month and day of a case code after its year.
fn is_date_code(after: &str) -> bool {
    let mut parts = after.split(['.', '·', '•', '-', '—', '－']);
    let lead = parts.next();
    let mut numbers = parts.take(2).map(|p| p.len() <= 2 && !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    lead == Some("") && numbers.next() == Some(true) && numbers.next() == Some(true)
}

/// Whether the words after a date make it the start of a period (`以来`, `至今`, `起`,
/// `至2020年6月`): the period's end, not its start, is near the time of telling.
fn opens_period(after: &str) -> bool {
    let a = after.trim_start();
    let a = a.strip_prefix('份').unwrap_or(a);
    ["以来", "至", "到", "起", "开始", "以后", "-", "—", "~"].iter().any(|w| a.starts_with(w))
}

/// Words right before a date or year that make it a plan or a deadline (`力争2030年`,
/// `将于2025年1月`). `到`/`至` are not among them: `以来至2019年6月` ends a past period.
fn is_future_before(before: &str) -> bool {
    ["力争", "计划", "预计", "将于", "将在", "目标", "争取", "确保", "规划", "展望", "拟于"].iter().any(|w| before.ends_with(w))
}

/// A dated mention that is a plan, a deadline or a calendar fact rather than a past event
/// (`将于2025年1月10日`, `2024年12月31日前`, `2025年1月10日是第五个…`).
fn is_future(text: &str, start: usize, end: usize) -> bool {
    let before = tail_chars(&text[..start], 6);
    let after = text[end..].trim_start();
    is_future_before(&before)
        || ["将", "拟", "定于", "计划于"].iter().any(|w| before.ends_with(w))
        || ["前", "是", "起施行", "起实施", "起执行", "将"].iter().any(|w| after.starts_with(w))
}

/// Whether the text reports a trial or a judgment.
fn is_court_story(text: &str) -> bool {
    ["法院", "宣判", "判决", "开庭", "庭审", "被告人", "一审", "二审"].iter().any(|w| text.contains(w))
}

/// A year written beside `今年`/`去年`/`前年`/`明年` (`去年（2022年）`): how many years
/// before the publication it is.
fn relative_year(before: &str) -> Option<i32> {
    let b = before.trim_end_matches(['(', ' ', '即', '是']);
    [("今年", 0), ("本年", 0), ("去年", 1), ("上年", 1), ("前年", 2), ("明年", -1)].iter().find(|(w, _)| b.ends_with(w)).map(|(_, n)| *n)
}

/// How the words before an operation's name place it in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Told {
    /// Nothing said: an operation is reported in its own year.
    Plain,
    /// `在去年开展的“昆仑-2023”`, `今年的“净网2024”`: that many years before the
    /// publication (negative for a plan, `明年`).
    Back(i32),
    /// A period up to now began with it (`去年以来，在“云剑-2023”行动中`): this year's or
    /// last year's operation, so only a lower bound.
    Since,
    /// An earlier round (`上一轮“净网2023”`): over, but not how long ago.
    Earlier,
}

/// The relative time said in the clause before an operation's name at `start` (its opening
/// quote). A relative year counts only in the name's own clause, except a period
/// (`去年以来，在…中`) that opens the sentence: `去年共破案30起，“净网2024”…` is about
/// another thing.
fn told_when(text: &str, start: usize) -> Told {
    let before = tail_chars(&text[..start], 12);
    let after_last = |s: &'_ str, stops: &[char]| -> usize { s.char_indices().rev().find(|(_, c)| stops.contains(c)).map_or(0, |(i, c)| i + c.len_utf8()) };
    let sentence = &before[after_last(&before, &['。', ';', '!', '?', '\n', '”', '"', '」'])..];
    let clause = &sentence[after_last(sentence, &[','])..];
    // The last relative year of `s`, and the words after it.
    fn relative(s: &str) -> Option<(usize, i32, &str)> {
        [("今年", 0), ("本年", 0), ("去年", 1), ("上年", 1), ("前年", 2), ("明年", -1)]
            .iter()
            .filter_map(|&(w, n)| s.rfind(w).map(|i| (i, n, &s[i + w.len()..])))
            .max_by_key(|t| t.0)
    }
    let since = |rest: &str| {
        let rest = rest.trim_start();
        rest.starts_with("以来") || rest.starts_with("至今")
    };
    if let Some((_, n, rest)) = relative(clause) {
        return if since(rest) && n > 0 { Told::Since } else { Told::Back(n) };
    }
    if relative(sentence).is_some_and(|(_, n, rest)| n > 0 && since(rest)) {
        return Told::Since;
    }
    if ["上一轮", "上轮", "此前", "以往", "往年", "历年"].iter().any(|w| clause.contains(w)) {
        return Told::Earlier;
    }
    Told::Plain
}

/// Whether the sentence of `start` tells a case (`2019年，犯罪嫌疑人张某…`): a year in a
/// case's story is when the crime happened, which may be long before it is reported.
fn in_case_narrative(text: &str, start: usize) -> bool {
    let end = text[start..].find(['。', '\n']).map_or(text.len(), |i| start + i);
    let sentence = &text[start..end];
    let first = |words: &[&str]| words.iter().filter_map(|w| sentence.find(w)).min();
    let case = first(&["嫌疑人", "被告人", "被害人", "受害人", "报案", "报警", "作案", "案发", "被骗", "遇害", "被拐", "失踪", "走失", "离家"]);
    // `2024年，县公安局重启侦查，将犯罪嫌疑人抓获` is the police's year, not the crime's.
    let police = first(&["公安", "警方", "民警", "专案组", "刑警", "派出所", "检察"]);
    match (case, police) {
        (Some(c), Some(p)) => c < p,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Whether the clause around `start` tells a person's record (`曾于2015年因盗窃被判刑`).
fn in_backstory(text: &str, start: usize) -> bool {
    let clause_start = text[..start].char_indices().rev().find(|(_, c)| matches!(c, '。' | ';' | '\n')).map_or(0, |(i, c)| i + c.len_utf8());
    let clause_end = text[start..].find(['。', ';', '\n']).map_or(text.len(), |i| start + i);
    let clause = &text[clause_start..clause_end];
    ["曾", "刑满", "被判", "服刑", "释放", "前科", "判处", "评为", "荣获", "获评", "授予", "称号", "命名为"].iter().any(|w| clause.contains(w))
}

/// Whether the match at `start` continues a number (`12018年` is no year).
fn after_digit(text: &str, start: usize) -> bool {
    text[..start].chars().next_back().is_some_and(|c| c.is_ascii_digit())
}

/// The first `n` characters of `s`.
fn head(s: &str, n: usize) -> &str {
    &s[..s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)]
}

/// The last `n` characters of `s`.
fn tail_chars(s: &str, n: usize) -> String {
    let start = s.char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i);
    s[start..].to_string()
}

/// Votes from the page's own address: a date on or just after the month-day settles its
/// year; any other date only bounds it (a mirror or a crawl folder is later than the story).
pub(super) fn address_vote(date: AddressDate, anchor: Anchor, cue: Cue, ballot: &mut Ballot) {
    let year = date.year();
    match date {
        AddressDate::Day(d) => {
            for y in [year, year - 1] {
                if let Some(a) = anchor.in_year(y) {
                    if (0..=7).contains(&(d - a).num_days()) {
                        ballot.vote(y, cue, SETTLES);
                        return;
                    }
                }
            }
        }
        AddressDate::Month(y, m) => {
            // Stored in the month of the story, or early in the next.
            if m == anchor.month {
                ballot.vote(y, cue, SETTLES);
                return;
            }
            if m == anchor.month % 12 + 1 && anchor.day >= 20 {
                ballot.vote(if m == 1 { y - 1 } else { y }, cue, SETTLES);
                return;
            }
        }
    }
    ballot.at_most(year);
}

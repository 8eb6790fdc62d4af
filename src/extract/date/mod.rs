//! The publication date, with where it came from ([`DateSource`]) so a reader can audit it.
//!
//! Evidence is taken in a fixed order; the first that answers wins:
//!
//! 1. what the file says about itself: front matter, a sidecar, `<meta>` such as
//!    `article:published_time` (read by `source`, parsed by [`DateFinder::parse_hint`]);
//! 2. a **dateline** near the top: a wire dateline with its year (`新华社北京2019年3月5日电`),
//!    a labelled publication time (`发布时间：2022-08-28 21:54`), a date stamp above the
//!    story (`2022-03-12 10:19`). A stamp that contradicts the story's own month-day
//!    (`中新网杭州12月28日电` under `发布时间:2024-11-25`) or sits beside a made-up source
//!    (`来源: sp20241125`) is a mirror's crawl time: dropped, and it only bounds the year;
//! 3. the **signature** date closing an official notice (`山西省公安厅\n2024年7月6日`), which
//!    also wins over a republisher's stamp a few days later;
//! 4. the **lead**'s own full date when it dates a press act (`2022年9月26日，市公安局召开
//!    新闻发布会`), not a crime or a calendar fact (`2025年1月10日是第五个人民警察节`);
//! 5. the month-day of the dateline or lead (`中新网北海5月8日电`, `记者6月4日从…获悉`) with a
//!    **year weighed from the evidence** in the text and the page's address (see `year`):
//!    `text-year`, or `url`/`path` when the address settled it;
//! 6. with no month-day at all, the page's URL date when the text does not contradict it.
//!
//! Anything else, and any conflict, leaves the bulletin undated: a wrong date is worse
//! than none, because a date filter then shows the bulletin where it does not belong.

mod address;
mod parse;
mod year;

use std::ops::Range;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

pub use crate::bulletin::DateSource;
use crate::chars::floor_boundary;
use parse::{num, plausible, ymd, Found, FullDates};
use year::{address_vote, Anchor, Ballot, Cue, YearRules};

pub use year::Occasion;

/// Parse `occasions.csv` (columns `name,first,month,day`; `#` starts a comment line).
pub(crate) fn parse_occasions(csv_text: &str) -> Result<Vec<Occasion>, crate::resources::ResourceError> {
    let invalid = |reason: String| crate::resources::ResourceError::Invalid { name: "occasions.csv".into(), reason };
    let mut reader = csv::ReaderBuilder::new().comment(Some(b'#')).trim(csv::Trim::All).from_reader(csv_text.as_bytes());
    let mut out = Vec::new();
    for row in reader.deserialize::<Occasion>() {
        let mut o = row.map_err(|e| invalid(e.to_string()))?;
        if ymd(2000, o.month, o.day).is_none() || !(1900..=2100).contains(&o.first) {
            return Err(invalid(format!("{}: no such month-day or year", o.name)));
        }
        o.name = super::fold(&o.name);
        out.push(o);
    }
    Ok(out)
}

/// How far into the text datelines are looked for (bytes of folded text).
const HEADER_BYTES: usize = 2400;

/// A publication date and its evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dated {
    pub date: NaiveDate,
    pub source: DateSource,
}

/// What lies outside the text but dates it: the page's address and the file's path.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outside<'a> {
    pub url: Option<&'a str>,
    pub path: Option<&'a Path>,
}

/// What kind of date a dateline is, strongest last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// A bare date with a time, or alone on a short line (`2022-03-12 10:19`).
    Stamp,
    /// Labelled as the publication time (`发布时间：`, `时间：`, `日期：`).
    Labelled,
    /// A wire-service dateline with a full date (`2019年3月5日电`).
    Wire,
}

/// The story's month-day (`5月8日电`, `记者6月4日…获悉`, `1月8日，…召开`).
#[derive(Debug, Clone, Copy)]
struct MonthDay {
    month: u32,
    day: u32,
    /// Written as the day of publication (a wire dateline, a reporter learning the news),
    /// rather than the day of an event the story reports.
    publication: bool,
}

/// Compiled date patterns and year rules; build once (see [`super::Extractor::load`]).
#[derive(Debug)]
pub struct DateFinder {
    full: FullDates,
    years: YearRules,
    month_day: Regex,
    day_only: Regex,
    time: Regex,
    label: Regex,
    crawl_label: Regex,
    junk_source: Regex,
    chrome: Regex,
    widget: Regex,
    credit: Regex,
}

impl Default for DateFinder {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl DateFinder {
    /// Date rules with the numbered occasions (`index-schema/occasions.csv`).
    pub fn new(occasions: Vec<Occasion>) -> Self {
        // The patterns are constants; a failure here is a bug caught by every test.
        let re = |p: &str| Regex::new(p).expect("constant date pattern");
        DateFinder {
            full: FullDates::new(),
            years: YearRules::new(occasions),
            month_day: re(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"),
            day_only: re(r"(\d{1,2})日"),
            time: re(r"^\s*\d{1,2}:\d{2}"),
            label: re(r"(发布|发表|发稿|更新|出版|刊发|上传)?(时间|日期)\s*[:：]?\s*$|发布于\s*$|(?i:date)\s*[:：]?\s*$"),
            crawl_label: re(r"(抓取|采集|爬取|收录|入库|转载|镜像)(时间|日期)\s*[:：]?\s*$"),
            junk_source: re(r"来源\s*[:：]\s*[A-Za-z_\-]*\d[A-Za-z0-9_\-]*\s*$"),
            // Lower case: the text is folded (and `(?i)` would slow the scan of every text).
            chrome: re(r"©|copyright|版权所有|all rights reserved|icp[备証证]|公网安备|gmt\s*[+-]\s*\d|processed in|powered by|技术支持"),
            // A site's header: today's date beside the usual greeting and links. A date
            // with only its weekday may be a newspaper's page header, the day it was printed.
            widget: re(r"今天是|今日是|设为首页|加入收藏|欢迎访问|欢迎光临|欢迎您"),
            credit: re(r"^(责任编辑|责编|编辑|审核|审校|终审)\s*[:丨|]\s*[^\s:。,]{1,12}$"),
        }
    }

    /// A date written in document metadata: `2022-08-16`, `2022-08-16T10:00:00+08:00`,
    /// `Tue, 16 Aug 2022 23:09:09 GMT`, `2022/8/16`, `2022年8月16日`, `20220816`.
    pub(crate) fn parse_hint(&self, raw: &str) -> Option<NaiveDate> {
        let s = super::fold(raw.trim());
        if let Ok(dt) = chrono::DateTime::parse_from_rfc2822(&s) {
            return plausible(dt.date_naive());
        }
        if let Some(f) = self.full.all(&s, 0..s.len()).first() {
            return Some(f.date);
        }
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        if digits.len() == 8 {
            let y = digits[..4].parse().ok()?;
            let m = digits[4..6].parse().ok()?;
            let d = digits[6..8].parse().ok()?;
            return ymd(y, m, d);
        }
        None
    }

    /// The publication date of a folded text (title, newline, body) whose first real
    /// paragraph is `lead`; see the module notes for the order of evidence.
    pub fn find(&self, text: &str, lead: Range<usize>, outside: Outside<'_>) -> Option<Dated> {
        let lead_end = floor_boundary(text, lead.end.min(text.len()));
        let lead = floor_boundary(text, lead.start.min(lead_end))..lead_end;
        let header_end = floor_boundary(text, HEADER_BYTES.min(text.len()).max(lead.end));
        let lead_text = &text[lead.clone()];
        let chrome = self.chrome_lines(text);
        let in_chrome = |pos: usize| chrome.iter().any(|r| r.contains(&pos));
        // The lead's month-day, else one in the headline or the lines above the lead.
        let anchor = self.anchor(lead_text).or_else(|| self.anchor(&text[..lead.start]));
        let mut ballot = Ballot::default();

        // 2. (1 is the hints, weighed by the caller.) Datelines near the top.
        let mut datelines: Vec<(Kind, NaiveDate)> = Vec::new();
        for f in self.full.all(text, 0..header_end) {
            if in_chrome(f.start) || self.is_crawl_stamp(text, &f) {
                ballot.at_most(f.date.year());
                continue;
            }
            match self.dateline_kind(text, &f) {
                // A bare stamp below the story's first paragraphs belongs to a footer or
                // a related link.
                Some(Kind::Stamp) if paragraphs_before(text, f.start) > 1 => {}
                Some(kind) => datelines.push((kind, f.date)),
                None => {}
            }
        }
        for c in self.full.split_line.captures_iter(&text[..lead.start]) {
            if let (Some(y), Some(m), Some(d)) = (num(c.get(1)), num(c.get(2)), num(c.get(3))) {
                if let Some(date) = ymd(y as i32, m, d) {
                    datelines.push((Kind::Stamp, date));
                }
            }
        }
        // The story's own publication day (`5月7日电`) exposes stamps of another day: a
        // mirror's crawl time, a related article. They only bound the year.
        if let Some(a) = anchor.filter(|a| a.publication) {
            datelines.retain(|(kind, date)| {
                let agrees = *kind == Kind::Wire || within_days_after(*date, a.month, a.day, 7);
                if !agrees {
                    ballot.at_most(date.year());
                }
                agrees
            });
        }
        let signature = self.signature_date(text);
        if let Some(best) = datelines.iter().map(|(k, _)| *k).max() {
            let date = datelines.iter().find(|(k, _)| *k == best).map(|(_, d)| *d)?;
            // A republisher's stamp a few days after the notice's own signature.
            if let Some(s) = signature.filter(|s| *s <= date && (date - *s).num_days() <= 7) {
                return Some(Dated { date: s, source: DateSource::Signature });
            }
            return Some(Dated { date, source: DateSource::Dateline });
        }

        // 3. The signature date closing an official notice.
        if let Some(date) = signature {
            return Some(Dated { date, source: DateSource::Signature });
        }

        // 4. The lead's full date of a press conference or announcement.
        if let Some(date) = self.lead_press_date(lead_text) {
            return Some(Dated { date, source: DateSource::Lead });
        }

        // Full dates in the prose are the events the story reports (stamps excluded).
        let events: Vec<Found> =
            self.full.all(text, 0..text.len()).into_iter().filter(|f| !self.is_crawl_stamp(text, f) && self.dateline_kind(text, f).is_none()).collect();

        // 5. The month-day with a year the evidence settles (6, no month-day: the URL).
        let Some(a) = anchor else {
            return self.address_only(text, &events, &in_chrome, outside, ballot);
        };
        let day = self.publication_day(lead_text, a.day);
        let anchor = Anchor { month: a.month, day };
        self.years.collect(text, anchor, &events, &in_chrome, &mut ballot);
        if let Some(url) = outside.url.and_then(address::date_in_address) {
            address_vote(url, anchor, Cue::Url, &mut ballot);
        }
        if let Some(path) = outside.path.and_then(|p| address::date_in_address(&p.to_string_lossy())) {
            address_vote(path, anchor, Cue::Path, &mut ballot);
        }
        let (year, cue) = ballot.decide()?;
        let source = match cue {
            Cue::Url => DateSource::Url,
            Cue::Path => DateSource::Path,
            _ => DateSource::TextYear,
        };
        Some(Dated { date: ymd(year, anchor.month, anchor.day)?, source })
    }

    /// No month-day in the text: the URL's own date, unless the text reports years that
    /// contradict it (a page about 2017 stored under a 2024 address is a mirror). A path
    /// date alone is not trusted: crawl folders are named by the crawl day.
    fn address_only(&self, text: &str, events: &[Found], in_chrome: &dyn Fn(usize) -> bool, outside: Outside<'_>, mut ballot: Ballot) -> Option<Dated> {
        let address::AddressDate::Day(date) = outside.url.and_then(address::date_in_address)? else {
            return None;
        };
        self.years.bounds(text, events, in_chrome, &mut ballot);
        let y = date.year();
        let consistent = ballot.lower().is_none_or(|l| (l..=l + 2).contains(&y)) && ballot.upper().is_none_or(|u| y <= u);
        consistent.then_some(Dated { date, source: DateSource::Url })
    }

    /// The lead's first full date when it dates a press act rather than an event, is not
    /// part of a period, and comes before the lead's month-day.
    fn lead_press_date(&self, lead: &str) -> Option<NaiveDate> {
        let first = self.full.all(lead, 0..lead.len()).into_iter().find(|f| self.dateline_kind(lead, f).is_none() && !self.is_crawl_stamp(lead, f))?;
        let after = &lead[first.end..];
        let clause_end = after.find('。').unwrap_or(after.len());
        let clause = &after[..floor_boundary(after, clause_end.min(240))];
        let press = ["召开", "举行", "举办", "发布", "通报", "获悉", "了解到", "获知", "透露", "宣布", "公布"].iter().any(|w| clause.contains(w));
        let before_md = self.month_day.find(lead).is_none_or(|m| m.start() >= first.start);
        let calendar = after.trim_start().starts_with('是');
        (first.start < 120 && press && before_md && !calendar && !is_range(after)).then_some(first.date)
    }

    /// `公安部网站14日信息显示，公安部4月13日在京召开…`: a day-only mention before the
    /// month-day is the publication day of that month.
    fn publication_day(&self, lead: &str, day: u32) -> u32 {
        let Some(first_md) = self.month_day.find(lead) else {
            return day;
        };
        for c in self.day_only.captures_iter(&lead[..first_md.start()]) {
            let Some(whole) = c.get(0) else { continue };
            let prev = lead[..whole.start()].chars().next_back();
            if prev.is_some_and(|p| p.is_ascii_digit() || p == '月') {
                continue;
            }
            if let Some(d) = num(c.get(1)) {
                if d >= day && d <= day + 7 {
                    return d;
                }
            }
        }
        day
    }

    /// The first month-day of `text` that dates the story: not part of a full date, not
    /// the start of a period (`6月15日至6月18日`), not a calendar fact (`1月10日是…节`) unless
    /// the story happens `当天`.
    fn anchor(&self, text: &str) -> Option<MonthDay> {
        let mut calendar_fact = None;
        for c in self.month_day.captures_iter(text) {
            let whole = c.get(0)?;
            let before = &text[..whole.start()];
            if before.chars().next_back().is_some_and(|p| p.is_ascii_digit() || p == '年') {
                continue; // part of a full date, or `今年6月26日`
            }
            let after = &text[whole.end()..];
            if is_range(after) {
                continue;
            }
            let (m, d) = (num(c.get(1))?, num(c.get(2))?);
            if ymd(2000, m, d).is_none() {
                continue;
            }
            let wire = ["电", "讯", "消息"].iter().any(|w| after.trim_start().starts_with(w));
            let near_before = tail(before, 8);
            let near_after = &after[..floor_boundary(after, 60.min(after.len()))];
            let reporter = near_before.contains("记者")
                || near_after[..floor_boundary(near_after, 18.min(near_after.len()))].contains("记者")
                || ["获悉", "了解到", "获知"].iter().any(|w| near_after.contains(w));
            let found = MonthDay { month: m, day: d, publication: wire || reporter };
            if after.trim_start().starts_with('是') {
                // `1月10日是第三个人民警察节。当天，…`, `12月4日是国家宪法日，市公安局在…开展`:
                // the story happens on that day. Without that it may be told on another.
                let sentence = &after[..after.find('。').unwrap_or(after.len())];
                let same_day = ["当天", "当日", "这一天"].iter().any(|w| near_after.contains(w)) || sentence.contains(',');
                if same_day {
                    calendar_fact.get_or_insert(found);
                }
                continue;
            }
            return Some(found);
        }
        calendar_fact
    }

    /// Byte ranges of page-chrome lines (copyright, ICP, forum footers with `GMT+8`, a
    /// header's `今天是：2025年3月14日 星期五 | 设为首页`): their dates are the page's or the
    /// reader's day, not the story's. A line of prose (`今天是第五个人民警察节，…`) is no
    /// widget.
    fn chrome_lines(&self, text: &str) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        let widgets = self.widget.find_iter(text).map(|m| (m, true));
        for (m, widget) in self.chrome.find_iter(text).map(|m| (m, false)).chain(widgets) {
            if out.iter().any(|r| r.contains(&m.start())) {
                continue;
            }
            let start = text[..m.start()].rfind('\n').map_or(0, |i| i + 1);
            let end = text[m.end()..].find('\n').map_or(text.len(), |i| m.end() + i + 1);
            if widget && text[start..end].contains([',', '。']) {
                continue;
            }
            out.push(start..end);
        }
        out
    }

    /// Whether a full date is labelled as a crawl time or sits beside a made-up source
    /// (`来源: sp20241130`): a mirror's own stamp.
    fn is_crawl_stamp(&self, text: &str, f: &Found) -> bool {
        let (before, after) = line_around(text, f);
        self.crawl_label.is_match(before) || self.junk_source.is_match(after)
    }

    /// Whether a full date is a dateline (and which kind) rather than a date in the prose.
    fn dateline_kind(&self, text: &str, f: &Found) -> Option<Kind> {
        if self.is_crawl_stamp(text, f) {
            return None;
        }
        let (before, after) = line_around(text, f);
        if ["电", "讯", "消息"].iter().any(|w| after.trim_start().starts_with(w)) {
            return Some(Kind::Wire);
        }
        // Only the last few characters before the date can label it.
        if self.label.is_match(tail(before, 10)) {
            return Some(Kind::Labelled);
        }
        if self.time.is_match(after) {
            return Some(Kind::Stamp);
        }
        // A date alone on a short line without sentence punctuation (`2022年01月27日`,
        // `2024-07-07来源:某网`); `专案组于2023年1月18日统一收网。` is prose.
        let residue = before.chars().count() + after.chars().count();
        let next = after.trim_start().chars().next();
        let prose = before.contains([',', '。']) || after.contains([',', '。']);
        if residue <= 30 && !prose && !next.is_some_and(|c| "、至起到以-—~是前".contains(c)) {
            return Some(Kind::Stamp);
        }
        None
    }

    /// A date alone on a line right under the issuing unit, near the end
    /// (`XX市公安局\n2022年9月26日`), or a closing line of the page that holds both, or
    /// an editor's credit and the date (`（XX市公安局 2022年9月26日）`, `责任编辑：王某
    /// 2022年9月26日`).
    fn signature_date(&self, text: &str) -> Option<NaiveDate> {
        let tail_start = floor_boundary(text, text.len().saturating_sub(600));
        let tail = &text[tail_start..];
        let lines: Vec<&str> = tail.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let unit_like = |unit: &str| ["公安局", "分局", "公安厅", "派出所", "警方", "支队", "大队", "公安处", "办公室"].iter().any(|w| unit.ends_with(w));
        for line in lines.iter().rev().take(3) {
            let Some(f) = self.full.all(line, 0..line.len()).pop() else {
                continue;
            };
            let closes = line[f.end..].trim_start().trim_start_matches(['日', ')', '】', ']']).trim().is_empty();
            let who = line[..f.start].trim().trim_start_matches(['(', '【', '[']).trim();
            if closes && who.chars().count() <= 24 && (unit_like(who) || self.credit.is_match(who)) {
                return Some(f.date);
            }
        }
        for pair in lines.windows(2).rev() {
            let (unit, line) = (pair[0], pair[1]);
            if !unit_like(unit) || line.chars().count() > 16 {
                continue;
            }
            if let Some(f) = self.full.all(line, 0..line.len()).first() {
                if f.start == 0 && line[f.end..].trim().is_empty() {
                    return Some(f.date);
                }
            }
        }
        None
    }
}

/// How many real paragraphs (sentences of 40 characters or more) precede `pos`.
fn paragraphs_before(text: &str, pos: usize) -> usize {
    text[..pos]
        .lines()
        .filter(|l| {
            let l = l.trim();
            l.chars().count() >= 40 && l.contains([',', '。', ';'])
        })
        .count()
}

/// The parts of the date's line before and after it.
fn line_around<'t>(text: &'t str, f: &Found) -> (&'t str, &'t str) {
    let line_start = text[..f.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[f.end..].find('\n').map_or(text.len(), |i| f.end + i);
    (&text[line_start..f.start], &text[f.end..line_end])
}

/// Text right after a date that makes it the start of a period, not a day.
fn is_range(after: &str) -> bool {
    let a = after.trim_start();
    ["至", "到", "以来", "起", "-", "—", "~", "〜", "前"].iter().any(|w| a.starts_with(w))
}

/// Whether `date` is `month`-`day` or up to `days` after it (in its year or the year before).
fn within_days_after(date: NaiveDate, month: u32, day: u32, days: i64) -> bool {
    [date.year(), date.year() - 1].iter().any(|&y| {
        ymd(y, month, day).is_some_and(|a| {
            let diff = (date - a).num_days();
            (0..=days).contains(&diff)
        })
    })
}

/// The last `n` characters of `s`.
fn tail(s: &str, n: usize) -> &str {
    let start = s.char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i);
    &s[start..]
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use chrono::NaiveDate;

    use super::DateSource::{self, *};
    use crate::extract::testing::{doc, EXTRACTOR};
    use crate::source::HintOrigin;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    /// (title, body, expected date, expected source).
    type Case<'a> = (&'a str, &'a str, Option<NaiveDate>, Option<DateSource>);

    fn check(cases: &[Case<'_>]) {
        for (title, body, want, source) in cases {
            let m = EXTRACTOR.extract(&doc(title, body));
            assert_eq!(m.date, *want, "title {title:?} body {body:?}");
            assert_eq!(m.date_source, *source, "source of {body:?}");
        }
    }

    /// Undated: (title, body).
    fn refuse(cases: &[(&str, &str)]) {
        for (title, body) in cases {
            let m = EXTRACTOR.extract(&doc(title, body));
            assert_eq!(m.date, None, "title {title:?} body {body:?} got {:?}", m.date_source);
        }
    }

    #[test]
    fn hint_formats() {
        let f = &EXTRACTOR.dates;
        let cases = [
            ("2022-08-16", d(2022, 8, 16)),
            ("2022-08-16T10:00:00+08:00", d(2022, 8, 16)),
            ("Tue, 16 Aug 2022 23:09:09 GMT", d(2022, 8, 16)),
            ("2022/8/16", d(2022, 8, 16)),
            ("2022.08.16", d(2022, 8, 16)),
            ("2022年8月16日", d(2022, 8, 16)),
            ("20220816", d(2022, 8, 16)),
            ("二〇二二年八月十六日", d(2022, 8, 16)),
            ("２０２２－０８－１６", d(2022, 8, 16)),
            ("2022-02-30", None),
            ("1899-01-01", None),
            ("2022年8月", None),
            ("yesterday", None),
        ];
        for (input, want) in cases {
            assert_eq!(f.parse_hint(input), want, "{input}");
        }
    }

    #[test]
    fn the_files_own_statement_names_its_origin() {
        let cases = [(Some(HintOrigin::FrontMatter), FrontMatter), (Some(HintOrigin::Meta), Meta), (Some(HintOrigin::Sidecar), Sidecar)];
        for (origin, want) in cases {
            let mut x = doc("", "中新网杭州3月2日电 杭州市公安局通报一起诈骗案。");
            x.hints.date = Some("2021-03-02".into());
            x.hints.date_origin = origin;
            let m = EXTRACTOR.extract(&x);
            assert_eq!((m.date, m.date_source), (d(2021, 3, 2), Some(want)));
        }
    }

    #[test]
    fn datelines() {
        check(&[
            ("", "发布时间:2022-08-28 21:54:34 来源:清远市公安局\n近日，英德市公安局破获一起盗窃案，抓获犯罪嫌疑人3名。", d(2022, 8, 28), Some(Dateline)),
            ("兰州交警整治摩托车“炸街”", "2022-09-27 09:18:22\n信息兰州网消息 为深入打击高噪音道路交通违法行为，3月10日晚，兰州市公安局交警支队开展集中整治行动。", d(2022, 9, 27), Some(Dateline)),
            ("", "2022年9月26日\n9月25日，市公安局召开新闻发布会，通报夏季治安打击整治行动成果。", d(2022, 9, 26), Some(Dateline)),
            ("", "来源：中国网 时间：2022/09/27 编辑：李明\n9月27日，重庆市公安机关召开“夏季行动”成果新闻发布会。", d(2022, 9, 27), Some(Dateline)),
            ("", "发布时间:2024年06月19日 21:42 来源:中国新闻网\n6月19日，国家禁毒办召开新闻发布会。", d(2024, 6, 19), Some(Dateline)),
            ("", "28.03.2016  12:30\n  记者日前从吉林省公安厅获悉，为期4个月的专项行动结束，共破获盗骗案件2.4万余起。", d(2016, 3, 28), Some(Dateline)),
            ("云南警方严打跨境赌博犯罪", "2021\n05-07\n资讯\n  中新网昆明5月7日电 (记者 胡远航)7日，云南省启动为期一周的“拒绝跨境赌博”主题宣传周活动。", d(2021, 5, 7), Some(Dateline)),
            ("", "新华社北京2019年3月5日电 记者从公安部获悉，全国公安机关共破获电信网络诈骗案件10万起。", d(2019, 3, 5), Some(Dateline)),
            // A newspaper's page header with its weekday is the day it was printed.
            ("", "某某晚报 2024年5月21日 星期二 A05版\n本报讯 昨日，市公安局交警支队开展夜查行动，查处酒驾12起。", d(2024, 5, 21), Some(Dateline)),
            // A year, a month/day and a time: a stamp that agrees with the wire dateline.
            ("", "站点导航\n2023 11/14 09:05:11\n来源：示例网\n示例网合肥11月14日电 合肥市公安局破获一起跨境赌博案，抓获犯罪嫌疑人12名。", d(2023, 11, 14), Some(Dateline)),
            // A stamp above the story after an introduction and the headline.
            ("", "今年以来，全省电信网络诈骗案件高发，公安机关持续开展打击治理，预警劝阻群众数十万人次。\n省公安厅通报打击电诈成效\n2021-05-18 10:02:11 | 来源：示例网", d(2021, 5, 18), Some(Dateline)),
        ]);
    }

    #[test]
    fn signatures_of_official_notices() {
        check(&[
            (
                "警情通报",
                "9月25日，我局接群众报警称……目前，犯罪嫌疑人已被刑事拘留，案件正在进一步侦办中。\n英德市公安局\n二〇二二年九月二十六日",
                d(2022, 9, 26),
                Some(Signature),
            ),
            // A republisher's stamp a day after the notice keeps the notice's own date.
            (
                "致全市群众的一封信",
                "2023-05-12来源:示例政务网\n全市广大人民群众：\n为深入开展打击整治养老诈骗专项行动，现将有关事项告知如下。\n南宁市公安局\n2023年5月11日",
                d(2023, 5, 11),
                Some(Signature),
            ),
        ]);
        // The unit and the date on one closing line, or an editor's credit with the date,
        // under a story long enough that a bare stamp there would be a footer's.
        let story = "近日，某区公安分局刑侦大队接到辖区多名居民报警，称其停放在小区内的电动自行车电瓶被盗，民警随即调取监控展开侦查。\n经过连续多日的蹲守，民警在一处出租屋内将犯罪嫌疑人刘某抓获，现场起获被盗电瓶30余块，刘某对其盗窃行为供认不讳。\n警方提醒：请广大群众将电动车停放在有监控的地方。\n";
        check(&[
            ("", &format!("{story}（沈阳市公安局铁西分局 2023年9月12日）"), d(2023, 9, 12), Some(Signature)),
            ("", &format!("{story}【德阳市公安局 2022-06-30】\n"), d(2022, 6, 30), Some(Signature)),
            ("", &format!("{story}责任编辑：王晓 2023年9月12日"), d(2023, 9, 12), Some(Signature)),
            ("", &format!("{story}（编辑：陈立 2021-03-08）\n分享到："), d(2021, 3, 8), Some(Signature)),
        ]);
        refuse(
            &[
                // A related story's headline and day is no signature; nor a date in the prose.
                &format!("{story}相关新闻：铁西警方破获系列盗窃案 2023-09-01"),
                &format!("{story}民警提醒，该活动将持续至2023年9月30日"),
            ]
            .map(|b| ("", b.as_str())),
        );
    }

    #[test]
    fn a_lead_date_only_dates_a_press_act() {
        check(&[
            ("", "2022年9月26日，清远市公安局召开新闻发布会，通报打击治理电信网络诈骗犯罪工作成效。", d(2022, 9, 26), Some(Lead)),
            // A calendar fact: the press conference two days before is the date.
            ("", "2026年1月10日是第六个中国人民警察节。1月8日，市公安局举行新闻发布会，通报一年来全市公安工作。", d(2026, 1, 8), Some(TextYear)),
            // A line of prose is no page widget.
            ("", "今天是2024年4月15日，市公安局召开新闻发布会，通报一季度全市治安形势。", d(2024, 4, 15), Some(Lead)),
        ]);
        refuse(&[
            // A crime's date is not the day it is reported.
            ("", "2023年4月2日晚，李某在某小区内持刀抢劫一名路人，民警接警后迅速赶到现场将其抓获。"),
            // Nor is a short line of prose a stamp.
            ("", "近日，某市公安局破获一起跨境赌博案，抓获犯罪嫌疑人16名。\n经过两个多月的侦查，专案组于2023年1月18日统一收网。"),
        ]);
    }

    #[test]
    fn crawl_stamps_yield_to_the_story() {
        check(&[
            (
                "",
                "抓取时间：2024-11-30 12:30:22\n新华社北京2019年3月5日电 记者从公安部获悉，今年以来全国公安机关破获案件10万起。",
                d(2019, 3, 5),
                Some(Dateline),
            ),
            (
                "",
                "2019-01-22 08:51   生活日报\n21日，记者从全省直销企业监管工作会议上了解到，去年我省各级公安机关共立案组织领导传销活动案件354起。",
                d(2019, 1, 22),
                Some(Dateline),
            ),
            // A stamp that contradicts the wire's month-day is dropped; the year comes from
            // an operation named after it, the stamp only bounds it.
            (
                "",
                "发布时间:2024-10-02 03:11:40 来源: 示例网\n示例社南京11月20日电 江苏省公安厅20日通报“净网2023”专项行动成果，共侦破案件3200余起。",
                d(2023, 11, 20),
                Some(TextYear),
            ),
        ]);
        refuse(&[
            ("", "2024-11-30 12:30:22\n中新网北京3月5日电 记者5日从公安部获悉，全国公安机关破获案件10万起。"),
            ("", "发布时间:2024-11-30 12:30:22 来源: sp20241130\n近日，武汉警方通报一起跨省诈骗医保资金案。"),
            // A forum footer's render time under the story is the page's, not the story's.
            ("", "12月20日下午，市公安局召开新闻发布会，通报今年以来全市打击整治养老诈骗工作情况。\n会上，市公安局有关负责人介绍了典型案例。\n会议要求各地持续加强宣传防范。\nGMT+8, 2024-11-24 23:38 , Processed in 0.0312 second(s)"),
        ]);
    }

    #[test]
    fn numbered_occasions_settle_the_year() {
        check(&[
            ("", "示例网银川1月10日电 1月10日是第三个中国人民警察节。当天，宁夏公安厅召开新闻发布会。", d(2023, 1, 10), Some(TextYear)),
            ("", "1月9日，自治区公安厅召开庆祝首个“中国人民警察节”新闻发布会，通报全区公安工作情况。", d(2021, 1, 9), Some(TextYear)),
            ("", "6月25日，市禁毒委在人民广场举办第三十六个国际禁毒日集中宣传活动，现场销毁毒品50公斤。", d(2023, 6, 25), Some(TextYear)),
            ("", "1月10日，市公安局在步行街开展纪念全国第三十七个“110”宣传日活动，向群众发放宣传资料。", d(2023, 1, 10), Some(TextYear)),
            ("", "5月15日，省公安厅经侦总队开展第十四个“5·15”打击和防范经济犯罪宣传日活动。", d(2023, 5, 15), Some(TextYear)),
            // The day itself, when the story happens on it.
            ("", "12月4日是第九个国家宪法日，市公安局在人民广场开展宪法宣传活动。", d(2022, 12, 4), Some(TextYear)),
        ]);
        refuse(&[
            // The occasion's day, but the story is told on another.
            ("", "6月26日是第三十五个国际禁毒日。近日，市禁毒办在全市开展禁毒宣传月活动。"),
        ]);
    }

    #[test]
    fn operations_named_after_a_year() {
        check(&[
            ("", "示例网讯 9月18日，省公安厅召开新闻发布会，通报“昆仑2022”专项行动开展以来全省打击食品药品犯罪情况。", d(2022, 9, 18), Some(TextYear)),
            ("", "7月3日，记者从市公安局获悉，在“云剑-2021”行动中，该局抓获命案逃犯4名。", d(2021, 7, 3), Some(TextYear)),
            ("", "记者5月20日从省公安厅获悉，今年该厅将持续推进“清源”行动—2024，严打制毒犯罪。", d(2024, 5, 20), Some(TextYear)),
            // The clause says how far back the operation is: the publication is later.
            ("", "记者6月11日从市公安局获悉，在去年部署的“净网-2022”专项行动中，该局共侦破案件86起。", d(2023, 6, 11), Some(TextYear)),
            ("", "9月2日，县公安局通报，前年启动的“团圆2021”行动中找回的被拐儿童已全部回归家庭。", d(2023, 9, 2), Some(TextYear)),
            // `今年` settles even a January operation.
            ("", "1月20日，市公安局召开会议，部署今年的“夏安2024”百日行动前期工作。", d(2024, 1, 20), Some(TextYear)),
        ]);
        refuse(&[
            // In January an operation may be last year's or this year's.
            ("", "1月12日，市公安局通报“净网2022”专项行动成果，共侦破网络犯罪案件380起。"),
            // A case number holds digits next to the year; a report's title holds its year.
            ("", "9月3日，警方破获“20230611”特大贩毒案，抓获犯罪嫌疑人5名。"),
            // A period begun last year holds last year's or this year's operation.
            ("", "记者8月6日从区公安分局获悉，去年以来，在“护航-2022”行动中抓获的嫌疑人已全部判决。"),
            ("", "10月15日，市公安局通报，去年以来开展的“清朗2021”行动共清理有害信息3万条。"),
            // An earlier round is over, but not how long ago; a plan dates nothing.
            ("", "7月9日，省公安厅召开会议，总结上一轮“蓝剑2020”行动经验。"),
            ("", "11月4日，市公安局表示，明年将开展“清源2025”专项行动。"),
        ]);
    }

    #[test]
    fn dated_events_before_the_dateline() {
        check(&[
            (
                "",
                "中安在线讯 8月7日，记者从安徽省公安厅采访获悉，专项斗争开展以来至2019年6月，全省公安机关共摧毁涉黑涉恶犯罪团伙1345个。",
                d(2019, 8, 7),
                Some(TextYear),
            ),
            (
                "",
                "央广网广州4月16日消息 广州市公安局新闻办公室今天(16日)通报：今年以来开展“团圆”行动。\n2021年3月2日，警方在打拐库中比中了天河区的男子黄某。",
                d(2021, 4, 16),
                Some(TextYear),
            ),
            // An event in December before a January dateline: the next year.
            ("", "示例网讯 记者1月15日从市公安局获悉，2022年12月28日，该局破获一起特大网络赌博案，涉案金额2亿元。", d(2023, 1, 15), Some(TextYear)),
            // Half a year before, in the same year: still that year.
            (
                "",
                "示例网杭州9月20日电 记者今天从杭州市公安局获悉，该局于2020年2月10日在全国多地统一收网，打掉一个特大传销组织。",
                d(2020, 9, 20),
                Some(TextYear),
            ),
            (
                "",
                "公安部网站14日信息显示，公安部4月13日在京召开电视电话会议，部署全国公安机关开展“云剑-2020”行动。截至2019年底，共侦办涉黑案件2806起。",
                d(2020, 4, 14),
                Some(TextYear),
            ),
            // A closed period counts by its end.
            ("", "9月22日，市公安局召开新闻发布会。会上介绍，2018年6月至2020年6月，全市共打掉涉黑组织5个。", d(2020, 9, 22), Some(TextYear)),
        ]);
        refuse(&[
            // A period running up to now does not say when now is.
            ("", "记者9月2日从市公安局获悉，2019年9月至今，该局共破获盗窃电动车案件860起。"),
            // A court story: a crime half a year before does not say when it is reported.
            ("", "10月9日，市中级人民法院公开宣判一起故意杀人案。2019年3月2日，被告人王某因琐事将被害人杀害。"),
            // More than a year across a new year: too far to tell.
            ("", "11月20日，记者从市公安局获悉，2019年12月1日，民警在辖区巡逻时抓获一名盗窃嫌疑人。"),
        ]);
    }

    #[test]
    fn years_the_text_states() {
        check(&[
            ("", "示例网北海5月8日电 警方8日介绍，为防止传销死灰复燃，北海市举办了2020年打击传销专项行动启动仪式。", d(2020, 5, 8), Some(TextYear)),
            // A year summed up early in the next one.
            ("", "示例社南宁1月30日电 1月30日，自治区公安厅介绍，2023年，全区共破获电信网络诈骗案件1.2万起。", d(2024, 1, 30), Some(TextYear)),
            ("", "2月3日，市公安局召开新闻发布会。截至2021年底，全市共打掉涉黑涉恶团伙46个。", d(2022, 2, 3), Some(TextYear)),
            // A year's conference at its end; half a year reported after it.
            ("", "12月16日，记者从2024年度全市反诈工作总结表彰大会上获悉，全市电诈发案数同比下降。", d(2024, 12, 16), Some(TextYear)),
            ("", "8月2日，市公安局召开新闻发布会，通报2022年上半年全市刑事案件发案数同比下降12%。", d(2022, 8, 2), Some(TextYear)),
            ("", "人民网北京1月4日电 公安部4日召开新闻发布会，通报2023年全国公安机关打击治理电信网络诈骗犯罪工作成效。", d(2024, 1, 4), Some(TextYear)),
            // A year written beside 去年/今年 says how far back it is.
            ("", "6月3日，记者从市公安局获悉，去年（2022年）全市共破获电信网络诈骗案件1500余起。", d(2023, 6, 3), Some(TextYear)),
            ("", "记者9月9日从省公安厅获悉，今年即2021年以来，全省共抓获网上逃犯800余名。", d(2021, 9, 9), Some(TextYear)),
        ]);
        refuse(&[
            // A period up to now does not say when now is.
            ("", "9月15日，哈尔滨市公安局组织开展非法枪爆物品集中销毁活动。2020年以来，累计收缴各类枪支3725支。"),
            ("", "12月25日，市公安局召开新闻发布会，通报自2018年以来全市扫黑除恶专项斗争工作情况。"),
            // Plans, titles, births and a case's own story are not the year of publication.
            ("", "6月10日，市公安局表示，力争到2025年全市电诈案件发案数下降三成。"),
            ("", "6月27日，省禁毒委发布《2021年全省毒情形势报告》。"),
            ("", "7月14日，民警在火车站抓获一名网上逃犯。经查，该男子1979年出生，曾因盗窃被判刑。"),
            ("", "5月6日，记者从警方获悉，2016年，犯罪嫌疑人张某在某网站结识被害人并骗取其钱财。"),
            // Dated to the month or day, a case's story still dates the crime: it may be told
            // when the case is solved years later.
            ("", "记者4月20日从县公安局获悉，2015年2月，被害人王某在家中被人入室抢劫，近日犯罪嫌疑人落网。"),
            ("", "11月3日，市公安局通报，2020年9月18日，犯罪嫌疑人李某冒充客服骗取被害人钱款12万元后潜逃。"),
            // Honours and records are the past of the unit, not the year of the story.
            ("", "6月18日，市公安局举行表彰大会。2019年，该局刑警支队被评为全国优秀公安基层单位。"),
            ("", "5月4日，某派出所民警救助一名走失老人。该所成立于1998年，2016年被公安部授予“枫桥式公安派出所”称号。"),
            // A disaster named by its day: the press conference before that day is a later year's.
            ("", "示例网郑州7月10日电 河南省公安厅召开新闻发布会，通报2021年“7·20”特大暴雨灾害期间抢险救援情况。"),
            // A court story tries a case an operation broke, often later.
            ("", "8月12日，区人民法院公开宣判一起在“净网2020”专项行动中破获的侵犯公民个人信息案。"),
            // A whole year's tally in mid-year: last year's or this year's so far.
            ("", "5月20日上午，县公安局组织开展防范电信网络诈骗宣传进校园活动。据统计，2022年全县共发生电诈案件312起。"),
            // A case named by the year it was solved is older than the news about it.
            ("", "5月12日，市公安局召开新闻发布会，通报该局2019年侦破的特大跨境赌博案最新进展。"),
            // Early in a year a bare year is as often last year's.
            ("", "2月11日，县公安局召开会议，部署2022年春节期间安保工作。"),
        ]);
    }

    #[test]
    fn old_cases_date_the_crime_not_the_story() {
        check(&[
            // The crime's year is twenty years before a year the text states.
            (
                "",
                "记者7月2日从县公安局获悉，一起尘封20年的命案告破。2004年6月14日，某村发生一起杀人案。2024年，县公安局重启侦查，最终将犯罪嫌疑人抓获。",
                d(2024, 7, 2),
                Some(TextYear),
            ),
            (
                "",
                "记者9月3日获悉，一起二十多年前的命案告破。2001年9月1日，某村发生一起杀人案。2023年，市公安局重启侦查，民警最终将其抓获。",
                d(2023, 9, 3),
                Some(TextYear),
            ),
        ]);
        refuse(&[
            // The crime's date and its age alone: the age is rounded, the year unknown.
            ("", "10月8日，家属来到县公安局送上锦旗，感谢民警破获一起26年前的命案。1997年10月20日，某村村民李某在家中遇害。"),
            ("", "记者7月2日从县公安局获悉，一起尘封20年的命案告破。2004年6月14日，某村发生一起杀人案。"),
            // A case named by the day of the crime, solved much later.
            ("", "9月20日，省公安厅召开新闻发布会，通报“2009.8.12”故意杀人案告破，犯罪嫌疑人在潜逃多年后落网。"),
        ]);
    }

    #[test]
    fn conflicting_evidence_leaves_it_undated() {
        refuse(&[
            // An operation of one year, an event of another: no year has twice the weight.
            ("", "9月5日，市公安局通报“净网2021”专项行动成果。2022年6月，该局破获一起侵犯公民个人信息案。"),
            // No evidence at all.
            ("", "9月28日，清远市公安局召开新闻发布会，通报今年以来打击电信网络诈骗犯罪工作情况。"),
            ("", "央广网哈尔滨9月15日消息 9月15日10时，哈尔滨市公安局组织开展了非法枪爆物品集中统一销毁活动。"),
            ("", "沈阳晚报讯 6月21日记者获悉，沈阳市公安局铁西分局从6月15日至6月18日开展了为期4天的集中抓捕行动。"),
            ("", "二〇二二年九月\n英德市公安局发布通告，敦促在逃人员投案自首。"),
            // A site header's today-widget is the reader's day, not the story's.
            ("", "今天是：2024年11月8日 星期五 | 设为首页 | 加入收藏\n您现在的位置：首页 > 警务动态\n10月30日，县公安局破获一起盗窃电动车案，抓获嫌疑人2名。"),
            ("", "二〇二四年十一月八日 星期五 欢迎访问\n10月30日，县公安局破获一起盗窃电动车案，抓获嫌疑人2名。"),
            ("", "2024年11月8日 星期五 欢迎访问本市公安局门户网站\n10月30日，县公安局破获一起盗窃电动车案，抓获嫌疑人2名。"),
            ("", "今日是2024年11月8日\n10月30日，县公安局破获一起盗窃电动车案，抓获嫌疑人2名。"),
            ("", "发布时间:2022-02-30 10:00\n英德市公安局发布通告，敦促在逃人员投案自首。"),
            ("", "海南黑脸琵鹭数量创新高 url:https://m.gmw.cn/2023-01/10/content_1303250473.htm,id:1303250473\n为期三天的调查于1月8日顺利结束，调查队共记录到201只黑脸琵鹭。"),
            ("", "本报讯 昨日，省公安厅召开新闻通气会，专项行动从2017年5月开始至12月结束。\n今年1月1日至7月18日，全省通讯网络诈骗案件立案数同比下降30.3%。"),
            // A copyright line's years are the site's.
            ("", "新华社北京3月30日电 记者30日从公安部交管局获悉，全国统一夜查行动共查处酒驾醉驾2.2万起。\nCopyright © 2004-2020 示例网 版权所有"),
        ]);
    }

    fn at(path: &str, url: Option<&str>, body: &str) -> (Option<NaiveDate>, Option<DateSource>) {
        let mut x = doc("", body);
        x.path = PathBuf::from(path);
        x.hints.url = url.map(str::to_string);
        let m = EXTRACTOR.extract(&x);
        (m.date, m.date_source)
    }

    #[test]
    fn addresses_settle_a_month_day_that_agrees() {
        let body = "示例网济南6月3日电 记者从山东省公安厅获悉，全省公安机关破获一批电信网络诈骗案件。";
        let cases = [
            ("a.html", Some("http://www.example.cn/news/2021-06/03/c_1127.htm"), (d(2021, 6, 3), Some(Url))),
            ("a.html", Some("http://www.example.gov.cn/gat/202106/t20210604_38.html"), (d(2021, 6, 3), Some(Url))),
            ("a.html", Some("https://m.example.net/sd/202106/10346603.html"), (d(2021, 6, 3), Some(Url))),
            ("archive/2021/06/04/jinan.html", None, (d(2021, 6, 3), Some(Path))),
            // A mirror's address months later is no evidence of the year.
            ("a.html", Some("http://mirror.example.com/20240912/i2035.phtml"), (None, None)),
            ("crawl/2024-11-25/jinan.txt", None, (None, None)),
        ];
        for (path, url, want) in cases {
            assert_eq!(at(path, url, body), want, "{path} {url:?}");
        }
    }

    #[test]
    fn a_url_dates_a_text_without_month_day_unless_contradicted() {
        let cases = [
            ("近日，济南市公安局破获一起电信网络诈骗案，抓获犯罪嫌疑人5名。", (d(2021, 6, 3), Some(Url))),
            // A page about 2017 under a 2021 address is a copy.
            ("温州市公安局近期公布2017年全年工作报告，2017年全市命案全破。", (None, None)),
        ];
        for (body, want) in cases {
            assert_eq!(at("a.html", Some("http://www.example.cn/news/2021-06/03/c_1127.htm"), body), want, "{body}");
        }
        // A path alone may be a crawl folder's day.
        assert_eq!(at("crawl/2021-06-03/a.txt", None, cases[0].0), (None, None));
    }
}

//! The publication date: from the document's own metadata, its dateline, or the date of the
//! press conference or event it reports when the document itself gives the year.
//!
//! Order of trust: `hints.date` (front matter, `<meta>`) > a dateline near the top (`发布时间：
//! 2022-08-28 21:54:34`, `2022年01月18日 16:14 来源：…`, a wire dateline `新华社北京2019年3月5日
//! 电`) > the signature date at the end of an official notice > the lead's event date.
//! A month and day alone (`9月28日`) get a year only from evidence in the same document (an
//! earlier dated event a few months before, `截至2019年底`, an operation named `云剑-2020`, a
//! numbered holiday such as `第三个中国人民警察节`); otherwise the bulletin stays undated.
//! A wrong date is worse than none, so every rule refuses when unsure.

use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use crate::chars::floor_boundary;

/// Plausible publication years; anything outside is a misread number.
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2030;

/// How far into the text datelines are looked for (bytes of folded text).
const HEADER_BYTES: usize = 2400;

/// Numbered annual occasions: `第N个<name>` happens in year `base + N`, on (month, day).
/// The year is used only when the lead's month-day is within a month of the occasion.
const OCCASIONS: &[(&str, i32, u32, u32)] = &[
    ("人民警察节", 2020, 1, 10),
    ("国际禁毒日", 1987, 6, 26),
    ("全国交通安全日", 2011, 12, 2),
    ("国家宪法日", 2013, 12, 4),
    ("全民国家安全教育日", 2015, 4, 15),
    ("全国防范非法集资宣传日", 2020, 6, 1),
];

/// What kind of date a match is, strongest last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// A bare date with a time, or alone on a short line (`2022-03-12 10:19`).
    Stamp,
    /// Labelled as the publication time (`发布时间：`, `时间：`, `日期：`).
    Labelled,
    /// A wire-service dateline with a full date (`2019年3月5日电`).
    Wire,
}

/// Compiled date patterns; build once (see [`super::Extractor::load`]).
#[derive(Debug)]
pub struct DateFinder {
    numeric: Regex,
    cjk_numeral: Regex,
    day_first: Regex,
    split_line: Regex,
    month_day: Regex,
    day_only: Regex,
    year_month: Regex,
    year_end: Regex,
    operation: Regex,
    occasion: Regex,
    time: Regex,
    label: Regex,
    crawl_label: Regex,
    junk_source: Regex,
}

impl Default for DateFinder {
    fn default() -> Self {
        Self::new()
    }
}

/// A full date found in the text with where it sits.
#[derive(Debug, Clone)]
struct Found {
    date: NaiveDate,
    start: usize,
    end: usize,
}

impl DateFinder {
    pub fn new() -> Self {
        // The patterns are constants; a failure here is a bug caught by every test.
        let re = |p: &str| Regex::new(p).expect("constant date pattern");
        DateFinder {
            numeric: re(
                r"((?:19|20)\d{2})\s*([-/.年])\s*(\d{1,2})\s*([-/.月])\s*(\d{1,2})(\s*[日号])?",
            ),
            cjk_numeral: re(
                r"([〇○零0o一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月(?:\s*([一二三四五六七八九十]{1,3})\s*[日号])?",
            ),
            day_first: re(r"(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})"),
            split_line: re(r"(?m)^\s*((?:19|20)\d{2})\s*\n\s*(\d{1,2})-(\d{1,2})\s*$"),
            month_day: re(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"),
            day_only: re(r"(\d{1,2})日"),
            year_month: re(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?"),
            year_end: re(r"((?:19|20)\d{2})\s*年(?:底|末|全年|度)"),
            operation: re(
                r#"[“"《]([^”"》\n]{0,12}?)[-—－]?((?:19|20)\d{2})[^”"》\n]{0,10}[”"》]"#,
            ),
            occasion: re(
                r"第([一二三四五六七八九十百\d]+)个[“\x22《]?(?:中国)?(人民警察节|国际禁毒日|全国交通安全日|国家宪法日|全民国家安全教育日|全国防范非法集资宣传日)",
            ),
            time: re(r"^\s*\d{1,2}:\d{2}"),
            label: re(
                r"(发布|发表|发稿|更新|出版|刊发|上传)?(时间|日期)\s*[:：]?\s*$|发布于\s*$|(?i:date)\s*[:：]?\s*$",
            ),
            crawl_label: re(r"(抓取|采集|爬取|收录|入库|转载|镜像)(时间|日期)\s*[:：]?\s*$"),
            junk_source: re(r"来源\s*[:：]\s*[A-Za-z_\-]*\d[A-Za-z0-9_\-]*\s*$"),
        }
    }

    /// A date written in document metadata: `2022-08-16`, `2022-08-16T10:00:00+08:00`,
    /// `Tue, 16 Aug 2022 23:09:09 GMT`, `2022/8/16`, `2022年8月16日`, `20220816`.
    pub fn parse_hint(&self, raw: &str) -> Option<NaiveDate> {
        let s = super::fold(raw.trim());
        if let Ok(dt) = chrono::DateTime::parse_from_rfc2822(&s) {
            return plausible(dt.date_naive());
        }
        if let Some(f) = self.full_dates(&s, 0..s.len()).first() {
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

    /// The publication date of a folded text whose first real paragraph is `lead`.
    pub fn find(&self, text: &str, lead: Range<usize>) -> Option<NaiveDate> {
        let lead_end = floor_boundary(text, lead.end.min(text.len()));
        let lead = floor_boundary(text, lead.start.min(lead_end))..lead_end;
        let header_end = floor_boundary(
            text,
            HEADER_BYTES.min(text.len()).max(lead.end.min(text.len())),
        );
        let lead_text = &text[lead.clone()];
        let anchor = self.anchor(lead_text);

        // 1. Datelines near the top.
        let mut datelines: Vec<(Kind, NaiveDate)> = Vec::new();
        for f in self.full_dates(text, 0..header_end) {
            if let Some(kind) = self.dateline_kind(text, &f) {
                datelines.push((kind, f.date));
            }
        }
        for c in self.split_line.captures_iter(&text[..header_end]) {
            if let (Some(y), Some(m), Some(d)) = (num(c.get(1)), num(c.get(2)), num(c.get(3))) {
                if let Some(date) = ymd(y as i32, m, d) {
                    datelines.push((Kind::Stamp, date));
                }
            }
        }
        // A wire dateline's month-day (`5月7日电`) exposes stamps of another day: a
        // mirror's crawl time, a related article.
        if let Some((am, ad, true)) = anchor {
            datelines
                .retain(|(kind, date)| *kind == Kind::Wire || within_days_after(*date, am, ad, 7));
        }
        if let Some(best) = datelines.iter().map(|(k, _)| *k).max() {
            return datelines.iter().find(|(k, _)| *k == best).map(|(_, d)| *d);
        }

        // 2. The signature date closing an official notice.
        if let Some(d) = self.signature_date(text) {
            return Some(d);
        }

        // 3. The lead: an event date with its year, or a month-day whose year the
        //    document settles.
        // (Datelines were weighed above; a rejected one must not come back as the event.)
        let lead_dates: Vec<Found> = self
            .full_dates(lead_text, 0..lead_text.len())
            .into_iter()
            .filter(|f| {
                self.dateline_kind(lead_text, f).is_none() && !self.is_crawl_stamp(lead_text, f)
            })
            .collect();
        if let Some(first) = lead_dates.first() {
            let before_first = anchor.is_none()
                || self
                    .month_day
                    .find(lead_text)
                    .is_some_and(|m| m.start() >= first.start);
            let after = &lead_text[first.end..];
            if before_first && first.start < 120 && !is_range(after) {
                return Some(first.date);
            }
        }
        let (month, mut day, _) = anchor?;
        // `公安部网站14日信息显示，公安部4月13日在京召开…`: the day-only mention before the
        // month-day is the publication day of that month.
        if let Some(first_md) = self.month_day.find(lead_text) {
            for c in self.day_only.captures_iter(&lead_text[..first_md.start()]) {
                let Some(whole) = c.get(0) else { continue };
                let prev = lead_text[..whole.start()].chars().next_back();
                if prev.is_some_and(|p| p.is_ascii_digit() || p == '月') {
                    continue;
                }
                if let Some(d) = num(c.get(1)) {
                    if d >= day && d <= day + 7 {
                        day = d;
                        break;
                    }
                }
            }
        }
        let year = self.year_for(text, lead_text, month, day)?;
        ymd(year, month, day)
    }

    /// The year in which `month`-`day` falls, if the document settles it.
    fn year_for(&self, text: &str, lead: &str, month: u32, day: u32) -> Option<i32> {
        // A numbered occasion (`第三个中国人民警察节`) close to the month-day.
        for c in self.occasion.captures_iter(text) {
            let (Some(n), Some(name)) = (c.get(1).and_then(|m| cjk_number(m.as_str())), c.get(2))
            else {
                continue;
            };
            if let Some(&(_, base, om, od)) = OCCASIONS.iter().find(|o| o.0 == name.as_str()) {
                let year = base + n as i32;
                if let (Some(occ), Some(md)) = (ymd(year, om, od), ymd(year, month, day)) {
                    if (md - occ).num_days().abs() <= 31 {
                        return Some(year);
                    }
                }
            }
        }
        // An operation named after its year in the lead (`“云剑-2020”行动`).
        for c in self.operation.captures_iter(lead) {
            if let Some(y) = num(c.get(2)) {
                if YEARS.contains(&(y as i32)) {
                    return Some(y as i32);
                }
            }
        }
        // The latest dated event the text reports, if it is at most four months before.
        let mut best: Option<i32> = None;
        for c in self.year_month.captures_iter(text) {
            let (Some(y), Some(m)) = (num(c.get(1)), num(c.get(2))) else {
                continue;
            };
            let d = num(c.get(3)).unwrap_or(1);
            let Some(event) = ymd(y as i32, m, d) else {
                continue;
            };
            let year = if (month, day) >= (m, d) {
                y as i32
            } else {
                y as i32 + 1
            };
            let Some(story) = ymd(year, month, day) else {
                continue;
            };
            if (story - event).num_days() <= 120 {
                best = best.max(Some(year));
            }
        }
        if best.is_some() {
            return best;
        }
        // Figures for a whole year reported early in the next (`截至2019年底`, `2021年度`).
        if month <= 4 {
            let mut years: Vec<i32> = self
                .year_end
                .captures_iter(text)
                .filter_map(|c| num(c.get(1)))
                .map(|y| y as i32 + 1)
                .collect();
            years.sort_unstable();
            years.dedup();
            if let [y] = years.as_slice() {
                return Some(*y);
            }
        }
        None
    }

    /// The first month-day of the lead that dates the story rather than a period
    /// (`6月15日至6月18日` is a period), and whether it is a wire dateline (`…电`, `…讯`).
    fn anchor(&self, lead: &str) -> Option<(u32, u32, bool)> {
        for c in self.month_day.captures_iter(lead) {
            let whole = c.get(0)?;
            let before = &lead[..whole.start()];
            if before
                .chars()
                .next_back()
                .is_some_and(|p| p.is_ascii_digit() || p == '年')
            {
                continue; // part of a full date
            }
            let after = &lead[whole.end()..];
            if is_range(after) {
                continue;
            }
            let wire = ["电", "讯", "消息"]
                .iter()
                .any(|w| after.trim_start().starts_with(w));
            let (m, d) = (num(c.get(1))?, num(c.get(2))?);
            if ymd(2000, m, d).is_some() {
                return Some((m, d, wire));
            }
        }
        None
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
        if ["电", "讯", "消息"]
            .iter()
            .any(|w| after.trim_start().starts_with(w))
        {
            return Some(Kind::Wire);
        }
        // Only the last few characters before the date can label it.
        let near: String = before
            .chars()
            .rev()
            .take(10)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if self.label.is_match(&near) {
            return Some(Kind::Labelled);
        }
        if self.time.is_match(after) {
            return Some(Kind::Stamp);
        }
        let residue = before.chars().count() + after.chars().count();
        let next = after.trim_start().chars().next();
        if residue <= 30 && !next.is_some_and(|c| "，,、。至起到以-—~".contains(c)) {
            return Some(Kind::Stamp);
        }
        None
    }

    /// A date alone on a line right under the issuing unit, near the end
    /// (`XX市公安局\n2022年9月26日`).
    fn signature_date(&self, text: &str) -> Option<NaiveDate> {
        let tail_start = floor_boundary(text, text.len().saturating_sub(600));
        let tail = &text[tail_start..];
        let lines: Vec<&str> = tail
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        for pair in lines.windows(2).rev() {
            let (unit, line) = (pair[0], pair[1]);
            let unit_like = [
                "公安局",
                "分局",
                "公安厅",
                "派出所",
                "警方",
                "支队",
                "大队",
                "公安处",
                "办公室",
            ]
            .iter()
            .any(|w| unit.ends_with(w));
            if !unit_like || line.chars().count() > 16 {
                continue;
            }
            if let Some(f) = self.full_dates(line, 0..line.len()).first() {
                if f.start == 0 && line[f.end..].trim().is_empty() {
                    return Some(f.date);
                }
            }
        }
        None
    }

    /// Every full, valid date in `text[range]`, in order.
    fn full_dates(&self, text: &str, range: Range<usize>) -> Vec<Found> {
        let hay = &text[..range.end];
        let mut out = Vec::new();
        for c in self.numeric.captures_iter(hay) {
            let Some(whole) = c.get(0) else { continue };
            if whole.start() < range.start {
                continue;
            }
            let (sep1, sep2) = (
                c.get(2).map_or("", |m| m.as_str()),
                c.get(4).map_or("", |m| m.as_str()),
            );
            let cjk = sep1 == "年" && sep2 == "月";
            if !cjk && (sep1 != sep2 || sep1 == "年" || sep2 == "月") {
                continue;
            }
            // Part of a longer number, a version or a URL path (`/2023-01/10/`).
            let prev = hay[..whole.start()].chars().next_back();
            let next = text[whole.end()..].chars().next();
            if prev.is_some_and(|p| {
                p.is_ascii_alphanumeric() || p == '/' || p == '.' || p == '-' || p == '_'
            }) || (!cjk
                && next.is_some_and(|n| {
                    n.is_ascii_digit()
                        || n == '/'
                        || n == '.'
                            && text[whole.end() + 1..].starts_with(|x: char| x.is_ascii_digit())
                }))
            {
                continue;
            }
            if let (Some(y), Some(m), Some(d)) = (num(c.get(1)), num(c.get(3)), num(c.get(5))) {
                if let Some(date) = ymd(y as i32, m, d) {
                    out.push(Found {
                        date,
                        start: whole.start(),
                        end: whole.end(),
                    });
                }
            }
        }
        for c in self.cjk_numeral.captures_iter(hay) {
            let Some(whole) = c.get(0) else { continue };
            if whole.start() < range.start {
                continue;
            }
            let y = c.get(1).and_then(|m| cjk_digits(m.as_str()));
            let m = c.get(2).and_then(|m| cjk_number(m.as_str()));
            let d = c.get(3).and_then(|m| cjk_number(m.as_str()));
            if let (Some(y), Some(m), Some(d)) = (y, m, d) {
                if let Some(date) = ymd(y, m, d) {
                    out.push(Found {
                        date,
                        start: whole.start(),
                        end: whole.end(),
                    });
                }
            }
        }
        for c in self.day_first.captures_iter(hay) {
            let Some(whole) = c.get(0) else { continue };
            if whole.start() < range.start {
                continue;
            }
            let prev = hay[..whole.start()].chars().next_back();
            let next = text[whole.end()..].chars().next();
            if prev.is_some_and(|p| p.is_ascii_alphanumeric() || p == '.' || p == '/')
                || next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '.')
            {
                continue;
            }
            if let (Some(d), Some(m), Some(y)) = (num(c.get(1)), num(c.get(2)), num(c.get(3))) {
                if let Some(date) = ymd(y as i32, m, d) {
                    out.push(Found {
                        date,
                        start: whole.start(),
                        end: whole.end(),
                    });
                }
            }
        }
        out.sort_by_key(|f| f.start);
        out
    }
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
    ["至", "到", "以来", "起", "-", "—", "~", "〜", "前"]
        .iter()
        .any(|w| a.starts_with(w))
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

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    plausible(NaiveDate::from_ymd_opt(y, m, d)?)
}

fn plausible(d: NaiveDate) -> Option<NaiveDate> {
    YEARS.contains(&d.year()).then_some(d)
}

fn num(m: Option<regex::Match<'_>>) -> Option<u32> {
    m?.as_str().trim().parse().ok()
}

/// `二〇二二` → 2022 (digit by digit, as years are written).
fn cjk_digits(s: &str) -> Option<i32> {
    s.chars()
        .try_fold(0i32, |acc, c| Some(acc * 10 + cjk_digit(c)? as i32))
}

fn cjk_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '○' | '零' | 'o' | '0' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        d if d.is_ascii_digit() => d.to_digit(10)?,
        _ => return None,
    })
}

/// `二十六` → 26, `十` → 10, `三十一` → 31, `36` → 36.
fn cjk_number(s: &str) -> Option<u32> {
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', u] => Some(10 + cjk_digit(*u)?),
        [t, '十'] => Some(cjk_digit(*t)? * 10),
        [t, '十', u] => Some(cjk_digit(*t)? * 10 + cjk_digit(*u)?),
        [u] => cjk_digit(*u),
        [h, '百', rest @ ..] => {
            let tail: String = rest.iter().collect();
            let tail = tail.trim_start_matches('零');
            Some(
                cjk_digit(*h)? * 100
                    + if tail.is_empty() {
                        0
                    } else {
                        cjk_number(tail)?
                    },
            )
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::DateFinder;
    use crate::extract::testing::{doc, EXTRACTOR};

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn hint_formats() {
        let f = DateFinder::new();
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

    /// (title, body, expected date).
    fn check(cases: &[(&str, &str, Option<NaiveDate>)]) {
        for (title, body, want) in cases {
            let got = EXTRACTOR.extract(&doc(title, body)).date;
            assert_eq!(got, *want, "title {title:?} body {body:?}");
        }
    }

    #[test]
    fn datelines() {
        check(&[
            ("", "发布时间:2022-08-28 21:54:34 来源:清远市公安局\n近日，英德市公安局破获一起盗窃案，抓获犯罪嫌疑人3名。", d(2022, 8, 28)),
            ("兰州交警整治摩托车“炸街”", "2022-09-27 09:18:22\n信息兰州网消息 为深入打击高噪音道路交通违法行为，3月10日晚，兰州市公安局交警支队开展集中整治行动。", d(2022, 9, 27)),
            ("", "2022年9月26日\n9月25日，市公安局召开新闻发布会，通报夏季治安打击整治行动成果。", d(2022, 9, 26)),
            ("", "来源：中国网 时间：2022/09/27 编辑：李明\n9月27日，重庆市公安机关召开“夏季行动”成果新闻发布会。", d(2022, 9, 27)),
            ("", "发布时间:2024年06月19日 21:42 来源:中国新闻网\n6月19日，国家禁毒办召开新闻发布会。", d(2024, 6, 19)),
            ("", "28.03.2016  12:30\n  记者日前从吉林省公安厅获悉，为期4个月的专项行动结束，共破获盗骗案件2.4万余起。", d(2016, 3, 28)),
            ("云南警方严打跨境赌博犯罪", "2021\n05-07\n资讯\n  中新网昆明5月7日电 (记者 胡远航)7日，云南省启动为期一周的“拒绝跨境赌博”主题宣传周活动。", d(2021, 5, 7)),
            ("", "新华社北京2019年3月5日电 记者从公安部获悉，全国公安机关共破获电信网络诈骗案件10万起。", d(2019, 3, 5)),
            // The signature date of an official notice, in Chinese numerals.
            ("警情通报", "9月25日，我局接群众报警称……目前，犯罪嫌疑人已被刑事拘留，案件正在进一步侦办中。\n英德市公安局\n二〇二二年九月二十六日", d(2022, 9, 26)),
        ]);
    }

    #[test]
    fn undated_unless_the_document_gives_the_year() {
        check(&[
            ("", "9月28日，清远市公安局召开新闻发布会，通报今年以来打击电信网络诈骗犯罪工作情况。", None),
            ("", "央广网哈尔滨9月15日消息 9月15日10时，哈尔滨市公安局组织开展了非法枪爆物品集中统一销毁活动。2020年以来，累计收缴各类枪支3725支。", None),
            ("", "沈阳晚报讯 6月21日记者获悉，沈阳市公安局铁西分局从6月15日至6月18日开展了为期4天的集中抓捕行动。", None),
            ("", "二〇二二年九月\n英德市公安局发布通告，敦促在逃人员投案自首。", None),
            ("", "发布时间:2022-02-30 10:00\n英德市公安局发布通告，敦促在逃人员投案自首。", None),
            ("", "海南黑脸琵鹭数量创新高 url:https://m.gmw.cn/2023-01/10/content_1303250473.htm,id:1303250473\n为期三天的调查于1月8日顺利结束，调查队共记录到201只黑脸琵鹭。", None),
            ("", "本报讯 昨日，省公安厅召开新闻通气会，专项行动从2017年5月开始至12月结束。\n今年1月1日至7月18日，全省通讯网络诈骗案件立案数同比下降30.3%。", None),
        ]);
    }

    #[test]
    fn crawl_timestamps_yield_to_the_story() {
        check(&[
            ("", "抓取时间：2024-11-30 12:30:22\n新华社北京2019年3月5日电 记者从公安部获悉，今年以来全国公安机关破获案件10万起。", d(2019, 3, 5)),
            // A mirror's stamp contradicting the wire dateline is dropped; the year is then unknown.
            ("", "2024-11-30 12:30:22\n中新网北京3月5日电 记者5日从公安部获悉，全国公安机关破获案件10万起。", None),
            ("", "发布时间:2024-11-30 12:30:22 来源: sp20241130\n近日，武汉警方通报一起跨省诈骗医保资金案。", None),
            ("", "2019-01-22 08:51   生活日报\n21日，记者从全省直销企业监管工作会议上了解到，去年我省各级公安机关共立案组织领导传销活动案件354起。", d(2019, 1, 22)),
        ]);
    }

    #[test]
    fn year_from_the_documents_own_evidence() {
        check(&[
            // An event two months before the month-day.
            ("", "中安在线讯 8月7日，记者从安徽省公安厅采访获悉，专项斗争开展以来至2019年6月，全省公安机关共摧毁涉黑涉恶犯罪团伙1345个。", d(2019, 8, 7)),
            ("", "央广网广州4月16日消息 广州市公安局新闻办公室今天(16日)通报：今年以来开展“团圆”行动。\n2021年3月2日，警方在打拐库中比中了天河区的男子黄某。", d(2021, 4, 16)),
            // Numbered holidays.
            ("", "中新网银川1月10日电 (记者杨迪)1月10日是第三个中国人民警察节。当天，宁夏公安厅召开新闻发布会。", d(2023, 1, 10)),
            ("", "温州网讯 1月10日上午，温州市公安局召开新闻发布会，通报全市公安机关2021年度工作，介绍第二个“人民警察节”活动安排。", d(2022, 1, 10)),
            // An operation named after its year, and a day-only publication mention.
            ("", "公安部网站14日信息显示，公安部4月13日在京召开电视电话会议，部署全国公安机关开展“云剑-2020”行动。截至2019年底，共侦办涉黑案件2806起。", d(2020, 4, 14)),
            // An event written with its year at the start of the lead.
            ("", "2022年9月26日，清远市公安局召开新闻发布会，通报打击治理电信网络诈骗犯罪工作成效。", d(2022, 9, 26)),
        ]);
    }
}

//! Reading dates as written: full dates in their many spellings (`2022-08-28`,
//! `2022年8月28日`, `二〇二二年八月二十八日`, `28.03.2016`, a year split from its month-day
//! on the next line, `2025 03/29 18:57`), and the numbers inside them (`二十六` → 26).
//! What a date *means* (dateline, event, crawl stamp) is decided by the callers.

use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

/// Plausible publication years; anything outside is a misread number.
pub(super) const YEARS: std::ops::RangeInclusive<i32> = 1990..=2030;

/// A full date found in the text with where it sits.
#[derive(Debug, Clone)]
pub(super) struct Found {
    pub date: NaiveDate,
    pub start: usize,
    pub end: usize,
}

/// The compiled full-date patterns.
#[derive(Debug)]
pub(super) struct FullDates {
    numeric: Regex,
    cjk_numeral: Regex,
    day_first: Regex,
    year_space: Regex,
    pub split_line: Regex,
}

impl FullDates {
    pub fn new() -> Self {
        // The patterns are constants; a failure here is a bug caught by every test.
        let re = |p: &str| Regex::new(p).expect("constant date pattern");
        FullDates {
            numeric: re(r"((?:19|20)\d{2})\s*([-/.年])\s*(\d{1,2})\s*([-/.月])\s*(\d{1,2})(\s*[日号])?"),
            cjk_numeral: re(r"([〇○零0o一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月(?:\s*([一二三四五六七八九十]{1,3})\s*[日号])?"),
            day_first: re(r"(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})"),
            // `2025 03/29 18:57:25`: only with the time, which makes it a stamp.
            year_space: re(r"((?:19|20)\d{2})[ \t]+(\d{1,2})/(\d{1,2})[ \t]+\d{1,2}:\d{2}"),
            split_line: re(r"(?m)^\s*((?:19|20)\d{2})\s*\n\s*(\d{1,2})-(\d{1,2})\s*$"),
        }
    }

    /// Every full, valid date that starts in `text[range]`, in order.
    pub fn all(&self, text: &str, range: Range<usize>) -> Vec<Found> {
        let hay = &text[..range.end];
        let mut out = Vec::new();
        let mut push = |date: Option<NaiveDate>, whole: regex::Match<'_>| {
            if let Some(date) = date {
                out.push(Found { date, start: whole.start(), end: whole.end() });
            }
        };
        for c in self.numeric.captures_iter(hay) {
            let Some(whole) = c.get(0) else { continue };
            if whole.start() < range.start {
                continue;
            }
            let (sep1, sep2) = (c.get(2).map_or("", |m| m.as_str()), c.get(4).map_or("", |m| m.as_str()));
            let cjk = sep1 == "年" && sep2 == "月";
            if !cjk && (sep1 != sep2 || sep1 == "年" || sep2 == "月") {
                continue;
            }
            // Part of a longer number, a version or a URL path (`/2023-01/10/`).
            let prev = hay[..whole.start()].chars().next_back();
            let next = text[whole.end()..].chars().next();
            if prev.is_some_and(|p| p.is_ascii_alphanumeric() || p == '/' || p == '.' || p == '-' || p == '_')
                || (!cjk
                    && next.is_some_and(|n| n.is_ascii_digit() || n == '/' || n == '.' && text[whole.end() + 1..].starts_with(|x: char| x.is_ascii_digit())))
            {
                continue;
            }
            if let (Some(y), Some(m), Some(d)) = (num(c.get(1)), num(c.get(3)), num(c.get(5))) {
                push(ymd(y as i32, m, d), whole);
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
                push(ymd(y, m, d), whole);
            }
        }
        for c in self.day_first.captures_iter(hay) {
            let Some(whole) = c.get(0) else { continue };
            if whole.start() < range.start {
                continue;
            }
            let prev = hay[..whole.start()].chars().next_back();
            let next = text[whole.end()..].chars().next();
            if prev.is_some_and(|p| p.is_ascii_alphanumeric() || p == '.' || p == '/') || next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '.') {
                continue;
            }
            if let (Some(d), Some(m), Some(y)) = (num(c.get(1)), num(c.get(2)), num(c.get(3))) {
                push(ymd(y as i32, m, d), whole);
            }
        }
        for c in self.year_space.captures_iter(hay) {
            let Some(whole) = c.get(0) else { continue };
            let prev = hay[..whole.start()].chars().next_back();
            if whole.start() < range.start || prev.is_some_and(|p| p.is_ascii_alphanumeric()) {
                continue;
            }
            if let (Some(y), Some(m), Some(d)) = (num(c.get(1)), num(c.get(2)), num(c.get(3))) {
                // The stamp is the date; the time after it belongs to the line, not the date.
                let end = c.get(3).map_or(whole.end(), |m| m.end());
                if let Some(date) = ymd(y as i32, m, d) {
                    out.push(Found { date, start: whole.start(), end });
                }
            }
        }
        out.sort_by_key(|f| f.start);
        out
    }
}

pub(super) fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    plausible(NaiveDate::from_ymd_opt(y, m, d)?)
}

pub(super) fn plausible(d: NaiveDate) -> Option<NaiveDate> {
    YEARS.contains(&d.year()).then_some(d)
}

pub(super) fn num(m: Option<regex::Match<'_>>) -> Option<u32> {
    m?.as_str().trim().parse().ok()
}

/// `二〇二二` → 2022 (digit by digit, as years are written).
pub(super) fn cjk_digits(s: &str) -> Option<i32> {
    s.chars().try_fold(0i32, |acc, c| Some(acc * 10 + cjk_digit(c)? as i32))
}

fn cjk_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '○' | '零' | 'o' | '0' => 0,
        '一' => 1,
        '二' | '两' => 2,
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

/// `二十六` → 26, `十` → 10, `三十一` → 31, `一百` → 100, `36` → 36.
pub(super) fn cjk_number(s: &str) -> Option<u32> {
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
            Some(cjk_digit(*h)? * 100 + if tail.is_empty() { 0 } else { cjk_number(tail)? })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_written() {
        let cases = [
            ("二十六", Some(26)),
            ("十", Some(10)),
            ("十二", Some(12)),
            ("三十一", Some(31)),
            ("一百零八", Some(108)),
            ("36", Some(36)),
            ("两", Some(2)),
            ("廿", None),
        ];
        for (s, want) in cases {
            assert_eq!(cjk_number(s), want, "{s}");
        }
        assert_eq!(cjk_digits("二〇一九"), Some(2019));
    }

    #[test]
    fn full_dates_in_their_spellings() {
        let f = FullDates::new();
        type Ymd = (i32, u32, u32);
        let cases: &[(&str, &[Ymd])] = &[
            ("发布时间:2022-08-28 21:54", &[(2022, 8, 28)]),
            ("2019 年 12 月 23 日 15 时", &[(2019, 12, 23)]),
            ("二〇二二年九月二十六日", &[(2022, 9, 26)]),
            ("28.03.2016  12:30", &[(2016, 3, 28)]),
            ("网站地图 2025 03/29 18:57:25 来源:新华网", &[(2025, 3, 29)]),
            // A URL path, a version number and an impossible day are not dates.
            ("https://m.example.cn/2023-01/10/content_1.htm", &[]),
            ("版本 1.2019.03.05", &[]),
            ("2022-02-30", &[]),
            // A year and a month-day with a space but no time are not a stamp.
            ("共2025 03/29名", &[]),
        ];
        for (text, want) in cases {
            let got: Vec<(i32, u32, u32)> = f.all(text, 0..text.len()).iter().map(|x| (x.date.year(), x.date.month(), x.date.day())).collect();
            assert_eq!(got, *want, "{text}");
        }
    }
}

//! Dates that archives write into addresses: the page's URL (from front matter, a sidecar,
//! `<link rel=canonical>` or `og:url`) and the file's own path (`/2020-05/08/`, `/202004/`,
//! `/20240912/`, `t20230727_…`, `2017/09/22/`, a crawl folder `2024-11-25/`).
//!
//! An address date is the day the page was stored, which is the publication day of an
//! original page but a later day on a mirror or in a crawl folder. So it never overrides
//! the text: it settles the year of the text's own month-day only when it agrees with it,
//! and otherwise it only bounds the year from above (nothing is stored before it exists).

use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

use super::parse::{plausible, ymd, YEARS};

/// What an address says: a day, or only a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AddressDate {
    Day(NaiveDate),
    Month(i32, u32),
}

impl AddressDate {
    pub fn year(self) -> i32 {
        match self {
            AddressDate::Day(d) => chrono::Datelike::year(&d),
            AddressDate::Month(y, _) => y,
        }
    }
}

/// A date written into a URL or a file path; the part after a URL's host only.
pub(super) fn date_in_address(address: &str) -> Option<AddressDate> {
    static DAY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:^|[/_.\-=tT])((?:19|20)\d{2})[-_/]?(\d{2})[-_/]?(\d{2})(?:$|[/_.\-?#])").expect("constant address pattern"));
    static MONTH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:^|[/_.\-=tT])((?:19|20)\d{2})[-_/]?(\d{2})(?:$|[/_.\-?#])").expect("constant address pattern"));
    let path = match address.find("://") {
        Some(i) => {
            let rest = &address[i + 3..];
            rest.find('/').map_or("", |j| &rest[j..])
        }
        None => address,
    };
    // A backslash-separated Windows path reads the same way.
    let path = path.replace('\\', "/");
    let field = |c: &regex::Captures<'_>, i: usize| -> Option<u32> { c.get(i)?.as_str().parse().ok() };
    // The last date wins: folders above a file are often a collection's, the file's own is deepest.
    let day = DAY.captures_iter(&path).filter_map(|c| ymd(field(&c, 1)? as i32, field(&c, 2)?, field(&c, 3)?)).last();
    if let Some(d) = day {
        return plausible(d).map(AddressDate::Day);
    }
    MONTH
        .captures_iter(&path)
        .filter_map(|c| {
            let (y, m) = (field(&c, 1)? as i32, field(&c, 2)?);
            (YEARS.contains(&y) && (1..=12).contains(&m)).then_some(AddressDate::Month(y, m))
        })
        .last()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Option<AddressDate> {
        NaiveDate::from_ymd_opt(y, m, d).map(AddressDate::Day)
    }

    #[test]
    fn dates_written_into_addresses() {
        let cases = [
            ("https://news.example.cn/gat/2020-05/08/c_1125956.htm", day(2020, 5, 8)),
            ("http://www.example.gov.cn/xwdt/202004/t20200415_4411.html", day(2020, 4, 15)),
            ("http://10.1.2.3/_d3/c188/20240912/i203559.phtml", day(2024, 9, 12)),
            ("http://www.example.com.cn/html/2017/09/22/31300448.shtml", day(2017, 9, 22)),
            ("http://news.example.com/2020/0731/4536322.shtml", day(2020, 7, 31)),
            ("http://m.example.cn/html/news/hb/2016_01/15/14161454.html", day(2016, 1, 15)),
            ("https://m.example.net/linxia/dongxiangzu/202004/10346603.html", Some(AddressDate::Month(2020, 4))),
            ("/archive/police/2021-12-16/jiaozhou.html", day(2021, 12, 16)),
            ("crawl\\20231228\\hangzhou.txt", day(2023, 12, 28)),
            // Ids and hosts that happen to hold digits are not dates.
            ("https://www.example.com/dy/article/K4P53QKN0511DJHA.html", None),
            ("http://www.crntt.cn/122834.html", None),
            ("https://m.gmw.cn/content_1303250473.htm", None),
            ("http://20180930.example.com/a.html", None),
            ("/data/bulletins/h003.txt", None),
            ("http://example.cn/2022/1332/a.html", None),
        ];
        for (address, want) in cases {
            assert_eq!(date_in_address(address), want, "{address}");
        }
    }
}

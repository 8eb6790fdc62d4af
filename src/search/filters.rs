//! Turning the filter words a person types (`广西`, `养老诈骗`, `2022-06`) into [`Filters`].
//!
//! Both front ends, the CLI's flags and the HTTP API's parameters, resolve filters here,
//! so a name that one accepts the other accepts too, and a mistake gets the same message
//! from both: an unknown province with suggestions, a date that cannot exist, a range that
//! ends before it starts. Each error knows which parameter it is about, so the API can name
//! it in a 400 answer.

use chrono::{Datelike, NaiveDate};

use super::Filters;
use crate::extract::{Extractor, UnknownName};

/// Filter values as given, before resolution. Several values of one kind are alternatives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterWords {
    pub provinces: Vec<String>,
    pub cities: Vec<String>,
    pub categories: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Let undated bulletins through a date filter (they are left out by default).
    pub include_undated: bool,
}

/// A filter value that cannot be used, with the parameter it came from.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    #[error(transparent)]
    Unknown(#[from] UnknownName),
    #[error("cannot read date {given:?}: use YYYY, YYYY-MM or YYYY-MM-DD")]
    BadDate { parameter: &'static str, given: String },
    #[error("--from {from} is after --to {to}")]
    Reversed { from: NaiveDate, to: NaiveDate },
}

impl FilterError {
    /// The parameter (flag without dashes) the error is about: `province`, `city`,
    /// `category`, `from` or `to`.
    pub fn parameter(&self) -> &'static str {
        match self {
            FilterError::Unknown(u) => u.kind,
            FilterError::BadDate { parameter, .. } => parameter,
            FilterError::Reversed { .. } => "from",
        }
    }
}

/// Resolve filter words to facet paths and dates, or say what is wrong with the first
/// value that cannot be used.
pub fn resolve(extractor: &Extractor, words: &FilterWords) -> Result<Filters, FilterError> {
    let mut f = Filters::default();
    for p in &words.provinces {
        f.regions.push(extractor.resolve_province(p)?);
    }
    for c in &words.cities {
        f.regions.push(extractor.resolve_city(c)?);
    }
    for c in &words.categories {
        // A cue word the rules file lists for one category (偷渡, 扫黑除恶) names it here
        // as it does in a query.
        let path = match extractor.resolve_category(c) {
            Ok(path) => path,
            Err(unknown) => extractor.category_rules().named(c).ok_or(unknown)?,
        };
        f.categories.push(path);
    }
    f.include_undated = words.include_undated;
    if let Some(s) = &words.from {
        f.from = Some(parse_date_bound(s, false).map_err(|given| FilterError::BadDate { parameter: "from", given })?);
    }
    if let Some(s) = &words.to {
        f.to = Some(parse_date_bound(s, true).map_err(|given| FilterError::BadDate { parameter: "to", given })?);
    }
    if let (Some(from), Some(to)) = (f.from, f.to) {
        if from > to {
            return Err(FilterError::Reversed { from, to });
        }
    }
    Ok(f)
}

/// Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (also with `/` or `.`) as the first day it
/// covers, or with `end` the last. Years outside 1900–2100 are refused: no bulletin is
/// dated there, so such a bound is a typo. The error is the text as given.
pub(crate) fn parse_date_bound(s: &str, end: bool) -> Result<NaiveDate, String> {
    let bad = || s.to_string();
    let parts: Vec<&str> = s.trim().split(['-', '/', '.']).collect();
    let num = |i: usize| -> Result<u32, String> { parts.get(i).ok_or_else(bad)?.parse::<u32>().map_err(|_| bad()) };
    let year = num(0)? as i32;
    let date = match parts.len() {
        1 => {
            if end {
                NaiveDate::from_ymd_opt(year, 12, 31)
            } else {
                NaiveDate::from_ymd_opt(year, 1, 1)
            }
        }
        2 => {
            let month = num(1)?;
            let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
            if end {
                let next = if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
                next.and_then(|d| d.pred_opt())
            } else {
                Some(first)
            }
        }
        3 => NaiveDate::from_ymd_opt(year, num(1)?, num(2)?),
        _ => None,
    };
    let date = date.ok_or_else(bad)?;
    if !(1900..=2100).contains(&date.year()) {
        return Err(bad());
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn date_bounds_cover_the_whole_period_given() {
        let cases: &[(&str, bool, Option<NaiveDate>)] = &[
            ("2022", false, Some(d(2022, 1, 1))),
            ("2022", true, Some(d(2022, 12, 31))),
            ("2022-06", false, Some(d(2022, 6, 1))),
            ("2022-06", true, Some(d(2022, 6, 30))),
            ("2024-02", true, Some(d(2024, 2, 29))),
            ("2022-12", true, Some(d(2022, 12, 31))),
            ("2022/7/14", false, Some(d(2022, 7, 14))),
            ("2022.07.14", true, Some(d(2022, 7, 14))),
            (" 2022-07-14 ", false, Some(d(2022, 7, 14))),
            ("2023-02-30", false, None),
            ("2022-13", false, None),
            ("2022-00", true, None),
            ("1800", false, None),
            ("二〇二二年", false, None),
            ("", false, None),
            ("2022-07-14-01", false, None),
            ("-2022", false, None),
        ];
        for (given, end, want) in cases {
            assert_eq!(parse_date_bound(given, *end).ok(), *want, "{given:?} end={end}");
        }
    }

    #[test]
    fn errors_name_their_parameter_and_read_like_the_cli() {
        let extractor = Extractor::for_search(None).unwrap();
        let words = |f: fn(&mut FilterWords)| {
            let mut w = FilterWords::default();
            f(&mut w);
            w
        };
        let cases: Vec<(FilterWords, &str, &str)> = vec![
            (words(|w| w.provinces = vec!["火星".into()]), "province", "unknown province \"火星\""),
            (words(|w| w.cities = vec!["不存在市".into()]), "city", "unknown city \"不存在市\""),
            (words(|w| w.categories = vec!["星际走私".into()]), "category", "unknown category \"星际走私\"; did you mean"),
            (words(|w| w.from = Some("2023-02-30".into())), "from", "cannot read date \"2023-02-30\": use YYYY, YYYY-MM or YYYY-MM-DD"),
            (words(|w| w.to = Some("昨天".into())), "to", "cannot read date \"昨天\""),
            (
                words(|w| {
                    w.from = Some("2023".into());
                    w.to = Some("2022-06".into());
                }),
                "from",
                "--from 2023-01-01 is after --to 2022-06-30",
            ),
        ];
        for (given, parameter, message) in cases {
            let e = resolve(&extractor, &given).expect_err(message);
            assert_eq!(e.parameter(), parameter, "{message}");
            assert!(e.to_string().starts_with(message), "{e} does not start with {message}");
        }
    }

    #[test]
    fn names_resolve_to_facet_paths() {
        let extractor = Extractor::for_search(None).unwrap();
        let w = FilterWords {
            provinces: vec!["桂".into(), "全国".into()],
            cities: vec!["广东/清远".into()],
            categories: vec!["养老诈骗".into()],
            from: Some("2022-06".into()),
            to: Some("2022-08".into()),
            include_undated: true,
        };
        let f = resolve(&extractor, &w).unwrap();
        assert_eq!(f.regions, vec!["/广西壮族自治区", "/全国", "/广东省/清远市"]);
        assert_eq!(f.categories, vec!["/诈骗/养老诈骗"]);
        assert_eq!((f.from, f.to), (Some(d(2022, 6, 1)), Some(d(2022, 8, 31))));
        assert!(f.include_undated);
    }

    #[test]
    fn cue_words_name_their_category_as_in_a_query() {
        let extractor = Extractor::for_search(None).unwrap();
        let rules = extractor.category_rules();
        for word in ["偷渡", "扫黑除恶"] {
            let w = FilterWords { categories: vec![word.into()], ..Default::default() };
            let f = resolve(&extractor, &w).unwrap_or_else(|e| panic!("{word}: {e}"));
            assert_eq!(Some(&f.categories[0]), rules.named(word).as_ref(), "{word}");
        }
    }
}

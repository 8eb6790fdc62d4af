//! Reading the API's query strings into the library's request types, with limits.
//!
//! Parameters carry the CLI's flag names (`q` for the words), several values of one filter
//! are repeated keys (`province=广西&province=广东`), and anything the API does not know or
//! cannot use is a 400 that names the parameter, so a typo (`provnice=`) is never silently
//! ignored. Filter words are checked later by the library's `search::filters`, the same
//! code and messages as the CLI.

use tongbao::search::filters::FilterWords;
use tongbao::search::query::MAX_TOTAL_CHARS;
use tongbao::search::{SortBy, DEFAULT_LIMIT};

/// Most hits on one page.
pub const MAX_LIMIT: usize = 100;
/// Deepest `offset`: a page this deep already ranks 10 000 bulletins, and nobody pages
/// further by hand; the bound keeps one request's work (and memory) small.
pub const MAX_OFFSET: usize = 10_000;
/// Longest query string accepted in bytes; a `q` at its character limit, encoded, with
/// every filter, fits well within it.
pub const MAX_QUERY_STRING: usize = 16 * 1024;

/// A parameter problem: which parameter and why (the answer is a 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadParameter {
    pub parameter: String,
    pub message: String,
}

impl BadParameter {
    pub fn new(parameter: &str, message: impl Into<String>) -> BadParameter {
        BadParameter { parameter: parameter.to_string(), message: message.into() }
    }
}

/// What `GET /api/search` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchParams {
    pub q: String,
    pub filters: FilterWords,
    pub sort: SortBy,
    pub offset: usize,
    pub limit: usize,
    pub facets: bool,
    /// Only what was typed: no synonyms, categories or partial matches (`--exact`).
    pub exact: bool,
}

/// What `GET /api/bulletin/{id}` asks for: the query whose matches to mark.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewParams {
    pub q: Option<String>,
    pub exact: bool,
}

/// Split a raw query string into decoded pairs.
fn pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, BadParameter> {
    let raw = raw.unwrap_or("");
    if raw.len() > MAX_QUERY_STRING {
        return Err(BadParameter::new("q", format!("the query string is too long (at most {MAX_QUERY_STRING} bytes)")));
    }
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw)
        .map_err(|_| BadParameter::new("q", "cannot read the query string: it must be UTF-8, percent-encoded"))
}

/// Keep a single-valued parameter, refusing a second value.
fn once(slot: &mut Option<String>, key: &str, value: String) -> Result<(), BadParameter> {
    if slot.is_some() {
        return Err(BadParameter::new(key, format!("{key} is given twice; give it once")));
    }
    *slot = Some(value);
    Ok(())
}

fn number(key: &str, value: &str, max: usize) -> Result<usize, BadParameter> {
    let n: usize = value.trim().parse().map_err(|_| BadParameter::new(key, format!("{key} must be a whole number, not {value:?}")))?;
    if n > max {
        return Err(BadParameter::new(key, format!("{key} must be at most {max}, not {n}")));
    }
    Ok(n)
}

fn flag(key: &str, value: &str) -> Result<bool, BadParameter> {
    match value.trim() {
        "" | "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        other => Err(BadParameter::new(key, format!("{key} must be true or false, not {other:?}"))),
    }
}

/// The query's words, within the query budget the CLI also applies.
fn words(value: &str) -> Result<String, BadParameter> {
    let n = value.chars().count();
    if n > MAX_TOTAL_CHARS {
        return Err(BadParameter::new("q", format!("q is too long: {n} characters, at most {MAX_TOTAL_CHARS}")));
    }
    Ok(value.to_string())
}

const SEARCH_KEYS: &str = "q, province, city, category, from, to, include_undated, sort, offset, limit, facets, exact";

/// Read the parameters of a search.
pub fn search(raw: Option<&str>) -> Result<SearchParams, BadParameter> {
    let mut q = None;
    let (mut from, mut to, mut sort, mut offset, mut limit, mut facets, mut exact) = (None, None, None, None, None, None, None);
    let mut include_undated = None;
    let mut filters = FilterWords::default();
    for (key, value) in pairs(raw)? {
        // An empty filter is no filter: a form may send every field.
        let blank = value.trim().is_empty();
        match key.as_str() {
            "q" => once(&mut q, "q", value)?,
            "province" if !blank => filters.provinces.push(value),
            "city" if !blank => filters.cities.push(value),
            "category" if !blank => filters.categories.push(value),
            "province" | "city" | "category" => {}
            "from" if !blank => once(&mut from, "from", value)?,
            "to" if !blank => once(&mut to, "to", value)?,
            "sort" if !blank => once(&mut sort, "sort", value)?,
            "offset" if !blank => once(&mut offset, "offset", value)?,
            "limit" if !blank => once(&mut limit, "limit", value)?,
            "facets" => once(&mut facets, "facets", value)?,
            "exact" => once(&mut exact, "exact", value)?,
            "include_undated" => once(&mut include_undated, "include_undated", value)?,
            "from" | "to" | "sort" | "offset" | "limit" => {}
            other => return Err(unknown(other, SEARCH_KEYS)),
        }
    }
    filters.from = from;
    filters.to = to;
    filters.include_undated = include_undated.map(|v| flag("include_undated", &v)).transpose()?.unwrap_or(false);
    let sort = match sort.as_deref().map(str::trim) {
        None | Some("relevance") => SortBy::Relevance,
        Some("date") => SortBy::Date,
        Some("oldest") => SortBy::DateOldestFirst,
        Some(other) => return Err(BadParameter::new("sort", format!("sort must be relevance, date or oldest, not {other:?}"))),
    };
    let limit = match limit {
        Some(v) => number("limit", &v, MAX_LIMIT)?,
        None => DEFAULT_LIMIT,
    };
    if limit == 0 {
        return Err(BadParameter::new("limit", format!("limit must be between 1 and {MAX_LIMIT}")));
    }
    Ok(SearchParams {
        q: words(q.as_deref().unwrap_or(""))?,
        filters,
        sort,
        offset: offset.map(|v| number("offset", &v, MAX_OFFSET)).transpose()?.unwrap_or(0),
        limit,
        facets: facets.map(|v| flag("facets", &v)).transpose()?.unwrap_or(false),
        exact: exact.map(|v| flag("exact", &v)).transpose()?.unwrap_or(false),
    })
}

/// Read the parameters of a bulletin view.
pub fn view(raw: Option<&str>) -> Result<ViewParams, BadParameter> {
    let (mut q, mut exact) = (None, None);
    for (key, value) in pairs(raw)? {
        match key.as_str() {
            "q" => once(&mut q, "q", value)?,
            "exact" => once(&mut exact, "exact", value)?,
            other => return Err(unknown(other, "q, exact")),
        }
    }
    Ok(ViewParams {
        q: q.map(|v| words(&v)).transpose()?.filter(|v| !v.trim().is_empty()),
        exact: exact.map(|v| flag("exact", &v)).transpose()?.unwrap_or(false),
    })
}

/// Endpoints without parameters refuse any, so a misplaced one is not silently ignored.
pub fn none(raw: Option<&str>) -> Result<(), BadParameter> {
    match pairs(raw)?.into_iter().next() {
        Some((key, _)) => Err(BadParameter::new(&key, format!("unknown parameter {key:?}: this endpoint takes none"))),
        None => Ok(()),
    }
}

fn unknown(key: &str, known: &str) -> BadParameter {
    let shown: String = key.chars().take(40).collect();
    BadParameter::new(&shown, format!("unknown parameter {shown:?}; known: {known}"))
}

/// True when `id` has the shape of an index id (16 lower-case hex digits). Anything else —
/// a path, `..`, an encoded slash — is not an id and gets a 404 without a lookup.
pub fn is_bulletin_id(id: &str) -> bool {
    id.len() == 16 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_parameters_are_read_with_their_defaults() {
        let p =
            search(Some("q=%E5%85%BB%E8%80%81%E8%AF%88%E9%AA%97&province=%E5%B9%BF%E8%A5%BF&province=%E5%B9%BF%E4%B8%9C&from=2022-06&to=&facets=1")).unwrap();
        assert_eq!(p.q, "养老诈骗");
        assert_eq!(p.filters.provinces, vec!["广西", "广东"]);
        assert_eq!(p.filters.from.as_deref(), Some("2022-06"));
        assert_eq!(p.filters.to, None, "an empty value is no filter");
        assert_eq!((p.sort, p.offset, p.limit, p.facets, p.exact), (SortBy::Relevance, 0, DEFAULT_LIMIT, true, false));
        let p = search(None).unwrap();
        assert_eq!(p.q, "", "no q browses");
        let p = search(Some("q=a+b&sort=date&offset=20&limit=100&exact=true&category=/诈骗")).unwrap();
        assert_eq!((p.q.as_str(), p.sort, p.offset, p.limit, p.exact), ("a b", SortBy::Date, 20, 100, true));
        assert_eq!(p.filters.categories, vec!["/诈骗"]);
        assert!(!p.filters.include_undated);
        let p = search(Some("sort=oldest&from=2022&include_undated=1")).unwrap();
        assert_eq!((p.sort, p.filters.include_undated), (SortBy::DateOldestFirst, true));
    }

    #[test]
    fn every_bad_search_parameter_is_named() {
        let long = "诈".repeat(MAX_TOTAL_CHARS + 1);
        let cases: Vec<(String, &str, &str)> = vec![
            ("limit=101".into(), "limit", "limit must be at most 100"),
            ("limit=0".into(), "limit", "between 1 and 100"),
            ("limit=ten".into(), "limit", "whole number"),
            ("limit=-1".into(), "limit", "whole number"),
            ("offset=10001".into(), "offset", "at most 10000"),
            ("offset=1e3".into(), "offset", "whole number"),
            ("sort=newest".into(), "sort", "relevance, date or oldest"),
            ("include_undated=maybe".into(), "include_undated", "true or false"),
            ("facets=maybe".into(), "facets", "true or false"),
            ("exact=2".into(), "exact", "true or false"),
            ("q=a&q=b".into(), "q", "given twice"),
            ("from=2020&from=2021".into(), "from", "given twice"),
            ("provnice=广西".into(), "provnice", "unknown parameter"),
            (format!("q={long}"), "q", "q is too long"),
            (format!("q={}", "a".repeat(MAX_QUERY_STRING)), "q", "too long"),
        ];
        for (raw, parameter, message) in cases {
            let e = search(Some(&raw)).expect_err(&raw);
            assert_eq!(e.parameter, parameter, "{raw}: {e:?}");
            assert!(e.message.contains(message), "{raw}: {e:?}");
        }
    }

    #[test]
    fn view_and_parameterless_endpoints_refuse_strangers() {
        assert_eq!(view(Some("q=%E8%AF%88%E9%AA%97")).unwrap().q.as_deref(), Some("诈骗"));
        assert_eq!(view(Some("q=+")).unwrap().q, None, "a blank query marks nothing");
        assert_eq!(view(Some("path=../../etc/passwd")).unwrap_err().parameter, "path");
        assert!(none(None).is_ok());
        assert_eq!(none(Some("x=1")).unwrap_err().parameter, "x");
    }

    #[test]
    fn only_index_ids_are_ids() {
        let cases = [
            ("8404adfddddab314", true),
            ("0c9136a80855d23b", true),
            ("8404ADFDDDDAB314", false),
            ("8404adfddddab31", false),
            ("8404adfddddab3145", false),
            ("..", false),
            ("../../etc/passwd", false),
            ("%2e%2e%2f%2e%2e", false),
            ("/etc/passwd", false),
            ("8404adfd/ddab314", false),
            ("8404adfddddab31g", false),
            ("", false),
        ];
        for (id, want) in cases {
            assert_eq!(is_bulletin_id(id), want, "{id}");
        }
    }
}

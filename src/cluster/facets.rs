//! Facet counts from a SolrCloud collection, equal to the local index's in every field
//! (`search::facet_counts`, `search::facet_table`), for `facets --store` and
//! `search --store --facets`.
//!
//! Solr's JSON Facet API counts what tantivy's facet collector and month counter count
//! locally, in one request: a terms facet over each stored ancestor-path field (`region`,
//! `category`, `year`; tongbao splits the levels by their number of `/`), a range facet
//! over `date` by calendar month and a query facet for the undated. A range facet needs
//! its bounds, so the collection's first and last dates are read first (one small
//! request) and every month between them is asked for; empty months are dropped, as the
//! local counter never makes them. A two-way table nests the columns' facet under each
//! row's bucket, so the whole table is one request too; the table itself is assembled by
//! [`FacetTable::assemble`], the local code, so order, zeros and the undated column agree.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde_json::{json, Map, Value};

use super::document::field;
use super::{ClusterError, Solr};
use crate::search::{FacetCounts, FacetKind, FacetTable};

/// The months a range facet over `date` covers: from the first day of the earliest
/// bulletin's month up to (not including) the first day after the latest one's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthSpan {
    start: NaiveDate,
    end: NaiveDate,
}

impl MonthSpan {
    /// The span of the months of `first` to `last` (either order).
    pub fn of(first: NaiveDate, last: NaiveDate) -> Option<MonthSpan> {
        let (first, last) = if first <= last { (first, last) } else { (last, first) };
        let start = first.with_day(1)?;
        let end = last.with_day(1)?.checked_add_months(chrono::Months::new(1))?;
        Some(MonthSpan { start, end })
    }
}

/// The months holding every dated bulletin of the collection; `None` when none is dated.
pub fn month_span(solr: &Solr) -> Result<Option<MonthSpan>, ClusterError> {
    let body = json!({
        "query": "*:*",
        "limit": 0,
        "facet": { "first": format!("min({})", field::DATE), "last": format!("max({})", field::DATE) },
    });
    let answer = solr.post_json("query", &body)?;
    Ok(span_from(&answer["facets"]))
}

/// The span in a `min`/`max` answer (dates come back as `2022-07-14T00:00:00Z`).
fn span_from(facets: &Value) -> Option<MonthSpan> {
    let day = |key: &str| facets[key].as_str().and_then(|s| NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok());
    MonthSpan::of(day("first")?, day("last")?)
}

/// A Solr date at midnight UTC, as `date` stores them.
fn solr_date(d: NaiveDate) -> String {
    format!("{}T00:00:00Z", d.format("%Y-%m-%d"))
}

/// The facet of one kind: its key in the request and answer, and its definition. Months
/// need a span; without one (nothing dated) there is nothing to count.
fn kind_facet(kind: FacetKind, span: Option<MonthSpan>) -> Option<(&'static str, Value)> {
    let terms = |f: &'static str| Some((f, json!({ "type": "terms", "field": f, "limit": -1, "mincount": 1 })));
    match kind {
        FacetKind::Province | FacetKind::City => terms(field::REGION),
        FacetKind::Category => terms(field::CATEGORY),
        FacetKind::Year => terms(field::YEAR),
        FacetKind::Month => span.map(|s| {
            let range = json!({
                "type": "range", "field": field::DATE, "start": solr_date(s.start), "end": solr_date(s.end), "gap": "+1MONTH", "mincount": 1,
            });
            (MONTH, range)
        }),
    }
}

/// The key of the months' range facet.
const MONTH: &str = "month";
/// The key of the undated query facet.
const UNDATED: &str = "undated";
/// The key of a table's rows facet.
const ROWS: &str = "rows";

/// The facets of a request that counts every kind, as [`counts`] reads them back.
pub fn request(span: Option<MonthSpan>) -> Map<String, Value> {
    let mut facets = Map::new();
    for kind in [FacetKind::Province, FacetKind::Category, FacetKind::Year, FacetKind::Month] {
        if let Some((key, f)) = kind_facet(kind, span) {
            facets.insert(key.to_string(), f);
        }
    }
    facets.insert(UNDATED.to_string(), json!({ "type": "query", "q": format!("*:* -{}:[* TO *]", field::DATE) }));
    facets
}

/// The facets of a `rows` × `columns` table: every kind's (for the rows' and columns'
/// order), and the rows' facet with the columns' nested under each of its buckets.
pub fn table_request(rows: FacetKind, columns: FacetKind, span: Option<MonthSpan>) -> Map<String, Value> {
    let mut facets = request(span);
    if let (Some((_, mut outer)), Some((key, inner))) = (kind_facet(rows, span), kind_facet(columns, span)) {
        outer["facet"] = json!({ key: inner });
        facets.insert(ROWS.to_string(), outer);
    }
    facets
}

/// Counts as the local index gives them, from an answer's facets (or one bucket's nested
/// facets: kinds not asked for come back empty). Provinces and cities are the region
/// paths of one and two levels, most frequent first (ties by name); categories the top
/// two levels by name; years and months newest first.
pub fn counts(facets: &Value) -> FacetCounts {
    let depth = |p: &str| p.matches('/').count();
    let by_count = |mut v: Vec<(String, u64)>| {
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    let regions = buckets(&facets[field::REGION], FacetKind::Province);
    let mut category: Vec<(String, u64)> = buckets(&facets[field::CATEGORY], FacetKind::Category).into_iter().filter(|(p, _)| depth(p) <= 2).collect();
    category.sort_by(|a, b| a.0.cmp(&b.0));
    let newest_first = |mut v: Vec<(String, u64)>| {
        v.sort_by(|a, b| b.0.cmp(&a.0));
        v
    };
    FacetCounts {
        province: by_count(regions.iter().filter(|(p, _)| depth(p) == 1).cloned().collect()),
        city: by_count(regions.iter().filter(|(p, _)| depth(p) == 2).cloned().collect()),
        category,
        year: newest_first(buckets(&facets[field::YEAR], FacetKind::Year)),
        month: newest_first(buckets(&facets[MONTH], FacetKind::Month)),
        undated: facets[UNDATED]["count"].as_u64().unwrap_or(0),
    }
}

/// A facet's non-empty buckets as (value, count), values as the local index names them:
/// months as `2022-07`, everything else the stored path.
fn buckets(facet: &Value, kind: FacetKind) -> Vec<(String, u64)> {
    facet["buckets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| {
            let n = b["count"].as_u64().filter(|n| *n > 0)?;
            let v = b["val"].as_str()?;
            let v = if kind == FacetKind::Month { v.get(..7)?.to_string() } else { v.to_string() };
            Some((v, n))
        })
        .collect()
}

/// The whole collection's bulletins and their counts of every kind.
pub fn facet_counts(solr: &Solr) -> Result<(u64, FacetCounts), ClusterError> {
    let span = month_span(solr)?;
    let answer = everything(solr, request(span))?;
    Ok((total(&answer)?, counts(&answer["facets"])))
}

/// The whole collection's bulletins and their `rows` × `columns` table.
pub fn facet_table(solr: &Solr, rows: FacetKind, columns: FacetKind) -> Result<(u64, FacetTable), ClusterError> {
    let span = month_span(solr)?;
    let answer = everything(solr, table_request(rows, columns, span))?;
    Ok((total(&answer)?, table(&answer["facets"], rows, columns)))
}

/// The table in an answer to [`table_request`].
pub fn table(facets: &Value, rows: FacetKind, columns: FacetKind) -> FacetTable {
    let overall = counts(facets);
    let by_row: HashMap<String, &Value> = facets[ROWS]["buckets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| {
            let v = b["val"].as_str()?;
            let v = if rows == FacetKind::Month { v.get(..7)? } else { v };
            Some((v.to_string(), b))
        })
        .collect();
    let restricted = |value: &str| Ok::<_, std::convert::Infallible>(by_row.get(value).map(|b| counts(b)).unwrap_or_default());
    match FacetTable::assemble(&overall, rows, columns, restricted) {
        Ok(t) => t,
        Err(never) => match never {},
    }
}

/// Ask for `facets` over every document of the collection.
fn everything(solr: &Solr, facets: Map<String, Value>) -> Result<Value, ClusterError> {
    solr.post_json("query", &json!({ "query": "*:*", "limit": 0, "facet": facets }))
}

fn total(answer: &Value) -> Result<u64, ClusterError> {
    answer["response"]["numFound"]
        .as_u64()
        .ok_or_else(|| ClusterError::BadAnswer { what: "the facet counts".into(), detail: answer.to_string().chars().take(200).collect() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_span_runs_from_the_first_month_to_the_one_after_the_last() {
        let s = span_from(&json!({"count": 41, "first": "2018-07-31T00:00:00Z", "last": "2025-12-28T00:00:00Z"})).unwrap();
        assert_eq!(s, MonthSpan { start: day(2018, 7, 1), end: day(2026, 1, 1) });
        assert_eq!(MonthSpan::of(day(2024, 2, 29), day(2024, 2, 1)), Some(MonthSpan { start: day(2024, 2, 1), end: day(2024, 3, 1) }));
        // Nothing dated: no min or max in the answer.
        assert_eq!(span_from(&json!({"count": 3})), None);
        let r = request(Some(s));
        assert_eq!(r[MONTH]["start"], "2018-07-01T00:00:00Z");
        assert_eq!(r[MONTH]["end"], "2026-01-01T00:00:00Z");
        assert_eq!(r[MONTH]["gap"], "+1MONTH");
        assert!(request(None).get(MONTH).is_none());
    }

    /// An answer as Solr 9 gives it to [`request`] (buckets by count, months oldest first).
    fn answer() -> Value {
        json!({
            "count": 6,
            "region": {"buckets": [
                {"val": "/广东省", "count": 3}, {"val": "/广东省/深圳市", "count": 2}, {"val": "/广西壮族自治区", "count": 2},
                {"val": "/广东省/广州市", "count": 1}, {"val": "/全国", "count": 1}, {"val": "/广西壮族自治区/南宁市", "count": 2},
            ]},
            "category": {"buckets": [
                {"val": "/诈骗", "count": 4}, {"val": "/诈骗/养老诈骗", "count": 2}, {"val": "/毒品", "count": 1}, {"val": "/诈骗/电信网络诈骗", "count": 1},
            ]},
            "year": {"buckets": [{"val": "/2022", "count": 3}, {"val": "/2023", "count": 2}]},
            "month": {"buckets": [
                {"val": "2022-01-01T00:00:00Z", "count": 1}, {"val": "2022-07-01T00:00:00Z", "count": 2}, {"val": "2023-03-01T00:00:00Z", "count": 2},
            ]},
            "undated": {"count": 1},
        })
    }

    #[test]
    fn answers_become_the_local_counts() {
        let c = counts(&answer());
        let v = |pairs: &[(&str, u64)]| pairs.iter().map(|(s, n)| (s.to_string(), *n)).collect::<Vec<_>>();
        // Ties by name, as `search::facet_counts` breaks them.
        assert_eq!(c.province, v(&[("/广东省", 3), ("/广西壮族自治区", 2), ("/全国", 1)]));
        assert_eq!(c.city, v(&[("/广东省/深圳市", 2), ("/广西壮族自治区/南宁市", 2), ("/广东省/广州市", 1)]));
        assert_eq!(c.category, v(&[("/毒品", 1), ("/诈骗", 4), ("/诈骗/养老诈骗", 2), ("/诈骗/电信网络诈骗", 1)]));
        assert_eq!(c.year, v(&[("/2023", 2), ("/2022", 3)]));
        assert_eq!(c.month, v(&[("2023-03", 2), ("2022-07", 2), ("2022-01", 1)]));
        assert_eq!(c.undated, 1);
        // A bucket's nested facets hold one kind: the others are empty.
        let only_years = counts(&json!({"val": "/广东省", "count": 3, "year": {"buckets": [{"val": "/2022", "count": 3}]}}));
        assert_eq!((only_years.year.len(), only_years.province.len(), only_years.undated), (1, 0, 0));
    }

    #[test]
    fn nested_buckets_become_the_local_table() {
        let span = MonthSpan::of(day(2022, 1, 5), day(2023, 3, 1));
        let req = table_request(FacetKind::Province, FacetKind::Month, span);
        assert_eq!(req[ROWS]["field"], field::REGION);
        assert_eq!(req[ROWS]["facet"][MONTH]["type"], "range");
        let mut a = answer();
        let month = |m: &str, n: u64| json!({"val": format!("{m}-01T00:00:00Z"), "count": n});
        a[ROWS] = json!({"buckets": [
            {"val": "/广东省", "count": 3, "month": {"buckets": [month("2022-01", 1), month("2022-07", 1)]}},
            {"val": "/广东省/深圳市", "count": 2, "month": {"buckets": []}},
            {"val": "/广西壮族自治区", "count": 2, "month": {"buckets": [month("2023-03", 2)]}},
            {"val": "/全国", "count": 1, "month": {"buckets": [month("2022-07", 1)]}},
        ]});
        let t = table(&a, FacetKind::Province, FacetKind::Month);
        assert_eq!(t.rows.iter().map(|(r, n)| (r.as_str(), *n)).collect::<Vec<_>>(), [("/广东省", 3), ("/广西壮族自治区", 2), ("/全国", 1)]);
        assert_eq!(t.columns, ["2022-01", "2022-07", "2023-03"]);
        assert_eq!(t.cells, [vec![1, 1, 0], vec![0, 0, 2], vec![0, 1, 0]]);
        assert_eq!(t.undated, Some(vec![1, 0, 0]));
        // Months as rows: their buckets are found by month, not by date.
        let mut a = answer();
        a[ROWS] = json!({"buckets": [{"val": "2022-07-01T00:00:00Z", "count": 2, "year": {"buckets": [{"val": "/2022", "count": 2}]}}]});
        let t = table(&a, FacetKind::Month, FacetKind::Year);
        assert_eq!(t.rows[1], ("2022-07".to_string(), 2));
        assert_eq!(t.cells[1], [2, 0]);
        assert_eq!(t.cells[0], [0, 0], "a month with no bucket counts nothing");
    }
}

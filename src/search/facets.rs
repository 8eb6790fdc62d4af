//! Facet counts: how many bulletins of a result set (or of the whole index) come from each
//! province and city, fall under each category, and were published in each year and month.
//!
//! Region, category and year are tantivy facets. Months are read from the date fast field
//! by [`MonthCounts`] rather than stored as one more facet, so a histogram over time needs
//! no schema change and no rebuild.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Collector, FacetCollector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::{DateTime, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::index::schema::name;

/// Counts per facet value over a result set.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct FacetCounts {
    pub province: Vec<(String, u64)>,
    pub city: Vec<(String, u64)>,
    pub category: Vec<(String, u64)>,
    pub year: Vec<(String, u64)>,
    /// Dated bulletins per month (`2022-07`), newest first like `year`.
    pub month: Vec<(String, u64)>,
    /// Bulletins with no date: in no year and no month.
    pub undated: u64,
}

/// One way of counting bulletins: the fields [`FacetCounts`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FacetKind {
    Province,
    City,
    Category,
    Year,
    Month,
}

impl FacetKind {
    /// Every kind, in the order counts are shown.
    pub(crate) const ALL: [FacetKind; 5] = [FacetKind::Province, FacetKind::City, FacetKind::Category, FacetKind::Year, FacetKind::Month];
    /// What a bare `--facets` shows.
    pub const DEFAULT: [FacetKind; 4] = [FacetKind::Province, FacetKind::City, FacetKind::Category, FacetKind::Year];

    pub fn name(self) -> &'static str {
        match self {
            FacetKind::Province => "province",
            FacetKind::City => "city",
            FacetKind::Category => "category",
            FacetKind::Year => "year",
            FacetKind::Month => "month",
        }
    }

    /// A comma-separated list of kinds (`province,year`), in the order given.
    pub fn parse_list(s: &str) -> Result<Vec<FacetKind>, String> {
        let mut out = Vec::new();
        for word in s.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            let kind = FacetKind::ALL
                .into_iter()
                .find(|k| k.name() == word.to_lowercase())
                .ok_or_else(|| format!("unknown facet {word:?}; choose from province, city, category, year, month"))?;
            if !out.contains(&kind) {
                out.push(kind);
            }
        }
        if out.is_empty() {
            return Err("name at least one facet: province, city, category, year or month".into());
        }
        Ok(out)
    }

    /// Whether values are points in time (shown oldest first across a table).
    pub(crate) fn is_time(self) -> bool {
        matches!(self, FacetKind::Year | FacetKind::Month)
    }
}

impl FacetCounts {
    /// The counts of one kind, most frequent first (years and months newest first).
    pub fn of(&self, kind: FacetKind) -> &[(String, u64)] {
        match kind {
            FacetKind::Province => &self.province,
            FacetKind::City => &self.city,
            FacetKind::Category => &self.category,
            FacetKind::Year => &self.year,
            FacetKind::Month => &self.month,
        }
    }
}

/// A two-way count (`facets --by province,year`): for each value of one kind, how many of
/// its bulletins have each value of another.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FacetTable {
    pub rows_by: FacetKind,
    pub columns_by: FacetKind,
    /// Row values with their totals, in the order [`FacetCounts::of`] gives.
    pub rows: Vec<(String, u64)>,
    /// Column values: by frequency, or oldest first for years and months.
    pub columns: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<u64>>,
    /// With years or months as columns: each row's bulletins that have no date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undated: Option<Vec<u64>>,
}

/// Count `query`'s matches by `rows` × `columns`. One facet count per row value, each
/// restricted to that value: a few dozen provinces or years cost a few dozen passes.
pub fn facet_table(
    handle: &crate::index::IndexHandle,
    searcher: &Searcher,
    query: &dyn Query,
    rows: FacetKind,
    columns: FacetKind,
) -> tantivy::Result<FacetTable> {
    let overall = facet_counts(searcher, query)?;
    FacetTable::assemble(&overall, rows, columns, |value| {
        let restricted = tantivy::query::BooleanQuery::new(vec![
            (tantivy::query::Occur::Must, query.box_clone()),
            (tantivy::query::Occur::Must, value_query(handle, rows, value)),
        ]);
        facet_counts(searcher, &restricted)
    })
}

impl FacetTable {
    /// The table of `rows` × `columns` from the counts over all the bulletins counted
    /// (`overall`) and, for each row value, the counts over its bulletins (`restricted`).
    /// Every store makes its tables here, so their order, zeros and undated column agree.
    pub fn assemble<E>(
        overall: &FacetCounts,
        rows: FacetKind,
        columns: FacetKind,
        mut restricted: impl FnMut(&str) -> Result<FacetCounts, E>,
    ) -> Result<FacetTable, E> {
        let row_values: Vec<(String, u64)> = overall.of(rows).to_vec();
        let mut columns_seen: Vec<(String, u64)> = overall.of(columns).to_vec();
        if columns.is_time() {
            columns_seen.sort_by(|a, b| a.0.cmp(&b.0));
        }
        let column_values: Vec<String> = columns_seen.into_iter().map(|(v, _)| v).collect();
        let mut cells = Vec::with_capacity(row_values.len());
        for (value, _) in &row_values {
            let sub = restricted(value)?;
            let counts: HashMap<&str, u64> = sub.of(columns).iter().map(|(v, n)| (v.as_str(), *n)).collect();
            cells.push(column_values.iter().map(|c| counts.get(c.as_str()).copied().unwrap_or(0)).collect());
        }
        let undated = columns.is_time().then(|| {
            row_values.iter().zip(&cells).map(|((_, total), counts): (&(String, u64), &Vec<u64>)| total.saturating_sub(counts.iter().sum())).collect()
        });
        Ok(FacetTable { rows_by: rows, columns_by: columns, rows: row_values, columns: column_values, cells, undated })
    }
}

/// The bulletins having one value of a kind: a facet term, or for a month its date range.
fn value_query(handle: &crate::index::IndexHandle, kind: FacetKind, value: &str) -> Box<dyn Query> {
    use tantivy::query::{AllQuery, RangeQuery, TermQuery};
    use tantivy::schema::{Facet, IndexRecordOption};
    let f = handle.fields;
    let field = match kind {
        FacetKind::Province | FacetKind::City => f.region,
        FacetKind::Category => f.category,
        FacetKind::Year => f.year,
        FacetKind::Month => {
            let bounds = super::filters::parse_date_bound(value, false).ok().zip(super::filters::parse_date_bound(value, true).ok());
            let Some((first, last)) = bounds else { return Box::new(AllQuery) };
            let at = |d: chrono::NaiveDate| {
                let secs = d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(0);
                tantivy::Term::from_field_date_for_search(f.date, DateTime::from_timestamp_secs(secs))
            };
            return Box::new(RangeQuery::new(std::ops::Bound::Included(at(first)), std::ops::Bound::Included(at(last))));
        }
    };
    match Facet::from_text(value) {
        Ok(facet) => Box::new(TermQuery::new(tantivy::Term::from_facet(field, &facet), IndexRecordOption::Basic)),
        Err(_) => Box::new(tantivy::query::EmptyQuery),
    }
}

/// Counts per province, city, category, year and month over every document matching
/// `query`. Two passes: the first finds the provinces and top categories present (and
/// counts years and months), the second counts their children (tantivy counts one level
/// below each requested facet).
pub fn facet_counts(searcher: &Searcher, query: &dyn Query) -> tantivy::Result<FacetCounts> {
    let collector = |field: &str, roots: &[String]| {
        let mut c = FacetCollector::for_field(field);
        for r in roots {
            c.add_facet(r.as_str());
        }
        c
    };
    let root = vec!["/".to_string()];
    let (r, c, (y, months), total) = searcher.search(
        query,
        &(collector(name::REGION, &root), collector(name::CATEGORY, &root), (collector(name::YEAR, &root), MonthCounts), tantivy::collector::Count),
    )?;
    let dated: u64 = months.iter().map(|(_, n)| n).sum();
    let undated = (total as u64).saturating_sub(dated);
    let list = |counts: &tantivy::collector::FacetCounts, roots: &[String]| -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> = roots.iter().flat_map(|root| counts.get(root.as_str()).map(|(f, n)| (f.to_path_string(), n))).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    let province = list(&r, &root);
    let top_categories = list(&c, &root);
    let provinces: Vec<String> = province.iter().map(|(p, _)| p.clone()).collect();
    let tops: Vec<String> = top_categories.iter().map(|(p, _)| p.clone()).collect();
    let (city, category) = if provinces.is_empty() && tops.is_empty() {
        (Vec::new(), top_categories.clone())
    } else {
        let (r2, c2) = searcher.search(query, &(collector(name::REGION, &provinces), collector(name::CATEGORY, &tops)))?;
        let mut category = top_categories.clone();
        category.extend(list(&c2, &tops));
        category.sort_by(|a, b| a.0.cmp(&b.0));
        (list(&r2, &provinces), category)
    };
    let mut year = list(&y, &root);
    year.sort_by(|a, b| b.0.cmp(&a.0));
    Ok(FacetCounts { province, city, category, year, month: months, undated })
}

/// Counts matching documents per calendar month of their date; undated ones are not
/// counted. Documents are tallied per day (dates are stored at midnight UTC), and days
/// become months once per distinct day when the segments are merged.
struct MonthCounts;

struct SegmentMonthCounts {
    dates: Option<Column<DateTime>>,
    days: HashMap<i64, u64>,
}

const SECONDS_PER_DAY: i64 = 86_400;

impl Collector for MonthCounts {
    type Fruit = Vec<(String, u64)>;
    type Child = SegmentMonthCounts;

    fn for_segment(&self, _: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentMonthCounts> {
        // A segment written before any dated bulletin has no column yet.
        let dates = reader.fast_fields().date(name::DATE).ok();
        Ok(SegmentMonthCounts { dates, days: HashMap::new() })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<HashMap<i64, u64>>) -> tantivy::Result<Vec<(String, u64)>> {
        // Thousands of distinct days become a few dozen months; only those are formatted.
        let mut months: HashMap<(i32, u32), u64> = HashMap::new();
        for days in segments {
            for (day, n) in days {
                if let Some(month) = month_of_day(day) {
                    *months.entry(month).or_default() += n;
                }
            }
        }
        let mut out: Vec<((i32, u32), u64)> = months.into_iter().collect();
        out.sort_by_key(|e| std::cmp::Reverse(e.0));
        Ok(out.into_iter().map(|((y, m), n)| (format!("{y:04}-{m:02}"), n)).collect())
    }
}

impl SegmentCollector for SegmentMonthCounts {
    type Fruit = HashMap<i64, u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(date) = self.dates.as_ref().and_then(|c| c.first(doc)) {
            *self.days.entry(date.into_timestamp_secs().div_euclid(SECONDS_PER_DAY)).or_default() += 1;
        }
    }

    fn harvest(self) -> HashMap<i64, u64> {
        self.days
    }
}

/// Year and month of a day number counted from 1970-01-01.
fn month_of_day(day: i64) -> Option<(i32, u32)> {
    use chrono::Datelike;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    let date = if day >= 0 { epoch.checked_add_days(chrono::Days::new(day as u64))? } else { epoch.checked_sub_days(chrono::Days::new(day.unsigned_abs()))? };
    Some((date.year(), date.month()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_become_calendar_months() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp() / SECONDS_PER_DAY;
        let cases = [
            (day(2022, 7, 14), (2022, 7)),
            (day(2022, 7, 31), (2022, 7)),
            (day(2022, 8, 1), (2022, 8)),
            (day(2024, 2, 29), (2024, 2)),
            (day(1999, 12, 31), (1999, 12)),
            (0, (1970, 1)),
            (-1, (1969, 12)),
        ];
        for (d, want) in cases {
            assert_eq!(month_of_day(d), Some(want), "day {d}");
        }
    }
}

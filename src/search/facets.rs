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

use super::DATE_FIELD;

/// Counts per facet value over a result set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FacetCounts {
    pub province: Vec<(String, u64)>,
    pub city: Vec<(String, u64)>,
    pub category: Vec<(String, u64)>,
    pub year: Vec<(String, u64)>,
    /// Dated bulletins per month (`2022-07`), newest first like `year`.
    pub month: Vec<(String, u64)>,
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
    let (r, c, y, months) = searcher.search(
        query,
        &(collector("region", &root), collector("category", &root), collector("year", &root), MonthCounts),
    )?;
    let list = |counts: &tantivy::collector::FacetCounts, roots: &[String]| -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> =
            roots.iter().flat_map(|root| counts.get(root.as_str()).map(|(f, n)| (f.to_path_string(), n))).collect();
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
        let (r2, c2) = searcher.search(query, &(collector("region", &provinces), collector("category", &tops)))?;
        let mut category = top_categories.clone();
        category.extend(list(&c2, &tops));
        category.sort_by(|a, b| a.0.cmp(&b.0));
        (list(&r2, &provinces), category)
    };
    let mut year = list(&y, &root);
    year.sort_by(|a, b| b.0.cmp(&a.0));
    Ok(FacetCounts { province, city, category, year, month: months })
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
        let dates = reader.fast_fields().date(DATE_FIELD).ok();
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
        out.sort_by(|a, b| b.0.cmp(&a.0));
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
    let date = if day >= 0 {
        epoch.checked_add_days(chrono::Days::new(day as u64))?
    } else {
        epoch.checked_sub_days(chrono::Days::new(day.unsigned_abs()))?
    };
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

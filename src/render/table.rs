//! Counts as aligned tables with bars, so a trend is seen at a glance rather than read.
//!
//! Labels are mostly Chinese (two columns wide on a terminal), so alignment pads by display
//! width, not by characters. Bars use the eighth-block glyphs, which every terminal font
//! with CJK coverage has.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::{sanitize, Style};
use crate::search::{FacetCounts, FacetKind, FacetTable};

/// Widest bar, in terminal columns.
const BAR_WIDTH: usize = 30;

/// A bar `n/max` of `width` columns, in eighths of a column. A count above zero always
/// shows at least a sliver.
pub fn bar(n: u64, max: u64, width: usize) -> String {
    const EIGHTHS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
    if n == 0 || max == 0 {
        return String::new();
    }
    let eighths = ((n as u128 * width as u128 * 8).div_ceil(max as u128)).max(1) as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(EIGHTHS[eighths % 8 - 1]);
    }
    s
}

/// `s` padded with spaces to `width` display columns.
pub(crate) fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// `s` right-aligned in `width` display columns.
pub(crate) fn pad_left(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{}{s}", " ".repeat(width.saturating_sub(w)))
}

/// A facet value as shown: without the leading slash (`广西壮族自治区/南宁市`).
pub fn label(value: &str) -> String {
    sanitize(value.trim_start_matches('/'))
}

/// The heading of one kind's section.
fn heading(kind: FacetKind) -> &'static str {
    match kind {
        FacetKind::Province => "By province",
        FacetKind::City => "By city",
        FacetKind::Category => "By category",
        FacetKind::Year => "By year",
        FacetKind::Month => "By month",
    }
}

/// Print the sections of `kinds`, each an aligned table of value, count and bar. Years and
/// months end with the undated bulletins, which belong to neither.
pub(crate) fn print_facets(out: &mut dyn Write, f: &FacetCounts, kinds: &[FacetKind], style: &Style) -> io::Result<()> {
    for &kind in kinds {
        writeln!(out)?;
        writeln!(out, "{}", style.paint("1", heading(kind)))?;
        let mut rows: Vec<(String, u64)> = f.of(kind).iter().map(|(v, n)| (label(v), *n)).collect();
        if kind.is_time() && f.undated > 0 {
            rows.push(("undated".to_string(), f.undated));
        }
        if rows.is_empty() {
            writeln!(out, "  (none)")?;
            continue;
        }
        let width = rows.iter().map(|(v, _)| UnicodeWidthStr::width(v.as_str())).max().unwrap_or(0);
        let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let digits = max.to_string().len();
        for (value, n) in &rows {
            let bar = if value == "undated" && kind.is_time() { String::new() } else { bar(*n, max, BAR_WIDTH) };
            let line = format!("  {}  {n:>digits$}  {}", pad(value, width), style.paint("36", &bar));
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    Ok(())
}

/// Print a two-way count: one row per value of the first kind, a column per value of the
/// second, the row's total, and a small bar per cell so the row's trend shows.
pub(crate) fn print_table(out: &mut dyn Write, t: &FacetTable, style: &Style) -> io::Result<()> {
    const SPARK: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let rows: Vec<String> = t.rows.iter().map(|(v, _)| label(v)).collect();
    let undated_label = "undated".to_string();
    let columns: Vec<String> = t.columns.iter().map(|c| label(c)).collect();
    let first = std::iter::once(UnicodeWidthStr::width(t.rows_by.name())).chain(rows.iter().map(|r| UnicodeWidthStr::width(r.as_str()))).max().unwrap_or(0);
    let max_cell = t.cells.iter().flatten().copied().max().unwrap_or(0);
    let cell = columns.iter().map(|c| UnicodeWidthStr::width(c.as_str())).chain(std::iter::once(max_cell.to_string().len())).max().unwrap_or(1);
    let total_width = t.rows.iter().map(|(_, n)| n.to_string().len()).max().unwrap_or(1).max("total".len());
    let mut head = format!("  {}", pad(t.rows_by.name(), first));
    for c in &columns {
        head.push_str(&format!("  {}", pad_left(c, cell)));
    }
    if t.undated.is_some() {
        head.push_str(&format!("  {undated_label}"));
    }
    head.push_str(&format!("  {:>total_width$}", "total"));
    writeln!(out, "{}", style.paint("1", &head))?;
    for (i, ((row, (_, total)), counts)) in rows.iter().zip(&t.rows).zip(&t.cells).enumerate() {
        let mut line = format!("  {}", pad(row, first));
        let shown = |n: u64| if n == 0 { "·".to_string() } else { n.to_string() };
        for n in counts {
            line.push_str(&format!("  {:>cell$}", shown(*n)));
        }
        if let Some(n) = t.undated.as_ref().and_then(|u| u.get(i)) {
            line.push_str(&format!("  {:>w$}", shown(*n), w = undated_label.len()));
        }
        line.push_str(&format!("  {total:>total_width$}"));
        let row_max = counts.iter().copied().max().unwrap_or(0);
        let spark: String =
            counts.iter().map(|&n| if n == 0 || row_max == 0 { ' ' } else { SPARK[((n * 8).div_ceil(row_max) as usize).clamp(1, 8) - 1] }).collect();
        line.push_str(&format!("  {}", style.paint("36", &spark)));
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_in_eighths() {
        let cases = [(0, 10, 8, ""), (10, 10, 8, "████████"), (5, 10, 8, "████"), (1, 10, 8, "▉"), (1, 1000, 8, "▏"), (3, 8, 1, "▍")];
        for (n, max, width, want) in cases {
            assert_eq!(bar(n, max, width), want, "{n}/{max} in {width}");
        }
    }

    #[test]
    fn padding_counts_chinese_as_two_columns() {
        assert_eq!(pad("广西", 6), "广西  ");
        assert_eq!(pad("2024", 6), "2024  ");
        assert_eq!(pad("广西壮族自治区", 4), "广西壮族自治区");
    }

    #[test]
    fn year_sections_end_with_the_undated_count_and_align() {
        let f = FacetCounts {
            province: vec![("/广西壮族自治区".into(), 12), ("/全国".into(), 3)],
            year: vec![("/2024".into(), 9), ("/2023".into(), 3)],
            undated: 4,
            ..Default::default()
        };
        let mut out = Vec::new();
        print_facets(&mut out, &f, &[FacetKind::Province, FacetKind::Year], &Style::plain()).unwrap();
        let s = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[1], "By province");
        assert_eq!(lines[2], format!("  广西壮族自治区  12  {}", "█".repeat(30)));
        assert_eq!(lines[3], format!("  全国             3  {}", "█".repeat(7) + "▌"));
        assert_eq!(lines[5], "By year");
        assert_eq!(lines[6], format!("  2024     9  {}", "█".repeat(30)));
        assert_eq!(lines[8], "  undated  4");
    }

    #[test]
    fn two_way_tables_align_and_show_row_trends() {
        let t = FacetTable {
            rows_by: FacetKind::Province,
            columns_by: FacetKind::Year,
            rows: vec![("/广西壮族自治区".into(), 11), ("/全国".into(), 2)],
            columns: vec!["/2022".into(), "/2023".into(), "/2024".into()],
            cells: vec![vec![1, 2, 8], vec![2, 0, 0]],
            undated: Some(vec![0, 0]),
        };
        let mut out = Vec::new();
        print_table(&mut out, &t, &Style::plain()).unwrap();
        let s = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "  province        2022  2023  2024  undated  total");
        assert_eq!(lines[1], "  广西壮族自治区     1     2     8        ·     11  ▁▂█");
        assert_eq!(lines[2], "  全国               2     ·     ·        ·      2  █");
    }
}

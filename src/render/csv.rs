//! Results for a spreadsheet: a header, then one row per hit with every metadata field and
//! its first passage.
//!
//! Cells are bulletin text, and a spreadsheet runs a cell starting with `=`, `+`, `-` or `@`
//! as a formula: such text cells get a leading apostrophe, which spreadsheets show as
//! text. Control characters are removed and line breaks become spaces, so each hit is one
//! line.

use std::io::{self, Write};

use super::{sanitize, Printer};
use crate::search::Hit;

/// The columns, in order.
pub const COLUMNS: [&str; 16] =
    ["rank", "score", "match", "title", "date", "province", "city", "categories", "url", "path", "id", "group", "copies", "partial", "expanded", "passage"];

/// Prints CSV rows.
pub struct CsvPrinter<'a> {
    writer: csv::Writer<&'a mut dyn Write>,
    header_written: bool,
}

impl<'a> CsvPrinter<'a> {
    pub fn new(out: &'a mut dyn Write) -> CsvPrinter<'a> {
        CsvPrinter { writer: csv::Writer::from_writer(out), header_written: false }
    }

    fn header(&mut self) -> io::Result<()> {
        if !self.header_written {
            self.header_written = true;
            self.writer.write_record(COLUMNS).map_err(into_io)?;
        }
        Ok(())
    }
}

/// A text cell that no spreadsheet runs as a formula.
pub(crate) fn cell(text: &str) -> String {
    let clean = sanitize(text);
    if clean.starts_with(['=', '+', '-', '@']) {
        format!("'{clean}")
    } else {
        clean
    }
}

fn into_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

impl Printer for CsvPrinter<'_> {
    fn begin(&mut self, _: &crate::search::SearchResults, _: &str) -> io::Result<()> {
        self.header()
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        self.header()?;
        let row = [
            hit.rank.to_string(),
            format!("{:.4}", hit.score),
            hit.match_kind.map(|m| m.as_str().to_string()).unwrap_or_default(),
            cell(&hit.title),
            hit.date.clone().unwrap_or_default(),
            cell(hit.province.as_deref().unwrap_or("")),
            cell(hit.city.as_deref().unwrap_or("")),
            cell(&hit.categories.join(";")),
            cell(hit.url.as_deref().unwrap_or("")),
            cell(&hit.path),
            cell(&hit.id),
            hit.group.clone().unwrap_or_default(),
            hit.duplicates_total.to_string(),
            hit.partial.to_string(),
            cell(&hit.expanded.join(";")),
            cell(hit.passages.first().map(|p| p.text.as_str()).unwrap_or("")),
        ];
        self.writer.write_record(&row).map_err(into_io)
    }

    fn end(&mut self, _: &super::Summary) -> io::Result<()> {
        self.writer.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_never_start_a_formula_and_stay_on_one_line() {
        let cases = [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+86 电话诈骗", "'+86 电话诈骗"),
            ("-澳门", "'-澳门"),
            ("@警方", "'@警方"),
            ("关于破获\n养老诈骗案的通报", "关于破获 养老诈骗案的通报"),
            ("南宁市公安局", "南宁市公安局"),
        ];
        for (given, want) in cases {
            assert_eq!(cell(given), want, "{given:?}");
        }
    }
}

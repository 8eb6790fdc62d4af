//! Results for programs: one JSON object per line, each saying what it is by its `type` —
//! `hit` (every field of a hit, highlights as character offsets), `facets`, `table`, and one
//! final `summary` — so a reader can stream them and tell them apart.

use std::io::{self, Write};

use serde::Serialize;

use super::{print_json_line, Printer, Summary};
use crate::search::{FacetCounts, FacetTable, Hit};

/// Prints NDJSON records.
pub struct JsonPrinter<'a> {
    out: &'a mut dyn Write,
}

impl<'a> JsonPrinter<'a> {
    pub fn new(out: &'a mut dyn Write) -> JsonPrinter<'a> {
        JsonPrinter { out }
    }
}

#[derive(Serialize)]
struct Record<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    body: &'a T,
}

/// The `facets` record: counts over `total` bulletins.
#[derive(Serialize)]
struct Facets<'a> {
    total: usize,
    facets: &'a FacetCounts,
}

impl Printer for JsonPrinter<'_> {
    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        print_json_line(self.out, &Record { kind: "hit", body: hit })
    }

    fn facets(&mut self, facets: &FacetCounts, total: usize) -> io::Result<()> {
        print_json_line(self.out, &Record { kind: "facets", body: &Facets { total, facets } })
    }

    fn table(&mut self, table: &FacetTable) -> io::Result<()> {
        print_json_line(self.out, &Record { kind: "table", body: table })
    }

    fn end(&mut self, summary: &Summary) -> io::Result<()> {
        print_json_line(self.out, &Record { kind: "summary", body: summary })
    }
}

//! Printing search results, record by record, in the format a person or a program asked for.
//!
//! A search runs once and its results are handed to a [`Printer`] (ripgrep's sink idea):
//! the search never formats, and each output format is one implementation — [`text`] for a
//! person at a terminal, [`json`] records for programs, [`csv`] rows for spreadsheets, and
//! the bare [`list`] printers (`--count`, `--files-with-matches`). A new format is one more
//! implementation, and every command that prints results gets it.
//!
//! Everything from a bulletin is untrusted: text goes through [`crate::sanitize`] before a
//! terminal, JSON relies on serde_json's escaping plus escaped C1 controls and bidi marks,
//! CSV cells are cleaned and kept from starting a spreadsheet formula.

pub mod csv;
pub mod json;
pub mod list;
pub mod table;
pub mod text;

use std::io;
use std::time::Duration;

use serde::Serialize;

use crate::sanitize::is_bidi_control;
pub use crate::sanitize::{cap_line, sanitize};
use crate::search::{FacetCounts, FacetTable, Hit, SearchResults};

/// What a search amounts to besides its hits, printed after them.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    /// Bulletins matching the whole query.
    pub total: usize,
    /// Of `total`, those containing what was typed, as typed.
    pub literal: usize,
    /// Of `total`, those with the typed words, some apart.
    pub words: usize,
    /// Of `total`, those found only through synonyms.
    pub synonym: usize,
    /// Of `total`, those found only through a category a query word names.
    pub category: usize,
    /// The category paths query words named.
    pub categories: Vec<String>,
    /// Bulletins matching only part of the query, beyond `total`.
    pub partial: usize,
    /// Synonyms the query was expanded with (folded).
    pub expanded: Vec<String>,
    /// With a date filter: matching bulletins left out because they have no date.
    pub undated_left_out: Option<usize>,
    pub elapsed_ms: u64,
}

impl Summary {
    pub fn of(results: &SearchResults, elapsed: Duration) -> Summary {
        Summary {
            total: results.total,
            literal: results.literal_total,
            words: results.words_total,
            synonym: results.synonym_total,
            category: results.category_total,
            categories: results.categories.clone(),
            partial: results.partial_total,
            expanded: results.expanded.clone(),
            undated_left_out: results.undated_left_out,
            elapsed_ms: elapsed.as_millis().try_into().unwrap_or(u64::MAX),
        }
    }
}

/// Where results go, one record at a time. [`print_search`] calls `begin`, `hit` for each
/// hit in rank order, `facets` when they were counted, then `end`.
pub trait Printer {
    /// Before the hits: a heading, the synonyms searched.
    fn begin(&mut self, _results: &SearchResults, _query: &str) -> io::Result<()> {
        Ok(())
    }
    fn hit(&mut self, hit: &Hit) -> io::Result<()>;
    /// Counts over every match (or the whole index), `total` bulletins in all.
    fn facets(&mut self, _facets: &FacetCounts, _total: usize) -> io::Result<()> {
        Ok(())
    }
    /// A two-way count (`facets --by province,year`).
    fn table(&mut self, _table: &FacetTable) -> io::Result<()> {
        Ok(())
    }
    fn end(&mut self, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// Hand a search's results to a printer.
pub fn print_search(printer: &mut dyn Printer, results: &SearchResults, query: &str, elapsed: Duration) -> io::Result<()> {
    printer.begin(results, query)?;
    for hit in &results.hits {
        printer.hit(hit)?;
    }
    if let Some(f) = &results.facets {
        printer.facets(f, results.total)?;
    }
    printer.end(&Summary::of(results, elapsed))
}

/// Output styling for a terminal or a pipe.
#[derive(Debug, Clone, Default)]
pub struct Style {
    /// ANSI colour and bold.
    pub color: bool,
    /// Strings put around each highlight (`--marks`); none by default, so piped text is
    /// the bulletin's own (bulletins use 【…】 and every other bracket themselves).
    pub marks: Option<(String, String)>,
}

impl Style {
    pub fn plain() -> Style {
        Style::default()
    }

    pub(crate) fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// Read `--marks OPEN,CLOSE` (split at the first comma): the strings to put around
/// highlights. Control characters are removed, as from anything printed.
pub fn parse_marks(s: &str) -> Result<(String, String), String> {
    match s.split_once(',') {
        Some((open, close)) if !(open.is_empty() && close.is_empty()) => Ok((sanitize(open), sanitize(close))),
        _ => Err(format!("{s:?} is not two marks separated by a comma (for example --marks '«,»' or --marks '[[,]]')")),
    }
}

/// Text with spans (character offsets) emphasised: bold red on a colour terminal, between
/// the chosen marks when there are any, and as it is otherwise.
pub fn highlight(text: &str, spans: &[[usize; 2]], style: &Style) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + spans.len() * 12);
    let mut at = 0;
    for sp in spans {
        let (s, e) = (sp[0].min(chars.len()), sp[1].min(chars.len()));
        if s < at || s >= e {
            continue;
        }
        out.push_str(&sanitize(&chars[at..s].iter().collect::<String>()));
        let mut m = sanitize(&chars[s..e].iter().collect::<String>());
        if let Some((open, close)) = &style.marks {
            m = format!("{open}{m}{close}");
        }
        if style.color {
            m = format!("\x1b[1;31m{m}\x1b[0m");
        }
        out.push_str(&m);
        at = e;
    }
    out.push_str(&sanitize(&chars[at.min(chars.len())..].iter().collect::<String>()));
    out
}

/// "also published at N other places: a, b, c" naming at most five of the copies; `total`
/// counts them all (`paths` may list only some).
pub(crate) fn also_published(paths: &[String], total: usize) -> String {
    const SHOWN: usize = 5;
    let n = total.max(paths.len());
    let places = if n == 1 { "place" } else { "places" };
    let mut list: Vec<String> = paths.iter().take(SHOWN).map(|p| display_path(p)).collect();
    if n > SHOWN {
        list.push(format!("… and {} more", n - SHOWN));
    }
    format!("also published at {n} other {places}: {}", list.join(", "))
}

/// A stored absolute path, shown relative to the current folder when inside it.
pub(crate) fn display_path(path: &str) -> String {
    if let Ok(cwd) = std::env::current_dir() {
        if let Ok(rel) = std::path::Path::new(path).strip_prefix(&cwd) {
            return rel.display().to_string();
        }
    }
    path.to_string()
}

/// One JSON object per line.
pub fn print_json_line<T: Serialize>(out: &mut dyn io::Write, value: &T) -> io::Result<()> {
    let line = serde_json::to_string(value).map_err(io::Error::other)?;
    // serde_json leaves C1 controls and bidi marks as they are; escape them too.
    let mut safe = String::with_capacity(line.len());
    for c in line.chars() {
        if (c.is_control() && c as u32 >= 0x7f) || is_bidi_control(c) {
            safe.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            safe.push(c);
        }
    }
    writeln!(out, "{safe}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_are_bare_when_piped_and_marked_as_asked() {
        let plain = Style::plain();
        let marked = Style { color: false, marks: Some(("«".into(), "»".into())) };
        let color = Style { color: true, marks: None };
        let cases: &[(&Style, &str, &[[usize; 2]], &str)] = &[
            (&plain, "【百日行动】破获养老诈骗案件", &[[8, 12]], "【百日行动】破获养老诈骗案件"),
            (&marked, "破获养老诈骗案件", &[[2, 6]], "破获«养老诈骗»案件"),
            (&color, "破获养老诈骗案件", &[[2, 6]], "破获\x1b[1;31m养老诈骗\x1b[0m案件"),
            // Overlapping and reversed spans are skipped, spans past the end clamped.
            (&marked, "电诈窝点", &[[0, 2], [1, 3], [3, 2], [3, 9]], "«电诈»窝«点»"),
        ];
        for (style, text, spans, want) in cases {
            assert_eq!(highlight(text, spans, style), *want, "{text}");
        }
    }

    #[test]
    fn marks_are_two_strings_split_at_the_first_comma() {
        assert_eq!(parse_marks("«,»"), Ok(("«".into(), "»".into())));
        assert_eq!(parse_marks("[[,]]"), Ok(("[[".into(), "]]".into())));
        assert_eq!(parse_marks(">,"), Ok((">".into(), "".into())));
        assert_eq!(parse_marks("<,,>"), Ok(("<".into(), ",>".into())));
        assert_eq!(parse_marks("\x1b[1m,\x1b[0m"), Ok(("[1m".into(), "[0m".into())));
        assert!(parse_marks("«»").is_err());
        assert!(parse_marks(",").is_err());
    }

    #[test]
    fn also_published_names_a_few_copies() {
        assert_eq!(also_published(&["/a/1.html".into()], 1), "also published at 1 other place: /a/1.html");
        let many: Vec<String> = (0..7).map(|i| format!("/x/{i}.txt")).collect();
        assert_eq!(also_published(&many, 7), "also published at 7 other places: /x/0.txt, /x/1.txt, /x/2.txt, /x/3.txt, /x/4.txt, … and 2 more");
        // Only some copies listed: the count is of all of them.
        assert_eq!(also_published(&many[..6], 4000), "also published at 4000 other places: /x/0.txt, /x/1.txt, /x/2.txt, /x/3.txt, /x/4.txt, … and 3995 more");
    }

    #[test]
    fn json_escapes_c1_and_bidi() {
        let mut out = Vec::new();
        print_json_line(&mut out, &serde_json::json!({"t": "a\u{9b}b\u{202e}c\u{1b}"})).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(s.trim(), r#"{"t":"a\u009bb\u202ec\u001b"}"#);
    }
}

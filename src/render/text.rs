//! Results for a person: a heading, each hit's title, place, path, URL and passages with
//! the matches emphasised, then counts and what the filters left out.

use std::io::{self, Write};

use super::{also_published, display_path, highlight, sanitize, table, Printer, Style, Summary};
use crate::search::{FacetCounts, FacetKind, FacetTable, Hit, MatchKind, SearchResults};

/// Prints for a terminal (or a pipe read by a person).
pub struct TextPrinter<'a> {
    out: &'a mut dyn Write,
    style: Style,
    /// Sections shown by `facets`.
    kinds: Vec<FacetKind>,
    /// Say what the filters left out (off with `--quiet`).
    notes: bool,
}

impl<'a> TextPrinter<'a> {
    pub fn new(out: &'a mut dyn Write, style: Style, kinds: Vec<FacetKind>, notes: bool) -> TextPrinter<'a> {
        TextPrinter { out, style, kinds, notes }
    }
}

/// The query as echoed back: sanitized, and cut short so that a pasted page does not fill
/// the screen again.
fn echo(query: &str) -> String {
    let clean = sanitize(query);
    if clean.chars().count() > 60 {
        clean.chars().take(60).collect::<String>() + "…"
    } else {
        clean
    }
}

/// The line above the hits.
fn heading(results: &SearchResults, query: &str) -> String {
    let browsing = query.trim().is_empty();
    if results.hits.is_empty() {
        return match (results.total, browsing) {
            (0, true) => "No bulletins pass the filters.".to_string(),
            (0, false) => format!("No bulletins match “{}”.", echo(query)),
            (n, true) => format!("No more bulletins ({n} in all)."),
            (n, false) => format!("No more hits for “{}” ({n} in all).", echo(query)),
        };
    }
    let first = results.hits.first().map(|h| h.rank).unwrap_or(1);
    let last = results.hits.last().map(|h| h.rank).unwrap_or(1);
    if browsing {
        let noun = if results.total == 1 { "bulletin" } else { "bulletins" };
        return format!("{} {noun}; showing {first}–{last}", results.total);
    }
    if results.total == 0 {
        return format!("No bulletin has every word; {} match part of the query; showing {first}–{last}", results.partial_total);
    }
    let more = if results.partial_total > 0 { format!(" (and {} more match part of the query)", results.partial_total) } else { String::new() };
    let noun = if results.total == 1 { "bulletin matches" } else { "bulletins match" };
    format!("{} {noun}{}{more}; showing {first}–{last}", results.total, kinds(results, query))
}

/// What the matches are made of, when not all contain what was typed: ": 3 contain “刷单”;
/// 11 more are classified /诈骗/电信网络诈骗". A count a journalist quotes must say so.
fn kinds(results: &SearchResults, query: &str) -> String {
    if results.literal_total == results.total {
        return String::new();
    }
    let verb = |n: usize, one: &str, more: &str| format!("{n} {}", if n == 1 { one } else { more });
    let mut parts = vec![format!("{} “{}”", verb(results.literal_total, "contains", "contain"), echo(query))];
    if results.words_total > 0 {
        parts.push(format!("{} its words apart", verb(results.words_total, "has", "have")));
    }
    if results.synonym_total > 0 {
        parts.push(format!("{} more through synonyms", results.synonym_total));
    }
    if results.category_total > 0 {
        let classified = verb(results.category_total, "more is classified", "more are classified");
        parts.push(format!("{classified} {}", sanitize(&results.categories.join(", "))));
    }
    format!(": {}", parts.join("; "))
}

impl Printer for TextPrinter<'_> {
    fn begin(&mut self, results: &SearchResults, query: &str) -> io::Result<()> {
        writeln!(self.out, "{}", self.style.paint("2", &heading(results, query)))?;
        // Say which synonyms were searched: those found in the hits shown, else all of them.
        let matched: Vec<&str> = results.expanded.iter().filter(|e| results.hits.iter().any(|h| h.expanded.contains(e))).map(String::as_str).collect();
        if !matched.is_empty() {
            writeln!(self.out, "also matched: {}", sanitize(&matched.join(", ")))?;
        } else if results.hits.is_empty() && !results.expanded.is_empty() {
            writeln!(self.out, "also searched: {}", sanitize(&results.expanded.join(", ")))?;
        }
        Ok(())
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        let (out, style) = (&mut *self.out, &self.style);
        writeln!(out)?;
        let title = if hit.title.trim().is_empty() { "(untitled)".to_string() } else { hit.title.clone() };
        let title = highlight(&title, &hit.title_highlights, style);
        let title = if style.color { format!("\x1b[1m{title}\x1b[0m") } else { title };
        writeln!(out, "{:>2}. {title}", hit.rank)?;
        let mut meta = vec![hit.date.clone().unwrap_or_else(|| "undated".into())];
        match (&hit.province, &hit.city) {
            (Some(p), Some(c)) => meta.push(format!("{p} {c}")),
            (Some(p), None) => meta.push(p.clone()),
            _ => meta.push("region unknown".into()),
        }
        if !hit.categories.is_empty() {
            meta.push(hit.categories.join(" "));
        }
        // Hits that do not contain what was typed say so.
        match hit.match_kind {
            Some(MatchKind::Words) => meta.push("words apart (not as typed)".into()),
            Some(MatchKind::Synonym) => meta.push("through a synonym (not as typed)".into()),
            Some(MatchKind::Category) => meta.push("by its category (words not in it)".into()),
            Some(MatchKind::Partial) => meta.push("partial match (not every word)".into()),
            Some(MatchKind::Literal) | None => {}
        }
        writeln!(out, "    {}", style.paint("36", &sanitize(&meta.join(" · "))))?;
        writeln!(out, "    {}", style.paint("2", &sanitize(&display_path(&hit.path))))?;
        // Journalists cite the page a bulletin came from.
        if let Some(url) = hit.url.as_deref().filter(|u| !u.trim().is_empty()) {
            writeln!(out, "    {}", style.paint("34", &sanitize(url)))?;
        }
        if !hit.duplicates.is_empty() {
            writeln!(out, "    {}", style.paint("2", &sanitize(&also_published(&hit.duplicates, hit.duplicates_total))))?;
        }
        for p in &hit.passages {
            writeln!(out, "    {}", highlight(&p.text, &p.highlights, style))?;
        }
        if let Some(parts) = &hit.explain {
            writeln!(out, "    {}", style.paint("2", &format!("score {:.3} =", hit.score)))?;
            for c in parts {
                writeln!(out, "    {}", style.paint("2", &format!("  {:>8.3}  {}", c.score, sanitize(&c.what))))?;
            }
        }
        Ok(())
    }

    fn facets(&mut self, facets: &FacetCounts, _total: usize) -> io::Result<()> {
        table::print_facets(self.out, facets, &self.kinds, &self.style)
    }

    fn table(&mut self, t: &FacetTable) -> io::Result<()> {
        table::print_table(self.out, t, &self.style)
    }

    fn end(&mut self, summary: &Summary) -> io::Result<()> {
        if let (true, Some(n)) = (self.notes, summary.undated_left_out) {
            if n > 0 {
                let noun = if n == 1 { "bulletin" } else { "bulletins" };
                writeln!(self.out, "\n{n} undated {noun} not shown; --include-undated to add them")?;
            }
        }
        Ok(())
    }
}

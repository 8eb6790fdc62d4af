//! Printing results: terminal text with highlights, or NDJSON.
//!
//! Bulletin text is untrusted: scraped pages carry control characters, ANSI/OSC escape
//! sequences and bidirectional overrides that would rewrite a terminal's screen or title.
//! Everything from a bulletin goes through [`sanitize`] before it reaches a terminal; JSON
//! output relies on serde_json's escaping plus the same removal of C1 controls.

use std::io::{self, Write};

use serde::Serialize;

use crate::search::{FacetCounts, Hit, SearchResults};

/// Remove what a terminal would interpret: C0/C1 controls (ESC starts every escape
/// sequence, so removing it defuses them), DEL, and bidi overrides. Line breaks and tabs
/// become spaces.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\t' | '\r' => Some(' '),
            c if c.is_control() => None,
            c if is_bidi_control(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Longest message line (reason or note) printed about one file, in characters. A reason
/// quotes what it found (a broken front matter line, a sidecar's error), and a hostile
/// file can make that megabytes long.
pub const MAX_LINE_CHARS: usize = 300;

/// `line` cut to [`MAX_LINE_CHARS`] characters, with `…` where it was cut.
pub fn cap_line(line: &str) -> String {
    match line.char_indices().nth(MAX_LINE_CHARS) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
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

/// Marks and overrides that reorder text on screen (Trojan Source): LRM/RLM, ALM, the
/// embeddings and overrides U+202A–U+202E and the isolates U+2066–U+2069.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Output styling.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// Text with spans (character offsets) emphasised: bold red on a colour terminal,
/// 【…】 otherwise so a pipe still shows what matched.
pub fn highlight(text: &str, spans: &[[usize; 2]], style: Style) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + spans.len() * 12);
    let mut at = 0;
    for sp in spans {
        let (s, e) = (sp[0].min(chars.len()), sp[1].min(chars.len()));
        if s < at || s >= e {
            continue;
        }
        out.push_str(&sanitize(&chars[at..s].iter().collect::<String>()));
        let m = sanitize(&chars[s..e].iter().collect::<String>());
        if style.color {
            out.push_str(&format!("\x1b[1;31m{m}\x1b[0m"));
        } else {
            out.push('【');
            out.push_str(&m);
            out.push('】');
        }
        at = e;
    }
    out.push_str(&sanitize(&chars[at.min(chars.len())..].iter().collect::<String>()));
    out
}

/// Print results for a person.
pub fn print_text(out: &mut dyn Write, results: &SearchResults, style: Style, query: &str) -> io::Result<()> {
    if results.hits.is_empty() {
        let query = echo(query);
        if results.total > 0 {
            writeln!(out, "No more hits for “{query}” ({} in all).", results.total)?;
        } else {
            writeln!(out, "No bulletins match “{query}”.")?;
        }
    } else {
        let first = results.hits.first().map(|h| h.rank).unwrap_or(1);
        let last = results.hits.last().map(|h| h.rank).unwrap_or(1);
        let more = if results.partial_total > 0 {
            format!(" (and {} more match part of the query)", results.partial_total)
        } else {
            String::new()
        };
        let head = if results.total == 0 {
            format!("No bulletin has every word; {} match part of the query; showing {first}–{last}", results.partial_total)
        } else {
            let noun = if results.total == 1 { "bulletin matches" } else { "bulletins match" };
            format!("{} {noun}{more}; showing {first}–{last}", results.total)
        };
        writeln!(out, "{}", style.paint("2", &head))?;
    }
    // Say which synonyms were searched: those found in the hits shown, else all of them.
    let mut matched: Vec<&str> = Vec::new();
    for e in &results.expanded {
        if results.hits.iter().any(|h| h.expanded.contains(e)) {
            matched.push(e);
        }
    }
    if !matched.is_empty() {
        writeln!(out, "also matched: {}", sanitize(&matched.join(", ")))?;
    } else if results.hits.is_empty() && !results.expanded.is_empty() {
        writeln!(out, "also searched: {}", sanitize(&results.expanded.join(", ")))?;
    }
    for hit in &results.hits {
        print_hit(out, hit, style)?;
    }
    if let Some(f) = &results.facets {
        print_facets(out, f, style)?;
    }
    Ok(())
}

fn print_hit(out: &mut dyn Write, hit: &Hit, style: Style) -> io::Result<()> {
    writeln!(out)?;
    let title = if hit.title.trim().is_empty() { "(untitled)".to_string() } else { hit.title.clone() };
    let title = if style.color {
        format!("\x1b[1m{}\x1b[0m", highlight(&title, &hit.title_highlights, style))
    } else {
        sanitize(&title)
    };
    writeln!(out, "{:>2}. {title}", hit.rank)?;
    let mut meta = Vec::new();
    meta.push(hit.date.clone().unwrap_or_else(|| "undated".into()));
    match (&hit.province, &hit.city) {
        (Some(p), Some(c)) => meta.push(format!("{p} {c}")),
        (Some(p), None) => meta.push(p.clone()),
        _ => meta.push("region unknown".into()),
    }
    if !hit.categories.is_empty() {
        meta.push(hit.categories.join(" "));
    }
    if hit.partial {
        meta.push("partial match (not every word)".into());
    }
    writeln!(out, "    {}", style.paint("36", &sanitize(&meta.join(" · "))))?;
    writeln!(out, "    {}", style.paint("2", &sanitize(&display_path(&hit.path))))?;
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

/// "also published at N other places: a, b, c" naming at most five of the copies; `total`
/// counts them all (`paths` may list only some).
pub fn also_published(paths: &[String], total: usize) -> String {
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
pub fn display_path(path: &str) -> String {
    if let Ok(cwd) = std::env::current_dir() {
        if let Ok(rel) = std::path::Path::new(path).strip_prefix(&cwd) {
            return rel.display().to_string();
        }
    }
    path.to_string()
}

/// Print facet counts.
pub fn print_facets(out: &mut dyn Write, f: &FacetCounts, style: Style) -> io::Result<()> {
    let section = |out: &mut dyn Write, name: &str, rows: &[(String, u64)]| -> io::Result<()> {
        writeln!(out)?;
        writeln!(out, "{}", style.paint("1", name))?;
        if rows.is_empty() {
            writeln!(out, "  (none)")?;
        }
        for (k, n) in rows {
            writeln!(out, "  {n:>7}  {}", sanitize(k.trim_start_matches('/')))?;
        }
        Ok(())
    };
    section(out, "By province", &f.province)?;
    section(out, "By city", &f.city)?;
    section(out, "By category", &f.category)?;
    section(out, "By year (undated bulletins are not counted here)", &f.year)?;
    Ok(())
}

/// One JSON object per line.
pub fn print_json_line<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
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
    fn sanitize_removes_escapes_and_controls() {
        assert_eq!(sanitize("正常\x1b[31m红\x1b]0;title\x07文本\u{9b}2J"), "正常[31m红]0;title文本2J");
        assert_eq!(sanitize("a\u{202E}b\nc\0d"), "ab cd");
    }

    #[test]
    fn highlight_marks_spans_plainly_when_piped() {
        let s = highlight("破获养老诈骗案件", &[[2, 6]], Style { color: false });
        assert_eq!(s, "破获【养老诈骗】案件");
        let s = highlight("破获养老诈骗案件", &[[2, 6]], Style { color: true });
        assert_eq!(s, "破获\x1b[1;31m养老诈骗\x1b[0m案件");
    }

    #[test]
    fn also_published_names_a_few_copies() {
        assert_eq!(also_published(&["/a/1.html".into()], 1), "also published at 1 other place: /a/1.html");
        let many: Vec<String> = (0..7).map(|i| format!("/x/{i}.txt")).collect();
        assert_eq!(
            also_published(&many, 7),
            "also published at 7 other places: /x/0.txt, /x/1.txt, /x/2.txt, /x/3.txt, /x/4.txt, … and 2 more"
        );
        // Only some copies listed: the count is of all of them.
        assert_eq!(
            also_published(&many[..6], 4000),
            "also published at 4000 other places: /x/0.txt, /x/1.txt, /x/2.txt, /x/3.txt, /x/4.txt, … and 3995 more"
        );
    }

    #[test]
    fn json_escapes_c1_and_bidi() {
        let mut out = Vec::new();
        print_json_line(&mut out, &serde_json::json!({"t": "a\u{9b}b\u{202e}c\u{1b}"})).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(s.trim(), r#"{"t":"a\u009bb\u202ec\u001b"}"#);
    }
}

//! `tongbao extract`: what tongbao reads from files (title, date, region, categories),
//! without indexing them.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use serde::Serialize;
use tongbao::read;
use tongbao::render::print_json_line;
use tongbao::sanitize::sanitize;

use super::{file_line, Context};

/// What `extract --json` prints per file.
#[derive(Debug, Serialize)]
pub struct ExtractRecord {
    pub path: String,
    pub title: String,
    pub date: Option<String>,
    /// Where the date came from: `front-matter`, `sidecar`, `meta`, `dateline`, `signature`,
    /// `lead`, `text-year`, `url`, `path` (`null` when undated).
    pub date_source: Option<&'static str>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub categories: Vec<String>,
    pub format: String,
    pub encoding: String,
    pub body_chars: usize,
}

/// Read files and print what tongbao makes of them, without indexing.
pub fn extract(ctx: &Context, files: &[PathBuf], json: bool, out: &mut dyn Write) -> Result<usize> {
    let extractor = ctx.extractor()?;
    let options = tongbao::source::ReadOptions::default();
    let mut failures = 0;
    for path in files {
        match read::read_noted(path, &extractor, &options) {
            Ok(read::Read { bulletin: b, notes, .. }) => {
                for n in &notes {
                    eprintln!("{}", file_line("note", path, n));
                }
                let rec = ExtractRecord {
                    path: path.display().to_string(),
                    title: b.title.clone(),
                    date: b.date.map(|d| d.to_string()),
                    date_source: b.date_source.map(|s| s.as_str()),
                    province: b.region.province.clone(),
                    city: b.region.city.clone(),
                    categories: b.categories.clone(),
                    format: b.format.as_str().to_string(),
                    encoding: b.encoding.clone(),
                    body_chars: b.body.chars().count(),
                };
                if json {
                    print_json_line(out, &rec)?;
                } else {
                    writeln!(out, "{}", sanitize(&rec.path))?;
                    writeln!(out, "  title:      {}", sanitize(&rec.title))?;
                    match (&rec.date, rec.date_source) {
                        (Some(d), Some(s)) => writeln!(out, "  date:       {d} (from {s})")?,
                        (Some(d), None) => writeln!(out, "  date:       {d}")?,
                        (None, _) => writeln!(out, "  date:       undated")?,
                    }
                    let region = match (&rec.province, &rec.city) {
                        (Some(p), Some(c)) => format!("{p} / {c}"),
                        (Some(p), None) => p.clone(),
                        _ => "unknown".into(),
                    };
                    // Region and categories may come from the file's own front matter.
                    writeln!(out, "  region:     {}", sanitize(&region))?;
                    let categories = if rec.categories.is_empty() { "none".into() } else { rec.categories.join(" ") };
                    writeln!(out, "  categories: {}", sanitize(&categories))?;
                    writeln!(out, "  format:     {} ({}), {} characters of text", rec.format, rec.encoding, rec.body_chars)?;
                }
            }
            Err(reason) => {
                failures += 1;
                eprintln!("{}", file_line("skipped", path, &reason.to_string()));
            }
        }
    }
    Ok(failures)
}

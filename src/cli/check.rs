//! `tongbao check`: verify the index and say how to fix what is wrong.

use std::io::Write;

use anyhow::Result;
use tongbao::render::print_json_line;
use tongbao::sanitize::sanitize;

use super::Context;

/// Verify the index; returns whether it is sound. With `repair`, fix what can be fixed
/// without the source files (a missing meta.json).
pub fn check(ctx: &Context, repair: bool, json: bool, out: &mut dyn Write) -> Result<bool> {
    // Checking tokenizes nothing: the query-only jieba spares the dictionary load.
    let report = tongbao::index::check::check(&ctx.index_dir, ctx.query_jieba(&[])?, &ctx.meta(), repair);
    if json {
        print_json_line(out, &report)?;
    } else {
        // Problems quote indexed paths, which are file names from bulletin folders.
        let dir = ctx.shown_index();
        for r in &report.repaired {
            writeln!(out, "repaired: {}", sanitize(r))?;
        }
        if report.ok() {
            writeln!(out, "{}: OK ({} bulletins in {} segments; checksums and bookkeeping verified)", dir, report.documents, report.segments)?;
        } else {
            writeln!(out, "{}: {} problem(s)", dir, report.problems.len())?;
            for p in &report.problems {
                writeln!(out, "  - {}\n    fix: {}", sanitize(&p.what), sanitize(&p.fix))?;
            }
        }
    }
    Ok(report.ok())
}

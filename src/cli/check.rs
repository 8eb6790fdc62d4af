//! `tongbao check`: verify the index (or with `--store`, the SolrCloud collection) and say
//! how to fix what is wrong.

use std::io::Write;

use anyhow::{bail, Result};
use tongbao::cluster::SolrUrl;
use tongbao::render::print_json_line;
use tongbao::sanitize::sanitize;

use super::Context;

/// Verify the index; returns whether it is sound. With `repair`, fix what can be fixed
/// without the source files (a missing meta.json).
pub fn check(ctx: &Context, repair: bool, json: bool, out: &mut dyn Write) -> Result<bool> {
    if let Some(store) = &ctx.store {
        if repair {
            bail!("--repair restores a local index's files; a SolrCloud collection (--store) has nothing tongbao can restore in place: run `tongbao check --store` and follow its fix lines");
        }
        return check_cluster(ctx, store, json, out);
    }
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

/// `check --store`: the collection's schema, shards, replicas and bookkeeping.
fn check_cluster(ctx: &Context, store: &SolrUrl, json: bool, out: &mut dyn Write) -> Result<bool> {
    let wanted = tongbao::cluster::configset::schema_name(&ctx.meta());
    let report = tongbao::cluster::check::check(store, &wanted);
    let shown = sanitize(&store.to_string());
    if json {
        print_json_line(out, &report)?;
    } else if report.ok() {
        writeln!(
            out,
            "{shown}: OK ({} bulletins in {} shards, {} replicas; schema, leaders, replicas and bookkeeping verified)",
            report.documents, report.shards, report.replicas
        )?;
    } else {
        writeln!(out, "{shown}: {} problem(s)", report.problems.len())?;
        for p in &report.problems {
            writeln!(out, "  - {}\n    fix: {}", sanitize(&p.what), sanitize(&p.fix))?;
        }
    }
    Ok(report.ok())
}

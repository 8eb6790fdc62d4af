//! `tongbao facets`: counts over the whole index, one kind at a time or two against each
//! other (`--by province,year`); from the local index or, with `--store`, from the SolrCloud
//! collection (`tongbao::cluster::facets`), printed alike.

use std::io::Write;

use anyhow::{bail, Result};
use tongbao::cluster::{self, Solr, SolrUrl};
use tongbao::render::{json::JsonPrinter, text::TextPrinter, Printer};
use tongbao::sanitize::sanitize;
use tongbao::search::{self, FacetKind};

use super::Context;

/// Print counts for the whole index: the sections of `by` (all the usual ones when empty),
/// or with two kinds, a table of the first against the second.
pub fn facets(ctx: &Context, by: &[FacetKind], json: bool, out: &mut dyn Write) -> Result<()> {
    if by.len() > 2 {
        bail!("--by takes one or two kinds (for example --by province,year), not {}", by.len());
    }
    if let Some(store) = &ctx.store {
        return cluster_facets(ctx, store, by, json, out);
    }
    // Counting facets segments no text at all.
    let handle = ctx.open_with(ctx.query_jieba(&[])?)?;
    let reader = handle.index.reader().map_err(|e| handle.tantivy_error(e))?;
    let searcher = reader.searcher();
    let all = tantivy::query::AllQuery;
    let total = searcher.num_docs() as usize;
    let kinds = if by.is_empty() { FacetKind::DEFAULT.to_vec() } else { by.to_vec() };
    let mut printer: Box<dyn Printer + '_> = if json {
        Box::new(JsonPrinter::new(out))
    } else {
        let noun = if total == 1 { "bulletin" } else { "bulletins" };
        writeln!(out, "{total} {noun} in {}", ctx.shown_index())?;
        Box::new(TextPrinter::new(out, ctx.style(), kinds, !ctx.quiet))
    };
    if let [rows, columns] = by {
        let table = handle.guarded(|| search::facet_table(&handle, &searcher, &all, *rows, *columns).map_err(|e| handle.tantivy_error(e)))?;
        printer.table(&table)?;
    } else {
        let counts = handle.guarded(|| search::facet_counts(&searcher, &all).map_err(|e| handle.tantivy_error(e)))?;
        printer.facets(&counts, total)?;
    }
    Ok(())
}

/// `facets --store`: the same counts and tables, counted by the collection.
fn cluster_facets(ctx: &Context, store: &SolrUrl, by: &[FacetKind], json: bool, out: &mut dyn Write) -> Result<()> {
    let solr = Solr::connect(store)?;
    tongbao::cluster::configset::check(&solr, &ctx.meta())?;
    let kinds = if by.is_empty() { FacetKind::DEFAULT.to_vec() } else { by.to_vec() };
    let (total, counted) = match by {
        [rows, columns] => {
            let (total, table) = cluster::facets::facet_table(&solr, *rows, *columns)?;
            (total, Counted::Table(table))
        }
        _ => {
            let (total, counts) = cluster::facets::facet_counts(&solr)?;
            (total, Counted::Counts(counts))
        }
    };
    let total = total as usize;
    let mut printer: Box<dyn Printer + '_> = if json {
        Box::new(JsonPrinter::new(out))
    } else {
        let noun = if total == 1 { "bulletin" } else { "bulletins" };
        writeln!(out, "{total} {noun} in {}", sanitize(&store.to_string()))?;
        Box::new(TextPrinter::new(out, ctx.style(), kinds, !ctx.quiet))
    };
    match counted {
        Counted::Table(table) => printer.table(&table)?,
        Counted::Counts(counts) => printer.facets(&counts, total)?,
    }
    Ok(())
}

enum Counted {
    Counts(search::FacetCounts),
    Table(search::FacetTable),
}

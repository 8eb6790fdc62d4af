//! `tongbao search`: one search, printed in the format asked for.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, Result};
use jieba_rs::Jieba;
use tongbao::extract::Extractor;
use tongbao::index::{IndexError, IndexHandle};
use tongbao::render::{self, csv::CsvPrinter, json::JsonPrinter, list, text::TextPrinter, Printer};
use tongbao::search::{self, filters::FilterWords, FacetKind, SearchRequest, SortBy};

use super::index::{index, IndexCommand};
use super::{Context, Outcome};

/// How hits are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
    Csv,
    /// Only the number of matching bulletins (`--count`).
    Count,
    /// Only the paths of the hits (`--files-with-matches`).
    Paths,
}

/// Options of `tongbao search`.
#[derive(Debug, Clone, Default)]
pub struct SearchCommand {
    /// Words to search for; blank browses what the filters let through, newest first.
    pub query: String,
    pub format: Format,
    /// Hits to show; `None` for the default (10, or every match up to the cap with `-l`).
    pub limit: Option<usize>,
    pub offset: usize,
    pub filters: FilterWords,
    pub sort: SortBy,
    /// Counts to print after the hits (`--facets`).
    pub facets: Option<Vec<FacetKind>>,
    /// Search only what was typed: no synonyms, no partial matches.
    pub exact: bool,
    /// No partial matches filling a short page.
    pub no_partial: bool,
    /// Show what each hit's score is made of.
    pub explain: bool,
    /// Every copy of republished bulletins, not one per group.
    pub all: bool,
    /// Strings around highlights (`--marks`).
    pub marks: Option<(String, String)>,
}

/// Run a search and print it. Builds the sample index first on a first run.
pub fn search(ctx: &Context, cmd: &SearchCommand, out: &mut dyn Write) -> Result<Outcome> {
    let started = std::time::Instant::now();
    let limit = match (cmd.limit, cmd.format) {
        (Some(0), _) => search::DEFAULT_LIMIT,
        (Some(n), _) if n > search::MAX_LIMIT => {
            eprintln!("tongbao: -n {n} is more than the {} hits one search returns; showing at most {}", search::MAX_LIMIT, search::MAX_LIMIT);
            search::MAX_LIMIT
        }
        (Some(n), _) => n,
        (None, Format::Paths) => search::MAX_LIMIT,
        (None, Format::Count) => 1,
        (None, _) => search::DEFAULT_LIMIT,
    };
    // Searching segments nothing but the query: a query-only jieba saves the full
    // dictionary load. Its tokenizer, registered on the handle, must not cut documents.
    let query_jieba = ctx.query_jieba(&[&cmd.query])?;
    // A SolrCloud store (--store) runs the same plan there; no local index is opened.
    let store = match &ctx.store {
        Some(url) => {
            let solr = tongbao::cluster::Solr::connect(url)?;
            tongbao::cluster::configset::check(&solr, &ctx.meta())?;
            Store::Cluster(solr)
        }
        None => Store::Local(open_for_search(ctx, query_jieba.clone())?),
    };
    let extractor = Extractor::for_search(ctx.schema_dir.as_deref()).context("loading extraction rules")?;
    let filters = search::filters::resolve(&extractor, &cmd.filters)?;
    let req = SearchRequest {
        query: cmd.query.clone(),
        filters,
        limit,
        offset: cmd.offset,
        sort: cmd.sort,
        passages: match cmd.format {
            Format::Count | Format::Paths => 0,
            Format::Csv => 1,
            _ => search::DEFAULT_PASSAGES,
        },
        facets: cmd.facets.is_some(),
        synonyms: if cmd.exact { None } else { Some(Arc::new(search::Synonyms::load(&ctx.resources())?)) },
        // A count is of bulletins with every word; partial matches only fill a page.
        partial: !cmd.exact && !cmd.no_partial && cmd.format != Format::Count,
        explain: cmd.explain,
        all_copies: cmd.all,
        categories: if cmd.exact { None } else { Some(extractor.category_rules()) },
    };
    // Expansions are segmented too, so the query-only jieba must know their words.
    let texts = search::segmented_texts(&req);
    let jieba = if texts.len() == 1 { query_jieba } else { ctx.query_jieba(&texts.iter().map(String::as_str).collect::<Vec<_>>())? };
    let results = match &store {
        Store::Cluster(solr) => tongbao::cluster::search::search(solr, &jieba, &req)?,
        Store::Local(handle) => tongbao::guard::catch(|| search::search(handle, &jieba, &req)).map_err(|m| handle.damaged(&m))??,
    };
    if results.truncated {
        eprintln!(
            "tongbao: the query was too long; only part of it was used (at most {} items, {} characters each, {} in all)",
            search::query::MAX_ITEMS,
            search::query::MAX_ITEM_CHARS,
            search::query::MAX_TOTAL_CHARS
        );
    }
    if cmd.format == Format::Paths && cmd.limit.is_none() && results.total > cmd.offset + results.hits.len() && !ctx.quiet {
        eprintln!(
            "tongbao: listed {} of {} matching bulletins; --offset {} lists the next ones",
            results.hits.len(),
            results.total,
            cmd.offset + results.hits.len()
        );
    }
    let style = render::Style { color: ctx.color(), marks: cmd.marks.clone() };
    let kinds = cmd.facets.clone().unwrap_or_default();
    let mut printer: Box<dyn Printer + '_> = match cmd.format {
        Format::Text => Box::new(TextPrinter::new(out, style, kinds, !ctx.quiet)),
        Format::Json => Box::new(JsonPrinter::new(out)),
        Format::Csv => Box::new(CsvPrinter::new(out)),
        Format::Count => Box::new(list::CountPrinter::new(out)),
        Format::Paths => Box::new(list::PathPrinter::new(out)),
    };
    render::print_search(printer.as_mut(), &results, &cmd.query, started.elapsed())?;
    let matched = results.total > 0 || !results.hits.is_empty();
    Ok(if matched { Outcome::Found } else { Outcome::NothingFound })
}

/// Where a search runs.
enum Store {
    Local(IndexHandle),
    Cluster(tongbao::cluster::Solr),
}

/// Open the index for searching. On a first run with the default index in a folder that
/// has the samples, the index is built from them first (saying so on stderr).
pub fn open_for_search(ctx: &Context, jieba: Arc<Jieba>) -> Result<IndexHandle> {
    match ctx.open_with(jieba.clone()) {
        Ok(h) => Ok(h),
        Err(IndexError::NotFound(_)) if ctx.default_index && Path::new(tongbao::SAMPLES).is_dir() => {
            eprintln!("tongbao: no index yet; building one from {}/ into {} first", tongbao::SAMPLES, ctx.shown_index());
            let first = IndexCommand { paths: vec![PathBuf::from(tongbao::SAMPLES)], ..Default::default() };
            index(&Context { quiet: true, ..ctx.clone() }, &first)?;
            Ok(ctx.open_with(jieba)?)
        }
        Err(e) => Err(e.into()),
    }
}

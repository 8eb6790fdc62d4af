//! `tongbao cluster init|status` and `tongbao index --store`: the SolrCloud store from the
//! command line. The work is in `tongbao::cluster`; this edge reads the flags, says what
//! happened on stderr and turns the library's errors into one line.

use std::io::Write;

use anyhow::{bail, Result};
use tongbao::cluster::configset::{self, InitOptions, Initialised};
use tongbao::cluster::document::DocumentMaker;
use tongbao::cluster::ingest::{self, IngestOptions, Partition};
use tongbao::cluster::{status, Solr, SolrUrl};
use tongbao::index::build::{BuildReport, Event};
use tongbao::read::Reader;
use tongbao::sanitize::sanitize;

use super::args::Command;
use super::index::IndexCommand;
use super::{file_line, Context};

/// Commands that do not work against a SolrCloud yet refuse `--store` rather than quietly
/// use the local index: a user who set TONGBAO_STORE expects the cluster.
pub fn refuse_store_where_unsupported(ctx: &Context, command: &Command) -> Result<()> {
    let Some(store) = &ctx.store else { return Ok(()) };
    let name = match command {
        Command::Watch { .. } => "watch",
        Command::Remove { .. } => "remove",
        _ => return Ok(()),
    };
    bail!("`tongbao {name}` does not work with a SolrCloud store yet (--store {store}); unset TONGBAO_STORE or drop --store to use the local index")
}

/// `tongbao cluster init`.
pub fn init(ctx: &Context, store: &SolrUrl, opts: &InitOptions) -> Result<()> {
    let solr = Solr::connect(store)?;
    let outcome = configset::init(&solr, &ctx.meta(), opts)?;
    if !ctx.quiet {
        let what = match outcome {
            Initialised::Created => format!("created collection {} ({} shards × {} replicas)", store.collection, opts.shards, opts.replicas),
            Initialised::Recreated => format!("deleted and created collection {} ({} shards × {} replicas)", store.collection, opts.shards, opts.replicas),
            Initialised::AlreadyThere => format!("collection {} exists and was made for this version; nothing to do", store.collection),
        };
        eprintln!("tongbao: {what} at {}", store.base);
    }
    Ok(())
}

/// `tongbao cluster status`.
pub fn status(ctx: &Context, store: &SolrUrl, json: bool, out: &mut dyn Write) -> Result<()> {
    let solr = Solr::connect(store)?;
    let st = status::status(&solr, &configset::schema_name(&ctx.meta()))?;
    if json {
        serde_json::to_writer(&mut *out, &st)?;
        writeln!(out)?;
        return Ok(());
    }
    let fit = if st.schema_matches { "made for this version" } else { "made for ANOTHER version: index and search refuse it" };
    writeln!(out, "collection {} at {}", st.collection, store.base)?;
    writeln!(out, "schema     {} ({fit})", st.schema)?;
    writeln!(out, "documents  {} committed", st.documents)?;
    writeln!(out, "live nodes {}: {}", st.live_nodes.len(), st.live_nodes.join(" "))?;
    for shard in &st.shards {
        let leader = shard.replicas.iter().any(|r| r.leader && r.state == "active");
        writeln!(out, "{} {} range {}{}", shard.name, shard.state, shard.range, if leader { "" } else { " NO ACTIVE LEADER" })?;
        for r in &shard.replicas {
            let docs = r.documents.map(|d| format!("{d} documents")).unwrap_or_else(|| "documents unknown".into());
            let size = r.index_bytes.map(|b| format!(", {:.1} MB", b as f64 / 1e6)).unwrap_or_default();
            writeln!(out, "  {} {} on {}: {}{} — {docs}{size}", r.name, r.core, r.node, r.state, if r.leader { ", leader" } else { "" })?;
        }
    }
    Ok(())
}

/// `tongbao index --store`: index `cmd.paths` into the collection.
pub fn index(ctx: &Context, store: &SolrUrl, cmd: &IndexCommand, partition: Partition) -> Result<BuildReport> {
    if cmd.paths.is_empty() {
        bail!("nothing to index: name at least one file or folder");
    }
    if let Some(missing) = cmd.paths.iter().find(|p| !p.exists()) {
        if cmd.paths.iter().all(|p| !p.exists()) {
            bail!("cannot index {}: no such file or folder", super::shown(missing));
        }
    }
    let solr = Solr::connect(store)?;
    let meta = ctx.meta();
    configset::check(&solr, &meta)?;
    let extractor = ctx.extractor()?;
    let reader = Reader::new(&extractor, cmd.read.clone());
    let maker = DocumentMaker::new(ctx.jieba()?);
    let opts = IngestOptions { partition, full: cmd.full, ..Default::default() };
    let on_event = |e: Event| match e {
        Event::Skipped(path, reason) => eprintln!("{}", file_line("skipped", path, reason)),
        Event::Note(path, note) => eprintln!("{}", file_line("note", path, note)),
        _ => {}
    };
    let started = std::time::Instant::now();
    let report = ingest::update(&solr, &cmd.paths, &reader, &maker, &opts, &on_event)?;
    if !ctx.quiet {
        let part = if partition.count > 1 { format!(" (part {partition})") } else { String::new() };
        eprintln!("tongbao: indexed into {}{part} in {:.1}s: {}", sanitize(&store.to_string()), started.elapsed().as_secs_f64(), report.summary());
    }
    Ok(report)
}

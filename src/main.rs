//! The `tongbao` command: parses flags (`cli::args`) and hands them to a command (`cli`),
//! or to the HTTP front end (`serve`); turns how it ended into the exit status.

mod cli;
mod serve;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use cli::args::{Cli, ClusterCommand, Color, Command, OutputFormat, Sort};
use cli::{ColorChoice, Context, Outcome};
use tongbao::search::SortBy;

/// `-澳门` is an exclusion in a query, but a flag to clap. No flag starts with a non-ASCII
/// letter, so such arguments are passed on with the full-width minus (`－澳门`), which
/// the query language reads the same way.
fn exclusions_as_values(args: impl Iterator<Item = std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    args.map(|a| match a.to_str() {
        Some(s) if s.starts_with('-') && s[1..].starts_with(|c: char| !c.is_ascii()) => format!("－{}", &s[1..]).into(),
        _ => a,
    })
    .collect()
}

/// Exit statuses (documented in `--help` and the README).
const EXIT_NOTHING_FOUND: u8 = 1;
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    tongbao::guard::install_hook();
    let cli = Cli::parse_from(exclusions_as_values(std::env::args_os()));
    if let Command::Search { format: OutputFormat::Csv, facets: Some(_), .. } = &cli.command {
        // As --count and --files-with-matches refuse --facets (clap conflicts): a format
        // with no place for counts says so instead of dropping them.
        Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "the argument '--format csv' cannot be used with '--facets': CSV has one row per hit and no place for counts; use --format json or text, or `tongbao facets`",
            )
            .exit();
    }
    let ctx = Context {
        default_index: cli.index.is_none(),
        index_dir: cli.index.clone().unwrap_or_else(|| PathBuf::from(cli::DEFAULT_INDEX)),
        store: cli.store.clone(),
        schema_dir: cli.schema_dir.clone(),
        quiet: cli.quiet,
        color: match cli.color {
            Color::Auto => ColorChoice::Auto,
            Color::Always => ColorChoice::Always,
            Color::Never => ColorChoice::Never,
        },
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = run(&ctx, cli.command, &mut out);
    let flushed = out.flush();
    match result {
        Ok(Outcome::Found) => ExitCode::SUCCESS,
        Ok(Outcome::NothingFound) => ExitCode::from(EXIT_NOTHING_FOUND),
        // A closed pipe (`| head -1`) means the reader has what it wants: end quietly.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = flushed;
            eprintln!("tongbao: {}", tongbao::sanitize::sanitize(&format!("{e:#}")));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Whether an error comes from writing to a pipe whose reader has gone.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

fn run(ctx: &Context, command: Command, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let done = |r: anyhow::Result<()>| r.map(|()| Outcome::Found);
    cli::cluster::refuse_store_where_unsupported(ctx, &command)?;
    match command {
        Command::Index { paths, full, partition, limits } => {
            let mut cmd = cli::index::IndexCommand { paths, full, ..Default::default() };
            cmd.read.max_bytes = limits.max_file_mb.saturating_mul(1 << 20);
            cmd.read.time_budget = std::time::Duration::from_secs_f64(limits.max_file_seconds);
            cmd.build.memory_budget = (limits.writer_mb as usize) << 20;
            match &ctx.store {
                Some(store) => done(cli::cluster::index(ctx, store, &cmd, partition.unwrap_or_default()).map(|_| ())),
                None if partition.is_some() => anyhow::bail!("--partition splits the work of several indexers into one SolrCloud collection: it needs --store"),
                None => done(cli::index::index(ctx, &cmd).map(|_| ())),
            }
        }
        Command::Cluster(action) => {
            let Some(store) = &ctx.store else {
                anyhow::bail!("`tongbao cluster` needs --store solr:http://HOST:8983/solr/COLLECTION (or TONGBAO_STORE)");
            };
            match action {
                ClusterCommand::Init { shards, replicas, recreate } => {
                    done(cli::cluster::init(ctx, store, &tongbao::cluster::configset::InitOptions { shards, replicas, recreate }))
                }
                ClusterCommand::Status { json } => done(cli::cluster::status(ctx, store, json, out)),
            }
        }
        Command::Watch { paths, limits } => {
            let mut cmd = cli::index::WatchCommand { paths, ..Default::default() };
            cmd.read.max_bytes = limits.max_file_mb.saturating_mul(1 << 20);
            cmd.read.time_budget = std::time::Duration::from_secs_f64(limits.max_file_seconds);
            cmd.watch.build.memory_budget = (limits.writer_mb as usize) << 20;
            done(cli::index::watch(ctx, &cmd))
        }
        Command::Remove { paths, gone } => done(cli::index::remove(ctx, &cli::index::RemoveCommand { paths, gone }).map(|_| ())),
        Command::Search {
            query,
            format,
            json,
            count,
            files_with_matches,
            limit,
            offset,
            province,
            city,
            category,
            from,
            to,
            include_undated,
            sort,
            reverse,
            facets,
            exact,
            no_partial,
            explain,
            all,
            marks,
        } => {
            let query = query.join(" ");
            let browsing = query.trim().is_empty();
            let sort = match (sort, reverse) {
                (Sort::Relevance, false) => SortBy::Relevance,
                (Sort::Date, false) => SortBy::Date,
                (_, true) if sort == Sort::Date || browsing => SortBy::DateOldestFirst,
                (_, true) => anyhow::bail!("--reverse lists oldest first: add --sort date (relevance has no reverse)"),
            };
            let format = if count {
                cli::search::Format::Count
            } else if files_with_matches {
                cli::search::Format::Paths
            } else if json {
                cli::search::Format::Json
            } else {
                match format {
                    OutputFormat::Text => cli::search::Format::Text,
                    OutputFormat::Json => cli::search::Format::Json,
                    OutputFormat::Csv => cli::search::Format::Csv,
                }
            };
            let cmd = cli::search::SearchCommand {
                query,
                format,
                limit,
                offset,
                filters: tongbao::search::filters::FilterWords { provinces: province, cities: city, categories: category, from, to, include_undated },
                sort,
                facets: facets.map(|k| k.0),
                exact,
                no_partial,
                explain,
                all,
                marks,
            };
            cli::search::search(ctx, &cmd, out)
        }
        Command::Serve { listen, watch } => done(serve::run(ctx, &serve::ServeOptions { listen, watch })),
        Command::Extract { files, json } => {
            let failures = cli::extract::extract(ctx, &files, json, out)?;
            // Every file named was read, or the failures were said above.
            if failures > 0 && failures == files.len() {
                anyhow::bail!("none of the {} files named could be read", files.len());
            }
            Ok(Outcome::Found)
        }
        Command::Facets { json, by } => done(cli::facets::facets(ctx, &by.map(|k| k.0).unwrap_or_default(), json, out)),
        Command::Check { repair, json } => Ok(if cli::check::check(ctx, repair, json, out)? { Outcome::Found } else { Outcome::NothingFound }),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "tongbao", out);
            Ok(Outcome::Found)
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(out)?;
            Ok(Outcome::Found)
        }
        Command::Bench { docs, dir, keep, seed, samples, queries, process_runs, memory_mb, only } => {
            let defaults = tongbao::bench::BenchOptions::default();
            let phases = only.as_deref().map(tongbao::bench::Phases::parse).transpose().map_err(anyhow::Error::msg)?.unwrap_or_default();
            let opts = tongbao::bench::BenchOptions { phases, docs, dir: dir.unwrap_or(defaults.dir), keep, seed, samples, queries, process_runs, memory_mb };
            done(tongbao::bench::run(&opts, out))
        }
        Command::BenchCluster { docs, dir, keep, seed } => {
            let Some(store) = ctx.store.clone() else { anyhow::bail!("bench-cluster needs --store solr:http://HOST:PORT/solr/COLLECTION") };
            let dir = dir.unwrap_or_else(|| std::env::temp_dir().join("tb-bench-cluster"));
            done(tongbao::bench::cluster::run(&tongbao::bench::cluster::ClusterBenchOptions { store, docs, dir, keep, seed, samples: None }, out))
        }
        Command::BenchPeer { peer, corpus, out: folder } => {
            let peer = tongbao::bench::peers::Peer::parse(&peer)?;
            tongbao::bench::peers::build(peer, &corpus, &folder)?;
            Ok(Outcome::Found)
        }
    }
}

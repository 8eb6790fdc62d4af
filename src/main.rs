//! The `tongbao` command: parses flags and hands them to the library (`tongbao::app`), or
//! to the HTTP front end (`serve`).

mod serve;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use tongbao::app::{self, ColorChoice, Context, IndexCommand, SearchCommand};
use tongbao::search::SortBy;

/// Search Chinese police bulletins (通报) from the terminal.
///
/// Index folders of bulletins (HTML, Markdown with front matter, plain text; UTF-8, GBK or
/// Big5; simplified or traditional), then search them with filters by province, city,
/// crime category and date. The first `search` in a folder with `corpus-samples/` builds
/// the default index from it.
#[derive(Parser, Debug)]
#[command(name = "tongbao", version, about, long_about = None)]
struct Cli {
    /// Index folder.
    #[arg(long, global = true, env = "TONGBAO_INDEX", value_name = "DIR")]
    index: Option<PathBuf>,

    /// Folder whose files override the embedded index-schema data (dictionary.txt,
    /// categories.toml, regions.csv, occasions.csv, mastheads.csv, synonyms.toml).
    #[arg(long, global = true, env = "TONGBAO_SCHEMA", value_name = "DIR")]
    schema_dir: Option<PathBuf>,

    /// No progress bar or summary lines.
    #[arg(long, short, global = true)]
    quiet: bool,

    /// Colour and bold in output (NO_COLOR is respected with auto).
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,

    #[command(subcommand)]
    command: Command,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum Sort {
    Relevance,
    Date,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build or update the index from files and folders (new, changed and removed files).
    Index {
        /// Files and folders of bulletins.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Rebuild the index from scratch.
        #[arg(long)]
        full: bool,
        /// Skip files larger than this many megabytes.
        #[arg(long, default_value_t = 20, value_name = "MB")]
        max_file_mb: u64,
        /// Skip a file still being read after this many seconds.
        #[arg(long, default_value_t = 5.0, value_name = "SECONDS", value_parser = parse_seconds)]
        max_file_seconds: f64,
        /// Memory for the index writer's buffers, shared by its threads: more means fewer,
        /// larger segments to merge; the process needs about this plus 300 MB.
        #[arg(long, default_value_t = 128, value_name = "MB", value_parser = clap::value_parser!(u64).range(32..=4000))]
        writer_mb: u64,
    },
    /// Index folders, then keep the index current as bulletins are added, changed or
    /// removed (until Ctrl-C). Searches from other terminals see changes within seconds.
    Watch {
        /// Folders (or files) of bulletins.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Skip files larger than this many megabytes.
        #[arg(long, default_value_t = 20, value_name = "MB")]
        max_file_mb: u64,
        /// Skip a file still being read after this many seconds.
        #[arg(long, default_value_t = 5.0, value_name = "SECONDS", value_parser = parse_seconds)]
        max_file_seconds: f64,
        /// Memory for the index writer's buffers, shared by its threads: more means fewer,
        /// larger segments to merge; the process needs about this plus 300 MB.
        #[arg(long, default_value_t = 128, value_name = "MB", value_parser = clap::value_parser!(u64).range(32..=4000))]
        writer_mb: u64,
    },
    /// Search the index; every word is required, "quoted" phrases exact, -word excluded,
    /// OR between alternatives.
    Search {
        /// The query (several arguments are joined with spaces). `-word` excludes a word:
        /// `tongbao search 诈骗 -澳门` (for Latin words, put the query after `--`).
        #[arg(required = true)]
        query: Vec<String>,
        /// One JSON object per hit (NDJSON).
        #[arg(long)]
        json: bool,
        /// Hits to show.
        #[arg(long, short = 'n', default_value_t = 10)]
        limit: usize,
        /// Hits to skip (for paging).
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Only bulletins from this province (full name, short name or abbreviation:
        /// 广西壮族自治区, 广西, 桂; 全国 for national ones). Repeat to allow several.
        #[arg(long, value_name = "NAME")]
        province: Vec<String>,
        /// Only bulletins from this prefecture-level city (清远, 清远市). Repeatable.
        #[arg(long, value_name = "NAME")]
        city: Vec<String>,
        /// Only this crime category: a path (/诈骗/养老诈骗, /诈骗) or a name (毒品,
        /// 养老诈骗). Repeatable.
        #[arg(long, value_name = "CATEGORY")]
        category: Vec<String>,
        /// Only bulletins dated on or after (YYYY, YYYY-MM or YYYY-MM-DD). Undated
        /// bulletins are left out of date filters.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Only bulletins dated on or before (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// Order of hits.
        #[arg(long, value_enum, default_value_t = Sort::Relevance)]
        sort: Sort,
        /// Also print counts per province, city, category and year for all matches.
        #[arg(long)]
        facets: bool,
        /// Search only what was typed: no synonym expansion (喝酒开车 → 酒驾, 醉驾), no matching by
        /// the crime category a word names, and no
        /// partial matches filling a short page.
        #[arg(long)]
        exact: bool,
        /// Show for each hit which terms, fields and boosts made up its score.
        #[arg(long)]
        explain: bool,
        /// Show every copy of a bulletin republished at several places (by default one hit
        /// stands for its copies, listed under it).
        #[arg(long)]
        all: bool,
    },
    /// Serve a search page and a JSON API over HTTP (see README: API). Listens on the
    /// loopback address unless told otherwise; prints the URL to open.
    Serve {
        /// Address and port to listen on. An address other than loopback (0.0.0.0, a LAN
        /// address) exposes the index to everyone who can reach this machine. Port 0 picks
        /// a free port.
        #[arg(long, default_value = "127.0.0.1:7700", value_name = "ADDR")]
        listen: String,
        /// Also keep the index current with these folders while serving, as `watch` does.
        #[arg(long, num_args = 1.., value_name = "PATH")]
        watch: Vec<PathBuf>,
    },
    /// Show what tongbao reads from files (title, date, region, categories) without indexing.
    Extract {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// One JSON object per file (NDJSON).
        #[arg(long)]
        json: bool,
    },
    /// Counts per province, city, category and year for the whole index.
    Facets {
        #[arg(long)]
        json: bool,
    },
    /// Verify the index (checksums, segments, bookkeeping against the files on disk) and
    /// say how to fix what is wrong. Exits 1 when a problem is found.
    Check {
        /// Repair what can be repaired in place (restore a lost meta.json from the copy
        /// saved at the last commit).
        #[arg(long)]
        repair: bool,
        #[arg(long)]
        json: bool,
    },
    /// Benchmark on a generated corpus: indexing speed, memory and size, query latency
    /// (in-process and whole process), and adding one bulletin; with a bare tantivy+jieba
    /// baseline in the same run.
    Bench {
        /// Bulletins to generate.
        #[arg(long, default_value_t = 100_000)]
        docs: usize,
        /// Work folder (corpus, indexes); removed afterwards unless --keep.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Keep the work folder, and reuse its corpus when it matches.
        #[arg(long)]
        keep: bool,
        /// Seed of the corpus generator.
        #[arg(long, default_value_t = 20250101)]
        seed: u64,
        /// Folder of bulletins to take real sentences from (default: corpus-samples/).
        #[arg(long, value_name = "DIR")]
        samples: Option<PathBuf>,
        /// Timed queries per kind.
        #[arg(long, default_value_t = 300)]
        queries: usize,
        /// Whole `tongbao search` processes to time.
        #[arg(long, default_value_t = 40)]
        process_runs: usize,
        /// Megabytes of files read into memory for the in-memory comparison.
        #[arg(long, default_value_t = 60, value_name = "MB")]
        memory_mb: u64,
        /// Only these parts (comma-separated: index, memory, queries, process, add);
        /// without `index`, the index in a kept --dir is reused.
        #[arg(long, value_name = "LIST")]
        only: Option<String>,
    },
}

/// A time limit in seconds: positive, at most an hour.
fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 3600.0 => Ok(v),
        _ => Err(format!("{s:?} is not a number of seconds between 0 and 3600")),
    }
}

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

fn main() -> ExitCode {
    tongbao::guard::install_hook();
    let cli = Cli::parse_from(exclusions_as_values(std::env::args_os()));
    let ctx = Context {
        default_index: cli.index.is_none(),
        index_dir: cli.index.clone().unwrap_or_else(|| PathBuf::from(app::DEFAULT_INDEX)),
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
    let result = match cli.command {
        Command::Index { paths, full, max_file_mb, max_file_seconds, writer_mb } => {
            let mut cmd = IndexCommand { paths, full, ..Default::default() };
            cmd.build.read.max_bytes = max_file_mb.saturating_mul(1 << 20);
            cmd.build.read.time_budget = std::time::Duration::from_secs_f64(max_file_seconds);
            cmd.build.memory_budget = (writer_mb as usize) << 20;
            app::index(&ctx, &cmd).map(|_| ())
        }
        Command::Watch { paths, max_file_mb, max_file_seconds, writer_mb } => {
            let mut cmd = app::WatchCommand { paths, ..Default::default() };
            cmd.watch.build.read.max_bytes = max_file_mb.saturating_mul(1 << 20);
            cmd.watch.build.read.time_budget = std::time::Duration::from_secs_f64(max_file_seconds);
            cmd.watch.build.memory_budget = (writer_mb as usize) << 20;
            app::watch(&ctx, &cmd)
        }
        Command::Search { query, json, limit, offset, province, city, category, from, to, sort, facets, exact, explain, all } => {
            let cmd = SearchCommand {
                query: query.join(" "),
                json,
                limit,
                offset,
                provinces: province,
                cities: city,
                categories: category,
                from,
                to,
                sort: match sort {
                    Sort::Relevance => SortBy::Relevance,
                    Sort::Date => SortBy::Date,
                },
                facets,
                exact,
                explain,
                all,
            };
            app::search(&ctx, &cmd, &mut out)
        }
        Command::Serve { listen, watch } => serve::run(&ctx, &serve::ServeOptions { listen, watch }),
        Command::Extract { files, json } => app::extract(&ctx, &files, json, &mut out).map(|_| ()),
        Command::Facets { json } => app::facets(&ctx, json, &mut out),
        Command::Check { repair, json } => match app::check(&ctx, repair, json, &mut out) {
            Ok(true) => Ok(()),
            Ok(false) => {
                let _ = out.flush();
                return ExitCode::FAILURE;
            }
            Err(e) => Err(e),
        },
        Command::Bench { docs, dir, keep, seed, samples, queries, process_runs, memory_mb, only } => {
            let defaults = tongbao::bench::BenchOptions::default();
            let phases = match only.as_deref().map(tongbao::bench::Phases::parse).transpose() {
                Ok(p) => p.unwrap_or_default(),
                Err(e) => {
                    eprintln!("tongbao: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let opts = tongbao::bench::BenchOptions {
                phases,
                docs,
                dir: dir.unwrap_or(defaults.dir),
                keep,
                seed,
                samples,
                queries,
                process_runs,
                memory_mb,
            };
            app::bench(&opts, &mut out)
        }
    };
    let flushed = out.flush();
    match result {
        Ok(()) => {
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = flushed;
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tongbao: {}", tongbao::render::sanitize(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}

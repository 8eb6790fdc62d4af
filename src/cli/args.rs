//! The command line: flags and their help, as clap parses them. Kept apart from `main` so
//! that shell completions and the man page are generated from the same definitions.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use tongbao::cluster::ingest::Partition;
use tongbao::cluster::SolrUrl;
use tongbao::search::{self, FacetKind};

const EXIT_STATUS: &str = "\
Exit status: 0 when something matched (or the command did its work), 1 when nothing
matched (or `check` found a problem), 2 on an error.";

const EXAMPLES: &str = "\
Examples:
  tongbao index ~/bulletins                 build or update the index
  tongbao search 养老诈骗                    search (the first search in the source folder indexes corpus-samples/)
  tongbao search --province 广西 --category 养老诈骗   browse newest first, no words needed
  tongbao search 电诈 --from 2023 --format csv > hits.csv
  tongbao facets --by province,year         a province × year table";

/// Search Chinese police bulletins (通报) from the terminal.
///
/// Index folders of bulletins (HTML, Markdown with front matter, plain text; UTF-8, GBK or
/// Big5; simplified or traditional), then search them with filters by province, city,
/// crime category and date. The first `search` in a folder with `corpus-samples/` builds
/// the default index from it.
#[derive(Parser, Debug)]
#[command(name = "tongbao", version, about, long_about = None, after_help = format!("{EXAMPLES}\n\n{EXIT_STATUS}"))]
pub struct Cli {
    /// Index folder [default: .tongbao in the current folder].
    #[arg(long, global = true, env = "TONGBAO_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// Where the index lives instead of a local folder: a SolrCloud collection,
    /// solr:http://HOST:8983/solr/COLLECTION (create it with `tongbao cluster init`).
    #[arg(long, global = true, env = "TONGBAO_STORE", value_name = "STORE", value_parser = parse_store)]
    pub store: Option<SolrUrl>,

    /// Folder whose files override the embedded index-schema data (dictionary.txt,
    /// categories.toml, regions.csv, occasions.csv, mastheads.csv, synonyms.toml).
    #[arg(long, global = true, env = "TONGBAO_SCHEMA", value_name = "DIR")]
    pub schema_dir: Option<PathBuf>,

    /// No progress bar or summary lines.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Colour and bold in output (NO_COLOR is respected with auto).
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Sort {
    Relevance,
    Date,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// For a person: titles, places, paths, URLs and passages.
    Text,
    /// One JSON record per line: `"type":"hit"` per hit, then a `"type":"summary"`.
    Json,
    /// A header, then one row per hit: every metadata field and the first passage.
    Csv,
}

/// A `--facets`/`--by` list (a newtype, so clap takes it as one value, not many).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kinds(pub Vec<FacetKind>);

fn facet_list(s: &str) -> Result<Kinds, String> {
    FacetKind::parse_list(s).map(Kinds)
}

/// Limits on reading files, shared by `index` and `watch`.
#[derive(clap::Args, Debug, Clone)]
pub struct ReadLimits {
    /// Skip files larger than this many megabytes.
    #[arg(long, default_value_t = tongbao::source::DEFAULT_MAX_BYTES >> 20, value_name = "MB")]
    pub max_file_mb: u64,
    /// Skip a file still being read after this many seconds.
    #[arg(long, default_value_t = tongbao::source::DEFAULT_TIME_BUDGET.as_secs_f64(), value_name = "SECONDS", value_parser = parse_seconds)]
    pub max_file_seconds: f64,
    /// Memory for the index writer's buffers, shared by its threads: more means fewer,
    /// larger segments to merge; the process needs about this plus 300 MB.
    #[arg(long, default_value_t = (tongbao::index::build::DEFAULT_MEMORY_BUDGET >> 20) as u64, value_name = "MB", value_parser = clap::value_parser!(u64).range(32..=4000))]
    pub writer_mb: u64,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build or update the index from files and folders (new, changed and removed files).
    /// A named file that no longer exists leaves the index.
    Index {
        /// Files and folders of bulletins.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Rebuild the index from scratch (with --store: read and send every file again).
        #[arg(long)]
        full: bool,
        /// With --store: index only part I of N of the files (by a hash of each
        /// bulletin's id), so that N processes fill one collection at once.
        #[arg(long, value_name = "I/N", value_parser = parse_partition)]
        partition: Option<Partition>,
        #[command(flatten)]
        limits: ReadLimits,
    },
    /// Create and inspect the SolrCloud collection that --store names (see README:
    /// Beyond one machine).
    #[command(subcommand)]
    Cluster(ClusterCommand),
    /// Index folders, then keep the index current as bulletins are added, changed or
    /// removed (until Ctrl-C). Searches from other terminals see changes within seconds.
    Watch {
        /// Folders (or files) of bulletins.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        limits: ReadLimits,
    },
    /// Remove bulletins from the index by path, whether or not their files still exist.
    Remove {
        /// Indexed files, or folders whose every indexed file goes.
        paths: Vec<PathBuf>,
        /// Also remove every indexed file that no longer exists on disk.
        #[arg(long)]
        gone: bool,
    },
    /// Search the index; every word is required, "quoted" phrases exact, -word excluded,
    /// OR between alternatives. Without words, list what the filters let through, newest
    /// first.
    #[command(after_help = format!("{}\n\n{EXIT_STATUS}", SEARCH_EXAMPLES))]
    Search {
        /// The query (several arguments are joined with spaces). `-word` excludes a word:
        /// `tongbao search 诈骗 -澳门` (for Latin words, put the query after `--`).
        query: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text, conflicts_with_all = ["json", "count", "files_with_matches"])]
        format: OutputFormat,
        /// Same as --format json.
        #[arg(long)]
        json: bool,
        /// Print only how many bulletins match.
        #[arg(long, short = 'c', conflicts_with_all = ["files_with_matches", "facets", "json"])]
        count: bool,
        #[arg(long, short = 'l', conflicts_with_all = ["facets", "json"],
              help = format!("Print only the path of each hit, one a line (every match up to {} unless -n)", search::MAX_LIMIT))]
        files_with_matches: bool,
        #[arg(long, short = 'n', help = format!("Hits to show [default: {}; at most {}]", search::DEFAULT_LIMIT, search::MAX_LIMIT))]
        limit: Option<usize>,
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
        /// Only this crime category: a path (/诈骗/养老诈骗, /诈骗), a name (毒品,
        /// 养老诈骗) or a word that names one (偷渡, 扫黑除恶). Repeatable.
        #[arg(long, value_name = "CATEGORY")]
        category: Vec<String>,
        /// Only bulletins dated on or after (YYYY, YYYY-MM or YYYY-MM-DD). Undated
        /// bulletins are left out of date filters unless --include-undated.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Only bulletins dated on or before (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// Let undated bulletins through --from/--to.
        #[arg(long)]
        include_undated: bool,
        /// Order of hits (without words: date).
        #[arg(long, value_enum, default_value_t = Sort::Relevance)]
        sort: Sort,
        /// Oldest first (with --sort date, or when listing without words).
        #[arg(long)]
        reverse: bool,
        /// Also print counts over all matches: per province, city, category and year, or
        /// the kinds listed (--facets month, --facets province,year).
        #[arg(long, value_name = "KINDS", num_args = 0..=1, default_missing_value = "province,city,category,year", value_parser = facet_list)]
        facets: Option<Kinds>,
        /// Search only what was typed: no synonym expansion (喝酒开车 → 酒驾, 醉驾), no
        /// matching by the crime category a word names, and no partial matches filling a
        /// short page.
        #[arg(long)]
        exact: bool,
        /// No partial matches: when fewer bulletins have the whole query than the page
        /// holds, do not fill it with bulletins covering only part of it.
        #[arg(long)]
        no_partial: bool,
        /// Show for each hit which terms, fields and boosts made up its score.
        #[arg(long)]
        explain: bool,
        /// Show every copy of a bulletin republished at several places (by default one hit
        /// stands for its copies, listed under it).
        #[arg(long)]
        all: bool,
        /// Put these two strings around each match, split at the first comma (--marks
        /// '«,»'); by default matches are coloured on a terminal and unmarked in a pipe.
        #[arg(long, value_name = "OPEN,CLOSE", value_parser = tongbao::render::parse_marks)]
        marks: Option<(String, String)>,
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
        /// Bulletin files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// One JSON object per file (NDJSON).
        #[arg(long)]
        json: bool,
    },
    /// Counts per province, city, category and year for the whole index (undated
    /// bulletins beside the years), or a two-way table.
    Facets {
        /// One JSON record: `"type":"facets"` (or `"type":"table"` with two kinds).
        #[arg(long)]
        json: bool,
        /// Only these kinds (province, city, category, year, month); two kinds print a
        /// table of the first against the second (--by province,year).
        #[arg(long, value_name = "KINDS", value_parser = facet_list)]
        by: Option<Kinds>,
    },
    /// Verify the index (checksums, segments, bookkeeping against the files on disk) and
    /// say how to fix what is wrong. Exits 1 when a problem is found.
    Check {
        /// Repair what can be repaired in place (restore a lost meta.json from the copy
        /// saved at the last commit).
        #[arg(long)]
        repair: bool,
        /// One JSON object: the problems found and their fixes.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = "Example: tongbao completions bash > ~/.local/share/bash-completion/completions/tongbao")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), for `man`.
    #[command(after_help = "Example: tongbao man > ~/.local/share/man/man1/tongbao.1")]
    Man,
    /// Benchmark on a generated corpus: indexing speed, memory and size, query latency
    /// (in-process and whole process), and adding one bulletin; with bare tantivy+jieba and
    /// SQLite FTS5 trigram built from the same files in the same run.
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
        /// Only these parts (comma-separated: index, peers, memory, queries, process, add);
        /// without `index`, the index in a kept --dir is reused.
        #[arg(long, value_name = "LIST")]
        only: Option<String>,
    },
    /// Benchmark indexing into the SolrCloud collection that --store names against the
    /// local index, on one generated corpus (bench/cluster.sh runs it on the test cluster).
    #[command(hide = true)]
    BenchCluster {
        /// Bulletins to generate.
        #[arg(long, default_value_t = 10_000)]
        docs: usize,
        /// Work folder (corpus, local index); removed afterwards unless --keep.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Keep the work folder, and reuse its corpus when it matches.
        #[arg(long)]
        keep: bool,
        /// Seed of the corpus generator.
        #[arg(long, default_value_t = 20250101)]
        seed: u64,
    },
    /// For `tongbao bench`: build a peer's index (bare, fts5) from the bulletin files
    /// under CORPUS into OUT, in a process of its own so that it is measured like `index`.
    #[command(hide = true)]
    BenchPeer { peer: String, corpus: PathBuf, out: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum ClusterCommand {
    /// Upload tongbao's configset and create the collection (does nothing when a
    /// collection made for this version exists).
    Init {
        /// Shards to split the bulletins over.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=1024))]
        shards: u32,
        /// Copies of each shard, on different nodes.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=16))]
        replicas: u32,
        /// Delete the collection first if it exists (its bulletins are lost; index again).
        #[arg(long)]
        recreate: bool,
    },
    /// Shards, replicas (state, leader, documents), live nodes and document count.
    Status {
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
}

fn parse_store(s: &str) -> Result<SolrUrl, String> {
    s.parse::<SolrUrl>().map_err(|e| e.to_string())
}

fn parse_partition(s: &str) -> Result<Partition, String> {
    s.parse::<Partition>()
}

const SEARCH_EXAMPLES: &str = "\
Examples:
  tongbao search 养老诈骗 --province 广西
  tongbao search \"跨境赌博\" -澳门 --from 2023-06 --to 2024
  tongbao search --category 扫黑除恶 --sort date --reverse      oldest first, no words
  tongbao search 电诈 --json | jq -r 'select(.type==\"hit\") | .path'
  tongbao search 电诈 --format csv > hits.csv
  tongbao search 酒驾 --count
  tongbao search 酒驾 -l | xargs ls -l";

/// A time limit in seconds: positive, at most an hour.
fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 3600.0 => Ok(v),
        _ => Err(format!("{s:?} is not a number of seconds between 0 and 3600")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn facets_take_an_optional_list() {
        let parse = |args: &[&str]| Cli::try_parse_from(args).map(|c| c.command);
        match parse(&["tongbao", "search", "诈骗", "--facets"]) {
            Ok(Command::Search { facets, query, .. }) => {
                assert_eq!(facets, Some(Kinds(FacetKind::DEFAULT.to_vec())));
                assert_eq!(query, ["诈骗"]);
            }
            other => panic!("{other:?}"),
        }
        match parse(&["tongbao", "search", "诈骗", "--facets", "month"]) {
            Ok(Command::Search { facets, .. }) => assert_eq!(facets, Some(Kinds(vec![FacetKind::Month]))),
            other => panic!("{other:?}"),
        }
        assert!(parse(&["tongbao", "search", "诈骗", "--facets", "weekday"]).is_err());
        assert!(parse(&["tongbao", "search", "诈骗", "--count", "-l"]).is_err());
    }
}

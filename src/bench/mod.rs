//! `tongbao bench`: a realistic end-to-end benchmark on a generated corpus.
//!
//! It generates N bulletins on disk ([`corpus`]), indexes them with a separate `tongbao
//! index` process (wall time, CPU time, MB/s, docs/s, peak RSS), measures the index against
//! the files, runs a few hundred queries of each kind in-process through [`crate::search`]
//! (passages and highlights included), times whole `tongbao search` processes (cold
//! start included) and adding one bulletin to the index. Two peers ([`peers`]) are built
//! from the same files in the same run, each by a process of its own, and take the same
//! queries: bare tantivy + jieba (words only) and SQLite FTS5 with the trigram tokenizer
//! (substring recall, like tongbao's). On a machine whose speed varies with load, the
//! figures to quote are the same-run ratios of the summary table that ends the report.

pub mod bare;
pub mod cluster;
pub mod corpus;
pub mod peers;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};

use crate::analysis::dictionary;
use crate::extract::Extractor;
use crate::index::build::{self, BuildOptions};
use crate::index::{FileStamp, IndexHandle, IndexMeta};
use crate::resources::Resources;
use crate::search::{self, Filters, SearchRequest};
use corpus::{Generator, Rng};
use peers::{Peer, PeerIndex, PeerQuery};

/// Options of `tongbao bench`.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    pub docs: usize,
    /// Work folder: corpus, indexes and a copy of the binary go in sub-folders.
    pub dir: PathBuf,
    /// Keep the work folder (and reuse a matching corpus next time).
    pub keep: bool,
    pub seed: u64,
    /// Folder of real bulletins to take sentences from.
    pub samples: Option<PathBuf>,
    /// Timed queries per kind.
    pub queries: usize,
    /// Whole `tongbao search` processes to time.
    pub process_runs: usize,
    /// Megabytes of files read into memory for the in-memory comparison.
    pub memory_mb: u64,
    pub phases: Phases,
}

/// Which parts to run (the corpus is always generated or reused). Skipping the index
/// build reuses the index a kept work folder holds, for quick before/after query runs.
#[derive(Debug, Clone, Copy)]
pub struct Phases {
    pub index: bool,
    pub memory: bool,
    pub queries: bool,
    pub process: bool,
    pub add: bool,
    /// Build the peers from the files (their queries run with `queries`).
    pub peers: bool,
}

impl Default for Phases {
    fn default() -> Self {
        Phases { index: true, memory: true, queries: true, process: true, add: true, peers: true }
    }
}

impl Phases {
    /// Parse a comma-separated list of `index`, `peers`, `memory`, `queries`, `process`, `add`.
    pub fn parse(list: &str) -> Result<Phases> {
        let mut p = Phases { index: false, memory: false, queries: false, process: false, add: false, peers: false };
        for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match name {
                "index" => p.index = true,
                "memory" => p.memory = true,
                "queries" => p.queries = true,
                "process" => p.process = true,
                "add" => p.add = true,
                "peers" => p.peers = true,
                other => bail!("unknown bench phase {other:?}: use index, peers, memory, queries, process, add"),
            }
        }
        Ok(p)
    }
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            docs: 100_000,
            dir: std::env::temp_dir().join("tb-bench"),
            keep: false,
            seed: 20250101,
            samples: None,
            queries: 300,
            process_runs: 40,
            memory_mb: 60,
            phases: Phases::default(),
        }
    }
}

/// p50 and p99 (and the rest) of a set of durations.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Summary {
    pub fn of(mut v: Vec<Duration>) -> Summary {
        if v.is_empty() {
            return Summary::default();
        }
        v.sort();
        let at = |p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
        Summary { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: v[v.len() - 1] }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" ")).unwrap_or_else(|_| "?".into())
}

/// Peak resident set of this process so far, in bytes (Linux).
pub(crate) fn peak_rss_self() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// A finished child process: wall time, peak memory and whether it succeeded.
struct ChildRun {
    wall: Duration,
    /// The child's VmHWM (peak resident set, mapped index files included), last sampled.
    peak_rss: u64,
    /// Largest anonymous resident memory sampled (heap: what the process itself allocates).
    peak_anon: u64,
    /// User + system CPU time of the child: on a shared machine, the steadier measure of
    /// the work done (others' processes stretch wall time, not CPU time).
    cpu: Duration,
    ok: bool,
    /// The exit code, if the child exited (not ended by a signal).
    code: Option<i32>,
    /// The signal that ended the child, if one did (it then writes nothing to stderr).
    signal: Option<i32>,
}

/// User + system CPU time of the children this process has waited for.
fn children_cpu() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; RUSAGE_CHILDREN is always valid.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec.max(0) as u64, (t.tv_usec.clamp(0, 999_999) * 1000) as u32);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// `VmHWM` and `RssAnon` of a process, in bytes.
fn memory_of(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        Some(line.split_whitespace().nth(1)?.parse::<u64>().ok()? * 1024)
    };
    Some((field("VmHWM:")?, field("RssAnon:")?))
}

/// Run a command to completion, sampling its memory every 20 ms. (`getrusage` cannot be
/// used: a spawned child's `ru_maxrss` starts from the parent's resident size.)
fn run_child(exe: &Path, args: &[&std::ffi::OsStr], stderr_to: &Path) -> Result<ChildRun> {
    let err = std::fs::File::create(stderr_to).with_context(|| format!("creating {}", stderr_to.display()))?;
    let cpu_before = children_cpu();
    let started = Instant::now();
    let mut child =
        Command::new(exe).args(args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(err).spawn().with_context(|| format!("running {}", exe.display()))?;
    let (mut peak_rss, mut peak_anon) = (0, 0);
    let status = loop {
        if let Some((hwm, anon)) = memory_of(child.id()) {
            peak_rss = peak_rss.max(hwm);
            peak_anon = peak_anon.max(anon);
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(if started.elapsed() < Duration::from_secs(2) { 1 } else { 20 }));
    };
    let wall = started.elapsed();
    let signal = std::os::unix::process::ExitStatusExt::signal(&status);
    Ok(ChildRun { wall, peak_rss, peak_anon, cpu: children_cpu().saturating_sub(cpu_before), ok: status.success(), code: status.code(), signal })
}

fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir).into_iter().flatten().filter(|e| e.file_type().is_file()).filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum()
}

/// Query kinds measured in-process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    OneWord,
    TwoWords,
    Phrase,
    Filtered,
    Faceted,
}

impl Kind {
    const ALL: [Kind; 5] = [Kind::OneWord, Kind::TwoWords, Kind::Phrase, Kind::Filtered, Kind::Faceted];

    fn name(self) -> &'static str {
        match self {
            Kind::OneWord => "one word",
            Kind::TwoWords => "two-word AND",
            Kind::Phrase => "phrase",
            Kind::Filtered => "filtered (province + years)",
            Kind::Faceted => "faceted",
        }
    }
}

const PROVINCES: &[&str] = &["广东省", "广西壮族自治区", "浙江省", "四川省", "河南省", "北京市", "云南省"];

/// A request of the given kind drawn from the corpus vocabulary.
fn make_request(kind: Kind, g: &Generator, rng: &mut Rng, extractor: &Extractor) -> SearchRequest {
    let vocab = g.vocabulary();
    let mut req = SearchRequest { limit: 10, passages: 3, ..Default::default() };
    match kind {
        Kind::OneWord | Kind::Faceted | Kind::Filtered => req.query = vocab.sample_query_word(rng).to_string(),
        Kind::TwoWords => req.query = format!("{} {}", vocab.sample_query_word(rng), vocab.sample_query_word(rng)),
        Kind::Phrase => {
            // Half from real sentences (common phrasing), half two words as one phrase (rare).
            req.query = if rng.chance(0.5) {
                let sentence: Vec<char> = rng.pick(g.real_sentences()).chars().collect();
                // A phrase is typed between quotes, so it cannot hold one (the parser would
                // end the phrase there): take it from a stretch between quote marks.
                let stretches: Vec<&[char]> =
                    sentence.split(|c| matches!(c, '"' | '“' | '”' | '「' | '」')).filter(|p| p.iter().filter(|c| c.is_alphanumeric()).count() >= 2).collect();
                let s: &[char] = if stretches.is_empty() { &sentence } else { rng.pick::<&[char]>(stretches.as_slice()) };
                let len = 4.min(s.len()) + rng.below(4);
                let start = rng.below(s.len().saturating_sub(len).max(1));
                format!("\"{}\"", s[start..(start + len).min(s.len())].iter().collect::<String>())
            } else {
                format!("\"{}{}\"", vocab.sample_query_word(rng), vocab.sample_query_word(rng))
            };
        }
    }
    if kind == Kind::Faceted {
        req.facets = true;
    }
    if kind == Kind::Filtered {
        let mut f = Filters::default();
        if let Ok(p) = extractor.resolve_province(rng.pick::<&str>(PROVINCES)) {
            f.regions.push(p);
        }
        let from = 2016 + rng.below(8) as i32;
        f.from = chrono::NaiveDate::from_ymd_opt(from, 1, 1);
        f.to = chrono::NaiveDate::from_ymd_opt(from + 1 + rng.below(3) as i32, 12, 31);
        req.filters = f;
    }
    req
}

/// Marks a folder as the benchmark's own work folder, whose contents it may delete.
const BENCH_MARK: &str = ".tongbao-bench";

/// Run the benchmark, printing results to `out` as they come.
pub fn run(opts: &BenchOptions, out: &mut dyn Write) -> Result<()> {
    let dir = &opts.dir;
    // The work folder is emptied afterwards and its corpus and index folders replaced:
    // only a folder the benchmark made (marked by BENCH_MARK) or an empty one will do.
    let foreign = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) && !dir.join(BENCH_MARK).is_file();
    if foreign {
        anyhow::bail!("{} holds files the benchmark did not make; give --dir a new or empty folder", crate::sanitize::sanitize(&dir.display().to_string()));
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    std::fs::write(dir.join(BENCH_MARK), "a tongbao bench work folder\n").with_context(|| format!("writing in {}", dir.display()))?;
    let corpus_dir = dir.join("corpus");
    let index_dir = dir.join("index");
    let extra_dir = corpus_dir.join("extra");
    let samples = opts.samples.clone().or_else(|| {
        let p = PathBuf::from(crate::SAMPLES);
        p.is_dir().then_some(p)
    });
    writeln!(out, "tongbao bench: {} bulletins in {} (load {})", opts.docs, crate::sanitize::sanitize(&dir.display().to_string()), load())?;

    // A private copy of the binary: the build folder may be rewritten while we measure.
    let exe = dir.join("tongbao-under-test");
    let current = std::env::current_exe().context("finding the tongbao binary")?;
    std::fs::copy(&current, &exe).with_context(|| format!("copying {} to {}", current.display(), exe.display()))?;

    // 1. Corpus.
    let _ = std::fs::remove_dir_all(&extra_dir);
    let manifest = match corpus::read_manifest(&corpus_dir) {
        Some(m)
            if m.docs == opts.docs
                && m.seed == opts.seed
                && m.generator == corpus::GENERATOR_VERSION
                // Another sample folder only matters when one was asked for; run from
                // elsewhere, the corpus is reused with the sentences it was made from.
                && (opts.samples.is_none()
                    || m.samples == samples.as_deref().map(|p| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))) =>
        {
            writeln!(out, "corpus: reusing {} files, {:.1} MB", m.docs, mb(m.bytes))?;
            m
        }
        _ => {
            if corpus_dir.exists() {
                std::fs::remove_dir_all(&corpus_dir).with_context(|| format!("removing {}", corpus_dir.display()))?;
            }
            let started = Instant::now();
            let m = corpus::generate(&corpus_dir, opts.docs, opts.seed, samples.as_deref(), &|_| {})
                .with_context(|| format!("writing the corpus in {}", corpus_dir.display()))?;
            writeln!(
                out,
                "corpus: generated {} files, {:.1} MB in {:.1}s (seed {}, sentences from {})",
                m.docs,
                mb(m.bytes),
                started.elapsed().as_secs_f64(),
                m.seed,
                samples.as_deref().map(|p| crate::sanitize::sanitize(&p.display().to_string())).unwrap_or_else(|| "the built-in list".into())
            )?;
            if samples.is_none() {
                // The built-in list is a few dozen sentences: phrase queries drawn from it
                // match far more bulletins than real phrasing would.
                writeln!(
                    out,
                    "warning: no corpus-samples/ here and no --samples: phrase queries come from a short built-in list and are not comparable with runs from the repo root"
                )?;
            }
            m
        }
    };
    out.flush()?;

    let os = |s: &str| std::ffi::OsString::from(s);
    let idx = index_dir.as_os_str().to_os_string();
    let resources = Resources::embedded();
    let user_dict = resources.get("dictionary.txt")?;
    let jieba = dictionary::shared(&user_dict);
    let extractor = Extractor::load(None)?;
    let meta = IndexMeta::current(&crate::read::fingerprint(&resources));

    // 2. Index builds from files, each in its own process: tongbao, then its peers.
    let mut table = Table::default();
    if opts.phases.index || !index_dir.join("meta.json").exists() {
        let _ = std::fs::remove_dir_all(&index_dir);
        let args = [&os("--index"), &idx, &os("--color"), &os("never"), &os("index"), corpus_dir.as_os_str()];
        table.tongbao.build = Some(build_from_files(&exe, &args, "tongbao index", &dir.join("index.stderr"), &manifest, out)?);
    }
    table.tongbao.bytes = Some(dir_size(&index_dir));
    for (i, peer) in Peer::ALL.into_iter().enumerate() {
        let peer_dir = dir.join(format!("peer-{}", peer.id()));
        if opts.phases.peers {
            let args = [&os("bench-peer"), &os(peer.id()), corpus_dir.as_os_str(), peer_dir.as_os_str()];
            let log = dir.join(format!("peer-{}.stderr", peer.id()));
            // A peer that fails costs its column, not the run.
            match build_from_files(&exe, &args, peer.label(), &log, &manifest, out) {
                Ok(run) => table.peers[i].build = Some(run),
                Err(e) => {
                    writeln!(out, "{e:#}")?;
                    let _ = std::fs::remove_dir_all(&peer_dir);
                }
            }
        }
        if peer_dir.is_dir() {
            table.peers[i].bytes = Some(dir_size(&peer_dir));
        }
    }
    for (name, engine) in table.engines() {
        if let Some(bytes) = engine.bytes {
            writeln!(out, "index size, {name}: {:.1} MB = {:.2} × the files", mb(bytes), bytes as f64 / manifest.bytes as f64)?;
        }
    }
    out.flush()?;

    // 3. Same text in memory: bare tantivy + jieba, and tongbao's own analysis and schema,
    // alternated so that a change of machine load hits both alike.
    if opts.phases.memory {
        memory_comparison(opts, &corpus_dir, dir, &jieba, &extractor, &meta, out)?;
    }

    // 4. Where the index bytes go.
    let handle = IndexHandle::open(&index_dir, jieba.clone(), &meta)?;
    let reader = handle.index.reader()?;
    let searcher = reader.searcher();
    if let Ok(usage) = searcher.space_usage() {
        let mut parts: Vec<(&str, u64)> = vec![("termdict", 0), ("postings", 0), ("positions", 0), ("store", 0), ("fast", 0), ("fieldnorms", 0)];
        // Bytes per (field, part) of the inverted index, to show which field costs what.
        let mut by_field: std::collections::BTreeMap<(String, usize), u64> = Default::default();
        for seg in usage.segments() {
            let per_field = [seg.termdict(), seg.postings(), seg.positions()];
            for (i, pf) in per_field.iter().enumerate() {
                parts[i].1 += pf.total().get_bytes();
                for f in pf.fields() {
                    *by_field.entry((f.field_name().to_string(), i)).or_default() += f.total().get_bytes();
                }
            }
            parts[3].1 += seg.store().total().get_bytes();
            parts[4].1 += seg.fast_fields().total().get_bytes();
            parts[5].1 += seg.fieldnorms().total().get_bytes();
        }
        let total = usage.total().get_bytes().max(1);
        let list: Vec<String> = parts.iter().map(|(n, b)| format!("{n} {:.0}%", *b as f64 * 100.0 / total as f64)).collect();
        writeln!(out, "index parts: {}", list.join(", "))?;
        let pct = |b: u64| b as f64 * 100.0 / total as f64;
        let mut names: Vec<&String> = by_field.keys().map(|(n, _)| n).collect();
        names.dedup();
        let rows: Vec<String> = names
            .into_iter()
            .filter_map(|name| {
                let get = |i: usize| by_field.get(&(name.clone(), i)).copied().unwrap_or(0);
                let all = get(0) + get(1) + get(2);
                (pct(all) >= 1.0)
                    .then(|| format!("{name} {:.0}% (terms {:.0}, postings {:.0}, positions {:.0})", pct(all), pct(get(0)), pct(get(1)), pct(get(2))))
            })
            .collect();
        writeln!(out, "inverted index by field: {}", rows.join("; "))?;
    }
    writeln!(out, "segments: {}", searcher.segment_readers().len())?;

    // 5. In-process queries, drawn from the sentences the corpus was made from.
    let samples = manifest.samples.clone();
    let generator = Generator::new(opts.seed, samples.as_deref());
    let mut rng = Rng::new(opts.seed ^ 0x51);
    if opts.phases.queries {
        writeln!(out, "in-process queries ({} each, limit 10, 3 passages with highlights) (load {}):", opts.queries, load())?;
        let peer_indexes: Vec<Option<PeerIndex>> =
            Peer::ALL.into_iter().map(|p| PeerIndex::open(p, &dir.join(format!("peer-{}", p.id())))).collect::<Result<_>>()?;
        for kind in Kind::ALL {
            let requests: Vec<SearchRequest> = (0..opts.queries + 20).map(|_| make_request(kind, &generator, &mut rng, &extractor)).collect();
            let mut times = Vec::with_capacity(opts.queries);
            let mut hits = Vec::with_capacity(opts.queries);
            let mut slowest: Option<(Duration, &str, usize)> = None;
            for (i, req) in requests.iter().enumerate() {
                let started = Instant::now();
                let results = search::search(&handle, &jieba, req);
                let elapsed = started.elapsed();
                // The first twenty warm caches and are not counted.
                if i >= 20 {
                    let total = results.map(|r| r.total).unwrap_or(0);
                    times.push(elapsed);
                    hits.push(total);
                    if slowest.is_none_or(|(t, _, _)| elapsed > t) {
                        slowest = Some((elapsed, req.query.as_str(), total));
                    }
                }
            }
            hits.sort();
            let s = Summary::of(times.clone());
            writeln!(
                out,
                "  {:<28} p50 {:6.2} ms  p90 {:6.2} ms  p99 {:6.2} ms  max {:6.1} ms   matches: median {}, p90 {}",
                kind.name(),
                ms(s.p50),
                ms(s.p90),
                ms(s.p99),
                ms(s.max),
                hits.get(hits.len() / 2).copied().unwrap_or(0),
                hits.get(hits.len() * 9 / 10).copied().unwrap_or(0)
            )?;
            if let Some((t, query, total)) = slowest {
                writeln!(out, "  {:<28} slowest: {query} ({:.1} ms, {total} matches)", "", ms(t))?;
            }
            let mut row = QueryRow { kind, asked: times.len(), tongbao: s, plain: None, peers: [None, None], tongbao_on_fts5: None };
            // The peers take the same queries when they can express them (no metadata:
            // no filters, no facets), and do less with each: tongbao is timed again doing
            // what they do (ten hits with their titles, and the count; no passages).
            if matches!(kind, Kind::OneWord | Kind::TwoWords | Kind::Phrase) {
                let mut plain = Vec::with_capacity(opts.queries);
                for (i, req) in requests.iter().enumerate() {
                    let req = SearchRequest { passages: 0, ..req.clone() };
                    let started = Instant::now();
                    let _ = search::search(&handle, &jieba, &req);
                    if i >= 20 {
                        plain.push(started.elapsed());
                    }
                }
                let ps = Summary::of(plain.clone());
                writeln!(
                    out,
                    "  {:<28} tongbao, no passages: p50 {:6.2} ms  p90 {:6.2} ms  p99 {:6.2} ms  max {:6.1} ms",
                    "",
                    ms(ps.p50),
                    ms(ps.p90),
                    ms(ps.p99),
                    ms(ps.max)
                )?;
                row.plain = Some(ps);
                let times = plain;
                let queries: Vec<PeerQuery> = requests.iter().map(|r| PeerQuery::from_tongbao(&r.query)).collect();
                for (p, index) in peer_indexes.iter().enumerate() {
                    let Some(index) = index else { continue };
                    let mut peer_times = Vec::new();
                    let mut answered = vec![false; queries.len()];
                    for (i, q) in queries.iter().enumerate() {
                        let started = Instant::now();
                        let found = index.search(q)?;
                        let elapsed = started.elapsed();
                        if i >= 20 && found.is_some() {
                            peer_times.push(elapsed);
                            answered[i] = true;
                        }
                    }
                    let n = peer_times.len();
                    if n > 0 {
                        let ps = Summary::of(peer_times);
                        writeln!(
                            out,
                            "  {:<28} {}: p50 {:6.2} ms  p90 {:6.2} ms  p99 {:6.2} ms  max {:6.1} ms   ({n} of {} queries it can express)",
                            "",
                            Peer::ALL[p].label(),
                            ms(ps.p50),
                            ms(ps.p90),
                            ms(ps.p99),
                            ms(ps.max),
                            times.len()
                        )?;
                        row.peers[p] = Some((ps, n));
                    } else {
                        writeln!(out, "  {:<28} {}: cannot express any of these queries", "", Peer::ALL[p].label())?;
                        row.peers[p] = Some((Summary::default(), 0));
                    }
                    if Peer::ALL[p] == Peer::Fts5 && n > 0 {
                        // tongbao on the very queries FTS5 could answer, for a like-for-like ratio.
                        let subset: Vec<Duration> = times.iter().enumerate().filter(|(i, _)| answered[i + 20]).map(|(_, t)| *t).collect();
                        row.tongbao_on_fts5 = Some(Summary::of(subset));
                    }
                }
            }
            table.queries.push(row);
            out.flush()?;
        }
    }
    drop(searcher);
    drop(reader);
    drop(handle);

    // 6. Whole `tongbao search` processes, cold start included.
    if opts.phases.process {
        let load_before = load();
        let mut times = Vec::new();
        let mut facet_times = Vec::new();
        let mut peak = 0u64;
        for i in 0..opts.process_runs {
            let q = generator.vocabulary().sample_query_word(&mut rng).to_string();
            let mut args: Vec<std::ffi::OsString> = vec![os("--index"), idx.clone(), os("--color"), os("never"), os("search"), os(&q)];
            if i % 2 == 1 {
                args.push(os("--facets"));
            }
            let refs: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
            let r = run_child(&exe, &refs, &dir.join("search.stderr"))?;
            // Exit 1 is a search that matched nothing (a sampled word need not occur).
            if !r.ok && r.code != Some(1) {
                bail!("tongbao search {q} failed; see {}", dir.join("search.stderr").display());
            }
            peak = peak.max(r.peak_rss);
            if i % 2 == 1 {
                facet_times.push(r.wall)
            } else {
                times.push(r.wall)
            }
        }
        let s = Summary::of(times);
        let f = Summary::of(facet_times);
        table.search_process = Some((s, f));
        writeln!(
            out,
            "tongbao search, whole process ({} runs): p50 {:.1} ms, p90 {:.1} ms; with --facets p50 {:.1} ms, p90 {:.1} ms; peak RSS {:.0} MB (load {} → {})",
            opts.process_runs,
            ms(s.p50),
            ms(s.p90),
            ms(f.p50),
            ms(f.p90),
            mb(peak),
            load_before,
            load()
        )?;
        out.flush()?;
    }

    // 7. One bulletin added.
    if opts.phases.add {
        std::fs::create_dir_all(&extra_dir)?;
        let mut g = Generator::new(opts.seed ^ 0xADD, samples.as_deref());
        let new_file = extra_dir.join("bulletin-new.txt");
        std::fs::write(&new_file, corpus::render(&g.next_bulletin(), corpus::FileKind::Text, 0))?;
        let load_before = load();
        let folder = run_child(&exe, &[&os("--index"), &idx, &os("--color"), &os("never"), &os("index"), corpus_dir.as_os_str()], &dir.join("add.stderr"))?;
        std::fs::write(&new_file, corpus::render(&g.next_bulletin(), corpus::FileKind::Text, 1))?;
        let single = run_child(&exe, &[&os("--index"), &idx, &os("--color"), &os("never"), &os("index"), new_file.as_os_str()], &dir.join("add.stderr"))?;
        writeln!(
            out,
            "one bulletin added, whole process: {:.2}s re-indexing the corpus folder ({} files checked), {:.2}s naming the file{} (load {} → {})",
            folder.wall.as_secs_f64(),
            manifest.docs + 1,
            single.wall.as_secs_f64(),
            if folder.ok && single.ok { "" } else { " (FAILED)" },
            load_before,
            load()
        )?;
        let _ = std::fs::remove_dir_all(&extra_dir);
    }

    print_table(&table, &manifest, out)?;
    if !opts.keep {
        for sub in [&corpus_dir, &index_dir] {
            let _ = std::fs::remove_dir_all(sub);
        }
        for peer in Peer::ALL {
            let _ = std::fs::remove_dir_all(dir.join(format!("peer-{}", peer.id())));
        }
        for file in ["index.stderr", "search.stderr", "add.stderr", "tongbao-under-test", "peer-bare.stderr", "peer-fts5.stderr", BENCH_MARK] {
            let _ = std::fs::remove_file(dir.join(file));
        }
        let _ = std::fs::remove_dir(dir);
    }
    writeln!(out, "peak RSS of the bench process itself: {:.0} MB", mb(peak_rss_self().unwrap_or(0)))?;
    Ok(())
}

/// One engine's figures for the summary table.
#[derive(Default)]
struct Engine {
    build: Option<ChildRun>,
    bytes: Option<u64>,
}

/// One query kind's latencies: tongbao on every query (with passages, and without, as the
/// peers do), each peer on those it can express (with how many), and tongbao without
/// passages on the queries FTS5 could answer.
struct QueryRow {
    kind: Kind,
    asked: usize,
    tongbao: Summary,
    /// tongbao doing what the peers do: no passages.
    plain: Option<Summary>,
    peers: [Option<(Summary, usize)>; 2],
    tongbao_on_fts5: Option<Summary>,
}

/// What the summary table at the end of a run shows.
#[derive(Default)]
struct Table {
    tongbao: Engine,
    /// In the order of [`Peer::ALL`].
    peers: [Engine; 2],
    queries: Vec<QueryRow>,
    /// Whole `tongbao search` processes: without and with `--facets`.
    search_process: Option<(Summary, Summary)>,
}

impl Table {
    fn engines(&self) -> [(&'static str, &Engine); 3] {
        [("tongbao", &self.tongbao), (Peer::ALL[0].label(), &self.peers[0]), (Peer::ALL[1].label(), &self.peers[1])]
    }
}

/// Build an index from the corpus with `exe args` (`tongbao index` or a peer), print its
/// figures and return them.
fn build_from_files(exe: &Path, args: &[&std::ffi::OsStr], name: &str, log: &Path, manifest: &corpus::Manifest, out: &mut dyn Write) -> Result<ChildRun> {
    let load_before = load();
    let run = run_child(exe, args, log)?;
    if !run.ok {
        let how = run.signal.map(|s| format!(" (ended by signal {s})")).unwrap_or_default();
        bail!("{name} failed{how}; see {}", log.display());
    }
    let secs = run.wall.as_secs_f64();
    writeln!(
        out,
        "index build, {name} (whole process, from files): {:.1}s, {:.1} MB/s of files, {:.0} docs/s, CPU {:.1}s ({:.1} MB of files per CPU second), peak RSS {:.0} MB (heap {:.0} MB) (load {} → {})",
        secs,
        mb(manifest.bytes) / secs,
        manifest.docs as f64 / secs,
        run.cpu.as_secs_f64(),
        mb(manifest.bytes) / run.cpu.as_secs_f64().max(1e-9),
        mb(run.peak_rss),
        mb(run.peak_anon),
        load_before,
        load()
    )?;
    out.flush()?;
    Ok(run)
}

/// The same-run comparison: tongbao and its peers side by side.
fn print_table(table: &Table, manifest: &corpus::Manifest, out: &mut dyn Write) -> Result<()> {
    const W: usize = 26;
    let engines = table.engines();
    writeln!(out, "\nsame run, side by side ({} files, {:.1} MB) (load {}):", manifest.docs, mb(manifest.bytes), load())?;
    let head: String = engines.iter().map(|(n, _)| format!("{n:>W$}")).collect();
    writeln!(out, "  {:<34}{head}", "")?;
    let row = |out: &mut dyn Write, label: &str, cells: Vec<String>| -> Result<()> {
        let cells: String = cells.iter().map(|c| format!("{c:>W$}")).collect();
        writeln!(out, "  {label:<34}{cells}")?;
        Ok(())
    };
    let bare = engines[1].1.build.as_ref();
    let per =
        |f: &dyn Fn(&ChildRun) -> String| -> Vec<String> { engines.iter().map(|(_, e)| e.build.as_ref().map(f).unwrap_or_else(|| "—".into())).collect() };
    row(out, "build from files, MB/s (wall)", per(&|r| format!("{:.1}", mb(manifest.bytes) / r.wall.as_secs_f64())))?;
    row(out, "  × bare (wall)", per(&|r| bare.map(|b| format!("{:.2}", b.wall.as_secs_f64() / r.wall.as_secs_f64())).unwrap_or_else(|| "—".into())))?;
    row(out, "  MB of files per CPU second", per(&|r| format!("{:.1}", mb(manifest.bytes) / r.cpu.as_secs_f64().max(1e-9))))?;
    row(out, "  × bare (CPU)", per(&|r| bare.map(|b| format!("{:.2}", b.cpu.as_secs_f64() / r.cpu.as_secs_f64().max(1e-9))).unwrap_or_else(|| "—".into())))?;
    row(out, "  peak RSS, MB", per(&|r| format!("{:.0}", mb(r.peak_rss))))?;
    row(
        out,
        "index ÷ files",
        engines.iter().map(|(_, e)| e.bytes.map(|b| format!("{:.2}", b as f64 / manifest.bytes as f64)).unwrap_or_else(|| "—".into())).collect(),
    )?;
    let lat = |s: &Summary| format!("{:.2} / {:.2}", ms(s.p50), ms(s.p99));
    if !table.queries.is_empty() {
        writeln!(out, "  query p50 / p99, ms: 10 hits with 3 passages and highlights, and the count; then as the peers answer")?;
    }
    for q in &table.queries {
        let mut cells = vec![lat(&q.tongbao)];
        for _ in Peer::ALL {
            cells.push(if matches!(q.kind, Kind::Filtered | Kind::Faceted) { "no metadata".into() } else { String::new() });
        }
        row(out, &format!("  {} ({})", q.kind.name(), q.asked), cells)?;
        let Some(plain) = &q.plain else { continue };
        let mut cells = vec![lat(plain)];
        for (i, p) in q.peers.iter().enumerate() {
            cells.push(match (p, Peer::ALL[i]) {
                (Some((_, 0)), Peer::Fts5) => "cannot: terms < 3 chars".into(),
                (Some((_, 0)), _) => "cannot".into(),
                (Some((s, n)), _) if *n < q.asked => format!("{} ({n})", lat(s)),
                (Some((s, _)), _) => lat(s),
                (None, _) => "—".into(),
            });
        }
        row(out, "    10 hits, titles, count", cells)?;
        if let (Some(t), Some((_, n))) = (&q.tongbao_on_fts5, &q.peers[1]) {
            row(out, &format!("    … the {n} FTS5 can express"), vec![lat(t), String::new(), String::new()])?;
        }
    }
    if let Some((s, f)) = &table.search_process {
        row(out, "tongbao search, whole process p50", vec![format!("{:.1} ms ({:.1} faceted)", ms(s.p50), ms(f.p50)), "—".into(), "—".into()])?;
    }
    Ok(())
}

/// Index the first `memory_mb` of the corpus, read into memory, with bare tantivy+jieba
/// and with tongbao's analysis and schema, three rounds alternating; print medians.
fn memory_comparison(
    opts: &BenchOptions,
    corpus_dir: &Path,
    dir: &Path,
    jieba: &std::sync::Arc<jieba_rs::Jieba>,
    extractor: &Extractor,
    meta: &IndexMeta,
    out: &mut dyn Write,
) -> Result<()> {
    let mut bulletins = Vec::new();
    let mut file_bytes = 0u64;
    let (files, _) = crate::source::walk(&[corpus_dir.to_path_buf()]);
    for f in files.iter().filter(|f| f.file_name().is_some_and(|n| n != corpus::MANIFEST)) {
        if file_bytes >= opts.memory_mb << 20 {
            break;
        }
        file_bytes += std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
        if let Ok(b) = crate::read::read_bulletin(f, extractor, &Default::default()) {
            bulletins.push(b);
        }
    }
    let text_bytes: u64 = bulletins.iter().map(|b| (b.title.len() + b.body.len()) as u64).sum();
    let pairs: Vec<(String, String)> = bulletins.iter().map(|b| (b.title.clone(), b.body.clone())).collect();
    let bare_dir = dir.join("bare-index");
    let mem_dir = dir.join("memory-index");
    let load_before = load();
    let (mut bare_times, mut ours_times, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    let (mut bare_bytes, mut ours_bytes) = (0, 0);
    // Tongbao's analysis and schema.
    let ours = || -> Result<(Duration, u64)> {
        let _ = std::fs::remove_dir_all(&mem_dir);
        let handle = IndexHandle::create(&mem_dir, jieba.clone(), meta)?;
        let started = Instant::now();
        let build_opts = BuildOptions { memory_budget: 200 << 20, threads: 2, ..Default::default() };
        let mut writer = build::open_writer(&handle, &build_opts)?;
        for b in &bulletins {
            // Indexing folds each bulletin once (for extraction, SimHash and the fields).
            let folds = crate::analysis::Folds::new(&b.title, &b.body);
            let doc = crate::index::to_document(b, &folds, FileStamp::default(), &handle.fields);
            writer.add_document(doc)?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        let took = started.elapsed();
        Ok((took, dir_size(&mem_dir)))
    };
    for _ in 0..3 {
        let bare_time = bare::index(&bare_dir, jieba.clone(), &pairs)?;
        bare_bytes = dir_size(&bare_dir);
        let (ours_time, bytes) = ours()?;
        ours_bytes = bytes;
        ratios.push(Duration::from_secs_f64(bare_time.as_secs_f64() / ours_time.as_secs_f64()));
        bare_times.push(bare_time);
        ours_times.push(ours_time);
    }
    let rate = |d: Duration| mb(text_bytes) / d.as_secs_f64();
    let (bare_med, ours_med, ratio_med) = (Summary::of(bare_times).p50, Summary::of(ours_times).p50, Summary::of(ratios).p50);
    writeln!(
        out,
        "in memory, {} bulletins, {:.1} MB of clean text ({:.2} of the file bytes), 3 alternating rounds, medians (load {} → {}):",
        bulletins.len(),
        mb(text_bytes),
        text_bytes as f64 / file_bytes.max(1) as f64,
        load_before,
        load()
    )?;
    writeln!(
        out,
        "  bare tantivy+jieba: {:.1}s, {:.1} MB/s, index {:.2} × text",
        bare_med.as_secs_f64(),
        rate(bare_med),
        bare_bytes as f64 / text_bytes as f64
    )?;
    writeln!(
        out,
        "  tongbao analysis:   {:.1}s, {:.1} MB/s, index {:.2} × text; speed {:.2} × bare (median of per-round ratios)",
        ours_med.as_secs_f64(),
        rate(ours_med),
        ours_bytes as f64 / text_bytes as f64,
        ratio_med.as_secs_f64()
    )?;
    let _ = std::fs::remove_dir_all(&bare_dir);
    let _ = std::fs::remove_dir_all(&mem_dir);
    out.flush()?;
    Ok(())
}

//! `tongbao bench`: a realistic end-to-end benchmark on a generated corpus.
//!
//! It generates N bulletins on disk ([`corpus`]), indexes them with a separate `tongbao
//! index` process (wall time, MB/s, docs/s, peak RSS), measures the index against the raw
//! text, runs a few hundred queries of each kind in-process through [`crate::search`]
//! (passages and highlights included), times whole `tongbao search` processes (cold
//! start included) and adding one bulletin to the index. A bare tantivy + jieba index
//! over the same text in memory ([`bare`]) runs in the same session, so results can be
//! quoted as ratios on a machine whose absolute speed varies with load.

pub mod bare;
pub mod corpus;

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
}

impl Default for Phases {
    fn default() -> Self {
        Phases { index: true, memory: true, queries: true, process: true, add: true }
    }
}

impl Phases {
    /// Parse a comma-separated list of `index`, `memory`, `queries`, `process`, `add`.
    pub fn parse(list: &str) -> Result<Phases> {
        let mut p = Phases { index: false, memory: false, queries: false, process: false, add: false };
        for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match name {
                "index" => p.index = true,
                "memory" => p.memory = true,
                "queries" => p.queries = true,
                "process" => p.process = true,
                "add" => p.add = true,
                other => bail!("unknown bench phase {other:?}: use index, memory, queries, process, add"),
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
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// Peak resident set of this process so far, in bytes (Linux).
pub fn peak_rss_self() -> Option<u64> {
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
    ok: bool,
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
    let started = Instant::now();
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(err)
        .spawn()
        .with_context(|| format!("running {}", exe.display()))?;
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
    Ok(ChildRun { wall: started.elapsed(), peak_rss, peak_anon, ok: status.success() })
}

fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
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
                let stretches: Vec<&[char]> = sentence
                    .split(|c| matches!(c, '"' | '“' | '”' | '「' | '」'))
                    .filter(|p| p.iter().filter(|c| c.is_alphanumeric()).count() >= 2)
                    .collect();
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
        anyhow::bail!(
            "{} holds files the benchmark did not make; give --dir a new or empty folder",
            crate::sanitize::sanitize(&dir.display().to_string())
        );
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

    // 2. Index build from files, in its own process.
    if opts.phases.index || !index_dir.join("meta.json").exists() {
        let _ = std::fs::remove_dir_all(&index_dir);
        let load_before = load();
        let build = run_child(
            &exe,
            &[&os("--index"), &idx, &os("--color"), &os("never"), &os("index"), corpus_dir.as_os_str()],
            &dir.join("index.stderr"),
        )?;
        if !build.ok {
            bail!("tongbao index failed; see {}", dir.join("index.stderr").display());
        }
        let secs = build.wall.as_secs_f64();
        writeln!(
            out,
            "index build (whole process, from files): {:.1}s, {:.1} MB/s of files, {:.0} docs/s, peak RSS {:.0} MB (heap {:.0} MB) (load {} → {})",
            secs,
            mb(manifest.bytes) / secs,
            manifest.docs as f64 / secs,
            mb(build.peak_rss),
            mb(build.peak_anon),
            load_before,
            load()
        )?;
    }
    let index_bytes = dir_size(&index_dir);
    writeln!(
        out,
        "index size: {:.1} MB = {:.2} × the files",
        mb(index_bytes),
        index_bytes as f64 / manifest.bytes as f64
    )?;
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
        let mut parts: Vec<(&str, u64)> =
            vec![("termdict", 0), ("postings", 0), ("positions", 0), ("store", 0), ("fast", 0), ("fieldnorms", 0)];
        let mut grams = 0u64;
        // Bytes per (field, part) of the inverted index, to show which field costs what.
        let mut by_field: std::collections::BTreeMap<(String, usize), u64> = Default::default();
        for seg in usage.segments() {
            let per_field = [seg.termdict(), seg.postings(), seg.positions()];
            for (i, pf) in per_field.iter().enumerate() {
                parts[i].1 += pf.total().get_bytes();
                for f in pf.fields() {
                    *by_field.entry((f.field_name().to_string(), i)).or_default() += f.total().get_bytes();
                }
                grams += pf.fields().filter(|f| f.field_name() == "grams").map(|f| f.total().get_bytes()).sum::<u64>();
            }
            parts[3].1 += seg.store().total().get_bytes();
            parts[4].1 += seg.fast_fields().total().get_bytes();
            parts[5].1 += seg.fieldnorms().total().get_bytes();
        }
        let total = usage.total().get_bytes().max(1);
        let list: Vec<String> =
            parts.iter().map(|(n, b)| format!("{n} {:.0}%", *b as f64 * 100.0 / total as f64)).collect();
        writeln!(
            out,
            "index parts: {}; the grams field is {:.0}% of the index",
            list.join(", "),
            grams as f64 * 100.0 / total as f64
        )?;
        let pct = |b: u64| b as f64 * 100.0 / total as f64;
        let mut names: Vec<&String> = by_field.keys().map(|(n, _)| n).collect();
        names.dedup();
        let rows: Vec<String> = names
            .into_iter()
            .filter_map(|name| {
                let get = |i: usize| by_field.get(&(name.clone(), i)).copied().unwrap_or(0);
                let all = get(0) + get(1) + get(2);
                (pct(all) >= 1.0).then(|| {
                    format!("{name} {:.0}% (terms {:.0}, postings {:.0}, positions {:.0})", pct(all), pct(get(0)), pct(get(1)), pct(get(2)))
                })
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
        writeln!(
            out,
            "in-process queries ({} each, limit 10, 3 passages with highlights) (load {}):",
            opts.queries,
            load()
        )?;
        for kind in Kind::ALL {
            let requests: Vec<SearchRequest> =
                (0..opts.queries + 20).map(|_| make_request(kind, &generator, &mut rng, &extractor)).collect();
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
            let s = Summary::of(times);
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
            let mut args: Vec<std::ffi::OsString> =
                vec![os("--index"), idx.clone(), os("--color"), os("never"), os("search"), os(&q)];
            if i % 2 == 1 {
                args.push(os("--facets"));
            }
            let refs: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
            let r = run_child(&exe, &refs, &dir.join("search.stderr"))?;
            if !r.ok {
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
        let folder = run_child(
            &exe,
            &[&os("--index"), &idx, &os("--color"), &os("never"), &os("index"), corpus_dir.as_os_str()],
            &dir.join("add.stderr"),
        )?;
        std::fs::write(&new_file, corpus::render(&g.next_bulletin(), corpus::FileKind::Text, 1))?;
        let single = run_child(
            &exe,
            &[&os("--index"), &idx, &os("--color"), &os("never"), &os("index"), new_file.as_os_str()],
            &dir.join("add.stderr"),
        )?;
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

    if !opts.keep {
        for sub in [&corpus_dir, &index_dir] {
            let _ = std::fs::remove_dir_all(sub);
        }
        for file in ["index.stderr", "search.stderr", "add.stderr", "tongbao-under-test", BENCH_MARK] {
            let _ = std::fs::remove_file(dir.join(file));
        }
        let _ = std::fs::remove_dir(dir);
    }
    writeln!(out, "peak RSS of the bench process itself: {:.0} MB", mb(peak_rss_self().unwrap_or(0)))?;
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
    let (bare_med, ours_med, ratio_med) =
        (Summary::of(bare_times).p50, Summary::of(ours_times).p50, Summary::of(ratios).p50);
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

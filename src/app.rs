//! The commands behind the CLI, as library functions with plain option structs.
//!
//! `main.rs` only parses flags into these structs; everything a command does (opening the
//! index, printing) lives here so tests can drive it without a shell. Filter words are
//! resolved by `search::filters`, which the HTTP front end (`serve`) shares.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context as _, Result};
use jieba_rs::Jieba;
use serde::Serialize;

use crate::analysis::dictionary;
use crate::extract::Extractor;
use crate::index::build::{self, BuildOptions, BuildReport, Event};
use crate::index::{IndexError, IndexHandle, IndexMeta};
use crate::render::{self, Style};
use crate::resources::Resources;
use crate::search::{self, SearchRequest, SortBy};

/// Folder used when neither `--index` nor `TONGBAO_INDEX` names one.
pub const DEFAULT_INDEX: &str = ".tongbao";
/// Sample folder indexed automatically on a first search.
pub const SAMPLES: &str = "corpus-samples";

/// Settings every command shares.
#[derive(Debug, Clone)]
pub struct Context {
    pub index_dir: PathBuf,
    /// True when the index folder is the default one (enables the first-run build).
    pub default_index: bool,
    pub schema_dir: Option<PathBuf>,
    pub quiet: bool,
    pub color: ColorChoice,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

impl Context {
    pub fn resources(&self) -> Resources {
        Resources::with_overrides(self.schema_dir.as_deref())
    }

    pub fn jieba(&self) -> Result<Arc<Jieba>> {
        let dict = self.resources().get("dictionary.txt")?;
        Ok(dictionary::shared(&dict))
    }

    pub fn extractor(&self) -> Result<Extractor> {
        Extractor::load(self.schema_dir.as_deref()).context("loading extraction rules")
    }

    pub fn meta(&self) -> IndexMeta {
        IndexMeta::current(&self.resources().fingerprint())
    }

    fn style(&self) -> Style {
        let color = match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        };
        Style { color }
    }

    /// A jieba that segments only `texts` (a query and its expansions) like [`Self::jieba`]
    /// does, built in well under a millisecond instead of the ~90 ms full load that would
    /// otherwise dominate a `tongbao search` process. See `analysis::dictionary`.
    pub fn query_jieba(&self, texts: &[&str]) -> Result<Arc<Jieba>> {
        let dict = self.resources().get("dictionary.txt")?;
        Ok(dictionary::for_texts(&dict, texts))
    }

    /// Open the index with a given jieba (a query-only one when the process only searches).
    fn open_with(&self, jieba: Arc<Jieba>) -> Result<IndexHandle, IndexError> {
        IndexHandle::open(&self.index_dir, jieba, &self.meta())
    }
}

/// Options of `tongbao index`.
#[derive(Debug, Clone, Default)]
pub struct IndexCommand {
    pub paths: Vec<PathBuf>,
    /// Rebuild from scratch.
    pub full: bool,
    pub build: BuildOptions,
}

/// Build or update the index; prints a summary line on stderr.
pub fn index(ctx: &Context, cmd: &IndexCommand) -> Result<BuildReport> {
    if cmd.paths.is_empty() {
        bail!("nothing to index: name at least one file or folder");
    }
    refuse_index_among_roots(&ctx.index_dir, &cmd.paths)?;
    let extractor = ctx.extractor()?;
    let progress = Progress::new(ctx.quiet);
    let on_event = |e: Event| match e {
        Event::Found(n) => progress.set_len(n),
        Event::Progress => progress.inc(),
        Event::Skipped(path, reason) => progress.println(&format!(
            "tongbao: skipped {}: {}",
            render::sanitize(&path.display().to_string()),
            render::sanitize(&render::cap_line(reason))
        )),
        Event::Note(path, note) => progress.println(&format!(
            "tongbao: note {}: {}",
            render::sanitize(&path.display().to_string()),
            render::sanitize(&render::cap_line(note))
        )),
    };
    let started = std::time::Instant::now();
    let report = match open_for_writing(ctx, &cmd.paths, cmd.full, &cmd.build, &extractor, &on_event)? {
        Opened::Ready(handle) => {
            let report = build::update(&handle, &cmd.paths, &extractor, &cmd.build, &on_event)?;
            crate::index::record_roots(&ctx.index_dir, &cmd.paths);
            report
        }
        Opened::Rebuilt(_, report) => report,
    };
    progress.finish();
    if !ctx.quiet {
        eprintln!(
            "tongbao: indexed into {} in {:.1}s: {}",
            render::sanitize(&ctx.index_dir.display().to_string()),
            started.elapsed().as_secs_f64(),
            report.summary()
        );
    }
    Ok(report)
}

/// tongbao keeps its index apart from bulletins: an index folder that is itself a folder
/// being indexed, or holds one, is refused. (One inside an indexed folder is fine: the
/// walk never enters it.)
fn refuse_index_among_roots(index_dir: &Path, paths: &[PathBuf]) -> Result<()> {
    let index = crate::source::identity(index_dir);
    for p in paths {
        let root = crate::source::identity(p);
        if root.starts_with(&index) {
            let how = if root == index { "is" } else { "holds" };
            bail!(
                "the index folder {} {how} {}, which is being indexed; tongbao keeps its index apart from bulletins: point --index at a folder of its own (for example {}-index)",
                render::sanitize(&index_dir.display().to_string()),
                render::sanitize(&p.display().to_string()),
                render::sanitize(&root.display().to_string()),
            );
        }
    }
    Ok(())
}

/// An index ready to be written: opened or created, or rebuilt in full just now.
pub enum Opened {
    Ready(IndexHandle),
    /// Rebuilt from every recorded root and the paths given, with what the rebuild did.
    Rebuilt(IndexHandle, BuildReport),
}

/// Open the index for writing, creating it when there is none. An index built by another
/// version of tongbao cannot be updated in place (its segmentation or fields differ), and
/// `full` asks for a rebuild: both are rebuilt beside the index from every root it records
/// plus `paths`, and swapped in when complete (see `index::rebuild`), saying so on stderr.
pub fn open_for_writing(
    ctx: &Context,
    paths: &[PathBuf],
    full: bool,
    opts: &BuildOptions,
    extractor: &Extractor,
    on_event: &(dyn Fn(Event) + Sync),
) -> Result<Opened> {
    let jieba = ctx.jieba()?;
    let meta = ctx.meta();
    let dir = &ctx.index_dir;
    let shown = render::sanitize(&dir.display().to_string());
    let why = match IndexHandle::open(dir, jieba.clone(), &meta) {
        Ok(h) if !full => return Ok(Opened::Ready(h)),
        Ok(_) => format!("rebuilding the index at {shown} (--full)"),
        Err(IndexError::NotFound(_)) => return Ok(Opened::Ready(IndexHandle::create(dir, jieba, &meta)?)),
        Err(IndexError::VersionMismatch { found, wanted, .. }) => {
            format!("the index at {shown} was built by another version of tongbao ({found}; this binary needs {wanted}); rebuilding it")
        }
        // A damaged index, or one whose record is lost: `--full` is the way out the
        // messages name, and the folder is tongbao's to rebuild.
        Err(e @ (IndexError::NotAnIndex(..) | IndexError::Tantivy { .. })) if full && dir.is_dir() => {
            if !crate::index::folder::is_ours(dir) {
                return Err(e.into());
            }
            format!("rebuilding the index at {shown} (--full)")
        }
        Err(e) => return Err(e.into()),
    };
    let roots = crate::index::rebuild::roots_for(dir, paths);
    // Said even with -q: a rebuild takes as long as the first build did.
    let list: Vec<String> = roots.iter().map(|p| p.display().to_string()).collect();
    eprintln!("tongbao: {why} from {}", render::sanitize(&list.join(" ")));
    let report = crate::index::rebuild::rebuild(dir, &roots, jieba.clone(), &meta, extractor, opts, on_event)?;
    Ok(Opened::Rebuilt(IndexHandle::open(dir, jieba, &meta)?, report))
}

/// Options of `tongbao watch`.
#[derive(Debug, Clone, Default)]
pub struct WatchCommand {
    pub paths: Vec<PathBuf>,
    pub watch: crate::index::watch::WatchOptions,
}

/// Catch up with `paths`, then keep the index current until Ctrl-C (or SIGTERM), which
/// commits what is pending and returns. A second Ctrl-C exits at once; the index stays
/// at its last commit.
pub fn watch(ctx: &Context, cmd: &WatchCommand) -> Result<()> {
    use crate::index::watch::{self, WatchEvent};
    use std::sync::atomic::{AtomicBool, Ordering};

    if cmd.paths.is_empty() {
        bail!("nothing to watch: name at least one folder");
    }
    for p in &cmd.paths {
        if !p.exists() {
            bail!("cannot watch {}: no such file or folder", render::sanitize(&p.display().to_string()));
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    })
    .context("installing the Ctrl-C handler")?;
    refuse_index_among_roots(&ctx.index_dir, &cmd.paths)?;
    let extractor = ctx.extractor()?;
    let on_build = |e: Event| {
        if let Event::Skipped(path, reason) = e {
            eprintln!("tongbao: skipped {}: {}", render::sanitize(&path.display().to_string()), render::sanitize(&render::cap_line(reason)));
        }
    };
    let handle = match open_for_writing(ctx, &cmd.paths, false, &cmd.watch.build, &extractor, &on_build)? {
        Opened::Ready(h) | Opened::Rebuilt(h, _) => h,
    };
    crate::index::record_roots(&ctx.index_dir, &cmd.paths);
    let quiet = ctx.quiet;
    let on_event = |e: WatchEvent| {
        if let Some(line) = watch_event_line(&ctx.index_dir, &e, quiet) {
            eprintln!("{line}");
        }
    };
    let total = watch::watch(&handle, &cmd.paths, &extractor, &cmd.watch, &stop, &on_event)?;
    if !quiet {
        eprintln!("tongbao: stopped; everything is committed ({})", total.summary());
    }
    Ok(())
}

/// The line a watch session prints on stderr for an event, if any (`quiet` keeps only
/// problems).
pub fn watch_event_line(index_dir: &Path, e: &crate::index::watch::WatchEvent, quiet: bool) -> Option<String> {
    use crate::index::watch::WatchEvent;
    let shown = || render::sanitize(&index_dir.display().to_string());
    match e {
        WatchEvent::CaughtUp(r) if !quiet => Some(format!("tongbao: {}: {}; watching for changes (Ctrl-C to stop)", shown(), r.summary())),
        WatchEvent::Committed(r) if !quiet => Some(format!("tongbao: {}", r.summary())),
        WatchEvent::Skipped(path, reason) => Some(format!(
            "tongbao: skipped {}: {}",
            render::sanitize(&path.display().to_string()),
            render::sanitize(&render::cap_line(reason))
        )),
        WatchEvent::Error(message) => Some(format!("tongbao: {}", render::sanitize(message))),
        WatchEvent::Resumed => Some(format!("tongbao: writing to the index at {} works again", shown())),
        _ => None,
    }
}

/// A progress bar on stderr, shown only on a terminal and when not quiet.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn new(quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} files [{bar:30}] {per_sec} eta {eta}") {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress(Some(bar))
    }
    fn set_len(&self, n: usize) {
        if let Some(b) = &self.0 {
            b.set_length(n as u64);
        }
    }
    fn inc(&self) {
        if let Some(b) = &self.0 {
            b.inc(1);
        }
    }
    fn println(&self, line: &str) {
        match &self.0 {
            Some(b) => b.println(line),
            None => eprintln!("{line}"),
        }
    }
    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// Options of `tongbao search`.
#[derive(Debug, Clone, Default)]
pub struct SearchCommand {
    pub query: String,
    pub json: bool,
    pub limit: usize,
    pub offset: usize,
    pub provinces: Vec<String>,
    pub cities: Vec<String>,
    pub categories: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: SortBy,
    pub facets: bool,
    /// Search only what was typed: no synonyms, no partial matches.
    pub exact: bool,
    /// Show what each hit's score is made of.
    pub explain: bool,
    /// Every copy of republished bulletins, not one per group.
    pub all: bool,
}

/// Run a search and print it. Builds the sample index first on a first run.
pub fn search(ctx: &Context, cmd: &SearchCommand, out: &mut dyn Write) -> Result<()> {
    // Searching segments nothing but the query: a query-only jieba saves the full
    // dictionary load. Its tokenizer, registered on the handle, must not cut documents.
    let query_jieba = ctx.query_jieba(&[&cmd.query])?;
    let handle = open_for_search(ctx, query_jieba.clone())?;
    // A blank query browses in the library; the CLI asks for words (clap requires one).
    if cmd.query.trim().is_empty() {
        return Err(search::SearchError::EmptyQuery.into());
    }
    let extractor = Extractor::for_search(ctx.schema_dir.as_deref()).context("loading extraction rules")?;
    let words = search::filters::FilterWords {
        provinces: cmd.provinces.clone(),
        cities: cmd.cities.clone(),
        categories: cmd.categories.clone(),
        from: cmd.from.clone(),
        to: cmd.to.clone(),
    };
    let filters = search::filters::resolve(&extractor, &words)?;
    let req = SearchRequest {
        query: cmd.query.clone(),
        filters,
        limit: if cmd.limit == 0 { 10 } else { cmd.limit },
        offset: cmd.offset,
        sort: cmd.sort,
        passages: 3,
        facets: cmd.facets,
        expansions: Vec::new(),
        synonyms: if cmd.exact { None } else { Some(Arc::new(search::Synonyms::load(&ctx.resources())?)) },
        partial: !cmd.exact,
        explain: cmd.explain,
        all_copies: cmd.all,
        categories: if cmd.exact { None } else { Some(extractor.category_rules()) },
    };
    // Expansions are segmented too, so the query-only jieba must know their words.
    let expanded = expansion_texts(&req);
    let texts: Vec<&str> = std::iter::once(req.query.as_str()).chain(expanded.iter().map(String::as_str)).collect();
    let jieba = if texts.len() == 1 { query_jieba } else { ctx.query_jieba(&texts)? };
    let results = crate::guard::catch(|| search::search(&handle, &jieba, &req)).map_err(|m| handle.damaged(&m))??;
    if results.truncated {
        eprintln!(
            "tongbao: the query was too long; only part of it was used (at most {} items, {} characters each, {} in all)",
            search::query::MAX_ITEMS,
            search::query::MAX_ITEM_CHARS,
            search::query::MAX_TOTAL_CHARS
        );
    }
    if cmd.json {
        for hit in &results.hits {
            render::print_json_line(out, hit)?;
        }
        if let Some(f) = &results.facets {
            render::print_json_line(out, &serde_json::json!({ "facets": f, "total": results.total }))?;
        }
    } else {
        render::print_text(out, &results, ctx.style(), &cmd.query)?;
        let dated_filter = req.filters.from.is_some() || req.filters.to.is_some();
        if dated_filter && !ctx.quiet {
            writeln!(out, "\n(Date filters leave out undated bulletins.)")?;
        }
    }
    Ok(())
}

/// Open the index for searching. On a first run with the default index in a folder that
/// has the samples, the index is built from them first (saying so on stderr).
pub fn open_for_search(ctx: &Context, jieba: Arc<Jieba>) -> Result<IndexHandle> {
    match ctx.open_with(jieba.clone()) {
        Ok(h) => Ok(h),
        Err(IndexError::NotFound(_)) if ctx.default_index && Path::new(SAMPLES).is_dir() => {
            eprintln!("tongbao: no index yet; building one from {SAMPLES}/ into {} first", render::sanitize(&ctx.index_dir.display().to_string()));
            let first = IndexCommand { paths: vec![PathBuf::from(SAMPLES)], ..Default::default() };
            index(&Context { quiet: true, ..ctx.clone() }, &first)?;
            Ok(ctx.open_with(jieba)?)
        }
        Err(e) => Err(e.into()),
    }
}

/// Every text the planner will segment besides the query: caller-given expansions, and
/// each query item with a synonym put in place of the phrase it replaces (the planner
/// segments the alternative together with the rest of the item).
fn expansion_texts(req: &SearchRequest) -> Vec<String> {
    let mut out: Vec<String> = req.expansions.iter().flatten().cloned().collect();
    let Some(synonyms) = &req.synonyms else { return out };
    for item in search::parse(&req.query).items() {
        let folded = crate::analysis::fold(&item.text);
        let chars: Vec<char> = folded.chars().collect();
        for found in synonyms.find(&folded) {
            let before: String = chars[..found.start.min(chars.len())].iter().collect();
            let after: String = chars[found.end.min(chars.len())..].iter().collect();
            out.extend(found.alternatives.iter().map(|alt| format!("{before}{alt}{after}")));
        }
    }
    out
}

/// What `extract --json` prints per file.
#[derive(Debug, Serialize)]
pub struct ExtractRecord {
    pub path: String,
    pub title: String,
    pub date: Option<String>,
    /// Where the date came from: `front-matter`, `sidecar`, `meta`, `dateline`, `signature`,
    /// `lead`, `text-year`, `url`, `path` (`null` when undated).
    pub date_source: Option<&'static str>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub categories: Vec<String>,
    pub format: String,
    pub encoding: String,
    pub body_chars: usize,
}

/// Read files and print what tongbao makes of them, without indexing.
pub fn extract(ctx: &Context, files: &[PathBuf], json: bool, out: &mut dyn Write) -> Result<usize> {
    let extractor = ctx.extractor()?;
    let read = crate::source::ReadOptions::default();
    let mut failures = 0;
    for path in files {
        match build::read_bulletin_noted(path, &extractor, &read) {
            Ok((b, _, notes)) => {
                for n in &notes {
                    eprintln!("tongbao: note {}: {}", render::sanitize(&path.display().to_string()), render::sanitize(&render::cap_line(n)));
                }
                let rec = ExtractRecord {
                    path: path.display().to_string(),
                    title: b.title.clone(),
                    date: b.date.map(|d| d.to_string()),
                    date_source: b.date_source.map(|s| s.as_str()),
                    province: b.region.province.clone(),
                    city: b.region.city.clone(),
                    categories: b.categories.clone(),
                    format: b.format.as_str().to_string(),
                    encoding: b.encoding.clone(),
                    body_chars: b.body.chars().count(),
                };
                if json {
                    render::print_json_line(out, &rec)?;
                } else {
                    writeln!(out, "{}", render::sanitize(&rec.path))?;
                    writeln!(out, "  title:      {}", render::sanitize(&rec.title))?;
                    match (&rec.date, rec.date_source) {
                        (Some(d), Some(s)) => writeln!(out, "  date:       {d} (from {s})")?,
                        (Some(d), None) => writeln!(out, "  date:       {d}")?,
                        (None, _) => writeln!(out, "  date:       undated")?,
                    }
                    let region = match (&rec.province, &rec.city) {
                        (Some(p), Some(c)) => format!("{p} / {c}"),
                        (Some(p), None) => p.clone(),
                        _ => "unknown".into(),
                    };
                    // Region and categories may come from the file's own front matter.
                    writeln!(out, "  region:     {}", render::sanitize(&region))?;
                    let categories = if rec.categories.is_empty() { "none".into() } else { rec.categories.join(" ") };
                    writeln!(out, "  categories: {}", render::sanitize(&categories))?;
                    writeln!(out, "  format:     {} ({}), {} characters of text", rec.format, rec.encoding, rec.body_chars)?;
                }
            }
            Err(reason) => {
                failures += 1;
                eprintln!(
                    "tongbao: skipped {}: {}",
                    render::sanitize(&path.display().to_string()),
                    render::sanitize(&render::cap_line(&reason.to_string()))
                );
            }
        }
    }
    Ok(failures)
}

/// Print facet counts for the whole index.
pub fn facets(ctx: &Context, json: bool, out: &mut dyn Write) -> Result<()> {
    // Counting facets segments no text at all.
    let handle = ctx.open_with(ctx.query_jieba(&[])?)?;
    let reader = handle.index.reader().map_err(|e| handle.tantivy_error(e))?;
    let searcher = reader.searcher();
    let counts = handle.guarded(|| {
        search::facet_counts(&searcher, &tantivy::query::AllQuery).map_err(|e| handle.tantivy_error(e))
    })?;
    let total = searcher.num_docs();
    if json {
        render::print_json_line(out, &serde_json::json!({ "total": total, "facets": counts }))?;
    } else {
        writeln!(out, "{total} bulletins in {}", render::sanitize(&ctx.index_dir.display().to_string()))?;
        render::print_facets(out, &counts, ctx.style())?;
    }
    Ok(())
}

/// Verify the index; returns whether it is sound. With `repair`, fix what can be fixed
/// without the source files (a missing meta.json).
pub fn check(ctx: &Context, repair: bool, json: bool, out: &mut dyn Write) -> Result<bool> {
    // Checking tokenizes nothing: the query-only jieba spares the dictionary load.
    let report = crate::index::check::check(&ctx.index_dir, ctx.query_jieba(&[])?, &ctx.meta(), repair);
    if json {
        render::print_json_line(out, &report)?;
    } else {
        // Problems quote indexed paths, which are file names from bulletin folders.
        let dir = render::sanitize(&ctx.index_dir.display().to_string());
        for r in &report.repaired {
            writeln!(out, "repaired: {}", render::sanitize(r))?;
        }
        if report.ok() {
            writeln!(
                out,
                "{}: OK ({} bulletins in {} segments; checksums and bookkeeping verified)",
                dir,
                report.documents,
                report.segments
            )?;
        } else {
            writeln!(out, "{}: {} problem(s)", dir, report.problems.len())?;
            for p in &report.problems {
                writeln!(out, "  - {}\n    fix: {}", render::sanitize(&p.what), render::sanitize(&p.fix))?;
            }
        }
    }
    Ok(report.ok())
}

/// Run the benchmark (see [`crate::bench`]).
pub fn bench(opts: &crate::bench::BenchOptions, out: &mut dyn Write) -> Result<()> {
    crate::bench::run(opts, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The query-only jieba must cut everything the planner segments exactly as the full
    /// dictionary does, synonyms put into the query included; otherwise colloquial queries
    /// would quietly match less. Compared hit by hit, scores included.
    #[test]
    fn query_only_jieba_gives_the_same_hits_as_the_full_dictionary() {
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus-samples");
        let tmp = tempfile::tempdir().unwrap();
        let ctx = Context {
            index_dir: tmp.path().join("ix"),
            default_index: false,
            schema_dir: None,
            quiet: true,
            color: ColorChoice::Never,
        };
        let full = ctx.jieba().unwrap();
        let handle = IndexHandle::create(&ctx.index_dir, full.clone(), &ctx.meta()).unwrap();
        let extractor = ctx.extractor().unwrap();
        build::update(&handle, &[samples], &extractor, &BuildOptions::default(), &|_| {}).unwrap();
        let synonyms = Arc::new(search::Synonyms::load(&ctx.resources()).unwrap());
        for query in ["喝酒开车", "骗老人 追赃挽损", "黑社会 团伙", "电诈 OR 偷东西", "拐孩子", "吸毒贩毒", "查处酒后开车"] {
            let req = SearchRequest {
                query: query.to_string(),
                limit: 50,
                synonyms: Some(synonyms.clone()),
                categories: Some(extractor.category_rules()),
                ..Default::default()
            };
            let expanded = expansion_texts(&req);
            assert!(!expanded.is_empty() || query == "黑社会 团伙", "{query}: no synonyms found");
            let texts: Vec<&str> = std::iter::once(query).chain(expanded.iter().map(String::as_str)).collect();
            let quick = ctx.query_jieba(&texts).unwrap();
            let a = search::search(&handle, &full, &req).unwrap();
            let b = search::search(&handle, &quick, &req).unwrap();
            let key = |r: &search::SearchResults| -> Vec<(String, String)> {
                r.hits.iter().map(|h| (h.path.clone(), format!("{:.4}", h.score))).collect()
            };
            assert_eq!(key(&a), key(&b), "{query}");
            assert_eq!(a.total, b.total, "{query}");
        }
    }
}

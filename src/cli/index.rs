//! `tongbao index`, `watch` and `remove`: bringing the index in line with folders of
//! bulletins, and saying what happened on stderr.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context as _, Result};
use tongbao::index::build::{self, BuildOptions, BuildReport, Event};
use tongbao::index::{IndexError, IndexHandle};
use tongbao::read::{Reader, Reading};
use tongbao::sanitize::sanitize;
use tongbao::source::ReadOptions;

use super::{file_line, shown, Context};

/// Options of `tongbao index`.
#[derive(Debug, Clone, Default)]
pub struct IndexCommand {
    pub paths: Vec<PathBuf>,
    /// Rebuild from scratch.
    pub full: bool,
    pub build: BuildOptions,
    pub read: ReadOptions,
}

/// Build or update the index; prints a summary line on stderr. A named file or folder that
/// no longer exists is removed from the index when it was indexed, and is an error
/// otherwise (the other paths are indexed all the same).
pub fn index(ctx: &Context, cmd: &IndexCommand) -> Result<BuildReport> {
    if cmd.paths.is_empty() {
        bail!("nothing to index: name at least one file or folder");
    }
    refuse_index_among_roots(&ctx.index_dir, &cmd.paths)?;
    let missing: Vec<PathBuf> = cmd.paths.iter().filter(|p| names_nothing(p)).cloned().collect();
    let missing_keys: Vec<PathBuf> = missing.iter().map(|p| tongbao::source::identity(p)).collect();
    if missing.len() == cmd.paths.len() && !ctx.index_dir.join("meta.json").exists() {
        bail!("cannot index {}: no such file or folder", shown(&missing[0]));
    }
    let extractor = ctx.extractor()?;
    let reader = Reader::new(&extractor, cmd.read.clone());
    let progress = Progress::new(ctx.quiet);
    let on_event = |e: Event| match e {
        Event::Found(n) => progress.set_len(n),
        Event::Progress => progress.inc(),
        // A named path that names nothing is reported once, below, not as a skipped file.
        Event::Skipped(path, _) if missing.iter().chain(&missing_keys).any(|m| m.as_path() == path) => {}
        Event::Skipped(path, reason) => progress.println(&file_line("skipped", path, reason)),
        Event::Note(path, note) => progress.println(&file_line("note", path, note)),
    };
    let started = std::time::Instant::now();
    let mut never_indexed = Vec::new();
    let report = match open_for_writing(ctx, &cmd.paths, cmd.full, &cmd.build, &reader, &on_event)? {
        Opened::Ready(handle) => {
            let known = if missing.is_empty() { Vec::new() } else { build::known_files_all(&handle)? };
            for (given, key) in missing.iter().zip(&missing_keys) {
                if known.iter().any(|k| k.starts_with(key)) {
                    progress.println(&file_line("removing", given, "it no longer exists, so it leaves the index"));
                } else {
                    never_indexed.push(given.clone());
                }
            }
            if never_indexed.len() == cmd.paths.len() {
                bail!("cannot index {}: no such file or folder", shown(&never_indexed[0]));
            }
            let report = build::update(&handle, &cmd.paths, &reader, &cmd.build, &on_event)?;
            let present: Vec<PathBuf> = cmd.paths.iter().filter(|p| !never_indexed.contains(p)).cloned().collect();
            tongbao::index::record_roots(&ctx.index_dir, &present);
            report
        }
        Opened::Rebuilt(_, report) => {
            never_indexed = missing.clone();
            report
        }
    };
    progress.finish();
    if !ctx.quiet {
        eprintln!("tongbao: indexed into {} in {:.1}s: {}", ctx.shown_index(), started.elapsed().as_secs_f64(), report.summary());
    }
    if let Some(first) = never_indexed.first() {
        let more = match never_indexed.len() {
            1 => String::new(),
            n => format!(" (and {} more named paths)", n - 1),
        };
        bail!("cannot index {}{more}: no such file or folder", shown(first));
    }
    Ok(report)
}

/// Whether a named path names nothing at all (not a file, folder or link).
fn names_nothing(path: &Path) -> bool {
    matches!(std::fs::symlink_metadata(path), Err(e) if e.kind() == std::io::ErrorKind::NotFound)
}

/// Options of `tongbao remove`.
#[derive(Debug, Clone, Default)]
pub struct RemoveCommand {
    /// Files, or folders whose every indexed file goes.
    pub paths: Vec<PathBuf>,
    /// Also every indexed file that no longer exists on disk.
    pub gone: bool,
}

/// Remove bulletins from the index by path, whether or not their files still exist.
/// Returns how many were removed; a path that the index does not hold is an error.
pub fn remove(ctx: &Context, cmd: &RemoveCommand) -> Result<usize> {
    if cmd.paths.is_empty() && !cmd.gone {
        bail!("nothing to remove: name files or folders, or give --gone");
    }
    let handle = ctx.open_with(ctx.query_jieba(&[])?)?;
    let extractor = ctx.extractor()?;
    let reader = Reader::new(&extractor, ReadOptions::default());
    let mut updater = build::Updater::open(&handle, &reader, &BuildOptions::default())?;
    let mut removed = 0;
    let mut unknown = Vec::new();
    for p in &cmd.paths {
        let key = tongbao::source::identity(p);
        let under: Vec<PathBuf> = updater.known().keys().filter(|k| k.starts_with(&key)).cloned().collect();
        if under.is_empty() {
            unknown.push(p.clone());
        }
        removed += under.iter().filter(|k| updater.remove(k)).count();
    }
    if cmd.gone {
        let gone: Vec<PathBuf> = updater.known().keys().filter(|k| tongbao::source::is_gone(k)).cloned().collect();
        removed += gone.iter().filter(|k| updater.remove(k)).count();
    }
    updater.commit()?;
    updater.finish();
    if !ctx.quiet {
        let noun = if removed == 1 { "bulletin" } else { "bulletins" };
        eprintln!("tongbao: removed {removed} {noun} from {}", ctx.shown_index());
    }
    if let Some(first) = unknown.first() {
        bail!("{} is not in the index {} (nothing indexed at or under it)", shown(first), ctx.shown_index());
    }
    Ok(removed)
}

/// tongbao keeps its index apart from bulletins: an index folder that is itself a folder
/// being indexed, or holds one, is refused. (One inside an indexed folder is fine: the
/// walk never enters it.)
fn refuse_index_among_roots(index_dir: &Path, paths: &[PathBuf]) -> Result<()> {
    let index = tongbao::source::identity(index_dir);
    for p in paths {
        let root = tongbao::source::identity(p);
        if root.starts_with(&index) {
            let how = if root == index { "is" } else { "holds" };
            bail!(
                "the index folder {} {how} {}, which is being indexed; tongbao keeps its index apart from bulletins: point --index at a folder of its own (for example {}-index)",
                shown(index_dir),
                shown(p),
                shown(&root),
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
    reading: &dyn Reading,
    on_event: &(dyn Fn(Event) + Sync),
) -> Result<Opened> {
    let jieba = ctx.jieba()?;
    let meta = ctx.meta();
    let dir = &ctx.index_dir;
    let shown = shown(dir);
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
            if !tongbao::index::folder::is_ours(dir) {
                return Err(e.into());
            }
            format!("rebuilding the index at {shown} (--full)")
        }
        Err(e) => return Err(e.into()),
    };
    let roots = tongbao::index::rebuild::roots_for(dir, paths);
    // Said even with -q: a rebuild takes as long as the first build did.
    let list: Vec<String> = roots.iter().map(|p| p.display().to_string()).collect();
    eprintln!("tongbao: {why} from {}", sanitize(&list.join(" ")));
    let report = tongbao::index::rebuild::rebuild(dir, &roots, jieba.clone(), &meta, reading, opts, on_event)?;
    Ok(Opened::Rebuilt(IndexHandle::open(dir, jieba, &meta)?, report))
}

/// Options of `tongbao watch`.
#[derive(Debug, Clone, Default)]
pub struct WatchCommand {
    pub paths: Vec<PathBuf>,
    pub watch: tongbao::index::watch::WatchOptions,
    pub read: ReadOptions,
}

/// Catch up with `paths`, then keep the index current until Ctrl-C (or SIGTERM), which
/// commits what is pending and returns. A second Ctrl-C exits at once; the index stays
/// at its last commit.
pub fn watch(ctx: &Context, cmd: &WatchCommand) -> Result<()> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use tongbao::index::watch::{self, WatchEvent};

    if cmd.paths.is_empty() {
        bail!("nothing to watch: name at least one folder");
    }
    for p in &cmd.paths {
        if !p.exists() {
            bail!("cannot watch {}: no such file or folder", shown(p));
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
    let reader = Reader::new(&extractor, cmd.read.clone());
    let on_build = |e: Event| {
        if let Event::Skipped(path, reason) = e {
            eprintln!("{}", file_line("skipped", path, reason));
        }
    };
    let handle = match open_for_writing(ctx, &cmd.paths, false, &cmd.watch.build, &reader, &on_build)? {
        Opened::Ready(h) | Opened::Rebuilt(h, _) => h,
    };
    tongbao::index::record_roots(&ctx.index_dir, &cmd.paths);
    let quiet = ctx.quiet;
    let on_event = |e: WatchEvent| {
        if let Some(line) = watch_event_line(&ctx.index_dir, &e, quiet) {
            eprintln!("{line}");
        }
    };
    let total = watch::watch(&handle, &cmd.paths, &reader, &cmd.watch, &stop, &on_event)?;
    if !quiet {
        eprintln!("tongbao: stopped; everything is committed ({})", total.summary());
    }
    Ok(())
}

/// The line a watch session prints on stderr for an event, if any (`quiet` keeps only
/// problems).
pub fn watch_event_line(index_dir: &Path, e: &tongbao::index::watch::WatchEvent, quiet: bool) -> Option<String> {
    use tongbao::index::watch::WatchEvent;
    let shown = || shown(index_dir);
    match e {
        WatchEvent::CaughtUp(r) if !quiet => Some(format!("tongbao: {}: {}; watching for changes (Ctrl-C to stop)", shown(), r.summary())),
        WatchEvent::Committed(r) if !quiet => Some(format!("tongbao: {}", r.summary())),
        WatchEvent::Skipped(path, reason) => Some(file_line("skipped", path, reason)),
        WatchEvent::Error(message) => Some(format!("tongbao: {}", sanitize(message))),
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

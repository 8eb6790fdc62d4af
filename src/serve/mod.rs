//! `tongbao serve`: the search page and a JSON API over HTTP, a front end like the CLI.
//!
//! Everything a request does is a library call the CLI makes too: filters are resolved by
//! `search::filters`, searches run `search::search_in` (the planner, ranking, passages and
//! hit objects of `search --json`), bulletins come from `search::view`, counts from
//! `search::facet_counts` — or, with `--store`, their SolrCloud counterparts in
//! `tongbao::cluster`, behind one seam ([`store::Store`]). This module only turns HTTP into
//! those calls and their results into JSON, and serves the page in `web/`.
//!
//! axum on tokio: the most used and actively maintained Rust HTTP stack (tokio-rs), with
//! graceful shutdown built in and nothing we do not use (no TLS, no HTTP/2: the server is
//! meant for loopback). Searching is CPU work and runs on a bounded pool of blocking
//! workers (see [`catalog::Workers`]), never on the async threads.

mod api;
mod catalog;
mod page;
mod params;
mod protect;
mod store;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::cli::{self as app, Context};
use anyhow::{bail, Context as _, Result};
use axum::routing::{any, get};
use axum::Router;
use tongbao::extract::Extractor;
use tongbao::index::build::{BuildOptions, Event};
use tongbao::index::folder;
use tongbao::index::watch::{self, WatchEvent, WatchOptions};
use tongbao::read::Reader;
use tongbao::search::Synonyms;

use catalog::{Catalog, Workers};
use protect::AllowedHosts;
use store::Store;

/// Options of `tongbao serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// `host:port` to listen on; port 0 picks a free one (the printed URL says which).
    pub listen: String,
    /// Folders to keep the index current with while serving (as `tongbao watch` does).
    pub watch: Vec<PathBuf>,
}

/// What every handler shares.
#[derive(Clone)]
pub struct Server {
    catalog: Arc<Catalog>,
    workers: Workers,
}

/// Open the index (or connect to the `--store` cluster), start the server (and the
/// watcher), and serve until Ctrl-C or SIGTERM.
pub fn run(ctx: &Context, opts: &ServeOptions) -> Result<()> {
    let jieba = ctx.jieba()?;
    let store = match &ctx.store {
        Some(url) => {
            if !opts.watch.is_empty() {
                bail!("`tongbao serve --watch` keeps a local index current and does not work with a SolrCloud store (--store {url}); serve without --watch, and keep the collection current with `tongbao index --store`");
            }
            Store::cluster(url, &ctx.meta())?
        }
        None => Store::local(Arc::new(open_local(ctx, opts, jieba.clone())?))?,
    };
    let extractor = Extractor::for_search(ctx.schema_dir.as_deref()).context("loading extraction rules")?;
    let synonyms = Arc::new(Synonyms::load(&ctx.resources())?);
    let watching = opts.watch.iter().map(|p| tongbao::paths::absolute(p)).collect();
    let catalog = Arc::new(Catalog::new(store, jieba, extractor, synonyms, watching));
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the server's runtime")?;
    runtime.block_on(serve(ctx, opts, catalog))
}

/// The local index, brought up to date with the watched folders first when watching.
fn open_local(ctx: &Context, opts: &ServeOptions, jieba: Arc<jieba_rs::Jieba>) -> Result<tongbao::index::IndexHandle> {
    if opts.watch.is_empty() {
        Ok(app::open_for_search(ctx, jieba)?)
    } else {
        for p in &opts.watch {
            if !p.exists() {
                bail!("cannot watch {}: no such file or folder", p.display());
            }
        }
        // Say so before anything else when another process is writing: the server would
        // otherwise start and then lose its watcher.
        let index_dir = &ctx.index_dir;
        if index_dir.join(folder::WRITER_LOCK).exists() {
            drop(folder::lock(index_dir)?);
        }
        let extractor = ctx.extractor()?;
        let on_build = |e: Event| {
            if let Event::Skipped(path, reason) = e {
                eprintln!("{}", app::file_line("skipped", path, reason));
            }
        };
        let handle = match app::open_for_writing(ctx, &opts.watch, false, &BuildOptions::default(), &Reader::new(&extractor, Default::default()), &on_build)? {
            app::Opened::Ready(h) | app::Opened::Rebuilt(h, _) => h,
        };
        tongbao::index::record_roots(index_dir, &opts.watch);
        Ok(handle)
    }
}

fn router(server: Server, hosts: AllowedHosts) -> Router {
    Router::new()
        .route("/", get(page::search_page))
        .route("/bulletin/{id}", get(page::bulletin_page))
        .route("/assets/{name}", get(page::asset))
        .route("/api/search", get(api::search))
        .route("/api/bulletin/{id}", get(api::bulletin))
        .route("/api/facets", get(api::facets))
        .route("/api/health", get(api::health))
        .route("/api/{*rest}", any(api::unknown_endpoint))
        .fallback(page::not_found)
        .with_state(server)
        .layer(axum::middleware::from_fn_with_state(hosts, protect::host))
        .layer(axum::middleware::from_fn(protect::headers))
}

async fn serve(ctx: &Context, opts: &ServeOptions, catalog: Arc<Catalog>) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(&opts.listen).await.with_context(|| format!("cannot listen on {}", opts.listen))?;
    let addr = listener.local_addr().context("reading the listening address")?;
    let server = Server { catalog: catalog.clone(), workers: Workers::new() };
    let app = router(server, AllowedHosts::for_listener(addr));

    let stop = Arc::new(AtomicBool::new(false));
    let (watch_ended, watcher_gone) = tokio::sync::oneshot::channel::<()>();
    let watched_index = if opts.watch.is_empty() { None } else { catalog.store.local_handle() };
    let watcher = if let Some(handle) = watched_index {
        let (handle, paths, stop) = (handle.clone(), opts.watch.clone(), stop.clone());
        let (extractor, index_dir, quiet) = (ctx.extractor()?, ctx.index_dir.clone(), ctx.quiet);
        let thread = std::thread::Builder::new()
            .name("watch".into())
            .spawn(move || {
                let on_event = |e: WatchEvent| {
                    if let Some(line) = app::watch_event_line(&index_dir, &e, quiet) {
                        eprintln!("{line}");
                    }
                };
                let result = watch::watch(&handle, &paths, &Reader::new(&extractor, Default::default()), &WatchOptions::default(), &stop, &on_event);
                let _ = watch_ended.send(());
                result
            })
            .context("starting the watcher")?;
        Some(thread)
    } else {
        None
    };

    let documents = {
        let catalog = catalog.clone();
        tokio::task::spawn_blocking(move || catalog.store.figures()).await.context("counting the bulletins")??.documents
    };
    let url = format!("http://{addr}/");
    let noun = if documents == 1 { "bulletin" } else { "bulletins" };
    let exposure = if addr.ip().is_loopback() {
        "this machine only".to_string()
    } else {
        format!("EXPOSED: anyone who can reach this machine on port {} can search the index and read its bulletins; there is no login", addr.port())
    };
    // The URL line goes to stdout, alone, so scripts and tests can read it.
    let from = if ctx.store.is_some() { catalog.store.name() } else { ctx.index_dir.display().to_string() };
    println!("tongbao: serving {documents} {noun} from {from} at {url} ({exposure}; Ctrl-C stops)");
    use std::io::Write as _;
    let _ = std::io::stdout().flush();

    let served = axum::serve(listener, app).with_graceful_shutdown(shutdown_signal(watcher_gone, watcher.is_some())).await;
    // In-flight requests have been answered; now the watcher commits what is pending.
    stop.store(true, Ordering::SeqCst);
    let watched = match watcher {
        Some(thread) => match thread.join() {
            Ok(result) => Some(result),
            Err(_) => bail!("the watcher stopped unexpectedly; the index is at its last commit"),
        },
        None => None,
    };
    served.context("serving")?;
    match watched {
        Some(Ok(total)) => {
            if !ctx.quiet {
                eprintln!("tongbao: stopped; everything is committed ({})", total.summary());
            }
        }
        Some(Err(e)) => return Err(e.into()),
        None => {
            if !ctx.quiet {
                eprintln!("tongbao: stopped");
            }
        }
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM, or when the watcher ended by itself (an error it
/// reports once joined). A second Ctrl-C while shutting down exits at once; the index
/// stays at its last commit.
async fn shutdown_signal(watcher_gone: tokio::sync::oneshot::Receiver<()>, watching: bool) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    let watcher = async {
        if watching {
            let _ = watcher_gone.await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
        _ = watcher => {}
    }
    tokio::spawn(async {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("tongbao: stopped at once; the index is at its last commit");
            std::process::exit(130);
        }
    });
}

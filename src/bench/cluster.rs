//! `tongbao bench-cluster` (hidden; `bench/cluster.sh` runs it against the 2-node harness):
//! the same generated corpus indexed into the local index and into the SolrCloud
//! collection that `--store` names, in one run, each by a `tongbao index` process of its
//! own — bulletins/s and MB/s of files for both, a second run that finds nothing changed,
//! and what a bulletin costs on the cluster's disks (Solr's core index sizes, leaders only
//! and every replica). The cluster's figures include Solr's work on the same machine: on
//! the harness, tongbao and both Solr nodes share the cores.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context as _, Result};

use super::{corpus, dir_size, load, mb, run_child, BENCH_MARK};
use crate::cluster::{configset, status, Solr, SolrUrl};
use crate::index::IndexMeta;
use crate::resources::Resources;

/// Options of `tongbao bench-cluster`.
#[derive(Debug, Clone)]
pub struct ClusterBenchOptions {
    pub store: SolrUrl,
    pub docs: usize,
    pub dir: PathBuf,
    pub keep: bool,
    pub seed: u64,
    pub samples: Option<PathBuf>,
}

pub fn run(opts: &ClusterBenchOptions, out: &mut dyn Write) -> Result<()> {
    let dir = &opts.dir;
    if std::fs::read_dir(dir).is_ok_and(|mut e| e.next().is_some()) && !dir.join(BENCH_MARK).is_file() {
        bail!("{} holds files the benchmark did not make; give --dir a new or empty folder", crate::sanitize::sanitize(&dir.display().to_string()));
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    std::fs::write(dir.join(BENCH_MARK), "a tongbao bench work folder\n")?;
    let corpus_dir = dir.join("corpus");
    let index_dir = dir.join("index");
    let samples = opts.samples.clone().or_else(|| Some(PathBuf::from(crate::SAMPLES)).filter(|p| p.is_dir()));
    let manifest = match corpus::read_manifest(&corpus_dir) {
        Some(m) if m.docs == opts.docs && m.seed == opts.seed && m.generator == corpus::GENERATOR_VERSION => m,
        _ => {
            let _ = std::fs::remove_dir_all(&corpus_dir);
            corpus::generate(&corpus_dir, opts.docs, opts.seed, samples.as_deref(), &|_| {})?
        }
    };
    writeln!(out, "tongbao bench-cluster: {} bulletins, {:.1} MB of files; store {} (load {})", manifest.docs, mb(manifest.bytes), opts.store, load())?;
    let exe = dir.join("tongbao-under-test");
    std::fs::copy(std::env::current_exe()?, &exe).context("copying the tongbao binary")?;

    // The collection starts empty, made for this binary.
    let solr = Solr::connect(&opts.store)?;
    let meta = IndexMeta::current(&crate::read::fingerprint(&Resources::embedded()));
    configset::init(&solr, &meta, &configset::InitOptions { recreate: true, ..Default::default() })?;
    let _ = std::fs::remove_dir_all(&index_dir);

    let os = std::ffi::OsStr::new;
    let store = opts.store.to_string();
    let local_args = [os("--index"), index_dir.as_os_str(), os("index"), corpus_dir.as_os_str()];
    let cluster_args = [os("--store"), os(&store), os("index"), corpus_dir.as_os_str()];
    let mut rows = Vec::new();
    for (name, args) in [("local", &local_args), ("cluster", &cluster_args)] {
        for pass in ["first run", "nothing changed"] {
            let load_before = load();
            let log = dir.join(format!("{name}-{}.stderr", pass.replace(' ', "-")));
            let run = run_child(&exe, &args[..], &log)?;
            if !run.ok {
                bail!("tongbao index into the {name} store failed; see {}", log.display());
            }
            let secs = run.wall.as_secs_f64();
            writeln!(
                out,
                "{name}, {pass}: {secs:.1}s, {:.0} bulletins/s, {:.2} MB/s of files, tongbao CPU {:.1}s, peak RSS {:.0} MB (load {load_before} → {})",
                manifest.docs as f64 / secs,
                mb(manifest.bytes) / secs,
                run.cpu.as_secs_f64(),
                mb(run.peak_rss),
                load()
            )?;
            out.flush()?;
            rows.push((name, pass, secs));
        }
    }
    let local_bytes = dir_size(&index_dir);
    let st = status::status(&solr, &configset::schema_name(&meta))?;
    let per = |bytes: u64| bytes as f64 / st.documents.max(1) as f64;
    writeln!(out, "local index: {:.1} MB, {:.0} bytes per bulletin", mb(local_bytes), local_bytes as f64 / manifest.docs.max(1) as f64)?;
    writeln!(
        out,
        "cluster: {} documents; leaders {:.1} MB ({:.0} bytes per bulletin); all {} replicas {:.1} MB ({:.0} bytes per bulletin)",
        st.documents,
        mb(st.leader_index_bytes()),
        per(st.leader_index_bytes()),
        st.shards.iter().map(|s| s.replicas.len()).sum::<usize>(),
        mb(st.total_index_bytes()),
        per(st.total_index_bytes())
    )?;
    let first = |n: &str| rows.iter().find(|r| r.0 == n && r.1 == "first run").map(|r| r.2).unwrap_or(f64::NAN);
    writeln!(out, "cluster / local, first run wall time: {:.2}×", first("cluster") / first("local"))?;
    if !opts.keep {
        let _ = std::fs::remove_dir_all(dir);
    }
    Ok(())
}

//! CPU cost of indexing bulletins already in memory: the part of `tongbao index` after
//! reading files. Files are read and cleaned once; then each round assembles every bulletin
//! (fold, extract), fingerprints it (SimHash), turns it into a document and indexes it into
//! a fresh index, and prints wall time and the process's CPU time. CPU time is the figure
//! to compare on a shared machine: other processes stretch wall time, not CPU time.
//!
//!     cargo run --release --example index_cost -- DIR [ROUNDS]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tongbao::analysis::dictionary;
use tongbao::extract::Extractor;
use tongbao::index::build::{self, BuildOptions};
use tongbao::index::{simhash, to_document, FileStamp, IndexHandle, IndexMeta};
use tongbao::resources::Resources;

/// User + system CPU time of this process so far.
fn cpu_time() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; RUSAGE_SELF is always valid.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        usage.assume_init()
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "corpus-samples".into()));
    let rounds: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(5);
    let (files, _) = tongbao::source::walk(&[dir]);
    let docs: Vec<_> = files.iter().filter_map(|f| tongbao::source::read_file(f).ok()).collect();
    let bytes: usize = docs.iter().map(|d| d.title.len() + d.body.len()).sum();
    let resources = Resources::embedded();
    let jieba = dictionary::shared(&resources.get("dictionary.txt")?);
    let extractor = Extractor::load(None)?;
    let meta = IndexMeta::current(&tongbao::read::fingerprint(&resources));
    println!("{} bulletins, {:.1} MB of clean text", docs.len(), bytes as f64 / 1e6);
    let (mut walls, mut cpus) = (Vec::new(), Vec::new());
    for round in 1..=rounds {
        let tmp = tempfile::tempdir()?;
        let handle = IndexHandle::create(tmp.path(), jieba.clone(), &meta)?;
        let opts = BuildOptions { memory_budget: 200 << 20, threads: 2, ..Default::default() };
        let writer = build::open_writer(&handle, &opts)?;
        let (wall, cpu) = (Instant::now(), cpu_time());
        docs.par_iter().try_for_each(|doc| -> anyhow::Result<()> {
            let (bulletin, folds) = tongbao::read::assemble(doc.clone(), &extractor);
            let fingerprint = simhash::simhash(folds.body.text()).unwrap_or(0);
            let mut document = to_document(&bulletin, &folds, FileStamp::default(), &handle.fields);
            document.add_u64(handle.fields.simhash, fingerprint);
            writer.add_document(document)?;
            Ok(())
        })?;
        let mut writer = writer;
        writer.commit()?;
        writer.wait_merging_threads()?;
        let (wall, cpu) = (wall.elapsed(), cpu_time() - cpu);
        println!(
            "round {round}: wall {:.2} s, CPU {:.2} s ({:.1} MB of text per CPU second)",
            wall.as_secs_f64(),
            cpu.as_secs_f64(),
            bytes as f64 / 1e6 / cpu.as_secs_f64()
        );
        walls.push(wall);
        cpus.push(cpu);
    }
    walls.sort();
    cpus.sort();
    let (wall, cpu) = (walls[walls.len() / 2], cpus[cpus.len() / 2]);
    println!(
        "median: wall {:.2} s, CPU {:.2} s, {:.1} MB of text per CPU second",
        wall.as_secs_f64(),
        cpu.as_secs_f64(),
        bytes as f64 / 1e6 / cpu.as_secs_f64()
    );
    Ok(())
}

//! Throughput of `Extractor::extract` alone (no file reading), single thread.
//!
//!     cargo run --release --example extract_bench [-- SET_DIR]
//!
//! Runs every document of SET_DIR/docs (default `/work/shared/eval/dev`) repeatedly, then
//! the same documents concatenated into one long page, and prints MB/s for both.

use std::path::PathBuf;
use std::time::Instant;

use tongbao::extract::Extractor;

fn main() -> anyhow::Result<()> {
    let set = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/work/shared/eval/dev"));
    let extractor = Extractor::load(None)?;
    let mut docs = Vec::new();
    for entry in std::fs::read_dir(set.join("docs"))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "txt") {
            docs.push(tongbao::source::read_file(&path)?);
        }
    }
    let bytes: usize = docs.iter().map(|d| d.body.len()).sum();
    let rounds = 200;
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..rounds {
        for d in &docs {
            n += extractor.extract(d).categories.len();
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!("small docs: {:.1} MB/s ({} docs x {rounds}, {n})", (bytes * rounds) as f64 / secs / 1e6, docs.len());

    // Where the time goes, per stage, on the small documents.
    let folded: Vec<String> = docs.iter().map(|d| tongbao::analysis::fold(&d.body)).collect();
    let t = Instant::now();
    for _ in 0..rounds {
        for d in &docs {
            n += tongbao::analysis::fold(&d.body).len();
        }
    }
    let fold_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for _ in 0..rounds {
        for f in &folded {
            n += extractor.categories().classify(f).len();
        }
    }
    let cat_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for _ in 0..rounds {
        for f in &folded {
            n += extractor.gazetteer().locate(f, 0, f.len().min(300), &[]).province.is_some() as usize;
        }
    }
    let reg_s = t.elapsed().as_secs_f64();
    let finder = extractor.dates();
    let t = Instant::now();
    for _ in 0..rounds {
        for f in &folded {
            n += finder.find(f, 0..f.len().min(300), Default::default()).is_some() as usize;
        }
    }
    let date_s = t.elapsed().as_secs_f64();
    let mbs = |s: f64| (bytes * rounds) as f64 / s / 1e6;
    println!("  stages: fold {:.0} MB/s, categories {:.0} MB/s, region {:.0} MB/s, date {:.0} MB/s", mbs(fold_s), mbs(cat_s), mbs(reg_s), mbs(date_s));

    let mut big = docs[0].clone();
    big.body = docs.iter().map(|d| d.body.as_str()).collect::<Vec<_>>().join("\n").repeat(20);
    let t = Instant::now();
    for _ in 0..20 {
        n += extractor.extract(&big).categories.len();
    }
    let secs = t.elapsed().as_secs_f64();
    println!("long page ({} KB): {:.1} MB/s ({n})", big.body.len() / 1024, (big.body.len() * 20) as f64 / secs / 1e6);
    Ok(())
}

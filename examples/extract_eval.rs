//! Measure metadata extraction on a labelled set, the way `shared/eval/evaluate.py` scores
//! it, without needing the CLI or an index.
//!
//!     cargo run --release --example extract_eval [-- SET_DIR]
//!
//! SET_DIR (default `/work/shared/eval/dev`, or `$TONGBAO_EVAL_SET`) holds `labels.jsonl`
//! and `docs/<id>.txt`. Prints province and city accuracy (exact match; `全国` and null
//! count as values), date accuracy over labelled dates with the number of false dates
//! (a date given where the label has none), micro F1 over category facet paths, then one
//! line per document that differs.

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::Context;
use tongbao::extract::Extractor;

fn main() -> anyhow::Result<()> {
    let set =
        std::env::args().nth(1).or_else(|| std::env::var("TONGBAO_EVAL_SET").ok()).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/work/shared/eval/dev"));
    let labels_path = set.join("labels.jsonl");
    let labels = std::fs::read_to_string(&labels_path).with_context(|| format!("reading {}", labels_path.display()))?;
    let extractor = Extractor::load(None)?;

    let (mut n, mut prov_ok, mut city_ok, mut date_lab, mut date_ok, mut false_dates) = (0, 0, 0, 0, 0, 0);
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut bytes = 0usize;
    let mut mismatches = Vec::new();
    let started = std::time::Instant::now();
    for (i, line) in labels.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let lab: serde_json::Value = serde_json::from_str(line).with_context(|| format!("{}:{}: bad JSON", labels_path.display(), i + 1))?;
        let id = lab["id"].as_str().with_context(|| format!("{}:{}: no id", labels_path.display(), i + 1))?;
        let path = set.join("docs").join(format!("{id}.txt"));
        let doc = tongbao::source::read_file(&path).with_context(|| format!("reading {}", path.display()))?;
        bytes += doc.body.len();
        let got = extractor.extract(&doc);
        n += 1;

        let (lp, lc, ld) = (lab["province"].as_str(), lab["city"].as_str(), lab["date"].as_str());
        let gd = got.date.map(|d| d.format("%Y-%m-%d").to_string());
        let p_ok = got.region.province.as_deref() == lp;
        let c_ok = got.region.city.as_deref() == lc;
        prov_ok += p_ok as usize;
        city_ok += c_ok as usize;
        let mut d_bad = false;
        match ld {
            Some(ld) => {
                date_lab += 1;
                if gd.as_deref() == Some(ld) {
                    date_ok += 1;
                } else {
                    d_bad = true;
                }
            }
            None if gd.is_some() => {
                false_dates += 1;
                d_bad = true;
            }
            None => {}
        }
        let lcat: BTreeSet<String> = lab["categories"].as_array().into_iter().flatten().filter_map(|c| c.as_str().map(String::from)).collect();
        let gcat: BTreeSet<String> = got.categories.iter().cloned().collect();
        tp += gcat.intersection(&lcat).count();
        fp += gcat.difference(&lcat).count();
        fn_ += lcat.difference(&gcat).count();
        if !p_ok || !c_ok || d_bad || gcat != lcat {
            mismatches.push(format!(
                "  {id}: province {:?}/{:?} city {:?}/{:?} date {:?}/{:?} +cat {:?} -cat {:?}",
                got.region.province.as_deref(),
                lp,
                got.region.city.as_deref(),
                lc,
                gd.as_deref(),
                ld,
                gcat.difference(&lcat).collect::<Vec<_>>(),
                lcat.difference(&gcat).collect::<Vec<_>>(),
            ));
        }
    }
    let elapsed = started.elapsed();
    let f1 = if tp == 0 { 0.0 } else { 2.0 * tp as f64 / (2 * tp + fp + fn_) as f64 };
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    println!(
        "extraction ({n} docs): province {:.3}  city {:.3}  date {:.3} (false dates {false_dates})  categories F1 {:.3} (P {:.3} R {:.3})",
        ratio(prov_ok, n),
        ratio(city_ok, n),
        ratio(date_ok, date_lab),
        f1,
        ratio(tp, tp + fp),
        ratio(tp, tp + fn_),
    );
    println!("  ({bytes} bytes in {:.1} ms, extraction only)", elapsed.as_secs_f64() * 1000.0);
    for m in mismatches {
        println!("{m}");
    }
    Ok(())
}

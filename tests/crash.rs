//! End to end: `kill -9` at any moment of `tongbao index` leaves the index openable at its
//! last commit, and the next run completes it with nothing lost and nothing doubled.

mod support;

use std::collections::HashSet;
use std::fs;
use std::time::Instant;

use support::*;

const FILES: u64 = 3000;

#[test]
fn kill_9_mid_index_loses_and_doubles_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("idx");
    for i in 0..FILES {
        let dir = docs.join(format!("{:02}", i % 30));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(format!("{i}.txt")), bulletin_text(i, 40)).unwrap();
    }
    let docs_arg = docs.to_str().unwrap();

    // How long an uninterrupted first run takes here, to spread the kills over it.
    let probe = tmp.path().join("probe");
    let start = Instant::now();
    ok(&probe, &["index", docs_arg]);
    let full = start.elapsed();
    eprintln!("a full run takes {full:?}");

    let mut interrupted = 0;
    for (round, fraction) in [0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 1.1].into_iter().enumerate() {
        // Change the folder between rounds so killed runs have adds, updates and removals.
        let n = round as u64;
        fs::write(docs.join(format!("00/{}.txt", n * 30)), bulletin_text(10_000 + n, 40)).unwrap();
        let mut child = tongbao(&index).args(["-q", "index", docs_arg]).spawn().unwrap();
        std::thread::sleep(full.mul_f64(fraction));
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // Openable at its last commit after every kill.
        let o = run(&index, &["facets", "--json"]);
        let openable = o.status.success() || stderr(&o).contains("no index at");
        assert!(openable, "round {round}: {}", stderr(&o));
    }
    eprintln!("{interrupted} of 7 runs were killed before they finished");
    assert!(interrupted >= 2, "the corpus indexed too fast to kill a run midway");

    fs::remove_file(docs.join("01/1.txt")).unwrap();
    let o = ok(&index, &["index", docs_arg]);
    eprintln!("{}", stderr(&o));
    let expected = FILES - 1;
    assert_eq!(doc_count(&index), expected);
    let paths = hit_paths(&index, "公安机关");
    let unique: HashSet<&String> = paths.iter().collect();
    assert_eq!(paths.len() as u64, expected, "every bulletin once");
    assert_eq!(unique.len(), paths.len(), "no path twice");
    // The last change made before the final runs is what the index holds.
    assert_eq!(hit_paths(&index, "10006号警情").len(), 1);
    // A further run finds nothing to do.
    let o = ok(&index, &["index", docs_arg]);
    assert!(stderr(&o).contains(&format!("0 added, 0 updated, 0 removed, {expected} unchanged")), "{}", stderr(&o));
}

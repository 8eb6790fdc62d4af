//! The library's modules depend on each other one way: reading below indexing, indexing
//! below searching, nothing below reaching back up (ARCHITECTURE.md). A circle creeps in
//! one convenient `use crate::…` at a time and nothing else notices, so this test reads
//! the library's sources, collects which top-level module names which, and fails on a
//! circle, naming it. Test code is left out: a test may build whatever it needs.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Modules of the binary (front ends) are above the library and may use all of it.
const FRONT_ENDS: [&str; 3] = ["main", "cli", "serve"];

fn top_module(rel: &Path) -> String {
    let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    first.trim_end_matches(".rs").to_string()
}

/// The production part of a source file: everything before its `#[cfg(test)]` module.
fn production(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |i| &text[..i])
}

/// The top-level modules a piece of source names as `crate::NAME`.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !name.is_empty() && name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
            out.insert(name);
        }
    }
    out
}

fn collect(dir: &Path, root: &Path, graph: &mut BTreeMap<String, BTreeSet<String>>) {
    for entry in fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(&path, root, graph);
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !name.ends_with(".rs") || name == "tests.rs" {
            continue;
        }
        let rel = path.strip_prefix(root).expect("under src");
        let top = top_module(rel);
        if top == "lib" || FRONT_ENDS.contains(&top.as_str()) {
            continue;
        }
        let text = fs::read_to_string(&path).expect("read source");
        let edges = graph.entry(top.clone()).or_default();
        edges.extend(named_modules(production(&text)).into_iter().filter(|m| *m != top));
    }
}

/// A path of modules from `from` to `to` along the graph's edges, if there is one.
fn path_between(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> Option<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![vec![from.to_string()]];
    while let Some(path) = stack.pop() {
        let last = path.last().expect("non-empty").clone();
        if last == to {
            return Some(path);
        }
        if !seen.insert(last.clone()) {
            continue;
        }
        for next in graph.get(&last).into_iter().flatten() {
            let mut longer = path.clone();
            longer.push(next.clone());
            stack.push(longer);
        }
    }
    None
}

#[test]
fn the_library_modules_form_no_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = BTreeMap::new();
    collect(&root, &root, &mut graph);
    assert!(graph.contains_key("index") && graph.contains_key("search"), "the scan found the library: {graph:?}");
    let mut circles = Vec::new();
    for (module, uses) in &graph {
        for used in uses {
            if let Some(back) = path_between(&graph, used, module) {
                circles.push(format!("{module} -> {}", back.join(" -> ")));
            }
        }
    }
    assert!(circles.is_empty(), "import circles between library modules:\n{}", circles.join("\n"));
}

#[test]
fn the_scan_sees_a_circle_when_there_is_one() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.entry("source".into()).or_default().extend(named_modules("use crate::index::META_FILE; // crate::paths"));
    graph.entry("index".into()).or_default().extend(named_modules(production("use crate::read::Reading;\n#[cfg(test)]\nuse crate::bench;")));
    graph.entry("read".into()).or_default().extend(named_modules("use crate::source::{self, Problem};"));
    assert_eq!(graph["source"], BTreeSet::from(["index".to_string(), "paths".to_string()]));
    assert_eq!(graph["index"], BTreeSet::from(["read".to_string()]), "test code is left out");
    assert_eq!(path_between(&graph, "index", "source"), Some(vec!["index".into(), "read".into(), "source".into()]));
    assert_eq!(path_between(&graph, "paths", "source"), None);
}

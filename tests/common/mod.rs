//! Helpers shared by the end-to-end tests: run the built binary and read its output.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tongbao"));
    c.env_remove("TONGBAO_INDEX").env_remove("TONGBAO_SCHEMA").env_remove("NO_COLOR");
    c
}

pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus-samples")
}

/// Run with arguments; panics with stderr on a spawn failure only.
pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("spawn tongbao")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A temporary index built from corpus-samples.
pub struct SampleIndex {
    pub dir: tempfile::TempDir,
}

impl SampleIndex {
    pub fn build() -> SampleIndex {
        let dir = tempfile::tempdir().expect("tempdir");
        let o = run(&["--index", dir.path().join("ix").to_str().unwrap(), "index", samples().to_str().unwrap()]);
        assert!(o.status.success(), "index failed: {}", stderr(&o));
        SampleIndex { dir }
    }

    pub fn path(&self) -> String {
        self.dir.path().join("ix").to_string_lossy().into_owned()
    }

    pub fn search(&self, args: &[&str]) -> Output {
        let ix = self.path();
        let mut all = vec!["--index", ix.as_str(), "search"];
        all.extend_from_slice(args);
        run(&all)
    }

    /// NDJSON hits of a search.
    pub fn hits(&self, args: &[&str]) -> Vec<serde_json::Value> {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--json", "--limit", "100"]);
        let o = self.search(&all);
        assert!(matches!(o.status.code(), Some(0 | 1)), "search {args:?} failed: {}", stderr(&o));
        stdout(&o)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("valid JSON line"))
            .filter(|v| v.get("path").is_some())
            .collect()
    }
}

pub fn file_names(hits: &[serde_json::Value]) -> Vec<String> {
    hits.iter().map(|h| Path::new(h["path"].as_str().unwrap_or("")).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()).collect()
}

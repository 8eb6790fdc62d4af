//! Crime categories: the rules of `index-schema/categories.toml` (facet path → cue words,
//! minus look-alike phrases) and the multi-label matcher built from them.
//!
//! All cue and exclusion phrases go into one Aho-Corasick automaton, so a document is read
//! once however many rules there are. A cue occurrence counts unless an exclusion phrase of
//! the same category covers it: `经侦查` hides the `经侦` inside it, `打盗骗保民安` the `骗保`.

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

use crate::resources::ResourceError;

use super::fold;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default, rename = "category")]
    categories: Vec<RuleEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleEntry {
    path: String,
    #[serde(default)]
    cues: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

/// What one automaton pattern belongs to.
#[derive(Debug, Clone, Copy)]
struct Owner {
    category: usize,
    exclude: bool,
}

/// The category rules, ready to match. Build once with [`CategoryRules::parse`].
#[derive(Debug)]
pub struct CategoryRules {
    paths: Vec<String>,
    /// Extra names a user may type for a category (`电诈` → `/诈骗/电信网络诈骗`).
    aliases: Vec<(String, usize)>,
    ac: AhoCorasick,
    owners: Vec<Vec<Owner>>,
}

impl CategoryRules {
    /// Parse the TOML rules (format documented at the top of `categories.toml`).
    pub fn parse(toml_text: &str) -> Result<Self, ResourceError> {
        let invalid = |reason: String| ResourceError::Invalid { name: "categories.toml".into(), reason };
        let file: RulesFile = toml::from_str(toml_text).map_err(|e| invalid(e.to_string()))?;
        let mut paths = Vec::new();
        let mut aliases = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<Owner>> = Vec::new();
        let add = |s: &str, owner: Owner, patterns: &mut Vec<String>, owners: &mut Vec<Vec<Owner>>| {
            let s = fold(s.trim());
            if s.is_empty() {
                return;
            }
            match patterns.iter().position(|p| *p == s) {
                Some(i) => owners[i].push(owner),
                None => {
                    patterns.push(s);
                    owners.push(vec![owner]);
                }
            }
        };
        for entry in &file.categories {
            let path = normalize_path(&entry.path)
                .ok_or_else(|| invalid(format!("category path {:?} must look like /诈骗/养老诈骗", entry.path)))?;
            if paths.contains(&path) {
                return Err(invalid(format!("category {path} is defined twice")));
            }
            if entry.cues.is_empty() {
                return Err(invalid(format!("category {path} has no cues")));
            }
            let category = paths.len();
            paths.push(path);
            for cue in &entry.cues {
                add(cue, Owner { category, exclude: false }, &mut patterns, &mut owners);
            }
            for ex in &entry.exclude {
                add(ex, Owner { category, exclude: true }, &mut patterns, &mut owners);
            }
            for a in &entry.aliases {
                aliases.push((fold(a.trim()), category));
            }
        }
        if paths.is_empty() {
            return Err(invalid("no [[category]] entries".into()));
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|e| invalid(format!("cannot build cue automaton: {e}")))?;
        Ok(CategoryRules { paths, aliases, ac, owners })
    }

    /// Facet paths of every category whose cues occur in `text` (already folded to
    /// simplified script), in the order of the rules file.
    pub fn classify(&self, text: &str) -> Vec<String> {
        let mut cues: Vec<(usize, usize, usize)> = Vec::new();
        let mut excluded: Vec<(usize, usize, usize)> = Vec::new();
        for m in self.ac.find_overlapping_iter(text) {
            for o in &self.owners[m.pattern().as_usize()] {
                let span = (o.category, m.start(), m.end());
                if o.exclude {
                    excluded.push(span);
                } else {
                    cues.push(span);
                }
            }
        }
        let mut hit = vec![false; self.paths.len()];
        for (cat, s, e) in cues {
            if hit[cat] {
                continue;
            }
            let covered = excluded.iter().any(|&(c, xs, xe)| c == cat && xs <= s && e <= xe);
            if !covered {
                hit[cat] = true;
            }
        }
        self.paths.iter().zip(hit).filter(|(_, h)| *h).map(|(p, _)| p.clone()).collect()
    }

    /// The facet path a user means: a path (`/诈骗`, `诈骗/养老诈骗`), a leaf name
    /// (`养老诈骗`, `毒品`) or an alias from the rules file. Parents of rule paths count
    /// (`/诈骗` filters all fraud).
    pub fn resolve(&self, input: &str) -> Option<String> {
        let key = fold(input.trim());
        if key.is_empty() {
            return None;
        }
        if let Some(p) = normalize_path(&key) {
            if self.all_paths().contains(&p) {
                return Some(p);
            }
        }
        let leaf = key.trim_matches('/');
        let by_leaf: Vec<String> =
            self.all_paths().into_iter().filter(|p| p.rsplit('/').next() == Some(leaf)).collect();
        if let [one] = by_leaf.as_slice() {
            return Some(one.clone());
        }
        self.aliases.iter().find(|(a, _)| *a == leaf).map(|(_, c)| self.paths[*c].clone())
    }

    /// Every facet path a document can carry, with their parents (`/诈骗` before
    /// `/诈骗/电信网络诈骗`), in rules-file order.
    pub fn all_paths(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in &self.paths {
            let mut prefix = String::new();
            for part in p.trim_start_matches('/').split('/') {
                prefix.push('/');
                prefix.push_str(part);
                if !out.contains(&prefix) {
                    out.push(prefix.clone());
                }
            }
        }
        out
    }

    /// The facet paths of the rules themselves (leaves), in file order.
    pub fn rule_paths(&self) -> &[String] {
        &self.paths
    }
}

/// `诈骗/养老诈骗/` → `/诈骗/养老诈骗`; `None` for text that is not a path.
fn normalize_path(p: &str) -> Option<String> {
    let parts: Vec<&str> = p.split('/').map(str::trim).filter(|s| !s.is_empty()).collect();
    if parts.is_empty() || !p.contains('/') {
        return None;
    }
    Some(format!("/{}", parts.join("/")))
}

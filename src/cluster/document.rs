//! A bulletin as a Solr document.
//!
//! Solr must hold the very tokens the local index holds, at the same positions, or the
//! same query would find and score differently in the two stores. So the text fields are
//! sent pre-analyzed (`PreAnalyzedField`, JSON parser): the fold of the title and of the
//! body goes through [`crate::analysis::TextTokenizer`] — the tokenizer the local index
//! registers — and each token travels with its position as an increment over the previous
//! one (`i`; the first one's is its position + 1, stacked tokens have 0). The stored
//! `str` is the text as published, as the local index stores it beside the fold. Offsets
//! are left out: neither store indexes them (passages are found in the stored text).
//!
//! The other fields follow `index::to_document` (see `cluster/configset/schema.xml`):
//! facets become every ancestor path, so a filter on a province is one term; the u64
//! fingerprints travel as their i64 bit pattern or as hex, since Solr has no unsigned type.

use std::sync::Arc;

use jieba_rs::Jieba;
use serde_json::{json, Map, Value};
use tantivy::tokenizer::{TokenStream, Tokenizer};

use crate::analysis::{Folds, TextTokenizer};
use crate::bulletin::Bulletin;
use crate::index::FileStamp;

/// Field names of the Solr documents, as `cluster/configset/schema.xml` declares them.
pub mod field {
    pub const ID: &str = "id";
    pub const PATH: &str = "path";
    pub const TITLE: &str = "title";
    pub const BODY: &str = "body";
    pub const DATE: &str = "date";
    pub const YEAR: &str = "year";
    pub const REGION: &str = "region";
    pub const CATEGORY: &str = "category";
    pub const HASH: &str = "hash";
    pub const SIZE: &str = "size";
    pub const MTIME: &str = "mtime";
    pub const IDHASH: &str = "idhash";
    pub const FORMAT: &str = "format";
    pub const ENCODING: &str = "encoding";
    pub const URL: &str = "url";
    pub const GROUP: &str = "group";
    pub const SIMHASH: &str = "simhash";
}

/// The partition key of an id: its first 24 bits. Small enough that Solr's `mod()`, which
/// works in single-precision floats, computes `mod(idhash, N)` exactly, so an operator can
/// list a partition with `fq={!frange l=I u=I}mod(idhash,N)`. Ids are 16 hex digits (a
/// hash of the path); anything else hashes its bytes.
pub fn idhash(id: &str) -> i64 {
    match id.get(..6).and_then(|p| i64::from_str_radix(p, 16).ok()) {
        Some(v) => v,
        None => (u64::from_le_bytes(blake3::hash(id.as_bytes()).as_bytes()[..8].try_into().unwrap_or([0; 8])) >> 40) as i64,
    }
}

/// A near-duplicate group as Solr stores it: 16 hex digits (as a hit's `group` prints).
pub fn group_text(group: u64) -> String {
    format!("{group:016x}")
}

/// Makes the documents; holds the tokenizer.
#[derive(Clone)]
pub struct DocumentMaker {
    tokenizer: TextTokenizer,
}

impl DocumentMaker {
    pub fn new(jieba: Arc<Jieba>) -> DocumentMaker {
        DocumentMaker { tokenizer: TextTokenizer::new(jieba) }
    }

    /// The pre-analyzed value of a text field: `text` stored, the tokens of its fold.
    pub fn pre_analyzed(&self, text: &str, folded: &str) -> String {
        let mut tokenizer = self.tokenizer.clone();
        let mut stream = tokenizer.token_stream(folded);
        let mut tokens = Vec::new();
        let mut previous: Option<usize> = None;
        while stream.advance() {
            let t = stream.token();
            let increment = match previous {
                None => t.position + 1,
                Some(p) => t.position - p,
            };
            previous = Some(t.position);
            tokens.push(json!({"t": t.text, "i": increment}));
        }
        json!({"v": "1", "str": text, "tokens": tokens}).to_string()
    }

    /// The Solr document of a bulletin read from a file with `stamp`, fingerprinted as
    /// `simhash` (0: too short) in near-duplicate `group`.
    pub fn document(&self, b: &Bulletin, folds: &Folds, stamp: FileStamp, simhash: u64, group: u64) -> Value {
        let mut d = Map::new();
        d.insert(field::ID.into(), json!(b.id));
        d.insert(field::PATH.into(), json!(b.path.to_string_lossy()));
        d.insert(field::TITLE.into(), json!(self.pre_analyzed(&b.title, folds.title.text())));
        d.insert(field::BODY.into(), json!(self.pre_analyzed(&b.body, folds.body.text())));
        if let Some(date) = b.date {
            d.insert(field::DATE.into(), json!(format!("{}T00:00:00Z", date.format("%Y-%m-%d"))));
            d.insert(field::YEAR.into(), json!([format!("/{}", chrono::Datelike::year(&date))]));
        }
        if let Some(path) = b.region.facet_path() {
            d.insert(field::REGION.into(), json!(ancestors(&[path])));
        }
        if !b.categories.is_empty() {
            d.insert(field::CATEGORY.into(), json!(ancestors(&b.categories)));
        }
        d.insert(field::HASH.into(), json!(b.content_hash));
        d.insert(field::SIZE.into(), json!(stamp.size));
        d.insert(field::MTIME.into(), json!(stamp.mtime));
        d.insert(field::IDHASH.into(), json!(idhash(&b.id)));
        d.insert(field::FORMAT.into(), json!(b.format.as_str()));
        d.insert(field::ENCODING.into(), json!(b.encoding));
        if let Some(url) = &b.url {
            d.insert(field::URL.into(), json!(url));
        }
        if group != 0 {
            d.insert(field::GROUP.into(), json!(group_text(group)));
        }
        if simhash != 0 {
            d.insert(field::SIMHASH.into(), json!(simhash as i64));
        }
        Value::Object(d)
    }
}

/// Every ancestor of each facet path, each once, in first-seen order:
/// `/诈骗/养老诈骗` → `/诈骗`, `/诈骗/养老诈骗`.
pub fn ancestors(paths: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in paths {
        let mut prefix = String::new();
        for part in p.split('/').filter(|s| !s.is_empty()) {
            prefix.push('/');
            prefix.push_str(part);
            if !out.contains(&prefix) {
                out.push(prefix.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Folds;

    fn jieba() -> Arc<Jieba> {
        crate::analysis::dictionary::shared(include_str!("../../index-schema/dictionary.txt"))
    }

    /// The positions Solr will derive from the increments: the running sum less one.
    fn positions(pre: &str) -> Vec<(String, usize)> {
        let v: Value = serde_json::from_str(pre).unwrap();
        let mut at = 0usize;
        v["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                at += t["i"].as_u64().unwrap() as usize;
                (t["t"].as_str().unwrap().to_string(), at - 1)
            })
            .collect()
    }

    #[test]
    fn tokens_and_positions_are_the_local_index_ones() {
        let maker = DocumentMaker::new(jieba());
        let text = "南宁市公安局通报一起养老诈骗案件。打击电信网络诈骗，抓获3人";
        let folds = Folds::new("标题", text);
        let pre = maker.pre_analyzed(text, folds.body.text());
        let v: Value = serde_json::from_str(&pre).unwrap();
        assert_eq!(v["v"], "1");
        assert_eq!(v["str"], text);
        assert!(v["tokens"][0]["i"].as_u64().unwrap() >= 1, "Solr refuses a first increment of 0");
        // What tantivy gets from the same tokenizer over the same fold.
        let mut tokenizer = TextTokenizer::new(jieba());
        let mut stream = tokenizer.token_stream(folds.body.text());
        let mut local = Vec::new();
        while stream.advance() {
            local.push((stream.token().text.clone(), stream.token().position));
        }
        assert_eq!(positions(&pre), local);
        assert!(local.iter().any(|(t, _)| t == "养老诈骗") && local.iter().any(|(t, _)| t.starts_with(crate::analysis::text::GRAM_MARK)));
    }

    #[test]
    fn folded_tokens_stored_text() {
        // Traditional and full-width text is indexed by its fold, stored as published.
        let maker = DocumentMaker::new(jieba());
        let title = "臺灣警方破獲ＡＢＣ詐騙案";
        let folds = Folds::new(title, "");
        let pre = maker.pre_analyzed(title, folds.title.text());
        let v: Value = serde_json::from_str(&pre).unwrap();
        assert_eq!(v["str"], title);
        let terms: Vec<String> = positions(&pre).into_iter().map(|(t, _)| t).collect();
        assert!(terms.iter().any(|t| t == "诈骗"), "{terms:?}");
        assert!(terms.iter().any(|t| t.contains("abc")), "{terms:?}");
    }

    #[test]
    fn facets_are_every_ancestor_once() {
        let paths = vec!["/诈骗/养老诈骗".to_string(), "/诈骗/电信网络诈骗".to_string(), "/盗窃".to_string()];
        assert_eq!(ancestors(&paths), ["/诈骗", "/诈骗/养老诈骗", "/诈骗/电信网络诈骗", "/盗窃"]);
        assert_eq!(ancestors(&["/广东省/清远市".to_string()]), ["/广东省", "/广东省/清远市"]);
    }

    #[test]
    fn partition_keys_are_small_and_spread() {
        assert_eq!(idhash("d5a0b1c2d3e4f506"), 0xd5a0b1);
        assert!(idhash("not hex at all") < 1 << 24);
        let ids: Vec<String> = (0..4000).map(|i| crate::bulletin::id_for_path(std::path::Path::new(&format!("/c/{i}.txt")))).collect();
        let odd = ids.iter().filter(|id| idhash(id) % 2 == 1).count();
        assert!((1800..2200).contains(&odd), "{odd}");
        assert_eq!(group_text(0xbeef), "000000000000beef");
    }
}

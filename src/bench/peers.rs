//! The peers `tongbao bench` puts beside tongbao, built from the same files.
//!
//! A figure for tongbao alone says little on a shared machine; the same files indexed in
//! the same run by other engines turn it into ratios. Two peers: **bare tantivy + jieba**
//! (a word index: the speed and size of indexing words alone, but no substring recall)
//! and **SQLite FTS5 with its trigram tokenizer** (the usual way to get substring search
//! from an embedded engine, so the peer that offers what tongbao's gram stream does).
//! Each reads and cleans the files with tongbao's own readers, on both cores, while it
//! indexes: they index the same clean text, and what differs is what they do with it.
//! Each is built by a process of its own (`tongbao bench-peer`) so that its time, CPU and
//! memory are measured like those of `tongbao index`.

use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;

use anyhow::{bail, Context as _, Result};
use rayon::prelude::*;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{Field, Value};
use tantivy::{doc, Index, IndexReader, TantivyDocument};

use super::bare::BareJieba;
use crate::analysis::dictionary;
use crate::resources::Resources;
use crate::source::{self, ReadOptions};

/// An engine measured beside tongbao.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    Bare,
    Fts5,
}

impl Peer {
    pub(crate) const ALL: [Peer; 2] = [Peer::Bare, Peer::Fts5];

    /// The name `tongbao bench-peer` takes, and the peer's folder in the work folder.
    pub fn id(self) -> &'static str {
        match self {
            Peer::Bare => "bare",
            Peer::Fts5 => "fts5",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Peer::Bare => "bare tantivy+jieba",
            Peer::Fts5 => "SQLite FTS5 trigram",
        }
    }

    pub fn parse(id: &str) -> Result<Peer> {
        match id {
            "bare" => Ok(Peer::Bare),
            "fts5" => Ok(Peer::Fts5),
            other => bail!("unknown peer {other:?}: use bare or fts5"),
        }
    }
}

/// Files read (in parallel) per batch, as `tongbao index` does.
const BATCH_FILES: usize = 512;
/// Writer memory for the bare peer: tongbao's default, so both make segments alike.
const WRITER_BUDGET: usize = 128 << 20;

/// The bulletin files under `corpus` (the corpus manifest is not one).
fn files(corpus: &Path) -> Vec<PathBuf> {
    let (files, _) = source::walk(&[corpus.to_path_buf()]);
    files.into_iter().filter(|f| f.file_name().is_none_or(|n| n != super::corpus::MANIFEST)).collect()
}

/// Read and clean each file with tongbao's readers, on rayon's threads, handing title and
/// body to `index` as they come; unreadable files are skipped, as `tongbao index` skips
/// them. Returns how many were handed on.
fn read_each(corpus: &Path, index: &(dyn Fn(String, String) -> Result<()> + Sync)) -> Result<usize> {
    let read = ReadOptions::default();
    let mut n = 0;
    for batch in files(corpus).chunks(BATCH_FILES) {
        let done: Result<Vec<bool>> = batch
            .par_iter()
            .map(|path| match source::read_file_with(path, &read) {
                Ok(doc) => index(doc.title, doc.body).map(|_| true),
                Err(_) => Ok(false),
            })
            .collect();
        n += done?.into_iter().filter(|&ok| ok).count();
    }
    Ok(n)
}

/// Build `peer`'s index in the folder `out` (made anew) from the files under `corpus`.
/// Returns the number of bulletins indexed.
pub fn build(peer: Peer, corpus: &Path, out: &Path) -> Result<usize> {
    if out.exists() {
        std::fs::remove_dir_all(out).with_context(|| format!("removing {}", out.display()))?;
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    match peer {
        Peer::Bare => build_bare(corpus, out),
        Peer::Fts5 => build_fts5(corpus, &out.join(FTS5_FILE)),
    }
}

fn jieba() -> Result<Arc<jieba_rs::Jieba>> {
    Ok(dictionary::shared(&Resources::embedded().get("dictionary.txt")?))
}

fn build_bare(corpus: &Path, out: &Path) -> Result<usize> {
    let (schema, title, body) = super::bare::schema();
    let index = Index::create_in_dir(out, schema)?;
    index.tokenizers().register("jieba", BareJieba(jieba()?));
    let mut writer = index.writer_with_num_threads(2, WRITER_BUDGET)?;
    let n = {
        let writer = &writer;
        read_each(corpus, &|t, b| {
            writer.add_document(doc!(title => t, body => b))?;
            Ok(())
        })?
    };
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(n)
}

/// The FTS5 peer's database file inside its folder.
const FTS5_FILE: &str = "fts5.sqlite";

fn build_fts5(corpus: &Path, db: &Path) -> Result<usize> {
    let conn = rusqlite::Connection::open(db).with_context(|| format!("creating {}", db.display()))?;
    // No journal and no syncs: a bulk load into a fresh file, as tongbao's build is one
    // commit into a fresh index.
    conn.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = 'trigram');",
    )?;
    // SQLite writes on one thread; the files are read on rayon's, meanwhile.
    let (send, receive) = sync_channel::<(String, String)>(2 * BATCH_FILES);
    let writer = std::thread::spawn(move || -> Result<()> {
        conn.execute_batch("BEGIN")?;
        {
            let mut insert = conn.prepare("INSERT INTO docs (title, body) VALUES (?1, ?2)")?;
            for (t, b) in receive {
                insert.execute((t, b))?;
            }
        }
        conn.execute_batch("COMMIT")?;
        Ok(())
    });
    let read = read_each(corpus, &|t, b| send.send((t, b)).map_err(|_| anyhow::anyhow!("the SQLite writer stopped")));
    drop(send);
    let wrote = writer.join().map_err(|_| anyhow::anyhow!("the SQLite writer panicked"))?;
    // The writer's own error says more than the readers' "stopped".
    wrote?;
    read
}

/// A query as the peers take it: words that must all occur, or a phrase.
#[derive(Debug, Clone)]
pub(crate) enum PeerQuery {
    Words(Vec<String>),
    Phrase(String),
}

impl PeerQuery {
    /// The peer form of one of the bench's query strings (`诈骗`, `诈骗 盗窃`, `"某某公安局"`).
    pub(crate) fn from_tongbao(query: &str) -> PeerQuery {
        let q = query.trim();
        match q.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            Some(phrase) => PeerQuery::Phrase(phrase.to_string()),
            None => PeerQuery::Words(q.split_whitespace().map(str::to_string).collect()),
        }
    }

    /// Whether FTS5's trigram tokenizer can match it: every word, or the phrase, needs
    /// three characters or more (shorter strings hold no trigram, and MATCH finds nothing).
    pub(crate) fn fts5_can(&self) -> bool {
        let long = |s: &str| s.chars().count() >= 3;
        match self {
            PeerQuery::Words(w) => !w.is_empty() && w.iter().all(|w| long(w)),
            PeerQuery::Phrase(p) => long(p),
        }
    }

    fn fts5_match(&self) -> String {
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        match self {
            PeerQuery::Words(w) => w.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" AND "),
            PeerQuery::Phrase(p) => quote(p),
        }
    }

    fn tantivy_query(&self) -> String {
        match self {
            PeerQuery::Words(w) => w.join(" "),
            PeerQuery::Phrase(p) => format!("\"{}\"", p.replace(['"', '\\'], " ")),
        }
    }
}

/// A peer's index opened for queries.
pub(crate) enum PeerIndex {
    Bare { reader: IndexReader, parser: QueryParser, title: Field },
    Fts5 { conn: rusqlite::Connection },
}

impl PeerIndex {
    /// Open the index `build` made in `dir`; `None` when there is none.
    pub fn open(peer: Peer, dir: &Path) -> Result<Option<PeerIndex>> {
        match peer {
            Peer::Bare => {
                if !dir.join("meta.json").is_file() {
                    return Ok(None);
                }
                let index = Index::open_in_dir(dir)?;
                index.tokenizers().register("jieba", BareJieba(jieba()?));
                let schema = index.schema();
                let (title, body) = (schema.get_field("title")?, schema.get_field("body")?);
                let mut parser = QueryParser::for_index(&index, vec![title, body]);
                parser.set_conjunction_by_default();
                Ok(Some(PeerIndex::Bare { reader: index.reader()?, parser, title }))
            }
            Peer::Fts5 => {
                let db = dir.join(FTS5_FILE);
                if !db.is_file() {
                    return Ok(None);
                }
                let conn = rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
                Ok(Some(PeerIndex::Fts5 { conn }))
            }
        }
    }

    /// Run `q` as a user of the peer would: the ten best matches by BM25 with their titles,
    /// and the number of matches. `None` when the peer cannot express it.
    pub fn search(&self, q: &PeerQuery) -> Result<Option<(usize, Vec<String>)>> {
        match self {
            PeerIndex::Bare { reader, parser, title } => {
                let Ok(query) = parser.parse_query(&q.tantivy_query()) else { return Ok(None) };
                let searcher = reader.searcher();
                let (total, top) = searcher.search(&query, &(Count, TopDocs::with_limit(10).order_by_score()))?;
                let mut titles = Vec::with_capacity(top.len());
                for (_, address) in top {
                    let doc: TantivyDocument = searcher.doc(address)?;
                    titles.push(doc.get_first(*title).and_then(|v| v.as_str()).unwrap_or("").to_string());
                }
                Ok(Some((total, titles)))
            }
            PeerIndex::Fts5 { conn } => {
                if !q.fts5_can() {
                    return Ok(None);
                }
                let m = q.fts5_match();
                let mut top = conn.prepare_cached("SELECT title FROM docs WHERE docs MATCH ?1 ORDER BY rank LIMIT 10")?;
                let titles = top.query_map([&m], |row| row.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
                let mut count = conn.prepare_cached("SELECT count(*) FROM docs WHERE docs MATCH ?1")?;
                let total: i64 = count.query_row([&m], |row| row.get(0))?;
                Ok(Some((total as usize, titles)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small corpus in a temporary folder: the peers index it and find what grep finds.
    #[test]
    fn both_peers_build_from_files_and_answer_what_they_can() {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = tmp.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        let texts = [
            ("a.txt", "某县公安局破获电信网络诈骗案\n2023年5月，某县公安局破获一起电信网络诈骗案，抓获犯罪嫌疑人3名。"),
            ("b.txt", "市公安局通报盗窃案件\n近日，市公安局侦破系列入室盗窃案，追回被盗电动车12辆。"),
            ("c.md", "# 禁毒宣传\n\n民警走进社区开展禁毒宣传，提醒群众远离毒品。"),
        ];
        for (name, text) in texts {
            std::fs::write(corpus.join(name), text).unwrap();
        }
        for peer in Peer::ALL {
            let dir = tmp.path().join(peer.id());
            assert_eq!(build(peer, &corpus, &dir).unwrap(), 3, "{peer:?}");
            let index = PeerIndex::open(peer, &dir).unwrap().unwrap();
            let found = |q: &str| index.search(&PeerQuery::from_tongbao(q)).unwrap().map(|(n, _)| n);
            assert_eq!(found("\"入室盗窃案\""), Some(1), "{peer:?}");
            assert_eq!(found("公安局 电动车"), Some(1), "{peer:?}");
            match peer {
                Peer::Bare => assert_eq!(found("公安局"), Some(2)),
                // Two characters hold no trigram: FTS5 cannot say.
                Peer::Fts5 => {
                    assert_eq!(found("公安局"), Some(2));
                    assert_eq!(found("毒品"), None);
                    assert_eq!(found("\"安局破\""), Some(1), "a substring across words");
                }
            }
        }
    }

    #[test]
    fn queries_take_the_peer_forms() {
        for (q, words, can) in [("诈骗", Some(1), false), ("电信网络诈骗 公安局", Some(2), true), ("\"入室盗窃\"", None, true), ("\"盗窃\"", None, false)]
        {
            let p = PeerQuery::from_tongbao(q);
            match (&p, words) {
                (PeerQuery::Words(w), Some(n)) => assert_eq!(w.len(), n, "{q}"),
                (PeerQuery::Phrase(_), None) => {}
                _ => panic!("{q} became {p:?}"),
            }
            assert_eq!(p.fts5_can(), can, "{q}");
        }
        assert_eq!(PeerQuery::from_tongbao("电信网络诈骗 公安局").fts5_match(), "\"电信网络诈骗\" AND \"公安局\"");
    }
}

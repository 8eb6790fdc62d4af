//! One whole bulletin, found by its id, with every match of a query marked.
//!
//! A reader who found a bulletin wants to read all of it and see where the query matched,
//! not only the passages a hit shows. The text comes from the index (the clean text the
//! search ran on), never from the file: a bulletin is looked up by the id the index gave
//! it, so no path from a request is ever opened. The matches are those the hit's passages
//! mark, found with the same plan, so the two views agree.

use jieba_rs::Jieba;
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument, Term};

use super::{group_of, passage, place, planner, stored_str, SearchError, SearchRequest, Stored};
use crate::index::IndexHandle;

/// A bulletin's stored text and metadata, with a query's matches.
#[derive(Debug, Clone, Serialize)]
pub struct BulletinView {
    pub id: String,
    pub path: String,
    pub title: String,
    /// Matches in `title` (character offsets).
    pub title_highlights: Vec<[usize; 2]>,
    pub date: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub categories: Vec<String>,
    pub url: Option<String>,
    /// How the file was read (`html`, `markdown`, `text`) and its encoding.
    pub format: String,
    pub encoding: String,
    /// The whole clean text.
    pub text: String,
    /// Matches in `text` (character offsets), in order.
    pub highlights: Vec<[usize; 2]>,
    /// Synonyms of the query that occur in this bulletin (folded).
    pub expanded: Vec<String>,
    /// Near-duplicate group (16 hex digits), when the bulletin has copies.
    pub group: Option<String>,
    /// The other copies of this bulletin, republished elsewhere, by path.
    pub copies: Vec<OtherCopy>,
}

/// Another place a bulletin was published.
#[derive(Debug, Clone, Serialize)]
pub struct OtherCopy {
    pub id: String,
    pub path: String,
    pub title: String,
    pub date: Option<String>,
    pub url: Option<String>,
}

/// The bulletin with index id `id`, or `None` when the index holds none. With `query`, its
/// matches are marked as a search with that request would mark them; a blank or
/// unsearchable query marks nothing.
pub fn view(handle: &IndexHandle, searcher: &Searcher, jieba: &Jieba, id: &str, query: Option<&SearchRequest>) -> Result<Option<BulletinView>, SearchError> {
    let err = |e| SearchError::Index(handle.tantivy_error(e));
    let f = handle.fields;
    let by_id = TermQuery::new(Term::from_field_text(f.id, id), IndexRecordOption::Basic);
    let Some(address) = searcher.search(&by_id, &DocSetCollector).map_err(err)?.into_iter().next() else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(address).map_err(err)?;
    let group = group_of(searcher, address);
    let copies = if group == 0 { Vec::new() } else { others_in_group(handle, searcher, group, id).map_err(err)? };
    let found = Found {
        stored: Stored::local(handle, &doc),
        format: stored_str(&doc, f.format).unwrap_or("").to_string(),
        encoding: stored_str(&doc, f.encoding).unwrap_or("").to_string(),
        group: (group != 0).then(|| format!("{group:016x}")),
        copies,
    };
    Ok(Some(marked(found, jieba, query)))
}

/// A bulletin as a store gives it back for a view, before any marking.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub stored: Stored,
    pub format: String,
    pub encoding: String,
    /// Near-duplicate group (16 hex digits), when the bulletin has copies.
    pub group: Option<String>,
    /// The other copies, sorted by path.
    pub copies: Vec<OtherCopy>,
}

/// The view of a found bulletin with the matches of `query` marked, whichever store it
/// came from: the local index and a SolrCloud collection mark with this one code.
pub fn marked(found: Found, jieba: &Jieba, query: Option<&SearchRequest>) -> BulletinView {
    let Found { stored, format, encoding, group, copies } = found;
    let (title, text) = (stored.title, stored.body);
    let (highlight, expanded) = match query {
        Some(req) => {
            let parsed = super::parse(&req.query);
            if parsed.is_empty() {
                (Vec::new(), Vec::new())
            } else {
                let plan = planner(jieba, req).plan(&parsed);
                let patterns = passage::patterns_for(&[&title, &text], &plan.highlight, &plan.expanded);
                (patterns, super::occurring(&plan.expanded, &title, &text))
            }
        }
        None => (Vec::new(), Vec::new()),
    };
    BulletinView {
        id: stored.id,
        path: stored.path,
        title_highlights: passage::find_spans(&title, &highlight),
        highlights: passage::find_spans(&text, &highlight),
        title,
        date: stored.date,
        province: stored.province,
        city: stored.city,
        categories: stored.categories,
        url: stored.url,
        format,
        encoding,
        text,
        expanded,
        group,
        copies,
    }
}

/// The live members of a near-duplicate group other than `id`, by path.
fn others_in_group(handle: &IndexHandle, searcher: &Searcher, group: u64, id: &str) -> tantivy::Result<Vec<OtherCopy>> {
    let f = handle.fields;
    let query = TermQuery::new(Term::from_field_u64(f.group, group), IndexRecordOption::Basic);
    let mut out = Vec::new();
    for address in searcher.search(&query, &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        let member = stored_str(&doc, f.id).unwrap_or("");
        if member == id {
            continue;
        }
        out.push(OtherCopy {
            id: member.to_string(),
            path: stored_str(&doc, f.path).unwrap_or("").to_string(),
            title: stored_str(&doc, f.title_text).unwrap_or("").to_string(),
            date: place(&doc, &f).date,
            url: stored_str(&doc, f.url).map(str::to_string),
        });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

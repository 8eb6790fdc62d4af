//! One whole bulletin read from a SolrCloud collection, with a query's matches marked:
//! what `search::view` gives from the local index.
//!
//! Only the fetching is Solr's: the stored fields come back by id in one request, the other
//! copies of its near-duplicate group in a second, and the marking is `search::view::marked`,
//! the local view's own code. So a bulletin page served from a cluster shows the same
//! text, metadata and highlights as one served from the local index.

use jieba_rs::Jieba;
use serde_json::{json, Value};

use super::search::{stored_of, STORED_FIELDS};
use super::{ClusterError, Solr};
use crate::index::schema::name;
use crate::search::view::{marked, Found, OtherCopy};
use crate::search::{BulletinView, SearchError, SearchRequest};

/// Most other copies listed (a group larger than this is a crawl gone wrong).
const MAX_COPIES: usize = 1_000;

/// The bulletin with id `id`, or `None` when the collection holds none. With `query`, its
/// matches are marked as a search with that request would mark them.
pub fn view(solr: &Solr, jieba: &Jieba, id: &str, query: Option<&SearchRequest>) -> Result<Option<BulletinView>, SearchError> {
    let found = find(solr, id).map_err(|e| SearchError::Store(e.to_string()))?;
    Ok(found.map(|f| marked(f, jieba, query)))
}

/// The stored bulletin of `id` and the other copies of its group.
fn find(solr: &Solr, id: &str) -> Result<Option<Found>, ClusterError> {
    let mut fields = STORED_FIELDS.to_vec();
    fields.extend([name::FORMAT, name::ENCODING, name::GROUP]);
    let body = json!({
        "query": by_value(name::ID, id),
        "limit": 1,
        "fields": fields.join(","),
    });
    let answer = solr.post_json("query", &body)?;
    let Some(doc) = answer["response"]["docs"].as_array().and_then(|d| d.iter().find(|d| d[name::ID].as_str() == Some(id))) else {
        return Ok(None);
    };
    let mut found = found_of(doc);
    if let Some(g) = &found.group {
        found.copies = others_in_group(solr, g, id)?;
    }
    Ok(Some(found))
}

/// A bulletin's document as a view needs it, its copies not yet listed.
fn found_of(doc: &Value) -> Found {
    let s = |k: &str| doc[k].as_str().unwrap_or("").to_string();
    let group = doc[name::GROUP].as_str().filter(|g| !g.is_empty()).map(str::to_string);
    Found { stored: stored_of(doc), format: s(name::FORMAT), encoding: s(name::ENCODING), group, copies: Vec::new() }
}

/// The members of `group` other than `id`, by path.
fn others_in_group(solr: &Solr, group: &str, id: &str) -> Result<Vec<OtherCopy>, ClusterError> {
    let fields = [name::ID, name::PATH, name::TITLE, name::DATE, name::URL].join(",");
    let body = json!({
        "query": by_value(name::GROUP, group),
        "limit": MAX_COPIES,
        "sort": format!("{} asc", name::PATH),
        "fields": fields,
    });
    let answer = solr.post_json("query", &body)?;
    Ok(copies_of(&answer, id))
}

/// The copies listed in a query answer, leaving `id` out, sorted by path as locally.
fn copies_of(answer: &Value, id: &str) -> Vec<OtherCopy> {
    let mut out: Vec<OtherCopy> = answer["response"]["docs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(stored_of)
        .filter(|s| s.id != id)
        .map(|s| OtherCopy { id: s.id, path: s.path, title: s.title, date: s.date, url: s.url })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The query for documents whose `field` is exactly `value`, whatever characters it has
/// (the term parser reads its value whole, from a parameter: nothing to escape).
fn by_value(field: &str, value: &str) -> Value {
    json!({ "term": { "f": field, "query": value } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_reads_back_as_the_local_index_stores_it() {
        // As `document::DocumentMaker` sends it: pre-analyzed text, ancestor paths.
        let doc = json!({
            "id": "0123456789abcdef",
            "path": "corpus/gx/nanning-2022-07.html",
            "title": "{\"v\":\"1\",\"str\":\"南宁警方破获一起养老诈骗案\",\"tokens\":[{\"t\":\"南宁\",\"i\":1}]}",
            "body": "{\"v\":\"1\",\"str\":\"近日，南宁市公安局破获一起以“养老投资”为名的诈骗案。\",\"tokens\":[]}",
            "date": "2022-07-15T00:00:00Z",
            "region": ["/广西壮族自治区", "/广西壮族自治区/南宁市"],
            "category": ["/诈骗", "/诈骗/养老诈骗"],
            "format": "html",
            "encoding": "GB18030",
            "group": "00c0ffee00c0ffee",
        });
        let f = found_of(&doc);
        assert_eq!((f.stored.title.as_str(), f.stored.date.as_deref()), ("南宁警方破获一起养老诈骗案", Some("2022-07-15")));
        assert!(f.stored.body.starts_with("近日，南宁市公安局"), "{}", f.stored.body);
        assert_eq!((f.stored.province.as_deref(), f.stored.city.as_deref()), (Some("广西壮族自治区"), Some("南宁市")));
        assert_eq!(f.stored.categories, ["/诈骗/养老诈骗"], "a view names the leaves, not the ancestors stored for filtering");
        assert_eq!((f.format.as_str(), f.encoding.as_str(), f.group.as_deref()), ("html", "GB18030", Some("00c0ffee00c0ffee")));
        // No group, no copies to look for.
        assert_eq!(found_of(&json!({ "id": "x", "group": "" })).group, None);
    }

    #[test]
    fn copies_leave_the_bulletin_itself_out_and_come_by_path() {
        let answer = json!({ "response": { "docs": [
            { "id": "bb", "path": "z/通报.html", "title": "{\"v\":\"1\",\"str\":\"关于养老诈骗的通报\"}", "date": "2022-07-01T00:00:00Z" },
            { "id": "aa", "path": "a/通报.html", "title": "{\"v\":\"1\",\"str\":\"关于养老诈骗的通报\"}" },
            { "id": "cc", "path": "m/通报.md", "title": "{\"v\":\"1\",\"str\":\"转发：关于养老诈骗的通报\"}", "url": "https://example.gov.cn/1" },
        ]}});
        let copies = copies_of(&answer, "aa");
        let paths: Vec<&str> = copies.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["m/通报.md", "z/通报.html"]);
        assert_eq!(copies[0].title, "转发：关于养老诈骗的通报");
        assert_eq!(copies[0].url.as_deref(), Some("https://example.gov.cn/1"));
        assert_eq!(copies[1].date.as_deref(), Some("2022-07-01"));
    }
}

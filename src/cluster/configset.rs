//! The collection's configset (schema and config) and the collection itself.
//!
//! The two files under `cluster/configset/` are embedded and uploaded as they are, so what
//! runs in the cluster is what was reviewed. The one thing written in at upload time is
//! the schema's name, `tongbao-<schema version>-<analysis fingerprint>`: the tokens in a
//! collection were made by one tokenizer with one dictionary, and a binary with another
//! must not add to it or search it (as `tongbao.json` guards a local index). Solr answers
//! the name at `/schema/name`, so the check costs one small request.

use serde_json::Value;

use super::{ClusterError, Solr};
use crate::index::IndexMeta;

/// `cluster/configset/schema.xml`, reviewed like code.
pub const SCHEMA_XML: &str = include_str!("../../cluster/configset/schema.xml");
/// `cluster/configset/solrconfig.xml`.
pub const SOLRCONFIG_XML: &str = include_str!("../../cluster/configset/solrconfig.xml");

/// The schema name a collection made for `meta` carries.
pub fn schema_name(meta: &IndexMeta) -> String {
    format!("tongbao-{}-{}", meta.schema_version, meta.analysis)
}

/// The schema file with its name set to `name`.
pub fn stamped_schema(name: &str) -> String {
    SCHEMA_XML.replacen("<schema name=\"tongbao\"", &format!("<schema name=\"{name}\""), 1)
}

/// The configset of a collection: one per collection, named after it, since its schema
/// name records the analysis its documents were made with.
pub fn configset_name(collection: &str) -> String {
    format!("tongbao.{collection}")
}

/// What `cluster init` asks for.
#[derive(Debug, Clone, Copy)]
pub struct InitOptions {
    pub shards: u32,
    pub replicas: u32,
    /// Delete an existing collection of that name (made by another tongbao version, or
    /// to start over) and create it afresh.
    pub recreate: bool,
}

impl Default for InitOptions {
    fn default() -> Self {
        InitOptions { shards: 2, replicas: 2, recreate: false }
    }
}

/// What `cluster init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Initialised {
    Created,
    /// The collection existed, made for this binary: nothing to do.
    AlreadyThere,
    /// An existing collection was deleted and created again.
    Recreated,
}

/// Collections the cluster holds.
pub fn collections(solr: &Solr) -> Result<Vec<String>, ClusterError> {
    let answer = solr.admin_get("admin/collections", &[("action", "LIST")])?;
    Ok(answer["collections"].as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect())
}

/// Upload the configset and create the collection, unless one made for `meta` exists.
pub fn init(solr: &Solr, meta: &IndexMeta, opts: &InitOptions) -> Result<Initialised, ClusterError> {
    let collection = solr.store().collection.clone();
    let wanted = schema_name(meta);
    let mut outcome = Initialised::Created;
    if collections(solr)?.contains(&collection) {
        match found_schema_name(solr)? {
            found if found == wanted && !opts.recreate => return Ok(Initialised::AlreadyThere),
            found if !opts.recreate => {
                return Err(ClusterError::Mismatch { collection, found, wanted, store: solr.store().to_string() });
            }
            _ => {
                solr.admin_get("admin/collections", &[("action", "DELETE"), ("name", &collection)])?;
                outcome = Initialised::Recreated;
            }
        }
    }
    let configset = configset_name(&collection);
    let schema = stamped_schema(&wanted);
    for (file, text) in [("schema.xml", schema.as_str()), ("solrconfig.xml", SOLRCONFIG_XML)] {
        // Overwrite: a configset left by an init that died before creating the collection
        // (or by a recreated one) is replaced, not an error.
        let params = [("action", "UPLOAD"), ("name", configset.as_str()), ("filePath", file), ("overwrite", "true")];
        solr.admin_post_bytes("admin/configs", &params, text.as_bytes())?;
    }
    let (shards, replicas) = (opts.shards.to_string(), opts.replicas.to_string());
    let params = [
        ("action", "CREATE"),
        ("name", collection.as_str()),
        ("collection.configName", configset.as_str()),
        ("numShards", shards.as_str()),
        ("replicationFactor", replicas.as_str()),
        ("waitForFinalState", "true"),
    ];
    match solr.admin_get("admin/collections", &params) {
        Ok(answer) => {
            if let Some(failure) = answer.get("failure") {
                return Err(ClusterError::Refused { what: format!("creating {collection}"), status: 200, message: failure.to_string() });
            }
        }
        // A retried CREATE whose first try got through (the answer was lost): the
        // collection is there, made from the configset just uploaded.
        Err(ClusterError::Refused { message, .. }) if message.contains("already exists") && found_schema_name(solr).is_ok_and(|n| n == wanted) => {}
        Err(e) => return Err(e),
    }
    Ok(outcome)
}

/// The schema name of the store's collection.
pub fn found_schema_name(solr: &Solr) -> Result<String, ClusterError> {
    let answer = solr.get_json("schema/name", &[])?;
    answer["name"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| ClusterError::BadAnswer { what: "schema/name".into(), detail: answer.to_string().chars().take(200).collect() })
}

/// Refuse a collection that was not made for `meta` (another schema version, another
/// dictionary or rules): its tokens would not match this binary's.
pub fn check(solr: &Solr, meta: &IndexMeta) -> Result<(), ClusterError> {
    let wanted = schema_name(meta);
    let found = found_schema_name(solr)?;
    if found != wanted {
        return Err(ClusterError::Mismatch { collection: solr.store().collection.clone(), found, wanted, store: solr.store().to_string() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_is_stamped_once_and_keeps_the_scoring_settings() {
        let meta = IndexMeta::current("0123456789abcdef");
        let name = schema_name(&meta);
        assert_eq!(name, format!("tongbao-{}-0123456789abcdef", crate::index::SCHEMA_VERSION));
        let schema = stamped_schema(&name);
        assert_eq!(schema.matches(&format!("<schema name=\"{name}\"")).count(), 1);
        for needle in [
            r#"<float name="k1">1.2</float>"#,
            r#"<float name="b">0.75</float>"#,
            r#"<bool name="discountOverlaps">false</bool>"#,
            r#"<field name="title" type="tongbao_tokens""#,
            r#"<field name="body" type="tongbao_tokens""#,
        ] {
            assert!(schema.contains(needle), "{needle}");
        }
        assert!(!schema.contains("name=\"grams\""), "the layout has one stream per text field");
        assert!(SOLRCONFIG_XML.contains("ExactStatsCache"));
    }
}

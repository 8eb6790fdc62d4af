//! The tantivy schema. `index-schema/SCHEMA.md` explains each field and why it is there;
//! keep the two in step, and bump [`SCHEMA_VERSION`] when a field changes.

use tantivy::schema::{
    BytesOptions, DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, STORED, STRING,
};

use crate::analysis;

/// Version of the schema and of the way text is analysed. An index recorded with another
/// version must be rebuilt, not mixed.
pub const SCHEMA_VERSION: u32 = 5;

/// Handles to every field, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub path: Field,
    pub path_bytes: Field,
    pub title: Field,
    pub body: Field,
    pub title_text: Field,
    pub body_text: Field,
    pub date: Field,
    pub year: Field,
    pub region: Field,
    pub category: Field,
    pub hash: Field,
    pub size: Field,
    pub mtime: Field,
    pub format: Field,
    pub encoding: Field,
    pub url: Field,
    pub group: Field,
    pub simhash: Field,
}

/// Build the schema.
pub fn build() -> Schema {
    let mut b = Schema::builder();
    // Grams and long words in one positional stream (analysis::text): every literal
    // string is a phrase of grams, every word of two or more characters a term.
    let text = || {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analysis::TEXT)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fast_str = (STRING | STORED).set_fast("raw");
    b.add_text_field("id", STRING | STORED);
    b.add_text_field("path", fast_str);
    // The file's path as raw bytes: the bookkeeping key. `path` is for people and is
    // decoded lossily, so two names that differ only in bytes that are not UTF-8 would
    // be one file there.
    b.add_bytes_field("path_bytes", BytesOptions::default().set_fast());
    // Indexed: the fold of title and body. Stored: the text as published. One field cannot
    // be both, since the tokenizers take the fold made once per bulletin.
    b.add_text_field("title", text());
    b.add_text_field("body", text());
    b.add_text_field("title_text", STORED);
    b.add_text_field("body_text", STORED);
    b.add_date_field(
        "date",
        DateOptions::default()
            .set_indexed()
            .set_fast()
            .set_stored()
            .set_precision(DateTimePrecision::Seconds),
    );
    b.add_facet_field("year", FacetOptions::default().set_stored());
    b.add_facet_field("region", FacetOptions::default().set_stored());
    b.add_facet_field("category", FacetOptions::default().set_stored());
    b.add_text_field("hash", STRING | STORED);
    let num = || NumericOptions::default().set_stored().set_fast();
    b.add_u64_field("size", num());
    b.add_i64_field("mtime", num());
    b.add_text_field("format", STORED);
    b.add_text_field("encoding", STORED);
    b.add_text_field("url", STORED);
    b.add_u64_field("group", num().set_indexed());
    b.add_u64_field("simhash", num());
    b.build()
}

impl Fields {
    /// Resolve field handles in `schema` (which must come from [`build`]).
    pub fn new(schema: &Schema) -> Result<Fields, tantivy::TantivyError> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: f("id")?,
            path: f("path")?,
            path_bytes: f("path_bytes")?,
            title: f("title")?,
            body: f("body")?,
            title_text: f("title_text")?,
            body_text: f("body_text")?,
            date: f("date")?,
            year: f("year")?,
            region: f("region")?,
            category: f("category")?,
            hash: f("hash")?,
            size: f("size")?,
            mtime: f("mtime")?,
            format: f("format")?,
            encoding: f("encoding")?,
            url: f("url")?,
            group: f("group")?,
            simhash: f("simhash")?,
        })
    }
}

/// Field names, for code that addresses a field by name rather than by its [`Fields`]
/// handle: fast-field columns and facet collectors take a name.
pub mod name {
    pub const ID: &str = "id";
    pub const PATH: &str = "path";
    pub const PATH_BYTES: &str = "path_bytes";
    pub const TITLE: &str = "title";
    pub const BODY: &str = "body";
    pub const TITLE_TEXT: &str = "title_text";
    pub const BODY_TEXT: &str = "body_text";
    pub const DATE: &str = "date";
    pub const YEAR: &str = "year";
    pub const REGION: &str = "region";
    pub const CATEGORY: &str = "category";
    pub const HASH: &str = "hash";
    pub const SIZE: &str = "size";
    pub const MTIME: &str = "mtime";
    pub const FORMAT: &str = "format";
    pub const ENCODING: &str = "encoding";
    pub const URL: &str = "url";
    pub const GROUP: &str = "group";
    pub const SIMHASH: &str = "simhash";
}

//! The tantivy schema. `index-schema/SCHEMA.md` explains each field and why it is there;
//! keep the two in step, and bump [`SCHEMA_VERSION`] when a field changes.

use tantivy::schema::{
    BytesOptions, DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, STORED,
    STRING,
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
        TextOptions::default()
            .set_indexing_options(TextFieldIndexing::default().set_tokenizer(analysis::TEXT).set_index_option(IndexRecordOption::WithFreqsAndPositions))
    };
    let fast_str = (STRING | STORED).set_fast("raw");
    b.add_text_field(name::ID, STRING | STORED);
    b.add_text_field(name::PATH, fast_str);
    // The file's path as raw bytes: the bookkeeping key. `path` is for people and is
    // decoded lossily, so two names that differ only in bytes that are not UTF-8 would
    // be one file there.
    b.add_bytes_field(name::PATH_BYTES, BytesOptions::default().set_fast());
    // Indexed: the fold of title and body. Stored: the text as published. One field cannot
    // be both, since the tokenizers take the fold made once per bulletin.
    b.add_text_field(name::TITLE, text());
    b.add_text_field(name::BODY, text());
    b.add_text_field(name::TITLE_TEXT, STORED);
    b.add_text_field(name::BODY_TEXT, STORED);
    b.add_date_field(name::DATE, DateOptions::default().set_indexed().set_fast().set_stored().set_precision(DateTimePrecision::Seconds));
    b.add_facet_field(name::YEAR, FacetOptions::default().set_stored());
    b.add_facet_field(name::REGION, FacetOptions::default().set_stored());
    b.add_facet_field(name::CATEGORY, FacetOptions::default().set_stored());
    b.add_text_field(name::HASH, STRING | STORED);
    let num = || NumericOptions::default().set_stored().set_fast();
    b.add_u64_field(name::SIZE, num());
    b.add_i64_field(name::MTIME, num());
    b.add_text_field(name::FORMAT, STORED);
    b.add_text_field(name::ENCODING, STORED);
    b.add_text_field(name::URL, STORED);
    b.add_u64_field(name::GROUP, num().set_indexed());
    b.add_u64_field(name::SIMHASH, num());
    b.build()
}

impl Fields {
    /// Resolve field handles in `schema` (which must come from [`build`]).
    pub fn new(schema: &Schema) -> Result<Fields, tantivy::TantivyError> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: f(name::ID)?,
            path: f(name::PATH)?,
            path_bytes: f(name::PATH_BYTES)?,
            title: f(name::TITLE)?,
            body: f(name::BODY)?,
            title_text: f(name::TITLE_TEXT)?,
            body_text: f(name::BODY_TEXT)?,
            date: f(name::DATE)?,
            year: f(name::YEAR)?,
            region: f(name::REGION)?,
            category: f(name::CATEGORY)?,
            hash: f(name::HASH)?,
            size: f(name::SIZE)?,
            mtime: f(name::MTIME)?,
            format: f(name::FORMAT)?,
            encoding: f(name::ENCODING)?,
            url: f(name::URL)?,
            group: f(name::GROUP)?,
            simhash: f(name::SIMHASH)?,
        })
    }
}

/// Field names, for code that addresses a field by name rather than by its [`Fields`]
/// handle: fast-field columns and facet collectors take a name.
pub mod name {
    pub(crate) const ID: &str = "id";
    pub const PATH: &str = "path";
    pub(crate) const PATH_BYTES: &str = "path_bytes";
    pub(crate) const TITLE: &str = "title";
    pub const BODY: &str = "body";
    pub(crate) const TITLE_TEXT: &str = "title_text";
    pub(crate) const BODY_TEXT: &str = "body_text";
    pub const DATE: &str = "date";
    pub(crate) const YEAR: &str = "year";
    pub(crate) const REGION: &str = "region";
    pub const CATEGORY: &str = "category";
    pub(crate) const HASH: &str = "hash";
    pub(crate) const SIZE: &str = "size";
    pub(crate) const MTIME: &str = "mtime";
    pub(crate) const FORMAT: &str = "format";
    pub(crate) const ENCODING: &str = "encoding";
    pub const URL: &str = "url";
    pub(crate) const GROUP: &str = "group";
    pub(crate) const SIMHASH: &str = "simhash";
}

//! The baseline: plain tantivy + jieba over text already in memory.
//!
//! Absolute timings on a shared machine say little; the same corpus indexed in the same
//! run by the simplest possible jieba index (title and body, search-mode tokens, stored
//! body, no folding, grams, metadata or file reading) turns them into ratios that do.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jieba_rs::Jieba;
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{doc, Index};

/// jieba search mode as a tantivy tokenizer, the way tantivy-jieba does it: every token,
/// positions counted in tokens.
#[derive(Clone)]
pub(crate) struct BareJieba(pub Arc<Jieba>);

impl Tokenizer for BareJieba {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = self
            .0
            .cut_for_search(text, true)
            .into_iter()
            .enumerate()
            .map(|(i, t)| Token { offset_from: t.byte_start, offset_to: t.byte_end, position: i, text: t.word.to_string(), position_length: 1 })
            .collect();
        VecTokenStream::new(tokens)
    }
}

/// Index `(title, body)` pairs into a fresh index in `dir` with 2 writer threads and a
/// 200 MB budget; returns the time from the first document to the end of merging.
pub fn index(dir: &std::path::Path, jieba: Arc<Jieba>, docs: &[(String, String)]) -> tantivy::Result<Duration> {
    let (schema, title, body) = schema();
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let index = Index::create_in_dir(dir, schema)?;
    index.tokenizers().register("jieba", BareJieba(jieba));
    let started = Instant::now();
    let mut writer = index.writer_with_num_threads(2, 200 << 20)?;
    for (t, x) in docs {
        writer.add_document(doc!(title => t.as_str(), body => x.as_str()))?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(started.elapsed())
}

/// The bare index's schema: title and body, jieba search-mode tokens with positions,
/// stored (tantivy's defaults otherwise). Returns the schema and the two fields.
pub(crate) fn schema() -> (Schema, Field, Field) {
    let mut b = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer("jieba").set_index_option(IndexRecordOption::WithFreqsAndPositions))
        .set_stored();
    let title = b.add_text_field("title", text.clone());
    let body = b.add_text_field("body", text);
    (b.build(), title, body)
}

/// Tokens computed up front: jieba cuts whole texts, so the bare indexer hands tantivy a
/// finished list.
pub(crate) struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl VecTokenStream {
    pub fn new(tokens: Vec<Token>) -> Self {
        VecTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next.saturating_sub(1).min(self.tokens.len().saturating_sub(1))]
    }
    fn token_mut(&mut self) -> &mut Token {
        let i = self.next.saturating_sub(1).min(self.tokens.len().saturating_sub(1));
        &mut self.tokens[i]
    }
}

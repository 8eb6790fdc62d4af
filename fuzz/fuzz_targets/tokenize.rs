//! The analysis chain on arbitrary text: folding, jieba segmentation (default and search
//! mode), character grams, whose offsets must cut the original text on character
//! boundaries, and both tantivy tokenizers over the fold (what indexing hands them), whose
//! offsets must cut the fold on character boundaries.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use tantivy::tokenizer::{TokenStream, Tokenizer};
use tongbao::analysis::{fold, grams::{grams, Side}, tokenizer::segment, GramTokenizer, JiebaTokenizer};

fn jieba() -> Arc<jieba_rs::Jieba> {
    static J: OnceLock<Arc<jieba_rs::Jieba>> = OnceLock::new();
    J.get_or_init(|| tongbao::analysis::dictionary::shared(include_str!("../../index-schema/dictionary.txt"))).clone()
}

fn check_stream(text: &str, mut stream: impl TokenStream) {
    while stream.advance() {
        let t = stream.token();
        assert!(t.offset_from <= t.offset_to && t.offset_to <= text.len(), "{t:?} in {} bytes", text.len());
        assert!(text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to), "{t:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let j = jieba();
    for search in [false, true] {
        for w in segment(&j, text, search) {
            assert!(w.byte_start <= w.byte_end && w.byte_end <= text.len());
            assert!(text.is_char_boundary(w.byte_start) && text.is_char_boundary(w.byte_end));
        }
        for g in grams(text, if search { Side::Document } else { Side::Query }) {
            assert!(g.byte_start <= g.byte_end && g.byte_end <= text.len());
        }
    }
    let folded = fold(text);
    assert_eq!(fold(&folded), folded, "folding is idempotent");
    check_stream(&folded, JiebaTokenizer::new(j.clone()).token_stream(&folded));
    check_stream(&folded, GramTokenizer.token_stream(&folded));
});

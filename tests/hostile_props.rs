//! Property tests on hostile input, bounded to run in `cargo test` (256 cases each): the
//! readers, extractors, tokenizers, query parser and output escaping never panic on
//! arbitrary bytes or strings (control characters included) and keep their promises.
//! The cargo-fuzz targets in fuzz/ run the same code paths for as long as one likes.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use proptest::prelude::*;
use tantivy::tokenizer::{TokenStream, Tokenizer};
use tongbao::analysis::{
    grams::{grams, Side},
    tokenizer::segment,
    GramTokenizer, JiebaTokenizer, TextTokenizer,
};
use tongbao::extract::Extractor;
use tongbao::search::query::{parse, MAX_ITEMS, MAX_ITEM_CHARS, MAX_TOTAL_CHARS};

fn jieba() -> Arc<jieba_rs::Jieba> {
    static J: OnceLock<Arc<jieba_rs::Jieba>> = OnceLock::new();
    J.get_or_init(|| tongbao::analysis::dictionary::shared(include_str!("../index-schema/dictionary.txt"))).clone()
}

fn extractor() -> &'static Extractor {
    static E: OnceLock<Extractor> = OnceLock::new();
    E.get_or_init(|| Extractor::load(None).expect("embedded rules"))
}

/// Text that looks like a scraped bulletin gone wrong: Chinese, ASCII, markup and front
/// matter fragments, controls, escapes, bidi overrides, odd spaces.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("警方破获诈骗案件，".to_string()),
        Just("<p>".to_string()),
        Just("</div>".to_string()),
        Just("<title>".to_string()),
        Just("<script>".to_string()),
        Just("---\n".to_string()),
        Just("title: [".to_string()),
        Just("\"".to_string()),
        Just("\x1b[2J".to_string()),
        Just("\x1b]0;pwned\x07".to_string()),
        Just("\u{9b}".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{3000}".to_string()),
        Just("\0".to_string()),
        Just(" OR ".to_string()),
        Just("-".to_string()),
        Just("\n".to_string()),
        "\\PC{0,12}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn readers_never_panic_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4096), ext in 0usize..4) {
        let name = ["a.html", "a.md", "a.txt", "a"][ext];
        if let Ok(doc) = tongbao::source::parse_bytes(Path::new(name), &bytes) {
            prop_assert!(!doc.body.contains('\0'));
            prop_assert!(!doc.title.contains('\n'));
            let _ = extractor().extract(&doc);
        }
    }

    #[test]
    fn readers_and_extractor_never_panic_on_text(text in hostile_text(), ext in 0usize..4) {
        let name = ["a.html", "a.md", "a.txt", "a"][ext];
        if let Ok(doc) = tongbao::source::parse_bytes(Path::new(name), text.as_bytes()) {
            prop_assert!(!doc.body.contains('\0'));
            let _ = extractor().extract(&doc);
        }
    }

    #[test]
    fn tokenizers_cut_on_character_boundaries(text in hostile_text()) {
        let j = jieba();
        for search in [false, true] {
            for w in segment(&j, &text, search) {
                prop_assert!(w.byte_start <= w.byte_end && w.byte_end <= text.len());
                prop_assert!(text.is_char_boundary(w.byte_start) && text.is_char_boundary(w.byte_end));
            }
            let side = if search { Side::Document } else { Side::Query };
            for g in grams(&text, side) {
                prop_assert!(g.byte_start <= g.byte_end && g.byte_end <= text.len());
                prop_assert!(text.is_char_boundary(g.byte_start) && text.is_char_boundary(g.byte_end));
            }
        }
        // The index's tokenizers are handed the fold, as indexing does.
        let folded = tongbao::analysis::fold(&text);
        let mut words = JiebaTokenizer::new(j.clone());
        let mut stream = words.token_stream(&folded);
        while stream.advance() {
            let t = stream.token();
            prop_assert!(folded.is_char_boundary(t.offset_from) && folded.is_char_boundary(t.offset_to));
        }
        let mut g = GramTokenizer;
        let mut stream = g.token_stream(&folded);
        while stream.advance() {
            let t = stream.token();
            prop_assert!(t.offset_to <= folded.len() && folded.is_char_boundary(t.offset_from));
        }
        // The indexed fields' stream (grams and words in one).
        let mut text = TextTokenizer::new(j.clone());
        let mut stream = text.token_stream(&folded);
        while stream.advance() {
            let t = stream.token();
            prop_assert!(t.offset_to <= folded.len());
            prop_assert!(folded.is_char_boundary(t.offset_from) && folded.is_char_boundary(t.offset_to));
        }
    }

    #[test]
    fn queries_are_bounded(text in hostile_text()) {
        let q = parse(&text);
        let items: Vec<_> = q.items().chain(q.excluded.iter()).collect();
        prop_assert!(items.len() <= MAX_ITEMS);
        prop_assert!(items.iter().all(|i| i.text.chars().count() <= MAX_ITEM_CHARS));
        prop_assert!(items.iter().map(|i| i.text.chars().count()).sum::<usize>() <= MAX_TOTAL_CHARS);
        prop_assert!(items.iter().all(|i| i.text.chars().any(char::is_alphanumeric)));
    }

    #[test]
    fn sanitized_text_has_no_controls_and_json_stays_valid(text in hostile_text()) {
        let clean = tongbao::sanitize::sanitize(&text);
        prop_assert!(!clean.chars().any(|c| c.is_control() || is_bidi(c)));
        let mut out = Vec::new();
        tongbao::render::print_json_line(&mut out, &serde_json::json!({ "t": text })).expect("write");
        let line = String::from_utf8(out).expect("utf-8");
        prop_assert!(!line.trim_end().chars().any(|c| c.is_control() || is_bidi(c)));
        let back: serde_json::Value = serde_json::from_str(&line).expect("valid JSON");
        prop_assert_eq!(back["t"].as_str(), Some(text.as_str()));
    }

    #[test]
    fn highlighting_never_panics_on_any_spans(text in hostile_text(), spans in prop::collection::vec((0usize..200, 0usize..200), 0..8)) {
        let spans: Vec<[usize; 2]> = spans.into_iter().map(|(a, b)| [a, b]).collect();
        for (color, marks) in [(false, None), (true, None), (false, Some(("«".to_string(), "»".to_string()))), (true, Some(("[[".to_string(), "]]".to_string())))] {
            let s = tongbao::render::highlight(&text, &spans, &tongbao::render::Style { color, marks });
            let defused = s.replace("\x1b[1;31m", "").replace("\x1b[0m", "");
            prop_assert!(!defused.contains('\x1b'));
        }
    }
}

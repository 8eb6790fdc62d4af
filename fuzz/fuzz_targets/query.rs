//! The query parser and planner on arbitrary strings, and the terminal sanitizer on the
//! same input.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tongbao::search::query::{parse, MAX_ITEMS, MAX_ITEM_CHARS, MAX_TOTAL_CHARS};
use tongbao::search::{Planner, Weights};

fn jieba() -> &'static jieba_rs::Jieba {
    static J: OnceLock<std::sync::Arc<jieba_rs::Jieba>> = OnceLock::new();
    J.get_or_init(|| tongbao::analysis::dictionary::shared(include_str!("../../index-schema/dictionary.txt")))
}

fn fields() -> tongbao::index::Fields {
    static F: OnceLock<tongbao::index::Fields> = OnceLock::new();
    *F.get_or_init(|| tongbao::index::Fields::new(&tongbao::index::schema::build()).expect("schema fields"))
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let q = parse(&input);
    let items: Vec<_> = q.items().chain(q.excluded.iter()).collect();
    assert!(items.len() <= MAX_ITEMS);
    assert!(items.iter().all(|i| i.text.chars().count() <= MAX_ITEM_CHARS));
    assert!(items.iter().map(|i| i.text.chars().count()).sum::<usize>() <= MAX_TOTAL_CHARS);
    if !q.is_empty() {
        let planner = Planner { jieba: jieba(), fields: fields(), weights: Weights::default(), synonyms: None, categories: None };
        let _ = planner.plan(&q);
    }
    let clean = tongbao::render::sanitize(&input);
    assert!(!clean.chars().any(|c| c.is_control()), "{clean:?}");
});

//! The metadata extractors on documents made from arbitrary bytes: once through the
//! readers, once with the raw text placed straight into the title, body and hints.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tongbao::extract::Extractor;
use tongbao::source::{Hints, SourceDoc};
use tongbao::Format;

fn extractor() -> &'static Extractor {
    static E: OnceLock<Extractor> = OnceLock::new();
    E.get_or_init(|| Extractor::load(None).expect("embedded rules load"))
}

fuzz_target!(|data: &[u8]| {
    let ex = extractor();
    if let Ok(doc) = tongbao::source::parse_bytes(Path::new("a.html"), data) {
        let _ = ex.extract(&doc);
    }
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(4, '\u{1}');
    let title = parts.next().unwrap_or("").to_string();
    let body = parts.next().unwrap_or("").to_string();
    let date = parts.next().map(str::to_string);
    let place = parts.next().map(str::to_string);
    let doc = SourceDoc {
        path: PathBuf::from(format!("{}.txt", title.chars().take(20).collect::<String>())),
        format: Format::Text,
        encoding: "UTF-8".into(),
        title: title.clone(),
        body,
        hints: Hints {
            title: Some(title),
            date,
            province: place.clone(),
            city: place.clone(),
            categories: place.into_iter().collect(),
            ..Hints::default()
        },
        warnings: Vec::new(),
    };
    let _ = ex.extract(&doc);
});

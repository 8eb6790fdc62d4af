//! The format readers on arbitrary bytes: sniffing, decoding, HTML / front matter /
//! plain text cleaning. The first byte picks the file extension that hints the format.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &["a.html", "a.md", "a.txt", "a", "a.shtml", "a.markdown"];

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else { return };
    let path = Path::new(NAMES[first as usize % NAMES.len()]);
    if let Ok(doc) = tongbao::source::parse_bytes(path, bytes) {
        // What the reader promises: no NULs left, a title that is one line.
        assert!(!doc.body.contains('\0') && !doc.title.contains('\0'), "NUL left in {doc:?}");
        assert!(!doc.title.contains('\n'), "multi-line title {:?}", doc.title);
    }
});

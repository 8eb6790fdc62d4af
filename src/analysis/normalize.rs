//! Character folding applied before segmentation: traditional → simplified, full-width →
//! half-width, Latin lower case.
//!
//! Every step maps one character to exactly one character, so a position counted in
//! characters is the same in the folded and the original text. That lets tokenizers report
//! byte offsets into the original text, which highlighting relies on.

use std::cell::RefCell;
use std::rc::Rc;

/// Text folded for matching, with the way back to byte offsets in the original text.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    /// `orig[b]` is the byte offset in the original text of folded byte `b` (for `b` at a
    /// character start, and `b == text.len()`). Empty when every character kept its UTF-8
    /// length — the usual case — so offsets are equal in both texts and 8 bytes per byte
    /// of text need not be spent on a map.
    orig: Vec<usize>,
}

impl Folded {
    /// Fold `original`, remembering where each character came from.
    pub fn new(original: &str) -> Folded {
        let text = fold(original);
        let same_layout = text.len() == original.len()
            && text.chars().zip(original.chars()).all(|(a, b)| a.len_utf8() == b.len_utf8());
        if same_layout {
            return Folded { text, orig: Vec::new() };
        }
        let mut orig = vec![original.len(); text.len() + 1];
        for ((fb, _), (ob, _)) in text.char_indices().zip(original.char_indices()) {
            orig[fb] = ob;
        }
        Folded { text, orig }
    }

    /// The fold of `original` for this thread, reused when the same text was folded just
    /// before: indexing tokenizes a bulletin's body for the word field and again for the
    /// gram field, and folding (a table lookup per character) need not run twice.
    pub fn cached(original: &str) -> Rc<Folded> {
        FOLD_CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if let Some(i) = cache.iter().position(|(o, _)| o == original) {
                let hit = cache.remove(i);
                let folded = hit.1.clone();
                cache.insert(0, hit);
                return folded;
            }
            let folded = Rc::new(Folded::new(original));
            if cache.len() >= FOLD_CACHE_ENTRIES {
                cache.pop();
            }
            cache.insert(0, (original.to_string(), folded.clone()));
            folded
        })
    }

    /// Byte offset in the original text of folded byte offset `folded_byte` (a character
    /// boundary of `text`, or its length).
    #[inline]
    pub fn orig_of(&self, folded_byte: usize) -> usize {
        if self.orig.is_empty() {
            folded_byte
        } else {
            self.orig.get(folded_byte).copied().unwrap_or_else(|| self.orig.last().copied().unwrap_or(0))
        }
    }
}

/// Texts remembered per thread: a document's title and body are each folded once for the
/// word fields and looked up again for the gram field.
const FOLD_CACHE_ENTRIES: usize = 2;

thread_local! {
    static FOLD_CACHE: RefCell<Vec<(String, Rc<Folded>)>> = const { RefCell::new(Vec::new()) };
}

/// Fold one character that needs no context (width and case).
#[inline]
pub fn fold_width_case(c: char) -> char {
    match c {
        // Full-width ASCII variants.
        '\u{FF01}'..='\u{FF5E}' => {
            let h = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
            h.to_ascii_lowercase()
        }
        '\u{3000}' => ' ',
        'A'..='Z' => c.to_ascii_lowercase(),
        c if c.is_ascii() => c,
        // Han characters have no case; skip the Unicode table search.
        c if crate::chars::is_common_han(c) => c,
        c if c.is_uppercase() => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => c,
            }
        }
        c => c,
    }
}

/// Fold a text for matching. The result has exactly as many characters as the input.
pub fn fold(text: &str) -> String {
    // fast2s maps traditional to simplified one character at a time (with a little context
    // for characters like 乾隆), never changing the character count.
    let simplified = if text.bytes().any(|b| b >= 0xE0) { fast2s::convert(text) } else { text.to_string() };
    // Most text has nothing to fold by width or case; skip rebuilding it then.
    match simplified.char_indices().find(|&(_, c)| fold_width_case(c) != c) {
        None => simplified,
        Some((at, _)) => {
            let mut out = String::with_capacity(simplified.len());
            out.push_str(&simplified[..at]);
            out.extend(simplified[at..].chars().map(fold_width_case));
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_traditional_width_and_case() {
        let cases = [
            ("破獲詐騙案件", "破获诈骗案件"),
            ("電信網絡詐騙", "电信网络诈骗"),
            ("養老詐騙", "养老诈骗"),
            ("ＡＢＣ１２３", "abc123"),
            ("公安ＡＰＰ反诈", "公安app反诈"),
            ("ICP备案", "icp备案"),
            ("清远市公安局", "清远市公安局"),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input), want, "fold({input})");
            assert_eq!(fold(input).chars().count(), input.chars().count());
        }
    }

    #[test]
    fn offsets_point_into_original() {
        let original = "Ａ詐騙b";
        let f = Folded::new(original);
        assert_eq!(f.text, "a诈骗b");
        assert_eq!(f.orig_of(0), 0);
        assert_eq!(f.orig_of(1), 3);
        assert_eq!(&original[f.orig_of(1)..f.orig_of(7)], "詐騙");
        assert_eq!(f.orig_of(f.text.len()), original.len());
        // Same layout: offsets are shared and no map is kept.
        let g = Folded::new("破獲詐騙");
        assert!(g.orig.is_empty());
        assert_eq!(g.orig_of(6), 6);
    }

    #[test]
    fn cache_returns_the_same_fold() {
        let a = Folded::cached("破獲ＡＢＣ");
        let b = Folded::cached("破獲ＡＢＣ");
        assert!(Rc::ptr_eq(&a, &b));
        assert_eq!(Folded::cached("別的").text, "别的");
        assert_eq!(Folded::cached("第三").text, "第三");
        assert_eq!(Folded::cached("破獲ＡＢＣ").text, "破获abc");
    }

    #[test]
    fn char_count_is_preserved_on_mixed_text() {
        let s = "２０２２年９月，広西壮族自治區公安廳通報：ＯＫ！Émile";
        assert_eq!(fold(s).chars().count(), s.chars().count());
    }
}

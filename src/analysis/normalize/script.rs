//! Script step: traditional characters become simplified ones, one character at a time.
//!
//! Bulletins from converter-fed sites, Hong Kong, Macao and Taiwan are in traditional
//! script, and people type either. The mapping is fast2s's, taken character by character
//! into a table on first use: an index per character instead of fast2s's hash lookups, and
//! every traditional character it knows lies in U+3400–U+9FFF and maps to a character of
//! the same UTF-8 length (both checked by the tests below).
//!
//! fast2s also rewrites a handful of characters by their neighbours (乾隆 keeps 乾, 看著
//! becomes 看着). That is left out on purpose: a fold that looks at neighbours folds a
//! query's 乾 differently from the 乾 inside a bulletin's 乾隆, and the literal-recall
//! guarantee needs every substring of a text to fold to a substring of the text's fold.

use std::sync::LazyLock;

/// First code point of the table: CJK Extension A, then the unified ideographs.
const FIRST: u32 = 0x3400;
/// Last code point of the table.
const LAST: u32 = 0x9FFF;

static SIMPLIFIED: LazyLock<Vec<char>> = LazyLock::new(|| {
    (FIRST..=LAST)
        .map(|code| {
            let c = char::from_u32(code).unwrap_or(' ');
            let mut buf = [0u8; 4];
            let converted = fast2s::convert(c.encode_utf8(&mut buf));
            let mut chars = converted.chars();
            match (chars.next(), chars.next()) {
                (Some(s), None) if s.len_utf8() == c.len_utf8() => s,
                _ => c,
            }
        })
        .collect()
});

/// The simplified form of `c`; `c` itself when it has none (or is not Han).
#[inline]
pub(crate) fn simplify(c: char) -> char {
    let code = c as u32;
    if (FIRST..=LAST).contains(&code) {
        SIMPLIFIED[(code - FIRST) as usize]
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_becomes_simplified() {
        let cases = [
            ('養', '养'),
            ('詐', '诈'),
            ('騙', '骗'),
            ('獲', '获'),
            ('廳', '厅'),
            ('區', '区'),
            ('廣', '广'),
            ('警', '警'), // the same in both scripts
            ('诈', '诈'), // already simplified
            ('乾', '干'), // no context: 乾隆 folds to 干隆, in a query as in a bulletin
            ('著', '著'), // 看著 → 看着 needs context, so 著 stays
            ('A', 'A'),
            ('，', '，'),
            ('𠀀', '𠀀'), // outside the table
        ];
        for (c, want) in cases {
            assert_eq!(simplify(c), want, "{c}");
        }
    }

    /// Folding twice changes nothing (no simplified character is itself mapped on), and no
    /// character changes its UTF-8 length, so byte offsets survive this step.
    #[test]
    fn table_is_idempotent_and_keeps_lengths() {
        for code in FIRST..=LAST {
            let Some(c) = char::from_u32(code) else { continue };
            let s = simplify(c);
            assert_eq!(simplify(s), s, "{c} → {s}");
            assert_eq!(s.len_utf8(), c.len_utf8(), "{c}");
        }
    }

    /// Outside the table fast2s changes nothing, so the table's range loses nothing.
    #[test]
    fn fast2s_changes_nothing_outside_the_table() {
        let outside: String = ('\u{3000}'..'\u{3400}').chain('\u{A000}'..='\u{FFEF}').collect();
        assert_eq!(fast2s::convert(&outside), outside);
    }
}

//! Width step: full-width forms become their ASCII characters, the ideographic space a
//! space.
//!
//! Chinese pages type digits, Latin letters and symbols at full width (`２０２２－０８－２８`,
//! `ＡＰＰ`, `发布时间：`) where another page, or the person searching, uses ASCII. Every
//! form in U+FF01–U+FF5E folds, Chinese sentence punctuation included (`，` → `,`,
//! `（）` → `()`): both tokenizers treat either spelling as a separator, and rules written
//! against folded text then need one spelling of each mark. `。`, `、` and the quotation
//! marks are not full-width forms of anything and stay.

/// The ASCII character of a full-width form, a space for U+3000, else `c`.
#[inline]
pub fn narrow(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_becomes_ascii() {
        let cases = [
            ('２', '2'),
            ('Ａ', 'A'), // case is the next step's business
            ('ｐ', 'p'),
            ('：', ':'),
            ('－', '-'),
            ('／', '/'),
            ('，', ','),
            ('；', ';'),
            ('（', '('),
            ('）', ')'),
            ('！', '!'),
            ('？', '?'),
            ('～', '~'),
            ('\u{3000}', ' '),
            ('。', '。'),
            ('、', '、'),
            ('“', '“'),
            ('养', '养'),
            ('a', 'a'),
        ];
        for (c, want) in cases {
            assert_eq!(narrow(c), want, "{c}");
        }
    }

    #[test]
    fn the_whole_block_maps_onto_printable_ascii() {
        for c in '\u{FF01}'..='\u{FF5E}' {
            let n = narrow(c);
            assert!(n.is_ascii_graphic(), "{c} → {n:?}");
            assert_eq!(narrow(n), n);
        }
    }
}

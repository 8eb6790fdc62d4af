//! Case step: letters become lower case.
//!
//! Bulletins write `APP`, `App` and `app`, `ICP`, `QQ`, and people type whichever comes to
//! mind. Every script with case folds (Latin with accents, Greek, Cyrillic), one character
//! to one character: the rare letter whose lower case is two characters (`İ`) stays as it
//! is, so no step but the pinyin one changes how many characters a text has.

/// The lower-case form of `c` when it is one character, else `c`.
#[inline]
pub fn lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    // Han characters have no case; skip the Unicode table search for the bulk of the text.
    if crate::chars::is_common_han(c) || !c.is_uppercase() {
        return c;
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_become_lower_case() {
        let cases = [
            ('A', 'a'),
            ('Z', 'z'),
            ('a', 'a'),
            ('5', '5'),
            ('É', 'é'),
            ('Ω', 'ω'),
            ('Д', 'д'),
            ('Ǎ', 'ǎ'), // a toned pinyin capital
            ('İ', 'İ'), // lower case would be two characters
            ('养', '养'),
            ('Ａ', 'ａ'), // full-width letters have case too (the width step runs first)
        ];
        for (c, want) in cases {
            assert_eq!(lower(c), want, "{c}");
        }
    }

    #[test]
    fn folding_twice_changes_nothing() {
        for c in ('\u{0}'..='\u{2FFF}').chain('\u{FF00}'..='\u{FFEF}') {
            assert_eq!(lower(lower(c)), lower(c), "{c:?}");
        }
    }
}

//! What a character is, and where a string may be cut: the few character facts that
//! reading, extraction and analysis all need.
//!
//! Kept in one leaf module (it imports nothing from the crate) so that every stage asks the
//! same question the same way: two definitions of "CJK" with different ranges, or a cut
//! that lands inside a character in one place but not another, make stages disagree about
//! the same text.

/// True for Han ideographs: the unified ideographs and Extension A, the compatibility
/// ideographs, Extensions B–I in the supplementary planes, and 〇 (U+3007), the ideographic
/// zero of dates such as 二〇二二年. These are the characters jieba segments, converters
/// annotate with pinyin and headlines are made of.
#[inline]
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x323AF | 0x3007)
}

/// The CJK Unified Ideographs of Unicode 1.1 (U+4E00–U+9FA5): all assigned letters, never
/// upper case, never folded by width. Most characters of a bulletin are here, so this range
/// check is the fast path of per-character work.
#[inline]
pub(crate) fn is_common_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FA5}').contains(&c)
}

/// The largest character boundary of `s` at or before byte `at` (`s.len()` when `at` is
/// past the end): where a byte budget may cut text without splitting a character.
#[inline]
pub(crate) fn floor_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    // A UTF-8 character is at most four bytes, so a boundary is at most three bytes back.
    (at.saturating_sub(3)..=at).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_ranges() {
        let cases = [
            ('通', true),
            ('㐀', true), // Extension A
            ('𠀀', true), // Extension B
            ('𰀀', true), // Extension G
            ('豈', true), // compatibility ideograph
            ('〇', true),
            ('。', false),
            ('，', false),
            ('Ａ', false),
            ('a', false),
            ('ā', false),
            ('ア', false),
        ];
        for (c, want) in cases {
            assert_eq!(is_cjk(c), want, "{c}");
        }
        assert!(('\u{4E00}'..='\u{9FA5}').all(|c| is_common_han(c) && is_cjk(c)));
        assert!(!is_common_han('〇') && !is_common_han('\u{9FA6}'));
    }

    #[test]
    fn cuts_fall_on_character_boundaries() {
        // 通 is three bytes, 𠀀 four, a one.
        let s = "a通𠀀b";
        let cases = [(0, 0), (1, 1), (2, 1), (3, 1), (4, 4), (5, 4), (6, 4), (7, 4), (8, 8), (9, 9), (100, 9)];
        for (at, want) in cases {
            assert_eq!(floor_boundary(s, at), want, "at {at}");
        }
        assert_eq!(floor_boundary("", 5), 0);
    }
}

//! Character folding applied before segmentation: traditional → simplified, full-width →
//! half-width, Latin lower case.
//!
//! Every step maps one character to exactly one character, so a position counted in
//! characters is the same in the folded and the original text. That lets tokenizers report
//! byte offsets into the original text, which highlighting relies on.

/// Text folded for matching, with the byte offset in the original text of every character.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    /// `orig_offsets[i]` is the byte offset in the original text of character `i`;
    /// the last entry is the original length.
    pub orig_offsets: Vec<usize>,
}

impl Folded {
    /// Fold `original`, remembering where each character came from.
    pub fn new(original: &str) -> Folded {
        let text = fold(original);
        let mut orig_offsets: Vec<usize> = original.char_indices().map(|(i, _)| i).collect();
        orig_offsets.push(original.len());
        Folded { text, orig_offsets }
    }

    /// Byte offset in the original text of character index `char_idx`.
    pub fn orig_byte(&self, char_idx: usize) -> usize {
        self.orig_offsets
            .get(char_idx)
            .copied()
            .unwrap_or_else(|| *self.orig_offsets.last().unwrap_or(&0))
    }
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
    simplified.chars().map(fold_width_case).collect()
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
        assert_eq!(f.orig_byte(0), 0);
        assert_eq!(f.orig_byte(1), 3);
        assert_eq!(&original[f.orig_byte(1)..f.orig_byte(3)], "詐騙");
        assert_eq!(f.orig_byte(4), original.len());
    }

    #[test]
    fn char_count_is_preserved_on_mixed_text() {
        let s = "２０２２年９月，広西壮族自治區公安廳通報：ＯＫ！Émile";
        assert_eq!(fold(s).chars().count(), s.chars().count());
    }
}

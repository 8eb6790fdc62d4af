//! Making untrusted text safe to print on a terminal.
//!
//! Bulletin text, file names and error messages that quote them are untrusted: scraped
//! pages carry control characters, ANSI/OSC escape sequences and bidirectional overrides
//! that would rewrite a terminal's screen or title. Everything from a bulletin goes through
//! [`sanitize`] before it reaches a terminal. This module depends on nothing else in the
//! crate, so every layer (the panic guard, the printers, the front ends) can use it without
//! importing the layers above it.

/// Remove what a terminal would interpret: C0/C1 controls (ESC starts every escape
/// sequence, so removing it defuses them), DEL, and bidi overrides. Line breaks and tabs
/// become spaces.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\t' | '\r' => Some(' '),
            c if c.is_control() => None,
            c if is_bidi_control(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Marks and overrides that reorder text on screen (Trojan Source): LRM/RLM, ALM, the
/// embeddings and overrides U+202A–U+202E and the isolates U+2066–U+2069.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Longest message line (reason or note) printed about one file, in characters. A reason
/// quotes what it found (a broken front matter line, a sidecar's error), and a hostile
/// file can make that megabytes long.
pub(crate) const MAX_LINE_CHARS: usize = 300;

/// `line` cut to [`MAX_LINE_CHARS`] characters, with `…` where it was cut.
pub fn cap_line(line: &str) -> String {
    match line.char_indices().nth(MAX_LINE_CHARS) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_removes_escapes_and_controls() {
        let cases = [
            ("正常\x1b[31m红\x1b]0;title\x07文本\u{9b}2J", "正常[31m红]0;title文本2J"),
            ("a\u{202E}b\nc\0d", "ab cd"),
            ("警情通报\t第\r\n3号", "警情通报 第  3号"),
            ("清远市公安局", "清远市公安局"),
        ];
        for (given, want) in cases {
            assert_eq!(sanitize(given), want, "{given:?}");
        }
    }

    #[test]
    fn long_lines_are_capped_at_a_character_boundary() {
        let long = "诈".repeat(MAX_LINE_CHARS + 5);
        let capped = cap_line(&long);
        assert_eq!(capped.chars().count(), MAX_LINE_CHARS + 1);
        assert!(capped.ends_with('…'));
        assert_eq!(cap_line("短句"), "短句");
    }
}

//! Text hygiene shared by every format: one kind of line ending, one kind of space, no
//! invisible characters, no blank lines.
//!
//! Scraped pages are full of characters that look like nothing but break tokenizing and
//! matching: NULs, C1 controls from mis-decoded Windows-1252, zero-width joiners, ideographic
//! and non-breaking spaces. This step makes text from every reader look the same.
//!
//! It also drops the pinyin that script converters print after characters, so that what
//! tongbao shows and quotes reads as published without them. The rule is not written here:
//! it is the pinyin step of the one fold (`analysis::normalize::pinyin`), applied to each
//! line.

/// Normalise `text` into lines: `\n` endings, control and zero-width characters removed,
/// every kind of space turned into ' ' (runs collapsed to one), converter pinyin dropped,
/// lines trimmed, blank lines dropped. Tabs survive (collapsed like spaces) since they
/// separate table cells.
pub(crate) fn tidy_lines(text: &str) -> Vec<String> {
    let text = decode_nbsp(text);
    let mut lines = Vec::new();
    let mut line = String::new();
    // Pending whitespace: None, Some(false) = spaces, Some(true) = contains a tab.
    let mut pending: Option<bool> = None;
    let mut prev_cr = false;
    for c in text.chars() {
        let was_cr = std::mem::replace(&mut prev_cr, c == '\r');
        match c {
            '\r' | '\n' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                if c == '\n' && was_cr {
                    continue;
                }
                push_line(&mut lines, &mut line);
                pending = None;
            }
            '\t' => pending = Some(true),
            c if is_space(c) => {
                pending.get_or_insert(false);
            }
            c if is_invisible(c) => {}
            c => {
                if let Some(tab) = pending.take() {
                    if !line.is_empty() {
                        line.push(if tab { '\t' } else { ' ' });
                    }
                }
                line.push(c);
            }
        }
    }
    push_line(&mut lines, &mut line);
    lines
}

/// Same as [`tidy_lines`], joined with `\n`.
#[cfg(test)]
pub(crate) fn tidy(text: &str) -> String {
    tidy_lines(text).join("\n")
}

fn push_line(lines: &mut Vec<String>, line: &mut String) {
    if !line.is_empty() {
        let text = std::mem::take(line);
        lines.push(crate::analysis::normalize::pinyin::strip(&text).unwrap_or(text));
    }
}

/// Spaces of every width, including the ideographic space U+3000 that Chinese pages use
/// for paragraph indents.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}')
}

/// Characters that render as nothing: controls, zero-width marks, BOMs, soft hyphens.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
        )
}

/// `&nbsp;` survives as literal text in pages saved as text, and in HTML that was escaped
/// twice. Only this entity is decoded here: it is unambiguous and the most common.
fn decode_nbsp(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains("&nbsp") {
        let t = text.replace("&nbsp;", " ").replace("&amp;nbsp;", " ");
        std::borrow::Cow::Owned(t.replace("&nbsp", " "))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hygiene() {
        let cases: &[(&str, &str)] = &[
            ("a\r\nb\rc\n", "a\nb\nc"),
            ("\u{3000}\u{3000}9月28日,自治区公安厅召开新闻发布会。  \n\n\n\n下一步", "9月28日,自治区公安厅召开新闻发布会。\n下一步"),
            ("来源:新华网\u{a0}\u{a0}作者:熊丰&nbsp;&nbsp;2022-09-27", "来源:新华网 作者:熊丰 2022-09-27"),
            ("通\u{200b}报\u{feff}\u{0}正\u{7}文\u{85}下一行", "通报正文\n下一行"),
            ("单元格\t\t第二格", "单元格\t第二格"),
            ("  \t  \n \u{3000} \n", ""),
            ("\u{202e}反转\u{2028}分段", "反转\n分段"),
        ];
        for (input, want) in cases {
            assert_eq!(tidy(input), *want, "{input:?}");
        }
    }
}

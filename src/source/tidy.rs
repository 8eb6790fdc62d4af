//! Text hygiene shared by every format: one kind of line ending, one kind of space, no
//! invisible characters, no blank lines.
//!
//! Scraped pages are full of characters that look like nothing but break tokenizing and
//! matching: NULs, C1 controls from mis-decoded Windows-1252, zero-width joiners, ideographic
//! and non-breaking spaces. This step makes text from every reader look the same.

/// Normalise `text` into lines: `\n` endings, control and zero-width characters removed,
/// every kind of space turned into ' ' (runs collapsed to one), lines trimmed, blank lines
/// dropped. Tabs survive (collapsed like spaces) since they separate table cells.
pub fn tidy_lines(text: &str) -> Vec<String> {
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
pub fn tidy(text: &str) -> String {
    tidy_lines(text).join("\n")
}

fn push_line(lines: &mut Vec<String>, line: &mut String) {
    if !line.is_empty() {
        let text = std::mem::take(line);
        lines.push(strip_converter_pinyin(&text).unwrap_or(text));
    }
}

/// Vowels with a tone mark, as script converters print pinyin.
fn is_toned(c: char) -> bool {
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ".contains(c)
}

/// Some simplified→traditional converters insert the pinyin of characters they are unsure
/// of: `養(yǎng)老詐騙專(zhuān)項`. The annotations split words, so 养老诈骗 would not be found
/// in that bulletin at all. Removes a parenthesised syllable with a tone mark that follows
/// an ideograph; `None` when there is none (the common case, checked cheaply).
pub fn strip_converter_pinyin(line: &str) -> Option<String> {
    if !line.contains('(') || !line.chars().any(is_toned) {
        return None;
    }
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    let mut changed = false;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        i += 1;
        if !crate::chars::is_cjk(c) || chars.get(i) != Some(&'(') {
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while end < chars.len() && end - start <= 7 && (chars[end].is_ascii_lowercase() || is_toned(chars[end]) || chars[end] == 'ü') {
            end += 1;
        }
        if end > start && chars.get(end) == Some(&')') && chars[start..end].iter().any(|&c| is_toned(c)) {
            i = end + 1;
            changed = true;
        }
    }
    changed.then_some(out)
}

/// Spaces of every width, including the ideographic space U+3000 that Chinese pages use
/// for paragraph indents.
#[cfg(test)]
mod pinyin_tests {
    use super::strip_converter_pinyin;

    #[test]
    fn converter_pinyin_is_removed_and_real_parentheses_stay() {
        let cases = [
            ("扎實推進打擊整治養(yǎng)老詐騙工作", Some("扎實推進打擊整治養老詐騙工作")),
            ("專(zhuān)項行動(dòng)開(kāi)展", Some("專項行動開展")),
            ("嫌疑人(男,35岁)已到案", None),
            ("访问 (see) 网站", None),
            ("公安局(gōng ān jú)", None),
            ("app(应用)下载", None),
        ];
        for (input, want) in cases {
            assert_eq!(strip_converter_pinyin(input).as_deref(), want, "{input}");
        }
    }
}

fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
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
            (
                "\u{3000}\u{3000}9月28日,自治区公安厅召开新闻发布会。  \n\n\n\n下一步",
                "9月28日,自治区公安厅召开新闻发布会。\n下一步",
            ),
            (
                "来源:新华网\u{a0}\u{a0}作者:熊丰&nbsp;&nbsp;2022-09-27",
                "来源:新华网 作者:熊丰 2022-09-27",
            ),
            (
                "通\u{200b}报\u{feff}\u{0}正\u{7}文\u{85}下一行",
                "通报正文\n下一行",
            ),
            ("单元格\t\t第二格", "单元格\t第二格"),
            ("  \t  \n \u{3000} \n", ""),
            ("\u{202e}反转\u{2028}分段", "反转\n分段"),
        ];
        for (input, want) in cases {
            assert_eq!(tidy(input), *want, "{input:?}");
        }
    }
}

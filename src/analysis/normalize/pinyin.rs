//! Pinyin step: the pinyin that script converters print after characters is dropped
//! (`養(yǎng)老詐騙` → `養老詐騙`).
//!
//! Some simplified → traditional converters annotate the characters they are unsure of.
//! The annotations split words, so 养老诈骗 would not be found in such a bulletin at all. An
//! annotation is a parenthesised pinyin syllable with a tone mark right after an ideograph;
//! real parentheses (`嫌疑人(男,35岁)`, `下载(app)`, `(gōng ān jú)` with spaces) are not
//! syllables and stay. This is the one step that removes characters, which is why
//! [`Folded`](super::Folded) keeps a map back to the original offsets.
//!
//! The annotations are a converter's noise, not the bulletin's words, so the readers also
//! [`strip`] them from the text they keep: what tongbao shows and quotes reads `養老詐騙`.
//! Folding drops them all the same, for text that never went through a reader (queries,
//! metadata), with the same rule.

use super::fold_char;

/// Pinyin vowels with a tone mark, and the toned syllabic nasals (ń, ň, ǹ, ḿ).
fn is_toned(c: char) -> bool {
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ".contains(c)
}

/// Longest pinyin syllable, in letters (zhuàng, chuāng, shuāng).
const MAX_LETTERS: usize = 6;

/// Byte length of the annotation at the start of `rest` — `(`, one syllable of lower-case
/// pinyin with a tone mark, `)` — judging each character as `fold` folds it (so a
/// full-width `（ＹǍＮＧ）` counts as well, and folding a folded text finds nothing more to
/// drop). `None` when `rest` does not start with one.
pub(crate) fn annotation_len(rest: &str, fold: impl Fn(char) -> char) -> Option<usize> {
    let mut chars = rest.char_indices().map(|(i, c)| (i, c, fold(c)));
    if chars.next()?.2 != '(' {
        return None;
    }
    let (mut letters, mut toned) = (0, false);
    for (i, c, f) in chars {
        if f == ')' {
            return (letters > 0 && toned).then_some(i + c.len_utf8());
        }
        if letters == MAX_LETTERS || !(f.is_ascii_lowercase() || f == 'ü' || is_toned(f)) {
            return None;
        }
        letters += 1;
        toned |= is_toned(f);
    }
    None
}

/// `text` without converter annotations; `None` when it has none (the common case, found
/// out cheaply). Drops exactly what folding drops, so `fold(strip(t)) == fold(t)`.
pub(crate) fn strip(text: &str) -> Option<String> {
    if !text.contains(['(', '（']) || !text.chars().any(|c| is_toned(fold_char(c))) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut after_han = false;
    while let Some(c) = text[at..].chars().next() {
        if after_han {
            if let Some(len) = annotation_len(&text[at..], fold_char) {
                at += len;
                continue;
            }
        }
        out.push(c);
        at += c.len_utf8();
        after_han = crate::chars::is_cjk(c);
    }
    (out.len() != text.len()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn len(s: &str) -> Option<usize> {
        annotation_len(s, fold_char)
    }

    #[test]
    fn syllables_with_tone_marks_are_annotations() {
        let cases: &[(&str, Option<&str>)] = &[
            ("(yǎng)老", Some("(yǎng)")),
            ("(zhuān)項", Some("(zhuān)")),
            ("(dòng)", Some("(dòng)")),
            ("(lǜ)师", Some("(lǜ)")),
            ("(ń)", Some("(ń)")),
            ("（ＹǍＮＧ）老", Some("（ＹǍＮＧ）")),
            ("(zhuàng)", Some("(zhuàng)")),
            // Not annotations: no tone mark, words, spaces, numbers, too long, unclosed.
            ("(app)下载", None),
            ("(yang)", None),
            ("(男,35岁)", None),
            ("(gōng ān jú)", None),
            ("(2022)", None),
            ("(zhuàngg)", None),
            ("(yǎng", None),
            ("()", None),
            ("老(yǎng)", None),
        ];
        for (input, want) in cases {
            assert_eq!(len(input), want.map(str::len), "{input}");
        }
    }

    #[test]
    fn readers_strip_annotations_and_keep_real_parentheses() {
        let cases = [
            ("扎實推進打擊整治養(yǎng)老詐騙工作", Some("扎實推進打擊整治養老詐騙工作")),
            ("專(zhuān)項行動(dòng)開(kāi)展", Some("專項行動開展")),
            ("養(yǎng)(yǎng)老", Some("養老")),
            ("本報（ＢÀＯ）訊", Some("本報訊")),
            ("嫌疑人(男,35岁)已到案", None),
            ("访问 (see) 网站", None),
            ("公安局(gōng ān jú)", None),
            ("app(应用)下载", None),
            ("Émile(yǎng)", None),
        ];
        for (input, want) in cases {
            let got = strip(input);
            assert_eq!(got.as_deref(), want, "{input}");
            assert_eq!(super::super::fold(got.as_deref().unwrap_or(input)), super::super::fold(input), "{input}");
        }
    }
}

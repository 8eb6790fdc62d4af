//! Folding: the one form of text that everything in tongbao matches on.
//!
//! Bulletins come in simplified and traditional script, with full-width digits and Latin
//! letters, in mixed case, and sometimes with a converter's pinyin after characters; people
//! search in any of these. So text is folded before anything looks at it — the region,
//! date and category rules, page-chrome detection, both tokenizers, SimHash, highlighting —
//! and all of them see the same fold, written once here. Rules are written in folded form:
//! simplified, half-width, lower case.
//!
//! The fold is a pipeline of small steps, each a file with its own tests (charabia's
//! normalizers are the model):
//! - [`pinyin`]: a converter's pinyin after an ideograph is dropped (`養(yǎng)老` → `養老`);
//! - [`script`]: traditional → simplified (`養老` → `养老`);
//! - [`width`]: full-width forms → ASCII (`２０２２：ＡＰＰ` → `2022:APP`);
//! - [`case`]: lower case (`APP` → `app`).
//!
//! Every step but `pinyin` maps one character to one character without looking at its
//! neighbours, and `pinyin` only drops whole annotations, so a substring of a text (short of
//! half an annotation) folds to a substring of the text's fold: what grep finds in a
//! bulletin, a search for its fold finds in the bulletin's fold. Folding is idempotent: a
//! folded text folds to itself.
//!
//! [`Folded`] keeps the way back to the original: the byte offset in the original of any
//! character boundary of the fold, which highlighting and the page-chrome reader use to
//! show the text as published.

pub mod case;
pub mod pinyin;
pub mod script;
pub mod width;

use std::ops::Range;

use crate::chars::{is_cjk, is_common_han};

/// Version of the fold, recorded in every index (see `Resources::fingerprint`): bump it
/// when a step changes what a text folds to, so that indexes built with the old fold are
/// rebuilt instead of mixing two folds.
pub(crate) const VERSION: u32 = 1;

/// One character through the steps that map characters one to one: script, width, case.
#[inline]
pub(crate) fn fold_char(c: char) -> char {
    let c = script::simplify(c);
    // Most of a bulletin: no width and no case.
    if is_common_han(c) {
        return c;
    }
    case::lower(width::narrow(c))
}

/// Fold a text for matching.
pub fn fold(text: &str) -> String {
    run(text, None)
}

/// A folded text with the way back to byte offsets in the original.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Folded {
    text: String,
    /// `(folded, original)` byte offsets where the two texts stop running in step: from
    /// `folded` on (up to the next anchor), folded byte `b` is original byte
    /// `original + b - folded`. Sorted, strictly increasing in both. Empty when every
    /// character kept its UTF-8 length and nothing was dropped, which is most text.
    anchors: Vec<(usize, usize)>,
}

impl Folded {
    /// Fold `original`, remembering where each character came from.
    pub fn new(original: &str) -> Folded {
        let mut anchors = Vec::new();
        let text = run(original, Some(&mut anchors));
        Folded { text, anchors }
    }

    /// The folded text.
    #[inline]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Byte offset in the original of folded byte offset `folded` (a character boundary of
    /// the fold, or its length; larger values count as the length). A boundary next to
    /// dropped pinyin maps to the original after it, so a match ending at `养` covers
    /// `養(yǎng)`.
    #[inline]
    pub(crate) fn original_byte(&self, folded: usize) -> usize {
        let folded = folded.min(self.text.len());
        match self.anchors.partition_point(|&(f, _)| f <= folded) {
            0 => folded,
            k => {
                let (f, o) = self.anchors[k - 1];
                o + (folded - f)
            }
        }
    }

    /// The original byte range of a folded byte range.
    pub(crate) fn original_range(&self, folded: Range<usize>) -> Range<usize> {
        self.original_byte(folded.start)..self.original_byte(folded.end)
    }
}

/// A bulletin's title and body, folded once when the bulletin is read. Extraction,
/// SimHash and the indexed fields all take this fold, instead of each folding the same
/// text again (three passes over every bulletin, with folds that disagreed, before).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Folds {
    pub title: Folded,
    pub body: Folded,
}

impl Folds {
    pub fn new(title: &str, body: &str) -> Folds {
        Folds { title: Folded::new(title), body: Folded::new(body) }
    }
}

/// Record that folded byte `folded` is original byte `orig` (replacing an anchor at the
/// same folded offset: pinyin dropped right after a width change).
fn mark(anchors: &mut Option<&mut Vec<(usize, usize)>>, folded: usize, orig: usize) {
    if let Some(list) = anchors.as_deref_mut() {
        match list.last_mut() {
            Some(last) if last.0 == folded => *last = (folded, orig),
            _ => list.push((folded, orig)),
        }
    }
}

/// The pipeline: every character through [`fold_char`], pinyin after an ideograph dropped;
/// anchors recorded where offsets stop running in step, when asked for. Characters that
/// fold to themselves (most of any text) are copied in runs, not one by one.
fn run(original: &str, mut anchors: Option<&mut Vec<(usize, usize)>>) -> String {
    let mut out = String::with_capacity(original.len());
    // Original bytes from `copied` up to the current character fold to themselves and are
    // still to be copied.
    let mut copied = 0;
    // Whether the last character kept is an ideograph, after which `(` may open pinyin.
    let mut after_han = false;
    for (at, c) in original.char_indices() {
        if at < copied {
            continue; // inside dropped pinyin
        }
        let f = fold_char(c);
        if f == '(' && after_han {
            if let Some(len) = pinyin::annotation_len(&original[at..], fold_char) {
                out.push_str(&original[copied..at]);
                copied = at + len;
                mark(&mut anchors, out.len(), copied);
                continue;
            }
        }
        if f != c {
            out.push_str(&original[copied..at]);
            out.push(f);
            copied = at + c.len_utf8();
            if f.len_utf8() != c.len_utf8() {
                mark(&mut anchors, out.len(), copied);
            }
        }
        after_han = is_cjk(f);
    }
    out.push_str(&original[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pipeline on real-looking sentences: every step, and the steps together.
    #[test]
    fn folds_script_width_case_and_pinyin() {
        let cases = [
            ("破獲詐騙案件", "破获诈骗案件"),
            ("電信網絡詐騙", "电信网络诈骗"),
            ("打擊整治養老詐騙", "打击整治养老诈骗"),
            ("ＡＢＣ１２３", "abc123"),
            ("公安ＡＰＰ反诈", "公安app反诈"),
            ("下载APP", "下载app"),
            ("沪ICP备14003370号", "沪icp备14003370号"),
            ("发布时间：２０２２－０８－２８", "发布时间:2022-08-28"),
            ("9月28日，自治區公安廳召開新聞發布會；", "9月28日,自治区公安厅召开新闻发布会;"),
            ("\u{3000}\u{3000}近日，", "  近日,"),
            ("養(yǎng)老詐騙專(zhuān)項行動(dòng)", "养老诈骗专项行动"),
            ("嫌疑人(男,35岁)已到案", "嫌疑人(男,35岁)已到案"),
            ("嫌疑人（男，35岁）已到案", "嫌疑人(男,35岁)已到案"),
            ("访问 (see) 网站", "访问 (see) 网站"),
            ("下载(app)客户端", "下载(app)客户端"),
            ("养(yǎng)(yǎng)老", "养老"),
            ("清远市公安局", "清远市公安局"),
            ("Émile", "émile"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input), want, "fold({input})");
            assert_eq!(Folded::new(input).text(), want, "Folded::new({input})");
            assert_eq!(fold(want), want, "folding {want} again");
        }
    }

    /// Offsets map back to the original, through width changes and dropped pinyin.
    #[test]
    fn offsets_point_into_the_original() {
        let original = "Ａ詐騙b養(yǎng)老（Ｘ）";
        let f = Folded::new(original);
        assert_eq!(f.text(), "a诈骗b养老(x)");
        let orig = |from: &str, to: &str| {
            let (s, e) = (f.text().find(from).unwrap(), f.text().find(to).unwrap() + to.len());
            &original[f.original_range(s..e)]
        };
        assert_eq!(orig("a", "a"), "Ａ");
        assert_eq!(orig("诈", "骗"), "詐騙");
        assert_eq!(orig("b", "b"), "b");
        assert_eq!(orig("养", "老"), "養(yǎng)老");
        assert_eq!(orig("老", "老"), "老");
        assert_eq!(orig("(", ")"), "（Ｘ）");
        assert_eq!(f.original_byte(0), 0);
        assert_eq!(f.original_byte(f.text().len()), original.len());
        assert_eq!(f.original_byte(usize::MAX), original.len());
        // Same layout: no anchors, offsets shared.
        let g = Folded::new("破獲詐騙");
        assert!(g.anchors.is_empty());
        assert_eq!(g.original_byte(6), 6);
    }

    proptest::proptest! {
        /// For any text: folding twice is folding once; the one-to-one steps keep the
        /// character count; a substring folds to a substring; every folded boundary maps
        /// to an original boundary, in order.
        #[test]
        fn fold_properties(a in "[养養A-Za-zＡ-Ｚ０-９0-9(（)）ǎāyng 。，,\u{3000}é𠀀]{0,24}",
                           b in "[养養A-Za-zＡ-Ｚ０-９0-9(（)）ǎāyng 。，,\u{3000}é𠀀]{0,24}") {
            let whole = format!("{a}{b}");
            let f = Folded::new(&whole);
            proptest::prop_assert_eq!(fold(f.text()), f.text());
            proptest::prop_assert_eq!(fold(&whole), f.text());
            if !whole.contains(['(', '（']) {
                proptest::prop_assert_eq!(f.text().chars().count(), whole.chars().count());
                proptest::prop_assert_eq!(format!("{}{}", fold(&a), fold(&b)), f.text());
            }
            let mut last = 0;
            for (i, _) in f.text().char_indices().chain([(f.text().len(), ' ')]) {
                let o = f.original_byte(i);
                proptest::prop_assert!(whole.is_char_boundary(o) && o >= last, "{} → {}", i, o);
                last = o;
            }
        }
    }
}

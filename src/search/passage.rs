//! Choosing a hit's best passages and the spans to highlight in them.
//!
//! A passage is one or more whole sentences (split at 。！？； and line breaks) around the
//! densest matches, about [`MAX_PASSAGE_CHARS`] characters at most; an overlong sentence is
//! cut around its matches with an ellipsis. Matching is done on folded text and mapped back
//! to the text as published through the fold's offsets (a match of 养老 in
//! `養(yǎng)老` covers the pinyin too). Written here rather than with tantivy's
//! SnippetGenerator, which counts bytes and mishandles overlapping tokens.

use serde::Serialize;

use crate::analysis::{fold, Folded};

/// Longest passage, in characters.
pub(crate) const MAX_PASSAGE_CHARS: usize = 120;
/// A matching sentence shorter than this (a heading, a fragment) takes its neighbours
/// along for context.
const MIN_PASSAGE_CHARS: usize = 20;

/// A piece of a bulletin with the spans that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    pub text: String,
    /// `[start, end)` character offsets into `text`, sorted, merged when adjacent.
    pub highlights: Vec<[usize; 2]>,
}

/// The patterns worth highlighting in one bulletin. A pattern inside a longer one that
/// occurs in the text is dropped (it is still marked within the longer one's matches):
/// for 养老诈骗 a bulletin that says 养老诈骗 should not light up every 养老 and 诈骗 too,
/// while one that only says 电信网络诈骗 still shows the parts 电信 … 诈骗 of 电信诈骗.
/// `expansions` never hide other patterns: a synonym containing the user's word
/// (涉养老诈骗) must not hide the word's own matches.
pub(crate) fn patterns_for(texts: &[&str], patterns: &[String], expansions: &[String]) -> Vec<String> {
    let folded: Vec<String> = texts.iter().map(|t| fold(t)).collect();
    let present: Vec<&String> = patterns.iter().filter(|p| !p.is_empty() && folded.iter().any(|t| t.contains(p.as_str()))).collect();
    present
        .iter()
        .filter(|p| !present.iter().any(|q| q.len() > p.len() && q.contains(p.as_str()) && !expansions.iter().any(|e| e == *q)))
        .map(|p| (*p).clone())
        .collect()
}

/// Spans (character offsets) in `text` where any of `patterns` (folded strings) occurs.
/// Longer patterns win where matches overlap; overlapping and adjacent spans merge.
pub(crate) fn find_spans(text: &str, patterns: &[String]) -> Vec<[usize; 2]> {
    let folded = Folded::new(text);
    // Character number of each byte offset of the original that starts a character.
    let starts: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
    let char_at = |byte: usize| starts.partition_point(|&b| b < byte);
    let mut spans: Vec<[usize; 2]> = Vec::new();
    for p in patterns {
        if p.is_empty() {
            continue;
        }
        for (at, m) in folded.text().match_indices(p.as_str()) {
            let original = folded.original_range(at..at + m.len());
            spans.push([char_at(original.start), char_at(original.end)]);
        }
    }
    merge(spans)
}

fn merge(mut spans: Vec<[usize; 2]>) -> Vec<[usize; 2]> {
    spans.sort();
    let mut out: Vec<[usize; 2]> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s[0] <= last[1] => last[1] = last[1].max(s[1]),
            _ => out.push(s),
        }
    }
    out
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n')
}

/// Whether the character at `i` ends a sentence: a sentence mark, or a closing quote or
/// bracket right after one (`。”`).
fn closes_sentence(chars: &[char], i: usize) -> bool {
    let mut k = i;
    while k > 0 && matches!(chars[k], '”' | '’' | '」' | '』' | '）' | ')' | '"') {
        k -= 1;
    }
    chars.get(k).is_some_and(|&c| is_sentence_end(c))
}

/// Sentence ranges (character offsets, end exclusive, trailing separator included).
fn sentences(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        if is_sentence_end(chars[i]) {
            // A closing quote or bracket after 。 belongs to the sentence it closes.
            let mut end = i + 1;
            while chars[i] != '\n' && end < chars.len() && matches!(chars[end], '”' | '’' | '」' | '』' | '）' | ')' | '"') {
                end += 1;
            }
            out.push((start, end));
            start = end;
            i = end;
            continue;
        }
        i += 1;
    }
    if start < chars.len() {
        out.push((start, chars.len()));
    }
    out
}

/// Pick up to `max` passages from `body`, best first. With no match in the body, the
/// opening of the bulletin is returned without highlights.
pub(crate) fn best_passages(body: &str, patterns: &[String], max: usize) -> Vec<Passage> {
    let chars: Vec<char> = body.chars().collect();
    let spans = find_spans(body, patterns);
    let sents = sentences(&chars);
    if spans.is_empty() {
        return lead(&chars, &sents);
    }
    // Score each sentence: distinct matched strings count more than repeats.
    let mut scored: Vec<(f32, usize)> = Vec::new();
    for (si, &(s, e)) in sents.iter().enumerate() {
        let inside: Vec<&[usize; 2]> = spans.iter().filter(|sp| sp[0] >= s && sp[1] <= e).collect();
        if inside.is_empty() {
            continue;
        }
        let mut distinct: Vec<String> = inside.iter().map(|sp| fold(&chars[sp[0]..sp[1]].iter().collect::<String>())).collect();
        distinct.sort();
        distinct.dedup();
        let covered: usize = inside.iter().map(|sp| sp[1] - sp[0]).sum();
        let score = distinct.len() as f32 * 2.0 + covered as f32 * 0.1 + inside.len() as f32 * 0.2;
        scored.push((score, si));
    }
    scored.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal).then(a.1.cmp(&b.1)));
    let mut used: Vec<(usize, usize)> = Vec::new();
    let mut out = Vec::new();
    for (_, si) in scored {
        if out.len() >= max {
            break;
        }
        let (s, e) = sents[si];
        if used.iter().any(|&(us, ue)| s < ue && us < e) {
            continue;
        }
        let (mut ps, mut pe) = window(&chars, &sents, si, &spans);
        if used.iter().any(|&(us, ue)| ps < ue && us < pe) {
            // Its context is already shown in a better passage: the sentence alone.
            if e - s > MAX_PASSAGE_CHARS {
                continue;
            }
            (ps, pe) = (s, e);
        }
        used.push((ps, pe));
        out.push(make_passage(&chars, ps, pe, &spans));
    }
    out
}

/// Grow a matching sentence with neighbours while it fits; shrink an overlong one to a
/// window around its matches.
fn window(chars: &[char], sents: &[(usize, usize)], si: usize, spans: &[[usize; 2]]) -> (usize, usize) {
    let (mut s, mut e) = sents[si];
    if e - s > MAX_PASSAGE_CHARS {
        let inside: Vec<&[usize; 2]> = spans.iter().filter(|sp| sp[0] >= s && sp[1] <= e).collect();
        // Start a little before the first match so the passage has context.
        let first = inside.first().map(|sp| sp[0]).unwrap_or(s);
        // Begin at a clause (after ，、：) within reach, not in the middle of a name.
        let clause = (first.saturating_sub(30).max(s)..first).rev().find(|&k| matches!(chars.get(k), Some('，' | '、' | '：' | ',' | ':')));
        let start = clause.map_or(first.saturating_sub(20).max(s), |k| k + 1);
        let end = (start + MAX_PASSAGE_CHARS).min(e);
        return (end.saturating_sub(MAX_PASSAGE_CHARS).max(s).min(start), end);
    }
    let (mut lo, mut hi) = (si, si);
    loop {
        let mut grew = false;
        if hi + 1 < sents.len() && sents[hi + 1].1 - s <= MAX_PASSAGE_CHARS && sents[hi].1 - s < MIN_PASSAGE_CHARS {
            hi += 1;
            e = sents[hi].1;
            grew = true;
        }
        if lo > 0 && e - sents[lo - 1].0 <= MAX_PASSAGE_CHARS && e - s < MIN_PASSAGE_CHARS {
            lo -= 1;
            s = sents[lo].0;
            grew = true;
        }
        if !grew {
            break;
        }
    }
    (s, e)
}

fn make_passage(chars: &[char], s: usize, e: usize, spans: &[[usize; 2]]) -> Passage {
    // Trim whitespace at both ends, keeping offsets right.
    let mut s = s;
    let mut e = e;
    while s < e && chars[s].is_whitespace() {
        s += 1;
    }
    while e > s && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    let mut text = String::new();
    let mut shift = 0usize;
    let cut_front = s > 0 && !closes_sentence(chars, s - 1);
    if cut_front {
        text.push('…');
        shift = 1;
    }
    let mut out_text: String = chars[s..e].iter().map(|&c| if c == '\n' { ' ' } else { c }).collect();
    let cut_back = e < chars.len() && !closes_sentence(chars, e - 1) && !chars[e].is_whitespace();
    text.push_str(&out_text);
    if cut_back {
        text.push('…');
    }
    out_text.clear();
    let highlights = spans.iter().filter(|sp| sp[1] > s && sp[0] < e).map(|sp| [sp[0].max(s) - s + shift, sp[1].min(e) - s + shift]).collect();
    Passage { text, highlights }
}

fn lead(chars: &[char], sents: &[(usize, usize)]) -> Vec<Passage> {
    let Some(&(s, _)) = sents.iter().find(|(s, e)| chars[*s..*e].iter().any(|c| c.is_alphanumeric())) else {
        return Vec::new();
    };
    let mut e = s;
    for &(_, se) in sents.iter().filter(|(ss, _)| *ss >= s) {
        if se - s > MAX_PASSAGE_CHARS {
            break;
        }
        e = se;
    }
    if e == s {
        e = (s + MAX_PASSAGE_CHARS).min(chars.len());
    }
    vec![make_passage(chars, s, e, &[])]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pats(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    fn marked(p: &Passage) -> String {
        let chars: Vec<char> = p.text.chars().collect();
        let mut out = String::new();
        for (i, c) in chars.iter().enumerate() {
            if p.highlights.iter().any(|h| h[0] == i) {
                out.push('[');
            }
            out.push(*c);
            if p.highlights.iter().any(|h| h[1] == i + 1) {
                out.push(']');
            }
        }
        out
    }

    #[test]
    fn parts_are_highlighted_only_where_the_whole_word_is_absent() {
        let p = pats(&["养老诈骗", "养老", "诈骗"]);
        assert_eq!(patterns_for(&["警惕养老诈骗，关注养老服务"], &p, &[]), pats(&["养老诈骗"]));
        let p = pats(&["电信诈骗", "电信", "诈骗"]);
        assert_eq!(patterns_for(&["打击电信网络诈骗"], &p, &[]), pats(&["电信", "诈骗"]));
        // An expansion containing the word does not hide the word.
        let p = pats(&["涉养老诈骗", "养老诈骗"]);
        assert_eq!(patterns_for(&["涉养老诈骗线索；养老诈骗案件"], &p, &pats(&["涉养老诈骗"])), p);
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        let chars: Vec<char> = "他说：“严厉打击。”警方提醒。".chars().collect();
        let got: Vec<String> = sentences(&chars).into_iter().map(|(s, e)| chars[s..e].iter().collect()).collect();
        assert_eq!(got, vec!["他说：“严厉打击。”", "警方提醒。"]);
    }

    /// (text, patterns, spans)
    type SpanCase = (&'static str, &'static [&'static str], &'static [[usize; 2]]);

    #[test]
    fn adjacent_matches_merge_and_traditional_text_matches() {
        let cases: &[SpanCase] = &[
            ("严打养老诈骗犯罪", &["养老", "诈骗"], &[[2, 6]]),
            ("破獲養老詐騙案", &["养老诈骗"], &[[2, 6]]),
            // Offsets are characters of the text as published: full width, converter pinyin.
            ("公安ＡＰＰ提醒：谨防ＡＰＰ诈骗", &["app"], &[[2, 5], [10, 13]]),
            ("打擊養(yǎng)老詐騙專(zhuān)項行動", &["养老诈骗"], &[[2, 12]]),
            ("打擊養(yǎng)老詐騙專(zhuān)項行動", &["专项"], &[[12, 21]]),
        ];
        for (text, patterns, want) in cases {
            assert_eq!(find_spans(text, &pats(patterns)), *want, "{text} {patterns:?}");
        }
    }

    #[test]
    fn passages_show_the_text_as_published() {
        let body = "近日，市公安局召開新聞發布會。打擊整治養(yǎng)老詐騙專(zhuān)項行動取得成效，破獲案件12起。";
        let ps = best_passages(body, &pats(&["养老诈骗"]), 1);
        assert_eq!(marked(&ps[0]), "打擊整治[養(yǎng)老詐騙]專(zhuān)項行動取得成效，破獲案件12起。");
    }

    #[test]
    fn picks_the_sentence_with_most_distinct_matches() {
        let body = "今年以来，全区公安机关持续推进夏季治安打击整治。\n\
                    其中，破获养老诈骗案件12起，追赃挽损300余万元。\n\
                    警方提醒广大老年人警惕养老诈骗。";
        let ps = best_passages(body, &pats(&["养老诈骗", "追赃挽损"]), 3);
        // Short sentences grow into their neighbours for context; the best one leads.
        assert!(marked(&ps[0]).contains("其中，破获[养老诈骗]案件12起，[追赃挽损]300余万元。"), "{}", marked(&ps[0]));
        assert!(ps.iter().any(|p| marked(p).contains("警惕[养老诈骗]")));
    }

    #[test]
    fn long_sentences_are_cut_around_matches_within_limit() {
        let body = format!("{}破获电信网络诈骗案件{}。", "甲".repeat(300), "乙".repeat(300));
        let ps = best_passages(&body, &pats(&["电信网络诈骗"]), 3);
        assert_eq!(ps.len(), 1);
        assert!(ps[0].text.chars().count() <= MAX_PASSAGE_CHARS + 2);
        assert!(ps[0].text.starts_with('…') && ps[0].text.ends_with('…'));
        assert!(marked(&ps[0]).contains("[电信网络诈骗]"));
    }

    #[test]
    fn no_match_gives_the_lead_without_highlights() {
        let ps = best_passages("\n标题行\n第一段内容。第二段。", &pats(&["毒品"]), 3);
        assert_eq!(ps.len(), 1);
        assert!(ps[0].highlights.is_empty());
        assert!(ps[0].text.starts_with("标题行"));
    }
}

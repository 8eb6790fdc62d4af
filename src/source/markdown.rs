//! Markdown with YAML front matter (Hexo/Jekyll exports of news feeds).
//!
//! The front matter is the best metadata a bulletin file can carry, so it is read into
//! [`Hints`]; but it is written by many tools and often broken (unquoted colons, tabs), and
//! a broken block must not lose the bulletin: the file is then read as if the block were
//! absent, with `title:` pulled out by a line match, and a warning says why. The body may
//! be Markdown or, in scraped exports, raw HTML; each is turned into plain text.

use regex::Regex;
use saphyr::{ScalarStyle, Yaml, YamlLoader};
use saphyr_parser::{Event, Parser};
use std::sync::LazyLock;

use super::Hints;

/// Front matter larger than this is not front matter but a document starting with `---`.
const MAX_FRONT_MATTER: usize = 64 * 1024;

/// Deepest nesting of lists and mappings accepted in front matter. Real front matter is one
/// or two levels deep; the YAML tree loader recurses once per level (and so does dropping
/// the tree), so a crafted block of `- - - - …` would overflow the stack of an indexing
/// thread, which aborts the process instead of skipping the file.
const MAX_DEPTH: usize = 16;

/// A document split at its front matter.
#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub body: &'a str,
}

/// Split off front matter: a `---` line first (after blank lines), closed by `---` or `...`.
pub(crate) fn split_front_matter(text: &str) -> Option<Split<'_>> {
    let mut offset = 0;
    let mut lines = text.split_inclusive('\n');
    // Skip blank lines before the opening fence.
    let first = loop {
        let line = lines.next()?;
        offset += line.len();
        if !line.trim().is_empty() {
            break line;
        }
    };
    if first.trim_end() != "---" {
        return None;
    }
    let yaml_start = offset;
    for line in lines {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            let yaml = &text[yaml_start..offset];
            let body = &text[offset + line.len()..];
            if yaml.len() > MAX_FRONT_MATTER {
                return None;
            }
            return Some(Split { yaml, body });
        }
        offset += line.len();
    }
    None
}

/// Hints from a front-matter block; `Err` with a one-line reason if it is not a YAML
/// mapping.
pub(crate) fn parse_front_matter(yaml: &str) -> Result<Hints, String> {
    check_depth(yaml)?;
    let mut parser = Parser::new_from_str(yaml);
    let mut loader: YamlLoader<'_, Yaml<'_>> = YamlLoader::default();
    // Scalars as written: a date stays `2022-07-20`, a number `20230101`.
    loader.early_parse(false);
    parser.load(&mut loader, true).map_err(|e| one_line(&e.to_string()))?;
    if let Some(e) = loader.error() {
        return Err(one_line(&e.to_string()));
    }
    let value = loader.into_documents().into_iter().next().unwrap_or(Yaml::BadValue);
    let map = match value {
        Yaml::Mapping(m) => m,
        v if is_null(&v) => return Ok(Hints::default()),
        _ => return Err("not a mapping of keys to values".into()),
    };
    let mut hints = Hints::default();
    for (k, v) in map.iter() {
        let Some(key) = scalar(k) else { continue };
        let key = key.to_ascii_lowercase();
        match key.as_str() {
            "title" => hints.title = hints.title.take().or_else(|| scalar(v)),
            // `date` wins over its synonyms whatever the key order.
            "date" | "pubdate" | "publishdate" | "publish_date" | "published" | "published_at" | "created" if key == "date" || hints.date.is_none() => {
                hints.date = scalar(v).or(hints.date.take());
            }
            "categories" | "category" | "tags" | "tag" | "keywords" => {
                for item in list(v) {
                    if item.starts_with('/') {
                        push_unique(&mut hints.categories, item);
                    } else {
                        push_unique(&mut hints.tags, item);
                    }
                }
            }
            "crime_categories" | "crime_category" => {
                for item in list(v) {
                    push_unique(&mut hints.categories, item);
                }
            }
            "author" | "authors" => hints.author = Some(list(v).join("、")).filter(|a| !a.is_empty()),
            "url" | "link" | "permalink" | "original_url" | "source_url" | "source" => {
                // `source` is often a site name (新华网) rather than an address.
                let u = scalar(v).filter(|u| key != "source" || looks_like_url(u));
                if u.is_some() && (hints.url.is_none() || key == "url") {
                    hints.url = u;
                }
            }
            "province" => hints.province = scalar(v),
            "city" => hints.city = scalar(v),
            "region" => {
                if let Some(r) = scalar(v) {
                    let mut parts = r.trim_matches('/').split(['/', ' ']).filter(|p| !p.is_empty());
                    hints.province = hints.province.take().or(parts.next().map(str::to_string));
                    hints.city = hints.city.take().or(parts.next().map(str::to_string));
                }
            }
            _ => {}
        }
    }
    Ok(hints)
}

/// The `title:` of a block that is not valid YAML, found by a line match.
pub(crate) fn salvage_title(yaml: &str) -> Option<String> {
    static TITLE_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?m)^title\s*:\s*(.+?)\s*$").expect("valid regex"));
    let t = TITLE_RE.captures(yaml)?[1].to_string();
    let t = t.trim_matches(|c| c == '"' || c == '\'').trim().to_string();
    (!t.is_empty()).then_some(t)
}

fn looks_like_url(s: &str) -> bool {
    s.contains("://") || s.starts_with("www.")
}

fn push_unique(v: &mut Vec<String>, item: String) {
    if !item.is_empty() && !v.contains(&item) {
        v.push(item);
    }
}

/// Refuse front matter nested deeper than [`MAX_DEPTH`], reading only the event stream
/// (which keeps no tree and does not recurse).
fn check_depth(yaml: &str) -> Result<(), String> {
    let mut depth = 0usize;
    for event in Parser::new_from_str(yaml) {
        match event.map_err(|e| one_line(&e.to_string()))?.0 {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!("nested more than {MAX_DEPTH} levels deep"));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// An empty document, or a plain `null`/`~`/empty scalar.
fn is_null(v: &Yaml) -> bool {
    match v {
        Yaml::BadValue => true,
        Yaml::Representation(text, ScalarStyle::Plain, _) => {
            matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL")
        }
        Yaml::Tagged(_, inner) => is_null(inner),
        _ => false,
    }
}

/// Any scalar as text: dates, numbers and booleans come out as written.
fn scalar(v: &Yaml) -> Option<String> {
    match v {
        _ if is_null(v) => None,
        Yaml::Representation(text, _, _) => Some(text.trim().to_string()).filter(|s| !s.is_empty()),
        Yaml::Tagged(_, inner) => scalar(inner),
        Yaml::Sequence(s) => s.iter().find_map(scalar),
        // Aliases, mappings and (unused with `early_parse(false)`) parsed values carry no
        // text worth a hint.
        _ => None,
    }
}

/// A list or a single (possibly comma-separated) string, as items.
fn list(v: &Yaml) -> Vec<String> {
    match v {
        Yaml::Sequence(s) => s.iter().filter_map(scalar).collect(),
        other => scalar(other).map(|s| s.split([',', '，', '、']).map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()).unwrap_or_default(),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Markdown syntax removed, text kept: `# 标题` → `标题`, `**重点**` → `重点`,
/// `[文字](链接)` → `文字`, images and reference definitions dropped.
pub(crate) fn strip_markdown(md: &str) -> String {
    static RULES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
        let r = |p: &str, to: &'static str| (Regex::new(p).expect("valid markdown regex"), to);
        vec![
            r(r"(?m)^\s{0,3}(```|~~~).*$", ""),
            r(r"(?m)^\s{0,3}\[[^\]\n]+\]:\s*\S+.*$", ""),
            r(r"!\[[^\]\n]*\]\([^)\n]*\)", ""),
            r(r"!\[[^\]\n]*\]\[[^\]\n]*\]", ""),
            r(r"\[([^\]\n]*)\]\([^)\n]*\)", "$1"),
            r(r"\[([^\]\n]+)\]\[[^\]\n]*\]", "$1"),
            r(r"<(https?://[^>\s]+)>", "$1"),
            r(r"(?m)^\s{0,3}#{1,6}\s+(.*?)(\s+#+)?\s*$", "$1"),
            r(r"(?m)^\s{0,3}>\s?", ""),
            r(r"(?m)^\s{0,3}[-*+]\s+", ""),
            r(r"\*\*([^*\n]+)\*\*", "$1"),
            r(r"__([^_\n]+)__", "$1"),
            r(r"~~([^~\n]+)~~", "$1"),
            r(r"\*([^*\n]+)\*", "$1"),
            r(r"(^|[^\w])_([^_\n]+)_([^\w]|$)", "$1$2$3"),
            r(r"`([^`\n]*)`", "$1"),
            r(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>", ""),
        ]
    });
    let mut s = md.to_string();
    for (re, to) in RULES.iter() {
        if let std::borrow::Cow::Owned(o) = re.replace_all(&s, *to) {
            s = o;
        }
    }
    s
}

/// The first `# heading` of a Markdown body, if it comes before any paragraph text.
pub(crate) fn first_heading(md: &str) -> Option<String> {
    for line in md.lines().map(str::trim).filter(|l| !l.is_empty()).take(5) {
        if let Some(h) = line.strip_prefix('#') {
            let h = h.trim_start_matches('#').trim().trim_end_matches('#').trim();
            return (!h.is_empty()).then(|| strip_markdown(h).trim().to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_HEAD: &str = "\n---\ntitle: '清远公安_大案__小案_一起抓，_百日行动_守护平安夏季'\ncategories: \n - 新媒体\n - ZAKER\n - source\nheadimg: 'https://cors.zfour.workers.dev/?http://zkres2.myzaker.com/202208/62fc92598e9f0971151bf260_1024.jpg'\nauthor: ZAKER\ncomments: false\ndate: Tue, 16 Aug 2022 23:09:09 GMT\n---\n\n<div><p>8 月 15 日，清远市公安举办新闻发布会。</p></div>\n";

    #[test]
    fn splits_front_matter() {
        let s = split_front_matter(SEED_HEAD).expect("front matter");
        assert!(s.yaml.starts_with("title:"));
        assert!(s.body.trim_start().starts_with("<div>"));
        let closed_by_dots = "---\ntitle: 通报\n...\n正文";
        assert_eq!(split_front_matter(closed_by_dots).map(|s| s.body), Some("正文"));
        for not_fm in ["正文\n---\ntitle: x\n---\n", "---\ntitle: 没有结束\n正文", "--- \n", ""] {
            assert_eq!(split_front_matter(not_fm), None, "{not_fm:?}");
        }
    }

    #[test]
    fn front_matter_hints() {
        let cases: &[(&str, Hints)] = &[
            (
                split_front_matter(SEED_HEAD).map_or("", |s| s.yaml),
                Hints {
                    title: Some("清远公安_大案__小案_一起抓，_百日行动_守护平安夏季".into()),
                    date: Some("Tue, 16 Aug 2022 23:09:09 GMT".into()),
                    tags: vec!["新媒体".into(), "ZAKER".into(), "source".into()],
                    author: Some("ZAKER".into()),
                    ..Hints::default()
                },
            ),
            (
                "title: 周口公安重拳打击养老诈骗\ndate: 2022-07-20\ntags: 养老诈骗, 反诈\ncategories: [/诈骗/养老诈骗, 法治]\ncrime_categories: /经济犯罪\nsource: https://example.cn/a.html\nregion: /河南省/周口市\n",
                Hints {
                    title: Some("周口公安重拳打击养老诈骗".into()),
                    date: Some("2022-07-20".into()),
                    tags: vec!["养老诈骗".into(), "反诈".into(), "法治".into()],
                    url: Some("https://example.cn/a.html".into()),
                    province: Some("河南省".into()),
                    city: Some("周口市".into()),
                    categories: vec!["/诈骗/养老诈骗".into(), "/经济犯罪".into()],
                    ..Hints::default()
                },
            ),
            (
                "title: 2023\ndate: 20230101\nsource: 新华网\nprovince: 广东省\ncity: 清远市\nauthor: [熊丰, 翟翔]\n",
                Hints {
                    title: Some("2023".into()),
                    date: Some("20230101".into()),
                    author: Some("熊丰、翟翔".into()),
                    province: Some("广东省".into()),
                    city: Some("清远市".into()),
                    ..Hints::default()
                },
            ),
        ];
        for (yaml, want) in cases {
            assert_eq!(parse_front_matter(yaml).as_ref(), Ok(want), "{yaml}");
        }
    }

    #[test]
    fn broken_front_matter() {
        let broken = "title: 警方通报: 一男子\"酒驾\n\tdate: [2022\nauthor: x: y: z\n";
        let err = parse_front_matter(broken).expect_err("broken YAML");
        assert!(!err.contains('\n'));
        assert_eq!(salvage_title(broken).as_deref(), Some("警方通报: 一男子\"酒驾"));
        assert!(parse_front_matter("- a\n- b\n").is_err());
    }

    /// Front matter written to hurt the parser: refused with a one-line reason, never a
    /// crash or a blow-up of memory.
    #[test]
    fn hostile_front_matter_is_refused() {
        let bomb = {
            let mut y = "a: &a [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]\n".to_string();
            for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
                y.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{prev}"); 9].join(", ")));
            }
            y
        };
        let cases: Vec<(String, &str)> = vec![
            (format!("title: 深\ntags:\n  {}x\n", "- ".repeat(30_000)), "nested more than"),
            (format!("title: 深\ntags: {}x{}\n", "[".repeat(200), "]".repeat(200)), "nested more than"),
            (bomb, "alias expansion"),
            ("title: 第一个标题\ntitle: 第二个标题\n".to_string(), "duplicate"),
        ];
        for (yaml, why) in cases {
            let err = parse_front_matter(&yaml).expect_err("hostile front matter");
            assert!(err.contains(why) && !err.contains('\n'), "{err}");
        }
    }

    /// What a key holds, as text: scalars as written, nulls as nothing, tags ignored,
    /// aliases followed.
    #[test]
    fn scalars_as_written() {
        let cases: &[(&str, Hints)] = &[
            ("title: ~\ndate: null\nauthor:\n", Hints::default()),
            ("", Hints::default()),
            (
                "title: !!str 110\ndate: 2022-07-20T10:00:00+08:00\ntags: [&t 反诈, *t, 1.50]\nauthor: 'null'\n",
                Hints {
                    title: Some("110".into()),
                    date: Some("2022-07-20T10:00:00+08:00".into()),
                    tags: vec!["反诈".into(), "1.50".into()],
                    author: Some("null".into()),
                    ..Hints::default()
                },
            ),
        ];
        for (yaml, want) in cases {
            assert_eq!(parse_front_matter(yaml).as_ref(), Ok(want), "{yaml}");
        }
    }

    #[test]
    fn markdown_syntax() {
        let md = "# 兰州交警整治摩托车“炸街” #\n\n![现场](http://x/a.jpg)\n\n**3月10日晚**，兰州市公安局[交警支队](http://x/jj)城关大队开展*集中整治*行动。\n\n> 重点查处摩托车“炸街”、非法改装、飙车等违法行为。\n\n- 查处违法行为15起\n1. 第一条保留编号\n\n[1]: http://example.com/ref\n\n文件名 snake_case_name 保留下划线。\n";
        let out = strip_markdown(md);
        for keep in [
            "兰州交警整治摩托车“炸街”\n",
            "3月10日晚，兰州市公安局交警支队城关大队开展集中整治行动。",
            "\n重点查处摩托车",
            "\n查处违法行为15起",
            "1. 第一条保留编号",
            "snake_case_name",
        ] {
            assert!(out.contains(keep), "lost {keep:?} in {out}");
        }
        for gone in ["#", "![", "http://", "**", "*", "> ", "[1]"] {
            assert!(!out.contains(gone), "kept {gone:?} in {out}");
        }
        assert_eq!(first_heading(md).as_deref(), Some("兰州交警整治摩托车“炸街”"));
    }
}

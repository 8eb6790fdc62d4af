//! HTML pages → headline, clean text and `<meta>` hints.
//!
//! Three steps. A tag scan on the raw markup drops elements that are never the bulletin
//! (scripts, styles, navigation, forms, site header and footer, share and comment boxes)
//! and caps element nesting, because `html2text` recurses over the tree and a hostile or
//! broken page with 100 000 nested `<div>`s would overflow the stack. Then `html2text`
//! renders the rest as unwrapped plain text without link footnotes or emphasis marks.
//! Last, the text goes through the same chrome removal as plain text (`text`), since most
//! pages are div soup that no element list can fully clean.
//!
//! The headline comes from `og:title`/`ArticleTitle` meta tags, an `<h1>` that the
//! `<title>` starts with, or the `<title>` minus its site suffix ("标题_XX公安网").

use std::collections::HashMap;

// std's lazy static, under the short name the statics below use.
use std::sync::LazyLock as Lazy;
use regex::Regex;

use super::text;
use super::tidy::tidy_lines;
use super::Hints;

/// Deepest element nesting passed to `html2text`. Real pages stay well under 60; the cap
/// keeps its recursion far from the 2 MB stack of a worker thread.
const MAX_DEPTH: usize = 100;

/// Elements whose content is never bulletin text.
const DROP: &[&str] = &[
    "script", "style", "noscript", "iframe", "template", "svg", "math", "nav", "form", "aside",
    "select", "button", "textarea", "object", "embed", "canvas", "audio", "video", "header",
    "footer", "dialog", "menu",
];

/// Elements whose content is raw text: nested tags inside them are not tags.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "xmp", "iframe", "noscript", "noembed", "noframes",
];

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "basefont", "bgsound", "frame", "keygen", "image",
];

/// Elements whose end tag may be omitted; they do not deepen nesting in practice.
const OPTIONAL_END: &[&str] = &[
    "html", "head", "body", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot",
    "option", "optgroup", "rb", "rt", "rtc", "rp", "colgroup", "caption",
];

/// `class`/`id` values of containers that hold site chrome on Chinese news and police
/// sites (div soup rarely uses `<nav>` or `<footer>`).
static CHROME_CLASS_RE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)^(nav|navbar|nav-?bar|topnav|mainnav|menu|mainmenu|breadcrumbs?|crumbs?|position|location|footer|foot|site-?footer|share|share-?box|bdsharebuttonbox|bdshare|comments?|comment-?box|comment-?list|sidebar|side-?bar|related|related-?news|relate|recommend|recommends|hot-?news|copyright|login|toolbar|advert|ads?|qrcode|erweima)$|(?i)[-_](nav|footer|share|comments?|sidebar|breadcrumbs?|related|recommend|copyright|qrcode)$")
        .expect("valid chrome class regex")
});

/// Everything the HTML reader learns from one page.
#[derive(Debug, Default)]
pub struct HtmlDoc {
    pub title: String,
    pub lines: Vec<String>,
    pub hints: Hints,
}

/// Read an HTML page (already decoded).
pub fn read(html: &str) -> HtmlDoc {
    let hints = meta_hints(html);
    let page_title = page_title(html);
    let prepared = prepare(html);
    let rendered = render(&prepared);
    let mut lines = tidy_lines(&rendered);
    lines.retain(|l| !is_image_placeholder(l));

    let title = page_title.unwrap_or_default();
    let cleaned = if title.is_empty() {
        text::clean(lines)
    } else {
        let mut c = text::remove_chrome(lines);
        // The headline usually appears again as the first line of the rendered page.
        if let Some(i) = c.lines.iter().take(15).position(|l| same_title(l, &title)) {
            let mut kept = Vec::with_capacity(c.lines.len());
            for (j, l) in c.lines.drain(..).enumerate() {
                if j > i || (j < i && (text::is_dateline(&l) || l.chars().count() >= 50)) {
                    kept.push(l);
                }
            }
            c.lines = kept;
        }
        c.title = title;
        c
    };
    let mut hints = hints;
    if hints.url.is_none() {
        hints.url = cleaned.url.clone();
    }
    HtmlDoc {
        title: cleaned.title.clone(),
        lines: cleaned.lines,
        hints,
    }
}

fn same_title(line: &str, title: &str) -> bool {
    let l = text::clean_title(line);
    l == title || (l.starts_with(title) && l.chars().count() <= title.chars().count() + 12)
}

/// `html2text` renders images without alt text as nothing, but some decorators leave
/// `[]`; and lazy-loaded images often carry alt="" plus a filename.
fn is_image_placeholder(line: &str) -> bool {
    line == "[]" || line == "[image]"
}

/// Does this text look like an HTML document or fragment rather than prose?
pub fn looks_like_html(text: &str) -> bool {
    static TAG_RE: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r"(?i)<(p|div|br|span|table|tr|td|html|body|head|title|meta|h[1-6]|article|section|ul|ol|li|img|a|strong|em|b|font|center)\b[^<>]*>")
            .expect("valid tag regex")
    });
    let head = text.trim_start();
    let head = &head[..crate::chars::floor_boundary(head, 16 * 1024)];
    let lower = head
        .get(..head.len().min(64))
        .unwrap_or("")
        .to_ascii_lowercase();
    if lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || (lower.starts_with("<?xml") && head.contains("<html"))
    {
        return true;
    }
    let tags = TAG_RE.find_iter(head).take(10).count();
    (head.starts_with('<') && tags >= 2) || tags >= 10
}

/// Render HTML to plain text; falls back to stripping tags if `html2text` fails.
fn render(html: &str) -> String {
    let config = html2text::config::with_decorator(html2text::render::TrivialDecorator::new())
        .raw_mode(true)
        .no_table_borders()
        .no_link_wrapping()
        .link_footnotes(false);
    match config.string_from_read(html.as_bytes(), 10_000) {
        Ok(s) => s,
        Err(_) => strip_tags(html),
    }
}

/// Last-resort text: tags removed, block tags turned into line breaks.
fn strip_tags(html: &str) -> String {
    static BLOCK_RE: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r"(?i)</?(p|div|br|li|tr|h[1-6]|section|article|table)\b[^>]*>")
            .expect("valid regex")
    });
    static TAG_RE: Lazy<Regex> = Lazy::new(|| Regex::new(r"<[^>]*>").expect("valid regex"));
    let t = BLOCK_RE.replace_all(html, "\n");
    decode_entities(&TAG_RE.replace_all(&t, ""))
}

/// Tag scan before rendering: drop comments and chrome elements, cap nesting depth.
///
/// Works on any input, including unterminated tags and unbalanced elements: an element
/// to drop whose end tag cannot be found loses only its start tag (its text stays), except
/// scripts and styles, which run to the end of the document as browsers treat them.
pub fn prepare(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let lb = lower.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut i = 0;
    let mut depth = 0usize;
    let mut in_article = 0usize;
    let mut closes: HashMap<String, Option<usize>> = HashMap::new();
    let last_close = |closes: &mut HashMap<String, Option<usize>>, name: &str| {
        *closes
            .entry(name.to_string())
            .or_insert_with(|| lower.rfind(&format!("</{name}")))
    };
    while i < html.len() {
        let Some(rel) = lower[i..].find('<') else {
            out.push_str(&html[i..]);
            break;
        };
        let lt = i + rel;
        out.push_str(&html[i..lt]);
        i = lt;
        if lb[i..].starts_with(b"<!--") {
            i = match lower[i + 4..].find("-->") {
                Some(e) => i + 4 + e + 3,
                None => html.len(),
            };
            continue;
        }
        let closing = lb.get(i + 1) == Some(&b'/');
        let name_start = if closing { i + 2 } else { i + 1 };
        let name_len = lb[name_start.min(lb.len())..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 || !lb[name_start].is_ascii_alphabetic() {
            if lb[i..].starts_with(b"<!") || lb[i..].starts_with(b"<?") {
                // Doctype, CDATA or processing instruction: keep doctype, drop the rest.
                let end = lower[i..].find('>').map_or(html.len(), |e| i + e + 1);
                if lb[i..].starts_with(b"<!doctype") {
                    out.push_str(&html[i..end]);
                }
                i = end;
            } else {
                out.push_str("&lt;");
                i += 1;
            }
            continue;
        }
        let name = &lower[name_start..name_start + name_len];
        let Some(tag_end) = tag_end(lb, name_start + name_len) else {
            // Unterminated tag at the end of the document.
            break;
        };
        let tag = &html[i..tag_end];
        if closing {
            if counts_depth(name) {
                if depth <= MAX_DEPTH {
                    out.push_str(tag);
                }
                depth = depth.saturating_sub(1);
            } else {
                out.push_str(tag);
            }
            if name == "article" || name == "main" {
                in_article = in_article.saturating_sub(1);
            }
            i = tag_end;
            continue;
        }
        let self_closing = tag.ends_with("/>");
        let chrome_element =
            DROP.contains(&name) && !((name == "header" || name == "footer") && in_article > 0);
        let chrome_container = !chrome_element && has_chrome_class(tag);
        if name == "title"
            && !self_closing
            && last_close(&mut closes, name).is_none_or(|at| at < tag_end)
        {
            // An unterminated <title> would swallow the whole page as title text (it is
            // raw text to a parser); end it at the next tag instead.
            let text_end = lower[tag_end..]
                .find('<')
                .map_or(html.len(), |e| tag_end + e);
            out.push_str(tag);
            out.push_str(&html[tag_end..text_end]);
            out.push_str("</title>");
            i = text_end;
            continue;
        }
        if (chrome_element || chrome_container) && !self_closing && !VOID.contains(&name) {
            let last = last_close(&mut closes, name);
            if let Some(after) = element_end(&lower, name, tag_end, last) {
                i = after;
                continue;
            }
            if RAW_TEXT.contains(&name) && (name == "script" || name == "style") {
                break;
            }
            // No end tag: drop only the start tag and keep the text.
            i = tag_end;
            continue;
        }
        if name == "article" || name == "main" {
            in_article += 1;
        }
        if counts_depth(name) && !self_closing {
            depth += 1;
            if depth <= MAX_DEPTH {
                out.push_str(tag);
            }
        } else {
            out.push_str(tag);
        }
        i = tag_end;
    }
    out
}

fn counts_depth(name: &str) -> bool {
    !VOID.contains(&name) && !OPTIONAL_END.contains(&name)
}

/// Index just past the `>` that ends a tag whose attributes start at `from`, honouring
/// quoted attribute values.
fn tag_end(lb: &[u8], from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    let mut j = from;
    while j < lb.len() {
        let b = lb[j];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => {
                // Only quotes right after `=` open a value; stray quotes are text.
                let prev = lb[from..j].iter().rev().find(|c| !c.is_ascii_whitespace());
                if prev == Some(&b'=') {
                    quote = Some(b);
                }
            }
            None if b == b'>' => return Some(j + 1),
            None => {}
        }
        j += 1;
    }
    None
}

/// Index just past the end tag that closes the element `name` opened before `from`,
/// counting nested elements of the same name. Gives up (None) after 64 nested openings so
/// that pathological input stays linear.
///
/// `last_close` is where the last `</name` of the document starts: past it no end tag can
/// be found, which keeps a page of a thousand unterminated `<textarea>`s linear instead of
/// scanning to the end of the document for each.
fn element_end(lower: &str, name: &str, from: usize, last_close: Option<usize>) -> Option<usize> {
    if last_close.is_none_or(|at| at < from) {
        return None;
    }
    let lb = lower.as_bytes();
    if RAW_TEXT.contains(&name) {
        let close = format!("</{name}");
        let at = from + lower[from..].find(&close)?;
        return Some(tag_end(lb, at + close.len()).unwrap_or(lower.len()));
    }
    let mut nested = 0usize;
    let mut opens = 0usize;
    let mut j = from;
    while let Some(rel) = lower[j..].find('<') {
        let at = j + rel;
        let closing = lb.get(at + 1) == Some(&b'/');
        let ns = if closing { at + 2 } else { at + 1 };
        let matches_name = lb[ns.min(lb.len())..].starts_with(name.as_bytes())
            && !lb
                .get(ns + name.len())
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-');
        j = at + 1;
        if !matches_name {
            continue;
        }
        let end = tag_end(lb, ns + name.len())?;
        if closing {
            if nested == 0 {
                return Some(end);
            }
            nested -= 1;
        } else if !lower[at..end].ends_with("/>") {
            nested += 1;
            opens += 1;
            if opens > 64 {
                return None;
            }
        }
        j = end;
    }
    None
}

fn has_chrome_class(tag: &str) -> bool {
    static ATTR_RE: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r#"(?i)\s(class|id)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#)
            .expect("valid regex")
    });
    ATTR_RE.captures_iter(tag).any(|c| {
        let v = c
            .get(2)
            .or(c.get(3))
            .or(c.get(4))
            .map_or("", |m| m.as_str());
        v.split_whitespace()
            .any(|tok| CHROME_CLASS_RE.is_match(tok))
    })
}

static META_RE: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?is)<meta\b([^>]*)>").expect("valid regex"));
static LINK_RE: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?is)<link\b([^>]*)>").expect("valid regex"));
static ATTRS_RE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r#"(?is)([a-z_:.\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#)
        .expect("valid regex")
});

fn attrs(tag_inner: &str) -> Vec<(String, String)> {
    ATTRS_RE
        .captures_iter(tag_inner)
        .map(|c| {
            let v = c
                .get(2)
                .or(c.get(3))
                .or(c.get(4))
                .map_or("", |m| m.as_str());
            (
                c[1].to_ascii_lowercase(),
                decode_entities(v).trim().to_string(),
            )
        })
        .collect()
}

/// `(key, content)` of every `<meta>`, the key being its name/property/itemprop/http-equiv
/// in lower case.
fn metas(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for c in META_RE.captures_iter(html) {
        let a = attrs(&c[1]);
        let key = a
            .iter()
            .find(|(k, _)| matches!(k.as_str(), "name" | "property" | "itemprop" | "http-equiv"));
        let content = a.iter().find(|(k, _)| k == "content");
        if let (Some((_, key)), Some((_, content))) = (key, content) {
            if !content.is_empty() {
                out.push((key.to_ascii_lowercase(), content.clone()));
            }
        }
    }
    out
}

/// Date, author and address the page states in its `<head>`.
fn meta_hints(html: &str) -> Hints {
    const DATE_KEYS: &[&str] = &[
        "article:published_time",
        "og:article:published_time",
        "og:published_time",
        "og:release_date",
        "publishdate",
        "pubdate",
        "publish_date",
        "publish-date",
        "publishtime",
        "publish_time",
        "firstpublishedtime",
        "datepublished",
        "dc.date.issued",
        "dcterms.issued",
        "dc.date",
        "dcterms.date",
        "dcterms.created",
        "releasedate",
        "contentdate",
        "createdate",
        "publication_date",
        "sailthru.date",
        "weibo:article:create_at",
        "date",
        "published",
        "article:modified_time",
        "dc.date.modified",
    ];
    const AUTHOR_KEYS: &[&str] = &[
        "author",
        "article:author",
        "dc.creator",
        "dcterms.creator",
        "byl",
    ];
    const URL_KEYS: &[&str] = &["og:url", "twitter:url", "url"];
    let metas = metas(html);
    let first = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| metas.iter().find(|(mk, _)| mk == k).map(|(_, v)| v.clone()))
    };
    let mut hints = Hints {
        date: first(DATE_KEYS),
        author: first(AUTHOR_KEYS).filter(|a| !a.starts_with("http")),
        url: first(URL_KEYS),
        ..Hints::default()
    };
    if hints.date.is_none() {
        static TIME_RE: Lazy<Regex> = Lazy::new(|| {
            Regex::new(r#"(?is)<time\b[^>]*\bdatetime\s*=\s*["']([^"']+)["']"#)
                .expect("valid regex")
        });
        hints.date = TIME_RE.captures(html).map(|c| c[1].trim().to_string());
    }
    if hints.url.is_none() {
        hints.url = LINK_RE.captures_iter(html).find_map(|c| {
            let a = attrs(&c[1]);
            let canonical = a
                .iter()
                .any(|(k, v)| k == "rel" && v.eq_ignore_ascii_case("canonical"));
            let href = a.iter().find(|(k, _)| k == "href").map(|(_, v)| v.clone());
            href.filter(|h| canonical && h.starts_with("http"))
        });
    }
    hints
}

/// Text of an element's inner HTML: tags removed, entities decoded, whitespace collapsed.
fn inner_text(html: &str) -> String {
    static TAG_RE: Lazy<Regex> = Lazy::new(|| Regex::new(r"<[^>]*>").expect("valid regex"));
    let t = decode_entities(&TAG_RE.replace_all(html, " "));
    text::clean_title(&t)
}

/// The headline: `og:title`/`ArticleTitle`, else an `<h1>` the `<title>` starts with,
/// else the `<title>` without its site suffix, else the first `<h1>`.
fn page_title(html: &str) -> Option<String> {
    static TITLE_RE: Lazy<Regex> =
        Lazy::new(|| Regex::new(r"(?is)<title\b[^>]*>(.*?)</title>").expect("valid regex"));
    static H1_RE: Lazy<Regex> =
        Lazy::new(|| Regex::new(r"(?is)<h1\b[^>]*>(.*?)</h1>").expect("valid regex"));
    let metas = metas(html);
    let strong = ["og:title", "articletitle", "twitter:title", "title"]
        .iter()
        .find_map(|k| {
            metas
                .iter()
                .find(|(mk, _)| mk == k)
                .map(|(_, v)| strip_site_suffix(&text::clean_title(v)))
        })
        .filter(|t| t.chars().count() >= 2);
    if strong.is_some() {
        return strong;
    }
    static OPEN_TITLE_RE: Lazy<Regex> =
        Lazy::new(|| Regex::new(r"(?i)<title\b[^>]*>([^<]*)").expect("valid regex"));
    let title_tag = TITLE_RE
        .captures(html)
        // An unterminated <title> ends at the next tag (see `prepare`).
        .or_else(|| OPEN_TITLE_RE.captures(html))
        .map(|c| inner_text(&c[1]))
        .filter(|t| !t.is_empty());
    let h1s: Vec<String> = H1_RE
        .captures_iter(html)
        .take(10)
        .map(|c| inner_text(&c[1]))
        .filter(|t| t.chars().count() >= 4)
        .collect();
    if let Some(t) = &title_tag {
        if let Some(h) = h1s
            .iter()
            .filter(|h| t.starts_with(h.as_str()))
            .max_by_key(|h| h.len())
        {
            return Some(h.clone());
        }
        let stripped = strip_site_suffix(t);
        if stripped.chars().count() >= 2 {
            return Some(stripped);
        }
    }
    h1s.into_iter().next()
}

/// "标题_XX公安网", "标题 - 中国新闻网", "标题|平安XX" → "标题".
///
/// `_`, `|` and `｜` always separate a site name; a dash only does when the part after it
/// looks like a site name, since headlines contain dashes ("云剑-2020").
pub fn strip_site_suffix(title: &str) -> String {
    static STRONG_RE: Lazy<Regex> =
        Lazy::new(|| Regex::new(r"\s*[_|｜]+\s*").expect("valid regex"));
    static DASH_RE: Lazy<Regex> =
        Lazy::new(|| Regex::new(r"\s*(?:\s[-–—]\s|[-–]|—(?:\s|$))\s*").expect("valid regex"));
    static SITE_RE: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r"(?i)(网|網|站|报|報|局|厅|廳|新闻|新聞|频道|頻道|在线|在線|门户|平台|中心|政府|公安|警方|首页|首頁|客户端|\.com|\.cn|\.net|\.org|com\.cn|gov\.cn|news|times|daily)$")
            .expect("valid regex")
    });
    let t = title.trim();
    if let Some(m) = STRONG_RE.find(t) {
        let head = t[..m.start()].trim();
        if head.chars().count() >= 2 {
            return strip_site_suffix(head);
        }
    }
    let mut t = t.to_string();
    while let Some(m) = DASH_RE.find_iter(&t).last() {
        let (head, tail) = (t[..m.start()].trim(), t[m.end()..].trim());
        if head.chars().count() >= 4 && tail.chars().count() <= 20 && SITE_RE.is_match(tail) {
            t = head.to_string();
        } else {
            break;
        }
    }
    t
}

/// Decode the HTML entities that appear in titles and meta content.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|e| e + 1);
        let (ent, consumed) = match end {
            Some(e) if rest[e..].starts_with(';') => (&rest[1..e], e + 1),
            Some(e) => (&rest[1..e], e),
            None => (&rest[1..], rest.len()),
        };
        let decoded = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" | "ensp" | "emsp" | "thinsp" => Some(' '),
            "ldquo" => Some('“'),
            "rdquo" => Some('”'),
            "lsquo" => Some('‘'),
            "rsquo" => Some('’'),
            "mdash" => Some('—'),
            "ndash" => Some('–'),
            "hellip" => Some('…'),
            "middot" => Some('·'),
            "bull" => Some('•'),
            "times" => Some('×'),
            "copy" => Some('©'),
            "reg" => Some('®'),
            "laquo" => Some('«'),
            "raquo" => Some('»'),
            _ => ent.strip_prefix('#').and_then(|n| {
                let v = match n.strip_prefix(['x', 'X']) {
                    Some(h) => u32::from_str_radix(h, 16).ok(),
                    None => n.parse().ok(),
                };
                v.and_then(char::from_u32)
            }),
        };
        match decoded {
            Some(c) if consumed > 1 => {
                out.push(c);
                rest = &rest[consumed..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICE_PAGE: &str = r#"<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>天津破获命案积案29起 抓获命案在逃嫌疑人31名_天津在线</title>
<meta name="PubDate" content="2020-08-12 09:30">
<meta name="author" content="孙畅">
<link rel="canonical" href="http://www.tjzx.cn/news/2020/0812/123.html">
<script>var _hmt = _hmt || []; document.write("<div>广告</div>");</script>
<style>.nav { color: red }</style>
</head><body>
<div class="top"><a href="/">首页</a> | <a href="/login">登录</a> | <a href="/reg">注册</a></div>
<nav><ul><li><a href="/">首页</a></li><li><a href="/news">资讯中心</a></li></ul></nav>
<div class="breadcrumb">首页&gt; 资讯中心&gt; 警法&gt; 正文</div>
<h1>天津破获命案积案29起 抓获命案在逃嫌疑人31名</h1>
<div class="info">来源：津云 &nbsp; 时间：2020-08-12 09:30</div>
<div class="content">
<p>“云剑-2020”命案积案攻坚行动开展以来，本市公安机关充分运用<a href="/k/1">科技信息化</a>手段，调集重兵强力攻坚，<strong>相继破获命案积案29起</strong>，抓获命案在逃犯罪嫌疑人31名，有效提升了群众安全感。</p>
<p>近年来，天津公安机关坚持命案必破不动摇，连续6年保持现行命案全部破获。<br>目前，命案积案攻坚行动已进入冲刺阶段。</p>
<!-- <p>隐藏的旧稿</p> -->
<img src="/a.jpg">
</div>
<div class="share-box">分享到：<a>微信</a><a>微博</a></div>
<form action="/comment"><textarea>我要评论</textarea><button>提交</button></form>
<div id="related">相关新闻<ul><li><a href="/x">另一条新闻标题很长很长的</a></li></ul></div>
<footer>版权所有 天津在线 津ICP备12345678号</footer>
<noscript>请开启JavaScript</noscript>
</body></html>"#;

    #[test]
    fn police_page() {
        let d = read(POLICE_PAGE);
        let body = d.lines.join("\n");
        assert_eq!(d.title, "天津破获命案积案29起 抓获命案在逃嫌疑人31名");
        assert_eq!(d.hints.date.as_deref(), Some("2020-08-12 09:30"));
        assert_eq!(d.hints.author.as_deref(), Some("孙畅"));
        assert_eq!(
            d.hints.url.as_deref(),
            Some("http://www.tjzx.cn/news/2020/0812/123.html")
        );
        for keep in [
            "来源：津云 时间：2020-08-12 09:30",
            "本市公安机关充分运用科技信息化手段，调集重兵强力攻坚，相继破获命案积案29起，",
            "连续6年保持现行命案全部破获。\n目前，命案积案攻坚行动已进入冲刺阶段。",
        ] {
            assert!(body.contains(keep), "lost {keep:?}\n---\n{body}");
        }
        for gone in [
            "_hmt",
            "广告",
            "color",
            "登录",
            "资讯中心",
            "首页",
            "隐藏的旧稿",
            "分享到",
            "微信",
            "我要评论",
            "提交",
            "相关新闻",
            "另一条",
            "版权所有",
            "ICP",
            "JavaScript",
            "**",
            "[",
            "天津破获命案积案29起 抓获",
        ] {
            assert!(!body.contains(gone), "kept {gone:?}\n---\n{body}");
        }
    }

    #[test]
    fn titles() {
        let cases: &[(&str, &str)] = &[
            (
                r#"<meta property="og:title" content="福州公安紧急提醒！ - 福州新闻网"><title>福州公安紧急提醒！_福州新闻网_首页</title>"#,
                "福州公安紧急提醒！",
            ),
            (
                r#"<title>市公安局召开新闻发布会 - 连云港市人民政府</title><h1><a href="/">连云港市人民政府</a></h1>"#,
                "市公安局召开新闻发布会",
            ),
            (
                r#"<title>“云剑-2020”行动战果 - 中国新闻网</title>"#,
                "“云剑-2020”行动战果",
            ),
            (
                r#"<title>宁夏电诈案件发案数降至近5年最低值|宁夏公安</title><h1>宁夏电诈案件发案数降至近5年最低值</h1>"#,
                "宁夏电诈案件发案数降至近5年最低值",
            ),
            (
                r#"<meta name="ArticleTitle" content="周口公安重拳打击治理养老诈骗违法犯罪"><title>周口市公安局</title>"#,
                "周口公安重拳打击治理养老诈骗违法犯罪",
            ),
            (
                r#"<h1>  兰州交警整治摩托车<em>“炸街”</em> </h1>"#,
                "兰州交警整治摩托车 “炸街”",
            ),
            (
                r#"<title>把平安答卷写在群众心中——全国公安机关深入推进“百日行动”</title>"#,
                "把平安答卷写在群众心中——全国公安机关深入推进“百日行动”",
            ),
            (
                r#"<title>A &amp; B 通报&#x3001;&#12290;</title>"#,
                "A & B 通报、。",
            ),
        ];
        for (html, want) in cases {
            assert_eq!(page_title(html).as_deref(), Some(*want), "{html}");
        }
    }

    #[test]
    fn date_hints() {
        let cases: &[(&str, &str)] = &[
            (
                r#"<meta property="article:published_time" content="2022-08-16T23:09:09+08:00">"#,
                "2022-08-16T23:09:09+08:00",
            ),
            (
                r#"<META NAME="publishdate" CONTENT="2021-04-09">"#,
                "2021-04-09",
            ),
            (
                r#"<meta name='dc.date' content='2019-01-22'>"#,
                "2019-01-22",
            ),
            (
                r#"<meta itemprop="datePublished" content="2023-09-27 17:03:47">"#,
                "2023-09-27 17:03:47",
            ),
            (
                r#"<p>x</p><time datetime="2025-05-29">5月29日</time>"#,
                "2025-05-29",
            ),
        ];
        for (html, want) in cases {
            assert_eq!(meta_hints(html).date.as_deref(), Some(*want), "{html}");
        }
    }

    #[test]
    fn deep_and_broken_markup_does_not_crash() {
        let deep = format!(
            "<html><body>{}深层正文内容。{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let unclosed = format!(
            "<p>开头</p>{}<p>末尾的正文。",
            "<div><span><b><i>".repeat(50_000)
        );
        let cases = [
            deep,
            unclosed,
            "<html><body><p>正文一。</p><script>while(1){".to_string(),
            "<div><nav>导航<p>没有结束的导航里的正文。</p>".to_string(),
            "<p>开头<a href=\"x".to_string(),
            "<<<>>></ ><!-- <p>".to_string(),
            "<table>".repeat(20_000),
            "<p>".repeat(50_000),
            format!("{}<p>正文。</p></nav>", "<nav>".repeat(100_000)),
            format!(
                "{}</div>",
                "<div class=\"share\"><p>分享</p>".repeat(30_000)
            ),
        ];
        // Run on a thread with a small stack, like a pool worker.
        let handle = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                cases
                    .iter()
                    .map(|c| read(c).lines.join("\n"))
                    .collect::<Vec<_>>()
            })
            .expect("spawn");
        let out = handle.join().expect("no stack overflow or panic");
        assert!(out[0].contains("深层正文内容。"), "{:?}", out[0]);
        assert!(out[1].contains("末尾的正文。"));
        assert!(out[2].contains("正文一。"));
        assert!(out[3].contains("没有结束的导航里的正文。"), "{:?}", out[3]);
    }

    #[test]
    fn unterminated_title_keeps_the_body() {
        let d =
            read("<html><head><title>未闭合的通报<body><p>警方破获一起盗窃案件<div>嫌疑人已被抓获");
        assert_eq!(d.title, "未闭合的通报");
        assert!(
            d.lines.join("\n").contains("警方破获一起盗窃案件"),
            "{:?}",
            d.lines
        );
    }

    #[test]
    fn unterminated_raw_text_elements_stay_linear() {
        // Each unterminated <textarea> used to scan to the end of the page: minutes.
        let page = format!("<p>警方破获案件</p>{}", "<textarea>警方".repeat(100_000));
        let started = std::time::Instant::now();
        let d = read(&page);
        assert_eq!(d.title, "警方破获案件");
        assert!(
            started.elapsed().as_secs() < 20,
            "took {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn sniffing() {
        let cases: &[(&str, bool)] = &[
            ("<!DOCTYPE html><html><body>x</body></html>", true),
            ("  \n<html>", true),
            ("<div><p>正文</p></div>", true),
            ("广西公安机关夏季治安打击整治“百日行动”新闻发布会召开\n\n9月28日,自治区公安厅召开新闻发布会。", false),
            ("警方提示：<注意>防范诈骗", false),
        ];
        for (text, want) in cases {
            assert_eq!(looks_like_html(text), *want, "{text}");
        }
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("A&amp;B &lt;x&gt; &#20844;&#x5B89; &nbsp;&unknown; & 5"),
            "A&B <x> 公安  &unknown; & 5"
        );
    }
}

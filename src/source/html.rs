//! HTML pages → headline, clean text and `<meta>` hints.
//!
//! The text comes from one streaming pass over html5ever's tokenizer — the standard HTML
//! tokenizer, without the tree builder. No element tree is ever built, so a page costs
//! time and memory in proportion to its size whatever its markup: a million paragraphs,
//! `<div>`s nested 100 000 deep, or the mis-nested `<rb>`/`<option>`/formatting soup that
//! makes a tree builder's implied-end-tag and adoption rules quadratic are all one step
//! per token. The pass drops elements that are never the bulletin (scripts, styles,
//! navigation, forms, site header and footer, share and comment boxes: their text is
//! written and cut off again when the element closes, and kept when it never closes),
//! breaks lines at block elements and `<br>`, and stops at the text cap or the reading
//! deadline. Then the text goes through the same chrome removal as plain text (`text`),
//! since most pages are div soup that no element list can fully clean.
//!
//! The headline comes from `og:title`/`ArticleTitle` meta tags, an `<h1>` that the
//! `<title>` starts with, or the `<title>` minus its site suffix ("标题_XX公安网").

use std::cell::RefCell;

// std's lazy static, under the short name the statics below use.
use std::sync::LazyLock as Lazy;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use regex::Regex;

use super::budget::Budget;
use super::text;
use super::tidy::tidy_lines;
use super::{Hints, SourceError};

/// Elements whose content is never bulletin text.
const DROP: &[&str] = &[
    "script", "style", "noscript", "iframe", "template", "svg", "math", "nav", "form", "aside", "select", "button", "textarea", "object", "embed", "canvas",
    "audio", "video", "header", "footer", "dialog", "menu",
];

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "basefont", "bgsound", "frame", "keygen",
    "image",
];

/// Elements that start and end a line of text; everything else flows inline.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "optgroup",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "xmp",
];

/// Chrome elements open at once whose text is held for dropping. Real pages nest a few;
/// past this, further ones are counted as plain nesting of the innermost, which keeps
/// every tag's work constant on hostile input.
const MAX_OPEN_DROPS: usize = 64;

/// Input fed to the tokenizer at a time; the deadline is checked between pieces.
const CHUNK: usize = 64 * 1024;

/// `class`/`id` values of containers that hold site chrome on Chinese news and police
/// sites (div soup rarely uses `<nav>` or `<footer>`).
static CHROME_CLASS_RE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)^(nav|navbar|nav-?bar|topnav|mainnav|menu|mainmenu|breadcrumbs?|crumbs?|position|location|footer|foot|site-?footer|share|share-?box|bdsharebuttonbox|bdshare|comments?|comment-?box|comment-?list|sidebar|side-?bar|related|related-?news|relate|recommend|recommends|hot-?news|copyright|login|toolbar|advert|ads?|qrcode|erweima)$|(?i)[-_](nav|footer|share|comments?|sidebar|breadcrumbs?|related|recommend|copyright|qrcode)$")
        .expect("valid chrome class regex")
});

/// Everything the HTML reader learns from one page.
#[derive(Debug, Default)]
pub(crate) struct HtmlDoc {
    pub title: String,
    pub lines: Vec<String>,
    pub hints: Hints,
    /// Caveats (text cut at the cap).
    pub warnings: Vec<String>,
}

/// Read an HTML page (already decoded) without limits.
#[cfg(test)]
pub fn read(html: &str) -> HtmlDoc {
    read_with(html, &Budget::unlimited()).unwrap_or_default()
}

/// Read an HTML page within `budget`: the text is cut at its cap (with a warning), and
/// a page still being read at its deadline is given up.
pub(crate) fn read_with(html: &str, budget: &Budget) -> Result<HtmlDoc, SourceError> {
    let hints = meta_hints(html);
    let page_title = page_title(html);
    let rendered = render(html, budget)?;
    budget.check()?;
    let mut lines = tidy_lines(&rendered.text);
    drop(rendered.text);
    lines.retain(|l| !is_image_placeholder(l));

    let title = page_title.unwrap_or_default();
    let cleaned = if title.is_empty() {
        text::clean(lines)
    } else {
        let mut c = text::remove_chrome(lines);
        drop_repeated_headline(&mut c.lines, &title);
        c.title = title;
        c
    };
    let mut hints = hints;
    if hints.url.is_none() {
        hints.url = cleaned.url.clone();
    }
    hints.channel = cleaned.channel.clone();
    let warnings = rendered.cut.into_iter().collect();
    Ok(HtmlDoc { title: cleaned.title.clone(), lines: cleaned.lines, hints, warnings })
}

/// The headline usually appears again as one of the first lines of the rendered page:
/// that line goes, and so does the header above it, save datelines and long lines.
fn drop_repeated_headline(lines: &mut Vec<String>, title: &str) {
    let Some(i) = lines.iter().take(15).position(|l| same_title(l, title)) else { return };
    let mut kept = Vec::with_capacity(lines.len());
    for (j, l) in lines.drain(..).enumerate() {
        if j > i || (j < i && (text::is_dateline(&l) || l.chars().count() >= 50)) {
            kept.push(l);
        }
    }
    *lines = kept;
}

fn same_title(line: &str, title: &str) -> bool {
    let l = text::clean_title(line);
    l == title || (l.starts_with(title) && l.chars().count() <= title.chars().count() + 12)
}

/// Lines that stand for an image and say nothing: an image's description written as a
/// placeholder (`alt="[image]"`, `alt="[]"`, as some editors and scrapers leave).
fn is_image_placeholder(line: &str) -> bool {
    line == "[]" || line == "[image]"
}

/// Does this text look like an HTML document or fragment rather than prose?
pub(crate) fn looks_like_html(text: &str) -> bool {
    static TAG_RE: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r"(?i)<(p|div|br|span|table|tr|td|html|body|head|title|meta|h[1-6]|article|section|ul|ol|li|img|a|strong|em|b|font|center)\b[^<>]*>")
            .expect("valid tag regex")
    });
    let head = text.trim_start();
    let head = &head[..crate::chars::floor_boundary(head, 16 * 1024)];
    let lower = head.get(..head.len().min(64)).unwrap_or("").to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") || (lower.starts_with("<?xml") && head.contains("<html")) {
        return true;
    }
    let tags = TAG_RE.find_iter(head).take(10).count();
    (head.starts_with('<') && tags >= 2) || tags >= 10
}

/// The text of a page, and why it was cut if it was.
struct Rendered {
    text: String,
    cut: Option<String>,
}

/// Render the page's text in one pass over the tokenizer (see the module documentation).
fn render(html: &str, budget: &Budget) -> Result<Rendered, SourceError> {
    let sink = TextSink { state: RefCell::new(TextState::new(budget.max_text_bytes)) };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    let mut at = 0;
    while at < html.len() {
        let rest = &html[at..];
        let piece = &rest[..crate::chars::floor_boundary(rest, CHUNK)];
        if piece.is_empty() {
            break;
        }
        at += piece.len();
        input.push_back(StrTendril::from_slice(piece));
        // The sink never asks to run a script, so feeding only ends when input runs out.
        let _ = tokenizer.feed(&input);
        budget.check()?;
        if tokenizer.sink.state.borrow().full {
            break;
        }
    }
    tokenizer.end();
    let state = tokenizer.sink.state.into_inner();
    Ok(state.finish())
}

/// A chrome element whose text is being written provisionally: cut back to `mark` when
/// the element closes, kept if it never does.
struct OpenDrop {
    name: html5ever::LocalName,
    /// Open elements of the same name inside it, itself included.
    nesting: usize,
    /// Length of the output, lines written and pending whitespace when it opened.
    mark: usize,
    lines: usize,
    space: bool,
    newline: bool,
}

struct TextState {
    out: String,
    /// Lines ended so far (for the cap).
    lines: usize,
    /// Collapsed whitespace waiting for the next text.
    space: bool,
    /// A block boundary waiting for the next text.
    newline: bool,
    drops: Vec<OpenDrop>,
    /// Inside `<script>`/`<style>`, whose text is never shown.
    raw: bool,
    /// Inside `<title>` (shown as the headline, not in the body). Ends at the next tag,
    /// so an unterminated `<title>` does not swallow the page.
    title: bool,
    article: usize,
    pre: usize,
    max_bytes: usize,
    max_lines: usize,
    /// The kept text reached the cap: reading stops.
    full: bool,
}

impl TextState {
    fn new(max_bytes: usize) -> TextState {
        TextState {
            out: String::new(),
            lines: 0,
            space: false,
            newline: false,
            drops: Vec::new(),
            raw: false,
            title: false,
            article: 0,
            pre: 0,
            max_bytes,
            // A line costs a String in every later step; a page of a million one-letter
            // paragraphs must not cost a million of them.
            max_lines: (max_bytes / 16).max(1),
            full: false,
        }
    }

    /// Output that no open chrome element can take back.
    fn kept(&self) -> (usize, usize) {
        self.drops.first().map_or((self.out.len(), self.lines), |d| (d.mark, d.lines))
    }

    fn text(&mut self, t: &str) {
        if self.raw || self.title || self.full {
            return;
        }
        for c in t.chars() {
            if self.pre == 0 && matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0c}') {
                self.space = true;
                continue;
            }
            if self.pre > 0 && c == '\n' {
                self.line_break();
                continue;
            }
            if self.newline {
                self.line_break();
            } else if self.space && !self.out.is_empty() && !self.out.ends_with('\n') {
                self.out.push(' ');
            }
            self.space = false;
            self.out.push(c);
        }
        let (bytes, lines) = self.kept();
        if bytes > self.max_bytes || lines > self.max_lines {
            self.full = true;
        }
    }

    fn line_break(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
            self.lines += 1;
        }
        self.newline = false;
        self.space = false;
    }

    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        self.title = false;
        let name: &str = &tag.name;
        let is_block = BLOCK.contains(&name);
        match tag.kind {
            TagKind::StartTag => {
                if is_block || name == "br" {
                    self.newline = true;
                }
                if name == "br" {
                    self.line_break();
                    self.newline = true;
                }
                if name == "img" && tag.attrs.iter().any(|a| &*a.name.local == "src") {
                    // An image stands for its description, where it has one.
                    if let Some(alt) = tag.attrs.iter().find(|a| &*a.name.local == "alt") {
                        let alt = alt.value.to_string();
                        self.text(&alt);
                    }
                }
                if tag.self_closing || VOID.contains(&name) {
                    return TokenSinkResult::Continue;
                }
                match name {
                    "script" => {
                        self.raw = true;
                        return TokenSinkResult::RawData(RawKind::ScriptData);
                    }
                    "style" => {
                        self.raw = true;
                        return TokenSinkResult::RawData(RawKind::Rawtext);
                    }
                    "title" => self.title = true,
                    "article" | "main" => self.article += 1,
                    "pre" | "listing" | "xmp" => self.pre += 1,
                    _ => {}
                }
                let chrome_element = DROP.contains(&name) && !((name == "header" || name == "footer") && self.article > 0);
                let chrome = chrome_element || has_chrome_class(tag);
                let innermost = self.drops.iter().rposition(|d| d.name == tag.name);
                if chrome && self.drops.len() < MAX_OPEN_DROPS {
                    self.drops.push(OpenDrop {
                        name: tag.name.clone(),
                        nesting: 1,
                        mark: self.out.len(),
                        lines: self.lines,
                        space: self.space,
                        newline: self.newline,
                    });
                } else if let Some(i) = innermost {
                    self.drops[i].nesting += 1;
                }
            }
            TagKind::EndTag => {
                if is_block {
                    self.newline = true;
                }
                match name {
                    "script" | "style" => self.raw = false,
                    "article" | "main" => self.article = self.article.saturating_sub(1),
                    "pre" | "listing" | "xmp" => self.pre = self.pre.saturating_sub(1),
                    _ => {}
                }
                if let Some(i) = self.drops.iter().rposition(|d| d.name == tag.name) {
                    self.drops[i].nesting -= 1;
                    if self.drops[i].nesting == 0 {
                        // Closed: its text (and that of anything still open inside it) goes,
                        // as if it had never been there.
                        let closed = &self.drops[i];
                        let (mark, lines, space, newline) = (closed.mark, closed.lines, closed.space, closed.newline);
                        self.drops.truncate(i);
                        self.out.truncate(mark);
                        self.lines = lines;
                        self.space = space;
                        self.newline = newline;
                    }
                }
            }
        }
        TokenSinkResult::Continue
    }

    /// The text, cut at the caps at a line break if it went over them (chrome elements
    /// left open at the end keep their text, which can take it past the cap).
    fn finish(mut self) -> Rendered {
        let over_lines = self.lines > self.max_lines;
        if !self.full && self.out.len() <= self.max_bytes && !over_lines {
            return Rendered { text: self.out, cut: None };
        }
        let mut end = crate::chars::floor_boundary(&self.out, self.max_bytes);
        if over_lines {
            if let Some((at, _)) = self.out.match_indices('\n').nth(self.max_lines) {
                end = end.min(at);
            }
        }
        if let Some(nl) = self.out[..end].rfind('\n') {
            if nl >= end / 2 {
                end = nl;
            }
        }
        self.out.truncate(end);
        self.out.shrink_to_fit();
        let cut = if over_lines {
            format!("the page's text runs to more than {} lines; only the first {} ({}) are indexed", self.max_lines, self.max_lines, super::mb(end as u64))
        } else {
            format!("the page's text is over {}; only its first {} are indexed", super::mb(self.max_bytes as u64), super::mb(end as u64))
        };
        Rendered { text: self.out, cut: Some(cut) }
    }
}

/// Receives the tokenizer's tokens. The tokenizer hands tokens over by shared reference,
/// so the state sits in a `RefCell`, borrowed for one token at a time.
struct TextSink {
    state: RefCell<TextState>,
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => state.tag(&tag),
            Token::CharacterTokens(t) => {
                state.text(&t);
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

fn has_chrome_class(tag: &Tag) -> bool {
    tag.attrs.iter().any(|a| matches!(&*a.name.local, "class" | "id") && a.value.split_whitespace().any(|tok| CHROME_CLASS_RE.is_match(tok)))
}

static META_RE: Lazy<Regex> = Lazy::new(|| Regex::new(r"(?is)<meta\b([^>]*)>").expect("valid regex"));
static LINK_RE: Lazy<Regex> = Lazy::new(|| Regex::new(r"(?is)<link\b([^>]*)>").expect("valid regex"));
static ATTRS_RE: Lazy<Regex> = Lazy::new(|| Regex::new(r#"(?is)([a-z_:.\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#).expect("valid regex"));

fn attrs(tag_inner: &str) -> Vec<(String, String)> {
    ATTRS_RE
        .captures_iter(tag_inner)
        .map(|c| {
            let v = c.get(2).or(c.get(3)).or(c.get(4)).map_or("", |m| m.as_str());
            (c[1].to_ascii_lowercase(), decode_entities(v).trim().to_string())
        })
        .collect()
}

/// `(key, content)` of every `<meta>`, the key being its name/property/itemprop/http-equiv
/// in lower case.
fn metas(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for c in META_RE.captures_iter(html) {
        let a = attrs(&c[1]);
        let key = a.iter().find(|(k, _)| matches!(k.as_str(), "name" | "property" | "itemprop" | "http-equiv"));
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
    const AUTHOR_KEYS: &[&str] = &["author", "article:author", "dc.creator", "dcterms.creator", "byl"];
    const URL_KEYS: &[&str] = &["og:url", "twitter:url", "url"];
    let metas = metas(html);
    let first = |keys: &[&str]| keys.iter().find_map(|k| metas.iter().find(|(mk, _)| mk == k).map(|(_, v)| v.clone()));
    let mut hints = Hints { date: first(DATE_KEYS), author: first(AUTHOR_KEYS).filter(|a| !a.starts_with("http")), url: first(URL_KEYS), ..Hints::default() };
    if hints.date.is_none() {
        static TIME_RE: Lazy<Regex> = Lazy::new(|| Regex::new(r#"(?is)<time\b[^>]*\bdatetime\s*=\s*["']([^"']+)["']"#).expect("valid regex"));
        hints.date = TIME_RE.captures(html).map(|c| c[1].trim().to_string());
    }
    if hints.url.is_none() {
        hints.url = LINK_RE.captures_iter(html).find_map(|c| {
            let a = attrs(&c[1]);
            let canonical = a.iter().any(|(k, v)| k == "rel" && v.eq_ignore_ascii_case("canonical"));
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
    static TITLE_RE: Lazy<Regex> = Lazy::new(|| Regex::new(r"(?is)<title\b[^>]*>(.*?)</title>").expect("valid regex"));
    static H1_RE: Lazy<Regex> = Lazy::new(|| Regex::new(r"(?is)<h1\b[^>]*>(.*?)</h1>").expect("valid regex"));
    let metas = metas(html);
    let strong = ["og:title", "articletitle", "twitter:title", "title"]
        .iter()
        .find_map(|k| metas.iter().find(|(mk, _)| mk == k).map(|(_, v)| strip_site_suffix(&text::clean_title(v))))
        .filter(|t| t.chars().count() >= 2);
    if strong.is_some() {
        return strong;
    }
    static OPEN_TITLE_RE: Lazy<Regex> = Lazy::new(|| Regex::new(r"(?i)<title\b[^>]*>([^<]*)").expect("valid regex"));
    let title_tag = TITLE_RE
        .captures(html)
        // An unterminated <title> ends at the next tag, as the renderer reads it (`TextState::title`).
        .or_else(|| OPEN_TITLE_RE.captures(html))
        .map(|c| inner_text(&c[1]))
        .filter(|t| !t.is_empty());
    let h1s: Vec<String> = H1_RE.captures_iter(html).take(10).map(|c| inner_text(&c[1])).filter(|t| t.chars().count() >= 4).collect();
    if let Some(t) = &title_tag {
        if let Some(h) = h1s.iter().filter(|h| t.starts_with(h.as_str())).max_by_key(|h| h.len()) {
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
pub(crate) fn strip_site_suffix(title: &str) -> String {
    static STRONG_RE: Lazy<Regex> = Lazy::new(|| Regex::new(r"\s*[_|｜]+\s*").expect("valid regex"));
    static DASH_RE: Lazy<Regex> = Lazy::new(|| Regex::new(r"\s*(?:\s[-–—]\s|[-–]|—(?:\s|$))\s*").expect("valid regex"));
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
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).map(|e| e + 1);
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
        assert_eq!(d.hints.url.as_deref(), Some("http://www.tjzx.cn/news/2020/0812/123.html"));
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
            (r#"<meta property="og:title" content="福州公安紧急提醒！ - 福州新闻网"><title>福州公安紧急提醒！_福州新闻网_首页</title>"#, "福州公安紧急提醒！"),
            (r#"<title>市公安局召开新闻发布会 - 连云港市人民政府</title><h1><a href="/">连云港市人民政府</a></h1>"#, "市公安局召开新闻发布会"),
            (r#"<title>“云剑-2020”行动战果 - 中国新闻网</title>"#, "“云剑-2020”行动战果"),
            (r#"<title>宁夏电诈案件发案数降至近5年最低值|宁夏公安</title><h1>宁夏电诈案件发案数降至近5年最低值</h1>"#, "宁夏电诈案件发案数降至近5年最低值"),
            (r#"<meta name="ArticleTitle" content="周口公安重拳打击治理养老诈骗违法犯罪"><title>周口市公安局</title>"#, "周口公安重拳打击治理养老诈骗违法犯罪"),
            (r#"<h1>  兰州交警整治摩托车<em>“炸街”</em> </h1>"#, "兰州交警整治摩托车 “炸街”"),
            (r#"<title>把平安答卷写在群众心中——全国公安机关深入推进“百日行动”</title>"#, "把平安答卷写在群众心中——全国公安机关深入推进“百日行动”"),
            (r#"<title>A &amp; B 通报&#x3001;&#12290;</title>"#, "A & B 通报、。"),
        ];
        for (html, want) in cases {
            assert_eq!(page_title(html).as_deref(), Some(*want), "{html}");
        }
    }

    #[test]
    fn date_hints() {
        let cases: &[(&str, &str)] = &[
            (r#"<meta property="article:published_time" content="2022-08-16T23:09:09+08:00">"#, "2022-08-16T23:09:09+08:00"),
            (r#"<META NAME="publishdate" CONTENT="2021-04-09">"#, "2021-04-09"),
            (r#"<meta name='dc.date' content='2019-01-22'>"#, "2019-01-22"),
            (r#"<meta itemprop="datePublished" content="2023-09-27 17:03:47">"#, "2023-09-27 17:03:47"),
            (r#"<p>x</p><time datetime="2025-05-29">5月29日</time>"#, "2025-05-29"),
        ];
        for (html, want) in cases {
            assert_eq!(meta_hints(html).date.as_deref(), Some(*want), "{html}");
        }
    }

    #[test]
    fn deep_and_broken_markup_does_not_crash() {
        let deep = format!("<html><body>{}深层正文内容。{}</body></html>", "<div>".repeat(100_000), "</div>".repeat(100_000));
        let unclosed = format!("<p>开头</p>{}<p>末尾的正文。", "<div><span><b><i>".repeat(50_000));
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
            format!("{}</div>", "<div class=\"share\"><p>分享</p>".repeat(30_000)),
        ];
        // Run on a thread with a small stack, like a pool worker.
        let handle = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || cases.iter().map(|c| read(c).lines.join("\n")).collect::<Vec<_>>())
            .expect("spawn");
        let out = handle.join().expect("no stack overflow or panic");
        assert!(out[0].contains("深层正文内容。"), "{:?}", out[0]);
        assert!(out[1].contains("末尾的正文。"));
        assert!(out[2].contains("正文一。"));
        assert!(out[3].contains("没有结束的导航里的正文。"), "{:?}", out[3]);
    }

    /// What the streaming pass makes of each construct: block elements break lines,
    /// inline ones (dropped or not) keep the flow, chrome that closes goes, chrome that
    /// never closes keeps its text.
    #[test]
    fn streaming_text_by_construct() {
        let cases: &[(&str, &str)] = &[
            ("<p>城区派出所接到报警<br>民警五分钟内到达现场</p>", "城区派出所接到报警\n民警五分钟内到达现场"),
            ("<p>请拨打<button>点击拨号</button>一一零报警。</p>", "请拨打一一零报警。"),
            ("<ul><li>盗窃案三起<li>诈骗案两起</ul>", "盗窃案三起\n诈骗案两起"),
            ("<table><tr><td>破案</td><td>126起</td></tr></table>", "破案\n126起"),
            ("<p>嫌疑人<strong>王某</strong>\n  已被<em>刑事拘留</em>。</p>", "嫌疑人王某 已被刑事拘留。"),
            ("<p>现场<img src=a.jpg alt=民警勘查现场>照片</p>", "现场民警勘查现场照片"),
            ("<div class=share><div>分享到</div><div>微信</div></div><p>警方提醒注意防范。</p>", "警方提醒注意防范。"),
            ("<p>正文在前。</p><nav>首页<p>导航没有结束时正文保留。</p>", "正文在前。\n首页\n导航没有结束时正文保留。"),
            ("<article><header>来源：市公安局</header><p>案情通报。</p></article><footer>版权所有</footer>", "来源：市公安局\n案情通报。"),
            ("<script>var s='</p><p>假正文';</script><p>真正文。</p><style>p{}</style>", "真正文。"),
            ("<p>前文</p><!-- <p>旧稿</p> --><p>后文</p>", "前文\n后文"),
            ("<pre>第一行\n  第二行</pre>", "第一行\n  第二行"),
        ];
        for (html, want) in cases {
            let got = render(html, &Budget::unlimited()).expect("read").text;
            assert_eq!(got.trim(), *want, "{html}");
        }
    }

    /// Markup a tree builder handles in quadratic time (implied end tags of ruby and
    /// select elements, the adoption agency for mis-nested formatting) is one step per
    /// token here: all the text comes out.
    #[test]
    fn quadratic_markup_for_tree_builders_reads_whole() {
        let cases = [
            ("<rb>案".repeat(100_000), 100_000),
            ("<optgroup><option>案".repeat(50_000), 50_000),
            ("<b><i>案</b></i>".repeat(50_000), 50_000),
            ("<a href=x>案".repeat(50_000), 50_000),
        ];
        for (html, n) in cases {
            let text = render(&html, &Budget::unlimited()).expect("read").text;
            assert_eq!(text.matches('案').count(), n, "{}", &html[..40]);
        }
    }

    #[test]
    fn text_stops_at_the_cap_with_a_note() {
        let page = "<p>警方破获一起盗窃案件。".repeat(50_000);
        let budget = Budget { max_text_bytes: 64 * 1024, ..Budget::unlimited() };
        let doc = read_with(&page, &budget).expect("read");
        let kept: usize = doc.lines.iter().map(|l| l.len() + 1).sum();
        assert!(kept <= 64 * 1024, "{kept}");
        assert!(doc.warnings.iter().any(|w| w.contains("only its first")), "{:?}", doc.warnings);
        // Many tiny paragraphs are capped by lines, which is what costs memory later.
        let tiny = "<p>x".repeat(200_000);
        let doc = read_with(&tiny, &budget).expect("read");
        assert!(doc.lines.len() <= 64 * 1024 / 16, "{}", doc.lines.len());
        assert!(doc.warnings.iter().any(|w| w.contains("lines")), "{:?}", doc.warnings);
    }

    #[test]
    fn a_page_past_its_deadline_is_given_up() {
        let page = format!("<p>警方通报。</p>{}", "<span class=x></span>".repeat(20_000));
        let spent = Budget::starting_now(std::time::Duration::ZERO, 1 << 20);
        std::thread::sleep(std::time::Duration::from_millis(2));
        let e = read_with(&page, &spent).expect_err("too slow");
        assert!(matches!(e, SourceError::TooSlow { .. }), "{e}");
    }

    #[test]
    fn unterminated_title_keeps_the_body() {
        let d = read("<html><head><title>未闭合的通报<body><p>警方破获一起盗窃案件<div>嫌疑人已被抓获");
        assert_eq!(d.title, "未闭合的通报");
        assert!(d.lines.join("\n").contains("警方破获一起盗窃案件"), "{:?}", d.lines);
    }

    #[test]
    fn unterminated_raw_text_elements_stay_linear() {
        // Each unterminated <textarea> used to scan to the end of the page: minutes.
        let page = format!("<p>警方破获案件</p>{}", "<textarea>警方".repeat(100_000));
        let started = std::time::Instant::now();
        let d = read(&page);
        assert_eq!(d.title, "警方破获案件");
        assert!(started.elapsed().as_secs() < 20, "took {:?}", started.elapsed());
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
        assert_eq!(decode_entities("A&amp;B &lt;x&gt; &#20844;&#x5B89; &nbsp;&unknown; & 5"), "A&B <x> 公安  &unknown; & 5");
    }
}

//! Page-chrome removal and headline finding for plain text.
//!
//! Most "text" bulletins are web pages copied or scraped as text, so they carry the site
//! around them: log-in prompts and breadcrumbs above, share buttons and editor credits in
//! between, recommended-article lists, copyright and ICP licence lines below. This module
//! removes that chrome while keeping every sentence of the bulletin, and picks the headline.
//!
//! The rules are general, not per site:
//! - a line is dropped only when the *whole line* is chrome (a sentence that mentions 登录
//!   stays);
//! - a breadcrumb near the top ("当前位置: 首页 > …") ends the site header: lines above it
//!   go;
//! - a trailer heading (相关阅读, 推荐文章, 版权声明 …) or a footer line (ICP licence,
//!   copyright, a `|` link bar) cuts everything after it — but only when less bulletin text
//!   follows it than precedes it, so a stray "相关链接" near the top cannot eat the article;
//! - dateline and source lines ("来源:新华网 作者:… 2022-09-27 09:18:22") stay in the body,
//!   because date extraction reads them.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::analysis::normalize::{fold, Folded};
use crate::chars::is_cjk;

/// Longest line that can be a headline, in characters.
const MAX_TITLE_CHARS: usize = 60;

/// Text split into a headline and clean body lines.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct CleanText {
    /// The headline, cleaned of decoration; empty when no line looks like one.
    pub title: String,
    /// Body lines without chrome, without the headline line.
    pub lines: Vec<String>,
    /// A source address the page printed about itself ("本文网址: http://…").
    pub url: Option<String>,
    /// The page's breadcrumb near the top (`首页 > 内蒙古发布 > 正文`): removed from the
    /// text as chrome, but it names the channel, which may name the issuing region.
    pub channel: Vec<String>,
}

impl CleanText {
    #[cfg(test)]
    pub fn body(&self) -> String {
        self.lines.join("\n")
    }
}

/// What a single line is, judged on its own.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Body,
    /// Widget, prompt, credit or notice: drop the line.
    Chrome,
    /// "当前位置: 首页 > 新闻": the site header ends here.
    Breadcrumb,
    /// "相关阅读", "版权声明": what follows is not the bulletin.
    Trailer,
    /// ICP licence, copyright, link bar: the page footer starts here.
    Footer,
    /// "本文网址: http://…": chrome, but worth keeping as a hint.
    SourceUrl(String),
}

/// Clean already-tidied lines (see `tidy`) and pick the headline.
pub fn clean(lines: Vec<String>) -> CleanText {
    let mut lines = remove_chrome(lines);
    let title_at = pick_title(&lines.lines);
    let title = title_at.map(|i| clean_title(&lines.lines[i])).unwrap_or_default();
    if let Some(i) = title_at {
        drop_header_before(&mut lines.lines, i);
    }
    lines.title = title;
    lines
}

/// Remove chrome lines, the site header above a breadcrumb and trailers; no title work.
pub(crate) fn remove_chrome(lines: Vec<String>) -> CleanText {
    let kinds: Vec<Kind> = lines.iter().map(|l| classify(l)).collect();
    let mut url = None;
    for k in &kinds {
        if let Kind::SourceUrl(u) = k {
            url.get_or_insert_with(|| u.clone());
        }
    }
    let channel: Vec<String> = kinds.iter().zip(&lines).take(12).filter(|(k, _)| **k == Kind::Breadcrumb).map(|(_, l)| l.clone()).collect();

    // Site header: everything up to a breadcrumb near the top, if no sentence precedes it.
    let mut start = 0;
    if let Some(b) = kinds.iter().take(12).position(|k| *k == Kind::Breadcrumb) {
        if lines[..b].iter().all(|l| !l.contains('。')) {
            start = b + 1;
        }
    }

    // Trailer: the first trailer heading or footer line after which less text remains.
    let mass: Vec<usize> = lines.iter().map(|l| sentence_mass(l)).collect();
    let total: usize = mass[start..].iter().sum();
    let total_chars: usize = lines[start..].iter().map(|l| l.chars().count()).sum();
    let mut end = lines.len();
    let (mut before, mut chars_before) = (0usize, 0usize);
    for i in start..lines.len() {
        if matches!(kinds[i], Kind::Trailer | Kind::Footer) {
            let after = total - before - mass[i];
            let late = chars_before * 10 >= total_chars * 6;
            if before > 0 && (after <= before || (kinds[i] == Kind::Trailer && late)) {
                end = i;
                break;
            }
        }
        before += mass[i];
        chars_before += lines[i].chars().count();
    }

    let mut seen = HashSet::new();
    let mut kept = Vec::new();
    for (line, kind) in lines.into_iter().zip(kinds).take(end).skip(start) {
        if kind != Kind::Body {
            continue;
        }
        // Scrapers sometimes capture a paragraph (or a caption) twice; one copy is enough.
        if (line.chars().count() >= 20 && !seen.insert(line.clone())) || kept.last() == Some(&line) {
            continue;
        }
        kept.push(line);
    }
    CleanText { title: String::new(), lines: kept, url, channel }
}

/// Lines above the headline that are not sentences are leftovers of the site header
/// ("天津在线", "小贴士"); datelines stay because date extraction needs them, and so do
/// dated page frames (a newspaper page's header is the day it was printed).
fn drop_header_before(lines: &mut Vec<String>, title_at: usize) {
    let mut idx = 0;
    lines.retain(|l| {
        let keep = if idx < title_at {
            sentence_mass(l) > 0 || is_dateline(l) || (is_page_header(l) && fold(l).contains(|c: char| c.is_ascii_digit() || c == '〇'))
        } else {
            idx != title_at
        };
        idx += 1;
        keep
    });
}

/// Characters of "bulletin text" on a line: whole sentences count, short labels don't.
fn sentence_mass(line: &str) -> usize {
    let n = line.chars().count();
    let ends_sentence = line.ends_with(['。', '！', '？', '!', '?', '…', '”', '」', '；', ')', '）']);
    if n >= 50 || (ends_sentence && n >= 12) {
        n
    } else {
        0
    }
}

/// Leading bullets and decoration that widgets put before their labels.
fn strip_bullets(line: &str) -> &str {
    line.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '•' | '·' | '●' | '○' | '◆' | '◇' | '■' | '□' | '▪' | '▶' | '►' | '*' | '-' | '–' | '—' | '>' | '»' | '|' | '｜')
    })
    .trim_end()
}

/// Widget labels that make up a whole line of chrome. Written once, in folded form
/// (simplified, lower case); folded again when loaded, so a slip of script cannot hide one.
static CHROME_TOKENS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    [
        "登录",
        "注册",
        "登录注册",
        "退出",
        "下载客户端",
        "客户端",
        "下载app",
        "分享",
        "分享到",
        "分享至",
        "分享按钮",
        "收藏",
        "点赞",
        "赞",
        "评论",
        "发表评论",
        "我要评论",
        "举报",
        "我要举报",
        "反馈",
        "打印",
        "打印本页",
        "关闭",
        "关闭窗口",
        "返回",
        "返回顶部",
        "返回首页",
        "顶部",
        "上一篇",
        "下一篇",
        "扫一扫",
        "扫一扫打开当前页",
        "阅读原文",
        "验证码",
        "请输入验证码",
        "热点搜索",
        "热门搜索",
        "搜索",
        "站内搜索",
        "大家都在看",
        "微信",
        "微博",
        "朋友圈",
        "qq",
        "qq空间",
        "a-",
        "a+",
        "a",
        "+1",
        "+",
        "申请入驻",
        "关注",
        "已关注",
        "取消关注",
        "加关注",
        "提交",
        "字号",
        "字体",
        "默认",
        "大",
        "中",
        "小",
        "复制链接",
        "复制",
        "新浪微博",
        "腾讯微博",
        "微信扫一扫",
        "手机看",
        "手机版",
        "电脑版",
        "网页版",
        "收起",
        "展开",
        "展开全文",
        "查看原文",
        "全文",
        "更多",
        "点击查看",
        "热门",
        "推荐",
        "投诉",
        "纠错",
        "我要纠错",
        "打印文章",
        "保存",
        "来顶一下",
        "顶",
        "踩",
        "喜欢",
        "不喜欢",
        // Print and font-size widgets as Taiwanese and Hong Kong sites word them.
        "列印",
        "友善列印",
        "打印此页",
        "字级",
        "放大",
        "缩小",
        // Share bars of overseas Chinese sites: the platforms, and the English labels.
        "facebook",
        "twitter",
        "whatsapp",
        "telegram",
        "line",
        "linkedin",
        "email",
        "e-mail",
        "电邮",
        "脸书",
        "推特",
        "微信好友",
        "share",
        "print",
        "tweet",
        "on",
        "to",
    ]
    .into_iter()
    .map(fold)
    .collect()
});

// The patterns below match folded lines (see `classify`), so each word is written once, in
// simplified script, lower case, with ASCII punctuation: `发布时间:` also matches
// `發布時間：`, `app` matches `APP` and `ＡＰＰ`, `(` matches `（`.

/// (pattern, longest line it applies to): patterns that make a whole line chrome.
static CHROME_RES: LazyLock<Vec<(Regex, usize)>> = LazyLock::new(|| {
    let r = |p: &str, max: usize| (Regex::new(p).expect("valid chrome regex"), max);
    vec![
        // App and log-in prompts.
        r(r"(下载|打开|安装|扫码).{0,12}(客户端|app)|(客户端|app)\s*(下载|打开)", 30),
        r(r"^(欢迎)?(关注|扫码关注).{0,20}(app|客户端|公众号|微信|微博|抖音|视频号)", 40),
        r(r"浏览器.{0,10}打开|点击右上角", 30),
        // Disclaimers and reprint notices.
        r(
            r"仅代表.{0,20}(观点|立场)|不代表本(网|站|平台)|转载目的在于|转载请注明|欢迎转载|如(有|涉及|涉)侵权|联系.{0,8}删除|索取稿酬|申请澎湃号|未经本(网|站)",
            200,
        ),
        r(r"投稿(邮箱|信箱|专区|入口)|欢迎来稿", 60),
        // Editor and reviewer credits ("编辑丨罗方荣", "(责任编辑:孙天艺)", "编 辑 | 王 楠").
        r(
            r"^[(【\[]?\s*(责\s*任\s*编\s*辑|责\s*编|本网编辑|网络编辑|值班编辑|编\s*辑|审\s*核|审\s*校|终\s*审|初\s*审|复\s*审|校\s*对|监\s*制|出\s*品|统\s*筹|美\s*编|编\s*审|主\s*编|邮\s*箱)\s*([:丨|│/]|\s)\s*[^。]*$",
            40,
        ),
        // Comment widgets.
        r(r"(共有|已有)\s*\d+\s*(条|人)(评论|留言|参与)|^(留言与评论|网友评论|评论区)", 60),
        // Counters, font-size switches, tags, captcha.
        r(
            r"^(字号|字体|阅读次数|阅读量|浏览次数|浏览量|点击数|点击量|点击率|访问量|关键词|关键字|标签|验证码|分享到|分享至|评论数|【打印】|【关闭】|\[打印\]|\[关闭\])",
            30,
        ),
        r(r"^(上一篇|下一篇|上一条|下一条|上一篇文章|下一篇文章)\s*:", 80),
        r(r"^(扫一扫|扫描二维码)", 24),
        // Site header bits.
        r(r"(主办|协办|承办|主管)\s*$", 60),
        r(r"^今天是\s*:", 30),
        r(r"logo$", 16),
        r(r"^\(?资料图片?\)?$", 10),
        r(r"^图片来源\s*:", 30),
    ]
});

static FOOTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"icp[备证]|[公网]安备|版权所有|copyright|©|\(c\)\s*\d{4}|all rights reserved|信息服务许可证|经营许可证|违法和不良信息举报")
        .expect("valid footer regex")
});

static BREADCRUMB_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(您的位置|您当前的位置|您现在的位置|你的位置|你现在的位置|当前位置|所在位置|您目前的位置)\s*:|首页\s*[>›»/]|[>›»•]\s*正文(\s.{0,10})?$")
        .expect("valid breadcrumb regex")
});

static TRAILER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(相关(文章|阅读|新闻|链接|报道|推荐|资讯|稿件|视频)|推荐(文章|阅读|新闻|资讯)|延伸阅读|(热门|热点|精彩|新闻|今日|编辑)推荐|为(你|您)推荐|猜你喜欢|(热门|热点|最新)(文章|新闻|资讯|消息|视频)|(资讯|新闻|热点|点击|阅读|热门)?排行榜?|日榜|周榜|月榜|版权与?免责声明|版权声明|免责声明|网友评论|发表评论|我要评论|评论列表|(热门|最新)评论|更多(精彩|新闻|资讯)|往期(回顾|推荐)|精彩图片|大家都在看|看了又看|(你|您)可能感兴趣(的)?(文章|新闻)?|(相关)?热词搜索)$")
        .expect("valid trailer regex")
});

static SOURCE_URL_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(本文网址|原文链接|原文地址|本文链接|文章链接|网页链接|本文地址)\s*:\s*(https?://\S+)").expect("valid url regex"));

/// An editor's credit followed by the day the page went out.
static DATED_CREDIT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[(【\[]?\s*(责任编辑|责编|编辑|审核|审校|终审)\s*[:丨|]\s*[^\s:。,]{1,12}\s+\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*[)】\]]?$")
        .expect("valid credit regex")
});

/// What a line is. The patterns look at its fold (one spelling per word, whatever script,
/// width or case the page used); a captured address is cut from the line as written.
fn classify(raw: &str) -> Kind {
    let line = strip_bullets(raw);
    let folded = Folded::new(line);
    let f = folded.text();
    let n = line.chars().count();
    // Punctuation-only lines ("•", "|", "******") and bare counters ("0", "+1") carry no
    // text; four-digit numbers stay, they are often a year split from its date.
    if !f.chars().any(char::is_alphanumeric) || (n <= 3 && f.chars().all(|c| c.is_ascii_digit() || c == '+')) {
        return Kind::Chrome;
    }
    if let Some(url) = SOURCE_URL_RE.captures(f).and_then(|c| c.get(2)) {
        return Kind::SourceUrl(line[folded.original_range(url.range())].to_string());
    }
    // "责任编辑：张明 2024年10月15日" closing a page dates it: `extract` reads it.
    if n <= 40 && DATED_CREDIT_RE.is_match(f) {
        return Kind::Body;
    }
    let heading = f.trim_end_matches(|c: char| matches!(c, ':' | '>' | '»' | '›') || c.is_whitespace());
    let heading = heading.strip_suffix("更多").unwrap_or(heading).trim_end();
    if TRAILER_RE.is_match(heading) {
        return Kind::Trailer;
    }
    if n <= 100 && BREADCRUMB_RE.is_match(f) {
        return Kind::Breadcrumb;
    }
    if n <= 120 && !f.ends_with('。') && FOOTER_RE.is_match(f) {
        return Kind::Footer;
    }
    if is_link_bar(f) {
        return Kind::Footer;
    }
    if is_token_chrome(f) {
        return Kind::Chrome;
    }
    for (re, max) in CHROME_RES.iter() {
        if n <= *max && re.is_match(f) {
            return Kind::Chrome;
        }
    }
    Kind::Body
}

/// A (folded) line made only of widget labels ("分享 收藏 举报", "评论 0", "a- a+",
/// "【字体：大 中 小】 【打印】", "分享到: facebook whatsapp").
fn is_token_chrome(line: &str) -> bool {
    let mut words = 0;
    let separator = |c: char| c.is_whitespace() || matches!(c, '|' | '•' | '·' | '/' | '丨' | ':' | ',' | '、' | '【' | '】' | '[' | ']' | '(' | ')');
    for tok in line.split(separator) {
        if tok.is_empty() {
            continue;
        }
        if CHROME_TOKENS.contains(tok) {
            words += 1;
        } else if !tok.chars().all(|c| c.is_ascii_digit() || c == '+') {
            return false;
        }
    }
    words > 0
}

/// "本网概况 | 通知公告 | 投稿专区 | 联系我们": a (folded) bar of short links.
fn is_link_bar(line: &str) -> bool {
    let segments: Vec<&str> = line.split('|').map(str::trim).filter(|s| !s.is_empty()).collect();
    segments.len() >= 4 && !line.contains('。') && segments.iter().all(|s| s.chars().count() <= 10)
}

static DATELINE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(发布时间|发布日期|发表时间|更新时间|时间|日期|来源|作者|稿源|发布|编辑|文章来源|信息来源)\s*:|(来源|作者)\s*:|^\d{4}\s*[-/.年]\s*\d{1,2}|^\d{1,2}[-/.]\d{1,2}([-/.]\d{2,4})?(\s|$)|^\d{1,2}:\d{2}|^[\d\s:\-/.年月日]+$")
        .expect("valid dateline regex")
});

/// A newspaper's page header: its name, the section, the date and the weekday
/// ("濠江时报 内地新闻 2024年5月17日 星期五"). Dated like a dateline, short, no sentence.
static MASTHEAD_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})\s*(\(|,)?\s*(星期|礼拜)[一二三四五六日天]")
        .expect("valid masthead regex")
});

/// Dateline, source or byline line, or a newspaper's page header: metadata for
/// `extract`, never a headline.
pub(crate) fn is_dateline(line: &str) -> bool {
    let f = fold(strip_bullets(line));
    DATELINE_RE.is_match(&f) || (f.chars().count() <= 40 && !f.contains('。') && MASTHEAD_RE.is_match(&f))
}

static NOT_TITLE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\([一二三四五六七八九十\d]+\)|[一二三四五六七八九十]+[、.]|\d+[、.]\D|第[一二三四五六七八九十\d]+[,、.])|^(图为|图片|\(图|记者|文\s*/)|(摄|供图)\s*$|通讯员|本报讯|电\s*\(记者")
        .expect("valid not-title regex")
});

/// The index of the line that reads as the headline: near the top (before the second
/// full paragraph), short, not a sentence, not a dateline, caption, byline or section
/// number.
pub(crate) fn pick_title(lines: &[String]) -> Option<usize> {
    let mut paragraphs = 0;
    for (i, line) in lines.iter().enumerate().take(12) {
        if looks_like_title(line) {
            return Some(i);
        }
        if sentence_mass(line) > 0 {
            paragraphs += 1;
            if paragraphs >= 2 {
                break;
            }
        }
    }
    None
}

fn looks_like_title(line: &str) -> bool {
    let t = clean_title(line);
    let n = t.chars().count();
    let cjk = t.chars().filter(|c| is_cjk(*c)).count();
    (6..=MAX_TITLE_CHARS).contains(&n)
        && cjk >= 4
        && !t.ends_with(['。', '；', '，', ',', ';', ':', '：', '、'])
        && (!t.starts_with(['(', '（']) || !t.ends_with([')', '）']))
        && !is_dateline(&t)
        && !NOT_TITLE_RE.is_match(&fold(&t))
        && !is_page_header(&t)
}

/// A WeChat account's byline ("原创 某某公安 某某公安 发表于云南"), a site's greeting and
/// link bar ("今天是：… | 设为首页"), a newspaper page's header with its page number
/// ("某某日报 2024-08-15 A08 要闻", "某某晚报 2024年05月21日 A05版：都市新闻"): the page's
/// frame, never the headline.
static PAGE_HEADER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^原创\s|发表于\s*\S{1,6}$|今天是|今日是|设为首页|加入收藏|欢迎访问|欢迎光临",
        r"|\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}.{0,16}?(?:^|[^a-z0-9])(?:[a-h]\d{1,2}|第?\s*[\d一二三四五六七八九十]{1,3}\s*版)(?:版|[^a-z0-9]|$)",
        r"|(?:^|[^a-z0-9])(?:[a-h]\d{1,2}|第?\s*[\d一二三四五六七八九十]{1,3}\s*版)(?:版|[^a-z0-9]).{0,16}?\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}",
    ))
    .expect("valid page-header regex")
});

fn is_page_header(line: &str) -> bool {
    let f = fold(line);
    f.chars().count() <= 48 && !f.contains('。') && PAGE_HEADER_RE.is_match(&f)
}

/// A headline without the decoration scrapers leave around it ("标题 |", "标题******").
pub(crate) fn clean_title(line: &str) -> String {
    let t = strip_bullets(line);
    let t = t.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '|' | '｜' | '_' | '-' | '–' | '—' | '=' | '~' | '#'));
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::tidy::tidy_lines;

    fn run(text: &str) -> CleanText {
        clean(tidy_lines(text))
    }

    /// (name, page, expected title, body lines that must survive, chrome that must go)
    type Case = (&'static str, &'static str, &'static str, &'static [&'static str], &'static [&'static str]);

    const CASES: &[Case] = &[
        (
            "thepaper.cn page with log-in header and licence footer",
            "澎湃Logo\n下载客户端\n\n登录\n\n  • +1\n\n【百日行动】锡林郭勒盟公安局召开夏季治安打击整治“百日行动”工作新闻发布会\n\n2022-07-08 17:25\n来源:澎湃新闻·澎湃号·政务\n字号\n\n7月8日上午,锡林郭勒盟公安局召开新闻发布会,通报全盟公安机关夏季治安打击整治“百日行动”工作相关情况,并回答记者提问。\n\n着力防范化解政治风险、社会矛盾、个人极端风险、信访突出问题和公共安全风险,强化应急管控工作,确保国家政治安全和社会大局稳定。\n\n出 品 | 锡林郭勒盟公安局政治部新闻宣传科\n\n邮 箱 | pinganximeng@163.com\n\n编 辑 | 王 楠\n\n审 核 | 阿 梅\n\n原标题:《【百日行动】锡林郭勒盟公安局召开夏季治安打击整治“百日行动”工作新闻发布会》\n\n阅读原文\n\n    本文为澎湃号作者或机构在澎湃新闻上传并发布,仅代表该作者或机构观点,不代表澎湃新闻的观点或立场,澎湃新闻仅提供信息发布平台。申请澎湃号请用电脑访问http://renzheng.thepaper.cn。\n\n    +1\n    收藏\n    我要举报\n\n            扫码下载澎湃新闻客户端\n\n            沪ICP备14003370号\n\n            沪公网安备31010602000299号\n\n            互联网新闻信息服务许可证:31120170006\n\n            © 2014-2024 上海东方报业有限公司\n\n            反馈\n",
            "【百日行动】锡林郭勒盟公安局召开夏季治安打击整治“百日行动”工作新闻发布会",
            &["2022-07-08 17:25", "来源:澎湃新闻·澎湃号·政务", "7月8日上午,锡林郭勒盟公安局召开新闻发布会", "确保国家政治安全和社会大局稳定。", "原标题:《【百日行动】"],
            &["澎湃Logo", "下载客户端", "登录", "+1", "字号", "编 辑", "审 核", "阅读原文", "本文为澎湃号", "收藏", "我要举报", "沪ICP备", "公网安备", "许可证", "©", "反馈"],
        ),
        (
            "comment widget and related-articles trailer",
            "广西公安机关夏季治安打击整治“百日行动”新闻发布会召开\n\n9月28日,自治区公安厅召开新闻发布会,通报广西公安机关夏季治安打击整治“百日行动”主要举措和总体战果成效,发布典型案例并答记者问。\n\n“百日行动”以来,全区共有5名民警辅警牺牲、38名民警辅警因公负伤。\n\n编辑丨罗方荣\n\n审核丨苏波 韦凤冰\n\n终审丨范武华\n\n欢迎来稿,投稿邮箱:bgjswxh@163.com\n\n发表评论\n留言与评论(共有 0 条评论) “”\n   \n验证码:\n\n相关文章\n\n推荐文章\n",
            "广西公安机关夏季治安打击整治“百日行动”新闻发布会召开",
            &["9月28日,自治区公安厅召开新闻发布会", "全区共有5名民警辅警牺牲、38名民警辅警因公负伤。"],
            &["编辑丨", "审核丨", "终审丨", "投稿邮箱", "发表评论", "留言与评论", "验证码", "相关文章", "推荐文章"],
        ),
        (
            "xinhuanet dateline kept, ranking trailer cut",
            "把平安答卷写在群众心中——全国公安机关深入推进夏季治安打击整治“百日行动”\n来源:新华网  作者:熊丰、翟翔  2022-09-27 09:18:22\n\n新华社北京9月26日电 题:把平安答卷写在群众心中\n\n新华社记者熊丰、翟翔\n\n准确把握夏季治安特点,积极回应人民群众呼声关切,公安部部署全国公安机关自6月25日至9月底,深入开展夏季治安打击整治“百日行动”。\n\n重拳打击突出违法犯罪\n\n“百日行动”不止百日,用心守护未有穷期。在夏季治安打击整治“百日行动”这场大战大考中,平安答卷写在了百姓心中。\n\n相关阅读\n推荐文章\n资讯排行榜\n  • 日榜\n  • |\n  • 周榜\n  • |\n  • 月榜",
            "把平安答卷写在群众心中——全国公安机关深入推进夏季治安打击整治“百日行动”",
            &["来源:新华网 作者:熊丰、翟翔 2022-09-27 09:18:22", "新华社记者熊丰、翟翔", "重拳打击突出违法犯罪", "平安答卷写在了百姓心中。"],
            &["相关阅读", "推荐文章", "资讯排行榜", "日榜", "周榜", "月榜"],
        ),
        (
            "government site: bullet metadata, font widget, QR prompt",
            "市公安局:召开新闻发布会通报防范打击电信网络诈骗犯罪工作情况\n\n  • 时间:2018-12-25 10:37:50\n  • 来源:市公安局\n  • 阅读次数:\n  • 字体:[ ]\n\n12月20日上午,市政府在连云港发布演播室召开新闻发布会,连云港市公安局向社会通报近年来全市防范打击电信网络诈骗犯罪的工作情况。\n\n\n扫一扫打开当前页",
            "市公安局:召开新闻发布会通报防范打击电信网络诈骗犯罪工作情况",
            &["• 时间:2018-12-25 10:37:50", "• 来源:市公安局", "连云港市公安局向社会通报"],
            &["阅读次数", "字体", "扫一扫"],
        ),
        (
            "breadcrumb ends the site header; copyright trailer cut",
            "天津在线\n\n分享按钮\n\n首页> 资讯中心> 警法> 正文\n\n天津破获命案积案29起 抓获命案在逃嫌疑人31名\n\n“云剑-2020”命案积案攻坚行动开展以来,本市公安机关充分运用科技信息化手段,调集重兵强力攻坚,相继破获命案积案29起,抓获命案在逃犯罪嫌疑人31名,有效提升了群众安全感。\n\n近年来,天津公安机关坚持命案必破不动摇,连续6年保持现行命案全部破获。目前,命案积案攻坚行动已进入冲刺阶段。(津云新闻编辑孙畅)\n\n版权与免责声明\n\n一、凡注明来源为\"天津在线\"的所有作品文字、图片、音视频、美术设计和程序等作品,版权均属天津在线或相关权利人专属所有或持有所有。\n\n二、未经本网书面授权,不得进行一切形式的下载、转载或建立镜像。否则以侵权论,依法追究相关法律责任。",
            "天津破获命案积案29起 抓获命案在逃嫌疑人31名",
            &["相继破获命案积案29起", "(津云新闻编辑孙畅)"],
            &["天津在线\n", "分享按钮", "首页>", "版权与免责声明", "凡注明来源", "未经本网书面授权"],
        ),
        (
            "site slogan and section nav above a breadcrumb",
            "上海城市精神:海纳百川、追求卓越、开明睿智、大气谦和\n街镇报: 天平家园鹤翔航头朱家角古镇泗泾 今日九星宝山社区璀璨徐家汇定海家园科瑞物业湖南社区\n您现在的位置:首页 > 时政 > 市政厅 > 正文\n\n从“炫技”到“逐利” 黑客入侵已成公民个人信息泄露源头\n\n      昨天是2017国家网络安全宣传周“法治日”。记者从昨天举行的发布会上获悉,今年以来,上海依法严厉打击网络违法犯罪行为,目前已破获相关案件607起。\n\n图片来源:视觉中国\n\n      破获多起黑客入侵案件\n",
            "从“炫技”到“逐利” 黑客入侵已成公民个人信息泄露源头",
            &["昨天是2017国家网络安全宣传周“法治日”。", "破获多起黑客入侵案件"],
            &["上海城市精神", "街镇报", "您现在的位置", "图片来源"],
        ),
        (
            "chinanews widgets between headline and text; reprint notice",
            "云南警方严打跨境赌博犯罪 2020年以来抓获犯罪嫌疑人近4.7万人\n\n2021\n05-07\n\n资讯\n\n媒体\n+\n分享\n评论\n0\nBD01 / 综合整理\nA-\nA+\n\n  中新网昆明5月7日电 (记者 胡远航)7日,云南省启动为期一周的“拒绝跨境赌博”主题宣传周活动。\n\n图为活动现场。 康平 摄\n\n图为活动现场。 康平 摄\n\n凡注明非“健康日报”的作品,均转载自其他媒体,转载目的在于传递更多信息,并不代表本网赞同其观点和对其真实性负责。\n",
            "云南警方严打跨境赌博犯罪 2020年以来抓获犯罪嫌疑人近4.7万人",
            &["2021\n05-07", "中新网昆明5月7日电 (记者 胡远航)7日", "图为活动现场。 康平 摄"],
            &["分享", "评论\n", "A-", "A+", "转载目的在于"],
        ),
        (
            "no headline: body starts with a sentence; credit at the end",
            "10月24日,彭泽县公安局全警动员,缜密侦查,快速破获一起故意伤害案,打掉两个恶势力犯罪团伙,抓获犯罪嫌疑人13人。\n10月19日下午3时左右,县龙城镇好吃街发生一起持刀故意伤人案。接警后,县局民警迅速赶到现场处置,并将一名伤者送往医院抢救。\n目前,犯罪嫌疑人方某、吴某、王某已被刑事拘留。(胡燕)\n来源: 中新网江西新闻 |\n",
            "",
            &["10月24日,彭泽县公安局全警动员", "(胡燕)", "来源: 中新网江西新闻 |"],
            &[],
        ),
        (
            "photo caption before the headline; editor credit in brackets",
            "警方展示缴获的毒品及制毒工具 羊城晚报记者 黄巍俊 摄\n“粤剑扫毒” 今年来缴毒4.1吨\n破获特大跨国走私可卡因专案,缴获可卡因1.3吨,案值十多亿元\n羊城晚报讯 记者张璐瑶,通讯员曾祥龙、王佰川报道:广东省公安厅今早召开新闻发布会透露,今年以来,广东省公安厅组织全省公安机关开展专项行动。\n数据显示,今年第一季度,全省新发现吸毒人员同比下降50.2%。\n(责任编辑:宋雅静)",
            "“粤剑扫毒” 今年来缴毒4.1吨",
            &["破获特大跨国走私可卡因专案", "全省新发现吸毒人员同比下降50.2%。"],
            &["责任编辑"],
        ),
        (
            "sentence mentioning chrome words stays; recommended block at top stays harmless",
            "首页 > 实时讯息 >\n\n福州公安紧急提醒!\n\n2025-07-01 10:41:00\n大家都在看\n\n反复发烧,近期不少孩子中招!官方紧急提醒\n\n今天\n福州公安发布紧急提醒\n夏女士随即按对方要求添加“客服”微信,“客服”要求夏女士提供银行卡号,并下载某APP进行操作,登录后按提示分享屏幕。\n骗子诱导受害人在某直播间购买商超购物卡,完成后提供购物卡卡号和密码,请广大群众提高警惕,谨防上当受骗。\n",
            "福州公安紧急提醒!",
            &["2025-07-01 10:41:00", "并下载某APP进行操作,登录后按提示分享屏幕。", "请广大群众提高警惕"],
            &["大家都在看", "首页 >"],
        ),
        (
            "duplicated paragraph kept once; source url captured",
            "当前位置: > 中评电讯 > 云南整治跨境赌博犯罪:抓获1.1万人\n\n热点搜索\n\n云南整治跨境赌博犯罪:抓获1.1万人\n\n  中评社北京10月14日电/东方网报道,云南省公安厅14日发布消息称,截至目前,共破获跨境赌博案件613起。\n  中评社北京10月14日电/东方网报道,云南省公安厅14日发布消息称,截至目前,共破获跨境赌博案件613起。\n\n本文网址:http://www.crntt.cn/122834.html\n\n欢迎转载,转载请注明出处\n",
            "云南整治跨境赌博犯罪:抓获1.1万人",
            &["共破获跨境赌博案件613起。"],
            &["热点搜索", "本文网址", "欢迎转载", "当前位置"],
        ),
    ];

    #[test]
    fn chrome_removed_body_kept() {
        for (name, page, title, keep, gone) in CASES {
            let c = run(page);
            let body = c.body();
            assert_eq!(c.title, *title, "{name}: title");
            for k in *keep {
                assert!(body.contains(k), "{name}: lost {k:?}\n---\n{body}");
            }
            for g in *gone {
                assert!(!format!("{body}\n").contains(g), "{name}: kept chrome {g:?}\n---\n{body}");
            }
            if !title.is_empty() {
                assert!(!c.lines.iter().any(|l| l == title), "{name}: headline repeated in body");
            }
        }
    }

    #[test]
    fn duplicates_and_url() {
        let c = run(CASES[10].1);
        assert_eq!(c.body().matches("共破获跨境赌博案件613起").count(), 1);
        assert_eq!(c.url.as_deref(), Some("http://www.crntt.cn/122834.html"));
    }

    #[test]
    fn trailer_near_top_does_not_eat_the_article() {
        let page = "相关链接\n公安部部署开展夏季治安打击整治行动\n6月25日,公安部召开全国公安机关视频会议,部署开展夏季治安打击整治“百日行动”,要求各地公安机关从严从实从细做好维护安全稳定各项工作。\n会议强调,全省公安机关要聚焦重点关键,切实提升打击质效,紧盯为非作恶、欺压群众的涉黑涉恶犯罪。\n";
        let c = run(page);
        assert!(c.body().contains("会议强调"), "{:?}", c);
        assert_eq!(c.title, "公安部部署开展夏季治安打击整治行动");
    }

    /// Chrome is recognised on the folded line: traditional script, full-width forms and
    /// capitals need no spelling of their own in the patterns.
    #[test]
    fn chrome_in_any_script_width_or_case() {
        let cases: &[(&str, Kind)] = &[
            ("登錄", Kind::Chrome),
            ("分享 收藏 舉報", Kind::Chrome),
            ("下載ＡＰＰ", Kind::Chrome),
            ("QQ空間 微信", Kind::Chrome),
            ("Ａ－ Ａ＋", Kind::Chrome),
            ("責任編輯：孫天藝", Kind::Chrome),
            ("（責任編輯：孫天藝）", Kind::Chrome),
            ("轉載請註明出處", Kind::Chrome),
            ("如有侵權，請聯繫刪除", Kind::Chrome),
            ("掃碼下載客戶端", Kind::Chrome),
            ("歡迎關注公眾號", Kind::Chrome),
            ("本文僅代表作者觀點", Kind::Chrome),
            ("共有３條評論", Kind::Chrome),
            ("閱讀次數：１２３", Kind::Chrome),
            ("（資料圖片）", Kind::Chrome),
            ("ＬＯＧＯ", Kind::Chrome),
            ("１２", Kind::Chrome),
            ("相關閱讀", Kind::Trailer),
            ("版權與免責聲明", Kind::Trailer),
            ("熱門評論：", Kind::Trailer),
            ("當前位置：首頁 ＞ 新聞", Kind::Breadcrumb),
            ("滬ICP備14003370號", Kind::Footer),
            ("Copyright © 2024 example.cn All Rights Reserved", Kind::Footer),
            ("網站首頁｜通知公告｜投稿專區｜聯繫我們", Kind::Footer),
            ("本文網址：HTTP://www.Example.cn/News/A.html", Kind::SourceUrl("HTTP://www.Example.cn/News/A.html".into())),
            ("嫌疑人以「代為登錄」為名騙取驗證碼，隨後轉走受害人賬戶資金。", Kind::Body),
        ];
        for (line, kind) in cases {
            assert_eq!(classify(line), *kind, "{line}");
        }
        for line in ["發布時間：２０２２－０８－２８", "來源：新華網", "１０：３０"] {
            assert!(is_dateline(line), "{line}");
        }
        for line in ["圖為活動現場", "（三）加強源頭治理", "本報訊 記者李明", "新華社北京電（記者熊豐）"] {
            assert!(!looks_like_title(line), "{line}");
        }
    }

    /// Print, font-size and share widgets in the forms Hong Kong, Macao, Taiwanese and
    /// overseas Chinese sites print them; a sentence naming the same platforms stays.
    #[test]
    fn print_font_and_share_bars_are_chrome() {
        let cases: &[(&str, Kind)] = &[
            ("【字体：大 中 小】 【打印】", Kind::Chrome),
            ("【字體：大 中 小】【列印】【關閉】", Kind::Chrome),
            ("[字号:大 中 小] [打印本页] [关闭窗口]", Kind::Chrome),
            ("字級：放大 縮小 友善列印", Kind::Chrome),
            ("分享到：Facebook Twitter WhatsApp 微信 微博", Kind::Chrome),
            ("分享至 Facebook | WhatsApp | Telegram | LINE | 電郵", Kind::Chrome),
            ("Share on Facebook / Share on WhatsApp", Kind::Chrome),
            ("分享：微信好友、朋友圈、QQ空間、脸书", Kind::Chrome),
            ("Facebook WhatsApp Email 列印", Kind::Chrome),
            ("詐騙集團透過WhatsApp及Facebook群組招攬投資，警方提醒市民切勿輕信。", Kind::Body),
            ("【百日行动】锡林郭勒盟公安局召开新闻发布会", Kind::Body),
        ];
        for (line, kind) in cases {
            assert_eq!(classify(line), *kind, "{line}");
        }
    }

    /// A newspaper's page header (name, section, date, weekday) is never the headline; it
    /// stays in the body as a dateline, and the real headline below it is found.
    #[test]
    fn a_masthead_is_a_dateline_not_the_headline() {
        for line in [
            "濠江時報　內地新聞　2024年5月17日　星期五",
            "南方日报 A05 2023年3月2日 星期四",
            "某某晚报 社会新闻 2022-07-14（星期四）",
            "2021年11月3日 礼拜三 本地新闻",
        ] {
            assert!(is_dateline(line), "{line}");
            assert!(!looks_like_title(line), "{line}");
        }
        for line in ["珠海警方搗毀跨境賭博地下錢莊團夥　涉案流水逾十二億元", "星期五晚上的一次夜查"] {
            assert!(!is_dateline(line), "{line}");
        }
        let page = "濠江時報　內地新聞　2024年5月17日　星期五\n\n珠海警方搗毀跨境賭博地下錢莊團夥　涉案流水逾十二億元\n\n【本報訊】據珠海市公安局5月16日通報，珠海警方近日成功偵破一宗特大跨境賭博及非法經營地下錢莊案，抓獲犯罪嫌疑人46名。\n\n【字體：大 中 小】 【列印】\n分享到：Facebook WhatsApp\n";
        let c = run(page);
        assert_eq!(c.title, "珠海警方搗毀跨境賭博地下錢莊團夥 涉案流水逾十二億元");
        assert!(c.lines.iter().any(|l| l.contains("2024年5月17日")), "{:?}", c.lines);
        assert!(!c.body().contains("列印") && !c.body().contains("WhatsApp"), "{}", c.body());
    }

    #[test]
    fn whole_line_rule() {
        let cases: &[(&str, bool)] = &[
            ("登录", true),
            ("分享 收藏 举报", true),
            ("评论 0", true),
            ("+1", true),
            ("•", true),
            ("编辑:乌", true),
            ("编辑 李佳芳", true),
            ("责任编辑:【卢岩】", true),
            ("沪ICP备14003370号", false), // footer kind, removed by the trailer rule
            ("嫌疑人以“代为登录”为名骗取验证码,随后转走受害人账户资金。", false),
            ("审核通过后方可办理。", false),
            ("2021", false),
            ("重点车辆。", false),
            ("0", true),
            ("2021", false),
            ("文 / 李程 实习生 李昕彤", false),
            // A credit that also dates the page stays for `extract`.
            ("责任编辑：刘洋 2023年6月2日", false),
            ("（编辑：周敏 2022-11-30）", false),
            ("编辑：周敏 审核：王力", true),
        ];
        for (line, chrome) in cases {
            assert_eq!(classify(line) == Kind::Chrome, *chrome, "{line}");
        }
    }

    /// A WeChat byline, a site's greeting bar and a newspaper page's header (date and page
    /// number) frame the page: the headline is the line below them.
    #[test]
    fn page_frames_are_not_headlines() {
        // (frame, whether it stays for `extract` to weigh: a dated frame does, undated
        // header litter and the greeting bar, which is chrome, do not)
        for (frame, stays) in [
            ("原创 平安某州 平安某州 发表于广西", false),
            ("原创 某县公安 2023-04-18 20:15 发表于湖北", true),
            ("今天是：2023年4月18日 | 设为首页 | 加入收藏", false),
            ("欢迎访问某市公安局政务网站", false),
            ("某城晚报 2023-04-18 A06 社会新闻", true),
            ("某城日报 2023年04月18日 第5版：要闻", true),
            ("B03版 法治 某城商报 2023年4月18日", true),
        ] {
            let page = format!(
                "{frame}\n某市警方破获特大跨境网络赌博案 涉案资金逾5亿元\n4月17日，某市公安局通报，该局近日破获一起跨境网络赌博案，抓获犯罪嫌疑人23名。"
            );
            let c = run(&page);
            assert_eq!(c.title, "某市警方破获特大跨境网络赌博案 涉案资金逾5亿元", "{frame}");
            assert_eq!(c.lines.iter().any(|l| l == frame), stays, "{frame}: {:?}", c.lines);
        }
        // Headlines with a date, a number or a greeting in them stay headlines.
        for title in ["某市2023年1月至3月破获电诈案件120起 B1级预警劝阻全覆盖", "“5·15”宣传日：某市经侦支队走进社区", "原创动漫作品遭盗版 某市警方打掉侵权团伙"]
        {
            assert!(looks_like_title(title), "{title}");
        }
    }
}

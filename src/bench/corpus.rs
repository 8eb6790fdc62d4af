//! A deterministic generator of realistic bulletin files for benchmarks.
//!
//! Latency and index size depend on how words are spread over documents, so the corpus has
//! to behave like real text: a few words in every bulletin, most words rare, and a
//! vocabulary that keeps growing with the number of bulletins. Reshuffling a handful of
//! seed paragraphs would instead put every word in 10–99 % of documents. Here each
//! sentence is either a real sentence (from a sample folder, or a short built-in list) or
//! words drawn by frequency from jieba's 349k-word dictionary (whose frequencies follow
//! Zipf's law), salted with invented names, places and case figures, so new words keep
//! appearing. Bulletins come as HTML pages with site chrome, front-matter Markdown and
//! plain text, some of them in GBK, with provinces, cities, dates (2016–2025) and crime
//! categories varied.
//!
//! Files are written one at a time; the corpus is never held in memory. The same seed and
//! count always give the same bytes.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analysis::dictionary::table;

/// A small, fast, seedable generator (SplitMix64); benchmarks need repeatability, not
/// cryptographic quality.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// jieba's dictionary as a frequency distribution to draw words from.
pub(crate) struct Vocabulary {
    words: Vec<&'static str>,
    /// Cumulative frequencies, for sampling by binary search.
    cumulative: Vec<u64>,
}

impl Vocabulary {
    /// All words of the embedded table with their frequencies.
    pub fn jieba() -> Vocabulary {
        let mut words = Vec::with_capacity(table::WORDS);
        let mut cumulative = Vec::with_capacity(table::WORDS);
        let mut sum = 0u64;
        for (word, freq, _) in table::entries() {
            // Latin and digit entries (4S店, 1号店 …) would make the text look like a
            // product catalogue; keep Chinese words.
            if freq == 0 || !word.chars().all(crate::chars::is_cjk) {
                continue;
            }
            sum += freq as u64;
            words.push(word);
            cumulative.push(sum);
        }
        Vocabulary { words, cumulative }
    }

    /// One word, drawn with probability proportional to its frequency.
    pub fn sample(&self, rng: &mut Rng) -> &'static str {
        let total = self.cumulative.last().copied().unwrap_or(1);
        let x = rng.next_u64() % total;
        let i = self.cumulative.partition_point(|&c| c <= x);
        self.words[i.min(self.words.len() - 1)]
    }

    /// A word for a query: at least two characters and not among the most common
    /// (which match nearly everything and say little about a search engine's speed).
    pub(crate) fn sample_query_word(&self, rng: &mut Rng) -> &'static str {
        loop {
            let w = self.sample(rng);
            if w.chars().count() >= 2 && !COMMON.contains(&w) {
                return w;
            }
        }
    }
}

/// Very frequent words left out of generated queries.
const COMMON: &[&str] = &["我们", "他们", "一个", "没有", "这个", "自己", "什么", "可以", "就是", "不是", "已经", "这样", "因为", "如果", "所以", "但是"];

/// Real sentences used when no sample folder is given or it has too few.
const BUILTIN_SENTENCES: &[&str] = &[
    "今年以来，全市公安机关持续深入推进夏季治安打击整治行动",
    "警方提醒广大群众，凡是要求下载陌生软件进行转账的都是诈骗",
    "经审讯，犯罪嫌疑人对其违法犯罪事实供认不讳",
    "目前，犯罪嫌疑人已被依法采取刑事强制措施，案件正在进一步侦办中",
    "公安机关将始终保持对电信网络诈骗犯罪的严打高压态势",
    "接到报警后，民警迅速赶赴现场开展调查",
    "专案组民警经过连续奋战，成功打掉一个诈骗犯罪团伙",
    "如遇可疑情况，请第一时间拨打110报警",
    "共破获各类刑事案件一千二百余起，抓获犯罪嫌疑人八百余名",
    "老年人要提高防范意识，警惕以养老服务为名的非法集资",
    "此次行动共捣毁窝点十五个，查扣涉案车辆二十三辆",
    "下一步，公安机关将继续深化打击整治，切实维护人民群众财产安全",
];

/// Provinces with a few prefecture-level cities each.
const REGIONS: &[(&str, &[&str])] = &[
    ("广东省", &["广州市", "深圳市", "佛山市", "清远市", "珠海市", "东莞市"]),
    ("广西壮族自治区", &["南宁市", "柳州市", "桂林市", "梧州市", "北海市", "崇左市"]),
    ("浙江省", &["杭州市", "宁波市", "温州市", "金华市"]),
    ("江苏省", &["南京市", "苏州市", "无锡市", "徐州市"]),
    ("福建省", &["福州市", "厦门市", "泉州市", "漳州市"]),
    ("四川省", &["成都市", "绵阳市", "凉山彝族自治州", "南充市"]),
    ("河南省", &["郑州市", "洛阳市", "南阳市", "开封市"]),
    ("湖南省", &["长沙市", "邵阳市", "岳阳市", "衡阳市"]),
    ("山东省", &["济南市", "青岛市", "临沂市", "烟台市"]),
    ("云南省", &["昆明市", "德宏傣族景颇族自治州", "大理白族自治州"]),
    ("辽宁省", &["沈阳市", "大连市", "鞍山市"]),
    ("内蒙古自治区", &["呼和浩特市", "包头市", "锡林郭勒盟", "兴安盟"]),
    ("北京市", &[]),
    ("上海市", &[]),
    ("重庆市", &[]),
    ("新疆维吾尔自治区", &["乌鲁木齐市", "昌吉回族自治州"]),
];

/// Crime categories with words a bulletin about them uses.
const CATEGORIES: &[(&str, &[&str])] = &[
    ("诈骗/电信网络诈骗", &["电信网络诈骗", "刷单返利", "冒充客服", "反诈", "止付冻结", "涉案资金"]),
    ("诈骗/养老诈骗", &["养老诈骗", "保健品", "老年人", "追赃挽损", "以房养老"]),
    ("毒品", &["毒品", "冰毒", "贩毒", "吸毒人员", "禁毒", "海洛因"]),
    ("盗窃", &["盗窃", "电动车", "入室盗窃", "扒窃", "销赃"]),
    ("赌博", &["跨境赌博", "网络赌博", "赌资", "开设赌场"]),
    ("扫黑除恶", &["扫黑除恶", "黑恶势力", "涉黑", "保护伞"]),
    ("交通安全", &["酒驾", "醉驾", "交通事故", "超载"]),
    ("非法集资", &["非法集资", "非法吸收公众存款", "理财", "高额回报"]),
];

const SURNAMES: &[char] = &[
    '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高', '梁', '郑', '谢', '宋', '唐', '许',
    '韩', '冯', '邓', '曹',
];
/// Characters common in given names and place names.
const NAME_CHARS: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉鹏宇浩俊峰兰凤云红玉梅林海波斌志宏玲振东晓春燕飞鑫博凯欣婷瑞坤永庆德龙安新河山湖桥溪岭塘坪湾沟源泉";

/// What a generated corpus holds; written beside it so `--keep` can reuse it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub docs: usize,
    pub seed: u64,
    /// Bytes of all files written.
    pub bytes: u64,
    pub generator: u32,
    /// Folder the real sentences came from (none: the built-in list); queries reuse it.
    #[serde(default)]
    pub samples: Option<PathBuf>,
}

/// Version of the generator; a corpus from another version is regenerated.
pub(crate) const GENERATOR_VERSION: u32 = 1;
/// Name of the manifest file in the corpus folder.
pub(crate) const MANIFEST: &str = "BENCH-CORPUS.json";
/// Bulletins per sub-folder, so no folder gets huge.
const PER_FOLDER: usize = 1000;

/// Builds bulletins one by one.
pub(crate) struct Generator {
    rng: Rng,
    vocab: Vocabulary,
    real: Vec<String>,
}

/// One generated bulletin before it is written in some format.
#[derive(Debug, Clone)]
pub struct Generated {
    pub title: String,
    pub paragraphs: Vec<String>,
    pub date: (i32, u32, u32),
    pub province: &'static str,
    pub city: Option<&'static str>,
    pub categories: Vec<&'static str>,
}

impl Generator {
    /// A generator over jieba's vocabulary and real sentences from `samples` (files of
    /// bulletins, any supported encoding) or the built-in ones.
    pub fn new(seed: u64, samples: Option<&Path>) -> Generator {
        let mut real: Vec<String> = samples.map(read_sentences).unwrap_or_default();
        if real.len() < 50 {
            real.extend(BUILTIN_SENTENCES.iter().map(|s| s.to_string()));
        }
        Generator { rng: Rng::new(seed), vocab: Vocabulary::jieba(), real }
    }

    pub(crate) fn vocabulary(&self) -> &Vocabulary {
        &self.vocab
    }

    /// Real sentences in use.
    pub(crate) fn real_sentences(&self) -> &[String] {
        &self.real
    }

    fn name(&mut self) -> String {
        let mut s = String::new();
        s.push(*self.rng.pick(SURNAMES));
        let chars: Vec<char> = NAME_CHARS.chars().collect();
        for _ in 0..1 + self.rng.below(2) {
            s.push(*self.rng.pick(&chars));
        }
        s
    }

    fn place(&mut self) -> String {
        let chars: Vec<char> = NAME_CHARS.chars().collect();
        let mut s: String = (0..2).map(|_| *self.rng.pick(&chars)).collect();
        s.push_str(self.rng.pick::<&str>(&["镇", "村", "路", "街道", "小区", "派出所"]));
        s
    }

    /// A sentence of dictionary words drawn by frequency, with the odd invented name,
    /// place, figure or category word.
    fn synthetic_sentence(&mut self, keywords: &[&'static str]) -> String {
        let n = 6 + self.rng.below(16);
        let mut s = String::new();
        for i in 0..n {
            if i > 0 && i % (5 + self.rng.below(4)) == 0 {
                s.push('，');
            }
            let r = self.rng.below(100);
            match r {
                0..=2 => s.push_str(&self.name()),
                3..=4 => s.push_str(&self.place()),
                5..=6 => s.push_str(&format!("{}", self.rng.below(100_000))),
                7..=9 if !keywords.is_empty() => s.push_str(self.rng.pick::<&str>(keywords)),
                _ => s.push_str(self.vocab.sample(&mut self.rng)),
            }
        }
        s
    }

    fn sentence(&mut self, keywords: &[&'static str]) -> String {
        if self.rng.chance(0.3) {
            self.rng.pick(&self.real).clone()
        } else {
            self.synthetic_sentence(keywords)
        }
    }

    /// The next bulletin.
    pub(crate) fn next_bulletin(&mut self) -> Generated {
        let (province, cities) = *self.rng.pick(REGIONS);
        let city = if cities.is_empty() || self.rng.chance(0.2) { None } else { Some(*self.rng.pick(cities)) };
        let date = (2016 + self.rng.below(10) as i32, 1 + self.rng.below(12) as u32, 1 + self.rng.below(28) as u32);
        let mut categories = vec![self.rng.below(CATEGORIES.len())];
        if self.rng.chance(0.3) {
            categories.push(self.rng.below(CATEGORIES.len()));
        }
        categories.dedup();
        let keywords: Vec<&'static str> = categories.iter().flat_map(|&c| CATEGORIES[c].1.iter().copied()).collect();
        let issuer = format!("{}公安局", city.unwrap_or(province));
        let title =
            format!("{issuer}{}{}", self.rng.pick(&keywords), self.rng.pick(&["典型案例通报", "专项行动战果", "警情通报", "新闻发布会", "案件侦破情况"]));
        // Lengths spread like real bulletins: most about a thousand characters, a long tail.
        let target = 300 + (self.rng.below(1000) * self.rng.below(1000)) / 300 + self.rng.below(600);
        let mut paragraphs = vec![format!(
            "{}年{}月{}日，{}{}发布通报。",
            date.0,
            date.1,
            date.2,
            city.map(|c| format!("{province}{c}")).unwrap_or_else(|| province.to_string()),
            "公安局"
        )];
        let mut chars = paragraphs[0].chars().count();
        while chars < target {
            let mut p = String::new();
            for _ in 0..2 + self.rng.below(4) {
                p.push_str(&self.sentence(&keywords));
                p.push('。');
            }
            chars += p.chars().count();
            paragraphs.push(p);
        }
        Generated { title, paragraphs, date, province, city, categories: categories.iter().map(|&c| CATEGORIES[c].0).collect() }
    }
}

/// Sentences of the text files in a folder (HTML skipped: its markup is not prose).
fn read_sentences(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "md")))
        .collect();
    files.sort();
    for f in files {
        let Ok(bytes) = std::fs::read(&f) else { continue };
        let text = match std::str::from_utf8(&bytes) {
            Ok(t) => t.to_string(),
            Err(_) => encoding_rs::GBK.decode(&bytes).0.into_owned(),
        };
        for s in text.split(['。', '！', '？', '\n']) {
            let s = s.trim();
            let cjk = s.chars().filter(|&c| crate::chars::is_cjk(c)).count();
            if cjk >= 8 && s.chars().count() <= 200 && !s.contains(['<', '>', ':', '#', '*', '|']) {
                out.push(s.to_string());
            }
        }
    }
    out
}

/// How a bulletin is written to disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Html,
    HtmlGbk,
    Markdown,
    Text,
    TextGbk,
}

impl FileKind {
    /// Half HTML, a quarter Markdown, a quarter plain text; one file in eight is GBK.
    fn for_index(i: usize) -> FileKind {
        match (i % 8, (i / 8) % 8) {
            (0..=3, 0) => FileKind::HtmlGbk,
            (0..=3, _) => FileKind::Html,
            (4..=5, _) => FileKind::Markdown,
            (_, 0) => FileKind::TextGbk,
            _ => FileKind::Text,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            FileKind::Html | FileKind::HtmlGbk => "html",
            FileKind::Markdown => "md",
            FileKind::Text | FileKind::TextGbk => "txt",
        }
    }
}

/// Render a bulletin in a file format (as UTF-8 text; GBK kinds are encoded on writing).
pub fn render(b: &Generated, kind: FileKind, serial: usize) -> String {
    let date = format!("{:04}-{:02}-{:02}", b.date.0, b.date.1, b.date.2);
    let site = format!("{}公安", b.city.unwrap_or(b.province));
    match kind {
        FileKind::Html | FileKind::HtmlGbk => {
            let charset = if kind == FileKind::HtmlGbk { "gbk" } else { "UTF-8" };
            let mut s = format!(
                "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"{charset}\">\n<title>{title}_{site}</title>\n\
                 <meta name=\"publishdate\" content=\"{date}\">\n<meta name=\"keywords\" content=\"{kw}\">\n\
                 <link rel=\"stylesheet\" href=\"/css/main.css\">\n<style>\n.head{{height:120px}}\n.nav ul{{display:flex;gap:28px}}\n.foot{{font-size:12px;color:#777}}\n</style>\n\
                 <script>window.__PAGE__ = {{\"id\":\"{serial}\",\"t\":\"{date} 10:00:00\"}};</script>\n</head>\n<body>\n\
                 <div class=\"head\"><div class=\"site-name\">{site}</div><div class=\"links\"><a href=\"#\">无障碍</a> <a href=\"#\">关怀版</a> <a href=\"#\">登录</a></div></div>\n\
                 <nav class=\"nav\"><ul><li><a href=\"/\">首页</a></li><li><a href=\"/jwzx/\">警务资讯</a></li><li><a href=\"/tzgg/\">通知公告</a></li><li><a href=\"/bsfw/\">办事服务</a></li><li><a href=\"/hdjl/\">互动交流</a></li></ul></nav>\n\
                 <div class=\"crumb\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/jwzx/\">警务资讯</a> &gt; 正文</div>\n\
                 <div class=\"detail\">\n<h1 class=\"detail-title\">{title}</h1>\n<div class=\"detail-meta\">发布时间：{date}　来源：{site}　浏览次数：{views}</div>\n<div class=\"detail-content\">\n",
                title = b.title,
                kw = b.categories.join(","),
                views = serial % 9973,
            );
            for p in &b.paragraphs {
                s.push_str("<p>");
                s.push_str(p);
                s.push_str("</p>\n");
            }
            s.push_str(
                "</div>\n<div class=\"share\">分享到：<a href=\"#\">微信</a> <a href=\"#\">微博</a></div>\n</div>\n\
                 <div class=\"foot\"><p>主办单位：公安局 版权所有</p><p>网站标识码：0000000000 ICP备00000000号</p><p>建议使用1920×1080分辨率浏览</p></div>\n\
                 <script src=\"/js/stat.js\"></script>\n</body>\n</html>\n",
            );
            s
        }
        FileKind::Markdown => {
            let mut s = format!("---\ntitle: {}\ndate: {date}\nprovince: {}\n", b.title, b.province);
            if let Some(c) = b.city {
                s.push_str(&format!("city: {c}\n"));
            }
            s.push_str("categories:\n");
            for c in &b.categories {
                s.push_str(&format!("  - {c}\n"));
            }
            s.push_str(&format!("source: https://{serial}.gongan.example/\nsynthetic: true\n---\n\n"));
            for p in &b.paragraphs {
                s.push_str(p);
                s.push_str("\n\n");
            }
            s
        }
        FileKind::Text | FileKind::TextGbk => {
            let mut s = format!("{}\n\n发布时间：{date}　来源：{site}\n\n", b.title);
            for p in &b.paragraphs {
                s.push_str("　　");
                s.push_str(p);
                s.push('\n');
            }
            s
        }
    }
}

/// Path of bulletin `i` under `dir`.
pub(crate) fn path_for(dir: &Path, i: usize) -> PathBuf {
    dir.join(format!("{:04}", i / PER_FOLDER)).join(format!("bulletin-{i:07}.{}", FileKind::for_index(i).extension()))
}

/// Write `docs` bulletins under `dir` (which should be empty) and a manifest; returns it.
/// `progress` is called every thousand files with the count so far.
pub fn generate(dir: &Path, docs: usize, seed: u64, samples: Option<&Path>, progress: &dyn Fn(usize)) -> std::io::Result<Manifest> {
    let mut generator = Generator::new(seed, samples);
    let mut bytes = 0u64;
    for i in 0..docs {
        let b = generator.next_bulletin();
        let kind = FileKind::for_index(i);
        let text = render(&b, kind, i);
        let encoded: Vec<u8> = match kind {
            FileKind::HtmlGbk | FileKind::TextGbk => encoding_rs::GBK.encode(&text).0.into_owned(),
            _ => text.into_bytes(),
        };
        let path = path_for(dir, i);
        if i % PER_FOLDER == 0 {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
        }
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
        f.write_all(&encoded)?;
        f.flush()?;
        bytes += encoded.len() as u64;
        if (i + 1) % 1000 == 0 {
            progress(i + 1);
        }
    }
    let samples = samples.map(|p| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()));
    let manifest = Manifest { docs, seed, bytes, generator: GENERATOR_VERSION, samples };
    let json = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    std::fs::write(dir.join(MANIFEST), json)?;
    Ok(manifest)
}

/// The manifest of an existing corpus, if any.
pub(crate) fn read_manifest(dir: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    serde_json::from_str(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn same_seed_same_bulletins() {
        let mut a = Generator::new(7, None);
        let mut b = Generator::new(7, None);
        for i in 0..20 {
            let (x, y) = (a.next_bulletin(), b.next_bulletin());
            assert_eq!(render(&x, FileKind::for_index(i), i), render(&y, FileKind::for_index(i), i));
        }
    }

    /// Words drawn for the text must be spread like real text: a few in most bulletins,
    /// most in very few, and new words still appearing after thousands of bulletins.
    #[test]
    fn vocabulary_is_zipf_like_and_keeps_growing() {
        let mut g = Generator::new(1, None);
        let mut df: HashMap<&'static str, usize> = HashMap::new();
        let mut distinct_at = Vec::new();
        let n = 2000;
        for i in 0..n {
            let mut in_doc: std::collections::HashSet<&'static str> = Default::default();
            for _ in 0..300 {
                in_doc.insert(g.vocab.sample(&mut g.rng));
            }
            for w in in_doc {
                *df.entry(w).or_default() += 1;
            }
            if i == n / 2 - 1 || i == n - 1 {
                distinct_at.push(df.len());
            }
        }
        let in_half = df.values().filter(|&&d| d * 2 > n).count();
        let rare = df.values().filter(|&&d| d * 100 < n).count();
        assert!(in_half < 60, "{in_half} words in over half the bulletins");
        assert!(rare * 10 > df.len() * 8, "only {rare} of {} words are rare", df.len());
        assert!(distinct_at[1] as f64 > distinct_at[0] as f64 * 1.3, "vocabulary stopped growing: {distinct_at:?}");
    }

    #[test]
    fn every_kind_is_written() {
        let kinds: std::collections::HashSet<_> = (0..64).map(|i| format!("{:?}", FileKind::for_index(i))).collect();
        assert_eq!(kinds.len(), 5);
    }
}

//! Tests of the whole reader: files on disk in every format and encoding, refusals, sidecars,
//! walking, and arbitrary bytes.

use super::*;
use encoding_rs::{BIG5, GBK};
use proptest::prelude::*;

/// Seed 000 (front matter + HTML body), shortened.
const FRONT_MATTER_HTML: &str = "\n---\ntitle: '清远公安_大案__小案_一起抓，_百日行动_守护平安夏季'\ncategories: \n - 新媒体\n - ZAKER\n - source\nauthor: ZAKER\ncomments: false\ndate: Tue, 16 Aug 2022 23:09:09 GMT\n---\n\n<div>   \n<p>8 月 15 日，清远市公安举办公安机关夏季治安打击整治 \" 百日行动 \" 新闻发布会，通报清远市公安机关夏季治安打击整治 \" 百日行动 \" 阶段性情况，并回答记者提问。</p><p></p><div class=\"img_box\" id=\"id_imagebox_0\" onclick><div class=\"content_img_div perview_img_div\"><img class=\"lazy opacity_0 \" id=\"img_0\" data-original=\"http://zkres2.myzaker.com/202208/62fc92598e9f0971151bf260_1024.jpg\" referrerpolicy=\"no-referrer\"></div></div>行动开展以来，清远市公安局党委高度重视，针对当前安全稳定形势和夏季社会治安特点，在全市范围内强势推进夏季治安打击整治 \" 百日行动 \"。<p></p><p>文 / 李程 实习生 李昕彤</p><p>图 / 清公宣</p><div id=\"recommend_bottom\"></div><div id=\"article_bottom\"></div>  \n</div>\n            ";

/// Seed 004 opening and closing, shortened.
const PLAIN: &str = "大连市警方召开夏季治安打击整治“百日行动”阶段战果新闻发布会\n(通讯员 张添强) 8月4日,大连市公安局召开新闻发布会,集中通报了夏季治安打击整治“百日行动”以来,大连市警方周密部署、强势推进所取得的阶段性战果。\n一、高站位高规格组织发动,迅速形成打击整治强大态势\n下一步,全市公安机关将紧紧围绕人民群众对社会治安的关切,持续强力推进“百日行动”。\n来源:今日头条、融合资讯\n本网编辑:宋廷义\n责编:孙树君\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write fixture");
    p
}

#[test]
fn reads_each_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let md = "---\ntitle: 兰州交警整治摩托车“炸街”\ndate: 2022-03-12\ntags: [交通]\n---\n# 兰州交警整治摩托车“炸街”\n\n**3月10日晚**，兰州市公安局交警支队城关大队开展[摩托车夜间违法行为](http://x/y)集中整治行动。\n\n![现场](a.jpg)\n";
    let html_in_txt = "<!DOCTYPE html><html><head><title>宁夏电诈案件发案数降至近5年最低值_宁夏新闻网</title><meta name=\"publishdate\" content=\"2023-01-10\"></head><body><div class=\"nav\">首页 | 新闻 | 登录</div><h1>宁夏电诈案件发案数降至近5年最低值</h1><p>中新网银川1月10日电 (记者杨迪)1月10日是第三个中国人民警察节。</p></body></html>";
    // (file name, content, format, title, body must contain, body must not contain)
    let cases: Vec<(&str, &str, Format, &str, &str, &str)> = vec![
        ("000.txt", FRONT_MATTER_HTML, Format::Markdown, "清远公安 大案 小案 一起抓，百日行动 守护平安夏季", "在全市范围内强势推进夏季治安打击整治", "<div"),
        ("004.txt", PLAIN, Format::Text, "大连市警方召开夏季治安打击整治“百日行动”阶段战果新闻发布会", "来源:今日头条、融合资讯", "责编"),
        ("a.md", md, Format::Markdown, "兰州交警整治摩托车“炸街”", "3月10日晚，兰州市公安局交警支队城关大队开展摩托车夜间违法行为集中整治行动。", "**"),
        ("b.txt", html_in_txt, Format::Html, "宁夏电诈案件发案数降至近5年最低值", "1月10日是第三个中国人民警察节。", "登录"),
        ("c.html", "<p>正文只有一句话，没有标题。</p>", Format::Html, "", "正文只有一句话，没有标题。", "<p>"),
    ];
    for (name, content, format, title, keep, gone) in cases {
        let p = write(dir.path(), name, content.as_bytes());
        let doc = read_file(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.format, format, "{name}");
        assert_eq!(doc.title, title, "{name}");
        assert!(doc.body.contains(keep), "{name}: lost {keep:?}\n{}", doc.body);
        assert!(!doc.body.contains(gone), "{name}: kept {gone:?}\n{}", doc.body);
        assert!(!doc.body.contains("\n\n") && !doc.body.starts_with('\n'), "{name}: blank lines");
        assert!(doc.warnings.is_empty(), "{name}: {:?}", doc.warnings);
    }

    let doc = read_file(&dir.path().join("000.txt")).expect("seed");
    assert_eq!(doc.hints.date.as_deref(), Some("Tue, 16 Aug 2022 23:09:09 GMT"));
    assert_eq!(doc.hints.author.as_deref(), Some("ZAKER"));
    assert_eq!(doc.hints.tags, vec!["新媒体", "ZAKER", "source"]);
    assert!(doc.body.contains("文 / 李程 实习生 李昕彤"));
    let doc = read_file(&dir.path().join("b.txt")).expect("html");
    assert_eq!(doc.hints.date.as_deref(), Some("2023-01-10"));
}

#[test]
fn reads_legacy_encodings_from_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (gbk, _, _) = GBK.encode(PLAIN);
    let trad = "周口公安重拳打擊治理養老詐騙違法犯罪\n全國打擊整治養老詐騙專項行動開展以來，周口市公安機關牢固樹立以人民為中心的發展思想，精心組織，全面部署。\n截至目前，周口市共立案偵辦涉及養老詐騙案件24起，破獲重大案件4起，抓獲犯罪嫌疑人67人。\n";
    let (big5, _, _) = BIG5.encode(trad);
    let gbk_html = format!(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><title>通报_公安网</title></head><body><p>{}</p></body></html>",
        PLAIN.replace('\n', "</p><p>")
    );
    let (gbk_html, _, _) = GBK.encode(&gbk_html);
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("gbk.txt", gbk.into_owned(), "GBK", "大连市警方召开夏季治安打击整治“百日行动”阶段战果新闻发布会"),
        ("big5.txt", big5.into_owned(), "Big5", "周口公安重拳打擊治理養老詐騙違法犯罪"),
        ("gbk.html", gbk_html.into_owned(), "GBK", "通报"),
    ];
    for (name, bytes, enc, title) in cases {
        let p = write(dir.path(), name, &bytes);
        let doc = read_file(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.encoding, enc, "{name}");
        assert_eq!(doc.title, title, "{name}");
        assert!(!doc.body.contains('\u{FFFD}'), "{name}");
    }
}

#[test]
fn refusals_have_one_line_reasons() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    png.extend([0u8; 100]);
    let png = write(dir.path(), "photo.txt", &png);
    let empty = write(dir.path(), "empty.txt", b"");
    let blank = write(dir.path(), "blank.txt", " \n\u{3000}\r\n".as_bytes());
    let only_chrome = write(dir.path(), "chrome.html", b"<html><body><nav>home</nav><script>x()</script></body></html>");
    let garbage: Vec<u8> = (0..3000u32).map(|i| ((i * 7919 + 13) % 31) as u8 + 1).collect();
    let garbage = write(dir.path(), "garbage.txt", &garbage);
    let big = write(dir.path(), "big.txt", &vec![b'a'; 3 * 1024 * 1024 + 300_000]);

    let small = ReadOptions { max_bytes: 2 * 1024 * 1024, ..ReadOptions::default() };
    let dflt = ReadOptions::default();
    let cases: Vec<(PathBuf, &ReadOptions, &str)> = vec![
        (png, &dflt, "binary file (PNG image)"),
        (empty, &dflt, "empty file"),
        (blank, &dflt, "empty file"),
        (only_chrome, &dflt, "no bulletin text (only markup or page chrome)"),
        (big, &small, "too large: 3.3 MB is over the 2 MB limit (see --max-file-mb)"),
        (dir.path().to_path_buf(), &dflt, "is a directory"),
        (dir.path().join("missing.txt"), &dflt, "cannot read: No such file or directory (os error 2)"),
    ];
    for (path, opts, want) in cases {
        let err = read_file_with(&path, opts).expect_err(want);
        assert_eq!(err.to_string(), want, "{}", path.display());
    }
    let err = read_file(&garbage).expect_err("garbage").to_string();
    assert!(err.starts_with("undecodable text ("), "{err}");
    assert!(!err.contains('\n'));
}

#[test]
fn each_date_hint_says_where_it_was_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let md = write(dir.path(), "a.md", "---\ndate: 2022-03-12\n---\n3月10日晚，兰州市公安局交警支队开展集中整治行动。\n".as_bytes());
    let html = write(dir.path(), "b.html", "<html><head><meta property=\"article:published_time\" content=\"2023-01-10T09:00:00+08:00\"><link rel=\"canonical\" href=\"https://www.example.cn/2023-01/10/c_1.htm\"></head><body><h1>宁夏公安通报电诈案件</h1><p>1月10日，宁夏公安厅召开新闻发布会，通报全区打击电信网络诈骗工作成效。</p></body></html>".as_bytes());
    // Front matter that names no date leaves it to the HTML body's `<meta>`.
    let md_html = write(dir.path(), "c.md", "---\ntitle: 通报\n---\n<html><head><meta name=\"pubdate\" content=\"2021-06-01\"></head><body><p>6月1日，县公安局开展防范非法集资宣传活动，向群众发放宣传资料。</p></body></html>\n".as_bytes());
    let side = write(dir.path(), "d.txt", "7月1日晚，交警在辖区开展酒驾整治，查获一名酒驾男子。\n".as_bytes());
    write(dir.path(), "d.meta.toml", b"date = \"2021-07-02\"\n");
    let cases = [
        (&md, "2022-03-12", HintOrigin::FrontMatter),
        (&html, "2023-01-10T09:00:00+08:00", HintOrigin::Meta),
        (&md_html, "2021-06-01", HintOrigin::Meta),
        (&side, "2021-07-02", HintOrigin::Sidecar),
    ];
    for (path, date, origin) in cases {
        let doc = read_file(path).expect("reads");
        assert_eq!(doc.hints.date.as_deref(), Some(date), "{}", path.display());
        assert_eq!(doc.hints.date_origin, Some(origin), "{}", path.display());
    }
    let doc = read_file(&html).expect("reads");
    assert_eq!(doc.hints.url.as_deref(), Some("https://www.example.cn/2023-01/10/c_1.htm"));
}

#[test]
fn the_breadcrumb_is_kept_as_the_pages_channel() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(
        dir.path(),
        "a.txt",
        "首页 > 宁夏新闻 > 正文\n\n自治区公安厅通报冬季行动成果\n\n1月9日，自治区公安厅召开新闻发布会，通报全区公安机关冬季治安打击整治行动成果。\n".as_bytes(),
    );
    let doc = read_file(&p).expect("reads");
    assert_eq!(doc.hints.channel, vec!["首页 > 宁夏新闻 > 正文".to_string()]);
    assert!(!doc.body.contains("首页"), "{}", doc.body);
}

#[test]
fn sidecar_overrides_and_broken_inputs_warn() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "h050.txt", "1月28日晚,苍梧交警大队与长洲交警大队开展交叉执法严查酒后驾驶违法行为集中整治。\n(叶沈洋)\n".as_bytes());
    write(
        dir.path(),
        "h050.meta.toml",
        "title = \"苍梧交警开展交叉执法严查酒驾\"\ndate = \"2021-01-28\"\nprovince = \"广西壮族自治区\"\ncity = \"梧州市\"\ncategories = [\"/交通/酒驾醉驾\"]\n".as_bytes(),
    );
    let doc = read_file(&p).expect("reads");
    assert_eq!(doc.title, "苍梧交警开展交叉执法严查酒驾");
    assert_eq!(doc.hints.title.as_deref(), Some("苍梧交警开展交叉执法严查酒驾"));
    assert_eq!(doc.hints.date.as_deref(), Some("2021-01-28"));
    assert_eq!(doc.hints.province.as_deref(), Some("广西壮族自治区"));
    assert_eq!(doc.hints.city.as_deref(), Some("梧州市"));
    assert_eq!(doc.hints.categories, vec!["/交通/酒驾醉驾"]);
    assert!(doc.warnings.is_empty());

    // The sidecar beats front matter too; a broken one only warns.
    let md = write(dir.path(), "x.md", "---\ntitle: 原标题\ncity: 清远市\n---\n正文第一句，警方通报了案件情况。\n".as_bytes());
    write(dir.path(), "x.md.meta.json", br#"{"city": "\u97f6\u5173\u5e02"}"#);
    let doc = read_file(&md).expect("reads");
    assert_eq!((doc.title.as_str(), doc.hints.city.as_deref()), ("原标题", Some("韶关市")));
    write(dir.path(), "x.md.meta.json", b"{\"city\": ");
    let doc = read_file(&md).expect("still reads");
    assert_eq!(doc.hints.city.as_deref(), Some("清远市"));
    assert_eq!(doc.warnings.len(), 1);
    assert!(doc.warnings[0].starts_with("sidecar ") && !doc.warnings[0].contains('\n'), "{:?}", doc.warnings);

    // Broken front matter: warning, body kept, title salvaged.
    let broken = write(
        dir.path(),
        "broken.md",
        "---\ntitle: 警方通报: 一男子酒驾被查\ndate: [2022\n---\n7月1日晚，交警在辖区开展酒驾整治，查获一名酒驾男子。\n".as_bytes(),
    );
    let doc = read_file(&broken).expect("still reads");
    assert_eq!(doc.title, "警方通报: 一男子酒驾被查");
    assert!(doc.body.contains("查获一名酒驾男子。"));
    assert!(!doc.body.contains("date:"));
    assert_eq!(doc.warnings.len(), 1);
    assert!(doc.warnings[0].starts_with("front matter ignored"), "{:?}", doc.warnings);
}

#[cfg(unix)]
#[test]
fn walk_skips_hidden_and_sidecars_and_survives_loops() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("a/b")).expect("mkdir");
    std::fs::create_dir_all(root.join(".git")).expect("mkdir");
    write(root, "a/b/one.txt", b"x");
    write(root, "a/two.html", b"x");
    write(root, "a/two.meta.toml", b"x");
    write(root, "a/.hidden.txt", b"x");
    write(root, ".git/config", b"x");
    let hidden_root = root.join(".drafts");
    std::fs::create_dir_all(&hidden_root).expect("mkdir");
    write(&hidden_root, "draft.txt", b"x");
    std::os::unix::fs::symlink(root.join("a"), root.join("a/b/loop")).expect("symlink");

    let (files, errors) = walk(&[root.to_path_buf(), root.join("a/two.html"), hidden_root.clone(), root.join("nope")]);
    let rel: Vec<String> = files.iter().map(|f| f.strip_prefix(root).map_or(f.display().to_string(), |r| r.display().to_string())).collect();
    assert_eq!(rel, vec![".drafts/draft.txt", "a/b/one.txt", "a/two.html"]);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors.iter().any(|(p, e)| p.ends_with("loop") && e.starts_with("symlink loop")), "{errors:?}");
    assert!(errors.iter().any(|(p, _)| p.ends_with("nope")), "{errors:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), ext in "(txt|html|md)") {
        let path = PathBuf::from(format!("x.{ext}"));
        if let Ok(doc) = parse_bytes(&path, &bytes) {
            prop_assert!(!doc.body.contains("\n\n"));
            prop_assert!(!doc.body.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
        }
    }

    #[test]
    fn markup_soup_never_panics(parts in proptest::collection::vec(
        prop_oneof![
            Just("<div>"), Just("</div>"), Just("<p>"), Just("<script>"), Just("</script>"), Just("<nav>"),
            Just("<!--"), Just("-->"), Just("<a href=\""), Just("\">"), Just("---\n"), Just("title: x\n"),
            Just("通报正文。"), Just("\n"), Just("<"), Just(">"), Just("&nbsp;"), Just("&#x"), Just("<table>"),
            Just("相关阅读\n"), Just("登录\n"), Just("# "), Just("**"), Just("["), Just("]("), Just(")"),
        ],
        0..200,
    )) {
        let text: String = parts.concat();
        for ext in ["txt", "html", "md"] {
            let _ = parse_bytes(Path::new(&format!("x.{ext}")), text.as_bytes());
        }
    }
}

#[test]
fn files_that_vanish_or_change_while_read_are_reported_not_fatal() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Deleted between the walk and the read.
    let gone = write(dir.path(), "gone.txt", "关于消失文件的通报\n正文。".as_bytes());
    std::fs::remove_file(&gone).expect("remove");
    let e = read_file(&gone).expect_err("a vanished file is an error");
    assert!(e.to_string().starts_with("cannot read: "), "{e}");
    assert!(!e.to_string().contains('\n'));
    // Grown past the cap after its size was checked: the read stops at the cap.
    let grown = write(dir.path(), "grown.txt", &vec![b'a'; 5000]);
    let opts = ReadOptions { max_bytes: 4096, ..ReadOptions::default() };
    assert!(read_file_with(&grown, &opts).expect_err("too large").to_string().starts_with("too large: "));
    // Cut mid-character (truncated while a scraper wrote it): read, the broken tail dropped.
    let mut cut = "关于截断文件的通报\n警方破获案件".as_bytes().to_vec();
    cut.truncate(cut.len() - 1);
    let cut = write(dir.path(), "cut.txt", &cut);
    let doc = read_file(&cut).expect("a truncated file still reads");
    assert_eq!(doc.title, "关于截断文件的通报");
    // A body over the text cap is cut at a line break, with a warning.
    let long = write(
        dir.path(),
        "long.txt",
        format!("长文本通报\n{}", (0..2000).map(|i| format!("警方破获第{i}起案件，嫌疑人已到案。\n")).collect::<String>()).as_bytes(),
    );
    let opts = ReadOptions { max_text_bytes: 10_000, ..ReadOptions::default() };
    let doc = read_file_with(&long, &opts).expect("read");
    assert!(doc.body.len() <= 10_000 && doc.body.ends_with('。'), "{}", doc.body.len());
    assert!(doc.warnings.iter().any(|w| w.contains("only its first")), "{:?}", doc.warnings);
}

//! End-to-end tests of metadata extraction, filters, sorting and facets on corpus-samples/.
//! Expected values come from the table in corpus-samples/README.md.

mod common;

use common::*;

fn field<'a>(h: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    h.get(key).and_then(|v| v.as_str())
}

/// A sample file, its province, city, date, and a category it must have.
type Expected = (&'static str, &'static str, Option<&'static str>, Option<&'static str>, &'static str);

#[test]
fn extract_reads_region_date_and_categories_from_every_format_and_encoding() {
    let cases: &[Expected] = &[
        ("guangxi-nanning-yanglao-zhapian-2022-07.md", "广西壮族自治区", Some("南宁市"), Some("2022-07-14"), "/诈骗/养老诈骗"),
        ("sichuan-liangshan-jindu-2019-06.htm", "四川省", Some("凉山彝族自治州"), Some("2019-06-25"), "/毒品"),
        ("hubei-xiangyang-mingan-jian-2020-10.txt", "湖北省", Some("襄阳市"), Some("2020-10-16"), "/暴力/命案"),
        ("guangdong-zhuhai-kuajing-dubo-big5-2024-05.txt", "广东省", Some("珠海市"), Some("2024-05-17"), "/黄赌/赌博"),
        ("neimenggu-xinganmeng-jiqiang-zhibao-2021-05.md", "内蒙古自治区", Some("兴安盟"), Some("2021-05-20"), "/枪爆"),
        ("jilin-yanbian-yanglao-zhapian-2022-05.md", "吉林省", Some("延边朝鲜族自治州"), Some("2022-05-27"), "/诈骗/养老诈骗"),
        ("jiangsu-kunshan-zhishi-chanquan-2021-04.txt", "江苏省", Some("苏州市"), Some("2021-04-27"), "/食药环知"),
        ("gonganbu-fabuhui-dianxin-wangluo-zhapian-2025-01.html", "全国", None, Some("2025-01-16"), "/诈骗/电信网络诈骗"),
        ("beijing-wangan-qinfan-geren-xinxi-2024-03.html", "北京市", None, Some("2024-03-14"), "/网络犯罪"),
        ("jiangxi-nanchang-jiayao-undated.html", "江西省", Some("南昌市"), None, "/食药环知"),
        ("xilinguole-meng-bairi-xingdong-fabuhui-2022-thepaper.txt", "内蒙古自治区", Some("锡林郭勒盟"), Some("2022-07-08"), "/涉黑涉恶"),
    ];
    for (file, province, city, date, category) in cases {
        let path = samples().join(file);
        let o = run(&["extract", "--json", path.to_str().unwrap()]);
        assert!(o.status.success(), "{file}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("one JSON object");
        assert_eq!(field(&v, "province"), Some(*province), "{file} province");
        assert_eq!(field(&v, "city"), *city, "{file} city");
        assert_eq!(field(&v, "date"), *date, "{file} date");
        let cats: Vec<&str> = v["categories"].as_array().unwrap().iter().filter_map(|c| c.as_str()).collect();
        assert!(cats.contains(category), "{file}: {category} not in {cats:?}");
    }
}

#[test]
fn look_alike_words_do_not_make_categories() {
    // 经侦查 (after investigation), 营商环境 and 多发性侵财 are traps in this bulletin.
    let path = samples().join("anhui-hefei-diandongche-daoqie-undated.txt");
    let o = run(&["extract", "--json", path.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let cats: Vec<&str> = v["categories"].as_array().unwrap().iter().filter_map(|c| c.as_str()).collect();
    assert_eq!(cats, vec!["/侵财/盗窃"], "{cats:?}");
    assert_eq!(v["date"], serde_json::Value::Null, "no year in the text, so undated");
}

#[test]
fn province_filter_accepts_full_short_and_one_character_names() {
    let ix = SampleIndex::build();
    let mut seen = None;
    for name in ["广西壮族自治区", "广西", "桂"] {
        let hits = ix.hits(&["公安", "--province", name]);
        assert!(!hits.is_empty(), "{name}");
        assert!(hits.iter().all(|h| field(h, "province") == Some("广西壮族自治区")), "{name}: {hits:?}");
        let names = file_names(&hits);
        if let Some(prev) = &seen {
            assert_eq!(prev, &names, "{name} gives other hits");
        }
        seen = Some(names);
    }
}

#[test]
fn repeated_filters_are_alternatives_and_kinds_combine() {
    let ix = SampleIndex::build();
    let hits = ix.hits(&["公安", "--province", "广西", "--province", "广东"]);
    let provinces: std::collections::BTreeSet<&str> = hits.iter().filter_map(|h| field(h, "province")).collect();
    assert_eq!(provinces.into_iter().collect::<Vec<_>>(), vec!["广东省", "广西壮族自治区"]);
    let hits = ix.hits(&["公安", "--province", "广西", "--category", "毒品"]);
    for h in &hits {
        assert_eq!(field(h, "province"), Some("广西壮族自治区"));
        assert!(h["categories"].as_array().unwrap().iter().any(|c| c == "/毒品"));
    }
}

#[test]
fn city_filter_keeps_one_prefecture() {
    let ix = SampleIndex::build();
    let hits = ix.hits(&["公安", "--city", "南宁"]);
    assert_eq!(file_names(&hits), vec!["guangxi-nanning-yanglao-zhapian-2022-07.md"]);
    // A former name resolves to today's city.
    let hits = ix.hits(&["公安", "--city", "襄樊"]);
    assert!(hits.iter().all(|h| field(h, "city") == Some("襄阳市")) && !hits.is_empty());
}

#[test]
fn category_filter_accepts_paths_and_leaf_names() {
    let ix = SampleIndex::build();
    let leaf = file_names(&ix.hits(&["公安", "--category", "养老诈骗"]));
    let path = file_names(&ix.hits(&["公安", "--category", "/诈骗/养老诈骗"]));
    assert_eq!(leaf, path);
    assert!(leaf.contains(&"gansu-lanzhou-yanglao-zhapian-2023-09.md".to_string()));
    // A parent path takes every child.
    for h in ix.hits(&["公安", "--category", "/诈骗"]) {
        assert!(h["categories"].as_array().unwrap().iter().any(|c| c.as_str().unwrap().starts_with("/诈骗/")), "{h}");
    }
}

#[test]
fn date_range_keeps_dated_bulletins_inside_it() {
    let ix = SampleIndex::build();
    // "广西, summer 2022": the motivating search.
    let hits = ix.hits(&["养老诈骗", "追赃挽损", "--province", "广西", "--from", "2022-06", "--to", "2022-08"]);
    assert_eq!(file_names(&hits)[0], "guangxi-nanning-yanglao-zhapian-2022-07.md");
    let hits = ix.hits(&["公安", "--from", "2022", "--to", "2022-08-31"]);
    assert!(!hits.is_empty());
    for h in &hits {
        let d = field(h, "date").expect("undated bulletins are left out");
        assert!(("2022-01-01".."2022-09-01").contains(&d), "{d}");
    }
    let o = ix.search(&["公安", "--from", "2022-13"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("YYYY-MM"), "{}", stderr(&o));
}

#[test]
fn unknown_filter_values_are_errors_with_suggestions() {
    let ix = SampleIndex::build();
    let o = ix.search(&["诈骗", "--province", "广茜"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("unknown province") && err.contains("广西壮族自治区"), "{err}");
    let o = ix.search(&["诈骗", "--category", "赌"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("/黄赌/赌博"), "{}", stderr(&o));
}

#[test]
fn sort_by_date_puts_newest_first_and_undated_last() {
    let ix = SampleIndex::build();
    let hits = ix.hits(&["公安机关", "--sort", "date", "--all"]);
    let dates: Vec<Option<&str>> = hits.iter().map(|h| field(h, "date")).collect();
    let dated: Vec<&str> = dates.iter().flatten().copied().collect();
    let mut sorted = dated.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dated, sorted);
    if let Some(first_undated) = dates.iter().position(Option::is_none) {
        assert!(dates[first_undated..].iter().all(Option::is_none), "{dates:?}");
    }
}

#[test]
fn facets_count_the_whole_index_and_a_result_set() {
    let ix = SampleIndex::build();
    let o = run(&["--index", &ix.path(), "facets", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["total"], 41);
    let provinces = v["facets"]["province"].as_array().unwrap();
    let guangxi = provinces.iter().find(|p| p[0] == "/广西壮族自治区").expect("广西 counted");
    assert_eq!(guangxi[1], 7);
    assert!(v["facets"]["city"].as_array().unwrap().iter().any(|c| c[0] == "/广西壮族自治区/南宁市"));
    assert!(v["facets"]["year"].as_array().unwrap().iter().any(|y| y[0] == "/2022"));

    let o = ix.search(&["养老诈骗", "--facets"]);
    let out = stdout(&o);
    assert!(out.contains("By province") && out.contains("By category") && out.contains("By year"), "{out}");
    assert!(out.contains("诈骗/养老诈骗"), "{out}");
}

//! Sidecar files: `NAME.meta.toml` or `NAME.meta.json` beside `NAME.ext` (or
//! `NAME.ext.meta.toml`), where a user corrects what a bulletin says about itself.
//!
//! A sidecar overrides every other source of metadata, because it is the only one a person
//! wrote on purpose. A broken sidecar never stops the bulletin from being read: the problem
//! becomes a warning.

use std::path::{Path, PathBuf};

use super::Hints;

/// Keys a sidecar may set; others are reported, since they are probably typos.
const KEYS: &[&str] = &["title", "date", "province", "city", "region", "categories", "category", "tags", "url", "author"];

/// Is this path a sidecar (never a bulletin itself)?
pub(crate) fn is_sidecar(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(".meta.toml") || n.ends_with(".meta.json"))
}

/// The sidecar for `path`, if one exists. `NAME.ext.meta.*` wins over `NAME.meta.*`
/// because it cannot belong to another file with the same stem.
pub fn find(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let stem = path.file_stem().and_then(|s| s.to_str()).filter(|s| *s != name);
    let mut candidates = vec![format!("{name}.meta.toml"), format!("{name}.meta.json")];
    if let Some(stem) = stem {
        candidates.push(format!("{stem}.meta.toml"));
        candidates.push(format!("{stem}.meta.json"));
    }
    candidates.into_iter().map(|c| dir.join(c)).find(|p| p.is_file())
}

/// Largest sidecar read. A sidecar is a handful of keys, a few hundred bytes; a larger
/// file is a mistake or an attack (a sparse file of gigabytes parses for minutes), so it
/// is ignored with a note, without reading it.
pub(crate) const MAX_SIDECAR_BYTES: u64 = 64 * 1024;

/// Read a sidecar into hints. `Err` is a one-line reason; `Ok` may carry warnings about
/// unknown keys.
pub fn load(path: &Path) -> Result<(Hints, Vec<String>), String> {
    use std::io::Read;
    let too_large = |size: u64| format!("it is {size} bytes, over the {} KB a sidecar may hold", MAX_SIDECAR_BYTES / 1024);
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let size = file.metadata().map_err(|e| e.to_string())?.len();
    if size > MAX_SIDECAR_BYTES {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_SIDECAR_BYTES + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_SIDECAR_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    let text = String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())?;
    let json = path.extension().is_some_and(|e| e == "json");
    let value: serde_json::Value = if json {
        serde_json::from_str(&text).map_err(|e| e.to_string())?
    } else {
        let t: toml::Value = toml::from_str(&text).map_err(|e| one_line(&e.to_string()))?;
        serde_json::to_value(t).map_err(|e| e.to_string())?
    };
    let serde_json::Value::Object(map) = value else {
        return Err("not a table of keys to values".into());
    };
    let mut hints = Hints::default();
    let mut warnings = Vec::new();
    for (key, v) in &map {
        match key.as_str() {
            "title" => hints.title = scalar(v),
            "date" => hints.date = scalar(v),
            "province" => hints.province = scalar(v),
            "city" => hints.city = scalar(v),
            "region" => {
                if let Some(r) = scalar(v) {
                    let mut parts = r.trim_matches('/').split('/').filter(|p| !p.is_empty());
                    hints.province = hints.province.take().or(parts.next().map(str::to_string));
                    hints.city = hints.city.take().or(parts.next().map(str::to_string));
                }
            }
            "categories" | "category" => hints.categories.extend(list(v)),
            "tags" => hints.tags.extend(list(v)),
            "url" => hints.url = scalar(v),
            "author" => hints.author = scalar(v),
            other => warnings.push(format!("unknown key `{other}` in {} (known: {})", path.display(), KEYS.join(", "))),
        }
    }
    Ok((hints, warnings))
}

fn scalar(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        // TOML datetimes arrive as `{"$__toml_private_datetime": "…"}`.
        serde_json::Value::Object(o) if o.len() == 1 => o.values().next().and_then(scalar),
        _ => None,
    }
}

fn list(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::Array(a) => a.iter().filter_map(scalar).collect(),
        other => scalar(other).into_iter().collect(),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Apply sidecar hints over `base`: every field the sidecar sets wins.
pub fn merge(base: &mut Hints, over: Hints) {
    let Hints { title, date, date_origin: _, tags, author, url, province, city, categories, channel: _ } = over;
    if title.is_some() {
        base.title = title;
    }
    if date.is_some() {
        base.date = date;
        base.date_origin = Some(super::HintOrigin::Sidecar);
    }
    if !tags.is_empty() {
        base.tags = tags;
    }
    if author.is_some() {
        base.author = author;
    }
    if url.is_some() {
        base.url = url;
    }
    if province.is_some() {
        base.province = province;
    }
    if city.is_some() {
        base.city = city;
    }
    if !categories.is_empty() {
        base.categories = categories;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_toml_and_json() {
        let dir = tempfile::tempdir().expect("tempdir");
        let toml_path = dir.path().join("a.meta.toml");
        std::fs::write(
            &toml_path,
            "title = \"周口公安重拳打击养老诈骗\"\ndate = 2022-07-20\nprovince = \"河南省\"\ncity = \"周口市\"\ncategories = [\"/诈骗/养老诈骗\"]\ntitel = \"typo\"\n",
        )
        .expect("write");
        let (h, warnings) = load(&toml_path).expect("valid toml");
        assert_eq!(h.title.as_deref(), Some("周口公安重拳打击养老诈骗"));
        assert_eq!(h.date.as_deref(), Some("2022-07-20"));
        assert_eq!(h.province.as_deref(), Some("河南省"));
        assert_eq!(h.categories, vec!["/诈骗/养老诈骗".to_string()]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("titel"));

        let json_path = dir.path().join("b.txt.meta.json");
        std::fs::write(&json_path, r#"{"region": "/广东省/清远市", "url": "http://x.cn/1", "categories": "/毒品"}"#).expect("write");
        let (h, _) = load(&json_path).expect("valid json");
        assert_eq!((h.province.as_deref(), h.city.as_deref()), (Some("广东省"), Some("清远市")));
        assert_eq!(h.categories, vec!["/毒品".to_string()]);

        std::fs::write(&json_path, "{ broken").expect("write");
        assert!(load(&json_path).is_err());
        std::fs::write(&toml_path, "title = \n").expect("write");
        let e = load(&toml_path).expect_err("broken toml");
        assert!(!e.contains('\n'), "{e}");
    }

    #[test]
    fn finds_sidecar() {
        let dir = tempfile::tempdir().expect("tempdir");
        let doc = dir.path().join("h001.txt");
        std::fs::write(&doc, "x").expect("write");
        assert_eq!(find(&doc), None);
        std::fs::write(dir.path().join("h001.meta.json"), "{}").expect("write");
        assert_eq!(find(&doc), Some(dir.path().join("h001.meta.json")));
        std::fs::write(dir.path().join("h001.txt.meta.toml"), "").expect("write");
        assert_eq!(find(&doc), Some(dir.path().join("h001.txt.meta.toml")));
        assert!(is_sidecar(Path::new("x/h001.meta.toml")));
        assert!(!is_sidecar(Path::new("x/h001.toml")));
    }
}

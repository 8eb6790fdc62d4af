//! The search page: plain HTML, CSS and JavaScript modules from `web/`, embedded in the
//! binary so that `tongbao serve` needs no other files, no build step and no network (no
//! CDN, no web font). Assets are looked up in a fixed table by exact name: no request
//! path ever reaches the file system.

use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::params::is_bulletin_id;

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";

macro_rules! asset {
    ($name:literal, $type:expr) => {
        Asset { name: $name, content_type: $type, body: include_bytes!(concat!("../../web/", $name)) }
    };
}

const ASSETS: &[Asset] = &[
    asset!("style.css", "text/css; charset=utf-8"),
    asset!("icon.svg", "image/svg+xml"),
    asset!("app.js", JS),
    asset!("api.js", JS),
    asset!("dom.js", JS),
    asset!("state.js", JS),
    asset!("results.js", JS),
    asset!("facets.js", JS),
    asset!("charts.js", JS),
    asset!("bulletin.js", JS),
];

const INDEX_HTML: &[u8] = include_bytes!("../../web/index.html");

fn page() -> Response {
    let mut r = INDEX_HTML.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// `/`: the search page; the query and filters are read from the URL by the page itself.
pub async fn search_page() -> Response {
    page()
}

/// `/bulletin/{id}`: the same page, showing one bulletin. Only an index id is a bulletin.
pub async fn bulletin_page(id: Result<Path<String>, PathRejection>) -> Response {
    if id.is_ok_and(|Path(id)| is_bulletin_id(&id)) {
        page()
    } else {
        not_found().await
    }
}

/// `/assets/{name}`.
pub async fn asset(name: Result<Path<String>, PathRejection>) -> Response {
    let name = name.map(|Path(n)| n).unwrap_or_default();
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) => {
            let mut r = a.body.into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.content_type));
            // Embedded files change only with the binary; revalidating is cheap on loopback.
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            r
        }
        None => not_found().await,
    }
}

/// Any other path.
pub async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "not found\n").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_the_page_imports_is_embedded() {
        let names: Vec<&str> = ASSETS.iter().map(|a| a.name).collect();
        let mut sources: Vec<(&str, String)> = vec![("index.html", String::from_utf8_lossy(INDEX_HTML).into_owned())];
        sources.extend(ASSETS.iter().filter(|a| a.name.ends_with(".js")).map(|a| (a.name, String::from_utf8_lossy(a.body).into_owned())));
        for (file, text) in &sources {
            for part in text.split("./").skip(1).chain(text.split("/assets/").skip(1)) {
                let Some(end) = part.find(['\'', '"']) else { continue };
                let name = &part[..end];
                if name.ends_with(".js") || name.ends_with(".css") || name.ends_with(".svg") {
                    assert!(names.contains(&name), "{file} refers to {name}, which is not embedded");
                }
            }
        }
    }

    #[test]
    fn the_page_has_no_inline_script_or_style() {
        let html = String::from_utf8_lossy(INDEX_HTML);
        assert!(!html.contains("<script>") && !html.contains("style=") && !html.contains("<style"), "inline code in index.html");
        assert!(!html.contains("http://") && !html.contains("https://"), "index.html loads something from elsewhere");
        for a in ASSETS.iter().filter(|a| a.name.ends_with(".js")) {
            let js = String::from_utf8_lossy(a.body);
            for banned in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"] {
                assert!(!js.contains(banned), "{} uses {banned}", a.name);
            }
        }
    }
}

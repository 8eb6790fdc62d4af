//! What every answer carries, and which requests the server answers at all.
//!
//! Bulletin text is untrusted and the page may be opened by colleagues, so the page runs
//! under a strict Content-Security-Policy: scripts and styles only from this server's own
//! files (no inline script, no inline style attribute, no `eval`), nothing loaded from
//! anywhere else, no framing. `nosniff` keeps a browser from reading JSON as a script.
//! There are no CORS headers, so another site's scripts cannot read the API's answers.
//!
//! A server on the loopback address must also not be reachable through DNS rebinding (a
//! hostile site whose name resolves to 127.0.0.1 would be "same-origin" with itself): it
//! answers only requests addressed to it by a loopback name and its own port.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The page's policy: its own scripts, styles and images (SVG charts are built in the
/// DOM), fetches to its own API only; no plugins, frames, forms elsewhere or base rewrite.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
connect-src 'self'; font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Add the security headers to every answer.
pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Source links lead to police websites; they need not learn what was searched here.
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    response
}

/// Host names a loopback server answers to (with its port).
#[derive(Clone, Debug)]
pub struct AllowedHosts(pub Option<Vec<String>>);

impl AllowedHosts {
    /// For a server bound to a loopback address on `port`; `None` (any host) otherwise,
    /// since a server exposed on purpose may be reached by names it cannot know.
    pub fn for_listener(addr: std::net::SocketAddr) -> AllowedHosts {
        if !addr.ip().is_loopback() {
            return AllowedHosts(None);
        }
        let port = addr.port();
        AllowedHosts(Some(vec![format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("[::1]:{port}")]))
    }

    fn allows(&self, headers: &HeaderMap) -> bool {
        let Some(allowed) = &self.0 else { return true };
        match headers.get(header::HOST).map(|h| h.to_str()) {
            // HTTP/1.0 clients may send none; browsers always do.
            None => true,
            Some(Ok(host)) => allowed.iter().any(|a| a.eq_ignore_ascii_case(host.trim())),
            Some(Err(_)) => false,
        }
    }
}

/// Refuse requests addressed to another host name (DNS rebinding).
pub async fn host(State(allowed): State<AllowedHosts>, request: Request, next: Next) -> Response {
    if allowed.allows(request.headers()) {
        return next.run(request).await;
    }
    let first = allowed.0.as_ref().and_then(|a| a.first()).cloned().unwrap_or_default();
    (StatusCode::MISDIRECTED_REQUEST, format!("this server answers only at http://{first}/\n")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loopback_server_answers_only_to_its_own_names() {
        let loopback = AllowedHosts::for_listener("127.0.0.1:7700".parse().unwrap());
        let with = |host: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
            h
        };
        let cases = [
            ("127.0.0.1:7700", true),
            ("localhost:7700", true),
            ("LOCALHOST:7700", true),
            ("[::1]:7700", true),
            ("127.0.0.1:7701", false),
            ("evil.example:7700", false),
            ("attacker.example", false),
            ("127.0.0.1", false),
        ];
        for (host, want) in cases {
            assert_eq!(loopback.allows(&with(host)), want, "{host}");
        }
        assert!(loopback.allows(&HeaderMap::new()), "no Host header (HTTP/1.0)");
        let exposed = AllowedHosts::for_listener("0.0.0.0:7700".parse().unwrap());
        assert!(exposed.allows(&with("search.example:7700")));
    }
}

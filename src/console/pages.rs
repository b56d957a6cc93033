//! The page side of the simulated console: the single-page app's HTML shell, stylesheet, script
//! and icon, all embedded in the binary with `include_str!` so that docent needs no files or
//! network at run time. One `index.html` answers `/login` and every `/console/...` path (the
//! script routes on the client), and a document request for a console page without a live
//! session is redirected to the login page, as a real console does.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::api::AppState;

const INDEX_HTML: &str = include_str!("assets/index.html");
const CONSOLE_CSS: &str = include_str!("assets/console.css");
const CONSOLE_JS: &str = include_str!("assets/console.js");
const FAVICON_SVG: &str = include_str!("assets/favicon.svg");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/login") }))
        .route("/login", get(login_page))
        .route("/console", get(console_page))
        .route("/console/", get(console_page))
        .route("/console/{*rest}", get(console_page))
        .route("/assets/{name}", get(asset))
        .route("/favicon.ico", get(favicon))
}

/// Assets are tiny and change with every build of docent, so browsers revalidate each time
/// instead of keeping a stale script across console versions.
fn embedded(content_type: &'static str, body: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

fn index() -> Response {
    embedded("text/html; charset=utf-8", INDEX_HTML)
}

async fn login_page() -> Response {
    index()
}

async fn console_page(State(app): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    if !app.has_session(&headers) {
        let target = uri
            .path_and_query()
            .map(|pq| pq.as_str())
            .unwrap_or("/console/home");
        return Redirect::to(&format!("/login?next={}", percent_encode(target))).into_response();
    }
    if matches!(uri.path(), "/console" | "/console/") {
        return Redirect::to("/console/home").into_response();
    }
    index()
}

async fn asset(Path(name): Path<String>) -> Response {
    match name.as_str() {
        "console.css" => embedded("text/css; charset=utf-8", CONSOLE_CSS),
        "console.js" => embedded("text/javascript; charset=utf-8", CONSOLE_JS),
        "favicon.svg" => embedded("image/svg+xml", FAVICON_SVG),
        _ => (StatusCode::NOT_FOUND, "Not Found").into_response(),
    }
}

/// Browsers ask for it whatever the page links; answering avoids a 404 in the browser log.
async fn favicon() -> Response {
    embedded("image/svg+xml", FAVICON_SVG)
}

pub async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not Found").into_response()
}

/// What a path keeps readable in a query value: letters, digits, `-._~` and `/` (the login
/// page only accepts `/console/...` targets, so nothing else needs to survive).
const PATH_KEEPS: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Encodes a path for a query value, keeping `/` readable.
fn percent_encode(text: &str) -> String {
    utf8_percent_encode(text, PATH_KEEPS).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_keeps_paths_readable() {
        assert_eq!(
            percent_encode("/console/mtd/settings"),
            "/console/mtd/settings"
        );
        assert_eq!(percent_encode("/console/x?a=b&c"), "/console/x%3Fa%3Db%26c");
        assert_eq!(percent_encode("/é"), "/%C3%A9");
    }

    #[test]
    fn the_shell_loads_the_embedded_assets() {
        assert!(INDEX_HTML.contains("/assets/console.css"));
        assert!(INDEX_HTML.contains("/assets/console.js"));
        // Nothing may be fetched from outside the console.
        for asset in [INDEX_HTML, CONSOLE_CSS, CONSOLE_JS] {
            assert!(!asset.contains("http://") && !asset.contains("https://"));
        }
    }
}

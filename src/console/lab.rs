//! The lab pages of the simulated console: a few plain pages under `/lab` that together use every
//! kind of control and browser behaviour docent's runbook language has a step for — native and
//! ARIA-built selects and checkboxes, a switch, hover menus, double-clicks, key presses, native
//! `alert`/`confirm`/`prompt` dialogs, an iframe, a link that opens a new tab, loading masks,
//! late and retried outcomes. Four more put the engine's judgement to the test rather than its
//! vocabulary: waiting (`/lab/mask`: a mask that swallows clicks, a drawer still sliding in, a
//! field unlocked late; `/lab/rerender`: table rows rebuilt and reordered every few
//! milliseconds), strictness (`/lab/strict`: look-alike buttons, hidden and template copies,
//! fields labelled every which way, a switch whose checkbox is 0x0, a button disabled by ARIA
//! only) and toasts (`/lab/toasts`: bursts, shadow roots, a bare live region, a late error, flash
//! messages without any toast marks). The seed procedure alone never meets most of these, so the
//! end-to-end tests drive the engine through them here. Unlike the console pages they need no
//! login and keep their state in the page and `sessionStorage`; the server only hands out the
//! embedded HTML, stylesheets and scripts. The one thing a page takes from the server is the toast
//! lifetime and animation length, so the fault knobs act on lab toasts as they do in the console;
//! the newer pages' own timings come from their query string, read by the page itself.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::api::AppState;
use super::faults::Faults;
use super::pages;

const FORM_HTML: &str = include_str!("assets/lab/form.html");
const FRAME_HTML: &str = include_str!("assets/lab/frame.html");
const ARTICLES_HTML: &str = include_str!("assets/lab/articles.html");
const DOCS_HTML: &str = include_str!("assets/lab/docs.html");
const MASK_HTML: &str = include_str!("assets/lab/mask.html");
const RERENDER_HTML: &str = include_str!("assets/lab/rerender.html");
const TOASTS_HTML: &str = include_str!("assets/lab/toasts.html");
const STRICT_HTML: &str = include_str!("assets/lab/strict.html");
const LAB_CSS: &str = include_str!("assets/lab/lab.css");
const EDGE_CSS: &str = include_str!("assets/lab/edge.css");
const LAB_JS: &str = include_str!("assets/lab/lab.js");
const PARAMS_JS: &str = include_str!("assets/lab/params.js");
const FORM_JS: &str = include_str!("assets/lab/form.js");
const ARTICLES_JS: &str = include_str!("assets/lab/articles.js");
const MASK_JS: &str = include_str!("assets/lab/mask.js");
const RERENDER_JS: &str = include_str!("assets/lab/rerender.js");
const TOASTS_JS: &str = include_str!("assets/lab/toasts.js");
const STRICT_JS: &str = include_str!("assets/lab/strict.js");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/lab", get(lab_home))
        .route("/lab/form", get(|app| page(app, FORM_HTML)))
        .route("/lab/frame", get(|app| page(app, FRAME_HTML)))
        .route("/lab/frame/articles", get(|app| page(app, ARTICLES_HTML)))
        .route("/lab/docs", get(|app| page(app, DOCS_HTML)))
        .route("/lab/mask", get(|app| page(app, MASK_HTML)))
        .route("/lab/rerender", get(|app| page(app, RERENDER_HTML)))
        .route("/lab/toasts", get(|app| page(app, TOASTS_HTML)))
        .route("/lab/strict", get(|app| page(app, STRICT_HTML)))
        // Under /assets rather than /lab, so that /lab holds the pages and nothing else.
        .route("/assets/lab/{name}", get(asset))
}

/// A 302 on purpose (axum's `Redirect::to` answers 303): the lab's contract names it.
async fn lab_home() -> Response {
    (StatusCode::FOUND, [(header::LOCATION, "/lab/form")]).into_response()
}

async fn page(State(app): State<AppState>, template: &'static str) -> Response {
    reply("text/html; charset=utf-8", render(template, &app.faults()))
}

/// Fills in the knobs the page's toasts and animations follow. They are read per request, so a
/// page loaded after `PUT /api/_faults` uses the new values, as console pages do after their next
/// API answer.
fn render(template: &str, faults: &Faults) -> String {
    template
        .replace("{{toast_ms}}", &faults.toast_ms.to_string())
        .replace("{{animation_ms}}", &faults.animation_ms.to_string())
}

async fn asset(Path(name): Path<String>) -> Response {
    let (content_type, body) = match name.as_str() {
        "lab.css" => ("text/css; charset=utf-8", LAB_CSS),
        "edge.css" => ("text/css; charset=utf-8", EDGE_CSS),
        "lab.js" => ("text/javascript; charset=utf-8", LAB_JS),
        "params.js" => ("text/javascript; charset=utf-8", PARAMS_JS),
        "form.js" => ("text/javascript; charset=utf-8", FORM_JS),
        "articles.js" => ("text/javascript; charset=utf-8", ARTICLES_JS),
        "mask.js" => ("text/javascript; charset=utf-8", MASK_JS),
        "rerender.js" => ("text/javascript; charset=utf-8", RERENDER_JS),
        "toasts.js" => ("text/javascript; charset=utf-8", TOASTS_JS),
        "strict.js" => ("text/javascript; charset=utf-8", STRICT_JS),
        _ => return pages::not_found().await,
    };
    reply(content_type, body.to_string())
}

/// Same headers as the console's own assets: revalidated every time, so neither a stale lab
/// script nor a page carrying old knob values is reused.
fn reply(content_type: &'static str, body: String) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGES: [&str; 8] = [
        FORM_HTML,
        FRAME_HTML,
        ARTICLES_HTML,
        DOCS_HTML,
        MASK_HTML,
        RERENDER_HTML,
        TOASTS_HTML,
        STRICT_HTML,
    ];

    fn knobs(toast_ms: u64, animation_ms: u64) -> Faults {
        Faults {
            latency_ms: 0,
            jitter_ms: 0,
            toast_ms,
            failure_rate: 0.0,
            animation_ms,
        }
    }

    #[test]
    fn pages_carry_the_knobs_and_nothing_left_unfilled() {
        for template in PAGES {
            let html = render(template, &knobs(1234, 56));
            assert!(html.contains(r#"data-toast-ms="1234""#), "{html}");
            assert!(html.contains(r#"data-animation-ms="56""#), "{html}");
            assert!(html.contains("--anim: 56ms"), "{html}");
            assert!(!html.contains("{{"), "{html}");
        }
    }

    #[test]
    fn pages_load_only_embedded_assets() {
        for template in PAGES {
            assert!(template.contains("/assets/console.css"));
            assert!(template.contains("/assets/lab/lab.css"));
            assert!(template.contains("/assets/lab/lab.js"));
        }
        // Nothing may be fetched from outside the console.
        for asset in PAGES.into_iter().chain([
            LAB_CSS,
            EDGE_CSS,
            LAB_JS,
            PARAMS_JS,
            FORM_JS,
            ARTICLES_JS,
            MASK_JS,
            RERENDER_JS,
            TOASTS_JS,
            STRICT_JS,
        ]) {
            assert!(!asset.contains("http://") && !asset.contains("https://"));
        }
    }

    /// The newer pages' scripts build on `window.lab`, so each comes after what it uses.
    #[test]
    fn the_newer_pages_load_their_scripts_in_order() {
        for (template, scripts) in [
            (MASK_HTML, ["lab.js", "params.js", "mask.js"].as_slice()),
            (RERENDER_HTML, &["lab.js", "params.js", "rerender.js"]),
            (TOASTS_HTML, &["lab.js", "params.js", "toasts.js"]),
            (STRICT_HTML, &["lab.js", "strict.js"]),
        ] {
            assert!(template.contains("/assets/lab/edge.css"));
            let at = |script: &str| {
                let tag = format!("<script src=\"/assets/lab/{script}\"></script>");
                template.find(&tag).unwrap_or_else(|| panic!("no {tag}"))
            };
            for pair in scripts.windows(2) {
                assert!(at(pair[0]) < at(pair[1]), "{} before {}", pair[0], pair[1]);
            }
        }
    }
}

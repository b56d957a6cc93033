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
//! messages without any toast marks). `/lab/hostile` carries page code of every kind (scripts,
//! handlers, script URLs, `srcdoc`, a shadow root's handler) for the saved `failure.html` to
//! leave inert. The seed procedure alone never meets most of these, so the
//! end-to-end tests drive the engine through them here. Unlike the console pages they need no
//! login and keep their state in the page and `sessionStorage`; the server only hands out the
//! pages, stylesheets and scripts built into it. The pages share one layout,
//! `assets/lab/layout.html` (document head, console header, toast containers, `lab.js`), so each
//! page's own file holds only its content and a `Page` names the rest: title, body class, extra
//! stylesheets and scripts. The one thing a page takes from the server is the toast lifetime and
//! animation length, so the fault knobs act on lab toasts as they do in the console; the newer
//! pages' own timings come from their query string, read by the page itself.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::api::AppState;
use super::faults::Faults;
use super::pages;

const LAYOUT: &str = include_str!("assets/lab/layout.html");
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

/// What one lab page puts into the shared layout.
struct Page {
    title: &'static str,
    body_class: &'static str,
    /// Shown inside another lab page's iframe, whose page already has the console's favicon,
    /// header and main column; so this one goes without, and its content is its own `<main>`.
    embedded: bool,
    /// Lab stylesheets loaded after `lab.css`.
    stylesheets: &'static [&'static str],
    /// Lab scripts run after `lab.js`, in this order: they build on `window.lab`.
    scripts: &'static [&'static str],
    /// Classes of the empty containers after the main column that the page's toasts go into.
    toast_containers: &'static [&'static str],
    /// The page's own markup: the inside of the console's main column, or the whole body of an
    /// embedded page but for the toast containers and scripts.
    content: &'static str,
}

impl Page {
    /// A page in the console's frame with only the lab's common stylesheet and script, whose
    /// toasts go where `lab.js` puts them.
    const fn console(title: &'static str, content: &'static str) -> Page {
        Page {
            title,
            body_class: "console-page lab-page",
            embedded: false,
            stylesheets: &[],
            scripts: &[],
            toast_containers: &["toast-region"],
            content,
        }
    }
}

/// The pages that put the engine's judgement to the test style their look-alikes and masks with
/// `edge.css`.
const EDGE: &[&str] = &["edge.css"];

/// Every lab page, by its path.
static PAGES: [(&str, Page); 9] = [
    (
        "/lab/form",
        Page {
            scripts: &["form.js"],
            ..Page::console(
                "Alarm Notifications - Console",
                include_str!("assets/lab/form.html"),
            )
        },
    ),
    (
        "/lab/frame",
        Page::console(
            "Help Center - Console",
            include_str!("assets/lab/frame.html"),
        ),
    ),
    (
        "/lab/frame/articles",
        Page {
            body_class: "lab-embedded",
            embedded: true,
            scripts: &["articles.js"],
            ..Page::console("Help articles", include_str!("assets/lab/articles.html"))
        },
    ),
    (
        "/lab/docs",
        Page::console(
            "Documentation - Console",
            include_str!("assets/lab/docs.html"),
        ),
    ),
    (
        "/lab/mask",
        Page {
            body_class: "console-page lab-page mask-page",
            stylesheets: EDGE,
            scripts: &["params.js", "mask.js"],
            ..Page::console("Batch Jobs - Console", include_str!("assets/lab/mask.html"))
        },
    ),
    (
        "/lab/rerender",
        Page {
            stylesheets: EDGE,
            scripts: &["params.js", "rerender.js"],
            ..Page::console(
                "Instances - Console",
                include_str!("assets/lab/rerender.html"),
            )
        },
    ),
    (
        "/lab/toasts",
        Page {
            stylesheets: EDGE,
            scripts: &["params.js", "toasts.js"],
            // The page keeps its toasts in containers of its own; `lab.js` adds its region
            // only when it first shows one.
            toast_containers: &["toast-stack", "acme-flashes"],
            ..Page::console(
                "Notifications - Console",
                include_str!("assets/lab/toasts.html"),
            )
        },
    ),
    (
        "/lab/strict",
        Page {
            stylesheets: EDGE,
            scripts: &["strict.js"],
            ..Page::console(
                "Log Transfer - Console",
                include_str!("assets/lab/strict.html"),
            )
        },
    ),
    // Page code of every kind, for the failure.html saved from it to leave inert.
    (
        "/lab/hostile",
        Page::console(
            "Audit Log - Console",
            include_str!("assets/lab/hostile.html"),
        ),
    ),
];

pub fn routes() -> Router<AppState> {
    let mut router = Router::new().route("/lab", get(lab_home));
    for (path, lab_page) in &PAGES {
        router = router.route(path, get(|app| page(app, lab_page)));
    }
    // Under /assets rather than /lab, so that /lab holds the pages and nothing else.
    router.route("/assets/lab/{name}", get(asset))
}

/// A 302 on purpose (axum's `Redirect::to` answers 303): the lab's contract names it.
async fn lab_home() -> Response {
    (StatusCode::FOUND, [(header::LOCATION, "/lab/form")]).into_response()
}

async fn page(State(app): State<AppState>, lab_page: &'static Page) -> Response {
    reply("text/html; charset=utf-8", render(lab_page, &app.faults()))
}

/// Puts the page into the layout, then fills in the knobs the page's toasts and animations
/// follow. The knobs are read per request, so a page loaded after `PUT /api/_faults` uses the new
/// values, as console pages do after their next API answer.
///
/// The layout's lists and content each stand on a line of their own, which they replace whole,
/// so an empty list leaves no blank line behind.
fn render(page: &Page, faults: &Faults) -> String {
    let lines = |names: &[&str], line: fn(&str) -> String| {
        names.iter().map(|name| line(name)).collect::<String>()
    };
    frame(LAYOUT, !page.embedded)
        .replace("{{title}}", page.title)
        .replace("{{body_class}}", page.body_class)
        .replace(
            "{{stylesheets}}\n",
            &lines(page.stylesheets, |name| {
                format!("<link rel=\"stylesheet\" href=\"/assets/lab/{name}\">\n")
            }),
        )
        .replace(
            "{{toast_containers}}\n",
            &lines(page.toast_containers, |class| {
                format!("<div class=\"{class}\"></div>\n")
            }),
        )
        .replace(
            "{{scripts}}\n",
            &lines(page.scripts, |name| {
                format!("<script src=\"/assets/lab/{name}\"></script>\n")
            }),
        )
        .replace("{{content}}\n", page.content)
        .replace("{{toast_ms}}", &faults.toast_ms.to_string())
        .replace("{{animation_ms}}", &faults.animation_ms.to_string())
}

/// The layout with its console frame (the lines between `{{#console}}` and `{{/console}}`) kept
/// for a console page and left out for an embedded one, the marker lines dropped either way.
fn frame(layout: &str, console: bool) -> String {
    let mut html = String::with_capacity(layout.len());
    let mut rest = layout;
    while let Some((before, section)) = rest.split_once("{{#console}}\n") {
        let (inside, after) = section
            .split_once("{{/console}}\n")
            .expect("each {{#console}} in the layout has its {{/console}}");
        html.push_str(before);
        if console {
            html.push_str(inside);
        }
        rest = after;
    }
    html.push_str(rest);
    html
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
    use crate::console::faults::Drift;

    fn knobs(toast_ms: u64, animation_ms: u64) -> Faults {
        Faults {
            latency_ms: 0,
            jitter_ms: 0,
            toast_ms,
            failure_rate: 0.0,
            animation_ms,
            drift: Drift::None,
        }
    }

    /// Every page as served, with the knobs at their defaults.
    fn served() -> impl Iterator<Item = (&'static str, String)> {
        PAGES
            .iter()
            .map(|(path, page)| (*path, render(page, &knobs(2000, 200))))
    }

    fn served_at(path: &str) -> String {
        let (_, page) = PAGES.iter().find(|(at, _)| *at == path).unwrap();
        render(page, &knobs(2000, 200))
    }

    #[test]
    fn pages_carry_the_knobs_and_nothing_left_unfilled() {
        for (_, page) in &PAGES {
            let html = render(page, &knobs(1234, 56));
            assert!(html.contains(r#"data-toast-ms="1234""#), "{html}");
            assert!(html.contains(r#"data-animation-ms="56""#), "{html}");
            assert!(html.contains("--anim: 56ms"), "{html}");
            assert!(!html.contains("{{"), "{html}");
        }
    }

    /// The layout is the one place for what every page has, so a page's file may not bring its
    /// own copy of it.
    #[test]
    fn page_files_hold_only_their_content() {
        for (path, page) in &PAGES {
            for chrome in [
                "<!doctype",
                "<html",
                "<head",
                "<body",
                "<link",
                "<script",
                "<noscript",
                "console-header",
                "toast-region",
            ] {
                // The hostile page's inline script is its point.
                if *path == "/lab/hostile" && chrome == "<script" {
                    continue;
                }
                assert!(!page.content.contains(chrome), "{path} has {chrome}");
            }
        }
    }

    #[test]
    fn each_page_is_one_whole_document() {
        for (path, html) in served() {
            assert!(
                html.starts_with("<!doctype html>\n<html lang=\"en\""),
                "{path}"
            );
            assert!(html.ends_with("</body>\n</html>\n"), "{path}");
            for tag in [
                "<head>",
                "<title>",
                "<body ",
                "<main ",
                "</main>",
                "<noscript>",
            ] {
                assert_eq!(html.matches(tag).count(), 1, "{path}: {tag}");
            }
            // No slot left on a blank line of its own.
            assert!(!html.contains("\n\n<"), "{path}");
        }
    }

    /// The help articles sit in the help center's iframe, inside the console frame already.
    #[test]
    fn only_console_pages_have_the_console_frame() {
        for (path, html) in served() {
            let embedded = path == "/lab/frame/articles";
            for frame in [
                "<link rel=\"icon\" type=\"image/svg+xml\" href=\"/assets/favicon.svg\">",
                "<header class=\"console-header\">",
                "<div class=\"console-body\">\n<main class=\"console-main\" id=\"main\">\n",
                "</main>\n</div>\n",
            ] {
                assert_eq!(html.contains(frame), !embedded, "{path}: {frame}");
            }
        }
        let articles = served_at("/lab/frame/articles");
        assert!(articles.contains("<body class=\"lab-embedded\">\n<main class=\"articles\">\n"));
        assert!(articles.contains("</main>\n<div class=\"toast-region\"></div>\n"));
    }

    #[test]
    fn pages_load_only_embedded_assets() {
        for (path, html) in served() {
            for asset in [
                "<link rel=\"stylesheet\" href=\"/assets/console.css\">\n\
                 <link rel=\"stylesheet\" href=\"/assets/lab/lab.css\">\n",
                "<script src=\"/assets/lab/lab.js\"></script>",
            ] {
                assert!(html.contains(asset), "{path}: {asset}");
            }
            assert!(
                !html.contains("http://") && !html.contains("https://"),
                "{path}"
            );
        }
        // Nothing may be fetched from outside the console.
        for asset in [
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
        ] {
            assert!(!asset.contains("http://") && !asset.contains("https://"));
        }
    }

    /// The newer pages' scripts build on `window.lab`, so each comes after what it uses.
    #[test]
    fn the_newer_pages_load_their_scripts_in_order() {
        for (path, scripts) in [
            ("/lab/mask", ["lab.js", "params.js", "mask.js"].as_slice()),
            ("/lab/rerender", &["lab.js", "params.js", "rerender.js"]),
            ("/lab/toasts", &["lab.js", "params.js", "toasts.js"]),
            ("/lab/strict", &["lab.js", "strict.js"]),
        ] {
            let html = served_at(path);
            assert!(
                html.contains("<link rel=\"stylesheet\" href=\"/assets/lab/edge.css\">\n</head>")
            );
            let at = |script: &str| {
                let tag = format!("<script src=\"/assets/lab/{script}\"></script>");
                html.find(&tag)
                    .unwrap_or_else(|| panic!("{path}: no {tag}"))
            };
            for pair in scripts.windows(2) {
                assert!(
                    at(pair[0]) < at(pair[1]),
                    "{path}: {} before {}",
                    pair[0],
                    pair[1]
                );
            }
        }
    }
}

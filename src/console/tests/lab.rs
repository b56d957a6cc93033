//! HTTP-level tests of the lab pages: they answer without a login, carry
//! every label the end-to-end tests rely on, and follow the toast knobs.

use super::*;

/// A lab page's HTML: answered without a session, revalidated on every use.
async fn lab_page(addr: SocketAddr, path: &str) -> String {
    let reply = request(addr, "GET", path, None, None).await;
    assert_eq!(reply.status, 200, "GET {path}: {}", reply.body);
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("text/html"),
        "{path}"
    );
    assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
    reply.body
}

fn assert_contains_all(html: &str, needles: &[&str]) {
    for needle in needles {
        assert!(html.contains(needle), "missing {needle:?}");
    }
}

#[tokio::test]
async fn lab_pages_need_no_login_and_lab_root_redirects() {
    let console = console().await;
    let addr = console.addr();
    let root = request(addr, "GET", "/lab", None, None).await;
    assert_eq!(root.status, 302);
    assert_eq!(root.header("location"), Some("/lab/form"));
    for path in [
        "/lab/form",
        "/lab/frame",
        "/lab/frame/articles",
        "/lab/docs",
    ] {
        let html = lab_page(addr, path).await;
        assert!(html.contains("/assets/lab/lab.js"), "{path}");
        assert!(html.contains("<div class=\"toast-region\">"), "{path}");
    }
    for (path, kind) in [
        ("/assets/lab/lab.css", "text/css"),
        ("/assets/lab/lab.js", "text/javascript"),
        ("/assets/lab/form.js", "text/javascript"),
        ("/assets/lab/articles.js", "text/javascript"),
    ] {
        let asset = request(addr, "GET", path, None, None).await;
        assert_eq!(asset.status, 200, "{path}");
        assert!(asset.header("content-type").unwrap().starts_with(kind));
    }
    console.shutdown().await;
}

#[tokio::test]
async fn the_lab_form_carries_the_contract_labels() {
    let console = console().await;
    let html = lab_page(console.addr(), "/lab/form").await;
    assert_contains_all(
        &html,
        &[
            "<title>Alarm Notifications - Console</title>",
            "<h1 class=\"page-title\">Alarm Notifications</h1>",
            "data-testid=\"load-count\"",
            "<p>Reference: <span data-testid=\"reference\"></span></p>",
            "<label for=\"notification-name\">Notification Name</label>",
            "placeholder=\"Enter a name\" data-testid=\"notification-name\"",
            "<label for=\"description\">Description</label>",
            "<textarea id=\"description\"",
            "placeholder=\"Describe the alarm\"",
            "<label for=\"severity\">Severity</label>",
            "<select id=\"severity\"",
            "<option>Critical</option>",
            "<option>High</option>",
            "<option selected>Medium</option>",
            "<option>Low</option>",
            "<label id=\"region-label\" for=\"region\">Region</label>",
            "role=\"combobox\" aria-haspopup=\"listbox\" aria-expanded=\"false\" aria-labelledby=\"region-label\"",
            "<span class=\"select-value\">CN North-Beijing4</span>",
            "<input type=\"checkbox\" id=\"send-email\" name=\"email\"> Send email</label>",
            "role=\"checkbox\" aria-checked=\"false\" tabindex=\"0\" aria-labelledby=\"send-sms-label\"",
            "<span id=\"send-sms-label\" class=\"check-text\">Send SMS</span>",
            "role=\"switch\" id=\"enable-notification\" aria-checked=\"true\" aria-labelledby=\"enable-label\"",
            ">Enable notification</label>",
            "id=\"save\" disabled>Save</button>",
            ">Reset</button>",
            ">Rename</button>",
            ">Show tip</button>",
            "<dl data-testid=\"summary\"",
            "<p role=\"status\" aria-live=\"polite\" data-testid=\"status\"></p>",
            "aria-haspopup=\"menu\"",
            ">More</button>",
            "<button type=\"button\" role=\"menuitem\" class=\"menu-item\">Export</button>",
            "<button type=\"button\" role=\"menuitem\" class=\"menu-item\">Import</button>",
            "<caption>Notification list</caption>",
            "<th scope=\"col\">Name</th><th scope=\"col\">Type</th><th scope=\"col\">Operation</th>",
            "<td class=\"name-cell\">alarm-1</td><td>Email</td>",
            "<td class=\"name-cell\">alarm-2</td><td>SMS</td>",
            "<td class=\"name-cell\">alarm-3</td><td>Email</td>",
            "<h2 class=\"card-title\" id=\"recipients-title\">Recipients</h2>",
            "data-status=\"Recipient added\">Add</button>",
            "<h2 class=\"card-title\">Rules</h2>",
            "data-status=\"Rule added\">Add</button>",
            "<label for=\"search\">Search</label>",
            "type=\"search\" class=\"input\" placeholder=\"Search notifications\"",
            ">Check connection</button>",
            ">Show delayed message</button>",
            "<a href=\"/lab/frame\">Help center</a>",
            "<a href=\"/lab/docs\" target=\"_blank\">Open documentation</a>",
        ],
    );
    assert_eq!(html.matches(">Edit</button>").count(), 3);
    assert_eq!(html.matches(">Delete</button>").count(), 3);
    // The texts the script writes (dialogs, toasts, statuses) are in the script.
    let script = request(console.addr(), "GET", "/assets/lab/form.js", None, None)
        .await
        .body;
    assert_contains_all(
        &script,
        &[
            "'This console uses cookies.'",
            "'Accept cookies'",
            "'aria-label': 'Cookie notice'",
            "'Loaded 1 time'",
            "`Loaded ${loads} times`",
            "'CN East-Shanghai1', 'CN South-Guangzhou', 'CN-Hong Kong'",
            "'Operation successfully!'",
            "'Operation failed.'",
            "'Draft saved'",
            "confirm('Reset all fields?')",
            "'Fields reset.'",
            "'Reset cancelled'",
            "prompt('New notification name', name.value)",
            "`Renamed to ${answer}`",
            "'Rename cancelled'",
            "alert('Names must be unique.')",
            "'Tip shown'",
            "`Editing ${alarm}`",
            "`Deleted ${alarm}`",
            "`Renaming ${cell.textContent}`",
            "`Results for ${search.value}`",
            "'Connection failed' : 'Connected'",
            "'Ready'",
        ],
    );
    console.shutdown().await;
}

#[tokio::test]
async fn the_lab_help_center_and_docs_carry_the_contract_labels() {
    let console = console().await;
    let addr = console.addr();
    assert_contains_all(
        &lab_page(addr, "/lab/frame").await,
        &[
            "<title>Help Center - Console</title>",
            "<h1 class=\"page-title\">Help Center</h1>",
            ">Search the help articles below.</p>",
            "<a href=\"/lab/form\">Back to notifications</a>",
            "<iframe name=\"help\" title=\"Help articles\" src=\"/lab/frame/articles\" style=\"width: 100%; height: 400px\"",
            "data-status=\"Outer search\">Search</button>",
            "data-testid=\"status\"",
        ],
    );
    assert_contains_all(
        &lab_page(addr, "/lab/frame/articles").await,
        &[
            "<title>Help articles</title>",
            "<label for=\"help-query\">Search help</label>",
            ">Search</button>",
            ">Rate this page</button>",
        ],
    );
    let script = request(addr, "GET", "/assets/lab/articles.js", None, None)
        .await
        .body;
    assert_contains_all(
        &script,
        &[
            "'Type a keyword' : '2 articles found'",
            "'Thanks for your feedback'",
        ],
    );
    assert_contains_all(
        &lab_page(addr, "/lab/docs").await,
        &[
            "<title>Documentation - Console</title>",
            "<h1 class=\"page-title\">Tracker documentation</h1>",
            ">A tracker records operations on cloud resources.</p>",
            "data-status=\"Marked as read\">Mark as read</button>",
            "data-testid=\"status\"",
        ],
    );
    console.shutdown().await;
}

#[tokio::test]
async fn lab_pages_follow_the_toast_knobs() {
    let console = console().await;
    let addr = console.addr();
    let html = lab_page(addr, "/lab/form").await;
    assert!(html.contains("data-toast-ms=\"2000\" data-animation-ms=\"200\""));
    let changed = request(
        addr,
        "PUT",
        "/api/_faults",
        None,
        Some(json!({"toast_ms": 700, "animation_ms": 50})),
    )
    .await;
    assert_eq!(changed.status, 200);
    let html = lab_page(addr, "/lab/frame/articles").await;
    assert!(html.contains("data-toast-ms=\"700\" data-animation-ms=\"50\""));
    assert!(html.contains("--anim: 50ms"));
    console.shutdown().await;
}

#[tokio::test]
async fn unknown_lab_paths_are_not_found() {
    let console = console().await;
    let addr = console.addr();
    for path in [
        "/lab/",
        "/lab/nothing",
        "/lab/form/",
        "/lab/form/extra",
        "/lab/frame/other",
        "/lab/docs/x",
        "/assets/lab/nope.js",
        "/assets/lab/form.html",
    ] {
        let reply = request(addr, "GET", path, None, None).await;
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.body, "Not Found", "{path}");
    }
    console.shutdown().await;
}

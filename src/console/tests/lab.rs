//! HTTP-level tests of the lab pages: they answer without a login, carry
//! every label and marker the end-to-end tests rely on, and follow the toast
//! knobs. What the pages do in a browser (timings, rebuilt rows, shadow
//! roots) is the end-to-end tests' to check; here the scripts are only read
//! for the texts and query parameters they promise.

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
        "/lab/mask",
        "/lab/rerender",
        "/lab/strict",
        "/lab/hostile",
    ] {
        let html = lab_page(addr, path).await;
        assert!(html.contains("/assets/lab/lab.js"), "{path}");
        assert!(html.contains("<div class=\"toast-region\">"), "{path}");
    }
    // The notifications page keeps its toasts in a stack of its own.
    let html = lab_page(addr, "/lab/toasts").await;
    assert!(html.contains("/assets/lab/lab.js"));
    assert!(!html.contains("toast-region"));
    for (path, kind) in [
        ("/assets/lab/lab.css", "text/css"),
        ("/assets/lab/edge.css", "text/css"),
        ("/assets/lab/lab.js", "text/javascript"),
        ("/assets/lab/params.js", "text/javascript"),
        ("/assets/lab/form.js", "text/javascript"),
        ("/assets/lab/articles.js", "text/javascript"),
        ("/assets/lab/mask.js", "text/javascript"),
        ("/assets/lab/rerender.js", "text/javascript"),
        ("/assets/lab/toasts.js", "text/javascript"),
        ("/assets/lab/strict.js", "text/javascript"),
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
            "<header class=\"console-header\">",
            "<h1 class=\"page-title\">Help Center</h1>",
            ">Search the help articles below.</p>",
            "<a href=\"/lab/form\">Back to notifications</a>",
            "<iframe name=\"help\" title=\"Help articles\" src=\"/lab/frame/articles\" style=\"width: 100%; height: 400px\"",
            "data-status=\"Outer search\">Search</button>",
            "data-testid=\"status\"",
        ],
    );
    let articles = lab_page(addr, "/lab/frame/articles").await;
    assert_contains_all(
        &articles,
        &[
            "<title>Help articles</title>",
            "<body class=\"lab-embedded\">",
            "<label for=\"help-query\">Search help</label>",
            ">Search</button>",
            ">Rate this page</button>",
        ],
    );
    // Framed inside the help center, the articles go without a console header of their own.
    assert!(!articles.contains("console-header"));
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

/// A lab asset's text.
async fn lab_asset(addr: SocketAddr, path: &str) -> String {
    let reply = request(addr, "GET", path, None, None).await;
    assert_eq!(reply.status, 200, "GET {path}");
    reply.body
}

#[tokio::test]
async fn the_lab_mask_page_carries_the_contract_markers() {
    let console = console().await;
    let addr = console.addr();
    assert_contains_all(
        &lab_page(addr, "/lab/mask").await,
        &[
            "<title>Batch Jobs - Console</title>",
            "<h1 class=\"page-title\">Batch Jobs</h1>",
            "<button class=\"btn btn-primary\">Submit</button>",
            "<p data-testid=\"submits\">Submitted 0 times</p>",
            "<p data-testid=\"mask-clicks\">Clicks on the mask: 0</p>",
            "<p data-testid=\"drawer-status\"></p>",
            ">Reload data</button>",
            ">Open drawer</button>",
            "<label for=\"job-name\">Job name</label>",
            "<input id=\"job-name\" readonly value=\"nightly\">",
            ">Unlock</button>",
        ],
    );
    assert_contains_all(
        &lab_asset(addr, "/assets/lab/mask.js").await,
        &[
            "ms('mask', 1000, { words: { forever: Infinity } })",
            "ms('slide', 600)",
            "ms('unlock', 500)",
            "h('div', { class: 'loading-mask' }",
            "'Loading…'",
            "`Clicks on the mask: ${maskClickCount}`",
            "`Submitted ${submitCount} ${submitCount === 1 ? 'time' : 'times'}`",
            "toast('success', 'Job submitted')",
            "h('aside', { class: 'drawer', role: 'dialog', 'aria-label': 'Job details' }",
            "'Confirm'",
            "'transitionend'",
            "settled ? 'Confirmed' : 'Clicked while moving'",
            "removeAttribute('readonly')",
        ],
    );
    // The mask covers the whole viewport, the header included.
    let css = lab_asset(addr, "/assets/lab/edge.css").await;
    assert!(css.contains(".mask-page .loading-mask { inset: 0;"));
    console.shutdown().await;
}

#[tokio::test]
async fn the_lab_rerender_page_carries_the_contract_markers() {
    let console = console().await;
    let addr = console.addr();
    assert_contains_all(
        &lab_page(addr, "/lab/rerender").await,
        &[
            "<title>Instances - Console</title>",
            "<h1 class=\"page-title\">Instances</h1>",
            "<table class=\"table\"",
            "<tr><th>Name</th><th>Status</th><th>Operation</th></tr>",
            "<p data-testid=\"opened\">Opened: </p>",
            ">Pause</button>",
        ],
    );
    assert_contains_all(
        &lab_asset(addr, "/assets/lab/rerender.js").await,
        &[
            "['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']",
            "ms('every', 40, { min: 1 })",
            "flag('shuffle', true)",
            "'Running'",
            "open.className = 'btn-link'",
            "open.textContent = 'Open'",
            "`Opened: ${log.join(', ')}`",
            "'Pause'",
            "'Resume'",
        ],
    );
    console.shutdown().await;
}

#[tokio::test]
async fn the_lab_toasts_page_carries_the_contract_markers() {
    let console = console().await;
    let addr = console.addr();
    let html = lab_page(addr, "/lab/toasts").await;
    assert_contains_all(
        &html,
        &[
            "<title>Notifications - Console</title>",
            "<h1 class=\"page-title\">Notifications</h1>",
            ">Fire 100 toasts</button>",
            ">Shadow toast</button>",
            ">Nested shadow toast</button>",
            ">Text-only toast</button>",
            ">Slow error</button>",
            ">Counter</button>",
            ">Custom notice</button>",
            ">Custom failure</button>",
            ">Slow fade</button>",
            "<p data-testid=\"burst\"></p>",
            "<p data-testid=\"counter\">Count: 0</p>",
            "<div class=\"live-region\" aria-live=\"polite\" data-testid=\"live\"></div>",
            "<div class=\"toast-stack\"></div>",
            "<div class=\"acme-flashes\"></div>",
        ],
    );
    // The shadow hosts come with the clicks, not with the page.
    assert!(!html.contains("<docent-"));
    let script = lab_asset(addr, "/assets/lab/toasts.js").await;
    assert_contains_all(
        &script,
        &[
            "ms('life', 50)",
            "ms('gap', 10)",
            "ms('delay', 300)",
            "BURST_SIZE = 100",
            "div('toast toast-success', `Toast ${String(shown).padStart(3, '0')}`)",
            "'Burst done'",
            "customElements.define('docent-notifier', Notifier)",
            "customElements.define('docent-panel', Panel)",
            "attachShadow({ mode: 'open' })",
            "div('toast', text, 'status')",
            "'Saved in the shadow'",
            "'Deep in the shadow'",
            "live.textContent = 'Export started'",
            "div('toast toast-error', 'Quota exceeded', 'alert'), ERROR_MS",
            "`Count: ${count}`",
            // No role argument: the flash messages carry no role.
            "div('acme-flash', 'Flash saved'), FLASH_MS",
            "div('acme-flash acme-flash--bad', 'Flash failed'), FLASH_MS",
        ],
    );
    console.shutdown().await;
}

#[tokio::test]
async fn the_lab_strict_page_carries_the_contract_markers() {
    let console = console().await;
    let addr = console.addr();
    let html = lab_page(addr, "/lab/strict").await;
    assert_contains_all(
        &html,
        &[
            "<title>Log Transfer - Console</title>",
            "<h1 class=\"page-title\">Log Transfer</h1>",
            "<tr><th>Log Group</th><th>Status</th><th>Operation</th></tr>",
            "<tr><td>system</td>",
            "<tr><td>audit</td>",
            "<p data-testid=\"status\"></p>",
            "<div role=\"tablist\">",
            "role=\"tab\" id=\"tab-general\" aria-selected=\"true\"",
            ">General</button>",
            "role=\"tab\" id=\"tab-advanced\" aria-selected=\"false\"",
            ">Advanced</button>",
            "data-status=\"Exported from General\">Export</button>",
            "data-status=\"Exported from Advanced\">Export</button>",
            "<template><button>Export</button></template>",
            "<label for=\"project\">Project name</label> <input id=\"project\">",
            "<label>Owner <input name=\"owner\"></label>",
            "<span id=\"desc-label\">Description</span> <textarea aria-labelledby=\"desc-label\"></textarea>",
            "<input aria-label=\"Search log groups\" type=\"search\">",
            "<div class=\"form-item\"><div class=\"form-item__label\">Retention days</div><div class=\"form-item__control\"><input type=\"number\" value=\"7\"></div></div>",
            "<table class=\"form-table\"><tr><th>Notify email</th><td><input type=\"email\"></td></tr></table>",
            "<div class=\"form-item\"><div class=\"form-item__label\">Transfer to LTS</div><div class=\"form-item__control\"><label class=\"switch\"><input type=\"checkbox\" class=\"switch__input\"><span class=\"switch__track\"><span class=\"switch__thumb\"></span></span></label></div></div>",
            "<p data-testid=\"lts-state\">Transfer to LTS is off</p>",
            "<label><input type=\"checkbox\" name=\"agree\"> I agree to the terms</label>",
            "<button class=\"btn\" aria-disabled=\"true\">Publish</button>",
        ],
    );
    assert_eq!(
        html.matches("<td><button class=\"btn-link\">Configure</button></td>")
            .count(),
        2
    );
    assert_eq!(html.matches("role=\"tabpanel\"").count(), 2);
    assert_eq!(
        html.matches("role=\"tabpanel\" id=\"panel-advanced\"")
            .count(),
        1
    );
    assert!(html.contains("aria-labelledby=\"tab-advanced\" class=\"tab-panel\" hidden>"));
    // A role="status" line would count as a toast on this page.
    assert!(!html.contains("role=\"status\""));
    assert_contains_all(
        &lab_asset(addr, "/assets/lab/strict.js").await,
        &[
            "`Configuring ${button.closest('tr').cells[0].textContent}`",
            "`Transfer to LTS is ${lts.checked ? 'on' : 'off'}`",
            "lts.addEventListener('change', showLts)",
            "publish.removeAttribute('aria-disabled')",
            "publish.setAttribute('aria-disabled', 'true')",
            "if (publish.getAttribute('aria-disabled') === 'true') return;",
            "status('Published')",
        ],
    );
    // The switch's real input takes no room and cannot be seen.
    let css = lab_asset(addr, "/assets/lab/edge.css").await;
    assert!(css.contains(
        ".switch__input { position: absolute; width: 0; height: 0; margin: 0; opacity: 0; }"
    ));
    assert!(css.contains("width: 44px;\n  height: 22px;"));
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
        "/lab/mask/",
        "/lab/toasts/x",
        "/assets/lab/mask.html",
        "/assets/lab/params",
        "/assets/lab/nope.js",
        "/assets/lab/form.html",
    ] {
        let reply = request(addr, "GET", path, None, None).await;
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.body, "Not Found", "{path}");
    }
    console.shutdown().await;
}

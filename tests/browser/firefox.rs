//! Firefox: the real `docent` binary runs with `--browser firefox`
//! (Debian's firefox-esr through geckodriver, which `make firefox-deps`
//! installs) against the simulated console. The shipped seed runbook must
//! pass with all six figures at the viewport's exact size, with toasts that
//! live 40 ms still seen, and match its Firefox baselines; the lab tour,
//! which uses every kind of step (frames, dialogs, windows, keys, hover),
//! must pass as it does on Chromium; a step that waits while the page
//! navigates away must see the new page in both browsers; a toast that a page shows and removes while it is
//! still loading must be seen in both browsers, which only a script that
//! runs before the page's own can do (CDP's new-document script on
//! Chromium, WebDriver BiDi's preload script on Firefox); and nothing of
//! the run may be left behind.
//!
//! Under `CI` a missing Firefox or geckodriver fails the test; locally it
//! skips loudly.

use crate::common::{
    Harness, assert_six_figures, browser_available, processes_after, temp_folders, text,
};
use crate::visual::{SEED, results, visuals};
use docent::console;
use std::path::Path;
use std::path::PathBuf;

const SHIPPED: &str = include_str!("../../runbooks/mtd-create-tracker.yaml");

/// Firefox and geckodriver where docent looks for them by default, or a
/// loud skip (a failure under `CI`).
pub(crate) fn firefox_available() -> bool {
    let geckodriver = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|cargo| cargo.join("bin/geckodriver"));
    let have = std::path::Path::new("/usr/lib/firefox-esr/firefox-esr").exists()
        && geckodriver.is_some_and(|g| g.exists());
    if have {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("Firefox or geckodriver is missing under CI: run `make firefox-deps`");
    }
    eprintln!(
        "\n\n*** SKIPPED: firefox-esr or geckodriver is not installed; `make firefox-deps` installs both ***\n"
    );
    false
}

#[tokio::test(flavor = "multi_thread")]
async fn the_seed_runbook_passes_on_firefox_with_every_figure_and_every_toast() {
    if !firefox_available() {
        return;
    }
    // Toasts vanish long before a step can poll for them: the recorder
    // that BiDi installed in every document must have noted each one.
    let h = Harness::with(console::Config {
        toast_ms: 40,
        animation_ms: 0,
        ..console::Config::default()
    })
    .await;
    let started = h.start(SHIPPED, &["--browser", "firefox", "--json"]).await;
    let pid = started.pid;
    let (status, printed) = started.finish().await;
    assert!(status.success(), "{printed}");
    assert_six_figures(&h.out());
    let results: serde_json::Value =
        serde_json::from_slice(&std::fs::read(h.out().join("results.json")).unwrap()).unwrap();
    assert_eq!(results["status"], "passed", "{results:#}");
    assert_eq!(results["counts"]["passed"], 43, "{results:#}");
    // Each of the runbook's three `expect_toast` steps passed on a toast
    // the recorder saw, though none lived past 40 ms.
    let toasts = printed
        .lines()
        .filter(|line| {
            line.contains(r#""event":"step_finished""#)
                && line.contains(r#""keyword":"expect_toast""#)
                && line.contains(r#""status":"passed""#)
        })
        .count();
    assert_eq!(toasts, 3, "{printed}");
    assert!(
        processes_after(pid).await.is_empty(),
        "Firefox or geckodriver outlived the run"
    );
    assert!(temp_folders(pid).is_empty(), "the run's TMPDIR is gone");
    h.console.shutdown().await;
}

/// A page that shows a toast as it starts to load and removes it before
/// its `DOMContentLoaded` is over: a helper installed once the page has
/// loaded never sees it.
const LOAD_TOAST_PAGE: &str = r#"<!doctype html>
<html><head><title>Import</title>
<style>.toast { position: fixed; top: 16px; right: 16px; padding: 8px 16px; background: #e8f5e9; }</style>
<script>
  const toast = document.createElement('div');
  toast.className = 'toast';
  toast.setAttribute('role', 'status');
  toast.textContent = 'Import finished while the page loaded';
  document.documentElement.appendChild(toast);
  document.addEventListener('DOMContentLoaded', () => toast.remove());
</script>
</head><body><h1>Imports</h1><p>Nothing to import.</p></body></html>
"#;

const LOAD_TOAST_RUNBOOK: &str = r#"name: A toast shown while the page loads
url: http://127.0.0.1:1
steps:
  - goto: /libs/imports/
  - expect: Nothing to import.
  - expect_toast: Import finished while the page loaded
"#;

/// A simulated console that also serves `pages` (path, HTML) under
/// `/libs/`, and the folder they are in (removed when dropped).
async fn console_serving(pages: &[(&str, &str)]) -> (tempfile::TempDir, Harness) {
    let libs = tempfile::tempdir().unwrap();
    for (path, html) in pages {
        let file = libs.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, html).unwrap();
    }
    let h = Harness::with(console::Config {
        libs: Some(libs.path().to_path_buf()),
        ..console::Config::default()
    })
    .await;
    (libs, h)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_toast_shown_while_the_page_loads_is_seen_in_both_browsers() {
    if !browser_available() || !firefox_available() {
        return;
    }
    let (_libs, h) = console_serving(&[("imports/index.html", LOAD_TOAST_PAGE)]).await;
    let path = h.write("load-toast.yaml", LOAD_TOAST_RUNBOOK);
    for browser in ["chromium", "firefox"] {
        let output = h.run(&path, &["--browser", browser]).await;
        let printed = text(&output);
        assert!(output.status.success(), "{browser}: {printed}");
        assert!(
            printed
                .lines()
                .any(|line| line.trim_start().starts_with('✓')
                    && line.contains(r#"expect toast "Import finished while the page loaded""#)),
            "{browser}: {printed}"
        );
    }
    h.console.shutdown().await;
}

/// Firefox has baselines of its own (`baselines/mtd-create-tracker/firefox/`,
/// no two browsers draw text alike): two runs in a row match them to the
/// pixel, and a console whose status dot drifted to another green fails at
/// the figure showing it, with that one small region.
#[tokio::test(flavor = "multi_thread")]
async fn the_seed_runbook_matches_its_firefox_baselines_and_a_drift_is_caught() {
    if !firefox_available() {
        return;
    }
    let h = Harness::with(console::Config {
        latency_ms: 0,
        ..console::Config::default()
    })
    .await;
    let args = ["--browser", "firefox", "--compare", "--ci"];
    for run in 1..=2 {
        let output = h.run(Path::new(SEED), &args).await;
        let printed = text(&output);
        assert!(output.status.success(), "run {run}:\n{printed}");
        let compared = visuals(&results(&h));
        assert_eq!(compared.len(), 6, "run {run}: six compared figures");
        for visual in &compared {
            assert_eq!(visual["outcome"], "matched", "run {run}: {visual}");
            assert_eq!(visual["changed_pixels"], 0, "run {run}: {visual}");
            let baseline = visual["baseline"].as_str().unwrap();
            assert!(baseline.contains("/firefox/"), "{baseline}");
        }
    }
    h.console.shutdown().await;

    let h = Harness::with(console::Config {
        latency_ms: 0,
        drift: console::Drift::Colour,
        ..console::Config::default()
    })
    .await;
    let output = h.run(Path::new(SEED), &args).await;
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    let results = results(&h);
    let failure = &results["failure"];
    assert_eq!(failure["kind"], "visual", "{failure}");
    assert_eq!(failure["line"], 53, "{failure}");
    let visual = visuals(&results).pop().expect("the compared figure");
    assert_eq!(visual["outcome"], "differs", "{visual}");
    let regions = visual["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 1, "{visual}");
    // The 8-pixel dot, its anti-aliased rim forgiven.
    assert!(
        regions[0]["width"].as_u64().unwrap() <= 10 && regions[0]["height"].as_u64().unwrap() <= 10,
        "{visual}"
    );
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_lab_tour_uses_every_step_kind_and_passes_on_firefox() {
    if !firefox_available() {
        return;
    }
    let h = Harness::new().await;
    crate::steps::run_the_lab_tour(&h, &["--browser", "firefox"]).await;
    h.console.shutdown().await;
}

/// A page that navigates 300 ms after a click, by script.
const NAVIGATING_PAGE: &str = r#"<!doctype html>
<html><head><title>Jobs</title></head><body>
<h1>Jobs</h1><button type="button" id="go">Open report</button>
<script>
  document.getElementById('go').addEventListener('click',
    () => setTimeout(() => { location.href = 'report.html'; }, 300));
</script></body></html>
"#;

const REPORT_PAGE: &str = "<!doctype html><html><head><title>Report</title></head>\
    <body><h1>Report</h1><p>All jobs finished.</p></body></html>\n";

const NAVIGATING_RUNBOOK: &str = r#"name: A page that navigates while a step waits
url: http://127.0.0.1:1
steps:
  - goto: /libs/jobs/
  - click: Open report
  - expect_url: { contains: /report.html }
  - expect: All jobs finished.
"#;

/// With `--poll 2s` the `expect_url` step's page call is still waiting for
/// the page's next change when the document goes away; geckodriver then
/// answers "Document was unloaded" (or `null`), and the call must be made
/// again in the new document rather than end the run.
#[tokio::test(flavor = "multi_thread")]
async fn a_step_waiting_while_the_page_navigates_sees_the_new_page_in_both_browsers() {
    if !browser_available() || !firefox_available() {
        return;
    }
    let (_libs, h) = console_serving(&[
        ("jobs/index.html", NAVIGATING_PAGE),
        ("jobs/report.html", REPORT_PAGE),
    ])
    .await;
    let path = h.write("navigating.yaml", NAVIGATING_RUNBOOK);
    for browser in ["chromium", "firefox"] {
        let output = h.run(&path, &["--browser", browser, "--poll", "2s"]).await;
        let printed = text(&output);
        assert!(output.status.success(), "{browser}: {printed}");
    }
    h.console.shutdown().await;
}

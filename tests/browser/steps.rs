//! End-to-end tests of the step vocabulary: `runbooks/lab-tour.yaml` uses
//! every kind of step against the simulated console's lab pages (forms,
//! dropdowns, checkboxes, keys, hover menus, native dialogs, an iframe, a
//! second tab), and the tests below check how steps fail: strict targets,
//! dialogs left open, things that must stay absent, includes.

use crate::common::{Harness, browser_available, position, text};

const TOUR: &str = include_str!("../../runbooks/lab-tour.yaml");

fn png_size(path: &std::path::Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[1..4], b"PNG", "{} is not a PNG", path.display());
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

/// A runbook of `steps` on the lab form page.
pub fn on_form(steps: &str) -> String {
    format!("name: lab check\nurl: http://127.0.0.1:8480\nsteps:\n  - goto: /lab/form\n{steps}")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_lab_tour_uses_every_step_kind_and_passes() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    run_the_lab_tour(&h, &[]).await;
    h.console.shutdown().await;
}

/// Runs the lab tour with `extra` arguments (a browser) and checks that
/// every step kind did what it says and the three figures have their sizes.
pub(crate) async fn run_the_lab_tour(h: &Harness, extra: &[&str]) {
    let path = h.write("lab-tour.yaml", TOUR);
    let output = h.run(&path, extra).await;
    let printed = text(&output);
    assert!(output.status.success(), "{printed}");
    assert!(
        printed.contains("86 passed, 2 tolerated, 1 skipped"),
        "{printed}"
    );
    // Conditions, retries and optional parts did what they say.
    assert!(
        printed.contains("retrying section 7 (attempt 2 of 2)"),
        "{printed}"
    );
    assert!(
        printed.contains("section 8 failed but is optional"),
        "{printed}"
    );
    assert!(
        printed.contains("(skipped: not (\"Accept cookies\" is visible))"),
        "{printed}"
    );
    assert!(printed.contains("! 9 click \"Export all\""), "{printed}");
    assert!(printed.contains("switch to the new window"), "{printed}");
    // Every step keyword of the language appears in the tour.
    for step in docent::runbook::spec::STEPS {
        let keyword = step.keyword;
        if keyword == "sleep" {
            continue; // exercised below; the shipped tour has no fixed waits
        }
        assert!(
            TOUR.contains(&format!("- {keyword}:")) || TOUR.contains(&format!("- {keyword}\n")),
            "the lab tour does not use `{keyword}`"
        );
    }
    let out = h.out();
    assert_eq!(
        png_size(&out.join("01-notification-saved.png")),
        (1280, 800)
    );
    let (w, h_doc) = png_size(&out.join("02-documentation.png"));
    assert!(w <= 1280 && h_doc < 800, "element figure is {w}x{h_doc}");
    let (w, h_full) = png_size(&out.join("03-form-full-page.png"));
    assert_eq!(w, 1280);
    assert!(h_full >= 800, "full-page figure is {w}x{h_full}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ambiguous_target_lists_its_candidates_and_nth_narrows_it() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let source = on_form("  - click: Edit\n");
    let path = h.write("ambiguous.yaml", &source);
    let output = h.run(&path, &[]).await;
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    let (line, column) = position(&source, "click: Edit");
    assert!(
        printed.contains(&format!("ambiguous.yaml:{line}:{column}")),
        "{printed}"
    );
    assert!(
        printed.contains("3 matches; docent never guesses"),
        "{printed}"
    );
    assert!(printed.contains("`nth`"), "{printed}");
    assert_eq!(printed.matches("\"Edit\" at (").count(), 3, "{printed}");

    let path = h.write(
        "narrowed.yaml",
        &on_form("  - click: { text: Edit, nth: 2 }\n  - expect: { testid: status, has_text: Editing alarm-2 }\n"),
    );
    let output = h.run(&path, &[]).await;
    assert!(output.status.success(), "{}", text(&output));
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_native_dialog_left_open_fails_the_next_step_with_advice() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let source = on_form("  - click: Show tip\n  - click: Save\n");
    let path = h.write("dialog-open.yaml", &source);
    let output = h.run(&path, &[]).await;
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    let (line, _) = position(&source, "click: Save");
    assert!(
        printed.contains(&format!("dialog-open.yaml:{line}:")),
        "{printed}"
    );
    assert!(
        printed.contains("a native dialog \"Names must be unique.\" is open; answer it first with `- dialog: accept`"),
        "{printed}"
    );

    let source =
        on_form("  - click: Show tip\n  - dialog: { answer: accept, message: Names are free }\n");
    let path = h.write("dialog-message.yaml", &source);
    let output = h.run(&path, &[]).await;
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    assert!(
        printed.contains("the dialog says \"Names must be unique.\""),
        "{printed}"
    );
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn expect_absent_fails_when_the_text_shows_up() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let source =
        on_form("  - click: Show delayed message\n  - expect_absent: { text: Ready, for: 3s }\n");
    let path = h.write("absent.yaml", &source);
    let output = h.run(&path, &[]).await;
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    assert!(
        printed.contains("looked for: no \"Ready\" for 3.0s"),
        "{printed}"
    );
    assert!(
        printed.contains("found:      it appeared after"),
        "{printed}"
    );
    h.console.shutdown().await;
}

/// Runs `runbook` against the harness's console; a run that has not
/// ended after `seconds` is killed and fails the test.
async fn run_within(h: &Harness, runbook: &std::path::Path, seconds: u64) -> std::process::Output {
    let out = h.out();
    let run = crate::common::docent()
        .args(["run", runbook.to_str().unwrap(), "--url", &h.console.url()])
        .args(["--out", out.to_str().unwrap()])
        .kill_on_drop(true)
        .output();
    tokio::time::timeout(std::time::Duration::from_secs(seconds), run)
        .await
        .expect("the run ends")
        .expect("docent runs")
}

/// A pattern that backtracks without end against the page's text fails
/// at its timeout instead of holding the page (and the run) forever.
#[tokio::test(flavor = "multi_thread")]
async fn a_backtracking_regex_fails_at_its_timeout() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let long = format!("{}b", "a".repeat(40));
    let source = on_form(&format!(
        "  - fill: {{ placeholder: Search notifications, with: {long} }}\n  - press: Enter\n  - expect: {{ regex: \"^Results for (a+)+$\" }}\n    timeout: 2s\n"
    ));
    let path = h.write("backtrack.yaml", &source);
    // Not a measure of speed: without the fix the run never ends.
    let output = run_within(&h, &path, 120).await;
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    assert!(printed.contains("^Results for (a+)+$"), "{printed}");
    h.console.shutdown().await;
}

/// A page that never finishes loading fails its `goto` at the step's
/// timeout as a navigation failure; the browser is still usable, so a
/// later optional step's failure does not end the run as broken.
/// Before, the driver waited five minutes for the load.
#[tokio::test(flavor = "multi_thread")]
async fn a_page_that_never_loads_fails_its_goto_at_the_step_timeout() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    // A server that takes connections and never answers them.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    let held = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
        }
    });
    let source = format!(
        "name: never loads\nsteps:\n  - goto: /lab/form\n  - goto: http://127.0.0.1:{port}/\n    timeout: 2s\n    optional: true\n  - goto: /lab/form\n  - expect: Alarm Notifications\n"
    );
    let path = h.write("never-loads.yaml", &source);
    // Not a measure of speed: without the fix the run outlasts this.
    let output = run_within(&h, &path, 100).await;
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(0), "{printed}");
    assert!(
        printed.contains("it was still loading after 2."),
        "{printed}"
    );
    held.abort();
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_included_runbook_runs_as_a_section_with_its_variables() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    h.write(
        "name-it.yaml",
        "name: Name the notification\nvars: { alarm: default-name }\nsteps:\n  - fill: { label: Notification Name, with: \"${alarm}\" }\n",
    );
    let source = on_form(
        "  - run: name-it.yaml\n    vars: { alarm: from-include }\n  - expect: { label: Notification Name, value: from-include }\n  - sleep: 50ms\n",
    );
    let path = h.write("includer.yaml", &source);
    let output = h.run(&path, &[]).await;
    let printed = text(&output);
    assert!(output.status.success(), "{printed}");
    assert!(printed.contains("1. Name the notification"), "{printed}");
    assert!(
        printed.contains("fill label \"Notification Name\" with \"from-include\""),
        "{printed}"
    );
    assert!(printed.contains("sleep 50ms"), "{printed}");
    h.console.shutdown().await;
}

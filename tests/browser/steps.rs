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
fn on_form(steps: &str) -> String {
    format!("name: lab check\nurl: http://127.0.0.1:8480\nsteps:\n  - goto: /lab/form\n{steps}")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_lab_tour_uses_every_step_kind_and_passes() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let path = h.write("lab-tour.yaml", TOUR);
    let output = h.run(&path, &[]).await;
    let printed = text(&output);
    assert!(output.status.success(), "{printed}");
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
    h.console.shutdown().await;
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

/// A compared figure: the first run writes its baseline, the next one
/// matches it, and a run whose page shows other text fails with kind
/// `visual` and leaves the diff image beside the figure.
#[tokio::test(flavor = "multi_thread")]
async fn a_compared_figure_writes_its_baseline_then_matches_then_catches_a_change() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    // The field alone, its focus moved on so no caret blinks in it.
    let source = on_form(
        "  - fill: { label: Notification Name, with: \"${name}\" }\n  - press: Tab\n  - screenshot: { name: alarm-name, element: { testid: notification-name }, compare: true }\n",
    )
    .replace("steps:\n", "vars: { name: alarm-1 }\nsteps:\n");
    let path = h.write("visual.yaml", &source);
    let baseline = h.dir.path().join("baselines/visual/alarm-name.png");

    let first = h.run(&path, &[]).await;
    let printed = text(&first);
    assert!(first.status.success(), "{printed}");
    assert!(printed.contains("new baseline written"), "{printed}");
    assert!(baseline.exists(), "{printed}");

    let second = h.run(&path, &["--ci"]).await;
    let printed = text(&second);
    assert!(second.status.success(), "{printed}");
    assert!(!printed.contains("baseline written"), "{printed}");

    let changed = h
        .run(&path, &["--ci", "--var", "name=alarm-7 renamed"])
        .await;
    let printed = text(&changed);
    assert_eq!(changed.status.code(), Some(1), "{printed}");
    let results: serde_json::Value =
        serde_json::from_slice(&std::fs::read(h.out().join("results.json")).unwrap()).unwrap();
    let failure = &results["failure"];
    assert_eq!(failure["kind"], "visual", "{failure}");
    assert_eq!(
        failure["looked_for"],
        format!(
            "figure alarm-name to match its baseline {}",
            baseline.display()
        )
    );
    let found = failure["found"].as_str().unwrap();
    assert!(found.contains("pixels changed ("), "{found}");
    assert!(found.contains(" region"), "{found}");
    assert!(h.out().join("01-alarm-name.diff.png").exists(), "{found}");
    assert!(h.out().join("01-alarm-name.baseline.png").exists());
    h.console.shutdown().await;
}

/// Logs in, configures the tracker and cycles CTS threat detection, so the
/// Detection Result page lists the latest log of each source with the time
/// it was received, to the second: it differs from run to run.
const LATEST_LOGS: &str = "name: Latest logs
url: http://127.0.0.1:8480
secrets: [CONSOLE_PASSWORD]
steps:
  - goto: /login
  - fill: { label: IAM User Name, with: demo }
  - fill: { label: Password, with: \"${CONSOLE_PASSWORD}\" }
  - click: Log In
  - expect: { label: Service List }
  - goto: /console/cts/trackers
  - click: { text: Configure, row: system }
  - click: Next
  - toggle: { label: Transfer to LTS, to: on }
  - click: Next
  - click: { role: button, text: Configure }
  - expect_toast: Operation successfully!
  - goto: /console/mtd/settings
  - toggle: { label: Cloud Trace Service (CTS), to: off, confirm: OK }
  - expect_toast: Operation successfully!
  - toggle: { label: Cloud Trace Service (CTS), to: on }
  - expect_toast: Operation successfully!
  - goto: /console/mtd/result
  - expect: { contains: Threat detection is analysing }
  - screenshot: { name: latest-logs, compare: true, MASK }
";

/// An `ignore` mask keeps a time that changes from run to run out of the
/// comparison: the second run matches the first one's baseline with it,
/// and fails without it.
#[tokio::test(flavor = "multi_thread")]
async fn an_ignore_mask_keeps_a_changing_time_from_failing_the_comparison() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let masked = LATEST_LOGS.replace("MASK", "mask: { contains: \" GMT\", mode: ignore }");
    let path = h.write("latest-logs.yaml", &masked);

    let first = h.run(&path, &[]).await;
    let printed = text(&first);
    assert!(first.status.success(), "{printed}");
    assert!(printed.contains("new baseline written"), "{printed}");
    assert!(!printed.contains("matched nothing"), "{printed}");

    // Seconds later: the times on the page are others.
    let second = h.run(&path, &["--ci"]).await;
    let printed = text(&second);
    assert!(second.status.success(), "{printed}");
    assert!(!printed.contains("baseline"), "{printed}");

    let bare = LATEST_LOGS.replace(", MASK", "");
    h.write("latest-logs.yaml", &bare);
    let third = h.run(&path, &["--ci"]).await;
    let printed = text(&third);
    assert_eq!(third.status.code(), Some(1), "{printed}");
    let results: serde_json::Value =
        serde_json::from_slice(&std::fs::read(h.out().join("results.json")).unwrap()).unwrap();
    let failure = &results["failure"];
    assert_eq!(failure["kind"], "visual", "{failure}");
    assert!(
        failure["looked_for"]
            .as_str()
            .unwrap()
            .starts_with("figure latest-logs to match its baseline"),
        "{failure}"
    );
    // What changed is the time of each of the four sources, one region a row.
    let found = failure["found"].as_str().unwrap();
    assert!(found.contains(" in 4 regions: "), "{found}");
    h.console.shutdown().await;
}

/// `remove` and `hide` masks change the figure, and the page is put back
/// exactly as it was: a figure taken after them is the one taken before.
#[tokio::test(flavor = "multi_thread")]
async fn masks_change_only_their_figure_and_the_page_is_put_back() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let source = on_form(
        "  - expect: This console uses cookies.\n  - screenshot: before\n  - screenshot: { name: masked, mask: [{ text: This console uses cookies., mode: remove }, { testid: reference }, { testid: nowhere }] }\n  - expect: This console uses cookies.\n  - screenshot: after\n",
    );
    let path = h.write("masks.yaml", &source);
    let output = h.run(&path, &[]).await;
    let printed = text(&output);
    assert!(output.status.success(), "{printed}");
    assert!(
        printed.contains("mask test id \"nowhere\" matched nothing"),
        "{printed}"
    );
    let out = h.out();
    let figure = |name: &str| {
        image::load_from_memory(&std::fs::read(out.join(name)).unwrap())
            .unwrap()
            .to_rgba8()
    };
    let (before, masked, after) = (
        figure("01-before.png"),
        figure("02-masked.png"),
        figure("03-after.png"),
    );
    assert!(before == after, "the page is not as it was after the masks");
    assert!(before != masked, "the masks changed nothing");
    h.console.shutdown().await;
}

//! End-to-end tests of comparing figures with baselines: a figure's
//! baseline written, matched, caught changing (as every report tells) and
//! approved anew; masks that keep changing values out; and the shipped seed
//! runbook against the baselines committed beside it, run after run, and
//! against a console that drifted on purpose.

use crate::common::{Harness, browser_available, text};
use crate::steps::on_form;
use docent::console;
use std::path::Path;

/// The shipped seed runbook where it lives, so that its committed
/// baselines (`runbooks/baselines/mtd-create-tracker/chromium/`) are the
/// ones compared; `--ci` keeps the run from writing any.
pub(crate) const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/runbooks/mtd-create-tracker.yaml"
);

/// Every `visual` object of `results.json`: one per compared figure.
pub(crate) fn visuals(results: &serde_json::Value) -> Vec<serde_json::Value> {
    fn walk(value: &serde_json::Value, found: &mut Vec<serde_json::Value>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(visual) = map.get("visual") {
                    found.push(visual.clone());
                }
                map.values().for_each(|v| walk(v, found));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(&results["items"], &mut found);
    found
}

pub(crate) fn results(h: &Harness) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(h.out().join("results.json")).unwrap()).unwrap()
}

/// A compared figure: the first run writes its baseline, the next one
/// matches it, and a run whose page shows other text fails with kind
/// `visual`, leaves the diff image beside the figure, and every report
/// tells of it; approving the change with `--update-baselines` makes the
/// next run pass.
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
    let baseline = h
        .dir
        .path()
        .join("baselines/visual/chromium/alarm-name.png");

    let first = h.run(&path, &[]).await;
    let printed = text(&first);
    assert!(first.status.success(), "{printed}");
    assert!(printed.contains("new baseline written"), "{printed}");
    assert!(baseline.exists(), "{printed}");
    let [visual] = &visuals(&results(&h))[..] else {
        panic!("one compared figure")
    };
    assert_eq!(visual["outcome"], "new_baseline", "{visual}");
    assert_eq!(visual["baseline"], baseline.display().to_string());
    assert_eq!(
        visual["changed_pixels"],
        serde_json::Value::Null,
        "{visual}"
    );

    let second = h.run(&path, &["--ci"]).await;
    let printed = text(&second);
    assert!(second.status.success(), "{printed}");
    assert!(!printed.contains("baseline written"), "{printed}");
    let [visual] = &visuals(&results(&h))[..] else {
        panic!("one compared figure")
    };
    assert_eq!(visual["outcome"], "matched", "{visual}");
    assert_eq!(visual["changed_pixels"], 0, "{visual}");
    let report = std::fs::read_to_string(h.out().join("report.html")).unwrap();
    assert!(report.contains("✓ matches baseline"), "{report}");

    let changed = h
        .run(&path, &["--ci", "--var", "name=alarm-7 renamed"])
        .await;
    let printed = text(&changed);
    assert_eq!(changed.status.code(), Some(1), "{printed}");
    let results = results(&h);
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
    // Every report tells of it: results.json's numbers and files…
    let [visual] = &visuals(&results)[..] else {
        panic!("one compared figure")
    };
    assert_eq!(visual["outcome"], "differs", "{visual}");
    assert_eq!(visual["diff_image"], "01-alarm-name.diff.png", "{visual}");
    assert_eq!(visual["baseline_copy"], "01-alarm-name.baseline.png");
    assert!(visual["changed_pixels"].as_u64().unwrap() > 0, "{visual}");
    assert!(
        !visual["regions"].as_array().unwrap().is_empty(),
        "{visual}"
    );
    // …junit.xml's attachments…
    let junit = std::fs::read_to_string(h.out().join("junit.xml")).unwrap();
    for file in [
        "01-alarm-name.png",
        "01-alarm-name.baseline.png",
        "01-alarm-name.diff.png",
    ] {
        let attached = format!("[[ATTACHMENT|{}]]", h.out().join(file).display());
        assert!(junit.contains(&attached), "{attached} in {junit}");
    }
    // …and report.html's baseline, actual and diff side by side.
    let report = std::fs::read_to_string(h.out().join("report.html")).unwrap();
    for needle in [
        "<figure class=\"shot compared\">",
        "<img class=\"baseline\" src=\"01-alarm-name.baseline.png\"",
        "<img class=\"actual\" src=\"01-alarm-name.png\"",
        "<img class=\"diff\" src=\"01-alarm-name.diff.png\"",
        "✗ differs from baseline: ",
    ] {
        assert!(report.contains(needle), "{needle}");
    }

    // The change is meant: approving it makes it the baseline…
    let approved = h
        .run(
            &path,
            &["--update-baselines", "--var", "name=alarm-7 renamed"],
        )
        .await;
    let printed = text(&approved);
    assert!(approved.status.success(), "{printed}");
    assert!(
        printed.contains(&format!("baseline updated: {}", baseline.display())),
        "{printed}"
    );
    // …and the next run passes against it.
    let next = h
        .run(&path, &["--ci", "--var", "name=alarm-7 renamed"])
        .await;
    let printed = text(&next);
    assert!(next.status.success(), "{printed}");
    assert!(!printed.contains("baseline"), "{printed}");
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
    let results = results(&h);
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

/// The seed runbook's six figures match the baselines committed beside it,
/// five runs in a row, pixel for pixel (no limit is set, so a single
/// changed pixel would fail): the figures do not depend on the run, and
/// the last one's masked log times, which change every second, are left
/// out.
#[tokio::test(flavor = "multi_thread")]
async fn the_seed_runbook_matches_its_committed_baselines_five_runs_in_a_row() {
    if !browser_available() {
        return;
    }
    let h = Harness::with(console::Config {
        latency_ms: 0,
        ..console::Config::default()
    })
    .await;
    for run in 1..=5 {
        let output = h.run(Path::new(SEED), &["--compare", "--ci"]).await;
        let printed = text(&output);
        assert!(output.status.success(), "run {run}:\n{printed}");
        assert!(!printed.contains("baseline"), "run {run}:\n{printed}");
        let compared = visuals(&results(&h));
        assert_eq!(compared.len(), 6, "run {run}: six compared figures");
        for visual in &compared {
            assert_eq!(visual["outcome"], "matched", "run {run}: {visual}");
            assert_eq!(visual["changed_pixels"], 0, "run {run}: {visual}");
        }
    }
    h.console.shutdown().await;
}

/// A console that drifted — one word of a footer reworded, one status dot
/// in another green, nothing a step reads — fails the seed runbook at the
/// figure that shows it, and the one region named is exactly where the
/// change is.
#[tokio::test(flavor = "multi_thread")]
async fn a_console_that_drifted_fails_at_the_figure_showing_it_with_its_exact_area() {
    if !browser_available() {
        return;
    }
    for (drift, region, [x, y, width, height]) in [
        (console::Drift::Colour, "824,262 6×6", [824, 262, 6, 6]),
        (console::Drift::Label, "320,305 65×10", [320, 305, 65, 10]),
    ] {
        let h = Harness::with(console::Config {
            latency_ms: 0,
            drift,
            ..console::Config::default()
        })
        .await;
        let output = h.run(Path::new(SEED), &["--compare", "--ci"]).await;
        let printed = text(&output);
        assert_eq!(output.status.code(), Some(1), "{drift:?}:\n{printed}");
        let failure = &results(&h)["failure"];
        assert_eq!(failure["kind"], "visual", "{failure}");
        assert_eq!(failure["line"], 53, "{failure}");
        let found = failure["found"].as_str().unwrap();
        assert!(
            found.contains(&format!(" in 1 region: {region}\n")),
            "{drift:?}: {found}"
        );
        let results = results(&h);
        let visual = visuals(&results).pop().expect("the compared figure");
        assert_eq!(visual["outcome"], "differs", "{visual}");
        assert_eq!(
            visual["regions"],
            serde_json::json!([{ "x": x, "y": y, "width": width, "height": height }]),
            "{visual}"
        );
        // The diff image marks in red exactly the pixels of that box.
        let diff = image::open(h.out().join("02-management-tracker.diff.png"))
            .unwrap()
            .to_rgba8();
        let red: Vec<(u32, u32)> = diff
            .enumerate_pixels()
            .filter(|(_, _, p)| p[0] > 150 && p[1] < 90 && p[2] < 90)
            .map(|(px, py, _)| (px, py))
            .collect();
        assert!(!red.is_empty(), "{drift:?}: nothing marked");
        let bounds = red.iter().fold((u32::MAX, u32::MAX, 0, 0), |b, &(px, py)| {
            (b.0.min(px), b.1.min(py), b.2.max(px), b.3.max(py))
        });
        assert_eq!(
            bounds,
            (x, y, x + width - 1, y + height - 1),
            "{drift:?}: the red marks"
        );
        assert!(h.out().join("02-management-tracker.baseline.png").exists());
        h.console.shutdown().await;
    }
}

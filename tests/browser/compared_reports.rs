//! What every report tells of a figure compared with its baseline, after
//! real runs in headless Chromium: `results.json`'s `visual` object for a
//! new baseline, a match and a difference; `junit.xml`'s attachments and
//! `report.html`'s baseline / actual / diff viewer for the difference.
//!
//! These tests need Debian's `chromium` and `chromium-driver` (`make deps`).
//! Under `CI` a missing browser fails the test; locally it skips loudly.

use crate::common::{Harness, browser_available, text};
use crate::steps::on_form;
use serde_json::Value;
use std::path::Path;

/// The `visual` object of the run's first compared screenshot in
/// `results.json`.
fn first_visual(out: &Path) -> Value {
    fn find(value: &Value) -> Option<Value> {
        match value {
            Value::Object(map) => map
                .get("visual")
                .cloned()
                .or_else(|| map.values().find_map(find)),
            Value::Array(items) => items.iter().find_map(find),
            _ => None,
        }
    }
    let results: Value =
        serde_json::from_slice(&std::fs::read(out.join("results.json")).unwrap()).unwrap();
    find(&results["items"]).expect("a compared screenshot in results.json")
}

/// The first run writes the baseline, the second matches it, the third
/// (other text in the field) differs; each run's reports say so.
#[tokio::test(flavor = "multi_thread")]
async fn a_compared_figure_is_told_in_every_report() {
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
    assert!(first.status.success(), "{}", text(&first));
    let visual = first_visual(&h.out());
    assert_eq!(visual["outcome"], "new_baseline", "{visual}");
    assert_eq!(visual["baseline"], baseline.display().to_string());
    assert_eq!(visual["changed_pixels"], Value::Null, "{visual}");

    let second = h.run(&path, &["--ci"]).await;
    assert!(second.status.success(), "{}", text(&second));
    let visual = first_visual(&h.out());
    assert_eq!(visual["outcome"], "matched", "{visual}");
    assert_eq!(visual["changed_pixels"], 0, "{visual}");
    let report = std::fs::read_to_string(h.out().join("report.html")).unwrap();
    assert!(report.contains("✓ matches baseline"), "{report}");

    let changed = h
        .run(&path, &["--ci", "--var", "name=alarm-7 renamed"])
        .await;
    assert_eq!(changed.status.code(), Some(1), "{}", text(&changed));
    let visual = first_visual(&h.out());
    assert_eq!(visual["outcome"], "differs", "{visual}");
    assert_eq!(visual["diff_image"], "01-alarm-name.diff.png", "{visual}");
    assert_eq!(visual["baseline_copy"], "01-alarm-name.baseline.png");
    assert!(visual["changed_pixels"].as_u64().unwrap() > 0, "{visual}");
    assert!(
        !visual["regions"].as_array().unwrap().is_empty(),
        "{visual}"
    );
    let junit = std::fs::read_to_string(h.out().join("junit.xml")).unwrap();
    for file in [
        "01-alarm-name.png",
        "01-alarm-name.baseline.png",
        "01-alarm-name.diff.png",
    ] {
        let attached = format!("[[ATTACHMENT|{}]]", h.out().join(file).display());
        assert!(junit.contains(&attached), "{attached} in {junit}");
    }
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
    h.console.shutdown().await;
}

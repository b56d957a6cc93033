//! The files a real run leaves for machines: `results.json` and
//! `junit.xml`, written by the real binary after a run in headless Chromium
//! against the simulated console. The seed procedure's files are compared
//! with committed snapshots once durations, timestamps, the temp folder and
//! the console's port are redacted; a failing run must name its step and
//! `file:line` in both; and every key `results.json` holds must be
//! documented in `docs/results.md`, so the reference cannot go stale.
//!
//! These tests need Debian's `chromium` and `chromium-driver` (`make deps`).
//! Under `CI` a missing browser fails the test; locally it skips loudly.

use crate::common::{Harness, browser_available, position, text};
use regex::Regex;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

const REFERENCE: &str = include_str!("../../docs/results.md");

/// Runs that differ only in timing, in where they wrote and in the
/// console's port read the same after this.
///
/// Which step a toast is recorded under is timing too: a toast belongs to
/// the step that last looked at the page. "Configure" answers 150 ms after
/// the click, usually after the click step's last look, so the following
/// `expect_toast` records it; on a slow enough machine the click step
/// would. The snapshots therefore leave toasts out, and the tests check
/// them per section instead, where they are certain.
fn redact(text: &str, out: &Path) -> String {
    let rules = [
        (r#""toasts": \[[^\]]*\]"#, r#""toasts": "[per section]""#),
        (r"(?m)^    toast \(.*\n", ""),
        // results.json: every duration and moment is a `*_ms` number.
        (r#""(\w+_ms)": [0-9][0-9.e+-]*"#, r#""$1": "[ms]""#),
        (r#""started_at": "[^"]+""#, r#""started_at": "[timestamp]""#),
        // The browser's version is the machine's.
        (r#""version": "[^"]+""#, r#""version": "[browser version]""#),
        // junit.xml
        (r#" time="[0-9.]+""#, r#" time="[time]""#),
        (r#" timestamp="[^"]+""#, r#" timestamp="[timestamp]""#),
        (r"127\.0\.0\.1:[0-9]+", "127.0.0.1:[port]"),
    ];
    let mut text = text.replace(&out.display().to_string(), "[out]");
    for (pattern, with) in rules {
        text = Regex::new(pattern)
            .unwrap()
            .replace_all(&text, with)
            .into_owned();
    }
    text
}

/// Every object key anywhere in `value`.
fn keys(value: &Value, into: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                into.insert(key.clone());
                keys(inner, into);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| keys(v, into)),
        _ => {}
    }
}

/// Fails on any key of `results` that `docs/results.md` does not name in
/// backquotes.
fn assert_documented(results: &Value) {
    let mut all = BTreeSet::new();
    keys(results, &mut all);
    let missing: Vec<&String> = all
        .iter()
        .filter(|key| !REFERENCE.contains(&format!("`{key}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "results.json keys missing from docs/results.md: {missing:?}"
    );
}

/// The toasts of a run in order, each with the top-level section it came in.
fn toasts_by_section(results: &Value) -> Vec<(&str, String)> {
    fn walk<'a>(items: &'a Value, top: &'a str, out: &mut Vec<(&'a str, String)>) {
        for item in items.as_array().unwrap() {
            if item["type"] == "section" {
                let number = item["number"].as_str().unwrap();
                let top = if top.is_empty() { number } else { top };
                walk(&item["items"], top, out);
            } else {
                for toast in item["toasts"].as_array().unwrap() {
                    out.push((top, toast["text"].as_str().unwrap().to_string()));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&results["items"], "", &mut out);
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn junit(xml: &str) -> junit_parser::TestSuites {
    junit_parser::from_reader(std::io::Cursor::new(xml.as_bytes()))
        .unwrap_or_else(|e| panic!("junit.xml does not parse: {e}\n{xml}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_seed_run_writes_the_documented_results_and_junit() {
    if !browser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // `docent demo` starts a console of its own on a free port.
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_docent"))
        .args(["demo", "--out", out.to_str().unwrap()])
        .env_remove("CONSOLE_PASSWORD")
        .output()
        .await
        .expect("docent runs");
    assert!(output.status.success(), "{}", text(&output));

    let json = read(&out.join("results.json"));
    let results: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(results["format"], "docent-results");
    assert_eq!(results["version"], 1);
    assert_eq!(results["status"], "passed");
    assert_eq!(results["browser"]["name"], "chromium");
    assert!(results["browser"]["version"].is_string(), "{results}");
    assert!(results["browser"]["webdriver"].is_null(), "{results}");
    assert_documented(&results);
    assert_eq!(
        toasts_by_section(&results),
        [
            ("5", "Operation successfully!".to_string()),
            ("7", "Operation successfully!".to_string()),
            ("8", "Operation successfully!".to_string()),
        ]
    );
    insta::assert_snapshot!("seed_results_json", redact(&json, &out));

    let xml = read(&out.join("junit.xml"));
    let parsed = junit(&xml);
    let suite = &parsed.suites[0];
    assert_eq!(suite.name, "Create a CTS tracker for MTD");
    assert_eq!(
        suite.file.as_deref(),
        Some("runbooks/mtd-create-tracker.yaml")
    );
    assert_eq!((suite.tests, suite.failures, suite.errors), (9, 0, 0));
    assert!(suite.cases.iter().all(|c| c.status.is_success()));
    assert!(suite.time > 0.0);
    let toast_lines: Vec<usize> = suite
        .cases
        .iter()
        .map(|case| {
            let out = case.system_out.as_deref().unwrap_or_default();
            out.matches("\n    toast (success): Operation successfully!\n")
                .count()
        })
        .collect();
    assert_eq!(toast_lines, [0, 0, 0, 0, 1, 0, 1, 1, 0]);
    insta::assert_snapshot!("seed_junit_xml", redact(&xml, &out));
}

/// A section of one step outside sections, an optional step that fails, a
/// step whose `when:` does not hold, a step that fails the run, and a
/// section never reached.
const FAILING: &str = r#"name: A greeting that never comes
steps:
  - goto: /login
  - section: Log in
    steps:
      - fill: { label: IAM User Name, with: demo }
      - click: Remember me
        optional: true
        timeout: 1s
      - click: Accept cookies
        when: { visible: Accept cookies }
      - expect: Welcome aboard
        timeout: 1s
  - section: Never reached
    steps:
      - click: Log In
"#;

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_run_names_its_step_in_results_and_junit() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let path = h.write("greeting.yaml", FAILING);
    let (line, column) = position(FAILING, "expect: Welcome aboard");
    let output = h.run(&path, &[]).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));

    let results: Value = serde_json::from_str(&read(&h.out().join("results.json"))).unwrap();
    assert_documented(&results);
    assert_eq!(results["status"], "failed");
    assert_eq!(
        results["counts"],
        serde_json::json!({
            "steps": 6, "passed": 2, "failed": 1, "tolerated": 1, "skipped": 1, "not_run": 1
        })
    );
    let failure = &results["failure"];
    assert_eq!(failure["step"], 5);
    assert_eq!(failure["description"], "expect \"Welcome aboard\"");
    assert_eq!(failure["path"], path.to_str().unwrap());
    assert_eq!(
        (failure["line"].as_u64(), failure["column"].as_u64()),
        (Some(line as u64), Some(column as u64))
    );
    assert!(
        failure["found"].as_str().unwrap().starts_with("not found"),
        "{failure}"
    );
    assert!(
        failure["waited_ms"].as_f64().unwrap() >= 1000.0,
        "{failure}"
    );
    assert_eq!(failure["screenshot"], "failure.png");
    assert_eq!(failure["html"], "failure.html");
    assert!(h.out().join("failure.png").exists());
    let tolerated = &results["items"][1]["items"][1];
    assert_eq!(tolerated["status"], "tolerated");
    assert!(
        tolerated["error"]["found"]
            .as_str()
            .unwrap()
            .starts_with("not found"),
        "{tolerated}"
    );
    assert_eq!(results["items"][1]["items"][2]["status"], "skipped");
    assert_eq!(results["items"][2]["status"], "not_run");

    let xml = read(&h.out().join("junit.xml"));
    let parsed = junit(&xml);
    let suite = &parsed.suites[0];
    assert_eq!(
        (suite.tests, suite.failures, suite.errors, suite.skipped),
        (3, 1, 0, 1),
        "{xml}"
    );
    assert!(suite.cases[0].status.is_success());
    assert_eq!(suite.cases[0].original_name, "goto /login");
    let log_in = &suite.cases[1];
    assert_eq!(log_in.original_name, "1. Log in");
    assert_eq!(log_in.file.as_deref(), path.to_str());
    let failed = log_in.status.failure_as_ref();
    assert!(
        failed
            .message
            .contains(&format!("{}:{line}:{column}", path.display())),
        "{}",
        failed.message
    );
    assert!(
        failed.text.contains(&format!(
            "screenshot: {}",
            h.out().join("failure.png").display()
        )),
        "{}",
        failed.text
    );
    let story = log_in.system_out.as_deref().unwrap_or_default();
    assert!(
        story.contains("! 1 click \"Remember me\" (optional, failed: "),
        "{story}"
    );
    assert!(
        story.contains("- 1 click \"Accept cookies\" (skipped: "),
        "{story}"
    );
    assert_eq!(
        suite.cases[2].status.skipped_as_ref().message,
        "not run: an earlier step failed"
    );
    h.console.shutdown().await;
}

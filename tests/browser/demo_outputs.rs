//! What `make demo` promises: `docent demo` runs the seed procedure against
//! its own simulated console and leaves, beside the six figures,
//! `report.html`, `guide.md`, `guide.html`, `results.json`, `junit.xml` and
//! `demo.gif`. The guide is compared with a committed snapshot (it should
//! read like the seed's help page), and the GIF must decode with one frame
//! per step that shows on the page.
//!
//! These tests need Debian's `chromium` and `chromium-driver` (`make deps`).
//! Under `CI` a missing browser fails the test; locally it skips loudly.

use crate::common::browser_available;
use std::path::Path;
use std::process::Command;

/// Steps with no demo frame: they change nothing a viewer would see.
const FRAMELESS: &[&str] = &["screenshot", "store", "sleep", "frame", "leave_frame"];

#[test]
fn docent_demo_leaves_every_output_beside_the_six_figures() {
    if !browser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = Command::new(env!("CARGO_BIN_EXE_docent"))
        .args(["demo", "--out", out.to_str().unwrap()])
        .output()
        .expect("docent runs");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{printed}");

    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "01-detection-result-notice.png",
            "02-management-tracker.png",
            "03-configure-transfer.png",
            "04-disabling-cts.png",
            "05-enabling-cts.png",
            "06-tracker-configured.png",
            "demo.gif",
            "guide.html",
            "guide.md",
            "junit.xml",
            "report.html",
            "results.json",
        ]
    );

    // The console's password is a secret: no output may hold it.
    let password = docent::console::Config::default().password;
    for name in [
        "guide.html",
        "guide.md",
        "junit.xml",
        "report.html",
        "results.json",
    ] {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        assert!(!text.contains(&password), "{name} shows the password");
    }
    assert!(
        !printed.contains(&password),
        "the terminal shows the password"
    );

    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(results["status"], "passed");
    assert_eq!(results["counts"]["steps"], results["counts"]["passed"]);

    let guide = std::fs::read_to_string(out.join("guide.md")).unwrap();
    let guide = redact_date(&guide);
    insta::assert_snapshot!("seed_guide", guide);

    let expected = framed_steps(&results);
    let (frames, delays, width) = decode(&out.join("demo.gif"));
    assert_eq!(
        frames, expected,
        "one frame per step that shows on the page"
    );
    assert!(
        delays.iter().all(|&d| d >= 100),
        "each frame stays at least a second: {delays:?}"
    );
    assert!(width <= 1280, "frames are no larger than the viewport");
}

/// How many steps of the run have a demo frame.
fn framed_steps(results: &serde_json::Value) -> usize {
    fn walk(items: &serde_json::Value, count: &mut usize) {
        for item in items.as_array().into_iter().flatten() {
            if item["type"] == "section" {
                walk(&item["items"], count);
            } else if item["status"] == "passed"
                && !FRAMELESS.contains(&item["keyword"].as_str().unwrap_or(""))
            {
                *count += 1;
            }
        }
    }
    let mut count = 0;
    walk(&results["items"], &mut count);
    count
}

/// The GIF's frame count, each frame's delay (hundredths of a second) and
/// its width.
fn decode(path: &Path) -> (usize, Vec<u16>, u16) {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options
        .read_info(std::fs::File::open(path).expect("demo.gif exists"))
        .expect("demo.gif is a GIF");
    let width = decoder.width();
    let mut delays = Vec::new();
    while let Some(frame) = decoder.read_next_frame().expect("every frame decodes") {
        delays.push(frame.delay);
    }
    (delays.len(), delays, width)
}

/// The guide's "Updated on" date is the day of the run.
fn redact_date(guide: &str) -> String {
    guide
        .lines()
        .map(|line| {
            if line.starts_with("Updated on ") {
                "Updated on [date]"
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const OPEN_LOGIN: &str = "name: Open the login page
steps:
  - section: Open it
    steps:
      - goto: /login
      - expect: Log In
";

const MISSING_BUTTON: &str = "name: Look for a button that is not there
timeout: 1s
steps:
  - section: Open the login page
    steps:
      - goto: /login
      - click: Sign Up
";

#[tokio::test(flavor = "multi_thread")]
async fn json_streams_only_events_on_stdout() {
    if !browser_available() {
        return;
    }
    let h = crate::common::Harness::new().await;
    let path = h.write("open-login.yaml", OPEN_LOGIN);
    let output = h.run(&path, &["--json"]).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}{stderr}");
    let events: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let names: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "run_started",
            "section_started",
            "step_started",
            "step_finished",
            "step_started",
            "step_finished",
            "section_finished",
            "run_finished"
        ]
    );
    assert_eq!(events[7]["status"], "passed");
    assert_eq!(events[3]["line"], 5);
    // The person watching still gets the summary, on stderr.
    assert!(stderr.contains("passed in"), "{stderr}");
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn quiet_prints_the_diagnosis_and_the_summary_only() {
    if !browser_available() {
        return;
    }
    let h = crate::common::Harness::new().await;
    let path = h.write("missing-button.yaml", MISSING_BUTTON);
    let output = h.run(&path, &["--quiet"]).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(!stdout.contains("✓"), "no line per step: {stdout}");
    // The diagnosis on stderr, the summary on stdout.
    assert!(
        stderr.contains("error: step failed: click \"Sign Up\""),
        "{stderr}"
    );
    assert!(stderr.contains("missing-button.yaml:7:9"), "{stderr}");
    assert!(!stdout.contains("error:"), "{stdout}");
    assert!(stdout.starts_with("FAILED after"), "{stdout}");
    assert!(!stderr.contains("FAILED after"), "{stderr}");
    h.console.shutdown().await;
}

/// Links planted in the output folder (a shared CI workspace, say) are
/// replaced by the run's files; what they point to is never written.
#[tokio::test(flavor = "multi_thread")]
async fn outputs_replace_symlinks_instead_of_writing_through_them() {
    if !browser_available() {
        return;
    }
    let h = crate::common::Harness::new().await;
    let path = h.write("missing-button.yaml", MISSING_BUTTON);
    let outside = h.write("precious.txt", "keep me");
    let out = h.out();
    std::fs::create_dir_all(&out).unwrap();
    let planted = [
        "report.html",
        "results.json",
        "junit.xml",
        "guide.md",
        "failure.png",
        "failure.html",
    ];
    for name in planted {
        std::os::unix::fs::symlink(&outside, out.join(name)).unwrap();
    }
    let output = h.run(&path, &["--quiet"]).await;
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep me");
    for name in planted {
        let meta = std::fs::symlink_metadata(out.join(name)).unwrap();
        assert!(meta.is_file(), "{name} is the run's own file");
    }
    let results = std::fs::read_to_string(out.join("results.json")).unwrap();
    assert!(results.contains("\"status\": \"failed\""), "{results}");
    let hidden: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "temporary files left: {hidden:?}");
    h.console.shutdown().await;
}

/// A secret with characters that URLs, HTML and JSON each write their
/// own way: typed into a field, sent in a URL, shown back by the page and
/// looked for by a step that fails.
const SECRET: &str = "Tr0ub&<\"ss w%rd>";

const SEARCH_SECRET: &str = r#"name: Search for a secret
timeout: 2s
secrets: [DOCENT_TEST_SECRET]
steps:
  - goto: "/lab/form?ref=${DOCENT_TEST_SECRET}"
  - click: Accept cookies
    when: { visible: Accept cookies }
  - fill: { placeholder: Search notifications, with: "${DOCENT_TEST_SECRET}" }
  - press: Enter
  - expect: { testid: search-result, has_text: "Results for ${DOCENT_TEST_SECRET}" }
  - expect_url: { contains: "ref=" }
  - expect: "Nothing about ${DOCENT_TEST_SECRET}"
"#;

/// No spelling of the secret — as typed, percent-encoded, HTML- or
/// JSON-escaped — reaches any file, the terminal or the debug log.
#[tokio::test(flavor = "multi_thread")]
async fn a_secret_is_masked_in_every_spelling_in_every_output_and_the_log() {
    if !browser_available() {
        return;
    }
    let h = crate::common::Harness::new().await;
    let path = h.write("search-secret.yaml", SEARCH_SECRET);
    let out = h.out();
    let output = crate::common::docent()
        .args(["run", path.to_str().unwrap(), "--url", &h.console.url()])
        .args(["--out", out.to_str().unwrap(), "--demo"])
        .env("DOCENT_TEST_SECRET", SECRET)
        .env("RUST_LOG", "debug")
        .output()
        .await
        .expect("docent runs");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(1), "{printed}");
    assert!(
        printed.contains("Nothing about •••"),
        "the failing step is named, masked: {printed}"
    );
    assert!(printed.contains("DEBUG"), "the debug log is on: {printed}");
    // Every spelling of the secret begins with these letters.
    let leak = |text: &str| text.contains("Tr0ub");
    assert!(!leak(&printed), "the terminal or the log shows the secret");
    let mut checked = Vec::new();
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // images
        };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!leak(&text), "{name} shows the secret");
        checked.push(name);
    }
    checked.sort();
    assert_eq!(
        checked,
        [
            "failure.html",
            "guide.html",
            "guide.md",
            "junit.xml",
            "report.html",
            "results.json"
        ]
    );
    let page = std::fs::read_to_string(out.join("failure.html")).unwrap();
    assert!(
        page.contains("Results for •••"),
        "the page's text is masked"
    );
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn several_runbooks_get_an_index_and_the_worst_exit_code() {
    if !browser_available() {
        return;
    }
    let h = crate::common::Harness::new().await;
    let good = h.write("open-login.yaml", OPEN_LOGIN);
    let bad = h.write("missing-button.yaml", MISSING_BUTTON);
    let output = h.run(&good, &[bad.to_str().unwrap()]).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let out = h.out();
    for file in [
        "index.html",
        "junit.xml",
        "open-login/report.html",
        "open-login/results.json",
        "missing-button/report.html",
        "missing-button/failure.png",
    ] {
        assert!(out.join(file).exists(), "{file} is written");
    }
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("href=\"open-login/report.html\""), "{index}");
    assert!(
        index.contains("href=\"missing-button/report.html\""),
        "{index}"
    );
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert_eq!(junit.matches("<testsuite ").count(), 2, "{junit}");
    h.console.shutdown().await;
}

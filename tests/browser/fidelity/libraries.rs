//! Proof on consoles nobody here wrote: the lab consoles of `labs/`, built by
//! `make labs` from the published npm packages of OpenTiny Vue, Ant Design
//! Vue and Element Plus. For each library, the shipped procedure
//! (`runbooks/libs/`, no CSS or XPath) passes with its six figures, which
//! match the baselines committed beside it, and the checks beside it
//! behave: a disabled switch is refused at once saying "disabled" and what
//! its tooltip says, an error notification fails exactly the click that
//! caused it, a switch loading on a slow console is waited for, and inline
//! banners fail nothing while the library's own toasts keep their kinds.

use crate::common::{Harness, browser_available, docent, position, text};
use docent::console;
use std::path::{Path, PathBuf};

const LABS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/target/labs");
const RUNBOOKS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/runbooks/libs");

/// A console serving the built labs, or `None` (after a loud message) when
/// the browser or the labs are missing and `CI` is unset.
async fn console_with_labs() -> Option<Harness> {
    if !browser_available() {
        return None;
    }
    let built = Path::new(LABS).join("element/index.html").exists()
        && Path::new(LABS).join("antd/index.html").exists()
        && Path::new(LABS).join("opentiny/index.html").exists();
    if !built {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but the component-library labs are not built: run `make labs`"
        );
        eprintln!("\n!!! SKIPPED: the component-library labs are not built; run `make labs` !!!\n");
        return None;
    }
    Some(
        Harness::with(console::Config {
            libs: Some(PathBuf::from(LABS)),
            ..console::Config::default()
        })
        .await,
    )
}

/// One docent run of a shipped lab runbook, into its own folder.
struct Run {
    code: Option<i32>,
    printed: String,
    out: PathBuf,
}

async fn run(h: &Harness, runbook: &str, lab: &str) -> Run {
    run_with(h, runbook, lab, &[]).await
}

async fn run_with(h: &Harness, runbook: &str, lab: &str, extra: &[&str]) -> Run {
    let browser = if extra.contains(&"firefox") {
        "-firefox"
    } else {
        ""
    };
    let out = h.dir.path().join(format!(
        "{lab}-{}{browser}",
        runbook.replace('/', "-").trim_end_matches(".yaml")
    ));
    let path = Path::new(RUNBOOKS).join(runbook);
    let output = docent()
        .args(["run", path.to_str().unwrap(), "--url", &h.console.url()])
        .args([
            "--out",
            out.to_str().unwrap(),
            "--var",
            &format!("lab={lab}"),
        ])
        .args(extra)
        .output()
        .await
        .expect("docent runs");
    Run {
        code: output.status.code(),
        printed: text(&output),
        out,
    }
}

/// The `file:line` docent names for a failed step, checked against the
/// line of `needle` in the runbook.
fn fails_at(run: &Run, runbook: &str, needle: &str) {
    assert_eq!(run.code, Some(1), "{}", run.printed);
    let source = std::fs::read_to_string(Path::new(RUNBOOKS).join(runbook)).unwrap();
    let (line, _) = position(&source, needle);
    assert!(
        run.printed.contains(&format!("{runbook}:{line}:")),
        "the failure names {runbook}:{line} ({needle}):\n{}",
        run.printed
    );
}

/// Every toast results.json recorded, as (kind, text).
fn toasts(out: &Path) -> Vec<(String, String)> {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    let mut found = Vec::new();
    fn walk(value: &serde_json::Value, found: &mut Vec<(String, String)>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Array(list)) = map.get("toasts") {
                    for toast in list {
                        found.push((
                            toast["kind"].as_str().unwrap_or("").to_string(),
                            toast["text"].as_str().unwrap_or("").to_string(),
                        ));
                    }
                }
                map.values().for_each(|v| walk(v, found));
            }
            serde_json::Value::Array(list) => list.iter().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    walk(&json, &mut found);
    found
}

/// How long the failed step took, from the terminal's `✗ … 1.2s` line.
fn failed_seconds(printed: &str) -> f64 {
    super::failed_step_seconds(printed)
}

async fn proves(lab: &str) {
    let Some(h) = console_with_labs().await else {
        return;
    };

    // The procedure, as written from docs/runbooks.md.
    // Its six figures match, pixel for pixel, the baselines committed
    // beside it (`runbooks/libs/baselines/<lab>/chromium/`): the library's
    // own transitions, ripples and notifications do not make them differ
    // from run to run.
    let procedure = run_with(&h, &format!("{lab}.yaml"), lab, &["--compare", "--ci"]).await;
    assert_eq!(procedure.code, Some(0), "{}", procedure.printed);
    let results: serde_json::Value =
        serde_json::from_slice(&std::fs::read(procedure.out.join("results.json")).unwrap())
            .unwrap();
    let compared = results
        .to_string()
        .matches("\"outcome\":\"matched\"")
        .count();
    assert_eq!(compared, 6, "{}", procedure.printed);
    assert_eq!(
        results.to_string().matches("\"changed_pixels\":0,").count(),
        6,
        "{}",
        procedure.printed
    );
    let figures = std::fs::read_dir(&procedure.out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".png"))
        .count();
    assert_eq!(figures, 6, "{}", procedure.printed);
    let seen = toasts(&procedure.out);
    assert_eq!(
        seen.iter()
            .filter(|(kind, text)| kind == "success" && text.contains("Operation successfully!"))
            .count(),
        3,
        "three success toasts, nothing else: {seen:?}"
    );
    assert!(
        seen.iter()
            .all(|(_, text)| !text.contains("MTD can detect threats")
                && !text.contains("Some data sources")
                && !text.contains("Log collection failed")),
        "the page's inline alerts are not toasts: {seen:?}"
    );

    // The same procedure in Firefox matches its own baselines
    // (`runbooks/libs/baselines/<lab>/firefox/`), pixel for pixel.
    if crate::firefox::firefox_available() {
        let firefox = run_with(
            &h,
            &format!("{lab}.yaml"),
            lab,
            &["--browser", "firefox", "--compare", "--ci"],
        )
        .await;
        assert_eq!(firefox.code, Some(0), "{}", firefox.printed);
        let results: serde_json::Value =
            serde_json::from_slice(&std::fs::read(firefox.out.join("results.json")).unwrap())
                .unwrap();
        let results = results.to_string();
        assert_eq!(
            results.matches("\"outcome\":\"matched\"").count(),
            6,
            "{}",
            firefox.printed
        );
        assert_eq!(
            results.matches("\"changed_pixels\":0,").count(),
            6,
            "{}",
            firefox.printed
        );
        assert_eq!(
            results.matches("/firefox/").count(),
            6,
            "{}",
            firefox.printed
        );
    }

    // A disabled switch: refused at once, with the reason its tooltip gives.
    let disabled = run(&h, "checks/disabled-switch.yaml", lab).await;
    fails_at(
        &disabled,
        "checks/disabled-switch.yaml",
        "- toggle: { label: Cloud Trace Service (CTS), to: on }",
    );
    assert!(
        disabled.printed.contains("is disabled")
            && disabled
                .printed
                .contains("CTS threat detection is not supported in the CN-Hong Kong region."),
        "{}",
        disabled.printed
    );
    assert!(
        failed_seconds(&disabled.printed) < 3.0,
        "refused at once, not after the 10s timeout:\n{}",
        disabled.printed
    );
    assert!(
        disabled.printed.contains("1 tolerated"),
        "turning it off, though it is off, is refused too:\n{}",
        disabled.printed
    );

    // An error notification fails the click that caused it, not a later step.
    let error = run(&h, "checks/error-notification.yaml", lab).await;
    fails_at(
        &error,
        "checks/error-notification.yaml",
        "- click: { role: button, text: Configure }",
    );
    assert!(
        error
            .printed
            .contains("error toast \"Error Operation failed.\""),
        "{}",
        error.printed
    );

    // A switch loading for 1.5 s is waited for, not refused as disabled; a
    // drawn dropdown's choice is its value.
    let slow = run(&h, "checks/slow-console.yaml", lab).await;
    assert_eq!(slow.code, Some(0), "{}", slow.printed);

    // Inline banners fail nothing; each library toast keeps its kind.
    let banners = run(&h, "checks/banners-and-kinds.yaml", lab).await;
    assert_eq!(banners.code, Some(0), "{}", banners.printed);
    let kinds = toasts(&banners.out);
    for (kind, text) in [
        ("success", "Gallery success message"),
        ("error", "Gallery error message"),
        ("success", "Gallery success notification"),
        ("error", "Gallery error notification"),
        ("warning", "Gallery warning message"),
        ("info", "Gallery info notification"),
    ] {
        assert!(
            kinds.iter().any(|(k, t)| k == kind && t.contains(text)),
            "{text} is a {kind} toast: {kinds:?}"
        );
    }
    assert!(
        kinds.iter().all(|(_, t)| t.starts_with("Gallery")
            || t.starts_with("Info Gallery")
            || t.starts_with("Error Gallery")),
        "no banner was taken for a toast: {kinds:?}"
    );
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn opentiny_vue_console() {
    proves("opentiny").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ant_design_vue_console() {
    proves("antd").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn element_plus_console() {
    proves("element").await;
}

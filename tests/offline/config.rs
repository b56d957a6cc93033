//! `docent.toml` as `docent run` reads it, proved at the session request:
//! a fake WebDriver endpoint on 127.0.0.1 records the body of every
//! `POST /session` and refuses it (`session not created`), so the run ends
//! there (exit 3) without a browser, and the test reads which capabilities
//! docent asked for. Also: a broken file stops the command before any
//! session is asked for (exit 2), and the example in docs/scale.md works.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};

/// A WebDriver endpoint that creates no session and keeps what it was asked.
struct FakeWebDriver {
    url: String,
    asked: Arc<Mutex<Vec<Value>>>,
    server: tokio::task::JoinHandle<()>,
}

impl FakeWebDriver {
    async fn start() -> FakeWebDriver {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let app = axum::Router::new()
            .route("/session", axum::routing::post(refuse))
            .with_state(asked.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        FakeWebDriver { url, asked, server }
    }

    /// The `alwaysMatch` capabilities of each session request, in order.
    fn always_match(&self) -> Vec<Value> {
        self.asked
            .lock()
            .unwrap()
            .iter()
            .map(|body| body["capabilities"]["alwaysMatch"].clone())
            .collect()
    }
}

impl Drop for FakeWebDriver {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn refuse(
    State(asked): State<Arc<Mutex<Vec<Value>>>>,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    asked.lock().unwrap().push(body);
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(json!({ "value": {
            "error": "session not created",
            "message": "this test's endpoint makes no sessions",
            "stacktrace": "",
        }})),
    )
}

fn seed_runbook() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks/mtd-create-tracker.yaml")
}

/// `docent run` of the seed runbook in `dir`, with `args` after it and
/// `env` on top of an environment without docent's own variables.
async fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_docent"))
        .arg("run")
        .arg(seed_runbook())
        .args(["--out", "out", "--system-fonts"])
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("CONSOLE_PASSWORD", "not used")
        .env_remove("DOCENT_WEBDRIVER")
        .env_remove("DOCENT_CONFIG")
        .envs(env.iter().copied())
        .kill_on_drop(true)
        .output()
        .await
        .expect("docent runs")
}

/// The run asked the endpoint for a session, which it refused: exit 3.
fn assert_refused(output: &Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("this test's endpoint makes no sessions"),
        "{stderr}"
    );
}

const FILE: &str = r#"
webdriver = "http://127.0.0.1:9"

[capabilities]
platformName = "linux"
"se:name" = "from docent.toml"
"se:options" = { retries = 2, tags = ["nightly"] }

[browsers.chromium.capabilities]
"goog:chromeOptions" = { binary = "/opt/from-file/chrome" }

[browsers.firefox.capabilities]
"moz:firefoxOptions" = { binary = "/opt/from-file/firefox" }
"#;

#[tokio::test]
async fn the_files_capabilities_reach_the_session_under_the_command_lines() {
    let endpoint = FakeWebDriver::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("docent.toml"), FILE).unwrap();
    // --webdriver beats the file's endpoint (where nothing listens).
    let output = run(
        dir.path(),
        &[
            "--webdriver",
            &endpoint.url,
            "--capability",
            "se:name=from the command line",
        ],
        &[],
    )
    .await;
    assert_refused(&output);
    let asked = endpoint.always_match();
    assert_eq!(asked.len(), 1, "{asked:?}");
    let capabilities = &asked[0];
    // docent's own, under the file's.
    assert_eq!(capabilities["browserName"], "chrome");
    assert_eq!(capabilities["unhandledPromptBehavior"], "ignore");
    // The file's common ones, and the chromium section merged into
    // docent's Chromium options one level deep.
    assert_eq!(capabilities["platformName"], "linux");
    assert_eq!(
        capabilities["se:options"],
        json!({ "retries": 2, "tags": ["nightly"] })
    );
    let chrome = &capabilities["goog:chromeOptions"];
    assert_eq!(chrome["binary"], "/opt/from-file/chrome");
    let args = chrome["args"].as_array().unwrap();
    assert!(args.contains(&json!("--headless=new")), "{chrome}");
    // Not the other browser's section; the command line's last.
    assert!(
        capabilities.get("moz:firefoxOptions").is_none(),
        "{capabilities}"
    );
    assert_eq!(capabilities["se:name"], "from the command line");
}

#[tokio::test]
async fn the_files_browser_is_used_unless_the_command_line_names_one() {
    let endpoint = FakeWebDriver::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("docent.toml"),
        format!("browser = \"firefox\"\n{FILE}"),
    )
    .unwrap();
    let from_file = run(dir.path(), &["--webdriver", &endpoint.url], &[]).await;
    assert_refused(&from_file);
    let flag = run(
        dir.path(),
        &["--webdriver", &endpoint.url, "--browser", "chromium"],
        &[],
    )
    .await;
    assert_refused(&flag);
    let asked = endpoint.always_match();
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert_eq!(asked[0]["browserName"], "firefox");
    assert_eq!(
        asked[0]["moz:firefoxOptions"]["binary"],
        "/opt/from-file/firefox"
    );
    assert_eq!(asked[1]["browserName"], "chrome");
    assert_eq!(
        asked[1]["goog:chromeOptions"]["binary"],
        "/opt/from-file/chrome"
    );
}

#[tokio::test]
async fn firefox_takes_the_files_firefox_section_over_docents_firefox_options() {
    let endpoint = FakeWebDriver::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("docent.toml"), FILE).unwrap();
    let output = run(
        dir.path(),
        &["--webdriver", &endpoint.url, "--browser", "firefox"],
        &[],
    )
    .await;
    assert_refused(&output);
    let asked = endpoint.always_match();
    assert_eq!(asked.len(), 1, "{asked:?}");
    let capabilities = &asked[0];
    assert_eq!(capabilities["browserName"], "firefox");
    assert_eq!(capabilities["webSocketUrl"], true);
    assert_eq!(capabilities["platformName"], "linux");
    let firefox = &capabilities["moz:firefoxOptions"];
    assert_eq!(firefox["binary"], "/opt/from-file/firefox");
    let args = firefox["args"].as_array().unwrap();
    assert!(args.contains(&json!("-headless")), "{firefox}");
    // None of docent's Chromium flags (the WebDriver client adds its own
    // `goog:chromeOptions: {w3c: true}`, which geckodriver ignores).
    assert!(
        capabilities["goog:chromeOptions"].get("args").is_none(),
        "{capabilities}"
    );
}

#[tokio::test]
async fn the_files_endpoint_is_used_unless_the_environment_or_the_command_line_names_one() {
    let from_file = FakeWebDriver::start().await;
    let from_env = FakeWebDriver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let file = FILE.replace("http://127.0.0.1:9", &from_file.url);
    std::fs::write(dir.path().join("docent.toml"), &file).unwrap();
    assert_refused(&run(dir.path(), &[], &[]).await);
    assert_eq!(from_file.always_match().len(), 1);
    assert_eq!(from_file.always_match()[0]["se:name"], "from docent.toml");
    assert_refused(&run(dir.path(), &[], &[("DOCENT_WEBDRIVER", &from_env.url)]).await);
    assert_eq!(from_file.always_match().len(), 1);
    assert_eq!(from_env.always_match().len(), 1);
}

#[tokio::test]
async fn config_names_another_file_which_must_exist() {
    let endpoint = FakeWebDriver::start().await;
    let dir = tempfile::tempdir().unwrap();
    // The current folder's docent.toml is broken: --config and
    // DOCENT_CONFIG read another file instead.
    std::fs::write(dir.path().join("docent.toml"), "webdrivr = 1\n").unwrap();
    std::fs::write(
        dir.path().join("grid.toml"),
        "[capabilities]\nplatformName = \"linux\"\n",
    )
    .unwrap();
    let url = endpoint.url.as_str();
    assert_refused(
        &run(
            dir.path(),
            &["--config", "grid.toml", "--webdriver", url],
            &[],
        )
        .await,
    );
    assert_refused(
        &run(
            dir.path(),
            &["--webdriver", url],
            &[("DOCENT_CONFIG", "grid.toml")],
        )
        .await,
    );
    let asked = endpoint.always_match();
    assert_eq!(asked.len(), 2);
    assert!(
        asked.iter().all(|c| c["platformName"] == "linux"),
        "{asked:?}"
    );

    let missing = run(
        dir.path(),
        &["--config", "nope.toml", "--webdriver", url],
        &[],
    )
    .await;
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr,
        "error: cannot read the configuration file nope.toml: there is no such file\n"
    );
    assert_eq!(endpoint.always_match().len(), 2);
}

#[tokio::test]
async fn a_broken_file_stops_the_command_before_any_session() {
    let endpoint = FakeWebDriver::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("docent.toml"),
        "[capabilities]\nplatformName = \"linux\"\n\n[browsers.chrome.capabilities]\nacceptInsecureCerts = true\n",
    )
    .unwrap();
    let output = run(dir.path(), &["--webdriver", &endpoint.url], &[]).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr,
        "error: `chrome` is not a browser docent knows here (it knows `chromium`, `firefox`)\n  \
         --> docent.toml:4:11\n  |\n4 | [browsers.chrome.capabilities]\n  |           ^^^^^^\n  \
         = help: Chrome is driven as `chromium`\n"
    );
    assert!(endpoint.always_match().is_empty());
    assert!(!dir.path().join("out").exists());
}

/// The ```toml example of docs/scale.md, as a project would copy it.
fn documented_example() -> String {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/scale.md"))
        .unwrap();
    let (_, after) = doc
        .split_once("```toml\n")
        .expect("docs/scale.md has a ```toml example");
    let (example, _) = after.split_once("```").expect("the example ends");
    example.to_string()
}

#[tokio::test]
async fn the_documented_example_loads_and_reaches_the_session() {
    let endpoint = FakeWebDriver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let example = documented_example();
    std::fs::write(dir.path().join("docent.toml"), &example).unwrap();
    assert_refused(&run(dir.path(), &["--webdriver", &endpoint.url], &[]).await);
    let asked = endpoint.always_match();
    assert_eq!(asked.len(), 1);
    // Every capability the example sets for Chromium was asked for.
    let table: toml::Table = toml::from_str(&example).unwrap();
    let mut names: Vec<&String> = Vec::new();
    if let Some(common) = table.get("capabilities").and_then(|c| c.as_table()) {
        names.extend(common.keys());
    }
    if let Some(own) = table
        .get("browsers")
        .and_then(|b| b.get("chromium"))
        .and_then(|c| c.get("capabilities"))
        .and_then(|c| c.as_table())
    {
        names.extend(own.keys());
    }
    assert!(!names.is_empty(), "the example sets no capability");
    for name in names {
        assert!(
            asked[0].get(name.as_str()).is_some(),
            "{name} not in {}",
            asked[0]
        );
    }
}

#[tokio::test]
async fn the_files_workers_run_a_batch_unless_the_command_line_says() {
    let endpoint = FakeWebDriver::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("suite")).unwrap();
    for name in ["a", "b"] {
        std::fs::write(
            dir.path().join(format!("suite/{name}.yaml")),
            format!("name: {name}\nurl: http://127.0.0.1:9\nsteps:\n  - goto: /\n"),
        )
        .unwrap();
    }
    std::fs::write(
        dir.path().join("docent.toml"),
        format!("webdriver = \"{}\"\nworkers = 2\n", endpoint.url),
    )
    .unwrap();
    let batch = |args: &'static [&'static str]| {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_docent"))
            .args(["run", "suite", "--out", "out", "--system-fonts"])
            .args(args)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env_remove("DOCENT_WEBDRIVER")
            .env_remove("DOCENT_CONFIG")
            .kill_on_drop(true)
            .output()
    };
    let summary = |output: &Output| {
        assert_eq!(output.status.code(), Some(3), "{output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let from_file = summary(&batch(&[]).await.unwrap());
    assert!(from_file.contains("2 runbooks: 2 broken"), "{from_file}");
    assert!(from_file.contains("(2 workers)"), "{from_file}");
    let from_flag = summary(&batch(&["--workers", "1"]).await.unwrap());
    assert!(from_flag.contains("(1 worker)"), "{from_flag}");
    assert_eq!(endpoint.always_match().len(), 4);
}

/// `docent validate` on the seed runbook, in `dir`.
async fn validate_in(dir: &Path) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_docent"))
        .arg("validate")
        .arg(seed_runbook())
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("DOCENT_CONFIG")
        .output()
        .await
        .expect("docent runs")
}

#[tokio::test]
async fn validate_checks_the_settings_run_would_read() {
    let dir = tempfile::tempdir().unwrap();
    let none = validate_in(dir.path()).await;
    let stdout = String::from_utf8_lossy(&none.stdout);
    assert_eq!(none.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("docent.toml"), "{stdout}");

    std::fs::write(dir.path().join("docent.toml"), FILE).unwrap();
    let good = validate_in(dir.path()).await;
    let stdout = String::from_utf8_lossy(&good.stdout);
    assert_eq!(good.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("ok: docent.toml (settings for run and demo)"),
        "{stdout}"
    );

    std::fs::write(
        dir.path().join("docent.toml"),
        "browser = \"firefx\"\n[browsers.chrome.capabilities]\n",
    )
    .unwrap();
    let broken = validate_in(dir.path()).await;
    let stdout = String::from_utf8_lossy(&broken.stdout);
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert_eq!(broken.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--> docent.toml:1:11"), "{stderr}");
    assert!(stderr.contains("--> docent.toml:2:11"), "{stderr}");
    // The runbook is still checked and reported.
    assert!(stdout.contains("ok: "), "{stdout}");
    assert!(stdout.contains("mtd-create-tracker.yaml"), "{stdout}");
}

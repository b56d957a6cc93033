//! The capabilities docent asks a WebDriver endpoint for: Chromium with the
//! launch flags that keep a root, offline, headless browser quiet and the
//! window at the run's size, or Firefox headless at that size with a
//! WebDriver BiDi socket (see [`super::bidi`]); native dialogs left open
//! for `dialog` steps; and then whatever `--capability NAME=JSON` adds or
//! replaces.
//!
//! A local session names the binary docent found; a remote one (a Selenium
//! Grid, a cloud endpoint) names none unless `--chromium` does, because the
//! remote machine has its own: the node's configuration says where.

use super::Browser;
use serde_json::{Map, Value, json};
use std::path::Path;

/// What the capabilities are made from.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub browser: Browser,
    /// The browser binary to name, if any.
    pub binary: Option<&'a Path>,
    pub headed: bool,
    /// CSS pixels.
    pub viewport: (u32, u32),
    /// `--capability` overrides, in the order given.
    pub overrides: &'a [(String, Value)],
}

/// The W3C `alwaysMatch` capabilities of a new session.
pub fn build(request: Request<'_>) -> Map<String, Value> {
    let mut capabilities = match request.browser {
        Browser::Chromium => chromium(&request),
        Browser::Firefox => firefox(&request),
    };
    capabilities.insert("pageLoadStrategy".into(), json!("normal"));
    // Native dialogs stay open until a `dialog` step answers them.
    capabilities.insert("unhandledPromptBehavior".into(), json!("ignore"));
    for (name, value) in request.overrides {
        apply(&mut capabilities, name, value.clone());
    }
    capabilities
}

fn chromium(request: &Request<'_>) -> Map<String, Value> {
    let (width, height) = request.viewport;
    let mut args = vec![
        "--no-sandbox".to_string(),
        "--disable-gpu".into(),
        "--disable-component-update".into(),
        "--disable-quic".into(),
        "--disable-dev-shm-usage".into(),
        "--hide-scrollbars".into(),
        "--force-color-profile=srgb".into(),
        format!("--window-size={width},{height}"),
        // A `regex:` target is matched in the page, by V8. A pattern
        // that backtracks without end (`^(a+)+$` against `aaa…ab`)
        // would hold the page's only thread past any timeout; with
        // this, V8 moves such a match to its linear-time engine after
        // a bounded number of backtracks. The runbook's patterns are
        // the Rust regex crate's, which has no backreferences or
        // lookaround, so the linear engine takes every one of them.
        "--js-flags=--enable-experimental-regexp-engine-on-excessive-backtracks".into(),
    ];
    if !request.headed {
        args.push("--headless=new".into());
    }
    let mut chrome_options = json!({ "args": args });
    if let Some(binary) = request.binary {
        chrome_options["binary"] = json!(binary);
    }
    let mut capabilities = Map::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert("goog:chromeOptions".into(), chrome_options);
    capabilities
}

fn firefox(request: &Request<'_>) -> Map<String, Value> {
    let (width, height) = request.viewport;
    // The window starts at the run's size; the session then sets the
    // exact viewport through BiDi, as the toolbars take their share.
    let mut args = vec![format!("--width={width}"), format!("--height={height}")];
    if !request.headed {
        args.push("-headless".into());
    }
    let prefs = json!({
        // One CSS pixel is one device pixel, whatever the screen says, so
        // figures are the viewport's size exactly.
        "layout.css.devPixelsPerPx": "1.0",
        // Nothing reaches for the network on its own: the machine may be
        // offline, and a run must not depend on what answers.
        "network.captive-portal-service.enabled": false,
        "network.connectivity-service.enabled": false,
        "browser.safebrowsing.update.enabled": false,
        "extensions.update.enabled": false,
        "app.update.enabled": false,
        "datareporting.policy.dataSubmissionEnabled": false,
        "toolkit.telemetry.enabled": false,
        // Scrollbars that overlay the page and fade, like Chromium's
        // hidden ones, so the page has the whole viewport's width.
        "widget.gtk.overlay-scrollbars.enabled": true,
    });
    let mut firefox_options = json!({ "args": args, "prefs": prefs });
    if let Some(binary) = request.binary {
        firefox_options["binary"] = json!(binary);
    }
    let mut capabilities = Map::new();
    capabilities.insert("browserName".into(), json!("firefox"));
    // The BiDi socket: a script in every document before the page's own,
    // the exact viewport, figures beyond it.
    capabilities.insert("webSocketUrl".into(), json!(true));
    capabilities.insert("moz:firefoxOptions".into(), firefox_options);
    capabilities
}

/// Sets capability `name` to `value`. When both the current value and the
/// new one are objects, the new one's members replace the current one's
/// and the rest stay: `goog:chromeOptions={"binary": "/opt/chrome"}` names
/// a binary and keeps docent's flags. `null` removes the capability.
fn apply(capabilities: &mut Map<String, Value>, name: &str, value: Value) {
    match (capabilities.get_mut(name), value) {
        (_, Value::Null) => {
            capabilities.remove(name);
        }
        (Some(Value::Object(current)), Value::Object(new)) => {
            for (member, value) in new {
                if value.is_null() {
                    current.remove(&member);
                } else {
                    current.insert(member, value);
                }
            }
        }
        (_, value) => {
            capabilities.insert(name.to_string(), value);
        }
    }
}

/// Parses `--capability NAME=JSON`; a value that is not JSON is taken as a
/// string, so `platformName=linux` needs no quotes.
pub fn parse_override(text: &str) -> Result<(String, Value), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not NAME=JSON"))?;
    if name.is_empty() {
        return Err(format!("`{text}` names no capability"));
    }
    let value = serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.into()));
    Ok((name.to_string(), value))
}

/// An endpoint as docent shows it in messages and reports: a password in
/// it (`http://user:secret@grid:4444/`, for a hub behind Basic
/// authentication) is never shown.
pub fn shown(url: &url::Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        let _ = shown.set_password(Some("***"));
    }
    shown.to_string()
}

/// Parses `--webdriver URL`: an http or https address, taken as a folder,
/// so `http://grid:4444/wd/hub` gets its sessions at `/wd/hub/session`.
pub fn parse_endpoint(text: &str) -> Result<url::Url, String> {
    let mut url = url::Url::parse(text)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some())
        .ok_or_else(|| {
            format!("`{text}` is not a WebDriver address; write it like http://127.0.0.1:4444")
        })?;
    if !url.path().ends_with('/') {
        let folder = format!("{}/", url.path());
        url.set_path(&folder);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(binary: Option<&Path>, overrides: &[(String, Value)]) -> Map<String, Value> {
        build(Request {
            browser: Browser::Chromium,
            binary,
            headed: false,
            viewport: (1280, 800),
            overrides,
        })
    }

    #[test]
    fn a_local_session_names_its_binary_and_a_remote_one_does_not() {
        let local = request(Some(Path::new("/usr/lib/chromium/chromium")), &[]);
        assert_eq!(
            local["goog:chromeOptions"]["binary"],
            "/usr/lib/chromium/chromium"
        );
        let remote = request(None, &[]);
        assert!(remote["goog:chromeOptions"].get("binary").is_none());
        assert_eq!(remote["browserName"], "chrome");
        assert_eq!(remote["unhandledPromptBehavior"], "ignore");
        let args = remote["goog:chromeOptions"]["args"].as_array().unwrap();
        assert!(args.contains(&json!("--headless=new")));
        assert!(args.contains(&json!("--window-size=1280,800")));
    }

    #[test]
    fn an_object_override_merges_one_level_and_null_removes() {
        let overrides = [
            parse_override(r#"goog:chromeOptions={"binary": "/opt/chrome"}"#).unwrap(),
            parse_override("platformName=linux").unwrap(),
            parse_override("unhandledPromptBehavior=null").unwrap(),
            parse_override(r#"se:name="nightly""#).unwrap(),
        ];
        let capabilities = request(None, &overrides);
        let chrome = &capabilities["goog:chromeOptions"];
        assert_eq!(chrome["binary"], "/opt/chrome");
        assert!(!chrome["args"].as_array().unwrap().is_empty());
        assert_eq!(capabilities["platformName"], "linux");
        assert_eq!(capabilities["se:name"], "nightly");
        assert!(!capabilities.contains_key("unhandledPromptBehavior"));

        let replaced =
            request(
                None,
                &[parse_override(
                    r#"goog:chromeOptions={"args": ["--headless=new"], "binary": null}"#,
                )
                .unwrap()],
            );
        assert_eq!(
            replaced["goog:chromeOptions"],
            json!({ "args": ["--headless=new"] })
        );
    }

    #[test]
    fn firefox_is_headless_at_the_runs_size_with_a_bidi_socket() {
        let overrides =
            [parse_override(r#"moz:firefoxOptions={"log": {"level": "trace"}}"#).unwrap()];
        let capabilities = build(Request {
            browser: Browser::Firefox,
            binary: Some(Path::new("/usr/lib/firefox-esr/firefox-esr")),
            headed: false,
            viewport: (1024, 700),
            overrides: &overrides,
        });
        assert_eq!(capabilities["browserName"], "firefox");
        assert_eq!(capabilities["webSocketUrl"], true);
        assert_eq!(capabilities["unhandledPromptBehavior"], "ignore");
        let options = &capabilities["moz:firefoxOptions"];
        assert_eq!(options["binary"], "/usr/lib/firefox-esr/firefox-esr");
        assert_eq!(
            options["args"],
            json!(["--width=1024", "--height=700", "-headless"])
        );
        assert_eq!(options["prefs"]["layout.css.devPixelsPerPx"], "1.0");
        assert_eq!(options["log"]["level"], "trace");
        assert!(capabilities.get("goog:chromeOptions").is_none());
    }

    #[test]
    fn an_endpoint_is_an_http_folder() {
        let hub = parse_endpoint("http://127.0.0.1:4444").unwrap();
        assert_eq!(
            hub.join("session").unwrap().as_str(),
            "http://127.0.0.1:4444/session"
        );
        let legacy = parse_endpoint("http://grid:4444/wd/hub").unwrap();
        assert_eq!(
            legacy.join("session").unwrap().as_str(),
            "http://grid:4444/wd/hub/session"
        );
        assert!(parse_endpoint("127.0.0.1:4444").is_err());
        assert!(parse_endpoint("ftp://grid/").is_err());
    }

    #[test]
    fn an_endpoints_password_is_never_shown() {
        let hub = parse_endpoint("http://admin:s3cret@grid:4444").unwrap();
        assert_eq!(shown(&hub), "http://admin:***@grid:4444/");
        let open = parse_endpoint("http://grid:4444/wd/hub").unwrap();
        assert_eq!(shown(&open), "http://grid:4444/wd/hub/");
    }

    #[test]
    fn an_override_needs_a_name_and_an_equals_sign() {
        assert!(parse_override("browserName").is_err());
        assert!(parse_override("={}").is_err());
        assert_eq!(
            parse_override("acceptInsecureCerts=true").unwrap(),
            ("acceptInsecureCerts".into(), json!(true))
        );
    }
}

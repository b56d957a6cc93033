//! A browser session through a local driver docent starts (chromedriver
//! or geckodriver), or through a remote WebDriver endpoint (a Selenium
//! Grid): the exact viewport, and the [`Page`] operations, implemented
//! with classic WebDriver wherever it has the command, and otherwise
//!
//! - on Chromium, with chromedriver's CDP passthrough, which a Grid
//!   forwards to its node's chromedriver like any other session command;
//! - on Firefox, with WebDriver BiDi (see [`super::bidi`]) and W3C actions.
//!
//! The two differ where the protocols do: CDP installs a script per tab,
//! so a window the page opens gets it when docent first switches to it;
//! a BiDi preload script reaches every document of the session by itself.

mod start;

use super::bidi::Bidi;
use super::cdp::Wd;
use super::deadline::Deadlines;
use super::driver::Driver;
use super::{BrowserError, BrowserInfo, Clip, Page};
use crate::runbook::{KeyCombo, Modifier};
use base64::Engine as _;
use base64::prelude::BASE64_STANDARD;
use http::Method;
use serde_json::{Value, json};

/// A browser session and the driver that serves it; closing it stops both.
pub struct BrowserSession {
    client: fantoccini::Client,
    /// Which browser, for the reports.
    info: BrowserInfo,
    driver: Option<Driver>,
    /// The session's BiDi socket (Firefox): what CDP does on Chromium.
    bidi: Option<Bidi>,
    /// The window later commands act in (a BiDi browsing context id, which
    /// is the same as its WebDriver window handle).
    window: std::sync::Mutex<String>,
    /// Where the frame commands act in starts in the top viewport.
    /// geckodriver takes a pointer's viewport coordinates in that frame's
    /// viewport, chromedriver in the top one, where the engine gives them.
    frame_origin: std::sync::Mutex<(f64, f64)>,
    viewport: (u32, u32),
    /// The script every document gets, re-installed in windows opened later.
    init_scripts: std::sync::Mutex<Vec<String>>,
    /// Windows that already have the viewport and init scripts.
    prepared: std::sync::Mutex<Vec<String>>,
    /// The deadline every request is held to.
    deadlines: Deadlines,
}

impl BrowserSession {
    /// Sends a BiDi command within the request deadline; only a session
    /// that has the socket (Firefox) calls this.
    async fn bidi(&self, method: &'static str, params: Value) -> Result<Value, BrowserError> {
        let bidi = self.bidi.as_ref().ok_or_else(|| {
            BrowserError::Command(format!(
                "{method} needs WebDriver BiDi, which this session has not"
            ))
        })?;
        self.deadlines
            .bound(method, bidi.command(method, params))
            .await
    }

    /// The browsing context (window) later commands act in.
    fn context(&self) -> String {
        self.window.lock().expect("window").clone()
    }

    /// A point of the top viewport as the driver's pointer actions take
    /// it: unchanged on Chromium, in the current frame's viewport on
    /// Firefox; rounded to whole CSS pixels either way.
    fn pointer_at(&self, x: f64, y: f64) -> (i64, i64) {
        let (dx, dy) = match self.bidi {
            Some(_) => *self.frame_origin.lock().expect("frame origin"),
            None => (0.0, 0.0),
        };
        ((x - dx).round() as i64, (y - dy).round() as i64)
    }

    /// Commands act in the top document again.
    fn left_frames(&self) {
        *self.frame_origin.lock().expect("frame origin") = (0.0, 0.0);
    }

    async fn cdp(&self, method: &'static str, params: Value) -> Result<Value, BrowserError> {
        let sent = async {
            self.client
                .issue_cmd(Wd::cdp(method, params))
                .await
                .map_err(|e| {
                    if e.is_unknown_command() || e.is_unknown_method() || e.is_unknown_path() {
                        BrowserError::Command(format!(
                            "this WebDriver endpoint does not pass Chrome DevTools commands \
                             through (`goog/cdp/execute`, which chromedriver and Selenium Grid \
                             do); docent needs {method} from it on Chromium. Point --webdriver at \
                             chromedriver or a Selenium Grid, or run with --browser firefox, \
                             which needs only WebDriver BiDi ({e})"
                        ))
                    } else {
                        BrowserError::from(e)
                    }
                })
        };
        self.deadlines.bound(method, sent).await
    }

    async fn wd(
        &self,
        method: Method,
        path: &'static str,
        body: Option<Value>,
    ) -> Result<Value, BrowserError> {
        self.deadlines
            .bound(path, self.client.issue_cmd(Wd { method, path, body }))
            .await
    }

    /// Sends a request that waits for a page to load (navigating, going
    /// back, reloading), telling the driver to give up on the load when
    /// the step's time is up; a load cut short is a slow page, not a
    /// frozen browser.
    async fn load<F>(
        &self,
        request: &'static str,
        send: impl FnOnce() -> F,
    ) -> Result<(), BrowserError>
    where
        F: std::future::Future<Output = Result<(), fantoccini::error::CmdError>>,
    {
        let started = std::time::Instant::now();
        if let Some(remaining) = self.deadlines.step_remaining(started) {
            let timeouts = fantoccini::wd::TimeoutConfiguration::new(
                None,
                Some(remaining.max(std::time::Duration::from_millis(1))),
                None,
            );
            self.deadlines
                .bound("set timeouts", self.client.update_timeouts(timeouts))
                .await?;
        }
        let loaded = async {
            match send().await {
                Err(e) if e.is_timeout() => Err(BrowserError::LoadTimeout {
                    waited: started.elapsed(),
                }),
                other => Ok(other?),
            }
        };
        self.deadlines.bound(request, loaded).await
    }

    /// W3C actions: one pointer or key source with its ticks.
    async fn actions(&self, source: Value) -> Result<(), BrowserError> {
        self.wd(
            Method::POST,
            "actions",
            Some(json!({ "actions": [source] })),
        )
        .await?;
        Ok(())
    }

    async fn set_viewport(&self, width: u32, height: u32) -> Result<(), BrowserError> {
        // The window's size leaves a smaller viewport (toolbars, or
        // Chromium's headless quirks); the override makes figures exactly
        // the requested size.
        match self.bidi {
            None => {
                self.cdp(
                    "Emulation.setDeviceMetricsOverride",
                    json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
                )
                .await?;
            }
            Some(_) => {
                self.bidi(
                    "browsingContext.setViewport",
                    json!({
                        "context": self.context(),
                        "viewport": { "width": width, "height": height },
                        "devicePixelRatio": 1,
                    }),
                )
                .await?;
            }
        }
        Ok(())
    }

    /// Runs `source` in every document this tab loads from now on, and in
    /// the current one.
    pub async fn add_init_script(&self, source: &str) -> Result<(), BrowserError> {
        if self.bidi.is_some() {
            // Once for the whole session: every document of every window
            // and frame runs it before the page's own scripts.
            self.bidi(
                "script.addPreloadScript",
                json!({ "functionDeclaration": format!("() => {{\n{source}\n}}") }),
            )
            .await?;
            self.eval(source, Vec::new()).await?;
            return Ok(());
        }
        self.init_scripts
            .lock()
            .expect("init script list")
            .push(source.to_string());
        self.install(source).await
    }

    async fn install(&self, source: &str) -> Result<(), BrowserError> {
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": source, "runImmediately": true }),
        )
        .await?;
        Ok(())
    }

    /// The WebDriver client underneath, for benchmarks and diagnostics
    /// that need raw commands; runs go through [`Page`].
    pub fn client(&self) -> &fantoccini::Client {
        &self.client
    }
}

impl Page for BrowserSession {
    fn browser(&self) -> Option<BrowserInfo> {
        Some(self.info.clone())
    }

    fn serve_step(&self, deadline: std::time::Instant) {
        self.deadlines.serve_step(deadline);
    }

    async fn goto(&self, url: &str) -> Result<(), BrowserError> {
        // Navigating acts in the top document (the engine leaves its
        // frames too).
        self.left_frames();
        self.load("navigate to", || self.client.goto(url)).await
    }

    async fn eval(&self, script: &str, args: Vec<Value>) -> Result<Value, BrowserError> {
        if self.bidi.is_none() {
            return self
                .deadlines
                .bound("execute script", self.client.execute(script, args))
                .await;
        }
        // A script whose document goes away while it waits (a click that
        // navigates, during a wait that listens for the page's next change)
        // gets from geckodriver the error "Document was unloaded", or a bare
        // `null` the caller would take for the script's own answer (wrapped,
        // a real answer is always an object). Either way the call is made
        // again in the document that replaces it, as chromedriver does by
        // itself.
        let wrapped = format!(
            "return Promise.resolve((function () {{\n{script}\n}}).apply(this, arguments))\n\
             .then((value) => ({{ docent: value === undefined ? null : value }}));"
        );
        // Until the new document answers: a navigation under way can
        // unload the next attempt's document too. Each attempt is a round
        // trip, and the whole is held to the step's time (or ten seconds).
        let started = std::time::Instant::now();
        let limit = self
            .deadlines
            .step_remaining(started)
            .unwrap_or(std::time::Duration::from_secs(10));
        let mut attempts = 0;
        loop {
            attempts += 1;
            let sent = async {
                match self.client.execute(&wrapped, args.clone()).await {
                    Err(e) if e.to_string().contains("Document was unloaded") => Ok(Value::Null),
                    other => other,
                }
            };
            let answer = self.deadlines.bound("execute script", sent).await?;
            if let Some(value) = answer.get("docent") {
                return Ok(value.clone());
            }
            tracing::debug!(
                attempts,
                "the document went away during a script; asking the new one"
            );
            if started.elapsed() >= limit {
                return Err(BrowserError::Command(format!(
                    "the page kept navigating away while a script waited for its answer \
                     ({attempts} tries in {})",
                    crate::runbook::duration::human(started.elapsed())
                )));
            }
        }
    }

    async fn click_at(&self, x: f64, y: f64) -> Result<(), BrowserError> {
        // One W3C action chain: move, press, release in a single round trip,
        // so the page has the least time to change between aim and press.
        // The driver dispatches them as trusted input to the top-level
        // viewport, in whole CSS pixels.
        let (x, y) = self.pointer_at(x, y);
        self.actions(pointer(&[
            json!({ "type": "pointerMove", "duration": 0, "origin": "viewport", "x": x, "y": y }),
            json!({ "type": "pointerDown", "button": 0 }),
            json!({ "type": "pointerUp", "button": 0 }),
        ]))
        .await
    }

    async fn insert_text(&self, text: &str) -> Result<(), BrowserError> {
        if self.bidi.is_none() {
            self.cdp("Input.insertText", json!({ "text": text }))
                .await?;
            return Ok(());
        }
        // A key press per character: the driver turns each into trusted
        // key events and the text they type.
        let ticks: Vec<Value> = text
            .chars()
            .flat_map(|c| {
                let key = c.to_string();
                [
                    json!({ "type": "keyDown", "value": key }),
                    json!({ "type": "keyUp", "value": key }),
                ]
            })
            .collect();
        if ticks.is_empty() {
            return Ok(());
        }
        self.actions(json!({ "type": "key", "id": "docent-keyboard", "actions": ticks }))
            .await
    }

    async fn screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        self.deadlines
            .bound("take screenshot", self.client.screenshot())
            .await
    }

    async fn html(&self) -> Result<String, BrowserError> {
        self.deadlines
            .bound("get page source", self.client.source())
            .await
    }

    async fn url(&self) -> Result<String, BrowserError> {
        let url = self
            .deadlines
            .bound("get current URL", self.client.current_url())
            .await?;
        Ok(url.to_string())
    }

    async fn back(&self) -> Result<(), BrowserError> {
        self.left_frames();
        self.load("back", || self.client.back()).await
    }

    async fn reload(&self) -> Result<(), BrowserError> {
        self.left_frames();
        self.load("refresh", || self.client.refresh()).await
    }

    async fn hover_at(&self, x: f64, y: f64) -> Result<(), BrowserError> {
        if self.bidi.is_some() {
            return self
                .actions(pointer(&[{
                    let (x, y) = self.pointer_at(x, y);
                    json!({ "type": "pointerMove", "duration": 0, "origin": "viewport", "x": x, "y": y })
                }]))
                .await;
        }
        self.cdp(
            "Input.dispatchMouseEvent",
            json!({ "type": "mouseMoved", "x": x, "y": y, "buttons": 0 }),
        )
        .await?;
        Ok(())
    }

    async fn double_click_at(&self, x: f64, y: f64) -> Result<(), BrowserError> {
        if self.bidi.is_some() {
            // Two presses in one chain: the driver counts the second as
            // a double click and the page gets `dblclick`.
            let (x, y) = self.pointer_at(x, y);
            return self
                .actions(pointer(&[
                    json!({ "type": "pointerMove", "duration": 0, "origin": "viewport", "x": x, "y": y }),
                    json!({ "type": "pointerDown", "button": 0 }),
                    json!({ "type": "pointerUp", "button": 0 }),
                    json!({ "type": "pointerDown", "button": 0 }),
                    json!({ "type": "pointerUp", "button": 0 }),
                ]))
                .await;
        }
        self.hover_at(x, y).await?;
        // Chromium fires `dblclick` on the second press with clickCount 2.
        for count in [1, 2] {
            for (kind, buttons) in [("mousePressed", 1), ("mouseReleased", 0)] {
                self.cdp(
                    "Input.dispatchMouseEvent",
                    json!({ "type": kind, "x": x, "y": y, "buttons": buttons, "button": "left", "clickCount": count }),
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn press(&self, keys: &[KeyCombo]) -> Result<(), BrowserError> {
        // W3C key actions: the driver turns them into trusted key events
        // with the right `key`, `code` and text.
        let mut ticks = Vec::new();
        for combo in keys {
            let modifiers: Vec<&str> = combo.modifiers.iter().map(|m| modifier_code(*m)).collect();
            for m in &modifiers {
                ticks.push(json!({ "type": "keyDown", "value": m }));
            }
            let key = key_code(&combo.key);
            ticks.push(json!({ "type": "keyDown", "value": key }));
            ticks.push(json!({ "type": "keyUp", "value": key }));
            for m in modifiers.iter().rev() {
                ticks.push(json!({ "type": "keyUp", "value": m }));
            }
        }
        self.actions(json!({ "type": "key", "id": "docent-keyboard", "actions": ticks }))
            .await
    }

    async fn dialog_text(&self) -> Result<Option<String>, BrowserError> {
        match self.wd(Method::GET, "alert/text", None).await {
            Ok(text) => Ok(Some(text.as_str().unwrap_or_default().to_string())),
            Err(BrowserError::Command(message)) if message.contains("no such alert") => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn answer_dialog(&self, accept: bool, text: Option<&str>) -> Result<(), BrowserError> {
        if let Some(text) = text {
            self.wd(Method::POST, "alert/text", Some(json!({ "text": text })))
                .await?;
        }
        let path = if accept {
            "alert/accept"
        } else {
            "alert/dismiss"
        };
        self.wd(Method::POST, path, Some(json!({}))).await?;
        Ok(())
    }

    async fn enter_frame(&self, element: Value, origin: (f64, f64)) -> Result<(), BrowserError> {
        self.wd(Method::POST, "frame", Some(json!({ "id": element })))
            .await?;
        let mut at = self.frame_origin.lock().expect("frame origin");
        *at = (at.0 + origin.0, at.1 + origin.1);
        Ok(())
    }

    async fn leave_frame(&self) -> Result<(), BrowserError> {
        self.wd(Method::POST, "frame", Some(json!({ "id": null })))
            .await?;
        self.left_frames();
        Ok(())
    }

    async fn windows(&self) -> Result<Vec<String>, BrowserError> {
        Ok(self
            .deadlines
            .bound("get window handles", self.client.windows())
            .await?
            .into_iter()
            .map(String::from)
            .collect())
    }

    async fn switch_window(&self, handle: &str) -> Result<(), BrowserError> {
        self.wd(Method::POST, "window", Some(json!({ "handle": handle })))
            .await?;
        *self.window.lock().expect("window") = handle.to_string();
        self.left_frames();
        // A window opened by the page has neither the viewport nor the
        // helper; give it both once.
        let fresh = {
            let mut prepared = self.prepared.lock().expect("window list");
            if prepared.iter().any(|h| h == handle) {
                false
            } else {
                prepared.push(handle.to_string());
                true
            }
        };
        if fresh {
            self.set_viewport(self.viewport.0, self.viewport.1).await?;
            // A BiDi preload script is already there: `init_scripts` holds
            // only the per-tab CDP ones.
            let scripts = self.init_scripts.lock().expect("init script list").clone();
            for script in scripts {
                self.install(&script).await?;
            }
        }
        Ok(())
    }

    async fn screenshot_clip(&self, clip: Clip) -> Result<Vec<u8>, BrowserError> {
        let answer = if self.bidi.is_some() {
            self.bidi(
                "browsingContext.captureScreenshot",
                json!({
                    "context": self.context(),
                    "origin": "document",
                    "clip": { "type": "box", "x": clip.x, "y": clip.y, "width": clip.width, "height": clip.height },
                }),
            )
            .await?
        } else {
            self
            .cdp(
                "Page.captureScreenshot",
                json!({
                    "format": "png",
                    "captureBeyondViewport": true,
                    "clip": { "x": clip.x, "y": clip.y, "width": clip.width, "height": clip.height, "scale": 1 },
                }),
            )
            .await?
        };
        // CDP and BiDi send the image as padded standard base64 on one line.
        let data = answer["data"].as_str().unwrap_or_default();
        BASE64_STANDARD
            .decode(data)
            .map_err(|_| BrowserError::Command("the screenshot is not base64".into()))
    }
}

/// A W3C pointer source (docent's one mouse) with its ticks.
fn pointer(ticks: &[Value]) -> Value {
    json!({
        "type": "pointer",
        "id": "docent-mouse",
        "parameters": { "pointerType": "mouse" },
        "actions": ticks,
    })
}

/// The WebDriver code of a modifier key.
fn modifier_code(m: Modifier) -> &'static str {
    match m {
        Modifier::Shift => "\u{E008}",
        Modifier::Control => "\u{E009}",
        Modifier::Alt => "\u{E00A}",
        Modifier::Meta => "\u{E03D}",
    }
}

/// The WebDriver code of a key named as the DOM names it.
fn key_code(key: &str) -> String {
    let code = match key {
        "Backspace" => '\u{E003}',
        "Tab" => '\u{E004}',
        "Enter" => '\u{E007}',
        "Escape" => '\u{E00C}',
        "PageUp" => '\u{E00E}',
        "PageDown" => '\u{E00F}',
        "End" => '\u{E010}',
        "Home" => '\u{E011}',
        "ArrowLeft" => '\u{E012}',
        "ArrowUp" => '\u{E013}',
        "ArrowRight" => '\u{E014}',
        "ArrowDown" => '\u{E015}',
        "Insert" => '\u{E016}',
        "Delete" => '\u{E017}',
        "F1" => '\u{E031}',
        "F2" => '\u{E032}',
        "F3" => '\u{E033}',
        "F4" => '\u{E034}',
        "F5" => '\u{E035}',
        "F6" => '\u{E036}',
        "F7" => '\u{E037}',
        "F8" => '\u{E038}',
        "F9" => '\u{E039}',
        "F10" => '\u{E03A}',
        "F11" => '\u{E03B}',
        "F12" => '\u{E03C}',
        other => return other.to_string(),
    };
    code.to_string()
}

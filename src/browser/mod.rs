//! The browser seam: starting a WebDriver server and a browser session, and
//! the narrow [`Page`] interface the engine drives. The engine's waiting,
//! toggling and toast logic only ever talks to `Page`, so it does not care
//! whether the session is a local Chromium or one on a Selenium Grid's node.

mod bidi;
mod capabilities;
mod cdp;
mod deadline;
mod driver;
pub mod fonts;
pub mod locate;
mod session;

pub use capabilities::{parse_endpoint as parse_webdriver, parse_override as parse_capability};
pub use fonts::Fonts;
pub use session::BrowserSession;

use std::path::PathBuf;

/// What went wrong talking to the browser. These end a run: the page can no
/// longer be trusted (the browser crashed, the session is gone, a script
/// threw).
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    /// Chromium or chromedriver is nowhere docent looks for it.
    #[error(transparent)]
    Missing(#[from] locate::Missing),
    #[error("cannot start {program}: {reason}")]
    Start { program: String, reason: String },
    #[error("WebDriver session could not be created: {0}")]
    Session(String),
    #[error("the browser stopped answering: {0}")]
    Command(String),
    /// A request got no answer by its deadline (see [`deadline`]); the
    /// browser is taken for frozen and every later request is refused.
    #[error(
        "the browser stopped answering: no answer to `{request}` in {}; it is frozen or overloaded",
        crate::runbook::duration::human(*waited)
    )]
    Frozen {
        request: &'static str,
        waited: std::time::Duration,
    },
    /// A page load outlasted its step's timeout.
    #[error("the page was still loading after {}", crate::runbook::duration::human(*waited))]
    LoadTimeout { waited: std::time::Duration },
    /// A native `alert`, `confirm` or `prompt` is open and blocks the page.
    #[error("a native dialog is open: \"{0}\"")]
    DialogOpen(String),
}

impl From<fantoccini::error::CmdError> for BrowserError {
    fn from(e: fantoccini::error::CmdError) -> Self {
        // W3C: the error's data carries the dialog's text (geckodriver
        // sends it there; chromedriver puts it in the message, below).
        if let fantoccini::error::CmdError::Standard(error) = &e
            && e.is_unexpected_alert_open()
            && let Some(text) = error
                .data
                .as_ref()
                .and_then(|data| data.get("text"))
                .and_then(|text| text.as_str())
        {
            return BrowserError::DialogOpen(text.to_string());
        }
        let message = e.to_string();
        // chromedriver: "unexpected alert open: {Alert text : Reset?}"
        if let Some(rest) = message.split("unexpected alert open").nth(1) {
            let text = rest
                .split("Alert text : ")
                .nth(1)
                .and_then(|t| t.split('}').next())
                .unwrap_or("")
                .to_string();
            return BrowserError::DialogOpen(text);
        }
        // Selenium Grid's hub, when the node that holds the session no
        // longer answers (it crashed, was stopped, or lost its network).
        if message.contains("Unable to execute request for an existing session") {
            return BrowserError::Command(format!(
                "the Grid node that holds this session is gone ({message})"
            ));
        }
        BrowserError::Command(message)
    }
}

/// The browsers docent drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Browser {
    /// Chromium (or Chrome) through chromedriver, with CDP where
    /// WebDriver has no command.
    #[default]
    Chromium,
    /// Firefox through geckodriver, with WebDriver BiDi where classic
    /// WebDriver has no command.
    Firefox,
}

impl Browser {
    /// Its name in folders (`baselines/<runbook>/<browser>/`), reports and
    /// on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Browser::Chromium => "chromium",
            Browser::Firefox => "firefox",
        }
    }
}

impl std::fmt::Display for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Which browser a run ran in, as its reports say: docent's name for it,
/// the version the session reported, and the remote endpoint if any.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BrowserInfo {
    /// `chromium` or `firefox`.
    pub name: String,
    /// The session's `browserVersion` (`156.0.7601.0`, `153.8.0`).
    pub version: Option<String>,
    /// The `--webdriver` endpoint the session came from; `None` for a
    /// driver docent started.
    pub webdriver: Option<String>,
}

/// How to start the browser.
#[derive(Debug, Clone)]
pub struct LaunchOptions {
    /// Which browser.
    pub browser: Browser,
    /// chromedriver as `--chromedriver` named it; otherwise it is looked
    /// for as [`locate`] says (environment, `PATH`, Debian's path).
    pub chromedriver: Option<PathBuf>,
    /// The browser binary as `--chromium` named it; otherwise looked for
    /// likewise. With `webdriver`, a path on the remote side, passed on as
    /// it is; none lets the remote side pick its own.
    pub chromium: Option<PathBuf>,
    /// geckodriver as `--geckodriver` named it (a Firefox run).
    pub geckodriver: Option<PathBuf>,
    /// Firefox as `--firefox` named it; like `chromium` otherwise.
    pub firefox: Option<PathBuf>,
    /// Show the window instead of running headless.
    pub headed: bool,
    /// CSS pixels; figures are taken at exactly this size.
    pub viewport: (u32, u32),
    /// docent's pinned fonts (when installed) or the machine's; a remote
    /// session renders with whatever fonts its node has.
    pub fonts: Fonts,
    /// A remote W3C WebDriver endpoint (a Selenium Grid's hub) to ask for
    /// the session, instead of starting chromedriver here.
    pub webdriver: Option<url::Url>,
    /// Capabilities added to or replacing docent's own, in order (see
    /// [`capabilities`]).
    pub capabilities: Vec<(String, serde_json::Value)>,
}

impl Default for LaunchOptions {
    fn default() -> Self {
        LaunchOptions {
            browser: Browser::Chromium,
            chromedriver: None,
            chromium: None,
            geckodriver: None,
            firefox: None,
            headed: false,
            viewport: (1280, 800),
            fonts: Fonts::Pinned,
            webdriver: None,
            capabilities: Vec::new(),
        }
    }
}

/// One typed request to code running in the page: the script it runs, the
/// arguments it passes and the shape of the answer. The engine never hands
/// `Page::eval` a string of its own; every in-page call is a type, so a
/// renamed function or a changed answer is one place to change, and fakes
/// answer calls by type rather than by matching script text.
pub trait Call: 'static {
    /// What the page answers, decoded from the script's return value.
    type Reply: serde::de::DeserializeOwned;
    /// A short name for error messages and logs (`probe`, `toasts`).
    const NAME: &'static str;
    /// A function body using `arguments`; a returned promise is awaited.
    fn script(&self) -> std::borrow::Cow<'static, str>;
    /// The values the script sees as `arguments`.
    fn args(&self) -> Vec<serde_json::Value>;
}

/// One browser tab as the engine sees it.
// The engine is generic over this trait and never needs `dyn Page`, so the
// auto-trait caveat of `async fn` in public traits does not bite here.
#[allow(async_fn_in_trait)]
pub trait Page {
    /// Which browser this is, for the reports (none for a fake page).
    fn browser(&self) -> Option<BrowserInfo> {
        None
    }
    /// Holds the requests that follow to a step that must end by
    /// `deadline`: each must be answered within a grace period of it.
    fn serve_step(&self, deadline: std::time::Instant) {
        let _ = deadline;
    }
    /// Navigates and waits for the document to load, at most until the
    /// step's deadline.
    async fn goto(&self, url: &str) -> Result<(), BrowserError>;
    /// Runs `script` (a function body using `arguments`) and returns its
    /// value; a returned promise is awaited.
    async fn eval(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
    ) -> Result<serde_json::Value, BrowserError>;
    /// Runs one typed call in the page and decodes its answer; an answer of
    /// the wrong shape is a broken page helper, not a failed step.
    async fn call<C: Call>(&self, call: &C) -> Result<C::Reply, BrowserError> {
        let answer = self.eval(&call.script(), call.args()).await?;
        serde_json::from_value(answer).map_err(|e| {
            BrowserError::Command(format!(
                "unexpected answer to the page call `{}`: {e}",
                C::NAME
            ))
        })
    }
    /// A real left click at viewport coordinates.
    async fn click_at(&self, x: f64, y: f64) -> Result<(), BrowserError>;
    /// Types text into the focused element as input events.
    async fn insert_text(&self, text: &str) -> Result<(), BrowserError>;
    /// A PNG of the viewport.
    async fn screenshot(&self) -> Result<Vec<u8>, BrowserError>;
    /// The current document as HTML.
    async fn html(&self) -> Result<String, BrowserError>;
    /// The current URL.
    async fn url(&self) -> Result<String, BrowserError>;
    /// History back, waiting for the page to load.
    async fn back(&self) -> Result<(), BrowserError>;
    /// Reloads, waiting for the page to load.
    async fn reload(&self) -> Result<(), BrowserError>;
    /// Moves the pointer to viewport coordinates.
    async fn hover_at(&self, x: f64, y: f64) -> Result<(), BrowserError>;
    /// A real double click at viewport coordinates.
    async fn double_click_at(&self, x: f64, y: f64) -> Result<(), BrowserError>;
    /// Presses each combination in turn (modifiers held around its key).
    async fn press(&self, keys: &[crate::runbook::KeyCombo]) -> Result<(), BrowserError>;
    /// The message of the native dialog that is open, if one is.
    async fn dialog_text(&self) -> Result<Option<String>, BrowserError>;
    /// Accepts (typing `text` into a prompt first) or dismisses the open dialog.
    async fn answer_dialog(&self, accept: bool, text: Option<&str>) -> Result<(), BrowserError>;
    /// Makes the iframe `element` (a WebDriver element reference returned
    /// by `eval`) the context of later commands. `origin` is where the
    /// frame's viewport starts in the current one: points given to the
    /// page stay in the top viewport, whichever frame commands act in.
    async fn enter_frame(
        &self,
        element: serde_json::Value,
        origin: (f64, f64),
    ) -> Result<(), BrowserError>;
    /// Back to the top-level document.
    async fn leave_frame(&self) -> Result<(), BrowserError>;
    /// Handles of the open windows and tabs, in the order the browser lists them.
    async fn windows(&self) -> Result<Vec<String>, BrowserError>;
    /// Makes window `handle` the one later commands act in.
    async fn switch_window(&self, handle: &str) -> Result<(), BrowserError>;
    /// A PNG of a rectangle in document coordinates, beyond the viewport if need be.
    async fn screenshot_clip(&self, clip: Clip) -> Result<Vec<u8>, BrowserError>;
}

/// A rectangle of the document, in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize)]
pub struct Clip {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

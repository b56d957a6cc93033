//! The browser seam: starting a WebDriver server and a browser session, and
//! the narrow [`Page`] interface the engine drives. The engine's waiting,
//! toggling and toast logic only ever talks to `Page`, so it does not care
//! whether the session is a local Chromium or something else later.

mod cdp;
mod chromedriver;
mod session;

pub use chromedriver::Chromedriver;
pub use session::ChromiumSession;

use std::path::PathBuf;

/// What went wrong talking to the browser. These end a run: the page can no
/// longer be trusted (the browser crashed, the session is gone, a script
/// threw).
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    #[error("cannot start {program}: {reason}")]
    Start { program: String, reason: String },
    #[error("WebDriver session could not be created: {0}")]
    Session(String),
    #[error("the browser stopped answering: {0}")]
    Command(String),
}

impl From<fantoccini::error::CmdError> for BrowserError {
    fn from(e: fantoccini::error::CmdError) -> Self {
        BrowserError::Command(e.to_string())
    }
}

/// How to start the browser.
#[derive(Debug, Clone)]
pub struct LaunchOptions {
    pub chromedriver: PathBuf,
    pub chromium: PathBuf,
    /// Show the window instead of running headless.
    pub headed: bool,
    /// CSS pixels; figures are taken at exactly this size.
    pub viewport: (u32, u32),
}

impl Default for LaunchOptions {
    fn default() -> Self {
        LaunchOptions {
            chromedriver: std::env::var_os("DOCENT_CHROMEDRIVER")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver")),
            chromium: std::env::var_os("DOCENT_CHROMIUM")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("/usr/lib/chromium/chromium")),
            headed: false,
            viewport: (1280, 800),
        }
    }
}

/// One browser tab as the engine sees it.
// The engine is generic over this trait and never needs `dyn Page`, so the
// auto-trait caveat of `async fn` in public traits does not bite here.
#[allow(async_fn_in_trait)]
pub trait Page {
    /// Navigates and waits for the document to load.
    async fn goto(&self, url: &str) -> Result<(), BrowserError>;
    /// Runs `script` (a function body using `arguments`) and returns its
    /// value; a returned promise is awaited.
    async fn eval(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
    ) -> Result<serde_json::Value, BrowserError>;
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
}

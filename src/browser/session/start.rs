//! Starting and ending a browser session: the driver found and started
//! here (or none, for a remote endpoint), the capabilities asked for, the
//! BiDi socket opened for Firefox, the exact viewport set; and closing it
//! all in order, or by force when the browser is frozen.

use super::BrowserSession;
use crate::browser::bidi::Bidi;
use crate::browser::deadline::Deadlines;
use crate::browser::driver::{Driver, DriverKind};
use crate::browser::{
    Browser, BrowserError, BrowserInfo, Fonts, LaunchOptions, capabilities, fonts, locate,
};
use serde_json::Value;

impl BrowserSession {
    /// Starts the browser's driver and a session with the viewport set;
    /// with `webdriver`, asks that endpoint for the session instead and
    /// starts nothing here.
    pub async fn launch(options: &LaunchOptions) -> Result<BrowserSession, BrowserError> {
        let (binary_flag, driver_flag, programs, kind) = match options.browser {
            Browser::Chromium => (
                &options.chromium,
                &options.chromedriver,
                (locate::Program::Chromium, locate::Program::Chromedriver),
                DriverKind::Chromedriver,
            ),
            Browser::Firefox => (
                &options.firefox,
                &options.geckodriver,
                (locate::Program::Firefox, locate::Program::Geckodriver),
                DriverKind::Geckodriver,
            ),
        };
        let (driver, endpoint, binary) = match &options.webdriver {
            Some(url) => (None, url.to_string(), binary_flag.clone()),
            None => {
                let (browser, driver) = locate::Places::of_this_process().find_pair(
                    (programs.0, binary_flag.as_deref()),
                    (programs.1, driver_flag.as_deref()),
                )?;
                // Missing pinned fonts are no reason to fail a run: the
                // browser keeps the machine's fonts, and the command line
                // has warned.
                let pinned_fonts = options.fonts == Fonts::Pinned && fonts::missing().is_empty();
                tracing::debug!(?options.fonts, pinned_fonts, "fonts");
                let driver = Driver::start(&driver, kind, pinned_fonts).await?;
                let endpoint = driver.url();
                (Some(driver), endpoint, Some(browser))
            }
        };
        let capabilities = capabilities::build(capabilities::Request {
            browser: options.browser,
            binary: binary.as_deref(),
            headed: options.headed,
            viewport: options.viewport,
            overrides: &options.capabilities,
        });
        let asked = std::time::Instant::now();
        let connected = fantoccini::ClientBuilder::new(
            hyper_util::client::legacy::connect::HttpConnector::new(),
        )
        .capabilities(capabilities)
        .connect(&endpoint)
        .await;
        let client = match connected {
            Ok(client) => client,
            Err(e) => {
                if let Some(driver) = driver {
                    driver.stop().await;
                }
                return Err(BrowserError::Session(match &options.webdriver {
                    Some(url) => format!(
                        "{} (asked {})",
                        e.to_string()
                            .replace(url.as_str(), &capabilities::shown(url)),
                        capabilities::shown(url)
                    ),
                    None => e.to_string(),
                }));
            }
        };
        tracing::debug!(
            endpoint = options.webdriver.as_ref().map_or(endpoint.clone(), capabilities::shown),
            took = ?asked.elapsed(),
            "session created"
        );
        let bidi = match options.browser {
            Browser::Chromium => Ok(None),
            Browser::Firefox => open_bidi(&client).await.map(Some),
        };
        let bidi = match bidi {
            Ok(bidi) => bidi,
            Err(e) => {
                let _ =
                    tokio::time::timeout(std::time::Duration::from_secs(5), client.close()).await;
                if let Some(driver) = driver {
                    driver.stop().await;
                }
                return Err(e);
            }
        };
        let (width, height) = options.viewport;
        let info = BrowserInfo {
            name: options.browser.name().to_string(),
            version: client
                .capabilities()
                .and_then(|c| c.get("browserVersion"))
                .and_then(Value::as_str)
                .map(str::to_string),
            webdriver: options.webdriver.as_ref().map(capabilities::shown),
        };
        let mut session = BrowserSession {
            client,
            info,
            driver,
            bidi,
            window: std::sync::Mutex::new(String::new()),
            frame_origin: std::sync::Mutex::new((0.0, 0.0)),
            viewport: options.viewport,
            init_scripts: std::sync::Mutex::new(Vec::new()),
            prepared: std::sync::Mutex::new(Vec::new()),
            deadlines: Deadlines::default(),
        };
        match session
            .deadlines
            .bound("get window handle", session.client.window())
            .await
        {
            Ok(handle) => {
                let handle = String::from(handle);
                session
                    .prepared
                    .lock()
                    .expect("window list")
                    .push(handle.clone());
                *session.window.get_mut().expect("window") = handle;
            }
            Err(e) => {
                session.close().await;
                return Err(e);
            }
        }
        if let Err(e) = session.set_viewport(width, height).await {
            session.close().await;
            return Err(e);
        }
        Ok(session)
    }

    /// Ends the session and stops the driver (which stops Chromium). A
    /// browser known to be frozen is not asked to end its session: it
    /// would not answer, and stopping the driver kills it anyway. A remote
    /// session has no driver here to kill: it is asked to end all the
    /// same, for a few seconds, and otherwise its node ends it once it has
    /// been idle for the node's session timeout.
    pub async fn close(mut self) {
        let driver = self.driver.take();
        if self.deadlines.is_frozen()
            && let Some(driver) = driver
        {
            driver.kill().await;
            return;
        }
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            self.client.clone().close(),
        )
        .await;
        if let Some(driver) = driver {
            driver.stop().await;
        }
    }
}

/// Opens the BiDi socket the session's `webSocketUrl` capability names.
async fn open_bidi(client: &fantoccini::Client) -> Result<Bidi, BrowserError> {
    let capabilities = client.capabilities().cloned().unwrap_or_default();
    let url = capabilities
        .get("webSocketUrl")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            BrowserError::Session(
                "the session offers no WebDriver BiDi socket (capability webSocketUrl), which \
                 docent needs to drive Firefox; the endpoint or its driver is too old"
                    .into(),
            )
        })?;
    tokio::time::timeout(std::time::Duration::from_secs(10), Bidi::connect(url))
        .await
        .map_err(|_| BrowserError::Session(format!("WebDriver BiDi at {url} did not answer")))?
}

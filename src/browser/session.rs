//! A Chromium session through chromedriver: the launch flags that keep a
//! root, offline, headless Chromium quiet, the exact viewport, and the
//! [`Page`] operations implemented with WebDriver and CDP passthrough.

use super::cdp::Cdp;
use super::{BrowserError, Chromedriver, LaunchOptions, Page};
use serde_json::{Value, json};

/// A browser session and the driver that serves it; closing it stops both.
pub struct ChromiumSession {
    client: fantoccini::Client,
    driver: Option<Chromedriver>,
}

impl ChromiumSession {
    /// Starts chromedriver and a Chromium session with the viewport set.
    pub async fn launch(options: &LaunchOptions) -> Result<ChromiumSession, BrowserError> {
        if !options.chromium.exists() {
            return Err(BrowserError::Start {
                program: options.chromium.display().to_string(),
                reason: "it is not installed; run `make deps` (Debian packages chromium and chromium-driver)".into(),
            });
        }
        let driver = Chromedriver::start(&options.chromedriver).await?;
        let (width, height) = options.viewport;
        let mut args = vec![
            "--no-sandbox".to_string(),
            "--disable-gpu".into(),
            "--disable-component-update".into(),
            "--disable-quic".into(),
            "--disable-dev-shm-usage".into(),
            "--hide-scrollbars".into(),
            "--force-color-profile=srgb".into(),
            format!("--window-size={width},{height}"),
        ];
        if !options.headed {
            args.push("--headless=new".into());
        }
        let capabilities = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": {
                "binary": options.chromium,
                "args": args,
            },
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("capabilities literal is an object")
        };
        let connected = fantoccini::ClientBuilder::new(
            hyper_util::client::legacy::connect::HttpConnector::new(),
        )
        .capabilities(capabilities)
        .connect(&driver.url())
        .await;
        let client = match connected {
            Ok(client) => client,
            Err(e) => {
                driver.stop().await;
                return Err(BrowserError::Session(e.to_string()));
            }
        };
        let session = ChromiumSession {
            client,
            driver: Some(driver),
        };
        if let Err(e) = session.set_viewport(width, height).await {
            session.close().await;
            return Err(e);
        }
        Ok(session)
    }

    async fn cdp(&self, method: &'static str, params: Value) -> Result<Value, BrowserError> {
        Ok(self.client.issue_cmd(Cdp { method, params }).await?)
    }

    async fn set_viewport(&self, width: u32, height: u32) -> Result<(), BrowserError> {
        // --window-size leaves a smaller viewport in headless mode; the
        // override makes figures exactly the requested size.
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
        )
        .await?;
        Ok(())
    }

    /// Runs `source` in every document this tab loads from now on, and in
    /// the current one.
    pub async fn add_init_script(&self, source: &str) -> Result<(), BrowserError> {
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": source, "runImmediately": true }),
        )
        .await?;
        Ok(())
    }

    /// Ends the session and stops the driver (which stops Chromium).
    pub async fn close(mut self) {
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            self.client.clone().close(),
        )
        .await;
        if let Some(driver) = self.driver.take() {
            driver.stop().await;
        }
    }
}

impl Page for ChromiumSession {
    async fn goto(&self, url: &str) -> Result<(), BrowserError> {
        Ok(self.client.goto(url).await?)
    }

    async fn eval(&self, script: &str, args: Vec<Value>) -> Result<Value, BrowserError> {
        Ok(self.client.execute(script, args).await?)
    }

    async fn click_at(&self, x: f64, y: f64) -> Result<(), BrowserError> {
        for (kind, buttons) in [("mouseMoved", 0), ("mousePressed", 1), ("mouseReleased", 0)] {
            let mut params = json!({ "type": kind, "x": x, "y": y, "buttons": buttons });
            if kind != "mouseMoved" {
                params["button"] = json!("left");
                params["clickCount"] = json!(1);
            }
            self.cdp("Input.dispatchMouseEvent", params).await?;
        }
        Ok(())
    }

    async fn insert_text(&self, text: &str) -> Result<(), BrowserError> {
        self.cdp("Input.insertText", json!({ "text": text }))
            .await?;
        Ok(())
    }

    async fn screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        Ok(self.client.screenshot().await?)
    }

    async fn html(&self) -> Result<String, BrowserError> {
        Ok(self.client.source().await?)
    }

    async fn url(&self) -> Result<String, BrowserError> {
        Ok(self.client.current_url().await?.to_string())
    }
}

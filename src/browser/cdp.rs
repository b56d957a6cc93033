//! Chrome DevTools Protocol commands sent through chromedriver's
//! passthrough endpoint `POST /session/{id}/goog/cdp/execute`. This is how
//! docent installs its toast recorder in every new document, sets an exact
//! viewport, and sends trusted input without WebDriver's slower actions.

use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::Value;

#[derive(Debug)]
pub struct Cdp {
    pub method: &'static str,
    pub params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.method, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// A plain WebDriver command by path, for the endpoints fantoccini has no
/// method for in the shape docent needs (actions, alerts, frames).
#[derive(Debug)]
pub struct Wd {
    pub method: http::Method,
    /// Below `session/{id}/`, e.g. `alert/text`.
    pub path: &'static str,
    pub body: Option<Value>,
}

impl WebDriverCompatibleCommand for Wd {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (
            self.method.clone(),
            self.body.as_ref().map(|b| b.to_string()),
        )
    }
}

//! WebDriver commands by path, for the endpoints fantoccini has no method
//! for in the shape docent needs: chromedriver's Chrome DevTools Protocol
//! passthrough `POST /session/{id}/goog/cdp/execute` (how docent installs
//! its toast recorder in every new document, sets an exact viewport, and
//! sends trusted input), W3C actions, alerts and frames.

use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::Value;

#[derive(Debug)]
pub struct Wd {
    pub method: http::Method,
    /// Below `session/{id}/`, e.g. `alert/text`.
    pub path: &'static str,
    pub body: Option<Value>,
}

impl Wd {
    /// A CDP `method` with its `params`, through chromedriver's passthrough.
    pub fn cdp(method: &str, params: Value) -> Wd {
        Wd {
            method: http::Method::POST,
            path: "goog/cdp/execute",
            body: Some(serde_json::json!({ "cmd": method, "params": params })),
        }
    }
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

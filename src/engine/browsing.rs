//! Steps about the browser around the page: navigating, the page's URL
//! and title, native dialogs, entering and leaving frames, and switching
//! windows. Where they leave the run is kept in its [`super::context::Context`].

use super::actions::StepResult;
use super::probe::{Locate, Mode, Scope};
use super::protocol;
use super::{Engine, FailureKind, StepError, StepFailure};
use crate::browser::{BrowserError, Page};
use crate::runbook::{Dialog, Matcher, Target, Window, address};
use std::time::{Duration, Instant};

/// How long a failed step's check that the console still answers waits: a
/// console that is up answers a `HEAD` in milliseconds, and the step has
/// already failed, so this only delays the verdict.
const REACH_WITHIN: Duration = Duration::from_secs(3);

impl<P: Page> Engine<'_, P> {
    /// Navigates; a page that cannot be loaded (connection refused, DNS,
    /// TLS) fails the step with the network error instead of passing on
    /// the browser's error page.
    ///
    /// The URL is resolved by the loader's own rule first: one that a
    /// stored value completed is only known now, and a value read from the
    /// page must not take the browser to a `file:` or `javascript:` URL.
    pub(super) async fn goto(&mut self, url: &str) -> StepResult {
        let url = match address::resolve(url, self.runbook.base_url.as_deref()) {
            Ok(url) => url,
            Err(refused) => {
                return Err(StepError::Failed(StepFailure {
                    kind: FailureKind::InvalidTarget,
                    looked_for: "an http, https or relative URL to open".into(),
                    found: format!("`{url}`, {}", refused.what_it_is()),
                    waited: Duration::ZERO,
                }));
            }
        };
        let url = url.as_str();
        // Navigating leaves any frame: WebDriver acts in the top document again.
        self.context.leave_frames();
        let failed = |found: String| {
            Err(StepError::Failed(StepFailure {
                kind: FailureKind::Navigation,
                looked_for: format!("to load {url}"),
                found,
                waited: Duration::ZERO,
            }))
        };
        if let Err(e) = self.page.goto(url).await {
            if let BrowserError::LoadTimeout { waited } = e {
                return failed(format!(
                    "it was still loading after {}, the step's timeout",
                    crate::runbook::duration::human(waited)
                ));
            }
            let message = e.to_string();
            return match message.find("net::ERR_") {
                Some(at) => failed(
                    message[at..]
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_string(),
                ),
                None => Err(e.into()),
            };
        }
        // WebDriver reports the requested URL even on the browser's own
        // error page; the document knows where it really is.
        let landed = self.page.call(&protocol::Location { pace: 0 }).await?;
        if landed.url.starts_with("chrome-error:") {
            let code = self.page.call(&protocol::ErrorCode).await?;
            return failed(format!(
                "the browser's error page: {}",
                code.as_deref().unwrap_or("unknown error")
            ));
        }
        self.ensure_helper().await?;
        Ok(None)
    }

    /// Why a step that failed may have failed: the console cannot be
    /// reached any more. Either the browser shows its own error page (a
    /// navigation the step caused did not load), or a request to the
    /// page's server fails (a console app shows its own "could not be
    /// loaded" instead of the step's target). `None` when the server
    /// answers, or when the browser cannot tell.
    pub(super) async fn unreachable(&self) -> Option<String> {
        let here = self.page.call(&protocol::Location { pace: 0 }).await.ok()?;
        if here.url.starts_with("chrome-error:") {
            let code = self.page.call(&protocol::ErrorCode).await.ok().flatten();
            return Some(format!(
                "the browser shows its error page ({})",
                code.as_deref().unwrap_or("unknown error")
            ));
        }
        let within = REACH_WITHIN;
        let call = protocol::Reachable {
            within_ms: u64::try_from(within.as_millis()).unwrap_or(u64::MAX),
        };
        let reach = self.page.call(&call).await.ok()?;
        Some(match reach.failed?.as_str() {
            "timeout" => format!(
                "{}/ did not answer within {}",
                reach.origin,
                crate::runbook::duration::human(within)
            ),
            reason => format!("a request to {}/ failed ({reason})", reach.origin),
        })
    }

    /// The current document's URL and title.
    pub(super) async fn here(&self) -> Result<(String, String), BrowserError> {
        let here = self.page.call(&protocol::Location { pace: 0 }).await?;
        Ok((here.url, here.title))
    }

    /// Waits for the URL and/or title to match.
    pub(super) async fn location(
        &mut self,
        url: Option<&Matcher>,
        title: Option<&Matcher>,
        timeout: Duration,
    ) -> StepResult {
        let started = Instant::now();
        let mut pace = 0;
        loop {
            let here = self.page.call(&protocol::Location { pace }).await?;
            pace = self.pace();
            let (now_url, now_title) = (here.url, here.title);
            let url_ok = url.is_none_or(|m| url_matches(m, &now_url));
            let title_ok = title.is_none_or(|m| m.matches(&now_title));
            if url_ok && title_ok {
                return Ok(None);
            }
            if started.elapsed() >= timeout {
                let (looked_for, found) = match (url, title) {
                    (Some(m), _) if !url_ok => {
                        (format!("the URL {m}"), format!("the URL is {now_url}"))
                    }
                    (_, Some(m)) => (
                        format!("the title {m}"),
                        format!("the title is \"{now_title}\""),
                    ),
                    _ => (String::new(), String::new()),
                };
                return Err(StepError::Failed(StepFailure {
                    kind: FailureKind::Mismatch,
                    looked_for,
                    found,
                    waited: started.elapsed(),
                }));
            }
        }
    }

    /// Answers the native dialog, waiting for it to open.
    pub(super) async fn dialog(&mut self, dialog: &Dialog, timeout: Duration) -> StepResult {
        let started = Instant::now();
        let text = loop {
            if let Some(text) = self.page.dialog_text().await? {
                break text;
            }
            if started.elapsed() >= timeout {
                return Err(StepError::Failed(StepFailure {
                    kind: FailureKind::Missing,
                    looked_for: "a native dialog (alert, confirm or prompt) to answer".into(),
                    found: "no dialog opened".into(),
                    waited: started.elapsed(),
                }));
            }
            tokio::time::sleep(Duration::from_millis(self.pace() / 4)).await;
        };
        if let Some(m) = &dialog.message
            && !m.matches(&text)
        {
            return Err(StepError::Failed(StepFailure {
                kind: FailureKind::Mismatch,
                looked_for: format!("a dialog saying {m}"),
                found: format!("the dialog says \"{text}\""),
                waited: started.elapsed(),
            }));
        }
        self.page
            .answer_dialog(dialog.accept, dialog.text.as_deref())
            .await?;
        Ok(Some(format!("\"{text}\"")))
    }

    pub(super) async fn back(&mut self) -> StepResult {
        self.page.back().await?;
        self.context.leave_frames();
        self.ensure_helper().await?;
        Ok(None)
    }

    pub(super) async fn reload(&mut self) -> StepResult {
        self.page.reload().await?;
        self.context.leave_frames();
        self.ensure_helper().await?;
        Ok(None)
    }

    /// Enters an iframe: later steps act in its document, and presses are
    /// offset by where its viewport starts.
    pub(super) async fn frame(&mut self, target: &Target, timeout: Duration) -> StepResult {
        self.wait_for(target, Mode::Visible, Scope::Page, timeout, "to be visible")
            .await?;
        let call = protocol::Element {
            locate: Locate::new(target),
        };
        let found = match self.page.call(&call).await? {
            Some(found) if matches!(found.tag.as_str(), "iframe" | "frame") => found,
            other => {
                let tag = other.map_or_else(|| "?".to_string(), |f| f.tag);
                return Err(StepError::Failed(StepFailure {
                    kind: FailureKind::InvalidTarget,
                    looked_for: format!("{target} to be an iframe"),
                    found: format!("it is a <{tag}>"),
                    waited: Duration::ZERO,
                }));
            }
        };
        let (x, y) = (found.x, found.y);
        self.page.enter_frame(found.element, (x, y)).await?;
        self.context.enter_frame(x, y);
        self.ensure_helper().await?;
        Ok(None)
    }

    pub(super) async fn leave_frame(&mut self) -> StepResult {
        self.page.leave_frame().await?;
        self.context.leave_frames();
        Ok(None)
    }

    /// Switches to another window or tab, waiting for it to exist.
    pub(super) async fn window(&mut self, window: &Window, timeout: Duration) -> StepResult {
        let started = Instant::now();
        loop {
            let handles = self.page.windows().await?;
            self.context.saw_windows(&handles);
            let chosen = match window {
                Window::First => self.context.first_window().cloned(),
                Window::Newest => self.context.newest_window(&handles).cloned(),
                Window::Title(_) | Window::Url(_) => {
                    let mut found = None;
                    for handle in &handles {
                        self.page.switch_window(handle).await?;
                        let (url, title) = self.here().await?;
                        let ok = match window {
                            Window::Title(m) => m.matches(&title),
                            Window::Url(m) => url_matches(m, &url),
                            _ => false,
                        };
                        if ok {
                            found = Some(handle.clone());
                            break;
                        }
                    }
                    if found.is_none()
                        && let Some(current) = self.context.current_window()
                    {
                        self.page.switch_window(current).await?;
                    }
                    found
                }
            };
            if let Some(handle) = chosen {
                self.page.switch_window(&handle).await?;
                self.context.switched_to(handle);
                // Where the pointer rests in one window says nothing of
                // another: no hover is brought up to date there.
                self.pointer = None;
                self.ensure_helper().await?;
                return Ok(None);
            }
            if started.elapsed() >= timeout {
                return Err(StepError::Failed(StepFailure {
                    kind: FailureKind::Missing,
                    looked_for: match window {
                        Window::Newest => "a newly opened window or tab".into(),
                        Window::First => "the first window".into(),
                        Window::Title(m) => format!("a window titled {m}"),
                        Window::Url(m) => format!("a window at {m}"),
                    },
                    found: format!("{} window(s) open", handles.len()),
                    waited: started.elapsed(),
                }));
            }
            tokio::time::sleep(Duration::from_millis(self.pace())).await;
        }
    }
}

/// A URL matcher against a page URL: an exact URL ignores a trailing slash
/// and the fragment unless the matcher has one.
pub(super) fn url_matches(m: &Matcher, url: &str) -> bool {
    match m {
        Matcher::Exact(want) => {
            let strip = |u: &str| -> String {
                let u = if want.contains('#') {
                    u
                } else {
                    u.split('#').next().unwrap_or(u)
                };
                u.trim_end_matches('/').to_string()
            };
            strip(url) == strip(want)
        }
        Matcher::Contains(part) => url.contains(part.as_str()),
        Matcher::Regex(p) => p.regex.is_match(url),
    }
}

//! What each step does, with auto-waiting: every step polls the page
//! (one probe call per poll; the page itself waits for the next DOM change
//! between polls) until its condition holds or its timeout passes, and a
//! timeout turns the last thing the page said into the failure message.

use super::probe::{self, Mode, Probe, Scope};
use super::toasts::Drained;
use super::{Engine, Event, StepError, StepFailure};
use crate::browser::{BrowserError, Clip, Page};
use crate::runbook::duration;
use crate::runbook::{
    Action, Area, Condition, Dialog, Expect, Locator, Matcher, Screenshot, Target, ToastKind,
    Window, normalize,
};
use crate::suggest;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

type StepResult = Result<Option<String>, StepError>;

/// Calls the probe and drains new toasts in the same round trip; installs
/// the helper first if this document somehow lacks it.
const PROBE_CALL: &str = "const [spec, cursors] = arguments;
if (!window.__docent) return null;
return window.__docent.probe(spec).then((probe) => ({ probe, toasts: window.__docent.toasts(cursors) }));";

const TOASTS_CALL: &str = "const [cursors, pace] = arguments;
if (!window.__docent) return null;
return window.__docent.waitToasts(cursors, pace);";

/// How long an ambiguous match may last before it is an error: a page in
/// transition can briefly show an element twice.
const AMBIGUITY_GRACE: Duration = Duration::from_millis(500);

impl<P: Page> Engine<'_, P> {
    pub(super) async fn act(&mut self, action: &Action, timeout: Duration) -> StepResult {
        match action {
            Action::Goto(goto) => {
                // Navigating leaves any frame: WebDriver acts in the top document again.
                self.frame_offset = (0.0, 0.0);
                self.goto(&goto.url).await
            }
            Action::Back => {
                self.page.back().await?;
                self.frame_offset = (0.0, 0.0);
                self.ensure_helper().await?;
                Ok(None)
            }
            Action::Reload => {
                self.page.reload().await?;
                self.frame_offset = (0.0, 0.0);
                self.ensure_helper().await?;
                Ok(None)
            }
            Action::Click(click) => {
                let probe = self
                    .actionable(&click.target, timeout, "to be clickable")
                    .await?;
                self.click(&probe).await?;
                Ok(None)
            }
            Action::DoubleClick(click) => {
                let probe = self
                    .actionable(&click.target, timeout, "to be clickable")
                    .await?;
                let (x, y) = self.point(&probe)?;
                self.page.double_click_at(x, y).await?;
                Ok(None)
            }
            Action::Hover(hover) => {
                let probe = self
                    .actionable(&hover.target, timeout, "to be under the pointer")
                    .await?;
                let (x, y) = self.point(&probe)?;
                self.page.hover_at(x, y).await?;
                Ok(None)
            }
            Action::Fill(fill) => self.fill(&fill.target, &fill.value, timeout).await,
            Action::Clear(clear) => self.fill(&clear.target, "", timeout).await,
            Action::Select(select) => self.select(&select.target, &select.option, timeout).await,
            Action::Check(check) => self.toggle(&check.target, check.on, None, timeout).await,
            Action::Toggle(toggle) => {
                self.toggle(
                    &toggle.target,
                    toggle.on,
                    toggle.confirm.as_deref(),
                    timeout,
                )
                .await
            }
            Action::Press(press) => {
                if let Some(target) = &press.target {
                    let probe = self.actionable(target, timeout, "to take the keys").await?;
                    self.click(&probe).await?;
                }
                self.page.press(&press.keys).await?;
                Ok(None)
            }
            Action::Expect(expect) => self.expect(expect, timeout).await,
            Action::ExpectGone(gone) => {
                self.wait_for(
                    &gone.target,
                    Mode::Gone,
                    Scope::Page,
                    timeout,
                    "to disappear",
                )
                .await?;
                Ok(None)
            }
            Action::ExpectAbsent(absent) => {
                let started = Instant::now();
                loop {
                    let probe = self
                        .probe(&absent.target, Mode::Visible, Scope::Page)
                        .await?;
                    if probe.is_ok() {
                        return Err(StepError::Failed(StepFailure {
                            looked_for: format!(
                                "no {} for {}",
                                absent.target,
                                duration::human(absent.during)
                            ),
                            found: format!(
                                "it appeared after {}",
                                duration::human(started.elapsed())
                            ),
                            waited: started.elapsed(),
                        }));
                    }
                    if started.elapsed() >= absent.during {
                        return Ok(None);
                    }
                }
            }
            Action::ExpectUrl(m) => self.location(Some(m), None, timeout).await,
            Action::ExpectTitle(m) => self.location(None, Some(m), timeout).await,
            Action::ExpectToast(expect) => {
                self.expect_toast(&expect.text, expect.kind, timeout).await
            }
            Action::WaitFor(condition) => match condition {
                Condition::Visible(target) => {
                    self.wait_for(target, Mode::Visible, Scope::Page, timeout, "to be visible")
                        .await?;
                    Ok(None)
                }
                Condition::Gone(target) => {
                    self.wait_for(target, Mode::Gone, Scope::Page, timeout, "to disappear")
                        .await?;
                    Ok(None)
                }
                Condition::Url(m) => self.location(Some(m), None, timeout).await,
                Condition::Title(m) => self.location(None, Some(m), timeout).await,
            },
            Action::Sleep(during) => {
                tokio::time::sleep(*during).await;
                Ok(None)
            }
            Action::Screenshot(shot) => self.screenshot(shot, timeout).await,
            Action::Dialog(dialog) => self.dialog(dialog, timeout).await,
            Action::Frame(frame) => {
                let target = &frame.target;
                self.wait_for(target, Mode::Visible, Scope::Page, timeout, "to be visible")
                    .await?;
                let found = self
                    .page
                    .eval(
                        "return window.__docent.element(arguments[0]);",
                        vec![probe::locate(target)],
                    )
                    .await?;
                if !matches!(found["tag"].as_str(), Some("iframe" | "frame")) {
                    return Err(StepError::Failed(StepFailure {
                        looked_for: format!("{target} to be an iframe"),
                        found: format!("it is a <{}>", found["tag"].as_str().unwrap_or("?")),
                        waited: Duration::ZERO,
                    }));
                }
                let (x, y) = (
                    found["x"].as_f64().unwrap_or(0.0),
                    found["y"].as_f64().unwrap_or(0.0),
                );
                self.page.enter_frame(found["element"].clone()).await?;
                self.frame_offset = (self.frame_offset.0 + x, self.frame_offset.1 + y);
                self.ensure_helper().await?;
                Ok(None)
            }
            Action::LeaveFrame => {
                self.page.leave_frame().await?;
                self.frame_offset = (0.0, 0.0);
                Ok(None)
            }
            Action::Window(window) => self.window(window, timeout).await,
            Action::Store(store) => {
                let probe = self
                    .wait_for(
                        &store.target,
                        Mode::Inspect,
                        Scope::Page,
                        timeout,
                        "to be visible",
                    )
                    .await?;
                let value = probe.value.or(probe.text).unwrap_or_default();
                self.stored.insert(store.var.clone(), value.clone());
                Ok(Some(format!("${{{}}} = \"{value}\"", store.var)))
            }
        }
    }

    /// The current document's URL and title.
    pub(super) async fn here(&self) -> Result<(String, String), BrowserError> {
        let here = self
            .page
            .eval(
                "return { url: document.URL, title: document.title };",
                vec![],
            )
            .await?;
        let field = |name: &str| here[name].as_str().unwrap_or_default().to_string();
        Ok((field("url"), field("title")))
    }

    /// Waits until `target` can take a pointer action.
    async fn actionable(
        &mut self,
        target: &Target,
        timeout: Duration,
        expectation: &str,
    ) -> Result<Probe, StepError> {
        self.wait_for(target, Mode::Action, Scope::Page, timeout, expectation)
            .await
    }

    async fn fill(&mut self, target: &Target, text: &str, timeout: Duration) -> StepResult {
        let spec = probe::editable_spec(target);
        let probe = self
            .wait_for_spec(target, spec.clone(), timeout, "to be editable")
            .await?;
        self.click(&probe).await?;
        self.page
            .eval(
                "return window.__docent.focusForFill(arguments[0]);",
                vec![spec.clone()],
            )
            .await?;
        if text.is_empty() {
            self.page
                .eval("document.execCommand('delete'); return true;", vec![])
                .await?;
        } else {
            self.page.insert_text(text).await?;
        }
        let value = self
            .page
            .eval("return window.__docent.valueOf(arguments[0]);", vec![spec])
            .await?;
        if value.as_str() != Some(text) {
            return Err(StepError::Failed(StepFailure {
                looked_for: format!("{target} to hold the typed text"),
                found: format!("it holds {value}"),
                waited: Duration::ZERO,
            }));
        }
        Ok(None)
    }

    /// A native `<select>` gets its option set directly (as a person's
    /// choice in the browser's own list would); a listbox-style dropdown
    /// is opened with a click and its option clicked.
    async fn select(&mut self, target: &Target, option: &str, timeout: Duration) -> StepResult {
        let deadline = Instant::now() + timeout;
        let probe = self.actionable(target, timeout, "to be a dropdown").await?;
        let native = self
            .page
            .eval(
                "return window.__docent.selectNative(arguments[0], arguments[1]);",
                vec![probe::locate(target), json!(option)],
            )
            .await?;
        if native["native"].as_bool() == Some(true) {
            if native["ok"].as_bool() == Some(true) {
                return Ok(None);
            }
            return Err(StepError::Failed(StepFailure {
                looked_for: format!("an option \"{option}\" in {target}"),
                found: format!("its options are {}", native["options"]),
                waited: Duration::ZERO,
            }));
        }
        self.click(&probe).await?;
        let choice = Target::new(Locator::Role {
            role: "option".into(),
            name: Some(Matcher::Exact(option.to_string())),
        });
        let item = self
            .wait_for(
                &choice,
                Mode::Action,
                Scope::Page,
                remaining(deadline),
                "in the opened list",
            )
            .await?;
        self.click(&item).await?;
        // The dropdown now shows the choice.
        loop {
            let shown = self.probe(target, Mode::Inspect, Scope::Page).await?;
            let text = shown
                .value
                .clone()
                .or(shown.text.clone())
                .unwrap_or_default();
            if normalize(&text).contains(&normalize(option)) {
                return Ok(None);
            }
            if Instant::now() >= deadline {
                return Err(StepError::Failed(StepFailure {
                    looked_for: format!("{target} to show \"{option}\""),
                    found: format!("it shows \"{text}\""),
                    waited: Duration::ZERO,
                }));
            }
        }
    }

    /// `expect`: visible, then (when asked) its text, value and states,
    /// polled together until they all hold.
    async fn expect(&mut self, expect: &Expect, timeout: Duration) -> StepResult {
        let plain = expect.has_text.is_none()
            && expect.value.is_none()
            && expect.checked.is_none()
            && expect.enabled.is_none();
        if plain {
            self.wait_for(
                &expect.target,
                Mode::Visible,
                Scope::Page,
                timeout,
                "to be visible",
            )
            .await?;
            return Ok(None);
        }
        let started = Instant::now();
        loop {
            let probe = self
                .wait_for(
                    &expect.target,
                    Mode::Inspect,
                    Scope::Page,
                    timeout.saturating_sub(started.elapsed()),
                    "to be visible",
                )
                .await?;
            let mut wrong = Vec::new();
            if let Some(m) = &expect.has_text {
                let text = probe.text.clone().unwrap_or_default();
                if !m.matches(&text) {
                    wrong.push((format!("text {m}"), format!("its text is \"{text}\"")));
                }
            }
            if let Some(m) = &expect.value {
                match &probe.value {
                    Some(v) if m.matches(v) => {}
                    Some(v) => wrong.push((format!("value {m}"), format!("its value is \"{v}\""))),
                    None => wrong.push((
                        format!("value {m}"),
                        format!("{} is not a field", probe.desc.clone().unwrap_or_default()),
                    )),
                }
            }
            if let Some(want) = expect.checked {
                let word = |b: bool| if b { "checked" } else { "unchecked" };
                match probe.state {
                    Some(s) if s == want => {}
                    Some(s) => wrong.push((word(want).into(), format!("it is {}", word(s)))),
                    None => wrong.push((word(want).into(), "it has no checked state".into())),
                }
            }
            if let Some(want) = expect.enabled
                && probe.disabled == want
            {
                let word = |b: bool| if b { "enabled" } else { "disabled" };
                wrong.push((word(want).into(), format!("it is {}", word(!want))));
            }
            if wrong.is_empty() {
                return Ok(None);
            }
            if started.elapsed() >= timeout {
                let (wanted, found): (Vec<String>, Vec<String>) = wrong.into_iter().unzip();
                return Err(StepError::Failed(StepFailure {
                    looked_for: format!("{} with {}", expect.target, wanted.join(" and ")),
                    found: found.join("; "),
                    waited: started.elapsed(),
                }));
            }
            // The probe answered at once; let the page change before asking again.
            self.page
                .eval(
                    "return window.__docent.location(arguments[0]).then(() => true);",
                    vec![json!(probe::PACE_MS)],
                )
                .await?;
        }
    }

    /// Waits for the URL and/or title to match.
    async fn location(
        &mut self,
        url: Option<&Matcher>,
        title: Option<&Matcher>,
        timeout: Duration,
    ) -> StepResult {
        let started = Instant::now();
        let mut pace = 0;
        loop {
            let here = self
                .page
                .eval(
                    "return window.__docent ? window.__docent.location(arguments[0]) : { url: document.URL, title: document.title };",
                    vec![json!(pace)],
                )
                .await?;
            pace = probe::PACE_MS;
            let now_url = here["url"].as_str().unwrap_or_default().to_string();
            let now_title = here["title"].as_str().unwrap_or_default().to_string();
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
                    looked_for,
                    found,
                    waited: started.elapsed(),
                }));
            }
        }
    }

    async fn screenshot(&mut self, shot: &Screenshot, timeout: Duration) -> StepResult {
        let note = self.settle(timeout).await?;
        if let Area::Element(target) = &shot.area {
            self.wait_for(target, Mode::Visible, Scope::Page, timeout, "to be visible")
                .await?;
        }
        let decorated = !shot.highlight.is_empty() || !shot.mask.is_empty();
        if decorated {
            let missing = self
                .page
                .eval(
                    "return window.__docent.decorate(arguments[0], arguments[1]);",
                    vec![
                        json!(shot.highlight.iter().map(probe::locate).collect::<Vec<_>>()),
                        json!(shot.mask.iter().map(probe::locate).collect::<Vec<_>>()),
                    ],
                )
                .await?;
            if let Some(first) = missing.as_array().and_then(|m| m.first()) {
                self.page
                    .eval("return window.__docent.undecorate();", vec![])
                    .await?;
                return Err(StepError::Failed(StepFailure {
                    looked_for: format!(
                        "{} to highlight or mask",
                        first.as_str().unwrap_or("a target")
                    ),
                    found: "it is not visible".into(),
                    waited: Duration::ZERO,
                }));
            }
        }
        let png = match &shot.area {
            Area::Viewport => self.page.screenshot().await,
            Area::FullPage => {
                let rect = self
                    .page
                    .eval("return window.__docent.pageRect();", vec![])
                    .await?;
                match serde_json::from_value::<Clip>(rect) {
                    Ok(clip) => self.page.screenshot_clip(clip).await,
                    Err(e) => Err(BrowserError::Command(format!("no page size: {e}"))),
                }
            }
            Area::Element(target) => {
                let rect = self
                    .page
                    .eval(
                        "return window.__docent.docRect(arguments[0]);",
                        vec![probe::locate(target)],
                    )
                    .await?;
                match serde_json::from_value::<Clip>(rect) {
                    Ok(clip) => self.page.screenshot_clip(clip).await,
                    Err(e) => Err(BrowserError::Command(format!("no element box: {e}"))),
                }
            }
        };
        if decorated {
            self.page
                .eval("return window.__docent.undecorate();", vec![])
                .await?;
        }
        let png = png?;
        self.figures += 1;
        let path = self
            .options
            .out_dir
            .join(format!("{:02}-{}.png", self.figures, shot.name));
        std::fs::write(&path, png).map_err(|e| {
            StepError::Failed(StepFailure {
                looked_for: format!("to write {}", path.display()),
                found: e.to_string(),
                waited: Duration::ZERO,
            })
        })?;
        self.reporter.event(&Event::ScreenshotSaved {
            path,
            caption: shot.caption.clone(),
        });
        Ok(note)
    }

    /// Answers the native dialog, waiting for it to open.
    async fn dialog(&mut self, dialog: &Dialog, timeout: Duration) -> StepResult {
        let started = Instant::now();
        let text = loop {
            if let Some(text) = self.page.dialog_text().await? {
                break text;
            }
            if started.elapsed() >= timeout {
                return Err(StepError::Failed(StepFailure {
                    looked_for: "a native dialog (alert, confirm or prompt) to answer".into(),
                    found: "no dialog opened".into(),
                    waited: started.elapsed(),
                }));
            }
            tokio::time::sleep(Duration::from_millis(probe::PACE_MS / 4)).await;
        };
        if let Some(m) = &dialog.message
            && !m.matches(&text)
        {
            return Err(StepError::Failed(StepFailure {
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

    /// Switches to another window or tab, waiting for it to exist.
    async fn window(&mut self, window: &Window, timeout: Duration) -> StepResult {
        let started = Instant::now();
        loop {
            let handles = self.page.windows().await?;
            for handle in &handles {
                if !self.windows.contains(handle) {
                    self.windows.push(handle.clone());
                }
            }
            let chosen = match window {
                Window::First => self.windows.first().cloned(),
                Window::Newest => self
                    .windows
                    .iter()
                    .rev()
                    .find(|h| handles.contains(h) && Some(*h) != self.current_window.as_ref())
                    .cloned(),
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
                        && let Some(current) = &self.current_window
                    {
                        self.page.switch_window(current).await?;
                    }
                    found
                }
            };
            if let Some(handle) = chosen {
                self.page.switch_window(&handle).await?;
                self.current_window = Some(handle);
                self.frame_offset = (0.0, 0.0);
                self.ensure_helper().await?;
                return Ok(None);
            }
            if started.elapsed() >= timeout {
                return Err(StepError::Failed(StepFailure {
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
            tokio::time::sleep(Duration::from_millis(probe::PACE_MS)).await;
        }
    }

    /// Navigates; a page that cannot be loaded (connection refused, DNS,
    /// TLS) fails the step with the network error instead of passing on
    /// the browser's error page.
    async fn goto(&mut self, url: &str) -> StepResult {
        let failed = |found: String| {
            Err(StepError::Failed(StepFailure {
                looked_for: format!("to load {url}"),
                found,
                waited: Duration::ZERO,
            }))
        };
        if let Err(e) = self.page.goto(url).await {
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
        let landed = self.page.eval("return document.URL;", vec![]).await?;
        if landed
            .as_str()
            .is_some_and(|u| u.starts_with("chrome-error:"))
        {
            let code = self
                .page
                .eval(
                    "const c = document.querySelector('.error-code'); return c ? c.textContent.trim() : document.title;",
                    vec![],
                )
                .await?;
            return failed(format!(
                "the browser's error page: {}",
                code.as_str().unwrap_or("unknown error")
            ));
        }
        self.ensure_helper().await?;
        Ok(None)
    }

    /// Where to point for a probed element, in the top viewport's
    /// coordinates (the probe measures inside the current frame).
    fn point(&self, probe: &Probe) -> Result<(f64, f64), BrowserError> {
        let (Some(x), Some(y)) = (probe.x, probe.y) else {
            return Err(BrowserError::Command(
                "the probe gave no click point".into(),
            ));
        };
        Ok((x + self.frame_offset.0, y + self.frame_offset.1))
    }

    async fn click(&self, probe: &Probe) -> Result<(), BrowserError> {
        let (x, y) = self.point(probe)?;
        self.page.click_at(x, y).await
    }

    /// Reads the switch, does nothing if it already holds the state, else
    /// clicks it, confirms the dialog it opens, and waits for the state.
    async fn toggle(
        &mut self,
        target: &Target,
        on: bool,
        confirm: Option<&str>,
        timeout: Duration,
    ) -> StepResult {
        let deadline = Instant::now() + timeout;
        let word = if on { "on" } else { "off" };
        let current = self
            .wait_for(target, Mode::State, Scope::Page, timeout, "to be present")
            .await?;
        let Some(state) = current.state else {
            return Err(StepError::Failed(StepFailure {
                looked_for: format!("{target} to be a switch or checkbox"),
                found: format!(
                    "{} has no on/off state (no aria-checked, aria-pressed or checked)",
                    current.desc.unwrap_or_default()
                ),
                waited: Duration::ZERO,
            }));
        };
        if state == on {
            // A disabled switch that shows the wanted state was not set by
            // this procedure and cannot be; that is a failure to report
            // (CTS in CN-Hong Kong), not a success to skip past.
            self.wait_for(
                target,
                Mode::Action,
                Scope::Page,
                remaining(deadline),
                "to be switchable",
            )
            .await?;
            return Ok(Some(format!("already {word}")));
        }
        let probe = self
            .wait_for(
                target,
                Mode::Action,
                Scope::Page,
                remaining(deadline),
                "to be switchable",
            )
            .await?;
        self.click(&probe).await?;
        if let Some(button) = confirm {
            let button = Target::new(Locator::Role {
                role: "button".into(),
                name: Some(Matcher::Exact(button.to_string())),
            });
            let probe = self
                .wait_for(
                    &button,
                    Mode::Action,
                    Scope::Dialog,
                    remaining(deadline),
                    "in the confirmation dialog",
                )
                .await?;
            self.click(&probe).await?;
        }
        let started = Instant::now();
        loop {
            let probe = self.probe(target, Mode::State, Scope::Page).await?;
            if probe.state == Some(on) && probe.busy != Some(true) {
                return Ok(None);
            }
            if let Some(error) = self.toasts.error_since(self.step_mark) {
                return Err(StepError::Failed(StepFailure {
                    looked_for: format!("{target} to be {word}"),
                    found: format!("the console showed an error toast \"{}\"", error.text),
                    waited: started.elapsed(),
                }));
            }
            if Instant::now() >= deadline {
                let mut found = match probe.state {
                    Some(s) => format!("it is still {}", if s { "on" } else { "off" }),
                    None => probe
                        .reason
                        .unwrap_or_else(|| "it has no on/off state".into()),
                };
                if let Some(dialog) = &probe.dialog {
                    found.push_str(&format!("; {}", dialog.describe()));
                    if confirm.is_none() {
                        found.push_str(" — add `confirm: <button>` to the toggle step");
                    }
                }
                return Err(StepError::Failed(StepFailure {
                    looked_for: format!("{target} to be {word}"),
                    found,
                    waited: started.elapsed(),
                }));
            }
        }
    }

    async fn expect_toast(
        &mut self,
        text: &Matcher,
        kind: ToastKind,
        timeout: Duration,
    ) -> StepResult {
        let started = Instant::now();
        loop {
            if self
                .toasts
                .take_match(self.interaction_mark, text, kind)
                .is_some()
            {
                return Ok(None);
            }
            if let Some(error) = self.toasts.error_since(self.step_mark)
                && kind == ToastKind::Success
            {
                return Err(StepError::Failed(StepFailure {
                    looked_for: format!("a toast {text}"),
                    found: format!("an error toast \"{}\"", error.text),
                    waited: started.elapsed(),
                }));
            }
            if started.elapsed() >= timeout {
                let seen: Vec<String> = self
                    .toasts
                    .since(self.interaction_mark)
                    .iter()
                    .map(|t| format!("\"{}\" ({})", t.text, t.kind))
                    .collect();
                let wanted_kind = match kind {
                    ToastKind::Success => "success ",
                    ToastKind::Error => "error ",
                    ToastKind::Any => "",
                };
                let text_seen_other_kind = kind != ToastKind::Any
                    && self.toasts.since(self.interaction_mark).iter().any(|t| {
                        text.matches(&t.text) && t.is_error() != (kind == ToastKind::Error)
                    });
                return Err(StepError::Failed(StepFailure {
                    looked_for: format!("a {wanted_kind}toast {text} since the last action"),
                    found: if seen.is_empty() {
                        "no toast appeared".into()
                    } else if text_seen_other_kind {
                        format!(
                            "the text appeared, but not as a {wanted_kind}toast: {}",
                            seen.join(", ")
                        )
                    } else {
                        format!("toasts seen: {}", seen.join(", "))
                    },
                    waited: started.elapsed(),
                }));
            }
            let answer = self
                .page
                .eval(
                    TOASTS_CALL,
                    vec![self.toasts.cursor(), json!(probe::PACE_MS)],
                )
                .await?;
            if answer.is_null() {
                self.ensure_helper().await?;
                continue;
            }
            self.absorb(answer)?;
        }
    }

    /// Waits until nothing on the page is loading or animating, so a figure
    /// shows the page at rest. A page that never settles is captured anyway,
    /// with a note, rather than failing the run over a spinner.
    async fn settle(&mut self, timeout: Duration) -> StepResult {
        let started = Instant::now();
        loop {
            let answer = self
                .page
                .eval(
                    "return window.__docent ? window.__docent.settled(arguments[0]) : null;",
                    vec![json!(probe::PACE_MS)],
                )
                .await?;
            if answer.is_null() {
                self.ensure_helper().await?;
                continue;
            }
            let probe: Probe = serde_json::from_value(answer).unwrap_or_default();
            if probe.is_ok() {
                return Ok(None);
            }
            if started.elapsed() >= timeout {
                return Ok(Some(format!(
                    "captured before the page settled: {}",
                    probe.reason.unwrap_or_default()
                )));
            }
        }
    }

    /// Polls until the probe says ok; on timeout, explains what the page had.
    pub(super) async fn wait_for(
        &mut self,
        target: &Target,
        mode: Mode,
        scope: Scope,
        timeout: Duration,
        expectation: &str,
    ) -> Result<Probe, StepError> {
        self.wait_for_spec(
            target,
            probe::spec(target, mode, scope),
            timeout,
            expectation,
        )
        .await
    }

    async fn wait_for_spec(
        &mut self,
        target: &Target,
        spec: Value,
        timeout: Duration,
        expectation: &str,
    ) -> Result<Probe, StepError> {
        let started = Instant::now();
        let mut ambiguous_since: Option<Instant> = None;
        loop {
            let probe = self.probe_spec(&spec).await?;
            if probe.is_ok() {
                return Ok(probe);
            }
            if probe.is_invalid() {
                return Err(StepError::Failed(StepFailure {
                    looked_for: format!("{target} {expectation}"),
                    found: probe.reason.unwrap_or_default(),
                    waited: started.elapsed(),
                }));
            }
            if let Some(error) = self.toasts.error_since(self.step_mark) {
                return Err(StepError::Failed(StepFailure {
                    looked_for: format!("{target} {expectation}"),
                    found: format!("the console showed an error toast \"{}\"", error.text),
                    waited: started.elapsed(),
                }));
            }
            if probe.is_ambiguous() {
                let since = *ambiguous_since.get_or_insert_with(Instant::now);
                if since.elapsed() >= AMBIGUITY_GRACE {
                    return Err(StepError::Failed(StepFailure {
                        looked_for: format!("exactly one {target}"),
                        found: format!(
                            "{} matches; docent never clicks a guess. Narrow it with `row`, `within`, `nth`, `role` or `label`. Candidates:\n{}",
                            probe.candidates.len(),
                            probe
                                .candidates
                                .iter()
                                .map(|c| format!("      - {c}"))
                                .collect::<Vec<_>>()
                                .join("\n")
                        ),
                        waited: started.elapsed(),
                    }));
                }
            } else {
                ambiguous_since = None;
            }
            if started.elapsed() >= timeout {
                let found = self.explain(target, &probe).await?;
                return Err(StepError::Failed(StepFailure {
                    looked_for: format!("{target} {expectation}"),
                    found,
                    waited: started.elapsed(),
                }));
            }
        }
    }

    /// Turns the last "not yet" into a sentence, with the closest texts on
    /// the page when the target was not found at all.
    async fn explain(&mut self, target: &Target, probe: &Probe) -> Result<String, StepError> {
        let reason = probe.reason.clone().unwrap_or_else(|| probe.status.clone());
        let mut found = reason.clone();
        if let Some(context) = probe.context.as_deref().filter(|c| !c.is_empty()) {
            found.push_str(&format!("; next to it: \"{context}\""));
        }
        if !probe.hidden.is_empty() {
            found.push_str(&format!("; hidden matches: {}", probe.hidden.join(", ")));
        }
        if !probe.candidates.is_empty() {
            found.push_str(&format!("; visible: {}", probe.candidates.join(", ")));
        }
        if let Some(dialog) = &probe.dialog {
            found.push_str(&format!("; {}", dialog.describe()));
            return Ok(found);
        }
        if reason == "not found" || reason.starts_with("no table row") {
            let wanted = match (&target.locator, &target.row) {
                (_, Some(row)) if reason.starts_with("no table row") => row.clone(),
                (Locator::Text(m), _) => m.text().to_string(),
                (
                    Locator::Label(t)
                    | Locator::Placeholder(t)
                    | Locator::Css(t)
                    | Locator::XPath(t)
                    | Locator::TestId(t),
                    _,
                ) => t.clone(),
                (Locator::Role { name: Some(n), .. }, _) => n.text().to_string(),
                (Locator::Role { role, .. }, _) => role.clone(),
            };
            let texts: Vec<String> = serde_json::from_value(
                self.page
                    .eval(
                        "return window.__docent ? window.__docent.visibleTexts() : [];",
                        vec![],
                    )
                    .await?,
            )
            .unwrap_or_default();
            let closest = suggest::closest(&wanted, &texts, 3);
            if !closest.is_empty() {
                let list: Vec<String> = closest.iter().map(|t| format!("\"{t}\"")).collect();
                found.push_str(&format!("; the page has {}", list.join(", ")));
            }
            if let Ok(url) = self.page.url().await {
                found.push_str(&format!(" (at {url})"));
            }
        }
        Ok(found)
    }

    /// One poll: resolves the target in the page and drains new toasts.
    pub(super) async fn probe(
        &mut self,
        target: &Target,
        mode: Mode,
        scope: Scope,
    ) -> Result<Probe, StepError> {
        self.probe_spec(&probe::spec(target, mode, scope)).await
    }

    async fn probe_spec(&mut self, spec: &Value) -> Result<Probe, StepError> {
        loop {
            let answer = self
                .page
                .eval(PROBE_CALL, vec![spec.clone(), self.toasts.cursor()])
                .await?;
            if answer.is_null() {
                self.ensure_helper().await?;
                continue;
            }
            self.absorb(answer["toasts"].clone())?;
            return serde_json::from_value(answer["probe"].clone()).map_err(|e| {
                StepError::Browser(BrowserError::Command(format!(
                    "unexpected probe answer: {e}"
                )))
            });
        }
    }

    fn absorb(&mut self, toasts: Value) -> Result<(), StepError> {
        let drained: Drained = serde_json::from_value(toasts).map_err(|e| {
            StepError::Browser(BrowserError::Command(format!("unexpected toast list: {e}")))
        })?;
        for toast in self.toasts.absorb(drained) {
            self.reporter.event(&Event::ToastSeen {
                text: toast.text,
                kind: toast.kind,
            });
        }
        Ok(())
    }

    /// Installs the helper in the current document when the init script did
    /// not run there (a document that was loaded before the session set it up).
    async fn ensure_helper(&self) -> Result<(), BrowserError> {
        let script = format!("{}\nreturn true;", probe::PAGE_SCRIPT);
        self.page.eval(&script, vec![]).await?;
        Ok(())
    }
}

fn remaining(deadline: Instant) -> Duration {
    deadline.saturating_duration_since(Instant::now())
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

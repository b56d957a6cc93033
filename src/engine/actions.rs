//! What each step does, with auto-waiting: every step polls the page
//! (one probe call per poll; the page itself waits for the next DOM change
//! between polls) until its condition holds or its timeout passes, and a
//! timeout turns the last thing the page said into the failure message.

use super::probe::{self, Mode, Probe, Scope};
use super::toasts::Drained;
use super::{Engine, Event, StepError, StepFailure};
use crate::browser::{BrowserError, Page};
use crate::runbook::{Action, Locator, Step, Target, ToastKind};
use crate::suggest;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

type StepResult = Result<Option<String>, StepError>;

/// Calls the probe and drains new toasts in the same round trip; installs
/// the helper first if this document somehow lacks it.
const PROBE_CALL: &str = "const [spec, storeId, since] = arguments;
if (!window.__docent) return null;
return window.__docent.probe(spec).then((probe) => ({ probe, toasts: window.__docent.toasts(storeId, since) }));";

const TOASTS_CALL: &str = "const [storeId, since, pace] = arguments;
if (!window.__docent) return null;
return window.__docent.waitToasts(storeId, since, pace);";

/// How long an ambiguous match may last before it is an error: a page in
/// transition can briefly show an element twice.
const AMBIGUITY_GRACE: Duration = Duration::from_millis(500);

impl<P: Page> Engine<'_, P> {
    pub(super) async fn act(&mut self, step: &Step, timeout: Duration) -> StepResult {
        match &step.action {
            Action::Goto(goto) => self.goto(&goto.url).await,
            Action::Click(click) => {
                let probe = self
                    .wait_for(
                        &click.target,
                        Mode::Action,
                        Scope::Page,
                        timeout,
                        "to be clickable",
                    )
                    .await?;
                self.click(&probe).await?;
                Ok(None)
            }
            Action::Fill(fill) => {
                let spec = probe::editable_spec(&fill.target);
                let probe = self
                    .wait_for_spec(&fill.target, spec.clone(), timeout, "to be editable")
                    .await?;
                self.click(&probe).await?;
                self.page
                    .eval(
                        "return window.__docent.focusForFill(arguments[0]);",
                        vec![spec.clone()],
                    )
                    .await?;
                if fill.value.is_empty() {
                    self.page
                        .eval("document.execCommand('delete'); return true;", vec![])
                        .await?;
                } else {
                    self.page.insert_text(&fill.value).await?;
                }
                let value = self
                    .page
                    .eval("return window.__docent.valueOf(arguments[0]);", vec![spec])
                    .await?;
                if value.as_str() != Some(fill.value.as_str()) {
                    return Err(StepError::Failed(StepFailure {
                        looked_for: format!("{} to hold the typed text", fill.target),
                        found: format!("it holds {value}"),
                        waited: Duration::ZERO,
                    }));
                }
                Ok(None)
            }
            Action::Toggle(toggle) => {
                self.toggle(
                    &toggle.target,
                    toggle.on,
                    toggle.confirm.as_deref(),
                    timeout,
                )
                .await
            }
            Action::Expect(expect) => {
                self.wait_for(
                    &expect.target,
                    Mode::Visible,
                    Scope::Page,
                    timeout,
                    "to be visible",
                )
                .await?;
                Ok(None)
            }
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
            Action::ExpectToast(expect) => {
                self.expect_toast(&expect.text, expect.kind, timeout).await
            }
            Action::Screenshot(shot) => {
                let note = self.settle(timeout).await?;
                let png = self.page.screenshot().await?;
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

    async fn click(&self, probe: &Probe) -> Result<(), BrowserError> {
        let (Some(x), Some(y)) = (probe.x, probe.y) else {
            return Err(BrowserError::Command(
                "the probe gave no click point".into(),
            ));
        };
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
            let button = Target {
                locator: Locator::Role {
                    role: "button".into(),
                    name: Some(button.to_string()),
                },
                row: None,
            };
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

    async fn expect_toast(&mut self, text: &str, kind: ToastKind, timeout: Duration) -> StepResult {
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
                    looked_for: format!("a toast \"{text}\""),
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
                        t.text.contains(text) && t.is_error() != (kind == ToastKind::Error)
                    });
                return Err(StepError::Failed(StepFailure {
                    looked_for: format!("a {wanted_kind}toast \"{text}\" since the last action"),
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
            let (id, since) = self.toasts.cursor();
            let answer = self
                .page
                .eval(
                    TOASTS_CALL,
                    vec![json!(id), json!(since), json!(probe::PACE_MS)],
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
                            "{} matches; docent never clicks a guess. Narrow it with `row`, `role` or `label`. Candidates:\n{}",
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
                (Locator::Text(t) | Locator::Label(t) | Locator::Css(t), _) => t.clone(),
                (Locator::Role { name: Some(n), .. }, _) => n.clone(),
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
            let (id, since) = self.toasts.cursor();
            let answer = self
                .page
                .eval(PROBE_CALL, vec![spec.clone(), json!(id), json!(since)])
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

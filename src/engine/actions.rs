//! What each interaction and check does, with auto-waiting: every step
//! polls the page (one probe call per poll; the page itself waits for the
//! next DOM change between polls) until its condition holds or its timeout
//! passes, and a timeout turns the last thing the page said into the
//! failure message. Navigation, frames, windows and dialogs are in `browsing.rs`,
//! figures in `figures.rs`, clicking in `pointer.rs`, the polling itself in
//! `waiting.rs`.

use super::probe::{Answer, Locate, Mode, Scope, Spec};
use super::protocol;
use super::waiting::remaining;
use super::{Engine, FailureKind, StepError, StepFailure};
use crate::browser::Page;
use crate::runbook::duration;
use crate::runbook::{
    Action, Condition, Expect, ExpectAbsent, Locator, Matcher, Press, Store, Target, ToastKind,
    normalize,
};
use std::time::{Duration, Instant};

pub(super) type StepResult = Result<Option<String>, StepError>;

impl<P: Page> Engine<'_, P> {
    /// Runs one step's action: each kind of step has its function, and
    /// this only picks it.
    pub(super) async fn act(&mut self, action: &Action, timeout: Duration) -> StepResult {
        match action {
            Action::Goto(goto) => self.goto(&goto.url).await,
            Action::Back => self.back().await,
            Action::Reload => self.reload().await,
            Action::Click(click) => self.click(&click.target, timeout).await,
            Action::DoubleClick(click) => self.double_click(&click.target, timeout).await,
            Action::Hover(hover) => self.hover(&hover.target, timeout).await,
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
            Action::Press(press) => self.press(press, timeout).await,
            Action::Expect(expect) => self.expect(expect, timeout).await,
            Action::ExpectGone(gone) => self.expect_gone(&gone.target, timeout).await,
            Action::ExpectAbsent(absent) => self.expect_absent(absent).await,
            Action::ExpectUrl(m) => self.location(Some(m), None, timeout).await,
            Action::ExpectTitle(m) => self.location(None, Some(m), timeout).await,
            Action::ExpectToast(expect) => {
                self.expect_toast(&expect.text, expect.kind, timeout).await
            }
            Action::WaitFor(condition) => self.wait_until(condition, timeout).await,
            Action::Sleep(during) => {
                tokio::time::sleep(*during).await;
                Ok(None)
            }
            Action::Screenshot(shot) => self.screenshot(shot, timeout).await,
            Action::Dialog(dialog) => self.dialog(dialog, timeout).await,
            Action::Frame(frame) => self.frame(&frame.target, timeout).await,
            Action::LeaveFrame => self.leave_frame().await,
            Action::Window(window) => self.window(window, timeout).await,
            Action::Store(store) => self.store(store, timeout).await,
        }
    }

    async fn click(&mut self, target: &Target, timeout: Duration) -> StepResult {
        let deadline = Instant::now() + timeout;
        self.click_target(target, timeout, "to be clickable")
            .await?;
        self.await_answer(deadline).await?;
        Ok(None)
    }

    async fn double_click(&mut self, target: &Target, timeout: Duration) -> StepResult {
        let spec = Spec::new(target, Mode::Action, Scope::Page).armed();
        self.guarded(target, spec, timeout, "to be clickable", true)
            .await?;
        Ok(None)
    }

    async fn hover(&mut self, target: &Target, timeout: Duration) -> StepResult {
        let probe = self
            .actionable(target, timeout, "to be under the pointer")
            .await?;
        let (x, y) = self.point(&probe)?;
        self.pointer = Some((x, y));
        self.page.hover_at(x, y).await?;
        Ok(None)
    }

    async fn press(&mut self, press: &Press, timeout: Duration) -> StepResult {
        if let Some(target) = &press.target {
            self.click_target(target, timeout, "to take the keys")
                .await?;
        }
        self.page.press(&press.keys).await?;
        self.toasts.input_sent();
        Ok(None)
    }

    async fn expect_gone(&mut self, target: &Target, timeout: Duration) -> StepResult {
        self.wait_for(target, Mode::Gone, Scope::Page, timeout, "to disappear")
            .await?;
        Ok(None)
    }

    /// Watches for `during` that the target never shows.
    async fn expect_absent(&mut self, absent: &ExpectAbsent) -> StepResult {
        let started = Instant::now();
        loop {
            let probe = self
                .probe(&absent.target, Mode::Visible, Scope::Page)
                .await?;
            self.fail_on_error_toast(&format!("no {}", absent.target), started)?;
            if matches!(probe, Answer::Ok(_)) {
                return Err(StepError::Failed(StepFailure {
                    kind: FailureKind::Appeared,
                    looked_for: format!(
                        "no {} for {}",
                        absent.target,
                        duration::human(absent.during)
                    ),
                    found: format!("it appeared after {}", duration::human(started.elapsed())),
                    waited: started.elapsed(),
                }));
            }
            if started.elapsed() >= absent.during {
                return Ok(None);
            }
        }
    }

    /// `wait_for`: a target to show or go, or the URL or title to match.
    async fn wait_until(&mut self, condition: &Condition, timeout: Duration) -> StepResult {
        match condition {
            Condition::Visible(target) => {
                self.wait_for(target, Mode::Visible, Scope::Page, timeout, "to be visible")
                    .await?;
                Ok(None)
            }
            Condition::Gone(target) => self.expect_gone(target, timeout).await,
            Condition::Url(m) => self.location(Some(m), None, timeout).await,
            Condition::Title(m) => self.location(None, Some(m), timeout).await,
        }
    }

    /// Keeps the target's value (or text) for `${name}` in later steps.
    async fn store(&mut self, store: &Store, timeout: Duration) -> StepResult {
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
        self.vars.store(&store.var, &value);
        Ok(Some(format!("${{{}}} = \"{value}\"", store.var)))
    }

    pub(super) async fn fill(
        &mut self,
        target: &Target,
        text: &str,
        timeout: Duration,
    ) -> StepResult {
        let spec = Spec::editable(target);
        self.guarded(target, spec.clone(), timeout, "to be editable", false)
            .await?;
        self.page
            .call(&protocol::FocusForFill { spec: spec.clone() })
            .await?;
        if text.is_empty() {
            self.page.call(&protocol::DeleteSelection).await?;
        } else {
            self.page.insert_text(text).await?;
        }
        self.toasts.input_sent();
        let value = self.page.call(&protocol::ValueOf { spec }).await?;
        if value.as_deref() != Some(text) {
            return Err(StepError::Failed(StepFailure {
                kind: FailureKind::Mismatch,
                looked_for: format!("{target} to hold the typed text"),
                // JSON shows an empty value and a missing one apart.
                found: format!("it holds {}", serde_json::json!(value)),
                waited: Duration::ZERO,
            }));
        }
        Ok(None)
    }

    /// A native `<select>` gets its option set directly (as a person's
    /// choice in the browser's own list would); a listbox-style dropdown
    /// is opened with a click and its option clicked.
    pub(super) async fn select(
        &mut self,
        target: &Target,
        option: &str,
        timeout: Duration,
    ) -> StepResult {
        let deadline = Instant::now() + timeout;
        self.actionable(target, timeout, "to be a dropdown").await?;
        let call = protocol::SelectNative {
            locate: Locate::new(target),
            option: option.to_string(),
        };
        let native = self.page.call(&call).await?;
        if native.native {
            if native.ok {
                return Ok(None);
            }
            return Err(StepError::Failed(StepFailure {
                kind: FailureKind::Missing,
                looked_for: format!("an option \"{option}\" in {target}"),
                found: format!("its options are {}", serde_json::json!(native.options)),
                waited: Duration::ZERO,
            }));
        }
        self.click_target(target, remaining(deadline), "to be a dropdown")
            .await?;
        let choice = Target::new(Locator::Role {
            role: "option".into(),
            name: Some(Matcher::Exact(option.to_string())),
        });
        self.click_target(&choice, remaining(deadline), "in the opened list")
            .await?;
        // The dropdown now shows the choice.
        loop {
            let shown = self.probe(target, Mode::Inspect, Scope::Page).await?;
            // A drawn dropdown's input is often empty, with the choice shown beside it.
            let text = shown
                .found()
                .and_then(|f| f.value.clone().filter(|v| !v.is_empty()).or(f.text.clone()))
                .unwrap_or_default();
            if normalize(&text).contains(&normalize(option)) {
                return Ok(None);
            }
            if Instant::now() >= deadline {
                return Err(StepError::Failed(StepFailure {
                    kind: FailureKind::Mismatch,
                    looked_for: format!("{target} to show \"{option}\""),
                    found: format!("it shows \"{text}\""),
                    waited: Duration::ZERO,
                }));
            }
        }
    }

    /// `expect`: visible, then (when asked) its text, value and states,
    /// polled together until they all hold.
    pub(super) async fn expect(&mut self, expect: &Expect, timeout: Duration) -> StepResult {
        let plain = expect.has_text.is_none()
            && expect.value.is_none()
            && expect.checked.is_none()
            && expect.enabled.is_none()
            && expect.editable.is_none();
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
            if let Some(want) = expect.editable
                && probe.editable != Some(want)
            {
                let word = |b: bool| if b { "editable" } else { "read-only" };
                let found = if probe.disabled {
                    "it is disabled".to_string()
                } else {
                    format!("it is {}", word(!want))
                };
                wrong.push((word(want).into(), found));
            }
            if wrong.is_empty() {
                return Ok(None);
            }
            if started.elapsed() >= timeout {
                let (wanted, found): (Vec<String>, Vec<String>) = wrong.into_iter().unzip();
                return Err(StepError::Failed(StepFailure {
                    kind: FailureKind::Mismatch,
                    looked_for: format!("{} with {}", expect.target, wanted.join(" and ")),
                    found: found.join("; "),
                    waited: started.elapsed(),
                }));
            }
            // The probe answered at once; let the page change before asking again.
            self.page
                .call(&protocol::Location { pace: self.pace() })
                .await?;
        }
    }

    /// Reads the switch, does nothing if it already holds the state, else
    /// clicks it, confirms the dialog it opens, and waits for the state.
    pub(super) async fn toggle(
        &mut self,
        target: &Target,
        on: bool,
        confirm: Option<&str>,
        timeout: Duration,
    ) -> StepResult {
        let deadline = Instant::now() + timeout;
        let word = if on { "on" } else { "off" };
        let current = self
            .wait_for_spec(target, Spec::switch(target), timeout, "to be switchable")
            .await?;
        let Some(state) = current.state else {
            return Err(StepError::Failed(StepFailure {
                kind: FailureKind::InvalidTarget,
                looked_for: format!("{target} to be a switch or checkbox"),
                found: format!(
                    "{} has no on/off state (no aria-checked, aria-pressed or checked)",
                    current.desc.unwrap_or_default()
                ),
                waited: Duration::ZERO,
            }));
        };
        if state == on {
            return Ok(Some(format!("already {word}")));
        }
        self.click_target(target, remaining(deadline), "to be switchable")
            .await?;
        if let Some(button) = confirm {
            let button = Target::new(Locator::Role {
                role: "button".into(),
                name: Some(Matcher::Exact(button.to_string())),
            });
            let spec = Spec::new(&button, Mode::Action, Scope::Dialog).armed();
            self.guarded(
                &button,
                spec,
                remaining(deadline),
                "in the confirmation dialog",
                false,
            )
            .await?;
        }
        let started = Instant::now();
        loop {
            let answer = self.probe(target, Mode::State, Scope::Page).await?;
            if let Answer::Ok(found) = &answer
                && found.state == Some(on)
                && found.busy != Some(true)
            {
                return Ok(None);
            }
            self.fail_on_error_toast(&format!("{target} to be {word}"), started)?;
            if Instant::now() >= deadline {
                let (state, dialog) = match &answer {
                    Answer::Ok(found) => (found.state, found.dialog.as_ref()),
                    Answer::Wait(pending) => (None, pending.dialog.as_ref()),
                    Answer::Ambiguous { .. } | Answer::Invalid { .. } => (None, None),
                };
                let mut found = match (state, &answer) {
                    (Some(s), _) => format!("it is still {}", if s { "on" } else { "off" }),
                    (None, Answer::Ok(_)) => "it has no on/off state".into(),
                    (None, other) => other.reason().to_string(),
                };
                if let Some(dialog) = dialog {
                    found.push_str(&format!("; {}", dialog.describe()));
                    if confirm.is_none() {
                        found.push_str(" — add `confirm: <button>` to the toggle step");
                    }
                }
                return Err(StepError::Failed(StepFailure {
                    // A dialog the toggle opened and nobody answered is
                    // what stopped the switch.
                    kind: if dialog.is_some() {
                        FailureKind::Dialog
                    } else {
                        FailureKind::Timeout
                    },
                    looked_for: format!("{target} to be {word}"),
                    found,
                    waited: started.elapsed(),
                }));
            }
        }
    }

    pub(super) async fn expect_toast(
        &mut self,
        text: &Matcher,
        kind: ToastKind,
        timeout: Duration,
    ) -> StepResult {
        let started = Instant::now();
        loop {
            if self.toasts.take_match(text, kind).is_some() {
                return Ok(None);
            }
            if let Some(error) = self.toasts.unexpected_error()
                && !kind.takes_errors()
            {
                return Err(StepError::Failed(StepFailure {
                    kind: FailureKind::ErrorToast,
                    looked_for: format!("a toast {text}"),
                    found: format!("an error toast \"{}\"", error.text),
                    waited: started.elapsed(),
                }));
            }
            if started.elapsed() >= timeout {
                let seen: Vec<String> = self
                    .toasts
                    .since_interaction()
                    .iter()
                    .map(|t| format!("\"{}\" ({})", t.text, t.kind))
                    .collect();
                let wanted_kind = kind.word().map(|w| format!("{w} ")).unwrap_or_default();
                let article = crate::runbook::article(&wanted_kind);
                let other_kind = match kind {
                    ToastKind::NotError => "a toast that is not an error".to_string(),
                    _ => format!("{article} {wanted_kind}toast"),
                };
                let text_seen_other_kind = self
                    .toasts
                    .since_interaction()
                    .iter()
                    .any(|t| text.matches(&t.text) && !t.is_kind(kind));
                return Err(StepError::Failed(StepFailure {
                    kind: if text_seen_other_kind {
                        FailureKind::Mismatch
                    } else {
                        FailureKind::Missing
                    },
                    looked_for: format!(
                        "{article} {wanted_kind}toast {text} since the last action"
                    ),
                    found: if seen.is_empty() {
                        "no toast appeared".into()
                    } else if text_seen_other_kind {
                        format!(
                            "the text appeared, but not as {other_kind}: {}",
                            seen.join(", ")
                        )
                    } else {
                        format!("toasts seen: {}", seen.join(", "))
                    },
                    waited: started.elapsed(),
                }));
            }
            let call = protocol::WaitToasts {
                cursors: self.toasts.cursor(),
                pace: self.pace(),
            };
            match self.page.call(&call).await? {
                Some(drain) => self.absorb(drain)?,
                None => self.ensure_helper().await?,
            }
        }
    }
}

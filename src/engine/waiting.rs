//! The polling at the heart of auto-waiting: one probe call per poll that
//! resolves the target and drains new toasts, strictness with a short grace
//! for pages in transition, and the explanation of a timeout (what the page
//! showed meanwhile and for how long, closest texts, hidden matches, an
//! open dialog).

use super::probe::{self, Answer, Found, Mode, Pending, Scope, Spec};
use super::protocol;
use super::toasts::Drain;
use super::{Engine, Event, FailureKind, StepError, StepFailure};
use crate::browser::{BrowserError, Page};
use crate::runbook::duration::human;
use crate::runbook::{Locator, Target};
use crate::suggest;
use std::time::{Duration, Instant};

/// How long an ambiguous match may last before it is an error: a page in
/// transition can briefly show an element twice.
const AMBIGUITY_GRACE: Duration = Duration::from_millis(500);

impl<P: Page> Engine<'_, P> {
    /// Polls until the probe says ok; on timeout, explains what the page had.
    pub(super) async fn wait_for(
        &mut self,
        target: &Target,
        mode: Mode,
        scope: Scope,
        timeout: Duration,
        expectation: &str,
    ) -> Result<Found, StepError> {
        self.wait_for_spec(target, Spec::new(target, mode, scope), timeout, expectation)
            .await
    }

    pub(super) async fn wait_for_spec(
        &mut self,
        target: &Target,
        spec: Spec,
        timeout: Duration,
        expectation: &str,
    ) -> Result<Found, StepError> {
        let started = Instant::now();
        let mut ambiguous_since: Option<Instant> = None;
        let mut story = Story::default();
        loop {
            let answer = self.probe_spec(&spec).await?;
            tracing::debug!(target = %target, answer = %answer.reason(), "poll");
            story.saw(answer.reason());
            let pending = match answer {
                Answer::Ok(found) => return Ok(found),
                Answer::Invalid { reason, disabled } => {
                    return Err(StepError::Failed(StepFailure {
                        kind: if disabled {
                            FailureKind::Disabled
                        } else {
                            FailureKind::InvalidTarget
                        },
                        looked_for: format!("{target} {expectation}"),
                        found: reason,
                        waited: started.elapsed(),
                    }));
                }
                Answer::Ambiguous { candidates } => {
                    self.fail_on_error_toast(&format!("{target} {expectation}"), started)?;
                    let since = *ambiguous_since.get_or_insert_with(Instant::now);
                    if since.elapsed() >= AMBIGUITY_GRACE {
                        return Err(StepError::Failed(ambiguous(target, &candidates, started)));
                    }
                    Pending {
                        reason: "ambiguous".into(),
                        candidates,
                        ..Pending::default()
                    }
                }
                Answer::Wait(pending) => {
                    self.fail_on_error_toast(&format!("{target} {expectation}"), started)?;
                    ambiguous_since = None;
                    pending
                }
            };
            if started.elapsed() >= timeout {
                let kind = timed_out(&pending);
                let mut found = self.explain(target, &pending).await?;
                if let Some(meanwhile) = story.told() {
                    found.push_str(&format!("\n  meanwhile:  {meanwhile}"));
                }
                return Err(StepError::Failed(StepFailure {
                    kind,
                    looked_for: format!("{target} {expectation}"),
                    found,
                    waited: started.elapsed(),
                }));
            }
        }
    }

    /// Fails at once when the console showed an error since the step began.
    pub(super) fn fail_on_error_toast(
        &self,
        looked_for: &str,
        started: Instant,
    ) -> Result<(), StepError> {
        match self.toasts.unexpected_error() {
            Some(error) => Err(StepError::Failed(StepFailure {
                kind: FailureKind::ErrorToast,
                looked_for: looked_for.to_string(),
                found: format!("the console showed an error toast \"{}\"", error.text),
                waited: started.elapsed(),
            })),
            None => Ok(()),
        }
    }

    /// Turns the last "not yet" into a sentence, with the closest texts on
    /// the page when the target was not found at all.
    pub(super) async fn explain(
        &mut self,
        target: &Target,
        probe: &Pending,
    ) -> Result<String, StepError> {
        let reason = probe.reason.clone();
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
        if not_there(&reason) {
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
            let texts = self.page.call(&protocol::VisibleTexts).await?;
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
    ) -> Result<Answer, StepError> {
        self.probe_spec(&Spec::new(target, mode, scope)).await
    }

    /// One poll of `spec` at the run's pace; installs the helper first if
    /// this document somehow lacks it.
    pub(super) async fn probe_spec(&mut self, spec: &Spec) -> Result<Answer, StepError> {
        let call = protocol::Probe {
            spec: Spec {
                pace: self.pace(),
                ..spec.clone()
            },
            cursors: self.toasts.cursor(),
        };
        loop {
            match self.page.call(&call).await? {
                Some(probed) => {
                    self.absorb(probed.toasts)?;
                    return Ok(probed.probe);
                }
                None => self.ensure_helper().await?,
            }
        }
    }

    /// Takes the toasts a page call drained into the run's log, and
    /// reports each new one. A runbook toast selector the browser rejects
    /// fails the step: the run would otherwise miss its toasts silently.
    pub(super) fn absorb(&mut self, drain: Drain) -> Result<(), StepError> {
        if let Some(bad) = drain.bad.first() {
            return Err(StepError::Failed(StepFailure {
                kind: FailureKind::InvalidTarget,
                looked_for: "the runbook's `toasts:` selectors".into(),
                found: format!("`{bad}` is not a CSS selector the browser accepts"),
                waited: Duration::ZERO,
            }));
        }
        for drained in drain.stores {
            for toast in self.toasts.absorb(drained) {
                self.reporter.event(&Event::ToastSeen {
                    text: toast.text,
                    kind: toast.kind,
                    at: self.started.elapsed(),
                    place: toast.place,
                });
            }
        }
        self.toasts.caught_up();
        Ok(())
    }

    /// Drains new toasts once, without waiting.
    pub(super) async fn drain(&mut self) -> Result<(), StepError> {
        let call = protocol::Toasts {
            cursors: self.toasts.cursor(),
        };
        match self.page.call(&call).await? {
            Some(drain) => self.absorb(drain),
            None => Ok(()),
        }
    }

    /// Installs the helper in the current document when the init script did
    /// not run there (a document that was loaded before the session set it up).
    pub(super) async fn ensure_helper(&self) -> Result<(), BrowserError> {
        let script = probe::page_script(&self.runbook.toasts);
        self.page.call(&protocol::Install { script }).await?;
        Ok(())
    }

    /// How long the page waits for a change before answering "not yet", in ms.
    pub(super) fn pace(&self) -> u64 {
        u64::try_from(self.options.poll.as_millis()).unwrap_or(u64::MAX)
    }
}

/// What a wait saw, reason by reason, and for how long: "covered by
/// <div.loading-mask> for 9.6 s" says more than the last poll alone.
#[derive(Debug, Default)]
pub(super) struct Story {
    /// Each distinct reason in the order first seen, with its total time.
    parts: Vec<(String, Duration)>,
    last: Option<(usize, Instant)>,
}

impl Story {
    /// Notes what the latest poll said; the time since the previous poll
    /// goes to what that one said.
    pub(super) fn saw(&mut self, reason: &str) {
        self.saw_at(reason, Instant::now());
    }

    pub(super) fn saw_at(&mut self, reason: &str, now: Instant) {
        if let Some((index, since)) = self.last {
            self.parts[index].1 += now - since;
        }
        let index = match self.parts.iter().position(|(r, _)| r == reason) {
            Some(index) => index,
            None => {
                self.parts.push((reason.to_string(), Duration::ZERO));
                self.parts.len() - 1
            }
        };
        self.last = Some((index, now));
    }

    /// "covered by <div.loading-mask> for 9.6s, then disabled for 400ms",
    /// or nothing when the page said one thing all along (the failure's
    /// reason and wait already tell that).
    pub(super) fn told(&self) -> Option<String> {
        let parts: Vec<String> = self
            .parts
            .iter()
            .filter(|(_, d)| *d >= Duration::from_millis(50))
            .map(|(reason, d)| format!("{reason} for {}", human(*d)))
            .collect();
        (parts.len() > 1).then(|| parts.join(", then "))
    }
}

/// The failure of a target that matches more than one element for longer
/// than a page in transition would.
fn ambiguous(target: &Target, candidates: &[String], started: Instant) -> StepFailure {
    // "exactly one alert", not "exactly one an alert".
    let named = target.to_string();
    let bare = named
        .strip_prefix("an ")
        .or_else(|| named.strip_prefix("a "))
        .unwrap_or(&named);
    StepFailure {
        kind: FailureKind::Ambiguous,
        looked_for: format!("exactly one {bare}"),
        found: format!(
            "{} matches; docent never guesses. Narrow it with `row`, `within`, `nth`, `role` or `label`. Candidates:\n{}",
            candidates.len(),
            candidates
                .iter()
                .map(|c| format!("      - {c}"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        waited: started.elapsed(),
    }
}

/// What a wait that ran out of time met: a dialog in the way, a target
/// that never showed, or one that never became ready.
fn timed_out(pending: &Pending) -> FailureKind {
    if pending.dialog.is_some() {
        FailureKind::Dialog
    } else if not_there(&pending.reason) {
        FailureKind::Missing
    } else {
        FailureKind::Timeout
    }
}

/// Whether the page's "not yet" says the target is not on the page at all.
fn not_there(reason: &str) -> bool {
    reason == "not found" || reason.starts_with("no table row")
}

pub(super) fn remaining(deadline: Instant) -> Duration {
    deadline.saturating_duration_since(Instant::now())
}

//! Pointer actions: waiting until a target can take the pointer, and the
//! guarded click. The page checks each press as it arrives; a press that a
//! re-render put over something else is stopped before the page sees it,
//! and a click the page lost in a re-render is reported, so the engine aims
//! again instead of clicking the wrong thing or nothing.

use super::probe::{ClickReport, Found, Mode, Scope, Spec};
use super::protocol;
use super::waiting::remaining;
use super::{Engine, FailureKind, Point, StepError, StepFailure};
use crate::browser::{BrowserError, Page};
use crate::runbook::Target;
use std::time::{Duration, Instant};

impl<P: Page> Engine<'_, P> {
    /// Clicks `target` once it can take the click.
    pub(super) async fn click_target(
        &mut self,
        target: &Target,
        timeout: Duration,
        expectation: &str,
    ) -> Result<Found, StepError> {
        let spec = Spec::new(target, Mode::Action, Scope::Page).armed();
        self.guarded(target, spec, timeout, expectation, false)
            .await
    }

    /// Aims at the element `spec` finds and clicks it (twice for `double`).
    /// The page guards the press: when it re-rendered between aiming and
    /// pressing and something else is now under the pointer, the press is
    /// stopped before the page sees it, and docent aims again.
    pub(super) async fn guarded(
        &mut self,
        target: &Target,
        spec: Spec,
        timeout: Duration,
        expectation: &str,
        double: bool,
    ) -> Result<Found, StepError> {
        let started = Instant::now();
        let deadline = started + timeout;
        let mut missed: Vec<String> = Vec::new();
        loop {
            let probe = self
                .wait_for_spec(target, spec.clone(), remaining(deadline), expectation)
                .await?;
            let (x, y) = self.point(&probe)?;
            if self.options.demo {
                // The demo shows where the press lands, on the page as it
                // was just before.
                if let Ok(png) = self.page.screenshot().await {
                    self.figures.pressing(png, Point { x, y });
                }
            }
            self.toasts.input_sent();
            self.pointer = Some((x, y));
            if double {
                self.page.double_click_at(x, y).await?;
            } else {
                self.page.click_at(x, y).await?;
            }
            match self.after_click().await? {
                Some(report) if !report.ok => {
                    tracing::debug!(target = %target, hit = %report.hit, "click stopped: it would have reached something else");
                    missed.push(report.hit);
                    if Instant::now() >= deadline {
                        return Err(StepError::Failed(StepFailure {
                            kind: FailureKind::Intercepted,
                            looked_for: format!("{target} {expectation}"),
                            found: format!(
                                "the page re-rendered under the pointer each time docent clicked ({} tries); the clicks would have reached {} and were stopped",
                                missed.len(),
                                missed.join(", ")
                            ),
                            waited: started.elapsed(),
                        }));
                    }
                }
                _ => return Ok(probe),
            }
        }
    }

    /// What the page's click guard saw of the last click, with the toasts
    /// so far, in one round trip. A native dialog the click opened, or a
    /// page the click loaded, means the click arrived.
    async fn after_click(&mut self) -> Result<Option<ClickReport>, StepError> {
        let call = protocol::AfterClick {
            cursors: self.toasts.cursor(),
        };
        let clicked = match self.page.call(&call).await {
            Ok(Some(clicked)) => clicked,
            Ok(None) | Err(BrowserError::DialogOpen(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        self.absorb(clicked.toasts)?;
        Ok(clicked.click)
    }

    /// After a click that set the console working (the button shows its
    /// loading state, a mask covers the page), waits until it is done, so
    /// the toast it answers with belongs to the click: an error fails the
    /// click's step, not the next one. A console still busy when the step's
    /// time is up is left to the next step, which waits for it anyway.
    pub(super) async fn await_answer(&mut self, deadline: Instant) -> Result<(), StepError> {
        let mut was_busy = false;
        let mut settle = false;
        loop {
            let call = protocol::Answering {
                cursors: self.toasts.cursor(),
                pace: self.pace(),
                settle,
            };
            let working = match self.page.call(&call).await {
                Ok(Some(working)) => working,
                // A dialog the click opened, or a page it is loading: answered.
                Ok(None) | Err(BrowserError::DialogOpen(_)) => return Ok(()),
                Err(e) => return Err(e.into()),
            };
            self.absorb(working.toasts)?;
            let done = working.busy.is_none();
            if (done && (!was_busy || settle))
                || self.toasts.unexpected_error().is_some()
                || Instant::now() >= deadline
            {
                return Ok(());
            }
            if done {
                // Done working: one more look, a poll interval on, for the answer it shows.
                settle = true;
                continue;
            }
            was_busy = true;
            tracing::debug!(busy = ?working.busy, "waiting for the click's answer");
        }
    }

    /// Waits until `target` can take a pointer action.
    pub(super) async fn actionable(
        &mut self,
        target: &Target,
        timeout: Duration,
        expectation: &str,
    ) -> Result<Found, StepError> {
        self.wait_for(target, Mode::Action, Scope::Page, timeout, expectation)
            .await
    }

    /// Where to point for a probed element, in the top viewport's
    /// coordinates (the probe measures inside the current frame).
    pub(super) fn point(&self, probe: &Found) -> Result<(f64, f64), BrowserError> {
        let (Some(x), Some(y)) = (probe.x, probe.y) else {
            return Err(BrowserError::Command(
                "the probe gave no click point".into(),
            ));
        };
        Ok(self.context.to_viewport(x, y))
    }
}

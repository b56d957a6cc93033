//! Executing a runbook against a [`Page`]: walks sections and steps in
//! order, runs each step with auto-waiting (see `actions.rs`, one function
//! per kind of step), and reports everything as [`Event`]s. On the first
//! failed step it saves `failure.png` and `failure.html` and stops.
//!
//! What a run learns as it goes is kept in parts of their own: the toasts
//! and when an error toast fails a step (`toast_watch.rs`), the window and
//! frame the steps act in (`context.rs`), the values `store` keeps
//! (`variables.rs`), and the figures and demo frames (`figures.rs`).

mod actions;
mod browsing;
pub mod compared;
mod context;
pub mod events;
mod figures;
mod options;
mod outcome;
mod outline;
mod pointer;
pub mod probe;
pub mod protocol;
mod toast_watch;
pub mod toasts;
mod variables;
mod waiting;

use context::Context;
pub use events::{Event, FramePng, OutlineItem, OutlineSection, Point, Reporter, StepInfo};
use figures::Figures;
pub use options::{MaxDuration, RunOptions, VisualOptions};
pub use outcome::{Attempt, FailureKind, Outcome, Pass, RunStatus, Skip, Status, StepFailure};
pub use outline::outline_of;
use outline::{outline, section_number, step_info};
use toast_watch::ToastWatch;
use variables::Variables;

use crate::browser::{BrowserError, Page};
use crate::folder::Output;
use crate::runbook::duration::human;
use crate::runbook::{Action, Condition, Item, Runbook, Section, Step};
use probe::{Mode, Scope};
use std::collections::BTreeSet;
use std::time::{Duration, Instant, SystemTime};

/// Why a step stopped early.
enum StepError {
    Failed(StepFailure),
    Browser(BrowserError),
}

impl From<BrowserError> for StepError {
    fn from(e: BrowserError) -> Self {
        match e {
            // A page still loading when its step's time is up is a slow
            // page, not a broken browser: the step fails, the run can
            // retry or tolerate it.
            BrowserError::LoadTimeout { waited } => StepError::Failed(StepFailure {
                kind: FailureKind::Navigation,
                looked_for: "the page to finish loading".into(),
                found: format!("it was still loading after {}", human(waited)),
                waited,
            }),
            e => StepError::Browser(e),
        }
    }
}

/// One run of a runbook: the page, the runbook, where reports go, and
/// the parts that keep what the run has learned so far.
struct Engine<'a, P: Page> {
    page: &'a P,
    runbook: &'a Runbook,
    options: &'a RunOptions,
    reporter: &'a mut dyn Reporter,
    toasts: ToastWatch,
    context: Context,
    vars: Variables,
    figures: Figures,
    /// When the run began; toasts are timed from here.
    started: Instant,
    /// Where docent last put the pointer (viewport coordinates), which a
    /// compared figure's hover states are brought up to date with.
    pointer: Option<(f64, f64)>,
}

/// Runs `runbook` on `page`, reporting to `reporter`.
pub async fn run<P: Page>(
    page: &P,
    runbook: &Runbook,
    options: &RunOptions,
    reporter: &mut dyn Reporter,
) -> RunStatus {
    let started = Instant::now();
    let outline = outline(&runbook.items, &[], "");
    reporter.event(&Event::RunStarted {
        name: runbook.name.clone(),
        description: runbook.description.clone(),
        path: runbook.path.clone(),
        out_dir: options.folder.path().to_path_buf(),
        started_at: SystemTime::now(),
        steps: runbook.steps().len(),
        outline,
        browser: page.browser(),
    });
    let mut engine = Engine {
        page,
        runbook,
        options,
        reporter,
        toasts: ToastWatch::default(),
        context: Context::default(),
        vars: Variables::default(),
        figures: Figures::default(),
        started,
        pointer: None,
    };
    if let Ok(handles) = page.windows().await {
        engine.context = Context::with_windows(handles);
    }
    let status = match options.folder.prepare() {
        Ok(()) => engine.items(&runbook.items, &[], "").await,
        Err(e) => RunStatus::Broken(format!(
            "cannot prepare {}: {e}",
            options.folder.path().display()
        )),
    };
    engine.reporter.event(&Event::RunFinished {
        status: status.clone(),
        duration: started.elapsed(),
        out_dir: options.folder.path().to_path_buf(),
    });
    status
}

impl<P: Page> Engine<'_, P> {
    fn items<'s>(
        &'s mut self,
        items: &'s [Item],
        numbers: &'s [usize],
        section: &'s str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = RunStatus> + 's>> {
        Box::pin(async move {
            let mut section_index = 0;
            for (index, item) in items.iter().enumerate() {
                let status = match item {
                    Item::Section(s) => {
                        section_index += 1;
                        let mut nested = numbers.to_vec();
                        nested.push(section_index);
                        self.section(s, nested).await
                    }
                    Item::Step(step) => {
                        self.toasts.expect_error_later(&items[index + 1..]);
                        self.step(step, section).await
                    }
                };
                if status != RunStatus::Passed {
                    return status;
                }
            }
            RunStatus::Passed
        })
    }

    /// A section with its `when`, `retry` and `optional`.
    async fn section(&mut self, s: &Section, nested: Vec<usize>) -> RunStatus {
        let number = section_number(&nested);
        if let Some(condition) = &s.flow.when {
            match self.holds(condition).await {
                Ok(true) => {}
                Ok(false) => {
                    self.reporter.event(&Event::SectionSkipped {
                        number,
                        title: s.title.clone(),
                        skip: Skip::when(condition),
                    });
                    return RunStatus::Passed;
                }
                Err(e) => return RunStatus::Broken(e.to_string()),
            }
        }
        let attempts = s.flow.retry + 1;
        let mut status = RunStatus::Passed;
        let started = Instant::now();
        for attempt in 1..=attempts {
            if attempt > 1 {
                self.reporter.event(&Event::SectionRetried {
                    number: number.clone(),
                    attempt: Attempt {
                        number: attempt,
                        of: attempts,
                    },
                });
            }
            self.reporter.event(&Event::SectionStarted {
                number: number.clone(),
                title: s.title.clone(),
                depth: nested.len(),
            });
            status = self.items(&s.items, &nested, &number).await;
            if status != RunStatus::Failed || self.out_of_time() {
                break;
            }
        }
        self.reporter.event(&Event::SectionFinished {
            number: number.clone(),
            duration: started.elapsed(),
            passed: status == RunStatus::Passed,
        });
        if status == RunStatus::Failed && s.flow.optional && !self.out_of_time() {
            self.reporter.event(&Event::SectionTolerated { number });
            return RunStatus::Passed;
        }
        status
    }

    /// Whether a `when:` condition holds now (one look, no waiting).
    async fn holds(&mut self, condition: &Condition) -> Result<bool, BrowserError> {
        // A condition with an unset value fails its step before it is
        // looked at (see `step`).
        let condition = condition.map_text(&mut |t| self.vars.fill_in(t, &mut BTreeSet::new()));
        let result = match &condition {
            Condition::Visible(target) => self
                .probe(target, Mode::Visible, Scope::Page)
                .await
                .map(|answer| answer.found().is_some()),
            Condition::Gone(target) => self
                .probe(target, Mode::Gone, Scope::Page)
                .await
                .map(|answer| answer.found().is_some()),
            Condition::Url(_) | Condition::Title(_) => {
                let (url, title) = self.here().await?;
                Ok(match &condition {
                    Condition::Url(m) => browsing::url_matches(m, &url),
                    Condition::Title(m) => m.matches(&title),
                    _ => false,
                })
            }
        };
        match result {
            Ok(b) => Ok(b),
            Err(StepError::Browser(e)) => Err(e),
            Err(StepError::Failed(_)) => Ok(false),
        }
    }

    async fn step(&mut self, step: &Step, section: &str) -> RunStatus {
        let started = Instant::now();
        let mut unset = BTreeSet::new();
        let action: std::borrow::Cow<'_, Action> = if step.action.uses_runtime_vars() {
            std::borrow::Cow::Owned(
                step.action
                    .map_text(&mut |t| self.vars.fill_in(t, &mut unset)),
            )
        } else {
            std::borrow::Cow::Borrowed(&step.action)
        };
        if let Some(condition) = &step.flow.when {
            condition.map_text(&mut |t| self.vars.fill_in(t, &mut unset));
        }
        let info = step_info(step, &action, section);
        self.reporter
            .event(&Event::StepStarted { step: info.clone() });
        self.figures.step_began();
        let timeout = step
            .timeout
            .or(self.options.timeout)
            .unwrap_or(self.runbook.timeout);
        self.page.serve_step(self.step_deadline(timeout));
        if !unset.is_empty() {
            let names: Vec<String> = unset.iter().map(|name| format!("${{{name}}}")).collect();
            let failure = StepFailure {
                kind: FailureKind::Unset,
                looked_for: format!("a stored value for {}", names.join(" and ")),
                found: format!(
                    "nothing was stored: the `store` step that keeps {} did not run (its `when:` did not hold, or its section failed before it)",
                    names.join(" and ")
                ),
                waited: Duration::ZERO,
            };
            let (outcome, status) = if step.flow.optional {
                (Outcome::Tolerated(failure), RunStatus::Passed)
            } else {
                (Outcome::Failed(failure), RunStatus::Failed)
            };
            let failed = matches!(outcome, Outcome::Failed(_));
            self.finished(info, started, outcome);
            if failed {
                self.save_evidence().await;
            }
            return status;
        }
        if let Some(condition) = &step.flow.when {
            match self.holds(condition).await {
                Ok(true) => {}
                Ok(false) => {
                    let outcome = Outcome::Skipped(Skip::when(condition));
                    self.finished(info, started, outcome);
                    return RunStatus::Passed;
                }
                Err(e) => return RunStatus::Broken(e.to_string()),
            }
        }
        let attempts = step.flow.retry + 1;
        let mut result = Ok(None);
        let mut passed_on = None;
        for number in 1..=attempts {
            result = self.bounded_attempt(&action, timeout, started).await;
            match &result {
                Ok(_) if number > 1 => {
                    passed_on = Some(Attempt {
                        number,
                        of: attempts,
                    });
                    break;
                }
                Err(StepError::Failed(failure))
                    if number < attempts && failure.kind != FailureKind::MaxDuration =>
                {
                    continue;
                }
                _ => break,
            }
        }
        if let Err(StepError::Failed(failure)) = &mut result
            && failure.kind.may_mean_unreachable()
            && let Some(why) = self.unreachable().await
        {
            // What the page had is kept: it is what the user sees in
            // failure.png, and it may tell more (a login page, say).
            failure.kind = FailureKind::Unreachable;
            failure.found = format!(
                "the console cannot be reached: {why}\n  the page:   {}",
                failure.found
            );
        }
        let (outcome, status) = match result {
            Ok(note) => (
                Outcome::Passed(Pass {
                    note,
                    attempt: passed_on,
                }),
                RunStatus::Passed,
            ),
            Err(StepError::Failed(failure)) => (
                // The step's whole time, not just its last wait.
                Outcome::Failed(StepFailure {
                    waited: started.elapsed(),
                    ..failure
                }),
                RunStatus::Failed,
            ),
            // A native dialog left open blocks the page; that is the
            // runbook's to answer, not a broken browser.
            Err(StepError::Browser(BrowserError::DialogOpen(text))) => (
                Outcome::Failed(StepFailure {
                    kind: FailureKind::Dialog,
                    looked_for: action.describe(),
                    found: format!(
                        "a native dialog \"{text}\" is open; answer it first with `- dialog: accept` or `- dialog: dismiss`"
                    ),
                    waited: started.elapsed(),
                }),
                RunStatus::Failed,
            ),
            Err(StepError::Browser(e)) => {
                let message = e.to_string();
                (
                    Outcome::Failed(StepFailure {
                        kind: FailureKind::Browser,
                        looked_for: "a working browser session".into(),
                        found: message.clone(),
                        waited: started.elapsed(),
                    }),
                    RunStatus::Broken(message),
                )
            }
        };
        let (outcome, status) = match (outcome, status) {
            (Outcome::Failed(failure), RunStatus::Failed)
                if step.flow.optional && failure.kind != FailureKind::MaxDuration =>
            {
                (Outcome::Tolerated(failure), RunStatus::Passed)
            }
            other => other,
        };
        let failed = matches!(outcome, Outcome::Failed(_));
        if self.options.demo && !failed && action.shows_on_page() {
            self.demo_frame().await;
        }
        self.finished(info, started, outcome);
        if failed {
            self.save_evidence().await;
        }
        status
    }

    fn finished(&mut self, step: StepInfo, started: Instant, outcome: Outcome) {
        self.reporter.event(&Event::StepFinished {
            step,
            duration: started.elapsed(),
            outcome,
        });
    }

    /// When a step given `timeout` from now must end: its own timeout, or
    /// the run's end under `--max-duration` if that comes first.
    fn step_deadline(&self, timeout: Duration) -> Instant {
        let own = Instant::now() + timeout;
        match self.options.max_duration {
            Some(max) => own.min(max.ends),
            None => own,
        }
    }

    /// Whether the run has used up its `--max-duration`.
    fn out_of_time(&self) -> bool {
        self.options
            .max_duration
            .is_some_and(|max| Instant::now() >= max.ends)
    }

    /// One try of a step, cut short where `--max-duration` runs out.
    async fn bounded_attempt(
        &mut self,
        action: &Action,
        timeout: Duration,
        started: Instant,
    ) -> Result<Option<String>, StepError> {
        self.page.serve_step(self.step_deadline(timeout));
        let Some(max) = self.options.max_duration else {
            return self.attempt(action, timeout, started).await;
        };
        // The step's own waiting ends with the run's time, and a request
        // that hangs past it is dropped; either way the step failed
        // because the time ran out.
        let timeout = timeout.min(max.ends.saturating_duration_since(Instant::now()));
        let result =
            tokio::time::timeout_at(max.ends.into(), self.attempt(action, timeout, started)).await;
        match result {
            Ok(Err(StepError::Failed(_))) if self.out_of_time() => {}
            Ok(result) => return result,
            Err(_) => {}
        }
        Err(StepError::Failed(StepFailure {
            kind: FailureKind::MaxDuration,
            looked_for: format!("the run to end within --max-duration {}", human(max.limit)),
            found: format!(
                "the time ran out during this step, after {} of it",
                human(started.elapsed())
            ),
            waited: started.elapsed(),
        }))
    }

    /// One try of a step: its action, then a check that the console showed
    /// no error meanwhile (an error fails the step even if its own
    /// condition held).
    async fn attempt(
        &mut self,
        action: &Action,
        timeout: Duration,
        started: Instant,
    ) -> Result<Option<String>, StepError> {
        self.toasts.step_began(action.is_interaction());
        let note = self.act(action, timeout).await?;
        // A step that ended on an input, or never looked at the page, still
        // answers for the toasts that appeared while it ran.
        if !self.toasts.drained() {
            match self.drain().await {
                Err(StepError::Browser(BrowserError::DialogOpen(_))) => {}
                other => other?,
            }
        }
        match self.toasts.unexpected_error() {
            Some(toast) => Err(StepError::Failed(StepFailure {
                kind: FailureKind::ErrorToast,
                looked_for: "no error message from the console".into(),
                found: format!("an error toast \"{}\"", toast.text),
                waited: started.elapsed(),
            })),
            None => Ok(note),
        }
    }

    /// Saves the page as it was when the step failed. Best effort: when the
    /// browser is gone there is nothing to save, and the report still says why.
    async fn save_evidence(&mut self) {
        let folder = &self.options.folder;
        let screenshot = match self.page.screenshot().await {
            Ok(png) => {
                let saved = folder.write(Output::FailureScreenshot, &png).ok();
                if self.options.demo {
                    let png = self.spooled(&png);
                    self.reporter
                        .event(&Event::DemoFrame { png, pointer: None });
                }
                saved
            }
            Err(_) => None,
        };
        let snapshot = self.page.call(&protocol::Snapshot).await.ok().flatten();
        // The page's own serialisation keeps shadow roots and is made
        // inert in the page; WebDriver's has neither, so it is saved as
        // text.
        let html = match snapshot {
            Some(html) => Ok(html),
            None => self.page.html().await.map(|source| inert_source(&source)),
        };
        let html = match html {
            Ok(html) => self
                .options
                .folder
                .write(Output::FailureHtml, self.runbook.redact(&html).as_bytes())
                .ok(),
            Err(_) => None,
        };
        self.reporter
            .event(&Event::FailureEvidence { screenshot, html });
    }
}

/// A page's source as a page that shows it as text: nothing in it runs.
fn inert_source(source: &str) -> String {
    let escaped = source
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!DOCTYPE html>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>Page source</title>\n\
         <p>The page could not be saved as it looked; this is its source.</p>\n\
         <pre style=\"white-space: pre-wrap\">{escaped}</pre>\n"
    )
}

#[cfg(test)]
mod tests;

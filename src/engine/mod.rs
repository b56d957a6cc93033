//! Executing a runbook against a [`Page`]: walks sections and steps in
//! order, runs each step with auto-waiting (see `actions.rs`), keeps the
//! toast log, saves figures, and reports everything as [`Event`]s. On the
//! first failed step it saves `failure.png` and `failure.html` and stops.

mod actions;
pub mod events;
pub mod probe;
pub mod toasts;

pub use events::{Event, Outcome, Reporter, StepFailure};

use crate::browser::{BrowserError, Page};
use crate::runbook::{Item, Runbook, Step};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use toasts::ToastLog;

/// How a run ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Passed,
    /// A step failed; the run stopped there.
    Failed,
    /// The browser broke down; the run could not go on.
    Broken(String),
    /// Stopped by a signal (Ctrl-C or SIGTERM), named here.
    Interrupted(&'static str),
}

/// Settings of one run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Where figures and failure evidence go.
    pub out_dir: PathBuf,
    /// Replaces the runbook's default step timeout (steps' own timeouts still win).
    pub timeout: Option<Duration>,
}

/// Why a step stopped early.
enum StepError {
    Failed(StepFailure),
    Browser(BrowserError),
}

impl From<BrowserError> for StepError {
    fn from(e: BrowserError) -> Self {
        StepError::Browser(e)
    }
}

struct Engine<'a, P: Page> {
    page: &'a P,
    runbook: &'a Runbook,
    options: &'a RunOptions,
    reporter: &'a mut dyn Reporter,
    toasts: ToastLog,
    /// Where the latest interaction step began in the toast log.
    interaction_mark: usize,
    /// Where the current step began in the toast log.
    step_mark: usize,
    figures: usize,
}

/// Runs `runbook` on `page`, reporting to `reporter`.
pub async fn run<P: Page>(
    page: &P,
    runbook: &Runbook,
    options: &RunOptions,
    reporter: &mut dyn Reporter,
) -> Verdict {
    let started = Instant::now();
    reporter.event(&Event::RunStarted {
        name: runbook.name.clone(),
        path: runbook.path.clone(),
        steps: runbook.steps().len(),
    });
    let mut engine = Engine {
        page,
        runbook,
        options,
        reporter,
        toasts: ToastLog::default(),
        interaction_mark: 0,
        step_mark: 0,
        figures: 0,
    };
    let verdict = match prepare_out_dir(&options.out_dir) {
        Ok(()) => engine.items(&runbook.items, &[], "").await,
        Err(e) => Verdict::Broken(format!("cannot prepare {}: {e}", options.out_dir.display())),
    };
    engine.reporter.event(&Event::RunFinished {
        passed: verdict == Verdict::Passed,
        duration: started.elapsed(),
        out_dir: options.out_dir.clone(),
    });
    verdict
}

/// Removes figures and failure evidence of an earlier run, so the folder
/// never mixes two runs.
fn prepare_out_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let numbered = name.len() > 3
            && name.as_bytes()[..2].iter().all(u8::is_ascii_digit)
            && name.as_bytes()[2] == b'-';
        if (numbered && name.ends_with(".png")) || name == "failure.png" || name == "failure.html" {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

impl<P: Page> Engine<'_, P> {
    fn items<'s>(
        &'s mut self,
        items: &'s [Item],
        numbers: &'s [usize],
        section: &'s str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Verdict> + 's>> {
        Box::pin(async move {
            let mut section_index = 0;
            for item in items {
                let verdict = match item {
                    Item::Section(s) => {
                        section_index += 1;
                        let mut nested = numbers.to_vec();
                        nested.push(section_index);
                        let number = nested
                            .iter()
                            .map(usize::to_string)
                            .collect::<Vec<_>>()
                            .join(".");
                        self.reporter.event(&Event::SectionStarted {
                            number: number.clone(),
                            title: s.title.clone(),
                            depth: nested.len(),
                        });
                        self.items(&s.items, &nested, &number).await
                    }
                    Item::Step(step) => self.step(step, section).await,
                };
                if verdict != Verdict::Passed {
                    return verdict;
                }
            }
            Verdict::Passed
        })
    }

    async fn step(&mut self, step: &Step, section: &str) -> Verdict {
        let started = Instant::now();
        self.step_mark = self.toasts.mark();
        if step.action.is_interaction() {
            self.interaction_mark = self.step_mark;
        }
        let timeout = step
            .timeout
            .or(self.options.timeout)
            .unwrap_or(self.runbook.timeout);
        let result = self.act(step, timeout).await;
        // An error the console showed during the step fails it, even if
        // the step's own condition held.
        let result = match result {
            Ok(note) => match self.toasts.error_since(self.step_mark) {
                Some(toast) => Err(StepError::Failed(StepFailure {
                    looked_for: "no error message from the console".into(),
                    found: format!("an error toast \"{}\"", toast.text),
                    waited: started.elapsed(),
                })),
                None => Ok(note),
            },
            other => other,
        };
        let (outcome, verdict) = match result {
            Ok(note) => (Outcome::Passed { note }, Verdict::Passed),
            Err(StepError::Failed(failure)) => (
                // The step's whole time, not just its last wait.
                Outcome::Failed(StepFailure {
                    waited: started.elapsed(),
                    ..failure
                }),
                Verdict::Failed,
            ),
            Err(StepError::Browser(e)) => {
                let message = e.to_string();
                (
                    Outcome::Failed(StepFailure {
                        looked_for: "a working browser session".into(),
                        found: message.clone(),
                        waited: started.elapsed(),
                    }),
                    Verdict::Broken(message),
                )
            }
        };
        let failed = matches!(outcome, Outcome::Failed(_));
        self.reporter.event(&Event::StepFinished {
            section: section.to_string(),
            description: step.action.describe(),
            path: self.runbook.path.clone(),
            pos: step.pos,
            duration: started.elapsed(),
            outcome,
        });
        if failed {
            self.save_evidence().await;
        }
        verdict
    }

    /// Saves the page as it was when the step failed. Best effort: when the
    /// browser is gone there is nothing to save, and the report still says why.
    async fn save_evidence(&mut self) {
        let dir = &self.options.out_dir;
        let screenshot = match self.page.screenshot().await {
            Ok(png) => {
                let path = dir.join("failure.png");
                std::fs::write(&path, png).ok().map(|_| path)
            }
            Err(_) => None,
        };
        let html = match self.page.html().await {
            Ok(html) => {
                let path = dir.join("failure.html");
                std::fs::write(&path, self.runbook.redact(&html))
                    .ok()
                    .map(|_| path)
            }
            Err(_) => None,
        };
        self.reporter
            .event(&Event::FailureEvidence { screenshot, html });
    }
}

#[cfg(test)]
mod tests;

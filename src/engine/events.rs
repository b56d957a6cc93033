//! What a run reports as it goes. The engine emits these events and nothing
//! else; every output (terminal, and later JSON, JUnit, HTML, the guide) is
//! a [`Reporter`] that only consumes them.

use crate::runbook::yaml::Pos;
use std::path::PathBuf;
use std::time::Duration;

/// Why a step failed, in the terms the user needs to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepFailure {
    /// What the step was waiting for, e.g. `"Next" to be clickable`.
    pub looked_for: String,
    /// What the page had instead.
    pub found: String,
    /// How long it waited before giving up.
    pub waited: Duration,
}

/// How a step ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It did what it says; `note` adds a detail such as "already on".
    Passed {
        note: Option<String>,
    },
    Failed(StepFailure),
    /// Its `when:` did not hold, so it did not run.
    Skipped {
        reason: String,
    },
    /// It failed, but it is `optional`, so the run goes on.
    Tolerated(StepFailure),
}

/// One thing that happened during a run.
#[derive(Debug, Clone)]
pub enum Event {
    RunStarted {
        name: String,
        path: PathBuf,
        steps: usize,
    },
    SectionStarted {
        /// "5" or "5.3" for nested sections.
        number: String,
        title: String,
        depth: usize,
    },
    StepFinished {
        /// The number of the innermost section ("" outside sections).
        section: String,
        description: String,
        path: PathBuf,
        pos: Pos,
        duration: Duration,
        outcome: Outcome,
    },
    /// A section whose `when:` did not hold.
    SectionSkipped {
        number: String,
        title: String,
        reason: String,
    },
    /// A failed section with `retry:` runs again.
    SectionRetried {
        number: String,
        attempt: u32,
        attempts: u32,
    },
    /// An `optional` section failed; the run goes on.
    SectionTolerated {
        number: String,
    },
    ToastSeen {
        text: String,
        kind: String,
    },
    ScreenshotSaved {
        path: PathBuf,
        caption: Option<String>,
    },
    /// Files saved to explain a failure (screenshot, page HTML).
    FailureEvidence {
        screenshot: Option<PathBuf>,
        html: Option<PathBuf>,
    },
    RunFinished {
        passed: bool,
        duration: Duration,
        out_dir: PathBuf,
    },
    /// Ctrl-C or SIGTERM stopped the run; it comes instead of `RunFinished`
    /// (from the runner, since the engine was stopped mid-step), possibly
    /// before `RunStarted` when the browser was still starting.
    RunInterrupted {
        /// "Ctrl-C" or "SIGTERM".
        signal: &'static str,
        duration: Duration,
        out_dir: PathBuf,
    },
}

/// A consumer of run events.
pub trait Reporter {
    fn event(&mut self, event: &Event);
}

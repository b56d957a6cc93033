//! The settings of one run, as the command line gives them to the engine:
//! where its files go, the timeouts and polling it keeps, whether it
//! records a demo, the bound on the whole run, and what it does with
//! baselines.

use super::probe;
use crate::folder::Folder;
use crate::visual::baseline::Approval;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Settings of one run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Where figures, failure evidence and demo frames go.
    pub folder: Folder,
    /// Replaces the runbook's default step timeout (steps' own timeouts still win).
    pub timeout: Option<Duration>,
    /// The longest a poll waits for the page to change before it looks
    /// again (polls also end at the first DOM change).
    pub poll: Duration,
    /// Capture a frame of the viewport for every step, for the demo GIF.
    pub demo: bool,
    /// `--max-duration`: when the whole run must have ended.
    pub max_duration: Option<MaxDuration>,
    /// Which figures are compared with baselines, and what becomes of them.
    pub visual: VisualOptions,
}

/// What a run does with baselines.
#[derive(Debug, Clone)]
pub struct VisualOptions {
    /// `--compare`: every figure is compared unless it says `compare: false`.
    pub compare_all: bool,
    /// `--update-baselines` and `--ci`.
    pub approval: Approval,
    /// Where the baselines are, instead of `baselines/<runbook>/<browser>/`
    /// beside the runbook.
    pub baselines: Option<PathBuf>,
    /// The browser the figures are taken in, which names the baselines'
    /// folder: two browsers never draw text alike, so each has its own.
    pub browser: String,
}

impl Default for VisualOptions {
    fn default() -> VisualOptions {
        VisualOptions {
            compare_all: false,
            approval: Approval::default(),
            baselines: None,
            browser: "chromium".to_string(),
        }
    }
}

/// The bound `--max-duration` sets on a whole run: the step running when
/// it passes fails (kind `max_duration`), with no retry and no tolerance,
/// and nothing after it runs.
#[derive(Debug, Clone, Copy)]
pub struct MaxDuration {
    /// As the user gave it, for the message.
    pub limit: Duration,
    /// When the run must have ended: `limit` after docent started.
    pub ends: Instant,
}

impl RunOptions {
    /// Options with the default poll interval.
    pub fn new(out_dir: PathBuf) -> RunOptions {
        RunOptions {
            folder: Folder::new(out_dir),
            timeout: None,
            poll: Duration::from_millis(probe::PACE_MS),
            demo: false,
            max_duration: None,
            visual: VisualOptions::default(),
        }
    }
}

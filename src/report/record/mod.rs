//! The run as one document, assembled from events: the runbook's outline
//! with what happened to each section and step (status, duration, error,
//! toasts, figures, demo frames). It is what `results.json` holds (format
//! `docent-results`, version 1, specified in `docs/results.md`), and every
//! file output (JUnit, the HTML report, the guide, the demo GIF) is
//! rendered from it, so they cannot disagree.
//!
//! Events arrive already masked (see [`super::Outputs`]), so nothing here
//! ever sees a secret.

use crate::engine::compared::Comparison;
use crate::engine::{
    Event, FramePng, Outcome, OutlineItem, OutlineSection, Pass, Point, RunStatus, Skip,
    StepFailure, StepInfo,
};
use crate::runbook::{Action, GuideText};
use serde::{Serialize, Serializer};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod builder;

pub use builder::Builder;

/// The name of the format, written in every `results.json`.
pub const FORMAT: &str = "docent-results";
/// Raised whenever a field changes meaning or disappears; new fields may
/// be added within a version.
pub const VERSION: u32 = 1;

pub use crate::engine::Status;

/// One run of one runbook.
#[derive(Debug, Clone, Serialize)]
pub struct RunRecord {
    pub format: &'static str,
    pub version: u32,
    pub runbook: RunbookRecord,
    /// The browser the run was in; absent when it never started.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub browser: Option<crate::browser::BrowserInfo>,
    pub status: Status,
    /// Why a run broke down, or the signal that interrupted it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When the run began (UTC, RFC 3339), empty if it never began.
    pub started_at: String,
    #[serde(serialize_with = "millis")]
    pub duration_ms: Duration,
    /// The folder all of the run's files are in; paths below are relative to it.
    pub out_dir: PathBuf,
    pub counts: Counts,
    /// The step that failed the run, with its evidence.
    pub failure: Option<FailureRecord>,
    pub items: Vec<ItemRecord>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunbookRecord {
    pub name: String,
    pub description: Option<String>,
    pub path: PathBuf,
}

/// How many steps ended each way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub steps: usize,
    pub passed: usize,
    pub failed: usize,
    pub tolerated: usize,
    pub skipped: usize,
    pub not_run: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct FailureRecord {
    /// The failed step's id.
    pub step: usize,
    pub description: String,
    pub path: PathBuf,
    pub line: u32,
    pub column: u32,
    /// Its kind, what was looked for, what was found and how long it waited.
    #[serde(flatten)]
    pub error: StepFailure,
    /// `failure.png`, when the browser could still take it.
    pub screenshot: Option<String>,
    /// `failure.html`, the page's HTML at the failure.
    pub html: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
// Steps are most items; boxing them would cost an allocation each.
#[allow(clippy::large_enum_variant)]
pub enum ItemRecord {
    Section(SectionRecord),
    Step(StepRecord),
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionRecord {
    pub number: String,
    pub title: String,
    /// The runbook's own line for the guide.
    #[serde(skip)]
    pub guide: GuideText,
    pub path: PathBuf,
    pub line: u32,
    pub column: u32,
    pub status: Status,
    /// The `when:` that did not hold, written as `reason`: `skipped: not (…)`.
    #[serde(
        rename = "reason",
        skip_serializing_if = "Option::is_none",
        serialize_with = "section_reason"
    )]
    pub skip: Option<Skip>,
    /// How many times it ran (more than 1 with `retry:`).
    pub attempts: u32,
    #[serde(serialize_with = "optional_millis")]
    pub duration_ms: Option<Duration>,
    pub items: Vec<ItemRecord>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepRecord {
    pub id: usize,
    /// The number of the innermost section around it ("" outside sections).
    pub section: String,
    pub keyword: &'static str,
    pub description: String,
    #[serde(skip)]
    pub action: Action,
    #[serde(skip)]
    pub guide: GuideText,
    pub path: PathBuf,
    pub line: u32,
    pub column: u32,
    pub status: Status,
    /// A detail of a pass ("already on"), or why it was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
    #[serde(serialize_with = "optional_millis")]
    pub duration_ms: Option<Duration>,
    /// What was looked for and what was there, for a failed or tolerated step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<StepFailure>,
    /// Notifications the console showed while the step ran.
    pub toasts: Vec<ToastRecord>,
    /// Figures the step saved.
    pub screenshots: Vec<ScreenshotRecord>,
    /// The demo's frames of this step (never written to `results.json`).
    #[serde(skip)]
    pub frames: Vec<Frame>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ToastRecord {
    pub text: String,
    pub kind: crate::engine::toasts::Level,
    /// Since the run started.
    #[serde(serialize_with = "millis")]
    pub at_ms: Duration,
    /// Where its centre was, as fractions of the viewport's width and
    /// height (0,0 is the top left corner); `null` when unknown.
    pub place: Option<Point>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScreenshotRecord {
    /// The file, relative to the run's folder (`03-configure-transfer.png`).
    pub file: String,
    /// The runbook's name for it.
    pub name: String,
    pub caption: Option<String>,
    /// The targets outlined in red.
    pub highlight: Vec<String>,
    /// How it compared with its baseline; only for a compared figure. Its
    /// `diff_image` and `baseline_copy` are relative to the run's folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visual: Option<Comparison>,
}

/// What a step's line adds to its status: a detail of its pass, or the
/// `when:` that kept it from running. Written as text (`note`).
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    Passed(Pass),
    Skipped(Skip),
}

impl Note {
    /// The note a step's outcome leaves, if it has one.
    pub fn of(outcome: &Outcome) -> Option<Note> {
        match outcome {
            Outcome::Passed(pass) if !pass.is_plain() => Some(Note::Passed(pass.clone())),
            Outcome::Skipped(skip) => Some(Note::Skipped(skip.clone())),
            Outcome::Passed(_) | Outcome::Failed(_) | Outcome::Tolerated(_) => None,
        }
    }
}

/// `already on`, `passed on attempt 2 of 3`, `not ("Accept cookies" is visible)`.
impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::Passed(pass) => pass.fmt(f),
            Note::Skipped(skip) => skip.fmt(f),
        }
    }
}

impl Serialize for Note {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One demo frame: a PNG of the viewport and where the pointer pressed.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Spooled to the output folder during a run; read back when the
    /// demo is drawn.
    pub png: FramePng,
    pub pointer: Option<Point>,
}

impl Default for RunRecord {
    fn default() -> Self {
        RunRecord {
            format: FORMAT,
            version: VERSION,
            runbook: RunbookRecord {
                name: String::new(),
                description: None,
                path: PathBuf::new(),
            },
            browser: None,
            status: Status::Running,
            reason: None,
            started_at: String::new(),
            duration_ms: Duration::ZERO,
            out_dir: PathBuf::new(),
            counts: Counts::default(),
            failure: None,
            items: Vec::new(),
        }
    }
}

impl RunRecord {
    /// A record built from a whole run's events.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> RunRecord {
        let mut builder = Builder::default();
        for event in events {
            builder.event(event);
        }
        builder.into_record()
    }

    /// Whether the run has ended (finished or interrupted).
    pub fn ended(&self) -> bool {
        self.status != Status::Running
    }

    /// Every step in document order.
    pub fn steps(&self) -> Vec<&StepRecord> {
        fn walk<'a>(items: &'a [ItemRecord], out: &mut Vec<&'a StepRecord>) {
            for item in items {
                match item {
                    ItemRecord::Section(s) => walk(&s.items, out),
                    ItemRecord::Step(s) => out.push(s),
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.items, &mut out);
        out
    }

    /// The step with outline id `id`.
    pub fn step(&self, id: usize) -> Option<&StepRecord> {
        self.steps().into_iter().find(|s| s.id == id)
    }

    /// A short name for files and test suites: the runbook's file stem.
    pub fn id(&self) -> String {
        self.runbook
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "runbook".into())
    }

    fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for step in self.steps() {
            counts.steps += 1;
            match step.status {
                Status::Passed => counts.passed += 1,
                Status::Failed | Status::Broken => counts.failed += 1,
                Status::Tolerated => counts.tolerated += 1,
                Status::Skipped => counts.skipped += 1,
                Status::NotRun | Status::Running | Status::Interrupted => counts.not_run += 1,
            }
        }
        counts
    }
}

fn millis<S: Serializer>(duration: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((duration.as_secs_f64() * 1e6).round() / 1e3)
}

fn section_reason<S: Serializer>(skip: &Option<Skip>, s: S) -> Result<S::Ok, S::Error> {
    match skip {
        Some(skip) => s.serialize_str(&skip.section_reason()),
        None => s.serialize_none(),
    }
}

fn optional_millis<S: Serializer>(duration: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match duration {
        Some(d) => millis(d, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests;

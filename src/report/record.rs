//! The run as one document, assembled from events: the runbook's outline
//! with what happened to each section and step (status, duration, error,
//! toasts, figures, demo frames). It is what `results.json` holds (format
//! `docent-results`, version 1, specified in `docs/results.md`), and every
//! file output (JUnit, the HTML report, the guide, the demo GIF) is
//! rendered from it, so they cannot disagree.
//!
//! Events arrive already masked (see [`super::Outputs`]), so nothing here
//! ever sees a secret.

use crate::engine::events::rfc3339;
use crate::engine::{
    Event, Outcome, OutlineItem, OutlineSection, Point, RunStatus, StepFailure, StepInfo,
};
use crate::runbook::{Action, GuideText};
use serde::{Serialize, Serializer};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The name of the format, written in every `results.json`.
pub const FORMAT: &str = "docent-results";
/// Raised whenever a field changes meaning or disappears; new fields may
/// be added within a version.
pub const VERSION: u32 = 1;

/// Where a run stands, or how it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not reached: the run stopped before it, or is still going.
    NotRun,
    Running,
    Passed,
    Failed,
    /// `when:` did not hold.
    Skipped,
    /// Failed but `optional`.
    Tolerated,
    /// The browser broke down (runs only).
    Broken,
    /// Ctrl-C or SIGTERM stopped it.
    Interrupted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotRun => "not_run",
            Status::Running => "running",
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
            Status::Tolerated => "tolerated",
            Status::Broken => "broken",
            Status::Interrupted => "interrupted",
        }
    }
}

/// One run of one runbook.
#[derive(Debug, Clone, Serialize)]
pub struct RunRecord {
    pub format: &'static str,
    pub version: u32,
    pub runbook: RunbookRecord,
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
    pub looked_for: String,
    pub found: String,
    #[serde(serialize_with = "millis")]
    pub waited_ms: Duration,
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
    /// Why it was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
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
    pub note: Option<String>,
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
    /// "success" or "error".
    pub kind: String,
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
}

/// One demo frame: a PNG of the viewport and where the pointer pressed.
#[derive(Debug, Clone)]
pub struct Frame {
    pub png: Arc<Vec<u8>>,
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
        builder.record
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

/// Folds events into a [`RunRecord`] as they come.
#[derive(Debug, Default)]
pub struct Builder {
    record: RunRecord,
    /// The step that started last (toasts and figures belong to it).
    current: Option<usize>,
}

impl Builder {
    /// A builder that already knows which runbook runs where, so a run
    /// interrupted before it began still has a named record.
    pub fn new(name: &str, path: &Path, out_dir: &Path) -> Builder {
        let mut builder = Builder::default();
        builder.record.runbook.name = name.to_string();
        builder.record.runbook.path = path.to_path_buf();
        builder.record.out_dir = out_dir.to_path_buf();
        builder
    }

    /// The record so far.
    pub fn record(&self) -> &RunRecord {
        &self.record
    }

    pub fn into_record(self) -> RunRecord {
        self.record
    }

    pub fn event(&mut self, event: &Event) {
        let record = &mut self.record;
        match event {
            Event::RunStarted {
                name,
                description,
                path,
                out_dir,
                started_at,
                outline,
                ..
            } => {
                record.runbook = RunbookRecord {
                    name: name.clone(),
                    description: description.clone(),
                    path: path.clone(),
                };
                record.out_dir = out_dir.clone();
                record.started_at = rfc3339(*started_at);
                record.items = outline.iter().map(item).collect();
                record.counts = record.counts();
            }
            Event::SectionStarted { number, .. } => {
                if let Some(section) = section_mut(&mut record.items, number) {
                    section.status = Status::Running;
                    section.attempts = section.attempts.max(1);
                }
            }
            Event::SectionFinished {
                number,
                duration,
                passed,
            } => {
                if let Some(section) = section_mut(&mut record.items, number) {
                    section.status = if *passed {
                        Status::Passed
                    } else {
                        Status::Failed
                    };
                    section.duration_ms = Some(*duration);
                }
            }
            Event::SectionSkipped { number, reason, .. } => {
                if let Some(section) = section_mut(&mut record.items, number) {
                    section.status = Status::Skipped;
                    section.reason = Some(reason.clone());
                    mark_all(&mut section.items, Status::Skipped);
                }
            }
            Event::SectionRetried {
                number, attempt, ..
            } => {
                // Only the last attempt's steps are kept; the terminal and
                // `attempts` say that there were others.
                if let Some(section) = section_mut(&mut record.items, number) {
                    section.attempts = *attempt;
                    reset(&mut section.items);
                }
                if record
                    .failure
                    .as_ref()
                    .is_some_and(|f| step_in(&record.items, number, f.step))
                {
                    record.failure = None;
                }
            }
            Event::SectionTolerated { number } => {
                if let Some(section) = section_mut(&mut record.items, number) {
                    section.status = Status::Tolerated;
                    // Its failed step did not fail the run: count it as
                    // tolerated, as an optional step's failure is.
                    tolerate(&mut section.items);
                }
                if record
                    .failure
                    .as_ref()
                    .is_some_and(|f| step_in(&record.items, number, f.step))
                {
                    record.failure = None;
                }
            }
            Event::StepStarted { step } => {
                self.current = Some(step.id);
                if let Some(s) = step_mut(&mut record.items, step.id) {
                    // Stored values are filled in now.
                    s.description = step.description.clone();
                    s.action = step.action.clone();
                    s.status = Status::Running;
                }
            }
            Event::StepFinished {
                step,
                duration,
                outcome,
            } => {
                self.current = Some(step.id);
                let Some(s) = step_mut(&mut record.items, step.id) else {
                    return;
                };
                s.description = step.description.clone();
                s.action = step.action.clone();
                s.duration_ms = Some(*duration);
                match outcome {
                    Outcome::Passed { note } => {
                        s.status = Status::Passed;
                        s.note = note.clone();
                    }
                    Outcome::Skipped { reason } => {
                        s.status = Status::Skipped;
                        s.note = Some(reason.clone());
                    }
                    Outcome::Tolerated(failure) => {
                        s.status = Status::Tolerated;
                        s.error = Some(failure.clone());
                    }
                    Outcome::Failed(failure) => {
                        s.status = Status::Failed;
                        s.error = Some(failure.clone());
                        record.failure = Some(FailureRecord {
                            step: step.id,
                            description: step.description.clone(),
                            path: step.path.clone(),
                            line: step.pos.line,
                            column: step.pos.column,
                            looked_for: failure.looked_for.clone(),
                            found: failure.found.clone(),
                            waited_ms: failure.waited,
                            screenshot: None,
                            html: None,
                        });
                    }
                }
            }
            Event::ToastSeen {
                text,
                kind,
                at,
                place,
            } => {
                if let Some(s) = self.current.and_then(|id| step_mut(&mut record.items, id)) {
                    s.toasts.push(ToastRecord {
                        text: text.clone(),
                        kind: kind.clone(),
                        at_ms: *at,
                        place: *place,
                    });
                }
            }
            Event::ScreenshotSaved {
                path,
                name,
                caption,
                highlight,
            } => {
                let file = relative(path, &record.out_dir);
                if let Some(s) = self.current.and_then(|id| step_mut(&mut record.items, id)) {
                    s.screenshots.push(ScreenshotRecord {
                        file,
                        name: name.clone(),
                        caption: caption.clone(),
                        highlight: highlight.clone(),
                    });
                }
            }
            Event::DemoFrame { png, pointer } => {
                if let Some(s) = self.current.and_then(|id| step_mut(&mut record.items, id)) {
                    s.frames.push(Frame {
                        png: png.clone(),
                        pointer: *pointer,
                    });
                }
            }
            Event::FailureEvidence { screenshot, html } => {
                let out_dir = record.out_dir.clone();
                if let Some(failure) = &mut record.failure {
                    failure.screenshot = screenshot.as_ref().map(|p| relative(p, &out_dir));
                    failure.html = html.as_ref().map(|p| relative(p, &out_dir));
                }
            }
            Event::RunFinished {
                status,
                duration,
                out_dir,
            } => {
                record.status = match status {
                    RunStatus::Passed => Status::Passed,
                    RunStatus::Failed => Status::Failed,
                    RunStatus::Broken(reason) => {
                        record.reason = Some(reason.clone());
                        Status::Broken
                    }
                };
                record.duration_ms = *duration;
                record.out_dir = out_dir.clone();
                settle(&mut record.items, Status::NotRun);
                record.counts = record.counts();
            }
            Event::RunInterrupted {
                signal,
                duration,
                out_dir,
            } => {
                record.status = Status::Interrupted;
                record.reason = Some((*signal).to_string());
                record.duration_ms = *duration;
                record.out_dir = out_dir.clone();
                settle(&mut record.items, Status::Interrupted);
                record.counts = record.counts();
            }
        }
    }
}

fn item(outline: &OutlineItem) -> ItemRecord {
    match outline {
        OutlineItem::Section(s) => ItemRecord::Section(section(s)),
        OutlineItem::Step(s) => ItemRecord::Step(step(s)),
    }
}

fn section(s: &OutlineSection) -> SectionRecord {
    SectionRecord {
        number: s.number.clone(),
        title: s.title.clone(),
        guide: s.guide.clone(),
        path: s.path.clone(),
        line: s.pos.line,
        column: s.pos.column,
        status: Status::NotRun,
        reason: None,
        attempts: 0,
        duration_ms: None,
        items: s.items.iter().map(item).collect(),
    }
}

fn step(s: &StepInfo) -> StepRecord {
    StepRecord {
        id: s.id,
        section: s.section.clone(),
        keyword: s.keyword,
        description: s.description.clone(),
        action: s.action.clone(),
        guide: s.guide.clone(),
        path: s.path.clone(),
        line: s.pos.line,
        column: s.pos.column,
        status: Status::NotRun,
        note: None,
        duration_ms: None,
        error: None,
        toasts: Vec::new(),
        screenshots: Vec::new(),
        frames: Vec::new(),
    }
}

fn section_mut<'a>(items: &'a mut [ItemRecord], number: &str) -> Option<&'a mut SectionRecord> {
    for item in items {
        if let ItemRecord::Section(s) = item {
            if s.number == number {
                return Some(s);
            }
            if number.starts_with(&format!("{}.", s.number)) {
                return section_mut(&mut s.items, number);
            }
        }
    }
    None
}

fn step_mut(items: &mut [ItemRecord], id: usize) -> Option<&mut StepRecord> {
    for item in items {
        match item {
            ItemRecord::Step(s) if s.id == id => return Some(s),
            ItemRecord::Step(_) => {}
            ItemRecord::Section(s) => {
                if let Some(found) = step_mut(&mut s.items, id) {
                    return Some(found);
                }
            }
        }
    }
    None
}

/// Whether step `id` lies in section `number`.
fn step_in(items: &[ItemRecord], number: &str, id: usize) -> bool {
    fn has(items: &[ItemRecord], id: usize) -> bool {
        items.iter().any(|item| match item {
            ItemRecord::Step(s) => s.id == id,
            ItemRecord::Section(s) => has(&s.items, id),
        })
    }
    fn find<'a>(items: &'a [ItemRecord], number: &str) -> Option<&'a SectionRecord> {
        items.iter().find_map(|item| match item {
            ItemRecord::Section(s) if s.number == number => Some(s),
            ItemRecord::Section(s) => find(&s.items, number),
            ItemRecord::Step(_) => None,
        })
    }
    find(items, number).is_some_and(|s| has(&s.items, id))
}

fn mark_all(items: &mut [ItemRecord], status: Status) {
    for item in items {
        match item {
            ItemRecord::Section(s) => {
                s.status = status;
                mark_all(&mut s.items, status);
            }
            ItemRecord::Step(s) => s.status = status,
        }
    }
}

/// Failed steps and sections inside a tolerated section become tolerated.
fn tolerate(items: &mut [ItemRecord]) {
    for item in items {
        match item {
            ItemRecord::Section(s) => {
                if s.status == Status::Failed {
                    s.status = Status::Tolerated;
                }
                tolerate(&mut s.items);
            }
            ItemRecord::Step(s) if s.status == Status::Failed => s.status = Status::Tolerated,
            ItemRecord::Step(_) => {}
        }
    }
}

/// Forgets what an earlier attempt of a section did.
fn reset(items: &mut [ItemRecord]) {
    for item in items {
        match item {
            ItemRecord::Section(s) => {
                s.status = Status::NotRun;
                s.reason = None;
                s.attempts = 0;
                s.duration_ms = None;
                reset(&mut s.items);
            }
            ItemRecord::Step(s) => {
                s.status = Status::NotRun;
                s.note = None;
                s.duration_ms = None;
                s.error = None;
                s.toasts.clear();
                s.screenshots.clear();
                s.frames.clear();
            }
        }
    }
}

/// At the end of a run, what is still running was cut short (`Interrupted`)
/// or, after a failure, never finished.
fn settle(items: &mut [ItemRecord], cut: Status) {
    for item in items {
        match item {
            ItemRecord::Section(s) => {
                if s.status == Status::Running {
                    s.status = if cut == Status::NotRun {
                        Status::Failed
                    } else {
                        cut
                    };
                }
                settle(&mut s.items, cut);
            }
            ItemRecord::Step(s) if s.status == Status::Running => s.status = cut,
            ItemRecord::Step(_) => {}
        }
    }
}

/// `path` relative to the run's folder, when it is inside it.
fn relative(path: &Path, out_dir: &Path) -> String {
    path.strip_prefix(out_dir)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

fn millis<S: Serializer>(duration: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((duration.as_secs_f64() * 1e6).round() / 1e3)
}

fn optional_millis<S: Serializer>(duration: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match duration {
        Some(d) => millis(d, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn a_passed_run_records_every_step_with_its_toasts_and_figures() {
        let record = RunRecord::from_events(&sample::masked(&sample::run(None)));
        assert_eq!(record.status, Status::Passed);
        assert_eq!(
            record.counts,
            Counts {
                steps: 11,
                passed: 11,
                ..Counts::default()
            }
        );
        let configure = record.step(8).unwrap();
        assert_eq!(configure.section, "2.2");
        assert_eq!(configure.toasts[0].text, "Operation successfully!");
        let shot = &record.step(7).unwrap().screenshots[0];
        assert_eq!(shot.file, "01-configure-transfer.png");
        assert_eq!(
            record.step(3).unwrap().description,
            "fill label \"Password\" with \"•••\""
        );
        assert!(record.failure.is_none());
        let ItemRecord::Section(second) = &record.items[1] else {
            panic!("sections first")
        };
        assert_eq!(second.status, Status::Passed);
        assert_eq!(second.attempts, 1);
    }

    #[test]
    fn a_failed_run_keeps_what_was_not_reached() {
        let record = RunRecord::from_events(&sample::masked(&sample::run(Some(10))));
        assert_eq!(record.status, Status::Failed);
        assert_eq!(record.counts.failed, 1);
        assert_eq!(record.counts.not_run, 1);
        let failure = record.failure.as_ref().unwrap();
        assert_eq!(failure.step, 10);
        assert_eq!(failure.screenshot.as_deref(), Some("failure.png"));
        assert_eq!(record.step(11).unwrap().status, Status::NotRun);
        let ItemRecord::Section(third) = &record.items[2] else {
            panic!("three sections")
        };
        assert_eq!(third.status, Status::Failed);
    }

    #[test]
    fn an_interrupted_run_marks_the_running_step() {
        let mut events = sample::run(None);
        let cut = events
            .iter()
            .position(|e| matches!(e, Event::StepStarted { step } if step.id == 5))
            .unwrap();
        events.truncate(cut + 1);
        events.push(Event::RunInterrupted {
            signal: "SIGTERM",
            duration: Duration::from_secs(3),
            out_dir: sample::out_dir(),
        });
        let record = RunRecord::from_events(&events);
        assert_eq!(record.status, Status::Interrupted);
        assert_eq!(record.reason.as_deref(), Some("SIGTERM"));
        assert_eq!(record.step(5).unwrap().status, Status::Interrupted);
        assert_eq!(record.counts.passed, 4);
        assert_eq!(record.counts.not_run, 7);
    }

    #[test]
    fn a_tolerated_section_counts_its_failure_as_tolerated() {
        let mut events = sample::run(Some(10));
        let finished = events
            .iter()
            .position(|e| matches!(e, Event::RunFinished { .. }))
            .unwrap();
        events[finished] = Event::RunFinished {
            status: RunStatus::Passed,
            duration: Duration::from_secs(14),
            out_dir: sample::out_dir(),
        };
        events.insert(finished, Event::SectionTolerated { number: "3".into() });
        let record = RunRecord::from_events(&events);
        assert_eq!(record.status, Status::Passed);
        assert!(record.failure.is_none());
        assert_eq!(record.counts.failed, 0);
        assert_eq!(record.counts.tolerated, 1);
        assert_eq!(record.step(10).unwrap().status, Status::Tolerated);
    }

    #[test]
    fn a_retried_section_keeps_its_last_attempt() {
        let mut events = sample::run(None);
        let at = events
            .iter()
            .position(|e| matches!(e, Event::SectionStarted { number, .. } if number == "3"))
            .unwrap();
        let mut first_try = sample::run(Some(10))[..].to_vec();
        let from = first_try
            .iter()
            .position(|e| matches!(e, Event::SectionStarted { number, .. } if number == "3"))
            .unwrap();
        let to = first_try
            .iter()
            .position(|e| matches!(e, Event::FailureEvidence { .. }))
            .unwrap();
        let mut inserted: Vec<Event> = first_try.drain(from..=to).collect();
        inserted.push(Event::SectionRetried {
            number: "3".into(),
            attempt: 2,
            attempts: 2,
        });
        events.splice(at..at, inserted);
        let record = RunRecord::from_events(&events);
        assert_eq!(record.status, Status::Passed);
        assert!(record.failure.is_none());
        let ItemRecord::Section(third) = &record.items[2] else {
            panic!("three sections")
        };
        assert_eq!(third.attempts, 2);
        assert_eq!(record.step(10).unwrap().status, Status::Passed);
    }
}

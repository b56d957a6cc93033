//! What a run reports as it goes. The engine emits these events and nothing
//! else; every output (the terminal, `--json`, `results.json`, JUnit, the
//! HTML report, the guide and the demo GIF) is a [`Reporter`] that only
//! consumes them.
//!
//! A run opens with [`Event::RunStarted`], which carries the whole outline
//! (every section and step, numbered), so outputs can show what was never
//! reached when a step fails. Steps and sections are then named by their
//! outline `id` and `number`. Events serialize as the JSON lines of
//! `docent run --json` (documented in `docs/results.md`).

use super::compared::Comparison;
use super::outcome::{Attempt, Outcome, RunStatus, Skip, millis};
use super::toasts::Level;
use crate::runbook::yaml::Pos;
use crate::runbook::{Action, GuideText};
use crate::secrets::Secrets;
use serde::{Serialize, Serializer};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// One step of the runbook, as every event about it names it.
#[derive(Debug, Clone, Serialize)]
pub struct StepInfo {
    /// Its place among the runbook's steps in document order, from 1; a
    /// step of a retried section keeps its id.
    pub id: usize,
    /// The number of the innermost section around it ("" outside sections).
    pub section: String,
    /// The step keyword, as written (`click`, `expect_toast`).
    pub keyword: &'static str,
    /// One line saying what it does (`click "Next"`).
    pub description: String,
    /// The step itself, with stored values filled in once it runs; the
    /// guide and the demo turn it into a sentence.
    #[serde(skip)]
    pub action: Action,
    /// What the runbook says the guide should say of it.
    #[serde(skip)]
    pub guide: GuideText,
    pub path: PathBuf,
    #[serde(flatten)]
    pub pos: Pos,
}

/// The runbook's sections and steps before anything runs.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
// Steps are most items; boxing them would cost an allocation each.
#[allow(clippy::large_enum_variant)]
pub enum OutlineItem {
    Section(OutlineSection),
    Step(StepInfo),
}

#[derive(Debug, Clone, Serialize)]
pub struct OutlineSection {
    /// "5" or "5.3" for nested sections.
    pub number: String,
    pub title: String,
    /// What the runbook says the guide should say instead of the title.
    #[serde(skip)]
    pub guide: GuideText,
    pub path: PathBuf,
    #[serde(flatten)]
    pub pos: Pos,
    pub items: Vec<OutlineItem>,
}

/// A point in the viewport: CSS pixels for a press, fractions of the
/// viewport's width and height for where a toast showed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// One thing that happened during a run.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    RunStarted {
        name: String,
        /// The runbook's `description:`, the guide's introduction.
        description: Option<String>,
        path: PathBuf,
        /// Where the run's files go.
        out_dir: PathBuf,
        #[serde(serialize_with = "timestamp")]
        started_at: SystemTime,
        /// How many steps the outline has.
        steps: usize,
        outline: Vec<OutlineItem>,
        /// The browser the run is in (absent for a page that is not one).
        #[serde(skip_serializing_if = "Option::is_none")]
        browser: Option<crate::browser::BrowserInfo>,
    },
    SectionStarted {
        number: String,
        title: String,
        depth: usize,
    },
    /// A section ran to its end (or to its first failed step).
    SectionFinished {
        number: String,
        #[serde(rename = "duration_ms", serialize_with = "millis")]
        duration: Duration,
        passed: bool,
    },
    /// A section whose `when:` did not hold.
    SectionSkipped {
        number: String,
        title: String,
        /// Written as `reason`: `skipped: not (…)`.
        #[serde(rename = "reason", serialize_with = "section_reason")]
        skip: Skip,
    },
    /// A failed section with `retry:` runs again; `attempt` is the one
    /// starting.
    SectionRetried {
        number: String,
        #[serde(flatten)]
        attempt: Attempt,
    },
    /// An `optional` section failed; the run goes on.
    SectionTolerated { number: String },
    StepStarted {
        #[serde(flatten)]
        step: StepInfo,
    },
    StepFinished {
        #[serde(flatten)]
        step: StepInfo,
        #[serde(rename = "duration_ms", serialize_with = "millis")]
        duration: Duration,
        #[serde(flatten)]
        outcome: Outcome,
    },
    /// A notification the console showed (during the step that last started).
    ToastSeen {
        text: String,
        /// Success, info, warning or error, as the page's recorder judged it.
        kind: Level,
        /// Since the run started.
        #[serde(rename = "at_ms", serialize_with = "millis")]
        at: Duration,
        /// Where its centre was, as fractions of the viewport (0,0 is the
        /// top left corner), when the page could tell.
        place: Option<Point>,
    },
    ScreenshotSaved {
        path: PathBuf,
        /// The runbook's name for it (the file name without its number).
        name: String,
        caption: Option<String>,
        /// The targets outlined in red, as written.
        highlight: Vec<String>,
    },
    /// A figure was compared with its baseline; it follows the figure's
    /// `screenshot_saved` (`path` is the same) and belongs to the same step.
    FigureCompared {
        /// The figure in the run's folder.
        path: PathBuf,
        /// The runbook's name for it.
        name: String,
        #[serde(flatten)]
        comparison: Comparison,
    },
    /// A frame of the demo (`--demo`): the viewport as a PNG, taken just
    /// before a pointer press (marked at `pointer`) or after the step.
    DemoFrame {
        #[serde(skip)]
        png: FramePng,
        pointer: Option<Point>,
    },
    /// Files saved to explain a failure (screenshot, page HTML).
    FailureEvidence {
        screenshot: Option<PathBuf>,
        html: Option<PathBuf>,
    },
    RunFinished {
        #[serde(flatten)]
        status: RunStatus,
        #[serde(rename = "duration_ms", serialize_with = "millis")]
        duration: Duration,
        out_dir: PathBuf,
    },
    /// Ctrl-C or SIGTERM stopped the run; it comes instead of `RunFinished`
    /// (from the runner, since the engine was stopped mid-step), possibly
    /// before `RunStarted` when the browser was still starting.
    RunInterrupted {
        /// "Ctrl-C" or "SIGTERM".
        signal: &'static str,
        #[serde(rename = "duration_ms", serialize_with = "millis")]
        duration: Duration,
        out_dir: PathBuf,
    },
}

/// A demo frame's picture. A run spools its frames to the output folder
/// as they are taken, so memory stays flat however long the runbook is;
/// made-up runs (the reporters' tests) keep theirs in memory.
#[derive(Debug, Clone, PartialEq)]
pub enum FramePng {
    Spooled(PathBuf),
    InMemory(Arc<Vec<u8>>),
}

impl FramePng {
    /// The PNG's bytes, read from its file when it was spooled.
    pub fn bytes(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            FramePng::Spooled(path) => std::fs::read(path).map(std::borrow::Cow::Owned),
            FramePng::InMemory(png) => Ok(std::borrow::Cow::Borrowed(png.as_slice())),
        }
    }
}

impl Event {
    /// The same event with every secret value replaced by `•••`, in every
    /// text it carries (the step itself included).
    pub fn masked(&self, secrets: &Secrets) -> Event {
        if secrets.is_empty() {
            return self.clone();
        }
        let mask = &mut |text: &str| secrets.mask(text);
        let mut event = self.clone();
        match &mut event {
            Event::RunStarted {
                name,
                description,
                outline,
                ..
            } => {
                *name = mask(name);
                if let Some(d) = description {
                    *d = mask(d);
                }
                mask_outline(outline, mask);
            }
            Event::SectionStarted { title, .. } => *title = mask(title),
            Event::SectionSkipped { title, skip, .. } => {
                *title = mask(title);
                skip.mask(mask);
            }
            Event::StepStarted { step } => mask_step(step, mask),
            Event::StepFinished { step, outcome, .. } => {
                mask_step(step, mask);
                match outcome {
                    Outcome::Passed(pass) => {
                        if let Some(n) = &mut pass.note {
                            *n = mask(n);
                        }
                    }
                    Outcome::Failed(f) | Outcome::Tolerated(f) => {
                        f.looked_for = mask(&f.looked_for);
                        f.found = mask(&f.found);
                    }
                    Outcome::Skipped(skip) => skip.mask(mask),
                }
            }
            Event::ToastSeen { text, .. } => *text = mask(text),
            Event::ScreenshotSaved {
                caption, highlight, ..
            } => {
                if let Some(c) = caption {
                    *c = mask(c);
                }
                for h in highlight {
                    *h = mask(h);
                }
            }
            Event::RunFinished {
                status: RunStatus::Broken(reason),
                ..
            } => *reason = mask(reason),
            Event::SectionFinished { .. }
            | Event::SectionRetried { .. }
            | Event::SectionTolerated { .. }
            | Event::FigureCompared { .. }
            | Event::DemoFrame { .. }
            | Event::FailureEvidence { .. }
            | Event::RunFinished { .. }
            | Event::RunInterrupted { .. } => {}
        }
        event
    }
}

fn mask_step(step: &mut StepInfo, mask: &mut dyn FnMut(&str) -> String) {
    step.description = mask(&step.description);
    step.action = step.action.map_text(mask);
    if let GuideText::Own(text) = &mut step.guide {
        *text = mask(text);
    }
}

fn mask_outline(items: &mut [OutlineItem], mask: &mut dyn FnMut(&str) -> String) {
    for item in items {
        match item {
            OutlineItem::Section(section) => {
                section.title = mask(&section.title);
                if let GuideText::Own(text) = &mut section.guide {
                    *text = mask(text);
                }
                mask_outline(&mut section.items, mask);
            }
            OutlineItem::Step(step) => mask_step(step, mask),
        }
    }
}

fn section_reason<S: Serializer>(skip: &Skip, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&skip.section_reason())
}

fn timestamp<S: Serializer>(time: &SystemTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*time))
}

/// `2026-11-24T09:30:12.345Z`: UTC, to the millisecond (truncated, always
/// three digits). A clock before 1970 or past 9999 reads as 1970-01-01.
pub fn rfc3339(time: SystemTime) -> String {
    let at = jiff::Timestamp::try_from(time.max(SystemTime::UNIX_EPOCH))
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    format!("{at:.3}")
}

/// A consumer of run events.
pub trait Reporter {
    fn event(&mut self, event: &Event);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_civil_dates() {
        let at = |secs: u64, millis: u64| {
            rfc3339(SystemTime::UNIX_EPOCH + Duration::from_millis(secs * 1000 + millis))
        };
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(at(951_782_400, 5), "2000-02-29T00:00:00.005Z");
        assert_eq!(at(1_795_512_612, 345), "2026-11-24T09:30:12.345Z");
        // Milliseconds are cut, not rounded; a clock before 1970 reads as 1970.
        let late = SystemTime::UNIX_EPOCH + Duration::new(1_795_512_612, 345_999_999);
        assert_eq!(rfc3339(late), "2026-11-24T09:30:12.345Z");
        let early = SystemTime::UNIX_EPOCH - Duration::from_secs(1);
        assert_eq!(rfc3339(early), "1970-01-01T00:00:00.000Z");
    }
}

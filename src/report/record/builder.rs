//! Folding events into a [`RunRecord`]: the outline becomes the tree of
//! sections and steps, and each event updates the section or step it names
//! (a retry resets a section, a tolerated section tolerates its failure,
//! the end of the run settles what was still running).

use super::*;
use crate::engine::events::rfc3339;

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
                browser,
                ..
            } => {
                record.browser = browser.clone();
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
            Event::SectionSkipped { number, skip, .. } => {
                if let Some(section) = section_mut(&mut record.items, number) {
                    section.status = Status::Skipped;
                    section.skip = Some(skip.clone());
                    mark_all(&mut section.items, Status::Skipped);
                }
            }
            Event::SectionRetried {
                number, attempt, ..
            } => {
                // Only the last attempt's steps are kept; the terminal and
                // `attempts` say that there were others.
                if let Some(section) = section_mut(&mut record.items, number) {
                    section.attempts = attempt.number;
                    reset(&mut section.items);
                }
                forget_failure_in(record, number);
            }
            Event::SectionTolerated { number } => {
                if let Some(section) = section_mut(&mut record.items, number) {
                    section.status = Status::Tolerated;
                    // Its failed step did not fail the run: count it as
                    // tolerated, as an optional step's failure is.
                    tolerate(&mut section.items);
                }
                forget_failure_in(record, number);
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
                s.status = outcome.status();
                s.note = Note::of(outcome);
                match outcome {
                    Outcome::Passed(_) | Outcome::Skipped(_) => {}
                    Outcome::Tolerated(failure) => s.error = Some(failure.clone()),
                    Outcome::Failed(failure) => {
                        s.error = Some(failure.clone());
                        record.failure = Some(FailureRecord {
                            step: step.id,
                            description: step.description.clone(),
                            path: step.path.clone(),
                            line: step.pos.line,
                            column: step.pos.column,
                            error: failure.clone(),
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
                        kind: *kind,
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
                        visual: None,
                    });
                }
            }
            Event::FigureCompared {
                path, comparison, ..
            } => {
                let out_dir = record.out_dir.clone();
                let file = relative(path, &out_dir);
                let step = self.current.and_then(|id| step_mut(&mut record.items, id));
                let shot = step.and_then(|s| s.screenshots.iter_mut().rfind(|s| s.file == file));
                if let Some(shot) = shot {
                    let in_run = |p: &Option<PathBuf>| {
                        p.as_deref().map(|p| PathBuf::from(relative(p, &out_dir)))
                    };
                    shot.visual = Some(Comparison {
                        diff_image: in_run(&comparison.diff_image),
                        baseline_copy: in_run(&comparison.baseline_copy),
                        ..comparison.clone()
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
                record.end(status, *duration, out_dir);
            }
            Event::RunInterrupted {
                signal,
                duration,
                out_dir,
            } => {
                record.end(&RunStatus::Interrupted(signal), *duration, out_dir);
            }
        }
    }
}

impl RunRecord {
    /// Settles the record once the run has ended: a run that a signal
    /// stopped marks what was running as interrupted, any other ending
    /// leaves it not run (or failed, for a section).
    fn end(&mut self, status: &RunStatus, duration: Duration, out_dir: &Path) {
        self.status = status.status();
        self.reason = status.reason();
        self.duration_ms = duration;
        self.out_dir = out_dir.to_path_buf();
        let cut = match status {
            RunStatus::Interrupted(_) => Status::Interrupted,
            RunStatus::Passed | RunStatus::Failed | RunStatus::Broken(_) => Status::NotRun,
        };
        settle(&mut self.items, cut);
        self.counts = self.counts();
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
        skip: None,
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

/// A failure inside section `number` no longer fails the run (the section
/// runs again, or is optional).
fn forget_failure_in(record: &mut RunRecord, number: &str) {
    if record
        .failure
        .as_ref()
        .is_some_and(|f| step_in(&record.items, number, f.step))
    {
        record.failure = None;
    }
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
                s.skip = None;
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

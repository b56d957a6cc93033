//! What a person watching a run sees: a heading per section and one line
//! per finished step (`✓ 2.1 toggle label "Transfer to LTS" on (switched
//! on)  322ms`), with the toasts and figures it saw on lines under it; then
//! the diagnosis of the step that failed the run (its `file:line`, what was
//! looked for, what the page had instead, how long it waited, and the saved
//! evidence); then a one-line summary with the verdict, the time, the step
//! counts and the figures.
//!
//! The permanent lines are the same on a terminal and in a CI log, so they
//! stay stable and greppable; a terminal adds colours (see
//! [`TerminalOptions`]) and a live spinner line for the step under way
//! ([`live`]). `--quiet` keeps only the diagnosis and the summary. Events
//! arrive with secrets already masked ([`super::Outputs`]).
//!
//! Text from the page or the runbook (descriptions, titles, toasts, what a
//! failed step found, captions, paths) is escaped by [`crate::printable`]
//! before it is styled, so a page cannot write escape sequences to the
//! user's terminal and docent's colours are the only codes in the output.
//!
//! The diagnosis can go to a stream of its own
//! ([`Terminal::with_diagnosis_to`]): the CLI sends it to stderr, so stdout
//! carries the progress and the summary and stderr says why a run failed.
//!
//! A failed step in a section that will be retried, or in an `optional`
//! one, does not fail the run, so its full diagnosis waits until the run
//! ends; if the section is retried or tolerated instead, one line under the
//! step says what went wrong.

mod diagnosis;
mod live;
mod options;
mod paint;

#[cfg(test)]
mod tests;

use diagnosis::{Diagnosis, indented_lines, one_line_failure};

pub use live::LiveTarget;
pub use options::TerminalOptions;

use super::record::Builder;
use crate::browser::BrowserInfo;
use crate::engine::{Event, Outcome, OutlineItem, Reporter, RunStatus, StepInfo};
use crate::printable;
use crate::runbook::duration::human;
use live::Spinner;
use paint::Paint;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Writes a run's progress to `out` (stdout in the CLI, a buffer in tests).
pub struct Terminal<W: Write> {
    out: W,
    options: TerminalOptions,
    paint: Paint,
    /// Where the spinner goes once the run starts (live mode only).
    draw_target: Option<LiveTarget>,
    spinner: Option<Spinner>,
    /// The run as `results.json` records it, whose counts the summary
    /// gives, so the terminal and the files always agree.
    record: Builder,
    section_titles: HashMap<String, String>,
    /// The step under way, and the lines about it (toasts, figures) that
    /// wait to be printed under its line once it finishes.
    current: Option<StepInfo>,
    notes: Vec<String>,
    /// How far the lines of the last finished step were indented.
    last_indent: usize,
    /// A failed step whose diagnosis waits until it is known whether the
    /// run goes on (retried or optional section) or ends.
    pending: Option<Diagnosis>,
    figures: Vec<(PathBuf, Option<String>)>,
    /// Where a failure's diagnosis goes, and in what colours, when not to
    /// `out`.
    diagnosis_out: Option<(Box<dyn Write>, Paint)>,
    evidence_saved: bool,
    /// Whether anything was printed, so the summary's blank line is not
    /// the first thing in quiet output.
    printed: bool,
}

impl<W: Write> Terminal<W> {
    /// A reporter writing to `out`; in live mode the spinner is drawn on
    /// stdout, where the CLI's `out` goes (see [`TerminalOptions::for_stdout`]).
    pub fn new(out: W, options: TerminalOptions) -> Self {
        Terminal::with_live_target(out, options, LiveTarget::stdout())
    }

    /// A reporter whose spinner (in live mode) is drawn on `target`: stderr
    /// when `out` is stderr, or an in-memory terminal in tests.
    pub fn with_live_target(out: W, options: TerminalOptions, target: LiveTarget) -> Self {
        let live = options.live && !options.quiet;
        Terminal {
            out,
            options,
            paint: Paint { on: options.color },
            draw_target: live.then_some(target),
            spinner: None,
            record: Builder::default(),
            section_titles: HashMap::new(),
            current: None,
            notes: Vec::new(),
            last_indent: 0,
            pending: None,
            figures: Vec::new(),
            diagnosis_out: None,
            evidence_saved: false,
            printed: false,
        }
    }

    /// Sends a failure's diagnosis (why the step failed or the run broke
    /// down, and the evidence saved) to `out` instead, coloured or not as
    /// `options` says for that stream.
    pub fn with_diagnosis_to(mut self, out: Box<dyn Write>, options: TerminalOptions) -> Self {
        self.diagnosis_out = Some((out, Paint { on: options.color }));
        self
    }

    /// The writer back, with the spinner (if any) cleared.
    pub fn into_inner(mut self) -> W {
        self.end();
        self.out
    }

    /// Writes lines that stay, with the spinner taken off the screen while
    /// they are written. Errors (a closed pipe) are ignored: progress is
    /// not worth failing the run for.
    fn write(&mut self, lines: &[String]) {
        if lines.is_empty() {
            return;
        }
        self.printed = true;
        emit(&mut self.out, self.spinner.as_ref(), lines);
    }

    /// Writes a diagnosis to its own stream if it has one. The summary that
    /// follows on `out` is set apart by a blank line; when `out` has shown
    /// nothing yet, the diagnosis ends with that line instead, so `out`
    /// does not begin with an empty one.
    fn write_diagnosis(&mut self, lines: &[String]) {
        match &mut self.diagnosis_out {
            Some((out, _)) => {
                let mut lines = lines.to_vec();
                if !self.printed {
                    lines.push(String::new());
                }
                emit(out, self.spinner.as_ref(), &lines);
            }
            None => self.write(lines),
        }
    }

    /// The colours of the diagnosis's stream.
    fn diagnosis_paint(&self) -> Paint {
        self.diagnosis_out
            .as_ref()
            .map_or(self.paint, |(_, paint)| *paint)
    }

    /// Lines about single steps and sections: none with `--quiet`.
    fn progress(&mut self, lines: &[String]) {
        if !self.options.quiet {
            self.write(lines);
        }
    }

    fn spin(&self, message: String) {
        if let Some(spinner) = &self.spinner {
            spinner.show(message);
        }
    }

    /// The spinner's message for the step under way.
    fn step_message(&self, step: &StepInfo) -> String {
        let place = format!("[{}/{}]", step.id, self.total());
        let mut message = format!(
            "{} {}",
            self.paint.bold(&place),
            printable::line(&step.description)
        );
        if let Some(title) = self.section_titles.get(&step.section) {
            message.push_str(&self.paint.dim(&format!("  · {} {title}", step.section)));
        }
        message
    }

    /// Takes the spinner away for good and prints a diagnosis still
    /// waiting; safe to call more than once. (A panic unwinding past the
    /// reporter drops the spinner, whose own `Drop` clears the line.)
    fn end(&mut self) {
        if let Some(spinner) = self.spinner.take() {
            spinner.clear();
        }
        self.draw_target = None;
        if let Some(diagnosis) = self.pending.take() {
            let lines = self.diagnosis(&diagnosis);
            self.write_diagnosis(&lines);
        }
    }

    /// How many steps the runbook has.
    fn total(&self) -> usize {
        self.record.record().counts.steps
    }

    /// `7 passed, 1 failed, 1 not run`, from the record's counts.
    fn counts(&self) -> String {
        let c = &self.record.record().counts;
        let counted = [
            (c.passed, "passed"),
            (c.failed, "failed"),
            (c.tolerated, "tolerated"),
            (c.skipped, "skipped"),
            (c.not_run, "not run"),
        ];
        let parts: Vec<String> = counted
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, word)| {
                let text = format!("{n} {word}");
                if word == "failed" {
                    self.paint.red(&text)
                } else {
                    text
                }
            })
            .collect();
        if parts.is_empty() {
            "no steps".into()
        } else {
            parts.join(", ")
        }
    }

    /// `1 figure and failure evidence in screenshots/create-tracker`.
    fn files(&self, out_dir: &Path) -> String {
        let figures = match self.figures.len() {
            0 => "no figures".to_string(),
            1 => "1 figure".to_string(),
            n => format!("{n} figures"),
        };
        let evidence = if self.evidence_saved {
            " and failure evidence"
        } else {
            ""
        };
        format!("{figures}{evidence} in {}", shown_path(out_dir))
    }

    /// The summary line and, unless quiet, the figures under it.
    fn summary(&mut self, verdict: String, out_dir: &Path) {
        let mut lines = Vec::new();
        if self.printed {
            lines.push(String::new());
        }
        let counts = if self.total() > 0 {
            format!("{}; ", self.counts())
        } else {
            String::new()
        };
        lines.push(format!("{verdict} — {counts}{}", self.files(out_dir)));
        if !self.options.quiet {
            for (path, caption) in &self.figures {
                lines.push(match caption {
                    Some(caption) => {
                        format!("  {}  ({})", shown_path(path), printable::line(caption))
                    }
                    None => format!("  {}", shown_path(path)),
                });
            }
        }
        self.write(&lines);
    }

    fn run_started(
        &mut self,
        name: &str,
        path: &Path,
        steps: usize,
        outline: &[OutlineItem],
        browser: Option<&BrowserInfo>,
    ) {
        index_outline(outline, &mut self.section_titles);
        let plural = if steps == 1 { "" } else { "s" };
        // "in firefox 153.8.0 through http://grid:4444/", when known.
        let browser = browser
            .map(|b| {
                let version = b
                    .version
                    .as_deref()
                    .map(|v| format!(" {v}"))
                    .unwrap_or_default();
                let remote = b
                    .webdriver
                    .as_deref()
                    .map(|w| format!(" through {w}"))
                    .unwrap_or_default();
                printable::line(&format!(", in {}{version}{remote}", b.name)).into_owned()
            })
            .unwrap_or_default();
        let header = format!(
            "docent: {} ({}, {steps} step{plural}{browser})",
            self.paint.bold(&printable::line(name)),
            shown_path(path)
        );
        self.progress(&[header]);
        if let Some(target) = self.draw_target.take() {
            self.spinner = Some(Spinner::start(
                target,
                self.paint,
                format!("{} starting", self.paint.bold(&format!("[0/{steps}]"))),
            ));
        }
    }

    fn step_finished(&mut self, step: &StepInfo, duration: Duration, outcome: &Outcome) {
        let depth = section_depth(&step.section);
        let indent = "  ".repeat(depth);
        let number = if step.section.is_empty() {
            String::new()
        } else {
            format!("{} ", step.section)
        };
        let description = printable::line(&step.description);
        let took = self.paint.dim(&human(duration));
        let p = self.paint;
        let line = match outcome {
            Outcome::Passed(pass) => {
                let note = if pass.is_plain() {
                    String::new()
                } else {
                    format!(" ({})", printable::line(&pass.to_string()))
                };
                format!(
                    "{indent}{} {number}{description}{note}  {took}",
                    p.green("✓")
                )
            }
            Outcome::Failed(_) => {
                format!("{indent}{} {number}{description}  {took}", p.red("✗"))
            }
            Outcome::Skipped(skip) => p.dim(&format!(
                "{indent}- {number}{description} (skipped: {})",
                printable::line(&skip.to_string())
            )),
            Outcome::Tolerated(failure) => format!(
                "{indent}{} {number}{description}  {took} {}",
                p.yellow("!"),
                p.yellow(&format!(
                    "(optional, failed: {})",
                    one_line_failure(failure)
                ))
            ),
        };
        self.current = None;
        self.last_indent = indent.len();
        let mut lines = vec![line];
        lines.extend(
            std::mem::take(&mut self.notes)
                .into_iter()
                .map(|note| format!("{indent}  {note}")),
        );
        self.progress(&lines);
        if let Outcome::Failed(failure) = outcome {
            self.pending = Some(Diagnosis {
                step: step.clone(),
                failure: failure.clone(),
                indent: indent.len(),
                evidence: Vec::new(),
            });
        }
        let title = self
            .section_titles
            .get(&step.section)
            .map(|title| format!(" {} {title}", step.section))
            .unwrap_or_default();
        let place = format!("[{}/{}]", step.id, self.total());
        self.spin(format!(
            "{}{}",
            self.paint.bold(&place),
            self.paint.dim(&title)
        ));
    }

    /// A line under the step under way (or, between steps, under the last).
    fn note(&mut self, note: String) {
        if self.current.is_some() {
            self.notes.push(note);
        } else {
            let line = format!("{}{note}", " ".repeat(self.last_indent + 2));
            self.progress(&[line]);
        }
    }

    /// The summary's first words: `passed in 4.3s`, `FAILED after 14.3s`.
    fn verdict(&self, status: &RunStatus, duration: Duration) -> String {
        let p = self.paint;
        match status {
            RunStatus::Passed => p.bold_green(&format!("passed in {}", human(duration))),
            RunStatus::Failed | RunStatus::Broken(_) => {
                p.bold_red(&format!("FAILED after {}", human(duration)))
            }
            RunStatus::Interrupted(signal) => p.bold_yellow(&format!(
                "INTERRUPTED by {signal} after {}",
                human(duration)
            )),
        }
    }

    /// A failure that did not end the run: one line under its step.
    fn resolve_pending(&mut self) -> Vec<String> {
        match self.pending.take() {
            Some(diagnosis) => vec![self.failure_note(&diagnosis)],
            None => Vec::new(),
        }
    }
}

impl<W: Write> Reporter for Terminal<W> {
    fn event(&mut self, event: &Event) {
        // The record first, so the summary counts the event that ends the
        // run. Demo frames are pictures the counts do not need; keeping
        // them here would hold every frame until the run ends.
        if !matches!(event, Event::DemoFrame { .. }) {
            self.record.event(event);
        }
        let p = self.paint;
        match event {
            Event::RunStarted {
                name,
                path,
                steps,
                outline,
                browser,
                ..
            } => self.run_started(name, path, *steps, outline, browser.as_ref()),
            Event::SectionStarted {
                number,
                title,
                depth,
            } => {
                let indent = "  ".repeat(depth.saturating_sub(1));
                let title = printable::line(title);
                self.progress(&[format!("{indent}{}", p.bold(&format!("{number}. {title}")))]);
            }
            Event::StepStarted { step } => {
                // Retried and optional sections settle a failure before the
                // next step starts; should a step start first anyway, the
                // failure did not end the run either.
                let lines = self.resolve_pending();
                self.progress(&lines);
                self.current = Some(step.clone());
                self.notes.clear();
                self.spin(self.step_message(step));
            }
            Event::StepFinished {
                step,
                duration,
                outcome,
            } => self.step_finished(step, *duration, outcome),
            Event::ToastSeen { text, kind, .. } => {
                let text = printable::line(text);
                let note = if *kind == crate::engine::toasts::Level::Error {
                    p.red(&format!("↳ error toast \"{text}\""))
                } else {
                    format!("{} toast \"{text}\"", p.cyan("↳"))
                };
                self.note(note);
            }
            Event::ScreenshotSaved { path, caption, .. } => {
                let file = path.file_name().map(Path::new).unwrap_or(path);
                self.note(format!("{} figure {}", p.cyan("↳"), shown_path(file)));
                self.figures.push((path.clone(), caption.clone()));
            }
            Event::SectionSkipped {
                number,
                title,
                skip,
            } => {
                let indent = "  ".repeat(section_depth(number).saturating_sub(1));
                let title = printable::line(title);
                let reason = printable::line(&skip.section_reason()).into_owned();
                self.progress(&[p.dim(&format!("{indent}{number}. {title} ({reason})"))]);
            }
            Event::SectionRetried { number, attempt } => {
                let mut lines = self.resolve_pending();
                lines.push(p.yellow(&format!("  retrying section {number} ({attempt})")));
                self.progress(&lines);
            }
            Event::SectionTolerated { number } => {
                let mut lines = self.resolve_pending();
                lines.push(p.yellow(&format!(
                    "  section {number} failed but is optional; going on"
                )));
                self.progress(&lines);
            }
            Event::FailureEvidence { screenshot, html } => {
                self.evidence_saved |= screenshot.is_some() || html.is_some();
                let mut lines = Vec::new();
                if let Some(path) = screenshot {
                    lines.push(format!("  screenshot: {}", shown_path(path)));
                }
                if let Some(path) = html {
                    lines.push(format!("  page html:  {}", shown_path(path)));
                }
                match &mut self.pending {
                    Some(diagnosis) => diagnosis.evidence = lines,
                    None => self.write_diagnosis(&lines),
                }
            }
            Event::RunFinished {
                status,
                duration,
                out_dir,
            } => {
                let broken = match status {
                    RunStatus::Broken(reason) if self.pending.is_none() => Some(reason),
                    _ => None,
                };
                self.end();
                if let Some(reason) = broken {
                    let blank = if self.options.quiet {
                        None
                    } else {
                        Some(String::new())
                    };
                    let lines: Vec<String> = blank
                        .into_iter()
                        .chain([self.diagnosis_paint().bold_red(&format!(
                            "error: the run could not go on: {}",
                            indented_lines(reason)
                        ))])
                        .collect();
                    self.write_diagnosis(&lines);
                }
                let verdict = self.verdict(status, *duration);
                self.summary(verdict, out_dir);
            }
            Event::RunInterrupted {
                signal,
                duration,
                out_dir,
            } => {
                self.end();
                let verdict = self.verdict(&RunStatus::Interrupted(signal), *duration);
                self.summary(verdict, out_dir);
            }
            // Sections show by their heading and steps; the demo's frames
            // are pictures for the GIF.
            // The comparison's words are already the step's note or failure.
            Event::SectionFinished { .. }
            | Event::DemoFrame { .. }
            | Event::FigureCompared { .. } => {}
        }
    }
}

/// Writes lines that stay, with the spinner (if any) taken off the screen
/// while they are written. Errors (a closed pipe) are ignored: progress is
/// not worth failing the run for.
fn emit(out: &mut dyn Write, spinner: Option<&Spinner>, lines: &[String]) {
    let mut write = || {
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
        let _ = out.flush();
    };
    match spinner {
        Some(spinner) => spinner.suspend(write),
        None => write(),
    }
}

/// `"2.1"` is two sections deep; `""` (outside sections) none.
fn section_depth(number: &str) -> usize {
    number.split('.').filter(|s| !s.is_empty()).count()
}

/// Records the sections' titles, walking the outline once.
fn index_outline(items: &[OutlineItem], titles: &mut HashMap<String, String>) {
    for item in items {
        if let OutlineItem::Section(section) = item {
            // Kept escaped: the spinner shows them as they are.
            titles.insert(
                section.number.clone(),
                printable::line(&section.title).into_owned(),
            );
            index_outline(&section.items, titles);
        }
    }
}

/// A path as a line of the output shows it.
fn shown_path(path: &Path) -> String {
    printable::line(&path.display().to_string()).into_owned()
}

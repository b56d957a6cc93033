//! `junit.xml`: one `<testsuite>` per runbook, one `<testcase>` per
//! section (or per step, with `--junit-cases steps`), failures with their
//! message and the failed step's `file:line`, as CI systems read them.
//!
//! CI pages show little more than a case's name, its status, the failure's
//! message and body, and its `<system-out>`, so everything a reader needs
//! to act is put there: the message names the step and its place, the body
//! is the same diagnosis the terminal prints, and `<system-out>` tells the
//! case's steps with the toasts and figures they saw (and how a compared
//! figure fared); a figure that failed its comparison is attached, with
//! its baseline and diff image, as `[[ATTACHMENT|path]]` lines, which CI
//! plugins turn into links. The mapping of statuses is specified in
//! `docs/results.md`. This module decides what
//! the cases are and say; nextest's `quick-junit` holds them and writes
//! the XML (escaping, characters XML cannot carry, layout).

use super::record::{ItemRecord, Note, RunRecord, SectionRecord, Status, StepRecord};
use crate::engine::Skip;
use chrono::{DateTime, FixedOffset};
use prose::{attachments, diagnosis, extras, label, not_run, place, step_counts, story};
use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};
use std::fmt::Write;
use std::time::Duration;

mod prose;

/// What a JUnit test case stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Cases {
    /// One test case per top-level section (the procedure's numbered steps).
    #[default]
    Sections,
    /// One test case per step.
    Steps,
}

/// The JUnit XML of one or several runs.
pub fn xml(runs: &[&RunRecord], cases: Cases) -> String {
    let mut report = Report::new("docent");
    for run in runs {
        report.add_test_suite(suite(run, cases).junit());
    }
    report.set_time(runs.iter().map(|run| run.duration_ms).sum());
    if let Some(first) = runs.iter().find_map(|run| started(run)) {
        report.set_timestamp(first);
    }
    // Only a failing writer can fail, and this one is a `Vec`.
    report.to_string().expect("XML written to memory")
}

/// When the run began; `None` for a run that never began.
fn started(run: &RunRecord) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(&run.started_at).ok()
}

/// One run as a test suite.
struct Suite<'a> {
    run: &'a RunRecord,
    cases: Vec<Case>,
}

struct Case {
    classname: String,
    name: String,
    path: String,
    line: Option<u32>,
    time: Duration,
    ending: Ending,
    /// `<system-out>`; empty leaves it out.
    out: String,
}

/// How a case ended: a status of the record, which decides the JUnit
/// element, and what that element says.
struct Ending {
    status: Status,
    /// The element's text; `None` for a case that passed.
    detail: Option<Detail>,
}

struct Detail {
    r#type: &'static str,
    message: String,
    /// The element's text; empty leaves it out.
    body: String,
}

/// The JUnit elements a case can hold, one at most.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Failure,
    Error,
    Skipped,
}

impl Kind {
    /// The element a case of this status holds. A failure an `optional`
    /// let the run survive is no failure to CI; a case that never ran to
    /// its end is skipped, and one cut short by the browser or a signal
    /// is an error.
    fn of(status: Status) -> Option<Kind> {
        match status {
            Status::Passed | Status::Tolerated => None,
            Status::Failed => Some(Kind::Failure),
            Status::Broken | Status::Interrupted | Status::Running => Some(Kind::Error),
            Status::Skipped | Status::NotRun => Some(Kind::Skipped),
        }
    }
}

impl Ending {
    fn new(status: Status, detail: Detail) -> Ending {
        Ending {
            status,
            detail: Some(detail),
        }
    }

    /// A green case: passed, or failed where an `optional` let the run go on.
    fn green(status: Status) -> Ending {
        Ending {
            status,
            detail: None,
        }
    }

    /// A case that did not run (`Skipped` or `NotRun`), with why.
    fn skipped(status: Status, message: String) -> Ending {
        Ending::new(
            status,
            Detail {
                r#type: "",
                message,
                body: String::new(),
            },
        )
    }

    fn kind(&self) -> Option<Kind> {
        Kind::of(self.status)
    }

    /// Whether the case is red.
    fn failed(&self) -> bool {
        matches!(self.kind(), Some(Kind::Failure | Kind::Error))
    }
}

impl Suite<'_> {
    /// The suite as quick-junit writes it; it counts the cases itself.
    fn junit(self) -> TestSuite {
        let run = self.run;
        let path = run.runbook.path.display().to_string();
        let mut suite = TestSuite::new(&run.runbook.name);
        suite.extra.insert("file".into(), path.as_str().into());
        suite.set_time(run.duration_ms);
        if let Some(at) = started(run) {
            suite.set_timestamp(at);
        }
        let mut properties = vec![
            Property::new("runbook", path),
            Property::new("out_dir", run.out_dir.display().to_string()),
            Property::new("status", run.status.as_str()),
        ];
        if let Some(reason) = &run.reason {
            properties.push(Property::new("reason", reason));
        }
        properties.push(Property::new("steps", step_counts(run)));
        suite.add_properties(properties);
        suite.add_test_cases(self.cases.into_iter().map(Case::junit));
        suite
    }
}

impl Case {
    fn junit(self) -> TestCase {
        let kind = self.ending.kind();
        let status = match (kind, self.ending.detail) {
            (None, _) | (_, None) => TestCaseStatus::success(),
            (Some(Kind::Failure), Some(detail)) => detail.status(NonSuccessKind::Failure),
            (Some(Kind::Error), Some(detail)) => detail.status(NonSuccessKind::Error),
            (Some(Kind::Skipped), Some(detail)) => {
                let mut status = TestCaseStatus::skipped();
                status.set_message(detail.message);
                status
            }
        };
        let mut case = TestCase::new(self.name, status);
        case.set_classname(self.classname).set_time(self.time);
        case.extra.insert("file".into(), self.path.into());
        if let Some(line) = self.line {
            case.extra.insert("line".into(), line.to_string().into());
        }
        if !self.out.is_empty() {
            case.set_system_out(self.out);
        }
        case
    }
}

impl Detail {
    fn status(self, kind: NonSuccessKind) -> TestCaseStatus {
        let mut status = TestCaseStatus::non_success(kind);
        status.set_message(self.message).set_type(self.r#type);
        if !self.body.is_empty() {
            status.set_description(self.body);
        }
        status
    }
}

/// The cases of one run.
fn suite(run: &RunRecord, cases: Cases) -> Suite<'_> {
    let mut list = Vec::new();
    let id = run.id();
    match cases {
        Cases::Sections => {
            for item in &run.items {
                match item {
                    ItemRecord::Section(section) => list.push(section_case(run, &id, section)),
                    // A step outside any section is a step of the procedure
                    // in its own right, so it is a case of its own.
                    ItemRecord::Step(step) => {
                        list.push(step_case(run, id.clone(), step, &Around::default()))
                    }
                }
            }
        }
        Cases::Steps => {
            for (step, around) in steps_in(&run.items, &Around::default()) {
                let classname = match step.section.split('.').next() {
                    Some(top) if !top.is_empty() => format!("{id}.{top}"),
                    _ => id.clone(),
                };
                list.push(step_case(run, classname, step, &around));
            }
        }
    }
    if let Some(case) = run_case(run, &id, &list) {
        list.push(case);
    }
    unique_names(&mut list);
    Suite { run, cases: list }
}

/// What the sections around a step did to it.
#[derive(Debug, Clone, Default)]
struct Around {
    /// The innermost `optional` section around it that failed.
    tolerated: Option<String>,
    /// The section around it whose `when:` did not hold, with why.
    skipped: Option<(String, Skip)>,
}

impl Around {
    fn within(&self, section: &SectionRecord) -> Around {
        let mut inner = self.clone();
        if section.status == Status::Tolerated {
            inner.tolerated = Some(section.number.clone());
        }
        if section.status == Status::Skipped
            && inner.skipped.is_none()
            && let Some(skip) = &section.skip
        {
            inner.skipped = Some((section.number.clone(), skip.clone()));
        }
        inner
    }
}

/// Every step under `items`, in document order, with what its sections did.
fn steps_in<'a>(items: &'a [ItemRecord], around: &Around) -> Vec<(&'a StepRecord, Around)> {
    let mut out = Vec::new();
    for item in items {
        match item {
            ItemRecord::Step(step) => out.push((step, around.clone())),
            ItemRecord::Section(section) => {
                out.extend(steps_in(&section.items, &around.within(section)));
            }
        }
    }
    out
}

/// A top-level section as one case: it fails with its first failed step.
fn section_case(run: &RunRecord, id: &str, section: &SectionRecord) -> Case {
    let steps = steps_in(&section.items, &Around::default().within(section));
    let ending = steps
        .iter()
        .map(|(step, around)| step_ending(run, step, around))
        .find(Ending::failed)
        .unwrap_or_else(|| match section.status {
            Status::Skipped => Ending::skipped(
                Status::Skipped,
                match &section.skip {
                    Some(skip) => skip.section_reason(),
                    None => "skipped".into(),
                },
            ),
            Status::NotRun | Status::Running => Ending::skipped(Status::NotRun, not_run(run)),
            // Cut short between two of its steps, or broken down in a
            // `when:` check before any step finished.
            Status::Interrupted => stopped(run, None),
            Status::Failed if run.status == Status::Broken => stopped(run, None),
            // Every failure inside was tolerated, yet the record says it
            // failed: say so rather than show it green.
            Status::Failed => Ending::new(
                Status::Failed,
                Detail {
                    r#type: "SectionFailed",
                    message: format!("section {} failed", section.number),
                    body: String::new(),
                },
            ),
            status => Ending::green(status),
        });
    let mut out = String::new();
    if ending.kind() != Some(Kind::Skipped) {
        if section.status == Status::Tolerated {
            let _ = writeln!(
                out,
                "section {} is optional: it failed and the run went on",
                section.number
            );
        }
        if section.attempts > 1 {
            let _ = writeln!(out, "ran {} times (retry)", section.attempts);
        }
        for (step, around) in &steps {
            story(&mut out, step, around);
        }
        for (step, _) in &steps {
            attachments(&mut out, run, step);
        }
    }
    let time = section
        .duration_ms
        .unwrap_or_else(|| steps.iter().filter_map(|(s, _)| s.duration_ms).sum());
    Case {
        classname: id.to_string(),
        name: format!("{}. {}", section.number, section.title),
        path: section.path.display().to_string(),
        line: Some(section.line),
        time,
        ending,
        out,
    }
}

/// One step as one case.
fn step_case(run: &RunRecord, classname: String, step: &StepRecord, around: &Around) -> Case {
    let mut out = String::new();
    match (&step.status, &step.note, &step.error) {
        (Status::Passed, Some(note), _) => {
            let _ = writeln!(out, "note: {note}");
        }
        (Status::Tolerated, _, Some(error)) => {
            let _ = writeln!(out, "optional, failed: {error}");
        }
        (Status::Failed, _, Some(error)) => {
            if let Some(number) = &around.tolerated {
                let _ = writeln!(
                    out,
                    "failed: {error}; section {number} is optional, so the run went on"
                );
            }
        }
        _ => {}
    }
    extras(&mut out, step, "");
    attachments(&mut out, run, step);
    Case {
        classname,
        name: label(step),
        path: step.path.display().to_string(),
        line: Some(step.line),
        time: step.duration_ms.unwrap_or_default(),
        ending: step_ending(run, step, around),
        out,
    }
}

/// How a step reads as a case.
fn step_ending(run: &RunRecord, step: &StepRecord, around: &Around) -> Ending {
    match step.status {
        Status::Passed | Status::Tolerated => Ending::green(step.status),
        Status::Failed if around.tolerated.is_some() => Ending::green(Status::Tolerated),
        Status::Failed if run.status == Status::Broken => stopped(run, Some(step)),
        Status::Failed => failure(run, step),
        Status::Skipped => Ending::skipped(
            Status::Skipped,
            match (&step.note, &around.skipped) {
                (Some(Note::Skipped(skip)), _) => format!("skipped: {skip}"),
                (_, Some((number, skip))) => format!("skipped with section {number}: {skip}"),
                (_, None) => "skipped".into(),
            },
        ),
        Status::Interrupted | Status::Broken => stopped(run, Some(step)),
        Status::NotRun | Status::Running => Ending::skipped(Status::NotRun, not_run(run)),
    }
}

/// A step that failed the run: the message names it and its place, the
/// body is the terminal's diagnosis with the evidence's paths.
fn failure(run: &RunRecord, step: &StepRecord) -> Ending {
    let found = step.error.as_ref().map(|e| e.found.as_str()).unwrap_or("");
    let message = format!(
        "{} failed at {}: {}",
        step.description,
        place(step),
        found.lines().next().unwrap_or("")
    );
    Ending::new(
        Status::Failed,
        Detail {
            r#type: "StepFailed",
            message,
            body: diagnosis(run, step, "step failed"),
        },
    )
}

/// The browser broke down or a signal stopped the run: at `step`, or
/// (with `None`) between steps.
fn stopped(run: &RunRecord, step: Option<&StepRecord>) -> Ending {
    let reason = run.reason.clone().unwrap_or_default();
    let (status, r#type, heading, what) = match run.status {
        Status::Interrupted => (
            Status::Interrupted,
            "Interrupted",
            "interrupted",
            format!("interrupted by {reason}"),
        ),
        _ => {
            let found = step
                .and_then(|s| s.error.as_ref())
                .map(|e| e.found.clone())
                .unwrap_or(reason);
            (
                Status::Broken,
                "BrowserBroken",
                "the browser broke down",
                format!("the browser broke down: {found}"),
            )
        }
    };
    let what = what.lines().next().unwrap_or("").to_string();
    Ending::new(
        status,
        match step {
            Some(step) => Detail {
                r#type,
                message: format!("{what}, at {} ({})", step.description, place(step)),
                body: diagnosis(run, step, heading),
            },
            None => Detail {
                r#type,
                message: what.clone(),
                body: what,
            },
        },
    )
}

/// A run that broke down or was cut short with no case to carry it (before
/// its first step, or in a run that never began) gets a case of its own,
/// so CI shows it red.
fn run_case(run: &RunRecord, id: &str, cases: &[Case]) -> Option<Case> {
    let carried = cases.iter().any(|c| c.ending.kind() == Some(Kind::Error));
    let ending = match run.status {
        Status::Broken | Status::Interrupted if !carried => stopped(run, None),
        Status::Running => Ending::new(
            Status::Running,
            Detail {
                r#type: "NotFinished",
                message: "the run never finished; docent's output says why".into(),
                body: String::new(),
            },
        ),
        // A runbook docent never started (`--fail-fast`, Ctrl-C or
        // `--max-duration` came first): one skipped case says why.
        Status::NotRun => Ending::skipped(
            Status::NotRun,
            format!(
                "not run: {}",
                run.reason
                    .as_deref()
                    .unwrap_or("docent started no more runbooks")
            ),
        ),
        _ => return None,
    };
    Some(Case {
        classname: id.to_string(),
        name: "run".into(),
        path: run.runbook.path.display().to_string(),
        line: None,
        time: run.duration_ms,
        ending,
        out: String::new(),
    })
}

/// CI systems key a case by classname and name; a step written twice in
/// one section would otherwise merge with its twin or hide it.
fn unique_names(cases: &mut [Case]) {
    let mut seen: Vec<(String, String)> = Vec::new();
    for case in cases {
        let key = (case.classname.clone(), case.name.clone());
        let n = seen.iter().filter(|k| **k == key).count();
        seen.push(key);
        if n > 0 {
            case.name = format!("{} ({})", case.name, n + 1);
        }
    }
}

#[cfg(test)]
mod tests;

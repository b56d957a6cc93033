//! `junit.xml`: one `<testsuite>` per runbook, one `<testcase>` per
//! section (or per step, with `--junit-cases steps`), failures with their
//! message and the failed step's `file:line`, as CI systems read them.
//!
//! CI pages show little more than a case's name, its status, the failure's
//! message and body, and its `<system-out>`, so everything a reader needs
//! to act is put there: the message names the step and its place, the body
//! is the same diagnosis the terminal prints, and `<system-out>` tells the
//! case's steps with the toasts and figures they saw. The mapping of
//! statuses is specified in `docs/results.md`. This module decides what
//! the cases are and say; nextest's `quick-junit` holds them and writes
//! the XML (escaping, characters XML cannot carry, layout).

use super::record::{ItemRecord, RunRecord, SectionRecord, Status, StepRecord};
use chrono::{DateTime, FixedOffset};
use prose::{diagnosis, extras, label, not_run, place, skip_message, step_counts, story};
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
    verdict: Verdict,
    /// `<system-out>`; empty leaves it out.
    out: String,
}

enum Verdict {
    Passed,
    /// A step's check failed.
    Failure(Detail),
    /// The run could not go on: the browser broke down or a signal came.
    Error(Detail),
    /// Never ran, with why.
    Skipped(String),
}

struct Detail {
    r#type: &'static str,
    message: String,
    /// The element's text; empty leaves it out.
    body: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Failure,
    Error,
    Skipped,
}

impl Verdict {
    fn kind(&self) -> Option<Kind> {
        match self {
            Verdict::Passed => None,
            Verdict::Failure(_) => Some(Kind::Failure),
            Verdict::Error(_) => Some(Kind::Error),
            Verdict::Skipped(_) => Some(Kind::Skipped),
        }
    }

    /// Whether the case is red.
    fn failed(&self) -> bool {
        matches!(self, Verdict::Failure(_) | Verdict::Error(_))
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
        let status = match self.verdict {
            Verdict::Passed => TestCaseStatus::success(),
            Verdict::Failure(detail) => detail.status(NonSuccessKind::Failure),
            Verdict::Error(detail) => detail.status(NonSuccessKind::Error),
            Verdict::Skipped(message) => {
                let mut status = TestCaseStatus::skipped();
                status.set_message(message);
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
    skipped: Option<(String, String)>,
}

impl Around {
    fn within(&self, section: &SectionRecord) -> Around {
        let mut inner = self.clone();
        if section.status == Status::Tolerated {
            inner.tolerated = Some(section.number.clone());
        }
        if section.status == Status::Skipped && inner.skipped.is_none() {
            let reason = section.reason.clone().unwrap_or_default();
            inner.skipped = Some((section.number.clone(), reason));
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
    let verdict = steps
        .iter()
        .map(|(step, around)| step_verdict(run, step, around))
        .find(Verdict::failed)
        .unwrap_or_else(|| match section.status {
            Status::Skipped => Verdict::Skipped(skip_message(section.reason.as_deref())),
            Status::NotRun | Status::Running => Verdict::Skipped(not_run(run)),
            // Cut short between two of its steps, or broken down in a
            // `when:` check before any step finished.
            Status::Interrupted => stopped(run, None),
            Status::Failed if run.status == Status::Broken => stopped(run, None),
            // Every failure inside was tolerated, yet the record says it
            // failed: say so rather than show it green.
            Status::Failed => Verdict::Failure(Detail {
                r#type: "SectionFailed",
                message: format!("section {} failed", section.number),
                body: String::new(),
            }),
            _ => Verdict::Passed,
        });
    let mut out = String::new();
    if verdict.kind() != Some(Kind::Skipped) {
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
        verdict,
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
            let _ = writeln!(
                out,
                "optional, failed: {}: {}",
                error.looked_for, error.found
            );
        }
        (Status::Failed, _, Some(error)) => {
            if let Some(number) = &around.tolerated {
                let _ = writeln!(
                    out,
                    "failed: {}: {}; section {number} is optional, so the run went on",
                    error.looked_for, error.found
                );
            }
        }
        _ => {}
    }
    extras(&mut out, step, "");
    Case {
        classname,
        name: label(step),
        path: step.path.display().to_string(),
        line: Some(step.line),
        time: step.duration_ms.unwrap_or_default(),
        verdict: step_verdict(run, step, around),
        out,
    }
}

/// How a step reads as a case.
fn step_verdict(run: &RunRecord, step: &StepRecord, around: &Around) -> Verdict {
    match step.status {
        Status::Passed | Status::Tolerated => Verdict::Passed,
        Status::Failed if around.tolerated.is_some() => Verdict::Passed,
        Status::Failed if run.status == Status::Broken => stopped(run, Some(step)),
        Status::Failed => failure(run, step),
        Status::Skipped => match (&step.note, &around.skipped) {
            (Some(note), _) => Verdict::Skipped(format!("skipped: {note}")),
            (None, Some((number, reason))) => {
                let why = reason.strip_prefix("skipped: ").unwrap_or(reason);
                Verdict::Skipped(format!("skipped with section {number}: {why}"))
            }
            (None, None) => Verdict::Skipped("skipped".into()),
        },
        Status::Interrupted | Status::Broken => stopped(run, Some(step)),
        Status::NotRun | Status::Running => Verdict::Skipped(not_run(run)),
    }
}

/// A step that failed the run: the message names it and its place, the
/// body is the terminal's diagnosis with the evidence's paths.
fn failure(run: &RunRecord, step: &StepRecord) -> Verdict {
    let found = step.error.as_ref().map(|e| e.found.as_str()).unwrap_or("");
    let message = format!(
        "{} failed at {}: {}",
        step.description,
        place(step),
        found.lines().next().unwrap_or("")
    );
    Verdict::Failure(Detail {
        r#type: "StepFailed",
        message,
        body: diagnosis(run, step, "step failed"),
    })
}

/// The browser broke down or a signal stopped the run: at `step`, or
/// (with `None`) between steps.
fn stopped(run: &RunRecord, step: Option<&StepRecord>) -> Verdict {
    let reason = run.reason.clone().unwrap_or_default();
    let (r#type, heading, what) = match run.status {
        Status::Interrupted => (
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
                "BrowserBroken",
                "the browser broke down",
                format!("the browser broke down: {found}"),
            )
        }
    };
    let what = what.lines().next().unwrap_or("").to_string();
    Verdict::Error(match step {
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
    })
}

/// A run that broke down or was cut short with no case to carry it (before
/// its first step, or in a run that never began) gets a case of its own,
/// so CI shows it red.
fn run_case(run: &RunRecord, id: &str, cases: &[Case]) -> Option<Case> {
    let carried = cases.iter().any(|c| c.verdict.kind() == Some(Kind::Error));
    let verdict = match run.status {
        Status::Broken | Status::Interrupted if !carried => stopped(run, None),
        Status::Running => Verdict::Error(Detail {
            r#type: "NotFinished",
            message: "the run never finished; docent's output says why".into(),
            body: String::new(),
        }),
        _ => return None,
    };
    Some(Case {
        classname: id.to_string(),
        name: "run".into(),
        path: run.runbook.path.display().to_string(),
        line: None,
        time: run.duration_ms,
        verdict,
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

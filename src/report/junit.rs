//! `junit.xml`: one `<testsuite>` per runbook, one `<testcase>` per
//! section (or per step, with `--junit-cases steps`), failures with their
//! message and the failed step's `file:line`, as CI systems read them.
//!
//! CI pages show little more than a case's name, its status, the failure's
//! message and body, and its `<system-out>`, so everything a reader needs
//! to act is put there: the message names the step and its place, the body
//! is the same diagnosis the terminal prints, and `<system-out>` tells the
//! case's steps with the toasts and figures they saw. The mapping of
//! statuses is specified in `docs/results.md`; the XML is written by hand
//! because it is this small.

use super::record::{ItemRecord, RunRecord, SectionRecord, Status, StepRecord};
use crate::runbook::duration::human;
use std::fmt::Write;
use std::time::Duration;

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
    let suites: Vec<Suite<'_>> = runs.iter().map(|run| suite(run, cases)).collect();
    let total = |count: fn(&Suite<'_>) -> usize| suites.iter().map(count).sum::<usize>();
    let time: Duration = suites.iter().map(|s| s.run.duration_ms).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<testsuites name=\"docent\"");
    counts(
        &mut out,
        total(|s| s.cases.len()),
        total(|s| s.count(Kind::Failure)),
        total(|s| s.count(Kind::Error)),
        total(|s| s.count(Kind::Skipped)),
    );
    attr(&mut out, "time", &seconds(time));
    if let Some(first) = runs.iter().find(|run| !run.started_at.is_empty()) {
        attr(&mut out, "timestamp", &first.started_at);
    }
    if suites.is_empty() {
        out.push_str("/>\n");
        return out;
    }
    out.push_str(">\n");
    for suite in &suites {
        suite.write(&mut out);
    }
    out.push_str("</testsuites>\n");
    out
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
    fn count(&self, kind: Kind) -> usize {
        self.cases
            .iter()
            .filter(|c| c.verdict.kind() == Some(kind))
            .count()
    }

    fn write(&self, out: &mut String) {
        let run = self.run;
        let path = run.runbook.path.display().to_string();
        out.push_str("  <testsuite");
        attr(out, "name", &run.runbook.name);
        attr(out, "file", &path);
        counts(
            out,
            self.cases.len(),
            self.count(Kind::Failure),
            self.count(Kind::Error),
            self.count(Kind::Skipped),
        );
        attr(out, "time", &seconds(run.duration_ms));
        if !run.started_at.is_empty() {
            attr(out, "timestamp", &run.started_at);
        }
        out.push_str(">\n    <properties>\n");
        let mut properties = vec![
            ("runbook", path),
            ("out_dir", run.out_dir.display().to_string()),
            ("status", run.status.as_str().to_string()),
        ];
        if let Some(reason) = &run.reason {
            properties.push(("reason", reason.clone()));
        }
        properties.push(("steps", step_counts(run)));
        for (name, value) in properties {
            out.push_str("      <property");
            attr(out, "name", name);
            attr(out, "value", &value);
            out.push_str("/>\n");
        }
        out.push_str("    </properties>\n");
        for case in &self.cases {
            case.write(out);
        }
        out.push_str("  </testsuite>\n");
    }
}

impl Case {
    fn write(&self, out: &mut String) {
        out.push_str("    <testcase");
        attr(out, "classname", &self.classname);
        attr(out, "name", &self.name);
        attr(out, "file", &self.path);
        if let Some(line) = self.line {
            attr(out, "line", &line.to_string());
        }
        attr(out, "time", &seconds(self.time));
        if matches!(self.verdict, Verdict::Passed) && self.out.is_empty() {
            out.push_str("/>\n");
            return;
        }
        out.push_str(">\n");
        match &self.verdict {
            Verdict::Passed => {}
            Verdict::Failure(detail) => detail.write(out, "failure"),
            Verdict::Error(detail) => detail.write(out, "error"),
            Verdict::Skipped(message) => {
                out.push_str("      <skipped");
                attr(out, "message", message);
                out.push_str("/>\n");
            }
        }
        if !self.out.is_empty() {
            out.push_str("      <system-out>");
            out.push_str(&cdata(&self.out));
            out.push_str("</system-out>\n");
        }
        out.push_str("    </testcase>\n");
    }
}

impl Detail {
    fn write(&self, out: &mut String, element: &str) {
        let _ = write!(out, "      <{element}");
        attr(out, "message", &self.message);
        attr(out, "type", self.r#type);
        if self.body.is_empty() {
            out.push_str("/>\n");
        } else {
            let _ = writeln!(out, ">{}</{element}>", cdata(&self.body));
        }
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

/// The terminal's account of a step that stopped the run.
fn diagnosis(run: &RunRecord, step: &StepRecord, heading: &str) -> String {
    let mut body = format!("{heading}: {}\n  --> {}\n", step.description, place(step));
    if let Some(error) = &step.error {
        let _ = writeln!(body, "  looked for: {}", indent(&error.looked_for));
        let _ = writeln!(body, "  found:      {}", indent(&error.found));
        let _ = writeln!(body, "  waited:     {}", human(error.waited));
    }
    if !step.toasts.is_empty() {
        let seen: Vec<String> = step
            .toasts
            .iter()
            .map(|t| format!("\"{}\" ({})", t.text, t.kind))
            .collect();
        let _ = writeln!(body, "  toasts seen: {}", seen.join(", "));
    }
    if let Some(failure) = run.failure.as_ref().filter(|f| f.step == step.id) {
        for (what, file) in [
            ("screenshot:", &failure.screenshot),
            ("page html: ", &failure.html),
        ] {
            if let Some(file) = file {
                let _ = writeln!(body, "  {what} {}", run.out_dir.join(file).display());
            }
        }
    }
    body
}

/// A section case's `<system-out>`: its steps as the terminal shows them.
fn story(out: &mut String, step: &StepRecord, around: &Around) {
    let label = label(step);
    let _ = match (step.status, &step.error) {
        (Status::Passed, _) => match &step.note {
            Some(note) => writeln!(out, "✓ {label} ({note})"),
            None => writeln!(out, "✓ {label}"),
        },
        (Status::Tolerated, Some(e)) => writeln!(
            out,
            "! {label} (optional, failed: {}: {})",
            e.looked_for, e.found
        ),
        (Status::Failed, Some(e)) if around.tolerated.is_some() => writeln!(
            out,
            "✗ {label} (failed: {}: {}; section {} is optional)",
            e.looked_for,
            e.found,
            around.tolerated.as_deref().unwrap_or("")
        ),
        (Status::Failed | Status::Tolerated, _) => writeln!(out, "✗ {label}"),
        (Status::Skipped, _) => match (&step.note, &around.skipped) {
            (Some(note), _) => writeln!(out, "- {label} (skipped: {note})"),
            (None, Some((number, _))) => writeln!(out, "- {label} (skipped with section {number})"),
            (None, None) => writeln!(out, "- {label} (skipped)"),
        },
        (Status::Interrupted, _) => writeln!(out, "✗ {label} (interrupted)"),
        (Status::Broken, _) => writeln!(out, "✗ {label} (the browser broke down)"),
        (Status::NotRun | Status::Running, _) => writeln!(out, "· {label} (not run)"),
    };
    extras(out, step, "    ");
}

/// The figures a step saved and the toasts it saw, one line each.
fn extras(out: &mut String, step: &StepRecord, indent: &str) {
    for shot in &step.screenshots {
        let _ = match &shot.caption {
            Some(caption) => writeln!(out, "{indent}figure: {} ({caption})", shot.file),
            None => writeln!(out, "{indent}figure: {}", shot.file),
        };
    }
    for toast in &step.toasts {
        let _ = writeln!(out, "{indent}toast ({}): {}", toast.kind, toast.text);
    }
}

/// A step as the terminal names it: its innermost section's number, then
/// what it does.
fn label(step: &StepRecord) -> String {
    if step.section.is_empty() {
        step.description.clone()
    } else {
        format!("{} {}", step.section, step.description)
    }
}

fn place(step: &StepRecord) -> String {
    format!("{}:{}:{}", step.path.display(), step.line, step.column)
}

/// Continuation lines of a multi-line value line up under its first line.
fn indent(text: &str) -> String {
    text.replace('\n', &format!("\n{}", " ".repeat(14)))
}

/// Why a case never ran, from how the run ended.
fn not_run(run: &RunRecord) -> String {
    match run.status {
        Status::Broken => "not run: the browser broke down".into(),
        Status::Interrupted => "not run: the run was interrupted".into(),
        Status::Running | Status::NotRun => "not run: the run never finished".into(),
        _ => "not run: an earlier step failed".into(),
    }
}

fn skip_message(reason: Option<&str>) -> String {
    match reason {
        Some(reason) if reason.starts_with("skipped") => reason.to_string(),
        Some(reason) => format!("skipped: {reason}"),
        None => "skipped".into(),
    }
}

fn step_counts(run: &RunRecord) -> String {
    let c = &run.counts;
    let mut parts = vec![format!("{} passed", c.passed)];
    for (n, what) in [
        (c.failed, "failed"),
        (c.tolerated, "tolerated"),
        (c.skipped, "skipped"),
        (c.not_run, "not run"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    format!("{} steps: {}", c.steps, parts.join(", "))
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

fn counts(out: &mut String, tests: usize, failures: usize, errors: usize, skipped: usize) {
    for (name, n) in [
        ("tests", tests),
        ("failures", failures),
        ("errors", errors),
        ("skipped", skipped),
    ] {
        attr(out, name, &n.to_string());
    }
}

/// Seconds with milliseconds, as JUnit's `time` attributes are read.
fn seconds(duration: Duration) -> String {
    format!("{:.3}", duration.as_secs_f64())
}

fn attr(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, " {name}=\"{}\"", escape(value));
}

/// An attribute value made safe for XML 1.0: markup characters as
/// entities; line breaks and tabs as character references, since parsers
/// turn literal ones into spaces; and the control characters XML 1.0
/// cannot carry at all (not even as references) replaced by U+FFFD.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c if forbidden(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Element text as a CDATA section. Escaped text would do for XML, but
/// some JUnit readers (junit-parser 1.7 among them) drop entity references
/// from text, turning `<div>` into `div`; a CDATA section reaches every
/// reader as written. A `]]>` inside is split across two sections.
fn cdata(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if forbidden(c) { '\u{fffd}' } else { c })
        .collect();
    format!("<![CDATA[{}]]>", clean.replace("]]>", "]]]]><![CDATA[>"))
}

/// Characters XML 1.0 does not allow anywhere in a document.
fn forbidden(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Event, Outcome, OutlineItem, RunStatus, StepFailure, outline_of};
    use crate::report::files::results_json;
    use crate::report::record::{Builder, ToastRecord};
    use crate::report::sample;
    use crate::runbook::{self, LoadOptions};
    use std::path::Path;
    use std::time::SystemTime;

    fn record_of(events: &[Event]) -> RunRecord {
        RunRecord::from_events(&sample::masked(events))
    }

    fn sample_record(fail_at: Option<usize>) -> RunRecord {
        record_of(&sample::run(fail_at))
    }

    /// Reads the XML as a CI system would.
    fn parse(xml: &str) -> junit_parser::TestSuites {
        junit_parser::from_reader(std::io::Cursor::new(xml.as_bytes()))
            .unwrap_or_else(|e| panic!("junit.xml does not parse: {e}\n{xml}"))
    }

    fn one_suite(record: &RunRecord, cases: Cases) -> junit_parser::TestSuite {
        let mut parsed = parse(&xml(&[record], cases));
        assert_eq!(parsed.suites.len(), 1);
        parsed.suites.remove(0)
    }

    fn names(suite: &junit_parser::TestSuite) -> Vec<&str> {
        suite
            .cases
            .iter()
            .map(|c| c.original_name.as_str())
            .collect()
    }

    /// `events` with the outcome of step `id` replaced.
    fn with_outcome(mut events: Vec<Event>, id: usize, new: Outcome) -> Vec<Event> {
        for event in &mut events {
            if let Event::StepFinished { step, outcome, .. } = event
                && step.id == id
            {
                *outcome = new.clone();
            }
        }
        events
    }

    fn failure(looked_for: &str, found: &str) -> StepFailure {
        StepFailure {
            looked_for: looked_for.into(),
            found: found.into(),
            waited: Duration::from_millis(1_500),
        }
    }

    #[test]
    fn a_passed_run_is_a_suite_of_three_passed_sections() {
        let suite = one_suite(&sample_record(None), Cases::Sections);
        assert_eq!(suite.name, "Create a CTS tracker");
        assert_eq!(suite.file.as_deref(), Some("runbooks/create-tracker.yaml"));
        assert_eq!(suite.timestamp.as_deref(), Some("2026-11-24T09:30:12.000Z"));
        assert_eq!(suite.time, 4.321);
        assert_eq!(
            (suite.tests, suite.failures, suite.errors, suite.skipped),
            (3, 0, 0, 0)
        );
        assert_eq!(
            names(&suite),
            [
                "1. Log in to the management console",
                "2. Configure the tracker",
                "3. Check the result"
            ]
        );
        let properties = &suite.properties.hashmap;
        assert_eq!(properties["runbook"], "runbooks/create-tracker.yaml");
        assert_eq!(properties["out_dir"], "screenshots/create-tracker");
        assert_eq!(properties["status"], "passed");
        assert_eq!(properties["steps"], "11 steps: 11 passed");
        for case in &suite.cases {
            assert!(case.status.is_success(), "{}", case.name);
            assert_eq!(case.classname.as_deref(), Some("create-tracker"));
            assert_eq!(case.time, 1.2);
        }
        let configure = &suite.cases[1];
        assert_eq!(
            configure.file.as_deref(),
            Some("runbooks/create-tracker.yaml")
        );
        assert_eq!(configure.line, Some(12));
        let out = configure.system_out.as_deref().unwrap();
        assert!(
            out.contains("    figure: 01-configure-transfer.png (Configure Transfer)\n"),
            "{out}"
        );
        assert!(
            out.contains("    toast (success): Operation successfully!\n"),
            "{out}"
        );
        assert!(out.contains("✓ 2.1 toggle"), "{out}");
        assert!(out.contains("(switched on)"), "{out}");
        assert!(!xml(&[&sample_record(None)], Cases::Sections).contains(sample::SECRET));
    }

    #[test]
    fn a_failed_step_fails_its_section_with_file_and_line() {
        let suite = one_suite(&sample_record(Some(10)), Cases::Sections);
        assert_eq!(
            (suite.tests, suite.failures, suite.errors, suite.skipped),
            (3, 1, 0, 0)
        );
        assert_eq!(suite.time, 14.321);
        let check = &suite.cases[2];
        assert!(check.status.is_failure());
        let failure = check.status.failure_as_ref();
        assert_eq!(failure.failure_type, "StepFailed");
        assert_eq!(
            failure.message,
            "click \"Detection Result\" failed at runbooks/create-tracker.yaml:26:9: \
             covered by <div.loading-mask>"
        );
        for line in [
            "--> runbooks/create-tracker.yaml:26:9",
            "looked for: \"Detection Result\" to be clickable",
            "found:      covered by <div.loading-mask>",
            "waited:     10.0s",
            "screenshot: screenshots/create-tracker/failure.png",
            "page html:  screenshots/create-tracker/failure.html",
        ] {
            assert!(failure.text.contains(line), "{line} in {}", failure.text);
        }
        let out = check.system_out.as_deref().unwrap();
        assert!(out.contains("✗ 3 click \"Detection Result\""), "{out}");
        assert!(
            out.contains("· 3 expect \"No threats have been found\" gone (not run)"),
            "{out}"
        );
    }

    #[test]
    fn sections_after_the_failure_are_skipped_as_not_run() {
        let suite = one_suite(&sample_record(Some(5)), Cases::Sections);
        assert_eq!(
            (suite.tests, suite.failures, suite.errors, suite.skipped),
            (3, 1, 0, 1)
        );
        assert!(suite.cases[0].status.is_success());
        let failure = suite.cases[1].status.failure_as_ref();
        assert!(
            failure.message.contains("runbooks/create-tracker.yaml:14"),
            "{}",
            failure.message
        );
        let unreached = &suite.cases[2];
        assert!(unreached.status.is_skipped());
        assert_eq!(
            unreached.status.skipped_as_ref().message,
            "not run: an earlier step failed"
        );
        assert_eq!(unreached.time, 0.0);
        assert_eq!(unreached.system_out, None);
    }

    #[test]
    fn steps_mode_has_a_case_per_step_grouped_by_section() {
        let suite = one_suite(&sample_record(None), Cases::Steps);
        assert_eq!(
            (suite.tests, suite.failures, suite.errors, suite.skipped),
            (11, 0, 0, 0)
        );
        let first = &suite.cases[0];
        assert_eq!(first.original_name, "1 goto /login");
        assert_eq!(first.classname.as_deref(), Some("create-tracker.1"));
        assert_eq!(first.line, Some(8));
        assert_eq!(first.time, 0.137);
        let toggle = &suite.cases[5];
        assert_eq!(toggle.classname.as_deref(), Some("create-tracker.2"));
        assert!(toggle.original_name.starts_with("2.1 toggle"));
        assert_eq!(toggle.system_out.as_deref(), Some("note: switched on\n"));
        assert_eq!(
            suite.cases[6].system_out.as_deref(),
            Some("figure: 01-configure-transfer.png (Configure Transfer)\n")
        );

        let suite = one_suite(&sample_record(Some(10)), Cases::Steps);
        assert_eq!(
            (suite.tests, suite.failures, suite.errors, suite.skipped),
            (11, 1, 0, 1)
        );
        let failed = &suite.cases[9];
        assert_eq!(failed.time, 10.0);
        assert!(
            failed
                .status
                .failure_as_ref()
                .message
                .contains("runbooks/create-tracker.yaml:26"),
        );
        assert_eq!(
            suite.cases[10].status.skipped_as_ref().message,
            "not run: an earlier step failed"
        );
    }

    #[test]
    fn an_interrupted_run_errs_on_the_running_case() {
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
        let record = record_of(&events);
        let suite = one_suite(&record, Cases::Sections);
        assert_eq!(
            (suite.tests, suite.failures, suite.errors, suite.skipped),
            (3, 0, 1, 1)
        );
        let error = suite.cases[1].status.error_as_ref();
        assert_eq!(error.error_type, "Interrupted");
        assert_eq!(
            error.message,
            "interrupted by SIGTERM, at click \"Configure\" in the row of \"system\" \
             (runbooks/create-tracker.yaml:14:9)"
        );
        assert_eq!(
            suite.cases[2].status.skipped_as_ref().message,
            "not run: the run was interrupted"
        );
        let steps = one_suite(&record, Cases::Steps);
        assert_eq!(
            (steps.tests, steps.failures, steps.errors, steps.skipped),
            (11, 0, 1, 6)
        );
    }

    #[test]
    fn a_broken_browser_is_an_error_not_a_failure() {
        let mut events = sample::run(Some(10));
        if let Some(Event::RunFinished { status, .. }) = events.last_mut() {
            *status = RunStatus::Broken("chromedriver stopped answering".into());
        }
        let events = with_outcome(
            events,
            10,
            Outcome::Failed(failure(
                "a working browser session",
                "chromedriver stopped answering",
            )),
        );
        let suite = one_suite(&record_of(&events), Cases::Sections);
        assert_eq!(
            (suite.tests, suite.failures, suite.errors, suite.skipped),
            (3, 0, 1, 0)
        );
        let error = suite.cases[2].status.error_as_ref();
        assert_eq!(error.error_type, "BrowserBroken");
        assert_eq!(
            error.message,
            "the browser broke down: chromedriver stopped answering, at click \
             \"Detection Result\" (runbooks/create-tracker.yaml:26:9)"
        );
        assert_eq!(suite.properties.hashmap["status"], "broken");
        assert_eq!(
            suite.properties.hashmap["reason"],
            "chromedriver stopped answering"
        );
    }

    #[test]
    fn a_run_that_never_began_is_one_error() {
        let record = Builder::new(
            "Create a CTS tracker",
            Path::new("runbooks/create-tracker.yaml"),
            &sample::out_dir(),
        )
        .into_record();
        let suite = one_suite(&record, Cases::Sections);
        assert_eq!((suite.tests, suite.errors), (1, 1));
        assert_eq!(suite.cases[0].original_name, "run");
        assert_eq!(suite.timestamp, None);

        let mut interrupted = Builder::new(
            "Create a CTS tracker",
            Path::new("runbooks/create-tracker.yaml"),
            &sample::out_dir(),
        );
        interrupted.event(&Event::RunInterrupted {
            signal: "Ctrl-C",
            duration: Duration::from_millis(300),
            out_dir: sample::out_dir(),
        });
        let suite = one_suite(&interrupted.into_record(), Cases::Steps);
        assert_eq!((suite.tests, suite.errors), (1, 1));
        assert_eq!(
            suite.cases[0].status.error_as_ref().message,
            "interrupted by Ctrl-C"
        );
    }

    #[test]
    fn tolerated_failures_pass_with_a_note_and_when_skips_are_skipped() {
        let events = with_outcome(
            sample::run(None),
            7,
            Outcome::Tolerated(failure(
                "label \"Transfer to LTS\" to be clickable",
                "not found",
            )),
        );
        let events = with_outcome(
            events,
            9,
            Outcome::Skipped {
                reason: "not (\"Operation successfully!\" is visible)".into(),
            },
        );
        let record = record_of(&events);
        let sections = one_suite(&record, Cases::Sections);
        assert_eq!(
            (sections.tests, sections.failures, sections.skipped),
            (3, 0, 0)
        );
        let out = sections.cases[1].system_out.as_deref().unwrap();
        assert!(
            out.contains(
                "! 2.1 screenshot configure-transfer \"Configure Transfer\" (optional, failed: \
                 label \"Transfer to LTS\" to be clickable: not found)"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "- 2.2 expect toast \"Operation successfully!\" \
                 (skipped: not (\"Operation successfully!\" is visible))"
            ),
            "{out}"
        );
        let steps = one_suite(&record, Cases::Steps);
        assert_eq!((steps.tests, steps.failures, steps.skipped), (11, 0, 1));
        assert!(steps.cases[6].status.is_success());
        assert_eq!(
            steps.cases[6].system_out.as_deref(),
            Some(
                "optional, failed: label \"Transfer to LTS\" to be clickable: not found\n\
                 figure: 01-configure-transfer.png (Configure Transfer)\n"
            )
        );
        assert_eq!(
            steps.cases[8].status.skipped_as_ref().message,
            "skipped: not (\"Operation successfully!\" is visible)"
        );
    }

    #[test]
    fn a_section_whose_when_did_not_hold_is_skipped_with_its_reason() {
        let mut events = sample::run(None);
        let from = events
            .iter()
            .position(|e| matches!(e, Event::SectionStarted { number, .. } if number == "3"))
            .unwrap();
        let to = events
            .iter()
            .position(|e| matches!(e, Event::SectionFinished { number, .. } if number == "3"))
            .unwrap();
        events.splice(
            from..=to,
            [Event::SectionSkipped {
                number: "3".into(),
                title: "Check the result".into(),
                reason: "skipped: not (the URL is containing \"/mtd\")".into(),
            }],
        );
        let record = record_of(&events);
        let sections = one_suite(&record, Cases::Sections);
        assert_eq!(
            sections.cases[2].status.skipped_as_ref().message,
            "skipped: not (the URL is containing \"/mtd\")"
        );
        let steps = one_suite(&record, Cases::Steps);
        assert_eq!(steps.skipped, 2);
        assert_eq!(
            steps.cases[10].status.skipped_as_ref().message,
            "skipped with section 3: not (the URL is containing \"/mtd\")"
        );
    }

    #[test]
    fn steps_outside_sections_are_cases_of_their_own() {
        let source = "name: Loose\nurl: http://127.0.0.1:8480\nsteps:\n  - goto: /login\n  - section: Sign in\n    \
                      steps:\n      - click: Log In\n  - click: Log In\n  - click: Log In\n";
        let path = Path::new("runbooks/loose.yaml");
        let book = runbook::parse(source, path, &LoadOptions::default()).unwrap();
        let outline = outline_of(&book);
        let mut events = vec![Event::RunStarted {
            name: book.name.clone(),
            description: None,
            path: path.to_path_buf(),
            out_dir: "out".into(),
            started_at: SystemTime::UNIX_EPOCH,
            steps: 4,
            outline: outline.clone(),
        }];
        for item in &outline {
            let (section, steps) = match item {
                OutlineItem::Step(step) => (None, vec![step.clone()]),
                OutlineItem::Section(s) => (
                    Some(s.number.clone()),
                    s.items
                        .iter()
                        .filter_map(|i| match i {
                            OutlineItem::Step(step) => Some(step.clone()),
                            OutlineItem::Section(_) => None,
                        })
                        .collect(),
                ),
            };
            if let Some(number) = &section {
                events.push(Event::SectionStarted {
                    number: number.clone(),
                    title: "Sign in".into(),
                    depth: 1,
                });
            }
            for step in steps {
                events.push(Event::StepStarted { step: step.clone() });
                events.push(Event::StepFinished {
                    step,
                    duration: Duration::from_millis(50),
                    outcome: Outcome::Passed { note: None },
                });
            }
            if let Some(number) = section {
                events.push(Event::SectionFinished {
                    number,
                    duration: Duration::from_millis(60),
                    passed: true,
                });
            }
        }
        events.push(Event::RunFinished {
            status: RunStatus::Passed,
            duration: Duration::from_secs(1),
            out_dir: "out".into(),
        });
        let record = record_of(&events);
        let suite = one_suite(&record, Cases::Sections);
        assert_eq!(
            names(&suite),
            [
                "goto /login",
                "1. Sign in",
                "click \"Log In\"",
                "click \"Log In\" (2)"
            ]
        );
        assert_eq!(suite.cases[0].classname.as_deref(), Some("loose"));
        assert_eq!(suite.cases[0].line, Some(4));
        assert_eq!(suite.cases[0].time, 0.05);
        let steps = one_suite(&record, Cases::Steps);
        assert_eq!(
            names(&steps),
            [
                "goto /login",
                "1 click \"Log In\"",
                "click \"Log In\"",
                "click \"Log In\" (2)"
            ]
        );
        assert_eq!(steps.cases[1].classname.as_deref(), Some("loose.1"));
    }

    #[test]
    fn markup_and_control_characters_are_escaped() {
        let title = "Tracker <&\"'> \u{1b}[1m\u{0}\ttab\r\nline ]]>";
        let mut record = sample_record(Some(10));
        record.runbook.name = title.into();
        if let ItemRecord::Section(section) = &mut record.items[0] {
            section.title = title.into();
            if let ItemRecord::Step(step) = &mut section.items[0] {
                step.toasts.push(ToastRecord {
                    text: "<b>Saved</b> & done ]]> \u{7}".into(),
                    kind: "success".into(),
                    at_ms: Duration::from_millis(5),
                    place: None,
                });
            }
        }
        let text = xml(&[&record], Cases::Sections);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{0}'),
            "{text}"
        );
        assert!(
            text.contains(
                "name=\"Tracker &lt;&amp;&quot;&apos;&gt; \u{fffd}[1m\u{fffd}&#9;tab&#13;&#10;line ]]&gt;\""
            ),
            "{text}"
        );
        let suite = one_suite(&record, Cases::Sections);
        let expected = "Tracker <&\"'> \u{fffd}[1m\u{fffd}\ttab\r\nline ]]>";
        assert_eq!(suite.name, expected);
        assert_eq!(suite.cases[0].original_name, format!("1. {expected}"));
        let out = suite.cases[0].system_out.as_deref().unwrap();
        assert!(
            out.contains("    toast (success): <b>Saved</b> & done ]]> \u{fffd}\n"),
            "{out}"
        );
        // The failure's message and body carry markup from the page.
        let failure = suite.cases[2].status.failure_as_ref();
        assert!(failure.message.ends_with("covered by <div.loading-mask>"));
        assert!(
            failure
                .text
                .contains("found:      covered by <div.loading-mask>\n"),
            "{}",
            failure.text
        );
    }

    #[test]
    fn two_runs_are_two_suites_under_one_total() {
        let passed = sample_record(None);
        let failed = sample_record(Some(10));
        let parsed = parse(&xml(&[&passed, &failed], Cases::Sections));
        assert_eq!(parsed.name, "docent");
        assert_eq!(parsed.suites.len(), 2);
        assert_eq!(
            (parsed.tests, parsed.failures, parsed.errors, parsed.skipped),
            (6, 1, 0, 0)
        );
        assert_eq!(parsed.time, 18.642);
        assert_eq!(
            parsed.timestamp.as_deref(),
            Some("2026-11-24T09:30:12.000Z")
        );
        assert!(parsed.suites[0].cases.iter().all(|c| c.status.is_success()));
        assert_eq!(parsed.suites[1].failures, 1);

        let none = parse(&xml(&[], Cases::Sections));
        assert_eq!((none.suites.len(), none.tests), (0, 0));
    }

    #[test]
    fn snapshot_of_a_passed_run() {
        insta::assert_snapshot!(xml(&[&sample_record(None)], Cases::Sections));
    }

    #[test]
    fn snapshot_of_a_failed_run() {
        insta::assert_snapshot!(xml(&[&sample_record(Some(10))], Cases::Sections));
    }

    #[test]
    fn snapshot_of_a_failed_run_by_steps() {
        insta::assert_snapshot!(xml(&[&sample_record(Some(10))], Cases::Steps));
    }

    #[test]
    fn snapshot_of_the_results_json_of_a_failed_run() {
        insta::assert_snapshot!(results_json(&sample_record(Some(10))));
    }
}

/// `docs/results.md` is held to what docent writes: its examples are
/// docent's own output for the sample run, and every key and event the
/// sample run streams is named there.
#[cfg(test)]
mod reference {
    use crate::engine::{Event, RunStatus};
    use crate::report::record::RunRecord;
    use crate::report::sample;
    use serde_json::Value;
    use std::collections::BTreeMap;
    use std::time::Duration;

    const REFERENCE: &str = include_str!("../../docs/results.md");

    /// The fenced blocks of `language` in the reference, in order.
    fn blocks(language: &str) -> Vec<String> {
        let fence = format!("```{language}");
        let mut blocks = Vec::new();
        let mut current: Option<String> = None;
        for line in REFERENCE.lines() {
            match &mut current {
                None if line == fence => current = Some(String::new()),
                None => {}
                Some(_) if line == "```" => blocks.extend(current.take()),
                Some(block) => {
                    block.push_str(line);
                    block.push('\n');
                }
            }
        }
        blocks
    }

    /// Sections and steps by number and id, without their items.
    fn flatten(items: &Value, into: &mut BTreeMap<String, Value>) {
        for item in items.as_array().unwrap() {
            let mut item = item.clone();
            let key = match item["type"].as_str() {
                Some("section") => format!("section {}", item["number"]),
                _ => format!("step {}", item["id"]),
            };
            if let Some(inner) = item.as_object_mut().unwrap().remove("items") {
                flatten(&inner, into);
            }
            into.insert(key, item);
        }
    }

    #[test]
    fn the_results_example_is_what_docent_writes() {
        let example: Value = serde_json::from_str(&blocks("json")[0]).unwrap();
        let record = RunRecord::from_events(&sample::masked(&sample::run(Some(10))));
        let actual = serde_json::to_value(&record).unwrap();
        for (key, value) in example.as_object().unwrap() {
            if key != "items" {
                assert_eq!(&actual[key], value, "{key}");
            }
        }
        let (mut shown, mut written) = (BTreeMap::new(), BTreeMap::new());
        flatten(&example["items"], &mut shown);
        flatten(&actual["items"], &mut written);
        for (key, item) in &shown {
            assert_eq!(Some(item), written.get(key), "{key}");
        }
    }

    #[test]
    fn the_stream_example_and_every_event_key_are_documented() {
        let mut events = sample::masked(&sample::run(Some(10)));
        events.extend([
            Event::SectionSkipped {
                number: "3".into(),
                title: "Check the result".into(),
                reason: "skipped: not (\"Detection Result\" is visible)".into(),
            },
            Event::SectionRetried {
                number: "3".into(),
                attempt: 2,
                attempts: 2,
            },
            Event::SectionTolerated { number: "3".into() },
            Event::RunFinished {
                status: RunStatus::Broken("chromedriver stopped answering".into()),
                duration: Duration::from_secs(1),
                out_dir: sample::out_dir(),
            },
            Event::RunInterrupted {
                signal: "SIGTERM",
                duration: Duration::from_secs(1),
                out_dir: sample::out_dir(),
            },
        ]);
        let lines: Vec<String> = events
            .iter()
            .map(|e| serde_json::to_string(e).unwrap())
            .collect();
        for shown in blocks("json")[1].lines() {
            assert!(lines.iter().any(|l| l == shown), "not streamed: {shown}");
        }
        for line in &lines {
            let value: Value = serde_json::from_str(line).unwrap();
            let name = value["event"].as_str().unwrap();
            assert!(REFERENCE.contains(&format!("| `{name}` |")), "{name}");
            let mut keys = Vec::new();
            collect_keys(&value, &mut keys);
            for key in keys {
                assert!(REFERENCE.contains(&format!("`{key}`")), "{name}: {key}");
            }
        }
    }

    fn collect_keys(value: &Value, into: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    into.push(key.clone());
                    collect_keys(inner, into);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| collect_keys(v, into)),
            _ => {}
        }
    }
}

//! junit.xml as a CI system reads it: parsed by a JUnit consumer, in both
//! case modes, and snapshotted.

use super::*;
use crate::engine::{
    Event, FailureKind, Outcome, OutlineItem, RunStatus, Skip, StepFailure, outline_of,
};
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
        kind: FailureKind::Timeout,
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
    assert_eq!(
        suite.timestamp.as_deref(),
        Some("2026-11-24T09:30:12.000+00:00")
    );
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
    let events = sample::interrupted_at(5);
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
        Outcome::Skipped(Skip::when("\"Operation successfully!\" is visible")),
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
            skip: Skip::when("the URL is containing \"/mtd\""),
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
        browser: None,
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
                outcome: Outcome::passed(),
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
                kind: crate::engine::toasts::Level::Success,
                at_ms: Duration::from_millis(5),
                place: None,
            });
        }
    }
    let text = xml(&[&record], Cases::Sections);
    // Markup is escaped; ANSI escapes and the control characters XML 1.0
    // cannot carry are left out.
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{0}') && !text.contains('\u{7}'),
        "{text}"
    );
    assert!(
        text.contains("<testsuite name=\"Tracker &lt;&amp;&quot;&apos;&gt; "),
        "{text}"
    );
    // Tabs and line breaks in attribute values are written as they are,
    // which a conforming XML reader may read as spaces.
    let suite = one_suite(&record, Cases::Sections);
    let readable = |name: &str| {
        name.starts_with("Tracker <&\"'> ") && name.contains("tab") && name.ends_with("line ]]>")
    };
    assert!(readable(&suite.name), "{}", suite.name);
    let case = &suite.cases[0].original_name;
    assert!(case.starts_with("1. ") && readable(&case[3..]), "{case}");
    let out = suite.cases[0].system_out.as_deref().unwrap();
    assert!(
        out.contains("    toast (success): <b>Saved</b> & done ]]> \n"),
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
    let text = xml(&[&passed, &failed], Cases::Sections);
    let parsed = parse(&text);
    assert_eq!(parsed.name, "docent");
    assert_eq!(parsed.suites.len(), 2);
    assert_eq!(
        (parsed.tests, parsed.failures, parsed.errors, parsed.skipped),
        (6, 1, 0, 0)
    );
    assert_eq!(parsed.time, 18.642);
    // junit-parser 1.4 does not read the root's timestamp.
    let root = text.lines().find(|l| l.starts_with("<testsuites")).unwrap();
    assert!(
        root.contains(" timestamp=\"2026-11-24T09:30:12.000+00:00\""),
        "{root}"
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

mod visual;

#[test]
fn a_runbook_never_started_is_a_suite_with_one_skipped_case_saying_why() {
    let mut record =
        Builder::new("Later", Path::new("later.yaml"), Path::new("out/later")).into_record();
    record.status = Status::NotRun;
    record.reason = Some("--fail-fast: an earlier runbook did not pass".into());
    for cases in [Cases::Sections, Cases::Steps] {
        let suite = one_suite(&record, cases);
        assert_eq!(names(&suite), ["run"]);
        let case = &suite.cases[0];
        assert!(case.status.is_skipped(), "{:?}", case.status);
        let xml = xml(&[&record], cases);
        assert!(
            xml.contains("not run: --fail-fast: an earlier runbook did not pass"),
            "{xml}"
        );
    }
}

use super::*;
use crate::engine::{Attempt, FailureKind, StepFailure};
use crate::report::sample;
use indicatif::TermLike;
use std::sync::{Arc, Mutex};

const PLAIN: TerminalOptions = TerminalOptions {
    live: false,
    color: false,
    quiet: false,
};

fn render_with(events: &[Event], options: TerminalOptions) -> String {
    let mut terminal = Terminal::with_live_target(Vec::new(), options, LiveTarget::stdout());
    for event in events {
        terminal.event(event);
    }
    String::from_utf8(terminal.into_inner()).unwrap()
}

fn render(events: &[Event]) -> String {
    render_with(events, PLAIN)
}

/// The info of the sample step with this id, as its events carry it.
fn sample_step(id: usize) -> StepInfo {
    sample::masked(&sample::run(None))
        .into_iter()
        .find_map(|e| match e {
            Event::StepStarted { step } if step.id == id => Some(step),
            _ => None,
        })
        .expect("a step of the sample")
}

/// The sample's `run_started`, with its outline of 11 steps.
fn run_started() -> Event {
    sample::masked(&sample::run(None)).remove(0)
}

fn failure(found: &str) -> StepFailure {
    StepFailure {
        kind: FailureKind::Timeout,
        looked_for: "\"Submit\" to be clickable".into(),
        found: found.into(),
        waited: Duration::from_millis(2_000),
    }
}

#[test]
fn a_passing_run_reads_as_the_procedure() {
    insta::assert_snapshot!(render(&sample::masked(&sample::run(None))));
}

#[test]
fn a_failed_run_ends_with_the_diagnosis_and_the_counts() {
    insta::assert_snapshot!(render(&sample::masked(&sample::run(Some(10)))));
}

#[test]
fn a_failed_step_names_its_place_and_secrets_are_masked() {
    let printed = render(&sample::masked(&sample::run(Some(10))));
    assert!(
        printed.contains("✓ 1 fill label \"Password\" with \"•••\""),
        "{printed}"
    );
    assert!(!printed.contains(sample::SECRET));
    assert!(
        printed.contains(
            "error: step failed: click \"Detection Result\"\n\
             \x20 --> runbooks/create-tracker.yaml:26:9\n\
             \x20 looked for: \"Detection Result\" to be clickable\n\
             \x20 found:      covered by <div.loading-mask>\n\
             \x20 waited:     10.0s\n\
             \x20 screenshot: screenshots/create-tracker/failure.png\n\
             \x20 page html:  screenshots/create-tracker/failure.html\n"
        ),
        "{printed}"
    );
    assert!(printed.contains("FAILED after 14.3s"), "{printed}");
    assert!(
        printed.contains("9 passed, 1 failed, 1 not run"),
        "{printed}"
    );
}

#[test]
fn toasts_and_figures_show_under_the_step_that_saw_them() {
    let printed = render(&sample::masked(&sample::run(None)));
    assert!(
        printed.contains(
            "    ✓ 2.2 click button \"Configure\"  396ms\n      ↳ toast \"Operation successfully!\"\n"
        ),
        "{printed}"
    );
    assert!(
        printed.contains("↳ figure 01-configure-transfer.png\n"),
        "{printed}"
    );
}

#[test]
fn an_error_toast_is_red_when_colours_are_on() {
    let step = sample_step(2);
    let events = [
        Event::StepStarted { step: step.clone() },
        Event::ToastSeen {
            text: "Operation failed.".into(),
            kind: crate::engine::toasts::Level::Error,
            at: Duration::from_millis(300),
            place: None,
        },
        Event::StepFinished {
            step,
            duration: Duration::from_millis(200),
            outcome: Outcome::passed(),
        },
    ];
    let plain = render(&events);
    assert!(
        plain.ends_with("\n    ↳ error toast \"Operation failed.\"\n"),
        "{plain}"
    );
    let colored = render_with(
        &events,
        TerminalOptions {
            color: true,
            ..PLAIN
        },
    );
    assert!(
        colored.contains("\x1b[31m↳ error toast \"Operation failed.\"\x1b[0m"),
        "{colored:?}"
    );
}

#[test]
fn colours_are_ansi_only_when_asked_for() {
    let events = sample::masked(&sample::run(Some(10)));
    let plain = render(&events);
    assert!(!plain.contains('\x1b'), "{plain:?}");
    let colored = render_with(
        &events,
        TerminalOptions {
            color: true,
            ..PLAIN
        },
    );
    assert!(colored.contains("\x1b[32m✓\x1b[0m"), "{colored:?}");
    assert!(
        colored.contains("\x1b[1m\x1b[31merror: step failed: click \"Detection Result\"\x1b[0m"),
        "{colored:?}"
    );
    assert!(
        colored.contains("\x1b[1m\x1b[31mFAILED after 14.3s\x1b[0m"),
        "{colored:?}"
    );
    // Without its escape codes, the coloured output says the same.
    assert_eq!(strip_ansi(&colored), plain);
}

#[test]
fn quiet_prints_only_the_summary_of_a_passing_run() {
    let printed = render_with(
        &sample::masked(&sample::run(None)),
        TerminalOptions {
            quiet: true,
            ..PLAIN
        },
    );
    assert_eq!(
        printed,
        "passed in 4.3s — 11 passed; 1 figure in screenshots/create-tracker\n"
    );
}

#[test]
fn quiet_prints_the_diagnosis_and_the_summary_of_a_failed_run() {
    let printed = render_with(
        &sample::masked(&sample::run(Some(10))),
        TerminalOptions {
            quiet: true,
            ..PLAIN
        },
    );
    assert_eq!(
        printed,
        "error: step failed: click \"Detection Result\"\n\
         \x20 --> runbooks/create-tracker.yaml:26:9\n\
         \x20 looked for: \"Detection Result\" to be clickable\n\
         \x20 found:      covered by <div.loading-mask>\n\
         \x20 waited:     10.0s\n\
         \x20 screenshot: screenshots/create-tracker/failure.png\n\
         \x20 page html:  screenshots/create-tracker/failure.html\n\
         \n\
         FAILED after 14.3s — 9 passed, 1 failed, 1 not run; \
         1 figure and failure evidence in screenshots/create-tracker\n"
    );
}

#[test]
fn an_interrupted_run_says_so_and_lists_its_figures() {
    let printed = render(&[
        Event::ScreenshotSaved {
            path: PathBuf::from("out/01-form.png"),
            name: "form".into(),
            caption: Some("The form".into()),
            highlight: Vec::new(),
        },
        Event::RunInterrupted {
            signal: "Ctrl-C",
            duration: Duration::from_millis(2_300),
            out_dir: PathBuf::from("out"),
        },
    ]);
    assert_eq!(
        printed,
        "  ↳ figure 01-form.png\n\
         \n\
         INTERRUPTED by Ctrl-C after 2.3s — 1 figure in out\n\
         \x20 out/01-form.png  (The form)\n"
    );
}

#[test]
fn an_interrupted_run_counts_the_steps_it_never_ran() {
    let mut events: Vec<Event> = sample::masked(&sample::run(None))
        .into_iter()
        .take_while(|e| !matches!(e, Event::StepStarted { step } if step.id == 4))
        .collect();
    events.push(Event::RunInterrupted {
        signal: "SIGTERM",
        duration: Duration::from_millis(1_500),
        out_dir: sample::out_dir(),
    });
    let printed = render(&events);
    assert!(
        printed.ends_with(
            "\nINTERRUPTED by SIGTERM after 1.5s — 3 passed, 8 not run; \
             no figures in screenshots/create-tracker\n"
        ),
        "{printed}"
    );
}

/// The events of a section whose first attempt fails at step 2 and whose
/// second passes.
fn retried_section() -> Vec<Event> {
    let step = sample_step(2);
    let section = |attempt| Event::SectionStarted {
        number: "1".into(),
        title: "Log in to the management console".into(),
        depth: attempt,
    };
    vec![
        run_started(),
        section(1),
        Event::StepStarted { step: step.clone() },
        Event::StepFinished {
            step: step.clone(),
            duration: Duration::from_millis(2_000),
            outcome: Outcome::Failed(failure("not found")),
        },
        Event::FailureEvidence {
            screenshot: Some(PathBuf::from("out/failure.png")),
            html: None,
        },
        Event::SectionRetried {
            number: "1".into(),
            attempt: Attempt { number: 2, of: 2 },
        },
        section(1),
        Event::StepStarted { step: step.clone() },
        Event::StepFinished {
            step,
            duration: Duration::from_millis(300),
            outcome: Outcome::passed(),
        },
        Event::SectionFinished {
            number: "1".into(),
            duration: Duration::from_millis(2_400),
            passed: true,
        },
        Event::RunFinished {
            status: RunStatus::Passed,
            duration: Duration::from_millis(3_000),
            out_dir: PathBuf::from("out"),
        },
    ]
}

#[test]
fn a_failure_the_section_retries_is_a_note_not_a_diagnosis() {
    let printed = render(&retried_section());
    assert!(!printed.contains("error: step failed"), "{printed}");
    assert!(
        printed.contains(
            "  ✗ 1 fill label \"IAM User Name\" with \"demo\"  2.0s\n\
             \x20   ↳ failed: \"Submit\" to be clickable: not found\n\
             \x20 retrying section 1 (attempt 2 of 2)\n"
        ),
        "{printed}"
    );
    // The step counts once, as its last attempt ended.
    assert!(
        printed.contains(
            "passed in 3.0s — 1 passed, 10 not run; no figures and failure evidence in out"
        ),
        "{printed}"
    );
}

#[test]
fn a_failure_in_an_optional_section_says_why_and_goes_on() {
    let step = sample_step(2);
    let printed = render(&[
        run_started(),
        Event::StepStarted { step: step.clone() },
        Event::StepFinished {
            step,
            duration: Duration::from_millis(2_000),
            outcome: Outcome::Failed(failure("not found")),
        },
        Event::SectionTolerated { number: "1".into() },
        Event::RunFinished {
            status: RunStatus::Passed,
            duration: Duration::from_millis(2_500),
            out_dir: PathBuf::from("out"),
        },
    ]);
    assert_eq!(
        printed,
        "docent: Create a CTS tracker (runbooks/create-tracker.yaml, 11 steps)\n\
         \x20 ✗ 1 fill label \"IAM User Name\" with \"demo\"  2.0s\n\
         \x20   ↳ failed: \"Submit\" to be clickable: not found\n\
         \x20 section 1 failed but is optional; going on\n\
         \n\
         passed in 2.5s — 1 tolerated, 10 not run; no figures in out\n"
    );
}

#[test]
fn a_broken_run_without_a_failed_step_says_why() {
    let printed = render(&[Event::RunFinished {
        status: RunStatus::Broken("cannot prepare out: permission denied".into()),
        duration: Duration::from_millis(40),
        out_dir: PathBuf::from("out"),
    }]);
    assert_eq!(
        printed,
        "\nerror: the run could not go on: cannot prepare out: permission denied\n\
         \n\
         FAILED after 40ms — no figures in out\n"
    );
}

#[test]
fn a_broken_browser_is_explained_once_by_its_step() {
    let step = sample_step(1);
    let printed = render(&[
        Event::StepStarted { step: step.clone() },
        Event::StepFinished {
            step,
            duration: Duration::from_millis(90),
            outcome: Outcome::Failed(StepFailure {
                kind: FailureKind::Browser,
                looked_for: "a working browser session".into(),
                found: "chrome not reachable".into(),
                waited: Duration::from_millis(90),
            }),
        },
        Event::RunFinished {
            status: RunStatus::Broken("chrome not reachable".into()),
            duration: Duration::from_millis(700),
            out_dir: PathBuf::from("out"),
        },
    ]);
    assert_eq!(
        printed.matches("chrome not reachable").count(),
        1,
        "{printed}"
    );
    assert!(
        printed.contains("error: step failed: goto /login"),
        "{printed}"
    );
    assert!(printed.contains("FAILED after 700ms"), "{printed}");
}

/// A writer whose bytes can still be read after it was handed over.
#[derive(Debug, Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Shared {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl std::io::Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What the CLI writes to stdout and to stderr, with the diagnosis on a
/// stream of its own.
fn render_split(
    events: &[Event],
    options: TerminalOptions,
    diagnosis: TerminalOptions,
) -> (String, String) {
    let stderr = Shared::default();
    let mut terminal = Terminal::with_live_target(Vec::new(), options, LiveTarget::stdout())
        .with_diagnosis_to(Box::new(stderr.clone()), diagnosis);
    for event in events {
        terminal.event(event);
    }
    let stdout = String::from_utf8(terminal.into_inner()).unwrap();
    (stdout, stderr.text())
}

#[test]
fn the_diagnosis_goes_to_its_own_stream_and_the_rest_stays() {
    let events = sample::masked(&sample::run(Some(10)));
    let (stdout, stderr) = render_split(&events, PLAIN, PLAIN);
    assert_eq!(
        stderr,
        "\n\
         error: step failed: click \"Detection Result\"\n\
         \x20 --> runbooks/create-tracker.yaml:26:9\n\
         \x20 looked for: \"Detection Result\" to be clickable\n\
         \x20 found:      covered by <div.loading-mask>\n\
         \x20 waited:     10.0s\n\
         \x20 screenshot: screenshots/create-tracker/failure.png\n\
         \x20 page html:  screenshots/create-tracker/failure.html\n"
    );
    // Read together, as on a terminal, the two streams are the output of
    // one stream: the diagnosis between the last step and the summary.
    let (progress, summary) = stdout.split_at(stdout.find("\nFAILED after").unwrap());
    assert!(
        progress.ends_with("  ✗ 3 click \"Detection Result\"  10.0s\n"),
        "{stdout}"
    );
    assert_eq!(format!("{progress}{stderr}{summary}"), render(&events));
}

#[test]
fn a_passing_run_leaves_the_diagnosis_stream_empty() {
    let events = sample::masked(&sample::run(None));
    let (stdout, stderr) = render_split(&events, PLAIN, PLAIN);
    assert_eq!(stderr, "");
    assert_eq!(stdout, render(&events));
}

#[test]
fn quiet_split_output_keeps_stdout_to_the_summary() {
    let quiet = TerminalOptions {
        quiet: true,
        ..PLAIN
    };
    let events = sample::masked(&sample::run(Some(10)));
    let (stdout, stderr) = render_split(&events, quiet, quiet);
    assert_eq!(
        stdout,
        "FAILED after 14.3s — 9 passed, 1 failed, 1 not run; \
         1 figure and failure evidence in screenshots/create-tracker\n"
    );
    // The blank line that sets the summary apart ends the diagnosis, so
    // together they read as before.
    assert!(stderr.starts_with("error: step failed: click"), "{stderr}");
    assert!(stderr.ends_with("failure.html\n\n"), "{stderr}");
    assert_eq!(format!("{stderr}{stdout}"), render_with(&events, quiet));
}

#[test]
fn a_broken_run_says_why_on_the_diagnosis_stream() {
    let events = [
        run_started(),
        Event::RunFinished {
            status: RunStatus::Broken("chrome not reachable".into()),
            duration: Duration::from_millis(700),
            out_dir: PathBuf::from("out"),
        },
    ];
    let (stdout, stderr) = render_split(&events, PLAIN, PLAIN);
    assert_eq!(
        stderr,
        "\nerror: the run could not go on: chrome not reachable\n"
    );
    assert_eq!(
        stdout,
        "docent: Create a CTS tracker (runbooks/create-tracker.yaml, 11 steps)\n\
         \n\
         FAILED after 700ms — 11 not run; no figures in out\n"
    );
}

#[test]
fn each_stream_gets_the_colours_decided_for_it() {
    let colored = TerminalOptions {
        color: true,
        ..PLAIN
    };
    let events = sample::masked(&sample::run(Some(10)));
    let (stdout, stderr) = render_split(&events, colored, PLAIN);
    assert!(
        stdout.contains("\x1b[1m\x1b[31mFAILED after 14.3s\x1b[0m"),
        "{stdout:?}"
    );
    assert!(!stderr.contains('\x1b'), "{stderr:?}");
    let (stdout, stderr) = render_split(&events, PLAIN, colored);
    assert!(!stdout.contains('\x1b'), "{stdout:?}");
    assert!(
        stderr.contains("\x1b[1m\x1b[31merror: step failed: click \"Detection Result\"\x1b[0m"),
        "{stderr:?}"
    );
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Page and runbook text with control characters in every field.
mod hostile;
/// The live spinner, drawn on a terminal in memory.
mod live;
use live::{LIVE, Screen};

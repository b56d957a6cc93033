//! The terminal against outside text: page and runbook text with escape
//! sequences, control characters and bidi overrides in every field it
//! prints must show escaped, and only docent's own colours may reach the
//! terminal as codes.

use super::*;

/// What a hostile page or runbook might put in any text: a window title
/// (OSC), colours, a screen clear, a cursor move by a C1 CSI, NUL,
/// backspace, a carriage return, a right-to-left override and a line break
/// that would start a line of its own.
const HOSTILE: &str = "\x1b]0;pwned\x07\x1b[31m\x1b[2J\0\x08\r\u{9b}1A\u{202e}\npassed in 0s";

/// How [`HOSTILE`] is shown within a line.
const HOSTILE_SHOWN: &str = "\\e]0;pwned\\a\\e[31m\\e[2J\\0\\b\\r\\x9b1A\\u202e\\npassed in 0s";

fn hostile(text: &str) -> String {
    format!("{text}{HOSTILE}")
}

fn hostile_path(path: &Path) -> PathBuf {
    PathBuf::from(hostile(&path.display().to_string()))
}

fn hostile_step(step: &StepInfo) -> StepInfo {
    StepInfo {
        description: hostile(&step.description),
        path: hostile_path(&step.path),
        ..step.clone()
    }
}

fn hostile_failure(failure: &StepFailure) -> StepFailure {
    StepFailure {
        looked_for: hostile(&failure.looked_for),
        found: hostile(&failure.found),
        ..failure.clone()
    }
}

fn hostile_outline(items: &[OutlineItem]) -> Vec<OutlineItem> {
    items
        .iter()
        .map(|item| match item {
            OutlineItem::Section(section) => {
                let mut section = section.clone();
                section.title = hostile(&section.title);
                section.items = hostile_outline(&section.items);
                OutlineItem::Section(section)
            }
            OutlineItem::Step(step) => OutlineItem::Step(hostile_step(step)),
        })
        .collect()
}

/// The event with outside text in every field the terminal shows.
fn make_hostile(event: &Event) -> Event {
    let mut event = event.clone();
    match &mut event {
        Event::RunStarted {
            name,
            path,
            outline,
            out_dir,
            ..
        } => {
            *name = hostile(name);
            *path = hostile_path(path);
            *out_dir = hostile_path(out_dir);
            *outline = hostile_outline(outline);
        }
        Event::SectionStarted { title, .. } | Event::SectionSkipped { title, .. } => {
            *title = hostile(title)
        }
        Event::StepStarted { step } => *step = hostile_step(step),
        Event::StepFinished { step, outcome, .. } => {
            *step = hostile_step(step);
            match outcome {
                Outcome::Passed(pass) => pass.note = Some(hostile("noted")),
                Outcome::Failed(f) | Outcome::Tolerated(f) => *f = hostile_failure(f),
                Outcome::Skipped(skip) => *skip = crate::engine::Skip::when(hostile("shown")),
            }
        }
        Event::ToastSeen { text, .. } => *text = hostile(text),
        Event::ScreenshotSaved { path, caption, .. } => {
            *path = hostile_path(path);
            *caption = Some(hostile("caption"));
        }
        Event::FailureEvidence { screenshot, html } => {
            *screenshot = screenshot.as_deref().map(hostile_path);
            *html = html.as_deref().map(hostile_path);
        }
        Event::RunFinished {
            status, out_dir, ..
        } => {
            if let RunStatus::Broken(reason) = status {
                *reason = hostile(reason);
            }
            *out_dir = hostile_path(out_dir);
        }
        Event::RunInterrupted { out_dir, .. } => *out_dir = hostile_path(out_dir),
        Event::SectionFinished { .. }
        | Event::SectionRetried { .. }
        | Event::SectionTolerated { .. }
        | Event::FigureCompared { .. }
        | Event::DemoFrame { .. } => {}
    }
    event
}

/// Runs that show every kind of line: passes with notes, toasts, figures,
/// a retried section, a tolerated failure, a skipped step and section, a
/// failure's diagnosis and a run that broke down.
fn hostile_runs() -> Vec<Vec<Event>> {
    let step = sample_step(2);
    let mut retried = retried_section();
    let finished = retried.pop().unwrap();
    retried.extend([
        Event::SectionSkipped {
            number: "2".into(),
            title: "Configure".into(),
            skip: crate::engine::Skip::when("\"Cookies\" is visible"),
        },
        Event::StepFinished {
            step: step.clone(),
            duration: Duration::ZERO,
            outcome: Outcome::Skipped(crate::engine::Skip::when("x")),
        },
        Event::StepStarted { step: step.clone() },
        Event::StepFinished {
            step,
            duration: Duration::from_millis(90),
            outcome: Outcome::Tolerated(failure("not found")),
        },
        finished,
    ]);
    let broken = vec![
        run_started(),
        Event::RunFinished {
            status: RunStatus::Broken("chrome not reachable".into()),
            duration: Duration::from_millis(700),
            out_dir: PathBuf::from("out"),
        },
    ];
    [
        sample::masked(&sample::run(None)),
        sample::masked(&sample::run(Some(10))),
        retried,
        broken,
    ]
    .iter()
    .map(|run| run.iter().map(make_hostile).collect())
    .collect()
}

/// The output with docent's own colour codes (`ESC [ digits m`) taken out.
fn without_own_colours(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let digits = after
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(after.len());
        if after[digits..].starts_with('m') {
            rest = &after[digits + 1..];
        } else {
            // Not a colour of docent's: kept, so the check below sees it.
            out.push('\x1b');
            rest = &rest[at + 1..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn outside_text_never_reaches_the_terminal_raw() {
    let colored = TerminalOptions {
        color: true,
        ..PLAIN
    };
    let quiet = TerminalOptions {
        quiet: true,
        ..PLAIN
    };
    for events in hostile_runs() {
        for options in [PLAIN, colored, quiet] {
            let (stdout, stderr) = render_split(&events, options, options);
            for printed in [stdout, stderr] {
                let own_removed = without_own_colours(&printed);
                assert!(
                    crate::printable::is_clean(&own_removed),
                    "{options:?}: {printed:?}"
                );
                // Each line break is docent's: none comes from the page.
                assert!(!printed.contains("\npassed in 0s"), "{printed}");
                if !printed.is_empty() {
                    assert!(printed.contains(HOSTILE_SHOWN), "{printed}");
                }
            }
        }
    }
}

#[test]
fn a_hostile_run_reads_with_its_controls_shown() {
    let events = hostile_runs().swap_remove(1);
    let printed = render(&events);
    assert!(
        printed.starts_with(&format!(
            "docent: Create a CTS tracker{HOSTILE_SHOWN} (runbooks/"
        )),
        "{printed}"
    );
    assert!(
        printed.contains(&format!(
            "↳ toast \"Operation successfully!{HOSTILE_SHOWN}\"\n"
        )),
        "{printed}"
    );
    assert!(
        printed.contains(&format!("(noted{HOSTILE_SHOWN})")),
        "{printed}"
    );
    assert!(
        printed.contains(&format!(
            "\n  looked for: \"Detection Result\" to be clickable{HOSTILE_SHOWN}\n  \
             found:      covered by <div.loading-mask>{HOSTILE_SHOWN}\n  \
             waited:     10.0s\n"
        )),
        "{printed}"
    );
}

#[test]
fn what_was_found_keeps_its_layout_but_not_the_pages_line_breaks() {
    let step = sample_step(2);
    let found = "2 matches; docent never guesses. Candidates:\n      - row \x1b[1mone\x1b[0m\n      - row two\nFAKE\n  meanwhile:  loading for 2.0s";
    let printed = render(&[
        Event::StepStarted { step: step.clone() },
        Event::StepFinished {
            step,
            duration: Duration::from_millis(2_000),
            outcome: Outcome::Failed(failure(found)),
        },
    ]);
    assert!(
        printed.ends_with(
            "\n  found:      2 matches; docent never guesses. Candidates:\n\
             \x20     - row \\e[1mone\\e[0m\n\
             \x20     - row two\\nFAKE\n\
             \x20 meanwhile:  loading for 2.0s\n\
             \x20 waited:     2.0s\n"
        ),
        "{printed}"
    );
}

#[test]
fn the_spinner_shows_outside_text_escaped() {
    let screen = Screen::default();
    let events = hostile_runs().swap_remove(0);
    let mut terminal =
        Terminal::with_live_target(Vec::new(), LIVE, LiveTarget::term_like(screen.clone()));
    for event in &events {
        terminal.event(event);
    }
    drop(terminal);
    let written = screen.written();
    assert!(
        written.contains(&format!("goto /login{HOSTILE_SHOWN}")),
        "{written}"
    );
    assert!(
        crate::printable::is_clean(&without_own_colours(&written)),
        "{written:?}"
    );
}

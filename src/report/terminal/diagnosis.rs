//! A failed step's diagnosis: the `error: step failed` block with its
//! place, what was looked for and found, and the evidence — or, for a
//! failure that did not end the run, the one line under its step.

use super::{Terminal, shown_path};
use crate::engine::{StepFailure, StepInfo};
use crate::printable;
use std::io::Write;

/// A failed step's explanation, kept until the run's fate is known.
pub(super) struct Diagnosis {
    pub(super) step: StepInfo,
    pub(super) failure: StepFailure,
    pub(super) indent: usize,
    pub(super) evidence: Vec<String>,
}

impl<W: Write> Terminal<W> {
    pub(super) fn diagnosis(&self, d: &Diagnosis) -> Vec<String> {
        let mut lines = Vec::new();
        if !self.options.quiet {
            lines.push(String::new());
        }
        // One colour span over the whole line keeps `error: step failed: …`
        // one run of text, even in coloured output.
        lines.push(self.diagnosis_paint().bold_red(&format!(
            "error: step failed: {}",
            printable::line(&d.step.description)
        )));
        lines.push(format!(
            "  --> {}:{}:{}",
            shown_path(&d.step.path),
            d.step.pos.line,
            d.step.pos.column
        ));
        lines.push(format!("{:#}", shown_failure(&d.failure)));
        lines.extend(d.evidence.iter().cloned());
        lines
    }

    /// The line under a step that says why a failure did not end the run.
    pub(super) fn failure_note(&self, d: &Diagnosis) -> String {
        format!(
            "{}{} {}",
            " ".repeat(d.indent + 2),
            self.paint.red("↳"),
            self.paint
                .dim(&format!("failed: {}", one_line_failure(&d.failure)))
        )
    }
}

/// The failure as the diagnosis lays it out under its step.
fn shown_failure(failure: &StepFailure) -> StepFailure {
    StepFailure {
        looked_for: printable::line(&failure.looked_for).into_owned(),
        found: indented_lines(&failure.found),
        ..failure.clone()
    }
}

/// Text laid out on lines of its own, escaped: what a failed step found
/// (its parts under the `found:` label) or why a run broke down (a
/// driver's message with its details under it). Its own lines are always
/// indented; a break followed by anything else came with a page's text,
/// and is shown as `\n` so it cannot begin a line that reads as docent's.
pub(super) fn indented_lines(text: &str) -> String {
    let mut parts = text.split('\n');
    let mut shown = printable::line(parts.next().unwrap_or_default()).into_owned();
    for part in parts {
        shown.push_str(if part.starts_with(' ') { "\n" } else { "\\n" });
        shown.push_str(&printable::line(part));
    }
    shown
}

/// The failure on one line, as a note under its step says it.
pub(super) fn one_line_failure(failure: &StepFailure) -> String {
    printable::line(&failure.to_string()).into_owned()
}

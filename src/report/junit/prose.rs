//! The words of `junit.xml`: a failure's body (the terminal's diagnosis),
//! a case's `<system-out>` (its steps, toasts and figures as the terminal
//! shows them), and why a case was skipped or never ran.

use super::Around;
use crate::report::record::{Note, RunRecord, Status, StepRecord};
use std::fmt::Write;

/// The terminal's account of a step that stopped the run.
pub(super) fn diagnosis(run: &RunRecord, step: &StepRecord, heading: &str) -> String {
    let mut body = format!("{heading}: {}\n  --> {}\n", step.description, place(step));
    if let Some(error) = &step.error {
        let _ = writeln!(body, "{error:#}");
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
pub(super) fn story(out: &mut String, step: &StepRecord, around: &Around) {
    let label = label(step);
    let _ = match (step.status, &step.error) {
        (Status::Passed, _) => match &step.note {
            Some(note) => writeln!(out, "✓ {label} ({note})"),
            None => writeln!(out, "✓ {label}"),
        },
        (Status::Tolerated, Some(e)) => writeln!(out, "! {label} (optional, failed: {e})"),
        (Status::Failed, Some(e)) if around.tolerated.is_some() => writeln!(
            out,
            "✗ {label} (failed: {e}; section {} is optional)",
            around.tolerated.as_deref().unwrap_or("")
        ),
        (Status::Failed | Status::Tolerated, _) => writeln!(out, "✗ {label}"),
        (Status::Skipped, _) => match (&step.note, &around.skipped) {
            (Some(Note::Skipped(skip)), _) => writeln!(out, "- {label} (skipped: {skip})"),
            (_, Some((number, _))) => writeln!(out, "- {label} (skipped with section {number})"),
            (_, None) => writeln!(out, "- {label} (skipped)"),
        },
        (Status::Interrupted, _) => writeln!(out, "✗ {label} (interrupted)"),
        (Status::Broken, _) => writeln!(out, "✗ {label} (the browser broke down)"),
        (Status::NotRun | Status::Running, _) => writeln!(out, "· {label} (not run)"),
    };
    extras(out, step, "    ");
}

/// The figures a step saved and the toasts it saw, one line each.
pub(super) fn extras(out: &mut String, step: &StepRecord, indent: &str) {
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
pub(super) fn label(step: &StepRecord) -> String {
    if step.section.is_empty() {
        step.description.clone()
    } else {
        format!("{} {}", step.section, step.description)
    }
}

pub(super) fn place(step: &StepRecord) -> String {
    format!("{}:{}:{}", step.path.display(), step.line, step.column)
}

/// Why a case never ran, from how the run ended.
pub(super) fn not_run(run: &RunRecord) -> String {
    match run.status {
        Status::Broken => "not run: the browser broke down".into(),
        Status::Interrupted => "not run: the run was interrupted".into(),
        Status::Running | Status::NotRun => "not run: the run never finished".into(),
        _ => "not run: an earlier step failed".into(),
    }
}

pub(super) fn step_counts(run: &RunRecord) -> String {
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

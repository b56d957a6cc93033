//! The words of `junit.xml`: a failure's body (the terminal's diagnosis),
//! a case's `<system-out>` (its steps, toasts and figures as the terminal
//! shows them), and why a case was skipped or never ran.

use super::Around;
use crate::engine::compared::{Comparison, percent};
use crate::report::record::{Note, RunRecord, ScreenshotRecord, Status, StepRecord};
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
    for (shot, visual) in failed_comparisons(step) {
        // `found` already counts the change and names the diff image; the
        // body adds every region and the other sides of the comparison.
        if !visual.regions.is_empty() {
            let regions: Vec<String> = visual.regions.iter().map(region).collect();
            let _ = writeln!(body, "  regions:    {}", regions.join("; "));
        }
        let _ = writeln!(body, "  limits:     {}", visual.limits);
        for (what, file) in comparison_files(run, shot, visual) {
            let _ = writeln!(body, "  {what:<11} {file}");
        }
    }
    body
}

/// The step's figures whose comparison failed it, with that comparison.
fn failed_comparisons(step: &StepRecord) -> impl Iterator<Item = (&ScreenshotRecord, &Comparison)> {
    step.screenshots
        .iter()
        .filter_map(|shot| shot.visual.as_ref().map(|v| (shot, v)))
        .filter(|(_, v)| v.outcome.fails())
}

/// A failed comparison's files as a CI reader finds them (`out_dir`
/// joined): the figure, the baseline's copy and the diff image, those
/// that were written; and the baseline itself, with the runbook.
fn comparison_files(
    run: &RunRecord,
    shot: &ScreenshotRecord,
    visual: &Comparison,
) -> Vec<(&'static str, String)> {
    let in_run = |file: &std::path::Path| run.out_dir.join(file).display().to_string();
    let mut files = vec![("figure:", in_run(std::path::Path::new(&shot.file)))];
    files.extend(
        visual
            .baseline_copy
            .as_deref()
            .map(|f| ("baseline:", in_run(f))),
    );
    files.extend(
        visual
            .diff_image
            .as_deref()
            .map(|f| ("diff image:", in_run(f))),
    );
    if visual.baseline_copy.is_none() {
        files.push(("baseline:", visual.baseline.display().to_string()));
    }
    files
}

/// `10,20 30×40`, as the terminal lists a region.
fn region(r: &crate::visual::diff::Rect) -> String {
    format!("{},{} {}×{}", r.x, r.y, r.width, r.height)
}

/// `differs from baseline: 1234 pixels changed (0.12%)`.
fn verdict(visual: &Comparison) -> String {
    match (visual.changed_pixels, visual.changed_ratio) {
        (Some(changed), Some(ratio)) if changed > 0 => format!(
            "{}: {changed} pixel{} changed ({}%)",
            visual.outcome.words(),
            if changed == 1 { "" } else { "s" },
            percent(ratio)
        ),
        _ => visual.outcome.words().to_string(),
    }
}

/// The lines a failed comparison adds at the end of `<system-out>`, one
/// per file, in the form CI plugins (Jenkins' JUnit attachments, among
/// others) turn into links: `[[ATTACHMENT|path]]`.
pub(super) fn attachments(out: &mut String, run: &RunRecord, step: &StepRecord) {
    for (shot, visual) in failed_comparisons(step) {
        for (_, file) in comparison_files(run, shot, visual) {
            let _ = writeln!(out, "[[ATTACHMENT|{file}]]");
        }
    }
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
            Some(caption) => write!(out, "{indent}figure: {} ({caption})", shot.file),
            None => write!(out, "{indent}figure: {}", shot.file),
        };
        let _ = match &shot.visual {
            Some(visual) => writeln!(out, ", {}", verdict(visual)),
            None => writeln!(out),
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

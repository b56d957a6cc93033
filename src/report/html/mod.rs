//! `report.html`: one self-contained page per run (styles inline, figures
//! referenced beside it) with the verdict, timings, every section and step,
//! the toasts seen, the figures (a figure compared with its baseline with
//! its verdict, and beside its baseline and diff image when it differs),
//! and for a failure the reason, `failure.png` and a link to
//! `failure.html`; and `index.html` over several runs.
//!
//! Both pages are rendered from the [`RunRecord`] alone, so they say exactly
//! what `results.json` says. They need nothing but the files beside them: no
//! scripts, fonts or styles are fetched, so they open from disk (`file://`),
//! from a CI artefact or printed. Every text from the run is escaped here,
//! once, where it meets the markup.

use super::record::{
    FailureRecord, ItemRecord, Note, RunRecord, SectionRecord, Status, StepRecord, ToastRecord,
};
use crate::engine::StepFailure;
use crate::engine::toasts::Level;
use crate::runbook::duration::human;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::fmt::Write;

mod figure;
mod index;

pub use index::index;

/// Inlined in both pages, so each stays one file.
const CSS: &str = include_str!("report.css");

/// One run as the index lists it.
pub struct IndexEntry<'a> {
    /// The run's `report.html`, relative to the index.
    pub report: String,
    pub record: &'a RunRecord,
}

/// The HTML report of one run.
pub fn report(record: &RunRecord) -> String {
    let name = display_name(record);
    let mut page = head(&format!("{} — {name}", verdict_word(record.status)));
    page.push_str(&header(record));
    if let Some(failure) = &record.failure {
        page.push_str(&failure_block(record, failure));
    }
    if has_frames(record) {
        page.push_str(
            "<details class=\"demo\" open><summary><h2>Demo</h2></summary>\
             <figure><a href=\"demo.gif\"><img src=\"demo.gif\" alt=\"The run as an animation\"></a>\
             <figcaption>The run as an animation, a frame per step \
             (<a href=\"demo.gif\">demo.gif</a>)</figcaption></figure></details>\n",
        );
    }
    page.push_str("<main>\n<h2>Steps</h2>\n<div class=\"top\">\n");
    let mut outline = Outline {
        record,
        out: String::new(),
        figures: 0,
    };
    for item in &record.items {
        outline.item(item, 0, None);
    }
    page.push_str(&outline.out);
    if record.items.is_empty() {
        page.push_str("<p class=\"note\">No step ran.</p>\n");
    }
    page.push_str("</div>\n</main>\n");
    page.push_str(&footer());
    page
}

/// The document's start, up to the opened `<body>`.
fn head(title: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"docent {version}\">\n\
         <title>{title}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        version = env!("CARGO_PKG_VERSION"),
        title = esc(title),
    )
}

fn footer() -> String {
    format!(
        "<footer>Written by docent {}.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// Name, description, verdict, timings, counts and the run's other files.
fn header(record: &RunRecord) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<header class=\"run {class}\">\n<p class=\"kicker\">docent run report</p>\n\
         <h1>{name}</h1>\n",
        class = record.status.as_str(),
        name = esc(&display_name(record)),
    );
    if let Some(description) = &record.runbook.description {
        let _ = writeln!(out, "<p class=\"description\">{}</p>", esc(description));
    }
    let steps = record.steps();
    let figures: usize = steps.iter().map(|s| s.screenshots.len()).sum();
    let toasts: Vec<&ToastRecord> = steps.iter().flat_map(|s| &s.toasts).collect();
    let errors = toasts.iter().filter(|t| t.kind == Level::Error).count();
    let _ = write!(
        out,
        "<p><span class=\"verdict\">{word}</span></p>\n<dl class=\"facts\">\
         <div><dt>Started</dt><dd>{started}</dd></div>\
         <div><dt>Duration</dt><dd>{duration}</dd></div>\
         <div><dt>Runbook</dt><dd><code>{path}</code></dd></div>\
         <div><dt>Figures</dt><dd>{figures}</dd></div>\
         <div><dt>Toasts seen</dt><dd>{toasts}{errors}</dd></div></dl>\n",
        word = verdict_word(record.status),
        started = esc(&started(&record.started_at)),
        duration = human(record.duration_ms),
        path = esc(&record.runbook.path.display().to_string()),
        toasts = toasts.len(),
        errors = match errors {
            0 => String::new(),
            1 => " (1 error)".into(),
            n => format!(" ({n} errors)"),
        },
    );
    out.push_str(&counts_list(record));
    out.push_str(&files_nav(record));
    match record.status {
        Status::Broken => {
            let _ = writeln!(
                out,
                "<p class=\"reason\">The browser broke down: {}</p>",
                esc(record.reason.as_deref().unwrap_or("no reason given"))
            );
        }
        Status::Interrupted => {
            let _ = writeln!(
                out,
                "<p class=\"reason\">Interrupted by {}; the browser was closed and the steps \
                 that had not finished are marked.</p>",
                esc(record.reason.as_deref().unwrap_or("a signal"))
            );
        }
        _ => {}
    }
    out.push_str("</header>\n");
    out
}

/// "11 steps", then how many ended each way; zeros are kept but dimmed, so
/// a reader sees at a glance that nothing failed.
fn counts_list(record: &RunRecord) -> String {
    let c = &record.counts;
    let mut out = format!(
        "<ul class=\"counts\"><li><b>{}</b> step{}</li>",
        c.steps,
        if c.steps == 1 { "" } else { "s" }
    );
    for (n, status) in [
        (c.passed, Status::Passed),
        (c.failed, Status::Failed),
        (c.tolerated, Status::Tolerated),
        (c.skipped, Status::Skipped),
        (c.not_run, Status::NotRun),
    ] {
        let zero = if n == 0 { " zero" } else { "" };
        let _ = write!(
            out,
            "<li class=\"{}{zero}\"><b>{n}</b> {}</li>",
            status.as_str(),
            status_word(status)
        );
    }
    out.push_str("</ul>\n");
    out
}

/// Links to the files written beside this report. Which ones exist follows
/// from the record: `files.rs` writes the guide, `results.json` and
/// `junit.xml` for every run, `demo.gif` when steps have frames, and the
/// failure evidence when the record names it.
fn files_nav(record: &RunRecord) -> String {
    let mut links = vec![
        ("guide.html", "Guide"),
        ("guide.md", "guide.md"),
        ("results.json", "results.json"),
        ("junit.xml", "junit.xml"),
    ];
    if has_frames(record) {
        links.push(("demo.gif", "demo.gif"));
    }
    let mut out = String::from("<p class=\"files\"><span>Files:</span>");
    for (file, label) in links {
        let _ = write!(out, "<a href=\"{}\">{}</a>", href(file), esc(label));
    }
    if let Some(f) = &record.failure {
        for file in [&f.screenshot, &f.html].into_iter().flatten() {
            let _ = write!(out, "<a href=\"{}\">{}</a>", href(file), esc(file));
        }
    }
    out.push_str("</p>\n");
    out
}

/// The failed step up front: where it is, what it looked for and found,
/// the page at that moment and its HTML.
fn failure_block(record: &RunRecord, failure: &FailureRecord) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<section class=\"failure\" id=\"failure\">\n<h2>Failed at step {id}: {description}</h2>\n\
         <p class=\"where\"><code>{location}</code>",
        id = failure.step,
        description = esc(&failure.description),
        location = esc(&location(&failure.path, failure.line, failure.column)),
    );
    if let Some(section) = record
        .step(failure.step)
        .and_then(|s| section_of(&record.items, &s.section))
    {
        let _ = write!(
            out,
            " in section {} {}",
            esc(&section.number),
            esc(&section.title)
        );
    }
    let _ = writeln!(
        out,
        " · <a href=\"#step-{}\">show it among the steps</a></p>",
        failure.step
    );
    out.push_str(&why(&failure.error));
    if let Some(png) = &failure.screenshot {
        let _ = write!(
            out,
            "<figure class=\"evidence\"><a href=\"{src}\"><img src=\"{src}\" \
             alt=\"The page when step {id} failed\"></a>\
             <figcaption>The page when the step failed (<a href=\"{src}\">{file}</a>)",
            src = href(png),
            id = failure.step,
            file = esc(png),
        );
        if let Some(html) = &failure.html {
            let _ = write!(
                out,
                " · <a href=\"{}\">the page's HTML at that moment ({})</a>",
                href(html),
                esc(html)
            );
        }
        out.push_str("</figcaption></figure>\n");
    } else if let Some(html) = &failure.html {
        let _ = writeln!(
            out,
            "<p>No screenshot could be taken. <a href=\"{}\">The page's HTML at that moment \
             ({})</a></p>",
            href(html),
            esc(html)
        );
    } else {
        out.push_str("<p>The browser could not save the page at the failure.</p>\n");
    }
    out.push_str("</section>\n");
    out
}

/// Looked for / found / waited, as a definition list.
fn why(failure: &StepFailure) -> String {
    format!(
        "<dl class=\"why\"><dt>Looked for</dt><dd>{}</dd><dt>Found</dt><dd>{}</dd>\
         <dt>Waited</dt><dd>{}</dd></dl>\n",
        esc(&failure.looked_for),
        esc(&failure.found),
        human(failure.waited)
    )
}

/// Renders sections and steps in document order, numbering figures as
/// they come.
struct Outline<'a> {
    record: &'a RunRecord,
    out: String,
    figures: usize,
}

impl Outline<'_> {
    /// `optional` is the number of the innermost enclosing section that
    /// failed but was optional, whose failed step did not fail the run.
    fn item(&mut self, item: &ItemRecord, depth: usize, optional: Option<&str>) {
        match item {
            ItemRecord::Section(section) => self.section(section, depth, optional),
            ItemRecord::Step(step) => self.step(step, optional),
        }
    }

    /// A section as a `<details>` open by default: collapsible on screen,
    /// printed whole.
    fn section(&mut self, section: &SectionRecord, depth: usize, optional: Option<&str>) {
        let (done, all) = step_tally(&section.items);
        let mut meta = format!("{done} of {all} step{}", if all == 1 { "" } else { "s" });
        if let Some(d) = section.duration_ms {
            let _ = write!(meta, " · {}", human(d));
        }
        if section.attempts > 1 {
            let _ = write!(meta, " · attempt {}", section.attempts);
        }
        match section.status {
            Status::Skipped => match &section.skip {
                Some(skip) => {
                    let _ = write!(meta, " · skipped: {skip}");
                }
                None => meta.push_str(" · skipped: its condition did not hold"),
            },
            Status::Tolerated => meta.push_str(" · failed, but optional: the run went on"),
            _ => {}
        }
        let level = (depth + 3).min(6);
        let _ = writeln!(
            self.out,
            "<section class=\"sec {class}\" id=\"section-{number}\">\
             <details open><summary><span class=\"mark\" title=\"{word}\">{mark}</span>\
             <h{level}>{number}. {title}</h{level}><span class=\"meta\">{meta}</span></summary>\n\
             <div class=\"items\">",
            class = section.status.as_str(),
            number = esc(&section.number),
            word = status_word(section.status),
            mark = mark(section.status),
            title = esc(&section.title),
            meta = esc(&meta),
        );
        let optional = if section.status == Status::Tolerated {
            Some(section.number.as_str())
        } else {
            optional
        };
        for item in &section.items {
            self.item(item, depth + 1, optional);
        }
        self.out.push_str("</div></details></section>\n");
    }

    fn step(&mut self, step: &StepRecord, optional: Option<&str>) {
        let record = self.record;
        let failing = record.failure.as_ref().is_some_and(|f| f.step == step.id);
        let out = &mut self.out;
        let _ = write!(
            out,
            "<div class=\"step {class}{failing}\" id=\"step-{id}\" title=\"{location}\">\
             <div class=\"row\"><span class=\"mark\" title=\"{word}\">{mark}</span>\
             <span class=\"id\">{id}</span><span class=\"desc\">{description}",
            class = step.status.as_str(),
            failing = if failing { " failing" } else { "" },
            id = step.id,
            location = esc(&location(&step.path, step.line, step.column)),
            word = status_word(step.status),
            mark = mark(step.status),
            description = esc(&step.description),
        );
        match (step.status, &step.note) {
            (_, Some(Note::Skipped(skip))) => {
                let _ = write!(
                    out,
                    " <span class=\"note\">skipped: {}</span>",
                    esc(&skip.to_string())
                );
            }
            (_, Some(note)) => {
                let _ = write!(
                    out,
                    " <span class=\"note\">({})</span>",
                    esc(&note.to_string())
                );
            }
            (Status::NotRun, None) => out.push_str(" <span class=\"note\">not run</span>"),
            (Status::Interrupted, None) => out.push_str(" <span class=\"note\">interrupted</span>"),
            _ => {}
        }
        let duration = step.duration_ms.map(human).unwrap_or_default();
        let _ = write!(out, "</span><span class=\"dur\">{duration}</span></div>");
        let mut detail = String::new();
        if let Some(error) = &step.error {
            detail.push_str(&step_error(record, step, error, failing, optional));
        }
        if !step.toasts.is_empty() {
            detail.push_str(&toasts(&step.toasts));
        }
        for shot in &step.screenshots {
            self.figures += 1;
            detail.push_str(&figure::figure(shot, self.figures));
        }
        let out = &mut self.out;
        if !detail.is_empty() {
            let _ = write!(out, "<div class=\"detail\">{detail}</div>");
        }
        out.push_str("</div>\n");
    }
}

/// A failed or tolerated step's error, inline; the step that failed the
/// run points at its evidence.
fn step_error(
    record: &RunRecord,
    step: &StepRecord,
    error: &StepFailure,
    failing: bool,
    optional: Option<&str>,
) -> String {
    let (class, heading) = match (step.status, optional) {
        (Status::Tolerated, _) => (
            "tolerated",
            "Failed, but the step is optional, so the run went on".to_string(),
        ),
        (_, Some(section)) if !failing => (
            "tolerated",
            format!(
                "Failed, but section {} is optional, so the run went on",
                esc(section)
            ),
        ),
        _ => ("failed", "This step failed".to_string()),
    };
    let mut out = format!(
        "<div class=\"error {class}\"><p>{heading} <code>{}</code></p>{}",
        esc(&location(&step.path, step.line, step.column)),
        why(error)
    );
    if failing {
        let evidence: Vec<String> = record
            .failure
            .iter()
            .flat_map(|f| [&f.screenshot, &f.html])
            .flatten()
            .map(|file| format!("<a href=\"{}\">{}</a>", href(file), esc(file)))
            .collect();
        if !evidence.is_empty() {
            let _ = write!(
                out,
                "<p class=\"sub\">Evidence: {} (shown <a href=\"#failure\">above</a>)</p>",
                evidence.join(" · ")
            );
        }
    }
    out.push_str("</div>");
    out
}

/// The notifications seen while a step ran, each marked with its kind.
fn toasts(toasts: &[ToastRecord]) -> String {
    let mut out = String::from("<ul class=\"toasts\"><li class=\"label\">Toasts seen</li>");
    for toast in toasts {
        let mark = match toast.kind {
            Level::Error => "✗",
            Level::Warning => "!",
            Level::Info => "i",
            Level::Success => "✓",
        };
        let kind = toast.kind;
        let _ = write!(
            out,
            "<li class=\"{kind}\"><span class=\"kind\" title=\"{kind}\">{mark}</span>{text} \
             <span class=\"at\">at {at}</span></li>",
            text = esc(&toast.text),
            at = human(toast.at_ms),
        );
    }
    out.push_str("</ul>");
    out
}

/// Steps that ended (any way but not run) and all steps, under `items`.
fn step_tally(items: &[ItemRecord]) -> (usize, usize) {
    items.iter().fold((0, 0), |(done, all), item| match item {
        ItemRecord::Step(s) => (
            done + usize::from(!matches!(s.status, Status::NotRun | Status::Running)),
            all + 1,
        ),
        ItemRecord::Section(s) => {
            let (d, a) = step_tally(&s.items);
            (done + d, all + a)
        }
    })
}

fn section_of<'a>(items: &'a [ItemRecord], number: &str) -> Option<&'a SectionRecord> {
    items.iter().find_map(|item| match item {
        ItemRecord::Section(s) if s.number == number => Some(s),
        ItemRecord::Section(s) => section_of(&s.items, number),
        ItemRecord::Step(_) => None,
    })
}

fn has_frames(record: &RunRecord) -> bool {
    record.steps().iter().any(|s| !s.frames.is_empty())
}

fn display_name(record: &RunRecord) -> String {
    if record.runbook.name.is_empty() {
        record.id()
    } else {
        record.runbook.name.clone()
    }
}

fn location(path: &std::path::Path, line: u32, column: u32) -> String {
    format!("{}:{line}:{column}", path.display())
}

/// `2026-11-24T09:30:12.345Z` as `2026-11-24 09:30:12 UTC`.
fn started(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..19)) {
        (Some(date), Some(time)) if rfc3339.ends_with('Z') => format!("{date} {time} UTC"),
        _ if rfc3339.is_empty() => "not started".into(),
        _ => rfc3339.into(),
    }
}

fn verdict_word(status: Status) -> &'static str {
    match status {
        Status::Passed => "PASSED",
        Status::Failed => "FAILED",
        Status::Broken => "BROKEN",
        Status::Interrupted => "INTERRUPTED",
        Status::Running => "RUNNING",
        Status::NotRun => "NOT RUN",
        Status::Skipped => "SKIPPED",
        Status::Tolerated => "TOLERATED",
    }
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::NotRun => "not run",
        other => other.as_str(),
    }
}

/// A mark that still reads in black and white; the colour comes from CSS.
fn mark(status: Status) -> &'static str {
    match status {
        Status::Passed => "✓",
        Status::Failed | Status::Broken => "✗",
        Status::Tolerated => "!",
        Status::Skipped => "–",
        Status::NotRun => "○",
        Status::Interrupted => "■",
        Status::Running => "…",
    }
}

/// Text as HTML, safe in element content and in quoted attributes.
fn esc(text: &str) -> String {
    super::escape_html(text)
}

/// What stays readable in a link: letters, digits, `-._~` and the `/` between
/// folders. Everything else, and every byte of a non-ASCII character, is
/// percent-encoded.
const LINK_KEEPS: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A relative file path as a link: characters a URL gives meaning to (`#`,
/// `?`, `%`, spaces) are percent-encoded so a figure named `a#1.png` still
/// loads, then the result is escaped for the attribute.
fn href(path: &str) -> String {
    esc(&utf8_percent_encode(path, LINK_KEEPS).to_string())
}

#[cfg(test)]
mod tests;

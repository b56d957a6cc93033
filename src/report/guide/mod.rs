//! The guide: the run's procedure as a how-to page, written as `guide.md`
//! and `guide.html`. Like a help page, it has the runbook's title and
//! description, then a numbered procedure: one item per section (nested
//! sections are numbered inside their parent), a plain sentence per step
//! (`sentence.rs`, or the runbook's own `guide:` words), and each figure
//! the run saved, captioned "Figure N caption" with its highlighted
//! targets outlined in red (the engine draws the outline into the PNG).
//!
//! It is made from the run, not from the runbook alone: sections and steps
//! whose `when:` did not hold are left out, toasts are placed where they
//! showed, and a failed run's guide says where it stopped.

mod markdown;
pub mod sentence;

pub use markdown::{html, markdown};

use super::record::{ItemRecord, RunRecord, SectionRecord, Status, StepRecord};
use crate::runbook::{Action, GuideText};
use pulldown_cmark::Event;

/// The guide's sentence for a step, in Markdown; `None` when the step is
/// left out of the guide (`guide: false`, or a step such as `screenshot`
/// that only serves the run).
pub fn sentence(record: &RunRecord, step: &StepRecord) -> Option<String> {
    match &step.guide {
        GuideText::Hidden => None,
        GuideText::Own(text) => Some(text.clone()),
        GuideText::Generated => sentence::for_action(&step.action, toast_place(record, step)),
    }
}

/// Where the toast an `expect_toast` step matched was seen: the newest
/// matching toast of the step itself or of the steps before it.
fn toast_place(record: &RunRecord, step: &StepRecord) -> Option<crate::engine::Point> {
    let Action::ExpectToast(expect) = &step.action else {
        return None;
    };
    let steps = record.steps();
    let upto = steps.iter().position(|s| s.id == step.id)?;
    steps[..=upto]
        .iter()
        .rev()
        .flat_map(|s| s.toasts.iter().rev())
        .find(|t| expect.text.matches(&t.text))
        .and_then(|t| t.place)
}

/// A sentence without its Markdown marks, for captions in pictures: the
/// words pulldown-cmark reads, with line breaks as spaces.
pub fn plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in pulldown_cmark::Parser::new(markdown) {
        match event {
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => {
                out.push_str(&text)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// The line a section has in the guide; `None` when it is left out.
fn section_line(section: &SectionRecord) -> Option<String> {
    match &section.guide {
        GuideText::Hidden => None,
        GuideText::Own(text) => Some(text.clone()),
        GuideText::Generated => Some(end_sentence(&sentence::text(&section.title))),
    }
}

/// A title as a list item's sentence: with a full stop unless it already
/// ends in punctuation.
fn end_sentence(title: &str) -> String {
    let title = title.trim();
    if title.ends_with(['.', '!', '?', ':', ')']) {
        title.to_string()
    } else {
        format!("{title}.")
    }
}

/// Whether the guide shows this section: a section whose `when:` did not
/// hold did not happen in this run.
fn shown_section(section: &SectionRecord) -> bool {
    section.status != Status::Skipped && section_line(section).is_some()
}

fn shown_step(step: &StepRecord) -> bool {
    step.status != Status::Skipped
}

/// One block of a guide item: a paragraph of sentences, a figure, or a
/// nested procedure.
enum Block<'a> {
    Sentences(Vec<String>),
    Figure {
        number: usize,
        caption: String,
        file: String,
    },
    Steps(Vec<Entry<'a>>),
}

/// A numbered item of the procedure.
struct Entry<'a> {
    line: String,
    blocks: Vec<Block<'a>>,
    /// The run's status of the section, to mark where a failed run stopped.
    status: Status,
    section: &'a SectionRecord,
}

/// The procedure as blocks: what comes before the first section, and the
/// numbered items.
struct Procedure<'a> {
    intro: Vec<Block<'a>>,
    entries: Vec<Entry<'a>>,
}

fn procedure<'a>(record: &'a RunRecord) -> Procedure<'a> {
    let mut figures = 0;
    let mut intro = Vec::new();
    let mut entries: Vec<Entry<'a>> = Vec::new();
    for item in &record.items {
        match item {
            ItemRecord::Section(section) => {
                if shown_section(section) {
                    entries.push(entry(record, section, &mut figures));
                }
            }
            ItemRecord::Step(step) => {
                // Steps between sections belong to the item before them.
                let blocks = match entries.last_mut() {
                    Some(last) => &mut last.blocks,
                    None => &mut intro,
                };
                step_blocks(record, step, blocks, &mut figures);
            }
        }
    }
    Procedure { intro, entries }
}

fn entry<'a>(record: &'a RunRecord, section: &'a SectionRecord, figures: &mut usize) -> Entry<'a> {
    let mut blocks: Vec<Block<'a>> = Vec::new();
    for item in &section.items {
        match item {
            ItemRecord::Step(step) => step_blocks(record, step, &mut blocks, figures),
            ItemRecord::Section(inner) => {
                if !shown_section(inner) {
                    continue;
                }
                let nested = entry(record, inner, figures);
                match blocks.last_mut() {
                    Some(Block::Steps(list)) => list.push(nested),
                    _ => blocks.push(Block::Steps(vec![nested])),
                }
            }
        }
    }
    Entry {
        line: section_line(section).unwrap_or_default(),
        blocks,
        status: section.status,
        section,
    }
}

fn step_blocks(
    record: &RunRecord,
    step: &StepRecord,
    blocks: &mut Vec<Block<'_>>,
    figures: &mut usize,
) {
    if !shown_step(step) {
        return;
    }
    if let Some(text) = sentence(record, step) {
        match blocks.last_mut() {
            Some(Block::Sentences(sentences)) => sentences.push(text),
            _ => blocks.push(Block::Sentences(vec![text])),
        }
    }
    for shot in &step.screenshots {
        *figures += 1;
        blocks.push(Block::Figure {
            number: *figures,
            caption: shot.caption.clone().unwrap_or_else(|| words(&shot.name)),
            file: shot.file.clone(),
        });
    }
}

/// A figure's name as words, when it has no caption: `configure-transfer`
/// becomes "Configure transfer".
fn words(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// What the guide says about a run that did not pass, at its top.
fn caveat(record: &RunRecord) -> Option<String> {
    let failed = record
        .failure
        .as_ref()
        .and_then(|f| record.step(f.step).map(|s| (f, s)));
    match record.status {
        Status::Passed | Status::Running => None,
        Status::Interrupted => Some(
            "This guide comes from a run that was interrupted; the steps after that point were not checked and their figures are missing.".into(),
        ),
        _ => Some(match failed {
            Some((failure, step)) => format!(
                "This guide comes from a run that failed at step {}{} ({}:{}); the steps after it were not checked and their figures are missing.",
                if step.section.is_empty() {
                    String::new()
                } else {
                    format!("{} ", step.section)
                },
                sentence(record, step)
                    .map(|s| format!("\"{}\"", plain(&s)))
                    .unwrap_or_else(|| step.description.clone()),
                failure.path.display(),
                failure.line
            ),
            None => "This guide comes from a run that did not pass; the steps after that point were not checked.".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::record::RunRecord;
    use crate::report::sample;

    fn record(fail_at: Option<usize>) -> RunRecord {
        RunRecord::from_events(&sample::masked(&sample::run(fail_at)))
    }

    #[test]
    fn the_guide_of_a_passed_run() {
        let guide = markdown(&record(None));
        assert!(!guide.contains(sample::SECRET));
        insta::assert_snapshot!("guide_passed", guide);
    }

    #[test]
    fn the_guide_of_a_failed_run_says_where_it_stopped() {
        let guide = markdown(&record(Some(10)));
        assert!(
            guide.contains("> This guide comes from a run that failed at step 3 \"Click Detection Result.\" (runbooks/create-tracker.yaml:26)"),
            "{guide}"
        );
        insta::assert_snapshot!("guide_failed", guide);
    }

    #[test]
    fn the_html_guide_numbers_figures_and_marks_unchecked_steps() {
        let page = html(&record(Some(10)));
        assert!(page.contains("<figcaption><b>Figure 1</b> Configure Transfer</figcaption>"));
        assert!(page.contains("src=\"01-configure-transfer.png\""));
        assert!(
            page.contains("<li class=\"stopped\" id=\"step-3\">"),
            "{page}"
        );
        assert!(page.contains("Confirm the settings and click <strong>Configure</strong>."));
        assert!(!page.contains(sample::SECRET));
    }

    #[test]
    fn own_sentences_and_hidden_steps_are_honoured() {
        let mut record = record(None);
        let hidden_id = 9;
        fn hide(items: &mut [ItemRecord], id: usize) {
            for item in items {
                match item {
                    ItemRecord::Step(s) if s.id == id => s.guide = GuideText::Hidden,
                    ItemRecord::Step(_) => {}
                    ItemRecord::Section(s) => hide(&mut s.items, id),
                }
            }
        }
        hide(&mut record.items, hidden_id);
        let guide = markdown(&record);
        assert!(guide.contains("Confirm the settings and click **Configure**."));
        assert!(!guide.contains("Operation successfully!"), "{guide}");
    }

    #[test]
    fn runbook_text_never_becomes_live_html_in_the_page() {
        let script = "<script>alert(1)</script>";
        let mut record = record(None);
        record.runbook.name = format!("Tracker {script}");
        record.runbook.description = Some(format!("Before *you* start: {script}\n\n{script}"));
        fn mark(items: &mut [ItemRecord], script: &str) {
            for item in items {
                match item {
                    ItemRecord::Step(step) => {
                        step.guide = GuideText::Own(format!(
                            "Click **Save** {script} [here](javascript:alert(1))."
                        ));
                        for shot in &mut step.screenshots {
                            shot.caption = Some(format!("Saved {script}"));
                        }
                    }
                    ItemRecord::Section(section) => {
                        section.title = format!("Section {script}");
                        mark(&mut section.items, script);
                    }
                }
            }
        }
        mark(&mut record.items, script);
        let page = html(&record);
        assert!(!page.contains("<script"), "{page}");
        assert!(!page.contains("javascript:"), "{page}");
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
        for shown in [
            format!("<h1>Tracker {escaped}</h1>"),
            format!("<p>Before <em>you</em> start: {escaped}</p>"),
            format!("<p class=\"line\">Section {escaped}.</p>"),
            format!("Click <strong>Save</strong> {escaped} here."),
            format!("<figcaption><b>Figure 1</b> Saved {escaped}</figcaption>"),
        ] {
            assert!(page.contains(&shown), "{shown} in {page}");
        }
    }

    #[test]
    fn plain_drops_the_marks() {
        assert_eq!(
            plain("Click **Configure** in the row of *system* \\*."),
            "Click Configure in the row of system *."
        );
    }
}

//! The guide: the run's procedure as a how-to page, `guide.md` and
//! `guide.html`, with numbered sections, a plain sentence per step and the
//! figures captioned "Figure N".

use super::record::{RunRecord, StepRecord};

/// The guide's sentence for a step, in Markdown; `None` when the step is
/// left out of the guide.
pub fn sentence(step: &StepRecord) -> Option<String> {
    Some(step.description.clone())
}

/// A sentence without its Markdown marks, for captions.
pub fn plain(markdown: &str) -> String {
    markdown.replace("**", "").replace('*', "")
}

pub fn markdown(record: &RunRecord) -> String {
    format!("# {}\n", record.runbook.name)
}

pub fn html(record: &RunRecord) -> String {
    format!("<!doctype html>\n<title>{}</title>\n", record.runbook.name)
}

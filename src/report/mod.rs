//! Consumers of run events. A reporter never calls the browser; it only
//! turns [`Event`]s into output: the terminal's progress, the `--json`
//! stream, and the run's files (`results.json`, `junit.xml`,
//! `report.html`, `guide.md`, `guide.html`, `demo.gif`), which are all
//! rendered from one [`record::RunRecord`].

pub mod demo;
pub mod files;
pub mod guide;
pub mod html;
pub mod json_lines;
pub mod junit;
pub mod record;
#[cfg(test)]
mod results_doc;
#[cfg(test)]
pub mod sample;
pub mod terminal;

use crate::engine::{Event, Reporter};

/// Every output of a run behind one [`Reporter`]: masks the runbook's
/// secrets in each event once, then hands it to each output in turn.
pub struct Outputs<'a> {
    secrets: crate::secrets::Secrets,
    outputs: Vec<&'a mut dyn Reporter>,
}

impl<'a> Outputs<'a> {
    pub fn new(secrets: &[String]) -> Outputs<'a> {
        Outputs {
            secrets: crate::secrets::Secrets::new(secrets),
            outputs: Vec::new(),
        }
    }

    pub fn with(mut self, output: &'a mut dyn Reporter) -> Outputs<'a> {
        self.outputs.push(output);
        self
    }
}

impl Reporter for Outputs<'_> {
    fn event(&mut self, event: &Event) {
        let masked = event.masked(&self.secrets);
        for output in &mut self.outputs {
            output.event(&masked);
        }
    }
}

/// Text as HTML, safe in element content and in quoted attributes; the
/// HTML report and the guide page both write run text through it.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

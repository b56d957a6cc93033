//! `report.html`: one self-contained page per run (styles inline, figures
//! referenced beside it) with the verdict, timings, every section and step,
//! the toasts seen, the figures, and for a failure the reason, `failure.png`
//! and a link to `failure.html`; and `index.html` over several runs.

use super::record::RunRecord;

/// One run as the index lists it.
pub struct IndexEntry<'a> {
    /// The run's `report.html`, relative to the index.
    pub report: String,
    pub record: &'a RunRecord,
}

/// The HTML report of one run.
pub fn report(record: &RunRecord) -> String {
    let _ = record;
    String::from("<!doctype html>\n<title>report</title>\n")
}

/// The index page over several runs.
pub fn index(runs: &[IndexEntry<'_>]) -> String {
    let _ = runs;
    String::from("<!doctype html>\n<title>index</title>\n")
}

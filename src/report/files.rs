//! The files a run leaves in its folder, written when the run has ended
//! (passed, failed, broken down or interrupted), all rendered from one
//! record of the run: `results.json`, `junit.xml`, `report.html`,
//! `guide.md`, `guide.html` and, for runs with `--demo`, `demo.gif`. And
//! for several runbooks, `index.html` and a `junit.xml` over all of them.

use super::record::{Builder, RunRecord};
use super::{demo, guide, html, junit};
use crate::engine::{Event, Reporter};
use std::path::{Path, PathBuf};

/// Records the run from its events, and writes its files into its output
/// folder when [`Files::finish`] is called.
pub struct Files {
    builder: Builder,
    cases: junit::Cases,
    /// Files written, for the terminal's summary.
    written: Vec<PathBuf>,
    /// Files that could not be written, with why.
    errors: Vec<String>,
}

impl Files {
    pub fn new(name: &str, path: &Path, out_dir: &Path, cases: junit::Cases) -> Files {
        Files {
            builder: Builder::new(name, path, out_dir),
            cases,
            written: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// The run as recorded so far.
    pub fn record(&self) -> &RunRecord {
        self.builder.record()
    }

    pub fn into_record(self) -> RunRecord {
        self.builder.into_record()
    }

    pub fn written(&self) -> &[PathBuf] {
        &self.written
    }

    pub fn errors(&self) -> &[String] {
        &self.errors
    }

    fn write_all(&mut self) {
        let record = self.builder.record().clone();
        let out = record.out_dir.clone();
        let mut files: Vec<(&str, Vec<u8>)> = vec![
            ("results.json", results_json(&record).into_bytes()),
            ("junit.xml", junit::xml(&[&record], self.cases).into_bytes()),
            ("report.html", html::report(&record).into_bytes()),
            ("guide.md", guide::markdown(&record).into_bytes()),
            ("guide.html", guide::html(&record).into_bytes()),
        ];
        let caption = |step: &super::record::StepRecord| {
            guide::sentence(&record, step)
                .map(|s| guide::plain(&s))
                .unwrap_or_else(|| step.description.clone())
        };
        match demo::gif(&record, &caption) {
            Ok(Some(gif)) => files.push(("demo.gif", gif)),
            // An earlier run's demo must not pass for this run's.
            Ok(None) => {
                let _ = std::fs::remove_file(out.join("demo.gif"));
            }
            Err(e) => {
                let _ = std::fs::remove_file(out.join("demo.gif"));
                self.errors.push(format!("cannot make demo.gif: {e}"));
            }
        }
        for (name, bytes) in files {
            self.write(&out.join(name), &bytes);
        }
    }

    fn write(&mut self, path: &Path, bytes: &[u8]) {
        match std::fs::write(path, bytes) {
            Ok(()) => self.written.push(path.to_path_buf()),
            Err(e) => self
                .errors
                .push(format!("cannot write {}: {e}", path.display())),
        }
    }
}

impl Files {
    /// Writes the run's files. Called once the run has ended and the
    /// browser is closed, so the seconds the demo takes to encode never
    /// keep a browser waiting or delay a Ctrl-C.
    pub fn finish(&mut self) {
        self.write_all();
    }
}

impl Reporter for Files {
    fn event(&mut self, event: &Event) {
        self.builder.event(event);
    }
}

/// `results.json`: the record, pretty-printed.
pub fn results_json(record: &RunRecord) -> String {
    let mut json = serde_json::to_string_pretty(record).unwrap_or_default();
    json.push('\n');
    json
}

/// `index.html` and a `junit.xml` of every run, in `dir` (the folder
/// above the runs' own folders). Returns the files written.
pub fn write_index(
    dir: &Path,
    records: &[RunRecord],
    cases: junit::Cases,
) -> Result<Vec<PathBuf>, String> {
    let entries: Vec<html::IndexEntry<'_>> = records
        .iter()
        .map(|record| html::IndexEntry {
            report: relative_link(&record.out_dir.join("report.html"), dir),
            record,
        })
        .collect();
    let all: Vec<&RunRecord> = records.iter().collect();
    let mut written = Vec::new();
    for (name, text) in [
        ("index.html", html::index(&entries)),
        ("junit.xml", junit::xml(&all, cases)),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// `path` as a link from a page in `dir` (forward slashes).
fn relative_link(path: &Path, dir: &Path) -> String {
    let inner = path.strip_prefix(dir).unwrap_or(path);
    inner
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

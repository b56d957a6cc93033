//! The files a run leaves in its folder, written when the run has ended
//! (passed, failed, broken down or interrupted), all rendered from one
//! record of the run: `results.json`, `junit.xml`, `report.html`,
//! `guide.md`, `guide.html` and, for runs with `--demo`, `demo.gif`. And
//! for several runbooks, `index.html` and a `junit.xml` over all of them.

use super::record::{Builder, RunRecord};
use super::{demo, guide, html, junit};
use crate::engine::{Event, Reporter};
use crate::folder::{Folder, Output};
use std::path::{Path, PathBuf};

/// Records the run from its events, and writes its files into its output
/// folder when [`Files::finish`] is called.
pub struct Files {
    builder: Builder,
    folder: Folder,
    cases: junit::Cases,
    /// Files written, for the terminal's summary.
    written: Vec<PathBuf>,
    /// Files that could not be written, with why.
    errors: Vec<String>,
}

impl Files {
    pub fn new(name: &str, path: &Path, folder: &Folder, cases: junit::Cases) -> Files {
        Files {
            builder: Builder::new(name, path, folder.path()),
            folder: folder.clone(),
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
        let files = [
            (Output::Results, results_json(&record)),
            (Output::Junit, junit::xml(&[&record], self.cases)),
            (Output::Report, html::report(&record)),
            (Output::GuideMarkdown, guide::markdown(&record)),
            (Output::GuideHtml, guide::html(&record)),
        ];
        for (output, text) in files {
            let written = self.folder.write(output, text.as_bytes());
            self.note(output, written);
        }
        self.write_demo(&record);
    }

    /// `demo.gif`, encoded straight into its file from the spooled frames,
    /// which are then removed. A run without frames removes an earlier
    /// run's demo, which must not pass for this run's.
    fn write_demo(&mut self, record: &RunRecord) {
        if !demo::has_frames(record) {
            let removed = self.folder.remove(Output::Demo);
            if let Err(e) = removed {
                self.errors.push(format!(
                    "cannot remove an earlier {}: {e}",
                    self.folder.file(Output::Demo).display()
                ));
            }
            return;
        }
        let caption = |step: &super::record::StepRecord| {
            guide::sentence(record, step)
                .map(|s| guide::plain(&s))
                .unwrap_or_else(|| step.description.clone())
        };
        let encoded = self
            .folder
            .create(Output::Demo)
            .map_err(|e| e.to_string())
            .and_then(|file| demo::encode(record, &caption, std::io::BufWriter::new(file)))
            .and_then(|out| out.into_inner().map_err(|e| e.error().to_string()))
            .and_then(|staged| staged.commit().map_err(|e| e.to_string()));
        self.folder.clear_frames();
        match encoded {
            Ok(_) => self.written.push(self.folder.file(Output::Demo)),
            Err(e) => {
                let _ = self.folder.remove(Output::Demo);
                self.errors.push(format!("cannot make demo.gif: {e}"));
            }
        }
    }

    fn note(&mut self, output: Output, written: std::io::Result<PathBuf>) {
        match written {
            Ok(path) => self.written.push(path),
            Err(e) => self.errors.push(format!(
                "cannot write {}: {e}",
                self.folder.file(output).display()
            )),
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
            report: relative_link(&Folder::new(&record.out_dir).file(Output::Report), dir),
            record,
        })
        .collect();
    let all: Vec<&RunRecord> = records.iter().collect();
    let folder = Folder::new(dir);
    let mut written = Vec::new();
    for (output, text) in [
        (Output::Index, html::index(&entries)),
        (Output::Junit, junit::xml(&all, cases)),
    ] {
        let path = folder
            .write(output, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", folder.file(output).display()))?;
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

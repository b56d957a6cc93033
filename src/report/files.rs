//! The files a run leaves in its folder, written when the run ends
//! (passed, failed, broken down or interrupted): `results.json` and the
//! outputs rendered from the same record.

use super::record::{Builder, RunRecord};
use crate::engine::{Event, Reporter};
use std::path::{Path, PathBuf};

/// Writes the run's files into its output folder at the end of the run.
pub struct Files {
    builder: Builder,
    /// Files written so far, for the terminal's summary.
    written: Vec<PathBuf>,
    /// Files that could not be written, with why.
    errors: Vec<String>,
}

impl Files {
    pub fn new(name: &str, path: &Path, out_dir: &Path) -> Files {
        Files {
            builder: Builder::new(name, path, out_dir),
            written: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// The run as recorded so far.
    pub fn record(&self) -> &RunRecord {
        self.builder.record()
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
        let json = serde_json::to_string_pretty(&record).unwrap_or_default() + "\n";
        self.write(&out.join("results.json"), json.as_bytes());
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

impl Reporter for Files {
    fn event(&mut self, event: &Event) {
        self.builder.event(event);
        if matches!(
            event,
            Event::RunFinished { .. } | Event::RunInterrupted { .. }
        ) {
            self.write_all();
        }
    }
}

//! The run's output folder: the one place that knows the names of the files
//! a run leaves and writes them. The engine hands it figures, failure
//! evidence and demo frames and gets paths back; the reporters hand it the
//! rendered results, reports and guide. Nothing else builds a file name in
//! the folder, so the names documented in `docs/results.md` live here only,
//! and an earlier run's files are recognised by the same rules that named
//! them.
//!
//! Demo frames are spooled to a hidden sub-folder as they are captured and
//! read back one at a time when the demo is encoded, so a run's memory does
//! not grow with its length; the sub-folder is removed once the demo is
//! written (and by the next run, if a run was killed before).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A file every run (or every set of runs) leaves under a fixed name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Results,
    Junit,
    Report,
    GuideMarkdown,
    GuideHtml,
    Demo,
    /// The viewport when a step failed.
    FailureScreenshot,
    /// The page's HTML when a step failed.
    FailureHtml,
    /// The overview of several runs, in the folder above theirs.
    Index,
}

impl Output {
    pub const fn file_name(self) -> &'static str {
        match self {
            Output::Results => "results.json",
            Output::Junit => "junit.xml",
            Output::Report => "report.html",
            Output::GuideMarkdown => "guide.md",
            Output::GuideHtml => "guide.html",
            Output::Demo => "demo.gif",
            Output::FailureScreenshot => "failure.png",
            Output::FailureHtml => "failure.html",
            Output::Index => "index.html",
        }
    }
}

/// The sub-folder demo frames wait in until the demo is encoded.
const FRAMES: &str = ".frames";

/// A run's output folder. Cheap to clone: the engine and the reporters
/// share one, and with it the count of spooled frames.
#[derive(Debug, Clone)]
pub struct Folder {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    dir: PathBuf,
    frames: AtomicUsize,
}

impl Folder {
    pub fn new(dir: impl Into<PathBuf>) -> Folder {
        Folder {
            inner: Arc::new(Inner {
                dir: dir.into(),
                frames: AtomicUsize::new(0),
            }),
        }
    }

    pub fn path(&self) -> &Path {
        &self.inner.dir
    }

    /// Where `output` goes in this folder.
    pub fn file(&self, output: Output) -> PathBuf {
        self.inner.dir.join(output.file_name())
    }

    /// Creates the folder and removes what an earlier run left that this
    /// run would not overwrite (its numbered figures, failure evidence and
    /// spooled frames), so the folder never mixes two runs. Other files,
    /// the user's own among them, are left alone.
    pub fn prepare(&self) -> io::Result<()> {
        std::fs::create_dir_all(&self.inner.dir)?;
        for entry in std::fs::read_dir(&self.inner.dir)? {
            let path = entry?.path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let evidence = [Output::FailureScreenshot, Output::FailureHtml]
                .iter()
                .any(|o| o.file_name() == name);
            if is_figure(&name) || evidence {
                std::fs::remove_file(&path)?;
            }
        }
        self.clear_frames();
        Ok(())
    }

    /// Writes figure `number` of the run, named by the runbook's `name`
    /// (`03-configure-transfer.png`), and returns its path.
    pub fn figure(&self, number: usize, name: &str, png: &[u8]) -> io::Result<PathBuf> {
        let path = self.inner.dir.join(figure_name(number, name));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// Writes `output` and returns its path.
    pub fn write(&self, output: Output, bytes: &[u8]) -> io::Result<PathBuf> {
        let path = self.file(output);
        std::fs::write(&path, bytes)?;
        Ok(path)
    }

    /// Creates (or empties) `output` for writing in parts, as the demo is.
    pub fn create(&self, output: Output) -> io::Result<std::fs::File> {
        std::fs::File::create(self.file(output))
    }

    /// Removes `output` if it is there, so an earlier run's file cannot
    /// pass for this run's.
    pub fn remove(&self, output: Output) -> io::Result<()> {
        match std::fs::remove_file(self.file(output)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Puts a demo frame aside until the demo is encoded; returns where.
    pub fn spool_frame(&self, png: &[u8]) -> io::Result<PathBuf> {
        let dir = self.inner.dir.join(FRAMES);
        std::fs::create_dir_all(&dir)?;
        let number = self.inner.frames.fetch_add(1, Ordering::Relaxed) + 1;
        let path = dir.join(format!("{number:05}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// Removes the spooled frames (best effort: a frame left behind is
    /// removed by the next run's [`Folder::prepare`]).
    pub fn clear_frames(&self) {
        let _ = std::fs::remove_dir_all(self.inner.dir.join(FRAMES));
    }
}

/// The file name of figure `number`.
fn figure_name(number: usize, name: &str) -> String {
    format!("{number:02}-{name}.png")
}

/// Whether `name` is a figure's file name: two digits or more, a dash, a
/// name, `.png`.
fn is_figure(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".png") else {
        return false;
    };
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    digits >= 2 && stem.len() > digits + 1 && stem.as_bytes()[digits] == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_numbered_and_recognised_by_the_same_rule() {
        for (number, name) in [(1, "login"), (12, "configure-transfer"), (123, "x")] {
            let file = figure_name(number, name);
            assert!(is_figure(&file), "{file}");
        }
        assert_eq!(figure_name(3, "configure"), "03-configure.png");
        for other in [
            "notes.png",
            "1-a.png",
            "03-.png",
            "03-a.gif",
            "demo.gif",
            "ab-c.png",
        ] {
            assert!(!is_figure(other), "{other}");
        }
    }

    #[test]
    fn prepare_removes_an_earlier_runs_figures_evidence_and_frames_only() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::new(dir.path().join("out"));
        folder.prepare().unwrap();
        folder.figure(1, "login", b"png").unwrap();
        folder.write(Output::FailureScreenshot, b"png").unwrap();
        folder.write(Output::FailureHtml, b"<p>").unwrap();
        folder.write(Output::Results, b"{}").unwrap();
        let frame = folder.spool_frame(b"png").unwrap();
        std::fs::write(dir.path().join("out/notes.png"), b"mine").unwrap();

        Folder::new(dir.path().join("out")).prepare().unwrap();

        let mut left: Vec<String> = std::fs::read_dir(dir.path().join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        // results.json is rewritten by every run, so it may stay meanwhile.
        assert_eq!(left, ["notes.png", "results.json"]);
        assert!(!frame.exists());
    }

    #[test]
    fn frames_are_spooled_in_order_and_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::new(dir.path());
        let shared = folder.clone();
        let first = folder.spool_frame(b"one").unwrap();
        let second = shared.spool_frame(b"two").unwrap();
        assert!(first < second, "{first:?} {second:?}");
        assert_eq!(std::fs::read(&second).unwrap(), b"two");
        folder.clear_frames();
        assert!(!first.exists() && !second.exists());
    }

    #[test]
    fn removing_a_missing_output_is_no_error() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::new(dir.path());
        folder.remove(Output::Demo).unwrap();
        folder.write(Output::Demo, b"gif").unwrap();
        folder.remove(Output::Demo).unwrap();
        assert!(!folder.file(Output::Demo).exists());
    }
}

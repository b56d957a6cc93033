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
//!
//! Every file is written to a new temporary file in the folder (created
//! with `O_EXCL`, so never through an existing file or symlink) and then
//! renamed over its name, which replaces a symlink standing there rather
//! than writing to where it points. A reader never sees half a report,
//! and a link planted in the folder cannot make docent overwrite a file
//! elsewhere. A name that is not one plain file name is refused.

use std::io::{self, Write};
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

/// A file a run leaves for one of its figures, named after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureOutput {
    /// The figure itself, `NN-<name>.png`.
    Figure,
    /// Where it differs from its baseline, `NN-<name>.diff.png`.
    Diff,
    /// A copy of the baseline it was compared with, `NN-<name>.baseline.png`,
    /// so the run's folder shows both sides of a failed comparison.
    Baseline,
}

impl FigureOutput {
    /// What follows the figure's name in the file's name.
    const fn suffix(self) -> &'static str {
        match self {
            FigureOutput::Figure => ".png",
            FigureOutput::Diff => ".diff.png",
            FigureOutput::Baseline => ".baseline.png",
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
    /// Numbers the temporary files, which must never collide.
    temps: AtomicUsize,
}

impl Folder {
    pub fn new(dir: impl Into<PathBuf>) -> Folder {
        Folder {
            inner: Arc::new(Inner {
                dir: dir.into(),
                frames: AtomicUsize::new(0),
                temps: AtomicUsize::new(0),
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
        self.figure_output(FigureOutput::Figure, number, name, png)
    }

    /// Writes `output` of figure `number` (its diff image, its baseline's
    /// copy) and returns its path.
    pub fn figure_output(
        &self,
        output: FigureOutput,
        number: usize,
        name: &str,
        png: &[u8],
    ) -> io::Result<PathBuf> {
        self.put(&self.inner.dir, &figure_file(output, number, name), png)
    }

    /// Writes `<name>.png` in a folder of baselines (this folder being one),
    /// creating the folder if need be, and returns its path.
    pub fn baseline(&self, name: &str, png: &[u8]) -> io::Result<PathBuf> {
        std::fs::create_dir_all(&self.inner.dir)?;
        self.put(&self.inner.dir, &format!("{name}.png"), png)
    }

    /// Writes `output` and returns its path.
    pub fn write(&self, output: Output, bytes: &[u8]) -> io::Result<PathBuf> {
        self.put(&self.inner.dir, output.file_name(), bytes)
    }

    /// Starts `output` for writing in parts, as the demo is; it takes its
    /// name only when [`Staged::commit`] is called, and an abandoned one
    /// leaves nothing.
    pub fn create(&self, output: Output) -> io::Result<Staged> {
        self.stage(&self.inner.dir, output.file_name())
    }

    /// Writes `bytes` as `dir/name`, through a temporary file.
    fn put(&self, dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
        let mut staged = self.stage(dir, name)?;
        staged.write_all(bytes)?;
        staged.commit()
    }

    fn stage(&self, dir: &Path, name: &str) -> io::Result<Staged> {
        plain_name(name)?;
        let number = self.inner.temps.fetch_add(1, Ordering::Relaxed);
        // Short and fixed, so any name the file system takes has one.
        let temp = dir.join(format!(".docent-{}-{number}.tmp", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        Ok(Staged {
            file: Some(file),
            temp,
            path: dir.join(name),
        })
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
        self.put(&dir, &format!("{number:05}.png"), png)
    }

    /// Removes the spooled frames (best effort: a frame left behind is
    /// removed by the next run's [`Folder::prepare`]).
    pub fn clear_frames(&self) {
        let _ = std::fs::remove_dir_all(self.inner.dir.join(FRAMES));
    }
}

/// A file being written under a temporary name in the folder.
#[derive(Debug)]
pub struct Staged {
    file: Option<std::fs::File>,
    temp: PathBuf,
    path: PathBuf,
}

impl Staged {
    /// Gives the file its name, replacing whatever had it (a symlink
    /// itself, not what it points to), and returns its path.
    pub fn commit(mut self) -> io::Result<PathBuf> {
        if let Some(mut file) = self.file.take() {
            let renamed = file
                .flush()
                .and_then(|()| std::fs::rename(&self.temp, &self.path));
            if let Err(e) = renamed {
                let _ = std::fs::remove_file(&self.temp);
                return Err(e);
            }
        }
        Ok(self.path.clone())
    }
}

impl Write for Staged {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(file) => file.write(bytes),
            None => Err(io::Error::other("the file was committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(file) => file.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for Staged {
    /// An abandoned file (an error midway) leaves no temporary behind.
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Refuses a name that is not one plain file name: no folder separator,
/// not `.` or `..`, and no longer than file systems allow.
fn plain_name(name: &str) -> io::Result<()> {
    let plain = !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && name.len() <= 255;
    if plain {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("\"{name}\" is not a plain file name of at most 255 bytes"),
        ))
    }
}

/// The folder a runbook's outputs go in, below `screenshots/` or, with
/// several runbooks, below `--out`: its file's stem, made one plain,
/// visible folder name. A stem such as `..` (from `...yaml`) or `.hidden`
/// must not put the run's files above or beside the folder meant for them.
pub fn run_folder_name(stem: &str) -> String {
    let name: String = stem
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .collect();
    let name = name.trim_start_matches('.');
    if name.is_empty() {
        "runbook".to_string()
    } else {
        name.chars().take(100).collect()
    }
}

/// The file name of figure `number`.
#[cfg(test)]
fn figure_name(number: usize, name: &str) -> String {
    figure_file(FigureOutput::Figure, number, name)
}

/// The file name of `output` of figure `number`.
fn figure_file(output: FigureOutput, number: usize, name: &str) -> String {
    format!("{number:02}-{name}{}", output.suffix())
}

/// Whether `name` is a figure's file name, or the name of a file left for
/// a figure: two digits or more, a dash, a name, `.png`.
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
            for output in [FigureOutput::Diff, FigureOutput::Baseline] {
                let file = figure_file(output, number, name);
                assert!(is_figure(&file), "{file}: an earlier run's is removed too");
            }
        }
        assert_eq!(
            figure_file(FigureOutput::Diff, 3, "configure"),
            "03-configure.diff.png"
        );
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

    /// The folder's entries, sorted, hidden ones included.
    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_symlink_in_the_folder_is_replaced_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("precious.txt");
        std::fs::write(&outside, "keep me").unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        for name in ["report.html", "results.json", "01-login.png"] {
            std::os::unix::fs::symlink(&outside, out.join(name)).unwrap();
        }

        let folder = Folder::new(&out);
        folder.write(Output::Report, b"<p>report").unwrap();
        folder.write(Output::Results, b"{}").unwrap();
        folder.figure(1, "login", b"png").unwrap();

        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep me");
        for name in ["report.html", "results.json", "01-login.png"] {
            let meta = std::fs::symlink_metadata(out.join(name)).unwrap();
            assert!(meta.is_file(), "{name} is a file of its own now");
        }
        assert_eq!(
            std::fs::read_to_string(out.join("report.html")).unwrap(),
            "<p>report"
        );
        assert_eq!(
            entries(&out),
            ["01-login.png", "report.html", "results.json"],
            "no temporary file is left"
        );
    }

    #[test]
    fn a_file_written_in_parts_appears_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::new(dir.path());
        folder.write(Output::Demo, b"earlier run").unwrap();

        let mut staged = folder.create(Output::Demo).unwrap();
        staged.write_all(b"GIF89a").unwrap();
        assert_eq!(
            std::fs::read(folder.file(Output::Demo)).unwrap(),
            b"earlier run",
            "readers see the old file until the new one is whole"
        );
        staged.commit().unwrap();
        assert_eq!(std::fs::read(folder.file(Output::Demo)).unwrap(), b"GIF89a");

        let mut abandoned = folder.create(Output::Demo).unwrap();
        abandoned.write_all(b"half").unwrap();
        drop(abandoned);
        assert_eq!(entries(dir.path()), ["demo.gif"]);
        assert_eq!(std::fs::read(folder.file(Output::Demo)).unwrap(), b"GIF89a");
    }

    #[test]
    fn a_name_that_would_leave_the_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::new(dir.path().join("out"));
        folder.prepare().unwrap();
        let long = "x".repeat(300);
        for name in ["../escape", "a/b", "/tmp/escape", long.as_str()] {
            let error = folder.figure(1, name, b"png").map(|_| ()).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{name}");
        }
        assert!(!dir.path().join("escape.png").exists());
        assert_eq!(entries(&dir.path().join("out")), Vec::<String>::new());
    }

    #[test]
    fn a_runbook_folder_name_stays_below_its_parent() {
        assert_eq!(run_folder_name("mtd-create-tracker"), "mtd-create-tracker");
        assert_eq!(run_folder_name(".."), "runbook");
        assert_eq!(run_folder_name("."), "runbook");
        assert_eq!(run_folder_name(""), "runbook");
        assert_eq!(run_folder_name(".hidden"), "hidden");
        assert_eq!(run_folder_name("a/b"), "a-b");
        assert_eq!(run_folder_name(&"x".repeat(300)).len(), 100);
    }
}

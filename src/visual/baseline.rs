//! Baselines: the approved image of each compared figure, kept with the
//! runbook (`<runbook's folder>/baselines/<runbook>/<browser>/<name>.png`)
//! so that they are reviewed and versioned with it, one set per browser
//! since no two browsers rasterise text alike. [`check`] decides what one
//! figure's comparison comes to — it matches, it differs, its baseline is
//! missing or was (re)written — and leaves the wording and the files of
//! the run's folder to the engine.

use super::diff::{self, Diff, Rect, SizeMismatch, Tolerance};
use crate::folder::{Folder, run_folder_name};
use crate::runbook::CompareLimits;
use image::RgbaImage;
use std::io;
use std::path::{Path, PathBuf};

/// The folder a runbook's baselines for one browser live in:
/// `baselines/<runbook file stem>/<browser>/` beside the runbook.
pub fn folder_of(runbook: &Path, id: &str, browser: &str) -> PathBuf {
    // A runbook named without a folder has the empty path as its parent,
    // which leaves `baselines/…` relative to where docent runs.
    let beside = runbook.parent().unwrap_or(Path::new(""));
    beside
        .join("baselines")
        .join(run_folder_name(id))
        .join(run_folder_name(browser))
}

/// What the command line asks of baselines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Approval {
    /// `--update-baselines`: a figure that differs becomes its baseline.
    pub update: bool,
    /// `--ci`: a missing baseline fails rather than being written.
    pub ci: bool,
}

/// What comparing one figure came to.
#[derive(Debug)]
pub enum Check {
    /// Within the limits; the comparison says how many pixels changed
    /// (none for an exact match) and where.
    Matched { path: PathBuf, diff: Diff },
    /// The figure became its baseline: there was none (`new`), or it
    /// differed and `--update-baselines` approved it.
    Written { path: PathBuf, new: bool },
    /// There is no baseline, and under `--ci` none is written.
    Missing { path: PathBuf },
    /// Beyond the limits: the comparison, the two images and where the
    /// baseline is.
    Differs {
        path: PathBuf,
        diff: Diff,
        baseline: RgbaImage,
        actual: RgbaImage,
    },
    /// The figure and its baseline are not the same size.
    Resized {
        path: PathBuf,
        mismatch: SizeMismatch,
    },
}

/// Why a figure could not be compared at all.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("the figure is not a PNG image docent can read: {0}")]
    Figure(image::ImageError),
    #[error("the baseline {} cannot be read: {error}", path.display())]
    Baseline {
        path: PathBuf,
        error: image::ImageError,
    },
    #[error("the baseline {} cannot be written: {error}", path.display())]
    Write { path: PathBuf, error: io::Error },
}

/// Compares figure `name` (its PNG) with its baseline in `baselines`,
/// leaving the `ignored` areas out, writing the baseline when there is none
/// (unless `--ci`) or when it differs and `--update-baselines` approves.
pub fn check(
    baselines: &Folder,
    name: &str,
    png: &[u8],
    ignored: &[Rect],
    limits: &CompareLimits,
    approval: Approval,
) -> Result<Check, CheckError> {
    let path = baselines.path().join(format!("{name}.png"));
    let write = |new: bool| match baselines.baseline(name, png) {
        Ok(path) => Ok(Check::Written { path, new }),
        Err(error) => Err(CheckError::Write {
            path: path.clone(),
            error,
        }),
    };
    let stored = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return if approval.ci && !approval.update {
                Ok(Check::Missing { path })
            } else {
                write(true)
            };
        }
        Err(error) => {
            return Err(CheckError::Baseline {
                path,
                error: image::ImageError::IoError(error),
            });
        }
    };
    let actual = decode(png).map_err(CheckError::Figure)?;
    let baseline = match decode(&stored) {
        Ok(image) => image,
        // A baseline that cannot be read is replaced when approving.
        Err(_) if approval.update => return write(false),
        Err(error) => return Err(CheckError::Baseline { path, error }),
    };
    let tolerance = Tolerance {
        threshold: limits.threshold(),
        ..Tolerance::default()
    };
    match diff::compare(&baseline, &actual, ignored, tolerance) {
        Ok(diff) if limits.allows(diff.changed, diff.compared) => Ok(Check::Matched { path, diff }),
        _ if approval.update => write(false),
        Ok(diff) => Ok(Check::Differs {
            path,
            diff,
            baseline,
            actual,
        }),
        Err(mismatch) => Ok(Check::Resized { path, mismatch }),
    }
}

fn decode(png: &[u8]) -> Result<RgbaImage, image::ImageError> {
    Ok(image::load_from_memory_with_format(png, image::ImageFormat::Png)?.to_rgba8())
}

/// Encodes an image as PNG, for the diff image and the baseline's copy.
pub fn encode(image: &RgbaImage) -> Result<Vec<u8>, image::ImageError> {
    let mut out = io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png)?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baselines_live_beside_the_runbook() {
        assert_eq!(
            folder_of(
                Path::new("runbooks/mtd-create-tracker.yaml"),
                "mtd-create-tracker",
                "chromium"
            ),
            Path::new("runbooks/baselines/mtd-create-tracker/chromium")
        );
        assert_eq!(
            folder_of(Path::new("t.yaml"), "t", "firefox"),
            Path::new("baselines/t/firefox")
        );
        assert_eq!(
            folder_of(Path::new("a/..yaml"), "..", "../x"),
            Path::new("a/baselines/runbook/-x")
        );
    }
}

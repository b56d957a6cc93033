//! Comparing a figure with its baseline and saying what came of it: a note
//! when it matches or its baseline was written, a failure of kind `visual`
//! when not (with the diff image and the baseline's copy beside the
//! figure), and for every outcome a [`Event::FigureCompared`] with the
//! numbers and files, so reports can show the comparison and not only its
//! words.

use super::super::actions::StepResult;
use super::super::compared::{Comparison, Verdict, percent};
use super::super::{Engine, Event, FailureKind, StepError, StepFailure};
use crate::browser::Page;
use crate::folder::{FigureOutput, Folder};
use crate::runbook::CompareLimits;
use crate::visual::baseline::{self, Check};
use crate::visual::diff::Rect;
use std::path::Path;
use std::time::Duration;

/// The most changed regions a failure lists; the diff image shows them all.
const REGIONS_LISTED: usize = 5;

/// The figure being compared, as the run's folder holds it.
#[derive(Debug, Clone, Copy)]
pub(in crate::engine) struct Figure<'a> {
    pub number: usize,
    pub name: &'a str,
    /// The figure's file in the run's folder.
    pub path: &'a Path,
    pub png: &'a [u8],
}

impl<P: Page> Engine<'_, P> {
    /// Compares a figure with its baseline: a note when it matches or its
    /// baseline was written, a failure of kind `visual` (with the diff
    /// image and the baseline's copy beside the figure) when not; reports
    /// hear of it through [`Event::FigureCompared`] either way.
    pub(in crate::engine) fn compare_figure(
        &mut self,
        figure: Figure<'_>,
        ignored: &[Rect],
        limits: &CompareLimits,
    ) -> StepResult {
        let Figure {
            number, name, png, ..
        } = figure;
        let dir = match &self.options.visual.baselines {
            Some(dir) => dir.clone(),
            None => baseline::folder_of(
                &self.runbook.path,
                &self.runbook.id,
                &self.options.visual.browser,
            ),
        };
        let visual = |looked_for: String, found: String| {
            StepError::Failed(StepFailure {
                kind: FailureKind::Visual,
                looked_for,
                found,
                waited: Duration::ZERO,
            })
        };
        let check = baseline::check(
            &Folder::new(dir),
            name,
            png,
            ignored,
            limits,
            self.options.visual.approval,
        )
        .map_err(|e| {
            // A baseline that cannot be written is the file system's
            // fault; one that cannot be read is the figure's own trouble.
            let kind = match e {
                baseline::CheckError::Write { .. } => FailureKind::Io,
                _ => FailureKind::Visual,
            };
            StepError::Failed(StepFailure {
                kind,
                looked_for: format!("to compare figure {name} with its baseline"),
                found: e.to_string(),
                waited: Duration::ZERO,
            })
        })?;
        let (comparison, result) = match check {
            Check::Matched { path, diff } => {
                let changed = diff.changed;
                let comparison = Comparison {
                    changed_pixels: Some(changed),
                    changed_ratio: Some(diff.ratio()),
                    regions: diff.regions,
                    ..Comparison::of(Verdict::Matched, path, limits)
                };
                let note = (changed > 0).then(|| {
                    format!(
                        "matches its baseline: {changed} pixel{} changed, within its limits",
                        plural(changed)
                    )
                });
                (comparison, Ok(note))
            }
            Check::Written { path, new: true } => {
                let note = format!("new baseline written: {}", path.display());
                let comparison = Comparison::of(Verdict::NewBaseline, path, limits);
                (comparison, Ok(Some(note)))
            }
            Check::Written { path, new: false } => {
                let note = format!("baseline updated: {}", path.display());
                let comparison = Comparison::of(Verdict::BaselineUpdated, path, limits);
                (comparison, Ok(Some(note)))
            }
            Check::Missing { path } => {
                let error = visual(
                    format!("figure {name} to have a baseline"),
                    format!(
                        "there is no {}; run `docent run --update-baselines` (without --ci) to write it, then review and commit it",
                        path.display()
                    ),
                );
                (Comparison::of(Verdict::Missing, path, limits), Err(error))
            }
            Check::Resized { path, mismatch } => {
                let error = visual(
                    format!("figure {name} to match its baseline {}", path.display()),
                    mismatch.to_string(),
                );
                (
                    Comparison::of(Verdict::SizeDiffers, path, limits),
                    Err(error),
                )
            }
            Check::Differs {
                path,
                diff,
                baseline,
                actual,
            } => {
                let folder = &self.options.folder;
                let saved = baseline::encode(&diff.image(&actual)).ok().and_then(|png| {
                    folder
                        .figure_output(FigureOutput::Diff, number, name, &png)
                        .ok()
                });
                let copy = baseline::encode(&baseline).ok().and_then(|png| {
                    folder
                        .figure_output(FigureOutput::Baseline, number, name, &png)
                        .ok()
                });
                let mut found = changes(diff.changed, diff.ratio(), &diff.regions);
                if let Some(saved) = &saved {
                    // A line of its own under `found:`, as the diagnosis lays out.
                    found.push_str(&format!("\n  diff image: {}", saved.display()));
                }
                let error = visual(
                    format!("figure {name} to match its baseline {}", path.display()),
                    found,
                );
                let comparison = Comparison {
                    changed_pixels: Some(diff.changed),
                    changed_ratio: Some(diff.ratio()),
                    regions: diff.regions,
                    diff_image: saved,
                    baseline_copy: copy,
                    ..Comparison::of(Verdict::Differs, path, limits)
                };
                (comparison, Err(error))
            }
        };
        self.reporter.event(&Event::FigureCompared {
            path: figure.path.to_path_buf(),
            name: name.to_string(),
            comparison,
        });
        result
    }
}

/// "1234 pixels changed (0.12%) in 2 regions: 10,20 30×40; 200,16 8×8".
fn changes(changed: u64, ratio: f64, regions: &[Rect]) -> String {
    let share = percent(ratio);
    let mut listed: Vec<String> = regions
        .iter()
        .take(REGIONS_LISTED)
        .map(|r| format!("{},{} {}×{}", r.x, r.y, r.width, r.height))
        .collect();
    if regions.len() > REGIONS_LISTED {
        listed.push(format!("and {} more", regions.len() - REGIONS_LISTED));
    }
    format!(
        "{changed} pixel{} changed ({share}%) in {} region{}: {}",
        plural(changed),
        regions.len(),
        plural(regions.len() as u64),
        listed.join("; ")
    )
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_lists_a_few_regions_and_a_tiny_share_is_not_zero() {
        let regions: Vec<Rect> = (0..7)
            .map(|i| Rect {
                x: i * 100,
                y: 5,
                width: 3,
                height: 2,
            })
            .collect();
        assert_eq!(
            changes(42, 0.00004, &regions),
            "42 pixels changed (<0.01%) in 7 regions: 0,5 3×2; 100,5 3×2; 200,5 3×2; 300,5 3×2; 400,5 3×2; and 2 more"
        );
        assert_eq!(
            changes(1, 0.5, &regions[..1]),
            "1 pixel changed (50.00%) in 1 region: 0,5 3×2"
        );
    }
}

//! What comparing one figure with its baseline came to, as the
//! [`Event::FigureCompared`](super::Event::FigureCompared) event carries it
//! to every output: the verdict, how much changed and where, the limits
//! that applied, and the files that show it (the baseline with the
//! runbook; the diff image and the baseline's copy in the run's folder).
//! The terminal keeps telling it as a note or a failure of kind `visual`;
//! this is the same outcome in a form a report can lay out.

use crate::runbook::CompareLimits;
use crate::visual::diff::Rect;
use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// The verdict of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Within the limits (possibly with a few pixels changed).
    Matched,
    /// There was no baseline; the figure became it.
    NewBaseline,
    /// It differed and `--update-baselines` made it the baseline.
    BaselineUpdated,
    /// There is no baseline and `--ci` kept one from being written.
    Missing,
    /// Beyond the limits.
    Differs,
    /// The figure and its baseline are not the same size.
    SizeDiffers,
}

impl Verdict {
    /// Whether the comparison fails its step.
    pub fn fails(self) -> bool {
        matches!(
            self,
            Verdict::Missing | Verdict::Differs | Verdict::SizeDiffers
        )
    }

    /// A few words for a report (`matches baseline`, `new baseline`).
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Matched => "matches baseline",
            Verdict::NewBaseline => "new baseline",
            Verdict::BaselineUpdated => "baseline updated",
            Verdict::Missing => "no baseline",
            Verdict::Differs => "differs from baseline",
            Verdict::SizeDiffers => "size differs from baseline",
        }
    }
}

/// The limits a comparison applied, the colour threshold resolved to the
/// one in effect.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AppliedLimits {
    /// How many pixels may change; `null` for no such limit.
    pub max_diff_pixels: Option<u64>,
    /// What share of the pixels (0 to 1) may change; `null` for no such limit.
    pub max_diff_ratio: Option<f64>,
    /// How different (0 to 1) two colours must look to count as a change.
    pub threshold: f64,
}

impl From<&CompareLimits> for AppliedLimits {
    fn from(limits: &CompareLimits) -> Self {
        AppliedLimits {
            max_diff_pixels: limits.max_diff_pixels,
            max_diff_ratio: limits.max_diff_ratio,
            threshold: limits.threshold(),
        }
    }
}

/// `at most 100 pixels may change, colour threshold 0.1`, as reports
/// word the limits.
impl fmt::Display for AppliedLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(pixels) = self.max_diff_pixels {
            parts.push(format!("at most {pixels} pixels"));
        }
        if let Some(ratio) = self.max_diff_ratio {
            parts.push(format!("at most {}% of the pixels", ratio * 100.0));
        }
        if parts.is_empty() {
            parts.push("no pixel".into());
        }
        write!(
            f,
            "{} may change, colour threshold {}",
            parts.join(" and "),
            self.threshold
        )
    }
}

/// A share of pixels (0 to 1) as a percentage with two decimals (`0.12`);
/// a tiny share reads `<0.01`, never zero.
pub fn percent(ratio: f64) -> String {
    match ratio * 100.0 {
        p if p > 0.0 && p < 0.01 => "<0.01".to_string(),
        p => format!("{p:.2}"),
    }
}

/// One figure's comparison with its baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub outcome: Verdict,
    /// The baseline, where it lives with the runbook.
    pub baseline: PathBuf,
    /// How many pixels changed; `null` when the images were not compared
    /// pixel by pixel (no baseline, a new or updated one, another size).
    pub changed_pixels: Option<u64>,
    /// The changed pixels' share of the pixels compared (0 to 1).
    pub changed_ratio: Option<f64>,
    /// Boxes around the changed pixels, in the figure's pixels.
    pub regions: Vec<Rect>,
    pub limits: AppliedLimits,
    /// The diff image in the run's folder, when it was written.
    pub diff_image: Option<PathBuf>,
    /// The copy of the baseline in the run's folder, when it was written.
    pub baseline_copy: Option<PathBuf>,
}

impl Comparison {
    /// A comparison with nothing measured and no files of the run's.
    pub fn of(outcome: Verdict, baseline: PathBuf, limits: &CompareLimits) -> Comparison {
        Comparison {
            outcome,
            baseline,
            changed_pixels: None,
            changed_ratio: None,
            regions: Vec::new(),
            limits: limits.into(),
            diff_image: None,
            baseline_copy: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_shares_read_as_a_person_would_say_them() {
        let limits = |max_diff_pixels, max_diff_ratio| AppliedLimits {
            max_diff_pixels,
            max_diff_ratio,
            threshold: 0.1,
        };
        assert_eq!(
            limits(None, None).to_string(),
            "no pixel may change, colour threshold 0.1"
        );
        assert_eq!(
            limits(Some(100), Some(0.005)).to_string(),
            "at most 100 pixels and at most 0.5% of the pixels may change, colour threshold 0.1"
        );
        assert_eq!(percent(0.0012), "0.12");
        assert_eq!(percent(0.000_01), "<0.01");
        assert_eq!(percent(0.0), "0.00");
    }
}

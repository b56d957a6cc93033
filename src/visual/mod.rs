//! Visual regression: comparing the figures a run captures with approved
//! baselines. [`diff`] is the pixel comparison itself, with its tolerance
//! for colour shifts and anti-aliasing and the boxes round what changed;
//! [`baseline`] is where baselines live and what comparing a figure with
//! its own comes to.

pub mod baseline;
pub mod diff;

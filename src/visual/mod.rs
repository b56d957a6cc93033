//! Visual regression: comparing the figures a run captures with approved
//! baselines. [`diff`] is the pixel comparison itself, with its tolerance
//! for colour shifts and anti-aliasing and the boxes round what changed.

pub mod diff;

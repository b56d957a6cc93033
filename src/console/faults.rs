//! Fault knobs of the simulated console: added API latency with jitter, toast lifetime, the
//! probability that a write fails, and the length of UI animations. They exist so that docent's
//! auto-waiting, toast recording and failure reporting are exercised against a console that is
//! slow, flaky and animated on purpose. The knobs start from `Config` and can be read and changed
//! while the server runs through `GET`/`PUT /api/_faults`. Randomness comes from a tiny xorshift
//! generator, which is plenty for jitter, failure rolls and session ids in a simulator.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// Current values of the knobs, as `GET /api/_faults` reports them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Faults {
    pub latency_ms: u64,
    pub jitter_ms: u64,
    pub toast_ms: u64,
    pub failure_rate: f64,
    pub animation_ms: u64,
    pub drift: Drift,
}

/// A deliberate visual change the console can render, so that comparing figures with their
/// baselines is tested against a real regression: one label reworded, or one colour shifted,
/// in one place (the tracker list), while everything a runbook reads or clicks stays the same.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Drift {
    /// The console as it should look.
    #[default]
    None,
    /// The tracker list's footer reads "Total records" for "Total Records".
    Label,
    /// The tracker list's status badge is drawn in another green.
    Colour,
}

/// Body of `PUT /api/_faults`: every field is optional, absent ones keep their value.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultsUpdate {
    pub latency_ms: Option<u64>,
    pub jitter_ms: Option<u64>,
    pub toast_ms: Option<u64>,
    pub failure_rate: Option<f64>,
    pub animation_ms: Option<u64>,
    pub drift: Option<Drift>,
}

/// Knob values beyond these would only hang runs or browsers, so they are refused.
const MAX_MS: u64 = 10 * 60 * 1000;

impl Faults {
    /// Checks that the knobs make sense before the server uses them.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.failure_rate.is_finite() && (0.0..=1.0).contains(&self.failure_rate)) {
            return Err(format!(
                "failure_rate must be between 0 and 1, not {}",
                self.failure_rate
            ));
        }
        for (name, value) in [
            ("latency_ms", self.latency_ms),
            ("jitter_ms", self.jitter_ms),
            ("toast_ms", self.toast_ms),
            ("animation_ms", self.animation_ms),
        ] {
            if value > MAX_MS {
                return Err(format!("{name} must be at most {MAX_MS}, not {value}"));
            }
        }
        Ok(())
    }

    /// Applies an update only if the result is valid, so a bad request leaves the knobs alone.
    pub fn apply(&mut self, update: &FaultsUpdate) -> Result<(), String> {
        let mut next = *self;
        next.latency_ms = update.latency_ms.unwrap_or(next.latency_ms);
        next.jitter_ms = update.jitter_ms.unwrap_or(next.jitter_ms);
        next.toast_ms = update.toast_ms.unwrap_or(next.toast_ms);
        next.failure_rate = update.failure_rate.unwrap_or(next.failure_rate);
        next.animation_ms = update.animation_ms.unwrap_or(next.animation_ms);
        next.drift = update.drift.unwrap_or(next.drift);
        next.validate()?;
        *self = next;
        Ok(())
    }

    /// How long this API call waits before answering: the latency plus 0..=jitter.
    pub fn delay(&self, rng: &mut XorShift) -> Duration {
        let jitter = if self.jitter_ms == 0 {
            0
        } else {
            rng.below(self.jitter_ms + 1)
        };
        Duration::from_millis(self.latency_ms + jitter)
    }

    /// Whether this write should fail with "Operation failed.".
    pub fn roll_failure(&self, rng: &mut XorShift) -> bool {
        // Exact ends so that 0 never and 1 always fails, whatever the generator yields.
        if self.failure_rate <= 0.0 {
            false
        } else if self.failure_rate >= 1.0 {
            true
        } else {
            rng.next_f64() < self.failure_rate
        }
    }
}

/// xorshift64* — small, fast and good enough for jitter and unguessable-enough session ids in a
/// local simulator (not for anything security-relevant).
#[derive(Debug, Clone)]
pub struct XorShift {
    state: u64,
}

impl XorShift {
    pub fn new(seed: u64) -> XorShift {
        // The state must never be zero, or the generator only ever yields zero.
        XorShift {
            state: if seed == 0 {
                0x9E37_79B9_7F4A_7C15
            } else {
                seed
            },
        }
    }

    /// Seeded from the clock and the process id, so two consoles started together differ.
    pub fn from_time() -> XorShift {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let mut rng = XorShift::new(nanos ^ (u64::from(std::process::id()) << 32));
        // Discard a few outputs: nearby seeds give correlated first values.
        for _ in 0..8 {
            rng.next_u64();
        }
        rng
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform-ish in `0..bound` (the modulo bias is irrelevant at these sizes).
    pub fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 {
            0
        } else {
            self.next_u64() % bound
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn knobs() -> Faults {
        Faults {
            latency_ms: 150,
            jitter_ms: 0,
            toast_ms: 2000,
            failure_rate: 0.0,
            animation_ms: 200,
            drift: Drift::None,
        }
    }

    #[test]
    fn delay_stays_within_latency_and_jitter() {
        let mut rng = XorShift::new(1);
        let mut faults = knobs();
        assert_eq!(faults.delay(&mut rng), Duration::from_millis(150));
        faults.jitter_ms = 50;
        for _ in 0..1000 {
            let delay = faults.delay(&mut rng).as_millis();
            assert!((150..=200).contains(&delay), "{delay}");
        }
    }

    #[test]
    fn failure_rate_ends_are_exact_and_middle_is_roughly_right() {
        let mut rng = XorShift::new(99);
        let mut faults = knobs();
        assert!((0..1000).all(|_| !faults.roll_failure(&mut rng)));
        faults.failure_rate = 1.0;
        assert!((0..1000).all(|_| faults.roll_failure(&mut rng)));
        faults.failure_rate = 0.5;
        let failures = (0..10_000)
            .filter(|_| faults.roll_failure(&mut rng))
            .count();
        assert!((4000..6000).contains(&failures), "{failures}");
    }

    #[test]
    fn updates_are_partial_and_validated() {
        let mut faults = knobs();
        faults
            .apply(&FaultsUpdate {
                latency_ms: Some(0),
                failure_rate: Some(0.25),
                ..FaultsUpdate::default()
            })
            .unwrap();
        assert_eq!(faults.latency_ms, 0);
        assert_eq!(faults.failure_rate, 0.25);
        assert_eq!(faults.toast_ms, 2000);
        let before = faults;
        for bad in [1.5, -0.1, f64::NAN] {
            let update = FaultsUpdate {
                latency_ms: Some(5),
                failure_rate: Some(bad),
                ..FaultsUpdate::default()
            };
            assert!(faults.apply(&update).is_err());
            assert_eq!(faults, before);
        }
        assert!(
            faults
                .apply(&FaultsUpdate {
                    toast_ms: Some(MAX_MS + 1),
                    ..FaultsUpdate::default()
                })
                .is_err()
        );
    }

    #[test]
    fn generator_never_sticks_at_zero() {
        let mut rng = XorShift::new(0);
        assert_ne!(rng.next_u64(), 0);
        let mut values: Vec<u64> = (0..100).map(|_| rng.next_u64()).collect();
        values.sort_unstable();
        values.dedup();
        assert_eq!(values.len(), 100);
        assert!((0..1000).all(|_| rng.next_f64() < 1.0));
    }
}

//! How long the generated campaigns run, and from which seed: a fixed time
//! each, so the fuzzing costs CI the same whatever the machine (a slower or
//! busier one tries fewer cases, never takes longer), and a seed that is
//! new on every run, so runs add up to more inputs, and printed, so any run
//! can be repeated case for case.
//!
//! - `DOCENT_FUZZ_SECONDS`: the time of each campaign (default
//!   [`DEFAULT_SECONDS`]; each still tries at least [`MIN_CASES`]).
//! - `DOCENT_FUZZ_CASES`: a fixed number of cases per campaign instead of a
//!   time, to repeat a failure found at a given case.
//! - `DOCENT_FUZZ_SEED`: the seed (decimal or `0x` hexadecimal).

use super::rng::Rng;
use std::io::Write;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

/// Seconds per campaign unless `DOCENT_FUZZ_SECONDS` says otherwise. The
/// four generated campaigns run side by side under `make test`, so the
/// fuzzing adds about this much (plus the fixed cases) to it.
pub(crate) const DEFAULT_SECONDS: f64 = 8.0;

/// The fewest cases a timed campaign tries, however busy the machine.
pub(crate) const MIN_CASES: usize = 500;

/// When a campaign stops.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Limit {
    Time(Duration),
    Cases(usize),
}

pub(crate) struct Budget {
    pub(crate) seed: u64,
    pub(crate) limit: Limit,
}

impl Budget {
    /// The generator of one campaign: its own stream of the run's seed.
    pub(crate) fn rng(&self, campaign: u64) -> Rng {
        let mut mix = Rng::new(self.seed ^ campaign.wrapping_mul(0xA076_1D64_78BD_642F));
        Rng::new(mix.next_u64())
    }

    /// Whether a campaign that has tried `cases` for `elapsed` goes on.
    pub(crate) fn more(&self, cases: usize, elapsed: Duration) -> bool {
        match self.limit {
            Limit::Time(time) => cases < MIN_CASES || elapsed < time,
            Limit::Cases(limit) => cases < limit,
        }
    }

    /// How to repeat a run up to its case `case`.
    pub(crate) fn repeat(&self, case: usize) -> String {
        format!("DOCENT_FUZZ_SEED={:#x} DOCENT_FUZZ_CASES={case}", self.seed)
    }
}

/// The run's budget, read from the environment once; the first call prints
/// the seed.
pub(crate) fn budget() -> &'static Budget {
    static BUDGET: OnceLock<Budget> = OnceLock::new();
    BUDGET.get_or_init(|| {
        let seed = match std::env::var("DOCENT_FUZZ_SEED") {
            Ok(text) => parse_seed(&text)
                .unwrap_or_else(|| panic!("DOCENT_FUZZ_SEED={text:?} is not a number")),
            Err(_) => fresh_seed(),
        };
        let limit = match std::env::var("DOCENT_FUZZ_CASES") {
            Ok(text) => Limit::Cases(
                text.parse()
                    .unwrap_or_else(|_| panic!("DOCENT_FUZZ_CASES={text:?} is not a count")),
            ),
            Err(_) => {
                let seconds = match std::env::var("DOCENT_FUZZ_SECONDS") {
                    Ok(text) => text
                        .parse::<f64>()
                        .ok()
                        .filter(|s| s.is_finite() && *s >= 0.0)
                        .unwrap_or_else(|| {
                            panic!("DOCENT_FUZZ_SECONDS={text:?} is not a number of seconds")
                        }),
                    Err(_) => DEFAULT_SECONDS,
                };
                Limit::Time(Duration::from_secs_f64(seconds))
            }
        };
        let each = match limit {
            Limit::Time(time) => format!("{time:?} per campaign (DOCENT_FUZZ_SECONDS)"),
            Limit::Cases(cases) => format!("{cases} cases per campaign (DOCENT_FUZZ_CASES)"),
        };
        show(&format!(
            "loader fuzz: seed {seed:#x} (DOCENT_FUZZ_SEED={seed:#x} repeats it), {each}"
        ));
        Budget { seed, limit }
    })
}

/// Prints a line straight to the standard error, past the test harness's
/// capture, so the seed and the counts show in every run's log.
pub(crate) fn show(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn parse_seed(text: &str) -> Option<u64> {
    let text = text.trim();
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(&hex.replace('_', ""), 16).ok(),
        None => text.replace('_', "").parse().ok(),
    }
}

/// A seed no earlier run is likely to have had: the clock and the process.
fn fresh_seed() -> u64 {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default();
    Rng::new(now ^ (u64::from(std::process::id()) << 32)).next_u64()
}

#[test]
fn seeds_are_read_in_decimal_and_hexadecimal() {
    assert_eq!(parse_seed("42"), Some(42));
    assert_eq!(parse_seed(" 0x2A "), Some(42));
    assert_eq!(parse_seed("0x0DEC_E470"), Some(0x0DEC_E470));
    assert_eq!(parse_seed("forty-two"), None);
}

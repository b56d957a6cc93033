//! How steps and runs end, as typed values: a failure with its
//! [`FailureKind`], a pass with its note and the [`Attempt`] it passed on, a
//! skip with the `when:` that did not hold, and one [`Status`] for steps,
//! sections and runs. The engine builds these, events carry them, and every
//! reporter renders them through the `Display`s here, so no output ever has
//! to read another output's prose back.

use crate::runbook::duration::human;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use std::fmt;
use std::time::Duration;

/// What sort of failure a step met; `results.json` and `docent run --json`
/// carry it as `kind`, so a program can tell a slow page from a wrong one
/// without reading the prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The target was there but never became ready in time (covered,
    /// disabled, still visible, a switch that did not change).
    Timeout,
    /// What the step checks was there, with another text, value, state,
    /// URL or title than the step asked for.
    Mismatch,
    /// What the step waits for never showed: the target, a toast, a dialog,
    /// a window, an option.
    Missing,
    /// The target matched more than one element; docent never guesses.
    Ambiguous,
    /// Something `expect_absent` forbade showed up.
    Appeared,
    /// The console showed an error toast.
    ErrorToast,
    /// A dialog stood in the way: a native one blocking the page, or a
    /// page's own that the step did not answer.
    Dialog,
    /// The target is a control the page keeps disabled while at rest (a
    /// switch for a feature the region lacks); waiting would not help.
    Disabled,
    /// The target can never do what the step asks as written (an element
    /// that is not a frame, a switch or a field, a selector the browser
    /// rejects, a `goto` URL that a stored value gives another scheme than
    /// http or https).
    InvalidTarget,
    /// Every click was stopped because the page re-rendered something else
    /// under the pointer.
    Intercepted,
    /// A page could not be loaded.
    Navigation,
    /// What the step waited for never came because the console cannot be
    /// reached any more: a request to the page's server fails, or the
    /// browser shows its own error page.
    Unreachable,
    /// The step uses a value a `store` step was to keep, and that `store`
    /// did not run (its `when:` did not hold, or its optional section
    /// failed before it).
    Unset,
    /// A compared figure does not match its baseline (changed beyond its
    /// limits, or another size), or its baseline is missing under `--ci`.
    Visual,
    /// A file of the run could not be written.
    Io,
    /// The browser broke down during the step.
    Browser,
    /// The run reached its `--max-duration` during the step.
    MaxDuration,
}

impl FailureKind {
    /// Every kind, in the order `docs/results.md` lists them.
    pub const ALL: [FailureKind; 17] = [
        FailureKind::Timeout,
        FailureKind::Mismatch,
        FailureKind::Missing,
        FailureKind::Ambiguous,
        FailureKind::Appeared,
        FailureKind::ErrorToast,
        FailureKind::Dialog,
        FailureKind::Disabled,
        FailureKind::InvalidTarget,
        FailureKind::Intercepted,
        FailureKind::Navigation,
        FailureKind::Unreachable,
        FailureKind::Unset,
        FailureKind::Visual,
        FailureKind::Io,
        FailureKind::Browser,
        FailureKind::MaxDuration,
    ];

    /// Whether a failure of this kind may come from a console that cannot
    /// be reached: the page never showed what the step waited for, or
    /// showed an error instead.
    pub fn may_mean_unreachable(self) -> bool {
        matches!(
            self,
            FailureKind::Timeout
                | FailureKind::Mismatch
                | FailureKind::Missing
                | FailureKind::ErrorToast
        )
    }

    /// The word `kind` holds in the JSON outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Timeout => "timeout",
            FailureKind::Mismatch => "mismatch",
            FailureKind::Missing => "missing",
            FailureKind::Ambiguous => "ambiguous",
            FailureKind::Appeared => "appeared",
            FailureKind::ErrorToast => "error_toast",
            FailureKind::Dialog => "dialog",
            FailureKind::Disabled => "disabled",
            FailureKind::InvalidTarget => "invalid_target",
            FailureKind::Intercepted => "intercepted",
            FailureKind::Navigation => "navigation",
            FailureKind::Unreachable => "unreachable",
            FailureKind::Unset => "unset",
            FailureKind::Visual => "visual",
            FailureKind::Io => "io",
            FailureKind::Browser => "browser",
            FailureKind::MaxDuration => "max_duration",
        }
    }
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a step failed, in the terms the user needs to fix it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepFailure {
    pub kind: FailureKind,
    /// What the step was waiting for, e.g. `"Next" to be clickable`.
    pub looked_for: String,
    /// What the page had instead; it may span lines, laid out to follow
    /// the `found:` label of the diagnosis.
    pub found: String,
    /// How long it waited before giving up.
    #[serde(rename = "waited_ms", serialize_with = "millis")]
    pub waited: Duration,
}

/// `"Next" to be clickable: not found` on one line; with `{:#}`, the
/// diagnosis block every output prints under a failed step:
///
/// ```text
///   looked for: "Next" to be clickable
///   found:      not found
///   waited:     5.0s
/// ```
impl fmt::Display for StepFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            write!(
                f,
                "  looked for: {}\n  found:      {}\n  waited:     {}",
                self.looked_for,
                self.found,
                human(self.waited)
            )
        } else {
            write!(f, "{}: {}", self.looked_for, self.found)
        }
    }
}

/// Which try of a step or section this is, counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Attempt {
    #[serde(rename = "attempt")]
    pub number: u32,
    /// How many tries there are in all (`retry:` plus one).
    #[serde(rename = "attempts")]
    pub of: u32,
}

impl fmt::Display for Attempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "attempt {} of {}", self.number, self.of)
    }
}

/// What a passed step has to add: a detail of its own ("already on") and,
/// when it needed more than one try, the attempt it passed on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pass {
    pub note: Option<String>,
    pub attempt: Option<Attempt>,
}

impl Pass {
    /// A pass with a detail.
    pub fn noted(note: impl Into<String>) -> Pass {
        Pass {
            note: Some(note.into()),
            attempt: None,
        }
    }

    /// Whether there is nothing to add to "passed".
    pub fn is_plain(&self) -> bool {
        self.note.is_none() && self.attempt.is_none()
    }
}

/// `already on`, `passed on attempt 2 of 3`, or both joined by `; `.
impl fmt::Display for Pass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.note, &self.attempt) {
            (Some(note), Some(attempt)) => write!(f, "{note}; passed on {attempt}"),
            (Some(note), None) => f.write_str(note),
            (None, Some(attempt)) => write!(f, "passed on {attempt}"),
            (None, None) => Ok(()),
        }
    }
}

/// Written as `{"note": "…"}`, or nothing for a plain pass.
impl Serialize for Pass {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        if !self.is_plain() {
            map.serialize_entry("note", &self.to_string())?;
        }
        map.end()
    }
}

/// Why a step or section did not run.
#[derive(Debug, Clone, PartialEq)]
pub enum Skip {
    /// Its `when:` did not hold. The condition is kept as the runbook
    /// states it (`"Accept cookies" is visible`), as text, so masking a
    /// secret reaches every part of it, a pattern's source included.
    When { condition: String },
}

impl Skip {
    /// A skip for a `when:` that did not hold.
    pub fn when(condition: impl ToString) -> Skip {
        Skip::When {
            condition: condition.to_string(),
        }
    }

    /// How a skipped section gives its reason: `skipped: not (…)`.
    pub fn section_reason(&self) -> String {
        format!("skipped: {self}")
    }

    /// Masks the secrets in the text it holds.
    pub fn mask(&mut self, mask: &mut dyn FnMut(&str) -> String) {
        match self {
            Skip::When { condition } => *condition = mask(condition),
        }
    }
}

/// `not ("Accept cookies" is visible)`.
impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skip::When { condition } => write!(f, "not ({condition})"),
        }
    }
}

/// Written as `{"reason": "not (…)"}`.
impl Serialize for Skip {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("reason", &self.to_string())?;
        map.end()
    }
}

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// It did what it says.
    Passed(Pass),
    Failed(StepFailure),
    /// Its `when:` did not hold, so it did not run.
    Skipped(Skip),
    /// It failed, but it is `optional`, so the run goes on.
    Tolerated(StepFailure),
}

impl Outcome {
    /// A pass with nothing to add.
    pub fn passed() -> Outcome {
        Outcome::Passed(Pass::default())
    }

    pub fn status(&self) -> Status {
        match self {
            Outcome::Passed(_) => Status::Passed,
            Outcome::Failed(_) => Status::Failed,
            Outcome::Skipped(_) => Status::Skipped,
            Outcome::Tolerated(_) => Status::Tolerated,
        }
    }
}

/// Where a step, a section or a run stands, or how it ended: the one status
/// the record and every report use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not reached: the run stopped before it, or is still going.
    NotRun,
    Running,
    Passed,
    Failed,
    /// `when:` did not hold.
    Skipped,
    /// Failed but `optional`.
    Tolerated,
    /// The browser broke down (runs only).
    Broken,
    /// Ctrl-C or SIGTERM stopped it.
    Interrupted,
}

impl Status {
    /// The word `results.json` uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotRun => "not_run",
            Status::Running => "running",
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
            Status::Tolerated => "tolerated",
            Status::Broken => "broken",
            Status::Interrupted => "interrupted",
        }
    }
}

/// How a run ended, with what explains it: what the engine returns, what
/// [`super::Event::RunFinished`] tells, and what the exit code follows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", content = "reason", rename_all = "snake_case")]
pub enum RunStatus {
    Passed,
    /// A step failed; the run stopped there.
    Failed,
    /// The browser broke down; the run could not go on.
    Broken(String),
    /// Stopped by a signal ("Ctrl-C" or "SIGTERM").
    Interrupted(&'static str),
}

impl RunStatus {
    pub fn status(&self) -> Status {
        match self {
            RunStatus::Passed => Status::Passed,
            RunStatus::Failed => Status::Failed,
            RunStatus::Broken(_) => Status::Broken,
            RunStatus::Interrupted(_) => Status::Interrupted,
        }
    }

    /// Why the browser broke down, or the signal that stopped the run.
    pub fn reason(&self) -> Option<String> {
        match self {
            RunStatus::Passed | RunStatus::Failed => None,
            RunStatus::Broken(reason) => Some(reason.clone()),
            RunStatus::Interrupted(signal) => Some((*signal).to_string()),
        }
    }
}

/// Durations are written as milliseconds with a fraction.
pub(super) fn millis<S: Serializer>(duration: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((duration.as_secs_f64() * 1e6).round() / 1e3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(kind: FailureKind) -> StepFailure {
        StepFailure {
            kind,
            looked_for: "\"Next\" to be clickable".into(),
            found: "covered by <div.loading-mask>".into(),
            waited: Duration::from_millis(5_000),
        }
    }

    #[test]
    fn docs_results_md_explains_every_kind() {
        let doc = include_str!("../../docs/results.md");
        for kind in FailureKind::ALL {
            assert!(
                doc.contains(&format!("| `{kind}` |")),
                "docs/results.md has no row for the failure kind `{kind}`"
            );
        }
    }

    #[test]
    fn each_kind_displays_as_its_json_word() {
        for kind in FailureKind::ALL {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json.as_str(), Some(kind.to_string().as_str()));
        }
        let words: Vec<String> = FailureKind::ALL.iter().map(|k| k.to_string()).collect();
        assert_eq!(
            words,
            [
                "timeout",
                "mismatch",
                "missing",
                "ambiguous",
                "appeared",
                "error_toast",
                "dialog",
                "disabled",
                "invalid_target",
                "intercepted",
                "navigation",
                "unreachable",
                "unset",
                "visual",
                "io",
                "browser",
                "max_duration"
            ]
        );
    }

    #[test]
    fn a_failure_of_any_kind_reads_the_same_way() {
        for kind in FailureKind::ALL {
            let failure = failure(kind);
            assert_eq!(
                failure.to_string(),
                "\"Next\" to be clickable: covered by <div.loading-mask>"
            );
            assert_eq!(
                format!("{failure:#}"),
                "  looked for: \"Next\" to be clickable\n  found:      covered by <div.loading-mask>\n  waited:     5.0s"
            );
            let json = serde_json::to_value(&failure).unwrap();
            assert_eq!(json["kind"], kind.as_str());
            assert_eq!(json["waited_ms"], 5000.0);
        }
    }

    #[test]
    fn a_pass_tells_its_note_and_the_attempt_it_passed_on() {
        let attempt = Some(Attempt { number: 2, of: 3 });
        assert_eq!(Pass::default().to_string(), "");
        assert_eq!(Pass::noted("already on").to_string(), "already on");
        let retried = Pass {
            note: None,
            attempt,
        };
        assert_eq!(retried.to_string(), "passed on attempt 2 of 3");
        let both = Pass {
            note: Some("already on".into()),
            attempt,
        };
        assert_eq!(both.to_string(), "already on; passed on attempt 2 of 3");
        assert_eq!(
            serde_json::to_string(&Outcome::Passed(both)).unwrap(),
            r#"{"status":"passed","note":"already on; passed on attempt 2 of 3"}"#
        );
        assert_eq!(
            serde_json::to_string(&Outcome::passed()).unwrap(),
            r#"{"status":"passed"}"#
        );
    }

    #[test]
    fn a_skip_names_the_condition_that_did_not_hold() {
        let skip = Skip::when("\"Accept cookies\" is visible");
        assert_eq!(skip.to_string(), "not (\"Accept cookies\" is visible)");
        assert_eq!(
            skip.section_reason(),
            "skipped: not (\"Accept cookies\" is visible)"
        );
        assert_eq!(
            serde_json::to_string(&Outcome::Skipped(skip)).unwrap(),
            r#"{"status":"skipped","reason":"not (\"Accept cookies\" is visible)"}"#
        );
    }

    #[test]
    fn an_interrupted_run_is_interrupted_not_failed() {
        let run = RunStatus::Interrupted("SIGTERM");
        assert_eq!(run.status(), Status::Interrupted);
        assert_eq!(run.reason().as_deref(), Some("SIGTERM"));
        assert_eq!(
            serde_json::to_string(&run).unwrap(),
            r#"{"status":"interrupted","reason":"SIGTERM"}"#
        );
        assert_eq!(RunStatus::Failed.status(), Status::Failed);
        assert_eq!(
            RunStatus::Broken("gone".into()).reason().as_deref(),
            Some("gone")
        );
    }
}

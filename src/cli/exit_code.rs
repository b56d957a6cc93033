//! docent's exit codes: what each run's ending tells the shell, and which
//! one a command of several runbooks exits with.

use crate::engine::RunStatus;

/// How docent tells the shell what happened, as documented in the README.
/// The order of the variants is their weight: with several runbooks, the
/// run that says more decides ([`ExitCode::worst`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitCode {
    /// Every runbook passed (or the command did what it was asked).
    Passed = 0,
    /// A step failed.
    Failed = 1,
    /// The runbook or the command line is invalid.
    Invalid = 2,
    /// The browser or the console could not be started, or broke down.
    Broken = 3,
    /// Ctrl-C or SIGTERM, as shells report an interrupted program.
    Interrupted = 130,
}

impl ExitCode {
    /// The code the process exits with.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The code that says more: interrupted, then broken, invalid, failed, passed.
    pub fn worst(self, other: ExitCode) -> ExitCode {
        self.max(other)
    }
}

impl From<&RunStatus> for ExitCode {
    fn from(status: &RunStatus) -> ExitCode {
        match status {
            RunStatus::Passed => ExitCode::Passed,
            RunStatus::Failed => ExitCode::Failed,
            RunStatus::Broken(_) => ExitCode::Broken,
            RunStatus::Interrupted(_) => ExitCode::Interrupted,
        }
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_status_maps_to_its_documented_exit_code() {
        let code = |status: RunStatus| ExitCode::from(&status).code();
        assert_eq!(code(RunStatus::Passed), 0);
        assert_eq!(code(RunStatus::Failed), 1);
        assert_eq!(code(RunStatus::Broken("gone".into())), 3);
        assert_eq!(code(RunStatus::Interrupted("Ctrl-C")), 130);
        assert_eq!(ExitCode::Invalid.code(), 2);
    }

    #[test]
    fn several_runs_exit_with_the_code_that_says_most() {
        use ExitCode::*;
        let order = [Passed, Failed, Invalid, Broken, Interrupted];
        for (i, a) in order.iter().enumerate() {
            for (j, b) in order.iter().enumerate() {
                assert_eq!(a.worst(*b), order[i.max(j)], "{a:?} and {b:?}");
            }
        }
    }
}

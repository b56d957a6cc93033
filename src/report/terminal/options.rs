//! How the terminal reporter should look, decided once from where its
//! output goes and from the environment: a live spinner only on a real
//! terminal, colours only where they will be read as colours, and nothing
//! per step with `--quiet`. The decision takes the environment as
//! parameters so it can be tested without touching the process's own.

use std::io::IsTerminal;

/// What the terminal reporter draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TerminalOptions {
    /// A spinner line for the step under way, redrawn in place. Only for a
    /// terminal that can move its cursor; never with `quiet`.
    pub live: bool,
    /// ANSI colours.
    pub color: bool,
    /// Only the failure's diagnosis and the one-line summary.
    pub quiet: bool,
}

impl TerminalOptions {
    /// The options for output written to stdout, from this process's
    /// environment.
    pub fn for_stdout(quiet: bool) -> TerminalOptions {
        TerminalOptions::decide(std::io::stdout().is_terminal(), quiet, &process_env)
    }

    /// The options for output written to stderr (used with `--json`, where
    /// stdout carries the event stream).
    pub fn for_stderr(quiet: bool) -> TerminalOptions {
        TerminalOptions::decide(std::io::stderr().is_terminal(), quiet, &process_env)
    }

    /// Decides the options for a stream that is (or is not) a terminal,
    /// reading variables through `env`.
    ///
    /// Colours follow the common conventions, in this order: `NO_COLOR`
    /// set to anything but the empty string turns them off
    /// (<https://no-color.org>); `CLICOLOR_FORCE` or `FORCE_COLOR` set to
    /// anything but `""` or `0` turns them on even when piped (CI systems
    /// that render ANSI set these); `CLICOLOR=0` turns them off; otherwise
    /// they are on exactly when the stream is a terminal whose `TERM` is
    /// not `dumb`. The spinner needs a terminal that can move its cursor,
    /// so forcing colours never makes the output live.
    pub fn decide(
        is_terminal: bool,
        quiet: bool,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> TerminalOptions {
        let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
        let forced = |name: &str| env(name).is_some_and(|v| !v.is_empty() && v != "0");
        let capable = is_terminal && env("TERM").is_none_or(|term| term != "dumb");
        let color = if set("NO_COLOR") {
            false
        } else if forced("CLICOLOR_FORCE") || forced("FORCE_COLOR") {
            true
        } else if env("CLICOLOR").is_some_and(|v| v == "0") {
            false
        } else {
            capable
        };
        TerminalOptions {
            live: capable && !quiet,
            color,
            quiet,
        }
    }
}

fn process_env(name: &str) -> Option<String> {
    std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide(is_terminal: bool, quiet: bool, vars: &[(&str, &str)]) -> TerminalOptions {
        let env = |name: &str| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        };
        TerminalOptions::decide(is_terminal, quiet, &env)
    }

    const LIVE_COLOR: TerminalOptions = TerminalOptions {
        live: true,
        color: true,
        quiet: false,
    };
    const PLAIN: TerminalOptions = TerminalOptions {
        live: false,
        color: false,
        quiet: false,
    };

    #[test]
    fn a_terminal_gets_the_spinner_and_colours() {
        assert_eq!(decide(true, false, &[]), LIVE_COLOR);
        assert_eq!(
            decide(true, false, &[("TERM", "xterm-256color")]),
            LIVE_COLOR
        );
    }

    #[test]
    fn a_pipe_gets_plain_lines() {
        assert_eq!(decide(false, false, &[]), PLAIN);
        assert_eq!(decide(false, false, &[("TERM", "xterm")]), PLAIN);
    }

    #[test]
    fn no_color_turns_colours_off_but_keeps_the_spinner() {
        let expected = TerminalOptions {
            color: false,
            ..LIVE_COLOR
        };
        assert_eq!(decide(true, false, &[("NO_COLOR", "1")]), expected);
        // The convention: any value but the empty string.
        assert_eq!(decide(true, false, &[("NO_COLOR", "0")]), expected);
        assert_eq!(decide(true, false, &[("NO_COLOR", "")]), LIVE_COLOR);
        // NO_COLOR wins over a request to force colours.
        assert_eq!(
            decide(true, false, &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]),
            expected
        );
        assert_eq!(decide(true, false, &[("CLICOLOR", "0")]), expected);
    }

    #[test]
    fn forced_colours_reach_a_pipe_but_never_make_it_live() {
        let forced = TerminalOptions {
            color: true,
            ..PLAIN
        };
        assert_eq!(decide(false, false, &[("CLICOLOR_FORCE", "1")]), forced);
        assert_eq!(decide(false, false, &[("FORCE_COLOR", "3")]), forced);
        assert_eq!(decide(false, false, &[("FORCE_COLOR", "0")]), PLAIN);
        assert_eq!(decide(false, false, &[("CLICOLOR_FORCE", "")]), PLAIN);
    }

    #[test]
    fn a_dumb_terminal_cannot_redraw_a_line() {
        assert_eq!(decide(true, false, &[("TERM", "dumb")]), PLAIN);
    }

    #[test]
    fn quiet_never_draws_a_spinner() {
        let quiet = decide(true, true, &[]);
        assert!(quiet.quiet && !quiet.live && quiet.color);
        assert!(decide(false, true, &[]).quiet);
    }
}

//! What is wrong with a configuration file, as docent reports it: each
//! problem at its `file:line:column`, with the line quoted and the spot
//! marked, all of them at once; and a file that does not look like TOML
//! at all named without being quoted (it may be a secret given to
//! `--config` by mistake).

use crate::printable;
use std::fmt;
use std::ops::Range;

/// One thing wrong in the file, at a byte range of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    pub(super) fn new(span: Range<usize>, message: impl Into<String>) -> Problem {
        Problem {
            span,
            message: message.into(),
            help: None,
        }
    }
}

/// Why the configuration file could not be used.
#[derive(Debug)]
pub enum ConfigError {
    /// It could not be read (absent, not a file, too large, not UTF-8).
    Read { path: String, reason: String },
    /// It was read, and is not valid TOML or not a valid configuration.
    Invalid {
        path: String,
        source: String,
        problems: Vec<Problem>,
    },
}

impl ConfigError {
    /// The problems found, each with its line and column (1-based,
    /// columns in characters); empty when the file could not be read.
    pub fn problems(&self) -> Vec<(usize, usize, &Problem)> {
        match self {
            ConfigError::Read { .. } => Vec::new(),
            ConfigError::Invalid {
                source, problems, ..
            } => problems
                .iter()
                .map(|p| {
                    let (line, column) = line_column(source, p.span.start);
                    (line, column, p)
                })
                .collect(),
        }
    }
}

impl std::error::Error for ConfigError {}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (path, source) = match self {
            ConfigError::Read { path, reason } => {
                return writeln!(
                    f,
                    "error: cannot read the configuration file {}: {}",
                    printable::line(path),
                    printable::line(reason)
                );
            }
            ConfigError::Invalid { path, source, .. } => (path, source),
        };
        let quoted = looks_like_toml(source);
        let problems = self.problems();
        for (i, (line, column, problem)) in problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "error: {}", printable::line(&problem.message))?;
            writeln!(f, "  --> {}:{line}:{column}", printable::line(path))?;
            if quoted {
                let text = source.lines().nth(line - 1).unwrap_or("");
                let number = line.to_string();
                let gutter = " ".repeat(number.len());
                let width = source[problem.span.clone()]
                    .lines()
                    .next()
                    .map_or(1, |first| first.chars().count());
                // A very long line is shown as a window around the column.
                let chars: Vec<char> = text.chars().collect();
                let column = (column - 1).min(chars.len());
                let (start, end) = if chars.len() > 120 {
                    (column.saturating_sub(60), (column + 60).min(chars.len()))
                } else {
                    (0, chars.len())
                };
                let width = width.min(end - column).max(1);
                let shown: String = chars[start..end].iter().collect();
                let before: String = chars[start..column].iter().collect();
                let (open, close) = (
                    if start > 0 { "…" } else { "" },
                    if end < chars.len() { "…" } else { "" },
                );
                writeln!(f, "{gutter} |")?;
                writeln!(f, "{number} | {open}{}{close}", printable::line(&shown))?;
                // Under the culprit as the line is shown: a tab stays a
                // tab, an escaped control character is as wide as its escape.
                let indent: String = format!("{open}{}", printable::line(&before))
                    .chars()
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                writeln!(f, "{gutter} | {indent}{}", "^".repeat(width))?;
                if let Some(help) = &problem.help {
                    writeln!(f, "{gutter} = help: {}", printable::line(help))?;
                }
            } else {
                // Some other file, named by --config by mistake: name it,
                // never quote it.
                writeln!(
                    f,
                    "  = note: its lines are not shown: it does not start like a TOML file"
                )?;
                if let Some(help) = &problem.help {
                    writeln!(f, "  = help: {}", printable::line(help))?;
                }
            }
        }
        if problems.len() > 1 {
            writeln!(
                f,
                "\n{} problems in {}",
                problems.len(),
                printable::line(path)
            )?;
        }
        Ok(())
    }
}

/// The 1-based line and character column of byte `at` of `source`.
pub(super) fn line_column(source: &str, at: usize) -> (usize, usize) {
    let at = at.min(source.len());
    let at = (0..=at)
        .rev()
        .find(|&i| source.is_char_boundary(i))
        .unwrap_or(0);
    let before = &source[..at];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// Whether `source` starts like a TOML file, so its lines may be quoted:
/// its first line that is neither blank nor a comment is a `[section]`
/// or a `key = value`. A password file or a key given to `--config` by
/// mistake does not, and is then named without being quoted.
pub(super) fn looks_like_toml(source: &str) -> bool {
    let Some(first) = source
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
    else {
        return true;
    };
    if first.starts_with('[') {
        return true;
    }
    let Some((key, _)) = first.split_once('=') else {
        return false;
    };
    let key = key.trim();
    !key.is_empty()
        && (key.starts_with(['"', '\''])
            || key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ')))
}

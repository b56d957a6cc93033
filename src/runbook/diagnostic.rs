//! Load errors that point at the runbook source: `file:line:column`, the
//! line itself, and a caret under the culprit, with a hint when one helps.
//! All problems of a file are collected and shown together.
//!
//! The runbook's text is shown with its control characters escaped
//! ([`crate::printable`]): a stray escape sequence or NUL in a runbook, or
//! in a value a message quotes, is shown as `\e` or `\0` rather than sent
//! to the terminal, and the caret still points at the culprit.

use super::yaml::Pos;
use crate::printable;
use std::fmt;
use std::sync::Arc;

/// A runbook file's name and text, kept so that a problem in an included
/// runbook is shown with its own file and line.
#[derive(Debug, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// Whether a problem stops the runbook from loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    /// Loads and runs, but deserves a second look (`docent validate` shows it).
    Warning,
}

/// One problem in a runbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file it is in, when not the runbook being loaded (an include).
    pub file: Option<Arc<SourceFile>>,
    pub pos: Pos,
    /// How many characters to underline (at least one).
    pub width: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            pos,
            width: 1,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::new(pos, message)
        }
    }

    pub fn width(mut self, width: usize) -> Self {
        self.width = width.max(1);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Why a runbook could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// The file could not be read.
    Io { path: String, error: std::io::Error },
    /// The file was read but is not a valid runbook.
    Invalid {
        path: String,
        source: String,
        diagnostics: Vec<Diagnostic>,
    },
}

impl LoadError {
    /// The problems found, empty for I/O errors.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            LoadError::Io { .. } => &[],
            LoadError::Invalid { diagnostics, .. } => diagnostics,
        }
    }
}

impl std::error::Error for LoadError {}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io { path, error } => {
                write!(
                    f,
                    "error: cannot read runbook {}: {}",
                    printable::line(path),
                    printable::line(&error.to_string())
                )
            }
            LoadError::Invalid {
                path,
                source,
                diagnostics,
            } => {
                for (i, d) in diagnostics.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(
                        f,
                        "{}",
                        Rendered {
                            path,
                            source,
                            diagnostic: d
                        }
                    )?;
                }
                let errors = diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                if errors > 1 {
                    write!(f, "\n{errors} problems in {}", printable::line(path))?;
                }
                Ok(())
            }
        }
    }
}

/// One diagnostic shown against the runbook `path` whose text is `source`
/// (or against its own file, for one in an included runbook).
pub struct Rendered<'a> {
    pub path: &'a str,
    pub source: &'a str,
    pub diagnostic: &'a Diagnostic,
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diagnostic;
        match &d.file {
            Some(file) => render(f, &file.path, &file.text, d),
            None => render(f, self.path, self.source, d),
        }
    }
}

fn render(f: &mut fmt::Formatter<'_>, path: &str, source: &str, d: &Diagnostic) -> fmt::Result {
    let label = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    writeln!(f, "{label}: {}", printable::line(&d.message))?;
    writeln!(
        f,
        "  --> {}:{}:{}",
        printable::line(path),
        d.pos.line,
        d.pos.column
    )?;
    if !looks_like_runbook(source) {
        // Some other file, given to `run` or `validate` by mistake or on
        // purpose (`run: /etc/shadow`): name it, never quote it.
        write!(
            f,
            "  = note: its lines are not shown: it does not start like a runbook (`name: ...`)"
        )?;
        if let Some(help) = &d.help {
            write!(f, "\n  = help: {}", printable::line(help))?;
        }
        return writeln!(f);
    }
    let line_text = source_line(source, d.pos.line);
    let number = d.pos.line.to_string();
    let gutter = " ".repeat(number.len());
    // Very long lines are shown as a window around the column.
    let chars: Vec<char> = line_text.chars().collect();
    let column = (d.pos.column as usize).saturating_sub(1).min(chars.len());
    let start = column.saturating_sub(60);
    let end = (column + 60).min(chars.len());
    let (shown, column): (String, usize) = if chars.len() > 120 {
        let mut shown: String = chars[start..end].iter().collect();
        let mut column = column - start;
        if start > 0 {
            shown.insert(0, '…');
            column += 1;
        }
        if end < chars.len() {
            shown.push('…');
        }
        (shown, column)
    } else {
        (line_text.to_string(), column)
    };
    writeln!(f, "{gutter} |")?;
    writeln!(f, "{number} | {}", printable::line(&shown))?;
    // Under each character as wide as it is shown: a control character
    // escaped as `\e` takes two columns.
    let widths: Vec<usize> = shown
        .chars()
        .map(|c| printable::escape_char(c).map_or(1, |e| e.chars().count()))
        .collect();
    let indent: String = shown
        .chars()
        .zip(&widths)
        .take(column)
        .map(|(c, &width)| {
            if c == '\t' {
                "\t".into()
            } else {
                " ".repeat(width)
            }
        })
        .collect();
    // The caret never runs past the shown text (by more than one, for a
    // problem at the end of the line).
    let underlined = widths.iter().skip(column).take(d.width).sum::<usize>();
    write!(f, "{gutter} | {indent}{}", "^".repeat(underlined.max(1)))?;
    if let Some(help) = &d.help {
        write!(f, "\n{gutter} = help: {}", printable::line(help))?;
    }
    writeln!(f)
}

/// Line `number` (1-based) of `source`, with line breaks as YAML counts
/// them: `\n`, `\r\n` and a lone `\r`.
pub fn source_line(source: &str, number: u32) -> &str {
    let mut rest = source;
    for _ in 1..number.max(1) {
        match rest.find(['\n', '\r']) {
            Some(at) => {
                let skip = if rest[at..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[at + skip..];
            }
            None => return "",
        }
    }
    let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    &rest[..end]
}

/// Whether `source` starts like a runbook, so its lines may be shown in a
/// diagnostic: its first line that is not blank, a comment or a YAML
/// directive is a mapping entry at the margin (`key:` followed by a space or
/// the end of the line), opens a flow mapping, or is a list item (a runbook
/// written as a bare list of steps, a common slip). Any runbook does; a
/// password file, a key or a binary does not, and is then named without
/// being quoted. A file with no such line has nothing to hide.
pub fn looks_like_runbook(source: &str) -> bool {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let Some(first) = source.split(['\n', '\r']).find(|line| {
        let trimmed = line.trim();
        !(trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed.starts_with('%')
            || trimmed == "---")
    }) else {
        return true;
    };
    let first = first.strip_prefix("--- ").unwrap_or(first);
    if first.starts_with('{') || first.starts_with("- ") || first == "-" {
        return true;
    }
    // The key: plain words (`name`, `my key`), or quoted (`"name"`).
    let rest = match first.chars().next() {
        Some(quote @ ('"' | '\'')) => match first[1..].find(quote) {
            Some(end) => &first[end + 2..],
            None => return false,
        },
        Some(c) if c.is_alphanumeric() || c == '_' => first.trim_start_matches(|c: char| {
            c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ')
        }),
        _ => return false,
    };
    rest.trim_start_matches(' ')
        .strip_prefix(':')
        .is_some_and(|after| after.is_empty() || after.starts_with([' ', '\t']))
}

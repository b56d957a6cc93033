//! Load errors that point at the runbook source: `file:line:column`, the
//! line itself, and a caret under the culprit, with a hint when one helps.
//! All problems of a file are collected and shown together.

use super::yaml::Pos;
use std::fmt;

/// One problem in a runbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub pos: Pos,
    /// How many characters to underline (at least one).
    pub width: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            pos,
            width: 1,
            message: message.into(),
            help: None,
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
                write!(f, "error: cannot read runbook {path}: {error}")
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
                    render(f, path, source, d)?;
                }
                if diagnostics.len() > 1 {
                    write!(f, "\n{} problems in {path}", diagnostics.len())?;
                }
                Ok(())
            }
        }
    }
}

fn render(f: &mut fmt::Formatter<'_>, path: &str, source: &str, d: &Diagnostic) -> fmt::Result {
    writeln!(f, "error: {}", d.message)?;
    writeln!(f, "  --> {path}:{}:{}", d.pos.line, d.pos.column)?;
    let line_text = source
        .lines()
        .nth((d.pos.line as usize).saturating_sub(1))
        .unwrap_or("");
    let number = d.pos.line.to_string();
    let gutter = " ".repeat(number.len());
    // Very long lines are shown as a window around the column.
    let chars: Vec<char> = line_text.chars().collect();
    let column = (d.pos.column as usize).saturating_sub(1);
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
    writeln!(f, "{number} | {shown}")?;
    let indent: String = shown
        .chars()
        .take(column)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    write!(f, "{gutter} | {indent}{}", "^".repeat(d.width))?;
    if let Some(help) = &d.help {
        write!(f, "\n{gutter} = help: {help}")?;
    }
    writeln!(f)
}

//! The runbook language: YAML text → typed [`Runbook`] with source positions.
//!
//! `yaml` reads the document into a tree that remembers positions, `lower`
//! turns that tree into typed steps (checking every key and value and
//! substituting variables), and `diagnostic` renders what went wrong with
//! `file:line:column`. The engine only ever sees the typed model.

pub mod address;
pub mod diagnostic;
pub mod duration;
pub mod limits;
pub mod lower;
pub mod model;
pub mod schema;
pub mod spec;
pub mod yaml;

pub use diagnostic::{Diagnostic, LoadError, Severity};
pub use lower::Sources;
pub use model::*;

use std::collections::BTreeMap;
use std::path::Path;
use yaml::{Node, Pos};

/// Options of a load: variable overrides, the environment and `--url`.
pub struct LoadOptions<'a> {
    pub overrides: BTreeMap<String, String>,
    pub env: &'a (dyn Fn(&str) -> Option<String> + Sync),
    pub base_url: Option<String>,
    /// Whether every declared secret must be set (false for `validate`).
    pub require_secrets: bool,
}

impl Default for LoadOptions<'_> {
    fn default() -> Self {
        LoadOptions {
            overrides: BTreeMap::new(),
            env: &|name| std::env::var(name).ok(),
            base_url: None,
            require_secrets: true,
        }
    }
}

/// Reads and validates the runbook at `path`, which may be a regular file
/// or an anonymous pipe another process writes the runbook into (`docent
/// run /dev/stdin`: it waits for the text, as it would for a slow disk). A
/// named pipe is refused: opening it would wait for a writer that may never
/// come.
pub fn load(path: &Path, options: &LoadOptions<'_>) -> Result<Runbook, LoadError> {
    load_from(path, options, true)
}

/// Like [`load`], but only a regular file is read: `docent validate`
/// checks files and never waits on a pipe.
pub fn load_file(path: &Path, options: &LoadOptions<'_>) -> Result<Runbook, LoadError> {
    load_from(path, options, false)
}

fn load_from(path: &Path, options: &LoadOptions<'_>, pipes: bool) -> Result<Runbook, LoadError> {
    let source = read(path, pipes)?;
    parse(&source, path, options)
}

/// The text of the runbook file at `path`, within the loader's limits.
pub fn read(path: &Path, pipes: bool) -> Result<String, LoadError> {
    limits::read(path, pipes).map_err(|e| match e {
        limits::ReadError::NotUtf8 { pos, byte, text } => LoadError::Invalid {
            path: path.display().to_string(),
            source: text,
            diagnostics: vec![
                Diagnostic::new(
                    pos,
                    format!("the runbook is not UTF-8 text: byte 0x{byte:02X} starts no character"),
                )
                .help("save the file as UTF-8"),
            ],
        },
        limits::ReadError::Io(error) => LoadError::Io {
            path: path.display().to_string(),
            error,
        },
        other => LoadError::Io {
            path: path.display().to_string(),
            error: std::io::Error::other(other.to_string()),
        },
    })
}

/// Validates runbook text as if it had been read from `path`.
pub fn parse(source: &str, path: &Path, options: &LoadOptions<'_>) -> Result<Runbook, LoadError> {
    // Reading and lowering recurse once per level of nesting. A thread of
    // their own with a large stack (address space, not memory, until used)
    // keeps a deeply nested file from overflowing a small caller's stack;
    // the parser's depth budget rejects anything deeper.
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("runbook-loader".into())
            .stack_size(64 << 20)
            .spawn_scoped(scope, || parse_here(source, path, options));
        match worker {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => parse_here(source, path, options),
        }
    })
}

fn parse_here(source: &str, path: &Path, options: &LoadOptions<'_>) -> Result<Runbook, LoadError> {
    let invalid = |diagnostics| LoadError::Invalid {
        path: path.display().to_string(),
        source: source.to_string(),
        diagnostics,
    };
    if !diagnostic::looks_like_runbook(source) {
        // Not even parsed: the parser's and the lowering's messages would
        // quote the file's text (a password file parses as a mapping).
        return Err(invalid(vec![not_a_runbook(Pos { line: 1, column: 1 })]));
    }
    let root = Node::parse(source).map_err(|e| invalid(vec![syntax_diagnostic(&e)]))?;
    let mut lowerer = lower::Lowerer::new(
        Sources {
            overrides: &options.overrides,
            env: options.env,
            base_url: options.base_url.as_deref(),
            require_secrets: options.require_secrets,
        },
        path,
        source,
    );
    let runbook = lowerer.runbook(&root, path);
    let mut diagnostics = lowerer.diagnostics;
    // Problems of included files come after the main file's, in order.
    diagnostics.sort_by_key(|d| (d.file.is_some(), d.pos.line, d.pos.column));
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(invalid(diagnostics));
    }
    runbook
        .map(|mut r| {
            number_steps(&mut r.items, &mut 0);
            Runbook {
                warnings: diagnostics,
                ..r
            }
        })
        .ok_or_else(|| {
            invalid(vec![Diagnostic::new(
                Pos { line: 1, column: 1 },
                "empty runbook",
            )])
        })
}

/// The error for a file that does not start like a runbook (see
/// [`diagnostic::looks_like_runbook`]); nothing of its text is said.
pub(crate) fn not_a_runbook(pos: Pos) -> Diagnostic {
    Diagnostic::new(
        pos,
        "this file is not a runbook: it does not start with a `key: value` line",
    )
    .help("a runbook is YAML that starts like `name: Create a tracker`")
}

/// Gives every step its id: its place in document order, from 1.
fn number_steps(items: &mut [Item], last: &mut usize) {
    for item in items {
        match item {
            Item::Section(section) => number_steps(&mut section.items, last),
            Item::Step(step) => {
                *last += 1;
                step.id = *last;
            }
        }
    }
}

pub(crate) fn syntax_diagnostic(error: &serde_saphyr::Error) -> Diagnostic {
    let pos = error
        .location()
        .map(|l| Pos {
            line: u32::try_from(l.line()).unwrap_or(1).max(1),
            column: u32::try_from(l.column()).unwrap_or(1).max(1),
        })
        .unwrap_or(Pos { line: 1, column: 1 });
    // The parser's own message repeats the position; keep only its first line.
    let message = error.without_snippet().to_string();
    let message = message.lines().next().unwrap_or("invalid YAML").trim();
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .trim_end_matches(':');
    plain_yaml_error(pos, message)
}

/// Says the parser's complaint in runbook terms, without its API advice.
fn plain_yaml_error(pos: Pos, message: &str) -> Diagnostic {
    if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        let key = key.split(',').next().unwrap_or(key).trim();
        return Diagnostic::new(pos, format!("`{key}` is given twice"))
            .width(key.chars().count())
            .help("each key may appear once per mapping");
    }
    if message.starts_with("multiple YAML documents") {
        return Diagnostic::new(
            pos,
            "a runbook is one YAML document, but a `---` starts another",
        )
        .help("remove the `---` line, or split the runbooks into separate files");
    }
    if let Some(breach) = message.strip_prefix("budget breached: ") {
        // The file-size cap keeps node and event counts within their
        // budgets, so what remains is nesting and aliases.
        return if breach.starts_with("Depth") {
            Diagnostic::new(
                pos,
                format!(
                    "the document nests more than {} levels deep",
                    limits::MAX_YAML_DEPTH
                ),
            )
            .help("a runbook's lists and mappings nest a few levels; look for a runaway `[` or `{`")
        } else if breach.starts_with("Alias")
            || breach.starts_with("Anchor")
            || breach.starts_with("RecordedAnchor")
        {
            Diagnostic::new(pos, "the document uses too many YAML aliases (`*name`)")
        } else {
            Diagnostic::new(pos, "the document is too large to be a runbook")
        };
    }
    let diagnostic = Diagnostic::new(pos, format!("invalid YAML: {message}"));
    if message.contains("flow mapping") || message.contains("flow sequence") {
        return diagnostic.help(
            "quote a value that holds `: `, `,` or `#` (as in `{ text: \"Total: 9\" }`), and close each `{` or `[`",
        );
    }
    if message.contains("tab") {
        return diagnostic.help("indent with spaces; YAML does not allow tabs for indentation");
    }
    diagnostic
}

#[cfg(test)]
mod tests;

//! Snapshot tests of the loader's diagnostics over a corpus of broken
//! runbooks: every `tests/invalid/<case>.yaml` is loaded and its rendered
//! diagnostics are compared with `tests/invalid/<case>.stderr`.
//!
//! - An invalid runbook is rendered as `LoadError`'s `Display`.
//! - A runbook that loads but has warnings is rendered as its warnings,
//!   each through `Rendered`, joined by blank lines (as `LoadError` does).
//! - A case that loads without any diagnostic is a failure: the corpus is
//!   for mistakes.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test --test diagnostics` (re)writes the
//! snapshots instead of comparing; read every one before committing it.
//!
//! The environment cannot change the output: every case loads with an
//! empty environment and `require_secrets: false`, unless its first lines
//! say otherwise with directives:
//!
//! ```yaml
//! # docent-test: env NAME=value      (the environment has NAME set)
//! # docent-test: require-secrets     (a missing secret is an error, as in `run`)
//! ```
//!
//! Files under `tests/invalid/includes/` are only included by cases and are
//! not cases themselves.

use docent::runbook::diagnostic::Rendered;
use docent::runbook::{self, Diagnostic, LoadError, LoadOptions, Runbook, Severity};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The corpus folder, relative to the crate root (the tests' working
/// directory), so that paths in the snapshots are the same on every machine.
const CORPUS: &str = "tests/invalid";

/// How a case asks to be loaded.
#[derive(Default)]
struct Directives {
    env: BTreeMap<String, String>,
    require_secrets: bool,
}

fn directives(source: &str) -> Result<Directives, String> {
    let mut out = Directives::default();
    for line in source.lines() {
        let Some(rest) = line.strip_prefix('#') else {
            break;
        };
        let Some(directive) = rest.trim().strip_prefix("docent-test:") else {
            continue;
        };
        let directive = directive.trim();
        if directive == "require-secrets" {
            out.require_secrets = true;
        } else if let Some(assignment) = directive.strip_prefix("env ") {
            let (name, value) = assignment
                .trim()
                .split_once('=')
                .ok_or_else(|| format!("`{line}`: write `env NAME=value`"))?;
            out.env.insert(name.to_string(), value.to_string());
        } else {
            return Err(format!("unknown directive `{line}`"));
        }
    }
    Ok(out)
}

/// The outcome of loading one case.
enum Outcome {
    Invalid(LoadError),
    Warnings(Box<Runbook>),
}

fn load_case(path: &Path) -> Result<Outcome, String> {
    let source = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let directives = directives(&source)?;
    let env = |name: &str| directives.env.get(name).cloned();
    let options = LoadOptions {
        env: &env,
        require_secrets: directives.require_secrets,
        ..LoadOptions::default()
    };
    match runbook::load(path, &options) {
        Err(error) => Ok(Outcome::Invalid(error)),
        Ok(book) if book.warnings.is_empty() => Err(format!(
            "{} loads without any diagnostic; the corpus is for broken runbooks",
            path.display()
        )),
        Ok(book) => Ok(Outcome::Warnings(Box::new(book))),
    }
}

/// The text a snapshot holds, always ending with one newline.
fn render(path: &Path, outcome: &Outcome) -> String {
    let mut text = match outcome {
        Outcome::Invalid(error) => error.to_string(),
        Outcome::Warnings(book) => {
            let source = std::fs::read_to_string(path).unwrap();
            let shown = path.display().to_string();
            book.warnings
                .iter()
                .map(|diagnostic| {
                    Rendered {
                        path: &shown,
                        source: &source,
                        diagnostic,
                    }
                    .to_string()
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Checks that hold for every case whatever its snapshot says.
fn check_shape(path: &Path, outcome: &Outcome, rendered: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let diagnostics: &[Diagnostic] = match outcome {
        Outcome::Invalid(LoadError::Io { .. }) => {
            problems.push(format!(
                "{}: the case itself could not be read",
                path.display()
            ));
            return problems;
        }
        Outcome::Invalid(error) => {
            if !error
                .diagnostics()
                .iter()
                .any(|d| d.severity == Severity::Error)
            {
                problems.push(format!(
                    "{}: rejected without an error among its diagnostics",
                    path.display()
                ));
            }
            error.diagnostics()
        }
        Outcome::Warnings(book) => {
            if book
                .warnings
                .iter()
                .any(|d| d.severity != Severity::Warning)
            {
                problems.push(format!(
                    "{}: loaded although it has an error diagnostic",
                    path.display()
                ));
            }
            &book.warnings
        }
    };
    if diagnostics.is_empty() {
        problems.push(format!("{}: no diagnostic at all", path.display()));
    }
    for d in diagnostics {
        if d.pos.line < 1 || d.pos.column < 1 {
            problems.push(format!(
                "{}: diagnostic `{}` is at {}:{}, which is not a 1-based position",
                path.display(),
                d.message,
                d.pos.line,
                d.pos.column
            ));
        }
        if d.width < 1 {
            problems.push(format!(
                "{}: diagnostic `{}` underlines nothing",
                path.display(),
                d.message
            ));
        }
        // The caret line must fall inside the file the diagnostic is shown in.
        let (shown, text) = match &d.file {
            Some(file) => (file.path.clone(), file.text.clone()),
            None => (
                path.display().to_string(),
                std::fs::read_to_string(path).unwrap_or_default(),
            ),
        };
        let lines = text.lines().count().max(1);
        if d.pos.line as usize > lines {
            problems.push(format!(
                "{}: diagnostic `{}` points at line {} of {shown}, which has {lines} lines",
                path.display(),
                d.message,
                d.pos.line
            ));
        }
    }
    for needle in ["-->", "^"] {
        if !rendered.contains(needle) {
            problems.push(format!(
                "{}: the rendered text has no `{needle}`",
                path.display()
            ));
        }
    }
    problems
}

/// A line diff (longest common subsequence) of the expected and the actual
/// text: ` ` both, `-` only expected, `+` only actual.
fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            let _ = writeln!(out, "  {}", a[i]);
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            let _ = writeln!(out, "- {}", a[i]);
            i += 1;
        } else {
            let _ = writeln!(out, "+ {}", b[j]);
            j += 1;
        }
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("(the texts differ in their final newline)\n");
    }
    out
}

/// Every case of the corpus, sorted, as paths relative to the crate root.
fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(CORPUS)
        .unwrap_or_else(|e| panic!("cannot list {CORPUS}: {e}"))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| Path::new(CORPUS).join(p.file_name().unwrap()))
        .collect();
    cases.sort();
    cases
}

#[test]
fn corpus_diagnostics_match_their_snapshots() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1");
    let cases = cases();
    assert!(
        cases.len() >= 25,
        "the corpus has only {} cases",
        cases.len()
    );
    let mut failures: Vec<String> = Vec::new();
    for path in &cases {
        let outcome = match load_case(path) {
            Ok(outcome) => outcome,
            Err(problem) => {
                failures.push(problem);
                continue;
            }
        };
        let rendered = render(path, &outcome);
        failures.extend(check_shape(path, &outcome, &rendered));
        let snapshot = path.with_extension("stderr");
        if update {
            std::fs::write(&snapshot, &rendered)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", snapshot.display()));
            continue;
        }
        match std::fs::read_to_string(&snapshot) {
            Ok(expected) if expected == rendered => {}
            Ok(expected) => failures.push(format!(
                "{} does not match its snapshot {} (- snapshot, + now):\n{}",
                path.display(),
                snapshot.display(),
                diff(&expected, &rendered)
            )),
            Err(_) => failures.push(format!(
                "{} has no snapshot {}; it renders as follows (approve it with UPDATE_SNAPSHOTS=1):\n{rendered}",
                path.display(),
                snapshot.display()
            )),
        }
    }
    // A snapshot whose runbook is gone would never be checked again.
    for entry in std::fs::read_dir(CORPUS).unwrap() {
        let snapshot = entry.unwrap().path();
        if snapshot.extension().is_some_and(|e| e == "stderr")
            && !snapshot.with_extension("yaml").exists()
        {
            failures.push(format!(
                "{} has no runbook {}; remove it",
                snapshot.display(),
                snapshot.with_extension("yaml").display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Warnings-only cases load; every other case is rejected. A case that
/// changed side would otherwise only show as a snapshot diff.
#[test]
fn only_warning_cases_load() {
    const WARNING_CASES: &[&str] = &["css-only-target.yaml", "sleep-warning.yaml"];
    for path in cases() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let loads = matches!(load_case(&path), Ok(Outcome::Warnings(_)));
        assert_eq!(
            loads,
            WARNING_CASES.contains(&name.as_str()),
            "{name}: expected it to {}",
            if loads {
                "be rejected"
            } else {
                "load with warnings"
            }
        );
    }
}

/// The same runbook text gives the same diagnostics whether it is read from
/// the file or handed to `parse`.
#[test]
fn load_and_parse_agree() {
    for path in cases() {
        let source = std::fs::read_to_string(&path).unwrap();
        let directives = directives(&source).unwrap();
        let env = |name: &str| directives.env.get(name).cloned();
        let options = LoadOptions {
            env: &env,
            require_secrets: directives.require_secrets,
            ..LoadOptions::default()
        };
        let loaded = runbook::load(&path, &options).map(|b| b.warnings);
        let parsed = runbook::parse(&source, &path, &options).map(|b| b.warnings);
        match (loaded, parsed) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{}", path.display()),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{}", path.display()),
            (a, b) => panic!(
                "{}: load gave {:?} but parse gave {:?}",
                path.display(),
                a.map(|w| w.len()),
                b.map(|w| w.len())
            ),
        }
    }
}

#[test]
fn the_diff_shows_changed_lines() {
    let d = diff("a\nb\nc\n", "a\nB\nc\nd\n");
    assert_eq!(d, "  a\n- b\n+ B\n  c\n+ d\n");
    assert_eq!(
        diff("x\n", "x"),
        "  x\n(the texts differ in their final newline)\n"
    );
}

#[test]
fn directives_are_read_from_the_leading_comments() {
    let d = directives("# docent-test: env A=1\n# docent-test: require-secrets\n# note\nname: x\n# docent-test: env B=2\n")
        .unwrap();
    assert_eq!(d.env.get("A").map(String::as_str), Some("1"));
    assert!(!d.env.contains_key("B"));
    assert!(d.require_secrets);
    assert!(directives("# docent-test: bogus\n").is_err());
}

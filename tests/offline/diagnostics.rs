//! Snapshot tests of the loader's diagnostics over a corpus of broken
//! runbooks: every `tests/offline/invalid/<case>.yaml` is loaded and its rendered
//! diagnostics are compared with the insta snapshot
//! `tests/offline/snapshots/offline__diagnostics__corpus@<case>.yaml.snap`.
//!
//! - An invalid runbook is rendered as `LoadError`'s `Display`.
//! - A runbook that loads but has warnings is rendered as its warnings,
//!   each through `Rendered`, joined by blank lines (as `LoadError` does).
//! - A case that loads without any diagnostic is a failure: the corpus is
//!   for mistakes.
//!
//! `INSTA_UPDATE=always cargo test --test offline diagnostics` (re)writes
//! the snapshots (or `cargo insta review`); read every one before committing it.
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
//! Files under `tests/offline/invalid/includes/` are only included by cases and are
//! not cases themselves.

use docent::runbook::diagnostic::Rendered;
use docent::runbook::{self, Diagnostic, LoadError, LoadOptions, Runbook, Severity};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The corpus folder, relative to the crate root (the tests' working
/// directory), so that paths in the snapshots are the same on every machine.
const CORPUS: &str = "tests/offline/invalid";

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
fn corpus() {
    assert!(
        cases().len() >= 25,
        "the corpus has only {} cases",
        cases().len()
    );
    insta::glob!("invalid/*.yaml", |absolute| {
        // Shown relative to the crate root, so snapshots read the same everywhere.
        let name = absolute.file_name().unwrap();
        let path = Path::new(CORPUS).join(name);
        let outcome = load_case(&path).unwrap_or_else(|problem| panic!("{problem}"));
        let rendered = render(&path, &outcome);
        let problems = check_shape(&path, &outcome, &rendered);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        insta::assert_snapshot!(rendered);
    });
}

/// A snapshot whose runbook is gone would never be checked again.
#[test]
fn every_snapshot_has_its_case() {
    let folder = Path::new("tests/offline/snapshots");
    for entry in std::fs::read_dir(folder).unwrap() {
        let snapshot = entry.unwrap().path();
        let name = snapshot.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(case) = name
            .strip_prefix("offline__diagnostics__corpus@")
            .and_then(|rest| rest.strip_suffix(".snap"))
        {
            assert!(
                Path::new(CORPUS).join(case).exists(),
                "{} has no runbook {CORPUS}/{case}; remove it",
                snapshot.display()
            );
        }
    }
}

/// Warnings-only cases load; every other case is rejected. A case that
/// changed side would otherwise only show as a snapshot diff.
#[test]
fn only_warning_cases_load() {
    const WARNING_CASES: &[&str] = &[
        "css-only-everywhere.yaml",
        "css-only-target.yaml",
        "sleep-warning.yaml",
    ];
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
fn directives_are_read_from_the_leading_comments() {
    let d = directives("# docent-test: env A=1\n# docent-test: require-secrets\n# note\nname: x\n# docent-test: env B=2\n")
        .unwrap();
    assert_eq!(d.env.get("A").map(String::as_str), Some("1"));
    assert!(!d.env.contains_key("B"));
    assert!(d.require_secrets);
    assert!(directives("# docent-test: bogus\n").is_err());
}

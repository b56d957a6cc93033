//! The loader never panics: whatever text it is given, `runbook::parse`
//! returns a runbook or a `LoadError`, and both render without panicking.
//!
//! Inputs come from a small deterministic generator (splitmix64), from a
//! seed that is new on every run and printed, for a fixed time per
//! campaign (`budget.rs`: `DOCENT_FUZZ_SECONDS`, `DOCENT_FUZZ_SEED` and
//! `DOCENT_FUZZ_CASES` repeat a run case for case):
//!
//! - arbitrary bytes, converted lossily to UTF-8;
//! - random YAML documents built from the language's real vocabulary
//!   (`spec::TOP_FIELDS`, `spec::STEPS`, target keys, modifiers, sections,
//!   includes) with awkward scalars: `${...}`, `$${`, unicode, very long
//!   strings, numbers, booleans, nulls, empty and deeply nested collections;
//! - well-formed runbooks using every step kind (most of them load, so the
//!   success paths are lowered too), and near misses of them;
//! - mutations of the shipped runbook (lines deleted, duplicated, swapped or
//!   re-indented, characters inserted or removed, truncations);
//! - includes (`run:`) of missing files, of the runbook itself, of
//!   directories, of cycles, of chains deeper than the include limit.
//!
//! Besides "no panic", every diagnostic must have a 1-based position and
//! underline at least one character, and a rejected runbook must carry an
//! error. A failing case is shrunk (lines, then characters) and printed.
//!
//! The cases run on a thread with an 8 MiB stack, the size of the main
//! thread `docent` loads runbooks on; the loader also parses on a thread of
//! its own with a large stack, which a regression test checks from a 2 MiB
//! thread.
//!
//! Inputs that once broke the loader are kept, shrunk, as regression tests
//! at the end of this file.

use docent::runbook::diagnostic::Rendered;
use docent::runbook::spec::{self, Field, Shape, StepSpec, TargetUse};
use docent::runbook::{self, LoadError, LoadOptions, Severity};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::Instant;

mod budget;
mod clean;
mod grammar;
mod harness;
mod rng;
mod write;

use budget::*;
use clean::*;
use grammar::*;
use harness::*;
use rng::*;
use write::*;

const SHIPPED: &str = include_str!("../../runbooks/mtd-create-tracker.yaml");

/// The stack of the thread the cases run on (that of a program's main thread).
const STACK: usize = 8 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Mutations of the shipped runbook

#[rustfmt::skip]
const INSERTS: &[&str] = &[
    ":", "-", "- ", "{", "}", "[", "]", "\"", "'", "#", "&a ", "*a", "!!str ", "|", ">", "%", "@",
    "`", " ", "  ", "\t", "\n", "\r", "\r\n", "$", "${", "$${", "}", "\\", ",", "?", "é", "🦀",
    "\u{0}", "\u{feff}", "---\n", "...\n", "<<: ",
];

fn mutate(rng: &mut Rng, source: &str) -> String {
    let mut lines: Vec<String> = source.lines().map(str::to_string).collect();
    let mut text_edits: Vec<u8> = Vec::new();
    for _ in 0..1 + rng.below(5) {
        let n = lines.len().max(1);
        match rng.below(10) {
            0 if !lines.is_empty() => {
                lines.remove(rng.below(n));
            }
            1 if !lines.is_empty() => {
                let i = rng.below(n);
                let line = lines[i].clone();
                lines.insert(i, line);
            }
            2 if !lines.is_empty() => {
                let (i, j) = (rng.below(n), rng.below(n));
                lines.swap(i, j);
            }
            3 if !lines.is_empty() => {
                // Re-indent a line: more, fewer, or a tab.
                let i = rng.below(n);
                let trimmed = lines[i].trim_start().to_string();
                let indent = lines[i].len() - trimmed.len();
                let new_indent = match rng.below(4) {
                    0 => " ".repeat(indent + 1 + rng.below(3)),
                    1 => " ".repeat(indent.saturating_sub(1 + rng.below(3))),
                    2 => "\t".to_string() + &" ".repeat(indent),
                    _ => String::new(),
                };
                lines[i] = new_indent + &trimmed;
            }
            4 if !lines.is_empty() => {
                // Replace a word with a key of the language or a value.
                let i = rng.below(n);
                let words: Vec<&str> = lines[i].split(' ').collect();
                let w = rng.below(words.len());
                let replacement = if rng.chance(50) {
                    key_name(rng, &[])
                } else {
                    text(rng)
                };
                let mut words: Vec<String> = words.iter().map(|s| s.to_string()).collect();
                words[w] = replacement;
                lines[i] = words.join(" ");
            }
            5 => {
                // A line of a random runbook spliced in.
                let doc = document(rng);
                let generated = yaml(rng, &doc);
                let pick: Vec<&str> = generated.lines().collect();
                if !pick.is_empty() {
                    let line = pick[rng.below(pick.len())].to_string();
                    lines.insert(rng.below(n + 1).min(lines.len()), line);
                }
            }
            6 => text_edits.push(0),
            7 => text_edits.push(1),
            8 => text_edits.push(2),
            _ => text_edits.push(3),
        }
    }
    let mut text = lines.join("\n");
    if rng.chance(80) {
        text.push('\n');
    }
    for edit in text_edits {
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let at = boundaries[rng.below(boundaries.len())];
        match edit {
            0 => text.insert_str(at, rng.one(INSERTS)),
            1 => {
                if at < text.len() {
                    text.remove(at);
                }
            }
            2 => text.truncate(at),
            _ => {
                let junk = text_junk(rng);
                text.insert_str(at, &junk);
            }
        }
    }
    text
}

fn text_junk(rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => rng.pick(VARIABLES).to_string(),
        1 => "x".repeat(100 + rng.below(400)),
        _ => text(rng),
    }
}

// ---------------------------------------------------------------------------
// The tests

#[test]
fn arbitrary_bytes_never_panic() {
    on_big_stack(|| {
        let fixtures = Fixtures::new();
        let mut campaign = Campaign::new("arbitrary bytes", fixtures.main());
        let mut rng = budget().rng(1);
        const YAMLISH: &[u8] = b" \n\t:-{}[],#&*!|>'\"%@`?$\\.0123456789abcnrstuxyz\r";
        while campaign.more() {
            let long = rng.chance(10);
            let len = rng.below(if long { 4096 } else { 256 });
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    if rng.chance(50) {
                        *rng.pick(YAMLISH)
                    } else {
                        rng.next_u64() as u8
                    }
                })
                .collect();
            let source = String::from_utf8_lossy(&bytes);
            campaign.run(&source, Setup::random(&mut rng));
        }
        campaign.finish();
    });
}

#[test]
fn arbitrary_runbooks_never_panic() {
    on_big_stack(|| {
        let fixtures = Fixtures::new();
        let mut campaign = Campaign::new("random runbooks", fixtures.main());
        let mut rng = budget().rng(2);
        while campaign.more() {
            let doc = document(&mut rng);
            let source = yaml(&mut rng, &doc);
            campaign.run(&source, Setup::random(&mut rng));
        }
        campaign.finish();
    });
}

/// Runbooks that load, as written and with a few mutations each.
#[test]
fn well_formed_runbooks_and_near_misses_never_panic() {
    on_big_stack(|| {
        let fixtures = Fixtures::new();
        let mut clean = Campaign::new("well-formed runbooks", fixtures.main());
        let mut near = Campaign::new("near misses of well-formed runbooks", fixtures.main());
        let mut rng = budget().rng(4);
        while clean.more() {
            let doc = clean_document(&mut rng);
            let source = yaml(&mut rng, &doc);
            let setup = Setup {
                env: rng.chance(50),
                ..Setup::PLAIN
            };
            clean.run(&source, setup);
            near.run(&mutate(&mut rng, &source), Setup::random(&mut rng));
        }
        // The generator really writes valid runbooks, so the success paths
        // are exercised; the rest are the YAML writer's deliberate slips.
        let loaded = clean.verdicts[Verdict::Loaded as usize];
        assert!(
            clean.cases < MIN_CASES || loaded * 10 >= clean.cases * 7,
            "only {loaded} of {} well-formed runbooks loaded",
            clean.cases
        );
        clean.finish();
        near.finish();
    });
}

#[test]
fn mutated_shipped_runbook_never_panics() {
    on_big_stack(|| {
        let fixtures = Fixtures::new();
        let mut campaign = Campaign::new("mutations of the shipped runbook", fixtures.main());
        // The shipped runbook itself loads.
        assert!(exercise(SHIPPED, &fixtures.main(), Setup::PLAIN).is_ok());
        let mut rng = budget().rng(3);
        while campaign.more() {
            let source = mutate(&mut rng, SHIPPED);
            campaign.run(&source, Setup::random(&mut rng));
        }
        // Systematically: every line removed, and the text cut short.
        let lines: Vec<&str> = SHIPPED.lines().collect();
        for i in 0..lines.len() {
            let mut without = lines.clone();
            without.remove(i);
            campaign.run(&without.join("\n"), Setup::PLAIN);
        }
        for (at, _) in SHIPPED.char_indices().step_by(11) {
            campaign.run(&SHIPPED[..at], Setup::PLAIN);
        }
        campaign.finish();
    });
}

/// Deep nesting of every kind, up to the parser's limits and beyond.
#[test]
fn deep_nesting_never_panics() {
    on_big_stack(|| {
        let fixtures = Fixtures::new();
        let mut campaign = Campaign::new("deep nesting", fixtures.main());
        for n in [1, 2, 10, 30, 60, 63, 64, 65, 100, 300, 1000, 5000] {
            for source in deep(n) {
                campaign.run(&source, Setup::PLAIN);
            }
        }
        campaign.finish();
    });
}

/// Documents nested `n` levels deep in the ways a runbook can nest. (Block
/// nesting is capped at 500 levels: its indentation grows quadratically.)
fn deep(n: usize) -> Vec<String> {
    let b = n.min(500);
    let sections: String = (0..b)
        .map(|i| {
            let pad = "  ".repeat(2 * i);
            format!("{pad}- section: s{i}\n{pad}  steps:\n")
        })
        .collect();
    let within_block: String = (0..b)
        .map(|i| format!("{}within:\n", "  ".repeat(i + 3)))
        .collect();
    vec![
        "[".repeat(n) + &"]".repeat(n),
        "{a: ".repeat(n) + "b" + &"}".repeat(n),
        (0..b)
            .map(|i| format!("{}- \n", " ".repeat(2 * i)))
            .collect::<String>()
            + "x\n",
        format!(
            "name: x\nsteps:\n  - click: {}A{}\n",
            "[".repeat(n),
            "]".repeat(n)
        ),
        format!(
            "name: x\nsteps:\n  - click: {}text: A{}\n",
            "{ text: A, within: ".repeat(n),
            " }".repeat(n)
        ),
        format!(
            "name: x\nsteps:\n  - click:\n      text: A\n{within_block}{}text: A\n",
            "  ".repeat(b + 3)
        ),
        format!("name: x\nsteps:\n{sections}{}- back\n", "  ".repeat(2 * b)),
        format!(
            "name: x\nsteps:\n  - wait_for: {}A{}\n",
            "{ visible: ".repeat(n),
            " }".repeat(n)
        ),
    ]
}

/// `run:` naming missing files, the runbook itself, directories, cycles and
/// chains deeper than the include limit: an error each time, never a panic.
#[test]
fn bad_includes_are_errors() {
    on_big_stack(|| {
        let fixtures = Fixtures::new();
        let dir = fixtures.dir.path();
        let mut campaign = Campaign::new("includes", fixtures.main());
        let cases: &[(&str, &str)] = &[
            ("missing.yaml", "cannot read"),
            ("missing/", "cannot read"),
            ("main.yaml", "includes itself"),
            ("./main.yaml", "includes itself"),
            ("nested/up.yaml", "forms a cycle"),
            ("dir", "cannot read"),
            ("dir/", "cannot read"),
            (".", "cannot read"),
            ("", "cannot read"),
            ("/", "cannot read"),
            ("binary.yaml", "cannot read"),
            ("loop-a.yaml", "forms a cycle"),
            ("chain-0.yaml", "nest deeper"),
            ("syntax.yaml", "invalid YAML"),
            ("empty.yaml", "a runbook is a mapping"),
            ("list.yaml", "a runbook is a mapping"),
            ("bad.yaml", "unknown step `clik`"),
            ("nameless.yaml", "unknown key `nmae` in runbook"),
        ];
        for (target, expected) in cases {
            let source = format!(
                "name: Includes\nurl: http://127.0.0.1:8480\nsteps:\n  - run: {}\n",
                double_quoted(target)
            );
            // Through `load`, with the runbook on disk as `main.yaml`.
            std::fs::write(fixtures.main(), &source).unwrap();
            let options = LoadOptions {
                env: &|_| None,
                require_secrets: false,
                ..LoadOptions::default()
            };
            quiet_panics();
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
                runbook::load(&fixtures.main(), &options).map_err(|e| e.to_string())
            }));
            match outcome {
                Ok(Err(message)) => assert!(
                    message.contains(expected),
                    "run: {target:?} should say {expected:?}:\n{message}"
                ),
                Ok(Ok(_)) => panic!("run: {target:?} loaded"),
                Err(_) => panic!("run: {target:?} panicked"),
            }
            // And through `parse`, in every setup.
            for env in [false, true] {
                campaign.run(
                    &source,
                    Setup {
                        env,
                        ..Setup::PLAIN
                    },
                );
            }
        }
        // The good fixtures do load, so the failures above are the includes'.
        for good in ["good.yaml", "nested/deep.yaml", "chain-10.yaml"] {
            let source = format!("name: Includes\nsteps:\n  - run: {good}\n");
            let options = LoadOptions {
                env: &|_| None,
                require_secrets: false,
                ..LoadOptions::default()
            };
            let loaded = runbook::parse(&source, &dir.join("main.yaml"), &options);
            assert!(loaded.is_ok(), "run: {good}: {}", loaded.unwrap_err());
        }
        campaign.finish();
    });
}

// ---------------------------------------------------------------------------
// Regressions: inputs that broke the loader, shrunk.

/// YAML ends a line at a lone `\r`, but the renderer splits the source with
/// `str::lines`, which does not. A diagnostic far to the right on YAML line
/// 2 is then drawn under text line 2, a different and shorter line, and the
/// window arithmetic for long lines slices out of range.
#[test]
fn lone_carriage_returns_do_not_break_rendering() {
    on_big_stack(|| {
        let source = format!("\r{{{}zz: 1}}\n#{}\n", " ".repeat(190), "x".repeat(120));
        quiet_panics();
        let result = exercise(&source, Path::new("cr.yaml"), Setup::PLAIN);
        assert!(result.is_ok(), "{result:?} on {source:?}");
    });
}

/// The document nests 60 levels deep, within the parser's depth budget. On
/// a thread with the default 2 MiB stack the loader overflows the stack
/// (about 40 levels suffice in a debug build), which aborts the whole
/// process: no `catch_unwind` can report it. So the case runs in a child
/// process: this test binary, asked to run only `deep_nesting_child`.
#[test]
fn deep_nesting_on_a_default_stack() {
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["deep_nesting_child", "--exact", "--ignored", "--nocapture"])
        .env("DOCENT_DEEP_NESTING_CHILD", "1")
        .output()
        .expect("run the child test");
    assert!(
        child.status.success(),
        "loading a document nested 60 deep on a 2 MiB thread failed ({}):\n{}",
        child.status,
        String::from_utf8_lossy(&child.stderr)
    );
}

/// Run by `deep_nesting_on_a_default_stack` in a child process.
#[test]
#[ignore = "run by deep_nesting_on_a_default_stack in a child process"]
fn deep_nesting_child() {
    if std::env::var_os("DOCENT_DEEP_NESTING_CHILD").is_none() {
        return;
    }
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let source = "[".repeat(60) + &"]".repeat(60);
            let options = LoadOptions {
                env: &|_| None,
                require_secrets: false,
                ..LoadOptions::default()
            };
            let result = runbook::parse(&source, Path::new("deep.yaml"), &options);
            assert!(result.is_err());
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn the_generator_is_deterministic_and_mostly_valid_yaml() {
    let sample = |seed| {
        let mut rng = Rng::new(seed);
        (0..50)
            .map(|_| {
                let doc = document(&mut rng);
                yaml(&mut rng, &doc)
            })
            .collect::<Vec<_>>()
    };
    let a = sample(7);
    assert_eq!(a, sample(7));
    assert_ne!(a, sample(8));
    // Most generated documents get past the YAML parser to the lowering,
    // so the fuzzing reaches the checks of the language, not only syntax.
    let options = LoadOptions {
        env: &|_| None,
        require_secrets: false,
        ..LoadOptions::default()
    };
    let past_syntax = a
        .iter()
        .filter(
            |source| match runbook::parse(source, Path::new("gen.yaml"), &options) {
                Ok(_) => true,
                Err(e) => !e.to_string().starts_with("error: invalid YAML"),
            },
        )
        .count();
    assert!(past_syntax >= 35, "only {past_syntax} of 50 are valid YAML");
}

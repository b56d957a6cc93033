//! The loader never panics: whatever text it is given, `runbook::parse`
//! returns a runbook or a `LoadError`, and both render without panicking.
//!
//! Inputs come from a small deterministic generator (splitmix64 with fixed
//! seeds, so every run tries the same cases and a failure reproduces):
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

const SHIPPED: &str = include_str!("../runbooks/mtd-create-tracker.yaml");

/// The stack of the thread the cases run on (that of a program's main thread).
const STACK: usize = 8 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Deterministic randomness

/// splitmix64: tiny, fast, and good enough to drive a fuzzer.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of `words`.
    fn one(&mut self, words: &[&'static str]) -> &'static str {
        words[self.below(words.len())]
    }
}

// ---------------------------------------------------------------------------
// Running one input

thread_local! {
    /// Set while a case runs, so that its panic is recorded, not printed.
    static QUIET: Cell<bool> = const { Cell::new(false) };
    /// Where and why the last quiet panic happened.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs, once, a panic hook that stays silent for cases (they are
/// reported with their input instead) and prints every other panic.
fn quiet_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let place = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".into());
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{place}: {message}")));
            } else {
                default(info);
            }
        }));
    });
}

/// The options of one case: which environment, secrets, `--url` and `--var`.
#[derive(Clone, Copy, Debug)]
struct Setup {
    env: bool,
    require_secrets: bool,
    base_url: Option<&'static str>,
    overrides: bool,
}

impl Setup {
    const PLAIN: Setup = Setup {
        env: false,
        require_secrets: false,
        base_url: None,
        overrides: false,
    };

    fn random(rng: &mut Rng) -> Setup {
        Setup {
            env: rng.chance(30),
            require_secrets: rng.chance(30),
            base_url: match rng.below(6) {
                0 => Some("http://127.0.0.1:8480/"),
                1 => Some("not a url"),
                _ => None,
            },
            overrides: rng.chance(20),
        }
    }
}

fn fixed_env(name: &str) -> Option<String> {
    match name {
        "CONSOLE_PASSWORD" => Some("docent-demo".into()),
        "DOCENT_FUZZ" => Some("from the environment".into()),
        "user" => Some("env-user".into()),
        "HOME" => Some("/home/fuzz".into()),
        _ => None,
    }
}

/// Loads `source` as the runbook at `path` and renders the outcome. Returns
/// what went wrong: a panic (with where it happened) or a broken invariant.
fn exercise(source: &str, path: &Path, setup: Setup) -> Result<Verdict, String> {
    let no_env = |_: &str| None;
    let mut overrides = BTreeMap::new();
    if setup.overrides {
        overrides.insert("tracker".to_string(), "audit".to_string());
        overrides.insert("inc".to_string(), "good.yaml".to_string());
    }
    let options = LoadOptions {
        overrides,
        env: if setup.env { &fixed_env } else { &no_env },
        base_url: setup.base_url.map(str::to_string),
        require_secrets: setup.require_secrets,
    };
    QUIET.with(|q| q.set(true));
    LAST_PANIC.with(|p| p.borrow_mut().take());
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        let result = runbook::parse(source, path, &options);
        let rendered = match &result {
            Ok(book) => {
                let shown = path.display().to_string();
                book.warnings
                    .iter()
                    .map(|diagnostic| {
                        Rendered {
                            path: &shown,
                            source,
                            diagnostic,
                        }
                        .to_string()
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            Err(error) => error.to_string(),
        };
        (result, rendered)
    }));
    QUIET.with(|q| q.set(false));
    let (result, rendered) = outcome.map_err(|_| {
        let why = LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| "a panic".into());
        format!("panicked at {why}")
    })?;
    check_invariants(&result, &rendered)?;
    Ok(match &result {
        Ok(_) => Verdict::Loaded,
        Err(_) if rendered.starts_with("error: invalid YAML") => Verdict::NotYaml,
        Err(_) => Verdict::Rejected,
    })
}

/// How a case ended, to show that the inputs reach the lowering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Loaded,
    NotYaml,
    Rejected,
}

fn check_invariants(
    result: &Result<runbook::Runbook, LoadError>,
    rendered: &str,
) -> Result<(), String> {
    let diagnostics = match result {
        Ok(book) => {
            if let Some(d) = book.warnings.iter().find(|d| d.severity == Severity::Error) {
                return Err(format!("loaded despite the error `{}`", d.message));
            }
            &book.warnings[..]
        }
        Err(LoadError::Io { .. }) => return Err("parse gave an I/O error".into()),
        Err(error) => {
            if !error
                .diagnostics()
                .iter()
                .any(|d| d.severity == Severity::Error)
            {
                return Err("rejected without an error".into());
            }
            error.diagnostics()
        }
    };
    for d in diagnostics {
        if d.pos.line < 1 || d.pos.column < 1 {
            return Err(format!(
                "`{}` is at {}:{}, not a 1-based position",
                d.message, d.pos.line, d.pos.column
            ));
        }
        if d.width < 1 {
            return Err(format!("`{}` underlines nothing", d.message));
        }
    }
    let drawn = rendered.contains("-->") && rendered.contains('^');
    if !diagnostics.is_empty() && !drawn {
        return Err("the rendering has no `-->` or no caret".into());
    }
    Ok(())
}

/// Runs `body` on a thread with the stack of a program's main thread.
fn on_big_stack<F: FnOnce() + Send + 'static>(body: F) {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(body)
        .expect("spawn the fuzzing thread")
        .join()
        .unwrap_or_else(|e| panic::resume_unwind(e));
}

/// Collects failing cases and, at the end, shrinks and reports them.
struct Campaign {
    name: &'static str,
    path: PathBuf,
    cases: usize,
    verdicts: [usize; 3],
    failures: Vec<(String, Setup, String)>,
    started: Instant,
}

impl Campaign {
    fn new(name: &'static str, path: PathBuf) -> Self {
        quiet_panics();
        Campaign {
            name,
            path,
            cases: 0,
            verdicts: [0; 3],
            failures: Vec::new(),
            started: Instant::now(),
        }
    }

    fn run(&mut self, source: &str, setup: Setup) {
        self.cases += 1;
        let result = exercise(source, &self.path, setup);
        if let Ok(verdict) = result {
            self.verdicts[verdict as usize] += 1;
        }
        if let Err(why) = result {
            // One example of each kind of failure is enough to report.
            if !self.failures.iter().any(|(_, _, w)| *w == why) && self.failures.len() < 20 {
                self.failures.push((source.to_string(), setup, why));
            }
        }
    }

    fn finish(self) {
        eprintln!(
            "{}: {} cases in {:.1?} ({} loaded, {} not YAML, {} rejected by the loader)",
            self.name,
            self.cases,
            self.started.elapsed(),
            self.verdicts[Verdict::Loaded as usize],
            self.verdicts[Verdict::NotYaml as usize],
            self.verdicts[Verdict::Rejected as usize],
        );
        if self.failures.is_empty() {
            return;
        }
        let mut report = String::new();
        for (source, setup, why) in &self.failures {
            let small = shrink(source, &self.path, *setup, why);
            report.push_str(&format!(
                "\n{why}\n  setup: {setup:?}\n  input ({} bytes, shrunk from {}): {small:?}\n",
                small.len(),
                source.len()
            ));
        }
        panic!(
            "{}: {} of {} cases failed:{report}",
            self.name,
            self.failures.len(),
            self.cases
        );
    }
}

/// The failure's kind without details that change as the input shrinks.
fn same_failure(a: &str, b: &str) -> bool {
    let kind = |s: &str| -> String {
        match s.strip_prefix("panicked at ") {
            // The panic's place (file:line) identifies it.
            Some(rest) => rest.split(": ").next().unwrap_or(rest).to_string(),
            None => s.split('`').next().unwrap_or(s).to_string(),
        }
    };
    kind(a) == kind(b)
}

/// A smaller input that fails the same way: chunks of lines, then of
/// characters, are removed while the failure stays.
fn shrink(source: &str, path: &Path, setup: Setup, why: &str) -> String {
    let fails =
        |candidate: &str| exercise(candidate, path, setup).is_err_and(|w| same_failure(&w, why));
    let mut best = source.to_string();
    let mut budget = 3000;
    for by_lines in [true, false] {
        let mut chunk = if by_lines {
            best.split_inclusive('\n').count()
        } else {
            best.chars().count()
        };
        while chunk >= 1 && budget > 0 {
            let mut start = 0;
            loop {
                let pieces: Vec<&str> = if by_lines {
                    best.split_inclusive('\n').collect()
                } else {
                    best.char_indices()
                        .map(|(i, c)| &best[i..i + c.len_utf8()])
                        .collect()
                };
                if start >= pieces.len() || budget == 0 {
                    break;
                }
                let end = (start + chunk).min(pieces.len());
                let candidate: String = pieces[..start].concat() + &pieces[end..].concat();
                budget -= 1;
                if fails(&candidate) {
                    best = candidate;
                } else {
                    start = end;
                }
            }
            chunk /= 2;
        }
    }
    best
}

// ---------------------------------------------------------------------------
// Fixtures for includes

/// A folder of runbooks for `run:` to point at, and the path of the runbook
/// under test (`main.yaml`, which exists so that `run: main.yaml` is the
/// runbook including itself).
struct Fixtures {
    dir: tempfile::TempDir,
}

impl Fixtures {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |name: &str, text: &[u8]| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("main.yaml", b"name: Main\nsteps:\n  - run: main.yaml\n");
        write(
            "good.yaml",
            b"name: Log in\nsteps:\n  - goto: http://127.0.0.1:8480/login\n  - click: Log In\n",
        );
        write(
            "uses-vars.yaml",
            b"name: Uses vars\nvars: { who: nobody }\nsteps:\n  - fill: { label: User, with: \"${user} ${who}\" }\n",
        );
        write(
            "bad.yaml",
            b"name: Bad\nsteps:\n  - clik: A\n  - toggle: { label: A, to: maybe }\n  - sleep: 5\n",
        );
        write(
            "nameless.yaml",
            b"nmae: Bad\nsteps:\n  - clik: A\n  - toggle: { label: A, to: maybe }\n",
        );
        write("syntax.yaml", b"name: x\nsteps:\n  - click: [Next\n");
        write("empty.yaml", b"");
        write("list.yaml", b"- a\n- b\n");
        write("binary.yaml", &[0xff, 0xfe, 0x00, 0x80, b'\n']);
        write("loop-a.yaml", b"name: A\nsteps:\n  - run: loop-b.yaml\n");
        write("loop-b.yaml", b"name: B\nsteps:\n  - run: loop-a.yaml\n");
        write(
            "nested/deep.yaml",
            b"name: Deep\nsteps:\n  - run: ../good.yaml\n",
        );
        write(
            "nested/up.yaml",
            b"name: Up\nsteps:\n  - run: ../main.yaml\n",
        );
        for i in 0..20 {
            write(
                &format!("chain-{i}.yaml"),
                format!("name: Chain {i}\nsteps:\n  - run: chain-{}.yaml\n", i + 1).as_bytes(),
            );
        }
        write("chain-20.yaml", b"name: End\nsteps:\n  - back\n");
        std::fs::create_dir_all(dir.path().join("dir")).unwrap();
        Fixtures { dir }
    }

    fn main(&self) -> PathBuf {
        self.dir.path().join("main.yaml")
    }
}

/// What `run:` may name: fixtures, missing files, directories, itself.
#[rustfmt::skip]
const RUN_TARGETS: &[&str] = &[
    "good.yaml", "uses-vars.yaml", "bad.yaml", "nameless.yaml", "syntax.yaml", "empty.yaml",
    "list.yaml", "binary.yaml", "loop-a.yaml", "nested/deep.yaml", "nested/up.yaml",
    "chain-0.yaml", "chain-10.yaml", "main.yaml", "./main.yaml", "nested/../main.yaml",
    "missing.yaml", "missing/", "dir", "dir/", ".", "..", "", " ", "/",
    "/nonexistent/runbook.yaml", "${inc}", "${env.HOME}", "good.yaml\0",
];

// ---------------------------------------------------------------------------
// Random YAML from the language's grammar

/// A YAML tree; scalars hold their text before quoting.
enum Y {
    S(String),
    L(Vec<Y>),
    M(Vec<(String, Y)>),
}

#[rustfmt::skip]
const WORDS: &[&str] = &[
    "Next", "Log In", "Create Tracker", "Operation successfully!", "system", "IAM User Name", "a",
    "0", "-", "on", "off", "yes", "no", "true", "false", "null", "~", "accept", "dismiss", "new",
    "first", "success", "error", "any", "button", "buton", "option", "switch", "Enter", "Entr",
    "Control+A", "Ctrl+Shift+Tab", "Hyper+X", "+", "Space", "F13", "500ms", "10s", "1.5s", "2m",
    "0s", "10", "3h", "-1s", "1e9s", "99999999999999999999s", ".s", "ms", "/login",
    "http://127.0.0.1:8480/", "http://[::1", "about:blank", "://", "file:///etc/passwd",
    "#app > .btn", "//div[@id='x']", "(unclosed", "[a-", "a{2,1}", ".*", "tracker-list",
    "My Figure", "ref", "é", "日本語", "🦀", "\u{202e}reversed", "e\u{301}", "\u{200b}",
    "\u{feff}bom", "\t", " ", "", "\\", "\"", "'", "a: b", "- x", "# not a comment", "{", "}",
    "[", "&anchor", "*alias", "!tag", "%", "@", "`", "|", ">",
];

#[rustfmt::skip]
const VARIABLES: &[&str] = &[
    "${user}", "${tracker}", "${region}", "${CONSOLE_PASSWORD}", "${ref}", "${inc}", "${nope}",
    "${env.HOME}", "${env.DOCENT_FUZZ}", "${env.NOT_SET_ANYWHERE}", "${env.}", "${}", "${ }",
    "${", "${user", "$${user}", "$${", "$", "$$", "${${user}}", "${é}",
];

#[rustfmt::skip]
const NAMES: &[&str] = &[
    "user", "tracker", "region", "ref", "inc", "CONSOLE_PASSWORD", "DOCENT_FUZZ", "HOME", "x",
    "a b", "", "env.HOME", "日本",
];

fn text(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=3 => rng.pick(WORDS).to_string(),
        4 | 5 => rng.pick(VARIABLES).to_string(),
        6 => format!(
            "{} {} {}",
            rng.pick(WORDS),
            rng.pick(VARIABLES),
            rng.pick(WORDS)
        ),
        7 => {
            // Very long, sometimes with a variable in the middle or at the end.
            // (Variables are fewer: each costs the loader a pass over its line.)
            let piece = *rng.pick(&["a", "é", "日本", "ab ", "🦀", "x${user}"]);
            let times = if piece.contains('$') {
                1 + rng.below(100)
            } else {
                50 + rng.below(3000)
            };
            let mut s = piece.repeat(times);
            if rng.chance(50) {
                s.push_str(rng.one(VARIABLES));
            }
            s
        }
        8 => {
            // Arbitrary characters, including control characters.
            let n = rng.below(20);
            (0..n)
                .map(|_| char::from_u32(rng.below(0x3000) as u32).unwrap_or('?'))
                .collect()
        }
        _ => rng.pick(NAMES).to_string(),
    }
}

/// A scalar as the YAML parser would produce it from plain text: numbers,
/// booleans and nulls are written bare.
fn scalar(rng: &mut Rng) -> Y {
    Y::S(match rng.below(12) {
        0 => rng
            .pick(&[
                "0",
                "1",
                "-1",
                "2",
                "100",
                "1.5",
                "-0.0",
                "1e400",
                ".nan",
                ".inf",
                "0x1F",
                "0o17",
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775809",
                "99999999999999999999",
            ])
            .to_string(),
        1 => rng.pick(&["true", "false", "null", "~", ""]).to_string(),
        _ => text(rng),
    })
}

/// Any value: a scalar, or a (possibly empty, possibly deep) collection.
fn anything(rng: &mut Rng, depth: usize) -> Y {
    if depth > 6 || rng.chance(60) {
        return scalar(rng);
    }
    let n = rng.below(4);
    if rng.chance(50) {
        Y::L((0..n).map(|_| anything(rng, depth + 1)).collect())
    } else {
        Y::M(
            (0..n)
                .map(|_| (key_name(rng, &[]), anything(rng, depth + 1)))
                .collect(),
        )
    }
}

/// A key: usually one of `allowed`, sometimes another key of the language,
/// a misspelling or junk.
fn key_name(rng: &mut Rng, allowed: &[&str]) -> String {
    if !allowed.is_empty() && rng.chance(80) {
        return rng.pick(allowed).to_string();
    }
    match rng.below(6) {
        0 => spec::STEPS[rng.below(spec::STEPS.len())]
            .keyword
            .to_string(),
        1 => spec::TARGET_FIELDS[rng.below(spec::TARGET_FIELDS.len())]
            .name
            .to_string(),
        2 => spec::STEP_MODIFIERS[rng.below(spec::STEP_MODIFIERS.len())]
            .name
            .to_string(),
        3 => {
            // A misspelling of a real key: one character dropped or doubled.
            let word: Vec<char> = spec::TOP_FIELDS[rng.below(spec::TOP_FIELDS.len())]
                .name
                .chars()
                .collect();
            let i = rng.below(word.len());
            let mut out: String = word[..i].iter().collect();
            if rng.chance(50) {
                out.push(word[i]);
            }
            out.extend(&word[i..]);
            out
        }
        4 => rng
            .pick(&["section", "run", "vars", "steps", "name", "<<"])
            .to_string(),
        _ => text(rng),
    }
}

/// A value of the given shape, or now and then something else.
fn shaped(rng: &mut Rng, shape: Shape, depth: usize) -> Y {
    if rng.chance(12) {
        return anything(rng, depth + 1);
    }
    match shape {
        Shape::Text | Shape::Url | Shape::Name | Shape::Duration => scalar(rng),
        Shape::Bool => Y::S(rng.pick(&["true", "false", "yes", "on", "1"]).to_string()),
        Shape::Int { .. } => Y::S(rng.pick(&["0", "1", "3", "-1", "1.5", "x"]).to_string()),
        Shape::Word(words) => Y::S(if rng.chance(80) {
            rng.pick(words).to_string()
        } else {
            text(rng)
        }),
        Shape::Target => target(rng, depth),
        Shape::Targets => {
            if rng.chance(50) {
                target(rng, depth)
            } else {
                Y::L((0..rng.below(4)).map(|_| target(rng, depth + 1)).collect())
            }
        }
        Shape::Matcher => {
            if rng.chance(50) {
                scalar(rng)
            } else {
                mapping(rng, spec::MATCHER_FIELDS, &[], depth)
            }
        }
        Shape::Keys => {
            if rng.chance(70) {
                scalar(rng)
            } else {
                Y::L((0..rng.below(4)).map(|_| scalar(rng)).collect())
            }
        }
        Shape::Condition => {
            if rng.chance(40) {
                target(rng, depth)
            } else {
                let field = rng.pick(spec::CONDITION_FIELDS);
                let mut entries =
                    vec![(field.name.to_string(), shaped(rng, field.shape, depth + 1))];
                if rng.chance(15) {
                    let other = rng.pick(spec::CONDITION_FIELDS);
                    entries.push((other.name.to_string(), shaped(rng, other.shape, depth + 1)));
                }
                Y::M(entries)
            }
        }
        Shape::Vars => Y::M(
            (0..rng.below(5))
                .map(|_| (rng.pick(NAMES).to_string(), scalar(rng)))
                .collect(),
        ),
        Shape::Names => Y::L(
            (0..rng.below(4))
                .map(|_| Y::S(rng.pick(NAMES).to_string()))
                .collect(),
        ),
        Shape::Steps => steps(rng, depth + 1),
    }
}

fn target(rng: &mut Rng, depth: usize) -> Y {
    if depth > 8 || rng.chance(40) {
        return scalar(rng);
    }
    mapping(rng, spec::TARGET_FIELDS, &[], depth)
}

/// A mapping of a random selection of `fields` (usually one or two of the
/// locator keys among them), plus `extra` fields that are required.
fn mapping(rng: &mut Rng, fields: &[Field], extra: &[Field], depth: usize) -> Y {
    let mut entries = Vec::new();
    let n = rng.below(3) + usize::from(rng.chance(20)) * 2;
    for _ in 0..n {
        let field = rng.pick(fields);
        entries.push((field.name.to_string(), shaped(rng, field.shape, depth + 1)));
    }
    for field in extra {
        if rng.chance(85) {
            entries.push((field.name.to_string(), shaped(rng, field.shape, depth + 1)));
        }
    }
    if rng.chance(10) {
        entries.push((key_name(rng, &[]), anything(rng, depth + 1)));
    }
    if rng.chance(20) {
        let i = rng.below(entries.len() + 1);
        let j = rng.below(entries.len() + 1);
        if i < entries.len() && j < entries.len() {
            entries.swap(i, j);
        }
    }
    Y::M(entries)
}

/// One entry of `steps`.
fn entry(rng: &mut Rng, depth: usize) -> Y {
    let roll = rng.below(100);
    if depth < 6 && roll < 10 {
        let mut entries = vec![
            ("section".to_string(), scalar(rng)),
            ("steps".to_string(), steps(rng, depth + 1)),
        ];
        add_modifiers(rng, &mut entries, spec::SECTION_FIELDS, depth);
        return Y::M(entries);
    }
    if roll < 18 {
        let mut entries = vec![("run".to_string(), Y::S(rng.pick(RUN_TARGETS).to_string()))];
        if rng.chance(40) {
            entries.push(("vars".to_string(), shaped(rng, Shape::Vars, depth + 1)));
        }
        add_modifiers(rng, &mut entries, spec::RUN_FIELDS, depth);
        return Y::M(entries);
    }
    if roll < 22 {
        // A bare word: `- back`, or a step keyword that needs a value.
        return Y::S(
            spec::STEPS[rng.below(spec::STEPS.len())]
                .keyword
                .to_string(),
        );
    }
    if roll < 24 {
        return anything(rng, depth + 1);
    }
    let step: &StepSpec = &spec::STEPS[rng.below(spec::STEPS.len())];
    let value = step_value(rng, step, depth);
    let mut entries = vec![(step.keyword.to_string(), value)];
    add_modifiers(rng, &mut entries, spec::STEP_MODIFIERS, depth);
    if rng.chance(4) {
        // Two steps in one entry.
        let other = &spec::STEPS[rng.below(spec::STEPS.len())];
        entries.push((other.keyword.to_string(), step_value(rng, other, depth)));
    }
    Y::M(entries)
}

fn step_value(rng: &mut Rng, step: &StepSpec, depth: usize) -> Y {
    if step.bare {
        return if rng.chance(85) {
            Y::S(String::new())
        } else {
            anything(rng, depth + 1)
        };
    }
    match step.short {
        Some(shape) if rng.chance(50) => shaped(rng, shape, depth + 1),
        _ => {
            let mut fields: Vec<Field> = Vec::new();
            if step.target != TargetUse::None {
                fields.extend_from_slice(spec::TARGET_FIELDS);
            }
            let optional: Vec<Field> = step
                .fields
                .iter()
                .filter(|f| !f.required)
                .copied()
                .collect();
            fields.extend(optional);
            let required: Vec<Field> = step.fields.iter().filter(|f| f.required).copied().collect();
            if fields.is_empty() {
                fields.extend_from_slice(step.fields);
            }
            if fields.is_empty() {
                return anything(rng, depth + 1);
            }
            mapping(rng, &fields, &required, depth + 1)
        }
    }
}

fn add_modifiers(rng: &mut Rng, entries: &mut Vec<(String, Y)>, fields: &[Field], depth: usize) {
    for field in fields {
        if !matches!(field.name, "section" | "steps" | "run" | "vars") && rng.chance(10) {
            entries.push((field.name.to_string(), shaped(rng, field.shape, depth + 1)));
        }
    }
}

fn steps(rng: &mut Rng, depth: usize) -> Y {
    let n = if depth > 5 {
        rng.below(2)
    } else {
        rng.below(6)
    };
    Y::L((0..n).map(|_| entry(rng, depth)).collect())
}

/// A whole runbook: the top-level keys (most of the time `name` and
/// `steps`), in random order, with the occasional stranger.
fn document(rng: &mut Rng) -> Y {
    let mut entries: Vec<(String, Y)> = Vec::new();
    for field in spec::TOP_FIELDS {
        let wanted = if field.required { 90 } else { 35 };
        if rng.chance(wanted) {
            let value = match field.name {
                "url" if rng.chance(70) => Y::S(
                    rng.pick(&["http://127.0.0.1:8480", "https://x/", "ftp://x", "${base}"])
                        .to_string(),
                ),
                "timeout" if rng.chance(70) => Y::S(rng.pick(WORDS).to_string()),
                _ => shaped(rng, field.shape, 0),
            };
            entries.push((field.name.to_string(), value));
        }
    }
    if rng.chance(10) {
        entries.push((key_name(rng, &[]), anything(rng, 1)));
    }
    if rng.chance(30) && entries.len() > 1 {
        let i = rng.below(entries.len());
        let j = rng.below(entries.len());
        entries.swap(i, j);
    }
    if rng.chance(3) {
        return anything(rng, 0);
    }
    Y::M(entries)
}

// ---------------------------------------------------------------------------
// Well-formed runbooks, so that whole documents load and the success path of
// every step kind is lowered too (then lightly mutated, for near misses)

#[rustfmt::skip]
const CLEAN_TEXT: &[&str] = &[
    "Next", "Log In", "Operation successfully!", "Transfer to LTS", "日本語", "é", "🦀 crab",
    "$${literal}", "${user}", "${tracker} row", "two\nlines",
];

const CLEAN_DURATIONS: &[&str] = &["500ms", "10s", "1.5s", "2m", "100ms"];
#[rustfmt::skip]
const CLEAN_KEYS: &[&str] = &[
    "Enter", "Tab", "Control+A", "Shift+Tab", "a", "Esc", "Space", "F5", "Cmd+Option+k",
];
const CLEAN_REGEXES: &[&str] = &["^Next$", "Tracker \\d+", "Log [Ii]n", ".+"];

/// Names that must be unique in a runbook: screenshots and stored variables.
struct Unique(usize);

impl Unique {
    fn next(&mut self, prefix: &str) -> String {
        self.0 += 1;
        format!("{prefix}-{}", self.0)
    }
}

fn clean_text(rng: &mut Rng) -> Y {
    Y::S(rng.pick(CLEAN_TEXT).to_string())
}

fn word(w: &str) -> Y {
    Y::S(w.to_string())
}

fn clean_target_entries(rng: &mut Rng, depth: usize) -> Vec<(String, Y)> {
    let mut entries = Vec::new();
    match rng.below(9) {
        0 => entries.push(("regex".into(), word(rng.one(CLEAN_REGEXES)))),
        1 => {
            entries.push((
                "role".into(),
                word(rng.one(&["button", "link", "option", "switch"])),
            ));
            if rng.chance(70) {
                let key = *rng.pick(&["text", "contains"]);
                entries.push((key.into(), clean_text(rng)));
            }
        }
        2 => entries.push(("css".into(), word("#app .btn"))),
        3 => entries.push(("xpath".into(), word("//button[1]"))),
        4 => entries.push(("testid".into(), word("tracker-name"))),
        5 => entries.push(("placeholder".into(), clean_text(rng))),
        6 => entries.push(("label".into(), clean_text(rng))),
        7 => entries.push(("contains".into(), clean_text(rng))),
        _ => entries.push(("text".into(), clean_text(rng))),
    }
    if rng.chance(20) {
        entries.push(("row".into(), clean_text(rng)));
    }
    if depth < 4 && rng.chance(15) {
        entries.push(("within".into(), clean_target(rng, depth + 1)));
    }
    if rng.chance(15) {
        entries.push(("nth".into(), word(rng.one(&["1", "2", "3"]))));
    }
    entries
}

fn clean_target(rng: &mut Rng, depth: usize) -> Y {
    if rng.chance(40) {
        clean_text(rng)
    } else {
        Y::M(clean_target_entries(rng, depth))
    }
}

fn clean_matcher(rng: &mut Rng) -> Y {
    match rng.below(4) {
        0 => clean_text(rng),
        1 => Y::M(vec![("text".into(), clean_text(rng))]),
        2 => Y::M(vec![("contains".into(), clean_text(rng))]),
        _ => Y::M(vec![("regex".into(), word(rng.one(CLEAN_REGEXES)))]),
    }
}

fn clean_condition(rng: &mut Rng, depth: usize) -> Y {
    match rng.below(5) {
        0 => clean_target(rng, depth),
        1 => Y::M(vec![("visible".into(), clean_target(rng, depth))]),
        2 => Y::M(vec![("gone".into(), clean_target(rng, depth))]),
        3 => Y::M(vec![("url".into(), clean_matcher(rng))]),
        _ => Y::M(vec![("title".into(), clean_matcher(rng))]),
    }
}

fn clean_keys(rng: &mut Rng) -> Y {
    if rng.chance(70) {
        word(rng.one(CLEAN_KEYS))
    } else {
        Y::L(
            (0..1 + rng.below(3))
                .map(|_| word(rng.one(CLEAN_KEYS)))
                .collect(),
        )
    }
}

fn clean_value(rng: &mut Rng, shape: Shape, depth: usize, unique: &mut Unique) -> Y {
    match shape {
        Shape::Text => clean_text(rng),
        Shape::Duration => word(rng.one(CLEAN_DURATIONS)),
        Shape::Bool => word(rng.one(&["true", "false"])),
        Shape::Int { min } => word(&(min + rng.below(3) as i64).to_string()),
        Shape::Word(words) => word(rng.one(words)),
        Shape::Target => clean_target(rng, depth),
        Shape::Targets => {
            if rng.chance(50) {
                clean_target(rng, depth)
            } else {
                Y::L(
                    (0..1 + rng.below(2))
                        .map(|_| clean_target(rng, depth))
                        .collect(),
                )
            }
        }
        Shape::Matcher => clean_matcher(rng),
        Shape::Url => word(rng.one(&["/login", "http://127.0.0.1:8480/trackers", "trackers"])),
        Shape::Keys => clean_keys(rng),
        Shape::Condition => clean_condition(rng, depth),
        Shape::Vars => Y::M(vec![("user".into(), word("admin"))]),
        Shape::Names => Y::L(vec![word("CONSOLE_PASSWORD")]),
        Shape::Steps => clean_steps(rng, depth + 1, unique),
        Shape::Name => word(&unique.next("name")),
    }
}

fn clean_step(rng: &mut Rng, depth: usize, unique: &mut Unique) -> Y {
    let step = &spec::STEPS[rng.below(spec::STEPS.len())];
    let k = step.keyword;
    if step.bare {
        return word(k);
    }
    let value = match k {
        "goto" if rng.chance(50) => clean_value(rng, Shape::Url, depth, unique),
        "expect_url" | "expect_title" => clean_matcher(rng),
        "wait_for" => clean_condition(rng, depth),
        "sleep" => word(rng.one(CLEAN_DURATIONS)),
        "dialog" if rng.chance(50) => word(rng.one(&["accept", "dismiss"])),
        "window" => match rng.below(4) {
            0 => word("new"),
            1 => word("first"),
            2 => Y::M(vec![("title".into(), clean_matcher(rng))]),
            _ => Y::M(vec![("url".into(), clean_matcher(rng))]),
        },
        "expect_toast" => match clean_matcher(rng) {
            Y::M(mut entries) if rng.chance(50) => {
                entries.push(("kind".into(), word(rng.one(&["success", "error", "any"]))));
                Y::M(entries)
            }
            other => other,
        },
        "screenshot" => {
            let name = word(&unique.next("figure"));
            if rng.chance(40) {
                name
            } else {
                let mut entries = vec![("name".into(), name)];
                if rng.chance(50) {
                    entries.push(("caption".into(), clean_text(rng)));
                }
                match rng.below(3) {
                    0 => entries.push(("full_page".into(), word("true"))),
                    1 => entries.push(("element".into(), clean_target(rng, depth))),
                    _ => {}
                }
                for key in ["highlight", "mask"] {
                    if rng.chance(25) {
                        entries.push((key.into(), clean_value(rng, Shape::Targets, depth, unique)));
                    }
                }
                Y::M(entries)
            }
        }
        "store" => {
            let mut entries = clean_target_entries(rng, depth);
            entries.push(("as".into(), word(&unique.next("stored").replace('-', "_"))));
            Y::M(entries)
        }
        _ => {
            let short_ok = step.short.is_some() && !step.fields.iter().any(|f| f.required);
            if k == "press" && rng.chance(50) {
                clean_keys(rng)
            } else if short_ok && rng.chance(40) {
                match step.short {
                    Some(Shape::Target) | Some(Shape::Text) => clean_text(rng),
                    Some(shape) => clean_value(rng, shape, depth, unique),
                    None => clean_text(rng),
                }
            } else {
                let mut entries = match step.target {
                    TargetUse::Required => clean_target_entries(rng, depth),
                    TargetUse::Optional if rng.chance(50) => clean_target_entries(rng, depth),
                    _ => Vec::new(),
                };
                for field in step.fields {
                    if field.required || rng.chance(30) {
                        entries.push((
                            field.name.to_string(),
                            clean_value(rng, field.shape, depth, unique),
                        ));
                    }
                }
                Y::M(entries)
            }
        }
    };
    let mut entries = vec![(k.to_string(), value)];
    for modifier in spec::STEP_MODIFIERS {
        if rng.chance(8) {
            entries.push((
                modifier.name.to_string(),
                clean_value(rng, modifier.shape, depth, unique),
            ));
        }
    }
    Y::M(entries)
}

fn clean_steps(rng: &mut Rng, depth: usize, unique: &mut Unique) -> Y {
    let n = 1 + rng.below(if depth > 3 { 2 } else { 6 });
    Y::L(
        (0..n)
            .map(|_| match rng.below(100) {
                0..=7 if depth < 4 => Y::M(vec![
                    ("section".into(), clean_text(rng)),
                    ("steps".into(), clean_steps(rng, depth + 1, unique)),
                ]),
                8..=11 => {
                    let target = *rng.pick(&["good.yaml", "uses-vars.yaml", "nested/deep.yaml"]);
                    let mut entries = vec![("run".into(), word(target))];
                    if rng.chance(50) {
                        entries.push(("vars".into(), Y::M(vec![("user".into(), word("admin"))])));
                    }
                    Y::M(entries)
                }
                _ => clean_step(rng, depth, unique),
            })
            .collect(),
    )
}

/// A runbook that loads (with a base URL, `user` and `tracker` defined).
fn clean_document(rng: &mut Rng) -> Y {
    let mut unique = Unique(0);
    let mut entries = vec![
        ("name".to_string(), clean_text(rng)),
        ("url".to_string(), word("http://127.0.0.1:8480")),
        (
            "vars".to_string(),
            Y::M(vec![
                ("user".into(), word("demo")),
                ("tracker".into(), word("system")),
            ]),
        ),
    ];
    if rng.chance(30) {
        entries.push(("description".into(), clean_text(rng)));
    }
    if rng.chance(30) {
        entries.push(("secrets".into(), Y::L(vec![word("CONSOLE_PASSWORD")])));
    }
    if rng.chance(30) {
        entries.push(("timeout".into(), word(rng.one(CLEAN_DURATIONS))));
    }
    entries.push(("steps".into(), clean_steps(rng, 0, &mut unique)));
    Y::M(entries)
}

// ---------------------------------------------------------------------------
// Writing YAML text

/// Whether `s` can be written as a plain scalar and read back as the same text.
fn plain_safe(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || " _-./+()!${}@".contains(c))
        && !s.starts_with([' ', '-', '{', '}', '!', '@'])
        && !s.ends_with(' ')
        && !s.contains(": ")
        && !s.contains(" #")
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A scalar in a random style; now and then unquoted whatever it holds.
fn write_scalar(rng: &mut Rng, s: &str, in_flow: bool) -> String {
    match rng.below(20) {
        0 => s.to_string(),
        1 | 2 if !s.contains(['\n', '\r']) && !s.chars().any(char::is_control) => {
            format!("'{}'", s.replace('\'', "''"))
        }
        _ if plain_safe(s) && !(in_flow && s.contains(['{', '}', '[', ']', ','])) => s.to_string(),
        _ => double_quoted(s),
    }
}

fn write_flow(rng: &mut Rng, y: &Y, out: &mut String) {
    match y {
        Y::S(s) => out.push_str(&write_scalar(rng, s, true)),
        Y::L(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_flow(rng, item, out);
            }
            out.push(']');
        }
        Y::M(entries) => {
            out.push_str("{ ");
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&write_scalar(rng, k, true));
                out.push_str(": ");
                write_flow(rng, v, out);
            }
            out.push_str(" }");
        }
    }
}

/// Writes `y` in block style at `indent`; `inline` says the first line
/// continues one already started (after `- ` or `key: `).
fn write_block(rng: &mut Rng, y: &Y, indent: usize, out: &mut String) {
    let step = 2 + rng.below(2);
    match y {
        Y::S(s) => {
            if rng.chance(5) && !s.contains(['\r']) {
                // A literal block scalar.
                out.push_str("|\n");
                for line in s.split('\n') {
                    out.push_str(&" ".repeat(indent + step));
                    out.push_str(line);
                    out.push('\n');
                }
            } else {
                out.push_str(&write_scalar(rng, s, false));
                out.push('\n');
            }
        }
        Y::L(items) if items.is_empty() => out.push_str("[]\n"),
        Y::M(entries) if entries.is_empty() => out.push_str("{}\n"),
        _ if rng.chance(25) => {
            write_flow(rng, y, out);
            out.push('\n');
        }
        Y::L(items) => {
            out.push('\n');
            for item in items {
                out.push_str(&" ".repeat(indent));
                out.push_str("- ");
                write_item(rng, item, indent + 2, out);
            }
        }
        Y::M(entries) => {
            out.push('\n');
            write_entries(rng, entries, indent + step, out, false);
        }
    }
}

/// The value of a list item, which starts right after `- `.
fn write_item(rng: &mut Rng, y: &Y, indent: usize, out: &mut String) {
    match y {
        Y::M(entries) if !entries.is_empty() && rng.chance(80) => {
            write_entries(rng, entries, indent, out, true)
        }
        _ => write_block(rng, y, indent, out),
    }
}

fn write_entries(
    rng: &mut Rng,
    entries: &[(String, Y)],
    indent: usize,
    out: &mut String,
    inline: bool,
) {
    for (i, (k, v)) in entries.iter().enumerate() {
        if !(inline && i == 0) {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&write_scalar(rng, k, false));
        out.push_str(": ");
        write_block(rng, v, indent, out);
    }
}

fn yaml(rng: &mut Rng, y: &Y) -> String {
    let mut out = String::new();
    if rng.chance(10) {
        out.push_str("# a comment\n");
    }
    match y {
        Y::M(entries) if !entries.is_empty() => write_entries(rng, entries, 0, &mut out, false),
        other => write_block(rng, other, 0, &mut out),
    }
    if rng.chance(5) {
        out.push_str("...\n");
    }
    out
}

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
        let mut rng = Rng::new(0x0DEC_E470_0001);
        const YAMLISH: &[u8] = b" \n\t:-{}[],#&*!|>'\"%@`?$\\.0123456789abcnrstuxyz\r";
        for _ in 0..4000 {
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
        let mut rng = Rng::new(0x0DEC_E470_0002);
        for _ in 0..3000 {
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
        let mut rng = Rng::new(0x0DEC_E470_0004);
        for _ in 0..1500 {
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
            loaded * 10 >= clean.cases * 7,
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
        let mut rng = Rng::new(0x0DEC_E470_0003);
        for _ in 0..3000 {
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

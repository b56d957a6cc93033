//! Running one input: loading it on a large stack with panics caught,
//! checking the invariants of what comes back, shrinking a failure, and
//! the fixture files that includes point at.

use super::*;

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
pub(crate) fn quiet_panics() {
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
pub(crate) struct Setup {
    pub(crate) env: bool,
    pub(crate) require_secrets: bool,
    pub(crate) base_url: Option<&'static str>,
    pub(crate) overrides: bool,
}

impl Setup {
    pub(crate) const PLAIN: Setup = Setup {
        env: false,
        require_secrets: false,
        base_url: None,
        overrides: false,
    };

    pub(crate) fn random(rng: &mut Rng) -> Setup {
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

pub(crate) fn fixed_env(name: &str) -> Option<String> {
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
pub(crate) fn exercise(source: &str, path: &Path, setup: Setup) -> Result<Verdict, String> {
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
pub(crate) enum Verdict {
    Loaded,
    NotYaml,
    Rejected,
}

pub(crate) fn check_invariants(
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
    // A file that does not start like a runbook is named, not quoted.
    let drawn = rendered.contains("-->")
        && (rendered.contains('^') || rendered.contains("its lines are not shown"));
    if !diagnostics.is_empty() && !drawn {
        return Err("the rendering has no `-->` or no caret".into());
    }
    Ok(())
}

/// Runs `body` on a thread with the stack of a program's main thread.
pub(crate) fn on_big_stack<F: FnOnce() + Send + 'static>(body: F) {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(body)
        .expect("spawn the fuzzing thread")
        .join()
        .unwrap_or_else(|e| panic::resume_unwind(e));
}

/// Collects failing cases and, at the end, shrinks and reports them.
pub(crate) struct Campaign {
    name: &'static str,
    pub(crate) path: PathBuf,
    pub(crate) cases: usize,
    pub(crate) verdicts: [usize; 3],
    /// One example of each kind of failure: the input, its setup, what
    /// went wrong, and its case number.
    pub(crate) failures: Vec<(String, Setup, String, usize)>,
    pub(crate) started: Instant,
}

impl Campaign {
    pub(crate) fn new(name: &'static str, path: PathBuf) -> Self {
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

    pub(crate) fn run(&mut self, source: &str, setup: Setup) {
        self.cases += 1;
        let result = exercise(source, &self.path, setup);
        if let Ok(verdict) = result {
            self.verdicts[verdict as usize] += 1;
        }
        if let Err(why) = result {
            // One example of each kind of failure is enough to report.
            if !self.failures.iter().any(|(_, _, w, _)| *w == why) && self.failures.len() < 20 {
                self.failures
                    .push((source.to_string(), setup, why, self.cases));
            }
        }
    }

    /// Whether a campaign of generated cases goes on: until its budget of
    /// time (or of cases) is spent.
    pub(crate) fn more(&self) -> bool {
        budget().more(self.cases, self.started.elapsed())
    }

    pub(crate) fn finish(self) {
        show(&format!(
            "loader fuzz: {}: {} cases in {:.1?} ({} loaded, {} not YAML, {} rejected by the loader)",
            self.name,
            self.cases,
            self.started.elapsed(),
            self.verdicts[Verdict::Loaded as usize],
            self.verdicts[Verdict::NotYaml as usize],
            self.verdicts[Verdict::Rejected as usize],
        ));
        if self.failures.is_empty() {
            return;
        }
        let mut report = String::new();
        for (source, setup, why, case) in &self.failures {
            let small = shrink(source, &self.path, *setup, why);
            report.push_str(&format!(
                "\n{why}\n  case {case} (repeat the run with {})\n  setup: {setup:?}\n  input ({} bytes, shrunk from {}): {small:?}\n",
                budget().repeat(*case),
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
pub(crate) fn same_failure(a: &str, b: &str) -> bool {
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
pub(crate) fn shrink(source: &str, path: &Path, setup: Setup, why: &str) -> String {
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
pub(crate) struct Fixtures {
    pub(crate) dir: tempfile::TempDir,
}

impl Fixtures {
    pub(crate) fn new() -> Self {
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

    pub(crate) fn main(&self) -> PathBuf {
        self.dir.path().join("main.yaml")
    }
}

/// What `run:` may name: fixtures, missing files, directories, itself.
#[rustfmt::skip]
pub(crate) const RUN_TARGETS: &[&str] = &[
    "good.yaml", "uses-vars.yaml", "bad.yaml", "nameless.yaml", "syntax.yaml", "empty.yaml",
    "list.yaml", "binary.yaml", "loop-a.yaml", "nested/deep.yaml", "nested/up.yaml",
    "chain-0.yaml", "chain-10.yaml", "main.yaml", "./main.yaml", "nested/../main.yaml",
    "missing.yaml", "missing/", "dir", "dir/", ".", "..", "", " ", "/",
    "/nonexistent/runbook.yaml", "${inc}", "${env.HOME}", "good.yaml\0",
];

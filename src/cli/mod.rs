//! The command line: `run`, `validate`, `schema`, `console`, `demo` and
//! `completions`. Each command
//! maps its outcome to a documented exit code:
//! 0 passed, 1 a step failed, 2 the runbook or the command line is invalid,
//! 3 the browser or the console could not be started or broke down,
//! 130 interrupted (Ctrl-C or SIGTERM; the browser is closed first).
//!
//! `run` and `demo` take their defaults for the browser session (endpoint,
//! capabilities, workers) from a `docent.toml` ([`config`]).
//!
//! What it prints of a runbook (its name, its path) or of an error that may
//! quote one is escaped by [`crate::printable`], so neither can send
//! control characters to the terminal.

mod batch;
pub mod config;
mod exit_code;
mod flags;
pub mod select;

pub use exit_code::ExitCode;
pub use flags::Cli;
use flags::{Command, RunFlags};

use crate::browser::{Fonts, LaunchOptions};
use crate::engine::{Event, MaxDuration, Reporter, RunOptions, RunStatus, VisualOptions};
use crate::folder::Output;
use crate::report::files::Files;
use crate::report::json_lines::JsonLines;
use crate::report::record::RunRecord;
use crate::report::terminal::{LiveTarget, Terminal, TerminalOptions};
use crate::report::{Outputs, junit};
use crate::runbook::{self, LoadOptions, Runbook};
use crate::visual::baseline::Approval;
use crate::{console, printable, runner};
use clap::CommandFactory;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The seed runbook, built in so `docent demo` works from any directory.
const DEMO_RUNBOOK: &str = include_str!("../../runbooks/mtd-create-tracker.yaml");
const DEMO_RUNBOOK_PATH: &str = "runbooks/mtd-create-tracker.yaml";

/// Entry point used by `main`.
pub async fn main(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Run {
            runbooks,
            mut run,
            mut batch,
            vars,
            url,
        } => {
            match configure(&mut run) {
                Ok(config) => batch.workers = batch.workers.or(config.workers),
                Err(code) => return code,
            }
            let options = LoadOptions {
                overrides: vars.into_iter().collect(),
                base_url: url,
                ..LoadOptions::default()
            };
            warn_if_fonts_missing(&run);
            batch::run(&runbooks, &options, &run, &batch, max_duration(&run)).await
        }
        Command::Validate {
            runbooks,
            select,
            vars,
            url,
            config,
        } => {
            // The settings `run` would read are checked as well, and
            // everything wrong is reported before the exit code says so.
            let settings = validate_config(config.as_deref());
            let books = validate(&runbooks, &select, vars.into_iter().collect(), url);
            settings.max(books)
        }
        Command::Schema => {
            let _ = write!(std::io::stdout(), "{}", runbook::schema::json());
            ExitCode::Passed
        }
        // Settings the console refuses are the command line's fault, not
        // a broken console.
        Command::Console(config) if config.check().is_err() => {
            if let Err(message) = config.check() {
                eprintln!("error: {message}");
            }
            ExitCode::Invalid
        }
        Command::Console(config) => match console::serve(config).await {
            Ok(()) => ExitCode::Passed,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::Broken
            }
        },
        Command::Demo { mut run } => {
            if let Err(code) = configure(&mut run) {
                return code;
            }
            run.demo = true;
            warn_if_fonts_missing(&run);
            demo(&run).await
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "docent", &mut script);
            // Written whole, so a closed pipe is an ignored error, not a panic.
            let _ = std::io::stdout().write_all(&script);
            ExitCode::Passed
        }
    }
}

/// Checks the configuration `run` would read (`--config`'s file, or
/// `docent.toml` here when there is one): "ok" with where it came from,
/// or its problems at their `file:line:column` (exit 2).
fn validate_config(named: Option<&Path>) -> ExitCode {
    match config::Config::load(named) {
        Ok(config) => {
            if let Some(path) = &config.path {
                let _ = writeln!(
                    std::io::stdout(),
                    "ok: {} (settings for run and demo)",
                    printable::line(&path.display().to_string())
                );
            }
            ExitCode::Passed
        }
        Err(e) => {
            eprint!("{e}");
            ExitCode::Invalid
        }
    }
}

fn validate(
    paths: &[PathBuf],
    select: &batch::SelectFlags,
    overrides: BTreeMap<String, String>,
    url: Option<String>,
) -> ExitCode {
    let options = LoadOptions {
        overrides,
        base_url: url,
        require_secrets: false,
        ..LoadOptions::default()
    };
    let batch::Chosen { books, invalid, .. } =
        match batch::choose(paths, &|path| runbook::load_file(path, &options), select) {
            Ok(chosen) => chosen,
            Err(code) => return code,
        };
    for book in &books {
        let path = &book.path;
        let source = runbook::read(path, false).unwrap_or_default();
        let shown = path.display().to_string();
        for warning in &book.warnings {
            eprintln!(
                "{}",
                runbook::diagnostic::Rendered {
                    path: &shown,
                    source: &source,
                    diagnostic: warning,
                }
            );
        }
        let steps = book.steps().len();
        let plural = if steps == 1 { "" } else { "s" };
        let warned = match book.warnings.len() {
            0 => String::new(),
            1 => ", 1 warning".into(),
            n => format!(", {n} warnings"),
        };
        // `docent validate ... | head` must not panic on the closed pipe.
        let _ = writeln!(
            std::io::stdout(),
            "ok: {} ({}, {steps} step{plural}{warned})",
            printable::line(&shown),
            printable::line(&book.name)
        );
    }
    if invalid {
        ExitCode::Invalid
    } else {
        ExitCode::Passed
    }
}

async fn demo(flags: &RunFlags) -> ExitCode {
    let console = match console::start(console::Config {
        port: 0,
        ..console::Config::default()
    })
    .await
    {
        Ok(console) => console,
        Err(e) => {
            eprintln!("error: cannot start the simulated console: {e:#}");
            return ExitCode::Broken;
        }
    };
    note(flags, &format!("simulated console at {}", console.url()));
    let password = console::Config::default().password;
    let env = move |name: &str| {
        std::env::var(name)
            .ok()
            .or_else(|| (name == "CONSOLE_PASSWORD").then(|| password.clone()))
    };
    let options = LoadOptions {
        base_url: Some(console.url()),
        env: &env,
        ..LoadOptions::default()
    };
    let out_dir = flags
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("screenshots").join("mtd-create-tracker"));
    let code = match runbook::parse(DEMO_RUNBOOK, Path::new(DEMO_RUNBOOK_PATH), &options) {
        Ok(book) => {
            run_book(
                &book,
                flags,
                Some(out_dir),
                max_duration(flags),
                &batch::Voice::direct(),
            )
            .await
            .0
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::Invalid
        }
    };
    console.shutdown().await;
    code
}

/// Puts docent.toml (or `--config`'s file) under the command line's flags.
/// The browser (`--browser`, else the file's `browser`) picks its `[browsers.<name>]` section.
fn configure(run: &mut RunFlags) -> Result<config::Config, ExitCode> {
    config::settle(run)
}

/// When the command must end, if `--max-duration` says: counted from now,
/// before any runbook is loaded or browser started.
fn max_duration(flags: &RunFlags) -> Option<MaxDuration> {
    flags.max_duration.map(|limit| MaxDuration {
        limit,
        ends: std::time::Instant::now() + limit,
    })
}

/// Says once, before any browser starts, that the pinned fonts are not
/// installed: the browser then renders with the machine's fonts, and
/// figures may differ from baselines taken on another machine.
fn warn_if_fonts_missing(flags: &RunFlags) {
    if flags.system_fonts {
        return;
    }
    let missing = crate::browser::fonts::missing();
    if let Some(first) = missing.first() {
        eprintln!(
            "warning: {} of docent's pinned font files are missing ({}, …); the browser renders \
             with this machine's fonts, so figures may differ from baselines taken elsewhere. \
             `make deps` installs them (Debian packages fonts-liberation and fonts-dejavu-core); \
             --system-fonts uses the machine's fonts without this warning",
            missing.len(),
            printable::line(&first.display().to_string())
        );
    }
}

/// A line for the person at the terminal: on stdout, unless stdout
/// carries `--json`'s events. A reader that went away is not an error.
fn note(flags: &RunFlags, line: &str) {
    note_to(flags, &batch::Voice::direct(), line);
}

/// [`note`], through a run's `voice`.
fn note_to(flags: &RunFlags, voice: &batch::Voice, line: &str) {
    let line = printable::line(line);
    if flags.json {
        let _ = writeln!(voice.stderr(), "{line}");
    } else {
        let _ = writeln!(voice.stdout(), "{line}");
    }
}

/// Runs one runbook; returns the exit code and, when it ran, its record.
/// What it prints goes through `voice`.
async fn run_book(
    book: &Runbook,
    flags: &RunFlags,
    out: Option<PathBuf>,
    max_duration: Option<MaxDuration>,
    voice: &batch::Voice,
) -> (ExitCode, Option<RunRecord>) {
    crate::secrets::hide_in_logs(&book.secret_values);
    let out_dir = out.unwrap_or_else(|| {
        PathBuf::from("screenshots").join(crate::folder::run_folder_name(&book.id))
    });
    if let Err(e) = std::fs::create_dir_all(&out_dir) {
        let _ = writeln!(
            voice.stderr(),
            "error: cannot use {} as the output folder: {}",
            printable::line(&out_dir.display().to_string()),
            printable::line(&e.to_string())
        );
        return (ExitCode::Invalid, None);
    }
    let run_options = RunOptions {
        timeout: flags.timeout,
        poll: flags.poll,
        demo: flags.demo,
        max_duration,
        visual: VisualOptions {
            compare_all: flags.compare,
            approval: Approval {
                update: flags.update_baselines,
                ci: flags.ci,
            },
            browser: flags.browser.unwrap_or_default().name().to_string(),
            ..VisualOptions::default()
        },
        ..RunOptions::new(out_dir.clone())
    };
    let folder = run_options.folder.clone();
    let launch = LaunchOptions {
        browser: flags.browser.unwrap_or_default(),
        headed: flags.headed,
        chromium: flags.chromium.clone(),
        chromedriver: flags.chromedriver.clone(),
        firefox: flags.firefox.clone(),
        geckodriver: flags.geckodriver.clone(),
        webdriver: flags.webdriver.clone(),
        capabilities: flags.capabilities.clone(),
        fonts: if flags.system_fonts {
            Fonts::System
        } else {
            Fonts::Pinned
        },
        ..LaunchOptions::default()
    };
    // Progress and the summary go to stdout, a failure's diagnosis to
    // stderr. With --json, stdout carries only events; the person watching
    // still gets the diagnosis and the summary, on stderr.
    // Held output is printed later in one piece: no spinner.
    let held = |options: TerminalOptions| TerminalOptions {
        live: options.live && !voice.is_held(),
        ..options
    };
    let mut terminal = if flags.json {
        Terminal::with_live_target(
            voice.stderr(),
            held(TerminalOptions::for_stderr(true)),
            LiveTarget::stderr(),
        )
    } else {
        Terminal::new(
            voice.stdout(),
            held(TerminalOptions::for_stdout(flags.quiet)),
        )
        .with_diagnosis_to(
            voice.stderr(),
            held(TerminalOptions::for_stderr(flags.quiet)),
        )
    };
    let mut json = JsonLines::new(voice.stdout());
    let mut files = Files::new(&book.name, &book.path, &folder, flags.junit_cases);
    let started = std::time::Instant::now();
    let status = {
        let mut outputs = Outputs::new(&book.secret_values)
            .with(&mut files)
            .with(&mut terminal);
        if flags.json {
            outputs = outputs.with(&mut json);
        }
        runner::run(book, &run_options, &launch, &mut outputs).await
    };
    if let Err(e) = &status {
        // The browser never started: the run's files still say why, so a
        // CI job that only reads results.json or junit.xml sees it too,
        // and a --json reader gets its last event. The terminal is left
        // out: the error below says it.
        let event = Event::RunFinished {
            status: RunStatus::Broken(e.to_string()),
            duration: started.elapsed(),
            out_dir: out_dir.clone(),
        }
        .masked(&crate::secrets::Secrets::new(&book.secret_values));
        files.event(&event);
        if flags.json {
            json.event(&event);
        }
    }
    files.finish();
    for error in files.errors() {
        let _ = writeln!(voice.stderr(), "error: {}", printable::lines(error));
    }
    let report = folder.file(Output::Report);
    if files.written().contains(&report) {
        note_to(flags, voice, &format!("report: {}", report.display()));
    }
    let code = match &status {
        Ok(status) => {
            // The terminal reporter has already printed why a run failed
            // or broke down.
            if let RunStatus::Interrupted(signal) = status {
                let _ = writeln!(
                    voice.stderr(),
                    "interrupted by {signal}; the browser was closed"
                );
            }
            ExitCode::from(status)
        }
        Err(e) => {
            let _ = writeln!(
                voice.stderr(),
                "error: {}",
                printable::lines(&e.to_string())
            );
            ExitCode::Broken
        }
    };
    (code, Some(files.into_record()))
}

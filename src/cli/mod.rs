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
pub mod select;

pub use exit_code::ExitCode;

use crate::browser::{Browser, Fonts, LaunchOptions};
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
use clap::{CommandFactory, Parser, Subcommand};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The seed runbook, built in so `docent demo` works from any directory.
const DEMO_RUNBOOK: &str = include_str!("../../runbooks/mtd-create-tracker.yaml");
const DEMO_RUNBOOK_PATH: &str = "runbooks/mtd-create-tracker.yaml";

#[derive(Debug, Parser)]
#[command(
    name = "docent",
    version,
    about = "Runs YAML runbooks of web-console procedures in a real browser, checks what the console answers, and captures figures."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run runbooks in headless Chromium, one after another or `--workers N` at a time.
    Run {
        /// Runbook files, folders (every *.yaml and *.yml inside, sorted,
        /// but not those another runbook found includes) and quoted globs
        /// (`'runbooks/**/*.yaml'`); with several runbooks (or any a folder,
        /// a glob or --shard chose), each writes into its own folder under
        /// the output folder, beside an index.html and a junit.xml over all
        /// of them.
        #[arg(required = true)]
        runbooks: Vec<PathBuf>,
        #[command(flatten)]
        run: RunFlags,
        #[command(flatten)]
        batch: batch::BatchFlags,
        /// Set a variable (overrides `vars:` and the environment); repeatable.
        #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
        vars: Vec<(String, String)>,
        /// Base URL for relative `goto` paths (replaces the runbook's `url:`).
        #[arg(long, value_parser = parse_url)]
        url: Option<String>,
    },
    /// Check runbooks without running them.
    ///
    /// It takes files, folders and globs as `run` does, with `--tag` and
    /// `--shard`, and lists exactly the runbooks `run` would run.
    Validate {
        #[arg(required = true)]
        runbooks: Vec<PathBuf>,
        #[command(flatten)]
        select: batch::SelectFlags,
        /// Set a variable, as `run` would; repeatable.
        #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
        vars: Vec<(String, String)>,
        /// The base URL `run` would be given.
        #[arg(long, value_parser = parse_url)]
        url: Option<String>,
    },
    /// Print the JSON Schema of runbooks (for editors and other tools).
    Schema,
    /// Serve the simulated console.
    Console(console::Config),
    /// Start the simulated console on a free port and run the shipped runbook against it.
    Demo {
        #[command(flatten)]
        run: RunFlags,
    },
    /// Print the completion script of docent's commands and flags for a shell.
    ///
    /// For example: `docent completions bash > ~/.local/share/bash-completion/completions/docent`,
    /// or `docent completions zsh > ~/.zfunc/_docent`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, clap::Args)]
struct RunFlags {
    /// Folder for the run's figures and reports [default: screenshots/<runbook>];
    /// with several runbooks, or any that a folder, a glob or --shard chose,
    /// the folder their own folders go in [default: screenshots].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also record demo.gif: a frame per step with a caption and the click marked
    /// (always on for `docent demo`).
    #[arg(long)]
    demo: bool,
    /// What a JUnit test case stands for.
    #[arg(long, value_enum, default_value = "sections")]
    junit_cases: junit::Cases,
    /// Print only a failure's diagnosis (on stderr) and the summary.
    #[arg(long, short)]
    quiet: bool,
    /// Print the run's events as JSON lines on stdout instead of the progress
    /// (a failure's diagnosis and the summary go to stderr).
    #[arg(long)]
    json: bool,
    /// Show the browser window.
    #[arg(long)]
    headed: bool,
    /// Render with the machine's fonts and font settings instead of docent's
    /// pinned ones (Debian's fonts-liberation and fonts-dejavu-core); figures
    /// may then differ from baselines taken elsewhere.
    #[arg(long)]
    system_fonts: bool,
    /// The browser to run the runbooks in: Chromium through chromedriver, or Firefox
    /// through geckodriver. Each has its own baselines (baselines/<runbook>/<browser>/).
    #[arg(long, value_enum, env = "DOCENT_BROWSER", default_value_t = Browser::Chromium)]
    browser: Browser,
    /// The Chromium or Chrome binary (a path, or a name looked up in PATH)
    /// [default: $DOCENT_CHROMIUM, else chromium, chromium-browser,
    /// google-chrome or google-chrome-stable on PATH, else /usr/lib/chromium/chromium].
    #[arg(long, value_name = "PROGRAM", value_hint = clap::ValueHint::ExecutablePath)]
    chromium: Option<PathBuf>,
    /// The chromedriver to start (a path, or a name looked up in PATH)
    /// [default: $DOCENT_CHROMEDRIVER, else chromedriver on PATH, else /usr/bin/chromedriver].
    #[arg(long, value_name = "PROGRAM", value_hint = clap::ValueHint::ExecutablePath)]
    chromedriver: Option<PathBuf>,
    /// The Firefox binary, with --browser firefox (a path, or a name looked up in PATH)
    /// [default: $DOCENT_FIREFOX, else firefox-esr or firefox on PATH, else
    /// /usr/lib/firefox-esr/firefox-esr].
    #[arg(long, value_name = "PROGRAM", value_hint = clap::ValueHint::ExecutablePath)]
    firefox: Option<PathBuf>,
    /// The geckodriver to start, with --browser firefox [default: $DOCENT_GECKODRIVER, else
    /// geckodriver on PATH, else cargo's bin folder ($CARGO_HOME/bin or ~/.cargo/bin)].
    #[arg(long, value_name = "PROGRAM", value_hint = clap::ValueHint::ExecutablePath)]
    geckodriver: Option<PathBuf>,
    /// Ask this W3C WebDriver endpoint (a Selenium Grid's hub, e.g. http://127.0.0.1:4444)
    /// for the browser instead of starting a driver here; --chromium or --firefox then names
    /// the binary on the remote side [default: the remote side's own].
    #[arg(long, value_name = "URL", env = "DOCENT_WEBDRIVER", value_parser = crate::browser::parse_webdriver, conflicts_with_all = ["chromedriver", "geckodriver"])]
    webdriver: Option<url::Url>,
    /// A capability of the browser session, added to docent's or replacing one (an object
    /// merges into docent's, `null` removes it), e.g. `goog:chromeOptions={"binary":"/opt/chrome"}`;
    /// repeatable.
    #[arg(long = "capability", value_name = "NAME=JSON", value_parser = crate::browser::parse_capability)]
    capabilities: Vec<(String, serde_json::Value)>,
    /// Settings for the session from this TOML file instead of ./docent.toml
    /// (webdriver, capabilities, workers; docs/scale.md#capabilities).
    #[arg(long, value_name = "FILE", env = "DOCENT_CONFIG", value_hint = clap::ValueHint::FilePath)]
    config: Option<PathBuf>,
    /// Default time a step waits for its condition, e.g. `5s` (steps' own `timeout` wins).
    #[arg(long, value_parser = parse_duration)]
    timeout: Option<Duration>,
    /// The longest the whole command may take, e.g. `10m`: the step running
    /// when it ends fails (kind `max_duration`) and nothing after it runs.
    #[arg(long, value_name = "DURATION", value_parser = parse_max_duration)]
    max_duration: Option<Duration>,
    /// The longest a waiting step lets the page be before it looks again;
    /// it also looks at the page's next change, whichever comes first.
    #[arg(long, value_parser = parse_poll, default_value = "100ms")]
    poll: Duration,
    /// Compare every figure with its baseline (baselines/<runbook>/<browser>/<name>.png
    /// beside the runbook), except those that say `compare: false`.
    #[arg(long)]
    compare: bool,
    /// Make this run's compared figures the baselines: write missing ones,
    /// replace those that differ, instead of failing.
    #[arg(long)]
    update_baselines: bool,
    /// A compared figure without a baseline fails (kind `visual`) instead of
    /// having one written.
    #[arg(long, conflicts_with = "update_baselines")]
    ci: bool,
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not NAME=VALUE"))?;
    if name.is_empty() {
        return Err(format!("`{text}` has no variable name before `=`"));
    }
    Ok((name.to_string(), value.to_string()))
}

fn parse_url(text: &str) -> Result<String, String> {
    if text.starts_with("http://") || text.starts_with("https://") {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{text}` is not a web address; write it like http://127.0.0.1:8480"
        ))
    }
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    match runbook::duration::parse(text)? {
        d if d.is_zero() => {
            Err("a timeout of zero leaves no time to wait; give at least 100ms".into())
        }
        d => Ok(d),
    }
}

fn parse_max_duration(text: &str) -> Result<Duration, String> {
    match runbook::duration::parse(text)? {
        d if d < Duration::from_secs(1) => Err(
            "a run needs at least 1s to start the browser; give --max-duration 1s or more".into(),
        ),
        d => Ok(d),
    }
}

fn parse_poll(text: &str) -> Result<Duration, String> {
    let poll = runbook::duration::parse(text)?;
    if poll < Duration::from_millis(10) || poll > Duration::from_secs(5) {
        return Err("the poll interval must be between 10ms and 5s".into());
    }
    Ok(poll)
}

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
        } => validate(&runbooks, &select, vars.into_iter().collect(), url),
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
/// `--browser` picks the file's `[browsers.<name>]` section.
fn configure(run: &mut RunFlags) -> Result<config::Config, ExitCode> {
    let browser = run.browser;
    config::settle(run, browser.name())
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
            browser: flags.browser.name().to_string(),
            ..VisualOptions::default()
        },
        ..RunOptions::new(out_dir.clone())
    };
    let folder = run_options.folder.clone();
    let launch = LaunchOptions {
        browser: flags.browser,
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

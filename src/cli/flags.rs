//! The command line's shape: docent's commands, the flags a run takes
//! and the parsers that check each value as clap reads it, so a mistake
//! is refused (exit 2) before anything starts.

use super::{batch, junit};
use crate::browser::Browser;
use crate::{console, runbook};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(
    name = "docent",
    version,
    about = "Runs YAML runbooks of web-console procedures in a real browser, checks what the console answers, and captures figures."
)]
pub struct Cli {
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Debug, Subcommand)]
pub(super) enum Command {
    /// Run runbooks in a headless browser (Chromium or Firefox), one after another or `--workers N` at a time.
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
        /// The settings file `run` would read instead of ./docent.toml; it is checked too.
        #[arg(long, value_name = "FILE", env = "DOCENT_CONFIG", value_hint = clap::ValueHint::FilePath)]
        config: Option<PathBuf>,
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
pub(super) struct RunFlags {
    /// Folder for the run's figures and reports [default: screenshots/<runbook>];
    /// with several runbooks, or any that a folder, a glob or --shard chose,
    /// the folder their own folders go in [default: screenshots].
    #[arg(long)]
    pub(super) out: Option<PathBuf>,
    /// Also record demo.gif: a frame per step with a caption and the click marked
    /// (always on for `docent demo`).
    #[arg(long)]
    pub(super) demo: bool,
    /// What a JUnit test case stands for.
    #[arg(long, value_enum, default_value = "sections")]
    pub(super) junit_cases: junit::Cases,
    /// Print only a failure's diagnosis (on stderr) and the summary.
    #[arg(long, short)]
    pub(super) quiet: bool,
    /// Print the run's events as JSON lines on stdout instead of the progress
    /// (a failure's diagnosis and the summary go to stderr).
    #[arg(long)]
    pub(super) json: bool,
    /// Show the browser window.
    #[arg(long)]
    pub(super) headed: bool,
    /// Render with the machine's fonts and font settings instead of docent's
    /// pinned ones (Debian's fonts-liberation and fonts-dejavu-core); figures
    /// may then differ from baselines taken elsewhere.
    #[arg(long)]
    pub(super) system_fonts: bool,
    /// The browser to run the runbooks in: Chromium through chromedriver, or Firefox
    /// through geckodriver. Each has its own baselines (baselines/<runbook>/<browser>/).
    /// [default: $DOCENT_BROWSER, else docent.toml's `browser`, else chromium]
    #[arg(long, value_enum, env = "DOCENT_BROWSER")]
    pub(super) browser: Option<Browser>,
    /// The Chromium or Chrome binary (a path, or a name looked up in PATH)
    /// [default: $DOCENT_CHROMIUM, else chromium, chromium-browser,
    /// google-chrome or google-chrome-stable on PATH, else /usr/lib/chromium/chromium].
    #[arg(long, value_name = "PROGRAM", value_hint = clap::ValueHint::ExecutablePath)]
    pub(super) chromium: Option<PathBuf>,
    /// The chromedriver to start (a path, or a name looked up in PATH)
    /// [default: $DOCENT_CHROMEDRIVER, else chromedriver on PATH, else /usr/bin/chromedriver].
    #[arg(long, value_name = "PROGRAM", value_hint = clap::ValueHint::ExecutablePath)]
    pub(super) chromedriver: Option<PathBuf>,
    /// The Firefox binary, with --browser firefox (a path, or a name looked up in PATH)
    /// [default: $DOCENT_FIREFOX, else firefox-esr or firefox on PATH, else
    /// /usr/lib/firefox-esr/firefox-esr].
    #[arg(long, value_name = "PROGRAM", value_hint = clap::ValueHint::ExecutablePath)]
    pub(super) firefox: Option<PathBuf>,
    /// The geckodriver to start, with --browser firefox [default: $DOCENT_GECKODRIVER, else
    /// geckodriver on PATH, else cargo's bin folder ($CARGO_HOME/bin or ~/.cargo/bin)].
    #[arg(long, value_name = "PROGRAM", value_hint = clap::ValueHint::ExecutablePath)]
    pub(super) geckodriver: Option<PathBuf>,
    /// Ask this W3C WebDriver endpoint (a Selenium Grid's hub, e.g. http://127.0.0.1:4444)
    /// for the browser instead of starting a driver here; --chromium or --firefox then names
    /// the binary on the remote side [default: the remote side's own].
    #[arg(long, value_name = "URL", env = "DOCENT_WEBDRIVER", value_parser = crate::browser::parse_webdriver, conflicts_with_all = ["chromedriver", "geckodriver"])]
    pub(super) webdriver: Option<url::Url>,
    /// A capability of the browser session, added to docent's or replacing one (an object
    /// merges into docent's, `null` removes it), e.g. `goog:chromeOptions={"binary":"/opt/chrome"}`;
    /// repeatable.
    #[arg(long = "capability", value_name = "NAME=JSON", value_parser = crate::browser::parse_capability)]
    pub(super) capabilities: Vec<(String, serde_json::Value)>,
    /// Settings for the session from this TOML file instead of ./docent.toml
    /// (webdriver, capabilities, workers; docs/scale.md#capabilities).
    #[arg(long, value_name = "FILE", env = "DOCENT_CONFIG", value_hint = clap::ValueHint::FilePath)]
    pub(super) config: Option<PathBuf>,
    /// Default time a step waits for its condition, e.g. `5s` (steps' own `timeout` wins).
    #[arg(long, value_parser = parse_duration)]
    pub(super) timeout: Option<Duration>,
    /// The longest the whole command may take, e.g. `10m`: the step running
    /// when it ends fails (kind `max_duration`) and nothing after it runs.
    #[arg(long, value_name = "DURATION", value_parser = parse_max_duration)]
    pub(super) max_duration: Option<Duration>,
    /// The longest a waiting step lets the page be before it looks again;
    /// it also looks at the page's next change, whichever comes first.
    #[arg(long, value_parser = parse_poll, default_value = "100ms")]
    pub(super) poll: Duration,
    /// Compare every figure with its baseline (baselines/<runbook>/<browser>/<name>.png
    /// beside the runbook), except those that say `compare: false`.
    #[arg(long)]
    pub(super) compare: bool,
    /// Make this run's compared figures the baselines: write missing ones,
    /// replace those that differ, instead of failing.
    #[arg(long)]
    pub(super) update_baselines: bool,
    /// A compared figure without a baseline fails (kind `visual`) instead of
    /// having one written.
    #[arg(long, conflicts_with = "update_baselines")]
    pub(super) ci: bool,
}

pub(super) fn parse_var(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not NAME=VALUE"))?;
    if name.is_empty() {
        return Err(format!("`{text}` has no variable name before `=`"));
    }
    Ok((name.to_string(), value.to_string()))
}

pub(super) fn parse_url(text: &str) -> Result<String, String> {
    if text.starts_with("http://") || text.starts_with("https://") {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{text}` is not a web address; write it like http://127.0.0.1:8480"
        ))
    }
}

pub(super) fn parse_duration(text: &str) -> Result<Duration, String> {
    match runbook::duration::parse(text)? {
        d if d.is_zero() => {
            Err("a timeout of zero leaves no time to wait; give at least 100ms".into())
        }
        d => Ok(d),
    }
}

pub(super) fn parse_max_duration(text: &str) -> Result<Duration, String> {
    match runbook::duration::parse(text)? {
        d if d < Duration::from_secs(1) => Err(
            "a run needs at least 1s to start the browser; give --max-duration 1s or more".into(),
        ),
        d => Ok(d),
    }
}

pub(super) fn parse_poll(text: &str) -> Result<Duration, String> {
    let poll = runbook::duration::parse(text)?;
    if poll < Duration::from_millis(10) || poll > Duration::from_secs(5) {
        return Err("the poll interval must be between 10ms and 5s".into());
    }
    Ok(poll)
}

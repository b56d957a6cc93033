//! `docent.toml`: a project's settings for the commands that start a
//! browser (`run`, `demo`), so a team writes its WebDriver endpoint and
//! its session capabilities once instead of on every command line.
//!
//! docent reads `docent.toml` from the current folder when there is one,
//! or the file `--config FILE` (or `DOCENT_CONFIG`) names, which must then
//! exist. The command line wins over the environment, which wins over the
//! file, which wins over docent's defaults. Capabilities are layered in
//! that order too: docent's own, the file's `[capabilities]` for every
//! browser, the file's `[browsers.<name>.capabilities]` for the browser
//! being started, then each `--capability` (later wins, an object merges
//! one level deep, as [`crate::browser`] applies them).
//!
//! The file is read the way a runbook is (a regular file, within the
//! loader's size cap) and checked whole: every unknown key (with the
//! closest known one), wrong type or bad value is reported with its
//! `file:line:column`, all at once, before any browser starts.

use super::{ExitCode, RunFlags};
use crate::printable;
use crate::suggest::did_you_mean;
use serde_json::{Map, Value};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The file docent looks for in the current folder.
pub const FILE_NAME: &str = "docent.toml";

/// The browsers a `[browsers.<name>]` section may name.
pub const BROWSERS: [&str; 2] = ["chromium", "firefox"];

const KEYS: [&str; 4] = ["webdriver", "workers", "capabilities", "browsers"];

/// The capabilities the W3C WebDriver and WebDriver BiDi specifications
/// define. Any other capability is an extension and carries its vendor's
/// prefix (`goog:`, `moz:`, `se:`): endpoints such as Selenium Grid refuse
/// a session that asks for an unprefixed name they do not know, so such a
/// name in the file is most likely a typo, reported here instead.
const STANDARD_CAPABILITIES: [&str; 12] = [
    "acceptInsecureCerts",
    "browserName",
    "browserVersion",
    "pageLoadStrategy",
    "platformName",
    "proxy",
    "setWindowRect",
    "strictFileInteractability",
    "timeouts",
    "unhandledPromptBehavior",
    "userAgent",
    "webSocketUrl",
];

/// Values nest at most this deep in a capability: enough for any driver's
/// options, and a bound on the recursion that converts them to JSON.
const MAX_DEPTH: usize = 32;

/// The settings of a `docent.toml`; all empty when there is none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The file they were read from.
    pub path: Option<PathBuf>,
    /// `webdriver`: the endpoint to ask for sessions, as `--webdriver`.
    pub webdriver: Option<url::Url>,
    /// `workers`: how many runbooks `run` runs at once, as `--workers`.
    pub workers: Option<usize>,
    /// `[capabilities]`, for every browser.
    capabilities: Vec<(String, Value)>,
    /// `[browsers.<name>.capabilities]`, by browser.
    browsers: Vec<(String, Vec<(String, Value)>)>,
}

impl Config {
    /// The file's capabilities for `browser` (`chromium` or `firefox`), in
    /// the order they apply over docent's own: the common ones, then the
    /// browser's.
    pub fn capabilities_for(&self, browser: &str) -> Vec<(String, Value)> {
        let own = self
            .browsers
            .iter()
            .filter(|(name, _)| name == browser)
            .flat_map(|(_, capabilities)| capabilities.iter().cloned());
        self.capabilities.iter().cloned().chain(own).collect()
    }

    /// Reads the file `named` (`--config`, `DOCENT_CONFIG`), which must
    /// exist, or else `docent.toml` in the current folder when there is
    /// one; without either, the empty configuration.
    pub fn load(named: Option<&Path>) -> Result<Config, ConfigError> {
        let path = match named {
            Some(path) => path,
            None => match std::fs::metadata(FILE_NAME) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Ok(Config::default());
                }
                _ => Path::new(FILE_NAME),
            },
        };
        let shown = path.display().to_string();
        use crate::runbook::limits::{self, ReadError};
        let source = limits::read(path, false).map_err(|e| ConfigError::Read {
            path: shown.clone(),
            reason: match e {
                ReadError::NotAFile(kind) => format!("it is {kind}, not a file"),
                ReadError::NotUtf8 { pos, byte, .. } => format!(
                    "it is not UTF-8 text: byte 0x{byte:02X} at {}:{pos} starts no character",
                    shown
                ),
                ReadError::TooLarge => format!(
                    "it is larger than {} MiB, more than a configuration needs",
                    limits::MAX_FILE_BYTES >> 20
                ),
                ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    "there is no such file".into()
                }
                ReadError::Io(e) => e.to_string(),
            },
        })?;
        Config::parse(&source, path)
    }

    /// Checks the text of a configuration file read from `path`.
    pub fn parse(source: &str, path: &Path) -> Result<Config, ConfigError> {
        let invalid = |problems: Vec<Problem>| ConfigError::Invalid {
            path: path.display().to_string(),
            source: source.to_string(),
            problems,
        };
        let document = DeTable::parse(source).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            invalid(vec![Problem::new(span, e.message().replace('\n', "; "))])
        })?;
        let mut problems = Vec::new();
        let mut config = Config {
            path: Some(path.to_path_buf()),
            ..Config::default()
        };
        for (key, value) in document.get_ref().iter() {
            match key.get_ref().as_ref() {
                "webdriver" => config.webdriver = webdriver(value, &mut problems),
                "workers" => config.workers = workers(value, &mut problems),
                "capabilities" => {
                    config.capabilities = capabilities(value, "capabilities", &mut problems);
                }
                "browsers" => config.browsers = browsers(value, &mut problems),
                other => problems.push(unknown(key, other, &KEYS, "a key")),
            }
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            problems.sort_by_key(|p| p.span.start);
            Err(invalid(problems))
        }
    }
}

/// Reads the configuration `flags` name (or `docent.toml`) and puts it
/// under them: what the command line or the environment set stays; the
/// file's capabilities for `browser` go before `--capability`'s. A file
/// that cannot be read or is invalid is reported, and is an invalid
/// command (exit 2).
pub(super) fn settle(flags: &mut RunFlags, browser: &str) -> Result<Config, ExitCode> {
    let config = Config::load(flags.config.as_deref()).map_err(|e| {
        eprint!("{e}");
        ExitCode::Invalid
    })?;
    tracing::debug!(path = ?config.path, "configuration");
    // `--chromedriver` or `--geckodriver` asks for a driver started here,
    // which the file's endpoint must not override (on the command line the
    // two conflict).
    if flags.webdriver.is_none() && flags.chromedriver.is_none() && flags.geckodriver.is_none() {
        flags.webdriver = config.webdriver.clone();
    }
    let mut capabilities = config.capabilities_for(browser);
    capabilities.append(&mut flags.capabilities);
    flags.capabilities = capabilities;
    Ok(config)
}

fn webdriver(value: &Spanned<DeValue<'_>>, problems: &mut Vec<Problem>) -> Option<url::Url> {
    let Some(text) = value.get_ref().as_str() else {
        problems.push(wrong_type(
            value,
            "`webdriver` is an address in quotes, like \"http://127.0.0.1:4444\"",
        ));
        return None;
    };
    crate::browser::parse_webdriver(text)
        .map_err(|message| problems.push(Problem::new(value.span(), message)))
        .ok()
}

fn workers(value: &Spanned<DeValue<'_>>, problems: &mut Vec<Problem>) -> Option<usize> {
    let Some(number) = value.get_ref().as_integer() else {
        problems.push(wrong_type(value, "`workers` is a whole number, like 2"));
        return None;
    };
    let text = i64::from_str_radix(number.as_str(), number.radix())
        .map(|n| n.to_string())
        .unwrap_or_else(|_| number.to_string());
    super::batch::parse_workers(&text)
        .map_err(|message| problems.push(Problem::new(value.span(), message)))
        .ok()
}

/// A table of capabilities; `table_name` names it in messages.
fn capabilities(
    value: &Spanned<DeValue<'_>>,
    table_name: &str,
    problems: &mut Vec<Problem>,
) -> Vec<(String, Value)> {
    let Some(table) = value.get_ref().as_table() else {
        problems.push(wrong_type(
            value,
            &format!(
                "`{table_name}` is a table: a `[{table_name}]` section, or `{{ name = value }}`"
            ),
        ));
        return Vec::new();
    };
    let mut found = Vec::new();
    for (name, value) in table.iter() {
        let text = name.get_ref().as_ref();
        if !text.contains(':') && !STANDARD_CAPABILITIES.contains(&text) {
            let mut problem = Problem::new(
                name.span(),
                format!(
                    "`{text}` is not a standard WebDriver capability, and an extension \
                     capability has a vendor prefix such as `goog:` or `moz:`"
                ),
            );
            if let Some(close) = did_you_mean(text, STANDARD_CAPABILITIES) {
                problem.help = Some(format!("did you mean `{close}`?"));
            }
            problems.push(problem);
            continue;
        }
        if let Some(json) = to_json(value, 0, problems) {
            found.push((text.to_string(), json));
        }
    }
    found
}

fn browsers(
    value: &Spanned<DeValue<'_>>,
    problems: &mut Vec<Problem>,
) -> Vec<(String, Vec<(String, Value)>)> {
    let Some(table) = value.get_ref().as_table() else {
        problems.push(wrong_type(
            value,
            "`browsers` is a table of browsers: `[browsers.chromium.capabilities]`",
        ));
        return Vec::new();
    };
    let mut found = Vec::new();
    for (name, section) in table.iter() {
        let browser = name.get_ref().as_ref();
        if !BROWSERS.contains(&browser) {
            let mut problem = unknown(name, browser, &BROWSERS, "a browser");
            if problem.help.is_none() && browser.to_lowercase().contains("chrom") {
                problem.help = Some("Chrome is driven as `chromium`".into());
            }
            problems.push(problem);
            continue;
        }
        let Some(keys) = section.get_ref().as_table() else {
            problems.push(wrong_type(
                section,
                &format!("`browsers.{browser}` is a table: `[browsers.{browser}.capabilities]`"),
            ));
            continue;
        };
        for (key, value) in keys.iter() {
            match key.get_ref().as_ref() {
                "capabilities" => found.push((
                    browser.to_string(),
                    capabilities(value, &format!("browsers.{browser}.capabilities"), problems),
                )),
                other => problems.push(unknown(key, other, &["capabilities"], "a key")),
            }
        }
    }
    found
}

/// A TOML value as JSON, the capabilities' language: a date or time
/// becomes its text (TOML's form is RFC 3339's).
fn to_json(
    value: &Spanned<DeValue<'_>>,
    depth: usize,
    problems: &mut Vec<Problem>,
) -> Option<Value> {
    if depth > MAX_DEPTH {
        problems.push(Problem::new(
            value.span(),
            format!("a capability's value nests deeper than {MAX_DEPTH} levels"),
        ));
        return None;
    }
    Some(match value.get_ref() {
        DeValue::String(text) => Value::String(text.to_string()),
        DeValue::Boolean(yes) => Value::Bool(*yes),
        DeValue::Datetime(datetime) => Value::String(datetime.to_string()),
        DeValue::Integer(number) => match i64::from_str_radix(number.as_str(), number.radix()) {
            Ok(n) => Value::from(n),
            Err(_) => {
                problems.push(Problem::new(
                    value.span(),
                    format!("{number} does not fit in 64 bits"),
                ));
                return None;
            }
        },
        DeValue::Float(number) => {
            match number
                .as_str()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
            {
                Some(n) => Value::Number(n),
                None => {
                    problems.push(Problem::new(
                        value.span(),
                        format!("{number} has no JSON form (JSON has no infinity or NaN)"),
                    ));
                    return None;
                }
            }
        }
        // Every member is looked at, so that each bad one is reported.
        DeValue::Array(items) => {
            let array: Vec<Option<Value>> = items
                .iter()
                .map(|item| to_json(item, depth + 1, problems))
                .collect();
            Value::Array(array.into_iter().collect::<Option<_>>()?)
        }
        DeValue::Table(table) => {
            let map: Vec<Option<(String, Value)>> = table
                .iter()
                .map(|(key, item)| {
                    to_json(item, depth + 1, problems).map(|v| (key.get_ref().to_string(), v))
                })
                .collect();
            Value::Object(map.into_iter().collect::<Option<Map<_, _>>>()?)
        }
    })
}

fn wrong_type(value: &Spanned<DeValue<'_>>, expected: &str) -> Problem {
    Problem::new(
        value.span(),
        format!("{expected}, not {}", a_type(value.get_ref())),
    )
}

fn a_type(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

fn unknown(key: &Spanned<impl AsRef<str>>, text: &str, known: &[&str], what: &str) -> Problem {
    let list = known
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Problem {
        span: key.span(),
        message: format!("`{text}` is not {what} docent knows here (it knows {list})"),
        help: did_you_mean(text, known.iter().copied()).map(|k| format!("did you mean `{k}`?")),
    }
}

/// One thing wrong in the file, at a byte range of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    fn new(span: Range<usize>, message: impl Into<String>) -> Problem {
        Problem {
            span,
            message: message.into(),
            help: None,
        }
    }
}

/// Why the configuration file could not be used.
#[derive(Debug)]
pub enum ConfigError {
    /// It could not be read (absent, not a file, too large, not UTF-8).
    Read { path: String, reason: String },
    /// It was read, and is not valid TOML or not a valid configuration.
    Invalid {
        path: String,
        source: String,
        problems: Vec<Problem>,
    },
}

impl ConfigError {
    /// The problems found, each with its line and column (1-based,
    /// columns in characters); empty when the file could not be read.
    pub fn problems(&self) -> Vec<(usize, usize, &Problem)> {
        match self {
            ConfigError::Read { .. } => Vec::new(),
            ConfigError::Invalid {
                source, problems, ..
            } => problems
                .iter()
                .map(|p| {
                    let (line, column) = line_column(source, p.span.start);
                    (line, column, p)
                })
                .collect(),
        }
    }
}

impl std::error::Error for ConfigError {}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (path, source) = match self {
            ConfigError::Read { path, reason } => {
                return writeln!(
                    f,
                    "error: cannot read the configuration file {}: {}",
                    printable::line(path),
                    printable::line(reason)
                );
            }
            ConfigError::Invalid { path, source, .. } => (path, source),
        };
        let quoted = looks_like_toml(source);
        let problems = self.problems();
        for (i, (line, column, problem)) in problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "error: {}", printable::line(&problem.message))?;
            writeln!(f, "  --> {}:{line}:{column}", printable::line(path))?;
            if quoted {
                let text = source.lines().nth(line - 1).unwrap_or("");
                let number = line.to_string();
                let gutter = " ".repeat(number.len());
                let width = source[problem.span.clone()]
                    .lines()
                    .next()
                    .map_or(1, |first| first.chars().count());
                // A very long line is shown as a window around the column.
                let chars: Vec<char> = text.chars().collect();
                let column = (column - 1).min(chars.len());
                let (start, end) = if chars.len() > 120 {
                    (column.saturating_sub(60), (column + 60).min(chars.len()))
                } else {
                    (0, chars.len())
                };
                let width = width.min(end - column).max(1);
                let shown: String = chars[start..end].iter().collect();
                let before: String = chars[start..column].iter().collect();
                let (open, close) = (
                    if start > 0 { "…" } else { "" },
                    if end < chars.len() { "…" } else { "" },
                );
                writeln!(f, "{gutter} |")?;
                writeln!(f, "{number} | {open}{}{close}", printable::line(&shown))?;
                // Under the culprit as the line is shown: a tab stays a
                // tab, an escaped control character is as wide as its escape.
                let indent: String = format!("{open}{}", printable::line(&before))
                    .chars()
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                writeln!(f, "{gutter} | {indent}{}", "^".repeat(width))?;
                if let Some(help) = &problem.help {
                    writeln!(f, "{gutter} = help: {}", printable::line(help))?;
                }
            } else {
                // Some other file, named by --config by mistake: name it,
                // never quote it.
                writeln!(
                    f,
                    "  = note: its lines are not shown: it does not start like a TOML file"
                )?;
                if let Some(help) = &problem.help {
                    writeln!(f, "  = help: {}", printable::line(help))?;
                }
            }
        }
        if problems.len() > 1 {
            writeln!(
                f,
                "\n{} problems in {}",
                problems.len(),
                printable::line(path)
            )?;
        }
        Ok(())
    }
}

/// The 1-based line and character column of byte `at` of `source`.
fn line_column(source: &str, at: usize) -> (usize, usize) {
    let at = at.min(source.len());
    let at = (0..=at)
        .rev()
        .find(|&i| source.is_char_boundary(i))
        .unwrap_or(0);
    let before = &source[..at];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// Whether `source` starts like a TOML file, so its lines may be quoted:
/// its first line that is neither blank nor a comment is a `[section]`
/// or a `key = value`. A password file or a key given to `--config` by
/// mistake does not, and is then named without being quoted.
fn looks_like_toml(source: &str) -> bool {
    let Some(first) = source
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
    else {
        return true;
    };
    if first.starts_with('[') {
        return true;
    }
    let Some((key, _)) = first.split_once('=') else {
        return false;
    };
    let key = key.trim();
    !key.is_empty()
        && (key.starts_with(['"', '\''])
            || key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(source: &str) -> Result<Config, ConfigError> {
        Config::parse(source, Path::new("docent.toml"))
    }

    fn rendered(source: &str) -> String {
        parse(source).unwrap_err().to_string()
    }

    #[test]
    fn capabilities_layer_common_then_the_browsers_own() {
        let config = parse(
            r#"
webdriver = "http://grid:4444/wd/hub"
workers = 3

[capabilities]
platformName = "linux"
acceptInsecureCerts = true
"se:options" = { retries = 2, ratio = 0.5, tags = ["nightly", "ci"], when = 2026-12-07T10:00:00Z }

[browsers.chromium.capabilities]
"goog:chromeOptions" = { binary = "/opt/chrome/chrome" }

[browsers.firefox.capabilities]
"moz:firefoxOptions" = { prefs = { "intl.accept_languages" = "de" } }
"#,
        )
        .unwrap();
        assert_eq!(
            config.webdriver.as_ref().map(url::Url::as_str),
            Some("http://grid:4444/wd/hub/")
        );
        assert_eq!(config.workers, Some(3));
        let chromium = config.capabilities_for("chromium");
        let names: Vec<&str> = chromium.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "acceptInsecureCerts",
                "platformName",
                "se:options",
                "goog:chromeOptions"
            ]
        );
        assert_eq!(chromium[1].1, json!("linux"));
        assert_eq!(
            chromium[2].1,
            json!({ "retries": 2, "ratio": 0.5, "tags": ["nightly", "ci"], "when": "2026-12-07T10:00:00Z" })
        );
        assert_eq!(chromium[3].1, json!({ "binary": "/opt/chrome/chrome" }));
        let firefox = config.capabilities_for("firefox");
        assert_eq!(firefox.len(), 4);
        assert_eq!(
            firefox[3],
            (
                "moz:firefoxOptions".into(),
                json!({ "prefs": { "intl.accept_languages": "de" } })
            )
        );
    }

    #[test]
    fn an_empty_file_or_none_sets_nothing() {
        let config = parse("# nothing yet\n").unwrap();
        assert_eq!(config.webdriver, None);
        assert_eq!(config.workers, None);
        assert!(config.capabilities_for("chromium").is_empty());
        assert!(Config::default().capabilities_for("firefox").is_empty());
    }

    #[test]
    fn a_misspelt_key_is_placed_and_the_closest_named() {
        let text = rendered("webdrivr = \"http://127.0.0.1:4444\"\n");
        assert_eq!(
            text,
            "error: `webdrivr` is not a key docent knows here (it knows `webdriver`, `workers`, \
             `capabilities`, `browsers`)\n  --> docent.toml:1:1\n  |\n1 | webdrivr = \
             \"http://127.0.0.1:4444\"\n  | ^^^^^^^^\n  = help: did you mean `webdriver`?\n"
        );
    }

    #[test]
    fn every_problem_is_reported_in_the_files_order() {
        let error = parse(
            "workers = \"2\"\nwebdriver = \"127.0.0.1:4444\"\n\n[capabilities]\nplatfromName = \"linux\"\n\n\
             [browsers.chrome.capabilities]\nacceptInsecureCerts = true\n\n[browsers.firefox]\ncapabilites = {}\n",
        )
        .unwrap_err();
        let found: Vec<(usize, usize, String, Option<String>)> = error
            .problems()
            .into_iter()
            .map(|(line, column, p)| (line, column, p.message.clone(), p.help.clone()))
            .collect();
        assert_eq!(found.len(), 5, "{error}");
        assert_eq!((found[0].0, found[0].1), (1, 11));
        assert!(
            found[0].2.starts_with("`workers` is a whole number"),
            "{}",
            found[0].2
        );
        assert!(found[0].2.ends_with("not a string"));
        assert_eq!((found[1].0, found[1].1), (2, 13));
        assert!(found[1].2.contains("not a WebDriver address"));
        assert_eq!((found[2].0, found[2].1), (5, 1));
        assert_eq!(found[2].3.as_deref(), Some("did you mean `platformName`?"));
        assert_eq!((found[3].0, found[3].1), (7, 11));
        assert!(
            found[3]
                .2
                .starts_with("`chrome` is not a browser docent knows")
        );
        assert_eq!(
            found[3].3.as_deref(),
            Some("Chrome is driven as `chromium`")
        );
        assert_eq!((found[4].0, found[4].1), (11, 1));
        assert_eq!(found[4].3.as_deref(), Some("did you mean `capabilities`?"));
        assert!(error.to_string().ends_with("5 problems in docent.toml\n"));
    }

    #[test]
    fn a_syntax_error_is_placed() {
        let error = parse("[capabilities]\nplatformName = linux\n").unwrap_err();
        let problems = error.problems();
        assert_eq!(problems.len(), 1, "{error}");
        assert_eq!((problems[0].0, problems[0].1), (2, 16));
        assert!(
            error.to_string().contains("--> docent.toml:2:16"),
            "{error}"
        );
        let duplicate = rendered("workers = 1\nworkers = 2\n");
        assert!(duplicate.contains("docent.toml:2:1"), "{duplicate}");
    }

    #[test]
    fn wrong_types_and_values_are_named() {
        for (source, expected) in [
            ("workers = 0", "from 1 to 64"),
            (
                "workers = 1.5",
                "`workers` is a whole number, like 2, not a float",
            ),
            ("webdriver = 4444", "`webdriver` is an address in quotes"),
            ("capabilities = [1]", "`capabilities` is a table"),
            (
                "browsers = \"chromium\"",
                "`browsers` is a table of browsers",
            ),
            ("browsers.chromium = 1", "`browsers.chromium` is a table"),
            (
                "[browsers.firefox]\ncapabilities = true",
                "`browsers.firefox.capabilities` is a table",
            ),
            (
                "[capabilities]\n\"se:x\" = nan",
                "JSON has no infinity or NaN",
            ),
            (
                "[capabilities]\n\"se:x\" = { a = inf, b = [1, -inf] }",
                "2 problems in docent.toml",
            ),
        ] {
            let text = rendered(source);
            assert!(text.contains(expected), "{source}:\n{text}");
        }
    }

    #[test]
    fn deep_values_are_refused_not_recursed_into() {
        let deep = format!(
            "[capabilities]\n\"se:deep\" = {}1{}\n",
            "[".repeat(40),
            "]".repeat(40)
        );
        let text = rendered(&deep);
        assert!(
            text.contains("nests deeper than") || text.contains("recursion"),
            "{text}"
        );
    }

    #[test]
    fn a_file_that_is_not_toml_is_named_but_not_quoted() {
        let text = rendered("root:$6$secret:19000:0:99999:7:::\n");
        assert!(text.contains("--> docent.toml:1:"), "{text}");
        assert!(!text.contains("secret"), "{text}");
        assert!(looks_like_toml("# docent\n\n[capabilities]\n"));
        assert!(looks_like_toml("\"goog:x\" = 1"));
        assert!(!looks_like_toml("-----BEGIN KEY-----\n"));
    }

    #[test]
    fn a_long_line_is_shown_around_the_culprit() {
        let long = format!(
            "[capabilities]\n\"se:x\" = [\"{}\", nan, \"{}\"]\n",
            "y".repeat(300),
            "z".repeat(300)
        );
        let text = rendered(&long);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[3].starts_with("2 | …yyy"), "{text}");
        assert!(lines[3].ends_with("zzz…"), "{text}");
        assert!(lines[3].chars().count() < 130, "{text}");
        assert!(lines[4].ends_with(" ^^^"), "{text}");
        let column = |line: &str, at: usize| line[..at].chars().count();
        assert_eq!(
            column(lines[4], lines[4].find('^').unwrap()),
            column(lines[3], lines[3].find("nan").unwrap()),
            "{text}"
        );
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_column("a = \"é\"\nb = x", 13), (2, 5));
        assert_eq!(line_column("é", 1), (1, 1));
    }
}

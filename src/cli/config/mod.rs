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
use crate::browser::Browser;
use crate::suggest::did_you_mean;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

mod problems;
pub use problems::{ConfigError, Problem};

/// The file docent looks for in the current folder.
pub const FILE_NAME: &str = "docent.toml";

/// The browsers a `[browsers.<name>]` section may name.
pub const BROWSERS: [&str; 2] = ["chromium", "firefox"];

const KEYS: [&str; 5] = [
    "browser",
    "webdriver",
    "workers",
    "capabilities",
    "browsers",
];

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
    /// `browser`: the browser to run in, as `--browser`.
    pub browser: Option<Browser>,
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
                "browser" => config.browser = browser(value, &mut problems),
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
/// browser is settled first (`--browser`, else the file's, else
/// Chromium), and the file's capabilities for it go before
/// `--capability`'s. A file that cannot be read or is invalid is
/// reported, and is an invalid command (exit 2).
pub(super) fn settle(flags: &mut RunFlags) -> Result<Config, ExitCode> {
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
    let browser = *flags
        .browser
        .get_or_insert(config.browser.unwrap_or(Browser::Chromium));
    let mut capabilities = config.capabilities_for(browser.name());
    capabilities.append(&mut flags.capabilities);
    flags.capabilities = capabilities;
    Ok(config)
}

fn browser(value: &Spanned<DeValue<'_>>, problems: &mut Vec<Problem>) -> Option<Browser> {
    let text = value.get_ref().as_str();
    match text {
        Some("chromium") => Some(Browser::Chromium),
        Some("firefox") => Some(Browser::Firefox),
        Some(other) => {
            problems.push(unknown_at(value.span(), other, &BROWSERS, "a browser"));
            None
        }
        None => {
            problems.push(wrong_type(
                value,
                "`browser` is \"chromium\" or \"firefox\", in quotes",
            ));
            None
        }
    }
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
    unknown_at(key.span(), text, known, what)
}

/// `text`, at `span`, is none of `known`.
fn unknown_at(span: std::ops::Range<usize>, text: &str, known: &[&str], what: &str) -> Problem {
    let list = known
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Problem {
        span,
        message: format!("`{text}` is not {what} docent knows here (it knows {list})"),
        help: did_you_mean(text, known.iter().copied()).map(|k| format!("did you mean `{k}`?")),
    }
}

#[cfg(test)]
mod tests;

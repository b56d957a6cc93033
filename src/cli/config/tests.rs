//! The configuration file: parsing, layering and every kind of mistake.

use super::problems::{line_column, looks_like_toml};
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
        "error: `webdrivr` is not a key docent knows here (it knows `browser`, `webdriver`, \
         `workers`, `capabilities`, `browsers`)\n  --> docent.toml:1:1\n  |\n1 | webdrivr = \
         \"http://127.0.0.1:4444\"\n  | ^^^^^^^^\n  = help: did you mean `webdriver`?\n"
    );
}

#[test]
fn the_browser_is_chromium_or_firefox() {
    assert_eq!(
        parse("browser = \"firefox\"\n").unwrap().browser,
        Some(Browser::Firefox)
    );
    assert_eq!(parse("").unwrap().browser, None);
    assert_eq!(
        rendered("browser = \"firefx\"\n"),
        "error: `firefx` is not a browser docent knows here (it knows `chromium`, `firefox`)\n  \
         --> docent.toml:1:11\n  |\n1 | browser = \"firefx\"\n  |           ^^^^^^^^\n  \
         = help: did you mean `firefox`?\n"
    );
    assert!(rendered("browser = 2\n").contains("`browser` is \"chromium\" or \"firefox\""));
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

//! Where a `goto` may go: the one rule for its URL, kept in one place
//! because it is applied twice. The loader applies it to a URL written in
//! the runbook; the engine applies it again to a URL that a value stored at
//! run time (by `store`) completes, since only then is its scheme known.
//!
//! A runbook drives a web console, so only `http:` and `https:` URLs are
//! opened, and paths, which are joined to the runbook's `url`: a `file:`
//! URL would read the machine's files into the report, a `javascript:` or
//! `data:` one run code of its own, `about:` and `chrome:` leave the web.

use super::RUNTIME_OPEN;

/// The schemes `goto` opens.
pub const WEB_SCHEMES: [&str; 2] = ["http", "https"];

/// Why a `goto` URL is not opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// It has a scheme but does not parse as a URL.
    Invalid,
    /// It is absolute with a scheme other than http or https (the scheme,
    /// lower-cased, without its colon).
    Scheme(String),
    /// It is a path, and there is no base URL to join it to.
    NoBase,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Invalid => write!(f, "it is not a valid URL"),
            Refused::Scheme(scheme) => write!(
                f,
                "`goto` opens http, https or relative URLs, not `{scheme}:` URLs"
            ),
            Refused::NoBase => write!(f, "it is relative but the runbook has no `url`"),
        }
    }
}

impl Refused {
    /// What the URL is instead of one `goto` opens, for a step's failure.
    pub fn what_it_is(&self) -> String {
        match self {
            Refused::Invalid => "not a valid URL".into(),
            Refused::Scheme(scheme) => format!("a `{scheme}:` URL"),
            Refused::NoBase => "a path, and the runbook has no `url` to join it to".into(),
        }
    }
}

/// The URL `goto` opens for `text`: an absolute http or https URL as
/// written, a path joined to `base` (the runbook's `url`, without a final
/// `/`); anything else is refused.
pub fn resolve(text: &str, base: Option<&str>) -> Result<String, Refused> {
    match url::Url::parse(text) {
        Ok(absolute) if WEB_SCHEMES.contains(&absolute.scheme()) => Ok(text.to_string()),
        Ok(absolute) => Err(Refused::Scheme(absolute.scheme().to_string())),
        // Anything with `://` was meant to be absolute.
        Err(_) if text.contains("://") => Err(Refused::Invalid),
        Err(_) => match base {
            Some(base) => Ok(format!("{base}/{}", text.trim_start_matches('/'))),
            None => Err(Refused::NoBase),
        },
    }
}

/// The rule of [`resolve`] as a JSON Schema pattern (ECMA-262), so that
/// editors flag a `goto` URL with another scheme: a web scheme (in any
/// case), or no scheme at all, which is a letter followed by scheme
/// characters and a colon. Leading spaces and control characters, and tabs
/// and line breaks inside a scheme, are skipped as a URL parser skips them.
/// (The pattern cannot tell a path from a missing `url`, nor see through
/// variables: `docent validate` does.)
pub fn schema_pattern() -> String {
    let any_case = |scheme: &str| -> String {
        scheme
            .chars()
            .map(|c| format!("[{}{}]", c.to_ascii_uppercase(), c))
            .collect()
    };
    let web: Vec<String> = WEB_SCHEMES.iter().map(|s| any_case(s)).collect();
    const SKIPPED: &str = r"\x00-\x20";
    const IN_SCHEME: &str = r"A-Za-z0-9+.\t\n\r-";
    format!(
        "^[{SKIPPED}]*((?:{}):|[^A-Za-z{SKIPPED}]|[A-Za-z][{IN_SCHEME}]*(?:[^:{IN_SCHEME}]|$))",
        web.join("|")
    )
}

/// Whether `text`, which uses values stored at run time, may only be
/// resolved when the step runs: when a stored value stands where the scheme
/// would be, it decides whether the URL is absolute, and with which scheme
/// (`${link}`, `java${rest}`). A text with a path or a scheme before its
/// first stored value (`/tracker/${id}`, `https://host/${id}`) is resolved
/// at load time like any other.
pub fn waits_for_stored_values(text: &str) -> bool {
    let Some(first) = text.find(RUNTIME_OPEN) else {
        return false;
    };
    // A URL parser skips leading spaces and control characters, and drops
    // tabs and line breaks anywhere; the rest are the characters of a scheme.
    text[..first]
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-') || c <= ' ')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::RUNTIME_CLOSE;

    #[test]
    fn web_urls_are_kept_and_paths_joined() {
        let base = Some("http://console");
        assert_eq!(resolve("https://a/b", base).unwrap(), "https://a/b");
        assert_eq!(resolve("HTTP://a/", None).unwrap(), "HTTP://a/");
        assert_eq!(resolve("/login", base).unwrap(), "http://console/login");
        assert_eq!(resolve("d?e=f", base).unwrap(), "http://console/d?e=f");
        assert_eq!(resolve("/login", None), Err(Refused::NoBase));
        assert_eq!(resolve("http://[::1", base), Err(Refused::Invalid));
    }

    #[test]
    fn other_schemes_are_refused_by_name_however_written() {
        for (text, scheme) in [
            ("file:///etc/passwd", "file"),
            ("javascript:alert(1)", "javascript"),
            (" JavaScript:alert(1)", "javascript"),
            ("java\tscript:alert(1)", "javascript"),
            ("data:text/html,<p>x", "data"),
            ("about:blank", "about"),
            ("chrome://settings", "chrome"),
            ("localhost:8480/x", "localhost"),
        ] {
            assert_eq!(
                resolve(text, Some("http://console")),
                Err(Refused::Scheme(scheme.into())),
                "{text:?}"
            );
        }
    }

    /// The schema's pattern says what `resolve` says, given a base URL.
    #[test]
    fn the_schema_pattern_agrees_with_the_rule() {
        let pattern = regex::Regex::new(&schema_pattern()).unwrap();
        for text in [
            "http://a/",
            "HTTPS://a/",
            " https://a/",
            "/c",
            "d?e=f",
            "d",
            "d/e:f",
            "./x:y",
            "#top",
            "${base}/x",
            "file:///etc/passwd",
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<p>x",
            "about:blank",
            "chrome://settings",
            "localhost:8480/x",
            "httpx://a/",
            "h:x",
        ] {
            assert_eq!(
                pattern.is_match(text),
                resolve(text, Some("http://console")).is_ok(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_stored_value_where_the_scheme_stands_waits_for_the_run() {
        let stored =
            |before: &str, after: &str| format!("{before}{RUNTIME_OPEN}link{RUNTIME_CLOSE}{after}");
        assert!(waits_for_stored_values(&stored("", "")));
        assert!(waits_for_stored_values(&stored("java", "")));
        assert!(waits_for_stored_values(&stored(" ", "/x")));
        assert!(!waits_for_stored_values(&stored("/tracker/", "")));
        assert!(!waits_for_stored_values(&stored("https://host/", "")));
        assert!(!waits_for_stored_values(&stored("a?b=", "")));
        assert!(!waits_for_stored_values("/plain"));
    }
}

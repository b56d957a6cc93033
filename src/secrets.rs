//! Masking the runbook's secrets wherever they could surface. A secret
//! typed into a console comes back in many spellings: as typed in a
//! toast or a step's description, percent-encoded in a URL, HTML-escaped
//! in a page's source, JSON-escaped in a script. [`Secrets`] knows every
//! spelling of every secret and replaces each with `•••`, longest first.
//!
//! A short secret (fewer than [`SHORT`] characters) is masked only where it
//! stands as a value of its own — not inside a longer word — so a PIN such
//! as `42` does not blank every `420 ms` of a report; a longer one is
//! masked wherever it appears.
//!
//! The debug log is masked too: [`hide_in_logs`] adds a run's secrets to
//! the set the log writer ([`MaskedStderr`]) applies to every line, since
//! `RUST_LOG=debug` prints what the engine looks for.

use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};
use std::io::{self, Write};
use std::sync::RwLock;

/// What a masked secret reads as.
pub const MASK: &str = "•••";

/// Secrets shorter than this many characters are masked as whole values
/// only.
pub const SHORT: usize = 6;

/// Characters a URL carries as they are (RFC 3986's unreserved set).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What a URL parser encodes in a query (the WHATWG URL standard's set
/// for special schemes): `&`, `%` and most punctuation stay as typed.
const QUERY: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'\'');

/// What it encodes in a path.
const PATH: &AsciiSet = &QUERY.add(b'?').add(b'`').add(b'{').add(b'}');

/// Every spelling of a set of secrets.
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    /// Each spelling and whether it is masked as a whole value only,
    /// longest first so that a spelling containing another goes first.
    forms: Vec<(String, bool)>,
}

impl Secrets {
    pub fn new<S: AsRef<str>>(values: &[S]) -> Secrets {
        let mut forms: Vec<(String, bool)> = Vec::new();
        for value in values.iter().map(AsRef::as_ref).filter(|v| !v.is_empty()) {
            let whole = value.chars().count() < SHORT;
            for form in spellings(value) {
                if !forms.iter().any(|(f, _)| *f == form) {
                    forms.push((form, whole));
                }
            }
        }
        forms.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Secrets { forms }
    }

    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// `text` with every spelling of every secret replaced by [`MASK`].
    pub fn mask(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (form, whole) in &self.forms {
            if out.contains(form.as_str()) {
                out = replace(&out, form, *whole);
            }
        }
        out
    }
}

/// The ways `value` is written by the places it passes through.
fn spellings(value: &str) -> Vec<String> {
    let percent = utf8_percent_encode(value, UNRESERVED).to_string();
    let json = serde_json::to_string(value).unwrap_or_default();
    let mut forms = vec![
        value.to_string(),
        percent.clone(),
        // Some encoders write lower-case hex digits.
        lower_hex(&percent),
        // Forms and query strings write a space as `+`.
        percent.replace("%20", "+"),
        // A URL keeps what its part allows as typed.
        utf8_percent_encode(value, QUERY).to_string(),
        utf8_percent_encode(value, PATH).to_string(),
        crate::report::escape_html(value),
        // Serialisers differ on which characters they escape in HTML.
        html_minimal(value),
        json.strip_prefix('"')
            .and_then(|j| j.strip_suffix('"'))
            .unwrap_or_default()
            .to_string(),
    ];
    // A URL in an HTML attribute: encoded as the URL allows, then escaped.
    for url in [
        utf8_percent_encode(value, QUERY).to_string(),
        utf8_percent_encode(value, PATH).to_string(),
    ] {
        forms.push(crate::report::escape_html(&url));
        forms.push(html_minimal(&url));
    }
    forms.retain(|f| !f.is_empty());
    forms.sort();
    forms.dedup();
    forms
}

/// `%3C` as `%3c`.
fn lower_hex(percent: &str) -> String {
    let mut out = String::with_capacity(percent.len());
    let mut chars = percent.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            out.extend(chars.by_ref().take(2).map(|d| d.to_ascii_lowercase()));
        }
    }
    out
}

/// HTML as a browser serialises text: only `&`, `<`, `>` and non-breaking
/// spaces (and `"` in attributes, which the full escape covers).
fn html_minimal(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\u{a0}', "&nbsp;")
}

/// Replaces `form` in `text`; a whole-value form only where no letter or
/// digit touches it on either side.
fn replace(text: &str, form: &str, whole: bool) -> String {
    if !whole {
        return text.replace(form, MASK);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in text.match_indices(form) {
        if at < last {
            continue;
        }
        let before = text[..at].chars().next_back();
        let after = text[at + form.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        if word(before) || word(after) {
            continue;
        }
        out.push_str(&text[last..at]);
        out.push_str(MASK);
        last = at + form.len();
    }
    out.push_str(&text[last..]);
    out
}

/// The secrets of every runbook run in this process, for the log: the
/// values, and every spelling of them, made once per runbook rather than
/// once per log line.
static LOGGED: RwLock<(Vec<String>, Option<Secrets>)> = RwLock::new((Vec::new(), None));

/// Masks `values` in every log line from now on.
pub fn hide_in_logs(values: &[String]) {
    if let Ok(mut logged) = LOGGED.write() {
        logged
            .0
            .extend(values.iter().filter(|v| !v.is_empty()).cloned());
        let secrets = Secrets::new(&logged.0);
        logged.1 = (!secrets.is_empty()).then_some(secrets);
    }
}

/// The log's writer: standard error, with the secrets [`hide_in_logs`]
/// was given masked. The log formats each event into one buffer and
/// writes it whole, so a secret is never split between two writes.
pub struct MaskedStderr;

impl Write for MaskedStderr {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let logged = LOGGED.read();
        let Some(secrets) = logged.as_ref().ok().and_then(|l| l.1.as_ref()) else {
            return io::stderr().write(bytes);
        };
        let text = String::from_utf8_lossy(bytes);
        io::stderr().write_all(secrets.mask(&text).as_bytes())?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "Tr0ub&<\"ss w%rd>";

    #[test]
    fn every_spelling_of_a_secret_is_masked() {
        let secrets = Secrets::new(&[SECRET]);
        for text in [
            "typed Tr0ub&<\"ss w%rd> here",
            "url ?q=Tr0ub%26%3C%22ss%20w%25rd%3E here",
            "url ?q=Tr0ub%26%3c%22ss%20w%25rd%3e here",
            "form q=Tr0ub%26%3C%22ss+w%25rd%3E here",
            "parsed url ?q=Tr0ub&%3C%22ss%20w%rd%3E here",
            "<a href=\"?q=Tr0ub&amp;%3C%22ss%20w%rd%3E\">",
            "html Tr0ub&amp;&lt;&quot;ss w%rd&gt; here",
            "html Tr0ub&amp;&lt;\"ss w%rd&gt; here",
            "json \"Tr0ub&<\\\"ss w%rd>\" here",
        ] {
            let masked = secrets.mask(text);
            assert!(masked.contains(MASK), "{text} → {masked}");
            for leak in ["Tr0ub", "ss w", "ss+w"] {
                assert!(!masked.contains(leak), "{text} → {masked}");
            }
        }
    }

    #[test]
    fn a_short_secret_is_masked_only_as_a_value_of_its_own() {
        let secrets = Secrets::new(&["42"]);
        assert_eq!(secrets.mask("PIN 42, took 420 ms"), "PIN •••, took 420 ms");
        assert_eq!(secrets.mask("\"42\""), "\"•••\"");
        assert_eq!(secrets.mask("x42 and 42x"), "x42 and 42x");
        let long = Secrets::new(&["hunter2x"]);
        assert_eq!(long.mask("ahunter2xb"), "a•••b");
    }

    #[test]
    fn no_secrets_change_nothing() {
        let secrets = Secrets::new::<&str>(&[]);
        assert!(secrets.is_empty());
        assert_eq!(secrets.mask("a & b"), "a & b");
        assert!(Secrets::new(&[""]).is_empty());
    }
}

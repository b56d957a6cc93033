//! The XML 1.0 text of `junit.xml`: attributes escaped so every parser
//! reads them back as written, element text as CDATA (which every JUnit
//! reader keeps), and the characters XML cannot carry replaced.

use std::fmt::Write;
use std::time::Duration;

pub(super) fn counts(
    out: &mut String,
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
) {
    for (name, n) in [
        ("tests", tests),
        ("failures", failures),
        ("errors", errors),
        ("skipped", skipped),
    ] {
        attr(out, name, &n.to_string());
    }
}

/// Seconds with milliseconds, as JUnit's `time` attributes are read.
pub(super) fn seconds(duration: Duration) -> String {
    format!("{:.3}", duration.as_secs_f64())
}

pub(super) fn attr(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, " {name}=\"{}\"", escape(value));
}

/// An attribute value made safe for XML 1.0: markup characters as
/// entities; line breaks and tabs as character references, since parsers
/// turn literal ones into spaces; and the control characters XML 1.0
/// cannot carry at all (not even as references) replaced by U+FFFD.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c if forbidden(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Element text as a CDATA section. Escaped text would do for XML, but
/// some JUnit readers (junit-parser 1.7 among them) drop entity references
/// from text, turning `<div>` into `div`; a CDATA section reaches every
/// reader as written. A `]]>` inside is split across two sections.
pub(super) fn cdata(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if forbidden(c) { '\u{fffd}' } else { c })
        .collect();
    format!("<![CDATA[{}]]>", clean.replace("]]>", "]]]]><![CDATA[>"))
}

/// Characters XML 1.0 does not allow anywhere in a document.
fn forbidden(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'
    )
}

//! Text docent did not write — a page's toasts and texts, a runbook's
//! names and values, file names — made safe to print on a terminal. Such
//! text may hold escape sequences that retitle the window, recolour or
//! clear the screen, or bidirectional overrides that make a line read
//! differently from what it says; printed raw, a hostile page or runbook
//! would be speaking to the user's terminal instead of through docent.
//!
//! Every control character (C0, DEL, C1), the bidirectional formatting
//! characters and the Unicode line and paragraph separators are shown the
//! way a double-quoted YAML string spells them (`\e`, `\0`, `\a`, `\x9b`,
//! `\u202e`), so what a user sees is also what they would write in a
//! runbook to match it. A tab prints as itself: it moves the cursor and
//! nothing else. Backslashes are left alone: the aim is a terminal that only
//! docent controls, not text that can be read back, and a runbook's
//! patterns (`\d+`) stay as their author wrote them.
//!
//! Reporters escape each piece of outside text before they style it, so
//! docent's own colours are the only escape codes in what they print.

use std::borrow::Cow;

/// `text` for a place inside one line: a line break in it is shown as
/// `\n`, so it cannot start a line that looks like docent's own.
pub fn line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// `text` that may span lines: its line breaks (`\n`) stay, every other
/// control character is escaped as [`line`] does.
pub fn lines(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// How `c` is shown, or `None` when it prints as itself (a tab and a line
/// break among them: whether a line break stays is the caller's choice).
pub fn escape_char(c: char) -> Option<String> {
    let shown = match c {
        '\t' | '\n' => return None,
        '\0' => "\\0".into(),
        '\x07' => "\\a".into(),
        '\x08' => "\\b".into(),
        '\x0b' => "\\v".into(),
        '\x0c' => "\\f".into(),
        '\r' => "\\r".into(),
        '\x1b' => "\\e".into(),
        c if c.is_control() => format!("\\x{:02x}", c as u32),
        c if is_invisible_format(c) => format!("\\u{:04x}", c as u32),
        _ => return None,
    };
    Some(shown)
}

/// The characters that are not control characters but still change how a
/// terminal or an editor lays out the text around them: the bidirectional
/// marks, embeddings, overrides and isolates, and the line and paragraph
/// separators.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            | '\u{2028}' | '\u{2029}'
    )
}

fn needs_escape(c: char, keep_newlines: bool) -> bool {
    !(keep_newlines && c == '\n') && (c == '\n' || escape_char(c).is_some())
}

fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    // Nearly all text is clean: borrowed as it is, with no copy.
    if !text.chars().any(|c| needs_escape(c, keep_newlines)) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' if keep_newlines => shown.push('\n'),
            '\n' => shown.push_str("\\n"),
            c => match escape_char(c) {
                Some(escaped) => shown.push_str(&escaped),
                None => shown.push(c),
            },
        }
    }
    Cow::Owned(shown)
}

/// Whether `text` holds anything [`lines`] would escape: a test's check
/// that what docent printed leaves the terminal alone.
pub fn is_clean(text: &str) -> bool {
    matches!(lines(text), Cow::Borrowed(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let text = "Operation successfully! 日本語 ✓ \\d+ \"quoted\"\ttab";
        assert!(matches!(line(text), Cow::Borrowed(t) if t == text));
        assert!(is_clean(text));
    }

    #[test]
    fn escape_sequences_are_shown_as_yaml_spells_them() {
        assert_eq!(line("\x1b]0;pwned\x07 title"), "\\e]0;pwned\\a title");
        assert_eq!(line("\x1b[31mred\x1b[0m"), "\\e[31mred\\e[0m");
        assert_eq!(
            line("nul\0 bs\x08 vt\x0b ff\x0c cr\r"),
            "nul\\0 bs\\b vt\\v ff\\f cr\\r"
        );
        assert_eq!(line("del\x7f so\x0e"), "del\\x7f so\\x0e");
        // C1 controls, which some terminals obey in UTF-8 too (CSI, OSC).
        assert_eq!(line("\u{9b}2J\u{9d}0;x\u{9c}"), "\\x9b2J\\x9d0;x\\x9c");
    }

    #[test]
    fn bidirectional_overrides_and_separators_are_shown() {
        assert_eq!(line("invoice\u{202e}fdp.exe"), "invoice\\u202efdp.exe");
        assert_eq!(line("\u{2066}a\u{2069}\u{200f}"), "\\u2066a\\u2069\\u200f");
        assert_eq!(line("a\u{2028}b\u{2029}c"), "a\\u2028b\\u2029c");
    }

    #[test]
    fn line_breaks_stay_only_where_the_text_may_span_lines() {
        assert_eq!(line("one\ntwo"), "one\\ntwo");
        assert_eq!(lines("one\ntwo\r\n\x1b[2J"), "one\ntwo\\r\n\\e[2J");
        assert!(is_clean("one\ntwo"));
        assert!(!is_clean("one\x1b"));
    }

    #[test]
    fn every_control_character_is_escaped() {
        for c in (0u32..0x20).chain(0x7f..0xa0).filter_map(char::from_u32) {
            let shown = line(&c.to_string()).into_owned();
            if c == '\t' {
                assert_eq!(shown, "\t");
            } else {
                assert!(shown.starts_with('\\'), "{c:?} shown as {shown:?}");
                assert!(!shown.chars().any(char::is_control), "{c:?}: {shown:?}");
            }
        }
    }
}

//! Writing the generated trees out as YAML text, in block and flow style,
//! with scalars plain or quoted at random.

use super::*;

// ---------------------------------------------------------------------------
// Writing YAML text

/// Whether `s` can be written as a plain scalar and read back as the same text.
pub(crate) fn plain_safe(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || " _-./+()!${}@".contains(c))
        && !s.starts_with([' ', '-', '{', '}', '!', '@'])
        && !s.ends_with(' ')
        && !s.contains(": ")
        && !s.contains(" #")
}

pub(crate) fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A scalar in a random style; now and then unquoted whatever it holds.
pub(crate) fn write_scalar(rng: &mut Rng, s: &str, in_flow: bool) -> String {
    match rng.below(20) {
        0 => s.to_string(),
        1 | 2 if !s.contains(['\n', '\r']) && !s.chars().any(char::is_control) => {
            format!("'{}'", s.replace('\'', "''"))
        }
        _ if plain_safe(s) && !(in_flow && s.contains(['{', '}', '[', ']', ','])) => s.to_string(),
        _ => double_quoted(s),
    }
}

pub(crate) fn write_flow(rng: &mut Rng, y: &Y, out: &mut String) {
    match y {
        Y::S(s) => out.push_str(&write_scalar(rng, s, true)),
        Y::L(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_flow(rng, item, out);
            }
            out.push(']');
        }
        Y::M(entries) => {
            out.push_str("{ ");
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&write_scalar(rng, k, true));
                out.push_str(": ");
                write_flow(rng, v, out);
            }
            out.push_str(" }");
        }
    }
}

/// Writes `y` in block style at `indent`; `inline` says the first line
/// continues one already started (after `- ` or `key: `).
pub(crate) fn write_block(rng: &mut Rng, y: &Y, indent: usize, out: &mut String) {
    let step = 2 + rng.below(2);
    match y {
        Y::S(s) => {
            if rng.chance(5) && !s.contains(['\r']) {
                // A literal block scalar.
                out.push_str("|\n");
                for line in s.split('\n') {
                    out.push_str(&" ".repeat(indent + step));
                    out.push_str(line);
                    out.push('\n');
                }
            } else {
                out.push_str(&write_scalar(rng, s, false));
                out.push('\n');
            }
        }
        Y::L(items) if items.is_empty() => out.push_str("[]\n"),
        Y::M(entries) if entries.is_empty() => out.push_str("{}\n"),
        _ if rng.chance(25) => {
            write_flow(rng, y, out);
            out.push('\n');
        }
        Y::L(items) => {
            out.push('\n');
            for item in items {
                out.push_str(&" ".repeat(indent));
                out.push_str("- ");
                write_item(rng, item, indent + 2, out);
            }
        }
        Y::M(entries) => {
            out.push('\n');
            write_entries(rng, entries, indent + step, out, false);
        }
    }
}

/// The value of a list item, which starts right after `- `.
pub(crate) fn write_item(rng: &mut Rng, y: &Y, indent: usize, out: &mut String) {
    match y {
        Y::M(entries) if !entries.is_empty() && rng.chance(80) => {
            write_entries(rng, entries, indent, out, true)
        }
        _ => write_block(rng, y, indent, out),
    }
}

pub(crate) fn write_entries(
    rng: &mut Rng,
    entries: &[(String, Y)],
    indent: usize,
    out: &mut String,
    inline: bool,
) {
    for (i, (k, v)) in entries.iter().enumerate() {
        if !(inline && i == 0) {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&write_scalar(rng, k, false));
        out.push_str(": ");
        write_block(rng, v, indent, out);
    }
}

pub(crate) fn yaml(rng: &mut Rng, y: &Y) -> String {
    let mut out = String::new();
    if rng.chance(10) {
        out.push_str("# a comment\n");
    }
    match y {
        Y::M(entries) if !entries.is_empty() => write_entries(rng, entries, 0, &mut out, false),
        other => write_block(rng, other, 0, &mut out),
    }
    if rng.chance(5) {
        out.push_str("...\n");
    }
    out
}

//! Writing the guide out: `guide.md` (CommonMark: nested ordered lists,
//! figures as images under their caption) and `guide.html` (one
//! self-contained page styled like a help-centre article, figures
//! referenced beside it). Sentences are Markdown; for the HTML page their
//! inline marks (bold, italic, code, links, escapes) are turned into HTML
//! here, and everything else is escaped.

use super::{Block, Entry, Procedure, caveat, procedure};
use crate::report::record::{RunRecord, Status};

/// `guide.md`.
pub fn markdown(record: &RunRecord) -> String {
    let mut out = format!("# {}\n\n", super::sentence::text(&record.runbook.name));
    if let Some(date) = record.started_at.get(..10) {
        out.push_str(&format!("Updated on {date}\n\n"));
    }
    if let Some(caveat) = caveat(record) {
        out.push_str(&format!("> {}\n\n", super::sentence::text(&caveat)));
    }
    if let Some(description) = &record.runbook.description {
        out.push_str(description.trim());
        out.push_str("\n\n");
    }
    let Procedure { intro, entries } = procedure(record);
    out.push_str("## Procedure\n\n");
    for block in &intro {
        md_block(block, "", &mut out);
    }
    md_entries(&entries, "", &mut out);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn md_entries(entries: &[Entry<'_>], indent: &str, out: &mut String) {
    for (index, entry) in entries.iter().enumerate() {
        let marker = format!("{}. ", index + 1);
        out.push_str(&format!("{indent}{marker}{}\n\n", entry.line));
        let inner = format!("{indent}{}", " ".repeat(marker.len()));
        for block in &entry.blocks {
            md_block(block, &inner, out);
        }
    }
}

fn md_block(block: &Block<'_>, indent: &str, out: &mut String) {
    match block {
        Block::Sentences(sentences) => {
            out.push_str(&format!("{indent}{}\n\n", sentences.join(" ")));
        }
        Block::Figure {
            number,
            caption,
            file,
        } => {
            let caption = super::sentence::text(caption);
            out.push_str(&format!("{indent}**Figure {number}** {caption}\n\n"));
            out.push_str(&format!(
                "{indent}![Figure {number} {caption}]({})\n\n",
                link(file)
            ));
        }
        Block::Steps(entries) => md_entries(entries, indent, out),
    }
}

/// A file name as a Markdown link target.
fn link(file: &str) -> String {
    file.replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
}

/// `guide.html`.
pub fn html(record: &RunRecord) -> String {
    let mut body = String::new();
    body.push_str(&format!("<h1>{}</h1>\n", escape(&record.runbook.name)));
    if let Some(date) = record.started_at.get(..10) {
        body.push_str(&format!(
            "<p class=\"updated\">Updated on {}</p>\n",
            escape(date)
        ));
    }
    if let Some(caveat) = caveat(record) {
        body.push_str(&format!(
            "<p class=\"caveat\" role=\"note\">{}</p>\n",
            escape(&caveat)
        ));
    }
    if let Some(description) = &record.runbook.description {
        for paragraph in description.split("\n\n").filter(|p| !p.trim().is_empty()) {
            body.push_str(&format!("<p>{}</p>\n", inline(paragraph.trim())));
        }
    }
    let Procedure { intro, entries } = procedure(record);
    body.push_str("<h2>Procedure</h2>\n");
    for block in &intro {
        html_block(block, &mut body);
    }
    html_entries(&entries, &mut body);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"docent\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape(&record.runbook.name)
    )
}

fn html_entries(entries: &[Entry<'_>], out: &mut String) {
    out.push_str("<ol>\n");
    for entry in entries {
        let class = match entry.status {
            Status::Failed | Status::Broken | Status::Interrupted => " class=\"stopped\"",
            Status::NotRun => " class=\"unchecked\"",
            _ => "",
        };
        out.push_str(&format!(
            "<li{class} id=\"step-{}\"><p class=\"line\">{}</p>\n",
            escape(&entry.section.number),
            inline(&entry.line)
        ));
        for block in &entry.blocks {
            html_block(block, out);
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
}

fn html_block(block: &Block<'_>, out: &mut String) {
    match block {
        Block::Sentences(sentences) => {
            let text: Vec<String> = sentences.iter().map(|s| inline(s)).collect();
            out.push_str(&format!("<p>{}</p>\n", text.join(" ")));
        }
        Block::Figure {
            number,
            caption,
            file,
        } => {
            let caption = escape(caption);
            out.push_str(&format!(
                "<figure>\n<figcaption><b>Figure {number}</b> {caption}</figcaption>\n\
                 <a href=\"{src}\"><img src=\"{src}\" alt=\"Figure {number} {caption}\" loading=\"lazy\"></a>\n</figure>\n",
                src = escape(&link(file))
            ));
        }
        Block::Steps(entries) => html_entries(entries, out),
    }
}

/// The inline Markdown of a sentence as HTML: `**bold**`, `*italic*`,
/// `` `code` ``, `[text](url)` and backslash escapes; everything else is
/// text.
pub fn inline(markdown: &str) -> String {
    let chars: Vec<char> = markdown.chars().collect();
    let mut out = String::new();
    let mut bold = false;
    let mut italic = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() && chars[i + 1].is_ascii_punctuation() => {
                out.push_str(&escape(&chars[i + 1].to_string()));
                i += 2;
                continue;
            }
            '`' => {
                if let Some(end) = chars[i + 1..].iter().position(|&c| c == '`') {
                    let code: String = chars[i + 1..i + 1 + end].iter().collect();
                    out.push_str(&format!("<code>{}</code>", escape(&code)));
                    i += end + 2;
                    continue;
                }
                out.push('`');
            }
            '*' if chars.get(i + 1) == Some(&'*') => {
                let closes = bold || has_closing(&chars[i + 2..], "**");
                if closes {
                    out.push_str(if bold { "</strong>" } else { "<strong>" });
                    bold = !bold;
                } else {
                    out.push_str("**");
                }
                i += 2;
                continue;
            }
            '*' => {
                let closes = italic || has_closing(&chars[i + 1..], "*");
                if closes {
                    out.push_str(if italic { "</em>" } else { "<em>" });
                    italic = !italic;
                } else {
                    out.push('*');
                }
            }
            '[' => {
                if let Some((text, url, used)) = link_at(&chars[i..]) {
                    let safe = url.starts_with("http://")
                        || url.starts_with("https://")
                        || !url.contains(':');
                    if safe {
                        out.push_str(&format!(
                            "<a href=\"{}\">{}</a>",
                            escape(&url),
                            inline(&text)
                        ));
                    } else {
                        out.push_str(&inline(&text));
                    }
                    i += used;
                    continue;
                }
                out.push('[');
            }
            _ => out.push_str(&escape(&c.to_string())),
        }
        i += 1;
    }
    if italic {
        out.push_str("</em>");
    }
    if bold {
        out.push_str("</strong>");
    }
    out
}

/// Whether `mark` closes later in `rest` (an unescaped occurrence).
fn has_closing(rest: &[char], mark: &str) -> bool {
    let mark: Vec<char> = mark.chars().collect();
    let mut i = 0;
    while i < rest.len() {
        if rest[i] == '\\' {
            i += 2;
            continue;
        }
        if rest[i..].starts_with(&mark) {
            return true;
        }
        i += 1;
    }
    false
}

/// `[text](url)` at the start of `chars`: the text, the URL and how many
/// characters it took.
fn link_at(chars: &[char]) -> Option<(String, String, usize)> {
    let close = chars.iter().position(|&c| c == ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = chars[close + 2..].iter().position(|&c| c == ')')?;
    let text: String = chars[1..close].iter().collect();
    let url: String = chars[close + 2..close + 2 + end].iter().collect();
    Some((text, url, close + 3 + end))
}

fn escape(text: &str) -> String {
    crate::report::escape_html(text)
}

/// The page's look: a help-centre article, readable on screen and in print.
const STYLE: &str = r#"body { margin: 0; background: #f5f6f8; color: #252b3a; font: 15px/1.65 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 32px 40px 64px; background: #fff; min-height: 100vh; box-sizing: border-box; }
h1 { font-size: 28px; line-height: 1.3; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 28px 0 12px; padding-bottom: 6px; border-bottom: 1px solid #dfe1e6; }
.updated { color: #757b88; font-size: 13px; margin: 0 0 20px; }
.caveat { background: #fff4e5; border-left: 4px solid #e8890c; padding: 10px 14px; }
ol { padding-left: 28px; margin: 0; }
ol ol { padding-left: 24px; margin-top: 6px; }
li { margin: 10px 0 14px; }
li > p { margin: 4px 0; }
li > p.line { font-weight: 600; }
li.unchecked > p.line::after { content: " (not checked in this run)"; color: #9a9fab; font-weight: normal; }
li.stopped > p.line { color: #c7000b; }
code { background: #f1f2f5; padding: 1px 5px; border-radius: 3px; font-size: 13px; }
figure { margin: 14px 0 20px; }
figcaption { font-size: 13px; color: #575d6c; margin-bottom: 6px; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid #dfe1e6; box-shadow: 0 1px 3px rgba(0, 0, 0, .08); }
a { color: #0a59c2; }
@media print { body { background: #fff; } main { padding: 0; } figure { break-inside: avoid; } }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_marks_become_html_and_the_rest_is_text() {
        assert_eq!(
            inline("Click **Configure** in the row of *system*."),
            "Click <strong>Configure</strong> in the row of <em>system</em>."
        );
        assert_eq!(inline("Go to `/login`."), "Go to <code>/login</code>.");
        assert_eq!(inline("**\\*Save\\***"), "<strong>*Save*</strong>");
        assert_eq!(
            inline("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(
            inline("See [the help](https://example.com/a?b=1&c)."),
            "See <a href=\"https://example.com/a?b=1&amp;c\">the help</a>."
        );
        assert_eq!(inline("[x](javascript:alert(1))"), "x)");
        assert_eq!(inline("2 * 3 = 6"), "2 * 3 = 6");
    }
}

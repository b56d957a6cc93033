//! Writing the guide out: `guide.md` (CommonMark: nested ordered lists,
//! figures as images under their caption) and `guide.html` (one
//! self-contained page styled like a help-centre article, figures
//! referenced beside it). Sentences and the description are Markdown;
//! for the HTML page pulldown-cmark turns them into HTML, with the runbook's
//! raw HTML and script links kept from becoming live markup.

use super::{Block, Entry, Procedure, caveat, procedure};
use crate::report::record::{RunRecord, Status};
use pulldown_cmark::html::push_html;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

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
        body.push_str(&blocks(description));
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

/// A sentence's Markdown as HTML for a line or paragraph of the page: its
/// inline marks (bold, italic, code, links, escapes) as HTML, and any block
/// marks it opens with (`# `, `1. `, `> `) read as `guide.md`'s reader
/// reads them but left out, since the sentence already sits in a block.
pub fn inline(markdown: &str) -> String {
    let mut out = render(markdown, Blocks::Drop);
    out.truncate(out.trim_end().len());
    out
}

/// The runbook's description, whole Markdown, as the page's paragraphs.
fn blocks(markdown: &str) -> String {
    render(markdown, Blocks::Keep)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Blocks {
    Keep,
    Drop,
}

/// Runbook Markdown as HTML, by pulldown-cmark. Runbook text must never
/// become live markup on the page: raw HTML in it is shown as text, and a
/// link or image whose target is neither http(s) nor relative (a
/// `javascript:` URL, say) keeps only its words.
fn render(markdown: &str, blocks: Blocks) -> String {
    // Whether each open link or image was kept, to drop the matching end.
    let mut kept: Vec<bool> = Vec::new();
    let events = Parser::new(markdown).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::HtmlBlock) if blocks == Blocks::Keep => {
            Some(Event::Start(Tag::Paragraph))
        }
        Event::End(TagEnd::HtmlBlock) if blocks == Blocks::Keep => {
            Some(Event::End(TagEnd::Paragraph))
        }
        Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
            let safe = safe_url(dest_url);
            kept.push(safe);
            safe.then_some(event)
        }
        Event::End(TagEnd::Link | TagEnd::Image) => kept.pop().unwrap_or(true).then_some(event),
        Event::Start(Tag::Emphasis | Tag::Strong)
        | Event::End(TagEnd::Emphasis | TagEnd::Strong) => Some(event),
        // The words of the blocks a sentence opens, apart.
        Event::End(_) if blocks == Blocks::Drop => Some(Event::SoftBreak),
        Event::Start(_) | Event::Rule if blocks == Blocks::Drop => None,
        event => Some(event),
    });
    let mut out = String::new();
    push_html(&mut out, events);
    out
}

/// Whether a link target is safe to follow from the page: web addresses
/// and relative ones, no other scheme.
fn safe_url(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://") || !url.contains(':')
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
        assert_eq!(inline("[x](javascript:alert(1))"), "x");
        assert_eq!(inline("<javascript:alert(1)>"), "javascript:alert(1)");
        assert_eq!(inline("2 * 3 = 6"), "2 * 3 = 6");
        // Block marks at a sentence's start do not open blocks in a line.
        assert_eq!(inline("1. Open **it**"), "Open <strong>it</strong>");
    }

    #[test]
    fn the_description_is_markdown_paragraphs_without_live_html() {
        assert_eq!(
            blocks("One *line*\nand more.\n\n<script>alert(1)</script>\n\n- a\n- [b](data:x)\n"),
            "<p>One <em>line</em>\nand more.</p>\n\
             <p>&lt;script&gt;alert(1)&lt;/script&gt;\n</p>\n\
             <ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
        );
    }
}

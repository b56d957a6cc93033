//! Scalar values every part of a runbook reads the same way: text (with
//! variables substituted), durations, booleans, counts and the base URL.

use super::Lowerer;
use crate::runbook::diagnostic::Diagnostic;
use crate::runbook::duration;
use crate::runbook::model::*;
use crate::runbook::yaml::{Node, Value};
use std::time::Duration;

impl Lowerer<'_> {
    /// A text value with variables substituted.
    pub(super) fn text(&mut self, node: &Node, what: &str) -> Option<String> {
        match node.value.as_text() {
            Some(text) => self.substitute(&text, node.pos),
            None => {
                let d = Diagnostic::new(
                    node.pos,
                    format!("`{what}` must be text, found {}", node.value.kind()),
                );
                self.error(match node.value {
                    Value::Null => d.help(
                        "nothing is written here; an unquoted `#` starts a comment, so quote values such as \"#app\"",
                    ),
                    _ => d,
                });
                None
            }
        }
    }

    /// A text that must be known when the runbook loads (not set by `store`).
    pub(super) fn static_text(&mut self, node: &Node, what: &str) -> Option<String> {
        let text = self.text(node, what)?;
        if text.contains(RUNTIME_OPEN) {
            self.error(Diagnostic::new(
                node.pos,
                format!(
                    "`{what}` cannot use a variable set by `store`; it is needed before the run"
                ),
            ));
            return None;
        }
        Some(text)
    }

    /// `tags:` — a list of words (no spaces or commas) that `--tag` picks
    /// runbooks by. Read before the run, so no variables set by `store`.
    pub(super) fn tags(&mut self, node: &Node) -> Vec<String> {
        let items: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        let mut tags = Vec::new();
        for item in items {
            let Some(tag) = self.static_text(item, "tags") else {
                continue;
            };
            if tag.is_empty() || tag.contains(|c: char| c.is_whitespace() || c == ',') {
                self.error(
                    Diagnostic::new(
                        item.pos,
                        format!("the tag `{tag}` is not one word"),
                    )
                    .help("a tag is letters, digits and punctuation without spaces or commas, like `smoke` or `team-a`"),
                );
                continue;
            }
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        tags
    }

    pub(super) fn duration(&mut self, node: &Node, what: &str) -> Option<Duration> {
        let text = self.static_text(node, what)?;
        match duration::parse(&text) {
            Ok(d) if d.is_zero() && (what == "timeout" || what == "for") => {
                self.error(
                    Diagnostic::new(
                        node.pos,
                        if what == "for" {
                            "watching for zero time checks nothing"
                        } else {
                            "a timeout of zero leaves no time to wait"
                        },
                    )
                    .width(text.chars().count())
                    .help("write at least `100ms`"),
                );
                None
            }
            Ok(d) => Some(d),
            Err(message) => {
                self.error(Diagnostic::new(node.pos, message).width(text.chars().count()));
                None
            }
        }
    }

    pub(super) fn boolean(&mut self, node: &Node, what: &str) -> Option<bool> {
        match &node.value {
            Value::Bool(b) => Some(*b),
            other => {
                let d = Diagnostic::new(
                    node.pos,
                    format!("`{what}` is `true` or `false`, found {}", other.kind()),
                );
                let d = match other.as_text().as_deref() {
                    Some("yes" | "on") => d.help("write `true`"),
                    Some("no" | "off") => d.help("write `false`"),
                    _ => d,
                };
                self.error(d);
                None
            }
        }
    }

    pub(super) fn count(&mut self, node: &Node, what: &str, min: i64) -> Option<i64> {
        match &node.value {
            Value::Int(n) if *n >= min => Some(*n),
            Value::Int(n) => {
                self.error(Diagnostic::new(
                    node.pos,
                    format!("`{what}` is at least {min}, found {n}"),
                ));
                None
            }
            other => {
                self.error(Diagnostic::new(
                    node.pos,
                    format!("`{what}` is a whole number, found {}", other.kind()),
                ));
                None
            }
        }
    }

    /// A number from 0 to 1 (a share, a colour distance).
    pub(super) fn fraction(&mut self, node: &Node, what: &str) -> Option<f64> {
        let number = match &node.value {
            Value::Int(n) => *n as f64,
            Value::Float(f) => *f,
            other => {
                self.error(Diagnostic::new(
                    node.pos,
                    format!("`{what}` is a number from 0 to 1, found {}", other.kind()),
                ));
                return None;
            }
        };
        if (0.0..=1.0).contains(&number) {
            Some(number)
        } else {
            self.error(
                Diagnostic::new(
                    node.pos,
                    format!("`{what}` is a number from 0 to 1, found {number}"),
                )
                .help("a share of 1% is written 0.01"),
            );
            None
        }
    }

    pub(super) fn base_url(&mut self, node: &Node) -> Option<String> {
        let url = self.static_text(node, "url")?;
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            self.bad_base_url = true;
            self.error(
                Diagnostic::new(
                    node.pos,
                    format!("`url` must start with http:// or https://, found \"{url}\""),
                )
                .width(url.chars().count())
                .help(format!(
                    "for example `url: http://{}`",
                    url.trim_start_matches("//")
                )),
            );
            return None;
        }
        Some(url.trim_end_matches('/').to_string())
    }
}

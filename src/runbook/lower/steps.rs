//! Lowering of each step keyword and of targets: the checks and
//! conversions that turn one `- keyword: value` entry into an [`Action`].

use super::Lowerer;
use crate::runbook::diagnostic::Diagnostic;
use crate::runbook::model::*;
use crate::runbook::yaml::{Key, Node, Pos, Value};
use std::collections::BTreeMap;

const TARGET_KEYS: &[&str] = &["text", "label", "role", "row", "css"];

impl Lowerer<'_> {
    pub(super) fn action(&mut self, key: &Key, value: &Node, base: Option<&str>) -> Option<Action> {
        Some(match key.name.as_str() {
            "goto" => {
                let written = self.text(value, "goto")?;
                // Anything with a scheme (http:, https:, about:, data:, file:) is absolute.
                if written.contains("://") && url::Url::parse(&written).is_err() {
                    self.error(
                        Diagnostic::new(value.pos, format!("`{written}` is not a valid URL"))
                            .width(written.chars().count()),
                    );
                    return None;
                }
                let url = if url::Url::parse(&written).is_ok() {
                    written.clone()
                } else if let Some(base) = base {
                    format!("{base}/{}", written.trim_start_matches('/'))
                } else {
                    self.error(
                        Diagnostic::new(
                            value.pos,
                            format!("`goto: {written}` is relative but the runbook has no `url`"),
                        )
                        .width(written.chars().count())
                        .help(
                            "add `url: http://...` at the top, pass `--url`, or write a full URL",
                        ),
                    );
                    return None;
                };
                Action::Goto(Goto { url, written })
            }
            "click" => Action::Click(Click {
                target: self.target(value, "click", &[])?.0,
            }),
            "expect" => Action::Expect(Expect {
                target: self.target(value, "expect", &[])?.0,
            }),
            "expect_gone" => Action::ExpectGone(ExpectGone {
                target: self.target(value, "expect_gone", &[])?.0,
            }),
            "fill" => {
                let (target, extra) = self.target(value, "fill", &["with"])?;
                let Some(with) = extra.get("with") else {
                    self.error(
                        Diagnostic::new(value.pos, "`fill` needs the text to type: `with: ...`")
                            .help("for example `fill: { label: Password, with: \"${CONSOLE_PASSWORD}\" }`"),
                    );
                    return None;
                };
                let value = self.text(with, "with")?;
                Action::Fill(Fill { target, value })
            }
            "toggle" => {
                let (target, extra) = self.target(value, "toggle", &["to", "confirm"])?;
                let Some(to) = extra.get("to") else {
                    self.error(Diagnostic::new(
                        value.pos,
                        "`toggle` needs the state to reach: `to: on` or `to: off`",
                    ));
                    return None;
                };
                let to_text = self.text(to, "to")?;
                let on = match to_text.as_str() {
                    "on" | "true" => true,
                    "off" | "false" => false,
                    other => {
                        self.error(
                            Diagnostic::new(
                                to.pos,
                                format!("`to` is `on` or `off`, found \"{other}\""),
                            )
                            .width(other.chars().count()),
                        );
                        return None;
                    }
                };
                let confirm = match extra.get("confirm") {
                    Some(node) => Some(self.text(node, "confirm")?),
                    None => None,
                };
                Action::Toggle(Toggle {
                    target,
                    on,
                    confirm,
                })
            }
            "expect_toast" => {
                let (text, kind) = match &value.value {
                    Value::Map(entries) => {
                        self.check_keys(entries, &["text", "kind"], "`expect_toast`");
                        let text_node = entries
                            .iter()
                            .find(|(k, _)| k.name == "text")
                            .map(|(_, v)| v);
                        let Some(text_node) = text_node else {
                            self.error(Diagnostic::new(value.pos, "`expect_toast` needs `text`"));
                            return None;
                        };
                        let text = self.text(text_node, "text")?;
                        let kind = match entries.iter().find(|(k, _)| k.name == "kind") {
                            None => ToastKind::Success,
                            Some((_, node)) => {
                                match self.text(node, "kind")?.as_str() {
                                    "success" => ToastKind::Success,
                                    "error" => ToastKind::Error,
                                    "any" => ToastKind::Any,
                                    other => {
                                        self.error(
                                        Diagnostic::new(node.pos, format!("`kind` is success, error or any, found \"{other}\""))
                                            .width(other.chars().count()),
                                    );
                                        return None;
                                    }
                                }
                            }
                        };
                        (text, kind)
                    }
                    _ => (self.text(value, "expect_toast")?, ToastKind::Success),
                };
                if text.trim().is_empty() {
                    self.error(Diagnostic::new(
                        value.pos,
                        "`expect_toast` is given empty text",
                    ));
                    return None;
                }
                Action::ExpectToast(ExpectToast { text, kind })
            }
            "screenshot" => {
                let (name_node, caption) = match &value.value {
                    Value::Map(entries) => {
                        self.check_keys(entries, &["name", "caption"], "`screenshot`");
                        let Some((_, name)) = entries.iter().find(|(k, _)| k.name == "name") else {
                            self.error(Diagnostic::new(
                                value.pos,
                                "`screenshot` needs a `name` (it names the file)",
                            ));
                            return None;
                        };
                        let caption = match entries.iter().find(|(k, _)| k.name == "caption") {
                            Some((_, node)) => Some(self.text(node, "caption")?),
                            None => None,
                        };
                        (name, caption)
                    }
                    _ => (value, None),
                };
                let name = self.text(name_node, "name")?;
                if name.is_empty()
                    || !name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    self.error(
                        Diagnostic::new(
                            name_node.pos,
                            format!(
                                "screenshot name \"{name}\" must be letters, digits, `-` or `_`"
                            ),
                        )
                        .width(name.chars().count())
                        .help("it becomes the file name NN-<name>.png; put prose in `caption`"),
                    );
                    return None;
                }
                Action::Screenshot(Screenshot { name, caption })
            }
            other => unreachable!("step keyword {other} is listed but not lowered"),
        })
    }

    /// Reads a target (a string, or a mapping of target keys) and returns the
    /// step's other keys (`extra`) for the caller to interpret.
    fn target<'n>(
        &mut self,
        node: &'n Node,
        step: &str,
        extra_keys: &[&str],
    ) -> Option<(Target, BTreeMap<String, &'n Node>)> {
        let entries = match &node.value {
            Value::Map(entries) => entries,
            _ if extra_keys.is_empty() => {
                let text = self.text(node, step)?;
                if text.trim().is_empty() {
                    self.error(
                        Diagnostic::new(node.pos, format!("`{step}` is given empty text"))
                            .help("say what to look for: visible text, or `{ label: ... }`"),
                    );
                    return None;
                }
                return Some((
                    Target {
                        locator: Locator::Text(text),
                        row: None,
                    },
                    BTreeMap::new(),
                ));
            }
            other => {
                self.error(
                    Diagnostic::new(
                        node.pos,
                        format!("`{step}` takes a mapping here, found {}", other.kind()),
                    )
                    .help(format!(
                        "for example `{step}: {{ label: ..., {}: ... }}`",
                        extra_keys.first().copied().unwrap_or("text")
                    )),
                );
                return None;
            }
        };
        let allowed: Vec<&str> = TARGET_KEYS.iter().chain(extra_keys).copied().collect();
        self.check_keys(entries, &allowed, &format!("`{step}`"));
        let mut fields: BTreeMap<&str, (String, Pos)> = BTreeMap::new();
        let mut extra = BTreeMap::new();
        for (key, value) in entries {
            if extra_keys.contains(&key.name.as_str()) {
                extra.insert(key.name.clone(), value);
            } else if TARGET_KEYS.contains(&key.name.as_str()) {
                let text = self.text(value, &key.name)?;
                if text.trim().is_empty() {
                    self.error(Diagnostic::new(
                        value.pos,
                        format!("`{}` is empty", key.name),
                    ));
                    return None;
                }
                fields.insert(
                    TARGET_KEYS.iter().find(|k| **k == key.name).copied()?,
                    (text, key.pos),
                );
            }
        }
        let take =
            |fields: &BTreeMap<&str, (String, Pos)>, k: &str| fields.get(k).map(|(t, _)| t.clone());
        let row = take(&fields, "row");
        let kinds: Vec<&str> = ["text", "label", "css"]
            .into_iter()
            .filter(|k| fields.contains_key(k))
            .collect();
        let locator = match (take(&fields, "role"), kinds.as_slice()) {
            (Some(role), []) => Locator::Role { role, name: None },
            (Some(role), ["text"]) => Locator::Role {
                role,
                name: take(&fields, "text"),
            },
            (Some(_), _) => {
                self.error(
                    Diagnostic::new(
                        node.pos,
                        format!(
                            "`role` combines only with `text` (the accessible name) in `{step}`"
                        ),
                    )
                    .help("for example `{ role: button, text: Configure }`"),
                );
                return None;
            }
            (None, ["text"]) => Locator::Text(take(&fields, "text")?),
            (None, ["label"]) => Locator::Label(take(&fields, "label")?),
            (None, ["css"]) => Locator::Css(take(&fields, "css")?),
            (None, []) => {
                self.error(
                    Diagnostic::new(node.pos, format!("`{step}` does not say what to look for"))
                        .help("give one of `text`, `label`, `role` or `css`"),
                );
                return None;
            }
            (None, several) => {
                let (_, second_pos) = fields[several[1]];
                self.error(
                    Diagnostic::new(
                        second_pos,
                        format!(
                            "`{}` and `{}` both say what to look for; give one",
                            several[0], several[1]
                        ),
                    )
                    .width(several[1].len()),
                );
                return None;
            }
        };
        Some((Target { locator, row }, extra))
    }
}

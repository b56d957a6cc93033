//! Lowering: the YAML tree becomes a typed [`Runbook`]. This file handles
//! the runbook's frame (name, url, vars, secrets, sections, variable
//! substitution); `steps.rs` checks each step keyword and its target. Every
//! problem becomes a [`Diagnostic`] at its exact place, and lowering carries
//! on after an error so all of them are reported together.

use super::diagnostic::Diagnostic;
use super::duration;
use super::model::*;
use super::yaml::{Key, Node, Pos, Value};
use crate::suggest::did_you_mean;
use std::collections::BTreeMap;
use std::time::Duration;

mod steps;

/// The step keywords, in the order the reference documents them.
pub const STEP_KEYWORDS: &[&str] = &[
    "goto",
    "click",
    "fill",
    "toggle",
    "expect",
    "expect_gone",
    "expect_toast",
    "screenshot",
];

const TOP_KEYS: &[&str] = &["name", "url", "vars", "secrets", "timeout", "steps"];
const STEP_MODIFIERS: &[&str] = &["timeout"];

/// The default time a step waits for its condition.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where variable values come from, besides the runbook's own `vars`.
pub struct Sources<'a> {
    /// `--var name=value`, highest precedence.
    pub overrides: &'a BTreeMap<String, String>,
    /// The environment (secrets come only from here).
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// Replaces the runbook's `url:` (the `--url` flag).
    pub base_url: Option<&'a str>,
    /// When false (`docent validate`), a secret missing from the
    /// environment is not an error; a placeholder stands in for it.
    pub require_secrets: bool,
}

pub(super) struct Lowerer<'a> {
    sources: Sources<'a>,
    vars: BTreeMap<String, String>,
    secrets: BTreeMap<String, String>,
    /// Declared secrets that are not set; already reported once.
    missing_secrets: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Lowerer<'a> {
    pub fn new(sources: Sources<'a>) -> Self {
        Lowerer {
            sources,
            vars: BTreeMap::new(),
            secrets: BTreeMap::new(),
            missing_secrets: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn runbook(&mut self, root: &Node, path: &std::path::Path) -> Option<Runbook> {
        let Value::Map(entries) = &root.value else {
            self.error(Diagnostic::new(
                root.pos,
                format!(
                    "a runbook is a mapping with `name` and `steps`, found {}",
                    root.value.kind()
                ),
            ));
            return None;
        };
        self.check_keys(entries, TOP_KEYS, "runbook");
        let find = |name: &str| entries.iter().find(|(k, _)| k.name == name);

        // Variables and secrets first: every other value may use them.
        if let Some((_, node)) = find("vars") {
            self.vars(node);
        }
        if let Some((_, node)) = find("secrets") {
            self.secrets(node);
        }

        let name = match find("name") {
            Some((_, node)) => self.text(node, "name").unwrap_or_default(),
            None => {
                self.error(
                    Diagnostic::new(root.pos, "the runbook has no `name`")
                        .help("add a title line such as `name: Create a CTS tracker`"),
                );
                String::new()
            }
        };
        let base_url = match (self.sources.base_url, find("url")) {
            (Some(url), _) => Some(url.trim_end_matches('/').to_string()),
            (None, Some((_, node))) => self.base_url(node),
            (None, None) => None,
        };
        let timeout = find("timeout")
            .and_then(|(_, node)| self.duration(node))
            .unwrap_or(DEFAULT_TIMEOUT);
        let items = match find("steps") {
            Some((_, node)) => self.items(node, base_url.as_deref()),
            None => {
                self.error(Diagnostic::new(root.pos, "the runbook has no `steps`"));
                Vec::new()
            }
        };
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "runbook".into());
        Some(Runbook {
            name,
            path: path.to_path_buf(),
            id,
            base_url,
            timeout,
            items,
            secret_values: self.secrets.values().cloned().collect(),
        })
    }

    fn check_keys(&mut self, entries: &[(Key, Node)], allowed: &[&str], what: &str) {
        let mut seen: Vec<&str> = Vec::new();
        for (key, _) in entries {
            if !allowed.contains(&key.name.as_str()) {
                let mut d =
                    Diagnostic::new(key.pos, format!("unknown key `{}` in {what}", key.name))
                        .width(key.name.chars().count());
                d = match did_you_mean(&key.name, allowed.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!("allowed here: {}", allowed.join(", "))),
                };
                self.error(d);
            } else if seen.contains(&key.name.as_str()) {
                self.error(
                    Diagnostic::new(key.pos, format!("`{}` is given twice", key.name))
                        .width(key.name.chars().count()),
                );
            }
            seen.push(&key.name);
        }
    }

    fn vars(&mut self, node: &Node) {
        let Value::Map(entries) = &node.value else {
            self.error(Diagnostic::new(
                node.pos,
                format!(
                    "`vars` is a mapping of names to values, found {}",
                    node.value.kind()
                ),
            ));
            return;
        };
        for (key, value) in entries {
            match value.value.as_text() {
                Some(text) => {
                    self.vars.insert(key.name.clone(), text);
                }
                None => self.error(Diagnostic::new(
                    value.pos,
                    format!(
                        "variable `{}` must be text, found {}",
                        key.name,
                        value.value.kind()
                    ),
                )),
            }
        }
    }

    fn secrets(&mut self, node: &Node) {
        let Value::Seq(names) = &node.value else {
            self.error(Diagnostic::new(
                node.pos,
                format!(
                    "`secrets` is a list of environment variable names, found {}",
                    node.value.kind()
                ),
            ));
            return;
        };
        for name_node in names {
            let Some(name) = name_node.value.as_text() else {
                self.error(Diagnostic::new(
                    name_node.pos,
                    "a secret is the name of an environment variable",
                ));
                continue;
            };
            match (self.sources.env)(&name) {
                Some(value) => {
                    self.secrets.insert(name, value);
                }
                None if !self.sources.require_secrets => {
                    self.secrets.insert(name, "•••".into());
                }
                None => {
                    self.missing_secrets.push(name.clone());
                    self.error(
                    Diagnostic::new(
                        name_node.pos,
                        format!("secret `{name}` is not set in the environment"),
                    )
                    .width(name.chars().count())
                    .help(format!(
                        "export {name}=... before running; secrets are never read from the runbook"
                    )),
                    );
                }
            }
        }
    }

    /// Replaces `${name}` in a string value; `$${` writes a literal `${`.
    fn substitute(&mut self, text: &str, pos: Pos) -> Option<String> {
        let mut out = String::new();
        let mut rest = text;
        let mut ok = true;
        while let Some(start) = rest.find('$') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            if let Some(escaped) = after.strip_prefix("${") {
                out.push_str("${");
                rest = escaped;
                continue;
            }
            let Some(body) = after.strip_prefix('{') else {
                out.push('$');
                rest = after;
                continue;
            };
            let Some(end) = body.find('}') else {
                self.error(
                    Diagnostic::new(pos, format!("unclosed `${{` in \"{text}\""))
                        .help("write `${name}`"),
                );
                return None;
            };
            let name = body[..end].trim();
            match self.lookup(name) {
                Some(value) => out.push_str(&value),
                // Reported where the secret is declared.
                None if self.missing_secrets.iter().any(|s| s == name) => ok = false,
                None => {
                    ok = false;
                    let known: Vec<&str> = self
                        .vars
                        .keys()
                        .chain(self.secrets.keys())
                        .map(String::as_str)
                        .collect();
                    let mut d = Diagnostic::new(pos, format!("unknown variable `{name}`"));
                    d = match did_you_mean(name, known) {
                        Some(s) => d.help(format!("did you mean `{s}`?")),
                        None => d.help(format!(
                            "define it under `vars:`, pass `--var {name}=...`, or set it in the environment"
                        )),
                    };
                    self.error(d);
                }
            }
            rest = &body[end + 1..];
        }
        out.push_str(rest);
        ok.then_some(out)
    }

    fn lookup(&self, name: &str) -> Option<String> {
        if let Some(v) = self.secrets.get(name) {
            return Some(v.clone());
        }
        if let Some(v) = self.sources.overrides.get(name) {
            return Some(v.clone());
        }
        if let Some(v) = (self.sources.env)(name) {
            return Some(v);
        }
        self.vars.get(name).cloned()
    }

    /// A text value with variables substituted.
    fn text(&mut self, node: &Node, what: &str) -> Option<String> {
        match node.value.as_text() {
            Some(text) => self.substitute(&text, node.pos),
            None => {
                self.error(Diagnostic::new(
                    node.pos,
                    format!("`{what}` must be text, found {}", node.value.kind()),
                ));
                None
            }
        }
    }

    fn duration(&mut self, node: &Node) -> Option<Duration> {
        let text = self.text(node, "timeout")?;
        match duration::parse(&text) {
            Ok(d) => Some(d),
            Err(message) => {
                self.error(Diagnostic::new(node.pos, message).width(text.chars().count()));
                None
            }
        }
    }

    fn base_url(&mut self, node: &Node) -> Option<String> {
        let url = self.text(node, "url")?;
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            self.error(
                Diagnostic::new(
                    node.pos,
                    format!("`url` must start with http:// or https://, found \"{url}\""),
                )
                .width(url.chars().count()),
            );
            return None;
        }
        Some(url.trim_end_matches('/').to_string())
    }

    fn items(&mut self, node: &Node, base: Option<&str>) -> Vec<Item> {
        let Value::Seq(entries) = &node.value else {
            self.error(Diagnostic::new(
                node.pos,
                format!(
                    "`steps` is a list (each entry starts with `- `), found {}",
                    node.value.kind()
                ),
            ));
            return Vec::new();
        };
        if entries.is_empty() {
            self.error(Diagnostic::new(node.pos, "`steps` is empty"));
        }
        entries
            .iter()
            .filter_map(|entry| self.item(entry, base))
            .collect()
    }

    fn item(&mut self, node: &Node, base: Option<&str>) -> Option<Item> {
        let Value::Map(entries) = &node.value else {
            let mut d = Diagnostic::new(
                node.pos,
                format!(
                    "a step is a mapping such as `- click: Next`, found {}",
                    node.value.kind()
                ),
            );
            if let Value::Str(s) = &node.value
                && let Some(keyword) = did_you_mean(
                    s.split([' ', ':']).next().unwrap_or(""),
                    STEP_KEYWORDS.iter().copied(),
                )
            {
                d = d.help(format!("write `{keyword}: ...` with a colon"));
            }
            self.error(d);
            return None;
        };
        if let Some((key, title)) = entries.iter().find(|(k, _)| k.name == "section") {
            self.check_keys(entries, &["section", "steps"], "a section");
            let title = self.text(title, "section")?;
            let Some((_, steps)) = entries.iter().find(|(k, _)| k.name == "steps") else {
                self.error(
                    Diagnostic::new(key.pos, format!("section \"{title}\" has no `steps`"))
                        .width(7),
                );
                return None;
            };
            let items = self.items(steps, base);
            return Some(Item::Section(Section {
                title,
                pos: key.pos,
                items,
            }));
        }

        let mut keyword: Option<(&Key, &Node)> = None;
        let mut timeout = None;
        for (key, value) in entries {
            if STEP_KEYWORDS.contains(&key.name.as_str()) {
                if let Some((first, _)) = keyword {
                    self.error(
                        Diagnostic::new(
                            key.pos,
                            format!(
                                "one step per list entry: `{}` and `{}` are both here",
                                first.name, key.name
                            ),
                        )
                        .width(key.name.chars().count())
                        .help(format!("start `{}` on a new line with `- `", key.name)),
                    );
                } else {
                    keyword = Some((key, value));
                }
            } else if STEP_MODIFIERS.contains(&key.name.as_str()) {
                timeout = self.duration(value);
            } else {
                let all: Vec<&str> = STEP_KEYWORDS
                    .iter()
                    .chain(STEP_MODIFIERS)
                    .chain(["section"].iter())
                    .copied()
                    .collect();
                let mut d = Diagnostic::new(key.pos, format!("unknown step `{}`", key.name))
                    .width(key.name.chars().count());
                d = match did_you_mean(&key.name, all.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!("steps are: {}", STEP_KEYWORDS.join(", "))),
                };
                self.error(d);
            }
        }
        let Some((key, value)) = keyword else {
            // Only modifiers, or nothing: an entry that would silently do nothing.
            if entries
                .iter()
                .all(|(k, _)| STEP_MODIFIERS.contains(&k.name.as_str()))
            {
                self.error(
                    Diagnostic::new(node.pos, "this entry has no step").help(format!(
                        "start it with a step: {}",
                        STEP_KEYWORDS.join(", ")
                    )),
                );
            }
            return None;
        };
        let action = self.action(key, value, base)?;
        Some(Item::Step(Step {
            action,
            pos: key.pos,
            timeout,
        }))
    }
}

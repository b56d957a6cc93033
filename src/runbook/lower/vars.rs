//! Variables and secrets: reading `vars:` and `secrets:`, and substituting
//! `${name}`, `${env.NAME}` and `$${` in every text, with the caret placed
//! under the `${` of a variable that is not defined.

use super::Lowerer;
use crate::runbook::diagnostic::Diagnostic;
use crate::runbook::limits::{MAX_EXPANDED_BYTES, MAX_TEXT_BYTES};
use crate::runbook::model::*;
use crate::runbook::yaml::{Node, Pos, Value};
use crate::suggest::did_you_mean;

impl Lowerer<'_> {
    pub(super) fn vars(&mut self, node: &Node) {
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
                // A value may use variables defined before it, and `$${` for a literal `${`.
                Some(text) => {
                    if let Some(text) = self.substitute(&text, value.pos) {
                        self.file.vars.insert(key.name.clone(), text);
                    }
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

    pub(super) fn secrets(&mut self, node: &Node) {
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

    /// Replaces `${name}` and `${env.NAME}` in a string value; `$${` writes
    /// a literal `${`. A variable that a `store` step sets is left as a
    /// marker the engine fills in at run time.
    pub(super) fn substitute(&mut self, text: &str, pos: Pos) -> Option<String> {
        if self.over_budget {
            // Reported once where it happened; what follows would only
            // repeat it as undefined variables.
            return None;
        }
        let mut out = String::new();
        let mut rest = text;
        let mut ok = true;
        while let Some(start) = rest.find('$') {
            out.push_str(&rest[..start]);
            let offset = text.len() - rest.len() + start;
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
            let at = self.locate(pos, text, offset);
            let Some(end) = body.find('}') else {
                self.error(
                    Diagnostic::new(at, format!("unclosed `${{` in \"{text}\""))
                        .width(2)
                        .help("write `${name}`"),
                );
                return None;
            };
            let name = body[..end].trim();
            let width = end + 3;
            if name.is_empty() || name == "env." {
                ok = false;
                self.error(
                    Diagnostic::new(at, "empty variable name")
                        .width(width)
                        .help("write `${name}` or `${env.NAME}`; `$${` writes a literal `${`"),
                );
                rest = &body[end + 1..];
                continue;
            }
            if let Some(env_name) = name.strip_prefix("env.") {
                match (self.sources.env)(env_name) {
                    Some(value) => {
                        if !self.expand(&mut out, &value, at, name) {
                            return None;
                        }
                    }
                    None => {
                        ok = false;
                        self.error(
                            Diagnostic::new(
                                at,
                                format!("environment variable `{env_name}` is not set"),
                            )
                            .width(width)
                            .help(format!("export {env_name}=... before running")),
                        );
                    }
                }
            } else if let Some(value) = self.lookup(name) {
                if !self.expand(&mut out, &value, at, name) {
                    return None;
                }
            } else if self.stored.contains(name) {
                out.push(RUNTIME_OPEN);
                out.push_str(name);
                out.push(RUNTIME_CLOSE);
            } else if self.missing_secrets.iter().any(|s| s == name) {
                // Reported where the secret is declared.
                ok = false;
            } else {
                ok = false;
                let known: Vec<String> = self
                    .file
                    .vars
                    .keys()
                    .chain(self.secrets.keys())
                    .chain(self.stored.iter())
                    .cloned()
                    .collect();
                let mut d =
                    Diagnostic::new(at, format!("undefined variable `{name}`")).width(width);
                d = match did_you_mean(name, known.iter().map(String::as_str)) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!(
                        "define it under `vars:`, pass `--var {name}=...`, or set it in the environment"
                    )),
                };
                self.error(d);
            }
            rest = &body[end + 1..];
        }
        out.push_str(rest);
        ok.then_some(out)
    }

    /// Appends a variable's value to a text being substituted, unless that
    /// would take the text past [`MAX_TEXT_BYTES`] or the load past
    /// [`MAX_EXPANDED_BYTES`]: checked before copying, so a variable that
    /// doubles itself again and again fails at once instead of filling memory.
    fn expand(&mut self, out: &mut String, value: &str, at: Pos, name: &str) -> bool {
        if self.over_budget {
            return false;
        }
        let text = out.len() + value.len();
        let total = self.expanded_bytes + value.len();
        if text > MAX_TEXT_BYTES || total > MAX_EXPANDED_BYTES {
            self.over_budget = true;
            let message = if text > MAX_TEXT_BYTES {
                format!(
                    "with `${{{name}}}`, this text grows past {} MiB, the limit of one value after substitution",
                    MAX_TEXT_BYTES >> 20
                )
            } else {
                format!(
                    "with `${{{name}}}`, substitution has produced more than {} MiB of text in this runbook",
                    MAX_EXPANDED_BYTES >> 20
                )
            };
            self.error(
                Diagnostic::new(at, message)
                    .width(name.len() + 3)
                    .help("a variable that uses another twice doubles it; check variables built from other variables"),
            );
            return false;
        }
        self.expanded_bytes = total;
        out.push_str(value);
        true
    }

    /// The position of byte `offset` of a scalar that starts at `pos`, when
    /// the scalar sits on one line as written (plain or quoted); otherwise
    /// the scalar's start.
    pub(super) fn locate(&self, pos: Pos, text: &str, offset: usize) -> Pos {
        let Some(line) = self
            .file
            .text
            .lines()
            .nth((pos.line as usize).saturating_sub(1))
        else {
            return pos;
        };
        let start: String = line
            .chars()
            .skip((pos.column as usize).saturating_sub(1))
            .collect();
        let (start, quote) = match start.chars().next() {
            Some('"' | '\'') => (&start[1..], 1),
            _ => (start.as_str(), 0),
        };
        let prefix = &text[..offset];
        if prefix.contains('\n') || !start.starts_with(prefix) {
            return pos;
        }
        Pos {
            line: pos.line,
            column: pos.column + quote + prefix.chars().count() as u32,
        }
    }

    pub(super) fn lookup(&self, name: &str) -> Option<String> {
        if let Some(v) = self.secrets.get(name) {
            return Some(v.clone());
        }
        if let Some(v) = self.file.passed.get(name) {
            return Some(v.clone());
        }
        if let Some(v) = self.sources.overrides.get(name) {
            return Some(v.clone());
        }
        if let Some(v) = (self.sources.env)(name) {
            return Some(v);
        }
        self.file.vars.get(name).cloned()
    }
}

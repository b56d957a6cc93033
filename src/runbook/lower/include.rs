//! `- run: other.yaml`: another runbook's steps, lowered in its own file
//! context (its variables, its diagnostics shown against its own text),
//! with cycles and runaway nesting reported at the `run:` line.

use super::{FileContext, Lowerer};
use crate::runbook::diagnostic::{Diagnostic, SourceFile};
use crate::runbook::limits::{self, MAX_INCLUDE_DEPTH, MAX_INCLUDES};
use crate::runbook::model::*;
use crate::runbook::yaml::{Key, Node, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

impl Lowerer<'_> {
    /// `- run: other.yaml`: the other runbook's steps, lowered in its own
    /// file context, become a section titled with its name.
    pub(super) fn include(
        &mut self,
        key: &Key,
        file_node: &Node,
        passed: Option<&Node>,
        flow: Flow,
        guide: GuideText,
    ) -> Option<Item> {
        let written = self.static_text(file_node, "run")?;
        let dir = self.file.path.parent().unwrap_or(Path::new("."));
        let path = dir.join(&written);
        let width = written.chars().count();
        let canonical_path = canonical(&path);
        if let Some(i) = self.include_stack.iter().position(|p| *p == canonical_path) {
            let chain: Vec<String> = self.include_stack[i..]
                .iter()
                .chain([&canonical_path])
                .map(|p| {
                    p.file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect();
            self.error(
                Diagnostic::new(
                    file_node.pos,
                    if i + 1 == self.include_stack.len() {
                        format!("`{written}` includes itself")
                    } else {
                        format!("including `{written}` here forms a cycle")
                    },
                )
                .width(width)
                .help(format!("the includes form a cycle: {}", chain.join(" → "))),
            );
            return None;
        }
        if self.include_stack.len() > MAX_INCLUDE_DEPTH {
            self.error(Diagnostic::new(
                file_node.pos,
                format!("includes nest deeper than {MAX_INCLUDE_DEPTH} runbooks"),
            ));
            return None;
        }
        if self.over_budget {
            // A cap is already exceeded and reported: read nothing more.
            return None;
        }
        self.includes += 1;
        if self.includes > MAX_INCLUDES {
            self.over_budget = true;
            self.error(
                Diagnostic::new(
                    file_node.pos,
                    format!("this is include number {}: a runbook may include at most {MAX_INCLUDES} runbooks in all, counting each time one is included", self.includes),
                )
                .width(width)
                .help("include a shared runbook once, in a section, rather than from every step of a list"),
            );
            return None;
        }
        let text = match limits::read(&path, false) {
            Ok(text) => text,
            Err(e) => {
                self.error(
                    Diagnostic::new(
                        file_node.pos,
                        format!("cannot read `{}`: {e}", path.display()),
                    )
                    .width(width)
                    .help(match e {
                        limits::ReadError::Io(_) => {
                            "the path is relative to the runbook that includes it"
                        }
                        _ => "`run:` includes another runbook file",
                    }),
                );
                return None;
            }
        };
        self.read_bytes += text.len();
        if self.read_bytes > limits::MAX_TOTAL_BYTES {
            self.over_budget = true;
            self.error(
                Diagnostic::new(
                    file_node.pos,
                    format!(
                        "with `{written}`, the runbook and its includes hold more than {} MiB of text",
                        limits::MAX_TOTAL_BYTES >> 20
                    ),
                )
                .width(width),
            );
            return None;
        }
        // Variables passed by the include are read in the including file.
        let mut passed_vars = BTreeMap::new();
        if let Some(node) = passed {
            match &node.value {
                Value::Map(entries) => {
                    for (k, v) in entries {
                        if let Some(value) = self.text(v, &k.name) {
                            passed_vars.insert(k.name.clone(), value);
                        }
                    }
                }
                other => self.error(Diagnostic::new(
                    node.pos,
                    format!(
                        "`vars` is a mapping of names to values, found {}",
                        other.kind()
                    ),
                )),
            }
        }
        if !crate::runbook::diagnostic::looks_like_runbook(&text) {
            // Named at the `run:` line; its own text is never shown.
            self.error(
                Diagnostic::new(
                    file_node.pos,
                    format!(
                        "`{written}` is not a runbook: it does not start with a `key: value` line"
                    ),
                )
                .width(width)
                .help("`run:` includes another runbook file"),
            );
            return None;
        }
        let root = match Node::parse(&text) {
            Ok(root) => root,
            Err(e) => {
                let mut d = crate::runbook::syntax_diagnostic(&e);
                d.file = Some(Arc::new(SourceFile {
                    path: path.display().to_string(),
                    text: text.clone(),
                }));
                self.diagnostics.push(d);
                return None;
            }
        };
        let compare = self.file.compare;
        let masks = self.file.masks.clone();
        let outer = std::mem::replace(
            &mut self.file,
            FileContext {
                path: Arc::from(path.as_path()),
                text: Arc::from(text.as_str()),
                shown: Some(Arc::new(SourceFile {
                    path: path.display().to_string(),
                    text: text.clone(),
                })),
                vars: BTreeMap::new(),
                passed: passed_vars,
                compare,
                masks,
            },
        );
        if !self.included.contains(&canonical_path) {
            self.included.push(canonical_path.clone());
        }
        self.include_stack.push(canonical_path);
        let lowered = self.included(&root);
        self.include_stack.pop();
        self.file = outer;
        let (title, items) = lowered?;
        Some(Item::Section(Section {
            title,
            file: self.file.path.clone(),
            pos: key.pos,
            items,
            flow,
            guide,
        }))
    }

    /// An included runbook's title and steps; its `url` and `timeout` give
    /// way to the including runbook's.
    pub(super) fn included(&mut self, root: &Node) -> Option<(String, Vec<Item>)> {
        let entries = self.frame(root)?;
        let find = |name: &str| entries.iter().find(|(k, _)| k.name == name);
        let title = match find("name") {
            Some((_, node)) => self.text(node, "name")?,
            None => return None,
        };
        let items = self.items(&find("steps")?.1);
        Some((title, items))
    }
}

pub(super) fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

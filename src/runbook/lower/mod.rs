//! Lowering: the YAML tree becomes a typed [`Runbook`]. This file handles
//! the runbook's frame (name, url, vars, secrets, sections, includes,
//! modifiers); `vars.rs` reads variables and secrets and substitutes them,
//! `values.rs` reads scalars, `include.rs` lowers `run:`, `steps.rs` each
//! step keyword, `figures.rs` a figure's `compare:` and `mask:`, and
//! `target.rs` targets, matchers and conditions. Every problem becomes a
//! [`Diagnostic`] at its exact place, and lowering carries on after an
//! error so all of them are reported together. Which keys are allowed
//! where comes from [`spec`](super::spec), the same table the JSON Schema
//! is generated from.

use super::diagnostic::{Diagnostic, SourceFile};
use super::model::*;
use super::spec::{self, Field};
use super::yaml::{Key, Node, Pos, Value};
use crate::suggest::did_you_mean;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

mod figures;
mod include;
mod steps;
mod target;
mod values;
mod vars;

/// The default time a step waits for its condition.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where variable values come from, besides the runbook's own `vars`.
pub struct Sources<'a> {
    /// `--var name=value`, highest precedence.
    pub overrides: &'a BTreeMap<String, String>,
    /// The environment (secrets come only from here).
    pub env: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// Replaces the runbook's `url:` (the `--url` flag).
    pub base_url: Option<&'a str>,
    /// When false (`docent validate`), a secret missing from the
    /// environment is not an error; a placeholder stands in for it.
    pub require_secrets: bool,
}

/// The file being lowered: its path (as steps record it), its text (to
/// place carets precisely) and, for an include, how it is shown in messages.
struct FileContext {
    path: Arc<Path>,
    text: Arc<str>,
    /// `None` for the runbook being loaded; diagnostics of includes carry this.
    shown: Option<Arc<SourceFile>>,
    /// Variables of this file: its `vars`, then what the include passed.
    vars: BTreeMap<String, String>,
    /// Variables the include passed; they win over everything else.
    passed: BTreeMap<String, String>,
    /// The file's `compare:` over the including file's: what its
    /// screenshots that say nothing of their own are compared by.
    compare: Option<Compare>,
    /// The file's top-level `mask:` after the including file's: every
    /// screenshot of the file gets them.
    masks: Vec<Mask>,
}

pub(super) struct Lowerer<'a> {
    sources: Sources<'a>,
    file: FileContext,
    secrets: BTreeMap<String, String>,
    /// Declared secrets that are not set; already reported once.
    missing_secrets: Vec<String>,
    /// Variables that `store` steps set at run time, in document order.
    stored: BTreeSet<String>,
    /// Screenshot names already used, and where.
    screenshots: BTreeMap<String, Pos>,
    /// Files being included right now, to catch cycles.
    include_stack: Vec<PathBuf>,
    base_url: Option<String>,
    /// The runbook's `url:` is there but invalid (reported once).
    bad_base_url: bool,
    /// `toasts:` of the runbook and its includes.
    toasts: ToastRules,
    /// What the load has used of its budgets (see `limits`).
    steps: usize,
    includes: usize,
    read_bytes: usize,
    expanded_bytes: usize,
    /// A budget is exceeded (and reported once): lowering stops adding to it.
    over_budget: bool,
    /// Files included so far (canonical paths), for [`Runbook::includes`].
    included: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Lowerer<'a> {
    pub fn new(sources: Sources<'a>, path: &Path, text: &str) -> Self {
        Lowerer {
            sources,
            file: FileContext {
                path: Arc::from(path),
                text: Arc::from(text),
                shown: None,
                vars: BTreeMap::new(),
                passed: BTreeMap::new(),
                compare: None,
                masks: Vec::new(),
            },
            secrets: BTreeMap::new(),
            missing_secrets: Vec::new(),
            stored: BTreeSet::new(),
            screenshots: BTreeMap::new(),
            include_stack: vec![include::canonical(path)],
            base_url: None,
            bad_base_url: false,
            toasts: ToastRules::default(),
            steps: 0,
            includes: 0,
            read_bytes: text.len(),
            expanded_bytes: 0,
            over_budget: false,
            included: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    fn error(&mut self, mut diagnostic: Diagnostic) {
        // A value's position is its first character, which for a quoted
        // scalar is the quote: underline the text inside instead.
        if diagnostic.width > 1 {
            let line = super::diagnostic::source_line(&self.file.text, diagnostic.pos.line);
            let at = line
                .chars()
                .nth((diagnostic.pos.column as usize).saturating_sub(1));
            if matches!(at, Some('"' | '\'')) {
                diagnostic.pos.column += 1;
            }
        }
        diagnostic.file = self.file.shown.clone();
        self.diagnostics.push(diagnostic);
    }

    fn warn(&mut self, diagnostic: Diagnostic) {
        self.error(diagnostic);
    }

    pub fn runbook(&mut self, root: &Node, path: &Path) -> Option<Runbook> {
        let entries = self.frame(root)?;
        let find = |name: &str| entries.iter().find(|(k, _)| k.name == name);

        let name = match find("name") {
            Some((_, node)) => self.text(node, "name").unwrap_or_default(),
            None => String::new(),
        };
        let description = find("description").and_then(|(_, node)| self.text(node, "description"));
        let base_url = match (self.sources.base_url, find("url")) {
            (Some(url), _) => Some(url.trim_end_matches('/').to_string()),
            (None, Some((_, node))) => self.base_url(node),
            (None, None) => None,
        };
        self.base_url = base_url.clone();
        let timeout = find("timeout")
            .and_then(|(_, node)| self.duration(node, "timeout"))
            .unwrap_or(DEFAULT_TIMEOUT);
        let items = match find("steps") {
            Some((_, node)) => self.items(node),
            None => Vec::new(),
        };
        let tags = match find("tags") {
            Some((_, node)) => self.tags(node),
            None => Vec::new(),
        };
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "runbook".into());
        Some(Runbook {
            name,
            description,
            path: path.to_path_buf(),
            id,
            base_url,
            timeout,
            items,
            secret_values: self.secrets.values().cloned().collect(),
            warnings: Vec::new(),
            toasts: std::mem::take(&mut self.toasts),
            tags,
            includes: std::mem::take(&mut self.included),
        })
    }

    /// Checks the top-level mapping and reads `vars` and `secrets`, which
    /// every other value may use. Shared by the main runbook and includes.
    fn frame<'n>(&mut self, root: &'n Node) -> Option<&'n [(Key, Node)]> {
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
        self.check_fields(entries, spec::TOP_FIELDS, "runbook", root.pos);
        for (key, node) in entries {
            match key.name.as_str() {
                "vars" => self.vars(node),
                "secrets" => self.secrets(node),
                "toasts" => self.toasts(node),
                "compare" => {
                    let own = self.compare(node, "compare");
                    self.file.compare = Compare::over(own, self.file.compare);
                }
                _ => {}
            }
        }
        // After `vars`, wherever they stand, since a mask may use them.
        if let Some((key, node)) = entries.iter().find(|(k, _)| k.name == "mask")
            && let Some(masks) = self.masks(node, true)
        {
            if masks.iter().any(|m| m.target.is_structural()) {
                self.warn(
                    Diagnostic::warning(key.pos, "`mask` finds its target by CSS or XPath only")
                        .width(4)
                        .help("markup changes break such targets; prefer visible text, `label`, `role` or `testid`"),
                );
            }
            self.file.masks.extend(masks);
        }
        Some(entries)
    }

    /// `toasts:` — selectors the page's recorder adds to its built-in list.
    /// Whether the browser accepts them is checked on the page (the first
    /// step fails naming a selector it rejects).
    fn toasts(&mut self, node: &Node) {
        let Value::Map(entries) = &node.value else {
            self.error(
                Diagnostic::new(
                    node.pos,
                    format!(
                        "`toasts` is a mapping with `selectors`, `errors` and/or `ignore`, found {}",
                        node.value.kind()
                    ),
                )
                .help("write it like `toasts: { selectors: [.acme-flash], errors: [.acme-flash--bad] }`"),
            );
            return;
        };
        self.check_keys(entries, &spec::names(spec::TOAST_FIELDS), "`toasts`");
        for (key, value) in entries {
            let what = format!("toasts.{}", key.name);
            let list = match &value.value {
                Value::Seq(items) if !items.is_empty() => items.iter().collect::<Vec<_>>(),
                Value::Seq(_) => {
                    self.error(Diagnostic::new(
                        value.pos,
                        format!(
                            "`{what}` is empty; give at least one CSS selector or leave it out"
                        ),
                    ));
                    continue;
                }
                _ => vec![value],
            };
            for item in list {
                let Some(selector) = self.static_text(item, &what) else {
                    continue;
                };
                if selector.trim().is_empty() {
                    self.error(Diagnostic::new(
                        item.pos,
                        format!("`{what}` has an empty selector"),
                    ));
                    continue;
                }
                let rules = match key.name.as_str() {
                    "selectors" => &mut self.toasts.selectors,
                    "errors" => &mut self.toasts.errors,
                    "ignore" => &mut self.toasts.ignore,
                    _ => continue,
                };
                if !rules.contains(&selector) {
                    rules.push(selector);
                }
            }
        }
    }

    /// Reports unknown and repeated keys (with the closest allowed key) and
    /// missing required ones.
    fn check_fields(&mut self, entries: &[(Key, Node)], fields: &[Field], what: &str, at: Pos) {
        self.check_keys(entries, &spec::names(fields), what);
        for field in fields.iter().filter(|f| f.required) {
            if !entries.iter().any(|(k, _)| k.name == field.name) {
                let whose = if what == "runbook" {
                    "the runbook".to_string()
                } else {
                    what.to_string()
                };
                self.error(
                    Diagnostic::new(at, format!("{whose} has no `{}`", field.name)).help(
                        match field.name {
                            "name" => {
                                "add a title line such as `name: Create a CTS tracker`".into()
                            }
                            other => format!("add `{other}:` ({})", field.doc),
                        },
                    ),
                );
            }
        }
    }

    fn check_keys(&mut self, entries: &[(Key, Node)], allowed: &[&str], what: &str) {
        let mut seen: Vec<&str> = Vec::new();
        for (key, _) in entries {
            if !allowed.contains(&key.name.as_str()) {
                let mut d =
                    Diagnostic::new(key.pos, format!("unknown key `{}` in {what}", key.name))
                        .width(key.name.chars().count());
                let modifier = spec::STEP_MODIFIERS.iter().any(|m| m.name == key.name);
                d = match did_you_mean(&key.name, allowed.iter().copied()) {
                    _ if modifier && what.starts_with('`') => d.help(format!(
                        "`{}` belongs to the step entry, not to its value: put it on a line of its own, under the step keyword",
                        key.name
                    )),
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

    fn items(&mut self, node: &Node) -> Vec<Item> {
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
            .filter_map(|entry| self.item(entry))
            .collect()
    }

    /// `when`, `retry` and `optional` of a step, section or include.
    fn flow(&mut self, entries: &[(Key, Node)]) -> Flow {
        let mut flow = Flow::default();
        for (key, value) in entries {
            match key.name.as_str() {
                "when" => flow.when = self.condition(value, "when"),
                "retry" => {
                    flow.retry = self
                        .count(value, "retry", 0)
                        .map(|n| u32::try_from(n.min(100)).unwrap_or(100))
                        .unwrap_or(0)
                }
                "optional" => flow.optional = self.boolean(value, "optional").unwrap_or(false),
                _ => {}
            }
        }
        flow
    }

    fn item(&mut self, node: &Node) -> Option<Item> {
        if self.over_budget {
            return None;
        }
        let entries = match &node.value {
            Value::Map(entries) => entries,
            // A step without arguments may stand alone: `- back`.
            Value::Str(word) if spec::step_spec(word).is_some_and(|s| s.bare) => {
                let action = self.action(
                    &Key {
                        name: word.clone(),
                        pos: node.pos,
                    },
                    &Node {
                        value: Value::Null,
                        pos: node.pos,
                    },
                )?;
                return Some(self.step(action, node.pos, None, Flow::default()));
            }
            other => {
                let mut d = Diagnostic::new(
                    node.pos,
                    format!(
                        "a step is a mapping such as `- click: Next`, found {}",
                        other.kind()
                    ),
                );
                if let Value::Str(s) = other {
                    let word = s.split([' ', ':']).next().unwrap_or("");
                    if let Some(keyword) = did_you_mean(word, spec::keywords()) {
                        d = d.help(if spec::step_spec(keyword).is_some_and(|s| s.bare) {
                            format!("did you mean `{keyword}`?")
                        } else {
                            format!("write `{keyword}: ...` with a colon")
                        });
                    }
                }
                self.error(d);
                return None;
            }
        };
        if let Some((key, title)) = entries.iter().find(|(k, _)| k.name == "section") {
            self.check_fields(entries, spec::SECTION_FIELDS, "a section", key.pos);
            let title = self.text(title, "section")?;
            let flow = self.flow(entries);
            let guide = self.guide(entries);
            let (_, steps) = entries.iter().find(|(k, _)| k.name == "steps")?;
            let items = self.items(steps);
            return Some(Item::Section(Section {
                title,
                file: self.file.path.clone(),
                pos: key.pos,
                items,
                flow,
                guide,
            }));
        }
        if let Some((key, file)) = entries.iter().find(|(k, _)| k.name == "run") {
            self.check_fields(entries, spec::RUN_FIELDS, "`run`", key.pos);
            let flow = self.flow(entries);
            let guide = self.guide(entries);
            let passed = entries
                .iter()
                .find(|(k, _)| k.name == "vars")
                .map(|(_, v)| v);
            return self.include(key, file, passed, flow, guide);
        }

        let modifiers = spec::names(spec::STEP_MODIFIERS);
        let mut keyword: Option<(&Key, &Node)> = None;
        for (key, value) in entries {
            if spec::step_spec(&key.name).is_some() {
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
            } else if !modifiers.contains(&key.name.as_str())
                && entries
                    .iter()
                    .any(|(k, _)| spec::step_spec(&k.name).is_some())
                && did_you_mean(&key.name, spec::keywords()).is_none()
            {
                // Beside a step, an unknown key is most likely a modifier,
                // or one of the step's own keys written outside its mapping.
                let step = entries.iter().find_map(|(k, _)| spec::step_spec(&k.name));
                let own = step.is_some_and(|s| s.keys().contains(&key.name.as_str()));
                let mut d = Diagnostic::new(
                    key.pos,
                    format!("unknown key `{}` beside the step", key.name),
                )
                .width(key.name.chars().count());
                d = match did_you_mean(&key.name, modifiers.iter().copied()) {
                    _ if own => {
                        let keyword = step.map(|s| s.keyword).unwrap_or_default();
                        d.help(format!(
                            "`{}` belongs inside `{keyword}`'s mapping: `{keyword}: {{ ..., {}: ... }}`",
                            key.name, key.name
                        ))
                    }
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!("a step may carry {}", modifiers.join(", "))),
                };
                self.error(d);
            } else if !modifiers.contains(&key.name.as_str()) {
                let all: Vec<&str> = spec::keywords()
                    .chain(modifiers.iter().copied())
                    .chain(["section", "run"])
                    .collect();
                let mut d = Diagnostic::new(key.pos, format!("unknown step `{}`", key.name))
                    .width(key.name.chars().count());
                d = match did_you_mean(&key.name, all.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!(
                        "steps are: {}",
                        spec::keywords().collect::<Vec<_>>().join(", ")
                    )),
                };
                self.error(d);
            }
        }
        let timeout = entries
            .iter()
            .find(|(k, _)| k.name == "timeout")
            .and_then(|(_, v)| self.duration(v, "timeout"));
        let flow = self.flow(entries);
        let guide = self.guide(entries);
        let Some((key, value)) = keyword else {
            // Only modifiers, or nothing: an entry that would silently do nothing.
            if entries
                .iter()
                .all(|(k, _)| modifiers.contains(&k.name.as_str()))
            {
                self.error(
                    Diagnostic::new(node.pos, "this entry has no step").help(format!(
                        "start it with a step: {}",
                        spec::keywords().collect::<Vec<_>>().join(", ")
                    )),
                );
            }
            return None;
        };
        let action = self.action(key, value)?;
        let mut item = self.step(action, key.pos, timeout, flow);
        if let Item::Step(step) = &mut item {
            step.guide = guide;
        }
        Some(item)
    }

    fn step(&mut self, action: Action, pos: Pos, timeout: Option<Duration>, flow: Flow) -> Item {
        self.steps += 1;
        if self.steps > super::limits::MAX_STEPS && !self.over_budget {
            self.over_budget = true;
            self.error(
                Diagnostic::new(
                    pos,
                    format!(
                        "this is step number {}: a runbook may have at most {} steps, its includes' steps counted",
                        self.steps,
                        super::limits::MAX_STEPS
                    ),
                )
                .help("split the procedure into several runbooks"),
            );
        }
        Item::Step(Step {
            // Numbered once the whole runbook is read (`number_steps`).
            id: 0,
            action,
            file: self.file.path.clone(),
            pos,
            timeout,
            flow,
            guide: GuideText::Generated,
        })
    }

    /// `guide:` of a step, section or include: the guide's own words, or
    /// `false` to leave it out.
    fn guide(&mut self, entries: &[(Key, Node)]) -> GuideText {
        let Some((_, value)) = entries.iter().find(|(k, _)| k.name == "guide") else {
            return GuideText::Generated;
        };
        match &value.value {
            Value::Bool(false) => GuideText::Hidden,
            Value::Bool(true) => GuideText::Generated,
            Value::Str(_) | Value::Int(_) | Value::Float(_) => match self.text(value, "guide") {
                Some(text) if text.trim().is_empty() => {
                    self.error(Diagnostic::new(value.pos, "`guide` is empty").help(
                            "write the sentence the guide should show, or `guide: false` to leave the step out",
                        ));
                    GuideText::Generated
                }
                Some(text) => GuideText::Own(text.trim().to_string()),
                None => GuideText::Generated,
            },
            other => {
                self.error(
                    Diagnostic::new(
                        value.pos,
                        format!("`guide` is a sentence or `false`, found {}", other.kind()),
                    )
                    .help("write `guide: Click **Next**.` or `guide: false`"),
                );
                GuideText::Generated
            }
        }
    }
}

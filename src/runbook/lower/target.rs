//! Lowering of the values steps share: targets (a string, or a mapping of
//! target keys with `row`, `within` and `nth`), matchers (exact text,
//! `contains` or `regex`), conditions, key combinations and names.

use super::Lowerer;
use crate::runbook::diagnostic::Diagnostic;
use crate::runbook::model::*;
use crate::runbook::spec::{self, LOCATOR_KEYS};
use crate::runbook::yaml::{Key, Node, Value};

/// ARIA roles a target may name; anything else is surely a typo.
pub const ROLES: &[&str] = &[
    "alert",
    "alertdialog",
    "article",
    "banner",
    "button",
    "cell",
    "checkbox",
    "columnheader",
    "combobox",
    "complementary",
    "contentinfo",
    "dialog",
    "document",
    "form",
    "grid",
    "gridcell",
    "group",
    "heading",
    "img",
    "link",
    "list",
    "listbox",
    "listitem",
    "main",
    "menu",
    "menubar",
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "navigation",
    "option",
    "progressbar",
    "radio",
    "radiogroup",
    "region",
    "row",
    "rowgroup",
    "rowheader",
    "scrollbar",
    "search",
    "searchbox",
    "separator",
    "slider",
    "spinbutton",
    "status",
    "switch",
    "tab",
    "table",
    "tablist",
    "tabpanel",
    "textbox",
    "toolbar",
    "tooltip",
    "tree",
    "treeitem",
    "treegrid",
    "application",
    "blockquote",
    "caption",
    "code",
    "definition",
    "deletion",
    "directory",
    "emphasis",
    "feed",
    "figure",
    "generic",
    "insertion",
    "log",
    "mark",
    "marquee",
    "math",
    "meter",
    "none",
    "note",
    "paragraph",
    "presentation",
    "strong",
    "subscript",
    "superscript",
    "term",
    "time",
    "timer",
];

impl Lowerer<'_> {
    /// A target written as a plain string (visible text) or as a mapping.
    /// Keys in the mapping that are not target keys are left to the caller
    /// (which has checked them against the step's spec).
    pub(super) fn target(&mut self, node: &Node, step: &str) -> Option<Target> {
        match &node.value {
            Value::Map(entries) => self.target_map(node, entries, step),
            Value::Null => {
                self.error(
                    Diagnostic::new(node.pos, format!("`{step}` does not say what to look for"))
                        .help("give visible text, or a mapping such as `{ label: ... }`"),
                );
                None
            }
            _ => {
                let text = self.text(node, step)?;
                if text.trim().is_empty() {
                    self.error(
                        Diagnostic::new(node.pos, format!("`{step}` is given empty text"))
                            .help("say what to look for: visible text, or `{ label: ... }`"),
                    );
                    return None;
                }
                Some(Target::new(Locator::Text(Matcher::Exact(text))))
            }
        }
    }

    /// A target given as the value of a key (`element`, `highlight`,
    /// `within`, `visible`, `gone`): no step's spec has checked the keys of
    /// its mapping, so they are checked here.
    pub(super) fn nested_target(&mut self, node: &Node, what: &str) -> Option<Target> {
        if let Value::Map(entries) = &node.value {
            self.check_keys(
                entries,
                &spec::names(spec::TARGET_FIELDS),
                &format!("`{what}`"),
            );
        }
        self.target(node, what)
    }

    pub(super) fn target_map(
        &mut self,
        node: &Node,
        entries: &[(Key, Node)],
        step: &str,
    ) -> Option<Target> {
        let get = |name: &str| entries.iter().find(|(k, _)| k.name == name);
        let locators: Vec<&(Key, Node)> = entries
            .iter()
            .filter(|(k, _)| LOCATOR_KEYS.contains(&k.name.as_str()))
            .collect();
        let mut ok = true;
        let mut text_of = |this: &mut Self, key: &str| -> Option<String> {
            let (_, value) = get(key)?;
            let text = this.text(value, key);
            match text {
                Some(t) if t.trim().is_empty() => {
                    this.error(Diagnostic::new(value.pos, format!("`{key}` is empty")));
                    ok = false;
                    None
                }
                Some(t) => Some(t),
                None => {
                    ok = false;
                    None
                }
            }
        };
        // `role` with a name: `text`, `contains` or `regex` name it.
        let role = text_of(self, "role");
        let names: Vec<&&(Key, Node)> = locators
            .iter()
            .filter(|(k, _)| matches!(k.name.as_str(), "text" | "contains" | "regex"))
            .collect();
        let others: Vec<&&(Key, Node)> = locators
            .iter()
            .filter(|(k, _)| !matches!(k.name.as_str(), "text" | "contains" | "regex" | "role"))
            .collect();
        let conflict = |this: &mut Self, a: &Key, b: &Key| {
            this.error(
                Diagnostic::new(
                    b.pos,
                    format!(
                        "`{}` and `{}` both say what to look for; give one",
                        a.name, b.name
                    ),
                )
                .width(b.name.len())
                .help("narrow a target with `row`, `within` or `nth` instead"),
            );
        };
        if names.len() > 1 {
            conflict(self, &names[0].0, &names[1].0);
            return None;
        }
        if let Some((first, second)) = match (get("role"), names.first(), others.as_slice()) {
            (Some((role_key, _)), _, [other, ..]) => Some((role_key, &other.0)),
            (None, Some(name), [other, ..]) => Some((&name.0, &other.0)),
            (None, None, [a, b, ..]) => Some((&a.0, &b.0)),
            _ => None,
        } {
            conflict(self, first, second);
            return None;
        }
        let name = match names.first() {
            Some((key, value)) => Some(self.matcher_value(key.name.as_str(), value)?),
            None => None,
        };
        let locator = if let Some(role) = role {
            if !ROLES.contains(&role.as_str()) {
                let (_, value) = get("role")?;
                let mut d = Diagnostic::new(value.pos, format!("unknown ARIA role `{role}`"))
                    .width(role.chars().count());
                d = match crate::suggest::did_you_mean(&role, ROLES.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(
                        "roles are those of WAI-ARIA: button, link, checkbox, option, switch, ...",
                    ),
                };
                self.error(d);
                return None;
            }
            Locator::Role { role, name }
        } else if let Some(name) = name {
            Locator::Text(name)
        } else if let Some((key, _)) = others.first() {
            let value = text_of(self, &key.name)?;
            match key.name.as_str() {
                "label" => Locator::Label(value),
                "placeholder" => Locator::Placeholder(value),
                "css" => Locator::Css(value),
                "xpath" => Locator::XPath(value),
                "testid" => Locator::TestId(value),
                other => unreachable!("locator key {other} is listed but not lowered"),
            }
        } else {
            // A misspelt key (already reported) is the likelier cause.
            let allowed: Vec<&str> = match spec::step_spec(step) {
                Some(s) => s.keys(),
                None => spec::names(spec::TARGET_FIELDS),
            };
            let misspelt = entries
                .iter()
                .any(|(k, _)| !allowed.contains(&k.name.as_str()));
            if ok && !misspelt {
                self.error(
                    Diagnostic::new(node.pos, format!("`{step}` does not say what to look for"))
                        .help(format!("give one of {}", quoted(LOCATOR_KEYS))),
                );
            }
            return None;
        };
        let row = text_of(self, "row");
        let within = match get("within") {
            Some((_, value)) => Some(Box::new(self.nested_target(value, "within")?)),
            None => None,
        };
        let nth = match get("nth") {
            Some((_, value)) => Some(usize::try_from(self.count(value, "nth", 1)?).ok()?),
            None => None,
        };
        ok.then_some(Target {
            locator,
            row,
            within,
            nth,
        })
    }

    /// A matcher: a string (exact) or a mapping with one of `text`,
    /// `contains`, `regex`.
    pub(super) fn matcher(&mut self, node: &Node, what: &str) -> Option<Matcher> {
        match &node.value {
            Value::Map(entries) => {
                self.check_keys(
                    entries,
                    &spec::names(spec::MATCHER_FIELDS),
                    &format!("`{what}`"),
                );
                self.matcher_in(node, entries, what)
            }
            _ => {
                let text = node.value.as_text().unwrap_or_default();
                if matches!(node.value, Value::Str(_)) && text.trim().is_empty() {
                    self.error(Diagnostic::new(
                        node.pos,
                        format!("`{what}` is given empty text"),
                    ));
                    return None;
                }
                self.matcher_value("text", node)
            }
        }
    }

    /// The matcher given by one of `text`, `contains`, `regex` among
    /// `entries` (which may hold other keys too).
    pub(super) fn matcher_in(
        &mut self,
        node: &Node,
        entries: &[(Key, Node)],
        what: &str,
    ) -> Option<Matcher> {
        let given: Vec<&(Key, Node)> = entries
            .iter()
            .filter(|(k, _)| matches!(k.name.as_str(), "text" | "contains" | "regex"))
            .collect();
        match given.as_slice() {
            [(key, value)] => self.matcher_value(&key.name, value),
            [] => {
                self.error(
                    Diagnostic::new(
                        node.pos,
                        format!("`{what}` does not say what text to match"),
                    )
                    .help("give `text`, `contains` or `regex`"),
                );
                None
            }
            [(a, _), (b, _), ..] => {
                self.error(
                    Diagnostic::new(
                        b.pos,
                        format!(
                            "`{}` and `{}` both say what to match; give one",
                            a.name, b.name
                        ),
                    )
                    .width(b.name.len()),
                );
                None
            }
        }
    }

    fn matcher_value(&mut self, kind: &str, node: &Node) -> Option<Matcher> {
        if kind == "regex" {
            let source = self.static_text(node, "regex")?;
            return match regex::Regex::new(&source) {
                Ok(regex) => Some(Matcher::Regex(Pattern { source, regex })),
                Err(e) => {
                    let detail = e.to_string();
                    let reason = detail.lines().last().unwrap_or("invalid").trim();
                    let reason = reason.strip_prefix("error: ").unwrap_or(reason);
                    self.error(
                        Diagnostic::new(node.pos, format!("invalid regex `{source}`: {reason}"))
                            .width(source.chars().count())
                            .help("escape special characters such as `(`, `[` or `.` with `\\`"),
                    );
                    None
                }
            };
        }
        let text = self.text(node, kind)?;
        if text.trim().is_empty() {
            self.error(Diagnostic::new(node.pos, format!("`{kind}` is empty")));
            return None;
        }
        Some(match kind {
            "contains" => Matcher::Contains(text),
            _ => Matcher::Exact(text),
        })
    }

    /// A condition: a target (visible) or a mapping with one of `visible`,
    /// `gone`, `url`, `title`.
    pub(super) fn condition(&mut self, node: &Node, what: &str) -> Option<Condition> {
        if let Value::Map(entries) = &node.value
            && entries
                .iter()
                .any(|(k, _)| spec::CONDITION_FIELDS.iter().any(|f| f.name == k.name))
        {
            self.check_keys(
                entries,
                &spec::names(spec::CONDITION_FIELDS),
                &format!("`{what}`"),
            );
            let (key, value) = &entries[0];
            if entries.len() > 1 {
                self.error(
                    Diagnostic::new(entries[1].0.pos, format!("`{what}` takes one condition"))
                        .width(entries[1].0.name.len()),
                );
                return None;
            }
            return match key.name.as_str() {
                "visible" => Some(Condition::Visible(self.nested_target(value, "visible")?)),
                "gone" => Some(Condition::Gone(self.nested_target(value, "gone")?)),
                "url" => Some(Condition::Url(self.url_matcher(value)?)),
                "title" => Some(Condition::Title(self.matcher(value, "title")?)),
                _ => None,
            };
        }
        if let Value::Map(entries) = &node.value {
            let mut allowed: Vec<&str> = spec::names(spec::TARGET_FIELDS);
            allowed.extend(spec::names(spec::CONDITION_FIELDS));
            self.check_keys(entries, &allowed, &format!("`{what}`"));
        }
        Some(Condition::Visible(self.target(node, what)?))
    }

    /// A URL matcher: an exact URL or path (joined to the base URL), or
    /// `contains` / `regex`.
    pub(super) fn url_matcher(&mut self, node: &Node) -> Option<Matcher> {
        match self.matcher(node, "url")? {
            Matcher::Exact(url) if url::Url::parse(&url).is_err() => match &self.base_url {
                Some(base) => Some(Matcher::Exact(format!(
                    "{base}/{}",
                    url.trim_start_matches('/')
                ))),
                None => Some(Matcher::Contains(url)),
            },
            other => Some(other),
        }
    }

    /// Key combinations: `Enter`, `Control+A`, or a list of them.
    pub(super) fn keys(&mut self, node: &Node) -> Option<Vec<KeyCombo>> {
        let nodes: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        let mut out = Vec::new();
        for item in nodes {
            let written = self.static_text(item, "key")?;
            match parse_combo(&written) {
                Ok(combo) => out.push(combo),
                Err(message) => {
                    let mut d = Diagnostic::new(item.pos, message).width(written.chars().count());
                    if let Some(s) = crate::suggest::did_you_mean(
                        written.rsplit('+').next().unwrap_or(""),
                        NAMED_KEYS.iter().copied(),
                    ) {
                        d = d.help(format!("did you mean `{s}`?"));
                    } else {
                        d = d.help(
                            "write a key such as `Enter`, `Tab`, `Escape`, `a` or `Control+A`",
                        );
                    }
                    self.error(d);
                    return None;
                }
            }
        }
        if out.is_empty() {
            self.error(Diagnostic::new(node.pos, "`press` needs at least one key"));
            return None;
        }
        Some(out)
    }

    /// A name of letters, digits, `-` and `_` (screenshot and variable names).
    pub(super) fn name(&mut self, node: &Node, what: &str, help: &str) -> Option<String> {
        let name = self.static_text(node, what)?;
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            self.error(
                Diagnostic::new(
                    node.pos,
                    format!("{what} \"{name}\" must be letters, digits, `-` or `_`"),
                )
                .width(name.chars().count().max(1))
                .help(help),
            );
            return None;
        }
        Some(name)
    }
}

fn quoted(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Key names besides single characters, as the DOM `key` property spells them.
pub const NAMED_KEYS: &[&str] = &[
    "Enter",
    "Tab",
    "Escape",
    "Backspace",
    "Delete",
    "Space",
    "ArrowUp",
    "ArrowDown",
    "ArrowLeft",
    "ArrowRight",
    "Home",
    "End",
    "PageUp",
    "PageDown",
    "Insert",
    "F1",
    "F2",
    "F3",
    "F4",
    "F5",
    "F6",
    "F7",
    "F8",
    "F9",
    "F10",
    "F11",
    "F12",
];

/// Parses `Control+Shift+A`; modifiers are also accepted as Ctrl, Cmd, Option.
pub fn parse_combo(written: &str) -> Result<KeyCombo, String> {
    let parts: Vec<&str> = written.split('+').map(str::trim).collect();
    let (key, mods) = parts.split_last().ok_or("empty key")?;
    let mut modifiers = Vec::new();
    for m in mods {
        modifiers.push(match m.to_ascii_lowercase().as_str() {
            "control" | "ctrl" => Modifier::Control,
            "shift" => Modifier::Shift,
            "alt" | "option" => Modifier::Alt,
            "meta" | "cmd" | "command" => Modifier::Meta,
            _ => {
                return Err(format!(
                    "unknown modifier `{m}` in `{written}`; use Control, Shift, Alt or Meta"
                ));
            }
        });
    }
    let key = if key.chars().count() == 1 {
        key.to_string()
    } else if let Some(named) = NAMED_KEYS.iter().find(|k| k.eq_ignore_ascii_case(key)) {
        if *named == "Space" {
            " ".to_string()
        } else {
            named.to_string()
        }
    } else if key.eq_ignore_ascii_case("esc") {
        "Escape".into()
    } else if *key == written {
        return Err(format!("unknown key `{key}`"));
    } else {
        return Err(format!("unknown key `{key}` in `{written}`"));
    };
    Ok(KeyCombo {
        written: written.to_string(),
        modifiers,
        key,
    })
}

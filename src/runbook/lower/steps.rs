//! Lowering of each step keyword: the checks and conversions that turn one
//! `- keyword: value` entry into an [`Action`]. The keys each keyword
//! accepts come from [`spec::STEPS`].

use super::Lowerer;
use crate::runbook::address;
use crate::runbook::diagnostic::Diagnostic;
use crate::runbook::limits::MAX_SCREENSHOT_NAME_BYTES;
use crate::runbook::model::*;
use crate::runbook::spec::{self, Shape, StepSpec, TargetUse};
use crate::runbook::yaml::{Key, Node, Value};
use std::time::Duration;

/// How long `expect_absent` watches when it is not told.
const DEFAULT_ABSENT: Duration = Duration::from_secs(1);

/// The value of a step: its mapping's entries, or the short form.
enum Form<'n> {
    Map(&'n [(Key, Node)]),
    Short(&'n Node),
}

impl Lowerer<'_> {
    pub(super) fn action(&mut self, key: &Key, value: &Node) -> Option<Action> {
        let kind = StepKind::from_keyword(&key.name)?;
        let spec = kind.spec();
        let form = self.form(&spec, value)?;
        let get = |name: &str| match form {
            Form::Map(entries) => entries.iter().find(|(k, _)| k.name == name).map(|(_, v)| v),
            Form::Short(_) => None,
        };
        // The step's target, when the spec says it has one.
        let target = |this: &mut Self| -> Option<Target> {
            match form {
                Form::Map(entries) => this.target_map(value, entries, spec.keyword),
                Form::Short(node) => this.target(node, spec.keyword),
            }
        };
        Some(match kind {
            StepKind::Goto => {
                let node = match form {
                    Form::Short(node) => node,
                    Form::Map(_) => get("url")?,
                };
                Action::Goto(self.goto(node)?)
            }
            StepKind::Back => Action::Back,
            StepKind::Reload => Action::Reload,
            StepKind::LeaveFrame => Action::LeaveFrame,
            StepKind::Click => Action::Click(Click { target: target(self)? }),
            StepKind::DoubleClick => Action::DoubleClick(Click { target: target(self)? }),
            StepKind::Hover => Action::Hover(Click { target: target(self)? }),
            StepKind::Clear => Action::Clear(Click { target: target(self)? }),
            StepKind::Fill => {
                let target = target(self);
                let value = self.text(get("with")?, "with")?;
                Action::Fill(Fill { target: target?, value })
            }
            StepKind::Select => {
                let target = target(self);
                let option = self.text(get("option")?, "option")?;
                Action::Select(Select { target: target?, option })
            }
            StepKind::Check | StepKind::Uncheck => Action::Check(Check {
                target: target(self)?,
                on: kind == StepKind::Check,
            }),
            StepKind::Toggle => {
                let target = target(self);
                let to = get("to")?;
                let on = match self.text(to, "to")?.as_str() {
                    "on" | "true" => true,
                    "off" | "false" => false,
                    other => {
                        self.error(
                            Diagnostic::new(to.pos, format!("`to` is `on` or `off`, found \"{other}\""))
                                .width(other.chars().count()),
                        );
                        return None;
                    }
                };
                let confirm = match get("confirm") {
                    Some(node) => Some(self.text(node, "confirm")?),
                    None => None,
                };
                Action::Toggle(Toggle { target: target?, on, confirm })
            }
            StepKind::Press => match form {
                Form::Short(node) => Action::Press(Press {
                    keys: self.keys(node)?,
                    target: None,
                }),
                Form::Map(entries) => {
                    // Any target key (also `row`, `within`, `nth`) means a target.
                    let has_target = entries
                        .iter()
                        .any(|(k, _)| spec::TARGET_FIELDS.iter().any(|f| f.name == k.name));
                    let target = if has_target { Some(target(self)?) } else { None };
                    Action::Press(Press {
                        keys: self.keys(get("key")?)?,
                        target,
                    })
                }
            },
            StepKind::Expect => {
                let target = target(self);
                let has_text = match get("has_text") {
                    Some(node) => Some(self.matcher(node, "has_text")?),
                    None => None,
                };
                let value = match get("value") {
                    // `value: ""` checks that a field is empty.
                    Some(node) if matches!(&node.value, Value::Str(s) if s.is_empty()) => {
                        Some(Matcher::Exact(String::new()))
                    }
                    Some(node) => Some(self.matcher(node, "value")?),
                    None => None,
                };
                let checked = match get("checked") {
                    Some(node) => Some(self.boolean(node, "checked")?),
                    None => None,
                };
                let enabled = match get("enabled") {
                    Some(node) => Some(self.boolean(node, "enabled")?),
                    None => None,
                };
                let editable = match get("editable") {
                    Some(node) => Some(self.boolean(node, "editable")?),
                    None => None,
                };
                Action::Expect(Expect {
                    target: target?,
                    has_text,
                    value,
                    checked,
                    enabled,
                    editable,
                })
            }
            StepKind::ExpectGone => Action::ExpectGone(ExpectGone { target: target(self)? }),
            StepKind::ExpectAbsent => {
                let target = target(self);
                let during = match get("for") {
                    Some(node) => self.duration(node, "for")?,
                    None => DEFAULT_ABSENT,
                };
                Action::ExpectAbsent(ExpectAbsent { target: target?, during })
            }
            StepKind::ExpectUrl => Action::ExpectUrl(self.url_matcher(value)?),
            StepKind::ExpectTitle => Action::ExpectTitle(self.matcher(value, "expect_title")?),
            StepKind::ExpectToast => {
                let (text, kind) = match form {
                    Form::Short(node) => (self.matcher(node, "expect_toast")?, ToastKind::NotError),
                    Form::Map(entries) => {
                        let text = self.matcher_in(value, entries, "expect_toast");
                        let kind = match get("kind") {
                            None => Some(ToastKind::NotError),
                            Some(node) => match self.text(node, "kind")?.as_str() {
                                "success" => Some(ToastKind::Success),
                                "info" => Some(ToastKind::Info),
                                "warning" => Some(ToastKind::Warning),
                                "error" => Some(ToastKind::Error),
                                "any" => Some(ToastKind::Any),
                                other => {
                                    self.error(
                                        Diagnostic::new(
                                            node.pos,
                                            format!("`kind` is success, info, warning, error or any, found \"{other}\""),
                                        )
                                        .width(other.chars().count()),
                                    );
                                    None
                                }
                            },
                        };
                        (text?, kind?)
                    }
                };
                Action::ExpectToast(ExpectToast { text, kind })
            }
            StepKind::WaitFor => Action::WaitFor(self.condition(value, "wait_for")?),
            StepKind::Sleep => {
                let Form::Short(node) = form else { return None };
                let during = self.duration(node, "sleep")?;
                self.warn(
                    Diagnostic::warning(key.pos, "a fixed sleep slows every run and still flakes")
                        .width(5)
                        .help("wait for what the page shows instead: `wait_for: <text>` or `expect_gone: <text>`"),
                );
                Action::Sleep(during)
            }
            StepKind::Screenshot => Action::Screenshot(self.screenshot(form)?),
            StepKind::Dialog => {
                let answer = match form {
                    Form::Short(node) => node,
                    Form::Map(_) => get("answer")?,
                };
                let accept = match self.text(answer, "answer")?.as_str() {
                    "accept" => true,
                    "dismiss" => false,
                    other => {
                        self.error(
                            Diagnostic::new(answer.pos, format!("a dialog is answered `accept` or `dismiss`, found \"{other}\""))
                                .width(other.chars().count()),
                        );
                        return None;
                    }
                };
                let text = match get("with") {
                    Some(node) => Some(self.text(node, "with")?),
                    None => None,
                };
                let message = match get("message") {
                    Some(node) => Some(self.matcher(node, "message")?),
                    None => None,
                };
                Action::Dialog(Dialog { accept, text, message })
            }
            StepKind::Frame => match form {
                // A plain string names the frame by its name, title or id.
                Form::Short(node) => {
                    let name = self.static_text(node, "frame")?;
                    let quoted = css_string(&name);
                    Action::Frame(Frame {
                        target: Target::new(Locator::Css(format!(
                            "iframe[name={quoted}], iframe[title={quoted}], iframe[id={quoted}], frame[name={quoted}]"
                        ))),
                        name: Some(name),
                    })
                }
                Form::Map(_) => Action::Frame(Frame {
                    target: target(self)?,
                    name: None,
                }),
            },
            StepKind::Window => Action::Window(match form {
                Form::Short(node) => match self.text(node, "window")?.as_str() {
                    "new" => Window::Newest,
                    "first" => Window::First,
                    other => {
                        self.error(
                            Diagnostic::new(node.pos, format!("`window` is `new`, `first`, or a mapping with `title` or `url`; found \"{other}\""))
                                .width(other.chars().count())
                                .help(format!("for a window by title: `window: {{ title: {other} }}`")),
                        );
                        return None;
                    }
                },
                Form::Map(entries) => match entries {
                    [(k, v)] if k.name == "title" => Window::Title(self.matcher(v, "title")?),
                    [(k, v)] if k.name == "url" => Window::Url(self.url_matcher(v)?),
                    _ => {
                        self.error(
                            Diagnostic::new(value.pos, "`window` takes one of `title` or `url`"),
                        );
                        return None;
                    }
                },
            }),
            StepKind::Store => {
                let target = target(self);
                let var = self.name(get("as")?, "variable", "later steps use it as ${name}")?;
                // A runbook variable or secret of that name would be
                // shadowed; the environment is not checked, so the result
                // does not depend on the machine.
                let taken = self.file.vars.contains_key(&var)
                    || self.file.passed.contains_key(&var)
                    || self.sources.overrides.contains_key(&var)
                    || self.secrets.contains_key(&var);
                if taken {
                    let (_, node) = match form {
                        Form::Map(entries) => entries.iter().find(|(k, _)| k.name == "as")?,
                        Form::Short(_) => return None,
                    };
                    self.error(
                        Diagnostic::new(node.pos, format!("`{var}` is already a variable of the runbook"))
                            .width(var.len())
                            .help("store it under a name of its own"),
                    );
                    return None;
                }
                self.stored.insert(var.clone());
                Action::Store(Store { target: target?, var })
            }
        })
        .inspect(|action| self.lint(key, action))
    }

    /// Checks the value's form against the spec: the keys of a mapping
    /// (unknown ones get the closest allowed key), required keys, and
    /// whether a short form is allowed.
    fn form<'n>(&mut self, spec: &StepSpec, value: &'n Node) -> Option<Form<'n>> {
        let keyword = spec.keyword;
        match &value.value {
            Value::Map(_) if spec.bare => {
                self.error(
                    Diagnostic::new(value.pos, format!("`{keyword}` takes nothing"))
                        .help(format!("write `- {keyword}`")),
                );
                None
            }
            // Their mappings are matchers or conditions, checked where they are read.
            Value::Map(entries) if spec.mapping_is_value => Some(Form::Map(entries)),
            Value::Map(entries) => {
                self.check_keys(entries, &spec.keys(), &format!("`{keyword}`"));
                let mut ok = true;
                for field in spec.fields.iter().filter(|f| f.required) {
                    if !entries.iter().any(|(k, _)| k.name == field.name) {
                        ok = false;
                        self.error(
                            Diagnostic::new(
                                value.pos,
                                format!("`{keyword}` needs `{}` ({})", field.name, field.doc),
                            )
                            .help(example(keyword)),
                        );
                    }
                }
                ok.then_some(Form::Map(entries))
            }
            Value::Null if spec.bare => Some(Form::Short(value)),
            _ if spec.bare => {
                self.error(
                    Diagnostic::new(value.pos, format!("`{keyword}` takes nothing"))
                        .help(format!("write `- {keyword}`")),
                );
                None
            }
            Value::Null => {
                self.error(
                    Diagnostic::new(value.pos, format!("`{keyword}` is missing its value"))
                        .help(example(keyword)),
                );
                None
            }
            Value::Seq(_) if spec.short != Some(Shape::Keys) => {
                self.error(
                    Diagnostic::new(
                        value.pos,
                        format!("`{keyword}` takes {}, found a list", what_it_takes(spec)),
                    )
                    .help(example(keyword)),
                );
                None
            }
            _ if spec.short.is_none() => {
                let mut d = Diagnostic::new(
                    value.pos,
                    format!(
                        "`{keyword}` takes a mapping here, found {}",
                        value.value.kind()
                    ),
                );
                d = d.help(example(keyword));
                self.error(d);
                None
            }
            _ => Some(Form::Short(value)),
        }
    }

    fn goto(&mut self, node: &Node) -> Option<Goto> {
        let written = self.text(node, "goto")?;
        if address::waits_for_stored_values(&written) {
            // A stored value decides the scheme: the engine resolves the
            // URL, by the same rule, once the value is known.
            return Some(Goto {
                url: written.clone(),
                written,
            });
        }
        let width = written.chars().count();
        match address::resolve(&written, self.base_url.as_deref()) {
            Ok(url) => Some(Goto { url, written }),
            Err(address::Refused::Invalid) => {
                self.error(
                    Diagnostic::new(node.pos, format!("`{written}` is not a valid URL"))
                        .width(width),
                );
                None
            }
            Err(refused @ address::Refused::Scheme(_)) => {
                self.error(
                    Diagnostic::new(node.pos, refused.to_string())
                        .width(width)
                        .help("write `goto: https://...`, or a path such as `goto: /settings` relative to `url`"),
                );
                None
            }
            // Already reported where `url:` is written.
            Err(address::Refused::NoBase) if self.bad_base_url => None,
            Err(address::Refused::NoBase) => {
                self.error(
                    Diagnostic::new(
                        node.pos,
                        format!("`goto: {written}` is relative but the runbook has no `url`"),
                    )
                    .width(width)
                    .help("add `url: http://...` at the top, pass `--url`, or write a full URL"),
                );
                None
            }
        }
    }

    fn screenshot(&mut self, form: Form<'_>) -> Option<Screenshot> {
        const HELP: &str = "it becomes the file name NN-<name>.png; put prose in `caption`";
        let (name_node, entries): (&Node, &[(Key, Node)]) = match form {
            Form::Short(node) => (node, &[]),
            Form::Map(entries) => (
                entries
                    .iter()
                    .find(|(k, _)| k.name == "name")
                    .map(|(_, v)| v)?,
                entries,
            ),
        };
        let name = self.name(name_node, "screenshot name", HELP)?;
        if name.len() > MAX_SCREENSHOT_NAME_BYTES {
            self.error(
                Diagnostic::new(
                    name_node.pos,
                    format!(
                        "screenshot name is {} characters long; at most {MAX_SCREENSHOT_NAME_BYTES} fit in a file name with the figure's number",
                        name.len()
                    ),
                )
                .width(name.len())
                .help(HELP),
            );
            return None;
        }
        if let Some(first) = self.screenshots.get(&name).copied() {
            self.error(
                Diagnostic::new(
                    name_node.pos,
                    format!(
                        "screenshot name \"{name}\" is already used at line {}",
                        first.line
                    ),
                )
                .width(name.chars().count())
                .help("each figure needs a name of its own; it names the file"),
            );
            return None;
        }
        self.screenshots.insert(name.clone(), name_node.pos);
        let mut shot = Screenshot {
            name,
            caption: None,
            area: Area::Viewport,
            highlight: Vec::new(),
            mask: Vec::new(),
            compare: self.file.compare,
        };
        let mut ok = true;
        for (key, node) in entries {
            match key.name.as_str() {
                "caption" => {
                    shot.caption = self.text(node, "caption").or_else(|| {
                        ok = false;
                        None
                    })
                }
                "full_page" => {
                    if self.boolean(node, "full_page") != Some(true) {
                        continue;
                    }
                    if matches!(shot.area, Area::Element(_)) {
                        self.error(
                            Diagnostic::new(
                                key.pos,
                                "a screenshot is of the full page or of one `element`, not both",
                            )
                            .width(9),
                        );
                        ok = false;
                    }
                    shot.area = Area::FullPage;
                }
                "element" => {
                    match self.nested_target(node, "element") {
                        Some(t) if matches!(shot.area, Area::FullPage) => {
                            self.error(Diagnostic::new(key.pos, "a screenshot is of the full page or of one `element`, not both").width(7));
                            shot.area = Area::Element(t);
                            ok = false;
                        }
                        Some(t) => shot.area = Area::Element(t),
                        None => ok = false,
                    }
                }
                "compare" => match self.compare(node, "compare") {
                    Some(own) => shot.compare = Compare::over(Some(own), self.file.compare),
                    None => ok = false,
                },
                "mask" => match self.masks(node, false) {
                    Some(masks) => shot.mask = masks,
                    None => ok = false,
                },
                "highlight" => {
                    let items: Vec<&Node> = match &node.value {
                        Value::Seq(items) => items.iter().collect(),
                        _ => vec![node],
                    };
                    for item in items {
                        match self.nested_target(item, "highlight") {
                            Some(t) => shot.highlight.push(t),
                            None => ok = false,
                        }
                    }
                }
                _ => {}
            }
        }
        // The runbook's masks after the screenshot's own.
        shot.mask.extend(self.file.masks.iter().cloned());
        ok.then_some(shot)
    }

    /// Warnings about steps that work but are brittle, over every target
    /// the step names.
    fn lint(&mut self, key: &Key, action: &Action) {
        if action.targets().iter().any(|t| t.is_structural()) {
            self.warn(
                Diagnostic::warning(key.pos, format!("`{}` finds its target by CSS or XPath only", key.name))
                    .width(key.name.chars().count())
                    .help("markup changes break such targets; prefer visible text, `label`, `role` or `testid`"),
            );
        }
    }
}

/// A CSS string literal.
fn css_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn what_it_takes(spec: &StepSpec) -> &'static str {
    match (spec.short, spec.target) {
        (Some(Shape::Target), _) => "visible text or a target mapping",
        (Some(Shape::Duration), _) => "a duration such as `500ms`",
        (Some(Shape::Url), _) => "a URL or a path",
        (Some(Shape::Matcher), _) => "text or a mapping with `text`, `contains` or `regex`",
        (_, TargetUse::Required) => "a target mapping",
        _ => "a mapping",
    }
}

/// An example of the step, for help lines.
pub fn example(keyword: &str) -> String {
    match StepKind::from_keyword(keyword).and_then(|k| k.spec().example) {
        Some(example) => format!("for example `{example}`"),
        None => format!("for example `{keyword}: Next` or `{keyword}: {{ label: ... }}`"),
    }
}

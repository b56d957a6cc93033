//! The typed runbook the engine executes: sections and steps with their
//! source positions, every value already checked and converted (URLs joined,
//! durations parsed, variables substituted). The engine never re-parses text.

use super::yaml::Pos;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// A loaded, validated runbook.
#[derive(Debug, Clone)]
pub struct Runbook {
    /// The title from `name:`.
    pub name: String,
    /// The file it was loaded from, as the user named it (used in messages).
    pub path: PathBuf,
    /// The file stem; names the output folder `screenshots/<id>/`.
    pub id: String,
    /// The base URL that relative `goto` paths were joined to.
    pub base_url: Option<String>,
    /// How long a step may wait for its condition unless it says otherwise.
    pub timeout: Duration,
    pub items: Vec<Item>,
    /// Values of the runbook's secrets, masked in every output.
    pub secret_values: Vec<String>,
}

/// An entry of a step list: a titled section or a single step.
#[derive(Debug, Clone)]
pub enum Item {
    Section(Section),
    Step(Step),
}

/// A titled group of steps; sections become the numbered steps of a guide.
#[derive(Debug, Clone)]
pub struct Section {
    pub title: String,
    pub pos: Pos,
    pub items: Vec<Item>,
}

/// One action or check, where it was written, and its own time limit.
#[derive(Debug, Clone)]
pub struct Step {
    pub action: Action,
    pub pos: Pos,
    pub timeout: Option<Duration>,
}

/// Everything a step can do. The engine matches this exhaustively, so a new
/// step kind cannot be added without the engine handling it.
#[derive(Debug, Clone)]
pub enum Action {
    Goto(Goto),
    Click(Click),
    Fill(Fill),
    Toggle(Toggle),
    Expect(Expect),
    ExpectGone(ExpectGone),
    ExpectToast(ExpectToast),
    Screenshot(Screenshot),
}

#[derive(Debug, Clone)]
pub struct Goto {
    /// Absolute URL (relative paths are joined to the base at load time).
    pub url: String,
    /// As written, for messages.
    pub written: String,
}

#[derive(Debug, Clone)]
pub struct Click {
    pub target: Target,
}

#[derive(Debug, Clone)]
pub struct Fill {
    pub target: Target,
    pub value: String,
}

#[derive(Debug, Clone)]
pub struct Toggle {
    pub target: Target,
    pub on: bool,
    /// Text of the button to press in the confirmation dialog the switch opens.
    pub confirm: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Expect {
    pub target: Target,
}

#[derive(Debug, Clone)]
pub struct ExpectGone {
    pub target: Target,
}

#[derive(Debug, Clone)]
pub struct ExpectToast {
    pub text: String,
    pub kind: ToastKind,
}

/// Which toasts `expect_toast` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    /// Any toast not styled or announced as an error.
    Success,
    Error,
    Any,
}

#[derive(Debug, Clone)]
pub struct Screenshot {
    pub name: String,
    pub caption: Option<String>,
}

/// Something on the page a step acts on or checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub locator: Locator,
    /// Only inside the table row that contains this text.
    pub row: Option<String>,
}

/// How a target is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Locator {
    /// Visible text, whitespace-normalised, exact.
    Text(String),
    /// A form field or switch by its label (label element, aria-label, aria-labelledby).
    Label(String),
    /// An ARIA role (explicit or implied by the tag), optionally with its accessible name.
    Role { role: String, name: Option<String> },
    /// A CSS selector, for the rare element without text or label.
    Css(String),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.locator {
            Locator::Text(text) => write!(f, "\"{text}\"")?,
            Locator::Label(label) => write!(f, "label \"{label}\"")?,
            Locator::Role {
                role,
                name: Some(name),
            } => write!(f, "{role} \"{name}\"")?,
            Locator::Role { role, name: None } => write!(f, "a {role}")?,
            Locator::Css(css) => write!(f, "css `{css}`")?,
        }
        if let Some(row) = &self.row {
            write!(f, " in the row of \"{row}\"")?;
        }
        Ok(())
    }
}

impl Action {
    /// The step keyword, as written in runbooks.
    pub fn keyword(&self) -> &'static str {
        match self {
            Action::Goto(_) => "goto",
            Action::Click(_) => "click",
            Action::Fill(_) => "fill",
            Action::Toggle(_) => "toggle",
            Action::Expect(_) => "expect",
            Action::ExpectGone(_) => "expect_gone",
            Action::ExpectToast(_) => "expect_toast",
            Action::Screenshot(_) => "screenshot",
        }
    }

    /// One line describing the step for terminal output and reports.
    /// Secrets are not masked here; reporters mask them.
    pub fn describe(&self) -> String {
        match self {
            Action::Goto(g) => format!("goto {}", g.written),
            Action::Click(c) => format!("click {}", c.target),
            Action::Fill(f) => format!("fill {} with \"{}\"", f.target, f.value),
            Action::Toggle(t) => format!(
                "toggle {} {}{}",
                t.target,
                if t.on { "on" } else { "off" },
                t.confirm
                    .as_ref()
                    .map(|c| format!(", confirm \"{c}\""))
                    .unwrap_or_default()
            ),
            Action::Expect(e) => format!("expect {}", e.target),
            Action::ExpectGone(e) => format!("expect {} gone", e.target),
            Action::ExpectToast(t) => format!("expect toast \"{}\"", t.text),
            Action::Screenshot(s) => match &s.caption {
                Some(caption) => format!("screenshot {} \"{caption}\"", s.name),
                None => format!("screenshot {}", s.name),
            },
        }
    }

    /// Steps that change the page; `expect_toast` looks at toasts that
    /// appeared since the most recent of these began.
    pub fn is_interaction(&self) -> bool {
        matches!(
            self,
            Action::Goto(_) | Action::Click(_) | Action::Fill(_) | Action::Toggle(_)
        )
    }
}

impl Runbook {
    /// Every step in document order, with the titles of the sections around it.
    pub fn steps(&self) -> Vec<(Vec<&Section>, &Step)> {
        fn walk<'a>(
            items: &'a [Item],
            path: &mut Vec<&'a Section>,
            out: &mut Vec<(Vec<&'a Section>, &'a Step)>,
        ) {
            for item in items {
                match item {
                    Item::Step(step) => out.push((path.clone(), step)),
                    Item::Section(section) => {
                        path.push(section);
                        walk(&section.items, path, out);
                        path.pop();
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.items, &mut Vec::new(), &mut out);
        out
    }

    /// Replaces every secret value in `text` with `•••`.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in self.secret_values.iter().filter(|s| !s.is_empty()) {
            out = out.replace(secret.as_str(), "•••");
        }
        out
    }
}

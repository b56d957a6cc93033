//! The typed runbook the engine executes: sections and steps with their
//! source positions, every value already checked and converted (URLs joined,
//! durations parsed, variables substituted). The engine never re-parses text.

use super::yaml::Pos;
mod resolve;
mod target;

pub use target::*;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// A loaded, validated runbook.
#[derive(Debug, Clone)]
pub struct Runbook {
    /// The title from `name:`.
    pub name: String,
    /// What the procedure is for, from `description:` (the guide's introduction).
    pub description: Option<String>,
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
    /// Things that load but deserve a second look (fixed sleeps, CSS-only targets).
    pub warnings: Vec<super::Diagnostic>,
    /// The console's own notification selectors, from `toasts:` (includes add theirs).
    pub toasts: ToastRules,
}

/// What the in-page recorder counts as a toast beyond its built-in list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToastRules {
    /// CSS selectors of notifications.
    pub selectors: Vec<String>,
    /// CSS selectors of notifications that report an error.
    pub errors: Vec<String>,
    /// CSS selectors of elements that are never toasts (nor anything inside them).
    pub ignore: Vec<String>,
}

/// An entry of a step list: a titled section or a single step.
// Steps are most entries; boxing them would add an indirection per step to
// save memory only on sections.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Item {
    Section(Section),
    Step(Step),
}

/// A titled group of steps; sections become the numbered steps of a guide.
/// A runbook included with `run:` becomes a section titled with its name.
#[derive(Debug, Clone)]
pub struct Section {
    pub title: String,
    pub file: Arc<Path>,
    pub pos: Pos,
    pub items: Vec<Item>,
    pub flow: Flow,
    /// What the guide says instead of the title, from `guide:`.
    pub guide: GuideText,
}

/// One action or check, where it was written, and its own time limit.
#[derive(Debug, Clone)]
pub struct Step {
    pub action: Action,
    /// The file the step was written in (an included runbook's, for its steps).
    pub file: Arc<Path>,
    pub pos: Pos,
    pub timeout: Option<Duration>,
    pub flow: Flow,
    /// What the guide says of the step, from `guide:`.
    pub guide: GuideText,
}

/// A step's or section's line in the generated guide.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum GuideText {
    /// A sentence made from the step itself (a section's title).
    #[default]
    Generated,
    /// The runbook's own words (Markdown).
    Own(String),
    /// Left out of the guide (`guide: false`).
    Hidden,
}

/// `when:`, `retry:` and `optional:`, which a step or a section may carry.
#[derive(Debug, Clone, Default)]
pub struct Flow {
    /// Run only when this holds (checked once, without waiting).
    pub when: Option<Condition>,
    /// How many more times to try after a failure.
    pub retry: u32,
    /// A failure is reported but does not fail the run.
    pub optional: bool,
}

/// Marks a use of a variable set at run time by `store`; the engine
/// replaces `RUNTIME_OPEN name RUNTIME_CLOSE` with the stored text.
pub const RUNTIME_OPEN: char = '\u{E000}';
pub const RUNTIME_CLOSE: char = '\u{E001}';

/// Everything a step can do. The engine matches this exhaustively, so a new
/// step kind cannot be added without the engine handling it.
#[derive(Debug, Clone)]
pub enum Action {
    Goto(Goto),
    Back,
    Reload,
    Click(Click),
    DoubleClick(Click),
    Hover(Click),
    Fill(Fill),
    Clear(Click),
    Select(Select),
    Check(Check),
    Toggle(Toggle),
    Press(Press),
    Expect(Expect),
    ExpectGone(ExpectGone),
    ExpectAbsent(ExpectAbsent),
    ExpectUrl(Matcher),
    ExpectTitle(Matcher),
    ExpectToast(ExpectToast),
    WaitFor(Condition),
    Sleep(Duration),
    Screenshot(Screenshot),
    Dialog(Dialog),
    Frame(Frame),
    LeaveFrame,
    Window(Window),
    Store(Store),
}

#[derive(Debug, Clone)]
pub struct Goto {
    /// Absolute URL (relative paths are joined to the base at load time).
    pub url: String,
    /// As written, for messages.
    pub written: String,
}

/// A step that only needs its target: click, double_click, hover, clear.
#[derive(Debug, Clone)]
pub struct Click {
    pub target: Target,
}

#[derive(Debug, Clone)]
pub struct Fill {
    pub target: Target,
    pub value: String,
}

/// Picks an option of a native `<select>` or of a listbox-style dropdown.
#[derive(Debug, Clone)]
pub struct Select {
    pub target: Target,
    /// The visible text of the option.
    pub option: String,
}

/// `check` and `uncheck`: a checkbox (native or ARIA) reaches a state.
#[derive(Debug, Clone)]
pub struct Check {
    pub target: Target,
    pub on: bool,
}

#[derive(Debug, Clone)]
pub struct Toggle {
    pub target: Target,
    pub on: bool,
    /// Text of the button to press in the confirmation dialog the switch opens.
    pub confirm: Option<String>,
}

/// Keys pressed one combination after another, in the focused element or
/// in the target (which is focused first).
#[derive(Debug, Clone)]
pub struct Press {
    pub keys: Vec<KeyCombo>,
    pub target: Option<Target>,
}

/// One key with its modifiers, such as `Control+A` or `Enter`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCombo {
    /// As written, for messages.
    pub written: String,
    pub modifiers: Vec<Modifier>,
    /// The DOM `key` value (`Enter`, `a`, `ArrowDown`).
    pub key: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    Alt,
    Control,
    Meta,
    Shift,
}

/// A target is visible and, optionally, in the given states.
#[derive(Debug, Clone)]
pub struct Expect {
    pub target: Target,
    /// The element's text (whitespace-normalised).
    pub has_text: Option<Matcher>,
    /// A field's current value.
    pub value: Option<Matcher>,
    pub checked: Option<bool>,
    pub enabled: Option<bool>,
    /// A field takes typing (not read-only, not disabled).
    pub editable: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct ExpectGone {
    pub target: Target,
}

/// A target stays absent for a whole duration (it never shows up).
#[derive(Debug, Clone)]
pub struct ExpectAbsent {
    pub target: Target,
    pub during: Duration,
}

#[derive(Debug, Clone)]
pub struct ExpectToast {
    pub text: Matcher,
    pub kind: ToastKind,
}

/// Which toasts `expect_toast` accepts. A toast's own kind (success,
/// info, warning or error) comes from the console's markers; see
/// `engine::toasts::Level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    /// Any toast that does not report an error: what a step that names no
    /// kind expects, since libraries mark plain confirmations in many ways.
    NotError,
    Success,
    Info,
    Warning,
    Error,
    Any,
}

impl ToastKind {
    /// Whether an error toast satisfies it, so the step before may leave
    /// the error to it rather than fail.
    pub fn takes_errors(self) -> bool {
        matches!(self, ToastKind::Error | ToastKind::Any)
    }

    /// The kind's word as a runbook writes it; none for the default.
    pub fn word(self) -> Option<&'static str> {
        match self {
            ToastKind::NotError | ToastKind::Any => None,
            ToastKind::Success => Some("success"),
            ToastKind::Info => Some("info"),
            ToastKind::Warning => Some("warning"),
            ToastKind::Error => Some("error"),
        }
    }
}

/// What `wait_for` and `when:` look at.
#[derive(Debug, Clone)]
pub enum Condition {
    Visible(Target),
    Gone(Target),
    Url(Matcher),
    Title(Matcher),
}

#[derive(Debug, Clone)]
pub struct Screenshot {
    pub name: String,
    pub caption: Option<String>,
    pub area: Area,
    /// Outlined in red in the figure, as documentation figures are.
    pub highlight: Vec<Target>,
    /// Covered with a solid box (changing or private content).
    pub mask: Vec<Target>,
}

/// What a screenshot covers.
#[derive(Debug, Clone)]
pub enum Area {
    Viewport,
    FullPage,
    Element(Target),
}

/// Answers the native `alert`, `confirm` or `prompt` that is open.
#[derive(Debug, Clone)]
pub struct Dialog {
    pub accept: bool,
    /// Typed into a `prompt` before accepting.
    pub text: Option<String>,
    /// The dialog's message must match this.
    pub message: Option<Matcher>,
}

/// The iframe later steps act in, until `leave_frame`.
#[derive(Debug, Clone)]
pub struct Frame {
    pub target: Target,
    /// The name, title or id it was given by (`frame: help`), for messages.
    pub name: Option<String>,
}

/// Which browser tab or window later steps act in.
#[derive(Debug, Clone)]
pub enum Window {
    /// The most recently opened one.
    Newest,
    /// The one the run started in.
    First,
    Title(Matcher),
    Url(Matcher),
}

/// Keeps the text (or a field's value) of an element in a variable that
/// later steps use as `${name}`.
#[derive(Debug, Clone)]
pub struct Store {
    pub target: Target,
    pub var: String,
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Condition::Visible(t) => write!(f, "{t} is visible"),
            Condition::Gone(t) => write!(f, "{t} is gone"),
            Condition::Url(m) => write!(f, "the URL is {m}"),
            Condition::Title(m) => write!(f, "the title is {m}"),
        }
    }
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

impl Action {
    /// The step keyword, as written in runbooks.
    pub fn keyword(&self) -> &'static str {
        match self {
            Action::Goto(_) => "goto",
            Action::Back => "back",
            Action::Reload => "reload",
            Action::Click(_) => "click",
            Action::DoubleClick(_) => "double_click",
            Action::Hover(_) => "hover",
            Action::Fill(_) => "fill",
            Action::Clear(_) => "clear",
            Action::Select(_) => "select",
            Action::Check(c) if c.on => "check",
            Action::Check(_) => "uncheck",
            Action::Toggle(_) => "toggle",
            Action::Press(_) => "press",
            Action::Expect(_) => "expect",
            Action::ExpectGone(_) => "expect_gone",
            Action::ExpectAbsent(_) => "expect_absent",
            Action::ExpectUrl(_) => "expect_url",
            Action::ExpectTitle(_) => "expect_title",
            Action::ExpectToast(_) => "expect_toast",
            Action::WaitFor(_) => "wait_for",
            Action::Sleep(_) => "sleep",
            Action::Screenshot(_) => "screenshot",
            Action::Dialog(_) => "dialog",
            Action::Frame(_) => "frame",
            Action::LeaveFrame => "leave_frame",
            Action::Window(_) => "window",
            Action::Store(_) => "store",
        }
    }

    /// One line describing the step for terminal output and reports.
    /// Secrets are not masked here; reporters mask them.
    pub fn describe(&self) -> String {
        match self {
            Action::Goto(g) => format!("goto {}", g.written),
            Action::Back => "back".into(),
            Action::Reload => "reload".into(),
            Action::Click(c) => format!("click {}", c.target),
            Action::DoubleClick(c) => format!("double-click {}", c.target),
            Action::Hover(c) => format!("hover {}", c.target),
            Action::Fill(f) => format!("fill {} with \"{}\"", f.target, f.value),
            Action::Clear(c) => format!("clear {}", c.target),
            Action::Select(s) => format!("select \"{}\" in {}", s.option, s.target),
            Action::Check(c) => format!("{} {}", if c.on { "check" } else { "uncheck" }, c.target),
            Action::Toggle(t) => format!(
                "toggle {} {}{}",
                t.target,
                on_off(t.on),
                t.confirm
                    .as_ref()
                    .map(|c| format!(", confirm \"{c}\""))
                    .unwrap_or_default()
            ),
            Action::Press(p) => {
                let keys: Vec<&str> = p.keys.iter().map(|k| k.written.as_str()).collect();
                match &p.target {
                    Some(t) => format!("press {} in {t}", keys.join(", ")),
                    None => format!("press {}", keys.join(", ")),
                }
            }
            Action::Expect(e) => {
                let mut out = format!("expect {}", e.target);
                if let Some(m) = &e.has_text {
                    out.push_str(&format!(" with text {m}"));
                }
                if let Some(m) = &e.value {
                    out.push_str(&format!(" with value {m}"));
                }
                if let Some(c) = e.checked {
                    out.push_str(if c { " checked" } else { " unchecked" });
                }
                if let Some(en) = e.enabled {
                    out.push_str(if en { " enabled" } else { " disabled" });
                }
                if let Some(ed) = e.editable {
                    out.push_str(if ed { " editable" } else { " read-only" });
                }
                out
            }
            Action::ExpectGone(e) => format!("expect {} gone", e.target),
            Action::ExpectAbsent(e) => format!(
                "expect {} absent for {}",
                e.target,
                super::duration::human(e.during)
            ),
            Action::ExpectUrl(m) => format!("expect URL {m}"),
            Action::ExpectTitle(m) => format!("expect title {m}"),
            Action::ExpectToast(t) => match t.kind.word() {
                Some(word) => format!("expect {word} toast {}", t.text),
                None => format!("expect toast {}", t.text),
            },
            Action::WaitFor(c) => format!("wait until {c}"),
            Action::Sleep(d) => format!("sleep {}", super::duration::human(*d)),
            Action::Screenshot(s) => match &s.caption {
                Some(caption) => format!("screenshot {} \"{caption}\"", s.name),
                None => format!("screenshot {}", s.name),
            },
            Action::Dialog(d) => {
                let mut out = format!("{} the dialog", if d.accept { "accept" } else { "dismiss" });
                if let Some(t) = &d.text {
                    out.push_str(&format!(" with \"{t}\""));
                }
                out
            }
            Action::Frame(f) => match &f.name {
                Some(name) => format!("enter frame \"{name}\""),
                None => format!("enter frame {}", f.target),
            },
            Action::LeaveFrame => "leave the frame".into(),
            Action::Window(w) => match w {
                Window::Newest => "switch to the new window".into(),
                Window::First => "switch to the first window".into(),
                Window::Title(m) => format!("switch to the window titled {m}"),
                Window::Url(m) => format!("switch to the window at {m}"),
            },
            Action::Store(s) => format!("store {} as ${{{}}}", s.target, s.var),
        }
    }

    /// Steps that change the page; `expect_toast` looks at toasts that
    /// appeared since the most recent of these began.
    pub fn is_interaction(&self) -> bool {
        matches!(
            self,
            Action::Goto(_)
                | Action::Back
                | Action::Reload
                | Action::Click(_)
                | Action::DoubleClick(_)
                | Action::Hover(_)
                | Action::Fill(_)
                | Action::Clear(_)
                | Action::Select(_)
                | Action::Check(_)
                | Action::Toggle(_)
                | Action::Press(_)
                | Action::Dialog(_)
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

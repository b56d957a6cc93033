//! What a step is once lowered: [`Action`], an enum of one struct per kind
//! of step, with the settings each takes (targets, values, timeouts, the
//! compare and mask settings of a figure), and what the engine and the
//! reports ask of a step (its kind, whether it changes the page, its words).

use super::kind::StepKind;
use super::{Condition, Matcher, Target};
use std::time::Duration;

/// Everything a step can do, with its values checked and converted. The
/// engine matches this exhaustively, so a new step kind cannot be added
/// without the engine handling it.
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
    /// Absolute URL (relative paths are joined to the base at load time),
    /// or, when a value stored at run time stands where the scheme would be,
    /// the text the engine resolves once that value is known
    /// ([`address::waits_for_stored_values`](crate::runbook::address::waits_for_stored_values)).
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

#[derive(Debug, Clone)]
pub struct Screenshot {
    pub name: String,
    pub caption: Option<String>,
    pub area: Area,
    /// Outlined in red in the figure, as documentation figures are.
    pub highlight: Vec<Target>,
    /// Content kept out of the figure or out of its comparison (changing
    /// or private content): the screenshot's own masks, then its
    /// runbook's (and an including runbook's).
    pub mask: Vec<Mask>,
    /// Whether and how strictly the figure is compared with its baseline,
    /// the screenshot's own `compare:` over its runbook's; `None` when
    /// neither says, and `docent run --compare` decides.
    pub compare: Option<Compare>,
}

/// One `mask:` entry: what to mask and how.
#[derive(Debug, Clone)]
pub struct Mask {
    pub target: Target,
    pub mode: MaskMode,
    /// It comes from a runbook's top-level `mask:`, which holds for every
    /// screenshot: matching nothing on one of them is expected, so it goes
    /// unremarked (a screenshot's own mask that matches nothing is noted).
    pub from_runbook: bool,
}

/// How a mask keeps its target out of a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MaskMode {
    /// Painted over with an opaque block; the layout stays.
    #[default]
    Hide,
    /// Taken out of the layout (`display: none`) while the figure is taken.
    Remove,
    /// Left in the figure as it is, but its box is not compared with the
    /// baseline.
    Ignore,
}

impl MaskMode {
    /// The words a runbook writes, in [`MaskMode::from_word`]'s order.
    pub const WORDS: &'static [&'static str] = &["hide", "remove", "ignore"];

    pub fn from_word(word: &str) -> Option<MaskMode> {
        match word {
            "hide" => Some(MaskMode::Hide),
            "remove" => Some(MaskMode::Remove),
            "ignore" => Some(MaskMode::Ignore),
            _ => None,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            MaskMode::Hide => "hide",
            MaskMode::Remove => "remove",
            MaskMode::Ignore => "ignore",
        }
    }
}

/// `compare:` of a screenshot or a runbook.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Compare {
    /// Never compared, not even under `--compare`.
    Off,
    On(CompareLimits),
}

impl Compare {
    /// `self` (a screenshot's) over `outer` (its runbook's): `false` wins
    /// outright, and a limit the screenshot leaves out is the runbook's.
    pub fn over(this: Option<Compare>, outer: Option<Compare>) -> Option<Compare> {
        match (this, outer) {
            (Some(Compare::On(own)), Some(Compare::On(theirs))) => {
                Some(Compare::On(own.or(theirs)))
            }
            (Some(own), _) => Some(own),
            (None, outer) => outer,
        }
    }
}

/// How much a compared figure may differ from its baseline; a limit left
/// out takes its default ([`CompareLimits::DEFAULT_THRESHOLD`], no pixel).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CompareLimits {
    /// How many pixels may change.
    pub max_diff_pixels: Option<u64>,
    /// What share of the pixels (0 to 1) may change.
    pub max_diff_ratio: Option<f64>,
    /// How different (0 to 1) two colours must look to count as a change.
    pub threshold: Option<f64>,
}

impl CompareLimits {
    /// The colour threshold when none is given: small enough to catch a
    /// shade change a person sees, large enough to ignore rounding.
    pub const DEFAULT_THRESHOLD: f64 = 0.1;

    /// Each limit of `self`, else `other`'s.
    pub fn or(self, other: CompareLimits) -> CompareLimits {
        CompareLimits {
            max_diff_pixels: self.max_diff_pixels.or(other.max_diff_pixels),
            max_diff_ratio: self.max_diff_ratio.or(other.max_diff_ratio),
            threshold: self.threshold.or(other.threshold),
        }
    }

    /// Whether `changed` of `compared` pixels is within the limits: with
    /// no limit given, no pixel may change; with both, both must hold.
    pub fn allows(&self, changed: u64, compared: u64) -> bool {
        if self.max_diff_pixels.is_none() && self.max_diff_ratio.is_none() {
            return changed == 0;
        }
        let pixels = self.max_diff_pixels.is_none_or(|max| changed <= max);
        let ratio = self
            .max_diff_ratio
            .is_none_or(|max| compared == 0 || changed as f64 / compared as f64 <= max);
        pixels && ratio
    }

    /// The colour threshold in effect.
    pub fn threshold(&self) -> f64 {
        self.threshold.unwrap_or(Self::DEFAULT_THRESHOLD)
    }
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

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

impl Action {
    /// What kind of step it is.
    pub fn kind(&self) -> StepKind {
        match self {
            Action::Goto(_) => StepKind::Goto,
            Action::Back => StepKind::Back,
            Action::Reload => StepKind::Reload,
            Action::Click(_) => StepKind::Click,
            Action::DoubleClick(_) => StepKind::DoubleClick,
            Action::Hover(_) => StepKind::Hover,
            Action::Fill(_) => StepKind::Fill,
            Action::Clear(_) => StepKind::Clear,
            Action::Select(_) => StepKind::Select,
            Action::Check(c) if c.on => StepKind::Check,
            Action::Check(_) => StepKind::Uncheck,
            Action::Toggle(_) => StepKind::Toggle,
            Action::Press(_) => StepKind::Press,
            Action::Expect(_) => StepKind::Expect,
            Action::ExpectGone(_) => StepKind::ExpectGone,
            Action::ExpectAbsent(_) => StepKind::ExpectAbsent,
            Action::ExpectUrl(_) => StepKind::ExpectUrl,
            Action::ExpectTitle(_) => StepKind::ExpectTitle,
            Action::ExpectToast(_) => StepKind::ExpectToast,
            Action::WaitFor(_) => StepKind::WaitFor,
            Action::Sleep(_) => StepKind::Sleep,
            Action::Screenshot(_) => StepKind::Screenshot,
            Action::Dialog(_) => StepKind::Dialog,
            Action::Frame(_) => StepKind::Frame,
            Action::LeaveFrame => StepKind::LeaveFrame,
            Action::Window(_) => StepKind::Window,
            Action::Store(_) => StepKind::Store,
        }
    }

    /// The step keyword, as written in runbooks.
    pub fn keyword(&self) -> &'static str {
        self.kind().keyword()
    }

    /// Every element the step names: what it acts on, what it checks, and
    /// what its figure covers or outlines. Lints look at all of them.
    pub fn targets(&self) -> Vec<&Target> {
        match self {
            Action::Click(c) | Action::DoubleClick(c) | Action::Hover(c) | Action::Clear(c) => {
                vec![&c.target]
            }
            Action::Fill(f) => vec![&f.target],
            Action::Select(s) => vec![&s.target],
            Action::Check(c) => vec![&c.target],
            Action::Toggle(t) => vec![&t.target],
            Action::Press(p) => p.target.iter().collect(),
            Action::Expect(e) => vec![&e.target],
            Action::ExpectGone(e) => vec![&e.target],
            Action::ExpectAbsent(e) => vec![&e.target],
            Action::WaitFor(c) => c.target().into_iter().collect(),
            Action::Screenshot(s) => {
                let element = match &s.area {
                    Area::Element(t) => Some(t),
                    Area::Viewport | Area::FullPage => None,
                };
                element
                    .into_iter()
                    .chain(&s.highlight)
                    // The runbook's masks are its own targets, checked once.
                    .chain(s.mask.iter().filter(|m| !m.from_runbook).map(|m| &m.target))
                    .collect()
            }
            Action::Frame(f) => vec![&f.target],
            Action::Store(s) => vec![&s.target],
            Action::Goto(_)
            | Action::Back
            | Action::Reload
            | Action::ExpectUrl(_)
            | Action::ExpectTitle(_)
            | Action::ExpectToast(_)
            | Action::Sleep(_)
            | Action::Dialog(_)
            | Action::LeaveFrame
            | Action::Window(_) => Vec::new(),
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
                crate::runbook::duration::human(e.during)
            ),
            Action::ExpectUrl(m) => format!("expect URL {m}"),
            Action::ExpectTitle(m) => format!("expect title {m}"),
            Action::ExpectToast(t) => match t.kind.word() {
                Some(word) => format!("expect {word} toast {}", t.text),
                None => format!("expect toast {}", t.text),
            },
            Action::WaitFor(c) => format!("wait until {c}"),
            Action::Sleep(d) => format!("sleep {}", crate::runbook::duration::human(*d)),
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
        self.kind().spec().changes_page
    }

    /// Whether the step changes or checks what the page shows, so the demo
    /// has a frame of it.
    pub fn shows_on_page(&self) -> bool {
        self.kind().spec().shown
    }
}

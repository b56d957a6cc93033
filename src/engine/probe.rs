//! The Rust side of the in-page helper (`page/*.js`): the script itself
//! ([`PAGE_SCRIPT`]), the typed request a [`Target`] becomes ([`Spec`],
//! [`Locate`]) and the typed answers the page gives ([`Answer`] and its
//! parts). The page does the resolving and the actionability checks in one
//! script call per poll; here we only translate. The calls themselves are
//! in `protocol.rs`.

use crate::runbook::{Locator, Matcher, Target, ToastRules};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The helper script installed in every document, with the built-in toast
/// selectors only; [`page_script`] adds a runbook's own.
///
/// It is plain browser JS in parts, joined in this order: each part is a
/// function of its own that parses alone, takes what it needs from the
/// parts before it and registers what it offers on
/// `window.__docentParts`; the last one installs `window.__docent`, the
/// functions the calls of `protocol.rs` name. `make lint` checks every
/// part with `node --check` and runs their tests
/// (`node --test src/engine/page/tests/`), which read this list for the
/// order.
pub const PAGE_SCRIPT: &str = concat!(
    // Text as a person reads it; starts the parts' namespace.
    include_str!("page/text.js"),
    // A runbook's exact, contained and regex text matchers.
    include_str!("page/match.js"),
    // What counts as a toast and what it reports, without the page.
    include_str!("page/toast-model.js"),
    // Shadow roots, deep queries, visibility, reading text.
    include_str!("page/dom.js"),
    // Frames, boxes, what the pointer reaches.
    include_str!("page/geometry.js"),
    // Roles and accessible names, names learned from tooltips.
    include_str!("page/names.js"),
    // Native and drawn controls: state, disabled, loading, editable.
    include_str!("page/controls.js"),
    // One locator under a root; describing what was found.
    include_str!("page/locators.js"),
    // A whole target: scopes, visible matches, nth, frames.
    include_str!("page/resolve.js"),
    // The toast recorder.
    include_str!("page/toasts.js"),
    // The click guard.
    include_str!("page/guard.js"),
    // One poll: strictness and actionability.
    include_str!("page/probe.js"),
    // failure.html: the page made inert and self-contained.
    include_str!("page/evidence.js"),
    // `window.__docent`, installed last.
    include_str!("page/api.js"),
);

/// The helper script for a runbook: its `toasts:` selectors first, where
/// the recorder reads them as it starts.
pub fn page_script(rules: &ToastRules) -> String {
    if rules == &ToastRules::default() {
        return PAGE_SCRIPT.to_string();
    }
    let config =
        json!({ "toasts": rules.selectors, "errors": rules.errors, "ignore": rules.ignore });
    format!("window.__docentConfig = {config};\n{PAGE_SCRIPT}")
}

/// What a poll asks of the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Exactly one match that can be clicked or typed into right now.
    Action,
    /// At least one match is visible.
    Visible,
    /// No match is visible, and the page is not loading.
    Gone,
    /// Exactly one visible match; report its on/off state.
    State,
    /// Exactly one visible match; report its text, value, state and whether it is enabled.
    Inspect,
}

/// Limits the search to the topmost open dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Page,
    Dialog,
}

// The page reads `spec.scope === 'dialog'`; the whole page is no scope.
impl Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Scope::Page => s.serialize_none(),
            Scope::Dialog => s.serialize_str("dialog"),
        }
    }
}

/// How long the page waits for a DOM change before answering "not yet",
/// unless the run says otherwise (`--poll`).
pub const PACE_MS: u64 = 100;

/// One poll's request: where the target is, what is asked of it, and how
/// the page behaves while it answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spec {
    #[serde(flatten)]
    pub locate: Locate,
    pub mode: Mode,
    pub scope: Scope,
    /// How long the page waits for a DOM change before answering "not yet".
    pub pace: u64,
    /// The element must also take typing.
    pub editable: bool,
    /// Read a switch's state only once the page is at rest, and refuse a
    /// switch that is disabled at rest at once.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub before: bool,
    /// The page guards the next press so that it reaches this element or nothing.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub arm: bool,
}

impl Spec {
    /// The request for a target.
    pub fn new(target: &Target, mode: Mode, scope: Scope) -> Self {
        Spec {
            locate: Locate::new(target),
            mode,
            scope,
            pace: PACE_MS,
            editable: false,
            before: false,
            arm: false,
        }
    }

    /// A field to type into: it must also be editable, and the press that
    /// focuses it is guarded.
    pub fn editable(target: &Target) -> Self {
        Spec {
            editable: true,
            ..Spec::new(target, Mode::Action, Scope::Page).armed()
        }
    }

    /// A switch's state read before it is set: it waits for the page to be
    /// at rest (a switch under a loading mask may still show its
    /// placeholder state), and a switch that is disabled at rest is refused
    /// at once, whatever its state.
    pub fn switch(target: &Target) -> Self {
        Spec {
            before: true,
            ..Spec::new(target, Mode::State, Scope::Page)
        }
    }

    /// Something about to be clicked: the page guards the click so that it
    /// reaches this element or nothing.
    pub fn armed(self) -> Self {
        Spec { arm: true, ..self }
    }
}

/// Where a target is; `within` nests one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Locate {
    pub locator: LocatorSpec,
    pub row: Option<String>,
    pub within: Option<Box<Locate>>,
    pub nth: Option<usize>,
    /// The target as the runbook names it, for the page's explanations.
    pub label: String,
}

impl Locate {
    pub fn new(target: &Target) -> Self {
        let locator = match &target.locator {
            Locator::Text(m) => LocatorSpec::Text {
                matcher: MatchSpec::new(m),
            },
            Locator::Label(label) => LocatorSpec::Label {
                value: normalize(label),
            },
            Locator::Placeholder(p) => LocatorSpec::Placeholder {
                value: normalize(p),
            },
            Locator::Role { role, name } => LocatorSpec::Role {
                role: role.clone(),
                name: name.as_ref().map(MatchSpec::new),
            },
            Locator::Css(css) => LocatorSpec::Css { value: css.clone() },
            Locator::XPath(x) => LocatorSpec::Xpath { value: x.clone() },
            Locator::TestId(id) => LocatorSpec::Testid {
                value: normalize(id),
            },
        };
        Locate {
            locator,
            row: target.row.as_deref().map(normalize),
            within: target.within.as_deref().map(|w| Box::new(Locate::new(w))),
            nth: target.nth,
            label: target.to_string(),
        }
    }
}

/// A locator as the page reads it, texts normalised the way the page
/// normalises what it sees.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum LocatorSpec {
    Text {
        #[serde(rename = "match")]
        matcher: MatchSpec,
    },
    Label {
        value: String,
    },
    Placeholder {
        value: String,
    },
    Role {
        role: String,
        name: Option<MatchSpec>,
    },
    Css {
        value: String,
    },
    Xpath {
        value: String,
    },
    Testid {
        value: String,
    },
}

/// A text matcher as the page compares it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum MatchSpec {
    Exact(String),
    Contains(String),
    Regex(String),
}

impl MatchSpec {
    pub fn new(m: &Matcher) -> Self {
        match m {
            Matcher::Exact(t) => MatchSpec::Exact(normalize(t)),
            Matcher::Contains(t) => MatchSpec::Contains(normalize(t)),
            Matcher::Regex(p) => MatchSpec::Regex(p.source.clone()),
        }
    }
}

pub use crate::runbook::model::normalize;

/// The page's answer to one poll.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Answer {
    /// The target is there as asked.
    Ok(Found),
    /// Not yet; the page says why.
    Wait(Pending),
    /// More than one element matches where one was asked for.
    Ambiguous {
        #[serde(default)]
        candidates: Vec<String>,
    },
    /// The target can never match as written (invalid CSS, a field that
    /// can never be typed in, a switch that is disabled at rest).
    Invalid {
        reason: String,
        /// The target is a control disabled while the page is at rest.
        #[serde(default)]
        disabled: bool,
    },
}

impl Answer {
    /// What was found, when the target is there as asked.
    pub fn found(&self) -> Option<&Found> {
        match self {
            Answer::Ok(found) => Some(found),
            _ => None,
        }
    }

    /// What the page said, for logs and the story of a wait.
    pub fn reason(&self) -> &str {
        match self {
            Answer::Ok(_) => "ok",
            Answer::Wait(pending) => &pending.reason,
            Answer::Ambiguous { .. } => "ambiguous",
            Answer::Invalid { reason, .. } => reason,
        }
    }
}

/// What the page found when the target is there; which fields are set
/// depends on the [`Mode`] asked.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(default)]
pub struct Found {
    /// Where to press, in the current frame's viewport (`action`).
    pub x: Option<f64>,
    pub y: Option<f64>,
    /// On/off of a switch or checkbox, when the element has one.
    pub state: Option<bool>,
    /// The switch shows its loading state.
    pub busy: Option<bool>,
    pub desc: Option<String>,
    /// The open dialog, when the probe looked at or near one.
    pub dialog: Option<Dialog>,
    /// `inspect`: the element's text, a field's value, whether it is disabled.
    pub text: Option<String>,
    pub value: Option<String>,
    pub disabled: bool,
    /// `inspect`: whether the element takes typing (a text field, neither
    /// read-only nor disabled).
    pub editable: Option<bool>,
}

/// Why the target is not there yet, with what helps explain a timeout.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(default)]
pub struct Pending {
    pub reason: String,
    /// Visible matches (of something that should be gone) or near misses.
    pub candidates: Vec<String>,
    /// Matches that exist but are not visible.
    pub hidden: Vec<String>,
    /// Text around a disabled element (often the reason it is disabled).
    pub context: Option<String>,
    /// The open dialog, when the probe looked at or near one.
    pub dialog: Option<Dialog>,
}

/// A dialog that is open on the page.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
pub struct Dialog {
    pub title: String,
    pub buttons: Vec<String>,
}

impl Dialog {
    pub fn describe(&self) -> String {
        let buttons: Vec<String> = self.buttons.iter().map(|b| format!("\"{b}\"")).collect();
        format!(
            "the dialog \"{}\" is open with the buttons {}",
            self.title,
            buttons.join(", ")
        )
    }
}

/// The page's answer after a guarded click.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(default)]
pub struct ClickReport {
    /// Whether the press reached the element the probe aimed at.
    pub ok: bool,
    /// What the press reached.
    pub hit: String,
}

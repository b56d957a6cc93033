//! The Rust side of the in-page helper (`page/*.js`): how a [`Target`] is
//! sent to the page, and what the page answers. The page does the resolving
//! and the actionability checks in one script call per poll; here we only
//! translate.

use crate::runbook::{Locator, Matcher, Target, ToastRules};
use serde::Deserialize;
use serde_json::{Value, json};

/// The helper script installed in every document, with the built-in toast
/// selectors only; [`page_script`] adds a runbook's own.
pub const PAGE_SCRIPT: &str = concat!(
    include_str!("page/prelude.js"),
    include_str!("page/toasts.js"),
    include_str!("page/targets.js"),
    include_str!("page/probe.js"),
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// How long the page waits for a DOM change before answering "not yet",
/// unless the run says otherwise (`--poll`).
pub const PACE_MS: u64 = 100;

/// The JSON the probe expects for a target.
pub fn spec(target: &Target, mode: Mode, scope: Scope) -> Value {
    spec_for(target, mode, scope, false)
}

/// The spec of a field to type into: it must also be editable.
pub fn editable_spec(target: &Target) -> Value {
    armed(spec_for(target, Mode::Action, Scope::Page, true))
}

/// The spec of a switch's state read before it is set: it waits for the
/// page to be at rest (a switch under a loading mask may still show its
/// placeholder state), and a switch that is disabled at rest is refused at
/// once, whatever its state.
pub fn switch_spec(target: &Target) -> Value {
    let mut spec = spec(target, Mode::State, Scope::Page);
    spec["before"] = json!(true);
    spec
}

/// The spec of something about to be clicked: the page guards the click
/// so that it reaches this element or nothing.
pub fn armed(mut spec: Value) -> Value {
    spec["arm"] = json!(true);
    spec
}

fn spec_for(target: &Target, mode: Mode, scope: Scope, editable: bool) -> Value {
    let mut spec = locate(target);
    spec["mode"] = json!(match mode {
        Mode::Action => "action",
        Mode::Visible => "visible",
        Mode::Gone => "gone",
        Mode::State => "state",
        Mode::Inspect => "inspect",
    });
    spec["scope"] = match scope {
        Scope::Page => Value::Null,
        Scope::Dialog => json!("dialog"),
    };
    spec["pace"] = json!(PACE_MS);
    spec["editable"] = json!(editable);
    spec
}

/// The part of a spec that says where the target is; `within` nests one.
pub fn locate(target: &Target) -> Value {
    let locator = match &target.locator {
        Locator::Text(m) => json!({ "kind": "text", "match": matcher(m) }),
        Locator::Label(label) => json!({ "kind": "label", "value": normalize(label) }),
        Locator::Placeholder(p) => json!({ "kind": "placeholder", "value": normalize(p) }),
        Locator::Role { role, name } => {
            json!({ "kind": "role", "role": role, "name": name.as_ref().map(matcher) })
        }
        Locator::Css(css) => json!({ "kind": "css", "value": css }),
        Locator::XPath(x) => json!({ "kind": "xpath", "value": x }),
        Locator::TestId(id) => json!({ "kind": "testid", "value": normalize(id) }),
    };
    json!({
        "locator": locator,
        "row": target.row.as_deref().map(normalize),
        "within": target.within.as_deref().map(locate),
        "nth": target.nth,
        "label": target.to_string(),
    })
}

/// A text matcher as the page compares it.
pub fn matcher(m: &Matcher) -> Value {
    match m {
        Matcher::Exact(t) => json!({ "kind": "exact", "value": normalize(t) }),
        Matcher::Contains(t) => json!({ "kind": "contains", "value": normalize(t) }),
        Matcher::Regex(p) => json!({ "kind": "regex", "value": p.source }),
    }
}

pub use crate::runbook::model::normalize;

/// The page's answer to one poll.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Probe {
    /// "ok", "wait" or "ambiguous".
    pub status: String,
    pub reason: Option<String>,
    pub x: Option<f64>,
    pub y: Option<f64>,
    /// On/off of a switch or checkbox, when the element has one.
    pub state: Option<bool>,
    pub busy: Option<bool>,
    #[serde(default)]
    pub candidates: Vec<String>,
    #[serde(default)]
    pub hidden: Vec<String>,
    /// Text around a disabled element (often the reason it is disabled).
    pub context: Option<String>,
    pub desc: Option<String>,
    /// The open dialog, when the probe looked at or near one.
    pub dialog: Option<Dialog>,
    /// `inspect`: the element's text, a field's value, whether it is disabled.
    pub text: Option<String>,
    pub value: Option<String>,
    #[serde(default)]
    pub disabled: bool,
    /// `inspect`: whether the element takes typing (a text field, neither
    /// read-only nor disabled).
    pub editable: Option<bool>,
}

/// A dialog that is open on the page.
#[derive(Debug, Clone, Deserialize, Default)]
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
#[derive(Debug, Clone, Deserialize, Default)]
pub struct ClickReport {
    /// Whether the press reached the element the probe aimed at.
    pub ok: bool,
    /// What the press reached.
    pub hit: String,
}

impl Probe {
    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }

    pub fn is_ambiguous(&self) -> bool {
        self.status == "ambiguous"
    }

    /// The target can never match as written (e.g. invalid CSS).
    pub fn is_invalid(&self) -> bool {
        self.status == "invalid"
    }
}

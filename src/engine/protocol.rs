//! Every call the engine makes into the page, as types: what each one sends
//! and what it gets back. The in-page helper (`page/*.js`) installs
//! `window.__docent`; each struct here names one of its functions, the
//! arguments it takes and the shape of its answer, so the engine never
//! builds a script string or picks fields out of loose JSON, and the
//! engine's tests fake the page call by call ([`crate::browser::Call`]).
//!
//! Calls that the helper answers with `null` when it is missing from the
//! document (a page loaded before the session installed it) have an
//! `Option` reply: the engine installs the helper and asks again.

use super::probe::{Answer, ClickReport, Locate, Spec};
use super::toasts::Drain;
use crate::browser::{Call, Clip};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The last toast sequence number the run has seen from each recorder
/// store; the page answers with the toasts after them.
pub type Cursors = BTreeMap<String, u64>;

/// Declares a call whose script is a fixed string.
macro_rules! fixed_script {
    ($name:literal, $script:expr) => {
        const NAME: &'static str = $name;
        fn script(&self) -> Cow<'static, str> {
            Cow::Borrowed($script)
        }
    };
}

/// One poll: resolves the target and drains new toasts in the same round trip.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub spec: Spec,
    pub cursors: Cursors,
}

/// A poll's answer with the toasts drained alongside it.
#[derive(Debug, Clone, Deserialize)]
pub struct Probed {
    pub probe: Answer,
    pub toasts: Drain,
}

impl Call for Probe {
    type Reply = Option<Probed>;
    fixed_script!(
        "probe",
        "const [spec, cursors] = arguments;
if (!window.__docent) return null;
return window.__docent.probe(spec).then((probe) => ({ probe, toasts: window.__docent.toasts(cursors) }));"
    );
    fn args(&self) -> Vec<Value> {
        vec![json!(self.spec), json!(self.cursors)]
    }
}

/// New toasts, at once.
#[derive(Debug, Clone, PartialEq)]
pub struct Toasts {
    pub cursors: Cursors,
}

impl Call for Toasts {
    type Reply = Option<Drain>;
    fixed_script!(
        "toasts",
        "return window.__docent ? window.__docent.toasts(arguments[0]) : null;"
    );
    fn args(&self) -> Vec<Value> {
        vec![json!(self.cursors)]
    }
}

/// New toasts, waiting up to `pace` ms for a DOM change when there are none yet.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitToasts {
    pub cursors: Cursors,
    pub pace: u64,
}

impl Call for WaitToasts {
    type Reply = Option<Drain>;
    fixed_script!(
        "waitToasts",
        "const [cursors, pace] = arguments;
if (!window.__docent) return null;
return window.__docent.waitToasts(cursors, pace);"
    );
    fn args(&self) -> Vec<Value> {
        vec![json!(self.cursors), json!(self.pace)]
    }
}

/// The visible texts of the page, for "did you mean".
#[derive(Debug, Clone, PartialEq)]
pub struct VisibleTexts;

impl Call for VisibleTexts {
    type Reply = Vec<String>;
    fixed_script!(
        "visibleTexts",
        "return window.__docent ? window.__docent.visibleTexts() : [];"
    );
    fn args(&self) -> Vec<Value> {
        vec![]
    }
}

/// What the click guard saw of the last click, with the toasts so far.
#[derive(Debug, Clone, PartialEq)]
pub struct AfterClick {
    pub cursors: Cursors,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Clicked {
    /// `None` when no guarded press was seen (the click loaded a new page).
    pub click: Option<ClickReport>,
    pub toasts: Drain,
}

impl Call for AfterClick {
    type Reply = Option<Clicked>;
    fixed_script!(
        "afterClick",
        "return window.__docent ? window.__docent.afterClick(arguments[0]) : null;"
    );
    fn args(&self) -> Vec<Value> {
        vec![json!(self.cursors)]
    }
}

/// Whether the console is still working on a click's answer, with the
/// toasts so far; `settle` gives a finished console one poll interval to
/// show its toast.
#[derive(Debug, Clone, PartialEq)]
pub struct Answering {
    pub cursors: Cursors,
    pub pace: u64,
    pub settle: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Working {
    /// What shows the console working, or `None` when it is done.
    pub busy: Option<String>,
    pub toasts: Drain,
}

impl Call for Answering {
    type Reply = Option<Working>;
    fixed_script!(
        "answering",
        "const [cursors, pace, settle] = arguments;
return window.__docent ? window.__docent.answering(cursors, pace, settle) : null;"
    );
    fn args(&self) -> Vec<Value> {
        vec![json!(self.cursors), json!(self.pace), json!(self.settle)]
    }
}

/// Whether the page is at rest for a figure, waiting up to `pace` ms.
#[derive(Debug, Clone, PartialEq)]
pub struct Settled {
    pub pace: u64,
}

impl Call for Settled {
    type Reply = Option<Answer>;
    fixed_script!(
        "settled",
        "return window.__docent ? window.__docent.settled(arguments[0]) : null;"
    );
    fn args(&self) -> Vec<Value> {
        vec![json!(self.pace)]
    }
}

/// The DOM with its shadow roots, for `failure.html`.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot;

impl Call for Snapshot {
    type Reply = Option<String>;
    fixed_script!(
        "snapshot",
        "return window.__docent ? window.__docent.snapshot() : null;"
    );
    fn args(&self) -> Vec<Value> {
        vec![]
    }
}

/// Prepares the page for one figure: takes `remove` masks out of the
/// layout, then paints `hide` masks over and outlines highlights, and
/// measures `ignore` masks. [`Undecorate`] puts the page back as it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Decorate {
    pub highlights: Vec<Locate>,
    pub masks: Vec<MaskSpec>,
    /// The figure is compared with a baseline: transitions off, finite
    /// animations finished, endless ones held at their start, no caret.
    pub steady: bool,
}

/// One mask as the page reads it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaskSpec {
    pub locate: Locate,
    /// `hide`, `remove` or `ignore`.
    pub mode: &'static str,
}

/// What [`Decorate`] did.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Decorated {
    /// Labels of the highlights with no visible match.
    pub missing: Vec<String>,
    /// Indexes (into [`Decorate::masks`]) of the masks with no visible match.
    pub unmatched: Vec<usize>,
    /// The boxes of the `ignore` masks, in document coordinates.
    pub ignored: Vec<Clip>,
    /// How far the page was scrolled when they were measured.
    pub scroll_x: f64,
    pub scroll_y: f64,
}

impl Call for Decorate {
    type Reply = Decorated;
    fixed_script!(
        "decorate",
        "return window.__docent.decorate(arguments[0], arguments[1], arguments[2]);"
    );
    fn args(&self) -> Vec<Value> {
        vec![
            json!(self.highlights),
            json!(self.masks),
            json!(self.steady),
        ]
    }
}

/// Removes what [`Decorate`] drew.
#[derive(Debug, Clone, PartialEq)]
pub struct Undecorate;

impl Call for Undecorate {
    type Reply = bool;
    fixed_script!("undecorate", "return window.__docent.undecorate();");
    fn args(&self) -> Vec<Value> {
        vec![]
    }
}

/// The whole document's rectangle, for a full-page figure.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRect;

impl Call for PageRect {
    type Reply = Clip;
    fixed_script!("pageRect", "return window.__docent.pageRect();");
    fn args(&self) -> Vec<Value> {
        vec![]
    }
}

/// An element's rectangle in the document, for a figure of it.
#[derive(Debug, Clone, PartialEq)]
pub struct DocRect {
    pub locate: Locate,
}

impl Call for DocRect {
    type Reply = Option<Clip>;
    fixed_script!("docRect", "return window.__docent.docRect(arguments[0]);");
    fn args(&self) -> Vec<Value> {
        vec![json!(self.locate)]
    }
}

/// Focuses a field and selects its content, so typing replaces it.
#[derive(Debug, Clone, PartialEq)]
pub struct FocusForFill {
    pub spec: Spec,
}

impl Call for FocusForFill {
    /// Whether the field was there to focus.
    type Reply = bool;
    fixed_script!(
        "focusForFill",
        "return window.__docent.focusForFill(arguments[0]);"
    );
    fn args(&self) -> Vec<Value> {
        vec![json!(self.spec)]
    }
}

/// Deletes the selection in the focused field (typing "" into it).
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteSelection;

impl Call for DeleteSelection {
    type Reply = bool;
    fixed_script!(
        "deleteSelection",
        "document.execCommand('delete'); return true;"
    );
    fn args(&self) -> Vec<Value> {
        vec![]
    }
}

/// A field's value (or an element's text).
#[derive(Debug, Clone, PartialEq)]
pub struct ValueOf {
    pub spec: Spec,
}

impl Call for ValueOf {
    type Reply = Option<String>;
    fixed_script!("valueOf", "return window.__docent.valueOf(arguments[0]);");
    fn args(&self) -> Vec<Value> {
        vec![json!(self.spec)]
    }
}

/// Picks an option of a native `<select>` by its text.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectNative {
    pub locate: Locate,
    pub option: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Selected {
    /// The element is a native `<select>` (otherwise nothing was done).
    pub native: bool,
    /// The option was there and is now selected.
    pub ok: bool,
    /// The options it has, when the wanted one is not among them.
    pub options: Vec<String>,
}

impl Call for SelectNative {
    type Reply = Selected;
    fixed_script!(
        "selectNative",
        "return window.__docent.selectNative(arguments[0], arguments[1]);"
    );
    fn args(&self) -> Vec<Value> {
        vec![json!(self.locate), json!(self.option)]
    }
}

/// The element a target finds, as a WebDriver reference, with where its
/// content box starts in the viewport: for entering a frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub locate: Locate,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FoundElement {
    /// The WebDriver element reference.
    pub element: Value,
    pub tag: String,
    pub x: f64,
    pub y: f64,
}

impl Call for Element {
    type Reply = Option<FoundElement>;
    fixed_script!("element", "return window.__docent.element(arguments[0]);");
    fn args(&self) -> Vec<Value> {
        vec![json!(self.locate)]
    }
}

/// Where the current document is.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Place {
    pub url: String,
    pub title: String,
}

/// The URL and title, after waiting up to `pace` ms for a DOM change
/// (none when `pace` is 0); answered without the helper too.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub pace: u64,
}

impl Call for Location {
    type Reply = Place;
    fixed_script!(
        "location",
        "return window.__docent ? window.__docent.location(arguments[0]) : { url: document.URL, title: document.title };"
    );
    fn args(&self) -> Vec<Value> {
        vec![json!(self.pace)]
    }
}

/// The error code of the browser's own error page (`net::ERR_…`), or its title.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCode;

impl Call for ErrorCode {
    type Reply = Option<String>;
    fixed_script!(
        "errorCode",
        "const c = document.querySelector('.error-code'); return c ? c.textContent.trim() : document.title;"
    );
    fn args(&self) -> Vec<Value> {
        vec![]
    }
}

/// Whether the browser can still reach the server the current document
/// came from: one `HEAD` request to its origin, bounded by `within_ms`.
/// Asked only after a step failed, so a console that went away is named
/// as such instead of being read as a page without the step's target.
/// Answered without the helper, on any document.
#[derive(Debug, Clone, PartialEq)]
pub struct Reachable {
    pub within_ms: u64,
}

/// The answer to [`Reachable`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Reach {
    /// The origin asked, e.g. `http://127.0.0.1:8480`; empty for a
    /// document that has no web origin (nothing was asked then).
    pub origin: String,
    /// What went wrong: the browser's reason when the request failed, or
    /// `timeout` when it was not answered in time; `None` when it was
    /// answered (whatever its status) or could not be asked.
    pub failed: Option<String>,
}

impl Call for Reachable {
    type Reply = Reach;
    // A content security policy that forbids the request makes it fail
    // too; its violation event (which comes a task later) says the
    // failure tells nothing of the server.
    fixed_script!(
        "reachable",
        "const [within] = arguments;
if (!/^https?:$/.test(location.protocol)) return { origin: '', failed: null };
const origin = location.origin;
const abort = new AbortController();
let forbidden = false;
const onViolation = () => { forbidden = true; };
document.addEventListener('securitypolicyviolation', onViolation);
const timer = setTimeout(() => abort.abort(), within);
const settle = (failed) => new Promise((resolve) => setTimeout(() => {
  clearTimeout(timer);
  document.removeEventListener('securitypolicyviolation', onViolation);
  resolve({ origin, failed: forbidden ? null : failed });
}, 0));
return fetch(origin + '/', { method: 'HEAD', cache: 'no-store', credentials: 'omit', redirect: 'manual', signal: abort.signal })
  .then(() => settle(null), (e) => settle(abort.signal.aborted ? 'timeout' : String((e && e.message) || e)));"
    );
    fn args(&self) -> Vec<Value> {
        vec![json!(self.within_ms)]
    }
}

/// Installs the helper in the current document (with the runbook's toast
/// selectors), for a document the session's init script did not reach.
#[derive(Debug, Clone, PartialEq)]
pub struct Install {
    pub script: String,
}

impl Call for Install {
    type Reply = bool;
    const NAME: &'static str = "install";
    fn script(&self) -> Cow<'static, str> {
        Cow::Owned(format!("{}\nreturn true;", self.script))
    }
    fn args(&self) -> Vec<Value> {
        vec![]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::probe::{Mode, Scope};
    use crate::runbook::{Locator, Matcher, Target};

    // The page reads these field names and words; a rename on either side
    // must show here.
    #[test]
    fn a_probe_spec_is_the_json_the_page_reads() {
        let mut target = Target::new(Locator::Text(Matcher::Exact("  Next ".into())));
        target.row = Some("tracker-1".into());
        target.nth = Some(2);
        let spec = Spec::new(&target, Mode::Action, Scope::Dialog).armed();
        assert_eq!(
            json!(spec),
            json!({
                "locator": { "kind": "text", "match": { "kind": "exact", "value": "Next" } },
                "row": "tracker-1",
                "within": null,
                "nth": 2,
                "label": target.to_string(),
                "mode": "action",
                "scope": "dialog",
                "pace": 100,
                "editable": false,
                "arm": true,
            })
        );
        let spec = Spec::switch(&Target::new(Locator::TestId("t".into())));
        let json = json!(spec);
        assert_eq!(json["before"], json!(true));
        assert_eq!(json["scope"], Value::Null);
        assert_eq!(json["locator"], json!({ "kind": "testid", "value": "t" }));
        assert!(json.get("arm").is_none());
    }

    #[test]
    fn probe_answers_decode_by_status() {
        let ok: Answer =
            serde_json::from_value(json!({ "status": "ok", "x": 3.0, "y": 4.0, "count": 1 }))
                .unwrap();
        assert!(matches!(ok, Answer::Ok(found) if found.x == Some(3.0) && found.y == Some(4.0)));
        let wait: Answer = serde_json::from_value(
            json!({ "status": "wait", "reason": "not found", "hidden": ["a"], "dialog": null }),
        )
        .unwrap();
        assert_eq!(wait.reason(), "not found");
        let ambiguous: Answer =
            serde_json::from_value(json!({ "status": "ambiguous", "candidates": ["a", "b"] }))
                .unwrap();
        assert_eq!(
            ambiguous,
            Answer::Ambiguous {
                candidates: vec!["a".into(), "b".into()]
            }
        );
        assert!(serde_json::from_value::<Answer>(json!({ "status": "maybe" })).is_err());
    }
}

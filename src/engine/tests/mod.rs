//! The engine's decisions, without a browser: a scripted [`Page`] answers
//! the typed page calls (and panics on any call it was not scripted for),
//! and the tests check what the engine asked, what it did (clicks) and how
//! the steps ended.

//!
//! The tests are grouped by what they decide: [`actions`] (clicks, toggles,
//! toasts, strictness, frames), [`flow`] (optional, retry, when, stored
//! values, `--max-duration`) and [`figures`] (baselines and masks).

use super::*;
use crate::browser::Call;
use crate::runbook::{LoadOptions, parse};
use serde_json::{Value, json};
use std::any::Any;
use std::cell::RefCell;
use std::collections::VecDeque;

mod actions;
mod figures;
mod flow;
mod steady;

/// Answers probes from a queue (the last answer repeats) and records clicks.
#[derive(Default)]
struct ScriptedPage {
    probes: RefCell<VecDeque<Value>>,
    toasts: RefCell<Vec<Value>>,
    clicks: RefCell<Vec<(f64, f64)>>,
    /// Every point the pointer was moved to without a press.
    hovers: RefCell<Vec<(f64, f64)>>,
    /// What the page's click guard says after each click (none: no report).
    click_reports: RefCell<VecDeque<Value>>,
    /// What the page says of the console's work after each click, one
    /// answer per look (none left: at rest); a `toast` key adds a toast.
    answers: RefCell<VecDeque<Value>>,
    texts: Vec<&'static str>,
    /// Every probe request the engine sent, in order.
    specs: RefCell<Vec<probe::Spec>>,
    /// Answers for targets whose label contains the key, before the queue.
    by_label: RefCell<Vec<(&'static str, Value)>>,
    /// What the page answers when the engine asks for an element (frames).
    element: Option<Value>,
    /// Every URL the engine navigated to, in order.
    visited: RefCell<Vec<String>>,
    /// Why a request to the page's server fails (none: it answers).
    unreachable: Option<&'static str>,
    /// What a screenshot of the page gives (none: a stand-in that is no image).
    png: Option<Vec<u8>>,
    /// What the first screenshots give, one each, before `png`: a page
    /// still changing.
    frames: RefCell<VecDeque<Vec<u8>>>,
    /// What the page answers when asked to decorate a figure.
    decorated: Value,
    /// The masks of every decorate call, as sent; then whether the page was
    /// put back (`"undecorate"`).
    decorations: RefCell<Vec<Value>>,
}

impl ScriptedPage {
    fn answering(probes: Vec<Value>) -> Self {
        ScriptedPage {
            probes: RefCell::new(probes.into()),
            ..Default::default()
        }
    }

    fn next_probe(&self) -> Value {
        let mut probes = self.probes.borrow_mut();
        if probes.len() > 1 {
            probes.pop_front().unwrap()
        } else {
            probes[0].clone()
        }
    }

    fn toast_list(&self) -> Value {
        json!({ "stores": [{ "id": "store", "items": self.toasts.borrow().clone() }], "bad": [] })
    }
}

impl Page for ScriptedPage {
    async fn goto(&self, url: &str) -> Result<(), BrowserError> {
        self.visited.borrow_mut().push(url.to_string());
        Ok(())
    }
    async fn eval(&self, script: &str, _args: Vec<Value>) -> Result<Value, BrowserError> {
        panic!("the engine ran a script outside the page protocol: {script}")
    }
    async fn call<C: Call>(&self, call: &C) -> Result<C::Reply, BrowserError> {
        let call: &dyn Any = call;
        let answer = if let Some(probe) = call.downcast_ref::<protocol::Probe>() {
            self.specs.borrow_mut().push(probe.spec.clone());
            let scripted = self.by_label.borrow().iter().find_map(|(key, answer)| {
                probe
                    .spec
                    .locate
                    .label
                    .contains(key)
                    .then(|| answer.clone())
            });
            let mut answer = scripted.unwrap_or_else(|| self.next_probe());
            if let Some(toast) = answer.as_object_mut().and_then(|a| a.remove("toast")) {
                self.toasts.borrow_mut().push(toast);
            }
            json!({ "probe": answer, "toasts": self.toast_list() })
        } else if call.is::<protocol::Toasts>() || call.is::<protocol::WaitToasts>() {
            self.toast_list()
        } else if call.is::<protocol::Answering>() {
            let answer = self.answers.borrow_mut().pop_front().unwrap_or(Value::Null);
            if let Some(toast) = answer.get("toast") {
                self.toasts.borrow_mut().push(toast.clone());
            }
            json!({ "busy": answer.get("busy").cloned().unwrap_or(Value::Null), "toasts": self.toast_list() })
        } else if call.is::<protocol::AfterClick>() {
            let click = self.click_reports.borrow_mut().pop_front();
            json!({ "click": click, "toasts": self.toast_list() })
        } else if call.is::<protocol::VisibleTexts>() {
            json!(self.texts)
        } else if call.is::<protocol::Settled>() {
            json!({ "status": "ok" })
        } else if call.is::<protocol::Location>() {
            json!({ "url": "http://127.0.0.1/page", "title": "Page" })
        } else if call.is::<protocol::Snapshot>() {
            Value::Null
        } else if call.is::<protocol::Element>() {
            self.element.clone().expect("no element scripted")
        } else if call.is::<protocol::Reachable>() {
            json!({ "origin": "http://127.0.0.1", "failed": self.unreachable })
        } else if let Some(decorate) = call.downcast_ref::<protocol::Decorate>() {
            self.decorations
                .borrow_mut()
                .push(json!({ "masks": decorate.masks, "steady": decorate.steady }));
            // Unscripted: nothing to highlight or mask was found wanting.
            if self.decorated.is_null() {
                json!({})
            } else {
                self.decorated.clone()
            }
        } else if call.is::<protocol::Undecorate>() {
            self.decorations.borrow_mut().push(json!("undecorate"));
            json!(true)
        } else if call.is::<protocol::Install>() {
            json!(true)
        } else {
            panic!(
                "the scripted page has no answer for the page call `{}`",
                C::NAME
            )
        };
        Ok(serde_json::from_value(answer).unwrap_or_else(|e| {
            panic!("the scripted answer to `{}` does not decode: {e}", C::NAME)
        }))
    }
    async fn click_at(&self, x: f64, y: f64) -> Result<(), BrowserError> {
        self.clicks.borrow_mut().push((x, y));
        Ok(())
    }
    async fn insert_text(&self, _text: &str) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        if let Some(frame) = self.frames.borrow_mut().pop_front() {
            return Ok(frame);
        }
        Ok(self.png.clone().unwrap_or_else(|| b"\x89PNG".to_vec()))
    }
    async fn html(&self) -> Result<String, BrowserError> {
        Ok("<html></html>".into())
    }
    async fn url(&self) -> Result<String, BrowserError> {
        Ok("http://127.0.0.1/page".into())
    }
    async fn back(&self) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn reload(&self) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn hover_at(&self, x: f64, y: f64) -> Result<(), BrowserError> {
        self.hovers.borrow_mut().push((x, y));
        Ok(())
    }
    async fn double_click_at(&self, x: f64, y: f64) -> Result<(), BrowserError> {
        self.clicks.borrow_mut().push((x, y));
        self.clicks.borrow_mut().push((x, y));
        Ok(())
    }
    async fn press(&self, _keys: &[crate::runbook::KeyCombo]) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn dialog_text(&self) -> Result<Option<String>, BrowserError> {
        Ok(None)
    }
    async fn answer_dialog(&self, _accept: bool, _text: Option<&str>) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn enter_frame(&self, _element: Value, _origin: (f64, f64)) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn leave_frame(&self) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn windows(&self) -> Result<Vec<String>, BrowserError> {
        Ok(vec!["main".into()])
    }
    async fn switch_window(&self, _handle: &str) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn screenshot_clip(&self, _clip: crate::browser::Clip) -> Result<Vec<u8>, BrowserError> {
        Ok(b"\x89PNG".to_vec())
    }
}

#[derive(Default)]
struct Collect(Vec<Event>);

impl Reporter for Collect {
    fn event(&mut self, event: &Event) {
        self.0.push(event.clone());
    }
}

async fn run_steps(steps: &str, page: &ScriptedPage) -> (RunStatus, Vec<Outcome>) {
    run_steps_with(steps, page, |_| {}).await
}

async fn run_steps_with(
    steps: &str,
    page: &ScriptedPage,
    adjust: impl FnOnce(&mut RunOptions),
) -> (RunStatus, Vec<Outcome>) {
    let source = format!("name: t\nurl: http://127.0.0.1\ntimeout: 300ms\nsteps:\n{steps}");
    let book = parse(
        &source,
        std::path::Path::new("t.yaml"),
        &LoadOptions::default(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut options = RunOptions::new(dir.path().to_path_buf());
    adjust(&mut options);
    let mut events = Collect::default();
    let verdict = run(page, &book, &options, &mut events).await;
    let outcomes = events
        .0
        .into_iter()
        .filter_map(|e| match e {
            Event::StepFinished { outcome, .. } => Some(outcome),
            _ => None,
        })
        .collect();
    (verdict, outcomes)
}

fn ok_at(x: f64, y: f64) -> Value {
    json!({ "status": "ok", "x": x, "y": y, "state": null })
}

fn failure(outcome: &Outcome) -> &StepFailure {
    match outcome {
        Outcome::Failed(failure) | Outcome::Tolerated(failure) => failure,
        other => panic!("expected a failure, got {other:?}"),
    }
}

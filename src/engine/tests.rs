//! The engine's decisions, without a browser: a scripted [`Page`] answers
//! the probe, and the tests check what the engine did (clicks) and how the
//! steps ended.

use super::*;
use crate::runbook::{LoadOptions, parse};
use serde_json::{Value, json};
use std::cell::RefCell;
use std::collections::VecDeque;

/// Answers probes from a queue (the last answer repeats) and records clicks.
#[derive(Default)]
struct ScriptedPage {
    probes: RefCell<VecDeque<Value>>,
    toasts: RefCell<Vec<Value>>,
    clicks: RefCell<Vec<(f64, f64)>>,
    /// What the page's click guard says after each click (none: no report).
    click_reports: RefCell<VecDeque<Value>>,
    /// What the page says of the console's work after each click, one
    /// answer per look (none left: at rest); a `toast` key adds a toast.
    answers: RefCell<VecDeque<Value>>,
    texts: Vec<&'static str>,
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
    async fn goto(&self, _url: &str) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn eval(&self, script: &str, _args: Vec<Value>) -> Result<Value, BrowserError> {
        Ok(if script.contains("probe(spec)") {
            let probe = self.next_probe();
            if let Some(toast) = probe.get("toast") {
                self.toasts.borrow_mut().push(toast.clone());
            }
            json!({ "probe": probe, "toasts": self.toast_list() })
        } else if script.contains("waitToasts") || script.contains("toasts(arguments[0])") {
            self.toast_list()
        } else if script.contains("answering") {
            let answer = self.answers.borrow_mut().pop_front().unwrap_or(Value::Null);
            if let Some(toast) = answer.get("toast") {
                self.toasts.borrow_mut().push(toast.clone());
            }
            json!({ "busy": answer.get("busy").cloned().unwrap_or(Value::Null), "toasts": self.toast_list() })
        } else if script.contains("afterClick") {
            let click = self.click_reports.borrow_mut().pop_front();
            json!({ "click": click, "toasts": self.toast_list() })
        } else if script.contains("visibleTexts") {
            json!(self.texts)
        } else if script.contains("settled") {
            json!({ "status": "ok" })
        } else {
            json!(true)
        })
    }
    async fn click_at(&self, x: f64, y: f64) -> Result<(), BrowserError> {
        self.clicks.borrow_mut().push((x, y));
        Ok(())
    }
    async fn insert_text(&self, _text: &str) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        Ok(b"\x89PNG".to_vec())
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
    async fn hover_at(&self, _x: f64, _y: f64) -> Result<(), BrowserError> {
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
    async fn enter_frame(&self, _element: Value) -> Result<(), BrowserError> {
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

async fn run_steps(steps: &str, page: &ScriptedPage) -> (Verdict, Vec<Outcome>) {
    let source = format!("name: t\nurl: http://127.0.0.1\ntimeout: 300ms\nsteps:\n{steps}");
    let book = parse(
        &source,
        std::path::Path::new("t.yaml"),
        &LoadOptions::default(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let options = RunOptions::new(dir.path().to_path_buf());
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

#[tokio::test]
async fn toggle_that_already_holds_does_nothing() {
    let page = ScriptedPage::answering(vec![
        json!({ "status": "ok", "state": true }),
        ok_at(5.0, 5.0),
    ]);
    let (verdict, outcomes) =
        run_steps("  - toggle: { label: Transfer to LTS, to: on }\n", &page).await;
    assert_eq!(verdict, Verdict::Passed);
    assert_eq!(
        outcomes,
        [Outcome::Passed {
            note: Some("already on".into())
        }]
    );
    assert!(page.clicks.borrow().is_empty());
}

#[tokio::test]
async fn a_disabled_switch_fails_at_once_even_in_the_wanted_state() {
    // The page refuses a disabled switch at rest outright ("invalid"): the
    // step fails on the first look, with no click and no waiting.
    let page = ScriptedPage::answering(vec![json!({
        "status": "invalid",
        "reason": "<button[role=switch]> is disabled; its tooltip says \"Not supported here.\""
    })]);
    let started = std::time::Instant::now();
    let (verdict, outcomes) = run_steps("  - toggle: { label: CTS, to: off }\n", &page).await;
    assert_eq!(verdict, Verdict::Failed);
    let Outcome::Failed(failure) = &outcomes[0] else {
        panic!()
    };
    assert_eq!(
        failure.found,
        "<button[role=switch]> is disabled; its tooltip says \"Not supported here.\""
    );
    assert!(page.clicks.borrow().is_empty());
    assert!(started.elapsed() < std::time::Duration::from_millis(300));
}

#[tokio::test]
async fn an_error_answered_after_a_busy_click_fails_the_click() {
    // The button shows its loading state, then the console is done, and
    // its error toast is drawn a moment later: it still belongs to the click.
    let page = ScriptedPage::answering(vec![ok_at(1.0, 1.0)]);
    page.answers.borrow_mut().extend([
        json!({ "busy": "<button> \"Configure\" is loading" }),
        json!({ "busy": null }),
        json!({ "busy": null, "toast": { "seq": 1, "text": "Operation failed.", "kind": "error" } }),
    ]);
    let (verdict, outcomes) = run_steps("  - click: Configure\n  - expect: Done\n", &page).await;
    assert_eq!(verdict, Verdict::Failed);
    assert_eq!(outcomes.len(), 1, "the click failed, not the step after it");
    let Outcome::Failed(failure) = &outcomes[0] else {
        panic!()
    };
    assert_eq!(failure.found, "an error toast \"Operation failed.\"");
}

#[tokio::test]
async fn an_error_is_left_to_an_expect_toast_after_figures_and_checks() {
    let page = ScriptedPage::answering(vec![ok_at(1.0, 1.0)]);
    page.answers.borrow_mut().push_back(
        json!({ "busy": null, "toast": { "seq": 1, "text": "Operation failed.", "kind": "error" } }),
    );
    let (verdict, outcomes) = run_steps(
        "  - click: Configure\n  - screenshot: refused\n  - expect: Configure\n  - expect_toast: { text: Operation failed., kind: error }\n",
        &page,
    )
    .await;
    assert_eq!(verdict, Verdict::Passed, "{outcomes:?}");
    // An interaction in between ends the hand-over: the click answers for it.
    let page = ScriptedPage::answering(vec![ok_at(1.0, 1.0)]);
    page.answers.borrow_mut().push_back(
        json!({ "busy": null, "toast": { "seq": 1, "text": "Operation failed.", "kind": "error" } }),
    );
    let (verdict, _) = run_steps(
        "  - click: Configure\n  - click: Next\n  - expect_toast: { text: Operation failed., kind: error }\n",
        &page,
    )
    .await;
    assert_eq!(verdict, Verdict::Failed);
}

#[tokio::test]
async fn toggle_clicks_confirms_and_waits_for_the_state() {
    let page = ScriptedPage::answering(vec![
        json!({ "status": "ok", "state": true }),
        json!({ "status": "wait", "reason": "covered by <div.loading-mask>" }),
        ok_at(10.0, 20.0),
        json!({ "status": "wait", "reason": "no dialog is open" }),
        ok_at(30.0, 40.0),
        json!({ "status": "ok", "state": true, "busy": true }),
        json!({ "status": "ok", "state": false, "busy": true }),
        json!({ "status": "ok", "state": false, "busy": false }),
    ]);
    let (verdict, _) = run_steps("  - toggle: { label: CTS, to: off, confirm: OK }\n", &page).await;
    assert_eq!(verdict, Verdict::Passed);
    assert_eq!(*page.clicks.borrow(), [(10.0, 20.0), (30.0, 40.0)]);
    assert!(
        page.probes.borrow().len() == 1,
        "every scripted answer was used"
    );
}

#[tokio::test]
async fn an_error_toast_fails_the_step_it_appears_in() {
    let page = ScriptedPage::answering(vec![json!({
        "status": "wait", "reason": "not found",
        "toast": { "seq": 1, "text": "Operation failed.", "kind": "error" }
    })]);
    let (verdict, outcomes) = run_steps("  - expect: Enabled\n", &page).await;
    assert_eq!(verdict, Verdict::Failed);
    let Outcome::Failed(failure) = &outcomes[0] else {
        panic!()
    };
    assert_eq!(
        failure.found,
        "the console showed an error toast \"Operation failed.\""
    );
}

#[tokio::test]
async fn a_missing_target_is_explained_with_the_closest_texts() {
    let mut page =
        ScriptedPage::answering(vec![json!({ "status": "wait", "reason": "not found" })]);
    page.texts = vec!["Next", "Previous", "Cancel", "Tracker List"];
    let (verdict, outcomes) = run_steps("  - click: Nxt\n", &page).await;
    assert_eq!(verdict, Verdict::Failed);
    let Outcome::Failed(failure) = &outcomes[0] else {
        panic!()
    };
    assert_eq!(failure.looked_for, "\"Nxt\" to be clickable");
    assert_eq!(
        failure.found,
        "not found; the page has \"Next\" (at http://127.0.0.1/page)"
    );
}

#[tokio::test]
async fn expect_toast_matches_toasts_since_the_last_action_once() {
    let page = ScriptedPage::answering(vec![json!({
        "status": "ok", "x": 1.0, "y": 1.0,
        "toast": { "seq": 1, "text": "Operation successfully!", "kind": "success" }
    })]);
    let (verdict, outcomes) = run_steps(
        "  - click: Save\n  - expect_toast: Operation successfully!\n  - expect_toast: Operation successfully!\n",
        &page,
    )
    .await;
    assert_eq!(verdict, Verdict::Failed);
    assert_eq!(outcomes[1], Outcome::Passed { note: None });
    let Outcome::Failed(failure) = &outcomes[2] else {
        panic!()
    };
    assert_eq!(
        failure.found,
        "toasts seen: \"Operation successfully!\" (success)"
    );
}

#[test]
fn a_wait_tells_what_the_page_showed_meanwhile_and_for_how_long() {
    let start = std::time::Instant::now();
    let at = |ms: u64| start + Duration::from_millis(ms);
    let mut story = waiting::Story::default();
    story.saw_at("not found", at(0));
    story.saw_at("covered by <div.loading-mask>", at(400));
    story.saw_at("covered by <div.loading-mask>", at(5_000));
    story.saw_at("not found", at(10_000));
    story.saw_at("<button> is disabled", at(10_020));
    story.saw_at("<button> is disabled", at(10_500));
    assert_eq!(
        story.told().unwrap(),
        "not found for 420ms, then covered by <div.loading-mask> for 9.6s, then <button> is disabled for 480ms"
    );
    let mut plain = waiting::Story::default();
    plain.saw_at("not found", at(0));
    plain.saw_at("not found", at(3_000));
    assert_eq!(
        plain.told(),
        None,
        "one reason all along is the failure itself"
    );
}

#[tokio::test]
async fn a_click_that_would_land_on_a_re_rendered_neighbour_is_aimed_again() {
    let page = ScriptedPage::answering(vec![ok_at(10.0, 20.0), ok_at(11.0, 21.0)]);
    page.click_reports
        .borrow_mut()
        .push_back(json!({ "ok": false, "hit": "<button> \"Open\" (row Bravo)" }));
    page.click_reports
        .borrow_mut()
        .push_back(json!({ "ok": true, "hit": "<button> \"Open\"" }));
    let (verdict, _) = run_steps("  - click: Open\n", &page).await;
    assert_eq!(verdict, Verdict::Passed);
    assert_eq!(*page.clicks.borrow(), [(10.0, 20.0), (11.0, 21.0)]);
}

#[tokio::test]
async fn an_error_toast_after_the_last_poll_still_fails_the_step() {
    // The toast arrives with the click's answer, after the step's only poll.
    let page = ScriptedPage::answering(vec![ok_at(1.0, 1.0)]);
    page.click_reports.borrow_mut().push_back(Value::Null);
    page.toasts
        .borrow_mut()
        .push(json!({ "seq": 1, "text": "Quota exceeded", "kind": "error" }));
    let (verdict, outcomes) = run_steps("  - click: Save\n", &page).await;
    assert_eq!(verdict, Verdict::Failed);
    let Outcome::Failed(failure) = &outcomes[0] else {
        panic!()
    };
    assert_eq!(failure.found, "an error toast \"Quota exceeded\"");
}

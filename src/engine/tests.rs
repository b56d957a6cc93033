//! The engine's decisions, without a browser: a scripted [`Page`] answers
//! the typed page calls (and panics on any call it was not scripted for),
//! and the tests check what the engine asked, what it did (clicks) and how
//! the steps ended.

use super::*;
use crate::browser::Call;
use crate::runbook::{LoadOptions, parse};
use serde_json::{Value, json};
use std::any::Any;
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
            self.decorations.borrow_mut().push(json!(decorate.masks));
            self.decorated.clone()
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

#[tokio::test]
async fn toggle_that_already_holds_does_nothing() {
    let page = ScriptedPage::answering(vec![
        json!({ "status": "ok", "state": true }),
        ok_at(5.0, 5.0),
    ]);
    let (verdict, outcomes) =
        run_steps("  - toggle: { label: Transfer to LTS, to: on }\n", &page).await;
    assert_eq!(verdict, RunStatus::Passed);
    assert_eq!(outcomes, [Outcome::Passed(Pass::noted("already on"))]);
    assert!(page.clicks.borrow().is_empty());
}

#[tokio::test]
async fn a_disabled_switch_fails_at_once_even_in_the_wanted_state() {
    // The page refuses a disabled switch at rest outright ("invalid"): the
    // step fails on the first look, with no click and no waiting.
    let page = ScriptedPage::answering(vec![json!({
        "status": "invalid",
        "reason": "<button[role=switch]> is disabled; its tooltip says \"Not supported here.\"",
        "disabled": true
    })]);
    let started = std::time::Instant::now();
    let (verdict, outcomes) = run_steps("  - toggle: { label: CTS, to: off }\n", &page).await;
    assert_eq!(verdict, RunStatus::Failed);
    let Outcome::Failed(failure) = &outcomes[0] else {
        panic!()
    };
    assert_eq!(failure.kind, FailureKind::Disabled);
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
    assert_eq!(verdict, RunStatus::Failed);
    assert_eq!(outcomes.len(), 1, "the click failed, not the step after it");
    let Outcome::Failed(failure) = &outcomes[0] else {
        panic!()
    };
    assert_eq!(failure.kind, FailureKind::ErrorToast);
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
    assert_eq!(verdict, RunStatus::Passed, "{outcomes:?}");
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
    assert_eq!(verdict, RunStatus::Failed);
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
    assert_eq!(verdict, RunStatus::Passed);
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
    assert_eq!(verdict, RunStatus::Failed);
    let Outcome::Failed(failure) = &outcomes[0] else {
        panic!()
    };
    assert_eq!(failure.kind, FailureKind::ErrorToast);
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
    assert_eq!(verdict, RunStatus::Failed);
    let Outcome::Failed(failure) = &outcomes[0] else {
        panic!()
    };
    assert_eq!(failure.kind, FailureKind::Missing);
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
    assert_eq!(verdict, RunStatus::Failed);
    assert_eq!(outcomes[1], Outcome::passed());
    let Outcome::Failed(failure) = &outcomes[2] else {
        panic!()
    };
    assert_eq!(failure.kind, FailureKind::Missing);
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
    assert_eq!(verdict, RunStatus::Passed);
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
    assert_eq!(verdict, RunStatus::Failed);
    let Outcome::Failed(failure) = &outcomes[0] else {
        panic!()
    };
    assert_eq!(failure.found, "an error toast \"Quota exceeded\"");
}

fn failure(outcome: &Outcome) -> &StepFailure {
    match outcome {
        Outcome::Failed(failure) | Outcome::Tolerated(failure) => failure,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test]
async fn a_target_that_stays_ambiguous_fails_after_the_grace_without_a_click() {
    let page = ScriptedPage::answering(vec![json!({
        "status": "ambiguous", "candidates": ["<button> \"Edit\" (row a)", "<button> \"Edit\" (row b)"]
    })]);
    let started = std::time::Instant::now();
    let (verdict, outcomes) = run_steps("  - click: Edit\n    timeout: 5s\n", &page).await;
    assert_eq!(verdict, RunStatus::Failed);
    let failure = failure(&outcomes[0]);
    assert_eq!(failure.kind, FailureKind::Ambiguous);
    assert_eq!(failure.looked_for, "exactly one \"Edit\"");
    assert!(
        failure
            .found
            .starts_with("2 matches; docent never guesses.")
            && failure.found.contains("      - <button> \"Edit\" (row b)"),
        "{}",
        failure.found
    );
    // Strictness ends the wait after the grace, long before the timeout.
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(page.clicks.borrow().is_empty());
}

#[tokio::test]
async fn a_brief_ambiguity_while_the_page_changes_is_waited_out() {
    let page = ScriptedPage::answering(vec![
        json!({ "status": "ambiguous", "candidates": ["a", "b"] }),
        ok_at(3.0, 4.0),
    ]);
    let (verdict, _) = run_steps("  - click: Edit\n", &page).await;
    assert_eq!(verdict, RunStatus::Passed);
    assert_eq!(*page.clicks.borrow(), [(3.0, 4.0)]);
}

#[tokio::test]
async fn an_optional_step_that_fails_is_tolerated_and_the_run_goes_on() {
    let page = ScriptedPage::answering(vec![ok_at(7.0, 8.0)]);
    page.by_label.borrow_mut().push((
        "Accept cookies",
        json!({ "status": "wait", "reason": "not found" }),
    ));
    let (verdict, outcomes) = run_steps(
        "  - click: Accept cookies\n    optional: true\n  - click: Next\n",
        &page,
    )
    .await;
    assert_eq!(verdict, RunStatus::Passed);
    assert!(matches!(outcomes[0], Outcome::Tolerated(_)), "{outcomes:?}");
    assert_eq!(
        failure(&outcomes[0]).looked_for,
        "\"Accept cookies\" to be clickable"
    );
    assert_eq!(outcomes[1], Outcome::passed());
    assert_eq!(*page.clicks.borrow(), [(7.0, 8.0)]);
}

#[tokio::test]
async fn max_duration_fails_the_step_it_ends_in_without_retry_or_tolerance() {
    let page = ScriptedPage::answering(vec![ok_at(7.0, 8.0)]);
    page.by_label.borrow_mut().push((
        "Accept cookies",
        json!({ "status": "wait", "reason": "not found" }),
    ));
    let limit = Duration::from_millis(200);
    let (verdict, outcomes) = run_steps_with(
        "  - click: Accept cookies\n    optional: true\n    retry: 3\n    timeout: 20s\n  - click: Next\n",
        &page,
        |options| {
            options.max_duration = Some(super::MaxDuration {
                limit,
                ends: Instant::now() + limit,
            });
        },
    )
    .await;
    assert_eq!(verdict, RunStatus::Failed);
    assert_eq!(outcomes.len(), 1, "nothing runs after it: {outcomes:?}");
    assert!(matches!(outcomes[0], Outcome::Failed(_)), "{outcomes:?}");
    let failure = failure(&outcomes[0]);
    assert_eq!(failure.kind, FailureKind::MaxDuration);
    assert_eq!(
        failure.looked_for,
        "the run to end within --max-duration 200ms"
    );
    assert!(failure.waited < Duration::from_secs(2), "{failure:?}");
    assert!(page.clicks.borrow().is_empty());
}

#[tokio::test]
async fn a_when_that_does_not_hold_skips_the_step_after_one_look() {
    let page = ScriptedPage::answering(vec![ok_at(7.0, 8.0)]);
    page.by_label.borrow_mut().push((
        "Accept cookies",
        json!({ "status": "wait", "reason": "not found" }),
    ));
    let (verdict, outcomes) = run_steps(
        "  - click: Accept cookies\n    when: { visible: Accept cookies }\n  - click: Next\n",
        &page,
    )
    .await;
    assert_eq!(verdict, RunStatus::Passed);
    assert_eq!(
        outcomes[0],
        Outcome::Skipped(Skip::When {
            condition: "\"Accept cookies\" is visible".into()
        })
    );
    let looks = page
        .specs
        .borrow()
        .iter()
        .filter(|s| s.locate.label.contains("Accept cookies"))
        .count();
    assert_eq!(looks, 1, "a `when:` looks once, without waiting");
    assert_eq!(*page.clicks.borrow(), [(7.0, 8.0)]);
}

#[tokio::test]
async fn a_when_that_holds_runs_the_step() {
    let page = ScriptedPage::answering(vec![ok_at(7.0, 8.0)]);
    let (verdict, outcomes) = run_steps(
        "  - click: Accept cookies\n    when: { visible: Accept cookies }\n",
        &page,
    )
    .await;
    assert_eq!(verdict, RunStatus::Passed);
    assert_eq!(outcomes, [Outcome::passed()]);
    assert_eq!(page.clicks.borrow().len(), 1);
}

#[tokio::test]
async fn a_retried_step_passes_on_its_second_attempt() {
    let page = ScriptedPage::answering(vec![
        json!({ "status": "invalid", "reason": "<button> \"Save\" is disabled" }),
        ok_at(1.0, 2.0),
    ]);
    let (verdict, outcomes) = run_steps("  - click: Save\n    retry: 1\n", &page).await;
    assert_eq!(verdict, RunStatus::Passed);
    assert_eq!(
        outcomes,
        [Outcome::Passed(Pass {
            note: None,
            attempt: Some(Attempt { number: 2, of: 2 })
        })]
    );
    assert_eq!(*page.clicks.borrow(), [(1.0, 2.0)]);
}

#[tokio::test]
async fn a_retried_step_that_keeps_failing_fails_with_the_last_attempt() {
    let page = ScriptedPage::answering(vec![json!({
        "status": "invalid", "reason": "<button> \"Save\" is disabled"
    })]);
    let (verdict, outcomes) = run_steps("  - click: Save\n    retry: 2\n", &page).await;
    assert_eq!(verdict, RunStatus::Failed);
    assert_eq!(failure(&outcomes[0]).found, "<button> \"Save\" is disabled");
    assert_eq!(failure(&outcomes[0]).kind, FailureKind::InvalidTarget);
    assert_eq!(page.specs.borrow().len(), 3, "one look per attempt");
}

#[tokio::test]
async fn a_stored_value_is_filled_into_later_targets() {
    let page = ScriptedPage::answering(vec![
        json!({ "status": "ok", "text": "TR-42", "value": null }),
        json!({ "status": "ok" }),
    ]);
    let (verdict, outcomes) = run_steps(
        "  - store: { testid: reference, as: ref }\n  - expect: \"Created ${ref}\"\n",
        &page,
    )
    .await;
    assert_eq!(verdict, RunStatus::Passed, "{outcomes:?}");
    assert_eq!(
        outcomes[0],
        Outcome::Passed(Pass::noted("${ref} = \"TR-42\""))
    );
    let specs = page.specs.borrow();
    let last = specs.last().unwrap();
    assert_eq!(
        last.locate.locator,
        probe::LocatorSpec::Text {
            matcher: probe::MatchSpec::Exact("Created TR-42".into())
        }
    );
    assert_eq!(specs[0].mode, Mode::Inspect);
}

#[tokio::test]
async fn a_value_whose_store_was_skipped_fails_the_step_that_uses_it() {
    let page = ScriptedPage::answering(vec![]);
    page.by_label.borrow_mut().push((
        "Reference",
        json!({ "status": "wait", "reason": "not found" }),
    ));
    let (verdict, outcomes) = run_steps(
        "  - store: { text: Reference, as: ref }\n    when: { visible: Reference }\n  - expect: \"Created ${ref}\"\n",
        &page,
    )
    .await;
    assert_eq!(verdict, RunStatus::Failed, "{outcomes:?}");
    assert!(matches!(outcomes[0], Outcome::Skipped(_)), "{outcomes:?}");
    let failure = failure(&outcomes[1]);
    assert_eq!(failure.kind, FailureKind::Unset);
    assert_eq!(failure.looked_for, "a stored value for ${ref}");
    assert!(failure.found.contains("did not run"), "{}", failure.found);
    // The step never looked for "Created " with a hole in it.
    assert!(
        page.specs
            .borrow()
            .iter()
            .all(|s| !s.locate.label.contains("Created")),
        "the step did not run"
    );
}

/// A `goto` that a stored value completes is resolved when it runs, by
/// the loader's rule: a value read from the page cannot take the browser
/// to a `file:` or `javascript:` URL.
#[tokio::test]
async fn a_goto_completed_by_a_stored_value_opens_only_web_urls() {
    let steps = "  - store: { testid: link, as: link }\n  - goto: \"${link}\"\n";
    for (stored, scheme) in [
        ("file:///etc/passwd", "file"),
        ("javascript:alert(1)", "javascript"),
        (" JavaScript:alert(1)", "javascript"),
        ("data:text/html,<p>x", "data"),
        ("about:blank", "about"),
        ("chrome://settings", "chrome"),
    ] {
        let page = ScriptedPage::answering(vec![
            json!({ "status": "ok", "text": stored, "value": null }),
        ]);
        let (verdict, outcomes) = run_steps(steps, &page).await;
        assert_eq!(verdict, RunStatus::Failed, "{stored}: {outcomes:?}");
        let failure = failure(&outcomes[1]);
        assert_eq!(failure.kind, FailureKind::InvalidTarget, "{stored}");
        assert_eq!(failure.looked_for, "an http, https or relative URL to open");
        assert_eq!(
            failure.found,
            format!("`{stored}`, a `{scheme}:` URL"),
            "{stored}"
        );
        assert!(page.visited.borrow().is_empty(), "{stored}: it navigated");
    }
    // A stored web URL is opened as written, a stored path joined to `url`.
    for (stored, opened) in [
        ("https://docs.example/guide", "https://docs.example/guide"),
        ("/lab/form", "http://127.0.0.1/lab/form"),
    ] {
        let page = ScriptedPage::answering(vec![
            json!({ "status": "ok", "text": stored, "value": null }),
        ]);
        let (verdict, outcomes) = run_steps(steps, &page).await;
        assert_eq!(verdict, RunStatus::Passed, "{stored}: {outcomes:?}");
        assert_eq!(*page.visited.borrow(), [opened], "{stored}");
    }
}

#[tokio::test]
async fn inside_a_frame_clicks_are_offset_by_the_frame_origin() {
    let mut page = ScriptedPage::answering(vec![ok_at(10.0, 20.0)]);
    page.element = Some(json!({
        "element": { "element-6066-11e4-a52e-4f735466cecf": "f1" },
        "tag": "iframe", "x": 100.0, "y": 50.0
    }));
    let (verdict, outcomes) = run_steps(
        "  - frame: help\n  - click: Next\n  - leave_frame\n  - click: Next\n",
        &page,
    )
    .await;
    assert_eq!(verdict, RunStatus::Passed, "{outcomes:?}");
    assert_eq!(*page.clicks.borrow(), [(110.0, 70.0), (10.0, 20.0)]);
}

#[tokio::test]
async fn a_frame_step_on_something_else_than_an_iframe_fails() {
    let mut page = ScriptedPage::answering(vec![ok_at(10.0, 20.0)]);
    page.element = Some(json!({ "element": {}, "tag": "div", "x": 0.0, "y": 0.0 }));
    let (verdict, outcomes) = run_steps("  - frame: help\n", &page).await;
    assert_eq!(verdict, RunStatus::Failed);
    let failure = failure(&outcomes[0]);
    assert_eq!(failure.found, "it is a <div>");
    assert_eq!(failure.kind, FailureKind::InvalidTarget);
}

#[tokio::test]
async fn a_switch_is_read_at_rest_and_clicked_through_the_guard() {
    let page = ScriptedPage::answering(vec![
        json!({ "status": "ok", "state": false }),
        ok_at(5.0, 5.0),
        json!({ "status": "ok", "state": true, "busy": false }),
    ]);
    let (verdict, _) = run_steps("  - toggle: { label: CTS, to: on }\n", &page).await;
    assert_eq!(verdict, RunStatus::Passed);
    let specs = page.specs.borrow();
    assert!(specs[0].before && !specs[0].arm && specs[0].mode == Mode::State);
    assert!(specs[1].arm && !specs[1].before && specs[1].mode == Mode::Action);
    assert_eq!(*page.clicks.borrow(), [(5.0, 5.0)]);
}

#[tokio::test]
async fn a_step_that_failed_because_the_console_went_away_says_so() {
    // The console app shows its own "could not be loaded" where the
    // step's target should be; the page's server no longer answers.
    let mut page = ScriptedPage::answering(vec![json!({
        "status": "wait", "reason": "no table row contains \"system\""
    })]);
    page.texts = vec!["The data could not be loaded."];
    page.unreachable = Some("Failed to fetch");
    let (verdict, outcomes) =
        run_steps("  - expect: { text: Management, row: system }\n", &page).await;
    assert_eq!(verdict, RunStatus::Failed);
    let gone = failure(&outcomes[0]);
    assert_eq!(gone.kind, FailureKind::Unreachable);
    assert!(
        gone.found.starts_with(
            "the console cannot be reached: a request to http://127.0.0.1/ failed (Failed to fetch)\n  the page:   no table row contains \"system\""
        ),
        "{}",
        gone.found
    );

    // A console that answers leaves the failure as it was.
    page.unreachable = None;
    let (_, outcomes) = run_steps("  - expect: { text: Management, row: system }\n", &page).await;
    let there = failure(&outcomes[0]);
    assert_eq!(there.kind, FailureKind::Missing);
    assert!(
        there.found.starts_with("no table row contains \"system\""),
        "{}",
        there.found
    );
}

/// A white figure with a grey block at `(x, y)`, as PNG.
fn figure(width: u32, height: u32, block: Option<(u32, u32)>) -> Vec<u8> {
    let mut image = image::RgbaImage::from_pixel(width, height, image::Rgba([255, 255, 255, 255]));
    if let Some((x, y)) = block {
        for dy in 0..10 {
            for dx in 0..20 {
                image.put_pixel(x + dx, y + dy, image::Rgba([40, 40, 40, 255]));
            }
        }
    }
    crate::visual::baseline::encode(&image).unwrap()
}

/// A run of `steps` whose screenshots the page gives as `png`, with
/// baselines in `dir/baselines` and the output in `dir/out`.
async fn run_compared(
    dir: &std::path::Path,
    top: &str,
    steps: &str,
    png: Vec<u8>,
    visual: impl FnOnce(&mut VisualOptions),
) -> Outcome {
    let page = ScriptedPage {
        png: Some(png),
        ..ScriptedPage::answering(vec![ok_at(1.0, 1.0)])
    };
    run_compared_on(&page, dir, top, steps, visual).await
}

async fn run_compared_on(
    page: &ScriptedPage,
    dir: &std::path::Path,
    top: &str,
    steps: &str,
    visual: impl FnOnce(&mut VisualOptions),
) -> Outcome {
    let source = format!("name: t\nurl: http://127.0.0.1\n{top}steps:\n{steps}");
    let book = parse(
        &source,
        std::path::Path::new("t.yaml"),
        &LoadOptions::default(),
    )
    .unwrap();
    let mut options = RunOptions::new(dir.join("out"));
    options.visual.baselines = Some(dir.join("baselines"));
    visual(&mut options.visual);
    let mut events = Collect::default();
    run(page, &book, &options, &mut events).await;
    events
        .0
        .into_iter()
        .find_map(|e| match e {
            Event::StepFinished { outcome, .. } => Some(outcome),
            _ => None,
        })
        .unwrap()
}

const COMPARED: &str = "  - screenshot: { name: form, compare: true }\n";

#[tokio::test]
async fn a_missing_baseline_is_written_from_the_figure() {
    let dir = tempfile::tempdir().unwrap();
    let png = figure(64, 48, Some((5, 5)));
    let outcome = run_compared(dir.path(), "", COMPARED, png.clone(), |_| {}).await;
    let baseline = dir.path().join("baselines/form.png");
    assert_eq!(
        outcome,
        Outcome::Passed(Pass::noted(format!(
            "new baseline written: {}",
            baseline.display()
        )))
    );
    assert_eq!(std::fs::read(&baseline).unwrap(), png);
}

#[tokio::test]
async fn a_missing_baseline_fails_under_ci_and_none_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let png = figure(64, 48, None);
    let outcome = run_compared(dir.path(), "", COMPARED, png, |v| v.approval.ci = true).await;
    let Outcome::Failed(failure) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(failure.kind, FailureKind::Visual);
    assert_eq!(failure.looked_for, "figure form to have a baseline");
    assert!(
        failure.found.contains("--update-baselines"),
        "{}",
        failure.found
    );
    assert!(!dir.path().join("baselines/form.png").exists());
}

#[tokio::test]
async fn an_identical_figure_passes_and_a_changed_one_fails_with_its_regions() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("baselines")).unwrap();
    let baseline = dir.path().join("baselines/form.png");
    std::fs::write(&baseline, figure(64, 48, Some((5, 5)))).unwrap();

    let same = run_compared(
        dir.path(),
        "",
        COMPARED,
        figure(64, 48, Some((5, 5))),
        |_| {},
    )
    .await;
    assert_eq!(same, Outcome::passed());

    let moved = run_compared(
        dir.path(),
        "",
        COMPARED,
        figure(64, 48, Some((40, 30))),
        |_| {},
    )
    .await;
    let Outcome::Failed(failure) = moved else {
        panic!("{moved:?}")
    };
    assert_eq!(failure.kind, FailureKind::Visual);
    assert_eq!(
        failure.looked_for,
        format!("figure form to match its baseline {}", baseline.display())
    );
    let diff = dir.path().join("out/01-form.diff.png");
    assert_eq!(
        failure.found,
        format!(
            "400 pixels changed (13.02%) in 2 regions: 5,5 20×10; 40,30 20×10\n  diff image: {}",
            diff.display()
        )
    );
    assert!(diff.exists());
    assert_eq!(
        std::fs::read(dir.path().join("out/01-form.baseline.png")).unwrap(),
        std::fs::read(&baseline).unwrap(),
        "the baseline's copy is beside the figure"
    );
}

#[tokio::test]
async fn limits_of_the_runbook_and_the_step_let_small_changes_pass() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("baselines")).unwrap();
    std::fs::write(
        dir.path().join("baselines/form.png"),
        figure(64, 48, Some((5, 5))),
    )
    .unwrap();
    let moved = || figure(64, 48, Some((5, 6)));
    // 40 pixels changed: the runbook's limit of 50 holds for a step that says `true`.
    let outcome = run_compared(
        dir.path(),
        "compare: { max_diff_pixels: 50 }\n",
        COMPARED,
        moved(),
        |_| {},
    )
    .await;
    assert_eq!(
        outcome,
        Outcome::Passed(Pass::noted(
            "matches its baseline: 40 pixels changed, within its limits"
        ))
    );
    // The step's own limit wins over the runbook's.
    let outcome = run_compared(
        dir.path(),
        "compare: { max_diff_pixels: 50 }\n",
        "  - screenshot: { name: form, compare: { max_diff_ratio: 0.001 } }\n",
        moved(),
        |_| {},
    )
    .await;
    assert!(matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
}

#[tokio::test]
async fn compare_false_wins_over_the_flag_and_the_flag_compares_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let png = figure(64, 48, None);
    let outcome = run_compared(
        dir.path(),
        "",
        "  - screenshot: { name: form, compare: false }\n",
        png.clone(),
        |v| v.compare_all = true,
    )
    .await;
    assert_eq!(outcome, Outcome::passed());
    assert!(!dir.path().join("baselines").exists());
    let outcome = run_compared(dir.path(), "", "  - screenshot: form\n", png, |v| {
        v.compare_all = true
    })
    .await;
    assert!(
        matches!(&outcome, Outcome::Passed(p) if p.to_string().starts_with("new baseline written")),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn update_baselines_replaces_a_baseline_that_differs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("baselines")).unwrap();
    let baseline = dir.path().join("baselines/form.png");
    std::fs::write(&baseline, figure(64, 48, Some((5, 5)))).unwrap();
    let png = figure(64, 48, Some((30, 30)));
    let outcome = run_compared(dir.path(), "", COMPARED, png.clone(), |v| {
        v.approval.update = true
    })
    .await;
    assert_eq!(
        outcome,
        Outcome::Passed(Pass::noted(format!(
            "baseline updated: {}",
            baseline.display()
        )))
    );
    assert_eq!(std::fs::read(&baseline).unwrap(), png);
    let again = run_compared(dir.path(), "", COMPARED, png, |_| {}).await;
    assert_eq!(again, Outcome::passed());
}

#[tokio::test]
async fn a_figure_of_another_size_than_its_baseline_fails_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("baselines")).unwrap();
    std::fs::write(dir.path().join("baselines/form.png"), figure(64, 48, None)).unwrap();
    let outcome = run_compared(dir.path(), "", COMPARED, figure(80, 48, None), |_| {}).await;
    let Outcome::Failed(failure) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(failure.kind, FailureKind::Visual);
    assert_eq!(
        failure.found,
        "the figure is 80×48 pixels, its baseline 64×48"
    );
}

/// A figure whose baseline has one block, and which shows a second one
/// (a clock, say) at 40,30.
fn with_a_clock(dir: &std::path::Path) -> ScriptedPage {
    std::fs::create_dir(dir.join("baselines")).unwrap();
    std::fs::write(dir.join("baselines/form.png"), figure(64, 48, Some((5, 5)))).unwrap();
    let mut image = image::load_from_memory(&figure(64, 48, Some((5, 5))))
        .unwrap()
        .to_rgba8();
    for (x, y, pixel) in image.enumerate_pixels_mut() {
        if (40..60).contains(&x) && (30..40).contains(&y) {
            *pixel = image::Rgba([200, 0, 0, 255]);
        }
    }
    ScriptedPage {
        png: Some(crate::visual::baseline::encode(&image).unwrap()),
        ..ScriptedPage::answering(vec![ok_at(1.0, 1.0)])
    }
}

#[tokio::test]
async fn an_ignore_mask_keeps_its_box_out_of_the_comparison() {
    let dir = tempfile::tempdir().unwrap();
    // The page was scrolled 100 px down: the clock's document box is
    // 100 px lower than in the viewport figure, and its edges are not on
    // whole pixels.
    let page = ScriptedPage {
        decorated: json!({
            "missing": [], "unmatched": [],
            "ignored": [{ "x": 39.5, "y": 129.5, "width": 20.2, "height": 10.2 }],
            "scroll_x": 0.0, "scroll_y": 100.0,
        }),
        ..with_a_clock(dir.path())
    };
    let outcome = run_compared_on(
        &page,
        dir.path(),
        "mask: { css: .clock, mode: ignore }\n",
        "  - screenshot: { name: form, compare: true, mask: [{ testid: user }, { testid: ad, mode: remove }] }\n",
        |_| {},
    )
    .await;
    assert_eq!(outcome, Outcome::passed());
    let mode = |m: &Value| m["mode"].clone();
    let sent = page.decorations.borrow().clone();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(
        sent[0]
            .as_array()
            .unwrap()
            .iter()
            .map(mode)
            .collect::<Vec<_>>(),
        ["hide", "remove", "ignore"],
        "the step's own masks, then the runbook's"
    );
    assert_eq!(
        sent[0][2]["locate"]["locator"],
        json!({ "kind": "css", "value": ".clock" })
    );
    assert_eq!(sent[1], json!("undecorate"), "the page is put back");

    // The same figure without the ignored box fails over the clock.
    let dir = tempfile::tempdir().unwrap();
    let page = ScriptedPage {
        decorated: json!({ "missing": [], "unmatched": [], "ignored": [], "scroll_x": 0.0, "scroll_y": 100.0 }),
        ..with_a_clock(dir.path())
    };
    let outcome = run_compared_on(
        &page,
        dir.path(),
        "",
        "  - screenshot: { name: form, compare: true, mask: { testid: user } }\n",
        |_| {},
    )
    .await;
    let Outcome::Failed(failure) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(failure.kind, FailureKind::Visual);
    assert!(
        failure.found.starts_with("200 pixels changed"),
        "{}",
        failure.found
    );
}

#[tokio::test]
async fn a_mask_that_matches_nothing_does_not_fail_the_figure() {
    let dir = tempfile::tempdir().unwrap();
    // Masks 0 (the step's own) and 2 (the runbook's) matched nothing.
    let page = ScriptedPage {
        decorated: json!({ "missing": [], "unmatched": [0, 2], "ignored": [], "scroll_x": 0.0, "scroll_y": 0.0 }),
        png: Some(figure(64, 48, None)),
        ..ScriptedPage::answering(vec![ok_at(1.0, 1.0)])
    };
    let outcome = run_compared_on(
        &page,
        dir.path(),
        "mask: [{ testid: banner, mode: remove }]\n",
        "  - screenshot: { name: form, mask: [{ testid: clock }, Jane Doe] }\n",
        |_| {},
    )
    .await;
    assert_eq!(
        outcome,
        Outcome::Passed(Pass::noted("mask test id \"clock\" matched nothing")),
        "only the step's own mask is noted: the runbook's hold for figures where they may be absent"
    );
    assert_eq!(page.decorations.borrow().last(), Some(&json!("undecorate")));
}

#[tokio::test]
async fn a_highlight_that_matches_nothing_fails_and_the_page_is_put_back() {
    let dir = tempfile::tempdir().unwrap();
    let page = ScriptedPage {
        decorated: json!({ "missing": ["text \"Save\""], "unmatched": [], "ignored": [], "scroll_x": 0.0, "scroll_y": 0.0 }),
        png: Some(figure(64, 48, None)),
        ..ScriptedPage::answering(vec![ok_at(1.0, 1.0)])
    };
    let outcome = run_compared_on(
        &page,
        dir.path(),
        "",
        "  - screenshot: { name: form, highlight: Save, mask: { testid: clock, mode: remove } }\n",
        |_| {},
    )
    .await;
    let Outcome::Failed(failure) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(failure.kind, FailureKind::Missing);
    assert_eq!(failure.looked_for, "text \"Save\" to highlight");
    assert_eq!(page.decorations.borrow().last(), Some(&json!("undecorate")));
}

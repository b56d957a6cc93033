//! Clicks, toggles, toasts, strict targets, frames and a console that
//! went away, against the scripted page.

use super::*;

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

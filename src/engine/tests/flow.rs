//! How steps run in order: optional steps, retries, `when:`, stored
//! values and `--max-duration`, against the scripted page.

use super::*;

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

//! End-to-end tests of the engine's care, each against a lab page built to
//! defeat a careless engine: a loading mask over the button, a list that
//! re-renders and reshuffles while it is clicked, toasts that live 50 ms or
//! hide in shadow roots, an error toast that arrives during an unrelated
//! step, two identical buttons, controls labelled every way consoles label
//! them, a switch whose input has no size, a read-only field, a sliding
//! drawer, an iframe, a native alert and a new tab. `libraries` runs the
//! shipped runbooks on consoles built with real component libraries.

mod libraries;

use crate::common::{Harness, browser_available, position, text};

/// A runbook of `steps` (written at two spaces of indent) that starts on `page`.
fn on(page: &str, steps: &str) -> String {
    format!("name: fidelity check\nurl: http://127.0.0.1:8480\nsteps:\n  - goto: {page}\n{steps}")
}

/// Runs `source` and returns its exit code and everything it printed.
async fn run(h: &Harness, name: &str, source: &str) -> (Option<i32>, String) {
    let path = h.write(name, source);
    let output = h.run(&path, &[]).await;
    (output.status.code(), text(&output))
}

/// A console of the test's own, or `None` (after a loud message) when no
/// browser is installed and `CI` is unset.
async fn lab() -> Option<Harness> {
    if !browser_available() {
        return None;
    }
    Some(Harness::new().await)
}

/// Runs `source`, which must pass; returns what docent printed.
async fn passes(h: &Harness, name: &str, source: &str) -> String {
    let (code, printed) = run(h, name, source).await;
    assert_eq!(code, Some(0), "{printed}");
    printed
}

/// Runs `source`, in which a step must fail; returns what docent printed.
async fn fails(h: &Harness, name: &str, source: &str) -> String {
    let (code, printed) = run(h, name, source).await;
    assert_eq!(code, Some(1), "{printed}");
    printed
}

/// How long the failed step took, as the terminal printed it (`✗ … 1.2s`).
fn failed_step_seconds(printed: &str) -> f64 {
    step_seconds(printed, |l| l.starts_with('✗'))
}

/// How long the first step whose line `row` picks took, as the terminal printed it.
fn step_seconds(printed: &str, row: impl Fn(&str) -> bool) -> f64 {
    let row = printed
        .lines()
        .find(|l| row(l))
        .unwrap_or_else(|| panic!("no such step:\n{printed}"));
    let last = row.split_whitespace().last().unwrap();
    match last.strip_suffix("ms") {
        Some(ms) => ms.parse::<f64>().unwrap() / 1000.0,
        None => last.trim_end_matches('s').parse().unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_button_under_a_loading_mask_is_clicked_once_the_mask_is_gone() {
    let Some(h) = lab().await else {
        return;
    };
    passes(
        &h,
        "mask.yaml",
        &on(
            "/lab/mask?mask=1000",
            "  - click: Submit\n  - expect: Submitted 1 time\n  - expect: \"Clicks on the mask: 0\"\n  - expect_toast: Job submitted\n",
        ),
    ).await;
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mask_that_never_lifts_is_named_in_the_failure() {
    let Some(h) = lab().await else {
        return;
    };
    let source = on(
        "/lab/mask?mask=forever",
        "  - click: Submit\n    timeout: 2s\n",
    );
    let printed = fails(&h, "mask-forever.yaml", &source).await;
    assert!(
        printed.contains("looked for: \"Submit\" to be clickable"),
        "{printed}"
    );
    assert!(
        printed.contains("is covered by <div.loading-mask>"),
        "{printed}"
    );
    assert!(printed.contains("waited:     2."), "{printed}");
    // The page as it was at the failure: the mask's own click counter.
    let page =
        std::fs::read_to_string(h.out().join("failure.html")).expect("failure.html is written");
    assert!(
        page.contains("Clicks on the mask: 0"),
        "docent never clicked the mask: {page}"
    );
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sliding_drawer_and_a_read_only_field_are_waited_for() {
    let Some(h) = lab().await else {
        return;
    };
    passes(
        &h,
        "drawer.yaml",
        &on(
            "/lab/mask?mask=0",
            "  - click: Open drawer\n  - click: Confirm\n  - expect: Confirmed\n  - click: Unlock\n  - fill: { label: Job name, with: weekly }\n  - expect: { label: Job name, value: weekly }\n",
        ),
    ).await;
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_that_reshuffles_while_clicked_gets_every_click_in_the_right_row() {
    let Some(h) = lab().await else {
        return;
    };
    // Every 40 ms the rows are rebuilt in a new order, so a click aimed at
    // Charlie's button often arrives when another row's is there; such a
    // click must be stopped and aimed again, however often that takes.
    let clicks = "  - click: { text: Open, row: Charlie }\n    timeout: 60s\n".repeat(10);
    let opened = ["Charlie"; 10].join(", ");
    passes(
        &h,
        "rerender.yaml",
        &on(
            "/lab/rerender?every=40&shuffle=1",
            &format!("{clicks}  - click: Pause\n  - expect: {{ testid: opened, has_text: \"Opened: {opened}\" }}\n"),
        ),
    ).await;
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_that_re_renders_in_place_is_clicked_at_once() {
    let Some(h) = lab().await else {
        return;
    };
    let clicks = "  - click: { text: Open, row: Delta }\n".repeat(5);
    let opened = ["Delta"; 5].join(", ");
    passes(
        &h,
        "rerender-in-place.yaml",
        &on(
            "/lab/rerender?every=40&shuffle=0",
            &format!("{clicks}  - click: Pause\n  - expect: {{ testid: opened, has_text: \"Opened: {opened}\" }}\n"),
        ),
    ).await;
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_toast_that_lives_50ms_is_seen_100_times_out_of_100() {
    let Some(h) = lab().await else {
        return;
    };
    let expectations: String = (1..=100)
        .map(|n| format!("  - expect_toast: \"Toast {n:03}\"\n"))
        .collect();
    // Each `expect_toast` takes one toast, so 100 passing steps saw 100 toasts.
    passes(
        &h,
        "burst.yaml",
        &on(
            "/lab/toasts?life=50&gap=10",
            &format!("  - click: Fire 100 toasts\n  - expect: Burst done\n    timeout: 30s\n{expectations}"),
        ),
    ).await;
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn toasts_in_shadow_roots_and_text_only_live_regions_are_seen() {
    let Some(h) = lab().await else {
        return;
    };
    passes(
        &h,
        "shadow.yaml",
        &on(
            "/lab/toasts",
            "  - click: Shadow toast\n  - expect_toast: Saved in the shadow\n  - click: Nested shadow toast\n  - expect_toast: Deep in the shadow\n  - click: Text-only toast\n  - expect_toast: Export started\n  - expect_gone: Export started\n  - click: Text-only toast\n  - expect_toast: Export started\n",
        ),
    ).await;
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_error_toast_during_an_unrelated_step_fails_that_step() {
    let Some(h) = lab().await else {
        return;
    };
    // The error comes well after the click has settled, even on a busy
    // machine, so it lands in the next step.
    let source = on(
        "/lab/toasts?delay=1500",
        "  - click: Slow error\n  - expect_absent: { text: Nothing to see, for: 3s }\n  - click: Counter\n",
    );
    let printed = fails(&h, "slow-error.yaml", &source).await;
    let (line, _) = position(&source, "expect_absent");
    assert!(
        printed.contains(&format!("slow-error.yaml:{line}:")),
        "the failure names the unrelated step: {printed}"
    );
    assert!(
        printed.contains("error toast \"Quota exceeded\""),
        "{printed}"
    );
    assert!(
        failed_step_seconds(&printed) < 2.5,
        "the step failed when the toast came, not at its end: {printed}"
    );
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_runbook_can_name_its_consoles_toasts() {
    let Some(h) = lab().await else {
        return;
    };
    let with_rules = "name: custom toasts\nurl: http://127.0.0.1:8480\ntoasts:\n  selectors: [.acme-flash]\n  errors: .acme-flash--bad\nsteps:\n  - goto: /lab/toasts\n  - click: Custom notice\n  - expect_toast: Flash saved\n  - click: Custom failure\n  - expect_toast: { text: Flash failed, kind: error }\n";
    passes(&h, "custom.yaml", with_rules).await;
    // Without the rules, the same notice is no toast at all.
    let without = on(
        "/lab/toasts",
        "  - click: Custom notice\n  - expect_toast: Flash saved\n    timeout: 1s\n",
    );
    let printed = fails(&h, "plain.yaml", &without).await;
    assert!(printed.contains("no toast appeared"), "{printed}");
    // A live region the runbook says to ignore announces no toast.
    let ignoring = "name: ignored\nurl: http://127.0.0.1:8480\ntoasts:\n  ignore: .live-region\nsteps:\n  - goto: /lab/toasts\n  - click: Text-only toast\n  - expect_toast: Export started\n    timeout: 1s\n";
    let printed = fails(&h, "ignored.yaml", ignoring).await;
    assert!(printed.contains("no toast appeared"), "{printed}");
    // A selector the browser rejects is named.
    let bad = "name: bad toasts\nurl: http://127.0.0.1:8480\ntoasts:\n  selectors: \"!flash\"\nsteps:\n  - goto: /lab/toasts\n  - click: Counter\n";
    let printed = fails(&h, "bad.yaml", bad).await;
    assert!(
        printed.contains("`!flash` is not a CSS selector the browser accepts"),
        "{printed}"
    );
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_figure_waits_for_no_toast_to_leave() {
    let Some(h) = lab().await else {
        return;
    };
    // The toast fades out over 4 s from the moment it shows: the figure is
    // taken with it on the page, not after it is gone.
    let printed = passes(
        &h,
        "fade.yaml",
        &on(
            "/lab/toasts",
            "  - click: Slow fade\n  - screenshot: fading\n  - expect_toast: Fading slowly\n",
        ),
    )
    .await;
    let seconds = step_seconds(&printed, |l| l.contains("screenshot fading"));
    assert!(
        seconds < 2.0,
        "the figure did not wait out the fade: {printed}"
    );
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_visible_configure_buttons_are_refused_and_row_picks_one() {
    let Some(h) = lab().await else {
        return;
    };
    let printed = fails(
        &h,
        "strict.yaml",
        &on("/lab/strict", "  - click: Configure\n    timeout: 2s\n"),
    )
    .await;
    assert!(
        printed.contains("2 matches; docent never guesses"),
        "{printed}"
    );
    assert_eq!(
        printed
            .matches("<button.btn-link> \"Configure\" at (")
            .count(),
        2,
        "both candidates are listed with their position: {printed}"
    );
    for row in ["system", "audit"] {
        assert!(
            printed.contains(&format!("in the row of \"{row}\"")),
            "each candidate names its row: {printed}"
        );
    }
    assert!(printed.contains("`row`"), "{printed}");
    let (code, printed) = run(
        &h,
        "strict-row.yaml",
        &on(
            "/lab/strict",
            "  - click: { text: Configure, row: audit }\n  - expect: Configuring audit\n  - click: Export\n  - expect: Exported from General\n",
        ),
    )
    .await;
    assert_eq!(
        code,
        Some(0),
        "hidden tabs and templates never count: {printed}"
    );
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_kind_of_label_reaches_its_field() {
    let Some(h) = lab().await else {
        return;
    };
    let labels = [
        ("Project name", "docent"),
        ("Owner", "ops"),
        ("Description", "nightly export"),
        ("Search log groups", "audit"),
        ("Retention days", "30"),
        ("Notify email", "ops@example.com"),
    ];
    let mut steps = String::new();
    for (label, value) in labels {
        steps.push_str(&format!(
            "  - fill: {{ label: {label}, with: \"{value}\" }}\n"
        ));
    }
    for (label, value) in labels {
        steps.push_str(&format!(
            "  - expect: {{ label: {label}, value: \"{value}\" }}\n"
        ));
    }
    passes(&h, "labels.yaml", &on("/lab/strict", &steps)).await;
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_switch_whose_input_has_no_size_is_toggled_through_what_shows() {
    let Some(h) = lab().await else {
        return;
    };
    let printed = passes(
        &h,
        "switch.yaml",
        &on(
            "/lab/strict",
            "  - toggle: { label: Transfer to LTS, to: on }\n  - expect: Transfer to LTS is on\n  - expect: { label: Transfer to LTS, checked: true }\n  - toggle: { label: Transfer to LTS, to: off }\n  - expect: Transfer to LTS is off\n  - click: Publish\n    optional: true\n    timeout: 500ms\n  - check: I agree to the terms\n  - click: Publish\n  - expect: Published\n",
        ),
    ).await;
    assert!(
        printed.contains("is disabled (aria-disabled)"),
        "Publish waited while aria-disabled: {printed}"
    );
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_target_inside_a_same_origin_iframe_needs_no_frame_step() {
    let Some(h) = lab().await else {
        return;
    };
    passes(
        &h,
        "pierce.yaml",
        &on(
            "/lab/frame",
            "  - click: Rate this page\n  - expect_toast: Thanks for your feedback\n  - fill: { label: Search help, with: tracker }\n  - press: Enter\n  - expect: 2 articles found\n  - click: Search\n  - expect: Outer search\n",
        ),
    ).await;
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_native_alert_and_a_new_tab_are_followed() {
    let Some(h) = lab().await else {
        return;
    };
    passes(
        &h,
        "alert-tab.yaml",
        &on(
            "/lab/form",
            "  - click: Show tip\n  - dialog: { answer: accept, message: Names must be unique. }\n  - click: Open documentation\n  - window: new\n  - expect_title: { contains: Documentation }\n",
        ),
    ).await;
    h.console.shutdown().await;
}

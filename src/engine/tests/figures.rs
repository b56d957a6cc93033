//! Figures compared with baselines, and masks, against the scripted page.

use super::*;
use crate::engine::compared::{AppliedLimits, Comparison, Verdict};
use crate::visual::diff::Rect;

/// A white figure with a grey block at `(x, y)`, as PNG.
pub(super) fn figure(width: u32, height: u32, block: Option<(u32, u32)>) -> Vec<u8> {
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

pub(super) async fn run_compared_on(
    page: &ScriptedPage,
    dir: &std::path::Path,
    top: &str,
    steps: &str,
    visual: impl FnOnce(&mut VisualOptions),
) -> Outcome {
    compared_events(page, dir, top, steps, visual)
        .await
        .into_iter()
        .find_map(|e| match e {
            Event::StepFinished { outcome, .. } => Some(outcome),
            _ => None,
        })
        .unwrap()
}

/// Every event of a run like [`run_compared_on`]'s.
async fn compared_events(
    page: &ScriptedPage,
    dir: &std::path::Path,
    top: &str,
    steps: &str,
    visual: impl FnOnce(&mut VisualOptions),
) -> Vec<Event> {
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
    events.0
}

/// The one figure comparison of a run of `steps` whose figure is `png`,
/// after the figure's `ScreenshotSaved` and before its step finished.
async fn comparison_of(
    dir: &std::path::Path,
    top: &str,
    png: Vec<u8>,
    visual: impl FnOnce(&mut VisualOptions),
) -> (std::path::PathBuf, String, Comparison) {
    let page = ScriptedPage {
        png: Some(png),
        ..ScriptedPage::answering(vec![ok_at(1.0, 1.0)])
    };
    let events = compared_events(&page, dir, top, COMPARED, visual).await;
    let at = |pick: fn(&Event) -> bool| events.iter().position(pick).unwrap();
    let saved = at(|e| matches!(e, Event::ScreenshotSaved { .. }));
    let compared = at(|e| matches!(e, Event::FigureCompared { .. }));
    let finished = at(|e| matches!(e, Event::StepFinished { .. }));
    assert!(saved < compared && compared < finished, "{events:?}");
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, Event::FigureCompared { .. }))
            .count(),
        1
    );
    match &events[compared] {
        Event::FigureCompared {
            path,
            name,
            comparison,
        } => (path.clone(), name.clone(), comparison.clone()),
        _ => unreachable!(),
    }
}

pub(super) const COMPARED: &str = "  - screenshot: { name: form, compare: true }\n";

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
        sent[0]["masks"]
            .as_array()
            .unwrap()
            .iter()
            .map(mode)
            .collect::<Vec<_>>(),
        ["hide", "remove", "ignore"],
        "the step's own masks, then the runbook's"
    );
    assert_eq!(
        sent[0]["masks"][2]["locate"]["locator"],
        json!({ "kind": "css", "value": ".clock" })
    );
    assert_eq!(sent[0]["steady"], true, "a compared figure is held still");
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

#[tokio::test]
async fn a_new_baseline_is_told_as_an_event_with_nothing_measured() {
    let dir = tempfile::tempdir().unwrap();
    let (path, name, comparison) =
        comparison_of(dir.path(), "", figure(64, 48, None), |_| {}).await;
    assert_eq!(path, dir.path().join("out/01-form.png"));
    assert_eq!(name, "form");
    assert_eq!(
        comparison,
        Comparison {
            outcome: Verdict::NewBaseline,
            baseline: dir.path().join("baselines/form.png"),
            changed_pixels: None,
            changed_ratio: None,
            regions: Vec::new(),
            limits: AppliedLimits {
                max_diff_pixels: None,
                max_diff_ratio: None,
                threshold: 0.1,
            },
            diff_image: None,
            baseline_copy: None,
        }
    );
    // Under --ci the same figure has no baseline, and the event says so.
    let dir = tempfile::tempdir().unwrap();
    let (_, _, comparison) = comparison_of(dir.path(), "", figure(64, 48, None), |v| {
        v.approval.ci = true
    })
    .await;
    assert_eq!(comparison.outcome, Verdict::Missing);
    assert!(comparison.outcome.fails());
}

#[tokio::test]
async fn a_match_within_limits_is_told_with_its_count_and_the_limits_applied() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("baselines")).unwrap();
    let baseline = dir.path().join("baselines/form.png");
    std::fs::write(&baseline, figure(64, 48, Some((5, 5)))).unwrap();
    let top = "compare: { max_diff_pixels: 50, threshold: 0.2 }\n";
    let (_, _, comparison) =
        comparison_of(dir.path(), top, figure(64, 48, Some((5, 6))), |_| {}).await;
    assert_eq!(comparison.outcome, Verdict::Matched);
    assert_eq!(comparison.baseline, baseline);
    assert_eq!(comparison.changed_pixels, Some(40));
    assert_eq!(comparison.changed_ratio, Some(40.0 / (64.0 * 48.0)));
    assert_eq!(
        comparison.limits,
        AppliedLimits {
            max_diff_pixels: Some(50),
            max_diff_ratio: None,
            threshold: 0.2,
        }
    );
    // The regions are known even within the limits; no files are written.
    assert!(!comparison.regions.is_empty());
    assert_eq!(
        (comparison.diff_image, comparison.baseline_copy),
        (None, None)
    );
    assert!(!dir.path().join("out/01-form.diff.png").exists());
}

#[tokio::test]
async fn a_figure_that_differs_is_told_with_its_regions_and_the_files_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("baselines")).unwrap();
    std::fs::write(
        dir.path().join("baselines/form.png"),
        figure(64, 48, Some((5, 5))),
    )
    .unwrap();
    let (path, _, comparison) =
        comparison_of(dir.path(), "", figure(64, 48, Some((40, 30))), |_| {}).await;
    assert_eq!(comparison.outcome, Verdict::Differs);
    assert_eq!(comparison.changed_pixels, Some(400));
    assert_eq!(comparison.changed_ratio, Some(400.0 / 3072.0));
    let rect = |x, y| Rect {
        x,
        y,
        width: 20,
        height: 10,
    };
    assert_eq!(comparison.regions, vec![rect(5, 5), rect(40, 30)]);
    let out = dir.path().join("out");
    assert_eq!(path, out.join("01-form.png"));
    assert_eq!(comparison.diff_image, Some(out.join("01-form.diff.png")));
    assert_eq!(
        comparison.baseline_copy,
        Some(out.join("01-form.baseline.png"))
    );
    assert!(out.join("01-form.diff.png").exists() && out.join("01-form.baseline.png").exists());

    // Another size is told as such, with nothing measured.
    let (_, _, comparison) = comparison_of(dir.path(), "", figure(32, 48, None), |_| {}).await;
    assert_eq!(comparison.outcome, Verdict::SizeDiffers);
    assert_eq!(comparison.changed_pixels, None);
}

#[tokio::test]
async fn an_approved_change_is_told_as_a_baseline_updated() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("baselines")).unwrap();
    let baseline = dir.path().join("baselines/form.png");
    std::fs::write(&baseline, figure(64, 48, Some((5, 5)))).unwrap();
    let (_, _, comparison) = comparison_of(dir.path(), "", figure(64, 48, Some((40, 30))), |v| {
        v.approval.update = true
    })
    .await;
    assert_eq!(
        comparison,
        Comparison {
            outcome: Verdict::BaselineUpdated,
            baseline,
            changed_pixels: None,
            changed_ratio: None,
            regions: Vec::new(),
            limits: AppliedLimits {
                max_diff_pixels: None,
                max_diff_ratio: None,
                threshold: 0.1,
            },
            diff_image: None,
            baseline_copy: None,
        }
    );
    assert!(!comparison.outcome.fails());
}

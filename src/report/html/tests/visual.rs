//! Compared figures in the report: the verdict's mark, and for a figure
//! that differs its baseline, actual and diff side by side with a viewer
//! that flips between them without a script.

use super::*;
use crate::engine::compared::Verdict;

fn compared(verdict: Verdict) -> RunRecord {
    RunRecord::from_events(&sample::masked(&sample::compared(verdict)))
}

/// The markup of figure 1 (the sample's only figure): from its opening
/// tag to the end of its own caption, which comes last.
fn figure_of(html: &str) -> &str {
    let start = html.find("<figure class=\"shot").expect("a figure");
    let caption = start + html[start..].find("<strong>Figure 1</strong>").unwrap();
    let end = "</figcaption></figure>";
    &html[start..caption + html[caption..].find(end).unwrap() + end.len()]
}

#[test]
fn a_figure_that_differs_shows_baseline_actual_and_diff_and_flips_between_them() {
    let html = report(&compared(Verdict::Differs));
    let figure = figure_of(&html);
    for src in [
        "src=\"01-configure-transfer.baseline.png\"",
        "src=\"01-configure-transfer.png\"",
        "src=\"01-configure-transfer.diff.png\"",
    ] {
        // Once in the viewer, once side by side.
        assert_eq!(figure.matches(src).count(), 2, "{src} in {figure}");
    }
    // One group of radio buttons; the actual figure shows first.
    assert_eq!(figure.matches("name=\"flip-1\"").count(), 3);
    assert!(figure.contains("id=\"flip-1-actual\" class=\"show-actual\" checked>"));
    assert!(figure.contains("<label for=\"flip-1-baseline\">Baseline</label>"));
    let page = text(&html);
    assert!(
        page.contains("✗ differs from baseline: 1234 pixels changed (0.12%) in 2 regions"),
        "{page}"
    );
    assert!(
        figure.contains(
            "title=\"at most 100 pixels may change, colour threshold 0.1 · baseline \
             runbooks/baselines/create-tracker/chromium/configure-transfer.png\""
        ),
        "{figure}"
    );
    // The stylesheet shows only the checked image of the stack.
    for rule in [
        ".show-baseline:checked ~ .flip .baseline",
        ".show-diff:checked ~ .flip .diff",
    ] {
        assert!(html.contains(rule), "{rule}");
    }
    insta::assert_snapshot!(figure);
}

#[test]
fn a_matched_or_new_figure_has_a_small_mark_and_no_viewer() {
    for (verdict, mark) in [
        (Verdict::Matched, "<span class=\"vmark matched\""),
        (Verdict::NewBaseline, "<span class=\"vmark written\""),
    ] {
        let html = report(&compared(verdict));
        let figure = figure_of(&html);
        assert!(figure.contains(mark), "{figure}");
        assert!(!figure.contains("vcompare"), "{figure}");
        assert_eq!(figure.matches("<img").count(), 1);
    }
    assert!(text(&report(&compared(Verdict::Matched))).contains("✓ matches baseline"));
    assert!(text(&report(&compared(Verdict::NewBaseline))).contains("✓ new baseline"));
    // A figure never compared has no mark at all.
    let html = report(&passed());
    assert!(!html[html.find("</style>").unwrap()..].contains("vmark"));
}

#[test]
fn a_figure_with_no_baseline_or_another_size_is_marked_failed_without_a_viewer() {
    for (verdict, words) in [
        (Verdict::Missing, "✗ no baseline"),
        (Verdict::SizeDiffers, "✗ size differs from baseline"),
    ] {
        let html = report(&compared(verdict));
        let figure = figure_of(&html);
        assert!(figure.contains("vmark differs"), "{figure}");
        assert!(!figure.contains("vcompare"), "{figure}");
        assert!(text(figure).contains(words), "{figure}");
    }
}

#[test]
fn compared_figures_fetch_nothing_and_escape_their_paths() {
    let mut record = compared(Verdict::Differs);
    let step = step_mut(&mut record.items, 7).unwrap();
    let visual = step.screenshots[0].visual.as_mut().unwrap();
    visual.baseline = "<script>b</script>.png".into();
    visual.diff_image = Some("d \"#1\".png".into());
    let html = report(&record);
    let body = &html[html.find("</style>").unwrap()..];
    for needle in ["<script", "src=\"http", "url("] {
        assert!(!body.contains(needle), "{needle}");
    }
    assert!(body.contains("src=\"d%20%22%231%22.png\""), "{body}");
}

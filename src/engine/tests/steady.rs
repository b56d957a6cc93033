//! A compared figure is the page once it stopped changing: captured again
//! until two captures in a row agree, and compared as last seen, with a
//! note, when the page never settles.

use super::figures::{COMPARED, figure, run_compared_on};
use super::*;

/// A page whose first captures differ (a style applied late, a toast
/// sliding in) and then stay as `settled`.
fn settling(changing: Vec<Vec<u8>>, settled: Vec<u8>) -> ScriptedPage {
    ScriptedPage {
        png: Some(settled),
        frames: RefCell::new(changing.into()),
        ..ScriptedPage::answering(vec![ok_at(1.0, 1.0)])
    }
}

#[tokio::test]
async fn a_compared_figure_is_the_page_once_two_captures_in_a_row_agree() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("baselines")).unwrap();
    std::fs::write(
        dir.path().join("baselines/form.png"),
        figure(64, 48, Some((5, 5))),
    )
    .unwrap();
    let page = settling(
        vec![figure(64, 48, None), figure(64, 48, Some((9, 9)))],
        figure(64, 48, Some((5, 5))),
    );
    let outcome = run_compared_on(&page, dir.path(), "", COMPARED, |_| {}).await;
    assert_eq!(outcome, Outcome::passed());
    assert!(
        page.frames.borrow().is_empty(),
        "every changing capture was seen"
    );
    let saved = std::fs::read(dir.path().join("out/01-form.png")).unwrap();
    assert_eq!(
        saved,
        figure(64, 48, Some((5, 5))),
        "the figure saved is the settled page"
    );
}

#[tokio::test]
async fn a_figure_that_is_not_compared_is_taken_once() {
    let dir = tempfile::tempdir().unwrap();
    let page = settling(vec![figure(64, 48, None)], figure(64, 48, Some((5, 5))));
    let outcome = run_compared_on(&page, dir.path(), "", "  - screenshot: form\n", |_| {}).await;
    assert_eq!(outcome, Outcome::passed());
    let saved = std::fs::read(dir.path().join("out/01-form.png")).unwrap();
    assert_eq!(saved, figure(64, 48, None));
}

#[tokio::test]
async fn a_page_that_never_settles_is_compared_as_last_seen_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    // Every capture differs from the one before, as long as docent looks.
    let changing: Vec<Vec<u8>> = (0..40).map(|i| figure(64, 48, Some((i, 5)))).collect();
    let page = settling(changing, figure(64, 48, None));
    let outcome = run_compared_on(&page, dir.path(), "", COMPARED, |_| {}).await;
    let Outcome::Passed(pass) = outcome else {
        panic!("{outcome:?}")
    };
    let note = pass.note.unwrap_or_default();
    assert!(
        note.contains("the page was still changing after 12 captures"),
        "{note}"
    );
    assert_eq!(page.frames.borrow().len(), 40 - 12);
    assert!(note.contains("new baseline written"), "{note}");
}

#[tokio::test]
async fn a_compared_figure_brings_hover_up_to_date_where_the_pointer_rests() {
    let dir = tempfile::tempdir().unwrap();
    let page = settling(Vec::new(), figure(64, 48, None));
    let outcome = run_compared_on(
        &page,
        dir.path(),
        "",
        "  - click: Next\n  - screenshot: { name: form, compare: true }\n  - screenshot: plain\n",
        |_| {},
    )
    .await;
    assert_eq!(outcome, Outcome::passed());
    let clicks = page.clicks.borrow().clone();
    assert_eq!(clicks.len(), 1);
    // Once, for the compared figure, where the click left the pointer.
    assert_eq!(*page.hovers.borrow(), clicks);
}

#[tokio::test]
async fn a_compared_figure_after_a_window_switch_moves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let page = settling(Vec::new(), figure(64, 48, None));
    let outcome = run_compared_on(
        &page,
        dir.path(),
        "",
        "  - click: Next\n  - window: first\n  - screenshot: { name: form, compare: true }\n",
        |_| {},
    )
    .await;
    assert_eq!(outcome, Outcome::passed());
    assert_eq!(page.clicks.borrow().len(), 1);
    assert!(page.hovers.borrow().is_empty());
}

#[tokio::test]
async fn a_compared_figure_before_any_pointer_move_moves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let page = settling(Vec::new(), figure(64, 48, None));
    let outcome = run_compared_on(&page, dir.path(), "", COMPARED, |_| {}).await;
    assert!(matches!(outcome, Outcome::Passed(_)), "{outcome:?}");
    assert!(page.hovers.borrow().is_empty());
}

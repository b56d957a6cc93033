//! Shutdown when docent's own code panics, in-process: the browser started
//! by this test process carries `TMPDIR=…/docent-<this pid>-…`, so the
//! tests here count exactly their own chromedriver and Chromium. Every test
//! of this binary that starts a browser in-process takes turns through
//! `common::IN_PROCESS_BROWSER`, since they share that mark.
//!
//! These tests need Debian's `chromium` and `chromium-driver` (`make deps`).
//! Under `CI` a missing browser fails the test; locally it skips loudly.

use crate::common::{Harness, browser_available, processes_after, run_processes, temp_folders};
use docent::browser::{BrowserSession, LaunchOptions, Page};
use docent::engine::{Event, Reporter, RunOptions};
use docent::runbook::{self, LoadOptions};
use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;
use std::path::Path;

/// Counts the run's processes when the run starts, and panics when the
/// first step has finished.
struct Panicking {
    during: usize,
}

impl Reporter for Panicking {
    fn event(&mut self, event: &Event) {
        match event {
            Event::RunStarted { .. } => self.during = run_processes(std::process::id()).len(),
            Event::StepFinished { .. } => panic!("the reporter broke"),
            _ => {}
        }
    }
}

fn assert_nothing_left(before: usize, during: usize, left: &[crate::common::RunProcess]) {
    let pid = std::process::id();
    eprintln!(
        "processes of this test's run: before {before}, during {during}, after {}",
        left.len()
    );
    assert_eq!(before, 0, "processes before the launch");
    assert!(
        during > 0,
        "no chromedriver or Chromium seen during the run"
    );
    assert!(left.is_empty(), "processes outlived the run: {left:#?}");
    let folders = temp_folders(pid);
    assert!(folders.is_empty(), "temporary folders left: {folders:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_panic_in_a_reporter_closes_the_browser_and_goes_on_unwinding() {
    if !browser_available() {
        return;
    }
    let _turn = crate::common::IN_PROCESS_BROWSER.lock().await;
    let h = Harness::new().await;
    let book = runbook::parse(
        "name: panics\nsteps:\n  - goto: /lab/form\n  - expect: Alarm Notifications\n",
        Path::new("panics.yaml"),
        &LoadOptions {
            base_url: Some(h.console.url()),
            ..LoadOptions::default()
        },
    )
    .expect("the runbook is valid");
    let options = RunOptions::new(h.out());
    let before = run_processes(std::process::id()).len();
    let mut reporter = Panicking { during: 0 };
    let outcome = AssertUnwindSafe(docent::runner::run(
        &book,
        &options,
        &LaunchOptions::default(),
        &mut reporter,
    ))
    .catch_unwind()
    .await;
    let panic = outcome.expect_err("the panic reaches the caller");
    assert_eq!(
        panic.downcast_ref::<&str>(),
        Some(&"the reporter broke"),
        "the reporter's own panic, not another"
    );
    let left = processes_after(std::process::id()).await;
    assert_nothing_left(before, reporter.during, &left);
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_dropped_without_close_takes_its_processes_along() {
    if !browser_available() {
        return;
    }
    let _turn = crate::common::IN_PROCESS_BROWSER.lock().await;
    let h = Harness::new().await;
    let before = run_processes(std::process::id()).len();
    let session = BrowserSession::launch(&LaunchOptions::default())
        .await
        .expect("the browser starts");
    session
        .goto(&format!("{}/lab/form", h.console.url()))
        .await
        .expect("the page loads");
    let during = run_processes(std::process::id()).len();
    // What unwinding past a live session does: no `close`, only `Drop`,
    // which kills chromedriver's process group and removes its folder.
    drop(session);
    let left = processes_after(std::process::id()).await;
    assert_nothing_left(before, during, &left);
    h.console.shutdown().await;
}

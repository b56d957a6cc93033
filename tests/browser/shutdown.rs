//! Shutdown, proven by counting processes. Each test runs the real `docent`
//! binary against the simulated console and counts the processes of that
//! run (chromedriver, Chromium and its helpers) before docent launches
//! anything, while a step runs, and after docent has exited — passing,
//! failing, on Ctrl-C and on SIGTERM, during a step or during the launch,
//! and killed outright (`kill -9`, left to its watchdog) — and then looks
//! for its temporary folders. Nothing may be left.
//!
//! The panic case runs in-process and lives in `panic_shutdown.rs`.
//! These tests need Debian's `chromium` and `chromium-driver` (`make deps`).
//! Under `CI` a missing browser fails the test; locally it skips loudly.

use crate::common::{
    DEADLINE, Harness, Started, browser_available, processes_after, run_processes, temp_folders,
};
use rustix::process::{Pid, Signal, kill_process};
use std::time::Instant;

const PASSES: &str = "name: passes\nsteps:\n  - goto: /lab/form\n  - expect: Alarm Notifications\n";
const FAILS: &str =
    "name: fails\nsteps:\n  - goto: /lab/form\n  - expect: Never shown\n    timeout: 2s\n";
const WAITS: &str =
    "name: waits\nsteps:\n  - goto: /lab/form\n  - expect: Never shown\n    timeout: 60s\n";

/// Once docent has exited: nothing of its run is left, neither a process
/// nor a temporary folder. `during` is the count taken while it ran.
async fn assert_nothing_left(pid: u32, before: usize, during: usize) {
    let left = processes_after(pid).await;
    eprintln!(
        "processes of docent {pid}'s run: before {before}, during {during}, after {}",
        left.len()
    );
    assert_eq!(before, 0, "processes before docent read its runbook");
    assert!(
        during > 0,
        "no chromedriver or Chromium seen while docent ran"
    );
    assert!(left.is_empty(), "processes outlived docent: {left:#?}");
    let folders = temp_folders(pid);
    assert!(folders.is_empty(), "temporary folders left: {folders:?}");
}

/// The run's `results.json`, which must have been written.
fn results_of(h: &Harness) -> serde_json::Value {
    let text =
        std::fs::read_to_string(h.out().join("results.json")).expect("results.json is written");
    serde_json::from_str(&text).expect("results.json is JSON")
}

fn send(run: &Started, signal: Signal) {
    let pid = Pid::from_raw(i32::try_from(run.pid).unwrap()).unwrap();
    kill_process(pid, signal).expect("docent is there to signal");
}

/// Waits until chromedriver (or anything of the run) exists; the count.
async fn launching(pid: u32) -> usize {
    let deadline = Instant::now() + DEADLINE;
    loop {
        let count = run_processes(pid).len();
        if count > 0 {
            return count;
        }
        assert!(
            Instant::now() < deadline,
            "docent never started chromedriver"
        );
        tokio::task::yield_now().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_passing_run_leaves_nothing_behind() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let mut run = h.start(PASSES, &[]).await;
    // Printed once the browser is up; closing it takes longer than a look.
    run.wait_for_line("docent: passes").await;
    let during = run_processes(run.pid).len();
    let (pid, before) = (run.pid, run.before);
    let (status, printed) = run.finish().await;
    assert_eq!(status.code(), Some(0), "{printed}");
    assert!(printed.contains("passed in"), "{printed}");
    assert_nothing_left(pid, before, during).await;
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_step_leaves_nothing_behind() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let mut run = h.start(FAILS, &[]).await;
    // The expect step now waits two seconds for a text that never comes.
    run.wait_for_line("✓ goto").await;
    let during = run_processes(run.pid).len();
    let (pid, before) = (run.pid, run.before);
    let (status, printed) = run.finish().await;
    assert_eq!(status.code(), Some(1), "{printed}");
    assert!(
        printed.contains("error: step failed: expect \"Never shown\""),
        "{printed}"
    );
    assert_nothing_left(pid, before, during).await;
    h.console.shutdown().await;
}

/// Signals docent while its second step waits a minute, and checks that it
/// ends at once, in order, with 130.
async fn signal_during_a_step(signal: Signal, name: &str) {
    let h = Harness::new().await;
    let mut run = h.start(WAITS, &[]).await;
    run.wait_for_line("✓ goto").await;
    let during = run_processes(run.pid).len();
    let signalled = Instant::now();
    send(&run, signal);
    let (pid, before) = (run.pid, run.before);
    let (status, printed) = run.finish().await;
    assert_eq!(status.code(), Some(130), "{printed}");
    assert!(
        signalled.elapsed() < std::time::Duration::from_secs(30),
        "docent took {:?} to stop",
        signalled.elapsed()
    );
    assert!(
        printed.contains(&format!("INTERRUPTED by {name} after")),
        "{printed}"
    );
    assert!(
        printed.contains(&format!("interrupted by {name}; the browser was closed")),
        "{printed}"
    );
    assert_nothing_left(pid, before, during).await;
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_during_a_step_closes_the_browser_and_exits_130() {
    if !browser_available() {
        return;
    }
    signal_during_a_step(Signal::INT, "Ctrl-C").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_during_a_step_closes_the_browser_and_exits_130() {
    if !browser_available() {
        return;
    }
    signal_during_a_step(Signal::TERM, "SIGTERM").await;
}

/// docent killed outright, with no chance to close anything: its
/// watchdog still ends the browser and removes the temporary folder.
#[tokio::test(flavor = "multi_thread")]
async fn kill_9_of_docent_leaves_no_browser_behind() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let mut run = h.start(WAITS, &[]).await;
    run.wait_for_line("✓ goto").await;
    let during = run_processes(run.pid).len();
    send(&run, Signal::KILL);
    let (pid, before) = (run.pid, run.before);
    let (status, _) = run.finish().await;
    assert_eq!(status.code(), None, "killed by a signal");
    assert_nothing_left(pid, before, during).await;
    h.console.shutdown().await;
}

/// A frozen chromedriver makes closing in order slow (each request waits
/// out its own timeout); a second Ctrl-C ends docent at once, and the
/// browser's processes are killed rather than left behind.
#[tokio::test(flavor = "multi_thread")]
async fn a_second_ctrl_c_ends_docent_at_once_even_with_a_frozen_driver() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let mut run = h.start(WAITS, &[]).await;
    run.wait_for_line("✓ goto").await;
    let processes = run_processes(run.pid);
    let during = processes.len();
    let driver = processes
        .iter()
        .find(|p| p.command.contains("chromedriver"))
        .expect("chromedriver runs");
    let driver = Pid::from_raw(i32::try_from(driver.pid).unwrap()).unwrap();
    kill_process(driver, Signal::STOP).expect("chromedriver can be stopped");
    send(&run, Signal::INT);
    // The first Ctrl-C is taken: the run is reported interrupted, and the
    // browser is being closed, slowly.
    run.wait_for_line("INTERRUPTED by Ctrl-C").await;
    let second = Instant::now();
    send(&run, Signal::INT);
    let (pid, before) = (run.pid, run.before);
    let (status, printed) = run.finish().await;
    assert_eq!(status.code(), Some(130), "{printed}");
    // Without the second Ctrl-C, closing waits out its requests' timeouts
    // (over ten seconds); with it, docent ends on the spot.
    assert!(
        second.elapsed() < std::time::Duration::from_secs(5),
        "docent took {:?} after the second Ctrl-C",
        second.elapsed()
    );
    assert_nothing_left(pid, before, during).await;
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_during_the_launch_leaves_nothing_behind() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let run = h.start(WAITS, &[]).await;
    // chromedriver exists, the session may or may not: the launch is under way.
    let during = launching(run.pid).await;
    send(&run, Signal::INT);
    let (pid, before) = (run.pid, run.before);
    let (status, printed) = run.finish().await;
    assert_eq!(status.code(), Some(130), "{printed}");
    assert!(
        printed.contains("interrupted by Ctrl-C; the browser was closed"),
        "{printed}"
    );
    assert_nothing_left(pid, before, during).await;
    h.console.shutdown().await;
}

/// A browser that stops answering mid-step (every Chromium process
/// SIGSTOPped; chromedriver keeps running and waits on it) is reported
/// broken a few seconds after the step's timeout, with the reports written
/// and nothing left behind. Before requests had deadlines, the run waited
/// on the browser for minutes, whatever the step's timeout.
#[tokio::test(flavor = "multi_thread")]
async fn a_frozen_browser_is_reported_broken_seconds_after_its_step_timeout() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let mut run = h.start(FAILS, &[]).await;
    run.wait_for_line("✓ goto").await;
    let processes = run_processes(run.pid);
    let during = processes.len();
    let frozen = Instant::now();
    // Chromium and its helpers, not chromedriver nor docent's watchdog.
    let browser = processes
        .iter()
        .filter(|p| p.command.starts_with("/usr/lib/chromium/chromium"));
    for browser in browser {
        let pid = Pid::from_raw(i32::try_from(browser.pid).unwrap()).unwrap();
        // One may have ended since it was counted; the rest are enough.
        let _ = kill_process(pid, Signal::STOP);
    }
    let (pid, before) = (run.pid, run.before);
    let (status, printed) = run.finish().await;
    let took = frozen.elapsed();
    assert_eq!(status.code(), Some(3), "{printed}");
    // The step's timeout is 2 s; a request gets 5 s past it, and closing
    // a browser known to be frozen does not wait on it.
    assert!(
        took < std::time::Duration::from_secs(15),
        "docent took {took:?} to give up on a frozen browser"
    );
    assert!(
        printed.contains("the browser stopped answering"),
        "{printed}"
    );
    let results = results_of(&h);
    assert_eq!(results["status"], "broken", "{results:#}");
    assert_eq!(results["failure"]["kind"], "browser", "{results:#}");
    assert_eq!(results["failure"]["line"], 4, "{results:#}");
    assert_nothing_left(pid, before, during).await;
    h.console.shutdown().await;
}

/// `--max-duration` bounds the whole run: the step waiting when it runs
/// out fails at once (not at its own 60 s timeout), with no retry, the
/// reports say so, and nothing is left behind. (10 s leaves a busy
/// machine time to launch the browser and pass the `goto`.)
#[tokio::test(flavor = "multi_thread")]
async fn max_duration_fails_the_step_running_when_it_runs_out() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let waits_and_retries = format!("{WAITS}    retry: 2\n  - expect: Alarm Notifications\n");
    let mut run = h
        .start(&waits_and_retries, &["--max-duration", "10s"])
        .await;
    run.wait_for_line("✓ goto").await;
    let during = run_processes(run.pid).len();
    let (pid, before) = (run.pid, run.before);
    let (status, printed) = run.finish().await;
    assert_eq!(status.code(), Some(1), "{printed}");
    assert!(
        printed.contains("the run to end within --max-duration 10.0s"),
        "{printed}"
    );
    let results = results_of(&h);
    assert_eq!(results["status"], "failed", "{results:#}");
    assert_eq!(results["failure"]["kind"], "max_duration", "{results:#}");
    assert_eq!(results["failure"]["line"], 4, "{results:#}");
    let waited = results["failure"]["waited_ms"].as_f64().unwrap();
    assert!(
        waited < 10_000.0,
        "the step waited {waited} ms of a 10 s run"
    );
    assert_eq!(results["counts"]["not_run"], 1, "{results:#}");
    assert_nothing_left(pid, before, during).await;
    h.console.shutdown().await;
}

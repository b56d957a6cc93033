//! `docent run --workers N` with real browsers: runs in parallel sessions
//! against one simulated console never see each other's state (the
//! console keeps it per session), each run's output is printed as one
//! block, one summary and index cover every run, and Ctrl-C closes every
//! browser under way and starts no more.

use crate::common::{
    DEADLINE, Harness, browser_available, docent, processes_after, run_processes, temp_folders,
    text,
};
use crate::steps::on_form;
use rustix::process::{Pid, Signal, kill_process};
use std::process::Stdio;
use std::time::Instant;

const SHIPPED: &str = include_str!("../../runbooks/mtd-create-tracker.yaml");

#[tokio::test(flavor = "multi_thread")]
async fn the_seed_runbook_four_times_two_at_a_time_against_one_console_passes() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    // One file name in four folders: the seed turns CTS detection off and
    // on again, which a run sharing another's state would see half done.
    for copy in ["a", "b", "c", "d"] {
        std::fs::create_dir(h.dir.path().join(copy)).unwrap();
        h.write(&format!("{copy}/mtd-create-tracker.yaml"), SHIPPED);
    }
    let output = h.run(h.dir.path(), &["--workers", "2"]).await;
    let printed = text(&output);
    assert!(output.status.success(), "{printed}");
    assert!(printed.contains("4 runbooks: 4 passed in "), "{printed}");
    assert!(printed.contains("(2 workers)"), "{printed}");
    let out = h.out();
    for copy in ["a", "b", "c", "d"] {
        let results =
            std::fs::read_to_string(out.join(format!("{copy}-mtd-create-tracker/results.json")))
                .unwrap();
        assert!(
            results.contains("\"status\": \"passed\""),
            "{copy}: {results}"
        );
    }
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert_eq!(index.matches("-mtd-create-tracker/report.html").count(), 4);
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn parallel_runs_print_one_block_each_and_the_worst_exit_code() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let good = h.write("good.yaml", &on_form("  - click: { text: Edit, nth: 2 }\n"));
    let bad = h.write("bad.yaml", &on_form("  - click: Edit\n"));
    let output = h
        .run(&good, &[bad.to_str().unwrap(), "--workers", "2"])
        .await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    // Each run's lines come together: from its header to its report line
    // no other run's header or report line comes between.
    let lines: Vec<&str> = stdout.lines().collect();
    for mine in ["good", "bad"] {
        let header = format!("{mine}.yaml, ");
        let report = format!("{mine}/report.html");
        let start = lines
            .iter()
            .position(|l| l.starts_with("docent: ") && l.contains(&header))
            .unwrap_or_else(|| panic!("{mine}'s header in {stdout}"));
        let end = lines
            .iter()
            .position(|l| l.starts_with("report: ") && l.ends_with(&report))
            .unwrap_or_else(|| panic!("{report} in {stdout}"));
        assert!(start < end, "{stdout}");
        assert!(
            lines[start + 1..end]
                .iter()
                .all(|l| !l.starts_with("docent: ") && !l.starts_with("report: ")),
            "{mine}'s block is interleaved:\n{stdout}"
        );
    }
    assert!(
        stdout.contains("2 runbooks: 1 passed, 1 failed in "),
        "{stdout}"
    );
    let junit = std::fs::read_to_string(h.out().join("junit.xml")).unwrap();
    assert_eq!(junit.matches("<testsuite ").count(), 2, "{junit}");
    h.console.shutdown().await;
}

/// Ctrl-C with two runs under way and one waiting: both browsers are
/// closed, the third runbook never starts, and nothing of any run is left.
#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_stops_every_run_under_way_and_starts_no_more() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let waits =
        "name: waits\nsteps:\n  - goto: /lab/form\n  - expect: Never shown\n    timeout: 60s\n";
    let suite = h.dir.path().join("suite");
    std::fs::create_dir(&suite).unwrap();
    for name in ["one", "two", "three"] {
        std::fs::write(suite.join(format!("{name}.yaml")), waits).unwrap();
    }
    let child = docent()
        .args(["run", suite.to_str().unwrap(), "--workers", "2"])
        .args([
            "--url",
            &h.console.url(),
            "--out",
            h.out().to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("docent starts");
    let pid = child.id().expect("docent is running");
    // Both runs are under way once both have a page: two browsers.
    let deadline = Instant::now() + DEADLINE;
    let during = loop {
        let processes = run_processes(pid);
        let browsers = processes
            .iter()
            .filter(|p| p.command.contains("--type=renderer"))
            .count();
        if browsers >= 2 {
            break processes.len();
        }
        assert!(Instant::now() < deadline, "two browsers never came up");
        tokio::task::yield_now().await;
    };
    let signalled = Pid::from_raw(i32::try_from(pid).unwrap()).unwrap();
    kill_process(signalled, Signal::INT).expect("docent is there to signal");
    let output = tokio::time::timeout(DEADLINE, child.wait_with_output())
        .await
        .expect("docent ends")
        .expect("docent's output");
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(130), "{printed}");
    assert!(
        printed.contains("3 runbooks: 2 interrupted, 1 not run in "),
        "{printed}"
    );
    assert!(!h.out().join("two").exists(), "never started: {printed}");
    let left = processes_after(pid).await;
    assert!(
        during > 0 && left.is_empty(),
        "processes outlived docent: {left:#?}"
    );
    assert!(temp_folders(pid).is_empty(), "temporary folders left");
    h.console.shutdown().await;
}

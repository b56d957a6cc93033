//! `docent run --workers N` with real browsers: runs in parallel sessions
//! against one simulated console never see each other's state (the
//! console keeps it per session), each run's output is printed as one
//! block, and one summary and index cover every run.

use crate::common::{Harness, browser_available, text};
use crate::steps::on_form;

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

//! End-to-end: the real `docent` binary drives headless Chromium against the
//! simulated console, started in this process on an ephemeral port. The
//! shipped runbook must pass and write its six figures; broken variants must
//! fail at the right step, with the right reason and a non-zero exit (a
//! console that went away mid-run is named as such); page text holding
//! escape sequences must reach the terminal escaped.
//!
//! These tests need Debian's `chromium` and `chromium-driver` (`make deps`).
//! Under `CI` a missing browser fails the test; locally it skips loudly.

use crate::common::{
    Harness, assert_six_figures, browser_available, position, processes_after, run_processes,
    temp_folders, text,
};
use docent::console;
use rustix::process::{Pid, Signal, kill_process};

const SHIPPED: &str = include_str!("../../runbooks/mtd-create-tracker.yaml");

#[tokio::test(flavor = "multi_thread")]
async fn shipped_runbook_passes_and_writes_six_figures() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let path = h.write("mtd-create-tracker.yaml", SHIPPED);
    let output = h.run(&path, &[]).await;
    let printed = text(&output);
    assert!(output.status.success(), "{printed}");
    assert_six_figures(&h.out());
    assert!(printed.contains("passed in"), "{printed}");
    assert!(
        !printed.contains("docent-demo"),
        "the password never appears: {printed}"
    );
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn toasts_that_live_40ms_are_still_seen() {
    if !browser_available() {
        return;
    }
    // Toasts vanish long before a step can poll for them; the recorder
    // installed in the page must have noted each one anyway.
    let h = Harness::with(console::Config {
        toast_ms: 40,
        animation_ms: 0,
        ..console::Config::default()
    })
    .await;
    let path = h.write("mtd-create-tracker.yaml", SHIPPED);
    let output = h.run(&path, &[]).await;
    let printed = text(&output);
    assert!(output.status.success(), "{printed}");
    assert_eq!(
        printed
            .matches("✓ 5.5 expect toast \"Operation successfully!\"")
            .count(),
        1,
        "{printed}"
    );
    assert_eq!(
        printed
            .matches("expect toast \"Operation successfully!\"")
            .count(),
        3,
        "{printed}"
    );
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_toast_text_fails_at_the_expect_toast_step() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let source = SHIPPED.replacen(
        "expect_toast: Operation successfully!",
        "expect_toast: Operation succeeded!",
        1,
    );
    let (line, column) = position(&source, "expect_toast: Operation succeeded!");
    let path = h.write("wrong-toast.yaml", &source);
    let output = h.run(&path, &["--timeout", "3s"]).await;
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    assert!(
        printed.contains("error: step failed: expect toast \"Operation succeeded!\""),
        "{printed}"
    );
    assert!(
        printed.contains(&format!("--> {}:{line}:{column}", path.display())),
        "{printed}"
    );
    assert!(
        printed.contains("toasts seen: \"Operation successfully!\" (success)"),
        "{printed}"
    );
    assert!(h.out().join("failure.png").exists());
    assert!(h.out().join("failure.html").exists());
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn with_every_write_failing_each_run_fails_at_the_click_that_wrote() {
    if !browser_available() {
        return;
    }
    // The console answers the Configure click with "Operation failed." a
    // moment after the click: the click's step waits for that answer, so
    // the error is the click's, never the `expect_toast` after it.
    let h = Harness::with(console::Config {
        failure_rate: 1.0,
        ..console::Config::default()
    })
    .await;
    let (line, column) = position(SHIPPED, "click: { role: button, text: Configure }");
    let path = h.write("mtd-create-tracker.yaml", SHIPPED);
    let url = h.console.url();
    // Three runs at once: the answer's timing varies with the machine's load.
    let runs = (0..3).map(|n| {
        let out = h.dir.path().join(format!("out-{n}"));
        let mut run = crate::common::docent();
        run.args(["run", "-q", path.to_str().unwrap(), "--url", &url])
            .args(["--out", out.to_str().unwrap()]);
        async move { run.output().await.expect("docent runs") }
    });
    for output in futures_util::future::join_all(runs).await {
        let printed = text(&output);
        assert_eq!(output.status.code(), Some(1), "{printed}");
        assert!(
            printed.contains(&format!(
                "error: step failed: click button \"Configure\"\n  --> {}:{line}:{column}",
                path.display()
            )),
            "{printed}"
        );
        assert!(
            printed.contains("found:      an error toast \"Operation failed.\""),
            "{printed}"
        );
    }
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_button_fails_at_the_click_step() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let source = SHIPPED.replacen("- click: Next", "- click: Continue", 1);
    let (line, column) = position(&source, "click: Continue");
    let path = h.write("missing-button.yaml", &source);
    let output = h.run(&path, &["--timeout", "2s"]).await;
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    assert!(
        printed.contains("error: step failed: click \"Continue\""),
        "{printed}"
    );
    assert!(
        printed.contains(&format!("--> {}:{line}:{column}", path.display())),
        "{printed}"
    );
    assert!(
        printed.contains("looked for: \"Continue\" to be clickable"),
        "{printed}"
    );
    assert!(printed.contains("found:      not found"), "{printed}");
    assert!(
        printed.contains("/console/cts/trackers/system/configure"),
        "{printed}"
    );
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cn_hong_kong_fails_at_the_cts_switch() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let path = h.write("mtd-create-tracker.yaml", SHIPPED);
    let (line, column) = position(
        SHIPPED,
        "toggle: { label: Cloud Trace Service (CTS), to: off",
    );
    let output = h
        .run(&path, &["--var", "region=CN-Hong Kong", "--timeout", "3s"])
        .await;
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    assert!(
        printed.contains("error: step failed: toggle label \"Cloud Trace Service (CTS)\" off"),
        "{printed}"
    );
    assert!(
        printed.contains(&format!("--> {}:{line}:{column}", path.display())),
        "{printed}"
    );
    assert!(printed.contains("is disabled"), "{printed}");
    assert!(
        printed.contains("CTS threat detection is not supported for the CN-Hong Kong region."),
        "{printed}"
    );
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn broken_runbook_exits_2_with_file_line_column() {
    let h = Harness::new().await;
    let path = h.write("broken.yaml", "name: x\nsteps:\n  - clik: Next\n");
    let output = h.run(&path, &[]).await;
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(2), "{printed}");
    assert!(
        printed.contains(&format!("--> {}:3:5", path.display())),
        "{printed}"
    );
    assert!(printed.contains("did you mean `click`?"), "{printed}");
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_browser_crash_is_reported_and_leaves_no_process_behind() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    // The runbook language opens only web URLs (no `chrome://crash`), so
    // the tab's renderer is killed while the expect step waits.
    let mut run = h
        .start(
            "name: crash\nsteps:\n  - goto: /login\n  - expect: Never\n    timeout: 60s\n",
            &[],
        )
        .await;
    run.wait_for_line("✓ goto").await;
    let renderers: Vec<_> = run_processes(run.pid)
        .into_iter()
        .filter(|p| p.command.contains("--type=renderer"))
        .collect();
    assert!(
        !renderers.is_empty(),
        "no renderer among the run's processes"
    );
    for renderer in &renderers {
        let pid = Pid::from_raw(i32::try_from(renderer.pid).unwrap()).unwrap();
        // It may have exited on its own since it was listed.
        let _ = kill_process(pid, Signal::KILL);
    }
    let pid = run.pid;
    let (status, printed) = run.finish().await;
    assert_eq!(status.code(), Some(3), "{printed}");
    assert!(
        printed.contains("error: step failed: expect \"Never\""),
        "{printed}"
    );
    assert!(printed.contains("runbook.yaml:4:5"), "{printed}");
    assert!(printed.contains("FAILED after"), "{printed}");
    let left = processes_after(pid).await;
    assert!(left.is_empty(), "processes outlived docent: {left:#?}");
    let folders = temp_folders(pid);
    assert!(folders.is_empty(), "temporary folders left: {folders:?}");
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_page_fails_the_goto_step() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    // A port that was free a moment ago: nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let path = h.write(
        "unreachable.yaml",
        &format!(
            "name: unreachable\nsteps:\n  - goto: http://127.0.0.1:{closed}/\n  - expect: Never\n"
        ),
    );
    let output = h.run(&path, &[]).await;
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    assert!(
        printed.contains(&format!("--> {}:3:5", path.display())),
        "{printed}"
    );
    assert!(
        printed.contains(&format!("looked for: to load http://127.0.0.1:{closed}/")),
        "{printed}"
    );
    assert!(printed.contains("ERR_CONNECTION_REFUSED"), "{printed}");
    h.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn escape_sequences_in_page_text_are_shown_escaped() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    // The lab form echoes a search as "Results for …": typed with a window
    // title, a colour and a right-to-left override, it is page text that
    // the failed step's diagnosis quotes.
    let path = h.write(
        "hostile.yaml",
        r#"name: Hostile page text
steps:
  - goto: /lab/form
  - click: Accept cookies
    when: { visible: Accept cookies }
  - fill: { label: Search, with: "disk\e]0;pwned\a\e[31mred\u202Etxt" }
  - press: Enter
  - expect: Results for disk
    timeout: 1s
"#,
    );
    let output = h.run(&path, &["--quiet"]).await;
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    for raw in ['\x1b', '\x07', '\u{202e}'] {
        assert!(!printed.contains(raw), "{raw:?} in {printed:?}");
    }
    assert!(
        printed.contains(r#""Results for disk\e]0;pwned\a\e[31mred\u202etxt""#),
        "{printed}"
    );
    h.console.shutdown().await;
}

/// Serves `page` at `/` once, then goes away: it stops listening, and drops
/// every other connection the browser opened, before it sends the page's
/// body, so nothing the browser asks once the page has loaded can reach
/// it. The port it listens on.
async fn console_that_goes_away_after(page: &'static str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        // Browsers open spare connections that may never send a request,
        // so each connection is read on its own until one asks for `/`.
        let (asked, mut requests) = tokio::sync::mpsc::unbounded_channel();
        let mut readers = Vec::new();
        let mut socket = loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let (mut socket, _) = accepted.unwrap();
                    let asked = asked.clone();
                    readers.push(tokio::spawn(async move {
                        let mut head = Vec::new();
                        let mut buffer = [0u8; 1024];
                        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                            match socket.read(&mut buffer).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => head.extend_from_slice(&buffer[..n]),
                            }
                        }
                        if head.starts_with(b"GET / ") {
                            let _ = asked.send(socket);
                        }
                    }));
                }
                Some(socket) = requests.recv() => break socket,
            }
        };
        drop(listener);
        for reader in readers {
            reader.abort();
        }
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            page.len()
        );
        let _ = socket.write_all(head.as_bytes()).await;
        let _ = socket.write_all(page.as_bytes()).await;
        let _ = socket.shutdown().await;
    });
    port
}

#[tokio::test(flavor = "multi_thread")]
async fn a_console_that_went_away_is_named_as_such() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    // A console app loads its data when asked and says so in the page when
    // it cannot; the `data:` icon keeps the browser from asking for one.
    let app = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>Trackers</title><link rel="icon" href="data:,"></head><body>
<button type="button" id="load">Tracker List</button><main id="out"></main>
<script>
document.getElementById('load').addEventListener('click', () => {
  fetch('/api/trackers').then((r) => r.text()).then((t) => { document.getElementById('out').textContent = t; })
    .catch(() => { document.getElementById('out').textContent = 'The data could not be loaded.'; });
});
</script></body></html>"#;
    // A link is a navigation of the browser's own, which ends on its error page.
    let links = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>Trackers</title><link rel="icon" href="data:,"></head><body>
<a href="/trackers">Tracker List</a></body></html>"#;
    for (page, found) in [
        (app, "a request to http://127.0.0.1:{port}/ failed"),
        (
            links,
            "the browser shows its error page (ERR_CONNECTION_REFUSED)",
        ),
    ] {
        let port = console_that_goes_away_after(page).await;
        let path = h.write(
            "gone.yaml",
            &format!(
                "name: gone\nsteps:\n  - goto: http://127.0.0.1:{port}/\n  - click: Tracker List\n  - expect: {{ text: Management, row: system }}\n    timeout: 1s\n"
            ),
        );
        let output = h.run(&path, &[]).await;
        let printed = text(&output);
        assert_eq!(output.status.code(), Some(1), "{printed}");
        assert!(
            printed.contains(&format!("--> {}:5:5", path.display())),
            "the expect step fails: {printed}"
        );
        let found = found.replace("{port}", &port.to_string());
        assert!(
            printed.contains(&format!(
                "found:      the console cannot be reached: {found}"
            )),
            "{printed}"
        );
        // What the page had follows, as before.
        assert!(printed.contains("\n  the page:   "), "{printed}");
        let results: serde_json::Value =
            serde_json::from_slice(&std::fs::read(h.out().join("results.json")).unwrap()).unwrap();
        assert_eq!(results["failure"]["kind"], "unreachable", "{printed}");
    }
    h.console.shutdown().await;
}

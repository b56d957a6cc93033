//! One run, start to finish: launch the browser, install the in-page
//! helper, run the engine, and always close the session and stop the driver
//! — on success, on a failed step, on a browser crash and on Ctrl-C — so no
//! chromedriver or Chromium outlives docent.

use crate::browser::{BrowserError, ChromiumSession, LaunchOptions};
use crate::engine::{self, Reporter, RunOptions, Verdict, probe::page_script};
use crate::runbook::Runbook;

/// Runs `runbook` in a fresh Chromium session.
pub async fn run(
    runbook: &Runbook,
    options: &RunOptions,
    launch: &LaunchOptions,
    reporter: &mut dyn Reporter,
) -> Result<Verdict, BrowserError> {
    let session = ChromiumSession::launch(launch).await?;
    if let Err(e) = session.add_init_script(&page_script(&runbook.toasts)).await {
        session.close().await;
        return Err(e);
    }
    let verdict = tokio::select! {
        verdict = engine::run(&session, runbook, options, reporter) => verdict,
        signal = interrupted() => Verdict::Interrupted(signal),
    };
    session.close().await;
    Ok(verdict)
}

/// Resolves when the user or a supervisor asks docent to stop: Ctrl-C, or
/// SIGTERM (what CI cancellation and `timeout` send).
async fn interrupted() -> &'static str {
    let mut terminate =
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(signal) => signal,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return "Ctrl-C";
            }
        };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => "Ctrl-C",
        _ = terminate.recv() => "SIGTERM",
    }
}

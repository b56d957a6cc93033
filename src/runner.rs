//! One run, start to finish: launch the browser, install the in-page
//! helper, run the engine, and always close the session and stop the driver
//! — on success, on a failed step, on a browser crash and on Ctrl-C — so no
//! chromedriver or Chromium outlives docent.

use crate::browser::{BrowserError, ChromiumSession, LaunchOptions};
use crate::engine::{self, Reporter, RunOptions, Verdict, probe::PAGE_SCRIPT};
use crate::runbook::Runbook;

/// Runs `runbook` in a fresh Chromium session.
pub async fn run(
    runbook: &Runbook,
    options: &RunOptions,
    launch: &LaunchOptions,
    reporter: &mut dyn Reporter,
) -> Result<Verdict, BrowserError> {
    let session = ChromiumSession::launch(launch).await?;
    if let Err(e) = session.add_init_script(PAGE_SCRIPT).await {
        session.close().await;
        return Err(e);
    }
    let verdict = tokio::select! {
        verdict = engine::run(&session, runbook, options, reporter) => verdict,
        _ = tokio::signal::ctrl_c() => Verdict::Broken("interrupted (Ctrl-C)".into()),
    };
    session.close().await;
    Ok(verdict)
}

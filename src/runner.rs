//! One run, start to finish: launch the browser, install the in-page
//! helper, run the engine, and always close the session and stop the driver
//! — on success, on a failed step, on a browser crash, on a panic, and on
//! Ctrl-C or SIGTERM — so no chromedriver or Chromium outlives docent. A
//! second Ctrl-C while the browser is being closed ends docent at once,
//! killing the browser's processes instead of waiting for them.

use crate::browser::{BrowserError, BrowserSession, LaunchOptions};
use crate::engine::{self, Event, Reporter, RunOptions, RunStatus, probe::page_script};
use crate::runbook::Runbook;
use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;
use std::time::Instant;
use tokio::signal::unix::{Signal, SignalKind, signal};

/// Runs `runbook` in a fresh Chromium session.
///
/// A panic in the engine or a reporter closes the browser first and then
/// carries on unwinding.
pub async fn run(
    runbook: &Runbook,
    options: &RunOptions,
    launch: &LaunchOptions,
    reporter: &mut dyn Reporter,
) -> Result<RunStatus, BrowserError> {
    // Listening starts before the browser does, so a signal at any moment
    // of the run ends it in order rather than ending docent on the spot.
    let mut stop = Stop::listen();
    let started = Instant::now();
    let out_of_time = async {
        match options.max_duration {
            Some(max) => tokio::time::sleep_until(max.ends.into()).await,
            None => std::future::pending().await,
        }
    };
    let session = tokio::select! {
        session = BrowserSession::launch(launch) => session?,
        // Giving up the launch drops the driver, whose `Drop` kills its
        // process group (the browser, if it got that far) and removes its
        // temporary folder.
        signal = stop.signalled() => {
            return Ok(interrupted(reporter, signal, started, options));
        }
        // A launch that outlasts `--max-duration` is given up the same way.
        () = out_of_time => {
            return Err(BrowserError::Start {
                program: "the browser".into(),
                reason: "--max-duration ran out before it was ready".into(),
            });
        }
    };
    let work = async {
        session
            .add_init_script(&page_script(&runbook.toasts))
            .await?;
        Ok(engine::run(&session, runbook, options, reporter).await)
    };
    let outcome = tokio::select! {
        outcome = AssertUnwindSafe(work).catch_unwind() => outcome,
        signal = stop.signalled() => Ok(Ok(interrupted(reporter, signal, started, options))),
    };
    // Closing in order takes a moment, longer with a browser that hangs.
    // A signal meanwhile (a second Ctrl-C) does not wait for it: the
    // closing is dropped with the session, whose driver kills its process
    // group and removes its folder on the spot.
    tokio::select! {
        () = session.close() => {}
        signal = stop.signalled() => {
            tracing::debug!(signal, "closing the browser cut short");
        }
    }
    match outcome {
        Ok(result) => result,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Reports a run cut short by `signal`; the engine, stopped mid-step, could
/// not say so itself.
fn interrupted(
    reporter: &mut dyn Reporter,
    signal: &'static str,
    started: Instant,
    options: &RunOptions,
) -> RunStatus {
    reporter.event(&Event::RunInterrupted {
        signal,
        duration: started.elapsed(),
        out_dir: options.folder.path().to_path_buf(),
    });
    RunStatus::Interrupted(signal)
}

/// Ctrl-C (SIGINT) and SIGTERM (what CI cancellation and `timeout` send).
/// Both handlers are installed when this is made, not when it is first
/// awaited.
struct Stop {
    interrupt: Option<Signal>,
    terminate: Option<Signal>,
}

impl Stop {
    fn listen() -> Stop {
        let listen = |kind: SignalKind, name: &str| match signal(kind) {
            Ok(stream) => Some(stream),
            Err(error) => {
                tracing::warn!(%error, "cannot listen for {name}; it will end docent at once");
                None
            }
        };
        Stop {
            interrupt: listen(SignalKind::interrupt(), "Ctrl-C"),
            terminate: listen(SignalKind::terminate(), "SIGTERM"),
        }
    }

    /// Resolves when either signal arrives.
    async fn signalled(&mut self) -> &'static str {
        async fn next(signal: &mut Option<Signal>) {
            match signal {
                // `None` comes only with the runtime shutting down: no signal.
                Some(signal) => {
                    if signal.recv().await.is_none() {
                        std::future::pending::<()>().await;
                    }
                }
                None => std::future::pending().await,
            }
        }
        tokio::select! {
            () = next(&mut self.interrupt) => "Ctrl-C",
            () = next(&mut self.terminate) => "SIGTERM",
        }
    }
}

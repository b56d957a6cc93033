//! Starting and stopping the local WebDriver server of a run: chromedriver
//! for Chromium, geckodriver for Firefox. docent owns the process: it picks
//! a free loopback port, gives the driver a private `TMPDIR` (the browser
//! leaves its profile folder there), waits for the driver's own "ready"
//! line rather than sleeping, and on shutdown asks it to quit, waits for
//! it, and removes the folder. With `pinned_fonts`, docent's own fontconfig
//! configuration (see [`super::fonts`]) goes into that folder too, and
//! `FONTCONFIG_FILE`, which the browser inherits from the driver, points at
//! it (Chromium and Firefox both find fonts through fontconfig on Linux).
//!
//! The driver leads a process group of its own, and the browser with its
//! helper processes (Chromium's zygote and renderers, Firefox's content
//! processes) joins it. That keeps a Ctrl-C typed
//! in a terminal away from the browser — it reaches docent alone, which then
//! closes the browser in order — and it gives docent one handle on every
//! process of the run: whatever of the group is still alive after the
//! polite shutdown, or when a `Driver` is dropped without `stop` (a
//! panic unwinding, a launch given up on a signal), is killed with the
//! group. Chromium's crash reporter (`chrome_crashpad_handler`) starts a
//! session of its own and so leaves the group; it exits by itself once the
//! browser it watches is gone, and `stop` waits for that (a second at
//! most before it is killed too), finding it by the run's `TMPDIR`.

use super::BrowserError;
use rustix::process::{Pid, Signal, kill_process_group};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

/// Which WebDriver server: each has its own flags and its own way of
/// saying it is ready and of being stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriverKind {
    Chromedriver,
    Geckodriver,
}

impl DriverKind {
    /// What installs it, for the error when it is not there.
    fn install_hint(self) -> &'static str {
        match self {
            DriverKind::Chromedriver => {
                "run `make deps` (Debian packages chromium and chromium-driver)"
            }
            DriverKind::Geckodriver => {
                "run `make firefox-deps` (Debian package firefox-esr; `cargo install geckodriver --locked`)"
            }
        }
    }

    /// A line the driver prints once it accepts sessions.
    fn ready_line(self) -> &'static str {
        match self {
            DriverKind::Chromedriver => "started successfully",
            DriverKind::Geckodriver => "Listening on",
        }
    }
}

/// A running WebDriver server (chromedriver or geckodriver).
pub struct Driver {
    kind: DriverKind,
    child: Child,
    port: u16,
    /// The driver's process group, until it has been ended.
    group: Option<Pid>,
    /// The private `TMPDIR`, until it has been removed.
    tmp: Option<PathBuf>,
    /// Ends the group if docent itself is killed (see [`Watchdog`]).
    watchdog: Option<Watchdog>,
}

impl Driver {
    /// Starts `program`, a driver of `kind`, and returns once it accepts
    /// sessions; with `pinned_fonts` its browsers render with docent's
    /// fonts only.
    pub async fn start(
        program: &Path,
        kind: DriverKind,
        pinned_fonts: bool,
    ) -> Result<Driver, BrowserError> {
        // A free port is picked, released, then bound by the driver: in
        // between, another process on the machine (a parallel run, a
        // browser's own connection) can take it. Then the driver says so
        // and a fresh port is tried, a few times.
        let mut tries = 0;
        loop {
            tries += 1;
            match Driver::start_once(program, kind, pinned_fonts).await {
                Err(BrowserError::Start { reason, .. })
                    if tries < 4 && reason.to_lowercase().contains("address already in use") =>
                {
                    tracing::debug!(tries, reason, "the driver's port was taken; trying another");
                }
                other => return other,
            }
        }
    }

    async fn start_once(
        program: &Path,
        kind: DriverKind,
        pinned_fonts: bool,
    ) -> Result<Driver, BrowserError> {
        let start_error = |reason: String| BrowserError::Start {
            program: program.display().to_string(),
            reason,
        };
        if !program.exists() {
            return Err(start_error(format!(
                "it is not installed; {}",
                kind.install_hint()
            )));
        }
        let port = free_port().map_err(|e| start_error(format!("no free port: {e}")))?;
        let tmp = std::env::temp_dir().join(format!("docent-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&tmp)
            .map_err(|e| start_error(format!("cannot create {}: {e}", tmp.display())))?;
        let mut command = Command::new(program);
        if pinned_fonts {
            match super::fonts::write_config(&tmp) {
                Ok(file) => {
                    command.env("FONTCONFIG_FILE", file);
                }
                Err(e) => {
                    remove_folder(&tmp);
                    return Err(start_error(format!(
                        "cannot write its font configuration in {}: {e}",
                        tmp.display()
                    )));
                }
            }
        }
        match kind {
            DriverKind::Chromedriver => {
                command
                    .arg(format!("--port={port}"))
                    .arg("--allowed-ips=127.0.0.1");
            }
            DriverKind::Geckodriver => {
                // Firefox's own WebDriver BiDi server needs a port of its
                // own; geckodriver's default (9222) would be shared by
                // every run on the machine.
                let bidi = free_port().map_err(|e| start_error(format!("no free port: {e}")))?;
                command
                    .arg("--port")
                    .arg(port.to_string())
                    .arg("--host")
                    .arg("127.0.0.1")
                    .arg("--websocket-port")
                    .arg(bidi.to_string());
            }
        }
        let spawned = command
            .env("TMPDIR", &tmp)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .kill_on_drop(true)
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) => {
                remove_folder(&tmp);
                return Err(start_error(e.to_string()));
            }
        };
        // The group's id is the leader's pid.
        let group = child
            .id()
            .and_then(|id| i32::try_from(id).ok())
            .and_then(Pid::from_raw);
        tracing::debug!(pid = ?child.id(), port, tmp = %tmp.display(), ?kind, "driver started");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut stderr = child.stderr.take().expect("stderr is piped");
        // From here on `Drop` ends the group and removes the folder, on
        // every early return.
        let watchdog = group.and_then(|group| Watchdog::start(group, &tmp));
        let mut driver = Driver {
            kind,
            child,
            port,
            group,
            tmp: Some(tmp),
            watchdog,
        };
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(Duration::from_secs(10), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if line.contains(kind.ready_line()) {
                    return true;
                }
            }
            false
        })
        .await;
        if ready != Ok(true) {
            driver.end_group();
            let mut said = String::new();
            let _ = tokio::time::timeout(Duration::from_secs(1), stderr.read_to_string(&mut said))
                .await;
            let _ = driver.child.wait().await;
            return Err(start_error(format!(
                "it did not report ready. {}",
                said.trim()
            )));
        }
        // Keep draining both pipes so the driver never blocks on a full one.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                tracing::debug!(target: "docent::driver", "{line}");
            }
        });
        Ok(driver)
    }

    /// The WebDriver endpoint.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Asks the driver to quit (it takes its browsers with it), waits for
    /// it, kills whatever of its process group is still there, and removes
    /// its temporary folder.
    pub async fn stop(mut self) {
        match self.kind {
            DriverKind::Chromedriver => {
                let _ =
                    tokio::time::timeout(Duration::from_secs(2), shutdown_request(self.port)).await;
            }
            // geckodriver has no shutdown endpoint; it ends on SIGTERM
            // (Firefox is gone already once its session was deleted).
            DriverKind::Geckodriver => {
                if let Some(pid) = self
                    .child
                    .id()
                    .and_then(|id| i32::try_from(id).ok())
                    .and_then(Pid::from_raw)
                {
                    let _ = rustix::process::kill_process(pid, Signal::TERM);
                }
            }
        }
        if tokio::time::timeout(Duration::from_secs(5), self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.start_kill();
            let _ = self.child.wait().await;
        }
        // Normally nothing is left: quitting the session ended Chromium.
        // Helpers that outlive their browser (after a crash, say) go here.
        self.clear_up().await;
    }

    /// Ends the driver and its browser without asking either: for a
    /// browser that stopped answering, which would hold up a shutdown
    /// request for its whole timeout.
    pub async fn kill(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
        self.clear_up().await;
    }

    /// Once the driver has ended: kills what is left of its group, waits
    /// until every process of the run is gone, removes the temporary
    /// folder and sends the watchdog away.
    async fn clear_up(&mut self) {
        self.end_group();
        if let Some(tmp) = self.tmp.take() {
            outlast(&tmp).await;
            remove_folder(&tmp);
        }
        if let Some(watchdog) = self.watchdog.take() {
            watchdog.stand_down();
        }
    }

    /// Kills every process still in the driver's group, once.
    fn end_group(&mut self) {
        if let Some(group) = self.group.take() {
            // ESRCH means the group is already empty: the usual case.
            if kill_process_group(group, Signal::KILL).is_ok() {
                tracing::debug!(
                    group = group.as_raw_nonzero().get(),
                    "killed what was left of the driver's process group"
                );
            }
        }
    }
}

impl Drop for Driver {
    /// Reached with the group still alive only when a run was abandoned
    /// midway (a panic unwinding, a launch given up on a signal): there is
    /// no waiting in `drop`, so the group is killed outright.
    fn drop(&mut self) {
        self.end_group();
        if let Some(tmp) = self.tmp.take() {
            remove_folder(&tmp);
        }
        if let Some(watchdog) = self.watchdog.take() {
            watchdog.stand_down();
        }
    }
}

/// A small shell process that outlives docent to clean up after it: it
/// waits on a pipe only docent holds. When docent ends the run it writes
/// a line and the watchdog leaves quietly; when docent is killed outright
/// (`kill -9`, the OOM killer), the kernel closes the pipe and the
/// watchdog kills the driver's process group (and with it the browser) and
/// removes the run's `TMPDIR`. It leads a process group of its own, so a
/// Ctrl-C meant for docent does not reach it.
struct Watchdog {
    child: std::process::Child,
}

/// `$1` is the group, `$2` the folder. A line read means the run ended in
/// order; end of input means docent is gone.
const WATCHDOG: &str =
    r#"if read -r line; then exit 0; fi; kill -s KILL -- "-$1" 2>/dev/null; rm -rf -- "$2""#;

impl Watchdog {
    /// `None` when no shell could be started: the run goes on without.
    fn start(group: Pid, tmp: &Path) -> Option<Watchdog> {
        use std::os::unix::process::CommandExt;
        let child = std::process::Command::new("/bin/sh")
            .arg("-c")
            .arg(WATCHDOG)
            .arg("docent-watchdog")
            .arg(group.as_raw_nonzero().get().to_string())
            .arg(tmp)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn();
        match child {
            Ok(child) => Some(Watchdog { child }),
            Err(e) => {
                tracing::warn!(error = %e, "no watchdog for the driver's process group");
                None
            }
        }
    }

    /// The run ended in order: the watchdog leaves without touching
    /// anything (the group's number may already belong to someone else).
    fn stand_down(mut self) {
        use std::io::Write;
        if let Some(mut stdin) = self.child.stdin.take() {
            let _ = stdin.write_all(b"done\n");
        }
        // It exits at once; reaped here so it leaves no zombie.
        let _ = self.child.wait();
    }
}

/// Waits until no process of the run is alive, so that `stop` returning
/// means the browser is gone rather than going. A killed process takes a
/// moment to die, and Chromium's crash reporter, which left the group,
/// exits on its own once its browser is gone; each carries the run's
/// `TMPDIR`, which is how they are found. Whatever still runs after a
/// second is killed; the wait ends after two whatever happens.
async fn outlast(tmp: &Path) {
    let mark = format!("TMPDIR={}", tmp.display());
    let started = std::time::Instant::now();
    loop {
        let alive = marked_processes(mark.as_bytes());
        if alive.is_empty() || started.elapsed() > Duration::from_secs(2) {
            if !alive.is_empty() {
                tracing::warn!(?alive, "processes of the run did not end");
            }
            return;
        }
        if started.elapsed() > Duration::from_secs(1) {
            for pid in &alive {
                if let Some(pid) = i32::try_from(*pid).ok().and_then(Pid::from_raw) {
                    let _ = rustix::process::kill_process(pid, Signal::KILL);
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The live (not zombie) processes whose environment holds `mark`.
fn marked_processes(mark: &[u8]) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // The state follows the command name, which is in parentheses
            // and may itself hold spaces or parentheses.
            let state = stat.rsplit_once(')')?.1.trim_start().chars().next()?;
            if state == 'Z' || state == 'X' {
                return None;
            }
            let environ = std::fs::read(entry.path().join("environ")).ok()?;
            environ
                .split(|b| *b == 0)
                .any(|var| var == mark)
                .then_some(pid)
        })
        .collect()
}

/// Removes the driver's `TMPDIR`. A helper killed a moment ago may still be
/// finishing a write there, which fails the removal with "directory not
/// empty"; it is tried again a few times before giving up.
fn remove_folder(tmp: &Path) {
    for attempt in 0..20 {
        match std::fs::remove_dir_all(tmp) {
            Ok(()) => return,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
            Err(e) if attempt == 19 => {
                tracing::warn!(folder = %tmp.display(), error = %e, "cannot remove the driver's temporary folder");
            }
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

fn free_port() -> std::io::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

async fn shutdown_request(port: u16) -> std::io::Result<()> {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    stream
        .write_all(b"GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    Ok(())
}

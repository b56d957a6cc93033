//! Starting and stopping chromedriver. docent owns the process: it picks a
//! free loopback port, gives the driver a private `TMPDIR` (Chromium leaves
//! profile folders there), waits for the driver's own "started" line rather
//! than sleeping, and on shutdown asks it to quit, waits for it, and removes
//! the folder. `kill_on_drop` covers panics and early returns.

use super::BrowserError;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

/// A running chromedriver.
pub struct Chromedriver {
    child: Child,
    port: u16,
    tmp: PathBuf,
}

impl Chromedriver {
    /// Starts `program` and returns once it accepts sessions.
    pub async fn start(program: &Path) -> Result<Chromedriver, BrowserError> {
        let start_error = |reason: String| BrowserError::Start {
            program: program.display().to_string(),
            reason,
        };
        if !program.exists() {
            return Err(start_error(
                "it is not installed; run `make deps` (Debian packages chromium and chromium-driver)".into(),
            ));
        }
        let port = free_port().map_err(|e| start_error(format!("no free port: {e}")))?;
        let tmp = std::env::temp_dir().join(format!("docent-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&tmp)
            .map_err(|e| start_error(format!("cannot create {}: {e}", tmp.display())))?;
        let mut child = Command::new(program)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .env("TMPDIR", &tmp)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| start_error(e.to_string()))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(Duration::from_secs(10), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if line.contains("started successfully") {
                    return true;
                }
            }
            false
        })
        .await;
        if ready != Ok(true) {
            let _ = child.start_kill();
            let mut stderr = String::new();
            if let Some(mut err) = child.stderr.take() {
                let _ =
                    tokio::time::timeout(Duration::from_secs(1), err.read_to_string(&mut stderr))
                        .await;
            }
            let _ = child.wait().await;
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(start_error(format!(
                "it did not report ready. {}",
                stderr.trim()
            )));
        }
        // Keep draining stdout so the driver never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Chromedriver { child, port, tmp })
    }

    /// The WebDriver endpoint.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Asks the driver to quit (it takes its browsers with it), waits for
    /// it, and removes its temporary folder. Kills it if it does not comply.
    pub async fn stop(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(2), shutdown_request(self.port)).await;
        if tokio::time::timeout(Duration::from_secs(5), self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.start_kill();
            let _ = self.child.wait().await;
        }
        let _ = std::fs::remove_dir_all(&self.tmp);
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

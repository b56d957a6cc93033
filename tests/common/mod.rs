//! What the end-to-end tests share: a simulated console of each test's
//! own on an ephemeral port, a temp folder, and the real `docent` binary.
//! These tests need Debian's `chromium` and `chromium-driver` (`make deps`);
//! under `CI` a missing browser fails the test, locally it skips loudly.
#![allow(dead_code)]

use docent::console;
use std::path::{Path, PathBuf};
use std::process::Output;

pub fn browser_available() -> bool {
    let present = Path::new("/usr/bin/chromedriver").exists()
        && Path::new("/usr/lib/chromium/chromium").exists();
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but Chromium/chromedriver are missing: run `make deps`"
        );
        eprintln!(
            "\n!!! SKIPPED: chromium and chromium-driver are not installed; run `make deps` !!!\n"
        );
    }
    present
}

/// A console of this test's own, a temp folder, and the binary to run.
pub struct Harness {
    pub console: console::RunningConsole,
    pub dir: tempfile::TempDir,
}

impl Harness {
    pub async fn new() -> Harness {
        Harness::with(console::Config::default()).await
    }

    pub async fn with(config: console::Config) -> Harness {
        let console = console::start(console::Config { port: 0, ..config })
            .await
            .expect("console starts");
        Harness {
            console,
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    pub async fn run(&self, runbook: &Path, extra: &[&str]) -> Output {
        let url = self.console.url();
        let out = self.out();
        let mut args = vec![
            "run",
            runbook.to_str().unwrap(),
            "--url",
            &url,
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        tokio::process::Command::new(env!("CARGO_BIN_EXE_docent"))
            .args(&args)
            .env("CONSOLE_PASSWORD", console::Config::default().password)
            .output()
            .await
            .expect("docent runs")
    }
}

pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The 1-based line and column of the first line of `source` containing `needle`.
pub fn position(source: &str, needle: &str) -> (usize, usize) {
    source
        .lines()
        .enumerate()
        .find_map(|(i, line)| line.find(needle).map(|c| (i + 1, c + 1)))
        .unwrap_or_else(|| panic!("{needle} not in runbook"))
}

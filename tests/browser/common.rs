//! What the end-to-end tests share: a simulated console of each test's
//! own on an ephemeral port, a temp folder, the real `docent` binary, and
//! an account of the processes and temporary folders a run leaves behind.
//! These tests need Debian's `chromium` and `chromium-driver` (`make deps`);
//! under `CI` a missing browser fails the test, locally it skips loudly.
#![allow(dead_code)]

use docent::console;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout};

/// Browsers started in this process share one mark (`docent-<this pid>`),
/// and the panic tests count the processes and folders with that mark:
/// every test that starts a browser in-process holds this while it runs.
pub static IN_PROCESS_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

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
        docent().args(&args).output().await.expect("docent runs")
    }

    /// Starts `docent run` on `runbook` without waiting for it to end.
    ///
    /// docent reads its runbook from its standard input, an anonymous pipe,
    /// through a link named `runbook.yaml` (so messages and folders name it
    /// so): it is held before it launches anything until the text is
    /// written and the pipe closed, and the count of its run's processes
    /// taken in that window is the run's "before".
    pub async fn start(&self, runbook: &str, extra: &[&str]) -> Started {
        let path = self.dir.path().join("runbook.yaml");
        std::os::unix::fs::symlink("/dev/stdin", &path).expect("link runbook.yaml to /dev/stdin");
        let url = self.console.url();
        let out = self.out();
        let mut child = docent()
            .args(["run", path.to_str().unwrap(), "--url", &url])
            .args(["--out", out.to_str().unwrap()])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("docent starts");
        let pid = child.id().expect("docent is running");
        let before = run_processes(pid).len();
        let mut stdin = child.stdin.take().expect("stdin is piped");
        tokio::time::timeout(DEADLINE, stdin.write_all(runbook.as_bytes()))
            .await
            .expect("docent reads its runbook")
            .expect("the runbook is written");
        // Closing the pipe ends the runbook.
        drop(stdin);
        let stdout = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
        Started {
            child,
            pid,
            before,
            stdout,
            printed: String::new(),
        }
    }
}

/// The `docent` binary, with the simulated console's password and plain
/// output (tests read plain lines, whatever colours the CI sets up).
pub fn docent() -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_docent"));
    command
        .env("CONSOLE_PASSWORD", console::Config::default().password)
        .env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE");
    command
}

/// How long a test waits for something that should take a second or two.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// A docent run in progress.
pub struct Started {
    pub child: Child,
    pub pid: u32,
    /// Processes of the run before docent read its runbook.
    pub before: usize,
    stdout: Lines<BufReader<ChildStdout>>,
    /// What docent printed to stdout so far.
    pub printed: String,
}

impl Started {
    /// Reads docent's output until a line contains `needle`.
    pub async fn wait_for_line(&mut self, needle: &str) {
        let found = tokio::time::timeout(DEADLINE, async {
            while let Ok(Some(line)) = self.stdout.next_line().await {
                self.printed.push_str(&line);
                self.printed.push('\n');
                if line.contains(needle) {
                    return true;
                }
            }
            false
        })
        .await;
        assert_eq!(
            found,
            Ok(true),
            "docent never printed {needle:?}; it printed:\n{}",
            self.printed
        );
    }

    /// Waits for docent to exit; its status and everything it printed
    /// (stdout, then stderr).
    pub async fn finish(mut self) -> (ExitStatus, String) {
        let mut rest = String::new();
        let mut stderr = String::new();
        let mut err = self.child.stderr.take().expect("stderr is piped");
        let status = tokio::time::timeout(DEADLINE, async {
            let mut out = self.stdout.into_inner();
            let _ = tokio::join!(
                out.read_to_string(&mut rest),
                err.read_to_string(&mut stderr)
            );
            self.child.wait().await
        })
        .await
        .expect("docent exits in time")
        .expect("docent's status");
        (status, format!("{}{rest}{stderr}", self.printed))
    }
}

/// A live process started for a docent run: chromedriver, Chromium and
/// Chromium's helpers.
#[derive(Debug, Clone)]
pub struct RunProcess {
    pub pid: u32,
    pub command: String,
}

/// The live (not zombie) processes started for the docent process
/// `docent_pid` — by the `docent` binary, or by a test process calling the
/// library, whose own pid is then the one to pass.
///
/// chromedriver gets a private `TMPDIR` named `docent-<pid>-<port>`, and
/// three marks find what descends from it. `/proc/*/environ` shows that
/// `TMPDIR` for chromedriver, Chromium's browser process and its crash
/// reporter. Chromium's zygote and everything it forks (renderers, GPU and
/// utility processes) rewrite their command line over the environment
/// block, so their environ no longer shows it; their command line names
/// the profile folder inside it instead (`--user-data-dir=…/docent-<pid>-…`).
/// Last, anything in the process group of a marked process belongs to the
/// run too (chromedriver leads a group of its own), unless that group is
/// this test's.
pub fn run_processes(docent_pid: u32) -> Vec<RunProcess> {
    let folder = std::env::temp_dir()
        .join(format!("docent-{docent_pid}-"))
        .display()
        .to_string();
    let in_env = format!("TMPDIR={folder}");
    let own_group = stat(Path::new("/proc/self")).map(|s| s.group);
    let mut live = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let dir = entry.path();
        // A process may exit between any two reads; it is then no longer there.
        let Some(stat) = stat(&dir) else { continue };
        if stat.state == 'Z' {
            continue;
        }
        let environ = std::fs::read(dir.join("environ")).unwrap_or_default();
        let command =
            String::from_utf8_lossy(&std::fs::read(dir.join("cmdline")).unwrap_or_default())
                .replace('\0', " ")
                .trim_end()
                .to_string();
        let marked = environ
            .split(|b| *b == 0)
            .any(|var| String::from_utf8_lossy(var).starts_with(&in_env))
            || command.contains(&folder);
        live.push((RunProcess { pid, command }, stat.group, marked));
    }
    let groups: Vec<u32> = live
        .iter()
        .filter(|(_, group, marked)| *marked && Some(*group) != own_group)
        .map(|(_, group, _)| *group)
        .collect();
    live.into_iter()
        .filter(|(_, group, marked)| *marked || groups.contains(group))
        .map(|(process, _, _)| process)
        .collect()
}

/// Waits until no process of the run is left, or the deadline passes;
/// returns what is left then. Chromium's helpers exit just after their
/// browser, so this usually returns at once.
pub async fn processes_after(docent_pid: u32) -> Vec<RunProcess> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = run_processes(docent_pid);
        if left.is_empty() || Instant::now() > deadline {
            return left;
        }
        tokio::task::yield_now().await;
    }
}

/// Temporary folders `docent-<pid>-*` still in the temp dir.
pub fn temp_folders(docent_pid: u32) -> Vec<PathBuf> {
    let prefix = format!("docent-{docent_pid}-");
    std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect()
}

struct Stat {
    state: char,
    group: u32,
}

/// State and process group from `/proc/<pid>/stat`. The command name in
/// parentheses may itself hold spaces and parentheses, so the fields are
/// counted from the last `)`.
fn stat(dir: &Path) -> Option<Stat> {
    let text = std::fs::read_to_string(dir.join("stat")).ok()?;
    let mut fields = text[text.rfind(')')? + 1..].split_whitespace();
    let state = fields.next()?.chars().next()?;
    let group = fields.nth(1)?.parse().ok()?;
    Some(Stat { state, group })
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

/// The six figures of the seed runbook, each a 1280×800 PNG.
pub fn assert_six_figures(out: &std::path::Path) {
    let mut figures: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".png"))
        .collect();
    figures.sort();
    assert_eq!(
        figures,
        [
            "01-detection-result-notice.png",
            "02-management-tracker.png",
            "03-configure-transfer.png",
            "04-disabling-cts.png",
            "05-enabling-cts.png",
            "06-tracker-configured.png"
        ]
    );
    for figure in &figures {
        let bytes = std::fs::read(out.join(figure)).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{figure} is a PNG");
        let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        assert_eq!((width, height), (1280, 800), "{figure}");
    }
}

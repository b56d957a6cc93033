//! `make bench`: how much time docent adds to each action above the raw
//! WebDriver round trips the action is made of, on a local page — the lab
//! form of the simulated console, served in-process, in headless Chromium.
//!
//! It times the raw commands first (an empty `execute/sync`; find + click;
//! find + clear + send keys; find + is-displayed), then runs a generated
//! runbook of the same actions as docent steps through the engine and
//! takes each step's time from its `StepFinished` event. docent's page is
//! wrapped in a tally of WebDriver commands and of the time spent waiting
//! for their answers, so the table also says how many round trips a step
//! takes and how much of it is docent's own work. The first samples of
//! every kind warm up and are discarded. The numbers also go to `target/bench/actions.json`
//! (below `CARGO_TARGET_DIR` when that is set) for later comparison.
//!
//! No bench framework: medians and percentiles are a sort away.

use docent::browser::{BrowserError, BrowserSession, Clip, LaunchOptions, Page};
use docent::engine::{self, Event, Reporter, RunOptions, RunStatus, probe::page_script};
use docent::runbook::{self, KeyCombo, LoadOptions};
use fantoccini::Locator;
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Samples of every kind that are taken and thrown away first.
const WARM_UP: usize = 10;

/// One kind of action: how docent writes it and how raw WebDriver does it.
struct Kind {
    name: &'static str,
    samples: usize,
    /// The step for sample `i`, as runbook YAML.
    step: fn(usize) -> String,
    /// What the raw equivalent is, for the table's footnote.
    raw: &'static str,
    /// WebDriver commands of the raw equivalent.
    raw_commands: usize,
}

const KINDS: [Kind; 4] = [
    Kind {
        name: "click",
        samples: 200,
        // The button only reports a status line, however often it is clicked.
        step: |_| "  - click: Check connection\n".into(),
        raw: "find #check-connection + element click",
        raw_commands: 2,
    },
    Kind {
        name: "fill",
        samples: 100,
        step: |i| format!("  - fill: {{ label: Notification Name, with: name-{i} }}\n"),
        raw: "find #notification-name + element clear + send keys",
        raw_commands: 3,
    },
    Kind {
        name: "check",
        samples: 100,
        // Alternating, so that every step has to click.
        step: |i| {
            let verb = if i % 2 == 0 { "check" } else { "uncheck" };
            format!("  - {verb}: {{ label: Send email }}\n")
        },
        raw: "find #send-email + element click",
        raw_commands: 2,
    },
    Kind {
        name: "expect",
        samples: 100,
        step: |_| "  - expect: Alarm Notifications\n".into(),
        raw: "find h1.page-title + is displayed",
        raw_commands: 2,
    },
];

#[tokio::main]
async fn main() -> ExitCode {
    let launch = LaunchOptions::default();
    // Found as a run finds them; a missing one is named with every place looked.
    let places = docent::browser::locate::Places::of_this_process();
    if let Err(missing) = places.find_both(None, None) {
        eprintln!("bench: {missing}");
        return ExitCode::FAILURE;
    }
    let console = match docent::console::start(docent::console::Config {
        port: 0,
        // Timing docent, not the page's transitions.
        animation_ms: 0,
        ..docent::console::Config::default()
    })
    .await
    {
        Ok(console) => console,
        Err(e) => {
            eprintln!("bench: cannot start the simulated console: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let session = match BrowserSession::launch(&launch).await {
        Ok(session) => session,
        Err(e) => {
            eprintln!("bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    let measured = measure(&session, &console.url()).await;
    // Closed on every outcome, as a run would be.
    session.close().await;
    console.shutdown().await;
    match measured {
        Ok(report) => {
            print!("{}", report.table());
            match report.save() {
                Ok(path) => println!("\nwritten to {}", path.display()),
                Err(e) => eprintln!("bench: cannot write the JSON: {e}"),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn measure(session: &BrowserSession, base: &str) -> Result<Report, String> {
    let failed = |e: BrowserError| e.to_string();
    // The status line announces "Connection failed" after the first check:
    // an error answer from the console, which is not what is measured here.
    let mut source =
        String::from("name: bench\ntoasts: { ignore: \"[data-testid=status]\" }\nsteps:\n");
    for kind in &KINDS {
        for i in 0..WARM_UP + kind.samples {
            source.push_str(&(kind.step)(i));
        }
    }
    let book = runbook::parse(&source, Path::new("bench.yaml"), &LoadOptions::default())
        .map_err(|e| format!("the generated runbook is invalid: {e}"))?;
    session
        .add_init_script(&page_script(&book.toasts))
        .await
        .map_err(failed)?;
    let client = session.client();
    let wd = |e: fantoccini::error::CmdError| e.to_string();
    client.goto(&format!("{base}/lab/form")).await.map_err(wd)?;
    // The first load in a tab brings a cookie notice; out of the way, it
    // covers nothing either side clicks.
    client
        .find(Locator::Css(".cookie-banner button"))
        .await
        .map_err(wd)?
        .click()
        .await
        .map_err(wd)?;

    let execute = sample(200, || async {
        client.execute("return 1", Vec::new()).await.map(drop)
    })
    .await
    .map_err(wd)?;
    let raw_click = sample(200, || async {
        client
            .find(Locator::Css("#check-connection"))
            .await?
            .click()
            .await
    })
    .await
    .map_err(wd)?;
    let mut n = 0;
    let raw_fill = sample(100, || {
        n += 1;
        let text = format!("raw-{n}");
        async move {
            let field = client.find(Locator::Css("#notification-name")).await?;
            field.clear().await?;
            field.send_keys(&text).await
        }
    })
    .await
    .map_err(wd)?;
    let raw_check = sample(100, || async {
        client
            .find(Locator::Css("#send-email"))
            .await?
            .click()
            .await
    })
    .await
    .map_err(wd)?;
    let raw_expect = sample(100, || async {
        let shown = client
            .find(Locator::Css("h1.page-title"))
            .await?
            .is_displayed()
            .await?;
        assert!(shown, "the page title is visible");
        Ok(())
    })
    .await
    .map_err(wd)?;

    let out = std::env::temp_dir().join(format!("docent-bench-{}", std::process::id()));
    let tally = Tally::default();
    let page = Counted {
        page: session,
        tally: &tally,
    };
    let mut steps = Steps {
        tally: &tally,
        seen: (0, Duration::ZERO),
        taken: Vec::new(),
    };
    let options = RunOptions::new(out.clone());
    let verdict = engine::run(&page, &book, &options, &mut steps).await;
    let _ = std::fs::remove_dir_all(&out);
    if verdict != RunStatus::Passed {
        return Err(format!("the generated runbook did not pass: {verdict:?}"));
    }

    let mut rows = Vec::new();
    let mut taken = steps.taken.into_iter();
    for (kind, raw) in KINDS
        .iter()
        .zip([raw_click, raw_fill, raw_check, raw_expect])
    {
        let mine: Vec<Step> = taken
            .by_ref()
            .take(WARM_UP + kind.samples)
            .skip(WARM_UP)
            .collect();
        let times: Vec<Duration> = mine.iter().map(|s| s.duration).collect();
        let outside: Vec<Duration> = mine
            .iter()
            .map(|s| s.duration.saturating_sub(s.in_webdriver))
            .collect();
        let mut commands: Vec<usize> = mine.iter().map(|s| s.commands).collect();
        commands.sort_unstable();
        rows.push(Row {
            kind,
            docent: Stats::of(&times),
            raw: Stats::of(&raw),
            commands: commands[commands.len() / 2],
            outside: Stats::of(&outside),
        });
    }
    Ok(Report {
        execute: Stats::of(&execute),
        rows,
    })
}

/// Times `count` runs of `action` after `WARM_UP` unrecorded ones.
async fn sample<F, Fut>(
    count: usize,
    mut action: F,
) -> Result<Vec<Duration>, fantoccini::error::CmdError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), fantoccini::error::CmdError>>,
{
    let mut times = Vec::with_capacity(count);
    for i in 0..WARM_UP + count {
        let started = Instant::now();
        action().await?;
        if i >= WARM_UP {
            times.push(started.elapsed());
        }
    }
    Ok(times)
}

/// Each step's time, the WebDriver commands it sent, and how long it waited
/// for their answers.
struct Steps<'a> {
    tally: &'a Tally,
    seen: (usize, Duration),
    taken: Vec<Step>,
}

struct Step {
    duration: Duration,
    commands: usize,
    in_webdriver: Duration,
}

impl Reporter for Steps<'_> {
    fn event(&mut self, event: &Event) {
        if let Event::StepFinished { duration, .. } = event {
            let now = self.tally.read();
            self.taken.push(Step {
                duration: *duration,
                commands: now.0 - self.seen.0,
                in_webdriver: now.1 - self.seen.1,
            });
            self.seen = now;
        }
    }
}

#[derive(Clone, Copy)]
struct Stats {
    samples: usize,
    median: Duration,
    p90: Duration,
}

impl Stats {
    fn of(times: &[Duration]) -> Stats {
        let mut sorted = times.to_vec();
        sorted.sort_unstable();
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        };
        // Nearest rank: the smallest sample with at least 90% at or below it.
        let p90 = sorted[(n * 9).div_ceil(10).saturating_sub(1)];
        Stats {
            samples: n,
            median,
            p90,
        }
    }
}

struct Row {
    kind: &'static Kind,
    docent: Stats,
    raw: Stats,
    /// The median number of WebDriver commands of a docent step.
    commands: usize,
    /// docent's time besides waiting for WebDriver answers.
    outside: Stats,
}

impl Row {
    fn overhead_ms(&self) -> f64 {
        ms(self.docent.median) - ms(self.raw.median)
    }
}

struct Report {
    execute: Stats,
    rows: Vec<Row>,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

impl Report {
    fn table(&self) -> String {
        let mut t = String::new();
        let _ = writeln!(
            t,
            "docent bench: /lab/form of the simulated console, headless Chromium; ms, medians unless said\n"
        );
        let _ = writeln!(
            t,
            "{:<7} {:>7} {:>7} {:>7} {:>7} {:>9} {:>12} {:>11}",
            "action", "samples", "docent", "p90", "raw", "overhead", "round trips", "outside WD"
        );
        for row in &self.rows {
            let _ = writeln!(
                t,
                "{:<7} {:>7} {:>7.2} {:>7.2} {:>7.2} {:>+9.2} {:>12} {:>11.2}",
                row.kind.name,
                row.docent.samples,
                ms(row.docent.median),
                ms(row.docent.p90),
                ms(row.raw.median),
                row.overhead_ms(),
                format!("{} / {}", row.commands, row.kind.raw_commands),
                ms(row.outside.median),
            );
        }
        let _ = writeln!(
            t,
            "\none raw round trip (execute/sync \"return 1\"): median {:.2}, p90 {:.2} ({} samples)",
            ms(self.execute.median),
            ms(self.execute.p90),
            self.execute.samples
        );
        let _ = writeln!(
            t,
            "overhead:    docent's step minus the raw equivalent (negative: docent's way is quicker)"
        );
        let _ = writeln!(
            t,
            "round trips: WebDriver commands of a docent step / of the raw equivalent"
        );
        let _ = writeln!(
            t,
            "outside WD:  a docent step's time besides waiting for WebDriver answers"
        );
        let _ = writeln!(t, "raw equivalents:");
        for row in &self.rows {
            let _ = writeln!(t, "  {:<7} {}", row.kind.name, row.kind.raw);
        }
        t
    }

    fn json(&self) -> Value {
        let stats = |s: &Stats| json!({ "samples": s.samples, "median_ms": ms(s.median), "p90_ms": ms(s.p90) });
        json!({
            "page": "/lab/form",
            "warm_up": WARM_UP,
            "execute_round_trip": stats(&self.execute),
            "actions": self.rows.iter().map(|row| json!({
                "action": row.kind.name,
                "docent": stats(&row.docent),
                "raw": stats(&row.raw),
                "raw_equivalent": row.kind.raw,
                "overhead_ms": row.overhead_ms(),
                "webdriver_commands": row.commands,
                "raw_webdriver_commands": row.kind.raw_commands,
                "outside_webdriver": stats(&row.outside),
            })).collect::<Vec<_>>(),
        })
    }

    fn save(&self) -> std::io::Result<PathBuf> {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("target"));
        let dir = target.join("bench");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("actions.json");
        let text = serde_json::to_string_pretty(&self.json()).map_err(std::io::Error::other)?;
        std::fs::write(&path, text + "\n")?;
        Ok(path)
    }
}

/// What docent's page sent: WebDriver commands and the time spent waiting
/// for their answers.
#[derive(Default)]
struct Tally {
    commands: AtomicUsize,
    nanos: AtomicU64,
}

impl Tally {
    fn read(&self) -> (usize, Duration) {
        (
            self.commands.load(Ordering::Relaxed),
            Duration::from_nanos(self.nanos.load(Ordering::Relaxed)),
        )
    }
}

/// docent's page, tallied: one command per call, except the pointer
/// gestures `session.rs` sends as several CDP mouse events.
struct Counted<'a> {
    page: &'a BrowserSession,
    tally: &'a Tally,
}

impl Counted<'_> {
    async fn send<T>(&self, commands: usize, call: impl Future<Output = T>) -> T {
        let started = Instant::now();
        let answer = call.await;
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.tally.commands.fetch_add(commands, Ordering::Relaxed);
        self.tally.nanos.fetch_add(nanos, Ordering::Relaxed);
        answer
    }
}

impl Page for Counted<'_> {
    async fn goto(&self, url: &str) -> Result<(), BrowserError> {
        self.send(1, self.page.goto(url)).await
    }
    async fn eval(&self, script: &str, args: Vec<Value>) -> Result<Value, BrowserError> {
        self.send(1, self.page.eval(script, args)).await
    }
    async fn click_at(&self, x: f64, y: f64) -> Result<(), BrowserError> {
        // Move, press, release.
        self.send(3, self.page.click_at(x, y)).await
    }
    async fn insert_text(&self, text: &str) -> Result<(), BrowserError> {
        self.send(1, self.page.insert_text(text)).await
    }
    async fn screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        self.send(1, self.page.screenshot()).await
    }
    async fn html(&self) -> Result<String, BrowserError> {
        self.send(1, self.page.html()).await
    }
    async fn url(&self) -> Result<String, BrowserError> {
        self.send(1, self.page.url()).await
    }
    async fn back(&self) -> Result<(), BrowserError> {
        self.send(1, self.page.back()).await
    }
    async fn reload(&self) -> Result<(), BrowserError> {
        self.send(1, self.page.reload()).await
    }
    async fn hover_at(&self, x: f64, y: f64) -> Result<(), BrowserError> {
        self.send(1, self.page.hover_at(x, y)).await
    }
    async fn double_click_at(&self, x: f64, y: f64) -> Result<(), BrowserError> {
        // Move, then press and release twice.
        self.send(5, self.page.double_click_at(x, y)).await
    }
    async fn press(&self, keys: &[KeyCombo]) -> Result<(), BrowserError> {
        self.send(1, self.page.press(keys)).await
    }
    async fn dialog_text(&self) -> Result<Option<String>, BrowserError> {
        self.send(1, self.page.dialog_text()).await
    }
    async fn answer_dialog(&self, accept: bool, text: Option<&str>) -> Result<(), BrowserError> {
        let commands = 1 + usize::from(text.is_some());
        self.send(commands, self.page.answer_dialog(accept, text))
            .await
    }
    async fn enter_frame(&self, element: Value, origin: (f64, f64)) -> Result<(), BrowserError> {
        self.send(1, self.page.enter_frame(element, origin)).await
    }
    async fn leave_frame(&self) -> Result<(), BrowserError> {
        self.send(1, self.page.leave_frame()).await
    }
    async fn windows(&self) -> Result<Vec<String>, BrowserError> {
        self.send(1, self.page.windows()).await
    }
    async fn switch_window(&self, handle: &str) -> Result<(), BrowserError> {
        // More when the window is new to docent; the bench opens none.
        self.send(1, self.page.switch_window(handle)).await
    }
    async fn screenshot_clip(&self, clip: Clip) -> Result<Vec<u8>, BrowserError> {
        self.send(1, self.page.screenshot_clip(clip)).await
    }
}

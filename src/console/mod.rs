//! The simulated console: a faithful imitation of the cloud console pages that docent's seed
//! procedure ("Step 2: Create a Tracker" of Managed Threat Detection) walks through — login, the
//! header with its service list and region picker, MTD's Detection Result and Detection Settings,
//! and the Cloud Trace Service tracker list and Configure wizard. The real console cannot be
//! reached from where docent is developed and demonstrated, so docent serves this one itself
//! (`docent console`, `docent demo`, the end-to-end tests). It behaves like a real console app
//! rather than a static mock: a single-page app whose pages load from a JSON API behind loading
//! masks, state kept server-side per browser session, toasts that come and go, confirmation
//! dialogs, and fault knobs (latency, jitter, toast lifetime, failure rate, animation length)
//! that exercise docent's waiting and failure paths. Beside it, a few "lab" pages under `/lab`
//! (no login) carry every other kind of control and browser behaviour a runbook can meet, for
//! the end-to-end tests of each step kind. All assets are embedded in the binary.

mod api;
mod faults;
mod lab;
mod libs;
mod pages;
mod sessions;
mod state;
#[cfg(test)]
mod tests;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use anyhow::Context;
use axum::Router;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use api::AppState;
pub use faults::Drift;
use faults::Faults;

/// How to serve the simulated console; also the flags of `docent console`.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8480)]
    pub port: u16,
    /// IAM user name accepted at login.
    #[arg(long, default_value = "demo")]
    pub user: String,
    /// Password accepted at login.
    #[arg(long, default_value = "docent-demo")]
    pub password: String,
    /// Milliseconds added to every API call (pages show a loading mask meanwhile).
    #[arg(long, default_value_t = 150)]
    pub latency_ms: u64,
    /// Extra random milliseconds, 0..=jitter, added to each API call.
    #[arg(long, default_value_t = 0)]
    pub jitter_ms: u64,
    /// How long a toast stays before it fades out.
    #[arg(long, default_value_t = 2000)]
    pub toast_ms: u64,
    /// Probability (0 to 1) that a write fails with the error toast "Operation failed.".
    #[arg(long, default_value_t = 0.0)]
    pub failure_rate: f64,
    /// Length of UI animations (switch knob, dialog, toast fade); raise it to test waiting for
    /// stable elements.
    #[arg(long, default_value_t = 200)]
    pub animation_ms: u64,
    /// Renders one deliberate visual change (`label`: the tracker list's footer reworded,
    /// `colour`: its status badge recoloured), to check that comparing figures with baselines
    /// catches it.
    #[arg(long, value_enum, default_value_t = Drift::None)]
    pub drift: Drift,
    /// Folder of the component-library labs built by `make labs` (`target/labs`), served
    /// under /libs/.
    #[arg(long, value_name = "DIR")]
    pub libs: Option<std::path::PathBuf>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8480,
            user: "demo".to_string(),
            password: "docent-demo".to_string(),
            latency_ms: 150,
            jitter_ms: 0,
            toast_ms: 2000,
            failure_rate: 0.0,
            animation_ms: 200,
            drift: Drift::None,
            libs: None,
        }
    }
}

impl Config {
    /// Whether the settings make sense, before anything is bound; the
    /// message names the setting.
    pub fn check(&self) -> Result<(), String> {
        self.faults()
            .validate()
            .map_err(|message| format!("invalid console setting: {message}"))
    }

    fn faults(&self) -> Faults {
        Faults {
            latency_ms: self.latency_ms,
            jitter_ms: self.jitter_ms,
            toast_ms: self.toast_ms,
            failure_rate: self.failure_rate,
            animation_ms: self.animation_ms,
            drift: self.drift,
        }
    }
}

/// A console serving in a background task; stop it with [`RunningConsole::shutdown`]. Dropping
/// it also stops the server (the shutdown channel closes), just without waiting.
pub struct RunningConsole {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningConsole {
    /// The address the server is bound to (with the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL a browser should open, e.g. `http://127.0.0.1:8480`.
    pub fn url(&self) -> String {
        // A wildcard bind is reachable on loopback; the wildcard itself is not a URL to open.
        let host = if self.addr.ip().is_unspecified() {
            match self.addr.ip() {
                IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
                IpAddr::V6(_) => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
            }
        } else {
            self.addr.ip()
        };
        format!("http://{}", SocketAddr::new(host, self.addr.port()))
    }

    /// Stops accepting connections, lets requests in flight finish, and waits for the task.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        match self.task.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "simulated console stopped with an error"),
            Err(error) => tracing::warn!(%error, "simulated console task failed"),
        }
    }
}

fn router(app: AppState, libs: Option<std::path::PathBuf>) -> Router {
    Router::new()
        .merge(pages::routes())
        .merge(lab::routes())
        .merge(libs::routes(libs))
        .nest("/api", api::routes(app.clone()))
        .fallback(pages::not_found)
        .with_state(app)
}

/// Binds (port 0 = ephemeral) and serves in a background tokio task.
pub async fn start(config: Config) -> anyhow::Result<RunningConsole> {
    let faults = config.faults();
    faults
        .validate()
        .map_err(|message| anyhow::anyhow!("invalid console setting: {message}"))?;
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(config.host, config.port))
        .await
        .with_context(|| {
            format!(
                "cannot listen on {}",
                SocketAddr::new(config.host, config.port)
            )
        })?;
    let addr = listener.local_addr()?;
    let app = router(
        AppState::new(&config.user, &config.password, faults),
        config.libs.clone(),
    );
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                // Either an explicit shutdown or the handle being dropped.
                let _ = stopped.await;
            })
            .await
    });
    tracing::info!(%addr, "simulated console listening");
    Ok(RunningConsole { addr, stop, task })
}

/// Binds and serves until Ctrl-C (for the `docent console` command); prints URL and credentials.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let user = config.user.clone();
    let password = config.password.clone();
    let console = start(config).await?;
    println!("Simulated console: {}/login", console.url());
    println!("IAM user name: {user}");
    println!("Password:      {password}");
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c()
        .await
        .context("cannot listen for Ctrl-C")?;
    console.shutdown().await;
    Ok(())
}

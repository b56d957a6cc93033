//! HTTP-level tests of the simulated console: a real server started with `start` on an ephemeral
//! port, spoken to with hand-written HTTP/1.1 over a `TcpStream`, so that routing, cookies,
//! status codes, latency and fault injection are checked the way a browser meets them.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::net::TcpStream;

use super::{Config, RunningConsole, start};

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The session cookie's `name=value` from `Set-Cookie`.
    fn session_cookie(&self) -> String {
        let set = self.header("set-cookie").expect("Set-Cookie header");
        set.split(';').next().unwrap().to_string()
    }
}

/// One request on a fresh connection; `Connection: close` lets us read the body to the end.
async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let stream = TcpStream::connect(addr).await.unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(cookie) = cookie {
        head.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if !body.is_empty() {
        head.push_str("Content-Type: application/json\r\n");
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    write_all(&stream, format!("{head}{body}").as_bytes()).await;
    let raw = read_to_end(&stream).await;
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect::<Vec<_>>();
    let is_chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if is_chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Reply {
        status,
        headers,
        body,
    }
}

/// tokio's `io-util` extension traits are not among the console's features, so the socket is
/// driven with readiness plus `try_write`/`try_read`.
async fn write_all(stream: &TcpStream, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        stream.writable().await.unwrap();
        match stream.try_write(bytes) {
            Ok(written) => bytes = &bytes[written..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(e) => panic!("write failed: {e}"),
        }
    }
}

async fn read_to_end(stream: &TcpStream) -> Vec<u8> {
    let mut raw = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        stream.readable().await.unwrap();
        match stream.try_read(&mut buffer) {
            Ok(0) => return raw,
            Ok(read) => raw.extend_from_slice(&buffer[..read]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(e) => panic!("read failed: {e}"),
        }
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        body = &rest[size + 2..];
    }
    out
}

async fn console() -> RunningConsole {
    start(Config {
        port: 0,
        latency_ms: 0,
        ..Config::default()
    })
    .await
    .unwrap()
}

async fn login(addr: SocketAddr) -> String {
    let reply = request(
        addr,
        "POST",
        "/api/login",
        None,
        Some(json!({"username": "demo", "password": "docent-demo"})),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.session_cookie()
}

async fn get_json(addr: SocketAddr, path: &str, cookie: &str) -> Value {
    let reply = request(addr, "GET", path, Some(cookie), None).await;
    assert_eq!(reply.status, 200, "GET {path}: {}", reply.body);
    reply.json()
}

async fn send_json(addr: SocketAddr, method: &str, path: &str, cookie: &str, body: Value) -> Reply {
    request(addr, method, path, Some(cookie), Some(body)).await
}

#[tokio::test]
async fn serves_the_app_shell_and_assets() {
    let console = console().await;
    let addr = console.addr();
    assert!(console.url().starts_with("http://127.0.0.1:"));
    assert_ne!(addr.port(), 0);

    let root = request(addr, "GET", "/", None, None).await;
    assert!((300..400).contains(&root.status));
    assert_eq!(root.header("location"), Some("/login"));

    let page = request(addr, "GET", "/login", None, None).await;
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.body.contains("<div id=\"app\">"));

    for (path, kind) in [
        ("/assets/console.js", "text/javascript"),
        ("/assets/console.css", "text/css"),
        ("/assets/favicon.svg", "image/svg+xml"),
    ] {
        let asset = request(addr, "GET", path, None, None).await;
        assert_eq!(asset.status, 200, "{path}");
        assert!(asset.header("content-type").unwrap().starts_with(kind));
    }
    assert_eq!(
        request(addr, "GET", "/assets/nope.js", None, None)
            .await
            .status,
        404
    );
    assert_eq!(
        request(addr, "GET", "/elsewhere", None, None).await.status,
        404
    );
    console.shutdown().await;
}

#[tokio::test]
async fn console_pages_need_a_session() {
    let console = console().await;
    let addr = console.addr();
    let redirect = request(addr, "GET", "/console/mtd/settings", None, None).await;
    assert!((300..400).contains(&redirect.status));
    assert_eq!(
        redirect.header("location"),
        Some("/login?next=/console/mtd/settings")
    );
    let stale = request(
        addr,
        "GET",
        "/console/home",
        Some("console_session=0123"),
        None,
    )
    .await;
    assert!((300..400).contains(&stale.status));

    let cookie = login(addr).await;
    let page = request(addr, "GET", "/console/cts/trackers", Some(&cookie), None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<div id=\"app\">"));
    let bare = request(addr, "GET", "/console", Some(&cookie), None).await;
    assert_eq!(bare.header("location"), Some("/console/home"));

    let api = request(addr, "GET", "/api/mtd/result", None, None).await;
    assert_eq!(api.status, 401);
    console.shutdown().await;
}

#[tokio::test]
async fn login_rejects_wrong_credentials_and_sets_an_httponly_cookie() {
    let console = console().await;
    let addr = console.addr();
    let wrong = request(
        addr,
        "POST",
        "/api/login",
        None,
        Some(json!({"username": "demo", "password": "nope"})),
    )
    .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(
        wrong.json()["error"],
        "Incorrect IAM user name or password."
    );
    assert!(wrong.header("set-cookie").is_none());

    let right = request(
        addr,
        "POST",
        "/api/login",
        None,
        Some(json!({"username": "demo", "password": "docent-demo"})),
    )
    .await;
    assert_eq!(right.status, 200);
    let set_cookie = right.header("set-cookie").unwrap();
    assert!(set_cookie.starts_with("console_session="));
    assert!(set_cookie.contains("HttpOnly"));
    let info = right.json();
    assert_eq!(info["user"], "demo");
    assert_eq!(info["region"]["name"], "CN North-Beijing4");
    assert_eq!(info["regions"].as_array().unwrap().len(), 5);
    assert_eq!(info["ui"]["toast_ms"], 2000);

    let cookie = right.session_cookie();
    assert_eq!(
        get_json(addr, "/api/session", &cookie).await["user"],
        "demo"
    );
    let logout = request(addr, "POST", "/api/logout", Some(&cookie), None).await;
    assert_eq!(logout.status, 200);
    assert!(logout.header("set-cookie").unwrap().contains("Max-Age=0"));
    let after = request(addr, "GET", "/api/session", Some(&cookie), None).await;
    assert_eq!(after.status, 401);
    console.shutdown().await;
}

#[tokio::test]
async fn the_seed_procedure_clears_the_message_through_the_api() {
    let console = console().await;
    let addr = console.addr();
    let cookie = login(addr).await;

    let result = get_json(addr, "/api/mtd/result", &cookie).await;
    assert_eq!(result["notice"], true);
    assert_eq!(result["logs_analysed"], false);

    let trackers = get_json(addr, "/api/cts/trackers", &cookie).await;
    let tracker = &trackers["trackers"][0];
    assert_eq!(tracker["name"], "system");
    assert_eq!(tracker["type"], "Management");
    assert_eq!(tracker["status"], "Normal");
    assert_eq!(tracker["transfer_to_lts"], false);

    let configured = send_json(
        addr,
        "PUT",
        "/api/cts/trackers/system",
        &cookie,
        json!({"transfer_to_lts": true, "transfer_to_obs": false}),
    )
    .await;
    assert_eq!(configured.status, 200);
    assert_eq!(configured.json()["transfer_to_lts"], true);
    assert_eq!(
        get_json(addr, "/api/mtd/result", &cookie).await["notice"],
        true
    );

    for enabled in [false, true] {
        let switched = send_json(
            addr,
            "PUT",
            "/api/mtd/data-sources/cts",
            &cookie,
            json!({ "enabled": enabled }),
        )
        .await;
        assert_eq!(switched.status, 200, "{}", switched.body);
        assert_eq!(switched.json()["enabled"], enabled);
    }
    let result = get_json(addr, "/api/mtd/result", &cookie).await;
    assert_eq!(result["notice"], false);
    assert_eq!(result["logs_analysed"], true);
    let logs: Vec<_> = result["analysed_sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["log"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(logs, ["IAM log", "OBS log", "DNS log", "CTS log"]);

    // Another browser session still sees a fresh console.
    let other = login(addr).await;
    assert_eq!(
        get_json(addr, "/api/mtd/result", &other).await["notice"],
        true
    );
    assert_eq!(
        get_json(addr, "/api/cts/trackers", &other).await["trackers"][0]["transfer_to_lts"],
        false
    );
    console.shutdown().await;
}

#[tokio::test]
async fn hong_kong_refuses_cts_detection() {
    let console = console().await;
    let addr = console.addr();
    let cookie = login(addr).await;
    let moved = send_json(
        addr,
        "POST",
        "/api/region",
        &cookie,
        json!({"region": "ap-southeast-1"}),
    )
    .await;
    assert_eq!(moved.status, 200);
    assert_eq!(moved.json()["region"]["name"], "CN-Hong Kong");

    let settings = get_json(addr, "/api/mtd/settings", &cookie).await;
    let cts = &settings["sources"][3];
    assert_eq!(cts["name"], "Cloud Trace Service (CTS)");
    assert_eq!(cts["supported"], false);
    assert_eq!(cts["enabled"], false);
    assert_eq!(
        cts["note"],
        "CTS threat detection is not supported for the CN-Hong Kong region."
    );
    let refused = send_json(
        addr,
        "PUT",
        "/api/mtd/data-sources/cts",
        &cookie,
        json!({"enabled": false}),
    )
    .await;
    assert_eq!(refused.status, 400);

    let unknown = send_json(
        addr,
        "POST",
        "/api/region",
        &cookie,
        json!({"region": "Atlantis"}),
    )
    .await;
    assert_eq!(unknown.status, 400);
    console.shutdown().await;
}

#[tokio::test]
async fn unknown_things_are_not_found() {
    let console = console().await;
    let addr = console.addr();
    let cookie = login(addr).await;
    assert_eq!(
        request(addr, "GET", "/api/cts/trackers/other", Some(&cookie), None)
            .await
            .status,
        404
    );
    let reply = send_json(
        addr,
        "PUT",
        "/api/mtd/data-sources/xyz",
        &cookie,
        json!({"enabled": true}),
    )
    .await;
    assert_eq!(reply.status, 404);
    assert_eq!(
        request(addr, "GET", "/api/nothing", Some(&cookie), None)
            .await
            .status,
        404
    );
    console.shutdown().await;
}

#[tokio::test]
async fn fault_knobs_can_be_read_and_changed() {
    let console = console().await;
    let addr = console.addr();
    let knobs = request(addr, "GET", "/api/_faults", None, None)
        .await
        .json();
    assert_eq!(knobs["latency_ms"], 0);
    assert_eq!(knobs["toast_ms"], 2000);
    assert_eq!(knobs["failure_rate"], 0.0);

    let changed = request(
        addr,
        "PUT",
        "/api/_faults",
        None,
        Some(json!({"toast_ms": 50, "jitter_ms": 0})),
    )
    .await;
    assert_eq!(changed.status, 200);
    assert_eq!(changed.json()["toast_ms"], 50);

    let rejected = request(
        addr,
        "PUT",
        "/api/_faults",
        None,
        Some(json!({"failure_rate": 2.0})),
    )
    .await;
    assert_eq!(rejected.status, 400);

    // The page learns the new toast lifetime from its next API answer.
    let cookie = login(addr).await;
    let session = get_json(addr, "/api/session", &cookie).await;
    assert_eq!(session["ui"]["toast_ms"], 50);
    console.shutdown().await;
}

#[tokio::test]
async fn the_drift_knob_reaches_the_page_and_refuses_unknown_changes() {
    let console = console().await;
    let addr = console.addr();
    let cookie = login(addr).await;
    let session = get_json(addr, "/api/session", &cookie).await;
    assert_eq!(session["ui"]["drift"], "none");

    let changed = request(
        addr,
        "PUT",
        "/api/_faults",
        None,
        Some(json!({"drift": "colour"})),
    )
    .await;
    assert_eq!(changed.status, 200);
    assert_eq!(changed.json()["drift"], "colour");
    let session = get_json(addr, "/api/session", &cookie).await;
    assert_eq!(session["ui"]["drift"], "colour");

    let unknown = request(
        addr,
        "PUT",
        "/api/_faults",
        None,
        Some(json!({"drift": "layout"})),
    )
    .await;
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    assert!(
        unknown.body.contains("`none`, `label`, `colour`"),
        "{}",
        unknown.body
    );
    let knobs = request(addr, "GET", "/api/_faults", None, None)
        .await
        .json();
    assert_eq!(knobs["drift"], "colour", "a refused change leaves the knob");
    console.shutdown().await;
}

#[tokio::test]
async fn injected_failures_leave_state_unchanged() {
    let console = console().await;
    let addr = console.addr();
    let cookie = login(addr).await;
    let set = request(
        addr,
        "PUT",
        "/api/_faults",
        None,
        Some(json!({"failure_rate": 1.0})),
    )
    .await;
    assert_eq!(set.status, 200);

    let failed = send_json(
        addr,
        "PUT",
        "/api/cts/trackers/system",
        &cookie,
        json!({"transfer_to_lts": true}),
    )
    .await;
    assert_eq!(failed.status, 500);
    assert_eq!(failed.json()["error"], "Operation failed.");
    let failed = send_json(
        addr,
        "PUT",
        "/api/mtd/data-sources/cts",
        &cookie,
        json!({"enabled": false}),
    )
    .await;
    assert_eq!(failed.status, 500);

    // Reads and region changes are not writes: they keep working.
    let trackers = get_json(addr, "/api/cts/trackers", &cookie).await;
    assert_eq!(trackers["trackers"][0]["transfer_to_lts"], false);
    let settings = get_json(addr, "/api/mtd/settings", &cookie).await;
    assert_eq!(settings["sources"][3]["enabled"], true);
    console.shutdown().await;
}

#[tokio::test]
async fn api_calls_wait_for_the_latency_knob() {
    let console = start(Config {
        port: 0,
        latency_ms: 120,
        ..Config::default()
    })
    .await
    .unwrap();
    let addr = console.addr();
    let started = Instant::now();
    let reply = request(addr, "GET", "/api/session", None, None).await;
    assert_eq!(reply.status, 401);
    assert!(started.elapsed() >= Duration::from_millis(120));
    console.shutdown().await;
}

#[tokio::test]
async fn bad_settings_are_refused_at_start() {
    let error = start(Config {
        port: 0,
        failure_rate: 1.5,
        ..Config::default()
    })
    .await
    .err()
    .expect("failure_rate above 1 must be refused");
    assert!(error.to_string().contains("failure_rate"));
}

#[test]
fn default_config_matches_the_command_line_defaults() {
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        console: Config,
    }

    let parsed = Cli::parse_from(["console"]).console;
    let default = Config::default();
    assert_eq!(format!("{parsed:?}"), format!("{default:?}"));
}

mod lab;

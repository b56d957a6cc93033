//! The console's JSON API under `/api`, which every page loads its data from and writes through.
//! It owns the shared server state (sessions, fault knobs, random generator), resolves the
//! session cookie to a per-session `SessionState`, delays every call by the latency knob so that
//! pages show their loading masks for real, and makes writes fail at the configured rate. Every
//! answer carries the current toast lifetime and animation length under `ui`, so a knob changed
//! at run time reaches the page with its next request.
//!
//! Endpoints (all JSON): `POST /login` `{username, password}` (sets the cookie; 401 with
//! "Incorrect IAM user name or password."), `POST /logout`, `GET /session`, `POST /region`
//! `{region}` (id or display name), `GET /mtd/result`, `GET /mtd/settings`,
//! `PUT /mtd/data-sources/{iam|obs|dns|cts}` `{enabled}`, `GET /cts/trackers`,
//! `GET|PUT /cts/trackers/system` `{transfer_to_lts, transfer_to_obs?}`,
//! `POST /cts/trackers/system/{disable|enable}`, and `GET|PUT /_faults` (no session, no latency).
//! Writes (data sources, tracker changes) fail with 500 "Operation failed." at `failure_rate`;
//! reads, login and region changes never do.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::faults::{Drift, Faults, FaultsUpdate, XorShift};
use super::sessions::{LOGIN_FAILED, SessionStore};
use super::state::{DataSource, Region, RegionView, SessionState, TRACKER_NAME};

/// Name of the HttpOnly cookie that carries the session id.
pub const SESSION_COOKIE: &str = "console_session";

/// The text of the error toast for injected failures; runbooks match it verbatim.
pub const OPERATION_FAILED: &str = "Operation failed.";

const SESSION_EXPIRED: &str = "Your session has expired. Log in again.";

/// State shared by every request. Locks are `std` mutexes held only for a few statements and
/// never across an `.await`.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

struct Shared {
    sessions: Mutex<SessionStore>,
    faults: Mutex<Faults>,
    rng: Mutex<XorShift>,
}

/// A poisoned lock only means another request panicked mid-update; the simulator keeps serving.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AppState {
    pub fn new(user: &str, password: &str, faults: Faults) -> AppState {
        AppState(Arc::new(Shared {
            sessions: Mutex::new(SessionStore::new(user, password)),
            faults: Mutex::new(faults),
            rng: Mutex::new(XorShift::from_time()),
        }))
    }

    pub fn faults(&self) -> Faults {
        *lock(&self.0.faults)
    }

    /// Whether the request's cookie names a live session (the page routes redirect otherwise).
    pub fn has_session(&self, headers: &HeaderMap) -> bool {
        session_cookie(headers).is_some_and(|id| lock(&self.0.sessions).contains(&id))
    }

    fn roll_failure(&self) -> bool {
        let faults = self.faults();
        faults.roll_failure(&mut lock(&self.0.rng))
    }

    /// Runs `change` on the session's state; `None` when a parallel request logged it out
    /// between extraction and use (answer with [`AppState::expired`]).
    fn with_session<T>(
        &self,
        session: &SessionId,
        change: impl FnOnce(&mut SessionState) -> T,
    ) -> Option<T> {
        lock(&self.0.sessions).get_mut(&session.0).map(change)
    }

    /// Runs `read` on the caller's session and answers with its view, or
    /// with "session expired" when the cookie names no live session.
    fn view<T: Serialize>(
        &self,
        session: &SessionId,
        read: impl FnOnce(&mut SessionState) -> T,
    ) -> Response {
        match self.with_session(session, read) {
            Some(view) => self.ok(view),
            None => self.expired(),
        }
    }

    fn expired(&self) -> Response {
        self.error(StatusCode::UNAUTHORIZED, SESSION_EXPIRED)
    }

    /// A JSON answer with the UI knobs attached.
    fn reply<T: Serialize>(&self, status: StatusCode, body: T) -> Response {
        let faults = self.faults();
        let envelope = Envelope {
            body,
            ui: UiKnobs {
                toast_ms: faults.toast_ms,
                animation_ms: faults.animation_ms,
                drift: faults.drift,
            },
        };
        let mut response = (status, Json(envelope)).into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }

    fn ok<T: Serialize>(&self, body: T) -> Response {
        self.reply(StatusCode::OK, body)
    }

    fn error(&self, status: StatusCode, message: &str) -> Response {
        self.reply(status, ErrorBody { error: message })
    }
}

#[derive(Serialize)]
struct Envelope<T> {
    #[serde(flatten)]
    body: T,
    ui: UiKnobs,
}

#[derive(Serialize)]
struct UiKnobs {
    toast_ms: u64,
    animation_ms: u64,
    drift: Drift,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}

/// Extracts the session id from the `Cookie` header, if any.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
}

/// A request made by a logged-in browser; anything else is answered with 401, which the page
/// turns into a trip to the login page.
pub struct SessionId(String);

impl FromRequestParts<AppState> for SessionId {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Response> {
        match session_cookie(&parts.headers) {
            Some(id) if lock(&app.0.sessions).contains(&id) => Ok(SessionId(id)),
            _ => Err(app.expired()),
        }
    }
}

/// The `/api` router. Every route but the fault knobs waits for the latency knob first.
pub fn routes(app: AppState) -> Router<AppState> {
    Router::new()
        .route("/login", post(login))
        .route("/logout", post(logout))
        .route("/session", get(session))
        .route("/region", post(set_region))
        .route("/mtd/result", get(detection_result))
        .route("/mtd/settings", get(detection_settings))
        .route("/mtd/data-sources/{id}", put(set_data_source))
        .route("/cts/trackers", get(trackers))
        .route("/cts/trackers/{name}", get(tracker).put(configure_tracker))
        .route("/cts/trackers/{name}/disable", post(disable_tracker))
        .route("/cts/trackers/{name}/enable", post(enable_tracker))
        .layer(middleware::from_fn_with_state(app, add_latency))
        // Added after the layer on purpose: test harnesses change the knobs without waiting.
        .route("/_faults", get(get_faults).put(put_faults))
        .fallback(not_found)
}

async fn add_latency(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let wait = {
        let faults = app.faults();
        faults.delay(&mut lock(&app.0.rng))
    };
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    next.run(request).await
}

async fn not_found(State(app): State<AppState>) -> Response {
    app.error(StatusCode::NOT_FOUND, "No such API.")
}

#[derive(Deserialize)]
struct LoginRequest {
    username: String,
    password: String,
}

/// What the header needs: who is logged in, the current region and the regions to choose from.
#[derive(Serialize)]
struct SessionInfo {
    user: String,
    region: RegionView,
    regions: Vec<RegionView>,
}

impl SessionInfo {
    fn of(state: &SessionState) -> SessionInfo {
        SessionInfo {
            user: state.user.clone(),
            region: state.region.view(),
            regions: Region::ALL.iter().map(|r| r.view()).collect(),
        }
    }
}

fn session_cookie_header(value: &str, max_age: Option<u32>) -> HeaderValue {
    let mut cookie = format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    // Session ids are hex, so the header value is always valid.
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

async fn login(State(app): State<AppState>, Json(request): Json<LoginRequest>) -> Response {
    let opened = {
        let mut rng = lock(&app.0.rng);
        let mut sessions = lock(&app.0.sessions);
        sessions
            .login(&request.username, &request.password, &mut rng)
            .map(|id| {
                let info = sessions.get_mut(&id).map(|state| SessionInfo::of(state));
                (id, info)
            })
    };
    match opened {
        Some((id, Some(info))) => {
            let mut response = app.ok(info);
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session_cookie_header(&id, None));
            tracing::debug!(user = %request.username, "console login");
            response
        }
        _ => app.error(StatusCode::UNAUTHORIZED, LOGIN_FAILED),
    }
}

async fn logout(State(app): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(id) = session_cookie(&headers) {
        lock(&app.0.sessions).logout(&id);
    }
    let mut response = app.ok(serde_json::json!({ "ok": true }));
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie_header("", Some(0)));
    response
}

async fn session(State(app): State<AppState>, session: SessionId) -> Response {
    app.view(&session, |state| SessionInfo::of(state))
}

#[derive(Deserialize)]
struct RegionRequest {
    region: String,
}

/// Choosing a region is navigation, not a write, so it is never failed on purpose.
async fn set_region(
    State(app): State<AppState>,
    session: SessionId,
    Json(request): Json<RegionRequest>,
) -> Response {
    let Some(region) = Region::parse(&request.region) else {
        return app.error(StatusCode::BAD_REQUEST, "Unknown region.");
    };
    app.view(&session, |state| {
        state.set_region(region);
        SessionInfo::of(state)
    })
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

async fn detection_result(State(app): State<AppState>, session: SessionId) -> Response {
    app.view(&session, |state| state.detection_result(now_ms()))
}

async fn detection_settings(State(app): State<AppState>, session: SessionId) -> Response {
    app.view(&session, |state| state.detection_settings())
}

#[derive(Deserialize)]
struct SwitchRequest {
    enabled: bool,
}

async fn set_data_source(
    State(app): State<AppState>,
    session: SessionId,
    Path(id): Path<String>,
    Json(request): Json<SwitchRequest>,
) -> Response {
    let Some(source) = DataSource::parse(&id) else {
        return app.error(StatusCode::NOT_FOUND, "No such data source.");
    };
    if app.roll_failure() {
        return app.error(StatusCode::INTERNAL_SERVER_ERROR, OPERATION_FAILED);
    }
    match app.with_session(&session, |state| {
        state
            .set_source(source, request.enabled)
            .map(|()| state.source_view(source))
    }) {
        Some(Ok(view)) => app.ok(view),
        Some(Err(refused)) => app.error(StatusCode::BAD_REQUEST, refused.message()),
        None => app.expired(),
    }
}

#[derive(Serialize)]
struct TrackerList<T> {
    region: RegionView,
    trackers: Vec<T>,
}

async fn trackers(State(app): State<AppState>, session: SessionId) -> Response {
    app.view(&session, |state| TrackerList {
        region: state.region.view(),
        trackers: vec![state.tracker_view()],
    })
}

fn unknown_tracker(app: &AppState) -> Response {
    app.error(StatusCode::NOT_FOUND, "The tracker does not exist.")
}

async fn tracker(
    State(app): State<AppState>,
    session: SessionId,
    Path(name): Path<String>,
) -> Response {
    if name != TRACKER_NAME {
        return unknown_tracker(&app);
    }
    app.view(&session, |state| state.tracker_view())
}

#[derive(Deserialize)]
struct ConfigureRequest {
    transfer_to_lts: bool,
    #[serde(default)]
    transfer_to_obs: bool,
}

async fn configure_tracker(
    State(app): State<AppState>,
    session: SessionId,
    Path(name): Path<String>,
    Json(request): Json<ConfigureRequest>,
) -> Response {
    if name != TRACKER_NAME {
        return unknown_tracker(&app);
    }
    if app.roll_failure() {
        return app.error(StatusCode::INTERNAL_SERVER_ERROR, OPERATION_FAILED);
    }
    app.view(&session, |state| {
        state.configure_tracker(request.transfer_to_lts, request.transfer_to_obs);
        state.tracker_view()
    })
}

async fn switch_tracker(
    app: AppState,
    session: SessionId,
    name: String,
    enabled: bool,
) -> Response {
    if name != TRACKER_NAME {
        return unknown_tracker(&app);
    }
    if app.roll_failure() {
        return app.error(StatusCode::INTERNAL_SERVER_ERROR, OPERATION_FAILED);
    }
    app.view(&session, |state| {
        state.set_tracker_enabled(enabled);
        state.tracker_view()
    })
}

async fn disable_tracker(
    State(app): State<AppState>,
    session: SessionId,
    Path(name): Path<String>,
) -> Response {
    switch_tracker(app, session, name, false).await
}

async fn enable_tracker(
    State(app): State<AppState>,
    session: SessionId,
    Path(name): Path<String>,
) -> Response {
    switch_tracker(app, session, name, true).await
}

/// The knobs are a test-harness control: no session needed, no latency added.
/// They answer with the bare knobs (no `ui` envelope): this is what the harness set.
async fn get_faults(State(app): State<AppState>) -> Response {
    Json(app.faults()).into_response()
}

async fn put_faults(State(app): State<AppState>, Json(update): Json<FaultsUpdate>) -> Response {
    let applied = {
        let mut faults = lock(&app.0.faults);
        faults.apply(&update).map(|()| *faults)
    };
    match applied {
        Ok(faults) => {
            tracing::info!(?faults, "console fault knobs changed");
            Json(faults).into_response()
        }
        Err(message) => app.error(StatusCode::BAD_REQUEST, &message),
    }
}

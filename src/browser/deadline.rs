//! Deadlines for requests to the browser. WebDriver has none of its own
//! that help: chromedriver waits on a frozen Chromium for many minutes, and
//! a page load for five. docent bounds every request by the step it serves:
//! it must answer by the step's deadline plus a grace period, and a request
//! sent after that deadline (the evidence of a failed step) gets the grace
//! period alone. A request that misses its deadline means the browser is
//! frozen or overloaded past use, so the session remembers it and refuses
//! every later request at once, instead of queueing each behind the one
//! that hangs; the run then ends as broken, seconds after its step's
//! timeout, and closing it kills the browser rather than asking it.

use super::BrowserError;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a request may outlast its step's deadline. Long enough that a
/// browser under load (a screenshot of a tall page, two cores shared with a
/// build) is not taken for a frozen one; short enough that a frozen one is
/// reported within seconds of the step's timeout.
pub const GRACE: Duration = Duration::from_secs(5);

/// The deadline of requests made outside any step (starting the session,
/// installing the page helper), before the grace period.
const OUTSIDE_STEPS: Duration = Duration::from_secs(25);

/// The deadline requests are held to, and whether one has already missed it.
#[derive(Debug, Default)]
pub struct Deadlines {
    step: Mutex<Option<Instant>>,
    /// The first request that got no answer in time, and how long it waited.
    frozen: Mutex<Option<(&'static str, Duration)>>,
}

impl Deadlines {
    /// Requests from now on serve a step that must end by `deadline`.
    pub fn serve_step(&self, deadline: Instant) {
        *self.step.lock().expect("step deadline") = Some(deadline);
    }

    /// The step's deadline, if it has not passed yet: how long a page
    /// load may take before it counts as too slow.
    pub fn step_remaining(&self, now: Instant) -> Option<Duration> {
        self.step
            .lock()
            .expect("step deadline")
            .map(|deadline| deadline.saturating_duration_since(now))
    }

    /// When a request sent at `now` must have been answered.
    pub fn limit(&self, now: Instant) -> Instant {
        let step = self
            .step
            .lock()
            .expect("step deadline")
            .unwrap_or(now + OUTSIDE_STEPS);
        step.max(now) + GRACE
    }

    /// Whether a request has gone unanswered past its deadline.
    pub fn is_frozen(&self) -> bool {
        self.frozen.lock().expect("frozen").is_some()
    }

    /// Runs `request` (named for the error) within its deadline.
    pub async fn bound<T, E>(
        &self,
        request: &'static str,
        send: impl Future<Output = Result<T, E>>,
    ) -> Result<T, BrowserError>
    where
        BrowserError: From<E>,
    {
        let limit = self.limit(Instant::now());
        self.within(request, limit, send).await
    }

    async fn within<T, E>(
        &self,
        request: &'static str,
        limit: Instant,
        send: impl Future<Output = Result<T, E>>,
    ) -> Result<T, BrowserError>
    where
        BrowserError: From<E>,
    {
        if let Some((request, waited)) = *self.frozen.lock().expect("frozen") {
            return Err(BrowserError::Frozen { request, waited });
        }
        let sent = Instant::now();
        match tokio::time::timeout_at(limit.into(), send).await {
            Ok(answer) => Ok(answer?),
            Err(_) => {
                let waited = sent.elapsed();
                tracing::warn!(request, ?waited, "the browser did not answer in time");
                let mut frozen = self.frozen.lock().expect("frozen");
                let (request, waited) = *frozen.get_or_insert((request, waited));
                Err(BrowserError::Frozen { request, waited })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_may_outlast_its_step_by_the_grace_period_only() {
        let deadlines = Deadlines::default();
        let now = Instant::now();
        assert_eq!(deadlines.limit(now), now + OUTSIDE_STEPS + GRACE);
        deadlines.serve_step(now + Duration::from_secs(10));
        assert_eq!(deadlines.limit(now), now + Duration::from_secs(10) + GRACE);
        assert_eq!(deadlines.step_remaining(now), Some(Duration::from_secs(10)));
        // Past the step's deadline (evidence of its failure), the grace
        // period alone.
        let later = now + Duration::from_secs(60);
        assert_eq!(deadlines.limit(later), later + GRACE);
        assert_eq!(deadlines.step_remaining(later), Some(Duration::ZERO));
    }

    #[tokio::test]
    async fn a_request_past_its_deadline_freezes_the_session_for_every_later_one() {
        let deadlines = Deadlines::default();
        let soon = || Instant::now() + Duration::from_millis(30);
        let answered = deadlines
            .within("status", soon(), async { Ok::<_, BrowserError>(7) })
            .await;
        assert_eq!(answered.unwrap(), 7);
        let hung = deadlines
            .within(
                "execute script",
                soon(),
                std::future::pending::<Result<(), BrowserError>>(),
            )
            .await
            .unwrap_err();
        let message = hung.to_string();
        assert!(
            message.starts_with("the browser stopped answering: no answer to `execute script` in ")
                && message.ends_with("ms; it is frozen or overloaded"),
            "{message}"
        );
        assert!(deadlines.is_frozen());
        // Later requests are refused without being sent, naming the first.
        let refused = deadlines
            .within("screenshot", soon(), async { Ok::<_, BrowserError>(()) })
            .await
            .unwrap_err();
        assert_eq!(refused.to_string(), hung.to_string());
    }
}

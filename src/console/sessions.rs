//! Browser sessions of the simulated console: checking the IAM credentials, handing out random
//! session ids (the value of the HttpOnly cookie), and keeping one `SessionState` per id. Every
//! login starts a fresh state, which is what lets parallel runbook runs against one console
//! server proceed without seeing each other's switches and trackers.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::faults::XorShift;
use super::state::SessionState;

/// Sessions idle for longer than this are dropped at the next login, so a long-lived
/// `docent console` does not grow without bound.
const IDLE_LIMIT: Duration = Duration::from_secs(12 * 60 * 60);

pub const LOGIN_FAILED: &str = "Incorrect IAM user name or password.";

#[derive(Debug)]
struct Entry {
    state: SessionState,
    last_used: Instant,
}

#[derive(Debug)]
pub struct SessionStore {
    user: String,
    password: String,
    sessions: HashMap<String, Entry>,
}

impl SessionStore {
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> SessionStore {
        SessionStore {
            user: user.into(),
            password: password.into(),
            sessions: HashMap::new(),
        }
    }

    /// Checks the credentials and, when they match, opens a new session and returns its id.
    pub fn login(&mut self, user: &str, password: &str, rng: &mut XorShift) -> Option<String> {
        if user != self.user || password != self.password {
            return None;
        }
        let now = Instant::now();
        self.sessions
            .retain(|_, entry| now.duration_since(entry.last_used) < IDLE_LIMIT);
        let id = loop {
            let id = format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64());
            if !self.sessions.contains_key(&id) {
                break id;
            }
        };
        self.sessions.insert(
            id.clone(),
            Entry {
                state: SessionState::new(user),
                last_used: now,
            },
        );
        Some(id)
    }

    pub fn logout(&mut self, id: &str) {
        self.sessions.remove(id);
    }

    pub fn contains(&self, id: &str) -> bool {
        self.sessions.contains_key(id)
    }

    /// The state of a live session, marked as used now.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut SessionState> {
        let entry = self.sessions.get_mut(id)?;
        entry.last_used = Instant::now();
        Some(&mut entry.state)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.sessions.len()
    }
}

#[cfg(test)]
mod tests {
    use super::super::state::DataSource;
    use super::*;

    #[test]
    fn login_checks_both_credentials() {
        let mut rng = XorShift::new(7);
        let mut store = SessionStore::new("demo", "docent-demo");
        assert_eq!(store.login("demo", "wrong", &mut rng), None);
        assert_eq!(store.login("Demo", "docent-demo", &mut rng), None);
        assert_eq!(store.login("", "", &mut rng), None);
        assert_eq!(store.len(), 0);
        let id = store.login("demo", "docent-demo", &mut rng).unwrap();
        assert_eq!(id.len(), 32);
        assert!(store.contains(&id));
        assert_eq!(store.get_mut(&id).unwrap().user, "demo");
    }

    #[test]
    fn sessions_are_isolated() {
        let mut rng = XorShift::new(7);
        let mut store = SessionStore::new("demo", "pw");
        let first = store.login("demo", "pw", &mut rng).unwrap();
        let second = store.login("demo", "pw", &mut rng).unwrap();
        assert_ne!(first, second);
        let state = store.get_mut(&first).unwrap();
        state.configure_tracker(true, false);
        state.set_source(DataSource::Cts, false).unwrap();
        let other = store.get_mut(&second).unwrap();
        assert!(!other.tracker().transfer_to_lts);
        assert!(other.source_enabled(DataSource::Cts));
    }

    #[test]
    fn logout_forgets_the_session() {
        let mut rng = XorShift::new(7);
        let mut store = SessionStore::new("demo", "pw");
        let id = store.login("demo", "pw", &mut rng).unwrap();
        store.logout(&id);
        assert!(!store.contains(&id));
        assert!(store.get_mut(&id).is_none());
        assert!(store.get_mut("not-a-session").is_none());
    }
}

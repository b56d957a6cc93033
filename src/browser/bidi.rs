//! A WebDriver BiDi connection: the standard, browser-neutral protocol over
//! a WebSocket that a session offers when docent asks for `webSocketUrl`.
//! docent uses it where classic WebDriver has no command and Chromium's
//! DevTools Protocol is not there (Firefox, or any endpoint that is not
//! chromedriver): a script installed in every document before the page's
//! own (`script.addPreloadScript`), the exact viewport
//! (`browsingContext.setViewport`) and figures of a rectangle beyond the
//! viewport (`browsingContext.captureScreenshot`). Selenium Grid 4 proxies
//! the socket through the hub, so the same connection works there.
//!
//! Commands and their answers are matched by id; a task reads the socket
//! and hands each answer to whoever waits for it. Events are not
//! subscribed to. When the socket closes, every command waiting and every
//! later one fails with why, which the engine reports like any browser that
//! stopped answering.

use super::BrowserError;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;

type Waiting = Arc<Mutex<Option<HashMap<u64, oneshot::Sender<Result<Value, String>>>>>>;

/// An open BiDi connection to one session.
pub struct Bidi {
    outgoing: mpsc::UnboundedSender<Message>,
    /// Commands sent and not yet answered; `None` once the socket closed.
    waiting: Waiting,
    next_id: AtomicU64,
    tasks: [tokio::task::JoinHandle<()>; 2],
}

impl Bidi {
    /// Opens the session's socket (its `webSocketUrl` capability).
    pub async fn connect(url: &str) -> Result<Bidi, BrowserError> {
        let (socket, _) = tokio_tungstenite::connect_async(url).await.map_err(|e| {
            BrowserError::Session(format!("cannot open WebDriver BiDi at {url}: {e}"))
        })?;
        let (mut sink, mut stream) = socket.split();
        let (outgoing, mut queue) = mpsc::unbounded_channel::<Message>();
        let waiting: Waiting = Arc::new(Mutex::new(Some(HashMap::new())));
        let writer = tokio::spawn(async move {
            while let Some(message) = queue.recv().await {
                if sink.send(message).await.is_err() {
                    break;
                }
            }
            let _ = sink.close().await;
        });
        let answers = Arc::clone(&waiting);
        let reader = tokio::spawn(async move {
            let why = loop {
                match stream.next().await {
                    Some(Ok(Message::Text(text))) => deliver(&answers, &text),
                    Some(Ok(Message::Close(frame))) => {
                        break format!(
                            "the browser closed its WebDriver BiDi connection{}",
                            frame
                                .map(|f| format!(" ({})", f.reason))
                                .filter(|r| r != " ()")
                                .unwrap_or_default()
                        );
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => break format!("the WebDriver BiDi connection broke: {e}"),
                    None => break "the browser closed its WebDriver BiDi connection".to_string(),
                }
            };
            tracing::debug!(why, "BiDi connection ended");
            // Everyone still waiting learns why; later commands see `None`.
            if let Some(waiting) = answers.lock().expect("bidi waiting").take() {
                for (_, answer) in waiting {
                    let _ = answer.send(Err(why.clone()));
                }
            }
        });
        Ok(Bidi {
            outgoing,
            waiting,
            next_id: AtomicU64::new(1),
            tasks: [writer, reader],
        })
    }

    /// Sends `method` with `params` and waits for its result. The caller
    /// bounds the wait (see [`super::deadline`]).
    pub async fn command(&self, method: &str, params: Value) -> Result<Value, BrowserError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (answer, answered) = oneshot::channel();
        match self.waiting.lock().expect("bidi waiting").as_mut() {
            Some(waiting) => {
                waiting.insert(id, answer);
            }
            None => {
                return Err(BrowserError::Command(
                    "the WebDriver BiDi connection is closed".into(),
                ));
            }
        }
        let message = json!({ "id": id, "method": method, "params": params }).to_string();
        if self.outgoing.send(Message::text(message)).is_err() {
            return Err(BrowserError::Command(
                "the WebDriver BiDi connection is closed".into(),
            ));
        }
        match answered.await {
            Ok(Ok(result)) => Ok(result),
            Ok(Err(why)) => Err(BrowserError::Command(format!("{method}: {why}"))),
            Err(_) => Err(BrowserError::Command(format!(
                "{method}: the WebDriver BiDi connection ended"
            ))),
        }
    }
}

impl Drop for Bidi {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Hands one message from the browser to the command it answers. Events
/// and answers nobody waits for any more are dropped.
fn deliver(waiting: &Waiting, text: &str) {
    let Ok(message) = serde_json::from_str::<Value>(text) else {
        tracing::debug!(text, "unreadable BiDi message");
        return;
    };
    let Some(id) = message.get("id").and_then(Value::as_u64) else {
        return;
    };
    let Some(answer) = waiting
        .lock()
        .expect("bidi waiting")
        .as_mut()
        .and_then(|w| w.remove(&id))
    else {
        return;
    };
    let result = match message.get("type").and_then(Value::as_str) {
        Some("success") => Ok(message.get("result").cloned().unwrap_or(Value::Null)),
        _ => Err(format!(
            "{}: {}",
            message["error"].as_str().unwrap_or("error"),
            message["message"].as_str().unwrap_or_default()
        )),
    };
    let _ = answer.send(result);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting_for(id: u64) -> (Waiting, oneshot::Receiver<Result<Value, String>>) {
        let (answer, answered) = oneshot::channel();
        let waiting: Waiting = Arc::new(Mutex::new(Some(HashMap::from([(id, answer)]))));
        (waiting, answered)
    }

    #[test]
    fn a_success_reaches_the_command_with_its_id() {
        let (waiting, mut answered) = waiting_for(7);
        deliver(
            &waiting,
            r#"{"type":"event","method":"log.entryAdded","params":{}}"#,
        );
        deliver(&waiting, r#"{"type":"success","id":8,"result":{}}"#);
        assert!(answered.try_recv().is_err(), "nothing for 7 yet");
        deliver(
            &waiting,
            r#"{"type":"success","id":7,"result":{"script":"s-1"}}"#,
        );
        assert_eq!(answered.try_recv().unwrap(), Ok(json!({ "script": "s-1" })));
    }

    #[test]
    fn an_error_says_its_code_and_message() {
        let (waiting, mut answered) = waiting_for(3);
        deliver(
            &waiting,
            r#"{"type":"error","id":3,"error":"no such frame","message":"context gone"}"#,
        );
        assert_eq!(
            answered.try_recv().unwrap(),
            Err("no such frame: context gone".to_string())
        );
    }
}

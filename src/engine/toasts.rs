//! The run's memory of toasts. The in-page recorder notes every toast the
//! moment it appears; each poll drains the new ones into this log, so a
//! toast that lived 50 ms between two polls is still here when
//! `expect_toast` asks. Steps look at toasts from a mark onwards, and a
//! toast satisfies at most one `expect_toast`.

use super::Point;
use crate::runbook::{Matcher, ToastKind};
use serde::Deserialize;
use std::collections::BTreeMap;

/// What a toast reports, as the page's recorder judged it: from the
/// library's own markers first (type classes and icons), then the runbook's
/// `toasts.errors`, then its words. `role="alert"` alone says nothing of
/// the kind, since libraries put it on success messages too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Success,
    Info,
    Warning,
    Error,
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Level::Success => "success",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        })
    }
}

/// One toast as the recorder saw it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Toast {
    pub seq: u64,
    pub text: String,
    pub kind: Level,
    /// Where its centre was when it appeared, as fractions of the viewport.
    #[serde(default)]
    pub place: Option<Point>,
    #[serde(skip)]
    pub consumed: bool,
}

impl Toast {
    pub fn is_error(&self) -> bool {
        self.kind == Level::Error
    }

    /// Whether the toast is of a kind `expect_toast` asked for.
    pub fn is_kind(&self, kind: ToastKind) -> bool {
        match kind {
            ToastKind::NotError => !self.is_error(),
            ToastKind::Success => self.kind == Level::Success,
            ToastKind::Info => self.kind == Level::Info,
            ToastKind::Warning => self.kind == Level::Warning,
            ToastKind::Error => self.is_error(),
            ToastKind::Any => true,
        }
    }

    fn accepts(&self, text: &Matcher, kind: ToastKind) -> bool {
        let kind_ok = self.is_kind(kind);
        // Toasts often carry a title or a close button with the message;
        // the expected text must appear whole.
        kind_ok
            && match text {
                Matcher::Exact(t) | Matcher::Contains(t) => {
                    self.text == crate::runbook::normalize(t)
                        || self.text.contains(&crate::runbook::normalize(t))
                }
                Matcher::Regex(p) => p.regex.is_match(&self.text),
            }
    }
}

/// One recorder store's answer to a drain call.
#[derive(Debug, Clone, Deserialize)]
pub struct Drained {
    pub id: String,
    pub items: Vec<Toast>,
}

/// A drain call's answer: the new toasts of every same-origin document of
/// the tab (each has its own store), and the runbook selectors the browser
/// could not parse.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Drain {
    pub stores: Vec<Drained>,
    #[serde(default)]
    pub bad: Vec<String>,
}

/// Every toast seen during the run, in order.
#[derive(Debug, Default)]
pub struct ToastLog {
    toasts: Vec<Toast>,
    /// The last sequence number drained from each recorder store (the top
    /// document's and each frame's have their own).
    cursors: BTreeMap<String, u64>,
}

impl ToastLog {
    /// What the page should send: toasts after these sequence numbers, per store.
    pub fn cursor(&self) -> super::protocol::Cursors {
        self.cursors.clone()
    }

    /// Adds freshly drained toasts; returns the ones not seen before.
    pub fn absorb(&mut self, drained: Drained) -> Vec<Toast> {
        // A store not seen before (another origin, tab or frame) numbers from 1.
        let last = self.cursors.entry(drained.id).or_insert(0);
        let fresh: Vec<Toast> = drained
            .items
            .into_iter()
            .filter(|t| t.seq > *last)
            .collect();
        if let Some(newest) = fresh.last() {
            *last = newest.seq;
        }
        self.toasts.extend(fresh.iter().cloned());
        fresh
    }

    /// A position in the log; toasts at or after it are "since" the mark.
    pub fn mark(&self) -> usize {
        self.toasts.len()
    }

    /// Finds (and consumes) the first unconsumed toast since `mark` that matches.
    pub fn take_match(&mut self, mark: usize, text: &Matcher, kind: ToastKind) -> Option<Toast> {
        let start = mark.min(self.toasts.len());
        let toast = self.toasts[start..]
            .iter_mut()
            .find(|t| !t.consumed && t.accepts(text, kind))?;
        toast.consumed = true;
        Some(toast.clone())
    }

    /// The first error toast since `mark` that no step has accounted for.
    pub fn error_since(&self, mark: usize) -> Option<&Toast> {
        self.toasts[mark.min(self.toasts.len())..]
            .iter()
            .find(|t| t.is_error() && !t.consumed)
    }

    /// Toasts since `mark`, for "what the page had instead".
    pub fn since(&self, mark: usize) -> &[Toast] {
        &self.toasts[mark.min(self.toasts.len())..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toast(seq: u64, text: &str, kind: &str) -> Toast {
        Toast {
            seq,
            text: text.into(),
            kind: serde_json::from_value(serde_json::json!(kind)).unwrap(),
            place: None,
            consumed: false,
        }
    }

    fn drained(id: &str, items: Vec<Toast>) -> Drained {
        Drained {
            id: id.into(),
            items,
        }
    }

    #[test]
    fn each_toast_satisfies_one_expectation() {
        let mut log = ToastLog::default();
        let mark = log.mark();
        log.absorb(drained(
            "a",
            vec![toast(1, "Operation successfully!", "success")],
        ));
        assert!(
            log.take_match(
                mark,
                &Matcher::Exact("Operation successfully!".into()),
                ToastKind::NotError
            )
            .is_some()
        );
        assert!(
            log.take_match(
                mark,
                &Matcher::Exact("Operation successfully!".into()),
                ToastKind::NotError
            )
            .is_none()
        );
    }

    #[test]
    fn drains_are_deduplicated_and_stores_restart() {
        let mut log = ToastLog::default();
        assert_eq!(
            log.absorb(drained("a", vec![toast(1, "x", "success")]))
                .len(),
            1
        );
        assert_eq!(
            log.absorb(drained(
                "a",
                vec![toast(1, "x", "success"), toast(2, "y", "success")]
            ))
            .len(),
            1
        );
        assert_eq!(log.cursor(), [("a".to_string(), 2)].into());
        assert_eq!(
            log.absorb(drained("b", vec![toast(1, "z", "success")]))
                .len(),
            1
        );
        assert_eq!(log.since(0).len(), 3);
    }

    #[test]
    fn kinds_and_marks_are_respected() {
        let mut log = ToastLog::default();
        log.absorb(drained("a", vec![toast(1, "Operation failed.", "error")]));
        let mark = log.mark();
        log.absorb(drained("a", vec![toast(2, "Saved", "success")]));
        assert!(
            log.take_match(
                mark,
                &Matcher::Exact("Operation failed.".into()),
                ToastKind::Error
            )
            .is_none()
        );
        assert!(
            log.take_match(
                0,
                &Matcher::Exact("Operation failed.".into()),
                ToastKind::NotError
            )
            .is_none()
        );
        assert_eq!(
            log.error_since(0).map(|t| t.text.as_str()),
            Some("Operation failed.")
        );
        assert!(log.error_since(mark).is_none());
        assert!(
            log.take_match(
                0,
                &Matcher::Exact("Operation failed.".into()),
                ToastKind::Any
            )
            .is_some()
        );
        assert!(
            log.error_since(0).is_none(),
            "a consumed error toast no longer fails steps"
        );
    }

    #[test]
    fn the_default_kind_takes_any_toast_that_is_not_an_error() {
        let kinds = [
            (
                ToastKind::NotError,
                ["success", "info", "warning"].as_slice(),
            ),
            (ToastKind::Success, &["success"]),
            (ToastKind::Info, &["info"]),
            (ToastKind::Warning, &["warning"]),
            (ToastKind::Error, &["error"]),
            (ToastKind::Any, &["success", "info", "warning", "error"]),
        ];
        for (wanted, accepted) in kinds {
            for seen in ["success", "info", "warning", "error"] {
                assert_eq!(
                    toast(1, "x", seen).is_kind(wanted),
                    accepted.contains(&seen),
                    "{wanted:?} takes a {seen} toast"
                );
            }
        }
    }
}

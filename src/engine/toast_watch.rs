//! The engine's watch over the console's toasts: the run's log of them,
//! where the current step and the latest interaction began in it, and the
//! policy by which an error toast fails a step — unless the next step is
//! there to expect it. `expect_toast` looks in the toasts since the latest
//! interaction; an error counts against the step it showed during.

use super::protocol::Cursors;
use super::toasts::{Toast, ToastLog};
use crate::runbook::{Action, Item, Matcher, Step, ToastKind};

#[derive(Debug, Default)]
pub(super) struct ToastWatch {
    log: ToastLog,
    /// Where the latest interaction step began in the log.
    interaction_mark: usize,
    /// Where the current step began in the log.
    step_mark: usize,
    /// Toasts were drained since the step's last input to the page.
    drained: bool,
    /// The next step expects an error toast, so one appearing now is left
    /// for it instead of failing this step.
    error_expected: bool,
}

impl ToastWatch {
    /// A try of a step begins: toasts from now on are its own, and an
    /// interaction also starts what `expect_toast` looks at.
    pub(super) fn step_began(&mut self, interaction: bool) {
        self.step_mark = self.log.mark();
        if interaction {
            self.interaction_mark = self.step_mark;
        }
        self.drained = false;
    }

    /// The step sent input to the page: toasts may follow that were not
    /// drained yet.
    pub(super) fn input_sent(&mut self) {
        self.drained = false;
    }

    /// Whether the toasts were drained since the step's last input.
    pub(super) fn drained(&self) -> bool {
        self.drained
    }

    /// Sets, before a step runs, whether an error toast is the business of
    /// a later step (see [`error_left_to_later`]).
    pub(super) fn expect_error_later(&mut self, rest: &[Item]) {
        self.error_expected = error_left_to_later(rest);
    }

    /// What the page should send: toasts after these sequence numbers.
    pub(super) fn cursor(&self) -> Cursors {
        self.log.cursor()
    }

    /// Adds a drain's toasts to the log; returns the ones not seen before.
    pub(super) fn absorb(&mut self, drained: super::toasts::Drained) -> Vec<Toast> {
        self.log.absorb(drained)
    }

    /// Notes that the step's toasts are all in the log now.
    pub(super) fn caught_up(&mut self) {
        self.drained = true;
    }

    /// An error toast since the step began that fails it: none when the
    /// next step is there to expect it.
    pub(super) fn unexpected_error(&self) -> Option<&Toast> {
        if self.error_expected {
            return None;
        }
        self.log.error_since(self.step_mark)
    }

    /// Finds (and consumes) the first toast since the latest interaction
    /// that an `expect_toast` of `text` and `kind` accepts.
    pub(super) fn take_match(&mut self, text: &Matcher, kind: ToastKind) -> Option<Toast> {
        self.log.take_match(self.interaction_mark, text, kind)
    }

    /// The toasts since the latest interaction, for "what the page had
    /// instead".
    pub(super) fn since_interaction(&self) -> &[Toast] {
        self.log.since(self.interaction_mark)
    }
}

/// Whether an error toast that shows now is the business of a later
/// `expect_toast` (of kind `error` or `any`): the next one in the same list,
/// with only checks, figures and waits before it. A toggle's confirmation,
/// say, is often followed by a screenshot of the toast before it is checked.
fn error_left_to_later(rest: &[Item]) -> bool {
    for item in rest {
        match item {
            Item::Step(Step {
                action: Action::ExpectToast(next),
                ..
            }) => return next.kind.takes_errors(),
            Item::Step(step) if !step.action.is_interaction() => continue,
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::toasts::{Drained, Level};
    use super::*;
    use crate::runbook::{LoadOptions, parse};
    use std::path::Path;

    fn error(seq: u64, text: &str) -> Drained {
        Drained {
            id: "top".into(),
            items: vec![Toast {
                seq,
                text: text.into(),
                kind: Level::Error,
                place: None,
                consumed: false,
            }],
        }
    }

    fn steps(yaml: &str) -> Vec<Item> {
        let source = format!("name: T\nurl: http://127.0.0.1:1\nsteps:\n{yaml}");
        parse(&source, Path::new("t.yaml"), &LoadOptions::default())
            .unwrap()
            .items
    }

    #[test]
    fn an_error_fails_the_step_it_shows_in_unless_a_later_step_expects_it() {
        let mut watch = ToastWatch::default();
        watch.absorb(error(1, "Earlier"));
        watch.step_began(true);
        assert!(
            watch.unexpected_error().is_none(),
            "an earlier step's error"
        );
        watch.absorb(error(2, "Quota exceeded"));
        assert_eq!(watch.unexpected_error().unwrap().text, "Quota exceeded");

        // A figure, then an `expect_toast` of kind error: the error is theirs.
        let rest = steps(
            "  - screenshot: quota\n  - expect_toast: { text: Quota exceeded, kind: error }\n",
        );
        watch.expect_error_later(&rest);
        assert!(watch.unexpected_error().is_none());
        // An interaction in between takes the error back to this step.
        let rest =
            steps("  - click: Next\n  - expect_toast: { text: Quota exceeded, kind: error }\n");
        watch.expect_error_later(&rest);
        assert!(watch.unexpected_error().is_some());
    }

    #[test]
    fn input_to_the_page_asks_for_a_drain() {
        let mut watch = ToastWatch::default();
        watch.step_began(false);
        assert!(!watch.drained());
        watch.caught_up();
        assert!(watch.drained());
        watch.input_sent();
        assert!(!watch.drained());
    }
}

//! The live line under the permanent output on a terminal: a spinner, the
//! step under way with its place in the run (`[5/9]`), its section, and how
//! long it has been waiting, redrawn in place by indicatif's ticker thread so
//! it keeps moving while the engine waits on the page. Permanent lines are
//! written through [`Spinner::suspend`], which takes the line away first and
//! draws it again below them, so no spinner text ever lands in the output
//! that stays. The line is cleared when the run ends and also when the
//! spinner is dropped, so it is never left behind on the screen. indicatif
//! draws nothing on a thread that is panicking, so a spinner dropped while a
//! panic unwinds past the reporter erases its line itself ([`LiveTarget`]).

use super::paint::Paint;
use crate::runbook::duration::human;
use indicatif::{
    ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressState, ProgressStyle, TermLike,
};
use std::io::Write;
use std::time::Duration;

/// How often the spinner turns (and the waited time is redrawn).
const TICK: Duration = Duration::from_millis(100);

const FRAMES: &[&str] = &["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏", " "];

/// Where the spinner is drawn, and how to erase it by hand.
pub struct LiveTarget {
    draw: ProgressDrawTarget,
    erase: Box<dyn Fn() + Send + Sync>,
}

impl LiveTarget {
    /// The process's stdout, redrawn at most 20 times a second.
    pub fn stdout() -> LiveTarget {
        LiveTarget {
            draw: ProgressDrawTarget::stdout_with_hz(REFRESH_HZ),
            erase: Box::new(|| erase_line(&mut std::io::stdout())),
        }
    }

    /// The process's stderr, redrawn at most 20 times a second.
    pub fn stderr() -> LiveTarget {
        LiveTarget {
            draw: ProgressDrawTarget::stderr_with_hz(REFRESH_HZ),
            erase: Box::new(|| erase_line(&mut std::io::stderr())),
        }
    }

    /// Any terminal indicatif can drive (an in-memory one in tests); the
    /// clone keeps a handle for erasing the line.
    pub fn term_like<T: TermLike + Clone + 'static>(term: T) -> LiveTarget {
        let handle = term.clone();
        LiveTarget {
            draw: ProgressDrawTarget::term_like_with_hz(Box::new(term), REFRESH_HZ),
            erase: Box::new(move || {
                let _ = handle.clear_line();
                let _ = handle.flush();
            }),
        }
    }
}

/// indicatif's default rate: smooth enough, cheap on a slow terminal.
const REFRESH_HZ: u8 = 20;

/// Back to the start of the line and erase it (the spinner is one line,
/// and the cursor stays on it between redraws).
fn erase_line(out: &mut dyn Write) {
    let _ = out.write_all(b"\r\x1b[2K");
    let _ = out.flush();
}

pub struct Spinner {
    bar: ProgressBar,
    erase: Box<dyn Fn() + Send + Sync>,
}

impl Spinner {
    /// Starts the spinner on `target` with `message`.
    pub fn start(target: LiveTarget, paint: Paint, message: String) -> Spinner {
        // The message takes what the terminal's width leaves, so a long
        // section title is cut rather than wrapped onto a second line that
        // the next redraw would not erase.
        let template = format!(
            "{} {{wide_msg}} {}",
            paint.cyan("{spinner}"),
            paint.dim("{waited}")
        );
        let style = ProgressStyle::with_template(&template)
            .expect("the spinner's template is valid")
            .tick_strings(FRAMES)
            .with_key("waited", waited);
        let bar = ProgressBar::with_draw_target(None, target.draw)
            .with_style(style)
            .with_finish(ProgressFinish::AndClear)
            .with_message(message);
        bar.enable_steady_tick(TICK);
        Spinner {
            bar,
            erase: target.erase,
        }
    }

    /// Shows a new step (or a pause between steps) and restarts the clock.
    pub fn show(&self, message: String) {
        if self.bar.is_finished() {
            return;
        }
        self.bar.reset_elapsed();
        self.bar.set_message(message);
        // At once, not at the next tick, so a quick step is seen too.
        self.bar.force_draw();
    }

    /// Runs `write` with the line taken off the screen, then draws it again.
    pub fn suspend<R>(&self, write: impl FnOnce() -> R) -> R {
        if self.bar.is_finished() {
            write()
        } else {
            self.bar.suspend(write)
        }
    }

    /// Takes the line off the screen for good.
    pub fn clear(&self) {
        if !self.bar.is_finished() {
            self.bar.finish_and_clear();
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        let shown = !self.bar.is_finished();
        self.clear();
        if shown && std::thread::panicking() {
            // indicatif skipped the clearing draw; the ticker has stopped
            // with the bar finished, so nothing draws the line again.
            (self.erase)();
        }
    }
}

/// The time since the step started: tenths of a second while they still
/// mean something, then minutes and seconds.
fn waited(state: &ProgressState, out: &mut dyn std::fmt::Write) {
    let elapsed = state.elapsed();
    let _ = if elapsed < Duration::from_secs(60) {
        write!(out, "{:.1}s", elapsed.as_secs_f64())
    } else {
        out.write_str(&human(elapsed))
    };
}

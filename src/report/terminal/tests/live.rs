//! The live spinner: what a person sees on a terminal after indicatif's
//! redraws, while a step runs and once it ends, is dropped or unwinds.

use super::*;

/// A terminal in memory: rows of text and a cursor, enough to tell what a
/// person would see after indicatif's redraws.
#[derive(Debug, Clone, Default)]
pub(super) struct Screen(Arc<Mutex<ScreenState>>);

#[derive(Debug, Default)]
struct ScreenState {
    rows: Vec<String>,
    row: usize,
    /// Everything ever written, to tell that the spinner was drawn.
    written: String,
}

impl Screen {
    pub(super) fn visible(&self) -> String {
        let state = self.0.lock().unwrap();
        state
            .rows
            .iter()
            .filter(|r| !r.trim().is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub(super) fn written(&self) -> String {
        self.0.lock().unwrap().written.clone()
    }
}

impl ScreenState {
    fn current(&mut self) -> &mut String {
        while self.rows.len() <= self.row {
            self.rows.push(String::new());
        }
        &mut self.rows[self.row]
    }
}

impl TermLike for Screen {
    fn width(&self) -> u16 {
        80
    }

    fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
        let mut state = self.0.lock().unwrap();
        state.row = state.row.saturating_sub(n);
        Ok(())
    }

    fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
        self.0.lock().unwrap().row += n;
        Ok(())
    }

    fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }

    fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }

    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.write_str(s)?;
        self.0.lock().unwrap().row += 1;
        Ok(())
    }

    fn write_str(&self, s: &str) -> std::io::Result<()> {
        let mut state = self.0.lock().unwrap();
        state.written.push_str(s);
        // A carriage return starts the row again.
        let text = s.rsplit('\r').next().unwrap_or_default().to_string();
        if s.contains('\r') {
            state.current().clear();
        }
        state.current().push_str(&text);
        Ok(())
    }

    fn clear_line(&self) -> std::io::Result<()> {
        self.0.lock().unwrap().current().clear();
        Ok(())
    }

    fn flush(&self) -> std::io::Result<()> {
        Ok(())
    }
}

pub(super) const LIVE: TerminalOptions = TerminalOptions {
    live: true,
    color: false,
    quiet: false,
};

#[test]
fn the_live_spinner_shows_the_step_and_leaves_nothing_behind() {
    let screen = Screen::default();
    let events = sample::masked(&sample::run(Some(10)));
    let mut terminal =
        Terminal::with_live_target(Vec::new(), LIVE, LiveTarget::term_like(screen.clone()));
    for event in &events {
        terminal.event(event);
    }
    let printed = String::from_utf8(terminal.into_inner()).unwrap();
    // The permanent lines are those of a plain run, with no spinner text.
    assert_eq!(printed, render(&events));
    let written = screen.written();
    assert!(
        written.contains("[10/11] click \"Detection Result\"  · 3 Check the result"),
        "{written}"
    );
    assert_eq!(screen.visible(), "");
}

#[test]
fn a_spinner_dropped_mid_step_is_cleared() {
    let screen = Screen::default();
    let events = sample::masked(&sample::run(None));
    let started = events
        .iter()
        .position(|e| matches!(e, Event::StepStarted { .. }))
        .unwrap();
    let mut terminal =
        Terminal::with_live_target(Vec::new(), LIVE, LiveTarget::term_like(screen.clone()));
    for event in &events[..=started] {
        terminal.event(event);
    }
    assert!(
        screen.visible().contains("[1/11] goto /login"),
        "{}",
        screen.visible()
    );
    drop(terminal);
    assert_eq!(screen.visible(), "");
}

#[test]
fn a_panic_unwinding_past_the_reporter_clears_the_spinner() {
    let screen = Screen::default();
    let events = sample::masked(&sample::run(None));
    let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut terminal =
            Terminal::with_live_target(Vec::new(), LIVE, LiveTarget::term_like(screen.clone()));
        for event in events.iter().take(4) {
            terminal.event(event);
        }
        panic!("a bug in the engine");
    }));
    assert!(unwound.is_err());
    assert_eq!(screen.visible(), "");
}

#[test]
fn quiet_or_piped_output_never_starts_a_spinner() {
    for options in [
        PLAIN,
        TerminalOptions {
            quiet: true,
            ..LIVE
        },
    ] {
        let screen = Screen::default();
        let mut terminal =
            Terminal::with_live_target(Vec::new(), options, LiveTarget::term_like(screen.clone()));
        for event in &sample::masked(&sample::run(None)) {
            terminal.event(event);
        }
        assert!(terminal.spinner.is_none());
        assert_eq!(screen.written(), "");
    }
}

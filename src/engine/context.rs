//! Where in the browser the steps act: the window or tab docent switched
//! to, the windows it has seen (in the order it first saw them, so
//! `window: first` and `window: newest` mean something), and the frame it
//! entered, whose viewport offset turns a frame's coordinates into the top
//! viewport's, where the pointer presses. Dialogs are the page's to answer
//! and need no state here.

#[derive(Debug, Default)]
pub(super) struct Context {
    /// Where the current frame's viewport starts in the top viewport.
    frame_offset: (f64, f64),
    /// Window handles in the order docent first saw them.
    windows: Vec<String>,
    current_window: Option<String>,
}

impl Context {
    /// The windows open when the run began; the first is the current one.
    pub(super) fn with_windows(handles: Vec<String>) -> Context {
        Context {
            frame_offset: (0.0, 0.0),
            current_window: handles.first().cloned(),
            windows: handles,
        }
    }

    /// Back in the top document (navigation, `leave_frame`, another window).
    pub(super) fn leave_frames(&mut self) {
        self.frame_offset = (0.0, 0.0);
    }

    /// Inside a frame whose viewport starts at `(x, y)` in the current one.
    pub(super) fn enter_frame(&mut self, x: f64, y: f64) {
        self.frame_offset = (self.frame_offset.0 + x, self.frame_offset.1 + y);
    }

    /// A point of the current frame in the top viewport.
    pub(super) fn to_viewport(&self, x: f64, y: f64) -> (f64, f64) {
        (x + self.frame_offset.0, y + self.frame_offset.1)
    }

    /// Remembers the windows open now that were not seen before.
    pub(super) fn saw_windows(&mut self, handles: &[String]) {
        for handle in handles {
            if !self.windows.contains(handle) {
                self.windows.push(handle.clone());
            }
        }
    }

    /// The first window docent saw.
    pub(super) fn first_window(&self) -> Option<&String> {
        self.windows.first()
    }

    /// The most recently seen window still open, other than the current one.
    pub(super) fn newest_window(&self, open: &[String]) -> Option<&String> {
        self.windows
            .iter()
            .rev()
            .find(|h| open.contains(h) && Some(*h) != self.current_window.as_ref())
    }

    pub(super) fn current_window(&self) -> Option<&String> {
        self.current_window.as_ref()
    }

    /// Switched to `handle`, at its top document.
    pub(super) fn switched_to(&mut self, handle: String) {
        self.current_window = Some(handle);
        self.leave_frames();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_add_up_and_a_window_switch_leaves_them() {
        let mut context = Context::with_windows(vec!["a".into()]);
        context.enter_frame(10.0, 20.0);
        context.enter_frame(1.0, 2.0);
        assert_eq!(context.to_viewport(5.0, 5.0), (16.0, 27.0));
        context.saw_windows(&["a".into(), "b".into()]);
        assert_eq!(
            context.newest_window(&["a".into(), "b".into()]),
            Some(&"b".to_string())
        );
        context.switched_to("b".into());
        assert_eq!(context.to_viewport(5.0, 5.0), (5.0, 5.0));
        assert_eq!(context.first_window(), Some(&"a".to_string()));
        assert_eq!(
            context.newest_window(&["a".into(), "b".into()]),
            Some(&"a".to_string())
        );
    }
}

//! Screenshots: waiting for the page to settle, highlight and mask
//! overlays, and the viewport, full-page or element area of a figure; the
//! run's figure count, and the demo's frames (the page just before a
//! step's last press, or after the step).

use super::actions::StepResult;
use super::probe::{Answer, Locate, Mode, Scope};
use super::protocol;
use super::{Engine, Event, FailureKind, FramePng, Point, StepError, StepFailure};
use crate::browser::{BrowserError, Page};
use crate::runbook::{Area, Screenshot};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the run has shot: its numbered figures, and for the demo the
/// frame taken just before the current step's last press.
#[derive(Debug, Default)]
pub(super) struct Figures {
    count: usize,
    press_frame: Option<(Arc<Vec<u8>>, Point)>,
}

impl Figures {
    /// The number of the next figure, from 1.
    fn next_number(&mut self) -> usize {
        self.count += 1;
        self.count
    }

    /// A step begins: a press frame of an earlier step is no longer its.
    pub(super) fn step_began(&mut self) {
        self.press_frame = None;
    }

    /// The page just before a press at `at`, for the demo.
    pub(super) fn pressing(&mut self, png: Vec<u8>, at: Point) {
        self.press_frame = Some((Arc::new(png), at));
    }

    fn take_press_frame(&mut self) -> Option<(Arc<Vec<u8>>, Point)> {
        self.press_frame.take()
    }
}

impl<P: Page> Engine<'_, P> {
    pub(super) async fn screenshot(&mut self, shot: &Screenshot, timeout: Duration) -> StepResult {
        let note = self.settle(timeout).await?;
        if let Area::Element(target) = &shot.area {
            self.wait_for(target, Mode::Visible, Scope::Page, timeout, "to be visible")
                .await?;
        }
        let decorated = !shot.highlight.is_empty() || !shot.mask.is_empty();
        if decorated {
            let decorate = protocol::Decorate {
                highlights: shot.highlight.iter().map(Locate::new).collect(),
                masks: shot.mask.iter().map(Locate::new).collect(),
            };
            let missing = self.page.call(&decorate).await?;
            if let Some(first) = missing.first() {
                self.page.call(&protocol::Undecorate).await?;
                return Err(StepError::Failed(StepFailure {
                    kind: FailureKind::Missing,
                    looked_for: format!("{first} to highlight or mask"),
                    found: "it is not visible".into(),
                    waited: Duration::ZERO,
                }));
            }
        }
        let png = match &shot.area {
            Area::Viewport => self.page.screenshot().await,
            Area::FullPage => match self.page.call(&protocol::PageRect).await {
                Ok(clip) => self.page.screenshot_clip(clip).await,
                Err(e) => Err(e),
            },
            Area::Element(target) => {
                let call = protocol::DocRect {
                    locate: Locate::new(target),
                };
                match self.page.call(&call).await {
                    Ok(Some(clip)) => self.page.screenshot_clip(clip).await,
                    Ok(None) => Err(BrowserError::Command(format!(
                        "no element box: {target} went away before the figure"
                    ))),
                    Err(e) => Err(e),
                }
            }
        };
        if decorated {
            self.page.call(&protocol::Undecorate).await?;
        }
        let png = png?;
        let number = self.figures.next_number();
        let path = self
            .options
            .folder
            .figure(number, &shot.name, &png)
            .map_err(|e| {
                StepError::Failed(StepFailure {
                    kind: FailureKind::Io,
                    looked_for: format!("to write figure {number} ({})", shot.name),
                    found: format!("{e} in {}", self.options.folder.path().display()),
                    waited: Duration::ZERO,
                })
            })?;
        self.reporter.event(&Event::ScreenshotSaved {
            path,
            name: shot.name.clone(),
            caption: shot.caption.clone(),
            highlight: shot.highlight.iter().map(ToString::to_string).collect(),
        });
        Ok(note)
    }

    /// Waits until nothing on the page is loading or animating, so a figure
    /// shows the page at rest. A page that never settles is captured anyway,
    /// with a note, rather than failing the run over a spinner.
    pub(super) async fn settle(&mut self, timeout: Duration) -> StepResult {
        let started = Instant::now();
        loop {
            let call = protocol::Settled { pace: self.pace() };
            let Some(answer) = self.page.call(&call).await? else {
                self.ensure_helper().await?;
                continue;
            };
            if matches!(answer, Answer::Ok(_)) {
                return Ok(None);
            }
            if started.elapsed() >= timeout {
                return Ok(Some(format!(
                    "captured before the page settled: {}",
                    answer.reason()
                )));
            }
        }
    }

    /// The demo's frame of the step that just ran: the one taken just
    /// before its last press, or the viewport now. A page that cannot be
    /// captured (a native dialog is open) gives no frame.
    pub(super) async fn demo_frame(&mut self) {
        let (png, pointer) = match self.figures.take_press_frame() {
            Some((png, point)) => (png, Some(point)),
            None => match self.page.screenshot().await {
                Ok(png) => (Arc::new(png), None),
                Err(error) => {
                    tracing::debug!(%error, "no demo frame for this step");
                    return;
                }
            },
        };
        let png = self.spooled(&png);
        self.reporter.event(&Event::DemoFrame { png, pointer });
    }

    /// A demo frame put aside in the output folder until the demo is
    /// encoded; kept in memory only when the folder cannot take it.
    pub(super) fn spooled(&self, png: &[u8]) -> FramePng {
        match self.options.folder.spool_frame(png) {
            Ok(path) => FramePng::Spooled(path),
            Err(error) => {
                tracing::debug!(%error, "demo frame kept in memory");
                FramePng::InMemory(Arc::new(png.to_vec()))
            }
        }
    }
}

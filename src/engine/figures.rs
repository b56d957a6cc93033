//! Screenshots: waiting for the page to settle, highlight outlines and
//! masks (painted over, taken out of the layout, or left out of the
//! comparison), and the viewport, full-page or element area of a figure;
//! comparing a figure with its baseline and saying what came of it; the
//! run's figure count, and the demo's frames (the page just before a
//! step's last press, or after the step).

use super::actions::StepResult;
use super::probe::{Answer, Locate, Mode, Scope};
use super::protocol;
use super::{Engine, Event, FailureKind, FramePng, Point, StepError, StepFailure};
use crate::browser::{BrowserError, Clip, Page};
use crate::runbook::{Area, Compare, CompareLimits, Mask, Screenshot};
use crate::visual::diff::Rect;
use std::sync::Arc;
use std::time::{Duration, Instant};

mod compare;

use compare::Figure;

/// How long a compared figure is captured again while the page still
/// changes between two captures (the step's timeout if shorter).
const STEADY_WITHIN: Duration = Duration::from_secs(3);
/// And at most this many captures: a page that changes on every one of
/// them is moving, not settling.
const STEADY_CAPTURES: usize = 12;

/// A box of the document (an `ignore` mask's) in the pixels of a figure
/// whose top left is at `origin`, widened to whole pixels so that a glyph's
/// blended edge stays inside; `None` when it lies wholly outside the figure.
fn in_figure(area: &Clip, origin: (f64, f64)) -> Option<Rect> {
    let left = (area.x - origin.0).floor().max(0.0);
    let top = (area.y - origin.1).floor().max(0.0);
    let right = (area.x + area.width - origin.0).ceil();
    let bottom = (area.y + area.height - origin.1).ceil();
    (right > left && bottom > top).then_some(Rect {
        x: left as u32,
        y: top as u32,
        width: (right - left) as u32,
        height: (bottom - top) as u32,
    })
}

/// "mask {target} matched nothing" for the screenshot's own masks that
/// matched nothing; a runbook's masks hold for every screenshot and are
/// expected to miss on some.
fn unmatched(masks: &[Mask], unmatched: &[usize]) -> Option<String> {
    let own: Vec<String> = unmatched
        .iter()
        .filter_map(|&i| masks.get(i))
        .filter(|m| !m.from_runbook)
        .map(|m| m.target.to_string())
        .collect();
    match own.as_slice() {
        [] => None,
        [one] => Some(format!("mask {one} matched nothing")),
        many => Some(format!("masks {} matched nothing", many.join(", "))),
    }
}

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
        let limits = match shot.compare {
            Some(Compare::On(limits)) => Some(limits),
            Some(Compare::Off) => None,
            None => self.options.visual.compare_all.then(CompareLimits::default),
        };
        let decorated = if shot.highlight.is_empty() && shot.mask.is_empty() && limits.is_none() {
            None
        } else {
            let decorate = protocol::Decorate {
                steady: limits.is_some(),
                highlights: shot.highlight.iter().map(Locate::new).collect(),
                masks: shot
                    .mask
                    .iter()
                    .map(|m| protocol::MaskSpec {
                        locate: Locate::new(&m.target),
                        mode: m.mode.word(),
                    })
                    .collect(),
            };
            let decorated = self.page.call(&decorate).await?;
            if let Some(first) = decorated.missing.first() {
                self.page.call(&protocol::Undecorate).await?;
                return Err(StepError::Failed(StepFailure {
                    kind: FailureKind::Missing,
                    looked_for: format!("{first} to highlight"),
                    found: "it is not visible".into(),
                    waited: Duration::ZERO,
                }));
            }
            Some(decorated)
        };
        // Where the figure's top left pixel is in the document.
        let mut origin = decorated
            .as_ref()
            .map_or((0.0, 0.0), |d| (d.scroll_x, d.scroll_y));
        // Whatever is under the pointer shows hovered only once the browser
        // looks again after the page changed beneath it (a button that took
        // the place of the one clicked): when, depends on how busy the
        // machine is. A compared figure moves the pointer onto the spot it
        // rests on, so hover is as the pointer says, every run.
        let hovered = match (limits, self.pointer) {
            (Some(_), Some((x, y))) => self.page.hover_at(x, y).await,
            _ => Ok(()),
        };
        let captured = match hovered {
            Ok(()) => self.capture(&shot.area, &mut origin).await,
            Err(e) => Err(e),
        };
        let png = match captured {
            // A compared figure is the page once it stopped changing.
            Ok(first) if limits.is_some() => {
                self.steady_capture(&shot.area, &mut origin, first, timeout)
                    .await
            }
            other => other.map(|png| (png, None)),
        };
        if decorated.is_some() {
            self.page.call(&protocol::Undecorate).await?;
        }
        let (png, unsteady) = png?;
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
            path: path.clone(),
            name: shot.name.clone(),
            caption: shot.caption.clone(),
            highlight: shot.highlight.iter().map(ToString::to_string).collect(),
        });
        let (ignored, unmatched) = match &decorated {
            Some(d) => (
                d.ignored
                    .iter()
                    .filter_map(|r| in_figure(r, origin))
                    .collect(),
                unmatched(&shot.mask, &d.unmatched),
            ),
            None => (Vec::new(), None),
        };
        let compared = match limits {
            Some(limits) => {
                let figure = Figure {
                    number,
                    name: &shot.name,
                    path: &path,
                    png: &png,
                };
                self.compare_figure(figure, &ignored, &limits)?
            }
            None => None,
        };
        let notes: Vec<String> = [note, unsteady, unmatched, compared]
            .into_iter()
            .flatten()
            .collect();
        Ok((!notes.is_empty()).then(|| notes.join("; ")))
    }

    /// One capture of `area`; `origin` becomes where its top left pixel is
    /// in the document when the area is not the viewport.
    async fn capture(
        &mut self,
        area: &Area,
        origin: &mut (f64, f64),
    ) -> Result<Vec<u8>, BrowserError> {
        match area {
            Area::Viewport => self.page.screenshot().await,
            Area::FullPage => {
                let clip = self.page.call(&protocol::PageRect).await?;
                *origin = (clip.x, clip.y);
                self.page.screenshot_clip(clip).await
            }
            Area::Element(target) => {
                let call = protocol::DocRect {
                    locate: Locate::new(target),
                };
                match self.page.call(&call).await? {
                    Some(clip) => {
                        *origin = (clip.x, clip.y);
                        self.page.screenshot_clip(clip).await
                    }
                    None => Err(BrowserError::Command(format!(
                        "no element box: {target} went away before the figure"
                    ))),
                }
            }
        }
    }

    /// Captures `area` again until two captures in a row are alike, so a
    /// compared figure never catches a style applied late, a toast sliding
    /// in or a chart still drawing — what the page's own signals (loading,
    /// animations) do not tell. A page that keeps changing (for
    /// [`STEADY_WITHIN`] or [`STEADY_CAPTURES`]) is compared as last seen,
    /// with a note.
    async fn steady_capture(
        &mut self,
        area: &Area,
        origin: &mut (f64, f64),
        first: Vec<u8>,
        timeout: Duration,
    ) -> Result<(Vec<u8>, Option<String>), BrowserError> {
        let started = Instant::now();
        let within = timeout.min(STEADY_WITHIN);
        let mut last = first;
        let mut captures = 1;
        loop {
            let next = self.capture(area, origin).await?;
            captures += 1;
            if next == last {
                return Ok((next, None));
            }
            last = next;
            if started.elapsed() >= within || captures >= STEADY_CAPTURES {
                return Ok((
                    last,
                    Some(format!(
                        "the page was still changing after {captures} captures in {:.1}s; the last one is compared",
                        started.elapsed().as_secs_f64()
                    )),
                ));
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ignored_box_is_placed_in_the_figure_and_widened_to_whole_pixels() {
        let clip = |x, y, width, height| Clip {
            x,
            y,
            width,
            height,
        };
        // A viewport figure of a page scrolled 100 px down.
        assert_eq!(
            in_figure(&clip(39.5, 129.5, 20.2, 10.2), (0.0, 100.0)),
            Some(Rect {
                x: 39,
                y: 29,
                width: 21,
                height: 11
            })
        );
        // An element figure whose element starts at 200,300: a box that
        // overhangs its top left is cut there.
        assert_eq!(
            in_figure(&clip(190.0, 310.0, 20.0, 5.0), (200.0, 300.0)),
            Some(Rect {
                x: 0,
                y: 10,
                width: 10,
                height: 5
            })
        );
        assert_eq!(in_figure(&clip(10.0, 10.0, 5.0, 5.0), (200.0, 300.0)), None);
        assert_eq!(in_figure(&clip(10.0, 10.0, 0.0, 5.0), (0.0, 0.0)), None);
    }
}

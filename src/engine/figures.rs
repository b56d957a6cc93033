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
use crate::folder::{FigureOutput, Folder};
use crate::runbook::{Area, Compare, CompareLimits, Mask, Screenshot};
use crate::visual::baseline::{self, Check};
use crate::visual::diff::Rect;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The most changed regions a failure lists; the diff image shows them all.
const REGIONS_LISTED: usize = 5;

/// "1234 pixels changed (0.12%) in 2 regions: 10,20 30×40; 200,16 8×8".
fn changes(changed: u64, ratio: f64, regions: &[Rect]) -> String {
    let share = match ratio * 100.0 {
        p if p > 0.0 && p < 0.01 => "<0.01".to_string(),
        p => format!("{p:.2}"),
    };
    let mut listed: Vec<String> = regions
        .iter()
        .take(REGIONS_LISTED)
        .map(|r| format!("{},{} {}×{}", r.x, r.y, r.width, r.height))
        .collect();
    if regions.len() > REGIONS_LISTED {
        listed.push(format!("and {} more", regions.len() - REGIONS_LISTED));
    }
    format!(
        "{changed} pixel{} changed ({share}%) in {} region{}: {}",
        plural(changed),
        regions.len(),
        plural(regions.len() as u64),
        listed.join("; ")
    )
}

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

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
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
        let png = match &shot.area {
            Area::Viewport => self.page.screenshot().await,
            Area::FullPage => match self.page.call(&protocol::PageRect).await {
                Ok(clip) => {
                    origin = (clip.x, clip.y);
                    self.page.screenshot_clip(clip).await
                }
                Err(e) => Err(e),
            },
            Area::Element(target) => {
                let call = protocol::DocRect {
                    locate: Locate::new(target),
                };
                match self.page.call(&call).await {
                    Ok(Some(clip)) => {
                        origin = (clip.x, clip.y);
                        self.page.screenshot_clip(clip).await
                    }
                    Ok(None) => Err(BrowserError::Command(format!(
                        "no element box: {target} went away before the figure"
                    ))),
                    Err(e) => Err(e),
                }
            }
        };
        if decorated.is_some() {
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
            Some(limits) => self.compare_figure(number, &shot.name, &png, &ignored, &limits)?,
            None => None,
        };
        let notes: Vec<String> = [note, unmatched, compared].into_iter().flatten().collect();
        Ok((!notes.is_empty()).then(|| notes.join("; ")))
    }

    /// Compares figure `number` with its baseline: a note when it matches
    /// or its baseline was written, a failure of kind `visual` (with the
    /// diff image and the baseline's copy beside the figure) when not.
    fn compare_figure(
        &mut self,
        number: usize,
        name: &str,
        png: &[u8],
        ignored: &[Rect],
        limits: &CompareLimits,
    ) -> StepResult {
        let dir = match &self.options.visual.baselines {
            Some(dir) => dir.clone(),
            None => baseline::folder_of(
                &self.runbook.path,
                &self.runbook.id,
                &self.options.visual.browser,
            ),
        };
        let visual = |looked_for: String, found: String| {
            StepError::Failed(StepFailure {
                kind: FailureKind::Visual,
                looked_for,
                found,
                waited: Duration::ZERO,
            })
        };
        let check = baseline::check(
            &Folder::new(dir),
            name,
            png,
            ignored,
            limits,
            self.options.visual.approval,
        )
        .map_err(|e| {
            // A baseline that cannot be written is the file system's
            // fault; one that cannot be read is the figure's own trouble.
            let kind = match e {
                baseline::CheckError::Write { .. } => FailureKind::Io,
                _ => FailureKind::Visual,
            };
            StepError::Failed(StepFailure {
                kind,
                looked_for: format!("to compare figure {name} with its baseline"),
                found: e.to_string(),
                waited: Duration::ZERO,
            })
        })?;
        match check {
            Check::Matched { changed: 0 } => Ok(None),
            Check::Matched { changed } => Ok(Some(format!(
                "matches its baseline: {changed} pixel{} changed, within its limits",
                plural(changed)
            ))),
            Check::Written { path, new: true } => {
                Ok(Some(format!("new baseline written: {}", path.display())))
            }
            Check::Written { path, new: false } => {
                Ok(Some(format!("baseline updated: {}", path.display())))
            }
            Check::Missing { path } => Err(visual(
                format!("figure {name} to have a baseline"),
                format!(
                    "there is no {}; run `docent run --update-baselines` (without --ci) to write it, then review and commit it",
                    path.display()
                ),
            )),
            Check::Resized { path, mismatch } => Err(visual(
                format!("figure {name} to match its baseline {}", path.display()),
                mismatch.to_string(),
            )),
            Check::Differs {
                path,
                diff,
                baseline,
                actual,
            } => {
                let folder = &self.options.folder;
                let saved = baseline::encode(&diff.image(&actual)).ok().and_then(|png| {
                    folder
                        .figure_output(FigureOutput::Diff, number, name, &png)
                        .ok()
                });
                if let Ok(png) = baseline::encode(&baseline) {
                    let _ = folder.figure_output(FigureOutput::Baseline, number, name, &png);
                }
                let mut found = changes(diff.changed, diff.ratio(), &diff.regions);
                if let Some(saved) = saved {
                    // A line of its own under `found:`, as the diagnosis lays out.
                    found.push_str(&format!("\n  diff image: {}", saved.display()));
                }
                Err(visual(
                    format!("figure {name} to match its baseline {}", path.display()),
                    found,
                ))
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
    fn a_change_lists_a_few_regions_and_a_tiny_share_is_not_zero() {
        let regions: Vec<Rect> = (0..7)
            .map(|i| Rect {
                x: i * 100,
                y: 5,
                width: 3,
                height: 2,
            })
            .collect();
        assert_eq!(
            changes(42, 0.00004, &regions),
            "42 pixels changed (<0.01%) in 7 regions: 0,5 3×2; 100,5 3×2; 200,5 3×2; 300,5 3×2; 400,5 3×2; and 2 more"
        );
        assert_eq!(
            changes(1, 0.5, &regions[..1]),
            "1 pixel changed (50.00%) in 1 region: 0,5 3×2"
        );
    }

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

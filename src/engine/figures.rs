//! Screenshots: waiting for the page to settle, highlight and mask
//! overlays, and the viewport, full-page or element area of a figure.

use super::actions::StepResult;
use super::probe::{Answer, Locate, Mode, Scope};
use super::protocol;
use super::{Engine, Event, FailureKind, StepError, StepFailure};
use crate::browser::{BrowserError, Page};
use crate::runbook::{Area, Screenshot};
use std::time::{Duration, Instant};

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
        self.figures += 1;
        let path = self
            .options
            .folder
            .figure(self.figures, &shot.name, &png)
            .map_err(|e| {
                StepError::Failed(StepFailure {
                    kind: FailureKind::Io,
                    looked_for: format!("to write figure {} ({})", self.figures, shot.name),
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
}

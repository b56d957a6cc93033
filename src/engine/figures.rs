//! Screenshots: waiting for the page to settle, highlight and mask
//! overlays, and the viewport, full-page or element area of a figure.

use super::actions::StepResult;
use super::probe::{self, Mode, Probe, Scope};
use super::{Engine, Event, StepError, StepFailure};
use crate::browser::{BrowserError, Clip, Page};
use crate::runbook::{Area, Screenshot};
use serde_json::json;
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
            let missing = self
                .page
                .eval(
                    "return window.__docent.decorate(arguments[0], arguments[1]);",
                    vec![
                        json!(shot.highlight.iter().map(probe::locate).collect::<Vec<_>>()),
                        json!(shot.mask.iter().map(probe::locate).collect::<Vec<_>>()),
                    ],
                )
                .await?;
            if let Some(first) = missing.as_array().and_then(|m| m.first()) {
                self.page
                    .eval("return window.__docent.undecorate();", vec![])
                    .await?;
                return Err(StepError::Failed(StepFailure {
                    looked_for: format!(
                        "{} to highlight or mask",
                        first.as_str().unwrap_or("a target")
                    ),
                    found: "it is not visible".into(),
                    waited: Duration::ZERO,
                }));
            }
        }
        let png = match &shot.area {
            Area::Viewport => self.page.screenshot().await,
            Area::FullPage => {
                let rect = self
                    .page
                    .eval("return window.__docent.pageRect();", vec![])
                    .await?;
                match serde_json::from_value::<Clip>(rect) {
                    Ok(clip) => self.page.screenshot_clip(clip).await,
                    Err(e) => Err(BrowserError::Command(format!("no page size: {e}"))),
                }
            }
            Area::Element(target) => {
                let rect = self
                    .page
                    .eval(
                        "return window.__docent.docRect(arguments[0]);",
                        vec![probe::locate(target)],
                    )
                    .await?;
                match serde_json::from_value::<Clip>(rect) {
                    Ok(clip) => self.page.screenshot_clip(clip).await,
                    Err(e) => Err(BrowserError::Command(format!("no element box: {e}"))),
                }
            }
        };
        if decorated {
            self.page
                .eval("return window.__docent.undecorate();", vec![])
                .await?;
        }
        let png = png?;
        self.figures += 1;
        let path = self
            .options
            .out_dir
            .join(format!("{:02}-{}.png", self.figures, shot.name));
        std::fs::write(&path, png).map_err(|e| {
            StepError::Failed(StepFailure {
                looked_for: format!("to write {}", path.display()),
                found: e.to_string(),
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
            let answer = self
                .page
                .eval(
                    "return window.__docent ? window.__docent.settled(arguments[0]) : null;",
                    vec![json!(self.pace())],
                )
                .await?;
            if answer.is_null() {
                self.ensure_helper().await?;
                continue;
            }
            let probe: Probe = serde_json::from_value(answer).unwrap_or_default();
            if probe.is_ok() {
                return Ok(None);
            }
            if started.elapsed() >= timeout {
                return Ok(Some(format!(
                    "captured before the page settled: {}",
                    probe.reason.unwrap_or_default()
                )));
            }
        }
    }
}

//! Terminal progress: a heading per section and one line per step as it
//! completes (section number, step, duration), then the diagnosis of a
//! failed step with its `file:line`, what was looked for and what the page
//! had instead, or that the run was interrupted. Secrets are masked before
//! anything is printed.

use crate::engine::{Event, Outcome, Reporter, RunStatus, StepInfo};
use crate::runbook::duration::human;
use std::io::Write;

/// Writes progress to any writer (stdout in the CLI, a buffer in tests).
pub struct Terminal<W: Write> {
    out: W,
    secrets: Vec<String>,
    screenshots: Vec<(String, Option<String>)>,
    evidence_saved: bool,
}

impl<W: Write> Terminal<W> {
    pub fn new(out: W, secrets: Vec<String>) -> Self {
        Terminal {
            out,
            secrets,
            screenshots: Vec::new(),
            evidence_saved: false,
        }
    }

    pub fn into_inner(self) -> W {
        self.out
    }

    fn mask(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in self.secrets.iter().filter(|s| !s.is_empty()) {
            out = out.replace(secret.as_str(), "•••");
        }
        out
    }

    fn line(&mut self, text: &str) {
        let text = self.mask(text);
        let _ = writeln!(self.out, "{text}");
        let _ = self.out.flush();
    }
}

impl<W: Write> Reporter for Terminal<W> {
    fn event(&mut self, event: &Event) {
        match event {
            Event::RunStarted {
                name, path, steps, ..
            } => {
                let plural = if *steps == 1 { "" } else { "s" };
                self.line(&format!(
                    "docent: {name} ({}, {steps} step{plural})",
                    path.display()
                ));
            }
            Event::SectionStarted {
                number,
                title,
                depth,
            } => {
                let indent = "  ".repeat(depth.saturating_sub(1));
                self.line(&format!("{indent}{number}. {title}"));
            }
            Event::StepFinished {
                step,
                duration,
                outcome,
            } => {
                let StepInfo {
                    section,
                    description,
                    path,
                    pos,
                    ..
                } = step;
                let depth = section.split('.').filter(|s| !s.is_empty()).count();
                let indent = "  ".repeat(depth);
                let number = if section.is_empty() {
                    String::new()
                } else {
                    format!("{section} ")
                };
                match outcome {
                    Outcome::Passed { note } => {
                        let note = note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default();
                        self.line(&format!(
                            "{indent}✓ {number}{description}{note}  {}",
                            human(*duration)
                        ));
                    }
                    Outcome::Failed(failure) => {
                        self.line(&format!(
                            "{indent}✗ {number}{description}  {}",
                            human(*duration)
                        ));
                        self.line("");
                        self.line(&format!("error: step failed: {description}"));
                        self.line(&format!(
                            "  --> {}:{}:{}",
                            path.display(),
                            pos.line,
                            pos.column
                        ));
                        self.line(&format!("  looked for: {}", failure.looked_for));
                        self.line(&format!("  found:      {}", failure.found));
                        self.line(&format!("  waited:     {}", human(failure.waited)));
                    }
                    Outcome::Skipped { reason } => {
                        self.line(&format!(
                            "{indent}- {number}{description} (skipped: {reason})"
                        ));
                    }
                    Outcome::Tolerated(failure) => {
                        self.line(&format!(
                            "{indent}! {number}{description}  {} (optional, failed: {}: {})",
                            human(*duration),
                            failure.looked_for,
                            failure.found
                        ));
                    }
                }
            }
            Event::SectionSkipped {
                number,
                title,
                reason,
            } => {
                let depth = number.split('.').count();
                let indent = "  ".repeat(depth.saturating_sub(1));
                self.line(&format!("{indent}{number}. {title} ({reason})"));
            }
            Event::SectionRetried {
                number,
                attempt,
                attempts,
            } => {
                self.line(&format!(
                    "  retrying section {number} (attempt {attempt} of {attempts})"
                ));
            }
            Event::SectionTolerated { number } => {
                self.line(&format!(
                    "  section {number} failed but is optional; going on"
                ));
            }
            Event::ToastSeen { .. }
            | Event::StepStarted { .. }
            | Event::SectionFinished { .. }
            | Event::DemoFrame { .. } => {}
            Event::ScreenshotSaved { path, caption, .. } => {
                self.screenshots
                    .push((path.display().to_string(), caption.clone()));
            }
            Event::FailureEvidence { screenshot, html } => {
                self.evidence_saved = screenshot.is_some() || html.is_some();
                if let Some(p) = screenshot {
                    self.line(&format!("  screenshot: {}", p.display()));
                }
                if let Some(p) = html {
                    self.line(&format!("  page html:  {}", p.display()));
                }
            }
            Event::RunFinished {
                status,
                duration,
                out_dir,
            } => {
                let passed = *status == RunStatus::Passed;
                self.line("");
                let figures = self.screenshots.len();
                if passed {
                    self.line(&format!(
                        "passed in {} — {figures} figure(s) in {}",
                        human(*duration),
                        out_dir.display()
                    ));
                } else {
                    let evidence = if self.evidence_saved {
                        " and failure evidence"
                    } else {
                        ""
                    };
                    self.line(&format!(
                        "FAILED after {} — {figures} figure(s){evidence} in {}",
                        human(*duration),
                        out_dir.display()
                    ));
                }
                self.list_figures();
            }
            Event::RunInterrupted {
                signal,
                duration,
                out_dir,
            } => {
                self.line("");
                let figures = self.screenshots.len();
                self.line(&format!(
                    "INTERRUPTED by {signal} after {} — {figures} figure(s) in {}",
                    human(*duration),
                    out_dir.display()
                ));
                self.list_figures();
            }
        }
    }
}

impl<W: Write> Terminal<W> {
    fn list_figures(&mut self) {
        for (path, caption) in self.screenshots.clone() {
            match caption {
                Some(caption) => self.line(&format!("  {path}  ({caption})")),
                None => self.line(&format!("  {path}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;
    use std::path::PathBuf;
    use std::time::Duration;

    fn render(events: &[Event]) -> String {
        let mut terminal = Terminal::new(Vec::new(), vec![sample::SECRET.into()]);
        for event in events {
            terminal.event(event);
        }
        String::from_utf8(terminal.into_inner()).unwrap()
    }

    #[test]
    fn a_failed_step_names_its_place_and_secrets_are_masked() {
        let printed = render(&sample::run(Some(10)));
        assert!(
            printed.contains("✓ 1 fill label \"Password\" with \"•••\""),
            "{printed}"
        );
        assert!(!printed.contains(sample::SECRET));
        assert!(
            printed.contains(
                "error: step failed: click \"Detection Result\"\n\
                 \x20 --> runbooks/create-tracker.yaml:26:9\n\
                 \x20 looked for: \"Detection Result\" to be clickable\n\
                 \x20 found:      covered by <div.loading-mask>\n\
                 \x20 waited:     10.0s\n"
            ),
            "{printed}"
        );
        assert!(printed.contains("FAILED after 14.3s"), "{printed}");
    }

    #[test]
    fn an_interrupted_run_says_so_and_lists_its_figures() {
        let printed = render(&[
            Event::ScreenshotSaved {
                path: PathBuf::from("out/01-form.png"),
                name: "form".into(),
                caption: Some("The form".into()),
                highlight: Vec::new(),
            },
            Event::RunInterrupted {
                signal: "Ctrl-C",
                duration: Duration::from_millis(2_300),
                out_dir: PathBuf::from("out"),
            },
        ]);
        assert_eq!(
            printed,
            "\nINTERRUPTED by Ctrl-C after 2.3s — 1 figure(s) in out\n\
             \x20 out/01-form.png  (The form)\n"
        );
    }
}

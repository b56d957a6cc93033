//! Terminal progress: a heading per section and one line per step as it
//! completes (section number, step, duration), then the diagnosis of a
//! failed step with its `file:line`, what was looked for and what the page
//! had instead. Secrets are masked before anything is printed.

use crate::engine::{Event, Outcome, Reporter};
use crate::runbook::duration::human;
use std::io::Write;

/// Writes progress to any writer (stdout in the CLI, a buffer in tests).
pub struct Terminal<W: Write> {
    out: W,
    secrets: Vec<String>,
    screenshots: Vec<String>,
}

impl<W: Write> Terminal<W> {
    pub fn new(out: W, secrets: Vec<String>) -> Self {
        Terminal {
            out,
            secrets,
            screenshots: Vec::new(),
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
            Event::RunStarted { name, path, steps } => {
                self.line(&format!(
                    "docent: {name} ({}, {steps} steps)",
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
                section,
                description,
                path,
                pos,
                duration,
                outcome,
            } => {
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
                }
            }
            Event::ToastSeen { .. } => {}
            Event::ScreenshotSaved { path, .. } => {
                self.screenshots.push(path.display().to_string());
            }
            Event::FailureEvidence { screenshot, html } => {
                if let Some(p) = screenshot {
                    self.line(&format!("  screenshot: {}", p.display()));
                }
                if let Some(p) = html {
                    self.line(&format!("  page html:  {}", p.display()));
                }
            }
            Event::RunFinished {
                passed,
                duration,
                out_dir,
            } => {
                self.line("");
                let figures = self.screenshots.len();
                if *passed {
                    self.line(&format!(
                        "passed in {} — {figures} figure(s) in {}",
                        human(*duration),
                        out_dir.display()
                    ));
                } else {
                    self.line(&format!(
                        "FAILED after {} — {figures} figure(s) and failure evidence in {}",
                        human(*duration),
                        out_dir.display()
                    ));
                }
            }
        }
    }
}

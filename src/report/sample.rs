//! Made-up runs for the reporters' tests: the events a run of a small
//! runbook modelled on the seed procedure would emit, with fixed times, so
//! rendered outputs can be compared with committed snapshots. The secret
//! `hunter2` appears in the events as a run would emit them, before
//! masking, so tests also show that outputs never leak it.

use crate::engine::compared::{AppliedLimits, Comparison, Verdict};
use crate::engine::{
    Event, FailureKind, FramePng, Outcome, OutlineItem, Pass, Point, RunStatus, StepFailure,
    StepInfo, outline_of,
};
use crate::runbook::{self, LoadOptions};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The runbook the sample runs come from.
pub const RUNBOOK: &str = r#"name: Create a CTS tracker
description: MTD cannot read CTS logs until a tracker transfers them to LTS.
url: http://127.0.0.1:8480
secrets: [SAMPLE_PASSWORD]
steps:
  - section: Log in to the management console
    steps:
      - goto: /login
      - fill: { label: IAM User Name, with: demo }
      - fill: { label: Password, with: "${SAMPLE_PASSWORD}" }
      - click: Log In
  - section: Configure the tracker
    steps:
      - click: { text: Configure, row: system }
      - section: On the Configure Transfer page, toggle on Transfer to LTS
        steps:
          - toggle: { label: Transfer to LTS, to: on }
          - screenshot: { name: configure-transfer, caption: Configure Transfer, highlight: { label: Transfer to LTS } }
      - section: Confirm settings and click Configure
        steps:
          - click: { role: button, text: Configure }
            guide: Confirm the settings and click **Configure**.
          - expect_toast: Operation successfully!
  - section: Check the result
    steps:
      - click: Detection Result
      - expect_gone: No threats have been found
"#;

/// The secret's value in the sample runs.
pub const SECRET: &str = "hunter2";

pub fn out_dir() -> PathBuf {
    PathBuf::from("screenshots/create-tracker")
}

/// A 4×3 PNG, the smallest picture a frame can be.
pub fn tiny_png() -> Vec<u8> {
    let mut png = Vec::new();
    let image = image::RgbaImage::from_pixel(4, 3, image::Rgba([40, 90, 200, 255]));
    image::DynamicImage::ImageRgba8(image)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("a PNG in memory");
    png
}

/// The sample runbook's steps and outline, with the secret set.
fn loaded() -> (runbook::Runbook, Vec<OutlineItem>) {
    let env = |name: &str| (name == "SAMPLE_PASSWORD").then(|| SECRET.to_string());
    let options = LoadOptions {
        env: &env,
        ..LoadOptions::default()
    };
    let book = runbook::parse(RUNBOOK, Path::new("runbooks/create-tracker.yaml"), &options)
        .expect("the sample runbook loads");
    let outline = outline_of(&book);
    (book, outline)
}

fn steps(items: &[OutlineItem], out: &mut Vec<StepInfo>) {
    for item in items {
        match item {
            OutlineItem::Section(s) => steps(&s.items, out),
            OutlineItem::Step(s) => out.push(s.clone()),
        }
    }
}

/// The events of a run that passes every step, with demo frames; `fail_at`
/// makes the step with that id fail instead (the run stops there).
pub fn run(fail_at: Option<usize>) -> Vec<Event> {
    let (book, outline) = loaded();
    let mut all = Vec::new();
    steps(&outline, &mut all);
    let out_dir = out_dir();
    let mut events = vec![Event::RunStarted {
        name: book.name.clone(),
        description: book.description.clone(),
        path: book.path.clone(),
        out_dir: out_dir.clone(),
        started_at: SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_512_612),
        steps: all.len(),
        outline: outline.clone(),
        browser: None,
    }];
    let png = FramePng::InMemory(Arc::new(tiny_png()));
    let mut open: Vec<String> = Vec::new();
    let mut at = Duration::from_millis(900);
    let mut failed = false;
    for step in &all {
        // Close the sections this step is not in, open the ones it is in.
        while let Some(last) = open.last() {
            if step.section == *last || step.section.starts_with(&format!("{last}.")) {
                break;
            }
            let number = open.pop().unwrap_or_default();
            events.push(Event::SectionFinished {
                number,
                duration: Duration::from_millis(1_200),
                passed: true,
            });
        }
        let parts: Vec<&str> = step.section.split('.').collect();
        for depth in open.len() + 1..=parts.len() {
            let number = parts[..depth].join(".");
            events.push(Event::SectionStarted {
                title: title_of(&outline, &number),
                number: number.clone(),
                depth,
            });
            open.push(number);
        }
        events.push(Event::StepStarted { step: step.clone() });
        let duration = Duration::from_millis(100 + 37 * step.id as u64);
        at += duration;
        if fail_at == Some(step.id) {
            events.push(Event::StepFinished {
                step: step.clone(),
                duration: Duration::from_secs(10),
                outcome: Outcome::Failed(StepFailure {
                    kind: FailureKind::Timeout,
                    looked_for: "\"Detection Result\" to be clickable".into(),
                    found: "covered by <div.loading-mask>".into(),
                    waited: Duration::from_secs(10),
                }),
            });
            events.push(Event::DemoFrame {
                png: png.clone(),
                pointer: None,
            });
            events.push(Event::FailureEvidence {
                screenshot: Some(out_dir.join("failure.png")),
                html: Some(out_dir.join("failure.html")),
            });
            failed = true;
            break;
        }
        match step.keyword {
            "screenshot" => events.push(Event::ScreenshotSaved {
                path: out_dir.join("01-configure-transfer.png"),
                name: "configure-transfer".into(),
                caption: Some("Configure Transfer".into()),
                highlight: vec!["label \"Transfer to LTS\"".into()],
            }),
            "click" | "toggle" => events.push(Event::DemoFrame {
                png: png.clone(),
                pointer: Some(Point { x: 2.0, y: 1.0 }),
            }),
            _ => events.push(Event::DemoFrame {
                png: png.clone(),
                pointer: None,
            }),
        }
        if step.keyword == "click"
            && step.description.contains("Configure")
            && step.section == "2.2"
        {
            events.push(Event::ToastSeen {
                text: "Operation successfully!".into(),
                kind: crate::engine::toasts::Level::Success,
                at,
                place: Some(Point { x: 0.86, y: 0.08 }),
            });
        }
        let note = (step.keyword == "toggle").then(|| "switched on".to_string());
        events.push(Event::StepFinished {
            step: step.clone(),
            duration,
            outcome: Outcome::Passed(Pass {
                note,
                attempt: None,
            }),
        });
    }
    while let Some(number) = open.pop() {
        events.push(Event::SectionFinished {
            number,
            duration: Duration::from_millis(1_200),
            passed: !failed,
        });
    }
    events.push(Event::RunFinished {
        status: if failed {
            RunStatus::Failed
        } else {
            RunStatus::Passed
        },
        duration: Duration::from_millis(if failed { 14_321 } else { 4_321 }),
        out_dir,
    });
    events
}

/// The secrets a reporter is given for the sample runs.
pub fn secrets() -> Vec<String> {
    vec![SECRET.to_string()]
}

/// The sample events as every output receives them (secrets masked).
pub fn masked(events: &[Event]) -> Vec<Event> {
    let secrets = crate::secrets::Secrets::new(&secrets());
    events.iter().map(|e| e.masked(&secrets)).collect()
}

fn title_of(items: &[OutlineItem], number: &str) -> String {
    for item in items {
        if let OutlineItem::Section(s) = item {
            if s.number == number {
                return s.title.clone();
            }
            let inner = title_of(&s.items, number);
            if !inner.is_empty() {
                return inner;
            }
        }
    }
    String::new()
}

/// The events of a run that SIGTERM stopped while step `id` ran.
pub fn interrupted_at(id: usize) -> Vec<Event> {
    let mut events = run(None);
    let cut = events
        .iter()
        .position(|e| matches!(e, Event::StepStarted { step } if step.id == id))
        .expect("the sample has that step");
    events.truncate(cut + 1);
    events.push(Event::RunInterrupted {
        signal: "SIGTERM",
        duration: Duration::from_secs(3),
        out_dir: out_dir(),
    });
    events
}

/// The sample's figure (step 7, `configure-transfer`) compared with its
/// baseline, as the engine tells a comparison that came to `verdict`.
pub fn comparison(verdict: Verdict) -> Comparison {
    let in_run = |file: &str| Some(out_dir().join(file));
    let measured = matches!(verdict, Verdict::Matched | Verdict::Differs);
    let differs = verdict == Verdict::Differs;
    Comparison {
        outcome: verdict,
        baseline: PathBuf::from(
            "runbooks/baselines/create-tracker/chromium/configure-transfer.png",
        ),
        changed_pixels: measured.then_some(if differs { 1_234 } else { 0 }),
        changed_ratio: measured.then_some(if differs { 0.0012 } else { 0.0 }),
        regions: if differs {
            vec![
                crate::visual::diff::Rect {
                    x: 10,
                    y: 20,
                    width: 30,
                    height: 40,
                },
                crate::visual::diff::Rect {
                    x: 200,
                    y: 16,
                    width: 8,
                    height: 8,
                },
            ]
        } else {
            Vec::new()
        },
        limits: AppliedLimits {
            max_diff_pixels: Some(100),
            max_diff_ratio: None,
            threshold: 0.1,
        },
        diff_image: in_run("01-configure-transfer.diff.png").filter(|_| differs),
        baseline_copy: in_run("01-configure-transfer.baseline.png").filter(|_| differs),
    }
}

/// The events of a sample run whose figure was compared with its
/// baseline: a comparison that fails (`differs`, `missing`, `size_differs`)
/// fails the figure's step with kind `visual` and stops the run there, with
/// its evidence; any other passes, as the engine words it.
pub fn compared(verdict: Verdict) -> Vec<Event> {
    const FIGURE: usize = 7;
    let comparison = comparison(verdict);
    let compared = Event::FigureCompared {
        path: out_dir().join("01-configure-transfer.png"),
        name: "configure-transfer".into(),
        comparison: comparison.clone(),
    };
    if !verdict.fails() {
        let mut events = run(None);
        let saved = events
            .iter()
            .position(|e| matches!(e, Event::ScreenshotSaved { .. }))
            .expect("the sample saves a figure");
        events.insert(saved + 1, compared);
        return events;
    }
    let mut events = run(Some(FIGURE));
    let finished = events
        .iter()
        .position(|e| matches!(e, Event::StepFinished { step, .. } if step.id == FIGURE))
        .expect("the sample's figure step fails");
    let Event::StepFinished { outcome, .. } = &mut events[finished] else {
        unreachable!()
    };
    let baseline = comparison.baseline.display();
    let (looked_for, found) = match verdict {
        Verdict::Missing => (
            "figure configure-transfer to have a baseline".to_string(),
            format!(
                "there is no {baseline}; run `docent run --update-baselines` (without --ci) to write it, then review and commit it"
            ),
        ),
        Verdict::SizeDiffers => (
            format!("figure configure-transfer to match its baseline {baseline}"),
            "the figure is 1280×720, its baseline 1280×800".to_string(),
        ),
        _ => (
            format!("figure configure-transfer to match its baseline {baseline}"),
            format!(
                "1234 pixels changed (0.12%) in 2 regions: 10,20 30×40; 200,16 8×8\n  diff image: {}",
                out_dir().join("01-configure-transfer.diff.png").display()
            ),
        ),
    };
    *outcome = Outcome::Failed(StepFailure {
        kind: FailureKind::Visual,
        looked_for,
        found,
        waited: Duration::ZERO,
    });
    events.splice(
        finished..finished,
        [
            Event::ScreenshotSaved {
                path: out_dir().join("01-configure-transfer.png"),
                name: "configure-transfer".into(),
                caption: Some("Configure Transfer".into()),
                highlight: vec!["label \"Transfer to LTS\"".into()],
            },
            compared,
        ],
    );
    events
}

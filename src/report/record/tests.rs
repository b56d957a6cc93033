//! Records built from made-up runs: statuses, counts, failures, retries,
//! tolerated sections and interrupted runs.

use super::*;
use crate::engine::Attempt;
use crate::report::sample;

#[test]
fn a_passed_run_records_every_step_with_its_toasts_and_figures() {
    let record = RunRecord::from_events(&sample::masked(&sample::run(None)));
    assert_eq!(record.status, Status::Passed);
    assert_eq!(
        record.counts,
        Counts {
            steps: 11,
            passed: 11,
            ..Counts::default()
        }
    );
    let configure = record.step(8).unwrap();
    assert_eq!(configure.section, "2.2");
    assert_eq!(configure.toasts[0].text, "Operation successfully!");
    let shot = &record.step(7).unwrap().screenshots[0];
    assert_eq!(shot.file, "01-configure-transfer.png");
    assert_eq!(
        record.step(3).unwrap().description,
        "fill label \"Password\" with \"•••\""
    );
    assert!(record.failure.is_none());
    let ItemRecord::Section(second) = &record.items[1] else {
        panic!("sections first")
    };
    assert_eq!(second.status, Status::Passed);
    assert_eq!(second.attempts, 1);
}

#[test]
fn a_failed_run_keeps_what_was_not_reached() {
    let record = RunRecord::from_events(&sample::masked(&sample::run(Some(10))));
    assert_eq!(record.status, Status::Failed);
    assert_eq!(record.counts.failed, 1);
    assert_eq!(record.counts.not_run, 1);
    let failure = record.failure.as_ref().unwrap();
    assert_eq!(failure.step, 10);
    assert_eq!(failure.screenshot.as_deref(), Some("failure.png"));
    assert_eq!(record.step(11).unwrap().status, Status::NotRun);
    let ItemRecord::Section(third) = &record.items[2] else {
        panic!("three sections")
    };
    assert_eq!(third.status, Status::Failed);
}

#[test]
fn an_interrupted_run_marks_the_running_step() {
    let events = sample::interrupted_at(5);
    let record = RunRecord::from_events(&events);
    assert_eq!(record.status, Status::Interrupted);
    assert_eq!(record.reason.as_deref(), Some("SIGTERM"));
    assert_eq!(record.step(5).unwrap().status, Status::Interrupted);
    assert_eq!(record.counts.passed, 4);
    assert_eq!(record.counts.not_run, 7);
}

#[test]
fn a_run_finished_as_interrupted_is_recorded_as_interrupted_not_failed() {
    let mut events = sample::interrupted_at(5);
    let Some(Event::RunInterrupted {
        signal,
        duration,
        out_dir,
    }) = events.pop()
    else {
        panic!("the sample ends with run_interrupted")
    };
    events.push(Event::RunFinished {
        status: RunStatus::Interrupted(signal),
        duration,
        out_dir,
    });
    let record = RunRecord::from_events(&events);
    assert_eq!(record.status, Status::Interrupted);
    assert_eq!(record.reason.as_deref(), Some("SIGTERM"));
    assert_eq!(record.step(5).unwrap().status, Status::Interrupted);
    let json = serde_json::to_value(&record).unwrap();
    assert_eq!(json["status"], "interrupted");
    assert_eq!(json["reason"], "SIGTERM");
}

#[test]
fn each_failure_in_results_json_says_its_kind() {
    let record = RunRecord::from_events(&sample::masked(&sample::run(Some(10))));
    let json = serde_json::to_value(&record).unwrap();
    assert_eq!(json["failure"]["kind"], "timeout");
    let section = &json["items"][2];
    let step = section["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|step| step["id"] == 10)
        .unwrap();
    assert_eq!(step["error"]["kind"], "timeout");
    assert_eq!(step["status"], "failed");
}

#[test]
fn a_tolerated_section_counts_its_failure_as_tolerated() {
    let mut events = sample::run(Some(10));
    let finished = events
        .iter()
        .position(|e| matches!(e, Event::RunFinished { .. }))
        .unwrap();
    events[finished] = Event::RunFinished {
        status: RunStatus::Passed,
        duration: Duration::from_secs(14),
        out_dir: sample::out_dir(),
    };
    events.insert(finished, Event::SectionTolerated { number: "3".into() });
    let record = RunRecord::from_events(&events);
    assert_eq!(record.status, Status::Passed);
    assert!(record.failure.is_none());
    assert_eq!(record.counts.failed, 0);
    assert_eq!(record.counts.tolerated, 1);
    assert_eq!(record.step(10).unwrap().status, Status::Tolerated);
}

#[test]
fn a_retried_section_keeps_its_last_attempt() {
    let mut events = sample::run(None);
    let at = events
        .iter()
        .position(|e| matches!(e, Event::SectionStarted { number, .. } if number == "3"))
        .unwrap();
    let mut first_try = sample::run(Some(10))[..].to_vec();
    let from = first_try
        .iter()
        .position(|e| matches!(e, Event::SectionStarted { number, .. } if number == "3"))
        .unwrap();
    let to = first_try
        .iter()
        .position(|e| matches!(e, Event::FailureEvidence { .. }))
        .unwrap();
    let mut inserted: Vec<Event> = first_try.drain(from..=to).collect();
    inserted.push(Event::SectionRetried {
        number: "3".into(),
        attempt: Attempt { number: 2, of: 2 },
    });
    events.splice(at..at, inserted);
    let record = RunRecord::from_events(&events);
    assert_eq!(record.status, Status::Passed);
    assert!(record.failure.is_none());
    let ItemRecord::Section(third) = &record.items[2] else {
        panic!("three sections")
    };
    assert_eq!(third.attempts, 2);
    assert_eq!(record.step(10).unwrap().status, Status::Passed);
}

#[test]
fn a_compared_figure_keeps_its_comparison_with_paths_in_the_run_folder() {
    use crate::engine::compared::Verdict;
    let record = RunRecord::from_events(&sample::masked(&sample::compared(Verdict::Differs)));
    assert_eq!(record.status, Status::Failed);
    assert_eq!(record.failure.as_ref().unwrap().step, 7);
    let shot = &record.step(7).unwrap().screenshots[0];
    let visual = shot.visual.as_ref().expect("the figure was compared");
    assert_eq!(visual.outcome, Verdict::Differs);
    assert_eq!(visual.changed_pixels, Some(1_234));
    assert_eq!(visual.regions.len(), 2);
    // The run's own files are named as `file` is; the baseline stays
    // where it lives with the runbook.
    assert_eq!(
        visual.diff_image.as_deref(),
        Some(std::path::Path::new("01-configure-transfer.diff.png"))
    );
    assert_eq!(
        visual.baseline_copy.as_deref(),
        Some(std::path::Path::new("01-configure-transfer.baseline.png"))
    );
    assert_eq!(
        visual.baseline,
        sample::comparison(Verdict::Differs).baseline
    );

    let json = serde_json::to_value(&record).unwrap();
    let written = &json["items"][1]["items"][1]["items"][1]["screenshots"][0]["visual"];
    assert_eq!(written["outcome"], "differs");
    assert_eq!(written["changed_ratio"], 0.0012);
    assert_eq!(
        written["regions"][1],
        serde_json::json!({ "x": 200, "y": 16, "width": 8, "height": 8 })
    );
    assert_eq!(written["limits"]["max_diff_pixels"], 100);
    assert_eq!(written["diff_image"], "01-configure-transfer.diff.png");
}

#[test]
fn only_a_compared_figure_has_a_visual_object() {
    use crate::engine::compared::Verdict;
    let record = RunRecord::from_events(&sample::run(None));
    let json = serde_json::to_value(record.step(7).unwrap()).unwrap();
    assert!(json["screenshots"][0].get("visual").is_none(), "{json}");

    let record = RunRecord::from_events(&sample::compared(Verdict::Matched));
    assert_eq!(record.status, Status::Passed);
    let visual = record.step(7).unwrap().screenshots[0]
        .visual
        .clone()
        .unwrap();
    assert_eq!(visual.outcome, Verdict::Matched);
    assert_eq!((visual.diff_image, visual.baseline_copy), (None, None));
}

#[test]
fn a_comparison_of_another_figure_than_the_steps_is_not_pinned_on_it() {
    use crate::engine::compared::Verdict;
    let mut events = sample::compared(Verdict::Matched);
    for event in &mut events {
        if let Event::FigureCompared { path, .. } = event {
            *path = sample::out_dir().join("09-elsewhere.png");
        }
    }
    let record = RunRecord::from_events(&events);
    assert!(record.step(7).unwrap().screenshots[0].visual.is_none());
}

//! `docs/results.md` is held to what docent writes: its examples are
//! docent's own output for the sample run, and every key and event the
//! sample run streams is named there.

use crate::engine::compared::Verdict;
use crate::engine::{Attempt, Event, RunStatus, Skip};
use crate::report::record::RunRecord;
use crate::report::sample;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

const REFERENCE: &str = include_str!("../../docs/results.md");

/// The fenced blocks of `language` in the reference, in order.
fn blocks(language: &str) -> Vec<String> {
    let fence = format!("```{language}");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in REFERENCE.lines() {
        match &mut current {
            None if line == fence => current = Some(String::new()),
            None => {}
            Some(_) if line == "```" => blocks.extend(current.take()),
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    blocks
}

/// Sections and steps by number and id, without their items.
fn flatten(items: &Value, into: &mut BTreeMap<String, Value>) {
    for item in items.as_array().unwrap() {
        let mut item = item.clone();
        let key = match item["type"].as_str() {
            Some("section") => format!("section {}", item["number"]),
            _ => format!("step {}", item["id"]),
        };
        if let Some(inner) = item.as_object_mut().unwrap().remove("items") {
            flatten(&inner, into);
        }
        into.insert(key, item);
    }
}

#[test]
fn the_results_example_is_what_docent_writes() {
    let example: Value = serde_json::from_str(&blocks("json")[0]).unwrap();
    let record = RunRecord::from_events(&sample::masked(&sample::run(Some(10))));
    let actual = serde_json::to_value(&record).unwrap();
    for (key, value) in example.as_object().unwrap() {
        if key != "items" {
            assert_eq!(&actual[key], value, "{key}");
        }
    }
    let (mut shown, mut written) = (BTreeMap::new(), BTreeMap::new());
    flatten(&example["items"], &mut shown);
    flatten(&actual["items"], &mut written);
    for (key, item) in &shown {
        assert_eq!(Some(item), written.get(key), "{key}");
    }
}

#[test]
fn the_stream_example_and_every_event_key_are_documented() {
    let mut events = sample::masked(&sample::run(Some(10)));
    events.extend([
        Event::SectionSkipped {
            number: "3".into(),
            title: "Check the result".into(),
            skip: Skip::when("\"Detection Result\" is visible"),
        },
        Event::SectionRetried {
            number: "3".into(),
            attempt: Attempt { number: 2, of: 2 },
        },
        Event::SectionTolerated { number: "3".into() },
        Event::FigureCompared {
            path: sample::out_dir().join("01-configure-transfer.png"),
            name: "configure-transfer".into(),
            comparison: sample::comparison(Verdict::Differs),
        },
        Event::RunFinished {
            status: RunStatus::Broken("chromedriver stopped answering".into()),
            duration: Duration::from_secs(1),
            out_dir: sample::out_dir(),
        },
        Event::RunInterrupted {
            signal: "SIGTERM",
            duration: Duration::from_secs(1),
            out_dir: sample::out_dir(),
        },
    ]);
    let lines: Vec<String> = events
        .iter()
        .map(|e| serde_json::to_string(e).unwrap())
        .collect();
    for shown in blocks("json")[1].lines() {
        assert!(lines.iter().any(|l| l == shown), "not streamed: {shown}");
    }
    for line in &lines {
        let value: Value = serde_json::from_str(line).unwrap();
        let name = value["event"].as_str().unwrap();
        assert!(REFERENCE.contains(&format!("| `{name}` |")), "{name}");
        let mut keys = Vec::new();
        collect_keys(&value, &mut keys);
        for key in keys {
            assert!(REFERENCE.contains(&format!("`{key}`")), "{name}: {key}");
        }
    }
}

#[test]
fn every_key_of_a_compared_figure_in_results_json_is_documented() {
    for verdict in [Verdict::Differs, Verdict::Matched, Verdict::NewBaseline] {
        let record = RunRecord::from_events(&sample::masked(&sample::compared(verdict)));
        let value = serde_json::to_value(&record).unwrap();
        let mut keys = Vec::new();
        collect_keys(&value, &mut keys);
        assert!(keys.iter().any(|k| k == "visual"), "{verdict:?}");
        for key in keys {
            assert!(REFERENCE.contains(&format!("`{key}`")), "{key}");
        }
        let outcome = serde_json::to_value(verdict).unwrap();
        let outcome = outcome.as_str().unwrap();
        assert!(REFERENCE.contains(&format!("`\"{outcome}\"`")), "{outcome}");
    }
}

fn collect_keys(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                into.push(key.clone());
                collect_keys(inner, into);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_keys(v, into)),
        _ => {}
    }
}

//! `docent run --json`: the run's events as JSON lines on stdout, one
//! compact object per event, each written and flushed as the event happens
//! so another program can follow a run live (`docent run --json x.yaml |
//! jq -c 'select(.event == "step_finished")'`).
//!
//! Each line is [`Event`] as serde writes it: an object whose `"event"`
//! field names the kind in snake case (`run_started`, `section_started`,
//! `step_started`, `step_finished`, `toast_seen`, `screenshot_saved`,
//! `failure_evidence`, `run_finished`, `run_interrupted`, …), durations as
//! `*_ms` numbers and times as RFC 3339 strings. The first line,
//! `run_started`, carries the whole outline; the last is `run_finished` or
//! `run_interrupted`. `demo_frame` events are left out: their picture is
//! not part of the stream, and a frame with no picture tells a reader
//! nothing. Events arrive with secrets already masked
//! ([`super::Outputs`]).

use crate::engine::{Event, Reporter};
use std::io::Write;

/// Writes each event as one line of JSON.
pub struct JsonLines<W: Write> {
    out: W,
    /// Set once a write fails (the reader went away); later events are
    /// dropped rather than failing the run.
    closed: bool,
}

impl<W: Write> JsonLines<W> {
    pub fn new(out: W) -> Self {
        JsonLines { out, closed: false }
    }

    pub fn into_inner(self) -> W {
        self.out
    }

    fn write(&mut self, event: &Event) -> std::io::Result<()> {
        // One buffer per line, so a reader never sees half an object.
        let mut line = serde_json::to_vec(event)?;
        line.push(b'\n');
        self.out.write_all(&line)?;
        self.out.flush()
    }
}

impl<W: Write> Reporter for JsonLines<W> {
    fn event(&mut self, event: &Event) {
        if self.closed || matches!(event, Event::DemoFrame { .. }) {
            return;
        }
        if let Err(error) = self.write(event) {
            tracing::debug!(%error, "the --json reader went away; no more events are written");
            self.closed = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;
    use serde_json::Value;

    fn stream(events: &[Event]) -> String {
        let mut json = JsonLines::new(Vec::new());
        for event in events {
            json.event(event);
        }
        String::from_utf8(json.into_inner()).unwrap()
    }

    fn kinds(events: &[Event]) -> Vec<String> {
        events
            .iter()
            .filter(|e| !matches!(e, Event::DemoFrame { .. }))
            .map(|e| {
                serde_json::to_value(e).unwrap()["event"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn every_line_is_one_event_in_order() {
        let events = sample::masked(&sample::run(Some(10)));
        let written = stream(&events);
        let lines: Vec<Value> = written
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
            .collect();
        let seen: Vec<String> = lines
            .iter()
            .map(|v| v["event"].as_str().expect("an \"event\" field").to_string())
            .collect();
        assert_eq!(seen, kinds(&events));
        assert_eq!(seen.first().map(String::as_str), Some("run_started"));
        assert_eq!(seen.last().map(String::as_str), Some("run_finished"));
        assert!(!seen.iter().any(|k| k == "demo_frame"));
        assert!(written.ends_with('\n'));
        // The outline is in the first line; the failure in the run's end.
        assert_eq!(lines[0]["steps"], 11);
        let failed = lines
            .iter()
            .find(|v| v["event"] == "step_finished" && v["status"] == "failed")
            .expect("the failed step");
        assert_eq!(failed["waited_ms"], 10_000.0);
        assert_eq!(failed["line"], 26);
        assert_eq!(lines.last().unwrap()["status"], "failed");
    }

    #[test]
    fn masked_events_never_carry_the_secret() {
        let written = stream(&sample::masked(&sample::run(None)));
        assert!(!written.contains(sample::SECRET), "{written}");
        assert!(written.contains("•••"), "{written}");
    }

    /// A writer that remembers how much it held at each flush.
    #[derive(Default)]
    struct Flushes {
        data: Vec<u8>,
        at: Vec<usize>,
    }

    impl Write for Flushes {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.data.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            self.at.push(self.data.len());
            Ok(())
        }
    }

    #[test]
    fn each_line_is_flushed_as_it_is_written() {
        let events = sample::masked(&sample::run(None));
        let mut json = JsonLines::new(Flushes::default());
        for event in &events {
            json.event(event);
        }
        let out = json.into_inner();
        let ends: Vec<usize> = out
            .data
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(out.at, ends);
    }

    /// A reader that went away after the first line.
    struct Closed(usize);

    impl Write for Closed {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.0 == 0 {
                return Err(std::io::ErrorKind::BrokenPipe.into());
            }
            self.0 -= 1;
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_stops_the_stream_quietly() {
        let mut json = JsonLines::new(Closed(1));
        for event in &sample::run(None) {
            json.event(event);
        }
        assert!(json.closed);
    }
}

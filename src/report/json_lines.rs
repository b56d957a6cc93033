//! `docent run --json`: the run's events as JSON lines on stdout, one
//! compact object per event, each written and flushed as the event happens
//! so another program can follow a run live (`docent run --json x.yaml |
//! jq -c 'select(.event == "step_finished")'`).
//!
//! Each line is [`Event`] as serde writes it: an object whose `"event"`
//! field names the kind in snake case (`run_started`, `section_started`,
//! `step_started`, `step_finished`, `toast_seen`, `screenshot_saved`,
//! `figure_compared`, `failure_evidence`, `run_finished`,
//! `run_interrupted`, …), durations as `*_ms` numbers and times as RFC 3339
//! strings. The first line,
//! `run_started`, carries the whole outline; the last is `run_finished` or
//! `run_interrupted`. `demo_frame` events are left out: their picture is
//! not part of the stream, and a frame with no picture tells a reader
//! nothing. Events arrive with secrets already masked
//! ([`super::Outputs`]).
//!
//! The stream is often read on a terminal, so no character a terminal would
//! obey is written raw: serde escapes the C0 controls, and the rest that
//! [`crate::printable`] escapes (DEL, the C1 controls, the bidirectional
//! overrides) are written as `\uXXXX` too. Each line is still plain JSON
//! and parses to the same text.

use crate::engine::{Event, Reporter};
use crate::printable;
use serde::Serialize;
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
        let mut line = Vec::with_capacity(256);
        event.serialize(&mut serde_json::Serializer::with_formatter(
            &mut line,
            TerminalSafe,
        ))?;
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

/// serde_json's compact form, with the characters it leaves raw in a
/// string but a terminal would obey written as `\uXXXX` escapes.
struct TerminalSafe;

impl serde_json::ser::Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        // serde has already escaped the C0 controls, quotes and backslashes:
        // what is left to escape here is DEL, C1 and the format characters.
        let mut rest = fragment;
        while let Some(at) = rest.find(|c| printable::escape_char(c).is_some()) {
            writer.write_all(&rest.as_bytes()[..at])?;
            let c = rest[at..].chars().next().expect("a character at `at`");
            write!(writer, "\\u{:04x}", c as u32)?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
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
    fn a_compared_figure_is_streamed_between_its_figure_and_its_step_end() {
        use crate::engine::compared::Verdict;
        let written = stream(&sample::masked(&sample::compared(Verdict::Differs)));
        let lines: Vec<Value> = written
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        let at = |kind: &str| lines.iter().position(|v| v["event"] == kind).unwrap();
        let compared = at("figure_compared");
        assert_eq!(at("screenshot_saved") + 1, compared);
        assert_eq!(lines[compared + 1]["event"], "step_finished");
        assert_eq!(lines[compared + 1]["kind"], "visual");
        let line = &lines[compared];
        assert_eq!(line["outcome"], "differs");
        assert_eq!(line["changed_pixels"], 1_234);
        assert_eq!(line["regions"][0]["width"], 30);
        assert_eq!(line["limits"]["threshold"], 0.1);
        assert_eq!(
            line["diff_image"],
            "screenshots/create-tracker/01-configure-transfer.diff.png"
        );
    }

    #[test]
    fn control_characters_are_escaped_and_the_line_parses_to_the_text() {
        let hostile = "\x1b]0;pwned\x07 \x1b[31mred\0 \u{9b}2J \x7f \u{202e}txt.exe\nnext";
        let written = stream(&[Event::ToastSeen {
            text: hostile.into(),
            kind: crate::engine::toasts::Level::Info,
            at: std::time::Duration::from_millis(5),
            place: None,
        }]);
        // One line, and nothing in it a terminal would act on.
        let line = written.strip_suffix('\n').unwrap();
        assert!(
            printable::is_clean(line) && !line.contains('\n'),
            "{written:?}"
        );
        assert!(
            written.contains(
                r#""\u001b]0;pwned\u0007 \u001b[31mred\u0000 \u009b2J \u007f \u202etxt.exe\nnext""#
            ),
            "{written}"
        );
        let parsed: Value = serde_json::from_str(&written).unwrap();
        assert_eq!(parsed["text"], hostile);
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

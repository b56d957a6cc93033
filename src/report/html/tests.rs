//! The report and index pages as a reader sees them: content, escaping,
//! what a failure shows first, and a committed snapshot.

use super::*;
use crate::engine::{FailureKind, Pass, Skip};
use crate::report::record::{Counts, RunRecord, ScreenshotRecord};
use crate::report::sample;

fn passed() -> RunRecord {
    RunRecord::from_events(&sample::masked(&sample::run(None)))
}

fn failed() -> RunRecord {
    RunRecord::from_events(&sample::masked(&sample::run(Some(10))))
}

/// The page's text as a reader sees it: tags dropped, entities read.
fn text(html: &str) -> String {
    let body = &html[html.find("<body>").unwrap_or(0)..];
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The opening tag of the element with `id`.
fn tag_with_id<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element with id {id}"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

fn step_mut(items: &mut [ItemRecord], id: usize) -> Option<&mut StepRecord> {
    items.iter_mut().find_map(|item| match item {
        ItemRecord::Step(s) if s.id == id => Some(s),
        ItemRecord::Step(_) => None,
        ItemRecord::Section(s) => step_mut(&mut s.items, id),
    })
}

#[test]
fn a_passed_run_shows_every_section_step_figure_and_toast() {
    let record = passed();
    let html = report(&record);
    let page = text(&html);
    assert!(page.contains("Create a CTS tracker"), "{page}");
    assert!(page.contains("MTD cannot read CTS logs until a tracker transfers them to LTS."));
    assert!(page.contains("PASSED"));
    assert!(page.contains("2026-11-24 09:30:12 UTC"), "{page}");
    assert!(page.contains("4.3s"), "the run's duration: {page}");
    assert!(page.contains("runbooks/create-tracker.yaml"));
    for title in [
        "1. Log in to the management console",
        "2. Configure the tracker",
        "2.1. On the Configure Transfer page, toggle on Transfer to LTS",
        "2.2. Confirm settings and click Configure",
        "3. Check the result",
    ] {
        assert!(page.contains(title), "{title} in {page}");
    }
    for step in record.steps() {
        assert!(page.contains(&step.description), "{}", step.description);
        assert!(tag_with_id(&html, &format!("step-{}", step.id)).contains("step passed"));
    }
    assert!(page.contains("Figure 1 Configure Transfer"), "{page}");
    assert!(html.contains("<img src=\"01-configure-transfer.png\""));
    assert!(html.contains("<a href=\"01-configure-transfer.png\">"));
    assert!(page.contains("highlighted: label \"Transfer to LTS\""));
    assert!(page.contains("✓Operation successfully! at"), "{page}");
    assert!(page.contains("(switched on)"), "the toggle's note");
    // The sample has demo frames: the demo is shown and linked.
    assert!(html.contains("<img src=\"demo.gif\""));
    for file in [
        "guide.html",
        "guide.md",
        "results.json",
        "junit.xml",
        "demo.gif",
    ] {
        assert!(html.contains(&format!("href=\"{file}\"")), "{file}");
    }
    assert!(!html.contains("id=\"failure\""), "no failure block");
    assert!(!html.contains("failure.png"));
}

#[test]
fn a_failed_run_shows_the_failure_first_and_what_was_not_reached() {
    let record = failed();
    let html = report(&record);
    let page = text(&html);
    assert!(html.contains("<title>FAILED — Create a CTS tracker</title>"));
    let failure = &html[html.find("id=\"failure\"").expect("a failure block")..];
    let steps = html.find("<h2>Steps</h2>").unwrap();
    assert!(
        html.find("id=\"failure\"").unwrap() < steps,
        "the failure comes first"
    );
    let failure_text = text(&failure[..failure.find("</section>").unwrap()]);
    assert!(
        failure_text.contains("Failed at step 10: click \"Detection Result\""),
        "{failure_text}"
    );
    assert!(failure_text.contains("runbooks/create-tracker.yaml:26:9"));
    assert!(failure_text.contains("in section 3 Check the result"));
    assert!(failure_text.contains("Looked for\"Detection Result\" to be clickable"));
    assert!(failure_text.contains("Foundcovered by <div.loading-mask>"));
    assert!(failure_text.contains("Waited10.0s"), "{failure_text}");
    assert!(failure.contains("<img src=\"failure.png\""));
    assert!(failure.contains("<a href=\"failure.html\">"));
    assert!(tag_with_id(&html, "step-10").contains("step failed failing"));
    let eleven = tag_with_id(&html, "step-11");
    assert!(eleven.contains("step not_run"), "{eleven}");
    assert!(
        page.contains("expect \"No threats have been found\" gone not run"),
        "{page}"
    );
    assert!(tag_with_id(&html, "section-3").contains("sec failed"));
    assert!(
        page.contains("1 of 2 steps"),
        "section 3 got to one step: {page}"
    );
    assert!(page.contains("9 passed"), "{page}");
    assert!(page.contains("1 not run"), "{page}");
    assert!(page.contains("FAILED"));
}

/// The failed sample's page below its stylesheet, for review in
/// `snapshots/` (the sample's times are fixed; the version is not).
#[test]
fn a_failed_run_renders_as_committed() {
    let html = report(&failed());
    let body = &html[html.find("<body>").unwrap()..];
    insta::assert_snapshot!(body.replace(env!("CARGO_PKG_VERSION"), "[version]"));
}

#[test]
fn secrets_never_appear() {
    let passed = passed();
    let failed = failed();
    let runs = [
        IndexEntry {
            report: "a/report.html".into(),
            record: &passed,
        },
        IndexEntry {
            report: "b/report.html".into(),
            record: &failed,
        },
    ];
    for page in [report(&passed), report(&failed), index(&runs)] {
        assert!(!page.contains(sample::SECRET));
    }
    assert!(report(&passed).contains("with &quot;•••&quot;"));
}

#[test]
fn text_from_the_run_is_escaped() {
    let mut record = failed();
    record.runbook.name = "<script>alert('name')</script>".into();
    record.runbook.description = Some("a & b <b>".into());
    let step = step_mut(&mut record.items, 2).unwrap();
    step.description = "click \"<script>alert(1)</script>\"".into();
    step.note = Some(Note::Passed(Pass::noted("<img src=x onerror=alert(2)>")));
    step.toasts.push(ToastRecord {
        text: "</li><script>alert(3)</script>".into(),
        // The kind is an enum now: it cannot carry markup.
        kind: crate::engine::toasts::Level::Error,
        at_ms: std::time::Duration::from_millis(5),
        place: None,
    });
    step.screenshots.push(ScreenshotRecord {
        file: "shot \"#1\".png".into(),
        name: "shot".into(),
        caption: Some("<script>alert(4)</script>".into()),
        highlight: vec!["<u>".into()],
        visual: None,
    });
    if let Some(f) = &mut record.failure {
        f.error.found = "<iframe src=javascript:alert(5)>".into();
    }
    let html = report(&record);
    let body = &html[html.find("</style>").unwrap()..];
    assert!(!body.contains("<script"), "{body}");
    assert!(!body.contains("<img src=x"));
    assert!(!body.contains("<iframe"));
    assert!(!body.contains("<u>"));
    assert!(body.contains("click &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;"));
    assert!(
        body.contains("<img src=\"shot%20%22%231%22.png\""),
        "{body}"
    );
    let page = text(&html);
    assert!(page.contains("click \"<script>alert(1)</script>\""));
    assert!(page.contains("Figure 1 <script>alert(4)</script>"));
    let runs = [IndexEntry {
        report: "x/report.html".into(),
        record: &record,
    }];
    let listed = index(&runs);
    assert!(!listed[listed.find("</style>").unwrap()..].contains("<script"));
}

#[test]
fn pages_fetch_nothing_from_elsewhere() {
    let record = passed();
    let runs = [IndexEntry {
        report: "create-tracker/report.html".into(),
        record: &record,
    }];
    for html in [report(&failed()), report(&record), index(&runs)] {
        for needle in [
            "<script",
            "<link",
            "src=\"http",
            "href=\"http",
            "@import",
            "url(",
        ] {
            assert!(!html.contains(needle), "{needle}");
        }
    }
}

#[test]
fn a_broken_or_interrupted_run_says_why() {
    let mut record = failed();
    record.status = Status::Broken;
    record.reason = Some("the browser stopped answering: <gone>".into());
    let page = text(&report(&record));
    assert!(page.contains("BROKEN"));
    assert!(page.contains("The browser broke down: the browser stopped answering: <gone>"));

    let mut record = passed();
    record.status = Status::Interrupted;
    record.reason = Some("SIGTERM".into());
    step_mut(&mut record.items, 5).unwrap().status = Status::Interrupted;
    let html = report(&record);
    assert!(text(&html).contains("Interrupted by SIGTERM"));
    assert!(tag_with_id(&html, "step-5").contains("step interrupted"));
}

#[test]
fn skipped_and_tolerated_steps_say_why() {
    let mut record = passed();
    let skipped = step_mut(&mut record.items, 4).unwrap();
    skipped.status = Status::Skipped;
    skipped.note = Some(Note::Skipped(Skip::when("\"Log In\" is visible")));
    let tolerated = step_mut(&mut record.items, 11).unwrap();
    tolerated.status = Status::Tolerated;
    tolerated.error = Some(crate::engine::StepFailure {
        kind: FailureKind::Timeout,
        looked_for: "the text to be gone".into(),
        found: "still shown".into(),
        waited: std::time::Duration::from_secs(5),
    });
    let page = text(&report(&record));
    assert!(
        page.contains("skipped: not (\"Log In\" is visible)"),
        "{page}"
    );
    assert!(page.contains("Failed, but the step is optional, so the run went on"));
    assert!(page.contains("Foundstill shown"));

    // A failed step in an optional section did not fail the run either.
    let ItemRecord::Section(third) = &mut record.items[2] else {
        panic!("three sections")
    };
    third.status = Status::Tolerated;
    let in_optional = step_mut(&mut record.items, 10).unwrap();
    in_optional.status = Status::Failed;
    in_optional.error = Some(crate::engine::StepFailure {
        kind: FailureKind::Timeout,
        looked_for: "\"Detection Result\" to be clickable".into(),
        found: "not found".into(),
        waited: std::time::Duration::from_secs(1),
    });
    let html = report(&record);
    let page = text(&html);
    assert!(
        page.contains("Failed, but section 3 is optional, so the run went on"),
        "{page}"
    );
    assert!(page.contains("failed, but optional: the run went on"));
    assert!(
        !tag_with_id(&html, "step-10").contains("failing"),
        "it is not the run's failure"
    );
}

#[test]
fn the_index_lists_every_run_with_its_verdict() {
    let passed = passed();
    let failed = failed();
    let runs = [
        IndexEntry {
            report: "create-tracker/report.html".into(),
            record: &passed,
        },
        IndexEntry {
            report: "create-tracker-2/report.html".into(),
            record: &failed,
        },
    ];
    let html = index(&runs);
    let page = text(&html);
    assert!(html.contains("<title>FAILED — 2 runbooks</title>"));
    assert!(page.contains("1 passed, 1 failed"), "{page}");
    assert!(html.contains("<a href=\"create-tracker/report.html\">Create a CTS tracker</a>"));
    assert!(html.contains("<a href=\"create-tracker-2/report.html\">"));
    assert!(html.contains("href=\"create-tracker-2/guide.html\""));
    assert!(html.contains("href=\"junit.xml\""));
    assert!(page.contains("step 10 failed: click \"Detection Result\""));
    assert!(page.contains("runbooks/create-tracker.yaml:26:9"));
    assert_eq!(
        failed.counts,
        Counts {
            steps: 11,
            passed: 9,
            failed: 1,
            not_run: 1,
            ..Counts::default()
        }
    );
    assert!(page.contains("All"), "a totals row");
    let only_passed = [IndexEntry {
        report: "create-tracker/report.html".into(),
        record: &passed,
    }];
    assert!(index(&only_passed).contains("<title>PASSED — 1 runbook</title>"));
}

mod visual;

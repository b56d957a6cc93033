//! A figure compared with its baseline, as junit.xml tells it: the failure
//! with every region, the limits and the comparison's files, the files
//! attached for CI plugins, and a passed figure's verdict.

use super::*;
use crate::engine::compared::Verdict;

fn compared(verdict: Verdict) -> RunRecord {
    record_of(&sample::compared(verdict))
}

#[test]
fn a_visual_failure_names_its_regions_limits_and_files() {
    let suite = one_suite(&compared(Verdict::Differs), Cases::Sections);
    let configure = &suite.cases[1];
    let failure = configure.status.failure_as_ref();
    assert!(
        failure.message.starts_with(
            "screenshot configure-transfer \"Configure Transfer\" failed at runbooks/create-tracker.yaml:"
        ),
        "{}",
        failure.message
    );
    assert!(
        failure
            .message
            .ends_with("1234 pixels changed (0.12%) in 2 regions: 10,20 30×40; 200,16 8×8"),
        "{}",
        failure.message
    );
    for line in [
        "  regions:    10,20 30×40; 200,16 8×8\n",
        "  limits:     at most 100 pixels may change, colour threshold 0.1\n",
        "  figure:     screenshots/create-tracker/01-configure-transfer.png\n",
        "  baseline:   screenshots/create-tracker/01-configure-transfer.baseline.png\n",
        "  diff image: screenshots/create-tracker/01-configure-transfer.diff.png",
    ] {
        assert!(failure.text.contains(line), "{line} in {}", failure.text);
    }
    let out = configure.system_out.as_deref().unwrap();
    assert!(
        out.contains(
            "    figure: 01-configure-transfer.png (Configure Transfer), differs from baseline: 1234 pixels changed (0.12%)\n"
        ),
        "{out}"
    );
    assert!(
        out.ends_with(
            "[[ATTACHMENT|screenshots/create-tracker/01-configure-transfer.png]]\n\
             [[ATTACHMENT|screenshots/create-tracker/01-configure-transfer.baseline.png]]\n\
             [[ATTACHMENT|screenshots/create-tracker/01-configure-transfer.diff.png]]\n"
        ),
        "{out}"
    );
}

#[test]
fn a_figure_with_no_baseline_attaches_the_figure_and_names_where_the_baseline_goes() {
    let suite = one_suite(&compared(Verdict::Missing), Cases::Steps);
    let shot = suite
        .cases
        .iter()
        .find(|c| c.original_name.contains("screenshot"))
        .unwrap();
    let failure = shot.status.failure_as_ref();
    assert!(
        failure.text.contains(
            "  baseline:   runbooks/baselines/create-tracker/chromium/configure-transfer.png"
        ),
        "{}",
        failure.text
    );
    assert!(!failure.text.contains("regions:"), "{}", failure.text);
    let out = shot.system_out.as_deref().unwrap();
    assert!(out.contains("figure: 01-configure-transfer.png (Configure Transfer), no baseline\n"));
    assert!(
        out.contains("[[ATTACHMENT|screenshots/create-tracker/01-configure-transfer.png]]\n"),
        "{out}"
    );
}

#[test]
fn a_figure_that_matches_says_so_and_attaches_nothing() {
    for (verdict, words) in [
        (Verdict::Matched, "matches baseline"),
        (Verdict::NewBaseline, "new baseline"),
    ] {
        let suite = one_suite(&compared(verdict), Cases::Sections);
        assert!(suite.cases.iter().all(|c| c.status.is_success()));
        let out = suite.cases[1].system_out.as_deref().unwrap();
        assert!(
            out.contains(&format!(
                "    figure: 01-configure-transfer.png (Configure Transfer), {words}\n"
            )),
            "{out}"
        );
        assert!(!out.contains("ATTACHMENT"), "{out}");
    }
}

#[test]
fn snapshot_of_a_visual_failure_by_steps() {
    insta::assert_snapshot!(xml(&[&compared(Verdict::Differs)], Cases::Steps));
}

//! The session state machine on its own: the step-9 rule, CN-Hong Kong,
//! and what each view shows.

use super::*;

fn analysing(state: &SessionState) -> bool {
    !state.detection_result(0).notice
}

#[test]
fn fresh_session_shows_the_notice_with_every_source_on() {
    let state = SessionState::new("demo");
    assert!(state.detection_result(0).notice);
    assert!(state.detection_settings().sources.iter().all(|s| s.enabled));
    assert_eq!(state.tracker_view().status, "Normal");
    assert!(!state.tracker().transfer_to_lts);
    assert_eq!(state.region, Region::BeijingFour);
}

#[test]
fn seed_procedure_order_completes_the_pickup() {
    let mut state = SessionState::new("demo");
    state.configure_tracker(true, false);
    assert!(!analysing(&state));
    state.set_source(DataSource::Cts, false).unwrap();
    assert!(!analysing(&state));
    assert_eq!(state.pickup(), CtsPickup::SwitchedOff);
    state.set_source(DataSource::Cts, true).unwrap();
    assert!(analysing(&state));
    let view = state.detection_result(1_000_000);
    assert!(!view.notice && view.logs_analysed);
    let logs: Vec<_> = view.analysed_sources.iter().map(|s| s.log).collect();
    assert_eq!(logs, ["IAM log", "OBS log", "DNS log", "CTS log"]);
}

#[test]
fn cycle_before_transfer_does_not_count() {
    let mut state = SessionState::new("demo");
    state.set_source(DataSource::Cts, false).unwrap();
    state.set_source(DataSource::Cts, true).unwrap();
    state.configure_tracker(true, false);
    assert!(!analysing(&state));
    // The cycle has to happen again after the transfer was configured.
    state.set_source(DataSource::Cts, false).unwrap();
    state.set_source(DataSource::Cts, true).unwrap();
    assert!(analysing(&state));
}

#[test]
fn switching_on_after_transfer_without_switching_off_does_not_count() {
    let mut state = SessionState::new("demo");
    state.set_source(DataSource::Cts, false).unwrap();
    state.configure_tracker(true, false);
    state.set_source(DataSource::Cts, true).unwrap();
    assert!(!analysing(&state));
}

#[test]
fn transfer_only_is_not_enough() {
    let mut state = SessionState::new("demo");
    state.configure_tracker(true, true);
    assert!(!analysing(&state));
    assert!(state.tracker_view().transfer_to_obs);
}

#[test]
fn repeated_writes_are_idempotent() {
    let mut state = SessionState::new("demo");
    state.configure_tracker(true, false);
    state.set_source(DataSource::Cts, true).unwrap();
    assert_eq!(state.pickup(), CtsPickup::Waiting);
    state.set_source(DataSource::Cts, false).unwrap();
    state.set_source(DataSource::Cts, false).unwrap();
    state.set_source(DataSource::Cts, true).unwrap();
    assert!(analysing(&state));
    // Re-applying the same tracker settings keeps the pickup.
    state.configure_tracker(true, false);
    assert!(analysing(&state));
}

#[test]
fn stopping_transfer_or_the_tracker_resets_the_pickup() {
    let mut state = SessionState::new("demo");
    state.configure_tracker(true, false);
    state.set_source(DataSource::Cts, false).unwrap();
    state.set_source(DataSource::Cts, true).unwrap();
    state.configure_tracker(false, false);
    assert!(!analysing(&state));
    state.configure_tracker(true, false);
    assert!(
        !analysing(&state),
        "transfer configured later needs a new cycle"
    );
    state.set_source(DataSource::Cts, false).unwrap();
    state.set_source(DataSource::Cts, true).unwrap();
    assert!(analysing(&state));

    state.set_tracker_enabled(false);
    assert!(!analysing(&state));
    assert_eq!(state.tracker_view().status, "Disabled");
    state.set_tracker_enabled(true);
    assert!(!analysing(&state));
}

#[test]
fn switching_cts_off_after_completion_shows_the_message_again() {
    let mut state = SessionState::new("demo");
    state.configure_tracker(true, false);
    state.set_source(DataSource::Cts, false).unwrap();
    state.set_source(DataSource::Cts, true).unwrap();
    state.set_source(DataSource::Cts, false).unwrap();
    assert!(!analysing(&state));
    state.set_source(DataSource::Cts, true).unwrap();
    assert!(analysing(&state));
}

#[test]
fn other_sources_do_not_affect_the_pickup() {
    let mut state = SessionState::new("demo");
    state.configure_tracker(true, false);
    state.set_source(DataSource::Iam, false).unwrap();
    state.set_source(DataSource::Iam, true).unwrap();
    assert!(!analysing(&state));
    state.set_source(DataSource::Cts, false).unwrap();
    state.set_source(DataSource::Obs, false).unwrap();
    state.set_source(DataSource::Cts, true).unwrap();
    let view = state.detection_result(1_000_000);
    let ids: Vec<_> = view.analysed_sources.iter().map(|s| s.id).collect();
    assert_eq!(ids, ["iam", "dns", "cts"]);
}

#[test]
fn hong_kong_disables_cts_detection() {
    let mut state = SessionState::new("demo");
    state.set_region(Region::HongKong);
    let cts = state.source_view(DataSource::Cts);
    assert!(!cts.supported && !cts.enabled);
    assert_eq!(
        cts.note,
        Some("CTS threat detection is not supported for the CN-Hong Kong region.")
    );
    assert_eq!(
        state.set_source(DataSource::Cts, false),
        Err(WriteError::CtsUnsupportedInRegion)
    );
    // The other sources still work there.
    state.set_source(DataSource::Iam, false).unwrap();
    assert!(!state.source_view(DataSource::Iam).enabled);
    assert!(state.source_view(DataSource::Dns).supported);
}

#[test]
fn hong_kong_does_not_list_cts_as_analysed() {
    let mut state = SessionState::new("demo");
    state.configure_tracker(true, false);
    state.set_source(DataSource::Cts, false).unwrap();
    state.set_source(DataSource::Cts, true).unwrap();
    state.set_region(Region::HongKong);
    let view = state.detection_result(1_000_000);
    assert!(view.logs_analysed);
    assert!(view.analysed_sources.iter().all(|s| s.id != "cts"));
    assert_eq!(view.analysed_sources.len(), 3);
    state.set_region(Region::BeijingFour);
    assert_eq!(state.detection_result(1_000_000).analysed_sources.len(), 4);
}

#[test]
fn regions_parse_by_id_and_name() {
    assert_eq!(Region::parse("CN-Hong Kong"), Some(Region::HongKong));
    assert_eq!(Region::parse("cn-north-4"), Some(Region::BeijingFour));
    assert_eq!(Region::parse("Atlantis"), None);
    let names: Vec<_> = Region::ALL.iter().map(|r| r.name()).collect();
    assert_eq!(
        names,
        [
            "CN North-Beijing4",
            "CN East-Shanghai1",
            "CN South-Guangzhou",
            "CN-Hong Kong",
            "AP-Singapore"
        ]
    );
}

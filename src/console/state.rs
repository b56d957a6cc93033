//! The console's domain state for one browser session: the selected region, the Managed Threat
//! Detection data-source switches, the Cloud Trace Service tracker, and the rule that decides when
//! MTD starts analysing CTS logs. It is plain data with no I/O so that the behaviour the seed
//! procedure depends on (its step 9 in particular) can be unit-tested on its own; the HTTP layer
//! only locks it, calls one method and serialises the returned view.

use serde::Serialize;

/// Regions offered by the region picker, in the order the picker lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Region {
    BeijingFour,
    ShanghaiOne,
    Guangzhou,
    HongKong,
    Singapore,
}

impl Region {
    pub const ALL: [Region; 5] = [
        Region::BeijingFour,
        Region::ShanghaiOne,
        Region::Guangzhou,
        Region::HongKong,
        Region::Singapore,
    ];

    /// The project identifier the API uses (the ones a real console shows in its URLs).
    pub fn id(self) -> &'static str {
        match self {
            Region::BeijingFour => "cn-north-4",
            Region::ShanghaiOne => "cn-east-3",
            Region::Guangzhou => "cn-south-1",
            Region::HongKong => "ap-southeast-1",
            Region::Singapore => "ap-southeast-3",
        }
    }

    /// The name the header shows; runbooks select regions by it, so it is spelled verbatim.
    pub fn name(self) -> &'static str {
        match self {
            Region::BeijingFour => "CN North-Beijing4",
            Region::ShanghaiOne => "CN East-Shanghai1",
            Region::Guangzhou => "CN South-Guangzhou",
            Region::HongKong => "CN-Hong Kong",
            Region::Singapore => "AP-Singapore",
        }
    }

    /// Accepts either the identifier or the display name, so API callers need not know both.
    pub fn parse(text: &str) -> Option<Region> {
        Region::ALL
            .into_iter()
            .find(|region| region.id() == text || region.name() == text)
    }

    /// The help page's constraint: "CTS threat detection is not supported for the CN-Hong Kong
    /// region."
    pub fn supports_cts_detection(self) -> bool {
        self != Region::HongKong
    }

    pub fn view(self) -> RegionView {
        RegionView {
            id: self.id(),
            name: self.name(),
        }
    }
}

/// The data sources MTD analyses, in the order the Detection Settings table lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataSource {
    Iam,
    Obs,
    Dns,
    Cts,
}

impl DataSource {
    pub const ALL: [DataSource; 4] = [
        DataSource::Iam,
        DataSource::Obs,
        DataSource::Dns,
        DataSource::Cts,
    ];

    pub fn id(self) -> &'static str {
        match self {
            DataSource::Iam => "iam",
            DataSource::Obs => "obs",
            DataSource::Dns => "dns",
            DataSource::Cts => "cts",
        }
    }

    pub fn parse(id: &str) -> Option<DataSource> {
        DataSource::ALL.into_iter().find(|source| source.id() == id)
    }

    /// The name in the table's first column; switches are labelled by it.
    pub fn name(self) -> &'static str {
        match self {
            DataSource::Iam => "Identity and Access Management (IAM)",
            DataSource::Obs => "Object Storage Service (OBS)",
            DataSource::Dns => "Domain Name Service (DNS)",
            DataSource::Cts => "Cloud Trace Service (CTS)",
        }
    }

    /// The abbreviation used in dialog titles such as "Disable CTS Threat Detection".
    pub fn short(self) -> &'static str {
        match self {
            DataSource::Iam => "IAM",
            DataSource::Obs => "OBS",
            DataSource::Dns => "DNS",
            DataSource::Cts => "CTS",
        }
    }

    /// How the Detection Result page names the log (as in "IAM log, OBS log, DNS log, CTS log").
    pub fn log_name(self) -> &'static str {
        match self {
            DataSource::Iam => "IAM log",
            DataSource::Obs => "OBS log",
            DataSource::Dns => "DNS log",
            DataSource::Cts => "CTS log",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            DataSource::Iam => {
                "Detects brute-force logins, credential leaks and unusual account activity in IAM audit logs."
            }
            DataSource::Obs => {
                "Detects malicious access and data exfiltration in OBS bucket access logs."
            }
            DataSource::Dns => {
                "Detects queries to malicious domains, mining pools and command-and-control servers."
            }
            DataSource::Cts => {
                "Detects suspicious API calls and resource changes in the management traces of CTS."
            }
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The tracker every project has: CTS creates the management tracker `system` by default.
pub const TRACKER_NAME: &str = "system";
pub const TRACKER_TYPE: &str = "Management";
pub const LOG_GROUP: &str = "CTS";
pub const LOG_STREAM: &str = "system-trace";
pub const OBS_BUCKET: &str = "cts-system-trace";
pub const CTS_UNSUPPORTED: &str =
    "CTS threat detection is not supported for the CN-Hong Kong region.";

/// Where MTD stands in picking up CTS logs. The help page's step 9 says the "No threats have been
/// found…" message disappears only after the tracker transfers to LTS *and then* CTS threat
/// detection is switched off and on again, so the order of those events matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CtsPickup {
    /// Transfer is not active, or it became active and CTS detection has not been cycled since.
    Waiting,
    /// CTS detection was switched off while transfer was active; switching it on completes.
    SwitchedOff,
    /// CTS detection was switched back on after transfer became active: CTS logs are analysed.
    Analysing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracker {
    pub enabled: bool,
    pub transfer_to_lts: bool,
    pub transfer_to_obs: bool,
}

/// Why a write was refused (besides injected failures, which the HTTP layer decides).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteError {
    CtsUnsupportedInRegion,
}

impl WriteError {
    pub fn message(&self) -> &'static str {
        match self {
            WriteError::CtsUnsupportedInRegion => CTS_UNSUPPORTED,
        }
    }
}

/// Everything one logged-in browser session has changed.
#[derive(Debug, Clone)]
pub struct SessionState {
    pub user: String,
    pub region: Region,
    sources: [bool; 4],
    tracker: Tracker,
    pickup: CtsPickup,
}

impl SessionState {
    /// A fresh detector as the help page describes it: every data source (CTS included) enabled,
    /// the default tracker without any transfer.
    pub fn new(user: impl Into<String>) -> SessionState {
        SessionState {
            user: user.into(),
            region: Region::BeijingFour,
            sources: [true; 4],
            tracker: Tracker {
                enabled: true,
                transfer_to_lts: false,
                transfer_to_obs: false,
            },
            pickup: CtsPickup::Waiting,
        }
    }

    #[cfg(test)]
    pub fn pickup(&self) -> CtsPickup {
        self.pickup
    }

    #[cfg(test)]
    pub fn tracker(&self) -> &Tracker {
        &self.tracker
    }

    pub fn source_enabled(&self, source: DataSource) -> bool {
        self.sources[source.index()]
    }

    /// MTD can only read CTS logs through an enabled tracker that transfers them to LTS.
    fn transfer_active(&self) -> bool {
        self.tracker.enabled && self.tracker.transfer_to_lts
    }

    pub fn set_region(&mut self, region: Region) {
        self.region = region;
    }

    /// Turns a data source's detection on or off. Repeating the current state changes nothing,
    /// so a retried request cannot complete the off/on cycle by itself.
    pub fn set_source(&mut self, source: DataSource, enabled: bool) -> Result<(), WriteError> {
        if source == DataSource::Cts && !self.region.supports_cts_detection() {
            return Err(WriteError::CtsUnsupportedInRegion);
        }
        if self.sources[source.index()] == enabled {
            return Ok(());
        }
        self.sources[source.index()] = enabled;
        if source == DataSource::Cts {
            self.pickup = match (enabled, self.transfer_active(), self.pickup) {
                (false, true, _) => CtsPickup::SwitchedOff,
                (false, false, _) => CtsPickup::Waiting,
                (true, true, CtsPickup::SwitchedOff) => CtsPickup::Analysing,
                (true, _, pickup) => pickup,
            };
        }
        Ok(())
    }

    /// Applies the Configure wizard. Whenever transfer becomes active or stops, MTD has to be
    /// re-triggered by the CTS off/on cycle, exactly as the help page's steps 7 and 8 do.
    pub fn configure_tracker(&mut self, transfer_to_lts: bool, transfer_to_obs: bool) {
        let was_active = self.transfer_active();
        self.tracker.transfer_to_lts = transfer_to_lts;
        self.tracker.transfer_to_obs = transfer_to_obs;
        self.after_tracker_change(was_active);
    }

    pub fn set_tracker_enabled(&mut self, enabled: bool) {
        let was_active = self.transfer_active();
        self.tracker.enabled = enabled;
        self.after_tracker_change(was_active);
    }

    fn after_tracker_change(&mut self, was_active: bool) {
        if self.transfer_active() != was_active {
            self.pickup = CtsPickup::Waiting;
        }
    }

    /// What the Detection Result page shows. `now_ms` stamps the "latest log received" times.
    pub fn detection_result(&self, now_ms: u64) -> DetectionResultView {
        let analysing = self.pickup == CtsPickup::Analysing;
        let analysed_sources = if analysing {
            DataSource::ALL
                .into_iter()
                .filter(|source| self.source_enabled(*source))
                .filter(|source| *source != DataSource::Cts || self.region.supports_cts_detection())
                .enumerate()
                .map(|(position, source)| AnalysedSourceView {
                    id: source.id(),
                    name: source.name(),
                    log: source.log_name(),
                    // Staggered a little so the table does not look machine-made.
                    latest_log_ms: now_ms.saturating_sub(42_000 + 17_000 * position as u64),
                    status: "Analyzing",
                })
                .collect()
        } else {
            Vec::new()
        };
        DetectionResultView {
            region: self.region.view(),
            notice: !analysing,
            logs_analysed: analysing,
            alarms: AlarmCounts::default(),
            analysed_sources,
        }
    }

    pub fn detection_settings(&self) -> DetectionSettingsView {
        let sources = DataSource::ALL
            .into_iter()
            .map(|source| self.source_view(source))
            .collect();
        DetectionSettingsView {
            region: self.region.view(),
            sources,
        }
    }

    /// One row of Detection Settings. Where CTS detection is unsupported the switch shows off
    /// (nothing is analysed there) whatever the session-wide setting is.
    pub fn source_view(&self, source: DataSource) -> SourceView {
        let supported = source != DataSource::Cts || self.region.supports_cts_detection();
        SourceView {
            id: source.id(),
            name: source.name(),
            short: source.short(),
            description: source.description(),
            enabled: supported && self.source_enabled(source),
            supported,
            note: (!supported).then_some(CTS_UNSUPPORTED),
        }
    }

    pub fn tracker_view(&self) -> TrackerView {
        TrackerView {
            name: TRACKER_NAME,
            tracker_type: TRACKER_TYPE,
            enabled: self.tracker.enabled,
            status: if self.tracker.enabled {
                "Normal"
            } else {
                "Disabled"
            },
            transfer_to_lts: self.tracker.transfer_to_lts,
            transfer_to_obs: self.tracker.transfer_to_obs,
            log_group: LOG_GROUP,
            log_stream: LOG_STREAM,
            obs_bucket: OBS_BUCKET,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RegionView {
    pub id: &'static str,
    pub name: &'static str,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct AlarmCounts {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AnalysedSourceView {
    pub id: &'static str,
    pub name: &'static str,
    pub log: &'static str,
    pub latest_log_ms: u64,
    pub status: &'static str,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DetectionResultView {
    pub region: RegionView,
    /// Whether the "Creating a Tracker" notice and the "No threats…" message are shown.
    pub notice: bool,
    pub logs_analysed: bool,
    pub alarms: AlarmCounts,
    pub analysed_sources: Vec<AnalysedSourceView>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SourceView {
    pub id: &'static str,
    pub name: &'static str,
    pub short: &'static str,
    pub description: &'static str,
    pub enabled: bool,
    pub supported: bool,
    pub note: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DetectionSettingsView {
    pub region: RegionView,
    pub sources: Vec<SourceView>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TrackerView {
    pub name: &'static str,
    #[serde(rename = "type")]
    pub tracker_type: &'static str,
    pub enabled: bool,
    pub status: &'static str,
    pub transfer_to_lts: bool,
    pub transfer_to_obs: bool,
    pub log_group: &'static str,
    pub log_stream: &'static str,
    pub obs_bucket: &'static str,
}
#[cfg(test)]
mod tests;

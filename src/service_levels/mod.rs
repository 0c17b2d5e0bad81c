//! Service levels and security-concept parameters: the project's values completed with the
//! defaults of the governing protection level (`templates/service-levels.toml`).

mod resolve;
mod tables;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::diagnostic::Diagnostic;
use crate::level::{Governor, Level};

/// Which direction of a figure is the stronger commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// Smaller is stricter (times, intervals).
    Lower,
    /// Larger is stricter (availability, retention).
    Higher,
}

/// The defaults file, as data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// The basic value that governs each parameter.
    pub governed_by: BTreeMap<String, Governor>,
    /// Which direction is stronger, per numeric parameter.
    pub better: BTreeMap<String, Better>,
    /// Parameters that have defaults only from a level on (below it they are absent unless
    /// the project gives them), e.g. the distance of georedundant sites from "high".
    #[serde(default)]
    pub from: BTreeMap<String, Level>,
    normal: Map<String, Value>,
    high: Map<String, Value>,
    very_high: Map<String, Value>,
    security_concept: SecurityConceptDefaults,
    term: TermDefaults,
    /// The terms of switching a cloud service (the same at every level).
    pub switching: Switching,
    /// Rules the figures must obey together.
    #[serde(default)]
    pub rule: Vec<crate::rules::Rule>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermDefaults {
    normal: TermDefault,
    high: TermDefault,
    very_high: TermDefault,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermDefault {
    notice_months_client: u32,
    notice_months_provider: u32,
}

/// The terms for switching a cloud service to another provider (Data Act Art. 25), the same
/// for every project: the law sets their outer limits, and rules keep them within.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Switching {
    /// Longest notice between a switching request and the start of the transition, months.
    pub notice_months: u32,
    /// Longest transitional period the provider may claim, calendar days.
    pub transition_days: u32,
    /// Business days within which the provider must give notice that the transition is
    /// technically unfeasible.
    pub unfeasible_notice_business_days: u32,
    /// Longest transitional period the provider may then set instead, months.
    pub unfeasible_transition_months: u32,
    /// Shortest period after the transition in which the client may still retrieve its data.
    pub retrieval_days: u32,
}

/// The term and the ordinary notice periods, resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    /// Minimum term in months, when the project sets one (`null` otherwise: templates see it
    /// as a value the project does not give).
    pub minimum_months: Option<u32>,
    /// Ordinary notice period of the client, months.
    pub notice_months_client: u32,
    /// Ordinary notice period of the provider, months.
    pub notice_months_provider: u32,
}

/// Per CVSS severity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Severities<T> {
    pub critical: T,
    pub high: T,
    pub medium: T,
    pub low: T,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SecurityConceptDefaults {
    normal: SecurityConcept,
    high: SecurityConcept,
    very_high: SecurityConcept,
}

/// Per incident priority.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Priorities<T> {
    /// Priority 1.
    pub p1: T,
    /// Priority 2.
    pub p2: T,
    /// Priority 3.
    pub p3: T,
    /// Priority 4.
    pub p4: T,
}

impl<T: Copy> Priorities<T> {
    /// The four values with their names, P1 first.
    pub fn named(&self) -> [(&'static str, T); 4] {
        [
            ("p1", self.p1),
            ("p2", self.p2),
            ("p3", self.p3),
            ("p4", self.p4),
        ]
    }
}

/// Every service-level parameter, resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ServiceLevels {
    pub availability_percent: f64,
    pub service_hours: String,
    pub support_hours: String,
    pub max_downtime_hours: f64,
    pub rto_hours: f64,
    pub rpo_hours: f64,
    pub backup_interval_hours: f64,
    pub backup_retention_days: u32,
    pub restore_test_months: u32,
    pub response_minutes: Priorities<u32>,
    pub resolution_hours: Priorities<f64>,
    pub security_incident_notice_hours: f64,
    pub personal_data_breach_notice_hours: f64,
    pub change_notice_days: u32,
    pub report_interval_months: u32,
    pub audit_notice_days: u32,
    pub exit_support_months: u32,
    pub data_return_days: u32,
    pub compute: Option<String>,
    pub storage_gb: Option<f64>,
    pub staff_min: Option<u32>,
    pub site_distance_km: Option<f64>,
    pub vulnerability_fix_days: Severities<u32>,
    pub log_retention_days: u32,
}

/// The security-concept parameters, resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityConcept {
    /// Days after the main contract takes effect.
    pub due_days: u32,
    /// Review interval in months.
    pub review_months: u32,
    /// The method the concept follows.
    pub framework: String,
    /// Client approval before go-live.
    pub approval_required: bool,
}

/// Where a resolved value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "from", content = "level")]
pub enum FigureOrigin {
    /// Given in the project.
    Project,
    /// The default of this level.
    Default(Level),
    /// Neither given nor defaulted.
    Absent,
}

/// The outcome of resolving a project's figures.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The service levels.
    pub service_levels: ServiceLevels,
    /// Where each service-level parameter came from.
    pub origins: BTreeMap<String, FigureOrigin>,
    /// The security-concept parameters.
    pub security_concept: SecurityConcept,
    /// The term and notice periods.
    pub term: Term,
    /// The terms of switching a cloud service.
    pub switching: Switching,
    /// The ids of the flag rules (`severity = "warning"`) the figures break: the clauses may
    /// say how the two figures relate.
    pub flags: Vec<String>,
    /// Figures weaker than their defaults, settled against `accepted_deviations`.
    pub deviations: crate::deviations::Settled,
    /// Warnings: values weaker than the governing level's default.
    pub warnings: Vec<Diagnostic>,
}

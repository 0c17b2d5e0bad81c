//! The figures as given: protection needs, service levels, security concept, term and
//! liability caps.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Count, NonNegative, Percent, Positive, Text};
use crate::level::Level;

/// The `protection` block.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Protection {
    /// Vertraulichkeit.
    pub confidentiality: Level,
    /// Integrität.
    pub integrity: Level,
    /// Verfügbarkeit.
    pub availability: Level,
    /// Why these categories.
    pub rationale: Option<Text>,
}

impl Protection {
    /// The level that governs a clause or parameter governed by `governor`.
    pub fn governing(&self, governor: crate::level::Governor) -> Level {
        use crate::level::Governor;
        match governor {
            Governor::Confidentiality => self.confidentiality,
            Governor::Integrity => self.integrity,
            Governor::Availability => self.availability,
            Governor::Overall => self.overall(),
        }
    }

    /// The overall level: the maximum of the three (maximum principle).
    pub fn overall(&self) -> Level {
        self.confidentiality
            .max(self.integrity)
            .max(self.availability)
    }
}

/// Response or resolution figures per incident priority; each may be left to the default.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PerPriority<T> {
    /// Priority 1: service unavailable.
    pub p1: Option<T>,
    /// Priority 2: major impairment.
    pub p2: Option<T>,
    /// Priority 3: minor impairment with workaround.
    pub p3: Option<T>,
    /// Priority 4: request or cosmetic defect.
    pub p4: Option<T>,
}

/// The `service_levels` block as given (all optional).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceLevelsInput {
    /// Percent per calendar month within service hours, 0 < x < 100.
    pub availability_percent: Option<Percent>,
    /// Service hours, free text.
    pub service_hours: Option<Text>,
    /// Support hours, free text.
    pub support_hours: Option<Text>,
    /// Longest tolerable single outage, hours.
    pub max_downtime_hours: Option<Positive>,
    /// Recovery time objective, hours.
    pub rto_hours: Option<Positive>,
    /// Recovery point objective, hours.
    pub rpo_hours: Option<Positive>,
    /// Backup interval, hours.
    pub backup_interval_hours: Option<Positive>,
    /// Backup retention, days.
    pub backup_retention_days: Option<Count>,
    /// Interval between restore tests, months.
    pub restore_test_months: Option<Count>,
    /// Reaction time per priority, minutes.
    pub response_minutes: Option<PerPriority<Count>>,
    /// Resolution time per priority, hours.
    pub resolution_hours: Option<PerPriority<Positive>>,
    /// First notice of a security incident, hours.
    pub security_incident_notice_hours: Option<Positive>,
    /// Processor-to-controller notice of a personal data breach, hours.
    pub personal_data_breach_notice_hours: Option<Positive>,
    /// Advance notice of material changes, days.
    pub change_notice_days: Option<Count>,
    /// SLA and security report interval, months.
    pub report_interval_months: Option<Count>,
    /// Notice before a client audit, days (0 = unannounced allowed).
    pub audit_notice_days: Option<NonNegative>,
    /// Transition support after termination, months.
    pub exit_support_months: Option<Count>,
    /// Return of all client data after termination, days.
    pub data_return_days: Option<Count>,
    /// Agreed computing capacity, free text.
    pub compute: Option<Text>,
    /// Agreed storage, GB.
    pub storage_gb: Option<Positive>,
    /// Minimum number of qualified named staff.
    pub staff_min: Option<Count>,
    /// Minimum distance between redundant sites, km.
    pub site_distance_km: Option<Positive>,
    /// Deadlines for fixing vulnerabilities per CVSS severity, days.
    pub vulnerability_fix_days: Option<PerSeverity<Count>>,
    /// Retention of the logs concerning the client, days.
    pub log_retention_days: Option<Count>,
}

/// Figures per CVSS severity of a vulnerability; each may be left to the default.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PerSeverity<T> {
    /// Critical (CVSS 9.0–10.0).
    pub critical: Option<T>,
    /// High (CVSS 7.0–8.9).
    pub high: Option<T>,
    /// Medium (CVSS 4.0–6.9).
    pub medium: Option<T>,
    /// Low (CVSS 0.1–3.9).
    pub low: Option<T>,
}

/// The `security_concept` block as given (all optional).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityConceptInput {
    /// Days after contract start by which the concept is delivered.
    pub due_days: Option<Count>,
    /// Update interval, months.
    pub review_months: Option<Count>,
    /// The method the concept follows.
    pub framework: Option<Text>,
    /// The client must approve the concept before go-live.
    pub approval_required: Option<bool>,
}

/// Caps of the provider's liability (the annex never caps liability for intent, gross
/// negligence, injury to life, body or health, or breaches of data-protection obligations).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Liability {
    /// Cap per incident, EUR.
    pub cap_per_incident_eur: Option<Positive>,
    /// Cap per contract year, EUR.
    pub cap_per_year_eur: Option<Positive>,
}

/// The `term` block as given (all optional; the notice periods take level defaults).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TermInput {
    /// Minimum term in months before ordinary termination.
    pub minimum_months: Option<NonNegative>,
    /// Ordinary notice period of the client, months.
    pub notice_months_client: Option<Count>,
    /// Ordinary notice period of the provider, months.
    pub notice_months_provider: Option<Count>,
}

//! The project description as typed values (see `docs/project-format.md`).
//!
//! Field-level validation (ids, dates, ranges, enums) happens while deserialising, so serde_json
//! reports the line and column of the offending value; rules that span several fields live in
//! [`super::check`], the checks that need the template library in [`crate::validate`].

mod dora;
mod levels;
mod parties;
mod scalars;
mod service;

pub use dora::*;
pub use levels::*;
pub use parties::*;
pub use scalars::*;
pub use service::*;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::language::Language;

/// One project: everything needed for one annex.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "annex project description")]
pub struct Project {
    /// The JSON schema the file follows, for an editor's completion (`annex schema` writes
    /// it); annex itself ignores the value.
    #[serde(rename = "$schema", default, skip_serializing)]
    pub schema: Option<String>,
    /// The document itself.
    pub annex: AnnexInfo,
    /// The outsourcing organisation (Auftraggeber) and its regulatory situation.
    pub client: Client,
    /// The outsourcing service provider (Auftragnehmer).
    pub provider: Party,
    /// What is outsourced and its circumstances.
    pub service: Service,
    /// Protection requirements per basic value.
    pub protection: Protection,
    /// Quantitative service levels; each missing value takes the default of its governing level.
    #[serde(default)]
    pub service_levels: ServiceLevelsInput,
    /// Parameters of the security-concept obligation; missing values take level defaults.
    #[serde(default)]
    pub security_concept: SecurityConceptInput,
    /// Term and ordinary notice periods; missing values take level defaults.
    #[serde(default)]
    pub term: TermInput,
    /// Caps of the provider's liability; without them liability follows the main contract.
    pub liability: Option<Liability>,
    /// Figures weaker than the level's defaults that the client accepted, with the reason.
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub accepted_deviations: Vec<AcceptedDeviation>,
    /// The approved sub-contractors at signing.
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub subcontractors: Vec<Subcontractor>,
    /// What the DORA register of information needs and the rest of the project does not say
    /// (only for a financial entity): with it, annex writes the register's rows for this
    /// contract (`<id>.dora-register.csv`).
    pub dora: Option<Dora>,
    /// Topics added or removed against the level and condition rules.
    #[serde(default)]
    pub clauses: ClauseChoices,
    /// Free values for custom templates (`variables.x`).
    #[serde(default)]
    pub variables: serde_json::Map<String, serde_json::Value>,
}

/// The `annex` block.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnexInfo {
    /// Stable identifier; names the output files.
    pub id: AnnexId,
    /// Date of the annex, also the PDF creation date.
    pub date: IsoDate,
    /// The contract this annex belongs to.
    pub main_contract: Text,
    /// Language of the annex.
    #[serde(default)]
    pub language: Language,
    /// Annex number as printed ("4" or "Anlage 4").
    pub number: Option<Text>,
    /// Title; default per language.
    pub title: Option<Text>,
    /// Version printed with the date, default "1.0".
    pub version: Option<Text>,
}

/// The facts about a project that conditions in the library (`when`, `required_when`) may name,
/// each with the project field it is read from.
pub const FACTS: [(&str, &str); 14] = [
    ("personal_data", "service.personal_data"),
    ("network_coupling", "service.network_coupling"),
    ("software", "service.software"),
    ("migration", "service.migration"),
    ("shared_platform", "service.shared_platform"),
    ("critical_function", "service.critical_function"),
    ("cloud", "service.cloud"),
    ("financial_entity", "client.financial_entity"),
    ("public_body", "client.public_body"),
    ("nis2_digital_provider", "client.nis2_digital_provider"),
    ("nis2_entity", "client.nis2"),
    ("health_care", "client.health_care"),
    ("health_data", "service.special_categories"),
    ("subcontracting_permitted", "clauses.exclude"),
];

/// The names of the facts, in [`FACTS`] order.
pub fn fact_names() -> impl Iterator<Item = &'static str> {
    FACTS.iter().map(|(name, _)| *name)
}

/// The project field a fact is read from ("client.nis2" for `nis2_entity`).
pub fn fact_source(name: &str) -> &'static str {
    FACTS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("service", |(_, source)| source)
}

impl Project {
    /// The value of a fact by name (see [`FACTS`]); `None` for an unknown name.
    pub fn fact(&self, name: &str) -> Option<bool> {
        let s = &self.service;
        let c = &self.client;
        Some(match name {
            "personal_data" => s.personal_data,
            "network_coupling" => s.network_coupling,
            "software" => s.software,
            "migration" => s.migration,
            "shared_platform" => s.shared_platform,
            "critical_function" => s.critical_function,
            "cloud" => s.cloud,
            "financial_entity" => c.financial_entity,
            "public_body" => c.public_body,
            "nis2_digital_provider" => c.nis2_digital_provider,
            "nis2_entity" => c.nis2 != Nis2::None,
            "health_care" => c.health_care.unwrap_or_else(|| c.health_care_presumed()),
            "health_data" => s.special_categories.contains(&SpecialCategory::Health),
            "subcontracting_permitted" => !self
                .clauses
                .exclude
                .iter()
                .any(|e| e.id == "subcontracting"),
            _ => return None,
        })
    }
}

/// A figure weaker than the governing level's default that the client accepted.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptedDeviation {
    /// The project path of the figure, e.g. "service_levels.max_downtime_hours".
    pub field: Text,
    /// Why the client accepts the gap.
    pub reason: Text,
    /// Who accepted it (name and function).
    pub accepted_by: Text,
}

/// An approved sub-contractor.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Subcontractor {
    /// Legal name.
    pub name: Text,
    /// What it does.
    pub service: Text,
    /// Where.
    pub location: Text,
    /// Legal Entity Identifier (ISO 17442), for the supply chain of the DORA register
    /// (template B_05.02).
    pub lei: Option<Lei>,
}

/// The `clauses` block.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClauseChoices {
    /// Topic ids to add although level or condition would leave them out.
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub include: Vec<String>,
    /// Topic ids to leave out, each with a reason.
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub exclude: Vec<Exclusion>,
}

/// A topic left out by agreement.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// The topic id.
    pub id: String,
    /// Why the parties agreed to leave it out (required).
    pub reason: Text,
}

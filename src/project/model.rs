//! The project description as typed values (see `shared/spec/project-format.md`).
//!
//! Field-level validation (ids, dates, ranges, enums) happens while deserialising, so serde_json
//! reports the line and column of the offending value; rules that span several fields live in
//! [`super::validate`].

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

pub use crate::language::Language;
use crate::level::Level;

/// One project: everything needed for one annex.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "annex project description")]
pub struct Project {
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

/// A contract party (the provider).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Legal name.
    pub name: Text,
    /// Postal address; may contain line breaks.
    pub address: Text,
    /// Who signs.
    pub representative: Option<Text>,
    /// Operational contact.
    pub contact: Option<Contact>,
    /// Information security officer.
    pub security_officer: Option<Contact>,
    /// Legal Entity Identifier (ISO 17442).
    pub lei: Option<Lei>,
}

/// The client: a party and its regulatory situation, which decides the frameworks that bind
/// the annex.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Client {
    /// Legal name.
    pub name: Text,
    /// Postal address; may contain line breaks.
    pub address: Text,
    /// Who signs.
    pub representative: Option<Text>,
    /// Operational contact.
    pub contact: Option<Contact>,
    /// Information security officer.
    pub security_officer: Option<Contact>,
    /// Legal Entity Identifier (ISO 17442).
    pub lei: Option<Lei>,
    /// A financial entity under Art. 2 DORA: DORA Art. 30 and its RTS apply.
    #[serde(default)]
    pub financial_entity: bool,
    /// An essential or important entity under NIS2 / the BSI Act.
    #[serde(default)]
    pub nis2: Nis2,
    /// A digital provider of Implementing Regulation (EU) 2024/2690 (cloud, data centre, CDN,
    /// managed (security) services, …): its Annex 5.1.4 applies.
    #[serde(default)]
    pub nis2_digital_provider: bool,
    /// A public authority or body.
    #[serde(default)]
    pub public_body: bool,
    /// A health-care provider (hospital, practice, …) or a statutory health or long-term care
    /// insurer: § 393 SGB V binds its processing of health data in a cloud service. When not
    /// given, annex takes an essential or important NIS2 entity that is not a public body as
    /// one (and says so in a warning).
    pub health_care: Option<bool>,
}

impl Client {
    /// Whether the client is taken to be in health care when `health_care` is not given: an
    /// essential or important NIS2 entity that is not a public body.
    pub fn health_care_presumed(&self) -> bool {
        self.nis2 != Nis2::None && !self.public_body
    }
}

/// The client's category under NIS2 / the BSI Act.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Nis2 {
    /// An essential entity (besonders wichtige Einrichtung).
    Essential,
    /// An important entity (wichtige Einrichtung).
    Important,
    /// Neither.
    #[default]
    None,
}

/// A Legal Entity Identifier: 20 characters of A–Z and 0–9 whose ISO 7064 (mod 97-10) check
/// digits are right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct Lei(#[schemars(regex(pattern = r"^[A-Z0-9]{18}[0-9]{2}$"))] pub String);

impl Lei {
    /// Checks a LEI; the error says what is wrong.
    pub fn parse(s: &str) -> Result<Lei, String> {
        let shape = s.len() == 20
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && s.bytes().skip(18).all(|b| b.is_ascii_digit());
        if !shape {
            return Err(format!(
                "expected a Legal Entity Identifier of 20 characters (18 of A-Z or 0-9, then two check digits), found {s:?}"
            ));
        }
        // ISO 7064 MOD 97-10: letters count as 10..35, the whole number mod 97 must be 1.
        let rest = s.chars().fold(0u32, |acc, c| {
            let v = c.to_digit(36).unwrap_or(0);
            if v >= 10 {
                (acc * 100 + v) % 97
            } else {
                (acc * 10 + v) % 97
            }
        });
        if rest != 1 {
            return Err(format!(
                "{s:?} is not a valid Legal Entity Identifier: its check digits do not match (ISO 17442)"
            ));
        }
        Ok(Lei(s.to_string()))
    }
}

impl<'de> Deserialize<'de> for Lei {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Lei::parse(&s).map_err(D::Error::custom)
    }
}

/// A contact person or function.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Name of the person or function.
    pub name: Text,
    /// Role.
    pub role: Option<Text>,
    /// E-mail address.
    pub email: Option<Text>,
    /// Telephone number.
    pub phone: Option<Text>,
}

/// The `service` block.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// What the provider does.
    pub description: Text,
    /// Systems, applications and interfaces in scope.
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub components: Vec<Text>,
    /// Sites or countries of service delivery and data storage.
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub locations: Vec<Text>,
    /// Start of service delivery.
    pub start_date: Option<IsoDate>,
    /// Personal data are processed on the client's behalf (required: a silent "no" would drop
    /// the data-processing clauses).
    pub personal_data: bool,
    /// Categories of data subjects (GDPR Art. 28(3) first sentence).
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub data_subjects: Vec<Text>,
    /// Types of personal data.
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub data_categories: Vec<Text>,
    /// Special categories of personal data (Art. 9 and 10 GDPR).
    #[serde(default)]
    pub special_categories: Vec<SpecialCategory>,
    /// A cloud / data processing service.
    #[serde(default)]
    pub cloud: bool,
    /// The client's and provider's networks are connected.
    #[serde(default)]
    pub network_coupling: bool,
    /// Software development or maintenance is part of the service.
    #[serde(default)]
    pub software: bool,
    /// The service starts with a migration.
    #[serde(default)]
    pub migration: bool,
    /// The provider serves other clients on the same platform.
    #[serde(default = "yes")]
    pub shared_platform: bool,
    /// The service supports a critical or important function (DORA Art. 30(3)).
    #[serde(default)]
    pub critical_function: bool,
    /// The client's identifier of the function in its DORA register of information.
    pub function_id: Option<Text>,
}

/// A special category of personal data (Art. 9 GDPR; `criminal`: Art. 10).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum SpecialCategory {
    Health,
    Genetic,
    Biometric,
    Religion,
    Political,
    TradeUnion,
    EthnicOrigin,
    SexLife,
    Criminal,
}

impl SpecialCategory {
    /// The category's name in the annex language.
    pub fn name(self, lang: Language) -> &'static str {
        use SpecialCategory::*;
        match (self, lang) {
            (Health, Language::De) => "Gesundheitsdaten",
            (Health, Language::En) => "data concerning health",
            (Genetic, Language::De) => "genetische Daten",
            (Genetic, Language::En) => "genetic data",
            (Biometric, Language::De) => "biometrische Daten zur eindeutigen Identifizierung",
            (Biometric, Language::En) => {
                "biometric data for the purpose of uniquely identifying a natural person"
            }
            (Religion, Language::De) => "Daten über religiöse oder weltanschauliche Überzeugungen",
            (Religion, Language::En) => "data revealing religious or philosophical beliefs",
            (Political, Language::De) => "Daten über politische Meinungen",
            (Political, Language::En) => "data revealing political opinions",
            (TradeUnion, Language::De) => "Daten über die Gewerkschaftszugehörigkeit",
            (TradeUnion, Language::En) => "data revealing trade union membership",
            (EthnicOrigin, Language::De) => "Daten über die rassische oder ethnische Herkunft",
            (EthnicOrigin, Language::En) => "data revealing racial or ethnic origin",
            (SexLife, Language::De) => "Daten zum Sexualleben oder zur sexuellen Orientierung",
            (SexLife, Language::En) => "data concerning sex life or sexual orientation",
            (Criminal, Language::De) => "Daten über strafrechtliche Verurteilungen und Straftaten",
            (Criminal, Language::En) => "data relating to criminal convictions and offences",
        }
    }
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

fn yes() -> bool {
    true
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

// ---------------------------------------------------------------------------------------------
// Validated scalar types. Each rejects bad values while deserialising, so the error carries the
// position of the value in the file.

/// Longest text accepted in one field, in characters (about four pages).
pub const MAX_TEXT_CHARS: usize = 10_000;

/// A non-empty text (after trimming) of at most [`MAX_TEXT_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct Text(#[schemars(length(min = 1, max = 10000))] pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.trim().is_empty() {
            return Err(D::Error::custom(
                "expected a non-empty text, found an empty string",
            ));
        }
        let chars = s.chars().count();
        if chars > MAX_TEXT_CHARS {
            return Err(D::Error::custom(format!(
                "expected a text of at most {MAX_TEXT_CHARS} characters, found {chars}"
            )));
        }
        Ok(Text(s))
    }
}

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The annex id: `^[a-z0-9][a-z0-9._-]{0,63}$`, without `..`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct AnnexId(String);

impl AnnexId {
    /// Checks an id; the error says what is wrong.
    pub fn parse(s: &str) -> Result<AnnexId, String> {
        let bytes = s.as_bytes();
        let problem = if s.is_empty() {
            Some("it is empty".to_string())
        } else if bytes.len() > 64 {
            Some(format!(
                "it has {} characters, at most 64 are allowed",
                s.chars().count()
            ))
        } else if s.contains(['/', '\\']) {
            Some("it contains a path separator".to_string())
        } else if s.contains("..") {
            Some("it contains \"..\"".to_string())
        } else if !s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
            Some(format!(
                "it starts with {:?}",
                s.chars().next().unwrap_or(' ')
            ))
        } else if let Some(c) = s.chars().find(|c| {
            !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        }) {
            Some(format!("it contains {c:?}"))
        } else if s.contains("..") {
            Some("it contains \"..\"".to_string())
        } else {
            None
        };
        match problem {
            Some(p) => Err(format!(
                "invalid annex id {s:?}: {p}; expected 1 to 64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit"
            )),
            None => Ok(AnnexId(s.to_string())),
        }
    }

    /// The id.
    /// The name of an output file: `<id>.<ext>`, or `<id>.draft.<ext>` for a draft (`ext` is
    /// e.g. `pdf`, `md`, `manifest.json`). The id is validated: it cannot name a path.
    pub fn file_name(&self, draft: bool, ext: &str) -> String {
        let id = &self.0;
        if draft {
            format!("{id}.draft.{ext}")
        } else {
            format!("{id}.{ext}")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for AnnexId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        AnnexId::parse(&s).map_err(D::Error::custom)
    }
}

impl JsonSchema for AnnexId {
    fn schema_name() -> Cow<'static, str> {
        "AnnexId".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[a-z0-9][a-z0-9._-]{0,63}$",
            "description": "Stable identifier; names the output files. No \"..\"."
        })
    }
}

impl fmt::Display for AnnexId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct IsoDate(pub time::Date);

impl IsoDate {
    /// Parses `YYYY-MM-DD` and checks that the day exists.
    pub fn parse(s: &str) -> Result<IsoDate, String> {
        let shape_ok = s.len() == 10
            && s.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !shape_ok {
            return Err(format!("expected a date written YYYY-MM-DD, found {s:?}"));
        }
        let num =
            |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u16>().ok()).unwrap_or(0);
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        let month = time::Month::try_from(m as u8)
            .map_err(|_| format!("{s:?} is not a calendar date: there is no month {m}"))?;
        time::Date::from_calendar_date(i32::from(y), month, d as u8)
            .map(IsoDate)
            .map_err(|_| format!("{s:?} is not a calendar date: {month} {y} has no day {d}"))
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i32, u8, u8) {
        (self.0.year(), u8::from(self.0.month()), self.0.day())
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for IsoDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        IsoDate::parse(&s).map_err(D::Error::custom)
    }
}

impl JsonSchema for IsoDate {
    fn schema_name() -> Cow<'static, str> {
        "IsoDate".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" })
    }
}

/// Names a JSON value for "found …" in messages.
pub(crate) fn describe(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "null".to_string(),
        serde_json::Value::Bool(b) => format!("the boolean {b}"),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => format!("the string {s:?}"),
        serde_json::Value::Array(_) => "an array".to_string(),
        serde_json::Value::Object(_) => "an object".to_string(),
    }
}

/// Defines a validated number newtype.
macro_rules! number_type {
    ($(#[$doc:meta])* $name:ident($inner:ty), $check:expr, $expected:literal, $schema:tt) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = serde_json::Value::deserialize(d)?;
                let check: fn(&serde_json::Number) -> Option<$inner> = $check;
                match &v {
                    serde_json::Value::Number(n) => check(n).map($name),
                    _ => None,
                }
                .ok_or_else(|| {
                    D::Error::custom(format!(
                        concat!("expected ", $expected, ", found {}"),
                        describe(&v)
                    ))
                })
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

number_type!(
    /// A number greater than 0.
    Positive(f64),
    |n| n.as_f64().filter(|x| x.is_finite() && *x > 0.0 && *x <= 1.0e9),
    "a number greater than 0 (at most 1000000000)",
    { "type": "number", "exclusiveMinimum": 0, "maximum": 1.0e9 }
);
number_type!(
    /// A percentage strictly between 0 and 100.
    Percent(f64),
    |n| n.as_f64().filter(|x| *x > 0.0 && *x < 100.0),
    "a percentage greater than 0 and less than 100",
    { "type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 100 }
);
number_type!(
    /// A whole number greater than 0.
    Count(u32),
    |n| n.as_u64().filter(|x| *x > 0 && *x <= 1_000_000).map(|x| x as u32),
    "a whole number greater than 0 (at most 1000000)",
    { "type": "integer", "minimum": 1, "maximum": 1000000 }
);
number_type!(
    /// A whole number of 0 or more.
    NonNegative(u32),
    |n| n.as_u64().filter(|x| *x <= 1_000_000).map(|x| x as u32),
    "a whole number of 0 or more (at most 1000000)",
    { "type": "integer", "minimum": 0, "maximum": 1000000 }
);

impl JsonSchema for Level {
    fn schema_name() -> Cow<'static, str> {
        "Level".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "enum": ["normal", "high", "very_high", "hoch", "sehr_hoch", "sehr hoch"],
            "description": "Protection category of BSI-Standard 200-2; German spellings are aliases."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert!(IsoDate::parse("2026-02-28").is_ok());
        assert!(IsoDate::parse("2028-02-29").is_ok());
        assert_eq!(
            IsoDate::parse("2026-02-30").unwrap_err(),
            "\"2026-02-30\" is not a calendar date: February 2026 has no day 30"
        );
        assert_eq!(
            IsoDate::parse("2026-13-01").unwrap_err(),
            "\"2026-13-01\" is not a calendar date: there is no month 13"
        );
        assert!(IsoDate::parse("26-1-1").is_err());
        assert!(IsoDate::parse("2026-01-1x").is_err());
    }

    #[test]
    fn ids_reject_paths_and_upper_case() {
        assert!(AnnexId::parse("rb-core-banking-ops").is_ok());
        assert!(AnnexId::parse("a.b_c-1").is_ok());
        for bad in [
            "",
            "../x",
            "a/b",
            "A",
            "a b",
            "a..b",
            ".x",
            "-x",
            &"a".repeat(65),
        ] {
            assert!(AnnexId::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}

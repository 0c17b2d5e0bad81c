//! The `service` block and the special categories of personal data.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{IsoDate, Language, Text};

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

fn yes() -> bool {
    true
}

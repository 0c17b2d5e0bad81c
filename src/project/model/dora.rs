//! The `dora` block: what the DORA register of information (Implementing Regulation (EU)
//! 2024/2956) needs of a contract and the rest of the project does not say. Every field is
//! optional here; which ones a final register needs is checked by [`crate::register`]. The
//! register's columns and the EBA codes of the values are in `docs/dora-register.md`.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize};

use super::{IsoDate, Localized, Text, custom_error};

/// The `dora` block (only with `client.financial_entity`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dora {
    /// The client's reference number of the contractual arrangement, unique in its register
    /// (column c0010 of every template).
    pub contract_reference: Option<Text>,
    /// Standalone, overarching (master) or subsequent (associated) arrangement (B_02.01 c0020).
    pub arrangement_type: Option<ArrangementType>,
    /// The reference number of the overarching arrangement of a subsequent one (B_02.01 c0030).
    pub overarching_reference: Option<Text>,
    /// The type of ICT services, S01 to S19 of Annex III of Implementing Regulation (EU)
    /// 2024/2956 (B_02.02 c0060, B_05.02 c0020, B_07.01 c0040).
    pub ict_service_type: Option<IctServiceType>,
    /// End date of a contract with a fixed term; without it the contract runs until it is
    /// terminated ("9999-12-31" in B_02.02 c0080).
    pub end_date: Option<IsoDate>,
    /// Country whose law governs the contract, ISO 3166-1 alpha-2 (B_02.02 c0120).
    pub governing_law: Option<Country>,
    /// Country from which the ICT services are provided (B_02.02 c0130).
    pub provision_country: Option<Country>,
    /// The provider stores the client's data (B_02.02 c0140).
    pub stores_data: Option<bool>,
    /// Country where the data are stored at rest (B_02.02 c0150; with `stores_data`).
    pub storage_country: Option<Country>,
    /// Country where the data are processed (managed) (B_02.02 c0160).
    pub processing_country: Option<Country>,
    /// Sensitiveness of the data the provider stores (B_02.02 c0170).
    pub data_sensitiveness: Option<Sensitiveness>,
    /// The client's level of reliance on the ICT service (B_02.02 c0180).
    pub reliance: Option<Reliance>,
    /// How hard the provider is to substitute (B_07.01 c0050).
    pub substitutability: Option<Substitutability>,
    /// Why the provider is not or hardly substitutable (B_07.01 c0060).
    pub substitutability_reason: Option<SubstitutabilityReason>,
    /// An exit plan for the ICT service exists (B_07.01 c0080).
    pub exit_plan: Option<bool>,
    /// How hard it is to take the service back in-house (B_07.01 c0090).
    pub reintegration: Option<Reintegration>,
    /// Impact of discontinuing the ICT service (B_07.01 c0100).
    pub discontinuing_impact: Option<Impact>,
    /// Alternative providers have been identified (B_07.01 c0110).
    pub alternatives_identified: Option<bool>,
}

/// The type of a contractual arrangement (B_02.01 c0020).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArrangementType {
    /// A standalone arrangement.
    Standalone,
    /// An overarching (master) arrangement.
    Overarching,
    /// A subsequent or associated arrangement under an overarching one.
    Subsequent,
}

/// A type of ICT services of Annex III of Implementing Regulation (EU) 2024/2956.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum IctServiceType {
    /// ICT project management.
    S01,
    /// ICT development.
    S02,
    /// ICT help desk and first level support.
    S03,
    /// ICT security management services.
    S04,
    /// Provision of data.
    S05,
    /// Data analysis.
    S06,
    /// ICT, facilities and hosting services (excluding cloud services).
    S07,
    /// Computation.
    S08,
    /// Non-cloud data storage.
    S09,
    /// Telecom carrier.
    S10,
    /// Network infrastructure.
    S11,
    /// Hardware and physical devices.
    S12,
    /// Software licencing (excluding SaaS).
    S13,
    /// ICT operation management (including maintenance).
    S14,
    /// ICT consulting.
    S15,
    /// ICT risk management.
    S16,
    /// Cloud services: IaaS.
    S17,
    /// Cloud services: PaaS.
    S18,
    /// Cloud services: SaaS.
    S19,
}

/// Sensitiveness of the data stored (B_02.02 c0170).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Sensitiveness {
    Low,
    Medium,
    High,
}

/// Level of reliance on the ICT service (B_02.02 c0180).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reliance {
    /// Not significant.
    NotSignificant,
    /// Low reliance.
    Low,
    /// Material reliance.
    Material,
    /// Full reliance.
    Full,
}

/// Substitutability of the provider (B_07.01 c0050).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Substitutability {
    /// Not substitutable.
    NotSubstitutable,
    /// Highly complex substitutability.
    HighlyComplex,
    /// Medium complexity in terms of substitutability.
    MediumComplexity,
    /// Easily substitutable.
    Easy,
}

impl Substitutability {
    /// Whether the register needs the reason (B_07.01 c0060): not or hardly substitutable.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            Substitutability::NotSubstitutable | Substitutability::HighlyComplex
        )
    }
}

/// Why a provider is not or hardly substitutable (B_07.01 c0060).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubstitutabilityReason {
    /// Lack of real alternatives.
    NoAlternatives,
    /// Difficulties in migrating or reintegrating.
    DifficultMigration,
    /// Both.
    Both,
}

/// How hard it is to reintegrate the service (B_07.01 c0090).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Reintegration {
    Easy,
    Difficult,
    HighlyComplex,
}

/// Impact of discontinuing the ICT service (B_07.01 c0100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// The assessment has not been performed.
    NotAssessed,
}

/// A country: its ISO 3166-1 alpha-2 code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Country(String);

impl Country {
    /// Checks a country code; the error says what is wrong and, for a code in lower case, how
    /// to write it.
    pub fn parse(s: &str) -> Result<Country, Localized> {
        if ISO_3166_ALPHA_2.binary_search(&s).is_ok() {
            return Ok(Country(s.to_owned()));
        }
        let mut message = crate::text!(
            en: "expected a country as its two-letter ISO 3166-1 code, such as \"DE\", found {s:?}",
            de: "erwartet wird ein Land als zweibuchstabiger Code nach ISO 3166-1, etwa \"DE\", gefunden wurde {s:?}",
        );
        let upper = s.trim().to_ascii_uppercase();
        if upper != s && ISO_3166_ALPHA_2.binary_search(&upper.as_str()).is_ok() {
            message.push(&crate::text!(
                en: "; write {upper:?}",
                de: "; schreiben Sie {upper:?}",
            ));
        }
        Err(message)
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Country::parse(&s).map_err(custom_error)
    }
}

impl JsonSchema for Country {
    fn schema_name() -> Cow<'static, str> {
        "Country".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "enum": ISO_3166_ALPHA_2.as_slice(),
            "description": "ISO 3166-1 alpha-2 country code"
        })
    }
}

/// The officially assigned ISO 3166-1 alpha-2 codes, sorted (taken from Debian's iso-codes
/// 4.15.0, `iso_3166-1.json`).
pub const ISO_3166_ALPHA_2: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_iso_codes_and_lower_case_is_corrected() {
        assert!(ISO_3166_ALPHA_2.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(Country::parse("DE").unwrap().as_str(), "DE");
        let e = Country::parse("de").unwrap_err();
        assert!(e.en().ends_with("; write \"DE\""), "{e}");
        assert!(
            e.get(crate::language::Language::De)
                .ends_with("; schreiben Sie \"DE\"")
        );
        assert!(
            !Country::parse("Germany")
                .unwrap_err()
                .en()
                .contains("write")
        );
        assert!(Country::parse("XX").is_err());
        assert!(Country::parse("EU").is_err());
    }
}

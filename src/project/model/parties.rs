//! The parties: the provider, the client and its regulatory situation, contacts and LEIs.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use super::{Text, custom_error};
use crate::language::Localized;

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
    pub fn parse(s: &str) -> Result<Lei, Localized> {
        let shape = s.len() == 20
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && s.bytes().skip(18).all(|b| b.is_ascii_digit());
        if !shape {
            return Err(crate::text!(
                en: "expected a Legal Entity Identifier of 20 characters (18 of A-Z or 0-9, then two check digits), found {s:?}",
                de: "erwartet wird eine Rechtsträgerkennung (Legal Entity Identifier, LEI) aus 20 Zeichen (18 aus A-Z oder 0-9, dann zwei Prüfziffern), gefunden wurde {s:?}",
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
            return Err(crate::text!(
                en: "{s:?} is not a valid Legal Entity Identifier: its check digits do not match (ISO 17442)",
                de: "{s:?} ist keine gültige Rechtsträgerkennung (Legal Entity Identifier, LEI): ihre Prüfziffern stimmen nicht (ISO 17442)",
            ));
        }
        Ok(Lei(s.to_string()))
    }
}

impl<'de> Deserialize<'de> for Lei {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Lei::parse(&s).map_err(custom_error)
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

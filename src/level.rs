//! Protection levels (Schutzbedarfskategorien) and the basic values they are assessed for.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::language::Language;

/// A protection-requirement category of BSI-Standard 200-2, ordered from weakest to strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Damage is limited and manageable.
    Normal,
    /// Damage can be considerable.
    High,
    /// Damage can reach an existence-threatening, catastrophic scale.
    VeryHigh,
}

impl Level {
    /// All levels, weakest first.
    pub const ALL: [Level; 3] = [Level::Normal, Level::High, Level::VeryHigh];

    /// The canonical spelling used in project files and templates.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Normal => "normal",
            Level::High => "high",
            Level::VeryHigh => "very_high",
        }
    }

    /// The level as a message names it: the canonical spelling in English ("very_high", as the
    /// project file writes it), the German word in German ("sehr hoch").
    pub fn name(self, lang: Language) -> &'static str {
        match (lang, self) {
            (Language::En, _) => self.as_str(),
            (Language::De, Level::Normal) => "normal",
            (Language::De, Level::High) => "hoch",
            (Language::De, Level::VeryHigh) => "sehr hoch",
        }
    }

    /// Parses the canonical spellings and the German aliases of the project format, in any
    /// case and with spaces, hyphens or underscores between the words ("Sehr hoch",
    /// "very-high").
    pub fn parse(s: &str) -> Option<Level> {
        let words: Vec<String> = s
            .split([' ', '-', '_'])
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        match words.join("_").as_str() {
            "normal" => Some(Level::Normal),
            "high" | "hoch" => Some(Level::High),
            "very_high" | "sehr_hoch" => Some(Level::VeryHigh),
            _ => None,
        }
    }

    /// What the parser accepts, for error messages.
    pub const EXPECTED: &'static str =
        "one of \"normal\", \"high\", \"very_high\" (or \"hoch\", \"sehr hoch\"), in any case";

    /// [`Level::EXPECTED`] in German.
    pub const EXPECTED_DE: &'static str = "einer der Werte \"normal\", \"high\", \"very_high\" (oder \"hoch\", \"sehr hoch\"), in beliebiger Groß- und Kleinschreibung";

    /// What the parser accepts, for error messages, in both languages.
    pub fn expected() -> crate::language::Localized {
        crate::language::Localized::new(Level::EXPECTED, Level::EXPECTED_DE)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Level::parse(&s).ok_or_else(|| {
            let (expected, erwartet) = (Level::EXPECTED, Level::EXPECTED_DE);
            crate::language::custom_error(crate::text!(
                en: "unknown protection level \"{s}\", expected {expected}",
                de: "unbekannter Schutzbedarf \"{s}\", erwartet wird {erwartet}",
            ))
        })
    }
}

/// What governs the choice of a clause variant: one basic value, or the overall level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Governor {
    /// Vertraulichkeit.
    Confidentiality,
    /// Integrität.
    Integrity,
    /// Verfügbarkeit.
    Availability,
    /// The maximum of the three (maximum principle).
    Overall,
}

impl Governor {
    /// The canonical spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Governor::Confidentiality => "confidentiality",
            Governor::Integrity => "integrity",
            Governor::Availability => "availability",
            Governor::Overall => "overall",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered_and_aliases_parse() {
        assert!(Level::Normal < Level::High && Level::High < Level::VeryHigh);
        assert_eq!(Level::parse("hoch"), Some(Level::High));
        assert_eq!(Level::parse("sehr hoch"), Some(Level::VeryHigh));
        assert_eq!(Level::parse(" Sehr  Hoch "), Some(Level::VeryHigh));
        assert_eq!(Level::parse("very high"), Some(Level::VeryHigh));
        assert_eq!(Level::parse("Very-High"), Some(Level::VeryHigh));
        assert_eq!(Level::parse("HOCH"), Some(Level::High));
        assert_eq!(Level::parse("Normal"), Some(Level::Normal));
        assert_eq!(Level::parse("mittel"), None);
        assert_eq!(Level::parse("very"), None);
        assert_eq!(Level::parse("sehr_hoch"), Some(Level::VeryHigh));
        assert_eq!(Level::ALL.iter().max(), Some(&Level::VeryHigh));
    }
}

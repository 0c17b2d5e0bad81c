//! The validated scalar types: texts, the annex id, dates and numbers, each checked while
//! deserialising.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize};

pub(crate) use crate::language::{Localized, custom_error, custom_wording};
use crate::level::Level;

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
            return Err(custom_error(crate::text!(
                en: "expected a non-empty text, found an empty string",
                de: "erwartet wird ein nicht leerer Text, gefunden wurde ein leerer Text",
            )));
        }
        let chars = s.chars().count();
        if chars > MAX_TEXT_CHARS {
            return Err(custom_error(crate::text!(
                en: "expected a text of at most {MAX_TEXT_CHARS} characters, found {chars}",
                de: "erwartet wird ein Text von höchstens {MAX_TEXT_CHARS} Zeichen, gefunden wurden {chars} Zeichen",
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
    pub fn parse(s: &str) -> Result<AnnexId, Localized> {
        let bytes = s.as_bytes();
        let problem = if s.is_empty() {
            Some(crate::text!(en: "it is empty", de: "sie ist leer"))
        } else if bytes.len() > 64 {
            let n = s.chars().count();
            Some(crate::text!(
                en: "it has {n} characters, at most 64 are allowed",
                de: "sie hat {n} Zeichen, höchstens 64 sind erlaubt",
            ))
        } else if s.contains(['/', '\\']) {
            Some(crate::text!(
                en: "it contains a path separator",
                de: "sie enthält ein Pfadtrennzeichen",
            ))
        } else if s.contains("..") {
            Some(crate::text!(en: "it contains \"..\"", de: "sie enthält \"..\""))
        } else if !s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
            let c = s.chars().next().unwrap_or(' ');
            Some(crate::text!(en: "it starts with {c:?}", de: "sie beginnt mit {c:?}"))
        } else if let Some(c) = s.chars().find(|c| {
            !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        }) {
            Some(crate::text!(en: "it contains {c:?}", de: "sie enthält {c:?}"))
        } else if s.contains("..") {
            Some(crate::text!(en: "it contains \"..\"", de: "sie enthält \"..\""))
        } else {
            None
        };
        match problem {
            Some(p) => {
                let (p_en, p_de) = (p.en(), p.get(crate::language::Language::De));
                let mut message = crate::text!(
                    en: "invalid annex id {s:?}: {p_en}; expected 1 to 64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit",
                    de: "ungültige Kennung der Anlage {s:?}: {p_de}; erwartet werden 1 bis 64 Zeichen aus a-z, 0-9, '.', '_', '-', beginnend mit einem Kleinbuchstaben oder einer Ziffer",
                );
                // Upper case is the usual slip: suggest the id in lower case if that is valid.
                let lower = s.to_lowercase();
                if lower != s && AnnexId::parse(&lower).is_ok() {
                    message.push(&crate::text!(
                        en: "; write {lower:?}",
                        de: "; schreiben Sie {lower:?}",
                    ));
                }
                Err(message)
            }
            None => Ok(AnnexId(s.to_string())),
        }
    }

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

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for AnnexId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        AnnexId::parse(&s).map_err(custom_error)
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

/// The ISO form of a date written the German way (`1.2.2027`, `01.02.2027`), if `s` is one.
fn german_date(s: &str) -> Option<String> {
    let mut parts = s.trim().split('.');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    let number = |p: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u16>().ok())
            .flatten()
    };
    let (d, m, y) = (number(d, 1..=2)?, number(m, 1..=2)?, number(y, 4..=4)?);
    (parts.next().is_none() && (1..=31).contains(&d) && (1..=12).contains(&m))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// The German name of a month.
fn german_month(month: time::Month) -> &'static str {
    use time::Month::*;
    match month {
        January => "Januar",
        February => "Februar",
        March => "März",
        April => "April",
        May => "Mai",
        June => "Juni",
        July => "Juli",
        August => "August",
        September => "September",
        October => "Oktober",
        November => "November",
        December => "Dezember",
    }
}

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct IsoDate(pub time::Date);

impl IsoDate {
    /// Parses `YYYY-MM-DD` and checks that the day exists.
    pub fn parse(s: &str) -> Result<IsoDate, Localized> {
        let shape_ok = s.len() == 10
            && s.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !shape_ok {
            let mut message = crate::text!(
                en: "expected a date written YYYY-MM-DD, found {s:?}",
                de: "erwartet wird ein Datum der Form JJJJ-MM-TT, gefunden wurde {s:?}",
            );
            if let Some(iso) = german_date(s) {
                message.push(&crate::text!(en: "; write {iso:?}", de: "; schreiben Sie {iso:?}"));
            }
            return Err(message);
        }
        let num =
            |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u16>().ok()).unwrap_or(0);
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        let month = time::Month::try_from(m as u8).map_err(|_| {
            crate::text!(
                en: "{s:?} is not a calendar date: there is no month {m}",
                de: "{s:?} ist kein Kalenderdatum: es gibt keinen Monat {m}",
            )
        })?;
        time::Date::from_calendar_date(i32::from(y), month, d as u8)
            .map(IsoDate)
            .map_err(|_| {
                let monat = german_month(month);
                crate::text!(
                    en: "{s:?} is not a calendar date: {month} {y} has no day {d}",
                    de: "{s:?} ist kein Kalenderdatum: der {monat} {y} hat keinen Tag {d}",
                )
            })
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
        IsoDate::parse(&s).map_err(custom_error)
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
pub(crate) fn describe(v: &serde_json::Value) -> Localized {
    match v {
        serde_json::Value::Null => Localized::verbatim("null"),
        serde_json::Value::Bool(b) => {
            crate::text!(en: "the boolean {b}", de: "der Wahrheitswert {b}")
        }
        serde_json::Value::Number(n) => Localized::verbatim(n.to_string()),
        serde_json::Value::String(s) => crate::text!(en: "the string {s:?}", de: "der Text {s:?}"),
        serde_json::Value::Array(_) => crate::text!(en: "an array", de: "eine Liste"),
        serde_json::Value::Object(_) => crate::text!(en: "an object", de: "ein Objekt"),
    }
}

/// Defines a validated number newtype.
macro_rules! number_type {
    (
        $(#[$doc:meta])* $name:ident($inner:ty), $check:expr, $expected:literal,
        $expected_de:literal, $schema:tt
    ) => {
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
                    let found = describe(&v);
                    custom_error(Localized::new(
                        format!(concat!("expected ", $expected, ", found {}"), found.en()),
                        format!(
                            concat!("erwartet wird ", $expected_de, ", gefunden wurde {}"),
                            found.get(crate::language::Language::De)
                        ),
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
    "eine Zahl größer als 0 (höchstens 1000000000)",
    { "type": "number", "exclusiveMinimum": 0, "maximum": 1.0e9 }
);
number_type!(
    /// A percentage strictly between 0 and 100.
    Percent(f64),
    |n| n.as_f64().filter(|x| *x > 0.0 && *x < 100.0),
    "a percentage greater than 0 and less than 100",
    "ein Prozentwert größer als 0 und kleiner als 100",
    { "type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 100 }
);
number_type!(
    /// A whole number greater than 0.
    Count(u32),
    |n| n.as_u64().filter(|x| *x > 0 && *x <= 1_000_000).map(|x| x as u32),
    "a whole number greater than 0 (at most 1000000)",
    "eine ganze Zahl größer als 0 (höchstens 1000000)",
    { "type": "integer", "minimum": 1, "maximum": 1000000 }
);
number_type!(
    /// A whole number of 0 or more.
    NonNegative(u32),
    |n| n.as_u64().filter(|x| *x <= 1_000_000).map(|x| x as u32),
    "a whole number of 0 or more (at most 1000000)",
    "eine ganze Zahl von 0 oder mehr (höchstens 1000000)",
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
            "description": "Protection category of BSI-Standard 200-2; German spellings are aliases. annex also accepts them in any case and with spaces or hyphens between the words (\"Hoch\", \"very high\")."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_german_date_and_an_upper_case_id_get_their_correct_form() {
        let e = IsoDate::parse("01.02.2027").unwrap_err();
        assert!(e.en().ends_with("; write \"2027-02-01\""), "{e}");
        assert_eq!(
            e.get(crate::language::Language::De),
            "erwartet wird ein Datum der Form JJJJ-MM-TT, gefunden wurde \"01.02.2027\"; schreiben Sie \"2027-02-01\""
        );
        assert!(
            IsoDate::parse("1.2.2027")
                .unwrap_err()
                .en()
                .ends_with("\"2027-02-01\"")
        );
        assert!(
            !IsoDate::parse("2027/02/01")
                .unwrap_err()
                .en()
                .contains("write")
        );
        assert!(
            !IsoDate::parse("32.01.2027")
                .unwrap_err()
                .en()
                .contains("write")
        );
        let e = AnnexId::parse("Stadtwerke-Hosting").unwrap_err();
        assert!(e.en().ends_with("; write \"stadtwerke-hosting\""), "{e}");
        assert!(
            e.get(crate::language::Language::De)
                .ends_with("; schreiben Sie \"stadtwerke-hosting\""),
            "{e:?}"
        );
        assert!(
            !AnnexId::parse("Stadt Werke")
                .unwrap_err()
                .en()
                .contains("write")
        );
    }

    #[test]
    fn dates_must_exist() {
        assert!(IsoDate::parse("2026-02-28").is_ok());
        assert!(IsoDate::parse("2028-02-29").is_ok());
        let e = IsoDate::parse("2026-02-30").unwrap_err();
        assert_eq!(
            e.en(),
            "\"2026-02-30\" is not a calendar date: February 2026 has no day 30"
        );
        assert_eq!(
            e.get(crate::language::Language::De),
            "\"2026-02-30\" ist kein Kalenderdatum: der Februar 2026 hat keinen Tag 30"
        );
        assert_eq!(
            IsoDate::parse("2026-13-01").unwrap_err().en(),
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

//! Language-aware formatting of dates, numbers and durations for contract text.

use crate::project::{IsoDate, Language};

const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "20. November 2026" / "20 November 2026", with no-break spaces: a date is never broken.
pub fn date(d: IsoDate, lang: Language) -> String {
    let (y, m, day) = d.ymd();
    let idx = usize::from(m).wrapping_sub(1);
    match (lang, MONTHS_DE.get(idx), MONTHS_EN.get(idx)) {
        (Language::De, Some(month), _) => format!("{day}.\u{a0}{month}\u{a0}{y}"),
        (Language::En, _, Some(month)) => format!("{day}\u{a0}{month}\u{a0}{y}"),
        // A date always has a month from 1 to 12.
        _ => d.to_string(),
    }
}

/// A number with the language's separators: "40.000" / "40,000", "99,95" / "99.95".
/// At most four decimals; trailing zeros are dropped.
pub fn number(x: f64, lang: Language) -> String {
    let (thousands, decimal) = match lang {
        Language::De => ('.', ','),
        Language::En => (',', '.'),
    };
    let negative = x < 0.0;
    let fixed = format!("{:.4}", x.abs());
    let (int, frac) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let frac = frac.trim_end_matches('0');
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 && int.len() > 4 {
            grouped.push(thousands);
        }
        grouped.push(c);
    }
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&grouped);
    if !frac.is_empty() {
        out.push(decimal);
        out.push_str(frac);
    }
    out
}

/// "99,95 %" / "99.95%".
pub fn percent(x: f64, lang: Language) -> String {
    match lang {
        Language::De => format!("{}\u{a0}%", number(x, lang)),
        Language::En => format!("{}%", number(x, lang)),
    }
}

/// German case for counted nouns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Nominative/accusative: "30 Tage".
    Plain,
    /// Dative: "innerhalb von 30 Tagen".
    Dative,
}

impl Case {
    /// Parses the `case` argument of the filters.
    pub fn parse(s: Option<&str>) -> Result<Case, crate::language::Localized> {
        match s {
            None | Some("nom") | Some("acc") => Ok(Case::Plain),
            Some("dat") => Ok(Case::Dative),
            Some(other) => Err(crate::text!(
                en: "unknown case \"{other}\": use case=\"dat\" for the German dative, or leave it out",
                de: "unbekannter grammatischer Fall \"{other}\": verwenden Sie case=\"dat\" für den Dativ, oder lassen Sie das Argument weg",
            )),
        }
    }
}

struct Unit {
    de: (&'static str, &'static str, &'static str),
    en: (&'static str, &'static str),
}

const MINUTE: Unit = Unit {
    de: ("Minute", "Minuten", "Minuten"),
    en: ("minute", "minutes"),
};
const HOUR: Unit = Unit {
    de: ("Stunde", "Stunden", "Stunden"),
    en: ("hour", "hours"),
};
const DAY: Unit = Unit {
    de: ("Tag", "Tage", "Tagen"),
    en: ("day", "days"),
};
const MONTH: Unit = Unit {
    de: ("Monat", "Monate", "Monaten"),
    en: ("month", "months"),
};

fn counted(x: f64, unit: &Unit, lang: Language, case: Case) -> String {
    let one = x == 1.0;
    let noun = match (lang, one, case) {
        (Language::De, true, _) => unit.de.0,
        (Language::De, false, Case::Plain) => unit.de.1,
        (Language::De, false, Case::Dative) => unit.de.2,
        (Language::En, true, _) => unit.en.0,
        (Language::En, false, _) => unit.en.1,
    };
    format!("{}\u{a0}{noun}", number(x, lang))
}

/// A duration given in hours: whole hours as hours, shorter ones as minutes.
pub fn hours(h: f64, lang: Language) -> String {
    if h < 1.0 && (h * 60.0).fract().abs() < 1e-9 {
        counted(h * 60.0, &MINUTE, lang, Case::Plain)
    } else {
        counted(h, &HOUR, lang, Case::Plain)
    }
}

/// A duration given in minutes: whole hours as hours.
pub fn minutes(m: f64, lang: Language) -> String {
    if m >= 60.0 && (m / 60.0).fract() == 0.0 {
        counted(m / 60.0, &HOUR, lang, Case::Plain)
    } else {
        counted(m, &MINUTE, lang, Case::Plain)
    }
}

/// "30 Tage" / "30 Tagen" / "30 days".
pub fn days(d: f64, lang: Language, case: Case) -> String {
    counted(d, &DAY, lang, case)
}

/// "12 Monate" / "12 Monaten" / "12 months".
pub fn months(m: f64, lang: Language, case: Case) -> String {
    counted(m, &MONTH, lang, case)
}

/// "a, b und c" / "a, b and c".
pub fn join_and(items: &[String], lang: Language) -> String {
    let and = match lang {
        Language::De => "und",
        Language::En => "and",
    };
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
    }
}

/// The name of a protection level.
pub fn level_name(level: &str, lang: Language) -> Option<&'static str> {
    Some(match (crate::level::Level::parse(level)?, lang) {
        (crate::level::Level::Normal, _) => "normal",
        (crate::level::Level::High, Language::De) => "hoch",
        (crate::level::Level::High, Language::En) => "high",
        (crate::level::Level::VeryHigh, Language::De) => "sehr hoch",
        (crate::level::Level::VeryHigh, Language::En) => "very high",
    })
}

/// The name of a basic value.
pub fn value_name(value: &str, lang: Language) -> Option<&'static str> {
    Some(match (value, lang) {
        ("confidentiality", Language::De) => "Vertraulichkeit",
        ("integrity", Language::De) => "Integrität",
        ("availability", Language::De) => "Verfügbarkeit",
        ("overall", Language::De) => "Gesamtschutzbedarf",
        ("confidentiality", Language::En) => "confidentiality",
        ("integrity", Language::En) => "integrity",
        ("availability", Language::En) => "availability",
        ("overall", Language::En) => "overall protection requirement",
        _ => return None,
    })
}

/// A multi-line address on one line: "Marktstraße 3, 88888 Beispieltal, Germany".
pub fn address(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::{De, En};

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(number(40000.0, De), "40.000");
        assert_eq!(number(40000.0, En), "40,000");
        assert_eq!(number(2400.0, De), "2400");
        assert_eq!(number(1234567.5, En), "1,234,567.5");
        assert_eq!(number(99.95, De), "99,95");
        assert_eq!(number(0.25, En), "0.25");
        assert_eq!(percent(99.5, De), "99,5\u{a0}%");
        assert_eq!(percent(99.99, En), "99.99%");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(hours(0.25, De), "15\u{a0}Minuten");
        assert_eq!(hours(1.0, En), "1\u{a0}hour");
        assert_eq!(hours(72.0, De), "72\u{a0}Stunden");
        assert_eq!(hours(1.5, En), "1.5\u{a0}hours");
        assert_eq!(minutes(120.0, De), "2\u{a0}Stunden");
        assert_eq!(minutes(90.0, En), "90\u{a0}minutes");
        assert_eq!(days(30.0, De, Case::Dative), "30\u{a0}Tagen");
        assert_eq!(days(1.0, De, Case::Dative), "1\u{a0}Tag");
        assert_eq!(months(12.0, De, Case::Plain), "12\u{a0}Monate");
        assert_eq!(months(1.0, En, Case::Dative), "1\u{a0}month");
    }

    #[test]
    fn dates_lists_and_names() {
        let d = IsoDate::parse("2026-11-20").unwrap();
        assert_eq!(date(d, De), "20.\u{a0}November\u{a0}2026");
        assert_eq!(date(d, En), "20\u{a0}November\u{a0}2026");
        let items = ["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(join_and(&items, De), "a, b und c");
        assert_eq!(join_and(&items[..1], En), "a");
        assert_eq!(level_name("very_high", De), Some("sehr hoch"));
        assert_eq!(
            address("Marktstraße 3\n88888 Beispieltal\n"),
            "Marktstraße 3, 88888 Beispieltal"
        );
    }
}

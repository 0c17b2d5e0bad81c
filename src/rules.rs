//! Rules the figures of an annex must obey together, so that two figures never contradict each
//! other (`[[rule]]` in `templates/service-levels.toml`, each with its reason). They are checked
//! on the resolved figures, project values and level defaults alike, in final and draft.

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::language::{Language, Localized};
use crate::level::Level;
use crate::project::ProjectSource;

/// Whether a broken rule is an error or a flag.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleSeverity {
    /// The figures contradict each other: no annex.
    #[default]
    Error,
    /// The figures are compatible, but the parties should look at them.
    Warning,
}

/// One rule, as written in the defaults file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id.
    pub id: String,
    /// `left <= right` (or `<`, `>=`, `>`): paths of figures below `service_levels`, or
    /// `term.…`, `switching.…`, or `monthly_downtime_hours` (what the availability target
    /// allows per month of 730 hours), or a number (a limit the law sets).
    pub check: String,
    /// Why the rule holds, in both languages.
    pub reason: Localized,
    /// The rule applies only from this availability level on.
    #[serde(default)]
    pub from: Option<Level>,
    /// The rule applies only below this availability level.
    #[serde(default)]
    pub below: Option<Level>,
    /// Error (default) or warning.
    #[serde(default)]
    pub severity: RuleSeverity,
}

/// A comparison of two figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Le,
    Lt,
    Ge,
    Gt,
}

impl Op {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Le => a <= b,
            Op::Lt => a < b,
            Op::Ge => a >= b,
            Op::Gt => a > b,
        }
    }

    /// How a broken comparison reads.
    fn broken(self) -> Localized {
        match self {
            Op::Le => crate::text!(en: "is longer than", de: "ist länger als"),
            Op::Lt => crate::text!(en: "is not shorter than", de: "ist nicht kürzer als"),
            Op::Ge => crate::text!(en: "is shorter than", de: "ist kürzer als"),
            Op::Gt => crate::text!(en: "is not longer than", de: "ist nicht länger als"),
        }
    }
}

/// Splits `a <= b` into its parts.
fn parse(check: &str) -> Result<(&str, Op, &str), Localized> {
    for (token, op) in [("<=", Op::Le), (">=", Op::Ge), ("<", Op::Lt), (">", Op::Gt)] {
        if let Some((a, b)) = check.split_once(token) {
            let (a, b) = (a.trim(), b.trim());
            if a.is_empty() || b.is_empty() {
                break;
            }
            return Ok((a, op, b));
        }
    }
    Err(crate::text!(
        en: "rule check {check:?} is not `figure <= figure` (or <, >=, >)",
        de: "die Prüfung {check:?} der Regel hat nicht die Form `Kennzahl <= Kennzahl` (oder <, >=, >)",
    ))
}

/// The figures rules may name: the resolved service levels, `term.…`, `switching.…` and the
/// derived `monthly_downtime_hours`.
pub fn figures(service_levels: &Value, term: &Value, switching: &Value) -> Value {
    let mut all = service_levels.clone();
    if let Some(object) = all.as_object_mut() {
        object.insert("term".to_owned(), term.clone());
        object.insert("switching".to_owned(), switching.clone());
        if let Some(percent) = service_levels
            .get("availability_percent")
            .and_then(Value::as_f64)
        {
            let hours = (100.0 - percent) / 100.0 * 730.0;
            object.insert("monthly_downtime_hours".to_owned(), hours.into());
        }
    }
    all
}

/// The table of the defaults file that holds a figure: `switching`, `term.<level>` or the
/// level's own table.
pub fn table_of(check: &str, level: Level) -> String {
    let first = parse(check)
        .ok()
        .and_then(|(a, _, b)| [a, b].into_iter().find(|p| p.parse::<f64>().is_err()))
        .unwrap_or("");
    match first.split('.').next() {
        Some("switching") => "switching".to_owned(),
        Some("term") => format!("term.{level}"),
        _ => level.to_string(),
    }
}

/// A side of a check: a number written in the rule (a legal limit, say) or a figure's path.
fn lookup(figures: &Value, path: &str) -> Option<f64> {
    if let Ok(limit) = path.parse::<f64>() {
        return Some(limit);
    }
    path.split('.')
        .try_fold(figures, |v, part| v.get(part))
        .and_then(Value::as_f64)
}

/// Checks that every rule names figures that exist (for the library loader).
pub fn validate(rules: &[Rule], figures: &Value) -> Result<(), Localized> {
    for rule in rules {
        let (a, _, b) = parse(&rule.check)?;
        let id = &rule.id;
        for path in [a, b] {
            if lookup(figures, path).is_none() {
                return Err(crate::text!(
                    en: "rule \"{id}\": `{path}` is not a figure (write a number, a path below service_levels, `term.…`, `switching.…` or `monthly_downtime_hours`)",
                    de: "Regel \"{id}\": `{path}` ist keine Kennzahl (schreiben Sie eine Zahl, einen Pfad unterhalb von service_levels, `term.…`, `switching.…` oder `monthly_downtime_hours`)",
                ));
            }
        }
    }
    Ok(())
}

/// Where the project says a figure, if it does; the project field path otherwise.
pub trait Origins {
    /// The project path of a figure the project gives itself, `None` for a default.
    fn given(&self, path: &str) -> Option<String>;
    /// How the figure reads: "(8)" or "(8, the default for level "high")", in both languages.
    fn describe(&self, path: &str, value: f64) -> Localized;
}

/// Whether a rule applies at this availability level.
pub fn applies(rule: &Rule, availability: Level) -> bool {
    !(rule.from.is_some_and(|l| availability < l) || rule.below.is_some_and(|l| availability >= l))
}

/// A rule the figures break.
#[derive(Debug)]
pub struct Broken<'a> {
    /// The rule.
    pub rule: &'a Rule,
    /// `rto_hours (8) is longer than max_downtime_hours (4, the default for level "high")`, in
    /// both languages.
    pub message: Localized,
    /// The project path of the figure to change, or `service_levels` when both are defaults.
    pub place: String,
}

impl Broken<'_> {
    /// The broken rule as a located diagnostic with its reason.
    pub fn diagnostic(&self, source: &ProjectSource) -> Diagnostic {
        let d = match self.rule.severity {
            RuleSeverity::Error => source.error(&self.place, self.message.clone()),
            RuleSeverity::Warning => source.warning(&self.place, self.message.clone()),
        };
        let (reason_en, reason_de, id) =
            (&self.rule.reason.en, &self.rule.reason.de, &self.rule.id);
        d.hint(crate::text!(en: "{reason_en} (rule \"{id}\")", de: "{reason_de} (Regel \"{id}\")"))
            .hint(crate::text!(
                en: "change one of the two figures in the project; the rules and their reasons are in service-levels.toml of the template library",
                de: "ändern Sie eine der beiden Kennzahlen im Projekt; die Regeln und ihre Begründungen stehen in service-levels.toml der Vorlagenbibliothek",
            ))
    }
}

/// The rules that apply at this availability level and that the figures break.
pub fn broken<'a>(
    rules: &'a [Rule],
    figures: &Value,
    availability: Level,
    origins: &dyn Origins,
) -> Vec<Broken<'a>> {
    let mut out = Vec::new();
    for rule in rules.iter().filter(|r| applies(r, availability)) {
        let Ok((a, op, b)) = parse(&rule.check) else {
            continue;
        };
        let (Some(x), Some(y)) = (lookup(figures, a), lookup(figures, b)) else {
            continue;
        };
        if op.holds(x, y) {
            continue;
        }
        let place = origins
            .given(a)
            .or_else(|| origins.given(b))
            .unwrap_or_else(|| "service_levels".to_owned());
        // A number written in the rule is its own description.
        let side = |path: &str, value: f64, lang: Language| {
            if path.parse::<f64>().is_ok() {
                format!("{path} ")
            } else {
                format!("{path} {} ", origins.describe(path, value).get(lang))
            }
        };
        let broken = op.broken();
        let message = Localized::each(|lang| {
            format!(
                "{}{} {}",
                side(a, x, lang),
                broken.get(lang),
                side(b, y, lang).trim_end()
            )
        });
        out.push(Broken {
            rule,
            message,
            place,
        });
    }
    out
}

/// For the defaults of a level: no figure is the project's.
pub struct AtDefaults;

impl Origins for AtDefaults {
    fn given(&self, _: &str) -> Option<String> {
        None
    }

    fn describe(&self, _: &str, value: f64) -> Localized {
        let value = short(value);
        crate::text!(en: "({value})", de: "({value})")
    }
}

/// At most three decimals: 0.073 hours, not 0.07300000000003735.
pub fn short(value: f64) -> String {
    let value = format!("{value:.3}");
    value.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_parse_and_compare() {
        assert_eq!(parse("a <= b").unwrap(), ("a", Op::Le, "b"));
        assert_eq!(parse("x.p1<rto").unwrap(), ("x.p1", Op::Lt, "rto"));
        assert!(parse("a = b").is_err());
        assert!(parse("<= b").is_err());
        let f = figures(
            &serde_json::json!({ "availability_percent": 99.9, "rto_hours": 4.0 }),
            &serde_json::json!({ "notice_months_provider": 6 }),
            &serde_json::json!({ "notice_months": 2 }),
        );
        assert_eq!(lookup(&f, "switching.notice_months"), Some(2.0));
        assert_eq!(lookup(&f, "2.5"), Some(2.5));
        assert_eq!(lookup(&f, "term.notice_months_provider"), Some(6.0));
        let budget = lookup(&f, "monthly_downtime_hours").unwrap();
        assert!((budget - 0.73).abs() < 1e-9, "{budget}");
        assert_eq!(
            parse("a = b").unwrap_err().get(Language::De),
            "die Prüfung \"a = b\" der Regel hat nicht die Form `Kennzahl <= Kennzahl` (oder <, >=, >)"
        );
    }

    #[test]
    fn a_broken_rule_reads_in_both_languages() {
        let rule = Rule {
            id: "rto_within_downtime".to_owned(),
            check: "rto_hours <= max_downtime_hours".to_owned(),
            reason: crate::text!(
                en: "a restore must fit into the downtime",
                de: "eine Wiederherstellung muss in die Ausfallzeit passen",
            ),
            from: None,
            below: None,
            severity: RuleSeverity::Error,
        };
        let f = figures(
            &serde_json::json!({ "rto_hours": 8.0, "max_downtime_hours": 4.0 }),
            &serde_json::json!({}),
            &serde_json::json!({}),
        );
        let rules = [rule];
        let broken = broken(&rules, &f, Level::High, &AtDefaults);
        assert_eq!(broken.len(), 1);
        assert_eq!(
            broken[0].message.en(),
            "rto_hours (8) is longer than max_downtime_hours (4)"
        );
        assert_eq!(
            broken[0].message.get(Language::De),
            "rto_hours (8) ist länger als max_downtime_hours (4)"
        );
        let d = broken[0].diagnostic(&ProjectSource::new("p.json", "{}"));
        assert_eq!(
            d.hints[0].en(),
            "a restore must fit into the downtime (rule \"rto_within_downtime\")"
        );
        assert_eq!(
            d.hints[0].get(Language::De),
            "eine Wiederherstellung muss in die Ausfallzeit passen (Regel \"rto_within_downtime\")"
        );
    }
}

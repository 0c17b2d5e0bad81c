//! `annex explain --figures`: every figure the annex will contain, with where it comes from:
//! the project, the default of a protection level, the library's constants (the Data Act's
//! switching terms), or the text of a clause itself; and the facts a project left to their
//! default that add clauses.

use serde::Serialize;
use serde_json::Value;

use crate::document::Document;
use crate::level::Governor;
use crate::library::Library;
use crate::service_levels::FigureOrigin;

/// One figure of an annex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// Its path (`service_levels.rto_hours`), or for a figure of a clause text, the clause
    /// file and line.
    pub path: String,
    /// Its value as the project or the library writes it.
    pub value: String,
    /// Where it comes from, in words.
    pub source: String,
}

/// A fact the project does not state whose default adds clauses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DefaultFact {
    /// The project field (`service.shared_platform`).
    pub field: String,
    /// The value it takes.
    pub value: bool,
    /// The sections it adds ("§ 14 Mandantentrennung").
    pub adds: Vec<String>,
}

/// The figures of an annex and the defaulted facts that add clauses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub figures: Vec<Figure>,
    pub default_facts: Vec<DefaultFact>,
}

/// The units that make a number in a clause text a figure ("30 Tage", "24 hours").
const UNITS: [&str; 24] = [
    "Minuten",
    "Stunden",
    "Tage",
    "Tagen",
    "Werktage",
    "Werktagen",
    "Arbeitstage",
    "Arbeitstagen",
    "Wochen",
    "Monate",
    "Monaten",
    "Jahre",
    "Jahren",
    "Prozent",
    "%",
    "minutes",
    "hours",
    "days",
    "business",
    "working",
    "weeks",
    "months",
    "years",
    "per",
];

/// The figures of `document`.
pub fn figures(library: &Library, document: &Document<'_>) -> Figures {
    let project = &document.project;
    let resolved = &document.resolved;
    let mut figures = Vec::new();
    let overall = project.protection.governing(Governor::Overall);
    let origin_words = |origin: FigureOrigin, key: &str| match origin {
        FigureOrigin::Project => "the project".to_owned(),
        FigureOrigin::Default(level) => {
            let governor = library
                .defaults
                .governed_by
                .get(key)
                .copied()
                .unwrap_or(Governor::Overall);
            format!("the default of level \"{level}\" ({})", governor.as_str())
        }
        FigureOrigin::Absent => "not given, no default".to_owned(),
    };
    let levels = serde_json::to_value(&resolved.service_levels).unwrap_or_default();
    let given = serde_json::to_value(&project.service_levels).unwrap_or_default();
    for (key, origin) in &resolved.origins {
        let value = levels
            .get(key)
            .map(|v| with_unit(key, v))
            .unwrap_or_default();
        // A figure per priority or severity may be given in part: the rest is the default.
        let parts = |v: Option<&Value>, given: bool| -> Vec<String> {
            v.and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter(|(_, p)| p.is_null() != given)
                .map(|(k, _)| k.clone())
                .collect()
        };
        let (own, defaulted) = (
            parts(given.get(key), true),
            parts(levels.get(key), true)
                .into_iter()
                .filter(|p| {
                    given
                        .get(key)
                        .and_then(|g| g.get(p))
                        .is_none_or(Value::is_null)
                })
                .collect::<Vec<_>>(),
        );
        let source = if *origin == FigureOrigin::Project && !own.is_empty() && !defaulted.is_empty()
        {
            let level = library.defaults.governing_level(key, project);
            format!(
                "the project for {}; {} for {}",
                own.join(", "),
                origin_words(FigureOrigin::Default(level), key),
                defaulted.join(", ")
            )
        } else {
            origin_words(*origin, key)
        };
        figures.push(Figure {
            path: format!("service_levels.{key}"),
            value,
            source,
        });
    }
    let concept = serde_json::to_value(&resolved.security_concept).unwrap_or_default();
    let given = serde_json::to_value(&project.security_concept).unwrap_or_default();
    for (key, value) in concept.as_object().into_iter().flatten() {
        let from_project = given.get(key).is_some_and(|v| !v.is_null());
        figures.push(Figure {
            path: format!("security_concept.{key}"),
            value: with_unit(key, value),
            source: if from_project {
                "the project".to_owned()
            } else {
                format!("the default of level \"{overall}\" (overall)")
            },
        });
    }
    let term = serde_json::to_value(&resolved.term).unwrap_or_default();
    let given = serde_json::to_value(&project.term).unwrap_or_default();
    let term_level = library
        .defaults
        .governing_level("exit_support_months", project);
    for (key, value) in term.as_object().into_iter().flatten() {
        let from_project = given.get(key).is_some_and(|v| !v.is_null());
        figures.push(Figure {
            path: format!("term.{key}"),
            value: with_unit(key, value),
            source: match (from_project, value.is_null()) {
                (true, _) => "the project".to_owned(),
                (false, true) => "not given, no default".to_owned(),
                (false, false) => format!(
                    "the default of level \"{term_level}\" ({})",
                    library
                        .defaults
                        .governed_by
                        .get("exit_support_months")
                        .copied()
                        .unwrap_or(Governor::Overall)
                        .as_str()
                ),
            },
        });
    }
    if project.service.cloud {
        let switching = serde_json::to_value(resolved.switching).unwrap_or_default();
        for (key, value) in switching.as_object().into_iter().flatten() {
            figures.push(Figure {
                path: format!("switching.{key}"),
                value: with_unit(key, value),
                source: "the library (service-levels.toml, [switching]: the Data Act's terms)"
                    .to_owned(),
            });
        }
    }
    // Figures written into the clause texts themselves, those the annex prints: a figure in
    // a part of the clause this annex leaves out (`{% if %}`) is not listed.
    let sign = library.section_sign(project.annex.language);
    let printed: Vec<String> = document
        .markdown
        .body
        .split("\n## ")
        .skip(1)
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    for (index, section) in document.selection.sections.iter().enumerate() {
        let clause = section.clause;
        let text = printed.get(index).map_or("", String::as_str);
        for (line, phrase) in constants(&clause.body) {
            if !text.contains(&phrase) {
                continue;
            }
            figures.push(Figure {
                path: format!("{}:{}", clause.file, line + clause.body_line_offset),
                value: phrase,
                source: format!("{sign}\u{a0}{} {}", section.number, clause.meta.title),
            });
        }
    }
    Figures {
        figures,
        default_facts: default_facts(library, document),
    }
}

/// A value as a person reads it: `99.5`, `p1 30, p2 60, …`, `yes`.
fn show(value: &Value) -> String {
    match value {
        Value::Null => "-".to_owned(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k} {}", show(v)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// A figure's value with the unit its name gives (`rto_hours` → "24 h"; for the parts of a
/// figure per priority or severity, each part).
fn with_unit(key: &str, value: &Value) -> String {
    let unit = [
        ("_business_days", " business days"),
        ("_minutes", " min"),
        ("_hours", " h"),
        ("_days", " days"),
        ("_months", " months"),
        ("_percent", " %"),
        ("_gb", " GB"),
        ("_km", " km"),
        ("_min", " persons"),
    ]
    .into_iter()
    .find(|(part, _)| key.contains(part))
    .map_or("", |(_, unit)| unit);
    match value {
        Value::Number(_) => format!("{}{unit}", show(value)),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k} {}", with_unit(key, v)))
            .collect::<Vec<_>>()
            .join(", "),
        _ => show(value),
    }
}

/// The numbers with a unit in the literal text of a template (outside `{{ }}`, `{% %}` and
/// `{# #}`), with their line (1-based, in `body`).
fn constants(body: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut depth_tag = false;
    for (i, line) in body.lines().enumerate() {
        // The literal text of the line: template tags blanked out.
        let mut literal = String::with_capacity(line.len());
        let mut rest = line;
        while !rest.is_empty() {
            if depth_tag {
                match ["}}", "%}", "#}"].iter().filter_map(|e| rest.find(e)).min() {
                    Some(end) => {
                        rest = &rest[end + 2..];
                        depth_tag = false;
                        literal.push(' ');
                    }
                    None => rest = "",
                }
            } else {
                match ["{{", "{%", "{#"].iter().filter_map(|s| rest.find(s)).min() {
                    Some(start) => {
                        literal.push_str(&rest[..start]);
                        rest = &rest[start + 2..];
                        depth_tag = true;
                    }
                    None => {
                        literal.push_str(rest);
                        rest = "";
                    }
                }
            }
        }
        let words: Vec<&str> = literal.split_whitespace().collect();
        for (w, word) in words.iter().enumerate() {
            let number = word.trim_start_matches(['(', '„', '"']);
            let is_number = !number.is_empty()
                && number
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
                && number.chars().next().is_some_and(|c| c.is_ascii_digit());
            let unit = words
                .get(w + 1)
                .map(|u| u.trim_end_matches([',', '.', ';', ')', ':']));
            if is_number && let Some(unit) = unit.filter(|u| UNITS.contains(u)) {
                out.push((
                    i + 1,
                    format!("{} {unit}", number.trim_end_matches(['.', ','])),
                ));
            }
        }
    }
    out
}

/// The facts the project does not state whose default value adds sections: each with the
/// sections whose clause or topic needs it.
fn default_facts(library: &Library, document: &Document<'_>) -> Vec<DefaultFact> {
    let project = &document.project;
    let written = serde_json::from_str::<Value>(&document.source.text).ok();
    let given = |pointer: &str| {
        written
            .as_ref()
            .is_some_and(|v| v.pointer(pointer).is_some())
    };
    let sign = library.section_sign(project.annex.language);
    let mut out = Vec::new();
    for (fact, field, pointer) in [
        (
            "shared_platform",
            "service.shared_platform",
            "/service/shared_platform",
        ),
        ("health_care", "client.health_care", "/client/health_care"),
    ] {
        let Some(value) = project.fact(fact) else {
            continue;
        };
        if given(pointer) {
            continue;
        }
        let needs = |conditions: &[crate::library::Condition]| {
            conditions
                .iter()
                .any(|c| c.flag == fact && c.value == value)
        };
        let adds: Vec<String> = document
            .selection
            .sections
            .iter()
            .filter(|s| {
                needs(&s.clause.meta.when)
                    || library
                        .catalogue
                        .topic(&s.clause.meta.topic)
                        .is_some_and(|t| needs(&t.when))
            })
            .map(|s| format!("{sign}\u{a0}{} {}", s.number, s.clause.meta.title))
            .collect();
        if !adds.is_empty() {
            out.push(DefaultFact {
                field: field.to_owned(),
                value,
                adds,
            });
        }
    }
    out
}

impl Figures {
    /// The text `annex explain --figures` prints.
    pub fn to_text(&self) -> String {
        let width = self
            .figures
            .iter()
            .filter(|f| !f.path.contains(':'))
            .map(|f| f.path.chars().count())
            .max()
            .unwrap_or(0);
        let mut out = String::from("  figures:\n");
        for f in self.figures.iter().filter(|f| !f.path.contains(':')) {
            out.push_str(&format!(
                "    {:width$}  {}  ({})\n",
                f.path, f.value, f.source
            ));
        }
        let texts: Vec<&Figure> = self
            .figures
            .iter()
            .filter(|f| f.path.contains(':'))
            .collect();
        if !texts.is_empty() {
            out.push_str(
                "  figures written in the clause texts (the same in every annex with the clause):\n",
            );
            // One line per section: its file, then each figure with its line.
            for group in texts.chunk_by(|a, b| a.source == b.source) {
                let Some(first) = group.first() else {
                    continue;
                };
                let file = first.path.rsplit_once(':').map_or("", |(f, _)| f);
                let listed: Vec<String> = group
                    .iter()
                    .map(|f| {
                        let line = f.path.rsplit_once(':').map_or("", |(_, l)| l);
                        format!("{} (line {line})", f.value)
                    })
                    .collect();
                out.push_str(&format!(
                    "    {}, {file}: {}\n",
                    first.source,
                    listed.join(", ")
                ));
            }
        }
        for d in &self.default_facts {
            out.push_str(&format!(
                "  default that adds clauses: {} is {} because the project does not say; it adds {}\n",
                d.field,
                d.value,
                d.adds.join(", ")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_a_unit_in_the_literal_text_are_figures() {
        let body = "Innerhalb von 24 Stunden, spätestens nach {{ x }} Tagen.\n{% if a %}mindestens 30 Tage{% endif %} und 2 Parteien; 99,9 % im Monat.\n{{ 12 }} Monate";
        assert_eq!(
            constants(body),
            [
                (1, "24 Stunden".to_owned()),
                (2, "30 Tage".to_owned()),
                (2, "99,9 %".to_owned()),
            ]
        );
    }
}

//! Resolving a project's figures: its values completed with the defaults of the governing
//! level, the figures weaker than those defaults, and the checks of the resolved values.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{Better, Defaults, FigureOrigin, Resolved, SecurityConcept, ServiceLevels, Term};
use crate::diagnostic::Diagnostic;
use crate::language::Localized;
use crate::level::{Governor, Level};
use crate::project::{Language, Project, ProjectSource};

impl Defaults {
    /// Completes the project's service levels and security-concept parameters.
    pub fn resolve(
        &self,
        project: &Project,
        source: &ProjectSource,
    ) -> Result<Resolved, Vec<Diagnostic>> {
        let lang = project.annex.language;
        let given = match serde_json::to_value(&project.service_levels) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        };
        let mut resolved = Map::new();
        let mut origins = BTreeMap::new();
        let mut warnings = Vec::new();
        let mut weaker = Vec::new();
        for (key, value) in &given {
            let level = self.governing_level(key, project);
            let mut default = self.level(level).get(key).cloned();
            if let Some(d) = default.as_mut()
                && let Some(text) = d.get(lang.code()).cloned()
            {
                *d = text;
            }
            // Support hours follow the project's own service hours unless given separately.
            if key == "support_hours"
                && value.is_null()
                && let Some(Value::String(hours)) = given.get("service_hours")
            {
                resolved.insert(key.clone(), Value::String(hours.clone()));
                origins.insert(key.clone(), FigureOrigin::Project);
                continue;
            }
            let (merged, origin) = match (value, default) {
                (Value::Null, Some(d)) => (d, FigureOrigin::Default(level)),
                (Value::Null, None) => (Value::Null, FigureOrigin::Absent),
                (Value::Object(parts), Some(Value::Object(mut d))) => {
                    for (p, v) in parts.iter().filter(|(_, v)| !v.is_null()) {
                        d.insert(p.clone(), v.clone());
                    }
                    (Value::Object(d), FigureOrigin::Project)
                }
                (v, _) => (v.clone(), FigureOrigin::Project),
            };
            if origin == FigureOrigin::Project {
                weaker.extend(self.weaker(key, value, level));
            }
            resolved.insert(key.clone(), merged);
            origins.insert(key.clone(), origin);
        }
        let service_levels: ServiceLevels = serde_json::from_value(Value::Object(resolved))
            .map_err(|e| {
                vec![Diagnostic::error(
                    None,
                    crate::text!(
                        en: "internal error: resolved service levels: {e}",
                        de: "interner Fehler: aufgelöste Service-Level: {e}",
                    ),
                )]
            })?;
        check_consistency(&service_levels, &origins, source)?;
        if project
            .service_levels
            .personal_data_breach_notice_hours
            .is_some()
            && !project.service.personal_data
        {
            warnings.push(source.warning(
                "service_levels.personal_data_breach_notice_hours",
                crate::text!(
                    en: "has no effect because `service.personal_data` is false",
                    de: "hat keine Wirkung, weil `service.personal_data` false ist",
                ),
            ));
        }
        // The default distance of georedundant sites is a promise about sites the project may
        // already name: ask for the real distance rather than let the annex contradict them.
        if let (Some(km), Some(FigureOrigin::Default(level))) = (
            service_levels.site_distance_km,
            origins.get("site_distance_km").copied(),
        ) && project.service.locations.len() >= 2
        {
            let km = crate::rules::short(km);
            let count = project.service.locations.len();
            let level_de = level.name(Language::De);
            warnings.push(
                source
                    .warning(
                        "service.locations",
                        crate::text!(
                            en: "the annex requires the primary and the alternative site to be at least {km} km apart (the default for level \"{level}\"), but the project does not say how far apart its {count} locations are",
                            de: "die Anlage verlangt, dass der primäre und der alternative Standort mindestens {km} km voneinander entfernt sind (der Standardwert für Schutzbedarf \"{level_de}\"), aber das Projekt gibt nicht an, wie weit seine {count} Standorte voneinander entfernt sind",
                        ),
                    )
                    .hint(crate::text!(
                        en: "set `service_levels.site_distance_km` to the straight-line distance the provider commits to; a shorter distance than the default needs an entry in `accepted_deviations`",
                        de: "setzen Sie `service_levels.site_distance_km` auf die Entfernung in Luftlinie, zu der sich der Auftragnehmer verpflichtet; eine kürzere Entfernung als der Standardwert erfordert einen Eintrag in `accepted_deviations`",
                    )),
            );
        }
        let overall = project.protection.overall();
        let sc_default = self.security_concept(overall);
        let sc_given = &project.security_concept;
        let security_concept = SecurityConcept {
            due_days: sc_given.due_days.map_or(sc_default.due_days, |v| v.0),
            review_months: sc_given
                .review_months
                .map_or(sc_default.review_months, |v| v.0),
            framework: sc_given
                .framework
                .as_ref()
                .map_or_else(|| sc_default.framework.clone(), |t| t.0.clone()),
            approval_required: sc_given
                .approval_required
                .unwrap_or(sc_default.approval_required),
        };
        let basis = basis(Governor::Overall, overall);
        let mut concept = |field: &str, value: String, default: String| {
            weaker.push(crate::deviations::Weaker {
                field: format!("security_concept.{field}"),
                value,
                default,
                basis: basis.clone(),
            });
        };
        if security_concept.due_days > sc_default.due_days {
            concept(
                "due_days",
                security_concept.due_days.to_string(),
                sc_default.due_days.to_string(),
            );
        }
        if security_concept.review_months > sc_default.review_months {
            concept(
                "review_months",
                security_concept.review_months.to_string(),
                sc_default.review_months.to_string(),
            );
        }
        if sc_default.approval_required && !security_concept.approval_required {
            concept("approval_required", "false".into(), "true".into());
        }
        let term_level = self.governing_level("exit_support_months", project);
        let term_default = self.term_default(term_level);
        let t = &project.term;
        let term = Term {
            minimum_months: t.minimum_months.map(|m| m.0),
            notice_months_client: t
                .notice_months_client
                .map_or(term_default.notice_months_client, |m| m.0),
            notice_months_provider: t
                .notice_months_provider
                .map_or(term_default.notice_months_provider, |m| m.0),
        };
        let figures = crate::rules::figures(
            &serde_json::to_value(&service_levels).unwrap_or_default(),
            &serde_json::to_value(&term).unwrap_or_default(),
            &serde_json::to_value(self.switching).unwrap_or_default(),
        );
        let told = Told {
            origins: &origins,
            term_level,
            source,
        };
        let broken =
            crate::rules::broken(&self.rule, &figures, project.protection.availability, &told);
        let flags: Vec<String> = broken
            .iter()
            .filter(|b| b.rule.severity == crate::rules::RuleSeverity::Warning)
            .map(|b| b.rule.id.clone())
            .collect();
        // A flag between two defaults is the library's own, deliberate combination: the clause
        // states how the figures relate (`flags`), and no warning asks the user to look at
        // figures the project does not set.
        let (errors, flagged): (Vec<Diagnostic>, Vec<Diagnostic>) = broken
            .iter()
            .filter(|b| {
                b.rule.severity == crate::rules::RuleSeverity::Error
                    || told.given_any(&b.rule.check)
            })
            .map(|b| b.diagnostic(source))
            .partition(Diagnostic::is_error);
        let deviations = crate::deviations::settle(&weaker, project, source);
        if !errors.is_empty() || !deviations.stray.is_empty() {
            return Err(errors.into_iter().chain(deviations.stray).collect());
        }
        warnings.extend(flagged);
        Ok(Resolved {
            service_levels,
            origins,
            security_concept,
            term,
            switching: self.switching,
            flags,
            deviations,
            warnings,
        })
    }

    /// The parts of a project value that are weaker than the level's default.
    fn weaker(&self, key: &str, given: &Value, level: Level) -> Vec<crate::deviations::Weaker> {
        let (Some(better), Some(default)) = (self.better.get(key), self.level(level).get(key))
        else {
            return Vec::new();
        };
        let governor = self
            .governed_by
            .get(key)
            .copied()
            .unwrap_or(Governor::Overall);
        let pairs: Vec<(String, f64, f64)> = match (given, default) {
            (Value::Object(g), Value::Object(d)) => g
                .iter()
                .filter_map(|(p, v)| Some((format!("{key}.{p}"), v.as_f64()?, d.get(p)?.as_f64()?)))
                .collect(),
            (g, d) => g
                .as_f64()
                .zip(d.as_f64())
                .map(|(g, d)| (key.to_string(), g, d))
                .into_iter()
                .collect(),
        };
        pairs
            .into_iter()
            .filter(|(_, g, d)| match better {
                Better::Lower => g > d,
                Better::Higher => g < d,
            })
            .map(|(path, g, d)| crate::deviations::Weaker {
                field: format!("service_levels.{path}"),
                value: g.to_string(),
                default: d.to_string(),
                basis: basis(governor, level),
            })
            .collect()
    }
}

/// The level a figure is weaker than the default of: `availability level "normal"`,
/// `overall level "high"`; in German `Schutzbedarf "normal" der Verfügbarkeit`,
/// `Gesamtschutzbedarf "hoch"`.
fn basis(governor: Governor, level: Level) -> Localized {
    let name = governor.as_str();
    let level_de = level.name(Language::De);
    let value_de = match governor {
        Governor::Confidentiality => "Vertraulichkeit",
        Governor::Integrity => "Integrität",
        Governor::Availability => "Verfügbarkeit",
        Governor::Overall => {
            return crate::text!(
                en: "{name} level \"{level}\"",
                de: "Gesamtschutzbedarf \"{level_de}\"",
            );
        }
    };
    crate::text!(
        en: "{name} level \"{level}\"",
        de: "Schutzbedarf \"{level_de}\" der {value_de}",
    )
}

fn check_consistency(
    sl: &ServiceLevels,
    origins: &BTreeMap<String, FigureOrigin>,
    source: &ProjectSource,
) -> Result<(), Vec<Diagnostic>> {
    let place = |key: &str| match origins.get(key) {
        Some(FigureOrigin::Project) => format!("service_levels.{key}"),
        _ => "service_levels".to_string(),
    };
    let mut errors = Vec::new();
    for ((p, response), (_, resolution)) in sl
        .response_minutes
        .named()
        .into_iter()
        .zip(sl.resolution_hours.named())
    {
        if f64::from(response) / 60.0 > resolution {
            errors.push(
                source
                    .error(&place("resolution_hours"), crate::text!(
                        en: "resolution_hours.{p} ({resolution} h) is shorter than response_minutes.{p} ({response} min)",
                        de: "resolution_hours.{p} ({resolution} h) ist kürzer als response_minutes.{p} ({response} min)",
                    ))
                    .hint(crate::text!(
                        en: "an incident cannot be resolved before the provider has to respond to it",
                        de: "ein Vorfall kann nicht behoben sein, bevor der Auftragnehmer auf ihn reagieren muss",
                    )),
            );
        }
    }
    let ordered = |key: &str, values: [f64; 4], unit: &str, errors: &mut Vec<Diagnostic>| {
        for (i, pair) in values.windows(2).enumerate() {
            if let [shorter, longer] = pair
                && shorter > longer
            {
                let (first, second) = (i + 1, i + 2);
                errors.push(
                    source
                        .error(&place(key), crate::text!(
                            en: "{key}.p{first} ({shorter} {unit}) is longer than {key}.p{second} ({longer} {unit})",
                            de: "{key}.p{first} ({shorter} {unit}) ist länger als {key}.p{second} ({longer} {unit})",
                        ))
                        .hint(crate::text!(
                            en: "a more urgent priority needs an equal or shorter time: p1 ≤ p2 ≤ p3 ≤ p4",
                            de: "eine dringlichere Priorität braucht eine gleich lange oder kürzere Zeit: p1 ≤ p2 ≤ p3 ≤ p4",
                        )),
                );
            }
        }
    };
    let r = sl.response_minutes;
    ordered(
        "response_minutes",
        [r.p1, r.p2, r.p3, r.p4].map(f64::from),
        "min",
        &mut errors,
    );
    let r = sl.resolution_hours;
    ordered(
        "resolution_hours",
        [r.p1, r.p2, r.p3, r.p4],
        "h",
        &mut errors,
    );
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Picks the language's text for `{de = …, en = …}` values.
pub(super) fn localise(map: &mut Map<String, Value>, lang: Language) -> Result<(), Localized> {
    for (key, value) in map.iter_mut() {
        if let Value::Object(o) = value
            && (o.contains_key("de") || o.contains_key("en"))
        {
            *value = o.get(lang.code()).cloned().ok_or_else(|| {
                let code = lang.code();
                crate::text!(
                    en: "`{key}` has no text for language `{code}`",
                    de: "`{key}` hat keinen Text für die Sprache `{code}`",
                )
            })?;
        }
    }
    Ok(())
}

/// What the project says itself and what comes from a level's default, for the messages of
/// the rules.
struct Told<'a> {
    origins: &'a BTreeMap<String, FigureOrigin>,
    term_level: Level,
    source: &'a ProjectSource,
}

impl Told<'_> {
    /// Whether the project gives one of the figures a rule's check names.
    fn given_any(&self, check: &str) -> bool {
        use crate::rules::Origins;
        check
            .split(['<', '>', '='])
            .map(str::trim)
            .filter(|p| !p.is_empty() && p.parse::<f64>().is_err())
            .any(|p| self.given(p).is_some())
    }
}

impl crate::rules::Origins for Told<'_> {
    fn given(&self, path: &str) -> Option<String> {
        let full = if path.starts_with("term.") {
            path.to_owned()
        } else if path.starts_with("switching.") || path.parse::<f64>().is_ok() {
            // Library figures and numbers in the rule: never in a project.
            return None;
        } else if path == "monthly_downtime_hours" {
            // Derived from the availability target.
            "service_levels.availability_percent".to_owned()
        } else {
            format!("service_levels.{path}")
        };
        // Only a value the file has: a default has no place in it.
        self.source.locate(&full).line.map(|_| full)
    }

    fn describe(&self, path: &str, value: f64) -> Localized {
        let level = if path.starts_with("term.") {
            Some(self.term_level)
        } else {
            match path.split('.').next().and_then(|k| self.origins.get(k)) {
                Some(FigureOrigin::Default(level)) => Some(*level),
                _ => None,
            }
        };
        let value = crate::rules::short(value);
        match (self.given(path), level) {
            (None, Some(level)) => {
                let level_de = level.name(Language::De);
                crate::text!(
                    en: "({value}, the default for level \"{level}\")",
                    de: "({value}, der Standardwert für Schutzbedarf \"{level_de}\")",
                )
            }
            _ => crate::text!(en: "({value})", de: "({value})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_level_a_figure_falls_short_of_reads_in_both_languages() {
        let b = basis(Governor::Availability, Level::VeryHigh);
        assert_eq!(b.en(), "availability level \"very_high\"");
        assert_eq!(
            b.get(Language::De),
            "Schutzbedarf \"sehr hoch\" der Verfügbarkeit"
        );
        let b = basis(Governor::Overall, Level::High);
        assert_eq!(b.en(), "overall level \"high\"");
        assert_eq!(b.get(Language::De), "Gesamtschutzbedarf \"hoch\"");
        let mut map = Map::new();
        map.insert(
            "service_hours".to_owned(),
            serde_json::json!({ "de": "Mo–Fr" }),
        );
        let e = localise(&mut map, Language::En).unwrap_err();
        assert_eq!(e.en(), "`service_hours` has no text for language `en`");
        assert_eq!(
            e.get(Language::De),
            "`service_hours` hat keinen Text für die Sprache `en`"
        );
    }
}

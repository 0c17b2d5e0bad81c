//! Service levels and security-concept parameters: the project's values completed with the
//! defaults of the governing protection level (`templates/service-levels.toml`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::diagnostic::{Diagnostic, TextError, toml_table_offset};
use crate::level::{Governor, Level};
use crate::project::{Language, Project, ProjectSource};

/// Which direction of a figure is the stronger commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// Smaller is stricter (times, intervals).
    Lower,
    /// Larger is stricter (availability, retention).
    Higher,
}

/// The defaults file, as data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// The basic value that governs each parameter.
    pub governed_by: BTreeMap<String, Governor>,
    /// Which direction is stronger, per numeric parameter.
    pub better: BTreeMap<String, Better>,
    /// Parameters that have defaults only from a level on (below it they are absent unless
    /// the project gives them), e.g. the distance of georedundant sites from "high".
    #[serde(default)]
    pub from: BTreeMap<String, Level>,
    normal: Map<String, Value>,
    high: Map<String, Value>,
    very_high: Map<String, Value>,
    security_concept: SecurityConceptDefaults,
    term: TermDefaults,
    /// The terms of switching a cloud service (the same at every level).
    pub switching: Switching,
    /// Rules the figures must obey together.
    #[serde(default)]
    pub rule: Vec<crate::rules::Rule>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermDefaults {
    normal: TermDefault,
    high: TermDefault,
    very_high: TermDefault,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermDefault {
    notice_months_client: u32,
    notice_months_provider: u32,
}

/// The terms for switching a cloud service to another provider (Data Act Art. 25), the same
/// for every project: the law sets their outer limits, and rules keep them within.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Switching {
    /// Longest notice between a switching request and the start of the transition, months.
    pub notice_months: u32,
    /// Longest transitional period the provider may claim, calendar days.
    pub transition_days: u32,
    /// Business days within which the provider must give notice that the transition is
    /// technically unfeasible.
    pub unfeasible_notice_business_days: u32,
    /// Longest transitional period the provider may then set instead, months.
    pub unfeasible_transition_months: u32,
    /// Shortest period after the transition in which the client may still retrieve its data.
    pub retrieval_days: u32,
}

/// The term and the ordinary notice periods, resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    /// Minimum term in months, when the project sets one (`null` otherwise: templates see it
    /// as a value the project does not give).
    pub minimum_months: Option<u32>,
    /// Ordinary notice period of the client, months.
    pub notice_months_client: u32,
    /// Ordinary notice period of the provider, months.
    pub notice_months_provider: u32,
}

/// Per CVSS severity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Severities<T> {
    pub critical: T,
    pub high: T,
    pub medium: T,
    pub low: T,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SecurityConceptDefaults {
    normal: SecurityConcept,
    high: SecurityConcept,
    very_high: SecurityConcept,
}

/// Per incident priority.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Priorities<T> {
    /// Priority 1.
    pub p1: T,
    /// Priority 2.
    pub p2: T,
    /// Priority 3.
    pub p3: T,
    /// Priority 4.
    pub p4: T,
}

impl<T: Copy> Priorities<T> {
    /// The four values with their names, P1 first.
    pub fn named(&self) -> [(&'static str, T); 4] {
        [
            ("p1", self.p1),
            ("p2", self.p2),
            ("p3", self.p3),
            ("p4", self.p4),
        ]
    }
}

/// Every service-level parameter, resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ServiceLevels {
    pub availability_percent: f64,
    pub service_hours: String,
    pub support_hours: String,
    pub max_downtime_hours: f64,
    pub rto_hours: f64,
    pub rpo_hours: f64,
    pub backup_interval_hours: f64,
    pub backup_retention_days: u32,
    pub restore_test_months: u32,
    pub response_minutes: Priorities<u32>,
    pub resolution_hours: Priorities<f64>,
    pub security_incident_notice_hours: f64,
    pub personal_data_breach_notice_hours: f64,
    pub change_notice_days: u32,
    pub report_interval_months: u32,
    pub audit_notice_days: u32,
    pub exit_support_months: u32,
    pub data_return_days: u32,
    pub compute: Option<String>,
    pub storage_gb: Option<f64>,
    pub staff_min: Option<u32>,
    pub site_distance_km: Option<f64>,
    pub vulnerability_fix_days: Severities<u32>,
    pub log_retention_days: u32,
}

/// The security-concept parameters, resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityConcept {
    /// Days after the main contract takes effect.
    pub due_days: u32,
    /// Review interval in months.
    pub review_months: u32,
    /// The method the concept follows.
    pub framework: String,
    /// Client approval before go-live.
    pub approval_required: bool,
}

/// Where a resolved value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "from", content = "level")]
pub enum FigureOrigin {
    /// Given in the project.
    Project,
    /// The default of this level.
    Default(Level),
    /// Neither given nor defaulted.
    Absent,
}

/// The outcome of resolving a project's figures.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The service levels.
    pub service_levels: ServiceLevels,
    /// Where each service-level parameter came from.
    pub origins: BTreeMap<String, FigureOrigin>,
    /// The security-concept parameters.
    pub security_concept: SecurityConcept,
    /// The term and notice periods.
    pub term: Term,
    /// The terms of switching a cloud service.
    pub switching: Switching,
    /// The ids of the flag rules (`severity = "warning"`) the figures break: the clauses may
    /// say how the two figures relate.
    pub flags: Vec<String>,
    /// Figures weaker than their defaults, settled against `accepted_deviations`.
    pub deviations: crate::deviations::Settled,
    /// Warnings: values weaker than the governing level's default.
    pub warnings: Vec<Diagnostic>,
}

impl Defaults {
    /// Parses the defaults file and checks that every level defines the same parameters; an
    /// error points into the text.
    pub fn parse(text: &str) -> Result<Defaults, TextError> {
        let d: Defaults = toml::from_str(text)?;
        let table =
            |name: &str, message: String| TextError::new(message, toml_table_offset(text, name));
        for level in [Level::High, Level::VeryHigh] {
            let name = level.to_string();
            let normal = &d.normal;
            let other = d.level(level);
            // A parameter with defaults only from a level on must be in the tables from that
            // level and in none below it.
            let expected = |k: &str, at: Level| match d.from.get(k) {
                Some(first) => at >= *first,
                None => true,
            };
            let keys: std::collections::BTreeSet<&String> =
                normal.keys().chain(other.keys()).collect();
            let missing: Vec<&str> = keys
                .iter()
                .filter(|k| expected(k, level) && !other.contains_key(k.as_str()))
                .filter(|k| normal.contains_key(k.as_str()) || d.from.contains_key(k.as_str()))
                .map(|k| k.as_str())
                .collect();
            let extra: Vec<&str> = other
                .keys()
                .filter(|k| {
                    !expected(k, level) || (!normal.contains_key(*k) && !d.from.contains_key(*k))
                })
                .map(String::as_str)
                .collect();
            if !missing.is_empty() || !extra.is_empty() {
                let mut message = format!("[{name}] must define the same parameters as [normal]");
                if !missing.is_empty() {
                    message.push_str(&format!("; missing: {}", missing.join(", ")));
                }
                if !extra.is_empty() {
                    message.push_str(&format!("; not in [normal]: {}", extra.join(", ")));
                }
                return Err(table(&name, message).hint(format!(
                    "every level table ([normal], [high], [very_high]) sets the same parameters; add the missing ones to [{name}] or remove them from [normal]"
                )));
            }
        }
        for key in d.normal.keys().chain(d.from.keys()) {
            if !d.governed_by.contains_key(key) {
                return Err(table(
                    "governed_by",
                    format!("[governed_by] has no entry for `{key}`"),
                ));
            }
        }
        // Every level's table must resolve into complete service levels.
        for level in Level::ALL {
            let name = level.to_string();
            let mut map = d.level(level).clone();
            for lang in [Language::De, Language::En] {
                localise(&mut map, lang).map_err(|m| table(&name, m))?;
                map.entry("compute").or_insert(Value::Null);
                map.entry("storage_gb").or_insert(Value::Null);
                map.entry("staff_min").or_insert(Value::Null);
                map.entry("site_distance_km").or_insert(Value::Null);
                serde_json::from_value::<ServiceLevels>(Value::Object(map.clone()))
                    .map_err(|e| table(&name, format!("[{name}]: {e}")))?;
            }
        }
        // Every rule names figures that exist, and the defaults of every level obey the
        // rules that are errors (a flag may be a deliberate combination; the clauses say how
        // the two figures relate).
        let switching = serde_json::to_value(d.switching).unwrap_or_default();
        for level in Level::ALL {
            let mut figures = d.level(level).clone();
            localise(&mut figures, Language::En).map_err(|m| table(&level.to_string(), m))?;
            // Parameters from a higher level on still need a value to validate the paths.
            for (key, from) in &d.from {
                if let Some(v) = d.level(*from).get(key) {
                    figures.entry(key.clone()).or_insert(v.clone());
                }
            }
            let term = d.term_default(level);
            let term = serde_json::to_value(Term {
                minimum_months: None,
                notice_months_client: term.notice_months_client,
                notice_months_provider: term.notice_months_provider,
            })
            .unwrap_or_default();
            let figures = crate::rules::figures(&Value::Object(figures), &term, &switching);
            crate::rules::validate(&d.rule, &figures)
                .map_err(|m| TextError::new(m, toml_table_offset(text, "rule")))?;
            let broken = crate::rules::broken(&d.rule, &figures, level, &crate::rules::Defaults);
            if let Some(b) = broken
                .iter()
                .find(|b| b.rule.severity == crate::rules::Severity::Error)
            {
                let at = crate::rules::table_of(&b.rule.check, level);
                return Err(table(
                    &at,
                    format!(
                        "the defaults of [{at}] break rule \"{}\": {}",
                        b.rule.id, b.message
                    ),
                )
                .hint(format!("{} (the rule is a [[rule]] further down in this file)", b.rule.reason.en))
                .hint("change one of the two defaults, or the rule if the law or the product allows it"));
            }
        }
        Ok(d)
    }

    fn level(&self, level: Level) -> &Map<String, Value> {
        match level {
            Level::Normal => &self.normal,
            Level::High => &self.high,
            Level::VeryHigh => &self.very_high,
        }
    }

    /// Every figure a project can set weaker than its default, as the path an accepted
    /// deviation names (`service_levels.resolution_hours.p1`, `security_concept.due_days`).
    pub fn deviable_fields(&self) -> Vec<String> {
        let mut fields = Vec::new();
        for key in self.better.keys() {
            let sample = self
                .level(Level::VeryHigh)
                .get(key)
                .or_else(|| self.level(Level::Normal).get(key));
            match sample {
                Some(Value::Object(parts)) => {
                    fields.extend(parts.keys().map(|p| format!("service_levels.{key}.{p}")))
                }
                _ => fields.push(format!("service_levels.{key}")),
            }
        }
        for key in ["due_days", "review_months", "approval_required"] {
            fields.push(format!("security_concept.{key}"));
        }
        fields
    }

    fn term_default(&self, level: Level) -> TermDefault {
        match level {
            Level::Normal => self.term.normal,
            Level::High => self.term.high,
            Level::VeryHigh => self.term.very_high,
        }
    }

    fn security_concept(&self, level: Level) -> &SecurityConcept {
        match level {
            Level::Normal => &self.security_concept.normal,
            Level::High => &self.security_concept.high,
            Level::VeryHigh => &self.security_concept.very_high,
        }
    }

    /// The level that governs a parameter in this project.
    pub fn governing_level(&self, key: &str, project: &Project) -> Level {
        let governor = self
            .governed_by
            .get(key)
            .copied()
            .unwrap_or(Governor::Overall);
        project.protection.governing(governor)
    }

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
                    format!("internal error: resolved service levels: {e}"),
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
                "has no effect because `service.personal_data` is false",
            ));
        }
        // The default distance of georedundant sites is a promise about sites the project may
        // already name: ask for the real distance rather than let the annex contradict them.
        if let (Some(km), Some(FigureOrigin::Default(level))) = (
            service_levels.site_distance_km,
            origins.get("site_distance_km").copied(),
        ) && project.service.locations.len() >= 2
        {
            warnings.push(
                source
                    .warning(
                        "service.locations",
                        format!(
                            "the annex requires the primary and the alternative site to be at least {} km apart (the default for level \"{level}\"), but the project does not say how far apart its {} locations are",
                            crate::rules::short(km),
                            project.service.locations.len()
                        ),
                    )
                    .hint("set `service_levels.site_distance_km` to the straight-line distance the provider commits to; a shorter distance than the default needs an entry in `accepted_deviations`"),
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
        let basis = format!("overall level \"{overall}\"");
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
            .filter(|b| b.rule.severity == crate::rules::Severity::Warning)
            .map(|b| b.rule.id.clone())
            .collect();
        // A flag between two defaults is the library's own, deliberate combination: the clause
        // states how the figures relate (`flags`), and no warning asks the user to look at
        // figures the project does not set.
        let (errors, flagged): (Vec<Diagnostic>, Vec<Diagnostic>) = broken
            .iter()
            .filter(|b| {
                b.rule.severity == crate::rules::Severity::Error || told.given_any(&b.rule.check)
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
                basis: format!("{} level \"{level}\"", governor.as_str()),
            })
            .collect()
    }
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
                    .error(&place("resolution_hours"), format!(
                        "resolution_hours.{p} ({resolution} h) is shorter than response_minutes.{p} ({response} min)"
                    ))
                    .hint("an incident cannot be resolved before the provider has to respond to it"),
            );
        }
    }
    let ordered = |key: &str, values: [f64; 4], unit: &str, errors: &mut Vec<Diagnostic>| {
        for (i, pair) in values.windows(2).enumerate() {
            if let [shorter, longer] = pair
                && shorter > longer
            {
                errors.push(
                    source
                        .error(&place(key), format!(
                            "{key}.p{} ({shorter} {unit}) is longer than {key}.p{} ({longer} {unit})",
                            i + 1, i + 2
                        ))
                        .hint("a more urgent priority needs an equal or shorter time: p1 ≤ p2 ≤ p3 ≤ p4"),
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
fn localise(map: &mut Map<String, Value>, lang: Language) -> Result<(), String> {
    for (key, value) in map.iter_mut() {
        if let Value::Object(o) = value
            && (o.contains_key("de") || o.contains_key("en"))
        {
            *value = o
                .get(lang.code())
                .cloned()
                .ok_or_else(|| format!("`{key}` has no text for language `{}`", lang.code()))?;
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

    fn describe(&self, path: &str, value: f64) -> String {
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
            (None, Some(level)) => format!("({value}, the default for level \"{level}\")"),
            _ => format!("({value})"),
        }
    }
}

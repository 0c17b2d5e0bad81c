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
    normal: Map<String, Value>,
    high: Map<String, Value>,
    very_high: Map<String, Value>,
    security_concept: SecurityConceptDefaults,
    term: TermDefaults,
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

/// The term and the ordinary notice periods, resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    /// Minimum term in months, when the project sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
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
pub enum Origin {
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
    pub origins: BTreeMap<String, Origin>,
    /// The security-concept parameters.
    pub security_concept: SecurityConcept,
    /// The term and notice periods.
    pub term: Term,
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
            let missing: Vec<&str> = normal
                .keys()
                .filter(|k| !other.contains_key(*k))
                .map(String::as_str)
                .collect();
            let extra: Vec<&str> = other
                .keys()
                .filter(|k| !normal.contains_key(*k))
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
        for key in d.normal.keys() {
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
        Ok(d)
    }

    fn level(&self, level: Level) -> &Map<String, Value> {
        match level {
            Level::Normal => &self.normal,
            Level::High => &self.high,
            Level::VeryHigh => &self.very_high,
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
        crate::select::governing_level(governor, &project.protection)
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
                origins.insert(key.clone(), Origin::Project);
                continue;
            }
            let (merged, origin) = match (value, default) {
                (Value::Null, Some(d)) => (d, Origin::Default(level)),
                (Value::Null, None) => (Value::Null, Origin::Absent),
                (Value::Object(parts), Some(Value::Object(mut d))) => {
                    for (p, v) in parts.iter().filter(|(_, v)| !v.is_null()) {
                        d.insert(p.clone(), v.clone());
                    }
                    (Value::Object(d), Origin::Project)
                }
                (v, _) => (v.clone(), Origin::Project),
            };
            if origin == Origin::Project {
                self.warn_if_weaker(key, value, level, source, &mut warnings);
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
        let weaker = |path: &str, given: String, default: String| {
            source
                .warning(path, format!("{given} is weaker than the default for overall level \"{overall}\" ({default})"))
                .hint("the contract then falls short of the protection requirement; keep it only if the parties accept the gap")
        };
        if security_concept.due_days > sc_default.due_days {
            warnings.push(weaker(
                "security_concept.due_days",
                security_concept.due_days.to_string(),
                sc_default.due_days.to_string(),
            ));
        }
        if security_concept.review_months > sc_default.review_months {
            warnings.push(weaker(
                "security_concept.review_months",
                security_concept.review_months.to_string(),
                sc_default.review_months.to_string(),
            ));
        }
        if sc_default.approval_required && !security_concept.approval_required {
            warnings.push(weaker(
                "security_concept.approval_required",
                "false".into(),
                "true".into(),
            ));
        }
        let term_level = self.governing_level("exit_support_months", project);
        let term_default = match term_level {
            Level::Normal => self.term.normal,
            Level::High => self.term.high,
            Level::VeryHigh => self.term.very_high,
        };
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
        Ok(Resolved {
            service_levels,
            origins,
            security_concept,
            term,
            warnings,
        })
    }

    fn warn_if_weaker(
        &self,
        key: &str,
        given: &Value,
        level: Level,
        source: &ProjectSource,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(better) = self.better.get(key).copied() else {
            return;
        };
        let Some(default) = self.level(level).get(key) else {
            return;
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
        for (path, g, d) in pairs {
            let weaker = match better {
                Better::Lower => g > d,
                Better::Higher => g < d,
            };
            if weaker {
                out.push(
                    source
                        .warning(
                            &format!("service_levels.{path}"),
                            format!("{g} is weaker than the default for {} level \"{level}\" ({d})", governor.as_str()),
                        )
                        .hint("the contract then falls short of the protection requirement; keep it only if the parties accept the gap"),
                );
            }
        }
    }
}

fn check_consistency(
    sl: &ServiceLevels,
    origins: &BTreeMap<String, Origin>,
    source: &ProjectSource,
) -> Result<(), Vec<Diagnostic>> {
    let describe = |key: &str, value: f64| match origins.get(key) {
        Some(Origin::Default(level)) => format!("{value} (the default for level \"{level}\")"),
        _ => value.to_string(),
    };
    let place = |key: &str| match origins.get(key) {
        Some(Origin::Project) => format!("service_levels.{key}"),
        _ => "service_levels".to_string(),
    };
    let mut errors = Vec::new();
    if sl.rto_hours > sl.max_downtime_hours {
        let key = if origins.get("rto_hours") == Some(&Origin::Project) {
            "rto_hours"
        } else {
            "max_downtime_hours"
        };
        errors.push(
            source
                .error(&place(key), format!(
                    "rto_hours {} is longer than max_downtime_hours {}",
                    describe("rto_hours", sl.rto_hours),
                    describe("max_downtime_hours", sl.max_downtime_hours)
                ))
                .hint("the recovery time objective must not exceed the longest tolerable outage; lower rto_hours or raise max_downtime_hours"),
        );
    }
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

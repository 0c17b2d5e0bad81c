//! The defaults file: parsing and checking its level tables, and looking up a level's values.

use serde_json::{Map, Value};

use super::resolve::localise;
use super::{Defaults, SecurityConcept, ServiceLevels, Term, TermDefault};
use crate::diagnostic::{TextError, toml_table_offset};
use crate::language::Localized;
use crate::level::{Governor, Level};
use crate::project::{Language, Project};

impl Defaults {
    /// Parses the defaults file and checks that every level defines the same parameters; an
    /// error points into the text.
    pub fn parse(text: &str) -> Result<Defaults, TextError> {
        let d: Defaults = toml::from_str(text)?;
        let table =
            |name: &str, message: Localized| TextError::new(message, toml_table_offset(text, name));
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
                let mut message = crate::text!(
                    en: "[{name}] must define the same parameters as [normal]",
                    de: "[{name}] muss dieselben Parameter festlegen wie [normal]",
                );
                if !missing.is_empty() {
                    let missing = missing.join(", ");
                    message.push(
                        &crate::text!(en: "; missing: {missing}", de: "; es fehlen: {missing}"),
                    );
                }
                if !extra.is_empty() {
                    let extra = extra.join(", ");
                    message.push(&crate::text!(
                        en: "; not in [normal]: {extra}",
                        de: "; nicht in [normal]: {extra}",
                    ));
                }
                return Err(table(&name, message).hint(crate::text!(
                    en: "every level table ([normal], [high], [very_high]) sets the same parameters; add the missing ones to [{name}] or remove them from [normal]",
                    de: "jede Tabelle eines Schutzbedarfs ([normal], [high], [very_high]) legt dieselben Parameter fest; ergänzen Sie die fehlenden in [{name}] oder entfernen Sie sie aus [normal]",
                )));
            }
        }
        for key in d.normal.keys().chain(d.from.keys()) {
            if !d.governed_by.contains_key(key) {
                return Err(table(
                    "governed_by",
                    crate::text!(
                        en: "[governed_by] has no entry for `{key}`",
                        de: "[governed_by] hat keinen Eintrag für `{key}`",
                    ),
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
                serde_json::from_value::<ServiceLevels>(Value::Object(map.clone())).map_err(
                    |e| {
                        table(
                            &name,
                            crate::text!(en: "[{name}]: {e}", de: "[{name}]: {e}"),
                        )
                    },
                )?;
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
            let broken = crate::rules::broken(&d.rule, &figures, level, &crate::rules::AtDefaults);
            if let Some(b) = broken
                .iter()
                .find(|b| b.rule.severity == crate::rules::RuleSeverity::Error)
            {
                let at = crate::rules::table_of(&b.rule.check, level);
                let id = &b.rule.id;
                let (message_en, message_de) = (&b.message.en, &b.message.de);
                let (reason_en, reason_de) = (&b.rule.reason.en, &b.rule.reason.de);
                return Err(table(
                    &at,
                    crate::text!(
                        en: "the defaults of [{at}] break rule \"{id}\": {message_en}",
                        de: "die Standardwerte von [{at}] verletzen die Regel \"{id}\": {message_de}",
                    ),
                )
                .hint(crate::text!(
                    en: "{reason_en} (the rule is a [[rule]] further down in this file)",
                    de: "{reason_de} (die Regel ist ein [[rule]] weiter unten in dieser Datei)",
                ))
                .hint(crate::text!(
                    en: "change one of the two defaults, or the rule if the law or the product allows it",
                    de: "ändern Sie einen der beiden Standardwerte oder die Regel, wenn das Gesetz oder das Produkt es zulässt",
                )));
            }
        }
        Ok(d)
    }

    pub(super) fn level(&self, level: Level) -> &Map<String, Value> {
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

    pub(super) fn term_default(&self, level: Level) -> TermDefault {
        match level {
            Level::Normal => self.term.normal,
            Level::High => self.term.high,
            Level::VeryHigh => self.term.very_high,
        }
    }

    pub(super) fn security_concept(&self, level: Level) -> &SecurityConcept {
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
}

//! Choosing the clauses of an annex: per topic and clause, the strongest variant whose level is
//! at or below the governing level, with conditions, includes and excludes. Pure; no I/O.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::language::Language;
use crate::level::Level;
use crate::library::{Clause, Condition, Library};
use crate::project::{Project, ProjectSource};

/// Why a section is in the annex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The level and conditions call for it.
    Level,
    /// The project includes its topic.
    Included {
        /// Why level and conditions alone would have left the topic out; `None` if they call
        /// for it anyway.
        otherwise: Option<Omission>,
    },
    /// A service flag makes the topic mandatory at any level (e.g. a critical function).
    Required {
        /// The topic's `required_when` conditions (all of them hold).
        conditions: Vec<Condition>,
        /// Why level and conditions alone would have left the topic out; `None` if they call
        /// for it anyway.
        otherwise: Option<Omission>,
    },
}

/// How the variant of a section was chosen among the variants of its clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantChoice {
    /// The levels of the variants that could be chosen (in the annex language, with their
    /// conditions holding, or all of them for an included or required topic), weakest first.
    pub candidates: Vec<Level>,
    /// No candidate is at or below the governing level, so the weakest one was taken (only
    /// for an included or required topic). Otherwise the choice is the strongest candidate at
    /// or below the governing level.
    pub weakest_above: bool,
}

/// Why a topic is not in the annex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Omission {
    /// The project excludes it, for this reason.
    Excluded(String),
    /// The governing level is below the topic's first level.
    BelowLevel {
        /// The governing level.
        level: Level,
        /// The topic's first level.
        from: Level,
    },
    /// A condition on the service flags does not hold.
    Condition(Condition),
    /// The library has no clause for it in this language.
    NoClause,
}

/// One numbered section of the annex.
#[derive(Debug, Clone)]
pub struct Section<'l> {
    /// "§ n": 1-based.
    pub number: usize,
    /// The chosen variant.
    pub clause: &'l Clause,
    /// The level that governs it in this project.
    pub level: Level,
    /// Why it is there.
    pub reason: Reason,
    /// How its variant was chosen.
    pub choice: VariantChoice,
}

/// The clauses of one annex, in order.
#[derive(Debug, Clone)]
pub struct Selection<'l> {
    /// Numbered sections.
    pub sections: Vec<Section<'l>>,
    /// Topics left out, with the reason.
    pub omitted: Vec<(String, Omission)>,
    /// Non-fatal findings (e.g. an included topic without a clause).
    pub warnings: Vec<Diagnostic>,
    /// The clauses the project calls for that the library has only in the other language:
    /// the variant that would be chosen there. The annex cannot be rendered
    /// ([`Selection::untranslated_errors`]); `annex templates check` renders the rest.
    pub untranslated: Vec<&'l Clause>,
}

impl Selection<'_> {
    /// One error for each clause the project calls for that its language lacks.
    pub fn untranslated_errors(
        &self,
        library: &Library,
        project: &Project,
        source: &ProjectSource,
    ) -> Vec<Diagnostic> {
        let lang = project.annex.language;
        self.untranslated
            .iter()
            .map(|c| {
                let (id, level) = (&c.meta.id, c.meta.level);
                let (title, file, code) = (&c.meta.title, &c.file, lang.code());
                let has = &library.locale(c.meta.language).english_name;
                let level_de = level.name(Language::De);
                // The language's name in German, as the German message needs it ("auf Englisch").
                let has_de = match c.meta.language {
                    Language::De => "Deutsch",
                    Language::En => "Englisch",
                };
                source
                    .error(
                        "annex.language",
                        crate::text!(
                            en: "this project calls for clause \"{id}\" (\"{title}\", {level}), which the template library has only in {has} ({file})",
                            de: "dieses Projekt erfordert die Klausel \"{id}\" (\"{title}\", {level_de}), die die Vorlagenbibliothek nur auf {has_de} enthält ({file})",
                        ),
                    )
                    .hint(crate::text!(
                        en: "translate the clause: add clauses/{code}/{id}.{level}.md and one file for each other variant it has, with the same id, topic, level, order and when; or write this annex in {has}",
                        de: "übersetzen Sie die Klausel: legen Sie clauses/{code}/{id}.{level}.md an und je eine Datei für jede weitere Variante der Klausel, mit denselben Werten für id, topic, level, order und when; oder verfassen Sie diese Anlage auf {has_de}",
                    ))
            })
            .collect()
    }

    /// Clause id -> "§ n" (with the language's `sign`: "Clause n") for every section; a
    /// no-break space keeps the sign with its number.
    pub fn section_refs(&self, sign: &str) -> BTreeMap<String, String> {
        self.sections
            .iter()
            .map(|s| {
                (
                    s.clause.meta.id.clone(),
                    format!("{sign}\u{a0}{}", s.number),
                )
            })
            .collect()
    }
}

/// Whether every condition holds; the first one that does not, otherwise.
pub(crate) fn holds(conditions: &[Condition], project: &Project) -> Result<(), Condition> {
    match conditions
        .iter()
        .find(|c| project.fact(&c.flag) != Some(c.value))
    {
        Some(c) => Err(c.clone()),
        None => Ok(()),
    }
}

/// Errors for the topic ids of `clauses.include` and `clauses.exclude` that the catalogue does
/// not know, and for mandatory topics excluded (part of validation, see [`crate::validate`]).
pub fn check_choices(
    library: &Library,
    project: &Project,
    source: &ProjectSource,
) -> Vec<Diagnostic> {
    let catalogue = &library.catalogue;
    let choices = &project.clauses;
    let mut errors = Vec::new();
    let unknown = |path: String, id: &str| {
        let mut d = source.error(
            &path,
            crate::text!(en: "unknown topic id \"{id}\"", de: "unbekannte Themen-ID \"{id}\""),
        );
        if let Some(s) = did_you_mean(id, catalogue.ids()) {
            d = d.hint(crate::text!(en: "did you mean \"{s}\"?", de: "meinten Sie \"{s}\"?"));
        }
        d.hint(crate::text!(
            en: "`annex templates list` shows the topic ids",
            de: "`annex templates list` zeigt die Themen-IDs",
        ))
    };
    for (i, id) in choices.include.iter().enumerate() {
        if catalogue.topic(id).is_none() {
            errors.push(unknown(format!("clauses.include[{i}]"), id));
        }
    }
    for (i, ex) in choices.exclude.iter().enumerate() {
        match catalogue.topic(&ex.id) {
            None => errors.push(unknown(format!("clauses.exclude[{i}].id"), &ex.id)),
            Some(t) if t.mandatory => {
                let id = &ex.id;
                errors.push(
                    source
                        .error(
                            &format!("clauses.exclude[{i}].id"),
                            crate::text!(
                                en: "topic \"{id}\" is part of every annex and cannot be excluded",
                                de: "das Thema \"{id}\" ist Teil jeder Anlage und kann nicht ausgeschlossen werden",
                            ),
                        )
                        .hint(crate::text!(
                            en: "the subject, the protection requirements, the security-concept obligation, the service levels and the signatures are always regulated; change their text with your own templates instead",
                            de: "der Gegenstand, der Schutzbedarf, die Pflicht zum Sicherheitskonzept, die Service-Level und die Unterschriften werden immer geregelt; ändern Sie stattdessen ihren Text mit eigenen Vorlagen",
                        )),
                )
            }
            Some(_) => {}
        }
    }
    errors
}

/// Selects the clauses for a project. Unknown topic ids in `clauses` are errors.
pub fn select<'l>(
    library: &'l Library,
    project: &Project,
    source: &ProjectSource,
) -> Result<Selection<'l>, Vec<Diagnostic>> {
    let errors = check_choices(library, project, source);
    if !errors.is_empty() {
        return Err(errors);
    }
    let catalogue = &library.catalogue;
    let choices = &project.clauses;

    let lang = project.annex.language;
    let mut chosen: Vec<(&Clause, Level, Reason, VariantChoice)> = Vec::new();
    let mut omitted = Vec::new();
    let mut warnings = Vec::new();
    let mut untranslated = Vec::new();
    for topic in &catalogue.topics {
        let level = project.protection.governing(topic.governed_by);
        if let Some(ex) = choices.exclude.iter().find(|e| e.id == topic.id) {
            omitted.push((topic.id.clone(), Omission::Excluded(ex.reason.0.clone())));
            continue;
        }
        // What level and conditions alone decide.
        let natural = match holds(&topic.when, project) {
            Err(c) => Some(Omission::Condition(c)),
            Ok(()) if level < topic.from => Some(Omission::BelowLevel {
                level,
                from: topic.from,
            }),
            Ok(()) => None,
        };
        let included = choices.include.contains(&topic.id);
        let required =
            !topic.required_when.is_empty() && holds(&topic.required_when, project).is_ok();
        let forced = included || required;
        let reason = if included {
            Reason::Included {
                otherwise: natural.clone(),
            }
        } else if required {
            Reason::Required {
                conditions: topic.required_when.clone(),
                otherwise: natural.clone(),
            }
        } else if let Some(why) = natural {
            omitted.push((topic.id.clone(), why));
            continue;
        } else {
            Reason::Level
        };
        // Variants of this topic's clauses, grouped by clause id: those in the annex language,
        // and for a clause the library has in the other language only, those.
        let mut by_id: BTreeMap<&str, Vec<&Clause>> = BTreeMap::new();
        for c in library.clauses.iter().filter(|c| c.meta.topic == topic.id) {
            by_id.entry(c.meta.id.as_str()).or_default().push(c);
        }
        for variants in by_id.values_mut() {
            if variants.iter().any(|c| c.meta.language == lang) {
                variants.retain(|c| c.meta.language == lang);
            }
        }
        if by_id.is_empty() {
            if included {
                let id = &topic.id;
                warnings.push(source.warning(
                    "clauses.include",
                    crate::text!(
                        en: "topic \"{id}\" has no clause in the template library yet, so including it adds nothing",
                        de: "das Thema \"{id}\" hat noch keine Klausel in der Vorlagenbibliothek; es aufzunehmen fügt daher nichts hinzu",
                    ),
                ));
            }
            omitted.push((topic.id.clone(), Omission::NoClause));
            continue;
        }
        let before = (chosen.len(), untranslated.len());
        let mut last_condition = None;
        for variants in by_id.values() {
            let eligible: Vec<&&Clause> = variants
                .iter()
                .filter(|c| match holds(&c.meta.when, project) {
                    Ok(()) => true,
                    Err(cond) => {
                        last_condition = Some(cond);
                        forced
                    }
                })
                .collect();
            let strongest_below = eligible
                .iter()
                .filter(|c| c.meta.level <= level)
                .max_by_key(|c| c.meta.level);
            let (pick, weakest_above) = match strongest_below {
                Some(c) => (Some(c), false),
                None if forced => (eligible.iter().min_by_key(|c| c.meta.level), true),
                None => (None, false),
            };
            match pick {
                Some(c) if c.meta.language != lang => untranslated.push(**c),
                Some(c) => {
                    let mut candidates: Vec<Level> =
                        eligible.iter().map(|c| c.meta.level).collect();
                    candidates.sort();
                    chosen.push((
                        c,
                        level,
                        reason.clone(),
                        VariantChoice {
                            candidates,
                            weakest_above,
                        },
                    ));
                }
                None => {}
            }
        }
        if (chosen.len(), untranslated.len()) == before {
            let why = match last_condition {
                Some(c) => Omission::Condition(c),
                None => Omission::BelowLevel {
                    level,
                    from: by_id
                        .values()
                        .flatten()
                        .map(|c| c.meta.level)
                        .min()
                        .unwrap_or(topic.from),
                },
            };
            omitted.push((topic.id.clone(), why));
        }
    }
    chosen.sort_by(|a, b| (a.0.meta.order, &a.0.meta.id).cmp(&(b.0.meta.order, &b.0.meta.id)));
    let sections = chosen
        .into_iter()
        .enumerate()
        .map(|(i, (clause, level, reason, choice))| Section {
            number: i + 1,
            clause,
            level,
            reason,
            choice,
        })
        .collect();
    Ok(Selection {
        sections,
        omitted,
        warnings,
        untranslated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_topic_id_is_reported_in_both_languages() {
        let library = Library::builtin().unwrap();
        let mut value: serde_json::Value =
            serde_json::from_str(include_str!("../templates/examples/webhosting-normal.json"))
                .unwrap();
        value["clauses"] = serde_json::json!({ "include": ["subcontractng"] });
        let text = serde_json::to_string_pretty(&value).unwrap();
        let (project, source) =
            crate::project::from_bytes(std::path::Path::new("p.json"), text.into_bytes()).unwrap();
        let errors = check_choices(&library, &project, &source);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].message.en(),
            "clauses.include[0]: unknown topic id \"subcontractng\""
        );
        assert_eq!(
            errors[0].message.get(Language::De),
            "clauses.include[0]: unbekannte Themen-ID \"subcontractng\""
        );
        assert_eq!(errors[0].hints[0].en(), "did you mean \"subcontracting\"?");
        assert_eq!(
            errors[0].hints[0].get(Language::De),
            "meinten Sie \"subcontracting\"?"
        );
        assert_eq!(
            errors[0].hints[1].get(Language::De),
            "`annex templates list` zeigt die Themen-IDs"
        );
    }
}

//! Tracing a selection: for every topic of the catalogue, its sections or why it was left out.

use std::path::Path;

use super::{
    Explained, Explanation, FlagCheck, FrameworkTrace, Levels, SectionTrace, TopicTrace, Why,
};
use crate::document::Mode;
use crate::generator::Generator;
use crate::library::{Condition, Library};
use crate::project::{self, Language, Project, fact_names};
use crate::select::{self, Omission, Reason, Selection};

/// Loads and checks a project as `annex check` does, and traces its selection.
pub fn explain_file(generator: &Generator, path: &Path) -> Explained {
    let loaded = match generator.load(path) {
        Ok(loaded) => loaded,
        Err(failure) => {
            return Explained {
                explanation: None,
                result: Err(failure),
            };
        }
    };
    let library = generator.library();
    let (project, source) = (loaded.project.clone(), loaded.source.clone());
    match generator.prepare_loaded(loaded, Mode::Final) {
        Ok(document) => {
            let mut explanation = explain(library, &document.project, &document.selection, path);
            explanation.figures = Some(super::figures::figures(library, &document));
            Explained {
                explanation: Some(explanation),
                result: Ok(document.warnings),
            }
        }
        Err(failure) => {
            // The trace shows why a later stage failed (e.g. the coverage gate), when the
            // project is sound enough to choose clauses for.
            let mut findings = crate::diagnostic::Findings::new();
            project::check(&project, &source, &mut findings);
            let explanation = if findings.is_empty() {
                select::select(library, &project, &source)
                    .ok()
                    .map(|selection| explain(library, &project, &selection, path))
            } else {
                None
            };
            Explained {
                explanation,
                result: Err(failure),
            }
        }
    }
}

/// The trace of a selection.
pub fn explain(
    library: &Library,
    project: &Project,
    selection: &Selection<'_>,
    path: &Path,
) -> Explanation {
    let protection = &project.protection;
    let lang = project.annex.language;
    // Where each topic stands: its first section, or for a topic left out the position of its
    // clauses (any language), or else the place after its predecessor in the catalogue.
    let mut keys: Vec<((i64, String), usize, TopicTrace)> = Vec::new();
    let mut previous = (i64::MIN, String::new());
    for (index, topic) in library.catalogue.topics.iter().enumerate() {
        let level = protection.governing(topic.governed_by);
        let sections: Vec<&select::Section<'_>> = selection
            .sections
            .iter()
            .filter(|s| s.clause.meta.topic == topic.id)
            .collect();
        let key = match sections.first() {
            Some(s) => (s.clause.meta.order, s.clause.meta.id.clone()),
            None => library
                .clauses
                .iter()
                .filter(|c| c.meta.topic == topic.id)
                .map(|c| (c.meta.order, c.meta.id.clone()))
                .min()
                .unwrap_or_else(|| previous.clone()),
        };
        previous = key.clone();
        let why = match (sections.first(), omission(selection, &topic.id)) {
            (Some(first), _) => reason(&first.reason, project),
            (None, Some(o)) => left_out(o, project, lang),
            // Not reachable: select accounts for every topic.
            (None, None) => Why::NoClause {
                language: lang.code().to_owned(),
            },
        };
        let trace = TopicTrace {
            topic: topic.id.clone(),
            title: topic.title(lang).to_owned(),
            governed_by: topic.governed_by,
            level,
            from: topic.from,
            when: checks(&topic.when, project),
            required_when: checks(&topic.required_when, project),
            in_annex: !sections.is_empty(),
            why,
            sections: sections
                .iter()
                .map(|s| SectionTrace {
                    number: s.number,
                    title: s.clause.meta.title.clone(),
                    clause: s.clause.meta.id.clone(),
                    variant: s.clause.meta.level,
                    candidates: s.choice.candidates.clone(),
                    weakest_above: s.choice.weakest_above,
                    when: checks(&s.clause.meta.when, project),
                    file: s.clause.file.clone(),
                })
                .collect(),
        };
        keys.push((key, index, trace));
    }
    // Sections are numbered in (order, clause id) order, so this puts the topics in the annex
    // in section order and each topic left out where its clauses would stand.
    keys.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let topics: Vec<TopicTrace> = keys.into_iter().map(|(_, _, t)| t).collect();
    Explanation {
        file: path.display().to_string(),
        annex: project.annex.id.as_str().to_owned(),
        language: lang.code().to_owned(),
        language_name: library.locale(lang).english_name.clone(),
        protection: Levels {
            confidentiality: protection.confidentiality,
            integrity: protection.integrity,
            availability: protection.availability,
            overall: protection.overall(),
        },
        flags: fact_names()
            .map(|f| (f.to_owned(), project.fact(f).unwrap_or(false)))
            .collect(),
        frameworks: crate::regime::regimes(&library.catalogue, project)
            .iter()
            .map(|r| FrameworkTrace {
                id: r.framework.id.clone(),
                applies: r.applies(),
                conditions: r.checks.clone(),
                reason: r.reason(),
            })
            .collect(),
        sections: selection.sections.len(),
        section_sign: library.section_sign(lang).to_owned(),
        topics,
        figures: None,
    }
}

fn omission<'s>(selection: &'s Selection<'_>, topic: &str) -> Option<&'s Omission> {
    selection
        .omitted
        .iter()
        .find(|(id, _)| id == topic)
        .map(|(_, o)| o)
}

fn checks(conditions: &[Condition], project: &Project) -> Vec<FlagCheck> {
    conditions
        .iter()
        .map(|c| {
            let actual = project.fact(&c.flag).unwrap_or(false);
            FlagCheck {
                flag: c.flag.clone(),
                expected: c.value,
                actual,
                holds: actual == c.value,
            }
        })
        .collect()
}

fn reason(reason: &Reason, project: &Project) -> Why {
    // A topic in the annex never has NoClause as its alternative; the language is unused.
    let alt = |o: &Option<Omission>| {
        o.as_ref()
            .map(|o| Box::new(left_out(o, project, Language::En)))
    };
    match reason {
        Reason::Level => Why::Level,
        Reason::Included { otherwise } => Why::Included {
            otherwise: alt(otherwise),
        },
        Reason::Required {
            conditions,
            otherwise,
        } => Why::Required {
            conditions: checks(conditions, project),
            otherwise: alt(otherwise),
        },
    }
}

fn left_out(omission: &Omission, project: &Project, lang: Language) -> Why {
    match omission {
        Omission::Excluded(reason) => Why::Excluded {
            reason: reason.clone(),
        },
        Omission::BelowLevel { level, from } => Why::BelowLevel {
            level: *level,
            from: *from,
        },
        Omission::Condition(c) => Why::Condition {
            flag: c.flag.clone(),
            expected: c.value,
            actual: project.fact(&c.flag).unwrap_or(false),
        },
        Omission::NoClause => Why::NoClause {
            language: lang.code().to_owned(),
        },
    }
}

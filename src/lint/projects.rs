//! Projects made up for `annex templates check`, beyond the library's examples: one with only
//! the fields a final annex needs (every optional field absent, every list empty), the same
//! with each fact true in turn and with all of them true, and that one with each topic that a
//! clause refers to excluded in turn. A clause that uses an optional field without `{% if %}`
//! or refers to a topic a project may exclude fails on one of them, and the check reports it at
//! its line, before any real project meets it.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{Report, examples, runnable};
use crate::diagnostic::Diagnostic;
use crate::generator::Generator;
use crate::language::Localized;

use crate::library::Library;

/// One made-up project: what it is, in words, and its JSON (without protection levels and
/// language, which the caller sets).
pub struct Shape {
    /// "a project with only the required fields and `cloud` true".
    pub label: Localized,
    /// The project.
    pub value: Value,
}

/// The project with only the fields a final annex needs, every fact false.
fn minimal() -> Value {
    json!({
        "annex": {
            "id": "made-up-minimal",
            "date": "2027-01-01",
            "main_contract": "Main contract of 1 January 2027"
        },
        "client": {"name": "Client", "address": "Street 1, 10000 Town"},
        "provider": {"name": "Provider", "address": "Street 2, 20000 Town"},
        "service": {
            "description": "Operation of the system.",
            "personal_data": false,
            "shared_platform": false
        },
        "protection": {},
        "service_levels": {"compute": "Two servers", "storage_gb": 100, "staff_min": 2}
    })
}

/// A value a made-up project sets: the object (`service`, `client`), the key and the value.
type Setting = (&'static str, &'static str, Value);

/// The facts a made-up project sets, one group at a time: each group is what the fact needs
/// to be valid (a critical function needs a financial entity, personal data their subjects
/// and categories).
fn facts() -> Vec<(&'static str, Vec<Setting>)> {
    let personal = vec![
        ("service", "personal_data", json!(true)),
        ("service", "data_subjects", json!(["Employees"])),
        ("service", "data_categories", json!(["Contact data"])),
    ];
    let mut health = personal.clone();
    health.extend([
        ("service", "special_categories", json!(["health"])),
        ("service", "cloud", json!(true)),
        ("client", "health_care", json!(true)),
    ]);
    vec![
        ("personal_data", personal),
        (
            "network_coupling",
            vec![("service", "network_coupling", json!(true))],
        ),
        ("software", vec![("service", "software", json!(true))]),
        ("migration", vec![("service", "migration", json!(true))]),
        (
            "shared_platform",
            vec![("service", "shared_platform", json!(true))],
        ),
        ("cloud", vec![("service", "cloud", json!(true))]),
        (
            "financial_entity",
            vec![("client", "financial_entity", json!(true))],
        ),
        (
            "critical_function",
            vec![
                ("client", "financial_entity", json!(true)),
                ("service", "critical_function", json!(true)),
            ],
        ),
        ("public_body", vec![("client", "public_body", json!(true))]),
        ("nis2", vec![("client", "nis2", json!("essential"))]),
        (
            "nis2_digital_provider",
            vec![("client", "nis2_digital_provider", json!(true))],
        ),
        ("health_care", health),
    ]
}

/// The made-up projects for `library`.
pub fn shapes(library: &Library) -> Vec<Shape> {
    let set = |value: &mut Value, facts: &[(&str, &str, Value)]| {
        for (object, key, v) in facts {
            if let Some(o) = value.get_mut(*object).and_then(Value::as_object_mut) {
                o.insert((*key).to_owned(), v.clone());
            }
        }
    };
    let mut shapes = vec![Shape {
        label: crate::text!(
            en: "a project with only the required fields and every fact false",
            de: "ein Projekt nur mit den Pflichtfeldern, in dem jede Tatsache false ist",
        ),
        value: minimal(),
    }];
    let mut all = minimal();
    for (fact, needs) in facts() {
        let mut value = minimal();
        set(&mut value, &needs);
        set(&mut all, &needs);
        shapes.push(Shape {
            label: crate::text!(
                en: "a project with only the required fields and `{fact}` true",
                de: "ein Projekt nur mit den Pflichtfeldern, in dem `{fact}` true ist",
            ),
            value,
        });
    }
    shapes.push(Shape {
        label: crate::text!(
            en: "a project with only the required fields and every fact true",
            de: "ein Projekt nur mit den Pflichtfeldern, in dem jede Tatsache true ist",
        ),
        value: all.clone(),
    });
    for topic in referred_topics(library) {
        let mut value = all.clone();
        if let Some(object) = value.as_object_mut() {
            object.insert(
                "clauses".to_owned(),
                json!({"exclude": [{"id": topic, "reason": "agreed"}]}),
            );
        }
        shapes.push(Shape {
            label: crate::text!(
                en: "a project with only the required fields, every fact true and topic \"{topic}\" excluded",
                de: "ein Projekt nur mit den Pflichtfeldern, in dem jede Tatsache true und das Thema \"{topic}\" ausgeschlossen ist",
            ),
            value,
        });
    }
    shapes
}

/// The topics a clause refers to (`ref(id="…")`, `sections["…"]`) that a project may exclude.
fn referred_topics(library: &Library) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for clause in &library.clauses {
        for pattern in ["ref(id=\"", "sections[\""] {
            let mut rest = clause.body.as_str();
            while let Some(at) = rest.find(pattern) {
                rest = &rest[at + pattern.len()..];
                if let Some(end) = rest.find('"') {
                    ids.insert(rest[..end].to_owned());
                }
            }
        }
    }
    library
        .clauses
        .iter()
        .filter(|c| ids.contains(&c.meta.id))
        .filter_map(|c| library.catalogue.topic(&c.meta.topic))
        .filter(|t| !t.mandatory)
        .map(|t| t.id.clone())
        .collect()
}

/// Renders the made-up projects ([`shapes`]) at every level in both languages. A template
/// that failed (for the examples, `known`, or for a made-up project) is emptied before the next
/// render, so that each template's problem costs one render, however many projects would show
/// it again (a template that runs to a limit takes seconds).
pub(super) fn render(
    library: &Library,
    generator: &mut Generator,
    sound: &mut BTreeSet<String>,
    known: &[Diagnostic],
    report: &mut Report,
) {
    let failed = |errors: &[Diagnostic], sound: &mut BTreeSet<String>| {
        let mut changed = false;
        // Only errors: a warning (an empty subsection) leaves the template to be checked on.
        for d in errors.iter().filter(|d| d.is_error()) {
            if let Some(location) = &d.location {
                let file = location.file.display().to_string();
                changed |= sound.remove(&format!("{file}.md")) | sound.remove(&file);
            }
        }
        changed
    };
    if failed(known, sound) && generator.set_library(runnable(library, sound)).is_err() {
        return;
    }
    let mut reported: BTreeSet<(String, String)> = known
        .iter()
        .map(|d| (format!("{:?}", d.location), d.message.en.clone()))
        .collect();
    for shape in shapes(library) {
        let (label_en, label_de) = (&shape.label.en, &shape.label.de);
        let shown_as = crate::text!(
            en: "{label_en} (made up by the check)",
            de: "{label_de} (von der Prüfung konstruiert)",
        );
        let mut rendered_any = false;
        for (level, language) in examples::LEVELS_AND_LANGUAGES {
            let Some(variant) = examples::variant(
                generator.library(),
                generator.fonts(),
                &shown_as,
                &shape.value,
                level,
                language,
                false,
            ) else {
                continue;
            };
            rendered_any = true;
            report.variants += 1;
            let rendered = examples::render(generator, vec![variant]);
            report.renders += rendered.renders;
            let changed = failed(&rendered.errors, sound);
            // Each problem once, whichever project shows it again (a warning does not empty
            // its template, so more projects find it).
            for d in rendered.errors {
                let key = (format!("{:?}", d.location), d.message.en.clone());
                if reported.insert(key) {
                    report.diagnostics.push(d);
                }
            }
            if changed && generator.set_library(runnable(library, sound)).is_err() {
                return;
            }
        }
        report.made_up += usize::from(rendered_any);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::examples::{LEVELS_AND_LANGUAGES, variant};
    use crate::pdf::PdfEngine;

    /// No made-up project is refused by validation (that would leave its clauses unchecked
    /// without a word): each is rendered at every level in both languages.
    #[test]
    fn every_made_up_project_is_valid_at_every_level_in_both_languages() {
        let library = Library::builtin().unwrap();
        let fonts = PdfEngine::new();
        let shapes = shapes(&library);
        assert!(shapes.len() > 20, "{}", shapes.len());
        let mut made_up = 0;
        for shape in &shapes {
            for (level, language) in LEVELS_AND_LANGUAGES {
                made_up += usize::from(
                    variant(
                        &library,
                        &fonts,
                        &shape.label,
                        &shape.value,
                        level,
                        language,
                        false,
                    )
                    .is_some(),
                );
            }
        }
        assert_eq!(made_up, shapes.len() * 6);
    }
}

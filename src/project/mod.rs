//! The project description: loading, the typed model and the checks that span fields.

mod load;
mod model;
mod starter;

pub use load::{
    MAX_INPUT_BYTES, ProjectSource, from_bytes, message_language, message_language_of_file, parse,
    read_project,
};
pub use model::*;
pub use starter::{placeholders, starter};

use crate::diagnostic::Findings;

/// Most entries accepted in one list of a project (components, locations, subcontractors,
/// included and excluded topics, variables).
pub const MAX_LIST_ENTRIES: usize = 100;

/// Checks the limits and the rules that span several fields and need no template library;
/// every problem goes to `out`.
pub fn check(project: &Project, source: &ProjectSource, out: &mut Findings) {
    let lists = [
        ("service.components", project.service.components.len()),
        ("service.locations", project.service.locations.len()),
        ("service.data_subjects", project.service.data_subjects.len()),
        (
            "service.data_categories",
            project.service.data_categories.len(),
        ),
        ("subcontractors", project.subcontractors.len()),
        ("clauses.include", project.clauses.include.len()),
        ("clauses.exclude", project.clauses.exclude.len()),
        ("variables", project.variables.len()),
    ];
    for (path, len) in lists {
        if len > MAX_LIST_ENTRIES {
            out.push_with(||
                source
                    .error(
                        path,
                        format!("at most {MAX_LIST_ENTRIES} entries are accepted, found {len}"),
                    )
                    .hint("an annex lists these in full; put long inventories in a separate attachment to the contract and refer to it"),
            );
        }
    }
    if project.service.critical_function && !project.client.financial_entity {
        out.push_with(||
            source
                .error(
                    "service.critical_function",
                    "a critical or important function exists only for a financial entity, but `client.financial_entity` is false",
                )
                .hint("set `client.financial_entity` to true if the client is a financial entity under Art. 2 DORA; otherwise remove `critical_function` (DORA does not bind the client)"),
        );
    }
    if !project.service.personal_data {
        for (path, empty) in [
            (
                "service.data_subjects",
                project.service.data_subjects.is_empty(),
            ),
            (
                "service.data_categories",
                project.service.data_categories.is_empty(),
            ),
            (
                "service.special_categories",
                project.service.special_categories.is_empty(),
            ),
        ] {
            if !empty {
                out.push_with(||
                    source
                        .error(path, "is given, but `service.personal_data` is false")
                        .hint("set `service.personal_data` to true if the provider processes personal data on the client's behalf, or remove this field"),
                );
            }
        }
    }
    check_variables(&project.variables, "variables", source, out);
    let choices = &project.clauses;
    if choices.include.len() > MAX_LIST_ENTRIES || choices.exclude.len() > MAX_LIST_ENTRIES {
        // Reported above; comparing each entry with every other would cost the square.
        return;
    }
    for (i, id) in choices.include.iter().enumerate() {
        if choices.include.iter().take(i).any(|earlier| earlier == id) {
            out.push_with(|| {
                source.error(
                    &format!("clauses.include[{i}]"),
                    format!("topic \"{id}\" is included twice"),
                )
            });
        }
        if choices.exclude.iter().any(|e| &e.id == id) {
            out.push_with(|| {
                source
                    .error(
                        &format!("clauses.include[{i}]"),
                        format!("topic \"{id}\" is both included and excluded"),
                    )
                    .hint("remove it from one of the two lists")
            });
        }
    }
    for (i, ex) in choices.exclude.iter().enumerate() {
        if choices.exclude.iter().take(i).any(|e| e.id == ex.id) {
            out.push_with(|| {
                source.error(
                    &format!("clauses.exclude[{i}].id"),
                    format!("topic \"{}\" is excluded twice", ex.id),
                )
            });
        }
    }
}

/// The free values under `variables` keep the limits of every other value: texts of at most
/// [`MAX_TEXT_CHARS`] characters, lists and maps of at most [`MAX_LIST_ENTRIES`] entries, and
/// keys without control characters (a key names a template variable).
fn check_variables(
    map: &serde_json::Map<String, serde_json::Value>,
    path: &str,
    source: &ProjectSource,
    out: &mut Findings,
) {
    use serde_json::Value;
    fn value(v: &Value, path: &str, source: &ProjectSource, out: &mut Findings) {
        match v {
            Value::String(s) if s.chars().count() > MAX_TEXT_CHARS => out.push_with(|| {
                source
                    .error(
                        path,
                        format!(
                            "a text of at most {MAX_TEXT_CHARS} characters is accepted, found {}",
                            s.chars().count()
                        ),
                    )
                    .hint("put long texts in a separate attachment to the contract and refer to it")
            }),
            Value::Array(items) => {
                if items.len() > MAX_LIST_ENTRIES {
                    out.push_with(|| {
                        source.error(
                            path,
                            format!(
                                "at most {MAX_LIST_ENTRIES} entries are accepted, found {}",
                                items.len()
                            ),
                        )
                    });
                } else {
                    for (i, item) in items.iter().enumerate() {
                        value(item, &format!("{path}[{i}]"), source, out);
                    }
                }
            }
            Value::Object(map) => check_variables(map, path, source, out),
            _ => {}
        }
    }
    if path != "variables" && map.len() > MAX_LIST_ENTRIES {
        out.push_with(|| {
            source.error(
                path,
                format!(
                    "at most {MAX_LIST_ENTRIES} entries are accepted, found {}",
                    map.len()
                ),
            )
        });
        return;
    }
    for (key, v) in map {
        let inner = format!("{path}.{key}");
        // A key with a character no font has (a control character, an emoji) is refused by
        // validation with the other unprintable texts.
        if key.trim().is_empty() {
            out.push_with(||
                source
                    .error_at_missing(&inner, format!("`{path}` has an empty key"))
                    .hint("name the value with letters, digits and `_`, as a template writes it: `{{ variables.name }}`"),
            );
            continue;
        }
        value(v, &inner, source, out);
    }
}

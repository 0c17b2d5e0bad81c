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
use crate::language::Localized;

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
            out.push_with(|| {
                source
                    .error(
                        path,
                        crate::text!(
                            en: "at most {MAX_LIST_ENTRIES} entries are accepted, found {len}",
                            de: "zulässig sind höchstens {MAX_LIST_ENTRIES} Einträge, gefunden wurden {len}",
                        ),
                    )
                    .hint(crate::text!(
                        en: "an annex lists these in full; put long inventories in a separate attachment to the contract and refer to it",
                        de: "eine Anlage führt diese vollständig auf; nehmen Sie lange Verzeichnisse in ein gesondertes Dokument zum Vertrag auf und verweisen Sie darauf",
                    ))
            });
        }
    }
    if project.service.critical_function && !project.client.financial_entity {
        out.push_with(||
            source
                .error(
                    "service.critical_function",
                    crate::text!(
                        en: "a critical or important function exists only for a financial entity, but `client.financial_entity` is false",
                        de: "eine kritische oder wichtige Funktion gibt es nur bei einem Finanzunternehmen, aber `client.financial_entity` ist false",
                    ),
                )
                .hint(crate::text!(
                    en: "set `client.financial_entity` to true if the client is a financial entity under Art. 2 DORA; otherwise remove `critical_function` (DORA does not bind the client)",
                    de: "setzen Sie `client.financial_entity` auf true, wenn der Auftraggeber ein Finanzunternehmen nach Art. 2 DORA ist; andernfalls entfernen Sie `critical_function` (DORA bindet den Auftraggeber nicht)",
                )),
        );
    }
    check_register(project, source, out);
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
                        .error(
                            path,
                            crate::text!(
                                en: "is given, but `service.personal_data` is false",
                                de: "ist angegeben, aber `service.personal_data` ist false",
                            ),
                        )
                        .hint(crate::text!(
                            en: "set `service.personal_data` to true if the provider processes personal data on the client's behalf, or remove this field",
                            de: "setzen Sie `service.personal_data` auf true, wenn der Auftragnehmer personenbezogene Daten im Auftrag des Auftraggebers verarbeitet, oder entfernen Sie dieses Feld",
                        )),
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
                    crate::text!(
                        en: "topic \"{id}\" is included twice",
                        de: "Thema \"{id}\" wird zweimal hinzugenommen",
                    ),
                )
            });
        }
        if choices.exclude.iter().any(|e| &e.id == id) {
            out.push_with(|| {
                source
                    .error(
                        &format!("clauses.include[{i}]"),
                        crate::text!(
                            en: "topic \"{id}\" is both included and excluded",
                            de: "Thema \"{id}\" wird zugleich hinzugenommen und ausgeschlossen",
                        ),
                    )
                    .hint(crate::text!(
                        en: "remove it from one of the two lists",
                        de: "entfernen Sie es aus einer der beiden Listen",
                    ))
            });
        }
    }
    for (i, ex) in choices.exclude.iter().enumerate() {
        if choices.exclude.iter().take(i).any(|e| e.id == ex.id) {
            out.push_with(|| {
                let id = &ex.id;
                source.error(
                    &format!("clauses.exclude[{i}].id"),
                    crate::text!(
                        en: "topic \"{id}\" is excluded twice",
                        de: "Thema \"{id}\" wird zweimal ausgeschlossen",
                    ),
                )
            });
        }
    }
}

/// Whether `id` is a function identifier of the DORA register of information: the letter F
/// and a natural number ("F1", "F12"; Implementing Regulation (EU) 2024/2956, B_06.01 c0010).
pub fn is_function_id(id: &str) -> bool {
    id.strip_prefix('F').is_some_and(|n| {
        !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The values of the DORA register of information that are wrong whatever else the project
/// gives (a missing one is the register's own lint, [`crate::register`]): `dora` without a
/// financial entity, a function identifier not of the register's form, and values of `dora`
/// that contradict each other.
fn check_register(project: &Project, source: &ProjectSource, out: &mut Findings) {
    if let Some(id) = &project.service.function_id
        && !is_function_id(id.as_str())
    {
        out.push_with(|| {
            let id = id.as_str();
            let mut message = crate::text!(
                en: "{id:?} is not a function identifier of the DORA register of information: the letter F and a number, such as \"F1\"",
                de: "{id:?} ist keine Kennung einer Funktion im DORA-Informationsregister: der Buchstabe F und eine Zahl, etwa \"F1\"",
            );
            // "f1", "F01", "F-1", "F 1": the same identifier written another way.
            let digits: String = id
                .chars()
                .skip(1)
                .filter(|c| !matches!(c, ' ' | '-' | '_'))
                .collect();
            let number = digits.trim_start_matches('0');
            let fixed = format!("F{number}");
            if id.starts_with(['F', 'f']) && is_function_id(&fixed) {
                message.push(&crate::text!(
                    en: "; write {fixed:?}",
                    de: "; schreiben Sie {fixed:?}",
                ));
            }
            source.error("service.function_id", message).hint(crate::text!(
                en: "the register numbers the client's functions F1, F2, … (Implementing Regulation (EU) 2024/2956, template B_06.01); give the identifier the client's register has for this function",
                de: "das Register nummeriert die Funktionen des Auftraggebers als F1, F2, … (Durchführungsverordnung (EU) 2024/2956, Meldebogen B_06.01); geben Sie die Kennung an, die das Register des Auftraggebers für diese Funktion führt",
            ))
        });
    }
    let Some(dora) = &project.dora else {
        return;
    };
    if !project.client.financial_entity {
        out.push_with(|| {
            source
                .error(
                    "dora",
                    crate::text!(
                        en: "the DORA register of information is kept only by a financial entity, but `client.financial_entity` is false",
                        de: "das DORA-Informationsregister führt nur ein Finanzunternehmen, aber `client.financial_entity` ist false",
                    ),
                )
                .hint(crate::text!(
                    en: "set `client.financial_entity` to true if the client is a financial entity under Art. 2 DORA; otherwise remove `dora` (DORA does not bind the client)",
                    de: "setzen Sie `client.financial_entity` auf true, wenn der Auftraggeber ein Finanzunternehmen nach Art. 2 DORA ist; andernfalls entfernen Sie `dora` (DORA bindet den Auftraggeber nicht)",
                ))
        });
        return;
    }
    /// The JSON spelling of a value (`"standalone"`).
    fn spelled<T: serde::Serialize>(value: &T) -> String {
        serde_json::to_string(value).unwrap_or_default()
    }
    if dora.overarching_reference.is_some()
        && dora.arrangement_type != Some(ArrangementType::Subsequent)
    {
        out.push_with(|| {
            let kind = match dora.arrangement_type {
                Some(t) => {
                    let t = spelled(&t);
                    crate::text!(
                        en: "`dora.arrangement_type` is {t}",
                        de: "`dora.arrangement_type` ist {t}",
                    )
                }
                None => crate::text!(
                    en: "`dora.arrangement_type` is not given",
                    de: "`dora.arrangement_type` ist nicht angegeben",
                ),
            };
            let (kind_en, kind_de) = (&kind.en, &kind.de);
            source
                .error(
                    "dora.overarching_reference",
                    crate::text!(
                        en: "only a subsequent arrangement has an overarching one, but {kind_en}",
                        de: "nur eine nachgeordnete Vereinbarung hat eine übergeordnete, aber {kind_de}",
                    ),
                )
                .hint(crate::text!(
                    en: "set `dora.arrangement_type` to \"subsequent\" if this contract is concluded under a master agreement, or remove `overarching_reference`",
                    de: "setzen Sie `dora.arrangement_type` auf \"subsequent\", wenn dieser Vertrag unter einem Rahmenvertrag geschlossen wird, oder entfernen Sie `overarching_reference`",
                ))
        });
    }
    if let (Some(end), Some(start)) = (dora.end_date, project.service.start_date)
        && end <= start
    {
        out.push_with(|| {
            source
                .error(
                    "dora.end_date",
                    crate::text!(
                        en: "the contractual arrangement ends on {end}, not after it starts on {start} (`service.start_date`)",
                        de: "die vertragliche Vereinbarung endet am {end} und damit nicht nach ihrem Beginn am {start} (`service.start_date`)",
                    ),
                )
                .hint(crate::text!(
                    en: "give the date on which the fixed term ends, or remove `end_date` for a contract that runs until it is terminated",
                    de: "geben Sie das Datum an, an dem die feste Laufzeit endet, oder entfernen Sie `end_date` bei einem Vertrag, der bis zu seiner Kündigung läuft",
                ))
        });
    }
    if dora.storage_country.is_some() && dora.stores_data == Some(false) {
        out.push_with(|| {
            source
                .error(
                    "dora.storage_country",
                    crate::text!(
                        en: "is given, but `dora.stores_data` is false",
                        de: "ist angegeben, aber `dora.stores_data` ist false",
                    ),
                )
                .hint(crate::text!(
                    en: "set `dora.stores_data` to true if the provider stores the client's data, or remove `storage_country`",
                    de: "setzen Sie `dora.stores_data` auf true, wenn der Dienstleister Daten des Auftraggebers speichert, oder entfernen Sie `storage_country`",
                ))
        });
    }
    if let (Some(_), Some(s)) = (dora.substitutability_reason, dora.substitutability)
        && !s.needs_reason()
    {
        out.push_with(|| {
            let s = spelled(&s);
            source
                .error(
                    "dora.substitutability_reason",
                    crate::text!(
                        en: "is given, but `dora.substitutability` is {s}: the register gives a reason only for a provider that is not or hardly substitutable",
                        de: "ist angegeben, aber `dora.substitutability` ist {s}: das Register nennt einen Grund nur für einen Dienstleister, der nicht oder nur schwer ersetzbar ist",
                    ),
                )
                .hint(crate::text!(
                    en: "remove `substitutability_reason`, or correct `substitutability`",
                    de: "entfernen Sie `substitutability_reason`, oder berichtigen Sie `substitutability`",
                ))
        });
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
                let n = s.chars().count();
                source
                    .error(
                        path,
                        crate::text!(
                            en: "a text of at most {MAX_TEXT_CHARS} characters is accepted, found {n}",
                            de: "zulässig ist ein Text von höchstens {MAX_TEXT_CHARS} Zeichen, gefunden wurden {n} Zeichen",
                        ),
                    )
                    .hint(crate::text!(
                        en: "put long texts in a separate attachment to the contract and refer to it",
                        de: "nehmen Sie lange Texte in ein gesondertes Dokument zum Vertrag auf und verweisen Sie darauf",
                    ))
            }),
            Value::Array(items) => {
                if items.len() > MAX_LIST_ENTRIES {
                    out.push_with(|| {
                        let len = items.len();
                        source.error(
                            path,
                            crate::text!(
                                en: "at most {MAX_LIST_ENTRIES} entries are accepted, found {len}",
                                de: "zulässig sind höchstens {MAX_LIST_ENTRIES} Einträge, gefunden wurden {len}",
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
            let len = map.len();
            source.error(
                path,
                crate::text!(
                    en: "at most {MAX_LIST_ENTRIES} entries are accepted, found {len}",
                    de: "zulässig sind höchstens {MAX_LIST_ENTRIES} Einträge, gefunden wurden {len}",
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
            out.push_with(|| {
                source
                    .error_at_missing(
                        &inner,
                        crate::text!(
                            en: "`{path}` has an empty key",
                            de: "`{path}` hat einen leeren Schlüssel",
                        ),
                    )
                    .hint(Localized::new(
                        "name the value with letters, digits and `_`, as a template writes it: `{{ variables.name }}`",
                        "benennen Sie den Wert mit Buchstaben, Ziffern und `_`, so wie eine Vorlage ihn schreibt: `{{ variables.name }}`",
                    ))
            });
            continue;
        }
        value(v, &inner, source, out);
    }
}

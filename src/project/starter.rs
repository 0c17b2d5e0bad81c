//! `annex init`: a starter project with every required field and the common optional ones,
//! each filled with a placeholder ("AUSFÜLLEN: …", "FILL IN: …") that `check` and `render`
//! report, at its line, until it is replaced.

use serde_json::Value;

use super::{Language, ProjectSource};
use crate::diagnostic::{Diagnostic, MAX_PER_FILE};

/// How a placeholder of a starter project begins, in either language.
const MARKERS: [&str; 2] = ["AUSFÜLLEN:", "FILL IN:"];

/// The text of a starter project in `lang`.
pub fn starter(lang: Language) -> String {
    let f = |de: &str, en: &str| -> Node {
        Node::Text(match lang {
            Language::De => format!("AUSFÜLLEN: {de}"),
            Language::En => format!("FILL IN: {en}"),
        })
    };
    let project = Node::Object(vec![
        (
            "annex",
            Node::Object(vec![
                (
                    "id",
                    f(
                        "Kennung der Anlage, z. B. stadt-musterstadt-rechenzentrum-2027 (Kleinbuchstaben, Ziffern, Bindestriche; benennt die Ausgabedateien)",
                        "identifier of the annex, e.g. city-data-centre-2027 (lower case, digits, hyphens; names the output files)",
                    ),
                ),
                (
                    "date",
                    f(
                        "Datum der Anlage als JJJJ-MM-TT, z. B. 2027-01-15",
                        "date of the annex as YYYY-MM-DD, e.g. 2027-01-15",
                    ),
                ),
                (
                    "main_contract",
                    f(
                        "der Vertrag, zu dem die Anlage gehört, z. B. Vertrag über den Betrieb des Rechenzentrums vom 15. Januar 2027 (Az. 10-2027/1)",
                        "the contract this annex belongs to, e.g. Data centre operation agreement of 15 January 2027 (ref. 10-2027/1)",
                    ),
                ),
                ("language", Node::Text(lang.code().to_owned())),
                (
                    "number",
                    f(
                        "Nummer der Anlage im Vertrag, z. B. 4",
                        "number of the annex in the contract, e.g. 4",
                    ),
                ),
            ]),
        ),
        (
            "client",
            Node::Object(vec![
                ("name", f("Name des Auftraggebers", "name of the client")),
                (
                    "address",
                    f("Anschrift des Auftraggebers", "address of the client"),
                ),
                (
                    "representative",
                    f(
                        "wer für den Auftraggeber unterschreibt, z. B. Dr. Maria Beispiel, Amtsleiterin",
                        "who signs for the client, e.g. Dr Maria Example, Head of Office",
                    ),
                ),
                (
                    "public_body",
                    f(
                        "true oder false ohne Anführungszeichen: true, wenn der Auftraggeber eine Behörde oder öffentliche Stelle ist, sonst false",
                        "true or false without quotes: true if the client is a public authority or body, else false",
                    ),
                ),
                (
                    "financial_entity",
                    f(
                        "true oder false ohne Anführungszeichen: true, wenn der Auftraggeber ein Finanzunternehmen nach Art. 2 DORA ist, sonst false",
                        "true or false without quotes: true if the client is a financial entity under Art. 2 DORA, else false",
                    ),
                ),
                (
                    "nis2",
                    f(
                        "\"essential\" oder \"important\", wenn der Auftraggeber eine besonders wichtige oder wichtige Einrichtung nach NIS2/BSIG ist, sonst \"none\"",
                        "\"essential\" or \"important\" if the client is an essential or important entity under NIS2, else \"none\"",
                    ),
                ),
            ]),
        ),
        (
            "provider",
            Node::Object(vec![
                ("name", f("Name des Auftragnehmers", "name of the provider")),
                (
                    "address",
                    f("Anschrift des Auftragnehmers", "address of the provider"),
                ),
                (
                    "representative",
                    f(
                        "wer für den Auftragnehmer unterschreibt",
                        "who signs for the provider",
                    ),
                ),
            ]),
        ),
        (
            "service",
            Node::Object(vec![
                (
                    "description",
                    f(
                        "was der Auftragnehmer leistet, in einem oder wenigen Sätzen",
                        "what the provider does, in one or a few sentences",
                    ),
                ),
                (
                    "components",
                    Node::List(vec![f(
                        "ein System, eine Anwendung oder Schnittstelle im Leistungsumfang (je Eintrag eines)",
                        "a system, application or interface in scope (one per entry)",
                    )]),
                ),
                (
                    "locations",
                    Node::List(vec![f(
                        "ein Standort, an dem Leistungen erbracht und Daten gespeichert werden, z. B. Frankfurt am Main (DE)",
                        "a site where the service is delivered and data are stored, e.g. Frankfurt am Main (DE)",
                    )]),
                ),
                (
                    "personal_data",
                    f(
                        "true oder false ohne Anführungszeichen: true, wenn der Auftragnehmer personenbezogene Daten im Auftrag verarbeitet, sonst false",
                        "true or false without quotes: true if the provider processes personal data on the client's behalf, else false",
                    ),
                ),
                (
                    "data_subjects",
                    Node::List(vec![f(
                        "Kategorie betroffener Personen, z. B. Beschäftigte (nur mit personal_data = true; sonst das Feld löschen)",
                        "category of data subjects, e.g. employees (only with personal_data = true; else delete the field)",
                    )]),
                ),
                (
                    "data_categories",
                    Node::List(vec![f(
                        "Art personenbezogener Daten, z. B. Stammdaten (nur mit personal_data = true; sonst das Feld löschen)",
                        "type of personal data, e.g. master data (only with personal_data = true; else delete the field)",
                    )]),
                ),
                (
                    "cloud",
                    f(
                        "true oder false ohne Anführungszeichen: true, wenn die Leistung ein Cloud- oder Datenverarbeitungsdienst ist, sonst false",
                        "true or false without quotes: true if the service is a cloud or data processing service, else false",
                    ),
                ),
            ]),
        ),
        (
            "protection",
            Node::Object(vec![
                (
                    "confidentiality",
                    f(
                        "Schutzbedarf Vertraulichkeit: normal, hoch oder sehr hoch",
                        "protection requirement for confidentiality: normal, high or very high",
                    ),
                ),
                (
                    "integrity",
                    f(
                        "Schutzbedarf Integrität: normal, hoch oder sehr hoch",
                        "protection requirement for integrity: normal, high or very high",
                    ),
                ),
                (
                    "availability",
                    f(
                        "Schutzbedarf Verfügbarkeit: normal, hoch oder sehr hoch",
                        "protection requirement for availability: normal, high or very high",
                    ),
                ),
                (
                    "rationale",
                    f(
                        "warum dieser Schutzbedarf, z. B. nach der Schutzbedarfsfeststellung vom …",
                        "why these categories, e.g. by the protection requirements assessment of …",
                    ),
                ),
            ]),
        ),
        (
            "service_levels",
            Node::Object(vec![
                (
                    "compute",
                    f(
                        "vereinbarte Rechenkapazität, z. B. zwei virtuelle Server mit je 4 vCPU und 16 GB Arbeitsspeicher",
                        "agreed computing capacity, e.g. two virtual servers with 4 vCPU and 16 GB memory each",
                    ),
                ),
                (
                    "storage_gb",
                    f(
                        "vereinbarter Speicherplatz in GB, als Zahl ohne Anführungszeichen und Einheit, z. B. 500",
                        "agreed storage in GB, as a number without quotes or unit, e.g. 500",
                    ),
                ),
                (
                    "staff_min",
                    f(
                        "Mindestzahl namentlich benannter, qualifizierter Beschäftigter, als Zahl ohne Anführungszeichen, z. B. 3",
                        "minimum number of qualified named staff, as a number without quotes, e.g. 3",
                    ),
                ),
            ]),
        ),
    ]);
    let mut text = String::new();
    project.write(&mut text, 0);
    text.push('\n');
    text
}

/// A JSON value whose members keep the order they are written in (serde_json's map sorts
/// them): a starter reads top down like the format's reference.
enum Node {
    Text(String),
    List(Vec<Node>),
    Object(Vec<(&'static str, Node)>),
}

impl Node {
    /// Writes the value as JSON indented by two spaces a level, starting at `depth`.
    fn write(&self, out: &mut String, depth: usize) {
        let indent = |n: usize| "  ".repeat(n);
        match self {
            Node::Text(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
            Node::List(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    out.push_str(&indent(depth + 1));
                    item.write(out, depth + 1);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                out.push_str(&indent(depth));
                out.push(']');
            }
            Node::Object(members) => {
                out.push_str("{\n");
                for (i, (key, value)) in members.iter().enumerate() {
                    out.push_str(&format!("{}\"{key}\": ", indent(depth + 1)));
                    value.write(out, depth + 1);
                    out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
                }
                out.push_str(&indent(depth));
                out.push('}');
            }
        }
    }
}

/// An error for each value of `source` that is still a placeholder of a starter project, in
/// the order of the file; at most [`MAX_PER_FILE`].
pub fn placeholders(source: &ProjectSource) -> Vec<Diagnostic> {
    // Every project of a batch comes here: most have no placeholder and are not parsed again.
    if !MARKERS.iter().any(|m| source.text.contains(m)) {
        return Vec::new();
    }
    let Ok(value) = serde_json::from_str::<Value>(&source.text) else {
        return Vec::new();
    };
    let found = crate::json_text::strings(&value)
        .into_iter()
        .filter_map(|(path, s)| {
            let rest = MARKERS
                .iter()
                .find_map(|m| s.trim_start().strip_prefix(m))?;
            Some((path, rest.trim().to_owned()))
        });
    let mut errors: Vec<Diagnostic> = found
        .into_iter()
        .take(MAX_PER_FILE)
        .map(|(path, what)| {
            source
                .error(
                    &path,
                    crate::text!(
                        en: "still the placeholder of `annex init`",
                        de: "noch der Platzhalter von `annex init`",
                    ),
                )
                .hint(crate::text!(
                    en: "replace it: {what}",
                    de: "ersetzen Sie ihn: {what}",
                ))
        })
        .collect();
    errors.sort_by_key(|d| d.location.as_ref().map(|l| (l.line, l.column)));
    if let Some(first) = errors.first_mut() {
        *first = first.clone().hint(crate::text!(
            en: "the fields are described by `annex schema --markdown`; delete an optional field that does not apply",
            de: "die Felder beschreibt `annex schema --markdown`; löschen Sie ein optionales Feld, das nicht zutrifft",
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_of_a_starter_is_a_placeholder_or_a_choice() {
        for lang in [Language::De, Language::En] {
            let text = starter(lang);
            let source = ProjectSource::new("project.json", text.clone());
            let found = placeholders(&source);
            // All but the language are placeholders.
            assert_eq!(found.len(), 27, "{found:#?}");
            assert!(
                found[0].to_string().starts_with(
                    "project.json:3:11: error: annex.id: still the placeholder of `annex init`"
                ),
                "{}",
                found[0]
            );
            let german = found[0].display(Language::De).to_string();
            assert!(
                german.starts_with(
                    "project.json:3:11: Fehler: annex.id: noch der Platzhalter von `annex init`"
                ),
                "{german}"
            );
            assert!(
                german.ends_with("\n  Hinweis: die Felder beschreibt `annex schema --markdown`; löschen Sie ein optionales Feld, das nicht zutrifft"),
                "{german}"
            );
        }
    }
}

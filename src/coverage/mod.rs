//! The coverage matrix: for every framework that binds the project (see [`crate::regime`]) and
//! every requirement item of it that applies, the sections of the annex that regulate it, and
//! whether the values the item needs are in the annex.
//!
//! An item is `covered` when a section regulates it and every value it needs is there;
//! `excluded` when every topic that would regulate it was left out by agreement; `open`
//! otherwise. A final annex with an open item is refused (one located error per item); a draft
//! lists the open items in a box on its first page.

mod csv;

use serde::Serialize;
use serde_json::{Value, json};

use crate::diagnostic::Diagnostic;
use crate::language::Localized;
use crate::library::{Catalogue, Item};
use crate::project::{Language, Project, ProjectSource};
use crate::regime::{Regime, regimes};
use crate::select::{Omission, Selection};

/// How an applicable item is dealt with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Status {
    /// Regulated in these sections ("§ 3"), with every value it needs.
    Covered {
        /// The sections, in annex order.
        sections: Vec<String>,
    },
    /// Every topic that would regulate it was left out by agreement.
    Excluded {
        /// The reasons given in the project.
        reasons: Vec<String>,
    },
    /// It applies, but no section regulates it or a value it needs is missing.
    Open {
        /// The sections that regulate it (empty when none does).
        sections: Vec<String>,
        /// Why each topic that would regulate it is not in the annex (when none is).
        topics: Vec<String>,
    },
}

/// One value an item needs, and whether the annex has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Need {
    /// The path of the value, as templates use it (`service.data_subjects`).
    pub field: String,
    /// Whether the annex has it (a list counts only when it is not empty).
    pub met: bool,
}

/// One row of the coverage matrix.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Item id.
    pub id: String,
    /// The framework's id (`dora`, `ncd`, …).
    pub framework_id: String,
    /// Citation in the annex language.
    pub label: String,
    /// Title in the annex language.
    pub title: String,
    /// The catalogue topics that regulate it.
    pub topics: Vec<String>,
    /// The values it needs, with their state.
    pub needs: Vec<Need>,
    /// Covered, excluded or open.
    #[serde(flatten)]
    pub status: Status,
    /// The row's texts in both languages, for messages (printed in the language of the run,
    /// which need not be the annex language).
    #[serde(skip)]
    pub words: RowWords,
}

/// The label, title and left-out topics of a [`Row`] in both languages.
#[derive(Debug, Clone)]
pub struct RowWords {
    /// The citation.
    pub label: Localized,
    /// The title.
    pub title: Localized,
    /// The `topics` of an open item that no section regulates: each topic with why it is not
    /// in the annex (the English is what `Status::Open` holds).
    pub topics: Vec<Localized>,
}

impl Row {
    /// The values it needs and the project does not give.
    pub fn missing(&self) -> Vec<&str> {
        self.needs
            .iter()
            .filter(|n| !n.met)
            .map(|n| n.field.as_str())
            .collect()
    }
}

/// A framework that binds the project, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Applicable {
    /// The framework id.
    pub id: String,
    /// Its name in the annex language.
    pub name: String,
    /// Why it applies, in the annex language.
    pub basis: String,
    /// The facts that make it apply ("always" when it has no conditions).
    pub reason: String,
}

/// The coverage matrix of one annex.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// The annex id.
    pub annex: String,
    /// The frameworks that apply, in catalogue order.
    pub frameworks: Vec<Applicable>,
    /// Rows of the items that apply, in catalogue order (grouped by framework).
    pub items: Vec<Row>,
}

impl Coverage {
    /// Counts: (covered, excluded, open).
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |f: fn(&Status) -> bool| self.items.iter().filter(|r| f(&r.status)).count();
        (
            count(|s| matches!(s, Status::Covered { .. })),
            count(|s| matches!(s, Status::Excluded { .. })),
            count(|s| matches!(s, Status::Open { .. })),
        )
    }

    /// The open items.
    pub fn open(&self) -> impl Iterator<Item = &Row> {
        self.items
            .iter()
            .filter(|r| matches!(r.status, Status::Open { .. }))
    }

    /// One error per open item, located at the project value it lacks (or at the project file
    /// when no section regulates it).
    pub fn gate(&self, source: &ProjectSource) -> Vec<Diagnostic> {
        self.open()
            .filter_map(|row| {
                let Status::Open { sections, topics } = &row.status else {
                    return None;
                };
                let missing = row.missing();
                let (label_en, label_de) = (&row.words.label.en, &row.words.label.de);
                let (title_en, title_de) = (&row.words.title.en, &row.words.title.de);
                let d = if sections.is_empty() {
                    // The English of the reasons is the data of the row itself.
                    let topics_en = topics.join("; ");
                    let topics_de = row
                        .words
                        .topics
                        .iter()
                        .map(|t| t.de.as_str())
                        .collect::<Vec<_>>()
                        .join("; ");
                    Diagnostic::error(
                        Some(crate::diagnostic::Location::file(&source.path)),
                        crate::text!(
                            en: "{label_en} ({title_en}) applies to this project, but no section of the annex regulates it",
                            de: "{label_de} ({title_de}) gilt für dieses Projekt, aber kein Abschnitt der Anlage regelt diese Anforderung",
                        ),
                    )
                    .hint(crate::text!(
                        en: "it is regulated by the topic(s): {topics_en}",
                        de: "die Anforderung wird durch folgende Themen geregelt: {topics_de}",
                    ))
                    .hint(crate::text!(
                        en: "include one of them in `clauses.include`, or exclude it in `clauses.exclude` with the reason the parties agreed",
                        de: "nehmen Sie eines davon in `clauses.include` auf, oder schließen Sie die Themen in `clauses.exclude` mit dem Grund aus, auf den sich die Parteien geeinigt haben",
                    ))
                } else {
                    let first = missing.first().copied().unwrap_or_default();
                    let fields: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
                    let (count, fields) = (fields.len(), fields.join(", "));
                    let state = if count == 1 {
                        crate::text!(
                            en: "the annex must state this value to meet this requirement",
                            de: "die Anlage muss diesen Wert angeben, um diese Anforderung zu erfüllen",
                        )
                    } else {
                        crate::text!(
                            en: "the annex must state these values to meet this requirement",
                            de: "die Anlage muss diese Werte angeben, um diese Anforderung zu erfüllen",
                        )
                    };
                    let (state_en, state_de) = (&state.en, &state.de);
                    source
                        .error_at_missing(
                            first,
                            crate::text!(
                                en: "{label_en} ({title_en}) applies to this project, but the project does not give {fields}",
                                de: "{label_de} ({title_de}) gilt für dieses Projekt, aber das Projekt gibt {fields} nicht an",
                            ),
                        )
                        .hint(crate::text!(
                            en: "{state_en}; the fields are described in docs/project-format.md",
                            de: "{state_de}; die Felder sind in docs/project-format.md beschrieben",
                        ))
                        .hint(crate::text!(
                            en: "render with `--draft` to see the annex with placeholders and a list of the open points",
                            de: "erstellen Sie die Anlage mit `--draft`, um sie mit Platzhaltern und einer Liste der offenen Punkte zu sehen",
                        ))
                };
                Some(d)
            })
            .collect()
    }

    /// The open items as a draft's first page lists them: label, title and the missing values.
    pub fn open_points(&self) -> Value {
        let points: Vec<Value> = self
            .open()
            .map(|row| {
                json!({
                    "label": row.label,
                    "title": row.title,
                    "missing": row.missing(),
                })
            })
            .collect();
        Value::Array(points)
    }

    /// The matrix as the appendix template sees it (`coverage`): the frameworks in order, each
    /// with its rows; `crosswalk` marks a framework that maps topics to criteria (C5) rather
    /// than requirements of the contract.
    pub fn appendix(&self) -> Value {
        let frameworks: Vec<Value> = self
            .frameworks
            .iter()
            .map(|f| {
                let rows: Vec<&Row> = self
                    .items
                    .iter()
                    .filter(|r| r.framework_id == f.id)
                    .collect();
                json!({
                    "id": f.id,
                    "name": f.name,
                    "basis": f.basis,
                    "crosswalk": f.id.starts_with("c5"),
                    "items": rows,
                })
            })
            .collect();
        let open: Vec<&Row> = self.open().collect();
        json!({ "frameworks": frameworks, "open": open })
    }
}

/// Whether the template context has a value at a dotted path (a list or text only when it is
/// not empty).
fn present(context: &Value, path: &str) -> bool {
    let mut v = context;
    for part in path.split('.') {
        match v.get(part) {
            Some(next) => v = next,
            None => return false,
        }
    }
    match v {
        Value::Null => false,
        Value::Array(a) => !a.is_empty(),
        Value::String(s) => !s.trim().is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    }
}

/// The level that decides whether an item applies: the highest level that governs a topic
/// regulating it (as the clauses themselves are chosen).
fn item_level(catalogue: &Catalogue, item: &Item, project: &Project) -> crate::level::Level {
    catalogue
        .covering(item)
        .map(|t| project.protection.governing(t.governed_by))
        .max()
        .unwrap_or_else(|| project.protection.overall())
}

/// Computes the matrix for a selection. `context` is the template context of the annex
/// ([`crate::render::context::base`]): an item's needs are looked up in it.
pub fn check(
    catalogue: &Catalogue,
    project: &Project,
    selection: &Selection<'_>,
    context: &Value,
) -> Coverage {
    let lang = project.annex.language;
    let applying: Vec<Regime<'_>> = regimes(catalogue, project)
        .into_iter()
        .filter(Regime::applies)
        .collect();
    let mut items = Vec::new();
    for item in &catalogue.items {
        if !applying.iter().any(|r| r.framework.id == item.framework)
            || crate::select::holds(&item.when, project).is_err()
            || item_level(catalogue, item, project) < item.from
        {
            continue;
        }
        items.push(row(item, selection, context, lang));
    }
    Coverage {
        annex: project.annex.id.to_string(),
        frameworks: applying
            .iter()
            .map(|r| Applicable {
                id: r.framework.id.clone(),
                name: r.framework.name.get(lang).to_owned(),
                basis: r.framework.basis.get(lang).to_owned(),
                reason: r.reason(),
            })
            .collect(),
        items,
    }
}

fn row(item: &Item, selection: &Selection<'_>, context: &Value, lang: Language) -> Row {
    let sections: Vec<String> = selection
        .sections
        .iter()
        .filter(|s| item.topics.contains(&s.clause.meta.topic))
        .map(|s| {
            // As the annex itself names the section ("§ 3", "Clause 3").
            context
                .get("sections")
                .and_then(|m| m.get(&s.clause.meta.id))
                .and_then(Value::as_str)
                .map_or_else(|| format!("§ {}", s.number), str::to_owned)
        })
        .collect();
    let omissions: Vec<(&str, &Omission)> = item
        .topics
        .iter()
        .filter_map(|t| {
            selection
                .omitted
                .iter()
                .find(|(id, _)| id == t)
                .map(|(id, o)| (id.as_str(), o))
        })
        .collect();
    let needs: Vec<Need> = item
        .needs
        .iter()
        .map(|field| Need {
            field: field.clone(),
            met: present(context, field),
        })
        .collect();
    // Why each topic that would regulate an open item is not in the annex (when none is).
    let mut topics: Vec<Localized> = Vec::new();
    let status = if !sections.is_empty() && needs.iter().all(|n| n.met) {
        Status::Covered { sections }
    } else if sections.is_empty()
        && !omissions.is_empty()
        && omissions
            .iter()
            .all(|(_, o)| matches!(o, Omission::Excluded(_)))
    {
        let mut reasons: Vec<String> = omissions
            .iter()
            .filter_map(|(_, o)| match o {
                Omission::Excluded(r) => Some(r.clone()),
                _ => None,
            })
            .collect();
        reasons.dedup();
        Status::Excluded { reasons }
    } else {
        if sections.is_empty() {
            topics = omissions
                .iter()
                .map(|(t, o)| {
                    let why = describe(o);
                    Localized::each(|lang| format!("\"{t}\" ({})", why.get(lang)))
                })
                .collect();
        }
        Status::Open {
            topics: topics.iter().map(|t| t.en.clone()).collect(),
            sections,
        }
    };
    Row {
        id: item.id.clone(),
        framework_id: item.framework.clone(),
        label: item.label.get(lang).to_string(),
        title: item.title.get(lang).to_string(),
        topics: item.topics.clone(),
        needs,
        status,
        words: RowWords {
            label: item.label.clone(),
            title: item.title.clone(),
            topics,
        },
    }
}

/// Why a topic is not in the annex, in words.
pub fn describe(o: &Omission) -> Localized {
    match o {
        Omission::Excluded(reason) => {
            crate::text!(en: "excluded: {reason}", de: "ausgeschlossen: {reason}")
        }
        Omission::BelowLevel { level, from } => {
            let (level_de, from_de) = (level.name(Language::De), from.name(Language::De));
            crate::text!(
                en: "its level is {level}, the topic starts at {from}",
                de: "der maßgebliche Schutzbedarf ist {level_de}, das Thema gilt erst ab {from_de}",
            )
        }
        Omission::Condition(c) => {
            let field = crate::project::fact_source(&c.flag);
            let state = fact_state(&c.flag, !c.value);
            Localized::each(|lang| format!("`{field}` {}", state.get(lang)))
        }
        Omission::NoClause => crate::text!(
            en: "the template library has no clause for it",
            de: "die Vorlagenbibliothek hat keine Klausel dafür",
        ),
    }
}

/// How a fact's value reads in a message: `service.cloud` "is false"; `client.nis2` "is
/// "none"" rather than false.
fn fact_state(fact: &str, value: bool) -> Localized {
    match (fact, value) {
        ("nis2_entity", false) => crate::text!(en: "is \"none\"", de: "ist \"none\""),
        ("nis2_entity", true) => crate::text!(
            en: "is \"essential\" or \"important\"",
            de: "ist \"essential\" oder \"important\"",
        ),
        ("health_data", false) => {
            crate::text!(en: "is without \"health\"", de: "enthält \"health\" nicht")
        }
        ("health_data", true) => crate::text!(en: "is with \"health\"", de: "enthält \"health\""),
        ("subcontracting_permitted", false) => crate::text!(
            en: "is excluding \"subcontracting\"",
            de: "schließt \"subcontracting\" aus",
        ),
        ("subcontracting_permitted", true) => crate::text!(
            en: "is not excluding \"subcontracting\"",
            de: "schließt \"subcontracting\" nicht aus",
        ),
        (_, true) => crate::text!(en: "is true", de: "ist true"),
        (_, false) => crate::text!(en: "is false", de: "ist false"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::Level;
    use crate::library::Condition;

    #[test]
    fn reasons_read_in_both_languages() {
        let below = describe(&Omission::BelowLevel {
            level: Level::High,
            from: Level::VeryHigh,
        });
        assert_eq!(
            below.en(),
            "its level is high, the topic starts at very_high"
        );
        assert_eq!(
            below.get(Language::De),
            "der maßgebliche Schutzbedarf ist hoch, das Thema gilt erst ab sehr hoch"
        );
        let condition = describe(&Omission::Condition(Condition {
            flag: "subcontracting_permitted".to_owned(),
            value: true,
        }));
        assert_eq!(
            condition.en(),
            "`clauses.exclude` is excluding \"subcontracting\""
        );
        assert_eq!(
            condition.get(Language::De),
            "`clauses.exclude` schließt \"subcontracting\" aus"
        );
    }

    #[test]
    fn the_gate_names_the_requirement_in_the_language_of_the_message() {
        let why = describe(&Omission::NoClause);
        let topic = Localized::each(|lang| format!("\"exit\" ({})", why.get(lang)));
        let row = Row {
            id: "dora-exit".to_owned(),
            framework_id: "dora".to_owned(),
            label: "Art. 30(3)(f) DORA".to_owned(),
            title: "exit strategies".to_owned(),
            topics: vec!["exit".to_owned()],
            needs: Vec::new(),
            status: Status::Open {
                sections: Vec::new(),
                topics: vec![topic.en().to_owned()],
            },
            words: RowWords {
                label: crate::text!(en: "Art. 30(3)(f) DORA", de: "Art. 30 Abs. 3 Buchst. f DORA"),
                title: crate::text!(en: "exit strategies", de: "Ausstiegsstrategien"),
                topics: vec![topic],
            },
        };
        let coverage = Coverage {
            annex: "a".to_owned(),
            frameworks: Vec::new(),
            items: vec![row],
        };
        let errors = coverage.gate(&ProjectSource::new("p.json", "{}"));
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].message.en(),
            "Art. 30(3)(f) DORA (exit strategies) applies to this project, but no section of the annex regulates it"
        );
        assert_eq!(
            errors[0].display(Language::De).to_string().lines().next(),
            Some(
                "p.json: Fehler: Art. 30 Abs. 3 Buchst. f DORA (Ausstiegsstrategien) gilt für dieses Projekt, aber kein Abschnitt der Anlage regelt diese Anforderung"
            )
        );
        assert_eq!(
            errors[0].hints[0].en(),
            "it is regulated by the topic(s): \"exit\" (the template library has no clause for it)"
        );
        assert_eq!(
            errors[0].hints[0].get(Language::De),
            "die Anforderung wird durch folgende Themen geregelt: \"exit\" (die Vorlagenbibliothek hat keine Klausel dafür)"
        );
    }
}

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
                let d = if sections.is_empty() {
                    Diagnostic::error(
                        Some(crate::diagnostic::Location::file(&source.path)),
                        format!(
                            "{} ({}) applies to this project, but no section of the annex regulates it",
                            row.label, row.title
                        ),
                    )
                    .hint(format!("it is regulated by the topic(s): {}", topics.join("; ")))
                    .hint("include one of them in `clauses.include`, or exclude it in `clauses.exclude` with the reason the parties agreed")
                } else {
                    let first = missing.first().copied().unwrap_or_default();
                    let fields: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
                    source
                        .error_at_missing(
                            first,
                            format!(
                                "{} ({}) applies to this project, but the project does not give {}",
                                row.label,
                                row.title,
                                fields.join(", ")
                            ),
                        )
                        .hint(format!("the annex must state {} to meet this requirement; the fields are described in docs/project-format.md", if fields.len() == 1 { "this value" } else { "these values" }))
                        .hint("render with `--draft` to see the annex with placeholders and a list of the open points")
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
        Status::Open {
            topics: if sections.is_empty() {
                omissions
                    .iter()
                    .map(|(t, o)| format!("\"{t}\" ({})", describe(o)))
                    .collect()
            } else {
                Vec::new()
            },
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
    }
}

/// Why a topic is not in the annex, in words.
pub fn describe(o: &Omission) -> String {
    match o {
        Omission::Excluded(reason) => format!("excluded: {reason}"),
        Omission::BelowLevel { level, from } => {
            format!("its level is {level}, the topic starts at {from}")
        }
        Omission::Condition(c) => format!(
            "`{}` is {}",
            crate::project::fact_source(&c.flag),
            fact_value(&c.flag, !c.value)
        ),
        Omission::NoClause => "the template library has no clause for it".to_string(),
    }
}

/// How a fact's value reads in a message: `service.cloud` is "false"; `client.nis2` is
/// "none" rather than false.
fn fact_value(fact: &str, value: bool) -> &'static str {
    match (fact, value) {
        ("nis2_entity", false) => "\"none\"",
        ("nis2_entity", true) => "\"essential\" or \"important\"",
        ("health_data", false) => "without \"health\"",
        ("health_data", true) => "with \"health\"",
        ("subcontracting_permitted", false) => "excluding \"subcontracting\"",
        ("subcontracting_permitted", true) => "not excluding \"subcontracting\"",
        (_, true) => "true",
        (_, false) => "false",
    }
}

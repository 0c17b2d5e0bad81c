//! The coverage check: which sections of an annex regulate each regulation item that applies to
//! the project (M 2.253, OPS.2.3, DORA Art. 30, GDPR Art. 28), and which items nothing covers.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::library::Catalogue;
use crate::project::{Project, ProjectSource};
use crate::select::{Omission, Selection};

/// How an applicable item is dealt with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Status {
    /// Regulated in these sections ("§ 3").
    Covered {
        /// The sections, in annex order.
        sections: Vec<String>,
    },
    /// Every covering topic was left out by agreement.
    Excluded {
        /// The reasons given in the project.
        reasons: Vec<String>,
    },
    /// Nothing in the annex covers it.
    Missing {
        /// Why each covering topic is not in the annex.
        topics: Vec<String>,
    },
}

/// One row of the coverage matrix.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Item id.
    pub id: String,
    /// Regulation.
    pub framework: String,
    /// Citation in the annex language.
    pub label: String,
    /// Title in the annex language.
    pub title: String,
    /// The catalogue topics that cover it.
    pub topics: Vec<String>,
    /// Covered, excluded or missing.
    #[serde(flatten)]
    pub status: Status,
}

/// The coverage matrix of one annex.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// The annex id.
    pub annex: String,
    /// Rows of the items that apply, in catalogue order.
    pub items: Vec<Row>,
}

impl Coverage {
    /// Counts: (covered, excluded, missing).
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |f: fn(&Status) -> bool| self.items.iter().filter(|r| f(&r.status)).count();
        (
            count(|s| matches!(s, Status::Covered { .. })),
            count(|s| matches!(s, Status::Excluded { .. })),
            count(|s| matches!(s, Status::Missing { .. })),
        )
    }

    /// One error per item that nothing covers.
    pub fn gate(&self, source: &ProjectSource) -> Vec<Diagnostic> {
        self.items
            .iter()
            .filter_map(|row| match &row.status {
                Status::Missing { topics } => Some(
                    Diagnostic::error(
                        Some(crate::diagnostic::Location::file(&source.path)),
                        format!(
                            "{} ({}) applies to this project, but no section of the annex regulates it",
                            row.label, row.title
                        ),
                    )
                    .hint(format!("it is regulated by the topic(s): {}", topics.join("; ")))
                    .hint("include one of them in `clauses.include`, or exclude it in `clauses.exclude` with the reason the parties agreed"),
                ),
                _ => None,
            })
            .collect()
    }
}

/// Computes the matrix for a selection.
pub fn check(catalogue: &Catalogue, project: &Project, selection: &Selection<'_>) -> Coverage {
    let lang = project.annex.language;
    let mut items = Vec::new();
    for item in catalogue
        .items
        .iter()
        .filter(|i| crate::select::holds(&i.when, &project.service).is_ok())
    {
        // An item that applies from a higher level (an H requirement of OPS.2.3) is judged by the
        // basic value that governs the topics regulating it, as the clauses themselves are.
        let level = catalogue
            .covering(&item.id)
            .map(|t| crate::select::governing_level(t.governed_by, &project.protection))
            .max()
            .unwrap_or_else(|| project.protection.overall());
        if level < item.from {
            continue;
        }
        let topics: Vec<&str> = catalogue
            .covering(&item.id)
            .map(|t| t.id.as_str())
            .collect();
        let sections: Vec<String> = selection
            .sections
            .iter()
            .filter(|s| topics.contains(&s.clause.meta.topic.as_str()))
            .map(|s| format!("§ {}", s.number))
            .collect();
        let omissions: Vec<(&str, &Omission)> = topics
            .iter()
            .filter_map(|t| {
                selection
                    .omitted
                    .iter()
                    .find(|(id, _)| id == t)
                    .map(|(id, o)| (id.as_str(), o))
            })
            .collect();
        let status = if !sections.is_empty() {
            Status::Covered { sections }
        } else if !omissions.is_empty()
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
            Status::Missing {
                topics: omissions
                    .iter()
                    .map(|(t, o)| format!("\"{t}\" ({})", describe(o)))
                    .collect(),
            }
        };
        items.push(Row {
            id: item.id.clone(),
            framework: item.framework.clone(),
            label: item.label.get(lang).to_string(),
            title: item.title.get(lang).to_string(),
            topics: topics.iter().map(|t| t.to_string()).collect(),
            status,
        });
    }
    Coverage {
        annex: project.annex.id.to_string(),
        items,
    }
}

/// Why a topic is not in the annex, in words.
pub fn describe(o: &Omission) -> String {
    match o {
        Omission::Excluded(reason) => format!("excluded: {reason}"),
        Omission::BelowLevel { level, from } => {
            format!("its level is {level}, the topic starts at {from}")
        }
        Omission::Condition(c) if c.value => format!("`service.{}` is false", c.flag),
        Omission::Condition(c) => format!("`service.{}` is true", c.flag),
        Omission::NoClause => "the template library has no clause for it".to_string(),
    }
}

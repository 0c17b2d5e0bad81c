//! `annex templates list`: every clause of a library with its topic, languages, level variants,
//! conditions and where it comes from.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{FileOrigin, Files, Library};

/// One clause id of a library, over all its variants and languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseSummary {
    /// The clause id.
    pub id: String,
    /// Its topic.
    pub topic: String,
    /// Position in the annex.
    pub order: i64,
    /// Languages with at least one variant ("de", "en").
    pub languages: Vec<String>,
    /// The levels of its variants.
    pub levels: Vec<String>,
    /// The conditions (`when`) of its variants, each as written ("!flag" = must be false).
    pub when: Vec<String>,
    /// "built-in", "override" (a user file replaces a built-in one with another text), "copy"
    /// (the user's files have the built-in text), "addition" (a clause the built-in library
    /// does not have).
    pub origin: String,
    /// The user's files of this clause.
    pub user_files: Vec<String>,
}

/// The clauses of a library, in annex order.
pub fn summarize(library: &Library, files: &Files) -> Vec<ClauseSummary> {
    let mut by_id: BTreeMap<&str, Vec<&super::Clause>> = BTreeMap::new();
    for c in &library.clauses {
        by_id.entry(&c.meta.id).or_default().push(c);
    }
    let mut out: Vec<ClauseSummary> = by_id
        .into_iter()
        .filter_map(|(id, variants)| {
            let first = variants.first()?;
            let languages: BTreeSet<&str> =
                variants.iter().map(|c| c.meta.language.code()).collect();
            let levels: BTreeSet<crate::level::Level> =
                variants.iter().map(|c| c.meta.level).collect();
            let when: BTreeSet<String> = variants
                .iter()
                .flat_map(|c| c.meta.when.iter().map(ToString::to_string))
                .collect();
            let origins: Vec<FileOrigin> = variants
                .iter()
                .map(|c| files.origin_of_shown(&c.file))
                .collect();
            let user_files: Vec<String> = origins
                .iter()
                .filter_map(|o| match o {
                    FileOrigin::BuiltIn => None,
                    FileOrigin::Override(p) | FileOrigin::Addition(p) | FileOrigin::Copy(p) => {
                        Some(p.clone())
                    }
                })
                .collect();
            let origin = if origins.iter().all(|o| *o == FileOrigin::BuiltIn) {
                "built-in"
            } else if origins.iter().all(|o| matches!(o, FileOrigin::Addition(_))) {
                "addition"
            } else if origins.iter().any(|o| matches!(o, FileOrigin::Override(_))) {
                "override"
            } else {
                "copy"
            };
            Some(ClauseSummary {
                id: id.to_string(),
                topic: first.meta.topic.clone(),
                order: first.meta.order,
                languages: languages.into_iter().map(str::to_string).collect(),
                levels: levels.iter().map(|l| l.as_str().to_string()).collect(),
                when: when.into_iter().collect(),
                origin: origin.to_string(),
                user_files,
            })
        })
        .collect();
    out.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
    out
}

/// The clauses as a table for people: one line per clause, with its `order` first (where a new
/// clause goes in the annex).
pub fn table(clauses: &[ClauseSummary]) -> String {
    let rows: Vec<[String; 7]> = clauses
        .iter()
        .map(|c| {
            let origin = if c.user_files.is_empty() {
                c.origin.clone()
            } else {
                format!("{}: {}", c.origin, c.user_files.join(", "))
            };
            [
                c.order.to_string(),
                c.id.clone(),
                c.topic.clone(),
                c.languages.join(","),
                c.levels.join(","),
                if c.when.is_empty() {
                    "-".to_string()
                } else {
                    c.when.join(",")
                },
                origin,
            ]
        })
        .collect();
    let header = [
        "ORDER", "CLAUSE", "TOPIC", "LANG", "LEVELS", "WHEN", "ORIGIN",
    ]
    .map(str::to_string);
    let mut widths = [0usize; 7];
    for row in std::iter::once(&header).chain(rows.iter()) {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(rows.iter()) {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:w$}  "));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let count = |origin: &str| clauses.iter().filter(|c| c.origin == origin).count();
    let (added, changed, copied) = (count("addition"), count("override"), count("copy"));
    out.push_str(&format!(
        "{} clauses: {} built-in, {copied} unchanged copies, {changed} changed, {added} added\n",
        clauses.len(),
        clauses.len() - added - changed - copied
    ));
    out
}

//! The project description: loading, the typed model and the checks that span fields.

mod load;
mod model;

pub(crate) use load::line_column;
pub use load::{MAX_INPUT_BYTES, ProjectSource, parse, read_project};
pub use model::*;

use crate::diagnostic::Diagnostic;

/// Checks the rules that span several fields and need no template library.
pub fn check(project: &Project, source: &ProjectSource) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let choices = &project.clauses;
    for (i, id) in choices.include.iter().enumerate() {
        if choices.include[..i].contains(id) {
            out.push(source.error(
                &format!("clauses.include[{i}]"),
                format!("topic \"{id}\" is included twice"),
            ));
        }
        if choices.exclude.iter().any(|e| &e.id == id) {
            out.push(
                source
                    .error(
                        &format!("clauses.include[{i}]"),
                        format!("topic \"{id}\" is both included and excluded"),
                    )
                    .hint("remove it from one of the two lists"),
            );
        }
    }
    for (i, ex) in choices.exclude.iter().enumerate() {
        if choices.exclude[..i].iter().any(|e| e.id == ex.id) {
            out.push(source.error(
                &format!("clauses.exclude[{i}].id"),
                format!("topic \"{}\" is excluded twice", ex.id),
            ));
        }
    }
    out
}

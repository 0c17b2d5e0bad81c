//! Figures weaker than the protection level's defaults. A final annex states that the client
//! accepted each such gap (`accepted_deviations`: the field, the reason and who accepted it);
//! without an acceptance a final render fails, a draft warns. The annex prints the accepted
//! deviations in its protection-requirement section as documented acceptance of residual risk.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::project::{Project, ProjectSource};

/// A figure of the project that is weaker than the default of the level that governs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Weaker {
    /// The project path: `service_levels.response_minutes.p1`, `security_concept.due_days`.
    pub field: String,
    /// The project's value, as written.
    pub value: String,
    /// The default of the governing level.
    pub default: String,
    /// Which level: `availability level "normal"`, `overall level "high"`.
    pub basis: String,
}

/// A weaker figure the client accepted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accepted {
    /// The project path of the figure.
    pub field: String,
    /// The project's value.
    pub value: String,
    /// The default it falls short of.
    pub default: String,
    /// Why the client accepted it.
    pub reason: String,
    /// Who accepted it.
    pub accepted_by: String,
}

/// The weaker figures of a project, settled against its `accepted_deviations`.
#[derive(Debug, Clone, Default)]
pub struct Settled {
    /// Accepted, to print in the annex.
    pub accepted: Vec<Accepted>,
    /// Not accepted: errors for a final annex (a draft shows them as warnings).
    pub unaccepted: Vec<Diagnostic>,
    /// The figures of `unaccepted`, for a draft's list of open points.
    pub pending: Vec<Weaker>,
    /// Entries that accept nothing (a figure that is not weaker, or twice the same field):
    /// errors in final and draft alike.
    pub stray: Vec<Diagnostic>,
}

/// Matches the weaker figures with the project's acceptances.
pub fn settle(weaker: &[Weaker], project: &Project, source: &ProjectSource) -> Settled {
    let mut settled = Settled::default();
    let entries = &project.accepted_deviations;
    for w in weaker {
        match entries.iter().find(|e| e.field.as_str() == w.field) {
            Some(e) => settled.accepted.push(Accepted {
                field: w.field.clone(),
                value: w.value.clone(),
                default: w.default.clone(),
                reason: e.reason.0.clone(),
                accepted_by: e.accepted_by.0.clone(),
            }),
            None => {
                settled.pending.push(w.clone());
                settled.unaccepted.push(
                source
                    .error(
                        &w.field,
                        format!(
                            "{} is weaker than the default for {} ({}), and the parties have not accepted the gap",
                            w.value, w.basis, w.default
                        ),
                    )
                    .hint(format!(
                        "use the default, or accept the gap: add {{ \"field\": \"{}\", \"reason\": \"…\", \"accepted_by\": \"…\" }} to `accepted_deviations`; the annex then documents the accepted residual risk",
                        w.field
                    )),
                );
            }
        }
    }
    for (i, e) in entries.iter().enumerate() {
        let path = format!("accepted_deviations[{i}].field");
        if entries
            .iter()
            .take(i)
            .any(|earlier| earlier.field == e.field)
        {
            settled
                .stray
                .push(source.error(&path, format!("\"{}\" is accepted twice", e.field)));
        } else if !weaker.iter().any(|w| w.field == e.field.as_str()) {
            settled.stray.push(
                source
                    .error(
                        &path,
                        format!(
                            "\"{}\" is not weaker than its default, so there is no deviation to accept",
                            e.field
                        ),
                    )
                    .hint("remove the entry; an entry names a figure that is weaker than its default by its project path, e.g. \"service_levels.response_minutes.p1\""),
            );
        }
    }
    settled
}

//! Figures weaker than the protection level's defaults. A final annex states that the client
//! accepted each such gap (`accepted_deviations`: the field, the reason and who accepted it);
//! without an acceptance a final render fails, a draft warns. The annex prints the accepted
//! deviations in its protection-requirement section as documented acceptance of residual risk.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::language::Localized;
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
    /// Which level: `availability level "normal"`, `overall level "high"` (in German
    /// `Schutzbedarf "normal" der Verfügbarkeit`, `Gesamtschutzbedarf "hoch"`).
    pub basis: Localized,
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
                let (field, value, default) = (&w.field, &w.value, &w.default);
                let (basis_en, basis_de) = (&w.basis.en, &w.basis.de);
                settled.unaccepted.push(
                    source
                        .error(
                            &w.field,
                            crate::text!(
                                en: "{value} is weaker than the default for {basis_en} ({default}), and the parties have not accepted the gap",
                                de: "{value} ist schwächer als der Standardwert für {basis_de} ({default}), und die Parteien haben die Abweichung nicht akzeptiert",
                            ),
                        )
                        .hint(crate::text!(
                            en: "use the default, or accept the gap: add {{ \"field\": \"{field}\", \"reason\": \"…\", \"accepted_by\": \"…\" }} to `accepted_deviations`; the annex then documents the accepted residual risk",
                            de: "verwenden Sie den Standardwert, oder akzeptieren Sie die Abweichung: ergänzen Sie {{ \"field\": \"{field}\", \"reason\": \"…\", \"accepted_by\": \"…\" }} in `accepted_deviations`; die Anlage dokumentiert dann das akzeptierte Restrisiko",
                        )),
                );
            }
        }
    }
    for (i, e) in entries.iter().enumerate() {
        let path = format!("accepted_deviations[{i}].field");
        let field = e.field.as_str();
        if entries
            .iter()
            .take(i)
            .any(|earlier| earlier.field == e.field)
        {
            settled.stray.push(source.error(
                &path,
                crate::text!(
                    en: "\"{field}\" is accepted twice",
                    de: "\"{field}\" ist zweimal als akzeptiert eingetragen",
                ),
            ));
        } else if !weaker.iter().any(|w| w.field == e.field.as_str()) {
            settled.stray.push(
                source
                    .error(
                        &path,
                        crate::text!(
                            en: "\"{field}\" is not weaker than its default, so there is no deviation to accept",
                            de: "\"{field}\" ist nicht schwächer als sein Standardwert; es gibt also keine Abweichung, die zu akzeptieren wäre",
                        ),
                    )
                    .hint(crate::text!(
                        en: "remove the entry; an entry names a figure that is weaker than its default by its project path, e.g. \"service_levels.response_minutes.p1\"",
                        de: "entfernen Sie den Eintrag; ein Eintrag nennt eine Kennzahl, die schwächer als ihr Standardwert ist, mit ihrem Pfad im Projekt, z. B. \"service_levels.response_minutes.p1\"",
                    )),
            );
        }
    }
    settled
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Language;

    fn project(deviations: serde_json::Value) -> (Project, ProjectSource) {
        let mut value: serde_json::Value =
            serde_json::from_str(include_str!("../templates/examples/webhosting-normal.json"))
                .unwrap();
        value["accepted_deviations"] = deviations;
        let text = serde_json::to_string_pretty(&value).unwrap();
        crate::project::from_bytes(std::path::Path::new("p.json"), text.into_bytes()).unwrap()
    }

    #[test]
    fn an_unaccepted_and_a_stray_deviation_read_in_both_languages() {
        let (project, source) = project(serde_json::json!([
            { "field": "service_levels.rpo_hours", "reason": "r", "accepted_by": "a" }
        ]));
        let weaker = Weaker {
            field: "service_levels.rto_hours".to_owned(),
            value: "48".to_owned(),
            default: "24".to_owned(),
            basis: crate::text!(
                en: "availability level \"normal\"",
                de: "Schutzbedarf \"normal\" der Verfügbarkeit",
            ),
        };
        let settled = settle(&[weaker], &project, &source);
        let [unaccepted] = settled.unaccepted.as_slice() else {
            panic!("{:?}", settled.unaccepted);
        };
        assert_eq!(
            unaccepted.message.en(),
            "service_levels.rto_hours: 48 is weaker than the default for availability level \"normal\" (24), and the parties have not accepted the gap"
        );
        assert_eq!(
            unaccepted.message.get(Language::De),
            "service_levels.rto_hours: 48 ist schwächer als der Standardwert für Schutzbedarf \"normal\" der Verfügbarkeit (24), und die Parteien haben die Abweichung nicht akzeptiert"
        );
        assert!(
            unaccepted.hints[0]
                .get(Language::De)
                .starts_with("verwenden Sie den Standardwert, oder akzeptieren Sie die Abweichung: ergänzen Sie { \"field\": \"service_levels.rto_hours\""),
            "{}",
            unaccepted.hints[0].get(Language::De)
        );
        let [stray] = settled.stray.as_slice() else {
            panic!("{:?}", settled.stray);
        };
        assert_eq!(
            stray.message.en(),
            "accepted_deviations[0].field: \"service_levels.rpo_hours\" is not weaker than its default, so there is no deviation to accept"
        );
        assert!(
            stray.hints[0]
                .get(Language::De)
                .starts_with("entfernen Sie den Eintrag; ein Eintrag nennt eine Kennzahl")
        );
    }
}

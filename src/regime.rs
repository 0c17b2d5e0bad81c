//! Which frameworks bind a project: M 2.253 and OPS.2.3 always, the others by the facts of the
//! project (a financial entity, a NIS2 entity, a public body buying a cloud service, …), as
//! `frameworks.toml` declares them. A framework that does not apply is never named.

use serde::Serialize;

use crate::language::Localized;
use crate::library::{Catalogue, Condition, Framework};
use crate::project::{Project, fact_source};

/// A condition of a framework and the project's value of its fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactCheck {
    /// The fact.
    pub fact: String,
    /// The project field it is read from.
    pub source: String,
    /// The value the condition asks for.
    pub expected: bool,
    /// The value in the project.
    pub actual: bool,
}

impl FactCheck {
    /// Whether the condition holds.
    pub fn holds(&self) -> bool {
        self.expected == self.actual
    }

    /// "financial_entity is true" or "financial_entity is false (needs true)".
    pub fn text(&self) -> String {
        self.words().en
    }

    /// [`FactCheck::text`] in both languages, for messages.
    pub fn words(&self) -> Localized {
        let (fact, actual, expected) = (&self.fact, self.actual, self.expected);
        if self.holds() {
            crate::text!(en: "{fact} is {actual}", de: "{fact} ist {actual}")
        } else {
            crate::text!(
                en: "{fact} is {actual} (needs {expected})",
                de: "{fact} ist {actual} (erforderlich: {expected})",
            )
        }
    }
}

/// Whether one framework applies to a project, and why.
#[derive(Debug, Clone)]
pub struct Regime<'c> {
    /// The framework.
    pub framework: &'c Framework,
    /// Its conditions with the project's values (empty: it always applies).
    pub checks: Vec<FactCheck>,
}

impl Regime<'_> {
    /// Whether every condition holds.
    pub fn applies(&self) -> bool {
        self.checks.iter().all(FactCheck::holds)
    }

    /// Why it applies or not, in words (for `explain` and `coverage.json`).
    pub fn reason(&self) -> String {
        self.why().en
    }

    /// [`Regime::reason`] in both languages, for messages.
    pub fn why(&self) -> Localized {
        if self.checks.is_empty() {
            return crate::text!(en: "always", de: "immer");
        }
        let shown: Vec<Localized> = if self.applies() {
            self.checks.iter().map(FactCheck::words).collect()
        } else {
            self.checks
                .iter()
                .filter(|c| !c.holds())
                .map(FactCheck::words)
                .collect()
        };
        Localized::each(|lang| {
            shown
                .iter()
                .map(|s| s.get(lang))
                .collect::<Vec<_>>()
                .join(", ")
        })
    }
}

/// The conditions with the project's values.
pub fn check(conditions: &[Condition], project: &Project) -> Vec<FactCheck> {
    conditions
        .iter()
        .map(|c| FactCheck {
            fact: c.flag.clone(),
            source: fact_source(&c.flag).to_owned(),
            expected: c.value,
            actual: project.fact(&c.flag).unwrap_or(false),
        })
        .collect()
}

/// Every framework of the catalogue with whether it applies, in catalogue order.
pub fn regimes<'c>(catalogue: &'c Catalogue, project: &Project) -> Vec<Regime<'c>> {
    catalogue
        .frameworks
        .iter()
        .map(|framework| Regime {
            framework,
            checks: check(&framework.when, project),
        })
        .collect()
}

/// The ids of the frameworks that apply.
pub fn applying(catalogue: &Catalogue, project: &Project) -> Vec<String> {
    regimes(catalogue, project)
        .into_iter()
        .filter(Regime::applies)
        .map(|r| r.framework.id.clone())
        .collect()
}

/// A warning when a framework applies on a presumption rather than on what the project says:
/// § 393 SGB V for a client whose `health_care` is not given.
pub fn presumptions(
    catalogue: &Catalogue,
    project: &Project,
    source: &crate::project::ProjectSource,
) -> Vec<crate::diagnostic::Diagnostic> {
    let presumed = project.client.health_care.is_none() && project.client.health_care_presumed();
    let relies = regimes(catalogue, project)
        .iter()
        .filter(|r| r.applies())
        .filter(|r| r.framework.when.iter().any(|c| c.flag == "health_care"))
        .map(|r| r.framework.id.clone())
        .collect::<Vec<_>>();
    if presumed && !relies.is_empty() {
        let relies = relies.join(", ");
        vec![source
            .warning(
                "client",
                crate::text!(
                    en: "{relies} applies because the client is taken to be in health care (an essential or important NIS2 entity that is not a public body)",
                    de: "{relies} gilt, weil der Auftraggeber als Einrichtung des Gesundheitswesens angenommen wird (eine besonders wichtige oder wichtige Einrichtung nach NIS2, die keine öffentliche Stelle ist)",
                ),
            )
            .hint(crate::text!(
                en: "set `client.health_care` to true to confirm it, or to false if the client is not a health-care provider or insurer",
                de: "setzen Sie `client.health_care` auf true, um dies zu bestätigen, oder auf false, wenn der Auftraggeber weder Leistungserbringer noch Kostenträger im Gesundheitswesen ist",
            ))]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Language;

    #[test]
    fn fact_checks_read_in_both_languages() {
        let check = FactCheck {
            fact: "financial_entity".to_owned(),
            source: "client.financial_entity".to_owned(),
            expected: true,
            actual: false,
        };
        assert_eq!(check.text(), "financial_entity is false (needs true)");
        assert_eq!(
            check.words().get(Language::De),
            "financial_entity ist false (erforderlich: true)"
        );
    }
}

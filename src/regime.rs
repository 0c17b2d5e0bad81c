//! Which frameworks bind a project: M 2.253 and OPS.2.3 always, the others by the facts of the
//! project (a financial entity, a NIS2 entity, a public body buying a cloud service, …), as
//! `frameworks.toml` declares them. A framework that does not apply is never named.

use serde::Serialize;

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
        if self.holds() {
            format!("{} is {}", self.fact, self.actual)
        } else {
            format!("{} is {} (needs {})", self.fact, self.actual, self.expected)
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
        if self.checks.is_empty() {
            return "always".to_owned();
        }
        let shown: Vec<String> = if self.applies() {
            self.checks.iter().map(FactCheck::text).collect()
        } else {
            self.checks
                .iter()
                .filter(|c| !c.holds())
                .map(FactCheck::text)
                .collect()
        };
        shown.join(", ")
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
        vec![source
            .warning(
                "client",
                format!(
                    "{} applies because the client is taken to be in health care (an essential or important NIS2 entity that is not a public body)",
                    relies.join(", ")
                ),
            )
            .hint("set `client.health_care` to true to confirm it, or to false if the client is not a health-care provider or insurer")]
    } else {
        Vec::new()
    }
}

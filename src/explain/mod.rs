//! `annex explain`: the selection trace of a project. For every topic of the catalogue, in the
//! order of the annex, whether it is in the annex and why: the section number, the clause and
//! its variant, the governing basic value and its level, the topic's first level, the
//! conditions on the service flags with the project's values, an include or a requirement by
//! a service flag; or why it was left out.
//!
//! [`Explanation`] is the data; [`Explanation::to_text`] writes it for people, and serde writes
//! it as JSON for machines (`annex explain --json` prints an array with one object per project).
//! The JSON shape is that of the structs below, field for field:
//!
//! ```json
//! {
//!   "file": "project.json", "annex": "portal-hosting", "language": "en",
//!   "protection": { "confidentiality": "normal", "integrity": "normal",
//!                   "availability": "normal", "overall": "normal" },
//!   "flags": { "critical_function": true, "migration": false, "network_coupling": false,
//!              "personal_data": true, "shared_platform": true, "software": false },
//!   "sections": 32,
//!   "topics": [
//!     { "topic": "tenant-separation", "title": "Client separation",
//!       "governed_by": "confidentiality", "level": "normal", "from": "normal",
//!       "when": [ { "flag": "shared_platform", "expected": true, "actual": true, "holds": true } ],
//!       "required_when": [],
//!       "in_annex": true,
//!       "why": { "kind": "level" },
//!       "sections": [ { "number": 17, "clause": "tenant-separation", "variant": "normal",
//!                       "candidates": ["normal", "high", "very_high"], "weakest_above": false,
//!                       "when": [ { "flag": "shared_platform", … } ],
//!                       "file": "templates/clauses/en/tenant-separation.normal.md" } ] },
//!     { "topic": "security-testing", …, "in_annex": true,
//!       "why": { "kind": "required",
//!                "conditions": [ { "flag": "critical_function", "expected": true, … } ],
//!                "otherwise": { "kind": "below_level", "level": "normal", "from": "high" } },
//!       "sections": [ { "number": 25, "variant": "high", "candidates": ["high", "very_high"],
//!                       "weakest_above": true, … } ] },
//!     { "topic": "escrow", …, "in_annex": false,
//!       "why": { "kind": "condition", "flag": "software", "expected": true, "actual": false },
//!       "sections": [] }
//!   ]
//! }
//! ```
//!
//! `why.kind` is one of `level`, `included` (with `otherwise`), `required` (with `conditions`
//! and `otherwise`) for a topic in the annex, and `excluded` (with `reason`), `below_level`
//! (with `level`, `from`), `condition` (with `flag`, `expected`, `actual`), `no_clause` (with
//! `language`) for a topic left out. `otherwise` is `null` or a left-out reason: what level and
//! conditions alone would have decided.

pub mod figures;
mod text;
mod trace;

use std::collections::BTreeMap;

use serde::Serialize;

pub use trace::{explain, explain_file};

use crate::diagnostic::Diagnostic;
use crate::failure::Failure;
use crate::level::{Governor, Level};

/// The selection trace of one project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The project file, as given.
    pub file: String,
    /// The annex id.
    pub annex: String,
    /// The annex language, `de` or `en`.
    pub language: String,
    /// The language's name in English (from the library's locale), for the text form.
    #[serde(skip)]
    pub language_name: String,
    /// The protection levels of the project.
    pub protection: Levels,
    /// Every fact (service flags, the client's regulatory situation) and its value.
    pub flags: BTreeMap<String, bool>,
    /// Every framework of the catalogue, whether it applies and why.
    pub frameworks: Vec<FrameworkTrace>,
    /// The number of sections of the annex.
    pub sections: usize,
    /// What the annex writes before a section number (`§`, `Clause`).
    pub section_sign: String,
    /// Every topic of the catalogue, in the order of the annex (a topic left out stands where
    /// its clauses would stand).
    pub topics: Vec<TopicTrace>,
    /// Every figure of the annex with its source; `None` when the annex cannot be rendered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figures: Option<figures::Figures>,
}

/// One framework: whether it binds the project, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameworkTrace {
    /// The framework id.
    pub id: String,
    /// Whether it applies (every condition holds).
    pub applies: bool,
    /// Its conditions with the project's values; none: it always applies.
    pub conditions: Vec<crate::regime::FactCheck>,
    /// The same in words.
    pub reason: String,
}

/// The protection levels of a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Levels {
    /// Confidentiality.
    pub confidentiality: Level,
    /// Integrity.
    pub integrity: Level,
    /// Availability.
    pub availability: Level,
    /// The maximum of the three.
    pub overall: Level,
}

/// One topic: whether it is in the annex, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicTrace {
    /// The topic id.
    pub topic: String,
    /// Its title in the annex language.
    pub title: String,
    /// The basic value that governs it (or `overall`).
    pub governed_by: Governor,
    /// The level of that basic value in this project.
    pub level: Level,
    /// The topic's first level: below it, the topic is left out.
    pub from: Level,
    /// The topic's conditions on the service flags.
    pub when: Vec<FlagCheck>,
    /// The service flags that make the topic part of every annex.
    pub required_when: Vec<FlagCheck>,
    /// Whether the annex has a section for it.
    pub in_annex: bool,
    /// Why it is in the annex, or why not.
    pub why: Why,
    /// Its sections (none when it is left out).
    pub sections: Vec<SectionTrace>,
}

/// A condition on a service flag and the project's value of the flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlagCheck {
    /// The service flag.
    pub flag: String,
    /// The value the condition asks for.
    pub expected: bool,
    /// The value in the project.
    pub actual: bool,
    /// Whether the two agree.
    pub holds: bool,
}

/// Why a topic is in the annex or left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Why {
    /// In the annex: the level and the conditions call for it.
    Level,
    /// In the annex: the project includes it.
    Included {
        /// What level and conditions alone would have decided: `None` (in the annex anyway)
        /// or a reason to leave it out.
        otherwise: Option<Box<Why>>,
    },
    /// In the annex: service flags require it, whatever the level.
    Required {
        /// The requiring conditions (all hold).
        conditions: Vec<FlagCheck>,
        /// What level and conditions alone would have decided.
        otherwise: Option<Box<Why>>,
    },
    /// Left out: the project excludes it.
    Excluded {
        /// The project's reason.
        reason: String,
    },
    /// Left out: the governing level is below the topic's first level (or below the weakest
    /// variant of its clause).
    BelowLevel {
        /// The governing level in this project.
        level: Level,
        /// The level from which it would be in the annex.
        from: Level,
    },
    /// Left out: a condition on a service flag does not hold.
    Condition {
        /// The service flag.
        flag: String,
        /// The value the condition asks for.
        expected: bool,
        /// The value in the project.
        actual: bool,
    },
    /// Left out: the template library has no clause for it in the annex language.
    NoClause {
        /// The annex language.
        language: String,
    },
}

/// One section of a topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionTrace {
    /// The section number ("§ n").
    pub number: usize,
    /// The section's heading as the annex prints it, without the number.
    pub title: String,
    /// The clause id.
    pub clause: String,
    /// The chosen variant.
    pub variant: Level,
    /// The variants there were to choose from, weakest first.
    pub candidates: Vec<Level>,
    /// No variant is at or below the governing level, so the weakest was taken (an included or
    /// required topic); otherwise the variant is the strongest at or below the governing level.
    pub weakest_above: bool,
    /// The clause's own conditions on the service flags.
    pub when: Vec<FlagCheck>,
    /// The clause file.
    pub file: String,
}

/// The trace of one project file, and the result of checking it as `annex check` does.
#[derive(Debug, Clone)]
pub struct Explained {
    /// The trace, when the project loads and its clauses can be selected (also when a later
    /// stage fails, e.g. the coverage gate: the trace then shows why).
    pub explanation: Option<Explanation>,
    /// The warnings of a project that passes every check, or the diagnostics of one that fails.
    pub result: Result<Vec<Diagnostic>, Failure>,
}

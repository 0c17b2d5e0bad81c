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

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::document::Mode;
use crate::failure::Failure;
use crate::generator::Generator;
use crate::level::{Governor, Level};
use crate::library::{Condition, Library};
use crate::project::{self, Language, Project, fact_names};
use crate::select::{self, Omission, Reason, Selection};

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
    /// Every topic of the catalogue, in the order of the annex (a topic left out stands where
    /// its clauses would stand).
    pub topics: Vec<TopicTrace>,
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

/// Loads and checks a project as `annex check` does, and traces its selection.
pub fn explain_file(generator: &Generator, path: &Path) -> Explained {
    let loaded = match generator.load(path) {
        Ok(loaded) => loaded,
        Err(failure) => {
            return Explained {
                explanation: None,
                result: Err(failure),
            };
        }
    };
    let library = generator.library();
    let (project, source) = (loaded.project.clone(), loaded.source.clone());
    match generator.prepare_loaded(loaded, Mode::Final) {
        Ok(document) => Explained {
            explanation: Some(explain(
                library,
                &document.project,
                &document.selection,
                path,
            )),
            result: Ok(document.warnings),
        },
        Err(failure) => {
            // The trace shows why a later stage failed (e.g. the coverage gate), when the
            // project is sound enough to choose clauses for.
            let explanation = if project::check(&project, &source).is_empty() {
                select::select(library, &project, &source)
                    .ok()
                    .map(|selection| explain(library, &project, &selection, path))
            } else {
                None
            };
            Explained {
                explanation,
                result: Err(failure),
            }
        }
    }
}

/// The trace of a selection.
pub fn explain(
    library: &Library,
    project: &Project,
    selection: &Selection<'_>,
    path: &Path,
) -> Explanation {
    let protection = &project.protection;
    let lang = project.annex.language;
    // Where each topic stands: its first section, or for a topic left out the position of its
    // clauses (any language), or else the place after its predecessor in the catalogue.
    let mut keys: Vec<((i64, String), usize, TopicTrace)> = Vec::new();
    let mut previous = (i64::MIN, String::new());
    for (index, topic) in library.catalogue.topics.iter().enumerate() {
        let level = protection.governing(topic.governed_by);
        let sections: Vec<&select::Section<'_>> = selection
            .sections
            .iter()
            .filter(|s| s.clause.meta.topic == topic.id)
            .collect();
        let key = match sections.first() {
            Some(s) => (s.clause.meta.order, s.clause.meta.id.clone()),
            None => library
                .clauses
                .iter()
                .filter(|c| c.meta.topic == topic.id)
                .map(|c| (c.meta.order, c.meta.id.clone()))
                .min()
                .unwrap_or_else(|| previous.clone()),
        };
        previous = key.clone();
        let why = match (sections.first(), omission(selection, &topic.id)) {
            (Some(first), _) => reason(&first.reason, project),
            (None, Some(o)) => left_out(o, project, lang),
            // Not reachable: select accounts for every topic.
            (None, None) => Why::NoClause {
                language: lang.code().to_owned(),
            },
        };
        let trace = TopicTrace {
            topic: topic.id.clone(),
            title: topic.title(lang).to_owned(),
            governed_by: topic.governed_by,
            level,
            from: topic.from,
            when: checks(&topic.when, project),
            required_when: checks(&topic.required_when, project),
            in_annex: !sections.is_empty(),
            why,
            sections: sections
                .iter()
                .map(|s| SectionTrace {
                    number: s.number,
                    clause: s.clause.meta.id.clone(),
                    variant: s.clause.meta.level,
                    candidates: s.choice.candidates.clone(),
                    weakest_above: s.choice.weakest_above,
                    when: checks(&s.clause.meta.when, project),
                    file: s.clause.file.clone(),
                })
                .collect(),
        };
        keys.push((key, index, trace));
    }
    // Sections are numbered in (order, clause id) order, so this puts the topics in the annex
    // in section order and each topic left out where its clauses would stand.
    keys.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let topics: Vec<TopicTrace> = keys.into_iter().map(|(_, _, t)| t).collect();
    Explanation {
        file: path.display().to_string(),
        annex: project.annex.id.as_str().to_owned(),
        language: lang.code().to_owned(),
        language_name: library.locale(lang).english_name.clone(),
        protection: Levels {
            confidentiality: protection.confidentiality,
            integrity: protection.integrity,
            availability: protection.availability,
            overall: protection.overall(),
        },
        flags: fact_names()
            .map(|f| (f.to_owned(), project.fact(f).unwrap_or(false)))
            .collect(),
        frameworks: crate::regime::regimes(&library.catalogue, project)
            .iter()
            .map(|r| FrameworkTrace {
                id: r.framework.id.clone(),
                applies: r.applies(),
                conditions: r.checks.clone(),
                reason: r.reason(),
            })
            .collect(),
        sections: selection.sections.len(),
        topics,
    }
}

fn omission<'s>(selection: &'s Selection<'_>, topic: &str) -> Option<&'s Omission> {
    selection
        .omitted
        .iter()
        .find(|(id, _)| id == topic)
        .map(|(_, o)| o)
}

fn checks(conditions: &[Condition], project: &Project) -> Vec<FlagCheck> {
    conditions
        .iter()
        .map(|c| {
            let actual = project.fact(&c.flag).unwrap_or(false);
            FlagCheck {
                flag: c.flag.clone(),
                expected: c.value,
                actual,
                holds: actual == c.value,
            }
        })
        .collect()
}

fn reason(reason: &Reason, project: &Project) -> Why {
    // A topic in the annex never has NoClause as its alternative; the language is unused.
    let alt = |o: &Option<Omission>| {
        o.as_ref()
            .map(|o| Box::new(left_out(o, project, Language::En)))
    };
    match reason {
        Reason::Level => Why::Level,
        Reason::Included { otherwise } => Why::Included {
            otherwise: alt(otherwise),
        },
        Reason::Required {
            conditions,
            otherwise,
        } => Why::Required {
            conditions: checks(conditions, project),
            otherwise: alt(otherwise),
        },
    }
}

fn left_out(omission: &Omission, project: &Project, lang: Language) -> Why {
    match omission {
        Omission::Excluded(reason) => Why::Excluded {
            reason: reason.clone(),
        },
        Omission::BelowLevel { level, from } => Why::BelowLevel {
            level: *level,
            from: *from,
        },
        Omission::Condition(c) => Why::Condition {
            flag: c.flag.clone(),
            expected: c.value,
            actual: project.fact(&c.flag).unwrap_or(false),
        },
        Omission::NoClause => Why::NoClause {
            language: lang.code().to_owned(),
        },
    }
}

fn yes_no(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// "shared_platform is true" for a condition that holds, "software is false (needs true)"
/// for one that does not.
fn check_text(c: &FlagCheck) -> String {
    if c.holds {
        format!("{} is {}", c.flag, yes_no(c.actual))
    } else {
        format!(
            "{} is {} (needs {})",
            c.flag,
            yes_no(c.actual),
            yes_no(c.expected)
        )
    }
}

/// "confidentiality is high", and "(topic from high)" when the topic's first level is above
/// normal (every level is at least normal, so that would say nothing).
fn level_text(topic: &TopicTrace) -> String {
    let governor = match topic.governed_by {
        Governor::Overall => "overall level",
        g => g.as_str(),
    };
    if topic.from == Level::Normal {
        format!("{governor} is {}", topic.level)
    } else {
        format!("{governor} is {} (topic from {})", topic.level, topic.from)
    }
}

/// Why a topic is left out, for people.
fn left_out_text(why: &Why, topic: &TopicTrace, language_name: &str) -> String {
    let governor = match topic.governed_by {
        Governor::Overall => "overall level",
        g => g.as_str(),
    };
    match why {
        Why::Excluded { reason } => format!("excluded by the project: \"{reason}\""),
        Why::BelowLevel { level, from } if *from == topic.from => {
            format!("{governor} is {level}, below the topic's first level {from}")
        }
        Why::BelowLevel { level, from } => {
            format!("{governor} is {level}, below the weakest variant {from}")
        }
        Why::Condition {
            flag,
            expected,
            actual,
        } => format!(
            "{flag} is {} (needs {})",
            yes_no(*actual),
            yes_no(*expected)
        ),
        Why::NoClause { .. } => {
            format!("the template library has no {language_name} clause for it")
        }
        Why::Level | Why::Included { .. } | Why::Required { .. } => String::new(),
    }
}

impl TopicTrace {
    /// The conditions (of the topic and of the section's clause) that hold, for the text.
    fn conditions_text(&self, section: &SectionTrace) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in self.when.iter().chain(&section.when) {
            let text = check_text(c);
            if !out.contains(&text) {
                out.push(text);
            }
        }
        out
    }

    /// Why this section is there, for people: the clause and variant, then the reason.
    fn section_text(&self, section: &SectionTrace, language_name: &str) -> String {
        let names: Vec<&str> = section.candidates.iter().map(|l| l.as_str()).collect();
        let variants = match (names.as_slice(), section.weakest_above) {
            ([_], _) => "the only variant".to_owned(),
            (_, false) => format!("of {}", names.join(", ")),
            (_, true) => format!("the weakest of {}", names.join(", ")),
        };
        let mut parts = Vec::new();
        let otherwise = match &self.why {
            Why::Included { otherwise } => {
                parts.push("included by the project".to_owned());
                otherwise.as_deref().map(|o| ("include", o))
            }
            Why::Required {
                conditions,
                otherwise,
            } => {
                let because: Vec<String> = conditions.iter().map(check_text).collect();
                parts.push(format!("required because {}", because.join(", ")));
                otherwise.as_deref().map(|o| ("requirement", o))
            }
            _ => None,
        };
        match otherwise {
            // The reason to leave it out names the level or the condition already.
            Some((what, o)) => parts.push(format!(
                "without the {what}: {}",
                left_out_text(o, self, language_name)
            )),
            None => {
                parts.push(level_text(self));
                parts.extend(self.conditions_text(section));
            }
        }
        format!(
            "{}.{} ({variants}): {}",
            section.clause,
            section.variant,
            parts.join("; ")
        )
    }
}

impl Explanation {
    /// The trace as plain text for people: a head with the project's levels and flags, then
    /// two lines per topic.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let p = &self.protection;
        let left_out = self.topics.iter().filter(|t| !t.in_annex).count();
        let _ = writeln!(
            out,
            "{}: annex {} ({})",
            self.file, self.annex, self.language_name
        );
        let _ = writeln!(
            out,
            "  protection: confidentiality {}, integrity {}, availability {}; overall {}",
            p.confidentiality, p.integrity, p.availability, p.overall
        );
        let flags: Vec<String> = fact_names()
            .map(|f| {
                format!(
                    "{f} {}",
                    yes_no(self.flags.get(f).copied().unwrap_or(false))
                )
            })
            .collect();
        let _ = writeln!(out, "  facts: {}", flags.join(", "));
        let _ = writeln!(out, "  frameworks:");
        for f in &self.frameworks {
            let verdict = if f.applies {
                "applies"
            } else {
                "does not apply"
            };
            let _ = writeln!(out, "    {:<20} {verdict}: {}", f.id, f.reason);
        }
        let _ = writeln!(
            out,
            "  {} sections; {} of {} topics in the annex, {left_out} left out\n",
            self.sections,
            self.topics.len() - left_out,
            self.topics.len()
        );
        let width = format!("§ {}", self.sections).chars().count() + 2;
        for topic in &self.topics {
            let numbers: Vec<String> = topic
                .sections
                .iter()
                .map(|s| format!("§ {}", s.number))
                .collect();
            let head = if numbers.is_empty() {
                "–".to_owned()
            } else {
                numbers.join(", ")
            };
            // A topic with several sections ("§ 19, § 20") may be wider than the column.
            let _ = writeln!(
                out,
                "{head:width$}{}{} [{}]",
                if head.chars().count() >= width {
                    " "
                } else {
                    ""
                },
                topic.title,
                topic.topic
            );
            let indent = " ".repeat(width);
            if topic.sections.is_empty() {
                let prefix = match topic.why {
                    Why::Excluded { .. } => "",
                    _ => "left out: ",
                };
                let _ = writeln!(
                    out,
                    "{indent}{prefix}{}",
                    left_out_text(&topic.why, topic, &self.language_name)
                );
            }
            for section in &topic.sections {
                let _ = writeln!(
                    out,
                    "{indent}{}",
                    topic.section_text(section, &self.language_name)
                );
            }
        }
        out
    }
}

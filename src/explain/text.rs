//! The trace as plain text for people ([`Explanation::to_text`]).

use std::fmt::Write as _;

use super::{Explanation, FlagCheck, SectionTrace, TopicTrace, Why};
use crate::level::{Governor, Level};
use crate::project::fact_names;

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
        let sign = &self.section_sign;
        let width = format!("{sign} {}", self.sections).chars().count() + 2;
        for topic in &self.topics {
            let numbers: Vec<String> = topic
                .sections
                .iter()
                .map(|s| format!("{sign} {}", s.number))
                .collect();
            // The headings the annex prints; a topic left out has its catalogue title.
            let mut titles: Vec<&str> = topic.sections.iter().map(|s| s.title.as_str()).collect();
            titles.dedup();
            let title = if titles.is_empty() {
                topic.title.clone()
            } else {
                titles.join(" / ")
            };
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
                title,
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

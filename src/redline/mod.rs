//! The redline of two versions of an annex (`annex diff OLD NEW`).
//!
//! Each side is a project file (rendered now) or a rendered annex's manifest (the Markdown
//! file beside it, as written then) ([`side`]). The two are aligned clause by clause, by clause
//! id, not by line: a clause in both is compared line by line and word by word ([`text`]), a
//! clause only in the new version is shown inserted, one only in the old version deleted, where
//! it stood. The result is a Markdown body with the insertion and deletion marks of
//! [`crate::markup::placeholder`], which the Markdown, Typst and Word writers show as
//! underlined and struck-through text (in Word: tracked changes the other side can accept),
//! and a summary of which clauses changed and why.

pub mod files;
pub mod library;
pub mod side;
pub mod text;

use std::collections::{BTreeMap, HashMap};

use crate::language::{Language, Localized};
use crate::level::Level;
use crate::markup::escape::markdown_text;
use crate::markup::placeholder::{DEL_CLOSE, DEL_OPEN, INS_CLOSE, INS_OPEN, PAGE_BREAK};
pub use side::Side;
use text::Mark;

/// How a clause changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// In both, with other text.
    Changed,
}

/// A clause that changed, with the reasons annex can name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseChange {
    /// The clause id.
    pub id: String,
    /// Its heading (in the new version, or the old one if removed).
    pub heading: String,
    /// How it changed.
    pub kind: Kind,
    /// Why: a variant chosen by another protection level, a template text changed, the
    /// project's values.
    pub reasons: Vec<Localized>,
}

/// A project value that differs between the two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueChange {
    /// Its path: `service_levels.rto_hours`, `subcontractors[2].name`.
    pub path: String,
    /// The old value (`None`: added).
    pub old: Option<String>,
    /// The new value (`None`: removed).
    pub new: Option<String>,
}

/// The redline of two versions.
#[derive(Debug, Clone)]
pub struct Redline {
    /// The body (title of the redline, summary, sections, appendix) as Markdown with marks.
    pub body: String,
    /// The clauses that changed, in the order of the redline.
    pub changes: Vec<ClauseChange>,
    /// How many clauses the new version has.
    pub sections: usize,
    /// Project values that differ (empty when a side has no project at hand).
    pub values: Vec<ValueChange>,
    /// Whether both sides' projects were at hand (so `values` is complete).
    pub values_known: bool,
    /// Whether the coverage appendix changed.
    pub appendix_changed: bool,
}

/// Compares two versions of an annex. The redline speaks the new version's language.
pub fn compare(old: &Side, new: &Side) -> Redline {
    let lang = new.language;
    let (values, values_known) = match (&old.project, &new.project) {
        (Some(a), Some(b)) => (value_changes(a, b), true),
        _ => (Vec::new(), false),
    };
    let old_index: HashMap<&str, usize> = old
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let new_ids: std::collections::HashSet<&str> =
        new.sections.iter().map(|s| s.id.as_str()).collect();
    let mut body = String::new();
    let mut changes = Vec::new();
    let mut emitted = vec![false; old.sections.len()];
    let mut next_old = 0;
    let removed = |section: &side::Section, body: &mut String, changes: &mut Vec<ClauseChange>| {
        body.push_str(&whole_section(section, Mark::Deleted));
        changes.push(ClauseChange {
            id: section.id.clone(),
            heading: section.heading.clone(),
            kind: Kind::Removed,
            reasons: Vec::new(),
        });
    };
    for section in &new.sections {
        match old_index.get(section.id.as_str()).copied() {
            Some(k) => {
                // Clauses of the old version that the new one dropped, where they stood.
                for i in next_old..k {
                    if let (Some(old_section), Some(done)) =
                        (old.sections.get(i), emitted.get_mut(i))
                        && !*done
                        && !new_ids.contains(old_section.id.as_str())
                    {
                        *done = true;
                        removed(old_section, &mut body, &mut changes);
                    }
                }
                next_old = next_old.max(k + 1);
                if let Some(done) = emitted.get_mut(k) {
                    *done = true;
                }
                let Some(old_section) = old.sections.get(k) else {
                    continue;
                };
                let (text, changed) = text::lines(&old_section.body, &section.body);
                let heading = heading(&old_section.heading, &section.heading);
                body.push_str(&format!("\n## {heading}\n{text}"));
                if changed || heading != section.heading {
                    changes.push(ClauseChange {
                        id: section.id.clone(),
                        heading: section.heading.clone(),
                        kind: Kind::Changed,
                        reasons: reasons(old_section, section, &values, values_known, lang),
                    });
                }
            }
            None => {
                body.push_str(&whole_section(section, Mark::Inserted));
                changes.push(ClauseChange {
                    id: section.id.clone(),
                    heading: section.heading.clone(),
                    kind: Kind::Added,
                    reasons: vec![variant_reason(&section.variant, lang)],
                });
            }
        }
    }
    for (section, done) in old.sections.iter().zip(&emitted) {
        if !done && !new_ids.contains(section.id.as_str()) {
            removed(section, &mut body, &mut changes);
        }
    }
    let (appendix, appendix_changed) = text::lines(&old.appendix, &new.appendix);
    if !appendix.trim().is_empty() {
        body.push_str(&format!("\n\n{PAGE_BREAK}\n\n{}\n", appendix.trim()));
    }
    Redline {
        body,
        changes,
        sections: new.sections.len(),
        values,
        values_known,
        appendix_changed,
    }
}

impl Redline {
    /// What the redline's first page says before the sections: which versions, the marks, the
    /// changed clauses and why, the changed project values (Markdown, in `lang`).
    pub fn preamble(&self, old: &Side, new: &Side, lang: Language) -> String {
        let (from, to) = (markdown_text(&old.version), markdown_text(&new.version));
        let mut out = String::new();
        let intro = crate::text!(
            en: "**Redline: changes from version {from} to version {to}.** Inserted text is underlined, deleted text struck through; a table cell that changed is shaded. Clauses are compared by their identity, not by their position.",
            de: "**Änderungsfassung: Änderungen von Version {from} zu Version {to}.** Eingefügter Text ist unterstrichen, gestrichener Text durchgestrichen; eine geänderte Tabellenzelle ist hinterlegt. Die Abschnitte werden nach ihrer Kennung verglichen, nicht nach ihrer Stellung.",
        );
        out.push_str(&format!("> {}\n\n", intro.get(lang)));
        if self.changes.is_empty() {
            let none = crate::text!(
                en: "No clause changed.",
                de: "Kein Abschnitt wurde geändert.",
            );
            out.push_str(&format!("{}\n\n", none.get(lang)));
        } else {
            let (section, change) = match lang {
                Language::De => ("Abschnitt", "Änderung"),
                Language::En => ("Clause", "Change"),
            };
            out.push_str(&format!("| {section} | {change} |\n|---|---|\n"));
            for c in &self.changes {
                out.push_str(&format!(
                    "| {} | {} |\n",
                    c.heading,
                    markdown_text(&c.describe(lang))
                ));
            }
            out.push('\n');
        }
        if !self.values.is_empty() {
            let title = crate::text!(
                en: "Project values that differ:",
                de: "Geänderte Werte des Projekts:",
            );
            out.push_str(&format!("{}\n\n", title.get(lang)));
            for v in &self.values {
                out.push_str(&format!("- {}\n", markdown_text(&v.describe(lang))));
            }
            out.push('\n');
        }
        out
    }
}

impl ClauseChange {
    /// "changed: variant high → very high (protection level)".
    pub fn describe(&self, lang: Language) -> String {
        let kind = match (self.kind, lang) {
            (Kind::Added, Language::En) => "added",
            (Kind::Added, Language::De) => "neu",
            (Kind::Removed, Language::En) => "removed",
            (Kind::Removed, Language::De) => "entfallen",
            (Kind::Changed, Language::En) => "changed",
            (Kind::Changed, Language::De) => "geändert",
        };
        if self.reasons.is_empty() {
            return kind.to_owned();
        }
        let reasons: Vec<&str> = self.reasons.iter().map(|r| r.get(lang)).collect();
        format!("{kind}: {}", reasons.join("; "))
    }
}

impl ValueChange {
    /// "service_levels.rto_hours: 4 → 2", "subcontractors[2]: added".
    pub fn describe(&self, lang: Language) -> String {
        let path = &self.path;
        match (&self.old, &self.new) {
            (Some(old), Some(new)) => format!("{path}: {old} → {new}"),
            (None, Some(new)) => match lang {
                Language::En => format!("{path}: added ({new})"),
                Language::De => format!("{path}: hinzugefügt ({new})"),
            },
            (Some(old), None) => match lang {
                Language::En => format!("{path}: removed (was {old})"),
                Language::De => format!("{path}: entfernt (war {old})"),
            },
            (None, None) => path.clone(),
        }
    }
}

/// The heading of a clause in both versions: the new number, the title compared.
fn heading(old: &str, new: &str) -> String {
    let title = |h: &str| {
        h.split_once(' ')
            .map_or(String::new(), |(_, t)| t.to_owned())
    };
    let number = |h: &str| {
        h.split_once(' ')
            .map_or(h.to_owned(), |(n, _)| n.to_owned())
    };
    let (old_title, new_title) = (title(old), title(new));
    if old_title == new_title {
        return new.to_owned();
    }
    let (changed, _) = text::lines(&old_title, &new_title);
    format!("{} {changed}", number(new))
}

/// A clause only one version has: its heading and text in one mark.
fn whole_section(section: &side::Section, mark: Mark) -> String {
    format!(
        "\n## {}\n\n{}",
        wrap(&section.heading, mark),
        text::all(section.body.trim_start_matches('\n'), mark)
    )
}

/// A whole line of text in one mark.
fn wrap(text: &str, mark: Mark) -> String {
    match mark {
        Mark::Inserted => format!("{INS_OPEN}{text}{INS_CLOSE}"),
        Mark::Deleted => format!("{DEL_OPEN}{text}{DEL_CLOSE}"),
    }
}

/// A clause variant's level as the annex names it.
fn level_name(variant: &str, lang: Language) -> String {
    Level::parse(variant).map_or_else(|| variant.to_owned(), |l| l.name(lang).replace('_', " "))
}

fn variant_reason(variant: &str, lang: Language) -> Localized {
    let _ = lang;
    let en = level_name(variant, Language::En);
    let de = level_name(variant, Language::De);
    Localized::new(
        format!("variant for protection level {en}"),
        format!("Variante für den Schutzbedarf {de}"),
    )
}

/// Why a clause in both versions reads differently.
fn reasons(
    old: &side::Section,
    new: &side::Section,
    values: &[ValueChange],
    values_known: bool,
    lang: Language,
) -> Vec<Localized> {
    let _ = lang;
    let mut out = Vec::new();
    if old.variant != new.variant {
        let (oe, ne) = (
            level_name(&old.variant, Language::En),
            level_name(&new.variant, Language::En),
        );
        let (od, nd) = (
            level_name(&old.variant, Language::De),
            level_name(&new.variant, Language::De),
        );
        out.push(Localized::new(
            format!("variant {oe} → {ne} (protection level)"),
            format!("Variante {od} → {nd} (Schutzbedarf)"),
        ));
    } else if let (Some(a), Some(b)) = (&old.sha256, &new.sha256)
        && a != b
    {
        let file = &new.file;
        out.push(crate::text!(
            en: "the clause's template text changed ({file})",
            de: "der Vorlagentext des Abschnitts wurde geändert ({file})",
        ));
    }
    if out.is_empty() {
        out.push(if !values_known {
            crate::text!(
                en: "the project's values or the numbering of other clauses",
                de: "die Werte des Projekts oder die Nummerierung anderer Abschnitte",
            )
        } else if values.is_empty() {
            crate::text!(
                en: "the numbering of other clauses",
                de: "die Nummerierung anderer Abschnitte",
            )
        } else {
            crate::text!(en: "the project's values", de: "die Werte des Projekts")
        });
    }
    out
}

/// The values of two project descriptions that differ, by path, in path order.
fn value_changes(old: &serde_json::Value, new: &serde_json::Value) -> Vec<ValueChange> {
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    flatten(old, String::new(), &mut a, 0);
    flatten(new, String::new(), &mut b, 0);
    let mut paths: Vec<&String> = a.keys().chain(b.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter_map(|p| {
            let (o, n) = (a.get(p), b.get(p));
            (o != n).then(|| ValueChange {
                path: p.clone(),
                old: o.cloned(),
                new: n.cloned(),
            })
        })
        .collect()
}

/// Leaf values by path; a value nested deeper than 16 levels is compared as its JSON text.
fn flatten(
    value: &serde_json::Value,
    path: String,
    out: &mut BTreeMap<String, String>,
    depth: usize,
) {
    const MAX_DEPTH: usize = 16;
    const MAX_SHOWN: usize = 80;
    match value {
        serde_json::Value::Object(map) if depth < MAX_DEPTH && !map.is_empty() => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                flatten(v, p, out, depth + 1);
            }
        }
        serde_json::Value::Array(items) if depth < MAX_DEPTH && !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                flatten(v, format!("{path}[{i}]"), out, depth + 1);
            }
        }
        other => {
            let mut shown = match other {
                serde_json::Value::String(s) => s.clone(),
                v => v.to_string(),
            };
            if shown.chars().count() > MAX_SHOWN {
                shown = shown.chars().take(MAX_SHOWN).collect::<String>() + "…";
            }
            out.insert(path, shown);
        }
    }
}

#[cfg(test)]
mod tests;

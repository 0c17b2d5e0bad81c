//! `annex templates check`: checks a template library without a project and reports every
//! problem, each at its line of the user's file, with a hint.
//!
//! 1. The loader's checks (front matter, topic catalogue, defaults, locales, both languages).
//! 2. Each Tera template on its own ([`statics`]): syntax, unknown filters, tests and
//!    functions, variables that do not exist (against the context the renderer builds for the
//!    example projects, completed by the project schema, see [`shapes`]), `ref(id=…)` and
//!    `sections[…]` naming no clause.
//! 3. Topics of the catalogue without any clause.
//! 4. The library's example projects ([`examples`]) rendered at every level in both languages
//!    by the [`Generator`] that `annex render` uses, up to the Typst files of the PDF; every
//!    clause variant no example selects is rendered in their annexes too. Each distinct error
//!    is reported once. A library this check calls clean renders.

mod examples;
mod projects;
mod shape;
mod shapes;
mod statics;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location};
use crate::generator::Generator;
use crate::language::{Language, Localized, count};
use crate::library::{Files, Library, front_matter};
use crate::pdf::PdfEngine;
use statics::{Probes, Template, TemplateKind, static_check};

/// The result of a check.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every problem, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Clause files checked.
    pub clause_files: usize,
    /// Topics of the catalogue.
    pub topics: usize,
    /// Example project variants (project × level × language) rendered.
    pub variants: usize,
    /// Clause renders done.
    pub renders: usize,
    /// Example projects rendered.
    pub examples: usize,
    /// Made-up projects rendered (only the required fields, each fact, each exclusion).
    pub made_up: usize,
}

impl Report {
    /// Whether no error was found (warnings may be).
    pub fn is_clean(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The last line of the output (`library` names the library checked).
    pub fn summary(&self, library: &str) -> Localized {
        let warnings = self.diagnostics.iter().filter(|d| !d.is_error()).count();
        let warned = if warnings == 0 {
            Localized::verbatim("")
        } else {
            Localized::new(
                format!(", {}", count(warnings, "warning", "warnings")),
                format!(", {}", count(warnings, "Warnung", "Warnungen")),
            )
        };
        let (w_en, w_de) = (&warned.en, &warned.de);
        if self.is_clean() {
            let found = if warnings == 0 {
                crate::text!(en: "no problems", de: "keine Probleme")
            } else {
                crate::text!(en: "no errors{w_en}", de: "keine Fehler{w_de}")
            };
            let (found_en, found_de) = (&found.en, &found.de);
            let Report {
                clause_files,
                topics,
                renders,
                examples,
                made_up,
                ..
            } = self;
            return crate::text!(
                en: "{library}: ok: {clause_files} clause files, {topics} topics; {renders} clause renders with {examples} example projects and {made_up} made-up ones at 3 levels in 2 languages, {found_en}",
                de: "{library}: in Ordnung: {clause_files} Klauseldateien, {topics} Themen; {renders} Klauseltexte erzeugt mit {examples} Beispielprojekten und {made_up} konstruierten Projekten auf 3 Stufen des Schutzbedarfs in 2 Sprachen, {found_de}",
            );
        }
        let errors: Vec<&Diagnostic> = self.diagnostics.iter().filter(|d| d.is_error()).collect();
        let shown = errors
            .iter()
            .filter(|d| d.count_of_more().is_none())
            .count();
        let n = shown
            + errors
                .iter()
                .filter_map(|d| d.count_of_more())
                .sum::<usize>();
        let problems = Localized::new(
            count(n, "problem", "problems"),
            count(n, "Problem", "Probleme"),
        );
        let (p_en, p_de) = (&problems.en, &problems.de);
        if n == shown {
            crate::text!(
                en: "{library}: {p_en} found{w_en}",
                de: "{library}: {p_de} gefunden{w_de}",
            )
        } else {
            crate::text!(
                en: "{library}: {p_en} found, {shown} shown{w_en}",
                de: "{library}: {p_de} gefunden, {shown} gezeigt{w_de}",
            )
        }
    }
}

/// Checks the library: the built-in one with `dir` laid over it, or the built-in one alone.
pub fn check(dir: Option<&Path>) -> Report {
    check_with_fonts(dir, &crate::pdf::AddedFonts::none())
}

/// [`check`] with fonts added to the embedded ones (`--font-path`): the example projects are
/// checked and rendered with them, as `annex render` would.
pub fn check_with_fonts(dir: Option<&Path>, added: &crate::pdf::AddedFonts) -> Report {
    let mut report = Report::default();
    let files = match Files::load(dir) {
        Ok(f) => f,
        Err(e) => {
            report.diagnostics = e;
            return report;
        }
    };
    report.diagnostics.extend(files.warnings.iter().cloned());
    if let Some(base) = &files.base {
        report
            .diagnostics
            .extend(crate::library::changes::upgraded(&files, base));
    }
    let library = match Library::from_files(&files.files) {
        Ok(l) => Some(l),
        Err(errors) => {
            report.diagnostics.extend(errors);
            None
        }
    };

    // The templates, whether or not the whole library loads.
    let mut templates = Vec::new();
    let mut clause_ids = BTreeSet::new();
    let mut clause_topics = BTreeSet::new();
    for (rel, file) in &files.files {
        if rel.starts_with("clauses/") && rel.ends_with(".md") {
            report.clause_files += 1;
            if let Ok(s) = front_matter::split(&file.shown_as, &file.text) {
                clause_ids.insert(s.meta.id.clone());
                clause_topics.insert(s.meta.topic.clone());
                templates.push(Template {
                    name: format!("{}.md", file.shown_as),
                    file: file.shown_as.clone(),
                    body: s.body.to_string(),
                    line_offset: s.body_line_offset,
                    kind: TemplateKind::Clause(s.meta.language),
                });
            }
        }
    }
    for (rel, kind) in [
        ("markdown/title.md", TemplateKind::Title),
        ("markdown/coverage.md", TemplateKind::Coverage),
    ] {
        if let Some(f) = files.files.get(rel) {
            templates.push(Template {
                name: f.shown_as.clone(),
                file: f.shown_as.clone(),
                body: f.text.clone(),
                line_offset: 0,
                kind,
            });
        }
    }

    // The variables: what the renderer builds for the examples, completed by the schema (with
    // the built-in library's examples when this library does not load).
    let fonts = PdfEngine::with_fonts(added);
    let builtin = library.is_none().then(|| Library::builtin().ok()).flatten();
    let shapes = library
        .as_ref()
        .or(builtin.as_ref())
        .map(|l| shapes::shapes(l, &examples::variants(l, &fonts), &clause_ids));

    // Static checks of each template.
    let mut probes = Probes::default();
    let mut sound = BTreeSet::new();
    for t in &templates {
        let errors = static_check(t, shapes.as_ref(), &clause_ids, &mut probes);
        if errors.is_empty() {
            sound.insert(t.name.clone());
        }
        report.diagnostics.extend(errors);
    }

    // Topics without clauses.
    if let Some(topics) = files.files.get("topics.toml")
        && let Ok(catalogue) = crate::library::parse_topics(&topics.text)
    {
        report.topics = library
            .as_ref()
            .map_or(catalogue.len(), |l| l.catalogue.topics.len());
        for topic in &catalogue {
            if !clause_topics.contains(&topic.id) {
                let (location, line) = id_location(&topics.shown_as, &topics.text, &topic.id);
                let id = &topic.id;
                report.diagnostics.push(
                    Diagnostic::error(
                        Some(location),
                        crate::text!(
                            en: "topic \"{id}\" has no clause",
                            de: "Thema \"{id}\" hat keine Klausel",
                        ),
                    )
                    .with_line_text(&line)
                    .hint(crate::text!(
                        en: "write a clause with `topic = \"{id}\"` in clauses/de/ or clauses/en/ (or both), or remove the topic from topics.toml",
                        de: "schreiben Sie eine Klausel mit `topic = \"{id}\"` in clauses/de/ oder clauses/en/ (oder in beide), oder entfernen Sie das Thema aus topics.toml",
                    )),
                );
            }
        }
    }

    // Clauses in one language only.
    if let Some(library) = &library {
        let text_of = |shown: &str| {
            files
                .files
                .values()
                .find(|f| f.shown_as == shown)
                .map(|f| f.text.clone())
        };
        report
            .diagnostics
            .extend(crate::library::one_language_clauses(library, &text_of));
    }

    // Render the examples as `annex render` does, with the templates that passed the checks
    // above (the others' problems are reported already).
    if let Some(library) = &library {
        match Generator::with_engine(runnable(library, &sound), fonts) {
            Ok(mut generator) => {
                let variants = examples::variants(generator.library(), generator.fonts());
                report.variants = variants.len();
                report.examples = variants
                    .iter()
                    .map(|v| &v.file)
                    .collect::<BTreeSet<_>>()
                    .len();
                let rendered = examples::render(&generator, variants);
                report.renders = rendered.renders;
                projects::render(
                    library,
                    &mut generator,
                    &mut sound,
                    &rendered.errors,
                    &mut report,
                );
                report.diagnostics.extend(rendered.errors);
            }
            Err(failure) => report.diagnostics.extend(failure.diagnostics),
        }
    }

    // Each problem once, in the order of the files.
    let mut seen = BTreeSet::new();
    report
        .diagnostics
        .retain(|d| seen.insert(d.display(Language::En).to_string()));
    report.diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            d.location
                .as_ref()
                .map(|l| {
                    (
                        false,
                        l.file.clone(),
                        d.is_count_of_more(),
                        l.line,
                        l.column,
                    )
                })
                .unwrap_or((true, PathBuf::new(), false, None, None))
        };
        key(a).cmp(&key(b))
    });
    report
}

/// The library with the templates that failed their own checks emptied (their problems are
/// reported already): their sections stay in the annexes, so that references to them hold.
pub(super) fn runnable(library: &Library, sound: &BTreeSet<String>) -> Library {
    let mut library = library.clone();
    for clause in &mut library.clauses {
        if !sound.contains(&clause.template_name()) {
            clause.body.clear();
        }
    }
    for (name, text) in [
        (&library.title_block_file, &mut library.title_block),
        (
            &library.coverage_appendix_file,
            &mut library.coverage_appendix,
        ),
    ] {
        if !sound.contains(name.as_str()) {
            text.clear();
        }
    }
    library
}

/// The line of `id = "<id>"` in the topic catalogue.
fn id_location(file: &str, text: &str, id: &str) -> (Location, String) {
    let wanted = format!("\"{id}\"");
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.strip_prefix("id")
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('='))
            .is_some_and(|r| r.trim() == wanted)
        {
            let column = line.chars().count() - t.chars().count() + 1;
            return (Location::at(file, i + 1, column), line.to_string());
        }
    }
    (Location::file(file), String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLAUSE: &str = r#"+++
id = "edge"
topic = "confidentiality"
language = "LANG"
title = "Edge"
governed_by = "confidentiality"
level = "normal"
order = 122
+++

## A

{{ service_levels.response_minutes.p1 | minutes }} {% for c in service.components %}{{ c }}{% endfor %}
{% for s in subcontractors %}{{ s.name }} {{ loop.index }}{% endfor %} {{ level }} {{ clause.number }}
{% if sections["audit-rights"] %}{{ ref(id="audit-rights") }}{% endif %} {{ variables.anything.deep }}
{% set x = service.description %}{{ x }}{% if foo is defined %}y{% endif %} {# {{ ignored }} #}
{{ service.description | upper | truncate(length=3) }}{% if client.contact %}{{ client.contact.name }}{% endif %}
{{ labels.clientt }} {{ s.name }} {{ service.components.first }}
"#;

    #[test]
    fn accepts_what_works_and_locates_what_does_not() {
        let dir = tempfile::tempdir().unwrap();
        for lang in ["de", "en"] {
            let folder = dir.path().join("clauses").join(lang);
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join("edge.normal.md"), CLAUSE.replace("LANG", lang)).unwrap();
        }
        let report = check(Some(dir.path()));
        let messages: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| {
                let l = d.location.as_ref().unwrap();
                format!("{}:{} {}", l.line.unwrap(), l.column.unwrap(), d.message)
            })
            .collect();
        let de = &messages[..messages.len() / 2];
        assert_eq!(
            de,
            [
                "18:11 there is no variable `labels.clientt`; did you mean `labels.client`?",
                "18:25 unknown variable `s`",
                "18:57 `service.components` is a list, so it has no field `first`",
            ],
            "{messages:#?}"
        );
        assert_eq!(messages.len(), 6, "{messages:#?}");
        let german: Vec<&str> = report.diagnostics[..3]
            .iter()
            .map(|d| d.message.get(Language::De))
            .collect();
        assert_eq!(
            german,
            [
                "es gibt keine Variable `labels.clientt`; meinten Sie `labels.client`?",
                "unbekannte Variable `s`",
                "`service.components` ist eine Liste und hat daher kein Feld `first`",
            ]
        );
    }

    #[test]
    fn the_summary_counts_in_both_languages() {
        let mut report = Report {
            clause_files: 4,
            topics: 2,
            renders: 30,
            examples: 1,
            made_up: 3,
            ..Report::default()
        };
        let summary = report.summary("lib");
        assert_eq!(
            summary.en(),
            "lib: ok: 4 clause files, 2 topics; 30 clause renders with 1 example projects and 3 made-up ones at 3 levels in 2 languages, no problems"
        );
        assert_eq!(
            summary.get(Language::De),
            "lib: in Ordnung: 4 Klauseldateien, 2 Themen; 30 Klauseltexte erzeugt mit 1 Beispielprojekten und 3 konstruierten Projekten auf 3 Stufen des Schutzbedarfs in 2 Sprachen, keine Probleme"
        );
        report
            .diagnostics
            .push(Diagnostic::warning(None, crate::text!(en: "w", de: "w")));
        assert!(
            report
                .summary("lib")
                .get(Language::De)
                .ends_with("keine Fehler, 1 Warnung")
        );
        report
            .diagnostics
            .push(Diagnostic::error(None, crate::text!(en: "e", de: "e")));
        let summary = report.summary("lib");
        assert_eq!(summary.en(), "lib: 1 problem found, 1 warning");
        assert_eq!(
            summary.get(Language::De),
            "lib: 1 Problem gefunden, 1 Warnung"
        );
    }
}

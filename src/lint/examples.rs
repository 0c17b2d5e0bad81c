//! The example projects of a library (`examples/*.json`, next to the templates), run through
//! the stages of `annex render` at every level in both languages: what only shows when a
//! template runs is found here, by the code that renders annexes.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::document::Mode;
use crate::document::Selected;
use crate::generator::Generator;
use crate::language::Localized;
use crate::level::Level;
use crate::library::{Clause, Library};
use crate::project::{self, Language, ProjectSource};
use crate::select::{Reason, Section, VariantChoice};
use crate::typeset::{Formats, Options};
use crate::validate::{self, Loaded, Printable};

/// One example project at one level in one language, validated and with its clauses chosen.
pub struct Variant<'l> {
    /// "templates/examples/x.json with every protection level "high", in English".
    pub label: Localized,
    /// The example's file, as shown.
    pub file: String,
    /// The annex language.
    pub language: Language,
    /// The project, validated, and its clauses.
    pub selected: Selected<'l>,
    /// Whether the clause variants no example selects are rendered in its annex too (for the
    /// library's examples; the made-up projects render their own selection).
    pub every_variant: bool,
}

/// The example projects with all three basic values at each level, in each language, as the
/// real stages validate them and choose their clauses. The variants the library refuses (e.g.
/// a figure that contradicts a level's default) are left out: they say nothing about the
/// templates.
pub fn variants<'l>(library: &'l Library, fonts: &dyn Printable) -> Vec<Variant<'l>> {
    let mut out = Vec::new();
    for file in &library.examples {
        let Ok(mut value) = serde_json::from_str::<Value>(&file.text) else {
            continue;
        };
        // The example's own figures suit its own levels and may contradict another level's
        // defaults: every level takes its defaults, but for the capacity figures, which have
        // none.
        if let Some(object) = value.as_object_mut() {
            object.remove("security_concept");
            object.remove("term");
            object.remove("accepted_deviations");
            if let Some(Value::Object(levels)) = object.get_mut("service_levels") {
                levels.retain(|k, _| ["compute", "storage_gb", "staff_min"].contains(&k.as_str()));
            }
        }
        for (level, language) in LEVELS_AND_LANGUAGES {
            out.extend(variant(
                library,
                fonts,
                &Localized::verbatim(file.shown_as.as_str()),
                &value,
                level,
                language,
                true,
            ));
        }
    }
    out
}

/// Every protection level in each language.
pub const LEVELS_AND_LANGUAGES: [(Level, Language); 6] = [
    (Level::Normal, Language::De),
    (Level::Normal, Language::En),
    (Level::High, Language::De),
    (Level::High, Language::En),
    (Level::VeryHigh, Language::De),
    (Level::VeryHigh, Language::En),
];

/// The project `value` (shown as `shown_as`: its file, or what a made-up project is; the
/// English text names its file) with every basic value at `level`, in `language`, validated
/// and with its clauses chosen; `None` if the library refuses it.
pub fn variant<'l>(
    library: &'l Library,
    fonts: &dyn Printable,
    shown_as: &Localized,
    value: &Value,
    level: Level,
    language: Language,
    every_variant: bool,
) -> Option<Variant<'l>> {
    let mut value = value.clone();
    for key in ["confidentiality", "integrity", "availability"] {
        set(
            &mut value,
            &["protection", key],
            Value::from(level.as_str()),
        );
    }
    set(
        &mut value,
        &["annex", "language"],
        Value::from(language.code()),
    );
    let source = ProjectSource::new(shown_as.en(), value.to_string());
    let project = project::parse(&source).ok()?;
    let validated = validate::validate(library, fonts, Loaded { project, source }).ok()?;
    let selection = crate::select::select(library, &validated.project, &validated.source).ok()?;
    let (name_en, name_de) = (&shown_as.en, &shown_as.de);
    let (level_en, level_de) = (level.name(Language::En), level.name(Language::De));
    let language_en = &library.locale(language).english_name;
    let language_de = match language {
        Language::De => "Deutsch",
        Language::En => "Englisch",
    };
    Some(Variant {
        label: crate::text!(
            en: "{name_en} with every protection level \"{level_en}\", in {language_en}",
            de: "{name_de}, mit dem Schutzbedarf \"{level_de}\" für jeden Grundwert, auf {language_de}",
        ),
        file: shown_as.en().to_owned(),
        every_variant,
        language,
        selected: Selected {
            validated,
            selection,
        },
    })
}

/// Sets the member at `path` of a JSON object, creating the objects on the way; leaves a value
/// that is not an object where one is needed as it is.
fn set(value: &mut Value, path: &[&str], to: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = value;
    for key in parents {
        let Some(next) = at.as_object_mut().map(|o| {
            o.entry(*key)
                .or_insert_with(|| Value::Object(serde_json::Map::new()))
        }) else {
            return;
        };
        at = next;
    }
    if let Some(object) = at.as_object_mut() {
        object.insert((*last).to_owned(), to);
    }
}

/// What rendering the examples found.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Each distinct error once, with the example that showed it.
    pub errors: Vec<Diagnostic>,
    /// Clause renders done.
    pub renders: usize,
    /// Documents rendered.
    pub documents: usize,
}

/// Renders every variant's annex as `annex render` does (without the final annex's gate, which
/// judges the project, not the templates), up to and including the Typst files of the PDF.
/// Then the clause variants no example selects: each one in the annex of every variant of its
/// language, in place of the variant of the same clause or, for a clause the annex leaves
/// out, as an extra section at its end.
pub fn render(generator: &Generator, variants: Vec<Variant<'_>>) -> Rendered {
    let mut rendered = Rendered::default();
    let mut seen = BTreeSet::new();
    let selected: BTreeSet<&str> = variants
        .iter()
        .flat_map(|v| v.selected.selection.sections.iter())
        .map(|s| s.clause.file.as_str())
        .collect();
    let unselected: Vec<&Clause> = generator
        .library()
        .clauses
        .iter()
        .filter(|c| !selected.contains(c.file.as_str()))
        .collect();
    for variant in variants {
        // The annex as selected, then as many more as the most variants one clause has left,
        // each with one of them.
        let mut left: Vec<&Clause> = unselected
            .iter()
            .copied()
            .filter(|c| variant.every_variant && c.meta.language == variant.language)
            .collect();
        let mut runs = vec![variant.selected.clone()];
        while !left.is_empty() {
            let mut taken = BTreeSet::new();
            let mut selected = variant.selected.clone();
            left.retain(|clause| {
                if !taken.insert(clause.meta.id.as_str()) {
                    return true;
                }
                substitute(&mut selected, clause);
                false
            });
            runs.push(selected);
        }
        for selected in runs {
            rendered.documents += 1;
            rendered.renders += selected.selection.sections.len();
            let errors = run(generator, selected);
            for d in errors {
                if seen.insert(d.display(Language::En).to_string()) {
                    let (label_en, label_de) = (&variant.label.en, &variant.label.de);
                    rendered.errors.push(d.hint(crate::text!(
                        en: "found when rendering {label_en}",
                        de: "gefunden beim Erstellen der Anlage für {label_de}",
                    )));
                }
            }
        }
    }
    rendered
}

/// Puts `clause` into the annex: in place of the section of the same clause id, or as a new
/// last section.
fn substitute<'l>(selected: &mut Selected<'l>, clause: &'l Clause) {
    let project = &selected.validated.project;
    let level = project.protection.governing(clause.meta.governed_by);
    let sections = &mut selected.selection.sections;
    match sections
        .iter_mut()
        .find(|s| s.clause.meta.id == clause.meta.id)
    {
        Some(section) => section.clause = clause,
        None => {
            let number = sections.len() + 1;
            sections.push(Section {
                number,
                clause,
                level,
                reason: Reason::Level,
                choice: VariantChoice {
                    candidates: vec![clause.meta.level],
                    weakest_above: false,
                },
            });
        }
    }
}

/// One annex through the stages of `annex render` up to the Typst files: its errors, and the
/// warnings about its templates.
fn run(generator: &Generator, selected: Selected<'_>) -> Vec<Diagnostic> {
    let options = Options {
        formats: Formats {
            markdown: true,
            pdf: false,
            docx: false,
            typst: true,
        },
        ..Options::default()
    };
    let document = match generator.render_unchecked(selected, Mode::Final) {
        Ok(document) => document,
        Err(failure) => return only_errors(failure.diagnostics),
    };
    // The templates' own warnings (an empty subsection), not the example's.
    let mut found = document.markdown.warnings.clone();
    if let Err(failure) = generator.convert(&document, &options) {
        found.extend(only_errors(failure.diagnostics));
    }
    found
}

/// The errors among the diagnostics (a failure also carries the warnings found before it,
/// which are about the example, not the templates), without the advice to render a draft,
/// which is for the author of a project, not of a template.
fn only_errors(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .filter(|d| d.severity == crate::diagnostic::Severity::Error)
        .map(|mut d| {
            d.hints.retain(|h| !h.en().contains("--draft"));
            d
        })
        .collect()
}

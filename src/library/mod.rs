//! The template library: clause files, topic catalogue, service-level defaults, locale texts and
//! the Typst frame, loaded once and shared by every annex of a run.

mod catalogue;
mod front_matter;

use std::collections::BTreeMap;

use include_dir::{Dir, include_dir};

pub use catalogue::{Catalogue, Topic};
pub use front_matter::{ClauseMeta, Condition};

use crate::diagnostic::{Diagnostic, Location};
use crate::level::Level;
use crate::project::Language;
use crate::service_levels::Defaults;

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Where built-in files are said to live in messages.
const BUILTIN_PREFIX: &str = "templates";

/// One clause variant in one language.
#[derive(Debug, Clone)]
pub struct Clause {
    /// Its front matter.
    pub meta: ClauseMeta,
    /// The Markdown/Tera text after the front matter.
    pub body: String,
    /// Lines of the file before the body.
    pub body_line_offset: usize,
    /// The file it came from (for messages).
    pub file: String,
}

impl Clause {
    /// The name under which the body is registered with the template engine.
    pub fn template_name(&self) -> String {
        format!("{}.md", self.file)
    }
}

/// Texts of the document frame in one language.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Locale {
    /// Default annex title.
    pub default_title: String,
    /// Labels used by the title block, header, footer and frame.
    pub labels: BTreeMap<String, String>,
}

/// The whole library.
#[derive(Debug, Clone)]
pub struct Library {
    /// Every clause variant, sorted by (order, id, language, level).
    pub clauses: Vec<Clause>,
    /// The topic catalogue.
    pub catalogue: Catalogue,
    /// Service-level and security-concept defaults.
    pub defaults: Defaults,
    /// Frame texts per language.
    pub locales: BTreeMap<&'static str, Locale>,
    /// The Typst frame.
    pub frame: String,
    /// The Markdown title block template (Tera).
    pub title_block: String,
}

/// Labels every locale must define (the frame and the title block use them).
pub const LABELS: [&str; 12] = [
    "annex",
    "to_contract",
    "client",
    "provider",
    "represented_by",
    "date",
    "version",
    "id",
    "contents",
    "page",
    "of",
    "draft",
];

/// The files of the built-in library: path relative to `templates/` -> text.
pub fn builtin_files() -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    collect(&BUILTIN, &mut files);
    files
}

impl Library {
    /// The library compiled into the binary.
    pub fn builtin() -> Result<Library, Vec<Diagnostic>> {
        Library::from_files(&builtin_files())
    }

    /// Builds a library from `relative path -> text`.
    pub fn from_files(files: &BTreeMap<String, String>) -> Result<Library, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let name = |rel: &str| format!("{BUILTIN_PREFIX}/{rel}");
        let mut missing = Vec::new();
        let mut need = |rel: &str| -> Option<&String> {
            let f = files.get(rel);
            if f.is_none() {
                missing.push(Diagnostic::error(
                    Some(Location::file(name(rel))),
                    "required library file is missing",
                ));
            }
            f
        };
        let frame = need("typst/frame.typ").cloned().unwrap_or_default();
        let title_block = need("markdown/title.md").cloned().unwrap_or_default();
        let topics = need("topics.toml").cloned();
        let defaults_text = need("service-levels.toml").cloned();
        let locale_texts: Vec<(Language, String, Option<&String>)> = [Language::De, Language::En]
            .into_iter()
            .map(|lang| {
                let rel = format!("locale/{}.toml", lang.code());
                let text = need(&rel);
                (lang, rel, text)
            })
            .collect();
        errors.append(&mut missing);
        let mut locales = BTreeMap::new();
        for (lang, rel, text) in locale_texts {
            let Some(text) = text else { continue };
            match toml::from_str::<Locale>(text) {
                Ok(locale) => {
                    for label in LABELS {
                        if !locale.labels.contains_key(label) {
                            errors.push(Diagnostic::error(
                                Some(Location::file(name(&rel))),
                                format!("label `{label}` is missing"),
                            ));
                        }
                    }
                    locales.insert(lang.code(), locale);
                }
                Err(e) => errors.push(Diagnostic::error(
                    Some(Location::file(name(&rel))),
                    e.message().to_string(),
                )),
            }
        }
        let catalogue = topics.and_then(|t| match Catalogue::parse(&t) {
            Ok(c) => Some(c),
            Err(e) => {
                errors.push(Diagnostic::error(
                    Some(Location::file(name("topics.toml"))),
                    e,
                ));
                None
            }
        });
        let defaults = defaults_text.and_then(|t| match Defaults::parse(&t) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(Diagnostic::error(
                    Some(Location::file(name("service-levels.toml"))),
                    e,
                ));
                None
            }
        });

        let mut clauses = Vec::new();
        for (rel, text) in files
            .iter()
            .filter(|(p, _)| p.starts_with("clauses/") && p.ends_with(".md"))
        {
            match front_matter::split(&name(rel), text) {
                Ok(s) => clauses.push(Clause {
                    meta: s.meta,
                    body: s.body.to_string(),
                    body_line_offset: s.body_line_offset,
                    file: name(rel),
                }),
                Err(d) => errors.push(d),
            }
        }
        if let Some(catalogue) = &catalogue {
            errors.extend(check_clauses(&clauses, catalogue));
        }
        match (catalogue, defaults) {
            (Some(catalogue), Some(defaults)) if errors.is_empty() => {
                clauses.sort_by(|a, b| {
                    (
                        a.meta.order,
                        &a.meta.id,
                        a.meta.language.code(),
                        a.meta.level,
                    )
                        .cmp(&(
                            b.meta.order,
                            &b.meta.id,
                            b.meta.language.code(),
                            b.meta.level,
                        ))
                });
                Ok(Library {
                    clauses,
                    catalogue,
                    defaults,
                    locales,
                    frame,
                    title_block,
                })
            }
            _ => Err(errors),
        }
    }

    /// The locale of a language.
    pub fn locale(&self, lang: Language) -> &Locale {
        // Both locales are checked to exist when the library is built.
        &self.locales[lang.code()]
    }
}

fn collect(dir: &Dir<'_>, out: &mut BTreeMap<String, String>) {
    for file in dir.files() {
        if let Some(text) = file.contents_utf8() {
            out.insert(
                file.path().to_string_lossy().replace('\\', "/"),
                text.to_string(),
            );
        }
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

/// Library-wide rules: known topics, no duplicate variants, same shape in both languages.
fn check_clauses(clauses: &[Clause], catalogue: &Catalogue) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut seen: BTreeMap<(&str, &str, Level), &str> = BTreeMap::new();
    for c in clauses {
        let m = &c.meta;
        let at = || Some(Location::at(&c.file, 1, 1));
        match catalogue.topic(&m.topic) {
            None => {
                let mut d = Diagnostic::error(at(), format!("unknown topic \"{}\"", m.topic));
                if let Some(s) = crate::diagnostic::did_you_mean(&m.topic, catalogue.ids()) {
                    d = d.hint(format!("did you mean \"{s}\"?"));
                }
                errors.push(d.hint("topics are declared in templates/topics.toml"));
            }
            Some(t) if t.governed_by != m.governed_by => errors.push(Diagnostic::error(
                at(),
                format!(
                    "governed_by = \"{}\" differs from the topic \"{}\", which is governed by \"{}\"",
                    m.governed_by.as_str(),
                    t.id,
                    t.governed_by.as_str()
                ),
            )),
            Some(_) => {}
        }
        if let Some(other) = seen.insert((&m.id, m.language.code(), m.level), &c.file) {
            errors.push(Diagnostic::error(
                at(),
                format!(
                    "clause \"{}\" ({}, {}) is defined twice; the other file is {other}",
                    m.id,
                    m.language.code(),
                    m.level
                ),
            ));
        }
    }
    // Same variants, order, topic and conditions in both languages.
    let shape = |lang: Language| -> BTreeMap<(&str, Level), (&str, i64, String)> {
        clauses
            .iter()
            .filter(|c| c.meta.language == lang)
            .map(|c| {
                let when: Vec<String> = c.meta.when.iter().map(|w| w.to_string()).collect();
                (
                    (c.meta.id.as_str(), c.meta.level),
                    (c.meta.topic.as_str(), c.meta.order, when.join(",")),
                )
            })
            .collect()
    };
    let (de, en) = (shape(Language::De), shape(Language::En));
    for ((id, level), v) in &de {
        match en.get(&(id, *level)) {
            None => errors.push(Diagnostic::error(None, format!("clause \"{id}\" has a \"{level}\" variant in German but not in English"))),
            Some(w) if w != v => errors.push(Diagnostic::error(
                None,
                format!("clause \"{id}\" ({level}) differs between German and English in topic, order or condition"),
            )),
            Some(_) => {}
        }
    }
    for (id, level) in en.keys() {
        if !de.contains_key(&(id, *level)) {
            errors.push(Diagnostic::error(
                None,
                format!("clause \"{id}\" has a \"{level}\" variant in English but not in German"),
            ));
        }
    }
    errors
}

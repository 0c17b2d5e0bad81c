//! The template library: clause files, topic catalogue, service-level defaults, locale texts and
//! the Typst frame, loaded once and shared by every annex of a run.

mod catalogue;
pub mod eject;
pub(crate) mod front_matter;
pub mod listing;
pub(crate) mod scan;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

pub(crate) use catalogue::parse_topics;
pub use catalogue::{Catalogue, CatalogueError, Framework, Item, Localized, NEED_ROOTS, Topic};
pub use front_matter::{ClauseMeta, Condition};
pub(crate) use scan::{nested_range_loop, unclosed_block};

use crate::diagnostic::{
    Diagnostic, Location, TextError, did_you_mean, toml_key_offset, toml_table_offset,
};
use crate::level::Level;
use crate::project::Language;
use crate::service_levels::Defaults;

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Where built-in files are said to live in messages.
const BUILTIN_PREFIX: &str = "templates";

/// The folder of the example projects, in the library.
const EXAMPLES_FOLDER: &str = "examples";

/// Whether a library file (by its relative path) is an example project.
fn is_example(rel: &str) -> bool {
    rel.strip_prefix(EXAMPLES_FOLDER)
        .and_then(|r| r.strip_prefix('/'))
        .is_some_and(|name| name.ends_with(".json") && !name.contains('/'))
}

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
    /// The language's name in English, for annex's own messages ("German"); its code if the
    /// locale does not say.
    #[serde(default)]
    pub english_name: String,
    /// Default annex title.
    pub default_title: String,
    /// The keywords of the PDF's metadata.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Labels used by the title block, header, footer and frame.
    pub labels: BTreeMap<String, String>,
    /// Names of the figures (`response_minutes.p1`, `security_concept.due_days`, …) as the
    /// annex prints them, e.g. in the list of accepted deviations.
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    /// Representatives as they read after "vertreten durch" / "represented by", with their
    /// article ("Vorstand" → "den Vorstand").
    #[serde(default)]
    pub represented_by: BTreeMap<String, String>,
}

/// The locale of each language.
#[derive(Debug, Clone)]
pub struct Locales {
    pub de: Locale,
    pub en: Locale,
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
    pub locales: Locales,
    /// The Typst frame.
    pub frame: String,
    /// The Markdown title block template (Tera).
    pub title_block: String,
    /// Its file, as messages name it.
    pub title_block_file: String,
    /// The Markdown coverage appendix template (Tera).
    pub coverage_appendix: String,
    /// Its file, as messages name it.
    pub coverage_appendix_file: String,
    /// SHA-256 (hex) of every file of the library, by the name messages use for it.
    pub file_hashes: BTreeMap<String, String>,
    /// The example projects (`examples/*.json`), which `annex templates check` renders at
    /// every level in both languages; in the order of their paths.
    pub examples: Vec<LibraryFile>,
}

/// Labels every locale must define (the frame and the title block use them).
pub const LABELS: [&str; 27] = [
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
    "draft_notice",
    "coverage_title",
    "coverage_intro",
    "coverage_item",
    "coverage_requirement",
    "coverage_sections",
    "coverage_excluded",
    "coverage_open",
    "coverage_missing",
    "coverage_crosswalk",
    "coverage_corresponding",
    "open_points",
    "open_points_intro",
    "attachment_project",
    "attachment_manifest",
];

/// One file of a library: its text and the name messages use for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryFile {
    /// The text.
    pub text: String,
    /// `templates/…` for built-in files, the real path for the user's files.
    pub shown_as: String,
}

impl LibraryFile {
    /// A built-in file at `rel` (relative to `templates/`).
    pub fn builtin(rel: &str, text: impl Into<String>) -> LibraryFile {
        LibraryFile {
            text: text.into(),
            shown_as: format!("{BUILTIN_PREFIX}/{rel}"),
        }
    }
}

/// The files of the built-in library, by path relative to `templates/`.
pub fn builtin_files() -> BTreeMap<String, LibraryFile> {
    let mut files = BTreeMap::new();
    collect(&BUILTIN, &mut files);
    files
}

/// Lays the files of a user folder over `files`: the same relative path replaces, a new one adds.
/// A file that cannot be read is an error; there is no silent fallback to the built-in text.
pub fn overlay(
    files: &mut BTreeMap<String, LibraryFile>,
    dir: &Path,
) -> Result<(), Vec<Diagnostic>> {
    fn walk(
        dir: &Path,
        root: &Path,
        files: &mut BTreeMap<String, LibraryFile>,
        errors: &mut Vec<Diagnostic>,
    ) {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                errors.push(Diagnostic::error(
                    Some(Location::file(dir)),
                    format!("cannot read the template folder: {e}"),
                ));
                return;
            }
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                walk(&path, root, files, errors);
                continue;
            }
            let wanted = path
                .extension()
                .is_some_and(|x| x == "md" || x == "toml" || x == "typ")
                || (path.extension().is_some_and(|x| x == "json")
                    && path
                        .parent()
                        .is_some_and(|p| p == root.join(EXAMPLES_FOLDER)));
            let Some(rel) = path.strip_prefix(root).ok().filter(|_| wanted) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    files.insert(
                        rel,
                        LibraryFile {
                            text,
                            shown_as: path.display().to_string(),
                        },
                    );
                }
                Err(e) => errors.push(Diagnostic::error(
                    Some(Location::file(&path)),
                    format!("cannot read the template: {e}"),
                )),
            }
        }
    }
    if !dir.is_dir() {
        return Err(vec![Diagnostic::error(
            Some(Location::file(dir)),
            "the template folder does not exist",
        )]);
    }
    let mut errors = Vec::new();
    walk(dir, dir, files, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Where a file of a library comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "path")]
pub enum FileOrigin {
    /// Compiled into annex (`templates/`).
    BuiltIn,
    /// The user's file at this path replaces the built-in file of the same relative path.
    Override(String),
    /// The user's file at this path adds a file the built-in library does not have.
    Addition(String),
}

/// The files of a library (built-in, with a user folder laid over it) and where each comes from.
#[derive(Debug, Clone)]
pub struct Files {
    /// Every file, by path relative to the library root.
    pub files: BTreeMap<String, LibraryFile>,
    /// The origin of each file, by the same path.
    pub origins: BTreeMap<String, FileOrigin>,
}

impl Files {
    /// The built-in files, with `dir` laid over them if given.
    pub fn load(dir: Option<&Path>) -> Result<Files, Vec<Diagnostic>> {
        let mut files = builtin_files();
        let mut origins: BTreeMap<String, FileOrigin> = files
            .keys()
            .map(|rel| (rel.clone(), FileOrigin::BuiltIn))
            .collect();
        if let Some(dir) = dir {
            let mut user = BTreeMap::new();
            overlay(&mut user, dir)?;
            for (rel, file) in user {
                let origin = if files.contains_key(&rel) {
                    FileOrigin::Override(file.shown_as.clone())
                } else {
                    FileOrigin::Addition(file.shown_as.clone())
                };
                origins.insert(rel.clone(), origin);
                files.insert(rel, file);
            }
        }
        Ok(Files { files, origins })
    }

    /// The origin of the file shown as `shown_as` in messages.
    pub fn origin_of_shown(&self, shown_as: &str) -> FileOrigin {
        self.files
            .iter()
            .find(|(_, f)| f.shown_as == shown_as)
            .and_then(|(rel, _)| self.origins.get(rel).cloned())
            .unwrap_or(FileOrigin::BuiltIn)
    }
}

impl Library {
    /// The library compiled into the binary.
    pub fn builtin() -> Result<Library, Vec<Diagnostic>> {
        Library::from_files(&builtin_files())
    }

    /// The built-in library with a user folder laid over it.
    pub fn with_overrides(dir: &Path) -> Result<Library, Vec<Diagnostic>> {
        let mut files = builtin_files();
        overlay(&mut files, dir)?;
        Library::from_files(&files)
    }

    /// Builds a library from its files, by path relative to the library root.
    pub fn from_files(files: &BTreeMap<String, LibraryFile>) -> Result<Library, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let name = |rel: &str| {
            files
                .get(rel)
                .map_or_else(|| format!("{BUILTIN_PREFIX}/{rel}"), |f| f.shown_as.clone())
        };
        let mut missing = Vec::new();
        let mut need = |rel: &str| -> Option<&String> {
            let f = files.get(rel).map(|f| &f.text);
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
        let coverage_appendix = need("markdown/coverage.md").cloned().unwrap_or_default();
        let topics = need("topics.toml").cloned();
        let frameworks = need("frameworks.toml").cloned();
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
                Ok(mut locale) => {
                    if locale.english_name.trim().is_empty() {
                        locale.english_name = lang.code().to_owned();
                    }
                    // Labels of the user's own (for an own frame) are fine; one that is a
                    // misspelling of a missing label is pointed at.
                    let unknown: Vec<&str> = locale
                        .labels
                        .keys()
                        .map(String::as_str)
                        .filter(|k| !LABELS.contains(k))
                        .collect();
                    for label in LABELS {
                        if locale.labels.contains_key(label) {
                            continue;
                        }
                        let misspelt = unknown.iter().find(|k| did_you_mean(k, [label]).is_some());
                        let e = match misspelt {
                            Some(k) => TextError::new(
                                format!("label `{label}` is missing"),
                                toml_key_offset(text, k),
                            )
                            .hint(format!("`{k}` looks like a misspelling of `{label}`: rename it")),
                            None => TextError::new(
                                format!("label `{label}` is missing"),
                                toml_table_offset(text, "labels"),
                            )
                            .hint(format!(
                                "add `{label} = \"…\"` to the [labels] table (the built-in locale/{}.toml has every label)",
                                lang.code()
                            )),
                        };
                        errors.push(e.diagnostic(name(&rel), text));
                    }
                    locales.insert(lang.code(), locale);
                }
                Err(e) => errors.push(TextError::from(e).diagnostic(name(&rel), text)),
            }
        }
        let catalogue = match (topics, frameworks) {
            (Some(t), Some(f)) => match Catalogue::parse(&t, &f) {
                Ok(c) => Some(c),
                Err(CatalogueError::Topics(e)) => {
                    errors.push(e.diagnostic(name("topics.toml"), &t));
                    None
                }
                Err(CatalogueError::Frameworks(e)) => {
                    errors.push(e.diagnostic(name("frameworks.toml"), &f));
                    None
                }
            },
            _ => None,
        };
        let defaults = defaults_text.and_then(|t| match Defaults::parse(&t) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(e.diagnostic(name("service-levels.toml"), &t));
                None
            }
        });

        let mut clauses = Vec::new();
        let errors_before_clauses = errors.len();
        for (rel, file) in files
            .iter()
            .filter(|(p, _)| p.starts_with("clauses/") && p.ends_with(".md"))
        {
            match front_matter::split(&name(rel), &file.text) {
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
            let text_of = |shown: &str| {
                files
                    .values()
                    .find(|f| f.shown_as == shown)
                    .map(|f| f.text.clone())
            };
            // A clause file that does not parse would show up again as missing in one language.
            let compare_languages = errors.len() == errors_before_clauses;
            let names: Vec<(Language, String)> = locales
                .iter()
                .filter_map(|(code, l)| Some((Language::parse(code)?, l.english_name.clone())))
                .collect();
            errors.extend(check_clauses(
                &clauses,
                catalogue,
                &text_of,
                compare_languages.then_some(names.as_slice()),
            ));
        }
        let (de, en) = (locales.remove("de"), locales.remove("en"));
        match (catalogue, defaults, de, en) {
            (Some(catalogue), Some(defaults), Some(de), Some(en)) if errors.is_empty() => {
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
                    locales: Locales { de, en },
                    frame,
                    title_block,
                    title_block_file: name("markdown/title.md"),
                    coverage_appendix,
                    coverage_appendix_file: name("markdown/coverage.md"),
                    examples: files
                        .iter()
                        .filter(|(rel, _)| is_example(rel))
                        .map(|(_, f)| f.clone())
                        .collect(),
                    file_hashes: files
                        .values()
                        .map(|f| {
                            (
                                f.shown_as.clone(),
                                crate::digest::sha256_hex(f.text.as_bytes()),
                            )
                        })
                        .collect(),
                })
            }
            _ => Err(errors),
        }
    }

    /// The locale of a language.
    pub fn locale(&self, lang: Language) -> &Locale {
        match lang {
            Language::De => &self.locales.de,
            Language::En => &self.locales.en,
        }
    }

    /// A representative as it reads after "vertreten durch" / "represented by".
    pub fn represented_by(&self, lang: Language, representative: &str) -> String {
        self.locale(lang)
            .represented_by
            .get(representative.trim())
            .cloned()
            .unwrap_or_else(|| representative.to_owned())
    }

    /// How a section is named before its number: the label `section` of the locale ("§",
    /// "Clause"), "§" if the locale has none.
    pub fn section_sign(&self, lang: Language) -> &str {
        self.locale(lang)
            .labels
            .get("section")
            .map_or("§", String::as_str)
    }
}

fn collect(dir: &Dir<'_>, out: &mut BTreeMap<String, LibraryFile>) {
    for file in dir.files() {
        if let Some(text) = file.contents_utf8() {
            let rel = file.path().to_string_lossy().replace('\\', "/");
            out.insert(rel.clone(), LibraryFile::builtin(&rel, text));
        }
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

/// The location of the line of the front matter of `text` that sets `field`, with that line.
pub(crate) fn field_location(file: &str, text: &str, field: &str) -> (Location, Option<String>) {
    let found = text.lines().enumerate().skip(1).find(|(_, l)| {
        l.trim_start()
            .strip_prefix(field)
            .is_some_and(|r| r.trim_start().starts_with('='))
    });
    match found {
        Some((i, line)) => {
            let column = line.chars().count() - line.trim_start().chars().count() + 1;
            (Location::at(file, i + 1, column), Some(line.to_string()))
        }
        None => (
            Location::at(file, 1, 1),
            text.lines().next().map(str::to_string),
        ),
    }
}

/// Library-wide rules: known topics, no duplicate variants, same shape in both languages.
/// `text_of` gives the text of a clause file by its name, to point at the line at fault.
fn check_clauses(
    clauses: &[Clause],
    catalogue: &Catalogue,
    text_of: &dyn Fn(&str) -> Option<String>,
    compare_languages: Option<&[(Language, String)]>,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let at_field = |c: &Clause, field: &str, message: String| {
        let text = text_of(&c.file).unwrap_or_default();
        let (location, line) = field_location(&c.file, &text, field);
        let d = Diagnostic::error(Some(location), message);
        match line {
            Some(line) => d.with_line_text(&line),
            None => d,
        }
    };
    let mut seen: BTreeMap<(&str, &str, Level), &str> = BTreeMap::new();
    for c in clauses {
        let m = &c.meta;
        match catalogue.topic(&m.topic) {
            None => {
                let mut d = at_field(c, "topic", format!("unknown topic \"{}\"", m.topic));
                if let Some(s) = crate::diagnostic::did_you_mean(&m.topic, catalogue.ids()) {
                    d = d.hint(format!("did you mean \"{s}\"?"));
                }
                errors.push(d.hint("topics are declared in templates/topics.toml"));
            }
            Some(t) if t.governed_by != m.governed_by => errors.push(at_field(
                c,
                "governed_by",
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
            errors.push(at_field(
                c,
                "id",
                format!(
                    "clause \"{}\" ({}, {}) is defined twice; the other file is {other}",
                    m.id,
                    m.language.code(),
                    m.level
                ),
            ));
        }
    }
    let Some(names) = compare_languages else {
        return errors;
    };
    // Same variants, order, topic and conditions in both languages.
    let shape = |lang: Language| -> BTreeMap<(&str, Level), (&str, i64, String, &Clause)> {
        clauses
            .iter()
            .filter(|c| c.meta.language == lang)
            .map(|c| {
                let when: Vec<String> = c.meta.when.iter().map(|w| w.to_string()).collect();
                (
                    (c.meta.id.as_str(), c.meta.level),
                    (c.meta.topic.as_str(), c.meta.order, when.join(","), c),
                )
            })
            .collect()
    };
    let (de, en) = (shape(Language::De), shape(Language::En));
    let name = |lang: Language| {
        names
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or_else(|| lang.code().to_owned(), |(_, name)| name.clone())
    };
    for (this, other, lang, missing) in [
        (&de, &en, Language::De, Language::En),
        (&en, &de, Language::En, Language::De),
    ] {
        for ((id, level), v) in this {
            match other.get(&(id, *level)) {
                None => errors.push(
                    at_field(
                        v.3,
                        "language",
                        format!(
                            "clause \"{id}\" has a \"{level}\" variant in {} but not in {}",
                            name(lang),
                            name(missing)
                        ),
                    )
                    .hint(format!(
                        "every variant must exist in both languages: add clauses/{}/{id}.{level}.md with the same id, topic, level, order and when",
                        missing.code()
                    )),
                ),
                Some(w) if lang == Language::De && (w.0, w.1, &w.2) != (v.0, v.1, &v.2) => {
                    let field = if w.0 != v.0 {
                        "topic"
                    } else if w.1 != v.1 {
                        "order"
                    } else {
                        "when"
                    };
                    errors.push(at_field(
                        v.3,
                        field,
                        format!("clause \"{id}\" ({level}) differs between German and English in `{field}`; the English file is {}", w.3.file),
                    ).hint("all variants and languages of a clause use the same topic, order and when"));
                }
                Some(_) => {}
            }
        }
    }
    errors
}

//! The template library: clause files, topic catalogue, service-level defaults, locale texts and
//! the Typst frame, loaded once and shared by every annex of a run.

mod catalogue;
pub mod changes;
mod clauses;
pub mod eject;
mod files;
pub(crate) mod front_matter;
pub mod listing;
mod merge;
pub(crate) mod scan;
mod unused;

use std::collections::BTreeMap;
use std::path::Path;

pub(crate) use catalogue::parse_topics;
pub use catalogue::{Catalogue, CatalogueError, Framework, Item, Localized, NEED_ROOTS, Topic};
pub use files::{FileOrigin, Files, LibraryFile, builtin_files, overlay};
pub use front_matter::{ClauseMeta, Condition};
pub(crate) use scan::{Meter, meters, nested_range_loop, unclosed_block};

use clauses::check_clauses;
pub(crate) use clauses::one_language_clauses;
pub use files::BUILTIN_PREFIX;
use files::is_example;

use crate::diagnostic::{Diagnostic, Location};
use crate::project::Language;
use crate::service_levels::Defaults;

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
    /// Its path in the library (`clauses/de/x.normal.md`).
    pub path: String,
    /// Whether it is a built-in clause.
    pub builtin: bool,
}

impl Clause {
    /// The name under which the body is registered with the template engine.
    pub fn template_name(&self) -> String {
        format!("{}.md", self.file)
    }
}

/// Which library a run used (see [`Library::identity`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LibraryIdentity {
    /// The folder laid over the built-in library; `None` for the built-in library alone.
    pub folder: Option<String>,
    /// How many files come from that folder.
    pub own_files: usize,
    /// How many of them differ from the built-in file of the same path (or have none).
    pub changed_files: usize,
    /// SHA-256 over every file of the library.
    pub sha256: String,
}

impl LibraryIdentity {
    /// Which library this is, in words: "the built-in template library (sha256 …)", or the
    /// folder with its number of files.
    pub fn text(&self) -> Localized {
        let short = self.sha256.get(..16).unwrap_or(&self.sha256);
        let (own, changed) = (self.own_files, self.changed_files);
        match &self.folder {
            None => crate::text!(
                en: "the built-in template library (sha256 {short}…)",
                de: "die eingebaute Vorlagenbibliothek (sha256 {short}…)",
            ),
            Some(folder) => {
                let (s, dateien) = if own == 1 {
                    ("", "eigene Datei, die der eingebauten Bibliothek vorgeht")
                } else {
                    (
                        "s",
                        "eigene Dateien, die der eingebauten Bibliothek vorgehen",
                    )
                };
                crate::text!(
                    en: "the templates of {folder} ({own} file{s} of its own over the built-in library, {changed} of them not the built-in text; sha256 {short}…)",
                    de: "die Vorlagen aus {folder} ({own} {dateien}, davon {changed} mit anderem Text als die eingebaute; sha256 {short}…)",
                )
            }
        }
    }
}

/// In English; [`LibraryIdentity::text`] has it in both languages.
impl std::fmt::Display for LibraryIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text().en())
    }
}

/// A file of the library as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    /// The name messages use: `templates/…` for a built-in file, the path of the user's file.
    pub shown_as: String,
    /// The path the manifest records: `templates/…` for a built-in file, the path inside the
    /// user's template folder for the user's, so that the same templates in another folder
    /// give the same manifest (and PDF).
    pub recorded: String,
    /// SHA-256 of the text, lowercase hex.
    pub sha256: String,
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
    /// Every file of the library, by its path relative to the library root: where it is and
    /// its SHA-256, for the manifest.
    pub file_hashes: BTreeMap<String, FileRecord>,
    /// The folder laid over the built-in library, if any.
    pub folder: Option<std::path::PathBuf>,
    /// The example projects (`examples/*.json`), which `annex templates check` renders at
    /// every level in both languages; in the order of their paths.
    pub examples: Vec<LibraryFile>,
    /// What is odd about the library but does not stop it: files of the user's folder that
    /// annex does not read. Every command that loads the library shows them.
    pub warnings: Vec<Diagnostic>,
}

/// Labels every locale must define (the frame and the title block use them).
pub const LABELS: [&str; 28] = [
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
    "attachment_register",
];

impl Library {
    /// The library compiled into the binary.
    pub fn builtin() -> Result<Library, Vec<Diagnostic>> {
        Library::load(None)
    }

    /// The built-in library with a user folder laid over it.
    pub fn with_overrides(dir: &Path) -> Result<Library, Vec<Diagnostic>> {
        Library::load(Some(dir))
    }

    /// The library of a run: the built-in one, with the folder `dir` laid over it if given
    /// (every command loads its library here).
    pub fn load(dir: Option<&Path>) -> Result<Library, Vec<Diagnostic>> {
        let files = Files::load(dir)?;
        let mut library = Library::from_files(&files.files)?;
        library.folder = dir.map(Path::to_path_buf);
        library.warnings = files.warnings;
        Ok(library)
    }

    /// Which library this is: the folder laid over the built-in one (if any), how many of its
    /// files come from there, and one SHA-256 over every file (its recorded path and digest),
    /// for the run summary and the run report.
    pub fn identity(&self) -> LibraryIdentity {
        let mut all = String::new();
        for record in self.file_hashes.values() {
            all.push_str(&format!("{}\t{}\n", record.recorded, record.sha256));
        }
        let builtin: BTreeMap<String, String> = builtin_files()
            .into_iter()
            .map(|(rel, f)| (rel, crate::digest::sha256_hex(f.text.as_bytes())))
            .collect();
        LibraryIdentity {
            changed_files: self
                .file_hashes
                .iter()
                .filter(|(rel, r)| r.recorded != r.shown_as && builtin.get(*rel) != Some(&r.sha256))
                .count(),
            folder: self.folder.as_ref().map(|f| f.display().to_string()),
            own_files: self
                .file_hashes
                .values()
                .filter(|r| r.recorded != r.shown_as)
                .count(),
            sha256: crate::digest::sha256_hex(all.as_bytes()),
        }
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
                    crate::text!(
                        en: "required library file is missing",
                        de: "eine notwendige Datei der Vorlagenbibliothek fehlt",
                    ),
                ));
            }
            f
        };
        let frame = need("typst/frame.typ").cloned().unwrap_or_default();
        let title_block = need("markdown/title.md").cloned().unwrap_or_default();
        let coverage_appendix = need("markdown/coverage.md").cloned().unwrap_or_default();
        let topics = need("topics.toml").cloned();
        let mut frameworks = need("frameworks.toml").cloned();
        let mut defaults_text = need("service-levels.toml").cloned();
        let locale_texts: Vec<(Language, String, Option<&String>)> = [Language::De, Language::En]
            .into_iter()
            .map(|lang| {
                let rel = format!("locale/{}.toml", lang.code());
                let text = need(&rel);
                (lang, rel, text)
            })
            .collect();
        errors.append(&mut missing);
        // A user's data file over the built-in one: merged, or replacing it whole.
        let builtin = builtin_files();
        let base_of = |rel: &str| -> Option<&str> {
            files
                .get(rel)
                .filter(|f| !f.builtin)
                .and_then(|_| builtin.get(rel))
                .map(|f| f.text.as_str())
        };
        let mut locales = BTreeMap::new();
        for (lang, rel, text) in locale_texts {
            let Some(text) = text else { continue };
            match merge::locale(lang, text, base_of(&rel)) {
                Ok(locale) => {
                    locales.insert(lang.code(), locale);
                }
                Err(e) => errors.extend(e.into_iter().map(|e| e.diagnostic(name(&rel), text))),
            }
        }
        for (rel, text) in [
            ("frameworks.toml", &mut frameworks),
            ("service-levels.toml", &mut defaults_text),
        ] {
            if let (Some(base), Some(file)) = (base_of(rel), files.get(rel))
                && let Some(e) = merge::lacking(rel, &file.text, base)
            {
                errors.push(e.diagnostic(name(rel), &file.text));
                // Its parts that are missing are not reported again one by one.
                *text = None;
            }
        }
        let catalogue = match (topics, frameworks) {
            (Some(t), Some(f)) => match Catalogue::parse(&t, base_of("topics.toml"), &f) {
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
                Ok(s)
                    if unused::clause_language(rel)
                        .is_some_and(|l| l != s.meta.language.code()) =>
                {
                    let folder = unused::clause_language(rel).unwrap_or_default();
                    let (location, line) =
                        clauses::field_location(&name(rel), &file.text, "language");
                    let says = s.meta.language.code();
                    let d = Diagnostic::error(
                        Some(location),
                        crate::text!(
                            en: "the clause is in clauses/{folder}/ but says language = \"{says}\"",
                            de: "die Klausel liegt in clauses/{folder}/, gibt aber language = \"{says}\" an",
                        ),
                    )
                    .hint(crate::text!(
                        en: "move the file to clauses/{says}/, or correct `language` if the text is in the language of its folder",
                        de: "verschieben Sie die Datei nach clauses/{says}/ oder berichtigen Sie `language`, wenn der Text in der Sprache seines Ordners geschrieben ist",
                    ));
                    errors.push(match line {
                        Some(line) => d.with_line_text(&line),
                        None => d,
                    });
                }
                Ok(s) => clauses.push(Clause {
                    meta: s.meta,
                    body: s.body.to_string(),
                    body_line_offset: s.body_line_offset,
                    file: name(rel),
                    path: rel.clone(),
                    builtin: file.builtin,
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
                    folder: None,
                    warnings: Vec::new(),
                    examples: files
                        .iter()
                        .filter(|(rel, _)| is_example(rel))
                        .map(|(_, f)| f.clone())
                        .collect(),
                    file_hashes: files
                        .iter()
                        .map(|(rel, f)| {
                            let builtin = f.builtin;
                            let record = FileRecord {
                                shown_as: f.shown_as.clone(),
                                recorded: if builtin {
                                    f.shown_as.clone()
                                } else {
                                    rel.clone()
                                },
                                sha256: crate::digest::sha256_hex(f.text.as_bytes()),
                            };
                            (rel.clone(), record)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in files with the user's `files` (by path, text) laid over them.
    fn with(files: &[(&str, String)]) -> Vec<Diagnostic> {
        let mut all = builtin_files();
        for (rel, text) in files {
            all.insert(
                (*rel).to_owned(),
                LibraryFile {
                    text: text.clone(),
                    shown_as: format!("mine/{rel}"),
                    builtin: false,
                },
            );
        }
        Library::from_files(&all).unwrap_err()
    }

    #[test]
    fn a_clause_in_the_wrong_folder_and_a_second_clause_of_an_id_are_errors_in_both_languages() {
        let builtin = builtin_files();
        let text = &builtin["clauses/de/subject-scope.normal.md"].text;
        let errors = with(&[
            (
                "clauses/de/moved.md",
                builtin["clauses/en/subject-scope.normal.md"]
                    .text
                    .replace("id = \"subject-scope\"", "id = \"moved\""),
            ),
            ("clauses/de/mine.md", text.clone()),
        ]);
        let shown: Vec<String> = errors
            .iter()
            .map(|d| d.display(Language::De).to_string())
            .collect();
        let wrong_folder = errors
            .iter()
            .find(|d| d.message.en().starts_with("the clause is in clauses/de/"))
            .unwrap_or_else(|| panic!("{shown:#?}"));
        assert_eq!(
            wrong_folder.message.en(),
            "the clause is in clauses/de/ but says language = \"en\""
        );
        assert_eq!(
            wrong_folder.message.get(Language::De),
            "die Klausel liegt in clauses/de/, gibt aber language = \"en\" an"
        );
        let twice = errors
            .iter()
            .find(|d| d.message.en().contains("is defined twice"))
            .unwrap_or_else(|| panic!("{shown:#?}"));
        assert_eq!(
            twice.message.en(),
            "clause \"subject-scope\" (de, normal) is defined twice; the other file is the built-in clauses/de/subject-scope.normal.md"
        );
        assert_eq!(
            twice.message.get(Language::De),
            "Klausel \"subject-scope\" (de, normal) ist zweimal festgelegt; die andere Datei ist die eingebaute clauses/de/subject-scope.normal.md"
        );
    }

    #[test]
    fn the_library_names_itself_in_both_languages() {
        let identity = Library::builtin().unwrap().identity();
        assert!(
            identity
                .to_string()
                .starts_with("the built-in template library (sha256 ")
        );
        assert!(
            identity
                .text()
                .get(Language::De)
                .starts_with("die eingebaute Vorlagenbibliothek (sha256 ")
        );
    }
}

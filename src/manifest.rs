//! The provenance manifest of an annex: which tool, input and templates produced it, and which
//! clause variants it contains. Written as `<annex.id>.manifest.json` and attached to the PDF.

use serde::Serialize;

use crate::digest::sha256_hex;
use crate::document::Document;
use crate::language::Language;
use crate::library::Library;
use crate::project::ProjectSource;
use crate::select::Selection;

/// A file and its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Hashed {
    /// The path as given (input) or as the library names it (templates).
    pub path: String,
    /// SHA-256, lowercase hex.
    pub sha256: String,
}

/// A font file added to the embedded fonts (`--font-path`, `fonts` in annex.toml).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FontEntry {
    /// The file name.
    pub file: String,
    /// The families of its faces.
    pub families: Vec<String>,
    /// SHA-256, lowercase hex.
    pub sha256: String,
}

/// One section of the annex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionEntry {
    /// "§ n".
    pub section: String,
    /// Clause id.
    pub id: String,
    /// Topic id.
    pub topic: String,
    /// The variant: the level it is written for.
    pub variant: String,
    /// The level that governs it in this project.
    pub governing_level: String,
    /// The template file.
    pub file: String,
}

/// The manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Manifest {
    /// The annex id.
    pub annex: String,
    /// The annex version printed in the document.
    pub annex_version: String,
    /// Language of the annex.
    pub language: String,
    /// "annex".
    pub tool: String,
    /// The tool's version.
    pub tool_version: String,
    /// The project file (its name only).
    pub input: Hashed,
    /// Every template file that went into the annex.
    pub templates: Vec<Hashed>,
    /// The sections with their clause variants.
    pub sections: Vec<SectionEntry>,
    /// Present and `true` only for a draft (a final annex's manifest has no such field).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    /// A draft's placeholders: the values its clauses need and the project does not give.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub placeholders: Vec<crate::render::Placeholder>,
    /// The font files added to the embedded fonts, in the order typst sees them: the PDF was
    /// laid out with these and the embedded fonts of `tool_version` (which are not listed).
    /// Absent when no font was added.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fonts: Vec<FontEntry>,
    /// Only in the manifest file beside the annex, not in the copy attached to the PDF (a file
    /// cannot hold its own digest): how and by which build the files were written, and their
    /// SHA-256. An incremental `render` reads it ([`crate::up_to_date`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Output>,
}

/// What the manifest file records of the files written beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Output {
    /// The build of annex that wrote them: a SHA-256 over its sources, templates and locked
    /// dependencies (`ANNEX_BUILD`, from the build script).
    pub build: String,
    /// The render options that change the files' content.
    pub options: RecordedOptions,
    /// Every other file written for the annex, by its path in the output folder, in the order
    /// written.
    pub files: Vec<Hashed>,
}

/// The options of a run that change the content of an annex's files (the formats only say
/// which files there are).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RecordedOptions {
    /// The PDF standard(s), as given (`None`: plain PDF).
    pub pdf_standard: Option<String>,
    /// Whether the annex ends with the coverage matrix.
    pub coverage_appendix: bool,
}

/// The font files added to the embedded fonts, as the manifest records them.
pub fn fonts(added: &[crate::pdf::FontFile]) -> Vec<FontEntry> {
    added
        .iter()
        .map(|f| FontEntry {
            file: f.name.clone(),
            families: f.families.clone(),
            sha256: f.sha256.clone(),
        })
        .collect()
}

/// The build of this program (see [`Output::build`]).
pub const BUILD: &str = env!("ANNEX_BUILD");

/// The project file as the manifest records it: only its name (the same project must give the
/// same manifest, and PDF, wherever it is stored) and the SHA-256 of its text.
pub fn input(source: &ProjectSource) -> Hashed {
    Hashed {
        path: source
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256: sha256_hex(source.text.as_bytes()),
    }
}

/// Every template file that goes into an annex in `language` with the clauses of `selection`,
/// as the manifest records it (relative to the root of its library) with its SHA-256: the
/// frame, the title block and appendix templates, the catalogue, frameworks and service-level
/// defaults, the locale, and each selected clause file in the order of the annex.
pub fn templates(library: &Library, language: Language, selection: &Selection<'_>) -> Vec<Hashed> {
    let record = |found: Option<&crate::library::FileRecord>| {
        found.map(|f| Hashed {
            path: f.recorded.clone(),
            sha256: f.sha256.clone(),
        })
    };
    let lang = language.code();
    let mut templates: Vec<Hashed> = [
        "typst/frame.typ".to_string(),
        "markdown/title.md".to_string(),
        "markdown/coverage.md".to_string(),
        "topics.toml".to_string(),
        "frameworks.toml".to_string(),
        "service-levels.toml".to_string(),
        format!("locale/{lang}.toml"),
    ]
    .iter()
    .filter_map(|rel| record(library.file_hashes.get(rel)))
    .collect();
    templates.extend(
        selection
            .sections
            .iter()
            .filter_map(|s| record(record_of(library, &s.clause.file))),
    );
    templates
}

/// The library's record of the file that messages name `shown` (a clause's `file`).
fn record_of<'l>(library: &'l Library, shown: &str) -> Option<&'l crate::library::FileRecord> {
    library.file_hashes.values().find(|f| f.shown_as == shown)
}

impl Manifest {
    /// Builds the manifest of a prepared annex.
    pub fn new(library: &Library, prepared: &Document<'_>) -> Manifest {
        let project = &prepared.project;
        let lang = project.annex.language.code();
        let clause_file = |shown: &str| {
            record_of(library, shown).map_or_else(|| shown.to_owned(), |f| f.recorded.clone())
        };
        let templates = templates(library, project.annex.language, &prepared.selection);
        Manifest {
            annex: project.annex.id.to_string(),
            annex_version: prepared.title.version.clone(),
            language: lang.to_string(),
            tool: "annex".to_string(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            input: input(&prepared.source),
            templates,
            sections: prepared
                .selection
                .sections
                .iter()
                .map(|s| SectionEntry {
                    section: format!("§ {}", s.number),
                    id: s.clause.meta.id.clone(),
                    topic: s.clause.meta.topic.clone(),
                    variant: s.clause.meta.level.as_str().to_string(),
                    governing_level: s.level.as_str().to_string(),
                    file: clause_file(&s.clause.file),
                })
                .collect(),
            draft: prepared.draft(),
            placeholders: prepared.markdown.placeholders.clone(),
            fonts: Vec::new(),
            output: None,
        }
    }

    /// The manifest with the font files added to the embedded fonts.
    pub fn with_fonts(mut self, added: &[crate::pdf::FontFile]) -> Manifest {
        self.fonts = fonts(added);
        self
    }
}

//! The provenance manifest of an annex: which tool, input and templates produced it, and which
//! clause variants it contains. Written as `<annex.id>.manifest.json` and attached to the PDF.

use serde::Serialize;

use crate::digest::sha256_hex;
use crate::document::Document;
use crate::library::Library;

/// A file and its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hashed {
    /// The path as given (input) or as the library names it (templates).
    pub path: String,
    /// SHA-256, lowercase hex.
    pub sha256: String,
}

/// A font file added to the embedded fonts (`--font-path`, `fonts` in annex.toml).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
}

impl Manifest {
    /// Builds the manifest of a prepared annex.
    pub fn new(library: &Library, prepared: &Document<'_>) -> Manifest {
        let project = &prepared.project;
        let lang = project.annex.language.code();
        // A file as the manifest records it: relative to the root of its library.
        let record = |found: Option<&crate::library::FileRecord>| {
            found.map(|f| Hashed {
                path: f.recorded.clone(),
                sha256: f.sha256.clone(),
            })
        };
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
        let clause_file = |shown: &str| {
            record(library.file_hashes.values().find(|f| f.shown_as == shown))
                .map_or_else(|| shown.to_owned(), |h| h.path)
        };
        templates.extend(prepared.selection.sections.iter().filter_map(|s| {
            record(
                library
                    .file_hashes
                    .values()
                    .find(|f| f.shown_as == s.clause.file),
            )
        }));
        Manifest {
            annex: project.annex.id.to_string(),
            annex_version: prepared.title.version.clone(),
            language: lang.to_string(),
            tool: "annex".to_string(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            // Only the file name: the same project must give the same manifest (and PDF) wherever
            // it is stored.
            input: Hashed {
                path: prepared
                    .source
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                sha256: sha256_hex(prepared.source.text.as_bytes()),
            },
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
        }
    }

    /// The manifest with the font files added to the embedded fonts.
    pub fn with_fonts(mut self, fonts: &[crate::pdf::FontFile]) -> Manifest {
        self.fonts = fonts
            .iter()
            .map(|f| FontEntry {
                file: f.name.clone(),
                families: f.families.clone(),
                sha256: f.sha256.clone(),
            })
            .collect();
        self
    }
}

//! One side of a redline: an annex as rendered, from a project file (rendered now) or from a
//! rendered annex's manifest (its Markdown file as it was written then).

use std::path::Path;

use crate::diagnostic::{Diagnostic, Location};
use crate::document::{Document, Mode};
use crate::failure::{Failure, Kind};
use crate::generator::Generator;
use crate::language::Language;
use crate::text;

/// A section of one side: the clause, its heading and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The clause id (the key that aligns the two sides).
    pub id: String,
    /// The heading as printed: "§ 8 Service Levels" (with a no-break space after the sign).
    pub heading: String,
    /// The Markdown below the heading.
    pub body: String,
    /// The clause variant ("normal", "high", "very_high").
    pub variant: String,
    /// The clause's template file, as the manifest records it.
    pub file: String,
    /// The SHA-256 of that file, if known.
    pub sha256: Option<String>,
}

/// An annex as rendered.
#[derive(Debug, Clone)]
pub struct Side {
    /// The file it came from.
    pub path: std::path::PathBuf,
    /// The annex id.
    pub id: String,
    /// The annex version.
    pub version: String,
    /// The annex language.
    pub language: Language,
    /// The title block (Markdown).
    pub title_block: String,
    /// The numbered sections.
    pub sections: Vec<Section>,
    /// The coverage appendix (Markdown).
    pub appendix: String,
    /// The project description, when the side is a project file.
    pub project: Option<serde_json::Value>,
}

impl Side {
    /// Reads a side: a manifest (`*.manifest.json`) or a project file.
    pub fn load<'g>(
        generator: &'g Generator,
        path: &Path,
    ) -> Result<(Side, Option<Document<'g>>), Failure> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Failure::new(Kind::Input, vec![Diagnostic::error(
                Some(Location::file(path)),
                text!(en: "cannot read the file: {e}", de: "die Datei kann nicht gelesen werden: {e}"),
            )])
        })?;
        let json: Option<serde_json::Value> = serde_json::from_str(&text).ok();
        let is_manifest = json
            .as_ref()
            .is_some_and(|j| j.get("tool").is_some() && j.get("sections").is_some());
        match json {
            Some(manifest) if is_manifest => Ok((Side::from_manifest(path, &manifest)?, None)),
            _ => {
                let document = generator.prepare(path, Mode::Final)?;
                Ok((Side::from_document(generator, &document)?, Some(document)))
            }
        }
    }

    /// The annex of a project, rendered now.
    fn from_document(generator: &Generator, document: &Document<'_>) -> Result<Side, Failure> {
        let library = generator.library();
        let markdown = &document.markdown;
        let chunks = chunks(&markdown.body);
        if chunks.len() != document.selection.sections.len() {
            return Err(Failure::internal(
                "the sections of the rendered annex do not match its clauses",
            ));
        }
        let sections = document
            .selection
            .sections
            .iter()
            .zip(chunks)
            .map(|(section, (heading, body))| {
                let clause = section.clause;
                let record = library
                    .file_hashes
                    .values()
                    .find(|f| f.shown_as == clause.file);
                Section {
                    id: clause.meta.id.clone(),
                    heading,
                    body: crate::markup::placeholder::to_markdown(&body).into_owned(),
                    variant: clause.meta.level.as_str().to_owned(),
                    file: record.map_or_else(|| clause.file.clone(), |r| r.recorded.clone()),
                    sha256: record.map(|r| r.sha256.clone()),
                }
            })
            .collect();
        let project: serde_json::Value =
            serde_json::from_str(&document.source.text).unwrap_or(serde_json::Value::Null);
        Ok(Side {
            path: document.source.path.clone(),
            id: document.project.annex.id.to_string(),
            version: document.title.version.clone(),
            language: document.project.annex.language,
            title_block: markdown.title_block.clone(),
            sections,
            appendix: markdown.appendix.trim().to_owned(),
            project: Some(project),
        })
    }

    /// An annex as its manifest and the Markdown file beside it record it.
    fn from_manifest(path: &Path, manifest: &serde_json::Value) -> Result<Side, Failure> {
        let field = |key: &str| {
            manifest
                .get(key)
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let id = field("annex");
        let draft = manifest.get("draft").and_then(serde_json::Value::as_bool) == Some(true);
        let name = if draft {
            format!("{id}.draft.md")
        } else {
            format!("{id}.md")
        };
        let markdown_path = path.with_file_name(&name);
        let markdown = std::fs::read_to_string(&markdown_path).map_err(|e| {
            Failure::new(Kind::Input, vec![
                Diagnostic::error(
                    Some(Location::file(&markdown_path)),
                    text!(
                        en: "cannot read the Markdown file of the annex the manifest describes: {e}",
                        de: "die Markdown-Datei der Anlage, die das Manifest beschreibt, kann nicht gelesen werden: {e}",
                    ),
                )
                .hint(text!(
                    en: "a manifest is compared with the `.md` file written beside it; render the annex with the md format, or give its project file instead",
                    de: "ein Manifest wird mit der daneben geschriebenen `.md`-Datei verglichen; erstellen Sie die Anlage mit dem Format md, oder geben Sie stattdessen ihre Projektdatei an",
                )),
            ])
        })?;
        // The digest the manifest file records of the Markdown written beside it.
        let recorded = manifest
            .get("output")
            .and_then(|o| o.get("files"))
            .and_then(serde_json::Value::as_array)
            .and_then(|files| {
                files
                    .iter()
                    .find(|f| f.get("path").and_then(serde_json::Value::as_str) == Some(&name))
            })
            .and_then(|f| f.get("sha256"))
            .and_then(serde_json::Value::as_str);
        if let Some(expected) = recorded
            && crate::digest::sha256_hex(markdown.as_bytes()) != expected
        {
            return Err(Failure::new(Kind::Input, vec![
                Diagnostic::error(
                    Some(Location::file(&markdown_path)),
                    text!(
                        en: "this Markdown file is not the one the manifest describes (its SHA-256 differs)",
                        de: "diese Markdown-Datei ist nicht die, die das Manifest beschreibt (ihr SHA-256 weicht ab)",
                    ),
                )
                .hint(text!(
                    en: "it was rendered again or edited since; compare the manifest of the version you mean, or its project file",
                    de: "sie wurde seitdem neu erstellt oder bearbeitet; vergleichen Sie das Manifest der gemeinten Fassung oder ihre Projektdatei",
                )),
            ]));
        }
        let entries = manifest
            .get("sections")
            .and_then(serde_json::Value::as_array)
            .cloned()
            .unwrap_or_default();
        let hashes: Vec<(String, String)> = manifest
            .get("templates")
            .and_then(serde_json::Value::as_array)
            .map(|t| {
                t.iter()
                    .filter_map(|h| {
                        Some((
                            h.get("path")?.as_str()?.to_owned(),
                            h.get("sha256")?.as_str()?.to_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        // The title block, then one chunk per section, then the appendix.
        let start = markdown.find("\n## ").map_or(markdown.len(), |at| at + 1);
        let title_block = markdown.get(..start).unwrap_or_default().to_owned();
        let mut chunks = chunks(markdown.get(start..).unwrap_or_default()).into_iter();
        let mut sections = Vec::new();
        for entry in &entries {
            let text = |key: &str| {
                entry
                    .get(key)
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let Some((heading, body)) = chunks.next() else {
                return Err(mismatch(&markdown_path));
            };
            let file = text("file");
            sections.push(Section {
                id: text("id"),
                heading,
                body,
                variant: text("variant"),
                sha256: hashes
                    .iter()
                    .find(|(p, _)| *p == file)
                    .map(|(_, h)| h.clone()),
                file,
            });
        }
        let appendix: Vec<String> = chunks.map(|(h, b)| format!("## {h}\n{b}")).collect();
        let language = match field("language").as_str() {
            "en" => Language::En,
            _ => Language::De,
        };
        Ok(Side {
            path: path.to_path_buf(),
            id,
            version: field("annex_version"),
            language,
            title_block,
            sections,
            appendix: appendix.join("\n").trim().to_owned(),
            project: None,
        })
    }
}

fn mismatch(path: &Path) -> Failure {
    Failure::new(
        Kind::Input,
        vec![Diagnostic::error(
            Some(Location::file(path)),
            text!(
                en: "this Markdown file has fewer sections than the manifest beside it lists",
                de: "diese Markdown-Datei hat weniger Abschnitte, als das Manifest daneben aufführt",
            ),
        )],
    )
}

/// The sections of a Markdown text: each `## ` heading (without the `## `) with the text that
/// follows it, up to the next, without the blank lines at its end (the file and the annex in
/// memory separate the last section from the appendix differently).
pub fn chunks(markdown: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in markdown.split_inclusive('\n') {
        if let Some(heading) = line.strip_prefix("## ") {
            out.push((heading.trim_end().to_owned(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
        }
    }
    for (_, body) in &mut out {
        let end = body.trim_end().len();
        body.truncate(end);
        body.push('\n');
    }
    out
}

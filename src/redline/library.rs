//! `annex diff --templates DIR`: what a customised template library changes against the
//! built-in one, file by file, as a redline for the legal department's review: each clause
//! text the folder replaces, compared line by line and word by word with the built-in text;
//! each file it adds, inserted whole.

use crate::language::Language;
use crate::library::{FileOrigin, Files, builtin_files};
use crate::markup::escape::markdown_text;

use super::text::{self, Mark};

/// A file the folder changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Its path in the library (`clauses/de/haftung.high.md`).
    pub path: String,
    /// Whether the folder adds it (else it replaces the built-in file).
    pub added: bool,
}

/// The redline of a folder's files against the built-in library: Markdown with marks, in
/// `lang`, and the files that changed. Each file's text is shown as a code block-free Markdown
/// section: its wording as a lawyer reads it, the template syntax as plain text.
pub fn redline(files: &Files, lang: Language) -> (String, Vec<FileChange>) {
    let builtin = builtin_files();
    let mut body = String::new();
    let mut changes = Vec::new();
    for (rel, origin) in &files.origins {
        let (old, added) = match origin {
            FileOrigin::Override(_) => (builtin.get(rel).map(|f| f.text.as_str()), false),
            FileOrigin::Addition(_) => (None, true),
            FileOrigin::BuiltIn | FileOrigin::Copy(_) => continue,
        };
        let Some(new) = files.files.get(rel).map(|f| f.text.as_str()) else {
            continue;
        };
        let shown = |t: &str| escape_lines(t);
        let section = match old {
            Some(old) => text::lines(&shown(old), &shown(new)).0,
            None => text::all(&shown(new), Mark::Inserted),
        };
        let merged = crate::library::changes::MERGED.contains(&rel.as_str());
        let note = match (added, merged, lang) {
            (true, _, Language::De) => "neue Datei",
            (true, _, Language::En) => "new file",
            (false, true, Language::De) => {
                "wird mit der eingebauten Datei zusammengeführt; was sie auslässt, behält den eingebauten Text"
            }
            (false, true, Language::En) => {
                "merged with the built-in file; what it leaves out keeps its built-in text"
            }
            (false, false, Language::De) => "ersetzt die eingebaute Datei",
            (false, false, Language::En) => "replaces the built-in file",
        };
        body.push_str(&format!(
            "\n## {} ({note})\n\n{}\n",
            markdown_text(rel),
            section.trim_end()
        ));
        changes.push(FileChange {
            path: rel.clone(),
            added,
        });
    }
    (body, changes)
}

/// A template's lines as Markdown paragraphs that show its text as written: every line
/// escaped (a heading marker, a list marker or a table pipe of the template stays visible as
/// text), blank lines kept.
fn escape_lines(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.trim().is_empty() {
                String::new()
            } else {
                markdown_text(line)
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

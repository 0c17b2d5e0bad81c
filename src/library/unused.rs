//! Which files of a user's template folder annex reads, and for each one it does not, what it
//! was probably meant to be: no file of the folder is passed over without a word.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Location, did_you_mean};

/// The files of a library that annex reads by their fixed path.
pub(super) const DATA_FILES: [&str; 9] = [
    "topics.toml",
    "frameworks.toml",
    "service-levels.toml",
    "locale/de.toml",
    "locale/en.toml",
    "typst/frame.typ",
    "markdown/title.md",
    "markdown/coverage.md",
    "README.md",
];

/// The languages annex writes annexes in, as clause folders name them.
const LANGUAGES: [&str; 2] = ["de", "en"];

/// What a template folder holds, for hints.
const LAYOUT: &str = "a template folder holds clauses/de/ and clauses/en/ (the clauses, *.md), locale/de.toml and locale/en.toml, markdown/title.md and markdown/coverage.md, typst/frame.typ, topics.toml, frameworks.toml, service-levels.toml and examples/*.json";

/// Whether annex reads the file at `rel` (relative to the library root, `/`-separated).
pub(super) fn is_read(rel: &str) -> bool {
    DATA_FILES.contains(&rel)
        || rel == super::changes::BASE_FILE
        || super::files::is_example(rel)
        || clause_language(rel).is_some()
}

/// The language folder of a clause file (`clauses/<de|en>/…/*.md`).
pub(super) fn clause_language(rel: &str) -> Option<&'static str> {
    let rest = rel.strip_prefix("clauses/")?;
    let (folder, name) = rest.split_once('/')?;
    let lang = LANGUAGES.into_iter().find(|l| *l == folder)?;
    name.ends_with(".md").then_some(lang)
}

/// The warning for a file of the user's folder at `path` (`rel` inside it) that annex does not
/// read, with what it was probably meant to be.
pub(super) fn warning(path: &Path, rel: &str) -> Diagnostic {
    let (message, hint) = explain(rel);
    Diagnostic::warning(
        Some(Location::file(path)),
        format!("annex does not read this file: {message}"),
    )
    .hint(hint)
}

/// Why `rel` is not read, and the fix.
fn explain(rel: &str) -> (String, String) {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    // Another extension after a known one ("clause.md.txt"): Windows may hide the last one.
    for known in [".md", ".toml", ".typ", ".json"] {
        if let Some(at) = name.to_ascii_lowercase().find(&format!("{known}.")) {
            let meant = format!(
                "{}{}",
                &rel[..rel.len() - name.len()],
                &name[..at + known.len()]
            );
            if is_read(&meant) {
                return (
                    format!(
                        "its name ends in `{}`, not in `{known}`",
                        &name[at + known.len()..]
                    ),
                    format!("rename it to {meant} (Windows may hide the last part of a file name)"),
                );
            }
        }
    }
    // Upper case where annex expects lower case: "Topics.toml", "clauses/DE/x.MD".
    let lowered = lower_case_path(rel);
    if lowered != rel && is_read(&lowered) {
        return (
            "annex reads this path in lower case only".to_owned(),
            format!("rename it to {lowered}"),
        );
    }
    if let Some(rest) = rel.strip_prefix("clauses/") {
        return match rest.split_once('/') {
            None => (
                "a clause goes into clauses/de/ or clauses/en/, by its language".to_owned(),
                format!("move it to clauses/de/{rest} or clauses/en/{rest}"),
            ),
            Some((folder, _)) if !LANGUAGES.contains(&folder) => (
                format!(
                    "annex writes annexes in German (de) and English (en); it does not read a folder clauses/{folder}/"
                ),
                "put German clauses into clauses/de/ and English ones into clauses/en/".to_owned(),
            ),
            Some(_) => (
                "a clause file ends in `.md`".to_owned(),
                format!("rename it so that it ends in .md; {LAYOUT}"),
            ),
        };
    }
    if let Some(meant) = did_you_mean(rel, DATA_FILES).filter(|_| !rel.starts_with("locale/")) {
        return (
            format!("annex reads {meant}, not {rel}"),
            format!("rename it to {meant}"),
        );
    }
    let folder = rel.split('/').next().unwrap_or_default();
    let (message, hint) = match folder {
        "locale" => (
            "annex has texts for German and English only: locale/de.toml and locale/en.toml",
            "put your labels into locale/de.toml or locale/en.toml",
        ),
        "typst" => (
            "annex compiles typst/frame.typ only, and the frame cannot import other files",
            "put your Typst code into typst/frame.typ",
        ),
        "markdown" => (
            "annex uses markdown/title.md and markdown/coverage.md only",
            "put clauses into clauses/de/ or clauses/en/",
        ),
        "examples" => (
            "annex reads the example projects examples/*.json, not in subfolders",
            "move the project into examples/ and name it *.json",
        ),
        _ if name.ends_with(".md") => (
            "a clause goes into clauses/de/ or clauses/en/, by its language",
            "move it there, or out of the template folder if it is a note of yours",
        ),
        _ if name.ends_with(".json") => (
            "example projects go into examples/",
            "move it to examples/, or out of the template folder",
        ),
        _ => (
            "it is not a part of a template library",
            "move it out of the template folder if it is yours, or rename it if it was meant to be a template",
        ),
    };
    (message.to_owned(), format!("{hint}; {LAYOUT}"))
}

/// `rel` with the folders and the extension in lower case (the file name of a clause may be
/// any case, its folder and extension may not).
fn lower_case_path(rel: &str) -> String {
    let (folders, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let name = match name.rsplit_once('.') {
        Some((stem, ext)) if DATA_FILES.iter().any(|d| d.eq_ignore_ascii_case(rel)) => {
            format!("{}.{}", stem.to_ascii_lowercase(), ext.to_ascii_lowercase())
        }
        Some((stem, ext)) => format!("{stem}.{}", ext.to_ascii_lowercase()),
        None => name.to_owned(),
    };
    if folders.is_empty() {
        // A data file at the root: "Topics.toml" → "topics.toml" ("README.md" stays).
        DATA_FILES
            .into_iter()
            .find(|d| d.eq_ignore_ascii_case(&name))
            .map_or(name, str::to_owned)
    } else {
        format!("{}/{name}", folders.to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(rel: &str) -> String {
        let (message, hint) = explain(rel);
        format!(
            "{message} | {}",
            hint.split("; a template folder").next().unwrap()
        )
    }

    #[test]
    fn the_files_annex_reads() {
        for rel in [
            "topics.toml",
            "locale/en.toml",
            "clauses/de/x.normal.md",
            "clauses/en/sub/x.md",
            "examples/a.json",
            "README.md",
        ] {
            assert!(is_read(rel), "{rel}");
        }
        for rel in [
            "clauses/x.md",
            "clauses/fr/x.md",
            "clauses/de/x.MD",
            "locale/fr.toml",
            "examples/sub/a.json",
            "notes.txt",
            "Topics.toml",
        ] {
            assert!(!is_read(rel), "{rel}");
        }
    }

    #[test]
    fn says_what_a_file_was_probably_meant_to_be() {
        for (rel, expected) in [
            (
                "clauses/de/haftung.md.txt",
                "its name ends in `.txt`, not in `.md` | rename it to clauses/de/haftung.md (Windows may hide the last part of a file name)",
            ),
            (
                "clauses/de/Haftung.MD",
                "annex reads this path in lower case only | rename it to clauses/de/Haftung.md",
            ),
            (
                "Clauses/DE/haftung.md",
                "annex reads this path in lower case only | rename it to clauses/de/haftung.md",
            ),
            (
                "Topics.toml",
                "annex reads this path in lower case only | rename it to topics.toml",
            ),
            (
                "clauses/haftung.md",
                "a clause goes into clauses/de/ or clauses/en/, by its language | move it to clauses/de/haftung.md or clauses/en/haftung.md",
            ),
            (
                "clauses/fr/haftung.md",
                "annex writes annexes in German (de) and English (en); it does not read a folder clauses/fr/ | put German clauses into clauses/de/ and English ones into clauses/en/",
            ),
            (
                "service-level.toml",
                "annex reads service-levels.toml, not service-level.toml | rename it to service-levels.toml",
            ),
            (
                "locale/fr.toml",
                "annex has texts for German and English only: locale/de.toml and locale/en.toml | put your labels into locale/de.toml or locale/en.toml",
            ),
            (
                "Vertrag.docx",
                "it is not a part of a template library | move it out of the template folder if it is yours, or rename it if it was meant to be a template",
            ),
        ] {
            assert_eq!(said(rel), expected, "{rel}");
        }
    }
}

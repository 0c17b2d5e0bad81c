//! Which files of a user's template folder annex reads, and for each one it does not, what it
//! was probably meant to be: no file of the folder is passed over without a word.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Location, did_you_mean};
use crate::language::{Language, Localized};

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

/// [`LAYOUT`] in German.
const LAYOUT_DE: &str = "ein Vorlagenordner enthält clauses/de/ und clauses/en/ (die Klauseln, *.md), locale/de.toml und locale/en.toml, markdown/title.md und markdown/coverage.md, typst/frame.typ, topics.toml, frameworks.toml, service-levels.toml und examples/*.json";

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
    let (en, de) = (message.en(), message.get(Language::De));
    Diagnostic::warning(
        Some(Location::file(path)),
        crate::text!(
            en: "annex does not read this file: {en}",
            de: "annex liest diese Datei nicht: {de}",
        ),
    )
    .hint(hint)
}

/// "rename it to …".
fn rename_to(meant: &str) -> Localized {
    crate::text!(en: "rename it to {meant}", de: "benennen Sie sie in {meant} um")
}

/// Why `rel` is not read, and the fix.
fn explain(rel: &str) -> (Localized, Localized) {
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
                let ending = &name[at + known.len()..];
                return (
                    crate::text!(
                        en: "its name ends in `{ending}`, not in `{known}`",
                        de: "ihr Name endet auf `{ending}`, nicht auf `{known}`",
                    ),
                    crate::text!(
                        en: "rename it to {meant} (Windows may hide the last part of a file name)",
                        de: "benennen Sie sie in {meant} um (Windows blendet den letzten Teil eines Dateinamens unter Umständen aus)",
                    ),
                );
            }
        }
    }
    // Upper case where annex expects lower case: "Topics.toml", "clauses/DE/x.MD".
    let lowered = lower_case_path(rel);
    if lowered != rel && is_read(&lowered) {
        return (
            crate::text!(
                en: "annex reads folder names, file endings and the names of its data files in lower case only",
                de: "annex liest Ordnernamen, Dateiendungen und die Namen seiner Datendateien nur in Kleinbuchstaben",
            ),
            rename_to(&lowered),
        );
    }
    if let Some(rest) = rel.strip_prefix("clauses/") {
        let by_language = || {
            crate::text!(
                en: "a clause goes into clauses/de/ or clauses/en/, by its language",
                de: "eine Klausel gehört je nach ihrer Sprache nach clauses/de/ oder clauses/en/",
            )
        };
        return match rest.split_once('/') {
            None => (
                by_language(),
                crate::text!(
                    en: "move it to clauses/de/{rest} or clauses/en/{rest}",
                    de: "verschieben Sie sie nach clauses/de/{rest} oder clauses/en/{rest}",
                ),
            ),
            Some((folder, _)) if !LANGUAGES.contains(&folder) => (
                crate::text!(
                    en: "annex writes annexes in German (de) and English (en); it does not read a folder clauses/{folder}/",
                    de: "annex erstellt Anlagen auf Deutsch (de) und Englisch (en); einen Ordner clauses/{folder}/ liest es nicht",
                ),
                crate::text!(
                    en: "put German clauses into clauses/de/ and English ones into clauses/en/",
                    de: "legen Sie deutsche Klauseln in clauses/de/ ab und englische in clauses/en/",
                ),
            ),
            Some(_) => (
                crate::text!(
                    en: "a clause file ends in `.md`",
                    de: "eine Klauseldatei endet auf `.md`",
                ),
                crate::text!(
                    en: "rename it so that it ends in .md; {LAYOUT}",
                    de: "benennen Sie sie so um, dass sie auf .md endet; {LAYOUT_DE}",
                ),
            ),
        };
    }
    if let Some(meant) = did_you_mean(rel, DATA_FILES).filter(|_| !rel.starts_with("locale/")) {
        return (
            crate::text!(
                en: "annex reads {meant}, not {rel}",
                de: "annex liest {meant}, nicht {rel}",
            ),
            rename_to(meant),
        );
    }
    let folder = rel.split('/').next().unwrap_or_default();
    let (message, hint) = match folder {
        "locale" => (
            crate::text!(
                en: "annex has texts for German and English only: locale/de.toml and locale/en.toml",
                de: "annex hat Texte nur für Deutsch und Englisch: locale/de.toml und locale/en.toml",
            ),
            crate::text!(
                en: "put your labels into locale/de.toml or locale/en.toml",
                de: "tragen Sie Ihre Beschriftungen in locale/de.toml oder locale/en.toml ein",
            ),
        ),
        "typst" => (
            crate::text!(
                en: "annex compiles typst/frame.typ only, and the frame cannot import other files",
                de: "annex verarbeitet nur typst/frame.typ, und der Rahmen kann keine anderen Dateien einbinden",
            ),
            crate::text!(
                en: "put your Typst code into typst/frame.typ",
                de: "schreiben Sie Ihren Typst-Code in typst/frame.typ",
            ),
        ),
        "markdown" => (
            crate::text!(
                en: "annex uses markdown/title.md and markdown/coverage.md only",
                de: "annex verwendet nur markdown/title.md und markdown/coverage.md",
            ),
            crate::text!(
                en: "put clauses into clauses/de/ or clauses/en/",
                de: "legen Sie Klauseln in clauses/de/ oder clauses/en/ ab",
            ),
        ),
        "examples" => (
            crate::text!(
                en: "annex reads the example projects examples/*.json, not in subfolders",
                de: "annex liest die Beispielprojekte examples/*.json, nicht aus Unterordnern",
            ),
            crate::text!(
                en: "move the project into examples/ and name it *.json",
                de: "verschieben Sie das Projekt nach examples/ und geben Sie ihm die Endung .json",
            ),
        ),
        _ if name.ends_with(".md") => (
            crate::text!(
                en: "a clause goes into clauses/de/ or clauses/en/, by its language",
                de: "eine Klausel gehört je nach ihrer Sprache nach clauses/de/ oder clauses/en/",
            ),
            crate::text!(
                en: "move it there, or out of the template folder if it is a note of yours",
                de: "verschieben Sie sie dorthin oder, wenn es eine eigene Notiz ist, aus dem Vorlagenordner heraus",
            ),
        ),
        _ if name.ends_with(".json") => (
            crate::text!(
                en: "example projects go into examples/",
                de: "Beispielprojekte gehören nach examples/",
            ),
            crate::text!(
                en: "move it to examples/, or out of the template folder",
                de: "verschieben Sie sie nach examples/ oder aus dem Vorlagenordner heraus",
            ),
        ),
        _ => (
            crate::text!(
                en: "it is not a part of a template library",
                de: "sie ist kein Teil einer Vorlagenbibliothek",
            ),
            crate::text!(
                en: "move it out of the template folder if it is yours, or rename it if it was meant to be a template",
                de: "verschieben Sie sie aus dem Vorlagenordner, wenn es Ihre eigene Datei ist, oder benennen Sie sie um, wenn sie eine Vorlage sein sollte",
            ),
        ),
    };
    let (en, de) = (hint.en(), hint.get(Language::De));
    (
        message,
        crate::text!(en: "{en}; {LAYOUT}", de: "{de}; {LAYOUT_DE}"),
    )
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
            hint.en().split("; a template folder").next().unwrap()
        )
    }

    fn said_in_german(rel: &str) -> String {
        let (message, hint) = explain(rel);
        format!(
            "{} | {}",
            message.get(Language::De),
            hint.get(Language::De)
                .split("; ein Vorlagenordner")
                .next()
                .unwrap()
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
                "annex reads folder names, file endings and the names of its data files in lower case only | rename it to clauses/de/Haftung.md",
            ),
            (
                "Clauses/DE/haftung.md",
                "annex reads folder names, file endings and the names of its data files in lower case only | rename it to clauses/de/haftung.md",
            ),
            (
                "Topics.toml",
                "annex reads folder names, file endings and the names of its data files in lower case only | rename it to topics.toml",
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
        for (rel, expected) in [
            (
                "clauses/de/haftung.md.txt",
                "ihr Name endet auf `.txt`, nicht auf `.md` | benennen Sie sie in clauses/de/haftung.md um (Windows blendet den letzten Teil eines Dateinamens unter Umständen aus)",
            ),
            (
                "clauses/fr/haftung.md",
                "annex erstellt Anlagen auf Deutsch (de) und Englisch (en); einen Ordner clauses/fr/ liest es nicht | legen Sie deutsche Klauseln in clauses/de/ ab und englische in clauses/en/",
            ),
            (
                "Vertrag.docx",
                "sie ist kein Teil einer Vorlagenbibliothek | verschieben Sie sie aus dem Vorlagenordner, wenn es Ihre eigene Datei ist, oder benennen Sie sie um, wenn sie eine Vorlage sein sollte",
            ),
        ] {
            assert_eq!(said_in_german(rel), expected, "{rel}");
        }
        let d = warning(Path::new("t/Topics.toml"), "Topics.toml");
        assert_eq!(
            d.display(Language::De).to_string(),
            "t/Topics.toml: Warnung: annex liest diese Datei nicht: annex liest Ordnernamen, Dateiendungen und die Namen seiner Datendateien nur in Kleinbuchstaben\n  Hinweis: benennen Sie sie in topics.toml um"
        );
    }
}

//! `annex diff OLD NEW`: the redline of two versions of an annex, written as files, and a
//! one-screen summary on stdout of which clauses changed and why.

use std::io::Write;
use std::path::Path;

use annex::diagnostic::{Diagnostic, Location};
use annex::language::Language;
use annex::redline::files::Formats;
use annex::redline::{self, Kind as Change, Side};

use super::{Ended, Exit};
use crate::cli::{FontArgs, Format, LibraryArgs};

pub fn run(
    old: &Path,
    new: &Path,
    out: &Path,
    format: &[Format],
    library: LibraryArgs,
    fonts: FontArgs,
) -> Ended {
    super::render::output_folder(out)?;
    let templates = super::templates_dir(library.templates)?;
    let fonts = super::fonts(&fonts.font_path)?;
    let generator = super::generator(templates.as_deref(), &fonts)?;
    let (old_side, _) = Side::load(&generator, old)?;
    let (new_side, new_document) = Side::load(&generator, new)?;
    let lang = super::messages().for_project(Some(new_side.language));
    if old_side.language != new_side.language {
        let (a, b) = (old_side.language.code(), new_side.language.code());
        return Err(annex::Failure::new(
            annex::Kind::Input,
            vec![
                Diagnostic::error(
                    Some(Location::file(new)),
                    annex::text!(
                        en: "the two versions are in different languages ({a} and {b}): a redline compares the words of one text",
                        de: "die beiden Fassungen sind in verschiedenen Sprachen ({a} und {b}): eine Änderungsfassung vergleicht die Wörter eines Textes",
                    ),
                )
                .hint(annex::text!(
                    en: "compare two versions of the same annex, in the same language",
                    de: "vergleichen Sie zwei Fassungen derselben Anlage in derselben Sprache",
                )),
            ],
        ));
    }
    if old_side.id != new_side.id {
        let (a, b) = (&old_side.id, &new_side.id);
        super::print_in(
            &[Diagnostic::warning(
                Some(Location::file(new)),
                annex::text!(
                    en: "the two versions belong to different annexes (`{a}` and `{b}`): is this the annex you meant to compare?",
                    de: "die beiden Fassungen gehören zu verschiedenen Anlagen (`{a}` und `{b}`): ist das die Anlage, die Sie vergleichen wollten?",
                ),
            )
            .hint(annex::text!(
                en: "a redline is meant for two versions of one annex; the redline is written under the new one's id",
                de: "eine Änderungsfassung ist für zwei Fassungen einer Anlage gedacht; sie wird unter der Kennung der neuen geschrieben",
            ))],
            lang,
        );
    }
    if std::fs::canonicalize(old).ok() == std::fs::canonicalize(new).ok() {
        super::print_in(
            &[Diagnostic::warning(
                Some(Location::file(new)),
                annex::text!(
                    en: "OLD and NEW are the same file: the redline shows no change",
                    de: "OLD und NEW sind dieselbe Datei: die Änderungsfassung zeigt keine Änderung",
                ),
            )],
            lang,
        );
    }
    let compared = redline::compare(&old_side, &new_side);
    let formats = Formats {
        markdown: format.contains(&Format::Md),
        pdf: format.contains(&Format::Pdf),
        docx: format.contains(&Format::Docx),
    };
    let (files, left_out) = redline::files::files(
        &generator,
        &old_side,
        &new_side,
        new_document.as_ref(),
        &compared,
        formats,
        Some("a-2b"),
    )?;
    if !left_out.is_empty() {
        let formats = left_out.join(", ");
        super::print_in(
            &[Diagnostic::warning(
                Some(Location::file(new)),
                annex::text!(
                    en: "the new version is a manifest: the redline's {formats} needs its project file for the title block; only the Markdown redline is written",
                    de: "die neue Fassung ist ein Manifest: {formats} der Änderungsfassung braucht ihre Projektdatei für den Kopfbereich; nur die Markdown-Änderungsfassung wird geschrieben",
                ),
            )
            .hint(annex::text!(
                en: "give the new version's project file as NEW",
                de: "geben Sie als NEW die Projektdatei der neuen Fassung an",
            ))],
            lang,
        );
    }
    let written = annex::output::write_files(out, &files)?;
    print_summary(&old_side, &new_side, &compared, lang);
    print_written(&written, lang);
    Ok(Exit::Success)
}

/// `annex diff --templates DIR`: the library's redline against the built-in one.
pub fn library(out: &Path, format: &[Format], library: LibraryArgs) -> Ended {
    super::render::output_folder(out)?;
    let Some(dir) = super::templates_dir(library.templates)? else {
        return Err(annex::Failure::usage(
            Diagnostic::error(
                None,
                annex::text!(
                    en: "`annex diff` needs two versions to compare, OLD and NEW, or a template folder (--templates DIR) to compare with the built-in library",
                    de: "`annex diff` braucht zwei Fassungen zum Vergleich, OLD und NEW, oder einen Vorlagenordner (--templates DIR), der mit der eingebauten Bibliothek verglichen wird",
                ),
            )
            .hint(annex::text!(
                en: "annex diff output/v1/x.manifest.json project.json, or annex diff --templates house-templates",
                de: "annex diff output/v1/x.manifest.json projekt.json, oder annex diff --templates hausvorlagen",
            )),
        ));
    };
    let lang = super::messages().general();
    let files = annex::library::Files::load(Some(&dir))
        .map_err(|e| annex::Failure::new(annex::Kind::Library, e))?;
    let (body, changes) = redline::library::redline(&files, lang);
    let title = match lang {
        Language::De => "Änderungen der Vorlagenbibliothek",
        Language::En => "Changes to the template library",
    };
    let folder = dir.display().to_string();
    let mut written = Vec::new();
    if format.contains(&Format::Md) {
        let text = format!(
            "# {title}

{}: {}
{}",
            match lang {
                Language::De => "Ordner",
                Language::En => "Folder",
            },
            annex::markup::escape::markdown_text(&folder),
            body
        );
        written.push((
            "templates.redline.md".to_owned(),
            annex::markup::placeholder::to_markdown(&text)
                .into_owned()
                .into_bytes(),
        ));
    }
    if format.contains(&Format::Docx) {
        let locale = &files_locale(lang);
        let job = annex::docx::Job {
            lang: lang.code(),
            labels: locale,
            section_sign: "§",
            cover: annex::docx::Cover {
                title: title.to_owned(),
                version: env!("CARGO_PKG_VERSION").to_owned(),
                id: folder.clone(),
                ..annex::docx::Cover::default()
            },
            body: &body,
            draft: false,
            open_points: Vec::new(),
            keywords: &[],
            date: (1980, 1, 1),
            author: Some(format!("annex ({folder})")),
        };
        written.push((
            "templates.redline.docx".to_owned(),
            annex::docx::write(&job).map_err(annex::Failure::internal)?,
        ));
    }
    if format.contains(&Format::Pdf) {
        super::print_in(
            &[Diagnostic::warning(
                None,
                annex::text!(
                    en: "the redline of a template library is written as md and docx only, not as pdf",
                    de: "die Änderungsfassung einer Vorlagenbibliothek wird nur als md und docx geschrieben, nicht als pdf",
                ),
            )],
            lang,
        );
    }
    let written = annex::output::write_files(out, &written)?;
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{title}: {folder}");
    for change in &changes {
        let what = match (change.added, lang) {
            (true, Language::De) => "neu",
            (true, Language::En) => "added",
            (false, Language::De) => "geändert",
            (false, Language::En) => "changed",
        };
        let _ = writeln!(stdout, "  {}: {what}", change.path);
    }
    drop(stdout);
    print_written(&written, lang);
    Ok(Exit::Success)
}

/// "written: DIR/x.redline.md, …".
fn print_written(written: &[annex::output::Written], lang: Language) {
    let paths: Vec<String> = written
        .iter()
        .map(|w| w.path.display().to_string())
        .collect();
    let label = match lang {
        Language::De => "geschrieben",
        Language::En => "written",
    };
    let _ = writeln!(std::io::stdout().lock(), "{label}: {}", paths.join(", "));
}

/// The frame labels of a document that is not an annex (page, of, contents).
fn files_locale(lang: Language) -> std::collections::BTreeMap<String, String> {
    let pairs: &[(&str, &str)] = match lang {
        Language::De => &[
            ("page", "Seite"),
            ("of", "von"),
            ("contents", "Inhalt"),
            ("version", "annex"),
            ("id", "Ordner"),
        ],
        Language::En => &[
            ("page", "Page"),
            ("of", "of"),
            ("contents", "Contents"),
            ("version", "annex"),
            ("id", "Folder"),
        ],
    };
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Which clauses changed and why, and the project values that differ, on one screen.
fn print_summary(old: &Side, new: &Side, compared: &redline::Redline, lang: Language) {
    let mut out = std::io::stdout().lock();
    let count = |kind: Change| compared.changes.iter().filter(|c| c.kind == kind).count();
    let (changed, added, removed) = (
        count(Change::Changed),
        count(Change::Added),
        count(Change::Removed),
    );
    let total = compared.sections;
    let line = match lang {
        Language::De => format!(
            "Änderungsfassung {}: Version {} → {}: {changed} von {total} Abschnitten geändert, {added} neu, {removed} entfallen",
            new.id, old.version, new.version
        ),
        Language::En => format!(
            "redline {}: version {} → {}: {changed} of {total} clauses changed, {added} added, {removed} removed",
            new.id, old.version, new.version
        ),
    };
    let _ = writeln!(out, "{line}");
    for change in &compared.changes {
        let heading = change.heading.replace('\u{a0}', " ");
        let _ = writeln!(out, "  {heading}: {}", change.describe(lang));
    }
    if compared.appendix_changed {
        let _ = writeln!(
            out,
            "  {}",
            match lang {
                Language::De => "Anhang (Abdeckung der Anforderungen): geändert",
                Language::En => "appendix (coverage of requirements): changed",
            }
        );
    }
    // At most 12 values: the redline lists them all.
    const SHOWN: usize = 12;
    if !compared.values.is_empty() {
        let title = match lang {
            Language::De => "Geänderte Werte des Projekts:",
            Language::En => "project values that differ:",
        };
        let _ = writeln!(out, "{title}");
        for value in compared.values.iter().take(SHOWN) {
            let _ = writeln!(out, "  {}", value.describe(lang));
        }
        if compared.values.len() > SHOWN {
            let more = compared.values.len() - SHOWN;
            let _ = writeln!(
                out,
                "  {}",
                match lang {
                    Language::De => format!("… und {more} weitere (siehe die Änderungsfassung)"),
                    Language::En => format!("… and {more} more (see the redline)"),
                }
            );
        }
    }
}

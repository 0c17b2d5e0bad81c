//! `annex templates`: copy the built-in library out, list its clauses, show what a folder
//! changes, check a library.

use annex::diagnostic::Diagnostic;
use annex::language::Localized;
use annex::library::{Files, Library, eject, listing};
use annex::{Failure, Kind, lint, text};

use super::{Ended, Exit, print_all};
use crate::cli::TemplatesCommand;

/// `annex templates eject | list | check`.
pub fn run(command: TemplatesCommand) -> Ended {
    // These commands are about the library, no project.
    let lang = super::messages().general();
    match command {
        TemplatesCommand::Eject { dir, force } => {
            let written = eject::eject(&dir, force).map_err(Failure::usage)?;
            let (n, d) = (written.len(), dir.display());
            let copied = text!(
                en: "copied the built-in templates ({n} files) to {d}:",
                de: "die eingebauten Vorlagen ({n} Dateien) wurden nach {d} kopiert:",
            );
            println!("{}", copied.get(lang));
            for line in eject::summary(&written) {
                println!("  {}", dir.join(line).display());
            }
            let next = text!(
                en: "next: change the files you need (delete the others if you like: a missing file falls back to the built-in one), then
  annex templates check {d}
  annex render --templates {d} PROJECT.json
(or write `templates = \"{d}\"` into annex.toml to use them without --templates)",
                de: "als Nächstes: ändern Sie die Dateien, die Sie brauchen (die anderen können Sie löschen: für eine fehlende Datei gilt die eingebaute), dann
  annex templates check {d}
  annex render --templates {d} PROJEKT.json
(oder schreiben Sie `templates = \"{d}\"` in annex.toml, um sie ohne --templates zu verwenden)",
            );
            println!("{}", next.get(lang));
            Ok(Exit::Success)
        }
        TemplatesCommand::List { dir, library, json } => {
            let dir = super::templates_dir(dir.or(library.templates))?;
            let loaded = Files::load(dir.as_deref())
                .and_then(|files| Library::from_files(&files.files).map(|l| (l, files)));
            let (library, files) = match loaded {
                Ok(x) => x,
                Err(mut e) => {
                    e.push(Diagnostic::error(
                        None,
                        text!(
                            en: "the template library is broken; run `annex templates check` for every problem",
                            de: "die Vorlagenbibliothek ist fehlerhaft; `annex templates check` zeigt jedes Problem",
                        ),
                    ));
                    return Err(Failure::library(e));
                }
            };
            print_all(&files.warnings);
            let clauses = listing::summarize(&library, &files);
            if json {
                let text = serde_json::to_string_pretty(&clauses).map_err(Failure::internal)?;
                println!("{text}");
            } else {
                print!("{}", listing::table(&clauses));
            }
            Ok(Exit::Success)
        }
        TemplatesCommand::Diff { dir, library } => {
            let Some(dir) = super::templates_dir(dir.or(library.templates))? else {
                return Err(Failure::usage(Diagnostic::error(
                    None,
                    text!(
                        en: "name the template folder to compare with the built-in library",
                        de: "geben Sie den Vorlagenordner an, der mit der eingebauten Bibliothek verglichen werden soll",
                    ),
                )
                .hint(text!(
                    en: "annex templates diff DIR (or --templates DIR, or `templates` in annex.toml)",
                    de: "annex templates diff ORDNER (oder --templates ORDNER, oder `templates` in annex.toml)",
                ))));
            };
            let files = Files::load(Some(&dir)).map_err(Failure::library)?;
            print_all(&files.warnings);
            let diff = annex::library::changes::diff(&files);
            if diff.is_empty() {
                let d = dir.display();
                let same = text!(
                    en: "{d}: no changes: every file of the folder has the built-in text",
                    de: "{d}: keine Änderungen: jede Datei des Ordners hat den eingebauten Text",
                );
                eprintln!("{}", same.get(lang));
            } else {
                print!("{diff}");
            }
            Ok(Exit::Success)
        }
        TemplatesCommand::Check {
            dir,
            library,
            fonts,
        } => {
            let dir = super::templates_dir(dir.or(library.templates))?;
            let fonts = super::fonts(&fonts.font_path)?;
            let report = lint::check_with_fonts(dir.as_deref(), &fonts);
            print_all(&report.diagnostics);
            let name: Localized = dir.as_ref().map_or_else(
                || text!(en: "built-in templates", de: "eingebaute Vorlagen"),
                |d| Localized::verbatim(d.display().to_string()),
            );
            eprintln!("{}", report.summary(name.get(lang)).get(lang));
            // The library is the input here: its problems fail the check as a project's fail
            // `annex check`.
            Ok(if report.is_clean() {
                Exit::Success
            } else {
                Exit::Failed(Kind::Input)
            })
        }
    }
}

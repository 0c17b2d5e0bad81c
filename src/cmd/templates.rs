//! `annex templates`: copy the built-in library out, list its clauses, show what a folder
//! changes, check a library.

use annex::diagnostic::Diagnostic;
use annex::library::{Files, Library, eject, listing};
use annex::{Failure, Kind, lint};

use super::{Ended, Exit, print_all};
use crate::cli::TemplatesCommand;

/// `annex templates eject | list | check`.
pub fn run(command: TemplatesCommand) -> Ended {
    match command {
        TemplatesCommand::Eject { dir, force } => {
            let written = eject::eject(&dir, force).map_err(Failure::usage)?;
            println!(
                "copied the built-in templates ({} files) to {}:",
                written.len(),
                dir.display()
            );
            for line in eject::summary(&written) {
                println!("  {}", dir.join(line).display());
            }
            let d = dir.display();
            println!(
                "next: change the files you need (delete the others if you like: a missing file falls back to the built-in one), then"
            );
            println!("  annex templates check {d}");
            println!("  annex render --templates {d} PROJECT.json");
            println!(
                "(or write `templates = \"{d}\"` into annex.toml to use them without --templates)"
            );
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
                        "the template library is broken; run `annex templates check` for every problem",
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
                    "name the template folder to compare with the built-in library",
                )
                .hint("annex templates diff DIR (or --templates DIR, or `templates` in annex.toml)")));
            };
            let files = Files::load(Some(&dir)).map_err(Failure::library)?;
            print_all(&files.warnings);
            let diff = annex::library::changes::diff(&files);
            if diff.is_empty() {
                eprintln!(
                    "{}: no changes: every file of the folder has the built-in text",
                    dir.display()
                );
            } else {
                print!("{diff}");
            }
            Ok(Exit::Success)
        }
        TemplatesCommand::Check { dir, library } => {
            let dir = super::templates_dir(dir.or(library.templates))?;
            let report = lint::check(dir.as_deref());
            print_all(&report.diagnostics);
            let name = dir.as_ref().map_or_else(
                || "built-in templates".to_string(),
                |d| d.display().to_string(),
            );
            eprintln!("{}", report.summary(&name));
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

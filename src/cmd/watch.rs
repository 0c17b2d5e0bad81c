//! `annex watch`: renders a project, then again on every change until Ctrl-C.

use std::path::PathBuf;

use annex::text;

use super::{Ended, Exit, print_in};
use crate::cli::{FontArgs, LibraryArgs, OutputArgs};

/// `annex watch`: renders, then re-renders on changes until Ctrl-C.
pub fn run(input: PathBuf, output: &OutputArgs, library: LibraryArgs, fonts: FontArgs) -> Ended {
    let options = super::render::options(output)?;
    super::render::output_folder(&output.out)?;
    let templates = super::templates_dir(library.templates)?;
    let fonts = super::fonts(&fonts.font_path)?;
    let settings = annex::watch::Watch {
        project: input,
        out: output.out.clone(),
        templates,
        fonts,
        options,
    };
    use annex::watch::Event;
    let project = settings.project.display().to_string();
    let result = annex::watch::run(&settings, &mut |report| {
        // Everything is about the one project: in its language, read again at each event (the
        // project may have changed it), unless annex.toml sets one.
        let lang = super::messages()
            .for_project(annex::project::message_language_of_file(&settings.project));
        match report {
            Event::Watching(paths) => {
                let (en, de) = (joined(paths, " and "), joined(paths, " und "));
                let line = text!(
                    en: "watching {en} (Ctrl-C to stop)",
                    de: "annex beobachtet {de} (Strg-C beendet)",
                );
                eprintln!("{}", line.get(lang));
            }
            Event::Rendered {
                outputs,
                warnings,
                elapsed,
            } => {
                print_in(&warnings, lang);
                let names = outputs
                    .iter()
                    .map(|w| w.path.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                let ms = elapsed.as_millis();
                let line = text!(
                    en: "rendered {project}: {names} in {ms} ms",
                    de: "Anlage zu {project} erstellt: {names} in {ms} ms",
                );
                eprintln!("{}", line.get(lang));
            }
            Event::Failed(failure) => {
                print_in(&failure.diagnostics, lang);
                let line = text!(
                    en: "not rendered; waiting for changes",
                    de: "nicht erstellt; annex wartet auf Änderungen",
                );
                eprintln!("{}", line.get(lang));
            }
            Event::LibraryBroken(failure) => {
                print_in(&failure.diagnostics, lang);
                let line = text!(
                    en: "error: the template library is broken; waiting for changes",
                    de: "Fehler: die Vorlagenbibliothek ist fehlerhaft; annex wartet auf Änderungen",
                );
                eprintln!("{}", line.get(lang));
            }
            Event::WatchError(d) => print_in(&[d], lang),
            Event::LibraryWarnings(warnings) => print_in(&warnings, lang),
        }
    });
    result.map(|()| Exit::Success)
}

/// The paths joined with `and` ("a and b").
fn joined(paths: &[PathBuf], and: &str) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(and)
}

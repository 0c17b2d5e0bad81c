//! `annex watch`: renders a project, then again on every change until Ctrl-C.

use std::path::PathBuf;

use super::{Ended, Exit, print_all};
use crate::cli::{LibraryArgs, OutputArgs};

/// `annex watch`: renders, then re-renders on changes until Ctrl-C.
pub fn run(input: PathBuf, output: &OutputArgs, library: LibraryArgs) -> Ended {
    let options = super::render::options(output)?;
    super::render::output_folder(&output.out)?;
    let templates = super::templates_dir(library.templates)?;
    let settings = annex::watch::Watch {
        project: input,
        out: output.out.clone(),
        templates,
        options,
    };
    use annex::watch::Event;
    let project = settings.project.display().to_string();
    let result = annex::watch::run(&settings, &mut |report| match report {
        Event::Watching(paths) => {
            let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            eprintln!("watching {} (Ctrl-C to stop)", names.join(" and "));
        }
        Event::Rendered {
            outputs,
            warnings,
            elapsed,
        } => {
            print_all(&warnings);
            let names: Vec<String> = outputs
                .iter()
                .map(|w| w.path.display().to_string())
                .collect();
            eprintln!(
                "rendered {project}: {} in {} ms",
                names.join(", "),
                elapsed.as_millis()
            );
        }
        Event::Failed(failure) => {
            print_all(&failure.diagnostics);
            eprintln!("not rendered; waiting for changes");
        }
        Event::LibraryBroken(failure) => {
            print_all(&failure.diagnostics);
            eprintln!("error: the template library is broken; waiting for changes");
        }
        Event::WatchError(d) => print_all(&[d]),
        Event::LibraryWarnings(warnings) => print_all(&warnings),
    });
    result.map(|()| Exit::Success)
}

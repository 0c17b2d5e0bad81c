//! `annex explain`: the selection trace of each project to stdout in input order (text, or one
//! JSON array at the end); diagnostics as `check` prints them.

use std::io::Write;
use std::path::PathBuf;

use annex::Failure;
use annex::batch::Done;

use super::{Ended, Settings};
use crate::cli::{FontArgs, LibraryArgs};

pub fn run(
    inputs: &[PathBuf],
    json: bool,
    figures: bool,
    library: LibraryArgs,
    fonts: FontArgs,
) -> Ended {
    let templates = super::templates_dir(library.templates)?;
    let fonts = super::fonts(&fonts.font_path)?;
    let settings = Settings {
        templates: templates.as_deref(),
        fonts: &fonts,
        jobs: Some(1),
        fail_fast: false,
        verb: annex::text!(en: "explained", de: "erklärt"),
        report_dir: None,
        similar_first: false,
    };
    let traces = std::sync::Mutex::new(Vec::new());
    let status = super::run(inputs, &settings, &|generator, path| {
        let explained = annex::explain::explain_file(generator, path);
        if let Some(trace) = explained.explanation {
            if json {
                traces
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(trace);
            } else if figures {
                // The trace's first line names the project and its annex.
                let text = trace.to_text();
                let head = text.lines().next().unwrap_or_default();
                let listed = trace.figures.as_ref().map_or_else(
                    || "  the annex cannot be rendered: see the errors\n".to_owned(),
                    annex::explain::figures::Figures::to_text,
                );
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "{head}\n{listed}");
            } else {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "{}", trace.to_text());
            }
        }
        explained.result.map(|warnings| Done {
            warnings,
            outputs: vec![],
            ..Done::default()
        })
    })?;
    if json {
        let traces = traces
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let text = serde_json::to_string_pretty(&traces).map_err(Failure::internal)?;
        println!("{text}");
    }
    Ok(status)
}

//! `annex check`: runs every stage but the writers for each project; writes nothing.

use std::path::PathBuf;

use annex::Mode;
use annex::batch::Done;

use super::{Ended, Settings};
use crate::cli::LibraryArgs;

pub fn run(
    inputs: &[PathBuf],
    library: LibraryArgs,
    jobs: Option<usize>,
    fail_fast: bool,
    draft: bool,
    figures: bool,
) -> Ended {
    let templates = super::templates_dir(library.templates)?;
    let settings = Settings {
        templates: templates.as_deref(),
        jobs,
        fail_fast,
        verb: "checked",
        report_dir: None,
        similar_first: false,
    };
    super::run(inputs, &settings, &|generator, path| {
        let document = generator.prepare(path, Mode::draft_if(draft))?;
        let mut summary = format!(
            "ok {}: {}, {}",
            path.display(),
            super::count(document.selection.sections.len(), "section", "sections"),
            super::count(document.warnings.len(), "warning", "warnings")
        );
        if figures {
            let listed = annex::explain::figures::figures(generator.library(), &document);
            summary.push('\n');
            summary.push_str(listed.to_text().trim_end());
        }
        Ok(Done {
            warnings: document.warnings,
            outputs: vec![],
            summary,
            timings: None,
        })
    })
}

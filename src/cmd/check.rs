//! `annex check`: runs every stage but the writers for each project; writes nothing.

use std::path::PathBuf;

use annex::Mode;
use annex::batch::Done;
use annex::language::{Localized, count};
use annex::text;

use super::{Ended, Settings};
use crate::cli::{FontArgs, LibraryArgs};

pub fn run(
    inputs: &[PathBuf],
    library: LibraryArgs,
    fonts: FontArgs,
    jobs: Option<usize>,
    fail_fast: bool,
    draft: bool,
    figures: bool,
) -> Ended {
    let templates = super::templates_dir(library.templates)?;
    let fonts = super::fonts(&fonts.font_path)?;
    let settings = Settings {
        templates: templates.as_deref(),
        fonts: &fonts,
        jobs,
        fail_fast,
        verb: text!(en: "checked", de: "geprüft"),
        report_dir: None,
        similar_first: false,
    };
    super::run(inputs, &settings, &|generator, path| {
        let document = generator.prepare(path, Mode::draft_if(draft))?;
        let (sections, warnings) = (document.selection.sections.len(), document.warnings.len());
        let shown = path.display();
        let mut summary = Localized::new(
            format!(
                "ok {shown}: {}, {}",
                count(sections, "section", "sections"),
                count(warnings, "warning", "warnings")
            ),
            format!(
                "ok {shown}: {}, {}",
                count(sections, "Abschnitt", "Abschnitte"),
                count(warnings, "Warnung", "Warnungen")
            ),
        );
        if figures {
            // The list of figures is a report of its own (as `annex explain --figures` prints
            // it), written in one language.
            let listed = annex::explain::figures::figures(generator.library(), &document);
            summary.push(&Localized::verbatim(format!(
                "\n{}",
                listed.to_text().trim_end()
            )));
        }
        Ok(Done {
            warnings: document.warnings,
            outputs: vec![],
            summary,
            ..Done::default()
        })
    })
}

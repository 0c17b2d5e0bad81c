//! `annex render`: writes the annex of each project as Markdown and PDF.

use std::path::PathBuf;

use annex::batch::Done;
use annex::{Failure, Formats, Options};

use super::{Ended, Settings};
use crate::cli::{Format, LibraryArgs, OutputArgs};

/// The render options of `render` and `watch`; a PDF standard annex does not know is a usage
/// error.
pub fn options(output: &OutputArgs) -> Result<Options, Failure> {
    let standard = output.pdf_standard.as_str();
    if standard != "none" {
        annex::pdf::check_standard(standard)?;
    }
    Ok(Options {
        coverage_appendix: !output.no_coverage,
        formats: Formats {
            markdown: output.format.contains(&Format::Md),
            pdf: output.format.contains(&Format::Pdf),
            typst: output.emit_typst,
        },
        pdf_standard: Some(standard.to_owned()).filter(|s| s != "none"),
        draft: output.draft,
    })
}

pub fn run(
    inputs: &[PathBuf],
    output: &OutputArgs,
    library: LibraryArgs,
    jobs: Option<usize>,
    fail_fast: bool,
) -> Ended {
    let options = options(output)?;
    let out = &output.out;
    let templates = super::templates_dir(library.templates)?;
    let settings = Settings {
        templates: templates.as_deref(),
        jobs,
        fail_fast,
        verb: "rendered",
        report_dir: Some(out),
        similar_first: options.formats.pdf,
    };
    super::run(inputs, &settings, &|generator, path| {
        let mut annex = generator.generate(path, &options)?;
        let started = std::time::Instant::now();
        let outputs = annex::output::write(&annex, out)?;
        annex.timings.write = started.elapsed();
        let names: Vec<String> = outputs
            .iter()
            .map(|w| w.path.display().to_string())
            .collect();
        let summary = format!("rendered {}: {}", path.display(), names.join(", "));
        Ok(Done {
            warnings: annex.warnings,
            outputs,
            summary,
            timings: Some(annex.timings),
        })
    })
}

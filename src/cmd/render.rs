//! `annex render`: writes the annex of each project as Markdown and PDF.

use std::path::PathBuf;

use annex::batch::Done;
use annex::language::Localized;
use annex::up_to_date::Freshness;
use annex::{Failure, Formats, Options, text};

use super::{Ended, Settings};
use crate::cli::{FontArgs, Format, LibraryArgs, OutputArgs};

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
            docx: output.format.contains(&Format::Docx),
            typst: output.emit_typst,
        },
        pdf_standard: Some(standard.to_owned()).filter(|s| s != "none"),
        draft: output.draft,
    })
}

/// Refuses an output folder named like a file (`-o annex.pdf`): annex would create a folder
/// of that name, and the user meant a file.
pub fn output_folder(out: &std::path::Path) -> Result<(), Failure> {
    let extension = out
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if out.is_dir() || !["pdf", "md", "json", "typ", "docx"].contains(&extension.as_str()) {
        return Ok(());
    }
    let stem = out.with_extension("");
    let (out, stem) = (out.display(), stem.display());
    Err(Failure::usage(
        annex::diagnostic::Diagnostic::error(
            None,
            text!(
                en: "`-o {out}` names a file, but -o takes the folder the annex files go into",
                de: "`-o {out}` nennt eine Datei, aber -o erwartet den Ordner, in den die Dateien der Anlage geschrieben werden",
            ),
        )
        .hint(text!(
            en: "write `-o {stem}`: annex writes <annex.id>.pdf, .md and the other files of each project there, named by `annex.id` in the project",
            de: "schreiben Sie `-o {stem}`: annex schreibt dort <annex.id>.pdf, .md und die anderen Dateien jedes Projekts, benannt nach `annex.id` im Projekt",
        )),
    ))
}

pub fn run(
    inputs: &[PathBuf],
    output: &OutputArgs,
    library: LibraryArgs,
    fonts: FontArgs,
    jobs: Option<usize>,
    fail_fast: bool,
    force: bool,
) -> Ended {
    let options = options(output)?;
    let out = &output.out;
    output_folder(out)?;
    let templates = super::templates_dir(library.templates)?;
    let fonts = super::fonts(&fonts.font_path)?;
    let settings = Settings {
        templates: templates.as_deref(),
        fonts: &fonts,
        jobs,
        fail_fast,
        verb: text!(en: "rendered", de: "erstellt"),
        report_dir: Some(out),
        similar_first: options.formats.pdf,
    };
    super::run(inputs, &settings, &|generator, path| {
        let shown = path.display();
        let loading = std::time::Instant::now();
        let loaded = generator.load(path)?;
        let loading = loading.elapsed();
        let reason = match force {
            true => None,
            false => match annex::up_to_date::check(generator, &loaded, &options, out) {
                Freshness::UpToDate(outputs) => {
                    return Ok(Done {
                        outputs,
                        summary: text!(en: "up to date: {shown}", de: "Anlage zu {shown} ist aktuell"),
                        up_to_date: true,
                        ..Done::default()
                    });
                }
                Freshness::Stale(reason) => reason,
            },
        };
        let mut annex = generator.generate_loaded(loaded, &options)?;
        annex.timings.prepare += loading;
        let started = std::time::Instant::now();
        let outputs = annex::output::write(&annex, out)?;
        annex.timings.write = started.elapsed();
        let names = outputs
            .iter()
            .map(|w| w.path.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let mut summary: Localized = text!(
            en: "rendered {shown}: {names}",
            de: "Anlage zu {shown} erstellt: {names}",
        );
        if let Some(reason) = &reason {
            summary.push(&Localized::each(|lang| format!(" ({})", reason.get(lang))));
        }
        Ok(Done {
            warnings: annex.warnings,
            outputs,
            summary,
            timings: Some(annex.timings),
            reason,
            ..Done::default()
        })
    })
}

//! `annex coverage`: the coverage matrix of each project, as text, CSV or JSON; fails while an
//! item is open.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use annex::Failure;
use annex::Mode;
use annex::batch::Done;

use super::{Ended, Settings};
use crate::cli::{CoverageFormat, FontArgs, LibraryArgs};

pub fn run(
    inputs: &[PathBuf],
    format: CoverageFormat,
    library: LibraryArgs,
    fonts: FontArgs,
) -> Ended {
    let templates = super::templates_dir(library.templates)?;
    let fonts = super::fonts(&fonts.font_path)?;
    // One worker: the matrices go to stdout in input order.
    let settings = Settings {
        templates: templates.as_deref(),
        fonts: &fonts,
        jobs: Some(1),
        fail_fast: false,
        verb: annex::text!(en: "checked", de: "geprüft"),
        report_dir: None,
        similar_first: false,
    };
    let header = AtomicBool::new(true);
    super::run(inputs, &settings, &|generator, path| {
        // Rendered as a draft, so that open items are shown; they still fail the run.
        let document = generator.prepare(path, Mode::Draft)?;
        let coverage = &document.coverage;
        match format {
            CoverageFormat::Text => print!("{}", coverage_text(coverage, path)),
            CoverageFormat::Csv => {
                let csv = coverage.to_csv();
                let skip = if header.swap(false, Ordering::Relaxed) {
                    0
                } else {
                    csv.find("\r\n").map_or(0, |i| i + 2)
                };
                print!("{}", csv.get(skip..).unwrap_or_default());
            }
            CoverageFormat::Json => {
                let json = serde_json::to_string_pretty(coverage).map_err(Failure::internal)?;
                println!("{json}");
            }
        }
        let open = coverage.gate(&document.source);
        if !open.is_empty() {
            return Err(open.into());
        }
        Ok(Done {
            warnings: document.warnings,
            outputs: vec![],
            ..Done::default()
        })
    })
}

/// The coverage matrix as plain text for people.
fn coverage_text(coverage: &annex::coverage::Coverage, path: &Path) -> String {
    use annex::coverage::Status;
    let (covered, excluded, open) = coverage.counts();
    let names: Vec<&str> = coverage.frameworks.iter().map(|f| f.id.as_str()).collect();
    let mut out = format!(
        "{} ({}): {} requirements of {} apply: {covered} covered, {excluded} excluded by agreement, {open} open\n",
        coverage.annex,
        path.display(),
        coverage.items.len(),
        names.join(", ")
    );
    let width = coverage
        .items
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(0);
    for row in &coverage.items {
        let status = match &row.status {
            Status::Covered { sections } => sections.join(", "),
            Status::Excluded { reasons } => {
                format!("excluded by agreement: {}", reasons.join("; "))
            }
            Status::Open { sections, topics } if sections.is_empty() => {
                format!("OPEN: no section regulates it: {}", topics.join("; "))
            }
            Status::Open { sections, .. } => {
                let missing = row.missing();
                format!("OPEN: {} lack {}", sections.join(", "), missing.join(", "))
            }
        };
        out.push_str(&format!(
            "  {:width$}  {}  →  {status}\n",
            row.label, row.title
        ));
    }
    out
}

//! The `annex` command.

mod cli;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use annex::diagnostic::{Diagnostic, Location};
use annex::{Formats, Generator, Options};
use clap::Parser;
use cli::{Cli, Command, Format};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Schema => {
            let schema = schemars::schema_for!(annex::project::Project);
            match serde_json::to_string_pretty(&schema) {
                Ok(text) => println!("{text}"),
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(1);
                }
            }
            ExitCode::SUCCESS
        }
        Command::Render {
            inputs,
            out,
            format,
            pdf_standard,
            templates,
            no_coverage,
            jobs,
        } => {
            let formats = Formats {
                markdown: format.contains(&Format::Md),
                pdf: format.contains(&Format::Pdf),
            };
            let options = Options {
                coverage_appendix: !no_coverage,
                formats,
                pdf_standard: Some(pdf_standard).filter(|s| s != "none"),
            };
            run(&inputs, templates.as_deref(), jobs, |generator, path| {
                let annex = generator.generate(path, &options)?;
                print_all(&annex.warnings);
                let written = annex::output::write(&annex, &out)?;
                let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
                eprintln!("rendered {}: {}", path.display(), names.join(", "));
                Ok(())
            })
        }
        Command::Coverage { inputs, templates } => {
            // One worker: the matrices go to stdout in input order.
            run(&inputs, templates.as_deref(), Some(1), |generator, path| {
                let prepared = generator.prepare(path)?;
                print_all(&prepared.warnings);
                print!("{}", coverage_text(&prepared.coverage, path));
                Ok(())
            })
        }
        Command::Check {
            inputs,
            templates,
            jobs,
        } => run(&inputs, templates.as_deref(), jobs, |generator, path| {
            let prepared = generator.prepare(path)?;
            print_all(&prepared.warnings);
            eprintln!(
                "ok {}: {} sections, {} warnings",
                path.display(),
                prepared.selection.sections.len(),
                prepared.warnings.len()
            );
            Ok(())
        }),
    }
}

/// Runs `job` for every project; reports failures and goes on; exit 1 if any failed.
fn run(
    inputs: &[PathBuf],
    templates: Option<&Path>,
    jobs: Option<usize>,
    job: impl Fn(&Generator, &Path) -> Result<(), annex::Failure> + Sync,
) -> ExitCode {
    let projects = match expand(inputs) {
        Ok(p) => p,
        Err(d) => {
            print_all(&[d]);
            return ExitCode::from(2);
        }
    };
    let library = match templates {
        Some(dir) => annex::library::Library::with_overrides(dir),
        None => annex::library::Library::builtin(),
    };
    let generator = match library
        .map_err(annex::Failure::from)
        .and_then(Generator::with_library)
    {
        Ok(g) => g,
        Err(failure) => {
            print_all(&failure.diagnostics);
            eprintln!("error: the template library is broken; nothing was rendered");
            return ExitCode::from(2);
        }
    };
    // Workers take the next project until none is left; fonts, templates and the Typst library
    // are shared by all of them through the one generator.
    let jobs = jobs
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1)
        .clamp(1, projects.len().max(1));
    let next = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                while let Some(path) = projects.get(next.fetch_add(1, Ordering::Relaxed)) {
                    if let Err(failure) = job(&generator, path) {
                        print_all(&failure.diagnostics);
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let failed = failed.into_inner();
    if projects.len() > 1 {
        eprintln!("{} succeeded, {failed} failed", projects.len() - failed);
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Files as given; folders become their `*.json` files in name order.
fn expand(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries = std::fs::read_dir(input).map_err(|e| {
                Diagnostic::error(
                    Some(Location::file(input)),
                    format!("cannot read the folder: {e}"),
                )
            })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && is_project_file(p))
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(Diagnostic::error(
                    Some(Location::file(input)),
                    "the folder contains no *.json project files",
                ));
            }
            out.extend(found);
        } else {
            out.push(input.clone());
        }
    }
    Ok(out)
}

/// A `*.json` file in an input folder that is not one of annex's own outputs.
fn is_project_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.ends_with(".json")
        && !name.ends_with(".coverage.json")
        && !name.ends_with(".manifest.json")
        && name != "report.json"
}

/// The coverage matrix as plain text for people.
fn coverage_text(coverage: &annex::coverage::Coverage, path: &Path) -> String {
    use annex::coverage::Status;
    let (covered, excluded, missing) = coverage.counts();
    let mut out = format!(
        "{} ({}): {} requirements apply: {covered} covered, {excluded} excluded by agreement, {missing} not covered\n",
        coverage.annex,
        path.display(),
        coverage.items.len()
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
            Status::Missing { topics, .. } => format!("NOT COVERED: {}", topics.join("; ")),
        };
        out.push_str(&format!(
            "  {:width$}  {}  →  {status}\n",
            row.label, row.title
        ));
    }
    out
}

fn print_all(diagnostics: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        let _ = writeln!(err, "{d}");
    }
}

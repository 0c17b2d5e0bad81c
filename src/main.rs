//! The `annex` command.

mod cli;

/// mimalloc instead of the system allocator: typst allocates and frees small objects at a
/// high rate, and with glibc's malloc that cost about a sixth of the time of a batch.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use annex::batch::{Done, Outcome};
use annex::diagnostic::{Diagnostic, Location};
use annex::{Formats, Generator, Options};
use clap::Parser;
use cli::{Cli, Command, CoverageFormat, Format, OutputArgs, TemplatesCommand};
use indicatif::{ProgressBar, ProgressStyle};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // `--templates` wins over `templates` in annex.toml.
    let config = || match annex::config::Config::load(Path::new("")) {
        Ok(c) => Ok(c),
        Err(e) => {
            print_all(&e);
            Err(ExitCode::from(2))
        }
    };
    let templates_dir = |flag: Option<PathBuf>| config().map(|c| flag.or(c.templates));
    match cli.command {
        Command::Templates { command } => templates(command, &templates_dir),
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
            output,
            library,
            jobs,
            fail_fast,
        } => {
            let options = match options(&output) {
                Ok(o) => o,
                Err(code) => return code,
            };
            let out = output.out;
            let templates = match templates_dir(library.templates) {
                Ok(t) => t,
                Err(code) => return code,
            };
            let settings = Settings {
                templates: templates.as_deref(),
                jobs,
                fail_fast,
                verb: "rendered",
                report_dir: Some(&out),
                similar_first: options.formats.pdf,
            };
            run(&inputs, &settings, &|generator, path| {
                let mut annex = generator.generate(path, &options)?;
                let started = std::time::Instant::now();
                let outputs = annex::output::write(&annex, &out)?;
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
        Command::Coverage {
            inputs,
            format,
            library,
        } => {
            let templates = match templates_dir(library.templates) {
                Ok(t) => t,
                Err(code) => return code,
            };
            // One worker: the matrices go to stdout in input order.
            let settings = Settings {
                templates: templates.as_deref(),
                jobs: Some(1),
                fail_fast: false,
                verb: "checked",
                report_dir: None,
                similar_first: false,
            };
            let header = std::sync::atomic::AtomicBool::new(true);
            run(&inputs, &settings, &|generator, path| {
                // Prepared as a draft, so that open items are shown; they still fail the run.
                let prepared = generator.prepare_with(path, true)?;
                let coverage = &prepared.coverage;
                match format {
                    CoverageFormat::Text => print!("{}", coverage_text(coverage, path)),
                    CoverageFormat::Csv => {
                        let csv = coverage.to_csv();
                        let skip = if header.swap(false, std::sync::atomic::Ordering::Relaxed) {
                            0
                        } else {
                            csv.find("\r\n").map_or(0, |i| i + 2)
                        };
                        print!("{}", csv.get(skip..).unwrap_or_default());
                    }
                    CoverageFormat::Json => match serde_json::to_string_pretty(coverage) {
                        Ok(json) => println!("{json}"),
                        Err(e) => {
                            return Err(
                                Diagnostic::error(None, format!("internal error: {e}")).into()
                            );
                        }
                    },
                }
                let open = coverage.gate(&prepared.source);
                if !open.is_empty() {
                    return Err(open.into());
                }
                Ok(Done {
                    warnings: prepared.warnings,
                    outputs: vec![],
                    summary: String::new(),
                    timings: None,
                })
            })
        }
        Command::Explain {
            inputs,
            json,
            library,
        } => match templates_dir(library.templates) {
            Ok(templates) => explain(&inputs, json, templates.as_deref()),
            Err(code) => code,
        },
        Command::Watch {
            input,
            output,
            library,
        } => {
            let options = match options(&output) {
                Ok(o) => o,
                Err(code) => return code,
            };
            let templates = match templates_dir(library.templates) {
                Ok(t) => t,
                Err(code) => return code,
            };
            watch(annex::watch::Watch {
                project: input,
                out: output.out,
                templates,
                options,
            })
        }
        Command::Check {
            inputs,
            library,
            jobs,
            fail_fast,
            draft,
        } => {
            let templates = match templates_dir(library.templates) {
                Ok(t) => t,
                Err(code) => return code,
            };
            let settings = Settings {
                templates: templates.as_deref(),
                jobs,
                fail_fast,
                verb: "checked",
                report_dir: None,
                similar_first: false,
            };
            run(&inputs, &settings, &|generator, path| {
                let prepared = generator.prepare_with(path, draft)?;
                let summary = format!(
                    "ok {}: {} sections, {} warnings",
                    path.display(),
                    prepared.selection.sections.len(),
                    prepared.warnings.len()
                );
                Ok(Done {
                    warnings: prepared.warnings,
                    outputs: vec![],
                    summary,
                    timings: None,
                })
            })
        }
    }
}

/// `annex explain`: the trace of each project to stdout in input order (text, or one JSON
/// array at the end); diagnostics as `check` prints them.
/// The render options of `render` and `watch`; a PDF standard annex does not know is an error.
fn options(output: &OutputArgs) -> Result<Options, ExitCode> {
    let standard = output.pdf_standard.as_str();
    if standard != "none"
        && let Err(e) = annex::pdf::check_standard(standard)
    {
        print_all(&e.diagnostics);
        return Err(ExitCode::from(2));
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

fn explain(inputs: &[PathBuf], json: bool, templates: Option<&Path>) -> ExitCode {
    let settings = Settings {
        templates,
        jobs: Some(1),
        fail_fast: false,
        verb: "explained",
        report_dir: None,
        similar_first: false,
    };
    let traces = std::sync::Mutex::new(Vec::new());
    let code = run(inputs, &settings, &|generator, path| {
        let explained = annex::explain::explain_file(generator, path);
        if let Some(trace) = explained.explanation {
            if json {
                traces
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(trace);
            } else {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "{}", trace.to_text());
            }
        }
        explained.result.map(|warnings| Done {
            warnings,
            outputs: vec![],
            summary: String::new(),
            timings: None,
        })
    });
    if json && code != ExitCode::from(2) {
        let traces = traces
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match serde_json::to_string_pretty(&traces) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        }
    }
    code
}

/// `annex watch`: renders, then re-renders on changes until Ctrl-C.
fn watch(settings: annex::watch::Watch) -> ExitCode {
    use annex::watch::Report;
    let project = settings.project.display().to_string();
    let result = annex::watch::run(&settings, &mut |report| match report {
        Report::Watching(paths) => {
            let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            eprintln!("watching {} (Ctrl-C to stop)", names.join(" and "));
        }
        Report::Rendered {
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
        Report::Failed(failure) => {
            print_all(&failure.diagnostics);
            eprintln!("not rendered; waiting for changes");
        }
        Report::LibraryBroken(failure) => {
            print_all(&failure.diagnostics);
            eprintln!("error: the template library is broken; waiting for changes");
        }
        Report::WatchError(d) => print_all(&[d]),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            print_all(&failure.diagnostics);
            ExitCode::from(2)
        }
    }
}

/// `annex templates eject | list | check`.
fn templates(
    command: TemplatesCommand,
    templates_dir: &dyn Fn(Option<PathBuf>) -> Result<Option<PathBuf>, ExitCode>,
) -> ExitCode {
    use annex::library::{Files, Library, eject, lint, listing};
    match command {
        TemplatesCommand::Eject { dir, force } => match eject::eject(&dir, force) {
            Ok(written) => {
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
                ExitCode::SUCCESS
            }
            Err(d) => {
                print_all(&[d]);
                ExitCode::from(2)
            }
        },
        TemplatesCommand::List { library, json } => {
            let dir = match templates_dir(library.templates) {
                Ok(d) => d,
                Err(code) => return code,
            };
            let loaded = Files::load(dir.as_deref())
                .and_then(|files| Library::from_files(&files.files).map(|l| (l, files)));
            let (library, files) = match loaded {
                Ok(x) => x,
                Err(e) => {
                    print_all(&e);
                    eprintln!(
                        "error: the template library is broken; run `annex templates check` for every problem"
                    );
                    return ExitCode::from(2);
                }
            };
            let clauses = listing::summarize(&library, &files);
            if json {
                match serde_json::to_string_pretty(&clauses) {
                    Ok(text) => println!("{text}"),
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::from(1);
                    }
                }
            } else {
                print!("{}", listing::table(&clauses));
            }
            ExitCode::SUCCESS
        }
        TemplatesCommand::Check { dir } => {
            let dir = match templates_dir(dir) {
                Ok(d) => d,
                Err(code) => return code,
            };
            let report = lint::check(dir.as_deref());
            print_all(&report.diagnostics);
            let name = dir.as_ref().map_or_else(
                || "built-in templates".to_string(),
                |d| d.display().to_string(),
            );
            eprintln!("{}", report.summary(&name));
            if report.is_clean() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// How a run goes.
struct Settings<'a> {
    templates: Option<&'a Path>,
    jobs: Option<usize>,
    fail_fast: bool,
    /// "rendered" or "checked", for the summary line.
    verb: &'static str,
    /// Where `report.json` goes, if anywhere.
    report_dir: Option<&'a Path>,
    /// Render similar annexes one after another (for PDF: typst's caches then hit).
    similar_first: bool,
}

/// Runs `job` for every project; reports failures and goes on (or stops with `--fail-fast`);
/// exit 1 if any failed, 2 on usage errors or a broken template library.
fn run(
    inputs: &[PathBuf],
    settings: &Settings<'_>,
    job: &(dyn Fn(&Generator, &Path) -> Result<Done, annex::Failure> + Sync),
) -> ExitCode {
    let projects = match expand(inputs) {
        Ok(p) => p,
        Err(d) => {
            print_all(&[d]);
            return ExitCode::from(2);
        }
    };
    let library = match settings.templates {
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
    let jobs = settings
        .jobs
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1);
    // A progress bar with rate and ETA on a terminal; plain lines otherwise (logs, CI).
    let bar = (projects.len() > 1 && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(projects.len() as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} · {rate} · ETA {eta}")
        {
            bar.set_style(style.with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.1}/s", state.per_sec());
                },
            ));
        }
        bar
    });
    let show = |lines: String| match &bar {
        Some(bar) => bar.suspend(|| eprint!("{lines}")),
        None => eprint!("{lines}"),
    };
    let on_done = |outcome: &Outcome| {
        let mut lines = String::new();
        match &outcome.result {
            Some(Ok(done)) => {
                for w in &done.warnings {
                    lines.push_str(&format!("{w}\n"));
                }
                if !done.summary.is_empty() {
                    lines.push_str(&format!("{}\n", done.summary));
                }
            }
            Some(Err(failure)) => lines.push_str(&format!("{failure}\n")),
            None => {}
        }
        show(lines);
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    };
    if let Some(dir) = settings.report_dir {
        let removed = annex::output::remove_stale_temporaries(dir);
        if removed > 0 {
            show(format!(
                "removed {removed} temporary files that an interrupted run left in {}\n",
                dir.display()
            ));
        }
    }
    let plan = annex::batch::plan(
        &generator,
        &projects,
        settings.similar_first && projects.len() > 2,
        settings.report_dir.is_some(),
    );
    let outcomes = annex::batch::run(
        &generator,
        &projects,
        &plan,
        jobs,
        settings.fail_fast,
        job,
        &on_done,
    );
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let failed = outcomes
        .iter()
        .filter(|o| matches!(o.result, Some(Err(_))))
        .count();
    let skipped = outcomes.iter().filter(|o| o.result.is_none()).count();
    if let Some(dir) = settings.report_dir {
        let report = annex::batch::report(&plan, &outcomes);
        let written = serde_json::to_vec_pretty(&report)
            .map_err(|e| {
                annex::Failure::from(Diagnostic::error(None, format!("internal error: {e}")))
            })
            .and_then(|bytes| annex::output::write_file(dir, "report.json", &bytes));
        if let Err(failure) = written {
            print_all(&failure.diagnostics);
        }
    }
    if projects.len() > 1 || failed > 0 {
        let mut line = format!(
            "{} {}, {failed} failed",
            projects.len() - failed - skipped,
            settings.verb
        );
        if skipped > 0 {
            line.push_str(&format!(
                ", {skipped} skipped after the first failure (--fail-fast)"
            ));
        }
        eprintln!("{line}");
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

fn print_all(diagnostics: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        let _ = writeln!(err, "{d}");
    }
}

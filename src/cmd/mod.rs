//! The commands of `annex`, one module each, and what they share: the settings and template
//! library of a run, the batch driver with its progress output, and printing.

pub mod check;
pub mod coverage;
pub mod diff;
pub mod explain;
pub mod init;
pub mod render;
pub mod schema;
pub mod templates;
pub mod watch;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use annex::batch::{Done, Outcome};
use annex::diagnostic::{Diagnostic, Location};
use annex::language::{Language, Localized, Messages, count};
use annex::pdf::{AddedFonts, PdfEngine};
use annex::text;
use annex::{Failure, Generator, Kind};
use indicatif::{ProgressBar, ProgressStyle};

/// How a command that ran ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything it was asked to do is done.
    Success,
    /// Some of it failed this way; the failures are printed already.
    Failed(Kind),
}

/// What a command gives back: how it ended, or why it could not run (not printed yet).
pub type Ended = Result<Exit, Failure>;

/// The template folder of a run: `--templates`, or else `templates` in annex.toml.
/// A broken annex.toml is an error either way.
pub fn templates_dir(flag: Option<PathBuf>) -> Result<Option<PathBuf>, Failure> {
    let config =
        annex::config::Config::load(Path::new("")).map_err(|e| Failure::new(Kind::Usage, e))?;
    Ok(flag.or(config.templates))
}

/// The fonts added to the embedded ones: the folders of `--font-path`, then those of `fonts`
/// in annex.toml, read once for the run; what was skipped is printed. A folder or font file
/// annex cannot use is an error at its path.
pub fn fonts(flag: &[PathBuf]) -> Result<AddedFonts, Failure> {
    let config =
        annex::config::Config::load(Path::new("")).map_err(|e| Failure::new(Kind::Usage, e))?;
    let fonts = AddedFonts::load(&config.fonts(flag))?;
    print_all(&fonts.warnings);
    Ok(fonts)
}

/// The generator with the built-in library, or with `dir` laid over it, and the embedded
/// fonts with `fonts` added; the library's warnings
/// (files of the folder annex does not read) are printed. A library that does not
/// load is reported as `annex templates check` reports it (every problem, each located), since
/// that check runs the code that loads and renders it.
pub fn generator(dir: Option<&Path>, fonts: &AddedFonts) -> Result<Generator, Failure> {
    annex::library::Library::load(dir)
        .map_err(Failure::library)
        .inspect(|library| print_all(&library.warnings))
        .and_then(|library| Generator::with_engine(library, PdfEngine::with_fonts(fonts)))
        .map_err(|failure| {
            let report = annex::lint::check_with_fonts(dir, fonts);
            let mut diagnostics = if report.is_clean() {
                failure.diagnostics
            } else {
                report.diagnostics
            };
            diagnostics.push(Diagnostic::error(
                None,
                text!(
                    en: "the template library is broken; nothing was rendered",
                    de: "die Vorlagenbibliothek ist fehlerhaft; es wurde nichts erstellt",
                ),
            ));
            Failure::library(diagnostics)
        })
}

/// How a batch goes.
pub struct Settings<'a> {
    pub templates: Option<&'a Path>,
    /// The fonts added to the embedded ones ([`fonts`]).
    pub fonts: &'a AddedFonts,
    pub jobs: Option<usize>,
    pub fail_fast: bool,
    /// "rendered" or "checked", for the summary line ("3 rendered, 1 failed").
    pub verb: Localized,
    /// Where `report.json` goes, if anywhere.
    pub report_dir: Option<&'a Path>,
    /// Render similar annexes one after another (for PDF: typst's caches then hit).
    pub similar_first: bool,
}

/// A job run for each project of a batch.
pub type Job<'a> = dyn Fn(&Generator, &Path) -> Result<Done, Failure> + Sync + 'a;

/// Runs `job` for every project; reports failures and goes on (or stops with `--fail-fast`).
/// Fails as the worst failure of a project did.
pub fn run(inputs: &[PathBuf], settings: &Settings<'_>, job: &Job<'_>) -> Ended {
    let projects = expand(inputs).map_err(Failure::usage)?;
    let generator = generator(settings.templates, settings.fonts)?;
    // The lines about the whole run: in the language its projects share, if they share one.
    // Each project's language is looked up once, for its messages and for these lines.
    let languages: Vec<Option<Language>> = projects
        .iter()
        .map(|p| annex::project::message_language_of_file(p))
        .collect();
    let general = messages().for_projects(languages.iter().copied());
    let jobs = settings
        .jobs
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1);
    let bar = progress_bar(projects.len());
    let show = |lines: String| match &bar {
        Some(bar) => bar.suspend(|| eprint!("{lines}")),
        None => eprint!("{lines}"),
    };
    // A warning that many projects of a batch share (the same message and hints) is shown
    // in full for the first and counted for the others; report.json keeps every one.
    let repeated: std::sync::Mutex<std::collections::BTreeMap<String, (usize, Localized)>> =
        std::sync::Mutex::default();
    let on_done = |outcome: &Outcome| {
        let lang = messages().for_project(outcome.language);
        let mut lines = String::new();
        match &outcome.result {
            Some(Ok(done)) => {
                for w in &done.warnings {
                    let key = format!(
                        "{}\n{}",
                        w.message.get(lang),
                        w.hints
                            .iter()
                            .map(|h| h.get(lang))
                            .collect::<Vec<_>>()
                            .join("\n")
                    );
                    let first = repeated.lock().map_or(true, |mut seen| {
                        let (n, _) = seen.entry(key).or_insert((0, w.message.clone()));
                        *n += 1;
                        *n == 1
                    });
                    if first {
                        lines.push_str(&format!("{}\n", w.display(lang)));
                    }
                }
                let summary = done.summary.get(lang);
                if !summary.is_empty() {
                    lines.push_str(&format!("{summary}\n"));
                }
            }
            Some(Err(failure)) => lines.push_str(&format!("{}\n", failure.display(lang))),
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
            let dir = dir.display();
            let line = Localized::new(
                format!(
                    "removed {} that an interrupted run left in {dir}\n",
                    count(removed, "temporary file", "temporary files")
                ),
                format!(
                    "{} entfernt, die ein abgebrochener Lauf in {dir} hinterlassen hat\n",
                    count(removed, "temporäre Datei", "temporäre Dateien")
                ),
            );
            show(line.get(general).to_owned());
        }
    }
    let mut plan = annex::batch::plan(
        &generator,
        &projects,
        settings.similar_first && projects.len() > 2,
        settings.report_dir.is_some(),
    );
    plan.languages = languages;
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
    let mut worst = outcomes
        .iter()
        .filter_map(|o| match &o.result {
            Some(Err(failure)) => Some(failure.kind),
            _ => None,
        })
        .max();
    let failed = outcomes
        .iter()
        .filter(|o| matches!(o.result, Some(Err(_))))
        .count();
    let skipped = outcomes.iter().filter(|o| o.result.is_none()).count();
    let up_to_date = outcomes
        .iter()
        .filter(|o| matches!(&o.result, Some(Ok(done)) if done.up_to_date))
        .count();
    if let Some(dir) = settings.report_dir {
        let report = annex::batch::report(
            &plan,
            &outcomes,
            &generator.library().identity(),
            &messages(),
        );
        let written = serde_json::to_vec_pretty(&report)
            .map_err(Failure::internal)
            .and_then(|bytes| annex::output::write_file(dir, "report.json", &bytes));
        if let Err(failure) = written {
            print_in(&failure.diagnostics, general);
            worst = worst.max(Some(failure.kind));
        }
    }
    // A library other than the built-in one is always named: a working directory's
    // annex.toml must not change the wording unnoticed.
    if settings.templates.is_some() {
        let identity = generator.library().identity().text();
        let identity = identity.get(general);
        let line = text!(en: "templates: {identity}", de: "Vorlagen: {identity}");
        eprintln!("{}", line.get(general));
    }
    for (n, message) in repeated.into_inner().unwrap_or_default().into_values() {
        if n > 1 {
            let message = message.get(general);
            let others = n - 1;
            let in_report = settings.report_dir.is_some();
            let line = match (others, in_report) {
                (1, false) => text!(
                    en: "note: 1 more project has the warning: {message}",
                    de: "Hinweis: 1 weiteres Projekt hat die Warnung: {message}",
                ),
                (1, true) => text!(
                    en: "note: 1 more project has the warning (each is in report.json): {message}",
                    de: "Hinweis: 1 weiteres Projekt hat die Warnung (jede steht in report.json): {message}",
                ),
                (_, false) => text!(
                    en: "note: {others} more projects have the warning: {message}",
                    de: "Hinweis: {others} weitere Projekte haben die Warnung: {message}",
                ),
                (_, true) => text!(
                    en: "note: {others} more projects have the warning (each is in report.json): {message}",
                    de: "Hinweis: {others} weitere Projekte haben die Warnung (jede steht in report.json): {message}",
                ),
            };
            eprintln!("{}", line.get(general));
        }
    }
    if projects.len() > 1 || failed > 0 {
        let done = projects.len() - failed - skipped - up_to_date;
        let verb = settings.verb.get(general);
        let mut line = if up_to_date > 0 {
            text!(
                en: "{done} {verb}, {up_to_date} up to date, {failed} failed",
                de: "{done} {verb}, {up_to_date} aktuell, {failed} fehlgeschlagen",
            )
        } else {
            text!(
                en: "{done} {verb}, {failed} failed",
                de: "{done} {verb}, {failed} fehlgeschlagen",
            )
        };
        if skipped > 0 {
            line.push(&text!(
                en: ", {skipped} skipped after the first failure (--fail-fast)",
                de: ", {skipped} nach dem ersten fehlgeschlagenen Projekt übersprungen (--fail-fast)",
            ));
        }
        let failures: Vec<String> = outcomes
            .iter()
            .filter(|o| matches!(o.result, Some(Err(_))))
            .map(|o| o.input.display().to_string())
            .collect();
        if !failures.is_empty() {
            const NAMED: usize = 10;
            let named = failures
                .iter()
                .take(NAMED)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            line.push(&Localized::verbatim(format!(": {named}")));
            if failures.len() > NAMED {
                let more = failures.len() - NAMED;
                line.push(&text!(en: " and {more} more", de: " und {more} weitere"));
            }
        }
        eprintln!("{}", line.get(general));
    }
    Ok(worst.map_or(Exit::Success, Exit::Failed))
}

/// A progress bar with rate and ETA on a terminal for more than one project; none otherwise
/// (logs and CI get plain lines).
fn progress_bar(projects: usize) -> Option<ProgressBar> {
    (projects > 1 && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(projects as u64);
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
    })
}

/// Files as given; folders become their `*.json` files in name order.
fn expand(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries = std::fs::read_dir(input).map_err(|e| {
                Diagnostic::error(
                    Some(Location::file(input)),
                    text!(
                        en: "cannot read the folder: {e}",
                        de: "der Ordner kann nicht gelesen werden: {e}",
                    ),
                )
            })?;
            // Regular files only: a link in the folder could point anywhere (a file given by
            // name is read as given).
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.path())
                .filter(|p| is_project_file(p))
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(Diagnostic::error(
                    Some(Location::file(input)),
                    text!(
                        en: "the folder contains no *.json project files",
                        de: "der Ordner enthält keine Projektdateien *.json",
                    ),
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

/// Prints diagnostics about no project in particular to stderr.
pub fn print_all(diagnostics: &[Diagnostic]) {
    print_in(diagnostics, messages().general());
}

/// Prints diagnostics to stderr in `lang`.
pub fn print_in(diagnostics: &[Diagnostic], lang: Language) {
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        let _ = writeln!(err, "{}", d.display(lang));
    }
}

/// The language of messages: the environment's `ANNEX_LANG`, else `lang` of annex.toml, read
/// once per run (a broken annex.toml is reported by the command that reads its other
/// settings); without either, each message about a project is in the project's language.
pub fn messages() -> Messages {
    static MESSAGES: std::sync::OnceLock<Messages> = std::sync::OnceLock::new();
    *MESSAGES.get_or_init(|| {
        let from_env = std::env::var("ANNEX_LANG").ok().and_then(|value| {
            let lang = Language::parse(&value.trim().to_ascii_lowercase());
            if lang.is_none() {
                eprintln!(
                    "warning: ANNEX_LANG={value:?} is neither \"de\" nor \"en\" and is ignored\n  hint: set ANNEX_LANG=de (German messages) or ANNEX_LANG=en (English messages), or remove it"
                );
            }
            lang
        });
        Messages {
            configured: from_env.or_else(|| {
                annex::config::Config::load(Path::new(""))
                    .ok()
                    .and_then(|c| c.lang)
            }),
        }
    })
}

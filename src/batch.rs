//! Running many projects: workers on every core sharing one [`Generator`], results in input
//! order, a stop on the first failure if asked, and a machine-readable run report.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::failure::Failure;
use crate::generator::{Generator, Peek};
use crate::language::{Language, Localized, Messages};

/// What one job produced for one project.
#[derive(Debug, Clone)]
pub struct Done {
    /// Warnings to show.
    pub warnings: Vec<Diagnostic>,
    /// Files written, with their SHA-256.
    pub outputs: Vec<crate::output::Written>,
    /// One line for people ("rendered x: a, b"), in both languages; empty for none.
    pub summary: Localized,
    /// Time per stage, for a rendered annex.
    pub timings: Option<crate::typeset::Timings>,
    /// Its files were up to date and are left as they were (`outputs` lists them).
    pub up_to_date: bool,
    /// Why an annex written before was rendered again (an incremental `render`).
    pub reason: Option<Localized>,
}

impl Default for Done {
    fn default() -> Done {
        Done {
            warnings: Vec::new(),
            outputs: Vec::new(),
            summary: Localized::new("", ""),
            timings: None,
            up_to_date: false,
            reason: None,
        }
    }
}

/// The result for one input.
#[derive(Debug)]
pub struct Outcome {
    /// The project file.
    pub input: PathBuf,
    /// Done, failed, or `None` when skipped after `--fail-fast` stopped the run.
    pub result: Option<Result<Done, Failure>>,
    /// Time spent on it.
    pub duration: Duration,
    /// The language of the project (its `annex.language`), where it could be read: the
    /// language its messages are printed in unless `annex.toml` sets one.
    pub language: Option<Language>,
}

/// How a batch runs: in which order, and which projects are refused before they start.
#[derive(Debug, Default)]
pub struct Plan {
    /// Indices into the projects in the order to run them; `None`: input order.
    pub order: Option<Vec<usize>>,
    /// Time spent planning (looking into every project).
    pub duration: Duration,
    /// Each project's language (see [`crate::project::message_language_of_file`]), looked up
    /// once by the caller, for its messages; empty: unknown.
    pub languages: Vec<Option<Language>>,
    /// For each project, the reason it is refused without running, if it is.
    pub refused: Vec<Option<Failure>>,
}

/// Plans a batch. With `similar_first`, similar annexes run one after another (see
/// [`Generator::peek`]; projects that do not load first, input order among equals). With
/// `unique_ids`, projects that would write the same output files (the same annex id, or the
/// same file given twice) are all refused: no annex silently overwrites another of the run.
pub fn plan(
    generator: &Generator,
    projects: &[PathBuf],
    similar_first: bool,
    unique_ids: bool,
) -> Plan {
    let started = Instant::now();
    let mut refused: Vec<Option<Failure>> = projects.iter().map(|_| None).collect();
    if !similar_first && !unique_ids {
        return Plan {
            order: None,
            duration: started.elapsed(),
            refused,
            languages: Vec::new(),
        };
    }
    let peeks: Vec<Option<Peek>> = projects.iter().map(|p| generator.peek(p)).collect();
    if unique_ids {
        let mut by_id: std::collections::BTreeMap<&str, Vec<(usize, &PathBuf)>> =
            Default::default();
        for ((i, peek), path) in peeks.iter().enumerate().zip(projects) {
            if let Some(peek) = peek {
                by_id.entry(peek.id.as_str()).or_default().push((i, path));
            }
        }
        for (id, users) in by_id.iter().filter(|(_, users)| users.len() > 1) {
            for &(i, path) in users {
                let others = users
                    .iter()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, other)| other.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                let diagnostic = Diagnostic::error(
                    Some(crate::diagnostic::Location::file(path)),
                    crate::text!(
                        en: "annex id \"{id}\" is also used by {others} in this run; both would write {id}.pdf",
                        de: "die Kennung der Anlage \"{id}\" wird in diesem Lauf auch von {others} verwendet; beide würden {id}.pdf schreiben",
                    ),
                )
                .hint(crate::text!(
                    en: "give each project its own annex.id, or render them into different output folders",
                    de: "geben Sie jedem Projekt eine eigene annex.id oder erstellen Sie die Anlagen in verschiedenen Ausgabeordnern",
                ));
                if let Some(slot) = refused.get_mut(i) {
                    *slot = Some(Failure::from(diagnostic));
                }
            }
        }
    }
    let order = similar_first.then(|| {
        let key = |i: usize| {
            peeks
                .get(i)
                .and_then(Option::as_ref)
                .map(|p| p.similarity.as_str())
        };
        let mut order: Vec<usize> = (0..projects.len()).collect();
        order.sort_by(|&a, &b| key(a).cmp(&key(b)).then(a.cmp(&b)));
        order
    });
    Plan {
        order,
        duration: started.elapsed(),
        refused,
        languages: Vec::new(),
    }
}

/// Runs `job` for every project on `jobs` worker threads, in the order of the `plan`; a project
/// the plan refuses fails with the plan's reason; each outcome gets the plan's language of its
/// project. `on_done` sees each outcome as soon as it is
/// there (for progress output); the returned outcomes are in input order.
pub fn run(
    generator: &Generator,
    projects: &[PathBuf],
    plan: &Plan,
    jobs: usize,
    fail_fast: bool,
    job: &(dyn Fn(&Generator, &Path) -> Result<Done, Failure> + Sync),
    on_done: &(dyn Fn(&Outcome) + Sync),
) -> Vec<Outcome> {
    let workers = jobs.clamp(1, projects.len().max(1));
    generator.set_workers(workers);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let slots: Vec<Mutex<Option<Outcome>>> = projects.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let i = match &plan.order {
                        Some(order) => match order.get(n) {
                            Some(&i) => i,
                            None => break,
                        },
                        None => n,
                    };
                    let Some(path) = projects.get(i) else { break };
                    if stop.load(Ordering::Relaxed) {
                        continue;
                    }
                    let start = Instant::now();
                    let result = match plan.refused.get(i) {
                        Some(Some(failure)) => Err(failure.clone()),
                        _ => job(generator, path),
                    };
                    if result.is_err() && fail_fast {
                        stop.store(true, Ordering::Relaxed);
                    }
                    let outcome = Outcome {
                        input: path.clone(),
                        result: Some(result),
                        duration: start.elapsed(),
                        language: plan.languages.get(i).copied().flatten(),
                    };
                    on_done(&outcome);
                    if let Some(Ok(mut slot)) = slots.get(i).map(Mutex::lock) {
                        *slot = Some(outcome);
                    }
                }
            });
        }
    });
    slots
        .into_iter()
        .zip(projects)
        .enumerate()
        .map(|(i, (slot, path))| {
            slot.into_inner().ok().flatten().unwrap_or(Outcome {
                input: path.clone(),
                result: None,
                duration: Duration::ZERO,
                language: plan.languages.get(i).copied().flatten(),
            })
        })
        .collect()
}

#[derive(Serialize)]
struct ReportEntry {
    input: String,
    status: &'static str,
    outputs: Vec<ReportFile>,
    warnings: Vec<String>,
    errors: Vec<String>,
    /// Why an annex written before was rendered again.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    duration_ms: u128,
    #[serde(skip_serializing_if = "Option::is_none")]
    stages_ms: Option<crate::typeset::Timings>,
}

#[derive(Serialize)]
struct ReportFile {
    path: String,
    sha256: String,
}

/// The run report (`report.json`): the time spent planning, every input with status
/// ("rendered", "up to date", "failed" or "skipped"), outputs and their SHA-256, warnings,
/// errors, why an annex was rendered again, duration and time per stage. The messages are in the
/// language `messages` chooses for each project, as they are printed.
pub fn report(
    plan: &Plan,
    outcomes: &[Outcome],
    library: &crate::library::LibraryIdentity,
    messages: &Messages,
) -> serde_json::Value {
    let entries: Vec<ReportEntry> = outcomes
        .iter()
        .map(|o| {
            let lang = messages.for_project(o.language);
            let (status, done, errors) = match &o.result {
                Some(Ok(done)) if done.up_to_date => ("up to date", Some(done), vec![]),
                Some(Ok(done)) => ("rendered", Some(done), vec![]),
                Some(Err(f)) => (
                    "failed",
                    None,
                    f.diagnostics
                        .iter()
                        .map(|d| d.display(lang).to_string())
                        .collect(),
                ),
                None => ("skipped", None, vec![]),
            };
            ReportEntry {
                input: o.input.display().to_string(),
                status,
                outputs: done
                    .map(|d| {
                        d.outputs
                            .iter()
                            .map(|w| ReportFile {
                                path: w.path.display().to_string(),
                                sha256: w.sha256.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                warnings: done
                    .map(|d| {
                        d.warnings
                            .iter()
                            .map(|w| w.display(lang).to_string())
                            .collect()
                    })
                    .unwrap_or_default(),
                errors,
                reason: done
                    .and_then(|d| d.reason.as_ref())
                    .map(|r| r.get(lang).to_owned()),
                duration_ms: o.duration.as_millis(),
                stages_ms: done.and_then(|d| d.timings),
            }
        })
        .collect();
    let count = |s: &str| entries.iter().filter(|e| e.status == s).count();
    serde_json::json!({
        "tool": "annex",
        "tool_version": env!("CARGO_PKG_VERSION"),
        "rendered": count("rendered"),
        "up_to_date": count("up to date"),
        "failed": count("failed"),
        "skipped": count("skipped"),
        "plan_ms": (plan.duration.as_secs_f64() * 1e6).round() / 1e3,
        "library": library,
        "projects": entries,
    })
}

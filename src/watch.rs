//! `annex watch`: renders a project, then again whenever the project file or a file under the
//! template folder changes. Changes are collected until the files have been quiet for
//! [`DEBOUNCE`], so that an editor's save (often a write, a rename and a metadata change)
//! renders once. A template change reloads the library (the PDF engine with its fonts stays);
//! a broken library is reported and watching goes on.
//!
//! The loop reports what happens through a callback; printing is the caller's business.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::diagnostic::{Diagnostic, Location};
use crate::failure::Failure;
use crate::generator::Generator;
use crate::language::Localized;
use crate::library::Library;
use crate::output::Written;
use crate::typeset::Options;

/// How long the files must be quiet before a render starts.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// What to watch and render.
#[derive(Debug, Clone)]
pub struct Watch {
    /// The project file.
    pub project: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    /// The user's template folder laid over the built-in templates, if any.
    pub templates: Option<PathBuf>,
    /// The fonts added to the embedded ones (read once; they stay while watching).
    pub fonts: crate::pdf::AddedFonts,
    /// What to render.
    pub options: Options,
}

/// What happened, for the caller to show.
#[derive(Debug)]
pub enum Event<'a> {
    /// Watching has started (before the first render): these paths are watched.
    Watching(&'a [PathBuf]),
    /// The annex was rendered and written.
    Rendered {
        /// The files written.
        outputs: Vec<Written>,
        /// Warnings about the project.
        warnings: Vec<Diagnostic>,
        /// Time from the start of the render to the last file written.
        elapsed: Duration,
    },
    /// The project could not be rendered; nothing was written.
    Failed(Failure),
    /// The template library is broken; nothing is rendered until it is fixed.
    LibraryBroken(Failure),
    /// The template library was (re)loaded with these warnings (files of the folder annex does
    /// not read).
    LibraryWarnings(Vec<Diagnostic>),
    /// The file-system watcher reported a problem; watching goes on.
    WatchError(Diagnostic),
}

/// Renders once, then watches until the process ends (Ctrl-C). Returns only if watching
/// cannot start or the file-system watcher stops.
pub fn run(watch: &Watch, on_event: &mut dyn FnMut(Event<'_>)) -> Result<(), Failure> {
    // `reason`: the words of the operating system or of the watcher, or of annex.
    let cannot = |path: &Path, reason: Localized| {
        let (en, de) = (reason.en(), reason.get(crate::language::Language::De));
        Failure::io(Diagnostic::error(
            Some(Location::file(path)),
            crate::text!(
                en: "cannot watch: {en}",
                de: "Beobachten nicht möglich: {de}",
            ),
        ))
    };
    let os = |e: &dyn std::fmt::Display| Localized::verbatim(e.to_string());
    // The project's folder is watched, not the file: editors often save by writing a new file
    // and renaming it over the old one, which ends a watch on the file itself.
    let name = watch.project.file_name().ok_or_else(|| {
        let reason = crate::text!(en: "not a file name", de: "kein Dateiname");
        cannot(&watch.project, reason)
    })?;
    let parent = match watch.project.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let folder = parent
        .canonicalize()
        .map_err(|e| cannot(&watch.project, os(&e)))?;
    let project = folder.join(name);
    let templates = match &watch.templates {
        Some(dir) => Some(dir.canonicalize().map_err(|e| cannot(dir, os(&e)))?),
        None => None,
    };

    let (sender, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(sender).map_err(|e| cannot(&folder, os(&e)))?;
    watcher
        .watch(&folder, RecursiveMode::NonRecursive)
        .map_err(|e| cannot(&folder, os(&e)))?;
    if let Some(dir) = &templates {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| cannot(dir, os(&e)))?;
    }
    let mut watched = vec![watch.project.clone()];
    watched.extend(watch.templates.clone());
    on_event(Event::Watching(&watched));

    let mut generator = None;
    let mut usable = load(watch, &mut generator, on_event);
    if usable {
        render(watch, generator.as_ref(), on_event);
    }
    loop {
        let mut change = Change::default();
        // Wait for the first relevant change, then until the files are quiet.
        while !change.any() {
            let Ok(event) = events.recv() else {
                return Ok(());
            };
            change.add(event, &project, templates.as_deref(), on_event);
        }
        loop {
            match events.recv_timeout(DEBOUNCE) {
                Ok(event) => change.add(event, &project, templates.as_deref(), on_event),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
        if change.templates {
            usable = load(watch, &mut generator, on_event);
        }
        if usable {
            render(watch, generator.as_ref(), on_event);
        }
    }
}

/// What changed since the last render.
#[derive(Debug, Default)]
struct Change {
    project: bool,
    templates: bool,
}

impl Change {
    fn any(&self) -> bool {
        self.project || self.templates
    }

    fn add(
        &mut self,
        event: notify::Result<notify::Event>,
        project: &Path,
        templates: Option<&Path>,
        on_event: &mut dyn FnMut(Event<'_>),
    ) {
        let event = match event {
            Ok(e) => e,
            Err(e) => {
                on_event(Event::WatchError(Diagnostic::warning(
                    None,
                    crate::text!(
                        en: "watching the files: {e}",
                        de: "beim Beobachten der Dateien: {e}",
                    ),
                )));
                return;
            }
        };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        for path in &event.paths {
            if path == project {
                self.project = true;
            } else if templates.is_some_and(|dir| path.starts_with(dir))
                && path
                    .extension()
                    .is_some_and(|x| x == "md" || x == "toml" || x == "typ")
            {
                self.templates = true;
            }
        }
    }
}

/// Loads the template library into the generator (a new one the first time; later the
/// library is swapped and the PDF engine with its fonts stays). A broken library is reported;
/// returns whether the generator is usable.
fn load(
    watch: &Watch,
    generator: &mut Option<Generator>,
    on_event: &mut dyn FnMut(Event<'_>),
) -> bool {
    let library = Library::load(watch.templates.as_deref()).map_err(Failure::library);
    if let Ok(library) = &library
        && !library.warnings.is_empty()
    {
        on_event(Event::LibraryWarnings(library.warnings.clone()));
    }
    let result = library.and_then(|library| match generator {
        Some(g) => g.set_library(library),
        None => Generator::with_engine(library, crate::pdf::PdfEngine::with_fonts(&watch.fonts))
            .map(|g| *generator = Some(g)),
    });
    match result {
        Ok(()) => true,
        Err(failure) => {
            on_event(Event::LibraryBroken(failure));
            false
        }
    }
}

/// Renders and writes the annex, if the library is usable.
fn render(watch: &Watch, generator: Option<&Generator>, on_event: &mut dyn FnMut(Event<'_>)) {
    let Some(generator) = generator else {
        return;
    };
    let started = Instant::now();
    let result = generator
        .generate(&watch.project, &watch.options)
        .and_then(|annex| {
            let outputs = crate::output::write(&annex, &watch.out)?;
            Ok((outputs, annex.warnings))
        });
    on_event(match result {
        Ok((outputs, warnings)) => Event::Rendered {
            outputs,
            warnings,
            elapsed: started.elapsed(),
        },
        Err(failure) => Event::Failed(failure),
    });
}

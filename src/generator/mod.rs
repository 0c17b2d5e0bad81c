//! The [`Generator`]: the parts built once per process (template library, Tera, fonts and the
//! Typst standard library), and the stages it runs for one project at a time:
//!
//! ```text
//! path ─load─▶ Loaded ─validate─▶ Validated ─select─▶ Selected ─document─▶ Document
//!      ─typeset─▶ Annex (Markdown, Typst files, PDF) ─output::write─▶ files
//! ```

use std::path::Path;
use std::time::Instant;

use crate::typeset::{self, Annex, Options};

use crate::document::{Document, Mode, Selected, placeholder_warning};
use crate::failure::Failure;
use crate::library::Library;
use crate::project::AnnexId;
use crate::render::{Renderer, TitleBlock, context};
use crate::validate::{Loaded, Printable, Validated};
use crate::{coverage, pdf, select};

/// What [`Generator::peek`] finds out about a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peek {
    /// The annex id (names the output files).
    pub id: AnnexId,
    /// Sort key that puts annexes with the same clauses next to each other.
    pub similarity: String,
}

/// The long-lived parts of a run: library, template engine, PDF engine.
pub struct Generator {
    library: Library,
    renderer: Renderer,
    pdf: pdf::PdfEngine,
}

impl Printable for pdf::PdfEngine {
    fn unprintable(&self, text: &str) -> Option<char> {
        pdf::PdfEngine::unprintable(self, text)
    }

    fn fonts_added(&self) -> bool {
        !self.added_fonts().is_empty()
    }
}

impl Generator {
    /// A generator with the built-in template library.
    pub fn new() -> Result<Generator, Failure> {
        Generator::with_library(Library::builtin().map_err(Failure::library)?)
    }

    /// A generator with the given library.
    pub fn with_library(library: Library) -> Result<Generator, Failure> {
        Generator::with_engine(library, pdf::PdfEngine::new())
    }

    /// A generator with the given library and a PDF engine built already (its fonts load once
    /// per process).
    pub fn with_engine(library: Library, pdf: pdf::PdfEngine) -> Result<Generator, Failure> {
        let renderer = Renderer::new(&library).map_err(Failure::library)?;
        Ok(Generator {
            library,
            renderer,
            pdf,
        })
    }

    /// Which characters the annex can print: the fonts of its PDF engine.
    pub fn fonts(&self) -> &dyn Printable {
        &self.pdf
    }

    /// Tells the generator how many threads use it at the same time (for the PDF caches).
    pub fn set_workers(&self, workers: usize) {
        self.pdf.set_workers(workers);
    }

    /// Replaces the template library (e.g. after its files changed); the PDF engine keeps its
    /// fonts and caches. On failure the generator is unchanged.
    pub fn set_library(&mut self, library: Library) -> Result<(), Failure> {
        self.renderer = Renderer::new(&library).map_err(Failure::library)?;
        self.library = library;
        Ok(())
    }

    /// The template library.
    pub fn library(&self) -> &Library {
        &self.library
    }

    /// The PDF engine (fonts, the Typst library): for documents that are not an annex's own,
    /// such as a redline.
    pub fn engine(&self) -> &pdf::PdfEngine {
        &self.pdf
    }

    /// Stage 1: reads and parses a project file.
    pub fn load(&self, path: &Path) -> Result<Loaded, Failure> {
        Loaded::read(path)
    }

    /// Stage 2: every check that needs no layout ([`crate::validate`]).
    pub fn validate(&self, loaded: Loaded) -> Result<Validated, Failure> {
        crate::validate::validate(&self.library, &self.pdf, loaded)
    }

    /// Stage 3: chooses the clauses.
    pub fn select(&self, validated: Validated) -> Result<Selected<'_>, Failure> {
        match select::select(&self.library, &validated.project, &validated.source) {
            Ok(selection) if !selection.untranslated.is_empty() => {
                let errors = selection.untranslated_errors(
                    &self.library,
                    &validated.project,
                    &validated.source,
                );
                Err(Failure::from(errors).after(&validated.warnings))
            }
            Ok(selection) => Ok(Selected {
                validated,
                selection,
            }),
            Err(errors) => Err(Failure::from(errors).after(&validated.warnings)),
        }
    }

    /// Stage 4: renders the annex. A final annex must meet every requirement that applies and
    /// document every weaker figure the parties accepted; a draft lists what is open and warns.
    pub fn document<'g>(
        &'g self,
        selected: Selected<'g>,
        mode: Mode,
    ) -> Result<Document<'g>, Failure> {
        self.render(selected, mode, true)
    }

    /// Stage 4 without the final annex's gate: `annex templates check` renders the example
    /// projects with it, whose figures need not meet every requirement at every level.
    pub fn render_unchecked<'g>(
        &'g self,
        selected: Selected<'g>,
        mode: Mode,
    ) -> Result<Document<'g>, Failure> {
        self.render(selected, mode, false)
    }

    fn render<'g>(
        &'g self,
        selected: Selected<'g>,
        mode: Mode,
        gate: bool,
    ) -> Result<Document<'g>, Failure> {
        let Selected {
            validated,
            selection,
        } = selected;
        let Validated {
            project,
            source,
            resolved,
            warnings: found,
        } = validated;
        let draft = mode.is_draft();
        let mut warnings = found;
        warnings.extend(selection.warnings.iter().cloned());
        let title = TitleBlock::new(&self.library, &project);
        let mut context = context::base(
            &self.library,
            &project,
            &title,
            &resolved,
            &selection,
            draft,
        );
        let coverage = coverage::check(&self.library.catalogue, &project, &selection, &context);
        // The requirements a draft leaves open: its title block lists them.
        let open_points = context::open_points(&self.library, &project, &resolved, &coverage);
        if let Some(object) = context.as_object_mut() {
            object.insert("open_points".to_owned(), open_points.clone());
        }
        // The DORA register's rows, and the mandatory cells the project leaves empty.
        let register = crate::register::Register::new(&project, &resolved);
        let register_missing = register
            .as_ref()
            .map(|r| r.missing(&source))
            .unwrap_or_default();
        if draft {
            warnings.extend(
                resolved
                    .deviations
                    .unaccepted
                    .iter()
                    .map(|d| d.clone().into_warning()),
            );
            warnings.extend(register_missing.into_iter().map(|d| d.into_warning()));
        } else if gate {
            let mut errors = resolved.deviations.unaccepted.clone();
            errors.extend(coverage.gate(&source));
            errors.extend(register_missing);
            if !errors.is_empty() {
                return Err(Failure::from(errors).after(&warnings));
            }
        }
        let markdown = self
            .renderer
            .render(
                &self.library,
                &project,
                &resolved,
                &selection,
                &coverage,
                context,
                draft,
            )
            .map_err(|errors| Failure::from(errors).after(&warnings))?;
        // Warnings in the order of the file; those without a line last.
        warnings.sort_by_key(|w| {
            w.location
                .as_ref()
                .map(|l| (l.line.is_none(), l.line, l.column))
        });
        // Then the templates' warnings, and the placeholders of a draft, in the order of the
        // annex.
        warnings.extend(markdown.warnings.iter().cloned());
        warnings.extend(markdown.placeholders.iter().map(placeholder_warning));
        Ok(Document {
            project,
            source,
            resolved,
            selection,
            title,
            coverage,
            open_points,
            markdown,
            mode,
            register,
            warnings,
        })
    }

    /// Stages 1 to 4 for one project file: loads, checks and renders it; nothing is written.
    pub fn prepare(&self, path: &Path, mode: Mode) -> Result<Document<'_>, Failure> {
        self.prepare_loaded(self.load(path)?, mode)
    }

    /// Stages 2 to 4 for a project already loaded.
    pub fn prepare_loaded(&self, loaded: Loaded, mode: Mode) -> Result<Document<'_>, Failure> {
        let validated = self.validate(loaded)?;
        let selected = self.select(validated)?;
        self.document(selected, mode)
    }

    /// Stage 5 up to the PDF: the Markdown, the manifest and the Typst files of a document
    /// (`annex templates check` goes this far for every example).
    pub fn convert(&self, document: &Document<'_>, options: &Options) -> Result<Annex, Failure> {
        typeset::convert(&self.library, &self.pdf, document, options)
    }

    /// Stage 5: [`Generator::convert`] and, if requested, the PDF.
    pub fn typeset(&self, document: &Document<'_>, options: &Options) -> Result<Annex, Failure> {
        typeset::typeset(&self.library, &self.pdf, document, options)
    }

    /// Runs every stage for one project file.
    pub fn generate(&self, path: &Path, options: &Options) -> Result<Annex, Failure> {
        let started = Instant::now();
        let loaded = self.load(path)?;
        self.generate_from(loaded, started, options)
    }

    /// [`Generator::generate`] for a project already loaded (an incremental `render` reads it
    /// once, to see whether its annex is up to date, and renders it from there).
    pub fn generate_loaded(&self, loaded: Loaded, options: &Options) -> Result<Annex, Failure> {
        self.generate_from(loaded, Instant::now(), options)
    }

    /// Stages 2 to 5; `started` is when loading began, for the time of the first stages.
    fn generate_from(
        &self,
        loaded: Loaded,
        started: Instant,
        options: &Options,
    ) -> Result<Annex, Failure> {
        let document = self.prepare_loaded(loaded, Mode::draft_if(options.draft))?;
        let prepare = started.elapsed();
        let mut annex = self.typeset(&document, options)?;
        annex.timings.prepare = prepare;
        Ok(annex)
    }

    /// A quick look at a project before a batch runs it: its annex id and a key under which
    /// projects whose annexes share most of their text sort next to each other (the language
    /// and the selected clause variants). A batch renders in key order, so that each document
    /// finds the layout of its unchanged paragraphs in typst's caches. `None` for a project
    /// that does not load (it fails when it is run).
    pub fn peek(&self, path: &Path) -> Option<Peek> {
        let Loaded { project, source } = self.load(path).ok()?;
        let selection = select::select(&self.library, &project, &source).ok()?;
        let mut similarity = project.annex.language.code().to_owned();
        for section in &selection.sections {
            similarity.push(' ');
            similarity.push_str(&section.clause.file);
        }
        Some(Peek {
            id: project.annex.id,
            similarity,
        })
    }
}

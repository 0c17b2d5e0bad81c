//! annex writes the information-security and service-level annex of an IT outsourcing
//! contract (BSI IT-Grundschutz OPS.2.3, formerly M 2.253) from a project description.
//!
//! The pipeline is a chain of typed stages:
//!
//! ```text
//! path ─read_project─▶ Project ─Defaults::resolve─▶ Resolved ─select─▶ Selection
//!      ─Renderer::render─▶ Markdown ─markup::to_typst─▶ Typst body ─PdfEngine::compile─▶ Pdf
//! ```
//!
//! [`Generator`] owns the parts that are built once per process (template library, Tera,
//! fonts and the Typst standard library) and runs the stages for one project at a time.
//!
//! An annex is final by default: a value a clause needs and the project does not give is an
//! error that names it. With [`Options::draft`] it becomes a placeholder instead, and the
//! annex is marked as a draft everywhere (see [`render::draft`] and
//! [`markup::placeholder`]).
//!
//! ```no_run
//! let generator = annex::Generator::new()?;
//! let annex = generator.generate(std::path::Path::new("project.json"), &annex::Options::default())?;
//! annex::output::write(&annex, std::path::Path::new("output"))?;
//! # Ok::<(), annex::Failure>(())
//! ```

pub mod batch;
pub mod config;
pub mod coverage;
pub mod deviations;
pub mod diagnostic;
pub mod explain;
#[doc(hidden)]
pub mod fuzzing;
mod json_text;
pub mod level;
pub mod library;
pub mod manifest;
pub mod markup;
pub mod output;
pub mod pdf;
pub mod project;
pub mod regime;
pub mod render;
pub mod rules;
pub mod select;
pub mod service_levels;
pub mod watch;

use std::path::Path;
use std::time::{Duration, Instant};

use diagnostic::Diagnostic;
use library::Library;
use project::{Project, ProjectSource};
use render::{Markdown, Renderer};
use select::Selection;
use service_levels::Resolved;

/// What went wrong, as diagnostics for the user (at least one error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What the user needs to read: errors, and the warnings found before them.
    pub diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

impl From<Vec<Diagnostic>> for Failure {
    fn from(diagnostics: Vec<Diagnostic>) -> Failure {
        Failure { diagnostics }
    }
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Failure {
        Failure {
            diagnostics: vec![d],
        }
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// Write `<id>.md`.
    pub markdown: bool,
    /// Write `<id>.pdf`.
    pub pdf: bool,
    /// Write `<id>.typst/`: the exact Typst files the PDF is compiled from (`main.typ`,
    /// `body.typ`, `annex.json`), for inspection and for compiling with the typst CLI.
    pub typst: bool,
}

impl Default for Formats {
    fn default() -> Formats {
        Formats {
            markdown: true,
            pdf: true,
            typst: false,
        }
    }
}

/// Options of one run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Which files to produce.
    pub formats: Formats,
    /// PDF standard(s), comma-separated, such as "a-3b" (the default) or "a-2b, ua-1";
    /// `None` for plain PDF 1.7.
    pub pdf_standard: Option<String>,
    /// End the annex with the coverage matrix as an appendix.
    pub coverage_appendix: bool,
    /// Render a draft: missing values become placeholders instead of errors, the PDF carries
    /// the ENTWURF / DRAFT watermark and the files are named `<id>.draft.*`.
    pub draft: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            formats: Formats::default(),
            pdf_standard: Some("a-3b".to_string()),
            coverage_appendix: true,
            draft: false,
        }
    }
}

/// A project that passed loading, resolution, selection and Markdown rendering.
#[derive(Debug, Clone)]
pub struct Prepared<'g> {
    /// The project.
    pub project: Project,
    /// Its source text.
    pub source: ProjectSource,
    /// Completed service levels.
    pub resolved: Resolved,
    /// The chosen clauses.
    pub selection: Selection<'g>,
    /// Which regulation items the sections cover.
    pub coverage: coverage::Coverage,
    /// The Markdown.
    pub markdown: Markdown,
    /// Whether it is a draft (its placeholders are in `markdown.placeholders`).
    pub draft: bool,
    /// Warnings of all stages; in a draft one per placeholder, after the others.
    pub warnings: Vec<Diagnostic>,
}

/// A finished annex, in memory.
#[derive(Debug, Clone)]
pub struct Annex {
    /// The annex id (names the files).
    pub id: String,
    /// Whether it is a draft: the files are named `<id>.draft.*`.
    pub draft: bool,
    /// The standalone Markdown document.
    pub markdown: String,
    /// The coverage matrix.
    pub coverage: coverage::Coverage,
    /// The provenance manifest (JSON).
    pub manifest: String,
    /// The Typst files the PDF is compiled from.
    pub typst: TypstFiles,
    /// The PDF, if requested.
    pub pdf: Option<pdf::Pdf>,
    /// Which files to write.
    pub formats: Formats,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// Time spent in each stage.
    pub timings: Timings,
}

/// What [`Generator::peek`] finds out about a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peek {
    /// The annex id (names the output files).
    pub id: String,
    /// Sort key that puts annexes with the same clauses next to each other.
    pub similarity: String,
}

/// The three files typst compiles for an annex.
#[derive(Debug, Clone, Default)]
pub struct TypstFiles {
    /// The layout frame, `main.typ`.
    pub main: String,
    /// The annex body from the Markdown writer, `body.typ`.
    pub body: String,
    /// The annex data the frame reads, `annex.json` (empty unless PDF or Typst output was
    /// requested).
    pub data: Vec<u8>,
}

/// Time spent in the stages of one annex (for the run report and the benchmark).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Timings {
    /// Loading, checking, selecting and rendering the Markdown.
    #[serde(serialize_with = "as_millis")]
    pub prepare: Duration,
    /// Markdown to Typst, manifest and annex data.
    #[serde(serialize_with = "as_millis")]
    pub convert: Duration,
    /// typst's compilation (evaluation and layout).
    #[serde(serialize_with = "as_millis")]
    pub compile: Duration,
    /// typst's PDF export.
    #[serde(serialize_with = "as_millis")]
    pub export: Duration,
    /// Writing the files.
    #[serde(serialize_with = "as_millis")]
    pub write: Duration,
}

/// A duration as milliseconds with three decimals.
fn as_millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1e6).round() / 1e3)
}

/// The warning that reports a placeholder of a draft.
fn placeholder_warning(p: &render::Placeholder) -> Diagnostic {
    let label = markup::placeholder::label(&p.field);
    let location = diagnostic::Location::at(&p.file, p.line, p.column);
    if p.project_field {
        Diagnostic::warning(
            Some(location),
            format!(
                "placeholder {label}: the project does not give `{}`",
                p.missing
            ),
        )
        .hint(format!(
            "give `{}` in the project file before rendering the final annex",
            p.missing
        ))
    } else {
        Diagnostic::warning(
            Some(location),
            format!(
                "placeholder {label}: the template uses `{}`, which is not defined",
                p.field
            ),
        )
        .hint("correct the template: a final annex fails here")
    }
}

/// The long-lived parts of a run: library, template engine, PDF engine.
pub struct Generator {
    library: Library,
    renderer: Renderer,
    pdf: pdf::PdfEngine,
}

impl Generator {
    /// A generator with the built-in template library.
    pub fn new() -> Result<Generator, Failure> {
        Generator::with_library(Library::builtin()?)
    }

    /// A generator with the given library.
    pub fn with_library(library: Library) -> Result<Generator, Failure> {
        let renderer = Renderer::new(&library)?;
        Ok(Generator {
            library,
            renderer,
            pdf: pdf::PdfEngine::new(),
        })
    }

    /// Tells the generator how many threads use it at the same time (for the PDF caches).
    pub fn set_workers(&self, workers: usize) {
        self.pdf.set_workers(workers);
    }

    /// Replaces the template library (e.g. after its files changed); the PDF engine keeps its
    /// fonts and caches. On failure the generator is unchanged.
    pub fn set_library(&mut self, library: Library) -> Result<(), Failure> {
        self.renderer = Renderer::new(&library)?;
        self.library = library;
        Ok(())
    }

    /// The template library.
    pub fn library(&self) -> &Library {
        &self.library
    }

    /// Loads, checks and renders a project to Markdown as a final annex; nothing is written.
    pub fn prepare(&self, path: &Path) -> Result<Prepared<'_>, Failure> {
        self.prepare_with(path, false)
    }

    /// Like [`Generator::prepare`]; with `draft`, missing values become placeholders.
    pub fn prepare_with(&self, path: &Path, draft: bool) -> Result<Prepared<'_>, Failure> {
        let (project, source) = project::read_project(path)?;
        self.prepare_project_with(project, source, draft)
    }

    /// Like [`Generator::prepare`] for a project already parsed.
    pub fn prepare_project(
        &self,
        project: Project,
        source: ProjectSource,
    ) -> Result<Prepared<'_>, Failure> {
        self.prepare_project_with(project, source, false)
    }

    /// Like [`Generator::prepare_with`] for a project already parsed.
    pub fn prepare_project_with(
        &self,
        project: Project,
        source: ProjectSource,
        draft: bool,
    ) -> Result<Prepared<'_>, Failure> {
        let mut errors = project::check(&project, &source);
        errors.extend(self.unprintable(&project, &source));
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let resolved = self.library.defaults.resolve(&project, &source)?;
        let selection = select::select(&self.library, &project, &source)?;
        let mut warnings = resolved.warnings.clone();
        warnings.extend(selection.warnings.iter().cloned());
        warnings.extend(regime::presumptions(
            &self.library.catalogue,
            &project,
            &source,
        ));
        let with_warnings = |mut errors: Vec<Diagnostic>, warnings: &[Diagnostic]| {
            errors.splice(0..0, warnings.iter().cloned());
            Failure::from(errors)
        };
        let context = render::context::base(&self.library, &project, &resolved, &selection, draft);
        let coverage = coverage::check(&self.library.catalogue, &project, &selection, &context);
        // A final annex must meet every requirement that applies and document every weaker
        // figure the parties accepted; a draft lists what is open and warns.
        let gate_errors = if draft {
            warnings.extend(
                resolved
                    .deviations
                    .unaccepted
                    .iter()
                    .map(|d| d.clone().into_warning()),
            );
            Vec::new()
        } else {
            let mut errors = resolved.deviations.unaccepted.clone();
            errors.extend(coverage.gate(&source));
            errors
        };
        if !gate_errors.is_empty() {
            return Err(with_warnings(gate_errors, &warnings));
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
            .map_err(|errors| with_warnings(errors, &warnings))?;
        // Warnings in the order of the file; those without a line last.
        warnings.sort_by_key(|w| {
            w.location
                .as_ref()
                .map(|l| (l.line.is_none(), l.line, l.column))
        });
        // Then the placeholders of a draft, in the order of the annex.
        warnings.extend(markdown.placeholders.iter().map(placeholder_warning));
        Ok(Prepared {
            project,
            source,
            resolved,
            selection,
            coverage,
            markdown,
            draft,
            warnings,
        })
    }

    /// Runs every stage for one project file.
    pub fn generate(&self, path: &Path, options: &Options) -> Result<Annex, Failure> {
        let started = Instant::now();
        let prepared = self.prepare_with(path, options.draft)?;
        let prepare = started.elapsed();
        let mut annex = self.finish(&prepared, options)?;
        annex.timings.prepare = prepare;
        Ok(annex)
    }

    /// A quick look at a project before a batch runs it: its annex id and a key under which
    /// projects whose annexes share most of their text sort next to each other (the language
    /// and the selected clause variants). A batch renders in key order, so that each document
    /// finds the layout of its unchanged paragraphs in typst's caches. `None` for a project
    /// that does not load (it fails when it is run).
    pub fn peek(&self, path: &Path) -> Option<Peek> {
        let (project, source) = project::read_project(path).ok()?;
        let selection = select::select(&self.library, &project, &source).ok()?;
        let mut similarity = project.annex.language.code().to_owned();
        for section in &selection.sections {
            similarity.push(' ');
            similarity.push_str(&section.clause.file);
        }
        Some(Peek {
            id: project.annex.id.to_string(),
            similarity,
        })
    }

    /// An error for every project value with a character that no embedded font can print: the
    /// annex could not become a PDF (nor be printed from its Markdown as written).
    fn unprintable(&self, project: &Project, source: &ProjectSource) -> Vec<Diagnostic> {
        let Ok(value) = serde_json::to_value(project) else {
            return Vec::new();
        };
        json_text::strings(&value)
            .into_iter()
            .filter_map(|(path, text)| {
                // Draft markers are replaced before rendering (see `markup::placeholder`).
                let text = markup::placeholder::sanitize(text);
                let c = self.pdf.unprintable(&text)?;
                let code = format!("U+{:04X}", u32::from(c));
                // A control character would not show, or would upset the terminal.
                let named = if c.is_control() {
                    format!("the control character {code}")
                } else {
                    format!("the character {c} ({code})")
                };
                Some(
                    source
                        .error_at_char(
                            &path,
                            c,
                            format!("{named} cannot be printed: none of the fonts annex embeds has it"),
                        )
                        .hint(if c.is_control() {
                            "remove the character: a control character is usually left over from an export or a copy"
                        } else {
                            "replace the character (for a symbol, say what it means in words); annex prints Latin, Greek and Cyrillic script and the common symbols of contract texts"
                        }),
                )
            })
            .collect()
    }

    /// Converts prepared Markdown to Typst and, if requested, to PDF. Whether it is a draft
    /// comes from `prepared` (`options.draft` only matters to [`Generator::generate`]).
    pub fn finish(&self, prepared: &Prepared<'_>, options: &Options) -> Result<Annex, Failure> {
        let started = Instant::now();
        let mut timings = Timings::default();
        let typst = markup::to_typst(
            &prepared.markdown.body_text(options.coverage_appendix),
            &markup::Options { heading_offset: -1 },
        );
        // Characters no font can show would fail the PDF export (see `PdfEngine::showable`);
        // the writer puts text only into escaped markup and string literals, where U+FFFD is
        // as good as any character.
        let typst = self.pdf.showable(&typst).into_owned();
        let manifest = manifest::Manifest::new(&self.library, prepared);
        let manifest_json = serde_json::to_string_pretty(&manifest)
            .map_err(|e| Diagnostic::error(None, format!("internal error: {e}")))?;
        let data = if options.formats.pdf || options.formats.typst {
            let attachments = if pdf::allows_attachments(options.pdf_standard.as_deref()) {
                let labels = &self.library.locale(prepared.project.annex.language).labels;
                vec![
                    render::Attachment {
                        name: manifest.input.path.clone(),
                        content: prepared.source.text.clone(),
                        description: labels["attachment_project"].clone(),
                        relationship: "source",
                    },
                    render::Attachment {
                        name: output::file_name(
                            prepared.project.annex.id.as_str(),
                            prepared.draft,
                            "manifest.json",
                        ),
                        content: manifest_json.clone(),
                        description: labels["attachment_manifest"].clone(),
                        relationship: "supplement",
                    },
                ]
            } else {
                Vec::new()
            };
            let mut data = render::document_data(
                &self.library,
                &prepared.project,
                prepared.draft,
                &attachments,
            );
            // A draft lists the requirements it leaves open on its first page.
            if prepared.draft {
                let open = render::context::open_points(
                    &self.library,
                    &prepared.project,
                    &prepared.resolved,
                    &prepared.coverage,
                );
                if open.as_array().is_some_and(|points| !points.is_empty())
                    && let Some(object) = data.as_object_mut()
                {
                    object.insert("open_points".to_owned(), open);
                }
            }
            // The frame shows these texts; the attached files stay as they are.
            let attached = data.get_mut("attachments").map(serde_json::Value::take);
            self.pdf.showable_json(&mut data);
            markup::escape::isolate_bidi_json(&mut data);
            if let (Some(attached), Some(data)) = (attached, data.as_object_mut()) {
                data.insert("attachments".to_owned(), attached);
            }
            serde_json::to_vec_pretty(&data)
                .map_err(|e| Diagnostic::error(None, format!("internal error: {e}")))?
        } else {
            Vec::new()
        };
        timings.convert = started.elapsed();
        let pdf = if options.formats.pdf {
            let job = pdf::PdfJob {
                frame: &self.library.frame,
                body: &typst,
                data: &data,
                date: prepared.project.annex.date.ymd(),
                ident: prepared.project.annex.id.as_str(),
                creator: concat!("annex ", env!("CARGO_PKG_VERSION")),
                standard: options.pdf_standard.as_deref(),
            };
            let result = self.pdf.compile(&job);
            self.pdf.age_caches();
            Some(result.map_err(|e| {
                let mut errors = vec![
                    Diagnostic::error(Some(diagnostic::Location::file(&prepared.source.path)), "the PDF could not be produced")
                        .hint("the project is fine; the Typst frame (templates/typst/frame.typ) or annex itself has a defect: please report it with the project file"),
                ];
                errors.extend(e.diagnostics);
                Failure::from(errors)
            })?)
        } else {
            None
        };
        if let Some(pdf) = &pdf {
            timings.compile = pdf.compile_time;
            timings.export = pdf.export_time;
        }
        Ok(Annex {
            id: prepared.project.annex.id.to_string(),
            draft: prepared.draft,
            markdown: prepared.markdown.document(options.coverage_appendix),
            coverage: prepared.coverage.clone(),
            manifest: manifest_json,
            typst: TypstFiles {
                main: self.library.frame.clone(),
                body: typst,
                data,
            },
            pdf,
            formats: options.formats,
            warnings: prepared.warnings.clone(),
            timings,
        })
    }
}

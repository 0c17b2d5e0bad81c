//! The writers' stage: a [`Document`] becomes the Markdown file, the Typst files and the PDF,
//! an [`Annex`] in memory ([`crate::output`] writes it).

use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Location};
use crate::document::Document;
use crate::failure::{Failure, Kind};
use crate::library::Library;
use crate::pdf::PdfEngine;
use crate::project::AnnexId;
use crate::render::{self, Attachment};
use crate::{coverage, docx, manifest, markup, pdf};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// Write `<id>.md`.
    pub markdown: bool,
    /// Write `<id>.pdf`.
    pub pdf: bool,
    /// Write `<id>.docx`.
    pub docx: bool,
    /// Write `<id>.typst/`: the exact Typst files the PDF is compiled from (`main.typ`,
    /// `body.typ`, `annex.json`), for inspection and for compiling with the typst CLI.
    pub typst: bool,
}

impl Default for Formats {
    fn default() -> Formats {
        Formats {
            markdown: true,
            pdf: true,
            docx: false,
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

impl Options {
    /// The options as the manifest file records them: those that change the files' content.
    pub fn recorded(&self) -> manifest::RecordedOptions {
        manifest::RecordedOptions {
            pdf_standard: self.pdf_standard.clone(),
            coverage_appendix: self.coverage_appendix,
        }
    }
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

/// How the annex body becomes Typst: its `##` clauses are level-1 headings.
const TYPST_OPTIONS: markup::TypstOptions = markup::TypstOptions { heading_offset: -1 };

/// A finished annex, in memory.
#[derive(Debug, Clone)]
pub struct Annex {
    /// The annex id (names the files).
    pub id: AnnexId,
    /// Whether it is a draft: the files are named `<id>.draft.*`.
    pub draft: bool,
    /// The standalone Markdown document.
    pub markdown: String,
    /// The coverage matrix.
    pub coverage: coverage::Coverage,
    /// The provenance manifest as attached to the PDF (JSON).
    pub manifest: String,
    /// The same manifest, typed: [`crate::output::write`] writes it beside the annex with
    /// the record of the files written ([`manifest::Output`]).
    pub provenance: manifest::Manifest,
    /// The options that changed the files' content, for that record.
    pub options: manifest::RecordedOptions,
    /// The Typst files the PDF is compiled from.
    pub typst: TypstFiles,
    /// The PDF, if requested.
    pub pdf: Option<pdf::Pdf>,
    /// The Word document, if requested.
    pub docx: Option<Vec<u8>>,
    /// The rows of the DORA register of information (CSV), for a financial entity whose
    /// project has a `dora` block: written whatever the formats, like the manifest.
    pub register: Option<String>,
    /// Which files to write.
    pub formats: Formats,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// Time spent in each stage.
    pub timings: Timings,
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
    /// Writing the Word document.
    #[serde(serialize_with = "as_millis")]
    pub docx: Duration,
    /// Writing the files.
    #[serde(serialize_with = "as_millis")]
    pub write: Duration,
}

/// A duration as milliseconds with three decimals.
fn as_millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1e6).round() / 1e3)
}

/// The Markdown of a document, its manifest and the Typst files of its PDF: everything but
/// the PDF itself. `annex templates check` goes this far for every example.
pub fn convert(
    library: &Library,
    engine: &PdfEngine,
    document: &Document<'_>,
    options: &Options,
) -> Result<Annex, Failure> {
    let started = Instant::now();
    let typst = markup::to_typst(
        &document.markdown.body_text(options.coverage_appendix),
        &TYPST_OPTIONS,
    );
    // Characters no font can show would fail the PDF export (see `PdfEngine::showable`);
    // the writer puts text only into escaped markup and string literals, where U+FFFD is
    // as good as any character.
    let typst = engine.showable(&typst).into_owned();
    let manifest = manifest::Manifest::new(library, document).with_fonts(engine.added_fonts());
    let manifest_json = serde_json::to_string_pretty(&manifest).map_err(Failure::internal)?;
    let register = document.register.as_ref().map(|r| r.to_csv()).transpose()?;
    let data = if options.formats.pdf || options.formats.typst {
        frame_data(
            library,
            engine,
            document,
            options,
            &manifest.input.path,
            &manifest_json,
            register.as_deref(),
        )?
    } else {
        Vec::new()
    };
    Ok(Annex {
        id: document.project.annex.id.clone(),
        draft: document.draft(),
        markdown: document.markdown.document(options.coverage_appendix),
        coverage: document.coverage.clone(),
        manifest: manifest_json,
        provenance: manifest,
        options: options.recorded(),
        typst: TypstFiles {
            main: library.frame.clone(),
            body: typst,
            data,
        },
        pdf: None,
        docx: None,
        register,
        formats: options.formats,
        warnings: document.warnings.clone(),
        timings: Timings {
            convert: started.elapsed(),
            ..Timings::default()
        },
    })
}

/// Converts a document and, if requested, compiles its PDF.
pub fn typeset(
    library: &Library,
    engine: &PdfEngine,
    document: &Document<'_>,
    options: &Options,
) -> Result<Annex, Failure> {
    let mut annex = convert(library, engine, document, options)?;
    if options.formats.docx {
        let started = Instant::now();
        annex.docx = Some(word(library, document, options)?);
        annex.timings.docx = started.elapsed();
    }
    if !options.formats.pdf {
        return Ok(annex);
    }
    let job = pdf::PdfJob {
        frame: &annex.typst.main,
        body: &annex.typst.body,
        data: &annex.typst.data,
        date: document.project.annex.date.ymd(),
        ident: document.project.annex.id.as_str(),
        creator: concat!("annex ", env!("CARGO_PKG_VERSION")),
        standard: options.pdf_standard.as_deref(),
    };
    let result = engine.compile(&job);
    engine.age_caches();
    let pdf = result.map_err(|e| {
            // A setting the engine cannot use (the PDF standard) is the caller's; anything
            // else is a defect of the frame or of annex.
            if e.kind == Kind::Usage {
                return e;
            }
            let mut errors = vec![
                Diagnostic::error(
                    Some(Location::file(&document.source.path)),
                    crate::text!(
                        en: "the PDF could not be produced",
                        de: "das PDF konnte nicht erzeugt werden",
                    ),
                )
                .hint(crate::text!(
                    en: "the project is fine; the Typst frame (templates/typst/frame.typ) or annex itself has a defect: please report it with the project file",
                    de: "das Projekt ist in Ordnung; der Typst-Rahmen (templates/typst/frame.typ) oder annex selbst hat einen Fehler: bitte melden Sie ihn zusammen mit der Projektdatei",
                )),
            ];
            errors.extend(e.diagnostics);
            Failure::new(Kind::Internal, errors)
        })?;
    annex.timings.compile = pdf.compile_time;
    annex.timings.export = pdf.export_time;
    annex.pdf = Some(pdf);
    Ok(annex)
}

/// The Word document of an annex: the same body and title block as the PDF.
fn word(library: &Library, document: &Document<'_>, options: &Options) -> Result<Vec<u8>, Failure> {
    let body = document.markdown.body_text(options.coverage_appendix);
    let open_points = if document.draft() {
        open_point_lines(&document.open_points)
    } else {
        Vec::new()
    };
    word_of(library, document, &document.title, &body, open_points, None)
}

/// A Word document in the frame of `document`'s annex: the title block `title`, the body
/// `body` (Markdown), a draft's open points, and tracked changes by `author` (a redline).
pub fn word_of(
    library: &Library,
    document: &Document<'_>,
    title: &render::TitleBlock,
    body: &str,
    open_points: Vec<String>,
    author: Option<String>,
) -> Result<Vec<u8>, Failure> {
    let project = &document.project;
    let lang = project.annex.language;
    let locale = library.locale(lang);
    let party = |p: &render::title::TitleParty| docx::Party {
        name: p.name.clone(),
        address: p.address.clone(),
        representative: p.representative.clone(),
    };
    let job = docx::Job {
        lang: lang.code(),
        labels: &locale.labels,
        section_sign: library.section_sign(lang),
        cover: docx::Cover {
            number: title.number.clone(),
            title: title.title.clone(),
            main_contract: title.main_contract.clone(),
            client: party(&title.client),
            provider: party(&title.provider),
            date: title.date.clone(),
            version: title.version.clone(),
            id: title.id.clone(),
        },
        body,
        draft: document.draft(),
        open_points,
        keywords: &locale.keywords,
        date: project.annex.date.ymd(),
        author,
    };
    docx::write(&job).map_err(Failure::internal)
}

/// The PDF of a body that is not the annex's own (a redline) in the frame of `document`'s
/// annex, under the title block `title`, without attachments.
pub fn pdf_of(
    library: &Library,
    engine: &PdfEngine,
    document: &Document<'_>,
    title: &render::TitleBlock,
    body: &str,
    standard: Option<&str>,
) -> Result<pdf::Pdf, Failure> {
    let typst = markup::to_typst(body, &markup::TypstOptions { heading_offset: -1 });
    let typst = engine.showable(&typst).into_owned();
    let mut data = render::document_data(library, &document.project, title, false, &[]);
    engine.showable_json(&mut data);
    markup::escape::isolate_bidi_json(&mut data);
    let data = serde_json::to_vec_pretty(&data).map_err(Failure::internal)?;
    let job = pdf::PdfJob {
        frame: &library.frame,
        body: &typst,
        data: &data,
        date: document.project.annex.date.ymd(),
        ident: document.project.annex.id.as_str(),
        creator: concat!("annex ", env!("CARGO_PKG_VERSION")),
        standard,
    };
    engine.compile(&job)
}

/// A draft's open points as the PDF lists them: "label (title): missing, missing".
fn open_point_lines(points: &serde_json::Value) -> Vec<String> {
    let text = |v: &serde_json::Value, key: &str| {
        v.get(key)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    points
        .as_array()
        .map(|points| {
            points
                .iter()
                .map(|p| {
                    let mut line = format!("{} ({})", text(p, "label"), text(p, "title"));
                    let missing: Vec<&str> = p
                        .get("missing")
                        .and_then(serde_json::Value::as_array)
                        .map(|m| m.iter().filter_map(serde_json::Value::as_str).collect())
                        .unwrap_or_default();
                    if !missing.is_empty() {
                        line.push_str(": ");
                        line.push_str(&missing.join(", "));
                    }
                    line
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The data the frame reads (`annex.json`): the title block, the attachments of a PDF/A-3,
/// a draft's open points, with every text made showable.
fn frame_data(
    library: &Library,
    engine: &PdfEngine,
    document: &Document<'_>,
    options: &Options,
    input_name: &str,
    manifest_json: &str,
    register: Option<&str>,
) -> Result<Vec<u8>, Failure> {
    let project = &document.project;
    let attachments = if pdf::allows_attachments(options.pdf_standard.as_deref()) {
        let labels = &library.locale(project.annex.language).labels;
        let label = |key: &str| labels.get(key).cloned().unwrap_or_default();
        let mut attachments = vec![
            Attachment {
                name: input_name.to_owned(),
                content: document.source.text.clone(),
                description: label("attachment_project"),
                relationship: "source",
                mime: "application/json",
            },
            Attachment {
                name: project
                    .annex
                    .id
                    .file_name(document.draft(), "manifest.json"),
                content: manifest_json.to_owned(),
                description: label("attachment_manifest"),
                relationship: "supplement",
                mime: "application/json",
            },
        ];
        if let Some(register) = register {
            attachments.push(Attachment {
                name: project
                    .annex
                    .id
                    .file_name(document.draft(), "dora-register.csv"),
                content: register.to_owned(),
                description: label("attachment_register"),
                relationship: "supplement",
                mime: "text/csv",
            });
        }
        attachments
    } else {
        Vec::new()
    };
    let mut data = render::document_data(
        library,
        project,
        &document.title,
        document.draft(),
        &attachments,
    );
    // A draft lists the requirements it leaves open on its first page.
    if document.draft() {
        let open = document.open_points.clone();
        if open.as_array().is_some_and(|points| !points.is_empty())
            && let Some(object) = data.as_object_mut()
        {
            object.insert("open_points".to_owned(), open);
        }
    }
    // The titles of the contents, for the frame's first layout pass (see frame.typ).
    if let Some(object) = data.as_object_mut() {
        let body = document.markdown.body_text(options.coverage_appendix);
        let titles = markup::outline_titles(&body, &TYPST_OPTIONS);
        object.insert("contents".to_owned(), serde_json::json!(titles));
    }
    // The frame shows these texts; the attached files stay as they are.
    let attached = data.get_mut("attachments").map(serde_json::Value::take);
    engine.showable_json(&mut data);
    markup::escape::isolate_bidi_json(&mut data);
    if let (Some(attached), Some(data)) = (attached, data.as_object_mut()) {
        data.insert("attachments".to_owned(), attached);
    }
    serde_json::to_vec_pretty(&data).map_err(Failure::internal)
}

//! The typst `World` of one annex: three virtual files, embedded fonts, a fixed date.

use typst::diag::{FileError, FileResult, Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{DiagSpan, FileId, Lines, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World, WorldExt};
use typst_kit::fonts::FontStore;

use std::sync::Arc;

use super::{Diagnostic, Location, Severity};
use crate::language::Localized;

/// Virtual path of the frame, the compiled main file.
const MAIN: &str = "main.typ";
/// Virtual path of the annex body produced by the Markdown writer.
const BODY: &str = "body.typ";
/// Virtual path of the annex data read by the frame.
const DATA: &str = "annex.json";

/// What typst reports for an import of a package (in its message about the file).
const NO_PACKAGES: &str = "packages are not available in annex";
/// [`NO_PACKAGES`] in German.
const NO_PACKAGES_DE: &str = "Pakete sind in annex nicht verfügbar";

/// Interns one of the fixed project paths (same id for every document).
fn file_id(path: &str) -> Result<FileId, Localized> {
    let vpath = VirtualPath::new(path).map_err(|e| {
        crate::text!(
            en: "invalid virtual path `{path}`: {e}",
            de: "ungültiger virtueller Pfad `{path}`: {e}",
        )
    })?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// Per-document world; shares the process-wide library and fonts.
pub(super) struct AnnexWorld {
    library: Arc<LazyHash<Library>>,
    fonts: Arc<FontStore>,
    main: Source,
    body: Source,
    data_id: FileId,
    data: Bytes,
    today: Datetime,
}

impl AnnexWorld {
    /// Builds the world for one document.
    pub(super) fn new(
        library: Arc<LazyHash<Library>>,
        fonts: Arc<FontStore>,
        frame: &str,
        body: &str,
        data: &[u8],
        today: Datetime,
    ) -> Result<Self, Localized> {
        Ok(Self {
            library,
            fonts,
            main: super::incremental::source(file_id(MAIN)?, frame),
            body: super::incremental::source(file_id(BODY)?, body),
            data_id: file_id(DATA)?,
            data: Bytes::new(data.to_vec()),
            today,
        })
    }

    /// Converts a typst diagnostic into ours: location first, CLI-only hints dropped.
    pub(super) fn diagnostic(&self, diag: &SourceDiagnostic) -> Diagnostic {
        let (location, line) = self.locate(diag.span).unzip();
        let diagnostic = Diagnostic {
            location,
            source_line: None,
            caret: 0,
            severity: match diag.severity {
                TypstSeverity::Error => Severity::Error,
                TypstSeverity::Warning => Severity::Warning,
            },
            message: typst_text(diag.message.as_str()),
            hints: diag
                .hints
                .iter()
                .filter(|hint| !hint.v.contains("`--"))
                .map(|hint| Localized::verbatim(hint.v.as_str()))
                .collect(),
        };
        match line {
            Some(line) => diagnostic.with_line_text(&line),
            None => diagnostic,
        }
    }

    /// File name and 1-based line/column of a span, if it points into one of our files, and
    /// the text of that line.
    fn locate(&self, span: DiagSpan) -> Option<(Location, String)> {
        let id = span.id()?;
        let start = self.range(span)?.start;
        let (file, text) = if id == self.data_id {
            (
                DATA,
                String::from_utf8_lossy(self.data.as_slice()).into_owned(),
            )
        } else {
            let name = if id == self.body.id() { BODY } else { MAIN };
            (name, self.source(id).ok()?.text().to_owned())
        };
        let (line, column) = Lines::new(text.as_str()).byte_to_line_column(start)?;
        let line_text = text.lines().nth(line).unwrap_or_default().to_owned();
        Some((Location::at(file, line + 1, column + 1), line_text))
    }
}

impl World for AnnexWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if id == self.body.id() {
            Ok(self.body.clone())
        } else if id == self.data_id {
            Err(FileError::NotSource)
        } else {
            Err(not_available(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            self.source(id).map(Bytes::from_string)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// A message of typst, in its own words; where it quotes annex's own words ([`NO_PACKAGES`]),
/// those are given in German in the German text.
fn typst_text(message: &str) -> Localized {
    Localized::new(message, message.replace(NO_PACKAGES, NO_PACKAGES_DE))
}

/// The error for every path outside the three virtual files.
fn not_available(id: FileId) -> FileError {
    match id.root() {
        VirtualRoot::Package(_) => FileError::Other(Some(NO_PACKAGES.into())),
        VirtualRoot::Project => FileError::NotFound(id.vpath().get_with_slash().to_owned().into()),
    }
}

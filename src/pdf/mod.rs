//! PDF stage: compiles the Typst frame and annex body in-process with typst and exports a PDF.
//!
//! [`PdfEngine`] holds the expensive, process-wide parts (standard library and embedded fonts)
//! and is shared across documents and threads. Each [`PdfEngine::compile`] call builds a
//! cheap per-document world that serves exactly three virtual files — `/main.typ` (the frame),
//! `/body.typ` (the annex body) and `/annex.json` (the annex data) — and nothing else: no
//! file system, no packages, no system fonts, no wall clock.
//!
//! Typst warnings are treated as failures: a document that compiles with a warning (for
//! example an unknown font family) is returned as [`Failure`], never as [`Pdf`].

mod deadline;
pub mod fonts;
mod incremental;
mod world;

pub use self::fonts::{AddedFonts, FontFile};

use std::sync::Arc;
use std::time::Duration;

use crate::language::Localized;

use typst::diag::Warned;
use typst::foundations::{Datetime, Dict, Smart};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use self::world::AnnexWorld;

/// The names accepted in [`PdfJob::standard`], as typst spells them.
const STANDARDS: &str = "1.4, 1.5, 1.6, 1.7, 2.0, a-1b, a-1a, a-2b, a-2u, a-2a, a-3b, a-3u, a-3a, a-4, a-4f, a-4e, ua-1";

/// Compiles annex documents to PDF; built once per process and shared (it is `Send + Sync`).
pub struct PdfEngine {
    library: Arc<LazyHash<Library>>,
    fonts: Arc<FontStore>,
    /// The characters other than ASCII that the fonts draw (see [`printable`]).
    printable: std::collections::HashSet<char>,
    /// The font files added to the embedded fonts (`--font-path`), in the order typst sees
    /// them, and what their faces draw (see [`Added`]).
    added: Added,
    /// How many threads compile documents at the same time (see [`PdfEngine::set_workers`]).
    workers: std::sync::atomic::AtomicUsize,
    /// The longest one document may take to compile and export (see [`MAX_COMPILE_TIME`]).
    time_limit: Duration,
    /// The hash of a frame that ran out of time in this process: it is not compiled again.
    runaway: std::sync::Mutex<Option<u128>>,
}

/// The longest the compilation and export of one document may take; the largest project
/// annex accepts takes about 3 s on a slow machine. typst cannot be stopped: a document that
/// takes longer is reported as failed and its thread is left to finish on its own.
pub const MAX_COMPILE_TIME: Duration = Duration::from_secs(60);

/// One document to compile: sources, data and export settings.
#[derive(Debug, Clone, Copy)]
pub struct PdfJob<'a> {
    /// Typst source of the layout frame (`templates/typst/frame.typ`), served as `/main.typ`.
    pub frame: &'a str,
    /// Typst markup of the annex body (from the Markdown writer), served as `/body.typ`.
    pub body: &'a str,
    /// Annex data as JSON bytes, served as `/annex.json` (the frame reads it with `json(..)`).
    pub data: &'a [u8],
    /// Annex date `(year, month, day)`: the date typst sees as today and the PDF timestamp
    /// (UTC midnight). The wall clock is never used.
    pub date: (i32, u8, u8),
    /// Stable annex identifier; its hash becomes the PDF document ID.
    pub ident: &'a str,
    /// Value of the PDF `/Creator` entry, e.g. `annex 0.1.0`.
    pub creator: &'a str,
    /// PDF standard(s) to enforce, e.g. `a-2b` or `a-2b,ua-1`; `None` writes plain PDF 1.7.
    pub standard: Option<&'a str>,
}

/// A compiled PDF document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pdf {
    /// The PDF file content.
    pub bytes: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
    /// Time spent in typst's compilation (evaluation, layout).
    pub compile_time: std::time::Duration,
    /// Time spent in the PDF export.
    pub export_time: std::time::Duration,
}

pub use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::failure::{Failure, Kind};

impl Default for PdfEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl PdfEngine {
    /// Builds the typst standard library and loads the embedded fonts (Libertinus Serif,
    /// New Computer Modern, New Computer Modern Math, DejaVu Sans Mono).
    pub fn new() -> Self {
        Self::with_fonts(&AddedFonts::none())
    }

    /// [`PdfEngine::new`] with font files added after the embedded fonts: those keep priority
    /// for the text they cover (the frame names their families), and typst falls back to the
    /// added ones for the characters they lack (Japanese, Arabic, … in a project's names).
    pub fn with_fonts(added: &AddedFonts) -> Self {
        let mut fonts = FontStore::new();
        fonts.extend(typst_kit::fonts::embedded());
        let embedded = (0..)
            .take_while(|i| fonts.book().info(*i).is_some())
            .count();
        for face in added.files.iter().flat_map(FontFile::faces) {
            fonts.push((face.clone(), face.info().clone()));
        }
        let library = without_plugins(Library::builder().with_inputs(Dict::new()).build());
        let (printable, mut extra) = printable(&fonts, embedded);
        extra.files = added.files.clone();
        Self {
            library: Arc::new(LazyHash::new(library)),
            fonts: Arc::new(fonts),
            printable,
            added: extra,
            workers: std::sync::atomic::AtomicUsize::new(1),
            time_limit: MAX_COMPILE_TIME,
            runaway: std::sync::Mutex::new(None),
        }
    }

    /// The same engine with another limit on the time one document may take.
    pub fn with_time_limit(mut self, limit: Duration) -> Self {
        self.time_limit = limit;
        self
    }

    /// The first character of `text` that none of the fonts can print (see
    /// [`PdfEngine::can_show`]); whitespace and invisible format characters need no glyph. A
    /// PDF/A export fails on such a character, so annex refuses project text with one.
    ///
    /// With fonts added, a combining mark is also checked with the letter it stands on: typst
    /// shapes the two together, in a font that has the letter, and tries the fonts that have
    /// it until one draws both. So a mark is printable after a letter of the embedded fonts
    /// if every embedded text font draws the mark (as without added fonts), and after any
    /// letter if an added text font draws both.
    pub fn unprintable(&self, text: &str) -> Option<char> {
        let needs_glyph = |c: char| !c.is_whitespace() || c.is_control();
        if self.added.files.is_empty() {
            return text.chars().find(|&c| needs_glyph(c) && !self.can_show(c));
        }
        let mut letter = None;
        for c in text.chars() {
            if needs_glyph(c) && !self.can_show(c) {
                return Some(c);
            }
            if is_mark(c) {
                if !self.added.fits(letter, c) {
                    return Some(c);
                }
            } else if c.is_whitespace() {
                letter = None;
            } else if !is_invisible(c) {
                letter = Some(c);
            }
        }
        None
    }

    /// The font files added to the embedded fonts, in the order typst sees them.
    pub fn added_fonts(&self) -> &[FontFile] {
        &self.added.files
    }

    /// Compiles one document. Fails with all diagnostics if typst reports any error or warning,
    /// if the date or standard is invalid, or if the PDF export (e.g. a PDF/A check) fails.
    pub fn compile(&self, job: &PdfJob<'_>) -> Result<Pdf, Failure> {
        let standards = parse_standards(job.standard)?;
        let (year, month, day) = job.date;
        let (Some(today), Some(midnight)) = (
            Datetime::from_ymd(year, month, day),
            Datetime::from_ymd_hms(year, month, day, 0, 0, 0),
        ) else {
            return Err(setting_error(crate::text!(
                en: "invalid annex date {year:04}-{month:02}-{day:02}",
                de: "ungültiges Datum der Anlage {year:04}-{month:02}-{day:02}",
            )));
        };
        let frame_hash = typst::utils::hash128(job.frame);
        if self.runaway.lock().is_ok_and(|r| *r == Some(frame_hash)) {
            return Err(self.stopped(crate::text!(
                en: "the PDF frame ran out of time for an earlier annex of this run and is not used again",
                de: "der PDF-Rahmen hat bei einer früheren Anlage dieses Laufs die Zeit überschritten und wird nicht mehr verwendet",
            )));
        }
        let world = AnnexWorld::new(
            Arc::clone(&self.library),
            Arc::clone(&self.fonts),
            job.frame,
            job.body,
            job.data,
            today,
        )
        .map_err(Failure::internal)?;
        let options = PdfOptions {
            ident: Smart::Custom(job.ident.to_owned()),
            creator: Smart::Custom(Some(job.creator.to_owned())),
            timestamp: Some(Timestamp::new_utc(midnight)),
            page_ranges: None,
            standards,
            tagged: true,
            pretty: false,
        };
        match deadline::within(self.time_limit, move || produce(&world, &options)) {
            Ok(result) => result,
            Err(deadline::Stopped::TimedOut) => {
                if let Ok(mut runaway) = self.runaway.lock() {
                    *runaway = Some(frame_hash);
                }
                let seconds = self.time_limit.as_secs_f32();
                Err(self.stopped(crate::text!(
                    en: "the PDF frame was stopped after {seconds} seconds",
                    de: "der PDF-Rahmen wurde nach {seconds} Sekunden abgebrochen",
                )))
            }
            Err(deadline::Stopped::Panicked) => Err(Failure::internal(crate::text!(
                en: "typst stopped with an internal error while compiling this annex",
                de: "typst hat beim Setzen dieser Anlage mit einem internen Fehler abgebrochen",
            ))),
            Err(deadline::Stopped::NoThread) => Err(Failure::internal(crate::text!(
                en: "no thread could be started to compile the PDF",
                de: "es konnte kein Thread gestartet werden, um die PDF-Datei zu erzeugen",
            ))),
        }
    }

    /// The failure of a document whose frame ran out of time.
    fn stopped(&self, message: Localized) -> Failure {
        Failure::new(
            Kind::Internal,
            vec![
                Diagnostic::error(Some(Location::file("main.typ")), message).hint(crate::text!(
                    en: "look in typst/frame.typ for a loop that repeats far more often than intended; typst cannot be interrupted, so annex stops waiting and does not use this frame again in this run",
                    de: "suchen Sie in typst/frame.typ nach einer Schleife, die weit öfter durchlaufen wird als beabsichtigt; typst lässt sich nicht unterbrechen, daher wartet annex nicht länger und verwendet diesen Rahmen in diesem Lauf nicht mehr",
                )),
            ],
        )
    }

    /// Drops all of typst's process-global memoised results (the next compile is cold).
    pub fn evict_caches(&self) {
        typst::comemo::evict(0);
    }

    /// Whether the fonts can show `c`: a space, tab or line break, or a character
    /// other than a control character that one of them has a glyph for, and that no font
    /// claims without one.
    pub fn can_show(&self, c: char) -> bool {
        if matches!(c, ' '..='~' | '\t' | '\n' | '\r') || is_invisible(c) {
            return true;
        }
        // Some fonts map control characters to empty glyphs; typst's fallback does not pick
        // those, and shows the missing glyph.
        if c.is_control() {
            return false;
        }
        self.printable.contains(&c)
    }

    /// `text` with every character the embedded fonts cannot show (control characters,
    /// unassigned code points, scripts without a font) replaced by U+FFFD, which they can.
    /// typst would draw such a character as the invisible "missing glyph", which PDF/A forbids:
    /// the export would fail.
    pub fn showable<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        if text.chars().all(|c| self.can_show(c)) {
            return std::borrow::Cow::Borrowed(text);
        }
        text.chars()
            .map(|c| if self.can_show(c) { c } else { '\u{FFFD}' })
            .collect()
    }

    /// [`PdfEngine::showable`] for every string in a JSON value.
    pub fn showable_json(&self, value: &mut serde_json::Value) {
        crate::json_text::map_strings(value, false, &|s| self.showable(s));
    }

    /// Tells the engine how many threads compile documents at the same time, so that
    /// [`PdfEngine::age_caches`] keeps the results of each worker's last document.
    pub fn set_workers(&self, workers: usize) {
        self.workers
            .store(workers.max(1), std::sync::atomic::Ordering::Relaxed);
    }

    /// Ages typst's memoised results by one document and drops those that no document used in
    /// the last [`CACHE_DOCUMENTS`] documents of each worker. Call after each document of a
    /// batch: what the next, similar document needs survives, and memory stays bounded.
    pub fn age_caches(&self) {
        let workers = self.workers.load(std::sync::atomic::Ordering::Relaxed);
        typst::comemo::evict(CACHE_DOCUMENTS * workers);
    }
}

/// How many of a worker's documents an unused memoised result survives (see
/// [`PdfEngine::age_caches`]).
pub const CACHE_DOCUMENTS: usize = 1;

/// Compiles and exports one document (on the thread of [`deadline::within`]).
fn produce(world: &AnnexWorld, options: &PdfOptions) -> Result<Pdf, Failure> {
    let started = std::time::Instant::now();
    let Warned { output, warnings } = typst::compile::<PagedDocument>(world);
    let compile_time = started.elapsed();
    let errors = output.as_ref().err().into_iter().flatten();
    let diagnostics: Vec<_> = errors
        .chain(&warnings)
        .map(|diag| world.diagnostic(diag))
        .collect();
    let document = match output {
        Ok(document) if diagnostics.is_empty() => document,
        _ => return Err(Failure::new(Kind::Internal, diagnostics)),
    };
    let started = std::time::Instant::now();
    let bytes = typst_pdf::pdf(&document, options).map_err(|errors| {
        Failure::new(
            Kind::Internal,
            errors.iter().map(|diag| world.diagnostic(diag)).collect(),
        )
    })?;
    Ok(Pdf {
        bytes,
        pages: document.pages().len(),
        compile_time,
        export_time: started.elapsed(),
    })
}

/// Parses `a-2b` or a comma-separated list such as `a-2b,ua-1` into typst's standards.
/// Checks a `--pdf-standard` value (comma-separated typst names) before any work is done.
pub fn check_standard(spec: &str) -> Result<(), Failure> {
    parse_standards(Some(spec)).map(|_| ())
}

/// Whether a standard allows attached files: every PDF/A-3 variant, PDF/A-4f, plain PDF and
/// PDF/UA; not PDF/A-1, PDF/A-2 or PDF/A-4 without "f".
pub fn allows_attachments(spec: Option<&str>) -> bool {
    spec.is_none_or(|s| {
        s.split(',').map(str::trim).all(|name| {
            !(name.starts_with("a-1") || name.starts_with("a-2") || name == "a-4" || name == "a-4e")
        })
    })
}

fn parse_standards(spec: Option<&str>) -> Result<PdfStandards, Failure> {
    let Some(spec) = spec else {
        return Ok(PdfStandards::default());
    };
    let mut list = Vec::new();
    for name in spec.split(',').map(str::trim) {
        let value = serde_json::Value::String(name.to_owned());
        let standard: PdfStandard = serde_json::from_value(value).map_err(|_| {
            with_hint(
                setting_error(crate::text!(
                    en: "unknown PDF standard `{name}`",
                    de: "unbekannter PDF-Standard `{name}`",
                )),
                crate::text!(
                    en: "valid standards: {STANDARDS}",
                    de: "gültige Standards: {STANDARDS}",
                ),
            )
        })?;
        list.push(standard);
    }
    PdfStandards::new(&list).map_err(|err| {
        // typst's own words: which standards do not go together.
        let mut error = setting_error(Localized::verbatim(err.message().to_string()));
        for hint in err.hints() {
            error = with_hint(error, Localized::verbatim(hint.to_string()));
        }
        error
    })
}

/// The standard library less `plugin`: a WebAssembly plugin runs without a limit of fuel or
/// memory (a loop in one never ends), and a frame has no use for one. A frame that calls it
/// gets typst's "unknown variable: plugin", also through `std.plugin`.
fn without_plugins(mut library: Library) -> Library {
    let mut global = typst::foundations::Scope::new();
    for (name, binding) in library.global.scope().iter() {
        if name != "plugin" {
            global.bind(name.clone(), binding.clone());
        }
    }
    library.global = typst::foundations::Module::new("global", global);
    library.std = typst::foundations::Binding::detached(library.global.clone());
    library
}

/// A setting annex cannot use (the date, the PDF standard): a usage error.
fn setting_error(message: Localized) -> Failure {
    Failure::usage(Diagnostic::error(None, message))
}

/// The failure with a hint added to its last diagnostic.
fn with_hint(mut failure: Failure, hint: Localized) -> Failure {
    if let Some(last) = failure.diagnostics.last_mut() {
        last.hints.push(hint);
    }
    failure
}

/// The added fonts, and what is needed to check a combining mark with its letter (see
/// [`PdfEngine::unprintable`]); all empty without added fonts.
#[derive(Debug, Default)]
struct Added {
    /// The font files.
    files: Vec<FontFile>,
    /// Each added text font and the combining marks it draws.
    marks: Vec<(typst::text::Font, std::collections::HashSet<char>)>,
    /// The combining marks every embedded text font draws.
    embedded_marks: std::collections::HashSet<char>,
    /// What the embedded fonts draw.
    embedded: std::collections::HashSet<char>,
}

impl Added {
    /// Whether the mark `mark` after `letter` (none: at the start of a text) is drawn.
    fn fits(&self, letter: Option<char>, mark: char) -> bool {
        let embedded = self.embedded_marks.contains(&mark)
            && letter.is_none_or(|l| self.embedded.contains(&l));
        embedded
            || letter.is_some_and(|l| {
                self.marks.iter().any(|(font, marks)| {
                    marks.contains(&mark) && font.info().coverage.contains(u32::from(l))
                })
            })
    }
}

/// The characters the fonts draw: those some font's character map lists, less those that a
/// font lists but maps to the missing glyph (Libertinus Serif does so for ⁁, ✕, 〔 and
/// private-use characters), and less the combining marks that not every text font draws.
///
/// typst picks the first font whose map lists a character, and PDF/A refuses the missing
/// glyph, so a character one font only pretends to have cannot be printed. A combining mark is
/// shaped together with the letter before it, in the font of that letter: a mark that font
/// lacks ends up as the missing glyph even where another font has it (x + U+20D0).
///
/// The first `embedded` fonts are the embedded ones; the others were added. An added font
/// that pretends to have a character takes nothing from the embedded fonts (typst picks
/// those first); the marks that an added text font draws are in the set, and [`Added`] has
/// what is needed to check them with their letters.
fn printable(fonts: &FontStore, embedded: usize) -> (std::collections::HashSet<char>, Added) {
    let mut listed = std::collections::HashSet::new();
    let mut pretended = std::collections::HashSet::new();
    let mut pretended_added = std::collections::HashSet::new();
    // What each text font (not the maths font) draws.
    let mut text_faces: Vec<std::collections::HashSet<char>> = Vec::new();
    let mut added = Added::default();
    // What the embedded fonts draw, the maths font too (typst may pick it).
    let mut embedded_drawn = std::collections::HashSet::new();
    let book = fonts.book();
    for i in (0..).take_while(|i| book.info(*i).is_some()) {
        let is_added = i >= embedded;
        let Some(font) = fonts.font(i) else { continue };
        let Ok(face) = ttf_parser::Face::parse(font.data(), font.index()) else {
            continue;
        };
        let Some(cmap) = face.tables().cmap else {
            continue;
        };
        let mut drawn = std::collections::HashSet::new();
        for table in cmap.subtables.into_iter().filter(|t| t.is_unicode()) {
            table.codepoints(|code| {
                let Some(c) = char::from_u32(code) else {
                    return;
                };
                match face.glyph_index(c) {
                    Some(glyph) if glyph.0 != 0 => drawn.insert(c),
                    _ if is_added => pretended_added.insert(c),
                    _ => pretended.insert(c),
                };
            });
        }
        listed.extend(drawn.iter().copied());
        if !is_added {
            embedded_drawn.extend(drawn.iter().copied());
        }
        if font.info().flags.contains(typst::text::FontFlags::MATH) {
            continue;
        }
        if is_added {
            let marks = drawn.iter().copied().filter(|c| is_mark(*c)).collect();
            added.marks.push((font, marks));
        } else {
            text_faces.push(drawn);
        }
    }
    listed.retain(|c| {
        !pretended.contains(c)
            // An added font's pretence matters only where no embedded font draws it.
            && (embedded_drawn.contains(c) || !pretended_added.contains(c))
            && (!is_mark(*c)
                || text_faces.iter().all(|f| f.contains(c))
                || added.marks.iter().any(|(_, marks)| marks.contains(c)))
    });
    if embedded < (0..).take_while(|i| book.info(*i).is_some()).count() {
        added.embedded_marks = embedded_drawn
            .iter()
            .copied()
            .filter(|c| is_mark(*c) && text_faces.iter().all(|f| f.contains(c)))
            .collect();
        added.embedded = embedded_drawn;
    }
    (listed, added)
}

/// Whether `c` is a combining mark (shaped together with the letter before it).
fn is_mark(c: char) -> bool {
    use unicode_general_category::{GeneralCategory, get_general_category};
    matches!(
        get_general_category(c),
        GeneralCategory::NonspacingMark
            | GeneralCategory::SpacingMark
            | GeneralCategory::EnclosingMark
    )
}

/// Format characters that typst lays out without a glyph: soft hyphen, zero-width spaces and
/// joiners, direction marks and embeddings, word joiner and invisible operators, variation
/// selectors, the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{AD}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests;

//! Incremental runs: whether an annex's files in the output folder are still what this run
//! would write, so that `render` can leave them as they are.
//!
//! The manifest file beside an annex (`<id>.manifest.json`) records what the annex was made
//! from: the project's bytes, every template file it used (the frame, the title and appendix
//! templates, the catalogue, frameworks, service-level defaults, the locale and each selected
//! clause), the fonts added, annex's version and build, and the options that change the
//! content; and, in its `output` block, the SHA-256 of every file written beside it. An annex is
//! up to date when all of that is as this run would record it and every file this run would
//! write is there with its recorded digest. The clauses are selected again for the check: a
//! clause file added to the library that the project would now select makes the annex stale,
//! as does any changed byte in a file it used. Everything else is rendered again, with the
//! reason.

use std::path::Path;

use serde::Deserialize;

use crate::generator::Generator;
use crate::language::Localized;
use crate::library::BUILTIN_PREFIX;
use crate::manifest::{self, FontEntry, Hashed, Output};
use crate::output::Written;
use crate::text;
use crate::typeset::Options;
use crate::validate::Loaded;

/// The largest manifest file read: larger is not annex's own, and the annex is rendered again.
const MAX_MANIFEST_BYTES: u64 = 16 << 20;

/// The largest output file hashed (annex's PDFs are well under 10 MiB): a larger file in its
/// place is not the one annex wrote, and the annex is rendered again without reading it.
const MAX_OUTPUT_BYTES: u64 = 1 << 30;

/// Whether an annex must be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    /// Its files are there as this run would write them: each with its SHA-256 (the manifest
    /// last).
    UpToDate(Vec<Written>),
    /// It must be rendered: why, or `None` when nothing of it was written before (or the
    /// project does not load, which the render then reports).
    Stale(Option<Localized>),
}

/// The part of a manifest file the check reads; other fields are ignored.
#[derive(Debug, Deserialize)]
struct Recorded {
    tool: String,
    tool_version: String,
    input: Hashed,
    templates: Vec<Hashed>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    fonts: Vec<FontEntry>,
    output: Option<Output>,
}

/// Whether the annex of the `loaded` project, rendered with `options` into `out`, is up to
/// date (see the module's documentation).
pub fn check(generator: &Generator, loaded: &Loaded, options: &Options, out: &Path) -> Freshness {
    let library = generator.library();
    let Ok(selection) = crate::select::select(library, &loaded.project, &loaded.source) else {
        return Freshness::Stale(None);
    };
    let id = &loaded.project.annex.id;
    let name = |ext: &str| id.file_name(options.draft, ext);
    let manifest_path = out.join(name("manifest.json"));
    let Some((recorded, manifest_sha256)) = read_manifest(&manifest_path) else {
        return Freshness::Stale(None);
    };
    let stale = |why: Localized| Freshness::Stale(Some(why));
    let Some(output) = recorded.output else {
        return stale(text!(
            en: "its manifest does not record the files written",
            de: "ihr Manifest verzeichnet die geschriebenen Dateien nicht",
        ));
    };
    if recorded.tool != "annex"
        || recorded.tool_version != env!("CARGO_PKG_VERSION")
        || output.build != manifest::BUILD
    {
        return stale(text!(
            en: "another build of annex wrote it",
            de: "ein anderer Build von annex hat sie geschrieben",
        ));
    }
    if recorded.draft != options.draft {
        return Freshness::Stale(None);
    }
    if recorded.input != manifest::input(&loaded.source) {
        return stale(text!(
            en: "the project file changed",
            de: "die Projektdatei hat sich geändert",
        ));
    }
    let templates = manifest::templates(library, loaded.project.annex.language, &selection);
    if recorded.templates != templates {
        return stale(templates_changed(&recorded.templates, &templates));
    }
    let fonts = manifest::fonts(generator.engine().added_fonts());
    if recorded.fonts != fonts {
        return stale(text!(
            en: "the fonts added changed",
            de: "die hinzugefügten Schriften haben sich geändert",
        ));
    }
    if output.options != options.recorded() {
        return stale(text!(
            en: "it was rendered with other options (PDF standard or coverage appendix)",
            de: "sie wurde mit anderen Optionen erstellt (PDF-Standard oder Abdeckungsanhang)",
        ));
    }
    // Every file this run would write must be there as recorded; the DORA register is written
    // whenever the annex has one, which the unchanged inputs still decide as recorded.
    let register = name("dora-register.csv");
    let mut wanted = vec![name("coverage.json")];
    if output.files.iter().any(|f| f.path == register) {
        wanted.push(register);
    }
    let formats = &options.formats;
    for (on, ext) in [
        (formats.markdown, "md"),
        (formats.pdf, "pdf"),
        (formats.docx, "docx"),
    ] {
        if on {
            wanted.push(name(ext));
        }
    }
    if formats.typst {
        let sub = name("typst");
        for file in ["main.typ", "body.typ", "annex.json"] {
            wanted.push(format!("{sub}/{file}"));
        }
    }
    let mut written = Vec::new();
    for file in wanted {
        let Some(expected) = output.files.iter().find(|f| f.path == file) else {
            return stale(text!(
                en: "{file} was not written by the last run",
                de: "{file} wurde beim letzten Lauf nicht geschrieben",
            ));
        };
        let path = out.join(&file);
        match file_sha256(&path) {
            Some(sha256) if sha256 == expected.sha256 => written.push(Written { path, sha256 }),
            Some(_) => {
                return stale(text!(
                    en: "{file} was changed since it was written",
                    de: "{file} wurde seit dem Schreiben verändert",
                ));
            }
            None => {
                return stale(text!(
                    en: "{file} is missing",
                    de: "{file} fehlt",
                ));
            }
        }
    }
    written.push(Written {
        path: manifest_path,
        sha256: manifest_sha256,
    });
    Freshness::UpToDate(written)
}

/// Why the templates recorded differ from those the annex would use now: the first file that
/// changed, that now comes from elsewhere, that the annex now uses or no longer uses. A file
/// is named by its path in the library (a built-in file is recorded as `templates/…`).
fn templates_changed(recorded: &[Hashed], now: &[Hashed]) -> Localized {
    let builtin = |h: &Hashed| {
        h.path
            .strip_prefix(BUILTIN_PREFIX)
            .and_then(|rest| rest.strip_prefix('/'))
            .map(str::to_owned)
    };
    let key = |h: &Hashed| builtin(h).unwrap_or_else(|| h.path.clone());
    if let Some(t) = now.iter().find(|t| !recorded.contains(t)) {
        let file = key(t);
        return match recorded.iter().find(|r| key(r) == file) {
            Some(r) if r.sha256 != t.sha256 => text!(
                en: "the template {file} changed",
                de: "die Vorlage {file} hat sich geändert",
            ),
            Some(_) if builtin(t).is_some() => text!(
                en: "the template {file} is now the built-in one",
                de: "die Vorlage {file} ist jetzt die eingebaute",
            ),
            Some(_) => text!(
                en: "the template {file} now comes from the template folder",
                de: "die Vorlage {file} stammt jetzt aus dem Vorlagenordner",
            ),
            None => text!(
                en: "the annex now uses the template {file}",
                de: "die Anlage verwendet jetzt die Vorlage {file}",
            ),
        };
    }
    match recorded.iter().find(|t| !now.contains(t)) {
        Some(t) => {
            let file = key(t);
            text!(
                en: "the annex no longer uses the template {file}",
                de: "die Anlage verwendet die Vorlage {file} nicht mehr",
            )
        }
        None => text!(
            en: "the order of its clauses changed",
            de: "die Reihenfolge ihrer Klauseln hat sich geändert",
        ),
    }
}

/// The manifest file at `path` and its SHA-256; `None` if it is missing, not a regular file,
/// too large or not a manifest.
fn read_manifest(path: &Path) -> Option<(Recorded, String)> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_MANIFEST_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let recorded = serde_json::from_slice(&bytes).ok()?;
    Some((recorded, crate::digest::sha256_hex(&bytes)))
}

/// The SHA-256 of a regular file (not through a link), read in pieces; `None` if there is
/// none or it cannot be read; an empty digest (which matches none) for a file too large to be
/// annex's.
fn file_sha256(path: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    if meta.len() > MAX_OUTPUT_BYTES {
        return Some(String::new());
    }
    crate::digest::sha256_file(path).ok()
}

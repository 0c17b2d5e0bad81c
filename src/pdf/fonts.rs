//! Fonts added to the embedded ones: the font files of the folders given with `--font-path`
//! or `fonts` in `annex.toml`, read once per process.
//!
//! The walk is bounded ([`MAX_DEPTH`], [`MAX_ENTRIES`], [`MAX_FONT_FILES`], [`MAX_FONT_BYTES`],
//! [`MAX_TOTAL_BYTES`]): a folder given by mistake (the system's font folder, a home folder)
//! is refused with a message instead of being read for minutes. Files other than `.ttf`,
//! `.otf`, `.ttc` and `.otc` (licences, read-me files) and hidden files (`.DS_Store`, `._x.ttf`)
//! are skipped; web fonts (`.woff`, `.woff2`) with a warning. A font file that typst cannot
//! read is an error at its path. The same bytes found twice are added once.
//!
//! Within each folder the files are taken in the order of their paths, so the same folders
//! give the same fonts in the same order, and so the same PDF. Every problem is a usage error
//! (exit 2), like a broken `annex.toml`.

use std::path::{Path, PathBuf};

use typst::foundations::Bytes;
use typst::text::Font;

use crate::diagnostic::{Diagnostic, Location};
use crate::failure::{Failure, Kind};
use crate::language::Localized;

/// How deep below a given folder annex looks for font files.
pub const MAX_DEPTH: usize = 4;
/// How many files and folders annex looks at below the given folders together.
pub const MAX_ENTRIES: usize = 10_000;
/// How many font files annex reads from the given folders together.
pub const MAX_FONT_FILES: usize = 256;
/// The largest font file annex reads (a complete CJK collection has about 20 MiB).
pub const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;
/// The most bytes of font files annex reads together.
pub const MAX_TOTAL_BYTES: u64 = 512 * 1024 * 1024;

/// The extensions of the font files annex reads (lower case).
const FONT_EXTENSIONS: [&str; 4] = ["ttf", "otf", "ttc", "otc"];
/// Web fonts, which typst does not read: skipped with a warning.
const WEB_FONT_EXTENSIONS: [&str; 2] = ["woff", "woff2"];

/// One font file added to the embedded fonts.
#[derive(Debug, Clone)]
pub struct FontFile {
    /// The file as found: the folder given, joined with its path inside.
    pub path: PathBuf,
    /// The file name (what the manifest records: the same fonts give the same manifest
    /// wherever they are stored).
    pub name: String,
    /// The families of its faces, each once, in the order of the faces.
    pub families: Vec<String>,
    /// SHA-256 of the file, lowercase hex.
    pub sha256: String,
    /// The faces (one, or several for a collection).
    faces: Vec<Font>,
}

impl FontFile {
    /// The faces of the file, for typst.
    pub fn faces(&self) -> &[Font] {
        &self.faces
    }
}

/// The font files added to the embedded fonts, in the order typst sees them.
#[derive(Debug, Clone, Default)]
pub struct AddedFonts {
    /// The files.
    pub files: Vec<FontFile>,
    /// What was skipped and should be said (web fonts).
    pub warnings: Vec<Diagnostic>,
}

impl AddedFonts {
    /// No fonts added.
    pub fn none() -> AddedFonts {
        AddedFonts::default()
    }

    /// Whether no font was added.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Reads the font files of `paths` (folders, or font files), in the order given. Every
    /// problem is reported at its path, all in one failure; nothing is added then.
    pub fn load(paths: &[PathBuf]) -> Result<AddedFonts, Failure> {
        let mut walk = Walk::default();
        for path in paths {
            walk.root(path);
        }
        let Walk {
            found,
            mut errors,
            warnings,
            ..
        } = walk;
        let mut files: Vec<FontFile> = Vec::new();
        let mut total: u64 = 0;
        for path in found {
            match read_font(&path, &mut total) {
                Ok(file) => {
                    // The same bytes under another name add nothing.
                    if !files.iter().any(|f| f.sha256 == file.sha256) {
                        files.push(file);
                    }
                }
                Err(e) => errors.push(e),
            }
            if total > MAX_TOTAL_BYTES {
                let mib = MAX_TOTAL_BYTES / (1024 * 1024);
                errors.push(
                    Diagnostic::error(
                        Some(Location::file(&path)),
                        crate::text!(
                            en: "the font files read so far have more than {mib} MiB together; annex reads no more",
                            de: "die bisher gelesenen Schriftdateien haben zusammen mehr als {mib} MiB; annex liest keine weiteren",
                        ),
                    )
                    .hint(give_fewer()),
                );
                break;
            }
        }
        if errors.is_empty() {
            Ok(AddedFonts { files, warnings })
        } else {
            let mut diagnostics = warnings;
            diagnostics.extend(errors);
            Err(Failure::new(Kind::Usage, diagnostics))
        }
    }
}

/// The files found so far and the problems met.
#[derive(Default)]
struct Walk {
    found: Vec<PathBuf>,
    entries: usize,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Stop looking (a limit was reached).
    stopped: bool,
}

impl Walk {
    /// Looks for font files in one path given by the user.
    fn root(&mut self, path: &Path) {
        if self.stopped {
            return;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let start = self.found.len();
                self.folder(path, path, 0);
                // The order of the paths, whatever order the file system lists them in.
                if let Some(found) = self.found.get_mut(start..) {
                    found.sort();
                }
            }
            Ok(_) if has_extension(path, &FONT_EXTENSIONS) => self.add(path.to_path_buf()),
            Ok(_) => {
                let shown = path.display();
                self.errors.push(
                    Diagnostic::error(
                        Some(Location::file(path)),
                        crate::text!(
                            en: "`{shown}` is neither a font folder nor a font file",
                            de: "`{shown}` ist weder ein Schriftordner noch eine Schriftdatei",
                        ),
                    )
                    .hint(what_is_read()),
                );
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let shown = path.display();
                self.errors.push(
                    Diagnostic::error(
                        Some(Location::file(path)),
                        crate::text!(
                            en: "the font folder `{shown}` does not exist",
                            de: "den Schriftordner `{shown}` gibt es nicht",
                        ),
                    )
                    .hint(crate::text!(
                        en: "--font-path takes a folder with font files (relative to the working directory; in annex.toml, relative to annex.toml)",
                        de: "--font-path erwartet einen Ordner mit Schriftdateien (relativ zum Arbeitsverzeichnis; in annex.toml relativ zu annex.toml)",
                    )),
                );
            }
            Err(e) => self.unreadable(path, &e),
        }
    }

    /// Looks into one folder, `depth` levels below the folder `root` given.
    fn folder(&mut self, dir: &Path, root: &Path, depth: usize) {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return self.unreadable(dir, &e),
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if self.stopped {
                return;
            }
            self.entries += 1;
            if self.entries > MAX_ENTRIES {
                let shown = root.display();
                self.errors.push(
                    Diagnostic::error(
                        Some(Location::file(root)),
                        crate::text!(
                            en: "the font folders hold more than {MAX_ENTRIES} files and folders; annex stops looking in `{shown}`",
                            de: "die Schriftordner enthalten mehr als {MAX_ENTRIES} Dateien und Ordner; annex sucht in `{shown}` nicht weiter",
                        ),
                    )
                    .hint(give_fewer()),
                );
                self.stopped = true;
                return;
            }
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            // Links are followed: the limits of depth and entries end any loop.
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                if depth + 1 > MAX_DEPTH {
                    let (shown, top) = (path.display(), root.display());
                    self.errors.push(
                        Diagnostic::error(
                            Some(Location::file(&path)),
                            crate::text!(
                                en: "the folder `{shown}` lies more than {MAX_DEPTH} levels below the font folder `{top}`; annex does not look into it",
                                de: "der Ordner `{shown}` liegt mehr als {MAX_DEPTH} Ebenen unter dem Schriftordner `{top}`; annex sucht nicht darin",
                            ),
                        )
                        .hint(crate::text!(
                            en: "give the folder that holds the font files itself, or move the fonts annex needs into a folder of their own",
                            de: "geben Sie den Ordner an, der die Schriftdateien selbst enthält, oder legen Sie die Schriften, die annex braucht, in einen eigenen Ordner",
                        )),
                    );
                    continue;
                }
                self.folder(&path, root, depth + 1);
            } else if has_extension(&path, &FONT_EXTENSIONS) {
                self.add(path);
            } else if has_extension(&path, &WEB_FONT_EXTENSIONS) {
                self.warnings.push(
                    Diagnostic::warning(
                        Some(Location::file(&path)),
                        crate::text!(
                            en: "a web font is not read",
                            de: "eine Webschrift wird nicht gelesen",
                        ),
                    )
                    .hint(what_is_read()),
                );
            }
        }
    }

    /// Takes a font file, within [`MAX_FONT_FILES`].
    fn add(&mut self, path: PathBuf) {
        if self.found.len() >= MAX_FONT_FILES {
            if !self.stopped {
                self.errors.push(
                    Diagnostic::error(
                        Some(Location::file(&path)),
                        crate::text!(
                            en: "the font folders hold more than {MAX_FONT_FILES} font files; annex reads no more",
                            de: "die Schriftordner enthalten mehr als {MAX_FONT_FILES} Schriftdateien; annex liest keine weiteren",
                        ),
                    )
                    .hint(give_fewer()),
                );
            }
            self.stopped = true;
            return;
        }
        self.found.push(path);
    }

    /// A folder or file the operating system does not let annex read.
    fn unreadable(&mut self, path: &Path, e: &std::io::Error) {
        self.errors.push(Diagnostic::error(
            Some(Location::file(path)),
            crate::text!(
                en: "cannot read the fonts: {e}",
                de: "die Schriften können nicht gelesen werden: {e}",
            ),
        ));
    }
}

/// Reads and parses one font file; `total` counts the bytes read.
fn read_font(path: &Path, total: &mut u64) -> Result<FontFile, Diagnostic> {
    let at = || Some(Location::file(path));
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FONT_BYTES {
        let (mib, max) = (size / (1024 * 1024), MAX_FONT_BYTES / (1024 * 1024));
        return Err(Diagnostic::error(
            at(),
            crate::text!(
                en: "the font file has {mib} MiB; annex reads font files of at most {max} MiB",
                de: "die Schriftdatei hat {mib} MiB; annex liest Schriftdateien von höchstens {max} MiB",
            ),
        )
        .hint(crate::text!(
            en: "use a font file per script or per style (e.g. the Japanese subset of a CJK collection) instead of the complete collection",
            de: "verwenden Sie eine Schriftdatei je Schrift oder Schnitt (z. B. die japanische Teilmenge einer CJK-Sammlung) statt der vollständigen Sammlung",
        )));
    }
    let data = std::fs::read(path).map_err(|e| {
        Diagnostic::error(
            at(),
            crate::text!(
                en: "cannot read the font file: {e}",
                de: "die Schriftdatei kann nicht gelesen werden: {e}",
            ),
        )
    })?;
    *total += data.len() as u64;
    let sha256 = crate::digest::sha256_hex(&data);
    let bytes = Bytes::new(data);
    let count = ttf_parser::fonts_in_collection(&bytes).unwrap_or(1);
    let mut faces = Vec::new();
    for index in 0..count {
        match Font::new(bytes.clone(), index) {
            Some(font) => faces.push(font),
            None => return Err(damaged(path, index, count)),
        }
    }
    if faces.is_empty() {
        return Err(damaged(path, 0, 1));
    }
    let mut families: Vec<String> = Vec::new();
    for face in &faces {
        let family = &face.info().family;
        if !families.contains(family) {
            families.push(family.clone());
        }
    }
    Ok(FontFile {
        path: path.to_path_buf(),
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        families,
        sha256,
        faces,
    })
}

/// The error for a font file typst cannot read (face `index` of `count`).
fn damaged(path: &Path, index: u32, count: u32) -> Diagnostic {
    let message = if count > 1 {
        let n = index + 1;
        crate::text!(
            en: "face {n} of {count} of the font collection cannot be read: the file is damaged or not a TrueType or OpenType font",
            de: "Schnitt {n} von {count} der Schriftsammlung kann nicht gelesen werden: die Datei ist beschädigt oder keine TrueType- oder OpenType-Schrift",
        )
    } else {
        crate::text!(
            en: "the font file cannot be read: it is damaged or not a TrueType or OpenType font",
            de: "die Schriftdatei kann nicht gelesen werden: sie ist beschädigt oder keine TrueType- oder OpenType-Schrift",
        )
    };
    Diagnostic::error(Some(Location::file(path)), message).hint(crate::text!(
        en: "replace it with an intact copy (from the font's publisher), or remove it from the font folder",
        de: "ersetzen Sie sie durch eine intakte Kopie (vom Herausgeber der Schrift), oder entfernen Sie sie aus dem Schriftordner",
    ))
}

/// Whether the file name ends in one of `extensions` (any case).
fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .is_some_and(|x| extensions.contains(&x.to_string_lossy().to_lowercase().as_str()))
}

/// The hint: which files annex reads.
fn what_is_read() -> Localized {
    crate::text!(
        en: "annex reads TrueType and OpenType font files (.ttf, .otf, .ttc, .otc); other files in a font folder are skipped",
        de: "annex liest TrueType- und OpenType-Schriftdateien (.ttf, .otf, .ttc, .otc); andere Dateien in einem Schriftordner werden übergangen",
    )
}

/// The hint when a limit is reached.
fn give_fewer() -> Localized {
    crate::text!(
        en: "give --font-path (or `fonts` in annex.toml) a folder with only the fonts the annexes need, not the system's font folder",
        de: "geben Sie bei --font-path (oder `fonts` in annex.toml) einen Ordner an, der nur die Schriften enthält, die die Anlagen brauchen, nicht den Schriftordner des Systems",
    )
}

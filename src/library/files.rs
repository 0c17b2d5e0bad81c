//! The files of a library: the built-in ones, a user folder laid over them, and where each
//! comes from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use super::changes::{BASE_FILE, Base};
use super::unused;
use crate::diagnostic::{Diagnostic, Location};
use crate::language::Localized;

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Where built-in files are said to live in messages.
pub const BUILTIN_PREFIX: &str = "templates";

/// The folder of the example projects, in the library.
const EXAMPLES_FOLDER: &str = "examples";

/// Whether a library file (by its relative path) is an example project.
pub(super) fn is_example(rel: &str) -> bool {
    rel.strip_prefix(EXAMPLES_FOLDER)
        .and_then(|r| r.strip_prefix('/'))
        .is_some_and(|name| name.ends_with(".json") && !name.contains('/'))
}

/// One file of a library: its text and the name messages use for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryFile {
    /// The text.
    pub text: String,
    /// `templates/…` for built-in files, the real path for the user's files.
    pub shown_as: String,
    /// Whether it is compiled into annex (a user's folder may be named `templates` too).
    pub builtin: bool,
}

impl LibraryFile {
    /// A built-in file at `rel` (relative to `templates/`).
    pub fn builtin(rel: &str, text: impl Into<String>) -> LibraryFile {
        LibraryFile {
            text: text.into(),
            shown_as: format!("{BUILTIN_PREFIX}/{rel}"),
            builtin: true,
        }
    }
}

/// The files of the built-in library, by path relative to `templates/`.
pub fn builtin_files() -> BTreeMap<String, LibraryFile> {
    let mut files = BTreeMap::new();
    collect(&BUILTIN, &mut files);
    files
}

/// The most entries (files and folders, read or not) a template folder may hold.
pub const MAX_FOLDER_ENTRIES: usize = 5_000;

/// The deepest a template folder may nest.
pub const MAX_FOLDER_DEPTH: usize = 8;

/// The largest template file annex reads.
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// Lays the files of a user folder over `files`: the same relative path replaces, a new one adds.
/// A file that cannot be read is an error; there is no silent fallback to the built-in text. A
/// file annex does not read (a clause outside `clauses/de/` and `clauses/en/`, `Topics.toml`,
/// `x.md.txt`) is a warning that says what it was probably meant to be; the warnings are
/// returned. Hidden files and folders (`.git`, `.DS_Store`) are passed over.
///
/// Only regular files and folders are read: a symbolic link or a special file (a pipe, a
/// device) inside the folder is an error, so that no template can print a file from elsewhere
/// or hang the run. The walk is bounded ([`MAX_FOLDER_ENTRIES`], [`MAX_FOLDER_DEPTH`],
/// [`MAX_TEMPLATE_BYTES`]).
pub fn overlay(
    files: &mut BTreeMap<String, LibraryFile>,
    dir: &Path,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    if !dir.is_dir() {
        return Err(vec![Diagnostic::error(
            Some(Location::file(dir)),
            crate::text!(
                en: "the template folder does not exist",
                de: "der Vorlagenordner existiert nicht",
            ),
        )]);
    }
    let mut walk = Walk {
        root: dir,
        files,
        errors: Vec::new(),
        warnings: Vec::new(),
        entries: 0,
    };
    walk.folder(dir, 0);
    if walk.errors.is_empty() {
        Ok(walk.warnings)
    } else {
        Err(walk.errors)
    }
}

/// A walk through a user's template folder.
struct Walk<'a> {
    root: &'a Path,
    files: &'a mut BTreeMap<String, LibraryFile>,
    errors: Vec<Diagnostic>,
    /// The files annex does not read.
    warnings: Vec<Diagnostic>,
    /// Entries seen so far.
    entries: usize,
}

impl Walk<'_> {
    fn error(&mut self, path: &Path, message: Localized, hint: Localized) {
        self.errors
            .push(Diagnostic::error(Some(Location::file(path)), message).hint(hint));
    }

    fn folder(&mut self, dir: &Path, depth: usize) {
        if depth > MAX_FOLDER_DEPTH {
            return self.error(
                dir,
                crate::text!(
                    en: "the template folder nests deeper than {MAX_FOLDER_DEPTH} levels",
                    de: "der Vorlagenordner ist tiefer als {MAX_FOLDER_DEPTH} Ebenen verschachtelt",
                ),
                crate::text!(
                    en: "a template folder holds clauses/<language>/, locale/, markdown/, typst/ and examples/: name that folder",
                    de: "ein Vorlagenordner enthält clauses/<Sprache>/, locale/, markdown/, typst/ und examples/: geben Sie diesen Ordner an",
                ),
            );
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                // The words of the operating system, in our sentence.
                return self.error(
                    dir,
                    crate::text!(
                        en: "cannot read the template folder: {e}",
                        de: "der Vorlagenordner kann nicht gelesen werden: {e}",
                    ),
                    crate::text!(
                        en: "check that the folder may be read",
                        de: "prüfen Sie, ob der Ordner gelesen werden darf",
                    ),
                );
            }
        };
        let mut paths: Vec<PathBuf> = Vec::new();
        for entry in entries.filter_map(Result::ok) {
            self.entries += 1;
            if self.entries > MAX_FOLDER_ENTRIES {
                return self.error(
                    self.root,
                    crate::text!(
                        en: "the template folder holds more than {MAX_FOLDER_ENTRIES} files and folders",
                        de: "der Vorlagenordner enthält mehr als {MAX_FOLDER_ENTRIES} Dateien und Ordner",
                    ),
                    crate::text!(
                        en: "name the folder of your templates, not a folder above it",
                        de: "geben Sie den Ordner Ihrer Vorlagen an, nicht einen Ordner darüber",
                    ),
                );
            }
            paths.push(entry.path());
        }
        paths.sort();
        for path in paths {
            if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            // The entry itself, not what a link points to.
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            let kind = meta.file_type();
            if kind.is_symlink() {
                self.error(
                    &path,
                    crate::text!(
                        en: "a symbolic link in the template folder: annex reads only regular files there",
                        de: "ein symbolischer Link im Vorlagenordner: annex liest dort nur gewöhnliche Dateien",
                    ),
                    crate::text!(
                        en: "copy the file into the folder instead of linking it",
                        de: "kopieren Sie die Datei in den Ordner, statt sie zu verlinken",
                    ),
                );
            } else if kind.is_dir() {
                self.folder(&path, depth + 1);
                if self.entries > MAX_FOLDER_ENTRIES {
                    return;
                }
            } else if let Some(rel) = self.relative(&path) {
                if !unused::is_read(&rel) {
                    self.warnings.push(unused::warning(&path, &rel));
                } else if !kind.is_file() {
                    self.error(
                        &path,
                        crate::text!(
                            en: "not a regular file (a pipe or a device): annex reads only regular files in a template folder",
                            de: "keine gewöhnliche Datei (eine Pipe oder ein Gerät): annex liest in einem Vorlagenordner nur gewöhnliche Dateien",
                        ),
                        crate::text!(
                            en: "replace it by a file",
                            de: "ersetzen Sie sie durch eine Datei",
                        ),
                    );
                } else {
                    self.read(&path, rel, meta.len());
                }
            }
        }
    }

    /// The path of a file relative to the root, `/`-separated.
    fn relative(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(self.root).ok()?;
        Some(rel.to_string_lossy().replace('\\', "/"))
    }

    fn read(&mut self, path: &Path, rel: String, size: u64) {
        if size > MAX_TEMPLATE_BYTES {
            return self.error(
                path,
                crate::text!(
                    en: "the file has {size} bytes; a template file may have at most {MAX_TEMPLATE_BYTES}",
                    de: "die Datei hat {size} Bytes; eine Vorlagendatei darf höchstens {MAX_TEMPLATE_BYTES} haben",
                ),
                crate::text!(
                    en: "a clause is a few kilobytes: check that this is the file you meant",
                    de: "eine Klausel umfasst wenige Kilobyte: prüfen Sie, ob dies die gemeinte Datei ist",
                ),
            );
        }
        let mut bytes = Vec::new();
        let read = std::fs::File::open(path).and_then(|file| {
            use std::io::Read;
            file.take(MAX_TEMPLATE_BYTES + 1).read_to_end(&mut bytes)
        });
        // The words of the operating system, or ours.
        let text = read
            .map_err(|e| Localized::verbatim(e.to_string()))
            .and_then(|_| {
                String::from_utf8(bytes).map_err(
                    |_| crate::text!(en: "it is not UTF-8 text", de: "sie ist kein UTF-8-Text"),
                )
            });
        match text {
            Ok(text) => {
                self.files.insert(
                    rel,
                    LibraryFile {
                        text,
                        shown_as: path.display().to_string(),
                        builtin: false,
                    },
                );
            }
            Err(e) => {
                let (en, de) = (e.en(), e.get(crate::language::Language::De));
                self.error(
                    path,
                    crate::text!(
                        en: "cannot read the template: {en}",
                        de: "die Vorlage kann nicht gelesen werden: {de}",
                    ),
                    crate::text!(
                        en: "check that the file may be read and is saved as UTF-8",
                        de: "prüfen Sie, ob die Datei gelesen werden darf und als UTF-8 gespeichert ist",
                    ),
                )
            }
        }
    }
}

/// Where a file of a library comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "path")]
pub enum FileOrigin {
    /// Compiled into annex (`templates/`).
    BuiltIn,
    /// The user's file at this path replaces the built-in file of the same relative path with
    /// another text.
    Override(String),
    /// The user's file at this path has the text of the built-in file of the same relative
    /// path (a copy left unchanged after `annex templates eject`).
    Copy(String),
    /// The user's file at this path adds a file the built-in library does not have.
    Addition(String),
}

/// The files of a library (built-in, with a user folder laid over it) and where each comes from.
#[derive(Debug, Clone)]
pub struct Files {
    /// Every file, by path relative to the library root.
    pub files: BTreeMap<String, LibraryFile>,
    /// The origin of each file, by the same path.
    pub origins: BTreeMap<String, FileOrigin>,
    /// The files of the user's folder that annex does not read, one warning each.
    pub warnings: Vec<Diagnostic>,
    /// The record of the built-in files the folder was ejected from, if it has one.
    pub base: Option<Base>,
}

impl Files {
    /// The built-in files, with `dir` laid over them if given.
    pub fn load(dir: Option<&Path>) -> Result<Files, Vec<Diagnostic>> {
        let mut files = builtin_files();
        let mut origins: BTreeMap<String, FileOrigin> = files
            .keys()
            .map(|rel| (rel.clone(), FileOrigin::BuiltIn))
            .collect();
        let mut warnings = Vec::new();
        let mut base = None;
        if let Some(dir) = dir {
            let mut user = BTreeMap::new();
            warnings = overlay(&mut user, dir)?;
            if let Some(record) = user.remove(BASE_FILE) {
                match Base::parse(&record.text) {
                    Ok(b) => base = Some(b),
                    Err(e) => warnings.push(
                        e.diagnostic(&record.shown_as, &record.text)
                            .into_warning()
                            .hint(crate::text!(
                                en: "annex cannot tell which built-in files changed since the folder was ejected; eject into a new folder to get a new record",
                                de: "annex kann nicht feststellen, welche eingebauten Dateien sich geändert haben, seit der Ordner mit `annex templates eject` angelegt wurde; legen Sie damit einen neuen Ordner an, um einen neuen Nachweis zu erhalten",
                            )),
                    ),
                }
            }
            for (rel, file) in user {
                let origin = if files.get(&rel).is_some_and(|b| b.text == file.text) {
                    FileOrigin::Copy(file.shown_as.clone())
                } else if files.contains_key(&rel) {
                    FileOrigin::Override(file.shown_as.clone())
                } else {
                    FileOrigin::Addition(file.shown_as.clone())
                };
                origins.insert(rel.clone(), origin);
                files.insert(rel, file);
            }
        }
        Ok(Files {
            files,
            origins,
            warnings,
            base,
        })
    }

    /// The origin of the file shown as `shown_as` in messages.
    pub fn origin_of_shown(&self, shown_as: &str) -> FileOrigin {
        self.files
            .iter()
            .find(|(_, f)| f.shown_as == shown_as)
            .and_then(|(rel, _)| self.origins.get(rel).cloned())
            .unwrap_or(FileOrigin::BuiltIn)
    }
}

fn collect(dir: &Dir<'_>, out: &mut BTreeMap<String, LibraryFile>) {
    for file in dir.files() {
        if let Some(text) = file.contents_utf8() {
            let rel = file.path().to_string_lossy().replace('\\', "/");
            out.insert(rel.clone(), LibraryFile::builtin(&rel, text));
        }
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

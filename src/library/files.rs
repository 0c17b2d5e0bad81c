//! The files of a library: the built-in ones, a user folder laid over them, and where each
//! comes from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostic::{Diagnostic, Location};

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Where built-in files are said to live in messages.
pub(super) const BUILTIN_PREFIX: &str = "templates";

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
}

impl LibraryFile {
    /// A built-in file at `rel` (relative to `templates/`).
    pub fn builtin(rel: &str, text: impl Into<String>) -> LibraryFile {
        LibraryFile {
            text: text.into(),
            shown_as: format!("{BUILTIN_PREFIX}/{rel}"),
        }
    }
}

/// The files of the built-in library, by path relative to `templates/`.
pub fn builtin_files() -> BTreeMap<String, LibraryFile> {
    let mut files = BTreeMap::new();
    collect(&BUILTIN, &mut files);
    files
}

/// Lays the files of a user folder over `files`: the same relative path replaces, a new one adds.
/// A file that cannot be read is an error; there is no silent fallback to the built-in text.
pub fn overlay(
    files: &mut BTreeMap<String, LibraryFile>,
    dir: &Path,
) -> Result<(), Vec<Diagnostic>> {
    fn walk(
        dir: &Path,
        root: &Path,
        files: &mut BTreeMap<String, LibraryFile>,
        errors: &mut Vec<Diagnostic>,
    ) {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                errors.push(Diagnostic::error(
                    Some(Location::file(dir)),
                    format!("cannot read the template folder: {e}"),
                ));
                return;
            }
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                walk(&path, root, files, errors);
                continue;
            }
            let wanted = path
                .extension()
                .is_some_and(|x| x == "md" || x == "toml" || x == "typ")
                || (path.extension().is_some_and(|x| x == "json")
                    && path
                        .parent()
                        .is_some_and(|p| p == root.join(EXAMPLES_FOLDER)));
            let Some(rel) = path.strip_prefix(root).ok().filter(|_| wanted) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    files.insert(
                        rel,
                        LibraryFile {
                            text,
                            shown_as: path.display().to_string(),
                        },
                    );
                }
                Err(e) => errors.push(Diagnostic::error(
                    Some(Location::file(&path)),
                    format!("cannot read the template: {e}"),
                )),
            }
        }
    }
    if !dir.is_dir() {
        return Err(vec![Diagnostic::error(
            Some(Location::file(dir)),
            "the template folder does not exist",
        )]);
    }
    let mut errors = Vec::new();
    walk(dir, dir, files, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Where a file of a library comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "path")]
pub enum FileOrigin {
    /// Compiled into annex (`templates/`).
    BuiltIn,
    /// The user's file at this path replaces the built-in file of the same relative path.
    Override(String),
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
}

impl Files {
    /// The built-in files, with `dir` laid over them if given.
    pub fn load(dir: Option<&Path>) -> Result<Files, Vec<Diagnostic>> {
        let mut files = builtin_files();
        let mut origins: BTreeMap<String, FileOrigin> = files
            .keys()
            .map(|rel| (rel.clone(), FileOrigin::BuiltIn))
            .collect();
        if let Some(dir) = dir {
            let mut user = BTreeMap::new();
            overlay(&mut user, dir)?;
            for (rel, file) in user {
                let origin = if files.contains_key(&rel) {
                    FileOrigin::Override(file.shown_as.clone())
                } else {
                    FileOrigin::Addition(file.shown_as.clone())
                };
                origins.insert(rel.clone(), origin);
                files.insert(rel, file);
            }
        }
        Ok(Files { files, origins })
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

//! What a user's folder changes in the built-in library: `annex templates diff`, and the record
//! `annex templates eject` leaves ([`BASE_FILE`]) so that `annex templates check` can warn, after
//! an upgrade of annex, when a built-in file changed under a file of the folder.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use super::{FileOrigin, Files, builtin_files};
use crate::diagnostic::{Diagnostic, Location, TextError};

/// The record of the built-in files a folder was ejected from, in the folder.
pub const BASE_FILE: &str = "annex-base.toml";

/// The files that merge with the built-in ones instead of replacing them.
pub const MERGED: [&str; 3] = ["topics.toml", "locale/de.toml", "locale/en.toml"];

/// The most lines of one file `annex templates diff` compares (a clause has a few hundred).
const MAX_DIFF_LINES: usize = 20_000;

/// The content of [`BASE_FILE`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Base {
    /// The version of annex that wrote the folder.
    pub annex: String,
    /// SHA-256 of each built-in file then, by its path in the library.
    pub sha256: BTreeMap<String, String>,
}

impl Base {
    /// The built-in library of this annex.
    pub fn current() -> Base {
        Base {
            annex: env!("CARGO_PKG_VERSION").to_owned(),
            sha256: builtin_files()
                .into_iter()
                .map(|(rel, f)| (rel, crate::digest::sha256_hex(f.text.as_bytes())))
                .collect(),
        }
    }

    /// The text of [`BASE_FILE`].
    pub fn to_text(&self) -> String {
        let mut out = String::from(
            "# Written by `annex templates eject`: the built-in files this folder was copied from.\n\
             # `annex templates check` warns when one of them has changed in annex since, under a\n\
             # file of this folder. Leave this file as it is.\n",
        );
        let _ = writeln!(out, "annex = {:?}\n\n[sha256]", self.annex);
        for (rel, sha) in &self.sha256 {
            let _ = writeln!(out, "{rel:?} = {sha:?}");
        }
        out
    }

    /// Parses [`BASE_FILE`].
    pub fn parse(text: &str) -> Result<Base, TextError> {
        toml::from_str(text).map_err(TextError::from)
    }
}

/// A warning for each file of the folder whose built-in file has changed since the folder was
/// ejected (by the record `base`).
pub fn upgraded(files: &Files, base: &Base) -> Vec<Diagnostic> {
    let now = Base::current();
    let mut warnings = Vec::new();
    for (rel, origin) in &files.origins {
        let (FileOrigin::Override(path) | FileOrigin::Copy(path)) = origin else {
            continue;
        };
        let (Some(then), Some(current)) = (base.sha256.get(rel), now.sha256.get(rel)) else {
            continue;
        };
        if then == current {
            continue;
        }
        let version = &base.annex;
        let (message, hint) = match origin {
            FileOrigin::Copy(_) => (
                crate::text!(
                    en: "the built-in {rel} has changed since this folder was copied from annex {version}; this file is the old text, unchanged",
                    de: "die eingebaute Datei {rel} hat sich geändert, seit dieser Ordner aus annex {version} kopiert wurde; diese Datei enthält noch den alten Text, unverändert",
                ),
                crate::text!(
                    en: "delete this file to use the new built-in text, or copy the new text over it (`annex templates eject` into another folder writes it)",
                    de: "löschen Sie diese Datei, um den neuen eingebauten Text zu verwenden, oder kopieren Sie den neuen Text darüber (`annex templates eject` in einen anderen Ordner schreibt ihn)",
                ),
            ),
            _ => (
                crate::text!(
                    en: "the built-in {rel} has changed since this folder was copied from annex {version}, and this file replaces it",
                    de: "die eingebaute Datei {rel} hat sich geändert, seit dieser Ordner aus annex {version} kopiert wurde, und diese Datei ersetzt sie",
                ),
                crate::text!(
                    en: "read what changed in the built-in text (eject into another folder and compare) and take over what applies; `annex templates diff` shows what your file changes",
                    de: "lesen Sie, was sich im eingebauten Text geändert hat (mit `annex templates eject` in einen anderen Ordner kopieren und vergleichen), und übernehmen Sie, was zutrifft; `annex templates diff` zeigt, was Ihre Datei ändert",
                ),
            ),
        };
        warnings.push(Diagnostic::warning(Some(Location::file(path)), message).hint(hint));
    }
    warnings
}

/// The changes of the folder against the built-in library: a unified diff for each file that
/// replaces a built-in one with another text, the list of files that are new. Empty if the
/// folder changes nothing.
pub fn diff(files: &Files) -> String {
    let builtin = builtin_files();
    let mut out = String::new();
    let mut added = Vec::new();
    for (rel, origin) in &files.origins {
        match origin {
            FileOrigin::Override(path) => {
                let (Some(old), Some(new)) = (builtin.get(rel), files.files.get(rel)) else {
                    continue;
                };
                if old.text.lines().count().max(new.text.lines().count()) > MAX_DIFF_LINES {
                    let _ = writeln!(
                        out,
                        "{path}: too long to compare (over {MAX_DIFF_LINES} lines)\n"
                    );
                    continue;
                }
                if MERGED.contains(&rel.as_str()) {
                    let _ = writeln!(
                        out,
                        "# {path} is merged with the built-in {rel}: what it leaves out keeps its built-in text, it is not removed"
                    );
                }
                let diff = similar::TextDiff::from_lines(&old.text, &new.text);
                let _ = write!(
                    out,
                    "{}",
                    diff.unified_diff()
                        .context_radius(2)
                        .header(&format!("built-in {rel}"), path)
                );
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            FileOrigin::Addition(path) => added.push(path.clone()),
            FileOrigin::BuiltIn | FileOrigin::Copy(_) => {}
        }
    }
    for path in added {
        let _ = writeln!(out, "new file: {path}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_record_reads_back() {
        let base = Base::current();
        assert_eq!(Base::parse(&base.to_text()).unwrap(), base);
        assert!(base.sha256.contains_key("topics.toml"));
    }
}

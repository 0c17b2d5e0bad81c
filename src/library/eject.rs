//! `annex templates eject`: copies the built-in library into a folder, ready to edit and to
//! use with `--templates`.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location};

/// Writes every file of the built-in library under `dir` (created if missing). Without
/// `force`, nothing is written if any of the files exists already. Returns the files written,
/// by path relative to `dir`, in name order.
pub fn eject(dir: &Path, force: bool) -> Result<Vec<String>, Diagnostic> {
    let mut files = super::builtin_files();
    // The record of what was copied, for the check after an upgrade of annex.
    files.insert(
        super::changes::BASE_FILE.to_owned(),
        super::LibraryFile::builtin(
            super::changes::BASE_FILE,
            super::changes::Base::current().to_text(),
        ),
    );
    if dir.exists() && !dir.is_dir() {
        return Err(Diagnostic::error(
            Some(Location::file(dir)),
            crate::text!(
                en: "this is a file, not a folder",
                de: "dies ist eine Datei, kein Ordner",
            ),
        )
        .hint(crate::text!(
            en: "name a new folder to copy the templates into",
            de: "geben Sie einen neuen Ordner an, in den die Vorlagen kopiert werden sollen",
        )));
    }
    // A link (also a dangling one) in the way is never written through: it could point anywhere.
    let linked = files.keys().find_map(|rel| {
        let mut at = dir.to_path_buf();
        rel.split('/').find_map(|part| {
            at.push(part);
            std::fs::symlink_metadata(&at)
                .is_ok_and(|m| m.file_type().is_symlink())
                .then(|| at.clone())
        })
    });
    if let Some(link) = linked {
        return Err(Diagnostic::error(
            Some(Location::file(&link)),
            crate::text!(
                en: "a symbolic link is in the way; annex does not write through links, nothing was written",
                de: "ein symbolischer Link steht im Weg; annex schreibt nicht über Links, es wurde nichts geschrieben",
            ),
        )
        .hint(crate::text!(
            en: "remove the link, or name another folder",
            de: "entfernen Sie den Link oder geben Sie einen anderen Ordner an",
        )));
    }
    let exists = |p: &Path| std::fs::symlink_metadata(p).is_ok();
    if !force && let Some(existing) = files.keys().map(|rel| dir.join(rel)).find(|p| exists(p)) {
        return Err(Diagnostic::error(
            Some(Location::file(&existing)),
            crate::text!(
                en: "the file exists already; nothing was written",
                de: "die Datei existiert bereits; es wurde nichts geschrieben",
            ),
        )
        .hint(crate::text!(
            en: "use `--force` to overwrite the files of the folder with the built-in ones (your changes to them are lost), or name another folder",
            de: "verwenden Sie `--force`, um die Dateien des Ordners mit den eingebauten zu überschreiben (Ihre Änderungen daran gehen verloren), oder geben Sie einen anderen Ordner an",
        )));
    }
    let mut written = Vec::with_capacity(files.len());
    for (rel, file) in &files {
        let path: PathBuf = dir.join(rel);
        let io = |e: std::io::Error, p: &Path| {
            // The words of the operating system, in our sentence.
            Diagnostic::error(
                Some(Location::file(p)),
                crate::text!(en: "cannot write: {e}", de: "Speichern nicht möglich: {e}"),
            )
            .hint(crate::text!(
                en: "check that the folder may be written to, or name another folder",
                de: "prüfen Sie, ob in den Ordner geschrieben werden darf, oder geben Sie einen anderen Ordner an",
            ))
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(e, parent))?;
        }
        std::fs::write(&path, &file.text).map_err(|e| io(e, &path))?;
        written.push(rel.clone());
    }
    Ok(written)
}

/// A short account of the files written: one line per folder with the number of files, the
/// files at the top level by name.
pub fn summary(written: &[String]) -> Vec<String> {
    let mut folders: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut top = Vec::new();
    for rel in written {
        match rel.rsplit_once('/') {
            Some((folder, _)) => *folders.entry(folder).or_default() += 1,
            None => top.push(rel.clone()),
        }
    }
    let mut lines = top;
    for (folder, n) in folders {
        lines.push(format!(
            "{folder}/ ({})",
            crate::language::count(n, "file", "files")
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use crate::language::Language;

    #[test]
    fn a_file_in_the_way_is_refused_in_both_languages() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("templates");
        std::fs::write(&file, "x").unwrap();
        let d = super::eject(&file, false).unwrap_err();
        assert_eq!(d.message.en(), "this is a file, not a folder");
        assert_eq!(
            d.message.get(Language::De),
            "dies ist eine Datei, kein Ordner"
        );
        assert_eq!(
            d.hints[0].get(Language::De),
            "geben Sie einen neuen Ordner an, in den die Vorlagen kopiert werden sollen"
        );
    }
}

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
        return Err(
            Diagnostic::error(Some(Location::file(dir)), "this is a file, not a folder")
                .hint("name a new folder to copy the templates into"),
        );
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
            "a symbolic link is in the way; annex does not write through links, nothing was written",
        )
        .hint("remove the link, or name another folder"));
    }
    let exists = |p: &Path| std::fs::symlink_metadata(p).is_ok();
    if !force && let Some(existing) = files.keys().map(|rel| dir.join(rel)).find(|p| exists(p)) {
        return Err(Diagnostic::error(
            Some(Location::file(&existing)),
            "the file exists already; nothing was written",
        )
        .hint("use `--force` to overwrite the files of the folder with the built-in ones (your changes to them are lost), or name another folder"));
    }
    let mut written = Vec::with_capacity(files.len());
    for (rel, file) in &files {
        let path: PathBuf = dir.join(rel);
        let io = |e: std::io::Error, p: &Path| {
            Diagnostic::error(Some(Location::file(p)), format!("cannot write: {e}"))
                .hint("check that the folder may be written to, or name another folder")
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
            "{folder}/ ({n} {})",
            if n == 1 { "file" } else { "files" }
        ));
    }
    lines
}

//! Writing an annex: `DIR/<id>.md`, `DIR/<id>.pdf` and their companions, each atomically,
//! nowhere else. A draft's files are `DIR/<id>.draft.md`, `DIR/<id>.draft.pdf`, …
//! ([`file_name`]): a draft never replaces the final annex, and no file named like a final
//! annex is ever a draft.
//!
//! Atomic means: a file is written under a temporary name in the same folder and renamed when
//! complete, so a reader, or a run killed at any moment, never leaves half a file under an
//! output name. annex does not force the data to disk (no fsync): after a power failure the
//! operating system decides what survived; the run report lists every file with its SHA-256
//! to check against.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location};
use crate::failure::Failure;
use crate::language::Localized;
use crate::text;
use crate::typeset::Annex;

/// A file written, with the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Where it is.
    pub path: PathBuf,
    /// SHA-256 of the content, lowercase hex.
    pub sha256: String,
}

/// Writes the requested files of an annex into `dir` and returns their paths.
///
/// Every file is written to a temporary file in `dir` first and then renamed, so a reader never
/// sees half a file and an interrupted run leaves none behind. The file name comes from the
/// validated annex id, which cannot contain a path separator or `..`.
pub fn write(annex: &Annex, dir: &Path) -> Result<Vec<Written>, Failure> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, create_output_folder(), &e))?;
    let coverage = serde_json::to_vec_pretty(&annex.coverage).map_err(Failure::internal)?;
    let name = |ext: &str| dir.join(annex.id.file_name(annex.draft, ext));
    let mut files: Vec<(PathBuf, &[u8])> = vec![(name("coverage.json"), &coverage)];
    // The DORA register of information, whatever the formats (like the manifest).
    if let Some(register) = &annex.register {
        files.push((name("dora-register.csv"), register.as_bytes()));
    }
    if annex.formats.markdown {
        files.push((name("md"), annex.markdown.as_bytes()));
    }
    if let Some(pdf) = annex.pdf.as_ref().filter(|_| annex.formats.pdf) {
        files.push((name("pdf"), &pdf.bytes));
    }
    if let Some(docx) = annex.docx.as_ref().filter(|_| annex.formats.docx) {
        files.push((name("docx"), docx));
    }
    if annex.formats.typst {
        let sub = name("typst");
        // Never write through a link (it could point anywhere) or into a file's place.
        match std::fs::symlink_metadata(&sub) {
            Ok(meta) if meta.file_type().is_symlink() || !meta.is_dir() => {
                return Err(Failure::io(
                    Diagnostic::error(
                        Some(Location::file(&sub)),
                        if meta.file_type().is_symlink() {
                            text!(
                                en: "a symbolic link is in the way of the output folder; annex does not write through links",
                                de: "ein symbolischer Link steht dem Ausgabeordner im Weg; annex schreibt nicht über Links",
                            )
                        } else {
                            text!(
                                en: "a file is in the way of the output folder",
                                de: "eine Datei steht dem Ausgabeordner im Weg",
                            )
                        },
                    )
                    .hint(text!(
                        en: "remove or rename it, or choose another output folder with -o",
                        de: "entfernen Sie sie oder benennen Sie sie um, oder wählen Sie mit -o einen anderen Ausgabeordner",
                    )),
                ));
            }
            _ => {}
        }
        let typst = &annex.typst;
        files.extend([
            (sub.join("main.typ"), typst.main.as_bytes()),
            (sub.join("body.typ"), typst.body.as_bytes()),
            (sub.join("annex.json"), typst.data.as_slice()),
        ]);
        // Checked before anything is written: all of the annex's files or none.
        let manifest = name("manifest.json");
        in_the_way(
            files
                .iter()
                .map(|(p, _)| p.as_path())
                .chain([manifest.as_path()]),
        )?;
        std::fs::create_dir_all(&sub).map_err(|e| {
            let what = text!(
                en: "cannot create the folder",
                de: "der Ordner kann nicht angelegt werden",
            );
            io_error(&sub, what, &e)
        })?;
    }
    // The manifest file last: it records every other file with its digest, so that the next
    // run can tell whether they are still as written ([`crate::up_to_date`]).
    let mut hashed: Vec<(PathBuf, &[u8], String)> = files
        .into_iter()
        .map(|(path, bytes)| (path, bytes, crate::digest::sha256_hex(bytes)))
        .collect();
    let mut manifest = annex.provenance.clone();
    manifest.output = Some(crate::manifest::Output {
        build: crate::manifest::BUILD.to_owned(),
        options: annex.options.clone(),
        files: hashed
            .iter()
            .map(|(path, _, sha256)| crate::manifest::Hashed {
                path: relative(path, dir),
                sha256: sha256.clone(),
            })
            .collect(),
    });
    let manifest = serde_json::to_string_pretty(&manifest).map_err(Failure::internal)?;
    let manifest_sha256 = crate::digest::sha256_hex(manifest.as_bytes());
    hashed.push((name("manifest.json"), manifest.as_bytes(), manifest_sha256));
    write_hashed(&hashed)
}

/// `path` inside `dir`, with `/` between its parts, as the manifest records it.
fn relative(path: &Path, dir: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Writes `report.json` (or any other run-level file) into `dir`, atomically.
pub fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, Failure> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, create_output_folder(), &e))?;
    let path = dir.join(name);
    write_all(&[(path.clone(), bytes)])?;
    Ok(path)
}

/// Writes several files into `dir` together: all of them or, on a failure, none.
pub fn write_files(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<Written>, Failure> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, create_output_folder(), &e))?;
    let files: Vec<(PathBuf, &[u8])> = files
        .iter()
        .map(|(name, bytes)| (dir.join(name), bytes.as_slice()))
        .collect();
    write_all(&files)
}

/// An error if a folder stands where one of the files goes.
fn in_the_way<'p>(paths: impl IntoIterator<Item = &'p Path>) -> Result<(), Failure> {
    match paths.into_iter().find(|path| path.is_dir()) {
        Some(path) => Err(Failure::io(
            Diagnostic::error(
                Some(Location::file(path)),
                text!(
                    en: "a folder is in the way of the output file",
                    de: "ein Ordner steht der Ausgabedatei im Weg",
                ),
            )
            .hint(text!(
                en: "remove or rename the folder, or choose another output folder with -o",
                de: "entfernen Sie den Ordner oder benennen Sie ihn um, oder wählen Sie mit -o einen anderen Ausgabeordner",
            )),
        )),
        None => Ok(()),
    }
}

/// Stages every file as a temporary file in its folder, then renames them all, so a failure
/// leaves no new file behind and a reader never sees half a file.
fn write_all(files: &[(PathBuf, &[u8])]) -> Result<Vec<Written>, Failure> {
    let hashed: Vec<(PathBuf, &[u8], String)> = files
        .iter()
        .map(|(path, bytes)| (path.clone(), *bytes, crate::digest::sha256_hex(bytes)))
        .collect();
    write_hashed(&hashed)
}

/// [`write_all`] for files whose SHA-256 is known.
fn write_hashed(files: &[(PathBuf, &[u8], String)]) -> Result<Vec<Written>, Failure> {
    // A folder in the way of any file: nothing is written.
    in_the_way(files.iter().map(|(p, _, _)| p.as_path()))?;
    let mut staged = Vec::new();
    for (path, bytes, _) in files {
        let folder = path.parent().unwrap_or(Path::new("."));
        let mut tmp = tempfile::Builder::new()
            .prefix(&temporary_prefix(std::process::id()))
            .tempfile_in(folder)
            .map_err(|e| {
                let what = text!(
                    en: "cannot create a file in the output folder",
                    de: "im Ausgabeordner kann keine Datei angelegt werden",
                );
                io_error(path, what, &e)
            })?;
        tmp.write_all(bytes)
            .and_then(|_| readable_by_all(tmp.as_file()))
            .map_err(|e| io_error(path, cannot_write(), &e))?;
        staged.push((tmp, path));
    }
    let mut written = Vec::new();
    for ((tmp, path), (_, _, sha256)) in staged.into_iter().zip(files) {
        tmp.persist(path)
            .map_err(|e| io_error(path, cannot_write(), &e.error))?;
        written.push(Written {
            path: path.to_path_buf(),
            sha256: sha256.clone(),
        });
    }
    Ok(written)
}

/// What [`io_error`] says of the output folder that cannot be created.
fn create_output_folder() -> Localized {
    text!(
        en: "cannot create the output folder",
        de: "der Ausgabeordner kann nicht angelegt werden",
    )
}

/// What [`io_error`] says of a file that cannot be written.
fn cannot_write() -> Localized {
    text!(
        en: "cannot write",
        de: "die Datei kann nicht geschrieben werden",
    )
}

/// `<what>: <reason>` at `path` (`what` is "cannot …"), in plain words, with what to do where
/// that is clear.
fn io_error(path: &Path, what: Localized, e: &std::io::Error) -> Failure {
    use std::io::ErrorKind;
    let (reason, hint) = match e.kind() {
        ErrorKind::PermissionDenied => (
            text!(en: "permission denied", de: "keine Berechtigung"),
            Some(text!(
                en: "the user running annex may not write here: make the folder writable for it, or choose another output folder with -o",
                de: "der Benutzer, unter dem annex läuft, darf hier nicht schreiben: machen Sie den Ordner für ihn beschreibbar, oder wählen Sie mit -o einen anderen Ausgabeordner",
            )),
        ),
        ErrorKind::ReadOnlyFilesystem => (
            text!(
                en: "the file system is read-only",
                de: "das Dateisystem ist schreibgeschützt",
            ),
            Some(text!(
                en: "mount it writable, or choose another output folder with -o",
                de: "binden Sie es beschreibbar ein, oder wählen Sie mit -o einen anderen Ausgabeordner",
            )),
        ),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => (
            text!(en: "the disk is full", de: "der Datenträger ist voll"),
            Some(text!(
                en: "free some space, or choose another output folder with -o",
                de: "schaffen Sie Platz, oder wählen Sie mit -o einen anderen Ausgabeordner",
            )),
        ),
        // The operating system's words, without the temporary file's name that tempfile adds.
        _ => (
            Localized::verbatim(e.raw_os_error().map_or_else(
                || e.to_string(),
                |code| std::io::Error::from_raw_os_error(code).to_string(),
            )),
            None,
        ),
    };
    let message = Localized::each(|lang| format!("{}: {}", what.get(lang), reason.get(lang)));
    let diagnostic = Diagnostic::error(Some(Location::file(path)), message);
    Failure::io(match hint {
        Some(hint) => diagnostic.hint(hint),
        None => diagnostic,
    })
}

/// The start of the name of a temporary file that process `pid` writes: `.annex-<pid>-`.
fn temporary_prefix(pid: u32) -> String {
    format!(".annex-{pid}-")
}

/// Removes the temporary files that killed runs left in `dir` (`.annex-<pid>-…` of a process
/// that no longer runs) and returns how many. A run that is killed cannot remove its own
/// temporary files; the next run into the same folder does. Files of processes that still run
/// (another annex writing into the same folder) are kept. Only where running processes can be
/// seen (`/proc`); elsewhere nothing is removed.
pub fn remove_stale_temporaries(dir: &Path) -> usize {
    let proc = Path::new("/proc/self");
    if !proc.exists() {
        return 0;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(".annex-"))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let running = Path::new("/proc").join(pid.to_string()).exists();
        if !running
            && entry.file_type().is_ok_and(|t| t.is_file())
            && std::fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// Temporary files are created private; the outputs are ordinary documents.
#[cfg(unix)]
pub fn readable_by_all(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
pub fn readable_by_all(_: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Language;

    #[test]
    fn a_refused_write_says_why_in_both_languages() {
        let e = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let failure = io_error(Path::new("out/a.pdf"), cannot_write(), &e);
        let d = &failure.diagnostics[0];
        assert_eq!(
            d.to_string(),
            "out/a.pdf: error: cannot write: permission denied\n  hint: the user running annex may not write here: make the folder writable for it, or choose another output folder with -o"
        );
        assert_eq!(
            d.display(Language::De).to_string(),
            "out/a.pdf: Fehler: die Datei kann nicht geschrieben werden: keine Berechtigung\n  Hinweis: der Benutzer, unter dem annex läuft, darf hier nicht schreiben: machen Sie den Ordner für ihn beschreibbar, oder wählen Sie mit -o einen anderen Ausgabeordner"
        );
    }

    #[test]
    fn the_words_of_the_operating_system_stay_as_they_are() {
        let e = std::io::Error::from_raw_os_error(36);
        let failure = io_error(Path::new("out"), create_output_folder(), &e);
        let message = &failure.diagnostics[0].message;
        let os = std::io::Error::from_raw_os_error(36).to_string();
        assert_eq!(
            message.en(),
            format!("cannot create the output folder: {os}")
        );
        assert_eq!(
            message.get(Language::De),
            format!("der Ausgabeordner kann nicht angelegt werden: {os}")
        );
    }
}

//! `annex init`: writes a starter project.

use std::io::Write as _;
use std::path::Path;

use annex::Failure;
use annex::diagnostic::{Diagnostic, Location};
use annex::project::{Language, starter};
use annex::text;

use super::{Ended, Exit};
use crate::cli::Lang;

pub fn run(file: &Path, lang: Lang, force: bool) -> Ended {
    let lang = match lang {
        Lang::De => Language::De,
        Lang::En => Language::En,
    };
    if !force && std::fs::symlink_metadata(file).is_ok() {
        return Err(Failure::usage(
            Diagnostic::error(
                Some(Location::file(file)),
                text!(
                    en: "the file exists already; nothing was written",
                    de: "die Datei existiert bereits; es wurde nichts geschrieben",
                ),
            )
            .hint(text!(
                en: "name another file, or use `--force` to overwrite it",
                de: "geben Sie eine andere Datei an, oder verwenden Sie `--force`, um sie zu überschreiben",
            )),
        ));
    }
    let io = |e: std::io::Error| {
        Failure::io(
            Diagnostic::error(
                Some(Location::file(file)),
                text!(
                    en: "cannot write: {e}",
                    de: "Speichern nicht möglich: {e}",
                ),
            )
            .hint(text!(
                en: "check that the folder exists and may be written to",
                de: "prüfen Sie, ob der Ordner existiert und beschrieben werden darf",
            )),
        )
    };
    // Written whole or not at all.
    let folder = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(folder).map_err(io)?;
    temp.write_all(starter(lang).as_bytes())
        .and_then(|_| annex::output::readable_by_all(temp.as_file()))
        .map_err(io)?;
    // Without --force, a file that appeared since the check above is not replaced either.
    if force {
        temp.persist(file).map_err(|e| io(e.error))?;
    } else {
        temp.persist_noclobber(file).map_err(|e| io(e.error))?;
    }
    let f = file.display();
    let marker = match lang {
        Language::De => "AUSFÜLLEN: …",
        Language::En => "FILL IN: …",
    };
    // About the project just written: in its language, unless annex.toml sets one.
    let confirmation = text!(
        en: "wrote {f}: a starter project; replace every \"{marker}\" value (delete an optional field that does not apply), then
  annex check {f}        reports each value still to fill in, at its line
  annex render {f}       writes the annex
the fields are described by `annex schema --markdown`",
        de: "{f} geschrieben: ein Projekt zum Ausfüllen; ersetzen Sie jeden Wert \"{marker}\" (löschen Sie ein optionales Feld, das nicht zutrifft), dann
  annex check {f}        meldet jeden noch auszufüllenden Wert mit seiner Zeile
  annex render {f}       schreibt die Anlage
die Felder beschreibt `annex schema --markdown`",
    );
    println!(
        "{}",
        confirmation.get(super::messages().for_project(Some(lang)))
    );
    Ok(Exit::Success)
}

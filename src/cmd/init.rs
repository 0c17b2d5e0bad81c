//! `annex init`: writes a starter project.

use std::io::Write as _;
use std::path::Path;

use annex::Failure;
use annex::diagnostic::{Diagnostic, Location};
use annex::project::{Language, starter};

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
                "the file exists already; nothing was written",
            )
            .hint("name another file, or use `--force` to overwrite it"),
        ));
    }
    let io = |e: std::io::Error| {
        Failure::io(
            Diagnostic::error(Some(Location::file(file)), format!("cannot write: {e}"))
                .hint("check that the folder exists and may be written to"),
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
    println!(
        "wrote {f}: a starter project; replace every \"{marker}\" value (delete an optional field that does not apply), then"
    );
    println!("  annex check {f}        reports each value still to fill in, at its line");
    println!("  annex render {f}       writes the annex");
    println!("the fields are described by `annex schema --markdown`");
    Ok(Exit::Success)
}

//! `annex.toml`: optional settings in the working directory, read by every command.
//!
//! ```toml
//! templates = "house-templates"   # the --templates folder, relative to annex.toml's folder
//! ```
//!
//! A command-line flag wins over the file. Unknown keys are errors, located in the file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Location, did_you_mean};

/// The name of the file, looked up in the working directory.
pub const FILE_NAME: &str = "annex.toml";

/// The keys `annex.toml` may contain.
pub const KEYS: [&str; 1] = ["templates"];

/// The settings of `annex.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The template folder laid over the built-in library (resolved against the folder of
    /// `annex.toml`), used when `--templates` is not given.
    pub templates: Option<PathBuf>,
    /// The file the settings came from, if any.
    pub file: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    templates: Option<String>,
}

impl Config {
    /// Reads `annex.toml` from `dir` (the working directory); no file means no settings.
    pub fn load(dir: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = if dir.as_os_str().is_empty() {
            PathBuf::from(FILE_NAME)
        } else {
            dir.join(FILE_NAME)
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(vec![
                Diagnostic::error(
                    Some(Location::file(&path)),
                    format!("cannot read the settings file: {e}"),
                )
                .hint(format!(
                    "{FILE_NAME} is optional: remove it, or make it a readable text file"
                )),
            ]),
        }
    }

    /// Parses the text of the settings file at `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let hint = format!(
            "{FILE_NAME} may contain: templates = \"FOLDER\" (the folder of your own templates, relative to {FILE_NAME})"
        );
        let at = |offset: usize| {
            let (line, column) = crate::diagnostic::line_column(text, offset);
            Location::at(path, line, column)
        };
        let toml_error = |e: toml::de::Error| {
            let location = e
                .span()
                .map_or_else(|| Location::at(path, 1, 1), |s| at(s.start));
            vec![
                Diagnostic::error(Some(location), e.message().trim_end().to_string())
                    .hint(hint.clone())
                    .with_source(text),
            ]
        };
        let table: toml::Table = toml::from_str(text).map_err(toml_error)?;
        let mut errors = Vec::new();
        for key in table.keys() {
            if KEYS.contains(&key.as_str()) {
                continue;
            }
            let mut d = Diagnostic::error(
                Some(key_location(path, text, key)),
                format!("unknown setting `{key}`"),
            );
            if let Some(s) = did_you_mean(key, KEYS) {
                d.message.push_str(&format!(", did you mean `{s}`?"));
            }
            errors.push(d.hint(hint.clone()).with_source(text));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let raw: Raw = toml::from_str(text).map_err(toml_error)?;
        let base = path.parent().unwrap_or(Path::new(""));
        let templates = match raw.templates {
            Some(t) if t.trim().is_empty() => {
                return Err(vec![
                    Diagnostic::error(
                        Some(key_location(path, text, "templates")),
                        "`templates` is empty",
                    )
                    .hint(hint)
                    .with_source(text),
                ]);
            }
            Some(t) => {
                let dir = base.join(&t);
                if !dir.is_dir() {
                    return Err(vec![
                        Diagnostic::error(
                            Some(key_location(path, text, "templates")),
                            format!("the template folder `{}` does not exist", dir.display()),
                        )
                        .hint(format!("the folder is relative to {FILE_NAME}; create it with `annex templates eject {t}`"))
                        .with_source(text),
                    ]);
                }
                Some(dir)
            }
            None => None,
        };
        Ok(Config {
            templates,
            file: Some(path.to_path_buf()),
        })
    }

    /// The template folder to use: the command line's, else the configured one.
    pub fn templates<'a>(&'a self, flag: Option<&'a Path>) -> Option<&'a Path> {
        flag.or(self.templates.as_deref())
    }
}

/// Where `key = …` starts in the file (the first line that assigns it), else its start.
fn key_location(path: &Path, text: &str, key: &str) -> Location {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let bare = trimmed
            .strip_prefix('"')
            .and_then(|r| r.strip_prefix(key))
            .and_then(|r| r.strip_prefix('"'))
            .or_else(|| trimmed.strip_prefix(key));
        if bare.is_some_and(|r| r.trim_start().starts_with('=')) {
            let column = line.chars().count() - trimmed.chars().count() + 1;
            return Location::at(path, i + 1, column);
        }
    }
    Location::at(path, 1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_located_with_a_suggestion() {
        let e = Config::parse(Path::new("annex.toml"), "# mine\ntemplate = \"x\"\n").unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "annex.toml:2:1: error: unknown setting `template`, did you mean `templates`?\n  |\n2 | template = \"x\"\n  | ^\n  hint: annex.toml may contain: templates = \"FOLDER\" (the folder of your own templates, relative to annex.toml)"
        );
    }

    #[test]
    fn templates_is_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("mine")).unwrap();
        let file = dir.path().join(FILE_NAME);
        let c = Config::parse(&file, "templates = \"mine\"\n").unwrap();
        assert_eq!(c.templates, Some(dir.path().join("mine")));
        assert_eq!(
            c.templates(Some(Path::new("flag"))),
            Some(Path::new("flag"))
        );
        let e = Config::parse(&file, "templates = 3\n").unwrap_err();
        assert!(
            e[0].to_string().contains("annex.toml:1:13: error:"),
            "{}",
            e[0]
        );
        assert_eq!(
            Config::load(Path::new("/nonexistent-dir")).unwrap(),
            Config::default()
        );
    }
}

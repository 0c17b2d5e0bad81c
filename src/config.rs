//! `annex.toml`: optional settings in the working directory, read by every command.
//!
//! ```toml
//! templates = "house-templates"   # the --templates folder, relative to annex.toml's folder
//! lang = "de"                     # the language of annex's messages: de or en
//! fonts = ["fonts"]               # folders of fonts added to the embedded ones
//! ```
//!
//! A command-line flag wins over the file (`--font-path` adds to `fonts`, and its fonts come
//! first). Unknown keys are errors, located in the file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Location, did_you_mean};
use crate::language::{Language, Localized};
use crate::text;

/// The name of the file, looked up in the working directory.
pub const FILE_NAME: &str = "annex.toml";

/// The keys `annex.toml` may contain.
pub const KEYS: [&str; 3] = ["templates", "lang", "fonts"];

/// The settings of `annex.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The template folder laid over the built-in library (resolved against the folder of
    /// `annex.toml`), used when `--templates` is not given.
    pub templates: Option<PathBuf>,
    /// The language of annex's messages (`lang = "de"`); without it, messages about a project
    /// are in the project's language and all others in English.
    pub lang: Option<Language>,
    /// Folders (or files) of fonts added to the embedded ones (resolved against the folder of
    /// `annex.toml`), after those of `--font-path`.
    pub fonts: Vec<PathBuf>,
    /// The file the settings came from, if any.
    pub file: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    templates: Option<String>,
    lang: Option<String>,
    fonts: Option<Vec<String>>,
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
                    text!(
                        en: "cannot read the settings file: {e}",
                        de: "die Einstellungsdatei kann nicht gelesen werden: {e}",
                    ),
                )
                .hint(text!(
                    en: "{FILE_NAME} is optional: remove it, or make it a readable text file",
                    de: "{FILE_NAME} ist optional: löschen Sie die Datei, oder machen Sie sie zu einer lesbaren Textdatei",
                )),
            ]),
        }
    }

    /// Parses the text of the settings file at `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let hint = text!(
            en: "{FILE_NAME} may contain: templates = \"FOLDER\" (the folder of your own templates, relative to {FILE_NAME}), lang = \"de\" or \"en\" (the language of annex's messages) and fonts = [\"FOLDER\", …] (folders of fonts added to the embedded ones, relative to {FILE_NAME})",
            de: "{FILE_NAME} darf enthalten: templates = \"ORDNER\" (der Ordner Ihrer eigenen Vorlagen, relativ zu {FILE_NAME}), lang = \"de\" oder \"en\" (die Sprache der Meldungen von annex) und fonts = [\"ORDNER\", …] (Ordner mit Schriftarten, die zu den eingebetteten hinzukommen, relativ zu {FILE_NAME})",
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
                Diagnostic::error(Some(location), Localized::verbatim(e.message().trim_end()))
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
                text!(en: "unknown setting `{key}`", de: "unbekannte Einstellung `{key}`"),
            );
            if let Some(s) = did_you_mean(key, KEYS) {
                d.message
                    .push(&crate::text!(en: ", did you mean `{s}`?", de: ", meinten Sie `{s}`?"));
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
                        text!(en: "`templates` is empty", de: "`templates` ist leer"),
                    )
                    .hint(hint)
                    .with_source(text),
                ]);
            }
            Some(t) => {
                let dir = base.join(&t);
                if !dir.is_dir() {
                    let shown = dir.display();
                    return Err(vec![
                        Diagnostic::error(
                            Some(key_location(path, text, "templates")),
                            text!(
                                en: "the template folder `{shown}` does not exist",
                                de: "den Vorlagenordner `{shown}` gibt es nicht",
                            ),
                        )
                        .hint(text!(
                            en: "the folder is relative to {FILE_NAME}; create it with `annex templates eject {t}`",
                            de: "der Ordner ist relativ zu {FILE_NAME}; legen Sie ihn mit `annex templates eject {t}` an",
                        ))
                        .with_source(text),
                    ]);
                }
                Some(dir)
            }
            None => None,
        };
        let lang = match raw.lang {
            None => None,
            Some(code) => match Language::parse(&code.trim().to_ascii_lowercase()) {
                Some(lang) => Some(lang),
                None => {
                    return Err(vec![
                        Diagnostic::error(
                            Some(key_location(path, text, "lang")),
                            text!(
                                en: "`lang` is \"{code}\", which is not a language of annex",
                                de: "`lang` ist \"{code}\", keine Sprache von annex",
                            ),
                        )
                        .hint(text!(
                            en: "write lang = \"de\" (German messages) or lang = \"en\" (English messages)",
                            de: "schreiben Sie lang = \"de\" (Meldungen auf Deutsch) oder lang = \"en\" (Meldungen auf Englisch)",
                        ))
                        .with_source(text),
                    ]);
                }
            },
        };
        let mut fonts = Vec::new();
        for folder in raw.fonts.unwrap_or_default() {
            let dir = base.join(&folder);
            if folder.trim().is_empty() || !dir.exists() {
                let shown = dir.display();
                let message = if folder.trim().is_empty() {
                    text!(en: "`fonts` names an empty folder", de: "`fonts` nennt einen leeren Ordnernamen")
                } else {
                    text!(
                        en: "the font folder `{shown}` does not exist",
                        de: "den Schriftordner `{shown}` gibt es nicht",
                    )
                };
                return Err(vec![
                    Diagnostic::error(Some(key_location(path, text, "fonts")), message)
                        .hint(text!(
                            en: "the folders of `fonts` are relative to {FILE_NAME}; each holds font files (.ttf, .otf, .ttc, .otc)",
                            de: "die Ordner von `fonts` sind relativ zu {FILE_NAME}; jeder enthält Schriftdateien (.ttf, .otf, .ttc, .otc)",
                        ))
                        .with_source(text),
                ]);
            }
            fonts.push(dir);
        }
        Ok(Config {
            templates,
            lang,
            fonts,
            file: Some(path.to_path_buf()),
        })
    }

    /// The template folder to use: the command line's, else the configured one.
    pub fn templates<'a>(&'a self, flag: Option<&'a Path>) -> Option<&'a Path> {
        flag.or(self.templates.as_deref())
    }

    /// The font folders to use: those of the command line (`--font-path`), then the
    /// configured ones. Where two fonts are equally good for a character, the first wins.
    pub fn fonts(&self, flag: &[PathBuf]) -> Vec<PathBuf> {
        let mut all = flag.to_vec();
        all.extend(self.fonts.iter().filter(|f| !flag.contains(f)).cloned());
        all
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
            e[0].display(Language::En).to_string(),
            "annex.toml:2:1: error: unknown setting `template`, did you mean `templates`?\n  |\n2 | template = \"x\"\n  | ^\n  hint: annex.toml may contain: templates = \"FOLDER\" (the folder of your own templates, relative to annex.toml), lang = \"de\" or \"en\" (the language of annex's messages) and fonts = [\"FOLDER\", …] (folders of fonts added to the embedded ones, relative to annex.toml)"
        );
        assert!(
            e[0].display(Language::De)
                .to_string()
                .starts_with("annex.toml:2:1: Fehler: unbekannte Einstellung `template`, meinten Sie `templates`?"),
            "{}",
            e[0].display(Language::De)
        );
    }

    #[test]
    fn lang_chooses_the_language_of_messages() {
        let file = Path::new("annex.toml");
        assert_eq!(
            Config::parse(file, "lang = \"DE\"\n").unwrap().lang,
            Some(Language::De)
        );
        assert_eq!(Config::parse(file, "").unwrap().lang, None);
        let e = Config::parse(file, "\nlang = \"fr\"\n").unwrap_err();
        assert!(
            e[0].display(Language::En).to_string().starts_with(
                "annex.toml:2:1: error: `lang` is \"fr\", which is not a language of annex"
            ),
            "{}",
            e[0].display(Language::En)
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
        let shown = e[0].display(Language::En).to_string();
        assert!(shown.contains("annex.toml:1:13: error:"), "{shown}");
        assert_eq!(
            Config::load(Path::new("/nonexistent-dir")).unwrap(),
            Config::default()
        );
    }
}

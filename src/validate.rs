//! The validation stage: every check of a project that needs no layout, in one place.
//!
//! ```text
//! Loaded ──validate──▶ Validated
//! ```
//!
//! First the checks of the project on its own ([`crate::project::check`]) and of every value
//! against the fonts of the PDF; then, if those pass, the completion of the service levels
//! against the library's defaults and rules ([`Defaults::resolve`](crate::service_levels::Defaults::resolve))
//! and the topic ids the project names ([`crate::select::check_choices`]). Each step reports
//! all of its diagnostics.

use crate::diagnostic::{Diagnostic, Findings};
use crate::failure::Failure;
use crate::library::Library;
use crate::project::{self, Project, ProjectSource};
use crate::service_levels::Resolved;

/// A project file, read and parsed.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The project.
    pub project: Project,
    /// Its source text, for locating diagnostics.
    pub source: ProjectSource,
}

impl Loaded {
    /// Reads and parses a project file.
    pub fn read(path: &std::path::Path) -> Result<Loaded, Failure> {
        let (project, source) = project::read_project(path)?;
        Ok(Loaded { project, source })
    }
}

/// A project that passed every check that needs no layout.
#[derive(Debug, Clone)]
pub struct Validated {
    /// The project.
    pub project: Project,
    /// Its source text.
    pub source: ProjectSource,
    /// The service levels, completed with the defaults of the project's levels.
    pub resolved: Resolved,
    /// The warnings found so far.
    pub warnings: Vec<Diagnostic>,
}

/// Which characters the annex can print: the fonts of the PDF (the embedded ones and those
/// added with `--font-path` or `fonts` in annex.toml).
pub trait Printable {
    /// The first character of `text` that no font has, if any.
    fn unprintable(&self, text: &str) -> Option<char>;

    /// Whether fonts were added to the embedded ones (the message says so).
    fn fonts_added(&self) -> bool {
        false
    }
}

/// Validates a loaded project against a library and the fonts it is printed with.
pub fn validate(
    library: &Library,
    fonts: &dyn Printable,
    loaded: Loaded,
) -> Result<Validated, Failure> {
    let Loaded { project, source } = loaded;
    let mut findings = Findings::new();
    project::check(&project, &source, &mut findings);
    check_texts(fonts, &project, &source, &mut findings);
    if !findings.is_empty() {
        return Err(findings.finish(&source.path).into());
    }
    let resolved = library.defaults.resolve(&project, &source);
    let mut errors = crate::select::check_choices(library, &project, &source);
    let resolved = match resolved {
        Ok(resolved) if errors.is_empty() => resolved,
        Ok(_) => return Err(errors.into()),
        Err(mut first) => {
            first.append(&mut errors);
            return Err(first.into());
        }
    };
    let mut warnings = resolved.warnings.clone();
    warnings.extend(crate::regime::presumptions(
        &library.catalogue,
        &project,
        &source,
    ));
    Ok(Validated {
        project,
        source,
        resolved,
        warnings,
    })
}

/// The limits of the texts that make layout expensive (their length together, marks stacked
/// on one letter), and an error for every project value with a character that no font of
/// the PDF can print: the annex could not become a PDF (nor be printed from its Markdown as
/// written).
fn check_texts(
    fonts: &dyn Printable,
    project: &Project,
    source: &ProjectSource,
    out: &mut Findings,
) {
    let Ok(value) = serde_json::to_value(project) else {
        return;
    };
    // Every text, and the keys of the free values (a template may print a key).
    let mut texts = crate::json_text::strings(&value);
    texts.extend(variable_keys(&project.variables, "variables"));
    let total: usize = texts.iter().map(|(_, text)| text.chars().count()).sum();
    if total > MAX_TOTAL_CHARS {
        out.push_with(|| {
            Diagnostic::error(
                Some(crate::diagnostic::Location::file(&source.path)),
                crate::text!(
                    en: "the texts of the project have {total} characters together; at most {MAX_TOTAL_CHARS} are accepted",
                    de: "die Texte des Projekts haben zusammen {total} Zeichen; höchstens {MAX_TOTAL_CHARS} sind zulässig",
                ),
            )
            .hint(crate::text!(
                en: "an annex regulates; inventories, long descriptions and lists belong in separate attachments to the contract that the annex refers to",
                de: "eine Anlage regelt; Bestandsverzeichnisse, lange Beschreibungen und Listen gehören in gesonderte Dokumente zum Vertrag, auf die die Anlage verweist",
            ))
        });
    }
    for (path, text) in texts {
        if let Some((mark, count)) = stacked_marks(text) {
            out.push_with(|| {
                source
                    .error_at_char(
                        &path,
                        mark,
                        crate::text!(
                            en: "{count} combining marks stand on one letter; at most {MAX_MARKS} are accepted",
                            de: "auf einem Buchstaben stehen {count} kombinierende Zeichen; höchstens {MAX_MARKS} sind zulässig",
                        ),
                    )
                    .hint(crate::text!(
                        en: "a letter carries one or two accents in the scripts annex prints; remove the repeated marks (they are often left over from a copy)",
                        de: "in den Schriften, die annex druckt, trägt ein Buchstabe ein oder zwei Akzente; entfernen Sie die wiederholten Zeichen (sie bleiben oft beim Kopieren zurück)",
                    ))
            });
            continue;
        }
        // Draft markers are replaced before rendering (see `markup::placeholder`).
        let text = crate::markup::placeholder::sanitize(text);
        let Some(c) = fonts.unprintable(&text) else {
            continue;
        };
        out.push_with(|| {
            let code = format!("U+{:04X}", u32::from(c));
            // A control character would not show, or would upset the terminal.
            let named = if c.is_control() {
                crate::text!(en: "the control character {code}", de: "das Steuerzeichen {code}")
            } else {
                crate::text!(en: "the character {c} ({code})", de: "das Zeichen {c} ({code})")
            };
            let (named_en, named_de) = (&named.en, &named.de);
            let message = if fonts.fonts_added() {
                crate::text!(
                    en: "{named_en} cannot be printed: neither the fonts annex embeds nor those added with --font-path or `fonts` in annex.toml have it",
                    de: "{named_de} kann nicht gedruckt werden: weder die Schriftarten, die annex einbettet, noch die mit --font-path oder `fonts` in annex.toml hinzugefügten enthalten es",
                )
            } else {
                crate::text!(
                    en: "{named_en} cannot be printed: none of the fonts annex embeds has it",
                    de: "{named_de} kann nicht gedruckt werden: keine der Schriftarten, die annex einbettet, enthält es",
                )
            };
            source
                    .error_at_char(&path, c, message)
                    .hint(if c.is_control() {
                        crate::text!(
                            en: "remove the character: a control character is usually left over from an export or a copy",
                            de: "entfernen Sie das Zeichen: ein Steuerzeichen ist meist ein Überbleibsel eines Exports oder einer Kopie",
                        )
                    } else if fonts.fonts_added() {
                        crate::text!(
                            en: "replace the character (for a symbol, say what it means in words), or add a font that has it to a folder of --font-path or of `fonts` in annex.toml",
                            de: "ersetzen Sie das Zeichen (bei einem Symbol: beschreiben Sie seine Bedeutung in Worten), oder legen Sie eine Schriftart, die es enthält, in einen Ordner von --font-path oder von `fonts` in annex.toml",
                        )
                    } else {
                        crate::text!(
                            en: "replace the character (for a symbol, say what it means in words); annex prints Latin, Greek and Cyrillic script and the common symbols of contract texts, and other scripts (Japanese, Chinese, Arabic, Hebrew, …) with a font that has them: --font-path DIR, or fonts = [\"DIR\"] in annex.toml",
                            de: "ersetzen Sie das Zeichen (bei einem Symbol: beschreiben Sie seine Bedeutung in Worten); annex druckt lateinische, griechische und kyrillische Schrift und die üblichen Symbole von Vertragstexten, andere Schriften (Japanisch, Chinesisch, Arabisch, Hebräisch, …) mit einer Schriftart, die sie enthält: --font-path ORDNER, oder fonts = [\"ORDNER\"] in annex.toml",
                        )
                    })
        });
    }
}

/// Most characters of all the texts of a project together (a real project has a few
/// thousand): the annex is laid out from them, and the file limit alone would let one project
/// take 270 pages, five seconds and half a gigabyte.
pub const MAX_TOTAL_CHARS: usize = 200_000;

/// Most combining marks accepted on one base character. Vietnamese and polytonic Greek stack
/// up to three; every mark more makes the text shaper and the line breaker work harder, and a
/// few thousand on one letter take seconds and gigabytes to lay out.
pub const MAX_MARKS: usize = 4;

/// The first mark of a run of more than [`MAX_MARKS`] combining marks in `text`, and the
/// length of that run.
fn stacked_marks(text: &str) -> Option<(char, usize)> {
    use unicode_general_category::{GeneralCategory, get_general_category};
    let mut run: Option<(char, usize)> = None;
    for c in text.chars() {
        let mark = matches!(
            get_general_category(c),
            GeneralCategory::NonspacingMark
                | GeneralCategory::SpacingMark
                | GeneralCategory::EnclosingMark
        );
        run = match (mark, run) {
            (false, Some((first, n))) if n > MAX_MARKS => return Some((first, n)),
            (false, _) => None,
            (true, Some((first, n))) => Some((first, n + 1)),
            (true, None) => Some((c, 1)),
        };
    }
    run.filter(|&(_, n)| n > MAX_MARKS)
}

/// The keys under `variables`, with the path of each.
fn variable_keys<'p>(
    map: &'p serde_json::Map<String, serde_json::Value>,
    path: &str,
) -> Vec<(String, &'p str)> {
    let mut out = Vec::new();
    for (key, value) in map {
        let inner = format!("{path}.{key}");
        if let serde_json::Value::Object(inner_map) = value {
            out.extend(variable_keys(inner_map, &inner));
        }
        out.push((inner, key.as_str()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handful_of_marks_on_a_letter_is_accepted_more_are_not() {
        // Vietnamese "ệ" written with two marks, polytonic Greek with three.
        assert_eq!(stacked_marks("Nguye\u{323}\u{302}n"), None);
        assert_eq!(stacked_marks("\u{3b1}\u{313}\u{301}\u{345}"), None);
        assert_eq!(stacked_marks("a\u{301}\u{301}\u{301}\u{301}"), None);
        assert_eq!(
            stacked_marks("ok a\u{300}\u{301}\u{301}\u{301}\u{301} b"),
            Some(('\u{300}', 5))
        );
        assert_eq!(
            stacked_marks(&format!("a{}", "\u{301}".repeat(9999))),
            Some(('\u{301}', 9999))
        );
    }
}

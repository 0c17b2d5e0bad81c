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

use crate::diagnostic::Diagnostic;
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

/// Which characters the annex can print: the embedded fonts of the PDF.
pub trait Printable {
    /// The first character of `text` that no font has, if any.
    fn unprintable(&self, text: &str) -> Option<char>;
}

/// Validates a loaded project against a library and the fonts it is printed with.
pub fn validate(
    library: &Library,
    fonts: &dyn Printable,
    loaded: Loaded,
) -> Result<Validated, Failure> {
    let Loaded { project, source } = loaded;
    let mut errors = project::check(&project, &source);
    errors.extend(unprintable(fonts, &project, &source));
    if !errors.is_empty() {
        return Err(errors.into());
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

/// An error for every project value with a character that no embedded font can print: the
/// annex could not become a PDF (nor be printed from its Markdown as written).
fn unprintable(
    fonts: &dyn Printable,
    project: &Project,
    source: &ProjectSource,
) -> Vec<Diagnostic> {
    let Ok(value) = serde_json::to_value(project) else {
        return Vec::new();
    };
    // Every text, and the keys of the free values (a template may print a key).
    let mut texts = crate::json_text::strings(&value);
    texts.extend(variable_keys(&project.variables, "variables"));
    texts
        .into_iter()
        .filter_map(|(path, text)| {
            // Draft markers are replaced before rendering (see `markup::placeholder`).
            let text = crate::markup::placeholder::sanitize(text);
            let c = fonts.unprintable(&text)?;
            let code = format!("U+{:04X}", u32::from(c));
            // A control character would not show, or would upset the terminal.
            let named = if c.is_control() {
                format!("the control character {code}")
            } else {
                format!("the character {c} ({code})")
            };
            Some(
                source
                    .error_at_char(
                        &path,
                        c,
                        format!("{named} cannot be printed: none of the fonts annex embeds has it"),
                    )
                    .hint(if c.is_control() {
                        "remove the character: a control character is usually left over from an export or a copy"
                    } else {
                        "replace the character (for a symbol, say what it means in words); annex prints Latin, Greek and Cyrillic script and the common symbols of contract texts"
                    }),
            )
        })
        .collect()
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

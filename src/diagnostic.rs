//! Diagnostics: one message with its location and hints, printed as
//! `path:line:col: error: message` followed by `hint:` lines.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The input is accepted, but the annex may fall short of what it should say.
    Warning,
    /// The input is rejected.
    Error,
}

/// Where a diagnostic points: a file and, where known, a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The file (as given by the user, or a template name).
    pub file: PathBuf,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column (in characters).
    pub column: Option<usize>,
}

impl Location {
    /// A location with a line and column.
    pub fn at(file: impl Into<PathBuf>, line: usize, column: usize) -> Location {
        Location {
            file: file.into(),
            line: Some(line),
            column: Some(column),
        }
    }

    /// A whole-file location.
    pub fn file(file: impl Into<PathBuf>) -> Location {
        Location {
            file: file.into(),
            line: None,
            column: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// One message for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where, if known.
    pub location: Option<Location>,
    /// What is wrong, lowercase, without a trailing period.
    pub message: String,
    /// How to fix it.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// An error.
    pub fn error(location: Option<Location>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            location,
            message: message.into(),
            hints: vec![],
        }
    }

    /// A warning.
    pub fn warning(location: Option<Location>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            location,
            message: message.into(),
            hints: vec![],
        }
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hints.push(hint.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Replaces the file of the location (e.g. a template name by its path).
    pub fn in_file(mut self, file: &Path) -> Diagnostic {
        match &mut self.location {
            Some(loc) => loc.file = file.to_path_buf(),
            None => self.location = Some(Location::file(file)),
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.message)?;
        for hint in &self.hints {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// The closest candidate to a misspelt name, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(given, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_location_first_then_hints() {
        let d = Diagnostic::error(Some(Location::at("p.json", 3, 7)), "bad value").hint("do this");
        assert_eq!(
            d.to_string(),
            "p.json:3:7: error: bad value\n  hint: do this"
        );
    }

    #[test]
    fn suggests_close_names_only() {
        let names = ["availability_percent", "service_hours", "rto_hours"];
        assert_eq!(
            did_you_mean("avialability_percent", names),
            Some("availability_percent")
        );
        assert_eq!(did_you_mean("rto_hour", names), Some("rto_hours"));
        assert_eq!(did_you_mean("colour", names), None);
    }
}

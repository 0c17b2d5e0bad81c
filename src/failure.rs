//! The one error type of annex: the diagnostics the user reads, and what kind of failure they
//! describe. The kind, not the place a call sits, decides the exit code of the command line.

use crate::diagnostic::Diagnostic;
use crate::language::{Language, Localized};

/// What failed, which decides the exit code ([`Kind::exit_code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Kind {
    /// The input has problems: a project file (or, for `annex templates check`, the template
    /// library being checked). Exit code 1.
    #[default]
    Input,
    /// A file could not be read or written (the output folder, the run report). Exit code 1:
    /// like a bad project, it fails one annex of a batch.
    Io,
    /// The command line or `annex.toml` asks for something annex cannot do. Exit code 2.
    Usage,
    /// The template library does not load, so nothing can be rendered. Exit code 2.
    Library,
    /// A defect of annex itself (or of the layout frame): please report it. Exit code 3.
    Internal,
}

impl Kind {
    /// The exit code of a run that failed this way.
    pub fn exit_code(self) -> u8 {
        match self {
            Kind::Input | Kind::Io => 1,
            Kind::Usage | Kind::Library => 2,
            Kind::Internal => 3,
        }
    }
}

/// What went wrong, as diagnostics for the user (at least one error), and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What kind of failure this is.
    pub kind: Kind,
    /// What the user needs to read: errors, and the warnings found before them.
    pub diagnostics: Vec<Diagnostic>,
}

impl Failure {
    /// A failure of the given kind.
    pub fn new(kind: Kind, diagnostics: Vec<Diagnostic>) -> Failure {
        Failure { kind, diagnostics }
    }

    /// The template library does not load.
    pub fn library(diagnostics: Vec<Diagnostic>) -> Failure {
        Failure::new(Kind::Library, diagnostics)
    }

    /// A usage error: the command line or the configuration.
    pub fn usage(diagnostic: Diagnostic) -> Failure {
        Failure::new(Kind::Usage, vec![diagnostic])
    }

    /// A file could not be read or written.
    pub fn io(diagnostic: Diagnostic) -> Failure {
        Failure::new(Kind::Io, vec![diagnostic])
    }

    /// A defect of annex: `what`, the error of another program (serde_json's, say), says what
    /// could not be done. It is quoted as it is; for a text of annex's own, use
    /// [`Failure::defect`].
    pub fn internal(what: impl std::fmt::Display) -> Failure {
        Failure::defect(Localized::verbatim(what.to_string()))
    }

    /// A defect of annex: `what`, in both languages, says what could not be done.
    pub fn defect(what: Localized) -> Failure {
        let (en, de) = (what.en(), what.get(Language::De));
        Failure::new(
            Kind::Internal,
            vec![Diagnostic::error(
                None,
                crate::text!(en: "internal error: {en}", de: "interner Fehler: {de}"),
            )],
        )
    }

    /// The diagnostics with `warnings` in front of them (the warnings found before the error).
    pub fn after(mut self, warnings: &[Diagnostic]) -> Failure {
        self.diagnostics.splice(0..0, warnings.iter().cloned());
        self
    }
}

impl Failure {
    /// The diagnostics as they are printed, in `lang`, one after another.
    pub fn display(&self, lang: Language) -> Shown<'_> {
        Shown {
            failure: self,
            lang,
        }
    }
}

/// The failure in English, annex's source language: for logs, panics and tests. What a user
/// reads is printed with [`Failure::display`] in the language of the run.
impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.display(Language::En).fmt(f)
    }
}

impl std::error::Error for Failure {}

/// A failure printed in a language ([`Failure::display`]).
pub struct Shown<'a> {
    failure: &'a Failure,
    lang: Language,
}

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, d) in self.failure.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", d.display(self.lang))?;
        }
        Ok(())
    }
}

/// Diagnostics about the input (the common case: a project file).
impl From<Vec<Diagnostic>> for Failure {
    fn from(diagnostics: Vec<Diagnostic>) -> Failure {
        Failure::new(Kind::Input, diagnostics)
    }
}

/// A diagnostic about the input (the common case: a project file).
impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Failure {
        Failure::new(Kind::Input, vec![d])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_error_quotes_the_other_program_in_our_sentence() {
        let failure = Failure::internal("key must be a string");
        assert_eq!(failure.kind, Kind::Internal);
        assert_eq!(
            failure.to_string(),
            "error: internal error: key must be a string"
        );
        assert_eq!(
            failure.display(Language::De).to_string(),
            "Fehler: interner Fehler: key must be a string"
        );
        let own = Failure::defect(crate::text!(en: "no thread", de: "kein Thread"));
        assert_eq!(
            own.display(Language::De).to_string(),
            "Fehler: interner Fehler: kein Thread"
        );
    }
}

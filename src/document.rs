//! The document stage: a validated project with its clauses chosen ([`Selected`]) becomes one
//! annex, rendered, before any writer ([`Document`]). The Markdown file and the Typst files of
//! the PDF are both written from a [`Document`].

use crate::coverage::Coverage;
use crate::diagnostic::{Diagnostic, Location};
use crate::project::{Project, ProjectSource};
use crate::register::Register;
use crate::render::{Markdown, Placeholder, TitleBlock};
use crate::select::Selection;
use crate::service_levels::Resolved;
use crate::validate::Validated;

/// Whether an annex is final or a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Every value a clause needs must be given, every requirement met: otherwise an error.
    #[default]
    Final,
    /// Missing values become placeholders, open requirements warnings; the annex is marked as
    /// a draft everywhere.
    Draft,
}

impl Mode {
    /// `Draft` if `draft`.
    pub fn draft_if(draft: bool) -> Mode {
        if draft { Mode::Draft } else { Mode::Final }
    }

    /// Whether this is a draft.
    pub fn is_draft(self) -> bool {
        self == Mode::Draft
    }
}

/// A validated project with its clauses chosen.
#[derive(Debug, Clone)]
pub struct Selected<'g> {
    /// The project, checked.
    pub validated: Validated,
    /// The chosen clauses (a caller may swap a section's clause for another variant of its
    /// topic, as `annex templates check` does to render every variant).
    pub selection: Selection<'g>,
}

/// A project rendered: its clauses numbered, its coverage, the title block and the warnings.
#[derive(Debug, Clone)]
pub struct Document<'g> {
    /// The project.
    pub project: Project,
    /// Its source text.
    pub source: ProjectSource,
    /// Completed service levels.
    pub resolved: Resolved,
    /// The chosen clauses.
    pub selection: Selection<'g>,
    /// What the title block shows, in the Markdown and in the PDF.
    pub title: TitleBlock,
    /// Which regulation items the sections cover.
    pub coverage: Coverage,
    /// The requirements the annex leaves open, with what each needs (shown by a draft).
    pub open_points: serde_json::Value,
    /// The rendered text: title block, numbered sections, appendix.
    pub markdown: Markdown,
    /// Final or draft (a draft's placeholders are in `markdown.placeholders`).
    pub mode: Mode,
    /// The rows of the DORA register of information for this contract (a financial entity
    /// with a `dora` block), written as `<id>.dora-register.csv`.
    pub register: Option<Register>,
    /// Warnings of all stages; in a draft one per placeholder, after the others.
    pub warnings: Vec<Diagnostic>,
}

impl Document<'_> {
    /// Whether it is a draft.
    pub fn draft(&self) -> bool {
        self.mode.is_draft()
    }
}

/// The warning that reports a placeholder of a draft.
pub fn placeholder_warning(p: &Placeholder) -> Diagnostic {
    let label = crate::markup::placeholder::label(&p.field);
    let location = Location::at(&p.file, p.line, p.column);
    if p.project_field {
        let missing = &p.missing;
        Diagnostic::warning(
            Some(location),
            crate::text!(
                en: "placeholder {label}: the project does not give `{missing}`",
                de: "Platzhalter {label}: das Projekt gibt `{missing}` nicht an",
            ),
        )
        .hint(crate::text!(
            en: "give `{missing}` in the project file before rendering the final annex",
            de: "geben Sie `{missing}` in der Projektdatei an, bevor Sie die endgültige Anlage erstellen",
        ))
    } else {
        let field = &p.field;
        Diagnostic::warning(
            Some(location),
            crate::text!(
                en: "placeholder {label}: the template uses `{field}`, which is not defined",
                de: "Platzhalter {label}: die Vorlage verwendet den Wert `{field}`, der nicht definiert ist",
            ),
        )
        .hint(crate::text!(
            en: "correct the template: a final annex fails here",
            de: "korrigieren Sie die Vorlage: eine endgültige Anlage schlägt an dieser Stelle fehl",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Language;

    #[test]
    fn placeholder_warnings_read_in_both_languages() {
        let p = Placeholder {
            field: "client.security_officer.name".to_owned(),
            missing: "client.security_officer".to_owned(),
            project_field: true,
            file: "clauses/en/contacts.normal.md".to_owned(),
            line: 3,
            column: 7,
        };
        let d = placeholder_warning(&p);
        assert_eq!(
            d.message.en(),
            "placeholder [client.security_officer.name]: the project does not give `client.security_officer`"
        );
        assert_eq!(
            d.display(Language::De).to_string().lines().next(),
            Some(
                "clauses/en/contacts.normal.md:3:7: Warnung: Platzhalter [client.security_officer.name]: das Projekt gibt `client.security_officer` nicht an"
            )
        );
        let d = placeholder_warning(&Placeholder {
            project_field: false,
            ..p
        });
        assert_eq!(
            d.hints[0].get(Language::De),
            "korrigieren Sie die Vorlage: eine endgültige Anlage schlägt an dieser Stelle fehl"
        );
    }
}

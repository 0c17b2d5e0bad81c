//! Rendering clause templates with Tera into one Markdown document.
//!
//! A final annex needs every value its clauses use; a draft shows a placeholder for each
//! missing one ([`draft`]).

mod bounded;
mod budget;
pub mod context;
pub mod draft;
mod errors;
mod filters;
pub mod format;
mod numbering;
mod run;
mod tables;
mod tera_words;
pub mod title;

use tera::{Context, Tera};

pub use context::{Attachment, document_data};
pub use draft::Placeholder;
pub(crate) use errors::{nested_range, template_error};
pub use filters::{FILTERS, FUNCTIONS, MAX_RANGE};
pub(crate) use numbering::{numbered_heading_lines, own_number_message};
pub use run::MAX_OUTPUT_BYTES;
pub use title::TitleBlock;

use errors::{heading_error, reserved_character};
use filters::{range, register_filters};
use run::Run;

use crate::diagnostic::Diagnostic;
use crate::library::Library;
use crate::project::Project;
use crate::select::Selection;
use crate::service_levels::Resolved;

/// The rendered annex as Markdown: the title block, the numbered sections, the appendix.
///
/// In a draft the three texts contain placeholder tokens
/// ([`crate::markup::placeholder`]) where values are missing: [`Markdown::document`] writes
/// them as code spans, [`crate::markup::to_typst`] as boxes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markdown {
    /// The title block (the PDF frame draws its own from the same data).
    pub title_block: String,
    /// The numbered sections.
    pub body: String,
    /// The coverage appendix.
    pub appendix: String,
    /// The placeholders for missing values, in document order (empty unless draft).
    pub placeholders: Vec<Placeholder>,
    /// What the templates did that is allowed but probably not meant (an empty subsection),
    /// at the template's line.
    pub warnings: Vec<Diagnostic>,
}

impl Markdown {
    /// The whole standalone document, with or without the appendix, as written to the `.md`
    /// file: placeholders read `` `[field]` ``.
    pub fn document(&self, appendix: bool) -> String {
        let text = format!(
            "{}\n{}",
            self.title_block.trim_end(),
            self.joined(appendix, "")
        );
        crate::markup::placeholder::to_markdown(&text).into_owned()
    }

    /// The sections (and the appendix) without the title block: what the PDF frame includes.
    /// Placeholders are still tokens here (the Typst writer turns them into boxes), and the
    /// appendix starts on a page of its own (a page-break token the writer turns into
    /// `#pagebreak`).
    pub fn body_text(&self, appendix: bool) -> String {
        let page_break = format!("\n\n{}\n", crate::markup::placeholder::PAGE_BREAK);
        self.joined(appendix, &page_break)
    }

    /// The sections and, if wanted and not empty, the appendix after `separator`.
    fn joined(&self, appendix: bool, separator: &str) -> String {
        if appendix && !self.appendix.trim().is_empty() {
            format!("{}{separator}\n{}\n", self.body, self.appendix.trim())
        } else {
            self.body.clone()
        }
    }
}

/// Tera with every template of a library registered, built once per run.
pub struct Renderer {
    tera: Tera,
    /// The texts Tera compiled, by template name: each template with its work metered.
    templates: std::collections::HashMap<String, budget::Instrumented>,
}

impl Renderer {
    /// Registers filters, the escape function and every template of the library.
    pub fn new(library: &Library) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = engine();
        let mut errors = Vec::new();
        let mut templates = std::collections::HashMap::new();
        for (name, text) in [
            (&library.title_block_file, &library.title_block),
            (&library.coverage_appendix_file, &library.coverage_appendix),
        ] {
            if let Some(d) = reserved_character(name, 0, text) {
                errors.push(d);
                continue;
            }
            match compile(&mut tera, name, name, 0, text) {
                Ok(seen) => {
                    templates.insert(name.clone(), seen);
                }
                Err(d) => errors.push(d),
            }
        }
        for clause in &library.clauses {
            let reserved = reserved_character(&clause.file, clause.body_line_offset, &clause.body)
                .or_else(|| reserved_character(&clause.file, 0, &clause.meta.title))
                .or_else(|| nested_range(&clause.file, clause.body_line_offset, &clause.body));
            if let Some(d) = reserved {
                errors.push(d);
                continue;
            }
            let name = clause.template_name();
            let compiled = compile(
                &mut tera,
                &name,
                &clause.file,
                clause.body_line_offset,
                &clause.body,
            );
            match compiled {
                Ok(seen) => {
                    templates.insert(name, seen);
                }
                Err(d) => errors.push(d),
            }
        }
        if errors.is_empty() {
            Ok(Renderer { tera, templates })
        } else {
            Err(errors)
        }
    }

    /// Renders the title block, every selected clause and the coverage appendix. `base` is
    /// the annex's context ([`context::base`], which the coverage matrix was computed from,
    /// with its `open_points`). In a `draft`, a value a template needs and the project does not
    /// give becomes a placeholder (listed in [`Markdown::placeholders`]); otherwise it is an
    /// error naming the field.
    #[allow(clippy::too_many_arguments)]
    pub fn render(
        &self,
        library: &Library,
        project: &Project,
        resolved: &Resolved,
        selection: &Selection<'_>,
        coverage: &crate::coverage::Coverage,
        mut base: serde_json::Value,
        draft: bool,
    ) -> Result<Markdown, Vec<Diagnostic>> {
        let mut nulls = std::collections::BTreeSet::new();
        draft::clean_context(&mut base, &mut nulls);
        // A draft highlights the figures that are weaker than their defaults and not accepted.
        let marked: Vec<String> = if draft {
            resolved
                .deviations
                .pending
                .iter()
                .map(|w| w.field.clone())
                .collect()
        } else {
            Vec::new()
        };
        let mut run = Run {
            tera: &self.tera,
            templates: &self.templates,
            draft,
            marked: &marked,
            nulls: &nulls,
            errors: Vec::new(),
            warnings: Vec::new(),
            placeholders: Vec::new(),
        };
        let ctx = Context::from_serialize(&base).map_err(|e| {
            vec![Diagnostic::error(
                None,
                crate::text!(en: "internal error: {e}", de: "interner Fehler: {e}"),
            )]
        })?;
        let title_block = run
            .render(
                &library.title_block_file,
                &ctx,
                &library.title_block_file,
                0,
                &library.title_block,
            )
            .unwrap_or_default();
        let mut body = String::new();
        for section in &selection.sections {
            let clause = section.clause;
            let mut ctx = ctx.clone();
            for (name, value) in
                context::clause_scope(section.clause, section.number, section.level)
            {
                ctx.insert(name, &value);
            }
            let Some(text) = run.render(
                &clause.template_name(),
                &ctx,
                &clause.file,
                clause.body_line_offset,
                &clause.body,
            ) else {
                continue;
            };
            if let Some(row) = tables::overfull_row(&text) {
                run.errors.push(errors::table_error(clause, &row));
                continue;
            }
            match numbering::number_headings(&text, section.number) {
                Ok(numbered) => {
                    run.warnings.extend(
                        numbered
                            .empty
                            .iter()
                            .map(|heading| errors::empty_subsection(clause, heading)),
                    );
                    body.push_str(&format!(
                        // No line break between the sign and the number ("§ 8").
                        "\n## {}\u{a0}{} {}\n\n",
                        library.section_sign(project.annex.language),
                        section.number,
                        clause.meta.title
                    ));
                    body.push_str(numbered.text.trim());
                    body.push('\n');
                }
                Err(e) => run.errors.push(heading_error(clause, e)),
            }
        }
        let mut appendix_ctx = ctx;
        let mut items = coverage.appendix();
        draft::clean_context(&mut items, &mut std::collections::BTreeSet::new());
        appendix_ctx.insert("coverage", &items);
        let appendix = run
            .render(
                &library.coverage_appendix_file,
                &appendix_ctx,
                &library.coverage_appendix_file,
                0,
                &library.coverage_appendix,
            )
            .unwrap_or_default();
        if run.errors.is_empty() {
            Ok(Markdown {
                title_block,
                body,
                appendix,
                placeholders: run.placeholders,
                warnings: run.warnings,
            })
        } else {
            Err(run.errors)
        }
    }
}

/// Compiles a template with its work metered (see [`budget`]) as `name`; an error is located
/// in `file`, whose first `line_offset` lines precede `text`.
fn compile(
    tera: &mut Tera,
    name: &str,
    file: &str,
    line_offset: usize,
    text: &str,
) -> Result<budget::Instrumented, Diagnostic> {
    let Some(seen) = budget::instrument(text) else {
        // annex's reading of the template failed: Tera's own error says where, if it has one.
        return Err(match tera.add_raw_template(name, text) {
            Err(e) => template_error(&e, file, line_offset, text),
            Ok(()) => Diagnostic::error(
                Some(crate::diagnostic::Location::file(file)),
                crate::text!(
                    en: "annex cannot read the expressions of this template, so it cannot bound the work of rendering it",
                    de: "annex kann die Ausdrücke dieser Vorlage nicht lesen und daher den Aufwand für ihre Verarbeitung nicht begrenzen",
                ),
            )
            .hint(crate::text!(
                en: "look for an unusual construct (a tag or expression that is split or unclosed) and write it in the plain Tera syntax the guide (README.md of the template library) describes",
                de: "suchen Sie nach einer ungewöhnlichen Schreibweise (einer Anweisung oder einem Ausdruck, der geteilt oder nicht geschlossen ist), und schreiben Sie sie in der einfachen Tera-Syntax, die die Anleitung (README.md der Vorlagenbibliothek) beschreibt",
            )),
        });
    };
    tera.add_raw_template(name, &seen.text)
        .map_err(|e| errors::located_error(&e, file, line_offset, text, &seen.edits))?;
    Ok(seen)
}

/// Tera with annex's escaping and filters, and no templates yet: the engine every library
/// template is compiled with (also by `annex templates check`).
pub(crate) fn engine() -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on([".md"]);
    tera.set_escape_fn(escape_markdown);
    register_filters(&mut tera);
    budget::register(&mut tera);
    bounded::register(&mut tera);
    tera.register_function("range", range);
    tera
}

fn escape_markdown(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(crate::markup::escape::markdown_text(input).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::run::Bounded;
    use super::*;

    /// Renders a registered template with the output limit of annex's own rendering.
    fn render_bounded(tera: &Tera, name: &str, ctx: &Context) -> Result<String, Bounds> {
        let mut out = Bounded::default();
        match tera.render_to(name, ctx, &mut out) {
            Ok(()) => Ok(String::from_utf8_lossy(&out.bytes).into_owned()),
            Err(_) if out.exceeded => Err(Bounds::TooLong),
            Err(e) => Err(Bounds::Error(e)),
        }
    }

    /// Why [`render_bounded`] failed.
    enum Bounds {
        /// The template wrote more than [`MAX_OUTPUT_BYTES`].
        TooLong,
        /// Tera's error.
        Error(tera::Error),
    }

    fn render(template: &str) -> Result<String, String> {
        let mut tera = engine();
        tera.add_raw_template("t.md", template)
            .map_err(|e| e.to_string())?;
        match render_bounded(&tera, "t.md", &Context::new()) {
            Ok(s) => Ok(s),
            Err(Bounds::TooLong) => Err("too long".to_owned()),
            Err(Bounds::Error(e)) => Err(format!("{e:?}")),
        }
    }

    #[test]
    fn range_gives_at_most_ten_thousand_numbers() {
        assert_eq!(
            render("{{ range(end=3) | join(sep=',') }}").unwrap(),
            "0,1,2"
        );
        assert_eq!(
            render("{{ range(start=5, end=-1, step_by=-2) | join(sep=',') }}").unwrap(),
            "5,3,1"
        );
        assert_eq!(render("{{ range(end=10000) | length }}").unwrap(), "10000");
        let e = render("{{ range(end=10001) | length }}").unwrap_err();
        assert!(e.contains("at most 10000"), "{e}");
        assert!(
            render("{{ range(end=9223372036854775807, start=9223372036854775806) | length }}")
                .is_ok()
        );
    }

    #[test]
    fn output_beyond_the_limit_stops_the_template() {
        let under = format!(
            "{{% for i in range(end=10000) %}}{}{{% endfor %}}",
            "a".repeat(800)
        );
        assert_eq!(render(&under).unwrap().len(), 8_000_000);
        let t = format!(
            "{{% for i in range(end=10000) %}}{}{{% endfor %}}",
            "a".repeat(900)
        );
        assert_eq!(render(&t).unwrap_err(), "too long");
    }
}

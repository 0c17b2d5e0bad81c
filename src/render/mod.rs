//! Rendering clause templates with Tera into one Markdown document.

pub(crate) mod context;
pub mod format;
mod numbering;

use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

pub use context::{Attachment, annex_version, document_data};

use crate::diagnostic::{Diagnostic, Location};
use crate::library::Library;
use crate::project::{Language, Project};
use crate::select::Selection;
use crate::service_levels::Resolved;

/// The rendered annex as Markdown: the title block, the numbered sections, the appendix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markdown {
    /// The title block (the PDF frame draws its own from the same data).
    pub title_block: String,
    /// The numbered sections.
    pub body: String,
    /// The coverage appendix.
    pub appendix: String,
}

impl Markdown {
    /// The whole standalone document, with or without the appendix.
    pub fn document(&self, appendix: bool) -> String {
        format!(
            "{}\n{}",
            self.title_block.trim_end(),
            self.body_text(appendix)
        )
    }

    /// The sections (and the appendix) without the title block: what the PDF frame includes.
    pub fn body_text(&self, appendix: bool) -> String {
        if appendix && !self.appendix.trim().is_empty() {
            format!("{}\n{}\n", self.body, self.appendix.trim())
        } else {
            self.body.clone()
        }
    }
}

/// Tera with every template of a library registered, built once per run.
pub struct Renderer {
    tera: Tera,
}

const TITLE_TEMPLATE: &str = "templates/markdown/title.md";
const COVERAGE_TEMPLATE: &str = "templates/markdown/coverage.md";

impl Renderer {
    /// Registers filters, the escape function and every template of the library.
    pub fn new(library: &Library) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = engine();
        let mut errors = Vec::new();
        for (name, text) in [
            (TITLE_TEMPLATE, &library.title_block),
            (COVERAGE_TEMPLATE, &library.coverage_appendix),
        ] {
            if let Err(e) = tera.add_raw_template(name, text) {
                errors.push(template_error(&e, name, 0, text));
            }
        }
        for clause in &library.clauses {
            if let Err(e) = tera.add_raw_template(&clause.template_name(), &clause.body) {
                errors.push(template_error(
                    &e,
                    &clause.file,
                    clause.body_line_offset,
                    &clause.body,
                ));
            }
        }
        if errors.is_empty() {
            Ok(Renderer { tera })
        } else {
            Err(errors)
        }
    }

    /// Renders the title block, every selected clause and the coverage appendix.
    pub fn render(
        &self,
        library: &Library,
        project: &Project,
        resolved: &Resolved,
        selection: &Selection<'_>,
        coverage: &crate::coverage::Coverage,
    ) -> Result<Markdown, Vec<Diagnostic>> {
        let base = context::base(library, project, resolved, selection);
        let mut errors = Vec::new();
        let ctx = Context::from_serialize(&base)
            .map_err(|e| vec![Diagnostic::error(None, format!("internal error: {e}"))])?;
        let title_block = self.tera.render(TITLE_TEMPLATE, &ctx).unwrap_or_else(|e| {
            errors.push(template_error(&e, TITLE_TEMPLATE, 0, &library.title_block));
            String::new()
        });
        let mut body = String::new();
        for section in &selection.sections {
            let clause = section.clause;
            let mut ctx = ctx.clone();
            for (name, value) in
                context::clause_scope(section.clause, section.number, section.level)
            {
                ctx.insert(name, &value);
            }
            let text = match self.tera.render(&clause.template_name(), &ctx) {
                Ok(t) => t,
                Err(e) => {
                    errors.push(template_error(
                        &e,
                        &clause.file,
                        clause.body_line_offset,
                        &clause.body,
                    ));
                    continue;
                }
            };
            match numbering::number_headings(&text, section.number) {
                Ok(numbered) => {
                    body.push_str(&format!("\n## § {} {}\n\n", section.number, clause.meta.title));
                    body.push_str(numbered.trim());
                    body.push('\n');
                }
                Err(message) => errors.push(
                    Diagnostic::error(Some(Location::file(&clause.file)), message)
                        .hint("write subsections as `## Title` lines; annex numbers them and prints the clause heading itself"),
                ),
            }
        }
        let mut appendix_ctx = ctx;
        appendix_ctx.insert("coverage", &coverage.items);
        let appendix = self
            .tera
            .render(COVERAGE_TEMPLATE, &appendix_ctx)
            .unwrap_or_else(|e| {
                errors.push(template_error(
                    &e,
                    COVERAGE_TEMPLATE,
                    0,
                    &library.coverage_appendix,
                ));
                String::new()
            });
        if errors.is_empty() {
            Ok(Markdown {
                title_block,
                body,
                appendix,
            })
        } else {
            Err(errors)
        }
    }
}

/// Tera with annex's escaping and filters, and no templates yet: the engine every library
/// template is compiled with (also by `annex templates check`).
pub(crate) fn engine() -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on([".md"]);
    tera.set_escape_fn(escape_markdown);
    register_filters(&mut tera);
    tera
}

/// The filters annex adds to Tera's own (see templates/README.md).
pub const FILTERS: [&str; 11] = [
    "fmt_date",
    "number",
    "percent",
    "hours",
    "minutes",
    "days",
    "months",
    "join_and",
    "address",
    "level_name",
    "value_name",
];

/// The functions annex adds to Tera's own.
pub const FUNCTIONS: [&str; 1] = ["ref"];

fn escape_markdown(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(crate::markup::escape::markdown_text(input).as_bytes())
}

/// A Tera error as a diagnostic at the line of the clause file; `text` is the template text
/// Tera saw (the clause body), `line_offset` the lines of the file before it.
pub(crate) fn template_error(
    e: &tera::Error,
    file: &str,
    line_offset: usize,
    text: &str,
) -> Diagnostic {
    use std::error::Error as _;
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            let mut message = r.message().to_string();
            if let Some(src) = e.source() {
                message.push_str(&format!(": {src}"));
            }
            let location = Location::at(file, span.start_line + line_offset, span.start_col + 1);
            let mut d = Diagnostic::error(Some(location), lowercase_first(&message));
            if let Some(line) = span
                .start_line
                .checked_sub(1)
                .and_then(|n| text.lines().nth(n))
            {
                d = d.with_line_text(line);
            }
            if message.contains("not defined") || message.contains("undefined") {
                d = d.hint("only the variables of the project format and the annex context are available; see templates/README.md");
            }
            d
        }
        _ => {
            let mut message = e.to_string();
            let mut source = e.source();
            while let Some(s) = source {
                message.push_str(&format!(": {s}"));
                source = s.source();
            }
            Diagnostic::error(Some(Location::file(file)), lowercase_first(&message))
        }
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) if c.clone().next().is_some_and(|n| n.is_lowercase()) => {
            first.to_lowercase().chain(c).collect()
        }
        _ => s.to_string(),
    }
}

fn language(state: &State) -> Language {
    state
        .get::<Value>("annex")
        .ok()
        .flatten()
        .and_then(|a| {
            a.get_from_path("language")
                .and_then(|l| l.as_str().and_then(Language::parse))
        })
        .unwrap_or_default()
}

fn case(kwargs: &Kwargs) -> TeraResult<format::Case> {
    let given: Option<&str> = kwargs.get("case")?;
    format::Case::parse(given).map_err(tera::Error::message)
}

/// Our own formatted figures are plain text that needs no escaping (and "20. November" must not
/// become "20\. November" in the Markdown file).
fn safe(text: String) -> Value {
    Value::safe_string(&text)
}

fn register_filters(tera: &mut Tera) {
    tera.register_filter(
        "fmt_date",
        |s: &str, _: Kwargs, state: &State| -> TeraResult<Value> {
            let d = crate::project::IsoDate::parse(s).map_err(tera::Error::message)?;
            Ok(safe(format::date(d, language(state))))
        },
    );
    tera.register_filter("number", |x: f64, _: Kwargs, st: &State| {
        safe(format::number(x, language(st)))
    });
    tera.register_filter("percent", |x: f64, _: Kwargs, st: &State| {
        safe(format::percent(x, language(st)))
    });
    tera.register_filter("hours", |x: f64, _: Kwargs, st: &State| {
        safe(format::hours(x, language(st)))
    });
    tera.register_filter("minutes", |x: f64, _: Kwargs, st: &State| {
        safe(format::minutes(x, language(st)))
    });
    tera.register_filter(
        "days",
        |x: f64, kw: Kwargs, st: &State| -> TeraResult<Value> {
            Ok(safe(format::days(x, language(st), case(&kw)?)))
        },
    );
    tera.register_filter(
        "months",
        |x: f64, kw: Kwargs, st: &State| -> TeraResult<Value> {
            Ok(safe(format::months(x, language(st), case(&kw)?)))
        },
    );
    // These two carry project text: their output is escaped like any value.
    tera.register_filter("join_and", |items: Vec<String>, _: Kwargs, st: &State| {
        format::join_and(&items, language(st))
    });
    tera.register_filter("address", |s: &str, _: Kwargs, _: &State| {
        format::address(s)
    });
    tera.register_filter(
        "level_name",
        |s: &str, _: Kwargs, st: &State| -> TeraResult<Value> {
            format::level_name(s, language(st))
                .map(|n| safe(n.to_string()))
                .ok_or_else(|| {
                    tera::Error::message(format!(
                        "`level_name` expects \"normal\", \"high\" or \"very_high\", got \"{s}\""
                    ))
                })
        },
    );
    tera.register_filter("value_name", |s: &str, _: Kwargs, st: &State| -> TeraResult<Value> {
        format::value_name(s, language(st)).map(|n| safe(n.to_string())).ok_or_else(|| {
            tera::Error::message(format!("`value_name` expects \"confidentiality\", \"integrity\", \"availability\" or \"overall\", got \"{s}\""))
        })
    });
    tera.register_function("ref", |kwargs: Kwargs, state: &State| -> TeraResult<Value> {
        let id: &str = kwargs.must_get("id")?;
        let sections = state.get::<Value>("sections")?.unwrap_or_else(Value::none);
        match sections.get_from_path(id).and_then(|v| v.as_str().map(str::to_string)) {
            Some(number) => Ok(safe(number)),
            None => Err(tera::Error::message(format!(
                "ref(id=\"{id}\"): clause \"{id}\" is not in this annex; guard the reference with {{% if sections[\"{id}\"] %}}"
            ))),
        }
    });
}

/// The language name used by the frame and `document_data`.
pub fn display_number(project: &Project, library: &Library) -> Option<String> {
    let label = &library.locale(project.annex.language).labels["annex"];
    project.annex.number.as_ref().map(|n| {
        let n = n.as_str().trim();
        let starts_with_label = n
            .split_whitespace()
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case(label));
        if starts_with_label {
            n.to_string()
        } else {
            format!("{label} {n}")
        }
    })
}

//! Rendering clause templates with Tera into one Markdown document.
//!
//! A final annex needs every value its clauses use; a draft shows a placeholder for each
//! missing one ([`draft`]).

pub mod context;
pub mod draft;
pub mod format;
mod numbering;
pub mod title;

use tera::{ArgFromValue, Context, Kwargs, State, Tera, TeraResult, Value};

pub use context::{Attachment, document_data};
pub use draft::Placeholder;
pub use title::TitleBlock;

use crate::diagnostic::{Diagnostic, Location};
use crate::library::Library;
use crate::project::{Language, Project};
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
}

impl Renderer {
    /// Registers filters, the escape function and every template of the library.
    pub fn new(library: &Library) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = engine();
        let mut errors = Vec::new();
        for (name, text) in [
            (&library.title_block_file, &library.title_block),
            (&library.coverage_appendix_file, &library.coverage_appendix),
        ] {
            if let Some(d) = reserved_character(name, 0, text) {
                errors.push(d);
                continue;
            }
            if let Err(e) = tera.add_raw_template(name, text) {
                errors.push(template_error(&e, name, 0, text));
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

    /// Renders the title block, every selected clause and the coverage appendix. `base` is
    /// the annex's context ([`context::base`], which the coverage matrix was computed from). In
    /// a `draft`, a value a template needs and the project does not give becomes a placeholder
    /// (listed in [`Markdown::placeholders`]); otherwise it is an error naming the field.
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
        if let Some(object) = base.as_object_mut() {
            object.insert(
                "open_points".to_owned(),
                context::open_points(library, project, resolved, coverage),
            );
        }
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
            draft,
            marked: &marked,
            nulls: &nulls,
            errors: Vec::new(),
            placeholders: Vec::new(),
        };
        let ctx = Context::from_serialize(&base)
            .map_err(|e| vec![Diagnostic::error(None, format!("internal error: {e}"))])?;
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
            match numbering::number_headings(&text, section.number) {
                Ok(numbered) => {
                    body.push_str(&format!(
                        "\n## {} {} {}\n\n",
                        library.section_sign(project.annex.language),
                        section.number,
                        clause.meta.title
                    ));
                    body.push_str(numbered.trim());
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
            })
        } else {
            Err(run.errors)
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
    tera.register_function("range", range);
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

/// What a draft puts around a highlighted figure's expression.
const MARK_OPEN_TAG: &str = "{{ __annex_mark_open }}";
const MARK_CLOSE_TAG: &str = "{{ __annex_mark_close }}";

/// One annex being rendered: the errors and placeholders so far.
struct Run<'a> {
    tera: &'a Tera,
    draft: bool,
    /// Paths of the figures a draft highlights wherever a template writes them.
    marked: &'a [String],
    /// Paths of the optional values the project left out.
    nulls: &'a std::collections::BTreeSet<String>,
    errors: Vec<Diagnostic>,
    placeholders: Vec<Placeholder>,
}

impl Run<'_> {
    /// Renders one template; on failure records the error and returns `None`. In a draft, each
    /// use of a missing value is replaced by a placeholder variable in the template text and
    /// the text is rendered again (see [`draft`]).
    fn render(
        &mut self,
        name: &str,
        ctx: &Context,
        file: &str,
        line_offset: usize,
        text: &str,
    ) -> Option<String> {
        let mut ctx = std::borrow::Cow::Borrowed(ctx);
        let mut edited: Option<String> = None;
        let mut edits = draft::Edits::default();
        if !self.marked.is_empty()
            && let Some(spans) = crate::library::scan::outputs_reading(text, self.marked)
            && !spans.is_empty()
        {
            // `{{ x | hours }}` becomes `{{ __annex_mark_open }}{{ x | hours }}{{ __annex_mark_close }}`:
            // the marks are safe strings of annex's reserved characters, which the writers turn
            // into a highlight. Edits add no lines.
            let mut source = text.to_string();
            for span in spans.iter().rev() {
                source.insert_str(span.end, MARK_CLOSE_TAG);
                edits.push(span.end, 0, MARK_CLOSE_TAG.len());
                source.insert_str(span.start, MARK_OPEN_TAG);
                edits.push(span.start, 0, MARK_OPEN_TAG.len());
            }
            edited = Some(source);
            let c = ctx.to_mut();
            c.insert_value(
                "__annex_mark_open",
                Value::safe_string(&crate::markup::placeholder::MARK_OPEN.to_string()),
            );
            c.insert_value(
                "__annex_mark_close",
                Value::safe_string(&crate::markup::placeholder::MARK_CLOSE.to_string()),
            );
        }
        let mut count = 0;
        loop {
            let mut out = Bounded::default();
            let result = match &edited {
                None => self.tera.render_to(name, &ctx, &mut out),
                Some(source) => self.tera.render_str_to(source, &ctx, true, &mut out),
            };
            let e = match result {
                Ok(()) => return Some(String::from_utf8_lossy(&out.bytes).into_owned()),
                Err(_) if out.exceeded => {
                    self.errors.push(too_long(file));
                    return None;
                }
                Err(e) => e,
            };
            let current = edited.as_deref().unwrap_or(text);
            let Some(missing) = draft::missing_value(&e, current, &ctx) else {
                // Edits never add or remove lines: Tera's line is the line of the file.
                self.errors
                    .push(template_error(&e, file, line_offset, text));
                return None;
            };
            let (line, column) =
                crate::diagnostic::line_column(text, edits.original(missing.offset));
            let placeholder = Placeholder {
                field: missing.field(),
                missing: missing.missing(),
                project_field: self.is_project_field(&missing),
                file: file.to_string(),
                line: line + line_offset,
                column,
            };
            if !self.draft || missing.iterated || count >= draft::MAX_PLACEHOLDERS {
                let line_text = text.lines().nth(line - 1).unwrap_or_default();
                self.errors.push(
                    missing_error(&placeholder, &missing, self.draft).with_line_text(line_text),
                );
                return None;
            }
            let var = format!("__annex_missing_{count}");
            let source = edited.get_or_insert_with(|| text.to_string());
            source.replace_range(missing.offset..missing.offset + missing.len, &var);
            edits.push(missing.offset, missing.len, var.len());
            ctx.to_mut()
                .insert_value(var, draft::placeholder_value(&placeholder.field));
            count += 1;
            self.placeholders.push(placeholder);
        }
    }

    /// Whether the missing part is something the project gives: an optional field it left out
    /// or a free value under `variables`.
    fn is_project_field(&self, missing: &draft::Missing) -> bool {
        let dotted = missing.upto().join(".");
        self.nulls.contains(&dotted)
            || (missing.path.first().is_some_and(|f| f == "variables") && missing.present >= 1)
    }
}

/// The error for a heading the numbering cannot take, at the line of the template that writes
/// it (the first line whose text is the heading's, or that starts it with `#`).
fn heading_error(clause: &crate::library::Clause, e: numbering::HeadingError) -> Diagnostic {
    let body = &clause.body;
    let found = body.lines().enumerate().find(|(_, line)| {
        let t = line.trim();
        !e.heading.is_empty() && (t == e.heading || t.trim_start_matches('#').trim() == e.heading)
    });
    let location = match found {
        Some((i, line)) => {
            let column = line.chars().count() - line.trim_start().chars().count() + 1;
            Location::at(&clause.file, i + 1 + clause.body_line_offset, column)
        }
        None => Location::file(&clause.file),
    };
    let mut d = Diagnostic::error(Some(location), e.message);
    if let Some((_, line)) = found {
        d = d.with_line_text(line);
    }
    d.hint("write subsections as `## Title` lines; annex numbers them and prints the clause heading itself")
}

/// The error for a value a template needs and does not get.
fn missing_error(p: &Placeholder, missing: &draft::Missing, draft: bool) -> Diagnostic {
    let location = Location::at(&p.file, p.line, p.column);
    let (message, first_hint) = if p.project_field {
        let message = if p.field == p.missing {
            format!(
                "the clause needs `{}`, which the project does not give",
                p.field
            )
        } else {
            format!(
                "the clause needs `{}`, but the project does not give `{}`",
                p.field, p.missing
            )
        };
        let hint = format!(
            "give `{}` in the project file (see the project format), or write the clause text for its absence with `{{% if {} %}}…{{% else %}}…{{% endif %}}`",
            p.missing, p.missing
        );
        (message, hint)
    } else {
        (
            format!(
                "the template uses `{}`, which is not defined ({})",
                p.field,
                lowercase_first(missing.message.trim_end_matches('.'))
            ),
            "only the variables of the project format and the annex context are available; see templates/README.md".to_string(),
        )
    };
    let d = Diagnostic::error(Some(location), message).hint(first_hint);
    if draft && missing.iterated {
        d.hint("a draft cannot show a placeholder for a list that the template loops over")
    } else if draft {
        d.hint("a draft cannot show more placeholders in one template")
    } else {
        d.hint(format!(
            "to see the annex anyway, render a draft with `--draft`: it shows the placeholder {} and is marked ENTWURF / DRAFT",
            crate::markup::placeholder::label(&p.field)
        ))
    }
}

/// An error if a template contains one of the characters annex keeps for placeholders.
fn reserved_character(file: &str, line_offset: usize, text: &str) -> Option<Diagnostic> {
    let at = text.find(crate::markup::placeholder::is_reserved)?;
    let (line, column) = crate::diagnostic::line_column(text, at);
    let c = text[at..].chars().next().unwrap_or_default();
    Some(
        Diagnostic::error(
            Some(Location::at(file, line + line_offset, column)),
            format!(
                "the template contains the character U+{:04X}, which annex reserves for draft placeholders",
                u32::from(c)
            ),
        )
        .hint("remove it: U+FDD0 to U+FDEF are Unicode noncharacters and never belong in a text"),
    )
}

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
            if message.to_lowercase() == "unknown tag" {
                return unknown_tag(file, line_offset, text, span.start_line, span.start_col);
            }
            if message.to_lowercase().contains("unexpected end of input")
                && let Some((tag, at)) = crate::library::unclosed_block(text)
            {
                let (line, column) = crate::diagnostic::line_column(text, at);
                let location = Location::at(file, line + line_offset, column);
                return Diagnostic::error(
                    Some(location),
                    format!("this `{{% {tag} %}}` is never closed: the text ends inside it"),
                )
                .with_line_text(text.lines().nth(line - 1).unwrap_or_default())
                .hint(format!(
                    "add `{{% end{tag} %}}` where the {tag} block should end"
                ));
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

/// The most text one template may write for one annex (a clause is a few KiB; all the text of
/// a project file, at most 1 MiB, fits many times). A template that writes more is stopped.
pub const MAX_OUTPUT_BYTES: usize = 8 << 20;

/// The error for a template that wrote more than [`MAX_OUTPUT_BYTES`].
pub(crate) fn too_long(file: &str) -> Diagnostic {
    Diagnostic::error(
        Some(Location::file(file)),
        format!(
            "the template wrote more than {} MiB and was stopped",
            MAX_OUTPUT_BYTES >> 20
        ),
    )
    .hint("look for a loop that repeats far more often than intended (`range`, or a list inside a loop over a list)")
}

/// The most numbers `range()` gives (Tera's own limit is 100,000).
pub const MAX_RANGE: i64 = 10_000;

/// The output of one template, refused beyond [`MAX_OUTPUT_BYTES`]: Tera writes as it renders,
/// so a template that grows without bound stops at the limit instead of exhausting memory.
#[derive(Default)]
struct Bounded {
    bytes: Vec<u8>,
    exceeded: bool,
}

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_OUTPUT_BYTES {
            self.exceeded = true;
            return Err(std::io::Error::other("output limit reached"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `range(end=…, start=…, step_by=…)` as Tera has it, giving at most [`MAX_RANGE`] numbers.
fn range(kwargs: Kwargs, _: &State) -> TeraResult<Vec<i64>> {
    let start = kwargs.get::<i64>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i64>("end")?;
    let step = kwargs.get::<i64>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message("`range` was called with `step_by=0`"));
    }
    let span = i128::from(end) - i128::from(start);
    let len = if (span > 0) == (step > 0) && span != 0 {
        (span.abs() + i128::from(step).abs() - 1) / i128::from(step).abs()
    } else {
        0
    };
    if len > i128::from(MAX_RANGE) {
        return Err(tera::Error::message(format!(
            "`range` would give {len} numbers; annex allows at most {MAX_RANGE}"
        )));
    }
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < end) || (step < 0 && i > end) {
        out.push(i);
        match i.checked_add(step) {
            Some(next) => i = next,
            None => break,
        }
    }
    Ok(out)
}

/// A loop over `range()` inside another loop over `range()` repeats up to 10⁸ times: refused,
/// since Tera cannot stop a loop that writes nothing.
pub(crate) fn nested_range(file: &str, line_offset: usize, text: &str) -> Option<Diagnostic> {
    let at = crate::library::nested_range_loop(text)?;
    let (line, column) = crate::diagnostic::line_column(text, at);
    Some(
        Diagnostic::error(
            Some(Location::at(file, line + line_offset, column)),
            "a loop over `range` inside another loop over `range`: it may repeat 100 million times",
        )
        .with_line_text(text.lines().nth(line - 1).unwrap_or_default())
        .hint(format!(
            "loop over `range` at most once on any path (it gives at most {MAX_RANGE} numbers), or loop over the project's lists"
        )),
    )
}

/// The tags of Tera's syntax that clauses may use.
pub(crate) const TAGS: [&str; 15] = [
    "if",
    "elif",
    "else",
    "endif",
    "for",
    "endfor",
    "set",
    "set_global",
    "endset",
    "filter",
    "endfilter",
    "raw",
    "endraw",
    "break",
    "continue",
];

/// Tera's "unknown tag" at 1-based `line` (of `text`) and 0-based `column`: names the tag, and
/// for a closing tag that closes the wrong block, the block still open.
fn unknown_tag(
    file: &str,
    line_offset: usize,
    text: &str,
    line: usize,
    column: usize,
) -> Diagnostic {
    let line_text = text.lines().nth(line.saturating_sub(1)).unwrap_or_default();
    let location = Location::at(file, line + line_offset, column + 1);
    let word: String = line_text
        .chars()
        .skip(column)
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let at = line_start
        + line_text
            .char_indices()
            .nth(column)
            .map_or(line_text.len(), |(i, _)| i);
    // The blocks open before this tag's `{%`.
    let before = text.get(..at).unwrap_or_default();
    let before = &before[..before.rfind("{%").unwrap_or(before.len())];
    let open = crate::library::unclosed_block(before);
    let d = match open {
        Some((tag, open_at)) if TAGS.contains(&word.as_str()) => {
            let (open_line, _) = crate::diagnostic::line_column(text, open_at);
            Diagnostic::error(
                Some(location),
                format!(
                    "`{{% {word} %}}` cannot end the `{{% {tag} %}}` of line {}, which is still open",
                    open_line + line_offset
                ),
            )
            .hint(format!(
                "close the {tag} block with `{{% end{tag} %}}` before this tag"
            ))
        }
        _ => {
            let mut message = format!("unknown tag `{word}`");
            if let Some(s) = crate::diagnostic::did_you_mean(&word, TAGS) {
                message.push_str(&format!("; did you mean `{s}`?"));
            }
            Diagnostic::error(Some(location), message)
        }
    };
    d.with_line_text(line_text)
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

/// Registers an annex filter that passes a draft placeholder through unchanged (so that
/// `{{ missing | number }}` shows the placeholder) and otherwise calls `f`.
fn filter<F>(tera: &mut Tera, name: &'static str, f: F)
where
    F: Fn(&Value, Kwargs, &State) -> TeraResult<Value> + Send + Sync + 'static,
{
    tera.register_filter(
        name,
        move |v: Value, kw: Kwargs, st: &State| -> TeraResult<Value> {
            if draft::is_placeholder(&v) {
                Ok(v)
            } else {
                f(&v, kw, st)
            }
        },
    );
}

fn register_filters(tera: &mut Tera) {
    filter(tera, "fmt_date", |v, _, state| {
        let s = <&str>::from_value(v)?;
        let d = crate::project::IsoDate::parse(s).map_err(tera::Error::message)?;
        Ok(safe(format::date(d, language(state))))
    });
    filter(tera, "number", |v, _, st| {
        Ok(safe(format::number(f64::from_value(v)?, language(st))))
    });
    filter(tera, "percent", |v, _, st| {
        Ok(safe(format::percent(f64::from_value(v)?, language(st))))
    });
    filter(tera, "hours", |v, _, st| {
        Ok(safe(format::hours(f64::from_value(v)?, language(st))))
    });
    filter(tera, "minutes", |v, _, st| {
        Ok(safe(format::minutes(f64::from_value(v)?, language(st))))
    });
    filter(tera, "days", |v, kw, st| {
        Ok(safe(format::days(
            f64::from_value(v)?,
            language(st),
            case(&kw)?,
        )))
    });
    filter(tera, "months", |v, kw, st| {
        Ok(safe(format::months(
            f64::from_value(v)?,
            language(st),
            case(&kw)?,
        )))
    });
    // These two carry project text: their output is escaped like any value.
    // `join_and(sep="; ")` joins with the separator alone: for items that contain "and". (Tera's
    // own `join` would fail on a draft placeholder; annex's filters pass it through.)
    filter(tera, "join_and", |v, kw, st| {
        let items = Vec::<String>::from_value(v)?;
        let sep: Option<&str> = kw.get("sep")?;
        Ok(Value::from(match sep {
            Some(sep) => items.join(sep),
            None => format::join_and(&items, language(st)),
        }))
    });
    filter(tera, "address", |v, _, _| {
        Ok(Value::from(format::address(<&str>::from_value(v)?)))
    });
    filter(tera, "level_name", |v, _, st| {
        let s = <&str>::from_value(v)?;
        format::level_name(s, language(st))
            .map(|n| safe(n.to_string()))
            .ok_or_else(|| {
                tera::Error::message(format!(
                    "`level_name` expects \"normal\", \"high\" or \"very_high\", got \"{s}\""
                ))
            })
    });
    filter(tera, "value_name", |v, _, st| {
        let s = <&str>::from_value(v)?;
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
    // Every locale has the label (checked when the library loads).
    let locale = library.locale(project.annex.language);
    let label = locale.labels.get("annex").map_or("", String::as_str);
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

#[cfg(test)]
mod tests {
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

//! One annex being rendered: each template rendered with the output limit, a draft's
//! placeholders for missing values and highlights for weaker figures.

use tera::{Context, Tera, Value};

use super::budget::{Instrumented, Metered};
use super::errors::{located_error, missing_error, too_long};
use super::{Placeholder, draft};
use crate::diagnostic::Diagnostic;

/// The most text one template may write for one annex (a clause is a few KiB; all the text of
/// a project file, at most 1 MiB, fits many times). A template that writes more is stopped.
pub const MAX_OUTPUT_BYTES: usize = 8 << 20;

/// What a draft puts around a highlighted figure's expression.
const MARK_OPEN_TAG: &str = "{{ __annex_mark_open }}";
const MARK_CLOSE_TAG: &str = "{{ __annex_mark_close }}";

/// One annex being rendered: the errors and placeholders so far.
pub(super) struct Run<'a> {
    pub(super) tera: &'a Tera,
    /// The texts Tera compiled, by template name (see [`super::budget`]).
    pub(super) templates: &'a std::collections::HashMap<String, Instrumented>,
    pub(super) draft: bool,
    /// Paths of the figures a draft highlights wherever a template writes them.
    pub(super) marked: &'a [String],
    /// Paths of the optional values the project left out.
    pub(super) nulls: &'a std::collections::BTreeSet<String>,
    pub(super) errors: Vec<Diagnostic>,
    /// What the templates did that is allowed but probably not meant.
    pub(super) warnings: Vec<Diagnostic>,
    pub(super) placeholders: Vec<Placeholder>,
}

impl Run<'_> {
    /// Renders one template; on failure records the error and returns `None`. In a draft, each
    /// use of a missing value is replaced by a placeholder variable in the template text and
    /// the text is rendered again (see [`draft`]).
    pub(super) fn render(
        &mut self,
        name: &str,
        ctx: &Context,
        file: &str,
        line_offset: usize,
        text: &str,
    ) -> Option<String> {
        let mut ctx = std::borrow::Cow::Borrowed(ctx);
        let mut edited: Option<String> = None;
        // What Tera compiled: the text with its work metered, and the edits that undo that.
        let seen = self.templates.get(name);
        let compiled = seen.map_or(text, |s| s.text.as_str());
        let mut edits = seen.map(|s| s.edits.clone()).unwrap_or_default();
        if !self.marked.is_empty()
            && let Some(spans) = crate::library::scan::outputs_reading(compiled, self.marked)
            && !spans.is_empty()
        {
            // `{{ x | hours }}` becomes `{{ __annex_mark_open }}{{ x | hours }}{{ __annex_mark_close }}`:
            // the marks are safe strings of annex's reserved characters, which the writers turn
            // into a highlight. Edits add no lines.
            let mut source = compiled.to_string();
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
            let _budget = Metered::start();
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
            let current = edited.as_deref().unwrap_or(compiled);
            let Some(missing) = draft::missing_value(&e, current, &ctx) else {
                self.errors
                    .push(located_error(&e, file, line_offset, text, &edits));
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
            let source = edited.get_or_insert_with(|| compiled.to_string());
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

/// The output of one template, refused beyond [`MAX_OUTPUT_BYTES`]: Tera writes as it renders,
/// so a template that grows without bound stops at the limit instead of exhausting memory.
#[derive(Default)]
pub(super) struct Bounded {
    pub(super) bytes: Vec<u8>,
    pub(super) exceeded: bool,
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

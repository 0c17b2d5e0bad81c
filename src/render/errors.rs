//! The errors of rendering: Tera's errors located in the clause file and worded for a template
//! author, and annex's own (a missing value, a heading, a reserved character, a nested
//! `range`, a template that writes too much).

use super::filters::MAX_RANGE;
use super::run::MAX_OUTPUT_BYTES;
use super::{Placeholder, draft, numbering};
use crate::diagnostic::{Diagnostic, Location};

/// The error for a heading the numbering cannot take, at the line of the template that writes
/// it (the first line whose text is the heading's, or that starts it with `#`).
pub(super) fn heading_error(
    clause: &crate::library::Clause,
    e: numbering::HeadingError,
) -> Diagnostic {
    at_heading(Diagnostic::error(None, e.message), clause, &e.heading)
        .hint("write subsections as `## Title` lines; annex numbers them and prints the clause heading itself")
}

/// The warning for a subsection heading that nothing follows in this annex.
pub(super) fn empty_subsection(clause: &crate::library::Clause, heading: &str) -> Diagnostic {
    let title = heading.trim_start_matches('#').trim();
    at_heading(
        Diagnostic::warning(
            None,
            format!("subsection \"{title}\" is empty in this annex: no text follows its heading"),
        ),
        clause,
        heading,
    )
    .hint("write its text, or put the heading inside the `{% if %}` that decides whether its text is there, so that both are left out together")
}

/// `d` at the line of the template that writes `heading` (the first line whose text is the
/// heading's, or that starts it with `#`).
fn at_heading(mut d: Diagnostic, clause: &crate::library::Clause, heading: &str) -> Diagnostic {
    let body = &clause.body;
    let title = heading.trim_start_matches('#').trim();
    let found = body.lines().enumerate().find(|(_, line)| {
        let t = line.trim();
        !heading.is_empty() && (t == heading || t.trim_start_matches('#').trim() == title)
    });
    d.location = Some(match found {
        Some((i, line)) => {
            let column = line.chars().count() - line.trim_start().chars().count() + 1;
            Location::at(&clause.file, i + 1 + clause.body_line_offset, column)
        }
        None => Location::file(&clause.file),
    });
    match found {
        Some((_, line)) => d.with_line_text(line),
        None => d,
    }
}

/// The error for a table row with more cells than its header, at the line of the template that
/// writes the row (or, for a row a loop writes, the table's header).
pub(super) fn table_error(
    clause: &crate::library::Clause,
    row: &super::tables::OverfullRow,
) -> Diagnostic {
    let body = &clause.body;
    let found = body
        .lines()
        .enumerate()
        .find(|(_, line)| line.trim() == row.row)
        .or_else(|| {
            body.lines()
                .enumerate()
                .find(|(_, line)| line.trim() == row.header)
        });
    let location = match found {
        Some((i, line)) => {
            let column = line.chars().count() - line.trim_start().chars().count() + 1;
            Location::at(&clause.file, i + 1 + clause.body_line_offset, column)
        }
        None => Location::file(&clause.file),
    };
    let mut d = Diagnostic::error(
        Some(location),
        format!(
            "a table row has {} cells, but the table's header has {}: Markdown drops the cells beyond the header's, and their text would be missing from the annex",
            row.row_cells, row.header_cells
        ),
    );
    if let Some((_, line)) = found {
        d = d.with_line_text(line);
    }
    d.hint("give the header as many cells as the widest row, or write a `|` inside a cell as `\\|`")
}

/// The error for a value a template needs and does not get.
pub(super) fn missing_error(p: &Placeholder, missing: &draft::Missing, draft: bool) -> Diagnostic {
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
            "only the variables of the project format and the annex context are available; see the guide (README.md of the template library)".to_string(),
        )
    };
    let d = Diagnostic::error(Some(location), message).hint(first_hint);
    if draft && missing.iterated {
        d.hint("a draft cannot show a placeholder for a list that the template loops over")
    } else if draft {
        d.hint("a draft cannot show more placeholders in one template")
    } else if missing.iterated {
        // A draft would stop here as well (see above).
        d
    } else {
        d.hint(format!(
            "to see the annex anyway, render a draft with `--draft`: it shows the placeholder {} and is marked ENTWURF / DRAFT",
            crate::markup::placeholder::label(&p.field)
        ))
    }
}

/// An error if a template contains one of the characters annex keeps for placeholders.
pub(super) fn reserved_character(file: &str, line_offset: usize, text: &str) -> Option<Diagnostic> {
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

/// A Tera error as a diagnostic at the line of the clause file; `text` is the template text
/// Tera saw (the clause body), `line_offset` the lines of the file before it.
pub(crate) fn template_error(
    e: &tera::Error,
    file: &str,
    line_offset: usize,
    text: &str,
) -> Diagnostic {
    located_error(e, file, line_offset, text, &draft::Edits::default())
}

/// [`template_error`] for an error in a text that annex edited before Tera saw it (see
/// [`super::budget`]): `edits` lead from Tera's positions back to `text` as written.
pub(super) fn located_error(
    e: &tera::Error,
    file: &str,
    line_offset: usize,
    text: &str,
    edits: &draft::Edits,
) -> Diagnostic {
    use std::error::Error as _;
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            let mut message = r.message().to_string();
            if let Some(src) = e.source() {
                message.push_str(&format!(": {src}"));
            }
            let (line, column) = if edits.is_empty() {
                (span.start_line, span.start_col + 1)
            } else {
                let mut at = edits.original(span.range.start);
                if message.starts_with(super::budget::STOPPED) && at > 0 {
                    // A meter stands right after the expression it meters: point at its end.
                    at = text.floor_char_boundary(at - 1);
                }
                crate::diagnostic::line_column(text, at)
            };
            let location = Location::at(file, line + line_offset, column);
            let mut d = Diagnostic::error(Some(location), lowercase_first(&message));
            if let Some(line) = line.checked_sub(1).and_then(|n| text.lines().nth(n)) {
                d = d.with_line_text(line);
            }
            if message.starts_with(super::budget::STOPPED) {
                d = d.hint("look for a loop that repeats far more often than intended (a loop inside a loop over a long list or a `range`, a component that calls itself), or a value that grows in a loop");
            }
            if message.to_lowercase() == "unknown tag" {
                return unknown_tag(file, line_offset, text, line, column - 1);
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
                // An element of a list the project may leave empty: `service.locations[0]`.
                let path_char = |c: &char| c.is_alphanumeric() || "_.[]\"'".contains(*c);
                let chars: Vec<char> = text
                    .lines()
                    .nth(line.saturating_sub(1))
                    .unwrap_or_default()
                    .chars()
                    .collect();
                let mut start = column.saturating_sub(1).min(chars.len());
                while start > 0 && chars.get(start - 1).is_some_and(path_char) {
                    start -= 1;
                }
                let expression: String = chars
                    .iter()
                    .skip(start)
                    .take_while(|c| path_char(c))
                    .collect();
                if let Some((list, _)) = expression.split_once('[')
                    && !list.is_empty()
                {
                    d.message = format!(
                        "`{expression}` is not there when the list `{list}` is empty, as a project may leave it"
                    ).into();
                    return d.hint(format!(
                        "write `{{% if {list} %}}…{{% endif %}}` around it, or go through the list with `{{% for x in {list} %}}…{{% endfor %}}`"
                    ));
                }
                d = d.hint("only the variables of the project format and the annex context are available; see the guide (README.md of the template library)");
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
            framed_error(&message, file, line_offset, text)
        }
    }
}

/// A Tera error whose text is a report of its own (`error: …`, then ` --> name:line:col` and
/// the line): its first line as the message, located at the line and column it names.
fn framed_error(report: &str, file: &str, line_offset: usize, text: &str) -> Diagnostic {
    let mut lines = report.lines();
    let first = lines.next().unwrap_or_default();
    let message = first.strip_prefix("error: ").unwrap_or(first);
    let at = report.lines().find_map(|l| {
        let place = l.trim_start().strip_prefix("--> ")?;
        let mut parts = place.rsplitn(3, ':');
        let column: usize = parts.next()?.trim().parse().ok()?;
        let line: usize = parts.next()?.trim().parse().ok()?;
        Some((line, column))
    });
    match at {
        Some((line, column)) => {
            let d = Diagnostic::error(
                Some(Location::at(file, line + line_offset, column)),
                lowercase_first(message),
            );
            match line.checked_sub(1).and_then(|n| text.lines().nth(n)) {
                Some(shown) => d.with_line_text(shown),
                None => d,
            }
        }
        None => Diagnostic::error(Some(Location::file(file)), lowercase_first(message)),
    }
}

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

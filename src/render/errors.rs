//! The errors of rendering: Tera's errors located in the clause file and worded for a template
//! author, and annex's own (a missing value, a heading, a reserved character, a nested
//! `range`, a template that writes too much).

use super::budget::STOPPED;
use super::filters::MAX_RANGE;
use super::run::MAX_OUTPUT_BYTES;
use super::{Placeholder, draft, numbering};
use crate::diagnostic::{Diagnostic, Location};
use crate::language::Localized;
use crate::text;

use super::tera_words::{from_tera, lowercase_first};

/// The hint for a name a template uses that is not there.
fn variables_hint() -> Localized {
    text!(
        en: "only the variables of the project format and the annex context are available; see the guide (README.md of the template library)",
        de: "verfügbar sind nur die Variablen des Projektformats und des Kontexts der Anlage; siehe die Anleitung (README.md der Vorlagenbibliothek)",
    )
}

/// The hint for a template stopped by its work budget, or for writing too much.
fn loop_hint() -> Localized {
    text!(
        en: "look for a loop that repeats far more often than intended (a loop inside a loop over a long list or a `range`, a component that calls itself), or a value that grows in a loop",
        de: "suchen Sie eine Schleife, die weit öfter wiederholt wird als beabsichtigt (eine Schleife in einer Schleife über eine lange Liste oder über `range`, eine Komponente, die sich selbst aufruft), oder einen Wert, der in einer Schleife wächst",
    )
}

/// The error for a heading the numbering cannot take, at the line of the template that writes
/// it (the first line whose text is the heading's, or that starts it with `#`).
pub(super) fn heading_error(
    clause: &crate::library::Clause,
    e: numbering::HeadingError,
) -> Diagnostic {
    // The same hint as `annex templates check` gives for a heading with its own number.
    at_heading(Diagnostic::error(None, e.message), clause, &e.heading).hint(text!(
        en: "write subsections as `## Title` lines; annex numbers them and prints the clause heading itself",
        de: "schreiben Sie Unterabschnitte als Zeilen `## Titel`; annex nummeriert sie und setzt die Überschrift der Klausel selbst",
    ))
}

/// The warning for a subsection heading that nothing follows in this annex.
pub(super) fn empty_subsection(clause: &crate::library::Clause, heading: &str) -> Diagnostic {
    let title = heading.trim_start_matches('#').trim();
    at_heading(
        Diagnostic::warning(
            None,
            text!(
                en: "subsection \"{title}\" is empty in this annex: no text follows its heading",
                de: "Unterabschnitt \"{title}\" ist in dieser Anlage leer: auf seine Überschrift folgt kein Text",
            ),
        ),
        clause,
        heading,
    )
    .hint(text!(
        en: "write its text, or put the heading inside the `{{% if %}}` that decides whether its text is there, so that both are left out together",
        de: "schreiben Sie seinen Text, oder setzen Sie die Überschrift in das `{{% if %}}`, das über seinen Text entscheidet, damit beide zusammen wegfallen",
    ))
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
    let (cells, header) = (row.row_cells, row.header_cells);
    let mut d = Diagnostic::error(
        Some(location),
        text!(
            en: "a table row has {cells} cells, but the table's header has {header}: Markdown drops the cells beyond the header's, and their text would be missing from the annex",
            de: "eine Tabellenzeile hat {cells} Zellen, die Kopfzeile der Tabelle aber nur {header}: Markdown lässt die überzähligen Zellen weg, und ihr Text würde in der Anlage fehlen",
        ),
    );
    if let Some((_, line)) = found {
        d = d.with_line_text(line);
    }
    d.hint(text!(
        en: "give the header as many cells as the widest row, or write a `|` inside a cell as `\\|`",
        de: "geben Sie der Kopfzeile so viele Zellen wie der breitesten Zeile, oder schreiben Sie ein `|` innerhalb einer Zelle als `\\|`",
    ))
}

/// The error for a value a template needs and does not get.
pub(super) fn missing_error(p: &Placeholder, missing: &draft::Missing, draft: bool) -> Diagnostic {
    let location = Location::at(&p.file, p.line, p.column);
    let (field, absent) = (&p.field, &p.missing);
    let (message, first_hint) = if p.project_field {
        let message = if field == absent {
            text!(
                en: "the clause needs `{field}`, which the project does not give",
                de: "die Klausel benötigt `{field}`, aber das Projekt gibt diesen Wert nicht an",
            )
        } else {
            text!(
                en: "the clause needs `{field}`, but the project does not give `{absent}`",
                de: "die Klausel benötigt `{field}`, aber das Projekt gibt `{absent}` nicht an",
            )
        };
        let hint = text!(
            en: "give `{absent}` in the project file (see the project format), or write the clause text for its absence with `{{% if {absent} %}}…{{% else %}}…{{% endif %}}`",
            de: "geben Sie `{absent}` in der Projektdatei an (siehe das Projektformat), oder schreiben Sie den Text der Klausel für den Fall, dass der Wert fehlt, mit `{{% if {absent} %}}…{{% else %}}…{{% endif %}}`",
        );
        (message, hint)
    } else {
        // Tera's own words.
        let tera = lowercase_first(missing.message.trim_end_matches('.'));
        (
            text!(
                en: "the template uses `{field}`, which is not defined ({tera})",
                de: "die Vorlage verwendet `{field}`; dieser Name ist nicht definiert ({tera})",
            ),
            variables_hint(),
        )
    };
    let d = Diagnostic::error(Some(location), message).hint(first_hint);
    if draft && missing.iterated {
        d.hint(text!(
            en: "a draft cannot show a placeholder for a list that the template loops over",
            de: "ein Entwurf kann keinen Platzhalter für eine Liste zeigen, die die Vorlage in einer Schleife durchläuft",
        ))
    } else if draft {
        d.hint(text!(
            en: "a draft cannot show more placeholders in one template",
            de: "ein Entwurf kann in einer Vorlage nicht mehr Platzhalter zeigen",
        ))
    } else if missing.iterated {
        // A draft would stop here as well (see above).
        d
    } else {
        let label = crate::markup::placeholder::label(&p.field);
        d.hint(text!(
            en: "to see the annex anyway, render a draft with `--draft`: it shows the placeholder {label} and is marked ENTWURF / DRAFT",
            de: "um die Anlage trotzdem zu sehen, erstellen Sie einen Entwurf mit `--draft`: er zeigt den Platzhalter {label} und ist als ENTWURF / DRAFT gekennzeichnet",
        ))
    }
}

/// An error if a template contains one of the characters annex keeps for placeholders.
pub(super) fn reserved_character(file: &str, line_offset: usize, text: &str) -> Option<Diagnostic> {
    let at = text.find(crate::markup::placeholder::is_reserved)?;
    let (line, column) = crate::diagnostic::line_column(text, at);
    let code = u32::from(text[at..].chars().next().unwrap_or_default());
    Some(
        Diagnostic::error(
            Some(Location::at(file, line + line_offset, column)),
            text!(
                en: "the template contains the character U+{code:04X}, which annex reserves for draft placeholders",
                de: "die Vorlage enthält das Zeichen U+{code:04X}, das annex für die Platzhalter von Entwürfen reserviert",
            ),
        )
        .hint(text!(
            en: "remove it: U+FDD0 to U+FDEF are Unicode noncharacters and never belong in a text",
            de: "entfernen Sie es: U+FDD0 bis U+FDEF sind Unicode-Nichtzeichen und gehören nie in einen Text",
        )),
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
            let mut message = from_tera(r.message());
            if let Some(src) = e.source() {
                message.push(&Localized::verbatim(format!(": {src}")));
            }
            // What annex's code compares: the English text.
            let en = message.en().to_owned();
            let stopped = en.starts_with(STOPPED);
            let (line, column) = if edits.is_empty() {
                (span.start_line, span.start_col + 1)
            } else {
                let mut at = edits.original(span.range.start);
                if stopped && at > 0 {
                    // A meter stands right after the expression it meters: point at its end.
                    at = text.floor_char_boundary(at - 1);
                }
                crate::diagnostic::line_column(text, at)
            };
            let location = Location::at(file, line + line_offset, column);
            let mut d = Diagnostic::error(Some(location), message);
            if let Some(line) = line.checked_sub(1).and_then(|n| text.lines().nth(n)) {
                d = d.with_line_text(line);
            }
            if stopped {
                d = d.hint(loop_hint());
            }
            if en.to_lowercase() == "unknown tag" {
                return unknown_tag(file, line_offset, text, line, column - 1);
            }
            if en.to_lowercase().contains("unexpected end of input")
                && let Some((tag, at)) = crate::library::unclosed_block(text)
            {
                let (line, column) = crate::diagnostic::line_column(text, at);
                let location = Location::at(file, line + line_offset, column);
                return Diagnostic::error(
                    Some(location),
                    text!(
                        en: "this `{{% {tag} %}}` is never closed: the text ends inside it",
                        de: "dieses `{{% {tag} %}}` wird nie geschlossen: der Text endet darin",
                    ),
                )
                .with_line_text(text.lines().nth(line - 1).unwrap_or_default())
                .hint(text!(
                    en: "add `{{% end{tag} %}}` where the {tag} block should end",
                    de: "fügen Sie `{{% end{tag} %}}` dort ein, wo der {tag}-Block enden soll",
                ));
            }
            if en.contains("not defined") || en.contains("undefined") {
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
                    d.message = text!(
                        en: "`{expression}` is not there when the list `{list}` is empty, as a project may leave it",
                        de: "`{expression}` gibt es nicht, wenn die Liste `{list}` leer ist; ein Projekt darf sie leer lassen",
                    );
                    return d.hint(text!(
                        en: "write `{{% if {list} %}}…{{% endif %}}` around it, or go through the list with `{{% for x in {list} %}}…{{% endfor %}}`",
                        de: "setzen Sie `{{% if {list} %}}…{{% endif %}}` darum, oder gehen Sie die Liste mit `{{% for x in {list} %}}…{{% endfor %}}` durch",
                    ));
                }
                d = d.hint(variables_hint());
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
/// the line): its first line as the message (Tera's words, or annex's own in both languages),
/// located at the line and column it names.
fn framed_error(report: &str, file: &str, line_offset: usize, text: &str) -> Diagnostic {
    let mut lines = report.lines();
    let first = lines.next().unwrap_or_default();
    let message = from_tera(first.strip_prefix("error: ").unwrap_or(first));
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
                message,
            );
            match line.checked_sub(1).and_then(|n| text.lines().nth(n)) {
                Some(shown) => d.with_line_text(shown),
                None => d,
            }
        }
        None => Diagnostic::error(Some(Location::file(file)), message),
    }
}

/// The error for a template that wrote more than [`MAX_OUTPUT_BYTES`].
pub(crate) fn too_long(file: &str) -> Diagnostic {
    let mib = MAX_OUTPUT_BYTES >> 20;
    Diagnostic::error(
        Some(Location::file(file)),
        text!(
            en: "the template wrote more than {mib} MiB and was stopped",
            de: "die Vorlage hat mehr als {mib} MiB geschrieben und wurde angehalten",
        ),
    )
    .hint(text!(
        en: "look for a loop that repeats far more often than intended (`range`, or a list inside a loop over a list)",
        de: "suchen Sie eine Schleife, die weit öfter wiederholt wird als beabsichtigt (`range`, oder eine Liste in einer Schleife über eine Liste)",
    ))
}

/// A loop over `range()` inside another loop over `range()` repeats up to 10⁸ times: refused,
/// since Tera cannot stop a loop that writes nothing.
pub(crate) fn nested_range(file: &str, line_offset: usize, text: &str) -> Option<Diagnostic> {
    let at = crate::library::nested_range_loop(text)?;
    let (line, column) = crate::diagnostic::line_column(text, at);
    Some(
        Diagnostic::error(
            Some(Location::at(file, line + line_offset, column)),
            text!(
                en: "a loop over `range` inside another loop over `range`: it may repeat 100 million times",
                de: "eine Schleife über `range` in einer anderen Schleife über `range`: sie kann sich 100 Millionen Mal wiederholen",
            ),
        )
        .with_line_text(text.lines().nth(line - 1).unwrap_or_default())
        .hint(text!(
            en: "loop over `range` at most once on any path (it gives at most {MAX_RANGE} numbers), or loop over the project's lists",
            de: "verwenden Sie auf jedem Weg durch die Vorlage höchstens eine Schleife über `range` (`range` liefert höchstens {MAX_RANGE} Zahlen), oder Schleifen über die Listen des Projekts",
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
            let open_line = open_line + line_offset;
            Diagnostic::error(
                Some(location),
                text!(
                    en: "`{{% {word} %}}` cannot end the `{{% {tag} %}}` of line {open_line}, which is still open",
                    de: "`{{% {word} %}}` kann das `{{% {tag} %}}` aus Zeile {open_line} nicht beenden, das noch offen ist",
                ),
            )
            .hint(text!(
                en: "close the {tag} block with `{{% end{tag} %}}` before this tag",
                de: "schließen Sie den {tag}-Block vor dieser Anweisung mit `{{% end{tag} %}}`",
            ))
        }
        _ => {
            let mut message =
                text!(en: "unknown tag `{word}`", de: "unbekannte Anweisung `{word}`");
            if let Some(s) = crate::diagnostic::did_you_mean(&word, TAGS) {
                message.push(&text!(en: "; did you mean `{s}`?", de: "; meinten Sie `{s}`?"));
            }
            Diagnostic::error(Some(location), message)
        }
    };
    d.with_line_text(line_text)
}

#[cfg(test)]
mod tests;

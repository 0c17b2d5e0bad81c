//! The wording of serde_json's errors: a located message per error, with did-you-mean for
//! an unknown field and the fields a missing one belongs to.

use super::ProjectSource;
use crate::diagnostic::{Diagnostic, Location, did_you_mean};

pub(super) fn json_error(
    source: &ProjectSource,
    path: &str,
    inner: serde_json::Error,
) -> Diagnostic {
    let d = worded(source, path, inner);
    // `"true"` or `"3"` where a yes/no or a number belongs: the quotes are the mistake.
    let quoted = d
        .message
        .en()
        .split_once("found the string \"")
        .and_then(|(_, rest)| rest.strip_suffix('"'))
        .map(str::to_owned);
    match quoted {
        Some(v) if d.message.en().contains("expected a boolean") && (v == "true" || v == "false") => {
            d.hint(format!("write {v} without quotes: a yes/no value is not text"))
        }
        Some(v)
            if d.message.en().contains("number")
                && v.starts_with(|c: char| c.is_ascii_digit() || c == '-')
                && v.parse::<f64>().is_ok_and(f64::is_finite) =>
        {
            d.hint(format!("write {v} without quotes: a number is not text"))
        }
        Some(v) if d.message.en().contains("number") && v.chars().next().is_some_and(|c| c.is_ascii_digit()) => {
            d.hint("write the number alone, without quotes and without a unit (the unit is given by the field, e.g. GB for storage_gb)")
        }
        _ => d,
    }
}

fn worded(source: &ProjectSource, path: &str, inner: serde_json::Error) -> Diagnostic {
    let (line, column) = (inner.line(), inner.column());
    let parser_location = if line > 0 {
        Location::at(&source.path, line, column.max(1))
    } else {
        Location::file(&source.path)
    };
    let raw = inner.to_string();
    let suffix = format!(" at line {line} column {column}");
    let message = raw
        .strip_suffix(&suffix)
        .unwrap_or(&raw)
        .replace("unknown variant", "unknown value");
    let message = quote_names(&message);
    let at = if path.is_empty() || path == "." {
        String::new()
    } else {
        format!("{path}: ")
    };
    if inner.is_syntax() || inner.is_eof() {
        if message.contains("number out of range") {
            return Diagnostic::error(
                Some(parser_location),
                "invalid JSON: the number is too large to represent",
            )
            .hint("numbers in a project are at most 1000000000");
        }
        if let Some(d) = comment_or_trailing_comma(source, line, column) {
            return d;
        }
        let what = if inner.is_eof() {
            "the file ends in the middle of the JSON"
        } else {
            &message
        };
        return Diagnostic::error(Some(parser_location), format!("invalid JSON: {what}"))
            .hint("check for a missing comma, quote or bracket just before this position");
    }
    // serde_json reports data errors after the value; point at the value itself instead.
    let location = match source.locate(path) {
        l if l.line.is_some() && !path.is_empty() => l,
        _ => parser_location,
    };
    if let Some(d) = unknown_field(&location, path, &message) {
        return d;
    }
    if let Some(field) = between(&message, "missing field `", "`") {
        let object = if at.is_empty() {
            "the project".to_string()
        } else {
            format!("`{path}`")
        };
        return Diagnostic::error(Some(location), format!("{at}missing field \"{field}\"")).hint(
            format!("{object} requires \"{field}\"; see `annex schema --markdown` for the fields"),
        );
    }
    Diagnostic::error(Some(location), format!("{at}{message}"))
}

/// Turns serde's "unknown field `x`, expected one of `a`, `b`" into a did-you-mean message.
fn unknown_field(location: &Location, path: &str, message: &str) -> Option<Diagnostic> {
    let field = between(message, "unknown field `", "`")?;
    let expected: Vec<&str> = message
        .split_once("expected")
        .map(|(_, rest)| rest.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default();
    // serde_path_to_error puts the unknown key itself at the end of the path.
    let parent = path
        .strip_suffix(field)
        .map(|p| p.trim_end_matches('.'))
        .unwrap_or(path);
    let at = if parent.is_empty() || parent == "." {
        String::new()
    } else {
        format!("{parent}: ")
    };
    let mut d = match did_you_mean(field, expected.iter().copied()) {
        Some(s) => Diagnostic::error(
            Some(location.clone()),
            format!("{at}unknown field \"{field}\", did you mean \"{s}\"?"),
        ),
        None => Diagnostic::error(
            Some(location.clone()),
            format!("{at}unknown field \"{field}\""),
        ),
    };
    if !expected.is_empty() {
        let place = if parent.is_empty() || parent == "." {
            "at the top level".to_string()
        } else {
            format!("in `{parent}`")
        };
        d = d.hint(format!(
            "the fields allowed {place} are: {}",
            expected.join(", ")
        ));
    }
    Some(d)
}

/// serde writes names in backticks (`de`); our messages quote them ("de").
fn quote_names(message: &str) -> String {
    if message.contains("unknown field") || message.contains("missing field") {
        return message.to_string();
    }
    plain_types(&message.replace('`', "\""))
}

/// serde's names of Rust types in "expected …" said as a person would.
fn plain_types(message: &str) -> String {
    let Some((head, expected)) = message.split_once(", expected ") else {
        return message.to_string();
    };
    let plain = match expected.trim() {
        "struct PerPriority" => {
            "p1 to p4, an object such as {\"p1\": 15, \"p2\": 60, \"p3\": 240, \"p4\": 480}"
        }
        "struct Exclusion" => {
            "an exclusion with \"id\" and \"reason\", such as {\"id\": \"encryption\", \"reason\": \"…\"}"
        }
        "f64" | "f32" => "a number",
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => {
            "a whole number"
        }
        "a sequence" => "a list",
        "a map" => "an object",
        other if other.starts_with("struct ") => "an object",
        other => other,
    };
    // "invalid type: integer `5`" (backticks made quotes above): say what was found.
    let Some(found) = head.strip_prefix("invalid type: ") else {
        return format!("{head}, expected {plain}");
    };
    let value = |kind: &str| {
        found
            .strip_prefix(kind)
            .map(|v| v.trim().trim_matches('"').to_owned())
    };
    let found = if let Some(n) = value("integer").or_else(|| value("floating point")) {
        format!("the number {n}")
    } else if let Some(t) = value("string") {
        format!("the string \"{t}\"")
    } else if let Some(b) = value("boolean") {
        b
    } else if found.starts_with("map") {
        "an object".to_owned()
    } else if found.starts_with("sequence") {
        "a list".to_owned()
    } else if found.starts_with("null") || found.starts_with("unit") {
        "null".to_owned()
    } else {
        found.to_owned()
    };
    format!("expected {plain}, found {found}")
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &s[s.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

/// The message for the two slips JSON does not forgive and other formats do: a comment (`//`,
/// `/*`) and a comma after the last entry of an object or array. `line` and `column` are where
/// serde_json stopped (1-based; the column is that of the last character read).
fn comment_or_trailing_comma(
    source: &ProjectSource,
    line: usize,
    column: usize,
) -> Option<Diagnostic> {
    let text = source.text.lines().nth(line.checked_sub(1)?)?;
    // The byte offset in the line of the column-th character (or the line's end).
    let at = |column: usize| {
        text.char_indices()
            .nth(column.saturating_sub(1))
            .map_or(text.len(), |(i, _)| i)
    };
    let here = at(column);
    let rest = text.get(here..)?;
    if let Some(start) = ["//", "/*"].iter().filter_map(|c| rest.find(c)).min()
        && rest.get(..start).is_some_and(|gap| gap.trim().is_empty())
    {
        let column = text.get(..here + start)?.chars().count() + 1;
        return Some(
            source.quote(
                Diagnostic::error(
                    Some(Location::at(&source.path, line, column)),
                    "invalid JSON: JSON does not allow comments",
                )
                .hint("remove the comment; to keep a note in the project, put it into a value, e.g. `protection.rationale` or an entry of `variables`"),
            ),
        );
    }
    // serde_json stops at the closing bracket after a trailing comma: the comma is the last
    // character before it that is not white space, possibly on an earlier line.
    if !(rest.starts_with('}') || rest.starts_with(']')) {
        return None;
    }
    let offset = source
        .text
        .lines()
        .take(line - 1)
        .map(|l| l.len() + 1)
        .sum::<usize>()
        + here;
    let before = source.text.get(..offset)?.trim_end();
    if !before.ends_with(',') {
        return None;
    }
    let comma = before.len() - 1;
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..comma)?.chars().count() + 1;
    Some(
        source.quote(
            Diagnostic::error(
                Some(Location::at(&source.path, line, column)),
                "invalid JSON: a comma after the last entry (a trailing comma)",
            )
            .hint("remove this comma: in JSON a comma only stands between two entries"),
        ),
    )
}

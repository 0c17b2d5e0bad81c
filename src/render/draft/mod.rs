//! Missing values: a located error in a final annex, a placeholder in a draft.
//!
//! A clause may need a value the project does not give: an optional field it uses without
//! `{% if … %}` (`service_levels.storage_gb`, `client.security_officer.name`, …), a free value
//! under `variables` the project left out, or a name the template author got wrong. Tera 2.4 has
//! no hook for undefined values, so annex works with what it does have:
//!
//! 1. **Missing means absent.** The template context is built without `null`s
//!    ([`clean_context`]): an optional field the project leaves out is not there at all. A
//!    condition (`{% if client.contact %}`, `or`, `| default(…)`) treats it as false exactly as
//!    before, but every *use* of it — writing it, a filter, an attribute of it — is a Tera error
//!    at that place of the template, instead of silently printing nothing. The paths of the
//!    removed `null`s are kept, so a message can say "the project does not give …".
//! 2. **Reading the error.** Tera reports the position of the failing expression. annex reads
//!    the variable path at that position in the template source (`a.b.c`, `a["b"]`,
//!    `path_at`) and checks in the context that the path really is missing
//!    (`first_missing`); only then is it a missing value. Everything else (a type error, a
//!    wrong filter argument) stays an ordinary template error.
//! 3. **Final** (the default): the render fails with an error at the template line that names
//!    the missing field and the project field to add, and hints `--draft`.
//! 4. **Draft**: annex replaces the path *at that one place* of the template text by a fresh
//!    variable `__annex_missing_N`, binds that variable to a *placeholder* and renders the
//!    edited text again (Tera's `render_str`), until it renders (at most [`MAX_PLACEHOLDERS`]
//!    per template). Only the failing use changes: a condition elsewhere in the clause
//!    (`{% if service_levels.storage_gb %}…{% else %}…`) still sees the value as absent and
//!    keeps its fallback text, exactly as in the final annex. The placeholder is a Tera *safe*
//!    string holding a token ([`crate::markup::placeholder::encode`]), so the Markdown escape
//!    leaves it alone, and annex's own filters (`number`, `hours`, `fmt_date`, …) pass it
//!    through unchanged ([`is_placeholder`]); `{{ service_levels.storage_gb | number }}`
//!    therefore also becomes the placeholder. Each use is reported as a [`Placeholder`]
//!    (field, template file, line and column in the original file).
//!
//! Limits, by design: a missing value used as a loop (`{% for x in variables.list %}`) cannot
//! be given a placeholder; it stays an error in a draft too (with the same message). Tera's
//! built-in filters treat a placeholder as text (`upper` keeps it, `truncate` may damage it,
//! then the box reads `[?]`).
//!
//! Why a placeholder cannot be forged from project text: see
//! [`crate::markup::placeholder`]; [`clean_context`] removes its marker characters from every
//! string of the context, and the renderer refuses templates that contain them.

use std::collections::BTreeSet;

use serde::Serialize;
use tera::{Context, Value};

use crate::markup::placeholder;

/// At most this many placeholders per template (title block, one clause, appendix).
pub const MAX_PLACEHOLDERS: usize = 200;

/// A placeholder in a draft annex: a value a clause needed and the project did not give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placeholder {
    /// The value the template uses, e.g. `client.security_officer.name`; the placeholder shows
    /// it as `[client.security_officer.name]`.
    pub field: String,
    /// The part of it that is missing, e.g. `client.security_officer`.
    pub missing: String,
    /// Whether `missing` is a field the project could give (an optional field of the project
    /// format or a free value under `variables`); otherwise the template names something
    /// that does not exist.
    pub project_field: bool,
    /// The template file.
    pub file: String,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// A missing value found in a Tera error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Missing {
    /// The path the template uses.
    pub path: Vec<String>,
    /// How many of its segments exist (the first missing one is `path[present]`).
    pub present: usize,
    /// Byte offset of the path in the template source.
    pub offset: usize,
    /// Byte length of the path in the template source.
    pub len: usize,
    /// Tera's own message.
    pub message: String,
    /// It is used as a list to loop over (a placeholder cannot stand in for that).
    pub iterated: bool,
}

impl Missing {
    /// The path as the template author would write it.
    pub fn field(&self) -> String {
        display(&self.path)
    }

    /// The first missing part of the path.
    pub fn missing(&self) -> String {
        display(self.upto())
    }

    /// The path up to its first missing segment.
    pub fn upto(&self) -> &[String] {
        self.path.get(..=self.present).unwrap_or(&self.path)
    }
}

/// `a.b["c d"].e`.
fn display(path: &[String]) -> String {
    let mut out = String::new();
    for (i, seg) in path.iter().enumerate() {
        let ident = !seg.is_empty()
            && seg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if ident {
            if i > 0 {
                out.push('.');
            }
            out.push_str(seg);
        } else {
            out.push_str(&format!("[{seg:?}]"));
        }
    }
    out
}

/// Removes every `null` from the context (recording its path in `nulls`) and the placeholder
/// marker characters from every string.
pub fn clean_context(value: &mut serde_json::Value, nulls: &mut BTreeSet<String>) {
    clean(value, "", nulls);
}

fn clean(value: &mut serde_json::Value, path: &str, nulls: &mut BTreeSet<String>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        serde_json::Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                let clean_key = placeholder::sanitize(&key).into_owned();
                if let Some(mut v) = map.remove(&key) {
                    if v.is_null() {
                        nulls.insert(join(&clean_key));
                        continue;
                    }
                    clean(&mut v, &join(&clean_key), nulls);
                    map.insert(clean_key, v);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                clean(v, &join(&i.to_string()), nulls);
            }
        }
        serde_json::Value::String(s) => {
            if let std::borrow::Cow::Owned(clean) = placeholder::sanitize(s) {
                *s = clean;
            }
        }
        _ => {}
    }
}

/// Replaces the placeholder marker characters in every string of `value` (keys included), and
/// leaves everything else, `null`s too, as it is.
pub fn sanitize_strings(value: &mut serde_json::Value) {
    crate::json_text::map_strings(value, true, &placeholder::sanitize);
}

/// Whether a template value is a placeholder (only annex makes safe strings that start with
/// the marker).
pub fn is_placeholder(value: &Value) -> bool {
    value.is_safe()
        && value
            .as_str()
            .is_some_and(|s| s.starts_with(placeholder::OPEN))
}

/// The missing value a Tera error is about, if it is about one: the error points at a variable
/// path in `source` that is not (completely) in `ctx`.
pub(super) fn missing_value(e: &tera::Error, source: &str, ctx: &Context) -> Option<Missing> {
    let tera::ErrorKind::RenderingError(report) = e.kind() else {
        return None;
    };
    let message = report.message().to_string();
    let about_undefined = message.contains("not defined") || message.contains("undefined");
    if !about_undefined {
        return None;
    }
    let at = super::budget::metered_value(source, report.span().range.start);
    let (offset, len, path) = path_at(source, at)?;
    let present = first_missing(ctx, &path)?;
    Some(Missing {
        path,
        present,
        offset,
        len,
        iterated: message.contains("Iteration"),
        message,
    })
}

/// The variable path around byte `at` of `source`: its start offset, its length and its
/// segments. `at` may point at any segment (Tera points at the failing one).
pub(super) fn path_at(source: &str, at: usize) -> Option<(usize, usize, Vec<String>)> {
    let bytes = source.as_bytes();
    let mut start = at.min(source.len());
    while let Some(&c) = start.checked_sub(1).and_then(|p| bytes.get(p)) {
        if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' {
            start -= 1;
        } else if c == b']' {
            match source[..start - 1].rfind('[') {
                Some(open) => start = open,
                None => break,
            }
        } else {
            break;
        }
    }
    let (path, len) = parse_path(&source[start..])?;
    Some((start, len, path))
}

/// Parses `ident ( .ident | .digits | ["str"] | ['str'] )*` at the start of `s`; the segments
/// and the length of the text they take.
fn parse_path(s: &str) -> Option<(Vec<String>, usize)> {
    let ident_len = |t: &str| {
        t.bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count()
    };
    let first = s.as_bytes().first()?;
    if !(first.is_ascii_alphabetic() || *first == b'_') {
        return None;
    }
    let n = ident_len(s);
    let mut path = vec![s[..n].to_string()];
    let mut rest = &s[n..];
    loop {
        if let Some(after) = rest.strip_prefix('.') {
            let n = ident_len(after);
            if n == 0 {
                break;
            }
            path.push(after[..n].to_string());
            rest = &after[n..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let inner = after.trim_start();
            let Some(quote) = inner.chars().next().filter(|q| *q == '"' || *q == '\'') else {
                break;
            };
            let Some(end) = inner[1..].find(quote) else {
                break;
            };
            let key = &inner[1..1 + end];
            let Some(close) = inner[1 + end + 1..].trim_start().strip_prefix(']') else {
                break;
            };
            path.push(key.to_string());
            rest = close;
        } else {
            break;
        }
    }
    Some((path, s.len() - rest.len()))
}

/// How many leading segments of `path` exist in `ctx`, if not all do (`None`: the whole path
/// is there, so the error is not about a missing value).
pub(super) fn first_missing(ctx: &Context, path: &[String]) -> Option<usize> {
    let mut current = match ctx.get(path.first()?) {
        Some(v) if !v.is_undefined() && !v.is_none() => v,
        _ => return Some(0),
    };
    for (i, seg) in path.iter().enumerate().skip(1) {
        match current.as_map().and_then(|_| current.get_from_path(seg)) {
            Some(v) if !v.is_undefined() && !v.is_none() => current = v,
            _ => {
                // An attribute of a string, number or list is a template error, not a
                // missing value.
                return (current.as_map().is_some()).then_some(i);
            }
        }
    }
    None
}

/// The edits made to a template's text in a draft: each replaces a path by a variable name, so
/// that an offset in the edited text can be traced back to the original file.
#[derive(Debug, Clone, Default)]
pub(super) struct Edits {
    /// (start in the edited text, length there, length in the original).
    edits: Vec<(usize, usize, usize)>,
}

impl Edits {
    /// Records that `old_len` bytes at `start` of the current text became `new_len` bytes.
    pub fn push(&mut self, start: usize, old_len: usize, new_len: usize) {
        for e in &mut self.edits {
            // An insertion goes in front of an earlier edit at the same place.
            if e.0 > start || (old_len == 0 && e.0 == start) {
                e.0 = e.0 + new_len - old_len;
            }
        }
        self.edits.push((start, new_len, old_len));
    }

    /// Whether nothing was edited.
    pub fn is_empty(&self) -> bool {
        self.edits.is_empty()
    }

    /// The offset in the original text of `offset` in the edited text.
    pub fn original(&self, offset: usize) -> usize {
        let at = self
            .edits
            .iter()
            .find(|e| e.0 < offset && offset < e.0 + e.1)
            .map_or(offset, |e| e.0);
        let (grown, shrunk) = self
            .edits
            .iter()
            .filter(|e| e.0 + e.1 <= at)
            .fold((0, 0), |(g, s), e| (g + e.1, s + e.2));
        (at + shrunk).saturating_sub(grown)
    }
}

/// The placeholder value for `field`.
pub(super) fn placeholder_value(field: &str) -> Value {
    Value::safe_string(&placeholder::encode(field))
}

#[cfg(test)]
mod tests;

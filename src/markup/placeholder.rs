//! Placeholders for values a draft annex does not have yet.
//!
//! A draft renders clauses even when a value they need is missing. Where the value would go,
//! the template engine writes a *placeholder token*: the field name, hex-encoded, between the
//! two Unicode noncharacters U+FDD0 and U+FDD1 ([`OPEN`], [`CLOSE`]). The token is inert in
//! Markdown (hex digits and noncharacters are ordinary text to CommonMark, wherever the token
//! stands), survives case changes and is decoded by the two consumers of the Markdown:
//!
//! - [`to_markdown`] turns each token into a code span `` `[service_levels.storage_gb]` `` for
//!   the `.md` file (a grey box in Markdown viewers, visible in plain text);
//! - the Markdown→Typst writer turns each token into a labelled box,
//!   `#box[\[service\_levels\.storage\_gb\]]<annex-missing>`, which the frame draws as a grey
//!   box ([`TYPST_LABEL`]).
//!
//! Nobody but annex can write a token. The characters U+FDD0–U+FDEF ([`is_reserved`]) are
//! noncharacters, set aside by Unicode for process-internal use, and annex removes them from
//! every text that reaches the Markdown: project values are cleaned when the template context
//! is built ([`sanitize`]) and again by the Markdown escape, and a template that contains one
//! is refused when the library is loaded. A project string that looks like a placeholder —
//! `[service_levels.storage_gb]`, with backticks, with the noncharacters themselves — therefore
//! stays plain text.

use std::borrow::Cow;

/// Starts a placeholder token.
pub const OPEN: char = '\u{FDD0}';
/// Ends a placeholder token.
pub const CLOSE: char = '\u{FDD1}';
/// The Typst label of the box the writer emits for a placeholder; the frame styles it with
/// `show <annex-missing>: …`.
pub const TYPST_LABEL: &str = "annex-missing";

/// The characters annex keeps for itself: the noncharacters U+FDD0 to U+FDEF.
pub fn is_reserved(c: char) -> bool {
    ('\u{FDD0}'..='\u{FDEF}').contains(&c)
}

/// `s` with every reserved character replaced by U+FFFD.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if s.chars().any(is_reserved) {
        Cow::Owned(
            s.chars()
                .map(|c| if is_reserved(c) { '\u{FFFD}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// The token for a missing `field`.
pub fn encode(field: &str) -> String {
    let mut out = String::with_capacity(field.len() * 2 + 6);
    out.push(OPEN);
    for b in field.bytes() {
        out.push_str(&format!("{b:02x}"));
    }
    out.push(CLOSE);
    out
}

/// How a placeholder reads: `[service_levels.storage_gb]`.
pub fn label(field: &str) -> String {
    format!("[{field}]")
}

/// A piece of text: plain text or a placeholder with its field name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text as it is.
    Text(&'a str),
    /// A placeholder for this field.
    Placeholder(String),
}

/// Splits text into plain text and placeholders. Never fails: a token that was damaged (for
/// example cut by a template filter) still becomes a placeholder, named `?` if its name does
/// not decode; a stray [`CLOSE`] is dropped.
pub fn split(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find([OPEN, CLOSE]) {
        if start > 0 {
            pieces.push(Piece::Text(&rest[..start]));
        }
        let after = &rest[start..];
        if after.starts_with(CLOSE) {
            rest = &after[CLOSE.len_utf8()..];
            continue;
        }
        let body = &after[OPEN.len_utf8()..];
        let end = body.find([OPEN, CLOSE]).unwrap_or(body.len());
        pieces.push(Piece::Placeholder(decode(&body[..end])));
        rest = body[end..].strip_prefix(CLOSE).unwrap_or(&body[end..]);
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    pieces
}

/// Whether `text` contains a placeholder token (or part of one).
pub fn contains(text: &str) -> bool {
    text.contains([OPEN, CLOSE])
}

/// The field name of a token's hex body; `?` if it does not decode.
fn decode(hex: &str) -> String {
    let bytes: Option<Vec<u8>> = hex
        .len()
        .is_multiple_of(2)
        .then(|| {
            (0..hex.len())
                .step_by(2)
                .map(|i| {
                    hex.get(i..i + 2)
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                })
                .collect()
        })
        .flatten();
    match bytes.and_then(|b| String::from_utf8(b).ok()) {
        Some(name) if !name.is_empty() => sanitize(&name).into_owned(),
        _ => "?".to_string(),
    }
}

/// Text with every placeholder replaced by its [`label`] (for places that take plain text
/// only: headings, code, link targets).
pub fn to_plain(text: &str) -> Cow<'_, str> {
    if !contains(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        split(text)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => t.to_string(),
                Piece::Placeholder(field) => label(&field),
            })
            .collect(),
    )
}

/// Markdown with every placeholder token written as a code span `` `[field]` ``: what the
/// `.md` file of a draft shows.
pub fn to_markdown(markdown: &str) -> Cow<'_, str> {
    if !contains(markdown) {
        return Cow::Borrowed(markdown);
    }
    Cow::Owned(
        split(markdown)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => t.to_string(),
                Piece::Placeholder(field) => code_span(&label(&field)),
            })
            .collect(),
    )
}

/// A CommonMark code span showing `text` literally. Pipes and line breaks cannot occur in a
/// field name we show (they are replaced), so the span is safe in a table cell too.
fn code_span(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c == '|' || c.is_control() { '?' } else { c })
        .collect();
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        let t = format!("a {} b", encode("service_levels.storage_gb"));
        assert_eq!(
            split(&t),
            vec![
                Piece::Text("a "),
                Piece::Placeholder("service_levels.storage_gb".into()),
                Piece::Text(" b"),
            ]
        );
        assert_eq!(to_plain(&t), "a [service_levels.storage_gb] b");
        assert_eq!(to_markdown(&t), "a `[service_levels.storage_gb]` b");
        // Upper-cased by a filter: still decodes.
        assert_eq!(to_plain(&encode("x.y").to_uppercase()), "[x.y]");
    }

    #[test]
    fn damaged_tokens_never_leak_markers() {
        let t = encode("abc");
        let cut = &t[..t.len() - CLOSE.len_utf8() - 1];
        assert_eq!(to_plain(cut), "[?]");
        assert_eq!(to_plain("x\u{FDD1}y"), "xy");
        assert_eq!(to_plain("\u{FDD0}zz\u{FDD1}"), "[?]");
    }

    #[test]
    fn sanitize_removes_reserved_characters() {
        assert_eq!(
            sanitize("a\u{FDD0}b\u{FDEF}c\u{FDF0}"),
            "a\u{FFFD}b\u{FFFD}c\u{FDF0}"
        );
        assert!(matches!(sanitize("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn code_spans_hold_backticks() {
        assert_eq!(code_span("[a`b]"), "``[a`b]``");
        assert_eq!(code_span("`x"), "`` `x ``");
    }
}

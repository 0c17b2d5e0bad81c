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
/// Starts a figure a draft highlights: weaker than its level's default and not yet accepted.
pub const MARK_OPEN: char = '\u{FDD2}';
/// Ends a highlighted figure.
pub const MARK_CLOSE: char = '\u{FDD3}';
/// A paragraph of this character alone is a page break (before the appendix).
pub const PAGE_BREAK: char = '\u{FDD4}';
/// Starts text a redline shows as inserted.
pub const INS_OPEN: char = '\u{FDD5}';
/// Ends inserted text.
pub const INS_CLOSE: char = '\u{FDD6}';
/// Starts text a redline shows as deleted.
pub const DEL_OPEN: char = '\u{FDD7}';
/// Ends deleted text.
pub const DEL_CLOSE: char = '\u{FDD8}';
/// The Typst labels of inserted and deleted text; the frame styles them.
pub const TYPST_INS_LABEL: &str = "annex-ins";
/// See [`TYPST_INS_LABEL`].
pub const TYPST_DEL_LABEL: &str = "annex-del";
/// The Typst label of a highlighted figure; the frame styles it.
pub const TYPST_MARK_LABEL: &str = "annex-weaker";
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
    /// A highlighted figure (its text, without the marks).
    Marked(&'a str),
    /// Text a redline shows as inserted.
    Inserted(&'a str),
    /// Text a redline shows as deleted.
    Deleted(&'a str),
}

/// The kinds of marked spans: their opening and closing characters.
const SPANS: [(char, char); 3] = [
    (MARK_OPEN, MARK_CLOSE),
    (INS_OPEN, INS_CLOSE),
    (DEL_OPEN, DEL_CLOSE),
];

/// Whether an event's text holds a redline's insertion or deletion.
pub fn is_change(event: &pulldown_cmark::Event<'_>) -> bool {
    match event {
        pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => {
            t.contains([INS_OPEN, DEL_OPEN])
        }
        _ => false,
    }
}

/// Whether `c` opens or closes a marked span.
fn is_mark(c: char) -> bool {
    SPANS.iter().any(|(open, close)| c == *open || c == *close)
}

/// Splits text into plain text, placeholders and marked spans (highlighted figures, a
/// redline's insertions and deletions). Never fails: a token that was damaged (for example cut
/// by a template filter) still becomes a placeholder, named `?` if its name does not decode; a
/// stray [`CLOSE`] or mark is dropped. Spans do not nest: a highlight around a placeholder is
/// dropped (the placeholder stays), and a placeholder inside an insertion or a deletion stays a
/// placeholder.
pub fn split(text: &str) -> Vec<Piece<'_>> {
    if !text.contains(is_mark) {
        return split_placeholders(text);
    }
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(is_mark) {
        pieces.extend(split_placeholders(&rest[..start]));
        let after = &rest[start..];
        let mark = after.chars().next().unwrap_or(MARK_CLOSE);
        let body = &after[mark.len_utf8()..];
        let span = SPANS.iter().find(|(open, _)| *open == mark);
        let Some((open, close)) = span else {
            // A closing mark without its opening one.
            rest = body;
            continue;
        };
        let Some(end) = body
            .find(is_mark)
            .filter(|&end| body[end..].starts_with(*close))
        else {
            // An opening mark without its closing one.
            rest = body;
            continue;
        };
        let inner = &body[..end];
        rest = &body[end + close.len_utf8()..];
        match *open {
            MARK_OPEN if !contains(inner) => {
                if !inner.is_empty() {
                    pieces.push(Piece::Marked(inner));
                }
            }
            MARK_OPEN => pieces.extend(split_placeholders(inner)),
            _ => pieces.extend(split_placeholders(inner).into_iter().map(|p| match p {
                Piece::Text(t) if *open == INS_OPEN => Piece::Inserted(t),
                Piece::Text(t) => Piece::Deleted(t),
                other => other,
            })),
        }
    }
    pieces.extend(split_placeholders(rest));
    pieces
}

fn split_placeholders(text: &str) -> Vec<Piece<'_>> {
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

/// Whether `text` contains a placeholder token or a mark.
fn annotated(text: &str) -> bool {
    text.contains([OPEN, CLOSE]) || text.contains(is_mark)
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

/// Text with every placeholder replaced by its [`label`], marks removed and a redline's
/// deletions left out (for places that take plain text only: code, link targets).
pub fn to_plain(text: &str) -> Cow<'_, str> {
    if !annotated(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        split(text)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) | Piece::Marked(t) | Piece::Inserted(t) => t.to_string(),
                Piece::Deleted(_) => String::new(),
                Piece::Placeholder(field) => label(&field),
            })
            .collect(),
    )
}

/// Markdown with every placeholder token written as a code span `` `[field]` ``: what the
/// `.md` file of a draft shows.
///
/// A highlighted figure becomes `==figure==` (the highlight of several Markdown dialects; as
/// plain text it still stands out), which CommonMark leaves as text. A redline's insertions
/// become `<ins>…</ins>` and its deletions `<del>…</del>`, as Markdown viewers show them.
pub fn to_markdown(markdown: &str) -> Cow<'_, str> {
    if !annotated(markdown) {
        return Cow::Borrowed(markdown);
    }
    Cow::Owned(
        split(markdown)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => t.to_string(),
                Piece::Marked(t) => format!("=={t}=="),
                Piece::Inserted(t) => format!("<ins>{t}</ins>"),
                Piece::Deleted(t) => format!("<del>{t}</del>"),
                Piece::Placeholder(field) => code_span(&label(&field)),
            })
            .collect(),
    )
}

/// `text` without the first `n` bytes of its visible text (as [`to_plain`] reads it), with
/// its tokens and marks kept: a heading's number taken away by a writer that numbers headings
/// itself. Deleted text before the cut goes with it.
pub fn strip_visible_prefix(text: &str, n: usize) -> String {
    let mut left = n;
    let mut out = String::new();
    for piece in split(text) {
        let (body, open, close) = match &piece {
            Piece::Text(t) => (*t, None, None),
            Piece::Marked(t) => (*t, Some(MARK_OPEN), Some(MARK_CLOSE)),
            Piece::Inserted(t) => (*t, Some(INS_OPEN), Some(INS_CLOSE)),
            Piece::Deleted(t) if left > 0 => {
                let _ = t;
                continue;
            }
            Piece::Deleted(t) => (*t, Some(DEL_OPEN), Some(DEL_CLOSE)),
            Piece::Placeholder(field) => {
                let shown = label(field).len();
                if left >= shown {
                    left -= shown;
                } else {
                    left = 0;
                    out.push_str(&encode(field));
                }
                continue;
            }
        };
        let cut = left.min(body.len());
        left -= cut;
        let rest = body.get(cut..).unwrap_or_default();
        if rest.is_empty() {
            continue;
        }
        out.extend(open);
        out.push_str(rest);
        out.extend(close);
    }
    out
}

/// The highlight marks around `text`.
pub fn mark(text: &str) -> String {
    format!("{MARK_OPEN}{text}{MARK_CLOSE}")
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
    fn marked_figures_are_highlighted_and_stray_marks_dropped() {
        let t = format!("bis {} je Ausfall", mark("96 Stunden"));
        assert_eq!(
            split(&t),
            vec![
                Piece::Text("bis "),
                Piece::Marked("96 Stunden"),
                Piece::Text(" je Ausfall"),
            ]
        );
        assert_eq!(to_markdown(&t), "bis ==96 Stunden== je Ausfall");
        assert_eq!(to_plain(&t), "bis 96 Stunden je Ausfall");
        // Unpaired marks vanish; a mark around a placeholder keeps the placeholder.
        assert_eq!(to_plain("a\u{FDD2}b"), "ab");
        assert_eq!(to_plain("a\u{FDD3}b"), "ab");
        let inner = format!("x {} y", mark(&encode("f")));
        assert_eq!(to_plain(&inner), "x [f] y");
    }

    #[test]
    fn insertions_and_deletions_are_spans_of_their_own() {
        let t = format!(
            "binnen {DEL_OPEN}4{DEL_CLOSE}{INS_OPEN}2{INS_CLOSE} Stunden, {INS_OPEN}neu {} mit{INS_CLOSE}",
            encode("f")
        );
        assert_eq!(
            split(&t),
            vec![
                Piece::Text("binnen "),
                Piece::Deleted("4"),
                Piece::Inserted("2"),
                Piece::Text(" Stunden, "),
                Piece::Inserted("neu "),
                Piece::Placeholder("f".into()),
                Piece::Inserted(" mit"),
            ]
        );
        assert_eq!(to_plain(&t), "binnen 2 Stunden, neu [f] mit");
        assert_eq!(
            to_markdown(&t),
            "binnen <del>4</del><ins>2</ins> Stunden, <ins>neu </ins>`[f]`<ins> mit</ins>"
        );
        // Unpaired or crossed marks vanish with nothing of their text lost.
        assert_eq!(to_plain(&format!("a{INS_OPEN}b{DEL_CLOSE}c")), "abc");
        assert_eq!(to_plain(&format!("a{DEL_OPEN}b")), "ab");
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

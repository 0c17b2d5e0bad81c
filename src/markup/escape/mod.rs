//! Escaping of untrusted text for Typst markup, Typst string literals and
//! CommonMark.
//!
//! All three functions are total: any input yields output that the target
//! language reads back as exactly that text (modulo the documented whitespace
//! normalisation). The property tests at the end of this file check that claim
//! against the real parsers (`typst::syntax` and `pulldown-cmark`).

/// Characters that Typst treats as newlines (`typst_syntax::is_newline`).
/// Besides `\n` and `\r` these include vertical tab and form feed.
fn is_typst_newline(c: char) -> bool {
    matches!(
        c,
        '\n' | '\x0B' | '\x0C' | '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}'
    )
}

/// Escapes text so that Typst markup shows it literally.
///
/// Every char of `` \ / [ ] ( ) { } ~ - . * _ : ; ` $ < > @ # = + `` gets a
/// backslash, so the text can start no markup construct (heading, list, raw,
/// math, label, reference, comment, shorthand, emphasis) and cannot extend an
/// embedded expression that precedes it (`#strong[a]` followed by `(`, `[`,
/// `.` or `;`). Every Typst newline (`\n`, `\r`, VT, FF, U+0085, U+2028,
/// U+2029) becomes a space, so the text never starts a new line or paragraph.
/// Quotes stay as they are and become typographic quotes.
pub fn markup_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for c in s.chars() {
        match c {
            '\\' | '/' | '[' | ']' | '(' | ')' | '{' | '}' | '~' | '-' | '.' | '*' | '_' | ':'
            | ';' | '`' | '$' | '<' | '>' | '@' | '#' | '=' | '+' => {
                out.push('\\');
                out.push(c);
            }
            c if is_typst_newline(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for the inside of a Typst string literal.
///
/// Returns the content **without** the surrounding quotes: write
/// `format!("\"{}\"", string_literal(s))`. `\` and `"` get a backslash,
/// newline, carriage return and tab become `\n`, `\r` and `\t`; everything
/// else is kept (Typst strings may contain any other character verbatim).
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

/// Non-breaking spaces are kept inside a value (they carry meaning, e.g.
/// `99,95 %` with U+202F); all other whitespace runs collapse to one space.
fn is_collapsible(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{00A0}' | '\u{2007}' | '\u{202F}')
}

/// A value with explicit direction controls (U+202A–U+202E, U+2066–U+2069) is wrapped in
/// first-strong isolates, so that an override or embedding it leaves open cannot reorder the
/// text after it (the clause's words, or another value): `FSI…FSI value PDI…PDI`, with one more
/// FSI than the value has PDIs, so that none of its own PDIs closes the wrapping. A PDI without
/// an open isolate is ignored, and a PDI ends every embedding opened inside its isolate
/// (Unicode's bidi algorithm, UAX #9). Other values are unchanged.
pub fn isolate_bidi(s: &str) -> std::borrow::Cow<'_, str> {
    let controls = |c: &char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(|c| controls(&c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let pdis = s.chars().filter(|&c| c == '\u{2069}').count();
    let opens = s
        .chars()
        .filter(|&c| matches!(c, '\u{2066}'..='\u{2068}'))
        .count();
    let mut out = "\u{2068}".repeat(pdis + 1);
    out.push_str(s);
    out.push_str(&"\u{2069}".repeat(pdis + 1 + opens));
    std::borrow::Cow::Owned(out)
}

/// [`isolate_bidi`] for every string in a JSON value (the data the PDF frame prints).
pub fn isolate_bidi_json(value: &mut serde_json::Value) {
    crate::json_text::map_strings(value, false, &isolate_bidi);
}

/// Normalises whitespace the way [`markdown_text`] does, without escaping.
///
/// Every run of whitespace (including newlines, tabs, U+0085, U+2028, U+2029)
/// except the non-breaking spaces U+00A0, U+2007 and U+202F becomes one
/// space, both ends are trimmed of all whitespace, and U+0000 becomes U+FFFD
/// (as CommonMark does), as do the noncharacters U+FDD0–U+FDEF that annex
/// keeps for its draft placeholders ([`super::placeholder`]).
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.trim_matches(char::is_whitespace).chars() {
        if is_collapsible(c) {
            pending_space = true;
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        let reserved = c == '\0' || super::placeholder::is_reserved(c);
        out.push(if reserved { '\u{FFFD}' } else { c });
    }
    out
}

/// Escapes a project value for insertion into a Markdown clause template.
///
/// This is the Tera autoescape function for `.md` templates. The result reads
/// back (pulldown-cmark 0.13, tables, footnotes, strikethrough, task lists) as
/// the literal text [`collapse_whitespace`]`(s)`, wherever the template puts
/// it on a line: mid-line, at line start, inside `**…**` or `*…*`, in a GFM
/// table cell or after `## `. It does not work inside code spans, link
/// destinations or raw HTML.
///
/// Rules, kept minimal so that the `.md` file stays readable:
/// - whitespace is collapsed to single spaces and trimmed
///   ([`collapse_whitespace`]), so the value is one line that cannot start
///   with indentation (no indented code block, no lazy continuation tricks)
///   and cannot end in a hard line break;
/// - ``\ ` * _ [ ] < > # | ~ &`` always get a backslash (escapes, code spans,
///   emphasis, links/images/footnotes, autolinks/HTML, headings, table cells,
///   strikethrough/fences, entity references);
/// - at the start of the value a leading `-`, `+`, `=`, `!` gets a backslash
///   (list items, setext underlines, thematic breaks), and so does the `.` or
///   `)` after a leading run of 1–9 digits when a space or the end follows
///   (ordered list marker). `1.234` and `rb-core-banking-ops` stay unchanged;
/// - a backslash at the very end is written as `&#92;`: in a GFM table cell
///   written as `|{{ x }}|`, an escaped backslash (`\\`) would still escape the
///   template's `|` (pipes are split off before backslash escapes).
pub fn markdown_text(s: &str) -> String {
    let collapsed = collapse_whitespace(s);
    let text = isolate_bidi(&collapsed);
    let mut out = String::with_capacity(text.len() + 8);
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let ordered_marker = (1..=9).contains(&digits)
        && matches!(text.as_bytes().get(digits), Some(b'.' | b')'))
        && matches!(text.as_bytes().get(digits + 1), None | Some(b' '));
    for (i, c) in text.char_indices() {
        let leading = i == 0 && matches!(c, '-' | '+' | '=' | '!');
        // `==` is the highlight annex writes around a draft's weaker figures in the `.md`
        // file: project text never forms one.
        let highlight = c == '=' && text[i + 1..].starts_with('=');
        let marker = ordered_marker && i == digits;
        let always = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&'
        );
        if c == '\\' && i + 1 == text.len() {
            // GFM splits table cells before escapes: `\\|` would hide the
            // template's cell delimiter, so a final backslash is an entity.
            out.push_str("&#92;");
            continue;
        }
        if leading || marker || always || highlight {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests;

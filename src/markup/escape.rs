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
mod tests {
    use super::*;
    use crate::markup::testutil::{cases, hostile_string};
    use proptest::prelude::*;
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    use typst::syntax::{SyntaxKind, SyntaxNode, ast};

    /// Leaves the escaped text may produce. `Shorthand` is not among them:
    /// every markup shorthand starts with `-`, `.` or `~` (`--`, `---`, `-?`,
    /// `-1`, `...`, `~`), and all three are escaped.
    const TEXT_LEAVES: [SyntaxKind; 4] = [
        SyntaxKind::Text,
        SyntaxKind::Escape,
        SyntaxKind::Space,
        SyntaxKind::SmartQuote,
    ];

    fn leaves<'a>(node: &'a SyntaxNode, acc: &mut Vec<&'a SyntaxNode>) {
        if node.children().len() == 0 && !node.is_empty() {
            acc.push(node);
        }
        for child in node.children() {
            leaves(child, acc);
        }
    }

    fn count(node: &SyntaxNode, kind: SyntaxKind) -> usize {
        usize::from(node.kind() == kind) + node.children().map(|c| count(c, kind)).sum::<usize>()
    }

    /// What Typst shows for a run of text leaves: escapes without backslash.
    fn shown(leaves: &[&SyntaxNode]) -> String {
        leaves
            .iter()
            .map(|l| match l.kind() {
                SyntaxKind::Escape => l.leaf_text()[1..].to_string(),
                _ => l.leaf_text().to_string(),
            })
            .collect()
    }

    /// Parses `prefix + markup_text(s) + suffix` and checks that the only
    /// structure is the call in `prefix` (if any) and that Typst shows `s`.
    fn check_markup(s: &str, prefix: &str, suffix: &str) -> Result<(), TestCaseError> {
        let source = format!("{prefix}{}{suffix}", markup_text(s));
        let root = typst::syntax::parse(&source);
        prop_assert!(!root.diagnosis().either(), "error in {:?}", source);
        let calls = usize::from(!prefix.is_empty());
        prop_assert_eq!(count(&root, SyntaxKind::FuncCall), calls, "{:?}", source);
        let mut all = Vec::new();
        leaves(&root, &mut all);
        let (text, structural): (Vec<_>, Vec<_>) = all
            .into_iter()
            .partition(|l| TEXT_LEAVES.contains(&l.kind()));
        let kinds: Vec<_> = structural.iter().map(|l| l.kind()).collect();
        let call = [
            SyntaxKind::Hash,
            SyntaxKind::Ident,
            SyntaxKind::LeftBracket,
            SyntaxKind::RightBracket,
        ];
        prop_assert_eq!(&kinds[..], &call[..4 * calls], "{:?}", source);
        let newline_free: String = s
            .chars()
            .map(|c| if is_typst_newline(c) { ' ' } else { c })
            .collect();
        let inner = if prefix.starts_with("#strong[x]") {
            "x"
        } else {
            ""
        };
        prop_assert_eq!(
            shown(&text),
            format!("{inner}{newline_free}"),
            "{:?}",
            source
        );
        Ok(())
    }

    #[test]
    fn markup_text_examples() {
        assert_eq!(markup_text("a.b"), "a\\.b");
        assert_eq!(markup_text("= x\n- y"), "\\= x \\- y");
        assert_eq!(
            markup_text("#set page(width: 1pt)"),
            "\\#set page\\(width\\: 1pt\\)"
        );
        assert_eq!(markup_text("\"Zitat\" '1'"), "\"Zitat\" '1'");
        assert_eq!(markup_text("a\x0B\x0Bb"), "a  b");
    }

    #[test]
    fn project_text_never_forms_a_draft_highlight() {
        assert_eq!(markdown_text("a==b==c"), "a\\==b\\==c");
        assert_eq!(markdown_text("x = y"), "x = y");
        let events: Vec<String> = Parser::new(&markdown_text("a==b==c"))
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(events.concat(), "a==b==c");
    }

    #[test]
    fn string_literal_examples() {
        assert_eq!(string_literal("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }

    #[test]
    fn markdown_text_keeps_ordinary_values_readable() {
        for s in [
            "Stadt Musterstadt – Personal- und Organisationsamt",
            "99,95 %",
            "99,95\u{202F}%",
            "rb-core-banking-ops",
            "ICT Services Agreement, ref. RB-ICT-2026-004",
            "j.vogel@musterstadt.example",
            "1.234",
        ] {
            assert_eq!(markdown_text(s), s);
        }
    }

    #[test]
    fn markdown_text_examples() {
        assert_eq!(markdown_text("  # X\n\t*y*  "), "\\# X \\*y\\*");
        assert_eq!(markdown_text("1. Punkt"), "1\\. Punkt");
        assert_eq!(markdown_text("12)"), "12\\)");
        assert_eq!(markdown_text("1234567890. x"), "1234567890. x");
        assert_eq!(markdown_text("- a | b"), "\\- a \\| b");
        assert_eq!(markdown_text("AT&T <x>"), "AT\\&T \\<x\\>");
        assert_eq!(markdown_text("\u{2028}\u{a0}"), "");
        assert_eq!(markdown_text("a\0b"), "a\u{FFFD}b");
    }

    /// Regression found by the property test: `|\\|` hides the cell delimiter.
    #[test]
    fn markdown_text_trailing_backslash_in_table_cell() {
        let v = markdown_text("C:\\Daten\\");
        assert_eq!(v, "C:\\\\Daten&#92;");
        let md = format!("|h|g|\n|-|-|\n|{v}|a|\n");
        let cells = Parser::new_ext(&md, crate::markup::parser_options())
            .filter(|e| matches!(e, Event::Start(Tag::TableCell)))
            .count();
        assert_eq!(cells, 4);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

        #[test]
        fn markup_text_is_literal(s in hostile_string()) {
            check_markup(&s, "", "")?;
            check_markup(&s, "#strong[x]", "")?;
            check_markup(&s, "#emph[", "]")?;
        }

        #[test]
        fn string_literal_round_trips(s in hostile_string()) {
            let source = format!("#\"{}\";", string_literal(&s));
            let root = typst::syntax::parse(&source);
            prop_assert!(!root.diagnosis().either(), "{:?}", source);
            prop_assert_eq!(count(&root, SyntaxKind::Str), 1);
            let mut all = Vec::new();
            leaves(&root, &mut all);
            let node = all.iter().find(|l| l.kind() == SyntaxKind::Str);
            let value = node.and_then(|n| n.cast::<ast::Str<'_>>()).map(|s| s.get().to_string());
            prop_assert_eq!(value, Some(s));
        }

        #[test]
        fn markdown_text_is_literal(s in hostile_string()) {
            let want = isolate_bidi(&collapse_whitespace(&s)).into_owned();
            let v = markdown_text(&s);
            if !want.is_empty() {
                // (a) alone, (b) on a continuation line, (c) inside strong.
                check_md(&v, "", "", &want, Shape::Paragraph)?;
                check_md(&v, "Erste Zeile\n", "", &want, Shape::Paragraph)?;
                check_md(&v, "Vertrag mit **", "** ab heute", &want, Shape::Strong)?;
                check_md(&v, "*", "*", &want, Shape::Emphasis)?;
            }
            // (d) table cell, with and without padding spaces.
            check_md(&v, "| h | g |\n|---|:-:|\n| ", " | a |", &want, Shape::Cell)?;
            check_md(&v, "| h | g |\n|---|:-:|\n|", "|a|", &want, Shape::Cell)?;
            // (e) heading.
            check_md(&v, "## ", "", &want, Shape::Heading)?;
        }
    }

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Shape {
        Paragraph,
        Strong,
        Emphasis,
        Cell,
        Heading,
    }

    /// Parses `prefix + v + suffix` and checks the block structure and that the
    /// Text events at the value's position spell `want`.
    fn check_md(
        v: &str,
        prefix: &str,
        suffix: &str,
        want: &str,
        shape: Shape,
    ) -> Result<(), TestCaseError> {
        let md = format!("{prefix}{v}{suffix}\n");
        let events: Vec<Event<'_>> =
            Parser::new_ext(&md, crate::markup::parser_options()).collect();
        let starts: Vec<&Tag<'_>> = events
            .iter()
            .filter_map(|e| {
                if let Event::Start(t) = e {
                    Some(t)
                } else {
                    None
                }
            })
            .collect();
        let shape_of = |t: &Tag<'_>| match t {
            Tag::Paragraph => "p",
            Tag::Strong => "strong",
            Tag::Emphasis => "em",
            Tag::Heading { .. } => "h",
            Tag::Table(_) => "table",
            Tag::TableHead => "head",
            Tag::TableRow => "row",
            Tag::TableCell => "cell",
            _ => "other",
        };
        let tags: Vec<&str> = starts.iter().map(|t| shape_of(t)).collect();
        let expected: &[&str] = match shape {
            Shape::Paragraph => &["p"],
            Shape::Strong => &["p", "strong"],
            Shape::Emphasis => &["p", "em"],
            Shape::Heading => &["h"],
            Shape::Cell => &["table", "head", "cell", "cell", "row", "cell", "cell"],
        };
        prop_assert_eq!(tags, expected.to_vec(), "{:?} -> {:?}", md, events);
        // Collect the text at the value's position.
        let mut got = String::new();
        let mut depth = 0usize;
        let mut cells = 0usize;
        let mut lines = 0usize;
        for e in &events {
            let inside = match shape {
                Shape::Paragraph if prefix.is_empty() => true,
                Shape::Paragraph => lines == 1,
                Shape::Strong | Shape::Emphasis => depth > 0,
                Shape::Cell => cells == 3 && depth > 0,
                Shape::Heading => true,
            };
            match e {
                Event::Start(Tag::Strong | Tag::Emphasis) => depth += 1,
                Event::End(TagEnd::Strong | TagEnd::Emphasis) => depth -= 1,
                Event::Start(Tag::TableCell) => {
                    cells += 1;
                    depth = 1;
                }
                Event::End(TagEnd::TableCell) => depth = 0,
                Event::SoftBreak => lines += 1,
                Event::Text(t) if inside => got.push_str(t),
                Event::Text(_) | Event::Start(_) | Event::End(_) => {}
                other => prop_assert!(false, "unexpected {:?} in {:?}", other, md),
            }
        }
        prop_assert_eq!(got.as_str(), want, "{:?}", md);
        Ok(())
    }
}

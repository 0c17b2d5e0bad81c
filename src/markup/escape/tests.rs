//! Unit tests of the escapes.

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
    let events: Vec<Event<'_>> = Parser::new_ext(&md, crate::markup::parser_options()).collect();
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

//! Entry points of the fuzz targets (`tests/fuzz`) and of their regression test
//! (`tests/fuzz_regressions.rs`), so that both run the same code. Not part of the API.
//!
//! Each function takes arbitrary bytes and panics only when annex misbehaves: a panic inside
//! annex, or a broken invariant checked here (Typst output that does not parse, an escape that
//! does not read back as its text, a valid project whose PDF cannot be produced, a party name
//! missing from the Markdown). Rejected input is a fine outcome.

// Panicking is how a fuzz target reports a finding.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod pipeline;

use std::path::Path;
use std::sync::OnceLock;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use typst::syntax::{SyntaxKind, SyntaxNode, ast};

pub use pipeline::{SLOTS, render};

use crate::diagnostic::Diagnostic;
use crate::markup::{self, escape};
use crate::{Generator, project};

/// One generator per process: fonts, Typst library and templates load once.
fn generator() -> &'static Generator {
    static GENERATOR: OnceLock<Generator> = OnceLock::new();
    GENERATOR.get_or_init(|| match Generator::new() {
        Ok(g) => g,
        Err(e) => panic!(
            "the built-in library does not load:\n{}",
            e.display(crate::language::Language::En)
        ),
    })
}

/// Prints every diagnostic the way the command line does (excerpt and caret included).
fn show(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let text = d.display(crate::language::Language::En).to_string();
        assert!(!text.is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// load

/// Project loading: bytes → UTF-8 → JSON → project → checks, library-free and with the
/// built-in library (service-level defaults, clause selection, coverage gate); every
/// diagnostic is formatted.
pub fn load(data: &[u8]) {
    let path = Path::new("fuzz/project.json");
    let (project, source) = match project::from_bytes(path, data.to_vec()) {
        Ok(loaded) => loaded,
        Err(d) => return show(&d),
    };
    let mut findings = crate::diagnostic::Findings::new();
    project::check(&project, &source, &mut findings);
    let errors = findings.finish(path);
    show(&errors);
    if !errors.is_empty() {
        return;
    }
    let library = generator().library();
    let resolved = match library.defaults.resolve(&project, &source) {
        Ok(resolved) => resolved,
        Err(errors) => return show(&errors),
    };
    show(&resolved.warnings);
    let selection = match crate::select::select(library, &project, &source) {
        Ok(selection) => selection,
        Err(errors) => return show(&errors),
    };
    show(&selection.warnings);
    let title = crate::render::TitleBlock::new(library, &project);
    let context =
        crate::render::context::base(library, &project, &title, &resolved, &selection, false);
    let coverage = crate::coverage::check(&library.catalogue, &project, &selection, &context);
    show(&coverage.gate(&source));
}

// ---------------------------------------------------------------------------------------------
// markup

/// The Markdown→Typst writer and the escapes: the Typst parses without errors and contains
/// only the writer's own calls; each escape reads back as its text. The first byte chooses
/// the heading offset.
pub fn markup(data: &[u8]) {
    let (offset, text) = match data.split_first() {
        Some((first, rest)) => ((*first % 4) as i8 - 2, String::from_utf8_lossy(rest)),
        None => (0, String::from_utf8_lossy(data)),
    };
    let typst = markup::to_typst(
        &text,
        &markup::TypstOptions {
            heading_offset: offset,
        },
    );
    let root = typst::syntax::parse(&typst);
    assert!(
        !root.diagnosis().either(),
        "the writer emitted invalid Typst for {text:?}:\n{typst}\n{:?}",
        root.errors_and_warnings()
    );
    if let Err(e) = crate::markup::only_own_syntax(&root) {
        panic!("the writer emitted foreign Typst for {text:?}: {e}\n{typst}");
    }
    // The escapes work char by char with little context (line start, a leading run of digits,
    // the last char): a short value reaches every case, and long ones only slow the fuzzer.
    let value: String = text.chars().take(ESCAPED_CHARS).collect();
    markup_text_reads_back(&value);
    string_literal_reads_back(&value);
    markdown_text_reads_back(&value);
}

/// How much of a markup input the escape checks take.
const ESCAPED_CHARS: usize = 200;

fn leaves<'a>(node: &'a SyntaxNode, acc: &mut Vec<&'a SyntaxNode>) {
    if node.children().len() == 0 && !node.is_empty() {
        acc.push(node);
    }
    for child in node.children() {
        leaves(child, acc);
    }
}

/// `markup_text(s)` parses as text only and shows `s` (Typst newlines as spaces).
fn markup_text_reads_back(s: &str) {
    let source = escape::markup_text(s);
    let root = typst::syntax::parse(&source);
    assert!(
        !root.diagnosis().either(),
        "markup_text({s:?}) = {source:?}"
    );
    let mut all = Vec::new();
    leaves(&root, &mut all);
    let mut shown = String::new();
    for leaf in all {
        match leaf.kind() {
            SyntaxKind::Escape => shown.push_str(leaf.leaf_text().get(1..).unwrap_or_default()),
            SyntaxKind::Text | SyntaxKind::Space | SyntaxKind::SmartQuote => {
                shown.push_str(leaf.leaf_text());
            }
            other => panic!("markup_text({s:?}) = {source:?} has {other:?}"),
        }
    }
    let want: String = s
        .chars()
        .map(|c| {
            if matches!(
                c,
                '\n' | '\x0B' | '\x0C' | '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}'
            ) {
                ' '
            } else {
                c
            }
        })
        .collect();
    assert_eq!(shown, want, "markup_text({s:?}) = {source:?}");
}

/// `"string_literal(s)"` is a Typst string with the value `s`.
fn string_literal_reads_back(s: &str) {
    let source = format!("#\"{}\";", escape::string_literal(s));
    let root = typst::syntax::parse(&source);
    assert!(
        !root.diagnosis().either(),
        "string_literal({s:?}): {source:?}"
    );
    let mut all = Vec::new();
    leaves(&root, &mut all);
    let values: Vec<String> = all
        .iter()
        .filter_map(|l| l.cast::<ast::Str<'_>>())
        .map(|v| v.get().to_string())
        .collect();
    assert_eq!(values, [s], "string_literal({s:?}): {source:?}");
}

/// `markdown_text(s)` reads back as `collapse_whitespace(s)` in a paragraph, in strong text,
/// in a heading and in a table cell.
fn markdown_text_reads_back(s: &str) {
    let want = escape::collapse_whitespace(s);
    let v = escape::markdown_text(s);
    if !want.is_empty() {
        for (prefix, suffix) in [("", ""), ("Erste Zeile\n", ""), ("Mit **", "** ab heute")] {
            let md = format!("{prefix}{v}{suffix}\n");
            let text = value_text(&md, |e| matches!(e, Event::SoftBreak));
            assert!(
                text.contains(&want),
                "markdown_text({s:?}) = {v:?} reads back as {text:?}"
            );
        }
        let md = format!("## {v}\n");
        let text = value_text(&md, |_| false);
        assert_eq!(text, want, "markdown_text({s:?}) = {v:?} as a heading");
    }
    let md = format!("| h | g |\n|---|:-:|\n|{v}|a|\n");
    let cells: Vec<String> = cells(&md);
    assert_eq!(
        cells,
        ["h", "g", want.as_str(), "a"],
        "markdown_text({s:?}) = {v:?} in a table cell"
    );
}

/// The text of a Markdown document, one block; `breaks` picks the events that read as a space.
fn value_text(md: &str, breaks: impl Fn(&Event<'_>) -> bool) -> String {
    let mut text = String::new();
    let mut blocks = 0;
    for event in Parser::new_ext(md, markup::parser_options()) {
        match &event {
            Event::Text(t) => text.push_str(t),
            Event::Start(Tag::Paragraph | Tag::Heading { .. }) => blocks += 1,
            e if breaks(e) => text.push(' '),
            Event::Start(Tag::Strong) | Event::End(_) => {}
            other => panic!("{md:?}: unexpected {other:?}"),
        }
    }
    assert_eq!(blocks, 1, "{md:?} is not one block");
    text
}

/// The text of each table cell.
fn cells(md: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell: Option<String> = None;
    for event in Parser::new_ext(md, markup::parser_options()) {
        match event {
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => cells.extend(cell.take()),
            Event::Text(t) => match &mut cell {
                Some(c) => c.push_str(&t),
                None => panic!("{md:?}: text outside the cells"),
            },
            _ => {}
        }
    }
    cells
}

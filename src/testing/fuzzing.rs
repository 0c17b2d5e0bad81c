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

use std::path::Path;
use std::sync::OnceLock;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde_json::Value;
use typst::syntax::{SyntaxKind, SyntaxNode, ast};

use crate::diagnostic::Diagnostic;
use crate::markup::{self, escape, placeholder};
use crate::{Formats, Generator, Options, project};

/// One generator per process: fonts, Typst library and templates load once.
fn generator() -> &'static Generator {
    static GENERATOR: OnceLock<Generator> = OnceLock::new();
    GENERATOR.get_or_init(|| match Generator::new() {
        Ok(g) => g,
        Err(e) => panic!("the built-in library does not load:\n{e}"),
    })
}

/// Prints every diagnostic the way the command line does (excerpt and caret included).
fn show(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let text = d.to_string();
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
        Err(d) => return show(&[d]),
    };
    let errors = project::check(&project, &source);
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

// ---------------------------------------------------------------------------------------------
// render

/// The project every render input starts from: the bank example (every service flag on, high
/// and very high levels, sub-contractors), with an exclusion and a variable added.
const BASE: &str = include_str!("../../templates/examples/bank-core-very-high.json");

/// Where the strings of a render input go (JSON pointers into [`BASE`]).
pub const SLOTS: &[&str] = &[
    "/annex/id",
    "/annex/date",
    "/annex/main_contract",
    "/annex/number",
    "/annex/title",
    "/annex/version",
    "/client/name",
    "/client/address",
    "/client/representative",
    "/client/security_officer/name",
    "/client/security_officer/role",
    "/client/security_officer/email",
    "/client/security_officer/phone",
    "/provider/name",
    "/provider/address",
    "/provider/representative",
    "/provider/contact/name",
    "/provider/contact/role",
    "/provider/contact/email",
    "/provider/contact/phone",
    "/provider/security_officer/name",
    "/service/description",
    "/service/components/0",
    "/service/components/3",
    "/service/locations/0",
    "/service/locations/1",
    "/service/start_date",
    "/protection/rationale",
    "/service_levels/service_hours",
    "/service_levels/support_hours",
    "/service_levels/compute",
    "/security_concept/framework",
    "/subcontractors/0/name",
    "/subcontractors/0/service",
    "/subcontractors/0/location",
    "/subcontractors/1/name",
    "/clauses/include/0",
    "/clauses/exclude/0/id",
    "/clauses/exclude/0/reason",
    "/variables/note",
];

/// The name of the render target's project file.
const PROJECT: &str = "fuzz.json";

const LEVELS: [&str; 3] = ["normal", "high", "very_high"];

/// The whole pipeline for one project, PDF included. The input is two bytes of settings
/// (draft, language, protection levels, service flags, coverage appendix), then segments
/// separated by 0xFF (never part of UTF-8): each a slot number (byte, modulo [`SLOTS`]) and
/// the text that goes there. A project that fails validation is fine; one that passes must
/// give a PDF, and its party names must appear in the Markdown.
pub fn render(data: &[u8]) {
    let Ok(mut project) = serde_json::from_str::<Value>(BASE) else {
        panic!("the base project is not JSON");
    };
    project["clauses"]["exclude"] = serde_json::json!([
        { "id": "metadata", "reason": "agreed in the framework contract" }
    ]);
    project["variables"] = serde_json::json!({ "note": "see the main contract" });
    let (settings, rest) = match data {
        [a, b, rest @ ..] => ([*a, *b], rest),
        _ => ([0, 0], &[][..]),
    };
    let draft = settings[0] & 1 != 0;
    if settings[0] & 2 != 0 {
        project["annex"]["language"] = "de".into();
    }
    for (i, basic) in ["confidentiality", "integrity", "availability"]
        .into_iter()
        .enumerate()
    {
        if let Some(level) = LEVELS.get(usize::from(settings[0] >> (2 + 2 * i) & 3)) {
            project["protection"][basic] = (*level).into();
        }
    }
    for (i, flag) in [
        "personal_data",
        "network_coupling",
        "software",
        "migration",
        "shared_platform",
        "cloud",
    ]
    .into_iter()
    .enumerate()
    {
        if settings[1] >> i & 1 != 0 {
            let on = project["service"][flag].as_bool().unwrap_or(false);
            project["service"][flag] = (!on).into();
        }
    }
    let coverage_appendix = settings[1] & 0x40 == 0;
    for segment in rest.split(|b| *b == 0xFF) {
        let Some((slot, text)) = segment.split_first() else {
            continue;
        };
        let pointer = SLOTS[usize::from(*slot) % SLOTS.len()];
        if let Some(place) = project.pointer_mut(pointer) {
            *place = String::from_utf8_lossy(text).into_owned().into();
        }
    }
    let Ok(text) = serde_json::to_string_pretty(&project) else {
        panic!("the project does not serialise");
    };
    let generator = generator();
    let (project, source) = match project::from_bytes(Path::new(PROJECT), text.into_bytes()) {
        Ok(loaded) => loaded,
        Err(d) => return show(&[d]),
    };
    let prepared = match generator.prepare_loaded(
        crate::validate::Loaded { project, source },
        crate::Mode::draft_if(draft),
    ) {
        Ok(prepared) => prepared,
        Err(failure) => {
            // Rejected project text is fine; an error in a template (a filter that fails on
            // a value) is a defect of annex.
            for d in failure.diagnostics.iter().filter(|d| d.is_error()) {
                assert!(
                    d.location
                        .as_ref()
                        .is_some_and(|l| l.file == Path::new(PROJECT)),
                    "an error outside the project:\n{failure}"
                );
            }
            return show(&failure.diagnostics);
        }
    };
    show(&prepared.warnings);
    let options = Options {
        formats: Formats {
            markdown: true,
            pdf: true,
            typst: false,
        },
        coverage_appendix,
        draft,
        ..Options::default()
    };
    let annex = match generator.typeset(&prepared, &options) {
        Ok(annex) => annex,
        // A character no embedded font has is refused, located in the project file.
        Err(failure)
            if failure
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .all(|d| {
                    d.message.contains("cannot be printed")
                        && d.location
                            .as_ref()
                            .is_some_and(|l| l.file == Path::new(PROJECT))
                }) =>
        {
            return show(&failure.diagnostics);
        }
        Err(failure) => panic!("a valid project gives no PDF:\n{failure}"),
    };
    assert!(
        annex
            .pdf
            .as_ref()
            .is_some_and(|p| p.bytes.starts_with(b"%PDF-")),
        "no PDF"
    );
    let shown = words(&document_text(&annex.markdown));
    for party in [
        &prepared.project.client.name,
        &prepared.project.provider.name,
    ] {
        let value = words(&placeholder::sanitize(
            &party.as_str().replace('\0', "\u{FFFD}"),
        ));
        assert!(
            shown.contains(&value),
            "the Markdown does not show {value:?}:\n{}",
            annex.markdown
        );
    }
}

/// The text a reader of a Markdown document sees.
fn document_text(md: &str) -> String {
    Parser::new_ext(md, markup::parser_options())
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.into_string()),
            Event::SoftBreak | Event::HardBreak => Some(" ".to_string()),
            _ => None,
        })
        .collect()
}

/// Whitespace runs as single spaces, ends trimmed.
fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

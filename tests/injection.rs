//! Injection: arbitrary text, biased toward Typst, Markdown, Tera and HTML syntax, bidi controls,
//! combining marks and very long words, in every free-text field of a project. The annex must
//! render; the Markdown and the text of the PDF must show each printed value literally; and the
//! Typst body must contain no call, rule or import other than those the writer emits.
//!
//! Each case renders a whole PDF (about half a second), so a test run tries
//! `ANNEX_INJECTION_CASES` cases (default 12) from the seed `ANNEX_INJECTION_SEED` (default 0,
//! so that every run tries the same cases); figures of longer runs are in SECURITY.md. Cases that
//! once failed are kept in `fixtures/injection/cases.json` and checked on every run.

use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;

use crate::support::{appears, generator, root, tempdir};

/// Every free-text field of the bank example (JSON pointers), and whether the built-in clauses
/// print it as it is (addresses are joined into one line, so they are checked word by word).
const FIELDS: [(&str, Printed); 31] = [
    ("/annex/main_contract", Printed::Literal),
    ("/annex/number", Printed::No),
    ("/annex/title", Printed::Literal),
    ("/annex/version", Printed::Literal),
    ("/client/name", Printed::Literal),
    ("/client/address", Printed::Words),
    ("/client/representative", Printed::Literal),
    ("/client/security_officer/name", Printed::Literal),
    ("/client/security_officer/role", Printed::Literal),
    ("/client/security_officer/email", Printed::Literal),
    ("/client/security_officer/phone", Printed::Literal),
    ("/provider/name", Printed::Literal),
    ("/provider/address", Printed::Words),
    ("/provider/representative", Printed::Literal),
    ("/provider/contact/name", Printed::Literal),
    ("/provider/contact/role", Printed::Literal),
    ("/provider/contact/email", Printed::Literal),
    ("/provider/contact/phone", Printed::Literal),
    ("/provider/security_officer/name", Printed::Literal),
    ("/provider/security_officer/role", Printed::Literal),
    ("/provider/security_officer/email", Printed::Literal),
    ("/service/description", Printed::Literal),
    ("/service/components/0", Printed::Literal),
    ("/service/locations/0", Printed::Literal),
    ("/protection/rationale", Printed::Literal),
    ("/service_levels/service_hours", Printed::Literal),
    ("/service_levels/compute", Printed::Literal),
    ("/subcontractors/0/name", Printed::Literal),
    ("/subcontractors/0/service", Printed::Literal),
    ("/subcontractors/0/location", Printed::Literal),
    ("/subcontractors/1/name", Printed::Literal),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Printed {
    /// Printed exactly as given.
    Literal,
    /// Printed with its lines joined.
    Words,
    /// Not printed as it is (the annex number is prefixed and may be reworded).
    No,
}

/// Pieces of syntax that mean something in one of the languages annex handles.
const SYNTAX: [&str; 40] = [
    "#",
    "*",
    "_",
    "`",
    "$",
    "@",
    "<",
    ">",
    "[",
    "]",
    "{",
    "}",
    "\\",
    "//",
    "/*",
    "*/",
    "=",
    "- ",
    "+ ",
    "1. ",
    "| ",
    "~",
    "--",
    "...",
    "{{ annex.id }}",
    "{% if true %}",
    "{#",
    "#set page(width: 1pt)",
    "#read(\"/etc/passwd\")",
    "#import \"@preview/x:0.1.0\": *",
    "#include \"main.typ\"",
    "<script>alert(1)</script>",
    "&amp;",
    "![x](/etc/passwd)",
    "[l](javascript:x)",
    "```",
    "\u{202E}",
    "\u{2066}",
    "e\u{301}",
    "\u{FEFF}",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        24 => proptest::sample::select(&SYNTAX[..]).prop_map(str::to_owned),
        24 => "[a-zA-ZäöüßÄÖÜ0-9 ]{1,12}",
        4 => "[a-zäöü]{60,120}",
        6 => "[\\u{20}-\\u{7E}\\u{A0}-\\u{17F}\\u{391}-\\u{3A1}\\u{3A3}-\\u{3C9}\\u{410}-\\u{44F}\\u{2010}-\\u{2027}\\u{20AC}]{1,8}",
        1 => "\\PC{1,4}",
    ]
}

/// A value: some pieces, with at least one letter so it is not blank.
fn value() -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 1..6).prop_map(|pieces| format!("x{}", pieces.concat()))
}

/// Whitespace removed, and what a PDF does not keep of a text: format controls (bidi marks,
/// variation selectors, byte-order marks), which typst does not print, and hyphens, which line
/// breaking may add.
/// Quotes are typeset typographically (as in the clause text): "x" becomes „x“ or “x”, an
/// apostrophe ’, and after a number a prime (5' becomes 5′); they count as the same character
/// here. Canonically equivalent text is the same
/// text: a font may print e + U+0301 with the glyph of é, and the PDF then says é (NFC).
/// Brackets count without their direction: right to left, `{` is drawn with the glyph of `}`,
/// and the PDF then says `{` for that glyph only in an ActualText span, which the text
/// extraction used here (lopdf) does not read; it reads `}` for every use of the glyph.
fn normal(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfc()
        .filter(|c| !c.is_whitespace() && !is_format_control(*c) && !matches!(c, '-' | '\u{AD}'))
        .map(|c| match c {
            '’' | '‘' | '‚' | '′' => '\'',
            '“' | '”' | '„' | '″' => '"',
            c => c.min(mirrored(c)),
        })
        .collect()
}

/// The mirror image of a bracket (Unicode's Bidi_Mirrored pairs of the syntax used here).
fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '<' => '>',
        '>' => '<',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        c => c,
    }
}

/// A character from which typesetting may reorder the text: right-to-left letters and digits,
/// and the explicit direction controls.
fn is_bidi_control(c: char) -> bool {
    use unicode_bidi::BidiClass::*;
    matches!(
        unicode_bidi::bidi_class(c),
        R | AL | AN | LRE | RLE | LRO | RLO | PDF | LRI | RLI | FSI | PDI
    )
}

fn is_format_control(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
}

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("the PDF parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap_or_default()
}

/// Cases rendered to PDF, and cases refused for a character no font has.
static RENDERED: AtomicUsize = AtomicUsize::new(0);
static REFUSED: AtomicUsize = AtomicUsize::new(0);
static UNPRINTABLE: std::sync::Mutex<std::collections::BTreeSet<char>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

fn check(values: &[String]) -> Result<(), TestCaseError> {
    let text = std::fs::read_to_string(root().join("templates/examples/bank-core-very-high.json"))
        .expect("example");
    let mut project: Value = serde_json::from_str(&text).expect("json");
    let mut assigned = Vec::new();
    for (i, (pointer, printed)) in FIELDS.iter().enumerate() {
        let value = &values[i % values.len()];
        *project.pointer_mut(pointer).expect("field exists") = Value::String(value.clone());
        assigned.push((*pointer, *printed, value));
    }
    let dir = tempdir();
    let path = crate::support::write_project(dir.path(), "p.json", &project);
    let result = generator().generate(
        &path,
        &annex::Options {
            formats: annex::Formats {
                markdown: true,
                pdf: true,
                docx: true,
                typst: true,
            },
            ..annex::Options::default()
        },
    );
    let annex = match result {
        Ok(annex) => annex,
        // A character no embedded font has is refused, naming the field; nothing else may fail.
        Err(failure) => {
            for d in &failure.diagnostics {
                let refused = d
                    .message
                    .en()
                    .split_once(": the ")
                    .and_then(|(field, rest)| {
                        // "the character 🕴 (U+1F574) …" or "the control character U+0085 …"
                        let c = match rest.strip_prefix("control character U+") {
                            Some(code) => char::from_u32(
                                u32::from_str_radix(code.split(' ').next()?, 16).ok()?,
                            )?,
                            None => rest.strip_prefix("character ")?.chars().next()?,
                        };
                        let printed = values.iter().any(|v| v.contains(c));
                        UNPRINTABLE.lock().unwrap().insert(c);
                        Some(printed && rest.contains("cannot be printed") && !field.is_empty())
                    });
                prop_assert!(refused == Some(true), "does not render:\n{failure}");
            }
            REFUSED.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
    };
    RENDERED.fetch_add(1, Ordering::Relaxed);

    // The body contains only the writer's calls.
    let body = typst::syntax::parse(&annex.typst.body);
    prop_assert!(!body.diagnosis().errors, "the Typst body has syntax errors");
    if let Err(foreign) = annex::markup::only_own_syntax(&body) {
        return Err(TestCaseError::fail(format!(
            "the body has syntax the writer does not emit: {foreign}"
        )));
    }

    let pdf = normal(&pdf_text(&annex.pdf.as_ref().expect("pdf").bytes));
    for (pointer, printed, value) in assigned {
        if printed == Printed::No {
            continue;
        }
        // From a right-to-left character or a direction control on, typesetting puts the
        // characters in visual order, and so does the PDF: the text before it must be there
        // literally, the characters after it each somewhere.
        let (logical, visual) = value
            .find(is_bidi_control)
            .map_or((value.as_str(), ""), |i| value.split_at(i));
        let shown = normal(logical);
        prop_assert!(
            appears(&pdf, &shown),
            "{pointer} = {value:?} is not in the PDF text as {shown:?}"
        );
        // (Right to left, brackets are mirrored: `normal` folds them.)
        for c in normal(visual).chars() {
            prop_assert!(
                pdf.contains(c),
                "{pointer} = {value:?}: {c:?} is not in the PDF text"
            );
        }
    }
    Ok(())
}

/// Cases that once failed (`fixtures/injection/cases.json`, a list of value lists): checked on
/// every run before the generated ones.
#[test]
fn cases_that_once_failed_render_literally() {
    let text =
        std::fs::read_to_string(root().join("fixtures/injection/cases.json")).expect("cases");
    let cases: Vec<Vec<String>> = serde_json::from_str(&text).expect("a list of value lists");
    assert!(!cases.is_empty());
    for values in cases {
        if let Err(failure) = check(&values) {
            panic!("{values:?}: {failure}");
        }
    }
}

#[test]
fn hostile_text_in_every_field_is_printed_literally_and_never_runs() {
    let cases = std::env::var("ANNEX_INJECTION_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(12);
    // The same cases on every run, so that CI cannot fail by chance; a campaign sets
    // ANNEX_INJECTION_SEED to explore others (and adds what it finds to cases.json).
    let seed: u64 = std::env::var("ANNEX_INJECTION_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    runner
        .run(&proptest::collection::vec(value(), 5..9), |values| {
            check(&values)
        })
        .unwrap();
    let rendered = RENDERED.load(Ordering::Relaxed);
    let refused = REFUSED.load(Ordering::Relaxed);
    let unprintable: Vec<String> = UNPRINTABLE
        .lock()
        .unwrap()
        .iter()
        .map(|c| format!("U+{:04X}", u32::from(*c)))
        .collect();
    eprintln!(
        "injection: {rendered} annexes rendered and checked, {refused} refused for an unprintable character ({})",
        unprintable.join(" ")
    );
    // Most cases should reach the PDF (about three in four), or the test checks little.
    assert!(
        rendered * 3 >= rendered + refused,
        "{rendered} rendered, {refused} refused"
    );
}

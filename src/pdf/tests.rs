//! Unit tests of the PDF engine: the samples compile, the output is reproducible and PDF/A,
//! and hostile or unusual text still compiles. The shared engine and jobs are here.

mod errors;

use std::sync::LazyLock;

use super::*;

const FRAME: &str = include_str!("../../templates/typst/frame.typ");
const BODY_DE: &str = include_str!("testdata/body_de.typ");
const BODY_EN: &str = include_str!("testdata/body_en.typ");
const DATA_DE: &str = include_str!("testdata/annex_de.json");
const DATA_EN: &str = include_str!("testdata/annex_en.json");

/// One engine for all tests, as in the tool (fonts and library are built once).
static ENGINE: LazyLock<PdfEngine> = LazyLock::new(PdfEngine::new);

fn job<'a>(body: &'a str, data: &'a str) -> PdfJob<'a> {
    PdfJob {
        frame: FRAME,
        body,
        data: data.as_bytes(),
        date: (2026, 11, 20),
        ident: "musterstadt-payroll-2027",
        creator: "annex 0.1.0",
        standard: None,
    }
}

fn compile(job: &PdfJob<'_>) -> Pdf {
    match ENGINE.compile(job) {
        Ok(pdf) => pdf,
        Err(err) => panic!("compile failed:\n{err}"),
    }
}
fn count_pages(bytes: &[u8]) -> usize {
    let doc = lopdf::Document::load_mem(bytes).expect("lopdf parses the PDF");
    doc.get_pages().len()
}

#[test]
fn engine_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<PdfEngine>();
    assert_send_sync::<crate::failure::Failure>();
}

#[test]
fn german_sample_compiles_without_warnings() {
    let pdf = compile(&job(BODY_DE, DATA_DE));
    assert!(pdf.bytes.starts_with(b"%PDF-1.7"));
    assert_eq!(pdf.pages, 3);
    assert_eq!(count_pages(&pdf.bytes), pdf.pages);
}

#[test]
fn english_draft_sample_compiles_without_warnings() {
    let pdf = compile(&job(BODY_EN, DATA_EN));
    assert!(pdf.bytes.starts_with(b"%PDF"));
    assert_eq!(pdf.pages, 2);
    assert_eq!(count_pages(&pdf.bytes), pdf.pages);
}

#[test]
fn same_job_gives_identical_bytes() {
    let first = compile(&job(BODY_DE, DATA_DE));
    ENGINE.evict_caches();
    let second = compile(&job(BODY_DE, DATA_DE));
    assert!(
        first.bytes == second.bytes,
        "two compiles of one job differ"
    );
}

#[test]
fn ident_changes_only_the_document_id() {
    let first = compile(&job(BODY_DE, DATA_DE));
    let other = compile(&PdfJob {
        ident: "other-annex",
        ..job(BODY_DE, DATA_DE)
    });
    assert_ne!(first.bytes, other.bytes);
    assert_eq!(first.bytes.len(), other.bytes.len());
}

#[test]
fn pdf_a_exports() {
    for (standard, part) in [("a-2b", b"<pdfaid:part>2<"), ("a-3b", b"<pdfaid:part>3<")] {
        let pdf = compile(&PdfJob {
            standard: Some(standard),
            ..job(BODY_DE, DATA_DE)
        });
        assert!(pdf.bytes.starts_with(b"%PDF"), "{standard}");
        let found = pdf.bytes.windows(part.len()).any(|w| w == part);
        assert!(
            found,
            "{standard}: XMP lacks {}",
            String::from_utf8_lossy(part)
        );
    }
    let pdf = compile(&PdfJob {
        standard: Some("a-2b, ua-1"),
        ..job(BODY_EN, DATA_EN)
    });
    assert!(pdf.bytes.starts_with(b"%PDF"));
}
#[test]
fn today_is_the_annex_date() {
    let body = "#assert(datetime.today() == datetime(year: 2026, month: 11, day: 20))\n\
                #assert(datetime.today(offset: -11) == datetime(year: 2026, month: 11, day: 20))\n";
    compile(&job(body, DATA_DE));
}
/// A JSON string for `text` (escapes `\` and `"`).
fn json_str(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

fn hostile_data(lang: &str, draft: bool) -> String {
    let hostile = "*x* #set page(width: 1pt) $a$ // <l> @r \\ ] [ \" _y_ `c` = h";
    let s = json_str(hostile);
    let labels = crate::library::LABELS
        .map(|key| format!("\"{key}\": {s}"))
        .join(", ");
    format!(
        "{{\"lang\": \"{lang}\", \"draft\": {draft}, \"id\": {s}, \"number\": {s}, \"title\": {s}, \
         \"main_contract\": {s}, \"date\": {s}, \"version\": {s}, \
         \"client\": {{\"name\": {s}, \"address\": [{s}, {s}], \"representative\": {s}}}, \
         \"provider\": {{\"name\": {s}, \"address\": [{s}], \"representative\": null}}, \
         \"keywords\": [{s}], \"labels\": {{{labels}}}}}"
    )
}

#[test]
fn hostile_strings_in_the_data_compile_as_text() {
    for (lang, draft) in [("de", false), ("en", true)] {
        let data = hostile_data(lang, draft);
        let pdf = compile(&job(BODY_DE, &data));
        // `#set page(width: 1pt)` evaluated would give hundreds of pages.
        assert!(pdf.pages <= 4, "{} pages", pdf.pages);
    }
}

fn long_table_body() -> String {
    let rows: String = (1..=80)
        .map(|i| format!("[Maßnahme {i}], [Beschreibung der Maßnahme {i}], [{i} h], "))
        .collect();
    format!(
        "#heading(level: 1)[§ 1 Maßnahmen]\n\n#table(columns: 3, align: (left, left, right,), \
         table.header([Nr\\.], [Beschreibung], [Frist]), {rows})\n"
    )
}

#[test]
fn long_table_breaks_across_pages() {
    let pdf = compile(&job(&long_table_body(), DATA_DE));
    assert!(pdf.pages >= 3, "{} pages", pdf.pages);
}

#[test]
fn minimal_body_fits_on_one_page() {
    let pdf = compile(&job(
        "#heading(level: 1)[§ 1 Gegenstand]\n\nText\\.\n",
        DATA_DE,
    ));
    assert_eq!(pdf.pages, 1);
}

/// Renders the samples to /tmp and prints the median compile time (not a timing assertion).
/// Run with `cargo test --release --lib pdf::tests::render_samples -- --ignored --nocapture`.
#[test]
#[ignore = "writes /tmp/annex-*.pdf and measures; run by hand"]
fn render_samples() {
    let hostile = hostile_data("de", true);
    let table = long_table_body();
    let cases = [
        ("de", BODY_DE, DATA_DE),
        ("en", BODY_EN, DATA_EN),
        ("hostile", BODY_DE, hostile.as_str()),
        ("table", table.as_str(), DATA_DE),
    ];
    for (name, body, data) in cases {
        let pdf = compile(&job(body, data));
        let path = format!("/tmp/annex-{name}.pdf");
        std::fs::write(&path, &pdf.bytes).expect("write PDF");
        println!("{path}: {} pages, {} bytes", pdf.pages, pdf.bytes.len());
    }
    let mut times = Vec::new();
    for _ in 0..20 {
        let start = std::time::Instant::now();
        compile(&job(BODY_DE, DATA_DE));
        ENGINE.evict_caches();
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "median compile+export (evict after each): {:?}",
        times[times.len() / 2]
    );
    let mut times = Vec::new();
    for _ in 0..20 {
        let start = std::time::Instant::now();
        compile(&job(BODY_DE, DATA_DE));
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "median compile+export (warm caches): {:?}",
        times[times.len() / 2]
    );
}

/// Found by the render fuzz target: a control character in a client name had no glyph, and
/// PDF/A refused the "missing glyph" typst drew instead.
#[test]
fn characters_without_a_glyph_become_replacement_characters() {
    assert!(ENGINE.can_show('ä') && ENGINE.can_show('€') && ENGINE.can_show('\u{FFFD}'));
    assert_eq!(ENGINE.showable("Müller & Söhne\n"), "Müller & Söhne\n");
    assert_eq!(
        ENGINE.showable("a\0b\u{6}c\u{9F}d\u{10FFFF}"),
        "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}"
    );
    let body = ENGINE.showable("Kunde: #strong[A\u{6}B]\n");
    let mut data: serde_json::Value = serde_json::from_str(DATA_DE).unwrap();
    data["client"]["name"] = "A\u{6}\0B".into();
    ENGINE.showable_json(&mut data);
    assert_eq!(data["client"]["name"], "A\u{FFFD}\u{FFFD}B");
    let data = serde_json::to_string(&data).unwrap();
    let job = PdfJob {
        standard: Some("a-3b"),
        ..job(&body, &data)
    };
    compile(&job);
}

/// Every character the engine calls printable goes through a PDF/A export: no font may list a
/// character it then draws as the missing glyph (Libertinus Serif lists ⁁, ✕ and 〔 so).
#[test]
fn every_printable_character_exports_to_pdf_a() {
    let chars: Vec<char> = (0x80..=u32::from(char::MAX))
        .filter_map(char::from_u32)
        .filter(|c| !c.is_whitespace() && !is_invisible(*c) && ENGINE.can_show(*c))
        .collect();
    assert!(chars.len() > 8000, "{} printable characters", chars.len());
    for chunk in chars.chunks(2500) {
        let text: String = chunk.iter().flat_map(|c| [*c, ' ']).collect();
        let body = format!("#let s = \"{text}\"\n#s\n");
        let mut job = job(&body, DATA_DE);
        job.standard = Some("a-3b");
        if let Err(e) = ENGINE.compile(&job) {
            panic!("characters from {:?} on:\n{e}", chunk.first());
        }
    }
    // A combining mark goes with the letter before it, in that letter's font.
    let marks: String = chars
        .iter()
        .filter(|c| {
            use unicode_general_category::{GeneralCategory::*, get_general_category};
            matches!(
                get_general_category(**c),
                NonspacingMark | SpacingMark | EnclosingMark
            )
        })
        .flat_map(|c| ['x', *c, ' ', 'ä', *c, ' '])
        .collect();
    // The diacritics of European names stay printable when written decomposed (NFD).
    for c in "\u{300}\u{301}\u{302}\u{303}\u{304}\u{306}\u{307}\u{308}\u{30A}\u{30B}\u{30C}\u{327}\u{328}".chars() {
        assert!(marks.contains(c), "U+{:04X} is not printable", u32::from(c));
    }
    let body = format!("#let s = \"{marks}\"\n#s\n");
    let mut job = job(&body, DATA_DE);
    job.standard = Some("a-3b");
    if let Err(e) = ENGINE.compile(&job) {
        panic!("combining marks:\n{e}");
    }
    for c in [
        '\u{20D0}',
        '\u{2041}',
        '\u{2715}',
        '\u{3014}',
        '\u{F102}',
        '\u{1F574}',
        '\u{7F}',
    ] {
        assert!(!ENGINE.can_show(c), "{c:?}");
    }
}

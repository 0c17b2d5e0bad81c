//! Rendering: Markdown and PDF for the examples, escaping of hostile values, reproducibility.

use std::path::Path;

use annex::Options;

use crate::support::{generator, shared_examples, valid_fixtures};

/// The text of a Markdown document as a reader sees it (escapes resolved), whitespace collapsed.
fn markdown_text(md: &str) -> String {
    let text: String = pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::ENABLE_TABLES)
        .filter_map(|e| match e {
            pulldown_cmark::Event::Text(t) => Some(t.to_string()),
            pulldown_cmark::Event::SoftBreak | pulldown_cmark::Event::HardBreak => {
                Some(" ".to_string())
            }
            _ => None,
        })
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pdf_text(bytes: &[u8]) -> (usize, String) {
    let doc = lopdf::Document::load_mem(bytes).expect("the PDF parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).unwrap_or_default();
    (
        pages.len(),
        text.split_whitespace().collect::<Vec<_>>().join(" "),
    )
}

#[test]
fn every_project_renders_markdown_and_pdf() {
    let projects: Vec<_> = valid_fixtures()
        .into_iter()
        .chain(shared_examples())
        .collect();
    assert!(projects.len() >= 3);
    for path in projects {
        let annex = generator()
            .generate(&path, &Options::default())
            .unwrap_or_else(|e| panic!("{}:\n{e}", path.display()));
        let pdf = annex.pdf.as_ref().expect("pdf");
        assert!(pdf.bytes.starts_with(b"%PDF-"), "{}", path.display());
        let (pages, text) = pdf_text(&pdf.bytes);
        assert_eq!(pages, pdf.pages);
        assert!(pages >= 4, "{}: only {pages} pages", path.display());
        let prepared = generator()
            .prepare(&path, annex::Mode::Final)
            .expect("prepares");
        for party in [
            &prepared.project.client.name,
            &prepared.project.provider.name,
        ] {
            let words = party
                .as_str()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                text.contains(&words),
                "{}: PDF text lacks {words:?}",
                path.display()
            );
            assert!(
                markdown_text(&annex.markdown).contains(&words),
                "{}: Markdown lacks {words:?}",
                path.display()
            );
        }
    }
}

#[test]
fn output_is_byte_identical_run_after_run() {
    let path = Path::new("fixtures/projects/hostile-values.json");
    let a = generator()
        .generate(path, &Options::default())
        .expect("renders");
    let b = generator()
        .generate(path, &Options::default())
        .expect("renders");
    assert_eq!(a.markdown, b.markdown);
    assert_eq!(
        a.pdf.as_ref().map(|p| &p.bytes),
        b.pdf.as_ref().map(|p| &p.bytes)
    );
}

#[test]
fn hostile_values_stay_literal_text() {
    let path = Path::new("fixtures/projects/hostile-values.json");
    let annex = generator()
        .generate(path, &Options::default())
        .expect("renders");
    let prepared = generator()
        .prepare(path, annex::Mode::Final)
        .expect("prepares");
    let client = prepared.project.client.name.as_str();
    // In the Markdown, the value parses back to exactly the same text.
    assert!(
        markdown_text(&annex.markdown).contains(client),
        "Markdown text lacks {client:?}"
    );
    // In the PDF, it is printed literally.
    let (_, text) = pdf_text(&annex.pdf.as_ref().expect("pdf").bytes);
    assert!(text.contains(client), "PDF text lacks {client:?}");
}

#[test]
fn markdown_has_numbered_sections_and_the_service_level_table() {
    let annex = generator()
        .generate(
            Path::new("fixtures/projects/valid-minimal.json"),
            &Options {
                formats: annex::Formats {
                    markdown: true,
                    pdf: false,
                    docx: false,
                    typst: false,
                },
                ..Options::default()
            },
        )
        .expect("renders");
    let md = &annex.markdown;
    assert!(
        md.starts_with("# Anlage 2: Informationssicherheit und Leistungskennzahlen\n"),
        "{}",
        &md[..200.min(md.len())]
    );
    assert!(md.contains("\n## §\u{a0}1 "), "no § 1");
    assert!(md.contains("\n### 1.1 "), "no 1.1");
    assert!(md.contains("99,5\u{a0}%"), "availability default missing");
    assert!(
        !md.contains("{{") && !md.contains("{%"),
        "template syntax left in the output"
    );
}

/// The names of the files embedded in a PDF and its XMP metadata.
fn attachments_and_xmp(bytes: &[u8]) -> (Vec<String>, String) {
    let doc = lopdf::Document::load_mem(bytes).expect("the PDF parses");
    let resolve = |o: &lopdf::Object| match o {
        lopdf::Object::Reference(id) => doc.get_object(*id).expect("object").clone(),
        other => other.clone(),
    };
    let catalog = doc.catalog().expect("catalog");
    let mut names = Vec::new();
    if let Ok(tree) = catalog.get(b"Names").map(resolve) {
        let embedded = resolve(
            tree.as_dict()
                .expect("names dict")
                .get(b"EmbeddedFiles")
                .expect("EmbeddedFiles"),
        );
        let list = resolve(
            embedded
                .as_dict()
                .expect("name tree")
                .get(b"Names")
                .expect("Names array"),
        );
        for entry in list.as_array().expect("array").iter().step_by(2) {
            names.push(String::from_utf8_lossy(entry.as_str().expect("name string")).into_owned());
        }
    }
    let xmp = match resolve(catalog.get(b"Metadata").expect("XMP metadata")) {
        lopdf::Object::Stream(mut s) => {
            let _ = s.decompress();
            String::from_utf8_lossy(&s.content).into_owned()
        }
        other => panic!("metadata is not a stream: {other:?}"),
    };
    (names, xmp)
}

#[test]
fn the_archival_pdf_claims_pdf_a_3b_and_carries_the_project_and_the_manifest() {
    let path = Path::new("fixtures/projects/valid-minimal.json");
    let annex = generator()
        .generate(path, &Options::default())
        .expect("renders");
    let (mut names, xmp) = attachments_and_xmp(&annex.pdf.as_ref().expect("pdf").bytes);
    names.sort();
    assert_eq!(
        names,
        ["stadtwerke-hosting.manifest.json", "valid-minimal.json"]
    );
    assert!(xmp.contains("<pdfaid:part>3</pdfaid:part>"), "{xmp}");
    assert!(
        xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{xmp}"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&annex.manifest).expect("manifest is JSON");
    assert_eq!(manifest["input"]["path"], "valid-minimal.json");
    assert_eq!(manifest["input"]["sha256"].as_str().map(str::len), Some(64));
    assert_eq!(manifest["sections"][0]["id"], "subject-scope");
    assert!(
        manifest["templates"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["path"] == "templates/typst/frame.typ")
    );

    // PDF/A-2 cannot carry attachments: the annex is produced without them.
    let options = Options {
        pdf_standard: Some("a-2b".into()),
        ..Options::default()
    };
    let annex = generator()
        .generate(path, &options)
        .expect("renders as PDF/A-2b");
    let (names, xmp) = attachments_and_xmp(&annex.pdf.as_ref().expect("pdf").bytes);
    assert!(names.is_empty(), "{names:?}");
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "{xmp}");
}

/// The PDF of a project rendered on a fresh thread, where no earlier document was compiled.
fn pdf_on_a_fresh_thread(path: &Path) -> Vec<u8> {
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        generator()
            .generate(&path, &Options::default())
            .expect("renders")
            .pdf
            .expect("pdf")
            .bytes
    })
    .join()
    .expect("thread")
}

#[test]
fn a_pdf_does_not_depend_on_the_documents_compiled_before_it() {
    // Each worker edits the Typst sources of its previous document into the next one and
    // keeps typst's caches; the output must be the same as from a cold start.
    let examples = shared_examples();
    let last = examples.last().expect("examples").clone();
    let cold = pdf_on_a_fresh_thread(&last);
    let after_others = std::thread::spawn(move || {
        for path in &examples {
            generator()
                .generate(path, &Options::default())
                .expect("renders");
        }
        generator()
            .generate(&last, &Options::default())
            .expect("renders")
            .pdf
            .expect("pdf")
            .bytes
    })
    .join()
    .expect("thread");
    assert!(
        cold == after_others,
        "the PDF depends on the compile history"
    );
}

#[test]
fn emitted_typst_files_compile_to_the_same_pdf() {
    let path = &shared_examples()[0];
    let options = Options {
        formats: annex::Formats {
            markdown: false,
            pdf: true,
            docx: false,
            typst: true,
        },
        ..Options::default()
    };
    let annex = generator().generate(path, &options).expect("renders");
    let dir = crate::support::tempdir();
    let written = annex::output::write(&annex, dir.path()).expect("writes");
    let folder = dir.path().join(format!("{}.typst", annex.id));
    for name in ["main.typ", "body.typ", "annex.json"] {
        assert!(
            written.iter().any(|w| w.path == folder.join(name)),
            "{name} not written: {written:?}"
        );
    }
    let read = |name: &str| std::fs::read(folder.join(name)).expect("emitted file");
    let main = String::from_utf8(read("main.typ")).unwrap();
    let body = String::from_utf8(read("body.typ")).unwrap();
    let data = read("annex.json");
    let prepared = generator()
        .prepare(path, annex::Mode::Final)
        .expect("prepares");
    let engine = annex::pdf::PdfEngine::new();
    let again = engine
        .compile(&annex::pdf::PdfJob {
            frame: &main,
            body: &body,
            data: &data,
            date: prepared.project.annex.date.ymd(),
            ident: annex.id.as_str(),
            creator: concat!("annex ", env!("CARGO_PKG_VERSION")),
            standard: Some("a-3b"),
        })
        .expect("the emitted files compile");
    assert!(
        again.bytes == annex.pdf.expect("pdf").bytes,
        "the emitted Typst files give another PDF"
    );
}

/// Addresses longer than their table column break at their dots, `@` and hyphens, and inside
/// long runs of letters, so they stay in the column (seen on page 3 of this project); the break
/// is layout only, so the PDF text is each address as written, without a hyphen or a zero-width
/// space added.
#[test]
fn long_addresses_break_in_the_layout_but_not_in_the_text() {
    let dir = crate::support::tempdir();
    let mut project: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            crate::support::root().join("templates/examples/bank-core-very-high.json"),
        )
        .expect("example"),
    )
    .expect("json");
    let addresses = [
        (
            "/provider/contact/email",
            "informationssicherheitsbeauftragter.rechenzentrum-frankfurt@finops-services-beispiel.de",
        ),
        (
            "/client/security_officer/email",
            "isb.zentrale-informationssicherheit.konzernrevision@raiffeisenbank-musterstadt.example",
        ),
    ];
    for (pointer, address) in addresses {
        *project.pointer_mut(pointer).expect("field") = address.into();
    }
    let path = crate::support::write_project(dir.path(), "p.json", &project);
    let annex = generator()
        .generate(&path, &Options::default())
        .expect("renders");
    let (_, text) = pdf_text(&annex.pdf.as_ref().expect("pdf").bytes);
    let joined: String = text.split_whitespace().collect();
    // The first address is in a table row that page 3 breaks: the header, footer and repeated
    // table head of the page come between its parts.
    for (_, address) in addresses {
        assert!(
            crate::support::appears(&joined, address),
            "PDF text lacks {address:?}"
        );
    }
    assert!(
        joined.contains(addresses[1].1),
        "{:?} is broken up",
        addresses[1].1
    );
    assert!(
        !text.contains('\u{200B}'),
        "a zero-width space is in the text"
    );
}

/// A right-to-left override in one value of a list ends with that value: `join_and` isolates
/// each value, so the values after it keep their order (issue 14, item 6).
#[test]
fn a_direction_override_in_one_list_value_does_not_reorder_the_next() {
    let mut project = crate::support::minimal_project();
    project["service"]["personal_data"] = serde_json::json!(true);
    project["service"]["data_subjects"] = serde_json::json!(["Kunden\u{202E}", "Mitarbeiter"]);
    project["service"]["data_categories"] = serde_json::json!(["Namen"]);
    let dir = crate::support::tempdir();
    let path = crate::support::write_project(dir.path(), "rlo.json", &project);
    let document = generator()
        .prepare(&path, annex::Mode::Draft)
        .expect("renders as a draft");
    let text = document.markdown.document(true);
    assert!(
        text.contains("\u{2068}Kunden\u{202E}\u{2069}; Mitarbeiter"),
        "the override reaches past its value"
    );
}

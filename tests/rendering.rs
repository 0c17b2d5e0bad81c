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
        let prepared = generator().prepare(&path).expect("prepares");
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
    let prepared = generator().prepare(path).expect("prepares");
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
                },
                ..Options::default()
            },
        )
        .expect("renders");
    let md = &annex.markdown;
    assert!(
        md.starts_with("# Anlage 2: Informationssicherheit und Service Level\n"),
        "{}",
        &md[..200.min(md.len())]
    );
    assert!(md.contains("\n## § 1 "), "no § 1");
    assert!(md.contains("\n### 1.1 "), "no 1.1");
    assert!(md.contains("99,5\u{a0}%"), "availability default missing");
    assert!(
        !md.contains("{{") && !md.contains("{%"),
        "template syntax left in the output"
    );
}

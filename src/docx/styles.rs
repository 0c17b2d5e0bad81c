//! `styles.xml`: the body face and size and the annex language as defaults; the paragraph
//! styles of the body, headings (linked to the headings' numbering), tables, title block,
//! header and footer; the character styles of code, links, footnote marks, a draft's
//! placeholders and weaker figures; the table style of the annex's tables.

use super::Job;
use super::body::{HEADING_NUMBERING, TEXT_WIDTH};
use super::cover::{TABLE_SIDES, rule};
use super::parts::{BODY_FONT, MONO_FONT, W, language_tag};
use super::xml::Xml;

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

pub(super) fn styles(job: &Job<'_>) -> Xml {
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
    for side in TABLE_SIDES {
        rule(&mut xml, side);
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

//! The first page: a draft's notice and open points, the number line, the title, the main
//! contract, the parties, date, version and reference, and the contents, as the PDF frame
//! draws them.

use super::body::{BULLET_NUMBERING, TEXT_WIDTH};
use super::flow::{Entry, RunStyle, run};
use super::xml::Xml;
use super::{Job, Party};
use crate::markup::escape::isolate_bidi;

/// Grey of the labels (the frame's `muted`).
const MUTED: &str = "5F5F5F";

/// Writes the cover and the contents.
pub(super) fn write(xml: &mut Xml, job: &Job<'_>, contents: &[Entry]) {
    let cover = &job.cover;
    if job.draft {
        draft_notice(xml, job);
    }
    if let Some(number) = &cover.number {
        paragraph(
            xml,
            "AnnexNumber",
            &[(&isolate_bidi(number), RunStyle::default())],
        );
    }
    paragraph(
        xml,
        "Title",
        &[(&isolate_bidi(&cover.title), RunStyle::default())],
    );
    let to_contract = format!(
        "{} {}",
        job.label("to_contract", ""),
        isolate_bidi(&cover.main_contract)
    );
    if !cover.main_contract.is_empty() {
        paragraph(
            xml,
            "Subtitle",
            &[(to_contract.trim(), RunStyle::default())],
        );
    }
    // A document that is no annex (a library's redline) has no parties.
    if !(cover.client.name.is_empty() && cover.provider.name.is_empty()) {
        parties(xml, job);
    }
    details(xml, job);
    table_of_contents(xml, job, contents);
}

/// A paragraph of `style` with runs.
fn paragraph(xml: &mut Xml, style: &str, runs: &[(&str, RunStyle)]) {
    xml.open("w:p", &[]).open("w:pPr", &[]);
    xml.val("w:pStyle", style);
    xml.close();
    for (text, style) in runs {
        run(xml, text, *style);
    }
    xml.close();
}

fn draft_notice(xml: &mut Xml, job: &Job<'_>) {
    let notice = job.label("draft_notice", job.label("draft", "DRAFT"));
    paragraph(
        xml,
        "DraftNotice",
        &[(
            notice,
            RunStyle {
                bold: true,
                ..RunStyle::default()
            },
        )],
    );
    if job.open_points.is_empty() {
        return;
    }
    let title = format!("{}.", job.label("open_points", "Open points"));
    paragraph(
        xml,
        "OpenPoints",
        &[
            (
                &title,
                RunStyle {
                    bold: true,
                    ..RunStyle::default()
                },
            ),
            (" ", RunStyle::default()),
            (job.label("open_points_intro", ""), RunStyle::default()),
        ],
    );
    for point in &job.open_points {
        xml.open("w:p", &[]).open("w:pPr", &[]);
        xml.val("w:pStyle", "OpenPoints");
        xml.open("w:numPr", &[])
            .val("w:ilvl", "0")
            .val("w:numId", &BULLET_NUMBERING.to_string())
            .close();
        xml.close();
        run(xml, &isolate_bidi(point), RunStyle::default());
        xml.close();
    }
}

/// The borders of a table, in the schema's order.
pub(super) const TABLE_SIDES: [&str; 6] = [
    "w:top",
    "w:left",
    "w:bottom",
    "w:right",
    "w:insideH",
    "w:insideV",
];

/// A thin grey line on `side` of a table, cell or paragraph (`w:top`, `w:bottom`, …).
pub(super) fn rule(xml: &mut Xml, side: &str) {
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

/// Opens a table without lines but the rules on the sides `ruled`, with columns of `widths`,
/// no cell margins but `bottom` and `right` (twentieths of a point); the caller writes its rows
/// and closes it.
pub(super) fn plain_table(
    xml: &mut Xml,
    widths: &[u32],
    ruled: &[&str],
    (bottom, right): (u32, u32),
) {
    xml.open("w:tbl", &[]).open("w:tblPr", &[]);
    let total: u32 = widths.iter().sum();
    xml.empty("w:tblW", &[("w:w", &total.to_string()), ("w:type", "dxa")]);
    xml.open("w:tblBorders", &[]);
    for side in TABLE_SIDES {
        if ruled.contains(&side) {
            rule(xml, side);
        } else {
            xml.empty(side, &[("w:val", "nil")]);
        }
    }
    xml.close();
    xml.empty("w:tblLayout", &[("w:type", "fixed")]);
    xml.open("w:tblCellMar", &[])
        .empty("w:top", &[("w:w", "0"), ("w:type", "dxa")])
        .empty("w:left", &[("w:w", "0"), ("w:type", "dxa")])
        .empty(
            "w:bottom",
            &[("w:w", &bottom.to_string()), ("w:type", "dxa")],
        )
        .empty("w:right", &[("w:w", &right.to_string()), ("w:type", "dxa")])
        .close();
    xml.close();
    xml.open("w:tblGrid", &[]);
    for w in widths {
        xml.empty("w:gridCol", &[("w:w", &w.to_string())]);
    }
    xml.close();
}

fn cell(xml: &mut Xml, width: u32) {
    xml.open("w:tc", &[]).open("w:tcPr", &[]);
    xml.empty("w:tcW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
    xml.close();
}

/// Client and provider side by side.
fn parties(xml: &mut Xml, job: &Job<'_>) {
    let half = TEXT_WIDTH / 2;
    plain_table(
        xml,
        &[half, TEXT_WIDTH - half],
        &["w:top", "w:bottom"],
        (0, 340),
    );
    xml.open("w:tr", &[]);
    xml.open("w:trPr", &[]).empty("w:cantSplit", &[]).close();
    for (label, party, width) in [
        (job.label("client", "Client"), &job.cover.client, half),
        (
            job.label("provider", "Provider"),
            &job.cover.provider,
            TEXT_WIDTH - half,
        ),
    ] {
        cell(xml, width);
        party_cell(xml, job, label, party);
        xml.close();
    }
    xml.close().close();
}

fn party_cell(xml: &mut Xml, job: &Job<'_>, label: &str, party: &Party) {
    let muted = RunStyle {
        caps: true,
        color: Some(MUTED),
        size: Some(17),
        ..RunStyle::default()
    };
    paragraph(xml, "PartyLabel", &[(label, muted)]);
    xml.open("w:p", &[]).open("w:pPr", &[]);
    xml.val("w:pStyle", "Party");
    xml.close();
    run(
        xml,
        &isolate_bidi(&party.name),
        RunStyle {
            bold: true,
            ..RunStyle::default()
        },
    );
    for line in &party.address {
        xml.open("w:r", &[]).empty("w:br", &[]).close();
        run(xml, &isolate_bidi(line), RunStyle::default());
    }
    xml.close();
    if let Some(representative) = &party.representative {
        let text = format!(
            "{} {}",
            job.label("represented_by", ""),
            isolate_bidi(representative)
        );
        paragraph(xml, "Party", &[(text.trim(), RunStyle::default())]);
    }
}

/// Date, version and reference.
fn details(xml: &mut Xml, job: &Job<'_>) {
    let label_width = 1700;
    plain_table(xml, &[label_width, TEXT_WIDTH - label_width], &[], (0, 340));
    let cover = &job.cover;
    for (label, value) in [
        (job.label("date", "Date"), &cover.date),
        (job.label("version", "Version"), &cover.version),
        (job.label("id", "Reference"), &cover.id),
    ]
    .into_iter()
    .filter(|(_, value)| !value.is_empty())
    {
        xml.open("w:tr", &[]);
        cell(xml, label_width);
        paragraph(
            xml,
            "Details",
            &[(
                label,
                RunStyle {
                    color: Some(MUTED),
                    ..RunStyle::default()
                },
            )],
        );
        xml.close();
        cell(xml, TEXT_WIDTH - label_width);
        paragraph(
            xml,
            "Details",
            &[(&isolate_bidi(value), RunStyle::default())],
        );
        xml.close();
        xml.close();
    }
    xml.close();
}

/// The contents: Word's TOC field, its result written in advance (the section headings,
/// linked to their bookmarks). Updating the field in Word adds the page numbers.
fn table_of_contents(xml: &mut Xml, job: &Job<'_>, contents: &[Entry]) {
    paragraph(
        xml,
        "ContentsHeading",
        &[(job.label("contents", "Contents"), RunStyle::default())],
    );
    let last = contents.len().saturating_sub(1);
    if contents.is_empty() {
        return;
    }
    for (i, entry) in contents.iter().enumerate() {
        xml.open("w:p", &[]).open("w:pPr", &[]);
        xml.val("w:pStyle", "TOC1");
        xml.close();
        if i == 0 {
            field_char(xml, "begin");
            xml.open("w:r", &[])
                .open("w:instrText", &[("xml:space", "preserve")])
                .text(" TOC \\o \"1-1\" \\h \\z \\u ")
                .close()
                .close();
            field_char(xml, "separate");
        }
        xml.open(
            "w:hyperlink",
            &[("w:anchor", &entry.bookmark), ("w:history", "1")],
        );
        run(xml, &entry.text, RunStyle::default());
        xml.close();
        if i == last {
            field_char(xml, "end");
        }
        xml.close();
    }
}

/// A run with a field character: `begin`, `separate` or `end`.
pub(super) fn field_char(xml: &mut Xml, kind: &str) {
    xml.open("w:r", &[])
        .empty("w:fldChar", &[("w:fldCharType", kind)])
        .close();
}

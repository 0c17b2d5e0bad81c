//! Where paragraphs go (the body or a footnote) and the state of the one being written: the
//! blocks around it (quotes, lists, tables), its properties, the inline properties of its runs,
//! and a redline's tracked changes.

use pulldown_cmark::{Alignment, Event};

use super::body::{LIST_INDENT, LIST_LEVELS};
use super::xml::Xml;
use crate::markup::placeholder::{self, Piece};

/// Quotes nested deeper than this are indented no further.
const MAX_QUOTE_INDENT: usize = 6;

/// The properties of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct RunStyle {
    pub(super) style: Option<&'static str>,
    pub(super) bold: bool,
    pub(super) italic: bool,
    pub(super) strike: bool,
    pub(super) caps: bool,
    pub(super) color: Option<&'static str>,
    /// Half-points.
    pub(super) size: Option<u32>,
}

/// Writes a run of `text` with `style`; text and style only, no paragraph.
pub(super) fn run(xml: &mut Xml, text: &str, style: RunStyle) {
    if text.is_empty() {
        return;
    }
    xml.open("w:r", &[]);
    run_properties(xml, style);
    xml.open("w:t", &[("xml:space", "preserve")])
        .text(text)
        .close();
    xml.close();
}

/// `w:rPr`, its children in the schema's order.
pub(super) fn run_properties(xml: &mut Xml, style: RunStyle) {
    if style == RunStyle::default() {
        return;
    }
    xml.open("w:rPr", &[]);
    if let Some(name) = style.style {
        xml.val("w:rStyle", name);
    }
    if style.bold {
        xml.empty("w:b", &[]);
    }
    if style.italic {
        xml.empty("w:i", &[]);
    }
    if style.caps {
        xml.empty("w:caps", &[]);
    }
    if style.strike {
        xml.empty("w:strike", &[]);
    }
    if let Some(color) = style.color {
        xml.val("w:color", color);
    }
    if let Some(size) = style.size {
        xml.val("w:sz", &size.to_string());
    }
    xml.close();
}

/// An entry of the contents: the bookmark of a section heading and its text.
pub(super) struct Entry {
    pub(super) bookmark: String,
    pub(super) text: String,
}

/// A block the writer is inside of.
#[derive(Debug, Clone)]
pub(super) enum Block {
    Quote,
    List {
        numbering: usize,
    },
    /// A list item: whether its first paragraph (which carries the number) is still to come.
    Item {
        first: bool,
    },
    Table(Table),
    Cell {
        written: bool,
    },
}

#[derive(Debug, Clone)]
pub(super) struct Table {
    pub(super) alignments: Vec<Alignment>,
    pub(super) widths: Vec<u32>,
    pub(super) cells: usize,
    pub(super) header: bool,
    pub(super) keep: bool,
    pub(super) rows: usize,
    pub(super) row: usize,
}

/// Where paragraphs go: the body or a footnote, with the state of the paragraph being written.
pub(super) struct Flow {
    pub(super) xml: Xml,
    pub(super) blocks: Vec<Block>,
    /// The depth of the XML stack inside the open paragraph, if one is open.
    pub(super) paragraph: Option<usize>,
    /// The next paragraph leads into a list or table (kept with it).
    pub(super) lead_in: bool,
    /// The next paragraph starts a page.
    pub(super) page_break: bool,
    /// A footnote being written: its first paragraph starts with the footnote's mark.
    pub(super) note: Option<bool>,
    pub(super) strong: usize,
    pub(super) emphasis: usize,
    pub(super) strike: usize,
    /// For each open link: the depth of the `w:hyperlink` opened for it, if one was.
    pub(super) links: Vec<Option<usize>>,
    /// Text only (image alt text): no runs with properties of their own.
    pub(super) plain: usize,
    /// A heading being collected: its Markdown level and text.
    pub(super) heading: Option<(usize, String)>,
    /// A code block being collected.
    pub(super) code: Option<String>,
    pub(super) last_was_table: bool,
    /// The next id of an annotation (bookmark, tracked change): unique in the document.
    pub(super) next_id: usize,
    /// The author and date of tracked changes.
    pub(super) author: String,
    pub(super) date: String,
    /// The next paragraph's mark is inserted or deleted (a paragraph a redline adds or removes
    /// whole: accepting the change leaves no empty paragraph).
    pub(super) paragraph_change: Option<Change>,
}

/// A tracked change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Change {
    Inserted,
    Deleted,
}

impl Flow {
    /// A flow that goes on with the annotation ids and the author of `outer`.
    pub(super) fn inner(outer: &Flow, note: bool) -> Flow {
        Flow {
            next_id: outer.next_id,
            author: outer.author.clone(),
            date: outer.date.clone(),
            ..Flow::new(note)
        }
    }

    pub(super) fn new(note: bool) -> Flow {
        Flow {
            next_id: 0,
            author: String::new(),
            date: String::new(),
            paragraph_change: None,
            xml: Xml::fragment(),
            blocks: Vec::new(),
            paragraph: None,
            lead_in: false,
            page_break: false,
            note: note.then_some(true),
            strong: 0,
            emphasis: 0,
            strike: 0,
            links: Vec::new(),
            plain: 0,
            heading: None,
            code: None,
            last_was_table: false,
        }
    }

    fn quotes(&self) -> usize {
        self.blocks
            .iter()
            .filter(|b| matches!(b, Block::Quote))
            .count()
    }

    /// The list level (0 for the outermost list) and numbering of the innermost list.
    pub(super) fn list(&self) -> Option<(usize, usize)> {
        let mut level = None;
        let mut numbering = 0;
        for block in &self.blocks {
            if let Block::List { numbering: n } = block {
                level = Some(level.map_or(0, |l: usize| l + 1));
                numbering = *n;
            }
        }
        level.map(|l| (l.min(LIST_LEVELS - 1), numbering))
    }

    fn in_cell(&self) -> bool {
        matches!(self.blocks.last(), Some(Block::Cell { .. }))
    }

    pub(super) fn table(&mut self) -> Option<&mut Table> {
        self.blocks.iter_mut().rev().find_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }

    /// A new annotation id.
    pub(super) fn annotation(&mut self) -> String {
        self.next_id += 1;
        (self.next_id - 1).to_string()
    }

    /// A run of `text` as a tracked change.
    pub(super) fn change(&mut self, change: Change, text: &str, style: RunStyle) {
        if text.is_empty() {
            return;
        }
        let id = self.annotation();
        let (element, text_element) = match change {
            Change::Inserted => ("w:ins", "w:t"),
            Change::Deleted => ("w:del", "w:delText"),
        };
        let (author, date) = (self.author.clone(), self.date.clone());
        self.xml.open(
            element,
            &[("w:id", &id), ("w:author", &author), ("w:date", &date)],
        );
        self.xml.open("w:r", &[]);
        run_properties(&mut self.xml, style);
        self.xml
            .open(text_element, &[("xml:space", "preserve")])
            .text(text)
            .close();
        self.xml.close().close();
    }

    /// Opens a paragraph unless one is open.
    pub(super) fn ensure_paragraph(&mut self) {
        if self.paragraph.is_some() {
            return;
        }
        let after_table = std::mem::take(&mut self.last_was_table);
        if let Some(Block::Cell { written }) = self.blocks.last_mut() {
            *written = true;
        }
        self.xml.open("w:p", &[]);
        self.paragraph_properties(after_table);
        self.paragraph = Some(self.xml.depth());
        if self.note == Some(true) {
            self.note = Some(false);
            self.xml.open("w:r", &[]);
            run_properties(
                &mut self.xml,
                RunStyle {
                    style: Some("FootnoteReference"),
                    ..RunStyle::default()
                },
            );
            self.xml.empty("w:footnoteRef", &[]);
            self.xml.close();
            run(&mut self.xml, " ", RunStyle::default());
        }
    }

    /// `w:pPr` of the paragraph being opened, from the blocks around it.
    fn paragraph_properties(&mut self, after_table: bool) {
        let in_cell = self.in_cell();
        let list = self.list();
        let quotes = self.quotes().min(MAX_QUOTE_INDENT);
        let list = if in_cell { None } else { list };
        let mut number = None;
        if let Some(Block::Item { first }) = self
            .blocks
            .iter_mut()
            .rev()
            .take_while(|b| !matches!(b, Block::Cell { .. }))
            .find(|b| matches!(b, Block::Item { .. }))
        {
            if *first {
                number = list;
            }
            *first = false;
        }
        let keep_in_table = self.table().is_some_and(|t| t.keep && t.row + 1 < t.rows);
        let style = if in_cell {
            "TableText"
        } else if self.note.is_some() {
            "FootnoteText"
        } else if quotes > 0 {
            "Quote"
        } else if list.is_some() {
            "ListParagraph"
        } else {
            "BodyText"
        };
        let keep_next = std::mem::take(&mut self.lead_in) || keep_in_table;
        let page_break = std::mem::take(&mut self.page_break);
        let xml = &mut self.xml;
        xml.open("w:pPr", &[]);
        xml.val("w:pStyle", style);
        if keep_next {
            xml.empty("w:keepNext", &[]);
        }
        if page_break {
            xml.empty("w:pageBreakBefore", &[]);
        }
        if let Some((level, numbering)) = number {
            xml.open("w:numPr", &[])
                .val("w:ilvl", &level.to_string())
                .val("w:numId", &numbering.to_string())
                .close();
        }
        if after_table {
            // The space a table keeps below it in the PDF.
            xml.empty("w:spacing", &[("w:before", "200")]);
        }
        // The list's own indent, and one more step for each quote around the paragraph.
        let list_indent = list.map_or(0, |(level, _)| (level as u32 + 1) * LIST_INDENT);
        if quotes > 0 || (list.is_some() && number.is_none()) {
            let left = list_indent + quotes as u32 * 567;
            xml.empty("w:ind", &[("w:left", &left.to_string())]);
        }
        if let Some(align) = in_cell.then(|| self_alignment(&self.blocks)).flatten() {
            xml.val("w:jc", align);
        }
        self.paragraph_mark();
        self.xml.close();
    }

    /// The paragraph mark's revision, at the end of `w:pPr`, if the paragraph is a change.
    pub(super) fn paragraph_mark(&mut self) {
        let Some(change) = self.paragraph_change.take() else {
            return;
        };
        self.xml.open("w:rPr", &[]);
        self.revision_mark(change);
        self.xml.close();
    }

    /// `<w:ins …/>` or `<w:del …/>`: a paragraph mark or a table row that is a change.
    pub(super) fn revision_mark(&mut self, change: Change) {
        let id = self.annotation();
        let (author, date) = (self.author.clone(), self.date.clone());
        let element = match change {
            Change::Inserted => "w:ins",
            Change::Deleted => "w:del",
        };
        self.xml.empty(
            element,
            &[("w:id", &id), ("w:author", &author), ("w:date", &date)],
        );
    }

    pub(super) fn close_paragraph(&mut self) {
        if let Some(depth) = self.paragraph.take() {
            self.xml.close_to(depth - 1);
        }
    }

    /// The properties of a run of text here.
    pub(super) fn style(&self) -> RunStyle {
        let header = self
            .blocks
            .iter()
            .rev()
            .find_map(|b| match b {
                Block::Table(t) => Some(t.header),
                _ => None,
            })
            .unwrap_or(false);
        if self.plain > 0 {
            return RunStyle {
                bold: header,
                ..RunStyle::default()
            };
        }
        RunStyle {
            style: self
                .links
                .iter()
                .any(Option::is_some)
                .then_some("Hyperlink"),
            bold: self.strong > 0 || header,
            italic: self.emphasis > 0,
            strike: self.strike > 0,
            ..RunStyle::default()
        }
    }

    /// Text with its placeholders and highlighted figures.
    pub(super) fn text(&mut self, text: &str) {
        if let Some(code) = &mut self.code {
            code.push_str(&placeholder::to_plain(text));
            return;
        }
        if let Some((_, heading)) = &mut self.heading {
            // Raw: a redline's changes show in headings too.
            heading.push_str(text);
            return;
        }
        self.ensure_paragraph();
        let style = self.style();
        for piece in placeholder::split(text) {
            match piece {
                Piece::Text(t) => run(&mut self.xml, t, style),
                Piece::Marked(t) => run(
                    &mut self.xml,
                    t,
                    RunStyle {
                        style: Some("AnnexWeaker"),
                        ..style
                    },
                ),
                Piece::Inserted(t) => self.change(Change::Inserted, t, style),
                Piece::Deleted(t) => self.change(Change::Deleted, t, style),
                Piece::Placeholder(field) => run(
                    &mut self.xml,
                    &placeholder::label(&field),
                    RunStyle {
                        style: Some("AnnexMissing"),
                        ..RunStyle::default()
                    },
                ),
            }
        }
    }

    pub(super) fn code(&mut self, code: &str) {
        let code = placeholder::to_plain(code);
        if self.heading.is_some() || self.plain > 0 {
            self.text(&code);
            return;
        }
        self.ensure_paragraph();
        let style = RunStyle {
            style: Some("AnnexCode"),
            ..self.style()
        };
        run(&mut self.xml, &code, style);
    }

    pub(super) fn line_break(&mut self) {
        if self.heading.is_some() {
            self.text(" ");
            return;
        }
        self.ensure_paragraph();
        self.xml.open("w:r", &[]).empty("w:br", &[]).close();
    }
}

/// The alignment of the current cell's column.
fn self_alignment(blocks: &[Block]) -> Option<&'static str> {
    let table = blocks.iter().rev().find_map(|b| match b {
        Block::Table(t) => Some(t),
        _ => None,
    })?;
    match table.alignments.get(table.cells)? {
        Alignment::Center => Some("center"),
        Alignment::Right => Some("right"),
        Alignment::Left | Alignment::None => None,
    }
}

/// Whether every text of `events` is inserted, or every text deleted, by a redline.
pub(super) fn whole_change(events: &[Event<'_>]) -> Option<Change> {
    let mut seen = None;
    for event in events {
        let (Event::Text(t) | Event::Code(t)) = event else {
            continue;
        };
        for piece in placeholder::split(t) {
            let change = match piece {
                Piece::Inserted(_) => Change::Inserted,
                Piece::Deleted(_) => Change::Deleted,
                Piece::Text(t) if t.trim().is_empty() => continue,
                _ => return None,
            };
            if seen.is_some_and(|s| s != change) {
                return None;
            }
            seen = Some(change);
        }
    }
    seen
}

//! The body: pulldown-cmark events in, WordprocessingML paragraphs and tables out.
//!
//! Shaped like the Typst writer ([`crate::markup`]): [`Writer::write_range`] walks the events;
//! block tags open and close paragraphs, lists and tables, inline tags change the properties
//! of the runs that follow. A paragraph is opened by the first text that needs one, so that
//! the items of a tight list (text without a paragraph) get theirs too.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{
    Alignment, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, TextMergeStream,
};

use super::Job;
use super::xml::Xml;
use crate::markup::placeholder::{self, Piece};
use crate::markup::{matching_end, measure_table};

/// The width of the text column in twentieths of a point (A4 less the margins of the frame).
pub(super) const TEXT_WIDTH: u32 = 8788;
/// The numbering of the headings (`numbering.xml`).
pub(super) const HEADING_NUMBERING: usize = 1;
/// The numbering of every bullet list.
pub(super) const BULLET_NUMBERING: usize = 2;
/// The first numbering of an ordered list; each ordered list has its own, so it starts anew.
pub(super) const FIRST_ORDERED_NUMBERING: usize = 3;
/// Levels of Word's lists: a list nested deeper is shown at the deepest.
pub(super) const LIST_LEVELS: usize = 9;
/// The indent of one list level.
pub(super) const LIST_INDENT: u32 = 397;
/// The shade of a table's header row.
const HEADER: &str = "EEEEEE";
/// The shade of a table cell a redline changed.
const CHANGED: &str = "FFF1B8";
/// Quotes nested deeper than this are indented no further.
const MAX_QUOTE_INDENT: usize = 6;

/// The body of the document and what the other parts need to know of it.
pub(super) struct Body {
    /// The children of `w:body` (cover, contents and annex), without the section properties.
    pub(super) xml: Xml,
    /// The footnotes, each a `w:footnote` element, numbered from 1.
    pub(super) footnotes: Vec<Xml>,
    /// The targets of the links, `rIdLink1`, `rIdLink2`, …
    pub(super) links: Vec<String>,
    /// The start of each ordered list, in the order of their numberings.
    pub(super) ordered: Vec<(usize, u64)>,
}

/// The relationship id of the `n`-th link (from 1).
pub(super) fn link_id(n: usize) -> String {
    format!("rIdLink{n}")
}

/// Writes the cover, the contents and the body of a job.
pub(super) fn write(job: &Job<'_>) -> Body {
    let events: Vec<Event<'_>> =
        TextMergeStream::new(Parser::new_ext(job.body, crate::markup::parser_options())).collect();
    let mut writer = Writer::new(job, events);
    writer.write_range(0..writer.events.len());
    writer.flow.close_paragraph();
    if writer.flow.last_was_table {
        // Word wants a paragraph after a table that ends the body.
        writer.flow.xml.empty("w:p", &[]);
    }
    let annex = std::mem::replace(&mut writer.flow.xml, Xml::fragment());
    let mut xml = Xml::fragment();
    super::cover::write(&mut xml, job, &writer.contents);
    xml.raw(&annex);
    Body {
        xml,
        footnotes: writer.footnotes,
        links: writer.links,
        ordered: writer.ordered,
    }
}

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
enum Block {
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
struct Table {
    alignments: Vec<Alignment>,
    widths: Vec<u32>,
    cells: usize,
    header: bool,
    keep: bool,
    rows: usize,
    row: usize,
}

/// Where paragraphs go: the body or a footnote, with the state of the paragraph being written.
struct Flow {
    xml: Xml,
    blocks: Vec<Block>,
    /// The depth of the XML stack inside the open paragraph, if one is open.
    paragraph: Option<usize>,
    /// The next paragraph leads into a list or table (kept with it).
    lead_in: bool,
    /// The next paragraph starts a page.
    page_break: bool,
    /// A footnote being written: its first paragraph starts with the footnote's mark.
    note: Option<bool>,
    strong: usize,
    emphasis: usize,
    strike: usize,
    /// For each open link: the depth of the `w:hyperlink` opened for it, if one was.
    links: Vec<Option<usize>>,
    /// Text only (image alt text): no runs with properties of their own.
    plain: usize,
    /// A heading being collected: its Markdown level and text.
    heading: Option<(usize, String)>,
    /// A code block being collected.
    code: Option<String>,
    last_was_table: bool,
    /// The next id of an annotation (bookmark, tracked change): unique in the document.
    next_id: usize,
    /// The author and date of tracked changes.
    author: String,
    date: String,
    /// The next paragraph's mark is inserted or deleted (a paragraph a redline adds or removes
    /// whole: accepting the change leaves no empty paragraph).
    paragraph_change: Option<Change>,
}

/// A tracked change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Inserted,
    Deleted,
}

impl Flow {
    /// A flow that goes on with the annotation ids and the author of `outer`.
    fn inner(outer: &Flow, note: bool) -> Flow {
        Flow {
            next_id: outer.next_id,
            author: outer.author.clone(),
            date: outer.date.clone(),
            ..Flow::new(note)
        }
    }

    fn new(note: bool) -> Flow {
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
    fn list(&self) -> Option<(usize, usize)> {
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

    fn table(&mut self) -> Option<&mut Table> {
        self.blocks.iter_mut().rev().find_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }

    /// A new annotation id.
    fn annotation(&mut self) -> String {
        self.next_id += 1;
        (self.next_id - 1).to_string()
    }

    /// A run of `text` as a tracked change.
    fn change(&mut self, change: Change, text: &str, style: RunStyle) {
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
    fn ensure_paragraph(&mut self) {
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
    fn paragraph_mark(&mut self) {
        let Some(change) = self.paragraph_change.take() else {
            return;
        };
        let id = self.annotation();
        let (author, date) = (self.author.clone(), self.date.clone());
        let element = match change {
            Change::Inserted => "w:ins",
            Change::Deleted => "w:del",
        };
        self.xml
            .open("w:rPr", &[])
            .empty(
                element,
                &[("w:id", &id), ("w:author", &author), ("w:date", &date)],
            )
            .close();
    }

    fn close_paragraph(&mut self) {
        if let Some(depth) = self.paragraph.take() {
            self.xml.close_to(depth - 1);
        }
    }

    /// The properties of a run of text here.
    fn style(&self) -> RunStyle {
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
    fn text(&mut self, text: &str) {
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

    fn code(&mut self, code: &str) {
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

    fn line_break(&mut self) {
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

/// The numbers the annex gave its headings so far: section, subsection, sub-subsection.
#[derive(Default)]
struct Numbers {
    section: usize,
    sub: usize,
    subsub: usize,
    /// Whether the last section heading was numbered (the subsections below an unnumbered
    /// one, such as the appendix's, are not).
    in_section: bool,
}

struct Writer<'j, 'e> {
    job: &'j Job<'j>,
    events: Vec<Event<'e>>,
    /// Footnote definitions by lowercased label: the range of their content.
    definitions: HashMap<String, Range<usize>>,
    /// Footnote ids by lowercased label, in order of first reference.
    notes: HashMap<String, usize>,
    /// Footnotes whose content is being written (guards against cycles).
    open_notes: Vec<String>,
    flow: Flow,
    footnotes: Vec<Xml>,
    links: Vec<String>,
    ordered: Vec<(usize, u64)>,
    numbers: Numbers,
    contents: Vec<Entry>,
    /// Whether the cell about to start holds a redline's change (it is shaded).
    changed_cell: bool,
}

impl<'j, 'e> Writer<'j, 'e> {
    fn new(job: &'j Job<'j>, events: Vec<Event<'e>>) -> Self {
        let mut definitions = HashMap::new();
        for (i, event) in events.iter().enumerate() {
            if let Event::Start(Tag::FootnoteDefinition(label)) = event {
                let end = matching_end(&events, i);
                definitions
                    .entry(label.to_lowercase())
                    .or_insert(i + 1..end);
            }
        }
        Writer {
            job,
            events,
            definitions,
            notes: HashMap::new(),
            open_notes: Vec::new(),
            flow: Flow {
                author: job.author.clone().unwrap_or_else(|| "annex".to_owned()),
                date: {
                    let (y, m, d) = job.date;
                    format!("{y:04}-{m:02}-{d:02}T00:00:00Z")
                },
                ..Flow::new(false)
            },
            footnotes: Vec::new(),
            links: Vec::new(),
            ordered: Vec::new(),
            numbers: Numbers::default(),
            contents: Vec::new(),
            changed_cell: false,
        }
    }

    fn write_range(&mut self, range: Range<usize>) {
        let mut i = range.start;
        while i < range.end {
            let Some(event) = self.events.get(i).cloned() else {
                break;
            };
            match event {
                Event::Start(Tag::FootnoteDefinition(_)) => i = matching_end(&self.events, i),
                Event::Start(Tag::Paragraph) => {
                    let end = matching_end(&self.events, i);
                    // The page-break token alone at the top level: the next paragraph starts a
                    // page.
                    if end == i + 2
                        && self.flow.blocks.is_empty()
                        && matches!(self.events.get(i + 1), Some(Event::Text(t)) if is_page_break(t))
                    {
                        self.flow.close_paragraph();
                        self.flow.page_break = true;
                        i = end + 1;
                        continue;
                    }
                    self.flow.close_paragraph();
                    self.flow.paragraph_change =
                        whole_change(self.events.get(i..end).unwrap_or_default());
                    self.flow.lead_in = matches!(
                        self.events.get(end + 1),
                        Some(Event::Start(Tag::List(_) | Tag::Table(_)))
                    );
                }
                Event::Start(Tag::Table(alignments)) => {
                    let widths = column_widths(&self.events, i, alignments.len());
                    let measure = measure_table(&self.events, i, alignments.len());
                    self.start_table(alignments, widths, measure.keep(), measure.rows);
                }
                Event::Start(tag @ (Tag::Item | Tag::Heading { .. })) => {
                    // The text up to a list inside: the item's or heading's own paragraph.
                    let end = matching_end(&self.events, i);
                    let own = self.events.get(i..end).unwrap_or_default();
                    let own = own
                        .iter()
                        .position(|e| matches!(e, Event::Start(Tag::List(_))))
                        .and_then(|at| own.get(..at))
                        .unwrap_or(own);
                    let change = whole_change(own);
                    self.start_tag(tag);
                    self.flow.paragraph_change = change;
                }
                Event::Start(Tag::TableCell) => {
                    let end = matching_end(&self.events, i);
                    self.changed_cell = self
                        .events
                        .get(i..end)
                        .is_some_and(|cell| cell.iter().any(placeholder::is_change));
                    self.start_tag(Tag::TableCell);
                }
                Event::Start(tag) => self.start_tag(tag),
                Event::End(tag) => self.end_tag(tag),
                Event::Text(text) => self.flow.text(&text),
                Event::Code(code) => self.flow.code(&code),
                Event::Html(html) | Event::InlineHtml(html) => self.flow.text(&html),
                Event::InlineMath(math) => self.flow.text(&format!("${math}$")),
                Event::DisplayMath(math) => self.flow.text(&format!("$${math}$$")),
                Event::FootnoteReference(label) => self.footnote(&label),
                Event::SoftBreak => self.flow.text(" "),
                Event::HardBreak => self.flow.line_break(),
                Event::Rule => {
                    self.flow.close_paragraph();
                    let xml = &mut self.flow.xml;
                    xml.open("w:p", &[]).open("w:pPr", &[]);
                    xml.val("w:pStyle", "BodyText");
                    xml.open("w:pBdr", &[])
                        .empty(
                            "w:bottom",
                            &[
                                ("w:val", "single"),
                                ("w:sz", "4"),
                                ("w:space", "1"),
                                ("w:color", "969696"),
                            ],
                        )
                        .close();
                    xml.close().close();
                    self.flow.last_was_table = false;
                }
                Event::TaskListMarker(done) => self.flow.text(if done { "☒ " } else { "☐ " }),
            }
            i += 1;
        }
    }

    fn start_tag(&mut self, tag: Tag<'e>) {
        match tag {
            Tag::Paragraph | Tag::HtmlBlock => self.flow.close_paragraph(),
            Tag::Heading { level, .. } => {
                self.flow.close_paragraph();
                self.flow.heading = Some((heading_level(level), String::new()));
            }
            Tag::BlockQuote(_) => {
                self.flow.close_paragraph();
                self.flow.blocks.push(Block::Quote);
            }
            Tag::CodeBlock(_) => {
                self.flow.close_paragraph();
                self.flow.code = Some(String::new());
            }
            Tag::List(start) => {
                self.flow.close_paragraph();
                let numbering = match start {
                    None => BULLET_NUMBERING,
                    Some(start) => {
                        let n = FIRST_ORDERED_NUMBERING + self.ordered.len();
                        self.ordered
                            .push((self.flow.list().map_or(0, |(l, _)| l + 1), start));
                        n
                    }
                };
                self.flow.blocks.push(Block::List { numbering });
            }
            Tag::Item => {
                self.flow.close_paragraph();
                self.flow.blocks.push(Block::Item { first: true });
            }
            Tag::Table(_) => {}
            Tag::TableHead | Tag::TableRow => {
                let head = matches!(tag, Tag::TableHead);
                if let Some(table) = self.flow.table() {
                    table.cells = 0;
                    table.header = head;
                }
                let keep = self.flow.table().is_some_and(|t| t.keep);
                let xml = &mut self.flow.xml;
                xml.open("w:tr", &[]);
                if head || keep {
                    xml.open("w:trPr", &[]);
                    if keep || head {
                        xml.empty("w:cantSplit", &[]);
                    }
                    if head {
                        xml.empty("w:tblHeader", &[]);
                    }
                    xml.close();
                }
            }
            Tag::TableCell => {
                let (width, header) = self
                    .flow
                    .table()
                    .map(|t| (t.widths.get(t.cells).copied().unwrap_or(0), t.header))
                    .unwrap_or((0, false));
                let shade = if std::mem::take(&mut self.changed_cell) {
                    Some(CHANGED)
                } else {
                    header.then_some(HEADER)
                };
                self.open_cell(width, shade);
                self.flow.blocks.push(Block::Cell { written: false });
            }
            Tag::Emphasis => self.flow.emphasis += 1,
            Tag::Strong => self.flow.strong += 1,
            Tag::Strikethrough => self.flow.strike += 1,
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let dest_url = placeholder::to_plain(&dest_url);
                let url = match link_type {
                    pulldown_cmark::LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                let linked =
                    self.flow.plain == 0 && self.flow.heading.is_none() && is_safe_url(&url);
                let mut opened = None;
                if linked {
                    self.flow.ensure_paragraph();
                    self.links.push(url);
                    let id = link_id(self.links.len());
                    self.flow
                        .xml
                        .open("w:hyperlink", &[("r:id", &id), ("w:history", "1")]);
                    opened = Some(self.flow.xml.depth());
                }
                self.flow.links.push(opened);
            }
            Tag::Image { .. } => self.flow.plain += 1,
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end_tag(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock => self.flow.close_paragraph(),
            TagEnd::Heading(_) => {
                if let Some((level, text)) = self.flow.heading.take() {
                    self.heading(level, &text);
                }
            }
            TagEnd::BlockQuote(_) => {
                self.flow.close_paragraph();
                self.pop(|b| matches!(b, Block::Quote));
            }
            TagEnd::CodeBlock => {
                if let Some(code) = self.flow.code.take() {
                    self.code_block(&code);
                }
            }
            TagEnd::List(_) => {
                self.flow.close_paragraph();
                self.pop(|b| matches!(b, Block::List { .. }));
            }
            TagEnd::Item => {
                self.flow.close_paragraph();
                self.pop(|b| matches!(b, Block::Item { .. }));
            }
            TagEnd::Table => {
                self.flow.close_paragraph();
                self.pop(|b| matches!(b, Block::Table(_)));
                self.flow.xml.close();
                self.flow.last_was_table = true;
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                // GFM keeps short rows short; Word wants every cell.
                let (missing, header) = match self.flow.table() {
                    Some(t) => {
                        t.row += 1;
                        let missing: Vec<u32> = t.widths.iter().skip(t.cells).copied().collect();
                        (missing, t.header)
                    }
                    None => (Vec::new(), false),
                };
                for width in missing {
                    self.open_cell(width, header.then_some(HEADER));
                    self.empty_cell_paragraph(false);
                    self.flow.xml.close();
                }
                if let Some(table) = self.flow.table() {
                    table.header = false;
                }
                self.flow.xml.close();
            }
            TagEnd::TableCell => {
                self.flow.close_paragraph();
                if let Some(Block::Cell { written: false }) = self.flow.blocks.last() {
                    // An empty body cell is space to write in (the signature block), as in
                    // the PDF.
                    let header = self.flow.table().is_some_and(|t| t.header);
                    self.empty_cell_paragraph(!header);
                }
                self.pop(|b| matches!(b, Block::Cell { .. }));
                if let Some(table) = self.flow.table() {
                    table.cells += 1;
                }
                self.flow.xml.close();
            }
            TagEnd::Emphasis => self.flow.emphasis = self.flow.emphasis.saturating_sub(1),
            TagEnd::Strong => self.flow.strong = self.flow.strong.saturating_sub(1),
            TagEnd::Strikethrough => self.flow.strike = self.flow.strike.saturating_sub(1),
            TagEnd::Link => {
                // Closed with its paragraph already, if that ended first.
                if let Some(Some(depth)) = self.flow.links.pop()
                    && self.flow.paragraph.is_some_and(|p| p < depth)
                {
                    self.flow.xml.close_to(depth - 1);
                }
            }
            TagEnd::Image => self.flow.plain = self.flow.plain.saturating_sub(1),
            TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::MetadataBlock(_) => {}
        }
    }

    /// Removes the innermost block that `is` (and any left open inside it).
    fn pop(&mut self, is: impl Fn(&Block) -> bool) {
        if let Some(at) = self.flow.blocks.iter().rposition(is) {
            self.flow.blocks.truncate(at);
        }
    }

    fn start_table(
        &mut self,
        alignments: Vec<Alignment>,
        widths: Vec<u32>,
        keep: bool,
        rows: usize,
    ) {
        self.flow.close_paragraph();
        let xml = &mut self.flow.xml;
        xml.open("w:tbl", &[]).open("w:tblPr", &[]);
        xml.val("w:tblStyle", "AnnexTable");
        let total: u32 = widths.iter().sum();
        xml.empty("w:tblW", &[("w:w", &total.to_string()), ("w:type", "dxa")]);
        xml.empty("w:tblLayout", &[("w:type", "fixed")]);
        xml.empty(
            "w:tblLook",
            &[
                ("w:val", "0020"),
                ("w:firstRow", "1"),
                ("w:lastRow", "0"),
                ("w:firstColumn", "0"),
                ("w:lastColumn", "0"),
                ("w:noHBand", "1"),
                ("w:noVBand", "1"),
            ],
        );
        xml.close();
        xml.open("w:tblGrid", &[]);
        for w in &widths {
            xml.empty("w:gridCol", &[("w:w", &w.to_string())]);
        }
        xml.close();
        self.flow.blocks.push(Block::Table(Table {
            alignments,
            widths,
            cells: 0,
            header: false,
            keep,
            rows,
            row: 0,
        }));
    }

    fn open_cell(&mut self, width: u32, shade: Option<&str>) {
        let xml = &mut self.flow.xml;
        xml.open("w:tc", &[]).open("w:tcPr", &[]);
        xml.empty("w:tcW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
        if let Some(fill) = shade {
            xml.empty(
                "w:shd",
                &[("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)],
            );
        }
        xml.close();
    }

    fn empty_cell_paragraph(&mut self, tall: bool) {
        let xml = &mut self.flow.xml;
        xml.open("w:p", &[]).open("w:pPr", &[]);
        xml.val("w:pStyle", "TableText");
        if tall {
            xml.empty("w:spacing", &[("w:line", "560"), ("w:lineRule", "atLeast")]);
        }
        xml.close().close();
    }

    /// A heading: the annex's own number ("§ 5", "5.2", "5.2.1") becomes Word's numbering when
    /// it is the one Word would count; any other heading is written as it reads, unnumbered.
    /// `raw` may hold a redline's changes; the number is read from the text as accepted.
    fn heading(&mut self, level: usize, raw: &str) {
        let text = placeholder::to_plain(raw);
        let sign = self.job.section_sign;
        let n = &mut self.numbers;
        let (word_level, numbered) = match level {
            0..=2 => {
                let prefix = format!("{sign}\u{a0}{} ", n.section + 1);
                let numbered = level == 2 && text.starts_with(&prefix);
                n.in_section = numbered;
                if numbered {
                    n.section += 1;
                    n.sub = 0;
                    n.subsub = 0;
                }
                (1, numbered.then_some(prefix.len()))
            }
            3 => {
                let prefix = format!("{}.{} ", n.section, n.sub + 1);
                let numbered = n.in_section && text.starts_with(&prefix);
                if numbered {
                    n.sub += 1;
                    n.subsub = 0;
                }
                (2, numbered.then_some(prefix.len()))
            }
            _ => {
                let prefix = format!("{}.{}.{} ", n.section, n.sub, n.subsub + 1);
                let numbered = level == 4 && n.in_section && n.sub > 0 && text.starts_with(&prefix);
                if numbered {
                    n.subsub += 1;
                }
                (3, numbered.then_some(prefix.len()))
            }
        };
        let title = match numbered {
            Some(at) => placeholder::strip_visible_prefix(raw, at),
            None => raw.to_owned(),
        };
        let page_break = std::mem::take(&mut self.flow.page_break);
        let bookmark = (word_level == 1
            && self.flow.note.is_none()
            && self.flow.blocks.is_empty()
            && !text.trim().is_empty())
        .then(|| format!("_Toc{:06}", self.contents.len() + 1));
        self.flow.close_paragraph();
        self.flow.xml.open("w:p", &[]).open("w:pPr", &[]);
        self.flow
            .xml
            .val("w:pStyle", &format!("Heading{word_level}"));
        if page_break {
            self.flow.xml.empty("w:pageBreakBefore", &[]);
        }
        if numbered.is_none() {
            // The style's numbering, switched off for this heading.
            self.flow
                .xml
                .open("w:numPr", &[])
                .val("w:ilvl", "0")
                .val("w:numId", "0")
                .close();
        }
        self.flow.paragraph_mark();
        self.flow.xml.close();
        self.flow.paragraph = Some(self.flow.xml.depth());
        self.flow.last_was_table = false;
        let id = bookmark.as_ref().map(|name| {
            let id = self.flow.annotation();
            self.flow
                .xml
                .empty("w:bookmarkStart", &[("w:id", &id), ("w:name", name)]);
            id
        });
        self.flow.text(&title);
        if let Some(id) = id {
            self.flow.xml.empty("w:bookmarkEnd", &[("w:id", &id)]);
        }
        self.flow.close_paragraph();
        if let Some(bookmark) = bookmark {
            self.contents.push(Entry {
                bookmark,
                text: text.into_owned(),
            });
        }
    }

    fn code_block(&mut self, code: &str) {
        let code = code.strip_suffix('\n').unwrap_or(code);
        self.flow.ensure_paragraph();
        // The paragraph was opened with the style of its place; code keeps it and sets the
        // face of its runs.
        let style = RunStyle {
            style: Some("AnnexCode"),
            ..RunStyle::default()
        };
        for (i, line) in code.split('\n').enumerate() {
            if i > 0 {
                self.flow.xml.open("w:r", &[]).empty("w:br", &[]).close();
            }
            run(&mut self.flow.xml, line, style);
        }
        self.flow.close_paragraph();
    }

    /// The first reference to a footnote writes it (into `footnotes.xml`) and its mark; a
    /// later one repeats its number as text.
    fn footnote(&mut self, label: &CowStr<'e>) {
        let key = label.to_lowercase();
        let range = self.definitions.get(&key).cloned();
        if self.flow.heading.is_some() || self.open_notes.contains(&key) {
            self.flow.text(&format!("[^{label}]"));
            return;
        }
        match (self.notes.get(&key).copied(), range) {
            (Some(id), _) => {
                self.flow.ensure_paragraph();
                run(
                    &mut self.flow.xml,
                    &id.to_string(),
                    RunStyle {
                        style: Some("FootnoteReference"),
                        ..RunStyle::default()
                    },
                );
            }
            (None, Some(range)) => {
                let id = self.notes.len() + 1;
                self.notes.insert(key.clone(), id);
                self.flow.ensure_paragraph();
                self.flow.xml.open("w:r", &[]);
                run_properties(
                    &mut self.flow.xml,
                    RunStyle {
                        style: Some("FootnoteReference"),
                        ..RunStyle::default()
                    },
                );
                self.flow
                    .xml
                    .empty("w:footnoteReference", &[("w:id", &id.to_string())])
                    .close();
                self.open_notes.push(key);
                let inner = Flow::inner(&self.flow, true);
                let outer = std::mem::replace(&mut self.flow, inner);
                self.write_range(range);
                self.flow.ensure_paragraph();
                self.flow.close_paragraph();
                let mut note = std::mem::replace(&mut self.flow, outer);
                self.flow.next_id = note.next_id;
                let note_xml = std::mem::replace(&mut note.xml, Xml::fragment());
                self.open_notes.pop();
                let mut xml = Xml::fragment();
                xml.open("w:footnote", &[("w:id", &id.to_string())])
                    .raw(&note_xml)
                    .close();
                // Footnotes are numbered in order of first reference; one written inside another
                // comes after it.
                self.footnotes.push(xml);
            }
            (None, None) => self.flow.text(&format!("[^{label}]")),
        }
    }
}

/// Whether every text of `events` is inserted, or every text deleted, by a redline.
fn whole_change(events: &[Event<'_>]) -> Option<Change> {
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

fn heading_level(level: HeadingLevel) -> usize {
    level as usize
}

/// Whether a text is the page-break token alone.
fn is_page_break(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next() == Some(placeholder::PAGE_BREAK) && chars.next().is_none()
}

/// Only `http`, `https` and `mailto` links become links.
fn is_safe_url(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        ["http", "https", "mailto"]
            .iter()
            .any(|s| scheme.eq_ignore_ascii_case(s))
    })
}

/// The widths of a table's columns, filling the text column: a column of short cells (at most
/// 14 characters) is as wide as its longest cell, the others share the rest in proportion to
/// the square root of their average cell, as in the PDF; no column is narrower than its
/// longest word, as far as the text column allows.
fn column_widths(events: &[Event<'_>], start: usize, columns: usize) -> Vec<u32> {
    const SHORT_CELL: usize = 14;
    // About the width of one character of the table's 10-point text (bold in the header, in
    // whatever face the reader's Word puts in place of the PDF's), and the cell's margins.
    const CHAR: u32 = 130;
    const MARGINS: u32 = 230;
    if columns == 0 {
        return Vec::new();
    }
    let measure = measure_table(events, start, columns);
    let chars = |n: usize| (n.clamp(3, 60) as u32) * CHAR + MARGINS;
    let short: Vec<bool> = measure.longest.iter().map(|l| *l <= SHORT_CELL).collect();
    let weights: Vec<f64> = measure
        .average
        .iter()
        .zip(&short)
        .map(|(a, s)| if *s { 0.0 } else { (a.sqrt() * 10.0).max(30.0) })
        .collect();
    let floors: Vec<u32> = measure
        .longest
        .iter()
        .zip(&short)
        .zip(&measure.longest_word)
        .map(|((l, s), w)| if *s { chars(*l) } else { chars(*w) })
        .collect();
    let floor: u32 = floors.iter().sum();
    let weight: f64 = weights.iter().sum();
    if weight == 0.0 || floor >= TEXT_WIDTH {
        // Only short columns, or more text than fits: in proportion to the floors.
        return floors
            .iter()
            .map(|f| f * TEXT_WIDTH / floor.max(1))
            .collect();
    }
    // Share the width by weight, then lift every column below its floor to it, taking the room
    // from the others in proportion to what they have above theirs.
    let mut widths: Vec<f64> = weights
        .iter()
        .zip(&floors)
        .map(|(w, f)| if *w == 0.0 { f64::from(*f) } else { 0.0 })
        .collect();
    let fixed: f64 = widths.iter().sum();
    let rest = f64::from(TEXT_WIDTH) - fixed;
    for (width, w) in widths.iter_mut().zip(&weights) {
        if *w > 0.0 {
            *width = rest * w / weight;
        }
    }
    let lack: f64 = widths
        .iter()
        .zip(&floors)
        .map(|(w, f)| (f64::from(*f) - w).max(0.0))
        .sum();
    let spare: f64 = widths
        .iter()
        .zip(&floors)
        .map(|(w, f)| (w - f64::from(*f)).max(0.0))
        .sum();
    if lack > 0.0 && spare > 0.0 {
        for (width, f) in widths.iter_mut().zip(&floors) {
            let f = f64::from(*f);
            if *width < f {
                *width = f;
            } else {
                *width -= (*width - f) * (lack / spare).min(1.0);
            }
        }
    }
    widths.iter().map(|w| w.round() as u32).collect()
}

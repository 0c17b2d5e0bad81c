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
use super::columns::column_widths;
use super::flow::{Block, Change, Entry, Flow, RunStyle, Table, run, run_properties, whole_change};
use super::xml::Xml;
use crate::markup::placeholder;
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
    /// Whether the row about to start is inserted or deleted whole.
    row_change: Option<Change>,
}

impl<'j, 'e> Writer<'j, 'e> {
    fn new(job: &'j Job<'j>, events: Vec<Event<'e>>) -> Self {
        let definitions = crate::markup::events::footnote_definitions(&events);
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
            row_change: None,
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
                    // The page-break paragraph at the top level: the next paragraph starts a
                    // page.
                    if let Some(end) = crate::markup::events::page_break(&self.events, i)
                        .filter(|_| self.flow.blocks.is_empty())
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
                Event::Start(tag @ (Tag::TableRow | Tag::TableHead)) => {
                    // A row a redline adds or removes whole is a tracked change as a row.
                    let end = matching_end(&self.events, i);
                    self.row_change = whole_change(self.events.get(i..end).unwrap_or_default());
                    self.start_tag(tag);
                }
                Event::Start(Tag::TableCell) => {
                    self.changed_cell = crate::markup::events::holds_change(&self.events, i);
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
                let change = self.row_change.take();
                self.flow.xml.open("w:tr", &[]);
                if head || keep || change.is_some() {
                    self.flow.xml.open("w:trPr", &[]);
                    if keep || head {
                        self.flow.xml.empty("w:cantSplit", &[]);
                    }
                    if head {
                        self.flow.xml.empty("w:tblHeader", &[]);
                    }
                    if let Some(change) = change {
                        self.flow.revision_mark(change);
                    }
                    self.flow.xml.close();
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
                let target = crate::markup::events::link_target(link_type, &dest_url)
                    .filter(|_| self.flow.plain == 0 && self.flow.heading.is_none());
                let mut opened = None;
                if let Some(url) = target {
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

fn heading_level(level: HeadingLevel) -> usize {
    level as usize
}

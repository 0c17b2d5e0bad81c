//! The event writer: pulldown-cmark events in, Typst markup out.
//!
//! Shaped like pulldown-cmark's `HtmlWriter`: [`TypstWriter::run`] walks the
//! events and hands tags to `start_tag` / `end_tag` and text to `text`.
//! Every text is escaped; structure is only ever a function call with content
//! blocks, so nothing depends on line starts or word boundaries.

mod table;
mod tags;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag};

use super::TypstOptions;
use super::escape::{markup_text, string_literal};
use super::placeholder::{self, Piece};

use table::table_shape;
pub use table::{KEEP_LABEL, TableMeasure, matching_end, measure_table};

/// A table being written: column count and cells written in the current row.
struct Table {
    columns: usize,
    cells: usize,
    /// Labelled `<annex-keep>`: the frame keeps it on one page.
    keep: bool,
}

/// Most calls with content (`#quote[`, `#list(`, `[` of an item, `#strong[`, `#footnote[`, …)
/// open at the same time. Typst refuses markup nested deeper than its parser's limit (256
/// levels, several per call); Markdown nested deeper than this is written without the calls
/// beyond it: quotes, lists and tables as plain paragraphs, emphasis and links as their text,
/// footnotes as `[^label]`.
const MAX_NESTING: usize = 32;

/// Whether a container tag opened its Typst call or was flattened (see [`MAX_NESTING`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    Open,
    Flat,
}

/// A fenced or indented code block being collected.
struct CodeBlock {
    lang: String,
    code: String,
}

/// Writes Typst markup for a list of pulldown-cmark events.
pub(super) struct TypstWriter<'a> {
    events: Vec<Event<'a>>,
    options: TypstOptions,
    out: String,
    /// Footnote definitions by lowercased label: the range of their content.
    definitions: HashMap<String, Range<usize>>,
    /// Footnote numbers by lowercased label, in order of first reference.
    numbers: HashMap<String, usize>,
    /// Footnotes whose content is being written (guards against cycles).
    open_notes: Vec<String>,
    /// > 0 inside headings and image alt text: text only, no markup.
    plain: usize,
    /// For each open link: whether a `#link(..)[` was written.
    links: Vec<bool>,
    tables: Vec<Table>,
    code: Option<CodeBlock>,
    /// One frame per open container tag; `depth` counts the open ones.
    frames: Vec<Frame>,
    depth: usize,
    /// Per open paragraph: whether it was opened as a sticky block.
    paragraphs: Vec<bool>,
    /// The column widths of the table about to start (see [`table_shape`]).
    widths: Option<String>,
    /// Whether the table about to start is short enough to keep on one page.
    keep: bool,
    /// Whether the cell about to start holds a redline's change (it is shaded).
    changed_cell: bool,
}

impl<'a> TypstWriter<'a> {
    /// Creates a writer; footnote definitions are located here (pre-pass),
    /// because they may come after their references.
    pub(super) fn new(events: Vec<Event<'a>>, options: TypstOptions) -> Self {
        let definitions = super::events::footnote_definitions(&events);
        Self {
            events,
            options,
            out: String::new(),
            definitions,
            numbers: HashMap::new(),
            open_notes: Vec::new(),
            plain: 0,
            links: Vec::new(),
            tables: Vec::new(),
            code: None,
            frames: Vec::new(),
            depth: 0,
            paragraphs: Vec::new(),
            widths: None,
            keep: false,
            changed_cell: false,
        }
    }

    /// Writes the whole document and returns the Typst markup.
    pub(super) fn run(mut self) -> String {
        self.write_range(0..self.events.len());
        self.trim_end();
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out
    }

    /// Writes the events in `range`, skipping footnote definitions (they are
    /// written where they are first referenced).
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
                    // The page-break paragraph at the top level: a page break.
                    if let Some(end) =
                        super::events::page_break(&self.events, i).filter(|_| self.depth == 0)
                    {
                        self.block();
                        self.out.push_str("#pagebreak(weak: true)\n\n");
                        i = end + 1;
                        continue;
                    }
                    // A paragraph that leads into a list or a table stays on its page.
                    let lead_in = matches!(
                        self.events.get(end + 1),
                        Some(Event::Start(Tag::List(_) | Tag::Table(_)))
                    );
                    self.block();
                    let sticky = lead_in && self.plain == 0 && self.depth < MAX_NESTING;
                    if sticky {
                        self.open(1);
                        self.out.push_str("#block(sticky: true)[");
                    }
                    self.paragraphs.push(sticky);
                }
                Event::Start(Tag::Table(alignments)) => {
                    let shape = table_shape(&self.events, i, alignments.len());
                    self.widths = shape.widths;
                    self.keep = shape.keep;
                    self.start_tag(Tag::Table(alignments));
                }
                Event::Start(Tag::TableCell) => {
                    self.changed_cell = crate::markup::events::holds_change(&self.events, i);
                    self.start_tag(Tag::TableCell);
                }
                Event::Start(tag) => self.start_tag(tag),
                Event::End(tag) => self.end_tag(tag),
                Event::Text(text) => self.text(&text),
                Event::Code(code) => self.code(&code),
                Event::Html(html) | Event::InlineHtml(html) => self.text(&html),
                Event::InlineMath(math) => self.text(&format!("${math}$")),
                Event::DisplayMath(math) => self.text(&format!("$${math}$$")),
                Event::FootnoteReference(label) => self.footnote(&label),
                Event::SoftBreak => self.out.push(' '),
                Event::HardBreak if self.plain > 0 => self.out.push(' '),
                Event::HardBreak => self.out.push_str("#linebreak()\n"),
                Event::Rule => {
                    self.block();
                    self.out.push_str("#line(length: 100%)\n\n");
                }
                Event::TaskListMarker(done) => {
                    self.out.push_str(if done { "☒ " } else { "☐ " })
                }
            }
            i += 1;
        }
    }

    /// Opens a container: its call if `room` more calls fit, else flat.
    fn open(&mut self, room: usize) -> bool {
        let open = self.depth + room <= MAX_NESTING;
        if open {
            self.depth += 1;
        }
        self.frames
            .push(if open { Frame::Open } else { Frame::Flat });
        open
    }

    /// Closes a container; whether its call was opened.
    fn close(&mut self) -> bool {
        let open = self.frames.pop() == Some(Frame::Open);
        if open {
            self.depth = self.depth.saturating_sub(1);
        }
        open
    }

    /// Whether the innermost container (the list of an item, the table of a cell) is open.
    fn parent_open(&self) -> bool {
        self.frames.last() == Some(&Frame::Open)
    }

    /// Escaped text, or verbatim code inside a code block. A draft placeholder
    /// becomes a box labelled `<annex-missing>` (the frame draws it); in plain
    /// text (headings, alt text) and code it is its label `[field]` as text.
    fn text(&mut self, text: &str) {
        if let Some(block) = &mut self.code {
            block.code.push_str(&placeholder::to_plain(text));
            return;
        }
        for piece in placeholder::split(text) {
            match piece {
                Piece::Text(t) => self.out.push_str(&markup_text(t)),
                Piece::Marked(t) if self.plain > 0 => self.out.push_str(&markup_text(t)),
                Piece::Marked(t) => {
                    let _ = write!(
                        self.out,
                        "#highlight[{}]<{}>",
                        markup_text(t),
                        placeholder::TYPST_MARK_LABEL
                    );
                }
                // A redline's changes show in headings too.
                Piece::Inserted(t) => {
                    let _ = write!(
                        self.out,
                        "#underline[{}]<{}>",
                        markup_text(t),
                        placeholder::TYPST_INS_LABEL
                    );
                }
                Piece::Deleted(t) => {
                    let _ = write!(
                        self.out,
                        "#strike[{}]<{}>",
                        markup_text(t),
                        placeholder::TYPST_DEL_LABEL
                    );
                }
                Piece::Placeholder(field) if self.plain > 0 => {
                    self.out.push_str(&markup_text(&placeholder::label(&field)));
                }
                Piece::Placeholder(field) => {
                    let _ = write!(
                        self.out,
                        "#box[{}]<{}>",
                        markup_text(&placeholder::label(&field)),
                        placeholder::TYPST_LABEL
                    );
                }
            }
        }
    }

    fn code(&mut self, code: &str) {
        if self.plain > 0 {
            self.text(&placeholder::to_plain(code));
        } else {
            let code = placeholder::to_plain(code);
            let _ = write!(self.out, "#raw(\"{}\")", string_literal(&code));
        }
    }

    /// First reference: the definition's content as `#footnote[..]<fn-N>`;
    /// later references: `#footnote(<fn-N>)`.
    fn footnote(&mut self, label: &CowStr<'a>) {
        let key = label.to_lowercase();
        let range = self.definitions.get(&key).cloned();
        match (self.numbers.get(&key).copied(), range) {
            _ if self.plain > 0 || self.open_notes.contains(&key) || self.depth >= MAX_NESTING => {
                self.text(&format!("[^{label}]"))
            }
            (Some(n), _) => {
                let _ = write!(self.out, "#footnote(<fn-{n}>)");
            }
            (None, Some(range)) => {
                let n = self.numbers.len() + 1;
                self.numbers.insert(key.clone(), n);
                self.open_notes.push(key);
                self.out.push_str("#footnote[");
                // The definition is written here, inside the reference's containers.
                let frames = std::mem::take(&mut self.frames);
                self.depth += 1;
                self.write_range(range);
                self.depth = self.depth.saturating_sub(1);
                self.frames = frames;
                self.open_notes.pop();
                self.trim_end();
                let _ = write!(self.out, "]<fn-{n}>");
            }
            (None, None) => self.text(&format!("[^{label}]")),
        }
    }

    /// Opens an inline markup call unless only plain text is wanted.
    fn markup(&mut self, call: &str) {
        if self.plain == 0 {
            if self.open(1) {
                self.out.push_str(call);
            }
        } else {
            self.frames.push(Frame::Flat);
        }
    }

    /// Starts a block on a line of its own.
    fn block(&mut self) {
        if !(self.out.is_empty() || self.out.ends_with(['\n', '['])) {
            self.out.push('\n');
        }
    }

    /// Ends a block with `close` and a blank line.
    fn end_block(&mut self, close: &str) {
        self.trim_end();
        self.out.push_str(close);
        self.out.push_str("\n\n");
    }

    fn new_row(&mut self) {
        if let Some(table) = self.tables.last_mut() {
            table.cells = 0;
        }
    }

    /// Pads a short row with empty cells (GFM keeps short rows short).
    fn pad_row(&mut self) {
        if let Some(table) = self.tables.last() {
            let missing = table.columns.saturating_sub(table.cells);
            self.out.push_str(&"[], ".repeat(missing));
        }
    }

    /// Drops trailing spaces and newlines (never escaped ones: the escape
    /// never puts a lone `\` before whitespace).
    fn trim_end(&mut self) {
        let len = self.out.trim_end_matches([' ', '\t', '\n']).len();
        self.out.truncate(len);
    }
}

#[cfg(test)]
mod tests;

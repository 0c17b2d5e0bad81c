//! The event writer: pulldown-cmark events in, Typst markup out.
//!
//! Shaped like pulldown-cmark's `HtmlWriter`: [`TypstWriter::run`] walks the
//! events and hands tags to `start_tag` / `end_tag` and text to `text`.
//! Every text is escaped; structure is only ever a function call with content
//! blocks, so nothing depends on line starts or word boundaries.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{Alignment, CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};
use typst::syntax::{SyntaxKind, SyntaxNode};

use super::TypstOptions;
use super::escape::{markup_text, string_literal};
use super::placeholder::{self, Piece};

/// The Typst functions the writer calls: a body contains no other call, rule or import
/// (checked by property tests here and in tests/injection.rs).
pub const CALLS: [&str; 18] = [
    "heading",
    "strong",
    "emph",
    "strike",
    "list",
    "enum",
    "table",
    "table.header",
    "footnote",
    "quote",
    "link",
    "raw",
    "line",
    "linebreak",
    "box",
    "highlight",
    "pagebreak",
    "block",
];

/// Identifiers the writer emits besides [`CALLS`] (argument names and alignments).
const IDENTS: &[&str] = &[
    "header", "left", "center", "right", "level", "start", "columns", "align", "block", "lang",
    "length", "weak", "sticky", "auto",
];

/// Syntax the writer never emits: all its structure is function calls.
const FORBIDDEN: &[SyntaxKind] = &[
    SyntaxKind::Ref,
    SyntaxKind::Link,
    SyntaxKind::Raw,
    SyntaxKind::Equation,
    SyntaxKind::Heading,
    SyntaxKind::ListItem,
    SyntaxKind::EnumItem,
    SyntaxKind::TermItem,
    SyntaxKind::LineComment,
    SyntaxKind::BlockComment,
    SyntaxKind::Shorthand,
];

/// Checks that a parsed body holds only the writer's own syntax: its calls ([`CALLS`]), the
/// identifiers of their arguments, footnote and placeholder labels, and no markup shorthand,
/// reference, raw text, equation or comment. Used by the tests and the fuzz targets.
pub fn only_own_syntax(node: &SyntaxNode) -> Result<(), String> {
    let kind = node.kind();
    if FORBIDDEN.contains(&kind) {
        return Err(format!("{kind:?}: {node:?}"));
    }
    match kind {
        SyntaxKind::FuncCall => {
            let callee = node.children().next().map(SyntaxNode::full_text);
            if !callee.as_deref().is_some_and(|c| CALLS.contains(&c)) {
                return Err(format!("call of {callee:?}"));
            }
        }
        SyntaxKind::Ident => {
            let name = node.leaf_text().as_str();
            if !(CALLS.contains(&name) || IDENTS.contains(&name)) {
                return Err(format!("identifier {name:?}"));
            }
        }
        SyntaxKind::Label => {
            let text = node.leaf_text();
            let footnote = text
                .strip_prefix("<fn-")
                .and_then(|t| t.strip_suffix('>'))
                .is_some_and(|n| n.parse::<usize>().is_ok());
            if !footnote
                && text != "<annex-missing>"
                && text != "<annex-weaker>"
                && text.as_str() != format!("<{KEEP_LABEL}>")
            {
                return Err(format!("label {text:?}"));
            }
        }
        _ => {}
    }
    let children: Vec<_> = node.children().collect();
    for (i, child) in children.iter().enumerate() {
        if child.kind() == SyntaxKind::Hash
            && children.get(i + 1).map(|n| n.kind()) != Some(SyntaxKind::FuncCall)
        {
            return Err(format!("`#` without a call in {node:?}"));
        }
        only_own_syntax(child)?;
    }
    Ok(())
}

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
}

impl<'a> TypstWriter<'a> {
    /// Creates a writer; footnote definitions are located here (pre-pass),
    /// because they may come after their references.
    pub(super) fn new(events: Vec<Event<'a>>, options: TypstOptions) -> Self {
        let mut definitions = HashMap::new();
        for (i, event) in events.iter().enumerate() {
            if let Event::Start(Tag::FootnoteDefinition(label)) = event {
                let end = matching_end(&events, i);
                definitions
                    .entry(label.to_lowercase())
                    .or_insert(i + 1..end);
            }
        }
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
                    // A paragraph of the page-break token alone (annex puts one before the
                    // appendix; project text cannot hold it) at the top level: a page break.
                    if end == i + 2
                        && self.depth == 0
                        && matches!(self.events.get(i + 1), Some(Event::Text(t)) if is_page_break(t))
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

    fn start_tag(&mut self, tag: Tag<'a>) {
        match tag {
            Tag::Paragraph | Tag::HtmlBlock => self.block(),
            Tag::Heading { level, .. } => {
                let level = (level as i16 + i16::from(self.options.heading_offset)).max(1);
                self.block();
                if self.open(1) {
                    let _ = write!(self.out, "#heading(level: {level})[");
                }
                self.plain += 1;
            }
            Tag::BlockQuote(_) => {
                self.block();
                if self.open(1) {
                    self.out.push_str("#quote(block: true)[");
                }
            }
            Tag::CodeBlock(kind) => {
                self.block();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").into()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some(CodeBlock {
                    lang,
                    code: String::new(),
                });
            }
            Tag::List(start) => {
                self.block();
                // Room for the list and its items.
                if self.open(2) {
                    match start {
                        None => self.out.push_str("#list(\n"),
                        Some(n) => {
                            let _ = writeln!(self.out, "#enum(start: {n},");
                        }
                    }
                }
            }
            Tag::Item => {
                if self.parent_open() {
                    self.open(0);
                    self.out.push('[');
                } else {
                    self.frames.push(Frame::Flat);
                    self.block();
                }
            }
            Tag::Table(_) if !self.open(3) => {
                self.block();
                self.tables.push(Table {
                    columns: 0,
                    cells: 0,
                    keep: false,
                });
            }
            Tag::TableHead | Tag::TableRow | Tag::TableCell if !self.parent_open() => {
                self.frames.push(Frame::Flat);
            }
            Tag::Table(alignments) => {
                self.block();
                let align: String = alignments
                    .iter()
                    .map(|a| match a {
                        Alignment::None | Alignment::Left => "left, ",
                        Alignment::Center => "center, ",
                        Alignment::Right => "right, ",
                    })
                    .collect();
                let columns = alignments.len();
                let widths = self.widths.take().unwrap_or_else(|| columns.to_string());
                let _ = writeln!(
                    self.out,
                    "#table(columns: {widths}, align: ({}),",
                    align.trim_end()
                );
                self.tables.push(Table {
                    columns,
                    cells: 0,
                    keep: std::mem::take(&mut self.keep),
                });
            }
            Tag::TableHead => {
                self.open(0);
                self.out.push_str("table.header(");
                self.new_row();
            }
            Tag::TableRow => {
                self.open(0);
                self.new_row();
            }
            Tag::TableCell => {
                self.open(0);
                self.out.push('[');
            }
            Tag::Emphasis => self.markup("#emph["),
            Tag::Strong => self.markup("#strong["),
            Tag::Strikethrough => self.markup("#strike["),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let dest_url = placeholder::to_plain(&dest_url);
                let url = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                let linked = self.plain == 0 && is_safe_url(&url) && self.depth < MAX_NESTING;
                if linked {
                    self.depth += 1;
                    let _ = write!(self.out, "#link(\"{}\")[", string_literal(&url));
                }
                self.links.push(linked);
            }
            Tag::Image { .. } => self.plain += 1,
            // Not enabled by our parser options: the content passes through.
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
            TagEnd::Paragraph => {
                if self.paragraphs.pop() == Some(true) {
                    self.close();
                    self.end_block("]");
                } else {
                    self.end_block("");
                }
            }
            TagEnd::HtmlBlock => self.end_block(""),
            TagEnd::Heading(_) => {
                self.plain = self.plain.saturating_sub(1);
                let close = if self.close() { "]" } else { "" };
                self.end_block(close);
            }
            TagEnd::BlockQuote(_) => {
                let close = if self.close() { "]" } else { "" };
                self.end_block(close);
            }
            TagEnd::CodeBlock => {
                if let Some(CodeBlock { lang, code }) = self.code.take() {
                    let code = code.strip_suffix('\n').unwrap_or(&code);
                    self.out.push_str("#raw(block: true, ");
                    if !lang.is_empty() {
                        let _ = write!(self.out, "lang: \"{}\", ", string_literal(&lang));
                    }
                    let _ = write!(self.out, "\"{}\")\n\n", string_literal(code));
                }
            }
            TagEnd::List(_) => {
                if self.close() {
                    self.out.push_str(")\n\n");
                }
            }
            TagEnd::Item => {
                if self.close() {
                    self.trim_end();
                    self.out.push_str("],\n");
                } else {
                    self.end_block("");
                }
            }
            TagEnd::Table => {
                let keep = self.tables.pop().is_some_and(|t| t.keep);
                if self.close() {
                    self.out.push(')');
                    if keep {
                        let _ = write!(self.out, "<{KEEP_LABEL}>");
                    }
                    self.out.push_str("\n\n");
                }
            }
            TagEnd::TableHead | TagEnd::TableRow if !self.close() => self.end_block(""),
            TagEnd::TableCell if !self.close() => self.out.push(' '),
            TagEnd::TableHead => {
                self.pad_row();
                self.trim_end();
                self.out.push_str("),\n");
            }
            TagEnd::TableRow => {
                self.pad_row();
                self.trim_end();
                self.out.push('\n');
            }
            TagEnd::TableCell => {
                self.trim_end();
                self.out.push_str("], ");
                if let Some(table) = self.tables.last_mut() {
                    table.cells += 1;
                }
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                if self.close() {
                    self.out.push(']');
                }
            }
            TagEnd::Link => {
                if self.links.pop() == Some(true) {
                    self.depth = self.depth.saturating_sub(1);
                    self.out.push(']');
                }
            }
            TagEnd::Image => self.plain = self.plain.saturating_sub(1),
            TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::MetadataBlock(_) => {}
        }
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

/// The label of a table short enough to stay on one page (a signature block, a few rows): the
/// frame does not split it.
pub const KEEP_LABEL: &str = "annex-keep";

/// How a table is laid out.
struct TableShape {
    /// `columns:` for a table whose text is long: a column whose cells (header included) hold
    /// at most 14 characters is `auto` (as wide as its content), the others share the rest in
    /// proportion to the square root of their average text length, so that a column of
    /// reasons gets more room than a column of names. A table without a cell of 60 characters
    /// or more keeps typst's own distribution (`None`).
    widths: Option<String>,
    /// At most 12 rows and 600 characters: kept on one page.
    keep: bool,
}

fn table_shape(events: &[Event<'_>], start: usize, columns: usize) -> TableShape {
    const SHORT_CELL: usize = 14;
    let end = matching_end(events, start);
    let (mut longest, mut total, mut count) = (
        vec![0usize; columns],
        vec![0usize; columns],
        vec![0usize; columns],
    );
    let (mut column, mut cell, mut rows) = (0usize, 0usize, 0usize);
    for event in events.get(start + 1..end).unwrap_or_default() {
        match event {
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                column = 0;
                rows += 1;
            }
            Event::Start(Tag::TableCell) => cell = 0,
            Event::End(TagEnd::TableCell) => {
                if let (Some(l), Some(t), Some(c)) = (
                    longest.get_mut(column),
                    total.get_mut(column),
                    count.get_mut(column),
                ) {
                    *l = (*l).max(cell);
                    *t += cell;
                    *c += 1;
                }
                column += 1;
            }
            // As printed: a draft placeholder counts as its label, so that a draft lays the
            // table out as the final annex does.
            Event::Text(t) | Event::Code(t) => {
                cell += placeholder::to_plain(t).chars().count();
            }
            _ => {}
        }
    }
    let keep = rows <= 12 && total.iter().sum::<usize>() <= 600;
    if columns < 2 || longest.iter().all(|l| *l < 60) {
        return TableShape { widths: None, keep };
    }
    let widths: Vec<String> = longest
        .iter()
        .zip(total.iter().zip(&count))
        .map(|(l, (t, c))| {
            if *l <= SHORT_CELL {
                "auto".to_owned()
            } else {
                // Tenths of a fraction, at least 3.
                let average = (t / (*c).max(1)) as f64;
                let w = (average.sqrt() * 10.0).round().max(30.0) as usize;
                format!("{w}fr")
            }
        })
        .collect();
    TableShape {
        widths: Some(format!("({},)", widths.join(", "))),
        keep,
    }
}

/// Whether a text is the page-break token alone.
fn is_page_break(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next() == Some(placeholder::PAGE_BREAK) && chars.next().is_none()
}

/// Index of the `End` event matching the `Start` event at `start`.
fn matching_end(events: &[Event<'_>], start: usize) -> usize {
    let mut depth = 0usize;
    for (i, event) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 {
            return i;
        }
    }
    events.len()
}

/// Only `http`, `https` and `mailto` links become Typst links.
fn is_safe_url(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        ["http", "https", "mailto"]
            .iter()
            .any(|s| scheme.eq_ignore_ascii_case(s))
    })
}

#[cfg(test)]
mod tests {
    use crate::markup::testutil::{HOSTILE, cases};
    use crate::markup::{TypstOptions, to_typst};
    use proptest::prelude::*;
    use typst::syntax::SyntaxNode;

    fn typ(md: &str) -> String {
        to_typst(md, &TypstOptions::default())
    }

    #[test]
    fn paragraphs_and_breaks() {
        assert_eq!(typ("a\nb\n\nc  \nd"), "a b\n\nc#linebreak()\nd\n");
        assert_eq!(typ(""), "");
    }

    #[test]
    fn headings_are_plain_text_with_offset() {
        let o = TypstOptions { heading_offset: -1 };
        assert_eq!(
            to_typst("## Titel\n\nText", &o),
            "#heading(level: 1)[Titel]\n\nText\n"
        );
        assert_eq!(
            to_typst("# A\n### B", &o),
            "#heading(level: 1)[A]\n\n#heading(level: 2)[B]\n"
        );
        assert_eq!(
            typ("## A *b* `c` [d](http://x)"),
            "#heading(level: 2)[A b c d]\n"
        );
        assert_eq!(typ("# = x"), "#heading(level: 1)[\\= x]\n");
    }

    #[test]
    fn inline_markup() {
        assert_eq!(
            typ("a **b** *c* ~~d~~"),
            "a #strong[b] #emph[c] #strike[d]\n"
        );
        assert_eq!(typ("**a**.b"), "#strong[a]\\.b\n");
        assert_eq!(typ("intra**wort**fett"), "intra#strong[wort]fett\n");
        assert_eq!(typ("`a\"b\\`"), "#raw(\"a\\\"b\\\\\")\n");
    }

    #[test]
    fn lists() {
        let nested = "- a\n  1. x\n  2. y\n- b\n";
        assert_eq!(
            typ(nested),
            "#list(\n[a\n#enum(start: 1,\n[x],\n[y],\n)],\n[b],\n)\n"
        );
        assert_eq!(typ("- a\n\n  b\n- c\n"), "#list(\n[a\n\nb],\n[c],\n)\n");
        assert_eq!(typ("3. a\n4. b"), "#enum(start: 3,\n[a],\n[b],\n)\n");
        assert_eq!(typ("- [ ] a\n- [x] b"), "#list(\n[☐ a],\n[☒ b],\n)\n");
    }

    #[test]
    fn lead_ins_stick_to_their_list_or_table_and_the_appendix_starts_a_page() {
        let out = typ("The Provider shall\n\n- a\n- b\n\nAfter\n");
        assert!(
            out.starts_with("#block(sticky: true)[The Provider shall]\n\n#list("),
            "{out}"
        );
        assert!(out.ends_with("\n\nAfter\n"), "{out}");
        let out = typ("Values\n\n| a |\n|---|\n| 1 |\n");
        assert!(out.starts_with("#block(sticky: true)[Values]"), "{out}");
        let out = typ("End\n\n\u{FDD4}\n\n## Appendix\n");
        assert!(out.contains("End\n\n#pagebreak(weak: true)"), "{out}");
        // Also when the appendix starts with a table (the token is no lead-in).
        let out = typ("End\n\n\u{FDD4}\n\n| a |\n|---|\n| 1 |\n");
        assert!(
            out.contains("#pagebreak(weak: true)") && !out.contains('\u{FDD4}'),
            "{out}"
        );
        // At the nesting limit a lead-in stays a plain paragraph, and the markup balances.
        let deep = format!("{}lead\n\n- item\n", "> ".repeat(40));
        super::only_own_syntax(&typst::syntax::parse(&typ(&deep))).unwrap();
        assert!(!typst::syntax::parse(&typ(&deep)).diagnosis().either());
        // Both are the writer's own syntax (project text never holds the page-break token:
        // reserved characters are removed from it).
        for doc in [
            "The Provider shall\n\n- a\n",
            "End.\n\n\u{FDD4}\n\n## Appendix\n",
        ] {
            let parsed = typst::syntax::parse(&typ(doc));
            super::only_own_syntax(&parsed).unwrap();
        }
    }

    #[test]
    fn table_with_alignment_and_short_row() {
        let md = "| A | B | C | D |\n|:--|:-:|--:|---|\n| 1 | 2 |\n| `x` | **y** | z | w |\n";
        let want = "#table(columns: 4, align: (left, center, right, left,),\n\
                    table.header([A], [B], [C], [D],),\n\
                    [1], [2], [], [],\n\
                    [#raw(\"x\")], [#strong[y]], [z], [w],\n)<annex-keep>\n";
        assert_eq!(typ(md), want);
    }

    #[test]
    fn long_texts_get_wide_columns_and_short_ones_their_content_width() {
        let reason = "a reason that runs on for quite a few words, longer than any name";
        let md = format!(
            "| Figure | Value | Reason |\n|---|---|---|\n| Site distance | 12 | {reason} |\n"
        );
        let out = typ(&md);
        assert!(
            out.starts_with("#table(columns: (auto, auto, 59fr,), align:"),
            "{out}"
        );
        super::only_own_syntax(&typst::syntax::parse(&out)).unwrap();
        // Short texts only: typst's own distribution, and kept on one page.
        let short = typ("| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(short.starts_with("#table(columns: 2,"), "{short}");
        assert!(short.ends_with(")<annex-keep>\n"), "{short}");
        super::only_own_syntax(&typst::syntax::parse(&short)).unwrap();
        // Long tables may break across pages.
        let rows = "| x | y |\n".repeat(14);
        let long = typ(&format!("| a | b |\n|---|---|\n{rows}"));
        assert!(
            long.ends_with(")\n") && !long.contains("annex-keep"),
            "{long}"
        );
    }

    #[test]
    fn footnotes_defined_after_use_and_referenced_twice() {
        let md = "A[^n] B[^N].\n\n[^n]: Note *x*.\n\n[^u]: unused\n";
        assert_eq!(
            typ(md),
            "A#footnote[Note #emph[x]\\.]<fn-1> B#footnote(<fn-1>)\\.\n"
        );
        // A footnote that references itself does not recurse.
        assert_eq!(
            typ("a[^s]\n\n[^s]: b[^s]\n"),
            "a#footnote[b\\[^s\\]]<fn-1>\n"
        );
    }

    #[test]
    fn quote_code_and_rule() {
        assert_eq!(typ("> q\n>\n> r"), "#quote(block: true)[q\n\nr]\n");
        assert_eq!(
            typ("```rust x\nfn x() {}\n```"),
            "#raw(block: true, lang: \"rust\", \"fn x() {}\")\n"
        );
        assert_eq!(typ("    a\"\n    b"), "#raw(block: true, \"a\\\"\\nb\")\n");
        assert_eq!(typ("a\n\n---\n\nb"), "a\n\n#line(length: 100%)\n\nb\n");
    }

    /// Found by the markup fuzz target: 100 nested block quotes exceeded typst's parser depth.
    #[test]
    fn deep_nesting_stays_within_typsts_limits() {
        let chain: String = (0..100).map(|i| format!("[^{i}]\n\n[^{i}]: x")).collect();
        let docs = [
            format!("{}a", ">".repeat(300)),
            (0..150)
                .map(|i| format!("{}- a\n", "  ".repeat(i)))
                .collect(),
            (0..150)
                .map(|i| format!("{}1. a\n", "   ".repeat(i)))
                .collect(),
            format!("{}a{}", "*_".repeat(100), "_*".repeat(100)),
            format!(
                "{}| a | b |\n{}|---|---|\n{}| `c` | *d* [e](http://x) |",
                ">".repeat(40),
                ">".repeat(40),
                ">".repeat(40)
            ),
            format!("{}## h *i*\n", "> ".repeat(40)),
            format!("a{chain}"),
        ];
        for md in &docs {
            let out = to_typst(md, &TypstOptions::default());
            let root = typst::syntax::parse(&out);
            assert!(!root.diagnosis().either(), "{md:?}\n->\n{out}");
            crate::testing::fuzzing::markup(format!("\x01{md}").as_bytes());
        }
        // Shallow nesting is unchanged; the levels beyond the limit lose their calls, not their text.
        assert_eq!(
            typ("> > a"),
            "#quote(block: true)[#quote(block: true)[a]]\n"
        );
        assert!(to_typst(&docs[0], &TypstOptions::default()).ends_with("]]]\n"));
        assert!(to_typst(&docs[0], &TypstOptions::default()).contains("a"));
    }

    #[test]
    fn links_only_for_safe_schemes() {
        assert_eq!(
            typ("[t](https://x.de/?a=\"b\")"),
            "#link(\"https://x.de/?a=\\\"b\\\"\")[t]\n"
        );
        assert_eq!(typ("<a@b.de>"), "#link(\"mailto:a@b.de\")[a\\@b\\.de]\n");
        assert_eq!(typ("[t](javascript:alert(1))"), "t\n");
        assert_eq!(typ("[t](/etc/passwd) [u](file:///x)"), "t u\n");
    }

    #[test]
    fn html_and_images_are_text() {
        assert_eq!(typ("<b>x</b>"), "\\<b\\>x\\<\\/b\\>\n");
        assert_eq!(
            typ("<div>\n*x*\n</div>\n"),
            "\\<div\\> \\*x\\* \\<\\/div\\>\n"
        );
        assert_eq!(typ("![alt *t*](/etc/passwd)"), "alt t\n");
    }

    #[test]
    fn placeholders_become_labelled_boxes() {
        let p = crate::markup::placeholder::encode("service_levels.storage_gb");
        assert_eq!(
            typ(&format!("Speicher: **{p}** GB")),
            "Speicher\\: #strong[#box[\\[service\\_levels\\.storage\\_gb\\]]<annex-missing>] GB\n"
        );
        assert_eq!(
            typ(&format!("| a |\n|---|\n|{p}|")),
            "#table(columns: 1, align: (left,),\ntable.header([a],),\n[#box[\\[service\\_levels\\.storage\\_gb\\]]<annex-missing>],\n)<annex-keep>\n"
        );
        // Headings and code take the label as text.
        assert_eq!(
            typ(&format!("## A {p}\n\n`x {p}`")),
            "#heading(level: 2)[A \\[service\\_levels\\.storage\\_gb\\]]\n\n#raw(\"x [service_levels.storage_gb]\")\n"
        );
        // Text that merely looks like a placeholder stays text.
        assert_eq!(
            typ("\\[service\\_levels.storage\\_gb\\]"),
            "\\[service\\_levels\\.storage\\_gb\\]\n"
        );
    }

    /// Markdown building blocks for the random documents.
#[rustfmt::skip]
    const SNIPPETS: &[&str] = &[
        "\n", "\n\n", "# ", "## ", "### ", "- ", "* ", "+ ", "1. ", "3) ", "  ", "    ", "> ",
        "- [ ] ", "- [x] ", "\n| a | b |\n|:--|--:|\n| c |\n", "| d | e | f |\n", "```rust\n",
        "```\n", "~~", "**", "*", "_", "[^1]", "[^2]", "\n[^1]: ", "\n[^2]: Note [^1]\n",
        "[link](http://example.com)", "[bad](javascript:alert(1))", "<mailto@x.de>",
        "<https://a.b/c?d=\"e\">", "<b>x</b>", "<div>\n", "![alt](/etc/passwd)", "`code`", "  \n",
        "\\\n", "---\n", "***", "Text", "Wort", "\n    ", "=\n", "-\n",
        "\u{FDD0}782e79\u{FDD1}", "\u{FDD0}", "\u{FDD1}", "\u{FDD0}5b5d2a23\u{FDD1}",
    ];

    fn document() -> impl Strategy<Value = String> {
        let token = prop_oneof![
            prop::sample::select(SNIPPETS),
            prop::sample::select(HOSTILE)
        ];
        prop::collection::vec(token, 0..60).prop_map(|v| v.concat())
    }

    fn check_node(node: &SyntaxNode) -> Result<(), TestCaseError> {
        super::only_own_syntax(node).map_err(TestCaseError::fail)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

        #[test]
        fn random_documents_give_safe_typst(md in document(), offset in -2i8..2) {
            let out = to_typst(&md, &TypstOptions { heading_offset: offset });
            let root = typst::syntax::parse(&out);
            prop_assert!(!root.diagnosis().either(), "{:?}\n->\n{}\n{:?}", md, out, root.errors_and_warnings());
            check_node(&root)?;
        }
    }
}

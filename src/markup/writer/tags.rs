//! The tags: `start_tag` and `end_tag` open and close the Typst calls of containers and
//! inline markup.

use std::fmt::Write as _;

use pulldown_cmark::{Alignment, CodeBlockKind, Tag, TagEnd};

use super::{CodeBlock, Frame, KEEP_LABEL, MAX_NESTING, Table, TypstWriter};
use crate::markup::escape::string_literal;

impl<'a> TypstWriter<'a> {
    pub(super) fn start_tag(&mut self, tag: Tag<'a>) {
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
                if std::mem::take(&mut self.changed_cell) {
                    // A cell a redline changed: shaded, as the figures of a service-level table.
                    self.out.push_str("table.cell(fill: rgb(\"#fff1b8\"))[");
                } else {
                    self.out.push('[');
                }
            }
            Tag::Emphasis => self.markup("#emph["),
            Tag::Strong => self.markup("#strong["),
            Tag::Strikethrough => self.markup("#strike["),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let target = crate::markup::events::link_target(link_type, &dest_url)
                    .filter(|_| self.plain == 0 && self.depth < MAX_NESTING);
                if let Some(url) = &target {
                    self.depth += 1;
                    let _ = write!(self.out, "#link(\"{}\")[", string_literal(url));
                }
                self.links.push(target.is_some());
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

    pub(super) fn end_tag(&mut self, tag: TagEnd) {
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
}

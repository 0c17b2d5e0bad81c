//! Markdown to Typst markup conversion.
//!
//! [`to_typst`] parses CommonMark with the GFM extensions the annex uses
//! (tables, footnotes, strikethrough, task lists) and writes Typst markup in
//! which every piece of text is escaped ([`escape::markup_text`]) and all
//! structure is expressed as function calls with content blocks, e.g.
//! `#strong[..]`, `#list([..], ..)` or `#table(..)`. The output therefore
//! never depends on line starts or word boundaries, and user text cannot
//! inject Typst code. [`escape::markdown_text`] is the matching escape for
//! values that templates insert into Markdown.

pub mod escape;
pub mod events;
pub mod placeholder;
mod syntax;
mod writer;

pub use syntax::{CALLS, only_own_syntax};
pub use writer::{TableMeasure, matching_end, measure_table};

#[cfg(test)]
mod testutil;

use pulldown_cmark::{Parser, TextMergeStream};

/// Options for [`to_typst`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TypstOptions {
    /// Added to every Markdown heading level; the result is clamped to at
    /// least 1. The annex passes `-1`, so `##` clauses become Typst level 1.
    pub heading_offset: i8,
}

/// The plain text of the headings that [`to_typst`] makes level-1 headings, in order: the
/// contents the frame shows in typst's first layout pass, before the headings can be queried
/// (see `templates/typst/frame.typ`).
pub fn outline_titles(markdown: &str, options: &TypstOptions) -> Vec<String> {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut titles = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new_ext(markdown, parser_options()) {
        match event {
            Event::Start(Tag::Heading { level, .. })
                if (level as i32 + i32::from(options.heading_offset)).max(1) == 1 =>
            {
                current = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) => titles.extend(current.take()),
            Event::Text(text) | Event::Code(text) => {
                if let Some(title) = current.as_mut() {
                    title.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(title) = current.as_mut() {
                    title.push(' ');
                }
            }
            _ => {}
        }
    }
    titles
}

/// The pulldown-cmark extensions the annex Markdown may use.
pub(crate) fn parser_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options as O;
    O::ENABLE_TABLES | O::ENABLE_FOOTNOTES | O::ENABLE_STRIKETHROUGH | O::ENABLE_TASKLISTS
}

/// Converts Markdown to Typst markup. Never fails: anything without a Typst
/// counterpart (raw HTML, images, unsafe links) is shown as escaped text.
/// Draft placeholders ([`placeholder`]) become boxes labelled
/// `<annex-missing>`; in headings, code and link targets they are plain text.
pub fn to_typst(markdown: &str, options: &TypstOptions) -> String {
    // Adjacent text events merged, so that no placeholder token is split.
    let events = TextMergeStream::new(Parser::new_ext(markdown, parser_options())).collect();
    writer::TypstWriter::new(events, *options).run()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outline_titles_are_the_headings_that_become_level_one() {
        let markdown = "# Appendix `A`\n\ntext\n\n## Clause\u{a0}1 Scope *and* Terms\n\n### 1.1 Parties\n\n## Clause\u{a0}2 Exit\n";
        let titles = outline_titles(markdown, &TypstOptions { heading_offset: -1 });
        assert_eq!(
            titles,
            [
                "Appendix A",
                "Clause\u{a0}1 Scope and Terms",
                "Clause\u{a0}2 Exit"
            ]
        );
        let typst = to_typst(markdown, &TypstOptions { heading_offset: -1 });
        assert_eq!(typst.matches("#heading(level: 1)").count(), titles.len());
        // Without an offset only `#` headings are level 1.
        assert_eq!(
            outline_titles(markdown, &TypstOptions::default()),
            ["Appendix A"]
        );
    }
}

//! The shape of a table: column widths for long texts, and whether it stays on one page.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::markup::placeholder;

/// The label of a table short enough to stay on one page (a signature block, a few rows): the
/// frame does not split it.
pub const KEEP_LABEL: &str = "annex-keep";

/// How a table is laid out.
pub(super) struct TableShape {
    /// `columns:` for a table whose text is long: a column whose cells (header included) hold
    /// at most 14 characters is `auto` (as wide as its content), the others share the rest in
    /// proportion to the square root of their average text length, so that a column of
    /// reasons gets more room than a column of names. A table without a cell of 60 characters
    /// or more keeps typst's own distribution (`None`).
    pub(super) widths: Option<String>,
    /// At most 12 rows and 600 characters: kept on one page.
    pub(super) keep: bool,
}

/// What a table holds, as printed: per column the longest cell and the average cell (in
/// characters, header included), the number of rows and of characters. A draft placeholder
/// counts as its label, so that a draft lays the table out as the final annex does. The Typst
/// writer and the DOCX writer size their tables from it.
#[derive(Debug, Clone, PartialEq)]
pub struct TableMeasure {
    /// The longest cell of each column.
    pub longest: Vec<usize>,
    /// The average cell of each column.
    pub average: Vec<f64>,
    /// The longest word (run of characters without whitespace) of each column.
    pub longest_word: Vec<usize>,
    /// Rows, the header row included.
    pub rows: usize,
    /// Characters in all cells.
    pub chars: usize,
}

impl TableMeasure {
    /// At most 12 rows and 600 characters: kept on one page.
    pub fn keep(&self) -> bool {
        self.rows <= 12 && self.chars <= 600
    }
}

/// Measures the table whose `Start` event is at `start`.
pub fn measure_table(events: &[Event<'_>], start: usize, columns: usize) -> TableMeasure {
    let end = matching_end(events, start);
    let (mut longest, mut total, mut count) = (
        vec![0usize; columns],
        vec![0usize; columns],
        vec![0usize; columns],
    );
    let mut longest_word = vec![0usize; columns];
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
            Event::Text(t) | Event::Code(t) => {
                let t = placeholder::to_plain(t);
                cell += t.chars().count();
                let word = t.split_whitespace().map(|w| w.chars().count()).max();
                if let (Some(w), Some(longest)) = (word, longest_word.get_mut(column)) {
                    *longest = (*longest).max(w);
                }
            }
            _ => {}
        }
    }
    TableMeasure {
        longest_word,
        average: total
            .iter()
            .zip(&count)
            .map(|(t, c)| *t as f64 / (*c).max(1) as f64)
            .collect(),
        longest,
        rows,
        chars: total.iter().sum(),
    }
}

pub(super) fn table_shape(events: &[Event<'_>], start: usize, columns: usize) -> TableShape {
    const SHORT_CELL: usize = 14;
    let measure = measure_table(events, start, columns);
    let keep = measure.keep();
    if columns < 2 || measure.longest.iter().all(|l| *l < 60) {
        return TableShape { widths: None, keep };
    }
    let widths: Vec<String> = measure
        .longest
        .iter()
        .zip(&measure.average)
        .map(|(l, average)| {
            if *l <= SHORT_CELL {
                "auto".to_owned()
            } else {
                // Tenths of a fraction, at least 3.
                let w = (average.floor().sqrt() * 10.0).round().max(30.0) as usize;
                format!("{w}fr")
            }
        })
        .collect();
    TableShape {
        widths: Some(format!("({},)", widths.join(", "))),
        keep,
    }
}

/// Index of the `End` event matching the `Start` event at `start`.
pub fn matching_end(events: &[Event<'_>], start: usize) -> usize {
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

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

pub(super) fn table_shape(events: &[Event<'_>], start: usize, columns: usize) -> TableShape {
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

/// Index of the `End` event matching the `Start` event at `start`.
pub(super) fn matching_end(events: &[Event<'_>], start: usize) -> usize {
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

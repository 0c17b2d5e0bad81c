//! The widths of a table's columns in the Word document.

use pulldown_cmark::Event;

use super::body::TEXT_WIDTH;
use crate::markup::measure_table;

/// The widths of a table's columns, filling the text column: a column of short cells (at most
/// 14 characters) is as wide as its longest cell, the others share the rest in proportion to
/// the square root of their average cell, as in the PDF; no column is narrower than its
/// longest word, as far as the text column allows.
pub(super) fn column_widths(events: &[Event<'_>], start: usize, columns: usize) -> Vec<u32> {
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

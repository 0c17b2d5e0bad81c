//! Tables whose rows have more cells than their header: Markdown drops the extra cells without
//! a word, so a figure written into one would vanish from the annex.

/// A row with more cells than its table's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverfullRow {
    /// The header line of the table, as rendered.
    pub header: String,
    /// The row, as rendered.
    pub row: String,
    /// Cells in the header.
    pub header_cells: usize,
    /// Cells in the row.
    pub row_cells: usize,
}

/// The first row of a pipe table in `text` with more cells than the table's header.
pub fn overfull_row(text: &str) -> Option<OverfullRow> {
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i + 1 < lines.len() {
        let (header, delimiter) = (lines.get(i)?, lines.get(i + 1)?);
        if is_row(header) && is_delimiter(delimiter) {
            let header_cells = cells(header);
            let mut j = i + 2;
            while let Some(row) = lines.get(j).filter(|l| is_row(l)) {
                let row_cells = cells(row);
                if row_cells > header_cells {
                    return Some(OverfullRow {
                        header: header.trim().to_owned(),
                        row: row.trim().to_owned(),
                        header_cells,
                        row_cells,
                    });
                }
                j += 1;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    None
}

fn is_row(line: &str) -> bool {
    line.trim_start().starts_with('|')
}

fn is_delimiter(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// The cells of a row: its unescaped `|` less the outer ones.
fn cells(line: &str) -> usize {
    let t = line.trim();
    let mut pipes: usize = 0;
    let mut escaped = false;
    for c in t.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => pipes += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    let outer = usize::from(t.starts_with('|')) + usize::from(t.ends_with('|') && t.len() > 1);
    (pipes + 1).saturating_sub(outer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_with_more_cells_than_the_header_is_found() {
        let ok = "| A | B |\n|---|---|\n| 1 | 2 |\n| x \\| y | 3 |\n\ntext | with pipe\n";
        assert_eq!(overfull_row(ok), None);
        let bad = "Intro\n\n| A | B |\n|:--|--:|\n| 1 | 2 |\n| 1 | 2 | 3 |\n";
        let found = overfull_row(bad).unwrap();
        assert_eq!((found.header_cells, found.row_cells), (2, 3));
        assert_eq!(found.row, "| 1 | 2 | 3 |");
        // Fewer cells are filled up by Markdown: no loss.
        assert_eq!(overfull_row("| A | B |\n|---|---|\n| 1 |\n"), None);
    }
}

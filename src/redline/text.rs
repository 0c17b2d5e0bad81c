//! The redline of one clause's Markdown: lines aligned, then words.
//!
//! Lines (paragraphs, list items, table rows and headings are one line each in annex's
//! Markdown) are aligned first; a changed line is compared with the line it replaces word by
//! word, a table row cell by cell. Inserted and deleted words are wrapped in the marks of
//! [`crate::markup::placeholder`] (`INS_OPEN` … `INS_CLOSE`, `DEL_OPEN` … `DEL_CLOSE`), which the
//! Markdown, Typst and Word writers turn into their own marks. A mark never spans inline
//! markup (`**`, `[`, `](…)`): each run of text between two delimiters gets marks of its own,
//! so that every mark stays inside one text of the parsed Markdown. The new text's markup is
//! kept; deleted words keep their own escapes.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::markup::placeholder::{DEL_CLOSE, DEL_OPEN, INS_CLOSE, INS_OPEN};

/// Word diffs of lines with more tokens than this (together) show the whole line replaced:
/// the cost of a comparison grows with the product of the lengths.
const MAX_TOKENS: usize = 20_000;

/// Lines of a Replace hunk are paired as changed lines when at least this share of their
/// tokens is common; others are shown as deleted and inserted whole.
const MIN_SIMILARITY: f32 = 0.3;

/// A change to a piece of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Inserted,
    Deleted,
}

impl Mark {
    fn wrap(self, text: &str, out: &mut String) {
        let (open, close) = match self {
            Mark::Inserted => (INS_OPEN, INS_CLOSE),
            Mark::Deleted => (DEL_OPEN, DEL_CLOSE),
        };
        out.push(open);
        out.push_str(text);
        out.push(close);
    }
}

/// The redline of two texts of Markdown lines, and whether anything changed.
pub fn lines(old: &str, new: &str) -> (String, bool) {
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let ops = capture_diff_slices(Algorithm::Patience, &old_lines, &new_lines);
    let mut out = Vec::new();
    let mut changed = false;
    for op in ops {
        match op {
            DiffOp::Equal { new_index, len, .. } => out.extend(
                new_lines
                    .iter()
                    .skip(new_index)
                    .take(len)
                    .map(|l| (*l).to_owned()),
            ),
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                // Blank lines between blocks change nothing a reader sees.
                changed |= old_lines
                    .iter()
                    .skip(old_index)
                    .take(old_len)
                    .any(|l| !l.trim().is_empty());
                out.extend(
                    old_lines
                        .iter()
                        .skip(old_index)
                        .take(old_len)
                        .map(|l| whole(l, Mark::Deleted)),
                );
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                changed |= new_lines
                    .iter()
                    .skip(new_index)
                    .take(new_len)
                    .any(|l| !l.trim().is_empty());
                out.extend(
                    new_lines
                        .iter()
                        .skip(new_index)
                        .take(new_len)
                        .map(|l| whole(l, Mark::Inserted)),
                );
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                changed = true;
                let old_part: Vec<&str> = old_lines
                    .iter()
                    .skip(old_index)
                    .take(old_len)
                    .copied()
                    .collect();
                let new_part: Vec<&str> = new_lines
                    .iter()
                    .skip(new_index)
                    .take(new_len)
                    .copied()
                    .collect();
                out.extend(replace(&old_part, &new_part));
            }
        }
    }
    let mut text = out.join("\n");
    if new.ends_with('\n') || (new.is_empty() && old.ends_with('\n')) {
        text.push('\n');
    }
    (text, changed)
}

/// A whole text shown as one change (a clause added or removed).
pub fn all(text: &str, mark: Mark) -> String {
    let mut out: Vec<String> = text.lines().map(|l| whole(l, mark)).collect();
    if text.ends_with('\n') {
        out.push(String::new());
    }
    out.join("\n")
}

/// The lines of a Replace hunk: pairs of lines of the same kind that share enough words are
/// compared word by word, in order; the others are deleted and inserted whole, deletions
/// first.
fn replace(old: &[&str], new: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut inserted: Vec<&str> = Vec::new();
    let mut o = 0;
    for new_line in new {
        // The first old line (from `o` on) that this new line may replace.
        let partner = (o..old.len()).find(|&k| {
            old.get(k)
                .is_some_and(|old_line| similar_lines(old_line, new_line))
        });
        match partner {
            Some(k) => {
                for old_line in old.get(o..k).unwrap_or_default() {
                    out.push(whole(old_line, Mark::Deleted));
                }
                out.extend(inserted.drain(..).map(|l| whole(l, Mark::Inserted)));
                out.push(changed_line(
                    old.get(k).copied().unwrap_or_default(),
                    new_line,
                ));
                o = k + 1;
            }
            None => inserted.push(new_line),
        }
    }
    for old_line in old.get(o..).unwrap_or_default() {
        out.push(whole(old_line, Mark::Deleted));
    }
    out.extend(inserted.drain(..).map(|l| whole(l, Mark::Inserted)));
    out
}

/// Whether two lines are the same kind of line and share enough of their words (table rows:
/// of all their cells).
fn similar_lines(old: &str, new: &str) -> bool {
    let (a, b) = (Line::parse(old), Line::parse(new));
    if !a.same_kind(&b) {
        return false;
    }
    let text = |line: &Line<'_>| -> String {
        match line {
            Line::Row { cells, .. } => cells.join(" "),
            other => other.text().to_owned(),
        }
    };
    let (sa, sb) = (text(&a), text(&b));
    let is_word = |t: &&str| t.chars().next().is_some_and(char::is_alphanumeric);
    let ta: Vec<&str> = tokens(&sa).into_iter().filter(is_word).collect();
    let tb: Vec<&str> = tokens(&sb).into_iter().filter(is_word).collect();
    if ta.len() + tb.len() > MAX_TOKENS {
        return false;
    }
    let ops = capture_diff_slices(Algorithm::Myers, &ta, &tb);
    let common: usize = ops
        .iter()
        .filter_map(|op| match op {
            DiffOp::Equal { len, .. } => Some(*len),
            _ => None,
        })
        .sum();
    let words = ta.len().max(tb.len()).max(1);
    common as f32 / words as f32 >= MIN_SIMILARITY
}

/// A line as changed from `old` to `new` (lines of the same kind).
fn changed_line(old: &str, new: &str) -> String {
    match (Line::parse(old), Line::parse(new)) {
        (
            Line::Row {
                cells: old_cells, ..
            },
            Line::Row {
                prefix,
                cells,
                suffix,
            },
        ) if old_cells.len() == cells.len() => {
            let cells: Vec<String> = old_cells
                .iter()
                .zip(&cells)
                .map(|(o, n)| words(o, n))
                .collect();
            format!("{prefix}{}{suffix}", cells.join("|"))
        }
        (Line::Row { .. }, _) => {
            format!(
                "{}\n{}",
                whole(old, Mark::Deleted),
                whole(new, Mark::Inserted)
            )
        }
        (a, b) => format!("{}{}", b.prefix(), words(a.text(), b.text())),
    }
}

/// A line shown as inserted or deleted whole: its text (each cell of a table row) marked,
/// its structure (heading and list markers, cell separators) kept.
fn whole(line: &str, mark: Mark) -> String {
    match Line::parse(line) {
        Line::Blank | Line::Separator => line.to_owned(),
        Line::Row {
            prefix,
            cells,
            suffix,
        } => {
            let cells: Vec<String> = cells.iter().map(|c| marked(c, mark)).collect();
            format!("{prefix}{}{suffix}", cells.join("|"))
        }
        other => format!("{}{}", other.prefix(), marked(other.text(), mark)),
    }
}

/// `text` with every run of words between markup delimiters marked.
fn marked(text: &str, mark: Mark) -> String {
    let mut out = String::new();
    emit(&tokens(text), mark, true, true, &mut out);
    out
}

/// Appends tokens as one change: runs of text marked, delimiters kept (`keep_markup`) or left
/// out; `whole`: the tokens are a whole line or cell (see [`flush`]).
fn emit(tokens: &[&str], mark: Mark, keep_markup: bool, whole: bool, out: &mut String) {
    let mut run = String::new();
    for token in tokens {
        if is_markup(token) {
            if !run.is_empty() {
                flush(&mut run, mark, out, !whole);
            }
            if keep_markup {
                out.push_str(token);
            }
        } else {
            run.push_str(token);
        }
    }
    flush(&mut run, mark, out, !whole);
}

/// Writes a run of text with its mark. In a comparison word by word (`spaces_inside`) its
/// spaces are marked too: accepting every change must give the new text and rejecting every
/// change the old one, space for space. A text marked whole (a line, a cell) keeps its outer
/// spaces outside the mark, where Markdown trims them anyway.
fn flush(run: &mut String, mark: Mark, out: &mut String, spaces_inside: bool) {
    let text = std::mem::take(run);
    if spaces_inside {
        if !text.is_empty() {
            mark.wrap(&text, out);
        }
        return;
    }
    let trimmed = text.trim();
    if trimmed.is_empty() {
        out.push_str(&text);
        return;
    }
    let start = text.len() - text.trim_start().len();
    out.push_str(&text[..start]);
    mark.wrap(trimmed, out);
    out.push_str(&text[start + trimmed.len()..]);
}

/// Inline text compared word by word: equal words as they are, deleted words marked (their
/// markup left out), inserted words marked (their markup kept).
fn words(old: &str, new: &str) -> String {
    if old == new {
        return new.to_owned();
    }
    let (a, b) = (tokens(old), tokens(new));
    let mut out = String::new();
    if a.len() + b.len() > MAX_TOKENS {
        emit(&a, Mark::Deleted, false, false, &mut out);
        emit(&b, Mark::Inserted, true, false, &mut out);
        return out;
    }
    for segment in segments(&capture_diff_slices(Algorithm::Myers, &a, &b), &b) {
        match segment {
            Segment::Equal(new_range) => {
                out.push_str(&b.get(new_range).unwrap_or_default().concat());
            }
            Segment::Change(old_range, new_range) => {
                let old_part = a.get(old_range).unwrap_or_default();
                let new_part = b.get(new_range).unwrap_or_default();
                emit(old_part, Mark::Deleted, false, false, &mut out);
                emit(new_part, Mark::Inserted, true, false, &mut out);
            }
        }
    }
    out
}

/// A stretch of two token sequences: equal (its range in the new one), or changed (its ranges
/// in the old and the new one).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Equal(std::ops::Range<usize>),
    Change(std::ops::Range<usize>, std::ops::Range<usize>),
}

/// The diff's operations as segments, their ranges counted from the lengths (not from the
/// indexes of deletions and insertions), with neighbouring changes joined, also across nothing
/// but a space or a sign, so that a changed phrase reads as one deletion and one insertion
/// ("within 4 hours" → "within 2 days", not word by word).
fn segments(ops: &[DiffOp], new: &[&str]) -> Vec<Segment> {
    let (mut o, mut n) = (0usize, 0usize);
    let mut raw = Vec::new();
    for op in ops {
        let (old_len, new_len) = (op.old_range().len(), op.new_range().len());
        match op {
            DiffOp::Equal { len, .. } => {
                raw.push(Segment::Equal(n..n + len));
                o += len;
                n += len;
            }
            _ => {
                raw.push(Segment::Change(o..o + old_len, n..n + new_len));
                o += old_len;
                n += new_len;
            }
        }
    }
    // What may stand between two changes that read as one: spaces and at most a sign or two
    // ("20. November 2026" → "15. Februar 2027" is one change, not three).
    let blank = |r: &std::ops::Range<usize>| {
        r.len() <= 3
            && new.get(r.clone()).is_some_and(|t| {
                t.iter().all(|t| {
                    t.trim().is_empty()
                        || (t.chars().count() == 1 && t.chars().all(|c| c.is_ascii_punctuation()))
                })
            })
    };
    let mut out: Vec<Segment> = Vec::new();
    let mut i = 0;
    while let Some(segment) = raw.get(i).cloned() {
        let next_is_change = matches!(raw.get(i + 1), Some(Segment::Change(..)));
        match (segment, out.last().cloned()) {
            // A space between two changes: both changes and the space become one.
            (Segment::Equal(gap), Some(Segment::Change(old, new_range)))
                if blank(&gap) && next_is_change =>
            {
                if let Some(Segment::Change(next_old, next_new)) = raw.get(i + 1).cloned() {
                    out.pop();
                    out.push(Segment::Change(
                        old.start..next_old.end,
                        new_range.start..next_new.end,
                    ));
                }
                i += 2;
            }
            (Segment::Change(old, new_range), Some(Segment::Change(prev_old, prev_new))) => {
                out.pop();
                out.push(Segment::Change(
                    prev_old.start..old.end,
                    prev_new.start..new_range.end,
                ));
                i += 1;
            }
            (segment, _) => {
                out.push(segment);
                i += 1;
            }
        }
    }
    out
}

/// Whether a token is inline markup: emphasis, strike-through, the brackets of a link.
fn is_markup(token: &str) -> bool {
    token.starts_with(['*', '_', '[', '<'])
        || token.starts_with("](")
        || token.starts_with("~~")
        || token == "]"
}

/// The tokens of inline Markdown: words (with their backslash escapes and entities), runs of
/// spaces, single punctuation, and whole delimiters: runs of `*`/`_`, `~~`, `[`, `](target)`,
/// autolinks `<…>` and code spans (kept as one token, a word).
pub(crate) fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = token_len(rest, c);
        let (token, tail) = rest.split_at(len.clamp(c.len_utf8(), rest.len()));
        out.push(token);
        rest = tail;
    }
    out
}

/// The length in bytes of the token at the start of `rest`, whose first character is `c`.
fn token_len(rest: &str, c: char) -> usize {
    let run_of = |ch: char| rest.len() - rest.trim_start_matches(ch).len();
    match c {
        '*' | '_' => run_of(c),
        '~' if rest.starts_with("~~") => 2,
        '`' => {
            // A code span: as many backticks close it as opened it.
            let fence = run_of('`');
            let body = &rest[fence..];
            let closing = "`".repeat(fence);
            body.find(closing.as_str())
                .map_or(fence, |end| fence + end + fence)
        }
        ']' if rest.starts_with("](") => {
            // The target of a link, to its closing parenthesis.
            rest.find(')').map_or(2, |end| end + 1)
        }
        '<' => rest
            .find('>')
            .filter(|end| !rest[..*end].contains(char::is_whitespace))
            .map_or(1, |end| end + 1),
        '\\' => rest.chars().nth(1).map_or(1, |e| 1 + e.len_utf8()),
        c if c.is_whitespace() => rest.len() - rest.trim_start().len(),
        c if c.is_alphanumeric() || c == '&' => {
            // A word: letters, digits, escapes and entities, and joining marks inside it.
            let mut end = 0;
            let mut chars = rest.char_indices().peekable();
            while let Some((i, ch)) = chars.next() {
                let joins = matches!(ch, '.' | ',' | '-' | '\'' | '’' | '/' | ';' | '#')
                    && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
                if ch == '\\' {
                    // An escaped character is part of the word.
                    end = i + 1 + chars.next().map_or(0, |(_, e)| e.len_utf8());
                    continue;
                }
                if ch.is_alphanumeric() || ch == '&' || joins {
                    end = i + ch.len_utf8();
                } else {
                    break;
                }
            }
            end
        }
        _ => c.len_utf8(),
    }
}

/// A line of annex's Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Line<'a> {
    Blank,
    /// `### 8.3 Title`: the `### `, the text.
    Heading(&'a str, &'a str),
    /// `- text`, `  1. text`: the marker with its indent, the text.
    Item(&'a str, &'a str),
    /// `| a | b |`: what comes before the first cell, the cells, what follows the last.
    Row {
        prefix: &'a str,
        cells: Vec<&'a str>,
        suffix: &'a str,
    },
    /// The `|---|---|` line of a table.
    Separator,
    /// A paragraph's line: its indent, its text.
    Text(&'a str, &'a str),
}

impl<'a> Line<'a> {
    fn parse(line: &'a str) -> Line<'a> {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if trimmed.is_empty() {
            return Line::Blank;
        }
        if trimmed.starts_with('|') {
            let cells = split_cells(trimmed);
            if cells.iter().all(|c| {
                c.trim().trim_matches(':').chars().all(|ch| ch == '-') && !c.trim().is_empty()
            }) {
                return Line::Separator;
            }
            let body_start = line.find('|').map_or(0, |at| at + 1);
            let body_end = line
                .rfind('|')
                .filter(|&end| end >= body_start)
                .unwrap_or(line.len());
            let body = line.get(body_start..body_end).unwrap_or_default();
            return Line::Row {
                prefix: &line[..body_start],
                cells: split_cells_inner(body),
                suffix: &line[body_end..],
            };
        }
        let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
        if (1..=6).contains(&hashes) && trimmed[hashes..].starts_with(' ') {
            let at = indent.len() + hashes + 1;
            return Line::Heading(&line[..at], &line[at..]);
        }
        let marker = ["- ", "* ", "+ "]
            .iter()
            .find(|m| trimmed.starts_with(**m))
            .map(|m| m.len())
            .or_else(|| {
                let digits = trimmed.len()
                    - trimmed
                        .trim_start_matches(|c: char| c.is_ascii_digit())
                        .len();
                (digits > 0
                    && digits < 10
                    && (trimmed[digits..].starts_with(". ") || trimmed[digits..].starts_with(") ")))
                .then_some(digits + 2)
            });
        if let Some(len) = marker {
            let at = indent.len() + len;
            return Line::Item(&line[..at], &line[at..]);
        }
        Line::Text(indent, trimmed)
    }

    fn same_kind(&self, other: &Line<'_>) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }

    fn prefix(&self) -> &'a str {
        match self {
            Line::Heading(p, _) | Line::Item(p, _) | Line::Text(p, _) => p,
            _ => "",
        }
    }

    fn text(&self) -> &'a str {
        match self {
            Line::Heading(_, t) | Line::Item(_, t) | Line::Text(_, t) => t,
            _ => "",
        }
    }
}

/// The cells of a table row written `| a | b |`.
fn split_cells(row: &str) -> Vec<&str> {
    let body = row.trim().trim_start_matches('|');
    let body = body.strip_suffix('|').unwrap_or(body);
    split_cells_inner(body)
}

/// Cells between `|` separators that are not escaped (`\|`).
fn split_cells_inner(body: &str) -> Vec<&str> {
    let mut cells = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => {
                cells.push(&body[start..i]);
                start = i + 1;
            }
            _ => escaped = false,
        }
    }
    cells.push(&body[start..]);
    cells
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::placeholder;

    fn show(text: &str) -> String {
        placeholder::to_markdown(text).into_owned()
    }

    #[test]
    fn a_changed_figure_is_one_deletion_and_one_insertion() {
        let (out, changed) = lines(
            "The Provider shall respond within 4 hours.\n",
            "The Provider shall respond within 2 hours.\n",
        );
        assert!(changed);
        assert_eq!(
            show(&out),
            "The Provider shall respond within <del>4</del><ins>2</ins> hours.\n"
        );
        let (out, _) = lines(
            "within 4 hours of notice\n",
            "within 2 calendar days of notice\n",
        );
        assert_eq!(
            show(&out),
            "within <del>4 hours</del><ins>2 calendar days</ins> of notice\n"
        );
    }

    #[test]
    fn a_changed_date_is_one_change() {
        let (out, _) = lines(
            "vom 20.\u{a0}November\u{a0}2026 an\n",
            "vom 15.\u{a0}Februar\u{a0}2027 an\n",
        );
        assert_eq!(
            show(&out),
            "vom <del>20.\u{a0}November\u{a0}2026</del><ins>15.\u{a0}Februar\u{a0}2027</ins> an\n"
        );
    }

    #[test]
    fn marks_never_span_inline_markup() {
        let (out, _) = lines(
            "- **Client**: the party that orders.\n",
            "- **Client**: the contracting party that commissions the Services.\n",
        );
        assert_eq!(
            show(&out),
            "- **Client**: the <ins>contracting </ins>party that <del>orders</del><ins>commissions the Services</ins>.\n"
        );
        // A line added whole keeps its markup, each text marked inside it.
        assert_eq!(
            show(&all(
                "- **Audit**: [the report](https://x.example) in time\n",
                Mark::Inserted
            )),
            "- **<ins>Audit</ins>**<ins>:</ins> [<ins>the report</ins>](https://x.example) <ins>in time</ins>\n"
        );
    }

    #[test]
    fn table_rows_are_compared_cell_by_cell() {
        let old = "| Priority | Response |\n|---|---|\n| P1 | 30 minutes |\n| P2 | 2 hours |\n";
        let new = "| Priority | Response |\n|---|---|\n| P1 | 15 minutes |\n| P2 | 2 hours |\n| P3 | 8 hours |\n";
        let (out, _) = lines(old, new);
        assert_eq!(
            show(&out),
            "| Priority | Response |\n|---|---|\n| P1 | <del>30</del><ins>15</ins> minutes |\n| P2 | 2 hours |\n| <ins>P3</ins> | <ins>8 hours</ins> |\n"
        );
    }

    #[test]
    fn unrelated_lines_are_deleted_and_inserted_whole() {
        let (out, _) = lines(
            "## One\n\nAlpha beta gamma.\n",
            "## One\n\nCompletely other words here.\n",
        );
        assert_eq!(
            show(&out),
            "## One\n\n<del>Alpha beta gamma.</del>\n<ins>Completely other words here.</ins>\n"
        );
    }

    #[test]
    fn escapes_stay_with_their_words() {
        assert_eq!(
            tokens(r"a\*b \| c [x](y) `co de` <m@x.de> **z**"),
            vec![
                r"a\*b", " ", r"\|", " ", "c", " ", "[", "x", "](y)", " ", "`co de`", " ",
                "<m@x.de>", " ", "**", "z", "**"
            ]
        );
        let (out, _) = lines("Fee: 5\\*\n", "Fee: 7\\*\n");
        assert_eq!(show(&out), "Fee: <del>5\\*</del><ins>7\\*</ins>\n");
    }
}

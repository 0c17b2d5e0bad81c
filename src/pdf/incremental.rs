//! Cross-document incremental compilation.
//!
//! Annexes of one batch share most of their text: the same clauses with other names and
//! figures. Each worker thread keeps the Typst sources of its previous document and turns them
//! into the next one by line edits ([`Source::edit`]) instead of parsing afresh. Unchanged lines
//! keep their syntax nodes and spans, so typst's memoised results for them (evaluation and
//! layout of unchanged paragraphs) are hits in the next document.
//!
//! The result never depends on the history: after the edits the source text is exactly the
//! new text (checked; otherwise the source is parsed afresh), and typst's output depends on the
//! text, not on span numbers — the batch tests compare PDFs across job counts and input orders.

use std::cell::RefCell;
use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};
use typst::syntax::{FileId, Source};

/// The most unchanged lines between two changes that still become one edit.
const MERGE_GAP: usize = 1;

/// Longest time spent looking for a minimal diff; after it the diff gets coarser, not wrong.
const DIFF_DEADLINE: Duration = Duration::from_millis(50);

thread_local! {
    /// The sources of the previous document compiled on this thread, by file.
    static PREVIOUS: RefCell<Vec<Source>> = const { RefCell::new(Vec::new()) };
}

/// The source of `id` with `text`, derived from this thread's previous version of the file.
pub(super) fn source(id: FileId, text: &str) -> Source {
    PREVIOUS.with_borrow_mut(|previous| {
        match previous.iter_mut().find(|source| source.id() == id) {
            Some(source) => {
                update(source, text);
                source.clone()
            }
            None => {
                let source = Source::new(id, text.to_owned());
                previous.push(source.clone());
                source
            }
        }
    })
}

/// Turns `source` into `new` by replacing the runs of changed lines.
fn update(source: &mut Source, new: &str) {
    if source.text() == new {
        return;
    }
    let edits = line_edits(source.text(), new);
    // Back to front, so the byte ranges of earlier edits stay valid.
    for (range, with) in edits.into_iter().rev() {
        source.edit(range, &with);
    }
    if source.text() != new {
        *source = Source::new(source.id(), new.to_owned());
    }
}

/// The byte ranges of `old` to replace, with their replacement, that turn `old` into `new`:
/// one edit for every run of changed lines, in ascending order.
fn line_edits(old: &str, new: &str) -> Vec<(Range<usize>, String)> {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let mut offsets = Vec::with_capacity(old_lines.len() + 1);
    offsets.push(0);
    for line in &old_lines {
        offsets.push(offsets.last().copied().unwrap_or(0) + line.len());
    }
    // The diff compares the lines' hashes: numbers instead of strings.
    let hashed =
        |lines: &[&str]| -> Vec<u128> { lines.iter().map(typst::utils::hash128).collect() };
    let (old_hashes, new_hashes) = (hashed(&old_lines), hashed(&new_lines));
    let deadline = Instant::now() + DIFF_DEADLINE;
    let ops =
        capture_diff_slices_deadline(Algorithm::Myers, &old_hashes, &new_hashes, Some(deadline));
    let mut edits: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    for op in ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        match edits.last_mut() {
            // Adjacent changes (a delete next to an insert), and changes with one unchanged
            // line between them, become one edit: every edit re-indexes the lines of the
            // rest of the text (`Source::edit`), and reparsing one line costs less (measured:
            // with up to 3 lines between, the layout cache misses more than the edits save).
            Some((old_run, new_run)) if old_range.start <= old_run.end + MERGE_GAP => {
                old_run.end = old_range.end;
                new_run.end = new_range.end;
            }
            _ => edits.push((old_range, new_range)),
        }
    }
    edits
        .into_iter()
        .map(|(old_range, new_range)| {
            let start = offsets.get(old_range.start).copied().unwrap_or(old.len());
            let end = offsets.get(old_range.end).copied().unwrap_or(old.len());
            let with = new_lines.get(new_range).unwrap_or_default().concat();
            (start..end, with)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(old: &str, new: &str) -> String {
        let mut text = old.to_owned();
        for (range, with) in line_edits(old, new).into_iter().rev() {
            text.replace_range(range, &with);
        }
        text
    }

    #[test]
    fn edits_turn_old_into_new() {
        let cases = [
            ("", "a\nb\n"),
            ("a\nb\n", ""),
            ("a\nb\nc\nd\n", "a\nB\nc\nD\n"),
            ("a\nb\nc", "a\nc\nx"),
            ("same\n", "same\n"),
            ("x\ny\n", "y\nx\ny\nz"),
            ("Grüße\nä\n", "Grüße\nö\nä\n"),
        ];
        for (old, new) in cases {
            assert_eq!(apply(old, new), new, "{old:?} -> {new:?}");
        }
    }

    #[test]
    fn scattered_changes_are_separate_edits() {
        let old = "1\n2\n3\n4\n5\n6\n";
        let new = "1\nzwei\n3\n4\nfünf\n6\n";
        let edits = line_edits(old, new);
        assert_eq!(edits.len(), 2);
        assert_eq!(edits[0], (2..4, "zwei\n".to_owned()));
    }

    #[test]
    fn changes_one_line_apart_are_one_edit() {
        let old = "1\n2\n3\n4\n5\n";
        let new = "1\nzwei\n3\nvier\n5\n";
        assert_eq!(line_edits(old, new), [(2..8, "zwei\n3\nvier\n".to_owned())]);
        assert_eq!(apply(old, new), new);
    }

    #[test]
    fn source_follows_the_text_on_one_thread() {
        use typst::syntax::{RootedPath, VirtualPath, VirtualRoot};
        let path = VirtualPath::new("incremental-test.typ").unwrap();
        let id = RootedPath::new(VirtualRoot::Project, path).intern();
        let first = source(id, "= Title\n\nSome *text*.\n");
        assert_eq!(first.text(), "= Title\n\nSome *text*.\n");
        let second = source(id, "= Title\n\nOther _text_.\n\nMore.\n");
        assert_eq!(second.text(), "= Title\n\nOther _text_.\n\nMore.\n");
        let fresh = Source::new(id, second.text().to_owned());
        assert!(second.root().spanless_eq(fresh.root()));
    }
}

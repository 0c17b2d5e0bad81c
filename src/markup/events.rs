//! What the writers (Typst and Word) read alike from pulldown-cmark's events: footnote
//! definitions, the page-break paragraph, link targets.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Tag};

use super::placeholder;
use super::writer::matching_end;

/// The footnote definitions by lowercased label: the range of their content (a pre-pass, for
/// definitions may come after their references). The first of two with one label counts.
pub fn footnote_definitions(events: &[Event<'_>]) -> HashMap<String, Range<usize>> {
    let mut definitions = HashMap::new();
    for (i, event) in events.iter().enumerate() {
        if let Event::Start(Tag::FootnoteDefinition(label)) = event {
            let end = matching_end(events, i);
            definitions
                .entry(label.to_lowercase())
                .or_insert(i + 1..end);
        }
    }
    definitions
}

/// If the paragraph starting at `start` is the page-break token alone (annex puts one before
/// the appendix; project text cannot hold it), the index of its end.
pub fn page_break(events: &[Event<'_>], start: usize) -> Option<usize> {
    let end = matching_end(events, start);
    let token = |text: &str| {
        let mut chars = text.chars();
        chars.next() == Some(placeholder::PAGE_BREAK) && chars.next().is_none()
    };
    (end == start + 2 && matches!(events.get(start + 1), Some(Event::Text(t)) if token(t)))
        .then_some(end)
}

/// Whether the block (a table cell) starting at `start` holds a redline's insertion or deletion.
pub fn holds_change(events: &[Event<'_>], start: usize) -> bool {
    let end = matching_end(events, start);
    events
        .get(start..end)
        .is_some_and(|block| block.iter().any(placeholder::is_change))
}

/// The target of a link, if it may become one: `http`, `https` and `mailto` only (an e-mail
/// autolink gets its `mailto:`). Anything else is shown as the link's text alone.
pub fn link_target(link_type: LinkType, dest_url: &str) -> Option<String> {
    let dest_url = placeholder::to_plain(dest_url);
    let url = match link_type {
        LinkType::Email => format!("mailto:{dest_url}"),
        _ => dest_url.into_owned(),
    };
    let safe = url.split_once(':').is_some_and(|(scheme, _)| {
        ["http", "https", "mailto"]
            .iter()
            .any(|s| scheme.eq_ignore_ascii_case(s))
    });
    safe.then_some(url)
}

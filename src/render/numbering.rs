//! Numbering the subsection headings of a rendered clause: `## Title` -> `### 3.1 Title`.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::language::Localized;
use crate::text;

/// A heading the numbering cannot take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingError {
    /// What is wrong with it.
    pub message: Localized,
    /// The heading's text, as rendered.
    pub heading: String,
}

/// A clause body with its subsections numbered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbered {
    /// The text.
    pub text: String,
    /// The headings (as written, with their `#`) that nothing follows before the next heading
    /// of their level or a higher one, or the end of the clause.
    pub empty: Vec<String>,
}

/// Rewrites the ATX headings of a clause body: level 2 becomes "n.k" one level deeper, level 3
/// "n.k.m". A level-1 heading or a setext heading is an error (the message says which).
pub fn number_headings(text: &str, section: usize) -> Result<Numbered, HeadingError> {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let (mut sub, mut subsub) = (0usize, 0usize);
    let mut empty = Vec::new();
    // The heading being read, and the one just ended, waiting for what follows it.
    let mut reading: Option<(HeadingLevel, String)> = None;
    let mut waiting: Option<(HeadingLevel, String)> = None;
    let parser = Parser::new_ext(text, crate::markup::parser_options());
    for (event, range) in parser.into_offset_iter() {
        if let Some((above, heading)) = waiting.take()
            && matches!(&event, Event::Start(Tag::Heading { level, .. }) if *level <= above)
        {
            empty.push(heading);
        }
        if let Event::End(TagEnd::Heading(_)) = event {
            waiting = reading.take();
            continue;
        }
        let Event::Start(Tag::Heading { level, .. }) = event else {
            continue;
        };
        let line = text[range.clone()].lines().next().unwrap_or("").to_string();
        let trimmed = line.trim_start();
        let heading = trimmed.trim();
        if !trimmed.starts_with('#') {
            return Err(HeadingError {
                message: text!(
                    en: "underlined (setext) heading \"{heading}\" is not supported",
                    de: "unterstrichene Überschrift (setext) \"{heading}\" wird nicht unterstützt",
                ),
                heading: heading.to_owned(),
            });
        }
        let number = match level {
            HeadingLevel::H1 => {
                return Err(HeadingError {
                    message: text!(
                        en: "heading \"{heading}\" has level 1, which is reserved for the clause title",
                        de: "Überschrift \"{heading}\" hat die Ebene 1, die dem Titel der Klausel vorbehalten ist",
                    ),
                    heading: heading.to_owned(),
                });
            }
            HeadingLevel::H2 => {
                sub += 1;
                subsub = 0;
                format!("{section}.{sub}")
            }
            HeadingLevel::H3 => {
                subsub += 1;
                format!("{section}.{sub}.{subsub}")
            }
            _ => String::new(),
        };
        let hashes = trimmed.chars().take_while(|c| *c == '#').count();
        let title = trimmed.get(hashes..).unwrap_or_default().trim();
        if !number.is_empty() && has_own_number(title) {
            return Err(HeadingError {
                message: own_number_message(title),
                heading: trimmed.trim().to_owned(),
            });
        }
        let marker_start = range.start + (line.len() - trimmed.len());
        let after = &text[marker_start + hashes..];
        let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
        let marker_end = marker_start + hashes + spaces;
        let mut replacement = "#".repeat(hashes + 1);
        replacement.push(' ');
        if !number.is_empty() {
            replacement.push_str(&number);
            replacement.push(' ');
        }
        edits.push((marker_start..marker_end, replacement));
        reading = Some((level, trimmed.trim().to_owned()));
    }
    empty.extend(waiting.map(|(_, heading)| heading));
    let mut out = text.to_string();
    for (range, replacement) in edits.into_iter().rev() {
        out.replace_range(range, &replacement);
    }
    Ok(Numbered { text: out, empty })
}

/// The error for a subsection heading `title` that carries a number of its own (the same for
/// every annex, whatever number annex gives the subsection there).
pub(crate) fn own_number_message(title: &str) -> Localized {
    text!(
        en: "heading \"{title}\" carries a number of its own; annex numbers subsections itself",
        de: "Überschrift \"{title}\" hat eine eigene Nummer; annex nummeriert Unterabschnitte selbst",
    )
}

/// The title of each `##`/`###` heading line of a template that carries a number of its own,
/// with the byte offset of the line.
/// Lines inside a Tera comment (`{# … #}`), a `{% raw %}` block or a fenced code block, and
/// lines indented by four spaces or more, are no headings.
pub(crate) fn numbered_heading_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut offset = 0;
    let (mut comment, mut raw, mut fence) = (false, false, false);
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let outside = !(comment || raw || fence);
        // The state after this line.
        if let Some(open) = line.rfind("{#") {
            comment = !line[open..].contains("#}");
        } else if comment && line.contains("#}") {
            comment = false;
        }
        let squeezed: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if squeezed.contains("{%raw%}") || squeezed.contains("{%-raw") {
            raw = !squeezed.contains("endraw");
        } else if raw && squeezed.contains("endraw") {
            raw = false;
        }
        if indent < 4 && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            fence = !fence;
            continue;
        }
        if !outside || comment && !line.contains("{#") || indent >= 4 {
            continue;
        }
        let hashes = trimmed.chars().take_while(|c| *c == '#').count();
        let title = trimmed.get(hashes..).unwrap_or_default();
        if (2..=3).contains(&hashes) && title.starts_with([' ', '\t']) {
            let title = title.trim();
            if has_own_number(title) {
                out.push((start + indent, title.to_owned()));
            }
        }
    }
    out
}

/// Whether a heading starts with a number of its own: "3.1 Haftung", "2. Pflichten", "4)",
/// a number followed by white space or nothing ("24/7-Betrieb", "2FA" and "2.5-fache" are
/// titles).
fn has_own_number(title: &str) -> bool {
    let mut rest = title;
    loop {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = rest.get(digits..).unwrap_or_default();
        match rest.strip_prefix('.') {
            Some(after) if after.starts_with(|c: char| c.is_ascii_digit()) => rest = after,
            Some(after) => rest = after,
            None => rest = rest.strip_prefix(')').unwrap_or(rest),
        }
        if rest.is_empty() || rest.starts_with([' ', '\t']) {
            return true;
        }
        if !rest.starts_with(|c: char| c.is_ascii_digit()) {
            return false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_with_its_own_number_is_refused() {
        for heading in [
            "## 3.1 Haftung",
            "## 2. Pflichten",
            "### 4) Fristen",
            "## 12",
        ] {
            let e = number_headings(&format!("{heading}\n\nText\n"), 3).unwrap_err();
            assert!(
                e.message.en().contains("carries a number of its own"),
                "{heading}: {e:?}"
            );
        }
        let e = number_headings(
            "## 3.1 Haftung

Text
",
            3,
        )
        .unwrap_err();
        assert_eq!(
            e.message.get(crate::language::Language::De),
            "Überschrift \"3.1 Haftung\" hat eine eigene Nummer; annex nummeriert Unterabschnitte selbst"
        );
        for heading in [
            "## 24/7-Betrieb",
            "## 2FA-Pflicht",
            "## 5G-Netze",
            "## 2.5-fache Vergütung",
        ] {
            // Numbers that are part of the title stay.
            let ok = number_headings(&format!("{heading}\n\nText\n"), 3);
            assert!(ok.is_ok(), "{heading}: {ok:?}");
        }
    }

    #[test]
    fn a_numbered_heading_in_a_comment_raw_block_or_code_is_no_heading() {
        let text = "## 1. Echt\n{#\n## 2. Alt\n#}\n{% raw %}\n## 3. Roh\n{% endraw %}\n```\n## 4. Code\n```\n    ## 5. Eingerückt\n{# ## 6. Kommentar #}\n## 7. Auch echt\n";
        let found: Vec<String> = numbered_heading_lines(text)
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(found, ["1. Echt", "7. Auch echt"]);
    }

    #[test]
    fn numbers_subsections_one_level_deeper() {
        let text = "Intro.\n\n## Delivery\n\nText.\n\n### Detail\n\n## Review\n";
        let numbered = number_headings(text, 3).unwrap();
        assert_eq!(
            numbered.text,
            "Intro.\n\n### 3.1 Delivery\n\nText.\n\n#### 3.1.1 Detail\n\n### 3.2 Review\n"
        );
        // "Detail" is followed by a heading of a higher level, "Review" by the end.
        assert_eq!(numbered.empty, ["### Detail", "## Review"]);
    }

    #[test]
    fn a_subsection_with_text_or_deeper_subsections_is_not_empty() {
        let text = "## A\n\n### A.1\n\nText.\n\n## B\n\n- item\n\n## C\n\n| x |\n|---|\n| 1 |\n";
        assert_eq!(
            number_headings(text, 1).unwrap().empty,
            Vec::<String>::new()
        );
        let text = "## A\n\n## B\nText.\n";
        assert_eq!(number_headings(text, 1).unwrap().empty, ["## A"]);
    }

    #[test]
    fn rejects_level_one_and_setext_headings() {
        assert!(
            number_headings("# Top\n", 1)
                .unwrap_err()
                .message
                .en()
                .contains("level 1")
        );
        assert!(
            number_headings("Title\n-----\n", 1)
                .unwrap_err()
                .message
                .en()
                .contains("setext")
        );
    }
}

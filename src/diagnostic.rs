//! Diagnostics: one message with its location and hints, printed as
//! `path:line:col: error: message`, then the line of the file with a caret under the column,
//! then `hint:` lines:
//!
//! ```text
//! project.json:12:30: error: service_levels.rto_hours: expected a number, found a string "4h"
//!    |
//! 12 |     "rto_hours": "4h",
//!    |                  ^
//!   hint: write the number without a unit
//! ```

use std::fmt;
use std::path::PathBuf;

use crate::language::{Language, Localized};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The input is accepted, but the annex may fall short of what it should say.
    Warning,
    /// The input is rejected.
    Error,
}

/// Where a diagnostic points: a file and, where known, a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The file (as given by the user, or a template name).
    pub file: PathBuf,
    /// 1-based line.
    pub line: Option<u32>,
    /// 1-based column (in characters).
    pub column: Option<u32>,
}

impl Location {
    /// A location with a line and column.
    pub fn at(file: impl Into<PathBuf>, line: usize, column: usize) -> Location {
        let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Location {
            file: file.into(),
            line: Some(small(line)),
            column: Some(small(column)),
        }
    }

    /// A whole-file location.
    pub fn file(file: impl Into<PathBuf>) -> Location {
        Location {
            file: file.into(),
            line: None,
            column: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// One message for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where, if known.
    pub location: Option<Location>,
    /// What is wrong, lowercase, without a trailing period, in both languages.
    pub message: Localized,
    /// How to fix it.
    pub hints: Vec<Localized>,
    /// The part of the line the location points to that is shown under the message: at most
    /// [`EXCERPT`] characters around the column, cut ends marked with `…`.
    pub source_line: Option<String>,
    /// How many characters of `source_line` come before the column (the caret goes under the
    /// next one).
    pub caret: u32,
}

impl Diagnostic {
    /// An error.
    pub fn error(location: Option<Location>, message: impl Into<Localized>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            location,
            message: message.into(),
            hints: vec![],
            source_line: None,
            caret: 0,
        }
    }

    /// A warning.
    pub fn warning(location: Option<Location>, message: impl Into<Localized>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            location,
            message: message.into(),
            hints: vec![],
            source_line: None,
            caret: 0,
        }
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<Localized>) -> Diagnostic {
        self.hints.push(hint.into());
        self
    }

    /// Shows the line of `text` (the whole file the location's line counts in) that the
    /// location points to.
    pub fn with_source(self, text: &str) -> Diagnostic {
        self.with_source_indexed(text, &LineIndex::new(text))
    }

    /// [`Diagnostic::with_source`] with the line index of `text` at hand: no scan of the file.
    pub fn with_source_indexed(self, text: &str, lines: &LineIndex) -> Diagnostic {
        let line = self
            .location
            .as_ref()
            .and_then(|l| l.line)
            .and_then(|n| lines.line(text, usize::try_from(n).ok()?));
        match line {
            Some(line) => self.with_line_text(line),
            None => self,
        }
    }

    /// Shows `line` (the text of the location's line) under the message: the part of it
    /// around the column, so that a long line costs no more than a short one.
    pub fn with_line_text(mut self, line: &str) -> Diagnostic {
        let column = self.location.as_ref().and_then(|l| l.column).unwrap_or(1);
        let line = line.trim_end_matches(['\r', '\n']);
        let (shown, caret) = excerpt(line, usize::try_from(column).unwrap_or(usize::MAX));
        self.source_line = Some(shown);
        self.caret = u32::try_from(caret.chars().count()).unwrap_or(u32::MAX);
        self
    }

    /// The same finding as a warning (what a draft reports instead of failing).
    pub fn into_warning(mut self) -> Diagnostic {
        self.severity = Severity::Warning;
        self
    }

    /// Whether this counts the problems of a file that are not shown (see [`Findings`]): it
    /// goes after them.
    pub fn is_count_of_more(&self) -> bool {
        self.count_of_more().is_some()
    }

    /// How many problems this counts that are not shown, if it is such a count.
    pub fn count_of_more(&self) -> Option<usize> {
        let rest = self.message.en().strip_prefix(MORE)?.trim_start();
        rest.split(' ').next()?.parse().ok()
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Diagnostic {
    /// The message as it is printed, in `lang`.
    pub fn display(&self, lang: Language) -> Shown<'_> {
        Shown {
            diagnostic: self,
            lang,
        }
    }
}

/// The diagnostic in English, annex's source language: for logs, panics and tests. What a user
/// reads is printed with [`Diagnostic::display`] in the language of the run.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.display(Language::En).fmt(f)
    }
}

/// A diagnostic printed in a language ([`Diagnostic::display`]).
pub struct Shown<'a> {
    diagnostic: &'a Diagnostic,
    lang: Language,
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Shown {
            diagnostic: d,
            lang,
        } = *self;
        if let Some(loc) = &d.location {
            write!(f, "{}: ", visible(&loc.to_string()))?;
        }
        let label = match (d.severity, lang) {
            (Severity::Error, Language::En) => "error",
            (Severity::Error, Language::De) => "Fehler",
            (Severity::Warning, Language::En) => "warning",
            (Severity::Warning, Language::De) => "Warnung",
        };
        write!(f, "{label}: {}", visible(d.message.get(lang)))?;
        if let (Some(text), Some(line)) = (&d.source_line, d.location.as_ref().and_then(|l| l.line))
        {
            let number = line.to_string();
            let gutter = " ".repeat(number.len());
            // White space as wide as the text before the column (a tab stays a tab).
            let caret: String = text
                .chars()
                .take(usize::try_from(d.caret).unwrap_or(usize::MAX))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n{gutter} |\n{number} | {text}\n{gutter} | {caret}^")?;
        }
        let hint = match lang {
            Language::En => "hint",
            Language::De => "Hinweis",
        };
        for text in &d.hints {
            write!(f, "\n  {hint}: {}", visible(text.get(lang)))?;
        }
        Ok(())
    }
}

/// At most this many problems are reported for one file; the others are counted.
pub const MAX_PER_FILE: usize = 50;

/// How the message that counts the problems not shown starts.
const MORE: &str = "… and";

/// The problems of one file as they are found: the first [`MAX_PER_FILE`] are built into
/// messages, the others only counted. Locating and quoting a problem costs a look at the
/// file, so a small hostile file must not be able to ask for hundreds of thousands of them.
#[derive(Debug, Default)]
pub struct Findings {
    list: Vec<Diagnostic>,
    more: usize,
}

impl Findings {
    /// No problems yet.
    pub fn new() -> Findings {
        Findings::default()
    }

    /// Adds the problem that `build` makes, or only counts it when enough are shown.
    pub fn push_with(&mut self, build: impl FnOnce() -> Diagnostic) {
        if self.list.len() < MAX_PER_FILE {
            self.list.push(build());
        } else {
            self.more += 1;
        }
    }

    /// Adds a problem already made.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.push_with(|| diagnostic);
    }

    /// Whether no problem was found.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The problems, with a last message that counts those not shown.
    pub fn finish(mut self, file: &std::path::Path) -> Vec<Diagnostic> {
        if self.more > 0 {
            let more = self.more;
            self.list.push(
                Diagnostic::error(
                    Some(Location::file(file)),
                    crate::text!(
                        en: "{MORE} {more} more problems of the same file, not shown",
                        de: "… und {more} weitere Probleme derselben Datei, nicht gezeigt",
                    ),
                )
                .hint(crate::text!(
                    en: "at most {MAX_PER_FILE} problems are shown for a file: fix these and run again",
                    de: "für eine Datei werden höchstens {MAX_PER_FILE} Probleme gezeigt: beheben Sie diese und starten Sie erneut",
                )),
            );
        }
        self.list
    }
}

/// A text with its control characters written as escapes (`\u{1b}`): a message quotes input,
/// and an escape sequence in a project value must not reach the terminal as one.
fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// Longest part of a line shown in a diagnostic, in characters.
const EXCERPT: usize = 100;

/// The part of `line` to show (at most [`EXCERPT`] characters around the 1-based `column`,
/// cut ends marked with `…`) and the white space that puts a caret under the column. Tabs stay
/// tabs, control characters become spaces, so the caret lines up in a terminal.
fn excerpt(line: &str, column: usize) -> (String, String) {
    // Counted, not copied: only the window becomes a string of its own.
    let len = line.chars().count();
    let at = column.saturating_sub(1).min(len);
    let start = if len <= EXCERPT {
        0
    } else {
        at.saturating_sub(EXCERPT * 2 / 5)
    };
    let end = (start + EXCERPT).min(len);
    let window: Vec<char> = line
        .chars()
        .skip(start)
        .take(end - start)
        .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
        .collect();
    let mut shown: String = window.iter().collect();
    let mut caret: String = window
        .iter()
        .take(at - start)
        .map(|&c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    if start > 0 {
        shown.insert(0, '…');
        caret.insert(0, ' ');
    }
    if end < len {
        shown.push('…');
    }
    (shown, caret)
}

/// A problem in a text file being parsed (a TOML file of the library, say), at a byte offset of
/// the text where one is known. [`TextError::diagnostic`] turns it into a located message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    /// What is wrong.
    pub message: Localized,
    /// The byte offset in the text it points to.
    pub offset: Option<usize>,
    /// How to fix it.
    pub hints: Vec<Localized>,
}

impl TextError {
    /// A problem at `offset`, if known.
    pub fn new(message: impl Into<Localized>, offset: Option<usize>) -> TextError {
        TextError {
            message: message.into(),
            offset,
            hints: Vec::new(),
        }
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<Localized>) -> TextError {
        self.hints.push(hint.into());
        self
    }

    /// The message located in `file`, whose text is `text`, with the line shown.
    pub fn diagnostic(&self, file: impl Into<PathBuf>, text: &str) -> Diagnostic {
        let location = match self.offset {
            Some(offset) => {
                let (line, column) = line_column(text, offset);
                Location::at(file, line, column)
            }
            None => Location::file(file),
        };
        let mut diagnostic =
            Diagnostic::error(Some(location), self.message.clone()).with_source(text);
        diagnostic.hints.extend(self.hints.iter().cloned());
        diagnostic
    }
}

impl From<toml::de::Error> for TextError {
    fn from(e: toml::de::Error) -> TextError {
        TextError::new(
            Localized::verbatim(e.message().trim_end()),
            e.span().map(|s| s.start),
        )
    }
}

/// The byte offset of the first line of `text` that sets `key` (`key = …`), at the key.
pub fn toml_key_offset(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
            return Some(offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    None
}

/// The byte offset of the header line `[name]` of a TOML table in `text`.
pub fn toml_table_offset(text: &str, name: &str) -> Option<usize> {
    let header = format!("[{name}]");
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.trim_end() == header || trimmed.starts_with(&format!("{header} ")) {
            return Some(offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    None
}

/// The closest candidate to a misspelt name, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(given, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Where the lines of a text start: built in one pass, it turns a byte offset into a line and
/// column without scanning the text from its start again (a file with many problems would
/// otherwise cost the square of its length).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    /// The byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
}

impl LineIndex {
    /// The index of `text`.
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// 1-based line and character column of a byte offset of `text` (the text indexed).
    pub fn line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = text.floor_char_boundary(offset.min(text.len()));
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = text.get(start..offset).unwrap_or_default().chars().count() + 1;
        (line, column)
    }

    /// The text of the 1-based line `n`, without its line break.
    pub fn line<'t>(&self, text: &'t str, n: usize) -> Option<&'t str> {
        let start = *self.starts.get(n.checked_sub(1)?)?;
        let end = self.starts.get(n).map_or(text.len(), |&next| next - 1);
        text.get(start..end)
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..text.floor_char_boundary(offset)).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).unwrap_or_default().chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_location_first_then_hints() {
        let d = Diagnostic::error(
            Some(Location::at("p.json", 3, 7)),
            Localized::verbatim("bad value"),
        )
        .hint(Localized::verbatim("do this"));
        assert_eq!(
            d.display(Language::En).to_string(),
            "p.json:3:7: error: bad value\n  hint: do this"
        );
    }

    #[test]
    fn prints_in_the_language_asked_for() {
        let d = Diagnostic::error(
            Some(Location::at("p.json", 3, 7)),
            crate::text!(en: "bad value", de: "falscher Wert"),
        )
        .hint(crate::text!(en: "do this", de: "tun Sie dies"));
        assert_eq!(
            d.display(Language::De).to_string(),
            "p.json:3:7: Fehler: falscher Wert\n  Hinweis: tun Sie dies"
        );
        assert_eq!(
            d.into_warning().display(Language::En).to_string(),
            "p.json:3:7: warning: bad value\n  hint: do this"
        );
    }

    #[test]
    fn shows_the_line_with_a_caret_under_the_column() {
        let text = "{\n  \"a\": 1,\n  \"rto_hours\": \"4h\"\n}\n";
        let d = Diagnostic::error(
            Some(Location::at("p.json", 3, 16)),
            Localized::verbatim("bad value"),
        )
        .hint(Localized::verbatim("fix it"))
        .with_source(text);
        assert_eq!(
            d.display(Language::En).to_string(),
            "p.json:3:16: error: bad value\n  |\n3 |   \"rto_hours\": \"4h\"\n  |                ^\n  hint: fix it"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("{}X{}", "a".repeat(300), "b".repeat(300));
        let (shown, caret) = excerpt(&line, 301);
        assert_eq!(shown.chars().count(), EXCERPT + 2);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(shown.chars().nth(caret.chars().count()), Some('X'));
        let (shown, caret) = excerpt("\tab", 2);
        assert_eq!((shown.as_str(), caret.as_str()), ("\tab", "\t"));
        assert_eq!(
            excerpt("short", 99),
            ("short".to_owned(), "     ".to_owned())
        );
    }

    #[test]
    fn the_line_index_agrees_with_a_scan_from_the_start() {
        let text = "ab\nçd\n\nlast";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.line_column(text, offset),
                line_column(text, offset.min(text.len())),
                "{offset}"
            );
        }
        assert_eq!(index.line(text, 2), Some("çd"));
        assert_eq!(index.line(text, 3), Some(""));
        assert_eq!(index.line(text, 4), Some("last"));
        assert_eq!(index.line(text, 5), None);
        assert_eq!(index.line(text, 0), None);
    }

    #[test]
    fn without_a_line_nothing_is_shown() {
        let d = Diagnostic::error(Some(Location::file("p.json")), Localized::verbatim("empty"))
            .with_source("x");
        assert_eq!(d.display(Language::En).to_string(), "p.json: error: empty");
    }

    #[test]
    fn suggests_close_names_only() {
        let names = ["availability_percent", "service_hours", "rto_hours"];
        assert_eq!(
            did_you_mean("avialability_percent", names),
            Some("availability_percent")
        );
        assert_eq!(did_you_mean("rto_hour", names), Some("rto_hours"));
        assert_eq!(did_you_mean("colour", names), None);
    }
}

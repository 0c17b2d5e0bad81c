//! Reading a project file: bytes -> UTF-8 -> JSON -> [`Project`], with located messages.

mod german;
mod messages;
mod recover;

use std::path::{Path, PathBuf};

use messages::json_error;

use super::Project;
use crate::diagnostic::{Diagnostic, LineIndex, Location};
use crate::language::{Language, Localized};

/// The largest project file accepted (a real one is a few kilobytes).
pub const MAX_INPUT_BYTES: u64 = 1024 * 1024;

/// The text of a project file, kept to point at places in it.
#[derive(Debug, Clone)]
pub struct ProjectSource {
    /// The path as given.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
    /// Where its lines start.
    lines: LineIndex,
}

impl ProjectSource {
    /// The text of a project file read from `path`.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> ProjectSource {
        let text = text.into();
        ProjectSource {
            path: path.into(),
            lines: LineIndex::new(&text),
            text,
        }
    }

    /// `diagnostic` with the line of this file it points to shown under it.
    pub fn quote(&self, diagnostic: Diagnostic) -> Diagnostic {
        diagnostic.with_source_indexed(&self.text, &self.lines)
    }

    /// The location of the value at a JSON path such as `service_levels.response_minutes.p1`
    /// or `clauses.include[2]`; the whole file if the path is not found.
    pub fn locate(&self, json_path: &str) -> Location {
        self.location(locate(&self.text, json_path))
    }

    /// The location of a byte offset; the whole file for none.
    fn location(&self, offset: Option<usize>) -> Location {
        match offset {
            Some(offset) => {
                let (line, column) = self.lines.line_column(&self.text, offset);
                Location::at(&self.path, line, column)
            }
            None => Location::file(&self.path),
        }
    }

    /// An error at the first `c` in the string at a JSON path (at the string where `c` is not
    /// found in it, e.g. because it is not a string).
    pub fn error_at_char(
        &self,
        json_path: &str,
        c: char,
        message: impl Into<Localized>,
    ) -> Diagnostic {
        let offset = locate(&self.text, json_path)
            .map(|start| char_in_string(&self.text, start, c).unwrap_or(start));
        self.quote(Diagnostic::error(
            Some(self.location(offset)),
            at_path(json_path, message.into()),
        ))
    }

    /// An error about a value the project does not give: located at the deepest part of the
    /// path that the file has (the enclosing object, or the file itself); the message names
    /// the value itself.
    pub fn error_at_missing(&self, json_path: &str, message: impl Into<Localized>) -> Diagnostic {
        let mut prefix = json_path;
        let offset = loop {
            if let Some(offset) = locate(&self.text, prefix) {
                break Some(offset);
            }
            match prefix.rfind('.') {
                Some(i) => prefix = prefix.get(..i).unwrap_or_default(),
                None => break None,
            }
        };
        self.quote(Diagnostic::error(Some(self.location(offset)), message))
    }

    /// An error at a JSON path: `path:line:col: error: json.path: message`.
    pub fn error(&self, json_path: &str, message: impl Into<Localized>) -> Diagnostic {
        self.quote(Diagnostic::error(
            Some(self.locate(json_path)),
            at_path(json_path, message.into()),
        ))
    }

    /// A warning at a JSON path.
    pub fn warning(&self, json_path: &str, message: impl Into<Localized>) -> Diagnostic {
        self.quote(Diagnostic::warning(
            Some(self.locate(json_path)),
            at_path(json_path, message.into()),
        ))
    }
}

/// `json.path: message`, in both languages.
fn at_path(json_path: &str, message: Localized) -> Localized {
    Localized::each(|lang| format!("{json_path}: {}", message.get(lang)))
}

/// Reads and parses a project file. On failure, the diagnostics say what and where: every
/// value that does not fit the project format (at most [`crate::diagnostic::MAX_PER_FILE`]),
/// in the order of the file.
pub fn read_project(path: &Path) -> Result<(Project, ProjectSource), Vec<Diagnostic>> {
    let file_error =
        |message: Localized| vec![Diagnostic::error(Some(Location::file(path)), message)];
    let unreadable = |e: std::io::Error| {
        let reason = io_reason(&e);
        let (en, de) = (reason.en(), reason.get(Language::De));
        file_error(crate::text!(
            en: "cannot read the project file: {en}",
            de: "die Projektdatei kann nicht gelesen werden: {de}",
        ))
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.is_dir() {
        return Err(file_error(crate::text!(
            en: "expected a project file, found a folder",
            de: "erwartet wird eine Projektdatei, gefunden wurde ein Ordner",
        )));
    }
    if meta.len() > MAX_INPUT_BYTES {
        let len = meta.len();
        return Err(file_error(crate::text!(
            en: "the project file has {len} bytes, at most {MAX_INPUT_BYTES} are accepted",
            de: "die Projektdatei hat {len} Bytes, zulässig sind höchstens {MAX_INPUT_BYTES}",
        )));
    }
    // The size the file system reports is 0 for a pipe or a device: the bytes read count.
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path).and_then(|file| {
        use std::io::Read;
        file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)
    });
    read.map_err(unreadable)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(file_error(crate::text!(
            en: "the project file has more than {MAX_INPUT_BYTES} bytes, at most {MAX_INPUT_BYTES} are accepted",
            de: "die Projektdatei hat mehr als {MAX_INPUT_BYTES} Bytes, zulässig sind höchstens {MAX_INPUT_BYTES}",
        )));
    }
    from_bytes(path, bytes)
}

/// Parses the bytes of a project file read from `path` (which only names it in messages).
pub fn from_bytes(
    path: &Path,
    mut bytes: Vec<u8>,
) -> Result<(Project, ProjectSource), Vec<Diagnostic>> {
    // A byte order mark (some Windows editors write one) is no part of the JSON.
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let text = String::from_utf8(bytes)
        .map_err(|e| {
            let (line, column) = line_column_bytes(e.as_bytes(), e.utf8_error().valid_up_to());
            Diagnostic::error(
                Some(Location::at(path, line, column)),
                crate::text!(
                    en: "the project file is not valid UTF-8",
                    de: "die Projektdatei ist kein gültiges UTF-8",
                ),
            )
            .hint(crate::text!(
                en: "save the file as UTF-8 (JSON requires it)",
                de: "speichern Sie die Datei als UTF-8 (JSON verlangt es)",
            ))
        })
        .map_err(|d| vec![d])?;
    let source = ProjectSource::new(path, text);
    // The placeholders of a starter project (`annex init`) left in it; the errors of reading
    // those values ("expected a boolean") are not shown again.
    let unfilled = super::placeholders(&source);
    let at_placeholder = |d: &Diagnostic| unfilled.iter().any(|u| u.location == d.location);
    let parsed = parse(&source).and_then(|project| match unfilled.first() {
        Some(first) => Err(first.clone()),
        None => Ok(project),
    });
    let project = parsed.map_err(|first| {
        let mut all = vec![first];
        if all
            .iter()
            .all(|d| !d.message.en().starts_with("invalid JSON"))
        {
            all.extend(
                recover::data_errors(&source)
                    .into_iter()
                    .filter(|d| !at_placeholder(d)),
            );
            all.retain(|d| {
                !at_placeholder(d) || d.message.en().contains("placeholder of `annex init`")
            });
            all.extend(unfilled.iter().cloned());
        }
        // In the order of the file (a whole-file message first).
        all.sort_by_key(|d| {
            d.location
                .as_ref()
                .map(|l| (l.line.unwrap_or(0), l.column.unwrap_or(0)))
        });
        all.dedup_by(|a, b| a == b);
        all
    })?;
    Ok((project, source))
}

/// Parses the text of a project file.
pub fn parse(source: &ProjectSource) -> Result<Project, Diagnostic> {
    if source.text.trim().is_empty() {
        return Err(Diagnostic::error(
            Some(Location::file(&source.path)),
            crate::text!(en: "the project file is empty", de: "die Projektdatei ist leer"),
        )
        .hint(crate::text!(
            en: "a project is a JSON object with at least `annex`, `client`, `provider`, `service` and `protection`; run `annex schema --markdown` for the fields, or `annex init` for a starter project",
            de: "ein Projekt ist ein JSON-Objekt mit mindestens `annex`, `client`, `provider`, `service` und `protection`; die Felder beschreibt `annex schema --markdown`, ein Startprojekt legt `annex init` an",
        )));
    }
    let mut de = serde_json::Deserializer::from_str(&source.text);
    let project: Project = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        source.quote(json_error(source, &path, e.into_inner()))
    })?;
    de.end()
        .map_err(|e| source.quote(json_error(source, "", e)))?;
    Ok(project)
}

/// Why a file cannot be read: in our words for the usual reasons, else the system's.
fn io_reason(e: &std::io::Error) -> Localized {
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            crate::text!(en: "no such file", de: "die Datei gibt es nicht")
        }
        std::io::ErrorKind::PermissionDenied => {
            crate::text!(en: "permission denied", de: "keine Berechtigung")
        }
        _ => Localized::verbatim(e.to_string()),
    }
}

fn line_column_bytes(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
        .chars()
        .count()
        + 1;
    (line, column)
}

/// The byte offset of the first `c` in the JSON string that starts at `start` (its opening
/// quote): of the character itself, or of the escape (`\u0085`) that writes it.
fn char_in_string(text: &str, start: usize, c: char) -> Option<usize> {
    let body = text.get(start..)?.strip_prefix('"')?;
    let mut chars = body.char_indices().peekable();
    while let Some((at, raw)) = chars.next() {
        let decoded = match raw {
            '"' => return None,
            '\\' => match chars.next()?.1 {
                'u' => {
                    let hex = |chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>| {
                        let digits: String = (0..4)
                            .filter_map(|_| chars.next().map(|(_, d)| d))
                            .collect();
                        u32::from_str_radix(&digits, 16).ok()
                    };
                    let unit = hex(&mut chars)?;
                    if (0xD800..0xDC00).contains(&unit)
                        && body.get(chars.peek()?.0..)?.starts_with("\\u")
                    {
                        chars.next();
                        chars.next();
                        let low = hex(&mut chars)?;
                        char::from_u32(0x10000 + ((unit - 0xD800) << 10) + low.checked_sub(0xDC00)?)
                    } else {
                        char::from_u32(unit)
                    }
                }
                'b' => Some('\u{8}'),
                'f' => Some('\u{C}'),
                'n' => Some('\n'),
                'r' => Some('\r'),
                't' => Some('\t'),
                escaped => Some(escaped),
            },
            raw => Some(raw),
        };
        if decoded == Some(c) {
            return Some(start + 1 + at);
        }
    }
    None
}

/// The language a project's messages are printed in: its `annex.language`, read with a quick
/// look at the text (which need not be a valid project; `None` where the value cannot be found
/// in it, or is not `de` or `en`).
pub fn message_language(text: &str) -> Option<Language> {
    let at = locate(text, "annex.language")?;
    let code = Scanner {
        s: text.as_bytes(),
        i: at,
    }
    .string()?;
    Language::parse(&code.trim().to_ascii_lowercase())
}

/// [`message_language`] of the project file at `path` (at most [`MAX_INPUT_BYTES`] of it are
/// read).
pub fn message_language_of_file(path: &Path) -> Option<Language> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_INPUT_BYTES).read_to_end(&mut bytes))
        .ok()?;
    let text = String::from_utf8_lossy(&bytes);
    message_language(text.trim_start_matches('\u{feff}'))
}

/// The byte offset of the value at `json_path` in a valid JSON text.
fn locate(text: &str, json_path: &str) -> Option<usize> {
    let mut scanner = Scanner {
        s: text.as_bytes(),
        i: 0,
    };
    scanner.ws();
    for seg in segments(json_path) {
        match seg {
            Segment::Key(key) => {
                scanner.expect(b'{')?;
                loop {
                    scanner.ws();
                    let k = scanner.string()?;
                    scanner.ws();
                    scanner.expect(b':')?;
                    scanner.ws();
                    if k == key {
                        break;
                    }
                    scanner.skip_value()?;
                    scanner.ws();
                    scanner.expect(b',')?;
                }
            }
            Segment::Index(n) => {
                scanner.expect(b'[')?;
                for _ in 0..n {
                    scanner.ws();
                    scanner.skip_value()?;
                    scanner.ws();
                    scanner.expect(b',')?;
                }
                scanner.ws();
            }
        }
    }
    Some(scanner.i)
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        for idx in rest.split('[') {
            if let Ok(n) = idx.trim_end_matches(']').parse() {
                out.push(Segment::Index(n));
            }
        }
    }
    out
}

struct Scanner<'a> {
    s: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        (self.s.get(self.i) == Some(&b)).then(|| self.i += 1)
    }

    fn string(&mut self) -> Option<String> {
        let start = self.i;
        self.skip_string()?;
        serde_json::from_slice(self.s.get(start..self.i)?).ok()
    }

    fn skip_string(&mut self) -> Option<()> {
        self.expect(b'"')?;
        loop {
            match self.s.get(self.i)? {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                _ => self.i += 1,
            }
        }
    }

    fn skip_value(&mut self) -> Option<()> {
        match self.s.get(self.i)? {
            b'"' => self.skip_string(),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.s.get(self.i)? {
                        b'"' => {
                            self.skip_string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.i += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_is_found_in_its_string_through_escapes() {
        let text = r#"{"a": "x\u0085y", "b": "\"q\" \ud83d\udd74 z", "c": "\b"}"#;
        let at = |c: char| {
            let start = text.find(": \"").map(|i| i + 2).unwrap();
            char_in_string(text, start, c)
        };
        assert_eq!(at('\u{85}'), text.find("\\u0085"));
        assert_eq!(at('y'), text.find('y'));
        // Not in the first string: found nowhere (the next strings are other values).
        assert_eq!(at('z'), None);
        let b = text.find("\"\\\"q").unwrap();
        assert_eq!(char_in_string(text, b, '🕴'), text.find("\\ud83d"));
        assert_eq!(char_in_string(text, b, '"'), Some(b + 1));
        let c = text.rfind("\"\\b").unwrap();
        assert_eq!(char_in_string(text, c, '\u{8}'), Some(c + 1));
    }

    #[test]
    fn the_message_language_is_found_in_a_broken_project() {
        let text = r#"{"annex": {"id": "x", "language": " DE "}, "client": {"name": 3,}"#;
        assert_eq!(message_language(text), Some(Language::De));
        assert_eq!(
            message_language(r#"{"annex": {"language": "en"}}"#),
            Some(Language::En)
        );
        assert_eq!(message_language(r#"{"annex": {"language": "fr"}}"#), None);
        assert_eq!(message_language("{ not json"), None);
    }

    #[test]
    fn an_empty_project_file_is_named_in_both_languages() {
        let e = parse(&ProjectSource::new("p.json", " \n")).unwrap_err();
        assert_eq!(
            e.to_string().lines().next(),
            Some("p.json: error: the project file is empty")
        );
        assert_eq!(
            e.display(Language::De).to_string().lines().next(),
            Some("p.json: Fehler: die Projektdatei ist leer")
        );
        let src = ProjectSource::new("p.json", r#"{"a": {"b": 1}}"#);
        assert_eq!(
            src.error("a.b", crate::text!(en: "too small", de: "zu klein"))
                .display(Language::De)
                .to_string()
                .lines()
                .next(),
            Some("p.json:1:13: Fehler: a.b: zu klein")
        );
    }

    #[test]
    fn locates_nested_values() {
        let text = "{\n  \"a\": {\"b\": [1, {\"c\": \"x\"}]},\n  \"d\": 2\n}";
        let src = ProjectSource::new("p.json", text);
        assert_eq!(src.locate("d"), Location::at("p.json", 3, 8));
        assert_eq!(src.locate("a.b[1].c"), Location::at("p.json", 2, 24));
        assert_eq!(src.locate("a.x"), Location::file("p.json"));
    }
}

//! Clause files: TOML front matter between `+++` lines, then the Markdown/Tera body.

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Location};
use crate::language::Localized;
use crate::level::{Governor, Level};
use crate::project::{Language, fact_names};

/// What a clause file says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseMeta {
    /// Clause id; all variants and languages of a clause share it.
    pub id: String,
    /// The topic of the catalogue the clause belongs to.
    pub topic: String,
    /// Language of the text.
    pub language: Language,
    /// Heading, printed as "§ n Title".
    pub title: String,
    /// What selects the variant.
    pub governed_by: Governor,
    /// The level this variant is for.
    pub level: Level,
    /// Position in the annex.
    pub order: i64,
    /// Service flags that must hold.
    pub when: Vec<Condition>,
}

/// A condition on one fact about the project (a service flag, the client's regulatory
/// situation, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The fact, one of [`crate::project::FACTS`].
    pub flag: String,
    /// The value it must have.
    pub value: bool,
}

impl Condition {
    /// Parses `flag` or `!flag`.
    pub fn parse(s: &str) -> Result<Condition, Localized> {
        let (flag, value) = match s.strip_prefix('!') {
            Some(rest) => (rest.trim(), false),
            None => (s.trim(), true),
        };
        if !fact_names().any(|f| f == flag) {
            let hint = crate::diagnostic::did_you_mean(flag, fact_names())
                .map(|s| crate::text!(en: "; did you mean \"{s}\"?", de: "; meinten Sie \"{s}\"?"))
                .unwrap_or_else(|| Localized::verbatim(""));
            let (hint_en, hint_de) = (hint.en(), hint.get(Language::De));
            let facts = fact_names().collect::<Vec<_>>().join(", ");
            return Err(crate::text!(
                en: "unknown fact \"{flag}\" in `when`{hint_en} (the facts are {facts})",
                de: "unbekannte Tatsache \"{flag}\" in `when`{hint_de} (die Tatsachen sind {facts})",
            ));
        }
        Ok(Condition {
            flag: flag.to_string(),
            value,
        })
    }
}

impl std::fmt::Display for Condition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.value {
            f.write_str("!")?;
        }
        f.write_str(&self.flag)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: String,
    topic: String,
    language: String,
    title: String,
    governed_by: Governor,
    level: String,
    order: i64,
    #[serde(default)]
    when: Vec<String>,
}

/// A clause file split into its parts.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    /// The parsed front matter.
    pub meta: ClauseMeta,
    /// The body text.
    pub body: &'a str,
    /// Lines before the body (the front matter with its fences), to add to body line numbers.
    pub body_line_offset: usize,
}

/// Splits and parses a clause file named `file` (for messages).
pub fn split<'a>(file: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    split_parts(file, text).map_err(|d| d.with_source(text))
}

fn split_parts<'a>(file: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let at = |line: usize, column: usize| Some(Location::at(file, line, column));
    let hint = crate::text!(
        en: "a clause file starts with a line `+++`, then the front matter (id, topic, language, title, governed_by, level, order), then `+++`, then the text",
        de: "eine Klauseldatei beginnt mit einer Zeile `+++`, danach folgen der Kopfbereich (front matter) mit den Feldern id, topic, language, title, governed_by, level und order, wieder eine Zeile `+++` und dann der Text",
    );
    let text_start = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text_start
        .strip_prefix("+++")
        .and_then(|r| r.strip_prefix('\n').or_else(|| r.strip_prefix("\r\n")))
    else {
        return Err(Diagnostic::error(
            at(1, 1),
            crate::text!(
                en: "missing front matter: the file must start with a line `+++`",
                de: "Kopfbereich (front matter) fehlt: die Datei muss mit einer Zeile `+++` beginnen",
            ),
        )
        .hint(hint));
    };
    let mut offset = 0;
    let mut close = None;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((fm_end, body_start)) = close else {
        return Err(Diagnostic::error(
            at(1, 1),
            crate::text!(
                en: "the front matter is not closed: no line `+++` after it",
                de: "der Kopfbereich (front matter) ist nicht abgeschlossen: es folgt keine Zeile `+++`",
            ),
        )
        .hint(hint));
    };
    let front = &rest[..fm_end];
    let body = &rest[body_start..];
    let body_line_offset = 2 + front.matches('\n').count();

    let raw: Raw = toml::from_str(front).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|s| crate::diagnostic::line_column(front, s.start))
            .unwrap_or((1, 1));
        let words = toml_words(e.message().trim_end());
        let (en, de) = (words.en(), words.get(Language::De));
        Diagnostic::error(
            at(line + 1, column),
            crate::text!(en: "front matter: {en}", de: "Kopfbereich (front matter): {de}"),
        )
        .hint(hint)
    })?;
    let field_error = |field: &str, message: Localized| {
        let line = front
            .lines()
            .position(|l| l.trim_start().starts_with(field))
            .map_or(2, |i| i + 2);
        let (en, de) = (message.en(), message.get(Language::De));
        Diagnostic::error(
            at(line, 1),
            crate::text!(en: "front matter: {en}", de: "Kopfbereich (front matter): {de}"),
        )
        .hint(crate::text!(
            en: "the front matter fields are described in the guide (README.md of the template library), section “Front matter” / „Kopfbereich“",
            de: "die Felder des Kopfbereichs (front matter) beschreibt die Anleitung (README.md der Vorlagenbibliothek) im Abschnitt „Kopfbereich“",
        ))
    };
    let language = Language::parse(&raw.language).ok_or_else(|| {
        let given = &raw.language;
        field_error(
            "language",
            crate::text!(
                en: "unknown language \"{given}\", expected \"de\" or \"en\"",
                de: "unbekannte Sprache \"{given}\", erwartet wird \"de\" oder \"en\"",
            ),
        )
    })?;
    let level = Level::parse(&raw.level).ok_or_else(|| {
        let (given, expected) = (&raw.level, Level::EXPECTED);
        field_error(
            "level",
            crate::text!(
                en: "unknown level \"{given}\", expected {expected}",
                de: "unbekannter Schutzbedarf \"{given}\", erwartet wird einer der Werte \"normal\", \"high\", \"very_high\" (oder \"hoch\", \"sehr hoch\"), in beliebiger Groß- und Kleinschreibung",
            ),
        )
    })?;
    let valid_id = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !valid_id(&raw.id) {
        let given = &raw.id;
        return Err(field_error(
            "id",
            crate::text!(
                en: "invalid clause id \"{given}\": use lowercase letters, digits and '-'",
                de: "ungültige Klausel-ID \"{given}\": verwenden Sie Kleinbuchstaben, Ziffern und '-'",
            ),
        ));
    }
    if raw.title.trim().is_empty() {
        return Err(field_error(
            "title",
            crate::text!(en: "the title is empty", de: "der Titel ist leer"),
        ));
    }
    let when = raw
        .when
        .iter()
        .map(|c| Condition::parse(c))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|m| field_error("when", m))?;
    let meta = ClauseMeta {
        id: raw.id,
        topic: raw.topic,
        language,
        title: raw.title,
        governed_by: raw.governed_by,
        level,
        order: raw.order,
        when,
    };
    Ok(Split {
        meta,
        body,
        body_line_offset,
    })
}

/// The TOML parser's message about the front matter, in both languages: an unknown or
/// missing field said as annex says it for a project, with the closest name; other messages
/// as the parser wrote them.
fn toml_words(message: &str) -> Localized {
    if let Some((name, expected)) = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split_once("`, expected one of "))
    {
        let names: Vec<&str> = expected.split(", ").map(|n| n.trim_matches('`')).collect();
        let fields = names.join(", ");
        return match crate::diagnostic::did_you_mean(name, names.iter().copied()) {
            Some(guess) => crate::text!(
                en: "unknown field `{name}`, did you mean `{guess}`? (the fields are {fields})",
                de: "unbekanntes Feld `{name}`, meinten Sie `{guess}`? (die Felder sind {fields})",
            ),
            None => crate::text!(
                en: "unknown field `{name}` (the fields are {fields})",
                de: "unbekanntes Feld `{name}` (die Felder sind {fields})",
            ),
        };
    }
    if let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        return crate::text!(en: "missing field `{name}`", de: "das Feld `{name}` fehlt");
    }
    crate::text!(en: "{message}", de: "der TOML-Leser meldet: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++\nid = \"x\"\ntopic = \"encryption\"\nlanguage = \"de\"\ntitle = \"T\"\ngoverned_by = \"confidentiality\"\nlevel = \"hoch\"\norder = 5\nwhen = [\"!shared_platform\"]\n+++\nBody {{ x }}\n";

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let s = split("c.md", GOOD).unwrap();
        assert_eq!(s.meta.level, Level::High);
        assert_eq!(
            s.meta.when,
            vec![Condition {
                flag: "shared_platform".into(),
                value: false
            }]
        );
        assert_eq!(s.body, "Body {{ x }}\n");
        // The body starts on line 11 of the file: 10 lines before it.
        assert_eq!(s.body_line_offset, 10);
    }

    #[test]
    fn a_misspelt_field_gets_the_closest_name_in_both_languages() {
        let bad = GOOD.replace("title =", "titel =");
        let e = split("c.md", &bad).unwrap_err();
        let en = e.display(Language::En).to_string();
        assert!(
            en.contains("error: front matter: unknown field `titel`, did you mean `title`? (the fields are id, "),
            "{en}"
        );
        let de = e.display(Language::De).to_string();
        assert!(
            de.contains("Fehler: Kopfbereich (front matter): unbekanntes Feld `titel`, meinten Sie `title`? (die Felder sind id, "),
            "{de}"
        );
    }

    #[test]
    fn reports_front_matter_errors_at_the_file_line() {
        let bad = GOOD.replace("order = 5", "order = \"five\"");
        let e = split("c.md", &bad).unwrap_err();
        assert_eq!(e.location, Some(Location::at("c.md", 8, 9)), "{e}");
        let bad = GOOD.replace("\"!shared_platform\"", "\"personal_dat\"");
        let e = split("c.md", &bad).unwrap_err();
        assert!(
            e.message.en().contains("did you mean \"personal_data\""),
            "{e}"
        );
        assert!(
            e.display(Language::De).to_string().starts_with(
                "c.md:9:1: Fehler: Kopfbereich (front matter): unbekannte Tatsache \"personal_dat\" in `when`; meinten Sie \"personal_data\"? (die Tatsachen sind "
            ),
            "{}",
            e.display(Language::De)
        );
        assert!(split("c.md", "no front matter").is_err());
    }
}

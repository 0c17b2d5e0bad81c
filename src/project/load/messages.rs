//! The wording of serde_json's errors: a located message per error, with did-you-mean for
//! an unknown field and the fields a missing one belongs to.

use super::ProjectSource;
use crate::diagnostic::{Diagnostic, Location, did_you_mean};
use crate::language::{Language, Localized};
use crate::project::custom_wording;

use super::german::german;

pub(super) fn json_error(
    source: &ProjectSource,
    path: &str,
    inner: serde_json::Error,
) -> Diagnostic {
    let d = worded(source, path, inner);
    // `"true"` or `"3"` where a yes/no or a number belongs: the quotes are the mistake.
    let quoted = d
        .message
        .en()
        .split_once("found the string \"")
        .and_then(|(_, rest)| rest.strip_suffix('"'))
        .map(str::to_owned);
    let numeric = d.message.en().contains("number") || d.message.en().contains("percent");
    // "99,5": the German decimal comma.
    let decimal = quoted
        .as_deref()
        .map(|v| v.trim().replace(',', "."))
        .filter(|v| v.parse::<f64>().is_ok_and(f64::is_finite));
    let yes_no = quoted.as_deref().map(|v| v.trim().to_lowercase());
    match quoted {
        Some(v) if numeric && v.contains(',') && decimal.is_some() => {
            let fixed = decimal.unwrap_or_default();
            d.hint(crate::text!(
                en: "write {fixed} without quotes: a number is written with a decimal point, not a comma",
                de: "schreiben Sie {fixed} ohne Anführungszeichen: eine Zahl wird mit Dezimalpunkt geschrieben, nicht mit Komma",
            ))
        }
        Some(_)
            if d.message.en().contains("expected a boolean")
                && matches!(yes_no.as_deref(), Some("ja" | "yes" | "wahr" | "nein" | "no" | "falsch")) =>
        {
            let value = if matches!(yes_no.as_deref(), Some("ja" | "yes" | "wahr")) {
                "true"
            } else {
                "false"
            };
            d.hint(crate::text!(
                en: "write {value} without quotes: a yes/no value is true (yes) or false (no)",
                de: "schreiben Sie {value} ohne Anführungszeichen: ein Ja/Nein-Wert ist true (ja) oder false (nein)",
            ))
        }
        Some(v) if d.message.en().contains("expected a boolean") && (v == "true" || v == "false") => {
            d.hint(crate::text!(
                en: "write {v} without quotes: a yes/no value is not text",
                de: "schreiben Sie {v} ohne Anführungszeichen: ein Ja/Nein-Wert ist kein Text",
            ))
        }
        Some(v)
            if d.message.en().contains("number")
                && v.starts_with(|c: char| c.is_ascii_digit() || c == '-')
                && v.parse::<f64>().is_ok_and(f64::is_finite) =>
        {
            d.hint(crate::text!(
                en: "write {v} without quotes: a number is not text",
                de: "schreiben Sie {v} ohne Anführungszeichen: eine Zahl ist kein Text",
            ))
        }
        Some(v) if d.message.en().contains("number") && v.chars().next().is_some_and(|c| c.is_ascii_digit()) => {
            d.hint(crate::text!(
                en: "write the number alone, without quotes and without a unit (the unit is given by the field, e.g. GB for storage_gb)",
                de: "schreiben Sie nur die Zahl, ohne Anführungszeichen und ohne Einheit (die Einheit ergibt sich aus dem Feld, z. B. GB bei storage_gb)",
            ))
        }
        _ => d,
    }
}

fn worded(source: &ProjectSource, path: &str, inner: serde_json::Error) -> Diagnostic {
    let (line, column) = (inner.line(), inner.column());
    let parser_location = if line > 0 {
        Location::at(&source.path, line, column.max(1))
    } else {
        Location::file(&source.path)
    };
    let raw = inner.to_string();
    let suffix = format!(" at line {line} column {column}");
    let bare = raw.strip_suffix(&suffix).unwrap_or(&raw);
    // A value our own types refused: its message was written in both languages.
    let ours = custom_wording(bare);
    let message = bare.replace("unknown variant", "unknown value");
    let message = match ours {
        Some(ours) => Localized::new(
            quote_names(&message),
            quote_names_only(&message, ours.get(Language::De)),
        ),
        None => Localized::new(quote_names(&message), german(&message)),
    };
    let at = if path.is_empty() || path == "." {
        String::new()
    } else {
        format!("{path}: ")
    };
    if inner.is_syntax() || inner.is_eof() {
        if message.en().contains("number out of range") {
            return Diagnostic::error(
                Some(parser_location),
                crate::text!(
                    en: "invalid JSON: the number is too large to represent",
                    de: "ungültiges JSON: die Zahl ist zu groß, um sie darzustellen",
                ),
            )
            .hint(crate::text!(
                en: "numbers in a project are at most 1000000000",
                de: "Zahlen in einem Projekt sind höchstens 1000000000",
            ));
        }
        if let Some(d) = comment_or_trailing_comma(source, line, column) {
            return d;
        }
        let what = if inner.is_eof() {
            crate::text!(
                en: "the file ends in the middle of the JSON",
                de: "die Datei endet mitten im JSON",
            )
        } else {
            message
        };
        let (en, de) = (what.en(), what.get(Language::De));
        return Diagnostic::error(
            Some(parser_location),
            crate::text!(en: "invalid JSON: {en}", de: "ungültiges JSON: {de}"),
        )
        .hint(crate::text!(
            en: "check for a missing comma, quote or bracket just before this position",
            de: "prüfen Sie, ob kurz vor dieser Stelle ein Komma, ein Anführungszeichen oder eine Klammer fehlt",
        ));
    }
    // serde_json reports data errors after the value; point at the value itself instead.
    let location = match source.locate(path) {
        l if l.line.is_some() && !path.is_empty() => l,
        _ => parser_location,
    };
    if let Some(d) = unknown_field(&location, path, message.en()) {
        return d;
    }
    if let Some(field) = between(message.en(), "missing field `", "`") {
        let object = if at.is_empty() {
            crate::text!(en: "the project", de: "das Projekt")
        } else {
            crate::text!(en: "`{path}`", de: "`{path}`")
        };
        let (object_en, object_de) = (object.en(), object.get(Language::De));
        return Diagnostic::error(
            Some(location),
            crate::text!(en: "{at}missing field \"{field}\"", de: "{at}Feld \"{field}\" fehlt"),
        )
        .hint(crate::text!(
            en: "{object_en} requires \"{field}\"; see `annex schema --markdown` for the fields",
            de: "{object_de} verlangt \"{field}\"; die Felder beschreibt `annex schema --markdown`",
        ));
    }
    Diagnostic::error(
        Some(location),
        Localized::each(|lang| format!("{at}{}", message.get(lang))),
    )
}

/// Turns serde's "unknown field `x`, expected one of `a`, `b`" into a did-you-mean message.
fn unknown_field(location: &Location, path: &str, message: &str) -> Option<Diagnostic> {
    let field = between(message, "unknown field `", "`")?;
    let expected: Vec<&str> = message
        .split_once("expected")
        .map(|(_, rest)| rest.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default();
    // serde_path_to_error puts the unknown key itself at the end of the path.
    let parent = path
        .strip_suffix(field)
        .map(|p| p.trim_end_matches('.'))
        .unwrap_or(path);
    let at = if parent.is_empty() || parent == "." {
        String::new()
    } else {
        format!("{parent}: ")
    };
    let mut d = match did_you_mean(field, expected.iter().copied()) {
        Some(s) => Diagnostic::error(
            Some(location.clone()),
            crate::text!(
                en: "{at}unknown field \"{field}\", did you mean \"{s}\"?",
                de: "{at}unbekanntes Feld \"{field}\", meinten Sie \"{s}\"?",
            ),
        ),
        None => Diagnostic::error(
            Some(location.clone()),
            crate::text!(
                en: "{at}unknown field \"{field}\"",
                de: "{at}unbekanntes Feld \"{field}\"",
            ),
        ),
    };
    if !expected.is_empty() {
        let fields = expected.join(", ");
        d = d.hint(if parent.is_empty() || parent == "." {
            crate::text!(
                en: "the fields allowed at the top level are: {fields}",
                de: "die auf oberster Ebene erlaubten Felder sind: {fields}",
            )
        } else {
            crate::text!(
                en: "the fields allowed in `{parent}` are: {fields}",
                de: "die in `{parent}` erlaubten Felder sind: {fields}",
            )
        });
    }
    Some(d)
}

/// serde writes names in backticks (`de`); our messages quote them ("de").
fn quote_names(message: &str) -> String {
    if message.contains("unknown field") || message.contains("missing field") {
        return message.to_string();
    }
    plain_types(&message.replace('`', "\""))
}

/// The German of a message of our own types: its names quoted as [`quote_names`] quotes those
/// of the English `message`.
fn quote_names_only(message: &str, german: &str) -> String {
    if message.contains("unknown field") || message.contains("missing field") {
        return german.to_string();
    }
    german.replace('`', "\"")
}

/// serde's names of Rust types in "expected …" said as a person would.
fn plain_types(message: &str) -> String {
    let Some((head, expected)) = message.split_once(", expected ") else {
        return message.to_string();
    };
    let plain = plain_expected(expected);
    // "invalid type: integer `5`" (backticks made quotes above): say what was found.
    let Some(found) = head.strip_prefix("invalid type: ") else {
        return format!("{head}, expected {plain}");
    };
    format!("expected {plain}, found {}", plain_found(found))
}

/// What serde expected (after ", expected "), said as a person would.
pub(super) fn plain_expected(expected: &str) -> &str {
    match expected.trim() {
        "struct PerPriority" => {
            "p1 to p4, an object such as {\"p1\": 15, \"p2\": 60, \"p3\": 240, \"p4\": 480}"
        }
        "struct Exclusion" => {
            "an exclusion with \"id\" and \"reason\", such as {\"id\": \"encryption\", \"reason\": \"…\"}"
        }
        "f64" | "f32" => "a number",
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => {
            "a whole number"
        }
        "a sequence" => "a list",
        "a map" => "an object",
        other if other.starts_with("struct ") => "an object",
        other => other,
    }
}

/// What serde found (after "invalid type: "), said as a person would.
pub(super) fn plain_found(found: &str) -> String {
    let value = |kind: &str| {
        found
            .strip_prefix(kind)
            .map(|v| v.trim().trim_matches('"').to_owned())
    };
    if let Some(n) = value("integer").or_else(|| value("floating point")) {
        format!("the number {n}")
    } else if let Some(t) = value("string") {
        format!("the string \"{t}\"")
    } else if let Some(b) = value("boolean") {
        b
    } else if found.starts_with("map") {
        "an object".to_owned()
    } else if found.starts_with("sequence") {
        "a list".to_owned()
    } else if found.starts_with("null") || found.starts_with("unit") {
        "null".to_owned()
    } else {
        found.to_owned()
    }
}

pub(super) fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &s[s.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

/// The message for the two slips JSON does not forgive and other formats do: a comment (`//`,
/// `/*`) and a comma after the last entry of an object or array. `line` and `column` are where
/// serde_json stopped (1-based; the column is that of the last character read).
fn comment_or_trailing_comma(
    source: &ProjectSource,
    line: usize,
    column: usize,
) -> Option<Diagnostic> {
    let text = source.text.lines().nth(line.checked_sub(1)?)?;
    // The byte offset in the line of the column-th character (or the line's end).
    let at = |column: usize| {
        text.char_indices()
            .nth(column.saturating_sub(1))
            .map_or(text.len(), |(i, _)| i)
    };
    let here = at(column);
    let rest = text.get(here..)?;
    if let Some(start) = ["//", "/*"].iter().filter_map(|c| rest.find(c)).min()
        && rest.get(..start).is_some_and(|gap| gap.trim().is_empty())
    {
        let column = text.get(..here + start)?.chars().count() + 1;
        return Some(
            source.quote(
                Diagnostic::error(
                    Some(Location::at(&source.path, line, column)),
                    crate::text!(
                        en: "invalid JSON: JSON does not allow comments",
                        de: "ungültiges JSON: JSON erlaubt keine Kommentare",
                    ),
                )
                .hint(crate::text!(
                    en: "remove the comment; to keep a note in the project, put it into a value, e.g. `protection.rationale` or an entry of `variables`",
                    de: "entfernen Sie den Kommentar; eine Notiz im Projekt gehört in einen Wert, z. B. `protection.rationale` oder einen Eintrag von `variables`",
                )),
            ),
        );
    }
    // serde_json stops at the closing bracket after a trailing comma: the comma is the last
    // character before it that is not white space, possibly on an earlier line.
    if !(rest.starts_with('}') || rest.starts_with(']')) {
        return None;
    }
    let offset = source
        .text
        .lines()
        .take(line - 1)
        .map(|l| l.len() + 1)
        .sum::<usize>()
        + here;
    let before = source.text.get(..offset)?.trim_end();
    if !before.ends_with(',') {
        return None;
    }
    let comma = before.len() - 1;
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..comma)?.chars().count() + 1;
    Some(
        source.quote(
            Diagnostic::error(
                Some(Location::at(&source.path, line, column)),
                crate::text!(
                    en: "invalid JSON: a comma after the last entry (a trailing comma)",
                    de: "ungültiges JSON: ein Komma nach dem letzten Eintrag",
                ),
            )
            .hint(crate::text!(
                en: "remove this comma: in JSON a comma only stands between two entries",
                de: "entfernen Sie dieses Komma: in JSON steht ein Komma nur zwischen zwei Einträgen",
            )),
        ),
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::diagnostic::Diagnostic;
    use crate::language::Language;

    const MINIMAL: &str = r#"{
  "annex": {"id": "x", "date": "2026-11-02", "main_contract": "Vertrag", "language": "de"},
  "client": {"name": "Stadt", "address": "Weg 1"},
  "provider": {"name": "RZ", "address": "Weg 2"},
  "service": {"description": "Betrieb", "personal_data": false},
  "protection": {"confidentiality": "hoch", "integrity": "normal", "availability": "normal"},
  "service_levels": {"staff_min": 2}
}"#;

    /// The messages of reading `text`, in both languages.
    fn read(text: &str) -> Vec<Diagnostic> {
        match crate::project::from_bytes(Path::new("p.json"), text.as_bytes().to_vec()) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(all) => all,
        }
    }

    fn german(d: &Diagnostic) -> String {
        d.display(Language::De).to_string()
    }

    #[test]
    fn a_type_error_is_worded_in_both_languages() {
        let all = read(&MINIMAL.replace(
            r#""staff_min": 2"#,
            r#""staff_min": "2", "rto_hours": true"#,
        ));
        assert_eq!(all.len(), 2, "{all:#?}");
        assert_eq!(
            all[0].message.en(),
            "service_levels.staff_min: expected a whole number greater than 0 (at most 1000000), found the string \"2\""
        );
        assert_eq!(
            german(&all[0]).lines().last(),
            Some("  Hinweis: schreiben Sie 2 ohne Anführungszeichen: eine Zahl ist kein Text")
        );
        assert_eq!(
            all[0].message.get(Language::De),
            "service_levels.staff_min: erwartet wird eine ganze Zahl größer als 0 (höchstens 1000000), gefunden wurde der Text \"2\""
        );
        assert_eq!(
            all[1].message.get(Language::De),
            "service_levels.rto_hours: erwartet wird eine Zahl größer als 0 (höchstens 1000000000), gefunden wurde der Wahrheitswert true"
        );
    }

    #[test]
    fn serde_messages_are_said_in_german_from_their_parts() {
        let all = read(&MINIMAL.replace(
            r#""personal_data": false"#,
            r#""personal_data": "nein", "components": {"a": 1}, "special_categories": ["gesundheit"]"#,
        ));
        let both: Vec<(&str, &str)> = all
            .iter()
            .map(|d| (d.message.en(), d.message.get(Language::De)))
            .collect();
        assert_eq!(
            both,
            [
                (
                    "service.personal_data: expected a boolean, found the string \"nein\"",
                    "service.personal_data: erwartet wird true oder false, gefunden wurde der Text \"nein\""
                ),
                (
                    "service.components: expected a list, found an object",
                    "service.components: erwartet wird eine Liste, gefunden wurde ein Objekt"
                ),
                (
                    "service.special_categories[0]: unknown value \"gesundheit\", expected one of \"health\", \"genetic\", \"biometric\", \"religion\", \"political\", \"trade_union\", \"ethnic_origin\", \"sex_life\", \"criminal\"",
                    "service.special_categories[0]: unbekannter Wert \"gesundheit\", erwartet wird einer der Werte \"health\", \"genetic\", \"biometric\", \"religion\", \"political\", \"trade_union\", \"ethnic_origin\", \"sex_life\", \"criminal\""
                ),
            ]
        );
    }

    #[test]
    fn unknown_and_missing_fields_are_named_in_german() {
        let all = read(&MINIMAL.replace(r#""name": "Stadt", "#, r#""nmae": "Stadt", "#));
        let shown: Vec<String> = all.iter().map(german).collect();
        assert!(
            shown[0].starts_with("p.json:3:13: Fehler: client: Feld \"name\" fehlt\n"),
            "{shown:#?}"
        );
        assert!(
            shown[0].ends_with("  Hinweis: `client` verlangt \"name\"; die Felder beschreibt `annex schema --markdown`"),
            "{shown:#?}"
        );
        assert!(
            shown[1].starts_with(
                "p.json:3:22: Fehler: client: unbekanntes Feld \"nmae\", meinten Sie \"name\"?\n"
            ),
            "{shown:#?}"
        );
        assert!(
            shown[1]
                .contains("\n  Hinweis: die in `client` erlaubten Felder sind: name, address, "),
            "{shown:#?}"
        );
        assert_eq!(
            all[1].to_string().lines().next(),
            Some("p.json:3:22: error: client: unknown field \"nmae\", did you mean \"name\"?")
        );
    }

    #[test]
    fn syntax_errors_are_worded_in_german() {
        let all = read(&MINIMAL.replace(r#""personal_data": false"#, r#""personal_data": fals"#));
        assert_eq!(all[0].message.en(), "invalid JSON: expected ident");
        assert_eq!(
            all[0].message.get(Language::De),
            "ungültiges JSON: erwartet wird ein Schlüsselwort (true, false oder null)"
        );
        let all = read(&MINIMAL.replace("\"staff_min\": 2}", "\"staff_min\": 2,}"));
        assert_eq!(
            german(&all[0]).lines().next(),
            Some("p.json:7:36: Fehler: ungültiges JSON: ein Komma nach dem letzten Eintrag")
        );
        let all = read(&MINIMAL.replace(
            r#""personal_data": false"#,
            r#""personal_data": false, "cloud": false, "cloud": true"#,
        ));
        assert_eq!(
            all[0].message.get(Language::De),
            "service: Feld \"cloud\" ist mehrfach angegeben"
        );
        let all = read(&format!("{MINIMAL} x"));
        assert_eq!(
            all[0].message.get(Language::De),
            "ungültiges JSON: weitere Zeichen nach dem Ende des JSON"
        );
    }

    #[test]
    fn the_messages_of_our_own_types_keep_their_german() {
        let all = read(
            &MINIMAL
                .replace(r#""id": "x""#, r#""id": "Stadt`werk""#)
                .replace(r#""integrity": "normal""#, r#""integrity": "mittel""#),
        );
        assert_eq!(
            all[0].message.en(),
            "annex.id: invalid annex id \"Stadt\"werk\": it starts with 'S'; expected 1 to 64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit"
        );
        assert_eq!(
            all[0].message.get(Language::De),
            "annex.id: ungültige Kennung der Anlage \"Stadt\"werk\": sie beginnt mit 'S'; erwartet werden 1 bis 64 Zeichen aus a-z, 0-9, '.', '_', '-', beginnend mit einem Kleinbuchstaben oder einer Ziffer"
        );
        assert_eq!(
            all[1].message.get(Language::De),
            "protection.integrity: unbekannter Schutzbedarf \"mittel\", erwartet wird einer der Werte \"normal\", \"high\", \"very_high\" (oder \"hoch\", \"sehr hoch\"), in beliebiger Groß- und Kleinschreibung"
        );
    }
}

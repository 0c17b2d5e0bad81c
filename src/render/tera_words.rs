//! The words of Tera's errors: annex's own messages, which travel through Tera in both
//! languages, and Tera's own, in German where a template's author meets them.

use crate::language::Localized;

/// Between the English and the German text of a message of annex's own that travels inside a
/// Tera error (the error of a filter, a function or the work budget): Tera carries one string.
/// A noncharacter, which neither a template nor a project value can contain (see
/// [`crate::markup::placeholder::is_reserved`]).
const BETWEEN: char = '\u{FDEF}';

/// A Tera error that carries a message of annex's own in both languages; [`super::errors::located_error`]
/// reads both back ([`from_tera`]).
pub(super) fn tera_error(text: Localized) -> tera::Error {
    tera::Error::message(format!("{}{BETWEEN}{}", text.en, text.de))
}

/// The message of a Tera error: annex's own in both languages (see [`tera_error`]), Tera's
/// own as it is, with a lowercase start.
pub(super) fn from_tera(message: &str) -> Localized {
    match message.split_once(BETWEEN) {
        Some((en, de)) => Localized::new(en, de),
        None => {
            let en = lowercase_first(message);
            let de = tera_in_german(message.trim_end_matches('.'))
                .unwrap_or_else(|| format!("die Vorlagen-Engine Tera meldet: {en}"));
            Localized::new(en, de)
        }
    }
}

/// Tera's messages that a template's author meets, in German: (Tera's English with `{}` for
/// each name it quotes, the German with the names in the same order).
const TERA_GERMAN: [(&str, &str); 18] = [
    ("Unknown tag", "unbekannte Anweisung"),
    ("Unknown template `{}`", "unbekannte Vorlage `{}`"),
    ("Unknown component `{}`", "unbekannte Komponente `{}`"),
    ("Unknown filter `{}`", "unbekannter Filter `{}`"),
    ("Unknown function `{}`", "unbekannte Funktion `{}`"),
    ("Unknown test `{}`", "unbekannter Test `{}`"),
    (
        "Variable `{}` is not defined. Available variables: {}",
        "die Variable `{}` ist nicht definiert. Verfügbare Variablen: {}",
    ),
    (
        "Variable `{}` is not defined",
        "die Variable `{}` ist nicht definiert",
    ),
    (
        "Variable `{}` exists but its value is undefined",
        "die Variable `{}` gibt es, aber ihr Wert ist nicht definiert",
    ),
    (
        "Field `{}` is not defined. Available fields: {}",
        "das Feld `{}` ist nicht definiert. Verfügbare Felder: {}",
    ),
    (
        "Field `{}` is not defined",
        "das Feld `{}` ist nicht definiert",
    ),
    (
        "Closing tag '{}' doesn't match opening tag '{}'",
        "die schließende Anweisung '{}' passt nicht zur öffnenden Anweisung '{}'",
    ),
    (
        "Found {} but was expecting `elif`, `else` or `endif`",
        "gefunden wurde {}, erwartet wurde `elif`, `else` oder `endif`",
    ),
    (
        "Found {} but expected {}",
        "gefunden wurde {}, erwartet wurde {}",
    ),
    (
        "Iteration not possible on type `{}`",
        "über einen Wert vom Typ `{}` kann keine Schleife laufen",
    ),
    (
        "Cannot compare `{}` with `{}`",
        "`{}` kann nicht mit `{}` verglichen werden",
    ),
    (
        "Unclosed component '{}'",
        "die Komponente '{}' wird nicht geschlossen",
    ),
    ("Cannot divide by 0", "Division durch 0"),
];

/// A message of Tera in German, if it is one of [`TERA_GERMAN`].
fn tera_in_german(message: &str) -> Option<String> {
    TERA_GERMAN.iter().find_map(|(en, de)| {
        let names = fill_in(message, en)?;
        let mut out = String::new();
        let mut names = names.into_iter();
        for (i, piece) in de.split("{}").enumerate() {
            if i > 0 {
                out.push_str(names.next()?);
            }
            out.push_str(piece);
        }
        Some(out)
    })
}

/// The texts that stand for the `{}` of `pattern` in `message`, if it has its form.
fn fill_in<'m>(message: &'m str, pattern: &str) -> Option<Vec<&'m str>> {
    let pieces: Vec<&str> = pattern.split("{}").collect();
    let mut rest = message.strip_prefix(*pieces.first()?)?;
    let mut names = Vec::new();
    for (i, piece) in pieces.iter().enumerate().skip(1) {
        let last = i == pieces.len() - 1;
        let at = if last {
            if !rest.ends_with(piece) {
                return None;
            }
            rest.len() - piece.len()
        } else {
            rest.find(piece)?
        };
        names.push(&rest[..at]);
        rest = &rest[at + piece.len()..];
    }
    (pieces.len() == 1 && rest.is_empty() || pieces.len() > 1).then_some(names)
}

/// `s` with a lowercase start, unless its second letter is upper case too (an acronym).
pub(super) fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) if c.clone().next().is_some_and(|n| n.is_lowercase()) => {
            first.to_lowercase().chain(c).collect()
        }
        _ => s.to_string(),
    }
}

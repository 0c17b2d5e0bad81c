//! serde's and serde_json's messages in German, put together from the parts of the English:
//! serde carries an error as an English string only.

use super::messages::{between, plain_expected, plain_found};

/// The German of a message of serde or serde_json (`message` as it is before
/// `quote_names` in `messages.rs`), put together from its parts; what it does not know stays as written.
pub(super) fn german(message: &str) -> String {
    if let Some(field) = between(message, "duplicate field `", "`") {
        return format!("Feld \"{field}\" ist mehrfach angegeben");
    }
    let quoted = message.replace('`', "\"");
    if let Some(syntax) = german_syntax(&quoted) {
        return syntax;
    }
    if let Some(value) = quoted
        .strip_prefix("unknown value ")
        .and_then(|rest| rest.strip_suffix(", there are no variants"))
    {
        return format!("unbekannter Wert {value}, hier ist kein Wert erlaubt");
    }
    let Some((head, expected)) = quoted.split_once(", expected ") else {
        return quoted;
    };
    let erwartet = german_expected(plain_expected(expected));
    if let Some(found) = head.strip_prefix("invalid type: ") {
        let gefunden = german_found(&plain_found(found));
        return format!("erwartet wird {erwartet}, gefunden wurde {gefunden}");
    }
    let head = if let Some(value) = head.strip_prefix("unknown value ") {
        format!("unbekannter Wert {value}")
    } else if let Some(found) = head.strip_prefix("invalid value: ") {
        format!("ungültiger Wert: {}", german_found(&plain_found(found)))
    } else if let Some(n) = head.strip_prefix("invalid length ") {
        format!("ungültige Länge {n}")
    } else {
        head.to_owned()
    };
    format!("{head}, erwartet wird {erwartet}")
}

/// The German of what a message expects, as `plain_expected` says it in English.
fn german_expected(plain: &str) -> String {
    // The names of serde's list of the values allowed: `"a"`, `"a" or "b"`, `one of "a", "b"`.
    if let Some(names) = plain.strip_prefix("one of ") {
        return format!("einer der Werte {names}");
    }
    if plain.starts_with('"') {
        return plain.replace("\" or \"", "\" oder \"");
    }
    if let Some(name) = plain.strip_prefix("enum ") {
        return format!("einer der zulässigen Werte (enum {name})");
    }
    match plain {
        "p1 to p4, an object such as {\"p1\": 15, \"p2\": 60, \"p3\": 240, \"p4\": 480}" => {
            "p1 bis p4, ein Objekt wie {\"p1\": 15, \"p2\": 60, \"p3\": 240, \"p4\": 480}"
        }
        "an exclusion with \"id\" and \"reason\", such as {\"id\": \"encryption\", \"reason\": \"…\"}" => {
            "ein Ausschluss mit \"id\" und \"reason\", etwa {\"id\": \"encryption\", \"reason\": \"…\"}"
        }
        "a number" => "eine Zahl",
        "a whole number" => "eine ganze Zahl",
        "a list" => "eine Liste",
        "an object" => "ein Objekt",
        "a boolean" => "true oder false",
        "a string" | "a borrowed string" => "ein Text",
        "string or map" => "ein Text oder ein Objekt",
        "a character" => "ein Zeichen",
        "any valid JSON value" => "ein JSON-Wert",
        "option" => "ein Wert oder null",
        "variant identifier" | "field identifier" => "ein Name",
        other => other,
    }
    .to_owned()
}

/// The German of what a message found, as `plain_found` says it in English.
fn german_found(plain: &str) -> String {
    if let Some(n) = plain.strip_prefix("the number ") {
        format!("die Zahl {n}")
    } else if let Some(t) = plain.strip_prefix("the string ") {
        format!("der Text {t}")
    } else {
        match plain {
            "an object" => "ein Objekt".to_owned(),
            "a list" => "eine Liste".to_owned(),
            "unit value" => "null".to_owned(),
            "character" => "ein Zeichen".to_owned(),
            other => other.to_owned(),
        }
    }
}

/// The German of a syntax error of serde_json (names quoted), if it is one.
fn german_syntax(message: &str) -> Option<String> {
    let german = match message {
        "expected \":\"" => "erwartet wird \":\"",
        "expected \",\" or \"]\"" => "erwartet wird \",\" oder \"]\"",
        "expected \",\" or \"}\"" => "erwartet wird \",\" oder \"}\"",
        "expected ident" => "erwartet wird ein Schlüsselwort (true, false oder null)",
        "expected value" => "erwartet wird ein Wert",
        "expected \"\"\"" => "erwartet wird \"\"\"",
        "invalid escape" => "ungültige Escape-Sequenz",
        "invalid number" => "ungültige Zahl",
        "invalid unicode code point" => "ungültiger Unicode-Codepunkt",
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "Steuerzeichen (\\u0000-\\u001F) in einem Text"
        }
        "key must be a string" => "ein Feldname muss ein Text in Anführungszeichen sein",
        "lone leading surrogate in hex escape" => {
            "einzelnes führendes Surrogat in einer \\u-Escape-Sequenz"
        }
        "trailing comma" => "Komma nach dem letzten Eintrag",
        "trailing characters" => "weitere Zeichen nach dem Ende des JSON",
        "unexpected end of hex escape" => "unerwartetes Ende einer \\u-Escape-Sequenz",
        "recursion limit exceeded" => "zu tief verschachtelt",
        "EOF while parsing a list" => "die Datei endet in einer Liste",
        "EOF while parsing an object" => "die Datei endet in einem Objekt",
        "EOF while parsing a string" => "die Datei endet in einem Text",
        "EOF while parsing a value" => "die Datei endet vor einem Wert",
        _ => return None,
    };
    Some(german.to_owned())
}

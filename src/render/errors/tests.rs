//! The tests of the rendering errors.
use super::super::tera_words::{from_tera, tera_error};
use super::*;
use crate::language::Language;

/// The diagnostic for the error of rendering `text` as a template of its own.
fn rendered(text: &str) -> Diagnostic {
    let mut tera = super::super::engine();
    if let Err(e) = tera.add_raw_template("k.md", text) {
        return template_error(&e, "k.md", 2, text);
    }
    let e = tera.render("k.md", &tera::Context::new()).unwrap_err();
    template_error(&e, "k.md", 2, text)
}

#[test]
fn annex_s_own_messages_pass_through_tera_in_both_languages() {
    let e = tera_error(text!(en: "the value is wrong", de: "der Wert ist falsch"));
    let message = from_tera(&e.to_string());
    assert_eq!(message.en(), "the value is wrong");
    assert_eq!(message.get(Language::De), "der Wert ist falsch");
    // Tera's own words stay as they are in English, and are translated where known.
    let tera = from_tera("Unknown tag");
    assert_eq!(
        (tera.en(), tera.get(Language::De)),
        ("unknown tag", "unbekannte Anweisung")
    );
    let d = rendered("x {{ range(end=10001) | length }}");
    assert_eq!(
        d.display(Language::En).to_string(),
        "k.md:3:6: error: `range` would give 10001 numbers; annex allows at most 10000\n  |\n3 | x {{ range(end=10001) | length }}\n  |      ^"
    );
    assert_eq!(
        d.message.get(Language::De),
        "`range` würde 10001 Zahlen liefern; annex erlaubt höchstens 10000"
    );
}

#[test]
fn tag_and_loop_errors_read_in_german() {
    let text = "{% for i in range(end=3) %}\n{% for j in range(end=3) %}{% endfor %}{% endfor %}";
    let d = nested_range("k.md", 0, text).unwrap();
    assert_eq!(
        d.message.en(),
        "a loop over `range` inside another loop over `range`: it may repeat 100 million times"
    );
    assert_eq!(
        d.display(Language::De).to_string(),
        "k.md:2:13: Fehler: eine Schleife über `range` in einer anderen Schleife über `range`: sie kann sich 100 Millionen Mal wiederholen\n  |\n2 | {% for j in range(end=3) %}{% endfor %}{% endfor %}\n  |             ^\n  Hinweis: verwenden Sie auf jedem Weg durch die Vorlage höchstens eine Schleife über `range` (`range` liefert höchstens 10000 Zahlen), oder Schleifen über die Listen des Projekts"
    );
    let d = rendered("{% if a %}\n{% endfor %}");
    assert_eq!(
        d.message.en(),
        "`{% endfor %}` cannot end the `{% if %}` of line 3, which is still open"
    );
    assert_eq!(
        d.message.get(Language::De),
        "`{% endfor %}` kann das `{% if %}` aus Zeile 3 nicht beenden, das noch offen ist"
    );
    let d = rendered("{% iff a %}{% endif %}");
    assert_eq!(d.message.en(), "unknown tag `iff`; did you mean `if`?");
    assert_eq!(
        d.message.get(Language::De),
        "unbekannte Anweisung `iff`; meinten Sie `if`?"
    );
}

#[test]
fn tera_speaks_german_where_its_message_is_known() {
    let d = from_tera("Unknown template `clauses/de/x.md`");
    assert_eq!(d.en(), "unknown template `clauses/de/x.md`");
    assert_eq!(d.de, "unbekannte Vorlage `clauses/de/x.md`");
    let d = from_tera("Closing tag 'endfor' doesn't match opening tag 'if'");
    assert_eq!(
        d.de,
        "die schließende Anweisung 'endfor' passt nicht zur öffnenden Anweisung 'if'"
    );
    let d = from_tera("Cannot divide by 0");
    assert_eq!(d.de, "Division durch 0");
    let d = from_tera("Something new.");
    assert_eq!(d.de, "die Vorlagen-Engine Tera meldet: something new.");
}

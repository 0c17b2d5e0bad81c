//! A German annex contains no English and vice versa.
//!
//! The check renders every project in both languages, removes the project's own values (they
//! may be in any language), and looks for function words and defined terms of the other
//! language, which no sentence of the right language contains.

use crate::support::{generator, shared_examples, tempdir, valid_fixtures, write_project};

const ENGLISH: &[&str] = &[
    "the", "and", "of", "shall", "must", "with", "which", "this", "within", "without", "after",
    "before", "days", "hours", "months", "Provider", "Client", "Annex", "Main", "Contract",
    "Services", "Business", "Day", "Security", "Incident",
];
const GERMAN: &[&str] = &[
    "der",
    "die",
    "das",
    "und",
    "oder",
    "des",
    "mit",
    "nicht",
    "ist",
    "wird",
    "innerhalb",
    "nach",
    "Tage",
    "Tagen",
    "Stunden",
    "Monate",
    "Auftragnehmer",
    "Auftraggeber",
    "Anlage",
    "Hauptvertrag",
    "Leistungen",
    "Werktag",
    "Arbeitstag",
    "Arbeitstagen",
    "Sicherheitsvorfall",
];

/// Removes occurrences of `value` that stand as whole words (a language code "en" must not cut
/// "sender" in two).
fn remove_word_sequence(text: &str, value: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(value) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + value.len()..].chars().next();
        let whole =
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
        let cut = if whole {
            i + value.len()
        } else {
            i + value.chars().next().map_or(1, char::len_utf8)
        };
        out.push_str(&rest[..i]);
        out.push_str(if whole { " " } else { &rest[i..cut] });
        rest = &rest[cut..];
    }
    out.push_str(rest);
    out
}

fn foreign_words(markdown: &str, project: &serde_json::Value, foreign: &[&str]) -> Vec<String> {
    let parsed: Vec<String> =
        pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES)
            .map(|e| match e {
                pulldown_cmark::Event::Text(t) => t.to_string(),
                _ => " ".to_string(),
            })
            .collect();
    let mut text = parsed
        .concat()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut values = crate::support::strings(project);
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    for v in values {
        text = remove_word_sequence(&text, &v);
    }
    let mut found: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| foreign.contains(w))
        .map(str::to_string)
        .collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn each_annex_is_in_one_language() {
    let dir = tempdir();
    for path in valid_fixtures().into_iter().chain(shared_examples()) {
        let original: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for (lang, foreign) in [("de", ENGLISH), ("en", GERMAN)] {
            let mut project = original.clone();
            project["annex"]["language"] = serde_json::json!(lang);
            let file = write_project(dir.path(), &format!("{lang}.json"), &project);
            let annex = generator()
                .generate(&file, &crate::support::md_only())
                .unwrap_or_else(|e| panic!("{} ({lang}):\n{e}", path.display()));
            let own = if lang == "de" { GERMAN } else { ENGLISH };
            assert!(
                foreign_words(&annex.markdown, &project, own).len() > 5,
                "the check does not see the annex's own language"
            );
            let words = foreign_words(&annex.markdown, &project, foreign);
            assert!(
                words.is_empty(),
                "{} rendered in {lang} contains words of the other language: {words:?}",
                path.display()
            );
        }
    }
}

/// English annexes name sections "Clause n", German ones "§ n"; a representative named as a
/// body gets its article after "vertreten durch" / "represented by".
#[test]
fn sections_and_representatives_read_as_each_language_writes_them() {
    let md = |example: &str| {
        generator()
            .generate(
                &crate::support::root()
                    .join("templates/examples")
                    .join(example),
                &crate::support::md_only(),
            )
            .unwrap_or_else(|e| panic!("{example}: {e}"))
            .markdown
    };
    let bank = md("bank-core-very-high.json");
    assert!(!bank.contains('§'), "an English annex uses no section sign");
    assert!(bank.contains("## Clause\u{a0}5 Binding Security Level"));
    assert!(bank.contains("represented by the Board of Directors"));
    // A reference never breaks between the sign and its number.
    assert!(bank.contains(
        "| Art. 30(2)(h) DORA | Termination rights and minimum notice periods | Clause\u{a0}"
    ));
    assert!(
        !bank
            .lines()
            .filter(|l| !l.starts_with('#'))
            .any(|l| l.contains("Clause 1")),
        "every reference has its no-break space"
    );
    let hospital = md("hospital-pacs-cloud.json");
    assert!(hospital.contains("## §\u{a0}5 "));
    assert!(
        hospital.contains("vertreten durch den Geschäftsführer"),
        "article in the accusative"
    );
    assert!(!hospital.contains("vertreten durch der "));
    assert!(
        hospital.contains("§\u{a0}315 BGB"),
        "statute references keep their number"
    );
    assert!(!hospital.contains("Ziffer 1") && !hospital.contains("Ziffer 2"));
}

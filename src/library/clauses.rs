//! The library-wide rules for clauses, and the line of a clause file's front matter they
//! point at.

use std::collections::{BTreeMap, BTreeSet};

use super::{Catalogue, Clause};
use crate::diagnostic::{Diagnostic, Location};
use crate::language::Localized;
use crate::level::Level;
use crate::project::Language;

/// The name of a language as a German message writes it after "auf" ("auf Deutsch").
fn german_name(lang: Language) -> &'static str {
    match lang {
        Language::De => "Deutsch",
        Language::En => "Englisch",
    }
}

/// The location of the line of the front matter of `text` that sets `field`, with that line.
pub(crate) fn field_location(file: &str, text: &str, field: &str) -> (Location, Option<String>) {
    let found = text.lines().enumerate().skip(1).find(|(_, l)| {
        l.trim_start()
            .strip_prefix(field)
            .is_some_and(|r| r.trim_start().starts_with('='))
    });
    match found {
        Some((i, line)) => {
            let column = line.chars().count() - line.trim_start().chars().count() + 1;
            (Location::at(file, i + 1, column), Some(line.to_string()))
        }
        None => (
            Location::at(file, 1, 1),
            text.lines().next().map(str::to_string),
        ),
    }
}

/// Library-wide rules: known topics, no duplicate variants, same shape in both languages for a
/// clause written in both.
/// `text_of` gives the text of a clause file by its name, to point at the line at fault.
pub(super) fn check_clauses(
    clauses: &[Clause],
    catalogue: &Catalogue,
    text_of: &dyn Fn(&str) -> Option<String>,
    compare_languages: Option<&[(Language, String)]>,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let at_field = |c: &Clause, field: &str, message: Localized| {
        let text = text_of(&c.file).unwrap_or_default();
        let (location, line) = field_location(&c.file, &text, field);
        let d = Diagnostic::error(Some(location), message);
        match line {
            Some(line) => d.with_line_text(&line),
            None => d,
        }
    };
    let mut seen: BTreeMap<(&str, &str, Level), &Clause> = BTreeMap::new();
    for c in clauses {
        let m = &c.meta;
        match catalogue.topic(&m.topic) {
            None => {
                let topic = &m.topic;
                let mut d = at_field(
                    c,
                    "topic",
                    crate::text!(
                        en: "unknown topic \"{topic}\"",
                        de: "unbekanntes Thema \"{topic}\"",
                    ),
                );
                if let Some(s) = crate::diagnostic::did_you_mean(topic, catalogue.ids()) {
                    d = d.hint(crate::text!(
                        en: "did you mean \"{s}\"?",
                        de: "meinten Sie \"{s}\"?",
                    ));
                }
                errors.push(d.hint(crate::text!(
                    en: "topics are declared in topics.toml of the template library",
                    de: "Themen werden in topics.toml der Vorlagenbibliothek festgelegt",
                )));
            }
            Some(t) if t.governed_by != m.governed_by => {
                let (own, topic, topics) = (m.governed_by.as_str(), &t.id, t.governed_by.as_str());
                errors.push(at_field(
                    c,
                    "governed_by",
                    crate::text!(
                        en: "governed_by = \"{own}\" differs from the topic \"{topic}\", which is governed by \"{topics}\"",
                        de: "governed_by = \"{own}\" weicht vom Thema \"{topic}\" ab, für das \"{topics}\" maßgeblich ist",
                    ),
                ));
            }
            Some(_) => {}
        }
        if let Some(other) = seen.insert((&m.id, m.language.code(), m.level), c) {
            // The user's file is at fault, the built-in one is named as built in.
            let (blame, other) = if c.builtin { (other, c) } else { (c, other) };
            let path = &other.path;
            let named = if other.builtin {
                crate::text!(en: "the built-in {path}", de: "die eingebaute {path}")
            } else {
                Localized::verbatim(other.file.clone())
            };
            let (id, code) = (&m.id, m.language.code());
            let (level_en, level_de) = (m.level.name(Language::En), m.level.name(Language::De));
            let (named_en, named_de) = (named.en(), named.get(Language::De));
            let mut d = at_field(
                blame,
                "id",
                crate::text!(
                    en: "clause \"{id}\" ({code}, {level_en}) is defined twice; the other file is {named_en}",
                    de: "Klausel \"{id}\" ({code}, {level_de}) ist zweimal festgelegt; die andere Datei ist {named_de}",
                ),
            );
            if other.builtin {
                d = d.hint(crate::text!(
                    en: "to replace the built-in clause, name your file {path} (its path in the built-in library); to add a clause of your own, give it an id of its own",
                    de: "um die eingebaute Klausel zu ersetzen, geben Sie Ihrer Datei den Pfad {path} (ihren Pfad in der eingebauten Bibliothek); um eine eigene Klausel hinzuzufügen, geben Sie ihr eine eigene ID",
                ));
            }
            errors.push(d);
        }
    }
    let Some(names) = compare_languages else {
        return errors;
    };
    // Same variants, order, topic and conditions in both languages.
    let shape = |lang: Language| -> BTreeMap<(&str, Level), (&str, i64, String, &Clause)> {
        clauses
            .iter()
            .filter(|c| c.meta.language == lang)
            .map(|c| {
                let when: Vec<String> = c.meta.when.iter().map(|w| w.to_string()).collect();
                (
                    (c.meta.id.as_str(), c.meta.level),
                    (c.meta.topic.as_str(), c.meta.order, when.join(","), c),
                )
            })
            .collect()
    };
    let (de, en) = (shape(Language::De), shape(Language::En));
    let name = |lang: Language| {
        names
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or_else(|| lang.code().to_owned(), |(_, name)| name.clone())
    };
    // A clause may exist in one language only (projects in the other language that select it
    // fail); a clause that exists in both has the same variants in both.
    let ids = |lang: Language| -> BTreeSet<&str> {
        clauses
            .iter()
            .filter(|c| c.meta.language == lang)
            .map(|c| c.meta.id.as_str())
            .collect()
    };
    let both: BTreeSet<&str> = ids(Language::De)
        .intersection(&ids(Language::En))
        .copied()
        .collect();
    for (this, other, lang, missing) in [
        (&de, &en, Language::De, Language::En),
        (&en, &de, Language::En, Language::De),
    ] {
        for ((id, level), v) in this {
            if !both.contains(id) {
                continue;
            }
            let (level_de, file_level) = (level.name(Language::De), level.as_str());
            match other.get(&(id, *level)) {
                None => {
                    let (has, lacks, code) = (name(lang), name(missing), missing.code());
                    let (has_de, lacks_de) = (german_name(lang), german_name(missing));
                    errors.push(
                        at_field(
                            v.3,
                            "language",
                            crate::text!(
                                en: "clause \"{id}\" has a \"{level}\" variant in {has} but not in {lacks}",
                                de: "Klausel \"{id}\" hat eine Variante \"{level_de}\" auf {has_de}, aber nicht auf {lacks_de}",
                            ),
                        )
                        .hint(crate::text!(
                            en: "a clause in both languages has the same variants in both: add clauses/{code}/{id}.{level}.md with the same id, topic, level, order and when (or delete its {lacks} variants to keep the clause in {has} only)",
                            de: "eine Klausel in beiden Sprachen hat in beiden dieselben Varianten: legen Sie clauses/{code}/{id}.{file_level}.md mit denselben Werten für id, topic, level, order und when an (oder löschen Sie ihre Varianten auf {lacks_de}, um die Klausel nur auf {has_de} zu führen)",
                        )),
                    );
                }
                Some(w) if lang == Language::De && (w.0, w.1, &w.2) != (v.0, v.1, &v.2) => {
                    let field = if w.0 != v.0 {
                        "topic"
                    } else if w.1 != v.1 {
                        "order"
                    } else {
                        "when"
                    };
                    let (de, en, file) = (name(Language::De), name(Language::En), &w.3.file);
                    errors.push(at_field(
                        v.3,
                        field,
                        crate::text!(
                            en: "clause \"{id}\" ({level}) differs between {de} and {en} in `{field}`; the {en} file is {file}",
                            de: "Klausel \"{id}\" ({level_de}) unterscheidet sich zwischen Deutsch und Englisch in `{field}`; die englische Datei ist {file}",
                        ),
                    ).hint(crate::text!(
                        en: "all variants and languages of a clause use the same topic, order and when",
                        de: "alle Varianten und Sprachen einer Klausel haben dieselben Werte für topic, order und when",
                    )));
                }
                Some(_) => {}
            }
        }
    }
    errors
}

/// A warning for each clause the library has in one language only: a project in the other
/// language that calls for it fails (see `Selection::untranslated`).
pub(crate) fn one_language_clauses(
    library: &super::Library,
    text_of: &dyn Fn(&str) -> Option<String>,
) -> Vec<Diagnostic> {
    let mut languages: BTreeMap<&str, BTreeSet<Language>> = BTreeMap::new();
    for c in &library.clauses {
        languages
            .entry(c.meta.id.as_str())
            .or_default()
            .insert(c.meta.language);
    }
    let mut warned = BTreeSet::new();
    let mut warnings = Vec::new();
    for c in &library.clauses {
        let Some(only) = languages.get(c.meta.id.as_str()) else {
            continue;
        };
        if only.len() != 1 || !warned.insert(c.meta.id.as_str()) {
            continue;
        }
        let other = match c.meta.language {
            Language::De => Language::En,
            Language::En => Language::De,
        };
        let (has, lacks) = (
            &library.locale(c.meta.language).english_name,
            &library.locale(other).english_name,
        );
        let (has_de, lacks_de) = (german_name(c.meta.language), german_name(other));
        let (id, code) = (&c.meta.id, other.code());
        let text = text_of(&c.file).unwrap_or_default();
        let (location, line) = field_location(&c.file, &text, "language");
        let d = Diagnostic::warning(
            Some(location),
            crate::text!(
                en: "clause \"{id}\" is written in {has} only: an annex in {lacks} that calls for it is refused",
                de: "Klausel \"{id}\" gibt es nur auf {has_de}: eine Anlage auf {lacks_de}, die sie benötigt, wird abgelehnt",
            ),
        )
        .hint(crate::text!(
            en: "that is fine for a library used for {has} annexes only; to render {lacks} annexes with it, add its variants to clauses/{code}/",
            de: "das ist in Ordnung für eine Bibliothek, die nur für Anlagen auf {has_de} verwendet wird; um damit Anlagen auf {lacks_de} zu erstellen, legen Sie ihre Varianten in clauses/{code}/ an",
        ));
        warnings.push(match line {
            Some(line) => d.with_line_text(&line),
            None => d,
        });
    }
    warnings
}

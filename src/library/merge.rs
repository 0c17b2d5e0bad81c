//! A data file of the user's folder over the built-in one. The topic catalogue and the locales
//! merge: an entry of the user's file replaces the built-in one with the same id or key, new
//! ones are added, so that a file with one new topic or two changed labels is enough. The
//! framework catalogue and the service-level defaults replace the built-in file whole; one that
//! lacks parts of the built-in file is refused in one message that says so and how to start.

use std::collections::BTreeMap;

use super::catalogue::Topic;
use super::{LABELS, Locale};
use crate::diagnostic::{TextError, did_you_mean, toml_key_offset, toml_table_offset};
use crate::language::Localized;
use crate::project::Language;

/// The user's topics, followed by the built-in ones whose id the user's file does not name.
pub(super) fn topics(user: Vec<Topic>, builtin: Vec<Topic>) -> Vec<Topic> {
    let mut merged = user;
    let named: Vec<String> = merged.iter().map(|t| t.id.clone()).collect();
    merged.extend(builtin.into_iter().filter(|t| !named.contains(&t.id)));
    merged
}

/// A user's locale file: every part optional, laid over the built-in locale.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct LocaleOverlay {
    english_name: Option<String>,
    default_title: Option<String>,
    keywords: Option<Vec<String>>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    parameters: BTreeMap<String, String>,
    #[serde(default)]
    represented_by: BTreeMap<String, String>,
}

/// The locale of `lang` from `text`: laid over `builtin` (the text of the built-in locale) when
/// `text` is the user's, complete otherwise. A label the user's file names that annex does not
/// use but that looks like a misspelling of one it does is an error (it would be passed over).
pub(super) fn locale(
    lang: Language,
    text: &str,
    builtin: Option<&str>,
) -> Result<Locale, Vec<TextError>> {
    let mut locale = match builtin {
        None => toml::from_str::<Locale>(text).map_err(|e| vec![TextError::from(e)])?,
        Some(base) => {
            let overlay: LocaleOverlay = toml::from_str(text).map_err(|e| {
                let e = TextError::from(e);
                // A label written above any table: `[labels]` is missing.
                let label = LABELS
                    .iter()
                    .chain(&["section"])
                    .any(|l| e.message.en().contains(&format!("unknown field `{l}`")));
                vec![if label {
                    e.hint(crate::text!(
                        en: "labels go into the [labels] table: write a line `[labels]` above them",
                        de: "Beschriftungen gehören in die Tabelle [labels]: schreiben Sie eine Zeile `[labels]` darüber",
                    ))
                } else {
                    e
                }]
            })?;
            let mut locale: Locale = toml::from_str(base).map_err(|e| vec![TextError::from(e)])?;
            locale.english_name = overlay.english_name.unwrap_or(locale.english_name);
            locale.default_title = overlay.default_title.unwrap_or(locale.default_title);
            locale.keywords = overlay.keywords.unwrap_or(locale.keywords);
            let misspelt: Vec<TextError> = overlay
                .labels
                .keys()
                .filter(|k| !LABELS.contains(&k.as_str()) && k.as_str() != "section")
                .filter_map(|k| {
                    let meant = did_you_mean(k, LABELS.into_iter().chain(["section"]))?;
                    Some(
                        TextError::new(
                            crate::text!(
                                en: "annex uses no label `{k}`; it looks like a misspelling of `{meant}`",
                                de: "annex verwendet keine Beschriftung `{k}`; sie sieht nach einem Tippfehler für `{meant}` aus",
                            ),
                            toml_key_offset(text, k),
                        )
                        .hint(crate::text!(
                            en: "rename it to `{meant}` (a label of your own frame may have any name that is not close to one of annex's)",
                            de: "benennen Sie sie in `{meant}` um (eine Beschriftung Ihres eigenen Rahmens darf jeden Namen tragen, der keinem Namen von annex ähnelt)",
                        )),
                    )
                })
                .collect();
            if !misspelt.is_empty() {
                return Err(misspelt);
            }
            locale.labels.extend(overlay.labels);
            locale.parameters.extend(overlay.parameters);
            locale.represented_by.extend(overlay.represented_by);
            return Ok(named(locale, lang));
        }
    };
    // A complete locale has every label; one that is a misspelling of a missing label is
    // pointed at. Labels of the library's own (for its frame) are fine.
    let unknown: Vec<&str> = locale
        .labels
        .keys()
        .map(String::as_str)
        .filter(|k| !LABELS.contains(k))
        .collect();
    let mut errors = Vec::new();
    for label in LABELS {
        if locale.labels.contains_key(label) {
            continue;
        }
        let misspelt = unknown.iter().find(|k| did_you_mean(k, [label]).is_some());
        let is_missing = || {
            crate::text!(
                en: "label `{label}` is missing",
                de: "die Beschriftung `{label}` fehlt",
            )
        };
        let code = lang.code();
        errors.push(match misspelt {
            Some(k) => TextError::new(is_missing(), toml_key_offset(text, k)).hint(crate::text!(
                en: "`{k}` looks like a misspelling of `{label}`: rename it",
                de: "`{k}` sieht nach einem Tippfehler für `{label}` aus: benennen Sie sie um",
            )),
            None => TextError::new(is_missing(), toml_table_offset(text, "labels")).hint(
                crate::text!(
                    en: "add `{label} = \"…\"` to the [labels] table (the built-in locale/{code}.toml has every label)",
                    de: "ergänzen Sie `{label} = \"…\"` in der Tabelle [labels] (die eingebaute locale/{code}.toml enthält alle Beschriftungen)",
                ),
            ),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    locale = named(locale, lang);
    Ok(locale)
}

/// The locale with its language's code as its name if it gives none.
fn named(mut locale: Locale, lang: Language) -> Locale {
    if locale.english_name.trim().is_empty() {
        locale.english_name = lang.code().to_owned();
    }
    locale
}

/// For a user's `frameworks.toml` or `service-levels.toml` (`rel`), which replace the built-in
/// file whole: an error if the file lacks tables or entries (by id) of the built-in one, in one
/// message that lists them and says how to start. `None` if nothing is lacking, or if the text
/// does not parse (the parser then says where).
pub(super) fn lacking(rel: &str, text: &str, builtin: &str) -> Option<TextError> {
    let user: toml::Table = text.parse().ok()?;
    let base: toml::Table = builtin.parse().ok()?;
    let mut lacks: Vec<Localized> = Vec::new();
    for (key, value) in &base {
        match (value, user.get(key)) {
            (_, None) => lacks.push(Localized::verbatim(match value {
                toml::Value::Array(_) => format!("[[{key}]]"),
                _ => format!("[{key}]"),
            })),
            (toml::Value::Array(entries), Some(toml::Value::Array(theirs))) => {
                let ids = |list: &Vec<toml::Value>| -> Vec<String> {
                    list.iter()
                        .filter_map(|e| e.get("id")?.as_str().map(str::to_owned))
                        .collect()
                };
                let theirs = ids(theirs);
                let missing: Vec<String> = ids(entries)
                    .into_iter()
                    .filter(|id| !theirs.contains(id))
                    .collect();
                if !missing.is_empty() {
                    let shown: Vec<&str> = missing.iter().take(3).map(String::as_str).collect();
                    let more = if missing.len() > 3 { ", …" } else { "" };
                    let (n, shown) = (missing.len(), shown.join(", "));
                    lacks.push(if n == 1 {
                        crate::text!(
                            en: "{n} {key} entry ({shown}{more})",
                            de: "{n} Eintrag in [[{key}]] ({shown}{more})",
                        )
                    } else {
                        crate::text!(
                            en: "{n} {key} entries ({shown}{more})",
                            de: "{n} Einträge in [[{key}]] ({shown}{more})",
                        )
                    });
                }
            }
            (toml::Value::Table(_), Some(_)) | (_, Some(_)) => {}
        }
    }
    if lacks.is_empty() {
        return None;
    }
    let list = |lang: Language| {
        lacks
            .iter()
            .map(|l| l.get(lang))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (list_en, list_de) = (list(Language::En), list(Language::De));
    Some(
        TextError::new(
            crate::text!(
                en: "this {rel} replaces the built-in one whole, and it lacks {list_en}",
                de: "diese Datei {rel} ersetzt die eingebaute vollständig, und darin fehlt Folgendes: {list_de}",
            ),
            Some(0),
        )
        .hint(crate::text!(
            en: "annex does not merge {rel} with the built-in file: start from the ejected copy (`annex templates eject DIR` writes the whole file) and change what you need there",
            de: "annex führt {rel} nicht mit der eingebauten Datei zusammen: gehen Sie von der vollständigen Kopie aus (`annex templates eject ORDNER` schreibt die ganze Datei) und ändern Sie dort, was Sie brauchen",
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILTIN_DE: &str = include_str!("../../templates/locale/de.toml");

    #[test]
    fn a_locale_with_two_labels_changes_those_and_keeps_the_rest() {
        let text = "[labels]\nclient = \"Kunde\"\nprovider = \"Dienstleister\"\n";
        let locale = locale(Language::De, text, Some(BUILTIN_DE)).unwrap();
        assert_eq!(locale.labels["client"], "Kunde");
        assert_eq!(locale.labels["provider"], "Dienstleister");
        assert_eq!(locale.labels.len(), {
            let base: Locale = toml::from_str(BUILTIN_DE).unwrap();
            base.labels.len()
        });
        let e = locale_err("[labels]\nclientt = \"Kunde\"\n");
        assert_eq!(
            e,
            ["annex uses no label `clientt`; it looks like a misspelling of `client`"]
        );
        let e = super::locale(
            Language::De,
            "[labels]\nclientt = \"Kunde\"\n",
            Some(BUILTIN_DE),
        )
        .unwrap_err();
        assert_eq!(
            e[0].message.get(Language::De),
            "annex verwendet keine Beschriftung `clientt`; sie sieht nach einem Tippfehler für `client` aus"
        );
    }

    fn locale_err(text: &str) -> Vec<String> {
        locale(Language::De, text, Some(BUILTIN_DE))
            .unwrap_err()
            .into_iter()
            .map(|e| e.message.en)
            .collect()
    }

    #[test]
    fn a_partial_replacement_is_one_message() {
        let builtin = include_str!("../../templates/service-levels.toml");
        let e = lacking(
            "service-levels.toml",
            "[high]\navailability = 99.8\n",
            builtin,
        )
        .unwrap();
        assert!(
            e.message.en().starts_with("this service-levels.toml replaces the built-in one whole, and it lacks [better], [from], [governed_by], [normal], [[rule]], "),
            "{}",
            e.message
        );
        assert!(lacking("service-levels.toml", builtin, builtin).is_none());
        let frameworks = include_str!("../../templates/frameworks.toml");
        let e = lacking(
            "frameworks.toml",
            "[[framework]]\nid = \"bsi-m2253\"\n",
            frameworks,
        )
        .unwrap();
        assert!(
            e.message.en().contains(" framework entries ("),
            "{}",
            e.message
        );
        assert!(e.message.en().contains("[[item]]"), "{}", e.message);
        let de = e.message.get(Language::De);
        assert!(
            de.starts_with("diese Datei frameworks.toml ersetzt die eingebaute vollständig, und darin fehlt Folgendes: "),
            "{de}"
        );
        assert!(de.contains(" Einträge in [[framework]] ("), "{de}");
    }
}

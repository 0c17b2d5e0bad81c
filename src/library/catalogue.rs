//! The topic catalogue (`templates/topics.toml`).

use serde::Deserialize;
use toml::Spanned;

use super::front_matter::Condition;
use crate::diagnostic::TextError;
use crate::level::{Governor, Level};
use crate::project::Language;

/// One topic an annex can regulate.
#[derive(Debug, Clone)]
pub struct Topic {
    /// Stable id.
    pub id: String,
    /// German title.
    pub title_de: String,
    /// English title.
    pub title_en: String,
    /// The basic value that governs it.
    pub governed_by: Governor,
    /// The lowest level at which it belongs in an annex.
    pub from: Level,
    /// Service flags that must hold.
    pub when: Vec<Condition>,
    /// Part of every annex: cannot be excluded by a project (subject, protection requirements,
    /// security concept, service levels, signatures).
    pub mandatory: bool,
    /// Service flags that make the topic part of every annex, whatever the level.
    pub required_when: Vec<Condition>,
    /// The regulation items its clauses regulate.
    pub covers: Vec<String>,
}

/// A requirement of a regulation that an annex must regulate (e.g. OPS.2.3.A4).
#[derive(Debug, Clone)]
pub struct Item {
    /// Stable id, e.g. `OPS.2.3.A4`, `DORA-30.3.e`.
    pub id: String,
    /// The regulation: "M 2.253", "OPS.2.3", "DORA", "DSGVO".
    pub framework: String,
    /// Citation in German and English.
    pub label: Localized,
    /// Short title in German and English.
    pub title: Localized,
    /// The overall level from which the item applies.
    pub from: Level,
    /// Service flags that must hold for the item to apply.
    pub when: Vec<Condition>,
}

/// A text in both languages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    /// German.
    pub de: String,
    /// English.
    pub en: String,
}

impl Localized {
    /// The text in a language.
    pub fn get(&self, lang: Language) -> &str {
        match lang {
            Language::De => &self.de,
            Language::En => &self.en,
        }
    }
}

impl Topic {
    /// The title in a language.
    pub fn title(&self, lang: Language) -> &str {
        match lang {
            Language::De => &self.title_de,
            Language::En => &self.title_en,
        }
    }
}

/// All topics, in catalogue order, and the regulation items they cover.
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// The topics.
    pub topics: Vec<Topic>,
    /// The regulation items.
    pub items: Vec<Item>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    topic: Vec<RawTopic>,
    #[serde(default)]
    item: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: Spanned<String>,
    framework: String,
    label: Localized,
    title: Localized,
    from: Spanned<String>,
    #[serde(default)]
    when: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    id: Spanned<String>,
    title: RawTitle,
    governed_by: Governor,
    from: Spanned<String>,
    #[serde(default)]
    when: Vec<Spanned<String>>,
    #[serde(default)]
    mandatory: bool,
    #[serde(default)]
    required_when: Vec<Spanned<String>>,
    #[serde(default)]
    covers: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTitle {
    de: String,
    en: String,
}

impl Catalogue {
    /// Parses the catalogue file; an error points into the text.
    pub fn parse(text: &str) -> Result<Catalogue, TextError> {
        let raw: RawFile = toml::from_str(text)?;
        let at =
            |s: &Spanned<String>, message: String| TextError::new(message, Some(s.span().start));
        let level = |s: &Spanned<String>, what: &str, id: &str| {
            Level::parse(s.get_ref()).ok_or_else(|| {
                at(
                    s,
                    format!(
                        "{what} \"{id}\": unknown level \"{}\", expected \"normal\", \"high\" or \"very_high\"",
                        s.get_ref()
                    ),
                )
            })
        };
        let conditions = |list: &[Spanned<String>]| {
            list.iter()
                .map(|c| Condition::parse(c.get_ref()).map_err(|m| at(c, m)))
                .collect::<Result<Vec<_>, _>>()
        };
        let mut topics = Vec::new();
        let mut covers_spans = Vec::new();
        for t in raw.topic {
            let id = t.id.get_ref().clone();
            if topics.iter().any(|x: &Topic| x.id == id) {
                return Err(at(&t.id, format!("topic \"{id}\" is declared twice")));
            }
            let from = level(&t.from, "topic", &id)?;
            let when = conditions(&t.when)?;
            let required_when = conditions(&t.required_when)?;
            covers_spans.push(t.covers.clone());
            topics.push(Topic {
                id,
                title_de: t.title.de,
                title_en: t.title.en,
                governed_by: t.governed_by,
                from,
                when,
                mandatory: t.mandatory,
                required_when,
                covers: t.covers.into_iter().map(Spanned::into_inner).collect(),
            });
        }
        let mut items: Vec<Item> = Vec::new();
        for i in raw.item {
            let id = i.id.get_ref().clone();
            if items.iter().any(|x| x.id == id) {
                return Err(at(&i.id, format!("item \"{id}\" is declared twice")));
            }
            let from = level(&i.from, "item", &id)?;
            let when = conditions(&i.when)?;
            items.push(Item {
                id,
                framework: i.framework,
                label: i.label,
                title: i.title,
                from,
                when,
            });
        }
        for (t, spans) in topics.iter().zip(&covers_spans) {
            for c in spans {
                if !items.iter().any(|i| &i.id == c.get_ref()) {
                    return Err(at(
                        c,
                        format!(
                            "topic \"{}\" covers \"{}\", which is not declared as an [[item]]",
                            t.id,
                            c.get_ref()
                        ),
                    ));
                }
            }
        }
        Ok(Catalogue { topics, items })
    }

    /// A topic by id.
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    /// The topics that cover an item.
    pub fn covering(&self, item: &str) -> impl Iterator<Item = &Topic> {
        self.topics
            .iter()
            .filter(move |t| t.covers.iter().any(|c| c == item))
    }

    /// All topic ids.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.topics.iter().map(|t| t.id.as_str())
    }
}

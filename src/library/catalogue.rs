//! The topic catalogue (`templates/topics.toml`).

use serde::Deserialize;

use super::front_matter::Condition;
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
    /// Part of every annex's frame rather than a regulated topic.
    pub structural: bool,
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

/// All topics, in catalogue order.
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// The topics.
    pub topics: Vec<Topic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    topic: Vec<RawTopic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    id: String,
    title: RawTitle,
    governed_by: Governor,
    from: String,
    #[serde(default)]
    when: Vec<String>,
    #[serde(default)]
    structural: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTitle {
    de: String,
    en: String,
}

impl Catalogue {
    /// Parses the catalogue file.
    pub fn parse(text: &str) -> Result<Catalogue, String> {
        let raw: RawFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut topics = Vec::new();
        for t in raw.topic {
            if topics.iter().any(|x: &Topic| x.id == t.id) {
                return Err(format!("topic \"{}\" is declared twice", t.id));
            }
            let from = Level::parse(&t.from)
                .ok_or_else(|| format!("topic \"{}\": unknown level \"{}\"", t.id, t.from))?;
            let when = t
                .when
                .iter()
                .map(|c| Condition::parse(c))
                .collect::<Result<_, _>>()?;
            topics.push(Topic {
                id: t.id,
                title_de: t.title.de,
                title_en: t.title.en,
                governed_by: t.governed_by,
                from,
                when,
                structural: t.structural,
            });
        }
        Ok(Catalogue { topics })
    }

    /// A topic by id.
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    /// All topic ids.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.topics.iter().map(|t| t.id.as_str())
    }
}

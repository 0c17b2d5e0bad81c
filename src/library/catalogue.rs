//! The topic catalogue (`templates/topics.toml`) and the frameworks with their requirement
//! items (`templates/frameworks.toml`).

use serde::Deserialize;
use toml::Spanned;

use super::front_matter::Condition;
use crate::diagnostic::TextError;
pub use crate::language::Localized;
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
    /// Facts that make the topic part of every annex, whatever the level.
    pub required_when: Vec<Condition>,
}

/// A framework an annex can be measured against (M 2.253, DORA, the Data Act, …).
#[derive(Debug, Clone)]
pub struct Framework {
    /// Stable id, e.g. `dora`, `nis2-2024-2690`.
    pub id: String,
    /// Its name in German and English.
    pub name: Localized,
    /// Why it applies, in German and English, as the appendix prints it.
    pub basis: Localized,
    /// Facts that must hold for it to apply.
    pub when: Vec<Condition>,
}

impl Framework {
    /// The key templates use: `frameworks.<key>` (the id with "-" written "_").
    pub fn key(&self) -> String {
        self.id.replace('-', "_")
    }
}

/// A requirement of a framework that an annex must regulate (e.g. OPS.2.3.A4).
#[derive(Debug, Clone)]
pub struct Item {
    /// Stable id, e.g. `OPS.2.3.A4`, `DORA-30.3.e`.
    pub id: String,
    /// The framework's id.
    pub framework: String,
    /// Citation in German and English.
    pub label: Localized,
    /// Short title in German and English.
    pub title: Localized,
    /// The topics whose clauses regulate it.
    pub topics: Vec<String>,
    /// The level from which the item applies.
    pub from: Level,
    /// Further facts that must hold for the item to apply.
    pub when: Vec<Condition>,
    /// Values the annex must contain for the item to be met (paths in the template context).
    pub needs: Vec<String>,
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

/// All topics, in catalogue order, the frameworks and their requirement items.
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// The topics (`topics.toml`).
    pub topics: Vec<Topic>,
    /// The frameworks, in catalogue order (`frameworks.toml`).
    pub frameworks: Vec<Framework>,
    /// The requirement items, in catalogue order (`frameworks.toml`).
    pub items: Vec<Item>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopics {
    topic: Vec<RawTopic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrameworks {
    framework: Vec<RawFramework>,
    #[serde(default)]
    item: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFramework {
    id: Spanned<String>,
    name: Localized,
    basis: Localized,
    #[serde(default)]
    when: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: Spanned<String>,
    framework: Spanned<String>,
    label: Localized,
    title: Localized,
    topics: Vec<Spanned<String>>,
    from: Spanned<String>,
    #[serde(default)]
    when: Vec<Spanned<String>>,
    #[serde(default)]
    needs: Vec<Spanned<String>>,
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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTitle {
    de: String,
    en: String,
}

/// Where an error of the catalogue is: in `topics.toml` or in `frameworks.toml`.
#[derive(Debug)]
pub enum CatalogueError {
    /// In the topic file.
    Topics(TextError),
    /// In the framework file.
    Frameworks(TextError),
}

fn at(s: &Spanned<String>, message: Localized) -> TextError {
    TextError::new(message, Some(s.span().start))
}

/// What [`level`] reads the level of.
#[derive(Clone, Copy)]
enum Of {
    Topic,
    Item,
}

fn level(s: &Spanned<String>, of: Of, id: &str) -> Result<Level, TextError> {
    Level::parse(s.get_ref()).ok_or_else(|| {
        let given = s.get_ref();
        at(
            s,
            match of {
                Of::Topic => crate::text!(
                    en: "topic \"{id}\": unknown level \"{given}\", expected \"normal\", \"high\" or \"very_high\"",
                    de: "Thema \"{id}\": unbekannter Schutzbedarf \"{given}\", erwartet wird \"normal\", \"high\" oder \"very_high\"",
                ),
                Of::Item => crate::text!(
                    en: "item \"{id}\": unknown level \"{given}\", expected \"normal\", \"high\" or \"very_high\"",
                    de: "Anforderung \"{id}\": unbekannter Schutzbedarf \"{given}\", erwartet wird \"normal\", \"high\" oder \"very_high\"",
                ),
            },
        )
    })
}

/// "did you mean …?" for a close name.
fn did_you_mean(s: &str) -> Localized {
    crate::text!(en: "did you mean \"{s}\"?", de: "meinten Sie \"{s}\"?")
}

fn conditions(list: &[Spanned<String>]) -> Result<Vec<Condition>, TextError> {
    list.iter()
        .map(|c| Condition::parse(c.get_ref()).map_err(|m| at(c, m)))
        .collect()
}

impl Catalogue {
    /// Parses the topic file and the framework file; an error points into the text of one. The
    /// topics of a user's file are merged over `base_topics` (the built-in file), if given.
    pub fn parse(
        topics: &str,
        base_topics: Option<&str>,
        frameworks: &str,
    ) -> Result<Catalogue, CatalogueError> {
        let mut topics = parse_topics(topics).map_err(CatalogueError::Topics)?;
        if let Some(base) = base_topics {
            let base = parse_topics(base).map_err(CatalogueError::Topics)?;
            topics = super::merge::topics(topics, base);
        }
        let (frameworks, items) =
            parse_frameworks(frameworks, &topics).map_err(CatalogueError::Frameworks)?;
        Ok(Catalogue {
            topics,
            frameworks,
            items,
        })
    }

    /// A framework by id.
    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.id == id)
    }

    /// A topic by id.
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    /// The topics that regulate an item.
    pub fn covering<'a>(&'a self, item: &'a Item) -> impl Iterator<Item = &'a Topic> {
        item.topics.iter().filter_map(|id| self.topic(id))
    }

    /// All topic ids.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.topics.iter().map(|t| t.id.as_str())
    }
}

pub(crate) fn parse_topics(text: &str) -> Result<Vec<Topic>, TextError> {
    let raw: RawTopics = toml::from_str(text)?;
    let mut topics: Vec<Topic> = Vec::new();
    for t in raw.topic {
        let id = t.id.get_ref().clone();
        if topics.iter().any(|x| x.id == id) {
            return Err(at(
                &t.id,
                crate::text!(
                    en: "topic \"{id}\" is declared twice",
                    de: "Thema \"{id}\" ist zweimal aufgeführt",
                ),
            ));
        }
        topics.push(Topic {
            from: level(&t.from, Of::Topic, &id)?,
            when: conditions(&t.when)?,
            required_when: conditions(&t.required_when)?,
            id,
            title_de: t.title.de,
            title_en: t.title.en,
            governed_by: t.governed_by,
            mandatory: t.mandatory,
        });
    }
    Ok(topics)
}

fn parse_frameworks(
    text: &str,
    topics: &[Topic],
) -> Result<(Vec<Framework>, Vec<Item>), TextError> {
    let raw: RawFrameworks = toml::from_str(text)?;
    let mut frameworks: Vec<Framework> = Vec::new();
    for f in raw.framework {
        let id = f.id.get_ref().clone();
        if frameworks.iter().any(|x| x.id == id) {
            return Err(at(
                &f.id,
                crate::text!(
                    en: "framework \"{id}\" is declared twice",
                    de: "Regelwerk \"{id}\" ist zweimal aufgeführt",
                ),
            ));
        }
        frameworks.push(Framework {
            id,
            name: f.name,
            basis: f.basis,
            when: conditions(&f.when)?,
        });
    }
    let mut items: Vec<Item> = Vec::new();
    for i in raw.item {
        let id = i.id.get_ref().clone();
        if items.iter().any(|x| x.id == id) {
            return Err(at(
                &i.id,
                crate::text!(
                    en: "item \"{id}\" is declared twice",
                    de: "Anforderung \"{id}\" ist zweimal aufgeführt",
                ),
            ));
        }
        if !frameworks.iter().any(|f| &f.id == i.framework.get_ref()) {
            let known: Vec<&str> = frameworks.iter().map(|f| f.id.as_str()).collect();
            let given = i.framework.get_ref();
            let mut e = at(
                &i.framework,
                crate::text!(
                    en: "item \"{id}\": unknown framework \"{given}\"",
                    de: "Anforderung \"{id}\": unbekanntes Regelwerk \"{given}\"",
                ),
            );
            if let Some(s) = crate::diagnostic::did_you_mean(given, known.iter().copied()) {
                e = e.hint(did_you_mean(s));
            }
            let known = known.join(", ");
            return Err(e.hint(crate::text!(
                en: "the frameworks are: {known}",
                de: "die Regelwerke sind: {known}",
            )));
        }
        if i.topics.is_empty() {
            return Err(at(
                &i.id,
                crate::text!(
                    en: "item \"{id}\" names no topic in `topics`",
                    de: "Anforderung \"{id}\" nennt kein Thema in `topics`",
                ),
            )
            .hint(crate::text!(
                en: "list the topics whose clauses regulate the item",
                de: "führen Sie die Themen auf, deren Klauseln die Anforderung regeln",
            )));
        }
        for t in &i.topics {
            if !topics.iter().any(|x| &x.id == t.get_ref()) {
                let given = t.get_ref();
                let mut e = at(
                    t,
                    crate::text!(
                        en: "item \"{id}\": unknown topic \"{given}\"",
                        de: "Anforderung \"{id}\": unbekanntes Thema \"{given}\"",
                    ),
                );
                if let Some(s) =
                    crate::diagnostic::did_you_mean(given, topics.iter().map(|x| x.id.as_str()))
                {
                    e = e.hint(did_you_mean(s));
                }
                return Err(e.hint(crate::text!(
                    en: "topics are declared in topics.toml",
                    de: "Themen werden in topics.toml festgelegt",
                )));
            }
        }
        for n in &i.needs {
            let path = n.get_ref();
            let root = path.split('.').next().unwrap_or_default();
            if !NEED_ROOTS.contains(&root) || path.split('.').any(str::is_empty) {
                let roots = NEED_ROOTS.join(", ");
                return Err(at(
                    n,
                    crate::text!(
                        en: "item \"{id}\": `needs` entry \"{path}\" is not a value of a project",
                        de: "Anforderung \"{id}\": der Eintrag \"{path}\" in `needs` ist kein Wert eines Projekts",
                    ),
                )
                .hint(crate::text!(
                    en: "write the path of a project value as templates use it, below one of: {roots}",
                    de: "geben Sie den Pfad eines Projektwerts so an, wie Vorlagen ihn verwenden, unterhalb eines dieser Bereiche: {roots}",
                )));
            }
        }
        items.push(Item {
            from: level(&i.from, Of::Item, &id)?,
            when: conditions(&i.when)?,
            framework: i.framework.into_inner(),
            label: i.label,
            title: i.title,
            topics: i.topics.into_iter().map(Spanned::into_inner).collect(),
            needs: i.needs.into_iter().map(Spanned::into_inner).collect(),
            id,
        });
    }
    Ok((frameworks, items))
}

/// The groups of the template context that an item's `needs` may name.
pub const NEED_ROOTS: [&str; 7] = [
    "client",
    "provider",
    "service",
    "service_levels",
    "security_concept",
    "term",
    "subcontractors",
];

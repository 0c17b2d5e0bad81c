//! The two languages of an annex, and texts given in both.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The language of an annex.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    Serialize,
    JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// German.
    #[default]
    De,
    /// English.
    En,
}

impl Language {
    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Language::De => "de",
            Language::En => "en",
        }
    }

    /// Parses an ISO 639-1 code.
    pub fn parse(s: &str) -> Option<Language> {
        match s {
            "de" => Some(Language::De),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// A text in both languages: a clause title of the library, or a message of annex itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    /// German.
    pub de: String,
    /// English.
    pub en: String,
}

impl Localized {
    /// A text given in English and German (see [`crate::text!`], which builds both with
    /// `format!`).
    pub fn new(en: impl Into<String>, de: impl Into<String>) -> Localized {
        Localized {
            de: de.into(),
            en: en.into(),
        }
    }

    /// A text that reads the same in both languages because it is not ours to translate: the
    /// words of another program (an error of the operating system, of typst, of a parser) or a
    /// quotation of the user's input.
    pub fn verbatim(text: impl Into<String>) -> Localized {
        let text = text.into();
        Localized {
            de: text.clone(),
            en: text,
        }
    }

    /// The text built for each language by `f`: for a message put together of parts that are
    /// localized themselves.
    pub fn each(f: impl Fn(Language) -> String) -> Localized {
        Localized {
            de: f(Language::De),
            en: f(Language::En),
        }
    }

    /// The text in a language.
    pub fn get(&self, lang: Language) -> &str {
        match lang {
            Language::De => &self.de,
            Language::En => &self.en,
        }
    }

    /// The English text: what annex's own code compares and sorts by.
    pub fn en(&self) -> &str {
        &self.en
    }

    /// Appends a text to both languages.
    pub fn push(&mut self, more: &Localized) {
        self.de.push_str(&more.de);
        self.en.push_str(&more.en);
    }
}

/// The English text, annex's source language: for logs, panics and tests.
impl std::fmt::Display for Localized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

/// `n` and the noun for it: "1 warning", "2 warnings"; "1 Warnung", "2 Warnungen" (both
/// languages have one form for one and one for all other numbers).
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The language annex's messages are printed in: the `lang` of `annex.toml` if it sets one,
/// else the language of the project a message is about, else English.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Messages {
    /// The language `annex.toml` sets for every message.
    pub configured: Option<Language>,
}

impl Messages {
    /// The language of messages about a project in `project` (its `annex.language`, if known).
    pub fn for_project(self, project: Option<Language>) -> Language {
        self.configured.or(project).unwrap_or(Language::En)
    }

    /// The language of messages about several projects (a batch's summary): the language they
    /// all share, if they do and `annex.toml` sets none; else [`Messages::general`].
    pub fn for_projects(self, projects: impl IntoIterator<Item = Option<Language>>) -> Language {
        let mut projects = projects.into_iter();
        let Some(Some(first)) = projects.next() else {
            return self.general();
        };
        if projects.all(|lang| lang == Some(first)) {
            self.for_project(Some(first))
        } else {
            self.general()
        }
    }

    /// The language of messages about no project in particular (the template library, the
    /// command line, a batch's summary).
    pub fn general(self) -> Language {
        self.configured.unwrap_or(Language::En)
    }
}

/// A message of annex in English and German, each written with `format!` syntax; the
/// arguments are the names in braces (`{file}`), which must be in scope (use
/// [`Localized::new`] with two `format!` calls where an argument is an expression):
///
/// ```
/// let file = "haftung.md";
/// let text = annex::text!(en: "{file} is empty", de: "{file} ist leer");
/// assert_eq!(text.get(annex::language::Language::De), "haftung.md ist leer");
/// ```
///
/// Every message a user reads is written this way, so that a message without its German
/// wording does not compile.
#[macro_export]
macro_rules! text {
    (en: $en:literal, de: $de:literal $(,)?) => {
        $crate::language::Localized::new(format!($en), format!($de))
    };
}

// ---------------------------------------------------------------------------------------------
// The wording of the errors raised while deserialising. serde carries an error as a string
// only, so a type that rejects a value gives serde the English and keeps both languages here,
// where the message of the project file (`project::load`) finds them again by the English.

thread_local! {
    /// The last errors raised by [`custom_error`] on this thread, newest last.
    static WORDINGS: std::cell::RefCell<std::collections::VecDeque<Localized>> =
        const { std::cell::RefCell::new(std::collections::VecDeque::new()) };
}

/// How many of the last wordings are kept: a message is worded right after its error is
/// raised, so a few suffice.
const WORDINGS_KEPT: usize = 16;

/// A serde error whose text is the English of `text`; both languages are kept for
/// [`custom_wording`].
pub fn custom_error<E: serde::de::Error>(text: Localized) -> E {
    let error = E::custom(text.en());
    WORDINGS.with(|kept| {
        let mut kept = kept.borrow_mut();
        if kept.len() >= WORDINGS_KEPT {
            kept.pop_front();
        }
        kept.push_back(text);
    });
    error
}

/// Both languages of an error raised by [`custom_error`] on this thread, found by its English.
pub fn custom_wording(en: &str) -> Option<Localized> {
    WORDINGS.with(|kept| kept.borrow().iter().rev().find(|t| t.en() == en).cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_follow_the_setting_then_the_projects() {
        let free = Messages::default();
        assert_eq!(free.for_project(Some(Language::De)), Language::De);
        assert_eq!(free.for_project(None), Language::En);
        assert_eq!(
            free.for_projects([Some(Language::De), Some(Language::De)]),
            Language::De
        );
        assert_eq!(
            free.for_projects([Some(Language::De), Some(Language::En)]),
            Language::En
        );
        assert_eq!(free.for_projects([Some(Language::De), None]), Language::En);
        assert_eq!(free.for_projects([]), Language::En);
        let german = Messages {
            configured: Some(Language::De),
        };
        assert_eq!(german.for_project(Some(Language::En)), Language::De);
        assert_eq!(german.for_projects([Some(Language::En)]), Language::De);
        assert_eq!(german.general(), Language::De);
    }
}

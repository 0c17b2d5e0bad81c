//! The title block of an annex: one set of data that both writers show. The Markdown title
//! block (`markdown/title.md`) reads it as `title_block`, the PDF frame (`typst/frame.typ`)
//! from `annex.json`.

use serde::Serialize;

use crate::library::Library;
use crate::project::{Project, Text};

/// What the title block of an annex says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TitleBlock {
    /// The annex id.
    pub id: String,
    /// The number line ("Anlage 4"); `None` when there is no number or the title takes it.
    pub number: Option<String>,
    /// The title ("Service Level Annex B" when it takes the number).
    pub title: String,
    /// The main contract the annex belongs to.
    pub main_contract: String,
    /// The date, as the annex prints it ("20. November 2026").
    pub date: String,
    /// The annex version ("1.0" unless the project gives one).
    pub version: String,
    /// The client.
    pub client: TitleParty,
    /// The provider.
    pub provider: TitleParty,
}

/// A party as the title block shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TitleParty {
    /// The name.
    pub name: String,
    /// The lines of the address, trimmed, without empty ones.
    pub address: Vec<String>,
    /// Who represents the party, as it reads after "vertreten durch" / "represented by".
    pub representative: Option<String>,
}

impl TitleBlock {
    /// The title block of a project's annex.
    pub fn new(library: &Library, project: &Project) -> TitleBlock {
        let a = &project.annex;
        let (number, title) = heading(project, library);
        let party = |name: &Text, address: &Text, representative: &Option<Text>| TitleParty {
            name: name.as_str().to_owned(),
            address: address
                .as_str()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            representative: representative
                .as_ref()
                .map(|r| library.represented_by(a.language, r.as_str())),
        };
        TitleBlock {
            id: a.id.as_str().to_owned(),
            number,
            title,
            main_contract: a.main_contract.as_str().to_owned(),
            date: super::format::date(a.date, a.language),
            version: annex_version(project),
            client: party(
                &project.client.name,
                &project.client.address,
                &project.client.representative,
            ),
            provider: party(
                &project.provider.name,
                &project.provider.address,
                &project.provider.representative,
            ),
        }
    }
}

/// The number line and the title of the annex. A title that already starts or ends with the
/// word of the number ("Anlage zur Informationssicherheit", "Service Level Annex") takes the
/// number into itself ("Anlage 1 zur Informationssicherheit", "Service Level Annex B") rather
/// than repeat the word above it.
fn heading(project: &Project, library: &Library) -> (Option<String>, String) {
    let title = default_title(project, library);
    let Some(number) = display_number(project, library) else {
        return (None, title);
    };
    let label = library
        .locale(project.annex.language)
        .labels
        .get("annex")
        .map_or("", String::as_str);
    // `display_number` writes the label first, or keeps the project's own number when that
    // starts with the label in any case ("anlage 3").
    let bare = number
        .split_once(char::is_whitespace)
        .filter(|(word, _)| !label.is_empty() && word.eq_ignore_ascii_case(label))
        .map(|(_, rest)| rest.trim())
        .filter(|n| !n.is_empty());
    let Some(bare) = bare else {
        return (Some(number), title);
    };
    let is_label = |word: &str| word.eq_ignore_ascii_case(label);
    let trimmed = title.trim();
    let last = trimmed.rsplit([' ', '-']).next().unwrap_or("");
    let first = trimmed.split([' ', '-']).next().unwrap_or("");
    if is_label(last) {
        (None, format!("{trimmed} {bare}"))
    } else if is_label(first) && trimmed.len() > first.len() {
        (None, format!("{first} {bare}{}", &trimmed[first.len()..]))
    } else {
        (Some(number), title)
    }
}

fn default_title(project: &Project, library: &Library) -> String {
    project.annex.title.as_ref().map_or_else(
        || library.locale(project.annex.language).default_title.clone(),
        |t| t.0.clone(),
    )
}

/// The annex version printed in the document ("1.0" unless the project gives one).
fn annex_version(project: &Project) -> String {
    project
        .annex
        .version
        .as_ref()
        .map_or_else(|| "1.0".to_string(), |v| v.0.clone())
}

/// The annex number as the annex shows it: the project's number with the locale's word for
/// "annex" in front, unless it starts with that word already.
fn display_number(project: &Project, library: &Library) -> Option<String> {
    // Every locale has the label (checked when the library loads).
    let locale = library.locale(project.annex.language);
    let label = locale.labels.get("annex").map_or("", String::as_str);
    project.annex.number.as_ref().map(|n| {
        let n = n.as_str().trim();
        let starts_with_label = n
            .split_whitespace()
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case(label));
        if starts_with_label {
            n.to_string()
        } else {
            format!("{label} {n}")
        }
    })
}

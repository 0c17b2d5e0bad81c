//! The data clause templates and the PDF frame see.

use serde_json::{Value, json};

use crate::level::Level;
use crate::library::{Clause, Library};
use crate::project::{Project, Text};
use crate::select::Selection;
use crate::service_levels::Resolved;

/// The context shared by all clauses of one annex (`draft`: whether a draft is rendered).
pub fn base(
    library: &Library,
    project: &Project,
    resolved: &Resolved,
    selection: &Selection<'_>,
    draft: bool,
) -> Value {
    let a = &project.annex;
    let (number, title) = heading(project, library);
    let locale = library.locale(a.language);
    let p = &project.protection;
    let regimes = crate::regime::regimes(&library.catalogue, project);
    let frameworks: serde_json::Map<String, Value> = regimes
        .iter()
        .map(|r| (r.framework.key(), Value::Bool(r.applies())))
        .collect();
    let facts: serde_json::Map<String, Value> = crate::project::fact_names()
        .map(|f| (f.to_owned(), Value::Bool(project.fact(f).unwrap_or(false))))
        .collect();
    let mut service = json!(project.service);
    if let Some(object) = service.as_object_mut() {
        let names: Vec<&str> = project
            .service
            .special_categories
            .iter()
            .map(|c| c.name(a.language))
            .collect();
        object.insert("special_category_names".to_owned(), json!(names));
        // An empty list of data subjects or data types is a missing value: a clause that
        // needs it gets a placeholder in a draft and an error in a final annex.
        // (`null` is what the renderer takes out of the context as a value the project does
        // not give.)
        for key in ["data_subjects", "data_categories"] {
            if let Some(list) = object.get_mut(key)
                && list.as_array().is_some_and(Vec::is_empty)
            {
                *list = Value::Null;
            }
        }
    }
    let with_article = |party: Value, representative: &Option<Text>| {
        let mut party = party;
        if let (Some(object), Some(r)) = (party.as_object_mut(), representative) {
            object.insert(
                "represented_by".to_owned(),
                json!(library.represented_by(a.language, r.as_str())),
            );
        }
        party
    };
    let client = with_article(json!(project.client), &project.client.representative);
    let provider = with_article(json!(project.provider), &project.provider.representative);
    json!({
        "annex": {
            "id": a.id,
            "date": a.date,
            "main_contract": a.main_contract,
            "language": a.language.code(),
            "number": number,
            "title": title,
            "version": annex_version(project),
        },
        "client": client,
        "provider": provider,
        "service": service,
        "frameworks": frameworks,
        "facts": facts,
        "term": resolved.term,
        "switching": resolved.switching,
        // The flag rules the figures break, by id (`flags["mtpd-within-monthly-budget"]`).
        "flags": resolved.flags.iter().map(|id| (id.clone(), Value::Bool(true))).collect::<serde_json::Map<String, Value>>(),
        "deviations": deviations(library, project, resolved),
        // Per figure that can fall short, whether the client accepted that it does:
        // `accepted["service_levels.site_distance_km"]`, so that a clause can say so.
        "accepted": accepted(library, resolved),
        "liability": project.liability,
        "protection": {
            "confidentiality": p.confidentiality,
            "integrity": p.integrity,
            "availability": p.availability,
            "overall": p.overall(),
            "rationale": p.rationale,
        },
        "service_levels": resolved.service_levels,
        "security_concept": resolved.security_concept,
        "subcontractors": project.subcontractors,
        "variables": project.variables,
        "sections": selection.section_refs(library.section_sign(a.language)),
        // The requirement items a draft leaves open (filled in by the renderer from the
        // coverage matrix, which needs this context first).
        "open_points": [],
        "labels": locale.labels,
        "draft": draft,
    })
}

/// A figure's name in the annex language, from the locale's `[parameters]` (keyed without the
/// `service_levels.` prefix); its project path where the locale has none.
fn parameter_name(names: &std::collections::BTreeMap<String, String>, field: &str) -> String {
    let key = field.strip_prefix("service_levels.").unwrap_or(field);
    names.get(key).cloned().unwrap_or_else(|| field.to_owned())
}

/// Every figure that can fall short of its default, `true` where the client accepted that it
/// does.
fn accepted(library: &Library, resolved: &Resolved) -> Value {
    let mut map: serde_json::Map<String, Value> = library
        .defaults
        .deviable_fields()
        .into_iter()
        .map(|f| (f, Value::Bool(false)))
        .collect();
    for d in &resolved.deviations.accepted {
        map.insert(d.field.clone(), Value::Bool(true));
    }
    Value::Object(map)
}

/// The accepted deviations as the protection-requirement clause prints them: each with the
/// figure's name in the annex language.
fn deviations(library: &Library, project: &Project, resolved: &Resolved) -> Value {
    let names = &library.locale(project.annex.language).parameters;
    let list: Vec<Value> = resolved
        .deviations
        .accepted
        .iter()
        .map(|d| {
            json!({
                "field": d.field,
                "name": parameter_name(names, &d.field),
                "value": figure(&d.value, project.annex.language),
                "default": figure(&d.default, project.annex.language),
                "reason": d.reason,
                "accepted_by": d.accepted_by,
            })
        })
        .collect();
    Value::Array(list)
}

/// What a draft lists on its first page: the requirements it leaves open (with the values
/// they lack) and the weaker figures the parties have not accepted yet.
pub fn open_points(
    library: &Library,
    project: &Project,
    resolved: &Resolved,
    coverage: &crate::coverage::Coverage,
) -> Value {
    let lang = project.annex.language;
    let locale = library.locale(lang);
    let mut points = match coverage.open_points() {
        Value::Array(points) => points,
        _ => Vec::new(),
    };
    for w in &resolved.deviations.pending {
        let name = parameter_name(&locale.parameters, &w.field);
        let value = figure(&w.value, lang);
        let default = figure(&w.default, lang);
        let title = locale
            .labels
            .get("deviation_pending")
            .map_or("{value} / {default}", String::as_str)
            .replace("{value}", value.as_str().unwrap_or_default())
            .replace("{default}", default.as_str().unwrap_or_default());
        points.push(json!({ "label": name, "title": title, "missing": [w.field] }));
    }
    Value::Array(points)
}

/// A figure as the annex prints it: a number in the annex language's notation, a yes/no
/// setting in words.
fn figure(value: &str, lang: crate::project::Language) -> Value {
    use crate::project::Language::{De, En};
    match (value, lang) {
        ("true", De) => json!("erforderlich"),
        ("true", En) => json!("required"),
        ("false", De) => json!("nicht erforderlich"),
        ("false", En) => json!("not required"),
        _ => value
            .parse::<f64>()
            .map_or_else(|_| json!(value), |x| json!(super::format::number(x, lang))),
    }
}

/// The variables only a clause sees, on top of [`base`]: `clause` (its id, section number,
/// variant level and basic value) and `level` (the level that governs it in this annex).
pub fn clause_scope(clause: &Clause, number: usize, level: Level) -> [(&'static str, Value); 2] {
    let m = &clause.meta;
    [
        (
            "clause",
            json!({
                "id": m.id,
                "number": number.to_string(),
                "level": m.level,
                "governed_by": m.governed_by,
            }),
        ),
        ("level", json!(level.as_str())),
    ]
}

/// The number line and the title of the annex. A title that already starts or ends with the
/// word of the number ("Anlage zur Informationssicherheit", "Service Level Annex") takes the
/// number into itself ("Anlage 1 zur Informationssicherheit", "Service Level Annex B") rather
/// than repeat the word above it.
fn heading(project: &Project, library: &Library) -> (Option<String>, String) {
    let title = title(project, library);
    let Some(number) = super::display_number(project, library) else {
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

fn title(project: &Project, library: &Library) -> String {
    project.annex.title.as_ref().map_or_else(
        || library.locale(project.annex.language).default_title.clone(),
        |t| t.0.clone(),
    )
}

/// The annex version printed in the document ("1.0" unless the project gives one).
pub fn annex_version(project: &Project) -> String {
    project
        .annex
        .version
        .as_ref()
        .map_or_else(|| "1.0".to_string(), |v| v.0.clone())
}

fn party(
    library: &Library,
    project: &Project,
    name: &Text,
    address: &Text,
    representative: &Option<Text>,
) -> Value {
    json!({
        "name": name,
        "address": address.as_str().lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>(),
        "representative": representative
            .as_ref()
            .map(|r| library.represented_by(project.annex.language, r.as_str())),
    })
}

/// A file to embed in the PDF.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Attachment {
    /// File name shown by PDF readers.
    pub name: String,
    /// The text of the file.
    pub content: String,
    /// What it is, in the annex language.
    pub description: String,
    /// PDF/A-3 relationship: "source" or "supplement".
    pub relationship: &'static str,
}

/// The JSON the Typst frame reads (`annex.json`): data only, never source.
pub fn document_data(
    library: &Library,
    project: &Project,
    draft: bool,
    attachments: &[Attachment],
) -> Value {
    let a = &project.annex;
    let (number, title) = heading(project, library);
    let locale = library.locale(a.language);
    let mut data = json!({
        "lang": a.language.code(),
        "draft": draft,
        "id": a.id,
        "number": number,
        "title": title,
        "main_contract": a.main_contract,
        "date": super::format::date(a.date, a.language),
        "version": annex_version(project),
        "client": party(library, project, &project.client.name, &project.client.address, &project.client.representative),
        "provider": party(library, project, &project.provider.name, &project.provider.address, &project.provider.representative),
        "keywords": locale.keywords,
        "labels": locale.labels,
    });
    // No project text may carry the characters annex reserves for placeholders (the PDF fonts
    // cannot show them either); the attached files stay byte for byte what they are.
    super::draft::sanitize_strings(&mut data);
    if let Some(object) = data.as_object_mut() {
        object.insert("attachments".to_owned(), json!(attachments));
    }
    data
}

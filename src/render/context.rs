//! The data clause templates and the PDF frame see.

use serde_json::{Value, json};

use super::title::TitleBlock;
use crate::level::Level;
use crate::library::{Clause, Library};
use crate::project::{Project, Text};
use crate::select::Selection;
use crate::service_levels::Resolved;

/// The context shared by all clauses of one annex (`draft`: whether a draft is rendered).
pub fn base(
    library: &Library,
    project: &Project,
    title: &TitleBlock,
    resolved: &Resolved,
    selection: &Selection<'_>,
    draft: bool,
) -> Value {
    let a = &project.annex;
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
            "number": title.number,
            "title": title.title,
            "version": title.version,
        },
        // What the title block shows (the PDF frame reads the same, see `document_data`).
        "title_block": title,
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
    /// Its media type ("application/json", "text/csv").
    pub mime: &'static str,
}

/// The JSON the Typst frame reads (`annex.json`): data only, never source. The title block is
/// the one the Markdown shows.
pub fn document_data(
    library: &Library,
    project: &Project,
    title: &TitleBlock,
    draft: bool,
    attachments: &[Attachment],
) -> Value {
    let a = &project.annex;
    let locale = library.locale(a.language);
    let mut data = json!({
        "lang": a.language.code(),
        "draft": draft,
        "id": title.id,
        "number": title.number,
        "title": title.title,
        "main_contract": title.main_contract,
        "date": title.date,
        "version": title.version,
        "client": title.client,
        "provider": title.provider,
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

//! The reference tables of the authoring guide (templates/README.md), generated from the code:
//! every filter run on example values in each language, and every variable of a clause's
//! context with its type and an example value. A test compares the guide's marked blocks with
//! these tables, so the guide cannot drift from what the renderer does.

use serde_json::{Value, json};

use crate::project::Language;

/// A filter applied to an example value: `{{ value | filter(args) }}`.
struct Example {
    filter: &'static str,
    /// The value, as JSON.
    value: &'static str,
    /// The arguments in parentheses, if any.
    args: &'static str,
}

const fn ex(filter: &'static str, value: &'static str) -> Example {
    Example {
        filter,
        value,
        args: "",
    }
}

/// Every filter of [`crate::render::FILTERS`] with the examples the guide shows.
const EXAMPLES: [Example; 29] = [
    ex("fmt_date", r#""2026-11-20""#),
    ex("number", "40000"),
    ex("number", "2400"),
    ex("number", "99.95"),
    ex("percent", "99.95"),
    ex("hours", "4"),
    ex("hours", "1"),
    ex("hours", "0.25"),
    ex("hours", "1.5"),
    ex("minutes", "15"),
    ex("minutes", "90"),
    ex("minutes", "120"),
    ex("days", "30"),
    ex("days", "1"),
    Example {
        filter: "days",
        value: "30",
        args: r#"case="dat""#,
    },
    ex("months", "12"),
    ex("months", "1"),
    Example {
        filter: "months",
        value: "12",
        args: r#"case="dat""#,
    },
    ex("join_and", r#"["Berlin", "Hamburg", "Köln"]"#),
    ex("join_and", r#"["Berlin"]"#),
    ex("level_name", r#""normal""#),
    ex("level_name", r#""high""#),
    ex("level_name", r#""very_high""#),
    ex("value_name", r#""confidentiality""#),
    ex("value_name", r#""integrity""#),
    ex("value_name", r#""availability""#),
    ex("value_name", r#""overall""#),
    ex("address", r#""Marktstraße 3\n88888 Beispieltal\nGermany""#),
    ex("address", r#""Marktstraße 3""#),
];

/// The filter table in `lang`: filter, value, what the filter makes of it.
pub fn filter_table(lang: Language) -> Result<String, String> {
    let (head, rule) = match lang {
        Language::De => ("| Ausdruck | Ergebnis |", "|---|---|"),
        Language::En => ("| Expression | Result |", "|---|---|"),
    };
    let mut out = format!("{head}\n{rule}\n");
    let mut tera = crate::render::engine();
    for e in &EXAMPLES {
        let call = if e.args.is_empty() {
            e.filter.to_owned()
        } else {
            format!("{}({})", e.filter, e.args)
        };
        let value: Value = serde_json::from_str(e.value).map_err(|x| x.to_string())?;
        let template = format!("{{{{ value | {call} }}}}");
        tera.add_raw_template("example.md", &template)
            .map_err(|x| format!("{call}: {x}"))?;
        let context = tera::Context::from_serialize(&json!({
            "value": value,
            "annex": { "language": lang.code() },
        }))
        .map_err(|x| x.to_string())?;
        let result = tera
            .render("example.md", &context)
            .map_err(|x| format!("{call}: {x}"))?;
        let shown_value = e.value.replace("\\n", "⏎");
        out.push_str(&format!(
            "| `{shown_value} \\| {call}` | {} |\n",
            cell(&result)
        ));
    }
    Ok(out)
}

/// The variable table in `lang` for a clause context (as built by [`crate::render::context`]): every
/// path down to the values, its type and the example's value. Lists show their first element;
/// `labels`, `sections` and `variables` one line each.
pub fn variable_table(context: &Value, lang: Language) -> String {
    let head = match lang {
        Language::De => "| Variable | Art | Beispiel |\n|---|---|---|\n",
        Language::En => "| Variable | Kind | Example |\n|---|---|---|\n",
    };
    let mut out = head.to_owned();
    let mut rows = Vec::new();
    if let Value::Object(map) = context {
        for (name, value) in map {
            match name.as_str() {
                "labels" | "variables" => rows.push((format!("{name}.…"), value, true)),
                "sections" => rows.push(("sections[\"…\"]".to_owned(), value, true)),
                _ => walk(name, value, &mut rows),
            }
        }
    }
    for (path, value, collapsed) in rows {
        let (kind, example) = if collapsed {
            let n = value.as_object().map_or(0, serde_json::Map::len);
            (
                kind_name(&json!({}), lang).to_owned(),
                match lang {
                    Language::De => format!("{n} Einträge"),
                    Language::En => format!("{n} entries"),
                },
            )
        } else {
            (kind_name(value, lang).to_owned(), example(value))
        };
        out.push_str(&format!("| `{path}` | {kind} | {} |\n", cell(&example)));
    }
    out
}

fn walk<'a>(path: &str, value: &'a Value, rows: &mut Vec<(String, &'a Value, bool)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                walk(&format!("{path}.{k}"), v, rows);
            }
        }
        Value::Array(items) if items.first().is_some_and(Value::is_object) => {
            rows.push((path.to_owned(), value, false));
            if let Some(first) = items.first() {
                walk(&format!("{path}[…]"), first, rows);
            }
        }
        _ => rows.push((path.to_owned(), value, false)),
    }
}

fn kind_name(value: &Value, lang: Language) -> &'static str {
    let de = lang == Language::De;
    match value {
        Value::String(_) => "Text",
        Value::Number(_) if de => "Zahl",
        Value::Number(_) => "number",
        Value::Bool(_) if de => "Wahrheitswert",
        Value::Bool(_) => "true/false",
        Value::Array(_) if de => "Liste",
        Value::Array(_) => "list",
        Value::Object(_) if de => "Zuordnung",
        Value::Object(_) => "map",
        Value::Null if de => "fehlt",
        Value::Null => "missing",
    }
}

fn example(value: &Value) -> String {
    match value {
        Value::String(s) => format!("„{}“", s.replace('\n', " ⏎ ")),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            let shown: Vec<String> = items.iter().take(3).map(example).collect();
            let more = if items.len() > 3 { ", …" } else { "" };
            format!("[{}{more}]", shown.join(", "))
        }
        Value::Array(items) => format!("[{} × …]", items.len()),
        Value::Null => "—".to_owned(),
        other => other.to_string(),
    }
}

/// A table cell: at most 60 characters, `|` escaped.
fn cell(text: &str) -> String {
    let mut s: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        s.push('…');
    }
    s.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_filter_has_an_example_and_every_example_a_filter() {
        for f in crate::render::FILTERS {
            assert!(EXAMPLES.iter().any(|e| e.filter == f), "{f} has no example");
        }
        for e in &EXAMPLES {
            assert!(crate::render::FILTERS.contains(&e.filter), "{}", e.filter);
        }
    }

    #[test]
    fn the_filter_table_shows_what_the_filters_do() {
        let de = filter_table(Language::De).unwrap();
        assert!(de.contains("| `40000 \\| number` | 40.000 |"), "{de}");
        assert!(
            de.contains("| `30 \\| days(case=\"dat\")` | 30\u{a0}Tagen |"),
            "{de}"
        );
        let en = filter_table(Language::En).unwrap();
        assert!(en.contains("| `40000 \\| number` | 40,000 |"), "{en}");
    }
}

//! Tera's three filters whose result can be many times larger than their input (`replace`,
//! `join`, `indent`), as Tera 2.4 writes them, but refusing a result of more than
//! [`MAX_VALUE_BYTES`] before it is built: a chain of five `replace` once built 2 GB in one
//! expression, where no meter between two steps could see it.

use std::borrow::Cow;

use tera::{Kwargs, State, StringInput, Tera, TeraResult, Value};

use super::budget::{MAX_VALUE_BYTES, STOPPED};
use super::tera_words::tera_error;
use crate::text;

/// Registers the bounded filters in place of Tera's.
pub(super) fn register(tera: &mut Tera) {
    tera.register_filter("replace", replace);
    tera.register_filter("join", join);
    tera.register_filter("indent", indent);
}

/// The error for a result that would be too large.
fn too_large(filter: &str, bytes: usize) -> tera::Error {
    let mib = MAX_VALUE_BYTES >> 20;
    tera_error(text!(
        en: "{STOPPED}: `{filter}` would make a text of {bytes} bytes, more than {mib} MiB",
        de: "die Vorlage wurde angehalten: `{filter}` würde einen Text von {bytes} Byte erzeugen, mehr als {mib} MiB",
    ))
}

fn replace(val: StringInput, kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    let from = kwargs.must_get::<&str>("from")?;
    let to = kwargs.must_get::<StringInput>("to")?;
    let be_safe = state.autoescaping_enabled() && (val.is_safe() || to.is_safe());
    let (text, with) = if be_safe {
        (val.rendered(state)?, to.rendered(state)?)
    } else {
        (Cow::Borrowed(val.as_str()), Cow::Borrowed(to.as_str()))
    };
    // `str::replace` with an empty pattern puts the replacement around every character.
    let hits = if from.is_empty() {
        text.chars().count() + 1
    } else {
        text.matches(from).count()
    };
    let bytes = (text.len() - hits * from.len()).saturating_add(hits.saturating_mul(with.len()));
    if bytes > MAX_VALUE_BYTES {
        return Err(too_large("replace", bytes));
    }
    let out = text.replace(from, &with);
    Ok(if be_safe {
        Value::safe_string(&out)
    } else {
        Value::from(out)
    })
}

fn join(val: &[Value], kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    let sep = kwargs.get::<StringInput>("sep")?;
    let be_safe = state.autoescaping_enabled()
        && (val.iter().any(|x| x.is_string() && x.is_safe())
            || sep.as_ref().is_some_and(|x| x.is_safe()));
    let sep_text = match &sep {
        Some(s) if be_safe => s.rendered(state)?,
        Some(s) => Cow::Borrowed(s.as_str()),
        None => Cow::Borrowed(""),
    };
    let mut parts = Vec::with_capacity(val.len());
    let mut bytes = sep_text.len().saturating_mul(val.len().saturating_sub(1));
    for v in val {
        let part = if be_safe {
            if v.is_undefined() {
                String::new()
            } else {
                state.escape_if_needed(v)?
            }
        } else {
            format!("{v}")
        };
        bytes = bytes.saturating_add(part.len());
        if bytes > MAX_VALUE_BYTES {
            return Err(too_large("join", bytes));
        }
        parts.push(part);
    }
    let out = parts.join(&sep_text);
    Ok(if be_safe {
        Value::safe_string(&out)
    } else {
        Value::from(out)
    })
}

fn indent(val: StringInput, kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    let width = kwargs.get::<usize>("width")?.unwrap_or(4).min(1000);
    let indentation = kwargs.get::<StringInput>("indentation")?;
    let first = kwargs.get::<bool>("first")?.unwrap_or(false);
    let blank = kwargs.get::<bool>("blank")?.unwrap_or(false);
    if let Some(i) = &indentation
        && i.as_str().chars().count() != 1
    {
        // Tera's own check, in annex's words (a message starts lowercase).
        return Err(tera_error(text!(
            en: "the `indentation` argument must contain exactly one character",
            de: "das Argument `indentation` muss genau ein Zeichen enthalten",
        )));
    }
    let be_safe = state.autoescaping_enabled()
        && (val.is_safe() || indentation.as_ref().is_some_and(|x| x.is_safe()));
    let text = if be_safe {
        val.rendered(state)?
    } else {
        Cow::Borrowed(val.as_str())
    };
    let indent = match &indentation {
        Some(i) if be_safe => i.rendered(state)?.repeat(width),
        Some(i) => i.as_str().repeat(width),
        None => " ".repeat(width),
    };
    let lines = text.lines().count();
    let bytes = text
        .len()
        .saturating_add(lines.saturating_mul(indent.len() + 1));
    if bytes > MAX_VALUE_BYTES {
        return Err(too_large("indent", bytes));
    }
    let mut out = String::with_capacity(bytes);
    for (i, line) in text.lines().enumerate() {
        if i == 0 {
            if first {
                out.push_str(&indent);
            }
        } else {
            out.push('\n');
            if !line.is_empty() || blank {
                out.push_str(&indent);
            }
        }
        out.push_str(line);
    }
    if text.ends_with('\n') {
        out.push('\n');
    }
    Ok(if be_safe {
        Value::safe_string(&out)
    } else {
        Value::from(out)
    })
}

#[cfg(test)]
mod tests {
    fn render(template: &str) -> Result<String, String> {
        let mut tera = super::super::engine();
        tera.add_raw_template("t", template)
            .map_err(|e| e.to_string())?;
        tera.render("t", &tera::Context::new())
            .map_err(|e| format!("{e:?}"))
    }

    #[test]
    fn the_filters_work_as_teras() {
        assert_eq!(
            render(r#"{{ "a-b-c" | replace(from="-", to="+") }}"#).unwrap(),
            "a+b+c"
        );
        assert_eq!(
            render(r#"{{ "ab" | replace(from="", to="-") }}"#).unwrap(),
            "-a-b-"
        );
        assert_eq!(
            render(r#"{{ [1, "x", 2] | join(sep=", ") }}"#).unwrap(),
            "1, x, 2"
        );
        assert_eq!(render(r#"{{ [1, 2] | join }}"#).unwrap(), "12");
        assert_eq!(
            render("{{ \"a\nb\n\nc\n\" | indent(width=2) }}").unwrap(),
            "a\n  b\n\n  c\n"
        );
        assert_eq!(
            render("{{ \"a\nb\" | indent(width=1, first=true, indentation=\"-\") }}").unwrap(),
            "-a\n-b"
        );
    }

    #[test]
    fn a_result_too_large_is_refused_before_it_is_built() {
        let chain = r#"{{ range(end=10000) | join(sep="aaaaaaaaaa") | replace(from="a", to="aaaaaaaaaa") | replace(from="a", to="aaaaaaaaaa") | length }}"#;
        let e = render(chain).unwrap_err();
        assert!(e.contains("`replace` would make a text of"), "{e}");
        let mut tera = super::super::engine();
        tera.add_raw_template("t", chain).unwrap();
        let e = tera.render("t", &tera::Context::new()).unwrap_err();
        let tera::ErrorKind::RenderingError(report) = e.kind() else {
            panic!("{e:?}");
        };
        let message = super::super::tera_words::from_tera(report.message());
        assert!(
            message
                .get(crate::language::Language::De)
                .starts_with("die Vorlage wurde angehalten: `replace` würde einen Text von "),
            "{message:?}"
        );
        let e = render(
            r#"{{ range(end=10000) | join(sep=range(end=10000) | join(sep="x")) | length }}"#,
        )
        .unwrap_err();
        assert!(e.contains("`join` would make a text of"), "{e}");
        let e = render(r#"{{ range(end=10000) | join(sep="\n") | indent(width=1000) | length }}"#)
            .unwrap_err();
        assert!(e.contains("`indent` would make a text of"), "{e}");
    }
}

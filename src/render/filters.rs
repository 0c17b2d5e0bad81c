//! The filters and functions annex adds to Tera's own, and their registration.

use tera::{ArgFromValue, Kwargs, State, Tera, TeraResult, Value};

use super::tera_words::tera_error;
use super::{draft, format};
use crate::project::Language;
use crate::text;

/// The filters annex adds to Tera's own (see templates/README.md).
pub const FILTERS: [&str; 11] = [
    "fmt_date",
    "number",
    "percent",
    "hours",
    "minutes",
    "days",
    "months",
    "join_and",
    "address",
    "level_name",
    "value_name",
];

/// The functions annex adds to Tera's own.
pub const FUNCTIONS: [&str; 1] = ["ref"];

/// The most numbers `range()` gives (Tera's own limit is 100,000).
pub const MAX_RANGE: i64 = 10_000;

/// `range(end=…, start=…, step_by=…)` as Tera has it, giving at most [`MAX_RANGE`] numbers.
pub(super) fn range(kwargs: Kwargs, _: &State) -> TeraResult<Vec<i64>> {
    let start = kwargs.get::<i64>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i64>("end")?;
    let step = kwargs.get::<i64>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera_error(text!(
            en: "`range` was called with `step_by=0`",
            de: "`range` wurde mit `step_by=0` aufgerufen",
        )));
    }
    let span = i128::from(end) - i128::from(start);
    let len = if (span > 0) == (step > 0) && span != 0 {
        (span.abs() + i128::from(step).abs() - 1) / i128::from(step).abs()
    } else {
        0
    };
    if len > i128::from(MAX_RANGE) {
        return Err(tera_error(text!(
            en: "`range` would give {len} numbers; annex allows at most {MAX_RANGE}",
            de: "`range` würde {len} Zahlen liefern; annex erlaubt höchstens {MAX_RANGE}",
        )));
    }
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < end) || (step < 0 && i > end) {
        out.push(i);
        match i.checked_add(step) {
            Some(next) => i = next,
            None => break,
        }
    }
    Ok(out)
}

fn language(state: &State) -> Language {
    state
        .get::<Value>("annex")
        .ok()
        .flatten()
        .and_then(|a| {
            a.get_from_path("language")
                .and_then(|l| l.as_str().and_then(Language::parse))
        })
        .unwrap_or_default()
}

fn case(kwargs: &Kwargs) -> TeraResult<format::Case> {
    let given: Option<&str> = kwargs.get("case")?;
    format::Case::parse(given).map_err(tera_error)
}

/// Our own formatted figures are plain text that needs no escaping (and "20. November" must not
/// become "20\. November" in the Markdown file).
fn safe(text: String) -> Value {
    Value::safe_string(&text)
}

/// Registers an annex filter that passes a draft placeholder through unchanged (so that
/// `{{ missing | number }}` shows the placeholder) and otherwise calls `f`.
fn filter<F>(tera: &mut Tera, name: &'static str, f: F)
where
    F: Fn(&Value, Kwargs, &State) -> TeraResult<Value> + Send + Sync + 'static,
{
    tera.register_filter(
        name,
        move |v: Value, kw: Kwargs, st: &State| -> TeraResult<Value> {
            if draft::is_placeholder(&v) {
                Ok(v)
            } else {
                f(&v, kw, st)
            }
        },
    );
}

pub(super) fn register_filters(tera: &mut Tera) {
    filter(tera, "fmt_date", |v, _, state| {
        let s = <&str>::from_value(v)?;
        let d = crate::project::IsoDate::parse(s).map_err(tera_error)?;
        Ok(safe(format::date(d, language(state))))
    });
    filter(tera, "number", |v, _, st| {
        Ok(safe(format::number(f64::from_value(v)?, language(st))))
    });
    filter(tera, "percent", |v, _, st| {
        Ok(safe(format::percent(f64::from_value(v)?, language(st))))
    });
    filter(tera, "hours", |v, _, st| {
        Ok(safe(format::hours(f64::from_value(v)?, language(st))))
    });
    filter(tera, "minutes", |v, _, st| {
        Ok(safe(format::minutes(f64::from_value(v)?, language(st))))
    });
    filter(tera, "days", |v, kw, st| {
        Ok(safe(format::days(
            f64::from_value(v)?,
            language(st),
            case(&kw)?,
        )))
    });
    filter(tera, "months", |v, kw, st| {
        Ok(safe(format::months(
            f64::from_value(v)?,
            language(st),
            case(&kw)?,
        )))
    });
    // These two carry project text: their output is escaped like any value.
    // `join_and(sep="; ")` joins with the separator alone: for items that contain "and". (Tera's
    // own `join` would fail on a draft placeholder; annex's filters pass it through.)
    // Each item is isolated on its own (a right-to-left override in one value must not
    // reorder the values after it), the whole again when it is printed.
    filter(tera, "join_and", |v, kw, st| {
        let items: Vec<String> = Vec::<String>::from_value(v)?
            .iter()
            .map(|item| crate::markup::escape::isolate_bidi(item).into_owned())
            .collect();
        let sep: Option<&str> = kw.get("sep")?;
        Ok(Value::from(match sep {
            Some(sep) => items.join(sep),
            None => format::join_and(&items, language(st)),
        }))
    });
    filter(tera, "address", |v, _, _| {
        Ok(Value::from(format::address(<&str>::from_value(v)?)))
    });
    filter(tera, "level_name", |v, _, st| {
        let s = <&str>::from_value(v)?;
        format::level_name(s, language(st))
            .map(|n| safe(n.to_string()))
            .ok_or_else(|| {
                tera_error(text!(
                    en: "`level_name` expects \"normal\", \"high\" or \"very_high\", got \"{s}\"",
                    de: "`level_name` erwartet \"normal\", \"high\" oder \"very_high\", erhielt aber \"{s}\"",
                ))
            })
    });
    filter(tera, "value_name", |v, _, st| {
        let s = <&str>::from_value(v)?;
        format::value_name(s, language(st))
            .map(|n| safe(n.to_string()))
            .ok_or_else(|| {
                tera_error(text!(
                    en: "`value_name` expects \"confidentiality\", \"integrity\", \"availability\" or \"overall\", got \"{s}\"",
                    de: "`value_name` erwartet \"confidentiality\", \"integrity\", \"availability\" oder \"overall\", erhielt aber \"{s}\"",
                ))
            })
    });
    tera.register_function("ref", |kwargs: Kwargs, state: &State| -> TeraResult<Value> {
        let id: &str = kwargs.must_get("id")?;
        let sections = state.get::<Value>("sections")?.unwrap_or_else(Value::none);
        match sections.get_from_path(id).and_then(|v| v.as_str().map(str::to_string)) {
            Some(number) => Ok(safe(number)),
            None => Err(tera_error(text!(
                en: "ref(id=\"{id}\"): clause \"{id}\" is not in this annex; guard the reference with {{% if sections[\"{id}\"] %}}",
                de: "ref(id=\"{id}\"): Klausel \"{id}\" ist nicht Teil dieser Anlage; sichern Sie den Verweis mit {{% if sections[\"{id}\"] %}} ab",
            ))),
        }
    });
}

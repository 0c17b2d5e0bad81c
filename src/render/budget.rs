//! The work budget of a template: what one rendering of one template may cost.
//!
//! Tera has no limit of its own on loops, recursion or the values a template builds, and a
//! template folder comes from colleagues, not from annex. So before a template is compiled,
//! annex instruments it ([`instrument`]): the container of every `for` loop and list
//! comprehension passes through `__annex_loop`, which charges its length; the value of every
//! `set` passes through `__annex_fit`, which refuses one larger than [`MAX_VALUE_BYTES`]; a
//! component's body and every template start with `__annex_step()`, which charges one step. A rendering is stopped
//! after [`MAX_STEPS`] steps or [`MAX_TIME`], whichever comes first. The output is bounded
//! separately (see `run::MAX_OUTPUT_BYTES`). Errors are located in the file as written: the
//! edits are recorded and undone for every position.

use std::cell::Cell;
use std::time::{Duration, Instant};

use tera::{Kwargs, State, Tera, TeraResult, Value};

use super::draft::Edits;
use super::tera_words::tera_error;
use crate::library::Meter;
use crate::text;

/// The most loop iterations and component calls of one rendering of one template. A clause
/// that loops over a list of the project inside a loop over another uses at most 10,000; a
/// loop over `range` inside a loop over a list, at most 1,000,000.
pub const MAX_STEPS: u64 = 1_000_000;

/// The longest one rendering of one template may take (a clause takes milliseconds).
pub const MAX_TIME: Duration = Duration::from_secs(10);

/// The largest value a template may store with `set`, and the largest result of `replace`,
/// `join` and `indent` (the texts of a whole project fit).
pub const MAX_VALUE_BYTES: usize = 1 << 20;

/// The most text one rendering of one template may write, counting what it keeps with `set`
/// or `filter` blocks (Tera writes those into buffers of their own, which the output limit of
/// `run` does not see).
pub const MAX_WRITTEN: u64 = 64 << 20;

/// The words every budget error starts with in English (the rendering errors name them for a
/// hint); in German, "die Vorlage wurde angehalten".
pub(super) const STOPPED: &str = "the template was stopped";

/// What follows the `{%` (and `-`, and white space) of the first tag of a template, if only
/// white space and comments come before it.
fn first_tag(text: &str) -> Option<&str> {
    let mut rest = text.trim_start();
    while let Some(comment) = rest.strip_prefix("{#") {
        rest = comment.get(comment.find("#}")? + 2..)?.trim_start();
    }
    let tag = rest.strip_prefix("{%")?;
    Some(tag.strip_prefix('-').unwrap_or(tag).trim_start())
}

/// What charges one step where no value passes.
const STEP: &str = "{{ __annex_step() }}";

/// A template as Tera compiles it, and the edits that made it from the text as written.
#[derive(Debug, Clone, Default)]
pub(super) struct Instrumented {
    pub(super) text: String,
    pub(super) edits: Edits,
}

/// The template with its work metered; `None` if annex cannot read its expressions (then its
/// work could not be bounded).
pub(super) fn instrument(text: &str) -> Option<Instrumented> {
    let meters = crate::library::meters(text)?;
    // Every rendering of the template is a step: a template that includes another several
    // times, which includes the next several times, fans out without a loop.
    // (`extends` must stay the first tag of its template: only white space and comments may
    // come before it.)
    let extends = first_tag(text).is_some_and(|tag| tag.starts_with("extends"));
    let mut insertions: Vec<(usize, String)> = if extends {
        Vec::new()
    } else {
        vec![(0, STEP.to_string())]
    };
    for meter in meters {
        let (range, compound, filter) = match meter {
            Meter::Loop(range, compound) => (range, compound, "__annex_loop"),
            Meter::Set(range, compound) => (range, compound, "__annex_fit"),
            Meter::Output(range, compound) => (range, compound, "__annex_out"),
            Meter::Capture(at) => (at..at, false, "__annex_fit"),
            Meter::Iteration(at, bytes) => {
                insertions.push((at, format!("{{{{ __annex_tick(bytes={bytes}) }}}}")));
                continue;
            }
            Meter::Body(at) => {
                insertions.push((at, STEP.to_string()));
                continue;
            }
        };
        if compound {
            insertions.push((range.start, "(".to_string()));
            insertions.push((range.end, format!(") | {filter}")));
        } else {
            insertions.push((range.end, format!(" | {filter}")));
        }
    }
    insertions.sort_by_key(|(at, _)| *at);
    let mut out = text.to_string();
    let mut edits = Edits::default();
    for (at, insert) in insertions.iter().rev() {
        if out.is_char_boundary(*at) {
            out.insert_str(*at, insert);
            edits.push(*at, 0, insert.len());
        }
    }
    Some(Instrumented { text: out, edits })
}

/// Where the value a metering filter received ends, if `at` points at that filter in an
/// instrumented text (Tera points at the filter when the value is undefined): the last byte of
/// the value's expression. Otherwise `at`.
pub(super) fn metered_value(text: &str, at: usize) -> usize {
    let metering = ["__annex_loop", "__annex_fit", "__annex_out"]
        .iter()
        .any(|f| text.get(at..).is_some_and(|rest| rest.starts_with(f)));
    match text.get(..at).and_then(|before| before.strip_suffix(" | ")) {
        Some(value) if metering && !value.is_empty() => value.len() - 1,
        _ => at,
    }
}

/// What one rendering has spent so far.
#[derive(Debug, Clone, Copy)]
struct Spent {
    steps: u64,
    /// The bytes its output blocks and loop bodies wrote, captured text included.
    written: u64,
    since: Instant,
}

thread_local! {
    /// What the rendering being metered on this thread has spent.
    static METER: Cell<Option<Spent>> = const { Cell::new(None) };
}

/// The budget of one rendering, on this thread, for as long as it lives.
pub(super) struct Metered(());

impl Metered {
    /// Starts a fresh budget.
    pub(super) fn start() -> Metered {
        METER.set(Some(Spent {
            steps: 0,
            written: 0,
            since: Instant::now(),
        }));
        Metered(())
    }
}

impl Drop for Metered {
    fn drop(&mut self) {
        METER.set(None);
    }
}

/// Charges `steps` and `written` bytes to the budget of the rendering on this thread (none
/// outside one), and looks at the clock.
fn charge(steps: u64, written: u64) -> TeraResult<()> {
    let Some(mut spent) = METER.get() else {
        return Ok(());
    };
    spent.steps = spent.steps.saturating_add(steps);
    spent.written = spent.written.saturating_add(written);
    METER.set(Some(spent));
    if spent.steps > MAX_STEPS {
        return Err(tera_error(text!(
            en: "{STOPPED}: its loops and components repeated more than {MAX_STEPS} times",
            de: "die Vorlage wurde angehalten: ihre Schleifen und Komponenten haben sich mehr als {MAX_STEPS} Mal wiederholt",
        )));
    }
    if spent.written > MAX_WRITTEN {
        let mib = MAX_WRITTEN >> 20;
        return Err(tera_error(text!(
            en: "{STOPPED}: it wrote more than {mib} MiB, text it keeps with `set` or `filter` included",
            de: "die Vorlage wurde angehalten: sie hat mehr als {mib} MiB geschrieben, einschließlich des Textes, den sie mit `set` oder `filter` aufbewahrt",
        )));
    }
    if spent.since.elapsed() > MAX_TIME {
        let seconds = MAX_TIME.as_secs();
        return Err(tera_error(text!(
            en: "{STOPPED}: it ran for more than {seconds} seconds",
            de: "die Vorlage wurde angehalten: sie lief länger als {seconds} Sekunden",
        )));
    }
    Ok(())
}

/// The bytes a value takes, counted up to a little more than `limit`.
fn size(value: &Value, limit: usize) -> usize {
    if let Some(s) = value.as_str() {
        return s.len();
    }
    let mut total = 8;
    if let Some(items) = value.as_array() {
        for item in items {
            total += size(item, limit);
            if total > limit {
                break;
            }
        }
    } else if let Some(map) = value.as_map() {
        for (key, item) in map.iter() {
            total += key.to_string().len() + size(item, limit);
            if total > limit {
                break;
            }
        }
    }
    total
}

/// Registers the filters and the function that the instrumented templates call.
pub(super) fn register(tera: &mut Tera) {
    tera.register_filter(
        "__annex_loop",
        |v: Value, _: Kwargs, _: &State| -> TeraResult<Value> {
            charge(1 + v.len().unwrap_or(0) as u64, 0)?;
            Ok(v)
        },
    );
    tera.register_filter(
        "__annex_out",
        |v: Value, _: Kwargs, _: &State| -> TeraResult<Value> {
            let bytes = v.as_str().map_or(16, str::len);
            charge(0, bytes as u64)?;
            Ok(v)
        },
    );
    tera.register_function(
        "__annex_tick",
        |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            charge(0, kwargs.get::<u64>("bytes")?.unwrap_or(0))?;
            Ok(Value::safe_string(""))
        },
    );
    tera.register_filter(
        "__annex_fit",
        |v: Value, _: Kwargs, _: &State| -> TeraResult<Value> {
            charge(1, 0)?;
            if size(&v, MAX_VALUE_BYTES) > MAX_VALUE_BYTES {
                let mib = MAX_VALUE_BYTES >> 20;
                return Err(tera_error(text!(
                    en: "{STOPPED}: a value it stores with `set` grew beyond {mib} MiB",
                    de: "die Vorlage wurde angehalten: ein Wert, den sie mit `set` speichert, wurde größer als {mib} MiB",
                )));
            }
            Ok(v)
        },
    );
    tera.register_function(
        "__annex_step",
        |_: Kwargs, _: &State| -> TeraResult<Value> {
            charge(1, 0)?;
            Ok(Value::safe_string(""))
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loops_sets_and_components_are_metered_and_the_edits_undone() {
        let text = "{% for x in a ~ b %}{% set y = x | upper %}{% set z %}{{ y }}{% endset %}{% endfor %}{{ [i for i in range(end=3) if i > 1] }}";
        let m = instrument(text).unwrap();
        assert_eq!(
            m.text,
            "{{ __annex_step() }}{% for x in (a ~ b) | __annex_loop %}{{ __annex_tick(bytes=53) }}{% set y = x | upper | __annex_fit %}{% set z | __annex_fit %}{{ y | __annex_out }}{% endset %}{% endfor %}{{ [i for i in range(end=3) | __annex_loop if i > 1] | __annex_out }}"
        );
        let at = m.text.find("upper").unwrap();
        assert_eq!(m.edits.original(at), text.find("upper").unwrap());
        let at = m.text.rfind("i > 1").unwrap();
        assert_eq!(m.edits.original(at), text.rfind("i > 1").unwrap());
        let c = instrument("{% component card(x) -%}\n  body{% endcomponent %}").unwrap();
        assert_eq!(
            c.text,
            "{{ __annex_step() }}{% component card(x) -%}\n  {{ __annex_step() }}body{% endcomponent %}"
        );
        // Blocks are steps; `extends` stays first, also after a comment.
        let e =
            instrument("{# note #}\n{% extends \"base\" %}{% block b -%} x{% endblock %}").unwrap();
        assert_eq!(
            e.text,
            "{# note #}\n{% extends \"base\" %}{% block b -%} {{ __annex_step() }}x{% endblock %}"
        );
        // A raw block is not read: it neither fails the reading nor gets meters.
        let r =
            instrument("{% raw %}{% $ %}{{ x }}{% endraw %}{% for i in l %}{% endfor %}").unwrap();
        assert_eq!(
            r.text,
            "{{ __annex_step() }}{% raw %}{% $ %}{{ x }}{% endraw %}{% for i in l | __annex_loop %}{{ __annex_tick(bytes=0) }}{% endfor %}"
        );
        assert!(instrument("{{ a $ b }}").is_none());
    }

    #[test]
    fn an_undefined_value_is_found_before_its_meter() {
        let m = instrument("{% for y in nothing_here %}{% endfor %}").unwrap();
        let at = m.text.find("__annex_loop").unwrap();
        let end = metered_value(&m.text, at);
        assert_eq!(
            &m.text[..=end],
            "{{ __annex_step() }}{% for y in nothing_here"
        );
        assert_eq!(metered_value(&m.text, 3), 3);
    }

    #[test]
    fn the_budget_stops_a_rendering_and_only_that_one() {
        let _meter = Metered::start();
        assert!(charge(MAX_STEPS, 0).is_ok());
        let e = charge(1, 0).unwrap_err();
        assert!(e.to_string().starts_with(STOPPED), "{e}");
        let message = super::super::tera_words::from_tera(&e.to_string());
        assert_eq!(
            message.en(),
            "the template was stopped: its loops and components repeated more than 1000000 times"
        );
        assert_eq!(
            message.get(crate::language::Language::De),
            "die Vorlage wurde angehalten: ihre Schleifen und Komponenten haben sich mehr als 1000000 Mal wiederholt"
        );
        drop(_meter);
        assert!(
            charge(MAX_STEPS * 2, 0).is_ok(),
            "no budget outside a rendering"
        );
        let _meter = Metered::start();
        assert!(charge(10, MAX_WRITTEN).is_ok());
        let e = charge(0, 1).unwrap_err();
        assert!(e.to_string().contains("wrote more than 64 MiB"), "{e}");
    }
}

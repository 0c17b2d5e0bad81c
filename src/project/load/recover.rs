//! Every data error of a project file in one run. serde stops at the first value that does not
//! fit the model; to find the next, that value is set aside (removed, or replaced by a stand-in
//! of some other type) and the file is read again, until it reads or [`MAX_PER_FILE`] problems
//! are found. The stand-ins only serve the search: every error is located in the file as
//! written, and a project with any error is refused.

use serde_json::Value;

use super::messages::json_error;
use super::{ProjectSource, Segment, segments};
use crate::diagnostic::{Diagnostic, MAX_PER_FILE};
use crate::project::Project;

/// The data errors of `source`, in the order they are found (the one serde reports when it
/// reads the text among them). None if the text is no JSON.
pub(super) fn data_errors(source: &ProjectSource) -> Vec<Diagnostic> {
    if source.text.trim().is_empty() {
        // "the project file is empty" says it all.
        return Vec::new();
    }
    let mut value = match serde_json::from_str::<Value>(&source.text) {
        Ok(value) => value,
        // A mistake of the JSON syntax after the first wrong value: the file cannot be read
        // further, and that mistake is the next one to fix.
        Err(e) => return vec![source.quote(json_error(source, "", e))],
    };
    let mut out = Vec::new();
    // The values removed so far: their absence is no error of the file.
    let mut removed: Vec<String> = Vec::new();
    // Each round reads the file, and sets aside the value of its error for the next.
    for _ in 0..MAX_PER_FILE * 2 {
        let e = match serde_path_to_error::deserialize::<_, Project>(&value) {
            Ok(_) => break,
            Err(e) => e,
        };
        let path = e.path().to_string();
        let inner = e.into_inner();
        let target = target_of(&path, &inner.to_string());
        if !removed.contains(&target) {
            out.push(source.quote(json_error(source, &path, inner)));
            if out.len() >= MAX_PER_FILE {
                break;
            }
        }
        // A value that no stand-in gets past is set aside with the list or object it is in.
        let aside = std::iter::successors(Some(target), |t| parent(t))
            .find_map(|t| set_aside(&value, &t).map(|found| (found, t)));
        let Some(((next, was_removed), target)) = aside else {
            break;
        };
        if was_removed {
            removed.push(target);
        }
        value = next;
    }
    out
}

/// The first error of reading `value` as a project: its path and the value it is about.
fn first(value: &Value) -> Option<(String, String)> {
    let e = serde_path_to_error::deserialize::<_, Project>(value).err()?;
    let path = e.path().to_string();
    let target = target_of(&path, &e.into_inner().to_string());
    Some((path, target))
}

/// The value an error is about: its path, or for a missing field, the field's path.
fn target_of(path: &str, message: &str) -> String {
    match missing_field(message) {
        Some(field) if path.is_empty() || path == "." => field,
        Some(field) => format!("{path}.{field}"),
        None => path.to_owned(),
    }
}

/// The path of the list or object that holds the value at `path`.
fn parent(path: &str) -> Option<String> {
    let cut = if path.ends_with(']') {
        path.rfind('[')?
    } else {
        path.rfind('.')?
    };
    Some(path.get(..cut)?.to_owned())
}

/// The field a "missing field `x`" error names.
fn missing_field(message: &str) -> Option<String> {
    let rest = message.split_once("missing field `")?.1;
    Some(rest.split_once('`')?.0.to_owned())
}

/// `value` with the value at `target` set aside so that the error there does not come again:
/// the first of removing it and a few stand-ins after which reading fails elsewhere, or
/// succeeds.
fn set_aside(value: &Value, target: &str) -> Option<(Value, bool)> {
    let stand_ins = [
        None,
        Some(Value::from("x")),
        Some(Value::from("normal")),
        Some(Value::from("2026-01-01")),
        Some(Value::from(1)),
        Some(Value::from(true)),
        Some(Value::Array(Vec::new())),
        Some(Value::Object(serde_json::Map::new())),
    ];
    for stand_in in stand_ins {
        let removal = stand_in.is_none();
        let mut candidate = value.clone();
        if !replace(&mut candidate, target, stand_in) {
            continue;
        }
        let moved_on = match first(&candidate) {
            None => true,
            Some((_, next)) => {
                next != target
                    && !next.starts_with(&format!("{target}."))
                    && !next.starts_with(&format!("{target}["))
            }
        };
        if moved_on {
            return Some((candidate, removal));
        }
    }
    None
}

/// Puts `with` at `path` (removes the value there for `None`); whether the path's parent exists.
fn replace(value: &mut Value, path: &str, with: Option<Value>) -> bool {
    let segs = segments(path);
    let Some((last, parents)) = segs.split_last() else {
        return false;
    };
    let mut here = value;
    for seg in parents {
        here = match (seg, here) {
            (Segment::Key(k), Value::Object(map)) => match map.get_mut(*k) {
                Some(v) => v,
                None => return false,
            },
            (Segment::Index(i), Value::Array(items)) => match items.get_mut(*i) {
                Some(v) => v,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, here, with) {
        (Segment::Key(k), Value::Object(map), None) => map.remove(*k).is_some(),
        (Segment::Key(k), Value::Object(map), Some(v)) => {
            map.insert((*k).to_owned(), v);
            true
        }
        (Segment::Index(i), Value::Array(items), Some(v)) => match items.get_mut(*i) {
            Some(slot) => {
                *slot = v;
                true
            }
            None => false,
        },
        _ => false,
    }
}

//! The texts of a JSON value: every string, with the path a project error names it by, or
//! changed in place by a function. The frame's data and the project values go through here on
//! their way to the PDF (bidi isolation, printable characters, draft markers).

use std::borrow::Cow;

use serde_json::Value;

/// Every string in `value` with its path, `a.b[0].c` (the form of a project error's field),
/// in document order.
pub fn strings(value: &Value) -> Vec<(String, &str)> {
    fn walk<'v>(value: &'v Value, path: String, out: &mut Vec<(String, &'v str)>) {
        match value {
            Value::String(s) => out.push((path, s)),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, format!("{path}[{i}]"), out);
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    let inner = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    walk(item, inner, out);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

/// Replaces every string in `value` by `f` of it (where `f` returns a new one); with `keys`,
/// the keys of objects too.
pub fn map_strings(value: &mut Value, keys: bool, f: &dyn Fn(&str) -> Cow<'_, str>) {
    match value {
        Value::String(s) => {
            if let Cow::Owned(changed) = f(s) {
                *s = changed;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| map_strings(v, keys, f)),
        Value::Object(map) if keys => {
            for (key, mut item) in std::mem::take(map) {
                map_strings(&mut item, keys, f);
                map.insert(f(&key).into_owned(), item);
            }
        }
        Value::Object(map) => map.values_mut().for_each(|v| map_strings(v, keys, f)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn strings_are_named_by_their_paths_in_order() {
        let value = json!({"a": {"b": ["x", 1, {"c": "y"}]}, "d": "z", "e": null});
        let found: Vec<(String, &str)> = strings(&value);
        let want = [("a.b[0]", "x"), ("a.b[2].c", "y"), ("d", "z")];
        assert_eq!(found, want.map(|(p, s)| (p.to_owned(), s)).to_vec());
        assert_eq!(strings(&json!("top")), vec![(String::new(), "top")]);
    }

    #[test]
    fn map_changes_strings_and_with_keys_the_keys() {
        fn upper(s: &str) -> Cow<'_, str> {
            if s.chars().any(char::is_lowercase) {
                Cow::Owned(s.to_uppercase())
            } else {
                Cow::Borrowed(s)
            }
        }
        let mut value = json!({"k": ["a", {"m": "b"}], "n": 2});
        map_strings(&mut value, false, &upper);
        assert_eq!(value, json!({"k": ["A", {"m": "B"}], "n": 2}));
        map_strings(&mut value, true, &upper);
        assert_eq!(value, json!({"K": ["A", {"M": "B"}], "N": 2}));
    }
}

//! The variables a template may read, as a tree of names, derived from the context the renderer
//! really builds (for the example projects) and, where those examples leave a value empty or
//! `null`, from the JSON Schema of the project format.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::library::scan::Segment;

/// What is known about a value of the context.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Anything may be below it (a free map such as `variables`, or a value never seen).
    Open,
    /// A single value: text, number, true/false.
    Leaf,
    /// A group with these fields.
    Object(BTreeMap<String, Shape>),
    /// A list of elements of this shape.
    List(Box<Shape>),
}

/// Why a path is not in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    /// Index of the first segment that does not exist.
    pub index: usize,
    /// The names that exist at that place (empty if the value there has no fields).
    pub candidates: Vec<String>,
    /// The value before the segment is a list, not a group.
    pub list: bool,
}

impl Shape {
    /// The shape of a JSON value (a `null` is [`Shape::Open`]).
    pub fn of_value(v: &Value) -> Shape {
        match v {
            Value::Null => Shape::Open,
            Value::Bool(_) | Value::Number(_) | Value::String(_) => Shape::Leaf,
            Value::Array(items) => Shape::List(Box::new(
                items
                    .iter()
                    .map(Shape::of_value)
                    .fold(Shape::Open, Shape::merge),
            )),
            Value::Object(m) => Shape::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), Shape::of_value(v)))
                    .collect(),
            ),
        }
    }

    /// The shape a JSON Schema describes; `root` resolves `$ref`s.
    pub fn of_schema(schema: &Value, root: &Value) -> Shape {
        of_schema(schema, root, 0)
    }

    /// What both shapes allow (used to combine the contexts of several projects).
    pub fn merge(self, other: Shape) -> Shape {
        match (self, other) {
            (Shape::Open, x) | (x, Shape::Open) => x,
            (Shape::Object(mut a), Shape::Object(b)) => {
                for (k, v) in b {
                    let merged = match a.remove(&k) {
                        Some(old) => old.merge(v),
                        None => v,
                    };
                    a.insert(k, merged);
                }
                Shape::Object(a)
            }
            (Shape::List(a), Shape::List(b)) => Shape::List(Box::new(a.merge(*b))),
            (Shape::Leaf, x) | (x, Shape::Leaf) => x,
            (a @ Shape::Object(_), Shape::List(_)) | (Shape::List(_), a @ Shape::Object(_)) => a,
        }
    }

    /// Whether the shape says anything (not `null`, not an empty group or list).
    fn informative(&self) -> bool {
        match self {
            Shape::Open => false,
            Shape::Leaf => true,
            Shape::Object(m) => !m.is_empty(),
            Shape::List(e) => e.informative(),
        }
    }

    /// Fills what the examples left unknown from the schema's shape of the same place.
    pub fn fill(&mut self, schema: &Shape) {
        if !self.informative() {
            if !matches!(schema, Shape::Open) || matches!(self, Shape::Object(_)) {
                *self = schema.clone();
            }
            return;
        }
        match (self, schema) {
            (Shape::Object(a), Shape::Object(b)) => {
                for (k, v) in a.iter_mut() {
                    if let Some(s) = b.get(k) {
                        v.fill(s);
                    }
                }
            }
            (Shape::List(a), Shape::List(b)) => a.fill(b),
            _ => {}
        }
    }

    /// The field `name` of a group (inserted or replaced).
    pub fn set(&mut self, name: &str, shape: Shape) {
        if let Shape::Object(m) = self {
            m.insert(name.to_string(), shape);
        }
    }

    /// Whether the path exists; where it stops existing otherwise.
    pub fn check(&self, path: &[Segment]) -> Result<(), Miss> {
        let mut node = self;
        for (index, seg) in path.iter().enumerate() {
            node = match (node, seg) {
                (Shape::Open, _) => return Ok(()),
                (Shape::Object(_), Segment::Index) => return Ok(()),
                (Shape::Object(m), Segment::Field(n) | Segment::Key(n)) => match m.get(n) {
                    Some(s) => s,
                    None => {
                        return Err(Miss {
                            index,
                            candidates: m.keys().cloned().collect(),
                            list: false,
                        });
                    }
                },
                (Shape::List(e), Segment::Index) => e,
                (Shape::List(_), _) => {
                    return Err(Miss {
                        index,
                        candidates: vec![],
                        list: true,
                    });
                }
                (Shape::Leaf, _) => {
                    return Err(Miss {
                        index,
                        candidates: vec![],
                        list: false,
                    });
                }
            };
        }
        Ok(())
    }
}

fn of_schema(s: &Value, root: &Value, depth: usize) -> Shape {
    if depth > 32 {
        return Shape::Open;
    }
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let target = r
            .strip_prefix('#')
            .and_then(|pointer| root.pointer(pointer));
        return target.map_or(Shape::Open, |t| of_schema(t, root, depth + 1));
    }
    let mut branches: Vec<Shape> = ["anyOf", "oneOf", "allOf"]
        .iter()
        .filter_map(|k| s.get(*k).and_then(Value::as_array))
        .flatten()
        .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
        .map(|b| of_schema(b, root, depth + 1))
        .collect();
    let types: Vec<&str> = match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let types: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
    if types.contains(&"object") || s.get("properties").is_some() {
        let props: BTreeMap<String, Shape> = s
            .get("properties")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), of_schema(v, root, depth + 1)))
                    .collect()
            })
            .unwrap_or_default();
        let closed = s.get("additionalProperties") == Some(&Value::Bool(false));
        branches.push(if props.is_empty() && !closed {
            Shape::Open
        } else {
            Shape::Object(props)
        });
    } else if types.contains(&"array") {
        let items = s
            .get("items")
            .map_or(Shape::Open, |i| of_schema(i, root, depth + 1));
        branches.push(Shape::List(Box::new(items)));
    } else if !types.is_empty() || s.get("enum").is_some() || s.get("const").is_some() {
        branches.push(Shape::Leaf);
    }
    branches.into_iter().fold(Shape::Open, Shape::merge)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn f(n: &str) -> Segment {
        Segment::Field(n.into())
    }

    #[test]
    fn examples_and_schema_combine() {
        let mut ctx = Shape::of_value(&json!({"service": {"description": "x", "locations": []}, "client": {"contact": null}, "variables": {}}))
            .merge(Shape::of_value(&json!({"service": {"description": "y", "locations": []}})));
        let schema = json!({
            "type": "object",
            "properties": {
                "client": {"type": "object", "properties": {"contact": {"anyOf": [{"$ref": "#/$defs/Contact"}, {"type": "null"}]}}},
                "service": {"type": "object", "properties": {"locations": {"type": "array", "items": {"type": "string"}}}},
                "variables": {"type": "object", "additionalProperties": true}
            },
            "$defs": {"Contact": {"type": "object", "properties": {"name": {"type": "string"}}, "additionalProperties": false}}
        });
        ctx.fill(&Shape::of_schema(&schema, &schema));
        assert!(ctx.check(&[f("service"), f("description")]).is_ok());
        assert!(ctx.check(&[f("client"), f("contact"), f("name")]).is_ok());
        assert!(
            ctx.check(&[f("variables"), f("anything"), f("deep")])
                .is_ok()
        );
        assert!(
            ctx.check(&[f("service"), f("locations"), Segment::Index])
                .is_ok()
        );
        let miss = ctx.check(&[f("service"), f("descripton")]).unwrap_err();
        assert_eq!((miss.index, miss.candidates.len()), (1, 2));
        let miss = ctx
            .check(&[f("client"), f("contact"), f("nmae")])
            .unwrap_err();
        assert_eq!(miss.candidates, ["name"]);
        assert!(
            ctx.check(&[f("service"), f("description"), f("x")])
                .is_err()
        );
    }
}

//! The variables each kind of template sees: what the renderer builds for the example
//! projects, completed by the project schema.

use std::collections::BTreeSet;

use serde_json::Value;

use super::examples::Variant;
use super::shape::Shape;
use crate::library::Library;
use crate::render;

/// The variables each kind of template sees.
pub struct Shapes {
    pub clause: Shape,
    pub title: Shape,
    pub coverage: Shape,
    /// The top-level names that come from the project file.
    pub project_roots: BTreeSet<String>,
}

/// The variables of the templates, from the annexes of the example variants.
pub fn shapes(
    library: &Library,
    variants: &[Variant<'_>],
    clause_ids: &BTreeSet<String>,
) -> Shapes {
    let mut base = Shape::Open;
    let mut scope = Shape::Open;
    for v in variants {
        let validated = &v.selected.validated;
        let selection = &v.selected.selection;
        let title = render::TitleBlock::new(library, &validated.project);
        let ctx = render::context::base(
            library,
            &validated.project,
            &title,
            &validated.resolved,
            selection,
            false,
        );
        base = base.merge(Shape::of_value(&ctx));
        for s in &selection.sections {
            let vars: serde_json::Map<String, Value> =
                render::context::clause_scope(s.clause, s.number, s.level)
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect();
            scope = scope.merge(Shape::of_value(&Value::Object(vars)));
        }
    }
    let schema =
        serde_json::to_value(schemars::schema_for!(crate::project::Project)).unwrap_or(Value::Null);
    let project_roots = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    base.fill(&Shape::of_schema(&schema, &schema));
    // `sections` has one entry per clause of the annex: any clause id of the library.
    base.set(
        "sections",
        Shape::Object(
            clause_ids
                .iter()
                .map(|id| (id.clone(), Shape::Leaf))
                .collect(),
        ),
    );
    let mut clause = base.clone();
    if let Shape::Object(vars) = scope {
        for (k, v) in vars {
            clause.set(&k, v);
        }
    }
    let mut coverage = base.clone();
    // The rows of the matrix differ by status (`sections`, `reasons`, `needs`), and the
    // examples need not show every status: the appendix's data is not checked field by field.
    coverage.set("coverage", Shape::Open);
    Shapes {
        clause,
        title: base,
        coverage,
        project_roots,
    }
}

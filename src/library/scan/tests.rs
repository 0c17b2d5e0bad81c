//! Unit tests of the template scan.

use super::*;

#[test]
fn a_range_loop_inside_a_range_loop_is_found() {
    let t = "{% for i in range(end=3) %}{% for x in list %}{% for j in range(end=3) %}";
    assert_eq!(nested_range_loop(t), Some(t.rfind("range").unwrap()));
    assert_eq!(
        nested_range_loop("{% for i in range(end=3) %}{% endfor %}{% for j in range(end=3) %}"),
        None
    );
    assert_eq!(
        nested_range_loop("{% for x in a %}{% for j in range(end=3) %}"),
        None
    );
}

#[test]
fn the_innermost_unclosed_block_is_found() {
    fn open(t: &str) -> Option<(String, &str)> {
        unclosed_block(t).map(|(tag, at)| (tag, &t[at..at + 2]))
    }
    assert_eq!(open("{% if a %}x{% endif %}"), None);
    assert_eq!(
        open("{% if a %}{% for x in b %}{% endfor %}"),
        Some(("if".into(), "if"))
    );
    assert_eq!(
        unclosed_block("{% if a %}{% for x in b %}{{ x }}"),
        Some(("for".into(), 13))
    );
    // `set` with a value is complete; a block `set` needs `endset`.
    assert_eq!(open("{% set x = 1 %}{{ x }}"), None);
    assert_eq!(open("{% set x %}y"), Some(("set".into(), "se")));
    // Tags inside raw blocks and comments do not count.
    assert_eq!(open("{% raw %}{% if %}{% endraw %}{# {% for %} #}"), None);
}

fn paths(text: &str) -> Vec<String> {
    scan(text)
        .unwrap()
        .paths
        .iter()
        .map(|p| {
            p.segments
                .iter()
                .map(|s| match s {
                    Segment::Field(f) => format!(".{f}"),
                    Segment::Key(k) => format!("[{k:?}]"),
                    Segment::Index => "[]".into(),
                })
                .collect::<String>()
        })
        .collect()
}

#[test]
fn finds_paths_filters_functions_and_refs() {
    let t = "A {{ service.description }} {# {{ nope }} #}\n{% if sections[\"audit-rights\"] and not x.y %}{{ ref(id=\"audit-rights\") }}{% endif %}\n{{ service_levels.rto_hours | hours }} {{ a | join(sep=\", \") }}{% raw %}{{ raw }}{% endraw %}";
    assert_eq!(
        paths(t),
        [
            ".service.description",
            ".sections[\"audit-rights\"]",
            ".x.y",
            ".service_levels.rto_hours",
            ".a"
        ]
    );
    let u = scan(t).unwrap();
    assert_eq!(
        u.filters.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        ["hours", "join"]
    );
    assert_eq!(u.functions[0].0, "ref");
    assert_eq!(u.refs[0].0, "audit-rights");
    assert_eq!(&t[u.refs[0].1..u.refs[0].1 + 1], "\"");
}

#[test]
fn loop_variables_stand_for_elements() {
    let t = "{% for s in subcontractors -%}{{ s.name }}{% if not loop.last %}, {% endif %}{%- endfor %}{% set n = 3 %}{{ n }}{% for k, v in labels %}{{ k }}{% endfor %}{{ [x for x in a] }}";
    assert_eq!(
        paths(t),
        [".subcontractors", ".subcontractors[].name", ".labels", ".a"]
    );
}

//! Unit tests of the draft placeholders.

#[test]
fn insertions_next_to_each_other_keep_the_mapping() {
    // "{{a}}{{b}}" with 3-byte marks around both blocks, inserted from the end as the
    // renderer does: "OOO{{a}}CCCOOO{{b}}CCC".
    let mut edits = Edits::default();
    for (start, end) in [(5, 10), (0, 5)] {
        edits.push(end, 0, 3);
        edits.push(start, 0, 3);
    }
    let edited = "OOO{{a}}CCCOOO{{b}}CCC";
    assert_eq!(edits.original(edited.find('b').unwrap()), 7);
    assert_eq!(edits.original(edited.find('a').unwrap()), 2);
}

use super::*;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn paths_are_read_around_the_error_position() {
    let src = "x {{ client.security_officer.name | upper }} y";
    let at = src.find("name").unwrap();
    assert_eq!(
        path_at(src, at),
        Some((5, 28, s(&["client", "security_officer", "name"])))
    );
    assert_eq!(
        path_at(src, 5),
        Some((5, 28, s(&["client", "security_officer", "name"])))
    );
    let src = "{{ variables[\"vertrag nr\"].a }}";
    assert_eq!(
        path_at(src, 3).map(|p| p.2),
        Some(s(&["variables", "vertrag nr", "a"]))
    );
    assert_eq!(path_at("{{ 12 }}", 3), None);
    assert_eq!(
        display(&s(&["variables", "vertrag nr", "a"])),
        "variables[\"vertrag nr\"].a"
    );
}

#[test]
fn nulls_are_removed_and_recorded() {
    let mut v =
        serde_json::json!({"client": {"name": "A\u{FDD0}", "contact": null}, "l": [null, "b"]});
    let mut nulls = BTreeSet::new();
    clean_context(&mut v, &mut nulls);
    assert_eq!(
        v,
        serde_json::json!({"client": {"name": "A\u{FFFD}"}, "l": [null, "b"]})
    );
    assert_eq!(nulls.into_iter().collect::<Vec<_>>(), ["client.contact"]);
}

#[test]
fn missing_parts_are_found_in_the_context() {
    let ctx =
        Context::from_serialize(&serde_json::json!({"client": {"name": "A"}, "n": 1})).unwrap();
    let path = s(&["client", "security_officer", "name"]);
    assert_eq!(first_missing(&ctx, &path), Some(1));
    assert_eq!(first_missing(&ctx, &s(&["client", "name"])), None);
    assert_eq!(first_missing(&ctx, &s(&["n", "x"])), None);
    assert_eq!(first_missing(&ctx, &s(&["zz"])), Some(0));
}

#[test]
fn edits_trace_offsets_back() {
    // "ab LONGPATH cd x" -> "ab V cd x": offsets after the edit move back by 7.
    let mut e = Edits::default();
    e.push(3, 8, 1);
    assert_eq!(e.original(2), 2);
    assert_eq!(e.original(3), 3);
    assert_eq!(e.original(5), 12);
    // A second, earlier edit that grows the text.
    e.push(0, 1, 5);
    assert_eq!(e.original(0), 0);
    assert_eq!(e.original(9), 12);
}

use super::*;
use crate::markup::placeholder;

fn section(id: &str, heading: &str, body: &str, variant: &str) -> side::Section {
    side::Section {
        id: id.to_owned(),
        heading: heading.to_owned(),
        body: body.to_owned(),
        variant: variant.to_owned(),
        file: format!("templates/clauses/en/{id}.{variant}.md"),
        sha256: Some("a".repeat(64)),
    }
}

fn side(version: &str, sections: Vec<side::Section>, project: serde_json::Value) -> Side {
    Side {
        path: std::path::PathBuf::from("p.json"),
        id: "x".to_owned(),
        version: version.to_owned(),
        language: Language::En,
        title_block: "# Annex\n".to_owned(),
        sections,
        appendix: "## Appendix\n\n| A | B |\n|---|---|\n| 1 | § 2 |\n".to_owned(),
        project: Some(project),
    }
}

#[test]
fn clauses_are_aligned_by_id_and_changes_named_with_their_reasons() {
    let old = side(
        "1.0",
        vec![
            section("scope", "§\u{a0}1 Scope", "\nThe scope.\n", "normal"),
            section(
                "separation",
                "§\u{a0}2 Separation",
                "\nSeparate tenants.\n",
                "normal",
            ),
            section(
                "levels",
                "§\u{a0}3 Service Levels",
                "\nRTO 4 hours.\n",
                "high",
            ),
        ],
        serde_json::json!({"service_levels": {"rto_hours": 4}, "protection": {"integrity": "high"}}),
    );
    let new = side(
        "1.1",
        vec![
            section("scope", "§\u{a0}1 Scope", "\nThe scope.\n", "normal"),
            section(
                "levels",
                "§\u{a0}2 Service Levels",
                "\nRTO 2 hours.\n",
                "very_high",
            ),
            section("audit", "§\u{a0}3 Audit", "\nAudits.\n", "high"),
        ],
        serde_json::json!({"service_levels": {"rto_hours": 2}, "protection": {"integrity": "very_high"}}),
    );
    let redline = compare(&old, &new);
    let kinds: Vec<(&str, Kind)> = redline
        .changes
        .iter()
        .map(|c| (c.id.as_str(), c.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("separation", Kind::Removed),
            ("levels", Kind::Changed),
            ("audit", Kind::Added),
        ]
    );
    let levels = &redline.changes[1];
    assert_eq!(
        levels.describe(Language::En),
        "changed: variant high → very high (protection level)"
    );
    assert_eq!(
        levels.describe(Language::De),
        "geändert: Variante hoch → sehr hoch (Schutzbedarf)"
    );
    // The removed clause stands where it stood, struck through and unnumbered in Word.
    let body = placeholder::to_markdown(&redline.body);
    let at = |s: &str| body.find(s).unwrap_or_else(|| panic!("{s} not in {body}"));
    assert!(at("## <del>§\u{a0}2 Separation</del>") < at("## §\u{a0}2 Service Levels"));
    assert!(
        body.contains("RTO <del>4</del><ins>2</ins> hours."),
        "{body}"
    );
    assert!(
        body.contains("## <ins>§\u{a0}3 Audit</ins>\n\n<ins>Audits.</ins>"),
        "{body}"
    );
    // The project values that differ, by path.
    let values: Vec<String> = redline
        .values
        .iter()
        .map(|v| v.describe(Language::En))
        .collect();
    assert_eq!(
        values,
        vec![
            "protection.integrity: high → very_high",
            "service_levels.rto_hours: 4 → 2"
        ]
    );
    assert!(!redline.appendix_changed);
    let preamble = redline.preamble(&old, &new, Language::En);
    assert!(
        preamble.contains(
            "| §\u{a0}2 Service Levels | changed: variant high → very high (protection level) |"
        ),
        "{preamble}"
    );
}

#[test]
fn identical_versions_have_no_change() {
    let a = side(
        "1.0",
        vec![section(
            "scope",
            "§\u{a0}1 Scope",
            "\nThe scope.\n",
            "normal",
        )],
        serde_json::json!({"a": 1}),
    );
    let redline = compare(&a, &a);
    assert!(redline.changes.is_empty() && redline.values.is_empty());
    assert!(
        !redline
            .body
            .contains(|c| placeholder::is_reserved(c) && c != PAGE_BREAK)
    );
}

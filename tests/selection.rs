//! Selecting clauses: levels, conditions, includes and excludes.

use std::collections::BTreeMap;

use annex::level::Level;
use annex::library::Library;
use annex::project::ProjectSource;
use serde_json::json;

use crate::support::minimal_project;

/// The chosen (clause id, variant level) pairs for a project value.
fn chosen(library: &Library, project: &serde_json::Value) -> Result<Vec<(String, Level)>, String> {
    let source = ProjectSource::new(
        "p.json",
        serde_json::to_string_pretty(project).expect("json"),
    );
    let parsed = annex::project::parse(&source).map_err(|d| d.to_string())?;
    let selection = annex::select::select(library, &parsed, &source)
        .map_err(|d| annex::Failure::from(d).to_string())?;
    Ok(selection
        .sections
        .iter()
        .map(|s| (s.clause.meta.id.clone(), s.clause.meta.level))
        .collect())
}

fn level_of(sel: &[(String, Level)], id: &str) -> Option<Level> {
    sel.iter().find(|(c, _)| c == id).map(|(_, l)| *l)
}

fn with_protection(c: &str, i: &str, a: &str) -> serde_json::Value {
    let mut p = minimal_project();
    p["protection"] = json!({ "confidentiality": c, "integrity": i, "availability": a });
    p
}

#[test]
fn variant_follows_its_governing_basic_value() {
    let lib = Library::builtin().expect("library");
    // C high, I normal, A normal: encryption (C) high, backup (A) normal, security concept (overall) high.
    let sel = chosen(&lib, &with_protection("high", "normal", "normal")).unwrap();
    assert_eq!(level_of(&sel, "encryption"), Some(Level::High));
    assert_eq!(level_of(&sel, "backup-restore"), Some(Level::Normal));
    assert_eq!(level_of(&sel, "security-concept"), Some(Level::High));
    // A very high only: the overall level is very high by the maximum principle.
    let sel = chosen(&lib, &with_protection("normal", "normal", "very_high")).unwrap();
    assert_eq!(level_of(&sel, "encryption"), Some(Level::Normal));
    assert_eq!(level_of(&sel, "backup-restore"), Some(Level::VeryHigh));
    assert_eq!(level_of(&sel, "security-concept"), Some(Level::VeryHigh));
}

#[test]
fn sections_are_numbered_in_order_and_always_contain_the_core() {
    let lib = Library::builtin().expect("library");
    let sel = chosen(&lib, &with_protection("normal", "normal", "normal")).unwrap();
    let ids: Vec<&str> = sel.iter().map(|(id, _)| id.as_str()).collect();
    for core in [
        "subject-scope",
        "protection-requirements",
        "security-concept",
        "service-levels",
        "signatures",
    ] {
        assert!(ids.contains(&core), "{core} missing: {ids:?}");
    }
    assert_eq!(ids.first(), Some(&"subject-scope"));
    assert_eq!(ids.last(), Some(&"signatures"));
}

/// A library with two synthetic clauses added to the built-in one.
fn library_with_test_clauses() -> Library {
    let mut files = annex::library::builtin_files();
    let clause = |id: &str, topic: &str, lang: &str, level: &str, when: &str| {
        annex::library::LibraryFile::builtin(
            "test.md",
            format!(
                "+++\nid = \"{id}\"\ntopic = \"{topic}\"\nlanguage = \"{lang}\"\ntitle = \"T\"\ngoverned_by = \"{gov}\"\nlevel = \"{level}\"\norder = 500\nwhen = [{when}]\n+++\nText.\n",
                gov = if topic == "escrow" {
                    "integrity"
                } else {
                    "confidentiality"
                }
            ),
        )
    };
    for lang in ["de", "en"] {
        files.insert(
            format!("clauses/{lang}/tenant-test.normal.md"),
            clause(
                "tenant-test",
                "tenant-separation",
                lang,
                "normal",
                "\"shared_platform\"",
            ),
        );
        files.insert(
            format!("clauses/{lang}/tenant-test.very_high.md"),
            clause(
                "tenant-test",
                "tenant-separation",
                lang,
                "very_high",
                "\"shared_platform\"",
            ),
        );
        files.insert(
            format!("clauses/{lang}/escrow-test.high.md"),
            clause("escrow-test", "escrow", lang, "high", "\"software\""),
        );
    }
    Library::from_files(&files).unwrap_or_else(|e| panic!("{}", annex::Failure::from(e)))
}

#[test]
fn conditions_on_service_flags_are_respected() {
    let lib = library_with_test_clauses();
    let mut p = with_protection("very_high", "high", "normal");
    assert_eq!(
        level_of(&chosen(&lib, &p).unwrap(), "tenant-test"),
        Some(Level::VeryHigh)
    );
    p["service"]["shared_platform"] = json!(false);
    assert_eq!(level_of(&chosen(&lib, &p).unwrap(), "tenant-test"), None);
    // Escrow: topic from high, governed by integrity, only with software.
    assert_eq!(level_of(&chosen(&lib, &p).unwrap(), "escrow-test"), None);
    p["service"]["software"] = json!(true);
    assert_eq!(
        level_of(&chosen(&lib, &p).unwrap(), "escrow-test"),
        Some(Level::High)
    );
    p["protection"]["integrity"] = json!("normal");
    assert_eq!(
        level_of(&chosen(&lib, &p).unwrap(), "escrow-test"),
        None,
        "integrity normal is below the topic's level"
    );
}

#[test]
fn include_adds_and_exclude_removes_topics() {
    let lib = library_with_test_clauses();
    let mut p = with_protection("normal", "normal", "normal");
    p["clauses"] = json!({ "include": ["escrow"], "exclude": [{ "id": "encryption", "reason": "Verschlüsselung ist im Hauptvertrag geregelt." }] });
    let sel = chosen(&lib, &p).unwrap();
    assert_eq!(
        level_of(&sel, "escrow-test"),
        Some(Level::High),
        "an included topic takes its weakest variant when none fits the level"
    );
    assert_eq!(level_of(&sel, "encryption"), None);

    let source = ProjectSource::new("p.json", serde_json::to_string_pretty(&p).unwrap());
    let parsed = annex::project::parse(&source).unwrap();
    let selection = annex::select::select(&lib, &parsed, &source).unwrap();
    let omitted: BTreeMap<_, _> = selection.omitted.iter().cloned().collect();
    assert_eq!(
        omitted["encryption"],
        annex::select::Omission::Excluded("Verschlüsselung ist im Hauptvertrag geregelt.".into())
    );
}

#[test]
fn unknown_topic_ids_are_errors_with_a_suggestion() {
    let lib = Library::builtin().expect("library");
    let mut p = minimal_project();
    p["clauses"] = json!({ "exclude": [{ "id": "encryptoin", "reason": "x" }] });
    let err = chosen(&lib, &p).unwrap_err();
    assert_eq!(
        err,
        "p.json:12:15: error: clauses.exclude[0].id: unknown topic id \"encryptoin\"\n   |\n12 |         \"id\": \"encryptoin\",\n   |               ^\n  hint: did you mean \"encryption\"?\n  hint: `annex templates list` shows the topic ids"
    );
}

//! The topic catalogue, the coverage matrix and the coverage gate.

use std::collections::BTreeMap;

use annex::coverage::Status;
use annex::library::{Library, LibraryFile};
use annex::{Generator, Options};
use serde_json::json;

use crate::support::{
    generator, md_only, minimal_project, shared_examples, tempdir, write_project,
};

#[test]
fn every_item_is_covered_by_a_topic_and_every_topic_has_clauses() {
    let lib = generator().library();
    let cat = &lib.catalogue;
    for item in &cat.items {
        let topics: Vec<_> = cat.covering(item).collect();
        assert!(
            !topics.is_empty(),
            "item {} is covered by no topic",
            item.id
        );
        assert!(
            topics
                .iter()
                .any(|t| t.from <= item.from || !t.required_when.is_empty()),
            "item {} applies from {} but all its topics start later",
            item.id,
            item.from
        );
    }
    for topic in &cat.topics {
        for lang in [annex::project::Language::De, annex::project::Language::En] {
            let variants: Vec<_> = lib
                .clauses
                .iter()
                .filter(|c| c.meta.topic == topic.id && c.meta.language == lang)
                .collect();
            assert!(
                !variants.is_empty(),
                "topic {} has no clause in {}",
                topic.id,
                lang.code()
            );
            let lowest = variants.iter().map(|c| c.meta.level).min().unwrap();
            assert_eq!(
                lowest, topic.from,
                "topic {}: the weakest variant should be for the topic's first level",
                topic.id
            );
            for c in &variants {
                assert_eq!(c.meta.governed_by, topic.governed_by, "{}", c.file);
            }
        }
    }
}

#[test]
fn every_example_passes_the_gate_at_every_level_in_both_languages() {
    let dir = tempdir();
    let mut figures = Vec::new();
    for path in shared_examples() {
        let original: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for level in ["normal", "high", "very_high"] {
            for lang in ["de", "en"] {
                let p = crate::support::at_level(&original, level, lang);
                let file = write_project(dir.path(), "p.json", &p);
                let annex = generator()
                    .generate(&file, &Options::default())
                    .unwrap_or_else(|e| panic!("{} at {level} in {lang}:\n{e}", path.display()));
                let (covered, excluded, missing) = annex.coverage.counts();
                assert_eq!(missing, 0, "{} at {level} in {lang}", path.display());
                figures.push(format!(
                    "{} {level} {lang}: {} items, {covered} covered, {excluded} excluded",
                    path.file_name().unwrap().to_string_lossy(),
                    annex.coverage.items.len()
                ));
            }
        }
    }
    eprintln!("{}", figures.join("\n"));
}

#[test]
fn an_excluded_topic_shows_the_agreed_reason() {
    let dir = tempdir();
    let mut p = minimal_project();
    p["protection"]["integrity"] = json!("high");
    p["service"]["software"] = json!(true);
    p["clauses"] = json!({ "exclude": [{ "id": "escrow", "reason": "Hinterlegung über den Rahmenvertrag des Landes geregelt." }] });
    let file = write_project(dir.path(), "p.json", &p);
    let annex = generator().generate(&file, &md_only()).expect("renders");
    let row = annex
        .coverage
        .items
        .iter()
        .find(|r| r.id == "OPS.2.3.A21")
        .expect("A21 applies");
    assert_eq!(
        row.status,
        Status::Excluded {
            reasons: vec!["Hinterlegung über den Rahmenvertrag des Landes geregelt.".into()]
        }
    );
    assert!(annex.markdown.contains("durch Vereinbarung ausgeschlossen: Hinterlegung über den Rahmenvertrag des Landes geregelt."), "appendix lacks the reason");
}

#[test]
fn an_uncovered_item_fails_the_render() {
    // Without `required_when`, the security-testing topic (from high) is missing at normal,
    // although DORA Art. 30(3)(d) applies to a critical function.
    let mut files: BTreeMap<String, LibraryFile> = annex::library::builtin_files();
    let topics = files.get_mut("topics.toml").unwrap();
    topics.text = topics
        .text
        .replace("required_when = [\"critical_function\"]\n", "");
    let generator = Generator::with_library(Library::from_files(&files).unwrap()).unwrap();
    let dir = tempdir();
    let mut p = minimal_project();
    p["protection"] =
        json!({ "confidentiality": "normal", "integrity": "normal", "availability": "normal" });
    p["service"]["critical_function"] = json!(true);
    p["client"]["financial_entity"] = json!(true);
    let file = write_project(dir.path(), "p.json", &p);
    let Err(err) = generator.prepare(&file, annex::Mode::Final) else {
        panic!("the gate must fail")
    };
    let err = err.to_string();
    assert!(
        err.contains("error: Art. 30(3)(d) DORA (Participation in threat-led penetration testing) applies to this project, but no section of the annex regulates it"),
        "{err}"
    );
    assert!(
        err.contains("\"security-testing\" (its level is normal, the topic starts at high)"),
        "{err}"
    );
}

#[test]
fn the_appendix_can_be_left_out_and_the_matrix_is_written_as_json() {
    let dir = tempdir();
    let input = crate::support::root().join("fixtures/projects/valid-minimal.json");
    let out = dir.path().join("out");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "render",
            input.to_str().unwrap(),
            "--format",
            "md",
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_annex"))
            .env("ANNEX_LANG", "en")
            .args(&args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read_to_string(out.join("stadtwerke-hosting.md")).unwrap()
    };
    assert!(run(&[]).contains("## Anhang: Abdeckung der Regelungsanforderungen"));
    assert!(!run(&["--no-coverage"]).contains("## Anhang"));
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("stadtwerke-hosting.coverage.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["annex"], "stadtwerke-hosting");
    assert!(
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["status"] == "covered" || i["status"] == "excluded")
    );
}

#[test]
fn a_reference_to_a_clause_not_in_the_annex_names_the_template_and_the_target() {
    // A user clause that refers to escrow, which a normal-level annex without software lacks.
    let dir = tempdir();
    let lib_dir = dir.path().join("lib");
    for lang in ["de", "en"] {
        let clause_dir = lib_dir.join("clauses").join(lang);
        std::fs::create_dir_all(&clause_dir).unwrap();
        std::fs::write(
            clause_dir.join("metadata.normal.md"),
            format!(
                "+++\nid = \"metadata\"\ntopic = \"metadata\"\nlanguage = \"{lang}\"\ntitle = \"M\"\ngoverned_by = \"confidentiality\"\nlevel = \"normal\"\norder = 105\n+++\n\nText.\n\nSiehe {{{{ ref(id=\"escrow\") }}}}.\n"
            ),
        )
        .unwrap();
    }
    let generator = Generator::with_library(Library::with_overrides(&lib_dir).unwrap()).unwrap();
    let mut p = minimal_project();
    p["protection"]["confidentiality"] = json!("normal");
    let file = write_project(dir.path(), "p.json", &p);
    let Err(err) = generator.prepare(&file, annex::Mode::Final) else {
        panic!("the reference must fail")
    };
    let err = err.to_string();
    let shown = lib_dir.join("clauses/de/metadata.normal.md");
    assert!(
        err.contains(&format!("{}:13:10: error:", shown.display())),
        "{err}"
    );
    assert!(
        err.contains("clause \"escrow\" is not in this annex"),
        "{err}"
    );
}

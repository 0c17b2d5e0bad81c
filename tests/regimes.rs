//! Regulatory regimes: which frameworks bind a project, an honest coverage matrix, and clause
//! texts that never name a framework that does not bind the client.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use annex::Options;
use annex::coverage::Status;
use serde_json::json;

use crate::support::{annex, generator, md_only, minimal_project, root, tempdir, write_project};

/// The `file: id id …` lines of a list of expected frameworks.
fn expected_frameworks(list: &Path) -> BTreeMap<String, Vec<String>> {
    std::fs::read_to_string(list)
        .expect("a list of expected frameworks")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (file, ids) = l.split_once(':').expect("file: ids");
            (
                file.trim().to_owned(),
                ids.split_whitespace().map(str::to_owned).collect(),
            )
        })
        .collect()
}

/// The names under which clause texts cite each framework. A text that contains one of them
/// names the framework (the catalogue ids with `|` for "any of these applies").
const NAMES: [(&str, &[&str]); 11] = [
    ("gdpr", &["DSGVO", "GDPR", "2016/679"]),
    ("dora", &["DORA", "2022/2554", "KWG", "MaRisk"]),
    ("dora-rts-2024-1773", &["2024/1773"]),
    ("dora-rts-2025-532", &["2025/532"]),
    ("nis2-2024-2690", &["2024/2690"]),
    ("bsig-30", &["BSIG", "BSI-Gesetz", "BSI Act", "§ 32 BSI"]),
    (
        "bsig-30|nis2-2024-2690",
        &["NIS2", "NIS-2", "NIS 2", "2022/2555"],
    ),
    (
        "ncd",
        &[
            "Mindeststandard",
            "minimum standard for the use of external cloud",
        ],
    ),
    ("sgb5-393", &["SGB V", "§ 393", "Sec. 393"]),
    ("data-act", &["Datenverordnung", "Data Act", "2023/2854"]),
    ("c5-2020", &["C5"]),
];

/// The framework names in `text` that belong to frameworks not in `applying`.
fn foreign_frameworks(text: &str, applying: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for (ids, names) in NAMES {
        if ids.split('|').any(|id| applying.iter().any(|a| a == id)) {
            continue;
        }
        for name in names {
            // "C5" only as a word of its own (not inside "AC5" or a hash).
            let hit = text.match_indices(name).any(|(i, _)| {
                let before = text[..i].chars().next_back();
                let after = text[i + name.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(|c| c.is_alphanumeric() && *name == "C5")
            });
            if hit {
                found.push(format!("{name} ({ids})"));
            }
        }
    }
    found
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// For each framework: a project where it applies and one where it does not, and the
/// frameworks of each project exactly; every item of every applicable framework is covered.
#[test]
fn each_framework_binds_exactly_the_projects_it_should() {
    let dir = root().join("fixtures/regimes");
    let expected = expected_frameworks(&dir.join("expected-frameworks.txt"));
    let files = json_files(&dir);
    assert_eq!(
        files.len(),
        expected.len(),
        "every fixture has its expected frameworks"
    );
    let mut applies: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let annex = generator()
            .generate(&file, &md_only())
            .unwrap_or_else(|e| panic!("{name} must render as a final annex:\n{e}"));
        let ids: Vec<String> = annex
            .coverage
            .frameworks
            .iter()
            .map(|f| f.id.clone())
            .collect();
        assert_eq!(&ids, &expected[&name], "{name}");
        let (_, _, open) = annex.coverage.counts();
        assert_eq!(open, 0, "{name}");
        for f in &generator().library().catalogue.frameworks {
            let entry = applies.entry(f.id.clone()).or_default();
            if ids.contains(&f.id) {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
            // Every framework that applies has items, each regulated by a section.
            if ids.contains(&f.id) {
                let rows: Vec<_> = annex
                    .coverage
                    .items
                    .iter()
                    .filter(|r| r.framework_id == f.id)
                    .collect();
                assert!(!rows.is_empty(), "{name}: {} has no items", f.id);
            }
        }
        let words = foreign_frameworks(&annex.markdown, &ids);
        assert!(
            words.is_empty(),
            "{name} names frameworks that do not bind its client: {words:?}"
        );
    }
    for (id, (yes, no)) in &applies {
        if id == "m2253" || id == "ops23" {
            continue;
        }
        assert!(
            *yes > 0 && *no > 0,
            "{id}: applies to {yes} fixtures and not to {no}; each needs both"
        );
    }
}

/// The examples list exactly the frameworks of their README, cover every item of them, and
/// render as final annexes.
#[test]
fn each_example_lists_exactly_its_frameworks() {
    let expected = expected_frameworks(&root().join("fixtures/regimes/examples.txt"));
    let mut seen = 0;
    for file in crate::support::shared_examples() {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let Some(want) = expected.get(&name) else {
            panic!("{name} has no line in fixtures/regimes/examples.txt")
        };
        seen += 1;
        let annex = generator()
            .generate(&file, &md_only())
            .unwrap_or_else(|e| panic!("{name}:\n{e}"));
        let ids: Vec<&str> = annex
            .coverage
            .frameworks
            .iter()
            .map(|f| f.id.as_str())
            .collect();
        assert_eq!(ids, *want, "{name}");
        for row in &annex.coverage.items {
            assert!(
                matches!(row.status, Status::Covered { .. } | Status::Excluded { .. }),
                "{name}: {} is {:?}",
                row.id,
                row.status
            );
        }
    }
    assert_eq!(seen, expected.len(), "every example is checked");
}

/// No fixture or example names a framework that does not bind it, at any level, in either
/// language (the scan covers clause texts and the appendix).
#[test]
fn no_annex_names_a_framework_that_does_not_bind_its_client() {
    let dir = tempdir();
    let mut inputs: Vec<PathBuf> = crate::support::shared_examples();
    inputs.extend(json_files(&root().join("fixtures/regimes")));
    inputs.extend(json_files(&root().join("templates/examples")));
    inputs.push(root().join("fixtures/projects/valid-minimal.json"));
    let mut renders = 0;
    for path in inputs {
        let original: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for level in ["normal", "high", "very_high"] {
            for lang in ["de", "en"] {
                let p = crate::support::at_level(&original, level, lang);
                let file = write_project(dir.path(), "p.json", &p);
                let annex = generator()
                    .generate(&file, &md_only())
                    .unwrap_or_else(|e| panic!("{} at {level} in {lang}:\n{e}", path.display()));
                let ids: Vec<String> = annex
                    .coverage
                    .frameworks
                    .iter()
                    .map(|f| f.id.clone())
                    .collect();
                // Project text may name anything; only the annex's own words count.
                let mut text = annex
                    .markdown
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let mut values = crate::support::strings(&p);
                values.sort_by_key(|v| std::cmp::Reverse(v.len()));
                for value in values {
                    text = text.replace(&value, " ");
                }
                let words = foreign_frameworks(&text, &ids);
                assert!(
                    words.is_empty(),
                    "{} at {level} in {lang} names {words:?}",
                    path.display()
                );
                renders += 1;
            }
        }
    }
    assert!(renders >= 100, "{renders} renders");
}

#[test]
fn a_critical_function_needs_a_financial_entity() {
    let dir = tempdir();
    let mut p = minimal_project();
    p["service"]["critical_function"] = json!(true);
    let file = write_project(dir.path(), "p.json", &p);
    let err = generator()
        .prepare(&file, annex::Mode::Final)
        .expect_err("refused")
        .to_string();
    assert!(err.contains("service.critical_function: a critical or important function exists only for a financial entity"), "{err}");
    assert!(
        err.contains("hint: set `client.financial_entity` to true"),
        "{err}"
    );
}

/// An item whose needed value is missing is open: a final annex fails with one located error
/// naming the field; a draft renders with placeholders and lists it on its first page.
#[test]
fn a_missing_need_leaves_its_item_open() {
    let dir = tempdir();
    let mut p = minimal_project();
    p["service_levels"]
        .as_object_mut()
        .unwrap()
        .remove("staff_min");
    p["service"]["personal_data"] = json!(true);
    p["service"]["data_categories"] = json!(["Kontaktdaten"]);
    let file = write_project(dir.path(), "p.json", &p);
    let err = generator()
        .prepare(&file, annex::Mode::Final)
        .expect_err("open items");
    let errors: Vec<String> = err
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors[0].contains("M 2.253 introduction (Quantitative service description) applies to this project, but the project does not give `service_levels.staff_min`"), "{errors:#?}");
    // Located at the object that lacks the value.
    assert!(
        errors[0].contains("p.json:") && errors[0].contains("\"service_levels\": {"),
        "{errors:#?}"
    );
    assert!(
        errors[1].contains("Art. 28(3) first sentence GDPR"),
        "{errors:#?}"
    );
    assert!(errors[1].contains("`service.data_subjects`"), "{errors:#?}");

    let options = Options {
        draft: true,
        ..Options::default()
    };
    let draft = generator()
        .generate(&file, &options)
        .expect("a draft renders");
    let (_, _, open) = draft.coverage.counts();
    assert_eq!(open, 2);
    let md = &draft.markdown;
    assert!(md.contains("> **Offene Punkte.**"), "{}", &md[..600]);
    // (Markdown escapes the underscores of the field names.)
    assert!(md.contains(
        "> - M 2.253 Einleitung (Quantitative Leistungsbeschreibung): service\\_levels.staff\\_min"
    ));
    assert!(
        md.contains("`[service_levels.staff_min]`"),
        "placeholder in the table"
    );
    assert!(
        md.contains("`[service.data_subjects]`"),
        "placeholder in the clause"
    );
    assert!(
        md.contains("offen; es fehlt: service\\_levels.staff\\_min"),
        "appendix row"
    );
    let data: serde_json::Value = serde_json::from_slice(&draft.typst.data).unwrap();
    assert_eq!(data["open_points"].as_array().unwrap().len(), 2);
    let pdf = draft.pdf.expect("pdf");
    let doc = lopdf::Document::load_mem(&pdf.bytes).unwrap();
    let text = doc.extract_text(&[1]).unwrap_or_default();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Offene Punkte"), "page 1: {text}");
    assert!(text.contains("service_levels.staff_min"), "page 1: {text}");
}

/// `coverage.json` names the frameworks with their reasons and each item's framework, status,
/// sections and needs; `annex coverage --format csv` writes the same matrix.
#[test]
fn the_matrix_is_written_as_json_and_csv() {
    let dir = tempdir();
    let input = root().join("fixtures/regimes/bank-critical-function.json");
    let out = dir.path().join("out");
    let o = annex(
        &[
            "render",
            input.to_str().unwrap(),
            "--format",
            "md",
            "-o",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("bank-critical-function.coverage.json")).unwrap(),
    )
    .unwrap();
    let frameworks = json["frameworks"].as_array().unwrap();
    assert_eq!(frameworks[3]["id"], "dora");
    assert_eq!(frameworks[3]["reason"], "financial_entity is true");
    let row = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "DORA-30.2.h")
        .unwrap();
    assert_eq!(row["framework_id"], "dora");
    assert_eq!(row["status"], "covered");
    assert!(row["sections"].as_array().is_some_and(|s| !s.is_empty()));
    assert_eq!(
        row["needs"],
        json!([
            { "field": "term.notice_months_client", "met": true },
            { "field": "term.notice_months_provider", "met": true }
        ])
    );

    let o = annex(
        &["coverage", "--format", "csv", input.to_str().unwrap()],
        dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = String::from_utf8(o.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("annex,framework_id,item_id,label,title,status,sections,needs_missing,reasons")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), json["items"].as_array().unwrap().len());
    assert!(
        rows.iter()
            .any(|r| r.starts_with("bank-critical-function,dora,DORA-30.2.h,")),
        "{csv}"
    );
    // Two projects: one header.
    let other = root().join("fixtures/regimes/plain-hosting.json");
    let o = annex(
        &[
            "coverage",
            "--format",
            "csv",
            input.to_str().unwrap(),
            other.to_str().unwrap(),
        ],
        dir.path(),
    );
    let csv = String::from_utf8(o.stdout).unwrap();
    assert_eq!(csv.matches("annex,framework_id").count(), 1);
    assert!(csv.contains("\r\nplain-hosting,m2253,"));
}

/// `explain` shows, per framework, why it applies or not.
#[test]
fn explain_says_why_each_framework_applies() {
    let input = root().join("fixtures/regimes/public-body-on-premises.json");
    let o = annex(&["explain", input.to_str().unwrap()], &root());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("    gdpr                 applies: personal_data is true\n"),
        "{text}"
    );
    assert!(
        text.contains("    ncd                  does not apply: cloud is false (needs true)\n"),
        "{text}"
    );
    assert!(
        text.contains("    sgb5-393             does not apply: health_care is false (needs true), cloud is false (needs true)\n"),
        "{text}"
    );
}

/// A framework applied on a presumption says so: § 393 SGB V for an NIS2 entity that is not a
/// public body and did not say whether it is in health care.
#[test]
fn a_presumed_health_care_client_is_warned_about() {
    let dir = tempdir();
    let mut p: serde_json::Value =
        crate::support::fixture("fixtures/regimes/practice-cloud-health-data.json");
    p["client"].as_object_mut().unwrap().remove("health_care");
    let file = write_project(dir.path(), "p.json", &p);
    let prepared = generator()
        .prepare(&file, annex::Mode::Final)
        .expect("renders");
    let ids: Vec<&str> = prepared
        .coverage
        .frameworks
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    assert!(!ids.contains(&"sgb5-393"), "not an NIS2 entity: {ids:?}");
    assert!(prepared.warnings.is_empty());

    p["client"]["nis2"] = json!("important");
    let file = write_project(dir.path(), "p.json", &p);
    let prepared = generator()
        .prepare(&file, annex::Mode::Final)
        .expect("renders");
    assert!(
        prepared
            .coverage
            .frameworks
            .iter()
            .any(|f| f.id == "sgb5-393")
    );
    let warnings: Vec<String> = prepared.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings.iter().any(|w| w.contains(
            "warning: client: sgb5-393 applies because the client is taken to be in health care"
        )),
        "{warnings:#?}"
    );
}

/// The items of a framework are data: a library that adds an item with a need the examples
/// lack makes that item open, and its gate error names the field.
#[test]
fn an_item_added_to_the_catalogue_is_checked() {
    let dir = tempdir();
    let builtin = std::fs::read_to_string(root().join("templates/frameworks.toml")).unwrap();
    std::fs::write(
        dir.path().join("frameworks.toml"),
        format!(
            "{builtin}\n[[item]]\nid = \"HOUSE-1\"\nframework = \"m2253\"\nlabel = {{ de = \"Hausregel 1\", en = \"House rule 1\" }}\ntitle = {{ de = \"Entfernung der Standorte\", en = \"Distance of the sites\" }}\ntopics = [\"business-continuity\"]\nfrom = \"normal\"\nneeds = [\"service_levels.site_distance_km\"]\n"
        ),
    )
    .unwrap();
    let templates = dir.path().to_str().unwrap();
    let input = root().join("fixtures/projects/valid-minimal.json");
    let o = annex(
        &["check", "--templates", templates, input.to_str().unwrap()],
        &root(),
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("error: House rule 1 (Distance of the sites) applies to this project, but the project does not give `service_levels.site_distance_km`"),
        "{err}"
    );
    // A need outside the project's values is refused when the library loads.
    std::fs::write(
        dir.path().join("frameworks.toml"),
        format!(
            "{builtin}\n[[item]]\nid = \"HOUSE-2\"\nframework = \"m2253\"\nlabel = {{ de = \"H\", en = \"H\" }}\ntitle = {{ de = \"H\", en = \"H\" }}\ntopics = [\"business-continuity\"]\nfrom = \"normal\"\nneeds = [\"labels.client\"]\n"
        ),
    )
    .unwrap();
    let o = annex(&["templates", "check", templates], &root());
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "item \"HOUSE-2\": `needs` entry \"labels.client\" is not a value of a project"
        ),
        "{err}"
    );
}

/// The NCD's public-sector rules and the health-data safeguards appear with the project's
/// own lists and figures.
#[test]
fn the_new_clauses_carry_the_projects_values() {
    let annex = generator()
        .generate(
            &root().join("templates/examples/city-cloud-hr.json"),
            &md_only(),
        )
        .expect("renders");
    let md = &annex.markdown;
    // GDPR Art. 28(3) first sentence from the project's lists, Art. 9 data named.
    assert!(md.contains("Bewerberinnen und Bewerber"), "data subjects");
    assert!(
        md.contains("Arbeitszeit- und Abwesenheitsdaten"),
        "data types"
    );
    assert!(md.contains("Gesundheitsdaten"), "special categories");
    // Term: the project's notice periods.
    assert!(
        md.contains("3 Monate") || md.contains("3 Monaten"),
        "client notice"
    );
    assert!(
        md.contains("12 Monate") || md.contains("12 Monaten"),
        "provider notice"
    );
    // The NCD: German law and the 5 % floor of penalties.
    assert!(md.contains("deutsche"), "German law");
    assert!(
        md.contains("5\u{a0}%") || md.contains("5 %"),
        "penalty floor"
    );
    // Data Act switching: two months' notice, 30 days' transition.
    assert!(
        md.contains("zwei Monate") || md.contains("2 Monate"),
        "switching notice"
    );
    assert!(
        md.contains("30 Kalendertag") || md.contains("30 Tag"),
        "transition"
    );
}

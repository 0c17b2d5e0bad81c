//! Loading projects: every bad-input fixture gives its exact message; good inputs load.

use std::path::{Path, PathBuf};

use crate::support::{assert_matches_file, generator, root, shared_examples, valid_fixtures};

fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(crate::support::root())
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[test]
fn every_invalid_fixture_fails_with_its_exact_message() {
    let dir = crate::support::root().join("fixtures/projects/invalid");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("invalid fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 20, "the bad-input catalogue shrank");
    let mut english = Vec::new();
    let mut detected = 0;
    for input in inputs {
        // Messages name the file as the user gave it: relative to the working directory.
        let shown = relative(&input);
        let failure = match generator().prepare(&shown, annex::Mode::Final) {
            Ok(_) => panic!("{} was accepted", shown.display()),
            Err(f) => f,
        };
        assert!(
            failure.diagnostics.iter().any(|d| d.is_error()),
            "{}: no error",
            shown.display()
        );
        let text = format!("{failure}\n");
        assert!(
            text.starts_with(&shown.display().to_string()),
            "{}: message does not start with the file:\n{text}",
            shown.display()
        );
        assert_matches_file(&text, &input.with_extension("expected"));
        detected += crate::support::english_in_german(&text).len();
        // The same messages in German, for a project written in German or a run whose
        // annex.toml says `lang = "de"`: every word of annex's own is German.
        let german = format!("{}\n", failure.display(annex::language::Language::De));
        assert_matches_file(&german, &input.with_extension("expected.de"));
        for leak in crate::support::english_in_german(&german) {
            english.push(format!("{}: {leak}", shown.display()));
        }
    }
    assert!(
        english.is_empty(),
        "English in the German messages:\n{}",
        english.join("\n")
    );
    assert!(
        detected > 100,
        "the English messages must show that English is detected"
    );
}

#[test]
fn valid_fixtures_and_shared_examples_load() {
    for path in valid_fixtures().into_iter().chain(shared_examples()) {
        if let Err(e) = generator().prepare(&path, annex::Mode::Final) {
            panic!("{} failed:\n{e}", path.display());
        }
    }
}

#[test]
fn german_level_aliases_and_defaults_apply() {
    let prepared = generator()
        .prepare(
            Path::new("fixtures/projects/valid-minimal.json"),
            annex::Mode::Final,
        )
        .expect("loads");
    let p = &prepared.project;
    assert_eq!(p.protection.confidentiality, annex::level::Level::High);
    assert_eq!(p.protection.overall(), annex::level::Level::High);
    assert!(
        p.service.shared_platform,
        "shared_platform defaults to true"
    );
    assert_eq!(p.annex.language, annex::project::Language::De);
    // Availability is normal: availability figures take the normal defaults; notices the overall (high) ones.
    let sl = &prepared.resolved.service_levels;
    assert_eq!(sl.availability_percent, 99.5);
    assert_eq!(sl.rto_hours, 24.0);
    assert_eq!(sl.security_incident_notice_hours, 4.0);
    assert_eq!(sl.change_notice_days, 60);
    // Security concept defaults follow the overall level.
    let sc = &prepared.resolved.security_concept;
    assert_eq!(
        (sc.due_days, sc.review_months, sc.approval_required),
        (60, 12, true)
    );
}

#[test]
fn weaker_values_need_an_accepted_deviation() {
    let dir = crate::support::tempdir();
    let mut p = crate::support::minimal_project();
    p["service_levels"]["availability_percent"] = serde_json::json!(98.0);
    p["service_levels"]["response_minutes"] = serde_json::json!({ "p1": 90 });
    let path = crate::support::write_project(dir.path(), "weak.json", &p);
    // Final: one located error per weaker figure.
    let failure = generator()
        .prepare(&path, annex::Mode::Final)
        .expect_err("not accepted");
    let all = failure.to_string();
    assert!(all.contains("weak.json:35:29: error: service_levels.availability_percent: 98 is weaker than the default for availability level \"normal\" (99.5), and the parties have not accepted the gap"), "{all}");
    assert!(all.contains("service_levels.response_minutes.p1: 90 is weaker than the default for availability level \"normal\" (60)"), "{all}");
    // Draft: the same as warnings.
    let draft = generator()
        .prepare(&path, annex::Mode::Draft)
        .expect("a draft renders");
    assert_eq!(
        draft
            .warnings
            .iter()
            .filter(|w| w.message.en().contains("have not accepted the gap"))
            .count(),
        2
    );
    // … and lists them on its first page.
    let first_page = draft.markdown.document(true);
    assert!(
        first_page.contains("> - Verfügbarkeit (Prozent je Kalendermonat) (98 statt des Vorgabewerts 99,5; Abweichung noch nicht akzeptiert)"),
        "{}",
        &first_page[..900]
    );
    // Accepted: the annex documents both, with reason and who accepted them.
    p["accepted_deviations"] = serde_json::json!([
        { "field": "service_levels.availability_percent", "reason": "Nutzung nur zu Bürozeiten.", "accepted_by": "Eva Roth, Geschäftsführerin" },
        { "field": "service_levels.response_minutes.p1", "reason": "Rufbereitschaft erst ab 2028.", "accepted_by": "Eva Roth, Geschäftsführerin" }
    ]);
    let path = crate::support::write_project(dir.path(), "weak.json", &p);
    let prepared = generator()
        .prepare(&path, annex::Mode::Final)
        .expect("accepted");
    assert!(prepared.warnings.is_empty(), "{:?}", prepared.warnings);
    let md = prepared.markdown.document(true);
    assert!(md.contains("Akzeptierte Abweichungen"), "{md}");
    assert!(md.contains("| Verfügbarkeit (Prozent je Kalendermonat) | 98 | 99,5 | Nutzung nur zu Bürozeiten. | Eva Roth, Geschäftsführerin |"));
    assert!(md.contains(
        "| Reaktionszeit Priorität 1 (Minuten) | 90 | 60 | Rufbereitschaft erst ab 2028. |"
    ));
}

/// A rule flagged as a warning does not stop the annex: the bank's one-hour maximum downtime
/// is more than its 99.99 % availability allows in a month.
#[test]
fn a_flagged_rule_is_a_warning() {
    let path = crate::support::root().join("templates/examples/bank-core-very-high.json");
    let prepared = generator()
        .prepare(&path, annex::Mode::Final)
        .expect("renders");
    let flags: Vec<String> = prepared.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        flags.iter().any(|w| w.contains("warning: service_levels.max_downtime_hours: max_downtime_hours (1) is longer than monthly_downtime_hours (0.073)")
            && w.contains("rule \"mtpd-within-monthly-budget\"")),
        "{flags:#?}"
    );
    // The annex itself explains the flagged pair, so the contract does not read as a
    // contradiction.
    let md = generator()
        .generate(&path, &crate::support::md_only())
        .expect("renders")
        .markdown;
    assert!(
        md.contains("The Maximum Tolerable Downtime of 1\u{a0}hour is longer than the Downtime that the Availability of 99.99%")
            && md.contains("may therefore fall short of the Availability"),
        "the service-level clause explains the flag"
    );
    // A project whose figures do not raise the flag does not get the sentence.
    let hospital = generator()
        .generate(
            &crate::support::root().join("templates/examples/hospital-pacs-cloud.json"),
            &crate::support::md_only(),
        )
        .expect("renders")
        .markdown;
    assert!(!hospital.contains("in Kenntnis dessen vereinbart"));
}

/// Two named locations and a default site distance: the annex would promise a distance the
/// project never confirmed, so annex asks for it.
#[test]
fn named_sites_without_a_distance_are_a_warning() {
    let path = crate::support::root().join("templates/examples/bank-core-very-high.json");
    let prepared = generator()
        .prepare(&path, annex::Mode::Final)
        .expect("renders");
    let warnings: Vec<String> = prepared.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings.iter().any(|w| w.contains("warning: service.locations: the annex requires the primary and the alternative site to be at least 200 km apart (the default for level \"very_high\"), but the project does not say how far apart its 2 locations are")),
        "{warnings:#?}"
    );
    // With the distance given (and, being shorter, accepted), the warning goes.
    let dir = crate::support::tempdir();
    let mut p: serde_json::Value =
        crate::support::fixture("templates/examples/bank-core-very-high.json");
    p["service_levels"]["site_distance_km"] = serde_json::json!(12);
    p["accepted_deviations"] = serde_json::json!([{
        "field": "service_levels.site_distance_km",
        "reason": "Both sites lie in the Rhine-Main area; a regional event is covered by the off-site backup media.",
        "accepted_by": "Management board, resolution of 2026-11-20"
    }]);
    let path = crate::support::write_project(dir.path(), "p.json", &p);
    let prepared = generator()
        .prepare(&path, annex::Mode::Final)
        .expect("renders");
    assert!(
        !prepared
            .warnings
            .iter()
            .any(|w| w.to_string().contains("service.locations")),
        "{:#?}",
        prepared.warnings
    );
}

#[test]
fn schema_accepts_the_examples_and_rejects_unknown_fields() {
    let schema =
        serde_json::to_value(schemars::schema_for!(annex::project::Project)).expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema");
    for path in valid_fixtures().into_iter().chain(shared_examples()) {
        let value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    }
    let mut bad = crate::support::minimal_project();
    bad["service_levels"] = serde_json::json!({ "avialability_percent": 99.9 });
    assert!(!validator.is_valid(&bad));
}

#[test]
fn a_byte_order_mark_a_schema_key_and_level_spellings_are_accepted() {
    let o = crate::support::annex(&["check", "fixtures/projects/forgiving"], &root());
    let err = crate::support::stderr(&o);
    assert!(o.status.success(), "{err}");
    for name in ["byte-order-mark", "schema-key", "level-spellings"] {
        assert!(
            err.contains(&format!("ok fixtures/projects/forgiving/{name}.json")),
            "{err}"
        );
    }
    // "Hoch", "very high" and "Sehr Hoch" are the levels they name.
    let (project, _) = annex::project::read_project(
        &root().join("fixtures/projects/forgiving/level-spellings.json"),
    )
    .unwrap();
    use annex::level::Level;
    assert_eq!(
        (
            project.protection.confidentiality,
            project.protection.integrity,
            project.protection.availability
        ),
        (Level::High, Level::VeryHigh, Level::VeryHigh)
    );
}

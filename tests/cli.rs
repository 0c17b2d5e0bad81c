//! The command line: exit codes, outputs, messages.

use crate::support::{annex, stderr};

#[test]
fn render_writes_markdown_and_pdf_into_the_output_folder() {
    let dir = crate::support::tempdir();
    let input = crate::support::root().join("fixtures/projects/valid-minimal.json");
    let out = dir.path().join("out");
    let o = annex(
        &[
            "render",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "report.json",
            "stadtwerke-hosting.coverage.json",
            "stadtwerke-hosting.manifest.json",
            "stadtwerke-hosting.md",
            "stadtwerke-hosting.pdf"
        ]
    );
}

#[test]
fn a_bad_project_is_reported_the_others_are_rendered_and_exit_is_1() {
    let dir = crate::support::tempdir();
    let root = crate::support::root();
    let good = root.join("fixtures/projects/valid-minimal.json");
    let bad = root.join("fixtures/projects/invalid/unknown-field.json");
    let o = annex(
        &[
            "render",
            "--format",
            "md",
            bad.to_str().unwrap(),
            good.to_str().unwrap(),
            "-o",
            "out",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("unknown-field.json:"), "{err}");
    assert!(err.contains("error: service_levels: unknown field \"avialability_percent\", did you mean \"availability_percent\"?"), "{err}");
    assert!(err.contains("1 rendered, 1 failed"), "{err}");
    let written: Vec<_> = std::fs::read_dir(dir.path().join("out")).unwrap().collect();
    assert_eq!(
        written.len(),
        4,
        "only the good project's Markdown, coverage matrix and manifest, and the run report are written, no temporary files"
    );
}

#[test]
fn two_projects_with_the_same_annex_id_are_both_refused() {
    let dir = crate::support::tempdir();
    let root = crate::support::root();
    let good = root.join("fixtures/projects/valid-minimal.json");
    let twin = dir.path().join("twin.json");
    std::fs::copy(&good, &twin).unwrap();
    let other = crate::support::write_project(dir.path(), "other.json", &{
        let mut p = crate::support::minimal_project();
        p["annex"]["id"] = "another-annex".into();
        p
    });
    let o = annex(
        &[
            "render",
            "--format",
            "md",
            good.to_str().unwrap(),
            twin.to_str().unwrap(),
            other.to_str().unwrap(),
            "-o",
            "out",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("1 rendered, 2 failed"), "{err}");
    assert!(
        err.contains(&format!(
            "{}: error: annex id \"stadtwerke-hosting\" is also used by {} in this run",
            twin.display(),
            good.display()
        )),
        "{err}"
    );
    let written = crate::support::names(&dir.path().join("out"));
    assert_eq!(
        written,
        [
            "another-annex.coverage.json",
            "another-annex.manifest.json",
            "another-annex.md",
            "report.json"
        ]
    );
}

#[test]
fn check_writes_nothing_and_usage_errors_exit_2() {
    let dir = crate::support::tempdir();
    let input = crate::support::root().join("fixtures/projects/valid-minimal.json");
    let o = annex(&["check", input.to_str().unwrap()], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("ok "), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "check wrote something"
    );
    assert_eq!(annex(&["render"], dir.path()).status.code(), Some(2));
    assert_eq!(
        annex(&["render", "--format", "odt", "x.json"], dir.path())
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn schema_is_printed() {
    let o = annex(&["schema"], &crate::support::root());
    assert!(o.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).expect("schema is JSON");
    assert_eq!(schema["title"], "annex project description");
}

#[test]
fn two_processes_write_byte_identical_files() {
    let dir = crate::support::tempdir();
    let input = crate::support::root().join("fixtures/projects/valid-minimal.json");
    for out in ["a", "b"] {
        let o = annex(&["render", input.to_str().unwrap(), "-o", out], dir.path());
        assert!(o.status.success(), "{}", stderr(&o));
    }
    for name in ["stadtwerke-hosting.md", "stadtwerke-hosting.pdf"] {
        let a = std::fs::read(dir.path().join("a").join(name)).unwrap();
        let b = std::fs::read(dir.path().join("b").join(name)).unwrap();
        assert!(a == b, "{name} differs between runs");
    }
}

#[test]
fn outputs_do_not_depend_on_job_count_or_input_order_and_the_report_lists_every_input() {
    let dir = crate::support::tempdir();
    let examples = crate::support::root().join("templates/examples");
    let mut inputs: Vec<String> = std::fs::read_dir(&examples)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    inputs.sort();
    let bad = crate::support::root().join("fixtures/projects/invalid/bad-level.json");
    inputs.push(bad.display().to_string());
    let render = |out: &str, jobs: &str, inputs: &[String]| {
        let mut args = vec!["render", "-j", jobs, "-o", out];
        args.extend(inputs.iter().map(String::as_str));
        let o = annex(&args, dir.path());
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("5 rendered, 1 failed"),
            "{}",
            stderr(&o)
        );
    };
    render("one", "1", &inputs);
    let mut reversed = inputs.clone();
    reversed.reverse();
    render("two", "2", &reversed);
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("one"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "report.json")
        .collect();
    names.sort();
    // Four files per example, and the bank's DORA register.
    assert_eq!(names.len(), 21, "{names:?}");
    for name in &names {
        let a = std::fs::read(dir.path().join("one").join(name)).unwrap();
        let b = std::fs::read(dir.path().join("two").join(name)).unwrap();
        assert!(
            a == b,
            "{name} differs between -j 1 and -j 2 in reverse order"
        );
    }
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("one/report.json")).unwrap())
            .unwrap();
    assert_eq!(
        (report["rendered"].as_u64(), report["failed"].as_u64()),
        (Some(5), Some(1))
    );
    let projects = report["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 6);
    let failed = projects.iter().find(|p| p["status"] == "failed").unwrap();
    assert!(
        failed["errors"][0]
            .as_str()
            .unwrap()
            .contains("unknown protection level \"mittel\"")
    );
    let ok = projects.iter().find(|p| p["status"] == "rendered").unwrap();
    // Markdown, PDF, manifest and coverage; and the DORA register of the bank.
    let outputs = ok["outputs"].as_array().unwrap();
    let register = outputs
        .iter()
        .any(|o| o.to_string().contains(".dora-register.csv"));
    assert_eq!(outputs.len(), if register { 5 } else { 4 });
    assert_eq!(ok["outputs"][0]["sha256"].as_str().map(str::len), Some(64));
    for stage in ["prepare", "convert", "compile", "export", "write"] {
        assert!(
            ok["stages_ms"][stage].as_f64().is_some_and(|ms| ms >= 0.0),
            "stages_ms.{stage} missing: {ok}"
        );
    }
    assert!(ok["stages_ms"]["compile"].as_f64() > Some(0.0));
}

#[test]
fn fail_fast_stops_at_the_first_failure() {
    let dir = crate::support::tempdir();
    let root = crate::support::root();
    let bad = root.join("fixtures/projects/invalid/bad-level.json");
    let good = root.join("fixtures/projects/valid-minimal.json");
    let o = annex(
        &[
            "render",
            "-j",
            "1",
            "--fail-fast",
            "--format",
            "md",
            "-o",
            "out",
            bad.to_str().unwrap(),
            good.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o)
            .contains("0 rendered, 1 failed, 1 skipped after the first failure (--fail-fast)"),
        "{}",
        stderr(&o)
    );
}

/// The whole bad-input catalogue in one run: every project fails with its message, and the
/// output folder holds nothing but the run report.
#[test]
fn no_project_of_the_bad_input_catalogue_writes_anything() {
    let dir = crate::support::tempdir();
    let catalogue = crate::support::root().join("fixtures/projects/invalid");
    let count = std::fs::read_dir(&catalogue)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json"))
        })
        .count();
    let o = annex(
        &["render", catalogue.to_str().unwrap(), "-o", "out"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("0 rendered, {count} failed")),
        "{err}"
    );
    let written = crate::support::names(&dir.path().join("out"));
    assert_eq!(written, ["report.json"]);
}

#[test]
fn an_output_folder_named_like_a_file_is_refused() {
    let dir = crate::support::tempdir();
    let project = crate::support::root().join("fixtures/projects/valid-minimal.json");
    for out in ["annex.pdf", "Anlage.MD"] {
        let o = annex(
            &["render", project.to_str().unwrap(), "-o", out],
            dir.path(),
        );
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!("`-o {out}` names a file, but -o takes the folder")),
            "{err}"
        );
        assert!(!dir.path().join(out).exists());
    }
    // An existing folder of that name is a folder.
    std::fs::create_dir(dir.path().join("old.pdf")).unwrap();
    let o = annex(
        &[
            "render",
            project.to_str().unwrap(),
            "-o",
            "old.pdf",
            "--format",
            "md",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_batch_names_its_failures_counts_shared_warnings_and_speaks_in_plurals() {
    let dir = crate::support::tempdir();
    let root = crate::support::root();
    for i in 0..3 {
        let mut p = crate::support::fixture("templates/examples/hospital-pacs-cloud.json");
        p["annex"]["id"] = format!("pacs-{i}").into();
        crate::support::write_project(dir.path(), &format!("pacs-{i}.json"), &p);
    }
    std::fs::copy(
        root.join("fixtures/projects/invalid/german-date.json"),
        dir.path().join("z-date.json"),
    )
    .unwrap();
    let o = annex(&["check", "."], dir.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    // Each warning of the three copies in full once, then counted.
    assert_eq!(
        err.lines()
            .filter(|l| l.starts_with("./pacs-") && l.contains("warning: client: sgb5-393"))
            .count(),
        1,
        "{err}"
    );
    assert!(
        err.contains("note: 2 more projects have the warning: client: sgb5-393 applies"),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.starts_with("ok ./pacs-0.json: ") && l.ends_with(" sections, 2 warnings")),
        "{err}"
    );
    assert!(
        err.ends_with("3 checked, 1 failed: ./z-date.json\n"),
        "{err}"
    );
    let o = annex(&["check", "pacs-1.json", "--fail-fast"], dir.path());
    assert!(!stderr(&o).contains("note:"), "{}", stderr(&o));
}

#[test]
fn a_section_sign_and_its_number_stay_together() {
    let dir = crate::support::tempdir();
    let project = crate::support::root().join("fixtures/projects/valid-minimal.json");
    let o = annex(
        &[
            "render",
            project.to_str().unwrap(),
            "-o",
            "out",
            "--format",
            "md",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let md = std::fs::read_to_string(dir.path().join("out/stadtwerke-hosting.md")).unwrap();
    assert!(
        md.contains("\n## §\u{a0}1 Gegenstand und Geltungsbereich\n"),
        "{}",
        &md[..2000.min(md.len())]
    );
    assert!(!md.contains("## § "), "a heading with a breaking space");
    // References (`ref`) and the clause texts keep the sign with its number too.
    assert!(md.contains("§\u{a0}12") && !md.contains("§ 12"));
}

/// Issue 15, item 10: `annex init` writes a starter project whose every placeholder `check`
/// reports at its line, in one run; filled in, it renders as a final annex. `annex schema
/// --markdown` is the field reference, and it names every field of the schema.
#[test]
fn a_starter_project_is_reported_until_filled_in_and_then_renders() {
    let dir = crate::support::tempdir();
    for (lang, marker) in [("de", "AUSFÜLLEN: "), ("en", "FILL IN: ")] {
        let file = dir.path().join(format!("{lang}.json"));
        let f = file.to_str().unwrap();
        let o = annex(&["init", f, "--lang", lang], dir.path());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = std::fs::read_to_string(&file).unwrap();
        let placeholders = text.matches(marker).count();
        assert_eq!(placeholders, 27, "{text}");
        // Not overwritten without --force.
        let again = annex(&["init", f], dir.path());
        assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), text);

        let o = annex(&["check", f], dir.path());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert_eq!(err.matches(": error: ").count(), placeholders, "{err}");
        assert_eq!(
            err.matches("still the placeholder of `annex init`").count(),
            placeholders,
            "one message per placeholder, none about the type of the value: {err}"
        );
        assert!(
            err.contains(&format!("{f}:3:11: error: annex.id: still the placeholder")),
            "{err}"
        );

        // Filled in as a contract manager would.
        let mut project: serde_json::Value = serde_json::from_str(&text).unwrap();
        let set = |p: &mut serde_json::Value, path: &str, v: serde_json::Value| {
            *p.pointer_mut(path).unwrap_or_else(|| panic!("{path}")) = v;
        };
        for (path, value) in [
            ("/annex/id", serde_json::json!(format!("starter-{lang}"))),
            ("/annex/date", serde_json::json!("2027-01-15")),
            (
                "/annex/main_contract",
                serde_json::json!("Vertrag vom 15. Januar 2027"),
            ),
            ("/annex/number", serde_json::json!("4")),
            ("/client/name", serde_json::json!("Stadt Musterstadt")),
            (
                "/client/address",
                serde_json::json!("Rathausplatz 1, 12345 Musterstadt"),
            ),
            (
                "/client/representative",
                serde_json::json!("Dr. Maria Beispiel"),
            ),
            ("/client/public_body", serde_json::json!(true)),
            ("/client/financial_entity", serde_json::json!(false)),
            ("/client/nis2", serde_json::json!("none")),
            (
                "/provider/name",
                serde_json::json!("Rechenzentrum Süd GmbH"),
            ),
            (
                "/provider/address",
                serde_json::json!("Am Datenpark 7, 70000 Süddorf"),
            ),
            ("/provider/representative", serde_json::json!("Klaus Huber")),
            (
                "/service/description",
                serde_json::json!("Betrieb des Fachverfahrens."),
            ),
            ("/service/components/0", serde_json::json!("Fachverfahren")),
            ("/service/locations/0", serde_json::json!("Stuttgart (DE)")),
            ("/service/personal_data", serde_json::json!(true)),
            (
                "/service/data_subjects/0",
                serde_json::json!("Beschäftigte"),
            ),
            (
                "/service/data_categories/0",
                serde_json::json!("Stammdaten"),
            ),
            ("/service/cloud", serde_json::json!(false)),
            ("/protection/confidentiality", serde_json::json!("hoch")),
            ("/protection/integrity", serde_json::json!("normal")),
            ("/protection/availability", serde_json::json!("normal")),
            (
                "/protection/rationale",
                serde_json::json!("Schutzbedarfsfeststellung vom 1. Dezember 2026."),
            ),
            (
                "/service_levels/compute",
                serde_json::json!("Zwei virtuelle Server"),
            ),
            ("/service_levels/storage_gb", serde_json::json!(500)),
            ("/service_levels/staff_min", serde_json::json!(2)),
        ] {
            set(&mut project, path, value);
        }
        std::fs::write(&file, serde_json::to_string_pretty(&project).unwrap()).unwrap();
        let o = annex(&["render", f, "--format", "md", "-o", "out"], dir.path());
        assert_eq!(o.status.code(), Some(0), "{lang}: {}", stderr(&o));
    }

    let o = annex(&["schema", "--markdown"], dir.path());
    let reference = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        reference.starts_with("# The project description"),
        "{reference}"
    );
    let schema: serde_json::Value =
        serde_json::from_slice(&annex(&["schema"], dir.path()).stdout).unwrap();
    let mut names = std::collections::BTreeSet::new();
    fn collect(v: &serde_json::Value, names: &mut std::collections::BTreeSet<String>) {
        match v {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Object(props)) = map.get("properties") {
                    names.extend(props.keys().cloned());
                }
                map.values().for_each(|v| collect(v, names));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, names)),
            _ => {}
        }
    }
    collect(&schema, &mut names);
    assert!(names.len() > 60, "{names:?}");
    // The words of the reference's code spans (`client`, `{name, role, email, phone}`).
    let words: std::collections::BTreeSet<&str> = reference
        .split('`')
        .skip(1)
        .step_by(2)
        .flat_map(|span| span.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$')))
        .collect();
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !words.contains(n.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "fields the reference does not describe: {missing:?}"
    );
}

#[test]
fn messages_speak_the_language_of_the_project_or_of_annex_toml() {
    let dir = crate::support::tempdir();
    let root = crate::support::root();
    let german = root.join("fixtures/projects/invalid/unknown-field.json");
    std::fs::copy(&german, dir.path().join("de.json")).unwrap();
    let mut english = crate::support::fixture("fixtures/projects/invalid/unknown-field.json");
    english["annex"]["language"] = "en".into();
    crate::support::write_project(dir.path(), "en.json", &english);
    let run = |file: &str| {
        let o = crate::support::annex_as_user(&["check", file], dir.path());
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        stderr(&o)
    };

    // Without annex.toml: each project's messages in its own language.
    let err = run("de.json");
    assert!(
        err.starts_with("de.json:") && err.contains(": Fehler: ") && err.contains("  Hinweis: "),
        "{err}"
    );
    let leaks = crate::support::english_in_german(&err);
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
    let err = run("en.json");
    assert!(
        err.contains(": error: ") && err.contains("  hint: "),
        "{err}"
    );
    assert!(!err.contains("Fehler"), "{err}");

    // annex.toml's `lang` wins over the project's language, for every message.
    std::fs::write(dir.path().join("annex.toml"), "lang = \"en\"\n").unwrap();
    let err = run("de.json");
    assert!(
        err.contains(": error: ") && !err.contains("Fehler"),
        "{err}"
    );
    std::fs::write(dir.path().join("annex.toml"), "lang = \"de\"\n").unwrap();
    let err = run("en.json");
    assert!(err.contains(": Fehler: "), "{err}");
    let leaks = crate::support::english_in_german(&err);
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));

    // The environment's ANNEX_LANG wins over both.
    let o = annex(&["check", "en.json"], dir.path());
    assert!(stderr(&o).contains(": error: "), "{}", stderr(&o));

    // A misspelt language is located in annex.toml.
    std::fs::write(dir.path().join("annex.toml"), "lang = \"deutsch\"\n").unwrap();
    let o = crate::support::annex_as_user(&["check", "en.json"], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("annex.toml:1:1: error: `lang` is \"deutsch\""),
        "{}",
        stderr(&o)
    );
}

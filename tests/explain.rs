//! `annex explain`: the selection trace as text (fixtures under `fixtures/explain/`, regenerate
//! with `ANNEX_BLESS=1`), as JSON, and with errors.

use std::path::Path;
use std::process::{Command, Output};

use annex::explain::{Explanation, TopicTrace, Why, explain_file};
use annex::level::Level;

use crate::support::{assert_matches_file, generator, root};

fn annex(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_annex"))
        .env("ANNEX_LANG", "en")
        .args(args)
        .current_dir(root())
        .output()
        .expect("runs")
}

fn explained(path: &str) -> Explanation {
    let explained = explain_file(generator(), Path::new(path));
    if let Err(failure) = &explained.result {
        panic!("{path} failed:\n{failure}");
    }
    explained.explanation.expect("a trace")
}

fn topic<'e>(e: &'e Explanation, id: &str) -> &'e TopicTrace {
    e.topics
        .iter()
        .find(|t| t.topic == id)
        .unwrap_or_else(|| panic!("no topic {id}"))
}

#[test]
fn the_text_trace_matches_the_fixtures() {
    for (input, expected) in [
        (
            "fixtures/explain/forced-and-left-out.json",
            "fixtures/explain/forced-and-left-out.txt",
        ),
        (
            "fixtures/projects/valid-minimal.json",
            "fixtures/explain/valid-minimal.txt",
        ),
        (
            "templates/examples/bank-core-very-high.json",
            "fixtures/explain/bank-core-very-high.txt",
        ),
    ] {
        let text = explained(input).to_text();
        assert_matches_file(&text, &root().join(expected));
    }
}

#[test]
fn every_kind_of_reason_is_traced() {
    let e = explained("fixtures/explain/forced-and-left-out.json");
    assert_eq!(e.topics.len(), 44, "every topic of the catalogue");
    // Topics in the annex come in section order.
    let numbers: Vec<usize> = e
        .topics
        .iter()
        .flat_map(|t| t.sections.iter().map(|s| s.number))
        .collect();
    assert_eq!(numbers, (1..=e.sections).collect::<Vec<_>>());

    // By level: the governing basic value picks the variant.
    let encryption = topic(&e, "encryption");
    assert_eq!(encryption.why, Why::Level);
    assert_eq!(encryption.sections[0].variant, Level::Normal);
    assert_eq!(
        encryption.sections[0].candidates,
        [Level::Normal, Level::High, Level::VeryHigh]
    );
    // By condition: shared_platform holds.
    let tenants = topic(&e, "tenant-separation");
    assert_eq!(tenants.why, Why::Level);
    assert!(tenants.when[0].holds && tenants.when[0].flag == "shared_platform");
    // Included, although the level alone would leave it out; the weakest variant.
    let sandbox = topic(&e, "inbound-data-sandbox");
    assert_eq!(
        sandbox.why,
        Why::Included {
            otherwise: Some(Box::new(Why::BelowLevel {
                level: Level::Normal,
                from: Level::High
            }))
        }
    );
    assert!(sandbox.sections[0].weakest_above);
    // Required by a critical function.
    let testing = topic(&e, "security-testing");
    assert!(
        matches!(&testing.why, Why::Required { conditions, otherwise: Some(_) }
            if conditions[0].flag == "critical_function" && conditions[0].holds)
    );
    assert_eq!(testing.sections[0].variant, Level::High);
    // Excluded with the project's reason.
    assert_eq!(
        topic(&e, "metadata").why,
        Why::Excluded {
            reason: "Metadata are regulated in the main contract, section 12.".into()
        }
    );
    // Below the topic's first level.
    assert_eq!(
        topic(&e, "joint-exercises").why,
        Why::BelowLevel {
            level: Level::Normal,
            from: Level::High
        }
    );
    // A condition that does not hold.
    let escrow = topic(&e, "escrow");
    assert!(!escrow.in_annex && escrow.sections.is_empty());
    assert_eq!(
        escrow.why,
        Why::Condition {
            flag: "software".into(),
            expected: true,
            actual: false
        }
    );
}

#[test]
fn a_topic_without_a_clause_is_named_and_a_failed_gate_still_shows_the_trace() {
    // A user library with a topic that has no clause and is the only one to cover an item:
    // the coverage gate fails (exit 1, as `check`), and the trace says why.
    let dir = crate::support::tempdir();
    let builtin = std::fs::read_to_string(root().join("templates/topics.toml")).unwrap();
    std::fs::write(
        dir.path().join("topics.toml"),
        format!(
            "{builtin}\n[[topic]]\nid = \"exit-test\"\ntitle = {{ de = \"Exit-Test\", en = \"Exit test\" }}\ngoverned_by = \"availability\"\nfrom = \"normal\"\n"
        ),
    )
    .unwrap();
    let builtin = std::fs::read_to_string(root().join("templates/frameworks.toml")).unwrap();
    std::fs::write(
        dir.path().join("frameworks.toml"),
        format!(
            "{builtin}\n[[item]]\nid = \"EXIT-1\"\nframework = \"ops23\"\nlabel = {{ de = \"Exit 1\", en = \"Exit 1\" }}\ntitle = {{ de = \"Exit-Test\", en = \"Exit test\" }}\ntopics = [\"exit-test\"]\nfrom = \"normal\"\n"
        ),
    )
    .unwrap();
    let templates = dir.path().to_str().unwrap();
    let input = "fixtures/projects/valid-minimal.json";
    let o = annex(&["explain", "--templates", templates, input]);
    let check = annex(&["check", "--templates", templates, input]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(check.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("Exit"), "the gate names the item: {err}");
    let text = String::from_utf8_lossy(&o.stdout);
    // It stands after its predecessor in the catalogue (signatures, the last section).
    assert!(
        text.ends_with("–     Exit-Test [exit-test]\n      left out: the template library has no German clause for it\n\n"),
        "{text}"
    );
    let o = annex(&["explain", "--json", "--templates", templates, input]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let last = &v[0]["topics"][44];
    assert_eq!(last["topic"], "exit-test");
    assert_eq!(last["in_annex"], false);
    assert_eq!(
        last["why"],
        serde_json::json!({ "kind": "no_clause", "language": "de" })
    );
}

#[test]
fn json_is_an_array_with_the_documented_fields() {
    let o = annex(&[
        "explain",
        "--json",
        "fixtures/explain/forced-and-left-out.json",
        "fixtures/projects/valid-minimal.json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let all = v.as_array().expect("an array");
    assert_eq!(all.len(), 2, "one object per input, in input order");
    assert_eq!(all[0]["file"], "fixtures/explain/forced-and-left-out.json");
    assert_eq!(all[1]["annex"], "stadtwerke-hosting");
    let first = &all[0];
    assert_eq!(first["language"], "en");
    assert_eq!(first["protection"]["overall"], "normal");
    assert_eq!(first["flags"]["critical_function"], true);
    assert_eq!(first["sections"], 37);
    // Every framework, with whether it applies and why.
    let frameworks = first["frameworks"].as_array().unwrap();
    assert_eq!(frameworks.len(), 12);
    let dora = frameworks.iter().find(|f| f["id"] == "dora").unwrap();
    assert_eq!(dora["applies"], true);
    assert_eq!(dora["reason"], "financial_entity is true");
    let ncd = frameworks.iter().find(|f| f["id"] == "ncd").unwrap();
    assert_eq!(ncd["applies"], false);
    assert_eq!(
        ncd["conditions"][0],
        serde_json::json!({ "fact": "public_body", "source": "client.public_body", "expected": true, "actual": false })
    );
    let topics = first["topics"].as_array().unwrap();
    assert_eq!(topics.len(), 44);
    for t in topics {
        for field in [
            "topic",
            "title",
            "governed_by",
            "level",
            "from",
            "when",
            "required_when",
            "in_annex",
            "why",
            "sections",
        ] {
            assert!(t.get(field).is_some(), "{field} missing in {t}");
        }
        assert!(t["why"]["kind"].is_string());
    }
    let by_id = |id: &str| topics.iter().find(|t| t["topic"] == id).unwrap();
    assert_eq!(
        by_id("escrow")["why"],
        serde_json::json!({ "kind": "condition", "flag": "software", "expected": true, "actual": false })
    );
    let sandbox = by_id("inbound-data-sandbox");
    assert_eq!(sandbox["why"]["kind"], "included");
    assert_eq!(sandbox["why"]["otherwise"]["kind"], "below_level");
    let section = &sandbox["sections"][0];
    assert_eq!(section["clause"], "inbound-data-sandbox");
    assert_eq!(section["variant"], "high");
    assert_eq!(section["candidates"], serde_json::json!(["high"]));
    assert_eq!(section["weakest_above"], true);
    assert_eq!(
        section["file"],
        "templates/clauses/en/inbound-data-sandbox.high.md"
    );
    assert_eq!(
        by_id("tenant-separation")["when"],
        serde_json::json!([{ "flag": "shared_platform", "expected": true, "actual": true, "holds": true }])
    );
}

#[test]
fn errors_are_reported_as_check_reports_them() {
    let bad = "fixtures/projects/invalid/unknown-field.json";
    let check = annex(&["check", bad]);
    let explain = annex(&["explain", bad]);
    assert_eq!(explain.status.code(), Some(1));
    assert!(
        explain.stdout.is_empty(),
        "no trace for a project that does not load"
    );
    let messages = |o: &Output| {
        let text = String::from_utf8_lossy(&o.stderr).into_owned();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        lines.pop(); // "0 checked, 1 failed" / "0 explained, 1 failed"
        lines
    };
    assert_eq!(messages(&explain), messages(&check));
    assert!(
        String::from_utf8_lossy(&explain.stderr).contains("0 explained, 1 failed"),
        "{}",
        String::from_utf8_lossy(&explain.stderr)
    );
    // The good one is still explained, in order; JSON holds only it.
    let o = annex(&[
        "explain",
        "--json",
        bad,
        "fixtures/projects/valid-minimal.json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v.as_array().map(Vec::len), Some(1));
}

/// Issue 15, item 11: `explain --figures` lists every figure of the annex with its source (the
/// project, a level's default, the library, a clause text) and the defaults that add clauses.
#[test]
fn figures_are_listed_with_their_sources() {
    for (input, expected) in [
        (
            "templates/examples/webhosting-normal.json",
            "fixtures/explain/webhosting-normal.figures.txt",
        ),
        (
            "templates/examples/city-cloud-hr.json",
            "fixtures/explain/city-cloud-hr.figures.txt",
        ),
    ] {
        let o = annex(&["explain", "--figures", input]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        assert_matches_file(&text, &root().join(expected));
        // Every figure the project gives is said to come from the project.
        let project: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(root().join(input)).unwrap()).unwrap();
        for (key, _) in project["service_levels"].as_object().unwrap() {
            let line = text
                .lines()
                .find(|l| {
                    l.trim_start()
                        .starts_with(&format!("service_levels.{key} "))
                })
                .unwrap_or_else(|| panic!("{input}: no line for {key}:\n{text}"));
            assert!(line.ends_with("(the project)"), "{line}");
        }
    }
    let text = String::from_utf8_lossy(
        &annex(&[
            "explain",
            "--figures",
            "templates/examples/webhosting-normal.json",
        ])
        .stdout,
    )
    .into_owned();
    // `check --figures` prints the same list under its summary line.
    let checked = annex(&[
        "check",
        "--figures",
        "templates/examples/webhosting-normal.json",
    ]);
    let checked = String::from_utf8_lossy(&checked.stderr).into_owned()
        + &String::from_utf8_lossy(&checked.stdout);
    let listed = text.split_once('\n').unwrap().1.trim_end();
    assert!(checked.contains(listed), "{checked}");
    assert!(text.contains("  default that adds clauses: service.shared_platform is true because the project does not say; it adds Clause\u{a0}17 Client Separation"), "{text}");
    assert!(text.contains("service_levels.availability_percent               99.5 %  (the default of level \"normal\" (availability))"), "{text}");
}

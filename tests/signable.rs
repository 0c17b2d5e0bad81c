//! A signable annex (issue 12): the provisions counsel found missing appear where they apply,
//! with the project's figures, and never where they do not.

use serde_json::json;

use crate::support::{generator, md_only, root, tempdir, write_project};

fn markdown(path: &std::path::Path) -> String {
    generator()
        .generate(path, &md_only())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .markdown
}

fn example(name: &str) -> String {
    markdown(&root().join("templates/examples").join(name))
}

/// Headings of subsections ("### 9.4 Liability and Insurance" → "Liability and Insurance").
fn headings(md: &str) -> Vec<String> {
    md.lines()
        .filter_map(|l| l.strip_prefix("### "))
        .map(|l| l.split_once(' ').map_or(l, |(_, t)| t).to_owned())
        .collect()
}

#[test]
fn the_bank_annex_carries_the_financial_entitys_rights() {
    let md = example("bank-core-very-high.json");
    let h = headings(&md);
    for wanted in [
        "Term and Ordinary Termination",
        "Termination for Good Cause",
        "Exit Plan and Portability Tests",
        "Change Procedure",
        "Urgent Security Changes",
        "Contractual Penalties",
        "Liability and Insurance",
        "Material Changes to Critical Services",
    ] {
        assert!(
            h.iter().any(|x| x == wanted),
            "no subsection {wanted:?}: {h:#?}"
        );
    }
    // The project's term: 36 months minimum, 6 and 18 months' notice (a number and its unit
    // are joined by a no-break space).
    assert!(
        md.contains("minimum term of 36\u{a0}months"),
        "minimum term"
    );
    assert!(
        md.contains("notice period of 6\u{a0}months")
            && md.contains("notice period of 18\u{a0}months"),
        "notice periods"
    );
    // Precedence of the annex over the main contract.
    assert!(md.contains("prevail over"), "precedence");
    // Ethics (RTS 2024/1773 Art. 6(1)(f)) only for a critical function.
    assert!(md.contains("Ethical and Social Responsibility"));
    // A cloud switching clause only for a cloud service: the bank's is not one.
    assert!(!md.contains("Switching of the Cloud Service"));
    // A title that ends in "Annex" takes the number instead of repeating the word.
    assert!(md.contains("# Information Security, Resilience and Service Level Annex B\n"));
    assert!(!md.contains("Annex B: "));
}

#[test]
fn the_hospital_annex_carries_the_health_and_cloud_provisions() {
    let md = example("hospital-pacs-cloud.json");
    let h = headings(&md);
    for wanted in [
        "Aufbewahrung medizinischer Dokumentation",
        "Wechselverlangen und Ankündigungsfrist",
        "Übergangszeitraum",
        "Entgelte für den Wechsel",
        "Änderungsverfahren",
        "Einbindung in das Sicherheitskonzept des Auftraggebers, Mitwirkung und Verantwortung",
    ] {
        assert!(
            h.iter().any(|x| x == wanted),
            "no subsection {wanted:?}: {h:#?}"
        );
    }
    // § 393 SGB V: a C5 attestation and the customer-side criteria.
    assert!(md.contains("korrespondierende Kriterien"));
    // Georedundancy: the high availability default of 200 km, in the table.
    assert!(md.contains("mindestens 200 km"));
    // BSI-Standard 200-4 in the security concept's framework.
    assert!(md.contains("200-1, 200-2, 200-3, 200-4"));
    // The defined term is "Arbeitstag"; "Werktag" is gone.
    assert!(md.contains("**Arbeitstag**"));
    assert!(!md.contains("Werktag"));
    // No DORA for a hospital.
    assert!(!md.contains("DORA"));
}

#[test]
fn liability_caps_are_printed_when_given_and_never_cover_the_carve_outs() {
    let dir = tempdir();
    let mut p: serde_json::Value = crate::support::fixture("fixtures/projects/valid-minimal.json");
    let without = markdown(&write_project(dir.path(), "without.json", &p));
    p["liability"] = json!({ "cap_per_incident_eur": 250000, "cap_per_year_eur": 1000000 });
    let with = markdown(&write_project(dir.path(), "with.json", &p));
    assert!(
        with.contains("250.000") && with.contains("1.000.000"),
        "caps in German notation"
    );
    assert!(!without.contains("250.000"));
    for md in [&with, &without] {
        assert!(
            md.contains("grober Fahrlässigkeit") || md.contains("grob fahrlässig"),
            "gross negligence is never capped"
        );
        assert!(
            md.contains("Gesundheit"),
            "injury to life, body or health is never capped"
        );
    }
}

#[test]
fn a_site_distance_appears_only_where_the_level_or_the_project_sets_one() {
    // Normal availability: no default distance.
    let payroll = example("payroll-city.json");
    assert!(
        !payroll.contains(" km"),
        "no distance at normal availability"
    );
    let dir = tempdir();
    let mut p: serde_json::Value = crate::support::fixture("templates/examples/payroll-city.json");
    p["service_levels"]["site_distance_km"] = json!(150);
    let md = markdown(&write_project(dir.path(), "p.json", &p));
    assert!(md.contains("150 km"), "the project's distance");
}

#[test]
fn emergency_and_crisis_thresholds_are_the_projects_figures() {
    // Bank: P1 resolution 30 minutes (its project value), maximum tolerable downtime 1 hour.
    let md = example("bank-core-very-high.json");
    assert!(
        md.contains("Resolution Time for priority 1 incidents of 30\u{a0}minutes"),
        "emergency threshold"
    );
    assert!(
        md.contains("A crisis exists where an emergency is not expected to end within the Maximum Tolerable Downtime of 1\u{a0}hour"),
        "crisis threshold"
    );
}

#[test]
fn cloud_switching_uses_the_data_act_periods_of_the_library() {
    let md = example("hospital-pacs-cloud.json");
    for wanted in [
        "spätestens jedoch 2\u{a0}Monate nach Zugang des Wechselverlangens",
        "Übergangszeitraums von höchstens 30 Kalendertagen",
        "innerhalb von 14 Arbeitstagen nach Zugang des Wechselverlangens",
        "Übergangszeitraum von höchstens 7\u{a0}Monaten",
        "Abrufzeitraums von 30\u{a0}Tagen",
    ] {
        assert!(md.contains(wanted), "{wanted:?}");
    }
}

/// The two annexes counsel read in full (issue 12): a hospital and a bank at very high, in both
/// languages, render as final annexes whose only weaker figure (the distance of their sites) is
/// documented as accepted, whose insurance is at least the agreed liability caps, and with no
/// warning but the bank's own flagged pair of figures.
#[test]
fn the_hospital_and_the_bank_at_very_high_are_signable_in_both_languages() {
    let dir = tempdir();
    for (file, flagged) in [
        ("fixtures/signable/hospital-very-high.json", false),
        ("fixtures/signable/bank-very-high.json", true),
    ] {
        for lang in ["de", "en"] {
            let mut p: serde_json::Value = crate::support::fixture(file);
            p["annex"]["language"] = json!(lang);
            p["annex"]["id"] = json!(format!("signable-{lang}"));
            p["annex"].as_object_mut().unwrap().remove("title");
            let path = write_project(dir.path(), "p.json", &p);
            let prepared = generator()
                .prepare(&path, annex::Mode::Final)
                .unwrap_or_else(|e| panic!("{file} ({lang}): {e}"));
            assert!(!prepared.draft());
            let warnings: Vec<String> = prepared.warnings.iter().map(|w| w.to_string()).collect();
            let expected = usize::from(flagged);
            assert_eq!(warnings.len(), expected, "{file} ({lang}): {warnings:#?}");
            if flagged {
                assert!(warnings[0].contains("mtpd-within-monthly-budget"));
            }
            let md = markdown(&path);
            let (heading, insured) = if lang == "de" {
                (
                    "Akzeptierte Abweichungen",
                    "Haftungshöchstbeträge erreichen",
                )
            } else {
                (
                    "Accepted Deviations",
                    "not lower than the liability caps agreed in this Annex",
                )
            };
            assert!(
                md.contains(heading),
                "{file} ({lang}): the acceptance is printed"
            );
            let reason = p["accepted_deviations"][0]["reason"].as_str().unwrap();
            assert!(md.contains(reason), "{file} ({lang}): with its reason");
            assert!(md.contains(insured), "{file} ({lang}): insurance floor");
            assert!(!md.contains("=="), "{file} ({lang}): nothing highlighted");
        }
    }
}

//! Issue 16, item 3: the DORA register of information (`<id>.dora-register.csv`), its lint,
//! and its place in the PDF/A-3. The invalid projects of the lint are in
//! `fixtures/projects/invalid/` (`dora-*`, `function-id-not-register-form`).

use std::path::{Path, PathBuf};

use annex::{Mode, Options};

use crate::support::{
    annex, assert_matches_file, fixture, generator, root, stderr, tempdir, write_project,
};

fn bank() -> PathBuf {
    root().join("templates/examples/bank-core-very-high.json")
}

/// The records of a register CSV, the header first.
fn records(csv: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn the_bank_examples_register_passes_its_lint_and_has_the_expected_rows() {
    let document = generator()
        .prepare(&bank(), Mode::Final)
        .expect("a final annex: the register lacks nothing");
    let register = document.register.as_ref().expect("a register");
    assert!(register.missing.is_empty(), "{:?}", register.missing);
    let csv = register.to_csv().unwrap();
    assert_matches_file(
        &csv,
        &root().join("fixtures/register/bank-core-very-high.csv"),
    );

    // One rectangular table: the template, then c0010 to c0180; CRLF line ends, no BOM.
    assert!(csv.starts_with("template,c0010,c0020,"), "{csv}");
    assert!(csv.ends_with("\r\n") && !csv.replace("\r\n", "").contains('\n'));
    let rows = records(&csv);
    assert!(rows.iter().all(|r| r.len() == 19), "{rows:?}");
    assert_eq!(rows[0][18], "c0180");
    let templates: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        templates,
        [
            "B_02.01", "B_02.02", "B_05.02", "B_05.02", "B_05.02", "B_07.01"
        ]
    );
    let b0202 = &rows[2];
    // c0020 client, c0030 provider, c0050 function, c0060 service type, c0080 open end,
    // c0100 / c0110 the notice periods of 6 and 18 months in days.
    assert_eq!(b0202[2], "529900BEISPIELTAL026");
    assert_eq!(b0202[3], "391200FINOPSSERV0059");
    assert_eq!(b0202[5], "F1");
    assert_eq!(b0202[6], "eba_TA:S14");
    assert_eq!(b0202[8], "9999-12-31");
    assert_eq!((b0202[10].as_str(), b0202[11].as_str()), ("183", "548"));
    // The supply chain: the provider at rank 1, each subcontractor at rank 2 under it.
    assert_eq!((rows[3][5].as_str(), rows[3][6].as_str()), ("1", ""));
    assert_eq!(rows[4][3], "529900COLORHEINMAN40");
    assert_eq!(
        (rows[4][5].as_str(), rows[4][6].as_str()),
        ("2", "391200FINOPSSERV0059")
    );
    // What the contract cannot know stays empty: B_02.01 c0040 / c0050 (currency, annual
    // expense), B_07.01 c0070 (date of the last audit).
    assert_eq!((rows[1][4].as_str(), rows[1][5].as_str()), ("", ""));
    assert_eq!(rows[6][7], "");
}

/// `annex render PROJECT --format md -o OUT`, which must succeed.
fn render_md(project: &Path, out: &Path) {
    let o = annex(
        &[
            "render",
            project.to_str().unwrap(),
            "--format",
            "md",
            "-o",
            out.to_str().unwrap(),
        ],
        out.parent().unwrap(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn render_writes_the_register_whatever_the_formats_and_lists_it_in_the_report() {
    let dir = tempdir();
    let out = dir.path().join("out");
    render_md(&bank(), &out);
    let written = std::fs::read(out.join("rb-core-banking-ops.dora-register.csv")).unwrap();
    let expected = std::fs::read(root().join("fixtures/register/bank-core-very-high.csv")).unwrap();
    assert_eq!(written, expected);
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let text = report.to_string();
    assert!(
        text.contains("rb-core-banking-ops.dora-register.csv"),
        "{text}"
    );
    let sha = annex::digest::sha256_hex(&expected);
    assert!(
        text.contains(&sha),
        "the report lists the file's SHA-256: {text}"
    );

    // A financial entity without `dora` asks for no register: none is written.
    render_md(
        &root().join("fixtures/regimes/bank-critical-function.json"),
        &out,
    );
    assert!(
        !out.join("bank-critical-function.dora-register.csv")
            .exists()
    );
}

#[test]
fn a_draft_writes_the_incomplete_register_with_empty_cells_and_warns_once_per_field() {
    let dir = tempdir();
    let project = root().join("fixtures/projects/invalid/dora-register-incomplete.json");
    let o = annex(
        &[
            "render",
            project.to_str().unwrap(),
            "--draft",
            "--format",
            "md",
            "-o",
            "out",
        ],
        dir.path(),
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let warnings = err
        .matches("the DORA register of information needs")
        .count();
    let final_ = generator()
        .prepare(&project, Mode::Final)
        .expect_err("a final annex is refused");
    assert_eq!(
        warnings,
        final_.diagnostics.iter().filter(|d| d.is_error()).count(),
        "{err}"
    );
    assert!(err.contains("`dora.governing_law`"), "{err}");
    let csv = std::fs::read_to_string(
        dir.path()
            .join("out/dora-register-incomplete.draft.dora-register.csv"),
    )
    .unwrap();
    let rows = records(&csv);
    // B_02.02 c0120 (governing law) and c0030 (the provider's LEI) are empty.
    assert_eq!(rows[2][0], "B_02.02");
    assert_eq!((rows[2][3].as_str(), rows[2][12].as_str()), ("", ""));
    assert!(
        !dir.path()
            .join("out/dora-register-incomplete.dora-register.csv")
            .exists()
    );
}

#[test]
fn without_a_critical_function_the_register_has_no_supply_chain_and_no_assessment() {
    let dir = tempdir();
    let mut p = fixture("fixtures/regimes/bank-no-critical-function.json");
    p["service"]["function_id"] = "F2".into();
    p["service"]["start_date"] = "2027-01-01".into();
    p["provider"]["lei"] = "391200FINOPSSERV0059".into();
    p["dora"] = serde_json::json!({
        "contract_reference": "V-2027-1",
        "arrangement_type": "standalone",
        "ict_service_type": "S19",
        // The provider processes personal data: B_02.02 c0160 needs the country.
        "processing_country": "DE"
    });
    let path = write_project(dir.path(), "p.json", &p);
    let document = generator()
        .prepare(&path, Mode::Final)
        .unwrap_or_else(|e| panic!("{e}"));
    let register = document.register.as_ref().expect("a register");
    assert!(register.missing.is_empty(), "{:?}", register.missing);
    let templates: Vec<&str> = register.rows.iter().map(|r| r.template).collect();
    assert_eq!(templates, ["B_02.01", "B_02.02"]);
    // Conditional columns the project does not give stay empty without an error.
    assert_eq!(register.rows[1].values[11], "");

    // Without `dora` there is no register.
    let document = generator()
        .prepare(
            Path::new("fixtures/regimes/bank-no-critical-function.json"),
            Mode::Final,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(document.register.is_none());
}

#[test]
fn the_register_is_attached_to_the_pdf_a_3_as_csv() {
    let annex = generator()
        .generate(&bank(), &Options::default())
        .expect("renders");
    let pdf = &annex.pdf.as_ref().expect("pdf").bytes;
    let (content, mime) = crate::support::embedded(pdf, "rb-core-banking-ops.dora-register.csv")
        .expect("the register is attached");
    assert_eq!(mime, "text/csv");
    assert_eq!(Some(String::from_utf8(content).unwrap()), annex.register);
    let (_, mime) =
        crate::support::embedded(pdf, "rb-core-banking-ops.manifest.json").expect("manifest");
    assert_eq!(mime, "application/json");
}

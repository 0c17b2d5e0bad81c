//! The command line: exit codes, outputs, messages.

use std::path::Path;
use std::process::{Command, Output};

fn annex(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_annex"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

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
    assert!(err.contains("1 succeeded, 1 failed"), "{err}");
    let written: Vec<_> = std::fs::read_dir(dir.path().join("out")).unwrap().collect();
    assert_eq!(
        written.len(),
        3,
        "only the good project's Markdown, coverage matrix and manifest are written, no temporary files"
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
        annex(&["render", "--format", "docx", "x.json"], dir.path())
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

//! Unit tests of the PDF engine's errors: bad settings, reads outside the virtual files,
//! packages, unknown fonts, and errors located in the body, the frame or the data.

use super::*;

fn compile_err(body: &str) -> crate::failure::Failure {
    match ENGINE.compile(&job(body, DATA_DE)) {
        Ok(_) => panic!("compile of {body:?} unexpectedly succeeded"),
        Err(err) => err,
    }
}

#[test]
fn unknown_or_incompatible_standard_is_an_error() {
    let err = ENGINE
        .compile(&PdfJob {
            standard: Some("a-9z"),
            ..job(BODY_DE, DATA_DE)
        })
        .expect_err("unknown standard");
    let text = err.to_string();
    assert!(
        text.starts_with("error: unknown PDF standard `a-9z`\n  hint: valid standards: 1.4,"),
        "{text}"
    );

    let err = ENGINE
        .compile(&PdfJob {
            standard: Some("a-4,1.7"),
            ..job(BODY_DE, DATA_DE)
        })
        .expect_err("incompatible standards");
    assert!(err.diagnostics[0].location.is_none(), "{err}");
}

#[test]
fn invalid_date_is_an_error() {
    let err = ENGINE
        .compile(&PdfJob {
            date: (2026, 2, 30),
            ..job(BODY_DE, DATA_DE)
        })
        .expect_err("30 February");
    assert_eq!(err.to_string(), "error: invalid annex date 2026-02-30");
    assert_eq!(
        err.display(crate::language::Language::De).to_string(),
        "Fehler: ungültiges Datum der Anlage 2026-02-30"
    );
}

/// Asserts a single error located in `body.typ` and returns it.
fn located_error(body: &str, line: usize, column: usize) -> Diagnostic {
    let err = compile_err(body);
    assert_eq!(err.diagnostics.len(), 1, "{err}");
    let diag = err.diagnostics[0].clone();
    assert_eq!(diag.severity, Severity::Error, "{err}");
    let location = Location::at("body.typ", line, column);
    assert_eq!(diag.location, Some(location), "{err}");
    diag
}

#[test]
fn image_outside_the_virtual_files_fails_with_location() {
    let diag = located_error("Text\n\nVor #image(\"/etc/passwd\") nach\n", 3, 12);
    assert_eq!(
        diag.message.en(),
        "file not found (searched at /etc/passwd)"
    );
}

#[test]
fn read_outside_the_virtual_files_fails_with_location() {
    let diag = located_error("#let x = 1\n  #read(\"/etc/hostname\")\n", 2, 9);
    assert_eq!(
        diag.message.en(),
        "file not found (searched at /etc/hostname)"
    );
}

#[test]
fn include_escaping_the_root_fails_without_cli_hint() {
    let diag = located_error("§ 1\n#include \"../../etc/passwd\"\n", 2, 10);
    assert_eq!(
        diag.message.en(),
        "path `\"../../etc/passwd\"` would escape the project root"
    );
    assert!(
        diag.hints.iter().all(|h| !h.en().contains("--root")),
        "{diag}"
    );
    assert!(!diag.hints.is_empty(), "the sandbox hint stays");
}

#[test]
fn packages_fail_with_a_clear_message() {
    let diag = located_error("#import \"@preview/cetz:0.3.0\": *\n", 1, 9);
    assert!(
        diag.message
            .en()
            .contains("packages are not available in annex"),
        "{diag}"
    );
    assert!(
        diag.message
            .get(crate::language::Language::De)
            .contains("Pakete sind in annex nicht verfügbar"),
        "{diag}"
    );
}

#[test]
fn reading_a_source_file_as_data_stays_inside() {
    // The three virtual files are the only readable ones.
    compile(&job(
        "#assert(read(\"annex.json\").len() > 0)\n#assert(read(\"/main.typ\").len() > 0)\n",
        DATA_DE,
    ));
}

#[test]
fn unknown_font_warning_is_a_failure() {
    let err = compile_err("Text\n#text(font: \"Arial\")[x]\n");
    let diag = &err.diagnostics[0];
    assert_eq!(diag.severity, Severity::Warning, "{err}");
    assert_eq!(diag.message.en(), "unknown font family: arial");
    let location = diag.location.as_ref().expect("located");
    assert_eq!(
        (location.file.as_path(), location.line),
        (std::path::Path::new("body.typ"), Some(2)),
        "{err}"
    );
    assert!(err.to_string().starts_with("body.typ:2:"), "{err}");
    assert!(
        err.to_string()
            .contains(": warning: unknown font family: arial"),
        "{err}"
    );
}

#[test]
fn display_lists_each_diagnostic_with_its_source_line_and_hints() {
    let err = compile_err("a\n#foo(\nb\n");
    let text = err.to_string();
    let first = text.lines().next().unwrap_or_default();
    assert!(first.starts_with("body.typ:"), "{text}");
    assert!(first.contains(": error: "), "{text}");
    assert!(text.contains("\n2 | #foo(\n"), "{text}");
    for line in text.lines().skip(1) {
        assert!(
            line.starts_with("body.typ:")
                || line.starts_with("  hint: ")
                || line
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_digit() || c == '|'),
            "{text}"
        );
    }
}

#[test]
fn error_in_the_data_is_located_in_the_frame() {
    let err = ENGINE
        .compile(&job(BODY_DE, "{\"lang\": \"de\"}"))
        .expect_err("missing keys");
    let location = err.diagnostics[0].location.as_ref().expect("located");
    assert_eq!(location.file, std::path::Path::new("main.typ"), "{err}");
}

#[test]
fn broken_json_is_located_in_the_data_file() {
    let err = ENGINE
        .compile(&job(BODY_DE, "{\n  \"lang\": \"de\",\n  oops\n}"))
        .expect_err("bad json");
    let text = err.to_string();
    assert!(text.contains("annex.json:3:"), "{text}");
}

#[test]
fn a_webassembly_plugin_cannot_be_loaded() {
    // A plugin runs without fuel: one that loops never returns. Neither name reaches it.
    for call in [
        "#plugin(bytes((0, 97, 115, 109)))",
        "#std.plugin(bytes((0, 97, 115, 109)))",
    ] {
        let err = compile_err(&format!("Text\n\n{call}\n"));
        let text = err.to_string();
        assert!(
            text.contains("plugin")
                && (text.contains("unknown variable") || text.contains("does not contain")),
            "{call}: {text}"
        );
    }
    // The rest of the standard library is still there.
    assert!(
        ENGINE
            .compile(&job("#calc.abs(-1) #std.upper(\"x\")\n", DATA_DE))
            .is_ok()
    );
}

#[test]
fn a_frame_that_runs_too_long_is_stopped_and_not_used_again() {
    let engine = PdfEngine::new().with_time_limit(std::time::Duration::from_millis(300));
    // About 3 s of layout: far beyond the limit (the thread finishes on its own).
    let frame = format!("{FRAME}\n#for i in range(30000) [#i ]\n");
    let slow = PdfJob {
        frame: &frame,
        ..job(BODY_DE, DATA_DE)
    };
    let started = std::time::Instant::now();
    let err = engine.compile(&slow).expect_err("stopped");
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert!(
        err.to_string()
            .contains("the PDF frame was stopped after 0.3 seconds"),
        "{err}"
    );
    let started = std::time::Instant::now();
    let again = engine.compile(&slow).expect_err("not used again");
    assert!(started.elapsed() < std::time::Duration::from_millis(100));
    assert!(again.to_string().contains("is not used again"), "{again}");
    // Another frame (the one fixed, say) is compiled.
    let fixed = PdfJob {
        frame: "Hallo",
        ..job(BODY_DE, DATA_DE)
    };
    let pdf = engine.compile(&fixed).expect("another frame compiles");
    assert_eq!(pdf.pages, 1);
}

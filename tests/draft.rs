//! Draft and final: a final annex fails on a value its clauses need and the project does not
//! give; a draft shows a placeholder for it, is watermarked and named `<id>.draft.*`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use annex::{Generator, Options};

use crate::support::{generator, minimal_project, root, tempdir, write_project};

/// The paragraph the test templates add to the service-level clause: three values that the
/// minimal project does not give, one of them through a filter.
const NEEDS: &str = "\n\n## Standorte\n\nDie Standorte liegen mindestens {{ service_levels.site_distance_km | number }} km auseinander. Entfernung laut Vertrag: {% if service_levels.site_distance_km %}vereinbart{% else %}nicht vereinbart{% endif %}. Beauftragte Person für Informationssicherheit des Auftraggebers ist {{ client.security_officer.name }}. Vertragsnummer: **{{ variables.vertragsnummer }}**.\n";

/// The fields of [`NEEDS`].
const FIELDS: [&str; 3] = [
    "service_levels.site_distance_km",
    "client.security_officer.name",
    "variables.vertragsnummer",
];

/// A template folder in which every German service-level variant ends with [`NEEDS`], and a
/// generator with it.
fn needy() -> &'static (tempfile::TempDir, Generator) {
    static NEEDY: OnceLock<(tempfile::TempDir, Generator)> = OnceLock::new();
    NEEDY.get_or_init(|| {
        let dir = tempdir();
        write_needy_templates(dir.path());
        let library = annex::library::Library::with_overrides(dir.path())
            .unwrap_or_else(|e| panic!("the test templates do not load: {e:?}"));
        let generator = Generator::with_library(library).expect("generator");
        (dir, generator)
    })
}

fn write_needy_templates(dir: &Path) {
    let clauses = dir.join("clauses/de");
    std::fs::create_dir_all(&clauses).unwrap();
    for level in ["normal", "high", "very_high"] {
        let name = format!("service-levels.{level}.md");
        let text =
            std::fs::read_to_string(root().join("templates/clauses/de").join(&name)).unwrap();
        std::fs::write(clauses.join(name), format!("{}{NEEDS}", text.trim_end())).unwrap();
    }
}

fn minimal() -> PathBuf {
    root().join("fixtures/projects/valid-minimal.json")
}

fn draft() -> Options {
    Options {
        draft: true,
        ..Options::default()
    }
}

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("the PDF parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).unwrap_or_default();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The texts of the code spans of a Markdown document.
fn code_spans(md: &str) -> Vec<String> {
    pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::ENABLE_TABLES)
        .filter_map(|e| match e {
            pulldown_cmark::Event::Code(c) => Some(c.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_final_annex_fails_with_the_missing_field_at_the_template_line() {
    let failure = needy()
        .1
        .generate(&minimal(), &Options::default())
        .expect_err("a value is missing");
    let error = failure
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("an error");
    let location = error.location.as_ref().expect("located");
    let file = location.file.to_string_lossy();
    assert!(
        file.contains("clauses/de/service-levels.") && file.ends_with(".md"),
        "{error}"
    );
    assert!(
        location.line.is_some() && location.column.is_some(),
        "{error}"
    );
    assert!(
        error
            .message
            .en()
            .contains("`service_levels.site_distance_km`")
            && error.message.en().contains("the project does not give"),
        "{error}"
    );
    let source_line = error.source_line.as_deref().unwrap_or_default();
    assert!(
        source_line.contains("{{ service_levels.site_distance_km | number }}"),
        "{error}"
    );
    assert!(
        error.hints.iter().any(|h| h.en().contains("--draft")),
        "{error}"
    );
}

#[test]
fn a_draft_shows_each_missing_value_as_a_placeholder() {
    let generator = &needy().1;
    let annex = generator
        .generate(&minimal(), &draft())
        .expect("a draft renders");
    assert!(annex.draft);

    // Markdown: the notice first, each placeholder as a code span.
    assert!(
        annex.markdown.starts_with("> **ENTWURF"),
        "{}",
        &annex.markdown[..200]
    );
    let spans = code_spans(&annex.markdown);
    for field in FIELDS {
        assert!(
            spans.contains(&format!("[{field}]")),
            "no placeholder for {field} in the Markdown: {spans:?}"
        );
    }
    // A use of the same value under `{% if %}` keeps the text for its absence.
    assert!(
        annex
            .markdown
            .contains("Entfernung laut Vertrag: nicht vereinbart."),
        "the guarded sentence changed"
    );

    // Typst: one labelled box per placeholder, nothing else.
    assert_eq!(annex.typst.body.matches("<annex-missing>").count(), 3);

    // PDF: the placeholders as text and the watermark on every page.
    let pdf = annex.pdf.as_ref().expect("pdf");
    let text = pdf_text(&pdf.bytes);
    for field in FIELDS {
        assert!(
            text.contains(&format!("[{field}]")),
            "PDF text lacks [{field}]"
        );
    }
    assert!(
        text.matches("ENTWURF").count() >= pdf.pages,
        "the watermark is not on every page"
    );

    // Warnings: one per placeholder, at the template line, naming field and clause file.
    let warnings: Vec<String> = annex.warnings.iter().map(|w| w.to_string()).collect();
    for field in FIELDS {
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(&format!("placeholder [{field}]"))
                    && w.contains("clauses/de/service-levels.")),
            "no warning for {field}: {warnings:#?}"
        );
    }

    // Manifest: draft, with the placeholders.
    let manifest: serde_json::Value = serde_json::from_str(&annex.manifest).unwrap();
    assert_eq!(manifest["draft"], true);
    let listed: Vec<&str> = manifest["placeholders"]
        .as_array()
        .expect("placeholders")
        .iter()
        .filter_map(|p| p["field"].as_str())
        .collect();
    assert_eq!(listed, FIELDS);
    assert_eq!(
        manifest["placeholders"][1]["missing"],
        "client.security_officer"
    );

    // Files: <id>.draft.*, never the names of a final annex.
    let dir = tempdir();
    let written = annex::output::write(&annex, dir.path()).expect("writes");
    let mut names: Vec<String> = written
        .iter()
        .map(|w| w.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "stadtwerke-hosting.draft.coverage.json",
            "stadtwerke-hosting.draft.manifest.json",
            "stadtwerke-hosting.draft.md",
            "stadtwerke-hosting.draft.pdf",
        ]
    );
}

#[test]
fn project_text_that_imitates_a_placeholder_stays_text() {
    let imitation = "[service_levels.storage_gb] `[client.security_officer.name]` \u{FDD0}73746f726167655f6762\u{FDD1} <annex-missing> #box[x]<annex-missing>";
    let dir = tempdir();
    let mut project = minimal_project();
    project["client"]["name"] = imitation.into();
    project["provider"]["representative"] = imitation.into();
    project["variables"] = serde_json::json!({ "note": imitation });
    let path = write_project(dir.path(), "imitation.json", &project);
    let looks_like = [
        "[service_levels.storage_gb] `[client.security_officer.name]`",
        "<annex-missing> #box[x]<annex-missing>",
    ];

    // Final, built-in templates: no placeholder at all.
    let annex = generator()
        .generate(&path, &Options::default())
        .expect("renders");
    assert_eq!(annex.typst.body.matches("<annex-missing>").count(), 0);
    assert!(code_spans(&annex.markdown).is_empty());
    let text = pdf_text(&annex.pdf.as_ref().expect("pdf").bytes);
    for words in looks_like {
        assert!(text.contains(words), "PDF text lacks {words:?}");
    }

    // Draft with missing values: only the three real placeholders become boxes.
    let annex = needy().1.generate(&path, &draft()).expect("renders");
    assert_eq!(annex.typst.body.matches("<annex-missing>").count(), 3);
    let spans = code_spans(&annex.markdown);
    assert_eq!(spans.len(), 3, "{spans:?}");
    let text = pdf_text(&annex.pdf.as_ref().expect("pdf").bytes);
    for words in looks_like {
        assert!(text.contains(words), "PDF text lacks {words:?}");
    }
}

#[test]
fn final_and_draft_of_a_complete_project_differ_only_as_intended() {
    let final_ = generator()
        .generate(&minimal(), &Options::default())
        .expect("final");
    let draft = generator().generate(&minimal(), &draft()).expect("draft");
    assert!(!final_.draft && draft.draft);
    // Markdown: the draft notice on top, nothing else.
    let notice_end = draft.markdown.find("\n# ").expect("title") + 1;
    assert!(draft.markdown[..notice_end].starts_with("> **ENTWURF"));
    assert_eq!(&draft.markdown[notice_end..], final_.markdown);
    // The clause text given to typst is the same; the data differ in the draft flag only.
    assert_eq!(draft.typst.body, final_.typst.body);
    let mut data: serde_json::Value = serde_json::from_slice(&draft.typst.data).unwrap();
    let final_data: serde_json::Value = serde_json::from_slice(&final_.typst.data).unwrap();
    assert_eq!(data["draft"], true);
    assert_eq!(final_data["draft"], false);
    data["draft"] = false.into();
    // The manifest attached to the draft is named like the draft's file.
    assert_eq!(
        data["attachments"][1]["name"],
        "stadtwerke-hosting.draft.manifest.json"
    );
    data["attachments"][1]["name"] = final_data["attachments"][1]["name"].clone();
    data["attachments"][1]["content"] = final_data["attachments"][1]["content"].clone();
    assert_eq!(data, final_data);
    // The manifest: the same plus "draft": true.
    let mut manifest: serde_json::Value = serde_json::from_str(&draft.manifest).unwrap();
    let final_manifest: serde_json::Value = serde_json::from_str(&final_.manifest).unwrap();
    assert_eq!(final_manifest.get("draft"), None);
    assert_eq!(
        manifest
            .as_object_mut()
            .unwrap()
            .remove("draft")
            .as_ref()
            .and_then(|d| d.as_bool()),
        Some(true)
    );
    assert_eq!(manifest, final_manifest);
    assert_eq!(draft.warnings, final_.warnings);
    // PDF: same pages; the draft says ENTWURF (watermark, notice, footer, title), the final
    // annex nowhere.
    let (fp, dp) = (final_.pdf.expect("pdf"), draft.pdf.expect("pdf"));
    let (ft, dt) = (pdf_text(&fp.bytes), pdf_text(&dp.bytes));
    assert!(!ft.contains("ENTWURF"));
    assert!(dt.contains("ENTWURF – nicht zur Unterzeichnung"));
    // Footer and watermark on every page (the spaced watermark letters come out one by one).
    assert!(dt.replace(' ', "").matches("ENTWURF").count() >= 2 * dp.pages);
    let doc = lopdf::Document::load_mem(&dp.bytes).unwrap();
    let xmp = match doc
        .catalog()
        .and_then(|c| c.get(b"Metadata"))
        .and_then(|m| m.as_reference())
        .and_then(|r| doc.get_object(r))
    {
        Ok(lopdf::Object::Stream(s)) => {
            let mut s = s.clone();
            let _ = s.decompress();
            String::from_utf8_lossy(&s.content).into_owned()
        }
        other => panic!("no XMP metadata: {other:?}"),
    };
    assert!(xmp.contains("ENTWURF: Anlage 2"), "{xmp}");
}

#[test]
fn a_template_with_the_reserved_characters_is_refused() {
    let dir = tempdir();
    let clauses = dir.path().join("clauses/de");
    std::fs::create_dir_all(&clauses).unwrap();
    let name = "service-levels.normal.md";
    let text = std::fs::read_to_string(root().join("templates/clauses/de").join(name)).unwrap();
    std::fs::write(
        clauses.join(name),
        format!("{text}\nA \u{FDD0}41\u{FDD1}\n"),
    )
    .unwrap();
    let library = annex::library::Library::with_overrides(dir.path()).expect("loads");
    let Err(failure) = Generator::with_library(library) else {
        panic!("a template with U+FDD0 was accepted");
    };
    assert!(
        failure
            .diagnostics
            .iter()
            .any(|d| d.message.en().contains("U+FDD0")),
        "{failure}"
    );
}

#[test]
fn the_command_line_renders_drafts_and_lists_the_placeholders() {
    let dir = tempdir();
    write_needy_templates(dir.path());
    let out = dir.path().join("out");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "render".to_string(),
            minimal().to_string_lossy().into_owned(),
            "--templates".into(),
            dir.path().to_string_lossy().into_owned(),
            "-o".into(),
            out.to_string_lossy().into_owned(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        Command::new(env!("CARGO_BIN_EXE_annex"))
            .env("ANNEX_LANG", "en")
            .args(&args)
            .output()
            .expect("runs")
    };
    let final_ = run(&[]);
    assert_eq!(final_.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&final_.stderr);
    assert!(stderr.contains("`service_levels.site_distance_km`") && stderr.contains("--draft"));

    let draft = run(&["--draft"]);
    let stderr = String::from_utf8_lossy(&draft.stderr);
    assert!(draft.status.success(), "{stderr}");
    for field in FIELDS {
        assert!(
            stderr.contains(&format!("warning: placeholder [{field}]")),
            "{stderr}"
        );
    }
    assert!(out.join("stadtwerke-hosting.draft.pdf").is_file());
    assert!(!out.join("stadtwerke-hosting.pdf").exists());
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let warnings = report["projects"][0]["warnings"].as_array().unwrap();
    for field in FIELDS {
        assert!(
            warnings.iter().any(|w| w
                .as_str()
                .unwrap()
                .contains(&format!("placeholder [{field}]"))),
            "report.json lacks {field}"
        );
    }

    // `check --draft` lists them too and writes nothing.
    let check = Command::new(env!("CARGO_BIN_EXE_annex"))
        .env("ANNEX_LANG", "en")
        .args(["check", "--draft", "--templates"])
        .arg(dir.path())
        .arg(minimal())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{stderr}");
    assert_eq!(
        stderr.matches("warning: placeholder [").count(),
        3,
        "{stderr}"
    );
}

/// A figure weaker than its level's default and not yet accepted is highlighted wherever the
/// draft prints it (Markdown `==…==`, a highlight in the PDF); a final annex refuses it, and
/// an accepted one is printed plainly.
#[test]
fn a_draft_highlights_weaker_figures() {
    let dir = tempdir();
    let mut p: serde_json::Value = crate::support::fixture("templates/examples/payroll-city.json");
    p["service_levels"]["max_downtime_hours"] = serde_json::json!(96);
    let path = crate::support::write_project(dir.path(), "p.json", &p);
    let options = Options {
        formats: annex::Formats {
            markdown: true,
            pdf: false,
            docx: false,
            typst: false,
        },
        ..draft()
    };
    let out = generator()
        .generate(&path, &options)
        .expect("a draft renders");
    assert!(
        out.markdown.contains("| höchstens ==96\u{a0}Stunden== |"),
        "the service-level table highlights the figure"
    );
    // Every use of the figure, and nothing else.
    let marked: Vec<&str> = out.markdown.matches("==").collect();
    assert_eq!(marked.len() % 2, 0);
    assert!(
        !out.markdown.contains("==72"),
        "defaults are not highlighted"
    );
    assert!(
        out.typst
            .body
            .contains("#highlight[96\u{a0}Stunden]<annex-weaker>"),
        "the PDF highlights it"
    );
    // Accepted: no highlight.
    p["accepted_deviations"] = serde_json::json!([{
        "field": "service_levels.max_downtime_hours",
        "reason": "Die Lohnabrechnung läuft monatlich; vier Tage sind überbrückbar.",
        "accepted_by": "Amtsleitung, 2026-11-30"
    }]);
    let path = crate::support::write_project(dir.path(), "p.json", &p);
    let out = generator()
        .generate(&path, &options)
        .expect("a draft renders");
    assert!(!out.markdown.contains("=="), "nothing to highlight");
}

#[test]
fn a_list_a_loop_needs_is_named_in_a_final_annex_and_in_a_draft() {
    let dir = tempdir();
    let clauses = dir.path().join("clauses/de");
    std::fs::create_dir_all(&clauses).unwrap();
    let name = "service-levels.high.md";
    let text = std::fs::read_to_string(root().join("templates/clauses/de").join(name)).unwrap();
    let lines = text.trim_end().lines().count();
    std::fs::write(
        clauses.join(name),
        format!(
            "{}\n\nListe: {{% for y in nothing_here %}}{{{{ y }}}}{{% endfor %}}\n",
            text.trim_end()
        ),
    )
    .unwrap();
    let library = annex::library::Library::with_overrides(dir.path()).expect("loads");
    let generator = Generator::with_library(library).expect("generator");
    for options in [Options::default(), draft()] {
        let failure = generator
            .generate(&minimal(), &options)
            .expect_err("the list is missing");
        let error = &failure.diagnostics[0];
        // The loop passes through annex's meter (`render::budget`); the message names the list
        // and points at it, not at the meter.
        assert!(
            error.message.en().contains("`nothing_here`")
                && !error.message.en().contains("__annex"),
            "{error}"
        );
        let location = error.location.as_ref().expect("located");
        assert_eq!(location.column, Some(20), "{error}");
        // The front matter's lines count: the loop is on the last line of the file.
        assert!(location.line.unwrap() as usize > lines, "{error}");
        assert!(
            !error
                .hints
                .iter()
                .any(|h| h.en().contains("shows the placeholder")),
            "{error}"
        );
    }
}

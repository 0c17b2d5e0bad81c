//! Incremental runs: `render` leaves an annex whose files are up to date as it is and renders
//! what changed, saying why; `--force` renders all.

use std::path::{Path, PathBuf};

use crate::support::{annex, root, stderr};

/// Two English examples that select different clauses: a portfolio of two.
const PROJECTS: [&str; 2] = ["webhosting-normal.json", "bank-core-very-high.json"];
const WEB: &str = "brightline-web-hosting";
const BANK: &str = "rb-core-banking-ops";

/// A portfolio folder with copies of the two examples, an (empty) template folder laid over
/// the built-in library, and the output folder.
struct Portfolio {
    dir: tempfile::TempDir,
}

impl Portfolio {
    fn new() -> Portfolio {
        let dir = crate::support::tempdir();
        std::fs::create_dir_all(dir.path().join("projects")).unwrap();
        std::fs::create_dir_all(dir.path().join("house/clauses/en")).unwrap();
        for name in PROJECTS {
            std::fs::copy(
                root().join("templates/examples").join(name),
                dir.path().join("projects").join(name),
            )
            .unwrap();
        }
        Portfolio { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// `annex render projects -o out --templates house` with `extra` arguments; the report.
    fn render(&self, extra: &[&str]) -> (String, serde_json::Value) {
        let mut args = vec!["render", "projects", "-o", "out", "--templates", "house"];
        args.extend_from_slice(extra);
        let o = annex(&args, self.dir.path());
        let err = stderr(&o);
        assert!(o.status.success(), "{err}");
        let report = std::fs::read_to_string(self.path("out/report.json")).unwrap();
        (err, serde_json::from_str(&report).unwrap())
    }

    fn manifest(&self, id: &str) -> serde_json::Value {
        let text = std::fs::read_to_string(self.path(&format!("out/{id}.manifest.json"))).unwrap();
        serde_json::from_str(&text).unwrap()
    }
}

/// Each project's status in the report, by the project file's name.
fn statuses(report: &serde_json::Value) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = report["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let input = p["input"].as_str().unwrap();
            let name = Path::new(input).file_name().unwrap().to_string_lossy();
            (name.into_owned(), p["status"].as_str().unwrap().to_owned())
        })
        .collect();
    all.sort();
    all
}

/// Whether every project of the report has `status`.
fn all(report: &serde_json::Value, status: &str) -> bool {
    statuses(report).iter().all(|(_, s)| s == status)
}

fn status(report: &serde_json::Value, project: &str) -> String {
    statuses(report)
        .into_iter()
        .find(|(name, _)| name == project)
        .unwrap()
        .1
}

fn reason(report: &serde_json::Value, project: &str) -> String {
    report["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["input"].as_str().unwrap().ends_with(project))
        .and_then(|p| p["reason"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// The modification time of every file of the output folder but the report.
fn stamps(dir: &Path) -> Vec<(String, std::time::SystemTime)> {
    let mut all: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name() != "report.json")
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect();
    all.sort();
    all
}

#[test]
fn an_unchanged_portfolio_is_left_as_it_is_and_force_renders_all() {
    let portfolio = Portfolio::new();
    let (_, first) = portfolio.render(&[]);
    assert!(all(&first, "rendered"), "{first}");
    assert_eq!(
        reason(&first, PROJECTS[0]),
        "",
        "nothing was written before"
    );
    let before = stamps(&portfolio.path("out"));

    let (err, second) = portfolio.render(&[]);
    assert!(all(&second, "up to date"), "{second}");
    assert!(err.contains("0 rendered, 2 up to date, 0 failed"), "{err}");
    assert!(
        err.contains("up to date: projects/webhosting-normal.json"),
        "{err}"
    );
    assert_eq!(second["up_to_date"], 2);
    assert_eq!(
        stamps(&portfolio.path("out")),
        before,
        "no file was written again"
    );
    // The report lists the files as the first run wrote them.
    for (a, b) in first["projects"]
        .as_array()
        .unwrap()
        .iter()
        .zip(second["projects"].as_array().unwrap())
    {
        let files = |entry: &serde_json::Value| {
            let mut files: Vec<(String, String)> = entry["outputs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        f["path"].as_str().unwrap().to_owned(),
                        f["sha256"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            files.sort();
            files
        };
        assert_eq!(files(a), files(b));
    }

    let (err, forced) = portfolio.render(&["--force"]);
    assert!(all(&forced, "rendered"), "{forced}");
    assert!(err.contains("2 rendered, 0 failed"), "{err}");
}

#[test]
fn a_changed_clause_renders_only_the_annexes_that_use_it() {
    let portfolio = Portfolio::new();
    portfolio.render(&[]);
    // A clause the web hosting annex uses and the bank's does not.
    let used = |id: &str| -> Vec<String> {
        portfolio.manifest(id)["templates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["path"].as_str().unwrap().to_owned())
            .collect()
    };
    let bank = used(BANK);
    let clause = used(WEB)
        .into_iter()
        .find(|p| p.starts_with("templates/clauses/en/") && !bank.contains(p))
        .expect("the two annexes select different clauses");
    let rel = clause.strip_prefix("templates/").unwrap();
    let text = std::fs::read_to_string(root().join("templates").join(rel)).unwrap();
    let edited = text.replacen(" the ", " the said ", 1);
    assert_ne!(text, edited);
    // The same text from the house library: another file, so its users are rendered again.
    std::fs::write(portfolio.path("house").join(rel), &text).unwrap();
    let (_, report) = portfolio.render(&[]);
    assert_eq!(
        reason(&report, PROJECTS[0]),
        format!("the template {rel} now comes from the template folder")
    );
    assert_eq!(status(&report, PROJECTS[1]), "up to date", "{report}");
    // Edited by the lawyer.
    std::fs::write(portfolio.path("house").join(rel), edited).unwrap();

    let (err, report) = portfolio.render(&[]);
    assert_eq!(status(&report, PROJECTS[0]), "rendered", "{report}");
    assert_eq!(status(&report, PROJECTS[1]), "up to date", "{report}");
    assert_eq!(
        reason(&report, PROJECTS[0]),
        format!("the template {rel} changed")
    );
    assert!(err.contains("1 rendered, 1 up to date, 0 failed"), "{err}");
    let markdown = std::fs::read_to_string(portfolio.path(&format!("out/{WEB}.md"))).unwrap();
    assert!(
        markdown.contains("the said"),
        "the new wording is in the annex"
    );

    // The locale of the annexes' language: every English annex is rendered again.
    let locale = std::fs::read_to_string(root().join("templates/locale/en.toml")).unwrap();
    std::fs::create_dir_all(portfolio.path("house/locale")).unwrap();
    std::fs::write(
        portfolio.path("house/locale/en.toml"),
        locale.replacen("Annex", "Schedule", 1),
    )
    .unwrap();
    let (_, report) = portfolio.render(&[]);
    assert!(all(&report, "rendered"), "{report}");
    assert_eq!(
        reason(&report, PROJECTS[1]),
        "the template locale/en.toml changed"
    );
}

#[test]
fn a_changed_project_a_damaged_or_missing_file_and_other_options_render_again() {
    let portfolio = Portfolio::new();
    portfolio.render(&[]);

    // The project: only its annex.
    let web = portfolio.path(&format!("projects/{}", PROJECTS[0]));
    let text = std::fs::read_to_string(&web).unwrap();
    std::fs::write(&web, text.replacen('{', "{\n", 1)).unwrap();
    let (_, report) = portfolio.render(&[]);
    assert_eq!(status(&report, PROJECTS[0]), "rendered");
    assert_eq!(reason(&report, PROJECTS[0]), "the project file changed");
    assert_eq!(status(&report, PROJECTS[1]), "up to date");

    // A PDF changed by hand, and a Markdown file deleted.
    let pdf = portfolio.path(&format!("out/{BANK}.pdf"));
    let mut bytes = std::fs::read(&pdf).unwrap();
    bytes.extend_from_slice(b"%%");
    std::fs::write(&pdf, bytes).unwrap();
    std::fs::remove_file(portfolio.path(&format!("out/{WEB}.md"))).unwrap();
    let (_, report) = portfolio.render(&[]);
    assert_eq!(
        reason(&report, PROJECTS[1]),
        format!("{BANK}.pdf was changed since it was written")
    );
    assert_eq!(reason(&report, PROJECTS[0]), format!("{WEB}.md is missing"));
    assert!(portfolio.path(&format!("out/{WEB}.md")).is_file());
    let (_, report) = portfolio.render(&[]);
    assert!(
        all(&report, "up to date"),
        "the repaired files are up to date: {report}"
    );

    // Another option that changes the content, and a format not written before.
    let (_, report) = portfolio.render(&["--no-coverage"]);
    assert!(all(&report, "rendered"));
    assert!(reason(&report, PROJECTS[0]).contains("other options"));
    let (_, report) = portfolio.render(&["--no-coverage", "--format", "md,docx"]);
    assert_eq!(
        reason(&report, PROJECTS[0]),
        format!("{WEB}.docx was not written by the last run")
    );
    // Fewer formats than written: what is asked for is up to date.
    let (_, report) = portfolio.render(&["--no-coverage", "--format", "md"]);
    assert!(all(&report, "up to date"));
    // A draft is its own set of files.
    let (_, report) = portfolio.render(&["--no-coverage", "--format", "md", "--draft"]);
    assert!(all(&report, "rendered"));
    assert_eq!(reason(&report, PROJECTS[0]), "");
}

#[test]
fn the_manifest_file_records_the_files_written_beside_it_and_the_pdf_carries_the_manifest_without_that_record()
 {
    let portfolio = Portfolio::new();
    portfolio.render(&["--format", "md,pdf,docx"]);
    let manifest = portfolio.manifest(WEB);
    let output = &manifest["output"];
    assert_eq!(output["options"]["pdf_standard"], "a-3b");
    assert_eq!(output["options"]["coverage_appendix"], true);
    assert_eq!(output["build"].as_str().unwrap().len(), 64);
    let files: Vec<&str> = output["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            format!("{WEB}.coverage.json"),
            format!("{WEB}.md"),
            format!("{WEB}.pdf"),
            format!("{WEB}.docx")
        ]
    );
    for file in output["files"].as_array().unwrap() {
        let bytes =
            std::fs::read(portfolio.path("out").join(file["path"].as_str().unwrap())).unwrap();
        assert_eq!(file["sha256"], annex::digest::sha256_hex(&bytes));
    }
    // The copy in the PDF is the same manifest without the record of the files.
    let mut without = manifest.clone();
    without.as_object_mut().unwrap().remove("output");
    let pdf = std::fs::read(portfolio.path(&format!("out/{WEB}.pdf"))).unwrap();
    let (attached, _) = crate::support::embedded(&pdf, &format!("{WEB}.manifest.json")).unwrap();
    let attached: serde_json::Value = serde_json::from_slice(&attached).unwrap();
    assert_eq!(attached, without);
}

//! Hostile input stays within bounds: a small project file that would cost gigabytes, or a
//! template that would run for hours, fails alone, quickly and in little memory, and a batch
//! with it writes every other annex and a complete report. Each run here has its address
//! space limited (`ulimit -v`), so a run that needs more memory than that dies and fails the
//! test; the time limits are loose enough for a slow CI machine.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::support::{minimal_project, root, stderr, tempdir, write_project};

/// The address space a run may take: a batch of two workers needs under 1 GB.
const MEMORY_KB: u64 = 1_500_000;

/// Runs annex with its memory limited; returns what it did and how long it took.
fn annex_bounded(args: &[&str], cwd: &Path) -> (Output, Duration) {
    let started = Instant::now();
    let output = Command::new("sh")
        .env("ANNEX_LANG", "en")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_KB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_annex"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("runs");
    (output, started.elapsed())
}

/// A project of 750 KB with one unprintable character in each of 150,000 values: once 50 s
/// and 11.5 GB for 50,000, as every message scanned and copied the file.
fn many_problems() -> serde_json::Value {
    let mut p = minimal_project();
    p["variables"] = serde_json::json!({ "a": vec!["\u{7f}"; 150_000] });
    p
}

/// A name with 5,000 combining marks on one letter: once 3.3 GB in the layout.
fn stacked_marks() -> serde_json::Value {
    let mut p = minimal_project();
    p["annex"]["id"] = "marks".into();
    p["client"]["representative"] = format!("a{}", "\u{301}".repeat(5_000)).into();
    p
}

/// 100 components of 9,000 characters each: a 270-page annex, 5 s and 460 MB from one file.
fn too_much_text() -> serde_json::Value {
    let mut p = minimal_project();
    p["annex"]["id"] = "text".into();
    let words = "Wort ".repeat(1_800);
    p["service"]["components"] = (0..100).map(|i| format!("K{i} {words}")).collect();
    p
}

#[test]
fn a_file_with_150000_problems_shows_fifty_at_once() {
    let dir = tempdir();
    let compact = serde_json::to_string(&many_problems()).unwrap();
    assert!(compact.len() < 1 << 20, "{}", compact.len());
    std::fs::write(dir.path().join("p.json"), compact).unwrap();
    let (o, took) = annex_bounded(&["check", "p.json"], dir.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(took < Duration::from_secs(20), "{took:?}");
    assert!(
        err.contains("at most 100 entries are accepted, found 150000"),
        "{err}"
    );
    assert_eq!(err.matches("cannot be printed").count(), 49, "{err}");
    assert!(
        err.contains("… and 149951 more problems of the same file"),
        "{err}"
    );
    // Each quoted line is a window around the column, not the line of a megabyte.
    assert!(err.len() < 50_000, "{}", err.len());
}

#[test]
fn layout_costs_are_bounded_before_the_layout() {
    let dir = tempdir();
    write_project(dir.path(), "marks.json", &stacked_marks());
    write_project(dir.path(), "text.json", &too_much_text());
    let (o, took) = annex_bounded(
        &["render", "marks.json", "text.json", "-o", "out"],
        dir.path(),
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(took < Duration::from_secs(20), "{took:?}");
    assert!(
        err.contains("client.representative: 5000 combining marks stand on one letter; at most 4 are accepted"),
        "{err}"
    );
    assert!(
        err.contains(
            "the texts of the project have 900783 characters together; at most 200000 are accepted"
        ),
        "{err}"
    );
    assert!(!dir.path().join("out/marks.pdf").exists());
    assert!(!dir.path().join("out/text.pdf").exists());
}

#[test]
fn a_batch_with_hostile_projects_writes_every_other_annex_and_a_complete_report() {
    let dir = tempdir();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let examples = ["bank-core-very-high", "city-cloud-hr", "webhosting-normal"];
    for name in examples {
        std::fs::copy(
            root().join(format!("templates/examples/{name}.json")),
            input.join(format!("{name}.json")),
        )
        .unwrap();
    }
    std::fs::write(
        input.join("hostile-problems.json"),
        serde_json::to_string(&many_problems()).unwrap(),
    )
    .unwrap();
    write_project(&input, "hostile-marks.json", &stacked_marks());
    write_project(&input, "hostile-text.json", &too_much_text());
    let (o, took) = annex_bounded(&["render", "in", "-o", "out", "-j", "2"], dir.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(took < Duration::from_secs(120), "{took:?}");
    assert!(err.contains("3 rendered, 3 failed"), "{err}");
    let out = dir.path().join("out");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let projects = report["projects"].as_array().expect("projects");
    assert_eq!(projects.len(), 6, "{report:#}");
    let failed: Vec<&str> = projects
        .iter()
        .filter(|p| p["status"] == "failed")
        .filter_map(|p| p["input"].as_str())
        .collect();
    assert_eq!(failed.len(), 3, "{report:#}");
    assert!(failed.iter().all(|f| f.contains("hostile-")), "{failed:?}");
    for p in projects.iter().filter(|p| p["status"] == "rendered") {
        for file in p["outputs"].as_array().expect("outputs") {
            let file = file["path"].as_str().unwrap();
            assert!(
                std::fs::metadata(dir.path().join(file)).unwrap().len() > 0,
                "{file}"
            );
        }
    }
    assert_eq!(
        std::fs::read_dir(&out)
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "pdf"))
            .count(),
        3
    );
}

#[test]
fn runaway_templates_stop_within_their_budget() {
    // Each was a hang or an abort: 10^8 empty iterations, a value doubled a hundred times,
    // a component calling itself four times to a depth of 18, loops in the title block.
    let cases = [
        (
            "broken-loops-over-a-set-range",
            "repeated more than 1000000 times",
        ),
        ("broken-growing-value", "grew beyond 1 MiB"),
        (
            "broken-component-fanout",
            "repeated more than 1000000 times",
        ),
        ("broken-title-loops", "repeated more than 1000000 times"),
        // Found by a review: a chain of `replace` (2 GB in one expression), output kept in a
        // `set` block (beyond the output limit), loops hidden behind a `raw` block that
        // annex's reading of the template did not get past.
        (
            "broken-replace-chain",
            "`replace` would make a text of 10037890 bytes",
        ),
        ("broken-captured-output", "it wrote more than 64 MiB"),
        ("broken-raw-hides-loops", "repeated more than 1000000 times"),
    ];
    // A German project at level normal: it selects the overridden clause.
    let project = root().join("fixtures/projects/valid-minimal.json");
    for (lib, expected) in cases {
        let lib = root().join("fixtures/overrides").join(lib);
        let dir = tempdir();
        let (o, took) = annex_bounded(
            &[
                "render",
                project.to_str().unwrap(),
                "--templates",
                lib.to_str().unwrap(),
                "-o",
                "out",
            ],
            dir.path(),
        );
        let err = stderr(&o);
        assert!(!o.status.success(), "{err}");
        assert!(took < Duration::from_secs(30), "{lib:?}: {took:?}");
        assert!(err.contains(expected), "{lib:?}: {err}");
    }
}

#[test]
fn a_template_with_sixty_thousand_mistakes_shows_fifty() {
    // Once 14 s for a template of 480 KB, and four times as long for each doubling.
    let clause = "clauses/de/subject-scope.normal.md";
    let dir = library_with(&"{{ zz }}".repeat(60_000));
    let lib = dir.path().display().to_string();
    let (o, took) = annex_bounded(&["templates", "check", &lib], dir.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{}", &err[..err.len().min(2000)]);
    assert!(took < Duration::from_secs(20), "{took:?}");
    assert_eq!(err.matches("unknown variable `zz`").count(), 50);
    assert!(
        err.ends_with(&format!(
            "{lib}/{clause}: error: … and 59950 more problems of the same file, not shown\n  hint: at most 50 problems are shown for a file: fix these and run again\n{lib}: 60000 problems found, 50 shown\n"
        )),
        "{}",
        &err[err.len().saturating_sub(600)..]
    );
}

/// A library in a temporary folder whose German subject-scope clause (that of broken-runaway
/// without its runaway last line) ends with `tail`.
fn library_with(tail: &str) -> tempfile::TempDir {
    let dir = tempdir();
    let clause = "clauses/de/subject-scope.normal.md";
    std::fs::create_dir_all(dir.path().join("clauses/de")).unwrap();
    let runaway = std::fs::read_to_string(
        root()
            .join("fixtures/overrides/broken-runaway")
            .join(clause),
    )
    .unwrap();
    let mut text: String = runaway
        .lines()
        .take(runaway.lines().count() - 1)
        .map(|l| format!("{l}\n"))
        .collect();
    text.push_str(tail);
    std::fs::write(dir.path().join(clause), text).unwrap();
    dir
}

fn render_with(lib: &Path) -> (Output, Duration) {
    let project = root().join("fixtures/projects/valid-minimal.json");
    let out = lib.join("out");
    annex_bounded(
        &[
            "render",
            project.to_str().unwrap(),
            "--templates",
            lib.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--format",
            "md",
        ],
        lib,
    )
}

#[test]
fn a_loop_whose_iterations_are_slow_is_stopped_after_ten_seconds() {
    // Each iteration builds four texts of 1 MB (each within every size limit): 40 GB in all,
    // about 28 s on the machine of 2026-12 (one text per iteration once took 7 s there, too
    // little to be stopped).
    let join = format!(
        "range(end=10000) | join(sep=\"{}\") | length < 0",
        "a".repeat(90)
    );
    let lib = library_with(&format!(
        "{{% for i in range(end=10000) %}}{{% if {} %}}x{{% endif %}}{{% endfor %}}\n",
        [join.as_str(); 4].join(" or ")
    ));
    let (o, took) = render_with(lib.path());
    let err = stderr(&o);
    assert!(err.contains("it ran for more than 10 seconds"), "{err}");
    assert!(took < Duration::from_secs(30), "{took:?}");
}

#[test]
fn blocks_that_call_their_parents_several_times_are_counted() {
    // Each template extends the next and calls `super()` four times: 4^12 renderings of the
    // base block, once 2 s, and hours for a few more levels.
    let chain = [
        "security-obligations.very_high",
        "security-concept.very_high",
        "security-evidence.very_high",
        "service-levels.very_high",
        "penalties-liability.very_high",
        "governance-communication.very_high",
        "reporting.very_high",
        "incident-management.very_high",
        "business-continuity.very_high",
        "backup-restore.very_high",
        "joint-exercises.very_high",
        "infrastructure-security.very_high",
    ];
    let front = |name: &str| {
        let text = std::fs::read_to_string(
            root()
                .join("templates/clauses/de")
                .join(format!("{name}.md")),
        )
        .unwrap();
        let end = text[3..].find("+++").unwrap() + 6;
        format!("{}\n", &text[..end])
    };
    let dir = tempdir();
    let lib = dir.path();
    let name = |i: usize| format!("{}/clauses/de/{}.md.md", lib.display(), chain[i]);
    let calls =
        "{% block b %}{% if [super(), super(), super(), super()] %}x{% endif %}{% endblock %}";
    let mut others = vec![(
        format!("clauses/de/{}.md", chain[0]),
        format!("{}{{% block b %}}x{{% endblock %}}\n", front(chain[0])),
    )];
    for (i, clause) in chain.iter().enumerate().skip(1) {
        others.push((
            format!("clauses/de/{clause}.md"),
            format!(
                "{}{{% extends \"{}\" %}}{calls}\n",
                front(clause),
                name(i - 1)
            ),
        ));
    }
    others.push((
        "clauses/de/signatures.normal.md".into(),
        format!(
            "{}{{% extends \"{}\" %}}{calls}\n",
            front("signatures.normal"),
            name(chain.len() - 1)
        ),
    ));
    std::fs::create_dir_all(lib.join("clauses/de")).unwrap();
    for (path, text) in &others {
        std::fs::write(lib.join(path), text).unwrap();
    }
    let (o, took) = render_with(lib);
    let err = stderr(&o);
    assert!(err.contains("repeated more than 1000000 times"), "{err}");
    assert!(took < Duration::from_secs(20), "{took:?}");
}

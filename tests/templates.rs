//! Custom templates: overriding, adding, the frame, `annex templates eject | list | check`,
//! and `annex.toml`.

use std::path::PathBuf;
use std::process::Output;

use annex::library::Library;
use annex::{Generator, Options};

use crate::support::{annex, assert_matches_file, root, stderr, tempdir};

const HOUSE: &str = "fixtures/overrides/house-style";

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("the PDF parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).unwrap_or_default();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn house_style_replaces_a_clause_adds_one_and_changes_the_frame() {
    let library = Library::with_overrides(&root().join(HOUSE)).expect("the house style loads");
    let generator = Generator::with_library(library).expect("the templates compile");
    for (project, reworded, added, frame) in [
        (
            "templates/examples/webhosting-normal.json",
            "In all other respects, the provisions of the Main Contract continue to apply unchanged.",
            "Public Statements",
            "CONFIDENTIAL",
        ),
        (
            "templates/examples/payroll-city.json",
            "Im Übrigen gelten die Bestimmungen des Hauptvertrags unverändert fort.",
            "Öffentliche Äußerungen",
            "VERTRAULICH",
        ),
    ] {
        let annex = generator
            .generate(&root().join(project), &Options::default())
            .unwrap_or_else(|e| panic!("{project}:\n{e}"));
        let md = &annex.markdown;
        assert!(
            md.contains(reworded),
            "{project}: the re-worded clause is missing"
        );
        assert!(
            !md.contains("In all other respects, the Main Contract applies.")
                && !md.contains("Im Übrigen gilt der Hauptvertrag."),
            "{project}: the built-in wording is still there"
        );
        assert!(
            md.contains(&format!(" {added}\n")),
            "{project}: the added clause is missing"
        );
        // The added clause comes right after the clause of its topic (order 121 after 120).
        let confidentiality = md.find("## §\u{a0}").and_then(|_| {
            md.lines()
                .position(|l| l.ends_with(" Confidentiality") || l.ends_with(" Verschwiegenheit"))
        });
        let added_at = md.lines().position(|l| l.ends_with(added));
        assert!(confidentiality < added_at, "{project}: order");
        let pdf = pdf_text(&annex.pdf.as_ref().expect("a PDF").bytes);
        assert!(
            pdf.contains(frame),
            "{project}: the frame change is not in the PDF"
        );
        assert!(
            pdf.contains(added),
            "{project}: the added clause is not in the PDF"
        );
        // The manifest names the user's files by their path inside the folder (built-in
        // files start with `templates/`).
        assert!(annex.manifest.contains("\"path\": \"clauses/"), "{project}");
        assert!(!annex.manifest.contains("house-style"), "{project}");
    }
}

#[test]
fn list_shows_overrides_and_additions_with_their_files() {
    let o = annex(&["templates", "list", "--templates", HOUSE], &root());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // A line is the clause's `order`, then its id, …
    let line = |id: &str| {
        out.lines()
            .find(|l| l.split_whitespace().nth(1) == Some(id))
            .unwrap_or_else(|| panic!("{id} missing:\n{out}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(out.starts_with("ORDER  CLAUSE "), "{out}");
    assert_eq!(
        line("public-statements"),
        "121 public-statements confidentiality de,en normal - addition: fixtures/overrides/house-style/clauses/de/public-statements.normal.md, fixtures/overrides/house-style/clauses/en/public-statements.normal.md"
    );
    assert!(
        line("subject-scope").contains(
            "override: fixtures/overrides/house-style/clauses/de/subject-scope.normal.md"
        ),
        "{out}"
    );
    assert!(line("audit-rights").ends_with("built-in"), "{out}");
    assert!(
        out.ends_with("45 clauses: 43 built-in, 0 unchanged copies, 1 changed, 1 added\n"),
        "{out}"
    );

    let o = annex(
        &["templates", "list", "--json", "--templates", HOUSE],
        &root(),
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let added = json
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "public-statements")
        .unwrap();
    assert_eq!(added["origin"], "addition");
    assert_eq!(added["levels"], serde_json::json!(["normal"]));
    assert_eq!(added["languages"], serde_json::json!(["de", "en"]));
}

#[test]
fn eject_then_check_is_clean_and_eject_does_not_overwrite() {
    let dir = tempdir();
    let o = annex(&["templates", "eject", "mine"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("annex templates check mine"), "{out}");
    assert!(out.contains("annex render --templates mine"), "{out}");
    for rel in [
        "README.md",
        "topics.toml",
        "frameworks.toml",
        "service-levels.toml",
        "locale/de.toml",
        "locale/en.toml",
        "markdown/title.md",
        "markdown/coverage.md",
        "typst/frame.typ",
        "clauses/de/subject-scope.normal.md",
        "clauses/en/signatures.normal.md",
    ] {
        let copied = std::fs::read_to_string(dir.path().join("mine").join(rel)).unwrap();
        let original = std::fs::read_to_string(root().join("templates").join(rel)).unwrap();
        assert_eq!(copied, original, "{rel}");
    }

    let o = annex(&["templates", "check", "mine"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with("mine: ok: 212 clause files, 44 topics;"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    // A changed file survives a second eject, which refuses and writes nothing.
    let changed = dir.path().join("mine/topics.toml");
    std::fs::write(&changed, "# mine\n").unwrap();
    let o = annex(&["templates", "eject", "mine"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "mine/README.md: error: the file exists already; nothing was written\n  hint: use `--force` to overwrite the files of the folder with the built-in ones (your changes to them are lost), or name another folder\n"
    );
    assert_eq!(std::fs::read_to_string(&changed).unwrap(), "# mine\n");
    let o = annex(&["templates", "eject", "--force", "mine"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_ne!(std::fs::read_to_string(&changed).unwrap(), "# mine\n");
}

#[test]
fn the_built_in_library_and_the_house_style_check_clean() {
    let report = annex::lint::check(None);
    assert!(report.is_clean(), "{:#?}", report.diagnostics);
    assert_eq!(report.examples, 5);
    assert!(report.made_up > 20, "{}", report.made_up);
    assert_eq!(
        report.variants,
        (report.examples + report.made_up) * 6,
        "every project × 3 levels × 2 languages"
    );
    let o = annex(&["templates", "check", HOUSE], &root());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn every_broken_library_gives_its_exact_messages() {
    let dir = root().join("fixtures/overrides");
    let mut broken: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("broken-"))
        })
        .collect();
    broken.sort();
    assert!(broken.len() >= 14, "the broken-library catalogue shrank");
    for lib in broken {
        let name = format!(
            "fixtures/overrides/{}",
            lib.file_name().unwrap().to_string_lossy()
        );
        let o = annex(&["templates", "check", &name], &root());
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        assert!(stdout(&o).is_empty(), "{name}");
        let err = stderr(&o);
        assert!(
            err.starts_with(&name),
            "{name}: messages name the user's file:\n{err}"
        );
        // Next to the folder, not in it: a file in a template folder that annex does not read
        // is a warning.
        assert_matches_file(&err, &lib.with_extension("expected.txt"));
        // The same check where annex.toml says `lang = "de"`: the same findings, in German.
        let german = tempdir();
        copy_tree(&lib, &german.path().join(&name));
        std::fs::write(german.path().join("annex.toml"), "lang = \"de\"\n").unwrap();
        let o = crate::support::annex_as_user(&["templates", "check", &name], german.path());
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert_matches_file(&err, &lib.with_extension("expected.de.txt"));
        let english = crate::support::english_in_german(&err);
        assert!(
            english.is_empty(),
            "{name}: English in the German messages:\n{}",
            english.join("\n")
        );
    }
}

/// Copies the folder `from` with everything in it to `to`.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn annex_toml_sets_the_templates_and_the_flag_wins() {
    let dir = tempdir();
    let project = root().join("templates/examples/webhosting-normal.json");
    let project = project.to_str().unwrap();
    std::fs::write(
        dir.path().join("annex.toml"),
        format!(
            "# our templates\ntemplates = {:?}\n",
            root().join("fixtures/overrides/broken-syntax")
        ),
    )
    .unwrap();
    // The configured library is used (and broken) …
    let o = annex(&["check", project], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("broken-syntax/clauses/en/subject-scope.normal.md:23:"),
        "{}",
        stderr(&o)
    );
    let o = annex(&["templates", "check"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    // … unless --templates names another.
    let house = root().join(HOUSE);
    let o = annex(
        &["check", "--templates", house.to_str().unwrap(), project],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = annex(
        &["templates", "list", "--templates", house.to_str().unwrap()],
        dir.path(),
    );
    assert!(stdout(&o).contains("1 changed, 1 added"), "{}", stdout(&o));

    // A relative folder is relative to annex.toml's folder.
    std::fs::create_dir_all(dir.path().join("ours/clauses")).unwrap();
    std::fs::write(dir.path().join("annex.toml"), "templates = \"ours\"\n").unwrap();
    let o = annex(&["templates", "list"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let o = annex(&["check", project], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn annex_toml_errors_are_located() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("annex.toml"),
        "# settings\ntemplate = \"mine\"\n",
    )
    .unwrap();
    let o = annex(&["templates", "list"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "annex.toml:2:1: error: unknown setting `template`, did you mean `templates`?\n  |\n2 | template = \"mine\"\n  | ^\n  hint: annex.toml may contain: templates = \"FOLDER\" (the folder of your own templates, relative to annex.toml), lang = \"de\" or \"en\" (the language of annex's messages) and fonts = [\"FOLDER\", …] (folders of fonts added to the embedded ones, relative to annex.toml)\n"
    );
    std::fs::write(dir.path().join("annex.toml"), "templates = \"missing\"\n").unwrap();
    let o = annex(&["render", "x.json"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "annex.toml:1:1: error: the template folder `missing` does not exist\n  |\n1 | templates = \"missing\"\n  | ^\n  hint: the folder is relative to annex.toml; create it with `annex templates eject missing`\n"
    );
    std::fs::write(dir.path().join("annex.toml"), "templates = [\"a\"\n").unwrap();
    let o = annex(&["check", "x.json"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("annex.toml:1:"), "{}", stderr(&o));
    // Eject needs no settings.
    let o = annex(&["templates", "eject", "t"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
}

/// The part of `text` from the line starting with `start` to the next `### ` heading.
fn guide_section<'a>(text: &'a str, start: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("guide has no {start:?}"));
    let rest = &text[from + start.len()..];
    &rest[..rest.find("\n### ").unwrap_or(rest.len())]
}

/// The context the first clause of an example annex sees.
fn clause_context(example: &str) -> serde_json::Value {
    let generator = crate::support::generator();
    let path = root().join("templates/examples").join(example);
    let prepared = generator.prepare(&path, annex::Mode::Final).unwrap();
    let mut context = annex::render::context::base(
        generator.library(),
        &prepared.project,
        &prepared.title,
        &prepared.resolved,
        &prepared.selection,
        false,
    );
    let section = &prepared.selection.sections[0];
    for (name, value) in
        annex::render::context::clause_scope(section.clause, section.number, section.level)
    {
        context[name] = value;
    }
    context
}

#[test]
fn the_guides_reference_tables_are_generated_by_the_code() {
    // The marked blocks of templates/README.md are written by annex::testing::reference; after a
    // change to filters or to the context, `ANNEX_BLESS=1 cargo test --release guide` rewrites
    // them.
    use annex::project::Language;
    use annex::testing::reference;
    let path = root().join("templates/README.md");
    let mut guide = std::fs::read_to_string(&path).unwrap();
    let mut stale = Vec::new();
    for (lang, example) in [
        (Language::De, "payroll-city.json"),
        (Language::En, "bank-core-very-high.json"),
    ] {
        let context = clause_context(example);
        let blocks = [
            ("variables", reference::variable_table(&context, lang)),
            ("filters", reference::filter_table(lang).unwrap()),
        ];
        for (kind, table) in blocks {
            let start = format!("<!-- reference: {kind} {} -->\n", lang.code());
            let from = guide
                .find(&start)
                .unwrap_or_else(|| panic!("templates/README.md has no {start:?}"))
                + start.len();
            let to = from
                + guide[from..]
                    .find("<!-- end of reference -->")
                    .expect("the block is closed");
            let want = format!("\n{table}\n");
            if guide[from..to] != want {
                stale.push(format!("{kind} {}", lang.code()));
                guide.replace_range(from..to, &want);
            }
        }
    }
    if std::env::var_os("ANNEX_BLESS").is_some() {
        std::fs::write(&path, guide).unwrap();
        return;
    }
    assert!(
        stale.is_empty(),
        "templates/README.md: the reference tables {stale:?} are out of date; run ANNEX_BLESS=1 cargo test --release guide"
    );
}

#[test]
fn the_guide_documents_every_variable_and_filter_the_code_provides() {
    // The authoring guide is written by hand in two languages; this keeps it from drifting: every
    // top-level variable of the clause context, every field below it, every filter and function
    // annex registers must be named in the German and in the English section.
    let guide = std::fs::read_to_string(root().join("templates/README.md")).unwrap();
    let context = clause_context("bank-core-very-high.json");
    let serde_json::Value::Object(roots) = context else {
        panic!("the context is an object")
    };
    let mut missing = Vec::new();
    for (variables, filters) in [
        ("### Variablen", "### Filter"),
        ("### Variables", "### Filters"),
    ] {
        let variables = guide_section(&guide, variables);
        let filters = guide_section(&guide, filters);
        let heading = variables.lines().next().unwrap_or_default().to_owned();
        for (root, value) in &roots {
            if !variables.contains(&format!("`{root}")) {
                missing.push(format!("{heading}: `{root}`"));
            }
            if matches!(
                root.as_str(),
                "labels" | "sections" | "variables" | "accepted"
            ) {
                continue;
            }
            let fields = match value {
                serde_json::Value::Object(m) => m.keys().cloned().collect(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .filter_map(|i| i.as_object())
                    .flat_map(|m| m.keys().cloned())
                    .collect(),
                _ => Vec::new(),
            };
            // The fields are named in the bullet that introduces the variable.
            let bullets: Vec<&str> = variables.split("\n- ").collect();
            let bullet = bullets
                .iter()
                .find(|b| b.starts_with(&format!("`{root}")))
                .or_else(|| bullets.iter().find(|b| b.contains(&format!("`{root}"))))
                .copied()
                .unwrap_or_default();
            for field in fields {
                let named = [
                    format!("`{root}.{field}"),
                    format!("`.{field}"),
                    format!("`{field}`"),
                    format!("`{field}."),
                ]
                .iter()
                .any(|form| bullet.contains(form.as_str()));
                if !named {
                    missing.push(format!("{heading}: `{root}.{field}`"));
                }
            }
        }
        for name in annex::render::FILTERS {
            if !filters.contains(&format!("`{name}`")) {
                missing.push(format!("filters: `{name}`"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "templates/README.md does not describe:\n{}",
        missing.join("\n")
    );
    for name in annex::render::FUNCTIONS {
        assert!(
            guide.matches(&format!("{name}(")).count() >= 2,
            "`{name}` is not described in both languages"
        );
    }
}

#[test]
fn a_template_that_writes_without_bound_is_stopped_and_nothing_is_written() {
    let dir = tempdir();
    let o = annex(
        &[
            "render",
            "--templates",
            &root()
                .join("fixtures/overrides/broken-runaway")
                .to_string_lossy(),
            &root()
                .join("templates/examples/payroll-city.json")
                .to_string_lossy(),
            "-o",
            "out",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the template wrote more than 8 MiB and was stopped"),
        "{}",
        stderr(&o)
    );
    let written: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(written, ["report.json"]);
}

/// One path, one truth: `templates check` renders through the code `render` uses, so every
/// error `render` finds in a library's templates for the example projects, `templates check`
/// reports too, and a library it calls clean renders every example.
#[test]
fn templates_check_and_render_agree_on_every_override() {
    let dir = root().join("fixtures/overrides");
    let mut libraries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    libraries.sort();
    let out = tempdir();
    for lib in libraries {
        let name = format!(
            "fixtures/overrides/{}",
            lib.file_name().unwrap().to_string_lossy()
        );
        let check = annex(&["templates", "check", &name], &root());
        let target = out.path().join(lib.file_name().unwrap());
        let render = annex(
            &[
                "render",
                "--templates",
                &name,
                "--format",
                "md",
                "-o",
                target.to_str().unwrap(),
                "templates/examples",
            ],
            &root(),
        );
        let checked = stderr(&check);
        if check.status.code() == Some(0) {
            // Only a clause check warned is in one language may fail an annex in the other.
            let one_language: Vec<&str> = checked
                .lines()
                .filter_map(|l| l.split_once(": warning: clause \""))
                .filter_map(|(_, rest)| rest.split_once("\" is written in"))
                .map(|(id, _)| id)
                .collect();
            let rendered = stderr(&render);
            for line in rendered.lines().filter(|l| l.contains(": error: ")) {
                assert!(
                    one_language
                        .iter()
                        .any(|id| line.contains(&format!("calls for clause \"{id}\""))
                            && line.contains("which the template library has only in")),
                    "{name}: check says clean, render fails:\n{rendered}"
                );
            }
            if one_language.is_empty() {
                assert_eq!(render.status.code(), Some(0), "{name}:\n{rendered}");
            }
        }
        // Every error render reports in a template, check reports at the same file and line
        // (in its own words where it finds the problem before rendering).
        for line in stderr(&render).lines() {
            let template_error = line.contains(": error: ")
                && (line.starts_with("fixtures/overrides/") || line.starts_with("templates/"))
                && !line.starts_with("templates/examples/");
            let place = |l: &str| {
                let (place, _) = l.split_once(": error: ").unwrap_or((l, ""));
                let mut parts: Vec<&str> = place.split(':').collect();
                if parts.len() == 3 {
                    parts.pop();
                }
                format!("{}:", parts.join(":"))
            };
            if template_error {
                assert!(
                    checked
                        .lines()
                        .any(|c| c.contains(": error: ") && place(c) == place(line)),
                    "{name}: render reports what check does not:\n{line}\n--- check said:\n{checked}"
                );
            }
        }
    }
}

/// The manifest records a user's template by its path inside the template folder: the same
/// templates in two folders give the same manifest and the same PDF (issue 14, item 8).
#[test]
fn the_same_templates_in_another_folder_give_the_same_annex() {
    let copy = |to: &std::path::Path| {
        let from = root().join(HOUSE);
        for entry in walk(&from) {
            let target = to.join(entry.strip_prefix(&from).unwrap());
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(&entry, &target).unwrap();
        }
    };
    fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
        out
    }
    let project = root().join("templates/examples/webhosting-normal.json");
    let mut outputs = Vec::new();
    for name in ["first", "second-folder"] {
        let dir = tempdir();
        let lib = dir.path().join(name);
        copy(&lib);
        let out = dir.path().join("out");
        let o = annex(
            &[
                "render",
                "--templates",
                lib.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
                project.to_str().unwrap(),
            ],
            &root(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let manifest =
            std::fs::read_to_string(out.join("brightline-web-hosting.manifest.json")).unwrap();
        assert!(!manifest.contains(name), "{manifest}");
        assert!(
            manifest.contains("\"path\": \"clauses/en/subject-scope.normal.md\""),
            "{manifest}"
        );
        outputs.push((
            manifest,
            std::fs::read(out.join("brightline-web-hosting.pdf")).unwrap(),
        ));
    }
    assert!(outputs[0] == outputs[1], "the manifests or PDFs differ");
}

/// A library other than the built-in one is named in the run's output and in report.json, so an
/// `annex.toml` in the working directory cannot change the wording unnoticed (issue 14, item 7).
#[test]
fn a_run_names_the_template_library_it_used() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("annex.toml"),
        format!("templates = {:?}\n", root().join(HOUSE)),
    )
    .unwrap();
    // Renders an example in `cwd` into `cwd/out`: what it printed and its run report.
    let render = |cwd: &std::path::Path| {
        let project = root().join("templates/examples/webhosting-normal.json");
        let o = annex(
            &[
                "render",
                "--format",
                "md",
                "-o",
                "out",
                project.to_str().unwrap(),
            ],
            cwd,
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(cwd.join("out/report.json")).unwrap())
                .unwrap();
        (stderr(&o), report)
    };
    let (printed, report) = render(dir.path());
    assert!(
        printed.contains("templates: the templates of ")
            && printed
                .contains("house-style (5 files of its own over the built-in library, 5 of them not the built-in text; sha256 "),
        "{printed}"
    );
    assert!(
        report["library"]["folder"]
            .as_str()
            .unwrap()
            .ends_with("house-style")
    );
    assert_eq!(report["library"]["own_files"], 5);
    assert_eq!(report["library"]["sha256"].as_str().unwrap().len(), 64);
    // The built-in library alone is recorded too, without a folder.
    let plain = tempdir();
    let (printed, report) = render(plain.path());
    assert!(!printed.contains("templates: "), "{printed}");
    assert!(report["library"]["folder"].is_null());
}

/// Issue 15, item 4: a library may have a clause in one language only. `templates check` warns
/// at the clause; a German annex renders with it; an English annex that calls for it is
/// refused with an error naming the clause, and the other projects of the batch still render.
#[test]
fn a_clause_in_one_language_only_fails_just_the_annexes_in_the_other() {
    let lib = "fixtures/overrides/german-only";
    let check = annex(&["templates", "check", lib], &root());
    let checked = stderr(&check);
    assert_eq!(check.status.code(), Some(0), "{checked}");
    assert!(
        checked.contains("german-only/clauses/de/public-statements.normal.md:4:1: warning: clause \"public-statements\" is written in German only"),
        "{checked}"
    );
    assert!(checked.contains("no errors, 1 warning"), "{checked}");

    let out = tempdir();
    let render = annex(
        &[
            "render",
            "--templates",
            lib,
            "--format",
            "md",
            "-o",
            out.path().to_str().unwrap(),
            "templates/examples/payroll-city.json",
            "templates/examples/webhosting-normal.json",
        ],
        &root(),
    );
    let rendered = stderr(&render);
    assert_eq!(render.status.code(), Some(1), "{rendered}");
    let german = std::fs::read_to_string(out.path().join("musterstadt-payroll-2027.md")).unwrap();
    assert!(german.contains("Öffentliche Äußerungen"), "{german}");
    assert!(
        rendered.contains("templates/examples/webhosting-normal.json:6:17: error: annex.language: this project calls for clause \"public-statements\" (\"Öffentliche Äußerungen\", normal), which the template library has only in German"),
        "{rendered}"
    );
    assert!(
        rendered.contains("1 rendered, 1 failed: templates/examples/webhosting-normal.json"),
        "{rendered}"
    );
}

/// Issue 15, item 2: no file of a template folder is passed over without a word. `render`,
/// `check` and `templates list` warn about a file annex does not read, with what it was
/// probably meant to be; the annex is still rendered.
#[test]
fn a_file_annex_does_not_read_is_named_with_what_it_was_meant_to_be() {
    let lib = tempdir();
    let clauses = lib.path().join("clauses/de");
    std::fs::create_dir_all(&clauses).unwrap();
    std::fs::copy(
        root().join("templates/clauses/de/subject-scope.normal.md"),
        clauses.join("subject-scope.normal.MD"),
    )
    .unwrap();
    std::fs::create_dir_all(lib.path().join(".git")).unwrap();
    std::fs::write(lib.path().join(".git/config"), "x").unwrap();
    let dir = lib.path().to_str().unwrap();
    let out = tempdir();
    let project = "templates/examples/payroll-city.json";
    for args in [
        vec![
            "render",
            "--templates",
            dir,
            "--format",
            "md",
            "-o",
            out.path().to_str().unwrap(),
            project,
        ],
        vec!["check", "--templates", dir, project],
        vec!["templates", "list", "--templates", dir],
        vec!["templates", "check", dir],
    ] {
        let o = annex(&args, &root());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
        assert_eq!(
            err.matches("annex does not read this file").count(),
            1,
            "{args:?}: {err}"
        );
        assert!(
            err.contains("clauses/de/subject-scope.normal.MD: warning: annex does not read this file: annex reads folder names, file endings and the names of its data files in lower case only\n  hint: rename it to clauses/de/subject-scope.normal.md"),
            "{args:?}: {err}"
        );
    }
}

/// Issue 15, item 7: an empty subsection is a warning at its heading, from `templates check`
/// and from `check` for a project whose annex has it empty; `templates check` and
/// `templates list` take the folder as an argument or as `--templates` alike.
#[test]
fn an_empty_subsection_is_a_warning_and_the_folder_is_taken_either_way() {
    let lib = "fixtures/overrides/empty-subsection";
    let at = "fixtures/overrides/empty-subsection/clauses/de/subject-scope.normal.md:112:1: warning: subsection \"Migration\" is empty in this annex: no text follows its heading";
    for args in [
        vec!["templates", "check", lib],
        vec!["templates", "check", "--templates", lib],
    ] {
        let o = annex(&args, &root());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.contains(at), "{args:?}: {err}");
        assert!(err.ends_with("no errors, 1 warning\n"), "{args:?}: {err}");
    }
    // The project without a migration has the subsection empty; the one with one has not.
    let o = annex(
        &[
            "check",
            "--templates",
            lib,
            "templates/examples/city-cloud-hr.json",
        ],
        &root(),
    );
    assert!(stderr(&o).contains(at), "{}", stderr(&o));
    let o = annex(
        &[
            "check",
            "--templates",
            lib,
            "templates/examples/payroll-city.json",
        ],
        &root(),
    );
    assert!(!stderr(&o).contains("is empty"), "{}", stderr(&o));
    let listed = [
        annex(&["templates", "list", lib], &root()),
        annex(&["templates", "list", "--templates", lib], &root()),
    ];
    assert_eq!(stdout(&listed[0]), stdout(&listed[1]));
    assert!(stdout(&listed[0]).contains("override: fixtures/overrides/empty-subsection/"));
}

/// Issue 15, item 3: a topic catalogue with one new topic and a locale with two labels merge
/// with the built-in files; a service-level file that lacks most of the built-in one is
/// refused in one message that says how to start.
#[test]
fn data_files_merge_or_say_in_one_message_that_they_replace() {
    let lib = "fixtures/overrides/partial-data";
    let check = annex(&["templates", "check", lib], &root());
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(stderr(&check).contains("45 topics"), "{}", stderr(&check));
    let out = tempdir();
    let render = annex(
        &[
            "render",
            "--templates",
            lib,
            "--format",
            "md",
            "-o",
            out.path().to_str().unwrap(),
            "templates/examples/payroll-city.json",
        ],
        &root(),
    );
    assert_eq!(render.status.code(), Some(0), "{}", stderr(&render));
    let md = std::fs::read_to_string(out.path().join("musterstadt-payroll-2027.md")).unwrap();
    assert!(md.contains("| Kunde | Dienstleister |"), "{md}");
    assert!(md.contains("Öffentliche Äußerungen"));
    // The built-in labels the file does not name are still there.
    assert!(md.contains("Datum: ") && md.contains("· Kennung: "), "{md}");

    let o = annex(
        &[
            "templates",
            "check",
            "fixtures/overrides/broken-partial-service-levels",
        ],
        &root(),
    );
    let err = stderr(&o);
    assert_eq!(err.matches(": error: ").count(), 1, "{err}");
    assert!(
        err.contains("replaces the built-in one whole, and it lacks"),
        "{err}"
    );
}

/// Issue 15, item 6: after `eject`, unchanged copies are "copy", not "override";
/// `templates diff` shows what the folder changes; and `templates check` warns when a built-in
/// file changed under a file of the folder since it was ejected (as after an upgrade of annex,
/// simulated by an older record).
#[test]
fn a_lawyer_sees_what_the_folder_changes_and_what_changed_under_it() {
    let dir = tempdir();
    let lib = dir.path().join("house");
    let lib_s = lib.to_str().unwrap();
    let o = annex(&["templates", "eject", lib_s], &root());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let clause = lib.join("clauses/de/subject-scope.normal.md");
    let text = std::fs::read_to_string(&clause).unwrap();
    let changed = text.replacen(
        "In allen Fragen, die diese Anlage nicht regelt, gilt der Hauptvertrag.",
        "In allen übrigen Fragen gilt der Hauptvertrag.",
        1,
    );
    assert_ne!(changed, text);
    std::fs::write(&clause, changed).unwrap();

    let listed = stdout(&annex(&["templates", "list", lib_s], &root()));
    assert!(
        listed.contains(&format!("override: {}", clause.display())),
        "{listed}"
    );
    assert!(listed.contains("copy: "), "{listed}");
    assert!(
        listed.contains(" unchanged copies, 1 changed, 0 added"),
        "{listed}"
    );

    let diff = stdout(&annex(&["templates", "diff", lib_s], &root()));
    assert!(
        diff.starts_with(&format!(
            "--- built-in clauses/de/subject-scope.normal.md\n+++ {}\n@@ ",
            clause.display()
        )),
        "{diff}"
    );
    assert!(diff.contains("\n+{% if sections"), "{diff}");
    assert_eq!(
        diff.matches("\n--- ").count(),
        0,
        "one file differs: {diff}"
    );

    let check = annex(&["templates", "check", lib_s], &root());
    assert!(
        !stderr(&check).contains("has changed since"),
        "{}",
        stderr(&check)
    );
    // The record of an older annex, whose built-in clause and topics.toml had other texts.
    let base = lib.join("annex-base.toml");
    let record = std::fs::read_to_string(&base).unwrap();
    let older: String = record
        .lines()
        .map(|l| {
            if l.starts_with("\"clauses/de/subject-scope.normal.md\"")
                || l.starts_with("\"topics.toml\"")
            {
                format!(
                    "{} = \"{}\"",
                    l.split(" = ").next().unwrap(),
                    "0".repeat(64)
                )
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&base, older).unwrap();
    let check = annex(&["templates", "check", lib_s], &root());
    let err = stderr(&check);
    assert_eq!(check.status.code(), Some(0), "{err}");
    assert!(err.contains(&format!("{}: warning: the built-in clauses/de/subject-scope.normal.md has changed since this folder was copied from annex", clause.display())), "{err}");
    assert!(err.contains("topics.toml: warning: the built-in topics.toml has changed since this folder was copied from annex"), "{err}");
    assert!(
        err.contains("this file is the old text, unchanged"),
        "{err}"
    );
}

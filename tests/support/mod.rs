//! Shared test helpers.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use annex::Generator;

/// One generator for the whole test binary (fonts and templates are loaded once).
pub fn generator() -> &'static Generator {
    static GENERATOR: OnceLock<Generator> = OnceLock::new();
    GENERATOR.get_or_init(|| match Generator::new() {
        Ok(g) => g,
        Err(e) => panic!("the built-in library does not load:\n{e}"),
    })
}

/// The package root (tests run there).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared example projects (`../shared/examples` when it exists next to the repository,
/// else the copies in `templates/examples`).
pub fn shared_examples() -> Vec<PathBuf> {
    let shared = root().join("../shared/examples");
    let dir = if shared.is_dir() {
        shared
    } else {
        root().join("templates/examples")
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The project fixtures that must render.
pub fn valid_fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/projects"))
        .expect("fixtures/projects exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// Compares `actual` with the file `expected`; with `ANNEX_BLESS=1` writes it instead.
pub fn assert_matches_file(actual: &str, expected: &Path) {
    if std::env::var_os("ANNEX_BLESS").is_some() {
        std::fs::write(expected, actual).expect("write expected file");
        return;
    }
    let want = std::fs::read_to_string(expected).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run with ANNEX_BLESS=1 to create it, then review it",
            expected.display()
        )
    });
    assert_eq!(actual, want, "output differs from {}", expected.display());
}

/// A temporary folder removed at the end of the test.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Writes a project JSON value to a file in `dir` and returns its path.
pub fn write_project(dir: &Path, name: &str, value: &serde_json::Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).expect("json"))
        .expect("write project");
    path
}

/// The minimal valid fixture as a JSON value, to derive variants from.
pub fn minimal_project() -> serde_json::Value {
    fixture("fixtures/projects/valid-minimal.json")
}

/// A JSON file of the repository, parsed (`rel` relative to the repository root).
pub fn fixture(rel: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join(rel)).expect("fixture");
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// Runs the annex binary with `args` in `cwd`, with its messages in English (`ANNEX_LANG=en`),
/// whatever the language of the project: the tests read them.
pub fn annex(args: &[&str], cwd: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_annex"))
        .args(args)
        .current_dir(cwd)
        .env("ANNEX_LANG", "en")
        .output()
        .expect("runs")
}

/// Runs the annex binary with `args` in `cwd` as a user does: the language of its messages
/// comes from annex.toml or the project.
pub fn annex_as_user(args: &[&str], cwd: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_annex"))
        .args(args)
        .current_dir(cwd)
        .env_remove("ANNEX_LANG")
        .output()
        .expect("runs")
}

/// What a run printed to stderr.
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Whether `value` is in `text`: as one piece, or, where a table cell's lines alternate with
/// those of the cell beside it, as its characters in order within a short stretch of text.
pub fn appears(text: &str, value: &str) -> bool {
    if text.contains(value) {
        return true;
    }
    let want: Vec<char> = value.chars().collect();
    let Some(first) = want.first() else {
        return true;
    };
    let chars: Vec<char> = text.chars().collect();
    let reach = want.len() * 3 + 200;
    chars
        .iter()
        .enumerate()
        .filter(|(_, c)| *c == first)
        .any(|(start, _)| {
            let mut next = want.iter().peekable();
            for c in chars.iter().skip(start).take(reach) {
                if next.peek() == Some(&c) {
                    next.next();
                }
            }
            next.peek().is_none()
        })
}

/// The names in `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Every text of a JSON value, line by line with its spaces collapsed (the project's own words,
/// to take out of a rendered annex before looking at the annex's words).
pub fn strings(value: &serde_json::Value) -> Vec<String> {
    fn walk(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) => out.extend(
                s.lines()
                    .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|l| !l.is_empty()),
            ),
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(o) => o.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut out);
    out
}

/// A project at one protection level for all three basic values, in one language. Its own
/// figures and terms may contradict another level's defaults, so only the capacity figures
/// M 2.253 needs (which have no defaults) are kept of its service levels.
pub fn at_level(project: &serde_json::Value, level: &str, lang: &str) -> serde_json::Value {
    let mut p = project.clone();
    p["annex"]["language"] = serde_json::json!(lang);
    p["protection"] =
        serde_json::json!({ "confidentiality": level, "integrity": level, "availability": level });
    let capacity: serde_json::Map<String, serde_json::Value> = p["service_levels"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(k, _)| ["compute", "storage_gb", "staff_min"].contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    p["service_levels"] = serde_json::Value::Object(capacity);
    if let Some(o) = p.as_object_mut() {
        o.remove("security_concept");
        o.remove("term");
        o.remove("accepted_deviations");
    }
    p
}

/// Options for rendering only the Markdown (the tests that read the text need no PDF).
pub fn md_only() -> annex::Options {
    annex::Options {
        formats: annex::Formats {
            markdown: true,
            pdf: false,
            docx: false,
            typst: false,
        },
        ..annex::Options::default()
    }
}

/// English words that a German message must not contain (outside what it quotes): a message
/// that a site left in English, or a German one that still carries English. Quoted text
/// (`…`, "…", „…“), the line of the file shown under a message, and paths are left out, so
/// that field names, values and file names, which stay as they are, do not count.
pub fn english_in_german(text: &str) -> Vec<String> {
    const ENGLISH: [&str; 28] = [
        "the", "is", "are", "not", "must", "cannot", "should", "with", "and", "or", "of", "to",
        "which", "file", "found", "expected", "missing", "write", "use", "has", "have", "this",
        "error", "warning", "unknown", "template", "clause", "hint",
    ];
    let mut found = Vec::new();
    for line in text.lines() {
        // The line of the file and the caret under it.
        if line.trim_start().starts_with('|')
            || line
                .trim_start()
                .split_once(" |")
                .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
        {
            continue;
        }
        // The location in front of the message names a file as the user gave it.
        let line = ["Fehler: ", "Warnung: "]
            .iter()
            .find_map(|label| line.split_once(label).map(|(_, message)| message))
            .unwrap_or(line);
        // What another program says is quoted as such.
        let line = ["Tera meldet: ", "TOML-Leser meldet: "]
            .iter()
            .fold(line, |line, quoted| {
                line.split(quoted).next().unwrap_or(line)
            });
        let mut plain = String::new();
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match (quote, c) {
                (None, '`' | '"' | '„') => quote = Some(if c == '„' { '“' } else { c }),
                (Some(q), c) if c == q => quote = None,
                (None, c) => plain.push(c),
                _ => {}
            }
        }
        // A name such as `included-and-excluded.json` or `a_b` is one word, and not ours.
        let joins = ['/', '.', '_', '-'];
        for word in plain.split(|c: char| !c.is_alphanumeric() && !joins.contains(&c)) {
            let word = word.trim_matches(|c| joins.contains(&c));
            if word.contains(joins) {
                continue;
            }
            if ENGLISH.contains(&word) {
                found.push(format!("{word:?} in: {line}"));
            }
        }
    }
    found
}

/// The file named `name` embedded in a PDF: its bytes and its media type.
pub fn embedded(bytes: &[u8], name: &str) -> Option<(Vec<u8>, String)> {
    let doc = lopdf::Document::load_mem(bytes).expect("the PDF parses");
    let resolve = |o: &lopdf::Object| match o {
        lopdf::Object::Reference(id) => doc.get_object(*id).expect("object").clone(),
        other => other.clone(),
    };
    let catalog = doc.catalog().expect("catalog");
    let tree = resolve(catalog.get(b"Names").ok()?);
    let files = resolve(tree.as_dict().ok()?.get(b"EmbeddedFiles").ok()?);
    let list = resolve(files.as_dict().ok()?.get(b"Names").ok()?);
    let list = list.as_array().ok()?;
    for pair in list.chunks(2) {
        if pair[0].as_str().ok()? != name.as_bytes() {
            continue;
        }
        let spec = resolve(&pair[1]);
        let ef = resolve(spec.as_dict().ok()?.get(b"EF").ok()?);
        let stream = resolve(ef.as_dict().ok()?.get(b"F").ok()?);
        let lopdf::Object::Stream(mut stream) = stream else {
            return None;
        };
        let mime = stream
            .dict
            .get(b"Subtype")
            .and_then(lopdf::Object::as_name)
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        let _ = stream.decompress();
        return Some((stream.content, mime));
    }
    None
}

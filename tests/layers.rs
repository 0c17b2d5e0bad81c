//! The modules of the library form layers: a module uses only modules below it (no import
//! cycles, no upward imports). The order is the one the README's layout section shows; a new
//! module must be placed in it here.

use std::path::Path;

use crate::support::root;

/// The top-level modules of `src/`, lowest first.
const LAYERS: &[&str] = &[
    // Shared vocabulary and self-contained converters.
    "language",
    "diagnostic",
    "failure",
    "digest",
    "json_text",
    "level",
    "markup",
    "docx",
    "pdf",
    // The input.
    "config",
    "project",
    // The figures and their rules.
    "deviations",
    "rules",
    "service_levels",
    // The template library.
    "library",
    // The stages.
    "regime",
    "select",
    "validate",
    "coverage",
    "register",
    "render",
    "document",
    "manifest",
    "typeset",
    "output",
    // Running them.
    "generator",
    "up_to_date",
    "batch",
    "explain",
    "redline",
    "lint",
    "watch",
    "testing",
];

/// The modules a file's code (not its tests) names with `crate::`, also inside `use crate::{…}`
/// groups that span lines.
fn uses(text: &str) -> Vec<String> {
    let code = text
        .find("#[cfg(test)]\nmod tests {")
        .map_or(text, |at| &text[..at]);
    let code: String = code
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The first segment of each entry of the group (nested groups name no new root).
            let mut depth = 0;
            let mut entry_start = true;
            let mut name = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        entry_start = true;
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 && entry_start {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        name.push(c);
                    } else if !name.is_empty() || !c.is_whitespace() {
                        out.push(std::mem::take(&mut name));
                        entry_start = false;
                    }
                }
            }
            if !name.is_empty() {
                out.push(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out.retain(|n| n.chars().next().is_some_and(|c| c.is_ascii_lowercase()));
    // `crate::text!` is exported at the root by `macro_export`, but lives in `language`.
    for name in &mut out {
        if name == "text" {
            *name = "language".to_owned();
        }
    }
    out
}

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, files);
        } else if path.extension().is_some_and(|x| x == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn modules_use_only_the_layers_below_them() {
    let src = root().join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_owned();
        // The binary, the build script, the library root, and unit-test files.
        let skipped = ["main", "cli", "cmd", "build", "lib"].contains(&module.as_str())
            || rel.file_name().is_some_and(|n| n == "tests.rs");
        if skipped {
            continue;
        }
        let Some(own) = LAYERS.iter().position(|m| *m == module) else {
            wrong.push(format!(
                "{}: module `{module}` is not in LAYERS",
                rel.display()
            ));
            continue;
        };
        seen.insert(module.clone());
        for used in uses(&std::fs::read_to_string(&file).unwrap()) {
            if used == module {
                continue;
            }
            match LAYERS.iter().position(|m| *m == used) {
                Some(at) if at < own => {}
                Some(_) => wrong.push(format!(
                    "{}: `{module}` uses `{used}`, which is not below it",
                    rel.display()
                )),
                None => wrong.push(format!("{}: uses unknown module `{used}`", rel.display())),
            }
        }
    }
    for m in LAYERS {
        assert!(
            seen.contains(*m),
            "LAYERS names `{m}`, which is not in src/"
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

//! `annex watch` as a child process: the first render, a re-render after the project or a
//! template changes, a broken library reported without stopping.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// Kills the child when the test ends, also on a failed assertion.
struct Watcher {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watcher {
    fn start(dir: &Path, args: &[&str]) -> Watcher {
        let mut child = Command::new(env!("CARGO_BIN_EXE_annex"))
            .env("ANNEX_LANG", "en")
            .arg("watch")
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        let stderr = child.stderr.take().expect("stderr");
        let (send, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Watcher {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits (20 s at most) for a line that starts with `prefix` and returns it.
    fn wait_for(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.starts_with(prefix) {
                        return line;
                    }
                }
                Err(_) => break,
            }
        }
        panic!(
            "no line starting with {prefix:?} within 20 s; the output was:\n{}",
            self.seen.join("\n")
        );
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write");
}

#[test]
fn a_changed_project_is_rendered_again() {
    let dir = crate::support::tempdir();
    let mut project = crate::support::minimal_project();
    project["annex"]["title"] = "First title".into();
    let path = crate::support::write_project(dir.path(), "project.json", &project);
    let mut watcher = Watcher::start(dir.path(), &["project.json", "-o", "out", "--format", "md"]);
    watcher.wait_for("watching project.json");
    let line = watcher.wait_for("rendered ");
    assert!(
        line.starts_with("rendered project.json: ") && line.ends_with(" ms"),
        "{line}"
    );
    let md = dir.path().join("out/stadtwerke-hosting.md");
    assert!(
        std::fs::read_to_string(&md)
            .unwrap()
            .contains("First title")
    );

    // A broken project is reported; watching goes on.
    write(&path, "{ \"annex\": ");
    watcher.wait_for("project.json:");
    watcher.wait_for("not rendered; waiting for changes");

    project["annex"]["title"] = "Second title".into();
    crate::support::write_project(dir.path(), "project.json", &project);
    watcher.wait_for("rendered ");
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.contains("Second title") && !text.contains("First title"));
}

#[test]
fn a_changed_template_reloads_the_library() {
    let dir = crate::support::tempdir();
    crate::support::write_project(
        dir.path(),
        "project.json",
        &crate::support::minimal_project(),
    );
    let clause = dir
        .path()
        .join("templates/clauses/de/contract-framework.normal.md");
    std::fs::create_dir_all(clause.parent().unwrap()).unwrap();
    let builtin = std::fs::read_to_string(
        crate::support::root().join("templates/clauses/de/contract-framework.normal.md"),
    )
    .unwrap();
    write(&clause, &format!("{builtin}\nErste Fassung.\n"));
    let mut watcher = Watcher::start(
        dir.path(),
        &[
            "project.json",
            "--templates",
            "templates",
            "-o",
            "out",
            "--format",
            "md",
        ],
    );
    watcher.wait_for("rendered ");
    let md = dir.path().join("out/stadtwerke-hosting.md");
    assert!(
        std::fs::read_to_string(&md)
            .unwrap()
            .contains("Erste Fassung.")
    );

    // A broken library is reported and nothing is rendered until it is fixed.
    write(&clause, "+++\nid = \"contract-framework\"\n");
    watcher.wait_for("error: the template library is broken; waiting for changes");

    write(&clause, &format!("{builtin}\nZweite Fassung.\n"));
    watcher.wait_for("rendered ");
    assert!(
        std::fs::read_to_string(&md)
            .unwrap()
            .contains("Zweite Fassung.")
    );

    // A file of the folder annex does not read is named when the library is reloaded.
    write(
        &dir.path().join("templates/Topics.toml"),
        "# kept by hand\n",
    );
    watcher.wait_for("templates/Topics.toml: warning: annex does not read this file");
    watcher.wait_for("rendered ");
}

#[test]
fn watch_takes_the_output_options_of_render() {
    let dir = crate::support::tempdir();
    crate::support::write_project(
        dir.path(),
        "project.json",
        &crate::support::minimal_project(),
    );
    let options = ["--format", "md", "--no-coverage", "--emit-typst"];
    let rendered = crate::support::annex(
        &[&["render", "project.json", "-o", "ref"][..], &options[..]].concat(),
        dir.path(),
    );
    assert!(
        rendered.status.success(),
        "{}",
        crate::support::stderr(&rendered)
    );
    let mut watcher = Watcher::start(
        dir.path(),
        &[&["project.json", "-o", "out"][..], &options[..]].concat(),
    );
    watcher.wait_for("rendered ");
    let read = |p: &str| std::fs::read(dir.path().join(p)).unwrap();
    // Without the coverage appendix, exactly as `render` writes it; with the Typst files.
    assert_eq!(
        read("out/stadtwerke-hosting.md"),
        read("ref/stadtwerke-hosting.md")
    );
    assert_eq!(
        read("out/stadtwerke-hosting.typst/body.typ"),
        read("ref/stadtwerke-hosting.typst/body.typ")
    );

    // An unknown PDF standard is refused before watching starts.
    let o = crate::support::annex(
        &["watch", "project.json", "--pdf-standard", "a-9z"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        crate::support::stderr(&o).contains("a-9z"),
        "{}",
        crate::support::stderr(&o)
    );
}

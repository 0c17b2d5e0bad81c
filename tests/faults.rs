//! Faults of the file system and of the process: something in the way of the output, a full
//! disk, a batch killed in the middle. Whatever happens, no output name holds a partial file.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{annex, minimal_project, names, root, stderr, tempdir, write_project};

const ID: &str = "stadtwerke-hosting";

fn temporaries(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.starts_with(".annex-"))
        .collect()
}

#[test]
fn a_file_in_the_way_of_the_output_folder_is_an_error() {
    let dir = tempdir();
    write_project(dir.path(), "p.json", &minimal_project());
    std::fs::write(dir.path().join("out"), "a file").unwrap();
    for out in ["out", "out/sub"] {
        let o = annex(&["render", "p.json", "-o", out], dir.path());
        assert!(!o.status.success());
        let err = stderr(&o);
        assert!(err.contains("cannot create the output folder"), "{err}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out")).unwrap(),
        "a file"
    );
}

#[test]
fn a_folder_in_the_way_of_an_output_file_writes_nothing_of_that_annex() {
    let dir = tempdir();
    write_project(dir.path(), "p.json", &minimal_project());
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join(format!("{ID}.pdf"))).unwrap();
    let o = annex(&["render", "p.json", "-o", "out"], dir.path());
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("a folder is in the way of the output file"),
        "{err}"
    );
    // Only the folder and the run report: not the Markdown, the manifest or the coverage.
    assert_eq!(names(&out), ["report.json".to_owned(), format!("{ID}.pdf")]);
}

#[test]
fn a_full_disk_leaves_no_file_behind() {
    // `ulimit -f` makes every write beyond 64 KiB fail with EFBIG ("File too large"), as a
    // full disk fails with ENOSPC; SIGXFSZ is ignored so that the write fails instead of
    // killing the process. The PDF (about 100 KiB) cannot be written; the small files could.
    let dir = tempdir();
    write_project(dir.path(), "p.json", &minimal_project());
    let o = Command::new("sh")
        .env("ANNEX_LANG", "en")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 128; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_annex"))
        .args(["render", "p.json", "-o", "out"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("File too large"), "{err}");
    let out = dir.path().join("out");
    assert!(temporaries(&out).is_empty(), "{:?}", names(&out));
    assert!(
        names(&out).iter().all(|n| n == "report.json"),
        "files of a failed annex: {:?}",
        names(&out)
    );
}

#[test]
fn a_batch_killed_midway_leaves_only_complete_files_and_the_next_run_cleans_up() {
    let dir = tempdir();
    let example: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("templates/examples/bank-core-very-high.json"))
            .unwrap(),
    )
    .unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    const N: usize = 12;
    for i in 0..N {
        let mut p = example.clone();
        p["annex"]["id"] = format!("bank-{i:02}").into();
        write_project(&inputs, &format!("bank-{i:02}.json"), &p);
    }
    let out = dir.path().join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_annex"))
        .env("ANNEX_LANG", "en")
        .args(["render", "in", "-o", "out", "-j", "2"])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once some annexes are written and the others are still being rendered.
    let pdfs = |dir: &Path| -> Vec<PathBuf> {
        names(dir)
            .into_iter()
            .filter(|n| n.ends_with(".pdf"))
            .map(|n| dir.join(n))
            .collect()
    };
    let started = Instant::now();
    while pdfs(&out).len() < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "no PDF written"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the batch ended too soon"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let written = pdfs(&out);
    assert!(written.len() < N, "the batch finished before it was killed");
    // Every file under an output name is complete.
    for pdf in &written {
        let bytes = std::fs::read(pdf).unwrap();
        let end = bytes.trim_ascii_end();
        assert!(
            end.ends_with(b"%%EOF") && lopdf::Document::load_mem(&bytes).is_ok(),
            "{} is not a complete PDF",
            pdf.display()
        );
    }
    for name in names(&out).iter().filter(|n| n.ends_with(".json")) {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        assert!(
            serde_json::from_str::<serde_json::Value>(&text).is_ok(),
            "{name} is not complete JSON"
        );
    }

    // The next run removes what the killed one left, and writes everything.
    let o = annex(&["render", "in", "-o", "out"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(pdfs(&out).len(), N);
    assert!(temporaries(&out).is_empty(), "{:?}", temporaries(&out));
}

#[test]
fn stale_temporaries_of_dead_processes_are_removed_and_live_ones_kept() {
    let dir = tempdir();
    let own = format!(".annex-{}-live", std::process::id());
    // A pid above the kernel's maximum (4,194,304) belongs to no process.
    let dead = ".annex-4194305-abc";
    for name in [own.as_str(), dead, ".annex-notapid", "keep.pdf"] {
        std::fs::write(dir.path().join(name), "x").unwrap();
    }
    assert_eq!(annex::output::remove_stale_temporaries(dir.path()), 1);
    let mut want = vec![own, ".annex-notapid".to_owned(), "keep.pdf".to_owned()];
    want.sort();
    assert_eq!(names(dir.path()), want);
}

/// Runs annex in `cwd` as a user the file permissions apply to: as it is, or, when the tests
/// run as root (who may write anywhere), as `nobody` via `setpriv`.
fn annex_unprivileged(args: &[&str], cwd: &Path) -> std::process::Output {
    use std::os::unix::fs::MetadataExt;
    let probe = cwd.join(".owner");
    std::fs::write(&probe, "").unwrap();
    let root = std::fs::metadata(&probe).unwrap().uid() == 0;
    std::fs::remove_file(&probe).unwrap();
    let mut command = if root {
        // A copy in `cwd`, in case nobody may not enter the folders of the build.
        let program = cwd.join(".annex");
        if !program.exists() {
            std::fs::copy(env!("CARGO_BIN_EXE_annex"), &program).unwrap();
        }
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&program);
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_annex"))
    };
    command
        .env("ANNEX_LANG", "en")
        .args(args)
        .current_dir(cwd)
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .expect("runs (setpriv from util-linux when the tests run as root)")
}

#[test]
fn a_read_only_output_folder_is_an_error_and_nothing_is_written() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    write_project(dir.path(), "p.json", &minimal_project());
    let read_only = |path: &Path| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o555)).unwrap();
    };
    // The folder and the project are readable by anyone; the output folder is writable by none.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(
        dir.path().join("p.json"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    read_only(&out);

    // Into the read-only folder, and into a new folder below it.
    for target in ["out", "out/sub"] {
        let o = annex_unprivileged(&["render", "p.json", "-o", target], dir.path());
        let err = stderr(&o);
        assert!(!o.status.success(), "{target}: {err}");
        assert!(err.contains("permission denied"), "{target}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(names(&out), Vec::<String>::new());

    // The folder of the run itself read-only: the default output folder cannot be made.
    read_only(dir.path());
    let o = annex_unprivileged(&["render", "p.json"], dir.path());
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(err.contains("permission denied"), "{err}");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// The input limit counts the bytes read, not the size the file system reports (0 for a pipe).
#[test]
fn a_project_read_from_a_pipe_is_limited_like_a_file() {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_annex"))
        .env("ANNEX_LANG", "en")
        .args(["check", "/dev/stdin"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // 3 MiB of white space; annex stops reading after 1 MiB, so the pipe may close early.
    let writer = std::thread::spawn(move || {
        let chunk = vec![b' '; 64 * 1024];
        for _ in 0..48 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("/dev/stdin: error: the project file has more than 1048576 bytes"),
        "{}",
        stderr(&o)
    );
}

/// A template folder is read as regular files only: a link could print a file from elsewhere
/// into the annex, a pipe could hang the run (issue 14, item 3).
#[cfg(unix)]
#[test]
fn a_template_folder_with_a_link_or_a_pipe_is_refused() {
    let project = root().join("templates/examples/webhosting-normal.json");
    let project = project.to_str().unwrap();
    // A link to a file outside the folder.
    let linked = tempdir();
    std::fs::create_dir_all(linked.path().join("typst")).unwrap();
    let secret = linked.path().join("secret.txt");
    std::fs::write(&secret, "SECRET").unwrap();
    std::os::unix::fs::symlink(&secret, linked.path().join("typst/frame.typ")).unwrap();
    let out = tempdir();
    let args = |lib: &Path| {
        vec![
            "render".to_owned(),
            "--templates".to_owned(),
            lib.display().to_string(),
            "-o".to_owned(),
            out.path().display().to_string(),
            project.to_owned(),
        ]
    };
    let run = |lib: &Path| {
        let a = args(lib);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        annex(&a, &root())
    };
    let o = run(linked.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("typst/frame.typ: error: a symbolic link"),
        "{}",
        stderr(&o)
    );
    assert!(names(out.path()).iter().all(|n| !n.ends_with(".pdf")));
    // A named pipe: refused at once, no read that waits forever.
    let piped = tempdir();
    std::fs::create_dir_all(piped.path().join("markdown")).unwrap();
    let fifo = piped.path().join("markdown/coverage.md");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let started = Instant::now();
    let o = run(piped.path());
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    // A folder far too large (such as `/`) is refused without reading it all.
    let huge = tempdir();
    for i in 0..5_001 {
        std::fs::write(huge.path().join(format!("{i}.txt")), "").unwrap();
    }
    let o = run(huge.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("more than 5000 files"),
        "{}",
        stderr(&o)
    );
}

/// `templates eject` never writes through a link, also a dangling one; an input folder's
/// linked `*.json` is not read (issue 14, item 12).
#[cfg(unix)]
#[test]
fn eject_and_input_folders_do_not_follow_links() {
    let dir = tempdir();
    let target = dir.path().join("elsewhere.toml");
    let lib = dir.path().join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    std::os::unix::fs::symlink(&target, lib.join("topics.toml")).unwrap();
    let o = annex(&["templates", "eject", "lib", "--force"], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("a symbolic link is in the way"),
        "{}",
        stderr(&o)
    );
    assert!(!target.exists(), "eject wrote through the link");
    assert!(!lib.join("clauses").exists(), "nothing is written");
    // An input folder with a link to a project: the link is not a project of the folder.
    let inputs = dir.path().join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    let project = write_project(dir.path(), "real.json", &minimal_project());
    std::os::unix::fs::symlink(&project, inputs.join("linked.json")).unwrap();
    let o = annex(&["check", "inputs"], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the folder contains no *.json project files"),
        "{}",
        stderr(&o)
    );
}

/// `--emit-typst` never writes through a linked `<id>.typst` folder, and an annex is written
/// whole or not at all: a folder in the way of one of its Typst files stops all of its files
/// (issue 14, item 5).
#[cfg(unix)]
#[test]
fn typst_files_are_not_written_through_a_link_and_an_annex_is_all_or_nothing() {
    let dir = tempdir();
    let project = write_project(dir.path(), "p.json", &minimal_project());
    let out = dir.path().join("out");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join(format!("{ID}.typst"))).unwrap();
    let args = [
        "render",
        "--emit-typst",
        "--format",
        "md",
        "-o",
        out.to_str().unwrap(),
        project.to_str().unwrap(),
    ];
    let o = annex(&args, dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("a symbolic link is in the way"),
        "{}",
        stderr(&o)
    );
    assert!(names(&elsewhere).is_empty(), "written through the link");
    assert!(!out.join(format!("{ID}.md")).exists(), "not all or nothing");
    // A folder where main.typ goes.
    std::fs::remove_file(out.join(format!("{ID}.typst"))).unwrap();
    std::fs::create_dir_all(out.join(format!("{ID}.typst/main.typ"))).unwrap();
    let o = annex(&args, dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("a folder is in the way"),
        "{}",
        stderr(&o)
    );
    assert!(!out.join(format!("{ID}.md")).exists(), "not all or nothing");
    assert!(temporaries(&out).is_empty());
}

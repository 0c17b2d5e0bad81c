//! The fuzz regression inputs: every file of `fixtures/fuzz/<target>/` runs through the
//! function its fuzz target calls (`annex::testing::fuzzing`), so a crash found once stays fixed.
//! The fuzzers themselves run with `tests/fuzz/run.sh`, never in CI.

use std::path::PathBuf;

/// The inputs of one target, sorted; at least `min` of them.
fn inputs(target: &str, min: usize) -> Vec<PathBuf> {
    let dir = crate::support::root().join("fixtures/fuzz").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(
        files.len() >= min,
        "{}: {} inputs, expected at least {min}",
        dir.display(),
        files.len()
    );
    files
}

/// Runs each input on its own thread, so that a panic names the input.
fn run_all(target: &str, min: usize, run: fn(&[u8])) {
    for path in inputs(target, min) {
        let data = std::fs::read(&path).unwrap();
        let outcome = std::thread::Builder::new()
            .name(path.display().to_string())
            // As much stack as the main thread the fuzzer runs on.
            .stack_size(8 << 20)
            .spawn(move || run(&data))
            .unwrap()
            .join();
        assert!(outcome.is_ok(), "{} fails", path.display());
    }
}

#[test]
fn load_inputs() {
    run_all("load", 5, annex::testing::fuzzing::load);
}

#[test]
fn markup_inputs() {
    run_all("markup", 5, annex::testing::fuzzing::markup);
}

#[test]
fn render_inputs() {
    run_all("render", 3, annex::testing::fuzzing::render);
}

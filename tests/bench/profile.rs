//! Where the time of a batch goes inside typst: renders projects one after another on one
//! thread, as a `render -j 1` worker does, with typst's own timing scopes switched on, and
//! prints, per scope, its count, its total time and its self time (without the scopes inside
//! it), and how many layout iterations each annex needed.
//!
//!     cargo run --release --example profile -- [--trace FILE] [--twice] [--each] [--keep N]
//!         [--templates DIR] PROJECT...
//!
//! `--each` prints the time of every annex. `--twice` renders the batch a second time in the same process; with `--keep N` (N at least
//! the batch's size) nothing is evicted from typst's caches, so the second round is the floor
//! (everything cached). `--templates DIR` lays a template folder over the built-in library
//! (to compare frames). `--trace FILE` also writes the Chrome trace (chrome://tracing,
//! ui.perfetto.dev).
//! Not run in CI; BENCHMARKS.md has the figures.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use annex::{Generator, Options};

/// The allocator of the `annex` binary (src/main.rs), so that the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(serde::Deserialize)]
struct Event {
    name: String,
    ph: String,
    ts: f64,
    tid: u64,
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let mut trace: Option<PathBuf> = None;
    let mut twice = false;
    let mut templates: Option<PathBuf> = None;
    let mut keep: Option<usize> = None;
    let mut each = false;
    let mut projects = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--trace" => trace = args.next().map(PathBuf::from),
            "--twice" => twice = true,
            "--each" => each = true,
            "--templates" => templates = args.next().map(PathBuf::from),
            "--keep" => keep = args.next().and_then(|n| n.parse().ok()),
            _ => projects.push(PathBuf::from(arg)),
        }
    }
    let library = annex::library::Library::load(templates.as_deref()).unwrap();
    let generator = Generator::with_library(library).unwrap_or_else(|e| panic!("{e}"));
    // typst's results unused for this many documents are dropped (a batch: one per worker).
    if let Some(keep) = keep {
        generator.set_workers(keep);
    }
    // In the order a batch renders them: similar annexes one after another.
    let plan = annex::batch::plan(&generator, &projects, true, false);
    if let Some(order) = plan.order {
        projects = order.iter().map(|&i| projects[i].clone()).collect();
    }
    let options = Options::default();
    let rounds = if twice { 2 } else { 1 };
    for round in 1..=rounds {
        typst_timing::clear();
        typst_timing::enable();
        let started = Instant::now();
        let (mut compile, mut export, mut other, mut pages) =
            (Duration::ZERO, Duration::ZERO, Duration::ZERO, 0);
        let (mut prepare, mut convert) = (Duration::ZERO, Duration::ZERO);
        for project in &projects {
            let begun = Instant::now();
            let annex = generator
                .generate(project, &options)
                .unwrap_or_else(|e| panic!("{}: {e}", project.display()));
            let t = annex.timings;
            if each {
                println!(
                    "{}: {:.1} ms: compile {:.1} ms, export {:.1} ms",
                    project.display(),
                    begun.elapsed().as_secs_f64() * 1e3,
                    t.compile.as_secs_f64() * 1e3,
                    t.export.as_secs_f64() * 1e3
                );
            }
            compile += t.compile;
            prepare += t.prepare;
            convert += t.convert;
            export += t.export;
            other += begun.elapsed() - t.compile - t.export;
            pages += annex.pdf.as_ref().map_or(0, |p| p.pages);
        }
        let wall = started.elapsed();
        typst_timing::disable();
        let mut json = Vec::new();
        typst_timing::export_json(&mut json, |_| (String::new(), 0)).unwrap();
        if let Some(path) = &trace {
            std::fs::write(path.with_extension(format!("{round}.json")), &json).unwrap();
        }
        let events: Vec<Event> = serde_json::from_slice(&json).unwrap();
        let n = projects.len().max(1) as f64;
        println!(
            "round {round}: {} annexes, {pages} pages, {:.0} ms per annex: compile {:.0} ms, export {:.0} ms, the rest {:.1} ms (prepare {:.1} ms, convert {:.1} ms)",
            projects.len(),
            wall.as_secs_f64() * 1e3 / n,
            compile.as_secs_f64() * 1e3 / n,
            export.as_secs_f64() * 1e3 / n,
            other.as_secs_f64() * 1e3 / n,
            prepare.as_secs_f64() * 1e3 / n,
            convert.as_secs_f64() * 1e3 / n,
        );
        iterations(&events, n);
        summarise(&events, n);
    }
}

/// Per scope name: count, inclusive and self time (ms per annex), largest self time first.
fn summarise(events: &[Event], annexes: f64) {
    #[derive(Default)]
    struct Sum {
        count: u64,
        total: f64,
        own: f64,
    }
    let mut sums: BTreeMap<&str, Sum> = BTreeMap::new();
    // Per thread: the open scopes with their start and the time of their children.
    let mut stacks: BTreeMap<u64, Vec<(&str, f64, f64)>> = BTreeMap::new();
    for e in events {
        let stack = stacks.entry(e.tid).or_default();
        if e.ph == "B" {
            stack.push((&e.name, e.ts, 0.0));
        } else if let Some((name, start, children)) = stack.pop() {
            let took = e.ts - start;
            let sum = sums.entry(name).or_default();
            sum.count += 1;
            // A memoised function called inside itself counts once in the total.
            if !stack.iter().any(|(n, _, _)| *n == name) {
                sum.total += took;
            }
            sum.own += took - children;
            if let Some(parent) = stack.last_mut() {
                parent.2 += took;
            }
        }
    }
    let mut rows: Vec<(&str, Sum)> = sums.into_iter().collect();
    rows.sort_by(|a, b| b.1.own.total_cmp(&a.1.own));
    println!(
        "{:<28} {:>10} {:>12} {:>12}",
        "scope", "per annex", "total ms", "self ms"
    );
    for (name, sum) in rows.iter().take(25) {
        println!(
            "{:<28} {:>10.1} {:>12.1} {:>12.1}",
            name,
            sum.count as f64 / annexes,
            sum.total / 1e3 / annexes,
            sum.own / 1e3 / annexes
        );
    }
}

/// The time of typst's layout iterations (`iter (1)`, `iter (2)`, …), per annex.
fn iterations(events: &[Event], annexes: f64) {
    let mut open: BTreeMap<u64, Vec<(&str, f64)>> = BTreeMap::new();
    let mut sums: BTreeMap<&str, (u64, f64)> = BTreeMap::new();
    for e in events {
        let stack = open.entry(e.tid).or_default();
        if e.ph == "B" {
            stack.push((&e.name, e.ts));
        } else if let Some((name, start)) = stack.pop()
            && (name.starts_with("iter (") || name == "eval" && stack.len() == 1)
        {
            let sum = sums.entry(name).or_default();
            sum.0 += 1;
            sum.1 += e.ts - start;
        }
    }
    let line: Vec<String> = sums
        .iter()
        .map(|(name, (count, us))| {
            format!(
                "{name}: {:.2} per annex, {:.1} ms",
                *count as f64 / annexes,
                us / 1e3 / annexes
            )
        })
        .collect();
    println!("{}", line.join("; "));
}

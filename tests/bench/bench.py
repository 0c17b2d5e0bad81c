#!/usr/bin/env python3
"""Batch benchmark: annex against the typst CLI and a pandoc pipeline on the same documents.

    python3 tests/bench/bench.py [--n 200] [--jobs 2] [--large 1000] [--same-clauses]
                                 [--typst PATH] [--pandoc PATH] [--work DIR]

1. Writes N varied projects (tests/bench/make_projects.py: parties, ids, dates, levels per
   basic value, language and service flags varied from templates/examples).
2. annex: `annex render PROJECTS -j JOBS` (Markdown + PDF/A-3b with attachments), timed, with
   peak memory; again with `-j 1` for the scaling figure. The share of time outside typst's
   compile and export comes from the run report (report.json, stages_ms).
3. typst CLI: annex writes the exact Typst files it compiles (`--emit-typst`, untimed); then
   `typst compile --pdf-standard a-3b DIR/main.typ` per document with `xargs -P JOBS`, timed.
4. pandoc: annex's Markdown → PDF with `pandoc --pdf-engine=typst` per document, `xargs -P JOBS`.
5. With --large M: annex on M projects, for peak memory against N.

Prints the figures and ratios and writes them to WORK/results.json. Needs a release build
(`cargo build --release`), a typst CLI (`cargo install typst-cli --locked --root DIR`) and
pandoc (`pip install --target DIR pypandoc-binary`: DIR/pypandoc/files/pandoc). Not run in CI.
"""

import argparse
import json
import os
import pathlib
import platform
import re
import shutil
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
ANNEX = ROOT / "target" / "release" / "annex"


def timed(cmd, **kwargs):
    """Runs cmd under /usr/bin/time; returns (wall seconds, peak RSS in MB of the largest
    process, completed process)."""
    started = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "__peak_kb %M"] + cmd,
        capture_output=True,
        text=True,
        **kwargs,
    )
    wall = time.perf_counter() - started
    peaks = [int(m) for m in re.findall(r"__peak_kb (\d+)", proc.stderr)]
    return wall, (max(peaks) / 1024 if peaks else None), proc


def run_annex(projects, out, jobs):
    shutil.rmtree(out, ignore_errors=True)
    wall, peak, proc = timed([str(ANNEX), "render", str(projects), "-o", str(out), "-j", str(jobs)])
    if proc.returncode != 0:
        sys.exit(f"annex failed:\n{proc.stderr[-3000:]}")
    report = json.loads((out / "report.json").read_text())
    stages = {}
    for entry in report["projects"]:
        for stage, ms in entry.get("stages_ms", {}).items():
            stages[stage] = stages.get(stage, 0.0) + ms
    stages["plan"] = report.get("plan_ms", 0.0)
    typst_ms = stages.get("compile", 0) + stages.get("export", 0)
    total_ms = sum(stages.values())
    return {
        "wall_s": round(wall, 2),
        "peak_mb": round(peak, 1) if peak else None,
        "annexes": report["rendered"],
        "per_annex_ms": round(1000 * wall / max(1, report["rendered"]), 1),
        "stages_ms_total": {k: round(v) for k, v in stages.items()},
        "outside_typst_percent": round(100 * (total_ms - typst_ms) / total_ms, 2) if total_ms else None,
    }


def xargs_loop(items, command, jobs, env=None):
    """Runs `command` (a shell snippet with {}) for each item, `jobs` at a time, via xargs."""
    listing = "\n".join(str(i) for i in items) + "\n"
    cmd = ["xargs", "-P", str(jobs), "-I{}", "sh", "-c", command]
    started = time.perf_counter()
    proc = subprocess.run(cmd, input=listing, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{command} failed:\n{proc.stderr[-3000:]}")
    return round(wall, 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--large", type=int, default=0, help="also run annex on this many projects")
    parser.add_argument("--typst", default=shutil.which("typst"))
    parser.add_argument("--pandoc", default=shutil.which("pandoc"))
    parser.add_argument("--work", type=pathlib.Path, default=pathlib.Path("/tmp/annex-bench"))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--same-clauses", action="store_true",
                        help="vary only parties, ids, dates and figures (see make_projects.py)")
    args = parser.parse_args()
    variation = ["--same-clauses"] if args.same_clauses else []
    if not ANNEX.exists():
        sys.exit("build first: cargo build --release")
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    projects = work / "projects"
    shutil.rmtree(projects, ignore_errors=True)
    subprocess.run(
        [sys.executable, str(ROOT / "tests/bench/make_projects.py"), str(args.n), str(projects),
         "--seed", str(args.seed)] + variation,
        check=True,
    )
    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
        "n": args.n,
        "same_clauses": args.same_clauses,
        "jobs": args.jobs,
        "annex_version": subprocess.run([str(ANNEX), "--version"], capture_output=True, text=True).stdout.strip(),
    }

    print(f"annex, {args.n} annexes, -j {args.jobs} …", flush=True)
    results["annex"] = run_annex(projects, work / "annex", args.jobs)
    print(f"annex, {args.n} annexes, -j 1 …", flush=True)
    results["annex_j1"] = run_annex(projects, work / "annex-j1", 1)

    # The exact Typst files annex compiles, for the typst CLI (untimed).
    typst_dir = work / "typst"
    shutil.rmtree(typst_dir, ignore_errors=True)
    subprocess.run([str(ANNEX), "render", str(projects), "-o", str(typst_dir), "--format", "md",
                    "--emit-typst", "-j", str(args.jobs)], check=True, capture_output=True)
    folders = sorted(typst_dir.glob("*.typst"))

    if args.typst:
        version = subprocess.run([args.typst, "--version"], capture_output=True, text=True).stdout.strip()
        print(f"{version}, {len(folders)} documents, xargs -P {args.jobs} …", flush=True)
        out = work / "typst-cli"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        wall = xargs_loop(
            folders,
            f"'{args.typst}' compile --ignore-system-fonts --pdf-standard a-3b "
            f"{{}}/main.typ '{out}'/$(basename {{}} .typst).pdf",
            args.jobs,
        )
        results["typst_cli"] = {"version": version, "wall_s": wall, "per_annex_ms": round(1000 * wall / len(folders), 1)}

    if args.pandoc and args.typst:
        version = subprocess.run([args.pandoc, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
        markdown = sorted(typst_dir.glob("*.md"))
        print(f"{version} --pdf-engine=typst, {len(markdown)} documents, xargs -P {args.jobs} …", flush=True)
        out = work / "pandoc"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        env = dict(os.environ, PATH=f"{pathlib.Path(args.typst).parent}:{os.environ['PATH']}")
        wall = xargs_loop(
            markdown,
            f"'{args.pandoc}' {{}} --from markdown --pdf-engine=typst -o '{out}'/$(basename {{}} .md).pdf",
            args.jobs,
            env=env,
        )
        results["pandoc"] = {"version": version, "wall_s": wall, "per_annex_ms": round(1000 * wall / len(markdown), 1)}

    if args.large:
        large = work / "projects-large"
        shutil.rmtree(large, ignore_errors=True)
        subprocess.run(
            [sys.executable, str(ROOT / "tests/bench/make_projects.py"), str(args.large), str(large),
             "--seed", str(args.seed + 1)] + variation,
            check=True,
        )
        print(f"annex, {args.large} annexes, -j {args.jobs} …", flush=True)
        results["annex_large"] = run_annex(large, work / "annex-large", args.jobs)
        shutil.rmtree(work / "annex-large", ignore_errors=True)

    a = results["annex"]
    ratios = {"jobs_speedup": round(results["annex_j1"]["wall_s"] / a["wall_s"], 2)}
    if "typst_cli" in results:
        ratios["vs_typst_cli"] = round(results["typst_cli"]["wall_s"] / a["wall_s"], 2)
    if "pandoc" in results:
        ratios["vs_pandoc"] = round(results["pandoc"]["wall_s"] / a["wall_s"], 2)
    results["ratios"] = ratios
    (work / "results.json").write_text(json.dumps(results, indent=2) + "\n")

    print()
    print(f"{'run':<34} {'wall s':>8} {'ms/annex':>9} {'peak MB':>8}")
    rows = [
        (f"annex -j {args.jobs}", a),
        ("annex -j 1", results["annex_j1"]),
        (f"typst CLI, xargs -P {args.jobs}", results.get("typst_cli")),
        (f"pandoc + typst, xargs -P {args.jobs}", results.get("pandoc")),
        (f"annex -j {args.jobs}, {args.large} annexes", results.get("annex_large")),
    ]
    for name, r in rows:
        if r:
            print(f"{name:<34} {r['wall_s']:>8} {r['per_annex_ms']:>9} {r.get('peak_mb') or '':>8}")
    print()
    print(f"annex -j {args.jobs} vs -j 1: {ratios['jobs_speedup']}×")
    if "vs_typst_cli" in ratios:
        print(f"annex vs typst CLI loop: {ratios['vs_typst_cli']}×")
    if "vs_pandoc" in ratios:
        print(f"annex vs pandoc pipeline: {ratios['vs_pandoc']}×")
    print(f"time outside typst compile and export: {a['outside_typst_percent']} %")
    print(f"results: {work / 'results.json'}")


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Runs the cargo fuzz targets of annex (see tests/fuzz/README.md).
#
#   tests/fuzz/run.sh [-t SECONDS | -r RUNS] [-j PARALLEL] [TARGET...]
#
#   -t SECONDS   run each target for this long (default 60)
#   -r RUNS      run each target for this many executions instead
#   -j PARALLEL  how many targets run at the same time (default 1; one core each)
#   TARGET       load, markup, render (default: all three)
#
# Seed corpora are built from fixtures/, ../shared/examples, the templates' Markdown and
# fixtures/fuzz/<target>/ into tests/fuzz/corpus/<target>/ (git-ignored, kept between runs).
# A crash or timeout is copied to fixtures/fuzz/<target>/ as a regression input. At the end
# one line per target: executions, seconds, executions per second, corpus size, findings.
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). libFuzzer needs nightly flags; with
# a stable toolchain RUSTC_BOOTSTRAP=1 allows them (set here).
set -euo pipefail

fuzz_dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$fuzz_dir/../.." && pwd)
cd "$root"

seconds=60
runs=""
parallel=1
while getopts "t:r:j:h" opt; do
  case $opt in
    t) seconds=$OPTARG ;;
    r) runs=$OPTARG ;;
    j) parallel=$OPTARG ;;
    *) sed -n '2,16p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(load markup render)

export RUSTC_BOOTSTRAP=1
# No sanitizer: annex forbids unsafe code, so ASan would only slow the runs down; libFuzzer's
# coverage guidance stays. Debug assertions on: integer overflow panics instead of wrapping.
flags=(--fuzz-dir tests/fuzz --sanitizer none --debug-assertions)

# Per-target libFuzzer options: the slowest acceptable input (an instrumented render of the
# 40-page bank annex takes about 6 s) and the largest input (long Markdown only slows the markup
# target down: its constructs nest within a few hundred bytes).
options() {
  case $1 in
    load) echo "-timeout=10 -max_len=16384" ;;
    markup) echo "-timeout=10 -max_len=2048" ;;
    render) echo "-timeout=60 -max_len=4096" ;;
  esac
}

seed() {
  local target=$1 dir="tests/fuzz/corpus/$1" f n=0
  mkdir -p "$dir"
  add() { # add FILE [PREFIX-BYTES]: copies a seed under the hash of its content
    local tmp
    tmp=$(mktemp)
    { [ -z "${2:-}" ] || printf "$2"; cat "$1"; } >"$tmp"
    mv "$tmp" "$dir/seed-$(sha1sum "$tmp" | cut -c1-16)"
    n=$((n + 1))
  }
  case $target in
    load)
      for f in templates/examples/*.json fixtures/projects/*.json fixtures/projects/invalid/*.json \
        fixtures/explain/*.json ../shared/examples/*.json; do
        [ -f "$f" ] && add "$f"
      done
      ;;
    markup)
      # The first byte picks the heading offset; \x01 is -1, as in the annex.
      while IFS= read -r f; do add "$f" '\x01'; done < <(find templates -name '*.md' | sort)
      ;;
    render)
      # Two bytes of settings, then 0xFF-separated segments: a slot byte and its text.
      local s
      for s in '\x00\x00' '\x01\x00' '\x02\x00' '\x03\x3f' '\xfc\x00' '\x00\x40' \
        '\x00\x00\x06Acme *GmbH* & <b>Co</b>' \
        '\x00\x00\x15# Heading\n\n- list [x](javascript:1) `code` $x$' \
        '\x01\x00\x0d#set page(width: 1pt) {{ x }} \xef\xb7\x90f\xef\xb7\x91' \
        '\x02\x00\x16\xff\x17| a | b |\n|---|---|\n\xff\x26\\'; do
        printf "$s" >"$dir/tmp"
        add "$dir/tmp"
        rm -f "$dir/tmp"
      done
      ;;
  esac
  for f in "fixtures/fuzz/$target"/*; do
    [ -f "$f" ] && add "$f"
  done
  echo "$target: $n seed inputs, $(find "$dir" -type f | wc -l) in the corpus"
}

echo "building ${targets[*]} ..."
cargo fuzz build "${flags[@]}"

mkdir -p tests/fuzz/logs tests/fuzz/artifacts
for t in "${targets[@]}"; do seed "$t"; done

run_one() {
  local t=$1 log="tests/fuzz/logs/$1.log" limit
  mkdir -p "tests/fuzz/artifacts/$t"
  if [ -n "$runs" ]; then limit="-runs=$runs"; else limit="-max_total_time=$seconds"; fi
  local start end status=0
  start=$(date +%s)
  # shellcheck disable=SC2046
  cargo fuzz run "${flags[@]}" "$t" "tests/fuzz/corpus/$t" -- \
    $limit $(options "$t") -print_final_stats=1 \
    -artifact_prefix="tests/fuzz/artifacts/$t/" >"$log" 2>&1 || status=$?
  end=$(date +%s)
  echo "$status $((end - start))" >"tests/fuzz/logs/$t.status"
}

pids=()
for t in "${targets[@]}"; do
  run_one "$t" &
  pids+=($!)
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do sleep 1; done
done
wait "${pids[@]}" 2>/dev/null || true

failed=0
total=0
printf '%-8s %14s %8s %10s %8s  %s\n' target executions seconds exec/s corpus findings
for t in "${targets[@]}"; do
  log="tests/fuzz/logs/$t.log"
  read -r status secs <"tests/fuzz/logs/$t.status"
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  # After a crash libFuzzer prints no final stats: take the last status line (#N ...).
  [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#' || true)
  execs=${execs:-0}
  total=$((total + execs))
  corpus=$(find "tests/fuzz/corpus/$t" -type f | wc -l)
  findings=()
  # A slow unit (over 10 s, e.g. the first render with cold caches) is no finding.
  rm -f "tests/fuzz/artifacts/$t"/slow-unit-*
  for a in "tests/fuzz/artifacts/$t"/*; do
    [ -f "$a" ] || continue
    name=$(basename "$a")
    mkdir -p "fixtures/fuzz/$t"
    cp "$a" "fixtures/fuzz/$t/$name"
    rm "$a"
    findings+=("fixtures/fuzz/$t/$name")
  done
  if [ "$status" != 0 ] && [ ${#findings[@]} -eq 0 ]; then
    findings+=("exit status $status, see $log")
  fi
  [ ${#findings[@]} -eq 0 ] || failed=1
  rate=$((execs / (secs > 0 ? secs : 1)))
  printf '%-8s %14s %8s %10s %8s  %s\n' "$t" "$execs" "$secs" "$rate" "$corpus" \
    "${findings[*]:-none}"
done
echo "total executions: $total"
exit $failed

#!/usr/bin/env bash
# startup: wall time of `marketlab -e 'print(1)'` (twin: bench/startup.py, `import torch`).
# hyperfine -N --warmup 1 --runs R when hyperfine is on PATH, else 1 warm-up + R runs timed
# with date +%s%N; prints one JSON line with the median in ms.
#   usage: bench/startup.sh [--binary PATH] [--threads N] [--runs R]   (defaults: the
#          checkout's .build/release/marketlab, 1 thread, 20 runs)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="$root/.build/release/marketlab"
threads=1
runs=20
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --runs|--reps) runs="$2"; shift 2 ;;
    *) echo "startup.sh: unknown argument '$1' (expected --binary, --threads or --runs)" >&2; exit 2 ;;
  esac
done
[ -x "$binary" ] || { echo "startup.sh: no marketlab binary at $binary" >&2; exit 1; }
cmd=("$binary" --threads "$threads" -e 'print(1)')

# Median of the numbers on stdin, one per line.
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

if command -v hyperfine >/dev/null 2>&1; then
  method="hyperfine $(hyperfine --version | awk '{ print $2 }')"
  csv="$(mktemp)"
  trap 'rm -f "$csv"' EXIT
  # -N: no intermediate shell; the command string is split on spaces, so quote -e's code.
  hyperfine -N --warmup 1 --runs "$runs" --style none --export-csv "$csv" \
    "'$binary' --threads $threads -e 'print(1)'" >/dev/null 2>&1
  # columns: command,mean,stddev,median,user,system,min,max (seconds)
  read -r median_s min_s max_s < <(awk -F, 'NR == 2 { print $4, $7, $8 }' "$csv")
else
  method="date +%s%N loop"
  "${cmd[@]}" >/dev/null  # warm-up
  samples=()
  for _ in $(seq "$runs"); do
    t0=$(date +%s%N); "${cmd[@]}" >/dev/null; t1=$(date +%s%N)
    samples+=("$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.9f", d / 1e9 }')")
  done
  median_s="$(printf '%s\n' "${samples[@]}" | median)"
  min_s="$(printf '%s\n' "${samples[@]}" | sort -g | head -1)"
  max_s="$(printf '%s\n' "${samples[@]}" | sort -g | tail -1)"
fi

awk -v med="$median_s" -v lo="$min_s" -v hi="$max_s" -v runs="$runs" -v threads="$threads" \
    -v method="$method" 'BEGIN {
  printf "{\"bench\": \"startup\", \"impl\": \"marketlab\", \"threads\": %d, ", threads
  printf "\"median_s\": %.6f, \"min_s\": %.6f, \"max_s\": %.6f, \"reps\": %d, ", med, lo, hi, runs
  printf "\"startup_ms\": %.2f, \"method\": \"%s\"}\n", med * 1e3, method
}'

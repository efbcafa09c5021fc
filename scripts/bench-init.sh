#!/usr/bin/env bash
# Benchmark `rallyforge init --dry-run` on the nova skeleton of the shared
# corpus, as a whole process (start-up, catalog decode, detection, plan,
# render, Zuul edit, diff). Target: ≤ 30 ms per run.
# Usage: scripts/bench-init.sh [RUNS]   (uses hyperfine when installed)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
shared=${RALLYFORGE_SHARED:-../shared}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
CGO_ENABLED=0 go build -o "$work/rallyforge" ./cmd/rallyforge
tar -xzf "$shared/corpus/repos/nova.tar.gz" -C "$work"
cmd=("$work/rallyforge" init --dry-run "$work/nova")
"${cmd[@]}" >/dev/null 2>&1 || { echo "init --dry-run failed:"; "${cmd[@]}"; exit 1; }
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 3 --runs "$runs" "${cmd[*]}"
  exit 0
fi
# Fallback: time each run, report min / median / mean / max in ms.
for _ in 1 2 3; do "${cmd[@]}" >/dev/null 2>&1; done
for ((i = 0; i < runs; i++)); do
  s=$(date +%s%N)
  "${cmd[@]}" >/dev/null 2>&1
  e=$(date +%s%N)
  echo $(((e - s) / 1000))
done | sort -n | awk -v runs="$runs" '
  { t[NR] = $1; sum += $1 }
  END {
    printf "init --dry-run on nova, %d runs: min %.1f ms, median %.1f ms, mean %.1f ms, max %.1f ms\n",
      runs, t[1] / 1000, t[int((NR + 1) / 2)] / 1000, sum / NR / 1000, t[NR] / 1000
  }'

#!/usr/bin/env bash
# Benchmark `rallyforge lint` against the real Rally's validation (render,
# TaskConfig, TaskEngine syntax validation; internal/rallyoracle/validate.py)
# on the same files, in one run:
#   1. one task file as a whole process (targets: ≤ 6 ms, ≤ 20 MiB): a
#      typical gate task (keystone's rally-jobs/keystone.yaml, 8 workloads)
#      and the largest real one (rally-openstack's rally-jobs/nova.yaml,
#      58 workloads, 30 KB),
#   2. all 790 corpus task files in one process (target: ≤ 0.25 s),
# and prints the ratios. Files are linted inside their unpacked
# repositories so includes and extra files resolve.
# Usage: scripts/bench-lint.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench-lint.sh: needs hyperfine (apt-get install -y hyperfine)" >&2; exit 2; }
runs=${1:-20}
shared=${RALLYFORGE_SHARED:-../shared}
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
CGO_ENABLED=0 go build -o "$work/rallyforge" ./cmd/rallyforge
# The machine's floor: an empty static Go program (what any Go CLI pays to
# start here; page faults are costly on some VMs), and rallyforge doing no
# work (start-up of the one binary: runtime plus every package's init).
mkdir -p "$work/empty"
printf 'package main\n\nfunc main() {}\n' >"$work/empty/main.go"
printf 'module empty\n\ngo 1.24\n' >"$work/empty/go.mod"
(cd "$work/empty" && CGO_ENABLED=0 go build -o "$work/empty-go" .)
mkdir -p "$work/repos"
for t in "$shared"/corpus/rally-tasks/*; do basename "$t"; done | sed 's/__.*//' | sort -u |
  while read -r r; do tar -xzf "$shared/corpus/repos/$r.tar.gz" -C "$work/repos"; done
# Corpus file name <repo>__<path> -> path inside the unpacked repository.
: >"$work/files"
for t in "$shared"/corpus/rally-tasks/*; do
  n=$(basename "$t"); r=${n%%__*}; p=${n#*__}
  echo "$work/repos/$r/${p//__//}" >>"$work/files"
done
one="$work/repos/keystone/rally-jobs/keystone.yaml"
big="$work/repos/rally-openstack/rally-jobs/nova.yaml"
"$py" - "$work" "$one" "$big" <<'PY'
import json, os, sys
work, one, big = sys.argv[1], sys.argv[2], sys.argv[3]
def item(p):
    rel = os.path.relpath(p, work + "/repos")
    root = os.path.join(work, "repos", rel.split(os.sep)[0])
    it = {"name": p, "task": p, "cwd": root, "extra": root + "/rally-jobs/extra"}
    if os.path.isdir(root + "/rally-jobs/plugins"):
        it["plugins"] = [root + "/rally-jobs/plugins"]
    return it
files = open(work + "/files").read().split()
json.dump([item(one)], open(work + "/one.json", "w"))
json.dump([item(big)], open(work + "/big.json", "w"))
json.dump([item(p) for p in files], open(work + "/all.json", "w"))
PY
cp internal/rallyoracle/validate.py "$work/validate.py"

# time_runs N cmd... : prints the median wall time in µs. hyperfine (Debian
# package) runs the command without a shell (-N) after warm-up runs, so the
# figure is the process itself, not the timer's own forks.
time_runs() {
  local n=$1; shift
  local q; q=$(printf '%q ' "$@")
  local warm=$(( n > 3 ? 3 : 0 ))
  hyperfine -N -i --style none --warmup "$warm" --runs "$n" --export-json "$work/hf.json" "$q" >/dev/null 2>&1
  "$py" -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["results"][0]["median"]*1e6))' "$work/hf.json"
}
# KiB; a file with findings exits 1 (nova.yaml does under --catalog auto
# with the installed release), which is no failure of the benchmark.
rss() { { /usr/bin/time -f %M "$@" 2>&1 >/dev/null || true; } | tail -1; }

"$work/rallyforge" lint "$one" >/dev/null 2>&1 || true
mapfile -t files <"$work/files"
empty_go=$(time_runs "$runs" "$work/empty-go")
rf_version=$(time_runs "$runs" "$work/rallyforge" --version)
lint_one=$(time_runs "$runs" "$work/rallyforge" lint "$one")
lint_one_rss=$(rss "$work/rallyforge" lint "$one")
lint_big=$(time_runs "$runs" "$work/rallyforge" lint "$big")
lint_big_rss=$(rss "$work/rallyforge" lint "$big")
lint_all=$(time_runs 5 "$work/rallyforge" lint "${files[@]}")
rally_one=$(time_runs 3 sh -c "$py $work/validate.py < $work/one.json")
rally_one_rss=$(rss sh -c "exec $py $work/validate.py < $work/one.json")
rally_big=$(time_runs 3 sh -c "$py $work/validate.py < $work/big.json")
rally_big_rss=$(rss sh -c "exec $py $work/validate.py < $work/big.json")
rally_all=$(time_runs 1 sh -c "$py $work/validate.py < $work/all.json")

awk -v eg="$empty_go" -v rv="$rf_version" -v lo="$lint_one" -v lr="$lint_one_rss" -v la="$lint_all" -v ro="$rally_one" -v rr="$rally_one_rss" -v ra="$rally_all" -v n="${#files[@]}" \
  -v lb="$lint_big" -v lbr="$lint_big_rss" -v rb="$rally_big" -v rbr="$rally_big_rss" 'BEGIN {
  printf "%-38s %9.1f ms\n", "floor: empty static Go program", eg / 1000
  printf "%-38s %9.1f ms\n", "floor: rallyforge --version", rv / 1000
  printf "%-38s %12s %12s %8s\n", "", "rallyforge", "real Rally", "ratio"
  printf "%-38s %9.1f ms %9.1f ms %7.0fx\n", "one file (keystone.yaml), wall", lo / 1000, ro / 1000, ro / lo
  printf "%-38s %8.1f MiB %8.1f MiB %7.1fx\n", "one file (keystone.yaml), max RSS", lr / 1024, rr / 1024, rr / lr
  printf "%-38s %9.1f ms %9.1f ms %7.0fx\n", "largest file (nova.yaml), wall", lb / 1000, rb / 1000, rb / lb
  printf "%-38s %8.1f MiB %8.1f MiB %7.1fx\n", "largest file (nova.yaml), max RSS", lbr / 1024, rbr / 1024, rbr / lbr
  printf "%-38s %10.3f s %10.3f s %7.0fx\n", "all " n " corpus files, wall", la / 1e6, ra / 1e6, ra / la
}'

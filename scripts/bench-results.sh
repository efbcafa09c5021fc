#!/bin/sh
# Times `rallyforge report` against the real Rally on the same big report.
# A report of N iterations (default 100000) is built by repeating the real
# iterations of a sample report with shifted timestamps
# (scripts/make-big-report.py); then, each once under /usr/bin/time -v:
#   rallyforge report --format json|text|html FILE
#   rally task import --file FILE   (Rally must load a report before reporting)
#   rally task report --uuid U --json --out OUT.json
#   rally task report --uuid U --out OUT.html      (Rally's HTML page)
# Prints wall seconds, CPU seconds (user + system: what a shared, loaded
# machine does not inflate) and peak RSS, then how many times faster (wall)
# and leaner rallyforge is for JSON and for HTML. SKIP_RALLY=1 skips the Rally half (it
# needs ~13 GB of memory at 1,000,000 iterations).
# usage: scripts/bench-results.sh [N] [SAMPLE.report.json]
set -eu
N=${1:-100000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SAMPLE=${2:-$ROOT/../shared/samples/rally-results/glance-images.report.json}
W=$(mktemp -d /tmp/bench-results.XXXXXX)
trap 'rm -rf "$W"' EXIT
BIG=$W/big.report.json

/usr/bin/python3 "$ROOT/scripts/make-big-report.py" "$SAMPLE" "$N" "$BIG"
echo "file: $N iterations, $(du -m "$BIG" | cut -f1) MB ($(basename "$SAMPLE") repeated); machine load: $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$ROOT" && CGO_ENABLED=0 go build -o "$W/rallyforge" ./cmd/rallyforge)

# measure LABEL KEY command...: prints the line, keeps seconds and MB in
# $W/KEY.s and $W/KEY.mb. report exits 1 when an SLA failed: accepted.
measure() {
	label=$1 key=$2
	shift 2
	rc=0
	/usr/bin/time -v "$@" >"$W/out" 2>"$W/time" || rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
		cat "$W/time" >&2
		exit 1
	fi
	secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$W/time")
	rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$W/time")
	cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$W/time")
	echo "$secs" >"$W/$key.s"
	echo "$rss" >"$W/$key.mb"
	printf '%-44s %8.2f s wall %8s s cpu %7s MB\n' "$label" "$secs" "$cpu" "$rss"
}

measure "rallyforge report --format json" json "$W/rallyforge" report --format json "$BIG"
measure "rallyforge report --format text" text "$W/rallyforge" report "$BIG"
measure "rallyforge report --format html" html "$W/rallyforge" report --format html "$BIG"
cp "$W/out" "$W/ours.html"

[ "${SKIP_RALLY:-}" = 1 ] && exit 0
mkdir -p "$W/home"
printf '[DEFAULT]\nlog_file = %s/rally.log\n[database]\nconnection = sqlite:///%s/rally.sqlite\n' "$W" "$W" >"$W/rally.conf"
R="rally --config-file $W/rally.conf"
export HOME="$W/home"
$R db recreate >/dev/null 2>&1
$R env create --name bench >/dev/null 2>&1
measure "rally task import" import $R task import --file "$BIG"
U=$(sed -n 's/^Task UUID: \([0-9a-f-]*\).*/\1/p' "$W/out")
measure "rally task report --json" rjson $R task report --uuid "$U" --json --out "$W/rally.json"
measure "rally task report (html)" rhtml $R task report --uuid "$U" --out "$W/rally.html"

ratio() { awk -v a="$(cat "$W/$1")" -v b="$(cat "$W/$2")" 'BEGIN { printf "%.0f", a / b }'; }
echo "json: $(ratio rjson.s json.s)x faster, $(ratio rjson.mb json.mb)x less memory than rally task report --json"
echo "html: $(ratio rhtml.s html.s)x faster, $(ratio rhtml.mb html.mb)x less memory than rally task report (html)"

# The statistics must be Rally's own, also at this size: Rally recomputes
# them on import; compare every row with ours.
"$W/rallyforge" report --format json "$BIG" >"$W/ours.json" || [ $? -eq 1 ]
/usr/bin/python3 - "$W/ours.json" "$W/rally.json" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))[0]["workloads"]
rally = [w for t in json.load(open(sys.argv[2]))["tasks"] for s in t["subtasks"] for w in s["workloads"]]
assert len(ours) == len(rally), (len(ours), len(rally))
for o, r in zip(ours, rally):
    if o["durations"] != r["statistics"]["durations"]:
        sys.exit("statistics differ from Rally's on the big file")
print("statistics: identical to Rally's for %d workload(s)" % len(ours))
PY

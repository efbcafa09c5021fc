#!/usr/bin/env bash
# Runs the hostile inputs of issue 15 against a built binary and prints, per
# example, the exit code, the wall time, the peak resident memory and the
# first line of the message. An example passes when it ends within 15 s with
# a peak RSS of at most 1 GiB, exit 1 or 2 and a one-line message on stderr
# (or exit 0 where the input is harmless and handled, marked "ok0").
#
#   go build -o /tmp/rallyforge ./cmd/rallyforge && scripts/hostile.sh /tmp/rallyforge
set -u
BIN=$(readlink -f "${1:-./rallyforge}")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${RALLYFORGE_SHARED:-$ROOT/../shared}
EXAMPLE=$ROOT/examples/demo-service
W=$(mktemp -d /tmp/hostile.XXXXXX)
trap 'kill $LPID 2>/dev/null; rm -rf "$W"' EXIT
cd "$W" || exit 2
fail=0

# run NAME WANT CMD... ; WANT is "12" (exit 1 or 2) or "0" (clean exit 0).
run() {
	local name=$1 want=$2; shift 2
	local out="$W/$name.out" err="$W/$name.err" tv="$W/$name.time"
	timeout -s KILL 20 /usr/bin/time -v -o "$tv" "$@" >"$out" 2>"$err" </dev/null
	local rc=$?
	if [ -s "$tv" ] && grep -q "Exit status" "$tv"; then rc=$(awk -F': ' '/Exit status/{print $2}' "$tv"); fi
	local wall rss lines msg ok=PASS
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$tv" 2>/dev/null)
	rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$tv" 2>/dev/null)
	lines=$(grep -c . "$err")
	msg=$(head -c 150 "$err" | head -1 | tr -d '\000-\037')
	[ -z "$wall" ] && wall=KILLED ok=FAIL
	case $want in
	12) [ "$rc" = 1 ] || [ "$rc" = 2 ] || ok=FAIL
	    [ "$lines" -le 1 ] || [ "$rc" = 1 ] || ok=FAIL ;;
	0) [ "$rc" = 0 ] || ok=FAIL ;;
	esac
	if [ -n "$rss" ] && [ "$rss" -gt 1048576 ]; then ok=FAIL; fi
	case $wall in 0:0[0-9].*|0:1[0-4].*) ;; *) ok=FAIL ;; esac
	[ $ok = FAIL ] && fail=$((fail + 1))
	printf '%-4s %-28s exit=%-3s %8s %7s KiB  %s\n' "$ok" "$name" "$rc" "$wall" "${rss:-?}" "$msg"
}

repo() { # the example service repository, plus one task
	cp -r "$EXAMPLE" "$1"; rm -rf "$1/zuul.d"
	mkdir -p "$1/rally-jobs"
	printf 'version: 2\ntitle: t\nsubtasks:\n- title: a\n  scenario:\n    Dummy.dummy: {}\n  runner:\n    constant: {times: 1, concurrency: 1}\n' >"$1/rally-jobs/task.yaml"
}
task() { printf '%s\n' "$2" >"$1"; }
T='version: 2
title: t
subtasks:
- title: a
  scenario:
    Dummy.dummy: {}'

echo "== 1 Jinja include/import outside the task folder"
mkdir -p t1/sub; echo 'secret' >t1/secret.txt; ln -s /etc t1/sub/etc
task t1/sub/abs.yaml "{% include '/etc/passwd' %}
$T"
task t1/sub/dotdot.yaml "{% include '../secret.txt' %}
$T"
task t1/sub/zero.yaml "{% include '/dev/zero' %}
$T"
task t1/sub/urandom.yaml "{% import '/dev/urandom' as x %}
$T"
task t1/sub/symlink.yaml "{% include 'etc/passwd' %}
$T"
for f in abs dotdot zero urandom symlink; do run "1-include-$f" 12 "$BIN" lint "t1/sub/$f.yaml"; done
printf '1:\n  a: 1\n' >t1/res.json
run "1-baseline-include-abs" 12 "$BIN" baseline t1/sub/abs.yaml "$SHARED/samples/rally-results/keystone-basic.report.json"

echo "== 2 lint follows a symlink out of the repository"
repo r2; ln -s /etc/passwd r2/rally-jobs/x.yaml
run "2-lint-symlink-out" 12 "$BIN" lint r2

echo "== 3 --service-type injection"
repo r3
run "3-service-type-newline" 12 "$BIN" init --dry-run --service-type $'x"\nimport os #' r3
run "3-service-type-quote" 12 "$BIN" init --dry-run --service-type "x'y" r3

echo "== 5 empty or symlink-only zuul.d"
repo r5a; mkdir r5a/zuul.d
repo r5b; mkdir r5b/.zuul.d; ln -s /nonexistent r5b/.zuul.d/a.yaml
repo r5c; mkdir r5c/zuul.d; ln -s /etc/passwd r5c/zuul.d/jobs.yaml
run "5-empty-zuul.d" 0 "$BIN" init --dry-run r5a
run "5-dangling-.zuul.d" 0 "$BIN" init --dry-run r5b
run "5-symlink-out-zuul.d" 0 "$BIN" init --dry-run r5c

echo "== 6 recursive Jinja"
task t6a.yaml "{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}
$T"
mkdir t6b; task t6b/task.yaml "{% include 'task.yaml' %}
$T"
task t6c.yaml "$(printf '{%% if 1 %%}%.0s' $(seq 3000))$(printf '{%% endif %%}%.0s' $(seq 3000))
$T"
task t6d.yaml "{{ $(printf '(%.0s' $(seq 20000))1$(printf ')%.0s' $(seq 20000)) }}
$T"
run "6-recursive-macro" 12 "$BIN" lint t6a.yaml
run "6-self-include" 12 "$BIN" lint t6b/task.yaml
run "6-nested-if-3000" 12 "$BIN" lint t6c.yaml
run "6-nested-parens-20000" 12 "$BIN" lint t6d.yaml

echo "== 7 FIFO, socket, device in place of a file"
repo r7a; rm r7a/setup.cfg; mkfifo r7a/setup.cfg
repo r7b; rm r7b/rally-jobs/task.yaml; mkfifo r7b/rally-jobs/task.yaml
repo r7c; mkfifo r7c/.zuul.yaml
repo r7d; ln -sf /dev/zero r7d/rally-jobs/task.yaml
repo r7e; python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' r7e/setup.cfg.sock; rm -f r7e/setup.cfg; mv r7e/setup.cfg.sock r7e/setup.cfg
mkfifo fifo-args
run "7-detect-fifo-setup.cfg" 0 "$BIN" detect r7a
run "7-init-fifo-setup.cfg" 12 "$BIN" init --dry-run r7a
run "7-plugin-fifo-setup.cfg" 12 "$BIN" plugin --dry-run r7a
run "7-detect-socket-setup.cfg" 0 "$BIN" detect r7e
run "7-lint-fifo-task" 12 "$BIN" lint r7b
run "7-lint-fifo-task-file" 12 "$BIN" lint r7b/rally-jobs/task.yaml
run "7-init-fifo-.zuul.yaml" 12 "$BIN" init --dry-run r7c
run "7-lint-devzero-task" 12 "$BIN" lint r7d/rally-jobs/task.yaml
run "7-lint-fifo-task-args" 12 "$BIN" lint --task-args-file fifo-args r7b
run "7-report-fifo" 12 "$BIN" report fifo-args
run "7-report-devzero" 12 "$BIN" report /dev/zero

echo "== 8 run against a cloud that accepts TCP and never answers"
python3 -c 'import socket,time; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(50); print(s.getsockname()[1], flush=True); c=[]
while True: c.append(s.accept())' >port8 &
LPID=$!
sleep 0.5
repo r8
run "8-run-silent-auth-url" 12 env OS_AUTH_URL="http://127.0.0.1:$(cat port8)/v3" OS_USERNAME=admin OS_PASSWORD=x OS_PROJECT_NAME=admin \
	RALLYFORGE_STATE="$W/state8" "$BIN" run r8/rally-jobs/task.yaml
kill $LPID 2>/dev/null

echo "== 9 alias bombs in task args"
cat >bomb.yaml <<'EOF'
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
EOF
task t9.yaml 'version: 2
title: t
subtasks:
- title: a
  scenario:
    KeystoneBasic.create_user: {}
  runner:
    constant: {times: 1, concurrency: 1}
  sla:
    failure_rate: {max: 0}'
run "9-task-args-file-bomb" 12 "$BIN" lint --task-args-file bomb.yaml t9.yaml
run "9-task-args-bomb" 12 "$BIN" lint --task-args "$(cat bomb.yaml)" t9.yaml
run "9-baseline-task-args-bomb" 12 "$BIN" baseline --dry-run --task-args-file bomb.yaml t9.yaml "$SHARED/samples/rally-results/keystone-basic.report.json"

echo "== 10 renders that never end, huge files"
task t10a.yaml "{% for i in range(10**9) %}{% endfor %}
$T"
task t10b.yaml "{% set x = 'a' * 10**9 %}{{ x|length }}
$T"
task t10c.yaml "{% for i in range(10**5) %}{% for j in range(10**5) %}x{% endfor %}{% endfor %}
$T"
task t10d.yaml "{% set x = 'ab' * 10**7 %}{% set y = x ~ x ~ x ~ x ~ x ~ x ~ x ~ x %}{{ y ~ y ~ y ~ y ~ y ~ y ~ y ~ y }}
$T"
run "10-range-1e9" 12 "$BIN" lint t10a.yaml
run "10-string-1e9" 12 "$BIN" lint t10b.yaml
run "10-output-1e10" 12 "$BIN" lint t10c.yaml
run "10-string-concat" 12 "$BIN" lint t10d.yaml
run "10-three-at-once" 12 "$BIN" lint t10a.yaml t10b.yaml t1/sub/zero.yaml
repo r10
python3 - <<'EOF'
with open("t10big.yaml", "w") as f:
    f.write("version: 2\ntitle: t\nsubtasks:\n")
    line = "- title: a\n  scenario:\n    Dummy.dummy: {}\n"
    f.write(line * (200 * 1024 * 1024 // len(line)))
import os
with open("r10/.zuul.yaml", "w") as f:
    f.write("- project:\n    check:\n      jobs:\n")
    f.write("        - noop\n" * (27 * 1024 * 1024 // 15))
EOF
run "10-200MB-task" 12 "$BIN" lint t10big.yaml
run "10-27MB-.zuul.yaml" 12 "$BIN" init --dry-run r10
rm -f t10big.yaml

echo "== 11 init is transactional"
repo r11a; ln -s /etc/hostname r11a/.zuul.yaml
run "11-init-zuul-symlink-out" 12 "$BIN" init r11a
echo "   left behind: $(find r11a/rally-jobs -type f | grep -cv task.yaml) new files (want 0)"
# (a read-only plugins/ does not stop root: a file where the folder goes does)
repo r11b; printf 'not a folder' >r11b/rally-jobs/plugins
run "11-init-plugins-is-a-file" 12 "$BIN" init r11b
echo "   left behind: $(find r11b/rally-jobs -type f | grep -cv 'task.yaml\|plugins$') new files (want 0)"
repo r11c; mkdir -p r11c/rally-jobs/extra; ln -s /etc r11c/rally-jobs/extra/README.rst
run "11-init-extra-symlink-out" 12 "$BIN" init r11c
echo "   left behind: $(find r11c/rally-jobs -type f | grep -cv task.yaml) new files (want 0)"

echo "== 13 YAML the way PyYAML reads it"
repo r13a; printf -- '- project:\r\n    check:\r\n      jobs:\r\n        - noop\r\n' >r13a/.zuul.yaml
run "13-init-crlf-.zuul.yaml" 0 "$BIN" init r13a
python3 -c 'import sys,yaml; d=open(sys.argv[1],"rb").read(); assert b"\n" not in d.replace(b"\r\n", b""), "mixed line endings"; yaml.safe_load(d)' r13a/.zuul.yaml && echo "   r13a/.zuul.yaml: CRLF kept, PyYAML reads it" || { echo "   FAIL r13a/.zuul.yaml"; fail=$((fail+1)); }
repo r13b; printf '\xef\xbb\xbf- project:\n    check:\n      jobs:\n        - noop\n' >r13b/.zuul.yaml
run "13-init-bom-.zuul.yaml" 0 "$BIN" init r13b
repo r13c; printf -- '- project:\n    check:\n      jobs: !!null\n' >r13c/.zuul.yaml
run "13-init-jobs-null" 12 "$BIN" init r13c
python3 -c 'import sys,yaml; yaml.safe_load(open(sys.argv[1]))' r13c/.zuul.yaml && echo "   r13c/.zuul.yaml: PyYAML reads it" || { echo "   FAIL r13c/.zuul.yaml"; fail=$((fail+1)); }

echo "== 14 history --db paths"
R=$SHARED/samples/rally-results/keystone-basic.report.json
run "14-db-hash" 0 "$BIN" history add --db 'h#1.db' "$R"
[ -s 'h#1.db' ] && [ ! -e h ] && echo "   h#1.db written" || { echo "   FAIL: h#1.db not written"; fail=$((fail+1)); }
run "14-db-percent" 0 "$BIN" history add --db 'p%41.db' "$R"
[ -s 'p%41.db' ] && [ ! -e pA.db ] && echo "   p%41.db written" || { echo "   FAIL: p%41.db not written"; fail=$((fail+1)); }
run "14-db-question" 0 "$BIN" history add --db 'q?mode=ro.db' "$R"
run "14-db-memory" 12 "$BIN" history add --db ':memory:' "$R"

echo "== 15 unusable input must be exit 2"
printf '{"a": "\xff\xfe"}' >bad-utf8.json
mkdir empty-dir
echo '[]' >empty.json
python3 - "$R" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for t in d.get("tasks", []):
    for s in t.get("subtasks", []):
        for w in s.get("workloads", []):
            w["data"] = []
json.dump(d, open("zero-iter.json", "w"))
EOF
run "15-baseline-margin-inf" 12 "$BIN" baseline --dry-run --margin Inf t9.yaml "$R"
run "15-baseline-margin-nan" 12 "$BIN" baseline --dry-run --margin NaN t9.yaml "$R"
run "15-baseline-percentile-nan" 12 "$BIN" baseline --dry-run --percentile NaN t9.yaml "$R"
run "15-compare-alpha-nan" 12 "$BIN" compare --alpha NaN "$R" "$R"
run "15-compare-threshold-inf" 12 "$BIN" compare --threshold -Inf "$R" "$R"
run "15-compare-new-empty" 12 "$BIN" compare "$R" empty.json
run "15-compare-zero-iterations" 12 "$BIN" compare "$R" zero-iter.json
run "15-lint-task-args-utf8" 12 "$BIN" lint --task-args-file bad-utf8.json t9.yaml
run "15-lint-task-args-flag-utf8" 12 "$BIN" lint --task-args "$(cat bad-utf8.json)" t9.yaml
run "15-lint-no-tasks" 12 "$BIN" lint empty-dir
run "15-lint-missing-plugin-paths" 12 "$BIN" lint --plugin-paths /nonexistent t9.yaml
run "15-catalog-service-bogus" 12 "$BIN" catalog --service bogus
run "15-catalog-kind-bogus" 12 "$BIN" catalog --kind bogus
run "15-history-bogus" 12 "$BIN" history bogus
run "15-completion-bogus" 12 "$BIN" completion bogus
run "15-detect-missing" 12 "$BIN" detect /nonexistent

echo "== 16 terminal escapes from input"
task t16.yaml "$(printf 'version: 2\ntitle: t\nsubtasks:\n- title: a\n  scenario:\n    "Evil\\e]0;pwned\\a\\e[31m.x": {}\n  runner:\n    \e[2Jconstant: {}\n')"
run "16-lint-escapes" 12 "$BIN" lint t16.yaml
grep -q $'\e' "$W/16-lint-escapes.out" "$W/16-lint-escapes.err" && { echo "   FAIL: raw ESC printed"; fail=$((fail+1)); } || echo "   no raw ESC in output"
task t16b.yaml "{{ undefined_fn_$(printf '\e[31m')() }}
$T"
run "16-render-error-escapes" 12 "$BIN" lint t16b.yaml
grep -q $'\e' "$W/16-render-error-escapes.out" "$W/16-render-error-escapes.err" && { echo "   FAIL: raw ESC printed"; fail=$((fail+1)); } || echo "   no raw ESC in output"
run "16-history-tag-escapes" 0 "$BIN" history add --db "$W/h16.db" --tag $'\e]0;x\a\e[2J' "$R"
run "16-history-trends" 0 "$BIN" history trends --db "$W/h16.db"
grep -q $'\e' "$W/16-history-trends.out" "$W/16-history-trends.err" && { echo "   FAIL: raw ESC printed"; fail=$((fail+1)); } || echo "   no raw ESC in output"

echo "failures: $fail"
[ "$fail" = 0 ]

package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// runAll runs the CLI and returns its exit code, stdout and stderr.
func runAll(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	ro, wo, _ := os.Pipe()
	re, we, _ := os.Pipe()
	oldOut, oldErr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = wo, we
	outc, errc := make(chan string), make(chan string)
	go func() { b, _ := io.ReadAll(ro); outc <- string(b) }()
	go func() { b, _ := io.ReadAll(re); errc <- string(b) }()
	code := run(args)
	wo.Close()
	we.Close()
	os.Stdout, os.Stderr = oldOut, oldErr
	return code, <-outc, <-errc
}

// Unusable input is exit 2 with one line saying why, never exit 0 (exit 1
// stays "findings").
func TestUnusableInputExit2(t *testing.T) {
	dir := t.TempDir()
	report := filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", "keystone-basic.report.json")
	empty := filepath.Join(dir, "empty.json")
	os.WriteFile(empty, []byte("[]"), 0o644)
	raw, _ := os.ReadFile(report)
	var rep map[string]any
	json.Unmarshal(raw, &rep)
	for _, st := range rep["tasks"].([]any)[0].(map[string]any)["subtasks"].([]any) {
		for _, w := range st.(map[string]any)["workloads"].([]any) {
			w.(map[string]any)["data"] = []any{}
			w.(map[string]any)["total_iteration_count"] = 0
		}
	}
	zero := filepath.Join(dir, "zero.json")
	b, _ := json.Marshal(rep)
	os.WriteFile(zero, b, 0o644)
	task := filepath.Join(dir, "task.yaml")
	os.WriteFile(task, []byte("version: 2\ntitle: t\nsubtasks:\n  - title: a\n    scenario:\n      KeystoneBasic.create_user: {}\n"), 0o644)
	badArgs := filepath.Join(dir, "args.yaml")
	os.WriteFile(badArgs, []byte("a: \"caf\xe9\"\n"), 0o644)
	noTasks := filepath.Join(dir, "no-tasks")
	os.Mkdir(noTasks, 0o755)
	for _, args := range [][]string{
		{"baseline", "--dry-run", "--margin", "Inf", task, report},
		{"baseline", "--dry-run", "--margin", "NaN", task, report},
		{"compare", "--alpha", "NaN", report, report},
		{"compare", "--threshold", "NaN", report, report},
		{"compare", "--threshold", "+Inf", report, report},
		{"compare", report, empty},
		{"compare", empty, report},
		{"compare", report, zero},
		{"lint", "--task-args-file", badArgs, task},
		{"lint", noTasks},
		{"lint", "--plugin-paths", filepath.Join(dir, "nope"), task},
		{"catalog", "--service", "bogus"},
		{"history", "bogus"},
		{"completion", "bogus"},
		{"history", "add", "--db", ":memory:", report},
	} {
		code, _, stderr := runAll(t, args...)
		if code != exitUsage || strings.Count(strings.TrimRight(stderr, "\n"), "\n") != 0 || stderr == "" {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and one line", args, code, stderr)
		}
	}
}

// Escape sequences from input (a task's keys, a render error, a file
// name) never reach the terminal raw, in text output and errors.
func TestNoRawEscapesFromInput(t *testing.T) {
	dir := t.TempDir()
	task := filepath.Join(dir, "task.yaml")
	os.WriteFile(task, []byte("version: 2\ntitle: t\nsubtasks:\n- title: a\n  scenario:\n    \"Evil\\e]0;pwned\\a\\e[31m.x\": {}\n  runner:\n    \x1b[2Jconstant: {}\n"), 0o644)
	render := filepath.Join(dir, "render.yaml")
	os.WriteFile(render, []byte("{{ undefined_\x1b[31m() }}\nversion: 2\n"), 0o644)
	evilName := filepath.Join(dir, "x\x1b[2J.yaml")
	os.WriteFile(evilName, []byte("version: [\n"), 0o644)
	for _, args := range [][]string{{"lint", task}, {"lint", render}, {"lint", evilName}, {"lint", filepath.Join(dir, "\x1b]0;t\x07missing.yaml")}} {
		_, stdout, stderr := runAll(t, args...)
		if strings.ContainsAny(stdout+stderr, "\x1b\x07\u009b") {
			t.Errorf("%q: raw escape printed:\n%q\n%q", args, stdout, stderr)
		}
	}
}

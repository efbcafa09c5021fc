package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runOut runs the CLI and returns its exit code and stdout.
func runOut(t *testing.T, args ...string) (int, string) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() { b, _ := io.ReadAll(r); done <- string(b) }()
	code := run(args)
	w.Close()
	os.Stdout = old
	return code, <-done
}

const golden = "../../internal/lint/testdata/golden/"

// Exit codes and formats of the lint contract: 0 clean or warnings only,
// 1 errors, 2 usage or I/O; JSON findings carry the DESIGN.md fields;
// SARIF is 2.1.0 with one result per finding.
func TestLintCommand(t *testing.T) {
	if code, out := runOut(t, "lint", golden+"clean.yaml"); code != exitOK || out != "" {
		t.Errorf("clean task: exit %d, output %q", code, out)
	}
	if code, out := runOut(t, "lint", golden+"warnings.yaml"); code != exitOK || !strings.Contains(out, "[failure-rate]") {
		t.Errorf("warnings only: exit %d\n%s", code, out)
	}
	code, out := runOut(t, "lint", "--format", "json", golden+"unknown-scenario.yaml")
	if code != exitFindings {
		t.Errorf("unknown scenario: exit %d", code)
	}
	var fs []map[string]any
	if err := json.Unmarshal([]byte(out), &fs); err != nil || len(fs) != 1 {
		t.Fatalf("json: %v\n%s", err, out)
	}
	for _, k := range []string{"file", "line", "column", "severity", "rule", "message"} {
		if _, ok := fs[0][k]; !ok {
			t.Errorf("json finding lacks %q: %v", k, fs[0])
		}
	}
	if fs[0]["rule"] != "unknown-scenario" || fs[0]["line"] != float64(8) || fs[0]["column"] != float64(11) {
		t.Errorf("json finding: %v", fs[0])
	}
	code, out = runOut(t, "lint", "--format", "sarif", golden+"json-task.json")
	var sarif struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &sarif); err != nil || code != exitFindings || sarif.Version != "2.1.0" || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) != 3 {
		t.Errorf("sarif: exit %d, %v\n%s", code, err, out)
	}
	// Task args: the undefined variable is given, the task renders.
	if code, out := runOut(t, "lint", "--task-args", `{"image_name": "cirros"}`, golden+"undefined-var.yaml"); code != exitOK {
		t.Errorf("--task-args: exit %d\n%s", code, out)
	}
	for _, bad := range [][]string{
		{"lint", filepath.Join(t.TempDir(), "missing.yaml")},
		{"lint", "--format", "html", golden + "clean.yaml"},
		{"lint", "--catalog", "nightly", golden + "clean.yaml"},
		{"lint", "--task-args", "[1", golden + "clean.yaml"},
		{"lint", "--task-args-file", "/nonexistent", golden + "clean.yaml"},
	} {
		if code, _ := runOut(t, bad...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", bad, code, exitUsage)
		}
	}
}

// A repository folder means its rally-jobs/; <task>_args.yaml files there
// are template arguments, not tasks.
func TestLintRepoFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "rally-jobs"), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(golden + "clean.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "rally-jobs", "task.yaml"), b, 0o644)
	os.WriteFile(filepath.Join(dir, "rally-jobs", "task_args.yaml"), []byte("x: 1\n"), 0o644)
	if code, out := runOut(t, "lint", "--catalog", "installed", dir); code != exitOK || out != "" {
		t.Errorf("repo folder: exit %d\n%s", code, out)
	}
}

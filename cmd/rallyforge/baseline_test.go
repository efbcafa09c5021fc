package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBaselineCommand(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(resultsSample(t, filepath.Join("inputs", "keystone-basic.yaml")))
	if err != nil {
		t.Fatal(err)
	}
	task := filepath.Join(dir, "task.yaml")
	os.WriteFile(task, src, 0o640)
	report := resultsSample(t, "keystone-basic.report.json")

	// --dry-run: a patch on stdout, nothing written.
	code, out := captureRun(t, "baseline", "--dry-run", task, report)
	if code != 0 || !strings.HasPrefix(out, "--- a/") || !strings.Contains(out, "+      max_avg_duration_per_atomic:\n+        keystone_v3.create_user: 0.23\n") {
		t.Errorf("dry run: exit %d\n%s", code, out)
	}
	if b, _ := os.ReadFile(task); string(b) != string(src) {
		t.Error("--dry-run wrote the task")
	}
	// Written atomically, mode kept; a second run changes nothing.
	code, out = captureRun(t, "baseline", task, report)
	b, _ := os.ReadFile(task)
	fi, _ := os.Stat(task)
	if code != 0 || !strings.Contains(out, "updated") || strings.Count(string(b), "max_avg_duration_per_atomic") != 2 || fi.Mode().Perm() != 0o640 {
		t.Errorf("write: exit %d, mode %v\n%s\n%s", code, fi.Mode(), out, b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("left files behind: %v", ents)
	}
	code, out = captureRun(t, "baseline", task, report)
	if code != 0 || !strings.Contains(out, "kept") || !strings.Contains(out, "unchanged") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
	code, out = captureRun(t, "baseline", "--format", "json", "--force", "--mean", "--margin", "2", task, resultsSample(t, "keystone-basic.results.json"))
	var res struct {
		Changed   bool
		Workloads []struct {
			Status     string
			Thresholds []struct{ Value, Mean float64 }
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 || !res.Changed || res.Workloads[0].Status != "replaced" {
		t.Fatalf("json: exit %d %v\n%s", code, err, out)
	}
	if th := res.Workloads[0].Thresholds[0]; th.Value < 2*th.Mean || th.Value > 2.2*th.Mean {
		t.Errorf("--mean --margin 2: %+v", th)
	}

	tmpl := filepath.Join(dir, "tmpl.yaml")
	os.WriteFile(tmpl, []byte("{% set n = times or 2 %}\n"+strings.Replace(string(src), "times: 20", "times: {{ n }}", 1)), 0o644)
	if code, out := captureRun(t, "baseline", "--task-args", "{times: 5}", tmpl, report); code != 0 || !strings.Contains(out, "updated") {
		t.Errorf("template with --task-args: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{
		{"baseline", task},
		{"baseline", "--margin", "0", task, report},
		{"baseline", "--format", "html", task, report},
		{"baseline", filepath.Join(dir, "missing.yaml"), report},
		{"baseline", task, resultsSample(t, "glance-images.report.json")},
		{"baseline", "--task-args", "[", task, report},
	} {
		if code, _ := captureRun(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

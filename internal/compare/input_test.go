package compare

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/rallyforge/rallyforge/internal/stats"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

func TestCheckOptionsRefusesNaNInf(t *testing.T) {
	for _, o := range []Options{
		{Alpha: math.NaN(), Threshold: 0.1}, {Alpha: math.Inf(1), Threshold: 0.1}, {Alpha: 0, Threshold: 0.1}, {Alpha: 1, Threshold: 0.1},
		{Alpha: 0.05, Threshold: math.NaN()}, {Alpha: 0.05, Threshold: math.Inf(1)}, {Alpha: 0.05, Threshold: -0.1},
	} {
		if CheckOptions(o) == nil {
			t.Errorf("accepted %+v", o)
		}
	}
	if err := CheckOptions(Defaults); err != nil {
		t.Errorf("defaults refused: %v", err)
	}
}

// NEW `[]`, or a workload that ran 0 iterations, is no evidence of "no
// regression".
func TestCheckInputRefusesEmptyResults(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.json")
	os.WriteFile(empty, []byte("[]"), 0o644)
	raw, err := os.ReadFile(filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", "keystone-basic.report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep map[string]any
	json.Unmarshal(raw, &rep)
	w := rep["tasks"].([]any)[0].(map[string]any)["subtasks"].([]any)[0].(map[string]any)["workloads"].([]any)[0].(map[string]any)
	w["data"] = []any{}
	w["total_iteration_count"] = 0
	w["failed_iteration_count"] = 0
	zero := filepath.Join(dir, "zero.json")
	b, _ := json.Marshal(rep)
	os.WriteFile(zero, b, 0o644)
	for _, p := range []string{empty, zero} {
		f, err := stats.Summarize(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if CheckInput(f) == nil {
			t.Errorf("%s accepted", p)
		}
	}
	f, err := stats.Summarize(filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", "keystone-basic.report.json"))
	if err != nil || CheckInput(f) != nil {
		t.Errorf("a real report refused: %v %v", err, CheckInput(f))
	}
}

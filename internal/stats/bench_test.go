package stats

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/rallyforge/rallyforge/internal/results"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// BenchmarkSummarize reads and summarises a report of 20,000 iterations
// made by repeating the real iterations of a sample (nested atomics).
func BenchmarkSummarize(b *testing.B) {
	src, err := os.ReadFile(filepath.Join(testcorpus.SharedDir(b), "samples", "rally-results", "glance-images.report.json"))
	if err != nil {
		b.Fatal(err)
	}
	var rep map[string]any
	json.Unmarshal(src, &rep)
	wl := rep["tasks"].([]any)[0].(map[string]any)["subtasks"].([]any)[0].(map[string]any)["workloads"].([]any)[0].(map[string]any)
	its := wl["data"].([]any)
	var out []any
	for i := range 20000 {
		out = append(out, its[i%len(its)])
	}
	wl["data"] = out
	data, _ := json.Marshal(rep)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		c := NewCollector()
		if _, err := results.Read(bytes.NewReader(data), c); err != nil {
			b.Fatal(err)
		}
		if ws := c.Workloads(); len(ws) != 1 || ws[0].Iterations != 20000 {
			b.Fatal("wrong summary")
		}
	}
}

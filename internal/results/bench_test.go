package results

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// bigReport repeats the real iterations of a sample report n times.
func bigReport(tb testing.TB, n int) []byte {
	b, err := os.ReadFile(sample(tb, "glance-images.report.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var rep map[string]any
	json.Unmarshal(b, &rep)
	wl := rep["tasks"].([]any)[0].(map[string]any)["subtasks"].([]any)[0].(map[string]any)["workloads"].([]any)[0].(map[string]any)
	its := wl["data"].([]any)
	out := make([]any, 0, n)
	for i := range n {
		out = append(out, its[i%len(its)])
	}
	wl["data"] = out
	big, _ := json.Marshal(rep)
	return big
}

var _ = testcorpus.SharedDir

func BenchmarkReadReport(b *testing.B) {
	data := bigReport(b, 20000)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		var c counter
		if _, err := Read(bytes.NewReader(data), &c); err != nil || c.iters != 20000 {
			b.Fatal(err, c.iters)
		}
	}
}

package results

import (
	"encoding/json"
	"os"
	"testing"
)

// CreatedAt is when Rally created the task (report format: the task's
// created_at) or the workload (old results format, whose exporter writes
// it as %Y-%d-%m — day before month — which is read back as such), always
// as RFC 3339 UTC. Checked against the report of the same task: the
// workload of the old format is created within seconds of its task.
func TestCreatedAt(t *testing.T) {
	for _, name := range []string{"keystone-basic", "placement-failures", "glance-images"} {
		raw, err := os.ReadFile(sample(t, name+".report.json"))
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Tasks []struct {
				CreatedAt string `json:"created_at"`
			} `json:"tasks"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil || len(doc.Tasks) != 1 {
			t.Fatalf("%s: %v", name, err)
		}
		var rep, old counter
		if _, err := ReadFile(sample(t, name+".report.json"), &rep); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadFile(sample(t, name+".results.json"), &old); err != nil {
			t.Fatal(err)
		}
		want := doc.Tasks[0].CreatedAt + "Z"
		for _, w := range rep.ws {
			if w.CreatedAt != want {
				t.Errorf("%s report: created_at %q, want %q", name, w.CreatedAt, want)
			}
		}
		for _, w := range old.ws {
			if len(w.CreatedAt) != len(want) || w.CreatedAt < want || w.CreatedAt[:13] != want[:13] {
				t.Errorf("%s results: created_at %q, task created %q", name, w.CreatedAt, want)
			}
		}
	}
}

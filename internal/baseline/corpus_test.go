package baseline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// Every workload of every corpus task file that renders gets an SLA in
// turn (a made-up threshold, edited into the original text): the edit is
// verified by rendering again, so what counts here is how many workloads
// can be edited in place and that nothing else happens (no panic, no
// verified edit that changed another byte than the inserted ones in a
// file without Jinja2).
func TestCorpusEveryWorkload(t *testing.T) {
	testcorpus.Long(t)
	t.Parallel()
	dir := filepath.Join(testcorpus.SharedDir(t), "corpus", "rally-tasks")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ths := []Threshold{{Atomic: "nova.boot_server", Text: "1.5", Value: 1.5}, {Atomic: "odd name: x", Text: "0.25", Value: 0.25}}
	count := map[string]int{}
	var files, tmplWorkloads, tmplSet int
	start := time.Now()
	for _, e := range ents {
		path := filepath.Join(dir, e.Name())
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		d, err := load(path, src, nil)
		if err != nil {
			count["file does not render or parse"]++
			continue
		}
		files++
		for i := range d.workloads {
			var wc WorkloadChange
			next, err := editOne(path, d, i, ths, Options{Force: true}, &wc)
			if err != nil {
				t.Fatalf("%s workload %d: %v", e.Name(), i, err)
			}
			count[wc.Status]++
			if d.template {
				tmplWorkloads++
			}
			switch wc.Status {
			case StatusSet, StatusReplaced:
				if d.template {
					tmplSet++
				}
				if !d.template && wc.Status == StatusSet && !strings.HasSuffix(e.Name(), ".json") {
					inserted(t, src, next)
				}
			case StatusSkipped:
				if !d.template {
					t.Errorf("%s workload %d (%s): skipped in a file without Jinja2: %s", e.Name(), i, d.workloads[i].key, wc.Reason)
				}
			default:
				t.Errorf("%s workload %d: status %s (%s)", e.Name(), i, wc.Status, wc.Reason)
			}
		}
	}
	total := count[StatusSet] + count[StatusReplaced] + count[StatusSkipped]
	t.Logf("%d files, %d workloads: %v; in Jinja2 files %d of %d edited; %v", files, total, count, tmplSet, tmplWorkloads, time.Since(start).Round(time.Millisecond))
	if files < 780 || total < 1300 {
		t.Errorf("only %d files, %d workloads", files, total)
	}
	if count[StatusSkipped]*20 > total {
		t.Errorf("%d of %d workloads could not be edited", count[StatusSkipped], total)
	}
}

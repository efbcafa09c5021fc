package render

import (
	"encoding/json"
	"math"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rallyforge/rallyforge/internal/stats"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// rallyLoadProfile runs the real Rally's LoadProfileChart on every
// workload of the report files given (one process: importing Rally takes
// a second).
const rallyLoadProfile = `
import json, sys
from rally.task.processing import charts
out = {}
for f in sys.argv[1:]:
    rep = json.load(open(f))
    out[f] = []
    for t in rep["tasks"]:
        for s in t["subtasks"]:
            for w in s["workloads"]:
                c = charts.LoadProfileChart(w)
                for it in w["data"]:
                    c.add_iteration(it)
                out[f].append(c.render()[0][1])
json.dump(out, sys.stdout)
`

// The load profile is Rally's, point for point, on every sample report.
func TestLoadProfileMatchesRally(t *testing.T) {
	testcorpus.Long(t)
	files, _ := filepath.Glob(filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", "*.report.json"))
	if len(files) < 5 {
		t.Fatal("no samples")
	}
	out, err := exec.Command("/usr/bin/python3", append([]string{"-c", rallyLoadProfile}, files...)...).Output()
	if err != nil {
		t.Fatalf("Rally's LoadProfileChart: %v", err)
	}
	var rally map[string][][][2]float64
	if err := json.Unmarshal(out, &rally); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		want := rally[f]
		s, err := stats.SummarizeTimelines(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Workloads) != len(want) {
			t.Fatalf("%s: %d workloads, Rally %d", f, len(s.Workloads), len(want))
		}
		for i, w := range s.Workloads {
			axis, running := LoadProfile(w.Timeline, w.LoadDuration)
			if len(axis) != len(want[i]) {
				t.Fatalf("%s[%d]: %d points, Rally %d", f, i, len(axis), len(want[i]))
			}
			for k := range axis {
				if math.Abs(axis[k]-want[i][k][0]) > 1e-9 || math.Abs(running[k]-want[i][k][1]) > 1e-9 {
					t.Fatalf("%s[%d] point %d: (%v, %v), Rally (%v, %v)", f, i, k, axis[k], running[k], want[i][k][0], want[i][k][1])
				}
			}
			checked++
		}
	}
	t.Logf("%d workloads, every point as Rally's", checked)
}

// Freedman–Diaconis with nice widths: few bins for few samples, more for
// many, every sample in a bin, never more than 60.
func TestBins(t *testing.T) {
	for _, c := range []struct {
		n        int
		min, max int // bins
	}{{1, 1, 1}, {5, 1, 5}, {20, 2, 8}, {1000, 8, 40}, {100000, 25, 60}} {
		xs := make([]float64, c.n)
		for i := range xs {
			// A skewed, deterministic sample around 0.1 s.
			u := (float64(i) + 0.5) / float64(c.n)
			xs[i] = 0.05 + 0.1*u*u
		}
		start, width, n := Bins(xs)
		if n < c.min || n > c.max || width <= 0 {
			t.Errorf("%d samples: %d bins of %v", c.n, n, width)
		}
		if start > xs[0] || start+width*float64(n) < xs[len(xs)-1] {
			t.Errorf("%d samples: bins [%v, %v] miss [%v, %v]", c.n, start, start+width*float64(n), xs[0], xs[len(xs)-1])
		}
	}
	if _, _, n := Bins([]float64{0.2, 0.2, 0.2}); n != 1 {
		t.Errorf("constant sample: %d bins", n)
	}
}

func TestYAML(t *testing.T) {
	got := toYAML([]byte(`{"scenario":{"S.x":{"name":"a b","n":4,"flag":true,"list":[1,{"k":"v","j":null}],"empty":{}}},"runner":{"constant":{"times":20}},"hooks":[{"action":{"sys_call":"true"}}]}`))
	want := `scenario:
  S.x:
    name: "a b"
    n: 4
    flag: true
    list:
      - 1
      - k: v
        j: null
    empty: {}
runner:
  constant:
    times: 20
hooks:
  - action:
      sys_call: "true"
`
	if got != want {
		t.Errorf("yaml:\n%s\nwant\n%s", got, want)
	}
}

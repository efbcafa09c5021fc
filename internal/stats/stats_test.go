package stats

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/rallyforge/rallyforge/internal/results"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

func samples(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", pattern))
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample files %s: %v", pattern, err)
	}
	return files
}

// Every row Rally stored in statistics.durations must come out identical
// (names, display names, counts, rounded figures, success strings, order).
func TestDurationsEqualRallys(t *testing.T) {
	rows := 0
	for _, f := range samples(t, "*.report.json") {
		sum, err := Summarize(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.Workloads) == 0 {
			t.Fatalf("%s: no workloads", f)
		}
		for _, w := range sum.Workloads {
			if len(w.RallyDurations) == 0 {
				t.Fatalf("%s workload %d: no stored statistics", f, w.Index)
			}
			ours, _ := json.Marshal(w.Durations)
			if ok, d := EqualJSON(ours, w.RallyDurations); !ok {
				t.Errorf("%s workload %d (%s): %s", filepath.Base(f), w.Index, w.Scenario, d)
			}
			rows += countRows(w.Durations.Total) + 1
			for _, a := range w.Durations.Atomics {
				rows += countRows(a) + 1
			}
		}
	}
	t.Logf("%d rows equal Rally's", rows)
}

func countRows(r Row) int {
	n := 0
	for _, c := range r.Children {
		n += 1 + countRows(c)
	}
	return n
}

// The old `rally task results` list carries the same iterations: the
// per-workload totals and top-level atomics must match the report's.
func TestOldResultsMatchReport(t *testing.T) {
	pairs := 0
	for _, rf := range samples(t, "*.report.json") {
		old := rf[:len(rf)-len(".report.json")] + ".results.json"
		if _, err := os.Stat(old); err != nil {
			continue // only some samples were also exported the old way
		}
		pairs++
		a, err := Summarize(rf)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Summarize(old)
		if err != nil {
			t.Fatal(err)
		}
		if b.Format != "results" || a.Format != "report" {
			t.Fatalf("formats %s %s", a.Format, b.Format)
		}
		if len(a.Workloads) != len(b.Workloads) {
			t.Fatalf("%s: %d vs %d workloads", old, len(a.Workloads), len(b.Workloads))
		}
		for i := range a.Workloads {
			wa, wb := a.Workloads[i], b.Workloads[i]
			if wa.Scenario != wb.Scenario || wa.Iterations != wb.Iterations || wa.Failed != wb.Failed {
				t.Errorf("%s[%d]: %s %d/%d vs %s %d/%d", old, i, wa.Scenario, wa.Iterations, wa.Failed, wb.Scenario, wb.Iterations, wb.Failed)
			}
			ja, _ := json.Marshal(wa.Durations.Total)
			jb, _ := json.Marshal(wb.Durations.Total)
			if string(ja) != string(jb) {
				t.Errorf("%s[%d] total:\n%s\n%s", old, i, ja, jb)
			}
			if (wa.PassSLA == nil) || (wb.PassSLA == nil) || *wa.PassSLA != *wb.PassSLA || len(wa.SLA) != len(wb.SLA) {
				t.Errorf("%s[%d]: SLA results differ", old, i)
			}
		}
	}
	if pairs < 4 {
		t.Errorf("only %d report/results pairs among the samples", pairs)
	}
}

func TestPercentileRally(t *testing.T) {
	// Values worked out by hand from rally.task.processing.utils.percentile.
	pts := []float64{1, 2, 3, 4}
	for _, c := range []struct{ p, want float64 }{{0.5, 2.5}, {0.9, 3.7}, {0.95, 3.85}, {0, 1}, {1, 4}} {
		if got := Percentile(pts, c.p); got-c.want > 1e-12 || c.want-got > 1e-12 {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
	if *round3(0.0005) != 0.001 || *round3(2.675) != 2.675 || *round3(0.1235) != 0.123 {
		t.Errorf("round3 differs from Python: %v %v %v", *round3(0.0005), *round3(2.675), *round3(0.1235))
	}
}

// The reader's buffer refills must not change anything: every sample read
// one byte per Read call gives the same summary as the whole file.
func TestOneByteReads(t *testing.T) {
	for _, f := range append(samples(t, "*.report.json"), samples(t, "*.results.json")...) {
		want, err := Summarize(f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c := NewCollector()
		if _, err := results.Read(iotest.OneByteReader(bytes.NewReader(b)), c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		got := &File{Path: want.Path, Format: want.Format, Workloads: c.Workloads()}
		jw, _ := json.Marshal(want)
		jg, _ := json.Marshal(got)
		if string(jw) != string(jg) {
			t.Errorf("%s: one-byte reads differ", f)
		}
		for i, w := range want.Workloads {
			if string(w.RallyDurations) != string(got.Workloads[i].RallyDurations) {
				t.Errorf("%s: captured statistics differ", f)
			}
		}
	}
}

// The timeline keeps each top-level row's duration per iteration, NaN
// where the action did not run (also at the end), and the failures.
func TestTimeline(t *testing.T) {
	tb := NewTimelineTable()
	its := []results.Iteration{
		{Duration: 1, Timestamp: 10, Atomics: []results.Atomic{{Name: "a", Duration: 0.5}, {Name: "b", Duration: 0.25}}},
		{Duration: 2, Timestamp: 11, Error: []string{"E", "m"}, Atomics: []results.Atomic{{Name: "a", Duration: 0.75}}},
		{Duration: 3, Timestamp: 12, Atomics: []results.Atomic{{Name: "b", Duration: 0.125}}},
		{Duration: 4, Timestamp: 13, Atomics: []results.Atomic{{Name: "a", Duration: 1}, {Name: "a", Duration: 2}}},
	}
	for i := range its {
		tb.Add(&its[i])
	}
	d := tb.Durations()
	got := map[string][]float32{}
	for _, r := range append(d.Atomics, d.Total) {
		got[r.DisplayName] = r.Series
	}
	nan := float32(math.NaN())
	want := map[string][]float32{
		"a":                {0.5, 0.75, nan, nan},
		"b":                {0.25, nan, 0.125, nan},
		"<no-name-action>": {nan, 0, nan, nan},
		"a (x2)":           {nan, nan, nan, 3},
		"total":            {1, 2, 3, 4},
	}
	if len(got) != len(want) {
		t.Fatalf("rows %v", got)
	}
	for k, w := range want {
		g := got[k]
		if len(g) != len(w) {
			t.Fatalf("%s: %v, want %v", k, g, w)
		}
		for i := range w {
			if !(g[i] == w[i] || math.IsNaN(float64(g[i])) && math.IsNaN(float64(w[i]))) {
				t.Errorf("%s: %v, want %v", k, g, w)
				break
			}
		}
	}
	tl := tb.Timeline()
	if len(tl.Timestamps) != 4 || tl.Timestamps[3] != 13 || tl.Durations[2] != 3 || len(tl.Failed) != 1 || tl.Failed[0] != 1 || tl.FailedType[0] != "E" {
		t.Errorf("timeline %+v", tl)
	}
	if NewTable().Timeline() != nil {
		t.Error("a plain table keeps a timeline")
	}
	plain := NewTable()
	plain.Add(&its[0])
	if plain.Durations().Total.Series != nil {
		t.Error("a plain table keeps series")
	}
}

// FuzzSummarize drives the reader and the statistics together: any input
// ends in a summary or an error, never a panic.
func FuzzSummarize(f *testing.F) {
	// Small seeds: whole 66 KB samples stall Go's mutator.
	f.Add([]byte(`{"tasks":[{"subtasks":[{"workloads":[{"scenario":{"S":{}},"data":[{"duration":1,"idle_duration":0,"error":["E","m"],"atomic_actions":[{"name":"a","started_at":1,"finished_at":2,"children":[{"name":"b","started_at":1,"finished_at":1.5,"children":[],"failed":true}]},{"name":"a","started_at":2,"finished_at":3,"children":[]}]}]}]}]}]}`))
	f.Add([]byte(`[{"key":{"name":"a","pos":0,"kw":{"runner":{"type":"constant","times":2}}},"result":[{"duration":1,"error":[],"atomic_actions":{"x":0.5,"y":0.25}},{"duration":2,"error":["T","m","tb"],"atomic_actions":{}}],"sla":[{"criterion":"c","success":false,"detail":"d"}]}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c := NewCollector()
		if _, err := results.Read(bytes.NewReader(b), c); err != nil {
			return
		}
		for _, w := range c.Workloads() {
			json.Marshal(w)
		}
	})
}

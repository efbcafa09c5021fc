package results

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

type counter struct {
	iters, failed int
	ws            []*Workload
}

func (c *counter) Iteration(w int, it *Iteration) error {
	c.iters++
	if it.Failed() {
		c.failed++
	}
	return nil
}
func (c *counter) Workload(w *Workload) error { c.ws = append(c.ws, w); return nil }

func sample(t testing.TB, name string) string {
	return filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", name)
}

func TestReadSamples(t *testing.T) {
	var c counter
	f, err := ReadFile(sample(t, "placement-failures.report.json"), &c)
	if err != nil || f != FormatReport {
		t.Fatal(f, err)
	}
	if c.iters != 20 || c.failed != 5 || len(c.ws) != 1 {
		t.Fatalf("iters %d failed %d workloads %d", c.iters, c.failed, len(c.ws))
	}
	w := c.ws[0]
	if w.Scenario == "" || w.TaskUUID == "" || w.PassSLA == nil || *w.PassSLA || len(w.SLA) != 2 || w.Times != 20 {
		t.Fatalf("workload fields: %+v", w)
	}
}

// Hooks (with results) sit inside the workload; they must neither break
// reading nor be mistaken for iterations.
func TestReadHooks(t *testing.T) {
	src, err := os.ReadFile(sample(t, "keystone-basic.report.json"))
	if err != nil {
		t.Fatal(err)
	}
	hook := `"hooks": [{"config": {"description": "x", "action": {"sys_call": "true"}, "trigger": {"event": {"unit": "iteration", "at": [1, 2]}}}, "results": [{"status": "success", "started_at": 1.0, "finished_at": 2.0, "triggered_by": {"iteration": 1}, "output": {"additive": [], "complete": [{"title": "t", "chart_plugin": "TextArea", "data": ["a"]}]}}], "summary": {"success": 1}}]`
	s := strings.Replace(string(src), `"hooks": []`, hook, 1)
	if s == string(src) {
		t.Fatal(`sample has no "hooks": [] to replace`)
	}
	var c counter
	if _, err := Read(strings.NewReader(s), &c); err != nil {
		t.Fatal(err)
	}
	if c.iters != 40 || c.ws[0].Hooks != 1 {
		t.Fatalf("iters %d hooks %d", c.iters, c.ws[0].Hooks)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	full, err := os.ReadFile(sample(t, "glance-images.report.json"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"truncated":  string(full[:len(full)/2]),
		"empty":      "",
		"scalar":     "42",
		"noworkload": `{"info": {}}`,
		"baddata":    `{"tasks":[{"subtasks":[{"workloads":[{"data":[{"duration":"x"}]}]}]}]}`,
		"trailing":   `[]]`,
		"oldnokey":   `[{"result": []}]`,
	}
	for name, body := range cases {
		p := filepath.Join(dir, name+".json")
		os.WriteFile(p, []byte(body), 0o600)
		_, err := ReadFile(p, &counter{})
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if !strings.HasPrefix(err.Error(), p) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error should be one line naming the file: %v", name, err)
		}
	}
	// Truncation is reported with a line:col.
	p := filepath.Join(dir, "truncated.json")
	_, err = ReadFile(p, &counter{})
	if !strings.Contains(err.Error(), p+":") || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("truncated: %v", err)
	}
}

// FuzzRead: any input ends in workloads or an error, never a panic or a
// hang. Seeds are the real samples cut to two iterations per workload
// (whole 66 KB seeds stall Go's mutator).
func FuzzRead(f *testing.F) {
	for _, n := range []string{"glance-images.report.json", "placement-failures.report.json", "placement-failures.results.json"} {
		b, err := os.ReadFile(filepath.Join(testcorpus.SharedDir(f), "samples", "rally-results", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(shrink(f, b))
	}
	f.Add([]byte(`[{"key":{"name":"a"},"result":[{"duration":1,"atomic_actions":{"x":1}}]}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		Read(strings.NewReader(string(b)), &counter{})
	})
}

// shrink keeps two iterations of each workload and drops the bulky
// statistics and context results.
func shrink(tb testing.TB, b []byte) []byte {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		tb.Fatal(err)
	}
	var walk func(any)
	walk = func(x any) {
		switch t := x.(type) {
		case map[string]any:
			for _, k := range []string{"data", "result"} {
				if l, ok := t[k].([]any); ok && len(l) > 2 {
					t[k] = l[len(l)-2:]
				}
			}
			delete(t, "statistics")
			delete(t, "contexts_results")
			for _, c := range t {
				walk(c)
			}
		case []any:
			for _, c := range t {
				walk(c)
			}
		}
	}
	walk(v)
	out, _ := json.Marshal(v)
	return out
}

// The workload's configuration is kept as the task wrote it, in task
// format v2 whichever file format carried it.
func TestReadConfig(t *testing.T) {
	var c counter
	if _, err := ReadFile(sample(t, "placement-failures.report.json"), &c); err != nil {
		t.Fatal(err)
	}
	want := `{"scenario":{"PlacementCustom.create_list_delete_resource_provider":{"duplicate_every":4}},"runner":{"constant":{"times":20,"concurrency":2}},"sla":{"failure_rate":{"max":10},"max_avg_duration_per_atomic":{"placement.create_resource_provider":0.001,"placement.list_resource_providers":5.0}}}`
	var got, exp any
	json.Unmarshal(c.ws[0].Config, &got)
	json.Unmarshal([]byte(want), &exp)
	if g, _ := json.Marshal(got); string(g) != string(mustJSON(exp)) {
		t.Errorf("config:\n%s\nwant\n%s", c.ws[0].Config, want)
	}
	c = counter{}
	if _, err := ReadFile(sample(t, "keystone-basic.results.json"), &c); err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Runner map[string]map[string]any `json:"runner"`
	}
	if err := json.Unmarshal(c.ws[0].Config, &cfg); err != nil || cfg.Runner["constant"]["times"] != 20.0 || cfg.Runner["constant"]["type"] != nil {
		t.Errorf("old format runner not in v2 shape: %s (%v)", c.ws[0].Config, err)
	}
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

type sizer struct {
	counter
	expected map[int]int
}

func (s *sizer) Expect(w, n int) { s.expected[w] = n }

// A Sizer hears each workload's times before its iterations, bounded by
// what the file can hold (64 bytes an iteration).
func TestReadSizer(t *testing.T) {
	s := &sizer{expected: map[int]int{}}
	if _, err := ReadFile(sample(t, "keystone-basic.report.json"), s); err != nil {
		t.Fatal(err)
	}
	if len(s.expected) != 2 || s.expected[0] != 20 || s.expected[1] != 20 {
		t.Errorf("expected %v", s.expected)
	}
	path := filepath.Join(t.TempDir(), "lie.json")
	doc := `{"tasks":[{"subtasks":[{"workloads":[{"scenario":{"S":{}},"runner":{"constant":{"times":1000000000}},"data":[{"duration":1,"error":[],"atomic_actions":[]}]}]}]}]}`
	os.WriteFile(path, []byte(doc), 0o644)
	s = &sizer{expected: map[int]int{}}
	if _, err := ReadFile(path, s); err != nil {
		t.Fatal(err)
	}
	if s.expected[0] != len(doc)/64 {
		t.Errorf("a file of %d bytes claiming 10^9 iterations: sized for %d", len(doc), s.expected[0])
	}
}

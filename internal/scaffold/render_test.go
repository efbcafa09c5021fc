package scaffold

import (
	"reflect"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/plan"
	"go.yaml.in/yaml/v3"
)

// The hand-written YAML emitter must produce what it was given: strings
// YAML 1.1 would read as booleans, numbers or dates stay strings, nested
// maps and lists keep their shape, and Jinja expressions stay raw.
func TestRenderTaskRoundTrip(t *testing.T) {
	tricky := []string{"yes", "No", "on", "null", "~", "1.1.0.0/30", "0755", "2014-10-16", "a: b", "#x", "- x", "x:",
		"{x}", "[x]", "*a", "&a", "!t", "|", ">", "'q'", `"q"`, "%", "@", "`", "tab\there", "line\nbreak", " lead", "trail ",
		"^(cirros.*-disk|TestVM)$", "plain words", "ünïcode", ""}
	args := map[string]any{"list": []any{1, "two", map[string]any{"k": "v", "n": []any{}}, map[string]any{}}, "empty": map[string]any{},
		"bool": true, "float": 1.5, "nested": map[string]any{"deeper": map[string]any{"x": 1}}}
	for i, s := range tricky {
		args["s"+strings.Repeat("x", i)] = s
	}
	p := &plan.Plan{
		Title:       "t: with colon",
		Description: "yes",
		Subtasks: []plan.Subtask{{Title: "on", Workloads: []plan.Workload{{
			Scenario:    "Group.method",
			Description: "d # not a comment",
			Args:        args,
			Runner:      plan.Runner{Type: "constant", Times: 3, Concurrency: 2},
			Contexts:    map[string]any{"users": map[string]any{"tenants": 1}, "roles": []any{"admin"}},
			SLA:         plan.SLA{PerAtomic: []plan.AtomicBudget{{Atomic: "nova.boot_server", Seconds: 120}}},
		}}}},
	}
	var got struct {
		Version     int
		Title       string
		Description string
		Subtasks    []struct {
			Title     string
			Workloads []struct {
				Description string
				Scenario    map[string]map[string]any
				Runner      map[string]map[string]int
				Contexts    map[string]any
				SLA         map[string]map[string]float64 `yaml:"sla"`
			}
		}
	}
	src := RenderTask(p)
	if err := yaml.Unmarshal([]byte(src), &got); err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	if got.Version != 2 || got.Title != p.Title || got.Description != "yes" || got.Subtasks[0].Title != "on" {
		t.Fatalf("header: %+v", got)
	}
	w := got.Subtasks[0].Workloads[0]
	if w.Description != "d # not a comment" || w.Runner["constant"]["times"] != 3 || w.SLA["max_avg_duration_per_atomic"]["nova.boot_server"] != 120 {
		t.Errorf("workload: %+v", w)
	}
	gotArgs := normalize(w.Scenario["Group.method"])
	if !reflect.DeepEqual(gotArgs, normalize(args)) {
		t.Errorf("args round trip:\n got %#v\nwant %#v\n%s", gotArgs, normalize(args), src)
	}
	// PyYAML (YAML 1.1) would read these unquoted as non-strings.
	for _, s := range []string{"yes", "No", "on", "null", "0755", "2014-10-16"} {
		if strings.Contains(src, ": "+s+"\n") {
			t.Errorf("%q written unquoted", s)
		}
	}
	// Expressions stay raw for Rally's Jinja2 renderer.
	p.Subtasks[0].Workloads[0].Args = map[string]any{"image": map[string]any{"name": plan.Expr("{{ image_name }}")}}
	p.Vars = []plan.JinjaVar{{Name: "image_name", Default: `^(cirros.*-disk|TestVM)$`}}
	src = RenderTask(p)
	for _, want := range []string{"{% set image_name = image_name or \"^(cirros.*-disk|TestVM)$\" %}\n", "name: {{ image_name }}\n"} {
		if !strings.Contains(src, want) {
			t.Errorf("missing %q in\n%s", want, src)
		}
	}
}

// normalize maps ints to float64 so decoded and source values compare.
func normalize(x any) any {
	switch t := x.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, v := range t {
			m[k] = normalize(v)
		}
		return m
	case []any:
		l := []any{}
		for _, v := range t {
			l = append(l, normalize(v))
		}
		return l
	case int:
		return float64(t)
	}
	return x
}

// TestReadmeNamesLeftOut: the README of a task that leaves workloads out
// of its profile names each with the reason, so a reader knows what the
// smoke run does not prove and where it is run.
func TestReadmeNamesLeftOut(t *testing.T) {
	p := &plan.Plan{Project: "acme", ServiceType: "block-storage", Profile: plan.ProfileSmoke,
		TaskFile: "rally-jobs/task-acme.yaml",
		LeftOut:  []plan.LeftOut{{Scenario: "CinderVolumes.create_and_extend_volume", Reason: "needs a backend that extends volumes"}}}
	files, err := renderTree(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(files[0].Content)
	for _, want := range []string{"``CinderVolumes.create_and_extend_volume``", "needs a backend that extends volumes", "--profile gate"} {
		if !strings.Contains(readme, want) {
			t.Errorf("README lacks %q:\n%s", want, readme)
		}
	}
	p.LeftOut = nil
	files, _ = renderTree(p, nil)
	if strings.Contains(string(files[0].Content), "Left out") {
		t.Errorf("README speaks of left-out workloads when there are none")
	}
}

package task

import (
	"errors"
	"os"
	"reflect"
	"testing"
	"time"
)

func renderFile(t *testing.T, path string, args map[string]any) (map[string]any, error) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Render(path, src, args)
	if err != nil {
		return nil, err
	}
	root, err := ParseYAML([]byte(out))
	if err != nil {
		t.Fatalf("rendered text is not YAML: %v\n%s", err, out)
	}
	return Value(root).(map[string]any), nil
}

// Includes and imports resolve beside the task; Rally's globals (min, max,
// round half to even, ceil) work; a macro called without all its
// parameters and {% call %} of an imported macro behave as in Jinja2.
func TestRenderIncludesMacrosGlobals(t *testing.T) {
	got, err := renderFile(t, "testdata/inc/task.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	st := got["subtasks"].([]any)[0].(map[string]any)
	args := st["scenario"].(map[string]any)["Dummy.dummy"].(map[string]any)
	if args["sleep"] != int64(2) || args["size"] != int64(2) {
		t.Errorf("round/ceil: got %v", args)
	}
	runner := st["runner"].(map[string]any)["constant"].(map[string]any)
	if runner["times"] != int64(10) || runner["concurrency"] != int64(2) {
		t.Errorf("min/max: got %v", runner)
	}
	ctx := st["contexts"].(map[string]any)
	if _, ok := ctx["quotas"]; !ok {
		t.Errorf("call block body missing: %v", ctx)
	}
	// Task args override the template's default.
	got, err = renderFile(t, "testdata/inc/task.yaml", map[string]any{"n": 20})
	if err != nil {
		t.Fatal(err)
	}
	runner = got["subtasks"].([]any)[0].(map[string]any)["runner"].(map[string]any)["constant"].(map[string]any)
	if runner["times"] != int64(20) {
		t.Errorf("task arg n=20: times %v", runner["times"])
	}
}

// Rally's rule for undefined variables: an error unless the template
// defaults it ({% set x = x or … %} or x | default(…)).
func TestRenderUndefined(t *testing.T) {
	cases := []struct {
		src     string
		missing string
	}{
		{"a: {{ x }}", "x"},
		{"{% set x = x or 1 %}a: {{ x }}", ""},
		{"a: {{ x | default(2) }}", ""},
		{"{% set x = x or 1 %}a: {{ x }}\nb: {{ y }}", "y"},
		{"a: {{ x|default(1) }}\nb: {{ y|default(2) }}\nc: {{ z }}", "z"},
	}
	for _, c := range cases {
		_, err := Render("t.yaml", []byte(c.src), nil)
		var re *RenderError
		switch {
		case c.missing == "" && err != nil:
			t.Errorf("%q: unexpected %v", c.src, err)
		case c.missing != "" && (!errors.As(err, &re) || !reflect.DeepEqual(re.Missing, []string{c.missing})):
			t.Errorf("%q: want missing %s, got %v", c.src, c.missing, err)
		}
	}
	if _, err := Render("t.yaml", []byte("a: {{ x }}"), map[string]any{"x": 1}); err != nil {
		t.Errorf("given argument: %v", err)
	}
}

func TestRenderTimeout(t *testing.T) {
	old := RenderTimeout
	RenderTimeout = 200 * time.Millisecond
	defer func() { RenderTimeout = old }()
	_, err := Render("t.yaml", []byte("{% for i in range(1000000000) %}{% endfor %}"), nil)
	if err == nil {
		t.Fatal("endless template rendered")
	}
}

// v1 becomes the v2 model: scenario per key, runner type, context, hooks.
func TestBuildV1(t *testing.T) {
	src := `---
Dummy.dummy:
  - args: {sleep: 1}
    runner: {type: constant, times: 3}
    context: {users: {tenants: 1}}
    sla: {failure_rate: {max: 0}}
    hooks:
      - name: sys_call
        args: "echo"
        trigger: {name: event, args: {unit: iteration, at: [1]}}
`
	root, err := ParseYAML([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tk, err := Build(root)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Version != 1 || len(tk.Subtasks) != 1 || len(tk.Subtasks[0].Workloads) != 1 {
		t.Fatalf("got %+v", tk)
	}
	w := tk.Subtasks[0].Workloads[0]
	if w.Scenario.Name != "Dummy.dummy" || w.Runner.Name != "constant" || w.Runner.NamePos != (Pos{4, 20}) {
		t.Errorf("scenario/runner: %+v %+v", w.Scenario, w.Runner)
	}
	if rv := Value(w.Runner.Config).(map[string]any); !reflect.DeepEqual(rv, map[string]any{"times": int64(3)}) {
		t.Errorf("runner config without type: %v", rv)
	}
	if len(w.Contexts) != 1 || w.Contexts[0].Name != "users" || len(w.SLA) != 1 {
		t.Errorf("contexts/sla: %+v %+v", w.Contexts, w.SLA)
	}
	if len(w.Hooks) != 1 || w.Hooks[0].Action.Name != "sys_call" || w.Hooks[0].Trigger.Name != "event" {
		t.Errorf("hooks: %+v", w.Hooks)
	}
}

func TestArgsOverride(t *testing.T) {
	f := t.TempDir() + "/args.yaml"
	if err := os.WriteFile(f, []byte("a: 1\nb: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Args(`{"b": "y"}`, f)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, map[string]any{"a": 1, "b": "y"}) {
		t.Errorf("got %v", got)
	}
	if _, err := Args("[1, 2]", ""); err == nil {
		t.Error("a list accepted as task args")
	}
}

// Syntax errors point at the offending line, not at the start of the
// enclosing block as the YAML library reports.
func TestSyntaxErrorLine(t *testing.T) {
	cases := []struct {
		src  string
		line int
	}{
		{"a:\n  b: 1\n  c: 2\n d: 3\n", 4},
		{"{\n  \"a\": 1,\n  \"b\": 2\n  \"c\": 3\n}\n", 4},
		{"version: 2\ntitle: t\nsubtasks:\n  - title: x\n    scenario: {Dummy.dummy: {}\n    runner: {}\n", 6},
	}
	for _, c := range cases {
		_, err := ParseYAML([]byte(c.src))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: want a syntax error, got %v", c.src, err)
			continue
		}
		if se.Pos.Line != c.line {
			t.Errorf("%q: error at line %d, want %d (%s)", c.src, se.Pos.Line, c.line, se.Msg)
		}
	}
}

// A file without Jinja2 takes a path of its own; it must read as Jinja2
// renders it (the lexer's \r\n|\r|\n normalisation, one final break
// dropped since keep_trailing_newline is off).
func TestPlainFileRendersAsJinja(t *testing.T) {
	for src, want := range map[string]string{
		"":             "",
		"\n":           "",
		"a":            "a",
		"a\n":          "a",
		"a\n\n":        "a\n",
		"a\r\nb\r\n":   "a\nb",
		"a\rb\r":       "a\nb",
		"a\r\r\nb":     "a\n\nb",
		"a\n\r\n":      "a\n",
		"x: 1\r\n\r\n": "x: 1\n",
	} {
		got, err := Render("t.yaml", []byte(src), nil)
		if err != nil || got != want {
			t.Errorf("Render(%q) = %q, %v; want %q", src, got, err, want)
		}
	}
}

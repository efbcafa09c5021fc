package jinja

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
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
	root, err := pyyaml.Load([]byte(out))
	if err != nil {
		t.Fatalf("rendered text is not YAML: %v\n%s", err, out)
	}
	return pyyaml.Value(root).(map[string]any), nil
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
	_, err := RenderWithin("t.yaml", []byte("{% for i in range(1000000000) %}{% endfor %}"), nil, 200*time.Millisecond)
	if err == nil {
		t.Fatal("endless template rendered")
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

// TestErrorsAsJinja2: a syntax error is reported with Jinja2's reason at its
// template line (not at 1:1 with the template flattened into the message);
// an unknown filter is reported as Jinja2 does, before any missing argument
// and whether or not arguments are given; no message shows this package's
// internals (its filter names, gonja's syntax tree).
func TestErrorsAsJinja2(t *testing.T) {
	for _, tc := range []struct {
		src       string
		args      map[string]any
		msg       string
		line, col int
	}{
		{"a: 1\nb: {{ foo bar contexts }}\n", nil, "expected token 'end of print statement', got 'bar'", 2, 11},
		{"{% for x in y %}\na: 1\n", map[string]any{"y": 1}, "Unexpected end of template. Jinja was looking for the following tags: ", 0, 0},
		{"{% frobnicate %}\n", nil, "Encountered unknown tag 'frobnicate'.", 1, 0},
		{"x: {{ flavor | defualt('m1') }}\n", nil, "No filter named 'defualt'.", 1, 16},
		{"x: {{ flavor | defualt('m1') }}\n", map[string]any{"flavor": "a"}, "No filter named 'defualt'.", 1, 16},
		{"x: {{ 1 | __rallyforge_str }}\n", nil, "No filter named '__rallyforge_str'.", 1, 0},
		{"{% set a = a or 1 %}\nx: {{ a | lenght }}\n", nil, "No filter named 'lenght'.", 2, 0},
	} {
		_, err := Render("task.yaml", []byte(tc.src), tc.args)
		var re *RenderError
		if !errors.As(err, &re) {
			t.Errorf("%q: error %v, want a RenderError", tc.src, err)
			continue
		}
		if !strings.Contains(re.Msg, tc.msg) {
			t.Errorf("%q: %q, want %q", tc.src, re.Msg, tc.msg)
		}
		if tc.line > 0 && re.Line != tc.line || tc.col > 0 && re.Col != tc.col {
			t.Errorf("%q: at %d:%d, want %d:%d", tc.src, re.Line, re.Col, tc.line, tc.col)
		}
		for _, leak := range []string{"__rallyforge_str", "__rallyforge_op", "__rallyforge_default", "Token", "&{", "controlStructure", "failed to parse template"} {
			if strings.Contains(re.Msg, leak) && !strings.Contains(tc.msg, leak) {
				t.Errorf("%q: message shows internals (%s): %q", tc.src, leak, re.Msg)
			}
		}
	}
}

package jinja

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzRenderInclude: any task template, including any other template
// beside it (which may include, import or call back), renders or fails
// with a RenderError: no panic, no Go stack overflow, no read outside the
// task's folder, within the time limit.
func FuzzRenderInclude(f *testing.F) {
	const limit = time.Second
	seeds := [][2]string{
		{"{% include 'inc.j2' %}", "x: 1"},
		{"{% import 'inc.j2' as m %}{{ m.f(0) }}", "{% macro f(n) %}{{ f(n+1) }}{% endmacro %}"},
		{"{% from 'inc.j2' import f %}{{ f(3) }}", "{% macro f(n) %}{% if n %}{{ f(n-1) }}{% endif %}{% endmacro %}"},
		{"{% include 'inc.j2' %}", "{% include 'inc.j2' %}"},
		{"{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}", ""},
		{"{% include '../inc.j2' %}{% include '/etc/passwd' %}", "{% include 'task.yaml' %}"},
		{"{% for i in range(10**9) %}{% endfor %}", ""},
		{"{{ ('a' * 1000) * 100000 }}", ""},
		{"{% call f() %}{{ caller() }}{% endcall %}", ""},
		{"{% macro f() %}{% call f() %}x{% endcall %}{% endmacro %}{{ f() }}", ""},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, task, inc string) {
		dir := t.TempDir()
		root := filepath.Join(dir, "task")
		os.Mkdir(root, 0o755)
		os.WriteFile(filepath.Join(root, "inc.j2"), []byte(inc), 0o644)
		os.WriteFile(filepath.Join(dir, "inc.j2"), []byte("OUTSIDE-THE-ROOT"), 0o644)
		start := time.Now()
		out, err := RenderWithin(filepath.Join(root, "task.yaml"), []byte(task), map[string]any{"a": 1}, limit)
		var re *RenderError
		if err != nil && !errors.As(err, &re) {
			t.Fatalf("not a RenderError: %v", err)
		}
		if err == nil && len(out) > MaxString {
			t.Fatalf("output of %d bytes", len(out))
		}
		if d := time.Since(start); d > limit+5*time.Second {
			t.Fatalf("render took %s", d)
		}
		if containsOutside(out) && !containsOutside(task+inc) {
			t.Fatalf("read a file outside the task's folder")
		}
	})
}

func containsOutside(s string) bool {
	return len(s) >= 16 && indexOf(s, "OUTSIDE-THE-ROOT") >= 0
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

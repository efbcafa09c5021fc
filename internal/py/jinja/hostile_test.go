package jinja

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// includeTree is a task folder with templates, plus what must never be
// read: a file outside, symlinks out, a device and a FIFO.
func includeTree(t *testing.T) (root, outside string) {
	t.Helper()
	base := t.TempDir()
	root, outside = filepath.Join(base, "task"), filepath.Join(base, "outside")
	for p, body := range map[string]string{
		"task/inc.j2":        "A",
		"task/sub/inc2.j2":   "B",
		"task/sub/nested.j2": "{% include 'inc.j2' %}",
		"task/etc/x.j2":      "E",
		"outside/secret.j2":  "SECRET",
	} {
		os.MkdirAll(filepath.Join(base, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(base, p), []byte(body), 0o644)
	}
	os.Symlink(outside, filepath.Join(root, "out"))
	os.Symlink(filepath.Join(outside, "secret.j2"), filepath.Join(root, "secret.j2"))
	os.Symlink("/dev/zero", filepath.Join(root, "zero"))
	syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644)
	return root, outside
}

func renderIn(root, src string) (string, error) {
	return Render(filepath.Join(root, "task.yaml"), []byte(src), nil)
}

// Include and import names resolve exactly as Rally's
// jinja2.FileSystemLoader(task folder) resolves them (the real Jinja2 is
// the oracle): "/x" is <folder>/x, ".." is not found, names are relative
// to the task's folder whichever template includes them.
func TestIncludeResolvesLikeJinja2FileSystemLoader(t *testing.T) {
	root, outside := includeTree(t)
	names := []string{"inc.j2", "/inc.j2", "./inc.j2", "sub//inc2.j2", "sub/./inc2.j2", "sub/../inc.j2", "../outside/secret.j2",
		filepath.Join(outside, "secret.j2"), "/etc/x.j2", "sub/nested.j2", "nope.j2", "sub", ""}
	py := `import sys, json, jinja2
env = jinja2.Environment(loader=jinja2.FileSystemLoader(sys.argv[1]))
out = []
for n in json.loads(sys.argv[2]):
    try:
        out.append(env.get_template(n).render())
    except (jinja2.TemplateNotFound, IsADirectoryError, PermissionError) as e:
        out.append(None)
print(json.dumps(out))`
	b, _ := json.Marshal(names)
	o, err := exec.Command("/usr/bin/python3", "-c", py, root, string(b)).CombinedOutput()
	if err != nil {
		t.Fatalf("jinja2: %v\n%s", err, o)
	}
	var want []*string
	if err := json.Unmarshal(o, &want); err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		got, err := renderIn(root, "{% include "+pyQuote(n)+" %}")
		switch {
		case want[i] == nil && err == nil:
			t.Errorf("include %q: rendered %q, Jinja2 finds no template", n, got)
		case want[i] != nil && (err != nil || got != *want[i]):
			t.Errorf("include %q: got %q %v, Jinja2 renders %q", n, got, err, *want[i])
		}
	}
}

func pyQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

// Beyond Jinja2: nothing is read through a symlink out of the task's
// folder, nor from a device or a FIFO (which would hang), with include,
// import or from-import.
func TestIncludeNeverReadsOutside(t *testing.T) {
	root, _ := includeTree(t)
	for _, name := range []string{"out/secret.j2", "secret.j2", "zero", "fifo", "/dev/zero", "/dev/urandom", "../outside/secret.j2"} {
		for _, tag := range []string{"{% include " + pyQuote(name) + " %}", "{% import " + pyQuote(name) + " as m %}", "{% from " + pyQuote(name) + " import x %}"} {
			done := make(chan struct{})
			var out string
			var err error
			go func() { out, err = renderIn(root, tag); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatalf("%s hangs", tag)
			}
			if err == nil || strings.Contains(out+err.Error(), "SECRET") || !strings.Contains(err.Error(), "TemplateNotFound") {
				t.Errorf("%s: %q %v; want TemplateNotFound", tag, out, err)
			}
		}
	}
}

// Recursion and nesting end in a RenderError at a depth limit, as Python's
// RecursionError, never in a Go stack overflow; quickly, in small memory.
func TestRecursionIsBounded(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "self.j2"), []byte("{% include 'self.j2' %}"), 0o644)
	os.WriteFile(filepath.Join(root, "a.j2"), []byte("{% import 'b.j2' as b %}{% macro f() %}{{ b.g() }}{% endmacro %}"), 0o644)
	os.WriteFile(filepath.Join(root, "b.j2"), []byte("{% import 'a.j2' as a %}{% macro g() %}{{ a.f() }}{% endmacro %}"), 0o644)
	os.WriteFile(filepath.Join(root, "m.j2"), []byte("{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}"), 0o644)
	cases := []string{
		"{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}",
		"{% macro f(n) %}{{ g(n) }}{% endmacro %}{% macro g(n) %}{{ f(n) }}{% endmacro %}{{ f(0) }}",
		"{% include 'self.j2' %}",
		"{% import 'a.j2' as a %}{{ a.f() }}",
		"{% from 'm.j2' import r %}{{ r(0) }}",
		"{% import 'm.j2' as m %}{{ m.r(0) }}",
		"{% macro f() %}{% call f() %}x{% endcall %}{% endmacro %}{{ f() }}",
		"{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}",
		"{% for x in [1, 2] recursive %}{{ loop([x]) }}{% endfor %}",
		strings.Repeat("{% if 1 %}", 3000) + strings.Repeat("{% endif %}", 3000),
		"{{ " + strings.Repeat("(", 20000) + "1" + strings.Repeat(")", 20000) + " }}",
		"{{ " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + " }}",
	}
	for _, src := range cases {
		start := time.Now()
		_, err := renderIn(root, src)
		var re *RenderError
		if strings.Contains(src, "recursive") && (err == nil || !strings.Contains(err.Error(), "RecursionError")) {
			t.Errorf("%.60s: %v, want a RecursionError", src, err)
		}
		if !errors.As(err, &re) {
			t.Errorf("%.60s: %v, want a RenderError", src, err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%.60s: %s", src, d)
		}
	}
}

// A render over its time limit stops for real: no goroutine keeps running
// (and holding memory) after Render returned. Strings, lists, ranges and
// the output are bounded before they are built.
func TestRenderStopsAndStaysSmall(t *testing.T) {
	root := t.TempDir()
	before := runtime.NumGoroutine()
	for _, src := range []string{
		"{% for i in range(10**5) %}{% for j in range(10**5) %}{% endfor %}{% endfor %}",
		"{% for i in range(10**5) %}{% for j in range(10**5) %}x{% endfor %}{% endfor %}",
		"{% macro f(n) %}{% for i in range(10**4) %}{% endfor %}{{ f(n) if n < 50 else '' }}{% endmacro %}{% for i in range(10**5) %}{{ f(0) }}{% endfor %}",
	} {
		if _, err := RenderWithin(filepath.Join(root, "task.yaml"), []byte(src), nil, 300*time.Millisecond); err == nil {
			t.Errorf("%.60s: rendered", src)
		}
	}
	time.Sleep(100 * time.Millisecond)
	if after := runtime.NumGoroutine(); after > before+1 {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before, %d after: renders still running\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
	// The limits below answer at once, whatever the load: Render's own
	// time limit.
	for _, src := range []string{
		"{% set x = 'a' * 10**9 %}", "{% set x = 'ab' * 10**7 %}{{ x ~ x }}", "{% set x = [1] * 10**9 %}",
		"{% for i in range(10**9) %}{% endfor %}", "{{ 'x'|center(10**9) }}", "{{ 'x'.zfill(10**9) }}",
		"{% set x = 'a' * 10**7 %}{{ x.replace('a', x) }}", "{% set l = ['a' * 10**6] * 100 %}{{ l|join }}",
		"{% set x = 'a' * 10**7 %}{% set y = x + x %}{{ y }}", "{{ lipsum(10**5) }}", "{{ lipsum(n=3, max=10**9) }}",
	} {
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		_, err := renderIn(root, src)
		runtime.ReadMemStats(&m1)
		if err == nil || !strings.Contains(err.Error(), "render limit") {
			t.Errorf("%s: %v, want a render limit", src, err)
		}
		if grown := m1.TotalAlloc - m0.TotalAlloc; grown > 256<<20 {
			t.Errorf("%s: allocated %d MB", src, grown>>20)
		}
	}
}

// A recursive loop within the depth limit renders as Jinja2 renders it
// (output checked against Python's Jinja2 3.1): the guard counts loop()
// calls, it does not stop them.
func TestRecursiveLoopWithinLimit(t *testing.T) {
	src := "{% for x in " + strings.Repeat("[", 50) + "7" + strings.Repeat("]", 50) +
		" recursive %}{% if x is number %}{{ x }}{% else %}<{{ loop(x) }}>{% endif %}{% endfor %}"
	got, err := renderIn(t.TempDir(), src)
	if want := strings.Repeat("<", 49) + "7" + strings.Repeat(">", 49); err != nil || got != want {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
}

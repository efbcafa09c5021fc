package lint

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// Plain text shows each finding's severity; colour only adds escape codes
// (the text without them is the plain text), error and warning in
// different colours.
func TestWriteTextSeverityAndColor(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "t.yaml")
	os.WriteFile(path, []byte("a: 1\nb: 2\n"), 0o644)
	fs := []Finding{
		{File: path, Line: 1, Column: 1, Severity: Error, Rule: "unknown-scenario", Message: "bad"},
		{File: path, Line: 2, Column: 4, Severity: Warning, Rule: "failure-rate", Message: "advice"},
	}
	var plain, color strings.Builder
	WriteText(&plain, fs)
	WriteTextColor(&color, fs, true)
	p := plain.String()
	if !strings.Contains(p, path+":1:1: error: bad [unknown-scenario]\n") || !strings.Contains(p, path+":2:4: warning: advice [failure-rate]\n") {
		t.Errorf("severity not in plain text:\n%s", p)
	}
	if strings.Contains(p, "\x1b") {
		t.Errorf("escape codes in plain text: %q", p)
	}
	c := color.String()
	if got := ansi.ReplaceAllString(c, ""); got != p {
		t.Errorf("colour changes the text:\n%q\n%q", got, p)
	}
	if !strings.Contains(c, "\x1b[1;31merror") || !strings.Contains(c, "\x1b[1;33mwarning") {
		t.Errorf("error and warning not coloured apart: %q", c)
	}
}

func TestSummary(t *testing.T) {
	e := func(file string) Finding { return Finding{File: file, Severity: Error} }
	w := func(file string) Finding { return Finding{File: file, Severity: Warning} }
	for _, c := range []struct {
		fs   []Finding
		want string
	}{
		{nil, ""},
		{[]Finding{e("a")}, "1 error in 1 file"},
		{[]Finding{w("a")}, "1 warning in 1 file"},
		{[]Finding{e("a"), e("b"), w("c")}, "2 errors, 1 warning in 3 files"},
		{[]Finding{e("a"), w("a"), w("a")}, "1 error, 2 warnings in 1 file"},
	} {
		if got := ansi.ReplaceAllString(Summary(c.fs, false), ""); got != c.want {
			t.Errorf("%v: %q, want %q", c.fs, got, c.want)
		}
		if got := ansi.ReplaceAllString(Summary(c.fs, true), ""); got != c.want {
			t.Errorf("%v coloured: %q, want %q", c.fs, got, c.want)
		}
	}
}

package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// runnable lists every command of the full tree that does something.
func runnable(t *testing.T) []*cobra.Command {
	var out []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() && c.HasParent() && c.Name() != "help" && !strings.HasPrefix(c.Name(), "__") {
			out = append(out, c)
		}
		for _, s := range c.Commands() {
			if s.Name() != "completion" {
				walk(s)
			}
		}
	}
	walk(newRootCmd(nil))
	if len(out) < 12 {
		t.Fatalf("only %d runnable commands", len(out))
	}
	return out
}

func pathOf(c *cobra.Command) string { return strings.TrimPrefix(c.CommandPath(), "rallyforge ") }

// Every command's --help has examples (the root's and history's too),
// and each example is a valid call: its words name that command and every
// flag it uses exists.
func TestHelpExamples(t *testing.T) {
	root := newRootCmd(nil)
	history, _, _ := root.Find([]string{"history"})
	for _, c := range append(runnable(t), root, history) {
		args := append(strings.Fields(pathOf(c)), "--help")
		if c == root {
			args = []string{"--help"}
		}
		code, out := runOut(t, args...)
		if code != 0 || !strings.Contains(out, "Examples:\n") || (c != root && !strings.Contains(out, "rallyforge "+pathOf(c))) {
			t.Errorf("%s --help: exit %d, no examples of it:\n%s", pathOf(c), code, out)
			continue
		}
		for _, line := range strings.Split(c.Example, "\n") {
			_, call, ok := strings.Cut(line, "rallyforge ")
			if !ok {
				t.Errorf("%s: example %q does not call rallyforge", pathOf(c), line)
				continue
			}
			call, _, _ = strings.Cut(call, "#")
			for _, sep := range []string{">", "&&"} {
				call, _, _ = strings.Cut(call, sep)
			}
			words := strings.Fields(strings.NewReplacer("'", " ", `"`, " ").Replace(call))
			r := newRootCmd(words)
			found, rest, err := r.Find(words)
			if err != nil || found != nil && pathOf(found) != pathOf(c) && !strings.HasPrefix(pathOf(found), pathOf(c)+" ") && c != root {
				t.Errorf("%s: example %q runs %v (%v)", pathOf(c), line, found.CommandPath(), err)
				continue
			}
			if err := found.ParseFlags(rest); err != nil {
				t.Errorf("%s: example %q: %v", pathOf(c), line, err)
			}
		}
	}
}

// --format in each command's help lists exactly what the command accepts:
// the formats a wrong value's error names, and completion offers the same.
func TestFormatsListed(t *testing.T) {
	want := regexp.MustCompile(`\(want ([a-z|]+)\)`)
	for _, c := range runnable(t) {
		p := pathOf(c)
		listed, ok := cliFormats[p]
		if !ok {
			t.Errorf("%s: no --format list", p)
			continue
		}
		_, help := runOut(t, append(strings.Fields(p), "--help")...)
		if !strings.Contains(help, "output format: "+strings.Join(listed, "|")) {
			t.Errorf("%s --help does not list %v:\n%s", p, listed, help)
		}
		args := append(strings.Fields(p), "--format", "bogus")
		// Enough arguments for the command to reach its format check.
		switch p {
		case "compare", "baseline":
			args = append(args, "x", "y")
		case "report", "history add", "history rm":
			args = append(args, "x")
		}
		code, _, stderr := runErr(t, args...)
		m := want.FindStringSubmatch(stderr)
		if code != exitUsage || m == nil {
			t.Errorf("%v: exit %d, stderr %q: no list of formats", args, code, stderr)
			continue
		}
		if got := strings.Split(m[1], "|"); !slices.Equal(got, listed) {
			t.Errorf("%s accepts %v, its help lists %v", p, got, listed)
		}
		_, comp := runOut(t, append(append([]string{"__complete"}, strings.Fields(p)...), "--format", "")...)
		for _, f := range listed {
			if !strings.Contains(comp, f+"\n") {
				t.Errorf("%s: completion of --format lacks %s:\n%s", p, f, comp)
			}
		}
	}
}

// Completion offers the values of --profile and --catalog.
func TestCompletionValues(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", "init", "--profile", ""}, []string{"smoke", "gate", "scale"}},
		{[]string{"__complete", "lint", "--catalog", ""}, catalogViews},
		{[]string{"__complete", "report", "--format", "j"}, []string{"json", "junit"}},
	} {
		_, out := runOut(t, c.args...)
		for _, w := range c.want {
			if !strings.Contains(out, w+"\n") {
				t.Errorf("%v: %q not offered:\n%s", c.args, w, out)
			}
		}
	}
}

// runErr runs the CLI and returns its exit code, stdout and stderr.
func runErr(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "err")
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stderr
	os.Stderr = f
	code, out := runOut(t, args...)
	os.Stderr = old
	f.Close()
	b, _ := os.ReadFile(f.Name())
	return code, out, string(b)
}

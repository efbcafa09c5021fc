package plugingen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/lint"
)

// TestGeneratedTasksLint: lint knows the generated scenarios and their
// arguments: every generated task lints clean (no error, and no
// "arguments not checked" warning), and an argument run() does not take
// is an error.
func TestGeneratedTasksLint(t *testing.T) {
	all, _ := generateAll(t)
	if len(all) < len(uncovered)-1 {
		t.Fatalf("only %d services got a plugin", len(all))
	}
	for _, g := range all {
		task := filepath.Join(g.dir, g.plan.Task())
		fs, err := lint.Paths([]string{task}, lint.Options{})
		if err != nil {
			t.Fatalf("%s: %v", g.repo, err)
		}
		for _, f := range fs {
			if f.Severity == lint.Error || f.Rule == "local-scenario" {
				t.Errorf("%s: %s", g.repo, f)
			}
		}
		// Give the first scenario an argument its run() does not take.
		src, err := os.ReadFile(task)
		if err != nil {
			t.Fatal(err)
		}
		first := g.plan.Scenarios[0].Name
		bad := strings.Replace(string(src), first+": {}", first+": {no_such_argument: 1}", 1)
		if bad == string(src) {
			t.Fatalf("%s: %s: {} not found in the task", g.repo, first)
		}
		badPath := filepath.Join(g.dir, "rally-jobs", "bad.yaml")
		if err := os.WriteFile(badPath, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		fs, err = lint.Paths([]string{badPath}, lint.Options{})
		if err != nil {
			t.Fatal(err)
		}
		caught := false
		for _, f := range fs {
			caught = caught || (f.Rule == "scenario-args" && strings.Contains(f.Message, "no_such_argument"))
		}
		if !caught {
			t.Errorf("%s: unexpected argument of %s not reported: %v", g.repo, first, fs)
		}
	}
}

package scaffold

import (
	"testing"

	"github.com/rallyforge/rallyforge/internal/lint"
	"github.com/rallyforge/rallyforge/internal/rallyoracle"
)

// rallyAccepts asks the installed Rally (Debian rally + python3-rally-
// openstack, /usr/bin/python3) to render and syntax-validate every task in
// one process. A missing Rally fails the test; it never skips.
func rallyAccepts(t *testing.T, all []generated) {
	t.Helper()
	var in []rallyoracle.Item
	for _, g := range all {
		in = append(in, rallyoracle.Item{Name: g.repo, Task: g.task, Plugins: g.plugins})
	}
	verdict, err := rallyoracle.Validate(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range all {
		v, ok := verdict[g.repo]
		switch {
		case !ok:
			t.Errorf("%s: no verdict from Rally", g.repo)
		case v != nil:
			t.Errorf("%s: Rally rejects %s: %s", g.repo, g.task, *v)
		}
	}
	t.Logf("real Rally accepted %d generated tasks", len(all))
}

// lintClean runs rallyforge lint on every generated task: init's output
// must have no error findings (warnings are advice and are logged).
func lintClean(t *testing.T, all []generated) {
	t.Helper()
	for _, g := range all {
		fs, err := lint.Paths([]string{g.task}, lint.Options{PluginPaths: g.plugins})
		if err != nil {
			t.Fatalf("%s: %v", g.repo, err)
		}
		for _, f := range fs {
			// An SLA key Rally never checks (nested or never-recorded
			// action) is a defect of the generator, though only a warning.
			if f.Severity == lint.Error || f.Rule == "sla-nested-atomic" || f.Rule == "sla-unknown-atomic" {
				t.Errorf("%s: lint: %s", g.repo, f)
			} else {
				t.Logf("%s: lint warning: %s", g.repo, f)
			}
		}
	}
}

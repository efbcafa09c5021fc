package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/pgtest"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

func resultsSample(t *testing.T, name string) string {
	return filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", name)
}

// captureRun runs the CLI with stdout redirected to a file.
func captureRun(t *testing.T, args ...string) (int, string) {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = f
	code := run(args)
	os.Stdout = old
	f.Close()
	b, _ := os.ReadFile(f.Name())
	return code, string(b)
}

func TestResultsCommands(t *testing.T) {
	custom, failures := resultsSample(t, "placement-custom.report.json"), resultsSample(t, "placement-failures.report.json")
	db := filepath.Join(t.TempDir(), "h.db")
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report", custom, resultsSample(t, "glance-images.results.json")}, 0, "glance_v2.create_image"},
		// An SLA failure is exit 1 in every format, as rally task sla-check;
		// the report is still printed in full.
		{[]string{"report", "--format", "junit", failures}, 1, `failures="1"`},
		{[]string{"report", failures}, 1, "SLA FAIL failure_rate"},
		{[]string{"report", "--format", "json", custom, failures}, 1, `"criterion": "failure_rate"`},
		{[]string{"report", "--format", "html", custom}, 0, "<svg"},
		{[]string{"report", "--format", "pdf", custom}, 2, ""},
		{[]string{"report", filepath.Join(t.TempDir(), "missing.json")}, 2, ""},
		{[]string{"report"}, 2, ""},
		{[]string{"compare", custom, custom}, 0, "no significant regression"},
		{[]string{"compare", "--format", "markdown", custom, failures}, 1, "PASS → FAIL"},
		{[]string{"compare", "--alpha", "2", custom, failures}, 2, ""},
		{[]string{"compare", custom}, 2, ""},
		{[]string{"history", "add", "--db", db, "--tag", "main", custom, custom}, 0, "already stored as run 1"},
		{[]string{"history", "add", "--db", db, "--tag", "main", resultsSample(t, "placement-custom.results.json")}, 0, "run 2:"},
		{[]string{"history", "trends", "--db", db, "--format", "json", "total"}, 0, `"run_id": 2`},
		{[]string{"compare", "--db", db, "--baseline-tag", "main", failures}, 1, "REGRESSION"},
		{[]string{"compare", "--db", db, "--baseline-tag", "nope", failures}, 2, ""},
	}
	for _, c := range cases {
		code, out := captureRun(t, c.args...)
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("%v: exit %d (want %d), output lacks %q:\n%.600s", c.args, code, c.code, c.want, out)
		}
	}
}

// RALLYFORGE_DB sets the store of every command that has one (history
// add, list, trends, rm; compare --baseline-tag), a SQLite file or a
// PostgreSQL URL; --db still wins.
func TestRallyforgeDBEnv(t *testing.T) {
	file := filepath.Join(t.TempDir(), "env.db")
	for _, db := range []string{file, pgtest.DB(t)} {
		t.Setenv("RALLYFORGE_DB", db)
		t.Setenv("XDG_STATE_HOME", t.TempDir()) // never the user's own store
		custom := resultsSample(t, "placement-custom.report.json")
		const customTask = "8a21ce74-82c5-408d-992a-0c698d526703" // its Rally task
		for _, c := range []struct {
			args []string
			code int
			want string
		}{
			{[]string{"history", "add", "--tag", "main", custom}, 0, "run 1:"},
			{[]string{"history", "list"}, 0, "main"},
			{[]string{"history", "trends", "total"}, 0, "PlacementCustom"},
			{[]string{"compare", "--baseline-tag", "main", custom}, 0, "no significant regression"},
			{[]string{"history", "list", "--db", filepath.Join(t.TempDir(), "other.db")}, 0, "no runs"},
			{[]string{"history", "rm", "1"}, 0, "removed run 1"},
			{[]string{"history", "list"}, 0, "no runs"},
			// A run named by its Rally task UUID.
			{[]string{"history", "add", custom}, 0, "run "},
			{[]string{"history", "rm", "--format", "json", "0e1dfe10-6f0d-4b0d-a0e2-b1e3b1b5b9b5"}, 2, ""},
			{[]string{"history", "rm", "--format", "json", customTask}, 0, `"removed": [`},
			{[]string{"history", "list"}, 0, "no runs"},
		} {
			code, out := captureRun(t, c.args...)
			if code != c.code || !strings.Contains(out, c.want) {
				t.Errorf("%s: %v: exit %d (want %d), output lacks %q:\n%.600s", db, c.args, code, c.code, c.want, out)
			}
		}
	}
	if _, err := os.Stat(file); err != nil {
		t.Errorf("RALLYFORGE_DB not used: %v", err)
	}
}

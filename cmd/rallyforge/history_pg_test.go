package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/pgtest"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// PostgreSQL tests start a real server (scripts/pg/up.sh) on first use.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// The CLI gives the same answers with --db FILE (SQLite) and --db
// postgres://… on the real sample reports: history add, trends in every
// format, and compare with a baseline from history. Only the time each run
// was added differs (it is the clock's).
func TestHistoryCLISQLiteVsPostgres(t *testing.T) {
	testcorpus.Long(t)
	reports := []string{
		resultsSample(t, "keystone-basic.report.json"),
		resultsSample(t, "glance-images.results.json"),
		resultsSample(t, "placement-custom.report.json"),
		resultsSample(t, "placement-failures.report.json"),
	}
	custom, failures := reports[2], reports[3]
	clock := regexp.MustCompile(`\d{4}-\d\d-\d\dT[0-9:.]+Z?|\d{4}-\d\d-\d\dT\d\d:\d\d:\d`)
	type step struct {
		args []string
		code int
	}
	steps := []step{
		{append([]string{"history", "add", "--tag", "main"}, reports...), 0},
		// The same Rally runs again: stored once.
		{[]string{"history", "add", "--tag", "main", custom, custom}, 0},
		{[]string{"history", "add", "--tag", "rc", resultsSample(t, "placement-failures.results.json")}, 0},
		{[]string{"history", "trends"}, 0},
		{[]string{"history", "trends", "--format", "json", "--tag", "main", "total"}, 0},
		{[]string{"history", "trends", "--format", "html"}, 0},
		{[]string{"history", "trends", "--tag", "nope"}, 0},
		{[]string{"compare", "--baseline-tag", "main", "--last", "3", custom}, 0},
		{[]string{"compare", "--format", "markdown", "--baseline-tag", "main", failures}, 1},
		{[]string{"compare", "--format", "json", "--baseline-tag", "rc", "--last", "1", custom}, 0},
		{[]string{"compare", "--baseline-tag", "nope", custom}, 2},
		{[]string{"history", "list"}, 0},
		{[]string{"history", "list", "--format", "json", "--tag", "rc"}, 0},
		{[]string{"history", "rm", "5", "1"}, 0},
		{[]string{"history", "list", "--format", "json"}, 0},
		{[]string{"history", "rm", "5"}, 2},
		{[]string{"history", "rm", "x"}, 2},
	}
	out := map[string][]string{}
	took := map[string]time.Duration{}
	for _, backend := range []string{"sqlite", "postgres"} {
		db := filepath.Join(t.TempDir(), "h.db")
		if backend == "postgres" {
			db = pgtest.DB(t)
		}
		start := time.Now()
		for _, s := range steps {
			args := append([]string{s.args[0]}, s.args[1:]...)
			if args[0] == "history" {
				args = append([]string{"history", args[1], "--db", db}, args[2:]...)
			} else {
				args = append([]string{"compare", "--db", db}, args[1:]...)
			}
			code, o := captureRun(t, args...)
			if code != s.code {
				t.Errorf("%s: %v: exit %d, want %d\n%.800s", backend, s.args, code, s.code, o)
			}
			if len(out[backend]) == 11 {
				// history list shows Rally's dates (data, not the clock).
				out[backend] = append(out[backend], o)
				continue
			}
			out[backend] = append(out[backend], clock.ReplaceAllString(o, "<time>"))
		}
		took[backend] = time.Since(start)
	}
	for i, s := range steps {
		if a, b := out["sqlite"][i], out["postgres"][i]; a != b {
			t.Errorf("%v: SQLite and PostgreSQL differ:\n--- sqlite\n%.1200s\n--- postgres\n%.1200s", s.args, a, b)
		}
	}
	// And the outputs say something.
	for i, want := range map[int]string{0: "run 4:", 1: "already stored as run 3", 2: "run 5:", 3: "keystone_v3.create_user", 4: `"tag": "main"`, 5: "<svg", 6: "", 7: "no significant regression", 8: "PASS → FAIL", 9: `"regression": false`,
		// list: the run's date is Rally's (2026-11-25), not the clock's.
		11: "2026-11-25T02:07:44Z  main", 12: `"format": "results"`, 13: "removed run 5", 14: `"id": 2`} {
		if !strings.Contains(out["sqlite"][i], want) {
			t.Errorf("%v: output lacks %q:\n%.800s", steps[i].args, want, out["sqlite"][i])
		}
	}
	t.Logf("CLI steps: sqlite %v, postgres %v (server start %v)", took["sqlite"].Round(time.Millisecond), took["postgres"].Round(time.Millisecond), pgtest.StartedIn.Round(time.Millisecond))
}

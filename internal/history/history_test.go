package history

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/compare"
	"github.com/rallyforge/rallyforge/internal/stats"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

func summary(t *testing.T, name string) *stats.File {
	f, err := stats.Summarize(filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", name))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestStoreTrendsBaseline(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sub", "h.db")
	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	custom, failures := summary(t, "placement-custom.report.json"), summary(t, "placement-failures.report.json")
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	for i, f := range []*stats.File{custom, failures, custom} {
		if _, err := s.Add(f, "main", now.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Add(summary(t, "glance-images.report.json"), "other", now); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Reopening applies no migration twice.
	s, err = Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(); err != nil || v != 1 {
		t.Fatalf("schema version %d %v", v, err)
	}

	pts, err := s.Trends("main", "total")
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 3 || pts[0].RunID >= pts[1].RunID {
		t.Fatalf("trends: %+v", pts)
	}
	wantMed := stats.Percentile(failures.Workloads[0].Durations.Total.Samples, 0.5)
	if pts[1].Median != wantMed || pts[1].Failed != 5 || pts[1].N != 20 {
		t.Errorf("stored point %+v, want median %v failed 5", pts[1], wantMed)
	}
	all, _ := s.Trends("", "")
	if len(all) <= len(pts) {
		t.Errorf("unfiltered trends should hold more rows: %d", len(all))
	}
	var page strings.Builder
	if err := TrendsHTML(&page, all); err != nil {
		t.Fatal(err)
	}
	series := map[string]bool{}
	for _, p := range all {
		series[p.Workload+"/"+p.Action] = true
	}
	if got := strings.Count(page.String(), `<svg class="chart trend"`); got != len(series) {
		t.Errorf("%d trend charts for %d series", got, len(series))
	}
	if got := strings.Count(page.String(), "<circle"); got != 2*len(all) {
		t.Errorf("%d points drawn for %d stored points (median + p95 each)", got, len(all))
	}
	if strings.Contains(page.String(), "http") || strings.Contains(page.String(), "<script") {
		t.Error("trends page is not self-contained")
	}

	// Median run of the last 3 (custom, failures, custom) is a custom run:
	// comparing custom against it shows nothing; the last 1 run (custom)
	// as well; the failures run compared with it is a regression.
	base, err := s.Baseline("main", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(base) != 1 || base[0].Failed != 0 || len(base[0].Series) == 0 {
		t.Fatalf("baseline: %+v", base)
	}
	cur := compare.FromFiles([]*stats.File{custom})
	if compare.Compare(base, cur, compare.Defaults).Regression {
		t.Error("same run against its stored baseline flagged")
	}
	for i, se := range base[0].Series {
		if len(se.Samples) != len(cur[0].Series[i].Samples) || se.Samples[3] != cur[0].Series[i].Samples[3] {
			t.Errorf("samples of %s not stored exactly", se.Name)
		}
	}
	if !compare.Compare(base, compare.FromFiles([]*stats.File{failures}), compare.Defaults).Regression {
		t.Error("failures run against the clean baseline not flagged")
	}
	if _, err := s.Baseline("nope", 3); err == nil {
		t.Error("unknown tag gave a baseline")
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir); err == nil {
		t.Error("a directory opened as a database")
	}
	if _, err := Open("postgres://x/y"); err == nil {
		t.Error("postgres accepted though not implemented")
	}
	db := filepath.Join(dir, "h.db")
	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	s.db.Exec(`INSERT INTO schema_migrations VALUES (99, 'x')`)
	s.Close()
	if _, err := Open(db); err == nil {
		t.Error("newer schema accepted")
	}
}

func TestResolveDB(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/x/state")
	if got := ResolveDB(""); got != "/x/state/rallyforge/history.db" {
		t.Errorf("default db %s", got)
	}
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("HOME", "/h")
	if got := ResolveDB(""); got != "/h/.local/state/rallyforge/history.db" {
		t.Errorf("default db without XDG_STATE_HOME %s", got)
	}
	if got := ResolveDB("/tmp/a.db"); got != "/tmp/a.db" {
		t.Errorf("--db ignored: %s", got)
	}
}

package history

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/compare"
	"github.com/rallyforge/rallyforge/internal/pgtest"
	"github.com/rallyforge/rallyforge/internal/stats"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// The PostgreSQL back end is tested against a real server that
// scripts/pg/up.sh starts for this test binary.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// backends gives a fresh, empty database of each kind: a SQLite file and a
// database on the real PostgreSQL test server.
func backends(t *testing.T) map[string]string {
	return map[string]string{
		"sqlite":   filepath.Join(t.TempDir(), "sub", "h.db"),
		"postgres": pgtest.DB(t),
	}
}

func summary(t *testing.T, name string) *stats.File {
	f, err := stats.Summarize(filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", name))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestStoreTrendsBaseline(t *testing.T) {
	for name, db := range backends(t) {
		t.Run(name, func(t *testing.T) { testStoreTrendsBaseline(t, db) })
	}
}

func testStoreTrendsBaseline(t *testing.T, db string) {
	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	custom, failures := summary(t, "placement-custom.report.json"), summary(t, "placement-failures.report.json")
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	// Three runs: custom, failures, and custom again as another Rally task
	// (the same task twice would be stored once).
	for i, f := range []*stats.File{asRun(custom, 0), asRun(failures, 1), asRun(custom, 2)} {
		if _, _, err := s.Add(f, "main", now.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.Add(summary(t, "glance-images.report.json"), "other", now); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Reopening applies no migration twice.
	s, err = Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(); err != nil || v != len(migrations)-1 {
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
	if err := TrendsHTML(&page, all, TrendsOptions{BaselineTag: "main", Last: 2}); err != nil {
		t.Fatal(err)
	}
	// One chart per workload; a point per stored point of its top-level
	// actions and total; a failure bar for the failures run; the last two
	// "main" runs shaded as the baseline (in the one workload they hold).
	workloads, dots, failedRuns := map[string]bool{}, 0, 0
	for _, p := range all {
		workloads[p.Workload] = true
		if !strings.Contains(p.Action, " > ") {
			dots++
		}
		if p.Action == "total" && p.Failed > 0 {
			failedRuns++
		}
	}
	pg := page.String()
	if got := strings.Count(pg, `<svg class="chart trend"`); got != len(workloads) {
		t.Errorf("%d trend charts for %d workloads", got, len(workloads))
	}
	if got := strings.Count(pg, "<circle"); got != dots {
		t.Errorf("%d points drawn for %d stored points", got, dots)
	}
	if got := strings.Count(pg, `<rect class="fail"`); got != failedRuns || failedRuns == 0 {
		t.Errorf("%d failure bars for %d runs with failures", got, failedRuns)
	}
	if got := strings.Count(pg, "<title>baseline run "); got != 2 || !strings.Contains(pg, "<title>baseline run 3 (tag main)") || strings.Contains(pg, "<title>baseline run 1 ") {
		t.Errorf("baseline marks: %d", got)
	}
	if !strings.Contains(pg, "2027-01-01 00:01") || !strings.Contains(pg, "axis-title x") {
		t.Error("runs not labelled by date")
	}
	if strings.Contains(pg, "http") || strings.Contains(pg, "<script") {
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

// The two back ends give the same answers: every real sample report (both
// file formats) stored with the same tags and times, then trends in the
// three formats, a baseline from history and the comparison against it
// render byte for byte the same on SQLite and on PostgreSQL (whose test
// database sorts text with an ICU locale, unlike SQLite).
func TestBackendsAgree(t *testing.T) {
	t0 := time.Now()
	var names []string
	ents, err := os.ReadDir(filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".report.json") || strings.HasSuffix(e.Name(), ".results.json") {
			names = append(names, e.Name())
		}
	}
	if len(names) < 8 {
		t.Fatalf("only %d sample results: %v", len(names), names)
	}
	files := map[string]*stats.File{}
	for _, n := range names {
		files[n] = summary(t, n)
	}
	// Plus the custom plugin's report under a lower-case scenario name:
	// byte order puts "PlacementCustom…" first, an ICU (or glibc en_US)
	// collation "placement_custom…"; only a stated collation agrees.
	raw, err := os.ReadFile(filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", "placement-custom.report.json"))
	if err != nil {
		t.Fatal(err)
	}
	renamed := filepath.Join(t.TempDir(), "renamed.report.json")
	os.WriteFile(renamed, []byte(strings.ReplaceAll(string(raw), "PlacementCustom.", "placement_custom.")), 0o644)
	if files["renamed"], err = stats.Summarize(renamed); err != nil {
		t.Fatal(err)
	}
	names = append(names, "renamed")
	// The clean placement-custom runs are stored last, so that the last
	// runs of "main" (the baseline below) hold them whatever other samples
	// the corpus gains; the failures run against them is a regression.
	slices.SortStableFunc(names, func(a, b string) int {
		return cmp.Compare(strings.Count(a, "placement-custom."), strings.Count(b, "placement-custom."))
	})
	failures := files["placement-failures.report.json"]
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	outputs := map[string]map[string]string{}
	for backend, db := range backends(t) {
		s, err := Open(db)
		if err != nil {
			t.Fatal(err)
		}
		if s.Backend() != backend {
			t.Errorf("%s opened as %s", db, s.Backend())
		}
		// Each file twice under "main", and once more under "rc" (as three
		// Rally tasks: the same task is stored once).
		i := 0
		for _, tag := range []string{"main", "main", "rc"} {
			for _, n := range names {
				if _, _, err := s.Add(asRun(files[n], i), tag, now.Add(time.Duration(i)*time.Minute)); err != nil {
					t.Fatalf("%s: add %s: %v", backend, n, err)
				}
				i++
			}
		}
		out := map[string]string{}
		for _, q := range []struct{ tag, filter string }{{"", ""}, {"main", "total"}, {"rc", "keystone_v3"}, {"", "Placement"}, {"none", ""}} {
			pts, err := s.Trends(q.tag, q.filter)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			TrendsText(&b, pts)
			TrendsJSON(&b, pts)
			TrendsHTML(&b, pts, TrendsOptions{})
			out["trends "+q.tag+" "+q.filter] = b.String()
		}
		for _, last := range []int{1, 2, 5} {
			base, err := s.Baseline("main", last)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			res := compare.Compare(base, compare.FromFiles([]*stats.File{failures}), compare.Defaults)
			compare.JSON(&b, res)
			compare.Markdown(&b, res)
			compare.Text(&b, res, true)
			out["baseline main "+string(rune('0'+last))] = b.String()
		}
		s.Close()
		outputs[backend] = out
	}
	lite, pg := outputs["sqlite"], outputs["postgres"]
	for k, v := range lite {
		if pg[k] != v {
			t.Errorf("%s differs between SQLite and PostgreSQL:\n--- sqlite\n%.1500s\n--- postgres\n%.1500s", k, v, pg[k])
		}
	}
	// The outputs hold what was stored, not empty tables.
	if all := lite["trends  "]; strings.Count(all, "\n  ") < 3*len(names) || !strings.Contains(all, "keystone_v3.create_user") || !strings.Contains(all, "glance_v2.create_image > glance_v2.upload_data") {
		t.Errorf("trends of everything look empty:\n%.2000s", all)
	}
	if !strings.Contains(lite["baseline main 5"], "REGRESSION") {
		t.Errorf("the failures run against the main baseline is not a regression:\n%.1500s", lite["baseline main 5"])
	}
	t.Logf("%d files × 3 runs on both back ends, compared in %v (server start %v)", len(names), time.Since(t0).Round(time.Millisecond), pgtest.StartedIn.Round(time.Millisecond))
}

// A shared database opened by several processes at once is migrated once.
func TestPostgresConcurrentMigrate(t *testing.T) {
	db := pgtest.DB(t)
	errs := make(chan error, 6)
	for range 6 {
		go func() {
			s, err := Open(db)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range 6 {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent open: %v", err)
		}
	}
	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(migrations)-1 {
		t.Errorf("schema_migrations has %d rows (%v), want %d", n, err, len(migrations)-1)
	}
	s.db.Exec(`INSERT INTO schema_migrations VALUES (99, 'x')`)
	if _, err := Open(db); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("newer schema accepted: %v", err)
	}
}

// Connection problems end in bounded time with one line that names the
// database and hides the password.
func TestPostgresOpenErrors(t *testing.T) {
	good := pgtest.DB(t)
	for _, c := range []struct{ dsn, want string }{
		{"postgres://u:secret@127.0.0.1:1/x?sslmode=disable", "postgres://u:xxxxx@127.0.0.1:1/x"},
		{strings.Replace(good, "/t", "/nosuchdb", 1), "nosuchdb"},
		{"postgres://%zz", "not a valid"},
		{"postgres:///x", "no host"},
	} {
		start := time.Now()
		s, err := Open(c.dsn)
		if err == nil {
			s.Close()
			t.Errorf("%s opened", c.dsn)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, c.want) || strings.Contains(msg, "secret") || strings.Contains(msg, "\n") {
			t.Errorf("%s: error %q should name %q on one line without the password", c.dsn, msg, c.want)
		}
		if d := time.Since(start); d > 15*time.Second {
			t.Errorf("%s: took %v", c.dsn, d)
		}
	}
}

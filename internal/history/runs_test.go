package history

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/stats"
)

// asRun is f as if it were another Rally task (its own UUID), created n
// minutes after 2027-01-01, for tests that need several runs of the same
// data in a known order.
func asRun(f *stats.File, n int) *stats.File {
	created := time.Date(2027, 1, 1, 0, n, 0, 0, time.UTC).Format(time.RFC3339)
	g := *f
	g.Workloads = nil
	for _, w := range f.Workloads {
		cw := *w
		rw := *w.Workload
		rw.TaskUUID = strings.Repeat("0", 8) + "-0000-0000-0000-" + strings.Repeat("0", 11) + string(rune('a'+n%26))
		if n >= 26 {
			rw.TaskUUID = rw.TaskUUID[:24] + string(rune('a'+n/26)) + rw.TaskUUID[25:]
		}
		rw.CreatedAt = created
		cw.Workload = &rw
		g.Workloads = append(g.Workloads, &cw)
	}
	return &g
}

// The same Rally run added twice is stored once (key: Rally's task UUID,
// or the data itself for the old results format, which has none), the
// run's date is Rally's created_at, list shows runs by that date, and rm
// removes a run with all its rows — on both back ends.
func TestRunsDedupListRemove(t *testing.T) {
	for name, db := range backends(t) {
		t.Run(name, func(t *testing.T) { testRunsDedupListRemove(t, db) })
	}
}

func testRunsDedupListRemove(t *testing.T, db string) {
	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	keystone, old := summary(t, "keystone-basic.report.json"), summary(t, "keystone-basic.results.json")
	glance := summary(t, "glance-images.report.json")
	imported := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	id1, added, err := s.Add(keystone, "main", imported)
	if err != nil || !added {
		t.Fatalf("first add: %v %v", added, err)
	}
	id2, added, err := s.Add(keystone, "other", imported.Add(time.Hour))
	if err != nil || added || id2 != id1 {
		t.Errorf("second add of the same task: id %d (first %d), added %v, %v", id2, id1, added, err)
	}
	idOld, added, err := s.Add(old, "main", imported)
	if err != nil || !added {
		t.Fatalf("old format: %v %v", added, err)
	}
	if id, added, _ := s.Add(summary(t, "keystone-basic.results.json"), "main", imported); added || id != idOld {
		t.Errorf("old format twice: id %d added %v", id, added)
	}
	idGlance, _, err := s.Add(glance, "main", imported)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := s.List("")
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 3 {
		t.Fatalf("%d runs listed, want 3: %+v", len(runs), runs)
	}
	byID := map[int64]Run{}
	for i, r := range runs {
		byID[r.ID] = r
		if i > 0 && runs[i-1].CreatedAt > r.CreatedAt {
			t.Errorf("list not in run-date order: %+v", runs)
		}
	}
	k := byID[id1]
	if k.CreatedAt != keystone.Workloads[0].CreatedAt || k.CreatedAt != "2026-11-25T02:07:44Z" || k.Tag != "main" ||
		k.TaskUUID != "817b3acf-65ec-4386-bdba-407e6d33df7d" || k.Workloads != 2 || !strings.HasPrefix(k.AddedAt, "2030-01-01") {
		t.Errorf("keystone run: %+v", k)
	}
	pts, _ := s.Trends("", "")
	for _, p := range pts {
		if p.RunID == id1 && p.CreatedAt != k.CreatedAt {
			t.Errorf("trend point dated %q, run created %q", p.CreatedAt, k.CreatedAt)
		}
	}
	if err := s.Remove([]int64{id1, idGlance}); err != nil {
		t.Fatal(err)
	}
	runs, _ = s.List("")
	if len(runs) != 1 || runs[0].ID != idOld {
		t.Errorf("after rm: %+v", runs)
	}
	pts, _ = s.Trends("", "")
	for _, p := range pts {
		if p.RunID != idOld {
			t.Errorf("removed run %d still has trend rows", p.RunID)
		}
	}
	var n int
	s.db.QueryRow(`SELECT count(*) FROM series`).Scan(&n)
	if n == 0 || n != len(pts) {
		t.Errorf("%d series rows left, %d trend points", n, len(pts))
	}
	if err := s.Remove([]int64{id1}); err == nil || !strings.Contains(err.Error(), "no run") {
		t.Errorf("removing a missing run: %v", err)
	}
	// Removed, the run can be added again.
	if _, added, err := s.Add(keystone, "main", imported); err != nil || !added {
		t.Errorf("re-add after rm: %v %v", added, err)
	}
}

// A database made by the first schema, holding the same task twice, is
// migrated: both rows stay, they get a run date, and adding that task
// again is ignored.
func TestMigrateV1Duplicates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`,
		sqlite.sql(migrations[1]),
		`INSERT INTO schema_migrations VALUES (1, '2026-11-01T00:00:00Z')`,
		`INSERT INTO runs(tag, source, format, task_uuid, added_at) VALUES ('main', 'a.json', 'report', '817b3acf-65ec-4386-bdba-407e6d33df7d', '2026-11-30T10:00:00Z')`,
		`INSERT INTO runs(tag, source, format, task_uuid, added_at) VALUES ('main', 'a.json', 'report', '817b3acf-65ec-4386-bdba-407e6d33df7d', '2026-11-30T11:00:00Z')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	runs, err := s.List("")
	if err != nil || len(runs) != 2 || runs[0].CreatedAt != "2026-11-30T10:00:00Z" {
		t.Fatalf("migrated runs: %+v %v", runs, err)
	}
	if _, added, err := s.Add(summary(t, "keystone-basic.report.json"), "main", time.Now()); err != nil || added {
		t.Errorf("task stored before the migration added again: %v %v", added, err)
	}
}

// RunKey: Rally's task UUIDs; without one, a digest of the data, equal for
// equal data and different for another run.
func TestRunKey(t *testing.T) {
	a, b := summary(t, "keystone-basic.results.json"), summary(t, "placement-custom.results.json")
	if RunKey(a) != RunKey(summary(t, "keystone-basic.results.json")) || RunKey(a) == RunKey(b) || !strings.HasPrefix(RunKey(a), "sha256:") {
		t.Errorf("keys %q %q", RunKey(a), RunKey(b))
	}
	if k := RunKey(summary(t, "keystone-basic.report.json")); k != "817b3acf-65ec-4386-bdba-407e6d33df7d" {
		t.Errorf("report key %q", k)
	}
}

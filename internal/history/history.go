// Package history stores summarised Rally runs in an embedded SQLite file
// (modernc.org/sqlite, no cgo) or, for a team, a shared PostgreSQL database
// (pgx), so that trends can be followed over time and a baseline taken from
// recent runs. Each row keeps its samples, so a baseline from history is
// compared with the same test as two files. Both back ends have the same
// schema, migrations and queries (see dialect) and give the same answers.
package history

import (
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rallyforge/rallyforge/internal/compare"
	"github.com/rallyforge/rallyforge/internal/results"
	"github.com/rallyforge/rallyforge/internal/stats"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// migrations are applied in order, each once and in its own transaction;
// schema_migrations records which ran. Append only: never edit a released
// migration. They are written for SQLite; dialect.sql turns the few
// types that differ into PostgreSQL's (see pgTypes).
var migrations = []string{
	1: `CREATE TABLE runs (
		id $ID,
		tag TEXT NOT NULL DEFAULT '',
		source TEXT NOT NULL,
		format TEXT NOT NULL,
		task_uuid TEXT NOT NULL DEFAULT '',
		added_at TEXT NOT NULL
	);
	CREATE INDEX runs_tag ON runs(tag, id);
	CREATE TABLE workloads (
		id $ID,
		run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
		key TEXT NOT NULL,
		scenario TEXT NOT NULL,
		ordinal INTEGER NOT NULL,
		iterations INTEGER NOT NULL,
		failed INTEGER NOT NULL,
		errors TEXT NOT NULL,
		sla TEXT NOT NULL
	);
	CREATE INDEX workloads_key ON workloads(key, run_id);
	CREATE TABLE series (
		workload_id INTEGER NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL,
		name TEXT NOT NULL,
		n INTEGER NOT NULL,
		median $REAL NOT NULL,
		p95 $REAL NOT NULL,
		samples $BLOB NOT NULL,
		PRIMARY KEY (workload_id, seq)
	);`,
	// 2: the run's date is Rally's (created_at; runs stored before keep
	// their import time) and a run is stored once: run_key is Rally's task
	// UUID (RunKey). Of runs already stored twice the first gets the key,
	// the others stay as they are.
	2: `ALTER TABLE runs ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
	ALTER TABLE runs ADD COLUMN run_key TEXT;
	UPDATE runs SET created_at = added_at;
	UPDATE runs SET run_key = task_uuid WHERE task_uuid <> '' AND id = (SELECT MIN(r2.id) FROM runs r2 WHERE r2.task_uuid = runs.task_uuid);
	CREATE UNIQUE INDEX runs_key ON runs(run_key);
	CREATE INDEX runs_created ON runs(created_at, id);`,
}

// Store is an open history database.
type Store struct {
	db *sql.DB
	d  *dialect
}

// ResolveDB returns the database path: the flag if given, else
// $RALLYFORGE_DB (a file or a postgres:// URL, for every command), else
// rallyforge/history.db under $XDG_STATE_HOME (default ~/.local/state).
func ResolveDB(flag string) string {
	if flag != "" {
		return flag
	}
	if env := os.Getenv("RALLYFORGE_DB"); env != "" {
		return env
	}
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "rallyforge", "history.db")
}

// IsPostgres tells whether db names a PostgreSQL database (a URL) rather
// than a SQLite file.
func IsPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// Open opens (creating if needed) the database and brings its schema up to
// date: a SQLite file, or a PostgreSQL database given as a postgres:// URL
// (which must exist; its tables are created by the migrations).
func Open(path string) (*Store, error) {
	var s *Store
	name := path
	if IsPostgres(path) {
		dsn, shown, err := pgDSN(path)
		if err != nil {
			return nil, fmt.Errorf("history db: %w", err)
		}
		name = shown
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("history db %s: %w", name, err)
		}
		s = &Store{db: db, d: postgres}
	} else {
		uri, err := sqliteURI(path)
		if err != nil {
			return nil, fmt.Errorf("history db %q: %w", path, err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("history db %s: %w", path, err)
		}
		// _txlock=immediate: a writer takes the lock when its transaction
		// begins, so two processes adding or migrating at once wait for
		// each other (busy_timeout) instead of failing half-way.
		db, err := sql.Open("sqlite", uri+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)&_txlock=immediate")
		if err != nil {
			return nil, fmt.Errorf("history db %s: %w", path, err)
		}
		s = &Store{db: db, d: sqlite}
	}
	if err := s.migrate(); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("history db %s: %s", name, oneLine(err))
	}
	return s, nil
}

// sqliteURI turns a file path into the SQLite URI of exactly that file:
// '?', '#' and '%' are escaped (h#1.db wrote "h", p%41.db wrote "pA.db"),
// and the path is made absolute so that no "//authority" or "file:" in it
// means anything. A name SQLite treats as an in-memory database stores
// nothing and is refused.
func sqliteURI(path string) (string, error) {
	if path == "" || path == ":memory:" {
		return "", errors.New("an in-memory database would keep nothing; give a file path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("file:")
	for i := 0; i < len(abs); i++ {
		switch c := abs[i]; c {
		case '?', '#', '%':
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// Backend names the database kind: "sqlite" or "postgres".
func (s *Store) Backend() string { return s.d.name }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func (s *Store) migrate() error {
	// One transaction creates the bookkeeping table, then one per
	// migration; each re-reads the version under the lock, so that two
	// processes opening a new shared database apply every migration once.
	step := func(f func(tx *sql.Tx) error) error {
		tx, err := s.db.Begin()
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if s.d.lock != "" {
			if _, err := tx.Exec(s.d.lock); err != nil {
				return err
			}
		}
		if err := f(tx); err != nil {
			return err
		}
		return tx.Commit()
	}
	current := func(tx *sql.Tx) (int, error) {
		var v int
		err := tx.QueryRow(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
		return v, err
	}
	var cur int
	err := step(func(tx *sql.Tx) error {
		if _, err := tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
			return err
		}
		var err error
		cur, err = current(tx)
		return err
	})
	if err != nil {
		return err
	}
	if cur >= len(migrations) {
		return fmt.Errorf("schema version %d is newer than this rallyforge knows (%d)", cur, len(migrations)-1)
	}
	for v := cur + 1; v < len(migrations); v++ {
		err := step(func(tx *sql.Tx) error {
			now, err := current(tx)
			if err != nil || now >= v {
				return err
			}
			if _, err := tx.Exec(s.d.sql(migrations[v])); err != nil {
				return fmt.Errorf("migration %d: %w", v, err)
			}
			_, err = tx.Exec(s.d.sql(`INSERT INTO schema_migrations VALUES (?, ?)`), v, time.Now().UTC().Format(time.RFC3339))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion is the highest applied migration.
func (s *Store) SchemaVersion() (int, error) {
	var v int
	err := s.db.QueryRow(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

func encode(xs []float64) []byte {
	b := make([]byte, 8*len(xs))
	for i, x := range xs {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return b
}

func decode(b []byte) []float64 {
	xs := make([]float64, len(b)/8)
	for i := range xs {
		xs[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return xs
}

// RunKey identifies the Rally run a file holds: its task UUID (the UUIDs,
// in order, of a report of several tasks); for the old results format,
// which has none, a digest of the data (same run, same digest).
func RunKey(f *stats.File) string {
	var uuids []string
	for _, w := range f.Workloads {
		if w.TaskUUID != "" && !slices.Contains(uuids, w.TaskUUID) {
			uuids = append(uuids, w.TaskUUID)
		}
	}
	if len(uuids) > 0 {
		return strings.Join(uuids, ",")
	}
	h := sha256.New()
	for _, w := range f.Workloads {
		fmt.Fprintf(h, "%s\x00%d\x00%s\x00%d\x00%d\x00", w.Scenario, w.Position, w.CreatedAt, w.Iterations, w.Failed)
		h.Write(encode(w.Durations.Total.Samples))
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// createdAt is the run's date: when Rally created it (the earliest of the
// workloads' dates), else now.
func createdAt(f *stats.File, now time.Time) string {
	c := ""
	for _, w := range f.Workloads {
		if w.CreatedAt != "" && (c == "" || w.CreatedAt < c) {
			c = w.CreatedAt
		}
	}
	if c == "" {
		c = now.UTC().Format(time.RFC3339)
	}
	return c
}

// Add stores one summarised file as a run and returns its id. A run
// already stored (same RunKey) is not stored again: its id comes back
// with added false.
func (s *Store) Add(f *stats.File, tag string, now time.Time) (id int64, added bool, err error) {
	key := RunKey(f)
	if id, err := s.runByKey(key); err != nil || id != 0 {
		return id, false, err
	}
	id, err = s.add(f, key, tag, now)
	if err != nil {
		// Another process may have stored the same run meanwhile (the
		// unique key refused this one).
		if other, kerr := s.runByKey(key); kerr == nil && other != 0 {
			return other, false, nil
		}
		return 0, false, err
	}
	return id, true, nil
}

func (s *Store) runByKey(key string) (int64, error) {
	var id int64
	err := s.db.QueryRow(s.d.sql(`SELECT id FROM runs WHERE run_key = ?`), key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

func (s *Store) add(f *stats.File, key, tag string, now time.Time) (int64, error) {
	tx, err := s.db.Begin()
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	uuid := ""
	if len(f.Workloads) > 0 {
		uuid = f.Workloads[0].TaskUUID
	}
	// RETURNING rather than LastInsertId: pgx has none, SQLite ≥ 3.35 has
	// RETURNING too.
	var runID int64
	err = tx.QueryRow(s.d.sql(`INSERT INTO runs(tag, source, format, task_uuid, added_at, created_at, run_key) VALUES (?,?,?,?,?,?,?) RETURNING id`),
		tag, f.Path, f.Format, uuid, now.UTC().Format(time.RFC3339Nano), createdAt(f, now), key).Scan(&runID)
	if err != nil {
		return 0, err
	}
	for _, w := range compare.FromFiles([]*stats.File{f}) {
		errs, _ := json.Marshal(w.Errors)
		sla, _ := json.Marshal(w.SLA)
		var wid int64
		err := tx.QueryRow(s.d.sql(`INSERT INTO workloads(run_id, key, scenario, ordinal, iterations, failed, errors, sla) VALUES (?,?,?,?,?,?,?,?) RETURNING id`),
			runID, w.Key(), w.Scenario, w.Ordinal, w.Iterations, w.Failed, string(errs), string(sla)).Scan(&wid)
		if err != nil {
			return 0, err
		}
		for i, se := range w.Series {
			if _, err := tx.Exec(s.d.sql(`INSERT INTO series(workload_id, seq, name, n, median, p95, samples) VALUES (?,?,?,?,?,?,?)`),
				wid, i, se.Name, len(se.Samples), stats.Percentile(se.Samples, 0.5), stats.Percentile(se.Samples, 0.95), encode(se.Samples)); err != nil {
				return 0, err
			}
		}
	}
	return runID, tx.Commit()
}

// Run is one stored run, as history list shows it.
type Run struct {
	ID        int64  `json:"id"`
	CreatedAt string `json:"created_at"` // when Rally created the task
	Tag       string `json:"tag"`
	TaskUUID  string `json:"task_uuid"`
	Source    string `json:"source"`
	Format    string `json:"format"`
	Workloads int    `json:"workloads"`
	AddedAt   string `json:"added_at"` // when it was stored
}

// List returns the stored runs (only those with tag, when given), by run
// date.
func (s *Store) List(tag string) ([]Run, error) {
	rows, err := s.db.Query(s.d.sql(`SELECT r.id, r.created_at, r.tag, r.task_uuid, r.source, r.format, r.added_at,
		(SELECT count(*) FROM workloads w WHERE w.run_id = r.id)
		FROM runs r WHERE (? = '' OR r.tag = ?) ORDER BY r.created_at, r.id`), tag, tag)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Run{}
	for rows.Next() {
		var r Run
		if err := rows.Scan(&r.ID, &r.CreatedAt, &r.Tag, &r.TaskUUID, &r.Source, &r.Format, &r.AddedAt, &r.Workloads); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RunsOfTask returns the ids of the runs stored from Rally task uuid.
func (s *Store) RunsOfTask(uuid string) ([]int64, error) {
	rows, err := s.db.Query(s.d.sql(`SELECT id FROM runs WHERE task_uuid = ? OR run_key = ? ORDER BY id`), uuid, uuid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Remove deletes runs with all their rows, all or none: an id that is not
// stored is an error and nothing is removed.
func (s *Store) Remove(ids []int64) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, id := range ids {
		// Children first: PostgreSQL cascades, and so does SQLite with
		// foreign_keys on, but a database opened elsewhere may have them off.
		if _, err := tx.Exec(s.d.sql(`DELETE FROM series WHERE workload_id IN (SELECT id FROM workloads WHERE run_id = ?)`), id); err != nil {
			return err
		}
		if _, err := tx.Exec(s.d.sql(`DELETE FROM workloads WHERE run_id = ?`), id); err != nil {
			return err
		}
		res, err := tx.Exec(s.d.sql(`DELETE FROM runs WHERE id = ?`), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("no run %d in history (history list shows them)", id)
		}
	}
	return tx.Commit()
}

// Point is one run's figures for one row of one workload.
type Point struct {
	RunID      int64   `json:"run_id"`
	Tag        string  `json:"tag"`
	CreatedAt  string  `json:"created_at"` // the run's date (Rally's)
	AddedAt    string  `json:"added_at"`
	Workload   string  `json:"workload"`
	Action     string  `json:"action"`
	N          int     `json:"n"`
	Median     float64 `json:"median"`
	P95        float64 `json:"p95"`
	Iterations int     `json:"iterations"`
	Failed     int     `json:"failed"`
}

// Trends returns every stored point, oldest run first, optionally only
// runs with tag and rows whose workload key or action contains filter.
func (s *Store) Trends(tag, filter string) ([]Point, error) {
	q := `SELECT r.id, r.tag, r.created_at, r.added_at, w.key, se.name, se.n, se.median, se.p95, w.iterations, w.failed
		FROM runs r JOIN workloads w ON w.run_id = r.id JOIN series se ON se.workload_id = w.id
		WHERE (? = '' OR r.tag = ?) AND (? = '' OR instr(w.key, ?) > 0 OR instr(se.name, ?) > 0)
		ORDER BY w.key $C, se.name $C, r.created_at, r.id`
	rows, err := s.db.Query(s.d.sql(q), tag, tag, filter, filter, filter)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Point
	for rows.Next() {
		var p Point
		if err := rows.Scan(&p.RunID, &p.Tag, &p.CreatedAt, &p.AddedAt, &p.Workload, &p.Action, &p.N, &p.Median, &p.P95, &p.Iterations, &p.Failed); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Baseline builds a comparison base from the last n runs stored with tag:
// for each workload, the run whose total median is the median of those
// runs (the lower middle for an even count), with all its rows, failures
// and SLA results. A median run rather than pooled samples: runs differ
// from each other more than iterations within a run do, and pooling would
// hide that and make the test over-confident.
func (s *Store) Baseline(tag string, n int) ([]*compare.Workload, error) {
	if n < 1 {
		return nil, errors.New("--last must be at least 1")
	}
	rows, err := s.db.Query(s.d.sql(`SELECT id FROM runs WHERE tag = ? ORDER BY created_at DESC, id DESC LIMIT ?`), tag, n)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) == 0 {
		return nil, fmt.Errorf("no runs with tag %q in history", tag)
	}
	type cand struct {
		wid    int64
		median float64
		w      *compare.Workload
	}
	byKey := map[string][]cand{}
	var order []string
	for _, id := range ids {
		wr, err := s.db.Query(s.d.sql(`SELECT w.id, w.key, w.scenario, w.ordinal, w.iterations, w.failed, w.errors, w.sla,
			COALESCE((SELECT median FROM series WHERE workload_id = w.id AND name = 'total'), 0)
			FROM workloads w WHERE w.run_id = ? ORDER BY w.id`), id)
		if err != nil {
			return nil, err
		}
		for wr.Next() {
			var c cand
			var key, errs, sla string
			w := &compare.Workload{Errors: map[string]int{}}
			if err := wr.Scan(&c.wid, &key, &w.Scenario, &w.Ordinal, &w.Iterations, &w.Failed, &errs, &sla, &c.median); err != nil {
				wr.Close()
				return nil, err
			}
			json.Unmarshal([]byte(errs), &w.Errors)
			var sr []results.SLAResult
			json.Unmarshal([]byte(sla), &sr)
			w.SLA = sr
			c.w = w
			if _, ok := byKey[key]; !ok {
				order = append(order, key)
			}
			byKey[key] = append(byKey[key], c)
		}
		wr.Close()
	}
	var out []*compare.Workload
	for _, key := range order {
		cs := byKey[key]
		slices.SortStableFunc(cs, func(a, b cand) int {
			switch {
			case a.median < b.median:
				return -1
			case a.median > b.median:
				return 1
			}
			return 0
		})
		pick := cs[(len(cs)-1)/2]
		sr, err := s.db.Query(s.d.sql(`SELECT name, samples FROM series WHERE workload_id = ? ORDER BY seq`), pick.wid)
		if err != nil {
			return nil, err
		}
		for sr.Next() {
			var se compare.Series
			var b []byte
			if err := sr.Scan(&se.Name, &b); err != nil {
				sr.Close()
				return nil, err
			}
			se.Samples = decode(b)
			pick.w.Series = append(pick.w.Series, se)
		}
		sr.Close()
		out = append(out, pick.w)
	}
	// Newest-first query order → restore a stable, file-like order.
	slices.SortStableFunc(out, func(a, b *compare.Workload) int { return strings.Compare(a.Key(), b.Key()) })
	return out, nil
}

// Package pgtest gives tests a real PostgreSQL server: a throwaway cluster
// started by the project's scripts/pg/up.sh (Debian's postgresql), one per
// test binary, and a fresh database per caller. When the server cannot be
// started the test fails with the reason and the install command: the
// PostgreSQL history store is never "tested" by skipping.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// StartTimeout bounds up.sh (initdb + start); it takes about 1.5 s.
const StartTimeout = 90 * time.Second

var (
	mu       sync.Mutex
	started  bool
	startErr error
	adminDSN string
	stateDir string
	nDB      int
	// StartedIn is how long the cluster took to come up (for the figures).
	StartedIn time.Duration
)

// Start runs scripts/pg/up.sh in a new folder under the temp dir and
// returns the superuser DSN and the folder (for Stop).
func Start() (dsn, state string, err error) {
	// As root the cluster runs as the postgres user, who must reach the
	// folder: /tmp rather than a $TMPDIR that may be private to root.
	base := ""
	if os.Geteuid() == 0 {
		base = "/tmp"
	}
	state, err = os.MkdirTemp(base, "rallyforge-pg")
	if err != nil {
		return "", "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), StartTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(testcorpus.ModuleRoot(), "scripts", "pg", "up.sh"), state)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		os.RemoveAll(state)
		return "", "", fmt.Errorf("scripts/pg/up.sh: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), state, nil
}

// Stop stops the cluster in state and removes it.
func Stop(state string) error {
	out, err := exec.Command(filepath.Join(testcorpus.ModuleRoot(), "scripts", "pg", "down.sh"), state).CombinedOutput()
	if err != nil {
		return fmt.Errorf("scripts/pg/down.sh: %v: %s", err, out)
	}
	return nil
}

// Main runs the tests of a package that uses DB and stops the server after
// them: call it from TestMain.
func Main(m *testing.M) int {
	code := m.Run()
	mu.Lock()
	defer mu.Unlock()
	if started && startErr == nil {
		if err := Stop(stateDir); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
			if code == 0 {
				code = 1
			}
		}
	}
	return code
}

// DB returns the DSN of a new, empty database on the shared test server,
// starting the server on first use. The database uses an ICU collation
// (en-US) on purpose: its ordering differs from byte order, so code that
// must sort like SQLite has to say so.
func DB(t testing.TB) string {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if !started {
		started = true
		t0 := time.Now()
		adminDSN, stateDir, startErr = Start()
		StartedIn = time.Since(t0)
	}
	if startErr != nil {
		t.Fatalf("PostgreSQL test server: %v\n(install the server with: apt-get install postgresql, or bash scripts/install-deps.sh as root)", startErr)
	}
	nDB++
	name := fmt.Sprintf("t%d_%d", os.Getpid(), nDB)
	db, err := sql.Open("pgx", adminDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE DATABASE ` + name + ` TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	u, err := url.Parse(adminDSN)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// copyTree copies the demo service so the test may write into it.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func countFiles(t *testing.T, dir string) int {
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func TestInitCommand(t *testing.T) {
	dir := copyTree(t, filepath.Join(testcorpus.ModuleRoot(), "examples", "demo-service"))
	before := countFiles(t, dir)
	if code := run([]string{"init", "--dry-run", dir}); code != exitOK {
		t.Fatalf("init --dry-run: exit %d", code)
	}
	if countFiles(t, dir) != before {
		t.Fatal("--dry-run wrote files")
	}
	if code := run([]string{"init", "--format", "json", dir}); code != exitOK {
		t.Fatalf("init: exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "rally-jobs", "task-demo-service.yaml")); err != nil {
		t.Fatal(err)
	}
	after := countFiles(t, dir)
	if code := run([]string{"init", dir}); code != exitOK || countFiles(t, dir) != after {
		t.Fatalf("second init: exit %d, files %d → %d", code, after, countFiles(t, dir))
	}
	for _, bad := range [][]string{
		{"init", testcorpus.Repo(t, "python-novaclient")}, // a client, not a service
		{"init", "--profile", "huge", dir},
		{"init", filepath.Join(dir, "no-such-dir")},
		{"init", "--format", "sarif", dir},
	} {
		if code := run(bad); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", bad, code, exitUsage)
		}
	}
}

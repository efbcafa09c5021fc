package main

import (
	"os"
	"path/filepath"
	"strings"
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

// TestInitUncoveredServiceTree: for a service rally-openstack has no
// scenarios for, init writes the whole contract (README, task, plugins/,
// extra/, the Zuul job running the generated task), not only the generated
// plugin and task; a second run changes nothing, and the task lints clean.
// Outside the corpus most services are of this kind (adjutant, aetos).
func TestInitUncoveredServiceTree(t *testing.T) {
	for _, name := range []string{"blazar", "masakari"} {
		dir := testcorpus.Copy(t, name)
		if code := run([]string{"init", dir}); code != exitOK {
			t.Fatalf("%s: init exit %d", name, code)
		}
		for _, rel := range []string{
			"rally-jobs/README.rst", "rally-jobs/task-" + name + ".yaml",
			"rally-jobs/plugins/__init__.py", "rally-jobs/plugins/README.rst",
			"rally-jobs/plugins/" + name + "_scenarios.py", "rally-jobs/extra/README.rst",
		} {
			if _, err := os.Stat(filepath.Join(dir, rel)); err != nil {
				t.Errorf("%s: %s not written: %v", name, rel, err)
			}
		}
		var zuulText string
		for _, z := range []string{".zuul.yaml", "zuul.d/rally.yaml", ".zuul.d/rally.yaml", "zuul.d/project.yaml", "zuul.d/jobs.yaml"} {
			if b, err := os.ReadFile(filepath.Join(dir, z)); err == nil {
				zuulText += string(b)
			}
		}
		if !strings.Contains(zuulText, "name: "+name+"-rally") || !strings.Contains(zuulText, "rally_task: rally-jobs/task-"+name+".yaml") {
			t.Errorf("%s: no %s-rally job running the generated task in the Zuul layout", name, name)
		}
		before := countFiles(t, dir)
		if code := run([]string{"init", dir}); code != exitOK || countFiles(t, dir) != before {
			t.Errorf("%s: second init: exit %d, %d files (was %d)", name, code, countFiles(t, dir), before)
		}
		if code := run([]string{"lint", filepath.Join(dir, "rally-jobs", "task-"+name+".yaml")}); code != exitOK {
			t.Errorf("%s: lint of the generated task: exit %d", name, code)
		}
	}
}

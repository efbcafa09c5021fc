package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

func TestPluginCommand(t *testing.T) {
	dir := testcorpus.Copy(t, "placement")
	py := filepath.Join(dir, "rally-jobs", "plugins", "placement_scenarios.py")
	if code := run([]string{"plugin", "--dry-run", dir}); code != exitOK {
		t.Fatalf("plugin --dry-run: exit %d", code)
	}
	if _, err := os.Stat(py); err == nil {
		t.Fatal("--dry-run wrote the plugin")
	}
	if code := run([]string{"plugin", "--format", "json", dir}); code != exitOK {
		t.Fatalf("plugin: exit %d", code)
	}
	first, err := os.ReadFile(py)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "rally-jobs", "task-placement.yaml")); err != nil {
		t.Fatal(err)
	}
	// An edited plugin is kept without --force, replaced with it.
	edited := append(bytes.Clone(first), "# mine\n"...)
	if err := os.WriteFile(py, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	if code := run([]string{"plugin", dir}); code != exitOK {
		t.Fatalf("second run: exit %d", code)
	}
	if got, _ := os.ReadFile(py); !bytes.Equal(got, edited) {
		t.Error("an edited plugin was overwritten without --force")
	}
	if code := run([]string{"plugin", "--force", dir}); code != exitOK {
		t.Fatalf("--force: exit %d", code)
	}
	if got, _ := os.ReadFile(py); !bytes.Equal(got, first) {
		t.Error("--force did not restore the generated plugin")
	}
	// init on a service without catalog coverage goes through the generator.
	idir := testcorpus.Copy(t, "masakari")
	if code := run([]string{"init", idir}); code != exitOK {
		t.Fatalf("init on masakari: exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(idir, "rally-jobs", "plugins", "masakari_scenarios.py")); err != nil {
		t.Errorf("init did not generate the plugin: %v", err)
	}
	for _, bad := range [][]string{
		{"plugin", testcorpus.Copy(t, "monasca-api")}, // api-ref documents no operation
		{"plugin", testcorpus.Repo(t, "oslo.config")}, // no api-ref at all
		{"plugin", filepath.Join(dir, "no-such-dir")},
		{"plugin", "--format", "sarif", dir},
	} {
		if code := run(bad); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", bad, code, exitUsage)
		}
	}
}

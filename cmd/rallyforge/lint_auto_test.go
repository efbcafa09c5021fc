package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --catalog auto (the default) judges by the view matching the user's
// Rally: Debian's rally-openstack 2.2.0 here, so a scenario only master has
// is unknown; with no rally on PATH, master (the gate's view) and the same
// task passes that check. --verbose says which view and why.
func TestLintCatalogAuto(t *testing.T) {
	task := filepath.Join(t.TempDir(), "task.yaml")
	// GlanceImages.import_and_delete_image is in rally-openstack master, not in 2.2.0.
	os.WriteFile(task, []byte("---\nversion: 2\ntitle: t\nsubtasks:\n- title: a\n  scenario:\n    GlanceImages.import_and_delete_image:\n      image_location: http://example.org/cirros.img\n      container_format: bare\n      disk_format: qcow2\n  runner:\n    constant: {times: 1}\n"), 0o644)
	for _, c := range []struct {
		name    string
		path    string
		args    []string
		unknown bool
		verbose string
	}{
		{"installed rally, default", os.Getenv("PATH"), nil, true, "installed view: rally-openstack 2.2.0"},
		{"installed rally, auto", os.Getenv("PATH"), []string{"--catalog", "auto"}, true, "installed view"},
		{"no rally", t.TempDir(), nil, false, "no rally on PATH: master"},
		{"no rally, installed asked", t.TempDir(), []string{"--catalog", "installed"}, true, "installed view"},
		{"rally, master asked", os.Getenv("PATH"), []string{"--catalog", "master"}, false, "master view"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("PATH", c.path)
			_, out, stderr := runErr(t, append(append([]string{"lint", "--verbose"}, c.args...), task)...)
			if strings.Contains(out, "[unknown-scenario]") != c.unknown {
				t.Errorf("unknown-scenario reported: %v, want %v:\n%s", !c.unknown, c.unknown, out)
			}
			if !strings.Contains(stderr, c.verbose) {
				t.Errorf("--verbose says %q, want %q", stderr, c.verbose)
			}
		})
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The repository's [rallyforge] section: its catalog view applies when
// --catalog is not given (--catalog still wins), its disabled rules are
// not reported, and an unknown rule id in it is a usage error (exit 2)
// naming the file and line.
func TestLintConfig(t *testing.T) {
	repo := t.TempDir()
	os.MkdirAll(filepath.Join(repo, "rally-jobs"), 0o755)
	// A scenario only rally-openstack master has, and no failure_rate SLA.
	os.WriteFile(filepath.Join(repo, "rally-jobs", "t.yaml"), []byte("---\nversion: 2\ntitle: t\nsubtasks:\n- title: a\n  scenario:\n    GlanceImages.import_and_delete_image:\n      image_location: http://example.org/cirros.img\n      container_format: bare\n      disk_format: qcow2\n  runner:\n    constant: {times: 1}\n"), 0o644)
	tox := filepath.Join(repo, "tox.ini")
	os.WriteFile(tox, []byte("[tox]\nenvlist = py3\n\n[rallyforge]\ncatalog = installed\ndisable = failure-rate\n"), 0o644)
	t.Setenv("PATH", t.TempDir()) // no rally: auto would be master
	code, out, stderr := runErr(t, "lint", "--verbose", repo)
	if code != exitFindings || !strings.Contains(out, "[unknown-scenario]") || strings.Contains(out, "[failure-rate]") || !strings.Contains(stderr, "catalog = installed in "+tox) {
		t.Errorf("config: exit %d\n%s%s", code, out, stderr)
	}
	if code, out := runOut(t, "lint", "--catalog", "master", repo); code != exitOK || strings.Contains(out, "[unknown-scenario]") {
		t.Errorf("--catalog master over the config: exit %d\n%s", code, out)
	}
	// Two repositories in one call: each is judged by its own catalog
	// setting, whichever comes first.
	other := t.TempDir()
	os.MkdirAll(filepath.Join(other, "rally-jobs"), 0o755)
	b, _ := os.ReadFile(filepath.Join(repo, "rally-jobs", "t.yaml"))
	os.WriteFile(filepath.Join(other, "rally-jobs", "t.yaml"), b, 0o644)
	os.WriteFile(filepath.Join(other, "setup.cfg"), []byte("[metadata]\nname = other\n\n[rallyforge]\ncatalog = master\ndisable = failure-rate\n"), 0o644)
	for _, args := range [][]string{{other, repo}, {repo, other}} {
		_, out := runOut(t, append([]string{"lint"}, args...)...)
		mine := strings.Contains(out, filepath.Join(repo, "rally-jobs", "t.yaml")+":") && strings.Contains(out, "[unknown-scenario]")
		if !mine || strings.Contains(out, filepath.Join(other, "rally-jobs", "t.yaml")+":") {
			t.Errorf("lint %s: want unknown-scenario in %s (catalog = installed) only, not in %s (catalog = master):\n%s", strings.Join(args, " "), repo, other, out)
		}
	}
	os.WriteFile(tox, []byte("[tox]\nenvlist = py3\n\n[rallyforge]\ndisable = failure-rates\n"), 0o644)
	code, _, stderr = runErr(t, "lint", filepath.Join(repo, "rally-jobs", "t.yaml"))
	if code != exitUsage || !strings.Contains(stderr, tox+`:5: [rallyforge] disable: unknown rule "failure-rates"`) {
		t.Errorf("unknown rule: exit %d, %s", code, stderr)
	}
}

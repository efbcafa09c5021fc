package detect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

func write(t *testing.T, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBadInput(t *testing.T) {
	if _, err := Detect(filepath.Join(t.TempDir(), "missing")); err == nil || !strings.Contains(err.Error(), "no such directory") {
		t.Errorf("missing path: %v", err)
	}
	f := filepath.Join(t.TempDir(), "file")
	write(t, filepath.Dir(f), "file", "x")
	if _, err := Detect(f); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("file: %v", err)
	}

	empty := t.TempDir()
	r, err := Detect(empty)
	if err != nil || r.Kind != KindUnknown || r.Reason == "" {
		t.Errorf("empty folder: %+v %v", r, err)
	}

	// Malformed metadata: still a verdict, with the problem as evidence.
	bad := t.TempDir()
	write(t, bad, "setup.cfg", "[metadata\nname = x\n\x00\x01")
	write(t, bad, "pyproject.toml", "[project\nname = \"x\"\n")
	write(t, bad, "pkg/__init__.py", "")
	r, err = Detect(bad)
	if err != nil {
		t.Fatal(err)
	}
	var malformed int
	for _, e := range r.Evidence {
		if e.Signal == "malformed" {
			malformed++
		}
	}
	if malformed == 0 {
		t.Errorf("malformed pyproject.toml not reported: %+v", r.Evidence)
	}

	// A symlink loop and a symlink out of the tree are not followed.
	loop := t.TempDir()
	os.Symlink("a", filepath.Join(loop, "b"))
	os.Symlink("b", filepath.Join(loop, "a"))
	os.Symlink("/", filepath.Join(loop, "root"))
	os.Symlink(loop, filepath.Join(loop, "self"))
	if _, err := Detect(loop); err != nil {
		t.Errorf("symlink loop: %v", err)
	}

	// Unreadable files (skipped when running as root, which reads anything:
	// the permission bits are still set so a non-root run exercises it).
	unr := t.TempDir()
	write(t, unr, ".gitreview", "[gerrit]\nproject=openstack/nova.git\n")
	write(t, unr, "setup.cfg", "[metadata]\nname = nova\n")
	os.Chmod(filepath.Join(unr, "setup.cfg"), 0)
	os.Mkdir(filepath.Join(unr, "locked"), 0)
	r, err = Detect(unr)
	if err != nil || r.Kind != KindService {
		t.Errorf("unreadable files: %+v %v", r, err)
	}
}

// A 100 MB setup.cfg is refused by size, not read.
func TestHugeSetupCfg(t *testing.T) {
	d := t.TempDir()
	write(t, d, ".gitreview", "[gerrit]\nproject=openstack/glance.git\n")
	fh, err := os.Create(filepath.Join(d, "setup.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	if err := fh.Truncate(100 << 20); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	r, err := Detect(d)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range r.Evidence {
		if e.Path == "setup.cfg" && strings.Contains(e.Detail, "too large") {
			found = true
		}
	}
	if !found || r.Kind != KindService {
		t.Errorf("huge setup.cfg: kind %s evidence %+v", r.Kind, r.Evidence)
	}
}

func TestManyKeepsOrder(t *testing.T) {
	testcorpus.Long(t)
	names := testcorpus.Repos(t)
	dirs := make([]string, len(names))
	for i, n := range names {
		dirs[i] = testcorpus.Repo(t, n)
	}
	outs := Many(dirs, nil)
	for i, o := range outs {
		if o.Err != nil || o.Result.Path != dirs[i] {
			t.Fatalf("outcome %d: %+v", i, o)
		}
	}
}

func BenchmarkDetectNova(b *testing.B) {
	d := testcorpus.Repo(b, "nova")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Detect(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDetectAll(b *testing.B) {
	names := testcorpus.Repos(b)
	dirs := make([]string, len(names))
	for i, n := range names {
		dirs[i] = testcorpus.Repo(b, n)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Many(dirs, nil)
	}
}

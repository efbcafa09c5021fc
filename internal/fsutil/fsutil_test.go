package fsutil

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWithinRefusesEscapes(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, "out")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(root, "in"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("in", filepath.Join(root, "ok")); err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{"../x", "/etc/passwd", "out/x", "out"} {
		if _, err := Within(root, rel); !errors.Is(err, ErrOutside) {
			t.Errorf("Within(%q) = %v, want ErrOutside", rel, err)
		}
	}
	for _, rel := range []string{"a/b/c", "in/x", "ok/x", "."} {
		if _, err := Within(root, rel); err != nil {
			t.Errorf("Within(%q) = %v, want nil", rel, err)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	root := t.TempDir()
	if err := WriteFileAtomic(root, "a/b.txt", []byte("hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "a/b.txt"))
	if err != nil || string(b) != "hi" {
		t.Fatalf("got %q %v", b, err)
	}
	ents, _ := os.ReadDir(filepath.Join(root, "a"))
	if len(ents) != 1 {
		t.Fatalf("temp file left behind: %v", ents)
	}
	outside := t.TempDir()
	os.Symlink(filepath.Join(outside, "target"), filepath.Join(root, "link"))
	if err := WriteFileAtomic(root, "link", []byte("x"), 0o644); err == nil {
		t.Fatal("wrote through a dangling symlink that points outside")
	}
	if _, err := os.Stat(filepath.Join(outside, "target")); err == nil {
		t.Fatal("file created outside the repository")
	}
}

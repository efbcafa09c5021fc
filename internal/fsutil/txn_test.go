package fsutil

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// snapshot lists every path under root with its content, to show that a
// failed WriteAll left nothing behind.
func snapshot(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, p)
		b, _ := os.ReadFile(p)
		out = append(out, rel+"="+string(b))
		return nil
	})
	sort.Strings(out)
	return out
}

func same(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A failure anywhere in the set leaves the tree as it was: no new file, no
// new folder, no temporary file, no half-updated file.
func TestWriteAllIsAllOrNothing(t *testing.T) {
	outside := t.TempDir()
	cases := map[string]func(root string) []Write{
		"file where a folder is needed": func(root string) []Write {
			os.WriteFile(filepath.Join(root, "plugins"), []byte("a file"), 0o644)
			return []Write{
				{Rel: "rally-jobs/README.rst", Data: []byte("new")},
				{Rel: "rally-jobs/task.yaml", Data: []byte("new")},
				{Rel: "plugins/__init__.py", Data: []byte("new")},
			}
		},
		"symlink out of the repository": func(root string) []Write {
			os.Symlink(filepath.Join(outside, "z.yaml"), filepath.Join(root, ".zuul.yaml"))
			return []Write{
				{Rel: "rally-jobs/README.rst", Data: []byte("new")},
				{Rel: ".zuul.yaml", Data: []byte("new")},
			}
		},
		"changed since read": func(root string) []Write {
			os.WriteFile(filepath.Join(root, "task.yaml"), []byte("edited by someone else"), 0o644)
			return []Write{
				{Rel: "a/b/new.txt", Data: []byte("new")},
				{Rel: "task.yaml", Data: []byte("new"), Old: []byte("as read")},
			}
		},
		"appeared since read": func(root string) []Write {
			os.WriteFile(filepath.Join(root, "task.yaml"), []byte("someone else's"), 0o644)
			return []Write{{Rel: "new/x", Data: []byte("new")}, {Rel: "task.yaml", Data: []byte("new")}}
		},
		"destination is a folder": func(root string) []Write {
			os.MkdirAll(filepath.Join(root, "x", "y"), 0o755)
			return []Write{{Rel: "n/new", Data: []byte("new")}, {Rel: "x/y", Data: []byte("new")}}
		},
	}
	for name, mk := range cases {
		root := t.TempDir()
		os.WriteFile(filepath.Join(root, "keep"), []byte("keep"), 0o644)
		ws := mk(root)
		before := snapshot(t, root)
		err := WriteAll(root, ws)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if after := snapshot(t, root); !same(before, after) {
			t.Errorf("%s: %v; tree changed:\nbefore %q\nafter  %q", name, err, before, after)
		}
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 0 {
		t.Errorf("written outside the repository: %v", ents)
	}
}

func TestWriteAllWritesEverything(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "old"), []byte("v1"), 0o600)
	err := WriteAll(root, []Write{
		{Rel: "d/e/new", Data: []byte("n"), Perm: 0o644},
		{Rel: "old", Data: []byte("v2"), Perm: 0o600, Old: []byte("v1")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "old")); string(b) != "v2" {
		t.Errorf("old: %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "d/e/new")); string(b) != "n" {
		t.Errorf("new: %q", b)
	}
	err = WriteAll(root, []Write{{Rel: "old", Data: []byte("v3"), Old: []byte("v1")}})
	if !errors.Is(err, ErrChanged) {
		t.Errorf("stale Old: %v", err)
	}
}

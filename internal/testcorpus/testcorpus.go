// Package testcorpus gives tests access to the shared corpus of real
// OpenStack repository skeletons (../shared/corpus beside the checkout).
// Tests fail loudly when it is missing: CI always has it.
package testcorpus

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

// ModuleRoot is the directory holding go.mod.
func ModuleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// SharedDir returns ../shared beside the checkout (or $RALLYFORGE_SHARED).
func SharedDir(tb testing.TB) string {
	tb.Helper()
	d := os.Getenv("RALLYFORGE_SHARED")
	if d == "" {
		d = filepath.Join(ModuleRoot(), "..", "shared")
	}
	if _, err := os.Stat(filepath.Join(d, "corpus", "labels.yaml")); err != nil {
		tb.Fatalf("shared corpus not found at %s (set RALLYFORGE_SHARED): %v", d, err)
	}
	return d
}

// Repos lists the repository names that have a tarball in the corpus.
func Repos(tb testing.TB) []string {
	tb.Helper()
	ents, err := os.ReadDir(filepath.Join(SharedDir(tb), "corpus", "repos"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), ".tar.gz"); ok {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

var (
	unpackMu  sync.Mutex
	unpackDir string
	unpacked  = map[string]string{}
)

// Repo unpacks repos/<name>.tar.gz once per test process into a shared
// temporary folder and returns the repository root. Callers must not modify
// it; use Copy for a writable copy.
func Repo(tb testing.TB, name string) string {
	tb.Helper()
	unpackMu.Lock()
	defer unpackMu.Unlock()
	if d, ok := unpacked[name]; ok {
		return d
	}
	if unpackDir == "" {
		d, err := os.MkdirTemp("", "rallyforge-corpus-")
		if err != nil {
			tb.Fatal(err)
		}
		unpackDir = d
	}
	tgz := filepath.Join(SharedDir(tb), "corpus", "repos", name+".tar.gz")
	if err := Untar(tgz, unpackDir); err != nil {
		tb.Fatalf("unpack %s: %v", tgz, err)
	}
	d := filepath.Join(unpackDir, name)
	unpacked[name] = d
	return d
}

// Copy unpacks a fresh, writable copy of the repository into a test temp dir.
func Copy(tb testing.TB, name string) string {
	tb.Helper()
	dst := tb.TempDir()
	tgz := filepath.Join(SharedDir(tb), "corpus", "repos", name+".tar.gz")
	if err := Untar(tgz, dst); err != nil {
		tb.Fatalf("unpack %s: %v", tgz, err)
	}
	return filepath.Join(dst, name)
}

// Untar extracts a .tar.gz into dst, refusing entries that leave dst.
func Untar(tgz, dst string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.Clean(h.Name)
		if strings.HasPrefix(name, "..") || filepath.IsAbs(name) {
			continue
		}
		p := filepath.Join(dst, name)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
		case tar.TypeSymlink:
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.Remove(p)
			if err := os.Symlink(h.Linkname, p); err != nil {
				return err
			}
		case tar.TypeReg:
			os.MkdirAll(filepath.Dir(p), 0o755)
			w, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(h.Mode)&0o777|0o200)
			if err != nil {
				return err
			}
			if _, err := io.Copy(w, tr); err != nil {
				w.Close()
				return err
			}
			w.Close()
		}
	}
}

// CopyOnly extracts, straight from the tarball, just the regular files of
// repository name whose repository-relative path satisfies keep, into a
// fresh temp dir, and returns that dir ("" when nothing matched). Far
// cheaper than Copy when a test reads a few files (e.g. the Zuul config).
func CopyOnly(tb testing.TB, name string, keep func(rel string) bool) string {
	tb.Helper()
	f, err := os.Open(filepath.Join(SharedDir(tb), "corpus", "repos", name+".tar.gz"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	tr := tar.NewReader(gz)
	dst := tb.TempDir()
	found := false
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		rel, ok := strings.CutPrefix(filepath.Clean(h.Name), name+string(filepath.Separator))
		if !ok || h.Typeflag != tar.TypeReg || strings.HasPrefix(rel, "..") || !keep(filepath.ToSlash(rel)) {
			continue
		}
		found = true
		p := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	if !found {
		return ""
	}
	return dst
}

// Long marks a test that runs a real oracle (Rally, Python's jsonschema or
// configparser) or walks the whole corpus: `go test -short` (make
// unit-short, the edit-test loop) skips it; make test runs it.
func Long(tb testing.TB) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("oracle or corpus-wide test; not run with -short")
	}
}

package zuul

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/fsutil"
)

// An empty zuul.d/ or .zuul.d/, or one holding only symlinks (dangling or
// not), is a directory layout without files: the job and project go to
// <dir>/rally.yaml. It used to panic with an index out of range.
func TestEmptyZuulDirectories(t *testing.T) {
	for _, layout := range []string{"zuul.d", ".zuul.d"} {
		for name, fill := range map[string]func(dir string){
			"empty":    func(string) {},
			"dangling": func(dir string) { os.Symlink("/nonexistent/x.yaml", filepath.Join(dir, "a.yaml")) },
			"symlinks": func(dir string) {
				os.WriteFile(filepath.Join(dir, "..", "other.txt"), []byte("x"), 0o644)
				os.Symlink("../other.txt", filepath.Join(dir, "b.yaml"))
				os.Symlink("/etc/passwd", filepath.Join(dir, "c.yaml"))
			},
		} {
			repo := t.TempDir()
			dir := filepath.Join(repo, layout)
			os.Mkdir(dir, 0o755)
			fill(dir)
			edits, err := Edits(repo, testJob("demo", false))
			if err != nil {
				t.Fatalf("%s %s: %v", layout, name, err)
			}
			if len(edits) != 1 || edits[0].Path != layout+"/rally.yaml" {
				t.Fatalf("%s %s: edits %+v", layout, name, edits)
			}
			os.WriteFile(filepath.Join(dir, "rally.yaml"), edits[0].New, 0o644)
			body := string(edits[0].New)
			if !strings.Contains(body, "name: demo-rally") || !strings.Contains(body, "- project:") {
				t.Fatalf("%s %s: want job and project:\n%s", layout, name, body)
			}
		}
	}
}

// A Zuul config that is a FIFO, a device or a symlink out of the
// repository is refused at once, neither read nor replaced.
func TestSpecialZuulConfigRefused(t *testing.T) {
	cases := map[string]func(repo string) error{
		"fifo":        func(repo string) error { return syscall.Mkfifo(filepath.Join(repo, ".zuul.yaml"), 0o644) },
		"device":      func(repo string) error { return os.Symlink("/dev/zero", filepath.Join(repo, "zuul.yaml")) },
		"outside":     func(repo string) error { return os.Symlink("/etc/hostname", filepath.Join(repo, ".zuul.yaml")) },
		"dir outside": func(repo string) error { return os.Symlink("/etc", filepath.Join(repo, "zuul.d")) },
		"fifo in dir": func(repo string) error {
			os.Mkdir(filepath.Join(repo, "zuul.d"), 0o755)
			os.WriteFile(filepath.Join(repo, "zuul.d", "project.yaml"), []byte("- project:\n    check:\n      jobs:\n        - a\n"), 0o644)
			return os.Symlink("/dev/zero", filepath.Join(repo, "zuul.d", "rally.yaml"))
		},
	}
	for name, mk := range cases {
		repo := t.TempDir()
		if err := mk(repo); err != nil {
			t.Fatal(err)
		}
		for what, call := range map[string]func() error{
			"Edits":   func() error { _, err := Edits(repo, testJob("demo", false)); return err },
			"Inspect": func() error { _, _, err := Inspect(repo, nil); return err },
		} {
			if name == "fifo in dir" && what == "Inspect" {
				continue // symlinks in zuul.d are not Zuul files: nothing to refuse
			}
			done := make(chan error, 1)
			go func() { done <- call() }()
			select {
			case err := <-done:
				if !errors.Is(err, fsutil.ErrNotRegular) && !errors.Is(err, fsutil.ErrOutside) {
					t.Errorf("%s %s: got %v, want a refusal", what, name, err)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("%s %s: hangs", what, name)
			}
		}
	}
}

// What init writes into an existing Zuul file is read by PyYAML (Zuul's
// loader) as meant, in the file's own line ends: CRLF stays CRLF, a BOM
// stays and is not in the way, a collection tagged !!null is refused
// rather than turned into a file PyYAML rejects.
func TestEditsKeepLineEndsAndPyYAMLReadsThem(t *testing.T) {
	cases := map[string]string{
		"crlf":        "- project:\r\n    check:\r\n      jobs:\r\n        - noop\r\n",
		"crlf no eol": "- project:\r\n    check:\r\n      jobs:\r\n        - noop",
		"bom":         "\xef\xbb\xbf- project:\n    check:\n      jobs:\n        - noop\n",
		"bom crlf":    "\xef\xbb\xbf- job:\r\n    name: x\r\n- project:\r\n    templates: [a]\r\n",
	}
	for name, src := range cases {
		repo := t.TempDir()
		p := filepath.Join(repo, ".zuul.yaml")
		os.WriteFile(p, []byte(src), 0o644)
		edits, err := Edits(repo, testJob("demo", true))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(edits) != 1 || string(edits[0].Old) != src {
			t.Fatalf("%s: edits %+v", name, edits)
		}
		got := edits[0].New
		crlf := strings.Contains(src, "\r\n")
		if lf := strings.Count(string(got), "\n"); crlf && strings.Count(string(got), "\r\n") != lf {
			t.Errorf("%s: mixed line ends:\n%q", name, got)
		}
		if strings.HasPrefix(src, "\xef\xbb\xbf") != strings.HasPrefix(string(got), "\xef\xbb\xbf") || strings.Count(string(got), "\xef\xbb\xbf") > 1 {
			t.Errorf("%s: BOM not kept in place:\n%q", name, got)
		}
		os.WriteFile(p, got, 0o644)
		py := `import sys, yaml
d = yaml.safe_load(open(sys.argv[1], "rb"))
jobs = [s["job"]["name"] for s in d if "job" in s]
proj = [s["project"] for s in d if "project" in s][0]
assert "demo-rally" in jobs, jobs
for pl in ("check", "gate"):
    names = [j if isinstance(j, str) else list(j)[0] for j in proj[pl]["jobs"]]
    assert "demo-rally" in names, (pl, names)`
		if out, err := exec.Command("/usr/bin/python3", "-c", py, p).CombinedOutput(); err != nil {
			t.Errorf("%s: PyYAML: %v\n%s\n%s", name, err, out, got)
		}
	}
	repo := t.TempDir()
	os.WriteFile(filepath.Join(repo, ".zuul.yaml"), []byte("- project:\n    check:\n      jobs: !!null\n"), 0o644)
	if _, err := Edits(repo, testJob("demo", false)); err == nil || !strings.Contains(err.Error(), "PyYAML") {
		t.Errorf("jobs: !!null: %v", err)
	}
}

// FuzzLayout: any arrangement of zuul.yaml, zuul.d/, .zuul.yaml, .zuul.d/
// as files, folders, symlinks (in, out, dangling), FIFOs and empty
// folders gives edits or an error: no panic, no hang, nothing read
// outside the repository.
func FuzzLayout(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3}, "- project:\n    check:\n      jobs:\n        - a\n")
	f.Add([]byte{1, 1, 1, 1}, "")
	f.Add([]byte{5, 6, 0, 2}, "- job:\n    name: x\n")
	f.Add([]byte{7, 4, 3, 6, 2, 2}, "\xef\xbb\xbf- project:\r\n    templates: [a]\r\n")
	f.Fuzz(func(t *testing.T, shape []byte, body string) {
		base := t.TempDir()
		repo := filepath.Join(base, "repo")
		outside := filepath.Join(base, "outside.yaml")
		os.WriteFile(outside, []byte("- project:\n    check:\n      jobs:\n        - OUTSIDE\n"), 0o644)
		os.Mkdir(repo, 0o755)
		names := []string{"zuul.yaml", "zuul.d", ".zuul.yaml", ".zuul.d"}
		for i, kind := range shape {
			if i >= 8 {
				break
			}
			p := filepath.Join(repo, names[i%4])
			if i >= 4 { // a second round puts entries inside the folders
				p = filepath.Join(repo, names[i%4], "x.yaml")
				if fi, err := os.Stat(filepath.Dir(p)); err != nil || !fi.IsDir() {
					continue
				}
			}
			switch kind % 8 {
			case 0:
				os.WriteFile(p, []byte(body), 0o644)
			case 1:
				os.Mkdir(p, 0o755)
			case 2:
				os.Mkdir(p, 0o755)
				os.WriteFile(filepath.Join(p, "a.yaml"), []byte(body), 0o644)
			case 3:
				os.Symlink(outside, p)
			case 4:
				os.Symlink("/nonexistent", p)
			case 5:
				syscall.Mkfifo(p, 0o644)
			case 6:
				os.Symlink("/dev/zero", p)
			case 7:
				os.WriteFile(filepath.Join(repo, "in.yaml"), []byte(body), 0o644)
				os.Symlink("in.yaml", p)
			}
		}
		done := make(chan struct{})
		var edits []Edit
		go func() {
			edits, _ = Edits(repo, testJob("demo", false))
			Inspect(repo, func(string) (string, bool) { return "", false })
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("Plan hangs")
		}
		for _, e := range edits {
			if strings.Contains(string(e.Old), "OUTSIDE") {
				t.Fatalf("%s: read from outside the repository", e.Path)
			}
		}
	})
}

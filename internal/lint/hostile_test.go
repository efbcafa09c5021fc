package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const secret = "TOP-SECRET-CONTENT"

// secretFile is a file outside the repository whose content must never
// reach a finding.
func secretFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "shadow.yaml")
	if err := os.WriteFile(p, []byte("version: 2\ntitle: "+secret+"\n"+secret+": [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func noSecret(t *testing.T, fs []Finding) {
	t.Helper()
	for _, f := range fs {
		if strings.Contains(f.Message, secret) {
			t.Errorf("content from outside the repository in a finding: %s", f)
		}
	}
}

// Linting a repository never reads a file through a symlink that leaves
// it: rally-jobs/x.yaml -> outside, a symlinked rally-jobs/, a Zuul job's
// rally_task through ../ or a symlink. Each is reported, not read.
func TestLintRepositorySymlinksOut(t *testing.T) {
	out := secretFile(t)
	cases := map[string]func(repo string){
		"task symlink": func(repo string) {
			os.MkdirAll(filepath.Join(repo, "rally-jobs"), 0o755)
			os.Symlink(out, filepath.Join(repo, "rally-jobs", "x.yaml"))
		},
		"rally-jobs symlink": func(repo string) {
			os.Symlink(filepath.Dir(out), filepath.Join(repo, "rally-jobs"))
		},
		"zuul rally_task dotdot": func(repo string) {
			rel, _ := filepath.Rel(repo, out)
			os.WriteFile(filepath.Join(repo, ".zuul.yaml"), []byte("- job:\n    name: x\n    parent: rally-task-at-devstack\n    vars:\n      rally_task: "+rel+"\n"), 0o644)
		},
		"zuul rally_task symlink": func(repo string) {
			os.Symlink(out, filepath.Join(repo, "t.yaml"))
			os.WriteFile(filepath.Join(repo, ".zuul.yaml"), []byte("- job:\n    name: x\n    parent: rally-task-at-devstack\n    vars:\n      rally_task: t.yaml\n"), 0o644)
		},
	}
	for name, mk := range cases {
		repo := t.TempDir()
		mk(repo)
		fs, err := Paths([]string{repo}, Options{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		noSecret(t, fs)
		found := false
		for _, f := range fs {
			found = found || f.Rule == "outside-repository"
		}
		if !found {
			t.Errorf("%s: no outside-repository finding in %v", name, fs)
		}
	}
}

// Input nothing can be concluded from is an error, not a clean run: a
// folder without task files, a --plugin-paths folder that does not exist.
func TestUnusableInputIsAnError(t *testing.T) {
	empty := t.TempDir()
	if _, err := Paths([]string{empty}, Options{}); err == nil {
		t.Error("a folder without task files linted clean")
	}
	task := filepath.Join(t.TempDir(), "task.yaml")
	os.WriteFile(task, []byte("version: 2\ntitle: t\nsubtasks:\n- title: a\n  scenario:\n    Dummy.dummy: {}\n"), 0o644)
	if _, err := Paths([]string{task}, Options{PluginPaths: []string{filepath.Join(empty, "nope")}}); err == nil {
		t.Error("a missing --plugin-paths folder accepted")
	}
	if _, err := Paths([]string{task}, Options{}); err != nil {
		t.Errorf("a plain task: %v", err)
	}
}

package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// On every corpus repository the Zuul jobs that run Rally point at task
// files that exist and at parents that exist: no findings, and the tasks
// they name are collected.
func TestZuulCorpusClean(t *testing.T) {
	testcorpus.Long(t)
	cat := View(false)
	named := 0
	for _, r := range testcorpus.Repos(t) {
		fs, tasks := Zuul(testcorpus.Repo(t, r), cat)
		for _, f := range fs {
			t.Errorf("%s: %s", r, f)
		}
		named += len(tasks)
	}
	if named < 5 {
		t.Errorf("only %d Rally task files named by corpus Zuul jobs", named)
	}
	t.Logf("%d task files named by Rally Zuul jobs in the corpus", named)
}

// A typo in the parent and a rally_task that does not exist are caught in
// a copy of cinder's real .zuul.yaml, with positions.
func TestZuulFaults(t *testing.T) {
	dir := testcorpus.Copy(t, "cinder")
	p := filepath.Join(dir, ".zuul.yaml")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "parent: rally-task-cinder", "parent: rally-task-cindr", 1)
	s = strings.Replace(s, "rally_task: rally-jobs/cinder.yaml", "rally_task: rally-jobs/cinder-missing.yaml", 1)
	if s == string(b) {
		t.Fatal("cinder's .zuul.yaml changed; update the test")
	}
	os.WriteFile(p, []byte(s), 0o644)
	fs, err := Paths([]string{dir}, Options{Catalog: View(false)})
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]Finding{}
	for _, f := range fs {
		rules[f.Rule] = f
	}
	if f, ok := rules["zuul-parent"]; !ok || !strings.Contains(f.Message, "did you mean rally-task-cinder?") || f.File != p {
		t.Errorf("zuul-parent: %+v (all: %v)", f, fs)
	}
	// The parent no longer resolves, but the job still sets rally_task.
	if f, ok := rules["zuul-rally-task"]; !ok || f.Line < 1 {
		t.Errorf("zuul-rally-task: %+v (all: %v)", f, fs)
	}
}

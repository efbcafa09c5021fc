package lint

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// Every rule's example, linted in a repository of its own, gives a finding
// of that rule (with the rule's severity), and every rule id is unique and
// well-formed.
func TestRuleExamples(t *testing.T) {
	idRe := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	for _, r := range Rules {
		if !idRe.MatchString(r.ID) || seen[r.ID] {
			t.Errorf("rule id %q: duplicate or malformed", r.ID)
		}
		seen[r.ID] = true
		if r.Description == "" || r.Example == "" || (r.Severity != Error && r.Severity != Warning) {
			t.Errorf("%s: description, example and severity are required", r.ID)
		}
		t.Run(r.ID, func(t *testing.T) {
			repo := t.TempDir()
			files := map[string]string{"rally-jobs/example.yaml": r.Example}
			for p, c := range r.ExampleFiles {
				files[p] = c
			}
			for p, c := range files {
				p = filepath.Join(repo, filepath.FromSlash(p))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			fs, err := Paths([]string{repo}, Options{Catalog: View(false)})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				if f.Rule == r.ID && f.Severity == r.Severity {
					return
				}
			}
			t.Errorf("example gives no %s finding; got %v", r.ID, fs)
		})
	}
}

// A finding names a rule of Rules, so that docs and configuration can rely
// on the list (checked on the examples and the golden tasks).
func TestFindingsNameListedRules(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range Rules {
		ids[r.ID] = true
	}
	golden, _ := filepath.Glob("testdata/golden/*.yaml")
	json, _ := filepath.Glob("testdata/golden/*.json")
	for _, p := range append(golden, json...) {
		fs, err := File(p, Options{Catalog: View(false)})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if !ids[f.Rule] {
				t.Errorf("%s: finding of unlisted rule %q", p, f.Rule)
			}
		}
	}
}

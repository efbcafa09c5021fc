package lint

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// repoWith writes a repository: files by relative path.
func repoWith(t *testing.T, files map[string]string) string {
	t.Helper()
	repo := t.TempDir()
	os.MkdirAll(filepath.Join(repo, "rally-jobs"), 0o755)
	for p, c := range files {
		p = filepath.Join(repo, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return repo
}

func rulesOf(fs []Finding) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, filepath.Base(f.File)+":"+f.Rule)
	}
	slices.Sort(ids)
	return ids
}

// One task with an error (unknown-scenario) and a warning (failure-rate);
// the repository's [rallyforge] section and inline comments silence them.
const twoFindings = "version: 2\ntitle: t\nsubtasks:\n  - title: a\n    scenario:\n      Dummy.no_such: {}\n    sla:\n      max_seconds_per_iteration: 10\n"

func TestConfigSilences(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"no config", map[string]string{"rally-jobs/a.yaml": twoFindings, "tox.ini": "[tox]\nenvlist = py3\n"},
			[]string{"a.yaml:failure-rate", "a.yaml:unknown-scenario"}},
		{"disable in tox.ini", map[string]string{"rally-jobs/a.yaml": twoFindings, "tox.ini": "[rallyforge]\ndisable = failure-rate\n"},
			[]string{"a.yaml:unknown-scenario"}},
		{"disable in setup.cfg", map[string]string{"rally-jobs/a.yaml": twoFindings, "setup.cfg": "[metadata]\nname = x\n\n[rallyforge]\ndisable =\n    failure-rate\n    unknown-scenario\n"},
			nil},
		{"per-file", map[string]string{"rally-jobs/a.yaml": twoFindings, "rally-jobs/b.yaml": twoFindings,
			"tox.ini": "[rallyforge]\nper-file-ignores =\n    rally-jobs/b.yaml: failure-rate, unknown-scenario\n"},
			[]string{"a.yaml:failure-rate", "a.yaml:unknown-scenario"}},
		{"inline", map[string]string{"rally-jobs/a.yaml": strings.Replace(twoFindings, "Dummy.no_such: {}", "Dummy.no_such: {}  # rallyforge: ignore[unknown-scenario]", 1)},
			[]string{"a.yaml:failure-rate"}},
		{"inline names another rule", map[string]string{"rally-jobs/a.yaml": strings.Replace(twoFindings, "Dummy.no_such: {}", "Dummy.no_such: {}  # rallyforge: ignore[failure-rate]", 1)},
			[]string{"a.yaml:failure-rate", "a.yaml:unknown-scenario"}},
		{"inline unknown rule", map[string]string{"rally-jobs/a.yaml": strings.Replace(twoFindings, "title: t", "title: t  # rallyforge: ignore[no-such-rule]", 1)},
			[]string{"a.yaml:failure-rate", "a.yaml:unknown-ignore", "a.yaml:unknown-scenario"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			repo := repoWith(t, c.files)
			fs, err := Paths([]string{repo}, Options{Catalog: View(false)})
			if err != nil {
				t.Fatal(err)
			}
			if got := rulesOf(fs); !slices.Equal(got, c.want) {
				t.Errorf("findings %v, want %v", got, c.want)
			}
			// One file linted alone reads the same configuration.
			one, err := File(filepath.Join(repo, "rally-jobs", "a.yaml"), Options{Catalog: View(false)})
			if err != nil {
				t.Fatal(err)
			}
			var wantA []string
			for _, w := range c.want {
				if strings.HasPrefix(w, "a.yaml:") {
					wantA = append(wantA, w)
				}
			}
			if got := rulesOf(one); !slices.Equal(got, wantA) {
				t.Errorf("File: findings %v, want %v", got, wantA)
			}
		})
	}
}

// An unknown rule id in the configuration is an error naming the file
// and line, for Paths and File alike.
func TestConfigUnknownRule(t *testing.T) {
	repo := repoWith(t, map[string]string{"rally-jobs/a.yaml": twoFindings, "tox.ini": "[rallyforge]\ndisable = failure-rate, falure-rate\n"})
	want := filepath.Join(repo, "tox.ini") + `:2: [rallyforge] disable: unknown rule "falure-rate"`
	if _, err := Paths([]string{repo}, Options{}); err == nil || err.Error() != want {
		t.Errorf("Paths: %v, want %s", err, want)
	}
	if _, err := File(filepath.Join(repo, "rally-jobs", "a.yaml"), Options{}); err == nil || err.Error() != want {
		t.Errorf("File: %v", err)
	}
}

package apiref

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// uncovered are the corpus services with an api-ref and no rally-openstack
// scenarios (the list).
var uncovered = []string{"trove", "placement", "masakari", "cyborg", "blazar", "tacker",
	"cloudkitty", "ironic-inspector", "zun", "freezer-api", "monasca-api"}

func TestLoadCorpus(t *testing.T) {
	for _, name := range uncovered {
		ref, err := Load(testcorpus.Repo(t, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range ref.Findings {
			if f.File == "" || f.Line <= 0 {
				t.Errorf("%s: finding without position: %+v", name, f)
			}
		}
		var rs []string
		for _, r := range ref.Resources() {
			rs = append(rs, r.Name)
		}
		t.Logf("%s: %d ops, %d findings, mv %q, resources %s", name, len(ref.Ops), len(ref.Findings), ref.Microversion, strings.Join(rs, ","))
	}
}

// TestLoadRelativePaths: ".", "sub/dir" and "../x" spellings of the
// repository give the same operations and findings as the absolute path,
// and every finding names its file (issue 14, defect 1).
func TestLoadRelativePaths(t *testing.T) {
	repo := testcorpus.Copy(t, "placement")
	want, err := Load(repo)
	if err != nil {
		t.Fatal(err)
	}
	parent := filepath.Dir(repo)
	sub := filepath.Join(parent, "sub")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ cwd, arg string }{
		{repo, "."},
		{parent, filepath.Base(repo)},
		{filepath.Dir(parent), filepath.Join(filepath.Base(parent), filepath.Base(repo))},
		{sub, filepath.Join("..", filepath.Base(repo))},
	}
	wantJSON, _ := json.Marshal(want)
	for _, c := range cases {
		t.Run(c.arg, func(t *testing.T) {
			t.Chdir(c.cwd)
			got, err := Load(c.arg)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range got.Findings {
				if f.File == "" {
					t.Fatalf("finding without a file: %v", f)
				}
			}
			if gotJSON, _ := json.Marshal(got); string(gotJSON) != string(wantJSON) {
				t.Errorf("%s from %s: %d ops, %d findings; absolute: %d ops, %d findings",
					c.arg, c.cwd, len(got.Ops), len(got.Findings), len(want.Ops), len(want.Findings))
			}
		})
	}
}

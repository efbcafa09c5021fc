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

// TestLoadParametersStandIn: a reference whose rest_parameters name a
// parameters file it does not ship (generated when the docs are built)
// resolves them from the hand-written parameters-*.yaml beside it, and
// says so once, naming that file, instead of a warning per directive.
func TestLoadParametersStandIn(t *testing.T) {
	repo := t.TempDir()
	dir := filepath.Join(repo, SourceDir, "v2")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"index.rst": `Things
======

Create thing
============

.. rest_method:: POST /v2/things

.. rest_parameters:: parameters.yaml

  - name: thing_name

List things
===========

.. rest_method:: GET /v2/things

.. rest_parameters:: parameters.yaml

  - limit: limit
`,
		"parameters-manual.yaml": "thing_name:\n  in: body\n  required: true\n  type: string\nlimit:\n  in: query\n  required: false\n  type: integer\n",
	}
	for n, s := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ref, err := Load(repo)
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Ops) != 2 || len(ref.Ops[0].Request) != 1 {
		t.Fatalf("ops: %+v", ref.Ops)
	}
	if p := ref.Ops[0].Request[0]; p.In != "body" || !p.Required {
		t.Errorf("name: %+v, want the stand-in's required body parameter", p)
	}
	if len(ref.Findings) != 1 || ref.Findings[0].File != SourceDir+"/v2/parameters-manual.yaml" ||
		!strings.Contains(ref.Findings[0].Msg, "parameters.yaml") {
		t.Errorf("findings %v, want one naming the stand-in and the missing file", ref.Findings)
	}
}
